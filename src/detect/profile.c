/* profile.c - shared SIM profiles (see profile.h). */
#include "detect/profile.h"

#include "core/idmap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* idmap namespaces: an IMSI and an MSISDN with equal digits are different SIMs. */
#define NS_IMSI 1
#define NS_MSISDN 2

struct det_profile {
	struct det_profile_entry *entry;
	size_t n, cap;
	struct ss_idmap by_imsi, by_msisdn;
	ss_time_us observed_since;
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
	uint64_t ki = imsi && imsi[0] ? ss_idmap_key(imsi, NS_IMSI) : 0;
	uint64_t km = msisdn && msisdn[0] ? ss_idmap_key(msisdn, NS_MSISDN) : 0;
	uint32_t idx;

	if (!p || find_index(p, ki, km, &idx))
		return NULL;
	return &p->entry[idx];
}

const struct det_profile_entry *det_profile_of(const struct det_profile *p, const struct event *ev)
{
	return det_profile_find(p, ev->imsi, ev->msisdn);
}

/* The entry for (imsi, msisdn), created when missing; both identities linked. */
static struct det_profile_entry *get_or_add(struct det_profile *p, const char *imsi, const char *msisdn)
{
	uint64_t ki = imsi && imsi[0] ? ss_idmap_key(imsi, NS_IMSI) : 0;
	uint64_t km = msisdn && msisdn[0] ? ss_idmap_key(msisdn, NS_MSISDN) : 0;
	uint32_t idx;

	if (!ki && !km)
		return NULL;
	if (find_index(p, ki, km, &idx)) {
		if (p->n == p->cap) {
			size_t cap = p->cap ? p->cap * 2 : 1024;
			struct det_profile_entry *e = realloc(p->entry, cap * sizeof(*e));
			if (!e)
				return NULL;
			p->entry = e;
			p->cap = cap;
		}
		idx = (uint32_t)p->n;
		memset(&p->entry[idx], 0, sizeof(p->entry[idx]));
		p->n++;
	}
	/* Link whichever identity is new (an IMSI learnt after the MSISDN...). */
	if (ki && ss_idmap_put(&p->by_imsi, ki, idx))
		return NULL;
	if (km && ss_idmap_put(&p->by_msisdn, km, idx))
		return NULL;
	return &p->entry[idx];
}

void det_profile_observe(struct det_profile *p, const struct event *ev)
{
	if (!p)
		return;
	if (p->observed_since == 0 || ev->time < p->observed_since)
		p->observed_since = ev->time;
	/* Foreign numbers (MT calls from outside) are not our SIMs: only the served side. */
	struct det_profile_entry *e = get_or_add(p, ev->imsi, ev->msisdn);
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
	struct det_profile_entry *e = get_or_add(p, imsi, msisdn);
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
	return p->cap * sizeof(*p->entry) + ss_idmap_bytes(&p->by_imsi) + ss_idmap_bytes(&p->by_msisdn);
}
