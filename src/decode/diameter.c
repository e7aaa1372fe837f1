/*
 * diameter.c - Diameter base protocol (RFC 6733) and the S6a/S6d
 * application (3GPP TS 29.272, application id 16777251), over SCTP (PPID
 * 46 / 47, RFC 6733 2.1, RFC 6083) and TCP (port 3868).
 *
 * Header (RFC 6733 3): version 1, 24-bit message length (header included,
 * a multiple of 4), flags R P E T (the low four bits reserved, zero),
 * 24-bit command code, application id, hop-by-hop and end-to-end ids.
 * AVPs (RFC 6733 4.1): code, flags V M P (the rest reserved), 24-bit
 * length (header included, padding excluded), vendor id when V is set,
 * data padded to 4 octets.  Grouped AVPs (RFC 6733 4.4) are recursed into
 * for the codes listed in grouped_avp(), to a depth of DIA_MAX_DEPTH.
 *
 * What we keep:
 *   User-Name (1)               the IMSI in S6a (TS 29.272 7.3.1... 7.2)
 *   Visited-PLMN-Id (1407/10415) 3 octets MCC/MNC (TS 29.272 7.3.9,
 *                               TS 24.008 10.5.1.13) -> m->visited_plmn
 *   MSISDN (701/10415)          TBCD E.164 (TS 29.329 6.3.2) -> m->msisdn
 *   command code, application id, R bit -> m->diameter_*
 * Operation names: the command's abbreviation with R/A by the R bit
 * ("ULR", "ULA", "AIR" ...), "cmd-<code>-R/A" for commands not listed.
 */
#include "decode/context.h"
#include "decode/stream.h"

#include <stdio.h>
#include <string.h>

#define DIA_HDR_LEN 20
#define DIA_AVP_HDR_LEN 8
#define DIA_MAX_DEPTH 8
#define DIA_APP_S6A 16777251u
#define DIA_VENDOR_3GPP 10415u

#define DIA_FLAG_R 0x80
#define DIA_AVP_FLAG_V 0x80

#define AVP_USER_NAME 1
#define AVP_MSISDN 701		/* 3GPP */
#define AVP_VISITED_PLMN_ID 1407 /* 3GPP */

static uint32_t be24(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Command abbreviations: RFC 6733 3.1 (base), TS 29.272 7.2 (S6a), TS 29.229 6.1 (Cx), RFC 4006 (Gx CCR). */
static const char *cmd_abbrev(uint32_t code)
{
	switch (code) {
	case 257: return "CE";
	case 258: return "RA";
	case 271: return "AC";
	case 272: return "CC";
	case 274: return "AS";
	case 275: return "ST";
	case 280: return "DW";
	case 282: return "DP";
	case 300: return "UA";
	case 301: return "SA";
	case 302: return "LI";
	case 303: return "MA";
	case 304: return "RT";
	case 305: return "PP";
	case 316: return "UL";
	case 317: return "CL";
	case 318: return "AI";
	case 319: return "ID";
	case 320: return "DS";
	case 321: return "PU";
	case 322: return "RS";
	case 323: return "NO";
	default: return NULL;
	}
}

/* Grouped AVPs worth entering (RFC 6733 4.5, TS 29.272 7.3, TS 29.229 6.3). */
static bool grouped_avp(uint32_t code, uint32_t vendor)
{
	if (vendor == 0) {
		switch (code) {
		case 260: /* Vendor-Specific-Application-Id */
		case 279: /* Failed-AVP */
		case 284: /* Proxy-Info */
		case 297: /* Experimental-Result */
			return true;
		default:
			return false;
		}
	}
	if (vendor != DIA_VENDOR_3GPP)
		return false;
	switch (code) {
	case 628:  /* Supported-Features */
	case 1400: /* Subscription-Data: holds MSISDN in ULA / IDR */
	case 1401: /* Terminal-Information */
	case 1413: /* Authentication-Info */
	case 1414: /* E-UTRAN-Vector */
	case 1415: /* UTRAN-Vector */
	case 1416: /* GERAN-Vector */
	case 1408: /* Requested-EUTRAN-Authentication-Info */
	case 1409: /* Requested-UTRAN-GERAN-Authentication-Info */
	case 1429: /* APN-Configuration-Profile */
	case 1430: /* APN-Configuration */
	case 1431: /* EPS-Subscribed-QoS-Profile */
	case 1435: /* AMBR */
		return true;
	default:
		return false;
	}
}

static bool all_digits(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return n > 0;
}

/* Visited-PLMN-Id: MCC digit 2|1, MNC digit 3|MCC digit 3, MNC digit 2|1 (TS 24.008 10.5.1.13). */
static void visited_plmn(struct dec_message *m, struct dec_view v)
{
	static const char hex[] = "0123456789abcdef";
	if (v.len != 3) {
		dec_anomaly(m, "Visited-PLMN-Id length %zu, expected 3", v.len);
		return;
	}
	uint8_t d[6] = { (uint8_t)(v.p[0] & 0x0f), (uint8_t)(v.p[0] >> 4), (uint8_t)(v.p[1] & 0x0f),
			 (uint8_t)(v.p[2] & 0x0f), (uint8_t)(v.p[2] >> 4), (uint8_t)(v.p[1] >> 4) };
	size_t n = d[5] == 0x0f ? 5 : 6;
	for (size_t i = 0; i < n; i++) {
		if (d[i] > 9) {
			dec_anomaly(m, "Visited-PLMN-Id %02x%02x%02x is not BCD", v.p[0], v.p[1], v.p[2]);
			return;
		}
	}
	char out[EV_PLMN_SIZE];
	for (size_t i = 0; i < n; i++)
		out[i] = hex[d[i]];
	out[n] = '\0';
	memcpy(m->visited_plmn, out, n + 1);
}

/* The AVPs in @v (RFC 6733 4.1); @depth counts grouped levels entered. */
static void avps_decode(struct dec_message *m, struct dec_view v, int depth)
{
	struct dec_cursor c = { v.p, v.len };

	while (c.left) {
		if (c.left < DIA_AVP_HDR_LEN) {
			dec_anomaly(m, "%zu trailing octets, too few for an AVP header", c.left);
			return;
		}
		uint32_t code = be32(c.p);
		uint8_t flags = c.p[4];
		uint32_t len = be24(c.p + 5);
		size_t hdr = (flags & DIA_AVP_FLAG_V) ? 12 : 8;
		if (len < hdr) {
			dec_anomaly(m, "AVP %u length %u shorter than its %zu-octet header", code, len, hdr);
			return;
		}
		if (len > c.left) {
			dec_anomaly(m, "AVP %u length %u exceeds the %zu octets left", code, len, c.left);
			return;
		}
		uint32_t vendor = hdr == 12 ? be32(c.p + 8) : 0;
		struct dec_view data = { c.p + hdr, len - hdr };
		size_t padded = ((size_t)len + 3) & ~(size_t)3;
		if (padded > c.left) /* the last AVP may lack its padding: tolerated, as Wireshark does */
			padded = c.left;
		c.p += padded;
		c.left -= padded;

		if (vendor == 0 && code == AVP_USER_NAME) {
			/* S6a: the IMSI as UTF8String (TS 29.272 7.3.1 ... via RFC 6733 8.14). */
			if (m->diameter_app == DIA_APP_S6A) {
				if (data.len >= 5 && data.len < EV_IMSI_SIZE && all_digits(data.p, data.len)) {
					memcpy(m->imsi, data.p, data.len);
					m->imsi[data.len] = '\0';
				} else {
					dec_anomaly(m, "S6a User-Name is not an IMSI (%zu octets)", data.len);
				}
			}
		} else if (vendor == DIA_VENDOR_3GPP && code == AVP_VISITED_PLMN_ID) {
			visited_plmn(m, data);
		} else if (vendor == DIA_VENDOR_3GPP && code == AVP_MSISDN) {
			if (!data.len) {
				dec_anomaly(m, "MSISDN AVP is empty");
			} else if (dec_tbcd(data.p, data.len, m->msisdn.digits, sizeof(m->msisdn.digits)) < 0) {
				m->msisdn.digits[0] = '\0';
				dec_anomaly(m, "MSISDN AVP: bad TBCD digits or too long (%zu octets)", data.len);
			} else {
				m->msisdn.present = true;
				m->msisdn.ton = 1; /* TS 29.329 6.3.2: international E.164 */
				m->msisdn.npi = 1;
			}
		} else if (grouped_avp(code, vendor)) {
			if (depth >= DIA_MAX_DEPTH)
				dec_anomaly(m, "grouped AVP %u nested deeper than %d", code, DIA_MAX_DEPTH);
			else
				avps_decode(m, data, depth + 1);
		}
	}
}

/* One Diameter message: @v holds exactly the header's length, or less when cut. */
static void diameter_decode(struct dec_message *m, struct dec_view v, size_t declared)
{
	dec_stack_push(m, "diameter");
	snprintf(m->protocol, sizeof(m->protocol), "diameter");
	snprintf(m->operation, sizeof(m->operation), "Diameter");
	if (v.len < DIA_HDR_LEN) {
		dec_anomaly(m, "Diameter header truncated: %zu of 20 octets", v.len);
		return;
	}
	uint8_t version = v.p[0];
	uint8_t flags = v.p[4];
	m->diameter_cmd = be24(v.p + 5);
	m->diameter_app = be32(v.p + 8);
	m->diameter_request = flags & DIA_FLAG_R;
	const char *ab = cmd_abbrev(m->diameter_cmd);
	if (ab)
		snprintf(m->operation, sizeof(m->operation), "%s%c", ab, m->diameter_request ? 'R' : 'A');
	else
		snprintf(m->operation, sizeof(m->operation), "cmd-%u-%c", m->diameter_cmd,
			 m->diameter_request ? 'R' : 'A');
	if (version != 1)
		dec_anomaly(m, "Diameter version %u, expected 1", version);
	if (flags & 0x0f)
		dec_anomaly(m, "Diameter reserved flag bits set (0x%02x)", flags);
	if (declared & 3)
		dec_anomaly(m, "Diameter message length %zu not a multiple of 4", declared);
	if (v.len < declared)
		dec_anomaly(m, "Diameter message truncated: %zu of %zu octets", v.len, declared);
	struct dec_view avps = { v.p + DIA_HDR_LEN, v.len - DIA_HDR_LEN };
	avps_decode(m, avps, 0);
}

struct dia_run {
	struct dec_context *ctx;
	const struct dec_message *base;
	dec_emit_fn emit;
	void *arg;
	int emitted;
};

/* RFC 6733 3: the 24-bit length after the version octet; below 20 cannot be a message. */
static long dia_frame_len(const uint8_t *p, size_t avail)
{
	if (avail < 4)
		return 0;
	uint32_t len = be24(p + 1);
	if (p[0] != 1 || len < DIA_HDR_LEN)
		return -1;
	return (long)len;
}

static void dia_on_frame(void *arg, enum dec_stream_status status, struct dec_view v, size_t length)
{
	struct dia_run *r = arg;
	struct dec_message m = *r->base;

	switch (status) {
	case DEC_STREAM_FRAME:
		diameter_decode(&m, v, length);
		break;
	case DEC_STREAM_TRUNCATED:
		diameter_decode(&m, v, length ? length : DIA_HDR_LEN);
		break;
	case DEC_STREAM_TOO_LONG:
		diameter_decode(&m, v, length);
		dec_anomaly(&m, "Diameter message of %zu octets exceeds our %u-octet limit: skipped", length,
			    DEC_STREAM_MAX_FRAME);
		break;
	case DEC_STREAM_BAD_START:
		if (v.len >= DIA_HDR_LEN) { /* decode what is there: the header says who sent it */
			diameter_decode(&m, v, v.len);
			if (be24(v.p + 1) < DIA_HDR_LEN)
				dec_anomaly(&m, "Diameter message length %u below the 20-octet header", be24(v.p + 1));
			break;
		}
		/* fall through */
	case DEC_STREAM_NO_BOUNDARY:
		dec_stack_push(&m, "diameter");
		snprintf(m.protocol, sizeof(m.protocol), "diameter");
		snprintf(m.operation, sizeof(m.operation), "Diameter");
		if (v.len >= 4)
			dec_anomaly(&m, "not a Diameter header (version %u, length %u): %zu octets dropped", v.p[0],
				    be24(v.p + 1), v.len);
		else
			dec_anomaly(&m, "not a Diameter header: %zu octets dropped", v.len);
		break;
	}
	r->emitted += dec_emit(r->ctx, &m, r->emit, r->arg);
}

int dec_diameter(struct dec_context *ctx, const struct dec_payload *pl, struct dec_message *m, dec_emit_fn emit,
		 void *arg)
{
	struct dia_run r = { ctx, m, emit, arg, 0 };

	if (pl->transport == DEC_T_TCP)
		dec_stream_feed(ctx, DEC_STREAM_DIAMETER, pl, dia_frame_len, dia_on_frame, &r);
	else /* SCTP: one message per user message (RFC 6733 2.1.1) */
		dec_frames_once(pl->data, dia_frame_len, dia_on_frame, &r);
	return r.emitted;
}
