/*
 * hash.h - fast non-cryptographic 64-bit hashing for hash tables, stable
 * action ids and de-duplication keys.  Not for anything an attacker must not
 * be able to forge or invert (ID documents use a keyed cryptographic hash).
 *
 * The function is fixed (its output is persisted in action ids): changing it
 * changes every id, so it must not change.
 */
#ifndef SS_CORE_HASH_H
#define SS_CORE_HASH_H

#include <stddef.h>
#include <stdint.h>

/* ss_hash64() - hash @len bytes of @data with @seed. */
uint64_t ss_hash64(const void *data, size_t len, uint64_t seed);

/* ss_hash_mix() - finalise/mix one 64-bit value (splitmix64 finaliser). */
static inline uint64_t ss_hash_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	x ^= x >> 31;
	return x;
}

/* ss_hash_str() - hash a NUL-terminated string. */
uint64_t ss_hash_str(const char *s, uint64_t seed);

#endif
