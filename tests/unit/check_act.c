/* check_act.c - unit tests for src/act: policy table, white list, cooldown, ids, JSON. */
#include "act/act.h"
#include "core/err.h"
#include "core/log.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const ss_time_us T0 = INT64_C(1793607303) * SS_US_PER_SEC;

static struct det_finding finding(int score, enum det_strength strength)
{
	struct det_finding f;
	memset(&f, 0, sizeof(f));
	f.family = "simbox";
	f.subject.kind = DET_SUBJECT_SIM;
	strcpy(f.subject.msisdn, "8613800138000");
	strcpy(f.subject.imsi, "460001234567890");
	strcpy(f.subject.imei, "86723404123456");
	f.score = score;
	f.strength = strength;
	f.event_time = T0;
	det_reason_add(&f, "simbox.multi_imsi_per_imei", "IMEI %s carried %d IMSIs in %d h", "86723404123456", 14, 6);
	return f;
}

static struct act_policy *policy(const char *text, bool shadow)
{
	struct ss_config *cfg = NULL;
	char err[256];
	struct act_policy *p;
	if (text)
		ck_assert_int_eq(ss_config_from_string(text, &cfg, err, sizeof(err)), 0);
	ck_assert_int_eq(act_policy_init(cfg, shadow, &p), 0);
	ss_config_free(cfg);
	return p;
}

START_TEST(test_policy_table)
{
	struct act_policy *p = policy(NULL, false);
	struct act_action a;
	static const struct {
		int score;
		enum det_strength strength;
		enum rep_action_kind want;
	} table[] = {
		{ 95, DET_STRUCTURAL, REP_ACTION_BLOCK },  { 80, DET_STRUCTURAL, REP_ACTION_BLOCK },
		{ 79, DET_STRUCTURAL, REP_ACTION_REVERIFY }, { 65, DET_STRUCTURAL, REP_ACTION_LIMIT },
		{ 45, DET_STRUCTURAL, REP_ACTION_MONITOR }, { 39, DET_STRUCTURAL, REP_ACTION_NONE },
		{ 100, DET_BEHAVIOURAL, REP_ACTION_REVERIFY }, { 60, DET_BEHAVIOURAL, REP_ACTION_LIMIT },
		{ 100, DET_WEAK, REP_ACTION_MONITOR },	  { 10, DET_WEAK, REP_ACTION_NONE },
	};
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		struct det_finding f = finding(table[i].score, table[i].strength);
		ck_assert_int_eq(act_policy_decide(p, &f, NULL, &a), table[i].want);
		ck_assert_int_eq(a.kind, table[i].want);
	}
	act_policy_free(p);
}
END_TEST

START_TEST(test_white_list_never_blocked)
{
	struct act_policy *p = policy(NULL, false);
	struct det_finding f = finding(99, DET_STRUCTURAL);
	struct rep_record rec;
	struct act_action a;
	memset(&rec, 0, sizeof(rec));
	rec.list = REP_LIST_WHITE;
	strcpy(rec.list_source, "vip");
	ck_assert_int_eq(act_policy_decide(p, &f, &rec, &a), REP_ACTION_MONITOR);
	ck_assert_int_eq(a.n_reasons, 2);
	ck_assert_str_eq(a.reasons[1].code, "list.white");
	ck_assert_ptr_nonnull(strstr(a.reasons[1].detail, "vip"));
	act_policy_free(p);
}
END_TEST

START_TEST(test_cooldown_and_escalation)
{
	struct act_policy *p = policy("[policy]\ncooldown = 2h\n", false);
	struct rep_record rec;
	struct act_action a;
	memset(&rec, 0, sizeof(rec));
	rec.last_action = REP_ACTION_LIMIT;
	rec.last_action_time = T0;

	struct det_finding f = finding(65, DET_STRUCTURAL); /* limit again */
	f.event_time = T0 + SS_US_PER_HOUR;
	ck_assert_int_eq(act_policy_decide(p, &f, &rec, &a), REP_ACTION_NONE);
	f.event_time = T0 + 3 * SS_US_PER_HOUR; /* cooldown over: renewed */
	ck_assert_int_eq(act_policy_decide(p, &f, &rec, &a), REP_ACTION_LIMIT);
	f = finding(90, DET_STRUCTURAL); /* escalation goes through at once */
	f.event_time = T0 + 60 * SS_US_PER_SEC;
	ck_assert_int_eq(act_policy_decide(p, &f, &rec, &a), REP_ACTION_BLOCK);

	rec.last_action = REP_ACTION_BLOCK; /* a block stays in force until released */
	f.event_time = T0 + 30 * SS_US_PER_DAY;
	ck_assert_int_eq(act_policy_decide(p, &f, &rec, &a), REP_ACTION_NONE);
	rec.last_action = REP_ACTION_RELEASE;
	ck_assert_int_eq(act_policy_decide(p, &f, &rec, &a), REP_ACTION_BLOCK);
	act_policy_free(p);
}
END_TEST

START_TEST(test_shadow_modes)
{
	struct act_policy *p = policy("[policy.simbox]\nmode = shadow\n", false);
	struct det_finding f = finding(90, DET_STRUCTURAL);
	struct act_action a;
	ck_assert(act_policy_shadow(p, "simbox"));
	ck_assert(!act_policy_shadow(p, "wangiri"));
	act_policy_decide(p, &f, NULL, &a);
	ck_assert(a.shadow);
	act_policy_free(p);
	p = policy(NULL, true);
	ck_assert(act_policy_shadow(p, "wangiri"));
	act_policy_free(p);
}
END_TEST

START_TEST(test_policy_config_errors)
{
	struct ss_config *cfg;
	char err[256];
	struct act_policy *p;
	ss_log_set_level(SS_LOG_ERROR);
	ck_assert_int_eq(ss_config_from_string("[policy]\nblock_score = 50\nreverify_score = 70\n", &cfg, err,
					       sizeof(err)), 0);
	ck_assert_int_eq(act_policy_init(cfg, false, &p), -SS_ECONFIG);
	ss_config_free(cfg);
	ck_assert_int_eq(ss_config_from_string("[policy]\nmode = maybe\n", &cfg, err, sizeof(err)), 0);
	ck_assert_int_eq(act_policy_init(cfg, false, &p), -SS_ECONFIG);
	ss_config_free(cfg);
}
END_TEST

START_TEST(test_ids_stable)
{
	struct act_policy *p = policy(NULL, false);
	struct det_finding f = finding(90, DET_STRUCTURAL);
	struct act_action a, b;
	act_policy_decide(p, &f, NULL, &a);
	act_policy_decide(p, &f, NULL, &b);
	ck_assert_uint_eq(a.id, b.id);
	f.event_time += 1;
	act_policy_decide(p, &f, NULL, &b);
	ck_assert_uint_ne(a.id, b.id);
	f = finding(65, DET_STRUCTURAL); /* other kind, same time */
	act_policy_decide(p, &f, NULL, &b);
	ck_assert_uint_ne(a.id, b.id);
	act_policy_free(p);
}
END_TEST

START_TEST(test_json_format)
{
	struct act_policy *p = policy(NULL, false);
	struct det_finding f = finding(92, DET_STRUCTURAL);
	det_reason_add(&f, "simbox.outbound_only", "quote \" backslash \\ newline \n tab \t");
	struct act_action a;
	char buf[4096];
	act_policy_decide(p, &f, NULL, &a);
	a.emitted_at = INT64_C(1795328504) * SS_US_PER_SEC + 123;
	a.id = 0x9f0c2d3e6a1b4c55;
	int n = act_action_json(&a, buf, sizeof(buf));
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq((size_t)n, strlen(buf));
	ck_assert_str_eq(buf,
			 "{\"id\":\"9f0c2d3e6a1b4c55\",\"action\":\"block\",\"mode\":\"enforce\","
			 "\"event_time\":\"2026-11-02T08:15:03Z\",\"emitted_at\":\"2026-11-22T06:21:44Z\","
			 "\"subject\":{\"msisdn\":\"8613800138000\",\"imsi\":\"460001234567890\",\"imei\":\"86723404123456\"},"
			 "\"score\":92,\"reasons\":[{\"code\":\"simbox.multi_imsi_per_imei\",\"detail\":\"IMEI 86723404123456 carried 14 IMSIs in 6 h\"},"
			 "{\"code\":\"simbox.outbound_only\",\"detail\":\"quote \\\" backslash \\\\ newline \\u000a tab \\u0009\"}],"
			 "\"family\":\"simbox\",\"strength\":\"structural\"}");
	ck_assert_int_eq(act_action_json(&a, buf, 40), -SS_ETOOLONG);
	act_policy_free(p);
}
END_TEST

START_TEST(test_jsonl_sink_file)
{
	char path[] = "/tmp/check_act_XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	struct act_sink *s;
	ck_assert_int_eq(act_sink_jsonl_open(path, ACT_FSYNC_ALWAYS, false, &s), 0);
	struct act_policy *p = policy(NULL, false);
	struct det_finding f = finding(92, DET_STRUCTURAL);
	struct act_action a;
	act_policy_decide(p, &f, NULL, &a);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(act_sink_write(s, &a), 0);
	ck_assert_uint_eq(s->written, 3);
	act_sink_close(s);
	FILE *in = fopen(path, "r");
	char line[4096];
	int lines = 0;
	while (fgets(line, sizeof(line), in)) {
		ck_assert_int_eq(line[0], '{');
		ck_assert_int_eq(line[strlen(line) - 1], '\n');
		lines++;
	}
	fclose(in);
	unlink(path);
	ck_assert_int_eq(lines, 3);
	ck_assert_int_lt(act_sink_jsonl_open("/nonexistent-dir/x.jsonl", ACT_FSYNC_NEVER, false, &s), 0);
	act_policy_free(p);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("act");
	TCase *tc = tcase_create("act");
	tcase_add_test(tc, test_policy_table);
	tcase_add_test(tc, test_white_list_never_blocked);
	tcase_add_test(tc, test_cooldown_and_escalation);
	tcase_add_test(tc, test_shadow_modes);
	tcase_add_test(tc, test_policy_config_errors);
	tcase_add_test(tc, test_ids_stable);
	tcase_add_test(tc, test_json_format);
	tcase_add_test(tc, test_jsonl_sink_file);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
