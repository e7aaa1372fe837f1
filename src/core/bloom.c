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
	b->bits = calloc((size_t)(n / 64), sizeof(uint64_t));
	if (!b->bits)
		return -ENOMEM;
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
