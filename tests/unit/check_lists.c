/*
 * check_lists.c - the list detector's served-SIM check with the profile's
 * DET_PROFILE_LIST_CLEAR mark: a SIM found on no list is not looked up
 * again until the engine says the filter changed for it (a gray mark of one
 * of its identities, a reload), or the event carries another identity.
 * The engine's store is replaced by a table and a lookup counter.
 */
#include "detect/detect.h"
#include "detect/profile.h"
#include "core/err.h"
#include "det_test.h"

#include <check.h>
#include <stdio.h>
#include <string.h>


#define T0 (INT64_C(1793491200) * SS_US_PER_SEC)

struct fake_store {
	char gray[4][16]; /* MSISDNs on the gray list */
	int n_gray;
	unsigned served_lookups; /* lookups of the served MSISDN / IMSI */
	const char *served_msisdn, *served_imsi;
};

static int fake_lookup(void *ctx, enum det_key_type type, const char *id, unsigned flags, ss_time_us now,
		       struct det_lookup_result *out)
{
	struct fake_store *st = ctx;
	(void)flags;
	(void)now;
	if ((type == DET_KEY_MSISDN && !strcmp(id, st->served_msisdn)) ||
	    (type == DET_KEY_IMSI && !strcmp(id, st->served_imsi)))
		st->served_lookups++;
	for (int i = 0; type == DET_KEY_MSISDN && i < st->n_gray; i++)
		if (!strcmp(id, st->gray[i])) {
			memset(out, 0, sizeof(*out));
			out->list = DET_LIST_GRAY;
			snprintf(out->source, sizeof(out->source), "test");
			return 0;
		}
	return -SS_ENOTFOUND;
}

/* One MO call by (imsi, msisdn) to a clean number, through the engine's per-event order. */
static void call(void *det, struct det_profile *p, ss_time_us t, const char *imsi, const char *msisdn)
{
	struct event ev;
	ev_init(&ev);
	ev.kind = EV_CALL;
	ev.direction = EV_DIR_MO;
	ev.time = t;
	snprintf(ev.imsi, sizeof(ev.imsi), "%s", imsi);
	snprintf(ev.msisdn, sizeof(ev.msisdn), "%s", msisdn);
	snprintf(ev.other_party, sizeof(ev.other_party), "8613900000000");
	snprintf(ev.record_id, sizeof(ev.record_id), "r%lld", (long long)t);
	det_profile_begin(p, &ev, NULL);
	det_lists.on_event(det, &ev);
	det_profile_observe(p, &ev);
	ev_clear(&ev);
}

START_TEST(test_served_lookups_skipped_until_cleared)
{
	struct fake_store st = { .served_msisdn = "8613800000001", .served_imsi = "460001234567890" };
	struct det_profile *p;
	struct rec r = { .family = "list" };
	void *det;
	ck_assert_int_eq(det_profile_open(&p), 0);
	struct det_env env = { .emit = rec_emit, .emit_ctx = &r, .profile = p, .lookup = fake_lookup, .lookup_ctx = &st };
	ck_assert_int_eq(det_lists.init(&det, &env), 0);

	/* First call: the SIM has no profile yet (created after it); second: looked up, on no list. */
	call(det, p, T0, st.served_imsi, st.served_msisdn);
	call(det, p, T0 + SS_US_PER_SEC, st.served_imsi, st.served_msisdn);
	unsigned after = st.served_lookups;
	ck_assert_uint_ge(after, 2); /* MSISDN and IMSI */
	for (int i = 2; i < 50; i++)
		call(det, p, T0 + i * SS_US_PER_SEC, st.served_imsi, st.served_msisdn);
	ck_assert_uint_eq(st.served_lookups, after); /* the mark holds: no more lookups */
	ck_assert_uint_eq(r.n, 0);

	/* Another number on the same SIM: not what was looked up. */
	call(det, p, T0 + 60 * SS_US_PER_SEC, st.served_imsi, "8613800000009");
	ck_assert_uint_gt(st.served_lookups, after);

	/* The SIM's number becomes gray; the engine clears the mark (as its gray-mark path does). */
	snprintf(st.gray[st.n_gray++], 16, "%s", st.served_msisdn);
	call(det, p, T0 + 70 * SS_US_PER_SEC, st.served_imsi, st.served_msisdn);
	ck_assert_uint_eq(r.n, 0); /* still marked clean: not looked up */
	det_profile_clear(p, NULL, st.served_msisdn, DET_PROFILE_LIST_CLEAR);
	call(det, p, T0 + 80 * SS_US_PER_SEC, st.served_imsi, st.served_msisdn);
	ck_assert_uint_eq(r.n, 1);
	ck_assert(has_reason(&r.f[0], "list.gray"));

	/* A reload clears every mark. */
	st.n_gray = 0;
	call(det, p, T0 + 90 * SS_US_PER_SEC, "460001234567891", "8613800000002");
	call(det, p, T0 + 91 * SS_US_PER_SEC, "460001234567891", "8613800000002");
	st.served_msisdn = "8613800000002";
	st.served_imsi = "460001234567891";
	unsigned before = st.served_lookups;
	call(det, p, T0 + 92 * SS_US_PER_SEC, "460001234567891", "8613800000002");
	ck_assert_uint_eq(st.served_lookups, before);
	det_profile_clear_all(p, DET_PROFILE_LIST_CLEAR);
	call(det, p, T0 + 93 * SS_US_PER_SEC, "460001234567891", "8613800000002");
	ck_assert_uint_gt(st.served_lookups, before);

	det_lists.fini(det);
	det_profile_close(p);
	free(r.f);
}
END_TEST

static Suite *lists_suite(void)
{
	Suite *s = suite_create("lists");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_served_lookups_skipped_until_cleared);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(lists_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
