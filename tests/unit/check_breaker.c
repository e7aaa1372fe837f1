/*
 * check_breaker.c - the circuit breaker on mass action (src/act/breaker.c)
 * and its control records in the store (src/act/control.c).
 */
#include "act/breaker.h"
#include "act/control.h"
#include "core/err.h"
#include "core/log.h"
#include "rep/rep.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct act_breaker *make(const char *conf, bool defaults_on)
{
	struct ss_config *cfg = NULL;
	struct act_breaker *b = NULL;
	char err[256];
	ck_assert_int_eq(ss_config_from_string(conf, &cfg, err, sizeof(err)), 0);
	ck_assert_int_eq(act_breaker_init(cfg, defaults_on, &b), 0);
	ck_assert_int_eq(ss_config_check_unused(cfg), 0);
	ss_config_free(cfg);
	return b;
}

static bool admit(struct act_breaker *b, const char *family, uint64_t subject, ss_time_us t, bool *tripped)
{
	struct act_breaker_trip trip;
	bool tr = false;
	bool ok = act_breaker_admit(b, family, subject, t, &tr, &trip);
	if (tripped)
		*tripped = tr;
	return ok;
}

#define MIN SS_US_PER_MIN

START_TEST(test_distinct_per_minute)
{
	struct act_breaker *b = make("[breaker]\nper_minute = 10\nper_hour = 0\n[breaker.simbox]\nper_minute = 3\n", false);
	bool tripped;
	ss_time_us t = 1000 * MIN;

	ck_assert(admit(b, "simbox", 1, t, NULL));
	ck_assert(admit(b, "simbox", 2, t + 1, NULL));
	ck_assert(admit(b, "simbox", 1, t + 2, NULL)); /* the same subject again: counted once */
	ck_assert(admit(b, "simbox", 3, t + 3, NULL));
	ck_assert(!admit(b, "simbox", 4, t + 4, &tripped)); /* the fourth distinct one */
	ck_assert(tripped);
	ck_assert_uint_eq(act_breaker_tripped(b), 1u << 1); /* simbox only */
	ck_assert(!admit(b, "simbox", 1, t + 5, &tripped)); /* tripped: everything of the family */
	ck_assert(!tripped);
	ck_assert(admit(b, "wangiri", 9, t + 6, NULL)); /* another family still acts */
	/* A minute later the window is empty, but the trip holds until a reset. */
	ck_assert(!admit(b, "simbox", 5, t + 2 * MIN, NULL));
	act_breaker_reset(b);
	ck_assert(admit(b, "simbox", 5, t + 2 * MIN, NULL));
	act_breaker_free(b);
}
END_TEST

START_TEST(test_window_slides)
{
	struct act_breaker *b = make("[breaker]\nper_minute = 2\n", false);
	ss_time_us t = 50 * MIN;
	ck_assert(admit(b, "bulk_open", 1, t, NULL));
	ck_assert(admit(b, "bulk_open", 2, t + 30 * SS_US_PER_SEC, NULL));
	/* 61 s after the first: it left the window, so a third subject fits. */
	ck_assert(admit(b, "bulk_open", 3, t + 61 * SS_US_PER_SEC, NULL));
	ck_assert(!admit(b, "bulk_open", 4, t + 62 * SS_US_PER_SEC, NULL));
	act_breaker_free(b);
}
END_TEST

START_TEST(test_engine_scope_and_overrides)
{
	/* Families may act on 5 a minute each, the engine on 6 in all. */
	struct act_breaker *b = make("[breaker]\nper_minute = 6\n[breaker.simbox]\nper_minute = 5\n"
				     "[breaker.wangiri]\nper_minute = 5\n[breaker.roaming]\nper_minute = 1\n",
				     false);
	bool tripped;
	ss_time_us t = 10 * MIN;
	ck_assert_uint_eq(act_breaker_limit(b, 1, false), 5);
	ck_assert_uint_eq(act_breaker_limit(b, 4, false), 1);
	ck_assert_uint_eq(act_breaker_limit(b, 3, false), 6); /* silent: the engine's value */
	for (uint64_t s = 1; s <= 3; s++)
		ck_assert(admit(b, "simbox", s, t, NULL));
	for (uint64_t s = 11; s <= 13; s++)
		ck_assert(admit(b, "wangiri", s, t, NULL));
	ck_assert(!admit(b, "simbox", 4, t, &tripped)); /* 7th distinct overall */
	ck_assert(tripped);
	ck_assert_uint_eq(act_breaker_tripped(b), 1u); /* the engine: every family */
	ck_assert(!admit(b, "wangiri", 11, t, NULL));
	ck_assert(!admit(b, "list", 99, t, NULL));
	act_breaker_reset(b);
	ck_assert(admit(b, "roaming", 1, t, NULL));
	ck_assert(!admit(b, "roaming", 2, t, &tripped)); /* its own, lower limit */
	ck_assert_uint_eq(act_breaker_tripped(b), 1u << 4);
	act_breaker_free(b);
}
END_TEST

START_TEST(test_per_hour_and_defaults)
{
	struct act_breaker *b = make("[breaker]\nper_minute = 0\nper_hour = 3\n", false);
	ss_time_us t = 100 * MIN;
	for (uint64_t s = 1; s <= 3; s++)
		ck_assert(admit(b, "simbox", s, t + (ss_time_us)s * 10 * MIN, NULL));
	ck_assert(!admit(b, "simbox", 4, t + 40 * MIN, NULL));
	act_breaker_free(b);

	b = make("", false);
	ck_assert(!act_breaker_enabled(b));
	for (uint64_t s = 1; s <= 5000; s++)
		ck_assert(admit(b, "simbox", s, t, NULL));
	act_breaker_free(b);
	b = make("", true);
	ck_assert(act_breaker_enabled(b));
	ck_assert_uint_eq(act_breaker_limit(b, 0, false), ACT_BREAKER_DEFAULT_PER_MINUTE);
	ck_assert_uint_eq(act_breaker_limit(b, 0, true), ACT_BREAKER_DEFAULT_PER_HOUR);
	act_breaker_restore(b, 1u << 2);
	ck_assert(!admit(b, "bulk_open", 1, t, NULL));
	act_breaker_free(b);

	struct ss_config *cfg = NULL;
	char err[256];
	ck_assert_int_eq(ss_config_from_string("[breaker]\nper_minute = -1\n", &cfg, err, sizeof(err)), 0);
	ck_assert_int_eq(act_breaker_init(cfg, false, &b), -SS_ECONFIG);
	ss_config_free(cfg);
}
END_TEST

START_TEST(test_control_records)
{
	char dir[] = "/tmp/check_breaker.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	struct rep *r = NULL;
	ck_assert_int_eq(rep_open(dir, NULL, &r), 0);
	struct act_breaker_state st;
	ck_assert_int_eq(act_ctl_breaker_read(r, &st), 0);
	ck_assert_uint_eq(act_ctl_breaker_tripped(&st), 0);

	/* The engine trips (generation 0 seen), the store keeps it across a reopen. */
	st.mask = 1u << 1;
	st.since = 123;
	st.reset_gen = 0;
	snprintf(st.reason, sizeof(st.reason), "simbox: more than 3 distinct subjects");
	ck_assert_int_eq(act_ctl_breaker_put_trip(r, &st), 0);
	ck_assert_int_eq(rep_close(r), 0);
	ck_assert_int_eq(rep_open(dir, NULL, &r), 0);
	ck_assert_int_eq(act_ctl_breaker_read(r, &st), 0);
	ck_assert_uint_eq(act_ctl_breaker_tripped(&st), 1u << 1);
	ck_assert_str_eq(st.reason, "simbox: more than 3 distinct subjects");
	char json[512];
	ck_assert_int_gt(act_ctl_breaker_json(&st, json, sizeof(json)), 0);
	ck_assert_ptr_nonnull(strstr(json, "\"tripped\":true,\"scopes\":[\"simbox\"]"));

	/* A reset (generation 1) clears it; a later trip seen after it holds again. */
	uint64_t gen = 0;
	ck_assert_int_eq(act_ctl_breaker_reset(r, "ops on call", &gen), 0);
	ck_assert_uint_eq(gen, 1);
	ck_assert_int_eq(act_ctl_breaker_read(r, &st), 0);
	ck_assert_uint_eq(act_ctl_breaker_tripped(&st), 0);
	ck_assert_str_eq(st.reset_note, "ops on call");
	st.reset_gen = 1;
	st.mask = 1;
	ck_assert_int_eq(act_ctl_breaker_put_trip(r, &st), 0);
	ck_assert_int_eq(rep_flush(r), 0);
	ck_assert_int_eq(act_ctl_breaker_read(r, &st), 0);
	ck_assert_uint_eq(act_ctl_breaker_tripped(&st), 1);
	ck_assert_int_eq(rep_close(r), 0);
	char p[128];
	snprintf(p, sizeof(p), "%s/data.mdb", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/lock.mdb", dir);
	unlink(p);
	rmdir(dir);
}
END_TEST

static Suite *breaker_suite(void)
{
	Suite *s = suite_create("breaker");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_distinct_per_minute);
	tcase_add_test(tc, test_window_slides);
	tcase_add_test(tc, test_engine_scope_and_overrides);
	tcase_add_test(tc, test_per_hour_and_defaults);
	tcase_add_test(tc, test_control_records);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	ss_log_set_level(SS_LOG_ERROR);
	SRunner *sr = srunner_create(breaker_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : 0;
}
