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
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/*
 * zero() - clear @n bytes in 16-byte stores, four to an iteration (the
 * last overlapping).  The
 * compiler turns a constant memset() of a few hundred bytes - or a loop it
 * recognises as one - into "rep stosq", whose start-up costs more than the
 * whole clear here.  The empty asm makes the pointer opaque to the loop
 * optimiser, so the loop stays plain 16-byte stores.
 */
static inline void zero(void *p, size_t n)
{
	uint8_t *d = p;
	if (n < 16) {
		memset(d, 0, n);
		return;
	}
	uint8_t *last = d + n - 16;
	/* 64 bytes an iteration: the loop's own compare and branch were half its instructions. */
	for (; d + 64 <= last; d += 64) {
		memset(d, 0, 16);
		memset(d + 16, 0, 16);
		memset(d + 32, 0, 16);
		memset(d + 48, 0, 16);
		__asm__("" : "+r"(d));
	}
	for (; d < last; d += 16) {
		memset(d, 0, 16);
		__asm__("" : "+r"(d));
	}
	memset(last, 0, 16);
}

/* Zero the fields from @from up to (not including) @to. */
#define CLEAR_RANGE(m, from, to) \
	zero(&(m)->from, offsetof(struct dec_message, to) - offsetof(struct dec_message, from))

/*
 * The ranges below leave out exactly the string fields named there: field
 * @b must come right after field @a (alignment padding aside).
 */
#define END_OF(a) (offsetof(struct dec_message, a) + sizeof(((struct dec_message *)0)->a))
#define FOLLOWS(a, b) (offsetof(struct dec_message, b) >= END_OF(a) && offsetof(struct dec_message, b) < END_OF(a) + 8)
_Static_assert(FOLLOWS(frame, time) && FOLLOWS(time, stack) && FOLLOWS(stack, stack_len) &&
		       FOLLOWS(operation, has_pc) && FOLLOWS(acn, map_version) && FOLLOWS(text, text_len) &&
		       FOLLOWS(sip_from, sip_to) && FOLLOWS(sip_to, sip_pai) && FOLLOWS(sip_pai, call_id) &&
		       FOLLOWS(call_id, n_anomalies) && FOLLOWS(n_anomalies, anomalies),
	       "dec_message_init() clears by ranges between these fields");
#undef FOLLOWS
#undef END_OF

void dec_message_init(struct dec_message *m, uint64_t frame, ss_time_us time)
{
	/*
	 * Everything but the text fields that are only ever read as strings:
	 * the 1.6 KB SMS text (valid up to text_len), the anomaly strings
	 * (valid up to n_anomalies), the stack (up to stack_len), operation,
	 * ACN and the SIP headers get a NUL first byte.  Every writer of those
	 * ends what it writes with a NUL (ss7_set, snprintf, dec_stack_push,
	 * append_bounded ...).  This runs for every message: clearing all
	 * 3 KB, then the 1.1 KB outside text and anomalies, was a visible part
	 * of decoding time.
	 */
	m->frame = frame;
	m->time = time;
	m->stack[0] = '\0';
	CLEAR_RANGE(m, stack_len, operation);
	m->operation[0] = '\0';
	CLEAR_RANGE(m, has_pc, acn);
	m->acn[0] = '\0';
	CLEAR_RANGE(m, map_version, text);
	m->text[0] = '\0';
	CLEAR_RANGE(m, text_len, sip_from);
	m->sip_from[0] = m->sip_to[0] = m->sip_pai[0] = m->call_id[0] = '\0';
	m->n_anomalies = 0;
	m->anomalies[0][0] = '\0';
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
	size_t i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/*
	 * Four octets at a time while all eight nibbles are decimal digits
	 * (no filler) and they fit: each octet spread to a 16-bit lane, its
	 * low nibble in the first byte - the same bytes as the octet loop.
	 */
	const uint64_t low = UINT64_C(0x0f0f0f0f0f0f0f0f);
	for (; i + 4 <= len && n + 8 < size; i += 4) {
		uint32_t x32;
		memcpy(&x32, p + i, 4);
		uint64_t y = x32;
		y = (y | y << 16) & UINT64_C(0x0000ffff0000ffff);
		y = (y | y << 8) & UINT64_C(0x00ff00ff00ff00ff);
		uint64_t d = (y | y << 4) & low; /* low nibble, then high nibble, of each octet */
		if ((d + UINT64_C(0x7676767676767676)) & UINT64_C(0x8080808080808080))
			break; /* a nibble above 9: filler or *#abc, the octet loop decides */
		d += UINT64_C(0x3030303030303030);
		memcpy(out + n, &d, 8);
		n += 8;
	}
#endif
	for (; i < len; i++) {
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
 * known at compile time, numbers and hex ids are converted without printf,
 * strings are copied a word at a time while the same words are checked for
 * their NUL and for the characters RFC 8259 7 makes us escape.  The output
 * is byte for byte what json.c would write.
 *
 * Appends are not bounds-checked one by one: dec_message_json() writes
 * straight into the caller's buffer only when it holds JW_WORST bytes, and
 * into a thread-local buffer of that size otherwise (then copied when it
 * fits).  JW_WORST bounds any message: every string comes from a field of
 * struct dec_message, printed once (SMS text or USSD, never both), each of
 * its bytes at most 6 bytes out (\u00XX) plus quotes and up to 8 bytes a
 * word store may write past the string; the numbers (under 40 fields, at
 * most 21 characters each) and the key literals (about 1.5 KB with four
 * anomalies) fit in the 4 KiB on top of 8 bytes out per byte of the
 * struct.
 */
#define JW_WORST (8 * sizeof(struct dec_message) + 4096)

/*
 * Objects: jw_open() remembers where the object starts and writes nothing;
 * every key is written with its leading comma, and jw_close() turns the
 * first key's comma into the '{' (or writes "{}" for an empty object).
 */
#define JW_LIT(p, lit) (memcpy((p), (lit), sizeof(lit) - 1), (p) += sizeof(lit) - 1)
#define JW_KEY(p, key) JW_LIT(p, ",\"" key "\":")

static inline char *jw_close(char *p, char *start)
{
	if (p == start)
		*p++ = '{';
	else
		*start = '{';
	*p++ = '}';
	return p;
}

/* "00" to "99": two digits a lookup. */
static const char jw_pairs[201] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
				  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
				  "8081828384858687888990919293949596979899";

/* Numbers of three digits or more (jw_uint() inlines the shorter ones). */
static char *jw_uint_long(char *p, unsigned long long u)
{
	/* The digit count first, so the digits go straight to their place (no copy of variable length). */
	static const unsigned long long jw_pow10[20] = {
		1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL, 100000000ULL,
		1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL, 10000000000000ULL,
		100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
		1000000000000000000ULL, 10000000000000000000ULL,
	};
	unsigned n = 3; /* u >= 100 */
	while (n < 20 && u >= jw_pow10[n])
		n++;
	char *e = p + n;
	while (u >= 100) { /* two digits a division */
		unsigned d = (unsigned)(u % 100);
		u /= 100;
		e -= 2;
		memcpy(e, jw_pairs + 2 * d, 2);
	}
	if (u >= 10) {
		e -= 2;
		memcpy(e, jw_pairs + 2 * u, 2);
	} else {
		*--e = (char)('0' + u);
	}
	return p + n;
}

static inline char *jw_uint(char *p, unsigned long long u)
{
	if (u < 10) { /* SSNs, GT fields, SI ...: most numbers a message has */
		*p = (char)('0' + u);
		return p + 1;
	}
	if (u < 100) {
		memcpy(p, jw_pairs + 2 * u, 2);
		return p + 2;
	}
	return jw_uint_long(p, u);
}

static inline char *jw_int(char *p, long long v)
{
	if (v < 0) {
		*p++ = '-';
		return jw_uint(p, 0ULL - (unsigned long long)v);
	}
	return jw_uint(p, (unsigned long long)v);
}

/*
 * The bytes of @x below 0x20, '"' or '\\' (the bytes RFC 8259 7 makes us
 * escape; NUL among them) as their top bits.  A byte b is below c exactly
 * when (b - c) & ~b has its top bit set, for c <= 0x80 (for the zero test
 * of b ^ '"', c = 1); a borrow can only set a false top bit above a byte
 * that already matched, so the lowest bit set is always a true match.
 */
static inline uint64_t word_escapes(uint64_t x)
{
	const uint64_t ones = UINT64_C(0x0101010101010101), high = UINT64_C(0x8080808080808080);
	uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
	return (((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b)) & high;
}

#if defined(__SSE2__)
/*
 * The same test on 16 bytes with SSE2 (every x86-64 has it): a bit per
 * byte below 0x20 (unsigned: min(b, 0x1f) == b), '"' or '\\'.  Half the
 * instructions of two word_escapes(), and the JSON's strings are most of
 * its bytes.
 */
static inline unsigned vec_escapes(__m128i x)
{
	__m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1f)), x);
	__m128i q = _mm_cmpeq_epi8(x, _mm_set1_epi8('"'));
	__m128i b = _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'));
	return (unsigned)_mm_movemask_epi8(_mm_or_si128(ctl, _mm_or_si128(q, b)));
}
#endif

static inline bool byte_escapes(unsigned char c)
{
	return c == '"' || c == '\\' || c < 0x20;
}

/* @s[0..n) escaped as json_quoted_n() does (\" \\ and \u00XX below 0x20), without quotes. */
static char *jw_escaped(char *p, const char *s, size_t n)
{
	static const char hex[16] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!byte_escapes(c)) {
			*p++ = (char)c;
		} else if (c == '"' || c == '\\') {
			p[0] = '\\';
			p[1] = (char)c;
			p += 2;
		} else {
			memcpy(p, "\\u00", 4);
			p[4] = hex[c >> 4];
			p[5] = hex[c & 15];
			p += 6;
		}
	}
	return p;
}

/* A quoted string of known length: copied a word at a time (the last word overlapping) and checked. */
static char *jw_quoted(char *p, const char *s, size_t n)
{
	*p++ = '"';
#if defined(__SSE2__)
	if (n >= 16) {
		unsigned any = 0;
		size_t i = 0;
		for (; i + 16 < n; i += 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
			_mm_storeu_si128((__m128i *)(void *)(p + i), x);
			any |= vec_escapes(x);
		}
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + n - 16));
		_mm_storeu_si128((__m128i *)(void *)(p + n - 16), x);
		any |= vec_escapes(x);
		if (!any) {
			p[n] = '"';
			return p + n + 1;
		}
		p = jw_escaped(p, s, n);
		*p++ = '"';
		return p;
	}
#endif
	if (n >= 8) {
		uint64_t x, any = 0;
		size_t i = 0;
		for (; i + 8 < n; i += 8) {
			memcpy(&x, s + i, 8);
			memcpy(p + i, &x, 8);
			any |= word_escapes(x);
		}
		memcpy(&x, s + n - 8, 8);
		memcpy(p + n - 8, &x, 8);
		any |= word_escapes(x);
		if (!any) {
			p[n] = '"';
			return p + n + 1;
		}
	} else {
		size_t i = 0;
		for (; i < n && !byte_escapes((unsigned char)s[i]); i++)
			p[i] = s[i];
		if (i == n) {
			p[n] = '"';
			return p + n + 1;
		}
	}
	p = jw_escaped(p, s, n);
	*p++ = '"';
	return p;
}

/*
 * A NUL-terminated field of @size bytes (the NUL may be missing when the
 * field is full) quoted: each 16-byte block (SSE2), then word, is stored as
 * it is read, and the first flagged byte of a block ends the string when it
 * is the NUL; any other flagged byte sends the field to jw_escaped().
 */
static inline __attribute__((always_inline)) char *jw_field(char *p, const char *s, size_t size)
{
	size_t i = 0;
	*p++ = '"';
#if defined(__SSE2__)
	for (; i + 16 <= size; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		_mm_storeu_si128((__m128i *)(void *)(p + i), x);
		unsigned e = vec_escapes(x);
		if (e) {
			i += (size_t)__builtin_ctz(e);
			if (s[i] != '\0')
				goto slow;
			p[i] = '"';
			return p + i + 1;
		}
	}
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	for (; i + 8 <= size; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, 8);
		memcpy(p + i, &x, 8);
		uint64_t e = word_escapes(x);
		if (e) {
			i += (size_t)__builtin_ctzll(e) / 8;
			if (s[i] != '\0')
				goto slow;
			p[i] = '"';
			return p + i + 1;
		}
	}
#endif
	for (; i < size && s[i]; i++) {
		if (byte_escapes((unsigned char)s[i]))
			goto slow;
		p[i] = s[i];
	}
	p[i] = '"';
	return p + i + 1;
slow:
	p = jw_escaped(p, s, strnlen(s, size));
	*p++ = '"';
	return p;
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
		/* Six digits as three pairs: one division a pair instead of one a digit. */
		unsigned u = (unsigned)us, hi = u / 10000, mid = u / 100 % 100, lo = u % 100;
		out[k++] = '.';
		memcpy(out + k, jw_pairs + 2 * hi, 2);
		memcpy(out + k + 2, jw_pairs + 2 * mid, 2);
		memcpy(out + k + 4, jw_pairs + 2 * lo, 2);
		k += 6;
	}
	out[k++] = 'Z';
	out[k] = '\0';
	return k;
}

/* ,"key":"value" for a NUL-terminated array field; skipped when empty (json_kv_str). */
#define JW_STR(p, key, value)                                                                      \
	do {                                                                                       \
		if ((value)[0]) {                                                                  \
			JW_KEY(p, key);                                                            \
			(p) = jw_field((p), (value), sizeof(value));                               \
		}                                                                                  \
	} while (0)
#define JW_INT(p, key, value)                                                                      \
	do {                                                                                       \
		JW_KEY(p, key);                                                                    \
		(p) = jw_int((p), (value));                                                        \
	} while (0)
#define JW_NUMBER(p, key, n)                                                                       \
	do {                                                                                       \
		if ((n)->present) {                                                                \
			JW_KEY(p, key);                                                            \
			(p) = jw_field((p), (n)->digits, sizeof((n)->digits));                     \
		}                                                                                  \
	} while (0)

/* A transaction id as "%08x". */
static inline char *jw_tid(char *p, uint32_t x)
{
	/*
	 * All eight digits at once: spread the nibbles to one a byte (most
	 * significant first in memory), then add '0' or 'a' - 10 by whether
	 * each is above 9 (a nibble + 6 carries into bit 4 exactly then).
	 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t v = x;
	v = (v | v << 16) & UINT64_C(0x0000ffff0000ffff);
	v = (v | v << 8) & UINT64_C(0x00ff00ff00ff00ff);
	v = (v | v << 4) & UINT64_C(0x0f0f0f0f0f0f0f0f);
	uint64_t above9 = ((v + UINT64_C(0x0606060606060606)) >> 4) & UINT64_C(0x0101010101010101);
	v += UINT64_C(0x3030303030303030) + above9 * ('a' - '0' - 10);
	v = __builtin_bswap64(v); /* first digit, the top nibble, at the lowest address */
	p[0] = '"';
	memcpy(p + 1, &v, 8);
	p[9] = '"';
	return p + 10;
#else
	static const char hex[16] = "0123456789abcdef";
	p[0] = p[9] = '"';
	for (int i = 8; i >= 1; i--, x >>= 4)
		p[i] = hex[x & 15];
	return p + 10;
#endif
}

static char *jw_sccp_addr(char *p, const struct dec_sccp_addr *a)
{
	char *o = p;
	if (a->has_pc)
		JW_INT(p, "pc", a->pc);
	if (a->has_ssn)
		JW_INT(p, "ssn", a->ssn);
	if (a->has_gt) {
		JW_INT(p, "gti", a->gti);
		JW_INT(p, "tt", a->tt);
		JW_INT(p, "np", a->np);
		JW_INT(p, "es", a->es);
		JW_INT(p, "nai", a->nai);
		JW_STR(p, "digits", a->digits);
	}
	return jw_close(p, o);
}

/*
 * The SCCP part: the message type and both addresses, as JSON.  A link
 * carries the same few address pairs (HLR, MSC, SMSC global titles, each
 * way) in message after message, so the text of recent pairs is kept by
 * its source fields - sccp_type, called and calling, one block of the
 * message (asserted below) - in a small direct-mapped table per thread: a
 * hit is a compare of that block and a copy of the text, instead of some
 * twenty keys and numbers written one by one.  The text is a function of
 * the block alone, so a hit writes exactly what jw_sccp_text() would.
 */
#define JW_SCCP_SLOTS 64 /* power of two */
#define JW_SCCP_TEXT 320 /* longer texts (long GTs, point codes) are not kept */
#define JW_SCCP_FROM offsetof(struct dec_message, sccp_type)
#define JW_SCCP_LEN (offsetof(struct dec_message, calling) + sizeof(struct dec_sccp_addr) - JW_SCCP_FROM)
_Static_assert(offsetof(struct dec_message, called) > JW_SCCP_FROM &&
		       offsetof(struct dec_message, calling) > offsetof(struct dec_message, called),
	       "sccp_type, called, calling in this order: the cache key is the block they span");

static char *jw_sccp_text(char *p, const struct dec_message *m)
{
	JW_KEY(p, "sccp");
	char *o = p;
	JW_STR(p, "type", m->sccp_type);
	if (m->called.present) {
		JW_KEY(p, "called");
		p = jw_sccp_addr(p, &m->called);
	}
	if (m->calling.present) {
		JW_KEY(p, "calling");
		p = jw_sccp_addr(p, &m->calling);
	}
	return jw_close(p, o);
}

static char *jw_sccp(char *p, const struct dec_message *m)
{
	static _Thread_local struct {
		uint16_t len; /* 0: empty */
		char key[JW_SCCP_LEN];
		char text[JW_SCCP_TEXT];
	} cache[JW_SCCP_SLOTS];
	const char *key = (const char *)m + JW_SCCP_FROM;
	/* The digits' tails tell the pairs apart; the SSNs tell the directions apart. */
	uint64_t a, b;
	memcpy(&a, m->called.digits + 5, 8);
	memcpy(&b, m->calling.digits + 5, 8);
	uint64_t h = (a * UINT64_C(0x9e3779b97f4a7c15)) ^ (b * UINT64_C(0xbf58476d1ce4e5b9)) ^
		     ((uint64_t)m->called.ssn << 8 | m->calling.ssn);
	unsigned i = (unsigned)((h * UINT64_C(0x94d049bb133111eb)) >> 58);
	_Static_assert(JW_SCCP_SLOTS == 64, "the index is the top six bits");
	if (cache[i].len && memcmp(cache[i].key, key, JW_SCCP_LEN) == 0) {
		memcpy(p, cache[i].text, cache[i].len);
		return p + cache[i].len;
	}
	char *end = jw_sccp_text(p, m);
	size_t n = (size_t)(end - p);
	if (n <= JW_SCCP_TEXT) {
		memcpy(cache[i].key, key, JW_SCCP_LEN);
		memcpy(cache[i].text, p, n);
		cache[i].len = (uint16_t)n;
	}
	return end;
}

static char *jw_tcap(char *p, const struct dec_message *m)
{
	JW_KEY(p, "tcap");
	char *o = p;
	JW_STR(p, "type", m->tcap_type);
	if (m->has_otid) {
		JW_KEY(p, "otid");
		p = jw_tid(p, m->otid);
	}
	if (m->has_dtid) {
		JW_KEY(p, "dtid");
		p = jw_tid(p, m->dtid);
	}
	JW_STR(p, "acn", m->acn);
	if (m->map_version)
		JW_INT(p, "map_version", m->map_version);
	JW_STR(p, "component", m->component);
	if (m->invoke_id >= 0)
		JW_INT(p, "invoke_id", m->invoke_id);
	if (m->opcode >= 0)
		JW_INT(p, "opcode", m->opcode);
	if (m->error_code >= 0)
		JW_INT(p, "error_code", m->error_code);
	return jw_close(p, o);
}

static char *jw_sms(char *p, const struct dec_message *m)
{
	static const char *const enc[] = { "\"gsm7\"", "\"8bit\"", "\"ucs2\"" };
	JW_KEY(p, "sms");
	char *o = p;
	JW_STR(p, "tpdu", m->tpdu_type);
	JW_NUMBER(p, "originator", &m->sms_originator);
	JW_NUMBER(p, "destination", &m->sms_destination);
	JW_INT(p, "dcs", m->dcs);
	JW_KEY(p, "encoding");
	memcpy(p, enc[m->sms_encoding < 3 ? m->sms_encoding : 1], 6);
	p += 6;
	if (m->has_concat) {
		JW_KEY(p, "concat");
		char *c = p;
		JW_INT(p, "ref", m->concat_ref);
		JW_INT(p, "total", m->concat_total);
		JW_INT(p, "seq", m->concat_seq);
		p = jw_close(p, c);
	}
	JW_KEY(p, "complete");
	if (m->text_complete)
		JW_LIT(p, "true");
	else
		JW_LIT(p, "false");
	JW_KEY(p, "text");
	p = jw_quoted(p, m->text, m->text_len < DEC_TEXT_SIZE ? m->text_len : DEC_TEXT_SIZE);
	return jw_close(p, o);
}

/* The rarer parts: Diameter, SIP, anomalies. */
static char *jw_tail(char *p, const struct dec_message *m)
{
	if (m->diameter_cmd) {
		JW_KEY(p, "diameter");
		char *o = p;
		JW_INT(p, "command", m->diameter_cmd);
		JW_INT(p, "application", m->diameter_app);
		JW_KEY(p, "request");
		if (m->diameter_request)
			JW_LIT(p, "true");
		else
			JW_LIT(p, "false");
		p = jw_close(p, o);
	}
	if (m->sip_from[0] || m->sip_to[0] || m->call_id[0]) {
		JW_KEY(p, "sip");
		char *o = p;
		JW_STR(p, "from", m->sip_from);
		JW_STR(p, "to", m->sip_to);
		JW_STR(p, "pai", m->sip_pai);
		JW_STR(p, "call_id", m->call_id);
		p = jw_close(p, o);
	}
	if (m->n_anomalies) {
		JW_KEY(p, "anomalies");
		*p++ = '[';
		for (int i = 0; i < m->n_anomalies && i < DEC_MAX_ANOMALIES; i++) {
			if (i)
				*p++ = ',';
			p = jw_field(p, m->anomalies[i], DEC_ANOMALY_SIZE);
		}
		*p++ = ']';
	}
	return p;
}

/* The message into @buf, which holds JW_WORST bytes; returns the end. */
static char *jw_message(char *p, const struct dec_message *m)
{
	char t[40];

	JW_LIT(p, "{\"frame\":");
	p = jw_uint(p, m->frame);
	size_t tn = jw_time_text(m->time, t, sizeof(t));
	if (tn) {
		JW_KEY(p, "time");
		p = jw_quoted(p, t, tn);
	}
	if (m->stack[0]) {
		JW_KEY(p, "stack");
		if (m->stack_len < DEC_STACK_SIZE && !m->stack[m->stack_len])
			p = jw_quoted(p, m->stack, m->stack_len);
		else
			p = jw_field(p, m->stack, sizeof(m->stack));
	}
	JW_STR(p, "protocol", m->protocol);
	JW_STR(p, "operation", m->operation);
	if (m->has_pc) {
		JW_INT(p, "opc", m->opc);
		JW_INT(p, "dpc", m->dpc);
		JW_INT(p, "si", m->si);
	}
	if (m->sccp_type[0] || m->called.present || m->calling.present)
		p = jw_sccp(p, m);
	if (m->tcap_type[0])
		p = jw_tcap(p, m);
	JW_STR(p, "imsi", m->imsi);
	JW_STR(p, "imei", m->imei);
	JW_NUMBER(p, "msisdn", &m->msisdn);
	JW_NUMBER(p, "msc", &m->msc);
	JW_NUMBER(p, "vlr", &m->vlr);
	JW_NUMBER(p, "sgsn", &m->sgsn);
	JW_NUMBER(p, "hlr", &m->hlr);
	JW_NUMBER(p, "smsc", &m->smsc);
	JW_NUMBER(p, "service_centre", &m->service_centre);
	JW_STR(p, "visited_plmn", m->visited_plmn);
	JW_NUMBER(p, "calling", &m->calling_number);
	JW_NUMBER(p, "called", &m->called_number);
	if (m->has_sms)
		p = jw_sms(p, m);
	if (!m->has_sms && m->text_len) {
		/* USSD strings (MAP processUnstructuredSS, TS 29.002 17.7.4). */
		JW_KEY(p, "ussd");
		p = jw_quoted(p, m->text, m->text_len < DEC_TEXT_SIZE ? m->text_len : DEC_TEXT_SIZE);
	}
	p = jw_tail(p, m);
	*p++ = '}';
	return p;
}

int dec_message_json(const struct dec_message *m, char *buf, size_t size)
{
	static _Thread_local char spare[JW_WORST];

	if (size > JW_WORST) {
		char *end = jw_message(buf, m);
		*end = '\0';
		return (int)(end - buf);
	}
	size_t n = (size_t)(jw_message(spare, m) - spare);
	if (n >= size)
		return -SS_ETOOLONG;
	memcpy(buf, spare, n);
	buf[n] = '\0';
	return (int)n;
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
