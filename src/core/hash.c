/*
 * hash.c - 64-bit hash (see hash.h).
 *
 * 8 bytes at a time, each word mixed with two multiply-xorshift rounds; the
 * tail is read with overlapping loads that never cross the end of the
 * buffer (the value is the byte-by-byte one: hashes are persisted).
 */
#include "core/hash.h"

#include <string.h>

uint64_t ss_hash64(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ (UINT64_C(0x9e3779b97f4a7c15) * (len + 1));

	while (len >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = ss_hash_mix(h ^ w) + UINT64_C(0x9e3779b97f4a7c15);
		p += 8;
		len -= 8;
	}
	/*
	 * The last len (< 8) bytes as a little-endian word, without a byte loop
	 * (most keys are 11-20 byte numbers and ids): the same value as
	 * assembling them one by one - overlapping loads put every byte at its
	 * own position, and OR-ing a byte with itself changes nothing.  No load
	 * reaches outside [data, data + total length).
	 */
	uint64_t tail = 0;
	if (len > 0 && p != (const unsigned char *)data) {
		uint64_t w; /* the whole input was >= 8 bytes: the last 8 end where ours end */
		memcpy(&w, p + len - 8, 8);
		tail = w >> (8 * (8 - len));
	} else if (len >= 4) {
		uint32_t lo, hi;
		memcpy(&lo, p, 4);
		memcpy(&hi, p + len - 4, 4);
		tail = (uint64_t)lo | ((uint64_t)hi << (8 * (len - 4)));
	} else if (len > 0) {
		tail = (uint64_t)p[0] | ((uint64_t)p[len / 2] << (8 * (len / 2))) | ((uint64_t)p[len - 1] << (8 * (len - 1)));
	}
	return ss_hash_mix(h ^ tail ^ ((uint64_t)len << 56));
}

uint64_t ss_hash_str(const char *s, uint64_t seed)
{
	return ss_hash64(s, strlen(s), seed);
}
