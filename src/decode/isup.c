/*
 * isup.c - ITU-T ISDN User Part, Q.763.
 *
 * Reads the circuit identification code (1.2), the message type (Table 4)
 * and, for the Initial Address Message (Table 32), the called party number
 * (mandatory variable part, 3.9) and the calling party number (optional
 * part, parameter 0x0a, 3.10): nature of address, numbering plan, digits
 * with the odd/even indicator.  Other messages are named only.
 */
#include "decode/ss7.h"

#include <stdio.h>

#define ISUP_IAM 0x01
#define ISUP_PARAM_END 0x00	    /* end of optional parameters */
#define ISUP_PARAM_CALLING 0x0a /* calling party number, 3.10 */

/* Q.763 Table 4 message type codes. */
static const char *isup_name(uint8_t t)
{
	static const char *const names[] = {
		[0x01] = "IAM",	 [0x02] = "SAM",  [0x03] = "INR",  [0x04] = "INF",  [0x05] = "COT",
		[0x06] = "ACM",	 [0x07] = "CON",  [0x08] = "FOT",  [0x09] = "ANM",  [0x0c] = "REL",
		[0x0d] = "SUS",	 [0x0e] = "RES",  [0x10] = "RLC",  [0x11] = "CCR",  [0x12] = "RSC",
		[0x13] = "BLO",	 [0x14] = "UBL",  [0x15] = "BLA",  [0x16] = "UBA",  [0x17] = "GRS",
		[0x18] = "CGB",	 [0x19] = "CGU",  [0x1a] = "CGBA", [0x1b] = "CGUA", [0x1f] = "FAR",
		[0x20] = "FAA",	 [0x21] = "FRJ",  [0x24] = "LPA",  [0x28] = "PAM",  [0x29] = "GRA",
		[0x2a] = "CQM",	 [0x2b] = "CQR",  [0x2c] = "CPG",  [0x2d] = "USR",  [0x2e] = "UCIC",
		[0x2f] = "CFN",	 [0x30] = "OLM",  [0x31] = "CRG",  [0x32] = "NRM",  [0x33] = "FAC",
		[0x34] = "UPT",	 [0x35] = "UPA",  [0x36] = "IDR",  [0x37] = "IRS",  [0x38] = "SGM",
		[0x40] = "LPR",	 [0x41] = "APM",  [0x42] = "PRI",  [0x43] = "SDN",
	};
	return t < sizeof(names) / sizeof(names[0]) ? names[t] : NULL;
}

/*
 * A called (3.9) or calling (3.10) party number: octet 1 odd/even + nature
 * of address, octet 2 numbering plan in bits 7-5, then the address signals.
 */
static void isup_number(struct dec_message *m, struct dec_view v, struct dec_number *out, const char *what)
{
	if (v.len < 2) {
		dec_anomaly(m, "isup: %s of %zu octets, shorter than its 2 indicator octets", what, v.len);
		return;
	}
	out->present = true;
	out->ton = v.p[0] & 0x7f;
	out->npi = (v.p[1] >> 4) & 0x07;
	struct dec_view sig = { v.p + 2, v.len - 2 };
	if (ss7_bcd(sig, (v.p[0] & 0x80) != 0, out->digits, sizeof(out->digits)) < 0)
		dec_anomaly(m, "isup: %s of %zu address octets exceeds %d digits", what, sig.len,
			    DEC_DIGITS_SIZE - 1);
}

/* Q.763 Table 32: IAM fixed part NCI(1) FCI(2) CPC(1) TMR(1), then 2 pointers. */
static void isup_iam(struct dec_message *m, const uint8_t *base, size_t len)
{
	const size_t fixed = 5, ptr_called = fixed, ptr_opt = fixed + 1;

	if (len < ptr_opt + 1) {
		dec_anomaly(m, "isup: IAM of %zu octets cut in its fixed part", len);
		return;
	}
	/* 1.3.2: a pointer counts octets from itself to the parameter's length octet. */
	size_t called = ptr_called + base[ptr_called];
	if (base[ptr_called] == 0 || called >= len || base[called] > len - called - 1) {
		dec_anomaly(m, "isup: IAM called party number pointer %u / length beyond the message",
			    base[ptr_called]);
		return;
	}
	struct dec_view cv = { base + called + 1, base[called] };
	isup_number(m, cv, &m->called_number, "called party number");

	if (base[ptr_opt] == 0)
		return; /* no optional part */
	size_t opt = ptr_opt + base[ptr_opt];
	if (opt >= len) {
		dec_anomaly(m, "isup: IAM optional part pointer %u beyond the message", base[ptr_opt]);
		return;
	}
	struct dec_cursor c = { base + opt, len - opt };
	for (;;) {
		uint8_t name, plen;
		struct dec_view val;
		if (dec_cur_u8(&c, &name) < 0) {
			dec_anomaly(m, "isup: optional part without end of optional parameters");
			return;
		}
		if (name == ISUP_PARAM_END)
			return;
		if (dec_cur_u8(&c, &plen) < 0 || dec_cur_take(&c, plen, &val) < 0) {
			dec_anomaly(m, "isup: optional parameter 0x%02x length beyond the message", name);
			return;
		}
		if (name == ISUP_PARAM_CALLING)
			isup_number(m, val, &m->calling_number, "calling party number");
	}
}

int dec_isup(struct dec_context *ctx, struct dec_message *m, struct dec_view v, dec_emit_fn emit, void *arg)
{
	dec_stack_push(m, "isup");
	ss7_set(m->protocol, sizeof(m->protocol), "isup");
	m->operation[0] = '\0';
	if (v.len < 3) {
		dec_anomaly(m, "isup: %zu octets, shorter than CIC + message type", v.len);
		return dec_emit(ctx, m, emit, arg);
	}
	uint8_t type = v.p[2];
	const char *name = isup_name(type);
	if (name)
		ss7_set(m->operation, sizeof(m->operation), name);
	else
		snprintf(m->operation, sizeof(m->operation), "type 0x%02x", type);
	if (type == ISUP_IAM)
		isup_iam(m, v.p + 3, v.len - 3);
	return dec_emit(ctx, m, emit, arg);
}
