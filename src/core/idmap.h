/*
 * idmap.h - a compact open-addressing map from 64-bit keys to 32-bit values,
 * for detectors' per-subject state: the value is usually an index into the
 * caller's own dense array of records, so the map itself stays 16 bytes a
 * slot and a lookup touches one cache line in the common case.
 *
 * Keys: any 64-bit value except 0 (reserved for empty slots; ss_idmap_key()
 * never returns it).  Identities are packed, not hashed, when they are short
 * digit strings, so two different numbers can never share a key; longer or
 * non-digit identities fall back to a 64-bit hash (collisions are then
 * possible but ~2^-64 per pair).
 *
 * Linear probing with backward-shift deletion (no tombstones); the table
 * doubles at 70 % load.  Ownership: the map owns its slot array only.
 * Not thread-safe.
 */
#ifndef SS_CORE_IDMAP_H
#define SS_CORE_IDMAP_H

#include "core/hash.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct ss_idmap_slot {
	uint64_t key; /* 0 = empty */
	uint32_t value;
	uint32_t pad;
};

struct ss_idmap {
	struct ss_idmap_slot *slot;
	size_t mask; /* capacity - 1 (power of two); 0 when empty */
	size_t n;
};

/* ss_idmap_init() - an empty map (no allocation until the first put). */
void ss_idmap_init(struct ss_idmap *m);
void ss_idmap_free(struct ss_idmap *m);

/* ss_idmap_get() - true and *@value when @key is present.  Inline: every detector probes per event. */
static inline bool ss_idmap_get(const struct ss_idmap *m, uint64_t key, uint32_t *value)
{
	if (!m->slot || key == 0)
		return false;
	for (size_t i = (size_t)ss_hash_mix(key) & m->mask;; i = (i + 1) & m->mask) {
		const struct ss_idmap_slot *s = &m->slot[i];
		if (s->key == key) {
			if (value)
				*value = s->value;
			return true;
		}
		if (s->key == 0)
			return false;
	}
}

/* ss_idmap_put() - insert or replace.  0 or -ENOMEM. */
int ss_idmap_put(struct ss_idmap *m, uint64_t key, uint32_t value);

/* ss_idmap_del() - remove; true if it was present. */
bool ss_idmap_del(struct ss_idmap *m, uint64_t key);

/* ss_idmap_prefetch() - start loading @key's home slot. */
void ss_idmap_prefetch(const struct ss_idmap *m, uint64_t key);

/* ss_idmap_bytes() - memory held by the slot array. */
size_t ss_idmap_bytes(const struct ss_idmap *m);

/*
 * ss_idmap_key() - the key of an identity string (MSISDN, IMSI, IMEI,
 * outlet code...) within a namespace @ns (0-15, so an MSISDN and an IMSI with
 * the same digits differ).  Pure digit strings of up to 15 digits are packed
 * exactly (length and value); anything else is hashed.  "" gives 0 (= no key).
 */
uint64_t ss_idmap_key(const char *id, unsigned ns);

/* ss_idmap_key_n() - the same for @len bytes (need not be NUL-terminated). */
uint64_t ss_idmap_key_n(const char *id, size_t len, unsigned ns);

/*
 * ss_idmap_key16() - a key for an identity held in a 16-byte field (an
 * event's or a subject's MSISDN / IMSI: at most 15 characters and a NUL),
 * for per-event lookups: the bytes up to the NUL as two words, mixed - no
 * strlen, no digit loop, about 20 instructions.  Unlike ss_idmap_key() the
 * key is a hash (two identities share it only on a 64-bit collision) and
 * differs from ss_idmap_key()'s for the same string: a map must use one or
 * the other.  @id must have 16 readable bytes; the bytes after its NUL are
 * ignored.  "" gives 0 (= no key).
 */
static inline uint64_t ss_idmap_key16(const char *id, unsigned ns)
{
	uint64_t w[2];
	__builtin_memcpy(w, id, 16);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t lo = UINT64_C(0x0101010101010101), hi = UINT64_C(0x8080808080808080);
	uint64_t z0 = (w[0] - lo) & ~w[0] & hi, z1 = (w[1] - lo) & ~w[1] & hi;
	if (z0) {
		/* The lowest flagged byte is the first NUL (higher flags may be false). */
		unsigned nul = (unsigned)__builtin_ctzll(z0) >> 3;
		if (nul == 0)
			return 0;
		w[0] &= ~UINT64_C(0) >> (64 - 8 * nul);
		w[1] = 0;
	} else if (z1) {
		unsigned nul = (unsigned)__builtin_ctzll(z1) >> 3;
		w[1] = nul ? w[1] & (~UINT64_C(0) >> (64 - 8 * nul)) : 0;
	}
#else
	size_t n = 0;
	while (n < 16 && id[n])
		n++;
	if (n == 0)
		return 0;
	w[0] = w[1] = 0;
	__builtin_memcpy(w, id, n);
#endif
	uint64_t x = ss_hash_mix(w[0] ^ ss_hash_mix(w[1] + ns) ^ ((uint64_t)ns << 60));
	return x ? x : 1;
}

/*
 * ss_idmap_key_party() - the key of a party number in a buffer of at least
 * 16 readable bytes (an event's other_party, a normalised sender):
 * ss_idmap_key16() when it is shorter than 16 characters (nearly always),
 * else ss_idmap_key().
 */
static inline uint64_t ss_idmap_key_party(const char *id, unsigned ns)
{
	return strnlen(id, 16) < 16 ? ss_idmap_key16(id, ns) : ss_idmap_key(id, ns);
}

#endif
