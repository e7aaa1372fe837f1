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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* ss_idmap_get() - true and *@value when @key is present. */
bool ss_idmap_get(const struct ss_idmap *m, uint64_t key, uint32_t *value);

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

#endif
