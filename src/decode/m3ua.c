/*
 * m3ua.c - SS7 MTP3-User Adaptation Layer, RFC 4666.
 *
 * Reads the common header (3.1: version 1, message class and type, length),
 * names every message (3.1.2), and for Transfer DATA (3.3.1) walks the
 * parameters in any order (3.2: tag, length, value padded to 4 octets) to
 * the Protocol Data parameter (tag 0x0210): OPC, DPC, SI, NI, MP, SLS and
 * the user data, handed to SCCP or ISUP by SI.  Pre-RFC drafts (up to
 * draft 6) carried the whole MTP3 MSU in a parameter with tag 0x0002, a tag
 * RFC 4666 leaves unassigned: it goes to dec_mtp3() (as tshark's
 * "m3ua.version: Internet Draft version 6" does).
 *
 * The same entry point takes M2UA (RFC 3331, SCTP PPID 2 / port 2904): the
 * common header is M3UA's; MAUP DATA (3.3.1.1) carries the MTP3 MSU in
 * Protocol Data 1 (tag 0x0300) or, after one TTC priority octet, Protocol
 * Data 2 (0x0301); the MSU goes to dec_mtp3().
 */
#include "decode/ss7.h"

#include <stdio.h>

#define M3UA_PROTOCOL_DATA 0x0210 /* RFC 4666 3.3.1 */
#define M3UA_DRAFT_MSU 0x0002	  /* draft-ietf-sigtran-m3ua-06 Protocol Data */
#define M2UA_PROTOCOL_DATA_1 0x0300 /* RFC 3331 3.3.1.1 */
#define M2UA_PROTOCOL_DATA_2 0x0301 /* TTC: priority octet, then the MSU */
#define M2UA_CLASS_MAUP 6

/* RFC 4666 3.1.2 message classes and types, spelt as in the RFC's text. */
static const char *msg_name(uint8_t cls, uint8_t type, bool m2ua)
{
	/* RFC 3331 3.1.3: MTP2 User Adaptation messages, and IIM (class 10). */
	static const char *const maup[] = { NULL, "DATA", "EST_REQ", "EST_CONF", "REL_REQ", "REL_CONF",
					    "REL_IND", "STATE_REQ", "STATE_CONF", "STATE_IND", "DR_REQ",
					    "DR_CONF", "DR_IND", "DR_COMPLETE_IND", "CONG_IND", "DATA_ACK" };
	static const char *const mgmt[] = { "ERR", "NTFY" };
	static const char *const ssnm[] = { NULL, "DUNA", "DAVA", "DAUD", "SCON", "DUPU", "DRST" };
	static const char *const aspsm[] = { NULL, "ASPUP", "ASPDN", "BEAT", "ASPUP_ACK", "ASPDN_ACK", "BEAT_ACK" };
	static const char *const asptm[] = { NULL, "ASPAC", "ASPIA", "ASPAC_ACK", "ASPIA_ACK" };
	static const char *const rkm[] = { NULL, "REG_REQ", "REG_RSP", "DEREG_REQ", "DEREG_RSP" };
#define PICK(tab) (type < sizeof(tab) / sizeof(tab[0]) ? tab[type] : NULL)
	switch (cls) {
	case 0: return PICK(mgmt);
	case 1: return !m2ua && type == 1 ? "DATA" : NULL;
	case 2: return PICK(ssnm);
	case 3: return PICK(aspsm);
	case 4: return PICK(asptm);
	case 6: return m2ua ? PICK(maup) : NULL;
	case 9: return m2ua ? NULL : PICK(rkm);
	case 10: return m2ua ? PICK(rkm) : NULL;
	default: return NULL;
	}
#undef PICK
}

int dec_m3ua(struct dec_context *ctx, const struct dec_payload *pl, struct dec_message *m,
	     dec_emit_fn emit, void *arg)
{
	const uint8_t *p = pl->data.p;
	size_t len = pl->data.len;

	/* M2UA by its PPID, or by its port when the PPID says nothing. */
	bool m2ua = pl->ppid == 2 || (pl->ppid != 3 && (pl->src_port == 2904 || pl->dst_port == 2904));
	const char *me = m2ua ? "m2ua" : "m3ua";

	if (m2ua) { /* literals: their lengths fold when compiling */
		dec_stack_push(m, "m2ua");
		ss7_set(m->protocol, sizeof(m->protocol), "m2ua");
	} else {
		dec_stack_push(m, "m3ua");
		ss7_set(m->protocol, sizeof(m->protocol), "m3ua");
	}
	if (len < 8) {
		dec_anomaly(m, "%s: %zu octets, shorter than the common header", me, len);
		return dec_emit(ctx, m, emit, arg);
	}
	uint8_t version = p[0], cls = p[2], type = p[3];
	uint32_t mlen = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7];
	const char *name = msg_name(cls, type, m2ua);
	if (name)
		ss7_set(m->operation, sizeof(m->operation), name);
	else
		snprintf(m->operation, sizeof(m->operation), "class %u type %u", cls, type);
	if (version != 1)
		dec_anomaly(m, "%s: version %u, expected 1", me, version);
	if (mlen < 8 || mlen > len) {
		dec_anomaly(m, "%s: message length %u, payload has %zu octets", me, mlen, len);
		if (mlen < 8)
			return dec_emit(ctx, m, emit, arg);
	} else {
		len = mlen; /* octets after the message belong to nothing */
	}
	bool data = m2ua ? cls == M2UA_CLASS_MAUP && type == 1 : cls == 1 && type == 1;
	if (!data) /* management messages carry no user data */
		return dec_emit(ctx, m, emit, arg);

	/* RFC 4666 3.2: parameters in any order, each padded to a multiple of 4. */
	struct dec_cursor c = { p + 8, len - 8 };
	while (c.left >= 4) {
		uint16_t tag = (uint16_t)(c.p[0] << 8 | c.p[1]);
		uint16_t plen = (uint16_t)(c.p[2] << 8 | c.p[3]);
		if (plen < 4 || plen > c.left) {
			dec_anomaly(m, "%s: parameter 0x%04x length %u, %zu octets left", me, tag, plen, c.left);
			return dec_emit(ctx, m, emit, arg);
		}
		struct dec_view val = { c.p + 4, (size_t)plen - 4 };
		size_t padded = ((size_t)plen + 3) & ~(size_t)3;
		if (padded > c.left)
			padded = c.left; /* last parameter without its padding: tolerated */
		c.p += padded;
		c.left -= padded;

		if (m2ua && (tag == M2UA_PROTOCOL_DATA_1 || tag == M2UA_PROTOCOL_DATA_2)) {
			struct dec_payload sub = *pl;
			sub.transport = DEC_T_MTP3;
			sub.data = val;
			if (tag == M2UA_PROTOCOL_DATA_2 && val.len) {
				sub.data.p++;
				sub.data.len--;
			}
			return dec_mtp3(ctx, &sub, m, emit, arg);
		}
		if (m2ua)
			continue; /* Interface Identifier, Correlation Id ... */
		if (tag == M3UA_PROTOCOL_DATA) {
			/* 3.3.1: OPC(4) DPC(4) SI NI MP SLS, then the user protocol data. */
			if (val.len < 12) {
				dec_anomaly(m, "m3ua: Protocol Data of %zu octets, shorter than its 12-octet header",
					    val.len);
				return dec_emit(ctx, m, emit, arg);
			}
			const uint8_t *d = val.p;
			m->has_pc = true;
			m->opc = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
			m->dpc = (uint32_t)d[4] << 24 | (uint32_t)d[5] << 16 | (uint32_t)d[6] << 8 | d[7];
			m->si = d[8];
			struct dec_view ud = { d + 12, val.len - 12 };
			return ss7_user_part(ctx, m, ud, emit, arg);
		}
		if (tag == M3UA_DRAFT_MSU) {
			struct dec_payload sub = *pl;
			sub.transport = DEC_T_MTP3;
			sub.data = val;
			return dec_mtp3(ctx, &sub, m, emit, arg);
		}
		/* Routing Context, Network Appearance, Correlation Id ...: not needed. */
	}
	if (c.left)
		dec_anomaly(m, "%s: %zu trailing octets after the last parameter", me, c.left);
	dec_anomaly(m, "%s: DATA without a Protocol Data parameter", me);
	return dec_emit(ctx, m, emit, arg);
}
