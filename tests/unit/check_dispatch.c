/*
 * check_dispatch.c - the outbox dispatcher (src/act/dispatch.c) with a fake
 * receiver and an injectable clock: order, batching, retry with
 * exponential backoff and jitter, parking on reject, receivers independent
 * of each other, cursors across a restart, trimming, the threaded mode,
 * and the JSON Lines receiver.
 */
#include "act/dispatch.h"
#include "core/err.h"
#include "core/log.h"
#include "rep/rep.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[64];

static void mk_tmp(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/check_dispatch.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void rm_tmp(void)
{
	char p[128];
	snprintf(p, sizeof(p), "%s/data.mdb", tmpdir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/lock.mdb", tmpdir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/out.jsonl", tmpdir);
	unlink(p);
	rmdir(tmpdir);
}

static ss_time_us fake_now;
static ss_time_us fake_clock(void *ctx)
{
	(void)ctx;
	return fake_now;
}

/* ---- the fake receiver ---- */

struct fake {
	struct act_receiver base;
	uint64_t seen[1024]; /* ids, in the order received (acknowledged or not) */
	size_t n_seen;
	uint64_t acked[1024];
	size_t n_acked;
	size_t sends;
	int fail_sends;	       /* the next N sends fail as unreachable */
	int accept_then_retry; /* > 0: acknowledge this many, then ACT_RETRY */
	uint64_t reject_id;    /* this id is refused for good */
	ss_time_us send_at[64];
	bool *closed;
};

static int fake_send(struct act_receiver *r, const struct act_delivery *d, size_t n, enum act_result *res, char *why,
		     size_t why_size)
{
	struct fake *f = (struct fake *)r;
	ck_assert_uint_le(n, r->max_batch);
	if (f->sends < 64)
		f->send_at[f->sends] = fake_now;
	f->sends++;
	for (size_t i = 0; i < n; i++)
		f->seen[f->n_seen++] = d[i].id;
	if (f->fail_sends > 0) {
		f->fail_sends--;
		snprintf(why, why_size, "connection refused");
		return -ECONNREFUSED;
	}
	for (size_t i = 0; i < n; i++) {
		if (f->accept_then_retry > 0 && (int)i >= f->accept_then_retry) {
			res[i] = ACT_RETRY;
			if (i == (size_t)f->accept_then_retry)
				snprintf(why, why_size, "HTTP 503");
			continue;
		}
		if (d[i].id == f->reject_id) {
			res[i] = ACT_REJECTED;
			snprintf(why, why_size, "HTTP 422: unknown subscriber");
			continue;
		}
		res[i] = ACT_DELIVERED;
		f->acked[f->n_acked++] = d[i].id;
	}
	if (f->accept_then_retry > 0)
		f->accept_then_retry = 0;
	return 0;
}

static void fake_close(struct act_receiver *r)
{
	struct fake *f = (struct fake *)r;
	if (f->closed)
		*f->closed = true;
}

static const struct act_receiver_ops fake_ops = { .type = "fake", .send = fake_send, .close = fake_close };

static void fake_init(struct fake *f, const char *name, size_t batch)
{
	memset(f, 0, sizeof(*f));
	f->base.ops = &fake_ops;
	snprintf(f->base.name, sizeof(f->base.name), "%s", name);
	f->base.max_batch = batch;
}

static struct rep *open_store(void)
{
	struct rep *r = NULL;
	ck_assert_int_eq(rep_open(tmpdir, NULL, &r), 0);
	return r;
}

static void enqueue(struct rep *r, uint64_t first, uint64_t n)
{
	for (uint64_t id = first; id < first + n; id++) {
		char json[64];
		int len = snprintf(json, sizeof(json), "{\"id\":\"%016llx\",\"action\":\"block\"}", (unsigned long long)id);
		ck_assert_int_eq(rep_outbox_put(r, id, ss_time_now(), json, (size_t)len), 0);
	}
	ck_assert_int_eq(rep_flush(r), 0);
}

static struct act_dispatch *open_dispatch(struct rep *r, bool threaded)
{
	struct act_dispatch_options o = { .clock = fake_clock, .seed = 42, .threaded = threaded };
	struct act_dispatch *d = NULL;
	ck_assert_int_eq(act_dispatch_open(r, &o, &d), 0);
	return d;
}

static const struct act_dispatch_receiver_options ropt = {
	.retry_min = SS_US_PER_SEC, .retry_max = 8 * SS_US_PER_SEC, .max_attempts = 0,
};

START_TEST(test_order_batches_trim)
{
	mk_tmp();
	struct rep *r = open_store();
	struct act_dispatch *d = open_dispatch(r, false);
	struct fake *f = malloc(sizeof(*f));
	bool closed = false;
	fake_init(f, "fake", 3);
	f->closed = &closed;
	ck_assert_int_eq(act_dispatch_add(d, &f->base, &ropt), 0);
	enqueue(r, 100, 10);
	ck_assert_int_eq(act_dispatch_poll(d), 10);
	ck_assert_uint_eq(f->n_acked, 10);
	ck_assert_uint_eq(f->sends, 4); /* 3 + 3 + 3 + 1 */
	for (size_t i = 0; i < 10; i++)
		ck_assert_uint_eq(f->acked[i], 100 + i);
	struct rep_outbox_info info;
	ck_assert_int_eq(rep_outbox_info(r, &info), 0);
	ck_assert_uint_eq(info.entries, 0); /* delivered to every receiver: trimmed */
	ck_assert_uint_eq(info.ids, 10);
	ck_assert_int_eq(act_dispatch_poll(d), 0);
	ck_assert_int_eq(act_dispatch_drain(d, SS_US_PER_SEC), 0);
	act_dispatch_close(d);
	ck_assert(closed);
	free(f);
	rep_close(r);
	rm_tmp();
}
END_TEST

START_TEST(test_backoff_jitter)
{
	mk_tmp();
	struct rep *r = open_store();
	struct act_dispatch *d = open_dispatch(r, false);
	struct fake *f = malloc(sizeof(*f));
	fake_init(f, "hook", 10);
	f->fail_sends = 5;
	fake_now = 1000 * SS_US_PER_SEC;
	ck_assert_int_eq(act_dispatch_add(d, &f->base, &ropt), 0);
	enqueue(r, 1, 4);

	/* Expected backoffs: 1, 2, 4, 8, 8 s (capped), each wait in [b/2, b]. */
	ss_time_us bound[] = { 1, 2, 4, 8, 8 };
	for (int k = 0; k < 5; k++) {
		ck_assert_int_eq(act_dispatch_poll(d), 0);
		ck_assert_uint_eq(f->sends, (size_t)k + 1);
		ss_time_us wake = act_dispatch_next_wake(d);
		ss_time_us wait = wake - fake_now;
		ck_assert_int_ge(wait, bound[k] * SS_US_PER_SEC / 2);
		ck_assert_int_le(wait, bound[k] * SS_US_PER_SEC);
		/* Not before it is due. */
		fake_now = wake - 1;
		ck_assert_int_eq(act_dispatch_poll(d), 0);
		ck_assert_uint_eq(f->sends, (size_t)k + 1);
		fake_now = wake;
	}
	struct act_dispatch_stats st;
	ck_assert_uint_eq(act_dispatch_stats(d, &st, 1), 1);
	ck_assert_uint_eq(st.retries, 5);
	ck_assert_uint_eq(st.backlog, 4);
	ck_assert_str_eq(st.last_error, "connection refused");
	/* Recovered: everything, in order, once acknowledged. */
	ck_assert_int_eq(act_dispatch_poll(d), 4);
	ck_assert_uint_eq(f->n_acked, 4);
	for (size_t i = 0; i < 4; i++)
		ck_assert_uint_eq(f->acked[i], 1 + i);
	ck_assert_int_eq(act_dispatch_next_wake(d), 0);
	act_dispatch_close(d);
	free(f);
	rep_close(r);
	rm_tmp();
}
END_TEST

START_TEST(test_partial_batch)
{
	mk_tmp();
	struct rep *r = open_store();
	struct act_dispatch *d = open_dispatch(r, false);
	struct fake *f = malloc(sizeof(*f));
	fake_init(f, "hlr", 5);
	f->accept_then_retry = 2;
	fake_now = SS_US_PER_SEC;
	ck_assert_int_eq(act_dispatch_add(d, &f->base, &ropt), 0);
	enqueue(r, 1, 5);
	ck_assert_int_eq(act_dispatch_poll(d), 2);
	uint64_t cur = 0;
	ck_assert_int_eq(rep_cursor_get(r, "hlr", &cur), 0);
	ck_assert_uint_eq(cur, 2);
	fake_now = act_dispatch_next_wake(d);
	ck_assert_int_eq(act_dispatch_poll(d), 3);
	/* The retried batch starts at the first entry not acknowledged. */
	ck_assert_uint_eq(f->seen[5], 3);
	ck_assert_uint_eq(f->n_acked, 5);
	act_dispatch_close(d);
	free(f);
	rep_close(r);
	rm_tmp();
}
END_TEST

static int parked_cb(void *ctx, const char *receiver, const struct rep_park *p)
{
	ck_assert_str_eq(receiver, "crm");
	ck_assert_str_eq(p->why, "HTTP 422: unknown subscriber");
	*(uint64_t *)ctx = p->id;
	return 0;
}

START_TEST(test_park_on_reject)
{
	mk_tmp();
	struct rep *r = open_store();
	struct act_dispatch *d = open_dispatch(r, false);
	struct fake *f = malloc(sizeof(*f));
	fake_init(f, "crm", 100);
	f->reject_id = 3;
	ck_assert_int_eq(act_dispatch_add(d, &f->base, &ropt), 0);
	enqueue(r, 1, 5);
	ck_assert_int_eq(act_dispatch_poll(d), 5);
	ck_assert_uint_eq(f->n_acked, 4);
	ck_assert_uint_eq(f->sends, 1); /* never retried */
	uint64_t parked = 0;
	ck_assert_int_eq(rep_parked_foreach(r, NULL, parked_cb, &parked), 0);
	ck_assert_uint_eq(parked, 3);
	struct act_dispatch_stats st;
	act_dispatch_stats(d, &st, 1);
	ck_assert_uint_eq(st.parked, 1);
	ck_assert_uint_eq(st.delivered, 4);
	ck_assert_int_eq(act_dispatch_poll(d), 0);
	ck_assert_uint_eq(f->sends, 1);
	act_dispatch_close(d);
	free(f);
	rep_close(r);
	rm_tmp();
}
END_TEST

START_TEST(test_max_attempts)
{
	mk_tmp();
	struct rep *r = open_store();
	struct act_dispatch *d = open_dispatch(r, false);
	struct fake *f = malloc(sizeof(*f));
	struct act_dispatch_receiver_options o = ropt;
	o.max_attempts = 3;
	fake_init(f, "exec", 1);
	f->fail_sends = 3;
	ck_assert_int_eq(act_dispatch_add(d, &f->base, &o), 0);
	enqueue(r, 1, 2);
	fake_now = 0;
	for (int k = 0; k < 3; k++) {
		act_dispatch_poll(d);
		fake_now += 10 * SS_US_PER_SEC;
	}
	/* Third failure parked entry 1; entry 2 went through. */
	ck_assert_uint_eq(f->n_acked, 1);
	ck_assert_uint_eq(f->acked[0], 2);
	struct rep_outbox_info info;
	ck_assert_int_eq(rep_outbox_info(r, &info), 0);
	ck_assert_uint_eq(info.parked, 1);
	act_dispatch_close(d);
	free(f);
	rep_close(r);
	rm_tmp();
}
END_TEST

START_TEST(test_receivers_independent)
{
	mk_tmp();
	struct rep *r = open_store();
	struct act_dispatch *d = open_dispatch(r, false);
	struct fake *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	fake_init(a, "a", 2);
	fake_init(b, "b", 2);
	b->fail_sends = 1000;
	fake_now = 0;
	ck_assert_int_eq(act_dispatch_add(d, &a->base, &ropt), 0);
	ck_assert_int_eq(act_dispatch_add(d, &b->base, &ropt), 0);
	enqueue(r, 1, 6);
	act_dispatch_poll(d);
	ck_assert_uint_eq(a->n_acked, 6);
	ck_assert_uint_eq(b->n_acked, 0);
	struct rep_outbox_info info;
	ck_assert_int_eq(rep_outbox_info(r, &info), 0);
	ck_assert_uint_eq(info.entries, 6); /* b still needs them */
	/* b recovers after a while; a keeps getting new entries meanwhile. */
	enqueue(r, 7, 2);
	fake_now += 2 * SS_US_PER_SEC;
	act_dispatch_poll(d);
	ck_assert_uint_eq(a->n_acked, 8);
	b->fail_sends = 0;
	fake_now += 60 * SS_US_PER_SEC;
	act_dispatch_poll(d);
	ck_assert_uint_eq(b->n_acked, 8);
	for (size_t i = 0; i < 8; i++)
		ck_assert_uint_eq(b->acked[i], 1 + i);
	ck_assert_int_eq(rep_outbox_info(r, &info), 0);
	ck_assert_uint_eq(info.entries, 0);
	act_dispatch_close(d);
	free(a);
	free(b);
	rep_close(r);
	rm_tmp();
}
END_TEST

START_TEST(test_cursor_survives_restart)
{
	mk_tmp();
	struct rep *r = open_store();
	enqueue(r, 1, 3); /* before the receiver existed: not its history */
	struct act_dispatch *d = open_dispatch(r, false);
	struct fake *f = malloc(sizeof(*f));
	fake_init(f, "hook", 10);
	ck_assert_int_eq(act_dispatch_add(d, &f->base, &ropt), 0);
	enqueue(r, 4, 3);
	ck_assert_int_eq(act_dispatch_poll(d), 3);
	ck_assert_uint_eq(f->acked[0], 4);
	act_dispatch_close(d);
	rep_close(r);

	/* Entries committed while it was down arrive after the restart, once. */
	r = open_store();
	enqueue(r, 7, 2);
	enqueue(r, 4, 3); /* decisions re-made after the restart: dropped by the id index */
	d = open_dispatch(r, false);
	fake_init(f, "hook", 10);
	ck_assert_int_eq(act_dispatch_add(d, &f->base, &ropt), 0);
	ck_assert_int_eq(act_dispatch_poll(d), 2);
	ck_assert_uint_eq(f->n_acked, 2);
	ck_assert_uint_eq(f->acked[0], 7);
	ck_assert_uint_eq(f->acked[1], 8);
	act_dispatch_close(d);
	free(f);
	rep_close(r);
	rm_tmp();
}
END_TEST

START_TEST(test_threaded)
{
	mk_tmp();
	struct rep *r = open_store();
	struct act_dispatch_options o = { .threaded = true };
	struct act_dispatch *d = NULL;
	ck_assert_int_eq(act_dispatch_open(r, &o, &d), 0);
	ck_assert_int_ge(act_dispatch_fd(d), 0);
	struct fake *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	fake_init(a, "a", 7);
	fake_init(b, "b", 50);
	ck_assert_int_eq(act_dispatch_add(d, &a->base, &ropt), 0);
	ck_assert_int_eq(act_dispatch_add(d, &b->base, &ropt), 0);
	enqueue(r, 1, 200);
	ck_assert_int_eq(act_dispatch_drain(d, 10 * SS_US_PER_SEC), 0);
	ck_assert_uint_eq(a->n_acked, 200);
	ck_assert_uint_eq(b->n_acked, 200);
	for (size_t i = 0; i < 200; i++)
		ck_assert_uint_eq(a->acked[i], 1 + i);
	act_dispatch_close(d);
	free(a);
	free(b);
	rep_close(r);
	rm_tmp();
}
END_TEST

START_TEST(test_jsonl_receiver)
{
	mk_tmp();
	struct rep *r = open_store();
	char path[128], line[256];
	snprintf(path, sizeof(path), "%s/out.jsonl", tmpdir);
	const char *conf_fmt = "[sink.file]\ntype = jsonl\npath = %s\nfsync = always\nbatch = 2\nretry_min = 2s\n";
	char conf[512];
	snprintf(conf, sizeof(conf), conf_fmt, path);
	struct ss_config *cfg = NULL;
	char err[256];
	ck_assert_int_eq(ss_config_from_string(conf, &cfg, err, sizeof(err)), 0);
	struct act_dispatch *d = open_dispatch(r, false);
	ck_assert_int_eq(act_dispatch_configure(d, cfg), 1);
	ck_assert_int_eq(ss_config_check_unused(cfg), 0);
	enqueue(r, 1, 3);
	ck_assert_int_eq(act_dispatch_poll(d), 3);
	FILE *in = fopen(path, "r");
	ck_assert_ptr_nonnull(in);
	int n = 0;
	while (fgets(line, sizeof(line), in)) {
		char want[64];
		snprintf(want, sizeof(want), "{\"id\":\"%016llx\",\"action\":\"block\"}\n", (unsigned long long)(n + 1));
		ck_assert_str_eq(line, want);
		n++;
	}
	fclose(in);
	ck_assert_int_eq(n, 3);
	act_dispatch_close(d);
	ss_config_free(cfg);

	/* Unknown type and missing path are configuration errors. */
	ck_assert_int_eq(ss_config_from_string("[sink.x]\ntype = carrier-pigeon\n", &cfg, err, sizeof(err)), 0);
	d = open_dispatch(r, false);
	ck_assert_int_lt(act_dispatch_configure(d, cfg), 0);
	act_dispatch_close(d);
	ss_config_free(cfg);
	ck_assert_int_eq(ss_config_from_string("[sink.x]\ntype = jsonl\n", &cfg, err, sizeof(err)), 0);
	d = open_dispatch(r, false);
	ck_assert_int_lt(act_dispatch_configure(d, cfg), 0);
	act_dispatch_close(d);
	ss_config_free(cfg);
	rep_close(r);
	rm_tmp();
}
END_TEST

static Suite *dispatch_suite(void)
{
	Suite *s = suite_create("dispatch");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_order_batches_trim);
	tcase_add_test(tc, test_backoff_jitter);
	tcase_add_test(tc, test_partial_batch);
	tcase_add_test(tc, test_park_on_reject);
	tcase_add_test(tc, test_max_attempts);
	tcase_add_test(tc, test_receivers_independent);
	tcase_add_test(tc, test_cursor_survives_restart);
	tcase_add_test(tc, test_threaded);
	tcase_add_test(tc, test_jsonl_receiver);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	ss_log_set_level(SS_LOG_ERROR + 0);
	SRunner *sr = srunner_create(dispatch_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : 0;
}
