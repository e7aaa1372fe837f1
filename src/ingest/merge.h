/*
 * merge.h - merge several inputs into one time-ordered event stream.
 *
 * Inputs are each *mostly* in time order (cdr.md: streams from several
 * switches are interleaved and may be out of order by minutes).  The merge
 * keeps a min-heap of buffered events and releases an event only once every
 * still-open input has produced something at least @reorder_window later
 * (or has ended), so a record up to the window late is still delivered in
 * order.  Memory is bounded by @max_buffered: past it the oldest event is
 * released early.  A record that arrives after events later than it were
 * already released is delivered anyway (nothing is dropped) and counted as
 * late on its input.
 *
 * Duplicates (same record_id, or same time + served + other party + type +
 * direction; ev_dedup_hash()) within @dedup_horizon of each other are dropped
 * and counted on the input that carried the second copy.
 */
#ifndef SS_INGEST_MERGE_H
#define SS_INGEST_MERGE_H

#include "ingest/source.h"

struct merge_options {
	ss_time_us reorder_window; /* 0 = 5 minutes */
	size_t max_buffered;	   /* 0 = 1,000,000 events */
	ss_time_us dedup_horizon;  /* 0 = 1 hour; < 0 disables de-duplication */
	/*
	 * De-duplication memory: about this many keys are remembered (16 bytes
	 * each, table at most 2x); past it the oldest keys are forgotten early
	 * and a warning is logged once.  0 = 2,097,152 (at most 64 MiB).
	 */
	size_t dedup_max_keys;
};

/* What the merge holds and has done (for the summary, tests and tuning). */
struct merge_stats {
	size_t buffered;	 /* events in the reorder buffer now */
	size_t peak_buffered;	 /* most events ever buffered at once */
	size_t pool_slots;	 /* event slots allocated (each sizeof(struct event)) */
	size_t dedup_keys;	 /* keys currently remembered */
	size_t dedup_capacity;	 /* de-duplication table slots */
	uint64_t delivered;	 /* events returned by merge_next() */
	uint64_t duplicates;	 /* dropped as duplicates, all inputs */
	uint64_t late;		 /* delivered after later events, all inputs */
	uint64_t early_releases; /* released before the window closed (max_buffered) */
	uint64_t dedup_forgotten; /* keys dropped early for lack of memory */
};

struct merge;

/*
 * merge_open() - merge @n sources.  The merge borrows the sources; the
 * caller closes them after merge_close().
 */
int merge_open(struct ingest_source **sources, size_t n, const struct merge_options *opt,
	       struct merge **out);

/*
 * merge_next() - 1 = *ev filled (caller owns it; ev_clear()), 0 = all inputs
 * done, < 0 = I/O error.  *ev is overwritten without being released first.
 * After an I/O error the failing input counts as ended and merge_next() may
 * be called again to drain the others.
 */
int merge_next(struct merge *m, struct event *ev);

/*
 * Live inputs (the daemon).  A source's next() may return -EAGAIN: nothing
 * now, more later.  The input stays open and merge_next() returns -EAGAIN
 * when it would have to read that input to release anything; call it again
 * when there is new input.
 *
 * merge_advance() - time has passed without input: treat every open input
 * as having reached @t (an input clock the caller advances with the wall
 * clock), so events up to @t - window are released.
 *
 * merge_drain_next() - shutdown: end every input without reading it again
 * and release what is buffered, in order (de-duplication still applies).
 * Same returns as merge_next(); 0 once the buffer is empty.
 */
void merge_advance(struct merge *m, ss_time_us t);
int merge_drain_next(struct merge *m, struct event *ev);

/* merge_get_stats() - a snapshot of the counters above. */
void merge_get_stats(const struct merge *m, struct merge_stats *st);

/* merge_close() - free the merge and any events still buffered.  Accepts NULL. */
void merge_close(struct merge *m);

#endif
