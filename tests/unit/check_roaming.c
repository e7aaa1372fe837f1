/*
 * check_roaming.c - the high-risk area list (src/detect/areas.c) and the
 * roaming detector (src/detect/roaming.c).
 *
 * Hand-built events go through det_roaming the way the engine feeds them:
 * on_event, then det_profile_observe (so the detector sees the SIM as it was
 * before the event).  Findings are recorded by the emit callback.
 */
#include "core/config.h"
#include "core/err.h"
#include "core/log.h"
#include "detect/areas.h"
#include "detect/detect.h"
#include "detect/profile.h"

#include "det_test.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T0 (INT64_C(20759) * 86400) /* a midnight, UTC */
#define MIN 60
#define HOUR 3600
#define DAY 86400

static const char test_areas[] = "# test list\n"
				 "version t1\n"
				 "country MM mcc=414 cc=95 weight=60 name=Myanmar\n"
				 "country KH mcc=456 cc=855 weight=55 name=\"Cambodia\"\n"
				 "country XA mcc=901 cc=85 weight=20 name=\"Test 85\"\n"
				 "country AE mcc=424,430,431 cc=971 weight=40\n"
				 "network 414-06 weight=80 name=\"net 6\"\n"
				 "cell 460-00-4xxx weight=45 name=\"border LACs\"\n"
				 "cell 460-00-4567-12xxx weight=50 name=\"port cells\"\n";

/* ---- the list ----------------------------------------------------------- */

static struct det_areas *parse(const char *text)
{
	struct det_areas *a = NULL;
	char err[256];
	int rc = det_areas_parse(text, strlen(text), "t", &a, err, sizeof(err));
	ck_assert_msg(rc == 0, "parse: %s", err);
	return a;
}

START_TEST(test_lookup)
{
	struct det_areas *a = parse(test_areas);
	const struct det_area *e;

	ck_assert_str_eq(det_areas_version(a), "t1");
	ck_assert_uint_eq(det_areas_count(a), 7);
	/* MCC -> country, MCC+MNC -> network when listed */
	e = det_areas_plmn(a, 414, 1);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->name, "Myanmar");
	ck_assert_int_eq(e->weight, 60);
	e = det_areas_plmn(a, 414, 6);
	ck_assert_str_eq(e->id, "414-06");
	ck_assert_int_eq(e->weight, 80);
	ck_assert_str_eq(det_areas_plmn(a, 431, 2)->id, "AE");
	ck_assert_int_eq(det_areas_plmn(a, 431, 2)->weight, 40);
	ck_assert_ptr_null(det_areas_plmn(a, 460, 0));
	ck_assert_ptr_null(det_areas_plmn(a, 520, 1));
	/* E.164: longest prefix */
	ck_assert_str_eq(det_areas_number(a, "959123456789")->id, "MM");
	ck_assert_str_eq(det_areas_number(a, "85512345678")->id, "KH");
	ck_assert_str_eq(det_areas_number(a, "85212345678")->id, "XA");
	ck_assert_str_eq(det_areas_number(a, "+85512345678")->id, "KH");
	ck_assert_str_eq(det_areas_number(a, "0085512345678")->id, "KH");
	ck_assert_ptr_null(det_areas_number(a, "8613800138000"));
	ck_assert_ptr_null(det_areas_number(a, "95588")); /* a bank's short code, not Myanmar */
	/* domestic cells: narrowest wins */
	struct ev_cell c = { .mcc = 460, .mnc = 0, .lac = 4123, .ci = 999, .present = true };
	ck_assert_str_eq(det_areas_cell(a, &c)->id, "460-00-4xxx");
	c.lac = 4567;
	c.ci = 12345;
	ck_assert_str_eq(det_areas_cell(a, &c)->id, "460-00-4567-12xxx");
	c.ci = 13000;
	ck_assert_str_eq(det_areas_cell(a, &c)->id, "460-00-4xxx");
	c.lac = 5123;
	ck_assert_ptr_null(det_areas_cell(a, &c));
	c.lac = 4123;
	c.mnc = 1;
	ck_assert_ptr_null(det_areas_cell(a, &c));
	ck_assert(det_areas_has_cells(a, 460));
	ck_assert(!det_areas_has_cells(a, 414));
	det_areas_free(a);
}
END_TEST

START_TEST(test_countries)
{
	unsigned cn = det_country_by_mcc(460), mm = det_country_by_mcc(414), ae = det_country_by_mcc(424);
	unsigned gb = det_country_by_mcc(234), th = det_country_by_mcc(520);
	ck_assert(cn && mm && ae && gb && th);
	ck_assert_uint_eq(det_country_by_number("959123456789"), mm);
	ck_assert_uint_eq(det_country_by_number("8613800138000"), cn);
	ck_assert_uint_eq(det_country_by_number("97150123456"), ae);
	ck_assert_uint_eq(det_country_by_number("10086"), 0);
	ck_assert_str_eq(det_country(det_country_by_number("85512345678"))->iso, "KH");
	ck_assert_str_eq(det_country(det_country_by_number("85212345678"))->iso, "HK");
	/* neighbours: a lower bound of 0, never impossible */
	ck_assert(det_country_min_km(cn, mm) == 0);
	ck_assert(det_country_min_km(th, mm) == 0);
	ck_assert(det_country_min_km(cn, ae) > 1500);
	ck_assert(det_country_min_km(cn, gb) > 3000);
	ck_assert(det_country_min_km(0, gb) < 0);
}
END_TEST

static void expect_error(const char *text, const char *want)
{
	struct det_areas *a = (struct det_areas *)1;
	char err[256];
	int rc = det_areas_parse(text, strlen(text), "f.conf", &a, err, sizeof(err));
	ck_assert_int_eq(rc, -SS_ECONFIG);
	ck_assert_ptr_null(a);
	ck_assert_msg(strstr(err, want) != NULL, "got '%s', want '%s'", err, want);
}

START_TEST(test_loader_errors)
{
	expect_error("version 1\ncountry MM mcc=414 cc=95 colour=red\n", "f.conf:2: country: unknown key 'colour'");
	expect_error("version 1\n\nregion MM\n", "f.conf:3: unknown entry 'region'");
	expect_error("country MM mcc=414 cc=95\n", "f.conf: no 'version' line");
	expect_error("version 1\nversion 2\n", "f.conf:2: version given twice");
	expect_error("version 1\ncountry MM mcc=41 cc=95\n", "f.conf:2: country MM: mcc '41'");
	expect_error("version 1\ncountry MM cc=95\n", "f.conf:2: country MM: missing mcc=");
	expect_error("version 1\ncountry MM mcc=414\n", "f.conf:2: country MM: missing cc=");
	expect_error("version 1\ncountry MM mcc=414 cc=95\ncountry XX mcc=414 cc=96\n",
		     "f.conf:3: country XX: MCC 414 already listed on line 2");
	expect_error("version 1\ncountry MM mcc=414 cc=95\ncountry XX mcc=415 cc=95\n",
		     "f.conf:3: country XX: country code 95 already listed on line 2");
	expect_error("version 1\ncountry Mm mcc=414 cc=95\n", "f.conf:2: country 'Mm'");
	expect_error("version 1\ncountry MM mcc=414 cc=95 weight=0\n", "f.conf:2: weight '0'");
	expect_error("version 1\ncountry MM mcc=414 cc=95 weight=101\n", "f.conf:2: weight '101'");
	expect_error("version 1\nnetwork 41406\n", "f.conf:2: network '41406'");
	expect_error("version 1\nnetwork 414-06 mcc=414\n", "f.conf:2: network: unknown key 'mcc'");
	expect_error("version 1\nnetwork 414-06\nnetwork 414-06\n", "f.conf:3: network 414-06 already listed on line 2");
	expect_error("version 1\ncell 460-00-x4xx\n", "f.conf:2: cell '460-00-x4xx': LAC");
	expect_error("version 1\ncell 460-00\n", "f.conf:2: cell '460-00'");
	expect_error("version 1\ncell 460-00-45xx-12xx\n", "f.conf:2: cell '460-00-45xx-12xx': a CI prefix needs an exact LAC");
	expect_error("version 1\ncountry MM mcc=414 cc=95 name=\"Myan mar\n", "f.conf:2: unterminated quote");
	expect_error("version 1\ncountry MM mcc=414 cc=95 weight\n", "f.conf:2: 'weight': expected key=value");

	/* the file: unreadable, and the shipped list parses */
	struct det_areas *a = NULL;
	char err[256];
	ck_assert_int_eq(det_areas_load("/nonexistent/areas.conf", &a, err, sizeof(err)), -SS_ECONFIG);
	ck_assert(strstr(err, "/nonexistent/areas.conf: No such file") != NULL);
	ck_assert_int_eq(det_areas_load("signatures/high-risk-areas.conf", &a, err, sizeof(err)), 0);
	ck_assert_str_eq(det_areas_plmn(a, 414, 1)->id, "MM");
	ck_assert_str_eq(det_areas_plmn(a, 457, 1)->id, "LA");
	ck_assert_str_eq(det_areas_plmn(a, 456, 1)->id, "KH");
	ck_assert_str_eq(det_areas_plmn(a, 424, 2)->id, "AE");
	ck_assert_str_eq(det_areas_plmn(a, 515, 2)->id, "PH");
	ck_assert_str_eq(det_areas_number(a, "8562012345678")->id, "LA");
	ck_assert_str_eq(det_areas_number(a, "639171234567")->id, "PH");
	ck_assert_str_eq(det_areas_number(a, "971501234567")->id, "AE");
	det_areas_free(a);
}
END_TEST

/* ---- the detector ------------------------------------------------------- */

#define MAXF 256

struct fixture {
	void *st;
	struct det_profile *prof;
	struct ss_config *cfg;
	char path[64];
	struct det_finding f[MAXF];
	int nf;
};

static void record(void *ctx, const struct det_finding *f)
{
	struct fixture *fx = ctx;
	if (fx->nf < MAXF)
		fx->f[fx->nf++] = *f;
}

static void fx_open(struct fixture *fx, const char *extra)
{
	char text[1024], err[256];
	memset(fx, 0, sizeof(*fx));
	snprintf(fx->path, sizeof(fx->path), "/tmp/check_roaming_XXXXXX");
	int fd = mkstemp(fx->path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, test_areas, strlen(test_areas)), (ssize_t)strlen(test_areas));
	close(fd);
	snprintf(text, sizeof(text), "[roaming]\nareas = %s\n%s", fx->path, extra ? extra : "");
	ck_assert_int_eq(ss_config_from_string(text, &fx->cfg, err, sizeof(err)), 0);
	ck_assert_int_eq(det_profile_open(&fx->prof), 0);
	struct det_env env = { .config = fx->cfg, .emit = record, .emit_ctx = fx, .profile = fx->prof };
	ck_assert_int_eq(det_roaming.init(&fx->st, &env), 0);
}

static void fx_close(struct fixture *fx)
{
	det_roaming.fini(fx->st);
	det_profile_close(fx->prof);
	ss_config_free(fx->cfg);
	unlink(fx->path);
}

static void feed(struct fixture *fx, const struct event *ev)
{
	det_roaming.tick(fx->st, ev->time);
	det_roaming.on_event(fx->st, ev);
	det_profile_observe(fx->prof, ev);
}

static struct event mk(int64_t t, enum ev_kind kind, enum ev_direction dir, unsigned sim)
{
	struct event e;
	memset(&e, 0, sizeof(e));
	e.time = t * SS_US_PER_SEC;
	e.kind = (uint8_t)kind;
	e.direction = (uint8_t)dir;
	snprintf(e.imsi, sizeof(e.imsi), "46000%010u", sim);
	snprintf(e.msisdn, sizeof(e.msisdn), "86138%08u", sim);
	snprintf(e.record_id, sizeof(e.record_id), "R%lld-%u", (long long)t, sim);
	return e;
}

static void open_sim(struct fixture *fx, int64_t t, unsigned sim, enum ev_sim_type type)
{
	struct event e = mk(t, EV_ACTIVATION, EV_DIR_NONE, sim);
	e.activation = EV_ACT_OPEN;
	e.sim_type = (uint8_t)type;
	feed(fx, &e);
}

/* A call while roaming in @plmn (CDR with visited_plmn and a foreign cell). */
static void roam_call(struct fixture *fx, int64_t t, unsigned sim, const char *plmn, const char *other,
		      enum ev_direction dir, bool answered, unsigned dur)
{
	struct event e = mk(t, EV_CALL, dir, sim);
	snprintf(e.visited_plmn, sizeof(e.visited_plmn), "%s", plmn);
	e.cell.present = true;
	e.cell.mcc = (uint16_t)((plmn[0] - '0') * 100 + (plmn[1] - '0') * 10 + (plmn[2] - '0'));
	e.cell.mnc = (uint16_t)atoi(plmn + 3);
	e.cell.lac = 100;
	e.cell.ci = 2000;
	snprintf(e.other_party, sizeof(e.other_party), "%s", other);
	e.answered = answered;
	e.duration = answered ? dur : 0;
	feed(fx, &e);
}

static void home_call(struct fixture *fx, int64_t t, unsigned sim, unsigned lac)
{
	struct event e = mk(t, EV_CALL, EV_DIR_MO, sim);
	e.cell.present = true;
	e.cell.mcc = 460;
	e.cell.lac = lac;
	e.cell.ci = 777;
	snprintf(e.other_party, sizeof(e.other_party), "8613912345678");
	e.answered = true;
	e.duration = 120;
	feed(fx, &e);
}


/* The strongest finding recorded: strength first, then score. */
static const struct det_finding *strongest(const struct fixture *fx)
{
	const struct det_finding *b = NULL;
	for (int i = 0; i < fx->nf; i++)
		if (!b || fx->f[i].strength > b->strength ||
		    (fx->f[i].strength == b->strength && fx->f[i].score > b->score))
			b = &fx->f[i];
	return b;
}

START_TEST(test_tenured_traveller_monitor_only)
{
	struct fixture fx;
	fx_open(&fx, NULL);
	/* No opening in the feed: the SIM predates it (tenured). 5 days in Myanmar, normal calls. */
	home_call(&fx, T0, 1, 1234);
	for (int d = 0; d < 5; d++)
		for (int k = 0; k < 6; k++)
			roam_call(&fx, T0 + DAY + d * DAY + 9 * HOUR + k * HOUR, 1, "41401",
				  k % 2 ? "8613911110000" : "8613922220000", EV_DIR_MO, true, 180);
	const struct det_finding *b = strongest(&fx);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(b->strength, DET_WEAK);
	ck_assert_int_eq(b->score, 60);
	ck_assert(has_reason(b, "roaming.high_risk_network"));
	ck_assert_int_eq(b->subject.kind, DET_SUBJECT_SIM);
	ck_assert_str_eq(b->subject.imsi, "460000000000001");
	ck_assert(strstr(b->reasons[0].detail, "Myanmar") != NULL);
	ck_assert_int_eq(fx.nf, 1); /* no repeats at the same score */
	/* marked in the shared profile */
	const struct det_profile_entry *p = det_profile_find(fx.prof, "460000000000001", NULL);
	ck_assert(p && (p->flags & DET_PROFILE_HIGH_RISK_AREA));
	/* 200-day-old SIM: also tenured */
	open_sim(&fx, T0 - 200 * DAY, 2, EV_SIM_CONSUMER);
	roam_call(&fx, T0 + 2 * DAY, 2, "45601", "8613911110000", EV_DIR_MO, true, 300);
	ck_assert_int_eq(strongest(&fx)->strength, DET_WEAK);
	fx_close(&fx);
}
END_TEST

START_TEST(test_fresh_sim)
{
	struct fixture fx;
	fx_open(&fx, NULL);
	open_sim(&fx, T0, 3, EV_SIM_CONSUMER);
	roam_call(&fx, T0 + 3 * DAY, 3, "45601", "8613911110000", EV_DIR_MT, true, 60);
	ck_assert_int_eq(fx.nf, 1);
	ck_assert_int_eq(fx.f[0].strength, DET_BEHAVIOURAL);
	ck_assert_int_ge(fx.f[0].score, 70); /* reverify */
	ck_assert(has_reason(&fx.f[0], "roaming.fresh_sim"));
	ck_assert(has_reason(&fx.f[0], "roaming.high_risk_network"));

	/* fresh + bulk origin (marked by bulk_open): structural */
	open_sim(&fx, T0, 4, EV_SIM_CONSUMER);
	ck_assert_int_eq(det_profile_mark(fx.prof, "460000000000004", NULL, DET_PROFILE_BULK_ORIGIN, 20), 0);
	fx.nf = 0;
	roam_call(&fx, T0 + 5 * DAY, 4, "41406", "8613911110000", EV_DIR_MO, false, 0);
	ck_assert_int_eq(fx.nf, 1);
	ck_assert_int_eq(fx.f[0].strength, DET_STRUCTURAL);
	ck_assert_int_ge(fx.f[0].score, 80); /* block */
	ck_assert(has_reason(&fx.f[0], "roaming.bulk_origin"));

	/* bulk origin but 40 days old: behavioural */
	open_sim(&fx, T0 - 40 * DAY, 5, EV_SIM_CONSUMER);
	det_profile_mark(fx.prof, "460000000000005", NULL, DET_PROFILE_BULK_ORIGIN, 20);
	fx.nf = 0;
	roam_call(&fx, T0 + DAY, 5, "41401", "8613911110000", EV_DIR_MO, true, 40);
	ck_assert_int_eq(fx.nf, 1);
	ck_assert_int_eq(fx.f[0].strength, DET_BEHAVIOURAL);

	/* a risky outlet counts like bulk origin */
	open_sim(&fx, T0, 6, EV_SIM_CONSUMER);
	det_profile_mark(fx.prof, "460000000000006", NULL, DET_PROFILE_RISKY_OUTLET, 10);
	fx.nf = 0;
	roam_call(&fx, T0 + 2 * DAY, 6, "41401", "8613911110000", EV_DIR_MO, true, 40);
	ck_assert_int_eq(fx.f[0].strength, DET_STRUCTURAL);
	ck_assert(strstr(fx.f[0].reasons[fx.f[0].n_reasons - 1].detail, "outlet") != NULL);
	fx_close(&fx);
}
END_TEST

START_TEST(test_iot_card)
{
	struct fixture fx;
	fx_open(&fx, NULL);
	/* an old IoT card: the type alone makes it structural */
	open_sim(&fx, T0 - 300 * DAY, 7, EV_SIM_IOT);
	struct event e = mk(T0 + HOUR, EV_DATA, EV_DIR_NONE, 7);
	snprintf(e.visited_plmn, sizeof(e.visited_plmn), "41405");
	feed(&fx, &e);
	ck_assert_int_eq(fx.nf, 1);
	ck_assert_int_eq(fx.f[0].strength, DET_STRUCTURAL);
	ck_assert_int_ge(fx.f[0].score, 80);
	ck_assert(has_reason(&fx.f[0], "roaming.iot_card"));
	/* sim_type on the event (no activation feed) */
	fx.nf = 0;
	e = mk(T0 + 2 * HOUR, EV_CALL, EV_DIR_MO, 8);
	snprintf(e.visited_plmn, sizeof(e.visited_plmn), "42402");
	e.sim_type = EV_SIM_IOT;
	feed(&fx, &e);
	ck_assert_int_eq(fx.nf, 1);
	ck_assert_int_eq(fx.f[0].strength, DET_STRUCTURAL);
	/* an IoT card at home or in a country not listed: nothing */
	fx.nf = 0;
	e = mk(T0 + 3 * HOUR, EV_DATA, EV_DIR_NONE, 7);
	snprintf(e.visited_plmn, sizeof(e.visited_plmn), "52001");
	feed(&fx, &e);
	ck_assert_int_eq(fx.nf, 0);
	fx_close(&fx);
}
END_TEST

START_TEST(test_calls_home)
{
	struct fixture fx;
	char num[32];
	fx_open(&fx, NULL);
	/* fresh SIM: reverify on arrival, block once it calls home heavily */
	open_sim(&fx, T0, 9, EV_SIM_CONSUMER);
	for (int k = 0; k < 30; k++) {
		snprintf(num, sizeof(num), "86139%08d", 5000 + k);
		roam_call(&fx, T0 + 2 * DAY + k * 10 * MIN, 9, "41401", num, EV_DIR_MO, k % 4 == 0, 20);
	}
	const struct det_finding *b = strongest(&fx);
	ck_assert_int_eq(b->strength, DET_STRUCTURAL);
	ck_assert(has_reason(b, "roaming.calls_home"));
	ck_assert_int_ge(b->score, 90);
	ck_assert_int_eq(fx.f[0].strength, DET_BEHAVIOURAL);
	ck_assert_int_le(fx.nf, 4);

	/* tenured SIM doing the same: behavioural (reverify), never a block */
	fx.nf = 0;
	for (int k = 0; k < 30; k++) {
		snprintf(num, sizeof(num), "86139%08d", 7000 + k);
		roam_call(&fx, T0 + 2 * DAY + k * 10 * MIN, 10, "41401", num, EV_DIR_MO, false, 0);
	}
	b = strongest(&fx);
	ck_assert_int_eq(b->strength, DET_BEHAVIOURAL);
	ck_assert(has_reason(b, "roaming.calls_home"));

	/* tenured, many distinct but long answered calls (business trip): weak */
	fx.nf = 0;
	for (int k = 0; k < 30; k++) {
		snprintf(num, sizeof(num), "86139%08d", 9000 + k);
		roam_call(&fx, T0 + 2 * DAY + k * 10 * MIN, 11, "41401", num, EV_DIR_MO, true, 400);
	}
	ck_assert_int_eq(strongest(&fx)->strength, DET_WEAK);
	fx_close(&fx);
}
END_TEST

START_TEST(test_impossible_travel)
{
	struct fixture fx;
	fx_open(&fx, NULL);
	/* UK at 10:00, a home cell in China 70 min later: >= 4000 km apart */
	roam_call(&fx, T0 + 10 * HOUR, 12, "23415", "447700900123", EV_DIR_MO, true, 300);
	ck_assert_int_eq(fx.nf, 0);
	home_call(&fx, T0 + 11 * HOUR + 10 * MIN, 12, 1234);
	ck_assert_int_eq(fx.nf, 1);
	/* one switch: a wrong time zone on a roaming record can do that, so only watched */
	ck_assert_int_eq(fx.f[0].strength, DET_WEAK);
	ck_assert_int_eq(fx.f[0].score, 50);
	ck_assert(has_reason(&fx.f[0], "roaming.impossible_travel"));
	ck_assert(strstr(fx.f[0].reasons[0].detail, "United Kingdom") != NULL);
	/* and back again 2 h later: a clone, behavioural (reverify) */
	roam_call(&fx, T0 + 13 * HOUR, 12, "23415", "447700900123", EV_DIR_MO, true, 60);
	ck_assert_int_eq(fx.nf, 2);
	ck_assert_int_eq(fx.f[1].strength, DET_BEHAVIOURAL);
	ck_assert_int_eq(fx.f[1].score, 70);
	ck_assert(strstr(fx.f[1].reasons[0].detail, "2 such switches") != NULL);

	/* the same trip 14 h later: a flight */
	fx.nf = 0;
	roam_call(&fx, T0 + 10 * HOUR, 13, "23415", "447700900123", EV_DIR_MO, true, 300);
	home_call(&fx, T0 + 24 * HOUR, 13, 1234);
	ck_assert_int_eq(fx.nf, 0);

	/* border crossings: Myanmar <-> China, Thailand <-> Myanmar within minutes */
	home_call(&fx, T0 + 10 * HOUR, 14, 1234);
	roam_call(&fx, T0 + 10 * HOUR + 10 * MIN, 14, "52001", "8613911110000", EV_DIR_MO, true, 30);
	roam_call(&fx, T0 + 10 * HOUR + 20 * MIN, 14, "41401", "8613911110000", EV_DIR_MO, true, 30);
	home_call(&fx, T0 + 10 * HOUR + 30 * MIN, 14, 1234);
	for (int i = 0; i < fx.nf; i++)
		ck_assert(!has_reason(&fx.f[i], "roaming.impossible_travel"));

	/* a cloned SIM flipping UAE <-> China: every switch counts */
	fx.nf = 0;
	for (int k = 0; k < 4; k++) {
		roam_call(&fx, T0 + 30 * HOUR + k * HOUR, 15, "42402", "8613911110000", EV_DIR_MO, true, 60);
		home_call(&fx, T0 + 30 * HOUR + k * HOUR + 20 * MIN, 15, 1234);
	}
	int hits = 0;
	for (int i = 0; i < fx.nf; i++)
		hits += has_reason(&fx.f[i], "roaming.impossible_travel");
	ck_assert_int_ge(hits, 1);
	ck_assert_int_eq(strongest(&fx)->strength, DET_BEHAVIOURAL);

	/* switched off */
	fx_close(&fx);
	fx_open(&fx, "impossible_travel = 0\n");
	roam_call(&fx, T0 + 10 * HOUR, 12, "23415", "447700900123", EV_DIR_MO, true, 300);
	home_call(&fx, T0 + 10 * HOUR + 30 * MIN, 12, 1234);
	ck_assert_int_eq(fx.nf, 0);
	fx_close(&fx);
}
END_TEST

START_TEST(test_location_events)
{
	struct fixture fx;
	fx_open(&fx, NULL);
	open_sim(&fx, T0, 16, EV_SIM_CONSUMER);
	/* MAP UpdateLocation: IMSI only, VLR number in Myanmar */
	struct event e = mk(T0 + DAY, EV_LOCATION, EV_DIR_NONE, 16);
	e.msisdn[0] = '\0';
	snprintf(e.other_party, sizeof(e.other_party), "9592000123");
	feed(&fx, &e);
	ck_assert_int_eq(fx.nf, 1);
	ck_assert_int_eq(fx.f[0].strength, DET_BEHAVIOURAL);
	ck_assert(has_reason(&fx.f[0], "roaming.fresh_sim"));
	ck_assert(strstr(fx.f[0].reasons[0].detail, "VLR/MSC 9592000123") != NULL);

	/* Diameter ULR with a visited PLMN */
	fx.nf = 0;
	open_sim(&fx, T0, 17, EV_SIM_CONSUMER);
	e = mk(T0 + DAY, EV_LOCATION, EV_DIR_NONE, 17);
	snprintf(e.visited_plmn, sizeof(e.visited_plmn), "45602");
	feed(&fx, &e);
	ck_assert_int_eq(fx.nf, 1);
	ck_assert(strstr(fx.f[0].reasons[0].detail, "Cambodia") != NULL);

	/* a home VLR (86...) and a VLR in a country not listed: nothing */
	fx.nf = 0;
	e = mk(T0 + DAY, EV_LOCATION, EV_DIR_NONE, 18);
	snprintf(e.other_party, sizeof(e.other_party), "8613800000001");
	feed(&fx, &e);
	e = mk(T0 + DAY, EV_LOCATION, EV_DIR_NONE, 19);
	snprintf(e.other_party, sizeof(e.other_party), "66812345678");
	feed(&fx, &e);
	ck_assert_int_eq(fx.nf, 0);
	fx_close(&fx);
}
END_TEST

START_TEST(test_domestic_area)
{
	struct fixture fx;
	fx_open(&fx, NULL);
	/* a fresh IoT card in a listed border county: behavioural at most */
	open_sim(&fx, T0, 20, EV_SIM_IOT);
	home_call(&fx, T0 + HOUR, 20, 4321);
	ck_assert_int_eq(fx.nf, 1);
	ck_assert(has_reason(&fx.f[0], "roaming.domestic_high_risk_area"));
	ck_assert_int_eq(fx.f[0].strength, DET_BEHAVIOURAL);
	/* a tenured subscriber living there: below the monitor threshold? weight 45: monitor */
	fx.nf = 0;
	home_call(&fx, T0 + HOUR, 21, 4321);
	ck_assert_int_eq(fx.nf, 1);
	ck_assert_int_eq(fx.f[0].strength, DET_WEAK);
	/* outside the listed LACs: nothing */
	fx.nf = 0;
	home_call(&fx, T0 + HOUR, 22, 5321);
	ck_assert_int_eq(fx.nf, 0);
	fx_close(&fx);
}
END_TEST

START_TEST(test_eviction_and_reset)
{
	struct fixture fx;
	struct det_stats st;
	fx_open(&fx, NULL);
	for (unsigned s = 100; s < 600; s++)
		roam_call(&fx, T0 + s, s, "52001", "8613911110000", EV_DIR_MO, true, 60);
	det_roaming.stats(fx.st, &st);
	ck_assert_uint_eq(st.subjects, 500);
	ck_assert_uint_gt(st.state_bytes, 500 * 64);
	/* home events of SIMs never abroad add nothing */
	for (unsigned s = 1000; s < 2000; s++)
		home_call(&fx, T0 + HOUR, s, 1234);
	det_roaming.stats(fx.st, &st);
	ck_assert_uint_eq(st.subjects, 500);
	struct det_subject subj = { .kind = DET_SUBJECT_SIM };
	snprintf(subj.msisdn, sizeof(subj.msisdn), "86138%08u", 100u);
	det_roaming.reset_subject(fx.st, &subj);
	det_roaming.stats(fx.st, &st);
	ck_assert_uint_eq(st.subjects, 499);
	det_roaming.tick(fx.st, (T0 + 8 * DAY) * SS_US_PER_SEC);
	det_roaming.stats(fx.st, &st);
	ck_assert_uint_eq(st.subjects, 0);
	ck_assert_uint_eq(st.evictions, 499);
	fx_close(&fx);
}
END_TEST

START_TEST(test_config_rejects)
{
	static const char *const bad[] = {
		"[roaming]\nareas = /nonexistent/x.conf\n",
		"[roaming]\nhome_cc = 0086\n",
		"[roaming]\nhome_mcc = 46\n",
		"[roaming]\nfresh_days = 30\ntenured_days = 10\n",
		"[roaming]\ntravel_tolerance = 13h\n",
	};
	ss_log_set_level(SS_LOG_SILENT);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ss_config *cfg;
		char err[256];
		void *st = NULL;
		ck_assert_int_eq(ss_config_from_string(bad[i], &cfg, err, sizeof(err)), 0);
		struct det_env env = { .config = cfg };
		ck_assert_msg(det_roaming.init(&st, &env) < 0, "accepted: %s", bad[i]);
		ss_config_free(cfg);
	}
	/* the default list is found from the source tree (tests run at the top) */
	void *st = NULL;
	struct det_env env = { 0 };
	ck_assert_int_eq(det_roaming.init(&st, &env), 0);
	det_roaming.fini(st);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("roaming");
	TCase *tc = tcase_create("roaming");

	tcase_add_test(tc, test_lookup);
	tcase_add_test(tc, test_countries);
	tcase_add_test(tc, test_loader_errors);
	tcase_add_test(tc, test_tenured_traveller_monitor_only);
	tcase_add_test(tc, test_fresh_sim);
	tcase_add_test(tc, test_iot_card);
	tcase_add_test(tc, test_calls_home);
	tcase_add_test(tc, test_impossible_travel);
	tcase_add_test(tc, test_location_events);
	tcase_add_test(tc, test_domestic_area);
	tcase_add_test(tc, test_eviction_and_reset);
	tcase_add_test(tc, test_config_rejects);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
