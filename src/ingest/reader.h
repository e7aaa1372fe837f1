/*
 * reader.h - the merge read ahead on its own thread.
 *
 * Parsing the inputs (CSV fields, times, the reorder buffer, duplicates) is
 * about a third of a replay's CPU time and needs nothing from the engine,
 * so with a second core it runs beside the detectors: a reader thread fills
 * batches of events from merge_next() while the caller's thread runs the
 * previous ones through the engine.  Events arrive exactly as merge_next()
 * would return them, in the same order, so the result of a replay does not
 * depend on whether the reader is used.
 *
 * Only for inputs whose reads always complete (regular files): the reader
 * checks its stop flag between events, so a read that blocks (a pipe, a
 * live capture) could hold ingest_reader_close() indefinitely.  Those
 * inputs are read on the caller's thread, as before.
 *
 * Ownership: the merge is borrowed, and only the reader thread touches it
 * between ingest_reader_start() and ingest_reader_close().  A batch returned
 * by ingest_reader_next() belongs to the caller until its next call of
 * ingest_reader_next() or ingest_reader_close(); the reader clears the
 * events (ev_clear()) when it reuses the batch, so their texts are freed on
 * the thread that allocated them.
 */
#ifndef SS_INGEST_READER_H
#define SS_INGEST_READER_H

#include "event/event.h"
#include "ingest/merge.h"

#include <stddef.h>
#include <sys/types.h>

struct ingest_reader;

/*
 * ingest_reader_start() - start reading @m ahead in batches of up to @batch
 * events, at most @depth batches ahead (depth >= 2: one being filled, one
 * being used).  0, or -ENOMEM / -EINVAL / the pthread_create() error.
 */
int ingest_reader_start(struct merge *m, size_t batch, size_t depth, struct ingest_reader **out);

/*
 * ingest_reader_next() - the next batch: > 0 events at *@evs, in merge
 * order; 0 once every input has ended (or after ingest_reader_stop()); a
 * negative code when merge_next() failed - returned after every event read
 * before the failure, and again on later calls.
 */
ssize_t ingest_reader_next(struct ingest_reader *r, struct event **evs);

/* ingest_reader_stop() - end after the event being read; batches already full are still returned. */
void ingest_reader_stop(struct ingest_reader *r);

/* ingest_reader_close() - stop, join the thread, release every event it holds.  Accepts NULL. */
void ingest_reader_close(struct ingest_reader *r);

#endif
