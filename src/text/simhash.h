/*
 * simhash.h - 64-bit SimHash fingerprints of normalised SMS texts, for
 * grouping near-duplicate messages into campaigns (docs/detect-scam-sms.md).
 *
 * Features are the overlapping 3-grams of code points of the text (one
 * slot token - a link, a phone number - is one code point, so a campaign
 * whose messages differ only in their numbers and links has identical
 * features; the slot types are folded into one, since 12345 is a
 * <phone> and 99881 a <number>, and so are the digits of the short
 * numbers that stay text).  Each feature's 64-bit hash votes +1/-1 on every bit; the
 * fingerprint keeps the bits with a positive total.  Texts that share most
 * of their 3-grams have fingerprints a few bits apart (Hamming distance),
 * unrelated texts about 32 bits apart.
 *
 * Pure functions: no allocation, no state, thread-safe.
 */
#ifndef SS_TEXT_SIMHASH_H
#define SS_TEXT_SIMHASH_H

#include <stddef.h>
#include <stdint.h>

/*
 * text_simhash() - the fingerprint of @len bytes of UTF-8 at @text (meant
 * for text_normalize(TEXT_NORM_ALL) output; invalid bytes count as one code
 * point each).  *@n_cp (may be NULL) gets the number of code points.
 * Texts of fewer than 3 code points hash their code points one by one.
 */
uint64_t text_simhash(const char *text, size_t len, size_t *n_cp);

/* text_hamming() - bits in which two fingerprints differ (0..64). */
static inline int text_hamming(uint64_t a, uint64_t b)
{
	return __builtin_popcountll(a ^ b);
}

#endif
