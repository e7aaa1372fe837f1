/*
 * message.c - the decoded-message record: initialisation, anomalies, TBCD
 * digits, the JSON of `simsieve decode`, and the event a message means.
 */
#include "decode/context.h"

#include "core/err.h"

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

/*
 * The decode verb prints every message, so its JSON is written by hand
 * rather than through core/json.c: keys are literals with their length
 * known at compile time (comma and quotes included), numbers and hex ids
 * are converted without printf, strings are copied whole unless they hold
 * a character RFC 8259 7 makes us escape.  The output is byte for byte what
 * json.c would write.  Every append checks the room left (one byte is kept
 * for the NUL); running out is sticky and reported at the end.
 */
struct jw {
	char *p, *end; /* next byte; end = buf + size - 1 (room for the NUL) */
	bool full;
	bool comma; /* a value was written at this nesting level */
};

static inline void jw_raw(struct jw *w, const char *s, size_t n)
{
	if ((size_t)(w->end - w->p) < n) {
		w->full = true;
		return;
	}
	memcpy(w->p, s, n);
	w->p += n;
}

/* A literal: its length is a constant. */
#define JW_LIT(w, lit) jw_raw((w), (lit), sizeof(lit) - 1)
/* "key": with the comma the nesting level needs. */
#define JW_KEY(w, key) jw_key((w), "\"" key "\":", sizeof("\"" key "\":") - 1)

static inline void jw_key(struct jw *w, const char *quoted, size_t n)
{
	if (w->comma)
		jw_raw(w, ",", 1);
	jw_raw(w, quoted, n);
	w->comma = true;
}

static inline void jw_open(struct jw *w)
{
	jw_raw(w, "{", 1);
	w->comma = false;
}

static inline void jw_close(struct jw *w)
{
	jw_raw(w, "}", 1);
	w->comma = true;
}

static void jw_uint(struct jw *w, unsigned long long u)
{
	static const char pairs[201] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
				       "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
				       "8081828384858687888990919293949596979899";
	if (u < 10) { /* SSNs, GT fields, SI ...: most numbers a message has */
		char c = (char)('0' + u);
		jw_raw(w, &c, 1);
		return;
	}
	char tmp[24];
	size_t k = sizeof(tmp);
	while (u >= 100) { /* two digits a division */
		unsigned d = (unsigned)(u % 100);
		u /= 100;
		tmp[--k] = pairs[2 * d + 1];
		tmp[--k] = pairs[2 * d];
	}
	if (u >= 10) {
		tmp[--k] = pairs[2 * u + 1];
		tmp[--k] = pairs[2 * u];
	} else {
		tmp[--k] = (char)('0' + u);
	}
	jw_raw(w, tmp + k, sizeof(tmp) - k);
}

static void jw_int(struct jw *w, long long v)
{
	if (v < 0) {
		jw_raw(w, "-", 1);
		jw_uint(w, 0ULL - (unsigned long long)v);
	} else {
		jw_uint(w, (unsigned long long)v);
	}
}

/*
 * True when one of the 8 bytes of @x is below 0x20, '"' or '\\' (the
 * bytes RFC 8259 7 makes us escape).  Bit tricks on the whole word: a
 * byte b is below c exactly when (b - c) & ~b has its top bit set, for
 * c <= 0x80 (for the zero test of b ^ '"', c = 1); a borrow can only set
 * a false top bit above a byte that already matched.
 */
static inline bool word_needs_escape(uint64_t x)
{
	const uint64_t ones = UINT64_C(0x0101010101010101), high = UINT64_C(0x8080808080808080);
	uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
	return (((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b)) & high;
}

/* Index of the first byte of @s[0..n) to escape, or @n. */
static size_t first_escape(const char *s, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, 8);
		if (word_needs_escape(x))
			break;
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\' || c < 0x20)
			return i;
	}
	return n;
}

/* True when @s[0..n) holds a byte to escape: a word at a time, the last word overlapping. */
static inline bool needs_escape(const char *s, size_t n)
{
	uint64_t x;
	if (n < 8) {
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)s[i];
			if (c == '"' || c == '\\' || c < 0x20)
				return true;
		}
		return false;
	}
	for (size_t i = 0; i + 8 < n; i += 8) {
		memcpy(&x, s + i, 8);
		if (word_needs_escape(x))
			return true;
	}
	memcpy(&x, s + n - 8, 8);
	return word_needs_escape(x);
}

/* A quoted string, escaped as json_quoted_n() does (\" \\ and \u00XX below 0x20). */
static void jw_quoted(struct jw *w, const char *s, size_t n)
{
	if (!needs_escape(s, n)) { /* digits, names, most text: quotes around one copy */
		if ((size_t)(w->end - w->p) < n + 2) {
			w->full = true;
			return;
		}
		w->p[0] = '"';
		memcpy(w->p + 1, s, n);
		w->p[n + 1] = '"';
		w->p += n + 2;
		return;
	}
	jw_raw(w, "\"", 1);
	for (;;) {
		size_t run = first_escape(s, n); /* bytes that need no escaping, copied in one go */
		jw_raw(w, s, run);
		if (run == n)
			break;
		unsigned char c = (unsigned char)s[run];
		if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };
			jw_raw(w, e, 2);
		} else {
			static const char hex[16] = "0123456789abcdef";
			char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			jw_raw(w, e, 6);
		}
		s += run + 1;
		n -= run + 1;
	}
	jw_raw(w, "\"", 1);
}

/*
 * The message time as ss_time_format() writes it; the date and time of
 * day are kept from the previous call while the second is the same (a
 * capture has thousands of messages a second).
 */
static size_t jw_time_text(ss_time_us t, char *out, size_t size)
{
	static _Thread_local int64_t cached_sec = INT64_MIN;
	static _Thread_local char cached[20]; /* "YYYY-MM-DDTHH:MM:SS" */
	int64_t sec = t / SS_US_PER_SEC, us = t % SS_US_PER_SEC;
	if (us < 0) {
		us += SS_US_PER_SEC;
		sec--;
	}
	if (t < -(INT64_C(1) << 60) || t > (INT64_C(1) << 60)) { /* far outside any capture: no cache */
		int n = ss_time_format(t, out, size);
		return n > 0 ? (size_t)n : 0;
	}
	if (sec != cached_sec) {
		char full[40];
		int n = ss_time_format(sec * SS_US_PER_SEC, full, sizeof(full));
		if (n != 20) { /* outside years 0-9999: the general way, every time */
			n = ss_time_format(t, out, size);
			return n > 0 ? (size_t)n : 0;
		}
		memcpy(cached, full, 19);
		cached_sec = sec;
	}
	memcpy(out, cached, 19);
	size_t k = 19;
	if (us) {
		out[k++] = '.';
		for (int i = 5; i >= 0; i--, us /= 10)
			out[k + (size_t)i] = (char)('0' + us % 10);
		k += 6;
	}
	out[k++] = 'Z';
	out[k] = '\0';
	return k;
}

/* "key":"value" for a NUL-terminated field; skipped when empty (json_kv_str). */
#define JW_STR(w, key, value)                                                                      \
	do {                                                                                       \
		if ((value)[0]) {                                                                  \
			JW_KEY(w, key);                                                            \
			jw_quoted((w), (value), strnlen((value), sizeof(value)));                 \
		}                                                                                  \
	} while (0)
#define JW_INT(w, key, value)                                                                      \
	do {                                                                                       \
		JW_KEY(w, key);                                                                    \
		jw_int((w), (value));                                                              \
	} while (0)

/* A transaction id as "%08x". */
static void jw_tid(struct jw *w, uint32_t x)
{
	static const char hex[16] = "0123456789abcdef";
	char t[10];
	t[0] = t[9] = '"';
	for (int i = 8; i >= 1; i--, x >>= 4)
		t[i] = hex[x & 15];
	jw_raw(w, t, sizeof(t));
}

static void jw_number(struct jw *w, const char *quoted_key, size_t klen, const struct dec_number *n)
{
	if (!n->present)
		return;
	jw_key(w, quoted_key, klen);
	jw_quoted(w, n->digits, strnlen(n->digits, sizeof(n->digits)));
}
#define JW_NUMBER(w, key, n) jw_number((w), "\"" key "\":", sizeof("\"" key "\":") - 1, (n))

static void jw_sccp_addr(struct jw *w, const char *quoted_key, size_t klen, const struct dec_sccp_addr *a)
{
	if (!a->present)
		return;
	jw_key(w, quoted_key, klen);
	jw_open(w);
	if (a->has_pc)
		JW_INT(w, "pc", a->pc);
	if (a->has_ssn)
		JW_INT(w, "ssn", a->ssn);
	if (a->has_gt) {
		JW_INT(w, "gti", a->gti);
		JW_INT(w, "tt", a->tt);
		JW_INT(w, "np", a->np);
		JW_INT(w, "es", a->es);
		JW_INT(w, "nai", a->nai);
		JW_STR(w, "digits", a->digits);
	}
	jw_close(w);
}

static void jw_tcap(struct jw *w, const struct dec_message *m)
{
	JW_KEY(w, "tcap");
	jw_open(w);
	JW_STR(w, "type", m->tcap_type);
	if (m->has_otid) {
		JW_KEY(w, "otid");
		jw_tid(w, m->otid);
	}
	if (m->has_dtid) {
		JW_KEY(w, "dtid");
		jw_tid(w, m->dtid);
	}
	JW_STR(w, "acn", m->acn);
	if (m->map_version)
		JW_INT(w, "map_version", m->map_version);
	JW_STR(w, "component", m->component);
	if (m->invoke_id >= 0)
		JW_INT(w, "invoke_id", m->invoke_id);
	if (m->opcode >= 0)
		JW_INT(w, "opcode", m->opcode);
	if (m->error_code >= 0)
		JW_INT(w, "error_code", m->error_code);
	jw_close(w);
}

static void jw_sms(struct jw *w, const struct dec_message *m)
{
	static const char *const enc[] = { "\"gsm7\"", "\"8bit\"", "\"ucs2\"" };
	JW_KEY(w, "sms");
	jw_open(w);
	JW_STR(w, "tpdu", m->tpdu_type);
	JW_NUMBER(w, "originator", &m->sms_originator);
	JW_NUMBER(w, "destination", &m->sms_destination);
	JW_INT(w, "dcs", m->dcs);
	const char *e = enc[m->sms_encoding < 3 ? m->sms_encoding : 1];
	JW_KEY(w, "encoding");
	jw_raw(w, e, 6);
	if (m->has_concat) {
		JW_KEY(w, "concat");
		jw_open(w);
		JW_INT(w, "ref", m->concat_ref);
		JW_INT(w, "total", m->concat_total);
		JW_INT(w, "seq", m->concat_seq);
		jw_close(w);
	}
	JW_KEY(w, "complete");
	if (m->text_complete)
		JW_LIT(w, "true");
	else
		JW_LIT(w, "false");
	JW_KEY(w, "text");
	jw_quoted(w, m->text, m->text_len < DEC_TEXT_SIZE ? m->text_len : DEC_TEXT_SIZE);
	jw_close(w);
}

/* The rarer parts: Diameter, SIP, anomalies. */
static void jw_tail(struct jw *w, const struct dec_message *m)
{
	if (m->diameter_cmd) {
		JW_KEY(w, "diameter");
		jw_open(w);
		JW_INT(w, "command", m->diameter_cmd);
		JW_INT(w, "application", m->diameter_app);
		JW_KEY(w, "request");
		if (m->diameter_request)
			JW_LIT(w, "true");
		else
			JW_LIT(w, "false");
		jw_close(w);
	}
	if (m->sip_from[0] || m->sip_to[0] || m->call_id[0]) {
		JW_KEY(w, "sip");
		jw_open(w);
		JW_STR(w, "from", m->sip_from);
		JW_STR(w, "to", m->sip_to);
		JW_STR(w, "pai", m->sip_pai);
		JW_STR(w, "call_id", m->call_id);
		jw_close(w);
	}
	if (m->n_anomalies) {
		JW_KEY(w, "anomalies");
		jw_raw(w, "[", 1);
		for (int i = 0; i < m->n_anomalies && i < DEC_MAX_ANOMALIES; i++) {
			if (i)
				jw_raw(w, ",", 1);
			jw_quoted(w, m->anomalies[i], strnlen(m->anomalies[i], DEC_ANOMALY_SIZE));
		}
		jw_raw(w, "]", 1);
	}
}

int dec_message_json(const struct dec_message *m, char *buf, size_t size)
{
	char t[40];

	if (size == 0)
		return -SS_ETOOLONG;
	struct jw w = { buf, buf + size - 1, false, false };
	jw_open(&w);
	JW_KEY(&w, "frame");
	jw_uint(&w, m->frame);
	size_t tn = jw_time_text(m->time, t, sizeof(t));
	if (tn) {
		JW_KEY(&w, "time");
		jw_quoted(&w, t, tn);
	}
	if (m->stack[0]) {
		JW_KEY(&w, "stack");
		jw_quoted(&w, m->stack, m->stack_len < DEC_STACK_SIZE && !m->stack[m->stack_len]
						? m->stack_len : strnlen(m->stack, sizeof(m->stack)));
	}
	JW_STR(&w, "protocol", m->protocol);
	JW_STR(&w, "operation", m->operation);
	if (m->has_pc) {
		JW_INT(&w, "opc", m->opc);
		JW_INT(&w, "dpc", m->dpc);
		JW_INT(&w, "si", m->si);
	}
	if (m->sccp_type[0] || m->called.present || m->calling.present) {
		JW_KEY(&w, "sccp");
		jw_open(&w);
		JW_STR(&w, "type", m->sccp_type);
		jw_sccp_addr(&w, "\"called\":", sizeof("\"called\":") - 1, &m->called);
		jw_sccp_addr(&w, "\"calling\":", sizeof("\"calling\":") - 1, &m->calling);
		jw_close(&w);
	}
	if (m->tcap_type[0])
		jw_tcap(&w, m);
	JW_STR(&w, "imsi", m->imsi);
	JW_STR(&w, "imei", m->imei);
	JW_NUMBER(&w, "msisdn", &m->msisdn);
	JW_NUMBER(&w, "msc", &m->msc);
	JW_NUMBER(&w, "vlr", &m->vlr);
	JW_NUMBER(&w, "sgsn", &m->sgsn);
	JW_NUMBER(&w, "hlr", &m->hlr);
	JW_NUMBER(&w, "smsc", &m->smsc);
	JW_NUMBER(&w, "service_centre", &m->service_centre);
	JW_STR(&w, "visited_plmn", m->visited_plmn);
	JW_NUMBER(&w, "calling", &m->calling_number);
	JW_NUMBER(&w, "called", &m->called_number);
	if (m->has_sms)
		jw_sms(&w, m);
	if (!m->has_sms && m->text_len) {
		/* USSD strings (MAP processUnstructuredSS, TS 29.002 17.7.4). */
		JW_KEY(&w, "ussd");
		jw_quoted(&w, m->text, m->text_len < DEC_TEXT_SIZE ? m->text_len : DEC_TEXT_SIZE);
	}
	jw_tail(&w, m);
	jw_close(&w);
	if (w.full)
		return -SS_ETOOLONG;
	*w.p = '\0';
	return (int)(w.p - buf);
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
