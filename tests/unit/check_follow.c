/*
 * check_follow.c - following a growing file (src/ingest/follow.c,
 * follow.h): appended data, a partial last line held until its newline,
 * rotation by rename (old file finished first, new generation from the
 * start), truncation, a file that appears later, a line longer than the
 * buffer, a FIFO, and throughput on a large file.
 */
#include "core/time.h"
#include "ingest/follow.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/check_follow-XXXXXX";
static char path[256];

static void setup(void)
{
	strcpy(dir, "/tmp/check_follow-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/feed.csv", dir);
}

static void teardown(void)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void append(const char *p, const char *text)
{
	FILE *f = fopen(p, "a");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/*
 * drain() - poll and consume everything ready into @out (appended), and
 * return the generation seen last.  Checks that generations never mix in
 * one peek and only grow.
 */
static uint64_t drain(struct follow *f, char *out, size_t size)
{
	uint64_t gen = 0;
	for (int i = 0; i < 100; i++) {
		follow_poll(f);
		const char *d;
		size_t len;
		uint64_t g = follow_peek(f, &d, &len);
		ck_assert_uint_ge(g, gen);
		gen = g;
		if (len == 0 && !follow_ended(f))
			break;
		size_t have = strlen(out);
		ck_assert_uint_lt(have + len, size);
		memcpy(out + have, d, len);
		out[have + len] = '\0';
		follow_consume(f, len);
	}
	return gen;
}

START_TEST(test_append)
{
	struct follow *f;
	char out[4096] = "";
	struct follow_options o = { .quiet = true };

	append(path, "header\na,1\n");
	ck_assert_int_eq(follow_open(path, &o, &f), 0);
	ck_assert_uint_eq(drain(f, out, sizeof(out)), 1);
	ck_assert_str_eq(out, "header\na,1\n");
	/* Nothing new: nothing to give. */
	ck_assert_int_eq(follow_poll(f), 0);
	append(path, "b,2\nc,3\n");
	out[0] = '\0';
	ck_assert_uint_eq(drain(f, out, sizeof(out)), 1);
	ck_assert_str_eq(out, "b,2\nc,3\n");
	struct follow_counters c;
	follow_get_counters(f, &c);
	ck_assert_uint_eq(c.bytes, strlen("header\na,1\nb,2\nc,3\n"));
	ck_assert_uint_eq(c.opens, 1);
	ck_assert_uint_eq(c.rotations, 0);
	follow_close(f);
}
END_TEST

START_TEST(test_partial_line)
{
	struct follow *f;
	char out[4096] = "";
	struct follow_options o = { .quiet = true };

	append(path, "header\nrow,1,par");
	ck_assert_int_eq(follow_open(path, &o, &f), 0);
	drain(f, out, sizeof(out));
	ck_assert_str_eq(out, "header\n"); /* the partial line is held */
	append(path, "tial\nrow,2");
	drain(f, out, sizeof(out));
	ck_assert_str_eq(out, "header\nrow,1,partial\n");
	append(path, "\n");
	drain(f, out, sizeof(out));
	ck_assert_str_eq(out, "header\nrow,1,partial\nrow,2\n");
	/* Consuming less than offered keeps the rest. */
	append(path, "x\ny\n");
	follow_poll(f);
	const char *d;
	size_t len;
	follow_peek(f, &d, &len);
	ck_assert_uint_eq(len, 4);
	follow_consume(f, 2);
	follow_peek(f, &d, &len);
	ck_assert_uint_eq(len, 2);
	ck_assert_int_eq(memcmp(d, "y\n", 2), 0);
	follow_close(f);
}
END_TEST

START_TEST(test_rotation_rename)
{
	struct follow *f;
	char out[4096] = "";
	char old[300];
	struct follow_options o = { .quiet = true };

	snprintf(old, sizeof(old), "%s.1", path);
	append(path, "h\n1\n");
	ck_assert_int_eq(follow_open(path, &o, &f), 0);
	ck_assert_uint_eq(drain(f, out, sizeof(out)), 1);
	/* The writer adds to the old file, then it is rotated and a new one started. */
	append(path, "2\n3-no-newline");
	ck_assert_int_eq(rename(path, old), 0);
	append(path, "h\n4\n");
	out[0] = '\0';
	/* First the rest of the old file, unterminated tail included, as generation 1. */
	follow_poll(f);
	const char *d;
	size_t len;
	ck_assert_uint_eq(follow_peek(f, &d, &len), 1);
	ck_assert(follow_ended(f));
	ck_assert_uint_eq(len, strlen("2\n3-no-newline"));
	ck_assert_int_eq(memcmp(d, "2\n3-no-newline", len), 0);
	follow_consume(f, len);
	/* Then the new file from its start, as generation 2. */
	ck_assert_int_eq(follow_poll(f), 1);
	ck_assert_uint_eq(follow_peek(f, &d, &len), 2);
	ck_assert(!follow_ended(f));
	ck_assert_uint_eq(len, 4);
	ck_assert_int_eq(memcmp(d, "h\n4\n", 4), 0);
	follow_consume(f, len);
	struct follow_counters c;
	follow_get_counters(f, &c);
	ck_assert_uint_eq(c.rotations, 1);
	ck_assert_uint_eq(c.opens, 2);
	ck_assert_uint_eq(c.unterminated, 1);
	/* Renamed away with no new file yet: keep reading the old one. */
	char old2[300];
	snprintf(old2, sizeof(old2), "%s.2", path);
	ck_assert_int_eq(rename(path, old2), 0);
	append(old2, "5\n");
	out[0] = '\0';
	ck_assert_uint_eq(drain(f, out, sizeof(out)), 2);
	ck_assert_str_eq(out, "5\n");
	append(path, "h\n6\n");
	out[0] = '\0';
	ck_assert_uint_eq(drain(f, out, sizeof(out)), 3);
	ck_assert_str_eq(out, "h\n6\n");
	follow_close(f);
}
END_TEST

START_TEST(test_truncation)
{
	struct follow *f;
	char out[4096] = "";
	struct follow_options o = { .quiet = true };

	append(path, "h\n1111\n2222\n");
	ck_assert_int_eq(follow_open(path, &o, &f), 0);
	ck_assert_uint_eq(drain(f, out, sizeof(out)), 1);
	/* copytruncate: the file is emptied and written again, shorter. */
	ck_assert_int_eq(truncate(path, 0), 0);
	append(path, "h\n3\n");
	out[0] = '\0';
	ck_assert_uint_eq(drain(f, out, sizeof(out)), 2);
	ck_assert_str_eq(out, "h\n3\n");
	struct follow_counters c;
	follow_get_counters(f, &c);
	ck_assert_uint_eq(c.truncations, 1);
	ck_assert_uint_eq(c.opens, 1);
	follow_close(f);
}
END_TEST

START_TEST(test_missing_then_appears)
{
	struct follow *f;
	char out[4096] = "";
	struct follow_options o = { .quiet = true };

	ck_assert_int_eq(follow_open(path, &o, &f), 0);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(follow_poll(f), 0);
	ck_assert(!follow_is_open(f));
	const char *d;
	size_t len;
	ck_assert_uint_eq(follow_peek(f, &d, &len), 0);
	ck_assert_uint_eq(len, 0);
	append(path, "h\n1\n");
	ck_assert_uint_eq(drain(f, out, sizeof(out)), 1);
	ck_assert(follow_is_open(f));
	ck_assert_str_eq(out, "h\n1\n");
	struct follow_counters c;
	follow_get_counters(f, &c);
	ck_assert_uint_eq(c.errors, 0); /* waiting is not an error */
	follow_close(f);
}
END_TEST

START_TEST(test_long_line)
{
	struct follow *f;
	struct follow_options o = { .buf_size = 64, .quiet = true };
	char big[200];

	memset(big, 'x', sizeof(big) - 2);
	big[sizeof(big) - 2] = '\n';
	big[sizeof(big) - 1] = '\0';
	append(path, big);
	ck_assert_int_eq(follow_open(path, &o, &f), 0);
	/* A line longer than the buffer comes out in buffer-sized pieces. */
	size_t total = 0;
	for (int i = 0; i < 20 && total < strlen(big); i++) {
		follow_poll(f);
		const char *d;
		size_t len;
		follow_peek(f, &d, &len);
		total += len;
		follow_consume(f, len);
	}
	ck_assert_uint_eq(total, strlen(big));
	follow_close(f);
}
END_TEST

START_TEST(test_fifo)
{
	struct follow *f;
	struct follow_options o = { .quiet = true };
	char out[256] = "";

	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(follow_open(path, &o, &f), 0);
	follow_poll(f);
	ck_assert(follow_is_open(f));
	int w = open(path, O_WRONLY | O_NONBLOCK);
	ck_assert_int_ge(w, 0);
	ck_assert_int_eq(write(w, "a\nb", 3), 3);
	drain(f, out, sizeof(out));
	ck_assert_str_eq(out, "a\n");
	ck_assert_int_eq(write(w, "\n", 1), 1);
	drain(f, out, sizeof(out));
	ck_assert_str_eq(out, "a\nb\n");
	close(w);
	follow_close(f);
}
END_TEST

/* Throughput: lines/s through poll/peek/consume on a 2-million-line file (printed). */
START_TEST(test_throughput)
{
	struct follow *f;
	struct follow_options o = { .quiet = true };
	const size_t lines = 2000000;

	FILE *w = fopen(path, "w");
	ck_assert_ptr_nonnull(w);
	for (size_t i = 0; i < lines; i++)
		fprintf(w, "r%zu,2026-11-01T00:00:00Z,voice,mo,8613800138000,8613900139000,12\n", i);
	fclose(w);
	ck_assert_int_eq(follow_open(path, &o, &f), 0);
	ss_time_us t0 = ss_time_monotonic();
	size_t seen = 0;
	for (;;) {
		int changed = follow_poll(f);
		const char *d;
		size_t len;
		follow_peek(f, &d, &len);
		if (!len && !changed)
			break;
		for (const char *p = d; (p = memchr(p, '\n', (size_t)(d + len - p))) != NULL; p++)
			seen++;
		follow_consume(f, len);
	}
	double secs = (double)(ss_time_monotonic() - t0) / 1e6;
	ck_assert_uint_eq(seen, lines);
	printf("follow: %zu lines in %.3f s, %.1f M lines/s\n", lines, secs, lines / secs / 1e6);
	follow_close(f);
}
END_TEST

static Suite *follow_suite(void)
{
	Suite *s = suite_create("follow");
	TCase *tc = tcase_create("follow");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_append);
	tcase_add_test(tc, test_partial_line);
	tcase_add_test(tc, test_rotation_rename);
	tcase_add_test(tc, test_truncation);
	tcase_add_test(tc, test_missing_then_appears);
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_fifo);
	tcase_add_test(tc, test_throughput);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(follow_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
