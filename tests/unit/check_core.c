/* check_core.c - unit tests for src/core: time, config, hash, errors. */
#include "core/bloom.h"
#include "core/config.h"
#include "core/err.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/slotix.h"
#include "core/time.h"

#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static ss_time_us parse_ok(const char *s)
{
	ss_time_us t = -1;
	ck_assert_msg(ss_time_parse(s, strlen(s), &t) == 0, "should parse: %s", s);
	return t;
}

START_TEST(test_time_iso_and_epoch)
{
	/* 2026-11-02T08:15:03Z = 1793607303 (checked with date -u -d). */
	ck_assert_int_eq(parse_ok("2026-11-02T08:15:03Z"), INT64_C(1793607303) * SS_US_PER_SEC);
	ck_assert_int_eq(parse_ok("1793607303"), INT64_C(1793607303) * SS_US_PER_SEC);
	ck_assert_int_eq(parse_ok("1793607303.25"), INT64_C(1793607303) * SS_US_PER_SEC + 250000);
	ck_assert_int_eq(parse_ok("2026-11-02T16:15:03+08:00"), INT64_C(1793607303) * SS_US_PER_SEC);
	ck_assert_int_eq(parse_ok("2026-11-02T16:15:03+0800"), INT64_C(1793607303) * SS_US_PER_SEC);
	ck_assert_int_eq(parse_ok("2026-11-02 03:15:03-05:00"), INT64_C(1793607303) * SS_US_PER_SEC);
	ck_assert_int_eq(parse_ok("2026-11-02T08:15:03.5Z"), INT64_C(1793607303) * SS_US_PER_SEC + 500000);
	ck_assert_int_eq(parse_ok(" 1970-01-01T00:00:00Z "), 0);
	ck_assert_int_eq(parse_ok("2024-02-29T00:00:00Z"), INT64_C(1709164800) * SS_US_PER_SEC);
}
END_TEST

/* The canonical-form fast path agrees with the calendar for every shape it takes, and leaves the rest alone. */
START_TEST(test_time_canonical_fast_path)
{
	uint64_t x = 12345;
	for (int i = 0; i < 200000; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		time_t t = (time_t)((x >> 20) % UINT64_C(4102444800)); /* 1970 .. 2100 */
		struct tm tm;
		char buf[32];
		gmtime_r(&t, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
		ss_time_us got;
		ck_assert_int_eq(ss_time_parse(buf, strlen(buf), &got), 0);
		ck_assert_int_eq(got, (ss_time_us)t * SS_US_PER_SEC);
	}
	ss_time_us v;
	ck_assert_int_eq(ss_time_parse("2024-02-29T12:00:00Z", 20, &v), 0); /* leap day: general parser */
	ck_assert_int_eq(v, INT64_C(1709208000) * SS_US_PER_SEC);
	ck_assert_int_ne(ss_time_parse("2023-02-29T12:00:00Z", 20, &v), 0);
	ck_assert_int_ne(ss_time_parse("2026-13-01T00:00:00Z", 20, &v), 0);
	ck_assert_int_ne(ss_time_parse("2026-11-01T24:00:00Z", 20, &v), 0);
	ck_assert_int_ne(ss_time_parse("2026-11-0xT00:00:00Z", 20, &v), 0);
	ck_assert_int_ne(ss_time_parse("1969-12-31T23:59:59Z", 20, &v), 0);
	ck_assert_int_ne(ss_time_parse("\0\0\0\0\0\0\0\0\0\0T00:00:00Z", 20, &v), 0); /* NULs never match the date memo */
	ck_assert_int_eq(ss_time_parse("2026-11-01T00:00:11Z", 20, &v), 0);
	ck_assert_int_eq(ss_time_parse("2026-11-01T23:59:59Z", 20, &v), 0); /* same date, memo used */
	ck_assert_int_eq(v, INT64_C(1793577599) * SS_US_PER_SEC);
	ck_assert_int_ne(ss_time_parse("2026-11-01T23:59:5xZ", 20, &v), 0);
	ck_assert_int_eq(ss_time_parse("2016-12-31T23:59:60Z", 20, &v), 0); /* leap second: general parser */
	ck_assert_int_eq(v, INT64_C(1483228800) * SS_US_PER_SEC);
}
END_TEST

START_TEST(test_time_rejects)
{
	static const char *const bad[] = {
		"", "abc", "2026-11-02", "2026-11-02T08:15:03", "2026-13-02T08:15:03Z",
		"2026-11-31T08:15:03Z", "2025-02-29T00:00:00Z", "2026-11-02T24:00:00Z",
		"2026-11-02T08:15:03+25:00", "2026-11-02T08:15:03Zjunk", "17936001030000", "12.",
		"-5", "1e9", "2026-11-02T08:15Z", "1969-12-31T23:59:59Z",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ss_time_us t;
		ck_assert_msg(ss_time_parse(bad[i], strlen(bad[i]), &t) == -SS_EBADTIME, "should reject '%s'", bad[i]);
	}
	/* Not NUL-terminated: the parser must respect the length. */
	char buf[] = "1793607303999";
	ss_time_us t;
	ck_assert_int_eq(ss_time_parse(buf, 10, &t), 0);
	ck_assert_int_eq(t, INT64_C(1793607303) * SS_US_PER_SEC);
}
END_TEST

START_TEST(test_time_format_round_trip)
{
	char buf[40];
	ck_assert_int_gt(ss_time_format(INT64_C(1793607303) * SS_US_PER_SEC, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "2026-11-02T08:15:03Z");
	ck_assert_int_gt(ss_time_format(INT64_C(1793607303) * SS_US_PER_SEC + 42, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "2026-11-02T08:15:03.000042Z");
	ck_assert_int_eq(ss_time_format(0, buf, 10), -SS_ETOOLONG);
	/* Every day over 400 years round-trips. */
	for (int64_t d = 0; d < 146097; d += 7) {
		ss_time_us t = d * SS_US_PER_DAY + 3723 * SS_US_PER_SEC, back;
		int n = ss_time_format(t, buf, sizeof(buf));
		ck_assert_int_gt(n, 0);
		ck_assert_int_eq(ss_time_parse(buf, (size_t)n, &back), 0);
		ck_assert_int_eq(back, t);
	}
}
END_TEST

START_TEST(test_config_values_and_defaults)
{
	struct ss_config *cfg;
	char err[256];
	const char *text = "# comment\n[simbox]\nmin_imsis = 5   # trailing\nwindow = 6h\n"
			   "ratio = 0.75\nenabled = yes\nname = \"GW 1\"\n[policy]\nmode = shadow\n";
	ck_assert_int_eq(ss_config_from_string(text, &cfg, err, sizeof(err)), 0);
	int64_t i;
	double d;
	bool b;
	const char *s;
	ck_assert_int_eq(ss_config_int(cfg, "simbox", "min_imsis", 3, 1, 100, &i), 0);
	ck_assert_int_eq(i, 5);
	ck_assert_int_eq(ss_config_duration(cfg, "simbox", "window", 0, &i), 0);
	ck_assert_int_eq(i, 6 * SS_US_PER_HOUR);
	ck_assert_int_eq(ss_config_double(cfg, "simbox", "ratio", 0, 0, 1, &d), 0);
	ck_assert(d == 0.75);
	ck_assert_int_eq(ss_config_bool(cfg, "simbox", "enabled", false, &b), 0);
	ck_assert(b);
	ck_assert_int_eq(ss_config_string(cfg, "SIMBOX", "NAME", NULL, &s), 0);
	ck_assert_str_eq(s, "GW 1");
	ck_assert_int_eq(ss_config_int(cfg, "simbox", "absent", 42, 0, 100, &i), 0);
	ck_assert_int_eq(i, 42);
	/* policy.mode never read: reported as unknown. */
	ss_log_set_level(SS_LOG_ERROR);
	ck_assert_int_eq(ss_config_check_unused(cfg), 1);
	ck_assert_int_eq(ss_config_string(cfg, "policy", "mode", NULL, &s), 0);
	ck_assert_int_eq(ss_config_check_unused(cfg), 0);
	ss_config_free(cfg);
	ck_assert_int_eq(ss_config_int(NULL, "x", "y", 7, 0, 10, &i), 0);
	ck_assert_int_eq(i, 7);
}
END_TEST

START_TEST(test_config_errors)
{
	struct ss_config *cfg;
	char err[256];
	ck_assert_int_eq(ss_config_from_string("key = 1\n", &cfg, err, sizeof(err)), -SS_ECONFIG);
	ck_assert_str_eq(err, "<string>:1: key 'key' outside any [section]");
	ck_assert_int_eq(ss_config_from_string("[a]\n\nnot a pair\n", &cfg, err, sizeof(err)), -SS_ECONFIG);
	ck_assert_str_eq(err, "<string>:3: expected 'key = value'");
	ck_assert_int_eq(ss_config_from_string("[a\n", &cfg, err, sizeof(err)), -SS_ECONFIG);
	ck_assert_int_eq(ss_config_load("/nonexistent/simsieve.conf", &cfg, err, sizeof(err)), -ENOENT);

	ck_assert_int_eq(ss_config_from_string("[s]\nn = 12x\nr = 7\nd = soon\nb = maybe\n", &cfg, err, sizeof(err)), 0);
	int64_t i;
	double d;
	bool b;
	ck_assert_int_eq(ss_config_int(cfg, "s", "n", 1, 0, 100, &i), -SS_ECONFIG);
	ck_assert_int_eq(i, 1); /* default kept on error */
	ck_assert_int_eq(ss_config_double(cfg, "s", "r", 0.5, 0, 1, &d), -SS_ECONFIG);
	ck_assert_int_eq(ss_config_duration(cfg, "s", "d", 0, &i), -SS_ECONFIG);
	ck_assert_int_eq(ss_config_bool(cfg, "s", "b", false, &b), -SS_ECONFIG);
	ss_config_free(cfg);
}
END_TEST

START_TEST(test_hash_stable)
{
	/* Persisted in action ids: these values must never change. */
	ck_assert_uint_eq(ss_hash64("", 0, 0), ss_hash64("", 0, 0));
	ck_assert_uint_ne(ss_hash_str("8613800138000", 1), ss_hash_str("8613800138001", 1));
	ck_assert_uint_ne(ss_hash_str("abc", 1), ss_hash_str("abc", 2));
	uint64_t a = ss_hash64("0123456789abcdefXYZ", 19, 7);
	char copy[32];
	memcpy(copy + 3, "0123456789abcdefXYZ", 19); /* unaligned */
	ck_assert_uint_eq(a, ss_hash64(copy + 3, 19, 7));
}
END_TEST

/* The hash as first written (byte-by-byte tail): the output must stay this function's. */
static uint64_t reference_hash64(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ (UINT64_C(0x9e3779b97f4a7c15) * (len + 1));
	while (len >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = ss_hash_mix(h ^ w) + UINT64_C(0x9e3779b97f4a7c15);
		p += 8;
		len -= 8;
	}
	uint64_t tail = 0;
	for (size_t i = 0; i < len; i++)
		tail |= (uint64_t)p[i] << (8 * i);
	return ss_hash_mix(h ^ tail ^ ((uint64_t)len << 56));
}

/* Every length 0-64 at every alignment, random bytes: identical to the reference. */
START_TEST(test_hash_matches_reference)
{
	unsigned char buf[80];
	uint64_t x = 99;
	for (int round = 0; round < 200; round++) {
		for (size_t i = 0; i < sizeof(buf); i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			buf[i] = (unsigned char)(x >> 56);
		}
		for (size_t off = 0; off < 8; off++)
			for (size_t len = 0; len <= 64; len++) {
				/* A heap copy of exactly len bytes: ASan catches any read past the end. */
				unsigned char *exact = malloc(len ? len : 1);
				ck_assert_ptr_nonnull(exact);
				memcpy(exact, buf + off, len);
				ck_assert_uint_eq(ss_hash64(exact, len, x), reference_hash64(buf + off, len, x));
				free(exact);
			}
	}
	ck_assert_uint_eq(ss_hash_str("8613800138000", 1), reference_hash64("8613800138000", 13, 1));
}
END_TEST

/* A Bloom filter has no false negatives, and at 16 bits an entry few false positives. */
START_TEST(test_bloom)
{
	struct ss_bloom b;
	ck_assert_int_eq(ss_bloom_init(&b, 0, 0), -EINVAL);
	ck_assert_int_eq(ss_bloom_init(&b, 100, 9), -EINVAL);
	ck_assert_int_eq(ss_bloom_init(&b, 16 * 10000, 3), 0);
	ck_assert_uint_eq(ss_bloom_bytes(&b), 262144 / 8); /* rounded up to a power of two */
	unsigned seen = 0;
	for (uint64_t i = 0; i < 10000; i++)
		seen += ss_bloom_add(&b, ss_hash_mix(i + 1)); /* new keys: "present" only on a false positive */
	ck_assert_uint_lt(seen, 50);
	for (uint64_t i = 0; i < 10000; i++) {
		ck_assert(ss_bloom_has(&b, ss_hash_mix(i + 1)));
		ck_assert(ss_bloom_add(&b, ss_hash_mix(i + 1))); /* present: reported, not counted again */
	}
	ck_assert_uint_le(b.entries, 10000);
	ck_assert_uint_ge(b.entries, 9950);
	unsigned fp = 0;
	for (uint64_t i = 0; i < 100000; i++)
		fp += ss_bloom_has(&b, ss_hash_mix(i + 1000001));
	ck_assert_uint_lt(fp, 1000); /* expected ~0.3 % at 26 bits an entry with 3 probes: well under 1 % */
	ss_bloom_clear(&b);
	ck_assert(!ss_bloom_has(&b, ss_hash_mix(1)));
	ck_assert_uint_eq(b.entries, 0);

	/* Blocked: one key's bits all lie in one 64-byte block, the array starts on a cache line. */
	ck_assert_uint_eq((uintptr_t)b.bits % 64, 0);
	for (uint64_t key = 1; key < 200; key++) {
		ss_bloom_clear(&b);
		ss_bloom_add(&b, ss_hash_mix(key));
		size_t words = ss_bloom_bytes(&b) / 8, first = words, last = 0, set = 0;
		for (size_t w = 0; w < words; w++) {
			if (!b.bits[w])
				continue;
			set += (size_t)__builtin_popcountll(b.bits[w]);
			if (first == words)
				first = w;
			last = w;
		}
		ck_assert_uint_eq(first / 8, last / 8);
		ck_assert_uint_ge(set, 1);
		ck_assert_uint_le(set, 3);
	}
	ss_bloom_free(&b);
	ck_assert(!ss_bloom_has(&b, 1)); /* a freed (or never initialised) filter holds nothing */

	/* The rate the header gives at 16 bits an entry (0.54 % with 3 probes, 0.26 % with 4), with slack. */
	for (unsigned k = 3; k <= 4; k++) {
		ck_assert_int_eq(ss_bloom_init(&b, 16 * 65536, k), 0);
		for (uint64_t i = 0; i < 65536; i++)
			ss_bloom_add(&b, ss_hash_mix(i + 1));
		fp = 0;
		for (uint64_t i = 0; i < 400000; i++)
			fp += ss_bloom_has(&b, ss_hash_mix(i + 50000001));
		ck_assert_uint_lt(fp, k == 3 ? 400000 * 0.0075 : 400000 * 0.0040);
		ck_assert_uint_gt(fp, k == 3 ? 400000 * 0.0035 : 400000 * 0.0015); /* not a filter that says no to everything */
		ss_bloom_free(&b);
	}
}
END_TEST

struct slot_rec {
	uint64_t a, b; /* two keys, as the SIM profiles index IMSI and MSISDN */
	uint32_t payload;
};

/* A slot index finds every record by either key, skips zero keys, grows past its load limit. */
START_TEST(test_slotix)
{
	enum { N = 50000 };
	struct slot_rec *r = calloc(N, sizeof(*r));
	struct ss_slotix by_a = { 0 }, by_b = { 0 };
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(ss_slotix_find(&by_a, r, sizeof(*r), 5), SS_SLOTIX_NONE); /* empty */
	for (uint32_t i = 0; i < N; i++) {
		r[i].a = (uint64_t)i * 7919 + 1;
		r[i].b = i % 3 ? (uint64_t)i * 104729 + 3 : 0; /* every third record has no second key */
		r[i].payload = i;
		ck_assert_int_eq(ss_slotix_add(&by_a, &r[0].a, sizeof(*r), i, i + 1), 0);
		if (r[i].b)
			ck_assert_int_eq(ss_slotix_add(&by_b, &r[0].b, sizeof(*r), i, i + 1), 0);
	}
	ck_assert_uint_eq(by_a.n, N);
	ck_assert_uint_le((uint64_t)by_a.n * 4, (uint64_t)by_a.size * 3); /* load kept <= 0.75 */
	for (uint32_t i = 0; i < N; i++) {
		ck_assert_uint_eq(ss_slotix_find(&by_a, &r[0].a, sizeof(*r), r[i].a), i);
		if (r[i].b)
			ck_assert_uint_eq(ss_slotix_find(&by_b, &r[0].b, sizeof(*r), r[i].b), i);
	}
	ck_assert_uint_eq(ss_slotix_find(&by_a, &r[0].a, sizeof(*r), 2), SS_SLOTIX_NONE);
	ck_assert_uint_eq(ss_slotix_find(&by_b, &r[0].b, sizeof(*r), r[0].a), SS_SLOTIX_NONE);
	/* A record whose key is cleared is no longer found; a rebuild drops it from the table. */
	uint64_t gone = r[10].a;
	r[10].a = 0;
	ck_assert_uint_eq(ss_slotix_find(&by_a, &r[0].a, sizeof(*r), gone), SS_SLOTIX_NONE);
	ck_assert_int_eq(ss_slotix_build(&by_a, &r[0].a, sizeof(*r), N, N), 0);
	ck_assert_uint_eq(by_a.n, N - 1);
	ck_assert_uint_eq(ss_slotix_find(&by_a, &r[0].a, sizeof(*r), r[N - 1].a), N - 1);
	ck_assert_int_eq(ss_slotix_add(&by_a, &r[0].a, sizeof(*r), N, N), -ENOMEM); /* idx outside [0, n) */
	ss_slotix_free(&by_a);
	ss_slotix_free(&by_b);
	ck_assert_uint_eq(ss_slotix_bytes(&by_a), 0);
	free(r);
}
END_TEST

START_TEST(test_strerror)
{
	ck_assert_str_eq(ss_strerror(-SS_EBADTIME), "bad time value");
	ck_assert_str_eq(ss_strerror(-ENOENT), strerror(ENOENT));
	ck_assert_str_eq(ss_strerror(SS_ECONFIG), "invalid configuration");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_time_iso_and_epoch);
	tcase_add_test(tc, test_time_rejects);
	tcase_add_test(tc, test_time_canonical_fast_path);
	tcase_add_test(tc, test_time_format_round_trip);
	tcase_add_test(tc, test_config_values_and_defaults);
	tcase_add_test(tc, test_config_errors);
	tcase_add_test(tc, test_hash_stable);
	tcase_add_test(tc, test_hash_matches_reference);
	tcase_add_test(tc, test_strerror);
	tcase_add_test(tc, test_bloom);
	tcase_add_test(tc, test_slotix);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
