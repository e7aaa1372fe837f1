/* slotix.c - building and growing 4-byte-slot indexes (see slotix.h). */
#include "core/slotix.h"

#include <errno.h>
#include <stdlib.h>

void ss_slotix_put_hashed(struct ss_slotix *ix, uint64_t h, uint32_t idx)
{
	uint32_t i = ss_slotix_home(ix, h);

	while (ix->slot[i])
		if (++i == ix->size)
			i = 0;
	ix->slot[i] = (idx + 1) | ss_slotix_tag(h);
	ix->n++;
}

int ss_slotix_build(struct ss_slotix *ix, const void *base, size_t stride, uint32_t n, uint64_t expect)
{
	if (n == 0) {
		ss_slotix_free(ix);
		return 0;
	}
	if (n > SS_SLOTIX_MAX)
		return -ENOMEM;
	uint64_t size = expect * 10 / 7 + 16;
	if (size < (uint64_t)n * 4 / 3 + 2)
		size = (uint64_t)n * 4 / 3 + 2;
	if (size > UINT32_MAX)
		return -ENOMEM;
	uint32_t *slot = calloc((size_t)size, sizeof(*slot));
	if (!slot)
		return -ENOMEM;
	free(ix->slot);
	ix->slot = slot;
	ix->size = (uint32_t)size;
	ix->n = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t k = ss_slotix_key_at(base, stride, i);
		if (k)
			ss_slotix_put_hashed(ix, ss_hash_mix(k), i);
	}
	return 0;
}

int ss_slotix_add(struct ss_slotix *ix, const void *base, size_t stride, uint32_t idx, uint32_t n)
{
	if (idx >= n || idx >= SS_SLOTIX_MAX)
		return -ENOMEM;
	/* Above a 0.75 load, rebuild for 30 % growth. */
	if (!ix->slot || ((uint64_t)ix->n + 1) * 4 > (uint64_t)ix->size * 3)
		return ss_slotix_build(ix, base, stride, n, (uint64_t)(ix->n + 1) * 13 / 10);
	ss_slotix_put_hashed(ix, ss_hash_mix(ss_slotix_key_at(base, stride, idx)), idx);
	return 0;
}

void ss_slotix_free(struct ss_slotix *ix)
{
	free(ix->slot);
	memset(ix, 0, sizeof(*ix));
}
