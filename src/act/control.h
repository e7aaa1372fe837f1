/*
 * control.h - control records in the store that the engine and the
 * `simsieve rep` verb exchange (docs/provisioning.md): the breaker's trip
 * and resets, and the release log of operator releases.
 *
 * They live in the outbox's "delivery" database (rep_meta_*), as short
 * text values:
 *   "breaker/trip"   written by the engine when it trips, in the same
 *                    transaction as the action it shadowed:
 *                    "<mask> <since us> <reset generation seen> <reason>"
 *   "breaker/reset"  written by `rep breaker reset`:
 *                    "<generation> <at us> <note>"
 *   "release/" BE64(at) BE64(id)
 *                    written by `rep release` with its action and record
 *                    changes: "<event_time> <shadow> <imsi|-> <msisdn|-> <imei|->"
 *
 * The breaker is tripped while trip.mask != 0 and trip.reset_gen >=
 * reset.gen: a reset (generation + 1) clears it without the two writers
 * ever overwriting each other's key.  A running engine reads "breaker/reset"
 * about once a second and the release log after the last entry it saw.
 */
#ifndef SS_ACT_CONTROL_H
#define SS_ACT_CONTROL_H

#include "core/time.h"
#include "detect/detect.h"
#include "rep/rep.h"

#include <stdbool.h>
#include <stdint.h>

#define ACT_CTL_TRIP_KEY "breaker/trip"
#define ACT_CTL_RESET_KEY "breaker/reset"
#define ACT_CTL_RELEASE_PREFIX "release/"
#define ACT_CTL_RELEASE_KEY_SIZE (8 + 16)

struct act_breaker_state {
	uint32_t mask;	    /* tripped scopes (act/breaker.h) */
	ss_time_us since;   /* wall clock of the (first) trip */
	uint64_t reset_gen; /* the reset generation the engine had seen */
	char reason[200];
	/* from "breaker/reset" */
	uint64_t resets;    /* reset generation */
	ss_time_us reset_at;
	char reset_note[120];
};

/* act_ctl_breaker_read() - both records (zeroed when absent).  0 or a negative code. */
int act_ctl_breaker_read(struct rep *rep, struct act_breaker_state *st);

/* act_ctl_breaker_tripped() - the mask in force (0 after a later reset). */
uint32_t act_ctl_breaker_tripped(const struct act_breaker_state *st);

/* act_ctl_breaker_put_trip() - "breaker/trip" into the pending batch. */
int act_ctl_breaker_put_trip(struct rep *rep, const struct act_breaker_state *st);

/* act_ctl_breaker_reset() - a new reset generation, committed now.  *@gen (may be NULL) receives it. */
int act_ctl_breaker_reset(struct rep *rep, const char *note, uint64_t *gen);

struct act_release_record {
	uint64_t id;		/* the release action's id */
	ss_time_us at;		/* wall clock of the release */
	ss_time_us event_time;	/* the release action's event_time */
	bool shadow;
	struct det_subject subject; /* a SIM (imsi/msisdn) or a device (imei) */
};

/* act_ctl_release_put() - a release log entry into the pending batch. */
int act_ctl_release_put(struct rep *rep, const struct act_release_record *rec);

/*
 * act_ctl_release_scan() - log entries after @after (a key from an earlier
 * call, NULL: from the start), oldest first.  @key (ACT_CTL_RELEASE_KEY_SIZE
 * bytes) is the entry's key, to resume from.  @fn returns 0 to go on.
 */
typedef int (*act_release_fn)(void *ctx, const struct act_release_record *rec, const uint8_t *key);
int act_ctl_release_scan(struct rep *rep, const uint8_t *after, act_release_fn fn, void *ctx);

/* act_ctl_breaker_json() - the state as one JSON object (`rep breaker status`).  Length or -SS_ETOOLONG. */
int act_ctl_breaker_json(const struct act_breaker_state *st, char *buf, size_t size);

/* act_ctl_parked_json() - a parked entry as one JSON object (`rep outbox --parked`). */
int act_ctl_parked_json(const char *receiver, const struct rep_park *p, char *buf, size_t size);

#endif
