/* idmap.c - open-addressing 64-bit -> 32-bit map (see idmap.h). */
#include "core/idmap.h"

#include "core/hash.h"
#include "core/prefetch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define IDMAP_MIN 64

void ss_idmap_init(struct ss_idmap *m)
{
	memset(m, 0, sizeof(*m));
}

void ss_idmap_free(struct ss_idmap *m)
{
	if (!m)
		return;
	free(m->slot);
	memset(m, 0, sizeof(*m));
}

static inline size_t home(const struct ss_idmap *m, uint64_t key)
{
	return (size_t)ss_hash_mix(key) & m->mask;
}

static void insert_fresh(struct ss_idmap *m, uint64_t key, uint32_t value)
{
	size_t i = home(m, key);
	while (m->slot[i].key)
		i = (i + 1) & m->mask;
	m->slot[i].key = key;
	m->slot[i].value = value;
}

static int grow(struct ss_idmap *m)
{
	size_t cap = m->mask ? (m->mask + 1) * 2 : IDMAP_MIN;
	struct ss_idmap_slot *old = m->slot;
	size_t old_cap = m->mask ? m->mask + 1 : 0;
	struct ss_idmap_slot *slot = calloc(cap, sizeof(*slot));

	if (!slot)
		return -ENOMEM;
	m->slot = slot;
	m->mask = cap - 1;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].key)
			insert_fresh(m, old[i].key, old[i].value);
	free(old);
	return 0;
}

int ss_idmap_put(struct ss_idmap *m, uint64_t key, uint32_t value)
{
	if (key == 0)
		return -EINVAL;
	if (m->slot) {
		for (size_t i = home(m, key);; i = (i + 1) & m->mask) {
			struct ss_idmap_slot *s = &m->slot[i];
			if (s->key == key) {
				s->value = value;
				return 0;
			}
			if (s->key == 0)
				break;
		}
	}
	if (!m->slot || (m->n + 1) * 10 > (m->mask + 1) * 7) {
		int rc = grow(m);
		if (rc)
			return rc;
	}
	insert_fresh(m, key, value);
	m->n++;
	return 0;
}

bool ss_idmap_del(struct ss_idmap *m, uint64_t key)
{
	size_t i;

	if (!m->slot || key == 0)
		return false;
	for (i = home(m, key);; i = (i + 1) & m->mask) {
		if (m->slot[i].key == key)
			break;
		if (m->slot[i].key == 0)
			return false;
	}
	/* Backward-shift deletion (Knuth 6.4 algorithm R): no tombstones. */
	size_t j = i;
	for (;;) {
		j = (j + 1) & m->mask;
		if (m->slot[j].key == 0)
			break;
		size_t h = home(m, m->slot[j].key);
		/* Move j back to i unless its home lies cyclically in (i, j]. */
		bool stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
		if (stays)
			continue;
		m->slot[i] = m->slot[j];
		i = j;
	}
	m->slot[i].key = 0;
	m->slot[i].value = 0;
	m->n--;
	return true;
}

void ss_idmap_prefetch(const struct ss_idmap *m, uint64_t key)
{
	if (m->slot)
		ss_prefetch(&m->slot[home(m, key)]);
}

size_t ss_idmap_bytes(const struct ss_idmap *m)
{
	return m->slot ? (m->mask + 1) * sizeof(*m->slot) : 0;
}

uint64_t ss_idmap_key_n(const char *id, size_t len, unsigned ns)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0)
		return 0;
	if (len <= 15) {
		for (i = 0; i < len; i++) {
			unsigned d = (unsigned char)id[i] - '0';
			if (d > 9)
				break;
			v = v * 10 + d;
		}
		/*
		 * 10^15 < 2^50: bits 0-49 the value, 50-54 the length (so "007"
		 * and "7" differ), 55-58 the namespace, 62 marks "packed".
		 */
		if (i == len)
			return (UINT64_C(1) << 62) | ((uint64_t)(ns & 15) << 55) | ((uint64_t)len << 50) | v;
	}
	uint64_t h = ss_hash64(id, len, UINT64_C(0x1d4a9) + ns);
	/* Hashed keys have bit 62 clear, so they never equal a packed one. */
	h &= ~(UINT64_C(1) << 62);
	return h ? h : 1;
}

uint64_t ss_idmap_key(const char *id, unsigned ns)
{
	return ss_idmap_key_n(id, strlen(id), ns);
}
