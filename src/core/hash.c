/*
 * hash.c - 64-bit hash (see hash.h).
 *
 * 8 bytes at a time, each word mixed with two multiply-xorshift rounds; the
 * tail is read byte by byte so no read crosses the end of the buffer.
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
	uint64_t tail = 0;
	for (size_t i = 0; i < len; i++)
		tail |= (uint64_t)p[i] << (8 * i);
	return ss_hash_mix(h ^ tail ^ ((uint64_t)len << 56));
}

uint64_t ss_hash_str(const char *s, uint64_t seed)
{
	return ss_hash64(s, strlen(s), seed);
}
