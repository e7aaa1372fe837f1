/* bloom.c - Bloom filter allocation (see bloom.h; the probes are inline). */
#include "core/bloom.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int ss_bloom_init(struct ss_bloom *b, uint64_t nbits, unsigned probes)
{
	memset(b, 0, sizeof(*b));
	if (probes < 1 || probes > 8 || nbits > (UINT64_C(1) << 40))
		return -EINVAL;
	uint64_t n = 512;
	while (n < nbits)
		n <<= 1;
	/* One block is one cache line only when the array starts on one. */
	b->bits = aligned_alloc(64, (size_t)(n / 8));
	if (!b->bits)
		return -ENOMEM;
	memset(b->bits, 0, (size_t)(n / 8));
	b->mask = n - 1;
	b->probes = probes;
	return 0;
}

void ss_bloom_free(struct ss_bloom *b)
{
	free(b->bits);
	memset(b, 0, sizeof(*b));
}

void ss_bloom_clear(struct ss_bloom *b)
{
	if (b->bits)
		memset(b->bits, 0, (size_t)((b->mask + 1) / 8));
	b->entries = 0;
}
