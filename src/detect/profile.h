/*
 * profile.h - what every detector may know about a SIM beyond its own
 * evidence: when it was opened, what kind of card it is, when it was last
 * active, and marks other detectors left on it (opened in a bulk burst, on
 * an over-limit ID document, at a bad outlet).
 *
 * Why a shared table: the rule "a 3-day-old SIM calling 200
 * strangers is not a 5-year-old one" makes age since opening an input to
 * every detector, and the escalations cross families (a bulk-opened SIM that
 * roams to a high-risk network is worse than either alone).  Detectors stay
 * independent: they read the profile and set marks, never each other's state.
 *
 * Update order: the engine calls det_profile_observe() after every detector
 * has seen an event, so inside on_event() the profile describes the SIM
 * *before* the event (a silent SIM's first call still sees "no traffic").
 *
 * Identity: a SIM is found by IMSI or MSISDN, whichever the event carries;
 * when an event carries both, both are linked to one entry.  Entries are
 * never evicted: one per SIM seen (32 bytes with its two keys, plus ~12
 * bytes of index), bounded by the subscriber base.  Single-threaded, like
 * the detectors.
 */
#ifndef SS_DETECT_PROFILE_H
#define SS_DETECT_PROFILE_H

#include "core/time.h"
#include "event/event.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DET_PROFILE_IOT 0x0001u		 /* sim_type=iot */
#define DET_PROFILE_ENTERPRISE 0x0002u	 /* opened on an enterprise account */
#define DET_PROFILE_BULK_ORIGIN 0x0004u	 /* opened in a bulk burst or over-limit document */
#define DET_PROFILE_CLOSED 0x0008u	 /* closed (activation feed) */
#define DET_PROFILE_RISKY_OUTLET 0x0010u /* opened at an outlet/channel with bad reputation */
#define DET_PROFILE_HIGH_RISK_AREA 0x0020u /* seen registered in a high-risk network/area */
#define DET_PROFILE_LISTED_GRAY 0x0040u	 /* the SIM's number is on a gray list */
/*
 * The SIM's MSISDN and IMSI were looked up in the engine's list filter and
 * are on no list: the list detector need not look again.  Cleared when the
 * filter can have changed for them - a full list reload (all entries), a
 * gray mark of one of its identities, a newly linked identity.
 */
#define DET_PROFILE_LIST_CLEAR 0x0080u

/*
 * 16 bytes: there is one per SIM of the subscriber base.  Times are whole
 * seconds since the epoch (0 = none; read them with the accessors below).
 */
struct det_profile_entry {
	uint32_t opened_s;	/* open (or swap) time from the activation feed; 0 = unknown */
	uint32_t first_seen_s;	/* first traffic (voice/sms/data/location) this run; 0 = none */
	uint32_t last_seen_s;	/* latest traffic before the current event; 0 = none */
	uint16_t outbound_since_open; /* MO voice/SMS since opening or waking, saturating */
	uint8_t flags;		/* DET_PROFILE_* */
	uint8_t risk_boost;	/* score points detectors add (bad outlet, bulk origin), <= 30 */
};
_Static_assert(sizeof(struct det_profile_entry) == 16, "one profile entry per SIM: keep it 16 bytes");
_Static_assert(DET_PROFILE_LIST_CLEAR <= 0x80, "profile flags fit the 8-bit field");

static inline ss_time_us det_profile_opened(const struct det_profile_entry *e)
{
	return (ss_time_us)e->opened_s * SS_US_PER_SEC;
}

static inline ss_time_us det_profile_first_seen(const struct det_profile_entry *e)
{
	return (ss_time_us)e->first_seen_s * SS_US_PER_SEC;
}

static inline ss_time_us det_profile_last_seen(const struct det_profile_entry *e)
{
	return (ss_time_us)e->last_seen_s * SS_US_PER_SEC;
}

struct det_profile;

int det_profile_open(struct det_profile **out);
void det_profile_close(struct det_profile *p); /* accepts NULL */

/* det_profile_observe() - fold @ev into the profile (the engine, after detectors). */
void det_profile_observe(struct det_profile *p, const struct event *ev);

/*
 * det_profile_find() - the entry of the SIM with @imsi or @msisdn (either may
 * be "" or NULL), or NULL when never seen.  The pointer is valid until the
 * next det_profile_observe() / det_profile_mark().
 */
const struct det_profile_entry *det_profile_find(const struct det_profile *p, const char *imsi,
						 const char *msisdn);

/*
 * det_profile_of() - the entry of @ev's served SIM, or NULL.  Looked up once
 * per event (det_profile_begin() or the first call) and cached until
 * det_profile_observe() / det_profile_mark(): every detector may ask.
 */
const struct det_profile_entry *det_profile_of(const struct det_profile *p, const struct event *ev);

/*
 * det_profile_sim_key() - ss_idmap_key16() of @ev's IMSI in namespace 1,
 * else of its MSISDN in namespace 2 (0 when it has neither): the key the
 * profile looks the SIM up by, computed once per event.  A detector that
 * keys its own map the same way asks for it instead of hashing again.
 */
uint64_t det_profile_sim_key(const struct det_profile *p, const struct event *ev);

/*
 * det_profile_msisdn_key() - ss_idmap_key16() of @ev's MSISDN in namespace
 * 2 (0 when it has none), computed once per event like the sim key.
 */
uint64_t det_profile_msisdn_key(const struct det_profile *p, const struct event *ev);

/*
 * The engine's prefetch pipeline (detect.h), carried per event in a hint:
 * det_profile_prefetch() stage 0 computes the key and starts loading its
 * index slot; stage 1 starts loading the entry that slot names (no lookup:
 * the entry's line is the one still on its way).  It changes nothing.
 * det_profile_begin() then looks the SIM up with the hint's key - both
 * lines in cache by then - and makes it the event's cached lookup, before
 * the detectors run; @h may be NULL (the key is computed now).
 */
struct det_profile_hint {
	uint64_t key;
};
void det_profile_prefetch(const struct det_profile *p, const struct event *ev, int stage,
			  struct det_profile_hint *h);
void det_profile_begin(struct det_profile *p, const struct event *ev, const struct det_profile_hint *h);

/*
 * det_profile_mark() - set @flags on the SIM and raise its risk boost to at
 * least @boost (capped at 30), creating the entry when needed.  0 or -ENOMEM.
 */
int det_profile_mark(struct det_profile *p, const char *imsi, const char *msisdn, uint32_t flags,
		     unsigned boost);

/*
 * det_profile_set_current() - set @flags on @ev's SIM when it has an entry
 * and @ev is the event being handled (its cached lookup); nothing is
 * created and the cache stays valid.  For marks a detector derives from
 * the current event itself (DET_PROFILE_LIST_CLEAR).
 */
void det_profile_set_current(struct det_profile *p, const struct event *ev, uint32_t flags);

/*
 * det_profile_current_has() - true when @ev's SIM (the event being handled)
 * has all of @flags and @ev's IMSI and MSISDN are exactly the ones linked
 * to it (a flag about "this SIM's identities" does not carry over to an
 * event with another number).
 */
bool det_profile_current_has(const struct det_profile *p, const struct event *ev, uint32_t flags);

/* det_profile_clear() - clear @flags on the SIM with @imsi or @msisdn, if any (nothing is created). */
void det_profile_clear(struct det_profile *p, const char *imsi, const char *msisdn, uint32_t flags);

/* det_profile_clear_all() - clear @flags on every entry (O(entries): after a list reload). */
void det_profile_clear_all(struct det_profile *p, uint32_t flags);

/* det_profile_observed_since() - time of the first event of this run (0 before any). */
ss_time_us det_profile_observed_since(const struct det_profile *p);

/*
 * det_profile_age() - age of the SIM at @now since opening, or -1 when the
 * opening is unknown (the SIM predates the activation feed: treat as tenured).
 */
ss_time_us det_profile_age(const struct det_profile_entry *e, ss_time_us now);

/* det_profile_count() / det_profile_bytes() - entries and memory, for stats. */
size_t det_profile_count(const struct det_profile *p);
size_t det_profile_bytes(const struct det_profile *p);

#endif
