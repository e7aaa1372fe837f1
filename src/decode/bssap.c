/*
 * bssap.c - BSSAP on the GSM A interface (SCCP SSN 254): the discrimination
 * octet of 3GPP TS 48.006 9.2 / TS 48.008 3.2.1 chooses
 *
 *   0x00 BSSMAP: length, message type (TS 48.008 3.2.2), information
 *        elements.  Complete Layer 3 Information (0x57, 3.2.1.32) carries
 *        the MS's first message in its Layer 3 Information IE (0x17,
 *        3.2.2.24, TLV): handed to dec_gsm48_l3().  Other messages named.
 *   0x01 DTAP: DLCI, length, a layer-3 message -> dec_gsm48_l3().
 *
 * Stack names as tshark: "bssap:gsm_a.bssmap[:gsm_a.dtap]", "bssap:gsm_a.dtap".
 * Reads borrowed views; allocates nothing.
 */
#include "decode/ss7.h"

#include <stdio.h>

#define BSSMAP_COMPLETE_L3 0x57
#define BSSMAP_IE_L3_INFO 0x17

struct bssmap_name { uint8_t type; const char *name; };

/* TS 48.008 3.2.2.1 Table 3.2.2.1 (the common ones), names as Wireshark. */
static const struct bssmap_name bssmap_names[] = {
	{ 0x01, "Assignment Request" }, { 0x02, "Assignment Complete" }, { 0x03, "Assignment Failure" },
	{ 0x10, "Handover Request" }, { 0x11, "Handover Required" }, { 0x12, "Handover Request Acknowledge" },
	{ 0x13, "Handover Command" }, { 0x14, "Handover Complete" }, { 0x16, "Handover Failure" },
	{ 0x17, "Handover Performed" }, { 0x1b, "Handover Detect" }, { 0x20, "Clear Command" },
	{ 0x21, "Clear Complete" }, { 0x22, "Clear Request" }, { 0x30, "Reset" },
	{ 0x31, "Reset Acknowledge" }, { 0x52, "Paging" }, { 0x53, "Cipher Mode Command" },
	{ 0x54, "Classmark Update" }, { 0x55, "Cipher Mode Complete" }, { 0x57, "Complete Layer 3 Information" },
	{ 0x58, "Classmark Request" }, { 0x59, "Cipher Mode Reject" }, { 0x5a, "Confusion" },
	{ 0x1a, "Handover Candidate Enquire" }, { 0x1c, "Handover Candidate Response" },
	{ 0x15, "Handover Required Reject" }, { 0x56, "Queuing Indication" }, { 0x5d, "LSA Information" },
};

static void bssmap(struct dec_context *ctx, struct dec_message *m, struct dec_cursor *c)
{
	uint8_t len, type;
	struct dec_view body;

	dec_stack_push(m, "gsm_a.bssmap");
	if (dec_cur_u8(c, &len) < 0 || dec_cur_take(c, len, &body) < 0 || len < 1) {
		dec_anomaly(m, "bssap: BSSMAP length beyond the message (TS 48.006 9.2)");
		return;
	}
	type = body.p[0];
	const char *name = NULL;
	for (size_t i = 0; i < sizeof(bssmap_names) / sizeof(bssmap_names[0]); i++)
		if (bssmap_names[i].type == type)
			name = bssmap_names[i].name;
	if (name)
		ss7_set(m->operation, sizeof(m->operation), name);
	else
		snprintf(m->operation, sizeof(m->operation), "BSSMAP 0x%02x", type);
	if (type != BSSMAP_COMPLETE_L3)
		return;
	/* Cell Identifier (TLV), Layer 3 Information (TLV), then optional TLVs (TS 48.008 3.2.1.32). */
	struct dec_cursor ic = { body.p + 1, body.len - 1 };
	while (ic.left) {
		uint8_t iei, ilen;
		struct dec_view val;
		if (dec_cur_u8(&ic, &iei) < 0 || dec_cur_u8(&ic, &ilen) < 0 || dec_cur_take(&ic, ilen, &val) < 0) {
			dec_anomaly(m, "bssap: Complete Layer 3 Information IE cut (TS 48.008 3.2.1.32)");
			return;
		}
		if (iei == BSSMAP_IE_L3_INFO) {
			dec_stack_push(m, "gsm_a.dtap");
			dec_gsm48_l3(ctx, m, val, true);
			return;
		}
	}
	dec_anomaly(m, "bssap: Complete Layer 3 Information without Layer 3 Information (TS 48.008 3.2.1.32)");
}

int dec_bssap(struct dec_context *ctx, struct dec_message *m, struct dec_view v, dec_emit_fn emit, void *arg)
{
	struct dec_cursor c = { v.p, v.len };
	uint8_t disc, dlci, len;
	struct dec_view l3;

	dec_stack_push(m, "bssap");
	ss7_set(m->protocol, sizeof(m->protocol), "bssap");
	if (dec_cur_u8(&c, &disc) < 0) {
		dec_anomaly(m, "bssap: empty message");
		return dec_emit(ctx, m, emit, arg);
	}
	if (disc == 0x00) {
		bssmap(ctx, m, &c);
	} else if (disc == 0x01) {
		dec_stack_push(m, "gsm_a.dtap");
		if (dec_cur_u8(&c, &dlci) < 0 || dec_cur_u8(&c, &len) < 0 || dec_cur_take(&c, len, &l3) < 0)
			dec_anomaly(m, "bssap: DTAP length beyond the message (TS 48.006 9.3)");
		else
			dec_gsm48_l3(ctx, m, l3, false);
	} else {
		dec_anomaly(m, "bssap: discrimination octet 0x%02x (TS 48.006 9.2)", disc);
	}
	return dec_emit(ctx, m, emit, arg);
}
