/*
 * merge.c - k-way time-ordered merge with a bounded reorder window and
 * de-duplication (see merge.h; cdr.md "Rules": streams may be out of order by
 * minutes, inputs are merged by time, duplicate records count once).
 *
 * Buffer: events live in a pool of fixed slots allocated in chunks (slots
 * never move, so the heap holds pointers, not 400-byte structs).  The heap
 * entry carries its sort key (time, input position, arrival sequence) so
 * sifting touches only the 32-byte entries.  Slots are recycled through a
 * free list; the pool grows only while more events are buffered than ever
 * before, which the window and max_buffered bound.
 *
 * Release rule: the earliest buffered event at time t is released once every
 * open input's high-water mark (latest time it has produced) is >= t + window,
 * or when more than max_buffered events are held.  We always read from the
 * open input with the lowest high-water mark: it is the one holding back
 * the release.
 *
 * De-duplication runs on release, in time order, against one open-addressing
 * table of (hash, event time).  An entry whose time is older than the latest
 * released time minus the horizon is expired: lookups skip over it and
 * inserts reuse it; a rebuild when the table is 3/4 used drops expired
 * entries and grows the table, up to a cap.
 */
#include "ingest/merge.h"

#include "core/err.h"
#include "core/prefetch.h"
#include "core/log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define POOL_CHUNK 256
#define DEFAULT_WINDOW (5 * SS_US_PER_MIN)
#define DEFAULT_MAX_BUFFERED 1000000u
#define DEFAULT_HORIZON SS_US_PER_HOUR
#define DEFAULT_DEDUP_KEYS 2097152u
#define DEDUP_MIN_CAP 1024u

struct mslot {
	struct event ev;
	struct mslot *next_free;
};

struct mchunk {
	struct mchunk *next;
	struct mslot slots[POOL_CHUNK];
};

struct heap_ent {
	ss_time_us time;
	uint64_t order; /* input position << ORDER_SEQ_BITS | arrival sequence within it */
	struct mslot *slot;
	uint64_t dedup_hash; /* ev_dedup_hash(), computed while the event is hot in cache */
};

/* 2^48 events an input (9 years at 1M/s; the sequence wraps after), 65,535 inputs. */
#define ORDER_SEQ_BITS 48
#define ORDER_SEQ_MASK ((UINT64_C(1) << ORDER_SEQ_BITS) - 1)

struct msrc {
	struct ingest_source *src;
	ss_time_us hw; /* latest event time read */
	uint64_t seq;
	bool started;
	bool ended;
};

struct merge {
	struct msrc *in;
	size_t n;
	ss_time_us window;
	size_t max_buffered;
	ss_time_us horizon; /* < 0: no de-duplication */

	struct heap_ent *heap;
	size_t hn, hcap;

	struct mchunk *chunks;
	struct mslot *free_list;

	bool released_any;
	ss_time_us released_max; /* latest time released (late detection, dedup expiry) */

	uint64_t *dd; /* see "de-duplication table" */
	size_t dd_cap, dd_cap_max;
	size_t dd_used; /* non-empty slots, expired ones included */
	size_t dd_max_keys;
	bool dd_warned;

	struct merge_stats st;
};

/* ---- event pool ---- */

static struct mslot *slot_get(struct merge *m)
{
	if (!m->free_list) {
		struct mchunk *c = malloc(sizeof(*c));
		if (!c)
			return NULL;
		c->next = m->chunks;
		m->chunks = c;
		for (size_t i = POOL_CHUNK; i-- > 0;) {
			ev_init(&c->slots[i].ev);
			c->slots[i].next_free = m->free_list;
			m->free_list = &c->slots[i];
		}
		m->st.pool_slots += POOL_CHUNK;
	}
	struct mslot *s = m->free_list;
	m->free_list = s->next_free;
	return s;
}

/* slot_put() - recycle @s; its event must hold no text (moved out or cleared). */
static void slot_put(struct merge *m, struct mslot *s)
{
	s->next_free = m->free_list;
	m->free_list = s;
}

/* ---- heap ---- */

static inline bool ent_less(const struct heap_ent *a, const struct heap_ent *b)
{
	return a->time < b->time || (a->time == b->time && a->order < b->order);
}

static int heap_push(struct merge *m, struct heap_ent e)
{
	if (m->hn == m->hcap) {
		size_t ncap = m->hcap ? m->hcap * 2 : 1024;
		struct heap_ent *nh = realloc(m->heap, ncap * sizeof(*nh));
		if (!nh)
			return -ENOMEM;
		m->heap = nh;
		m->hcap = ncap;
	}
	size_t i = m->hn++;
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!ent_less(&e, &m->heap[parent]))
			break;
		m->heap[i] = m->heap[parent];
		i = parent;
	}
	m->heap[i] = e;
	if (m->hn > m->st.peak_buffered)
		m->st.peak_buffered = m->hn;
	return 0;
}

/*
 * heap_pop() - Floyd's variant: walk the hole down to a leaf along the
 * smaller children (one comparison a level), then sift the last entry up
 * from there.  The last entry is among the latest events, so it rarely
 * climbs: about half the comparisons of the textbook sift-down, and the
 * heap was most of the merge's cost.
 */
static struct heap_ent heap_pop(struct merge *m)
{
	struct heap_ent top = m->heap[0];
	struct heap_ent last = m->heap[--m->hn];
	size_t i = 0, n = m->hn;

	if (n == 0)
		return top;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && ent_less(&m->heap[c + 1], &m->heap[c]))
			c++;
		m->heap[i] = m->heap[c];
		i = c;
	}
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!ent_less(&last, &m->heap[parent]))
			break;
		m->heap[i] = m->heap[parent];
		i = parent;
	}
	m->heap[i] = last;
	return top;
}

/* ---- de-duplication table ----
 *
 * One 8-byte word a key: the upper 40 bits of the record hash (the "tag",
 * never 0, so 0 marks an empty slot) and the record time in whole seconds
 * modulo 2^24 (194 days).  Stored times are never later than released_max,
 * so a time is recovered as its age before released_max.  Half the memory of
 * a {hash, time} pair: at a national feed's rate an hour of keys is millions
 * of them.  Two different records share a tag with probability 2^-40 per
 * probe: a spurious duplicate every few hundred billion records.  Horizons
 * are capped below 2^23 s (merge_open) so ages never alias.
 */

#define DD_TIME_BITS 24
#define DD_TIME_MASK ((UINT64_C(1) << DD_TIME_BITS) - 1)

static inline uint64_t dd_tag(uint64_t h)
{
	return (h & ~DD_TIME_MASK) ? (h & ~DD_TIME_MASK) : (UINT64_C(1) << DD_TIME_BITS);
}

static inline uint64_t dd_word(uint64_t tag, ss_time_us t)
{
	return tag | ((uint64_t)(t / SS_US_PER_SEC) & DD_TIME_MASK);
}

/* dd_age() - seconds between the word's time and released_max. */
static inline int64_t dd_age(const struct merge *m, uint64_t w)
{
	uint64_t now_s = (uint64_t)(m->released_max / SS_US_PER_SEC);
	return (int64_t)((now_s - (w & DD_TIME_MASK)) & DD_TIME_MASK);
}

static inline bool dd_live(const struct merge *m, uint64_t w, int64_t horizon_s)
{
	return w && dd_age(m, w) <= horizon_s;
}

static size_t dd_count_live(const struct merge *m, int64_t horizon_s)
{
	size_t live = 0;
	for (size_t i = 0; i < m->dd_cap; i++)
		if (dd_live(m, m->dd[i], horizon_s))
			live++;
	return live;
}

/*
 * dd_rebuild() - drop expired entries, grow while more than half full (up
 * to dd_cap_max), and when even the largest table would be over half full
 * forget the oldest keys by narrowing the horizon for this rebuild.
 */
static int dd_rebuild(struct merge *m)
{
	int64_t h_eff = m->horizon / SS_US_PER_SEC;
	size_t live = dd_count_live(m, h_eff);
	size_t ncap = m->dd_cap ? m->dd_cap : DEDUP_MIN_CAP;

	while (live > ncap / 2 && ncap < m->dd_cap_max)
		ncap *= 2;
	while (ncap > DEDUP_MIN_CAP && live < ncap / 8)
		ncap /= 2; /* the feed slowed down: give memory back */
	if (live > ncap / 2) {
		size_t before = live;
		while (live > ncap / 2 && h_eff > 0) {
			h_eff /= 2;
			live = dd_count_live(m, h_eff);
		}
		if (live > ncap / 2) { /* all at one instant: forget them all */
			h_eff = -1;
			live = 0;
		}
		m->st.dedup_forgotten += before - live;
		if (!m->dd_warned) {
			m->dd_warned = true;
			ss_warn("merge: de-duplication memory full (%zu keys); duplicates more than "
				"%lld s apart may be missed (raise dedup_max_keys)",
				before, (long long)(h_eff > 0 ? h_eff : 0));
		}
	}
	uint64_t *nt = calloc(ncap, sizeof(*nt));
	if (!nt)
		return -ENOMEM;
	size_t mask = ncap - 1, used = 0;
	for (size_t i = 0; i < m->dd_cap; i++) {
		uint64_t w = m->dd[i];
		if (!dd_live(m, w, h_eff))
			continue;
		size_t j = (size_t)(w >> DD_TIME_BITS) & mask;
		while (nt[j])
			j = (j + 1) & mask;
		nt[j] = w;
		used++;
	}
	free(m->dd);
	m->dd = nt;
	m->dd_cap = ncap;
	m->dd_used = used;
	return 0;
}

/*
 * dd_seen() - has a record with hash @h been released within the horizon of
 * time @t?  If not, remember it.  Returns 1 (duplicate), 0, or -ENOMEM.
 */
static int dd_seen(struct merge *m, uint64_t h, ss_time_us t)
{
	if (!m->dd) {
		int rc = dd_rebuild(m);
		if (rc < 0)
			return rc;
	}
	const int64_t horizon_s = m->horizon / SS_US_PER_SEC;
	const uint64_t tag = dd_tag(h);
	const size_t mask = m->dd_cap - 1;
	const uint64_t word = dd_word(tag, t);
	uint64_t *reuse = NULL;

	size_t i = (size_t)(tag >> DD_TIME_BITS) & mask;
	for (;; i = (i + 1) & mask) {
		uint64_t *e = &m->dd[i];
		if (!*e)
			break;
		if ((*e & ~DD_TIME_MASK) == tag) {
			int64_t t_s = t / SS_US_PER_SEC;
			int64_t e_s = m->released_max / SS_US_PER_SEC - dd_age(m, *e);
			int64_t d = t_s > e_s ? t_s - e_s : e_s - t_s;
			if (dd_age(m, *e) <= horizon_s && d <= horizon_s)
				return 1;
			*e = word; /* same key, too far apart: a new record */
			return 0;
		}
		if (!reuse && dd_age(m, *e) > horizon_s)
			reuse = e;
	}
	if (reuse) {
		*reuse = word;
		return 0;
	}
	m->dd[i] = word;
	if (++m->dd_used > m->dd_cap / 4 * 3)
		return dd_rebuild(m);
	return 0;
}

/* ---- merge ---- */

int merge_open(struct ingest_source **sources, size_t n, const struct merge_options *opt,
	       struct merge **out)
{
	struct merge_options o = { 0 };
	struct merge *m;

	*out = NULL;
	if (opt)
		o = *opt;
	if (o.reorder_window < 0 || n >= ((size_t)1 << (64 - ORDER_SEQ_BITS)))
		return -EINVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->in = calloc(n ? n : 1, sizeof(*m->in));
	if (!m->in) {
		free(m);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		m->in[i].src = sources[i];
	m->n = n;
	m->window = o.reorder_window ? o.reorder_window : DEFAULT_WINDOW;
	m->max_buffered = o.max_buffered ? o.max_buffered : DEFAULT_MAX_BUFFERED;
	m->horizon = o.dedup_horizon ? o.dedup_horizon : DEFAULT_HORIZON;
	/* Stored times are 24-bit seconds: keep ages unambiguous (dd_age). */
	if (m->horizon > (INT64_C(1) << (DD_TIME_BITS - 1)) * SS_US_PER_SEC)
		m->horizon = (INT64_C(1) << (DD_TIME_BITS - 1)) * SS_US_PER_SEC;
	m->dd_max_keys = o.dedup_max_keys ? o.dedup_max_keys : DEFAULT_DEDUP_KEYS;
	m->dd_cap_max = DEDUP_MIN_CAP;
	while (m->dd_cap_max / 2 < m->dd_max_keys && m->dd_cap_max < ((size_t)1 << 40))
		m->dd_cap_max *= 2;
	*out = m;
	return 0;
}

/* releasable() - may the heap top go now? */
static bool releasable(const struct merge *m)
{
	const ss_time_us t = m->heap[0].time;

	if (m->hn > m->max_buffered)
		return true;
	for (size_t i = 0; i < m->n; i++) {
		const struct msrc *s = &m->in[i];
		if (s->ended)
			continue;
		if (!s->started)
			return false;
		/* hw >= t + window, written so it cannot overflow */
		if (s->hw < t || s->hw - t < m->window)
			return false;
	}
	return true;
}

/* pick_input() - the open input holding back the release, or NULL if all ended. */
static struct msrc *pick_input(struct merge *m)
{
	struct msrc *best = NULL;
	for (size_t i = 0; i < m->n; i++) {
		struct msrc *s = &m->in[i];
		if (s->ended)
			continue;
		if (!s->started)
			return s;
		if (!best || s->hw < best->hw)
			best = s;
	}
	return best;
}

/* read_one() - read one event from @s into the buffer.  1, 0 (ended), < 0. */
static int read_one(struct merge *m, struct msrc *s)
{
	struct mslot *slot = slot_get(m);
	int rc;

	if (!slot)
		return -ENOMEM;
	rc = ingest_next(s->src, &slot->ev);
	if (rc == -EAGAIN) { /* a live input with nothing now: still open */
		ev_init(&slot->ev);
		slot_put(m, slot);
		return rc;
	}
	if (rc <= 0) {
		s->ended = true;
		ev_init(&slot->ev);
		slot_put(m, slot);
		return rc;
	}
	const ss_time_us t = slot->ev.time;
	if (m->released_any && t < m->released_max) {
		s->src->counters.late++;
		m->st.late++;
	}
	if (!s->started || t > s->hw)
		s->hw = t;
	s->started = true;
	struct heap_ent e = { t, ((uint64_t)(s - m->in) << ORDER_SEQ_BITS) | (s->seq++ & ORDER_SEQ_MASK),
				slot, m->horizon >= 0 ? ev_dedup_hash(&slot->ev) : 0 };
	rc = heap_push(m, e);
	if (rc < 0) {
		ev_clear(&slot->ev);
		slot_put(m, slot);
		return rc;
	}
	return 1;
}

/*
 * merge_prefetch_next() - start loading what the next release will touch:
 * its de-duplication slot (a random spot in a table of up to an hour of
 * keys, and otherwise the merge's main cache miss) and the event itself.
 * The caller's work on the event just returned hides the latency.
 */
static inline void merge_prefetch_next(const struct merge *m)
{
	if (m->hn == 0)
		return;
	/*
	 * The next release is the root; the one after it is almost always one
	 * of the root's children.  Fetching both generations gives the loads
	 * two events' worth of work to arrive in.
	 */
	size_t n = m->hn < 3 ? m->hn : 3;
	for (size_t k = 0; k < n; k++) {
		const struct heap_ent *next = &m->heap[k];
		if (m->dd && m->horizon >= 0)
			ss_prefetch(&m->dd[(size_t)(dd_tag(next->dedup_hash) >> DD_TIME_BITS) & (m->dd_cap - 1)]);
		const char *p = (const char *)&next->slot->ev;
		for (size_t off = 0; off < sizeof(struct event); off += 64)
			ss_prefetch(p + off);
	}
}

int merge_next(struct merge *m, struct event *ev)
{
	for (;;) {
		if (m->hn > 0 && releasable(m)) {
			bool early = m->hn > m->max_buffered;
			struct heap_ent e = heap_pop(m);
			struct mslot *slot = e.slot;
			if (early)
				m->st.early_releases++;
			if (!m->released_any || e.time > m->released_max)
				m->released_max = e.time;
			m->released_any = true;
			if (m->horizon >= 0) {
				int dup = dd_seen(m, e.dedup_hash, e.time);
				if (dup < 0) {
					ev_clear(&slot->ev);
					slot_put(m, slot);
					return dup;
				}
				if (dup) {
					m->in[e.order >> ORDER_SEQ_BITS].src->counters.duplicates++;
					m->st.duplicates++;
					ev_clear(&slot->ev);
					slot_put(m, slot);
					continue;
				}
			}
			*ev = slot->ev; /* the text moves to the caller */
			slot->ev.text = NULL;
			slot->ev.text_len = 0;
			slot_put(m, slot);
			m->st.delivered++;
			merge_prefetch_next(m);
			return 1;
		}
		struct msrc *s = pick_input(m);
		if (!s) {
			if (m->hn == 0)
				return 0;
			continue; /* everything ended: releasable() is now true */
		}
		int rc = read_one(m, s);
		if (rc < 0)
			return rc;
	}
}

void merge_get_stats(const struct merge *m, struct merge_stats *st)
{
	*st = m->st;
	st->buffered = m->hn;
	st->dedup_capacity = m->dd_cap;
	st->dedup_keys = m->dd_used;
}

void merge_close(struct merge *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->hn; i++)
		ev_clear(&m->heap[i].slot->ev);
	while (m->chunks) {
		struct mchunk *c = m->chunks;
		m->chunks = c->next;
		free(c);
	}
	free(m->heap);
	free(m->dd);
	free(m->in);
	free(m);
}

void merge_advance(struct merge *m, ss_time_us t)
{
	for (size_t i = 0; i < m->n; i++) {
		struct msrc *s = &m->in[i];
		if (s->ended)
			continue;
		if (!s->started || t > s->hw)
			s->hw = t;
		s->started = true;
	}
}

int merge_drain_next(struct merge *m, struct event *ev)
{
	for (size_t i = 0; i < m->n; i++)
		m->in[i].ended = true;
	return merge_next(m, ev);
}
