/*
 * check_silent.c - unit tests for the silent / dormant SIM detector
 * (src/detect/silent.c).
 *
 * Hand-built streams of activations and MO/MT calls and SMS, fed in time
 * order with a tick every input minute; the shared profile is updated after
 * each event, as the engine does, so the detector sees ages and quiet
 * periods exactly as in a replay.
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

#define T0 (INT64_C(20759) * 86400)
#define MIN 60
#define HOUR 3600
#define DAY 86400


struct det {
	void *st;
	struct rec rec;
	struct ss_config *cfg;
	struct det_profile *prof;
	int64_t last_tick;
	unsigned long seq;
};

static void det_open(struct det *d, const char *conf)
{
	char err[256];
	memset(d, 0, sizeof(*d));
	if (conf)
		ck_assert_int_eq(ss_config_from_string(conf, &d->cfg, err, sizeof(err)), 0);
	ck_assert_int_eq(det_profile_open(&d->prof), 0);
	d->rec.family = "silent";
	struct det_env env = { .config = d->cfg, .emit = rec_emit, .emit_ctx = &d->rec, .profile = d->prof };
	ck_assert_int_eq(det_silent.init(&d->st, &env), 0);
}

static void det_close(struct det *d)
{
	det_silent.fini(d->st);
	det_profile_close(d->prof);
	ss_config_free(d->cfg);
	free(d->rec.f);
	memset(d, 0, sizeof(*d));
}

static void feed(struct det *d, struct event *e)
{
	int64_t us = e->time;
	if (!d->last_tick)
		d->last_tick = us;
	while (us - d->last_tick >= 60 * SS_US_PER_SEC) {
		d->last_tick += 60 * SS_US_PER_SEC;
		det_silent.tick(d->st, d->last_tick);
	}
	snprintf(e->record_id, sizeof(e->record_id), "S%lu", ++d->seq);
	if (det_silent.event_mask & EV_MASK(e->kind))
		det_silent.on_event(d->st, e);
	det_profile_observe(d->prof, e);
}

static void sim_ids(struct event *e, unsigned long n)
{
	snprintf(e->msisdn, sizeof(e->msisdn), "86138%08lu", n);
	snprintf(e->imsi, sizeof(e->imsi), "46000%010lu", n);
}

static void open_sim(struct det *d, int64_t t, unsigned long n, bool enterprise)
{
	struct event e;
	memset(&e, 0, sizeof(e));
	e.time = t * SS_US_PER_SEC;
	e.kind = EV_ACTIVATION;
	e.activation = EV_ACT_OPEN;
	e.id_type = enterprise ? EV_IDTYPE_ENTERPRISE : EV_IDTYPE_PERSONAL;
	sim_ids(&e, n);
	feed(d, &e);
}

/* One call or SMS; @callee numbers the other party. */
static void traffic(struct det *d, int64_t t, unsigned long n, enum ev_kind kind, enum ev_direction dir,
		    unsigned long callee, bool answered, unsigned dur)
{
	struct event e;
	memset(&e, 0, sizeof(e));
	e.time = t * SS_US_PER_SEC;
	e.kind = (uint8_t)kind;
	e.direction = (uint8_t)dir;
	sim_ids(&e, n);
	snprintf(e.other_party, sizeof(e.other_party), "86139%08lu", callee);
	e.answered = answered;
	e.duration = answered ? dur : 0;
	feed(d, &e);
}

/* @calls MO calls to distinct strangers every @gap seconds, mostly unanswered. */
static void scam_calls(struct det *d, int64_t t, unsigned long n, int calls, int gap, unsigned long callee0)
{
	for (int i = 0; i < calls; i++)
		traffic(d, t + (int64_t)i * gap, n, EV_CALL, EV_DIR_MO, callee0 + (unsigned long)i, i % 4 == 0, 8);
}

/* Something else happening in the network (sets the observation start). */
static void other_traffic(struct det *d, int64_t t)
{
	traffic(d, t, 99999999, EV_DATA, EV_DIR_MO, 1, false, 0);
}

static const struct det_finding *strongest(const struct det *d, unsigned long n)
{
	char ms[EV_MSISDN_SIZE];
	const struct det_finding *best = NULL;
	snprintf(ms, sizeof(ms), "86138%08lu", n);
	for (size_t i = 0; i < d->rec.n; i++) {
		const struct det_finding *f = &d->rec.f[i];
		if (strcmp(f->subject.msisdn, ms))
			continue;
		if (!best || f->strength > best->strength || (f->strength == best->strength && f->score > best->score))
			best = f;
	}
	return best;
}

START_TEST(test_silent_wake)
{
	struct det d;
	det_open(&d, NULL);
	other_traffic(&d, T0);
	open_sim(&d, T0 + HOUR, 1, false);
	/* Ten days of silence, then 40 calls to strangers in 80 minutes. */
	int64_t wake = T0 + 10 * DAY + 14 * HOUR;
	scam_calls(&d, wake, 1, 40, 2 * MIN, 5000);
	const struct det_finding *f = strongest(&d, 1);
	ck_assert_ptr_nonnull(f);
	ck_assert(has_reason(f, "silent.wake_after_open"));
	ck_assert(!has_reason(f, "silent.young_sim_fanout")); /* 10 days old */
	ck_assert_int_eq(f->strength, DET_BEHAVIOURAL);
	ck_assert_int_ge(f->score, 70);
	ck_assert_int_le(f->score, 80);
	/* At the 30th distinct callee: within an hour of waking. */
	ck_assert_int_le(f->event_time / SS_US_PER_SEC - wake, 60 * MIN);
	ck_assert_uint_eq(d.rec.n, 1); /* once per wake */
	det_close(&d);
}
END_TEST

START_TEST(test_silent_wake_sms)
{
	struct det d;
	det_open(&d, NULL);
	other_traffic(&d, T0);
	open_sim(&d, T0 + HOUR, 2, false);
	/* A test call at the shop does not end the silence. */
	traffic(&d, T0 + HOUR + 5 * MIN, 2, EV_CALL, EV_DIR_MO, 10086, true, 20);
	for (int i = 0; i < 35; i++)
		traffic(&d, T0 + 4 * DAY + i * 30, 2, EV_SMS, EV_DIR_MO, 7000 + (unsigned long)i, false, 0);
	const struct det_finding *f = strongest(&d, 2);
	ck_assert_ptr_nonnull(f);
	ck_assert(has_reason(f, "silent.wake_after_open"));
	ck_assert(has_reason(f, "silent.young_sim_fanout")); /* 4 days old as well */
	ck_assert_int_eq(f->strength, DET_BEHAVIOURAL);
	det_close(&d);
}
END_TEST

START_TEST(test_dormant_wake)
{
	struct det d;
	det_open(&d, NULL);
	/* A tenured SIM (opened before the feed) active on day 0, then 8 days of nothing. */
	for (int i = 0; i < 5; i++)
		traffic(&d, T0 + 10 * HOUR + i * HOUR, 3, EV_CALL, EV_DIR_MO, 100 + (unsigned long)i % 2, true, 120);
	int64_t wake = T0 + 8 * DAY + 9 * HOUR;
	scam_calls(&d, wake, 3, 45, 90, 9000);
	const struct det_finding *f = strongest(&d, 3);
	ck_assert_ptr_nonnull(f);
	ck_assert(has_reason(f, "silent.dormant_wake"));
	ck_assert(!has_reason(f, "silent.wake_after_open"));
	ck_assert_int_eq(f->strength, DET_BEHAVIOURAL);
	det_close(&d);

	/* Never seen since the observation started 6 days ago: quiet for 6 days. */
	det_open(&d, NULL);
	other_traffic(&d, T0);
	scam_calls(&d, T0 + 6 * DAY, 4, 40, 60, 9000);
	f = strongest(&d, 4);
	ck_assert_ptr_nonnull(f);
	ck_assert(has_reason(f, "silent.dormant_wake"));
	det_close(&d);

	/* Quiet for only 3 days: an ordinary SIM, nothing. */
	det_open(&d, NULL);
	traffic(&d, T0, 5, EV_CALL, EV_DIR_MO, 100, true, 60);
	scam_calls(&d, T0 + 3 * DAY, 5, 45, 90, 9000);
	ck_assert_ptr_null(strongest(&d, 5));
	det_close(&d);
}
END_TEST

START_TEST(test_young_fanout)
{
	struct det d;
	det_open(&d, NULL);
	other_traffic(&d, T0);
	open_sim(&d, T0 + 10 * HOUR, 6, false);
	/* A day old, in use from the start (not silent), calling strangers. */
	traffic(&d, T0 + 11 * HOUR, 6, EV_CALL, EV_DIR_MO, 1, true, 300);
	traffic(&d, T0 + 20 * HOUR, 6, EV_CALL, EV_DIR_MT, 1, true, 300);
	scam_calls(&d, T0 + DAY + 12 * HOUR, 6, 35, 2 * MIN, 3000);
	const struct det_finding *f = strongest(&d, 6);
	ck_assert_ptr_nonnull(f);
	ck_assert(has_reason(f, "silent.young_sim_fanout"));
	ck_assert(!has_reason(f, "silent.dormant_wake"));
	ck_assert_int_eq(f->strength, DET_BEHAVIOURAL);
	ck_assert_int_ge(f->score, 70);
	det_close(&d);
}
END_TEST

START_TEST(test_normal_new_sim)
{
	struct det d;
	det_open(&d, NULL);
	other_traffic(&d, T0);
	/* 50 new SIMs calling their 5-10 contacts again and again from day one. */
	for (unsigned long s = 0; s < 50; s++) {
		open_sim(&d, T0 + HOUR + (int64_t)s * MIN, 100 + s, false);
		for (int day = 0; day < 7; day++)
			for (int k = 0; k < 12; k++)
				traffic(&d, T0 + 2 * HOUR + (int64_t)day * DAY + k * 20 * MIN + (int64_t)s, 100 + s,
					k % 3 ? EV_CALL : EV_SMS, EV_DIR_MO, 500 * s + (unsigned long)(k % (5 + s % 6)),
					k % 4 != 0, 90);
	}
	ck_assert_uint_eq(d.rec.n, 0);
	det_close(&d);
}
END_TEST

START_TEST(test_courier_and_enterprise)
{
	struct det d;
	det_open(&d, NULL);
	other_traffic(&d, T0);
	/* A tenured courier: 60 distinct callees a day, short calls, every day. */
	for (int day = 0; day < 10; day++)
		scam_calls(&d, T0 + (int64_t)day * DAY + 9 * HOUR, 7, 60, 8 * MIN, 20000 + (unsigned long)day * 100);
	ck_assert_ptr_null(strongest(&d, 7));

	/* A call-centre batch: enterprise cards, a day old, 100 customers each. */
	for (unsigned long s = 0; s < 20; s++)
		open_sim(&d, T0 + 10 * DAY + s, 200 + s, true);
	for (unsigned long s = 0; s < 20; s++)
		scam_calls(&d, T0 + 11 * DAY + 9 * HOUR + (int64_t)s, 200 + s, 100, 3 * MIN, 40000 + s * 1000);
	for (size_t i = 0; i < d.rec.n; i++)
		ck_assert_int_eq(d.rec.f[i].strength, DET_WEAK);
	det_close(&d);
}
END_TEST

START_TEST(test_called_back_weak)
{
	struct det d;
	det_open(&d, NULL);
	other_traffic(&d, T0);
	open_sim(&d, T0 + HOUR, 13, false);
	/* A new courier SIM: short calls to 40 customers, a third of whom call back. */
	for (int i = 0; i < 40; i++) {
		traffic(&d, T0 + 2 * DAY + 9 * HOUR + i * 6 * MIN, 13, EV_CALL, EV_DIR_MO, 70000 + (unsigned long)i,
			i % 3 != 0, 15);
		if (i % 3 == 0)
			traffic(&d, T0 + 2 * DAY + 9 * HOUR + i * 6 * MIN + 120, 13, EV_CALL, EV_DIR_MT,
				70000 + (unsigned long)i, true, 40);
	}
	const struct det_finding *f = strongest(&d, 13);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->strength, DET_WEAK);
	ck_assert_ptr_nonnull(strstr(f->reasons[f->n_reasons - 1].detail, "called back"));
	det_close(&d);
}
END_TEST

START_TEST(test_conversational_weak)
{
	struct det d;
	det_open(&d, NULL);
	other_traffic(&d, T0);
	open_sim(&d, T0 + HOUR, 8, false);
	/* A new salesperson: 35 distinct customers, answered, minutes long. */
	for (int i = 0; i < 35; i++)
		traffic(&d, T0 + DAY + 9 * HOUR + i * 8 * MIN, 8, EV_CALL, EV_DIR_MO, 60000 + (unsigned long)i, true, 240);
	const struct det_finding *f = strongest(&d, 8);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->strength, DET_WEAK);
	det_close(&d);
}
END_TEST

START_TEST(test_bulk_origin_escalation)
{
	struct det d;
	det_open(&d, NULL);
	other_traffic(&d, T0);
	open_sim(&d, T0 + HOUR, 9, false);
	open_sim(&d, T0 + HOUR, 10, false);
	open_sim(&d, T0 + HOUR, 11, false);
	/* What bulk_open leaves on a burst SIM and on a risky outlet's SIM. */
	ck_assert_int_eq(det_profile_mark(d.prof, "460000000000009", NULL, DET_PROFILE_BULK_ORIGIN, 20), 0);
	ck_assert_int_eq(det_profile_mark(d.prof, NULL, "8613800000010", DET_PROFILE_RISKY_OUTLET, 15), 0);
	scam_calls(&d, T0 + 5 * DAY, 9, 40, MIN, 1000);
	scam_calls(&d, T0 + 5 * DAY, 10, 40, MIN, 2000);
	scam_calls(&d, T0 + 5 * DAY, 11, 40, MIN, 3000);
	const struct det_finding *f = strongest(&d, 9);
	ck_assert_int_eq(f->strength, DET_STRUCTURAL);
	ck_assert_int_ge(f->score, 80);
	ck_assert(has_reason(f, "silent.marked_origin"));
	f = strongest(&d, 10);
	ck_assert_int_eq(f->strength, DET_STRUCTURAL);
	ck_assert_int_ge(f->score, 80);
	f = strongest(&d, 11);
	ck_assert_int_eq(f->strength, DET_BEHAVIOURAL);
	det_close(&d);
}
END_TEST

START_TEST(test_reset_and_eviction)
{
	struct det d;
	det_open(&d, NULL);
	other_traffic(&d, T0);
	for (unsigned long s = 0; s < 100; s++)
		open_sim(&d, T0 + HOUR, 300 + s, false);
	/* 100 SIMs wake on day 3; SIM 300 is re-verified after its first finding. */
	for (int i = 0; i < 60; i++)
		for (unsigned long s = 0; s < 100; s++) {
			traffic(&d, T0 + 3 * DAY + i * MIN, 300 + s, EV_CALL, EV_DIR_MO, 100000 * s + (unsigned long)i,
				false, 0);
			if (i == 35 && s == 0) {
				struct det_subject subj;
				memset(&subj, 0, sizeof(subj));
				subj.kind = DET_SUBJECT_SIM;
				snprintf(subj.msisdn, sizeof(subj.msisdn), "86138%08lu", 300ul);
				det_silent.reset_subject(d.st, &subj);
			}
		}
	size_t n300 = 0;
	for (size_t i = 0; i < d.rec.n; i++)
		n300 += !strcmp(d.rec.f[i].subject.msisdn, "8613800000300");
	ck_assert_uint_eq(n300, 1);
	ck_assert_uint_eq(d.rec.n, 100);
	struct det_stats st;
	det_silent.stats(d.st, &st);
	ck_assert_uint_eq(st.subjects, 100);
	ck_assert_uint_le(st.state_bytes, 100 * 400 + 64 * 1024);
	/* Idle for a wake window: every record goes. */
	other_traffic(&d, T0 + 4 * DAY);
	det_silent.stats(d.st, &st);
	ck_assert_uint_eq(st.subjects, 0);
	ck_assert_uint_eq(st.evictions, 100);
	ck_assert_uint_eq(st.findings, 100);
	det_close(&d);
}
END_TEST

START_TEST(test_no_profile_and_config)
{
	/* Without a profile nothing is known about ages: silence. */
	void *st;
	struct rec r = { 0 };
	struct det_env env = { .emit = rec_emit, .emit_ctx = &r };
	ck_assert_int_eq(det_silent.init(&st, &env), 0);
	struct event e;
	memset(&e, 0, sizeof(e));
	e.kind = EV_CALL;
	e.direction = EV_DIR_MO;
	sim_ids(&e, 1);
	for (int i = 0; i < 100; i++) {
		e.time = (T0 + i) * SS_US_PER_SEC;
		snprintf(e.other_party, sizeof(e.other_party), "%d", 1000 + i);
		det_silent.on_event(st, &e);
	}
	ck_assert_uint_eq(r.n, 0);
	det_silent.fini(st);

	/* min_distinct_wake = 10 flags a quieter wake. */
	struct det d;
	det_open(&d, "[silent]\nmin_distinct_wake = 10\ndormant_days = 2d\n");
	other_traffic(&d, T0);
	scam_calls(&d, T0 + 3 * DAY, 12, 12, MIN, 100);
	ck_assert_ptr_nonnull(strongest(&d, 12));
	det_close(&d);

	const char *bad[] = { "[silent]\nmin_distinct = 49\n", "[silent]\nwake_window = 1m\n",
			      "[silent]\nconversational_max_bad_share = 2\n" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ss_config *cfg;
		char err[256];
		ck_assert_int_eq(ss_config_from_string(bad[i], &cfg, err, sizeof(err)), 0);
		struct det_env env2 = { .config = cfg };
		ck_assert_int_lt(det_silent.init(&st, &env2), 0);
		ss_config_free(cfg);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("silent");
	TCase *tc = tcase_create("silent");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_silent_wake);
	tcase_add_test(tc, test_silent_wake_sms);
	tcase_add_test(tc, test_dormant_wake);
	tcase_add_test(tc, test_young_fanout);
	tcase_add_test(tc, test_normal_new_sim);
	tcase_add_test(tc, test_courier_and_enterprise);
	tcase_add_test(tc, test_conversational_weak);
	tcase_add_test(tc, test_called_back_weak);
	tcase_add_test(tc, test_bulk_origin_escalation);
	tcase_add_test(tc, test_reset_and_eviction);
	tcase_add_test(tc, test_no_profile_and_config);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
