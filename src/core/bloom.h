/*
 * bloom.h - a plain Bloom filter over 64-bit hashes: fixed memory, no false
 * negatives, a tunable false-positive rate.  Used where a detector needs
 * "have I seen this pair/subject?" for traffic-sized sets whose exact form
 * would cost memory per subscriber (scam_sms's sender->recipient pairs).
 *
 * Probes: double hashing from the one 64-bit hash (Kirsch & Mitzenmacher,
 * "Less hashing, same performance", 2006): probe i is h + i * h2.  With m
 * bits, n entries and k probes the false-positive rate is about
 * (1 - e^(-kn/m))^k: 8 bits an entry and 3 probes ~3 %, 16 and 4 ~0.2 %.
 *
 * Ownership: the filter owns its bit array.  Not thread-safe.
 */
#ifndef SS_CORE_BLOOM_H
#define SS_CORE_BLOOM_H

#include "core/hash.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ss_bloom {
	uint64_t *bits;
	uint64_t mask;	  /* number of bits - 1 (a power of two) */
	uint64_t entries; /* adds that set at least one new bit */
	unsigned probes;
};

/*
 * ss_bloom_init() - a filter of at least @nbits bits (rounded up to a power
 * of two, at least 512) with @probes (1-8) probes.  0 or -ENOMEM / -EINVAL.
 */
int ss_bloom_init(struct ss_bloom *b, uint64_t nbits, unsigned probes);
void ss_bloom_free(struct ss_bloom *b);
void ss_bloom_clear(struct ss_bloom *b);

/* ss_bloom_bytes() - memory held by the bit array. */
static inline size_t ss_bloom_bytes(const struct ss_bloom *b)
{
	return b->bits ? (size_t)((b->mask + 1) / 8) : 0;
}

static inline bool ss_bloom_has(const struct ss_bloom *b, uint64_t h)
{
	if (!b->bits)
		return false;
	uint64_t h2 = ss_hash_mix(h) | 1;
	for (unsigned i = 0; i < b->probes; i++) {
		uint64_t x = (h + i * h2) & b->mask;
		if (!(b->bits[x >> 6] & (UINT64_C(1) << (x & 63))))
			return false;
	}
	return true;
}

/* ss_bloom_add() - add @h; true when it was (probably) present already. */
static inline bool ss_bloom_add(struct ss_bloom *b, uint64_t h)
{
	if (!b->bits)
		return false;
	uint64_t h2 = ss_hash_mix(h) | 1;
	bool present = true;
	for (unsigned i = 0; i < b->probes; i++) {
		uint64_t x = (h + i * h2) & b->mask;
		uint64_t bit = UINT64_C(1) << (x & 63);
		if (!(b->bits[x >> 6] & bit)) {
			present = false;
			b->bits[x >> 6] |= bit;
		}
	}
	if (!present)
		b->entries++;
	return present;
}

#endif
