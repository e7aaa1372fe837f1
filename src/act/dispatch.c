/*
 * dispatch.c - the outbox dispatcher (act/dispatch.h, docs/provisioning.md).
 *
 * Per receiver a small state machine:
 *
 *   IDLE --(due, entries after the cursor)--> QUEUED --(send returns)--> DONE
 *     ^                                                                  |
 *     +------(cursor + parked committed; backoff set on ACT_RETRY)-------+
 *
 * The batch (entries copied out of LMDB into a per-receiver arena) belongs
 * to the sending thread between QUEUED and DONE; everything else - reading
 * the outbox, committing cursors, trimming - is done by act_dispatch_poll()
 * in the thread that owns the store, so LMDB never sees two threads of
 * ours (one environment per process, one writer at a time, MDB_NOTLS read
 * transactions kept in that thread).
 */
#include "act/dispatch.h"

#include "core/err.h"
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_RETRY_MIN SS_US_PER_SEC
#define DEFAULT_RETRY_MAX (5 * SS_US_PER_MIN)
#define DEFAULT_ID_RETENTION (30 * SS_US_PER_DAY)
#define ID_TRIM_INTERVAL SS_US_PER_HOUR
#define UNTHREADED_ROUNDS 64 /* batches per receiver per poll without threads */

enum drecv_state { R_IDLE = 0, R_QUEUED, R_DONE };

struct dq_entry {
	uint64_t seq, id;
	ss_time_us queued_at;
	size_t off, len;
};

struct drecv {
	struct act_dispatch *d;
	struct act_receiver *r;
	struct act_dispatch_receiver_options o;
	uint64_t cursor;

	/* the batch in flight */
	struct dq_entry *q;
	struct act_delivery *dv;
	enum act_result *res;
	size_t n, cap;
	char *arena;
	size_t alen, acap;
	char why[ACT_WHY_SIZE];
	enum drecv_state state; /* under d->mu when threaded */

	/* retry state */
	ss_time_us next_try;
	uint64_t head_seq;
	uint32_t attempts;
	bool reopen_pending;

	uint64_t delivered, parked, retries;
	char last_error[ACT_WHY_SIZE];

	pthread_t th;
	bool has_thread;
};

struct act_dispatch {
	struct rep *rep;
	struct act_dispatch_options o;
	struct drecv *rx[ACT_DISPATCH_MAX];
	size_t n;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int wake[2];
	bool stop;
	uint64_t rng;
	ss_time_us next_id_trim;
};

static ss_time_us now_of(const struct act_dispatch *d)
{
	return d->o.clock ? d->o.clock(d->o.clock_ctx) : ss_time_monotonic();
}

/* xorshift64*: jitter only, no cryptography. */
static uint64_t rnd(struct act_dispatch *d)
{
	uint64_t x = d->rng;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	d->rng = x;
	return x * UINT64_C(2685821657736338717);
}

static enum drecv_state get_state(struct act_dispatch *d, struct drecv *x)
{
	if (!d->o.threaded)
		return x->state;
	pthread_mutex_lock(&d->mu);
	enum drecv_state s = x->state;
	pthread_mutex_unlock(&d->mu);
	return s;
}

static void set_state(struct act_dispatch *d, struct drecv *x, enum drecv_state s)
{
	if (!d->o.threaded) {
		x->state = s;
		return;
	}
	pthread_mutex_lock(&d->mu);
	x->state = s;
	if (s == R_QUEUED)
		pthread_cond_broadcast(&d->cv);
	pthread_mutex_unlock(&d->mu);
}

/* ---- sending (any thread) ------------------------------------------------------ */

static void do_send(struct drecv *x)
{
	for (size_t i = 0; i < x->n; i++) {
		x->dv[i].seq = x->q[i].seq;
		x->dv[i].id = x->q[i].id;
		x->dv[i].json = x->arena + x->q[i].off;
		x->dv[i].len = x->q[i].len;
		x->dv[i].queued_at = x->q[i].queued_at;
		x->res[i] = ACT_RETRY;
	}
	x->why[0] = '\0';
	int rc = x->r->ops->send(x->r, x->dv, x->n, x->res, x->why, sizeof(x->why));
	bool retry = rc < 0;
	for (size_t i = 0; i < x->n; i++) {
		/* Order is kept: after the first ACT_RETRY everything is retried. */
		if (retry || (x->res[i] != ACT_DELIVERED && x->res[i] != ACT_REJECTED))
			x->res[i] = ACT_RETRY;
		retry = retry || x->res[i] == ACT_RETRY;
	}
	if (rc < 0 && !x->why[0])
		snprintf(x->why, sizeof(x->why), "%s", ss_strerror(rc));
}

static void *worker(void *arg)
{
	struct drecv *x = arg;
	struct act_dispatch *d = x->d;

	pthread_mutex_lock(&d->mu);
	for (;;) {
		while (x->state != R_QUEUED && !d->stop)
			pthread_cond_wait(&d->cv, &d->mu);
		if (x->state != R_QUEUED)
			break;
		pthread_mutex_unlock(&d->mu);
		do_send(x);
		pthread_mutex_lock(&d->mu);
		x->state = R_DONE;
		if (write(d->wake[1], "x", 1) < 0) {
			/* The pipe is full: the owner has a wake-up pending already. */
		}
	}
	pthread_mutex_unlock(&d->mu);
	return NULL;
}

/* ---- the owner's side ------------------------------------------------------------ */

static int load_one(void *ctx, const struct rep_outbox_entry *e)
{
	struct drecv *x = ctx;

	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 64;
		struct dq_entry *q = realloc(x->q, cap * sizeof(*q));
		if (!q)
			return -ENOMEM;
		x->q = q;
		struct act_delivery *dv = realloc(x->dv, cap * sizeof(*dv));
		if (!dv)
			return -ENOMEM;
		x->dv = dv;
		enum act_result *res = realloc(x->res, cap * sizeof(*res));
		if (!res)
			return -ENOMEM;
		x->res = res;
		x->cap = cap;
	}
	if (x->alen + e->len + 1 > x->acap) {
		size_t cap = x->acap ? x->acap : 65536;
		while (cap < x->alen + e->len + 1)
			cap *= 2;
		char *a = realloc(x->arena, cap);
		if (!a)
			return -ENOMEM;
		x->arena = a;
		x->acap = cap;
	}
	struct dq_entry *q = &x->q[x->n++];
	q->seq = e->seq;
	q->id = e->id;
	q->queued_at = e->queued_at;
	q->off = x->alen;
	q->len = e->len;
	memcpy(x->arena + x->alen, e->json, e->len);
	x->arena[x->alen + e->len] = '\0';
	x->alen += e->len + 1;
	return 0;
}

/* Read the next batch after the cursor: the count, or a negative code. */
static int load(struct act_dispatch *d, struct drecv *x)
{
	size_t max = x->r->max_batch ? x->r->max_batch : 1;
	x->n = 0;
	x->alen = 0;
	int rc = rep_outbox_read(d->rep, x->cursor, max, load_one, x);
	if (rc < 0) {
		x->n = 0;
		return rc;
	}
	return (int)x->n;
}

/* The lowest cursor over every receiver, with @x's taken as @cursor. */
static uint64_t min_cursor(const struct act_dispatch *d, const struct drecv *x, uint64_t cursor)
{
	uint64_t m = cursor;
	for (size_t i = 0; i < d->n; i++)
		if (d->rx[i] != x && d->rx[i]->cursor < m)
			m = d->rx[i]->cursor;
	return m;
}

static void fmt_id(uint64_t id, char *buf)
{
	snprintf(buf, 17, "%016" PRIx64, id);
}

/* A finished send: commit the cursor and the parked entries, set the retry state. */
static int finish(struct act_dispatch *d, struct drecv *x, ss_time_us now)
{
	struct rep_park *parks = NULL;
	size_t np = 0, nd = 0, i;
	bool first = true;
	char why[ACT_WHY_SIZE + 64];
	ss_time_us wall = ss_time_now();
	int done = 0;

	if (x->n) {
		parks = calloc(x->n, sizeof(*parks));
		if (!parks)
			return -ENOMEM;
	}
	for (i = 0; i < x->n; i++) {
		if (x->res[i] == ACT_DELIVERED) {
			nd++;
			continue;
		}
		if (x->res[i] != ACT_REJECTED)
			break;
		struct rep_park *p = &parks[np++];
		p->seq = x->q[i].seq;
		p->id = x->q[i].id;
		p->queued_at = x->q[i].queued_at;
		p->parked_at = wall;
		p->why = first && x->why[0] ? x->why : "rejected by the receiver";
		p->json = x->arena + x->q[i].off;
		p->len = x->q[i].len;
		first = false;
	}
	uint64_t new_cursor = i ? x->q[i - 1].seq : x->cursor;
	bool retry = i < x->n;
	char gave_up[ACT_WHY_SIZE + 64];
	if (retry) {
		if (x->head_seq != x->q[i].seq) {
			x->head_seq = x->q[i].seq;
			x->attempts = 0;
		}
		x->attempts++;
		x->retries++;
		snprintf(x->last_error, sizeof(x->last_error), "%s", x->why[0] ? x->why : "retry");
		if (x->o.max_attempts && x->attempts >= x->o.max_attempts) {
			snprintf(gave_up, sizeof(gave_up), "gave up after %u attempts: %s", x->attempts, x->last_error);
			struct rep_park *p = &parks[np++];
			p->seq = x->q[i].seq;
			p->id = x->q[i].id;
			p->queued_at = x->q[i].queued_at;
			p->parked_at = wall;
			p->why = gave_up;
			p->json = x->arena + x->q[i].off;
			p->len = x->q[i].len;
			new_cursor = x->q[i].seq;
			retry = false;
		}
	}
	if (new_cursor != x->cursor || np) {
		int rc = rep_delivery_commit(d->rep, x->r->name, new_cursor, parks, np, min_cursor(d, x, new_cursor));
		if (rc < 0) {
			/* Not committed: the batch is offered again (same ids) after a pause. */
			ss_error("sink %s: cannot commit its cursor: %s", x->r->name, ss_strerror(rc));
			x->next_try = now + (x->o.retry_min > 0 ? x->o.retry_min : DEFAULT_RETRY_MIN);
			free(parks);
			return rc;
		}
		for (size_t k = 0; k < np; k++) {
			char hex[17];
			fmt_id(parks[k].id, hex);
			snprintf(why, sizeof(why), "%s", parks[k].why);
			ss_error("sink %s: action %s (outbox #%" PRIu64 ") parked: %s", x->r->name, hex, parks[k].seq,
				 why);
		}
		done = (int)(new_cursor > x->cursor ? new_cursor - x->cursor : 0);
		x->delivered += nd;
		x->parked += np;
		x->cursor = new_cursor;
	}
	free(parks);
	if (retry) {
		ss_time_us lo = x->o.retry_min, hi = x->o.retry_max, b = lo;
		for (uint32_t k = 1; k < x->attempts && b < hi; k++)
			b *= 2;
		if (b > hi)
			b = hi;
		ss_time_us wait = b / 2 + (ss_time_us)(rnd(d) % (uint64_t)(b / 2 + 1));
		x->next_try = now + wait;
		if ((x->attempts & (x->attempts - 1)) == 0) /* 1, 2, 4, 8 ... : not one line per retry */
			ss_warn("sink %s: delivery failed (attempt %u): %s; retrying in %.1f s", x->r->name, x->attempts,
				x->last_error, (double)wait / 1e6);
	} else {
		if (x->attempts)
			ss_info("sink %s: delivering again after %u failed attempts", x->r->name, x->attempts);
		x->attempts = 0;
		x->head_seq = 0;
		x->next_try = now;
	}
	return done;
}

static void do_reopen(struct drecv *x)
{
	x->reopen_pending = false;
	if (!x->r->ops->reopen)
		return;
	int rc = x->r->ops->reopen(x->r);
	if (rc < 0)
		ss_error("sink %s: reopen: %s (keeps the old one)", x->r->name, ss_strerror(rc));
}

int act_dispatch_poll(struct act_dispatch *d)
{
	char buf[64];
	int total = 0, first_err = 0;

	if (d->o.threaded)
		while (read(d->wake[0], buf, sizeof(buf)) > 0) {
		}
	ss_time_us now = now_of(d);
	for (size_t k = 0; k < d->n; k++) {
		struct drecv *x = d->rx[k];
		for (int round = 0; round < UNTHREADED_ROUNDS; round++) {
			enum drecv_state s = get_state(d, x);
			if (s == R_DONE) {
				int rc = finish(d, x, now);
				if (rc < 0 && !first_err)
					first_err = rc;
				if (rc > 0)
					total += rc;
				x->n = 0;
				set_state(d, x, R_IDLE);
				if (x->reopen_pending)
					do_reopen(x);
				s = R_IDLE;
			}
			if (s != R_IDLE || now < x->next_try)
				break;
			int n = load(d, x);
			if (n <= 0) {
				if (n < 0 && !first_err)
					first_err = n;
				break;
			}
			if (d->o.threaded) {
				set_state(d, x, R_QUEUED);
				break;
			}
			do_send(x);
			x->state = R_DONE;
		}
	}
	if (now >= d->next_id_trim) {
		uint64_t removed = 0;
		int rc = rep_outbox_trim_ids(d->rep, ss_time_now() - d->o.id_retention, &removed);
		if (rc < 0)
			ss_error("outbox: trimming old ids: %s", ss_strerror(rc));
		else if (removed)
			ss_debug("outbox: %" PRIu64 " ids older than the retention forgotten", removed);
		d->next_id_trim = now + ID_TRIM_INTERVAL;
	}
	return first_err ? first_err : total;
}

int act_dispatch_fd(const struct act_dispatch *d)
{
	return d->o.threaded ? d->wake[0] : -1;
}

ss_time_us act_dispatch_next_wake(const struct act_dispatch *d)
{
	ss_time_us w = 0;
	for (size_t k = 0; k < d->n; k++) {
		const struct drecv *x = d->rx[k];
		if (x->attempts && (w == 0 || x->next_try < w))
			w = x->next_try;
	}
	return w;
}

static bool caught_up(struct act_dispatch *d, uint64_t last)
{
	for (size_t k = 0; k < d->n; k++)
		if (get_state(d, d->rx[k]) != R_IDLE || d->rx[k]->cursor < last)
			return false;
	return true;
}

int act_dispatch_drain(struct act_dispatch *d, ss_time_us timeout)
{
	ss_time_us start = ss_time_monotonic();

	for (;;) {
		int rc = act_dispatch_poll(d);
		if (rc < 0 && rc != -ENOMEM)
			ss_debug("outbox drain: %s", ss_strerror(rc));
		uint64_t last = 0;
		int lrc = rep_outbox_last(d->rep, &last);
		if (lrc < 0)
			return lrc;
		if (caught_up(d, last))
			return 0;
		ss_time_us now = ss_time_monotonic();
		if (timeout && now - start >= timeout)
			return -ETIMEDOUT;
		if (rc > 0)
			continue; /* progress: go on at once */
		/* Wait for a threaded send to finish or the next retry to fall due. */
		ss_time_us wait = 100 * 1000;
		ss_time_us wake = act_dispatch_next_wake(d);
		if (wake) {
			ss_time_us dn = now_of(d);
			wait = wake > dn ? wake - dn : 0;
			if (wait > 100 * 1000)
				wait = 100 * 1000;
		}
		if (d->o.threaded) {
			struct pollfd p = { .fd = d->wake[0], .events = POLLIN };
			(void)poll(&p, 1, (int)(wait / 1000) + 1);
		} else if (wait > 0) {
			usleep((useconds_t)wait);
		}
	}
}

void act_dispatch_reopen(struct act_dispatch *d)
{
	for (size_t k = 0; k < d->n; k++) {
		struct drecv *x = d->rx[k];
		if (get_state(d, x) == R_IDLE)
			do_reopen(x);
		else
			x->reopen_pending = true;
	}
}

size_t act_dispatch_count(const struct act_dispatch *d)
{
	return d->n;
}

size_t act_dispatch_stats(struct act_dispatch *d, struct act_dispatch_stats *out, size_t max)
{
	uint64_t last = 0;
	if (rep_outbox_last(d->rep, &last) < 0)
		last = 0;
	size_t n = 0;
	for (size_t k = 0; k < d->n && n < max; k++, n++) {
		struct drecv *x = d->rx[k];
		struct act_dispatch_stats *s = &out[n];
		memset(s, 0, sizeof(*s));
		snprintf(s->name, sizeof(s->name), "%s", x->r->name);
		s->type = x->r->ops->type;
		s->cursor = x->cursor;
		s->backlog = last > x->cursor ? last - x->cursor : 0;
		s->delivered = x->delivered;
		s->parked = x->parked;
		s->retries = x->retries;
		s->attempts = x->attempts;
		s->in_flight = get_state(d, x) != R_IDLE;
		snprintf(s->last_error, sizeof(s->last_error), "%s", x->last_error);
	}
	return n;
}

/* ---- set-up -------------------------------------------------------------------------- */

int act_dispatch_open(struct rep *rep, const struct act_dispatch_options *opt, struct act_dispatch **out)
{
	struct act_dispatch *d = calloc(1, sizeof(*d));

	*out = NULL;
	if (!d)
		return -ENOMEM;
	d->rep = rep;
	if (opt)
		d->o = *opt;
	if (d->o.id_retention <= 0)
		d->o.id_retention = DEFAULT_ID_RETENTION;
	d->rng = d->o.seed ? d->o.seed : (uint64_t)ss_time_monotonic() ^ UINT64_C(0x9e3779b97f4a7c15);
	if (!d->rng)
		d->rng = 1;
	d->wake[0] = d->wake[1] = -1;
	pthread_mutex_init(&d->mu, NULL);
	pthread_cond_init(&d->cv, NULL);
	if (d->o.threaded && pipe2(d->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		int rc = -errno;
		act_dispatch_close(d);
		return rc;
	}
	*out = d;
	return 0;
}

int act_dispatch_add(struct act_dispatch *d, struct act_receiver *r, const struct act_dispatch_receiver_options *o)
{
	struct drecv *x = NULL;
	int rc;

	if (d->n == ACT_DISPATCH_MAX) {
		ss_error("sink %s: at most %d receivers", r->name, ACT_DISPATCH_MAX);
		rc = -SS_EFULL;
		goto fail;
	}
	for (size_t k = 0; k < d->n; k++)
		if (strcmp(d->rx[k]->r->name, r->name) == 0) {
			ss_error("sink %s: configured twice", r->name);
			rc = -SS_EDUP;
			goto fail;
		}
	x = calloc(1, sizeof(*x));
	if (!x) {
		rc = -ENOMEM;
		goto fail;
	}
	x->d = d;
	x->r = r;
	if (o)
		x->o = *o;
	if (x->o.retry_min <= 0)
		x->o.retry_min = DEFAULT_RETRY_MIN;
	if (x->o.retry_max < x->o.retry_min)
		x->o.retry_max = x->o.retry_max > 0 ? x->o.retry_min : DEFAULT_RETRY_MAX;
	if (x->o.retry_max < x->o.retry_min)
		x->o.retry_max = x->o.retry_min;
	rc = rep_cursor_init(d->rep, r->name, &x->cursor);
	if (rc < 0) {
		ss_error("sink %s: cannot read its cursor: %s", r->name, ss_strerror(rc));
		goto fail;
	}
	if (d->o.threaded) {
		rc = -pthread_create(&x->th, NULL, worker, x);
		if (rc < 0)
			goto fail;
		x->has_thread = true;
	}
	d->rx[d->n++] = x;
	ss_debug("sink %s (%s): cursor at outbox #%" PRIu64, r->name, r->ops->type, x->cursor);
	return 0;
fail:
	free(x);
	act_receiver_close(r);
	return rc;
}

int act_dispatch_read_options(const struct ss_config *cfg, const char *name, struct act_dispatch_receiver_options *o)
{
	char sec[96];
	int64_t attempts;

	memset(o, 0, sizeof(*o));
	snprintf(sec, sizeof(sec), "sink.%s", name);
	if (ss_config_duration(cfg, sec, "retry_min", DEFAULT_RETRY_MIN, &o->retry_min) < 0 ||
	    ss_config_duration(cfg, sec, "retry_max", DEFAULT_RETRY_MAX, &o->retry_max) < 0 ||
	    ss_config_int(cfg, sec, "max_attempts", 0, 0, 1000000, &attempts) < 0)
		return -SS_ECONFIG;
	if (o->retry_min <= 0 || o->retry_max < o->retry_min) {
		ss_error("%s: [%s]: need 0 < retry_min <= retry_max", ss_config_path(cfg), sec);
		return -SS_ECONFIG;
	}
	o->max_attempts = (uint32_t)attempts;
	return 0;
}

int act_dispatch_configure(struct act_dispatch *d, const struct ss_config *cfg)
{
	char names[ACT_DISPATCH_MAX][64];
	size_t n = 0;
	int added = 0;

	if (ss_config_sections(cfg, "sink.", &names[0][0], sizeof(names[0]), ACT_DISPATCH_MAX, &n) < 0) {
		ss_error("%s: at most %d [sink.<name>] sections", ss_config_path(cfg), ACT_DISPATCH_MAX);
		return -SS_ECONFIG;
	}
	for (size_t i = 0; i < n; i++) {
		struct act_dispatch_receiver_options o;
		struct act_receiver *r = NULL;
		int rc = act_dispatch_read_options(cfg, names[i], &o);
		if (rc == 0)
			rc = act_receiver_open(cfg, names[i], &r);
		if (rc == 0)
			rc = act_dispatch_add(d, r, &o);
		if (rc < 0) {
			ss_error("%s: [sink.%s]: %s", ss_config_path(cfg), names[i], ss_strerror(rc));
			return rc == -SS_EMISSING ? -SS_ECONFIG : rc;
		}
		added++;
	}
	return added;
}

void act_dispatch_close(struct act_dispatch *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->mu);
	d->stop = true;
	pthread_cond_broadcast(&d->cv);
	pthread_mutex_unlock(&d->mu);
	for (size_t k = 0; k < d->n; k++) {
		struct drecv *x = d->rx[k];
		if (x->has_thread)
			pthread_join(x->th, NULL);
		/* A send that finished is committed: its acknowledgement is not wasted. */
		if (x->state == R_DONE) {
			finish(d, x, now_of(d));
			x->state = R_IDLE;
		}
	}
	for (size_t k = 0; k < d->n; k++) {
		struct drecv *x = d->rx[k];
		act_receiver_close(x->r);
		free(x->q);
		free(x->dv);
		free(x->res);
		free(x->arena);
		free(x);
	}
	for (int i = 0; i < 2; i++)
		if (d->wake[i] >= 0)
			close(d->wake[i]);
	pthread_cond_destroy(&d->cv);
	pthread_mutex_destroy(&d->mu);
	free(d);
}
