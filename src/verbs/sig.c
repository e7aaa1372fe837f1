/*
 * sig.c - `simsieve sig test|lint` (../shared/spec/cli.md; the signature
 * format is docs/signatures.md).
 *
 *   sig test [--signatures PATH] [--threshold N] [--json-summary FILE] FILE|-
 *       each input line is `text` or `label<TAB>text[<TAB>...]`; stdout gets
 *       one JSON object per line, in input order; stderr a summary with
 *       per-category counts and, for labelled input, recall, precision and
 *       the false-positive rate (labels as ../shared/corpus/sms/MANIFEST.md:
 *       scam is the positive class, ham the negatives, spam told apart).
 *   sig lint [--signatures PATH]
 *       every error as file:line: reason, then a one-line summary.
 *
 * Exit status: 0 ok, 1 signatures that do not load / unreadable input /
 * write error, 2 bad usage.
 */
#include "verbs/verbs.h"

#include "core/err.h"
#include "core/json.h"
#include "core/paths.h"
#include "core/time.h"
#include "sig/sig.h"
#include "text/normalize.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXIT_USAGE 2


static const char sig_usage[] =
	"usage: simsieve sig COMMAND [options]\n"
	"\n"
	"Scam-SMS signatures (docs/signatures.md).\n"
	"\n"
	"commands:\n"
	"  test [--signatures PATH] [--threshold N] [--json-summary FILE] FILE|-\n"
	"        run the signatures over messages: one `text` or\n"
	"        `label<TAB>text[<TAB>...]` a line; one JSON object per line on\n"
	"        stdout, a summary (per category; recall, precision and\n"
	"        false-positive rate when labels scam/spam/ham are given) on stderr\n"
	"  lint [--signatures PATH]\n"
	"        check the signature files: every error as file:line: reason\n"
	"\n"
	"options:\n"
	"  --signatures PATH  a .sig file or a directory of them (default\n"
	"                     $SIMSIEVE_SIGNATURES, else ./signatures, else the\n"
	"                     installed share/simsieve/signatures)\n"
	"  --threshold N      scam verdict from this score on, 1-100 (default 60)\n"
	"  --json-summary F   also write the summary as one JSON object to F\n"
	"\n"
	"Exit status: 0 ok, 1 signatures with errors or unreadable input, 2 bad usage.\n";

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "simsieve sig%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(simsieve sig --help for usage)\n");
	return EXIT_USAGE;
}

/* The default signatures: ss_signatures_dir() (core/paths.h). */
static const char *default_signatures(char *buf, size_t size)
{
	return ss_signatures_dir(buf, size);
}

static void print_error(const struct sig_error *e, void *arg)
{
	unsigned *n = arg;

	if (e->line)
		fprintf(stderr, "%s:%u: %s\n", e->file, e->line, e->msg);
	else
		fprintf(stderr, "%s: %s\n", e->file, e->msg);
	(*n)++;
}

static struct sig_set *load(const char *path, const char *cmd)
{
	struct sig_set *set;
	struct sig_error err;
	unsigned n = 0;

	if (sig_set_load_report(path, &set, &err, print_error, &n) == 0)
		return set;
	fprintf(stderr, "simsieve sig %s: %s: %u error%s, signatures not loaded\n", cmd, path, n,
		n == 1 ? "" : "s");
	return NULL;
}

static const char *class_name(enum sig_class c)
{
	return c == SIG_CLASS_SCAM ? "scam" : c == SIG_CLASS_SPAM ? "spam" : "benign";
}

/* ---- test ---------------------------------------------------------------- */

struct cat_count {
	unsigned long matched;	/* messages with a hit in the category */
	unsigned long reported; /* messages reported under it */
	unsigned long scam;	/* scam verdicts under it */
};

struct tally {
	unsigned long lines, scam, clean;
	unsigned long lab_scam, lab_ham, lab_spam, lab_other;
	unsigned long tp, fp_ham, spam_called_scam, spam_matched_spam;
	struct cat_count *cat;
};

static double ratio(unsigned long a, unsigned long b)
{
	return b ? (double)a / (double)b : 0.0;
}

static void summary_text(FILE *out, const struct sig_set *set, const struct tally *t, int threshold)
{
	size_t nc = sig_category_count(set);
	unsigned long called = t->tp + t->fp_ham + t->spam_called_scam;

	fprintf(out, "sig test: %lu messages, %zu signatures in %zu categories (%s), threshold %d\n", t->lines,
		sig_set_count(set), nc, *sig_set_version(set) ? sig_set_version(set) : "no version", threshold);
	fprintf(out, "  verdicts: %lu scam, %lu clean\n", t->scam, t->clean);
	for (size_t c = 0; c < nc; c++) {
		const struct cat_count *k = &t->cat[c];
		if (!k->matched)
			continue;
		fprintf(out, "  category %s (%s, %s): %lu matched, %lu reported, %lu scam verdicts\n",
			sig_category_name(set, c), class_name(sig_category_class(set, c)),
			sig_category_label(set, c), k->matched, k->reported, k->scam);
	}
	if (t->lab_scam + t->lab_ham + t->lab_spam + t->lab_other == 0)
		return;
	fprintf(out, "  labels: %lu scam, %lu ham, %lu spam, %lu other\n", t->lab_scam, t->lab_ham, t->lab_spam,
		t->lab_other);
	fprintf(out, "  scam: recall %.4f (%lu/%lu), precision %.4f (%lu/%lu called scam among labelled)\n",
		ratio(t->tp, t->lab_scam), t->tp, t->lab_scam, ratio(t->tp, called), t->tp, called);
	fprintf(out, "  ham: false positives %lu/%lu, false-positive rate %.6f\n", t->fp_ham, t->lab_ham,
		ratio(t->fp_ham, t->lab_ham));
	fprintf(out, "  spam: %lu messages, %lu called scam, %lu matched a spam-class category\n", t->lab_spam,
		t->spam_called_scam, t->spam_matched_spam);
}

static int summary_json(const char *path, const struct sig_set *set, const struct tally *t, int threshold)
{
	size_t nc = sig_category_count(set), size = 4096 + nc * 512;
	char *buf = malloc(size);
	struct json_buf b;
	unsigned long called = t->tp + t->fp_ham + t->spam_called_scam;
	int rc = 0;

	if (!buf)
		return -ENOMEM;
	json_init(&b, buf, size);
	json_open(&b);
	json_kv_int(&b, "messages", (long long)t->lines);
	json_kv_int(&b, "signatures", (long long)sig_set_count(set));
	json_key(&b, "versions");
	json_quoted(&b, sig_set_version(set));
	json_kv_int(&b, "threshold", threshold);
	json_kv_int(&b, "scam", (long long)t->scam);
	json_kv_int(&b, "clean", (long long)t->clean);
	json_key(&b, "categories");
	json_raw(&b, "[", 1);
	b.need_comma = false;
	for (size_t c = 0; c < nc; c++) {
		if (b.need_comma)
			json_raw(&b, ",", 1);
		json_open(&b);
		json_kv_str(&b, "name", sig_category_name(set, c));
		json_kv_str(&b, "class", class_name(sig_category_class(set, c)));
		json_kv_int(&b, "matched", (long long)t->cat[c].matched);
		json_kv_int(&b, "reported", (long long)t->cat[c].reported);
		json_kv_int(&b, "scam", (long long)t->cat[c].scam);
		json_close(&b);
	}
	json_raw(&b, "]", 1);
	b.need_comma = true;
	json_key(&b, "labels");
	json_open(&b);
	json_kv_int(&b, "scam", (long long)t->lab_scam);
	json_kv_int(&b, "ham", (long long)t->lab_ham);
	json_kv_int(&b, "spam", (long long)t->lab_spam);
	json_kv_int(&b, "other", (long long)t->lab_other);
	json_close(&b);
	json_kv_int(&b, "true_positives", (long long)t->tp);
	json_kv_int(&b, "ham_called_scam", (long long)t->fp_ham);
	json_kv_int(&b, "spam_called_scam", (long long)t->spam_called_scam);
	json_kv_int(&b, "spam_matched_spam_category", (long long)t->spam_matched_spam);
	json_key(&b, "recall");
	json_fmt(&b, "%.6f", ratio(t->tp, t->lab_scam));
	json_key(&b, "precision");
	json_fmt(&b, "%.6f", ratio(t->tp, called));
	json_key(&b, "false_positive_rate");
	json_fmt(&b, "%.6f", ratio(t->fp_ham, t->lab_ham));
	json_close(&b);
	if (json_finish(&b) < 0) {
		free(buf);
		return -SS_ETOOLONG;
	}
	FILE *f = fopen(path, "w");
	if (!f || fprintf(f, "%s\n", buf) < 0)
		rc = -errno;
	if (f && fclose(f) != 0 && rc == 0)
		rc = -errno;
	free(buf);
	return rc ? rc : 0;
}

/*
 * One message: scan and print.  @label may be NULL.  The reported category
 * is the best scam category when its score reaches the threshold, else the
 * best category overall (which may be spam or benign).
 */
static void test_line(struct sig_scanner *sc, const struct sig_set *set, struct text_norm *norm,
		      unsigned long line, const char *label, size_t label_len, const char *text, size_t len,
		      int threshold, struct tally *t, struct json_buf *b)
{
	struct sig_result r;
	int cat, score;
	bool scam;

	if (text_normalize(norm, text, len, TEXT_NORM_ALL) != 0 || sig_scan(sc, set, norm->buf, norm->len, &r) != 0)
		memset(&r, 0, sizeof(r)), r.category = r.scam_category = -1;
	scam = r.scam_category >= 0 && r.scam_score >= threshold;
	cat = scam ? r.scam_category : r.category;
	score = scam ? r.scam_score : cat >= 0 ? r.score : 0;

	t->lines++;
	if (scam)
		t->scam++;
	else
		t->clean++;
	bool spam_hit = false;
	for (size_t c = 0; c < sig_category_count(set); c++) {
		if (sig_scanner_category_score(sc, c) < 0)
			continue;
		t->cat[c].matched++;
		spam_hit |= sig_category_class(set, c) == SIG_CLASS_SPAM;
	}
	if (cat >= 0) {
		t->cat[cat].reported++;
		t->cat[cat].scam += scam;
	}
	if (label) {
		if (label_len == 4 && !memcmp(label, "scam", 4)) {
			t->lab_scam++;
			t->tp += scam;
		} else if (label_len == 3 && !memcmp(label, "ham", 3)) {
			t->lab_ham++;
			t->fp_ham += scam;
		} else if (label_len == 4 && !memcmp(label, "spam", 4)) {
			t->lab_spam++;
			t->spam_called_scam += scam;
			t->spam_matched_spam += spam_hit;
		} else {
			t->lab_other++;
		}
	}

	json_init(b, b->p, b->size);
	json_open(b);
	json_kv_int(b, "line", (long long)line);
	json_key(b, "verdict");
	json_str(b, scam ? "\"scam\"" : "\"clean\"");
	json_key(b, "category");
	if (cat >= 0)
		json_quoted(b, sig_category_name(set, (size_t)cat));
	else
		json_str(b, "null");
	json_kv_int(b, "score", score);
	json_key(b, "signatures");
	json_raw(b, "[", 1);
	for (unsigned i = 0; i < r.n_hits && i < SIG_MAX_HITS; i++) {
		if (i)
			json_raw(b, ",", 1);
		json_quoted(b, sig_id(set, r.hit[i]));
	}
	json_raw(b, "]", 1);
	if (cat >= 0) {
		json_key(b, "class");
		json_quoted(b, class_name(sig_category_class(set, (size_t)cat)));
	}
	if (label) {
		json_key(b, "label");
		json_quoted_n(b, label, label_len);
	}
	json_close(b);
	json_raw(b, "\n", 1);
}

static int cmd_test(int argc, char **argv, const char *sigpath)
{
	static const struct option lo[] = { { "signatures", required_argument, NULL, 's' },
					    { "threshold", required_argument, NULL, 't' },
					    { "json-summary", required_argument, NULL, 'j' },
					    { "help", no_argument, NULL, 'h' },
					    { NULL, 0, NULL, 0 } };
	const char *json_path = NULL, *input;
	char pathbuf[PATH_MAX + 64], outbuf[8192];
	int c, threshold = 60, status = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":s:t:j:h", lo, NULL)) != -1) {
		if (c == 's') {
			sigpath = optarg;
		} else if (c == 't') {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || v < 1 || v > 100)
				return usage_error("test", "bad --threshold '%s' (1-100)", optarg);
			threshold = (int)v;
		} else if (c == 'j') {
			json_path = optarg;
		} else if (c == 'h') {
			fputs(sig_usage, stdout);
			return 0;
		} else if (c == ':') {
			return usage_error("test", "option '%s' needs a value", argv[optind - 1]);
		} else {
			return usage_error("test", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error("test", "%s", "missing FILE (or - for stdin)");
	if (optind + 1 < argc)
		return usage_error("test", "unexpected argument '%s'", argv[optind + 1]);
	input = argv[optind];
	if (!sigpath)
		sigpath = default_signatures(pathbuf, sizeof(pathbuf));

	FILE *in = strcmp(input, "-") ? fopen(input, "rb") : stdin;
	if (!in) {
		fprintf(stderr, "simsieve sig test: %s: %s\n", input, strerror(errno));
		return 1;
	}
	struct sig_set *set = load(sigpath, "test");
	if (!set) {
		if (in != stdin)
			fclose(in);
		return 1;
	}
	struct sig_scanner *sc = NULL;
	struct tally t = { 0 };
	struct text_norm norm;
	struct json_buf b = { .p = outbuf, .size = sizeof(outbuf) };
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	text_norm_init(&norm);
	t.cat = calloc(sig_category_count(set) + 1, sizeof(*t.cat));
	if (!t.cat || sig_scanner_open(set, &sc) != 0) {
		fprintf(stderr, "simsieve sig test: out of memory\n");
		status = 1;
		goto out;
	}
	while ((n = getline(&line, &cap, in)) > 0) {
		size_t len = (size_t)n;
		const char *label = NULL, *text = line;
		size_t label_len = 0;
		if (len && line[len - 1] == '\n')
			len--;
		if (len && line[len - 1] == '\r')
			len--;
		const char *tab = memchr(line, '\t', len);
		if (tab) {
			label = line;
			label_len = (size_t)(tab - line);
			text = tab + 1;
			const char *tab2 = memchr(text, '\t', len - (size_t)(text - line));
			len = (tab2 ? (size_t)(tab2 - line) : len) - (size_t)(text - line);
		}
		test_line(sc, set, &norm, t.lines + 1, label, label_len, text, len, threshold, &t, &b);
		int w = json_finish(&b);
		if (w > 0)
			fwrite(outbuf, 1, (size_t)w, stdout);
	}
	if (ferror(in)) {
		fprintf(stderr, "simsieve sig test: %s: read error\n", input);
		status = 1;
	}
	if (fflush(stdout) != 0) {
		fprintf(stderr, "simsieve sig test: write error: %s\n", strerror(errno));
		status = 1;
	}
	summary_text(stderr, set, &t, threshold);
	if (json_path) {
		int rc = summary_json(json_path, set, &t, threshold);
		if (rc) {
			fprintf(stderr, "simsieve sig test: %s: %s\n", json_path, strerror(-rc));
			status = 1;
		}
	}
out:
	free(line);
	free(t.cat);
	text_norm_free(&norm);
	sig_scanner_close(sc);
	sig_set_free(set);
	if (in != stdin)
		fclose(in);
	return status;
}

/* ---- lint ---------------------------------------------------------------- */

static int cmd_lint(int argc, char **argv, const char *sigpath)
{
	static const struct option lo[] = { { "signatures", required_argument, NULL, 's' },
					    { "help", no_argument, NULL, 'h' },
					    { NULL, 0, NULL, 0 } };
	char pathbuf[PATH_MAX + 64];
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":s:h", lo, NULL)) != -1) {
		if (c == 's')
			sigpath = optarg;
		else if (c == 'h')
			return fputs(sig_usage, stdout), 0;
		else if (c == ':')
			return usage_error("lint", "option '%s' needs a value", argv[optind - 1]);
		else
			return usage_error("lint", "unknown option '%s'", argv[optind - 1]);
	}
	if (optind < argc && !sigpath && optind + 1 == argc)
		sigpath = argv[optind++]; /* `sig lint PATH` as a shorthand */
	if (optind < argc)
		return usage_error("lint", "unexpected argument '%s'", argv[optind]);
	if (!sigpath)
		sigpath = default_signatures(pathbuf, sizeof(pathbuf));

	ss_time_us t0 = ss_time_monotonic();
	struct sig_set *set = load(sigpath, "lint");
	if (!set)
		return 1;
	double secs = (double)(ss_time_monotonic() - t0) / 1e6;
	size_t nc = sig_category_count(set), per[3] = { 0 };
	for (size_t i = 0; i < nc; i++)
		per[sig_category_class(set, i)]++;
	printf("sig lint: %s: ok, %zu signatures, %zu categories (%zu scam, %zu spam, %zu benign), "
	       "versions: %s, database %zu KiB compiled in %.2f s\n",
	       sigpath, sig_set_count(set), nc, per[SIG_CLASS_SCAM], per[SIG_CLASS_SPAM], per[SIG_CLASS_BENIGN],
	       *sig_set_version(set) ? sig_set_version(set) : "none", (sig_set_db_bytes(set) + 1023) / 1024, secs);
	sig_set_free(set);
	return fflush(stdout) == 0 ? 0 : 1;
}

int verb_sig(int argc, char **argv)
{
	const char *sigpath = NULL;
	int i = 1;

	/* Options before the command: --signatures PATH, --help. */
	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(sig_usage, stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--signatures") && i + 1 < argc) {
			sigpath = argv[i + 1];
			i += 2;
		} else if (!strncmp(argv[i], "--signatures=", 13)) {
			sigpath = argv[i] + 13;
			i++;
		} else {
			return usage_error(NULL, "unknown option '%s' before the command", argv[i]);
		}
	}
	if (i >= argc)
		return usage_error(NULL, "%s", "missing command (test or lint)");
	if (!strcmp(argv[i], "test"))
		return cmd_test(argc - i, argv + i, sigpath);
	if (!strcmp(argv[i], "lint"))
		return cmd_lint(argc - i, argv + i, sigpath);
	return usage_error(NULL, "unknown command '%s' (test or lint)", argv[i]);
}
