/*
 * check_bulk_open.c - unit tests for the bulk-opening detector
 * (src/detect/bulk_open.c).
 *
 * Hand-built activation streams, fed in time order with a tick every input
 * minute and the shared profile updated after each event, as the engine
 * does.  A recording emit callback keeps every finding; a fake lookup
 * callback plays the reputation store for the risky-outlet rule.
 */
#include "core/config.h"
#include "core/err.h"
#include "detect/detect.h"
#include "detect/profile.h"

#include "det_test.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 (INT64_C(20759) * 86400) /* a midnight, UTC */
#define MIN 60
#define HOUR 3600
#define DAY 86400

/* ---- findings recorder ------------------------------------------------------ */


/* ---- fake reputation store --------------------------------------------------- */

struct fake_store {
	const char *code;
	int list;
	double score;
	int calls;
};

static int fake_lookup(void *ctx, enum det_key_type type, const char *id, unsigned flags, ss_time_us now,
		       struct det_lookup_result *out)
{
	struct fake_store *fs = ctx;
	(void)flags;
	(void)now;
	fs->calls++;
	if (type != DET_KEY_OUTLET || !fs->code || strcmp(id, fs->code))
		return -SS_ENOTFOUND;
	memset(out, 0, sizeof(*out));
	out->list = fs->list;
	out->score = fs->score;
	snprintf(out->source, sizeof(out->source), "test");
	return 0;
}

/* ---- detector under test --------------------------------------------------------- */

struct det {
	void *st;
	struct rec rec;
	struct ss_config *cfg;
	struct det_profile *prof;
	struct fake_store store;
	int64_t last_tick;
	unsigned long seq;
};

static void det_open(struct det *d, const char *conf, bool with_store)
{
	char err[256];
	memset(d, 0, sizeof(*d));
	if (conf)
		ck_assert_int_eq(ss_config_from_string(conf, &d->cfg, err, sizeof(err)), 0);
	ck_assert_int_eq(det_profile_open(&d->prof), 0);
	d->rec.family = "bulk_open";
	struct det_env env = { .config = d->cfg, .emit = rec_emit, .emit_ctx = &d->rec, .profile = d->prof };
	if (with_store) {
		env.lookup = fake_lookup;
		env.lookup_ctx = &d->store;
	}
	ck_assert_int_eq(det_bulk_open.init(&d->st, &env), 0);
}

static void det_close(struct det *d)
{
	det_bulk_open.fini(d->st);
	det_profile_close(d->prof);
	ss_config_free(d->cfg);
	free(d->rec.f);
	memset(d, 0, sizeof(*d));
}

static void advance(struct det *d, int64_t t)
{
	int64_t us = t * SS_US_PER_SEC;
	if (!d->last_tick)
		d->last_tick = us;
	while (us - d->last_tick >= 60 * SS_US_PER_SEC) {
		d->last_tick += 60 * SS_US_PER_SEC;
		det_bulk_open.tick(d->st, d->last_tick);
	}
}

static void feed(struct det *d, struct event *e)
{
	advance(d, e->time / SS_US_PER_SEC);
	snprintf(e->record_id, sizeof(e->record_id), "A%lu", ++d->seq);
	det_bulk_open.on_event(d->st, e);
	det_profile_observe(d->prof, e);
}

static void msisdn_of(char *buf, unsigned long n)
{
	snprintf(buf, EV_MSISDN_SIZE, "86138%08lu", n % 100000000);
}

/* One activation row: @doc 0 = none; docs are 16-byte values standing for the keyed hash. */
static void act(struct det *d, int64_t t, enum ev_activation kind, unsigned long n, unsigned doc, bool enterprise,
		const char *channel, const char *outlet, unsigned long iccid)
{
	struct event e;
	memset(&e, 0, sizeof(e));
	e.time = t * SS_US_PER_SEC;
	e.kind = EV_ACTIVATION;
	e.source = EV_SRC_ACTIVATION;
	e.activation = (uint8_t)kind;
	msisdn_of(e.msisdn, n);
	snprintf(e.imsi, sizeof(e.imsi), "46000%010lu", n % 10000000000UL);
	if (iccid)
		snprintf(e.iccid, sizeof(e.iccid), "898600%012lu%d", iccid % 1000000000000UL, (int)(iccid % 10));
	if (doc) {
		e.id_doc_present = true;
		for (int i = 0; i < EV_ID_HASH_SIZE; i++)
			e.id_doc_hash[i] = (uint8_t)((doc * 2654435761u) >> (i % 4 * 8)) ^ (uint8_t)(i * 37);
	}
	e.id_type = enterprise ? EV_IDTYPE_ENTERPRISE : EV_IDTYPE_PERSONAL;
	e.sim_type = EV_SIM_CONSUMER;
	if (channel)
		snprintf(e.channel, sizeof(e.channel), "%s", channel);
	if (outlet)
		snprintf(e.outlet, sizeof(e.outlet), "%s", outlet);
	feed(d, &e);
}

static void open_sim(struct det *d, int64_t t, unsigned long n, unsigned doc, const char *channel, const char *outlet)
{
	act(d, t, EV_ACT_OPEN, n, doc, false, channel, outlet, 0);
}

/* Strongest SIM finding about MSISDN number @n. */
static const struct det_finding *strongest(const struct det *d, unsigned long n)
{
	char ms[EV_MSISDN_SIZE];
	const struct det_finding *best = NULL;
	msisdn_of(ms, n);
	for (size_t i = 0; i < d->rec.n; i++) {
		const struct det_finding *f = &d->rec.f[i];
		if (f->subject.kind != DET_SUBJECT_SIM || strcmp(f->subject.msisdn, ms))
			continue;
		if (!best || f->strength > best->strength || (f->strength == best->strength && f->score > best->score))
			best = f;
	}
	return best;
}

static size_t count_kind(const struct det *d, enum det_subject_kind kind)
{
	size_t n = 0;
	for (size_t i = 0; i < d->rec.n; i++)
		n += d->rec.f[i].subject.kind == kind;
	return n;
}

static const struct det_profile_entry *prof(const struct det *d, unsigned long n)
{
	char ms[EV_MSISDN_SIZE];
	msisdn_of(ms, n);
	return det_profile_find(d->prof, NULL, ms);
}

/* A quiet background: @per_day openings a day at @outlet for @days, random numbers, own docs. */
static void background(struct det *d, int64_t from, int days, int per_day, const char *channel, const char *outlet,
		       unsigned long num_base, unsigned doc_base)
{
	for (int day = 0; day < days; day++)
		for (int k = 0; k < per_day; k++) {
			int64_t t = from + (int64_t)day * DAY + 9 * HOUR + (int64_t)k * (10 * HOUR / per_day);
			unsigned long n = num_base + (unsigned long)(day * per_day + k) * 7919;
			open_sim(d, t, n, doc_base + (unsigned)(day * per_day + k), channel, outlet);
		}
}

/* ---- one ID, many cards ---------------------------------------------------------- */

START_TEST(test_sixth_card_triggers)
{
	struct det d;
	det_open(&d, NULL, false);
	/* Five cards collected over five months: legal. */
	for (int i = 0; i < 5; i++)
		open_sim(&d, T0 + (int64_t)i * 30 * DAY, 1000 + (unsigned long)i * 13, 42, "CH-0001", "SZ-1");
	ck_assert_uint_eq(d.rec.n, 0);
	open_sim(&d, T0 + 160 * DAY, 2000, 42, "CH-0002", "SZ-2");
	/* Every open card of the document, and the document itself. */
	ck_assert_uint_eq(count_kind(&d, DET_SUBJECT_SIM), 6);
	ck_assert_uint_eq(count_kind(&d, DET_SUBJECT_IDDOC), 1);
	for (int i = 0; i < 6; i++) {
		const struct det_finding *f = strongest(&d, i < 5 ? 1000 + (unsigned long)i * 13 : 2000);
		ck_assert_ptr_nonnull(f);
		ck_assert(has_reason(f, "bulk_open.id_over_limit"));
		ck_assert_int_eq(f->strength, DET_BEHAVIOURAL); /* reverify, not block */
		ck_assert_int_ge(f->score, 70);
		ck_assert_ptr_nonnull(strstr(f->reasons[0].detail, "6 open personal cards"));
		const struct det_profile_entry *p = prof(&d, i < 5 ? 1000 + (unsigned long)i * 13 : 2000);
		ck_assert(p->flags & DET_PROFILE_BULK_ORIGIN);
	}
	for (size_t i = 0; i < d.rec.n; i++) {
		const struct det_finding *f = &d.rec.f[i];
		if (f->subject.kind != DET_SUBJECT_IDDOC)
			continue;
		ck_assert_uint_eq(strlen(f->subject.entity), 32);
		ck_assert_uint_eq(strspn(f->subject.entity, "0123456789abcdef"), 32);
	}
	/* A 7th card adds a finding for the newcomer only (the others were told). */
	size_t before = d.rec.n;
	open_sim(&d, T0 + 170 * DAY, 2001, 42, "CH-0002", "SZ-2");
	ck_assert_uint_eq(count_kind(&d, DET_SUBJECT_SIM), 7);
	ck_assert_uint_eq(d.rec.n, before + 1);
	det_close(&d);
}
END_TEST

START_TEST(test_structural_doc)
{
	struct det d;
	/* Six cards on one document in one afternoon: stockpiling, structural. */
	det_open(&d, NULL, false);
	for (int i = 0; i < 6; i++)
		open_sim(&d, T0 + 14 * HOUR + (int64_t)i * 40 * MIN, 3000 + (unsigned long)i * 101, 7, "CH-0003",
			 i % 2 ? "GZ-1" : "GZ-2");
	const struct det_finding *f = strongest(&d, 3000);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->strength, DET_STRUCTURAL);
	ck_assert_int_ge(f->score, 80);
	det_close(&d);

	/* Eleven cards spread over a year: beyond the block limit. */
	det_open(&d, NULL, false);
	for (int i = 0; i < 11; i++)
		open_sim(&d, T0 + (int64_t)i * 30 * DAY, 4000 + (unsigned long)i * 101, 8, "CH-0003", "GZ-1");
	f = strongest(&d, 4000);
	ck_assert_int_eq(f->strength, DET_STRUCTURAL);
	ck_assert_int_ge(f->score, 80);
	det_close(&d);

	/* id_burst_window = 0: the same afternoon is only behavioural. */
	det_open(&d, "[bulk_open]\nid_burst_window = 0\n", false);
	for (int i = 0; i < 6; i++)
		open_sim(&d, T0 + 14 * HOUR + (int64_t)i * 40 * MIN, 3000 + (unsigned long)i * 101, 7, "CH-0003",
			 i % 2 ? "GZ-1" : "GZ-2");
	ck_assert_int_eq(strongest(&d, 3000)->strength, DET_BEHAVIOURAL);
	det_close(&d);
}
END_TEST

START_TEST(test_close_before_sixth)
{
	struct det d;
	det_open(&d, NULL, false);
	for (int i = 0; i < 5; i++)
		open_sim(&d, T0 + (int64_t)i * DAY, 5000 + (unsigned long)i, 9, "CH-0001", "SZ-1");
	/* One card closed three months later (the close carries the number only). */
	struct event e;
	memset(&e, 0, sizeof(e));
	e.time = (T0 + 95 * DAY) * SS_US_PER_SEC;
	e.kind = EV_ACTIVATION;
	e.activation = EV_ACT_CLOSE;
	msisdn_of(e.msisdn, 5002);
	feed(&d, &e);
	open_sim(&d, T0 + 100 * DAY, 5100, 9, "CH-0001", "SZ-1");
	ck_assert_uint_eq(d.rec.n, 0); /* 5 open again */
	open_sim(&d, T0 + 101 * DAY, 5101, 9, "CH-0001", "SZ-1");
	ck_assert_uint_eq(count_kind(&d, DET_SUBJECT_SIM), 6);
	ck_assert_ptr_null(strongest(&d, 5002)); /* the closed card is not flagged */
	det_close(&d);
}
END_TEST

START_TEST(test_enterprise_exempt)
{
	struct det d;
	det_open(&d, NULL, false);
	background(&d, T0, 3, 3, "CH-0000", "ENT-1", 100000, 900);
	/* 100 consecutive numbers and ICCIDs on one enterprise document in 30 minutes. */
	for (int i = 0; i < 100; i++)
		act(&d, T0 + 5 * DAY + 10 * HOUR + i * 18, EV_ACT_OPEN, 7000 + (unsigned long)i, 77, true, "CH-0000",
		    "ENT-1", 5550000 + (unsigned long)i);
	ck_assert_uint_eq(d.rec.n, 0);
	ck_assert(!(prof(&d, 7000)->flags & DET_PROFILE_BULK_ORIGIN));
	ck_assert(prof(&d, 7000)->flags & DET_PROFILE_ENTERPRISE);
	det_close(&d);
}
END_TEST

START_TEST(test_family_nothing)
{
	struct det d;
	det_open(&d, NULL, false);
	/* 40 families of 2-3 cards across 4 outlets over 10 days, cards opened together. */
	unsigned long n = 10000;
	for (int fam = 0; fam < 40; fam++) {
		int cards = 2 + fam % 2;
		int64_t t = T0 + (int64_t)(fam / 4) * DAY + 10 * HOUR + (fam % 4) * 2 * HOUR;
		char outlet[16];
		snprintf(outlet, sizeof(outlet), "BJ-%d", fam % 4);
		for (int c = 0; c < cards; c++)
			open_sim(&d, t + c * 5 * MIN, n++, 200 + (unsigned)fam, "CH-0007", outlet);
	}
	ck_assert_uint_eq(d.rec.n, 0);
	det_close(&d);
}
END_TEST

/* ---- bursts -------------------------------------------------------------------------- */

START_TEST(test_burst_consecutive)
{
	struct det d;
	det_open(&d, NULL, false);
	/* A small outlet: 3 openings a day for a week. */
	background(&d, T0, 7, 3, "CH-0010", "SH-9", 300000, 1000);
	ck_assert_uint_eq(d.rec.n, 0);
	/* 30 consecutive numbers in 90 minutes, on 10 documents used 3 times each. */
	int64_t start = T0 + 8 * DAY + 11 * HOUR;
	for (int i = 0; i < 30; i++)
		open_sim(&d, start + i * 3 * MIN, 20000 + (unsigned long)i, 3000 + (unsigned)(i % 10), "CH-0010", "SH-9");
	for (int i = 0; i < 30; i++) {
		const struct det_finding *f = strongest(&d, 20000 + (unsigned long)i);
		ck_assert_msg(f != NULL, "burst SIM %d has no finding", i);
		ck_assert_int_eq(f->strength, DET_STRUCTURAL);
		ck_assert_int_ge(f->score, 80);
		ck_assert_int_le(f->score, 95);
		ck_assert(has_reason(f, "bulk_open.outlet_burst"));
		ck_assert(has_reason(f, "bulk_open.consecutive_numbers"));
		ck_assert(prof(&d, 20000 + (unsigned long)i)->flags & DET_PROFILE_BULK_ORIGIN);
		ck_assert_int_ge(prof(&d, 20000 + (unsigned long)i)->risk_boost, 20);
	}
	/* Established as soon as the threshold was crossed (10 openings: 27 min in). */
	const struct det_finding *first = NULL;
	for (size_t i = 0; i < d.rec.n && !first; i++)
		if (d.rec.f[i].subject.kind == DET_SUBJECT_SIM && d.rec.f[i].strength == DET_STRUCTURAL)
			first = &d.rec.f[i];
	ck_assert_int_le(first->event_time / SS_US_PER_SEC - start, 30 * MIN);
	/* The outlet gets reputation; its channel a capped, weak finding. */
	bool outlet = false, channel = false;
	for (size_t i = 0; i < d.rec.n; i++) {
		const struct det_finding *f = &d.rec.f[i];
		if (f->subject.kind == DET_SUBJECT_OUTLET && !strcmp(f->subject.entity, "SH-9"))
			outlet = f->strength == DET_STRUCTURAL;
		if (f->subject.kind == DET_SUBJECT_CHANNEL && !strcmp(f->subject.entity, "CH-0010"))
			channel = true;
	}
	ck_assert(outlet && channel);
	/* The background SIMs of earlier days are not part of it. */
	ck_assert_ptr_null(strongest(&d, 300000));
	det_close(&d);
}
END_TEST

START_TEST(test_bought_identities)
{
	struct det d;
	det_open(&d, NULL, false);
	background(&d, T0, 5, 4, "CH-0011", "WH-3", 400000, 5000);
	/* 25 fresh documents, each used once, random numbers, one every 2 minutes. */
	int64_t start = T0 + 6 * DAY + 15 * HOUR;
	for (int i = 0; i < 25; i++)
		open_sim(&d, start + i * 2 * MIN, 30000 + (unsigned long)i * 7717, 60000 + (unsigned)i, "CH-0011", "WH-3");
	for (int i = 0; i < 25; i++) {
		const struct det_finding *f = strongest(&d, 30000 + (unsigned long)i * 7717);
		ck_assert_ptr_nonnull(f);
		ck_assert_int_eq(f->strength, DET_STRUCTURAL);
		ck_assert(has_reason(f, "bulk_open.single_use_ids"));
		ck_assert(!has_reason(f, "bulk_open.consecutive_numbers"));
	}
	det_close(&d);
}
END_TEST

START_TEST(test_slow_burst_behavioural)
{
	struct det d;
	det_open(&d, NULL, false);
	background(&d, T0, 5, 2, "CH-0012", "XA-1", 500000, 7000);
	/* 12 customers in 2.5 hours at a quiet shop: far above its baseline, but human pace. */
	int64_t start = T0 + 6 * DAY + 10 * HOUR;
	for (int i = 0; i < 12; i++)
		open_sim(&d, start + i * 13 * MIN, 40000 + (unsigned long)i * 3331, 80000 + (unsigned)i, "CH-0012", "XA-1");
	const struct det_finding *f = strongest(&d, 40000);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->strength, DET_BEHAVIOURAL);
	ck_assert(has_reason(f, "bulk_open.outlet_burst"));
	det_close(&d);
}
END_TEST

START_TEST(test_busy_outlet_baseline)
{
	struct det d;
	det_open(&d, NULL, false);
	/* A flagship store: 80 openings a day for two weeks. */
	background(&d, T0, 14, 80, "CH-0013", "FLAG-1", 600000, 100000);
	ck_assert_uint_eq(d.rec.n, 0);
	/* A busy afternoon: 45 openings in 3 hours (2x its usual pace) is not a burst. */
	int64_t start = T0 + 14 * DAY + 13 * HOUR;
	for (int i = 0; i < 45; i++)
		open_sim(&d, start + i * 4 * MIN, 700000 + (unsigned long)i * 5557, 200000 + (unsigned)i, "CH-0013",
			 "FLAG-1");
	ck_assert_uint_eq(d.rec.n, 0);
	/* The same 45 at a small shop of another chain is one. */
	background(&d, T0 + 10 * DAY, 4, 3, "CH-0014", "NEW-1", 900000, 400000);
	for (int i = 0; i < 45; i++)
		open_sim(&d, start + i * 4 * MIN, 800000 + (unsigned long)i * 5557, 300000 + (unsigned)i, "CH-0014",
			 "NEW-1");
	ck_assert_ptr_nonnull(strongest(&d, 800000));
	det_close(&d);
}
END_TEST

START_TEST(test_later_burst_sims_and_end)
{
	struct det d;
	det_open(&d, NULL, false);
	background(&d, T0, 2, 3, "CH-0015", "CD-4", 700000, 500000);
	int64_t start = T0 + 2 * DAY + 9 * HOUR;
	/* A burst spread over 6 hours: SIMs after establishment are flagged at once. */
	for (int i = 0; i < 60; i++)
		open_sim(&d, start + i * 6 * MIN, 50000 + (unsigned long)i, 90000 + (unsigned)i, "CH-0015", "CD-4");
	for (int i = 0; i < 60; i++) {
		char ms[EV_MSISDN_SIZE];
		msisdn_of(ms, 50000 + (unsigned long)i);
		int64_t at = -1;
		for (size_t k = 0; k < d.rec.n && at < 0; k++)
			if (!strcmp(d.rec.f[k].subject.msisdn, ms))
				at = d.rec.f[k].event_time / SS_US_PER_SEC;
		ck_assert_msg(at >= 0, "SIM %d not flagged", i);
		if (i >= 10)
			ck_assert_int_eq(at, start + i * 6 * MIN);
	}
	/* After the window drains, the outlet is quiet again: a normal opening is nothing. */
	size_t before = d.rec.n;
	open_sim(&d, start + 2 * DAY, 59999, 99999, "CH-0015", "CD-4");
	ck_assert_uint_eq(d.rec.n, before);
	det_close(&d);
}
END_TEST

START_TEST(test_new_outlet_warmup)
{
	struct det d;
	det_open(&d, NULL, false);
	/* First day of a busy shop nobody has seen before: 24 customers in 3 hours. */
	for (int i = 0; i < 24; i++)
		open_sim(&d, T0 + 9 * HOUR + i * 7 * MIN, 100000 + (unsigned long)i * 7907, 1000 + (unsigned)i, "CH-0040",
			 "FRESH-1");
	ck_assert_uint_eq(d.rec.n, 0);
	/* A new outlet with consecutive numbers is a burst from the start. */
	for (int i = 0; i < 15; i++)
		open_sim(&d, T0 + 9 * HOUR + i * 5 * MIN, 200000 + (unsigned long)i, 2000 + (unsigned)(i % 5), "CH-0041",
			 "FRESH-2");
	ck_assert_int_eq(strongest(&d, 200000)->strength, DET_STRUCTURAL);
	det_close(&d);
}
END_TEST

START_TEST(test_walk_in_and_channel)
{
	struct det d;
	det_open(&d, NULL, false);
	background(&d, T0, 5, 3, "CH-0050", "KM-1", 1000000, 700000);
	background(&d, T0, 5, 3, "CH-0050", "KM-2", 1100000, 710000);
	/*
	 * A dealer's block of 20 consecutive cards (MSISDN, IMSI, ICCID) on 7
	 * documents at one shop of a chain, while two customers walk in: one
	 * at the same shop, one at another shop of the chain.
	 */
	int64_t start = T0 + 6 * DAY + 10 * HOUR;
	for (int i = 0; i < 20; i++)
		act(&d, start + i * 5 * MIN, EV_ACT_OPEN, 1200000 + (unsigned long)i, 720000 + (unsigned)(i % 7), false,
		    "CH-0050", "KM-1", 3000000 + (unsigned long)i);
	open_sim(&d, start + 31 * MIN, 1300000, 730000, "CH-0050", "KM-1");
	open_sim(&d, start + 32 * MIN, 1300100, 730001, "CH-0050", "KM-2");
	for (int i = 0; i < 20; i++)
		ck_assert_int_eq(strongest(&d, 1200000 + (unsigned long)i)->strength, DET_STRUCTURAL);
	/* The walk-in at the dealer's shop: weak, marked as from a risky outlet. */
	const struct det_finding *f = strongest(&d, 1300000);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->strength, DET_WEAK);
	ck_assert(prof(&d, 1300000)->flags & DET_PROFILE_RISKY_OUTLET);
	ck_assert(!(prof(&d, 1300000)->flags & DET_PROFILE_BULK_ORIGIN));
	/* The customer at the chain's other shop: nothing from the channel's window. */
	ck_assert_ptr_null(strongest(&d, 1300100));
	/* The chain's reputation finding is weak and capped. */
	for (size_t i = 0; i < d.rec.n; i++)
		if (d.rec.f[i].subject.kind == DET_SUBJECT_CHANNEL) {
			ck_assert_int_eq(d.rec.f[i].strength, DET_WEAK);
			ck_assert_int_le(d.rec.f[i].score, 50);
		}
	det_close(&d);
}
END_TEST

/* ---- risky outlets ----------------------------------------------------------------- */

START_TEST(test_risky_outlet)
{
	struct det d;
	det_open(&d, NULL, true);
	d.store.code = "BAD-1";
	d.store.score = 85;
	open_sim(&d, T0 + HOUR, 60000, 1, "CH-0020", "BAD-1");
	open_sim(&d, T0 + 2 * HOUR, 60001, 2, "CH-0020", "GOOD-1");
	const struct det_finding *f = strongest(&d, 60000);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->strength, DET_WEAK);
	ck_assert(has_reason(f, "bulk_open.risky_outlet"));
	ck_assert_ptr_nonnull(strstr(f->reasons[0].detail, "reputation score 85"));
	ck_assert(prof(&d, 60000)->flags & DET_PROFILE_RISKY_OUTLET);
	ck_assert_int_ge(prof(&d, 60000)->risk_boost, 15);
	ck_assert_ptr_null(strongest(&d, 60001));
	/* Lookups are cached per outlet: 10 openings in 5 minutes, one store read. */
	int calls = d.store.calls;
	for (int i = 0; i < 10; i++)
		open_sim(&d, T0 + 3 * HOUR + i * 30, 60100 + (unsigned long)i * 17, 10 + (unsigned)i, "CH-0020", "BAD-1");
	ck_assert_int_le(d.store.calls - calls, 2 * 1);
	det_close(&d);

	/* Gray-listed with a low score: risky; white-listed with a high score: not. */
	det_open(&d, NULL, true);
	d.store.code = "BAD-2";
	d.store.list = DET_LIST_GRAY;
	d.store.score = 5;
	open_sim(&d, T0 + HOUR, 61000, 1, NULL, "BAD-2");
	ck_assert(has_reason(strongest(&d, 61000), "bulk_open.risky_outlet"));
	det_close(&d);
	det_open(&d, NULL, true);
	d.store.code = "WHITE-1";
	d.store.list = DET_LIST_WHITE;
	d.store.score = 99;
	open_sim(&d, T0 + HOUR, 62000, 1, NULL, "WHITE-1");
	ck_assert_ptr_null(strongest(&d, 62000));
	det_close(&d);
}
END_TEST

/* ---- reset, eviction, config ---------------------------------------------------------- */

START_TEST(test_reset_subject)
{
	struct det d;
	det_open(&d, NULL, false);
	for (int i = 0; i < 6; i++)
		open_sim(&d, T0 + (int64_t)i * 20 * DAY, 70000 + (unsigned long)i, 11, "CH-0001", "SZ-1");
	ck_assert_uint_eq(count_kind(&d, DET_SUBJECT_SIM), 6);
	/* reverify_ok of one card: the card still counts, but is not asked again. */
	struct det_subject s;
	memset(&s, 0, sizeof(s));
	s.kind = DET_SUBJECT_SIM;
	snprintf(s.imsi, sizeof(s.imsi), "46000%010lu", 70000ul);
	det_bulk_open.reset_subject(d.st, &s);
	size_t before = d.rec.n;
	/* The same opening re-sent is no news for anybody. */
	open_sim(&d, T0 + 130 * DAY, 70005, 11, "CH-0001", "SZ-1");
	ck_assert_uint_eq(d.rec.n, before);
	/* A 7th card is new evidence: the newcomer and the reset card are told. */
	open_sim(&d, T0 + 131 * DAY, 70006, 11, "CH-0001", "SZ-1");
	ck_assert_uint_eq(d.rec.n, before + 2);
	struct det_stats st;
	det_bulk_open.stats(d.st, &st);
	ck_assert_uint_eq(st.findings, d.rec.n);
	det_close(&d);
}
END_TEST

START_TEST(test_eviction)
{
	struct det d;
	det_open(&d, "[bulk_open]\ndoc_idle = 2h\ngroup_idle = 2h\n", false);
	for (int i = 0; i < 200; i++)
		open_sim(&d, T0 + i * 10, 80000 + (unsigned long)i * 3, 5000 + (unsigned)i, "CH-0030", i % 2 ? "O-1" : "O-2");
	struct det_stats st;
	det_bulk_open.stats(d.st, &st);
	ck_assert_uint_eq(st.subjects, 200 + 200 + 3); /* SIMs, documents, 2 outlets + 1 channel */
	/* Every card closed: SIM records go at once, documents and outlets once idle. */
	for (int i = 0; i < 200; i++)
		act(&d, T0 + HOUR + i, EV_ACT_CLOSE, 80000 + (unsigned long)i * 3, 0, false, NULL, NULL, 0);
	det_bulk_open.stats(d.st, &st);
	ck_assert_uint_eq(st.subjects, 200 + 3);
	advance(&d, T0 + 6 * HOUR);
	det_bulk_open.stats(d.st, &st);
	ck_assert_uint_eq(st.subjects, 0);
	ck_assert_uint_ge(st.evictions, 203);
	/* A big population reuses the freed records. */
	uint64_t bytes = st.state_bytes;
	for (int i = 0; i < 200; i++)
		open_sim(&d, T0 + 7 * HOUR + i * 10, 90000 + (unsigned long)i * 3, 9000 + (unsigned)i, "CH-0030", "O-1");
	det_bulk_open.stats(d.st, &st);
	ck_assert_uint_le(st.state_bytes, bytes + 64 * 1024);
	det_close(&d);
}
END_TEST

START_TEST(test_config)
{
	struct det d;
	/* max_cards_per_id = 2: a third card is over the limit. */
	det_open(&d, "[bulk_open]\nmax_cards_per_id = 2\nblock_cards_per_id = 4\nid_burst_window = 0\n", false);
	for (int i = 0; i < 3; i++)
		open_sim(&d, T0 + (int64_t)i * DAY, 11000 + (unsigned long)i, 3, NULL, NULL);
	ck_assert_uint_eq(count_kind(&d, DET_SUBJECT_SIM), 3);
	det_close(&d);

	const char *bad[] = {
		"[bulk_open]\nmax_cards_per_id = 0\n",
		"[bulk_open]\nmax_cards_per_id = 8\nblock_cards_per_id = 6\n",
		"[bulk_open]\nwindow = 1m\n",
		"[bulk_open]\nburst_ratio = 0.5\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ss_config *cfg;
		char err[256];
		void *st = NULL;
		ck_assert_int_eq(ss_config_from_string(bad[i], &cfg, err, sizeof(err)), 0);
		struct det_env env = { .config = cfg };
		ck_assert_int_lt(det_bulk_open.init(&st, &env), 0);
		ss_config_free(cfg);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bulk_open");
	TCase *tc = tcase_create("bulk_open");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_sixth_card_triggers);
	tcase_add_test(tc, test_structural_doc);
	tcase_add_test(tc, test_close_before_sixth);
	tcase_add_test(tc, test_enterprise_exempt);
	tcase_add_test(tc, test_family_nothing);
	tcase_add_test(tc, test_burst_consecutive);
	tcase_add_test(tc, test_bought_identities);
	tcase_add_test(tc, test_slow_burst_behavioural);
	tcase_add_test(tc, test_busy_outlet_baseline);
	tcase_add_test(tc, test_later_burst_sims_and_end);
	tcase_add_test(tc, test_new_outlet_warmup);
	tcase_add_test(tc, test_walk_in_and_channel);
	tcase_add_test(tc, test_risky_outlet);
	tcase_add_test(tc, test_reset_subject);
	tcase_add_test(tc, test_eviction);
	tcase_add_test(tc, test_config);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
