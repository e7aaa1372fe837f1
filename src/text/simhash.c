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

uint64_t text_simhash(const char *text, size_t len, size_t *n_cp)
{
	const unsigned char *p = (const unsigned char *)text, *end = p + len;
	int32_t v[64] = { 0 };
	uint32_t w[3] = { 0, 0, 0 };
	size_t n = 0, features = 0;

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
		uint64_t f = ss_hash_mix(((uint64_t)w[0] << 42) ^ ((uint64_t)w[1] << 21) ^ w[2] ^
					 UINT64_C(0x5b3a9c1d00000000));
		features++;
		for (int b = 0; b < 64; b++)
			v[b] += (int32_t)((f >> b) & 1) * 2 - 1;
	}
	if (features == 0) {
		/* Fewer than 3 code points: the code points themselves. */
		for (size_t i = 3 - n; i < 3; i++) {
			uint64_t f = ss_hash_mix(w[i] ^ UINT64_C(0x77e1000000000000));
			for (int b = 0; b < 64; b++)
				v[b] += (int32_t)((f >> b) & 1) * 2 - 1;
		}
	}
	uint64_t h = 0;
	for (int b = 0; b < 64; b++)
		if (v[b] > 0)
			h |= UINT64_C(1) << b;
	if (n_cp)
		*n_cp = n;
	return h;
}
