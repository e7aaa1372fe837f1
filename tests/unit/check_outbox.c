/*
 * check_outbox.c - the durable outbox (src/rep/outbox.c, rep/rep.h).
 *
 * Atomicity with the reputation records (a failed or interrupted flush
 * loses neither or both), the id index (an id is enqueued once, also across
 * reopen), sequence numbers surviving trimming, cursor semantics (created
 * at the end, only moved by rep_delivery_commit), parking, trimming of
 * entries and of old ids, and control records in the same transaction.
 */
#include "core/err.h"
#include "core/log.h"
#include "rep/rep.h"

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmpdir[64];

static void mk_tmp(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/check_outbox.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void rm_tmp(void)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/data.mdb", tmpdir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/lock.mdb", tmpdir);
	unlink(p);
	rmdir(tmpdir);
}

static struct rep *open_rw(size_t batch)
{
	struct rep_options o = { .batch_limit = batch };
	struct rep *r = NULL;

	ck_assert_int_eq(rep_open(tmpdir, &o, &r), 0);
	return r;
}

static struct rep_record rec_with(float score)
{
	struct rep_record rec;
	memset(&rec, 0, sizeof(rec));
	rec.score = score;
	rec.last_action = REP_ACTION_BLOCK;
	return rec;
}

struct collected {
	size_t n;
	uint64_t seq[256], id[256];
	char json[256][64];
};

static int collect(void *ctx, const struct rep_outbox_entry *e)
{
	struct collected *c = ctx;
	if (c->n < 256) {
		c->seq[c->n] = e->seq;
		c->id[c->n] = e->id;
		snprintf(c->json[c->n], sizeof(c->json[0]), "%.*s", (int)e->len, e->json);
		c->n++;
	}
	return 0;
}

static void put_action(struct rep *r, uint64_t id)
{
	char json[64];
	int n = snprintf(json, sizeof(json), "{\"id\":\"%016llx\"}", (unsigned long long)id);
	ck_assert_int_eq(rep_outbox_put(r, id, 1000 + (ss_time_us)id, json, (size_t)n), 0);
}

START_TEST(test_same_transaction)
{
	mk_tmp();
	struct rep *r = open_rw(0);
	struct rep_record rec = rec_with(90), got;
	struct collected c = { 0 };

	/* A failed commit: neither the record nor the action is stored... */
	ck_assert_int_eq(rep_put(r, REP_KEY_MSISDN, "8613800000001", &rec), 0);
	put_action(r, 42);
	rep_test_fail_flushes(r, 1);
	ck_assert_int_eq(rep_flush(r), -EIO);
	ck_assert_int_eq(rep_outbox_read(r, 0, 100, collect, &c), 0);
	uint64_t last = 99;
	ck_assert_int_eq(rep_outbox_last(r, &last), 0);
	ck_assert_uint_eq(last, 0);
	ck_assert_uint_eq(rep_outbox_counters(r)->queued, 0);
	/* ... and both stay in the batch: the next flush commits both. */
	ck_assert_int_eq(rep_flush(r), 0);
	ck_assert_int_eq(rep_outbox_read(r, 0, 100, collect, &c), 1);
	ck_assert_uint_eq(c.id[0], 42);
	ck_assert_uint_eq(c.seq[0], 1);
	ck_assert_str_eq(c.json[0], "{\"id\":\"000000000000002a\"}");
	ck_assert_int_eq(rep_close(r), 0);

	/* A process killed before its flush: neither survives. */
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct rep *cr = open_rw(0);
		struct rep_record rr = rec_with(50);
		rep_put(cr, REP_KEY_MSISDN, "8613800000002", &rr);
		put_action(cr, 43);
		raise(SIGKILL);
		_exit(3);
	}
	int st;
	waitpid(pid, &st, 0);
	ck_assert(WIFSIGNALED(st));
	r = open_rw(0);
	ck_assert_int_eq(rep_get(r, REP_KEY_MSISDN, "8613800000002", &got), -SS_ENOTFOUND);
	ck_assert_int_eq(rep_get(r, REP_KEY_MSISDN, "8613800000001", &got), 0);
	ck_assert_float_eq(got.score, 90);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(rep_outbox_read(r, 0, 100, collect, &c), 1);
	ck_assert_int_eq(rep_close(r), 0);
	rm_tmp();
}
END_TEST

START_TEST(test_group_keeps_decision_together)
{
	mk_tmp();
	/* batch_limit 2: without the group the first put would flush alone. */
	struct rep *r = open_rw(2);
	struct rep_record rec = rec_with(80);
	struct collected c = { 0 };

	rep_group_begin(r);
	put_action(r, 7);
	ck_assert_int_eq(rep_put(r, REP_KEY_IMSI, "460001234567890", &rec), 0);
	ck_assert_int_eq(rep_put(r, REP_KEY_MSISDN, "8613800000007", &rec), 0);
	ck_assert_int_eq(rep_outbox_read(r, 0, 100, collect, &c), 0); /* nothing committed yet */
	ck_assert_int_eq(rep_group_end(r), 0);			      /* over the limit: flushed */
	ck_assert_int_eq(rep_outbox_read(r, 0, 100, collect, &c), 1);
	ck_assert_int_eq(rep_close(r), 0);
	rm_tmp();
}
END_TEST

START_TEST(test_id_index)
{
	mk_tmp();
	struct rep *r = open_rw(0);
	struct collected c = { 0 };
	uint64_t seq = 0;

	put_action(r, 1);
	put_action(r, 2);
	put_action(r, 1); /* the same decision twice in one batch */
	ck_assert_int_eq(rep_flush(r), 0);
	ck_assert_uint_eq(rep_outbox_counters(r)->queued, 2);
	ck_assert_uint_eq(rep_outbox_counters(r)->duplicates, 1);
	ck_assert_int_eq(rep_outbox_lookup(r, 2, &seq), 0);
	ck_assert_uint_eq(seq, 2);
	ck_assert_int_eq(rep_outbox_lookup(r, 3, &seq), -SS_ENOTFOUND);
	ck_assert_int_eq(rep_close(r), 0);

	/* After a restart the same ids are re-made: never enqueued again. */
	r = open_rw(0);
	put_action(r, 2);
	put_action(r, 3);
	ck_assert_int_eq(rep_flush(r), 0);
	ck_assert_uint_eq(rep_outbox_counters(r)->duplicates, 1);
	ck_assert_int_eq(rep_outbox_read(r, 0, 100, collect, &c), 3);
	ck_assert_uint_eq(c.id[0], 1);
	ck_assert_uint_eq(c.id[1], 2);
	ck_assert_uint_eq(c.id[2], 3);
	ck_assert_uint_eq(c.seq[2], 3);
	ck_assert_int_eq(rep_close(r), 0);
	rm_tmp();
}
END_TEST

static int count_parked(void *ctx, const char *receiver, const struct rep_park *p)
{
	(void)receiver;
	ck_assert_str_eq(p->why, "HTTP 422: bad subject");
	ck_assert_uint_eq(p->id, 11);
	ck_assert_int_eq((int)p->len, 25);
	(*(int *)ctx)++;
	return 0;
}

START_TEST(test_cursor_park_trim)
{
	mk_tmp();
	struct rep *r = open_rw(0);
	struct collected c = { 0 };
	uint64_t cur = 99;

	for (uint64_t id = 10; id < 15; id++)
		put_action(r, id);
	ck_assert_int_eq(rep_flush(r), 0);
	/* A new receiver starts at the end: it does not get the history. */
	ck_assert_int_eq(rep_cursor_get(r, "hook", &cur), -SS_ENOTFOUND);
	ck_assert_int_eq(rep_cursor_init(r, "hlr", &cur), 0);
	ck_assert_uint_eq(cur, 5);
	ck_assert_int_eq(rep_cursor_init(r, "hook", &cur), 0);
	ck_assert_int_eq(rep_delivery_commit(r, "hook", 0, NULL, 0, 0), 0); /* rewound for the test */
	ck_assert_int_eq(rep_cursor_get(r, "hook", &cur), 0);
	ck_assert_uint_eq(cur, 0);

	/* Entries 1..2 acknowledged, 2 parked; trim to the lowest cursor (hook: 2). */
	struct rep_park p = { .seq = 2, .id = 11, .queued_at = 1011, .parked_at = 5, .why = "HTTP 422: bad subject",
			      .json = "{\"id\":\"000000000000000b\"}", .len = 25 };
	ck_assert_int_eq(rep_delivery_commit(r, "hook", 2, &p, 1, 2), 0);
	ck_assert_int_eq(rep_cursor_get(r, "hook", &cur), 0);
	ck_assert_uint_eq(cur, 2);
	int parked = 0;
	ck_assert_int_eq(rep_parked_foreach(r, "hook", count_parked, &parked), 0);
	ck_assert_int_eq(parked, 1);
	parked = 0;
	ck_assert_int_eq(rep_parked_foreach(r, "hlr", count_parked, &parked), 0);
	ck_assert_int_eq(parked, 0);
	ck_assert_int_eq(rep_outbox_read(r, 0, 100, collect, &c), 3);
	ck_assert_uint_eq(c.seq[0], 3);
	ck_assert_uint_eq(rep_outbox_counters(r)->trimmed, 2);

	/* Trim everything: the sequence continues, it is never reused. */
	ck_assert_int_eq(rep_delivery_commit(r, "hook", 5, NULL, 0, 5), 0);
	struct rep_outbox_info info;
	ck_assert_int_eq(rep_outbox_info(r, &info), 0);
	ck_assert_uint_eq(info.entries, 0);
	ck_assert_uint_eq(info.ids, 5);
	ck_assert_uint_eq(info.last, 5);
	ck_assert_uint_eq(info.parked, 1);
	ck_assert_int_eq(rep_close(r), 0);
	r = open_rw(0);
	put_action(r, 20);
	put_action(r, 12); /* trimmed from the outbox, still in the id index */
	ck_assert_int_eq(rep_flush(r), 0);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(rep_outbox_read(r, 5, 100, collect, &c), 1);
	ck_assert_uint_eq(c.seq[0], 6);
	ck_assert_uint_eq(c.id[0], 20);
	/* Reading from a cursor: only what is after it, at most max. */
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(rep_outbox_read(r, 6, 100, collect, &c), 0);

	/* Old ids are forgotten by age. */
	uint64_t removed = 0;
	ck_assert_int_eq(rep_outbox_trim_ids(r, 1015, &removed), 0);
	ck_assert_uint_eq(removed, 5); /* ids 10..14 queued at 1010..1014 */
	ck_assert_int_eq(rep_outbox_info(r, &info), 0);
	ck_assert_uint_eq(info.ids, 1);
	ck_assert_int_eq(rep_close(r), 0);
	rm_tmp();
}
END_TEST

static int meta_count(void *ctx, const uint8_t *key, size_t klen, const void *val, size_t len)
{
	(void)key;
	(void)klen;
	(void)val;
	(void)len;
	(*(int *)ctx)++;
	return 0;
}

START_TEST(test_meta)
{
	mk_tmp();
	struct rep *r = open_rw(0);
	char buf[32];
	size_t len = 0;

	ck_assert_int_eq(rep_meta_put(r, "breaker/trip", 12, "abc", 3), 0);
	/* The batch is read first. */
	ck_assert_int_eq(rep_meta_get(r, "breaker/trip", 12, buf, sizeof(buf), &len), 0);
	ck_assert_uint_eq(len, 3);
	ck_assert_int_eq(rep_meta_put(r, "\x01x", 2, "abc", 3), -EINVAL);
	/* A failed flush loses the control record with everything else, kept for retry. */
	rep_test_fail_flushes(r, 1);
	ck_assert_int_eq(rep_flush(r), -EIO);
	ck_assert_int_eq(rep_flush(r), 0);
	ck_assert_int_eq(rep_meta_put(r, "release/a", 9, "1", 1), 0);
	ck_assert_int_eq(rep_meta_put(r, "release/b", 9, "2", 1), 0);
	ck_assert_int_eq(rep_meta_put(r, "releasf", 7, "2", 1), 0);
	ck_assert_int_eq(rep_flush(r), 0);
	int n = 0;
	ck_assert_int_eq(rep_meta_scan(r, "release/", NULL, 0, meta_count, &n), 0);
	ck_assert_int_eq(n, 2);
	n = 0;
	ck_assert_int_eq(rep_meta_scan(r, "release/", "release/a", 9, meta_count, &n), 0);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(rep_meta_del(r, "breaker/trip", 12), 0);
	ck_assert_int_eq(rep_meta_get(r, "breaker/trip", 12, buf, sizeof(buf), &len), -SS_ENOTFOUND);
	ck_assert_int_eq(rep_close(r), 0);
	rm_tmp();
}
END_TEST

/*
 * Crash at random moments while a child commits records and actions
 * together: after each kill, every committed action has its record and
 * every record its action.
 */
START_TEST(test_kill_atomicity)
{
	mk_tmp();
	for (int round = 0; round < 8; round++) {
		pid_t pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			struct rep *cr = open_rw(0);
			for (uint64_t i = (uint64_t)round * 100000;; i++) {
				char id[32];
				snprintf(id, sizeof(id), "86138%08llu", (unsigned long long)i);
				struct rep_record rr = rec_with(1);
				rr.last_action_id = i + 1;
				rep_put(cr, REP_KEY_MSISDN, id, &rr);
				put_action(cr, i + 1);
				if (i % 7 == 0)
					rep_flush(cr);
			}
		}
		usleep(20000 + (useconds_t)(rand() % 30000));
		kill(pid, SIGKILL);
		int st;
		waitpid(pid, &st, 0);
		struct rep *r = open_rw(0);
		struct collected c;
		uint64_t after = 0;
		for (;;) {
			memset(&c, 0, sizeof(c));
			int n = rep_outbox_read(r, after, 256, collect, &c);
			ck_assert_int_ge(n, 0);
			if (n == 0)
				break;
			for (size_t i = 0; i < c.n; i++) {
				char id[32];
				struct rep_record got;
				snprintf(id, sizeof(id), "86138%08llu", (unsigned long long)(c.id[i] - 1));
				ck_assert_int_eq(rep_get(r, REP_KEY_MSISDN, id, &got), 0);
				ck_assert_uint_eq(got.last_action_id, c.id[i]);
			}
			after = c.seq[c.n - 1];
		}
		struct rep_outbox_info info;
		struct rep_stats rs;
		ck_assert_int_eq(rep_outbox_info(r, &info), 0);
		ck_assert_int_eq(rep_stats(r, &rs), 0);
		ck_assert_uint_eq(info.entries, rs.entries);
		ck_assert_int_eq(rep_close(r), 0);
	}
	rm_tmp();
}
END_TEST

static Suite *outbox_suite(void)
{
	Suite *s = suite_create("outbox");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_same_transaction);
	tcase_add_test(tc, test_group_keeps_decision_together);
	tcase_add_test(tc, test_id_index);
	tcase_add_test(tc, test_cursor_park_trim);
	tcase_add_test(tc, test_meta);
	tcase_add_test(tc, test_kill_atomicity);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	ss_log_set_level(SS_LOG_ERROR);
	SRunner *sr = srunner_create(outbox_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : 0;
}
