/*
 * check_wangiri.c - the ring-and-drop detector (src/detect/wangiri.c).
 *
 * Hand-built MT CDRs at our subscribers (other_party = the caller), MO
 * callbacks, and signalling call attempts, fed in time order with a tick per
 * event as the engine does; findings recorded by the emit callback.
 */
#include "core/config.h"
#include "core/err.h"
#include "core/log.h"
#include "detect/detect.h"

#include "det_test.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 (INT64_C(20759) * 86400)
#define MIN 60
#define HOUR 3600
#define DAY 86400
#define MAXF 64

struct fixture {
	void *st;
	struct ss_config *cfg;
	struct det_finding f[MAXF];
	int nf;
};

static void record(void *ctx, const struct det_finding *f)
{
	struct fixture *fx = ctx;
	if (fx->nf < MAXF)
		fx->f[fx->nf++] = *f;
}

static void fx_open(struct fixture *fx, const char *conf)
{
	char err[256];
	memset(fx, 0, sizeof(*fx));
	ck_assert_int_eq(ss_config_from_string(conf ? conf : "", &fx->cfg, err, sizeof(err)), 0);
	struct det_env env = { .config = fx->cfg, .emit = record, .emit_ctx = fx };
	ck_assert_int_eq(det_wangiri.init(&fx->st, &env), 0);
}

static void fx_close(struct fixture *fx)
{
	det_wangiri.fini(fx->st);
	ss_config_free(fx->cfg);
}

static void feed(struct fixture *fx, const struct event *ev)
{
	det_wangiri.tick(fx->st, ev->time);
	det_wangiri.on_event(fx->st, ev);
}

/* A call from @caller at subscriber @sub (MT CDR). */
static void ring(struct fixture *fx, int64_t t, const char *caller, unsigned sub, bool answered, unsigned dur)
{
	struct event e;
	memset(&e, 0, sizeof(e));
	e.time = t * SS_US_PER_SEC;
	e.kind = EV_CALL;
	e.direction = EV_DIR_MT;
	snprintf(e.msisdn, sizeof(e.msisdn), "86138%08u", sub);
	snprintf(e.imsi, sizeof(e.imsi), "46000%010u", sub);
	snprintf(e.other_party, sizeof(e.other_party), "%s", caller);
	e.answered = answered;
	e.duration = answered ? dur : 0;
	feed(fx, &e);
}

static void call_back(struct fixture *fx, int64_t t, const char *number, unsigned sub)
{
	struct event e;
	memset(&e, 0, sizeof(e));
	e.time = t * SS_US_PER_SEC;
	e.kind = EV_CALL;
	e.direction = EV_DIR_MO;
	snprintf(e.msisdn, sizeof(e.msisdn), "86138%08u", sub);
	snprintf(e.other_party, sizeof(e.other_party), "%s", number);
	e.answered = true;
	e.duration = 95;
	feed(fx, &e);
}


static unsigned subjects(const struct fixture *fx)
{
	struct det_stats st;
	det_wangiri.stats(fx->st, &st);
	return (unsigned)st.subjects;
}

START_TEST(test_international_burst_and_callback)
{
	struct fixture fx;
	fx_open(&fx, NULL);
	/* 40 subscribers in 20 minutes, 2 of them picked up for 2 s */
	for (unsigned k = 0; k < 40; k++)
		ring(&fx, T0 + 30 * k, "2250712345678", 1000 + k * 7, k % 20 == 3, 2);
	ck_assert_int_eq(fx.nf, 1);
	const struct det_finding *f = &fx.f[0];
	ck_assert_str_eq(f->family, "wangiri");
	ck_assert_int_eq(f->subject.kind, DET_SUBJECT_NUMBER);
	ck_assert_str_eq(f->subject.msisdn, "2250712345678");
	ck_assert_str_eq(f->subject.imsi, ""); /* never the subscribers it rang */
	ck_assert_int_eq(f->strength, DET_STRUCTURAL);
	ck_assert_int_ge(f->score, 85);
	ck_assert(has_reason(f, "wangiri.ring_and_drop"));
	ck_assert(strstr(f->reasons[0].detail, "international") != NULL);
	/* found at the 30th distinct subscriber, 14.5 min in */
	ck_assert_int_eq(f->event_time, (T0 + 30 * 29) * SS_US_PER_SEC);

	/* four subscribers call it back: the lure */
	for (unsigned k = 0; k < 4; k++)
		call_back(&fx, T0 + HOUR + k * MIN, "2250712345678", 1000 + k * 7);
	ck_assert_int_eq(fx.nf, 2);
	ck_assert(has_reason(&fx.f[1], "wangiri.callback_lure"));
	ck_assert_int_ge(fx.f[1].score, 95);
	/* calls back to numbers never found cost nothing and find nothing */
	call_back(&fx, T0 + 2 * HOUR, "2250799999999", 5);
	ck_assert_int_eq(fx.nf, 2);
	fx_close(&fx);
}
END_TEST

START_TEST(test_call_centre_answered)
{
	struct fixture fx;
	fx_open(&fx, NULL);
	/* a bank's outbound centre: 300 customers in 2 h, 40 % answered, 1-5 min */
	for (unsigned k = 0; k < 300; k++)
		ring(&fx, T0 + 24 * k, "8675588889999", 2000 + k, k % 5 < 2, 60 + (k * 37) % 240);
	ck_assert_int_eq(fx.nf, 0);
	/* a foreign bank's centre: the same, international */
	for (unsigned k = 0; k < 300; k++)
		ring(&fx, T0 + 3 * HOUR + 24 * k, "85223456789", 2000 + k, k % 3 == 0, 90);
	ck_assert_int_eq(fx.nf, 0);
	fx_close(&fx);
}
END_TEST

START_TEST(test_service_numbers_ignored)
{
	struct fixture fx;
	fx_open(&fx, NULL);
	static const char *const svc[] = { "95588", "10086", "8695588", "12315", "8610086", "86106575000123",
					   "864008123456", "868001234567", "ALIPAY" };
	for (size_t i = 0; i < sizeof(svc) / sizeof(svc[0]); i++)
		for (unsigned k = 0; k < 100; k++)
			ring(&fx, T0 + (int64_t)i * HOUR + 10 * k, svc[i], 3000 + k, false, 0);
	ck_assert_int_eq(fx.nf, 0);
	ck_assert_uint_eq(subjects(&fx), 0);
	fx_close(&fx);
}
END_TEST

START_TEST(test_spread_over_days)
{
	struct fixture fx;
	fx_open(&fx, NULL);
	/* 90 unanswered calls to distinct subscribers over 3 days: below the rate */
	for (unsigned k = 0; k < 90; k++)
		ring(&fx, T0 + (int64_t)k * 48 * MIN, "447700900123", 4000 + k, false, 0);
	ck_assert_int_eq(fx.nf, 0);
	/* many calls to few subscribers (a persistent caller): not distinct enough */
	for (unsigned k = 0; k < 200; k++)
		ring(&fx, T0 + 4 * DAY + 5 * k, "447700900124", 4000 + k % 10, false, 0);
	ck_assert_int_eq(fx.nf, 0);
	fx_close(&fx);
}
END_TEST

START_TEST(test_domestic)
{
	struct fixture fx;
	fx_open(&fx, NULL);
	/* 40 distinct: watched (monitor) */
	for (unsigned k = 0; k < 40; k++)
		ring(&fx, T0 + 20 * k, "8617012345678", 5000 + k, false, 0);
	ck_assert_int_eq(fx.nf, 1);
	ck_assert_int_eq(fx.f[0].strength, DET_WEAK);
	ck_assert_int_eq(fx.f[0].score, 70);
	ck_assert(strstr(fx.f[0].reasons[0].detail, "domestic") != NULL);
	/* keeps going to 70 distinct: very clear, structural */
	for (unsigned k = 40; k < 70; k++)
		ring(&fx, T0 + 20 * k, "8617012345678", 5000 + k, false, 0);
	ck_assert_int_eq(fx.nf, 2);
	ck_assert_int_eq(fx.f[1].strength, DET_STRUCTURAL);
	ck_assert_int_ge(fx.f[1].score, 85);
	/* national format (leading 0) is the same number */
	for (unsigned k = 0; k < 40; k++)
		ring(&fx, T0 + HOUR + 20 * k, "017012345679", 6000 + k, false, 0);
	ck_assert_int_eq(fx.nf, 3);
	ck_assert_str_eq(fx.f[2].subject.msisdn, "8617012345679");
	fx_close(&fx);
}
END_TEST

START_TEST(test_signalling_attempts)
{
	struct fixture fx;
	fx_open(&fx, NULL);
	/* ISUP IAMs from abroad at home numbers: caller in msisdn, no IMSI */
	for (unsigned k = 0; k < 35; k++) {
		struct event e;
		memset(&e, 0, sizeof(e));
		e.time = (T0 + 15 * k) * SS_US_PER_SEC;
		e.kind = EV_CALL;
		e.direction = EV_DIR_MO;
		e.source = EV_SRC_PCAP;
		snprintf(e.msisdn, sizeof(e.msisdn), "959250001234");
		snprintf(e.other_party, sizeof(e.other_party), "86139%08u", 7000 + k);
		feed(&fx, &e);
	}
	ck_assert_int_eq(fx.nf, 1);
	ck_assert_str_eq(fx.f[0].subject.msisdn, "959250001234");
	ck_assert_int_eq(fx.f[0].strength, DET_STRUCTURAL);
	fx_close(&fx);
}
END_TEST

START_TEST(test_eviction_and_bounds)
{
	struct fixture fx;
	char num[32];
	fx_open(&fx, NULL);
	/* 5000 numbers with one missed call each: tracked, then evicted after idle_evict */
	for (unsigned k = 0; k < 5000; k++) {
		snprintf(num, sizeof(num), "4477009%05u", k);
		ring(&fx, T0 + k / 10, num, 8000 + k, false, 0);
	}
	ck_assert_uint_eq(subjects(&fx), 5000);
	/* answered calls from unknown numbers are not tracked */
	for (unsigned k = 0; k < 1000; k++) {
		snprintf(num, sizeof(num), "4477019%05u", k);
		ring(&fx, T0 + 600, num, 8000 + k, true, 120);
	}
	ck_assert_uint_eq(subjects(&fx), 5000);
	det_wangiri.tick(fx.st, (T0 + 3 * HOUR) * SS_US_PER_SEC);
	ck_assert_uint_eq(subjects(&fx), 0);
	struct det_stats st;
	det_wangiri.stats(fx.st, &st);
	ck_assert_uint_eq(st.evictions, 5000);
	fx_close(&fx);

	/* a flagged number outlives idle_evict (callbacks), until flagged_ttl; reset forgets it */
	fx_open(&fx, NULL);
	for (unsigned k = 0; k < 40; k++)
		ring(&fx, T0 + 30 * k, "2250712345678", 1000 + k, false, 0);
	ck_assert_int_eq(fx.nf, 1);
	det_wangiri.tick(fx.st, (T0 + DAY) * SS_US_PER_SEC);
	ck_assert_uint_eq(subjects(&fx), 1);
	struct det_subject subj = { .kind = DET_SUBJECT_NUMBER };
	snprintf(subj.msisdn, sizeof(subj.msisdn), "2250712345678");
	det_wangiri.reset_subject(fx.st, &subj);
	ck_assert_uint_eq(subjects(&fx), 0);
	fx_close(&fx);

	/* the table's cap */
	fx_open(&fx, "[wangiri]\nmax_numbers = 1024\n");
	for (unsigned k = 0; k < 3000; k++) {
		snprintf(num, sizeof(num), "4477009%05u", k);
		ring(&fx, T0 + k / 10, num, 8000 + k, false, 0);
	}
	ck_assert_uint_eq(subjects(&fx), 1024);
	fx_close(&fx);
}
END_TEST

START_TEST(test_config_rejects)
{
	static const char *const bad[] = {
		"[wangiri]\nhome_cc = x\n",
		"[wangiri]\nexempt_prefixes = 95,abc\n",
		"[wangiri]\nmin_bad_share = 0.2\n",
		"[wangiri]\nwindow = 1m\n",
	};
	ss_log_set_level(SS_LOG_SILENT);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ss_config *cfg;
		char err[256];
		void *st = NULL;
		ck_assert_int_eq(ss_config_from_string(bad[i], &cfg, err, sizeof(err)), 0);
		struct det_env env = { .config = cfg };
		ck_assert_msg(det_wangiri.init(&st, &env) < 0, "accepted: %s", bad[i]);
		ss_config_free(cfg);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("wangiri");
	TCase *tc = tcase_create("wangiri");

	tcase_add_test(tc, test_international_burst_and_callback);
	tcase_add_test(tc, test_call_centre_answered);
	tcase_add_test(tc, test_service_numbers_ignored);
	tcase_add_test(tc, test_spread_over_days);
	tcase_add_test(tc, test_domestic);
	tcase_add_test(tc, test_signalling_attempts);
	tcase_add_test(tc, test_eviction_and_bounds);
	tcase_add_test(tc, test_config_rejects);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
