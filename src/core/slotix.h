/*
 * slotix.h - an index of 4-byte slots over the caller's own array of
 * records whose 64-bit key sits at a fixed offset: the records hold the
 * keys, the index only "index + 1 | tag".  Per-subscriber tables (the
 * SIM-box detector's SIMs and IMEIs, the shared SIM profiles) are most of
 * the engine's memory, and an ss_idmap slot (16 bytes, key and value) costs
 * four times as much as this one.
 *
 * Open addressing with linear probing; the low SS_SLOTIX_BITS of a slot
 * hold index + 1 (0 = empty), the top bits a tag from the key's hash, so a
 * probe rarely touches a record that is not the one looked for (each touch
 * is a cache miss at scale).  Any size, not a power of two: the home slot is
 * (hash32 * size) >> 32, so the table is sized to a 0.6-0.75 load.
 *
 * Insert-only: records are never removed one by one; the owner compacts
 * its array and rebuilds (ss_slotix_build).  Keys are never 0 (0 = a record
 * without this key, skipped by build).  The index owns its slot array only.
 * Not thread-safe.
 */
#ifndef SS_CORE_SLOTIX_H
#define SS_CORE_SLOTIX_H

#include "core/hash.h"
#include "core/prefetch.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SS_SLOTIX_BITS 26
#define SS_SLOTIX_MAX ((UINT32_C(1) << SS_SLOTIX_BITS) - 2) /* most records per index */
#define SS_SLOTIX_IDX ((UINT32_C(1) << SS_SLOTIX_BITS) - 1)
#define SS_SLOTIX_NONE UINT32_MAX

struct ss_slotix {
	uint32_t *slot;
	uint32_t size; /* 0 when slot == NULL */
	uint32_t n;
};

/* The key of record @i: 8 bytes at base + i * stride (base points at the first record's key). */
static inline uint64_t ss_slotix_key_at(const void *base, size_t stride, uint32_t i)
{
	uint64_t k;
	memcpy(&k, (const char *)base + (size_t)i * stride, sizeof(k));
	return k;
}

static inline uint32_t ss_slotix_home(const struct ss_slotix *ix, uint64_t h)
{
	return (uint32_t)(((h >> 32) * ix->size) >> 32);
}

/* From the hash's low bits: the home slot uses the high ones, so neighbours differ in tag. */
static inline uint32_t ss_slotix_tag(uint64_t h)
{
	return (uint32_t)h << SS_SLOTIX_BITS;
}

/* ss_slotix_find() - the index of the record with @key, or SS_SLOTIX_NONE. */
static inline uint32_t ss_slotix_find(const struct ss_slotix *ix, const void *base, size_t stride, uint64_t key)
{
	if (!ix->slot)
		return SS_SLOTIX_NONE;
	uint64_t h = ss_hash_mix(key);
	uint32_t tag = ss_slotix_tag(h);
	for (uint32_t i = ss_slotix_home(ix, h);;) {
		uint32_t s = ix->slot[i];
		if (s == 0)
			return SS_SLOTIX_NONE;
		if ((s & ~SS_SLOTIX_IDX) == tag && ss_slotix_key_at(base, stride, (s & SS_SLOTIX_IDX) - 1) == key)
			return (s & SS_SLOTIX_IDX) - 1;
		if (++i == ix->size)
			i = 0;
	}
}

/* ss_slotix_prefetch() - start loading the home slot of @key. */
static inline void ss_slotix_prefetch(const struct ss_slotix *ix, uint64_t key)
{
	if (ix->slot)
		ss_prefetch(&ix->slot[ss_slotix_home(ix, ss_hash_mix(key))]);
}

/*
 * ss_slotix_probe() - the record the home slot of @key names when its tag
 * matches, else SS_SLOTIX_NONE: a guess for prefetching (the record's key
 * is not compared, so no record line is touched; a key that probed past
 * its home slot is missed).
 */
static inline uint32_t ss_slotix_probe(const struct ss_slotix *ix, uint64_t key)
{
	if (!ix->slot)
		return SS_SLOTIX_NONE;
	uint64_t h = ss_hash_mix(key);
	uint32_t s = ix->slot[ss_slotix_home(ix, h)];
	return s != 0 && (s & ~SS_SLOTIX_IDX) == ss_slotix_tag(h) ? (s & SS_SLOTIX_IDX) - 1 : SS_SLOTIX_NONE;
}

/*
 * ss_slotix_put_hashed() - insert record @idx whose key hashes (ss_hash_mix)
 * to @h, without a load check: the caller sized the table (build / add).
 * For indexes whose keys are derived from the record rather than stored.
 */
void ss_slotix_put_hashed(struct ss_slotix *ix, uint64_t h, uint32_t idx);

/*
 * ss_slotix_build() - index records [0, n) (zero keys skipped) in a table
 * sized for @expect keys at a 0.7 load.  0 or -ENOMEM (the old table kept).
 */
int ss_slotix_build(struct ss_slotix *ix, const void *base, size_t stride, uint32_t n, uint64_t expect);

/*
 * ss_slotix_add() - index record @idx (its key is set); above a 0.75 load
 * the table is rebuilt over records [0, @n) for 30 % growth.  0 or -ENOMEM.
 */
int ss_slotix_add(struct ss_slotix *ix, const void *base, size_t stride, uint32_t idx, uint32_t n);

void ss_slotix_free(struct ss_slotix *ix);

static inline size_t ss_slotix_bytes(const struct ss_slotix *ix)
{
	return (size_t)ix->size * sizeof(uint32_t);
}

#endif
