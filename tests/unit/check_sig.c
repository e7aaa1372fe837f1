/*
 * check_sig.c - scam-SMS signatures (src/sig/, docs/signatures.md): every
 * parser error with its exact file:line, lint listing all errors, loading
 * a directory in name order, pattern semantics (literal, alternatives,
 * adjacency, bounded gaps at and past their bound, slots, <contact>,
 * normalised literals), scoring arithmetic, benign subtraction, hit
 * overflow, and a failed reload leaving the old set usable.
 */
#include "sig/sig.h"
#include "text/normalize.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEAD "version t1\ncategory brush scam 刷单\ncategory loan spam 贷款广告\ncategory bank benign 银行通知\n"
/* Lines of HEAD: a signature on the next line is line 5. */

#define SLOT(t) "\xee\x80" t /* a slot token: SLOT("\x82") is <phone> */

static struct sig_set *load_ok(const char *text)
{
	struct sig_set *set = NULL;
	struct sig_error err;
	int rc = sig_set_load_mem("t.sig", text, strlen(text), &set, &err);

	ck_assert_msg(rc == 0, "load failed: %s:%u: %s", err.file, err.line, err.msg);
	ck_assert_ptr_nonnull(set);
	return set;
}

/* ---- parser errors ------------------------------------------------------ */

struct bad_case {
	const char *text;
	unsigned line;
	const char *msg; /* a substring of the reason */
};

static const struct bad_case bad[] = {
	{ HEAD "sig a.b nosuch 60 \"x\"\n", 5, "undeclared category nosuch" },
	{ HEAD "sig a.b brush 60 \"x\"\nsig a.b brush 50 \"y\"\n", 6, "duplicate id 'a.b' (first at t.sig:5)" },
	{ HEAD "sig a.b brush 0 \"x\"\n", 5, "bad weight 0" },
	{ HEAD "sig a.b brush 101 \"x\"\n", 5, "bad weight 101" },
	{ HEAD "sig a.b brush 6x \"x\"\n", 5, "bad weight 6x" },
	{ HEAD "sig a.b brush 99999999999 \"x\"\n", 5, "bad weight" },
	{ HEAD "sig a.b brush 60 <phonex>\n", 5, "unknown slot <phonex>" },
	{ HEAD "sig a.b brush 60 <phone\n", 5, "unterminated slot" },
	{ HEAD "sig a.b brush 60 (\"x\" | \"y\"\n", 5, "unbalanced parentheses: missing ')'" },
	{ HEAD "sig a.b brush 60 \"x\" )\n", 5, "unbalanced parentheses: ')' without '('" },
	{ HEAD "sig a.b brush 60 \"x\" \"\"\n", 5, "empty literal" },
	{ HEAD "sig a.b brush 60 \"x\" .. \"abc\n", 5, "unterminated string" },
	{ HEAD "sig a.b brush 60 \"x\\\"\n", 5, "unterminated string" },
	{ HEAD "sig a.b brush 60 \"x\" ..61 \"y\"\n", 5, "gap ..61 out of range" },
	{ HEAD "sig a.b brush 60 \"x\" ..999999 \"y\"\n", 5, "out of range" },
	{ HEAD "sig a.b brush 60 \"x\" ..\n", 5, "at the end of a sequence" },
	{ HEAD "sig a.b brush 60 (\"x\" .. | \"y\")\n", 5, "at the end of a sequence" },
	{ HEAD "sig a.b brush 60 .. \"x\"\n", 5, "a gap needs an element before it" },
	{ HEAD "sig a.b brush 60 \"x\" ... \"y\"\n", 5, "bad gap" },
	{ HEAD "sig a.b brush 60 \"x\" ..5x \"y\"\n", 5, "bad gap" },
	{ HEAD "sig a.b brush 60 \"x\" garbage\n", 5, "trailing garbage garbage" },
	{ HEAD "sig a.b brush 60 (\"x\" | )\n", 5, "empty alternative" },
	{ HEAD "sig a.b brush 60 ()\n", 5, "empty alternative" },
	{ HEAD "sig a.b brush 60 \"x\\q\"\n", 5, "bad escape" },
	{ HEAD "sig a.b brush 60\n", 5, "missing pattern" },
	{ HEAD "sig a.b brush 60 # only a comment\n", 5, "missing pattern" },
	{ HEAD "sig A.B brush 60 \"x\"\n", 5, "bad signature id A.B" },
	{ HEAD "signature a.b brush 60 \"x\"\n", 5, "unknown statement signature" },
	{ HEAD "\n\n   frobnicate\n", 7, "unknown statement frobnicate" },
	{ HEAD "version t2\n", 5, "second version line (the first is line 1)" },
	{ "version 1 2\n", 1, "trailing garbage 2 after the version" },
	{ "version\n", 1, "missing version" },
	{ HEAD "category brush spam again\n", 5, "category 'brush' declared twice (first at t.sig:2)" },
	{ "category x fraud label\n", 1, "unknown class fraud" },
	{ "category x scam\n", 1, "missing category label" },
	{ "category x-y scam label\n", 1, "bad category name" },
	{ "sig a.b brush 60 \"x\"\ncategory brush scam 刷单\n", 1, "undeclared category brush" },
	{ HEAD "sig a.b brush 60 \"x\"" "((((((((((((((((((\"y\"))))))))))))))))))\n", 5, "nested deeper" },
	{ HEAD "sig a.b brush 60 \"\xe2\x80\x8b\"\n", 5, "empty once normalised" },
};

START_TEST(test_parse_errors)
{
	const struct bad_case *c = &bad[_i];
	struct sig_set *set = (struct sig_set *)1;
	struct sig_error err;
	int rc = sig_set_load_mem("t.sig", c->text, strlen(c->text), &set, &err);

	ck_assert_msg(rc < 0, "case %d accepted: %s", _i, c->text);
	ck_assert_ptr_null(set);
	ck_assert_str_eq(err.file, "t.sig");
	ck_assert_msg(err.line == c->line, "case %d: line %u, want %u (%s)", _i, err.line, c->line, err.msg);
	ck_assert_msg(strstr(err.msg, c->msg), "case %d: '%s' does not say '%s'", _i, err.msg, c->msg);
}
END_TEST

/* Literals that the normaliser would turn into slot tokens can never match: an error. */
START_TEST(test_literal_with_number)
{
	static const char text[] = HEAD "\nsig a.b brush 60 \"打\" .. \"13812345678\"\n";
	struct sig_set *set;
	struct sig_error err;

	ck_assert_int_lt(sig_set_load_mem("t.sig", text, strlen(text), &set, &err), 0);
	ck_assert_uint_eq(err.line, 6);
	ck_assert_msg(strstr(err.msg, "normalised messages carry as a <phone> token"), "%s", err.msg);
	ck_assert_msg(strstr(err.msg, "<phone>"), "%s", err.msg);
}
END_TEST

static unsigned n_reported;
static unsigned reported_lines[16];

static void count_report(const struct sig_error *e, void *arg)
{
	(void)arg;
	if (n_reported < 16)
		reported_lines[n_reported] = e->line;
	n_reported++;
}

static char dir[64];

static void write_file(const char *name, const char *text)
{
	char p[128];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void rm_dir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Lint goes on after an error and reports every bad line. */
START_TEST(test_report_all)
{
	struct sig_error err;

	strcpy(dir, "/tmp/check_sig-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	write_file("a.sig", HEAD "sig a.1 brush 60 \"x\"\nsig a.2 nosuch 60 \"x\"\nsig a.3 brush 600 \"x\"\n"
			   "sig a.4 brush 60 \"ok\"\nbogus\n");
	write_file("b.txt", "not loaded\n");
	n_reported = 0;
	ck_assert_int_lt(sig_set_load_report(dir, NULL, &err, count_report, NULL), 0);
	ck_assert_uint_eq(n_reported, 3);
	ck_assert_uint_eq(reported_lines[0], 6);
	ck_assert_uint_eq(reported_lines[1], 7);
	ck_assert_uint_eq(reported_lines[2], 9);
	ck_assert_uint_eq(err.line, 6);
	ck_assert_msg(strstr(err.file, "/a.sig"), "%s", err.file);
	rm_dir();
}
END_TEST

/* A directory: every *.sig in name order; categories flow into later files. */
START_TEST(test_directory)
{
	struct sig_set *set;
	struct sig_error err;

	strcpy(dir, "/tmp/check_sig-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	write_file("10-base.sig", "version 2026.1\ncategory brush scam 刷单\n");
	write_file("20-more.sig", "version 7\nsig brush.x brush 60 \"刷单\"\n");
	write_file("README.md", "sig ignored nope 1 \"x\"\n");
	ck_assert_int_eq(sig_set_load(dir, &set, &err), 0);
	ck_assert_uint_eq(sig_set_count(set), 1);
	ck_assert_str_eq(sig_set_version(set), "10-base.sig:2026.1 20-more.sig:7");
	unsigned line;
	ck_assert_msg(strstr(sig_file(set, 0, &line), "20-more.sig") != NULL, "file");
	ck_assert_uint_eq(line, 2);
	sig_set_free(set);

	/* Declared in a later file: undeclared where it is used. */
	write_file("05-first.sig", "sig early.x brush 60 \"刷单\"\n");
	ck_assert_int_lt(sig_set_load(dir, &set, &err), 0);
	ck_assert_msg(strstr(err.file, "05-first.sig") && err.line == 1, "%s:%u", err.file, err.line);
	rm_dir();

	ck_assert_int_lt(sig_set_load("/nonexistent/sigs", &set, &err), 0);
	ck_assert_str_eq(err.file, "/nonexistent/sigs");
	ck_assert_msg(strstr(err.msg, "cannot open"), "%s", err.msg);
}
END_TEST

/* ---- pattern semantics -------------------------------------------------- */

/* Does signature @pattern match the (already normalised) @text? */
static bool matches(const char *pattern, const char *text)
{
	char buf[1024];
	struct sig_set *set;
	struct sig_scanner *sc;
	struct sig_result r;

	snprintf(buf, sizeof(buf), HEAD "sig t.x brush 60 %s\n", pattern);
	set = load_ok(buf);
	ck_assert_int_eq(sig_scanner_open(set, &sc), 0);
	ck_assert_int_eq(sig_scan(sc, set, text, strlen(text), &r), 0);
	sig_scanner_close(sc);
	sig_set_free(set);
	return r.n_hits == 1;
}

/* @n CJK characters (3 bytes each) into @buf. */
static const char *cjk(char *buf, int n)
{
	buf[0] = '\0';
	for (int i = 0; i < n; i++)
		strcat(buf, "好");
	return buf;
}

START_TEST(test_semantics)
{
	char t[512], pad[256];

	/* literals, anywhere in the text */
	ck_assert(matches("\"刷单\"", "今天刷单赚钱"));
	ck_assert(!matches("\"刷单\"", "今天刷好单"));
	ck_assert(matches("\"a+b.c\"", "x a+b.c y")); /* metacharacters are literal */
	ck_assert(!matches("\"a+b.c\"", "aab.c"));
	ck_assert(!matches("\"a+b.c\"", "a+bxc"));
	ck_assert(matches("\"say \\\"hi\\\"\"", "they say \"hi\" now"));
	/* alternatives */
	ck_assert(matches("(\"佣金\" | \"返利\" | \"提成\")", "高额返利"));
	ck_assert(!matches("(\"佣金\" | \"返利\")", "提成"));
	ck_assert(matches("\"a\" | \"b\"", "xbx")); /* top-level alternatives */
	ck_assert(matches("\"刷\" (\"单\" \"返\" | \"票\")", "刷单返"));
	ck_assert(!matches("\"刷\" (\"单\" \"返\" | \"票\")", "刷单"));
	/* adjacency */
	ck_assert(matches("\"刷\" \"单\"", "刷单"));
	ck_assert(!matches("\"刷\" \"单\"", "刷x单"));
	/* ordered, bounded gap: 12 by default, counted in code points */
	snprintf(t, sizeof(t), "刷单%s佣金", cjk(pad, 12));
	ck_assert(matches("\"刷单\" .. \"佣金\"", t));
	snprintf(t, sizeof(t), "刷单%s佣金", cjk(pad, 13));
	ck_assert(!matches("\"刷单\" .. \"佣金\"", t));
	ck_assert(matches("\"刷单\" .. \"佣金\"", "刷单佣金"));
	ck_assert(!matches("\"刷单\" .. \"佣金\"", "佣金刷单")); /* ordered */
	ck_assert(matches("\"ab\" .. \"cd\"", "ab0123456789abcd"));
	ck_assert(!matches("\"ab\" .. \"cd\"", "ab0123456789xyzcd"));
	snprintf(t, sizeof(t), "刷单%s佣金", cjk(pad, 3));
	ck_assert(matches("\"刷单\" ..3 \"佣金\"", t));
	snprintf(t, sizeof(t), "刷单%s佣金", cjk(pad, 4));
	ck_assert(!matches("\"刷单\" ..3 \"佣金\"", t));
	ck_assert(matches("\"刷单\" ..0 \"佣金\"", "刷单佣金"));
	ck_assert(!matches("\"刷单\" ..0 \"佣金\"", "刷单x佣金"));
	snprintf(t, sizeof(t), "a%sb", cjk(pad, 60));
	ck_assert(matches("\"a\" ..60 \"b\"", t));
	snprintf(t, sizeof(t), "a%sxb", cjk(pad, 60));
	ck_assert(!matches("\"a\" ..60 \"b\"", t));
	/* a slot token counts as one character */
	ck_assert(matches("\"加\" ..1 \"好友\"", "加" SLOT("\x84") "好友"));
	/* slots */
	ck_assert(matches("\"点击\" <url>", "请点击" SLOT("\x81") "领取"));
	ck_assert(!matches("\"点击\" <url>", "请点击" SLOT("\x82")));
	ck_assert(matches("\"验证码\" <code>", "验证码" SLOT("\x86")));
	ck_assert(matches("<amount> .. <card>", SLOT("\x87") "到" SLOT("\x85")));
	ck_assert(matches("<number>", SLOT("\x88")));
	ck_assert(!matches("<number>", "\xee\x80"));
	/* <contact> = url, phone, qq, wechat and nothing else */
	ck_assert(matches("\"加\" <contact>", "加" SLOT("\x81")));
	ck_assert(matches("\"加\" <contact>", "加" SLOT("\x82")));
	ck_assert(matches("\"加\" <contact>", "加" SLOT("\x83")));
	ck_assert(matches("\"加\" <contact>", "加" SLOT("\x84")));
	ck_assert(!matches("\"加\" <contact>", "加" SLOT("\x85")));
	ck_assert(!matches("\"加\" <contact>", "加" SLOT("\x88")));
	/* comments after the pattern */
	ck_assert(matches("\"刷单\" # a # comment (", "刷单"));
}
END_TEST

/* Literals are normalised like messages: upper case, full width, spaces between CJK. */
START_TEST(test_literal_normalised)
{
	struct text_norm n;

	text_norm_init(&n);
	ck_assert_int_eq(text_normalize(&n, "ＱＱ", strlen("ＱＱ"), TEXT_NORM_ALL), 0);
	ck_assert(matches("\"ＱＱ\"", n.buf));
	ck_assert(matches("\"ClickHere\"", "clickhere"));
	ck_assert(!matches("\"ClickHere\"", "ClickHere")); /* texts are matched as given: normalised */
	ck_assert(matches("\"刷 单\"", "刷单"));
	/* "V信" is 微信 once normalised, in the literal as in messages */
	ck_assert_int_eq(text_normalize(&n, "加V信", strlen("加V信"), TEXT_NORM_ALL), 0);
	ck_assert(matches("\"V信\"", n.buf));
	ck_assert(matches("\"微信\"", n.buf));
	text_norm_free(&n);
}
END_TEST

/* ---- scoring ------------------------------------------------------------- */

static const char scoring_set[] = HEAD
	"category fake_police scam 冒充公检法\n" /* line 5 */
	"sig brush.a brush 60 \"刷单\"\n"	  /* 6: index 0 */
	"sig brush.b brush 60 \"佣金\"\n"	  /* 7: 1 */
	"sig brush.c brush 100 \"必赚\"\n"	  /* 8: 2 */
	"sig loan.a loan 90 \"贷款\"\n"	  /* 9: 3 */
	"sig bank.a bank 50 \"尊敬的客户\"\n"  /* 10: 4 */
	"sig bank.b bank 20 \"工商银行\"\n"	  /* 11: 5 */
	"sig police.a fake_police 70 \"公安\"\n"; /* 12: 6 */

struct score_case {
	const char *text;
	int score, category, scam_score, scam_category;
	enum sig_class class;
	unsigned n_hits;
};

static const struct score_case scores[] = {
	{ "你好", 0, -1, 0, -1, SIG_CLASS_SCAM, 0 },
	{ "刷单", 60, 0, 60, 0, SIG_CLASS_SCAM, 1 },
	{ "刷单佣金", 84, 0, 84, 0, SIG_CLASS_SCAM, 2 },   /* 1 - 0.4 x 0.4 */
	{ "刷单刷单刷单", 60, 0, 60, 0, SIG_CLASS_SCAM, 1 }, /* repeats count once */
	{ "刷单佣金必赚", 100, 0, 100, 0, SIG_CLASS_SCAM, 3 },
	{ "贷款刷单", 90, 1, 60, 0, SIG_CLASS_SPAM, 2 },	   /* the best category is spam */
	{ "尊敬的客户刷单佣金", 50, 2, 34, 0, SIG_CLASS_BENIGN, 3 }, /* scam 84 - 50; bank 50 is best */
	/* benign: 1 - 0.5 x 0.8 = 60, subtracted from scam (84 -> 24), not from spam */
	{ "尊敬的客户工商银行刷单佣金贷款", 90, 1, 24, 0, SIG_CLASS_SPAM, 5 },
	{ "尊敬的客户工商银行刷单", 60, 2, 0, 0, SIG_CLASS_BENIGN, 3 }, /* floor 0, benign reported */
	{ "公安刷单佣金", 84, 0, 84, 0, SIG_CLASS_SCAM, 3 },
	{ "公安刷单", 70, 3, 70, 3, SIG_CLASS_SCAM, 2 },
	{ "刷单公安", 70, 3, 70, 3, SIG_CLASS_SCAM, 2 },
};

START_TEST(test_scoring)
{
	struct sig_set *set = load_ok(scoring_set);
	struct sig_scanner *sc;

	ck_assert_uint_eq(sig_set_count(set), 7);
	ck_assert_uint_eq(sig_category_count(set), 4);
	ck_assert_str_eq(sig_category_name(set, 3), "fake_police");
	ck_assert_str_eq(sig_category_label(set, 0), "刷单");
	ck_assert_int_eq(sig_category_class(set, 2), SIG_CLASS_BENIGN);
	ck_assert_str_eq(sig_id(set, 6), "police.a");
	ck_assert_str_eq(sig_category(set, 6), "fake_police");
	ck_assert_int_eq(sig_weight(set, 3), 90);
	ck_assert_uint_eq(sig_category_of(set, 4), 2);
	ck_assert_str_eq(sig_set_version(set), "t.sig:t1");
	ck_assert_uint_gt(sig_set_db_bytes(set), 0);
	ck_assert_int_eq(sig_scanner_open(set, &sc), 0);
	for (size_t i = 0; i < sizeof(scores) / sizeof(scores[0]); i++) {
		const struct score_case *c = &scores[i];
		struct sig_result r;
		ck_assert_int_eq(sig_scan(sc, set, c->text, strlen(c->text), &r), 0);
		ck_assert_msg(r.score == c->score && r.category == c->category && r.scam_score == c->scam_score &&
				      r.scam_category == c->scam_category && r.n_hits == c->n_hits &&
				      (r.category < 0 || r.class == c->class),
			      "%s: score %d cat %d class %d scam %d/%d hits %u", c->text, r.score, r.category,
			      r.class, r.scam_score, r.scam_category, r.n_hits);
	}
	/* per-category scores of the last scan */
	struct sig_result r;
	ck_assert_int_eq(sig_scan(sc, set, "尊敬的客户刷单佣金贷款", strlen("尊敬的客户刷单佣金贷款"), &r), 0);
	ck_assert_int_eq(sig_scanner_category_score(sc, 0), 34);
	ck_assert_int_eq(sig_scanner_category_score(sc, 1), 90);
	ck_assert_int_eq(sig_scanner_category_score(sc, 2), 50);
	ck_assert_int_eq(sig_scanner_category_score(sc, 3), -1);
	ck_assert_int_eq(sig_scan(sc, set, "", 0, &r), 0);
	ck_assert_int_eq(sig_scanner_category_score(sc, 0), -1);
	ck_assert_int_eq(r.category, -1);
	sig_scanner_close(sc);
	sig_set_free(set);
}
END_TEST

/* More hits than SIG_MAX_HITS: all are scored, the first 16 listed. */
START_TEST(test_many_hits)
{
	char text[4096] = HEAD, msg[256] = "";
	struct sig_set *set;
	struct sig_scanner *sc;
	struct sig_result r;

	for (int i = 0; i < 20; i++) {
		char line[64];
		snprintf(line, sizeof(line), "sig s.%d brush 10 \"w%dz\"\n", i, i);
		strcat(text, line);
		snprintf(line, sizeof(line), "w%dz ", i);
		strcat(msg, line);
	}
	set = load_ok(text);
	ck_assert_int_eq(sig_scanner_open(set, &sc), 0);
	ck_assert_int_eq(sig_scan(sc, set, msg, strlen(msg), &r), 0);
	ck_assert_uint_eq(r.n_hits, 20);
	for (uint32_t i = 0; i < SIG_MAX_HITS; i++)
		ck_assert_uint_eq(r.hit[i], i); /* match order = text order here */
	ck_assert_int_eq(r.score, 88);	  /* 1 - 0.9^20 = 0.878 */
	sig_scanner_close(sc);
	sig_set_free(set);
}
END_TEST

/* ---- reload --------------------------------------------------------------- */

START_TEST(test_reload_keeps_old)
{
	struct sig_set *old = load_ok(HEAD "sig brush.a brush 60 \"刷单\"\n"), *fresh = (struct sig_set *)1;
	struct sig_scanner *sc, *sc2;
	struct sig_result r;
	struct sig_error err;
	static const char broken[] = HEAD "sig brush.a brush 60 \"刷单\"\nsig brush.b brush 60 (\"x\"\n";

	ck_assert_int_eq(sig_scanner_open(old, &sc), 0);
	ck_assert_int_lt(sig_set_load_mem("new.sig", broken, strlen(broken), &fresh, &err), 0);
	ck_assert_ptr_null(fresh);
	ck_assert_str_eq(err.file, "new.sig");
	ck_assert_uint_eq(err.line, 6);
	/* the caller keeps the old set and its scanner */
	ck_assert_int_eq(sig_scan(sc, old, "刷单", strlen("刷单"), &r), 0);
	ck_assert_int_eq(r.score, 60);
	/* a good reload: a new set, a scanner for it; the old one refuses the new set */
	fresh = load_ok(HEAD "sig brush.a brush 60 \"刷单\"\nsig brush.b brush 60 \"佣金\"\n");
	ck_assert_int_eq(sig_scan(sc, fresh, "刷单", strlen("刷单"), &r), -EINVAL);
	ck_assert_int_eq(sig_scanner_open(fresh, &sc2), 0);
	ck_assert_int_eq(sig_scan(sc2, fresh, "刷单佣金", strlen("刷单佣金"), &r), 0);
	ck_assert_int_eq(r.score, 84);
	sig_scanner_close(sc);
	sig_set_free(old);
	sig_scanner_close(sc2);
	sig_set_free(fresh);
}
END_TEST

/* Categories but no signature: a valid, empty set. */
START_TEST(test_empty_set)
{
	struct sig_set *set = load_ok(HEAD "# nothing yet\n");
	struct sig_scanner *sc;
	struct sig_result r;

	ck_assert_uint_eq(sig_set_count(set), 0);
	ck_assert_int_eq(sig_scanner_open(set, &sc), 0);
	ck_assert_int_eq(sig_scan(sc, set, "刷单", strlen("刷单"), &r), 0);
	ck_assert_int_eq(r.category, -1);
	ck_assert_uint_eq(r.n_hits, 0);
	sig_scanner_close(sc);
	sig_set_free(set);
	sig_set_free(NULL);
	sig_scanner_close(NULL);
}
END_TEST

/* CRLF line ends, a BOM, comments and blank lines. */
START_TEST(test_file_syntax)
{
	static const char text[] = "\xef\xbb\xbf# header\r\nversion 3\r\n\r\n  category brush scam 刷单 返利 # c\r\n"
				   "sig brush.a\tbrush\t60\t\"刷单\"  # why\r\n";
	struct sig_set *set = load_ok(text);

	ck_assert_uint_eq(sig_set_count(set), 1);
	ck_assert_str_eq(sig_category_label(set, 0), "刷单 返利");
	ck_assert_str_eq(sig_set_version(set), "t.sig:3");
	ck_assert_str_eq(sig_regex(set, 0), "\\xe5\\x88\\xb7\\xe5\\x8d\\x95");
	sig_set_free(set);
}
END_TEST

static Suite *sig_suite(void)
{
	Suite *s = suite_create("sig");
	TCase *tc = tcase_create("sig");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_parse_errors, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, test_literal_with_number);
	tcase_add_test(tc, test_report_all);
	tcase_add_test(tc, test_directory);
	tcase_add_test(tc, test_semantics);
	tcase_add_test(tc, test_literal_normalised);
	tcase_add_test(tc, test_scoring);
	tcase_add_test(tc, test_many_hits);
	tcase_add_test(tc, test_reload_keeps_old);
	tcase_add_test(tc, test_empty_set);
	tcase_add_test(tc, test_file_syntax);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sig_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
