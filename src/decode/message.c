/*
 * message.c - the decoded-message record: initialisation, anomalies, TBCD
 * digits, the JSON of `simsieve decode`, and the event a message means.
 */
#include "decode/context.h"

#include "core/err.h"
#include "core/json.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

void dec_message_init(struct dec_message *m, uint64_t frame, ss_time_us time)
{
	/*
	 * Everything but the 1.6 KB text buffer (valid up to text_len only)
	 * and the anomaly strings (valid up to n_anomalies): this runs for
	 * every message, and clearing all 3 KB was a visible part of it.
	 */
	memset(m, 0, offsetof(struct dec_message, text));
	m->text[0] = '\0';
	memset(&m->text_len, 0, offsetof(struct dec_message, anomalies) - offsetof(struct dec_message, text_len));
	m->anomalies[0][0] = '\0';
	m->frame = frame;
	m->time = time;
	m->invoke_id = -1;
	m->opcode = -1;
	m->error_code = -1;
}

void dec_message_copy(struct dec_message *dst, const struct dec_message *src)
{
	size_t text = offsetof(struct dec_message, text);
	size_t used = src->text_len < DEC_TEXT_SIZE ? src->text_len + 1 : DEC_TEXT_SIZE;
	size_t tail = offsetof(struct dec_message, text_len);
	memcpy(dst, src, text + used);
	memcpy((char *)dst + tail, (const char *)src + tail, sizeof(*src) - tail);
}

void dec_anomaly(struct dec_message *m, const char *fmt, ...)
{
	va_list ap;

	if (m->n_anomalies >= DEC_MAX_ANOMALIES)
		return;
	va_start(ap, fmt);
	vsnprintf(m->anomalies[m->n_anomalies++], DEC_ANOMALY_SIZE, fmt, ap);
	va_end(ap);
}

int dec_tbcd(const uint8_t *p, size_t len, char *out, size_t size)
{
	static const char digit[16] = "0123456789*#abc";
	size_t n = 0;

	if (size == 0)
		return -SS_ETOOLONG;
	for (size_t i = 0; i < len; i++) {
		uint8_t lo = p[i] & 0x0f, hi = p[i] >> 4;
		/* Common case: two digits that fit (every IMSI and number octet but the last). */
		if (lo != 0x0f && hi != 0x0f && n + 2 < size) {
			out[n] = digit[lo];
			out[n + 1] = digit[hi];
			n += 2;
			continue;
		}
		uint8_t nib[2] = { lo, hi };
		for (int k = 0; k < 2; k++) {
			if (nib[k] == 0x0f) { /* filler: only valid as the last nibble */
				out[n] = '\0';
				return (i == len - 1 && k == 1) ? (int)n : -SS_EPARSE;
			}
			if (n + 1 >= size) {
				out[n] = '\0';
				return -SS_ETOOLONG;
			}
			out[n++] = digit[nib[k]];
		}
	}
	out[n] = '\0';
	return (int)n;
}

/* ---- JSON ---- */

static void json_number(struct json_buf *b, const char *key, const struct dec_number *n)
{
	if (!n->present)
		return;
	json_key(b, key);
	json_quoted(b, n->digits);
}

static void json_sccp_addr(struct json_buf *b, const char *key, const struct dec_sccp_addr *a)
{
	if (!a->present)
		return;
	json_key(b, key);
	json_open(b);
	if (a->has_pc)
		json_kv_int(b, "pc", a->pc);
	if (a->has_ssn)
		json_kv_int(b, "ssn", a->ssn);
	if (a->has_gt) {
		json_kv_int(b, "gti", a->gti);
		json_kv_int(b, "tt", a->tt);
		json_kv_int(b, "np", a->np);
		json_kv_int(b, "es", a->es);
		json_kv_int(b, "nai", a->nai);
		json_kv_str(b, "digits", a->digits);
	}
	json_close(b);
}

int dec_message_json(const struct dec_message *m, char *buf, size_t size)
{
	struct json_buf b;
	char t[40];

	json_init(&b, buf, size);
	json_open(&b);
	json_kv_int(&b, "frame", (long long)m->frame);
	ss_time_format(m->time, t, sizeof(t));
	json_kv_str(&b, "time", t);
	json_kv_str(&b, "stack", m->stack);
	json_kv_str(&b, "protocol", m->protocol);
	json_kv_str(&b, "operation", m->operation);
	if (m->has_pc) {
		json_kv_int(&b, "opc", m->opc);
		json_kv_int(&b, "dpc", m->dpc);
		json_kv_int(&b, "si", m->si);
	}
	if (m->sccp_type[0] || m->called.present || m->calling.present) {
		json_key(&b, "sccp");
		json_open(&b);
		json_kv_str(&b, "type", m->sccp_type);
		json_sccp_addr(&b, "called", &m->called);
		json_sccp_addr(&b, "calling", &m->calling);
		json_close(&b);
	}
	if (m->tcap_type[0]) {
		json_key(&b, "tcap");
		json_open(&b);
		json_kv_str(&b, "type", m->tcap_type);
		if (m->has_otid) {
			json_key(&b, "otid");
			json_fmt(&b, "\"%08x\"", m->otid);
		}
		if (m->has_dtid) {
			json_key(&b, "dtid");
			json_fmt(&b, "\"%08x\"", m->dtid);
		}
		json_kv_str(&b, "acn", m->acn);
		if (m->map_version)
			json_kv_int(&b, "map_version", m->map_version);
		json_kv_str(&b, "component", m->component);
		if (m->invoke_id >= 0)
			json_kv_int(&b, "invoke_id", m->invoke_id);
		if (m->opcode >= 0)
			json_kv_int(&b, "opcode", m->opcode);
		if (m->error_code >= 0)
			json_kv_int(&b, "error_code", m->error_code);
		json_close(&b);
	}
	json_kv_str(&b, "imsi", m->imsi);
	json_kv_str(&b, "imei", m->imei);
	json_number(&b, "msisdn", &m->msisdn);
	json_number(&b, "msc", &m->msc);
	json_number(&b, "vlr", &m->vlr);
	json_number(&b, "sgsn", &m->sgsn);
	json_number(&b, "hlr", &m->hlr);
	json_number(&b, "smsc", &m->smsc);
	json_number(&b, "service_centre", &m->service_centre);
	json_kv_str(&b, "visited_plmn", m->visited_plmn);
	json_number(&b, "calling", &m->calling_number);
	json_number(&b, "called", &m->called_number);
	if (m->has_sms) {
		static const char *const enc[] = { "gsm7", "8bit", "ucs2" };
		json_key(&b, "sms");
		json_open(&b);
		json_kv_str(&b, "tpdu", m->tpdu_type);
		json_number(&b, "originator", &m->sms_originator);
		json_number(&b, "destination", &m->sms_destination);
		json_kv_int(&b, "dcs", m->dcs);
		json_kv_str(&b, "encoding", enc[m->sms_encoding < 3 ? m->sms_encoding : 1]);
		if (m->has_concat) {
			json_key(&b, "concat");
			json_open(&b);
			json_kv_int(&b, "ref", m->concat_ref);
			json_kv_int(&b, "total", m->concat_total);
			json_kv_int(&b, "seq", m->concat_seq);
			json_close(&b);
		}
		json_kv_bool(&b, "complete", m->text_complete);
		json_key(&b, "text");
		json_quoted_n(&b, m->text, m->text_len);
		json_close(&b);
	}
	if (!m->has_sms && m->text_len) {
		/* USSD strings (MAP processUnstructuredSS, TS 29.002 17.7.4). */
		json_key(&b, "ussd");
		json_quoted_n(&b, m->text, m->text_len);
	}
	if (m->diameter_cmd) {
		json_key(&b, "diameter");
		json_open(&b);
		json_kv_int(&b, "command", m->diameter_cmd);
		json_kv_int(&b, "application", m->diameter_app);
		json_kv_bool(&b, "request", m->diameter_request);
		json_close(&b);
	}
	if (m->sip_from[0] || m->sip_to[0] || m->call_id[0]) {
		json_key(&b, "sip");
		json_open(&b);
		json_kv_str(&b, "from", m->sip_from);
		json_kv_str(&b, "to", m->sip_to);
		json_kv_str(&b, "pai", m->sip_pai);
		json_kv_str(&b, "call_id", m->call_id);
		json_close(&b);
	}
	if (m->n_anomalies) {
		json_key(&b, "anomalies");
		json_raw(&b, "[", 1);
		for (int i = 0; i < m->n_anomalies; i++) {
			if (i)
				json_raw(&b, ",", 1);
			json_quoted(&b, m->anomalies[i]);
		}
		json_raw(&b, "]", 1);
	}
	json_close(&b);
	return json_finish(&b);
}

/* ---- events ---- */

static void copy_digits(char *dst, size_t size, const struct dec_number *n)
{
	dst[0] = '\0';
	if (!n->present || n->alphanumeric)
		return;
	size_t len = strlen(n->digits);
	if (len >= size)
		return; /* longer than the event field: not an identity we can use */
	for (size_t i = 0; i < len; i++)
		if (n->digits[i] < '0' || n->digits[i] > '9')
			return;
	memcpy(dst, n->digits, len + 1);
}

static bool is_location_update(const char *op)
{
	/* Spelled as each decoder names it (Wireshark's names). */
	static const char *const ops[] = { "updateLocation", "updateGprsLocation", "UpdateLocation Request",
					   "ULR", "Location Updating Request" };
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(op, ops[i]) == 0)
			return true;
	return false;
}

int dec_message_event(const struct dec_message *m, struct event *ev)
{
	ev_init(ev);
	ev->time = m->time;
	ev->source = EV_SRC_PCAP;
	ev->line = m->frame;
	if (m->n_anomalies)
		return 0; /* evidence must come from messages we fully understood */

	if (m->has_sms && m->text_complete) {
		/* An SMS-SUBMIT is originated by the served subscriber; a DELIVER terminates at it. */
		bool mo = strcmp(m->tpdu_type, "SMS-SUBMIT") == 0;
		ev->kind = EV_SMS;
		ev->direction = mo ? EV_DIR_MO : EV_DIR_MT;
		memcpy(ev->imsi, m->imsi, sizeof(ev->imsi));
		copy_digits(ev->msisdn, sizeof(ev->msisdn), &m->msisdn);
		const struct dec_number *other = mo ? &m->sms_destination : &m->sms_originator;
		if (other->present)
			snprintf(ev->other_party, sizeof(ev->other_party), "%s", other->digits);
		if (!ev->imsi[0] && !ev->msisdn[0])
			return 0;
		if (ev_set_text(ev, m->text, m->text_len) < 0)
			return 0;
		return 1;
	}
	if (is_location_update(m->operation) && m->imsi[0]) {
		ev->kind = EV_LOCATION;
		memcpy(ev->imsi, m->imsi, sizeof(ev->imsi));
		copy_digits(ev->msisdn, sizeof(ev->msisdn), &m->msisdn);
		memcpy(ev->visited_plmn, m->visited_plmn, sizeof(ev->visited_plmn));
		/* The serving node's E.164 number; its country code says where the SIM is. */
		const struct dec_number *node = m->vlr.present ? &m->vlr : m->sgsn.present ? &m->sgsn : &m->msc;
		copy_digits(ev->other_party, sizeof(ev->other_party), node);
		return 1;
	}
	if (m->called_number.present && (m->calling_number.present || m->imsi[0] || m->msisdn.present)) {
		ev->kind = EV_CALL;
		ev->direction = EV_DIR_MO;
		memcpy(ev->imsi, m->imsi, sizeof(ev->imsi));
		copy_digits(ev->msisdn, sizeof(ev->msisdn),
			    m->calling_number.present ? &m->calling_number : &m->msisdn);
		copy_digits(ev->other_party, sizeof(ev->other_party), &m->called_number);
		if (!ev->imsi[0] && !ev->msisdn[0])
			return 0;
		return 1;
	}
	return 0;
}
