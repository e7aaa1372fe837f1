/*
 * ipa.c - IPA multiplex (ip.access / Osmocom) over TCP and the Osmocom GSUP
 * protocol carried in it (TCP port 4222, OSMO_GSUP_PORT).
 *
 * IPA framing (libosmocore ipa.h, Wireshark packet-gsm_ipa.c): a 3-byte
 * header, 16-bit big-endian length of what follows the header, 1-byte
 * protocol (0xFE CCM, 0xEE Osmocom extension, 0xFD SCCP, 0x00 RSL,
 * 0xFF OML ...); under 0xEE one more byte names the extension (0x05 GSUP).
 *
 * GSUP (Osmocom "GSUP" protocol specification; libosmocore gsup.h for the
 * message types and IE tags, whose enum values we use): one message-type
 * octet, then TLV IEs with 1-octet tag and 1-octet length.  Names follow
 * Wireshark's gsup dissector ("UpdateLocation Request" ...).  The TLV
 * decoder is ours; libosmocore's osmo_gsup_decode() is not used.
 *
 * IE encodings decoded here:
 *   IMSI (0x01)          TBCD digits, F filler (TS 29.002 17.7.8)
 *   MSISDN (0x08),
 *   HLR Number (0x09)    first octet, then TBCD digits.  Wireshark reads the
 *                        octet as an AddressString's ext/TON/NPI (TS 29.002
 *                        17.7.8); osmo-hlr writes a BCD length there
 *                        (gsm48_encode_bcd_number() with h_len 0).  Either
 *                        way the digits start at octet 2.
 *   Cause (0x02)         GMM cause (TS 24.008 10.5.5.14) -> m->error_code
 *   SM-RP-DA/OA (0x41/2) identity type (gsup_sms.h: 1 IMSI, 2 MSISDN,
 *                        3 SMSC address, 0xFF NULL), then the identity
 *   SM-RP-UI (0x43)      the SMS TPDU (TS 23.040) -> dec_sms_tpdu()
 *   IMEI (0x50)          BCD, optionally preceded by its length octet
 */
#include "decode/context.h"
#include "decode/stream.h"

#include <osmocom/gsm/gsup.h>
#include <osmocom/gsm/gsup_sms.h>

#include <stdio.h>
#include <string.h>

#define IPA_HDR_LEN 3
#define IPA_PROTO_OSMO 0xee
#define IPA_PROTO_CCM 0xfe
#define IPA_OSMO_GSUP 0x05

static const char *ccm_name(uint8_t t)
{
	switch (t) { /* Wireshark ipaccess.msg_type */
	case 0x00: return "PING?";
	case 0x01: return "PONG!";
	case 0x04: return "IDENTITY REQUEST";
	case 0x05: return "IDENTITY RESPONSE";
	case 0x06: return "IDENTITY ACK";
	case 0x07: return "IDENTITY NACK";
	case 0x08: return "PROXY REQUEST";
	case 0x09: return "PROXY ACK";
	case 0x0a: return "PROXY NACK";
	case 0x0b: return "SSL INFO";
	default: return NULL;
	}
}

static const char *ipa_proto_name(uint8_t p)
{
	switch (p) { /* Wireshark gsm_ipa.protocol */
	case 0x00: return "RSL";
	case 0xdd: return "HSL Debug";
	case 0xfc: return "MGCP (old)";
	case 0xfd: return "SCCP";
	case 0xff: return "OML";
	default: return NULL;
	}
}

static const char *osmo_ext_name(uint8_t e)
{
	static const char *const names[] = { "CTRL", "MGCP", "LAC", "SMSC", "ORC", "GSUP", "OAP", "RSPRO" };
	return e < sizeof(names) / sizeof(names[0]) ? names[e] : NULL;
}

/* Wireshark gsup.msg_type names, keyed by libosmocore's enum osmo_gsup_message_type. */
static const char *gsup_name(uint8_t t)
{
	switch (t) {
	case OSMO_GSUP_MSGT_UPDATE_LOCATION_REQUEST: return "UpdateLocation Request";
	case OSMO_GSUP_MSGT_UPDATE_LOCATION_ERROR: return "UpdateLocation Error";
	case OSMO_GSUP_MSGT_UPDATE_LOCATION_RESULT: return "UpdateLocation Result";
	case OSMO_GSUP_MSGT_SEND_AUTH_INFO_REQUEST: return "SendAuthInfo Request";
	case OSMO_GSUP_MSGT_SEND_AUTH_INFO_ERROR: return "SendAuthInfo Error";
	case OSMO_GSUP_MSGT_SEND_AUTH_INFO_RESULT: return "SendAuthInfo Result";
	case OSMO_GSUP_MSGT_AUTH_FAIL_REPORT: return "AuthFail Report";
	case OSMO_GSUP_MSGT_PURGE_MS_REQUEST: return "PurgeMS Request";
	case OSMO_GSUP_MSGT_PURGE_MS_ERROR: return "PurgeMS Error";
	case OSMO_GSUP_MSGT_PURGE_MS_RESULT: return "PurgeMS Result";
	case OSMO_GSUP_MSGT_INSERT_DATA_REQUEST: return "InsertSubscriberData Request";
	case OSMO_GSUP_MSGT_INSERT_DATA_ERROR: return "InsertSubscriberData Error";
	case OSMO_GSUP_MSGT_INSERT_DATA_RESULT: return "InsertSubscriberData Result";
	case OSMO_GSUP_MSGT_DELETE_DATA_REQUEST: return "DeleteSubscriberData Request";
	case OSMO_GSUP_MSGT_DELETE_DATA_ERROR: return "DeleteSubscriberData Error";
	case OSMO_GSUP_MSGT_DELETE_DATA_RESULT: return "DeleteSubscriberData Result";
	case OSMO_GSUP_MSGT_LOCATION_CANCEL_REQUEST: return "LocationCancel Request";
	case OSMO_GSUP_MSGT_LOCATION_CANCEL_ERROR: return "LocationCancel Error";
	case OSMO_GSUP_MSGT_LOCATION_CANCEL_RESULT: return "LocationCancel Result";
	case OSMO_GSUP_MSGT_PROC_SS_REQUEST: return "Supplementary Service Request";
	case OSMO_GSUP_MSGT_PROC_SS_ERROR: return "Supplementary Service Error";
	case OSMO_GSUP_MSGT_PROC_SS_RESULT: return "Supplementary Service Result";
	case OSMO_GSUP_MSGT_MO_FORWARD_SM_REQUEST: return "MO-forwardSM Request";
	case OSMO_GSUP_MSGT_MO_FORWARD_SM_ERROR: return "MO-forwardSM Error";
	case OSMO_GSUP_MSGT_MO_FORWARD_SM_RESULT: return "MO-forwardSM Result";
	case OSMO_GSUP_MSGT_MT_FORWARD_SM_REQUEST: return "MT-forwardSM Request";
	case OSMO_GSUP_MSGT_MT_FORWARD_SM_ERROR: return "MT-forwardSM Error";
	case OSMO_GSUP_MSGT_MT_FORWARD_SM_RESULT: return "MT-forwardSM Result";
	case OSMO_GSUP_MSGT_READY_FOR_SM_REQUEST: return "Ready for SM Request";
	case OSMO_GSUP_MSGT_READY_FOR_SM_ERROR: return "Ready for SM Error";
	case OSMO_GSUP_MSGT_READY_FOR_SM_RESULT: return "Ready for SM Result";
	case OSMO_GSUP_MSGT_CHECK_IMEI_REQUEST: return "Check IMEI Request";
	case OSMO_GSUP_MSGT_CHECK_IMEI_ERROR: return "Check IMEI Error";
	case OSMO_GSUP_MSGT_CHECK_IMEI_RESULT: return "Check IMEI Result";
	case OSMO_GSUP_MSGT_E_PREPARE_HANDOVER_REQUEST: return "E Prepare Handover Request";
	case OSMO_GSUP_MSGT_E_PREPARE_HANDOVER_ERROR: return "E Prepare Handover Error";
	case OSMO_GSUP_MSGT_E_PREPARE_HANDOVER_RESULT: return "E Prepare Handover Result";
	case OSMO_GSUP_MSGT_E_PREPARE_SUBSEQUENT_HANDOVER_REQUEST: return "E Prepare Subsequent Handover Request";
	case OSMO_GSUP_MSGT_E_PREPARE_SUBSEQUENT_HANDOVER_ERROR: return "E Prepare Subsequent Handover Error";
	case OSMO_GSUP_MSGT_E_PREPARE_SUBSEQUENT_HANDOVER_RESULT: return "E Prepare Subsequent Handover Result";
	case OSMO_GSUP_MSGT_E_SEND_END_SIGNAL_REQUEST: return "E Send End Signal Request";
	case OSMO_GSUP_MSGT_E_SEND_END_SIGNAL_ERROR: return "E Send End Signal Error";
	case OSMO_GSUP_MSGT_E_SEND_END_SIGNAL_RESULT: return "E Send End Signal Result";
	case OSMO_GSUP_MSGT_E_PROCESS_ACCESS_SIGNALLING_REQUEST: return "E Process Access Signalling Request";
	case OSMO_GSUP_MSGT_E_FORWARD_ACCESS_SIGNALLING_REQUEST: return "E Forward Access Signalling Request";
	case OSMO_GSUP_MSGT_E_CLOSE: return "E Close";
	case OSMO_GSUP_MSGT_E_ABORT: return "E Abort";
	case OSMO_GSUP_MSGT_ROUTING_ERROR: return "E Routing Error";
	default: return NULL;
	}
}

/* TBCD digits of @v into @out; anomaly naming @what when they are not clean digits. */
static bool tbcd_field(struct dec_message *m, const char *what, struct dec_view v, char *out, size_t size)
{
	if (v.len == 0) {
		dec_anomaly(m, "GSUP %s IE is empty", what);
		return false;
	}
	if (dec_tbcd(v.p, v.len, out, size) < 0) {
		dec_anomaly(m, "GSUP %s IE: bad BCD digits or too long (%zu octets)", what, v.len);
		return false;
	}
	return true;
}

/* A number whose first octet is TON/NPI (or osmo-hlr's length octet), then TBCD. */
static void address_field(struct dec_message *m, const char *what, struct dec_view v, struct dec_number *n)
{
	if (v.len < 2) {
		dec_anomaly(m, "GSUP %s IE too short (%zu octets)", what, v.len);
		return;
	}
	struct dec_view digits = { v.p + 1, v.len - 1 };
	if (!tbcd_field(m, what, digits, n->digits, sizeof(n->digits)))
		return;
	n->present = true;
	n->ton = (v.p[0] >> 4) & 0x07;
	n->npi = v.p[0] & 0x0f;
}

/* SM-RP-DA / SM-RP-OA (libosmocore gsup_sms.h, TS 29.002 7.6.8.1/7.6.8.2). */
static void sm_rp_address(struct dec_message *m, const char *what, struct dec_view v)
{
	if (v.len < 1) {
		dec_anomaly(m, "GSUP %s IE is empty", what);
		return;
	}
	struct dec_view id = { v.p + 1, v.len - 1 };
	switch (v.p[0]) {
	case OSMO_GSUP_SMS_SM_RP_ODA_IMSI: {
		char imsi[EV_IMSI_SIZE];
		if (tbcd_field(m, what, id, imsi, sizeof(imsi)) && !m->imsi[0])
			memcpy(m->imsi, imsi, sizeof(imsi));
		break;
	}
	case OSMO_GSUP_SMS_SM_RP_ODA_MSISDN:
		if (!m->msisdn.present)
			address_field(m, what, id, &m->msisdn);
		break;
	case OSMO_GSUP_SMS_SM_RP_ODA_SMSC_ADDR:
		address_field(m, what, id, &m->smsc);
		break;
	case OSMO_GSUP_SMS_SM_RP_ODA_NULL:
	case OSMO_GSUP_SMS_SM_RP_ODA_NONE:
		break;
	default:
		dec_anomaly(m, "GSUP %s IE: unknown identity type 0x%02x", what, v.p[0]);
	}
}

/* One GSUP message (the IPA payload after 0xEE 0x05). */
static void gsup_decode(struct dec_context *ctx, struct dec_message *m, struct dec_view v)
{
	struct dec_cursor c = { v.p, v.len };
	struct dec_view ui = { NULL, 0 };
	bool seen_mr = false, seen_da = false, seen_oa = false;
	uint8_t msgt;

	dec_stack_push(m, "gsup");
	snprintf(m->protocol, sizeof(m->protocol), "gsup");
	if (dec_cur_u8(&c, &msgt) < 0) {
		snprintf(m->operation, sizeof(m->operation), "GSUP");
		dec_anomaly(m, "empty GSUP message");
		return;
	}
	const char *name = gsup_name(msgt);
	if (name) {
		snprintf(m->operation, sizeof(m->operation), "%s", name);
	} else {
		snprintf(m->operation, sizeof(m->operation), "Unknown (0x%02x)", msgt);
		dec_anomaly(m, "unknown GSUP message type 0x%02x", msgt);
	}
	while (c.left) {
		uint8_t tag, len;
		struct dec_view val;
		if (dec_cur_u8(&c, &tag) < 0 || dec_cur_u8(&c, &len) < 0) {
			dec_anomaly(m, "GSUP IE 0x%02x truncated in its tag/length", c.left ? c.p[0] : tag);
			break;
		}
		if (dec_cur_take(&c, len, &val) < 0) {
			dec_anomaly(m, "GSUP IE 0x%02x length %u exceeds the %zu octets left", tag, len, c.left);
			break;
		}
		switch (tag) {
		case OSMO_GSUP_IMSI_IE:
			tbcd_field(m, "IMSI", val, m->imsi, sizeof(m->imsi));
			break;
		case OSMO_GSUP_MSISDN_IE:
			address_field(m, "MSISDN", val, &m->msisdn);
			break;
		case OSMO_GSUP_HLR_NUMBER_IE:
			address_field(m, "HLR Number", val, &m->hlr);
			break;
		case OSMO_GSUP_CAUSE_IE:
			if (len != 1)
				dec_anomaly(m, "GSUP Cause IE length %u, expected 1", len);
			else
				m->error_code = val.p[0];
			break;
		case OSMO_GSUP_SM_RP_MR_IE:
			seen_mr = true;
			break;
		case OSMO_GSUP_SM_RP_DA_IE:
			seen_da = true;
			sm_rp_address(m, "SM-RP-DA", val);
			break;
		case OSMO_GSUP_SM_RP_OA_IE:
			seen_oa = true;
			sm_rp_address(m, "SM-RP-OA", val);
			break;
		case OSMO_GSUP_SM_RP_UI_IE:
			ui = val;
			break;
		case OSMO_GSUP_IMEI_IE: {
			struct dec_view d = val;
			if (d.len >= 2 && d.p[0] == d.len - 1) { /* gsm48_encode_bcd_number()'s length octet */
				d.p++;
				d.len--;
			}
			tbcd_field(m, "IMEI", d, m->imei, sizeof(m->imei));
			break;
		}
		default:
			break; /* auth vectors, PDP info, names ...: not evidence for us */
		}
	}
	/* Osmocom GSUP spec: the IMSI IE is mandatory in every message. */
	if (!m->imsi[0] && msgt != OSMO_GSUP_MSGT_ROUTING_ERROR)
		dec_anomaly(m, "GSUP message without its mandatory IMSI IE");
	bool mo = msgt == OSMO_GSUP_MSGT_MO_FORWARD_SM_REQUEST;
	bool mt = msgt == OSMO_GSUP_MSGT_MT_FORWARD_SM_REQUEST;
	/* Osmocom GSUP spec, MO-/MT-forwardSM Request: SM-RP-MR, -DA, -OA and -UI are mandatory. */
	if ((mo || mt) && (!seen_mr || !seen_da || !seen_oa || !ui.p))
		dec_anomaly(m, "%s without mandatory IE(s):%s%s%s%s", m->operation, seen_mr ? "" : " SM-RP-MR",
			    seen_da ? "" : " SM-RP-DA", seen_oa ? "" : " SM-RP-OA", ui.p ? "" : " SM-RP-UI");
	if (ui.p) {
		if (!mo && !mt)
			return; /* RP-ACK/ERROR payloads of results: no SMS text */
		if (!ui.len)
			dec_anomaly(m, "GSUP SM-RP-UI IE is empty");
		else
			dec_sms_tpdu(ctx, m, ui, mo); /* SMS-SUBMIT from the MS, SMS-DELIVER to it */
	}
}

/* One IPA frame: header checked by the framer, @v.len == 3 + length. */
static void ipa_frame_decode(struct dec_context *ctx, struct dec_message *m, struct dec_view v)
{
	uint8_t proto = v.p[2];
	struct dec_view pl = { v.p + IPA_HDR_LEN, v.len - IPA_HDR_LEN };
	const char *name;

	dec_stack_push(m, "gsm_ipa");
	snprintf(m->protocol, sizeof(m->protocol), "ipa");
	if (proto == IPA_PROTO_CCM) {
		if (!pl.len) {
			snprintf(m->operation, sizeof(m->operation), "IPA");
			dec_anomaly(m, "IPA CCM frame without a message type");
		} else if ((name = ccm_name(pl.p[0])) != NULL) {
			snprintf(m->operation, sizeof(m->operation), "%s", name);
		} else {
			snprintf(m->operation, sizeof(m->operation), "IPA 0x%02x", pl.p[0]);
			dec_anomaly(m, "unknown IPA CCM message type 0x%02x", pl.p[0]);
		}
		return;
	}
	if (proto == IPA_PROTO_OSMO) {
		if (!pl.len) {
			snprintf(m->operation, sizeof(m->operation), "OSMO EXT");
			dec_anomaly(m, "IPA Osmocom extension frame without its extension octet");
			return;
		}
		if (pl.p[0] == IPA_OSMO_GSUP) {
			struct dec_view g = { pl.p + 1, pl.len - 1 };
			gsup_decode(ctx, m, g);
			return;
		}
		name = osmo_ext_name(pl.p[0]);
		if (name)
			snprintf(m->operation, sizeof(m->operation), "%s", name);
		else
			snprintf(m->operation, sizeof(m->operation), "OSMO EXT 0x%02x", pl.p[0]);
		return; /* CTRL, MGCP ...: carried, not decoded */
	}
	name = ipa_proto_name(proto);
	if (name) {
		snprintf(m->operation, sizeof(m->operation), "%s", name);
	} else {
		snprintf(m->operation, sizeof(m->operation), "IPA proto 0x%02x", proto);
		dec_anomaly(m, "unknown IPA protocol 0x%02x", proto);
	}
}

struct ipa_run {
	struct dec_context *ctx;
	const struct dec_message *base;
	dec_emit_fn emit;
	void *arg;
	int emitted;
};

static long ipa_frame_len(const uint8_t *p, size_t avail)
{
	if (avail < IPA_HDR_LEN)
		return 0;
	return IPA_HDR_LEN + (long)((p[0] << 8) | p[1]);
}

static void ipa_on_frame(void *arg, enum dec_stream_status status, struct dec_view v, size_t length)
{
	struct ipa_run *r = arg;
	struct dec_message m = *r->base;

	if (status == DEC_STREAM_FRAME) {
		ipa_frame_decode(r->ctx, &m, v);
	} else {
		/* Only a cut payload gets here: IPA frames are at most 3 + 65535 octets. */
		dec_stack_push(&m, "gsm_ipa");
		snprintf(m.protocol, sizeof(m.protocol), "ipa");
		snprintf(m.operation, sizeof(m.operation), "IPA");
		dec_anomaly(&m, "IPA frame truncated: %zu of %zu octets", v.len, length);
	}
	r->emitted += dec_emit(r->ctx, &m, r->emit, r->arg);
}

int dec_ipa(struct dec_context *ctx, const struct dec_payload *pl, struct dec_message *m, dec_emit_fn emit,
	    void *arg)
{
	struct ipa_run r = { ctx, m, emit, arg, 0 };

	if (pl->transport == DEC_T_TCP)
		dec_stream_feed(ctx, DEC_STREAM_IPA, pl, ipa_frame_len, ipa_on_frame, &r);
	else
		dec_frames_once(pl->data, ipa_frame_len, ipa_on_frame, &r);
	return r.emitted;
}
