/*
 * check_rep.c - unit tests for the reputation store (src/rep, rep/rep.h).
 *
 * Every test works in its own mkdtemp() directory.  Import messages go to
 * stderr by contract; the tests capture them by pointing fd 2 at a temp
 * file for the duration of the call.
 */
#include "core/err.h"
#include "core/log.h"
#include "rep/rep.h"

#include <check.h>
#include <errno.h>
#include <lmdb.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmpdir[64];
/* Stores open across a fork() live here, so a child that _exit()s leaves
 * them reachable (valgrind follows forks and would call them leaked). */
static struct rep *volatile held; /* volatile: the stores must not be elided */

static void mk_tmp(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/check_rep.XXXXXX");
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

static struct rep *open_rw(size_t map, size_t batch)
{
	struct rep_options o = { .initial_map_size = map, .batch_limit = batch };
	struct rep *r = NULL;

	ck_assert_int_eq(rep_open(tmpdir, &o, &r), 0);
	return r;
}

/* Import @text, capturing stderr into @err (size @errsize). */
static int import_text(struct rep *r, const char *text, const char *src,
		       struct rep_import_stats *st, char *err, size_t errsize)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	FILE *cap = tmpfile();
	int saved, rc;
	size_t n;

	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(cap);
	fflush(stderr);
	saved = dup(2);
	dup2(fileno(cap), 2);
	rc = rep_import(r, in, "list.csv", src, st);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(cap);
	n = fread(err, 1, errsize - 1, cap);
	err[n] = '\0';
	fclose(cap);
	fclose(in);
	return rc;
}

/* ---- keys ---------------------------------------------------------------- */

START_TEST(test_key_parse_table)
{
	static const struct {
		const char *text;
		int rc;
		enum rep_key_type type;
		const char *id;
	} v[] = {
		{ "8613800138000", 0, REP_KEY_MSISDN, "8613800138000" },
		{ "+8613800138000", 0, REP_KEY_MSISDN, "8613800138000" },
		{ "msisdn:+4915112345678", 0, REP_KEY_MSISDN, "4915112345678" },
		{ "MSISDN:10086", 0, REP_KEY_MSISDN, "10086" },
		{ "imsi:460001234567890", 0, REP_KEY_IMSI, "460001234567890" },
		{ "imei:86723404123456", 0, REP_KEY_IMEI, "86723404123456" },
		{ "imei:8672340412345", -SS_EPARSE, 0, NULL }, /* 13 digits */
		{ "imei:86723404123456789", -SS_EPARSE, 0, NULL },
		{ "iddoc:DEADbeef01", 0, REP_KEY_IDDOC, "deadbeef01" },
		{ "iddoc:xyz", -SS_EPARSE, 0, NULL },
		{ "channel:CH-0042", 0, REP_KEY_CHANNEL, "CH-0042" },
		{ "outlet:shop_17", 0, REP_KEY_OUTLET, "shop_17" },
		{ "url:http://bit.ly/x1", 0, REP_KEY_URL, "http://bit.ly/x1" },
		{ "url:http://a b", -SS_EPARSE, 0, NULL },
		{ "", -SS_EPARSE, 0, NULL },
		{ "+", -SS_EPARSE, 0, NULL },
		{ "86138x", -SS_EPARSE, 0, NULL },
		{ "1234567890123456", -SS_ETOOLONG, 0, NULL },
		{ "imsi:12345", -SS_EPARSE, 0, NULL },
		{ "foo:123", -SS_EPARSE, 0, NULL },
		{ "imsi", -SS_EPARSE, 0, NULL },
		{ "channel:", -SS_EPARSE, 0, NULL },
		{ "url:http://example.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		  -SS_ETOOLONG, 0, NULL },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		enum rep_key_type t;
		char id[REP_ID_SIZE];
		int rc = rep_key_parse(v[i].text, &t, id);
		ck_assert_msg(rc == v[i].rc, "%s: rc %d want %d", v[i].text, rc, v[i].rc);
		if (rc == 0) {
			ck_assert_int_eq(t, v[i].type);
			ck_assert_str_eq(id, v[i].id);
		}
	}
	enum rep_key_type t;
	ck_assert_int_eq(rep_key_type_parse("imei", &t), 0);
	ck_assert_int_eq(t, REP_KEY_IMEI);
	ck_assert_int_eq(rep_key_type_parse("nope", &t), -SS_EPARSE);
	enum rep_list l;
	ck_assert_int_eq(rep_list_parse("grey", 4, &l), 0);
	ck_assert_int_eq(l, REP_LIST_GRAY);
	ck_assert_int_eq(rep_list_parse("blackx", 6, &l), -SS_EPARSE);
}
END_TEST

/* ---- records -------------------------------------------------------------- */

static struct rep_record sample(void)
{
	struct rep_record r;

	memset(&r, 0, sizeof(r));
	r.score = 87.25f;
	r.score_time = INT64_C(1762071303000000);
	r.list = REP_LIST_BLACK;
	r.last_action = REP_ACTION_BLOCK;
	r.flags = REP_FLAG_SHADOW_ACTION;
	r.reasons = (UINT64_C(1) << 0) | (UINT64_C(1) << 2) | (UINT64_C(1) << 63);
	r.first_seen = INT64_C(1762000000000000);
	r.last_seen = INT64_C(1762071303500000);
	r.last_action_time = INT64_C(1762071303000000);
	r.last_action_id = UINT64_C(0x9f0c2d3e6a1b4c55);
	r.list_time = INT64_C(1761000000000000);
	r.events = 14;
	r.actions = 2;
	strcpy(r.list_source, "fraud-team");
	return r;
}

START_TEST(test_record_roundtrip)
{
	struct rep_record a = sample(), b;
	uint8_t buf[REP_RECORD_MAX];
	size_t n = rep_record_encode(&a, buf);

	ck_assert_uint_eq(n, REP_RECORD_FIXED + strlen("fraud-team"));
	ck_assert_uint_eq(buf[0], REP_RECORD_VERSION);
	/* Little-endian on the wire whatever the host. */
	ck_assert_uint_eq(buf[64], 0x55);
	ck_assert_uint_eq(buf[71], 0x9f);
	memset(&b, 0xa5, sizeof(b));
	ck_assert_int_eq(rep_record_decode(buf, n, &b), 0);
	ck_assert(b.score == a.score);
	ck_assert_int_eq(b.score_time, a.score_time);
	ck_assert_uint_eq(b.list, a.list);
	ck_assert_uint_eq(b.last_action, a.last_action);
	ck_assert_uint_eq(b.flags, a.flags);
	ck_assert_uint_eq(b.reasons, a.reasons);
	ck_assert_int_eq(b.first_seen, a.first_seen);
	ck_assert_int_eq(b.last_seen, a.last_seen);
	ck_assert_int_eq(b.last_action_time, a.last_action_time);
	ck_assert_uint_eq(b.last_action_id, a.last_action_id);
	ck_assert_int_eq(b.list_time, a.list_time);
	ck_assert_uint_eq(b.events, a.events);
	ck_assert_uint_eq(b.actions, a.actions);
	ck_assert_str_eq(b.list_source, a.list_source);
	ck_assert_uint_eq((uint8_t)b.list_source[31], 0);

	/* A 31-character source fills the tail exactly; longer is cut. */
	memset(a.list_source, 'x', sizeof(a.list_source));
	n = rep_record_encode(&a, buf);
	ck_assert_uint_eq(n, REP_RECORD_MAX);
	ck_assert_int_eq(rep_record_decode(buf, n, &b), 0);
	ck_assert_uint_eq(strlen(b.list_source), 31);

	/* Malformed values. */
	ck_assert_int_eq(rep_record_decode(buf, REP_RECORD_FIXED - 1, &b), -SS_EPARSE);
	ck_assert_int_eq(rep_record_decode(buf, REP_RECORD_FIXED + 5, &b), -SS_EPARSE);
	buf[0] = 2;
	ck_assert_int_eq(rep_record_decode(buf, n, &b), -SS_EPARSE);
}
END_TEST

START_TEST(test_decay)
{
	struct rep_options o = { .half_life = SS_US_PER_DAY };
	struct rep *r;
	struct rep_record rec;

	mk_tmp();
	ck_assert_int_eq(rep_open(tmpdir, &o, &r), 0);
	memset(&rec, 0, sizeof(rec));
	rec.score = 80;
	rec.score_time = 1000 * SS_US_PER_DAY;
	ck_assert_double_eq_tol(rep_score_now(r, &rec, rec.score_time), 80, 1e-9);
	ck_assert_double_eq_tol(rep_score_now(r, &rec, rec.score_time - SS_US_PER_DAY), 80, 1e-9);
	ck_assert_double_eq_tol(rep_score_now(r, &rec, rec.score_time + SS_US_PER_DAY), 40, 1e-9);
	ck_assert_double_eq_tol(rep_score_now(r, &rec, rec.score_time + 3 * SS_US_PER_DAY), 10,
				1e-9);
	ck_assert_double_eq_tol(rep_score_now(r, &rec, rec.score_time + SS_US_PER_DAY / 2),
				80 / sqrt(2), 1e-9);
	/* Default half-life: 7 days. */
	ck_assert_double_eq_tol(rep_score_now(NULL, &rec, rec.score_time + 7 * SS_US_PER_DAY), 40,
				1e-9);
	rep_close(r);
	rm_tmp();
}
END_TEST

/* ---- batch ------------------------------------------------------------------ */

START_TEST(test_put_get_del)
{
	struct rep *r;
	struct rep_record a = sample(), b;

	mk_tmp();
	r = open_rw(0, 0);
	ck_assert_int_eq(rep_get(r, REP_KEY_MSISDN, "8613800138000", &b), -SS_ENOTFOUND);
	ck_assert_int_eq(rep_del(r, REP_KEY_MSISDN, "8613800138000"), -SS_ENOTFOUND);

	/* Pending: visible before flush; repeated puts coalesce. */
	ck_assert_int_eq(rep_put(r, REP_KEY_MSISDN, "8613800138000", &a), 0);
	a.events = 15;
	ck_assert_int_eq(rep_put(r, REP_KEY_MSISDN, "8613800138000", &a), 0);
	ck_assert_int_eq(rep_get(r, REP_KEY_MSISDN, "8613800138000", &b), 0);
	ck_assert_uint_eq(b.events, 15);
	/* Same identity, other type: a different key. */
	ck_assert_int_eq(rep_get(r, REP_KEY_IMSI, "8613800138000", &b), -SS_ENOTFOUND);
	ck_assert_int_eq(rep_flush(r), 0);
	ck_assert_int_eq(rep_get(r, REP_KEY_MSISDN, "8613800138000", &b), 0);
	ck_assert_uint_eq(b.events, 15);
	ck_assert_str_eq(b.list_source, "fraud-team");

	/* Delete: pending, then committed. */
	ck_assert_int_eq(rep_del(r, REP_KEY_MSISDN, "8613800138000"), 0);
	ck_assert_int_eq(rep_get(r, REP_KEY_MSISDN, "8613800138000", &b), -SS_ENOTFOUND);
	ck_assert_int_eq(rep_del(r, REP_KEY_MSISDN, "8613800138000"), -SS_ENOTFOUND);
	ck_assert_int_eq(rep_flush(r), 0);
	ck_assert_int_eq(rep_get(r, REP_KEY_MSISDN, "8613800138000", &b), -SS_ENOTFOUND);

	/* Put then delete of a never-stored key leaves nothing. */
	ck_assert_int_eq(rep_put(r, REP_KEY_IMEI, "86723404123456", &a), 0);
	ck_assert_int_eq(rep_del(r, REP_KEY_IMEI, "86723404123456"), 0);
	ck_assert_int_eq(rep_flush(r), 0);
	ck_assert_int_eq(rep_get(r, REP_KEY_IMEI, "86723404123456", &b), -SS_ENOTFOUND);

	/* Bad identities. */
	ck_assert_int_eq(rep_get(r, REP_KEY_MSISDN, "", &b), -SS_EPARSE);

	/* Survives close/reopen; close flushes. */
	ck_assert_int_eq(rep_put(r, REP_KEY_IMSI, "460001234567890", &a), 0);
	ck_assert_int_eq(rep_close(r), 0);
	r = open_rw(0, 0);
	ck_assert_int_eq(rep_get(r, REP_KEY_IMSI, "460001234567890", &b), 0);
	ck_assert_uint_eq(b.reasons, a.reasons);
	rep_close(r);
	rm_tmp();
}
END_TEST

START_TEST(test_batch_autoflush_and_bracket)
{
	struct rep *r, *ro;
	struct rep_record a = sample(), b;
	struct rep_options o = { .read_only = true };
	char id[32];

	mk_tmp();
	r = held = open_rw(0, 100);
	/* A bracket opened before writes sees them after the auto-flush. */
	ck_assert_int_eq(rep_read_begin(r), 0);
	for (int i = 0; i < 250; i++) {
		snprintf(id, sizeof(id), "49151%08d", i);
		a.events = (uint32_t)i;
		ck_assert_int_eq(rep_put(r, REP_KEY_MSISDN, id, &a), 0);
	}
	/* 200 were flushed by rep_put itself: another process sees them
	 * (checked in a child: one environment per process). */
	pid_t pid = fork();
	if (pid == 0) {
		if (rep_open(tmpdir, &o, &ro))
			_exit(2);
		if (rep_get(ro, REP_KEY_MSISDN, "4915100000199", &b) != 0)
			_exit(3);
		if (rep_get(ro, REP_KEY_MSISDN, "4915100000200", &b) != -SS_ENOTFOUND)
			_exit(4);
		if (rep_put(ro, REP_KEY_MSISDN, "1", &a) != -EROFS)
			_exit(5);
		rep_close(ro);
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
	for (int i = 0; i < 250; i++) {
		snprintf(id, sizeof(id), "49151%08d", i);
		ck_assert_int_eq(rep_get(r, REP_KEY_MSISDN, id, &b), 0);
		ck_assert_uint_eq(b.events, (uint32_t)i);
	}
	rep_read_end(r);
	rep_close(r);
	rm_tmp();
}
END_TEST

START_TEST(test_map_growth)
{
	struct rep *r;
	struct rep_record a = sample(), b;
	struct rep_stats st;
	char id[32];

	mk_tmp();
	r = open_rw(64 << 10, 0);
	for (int i = 0; i < 100000; i++) {
		snprintf(id, sizeof(id), "8613%09d", (i * 7919) % 100000);
		a.events = (uint32_t)i;
		ck_assert_int_eq(rep_put(r, REP_KEY_MSISDN, id, &a), 0);
	}
	ck_assert_int_eq(rep_close(r), 0);
	/* Reopening keeps the grown size (a configured size must not shrink it). */
	r = open_rw(64 << 10, 0);
	ck_assert_int_eq(rep_stats(r, &st), 0);
	ck_assert_uint_gt(st.map_size, st.used_bytes);
	for (int i = 0; i < 100000; i++) {
		snprintf(id, sizeof(id), "8613%09d", (i * 7919) % 100000);
		ck_assert_int_eq(rep_get(r, REP_KEY_MSISDN, id, &b), 0);
		ck_assert_uint_eq(b.events, (uint32_t)i);
	}
	ck_assert_int_eq(rep_stats(r, &st), 0);
	ck_assert_uint_eq(st.entries, 100000);
	ck_assert_uint_gt(st.map_size, 64 << 10);
	ck_assert_uint_le(st.used_bytes, st.map_size);
	rep_close(r);
	rm_tmp();
}
END_TEST

/* ---- import --------------------------------------------------------------- */

START_TEST(test_import_lines)
{
	struct rep *r;
	struct rep_import_stats st;
	struct rep_record b;
	char err[4096];
	const char *text = "subject,list,source\n"
			   "# operator list\n"
			   "\n"
			   "8613800000001,black\n"
			   "+8613800000002, gray ,vendorA\r\n"
			   "imsi:460001234567890,white,vip\n"
			   "8613800000003\n"
			   "86138abc,black\n"
			   "8613800000004,purple\n"
			   "8613800000005,black,this-source-name-is-far-too-long-to-keep\n"
			   "8613800000006,black,a,b\n"
			   "iddoc:ABCDEF,black\n"
			   "8613800000007,none"; /* no final newline */

	mk_tmp();
	r = open_rw(0, 0);
	ck_assert_int_eq(import_text(r, text, "ops", &st, err, sizeof(err)), 0);
	ck_assert_uint_eq(st.lines, 13);
	ck_assert_uint_eq(st.imported, 5);
	ck_assert_uint_eq(st.rejected, 5);
	ck_assert_ptr_nonnull(strstr(err, "list.csv:7: missing list"));
	ck_assert_ptr_nonnull(strstr(err, "list.csv:8: bad subject \"86138abc\""));
	ck_assert_ptr_nonnull(strstr(err, "list.csv:9: unknown list \"purple\""));
	ck_assert_ptr_nonnull(strstr(err, "list.csv:10: source longer than 31"));
	ck_assert_ptr_nonnull(strstr(err, "list.csv:11: too many fields"));

	ck_assert_int_eq(rep_get(r, REP_KEY_MSISDN, "8613800000001", &b), 0);
	ck_assert_uint_eq(b.list, REP_LIST_BLACK);
	ck_assert_str_eq(b.list_source, "ops");
	ck_assert_int_gt(b.list_time, 0);
	ck_assert_int_eq(rep_get(r, REP_KEY_MSISDN, "8613800000002", &b), 0);
	ck_assert_uint_eq(b.list, REP_LIST_GRAY);
	ck_assert_str_eq(b.list_source, "vendorA");
	ck_assert_int_eq(rep_get(r, REP_KEY_IMSI, "460001234567890", &b), 0);
	ck_assert_uint_eq(b.list, REP_LIST_WHITE);
	ck_assert_int_eq(rep_get(r, REP_KEY_IDDOC, "abcdef", &b), 0);
	ck_assert_int_eq(rep_get(r, REP_KEY_MSISDN, "8613800000007", &b), 0);
	ck_assert_uint_eq(b.list, REP_LIST_NONE);

	/* A line longer than the read buffer is one bad line; numbering goes on. */
	size_t big = (1u << 20) + 4096;
	char *text2 = malloc(big + 64);
	memset(text2, 'x', big);
	strcpy(text2 + big, "\nnot-a-number,black\n8613800000008,gray\n");
	ck_assert_int_eq(import_text(r, text2, NULL, &st, err, sizeof(err)), 0);
	free(text2);
	ck_assert_uint_eq(st.lines, 3);
	ck_assert_uint_eq(st.rejected, 2);
	ck_assert_uint_eq(st.imported, 1);
	ck_assert_ptr_nonnull(strstr(err, "list.csv:1: line longer than"));
	ck_assert_ptr_nonnull(strstr(err, "list.csv:2: bad subject \"not-a-number\""));
	rep_close(r);
	rm_tmp();
}
END_TEST

/* Write @n msisdns, step @step through a permutation when @shuffle. */
static char *make_list(int n, bool shuffle)
{
	char *text = malloc((size_t)n * 24 + 1);
	size_t len = 0;

	for (int i = 0; i < n; i++) {
		int k = shuffle ? (int)(((long)i * 7919) % n) : i;
		len += (size_t)sprintf(text + len, "86139%08d,%s\n", k, k % 3 ? "black" : "gray");
	}
	return text;
}

START_TEST(test_import_sorted_unsorted)
{
	struct rep *r;
	struct rep_import_stats st;
	struct rep_record b;
	char err[256], id[32];
	char *sorted = make_list(250000, false), *shuffled = make_list(20000, true);

	mk_tmp();
	/* A tiny map forces growth (and chunk retries) during the import. */
	r = open_rw(64 << 10, 0);
	ck_assert_int_eq(import_text(r, sorted, NULL, &st, err, sizeof(err)), 0);
	ck_assert_uint_eq(st.imported, 250000);
	ck_assert_uint_eq(st.rejected, 0);
	ck_assert(st.sorted_append);
	for (int i = 0; i < 250000; i += 997) {
		snprintf(id, sizeof(id), "86139%08d", i);
		ck_assert_int_eq(rep_get(r, REP_KEY_MSISDN, id, &b), 0);
		ck_assert_uint_eq(b.list, i % 3 ? REP_LIST_BLACK : REP_LIST_GRAY);
		ck_assert_str_eq(b.list_source, "import");
	}
	rep_close(r);
	rm_tmp();

	mk_tmp();
	r = open_rw(64 << 10, 0);
	ck_assert_int_eq(import_text(r, shuffled, "x", &st, err, sizeof(err)), 0);
	ck_assert_uint_eq(st.imported, 20000);
	ck_assert(!st.sorted_append);
	for (int i = 0; i < 20000; i++) {
		snprintf(id, sizeof(id), "86139%08d", i);
		ck_assert_int_eq(rep_get(r, REP_KEY_MSISDN, id, &b), 0);
		ck_assert_uint_eq(b.list, i % 3 ? REP_LIST_BLACK : REP_LIST_GRAY);
	}
	rep_close(r);
	rm_tmp();
	free(sorted);
	free(shuffled);
}
END_TEST

START_TEST(test_import_preserves_history)
{
	struct rep *r;
	struct rep_import_stats st;
	struct rep_record a = sample(), b;
	char err[256];

	mk_tmp();
	r = open_rw(0, 0);
	a.list = REP_LIST_NONE;
	ck_assert_int_eq(rep_put(r, REP_KEY_MSISDN, "8613800000002", &a), 0);
	/* Still pending: the import must flush it first, then keep it. */
	ck_assert_int_eq(import_text(r, "8613800000001,black\n8613800000002,black,hq\n"
					"8613800000003,gray\n",
				     NULL, &st, err, sizeof(err)),
			 0);
	ck_assert_uint_eq(st.imported, 3);
	ck_assert(!st.sorted_append); /* ...02 already existed */
	ck_assert_int_eq(rep_get(r, REP_KEY_MSISDN, "8613800000002", &b), 0);
	ck_assert_uint_eq(b.list, REP_LIST_BLACK);
	ck_assert_str_eq(b.list_source, "hq");
	ck_assert(b.score == a.score);
	ck_assert_int_eq(b.score_time, a.score_time);
	ck_assert_uint_eq(b.reasons, a.reasons);
	ck_assert_uint_eq(b.events, a.events);
	ck_assert_uint_eq(b.last_action_id, a.last_action_id);
	ck_assert_int_gt(b.list_time, a.list_time);
	/* Re-import of the same sorted list: every key exists, nothing lost. */
	ck_assert_int_eq(import_text(r, "8613800000001,white\n8613800000002,none\n", NULL, &st,
				     err, sizeof(err)),
			 0);
	ck_assert_int_eq(rep_get(r, REP_KEY_MSISDN, "8613800000002", &b), 0);
	ck_assert_uint_eq(b.list, REP_LIST_NONE);
	ck_assert_uint_eq(b.events, a.events);
	ck_assert_int_eq(rep_get(r, REP_KEY_MSISDN, "8613800000001", &b), 0);
	ck_assert_uint_eq(b.list, REP_LIST_WHITE);
	rep_close(r);
	rm_tmp();
}
END_TEST

/* ---- export, stats -------------------------------------------------------- */

START_TEST(test_json)
{
	struct rep_record a = sample();
	char buf[4096];
	int n;

	n = rep_record_json(NULL, REP_KEY_MSISDN, "8613800138000", &a, a.score_time, buf,
			    sizeof(buf));
	ck_assert_int_gt(n, 0);
	ck_assert_str_eq(
		buf,
		"{\"subject\":\"msisdn:8613800138000\",\"type\":\"msisdn\",\"id\":\"8613800138000\","
		"\"list\":\"black\",\"list_source\":\"fraud-team\",\"list_time\":\"2025-10-20T22:40:00Z\","
		"\"score\":87.25,\"reasons\":[\"simbox.multi_imsi_per_imei\",\"simbox.outbound_only\","
		"\"unknown.bit63\"],\"first_seen\":\"2025-11-01T12:26:40Z\","
		"\"last_seen\":\"2025-11-02T08:15:03.500000Z\",\"last_action\":\"block\","
		"\"last_action_time\":\"2025-11-02T08:15:03Z\",\"last_action_id\":\"9f0c2d3e6a1b4c55\","
		"\"last_action_shadow\":true,\"events\":14,\"actions\":2}");
	ck_assert_int_eq(n, (int)strlen(buf));
	/* Decayed by one default half-life (7 days). */
	n = rep_record_json(NULL, REP_KEY_MSISDN, "1", &a, a.score_time + 7 * SS_US_PER_DAY, buf,
			    sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "\"score\":43.62,"));
	/* Escaping and empty fields. */
	memset(&a, 0, sizeof(a));
	strcpy(a.list_source, "a\"b\\c\x01\xff");
	n = rep_record_json(NULL, REP_KEY_URL, "http://x/y", &a, 0, buf, sizeof(buf));
	ck_assert_int_gt(n, 0);
	ck_assert_ptr_nonnull(strstr(buf, "\"list_source\":\"a\\\"b\\\\c\\u0001\\ufffd\""));
	ck_assert_ptr_nonnull(strstr(buf, "\"score\":0,\"reasons\":[],\"first_seen\":null"));
	ck_assert_ptr_nonnull(strstr(buf, "\"last_action\":null"));
	/* Too small a buffer is an error, not a truncated object. */
	ck_assert_int_eq(rep_record_json(NULL, REP_KEY_URL, "http://x/y", &a, 0, buf, 40),
			 -SS_ETOOLONG);
}
END_TEST

static int count_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

START_TEST(test_export_stats)
{
	struct rep *r;
	struct rep_import_stats ist;
	struct rep_stats st;
	struct rep_export_filter f = { REP_KEY_MSISDN, REP_LIST_BLACK, REP_EXPORT_JSONL };
	char err[256], *out;
	size_t outlen;
	FILE *fp;

	mk_tmp();
	r = open_rw(0, 0);
	ck_assert_int_eq(import_text(r,
				     "imsi:460001234567890,white\n"
				     "8613800000002,black\n8613800000001,black\n"
				     "8613800000003,gray\nurl:http://x.y/z,black\n",
				     "t", &ist, err, sizeof(err)),
			 0);
	/* 5000 more so the scan crosses its read-transaction chunks. */
	char *big = make_list(5000, false);
	ck_assert_int_eq(import_text(r, big, "t", &ist, err, sizeof(err)), 0);
	free(big);

	fp = open_memstream(&out, &outlen);
	ck_assert_int_eq(rep_export(r, fp), 0);
	fclose(fp);
	ck_assert_int_eq(count_lines(out), 5005);
	/* Key order: imsi ('i') < msisdn ('m') < url ('u'). */
	ck_assert_ptr_eq(strstr(out, "{\"subject\":\"imsi:460001234567890\""), out);
	ck_assert_ptr_nonnull(strstr(out, "\"subject\":\"msisdn:8613800000001\""));
	ck_assert(strstr(out, "msisdn:8613800000001\"") < strstr(out, "msisdn:8613800000002\""));
	ck_assert(strstr(out, "msisdn:86139") < strstr(out, "url:http://x.y/z"));
	free(out);

	fp = open_memstream(&out, &outlen);
	ck_assert_int_eq(rep_export_where(r, fp, &f), 0);
	fclose(fp);
	ck_assert_int_eq(count_lines(out), 2 + 3333);
	ck_assert_ptr_null(strstr(out, "url:"));
	ck_assert_ptr_null(strstr(out, "\"gray\""));
	free(out);

	/* CSV export imports back unchanged. */
	f.format = REP_EXPORT_CSV;
	f.list = -1;
	f.type = REP_KEY_URL;
	fp = open_memstream(&out, &outlen);
	ck_assert_int_eq(rep_export_where(r, fp, &f), 0);
	fclose(fp);
	ck_assert_str_eq(out, "url:http://x.y/z,black,t\n");
	free(out);

	ck_assert_int_eq(rep_stats(r, &st), 0);
	ck_assert_uint_eq(st.entries, 5005);
	ck_assert_uint_eq(st.by_type[REP_KEY_MSISDN], 5003);
	ck_assert_uint_eq(st.by_type[REP_KEY_IMSI], 1);
	ck_assert_uint_eq(st.by_type[REP_KEY_URL], 1);
	ck_assert_uint_eq(st.by_list[REP_LIST_WHITE], 1);
	ck_assert_uint_eq(st.by_list[REP_LIST_GRAY], 1 + 1667);
	ck_assert_uint_eq(st.by_list[REP_LIST_BLACK], 3 + 3333);
	ck_assert_uint_ge(st.depth, 2);
	ck_assert_uint_gt(st.used_bytes, 5005 * 80);
	rep_close(r);
	rm_tmp();
}
END_TEST

/* ---- concurrency ------------------------------------------------------------ */

START_TEST(test_concurrent_reader)
{
	pid_t pid;
	int ready[2];
	char c;

	mk_tmp();
	ck_assert_int_eq(pipe(ready), 0);
	/* Fork before any environment is open in this process (LMDB rule). */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct rep_options o = { .initial_map_size = 64 << 10, .batch_limit = 1000 };
		struct rep *w;
		struct rep_record a = sample();
		char id[32];

		close(ready[0]);
		if (rep_open(tmpdir, &o, &w))
			_exit(3);
		a.events = 0;
		if (rep_put(w, REP_KEY_MSISDN, "4900000000000", &a) || rep_flush(w))
			_exit(4);
		if (write(ready[1], "x", 1) != 1)
			_exit(5);
		/* Keep writing (growing the map many times) until killed. */
		for (int i = 1;; i++) {
			snprintf(id, sizeof(id), "49%011d", i % 400000);
			a.events = (uint32_t)i;
			if (rep_put(w, REP_KEY_MSISDN, id, &a) || (i % 5000 == 0 && rep_flush(w)))
				_exit(6);
		}
	}
	close(ready[1]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);

	/* A small map so the writer's growth overtakes it (MDB_MAP_RESIZED). */
	struct rep_options o = { .read_only = true, .initial_map_size = 64 << 10 };
	struct rep_stats st;
	struct rep_record b;
	struct rep *r = NULL;
	char id[32];
	int found = 0;

	for (int round = 0; round < 60; round++) {
		/* Mostly one long-lived reader; sometimes a fresh one. */
		if (!r || round % 20 == 0) {
			rep_close(r);
			ck_assert_int_eq(rep_open(tmpdir, &o, &r), 0);
		}
		if (round % 2)
			ck_assert_int_eq(rep_read_begin(r), 0);
		for (int i = 0; i < 2000; i++) {
			snprintf(id, sizeof(id), "49%011d", (i * 37 + round * 1000) % 400000);
			int rc = rep_get(r, REP_KEY_MSISDN, id, &b);
			ck_assert_msg(rc == 0 || rc == -SS_ENOTFOUND, "rep_get: %s", ss_strerror(rc));
			found += rc == 0;
		}
		ck_assert_int_eq(rep_get(r, REP_KEY_MSISDN, "4900000000000", &b), 0);
		rep_read_end(r);
		if (round % 10 == 0)
			ck_assert_int_eq(rep_stats(r, &st), 0);
		usleep(5000);
	}
	rep_close(r);
	ck_assert_int_gt(found, 0);
	kill(pid, SIGKILL);
	int status;
	waitpid(pid, &status, 0);
	ck_assert(WIFSIGNALED(status)); /* still writing happily when killed */
	rm_tmp();
}
END_TEST

/* One long-lived reader across the writer's map growth (MDB_MAP_RESIZED). */
START_TEST(test_reader_adopts_growth)
{
	struct rep_options ro_opt = { .read_only = true, .initial_map_size = 64 << 10 };
	struct rep *w, *r;
	struct rep_record a = sample(), b;
	char id[32];

	mk_tmp();
	w = open_rw(64 << 10, 0);
	ck_assert_int_eq(rep_put(w, REP_KEY_MSISDN, "4900000000000", &a), 0);
	ck_assert_int_eq(rep_close(w), 0);
	/* Same process is fine here: the reader and writer never overlap. */
	ck_assert_int_eq(rep_open(tmpdir, &ro_opt, &r), 0);
	held = r;
	ck_assert_int_eq(rep_get(r, REP_KEY_MSISDN, "4900000000000", &b), 0);

	pid_t pid = fork();
	if (pid == 0) {
		/* The child writes far past the reader's map, then exits. */
		struct rep_options o = { .initial_map_size = 64 << 10 };
		if (rep_open(tmpdir, &o, &w))
			_exit(3);
		for (int i = 0; i < 50000; i++) {
			snprintf(id, sizeof(id), "49%011d", i + 1);
			if (rep_put(w, REP_KEY_MSISDN, id, &a))
				_exit(4);
		}
		_exit(rep_close(w) ? 5 : 0);
	}
	int status;
	waitpid(pid, &status, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_eq(rep_get(r, REP_KEY_MSISDN, "4900000049999", &b), 0);
	ck_assert_int_eq(rep_read_begin(r), 0);
	ck_assert_int_eq(rep_get(r, REP_KEY_MSISDN, "4900000000001", &b), 0);
	rep_read_end(r);
	rep_close(r);
	rm_tmp();
}
END_TEST

START_TEST(test_readonly_missing)
{
	struct rep_options o = { .read_only = true };
	struct rep *r = (struct rep *)1;
	char p[128];

	mk_tmp();
	snprintf(p, sizeof(p), "%s/nope", tmpdir);
	ck_assert_int_lt(rep_open(p, &o, &r), 0);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(rep_close(NULL), 0);
	rm_tmp();
}
END_TEST

static Suite *rep_suite(void)
{
	Suite *s = suite_create("rep");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_key_parse_table);
	tcase_add_test(tc, test_record_roundtrip);
	tcase_add_test(tc, test_decay);
	tcase_add_test(tc, test_put_get_del);
	tcase_add_test(tc, test_batch_autoflush_and_bracket);
	tcase_add_test(tc, test_map_growth);
	tcase_add_test(tc, test_import_lines);
	tcase_add_test(tc, test_import_sorted_unsorted);
	tcase_add_test(tc, test_import_preserves_history);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_export_stats);
	tcase_add_test(tc, test_concurrent_reader);
	tcase_add_test(tc, test_reader_adopts_growth);
	tcase_add_test(tc, test_readonly_missing);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rep_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
