/*
 * check_engine.c - the engine with the real detectors, a real LMDB store and
 * a JSON Lines sink: a rotating SIM-box stream must produce block actions,
 * reputation records, one action per subject per decision, and a white-listed
 * SIM must never get more than monitor.
 */
#include "act/act.h"
#include "core/err.h"
#include "core/log.h"
#include "engine/engine.h"
#include "rep/rep.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const ss_time_us T0 = INT64_C(1793577600) * SS_US_PER_SEC; /* 2026-11-02T00:00:00Z */

#define PORTS 8
#define SIMS 40

static void luhn_imei(unsigned port, char *out)
{
	char body[15];
	snprintf(body, sizeof(body), "86723404%06u", 100 + port);
	int sum = 0;
	for (int i = 0; i < 14; i++) {
		int d = body[13 - i] - '0';
		if (i % 2 == 0) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	snprintf(out, EV_IMEI_SIZE, "%s%d", body, (10 - sum % 10) % 10);
}

static void sim_ids(unsigned sim, struct event *ev)
{
	snprintf(ev->imsi, sizeof(ev->imsi), "4600012340%05u", sim);
	snprintf(ev->msisdn, sizeof(ev->msisdn), "86170000%05u", sim);
}

struct fixture {
	char dir[64];
	char actions[96];
	struct rep *rep;
	struct act_sink *sink;
	struct engine *engine;
};

static void fixture_open(struct fixture *fx)
{
	strcpy(fx->dir, "/tmp/check_engine_XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(fx->dir));
	snprintf(fx->actions, sizeof(fx->actions), "%s/actions.jsonl", fx->dir);
	ck_assert_int_eq(rep_open(fx->dir, NULL, &fx->rep), 0);
	ck_assert_int_eq(act_sink_jsonl_open(fx->actions, ACT_FSYNC_NEVER, false, &fx->sink), 0);
	struct engine_options opt = { .config = NULL, .rep = fx->rep, .sinks = &fx->sink, .n_sinks = 1 };
	ck_assert_int_eq(engine_open(&opt, &fx->engine), 0);
}

static void fixture_close(struct fixture *fx)
{
	engine_close(fx->engine);
	act_sink_close(fx->sink);
	rep_close(fx->rep);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", fx->dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* 24 h of an 8-port gateway rotating 40 SIMs hourly, each port calling every ~70 s. */
static void run_gateway(struct fixture *fx)
{
	unsigned victim = 0;
	for (ss_time_us t = T0; t < T0 + 24 * SS_US_PER_HOUR; t += 70 * SS_US_PER_SEC / PORTS) {
		unsigned slot = (unsigned)((t - T0) / (70 * SS_US_PER_SEC / PORTS));
		unsigned port = slot % PORTS;
		unsigned hour = (unsigned)((t - T0) / SS_US_PER_HOUR);
		unsigned sim = (port * 5 + hour * 3) % SIMS; /* rotation: SIMs move between ports */
		struct event ev;
		ev_init(&ev);
		ev.time = t;
		ev.kind = EV_CALL;
		ev.direction = EV_DIR_MO;
		sim_ids(sim, &ev);
		luhn_imei(port, ev.imei);
		snprintf(ev.other_party, sizeof(ev.other_party), "86139%08u", 10000 + victim++);
		ev.answered = victim % 3 == 0;
		ev.duration = ev.answered ? 20 : 0;
		ev.cell = (struct ev_cell){ .mcc = 460, .mnc = 0, .lac = 4567, .ci = 12345, .present = true };
		snprintf(ev.record_id, sizeof(ev.record_id), "R%u", victim);
		engine_on_event(fx->engine, &ev);
		ev_clear(&ev);
	}
	ck_assert_int_eq(engine_finish(fx->engine), 0);
}

static unsigned count_lines(const char *path, const char *needle)
{
	FILE *f = fopen(path, "r");
	char line[8192];
	unsigned n = 0;
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		if (!needle || strstr(line, needle))
			n++;
	fclose(f);
	return n;
}

START_TEST(test_gateway_blocked_and_recorded)
{
	struct fixture fx;
	fixture_open(&fx);
	run_gateway(&fx);
	const struct engine_counters *c = engine_counters(fx.engine);
	ck_assert_uint_gt(c->findings, 0);
	unsigned blocks = count_lines(fx.actions, "\"action\":\"block\"");
	ck_assert_uint_ge(blocks, SIMS * 9 / 10);
	ck_assert_uint_eq(count_lines(fx.actions, NULL),
			  c->actions[0][REP_ACTION_BLOCK] + c->actions[0][REP_ACTION_REVERIFY] +
				  c->actions[0][REP_ACTION_LIMIT] + c->actions[0][REP_ACTION_MONITOR]);
	/* Gateway ports get device actions. */
	ck_assert_uint_ge(count_lines(fx.actions, "\"subject\":{\"imei\""), PORTS * 9 / 10);

	/* One block per SIM: a block stays in force, so it is never repeated. */
	for (unsigned sim = 0; sim < SIMS; sim++) {
		struct event ev;
		char needle[64];
		memset(&ev, 0, sizeof(ev));
		sim_ids(sim, &ev);
		snprintf(needle, sizeof(needle), "\"imsi\":\"%s\"", ev.imsi);
		FILE *f = fopen(fx.actions, "r");
		char line[8192];
		unsigned sim_blocks = 0;
		while (fgets(line, sizeof(line), f))
			if (strstr(line, needle) && strstr(line, "\"action\":\"block\""))
				sim_blocks++;
		fclose(f);
		ck_assert_uint_le(sim_blocks, 1);
	}

	/* The store has the decision under both the IMSI and the MSISDN. */
	struct rep_record rec;
	struct event ev;
	memset(&ev, 0, sizeof(ev));
	sim_ids(0, &ev);
	ck_assert_int_eq(rep_get(fx.rep, REP_KEY_IMSI, ev.imsi, &rec), 0);
	ck_assert_int_eq(rec.last_action, REP_ACTION_BLOCK);
	ck_assert_uint_ne(rec.reasons, 0);
	ck_assert_float_ge(rec.score, 80);
	ck_assert_int_eq(rep_get(fx.rep, REP_KEY_MSISDN, ev.msisdn, &rec), 0);
	ck_assert_int_eq(rec.last_action, REP_ACTION_BLOCK);
	ck_assert_int_eq(rep_get(fx.rep, REP_KEY_MSISDN, "8613999999999", &rec), -SS_ENOTFOUND);
	fixture_close(&fx);
}
END_TEST

START_TEST(test_white_listed_sim_never_blocked)
{
	struct fixture fx;
	fixture_open(&fx);
	struct event ev;
	memset(&ev, 0, sizeof(ev));
	sim_ids(7, &ev);
	struct rep_record white;
	memset(&white, 0, sizeof(white));
	white.list = REP_LIST_WHITE;
	strcpy(white.list_source, "test-vip");
	ck_assert_int_eq(rep_put(fx.rep, REP_KEY_MSISDN, ev.msisdn, &white), 0);
	ck_assert_int_eq(rep_flush(fx.rep), 0);
	run_gateway(&fx);

	char needle[64];
	snprintf(needle, sizeof(needle), "\"msisdn\":\"%s\"", ev.msisdn);
	FILE *f = fopen(fx.actions, "r");
	char line[8192];
	unsigned seen = 0;
	while (fgets(line, sizeof(line), f)) {
		if (!strstr(line, needle))
			continue;
		seen++;
		ck_assert_ptr_nonnull(strstr(line, "\"action\":\"monitor\""));
		ck_assert_ptr_nonnull(strstr(line, "list.white"));
	}
	fclose(f);
	ck_assert_uint_gt(seen, 0);
	/* Other SIMs of the same gateway are still blocked. */
	ck_assert_uint_ge(count_lines(fx.actions, "\"action\":\"block\""), SIMS * 8 / 10);
	fixture_close(&fx);
}
END_TEST

static void lifecycle(struct fixture *fx, unsigned sim, enum ev_activation what, ss_time_us t)
{
	struct event ev;
	ev_init(&ev);
	ev.time = t;
	ev.kind = EV_ACTIVATION;
	ev.source = EV_SRC_ACTIVATION;
	ev.activation = (uint8_t)what;
	sim_ids(sim, &ev);
	engine_on_event(fx->engine, &ev);
	ck_assert_int_eq(engine_finish(fx->engine), 0);
}

START_TEST(test_reverify_lifecycle)
{
	struct fixture fx;
	fixture_open(&fx);
	run_gateway(&fx);
	struct event ids;
	memset(&ids, 0, sizeof(ids));
	sim_ids(3, &ids);
	struct rep_record rec;
	ck_assert_int_eq(rep_get(fx.rep, REP_KEY_IMSI, ids.imsi, &rec), 0);
	ck_assert_int_eq(rec.last_action, REP_ACTION_BLOCK);

	/* Passed re-verification: one release, score 0, and it stays released. */
	ss_time_us t = T0 + 25 * SS_US_PER_HOUR;
	lifecycle(&fx, 3, EV_ACT_REVERIFY_OK, t);
	ck_assert_uint_eq(count_lines(fx.actions, "\"action\":\"release\""), 1);
	ck_assert_uint_eq(count_lines(fx.actions, "manual.reverify_ok"), 1);
	ck_assert_int_eq(rep_get(fx.rep, REP_KEY_IMSI, ids.imsi, &rec), 0);
	ck_assert_int_eq(rec.last_action, REP_ACTION_RELEASE);
	ck_assert_float_eq(rec.score, 0);
	ck_assert_int_eq(rep_get(fx.rep, REP_KEY_MSISDN, ids.msisdn, &rec), 0);
	ck_assert_int_eq(rec.last_action, REP_ACTION_RELEASE);
	lifecycle(&fx, 3, EV_ACT_REVERIFY_OK, t + SS_US_PER_HOUR); /* nothing in force: no second release */
	ck_assert_uint_eq(count_lines(fx.actions, "\"action\":\"release\""), 1);

	/* A failed re-verification escalates a pending reverify to block. */
	sim_ids(4, &ids);
	ck_assert_int_eq(rep_get(fx.rep, REP_KEY_IMSI, ids.imsi, &rec), 0);
	rec.last_action = REP_ACTION_REVERIFY;
	ck_assert_int_eq(rep_put(fx.rep, REP_KEY_IMSI, ids.imsi, &rec), 0);
	unsigned blocks = count_lines(fx.actions, "\"action\":\"block\"");
	lifecycle(&fx, 4, EV_ACT_REVERIFY_FAILED, t);
	ck_assert_uint_eq(count_lines(fx.actions, "\"action\":\"block\""), blocks + 1);
	ck_assert_uint_eq(count_lines(fx.actions, "manual.reverify_failed"), 1);
	ck_assert_int_eq(rep_get(fx.rep, REP_KEY_IMSI, ids.imsi, &rec), 0);
	ck_assert_int_eq(rec.last_action, REP_ACTION_BLOCK);

	/* Unknown SIMs: nothing happens. */
	unsigned all = count_lines(fx.actions, NULL);
	lifecycle(&fx, 999, EV_ACT_REVERIFY_FAILED, t);
	lifecycle(&fx, 999, EV_ACT_CLOSE, t);
	ck_assert_uint_eq(count_lines(fx.actions, NULL), all);
	fixture_close(&fx);
}
END_TEST

static void put_list(struct rep *rep, enum rep_key_type type, const char *id, enum rep_list list,
		     const char *source)
{
	struct rep_record rec;
	memset(&rec, 0, sizeof(rec));
	rec.list = (uint8_t)list;
	snprintf(rec.list_source, sizeof(rec.list_source), "%s", source);
	ck_assert_int_eq(rep_put(rep, type, id, &rec), 0);
}

static void call(struct fixture *fx, ss_time_us t, const char *msisdn, const char *imsi, enum ev_direction dir,
		 const char *other)
{
	struct event ev;
	ev_init(&ev);
	ev.time = t;
	ev.kind = EV_CALL;
	ev.direction = (uint8_t)dir;
	snprintf(ev.msisdn, sizeof(ev.msisdn), "%s", msisdn);
	snprintf(ev.imsi, sizeof(ev.imsi), "%s", imsi);
	snprintf(ev.other_party, sizeof(ev.other_party), "%s", other);
	/* Conversations, not ring-and-drop: only the list rules may fire here. */
	ev.answered = true;
	ev.duration = 90;
	engine_on_event(fx->engine, &ev);
	ev_clear(&ev);
}

START_TEST(test_list_hits)
{
	struct fixture fx;
	fixture_open(&fx);
	/* Lists arrive after the engine started: the generation bump makes it reload. */
	put_list(fx.rep, REP_KEY_MSISDN, "88216000001", REP_LIST_BLACK, "industry-share");
	put_list(fx.rep, REP_KEY_MSISDN, "8617100000002", REP_LIST_GRAY, "gov-96110");
	put_list(fx.rep, REP_KEY_MSISDN, "8613800000009", REP_LIST_BLACK, "own-fraud-list");
	put_list(fx.rep, REP_KEY_MSISDN, "8610086", REP_LIST_WHITE, "operator");
	ck_assert_int_eq(rep_list_touch(fx.rep), 0);
	ck_assert_int_eq(engine_reload_lists(fx.engine, false), 0);
	ck_assert_uint_eq(engine_counters(fx.engine)->listed_entries, 4);

	char victim[16], vimsi[16];
	for (unsigned i = 0; i < 50; i++) {
		snprintf(victim, sizeof(victim), "86139%08u", i);
		snprintf(vimsi, sizeof(vimsi), "46000%010u", i);
		ss_time_us t = T0 + i * 30 * SS_US_PER_SEC;
		call(&fx, t, victim, vimsi, EV_DIR_MT, "88216000001");   /* black number rings */
		call(&fx, t + 1, victim, vimsi, EV_DIR_MT, "8617100000002"); /* gray number */
		call(&fx, t + 2, victim, vimsi, EV_DIR_MT, "8610086");       /* white-listed service */
		call(&fx, t + 3, victim, vimsi, EV_DIR_MO, "8613911110000"); /* ordinary call */
	}
	/* Our own black-listed SIM makes a call. */
	call(&fx, T0 + SS_US_PER_HOUR, "8613800000009", "460001111100009", EV_DIR_MO, "8613911110001");
	ck_assert_int_eq(engine_finish(fx.engine), 0);

	/* One block for the black number (number only), none for the victims. */
	ck_assert_uint_eq(count_lines(fx.actions, "\"subject\":{\"msisdn\":\"88216000001\"}"), 1);
	ck_assert_uint_eq(count_lines(fx.actions, "88216000001\"},\"score\":100"), 1);
	ck_assert_uint_eq(count_lines(fx.actions, "\"action\":\"block\""), 2);
	ck_assert_uint_eq(count_lines(fx.actions, "86139000000"), 0);
	/* The gray number: monitored, never blocked. */
	ck_assert_uint_eq(count_lines(fx.actions, "8617100000002"), 1);
	ck_assert_uint_eq(count_lines(fx.actions, "\"action\":\"monitor\""), 1);
	/* The white-listed service number: nothing. */
	ck_assert_uint_eq(count_lines(fx.actions, "8610086"), 0);
	/* Our black-listed SIM: blocked with both identities. */
	ck_assert_uint_eq(count_lines(fx.actions, "\"msisdn\":\"8613800000009\",\"imsi\":\"460001111100009\""), 1);
	ck_assert_uint_eq(count_lines(fx.actions, "list.black"), 2);
	fixture_close(&fx);
}
END_TEST

START_TEST(test_reverify_deadline)
{
	struct fixture fx;
	fixture_open(&fx);
	/* Three SIMs were asked to re-verify at T0 (by an earlier run of the daemon). */
	for (unsigned sim = 0; sim < 3; sim++) {
		struct event ids;
		struct rep_record rec;
		memset(&ids, 0, sizeof(ids));
		sim_ids(sim, &ids);
		memset(&rec, 0, sizeof(rec));
		rec.score = 75;
		rec.score_time = T0;
		rec.last_action = REP_ACTION_REVERIFY;
		rec.last_action_time = T0;
		rec.last_action_id = 1000 + sim;
		ck_assert_int_eq(rep_put(fx.rep, REP_KEY_IMSI, ids.imsi, &rec), 0);
		ck_assert_int_eq(rep_put(fx.rep, REP_KEY_MSISDN, ids.msisdn, &rec), 0);
	}
	/* SIM 2 is white-listed: the deadline may only monitor it. */
	{
		struct event ids;
		struct rep_record rec;
		memset(&ids, 0, sizeof(ids));
		sim_ids(2, &ids);
		ck_assert_int_eq(rep_get(fx.rep, REP_KEY_MSISDN, ids.msisdn, &rec), 0);
		rec.list = REP_LIST_WHITE;
		ck_assert_int_eq(rep_put(fx.rep, REP_KEY_MSISDN, ids.msisdn, &rec), 0);
	}
	ck_assert_int_eq(rep_flush(fx.rep), 0);
	/* Restart: the deadlines come back from the store (the fixture's engine predates them). */
	engine_close(fx.engine);
	struct engine_options opt = { .config = NULL, .rep = fx.rep, .sinks = &fx.sink, .n_sinks = 1 };
	ck_assert_int_eq(engine_open(&opt, &fx.engine), 0);

	/* SIM 1 passes before its deadline. */
	lifecycle(&fx, 1, EV_ACT_REVERIFY_OK, T0 + 30 * SS_US_PER_HOUR);
	ck_assert_uint_eq(count_lines(fx.actions, "\"action\":\"release\""), 1);
	/* Two days: nothing expires yet (deadline 72 h by default). */
	call(&fx, T0 + 48 * SS_US_PER_HOUR, "8613911110000", "460009999900000", EV_DIR_MO, "8613911110001");
	ck_assert_int_eq(engine_finish(fx.engine), 0);
	ck_assert_uint_eq(count_lines(fx.actions, "manual.reverify_deadline"), 0);
	/* Four days: SIM 0 is blocked, SIM 2 (white) only monitored, SIM 1 untouched. */
	call(&fx, T0 + 96 * SS_US_PER_HOUR, "8613911110000", "460009999900000", EV_DIR_MO, "8613911110002");
	ck_assert_int_eq(engine_finish(fx.engine), 0);
	ck_assert_uint_eq(count_lines(fx.actions, "manual.reverify_deadline"), 2);
	ck_assert_uint_eq(count_lines(fx.actions, "\"action\":\"block\""), 1);
	ck_assert_uint_eq(count_lines(fx.actions, "\"msisdn\":\"8617000000000\",\"imsi\":\"460001234000000\""), 1);
	ck_assert_uint_eq(engine_counters(fx.engine)->reverify_expired, 2);
	struct event ids;
	struct rep_record rec;
	memset(&ids, 0, sizeof(ids));
	sim_ids(0, &ids);
	ck_assert_int_eq(rep_get(fx.rep, REP_KEY_IMSI, ids.imsi, &rec), 0);
	ck_assert_int_eq(rec.last_action, REP_ACTION_BLOCK);
	sim_ids(1, &ids);
	ck_assert_int_eq(rep_get(fx.rep, REP_KEY_IMSI, ids.imsi, &rec), 0);
	ck_assert_int_eq(rec.last_action, REP_ACTION_RELEASE);
	/* A second restart does not re-send: SIM 0 is no longer at reverify. */
	engine_close(fx.engine);
	ck_assert_int_eq(engine_open(&opt, &fx.engine), 0);
	call(&fx, T0 + 200 * SS_US_PER_HOUR, "8613911110000", "460009999900000", EV_DIR_MO, "8613911110003");
	ck_assert_int_eq(engine_finish(fx.engine), 0);
	ck_assert_uint_eq(count_lines(fx.actions, "manual.reverify_deadline"), 2);
	fixture_close(&fx);
}
END_TEST

int main(void)
{
	ss_log_set_level(SS_LOG_WARN);
	Suite *s = suite_create("engine");
	TCase *tc = tcase_create("engine");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_gateway_blocked_and_recorded);
	tcase_add_test(tc, test_white_listed_sim_never_blocked);
	tcase_add_test(tc, test_reverify_lifecycle);
	tcase_add_test(tc, test_list_hits);
	tcase_add_test(tc, test_reverify_deadline);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
