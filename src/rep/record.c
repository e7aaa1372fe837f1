/*
 * record.c - the reputation record's stored form, subject keys and JSON.
 *
 * Implements the pure (LMDB-free) half of rep/rep.h: the versioned
 * little-endian value layout documented there (never the raw struct, whose
 * padding and byte order are the compiler's business), the subject syntax
 * of docs/reputation.md, and the JSON object that `simsieve rep get` and
 * `rep export` print.
 */
#include "rep/rep.h"

#include "core/err.h"
#include "detect/detect.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- little-endian helpers (memcpy keeps them alignment-safe) ---------- */

static inline void put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void put_u32(uint8_t *p, uint32_t v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(p, &v, 4);
#else
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
#endif
}

static inline void put_u64(uint8_t *p, uint64_t v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(p, &v, 8);
#else
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
#endif
}

static inline uint16_t get_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t get_u32(const uint8_t *p)
{
	uint32_t v;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(&v, p, 4);
#else
	v = 0;
	for (int i = 3; i >= 0; i--)
		v = (v << 8) | p[i];
#endif
	return v;
}

static inline uint64_t get_u64(const uint8_t *p)
{
	uint64_t v;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(&v, p, 8);
#else
	v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
#endif
	return v;
}

/* ---- value encoding ----------------------------------------------------- */

size_t rep_record_encode(const struct rep_record *rec, uint8_t *buf)
{
	uint32_t score_bits;
	size_t n = strnlen(rec->list_source, REP_SOURCE_SIZE - 1);

	memcpy(&score_bits, &rec->score, 4);
	buf[0] = REP_RECORD_VERSION;
	buf[1] = rec->list;
	buf[2] = rec->last_action;
	buf[3] = (uint8_t)n;
	put_u16(buf + 4, rec->flags);
	put_u16(buf + 6, 0);
	put_u32(buf + 8, score_bits);
	put_u32(buf + 12, rec->events);
	put_u32(buf + 16, rec->actions);
	put_u32(buf + 20, 0);
	put_u64(buf + 24, (uint64_t)rec->score_time);
	put_u64(buf + 32, rec->reasons);
	put_u64(buf + 40, (uint64_t)rec->first_seen);
	put_u64(buf + 48, (uint64_t)rec->last_seen);
	put_u64(buf + 56, (uint64_t)rec->last_action_time);
	put_u64(buf + 64, rec->last_action_id);
	put_u64(buf + 72, (uint64_t)rec->list_time);
	memcpy(buf + REP_RECORD_FIXED, rec->list_source, n);
	return REP_RECORD_FIXED + n;
}

int rep_record_decode(const void *data, size_t len, struct rep_record *out)
{
	const uint8_t *buf = data;
	uint32_t score_bits;
	size_t n;

	if (len < REP_RECORD_FIXED || buf[0] != REP_RECORD_VERSION)
		return -SS_EPARSE;
	n = buf[3];
	/* Longer values are tolerated: a later minor revision may append fields. */
	if (n >= REP_SOURCE_SIZE || len < REP_RECORD_FIXED + n)
		return -SS_EPARSE;
	score_bits = get_u32(buf + 8);
	memcpy(&out->score, &score_bits, 4);
	out->list = buf[1];
	out->last_action = buf[2];
	out->flags = get_u16(buf + 4);
	out->events = get_u32(buf + 12);
	out->actions = get_u32(buf + 16);
	out->score_time = (ss_time_us)get_u64(buf + 24);
	out->reasons = get_u64(buf + 32);
	out->first_seen = (ss_time_us)get_u64(buf + 40);
	out->last_seen = (ss_time_us)get_u64(buf + 48);
	out->last_action_time = (ss_time_us)get_u64(buf + 56);
	out->last_action_id = get_u64(buf + 64);
	out->list_time = (ss_time_us)get_u64(buf + 72);
	memcpy(out->list_source, buf + REP_RECORD_FIXED, n);
	memset(out->list_source + n, 0, REP_SOURCE_SIZE - n);
	return 0;
}

/* ---- names -------------------------------------------------------------- */

static const struct {
	enum rep_key_type type;
	const char *name;
} key_types[] = {
	{ REP_KEY_MSISDN, "msisdn" }, { REP_KEY_IMSI, "imsi" },	  { REP_KEY_IMEI, "imei" },
	{ REP_KEY_IDDOC, "iddoc" },   { REP_KEY_CHANNEL, "channel" }, { REP_KEY_OUTLET, "outlet" },
	{ REP_KEY_URL, "url" },
};

#define N_KEY_TYPES (sizeof(key_types) / sizeof(key_types[0]))

const char *rep_key_type_name(enum rep_key_type type)
{
	for (size_t i = 0; i < N_KEY_TYPES; i++)
		if (key_types[i].type == type)
			return key_types[i].name;
	return "?";
}

int rep_key_type_parse(const char *name, enum rep_key_type *out)
{
	for (size_t i = 0; i < N_KEY_TYPES; i++)
		if (strcmp(key_types[i].name, name) == 0) {
			*out = key_types[i].type;
			return 0;
		}
	return -SS_EPARSE;
}

static const char *const list_names[] = { "none", "white", "gray", "black" };

const char *rep_list_name(enum rep_list list)
{
	return (unsigned)list < 4 ? list_names[list] : "?";
}

int rep_list_parse(const char *text, size_t len, enum rep_list *out)
{
	for (unsigned i = 0; i < 4; i++)
		if (strlen(list_names[i]) == len && memcmp(list_names[i], text, len) == 0) {
			*out = (enum rep_list)i;
			return 0;
		}
	/* "grey" is how half our operators spell it. */
	if (len == 4 && memcmp(text, "grey", 4) == 0) {
		*out = REP_LIST_GRAY;
		return 0;
	}
	return -SS_EPARSE;
}

const char *rep_action_name(enum rep_action_kind kind)
{
	static const char *const names[] = { "none",	 "monitor", "limit",
					     "reverify", "block",   "release" };
	return (unsigned)kind < 6 ? names[kind] : "?";
}

/* ---- subjects ------------------------------------------------------------ */

static bool all_digits(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* Printable ASCII without space, comma, quote or backslash: safe in CSV,
 * JSON and logs without quoting, and what real codes and URLs look like. */
static bool all_token(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c >= 0x7f || c == ',' || c == '"' || c == '\\')
			return false;
	}
	return true;
}

static bool prefix_ci(const char *s, size_t len, const char *p, size_t plen)
{
	if (len < plen)
		return false;
	for (size_t i = 0; i < plen; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != p[i])
			return false;
	}
	return true;
}

int rep_key_parse_n(const char *s, size_t len, enum rep_key_type *type, char *id, size_t *id_len)
{
	enum rep_key_type t = REP_KEY_MSISDN;

	/* Bare numbers (the bulk of every list) are MSISDNs; the '+' is
	 * stripped in the MSISDN case below. */
	if (len == 0 || s[0] == '+' || (s[0] >= '0' && s[0] <= '9')) {
		t = REP_KEY_MSISDN;
	} else {
		const char *colon = memchr(s, ':', len);
		size_t plen;
		size_t i;

		if (!colon)
			return -SS_EPARSE;
		plen = (size_t)(colon - s);
		for (i = 0; i < N_KEY_TYPES; i++)
			if (strlen(key_types[i].name) == plen &&
			    prefix_ci(s, len, key_types[i].name, plen))
				break;
		if (i == N_KEY_TYPES)
			return -SS_EPARSE;
		t = key_types[i].type;
		s += plen + 1;
		len -= plen + 1;
	}

	switch (t) {
	case REP_KEY_MSISDN:
		if (len > 0 && s[0] == '+') {
			s++;
			len--;
		}
		if (len == 0 || !all_digits(s, len))
			return -SS_EPARSE;
		if (len > 15) /* E.164 */
			return -SS_ETOOLONG;
		break;
	case REP_KEY_IMSI:
		if (len < 6 || !all_digits(s, len))
			return -SS_EPARSE;
		if (len > 15) /* TS 23.003: at most 15 digits */
			return -SS_ETOOLONG;
		break;
	case REP_KEY_IMEI:
		/* 14 (no check digit), 15 (IMEI) or 16 (IMEISV) digits */
		if (len < 14 || len > 16 || !all_digits(s, len))
			return -SS_EPARSE;
		break;
	case REP_KEY_IDDOC:
		if (len == 0)
			return -SS_EPARSE;
		for (size_t i = 0; i < len; i++) {
			char c = s[i];
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
			      (c >= 'A' && c <= 'F')))
				return -SS_EPARSE;
		}
		break;
	case REP_KEY_CHANNEL:
	case REP_KEY_OUTLET:
	case REP_KEY_URL:
		if (len == 0 || !all_token(s, len))
			return -SS_EPARSE;
		break;
	}
	if (len > REP_ID_SIZE - 1)
		return -SS_ETOOLONG;
	if (t == REP_KEY_IDDOC) {
		/* Keyed hashes compare case-insensitively: store lower case. */
		for (size_t i = 0; i < len; i++)
			id[i] = (s[i] >= 'A' && s[i] <= 'F') ? (char)(s[i] - 'A' + 'a') : s[i];
	} else {
		memcpy(id, s, len);
	}
	id[len] = '\0';
	*type = t;
	if (id_len)
		*id_len = len;
	return 0;
}

int rep_key_parse(const char *text, enum rep_key_type *type, char *id)
{
	return rep_key_parse_n(text, strlen(text), type, id, NULL);
}

/* ---- JSON ------------------------------------------------------------------ */

struct jbuf {
	char *p;
	size_t size, len;
	bool overflow;
};

static void jb_raw(struct jbuf *b, const char *s, size_t n)
{
	if (b->len + n >= b->size) {
		b->overflow = true;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void jb_str(struct jbuf *b, const char *s)
{
	jb_raw(b, s, strlen(s));
}

__attribute__((format(printf, 2, 3))) static void jb_fmt(struct jbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->size - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->size - b->len) {
		b->overflow = true;
		b->p[b->len] = '\0';
		return;
	}
	b->len += (size_t)n;
}

/* Length of a valid UTF-8 sequence at @s (max @n bytes), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t need;
	uint32_t cp;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	need = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (n < need)
		return 0;
	cp = s[0] & (0x7f >> need);
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((need == 3 && cp < 0x800) || (need == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need;
}

/* A JSON string; invalid UTF-8 bytes become U+FFFD rather than bad JSON. */
static void jb_qstr(struct jbuf *b, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;

	jb_raw(b, "\"", 1);
	for (size_t i = 0; i < n && !b->overflow; i++) {
		unsigned char c = s[i];
		if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };
			jb_raw(b, e, 2);
		} else if (c < 0x20) {
			jb_fmt(b, "\\u%04x", c);
		} else if (c < 0x80) {
			jb_raw(b, (const char *)&s[i], 1);
		} else {
			size_t k = utf8_seq(s + i, n - i);
			if (k == 0) {
				jb_str(b, "\\ufffd");
			} else {
				jb_raw(b, (const char *)&s[i], k);
				i += k - 1;
			}
		}
	}
	jb_raw(b, "\"", 1);
}

static void jb_time(struct jbuf *b, const char *key, ss_time_us t)
{
	char tb[40];

	jb_fmt(b, ",\"%s\":", key);
	if (t == 0 || ss_time_format(t, tb, sizeof(tb)) < 0)
		jb_str(b, "null");
	else
		jb_fmt(b, "\"%s\"", tb);
}

int rep_record_json(const struct rep *rep, enum rep_key_type type, const char *id,
		    const struct rep_record *rec, ss_time_us now, char *buf, size_t size)
{
	struct jbuf b = { buf, size, 0, false };
	const char *tname = rep_key_type_name(type);
	size_t idlen = strnlen(id, REP_ID_SIZE - 1);
	double score = rep_score_now(rep, rec, now);
	char num[32];
	char subject[16 + REP_ID_SIZE];
	bool first = true;

	if (size == 0)
		return -SS_ETOOLONG;
	buf[0] = '\0';
	snprintf(subject, sizeof(subject), "%s:%.*s", tname, (int)idlen, id);
	jb_str(&b, "{\"subject\":");
	jb_qstr(&b, subject, strlen(subject));
	jb_fmt(&b, ",\"type\":\"%s\",\"id\":", tname);
	jb_qstr(&b, id, idlen);
	jb_fmt(&b, ",\"list\":\"%s\",\"list_source\":", rep_list_name((enum rep_list)rec->list));
	jb_qstr(&b, rec->list_source, strnlen(rec->list_source, REP_SOURCE_SIZE - 1));
	jb_time(&b, "list_time", rec->list_time);

	/* Two decimals are plenty for a 0..100 score; drop trailing zeros. */
	if (!isfinite(score))
		score = 0;
	snprintf(num, sizeof(num), "%.2f", score);
	{
		size_t l = strlen(num);
		while (l > 1 && num[l - 1] == '0')
			num[--l] = '\0';
		if (num[l - 1] == '.')
			num[--l] = '\0';
	}
	jb_fmt(&b, ",\"score\":%s,\"reasons\":[", num);
	for (int bit = 0; bit < 64; bit++) {
		const char *code;
		if (!(rec->reasons & (UINT64_C(1) << bit)))
			continue;
		code = det_reason_code(bit);
		if (code)
			jb_fmt(&b, "%s\"%s\"", first ? "" : ",", code);
		else
			jb_fmt(&b, "%s\"unknown.bit%d\"", first ? "" : ",", bit);
		first = false;
	}
	jb_str(&b, "]");
	jb_time(&b, "first_seen", rec->first_seen);
	jb_time(&b, "last_seen", rec->last_seen);
	if (rec->last_action == REP_ACTION_NONE)
		jb_str(&b, ",\"last_action\":null");
	else
		jb_fmt(&b, ",\"last_action\":\"%s\"",
		       rep_action_name((enum rep_action_kind)rec->last_action));
	jb_time(&b, "last_action_time", rec->last_action_time);
	if (rec->last_action_id)
		jb_fmt(&b, ",\"last_action_id\":\"%016" PRIx64 "\"", rec->last_action_id);
	else
		jb_str(&b, ",\"last_action_id\":null");
	if (rec->flags & REP_FLAG_SHADOW_ACTION)
		jb_str(&b, ",\"last_action_shadow\":true");
	jb_fmt(&b, ",\"events\":%" PRIu32 ",\"actions\":%" PRIu32 "}", rec->events, rec->actions);
	if (b.overflow)
		return -SS_ETOOLONG;
	return (int)b.len;
}
