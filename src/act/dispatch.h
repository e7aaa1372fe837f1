/*
 * dispatch.h - the dispatcher: from the durable outbox (rep/rep.h) to every
 * configured receiver (act/deliver.h).  docs/provisioning.md.
 *
 * Each receiver has its own cursor in the store (the last sequence number
 * it acknowledged), its own retry state and at most one batch in flight
 * (up to its max_batch entries), so a slow or dead receiver never holds
 * back another.  Per receiver:
 *
 *   ACT_DELIVERED  the cursor moves past the entry (committed in LMDB after
 *                  the acknowledgement, never before);
 *   ACT_REJECTED   the entry is parked with its reason (rep_parked_foreach,
 *                  `simsieve rep outbox`), logged, and the cursor moves on:
 *                  never retried;
 *   ACT_RETRY      offered again after an exponential backoff with jitter:
 *                  retry_min doubling up to retry_max, each wait drawn
 *                  uniformly from [backoff/2, backoff]; after max_attempts
 *                  offers (0 = never) the entry is parked too.
 *
 * Entries delivered (or parked) by every receiver of this dispatcher are
 * trimmed from the outbox; their ids stay in the id index for
 * id_retention, so a decision re-made after a restart is not sent again.
 *
 * Threads and LMDB: every store access happens in the caller's thread (the
 * one that owns struct rep: the daemon's poll loop, or the replay).  With
 * `threaded`, each receiver's send() - which may block up to its timeout -
 * runs in a thread of its own on a private copy of the batch; the results
 * come back through act_dispatch_fd() and are committed by the next
 * act_dispatch_poll() in the owning thread.  Without it, send() runs inside
 * act_dispatch_poll() (the replay, tests).
 *
 * Ownership: the dispatcher borrows @rep (which must outlive it) and owns
 * the receivers added to it.
 */
#ifndef SS_ACT_DISPATCH_H
#define SS_ACT_DISPATCH_H

#include "act/deliver.h"
#include "core/config.h"
#include "core/time.h"
#include "rep/rep.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ACT_DISPATCH_MAX 16 /* receivers per dispatcher */

struct act_dispatch_options {
	ss_time_us (*clock)(void *ctx); /* monotonic microseconds; NULL: ss_time_monotonic() */
	void *clock_ctx;
	uint64_t seed;		  /* jitter PRNG seed; 0: from the clock */
	bool threaded;		  /* send() in one thread per receiver */
	ss_time_us id_retention;  /* keep ids in the index this long; 0: 30 days */
};

struct act_dispatch_receiver_options {
	ss_time_us retry_min;  /* first backoff; 0: 1 s */
	ss_time_us retry_max;  /* backoff cap; 0: 5 min */
	uint32_t max_attempts; /* park after this many offers of one entry; 0: retry for ever */
};

struct act_dispatch;

int act_dispatch_open(struct rep *rep, const struct act_dispatch_options *opt, struct act_dispatch **out);

/*
 * act_dispatch_add() - deliver to @r from now on.  Its cursor is read from
 * the store, or created at the current end of the outbox (a new receiver
 * does not get the history).  Takes @r: it is closed with the dispatcher,
 * or at once when this fails.  0 or a negative code.
 */
int act_dispatch_add(struct act_dispatch *d, struct act_receiver *r, const struct act_dispatch_receiver_options *o);

/*
 * act_dispatch_configure() - one receiver per [sink.<name>] section of
 * @cfg (act_receiver_open(), plus the dispatcher's keys retry_min,
 * retry_max, max_attempts).  Returns the number added or a negative code
 * (the first failure, logged with the section).
 */
int act_dispatch_configure(struct act_dispatch *d, const struct ss_config *cfg);

/*
 * act_dispatch_read_options() - the dispatcher's keys of [sink.<name>]
 * (also for checking a configuration).  0 or -SS_ECONFIG.
 */
int act_dispatch_read_options(const struct ss_config *cfg, const char *name,
			      struct act_dispatch_receiver_options *o);

/*
 * act_dispatch_poll() - one non-blocking turn: take back finished sends,
 * commit cursors and parked entries, start the sends that are due.
 * Returns the number of entries acknowledged or parked in this turn, or a
 * negative code (a store error; delivery goes on at the next turn).
 */
int act_dispatch_poll(struct act_dispatch *d);

/* act_dispatch_fd() - readable when a threaded send finished (poll it); -1 unthreaded. */
int act_dispatch_fd(const struct act_dispatch *d);

/*
 * act_dispatch_next_wake() - the monotonic time at which the next retry is
 * due (0: none waiting).  A caller that sleeps should wake by then.
 */
ss_time_us act_dispatch_next_wake(const struct act_dispatch *d);

/*
 * act_dispatch_drain() - poll until every receiver has acknowledged (or
 * parked) everything committed to the outbox, sleeping through backoffs,
 * for at most @timeout (0: no limit).  Returns 0, -ETIMEDOUT, or a store
 * error.  For the end of a replay and a daemon's shutdown.
 */
int act_dispatch_drain(struct act_dispatch *d, ss_time_us timeout);

/* act_dispatch_reopen() - SIGHUP: every receiver's reopen() (after its send in flight). */
void act_dispatch_reopen(struct act_dispatch *d);

struct act_dispatch_stats {
	char name[32];
	const char *type;
	uint64_t cursor;     /* last sequence number acknowledged or parked */
	uint64_t backlog;    /* committed entries after the cursor */
	uint64_t delivered;  /* acknowledged since start */
	uint64_t parked;     /* parked since start */
	uint64_t retries;    /* sends that ended in ACT_RETRY for the head entry */
	uint32_t attempts;   /* offers of the current head entry so far */
	bool in_flight;
	char last_error[ACT_WHY_SIZE];
};

/* act_dispatch_stats() - one entry per receiver into @out (at most @max); returns the count. */
size_t act_dispatch_stats(struct act_dispatch *d, struct act_dispatch_stats *out, size_t max);

/* act_dispatch_count() - receivers in @d. */
size_t act_dispatch_count(const struct act_dispatch *d);

/* act_dispatch_close() - stop the threads (a send in flight finishes first), close receivers.  NULL ok. */
void act_dispatch_close(struct act_dispatch *d);

#endif
