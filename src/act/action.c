/*
 * action.c - action ids and the JSON Lines encoding of ../shared/spec/action.md.
 */
#include "act/act.h"

#include "core/err.h"
#include "core/hash.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *act_kind_name(enum rep_action_kind kind)
{
	switch (kind) {
	case REP_ACTION_MONITOR:
		return "monitor";
	case REP_ACTION_LIMIT:
		return "limit";
	case REP_ACTION_REVERIFY:
		return "reverify";
	case REP_ACTION_BLOCK:
		return "block";
	case REP_ACTION_RELEASE:
		return "release";
	default:
		return "none";
	}
}

uint64_t act_action_id(const struct act_action *a)
{
	/*
	 * Only inputs that are the same when the same decision is taken again
	 * (same data, restarted process): never emitted_at, never counters.
	 */
	uint64_t h = ss_hash_str(a->subject.msisdn, UINT64_C(0x51a5e0001));
	h = ss_hash_str(a->subject.imsi, h);
	h = ss_hash_str(a->subject.imei, h);
	h = ss_hash_str(a->family ? a->family : "", h);
	h = ss_hash_str(act_kind_name(a->kind), h);
	return ss_hash64(&a->event_time, sizeof(a->event_time), h);
}

/* JSON writer over a fixed buffer: sticky overflow flag, checked once at the end. */
struct json_buf {
	char *p;
	size_t len, size;
	bool overflow;
};

static void jb_raw(struct json_buf *b, const char *s, size_t n)
{
	if (b->overflow || b->len + n >= b->size) {
		b->overflow = true;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void jb_str(struct json_buf *b, const char *s)
{
	jb_raw(b, s, strlen(s));
}

/* RFC 8259 string escaping; bytes >= 0x80 pass through (input is UTF-8). */
static void jb_quoted(struct json_buf *b, const char *s)
{
	jb_raw(b, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };
			jb_raw(b, e, 2);
		} else if (c < 0x20) {
			char e[8];
			int n = snprintf(e, sizeof(e), "\\u%04x", c);
			jb_raw(b, e, (size_t)n);
		} else {
			jb_raw(b, s, 1);
		}
	}
	jb_raw(b, "\"", 1);
}

static void jb_fmt(struct json_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void jb_fmt(struct json_buf *b, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		b->overflow = true;
		return;
	}
	jb_raw(b, tmp, (size_t)n);
}

static const char *strength_name(enum det_strength s)
{
	switch (s) {
	case DET_STRUCTURAL:
		return "structural";
	case DET_BEHAVIOURAL:
		return "behavioural";
	default:
		return "weak";
	}
}

int act_action_json(const struct act_action *a, char *buf, size_t size)
{
	struct json_buf b = { buf, 0, size, false };
	char t[40];

	if (size == 0)
		return -SS_ETOOLONG;
	buf[0] = '\0';
	jb_fmt(&b, "{\"id\":\"%016llx\",\"action\":", (unsigned long long)a->id);
	jb_quoted(&b, act_kind_name(a->kind));
	jb_str(&b, a->shadow ? ",\"mode\":\"shadow\"" : ",\"mode\":\"enforce\"");
	ss_time_format(a->event_time, t, sizeof(t));
	jb_str(&b, ",\"event_time\":");
	jb_quoted(&b, t);
	ss_time_format(a->emitted_at - a->emitted_at % SS_US_PER_SEC, t, sizeof(t));
	jb_str(&b, ",\"emitted_at\":");
	jb_quoted(&b, t);
	jb_str(&b, ",\"subject\":{");
	bool first = true;
	const struct {
		const char *key, *value;
	} ids[] = { { "msisdn", a->subject.msisdn }, { "imsi", a->subject.imsi }, { "imei", a->subject.imei } };
	for (size_t i = 0; i < 3; i++) {
		if (!ids[i].value[0])
			continue;
		if (!first)
			jb_raw(&b, ",", 1);
		first = false;
		jb_quoted(&b, ids[i].key);
		jb_raw(&b, ":", 1);
		jb_quoted(&b, ids[i].value);
	}
	jb_fmt(&b, "},\"score\":%d,\"reasons\":[", a->score);
	for (int i = 0; i < a->n_reasons; i++) {
		if (i)
			jb_raw(&b, ",", 1);
		jb_str(&b, "{\"code\":");
		jb_quoted(&b, a->reasons[i].code);
		jb_str(&b, ",\"detail\":");
		jb_quoted(&b, a->reasons[i].detail);
		jb_raw(&b, "}", 1);
	}
	jb_str(&b, "],\"family\":");
	jb_quoted(&b, a->family ? a->family : "");
	jb_str(&b, ",\"strength\":");
	jb_quoted(&b, strength_name(a->strength));
	if (a->group)
		jb_fmt(&b, ",\"group\":\"%llu\"", (unsigned long long)a->group);
	if (a->evidence_record[0]) {
		jb_str(&b, ",\"evidence_record\":");
		jb_quoted(&b, a->evidence_record);
	}
	jb_raw(&b, "}", 1);
	if (b.overflow)
		return -SS_ETOOLONG;
	return (int)b.len;
}
