/*
 * map.c - 3GPP TS 29.002 Mobile Application Part: the arguments and results
 * of the operations simsieve needs, decoded with our own BER reader
 * (ss7.h).  The caller (tcap.c) has set m->component, m->opcode and
 * m->map_version and named the operation; dec_map_component() gets the
 * component's parameter element whole (identifier, length, contents:
 * some arguments are a SEQUENCE, some a bare IMSI or address, depending
 * on the operation's version) and fills the identities of @m:
 *
 *   IMSI (TBCD, 17.7.8), MSISDN and the other ISDN-AddressStrings (17.7.8:
 *   octet 1 extension/nature of address/numbering plan, then TBCD), MSC,
 *   VLR, SGSN and HLR numbers, the SM-RP-DA / SM-RP-OA choices (17.7.6:
 *   IMSI, LMSI, MSISDN, service centre address), the SM-RP-UI TPDU
 *   (handed to dec_sms_tpdu(), from_ms when the destination is a service
 *   centre) and the USSD string (17.7.4: decoded per its CBS data coding
 *   scheme, TS 23.038 5, into m->text).
 *
 * Elements are found by tag inside the SEQUENCE, so extension markers,
 * unknown elements and element order do not matter.
 */
#include "decode/sms_tpdu.h"
#include "decode/ss7.h"

#include "core/err.h"

#include <stdio.h>

/* The @nth (0-based) child of the constructed @seq whose identifier is @id. */
static bool child(struct dec_view seq, uint8_t id, int nth, struct dec_view *out)
{
	struct dec_cursor c = ber_cursor(seq);
	struct ber_tlv t;
	while (ber_next(&c, &t) == BER_OK) {
		if (t.id == id && nth-- == 0) {
			*out = t.val;
			return true;
		}
	}
	return false;
}

/*
 * dec_map_component() returns 0, or -SS_EPARSE when the parameter is not
 * one BER element (anomaly recorded); a field it cannot read is an anomaly
 * and the rest is still decoded.
 */

/* IMSI ::= TBCD-STRING (SIZE (3..8)), 29.002 17.7.8. */
static void map_imsi(struct dec_message *m, struct dec_view v)
{
	if (v.len < 3 || v.len > 8) {
		dec_anomaly(m, "gsm_map: IMSI of %zu octets, expected 3-8", v.len);
		return;
	}
	if (dec_tbcd(v.p, v.len, m->imsi, sizeof(m->imsi)) < 0) {
		m->imsi[0] = '\0';
		dec_anomaly(m, "gsm_map: IMSI is not TBCD digits");
	}
}

/* AddressString / ISDN-AddressString, 29.002 17.7.8. */
static void map_addr(struct dec_message *m, struct dec_view v, struct dec_number *n, const char *what)
{
	if (v.len < 1) {
		dec_anomaly(m, "gsm_map: %s is empty", what);
		return;
	}
	n->present = true;
	n->ton = (v.p[0] >> 4) & 0x07;
	n->npi = v.p[0] & 0x0f;
	if (dec_tbcd(v.p + 1, v.len - 1, n->digits, sizeof(n->digits)) < 0)
		dec_anomaly(m, "gsm_map: %s of %zu octets is not TBCD digits or too long", what, v.len);
}

static void find_imsi(struct dec_message *m, struct dec_view seq, uint8_t id)
{
	struct dec_view v;
	if (child(seq, id, 0, &v))
		map_imsi(m, v);
}

static void find_addr(struct dec_message *m, struct dec_view seq, uint8_t id, int nth, struct dec_number *n,
		      const char *what)
{
	struct dec_view v;
	if (child(seq, id, nth, &v))
		map_addr(m, v, n, what);
}

/* UTF-16BE (TS 23.038 6.2.3 UCS2) to UTF-8 into m->text; stops when full. */
static void ucs2_text(struct dec_message *m, struct dec_view v)
{
	size_t n = 0;
	for (size_t i = 0; i + 1 < v.len; i += 2) {
		unsigned u = (unsigned)v.p[i] << 8 | v.p[i + 1];
		uint8_t b[3];
		size_t k;
		if (u >= 0xd800 && u <= 0xdfff)
			u = 0xfffd; /* surrogates: UCS2 has none */
		if (u < 0x80)
			b[0] = (uint8_t)u, k = 1;
		else if (u < 0x800)
			b[0] = (uint8_t)(0xc0 | u >> 6), b[1] = (uint8_t)(0x80 | (u & 0x3f)), k = 2;
		else
			b[0] = (uint8_t)(0xe0 | u >> 12), b[1] = (uint8_t)(0x80 | ((u >> 6) & 0x3f)),
			b[2] = (uint8_t)(0x80 | (u & 0x3f)), k = 3;
		if (n + k >= sizeof(m->text))
			break;
		memcpy(m->text + n, b, k);
		n += k;
	}
	m->text[n] = '\0';
	m->text_len = (uint32_t)n;
}

/* USSD-Arg / USSD-Res: ussd-DataCodingScheme, ussd-String (29.002 17.7.4, TS 23.038 5). */
static void map_ussd(struct dec_message *m, struct dec_view seq)
{
	struct dec_view dcsv, s;
	if (!child(seq, 0x04, 0, &dcsv) || !child(seq, 0x04, 1, &s))
		return;
	if (dcsv.len != 1) {
		dec_anomaly(m, "gsm_map: ussd-DataCodingScheme of %zu octets", dcsv.len);
		return;
	}
	uint8_t dcs = dcsv.p[0];
	bool gsm7 = (dcs & 0xf0) == 0x00 || (dcs & 0xf0) == 0x20 || (dcs & 0xf0) == 0x30 || dcs == 0x10 ||
		    ((dcs & 0xc0) == 0x40 && (dcs & 0x0c) == 0x00) || ((dcs & 0xf0) == 0xf0 && !(dcs & 0x04));
	bool ucs2 = dcs == 0x11 || ((dcs & 0xc0) == 0x40 && (dcs & 0x0c) == 0x08);
	if (gsm7) {
		size_t nsept = s.len * 8 / 7;
		size_t n = dec_gsm7_unpack(s.p, s.len, 0, nsept, m->text, sizeof(m->text));
		/* 23.038 6.1.2.3.1: with 7 spare bits a final CR is padding. */
		if ((s.len * 8) % 7 == 0 && n && m->text[n - 1] == '\r')
			m->text[--n] = '\0';
		m->text_len = (uint32_t)n;
	} else if (ucs2) {
		if (dcs == 0x11 && s.len >= 2) /* 23.038 5: two octets of language first */
			s.p += 2, s.len -= 2;
		ucs2_text(m, s);
	}
}

/* MO/MT-ForwardSM-Arg and v1/v2 ForwardSM-Arg (29.002 12.9, 17.7.6). */
static void map_forward_sm(struct dec_context *ctx, struct dec_message *m, struct dec_view seq)
{
	struct dec_cursor c = ber_cursor(seq);
	struct ber_tlv da, oa, ui;
	if (ber_next(&c, &da) != BER_OK || ber_next(&c, &oa) != BER_OK || ber_next(&c, &ui) != BER_OK) {
		dec_anomaly(m, "gsm_map: forwardSM argument without sm-RP-DA, sm-RP-OA and sm-RP-UI");
		return;
	}
	bool from_ms = false;
	switch (da.id) {
	case 0x80: map_imsi(m, da.val); break; /* imsi [0] */
	case 0x81: break;		       /* lmsi [1] */
	case 0x83: break;		       /* roamingNumber [3] (v1) */
	case 0x84: /* serviceCentreAddressDA [4]: towards the SC, so from the MS */
		map_addr(m, da.val, &m->service_centre, "serviceCentreAddressDA");
		from_ms = true;
		break;
	case 0x85: break; /* noSM-RP-DA */
	default: dec_anomaly(m, "gsm_map: sm-RP-DA choice 0x%02x unknown", da.id); break;
	}
	switch (oa.id) {
	case 0x82: map_addr(m, oa.val, &m->msisdn, "sm-RP-OA msisdn"); break;
	case 0x84: map_addr(m, oa.val, &m->service_centre, "serviceCentreAddressOA"); break;
	case 0x85: break;
	default: dec_anomaly(m, "gsm_map: sm-RP-OA choice 0x%02x unknown", oa.id); break;
	}
	if (ui.id != 0x04) {
		dec_anomaly(m, "gsm_map: sm-RP-UI is not an OCTET STRING (0x%02x)", ui.id);
		return;
	}
	dec_sms_tpdu(ctx, m, ui.val, from_ms);
	/* MO-ForwardSM-Arg (v3): ..., extensionContainer, ..., imsi IMSI OPTIONAL (12.2). */
	struct ber_tlv t;
	while (!m->imsi[0] && ber_next(&c, &t) == BER_OK)
		if (t.id == 0x04)
			map_imsi(m, t.val);
}

static void map_invoke(struct dec_context *ctx, struct dec_message *m, struct ber_tlv *top)
{
	struct dec_view s = top->val, v;

	switch (m->opcode) {
	case 2: /* updateLocation: imsi, msc-Number [1], vlr-Number */
		find_imsi(m, s, 0x04);
		find_addr(m, s, 0x81, 0, &m->msc, "msc-Number");
		find_addr(m, s, 0x04, 1, &m->vlr, "vlr-Number");
		break;
	case 3: /* cancelLocation: v3 [3] SEQUENCE { identity }, v1/v2 Identity */
		if (top->id == 0x04) {
			map_imsi(m, s);
		} else if (child(s, 0x30, 0, &v)) { /* imsi-WithLMSI */
			find_imsi(m, v, 0x04);
		} else {
			find_imsi(m, s, 0x04);
		}
		break;
	case 4: /* provideRoamingNumber: imsi [0], msc-Number [1], msisdn [2] */
		find_imsi(m, s, 0x80);
		find_addr(m, s, 0x81, 0, &m->msc, "msc-Number");
		find_addr(m, s, 0x82, 0, &m->msisdn, "msisdn");
		break;
	case 7: /* insertSubscriberData: imsi [0], msisdn [1] */
		find_imsi(m, s, 0x80);
		find_addr(m, s, 0x81, 0, &m->msisdn, "msisdn");
		break;
	case 8: case 24: case 66: case 70: /* imsi [0] */
		find_imsi(m, s, 0x80);
		break;
	case 22: /* sendRoutingInfo: msisdn [0] */
		find_addr(m, s, 0x80, 0, &m->msisdn, "msisdn");
		break;
	case 23: /* updateGprsLocation: imsi, sgsn-Number */
		find_imsi(m, s, 0x04);
		find_addr(m, s, 0x04, 1, &m->sgsn, "sgsn-Number");
		break;
	case 43: /* checkIMEI: v3 SEQUENCE { imei }, v1/v2 IMEI */
		if (top->id == 0x04 || child(s, 0x04, 0, &v)) {
			struct dec_view imei = top->id == 0x04 ? s : v;
			if (imei.len != 8 || dec_tbcd(imei.p, imei.len, m->imei, sizeof(m->imei)) < 0) {
				m->imei[0] = '\0';
				dec_anomaly(m, "gsm_map: IMEI of %zu octets is not 8 TBCD octets", imei.len);
			}
		}
		break;
	case 44: case 46: /* mt-forwardSM, mo-forwardSM / forwardSM */
		map_forward_sm(ctx, m, s);
		break;
	case 45: /* sendRoutingInfoForSM: msisdn [0], serviceCentreAddress [2] */
		find_addr(m, s, 0x80, 0, &m->msisdn, "msisdn");
		find_addr(m, s, 0x82, 0, &m->service_centre, "serviceCentreAddress");
		break;
	case 47: case 49: case 64: /* msisdn, serviceCentreAddress */
		find_addr(m, s, 0x04, 0, &m->msisdn, "msisdn");
		find_addr(m, s, 0x04, 1, &m->service_centre, "serviceCentreAddress");
		break;
	case 56: /* sendAuthenticationInfo: v2 IMSI, v3 SEQUENCE { imsi [0] } */
		if (top->id == 0x04)
			map_imsi(m, s);
		else
			find_imsi(m, s, 0x80);
		break;
	case 58: /* sendIMSI: msisdn */
		if (top->id == 0x04)
			map_addr(m, s, &m->msisdn, "msisdn");
		break;
	case 59: case 60: case 61: /* USSD-Arg: dcs, string, [alertingPattern], msisdn [0] */
		map_ussd(m, s);
		find_addr(m, s, 0x80, 0, &m->msisdn, "msisdn");
		break;
	case 62: case 71: /* subscriberIdentity [0] CHOICE { imsi [0], msisdn [1] } */
		if (child(s, 0xa0, 0, &v)) {
			find_imsi(m, v, 0x80);
			find_addr(m, v, 0x81, 0, &m->msisdn, "msisdn");
		}
		break;
	case 67: /* purgeMS: v3 [3] { imsi, vlr [0], sgsn [1] }, v2 SEQUENCE { imsi, vlr } */
		find_imsi(m, s, 0x04);
		if (top->id == 0xa3) {
			find_addr(m, s, 0x80, 0, &m->vlr, "vlr-Number");
			find_addr(m, s, 0x81, 0, &m->sgsn, "sgsn-Number");
		} else {
			find_addr(m, s, 0x04, 1, &m->vlr, "vlr-Number");
		}
		break;
	default:
		break;
	}
}

static void map_result(struct dec_message *m, struct ber_tlv *top)
{
	struct dec_view s = top->val, v;

	switch (m->opcode) {
	case 2: case 23: /* updateLocation / updateGprsLocation: hlr-Number */
		find_addr(m, s, 0x04, 0, &m->hlr, "hlr-Number");
		break;
	case 22: /* sendRoutingInfo: v3 [3] { imsi [9] }, v1/v2 SEQUENCE { imsi } */
		find_imsi(m, s, top->id == 0xa3 ? 0x89 : 0x04);
		break;
	case 45: /* sendRoutingInfoForSM: imsi, locationInfoWithLMSI [0] { networkNode-Number [1] } */
		find_imsi(m, s, 0x04);
		if (child(s, 0xa0, 0, &v))
			find_addr(m, v, 0x81, 0, &m->msc, "networkNode-Number");
		break;
	case 58: /* sendIMSI: imsi */
		if (top->id == 0x04)
			map_imsi(m, s);
		break;
	case 59: case 60: /* USSD-Res */
		map_ussd(m, s);
		break;
	default:
		break;
	}
}

int dec_map_component(struct dec_context *ctx, struct dec_message *m, struct dec_view param)
{
	struct dec_cursor c = ber_cursor(param);
	struct ber_tlv top;
	int rc = ber_next(&c, &top);

	if (rc != BER_OK) {
		dec_anomaly(m, "gsm_map: parameter: %s", ber_strerror(rc));
		return -SS_EPARSE;
	}
	if (strcmp(m->component, "invoke") == 0)
		map_invoke(ctx, m, &top);
	else if (strcmp(m->component, "returnResult") == 0)
		map_result(m, &top);
	return 0;
}
