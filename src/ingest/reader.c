/* reader.c - the merge read ahead on its own thread (see reader.h). */
#include "ingest/reader.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

enum slot_state { SLOT_EMPTY = 0, SLOT_FULL, SLOT_HELD };

struct reader_slot {
	struct event *ev; /* [batch] */
	size_t n;	  /* events filled (also: how many to clear before reuse) */
	enum slot_state state;
};

struct ingest_reader {
	struct merge *merge;
	size_t batch, depth;
	struct reader_slot *slots;

	pthread_t thread;
	bool started;
	pthread_mutex_t mu;
	pthread_cond_t filled;	/* a slot became FULL, or the reader ended */
	pthread_cond_t emptied; /* a slot became EMPTY, or stop was asked */
	atomic_bool stop;

	/* Under mu. */
	bool ended;  /* the reader thread published its last batch */
	int end_rc;  /* 0, or merge_next()'s error */
	size_t next; /* the consumer's next slot */
	size_t held; /* the slot the consumer holds, depth = none */
};

static void *reader_main(void *arg)
{
	struct ingest_reader *r = arg;
	size_t w = 0;

	for (;;) {
		struct reader_slot *s = &r->slots[w];
		pthread_mutex_lock(&r->mu);
		while (s->state != SLOT_EMPTY && !atomic_load(&r->stop))
			pthread_cond_wait(&r->emptied, &r->mu);
		if (s->state != SLOT_EMPTY) { /* stopped while every slot was full */
			r->ended = true;
			pthread_cond_broadcast(&r->filled);
			pthread_mutex_unlock(&r->mu);
			return NULL;
		}
		pthread_mutex_unlock(&r->mu);

		/*
		 * The consumer is done with this slot's previous events: free their
		 * texts here.  Nothing else needs clearing, since merge_next()
		 * overwrites the whole event (merge.h) and a slot left over from
		 * an earlier batch holds no text.
		 */
		for (size_t i = 0; i < s->n; i++)
			if (s->ev[i].text)
				ev_clear(&s->ev[i]);
		size_t n = 0;
		int rc = 1;
		while (n < r->batch) {
			if (atomic_load_explicit(&r->stop, memory_order_relaxed)) {
				rc = 0;
				break;
			}
			rc = merge_next(r->merge, &s->ev[n]);
			if (rc <= 0) {
				ev_clear(&s->ev[n]);
				break;
			}
			n++;
		}

		pthread_mutex_lock(&r->mu);
		s->n = n;
		if (n)
			s->state = SLOT_FULL;
		if (rc <= 0) {
			r->ended = true;
			r->end_rc = rc;
		}
		pthread_cond_signal(&r->filled);
		pthread_mutex_unlock(&r->mu);
		if (rc <= 0)
			return NULL;
		w = (w + 1) % r->depth;
	}
}

static void reader_free(struct ingest_reader *r)
{
	if (r->slots) {
		for (size_t k = 0; k < r->depth; k++) {
			for (size_t i = 0; i < r->slots[k].n; i++)
				ev_clear(&r->slots[k].ev[i]);
			free(r->slots[k].ev);
		}
		free(r->slots);
	}
	pthread_cond_destroy(&r->emptied);
	pthread_cond_destroy(&r->filled);
	pthread_mutex_destroy(&r->mu);
	free(r);
}

int ingest_reader_start(struct merge *m, size_t batch, size_t depth, struct ingest_reader **out)
{
	*out = NULL;
	if (!m || batch == 0 || depth < 2)
		return -EINVAL;
	struct ingest_reader *r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->merge = m;
	r->batch = batch;
	r->depth = depth;
	r->held = depth;
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->filled, NULL);
	pthread_cond_init(&r->emptied, NULL);
	atomic_init(&r->stop, false);
	r->slots = calloc(depth, sizeof(*r->slots));
	if (!r->slots) {
		reader_free(r);
		return -ENOMEM;
	}
	for (size_t k = 0; k < depth; k++) {
		r->slots[k].ev = calloc(batch, sizeof(struct event));
		if (!r->slots[k].ev) {
			reader_free(r);
			return -ENOMEM;
		}
	}

	/*
	 * The caller's signal handlers (SIGINT/SIGTERM end a replay) should run
	 * on the caller's thread, which checks their flags: the reader starts
	 * with every signal blocked but the synchronous ones (a SIGBUS from a
	 * mapped capture that shrank must reach the thread that touched it).
	 */
	sigset_t all, old;
	sigfillset(&all);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGFPE);
	sigdelset(&all, SIGILL);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&r->thread, NULL, reader_main, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		reader_free(r);
		return -rc;
	}
	r->started = true;
	*out = r;
	return 0;
}

ssize_t ingest_reader_next(struct ingest_reader *r, struct event **evs)
{
	*evs = NULL;
	pthread_mutex_lock(&r->mu);
	if (r->held < r->depth) {
		r->slots[r->held].state = SLOT_EMPTY;
		r->held = r->depth;
		pthread_cond_signal(&r->emptied);
	}
	struct reader_slot *s = &r->slots[r->next];
	/* Batches are published in ring order, so once the reader has ended a non-full slot means the end. */
	while (s->state != SLOT_FULL && !r->ended)
		pthread_cond_wait(&r->filled, &r->mu);
	if (s->state != SLOT_FULL) {
		int rc = r->end_rc;
		pthread_mutex_unlock(&r->mu);
		return rc;
	}
	s->state = SLOT_HELD;
	r->held = r->next;
	r->next = (r->next + 1) % r->depth;
	size_t n = s->n;
	pthread_mutex_unlock(&r->mu);
	*evs = s->ev;
	return (ssize_t)n;
}

void ingest_reader_stop(struct ingest_reader *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->mu);
	atomic_store(&r->stop, true);
	pthread_cond_broadcast(&r->emptied);
	pthread_mutex_unlock(&r->mu);
}

void ingest_reader_close(struct ingest_reader *r)
{
	if (!r)
		return;
	ingest_reader_stop(r);
	if (r->started)
		pthread_join(r->thread, NULL);
	reader_free(r);
}
