/*
 * mtp3.c - ITU-T MTP3 message signal units (Q.704 2.2-2.3, 14.2): the
 * service information octet (SI, NI) and the 32-bit ITU routing label
 * (14-bit DPC and OPC, 4-bit SLS), then the user part: SCCP (SI 3) or
 * ISUP (SI 5).  Also the user-part switch shared with M3UA (ss7.h).
 *
 * Link types MTP3 and MTP2 (after its header) hand dec_mtp3() the MSU from
 * the SIO on.  ANSI 24-bit point codes are not decoded (ITU only).
 */
#include "decode/ss7.h"

#include <stdio.h>

/* Q.704 14.2.1 service indicator names for the user parts we do not decode. */
static const char *si_name(uint8_t si)
{
	switch (si) {
	case 0: return "SNM";
	case 1: return "MTN";
	case 2: return "MTNS";
	case 3: return "SCCP";
	case 4: return "TUP";
	case 5: return "ISUP";
	case 6: return "DUP";
	case 7: return "DUP-F";
	case 8: return "MTP-TEST";
	case 9: return "B-ISUP";
	case 10: return "SAT-ISUP";
	case 12: return "AAL2";
	case 13: return "BICC";
	case 14: return "GCP";
	default: return "SI";
	}
}

int ss7_user_part(struct dec_context *ctx, struct dec_message *m, struct dec_view ud, dec_emit_fn emit,
		  void *arg)
{
	switch (m->si) {
	case SS7_SI_SCCP:
		return dec_sccp(ctx, m, ud, emit, arg);
	case SS7_SI_ISUP:
		return dec_isup(ctx, m, ud, emit, arg);
	default:
		ss7_set(m->operation, sizeof(m->operation), si_name(m->si));
		return dec_emit(ctx, m, emit, arg);
	}
}

int dec_mtp3(struct dec_context *ctx, const struct dec_payload *pl, struct dec_message *m,
	     dec_emit_fn emit, void *arg)
{
	struct dec_cursor c = { pl->data.p, pl->data.len };
	struct dec_view label;
	uint8_t sio;

	dec_stack_push(m, "mtp3");
	ss7_set(m->protocol, sizeof(m->protocol), "mtp3");
	if (dec_cur_u8(&c, &sio) < 0 || dec_cur_take(&c, 4, &label) < 0) {
		dec_anomaly(m, "mtp3: MSU of %zu octets shorter than SIO + routing label", pl->data.len);
		return dec_emit(ctx, m, emit, arg);
	}
	/* Q.704 14.2: SI bits 4-1, NI bits 8-7.  2.2: label DPC 14, OPC 14, SLS 4, LSB first. */
	uint32_t rl = (uint32_t)label.p[0] | (uint32_t)label.p[1] << 8 | (uint32_t)label.p[2] << 16 |
		      (uint32_t)label.p[3] << 24;
	m->si = sio & 0x0f;
	m->has_pc = true;
	m->dpc = rl & 0x3fff;
	m->opc = (rl >> 14) & 0x3fff;
	struct dec_view ud = { c.p, c.left };
	return ss7_user_part(ctx, m, ud, emit, arg);
}
