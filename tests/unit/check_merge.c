/*
 * check_merge.c - the time-ordered merge (src/ingest/merge.c, merge.h):
 * ordering across inputs, the reorder window, late records, stable order
 * for equal times, de-duplication and its horizon, max_buffered, I/O
 * errors, bounded memory over millions of events, and CSV inputs end to end;
 * and the reader thread over it (src/ingest/reader.c): the same events in
 * the same order at every batch size and depth, errors, stop and close.
 */
#include "core/err.h"
#include "ingest/merge.h"
#include "ingest/reader.h"

#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- a scripted source ---- */

struct fake_ev {
	int64_t t; /* seconds */
	const char *msisdn;
	const char *record_id;
	const char *text;
};

struct fake_src {
	struct ingest_source base;
	const struct fake_ev *evs;
	size_t n, i;
	size_t fail_after; /* return -EIO after this many events (0 = never) */
	/* Generator mode (evs == NULL): n events, rate per second, jitter. */
	uint64_t rng;
	unsigned per_sec;
	int64_t jitter_s;
	unsigned id; /* distinguishes generated record ids between inputs */
	/* Live mode: only the first @avail events exist yet; then -EAGAIN, never 0. */
	bool live;
	size_t avail;
};

static int fake_next(struct ingest_source *src, struct event *ev)
{
	struct fake_src *f = (struct fake_src *)src;

	if (f->fail_after && f->i == f->fail_after)
		return -EIO;
	if (f->live && (f->i >= f->avail || f->i >= f->n))
		return -EAGAIN;
	if (f->i >= f->n)
		return 0;
	ev_init(ev);
	ev->kind = EV_CALL;
	ev->direction = EV_DIR_MO;
	ev->line = f->i + 2;
	if (f->evs) {
		const struct fake_ev *e = &f->evs[f->i];
		ev->time = e->t * SS_US_PER_SEC;
		snprintf(ev->msisdn, sizeof(ev->msisdn), "%s", e->msisdn ? e->msisdn : "1");
		if (e->record_id)
			snprintf(ev->record_id, sizeof(ev->record_id), "%s", e->record_id);
		if (e->text)
			ck_assert_int_eq(ev_set_text(ev, e->text, strlen(e->text)), 0);
	} else {
		f->rng = f->rng * 6364136223846793005ull + 1442695040888963407ull;
		int64_t j = (int64_t)((f->rng >> 33) % (uint64_t)(2 * f->jitter_s + 1)) - f->jitter_s;
		ev->time = (int64_t)(f->i / f->per_sec) * SS_US_PER_SEC + 1000 * SS_US_PER_SEC +
			   j * SS_US_PER_SEC;
		snprintf(ev->record_id, sizeof(ev->record_id), "g%u-%zu", f->id, f->i);
		if (f->i % 1000 == 0)
			ck_assert_int_eq(ev_set_text(ev, "hello", 5), 0);
	}
	f->i++;
	src->counters.accepted++;
	return 1;
}

static void fake_close(struct ingest_source *src)
{
	(void)src;
}

static const struct ingest_source_ops fake_ops = { .next = fake_next, .close = fake_close };

static void fake_init(struct fake_src *f, const char *name, const struct fake_ev *evs, size_t n)
{
	memset(f, 0, sizeof(*f));
	f->base.ops = &fake_ops;
	f->base.name = (char *)name;
	f->base.kind = "cdr";
	f->evs = evs;
	f->n = n;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Merge everything; times (s) and record ids into out arrays; returns count. */
static size_t drain(struct merge *m, int64_t *times, const char **ids, size_t max)
{
	struct event ev;
	size_t n = 0;
	int rc;

	while ((rc = merge_next(m, &ev)) == 1) {
		if (n < max) {
			times[n] = ev.time / SS_US_PER_SEC;
			if (ids)
				ids[n] = NULL;
		}
		n++;
		ev_clear(&ev);
	}
	ck_assert_int_eq(rc, 0);
	return n;
}

START_TEST(test_two_sources)
{
	static const struct fake_ev a[] = { { 1, 0, 0, 0 }, { 3, 0, 0, 0 }, { 5, 0, 0, 0 } };
	static const struct fake_ev b[] = { { 2, "2", 0, 0 }, { 4, "2", 0, 0 }, { 6, "2", 0, "t" } };
	struct fake_src fa, fb;
	struct ingest_source *srcs[2] = { &fa.base, &fb.base };
	struct merge *m;
	int64_t t[8];

	fake_init(&fa, "a", a, N(a));
	fake_init(&fb, "b", b, N(b));
	ck_assert_int_eq(merge_open(srcs, 2, NULL, &m), 0);
	ck_assert_uint_eq(drain(m, t, NULL, 8), 6);
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(t[i], i + 1);
	merge_close(m);
}
END_TEST

START_TEST(test_reorder_and_late)
{
	static const struct fake_ev a[] = { { 10, 0, 0, 0 }, { 5, 0, 0, 0 },   { 20, 0, 0, 0 },
					    { 15, 0, 0, 0 }, { 400, 0, 0, 0 }, { 12, 0, 0, 0 },
					    { 700, 0, 0, 0 } };
	static const int64_t want[] = { 5, 10, 15, 20, 12, 400, 700 };
	struct fake_src fa;
	struct ingest_source *srcs[1] = { &fa.base };
	struct merge_options o = { .reorder_window = 300 * SS_US_PER_SEC };
	struct merge *m;
	struct merge_stats st;
	int64_t t[8];

	fake_init(&fa, "a", a, N(a));
	ck_assert_int_eq(merge_open(srcs, 1, &o, &m), 0);
	ck_assert_uint_eq(drain(m, t, NULL, 8), N(want));
	for (size_t i = 0; i < N(want); i++)
		ck_assert_int_eq(t[i], want[i]);
	ck_assert_uint_eq(fa.base.counters.late, 1);
	merge_get_stats(m, &st);
	ck_assert_uint_eq(st.late, 1);
	ck_assert_uint_eq(st.delivered, N(want));
	ck_assert_uint_eq(st.early_releases, 0);
	merge_close(m);
}
END_TEST

/* Two switches, each in order, interleaved minutes apart: merged in order, none late. */
START_TEST(test_interleaved_window)
{
	static const struct fake_ev a[] = { { 100, 0, 0, 0 }, { 160, 0, 0, 0 }, { 220, 0, 0, 0 },
					    { 280, 0, 0, 0 } };
	static const struct fake_ev b[] = { { 90, "2", 0, 0 }, { 150, "2", 0, 0 },
					    { 170, "2", 0, 0 }, { 500, "2", 0, 0 } };
	struct fake_src fa, fb;
	struct ingest_source *srcs[2] = { &fa.base, &fb.base };
	struct merge *m;
	int64_t t[8];

	fake_init(&fa, "a", a, N(a));
	fake_init(&fb, "b", b, N(b));
	ck_assert_int_eq(merge_open(srcs, 2, NULL, &m), 0);
	ck_assert_uint_eq(drain(m, t, NULL, 8), 8);
	for (int i = 1; i < 8; i++)
		ck_assert_int_le(t[i - 1], t[i]);
	ck_assert_uint_eq(fa.base.counters.late + fb.base.counters.late, 0);
	merge_close(m);
}
END_TEST

/* Equal times: input position first, then arrival order. */
START_TEST(test_equal_times_stable)
{
	static const struct fake_ev a[] = { { 5, "1", "a1", 0 }, { 5, "1", "a2", 0 }, { 5, "1", "a3", 0 } };
	static const struct fake_ev b[] = { { 5, "1", "b1", 0 }, { 5, "1", "b2", 0 } };
	struct fake_src fa, fb;
	/* b is input 0 here. */
	struct ingest_source *srcs[2] = { &fb.base, &fa.base };
	struct merge *m;
	struct event ev;
	static const char *const want[] = { "b1", "b2", "a1", "a2", "a3" };

	fake_init(&fa, "a", a, N(a));
	fake_init(&fb, "b", b, N(b));
	ck_assert_int_eq(merge_open(srcs, 2, NULL, &m), 0);
	for (size_t i = 0; i < N(want); i++) {
		ck_assert_int_eq(merge_next(m, &ev), 1);
		ck_assert_str_eq(ev.record_id, want[i]);
		ev_clear(&ev);
	}
	ck_assert_int_eq(merge_next(m, &ev), 0);
	merge_close(m);
}
END_TEST

START_TEST(test_duplicates)
{
	static const struct fake_ev a[] = {
		{ 10, "1", "X", 0 },	/* first copy */
		{ 20, "7", 0, 0 },	/* no record id: time + parties */
		{ 30, "7", 0, 0 },	/* another time: not a duplicate */
		{ 7300, "1", "X", 0 },	/* same id two hours later: a new record */
	};
	static const struct fake_ev b[] = {
		{ 10, "1", "X", "dup text" }, /* duplicate of a[0], counted on b */
		{ 20, "7", 0, 0 },	      /* duplicate of a[1] */
		{ 40, "1", "X", 0 },	      /* same id 30 s later: duplicate */
		{ 30, "8", 0, 0 },	      /* other msisdn: not a duplicate */
	};
	struct fake_src fa, fb;
	struct ingest_source *srcs[2] = { &fa.base, &fb.base };
	struct merge *m;
	struct merge_stats st;
	int64_t t[16];

	fake_init(&fa, "a", a, N(a));
	fake_init(&fb, "b", b, N(b));
	ck_assert_int_eq(merge_open(srcs, 2, NULL, &m), 0);
	ck_assert_uint_eq(drain(m, t, NULL, 16), 5);
	ck_assert_uint_eq(fa.base.counters.duplicates, 0);
	ck_assert_uint_eq(fb.base.counters.duplicates, 3);
	merge_get_stats(m, &st);
	ck_assert_uint_eq(st.duplicates, 3);
	ck_assert_uint_eq(st.delivered, 5);
	/* delivered = accepted - duplicates */
	ck_assert_uint_eq(st.delivered, fa.base.counters.accepted + fb.base.counters.accepted -
						fa.base.counters.duplicates -
						fb.base.counters.duplicates);
	merge_close(m);

	/* Disabled: everything comes through. */
	struct merge_options o = { .dedup_horizon = -1 };
	fake_init(&fa, "a", a, N(a));
	fake_init(&fb, "b", b, N(b));
	ck_assert_int_eq(merge_open(srcs, 2, &o, &m), 0);
	ck_assert_uint_eq(drain(m, t, NULL, 16), 8);
	merge_close(m);
}
END_TEST

START_TEST(test_max_buffered)
{
	static const struct fake_ev a[] = { { 1, 0, "1", 0 }, { 2, 0, "2", 0 }, { 3, 0, "3", 0 },
					    { 4, 0, "4", 0 }, { 5, 0, "5", 0 }, { 6, 0, "6", 0 } };
	static const struct fake_ev b[] = { { 1000000, 0, "b", 0 } };
	struct fake_src fa, fb;
	struct ingest_source *srcs[2] = { &fa.base, &fb.base };
	struct merge_options o = { .reorder_window = 3600 * SS_US_PER_SEC, .max_buffered = 2 };
	struct merge *m;
	struct merge_stats st;
	int64_t t[8];

	fake_init(&fa, "a", a, N(a));
	fake_init(&fb, "b", b, N(b));
	ck_assert_int_eq(merge_open(srcs, 2, &o, &m), 0);
	ck_assert_uint_eq(drain(m, t, NULL, 8), 7);
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(t[i], i + 1);
	merge_get_stats(m, &st);
	ck_assert_uint_le(st.peak_buffered, 3);
	ck_assert_uint_gt(st.early_releases, 0);
	merge_close(m);
}
END_TEST

START_TEST(test_io_error)
{
	static const struct fake_ev a[] = { { 1, 0, "a1", 0 }, { 2, 0, "a2", 0 }, { 3, 0, "a3", 0 } };
	static const struct fake_ev b[] = { { 1, 0, "b1", 0 }, { 2, 0, "b2", 0 } };
	struct fake_src fa, fb;
	struct ingest_source *srcs[2] = { &fa.base, &fb.base };
	struct merge *m;
	struct event ev;
	int rc, got = 0, errors = 0;

	fake_init(&fa, "a", a, N(a));
	fake_init(&fb, "b", b, N(b));
	fa.fail_after = 1;
	ck_assert_int_eq(merge_open(srcs, 2, NULL, &m), 0);
	while ((rc = merge_next(m, &ev)) != 0) {
		if (rc < 0) {
			ck_assert_int_eq(rc, -EIO);
			errors++;
			continue;
		}
		got++;
		ev_clear(&ev);
	}
	ck_assert_int_eq(errors, 1);
	ck_assert_int_eq(got, 3); /* a1, b1, b2 */
	merge_close(m);
}
END_TEST

/* Buffered events with text are freed by merge_close() (ASan/LSan checks). */
START_TEST(test_close_with_buffered)
{
	static const struct fake_ev a[] = { { 1, 0, 0, "one" }, { 2, 0, 0, "two" }, { 3, 0, 0, "three" } };
	struct fake_src fa;
	struct ingest_source *srcs[1] = { &fa.base };
	struct merge *m;
	struct event ev;

	fake_init(&fa, "a", a, N(a));
	ck_assert_int_eq(merge_open(srcs, 1, NULL, &m), 0);
	ck_assert_int_eq(merge_next(m, &ev), 1);
	ck_assert_str_eq(ev.text, "one");
	ev_clear(&ev);
	merge_close(m);
	merge_close(NULL);
	ck_assert_int_eq(merge_open(srcs, 0, NULL, &m), 0);
	ck_assert_int_eq(merge_next(m, &ev), 0);
	merge_close(m);
}
END_TEST

/*
 * 2,000,000 events from three inputs, ~10/s each with +-2 min jitter, window
 * 5 min: memory must track the window, not the input length.
 */
START_TEST(test_memory_bounded)
{
	struct fake_src f[3];
	struct ingest_source *srcs[3];
	struct merge *m;
	struct merge_stats st;
	struct event ev;
	int64_t last = INT64_MIN;
	size_t n = 0;
	int rc;

	for (int i = 0; i < 3; i++) {
		fake_init(&f[i], "gen", NULL, i == 0 ? 666668 : 666666);
		f[i].per_sec = 10;
		f[i].jitter_s = 120;
		f[i].rng = (uint64_t)i + 1;
		f[i].id = (unsigned)i;
		srcs[i] = &f[i].base;
	}
	ck_assert_int_eq(merge_open(srcs, 3, NULL, &m), 0);
	while ((rc = merge_next(m, &ev)) == 1) {
		ck_assert_int_ge(ev.time, last);
		last = ev.time;
		n++;
		ev_clear(&ev);
		if (n == 100000)
			merge_get_stats(m, &st);
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(n, 2000000);
	size_t pool_early = st.pool_slots;
	merge_get_stats(m, &st);
	ck_assert_uint_eq(st.late, 0);
	ck_assert_uint_eq(st.duplicates, 0);
	/* (5 + 2 + 2) min * 30 events/s = 16,200 at most in the window. */
	ck_assert_uint_le(st.peak_buffered, 17000);
	ck_assert_uint_le(st.pool_slots, 17000 + 256);
	/* No growth after the first 5% of the input (one chunk of slack for jitter). */
	ck_assert_uint_le(st.pool_slots, pool_early + 256);
	/* One hour of keys at 30/s = 108,000: the table settles at 2^19 at most. */
	ck_assert_uint_le(st.dedup_capacity, 524288);
	merge_close(m);
}
END_TEST

/* A de-duplication cap far below one horizon of keys: memory stays at the cap. */
START_TEST(test_dedup_cap)
{
	struct fake_src f;
	struct ingest_source *srcs[1] = { &f.base };
	struct merge_options o = { .dedup_max_keys = 4096 };
	struct merge *m;
	struct merge_stats st;
	int64_t t[1];

	fake_init(&f, "gen", NULL, 200000);
	f.per_sec = 10;
	f.jitter_s = 0;
	f.rng = 7;
	ck_assert_int_eq(merge_open(srcs, 1, &o, &m), 0);
	ck_assert_uint_eq(drain(m, t, NULL, 0), 200000);
	merge_get_stats(m, &st);
	ck_assert_uint_le(st.dedup_capacity, 8192);
	ck_assert_uint_gt(st.dedup_forgotten, 0);
	ck_assert_uint_eq(st.duplicates, 0);
	merge_close(m);
}
END_TEST

/* CSV inputs end to end: two CDR files with an overlap and a bad row. */
START_TEST(test_csv_inputs)
{
	char p1[] = "/tmp/check_merge_XXXXXX", p2[] = "/tmp/check_merge_XXXXXX";
	int fd1 = mkstemp(p1), fd2 = mkstemp(p2);
	const char *hdr = "start_time,record_type,direction,served_msisdn,record_id\n";
	FILE *f1 = fdopen(fd1, "w"), *f2 = fdopen(fd2, "w");
	fprintf(f1, "%s2026-11-02T08:00:00Z,voice,mo,1,r1\n2026-11-02T08:02:00Z,voice,mo,1,r3\n"
		    "2026-11-02T08:01:00Z,voice,mo,1,r2\n2026-11-02T08:03:00Z,voice,mo,1,r4\n",
		hdr);
	fprintf(f2, "%s2026-11-02T08:00:30Z,sms,mt,2,s1\n2026-11-02T08:02:00Z,voice,mo,1,r3\n"
		    "bad,sms,mt,2,s2\n2026-11-02T09:00:00Z,sms,mt,2,s3\n",
		hdr);
	fclose(f1);
	fclose(f2);

	char *errs = NULL;
	size_t elen = 0;
	FILE *ef = open_memstream(&errs, &elen);
	struct ingest_options o1 = { .errors = ef, .input_index = 0 };
	struct ingest_options o2 = { .errors = ef, .input_index = 1 };
	struct ingest_source *srcs[2];
	ck_assert_int_eq(ingest_cdr_open(p1, &o1, &srcs[0]), 0);
	ck_assert_int_eq(ingest_cdr_open(p2, &o2, &srcs[1]), 0);
	struct merge *m;
	ck_assert_int_eq(merge_open(srcs, 2, NULL, &m), 0);
	static const char *const want[] = { "r1", "s1", "r2", "r3", "r4", "s3" };
	static const unsigned want_input[] = { 0, 1, 0, 0, 0, 1 };
	struct event ev;
	for (size_t i = 0; i < N(want); i++) {
		ck_assert_int_eq(merge_next(m, &ev), 1);
		ck_assert_str_eq(ev.record_id, want[i]);
		ck_assert_uint_eq(ev.input, want_input[i]);
		ev_clear(&ev);
	}
	ck_assert_int_eq(merge_next(m, &ev), 0);
	/* rows = accepted + rejected; delivered = accepted - duplicates */
	ck_assert_uint_eq(srcs[0]->counters.accepted, 4);
	ck_assert_uint_eq(srcs[1]->counters.accepted, 3);
	ck_assert_uint_eq(srcs[1]->counters.rejected, 1);
	ck_assert_uint_eq(srcs[1]->counters.duplicates, 1);
	ck_assert_uint_eq(srcs[0]->counters.late, 0);
	merge_close(m);
	ingest_close(srcs[0]);
	ingest_close(srcs[1]);
	fclose(ef);
	ck_assert_ptr_nonnull(strstr(errs, ":4: start_time: expected ISO 8601"));
	free(errs);
	unlink(p1);
	unlink(p2);
}
END_TEST

/* Live inputs: -EAGAIN keeps an input open, merge_advance() lets time pass, merge_drain_next() ends. */
START_TEST(test_live)
{
	static const struct fake_ev evs[] = {
		{ 100, "1", "a", NULL }, { 90, "1", "b", NULL }, { 200, "1", "c", NULL },
		{ 500, "1", "d", NULL }, { 480, "1", "e", NULL }, { 490, "1", "d", NULL },
	};
	struct fake_src a;
	struct ingest_source *srcs[] = { &a.base };
	struct merge_options o = { .reorder_window = 60 * SS_US_PER_SEC };
	struct merge *m;
	struct event ev;

	fake_init(&a, "live", evs, N(evs));
	a.live = true;
	a.avail = 2;
	ck_assert_int_eq(merge_open(srcs, 1, &o, &m), 0);
	ck_assert_int_eq(merge_next(m, &ev), -EAGAIN);
	a.avail = 3;
	ck_assert_int_eq(merge_next(m, &ev), 1);
	ck_assert_int_eq(ev.time / SS_US_PER_SEC, 90);
	ck_assert_int_eq(merge_next(m, &ev), 1);
	ck_assert_int_eq(ev.time / SS_US_PER_SEC, 100);
	ck_assert_int_eq(merge_next(m, &ev), -EAGAIN);
	merge_advance(m, 250 * SS_US_PER_SEC);
	ck_assert_int_eq(merge_next(m, &ev), -EAGAIN);
	merge_advance(m, 260 * SS_US_PER_SEC);
	ck_assert_int_eq(merge_next(m, &ev), 1);
	ck_assert_int_eq(ev.time / SS_US_PER_SEC, 200);
	ck_assert_int_eq(merge_next(m, &ev), -EAGAIN);
	a.avail = 6;
	ck_assert_int_eq(merge_next(m, &ev), -EAGAIN);
	ck_assert_int_eq(merge_drain_next(m, &ev), 1);
	ck_assert_int_eq(ev.time / SS_US_PER_SEC, 480);
	ck_assert_int_eq(merge_drain_next(m, &ev), 1);
	ck_assert_int_eq(ev.time / SS_US_PER_SEC, 490);
	ck_assert_int_eq(merge_drain_next(m, &ev), 0); /* "d" again at 500: a duplicate */
	struct merge_stats st;
	merge_get_stats(m, &st);
	ck_assert_uint_eq(st.delivered, 5);
	ck_assert_uint_eq(st.duplicates, 1);
	merge_close(m);
}
END_TEST

/*
 * In-order arrivals queue per input, out-of-order ones go to the heap: the
 * releases must still be the one total order (time, input, arrival) - here
 * three jittered inputs against a sort of everything they produce.
 */
struct order_key {
	int64_t t;
	unsigned src;
	size_t seq;
};

static int order_cmp(const void *a, const void *b)
{
	const struct order_key *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->src != y->src)
		return x->src < y->src ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

START_TEST(test_fifo_and_heap_total_order)
{
	enum { PER = 4000, K = 3 };
	struct fake_src f[K];
	struct ingest_source *srcs[K];
	static struct order_key want[PER * K];
	size_t n = 0;
	for (unsigned k = 0; k < K; k++) {
		fake_init(&f[k], "g", NULL, PER);
		f[k].rng = 7 + k;
		f[k].per_sec = 3 + k;
		f[k].jitter_s = k == 0 ? 0 : 20 * k; /* input 0 sorted, the others out of order */
		f[k].id = k;
		srcs[k] = &f[k].base;
		/* Replay the generator to know every event it will produce. */
		uint64_t rng = f[k].rng;
		for (size_t i = 0; i < PER; i++) {
			rng = rng * 6364136223846793005ull + 1442695040888963407ull;
			int64_t j = (int64_t)((rng >> 33) % (uint64_t)(2 * f[k].jitter_s + 1)) - f[k].jitter_s;
			want[n++] = (struct order_key){ (int64_t)(i / f[k].per_sec) + 1000 + j, k, i };
		}
	}
	qsort(want, n, sizeof(want[0]), order_cmp);
	struct merge_options o = { .reorder_window = 600 * SS_US_PER_SEC };
	struct merge *m;
	ck_assert_int_eq(merge_open(srcs, K, &o, &m), 0);
	struct event ev;
	size_t got = 0;
	int rc;
	while ((rc = merge_next(m, &ev)) == 1) {
		unsigned src;
		size_t seq;
		ck_assert_int_eq(sscanf(ev.record_id, "g%u-%zu", &src, &seq), 2);
		ck_assert_uint_lt(got, n);
		ck_assert_int_eq(ev.time / SS_US_PER_SEC, want[got].t);
		ck_assert_uint_eq(src, want[got].src);
		ck_assert_uint_eq(seq, want[got].seq);
		got++;
		ev_clear(&ev);
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(got, n);
	struct merge_stats st;
	merge_get_stats(m, &st);
	ck_assert_uint_eq(st.late, 0);
	ck_assert_uint_eq(st.buffered, 0);
	merge_close(m);
}
END_TEST

/* ---- the reader thread (ingest/reader.h) ---- */

/* Three jittered generator inputs; @want gets merge_next()'s own sequence of record ids. */
enum { RD_PER = 3000, RD_K = 3 };

static void reader_sources(struct fake_src *f, struct ingest_source **srcs)
{
	for (unsigned k = 0; k < RD_K; k++) {
		fake_init(&f[k], "g", NULL, RD_PER);
		f[k].rng = 11 + k;
		f[k].per_sec = 2 + k;
		f[k].jitter_s = 15 * k;
		f[k].id = k;
		srcs[k] = &f[k].base;
	}
}

START_TEST(test_reader_same_order)
{
	static char want[RD_PER * RD_K][EV_RECORD_ID_SIZE];
	static int64_t want_t[RD_PER * RD_K];
	struct fake_src f[RD_K];
	struct ingest_source *srcs[RD_K];
	struct merge_options o = { .reorder_window = 300 * SS_US_PER_SEC };
	struct merge *m;
	struct event ev;
	size_t n = 0;
	int rc;

	reader_sources(f, srcs);
	ck_assert_int_eq(merge_open(srcs, RD_K, &o, &m), 0);
	while ((rc = merge_next(m, &ev)) == 1) {
		ck_assert_uint_lt(n, RD_PER * RD_K);
		memcpy(want[n], ev.record_id, sizeof(want[n]));
		want_t[n++] = ev.time;
		ev_clear(&ev);
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(n, RD_PER * RD_K);
	merge_close(m);

	static const size_t batches[] = { 1, 7, 256, 10000 };
	static const size_t depths[] = { 2, 3, 8 };
	for (size_t b = 0; b < N(batches); b++) {
		for (size_t d = 0; d < N(depths); d++) {
			reader_sources(f, srcs);
			ck_assert_int_eq(merge_open(srcs, RD_K, &o, &m), 0);
			struct ingest_reader *r;
			ck_assert_int_eq(ingest_reader_start(m, batches[b], depths[d], &r), 0);
			size_t got = 0, texts = 0;
			ssize_t k;
			struct event *evs;
			while ((k = ingest_reader_next(r, &evs)) > 0) {
				ck_assert_uint_le((size_t)k, batches[b]);
				for (ssize_t i = 0; i < k; i++, got++) {
					ck_assert_uint_lt(got, n);
					ck_assert_str_eq(evs[i].record_id, want[got]);
					ck_assert_int_eq(evs[i].time, want_t[got]);
					if (evs[i].text) {
						ck_assert_str_eq(evs[i].text, "hello");
						texts++;
					}
				}
			}
			ck_assert_int_eq(k, 0);
			ck_assert_int_eq(ingest_reader_next(r, &evs), 0); /* the end stays the end */
			ck_assert_uint_eq(got, n);
			ck_assert_uint_eq(texts, RD_K * (RD_PER / 1000));
			ingest_reader_close(r);
			merge_close(m);
		}
	}
}
END_TEST

/* An input error comes after every event read before it, and again on later calls. */
START_TEST(test_reader_error)
{
	struct fake_src f[RD_K];
	struct ingest_source *srcs[RD_K];
	struct merge *m;
	struct ingest_reader *r;
	struct event *evs;
	ssize_t k;
	size_t got = 0;

	reader_sources(f, srcs);
	f[0].jitter_s = 0;
	f[1].fail_after = 2000; /* well past the first releases (a 5-minute window) */
	ck_assert_int_eq(merge_open(srcs, RD_K, NULL, &m), 0);
	ck_assert_int_eq(ingest_reader_start(m, 64, 2, &r), 0);
	while ((k = ingest_reader_next(r, &evs)) > 0)
		got += (size_t)k;
	ck_assert_int_eq(k, -EIO);
	ck_assert_int_eq(ingest_reader_next(r, &evs), -EIO);
	ck_assert_ptr_null(evs);
	/* What merge_next() had delivered before its error, no more and no fewer. */
	struct merge_stats st;
	merge_get_stats(m, &st);
	ck_assert_uint_eq(got, st.delivered);
	ck_assert_uint_gt(got, 0);
	ingest_reader_close(r);
	merge_close(m);

	ck_assert_int_eq(ingest_reader_start(NULL, 64, 2, &r), -EINVAL);
	ck_assert_ptr_null(r);
}
END_TEST

/* Stopped early, or closed with full batches and texts unread: nothing leaks (LSan), nothing hangs. */
START_TEST(test_reader_stop_close)
{
	struct fake_src f[RD_K];
	struct ingest_source *srcs[RD_K];
	struct merge *m;
	struct ingest_reader *r;
	struct event *evs;

	/* Stop after one batch: at most the batches already full follow, then the end. */
	reader_sources(f, srcs);
	ck_assert_int_eq(merge_open(srcs, RD_K, NULL, &m), 0);
	ck_assert_int_eq(ingest_reader_start(m, 100, 3, &r), 0);
	ck_assert_int_eq(ingest_reader_next(r, &evs), 100);
	ingest_reader_stop(r);
	ssize_t k;
	size_t after = 0;
	while ((k = ingest_reader_next(r, &evs)) > 0)
		after += (size_t)k;
	ck_assert_int_eq(k, 0);
	ck_assert_uint_le(after, 3 * 100);
	ingest_reader_close(r);
	merge_close(m);

	/* Closed at once, and closed holding a batch while the others fill (texts in them). */
	for (int hold = 0; hold < 2; hold++) {
		reader_sources(f, srcs);
		for (unsigned i = 0; i < RD_K; i++)
			f[i].n = 5000;
		ck_assert_int_eq(merge_open(srcs, RD_K, NULL, &m), 0);
		ck_assert_int_eq(ingest_reader_start(m, 1000, 4, &r), 0);
		if (hold) {
			ck_assert_int_eq(ingest_reader_next(r, &evs), 1000);
			usleep(20000);
		}
		ingest_reader_close(r);
		merge_close(m);
	}
	ingest_reader_close(NULL);
}
END_TEST

static Suite *merge_suite(void)
{
	Suite *s = suite_create("merge");
	TCase *tc = tcase_create("merge");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_two_sources);
	tcase_add_test(tc, test_fifo_and_heap_total_order);
	tcase_add_test(tc, test_reorder_and_late);
	tcase_add_test(tc, test_interleaved_window);
	tcase_add_test(tc, test_equal_times_stable);
	tcase_add_test(tc, test_duplicates);
	tcase_add_test(tc, test_max_buffered);
	tcase_add_test(tc, test_io_error);
	tcase_add_test(tc, test_close_with_buffered);
	tcase_add_test(tc, test_memory_bounded);
	tcase_add_test(tc, test_dedup_cap);
	tcase_add_test(tc, test_csv_inputs);
	tcase_add_test(tc, test_live);
	tcase_add_test(tc, test_reader_same_order);
	tcase_add_test(tc, test_reader_error);
	tcase_add_test(tc, test_reader_stop_close);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(merge_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
