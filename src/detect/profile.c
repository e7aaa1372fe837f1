/* profile.c - shared SIM profiles (see profile.h). */
#include "detect/profile.h"

#include "core/hash.h"
#include "core/idmap.h"
#include "core/prefetch.h"
#include "core/slotix.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* idmap namespaces: an IMSI and an MSISDN with equal digits are different SIMs. */
#define NS_IMSI 1
#define NS_MSISDN 2

/*
 * The key of an identity of at most 15 characters (every IMSI and MSISDN
 * an event carries): ss_idmap_key16(), its bytes as two words, mixed.  This
 * runs for every event, so it avoids ss_idmap_key()'s digit-by-digit
 * packing; two identities share a key only on a 64-bit hash collision
 * (~2^-64 a pair), which at worst merges two SIMs' profiles.  Event fields
 * are 16 bytes and go straight to ss_idmap_key16(); strings from callers
 * (det_profile_find / det_profile_mark) are copied into 16 bytes first.
 */
static inline uint64_t profile_key(const char *id, unsigned ns)
{
	char buf[16] = { 0 };
	size_t n = strnlen(id, 16);
	memcpy(buf, id, n);
	return ss_idmap_key16(buf, ns);
}

/*
 * One record per SIM: its two keys (0 = that identity not linked yet) and
 * the public entry.  The indexes are 4-byte slot tables over the records
 * (core/slotix.h), one by IMSI key, one by MSISDN key; records are never
 * removed, so their indexes are stable.
 */
struct profile_node {
	uint64_t imsi_key;
	uint64_t msisdn_key;
	struct det_profile_entry e;
};
_Static_assert(sizeof(struct profile_node) == 32, "profile_node is documented as 32 bytes");

#define NODE_STRIDE sizeof(struct profile_node)

struct det_profile {
	struct profile_node *node;
	size_t n, cap;
	struct ss_slotix by_imsi, by_msisdn;
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
	uint64_t cache_key; /* event_key(cache_ev) */
	/*
	 * cache_ev's MSISDN key (0 = none), computed at the first ask: the
	 * list check and the roaming detector both need it.
	 */
	uint64_t cache_km;
	bool cache_km_set;
};

static inline uint32_t find_imsi(const struct det_profile *p, uint64_t key)
{
	return p->node ? ss_slotix_find(&p->by_imsi, &p->node[0].imsi_key, NODE_STRIDE, key) : SS_SLOTIX_NONE;
}

static inline uint32_t find_msisdn(const struct det_profile *p, uint64_t key)
{
	return p->node ? ss_slotix_find(&p->by_msisdn, &p->node[0].msisdn_key, NODE_STRIDE, key) : SS_SLOTIX_NONE;
}

int det_profile_open(struct det_profile **out)
{
	struct det_profile *p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	*out = p;
	return 0;
}

void det_profile_close(struct det_profile *p)
{
	if (!p)
		return;
	ss_slotix_free(&p->by_imsi);
	ss_slotix_free(&p->by_msisdn);
	free(p->node);
	free(p);
}

static int find_index(const struct det_profile *p, uint64_t ki, uint64_t km, uint32_t *idx)
{
	if (ki && (*idx = find_imsi(p, ki)) != SS_SLOTIX_NONE)
		return 0;
	if (km && (*idx = find_msisdn(p, km)) != SS_SLOTIX_NONE)
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
	return &p->node[idx].e;
}

/* The first key an event is looked up by: its IMSI's, else its MSISDN's (0 = neither). */
static inline uint64_t event_key(const struct event *ev)
{
	if (ev->imsi[0])
		return ss_idmap_key16(ev->imsi, NS_IMSI);
	return ev->msisdn[0] ? ss_idmap_key16(ev->msisdn, NS_MSISDN) : 0;
}

/* The entry index of @ev's SIM (@key = event_key(ev)), UINT32_MAX when none. */
static uint32_t lookup_index(const struct det_profile *p, const struct event *ev, uint64_t key)
{
	if (ev->imsi[0]) {
		uint32_t idx = find_imsi(p, key);
		if (idx != SS_SLOTIX_NONE)
			return idx;
		/* An IMSI not linked yet may still be known by its MSISDN. */
		if (ev->msisdn[0])
			return find_msisdn(p, ss_idmap_key16(ev->msisdn, NS_MSISDN));
		return UINT32_MAX;
	}
	return key ? find_msisdn(p, key) : UINT32_MAX;
}

static void cache_set(struct det_profile *p, const struct event *ev, uint64_t key, uint32_t idx)
{
	p->cache_ev = ev;
	p->cache_key = key;
	p->cache_idx = idx;
	/* Without an IMSI the event's key is its MSISDN's. */
	p->cache_km_set = !ev->imsi[0];
	p->cache_km = key;
}

static inline uint64_t msisdn_key(const struct event *ev)
{
	return ev->msisdn[0] ? ss_idmap_key16(ev->msisdn, NS_MSISDN) : 0;
}

uint64_t det_profile_msisdn_key(const struct det_profile *p, const struct event *ev)
{
	if (!p || p->cache_ev != ev)
		return msisdn_key(ev);
	if (!p->cache_km_set) {
		struct det_profile *mp = (struct det_profile *)p; /* logically const: the cache only */
		mp->cache_km = msisdn_key(ev);
		mp->cache_km_set = true;
	}
	return p->cache_km;
}

const struct det_profile_entry *det_profile_of(const struct det_profile *p, const struct event *ev)
{
	if (!p)
		return NULL;
	if (p->cache_ev != ev) {
		struct det_profile *mp = (struct det_profile *)p; /* logically const: the cache only */
		uint64_t key = event_key(ev);
		cache_set(mp, ev, key, lookup_index(p, ev, key));
	}
	return p->cache_idx == UINT32_MAX ? NULL : &p->node[p->cache_idx].e;
}

uint64_t det_profile_sim_key(const struct det_profile *p, const struct event *ev)
{
	return p && p->cache_ev == ev ? p->cache_key : event_key(ev);
}

void det_profile_prefetch(const struct det_profile *p, const struct event *ev, int stage,
			  struct det_profile_hint *h)
{
	if (!p)
		return;
	if (stage == 0) {
		h->key = event_key(ev);
		if (h->key)
			ss_slotix_prefetch(ev->imsi[0] ? &p->by_imsi : &p->by_msisdn, h->key);
		return;
	}
	/*
	 * Stage 1 only starts loads; it does not look up.  A lookup here
	 * compares the key in the record, which is the very line not loaded
	 * yet: the pipeline would stall on it eight events ahead of need.
	 * The home slot (loaded by stage 0) with a matching tag names the
	 * record almost always; det_profile_begin() then looks up for real,
	 * with both lines in cache.
	 */
	if (!h->key || !p->node)
		return;
	const struct ss_slotix *ix = ev->imsi[0] ? &p->by_imsi : &p->by_msisdn;
	uint32_t i = ss_slotix_probe(ix, h->key);
	if (i != SS_SLOTIX_NONE)
		ss_prefetch(&p->node[i]);
}

void det_profile_begin(struct det_profile *p, const struct event *ev, const struct det_profile_hint *h)
{
	if (!p)
		return;
	uint64_t key = h ? h->key : event_key(ev);
	cache_set(p, ev, key, lookup_index(p, ev, key));
}

/* Grow by a quarter: the records are one per SIM, and doubling would leave up to half unused. */
static bool grow_entries(struct det_profile *p)
{
	size_t cap = p->cap + p->cap / 4 + 1024;
	if (cap > SS_SLOTIX_MAX)
		cap = SS_SLOTIX_MAX;
	if (cap <= p->n)
		return false;
	struct profile_node *n = realloc(p->node, cap * sizeof(*n));
	if (!n)
		return false;
	p->node = n;
	p->cap = cap;
	return true;
}

/*
 * The entry for (imsi, msisdn), created when missing; both identities linked.
 * @known: the caller already looked them up (@known_idx, UINT32_MAX = none)
 * and @key is the key it used (the IMSI's, else the MSISDN's).  @ev_fields:
 * imsi and msisdn are an event's 16-byte fields.
 */
static struct det_profile_entry *get_or_add(struct det_profile *p, const char *imsi, const char *msisdn,
					    bool known, uint32_t known_idx, uint64_t key, bool ev_fields)
{
	bool want_i = imsi && imsi[0], want_m = msisdn && msisdn[0];
	uint64_t ki = known && want_i ? key : 0, km = known && !want_i ? key : 0;
	uint32_t idx = known ? known_idx : UINT32_MAX;

	if (!want_i && !want_m)
		return NULL;
#define KEY_I() (ki ? ki : (ki = ev_fields ? ss_idmap_key16(imsi, NS_IMSI) : profile_key(imsi, NS_IMSI)))
#define KEY_M() (km ? km : (km = ev_fields ? ss_idmap_key16(msisdn, NS_MSISDN) : profile_key(msisdn, NS_MSISDN)))
	if (!known) {
		if (!(want_i && (idx = find_imsi(p, KEY_I())) != SS_SLOTIX_NONE) &&
		    !(want_m && (idx = find_msisdn(p, KEY_M())) != SS_SLOTIX_NONE))
			idx = UINT32_MAX;
	}
	if (idx == UINT32_MAX) {
		if (p->n == p->cap && !grow_entries(p))
			return NULL;
		idx = (uint32_t)p->n;
		memset(&p->node[idx], 0, sizeof(p->node[idx]));
		p->n++;
	}
	/* Link whichever identity is new (an IMSI learnt after the MSISDN...). */
	struct profile_node *nd = &p->node[idx];
	if (want_i && !nd->imsi_key) {
		nd->e.flags &= (uint8_t)~DET_PROFILE_LIST_CLEAR; /* a new identity: not looked up yet */
		nd->imsi_key = KEY_I();
		if (ss_slotix_add(&p->by_imsi, &p->node[0].imsi_key, NODE_STRIDE, idx, (uint32_t)p->n)) {
			nd->imsi_key = 0;
			return NULL;
		}
	}
	if (want_m && !nd->msisdn_key) {
		nd->e.flags &= (uint8_t)~DET_PROFILE_LIST_CLEAR;
		nd->msisdn_key = KEY_M();
		if (ss_slotix_add(&p->by_msisdn, &p->node[0].msisdn_key, NODE_STRIDE, idx, (uint32_t)p->n)) {
			nd->msisdn_key = 0;
			return NULL;
		}
	}
#undef KEY_I
#undef KEY_M
	return &nd->e;
}

/* Seconds of an event time for the 32-bit fields (0 = none: times before the epoch clamp to 1). */
static inline uint32_t to_seconds(ss_time_us t)
{
	if (t < SS_US_PER_SEC)
		return 1;
	ss_time_us s = t / SS_US_PER_SEC;
	return s > UINT32_MAX ? UINT32_MAX : (uint32_t)s;
}

void det_profile_observe(struct det_profile *p, const struct event *ev)
{
	if (!p)
		return;
	if (p->observed_since == 0 || ev->time < p->observed_since)
		p->observed_since = ev->time;
	/* Foreign numbers (MT calls from outside) are not our SIMs: only the served side. */
	/* The cached lookup holds: mark() (the only other writer) clears the cache. */
	bool known = p->cache_ev == ev;
	p->cache_ev = NULL;
	struct det_profile_entry *e;
	const struct profile_node *nd = known && p->cache_idx != UINT32_MAX ? &p->node[p->cache_idx] : NULL;
	/* The usual case: a known SIM with both identities linked, which get_or_add() would only return. */
	if (nd && (!ev->imsi[0] || nd->imsi_key) && (!ev->msisdn[0] || nd->msisdn_key))
		e = &p->node[p->cache_idx].e;
	else
		e = get_or_add(p, ev->imsi, ev->msisdn, known, p->cache_idx, p->cache_key, true);
	if (!e)
		return;
	uint32_t t = to_seconds(ev->time);
	if (ev->kind == EV_ACTIVATION) {
		switch (ev->activation) {
		case EV_ACT_OPEN:
			e->opened_s = t;
			e->flags &= (uint8_t)~DET_PROFILE_CLOSED;
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
			if (e->opened_s == 0)
				e->opened_s = t;
			break;
		default:
			break;
		}
		return;
	}
	if (e->first_seen_s == 0)
		e->first_seen_s = t;
	if (t > e->last_seen_s)
		e->last_seen_s = t;
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
	struct det_profile_entry *e = get_or_add(p, imsi, msisdn, false, UINT32_MAX, 0, false);
	if (!e)
		return -ENOMEM;
	e->flags |= (uint8_t)flags;
	if (boost > 30)
		boost = 30;
	if (boost > e->risk_boost)
		e->risk_boost = (uint8_t)boost;
	return 0;
}

void det_profile_set_current(struct det_profile *p, const struct event *ev, uint32_t flags)
{
	if (p && p->cache_ev == ev && p->cache_idx != UINT32_MAX)
		p->node[p->cache_idx].e.flags |= (uint8_t)flags;
}

bool det_profile_current_has(const struct det_profile *p, const struct event *ev, uint32_t flags)
{
	if (!p || p->cache_ev != ev || p->cache_idx == UINT32_MAX)
		return false;
	const struct profile_node *nd = &p->node[p->cache_idx];
	if ((nd->e.flags & flags) != flags)
		return false;
	/* The cached lookup's key is the IMSI's when the event has one (event_key()). */
	if (nd->imsi_key != (ev->imsi[0] ? p->cache_key : 0))
		return false;
	return nd->msisdn_key == det_profile_msisdn_key(p, ev);
}

void det_profile_clear(struct det_profile *p, const char *imsi, const char *msisdn, uint32_t flags)
{
	uint64_t ki = imsi && imsi[0] ? profile_key(imsi, NS_IMSI) : 0;
	uint64_t km = msisdn && msisdn[0] ? profile_key(msisdn, NS_MSISDN) : 0;
	uint32_t idx;

	/* Both identities may belong to different entries (a number moved to a new SIM). */
	if (p && ki && (idx = find_imsi(p, ki)) != SS_SLOTIX_NONE)
		p->node[idx].e.flags &= (uint8_t)~flags;
	if (p && km && (idx = find_msisdn(p, km)) != SS_SLOTIX_NONE)
		p->node[idx].e.flags &= (uint8_t)~flags;
}

void det_profile_clear_all(struct det_profile *p, uint32_t flags)
{
	for (size_t i = 0; p && i < p->n; i++)
		p->node[i].e.flags &= (uint8_t)~flags;
}

ss_time_us det_profile_observed_since(const struct det_profile *p)
{
	return p ? p->observed_since : 0;
}

ss_time_us det_profile_age(const struct det_profile_entry *e, ss_time_us now)
{
	if (!e || e->opened_s == 0)
		return -1;
	ss_time_us opened = det_profile_opened(e);
	return now > opened ? now - opened : 0;
}

size_t det_profile_count(const struct det_profile *p)
{
	return p ? p->n : 0;
}

size_t det_profile_bytes(const struct det_profile *p)
{
	if (!p)
		return 0;
	return p->cap * sizeof(*p->node) + ss_slotix_bytes(&p->by_imsi) + ss_slotix_bytes(&p->by_msisdn);
}
