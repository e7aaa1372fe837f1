/* profile.c - shared SIM profiles (see profile.h). */
#include "detect/profile.h"

#include "core/hash.h"
#include "core/idmap.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* idmap namespaces: an IMSI and an MSISDN with equal digits are different SIMs. */
#define NS_IMSI 1
#define NS_MSISDN 2

/*
 * The key of an identity of at most 15 characters (every IMSI and MSISDN
 * an event carries): its bytes as two words, mixed.  This runs for every
 * event, so it avoids ss_idmap_key()'s digit-by-digit packing; two
 * identities share a key only on a 64-bit hash collision (~2^-64 a pair),
 * which at worst merges two SIMs' profiles.
 */
static inline uint64_t profile_key(const char *id, unsigned ns)
{
	uint64_t w[2] = { 0, 0 };
	size_t n = strnlen(id, 16);
	memcpy(w, id, n);
	uint64_t k = ss_hash_mix(w[0] ^ ss_hash_mix(w[1] + ns) ^ ((uint64_t)ns << 60));
	return k ? k : 1;
}

/* Which identities of an entry are in the index (so a known SIM costs one probe). */
#define LINK_IMSI 1u
#define LINK_MSISDN 2u

struct det_profile {
	struct det_profile_entry *entry;
	uint8_t *linked; /* LINK_* per entry */
	size_t n, cap;
	struct ss_idmap by_imsi, by_msisdn;
	ss_time_us observed_since;
	/*
	 * The current event's entry: every detector asks for it, then
	 * det_profile_observe() folds the event in.  Cached by the event's
	 * address, valid until observe() or mark() (the engine hands each
	 * event to all detectors, then observes it, before the next one).
	 * Logically const: lookups through a const profile fill it.
	 */
	const struct event *cache_ev;
	uint32_t cache_idx; /* UINT32_MAX: the SIM has no entry */
};

int det_profile_open(struct det_profile **out)
{
	struct det_profile *p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	ss_idmap_init(&p->by_imsi);
	ss_idmap_init(&p->by_msisdn);
	*out = p;
	return 0;
}

void det_profile_close(struct det_profile *p)
{
	if (!p)
		return;
	ss_idmap_free(&p->by_imsi);
	ss_idmap_free(&p->by_msisdn);
	free(p->entry);
	free(p->linked);
	free(p);
}

static int find_index(const struct det_profile *p, uint64_t ki, uint64_t km, uint32_t *idx)
{
	if (ki && ss_idmap_get(&p->by_imsi, ki, idx))
		return 0;
	if (km && ss_idmap_get(&p->by_msisdn, km, idx))
		return 0;
	return -1;
}

const struct det_profile_entry *det_profile_find(const struct det_profile *p, const char *imsi,
						 const char *msisdn)
{
	uint64_t ki = imsi && imsi[0] ? profile_key(imsi, NS_IMSI) : 0;
	uint64_t km = msisdn && msisdn[0] ? profile_key(msisdn, NS_MSISDN) : 0;
	uint32_t idx;

	if (!p || find_index(p, ki, km, &idx))
		return NULL;
	return &p->entry[idx];
}

const struct det_profile_entry *det_profile_of(const struct det_profile *p, const struct event *ev)
{
	if (!p)
		return NULL;
	if (p->cache_ev != ev) {
		uint64_t ki = ev->imsi[0] ? profile_key(ev->imsi, NS_IMSI) : 0;
		uint64_t km = ki == 0 && ev->msisdn[0] ? profile_key(ev->msisdn, NS_MSISDN) : 0;
		uint32_t idx;
		if (find_index(p, ki, km, &idx)) {
			/* An IMSI not linked yet may still be known by its MSISDN. */
			if (!ki || !ev->msisdn[0] ||
			    !ss_idmap_get(&p->by_msisdn, profile_key(ev->msisdn, NS_MSISDN), &idx))
				idx = UINT32_MAX;
		}
		struct det_profile *mp = (struct det_profile *)p; /* the cache only */
		mp->cache_ev = ev;
		mp->cache_idx = idx;
	}
	return p->cache_idx == UINT32_MAX ? NULL : &p->entry[p->cache_idx];
}

/* The entry for (imsi, msisdn), created when missing; both identities linked. */
static struct det_profile_entry *get_or_add(struct det_profile *p, const char *imsi, const char *msisdn,
					    uint32_t known_idx)
{
	uint64_t ki = imsi && imsi[0] ? profile_key(imsi, NS_IMSI) : 0;
	uint64_t km = 0;
	uint32_t idx = known_idx;
	bool want_m = msisdn && msisdn[0];

	if (!ki && !want_m)
		return NULL;
	if (idx == UINT32_MAX) {
		if (!(ki && ss_idmap_get(&p->by_imsi, ki, &idx))) {
			km = want_m ? profile_key(msisdn, NS_MSISDN) : 0;
			if (!(km && ss_idmap_get(&p->by_msisdn, km, &idx)))
				idx = UINT32_MAX;
		}
	}
	if (idx == UINT32_MAX) {
		if (p->n == p->cap) {
			size_t cap = p->cap ? p->cap * 2 : 1024;
			struct det_profile_entry *e = realloc(p->entry, cap * sizeof(*e));
			if (!e)
				return NULL;
			p->entry = e;
			uint8_t *l = realloc(p->linked, cap);
			if (!l)
				return NULL;
			p->linked = l;
			p->cap = cap;
		}
		idx = (uint32_t)p->n;
		memset(&p->entry[idx], 0, sizeof(p->entry[idx]));
		p->linked[idx] = 0;
		p->n++;
	}
	/* Link whichever identity is new (an IMSI learnt after the MSISDN...). */
	if (ki && !(p->linked[idx] & LINK_IMSI)) {
		if (ss_idmap_put(&p->by_imsi, ki, idx))
			return NULL;
		p->linked[idx] |= LINK_IMSI;
	}
	if (want_m && !(p->linked[idx] & LINK_MSISDN)) {
		if (!km)
			km = profile_key(msisdn, NS_MSISDN);
		if (ss_idmap_put(&p->by_msisdn, km, idx))
			return NULL;
		p->linked[idx] |= LINK_MSISDN;
	}
	return &p->entry[idx];
}

void det_profile_observe(struct det_profile *p, const struct event *ev)
{
	if (!p)
		return;
	if (p->observed_since == 0 || ev->time < p->observed_since)
		p->observed_since = ev->time;
	/* Foreign numbers (MT calls from outside) are not our SIMs: only the served side. */
	uint32_t known = p->cache_ev == ev ? p->cache_idx : UINT32_MAX;
	p->cache_ev = NULL;
	struct det_profile_entry *e = get_or_add(p, ev->imsi, ev->msisdn, known);
	if (!e)
		return;
	if (ev->kind == EV_ACTIVATION) {
		switch (ev->activation) {
		case EV_ACT_OPEN:
			e->opened = ev->time;
			e->flags &= ~DET_PROFILE_CLOSED;
			e->outbound_since_open = 0;
			if (ev->sim_type == EV_SIM_IOT)
				e->flags |= DET_PROFILE_IOT;
			if (ev->id_type == EV_IDTYPE_ENTERPRISE)
				e->flags |= DET_PROFILE_ENTERPRISE;
			break;
		case EV_ACT_CLOSE:
			e->flags |= DET_PROFILE_CLOSED;
			break;
		case EV_ACT_SWAP:
			/* Same number, new card: age of the subscription is unchanged. */
			if (e->opened == 0)
				e->opened = ev->time;
			break;
		default:
			break;
		}
		return;
	}
	if (e->first_seen == 0)
		e->first_seen = ev->time;
	if (ev->time > e->last_seen)
		e->last_seen = ev->time;
	if (ev->direction == EV_DIR_MO && (ev->kind == EV_CALL || ev->kind == EV_SMS) &&
	    e->outbound_since_open < UINT16_MAX)
		e->outbound_since_open++;
}

int det_profile_mark(struct det_profile *p, const char *imsi, const char *msisdn, uint32_t flags,
		     unsigned boost)
{
	if (!p)
		return 0;
	p->cache_ev = NULL; /* the marked SIM may be the current event's, created just now */
	struct det_profile_entry *e = get_or_add(p, imsi, msisdn, UINT32_MAX);
	if (!e)
		return -ENOMEM;
	e->flags |= flags;
	if (boost > 30)
		boost = 30;
	if (boost > e->risk_boost)
		e->risk_boost = (uint16_t)boost;
	return 0;
}

ss_time_us det_profile_observed_since(const struct det_profile *p)
{
	return p ? p->observed_since : 0;
}

ss_time_us det_profile_age(const struct det_profile_entry *e, ss_time_us now)
{
	if (!e || e->opened == 0)
		return -1;
	return now > e->opened ? now - e->opened : 0;
}

size_t det_profile_count(const struct det_profile *p)
{
	return p ? p->n : 0;
}

size_t det_profile_bytes(const struct det_profile *p)
{
	if (!p)
		return 0;
	return p->cap * (sizeof(*p->entry) + 1) + ss_idmap_bytes(&p->by_imsi) + ss_idmap_bytes(&p->by_msisdn);
}
