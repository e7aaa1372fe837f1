/*
 * simhash.c - SimHash over code-point 3-grams (see simhash.h).
 *
 * Why 3-grams of code points: Chinese has no spaces, so words are not
 * available without a segmenter; character 3-grams capture local word
 * order and are robust to a changed word here and there (one substituted
 * character changes 3 of ~n features).  Measured on the scenario grammar
 * (docs/detect-scam-sms.md): variants of one template are 0-6 bits apart,
 * different templates 20-40.
 */
#include "text/simhash.h"

#include "core/hash.h"

#include <string.h>

/* Decode one code point at @p (< end); invalid bytes count as themselves. */
static uint32_t next_cp(const unsigned char **pp, const unsigned char *end)
{
	const unsigned char *p = *pp;
	uint32_t c = *p++;
	int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
	if (more) {
		c &= 0x3fu >> more;
		while (more-- && p < end && (*p & 0xc0) == 0x80)
			c = (c << 6) | (*p++ & 0x3fu);
	}
	*pp = p;
	return c;
}

/* spread[b]: byte b as eight one-byte lanes (bit i -> byte i = 1). */
static uint64_t spread[256];
static void spread_init(void)
{
	for (int b = 0; b < 256; b++) {
		uint64_t v = 0;
		for (int i = 0; i < 8; i++)
			if (b & (1 << i))
				v |= UINT64_C(1) << (8 * i);
		spread[b] = v;
	}
}

/* Count the ones of each bit of @f: eight byte lanes per word, flushed before they overflow. */
struct votes {
	uint64_t lane[8];
	uint32_t ones[64];
	uint32_t pending, total;
};

static inline void vote(struct votes *v, uint64_t f)
{
	for (int j = 0; j < 8; j++)
		v->lane[j] += spread[(f >> (8 * j)) & 0xff];
	v->total++;
	if (++v->pending == 255) {
		for (int j = 0; j < 8; j++) {
			for (int i = 0; i < 8; i++)
				v->ones[8 * j + i] += (uint32_t)((v->lane[j] >> (8 * i)) & 0xff);
			v->lane[j] = 0;
		}
		v->pending = 0;
	}
}

uint64_t text_simhash(const char *text, size_t len, size_t *n_cp)
{
	const unsigned char *p = (const unsigned char *)text, *end = p + len;
	struct votes v;
	uint32_t w[3] = { 0, 0, 0 };
	size_t n = 0;

	if (!spread[1])
		spread_init(); /* idempotent: concurrent first calls write the same values */
	memset(&v, 0, sizeof(v));
	while (p < end) {
		w[0] = w[1];
		w[1] = w[2];
		w[2] = next_cp(&p, end);
		if (w[2] > 0xe000 && w[2] <= 0xe0ff)
			w[2] = 0xe000; /* every slot token alike: 12345 may be a <phone>, 99881 a <number> */
		else if (w[2] >= '0' && w[2] <= '9')
			w[2] = '0'; /* short numbers stay text ("剩余71天"): all digits alike */
		n++;
		if (n < 3)
			continue;
		vote(&v, ss_hash_mix(((uint64_t)w[0] << 42) ^ ((uint64_t)w[1] << 21) ^ w[2] ^
				     UINT64_C(0x5b3a9c1d00000000)));
	}
	if (v.total == 0) /* fewer than 3 code points: the code points themselves */
		for (size_t i = 3 - n; i < 3; i++)
			vote(&v, ss_hash_mix(w[i] ^ UINT64_C(0x77e1000000000000)));
	for (int j = 0; j < 8; j++)
		for (int i = 0; i < 8; i++)
			v.ones[8 * j + i] += (uint32_t)((v.lane[j] >> (8 * i)) & 0xff);
	uint64_t h = 0;
	for (int b = 0; b < 64; b++)
		if (2 * v.ones[b] > v.total) /* more +1 than -1 votes */
			h |= UINT64_C(1) << b;
	if (n_cp)
		*n_cp = n;
	return h;
}
