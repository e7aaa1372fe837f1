/*
 * sig.h - scam-SMS signatures: the signature files, their compilation into
 * one multi-pattern automaton (Vectorscan), and scanning normalised texts
 * (docs/signatures.md is the format's reference).
 *
 * A signature set is immutable once loaded; hot reload builds a new set and
 * swaps it in only if the whole load succeeded, so a broken file (reported
 * with file:line) leaves the old set active.  Scanning needs a per-thread
 * scanner (Vectorscan scratch space) made for that set.
 *
 * Texts given to sig_scan() must be normalised with text_normalize(...,
 * TEXT_NORM_ALL): signatures are written against normalised text (lower
 * case, simplified characters, canonical variants, slot tokens).
 */
#ifndef SS_SIG_SIG_H
#define SS_SIG_SIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a category means for action (the file's `category` lines). */
enum sig_class {
	SIG_CLASS_SCAM = 0,	 /* fraud: the sender may be blocked */
	SIG_CLASS_SPAM = 1,	 /* marketing / illegal promotion, not fraud: monitor at most */
	SIG_CLASS_BENIGN = 2,	 /* recognised legitimate templates (bank notices...): lowers scores */
};

struct sig_error {
	char file[256];
	unsigned line; /* 0 when the error is not tied to a line */
	char msg[256];
};

struct sig_set;

/*
 * sig_set_load() - load a signature file, or every *.sig file of a directory
 * (sorted by name), parse, check and compile.  On error returns a negative
 * code and fills @err with the first problem (file:line: reason); nothing is
 * allocated then.
 */
int sig_set_load(const char *path, struct sig_set **out, struct sig_error *err);
void sig_set_free(struct sig_set *set); /* accepts NULL */

/*
 * sig_set_load_report() - sig_set_load() that goes on after an error and
 * calls @report (when not NULL) for every problem it finds, in file order
 * (`sig lint`).  Compilation runs only when parsing found nothing; it
 * reports at most one error (Vectorscan stops at the first).  @err still
 * gets the first problem.  *@out is set only on success; @out may be NULL
 * to check without keeping the set.
 */
typedef void sig_report_fn(const struct sig_error *err, void *arg);
int sig_set_load_report(const char *path, struct sig_set **out, struct sig_error *err,
			sig_report_fn *report, void *arg);

/*
 * sig_set_load_mem() - parse and compile @len bytes of signature-file text
 * (tests, fuzzing); @name is the file name errors carry.
 */
int sig_set_load_mem(const char *name, const char *text, size_t len, struct sig_set **out,
		     struct sig_error *err);

size_t sig_set_count(const struct sig_set *set);
const char *sig_set_version(const struct sig_set *set); /* the files' `version` lines joined */

/* Signature metadata by index (0 .. count-1). */
const char *sig_id(const struct sig_set *set, uint32_t index);
const char *sig_category(const struct sig_set *set, uint32_t index);
int sig_weight(const struct sig_set *set, uint32_t index);
size_t sig_category_of(const struct sig_set *set, uint32_t index); /* its category's index */
const char *sig_file(const struct sig_set *set, uint32_t index, unsigned *line); /* where defined */
const char *sig_regex(const struct sig_set *set, uint32_t index); /* the compiled expression */
size_t sig_set_db_bytes(const struct sig_set *set); /* the Vectorscan database's size */

/* Categories declared by the files. */
size_t sig_category_count(const struct sig_set *set);
const char *sig_category_name(const struct sig_set *set, size_t index);
const char *sig_category_label(const struct sig_set *set, size_t index); /* e.g. "刷单返利" */
enum sig_class sig_category_class(const struct sig_set *set, size_t index);

#define SIG_MAX_HITS 16

struct sig_result {
	int score;		/* 0..100: the best category's combined score */
	int category;		/* index of that category, -1 when nothing matched */
	enum sig_class class;	/* of that category */
	int scam_score;		/* best score among scam categories (0 if none) */
	int scam_category;	/* its index, -1 if none */
	unsigned n_hits;	/* signatures matched (may exceed SIG_MAX_HITS) */
	uint32_t hit[SIG_MAX_HITS]; /* their indices, in match order */
};

struct sig_scanner;

/* sig_scanner_open() - scratch space for scanning with @set (one per thread). */
int sig_scanner_open(const struct sig_set *set, struct sig_scanner **out);
void sig_scanner_close(struct sig_scanner *sc); /* accepts NULL */

/*
 * sig_scan() - match normalised @text (@len bytes) against @set.  The
 * scanner must have been opened for @set (or re-opened after a reload).
 * Per category, matched weights combine as 1 - prod(1 - w/100) (two
 * independent 60-weight hits give 84), capped at 100.  0 or negative code.
 */
int sig_scan(struct sig_scanner *sc, const struct sig_set *set, const char *text, size_t len,
	     struct sig_result *out);

/*
 * sig_scanner_category_score() - category @cat's score in the last
 * sig_scan() with @sc (after the benign subtraction for scam categories),
 * or -1 when none of its signatures matched.  Valid until the next scan.
 */
int sig_scanner_category_score(const struct sig_scanner *sc, size_t cat);

#endif
