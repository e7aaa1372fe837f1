/*
 * sig_internal.h - the signature set's layout, shared by parse.c (files ->
 * set), compile.c (set -> Vectorscan database) and scan.c.  Not part of the
 * interface: callers use sig.h.
 */
#ifndef SS_SIG_SIG_INTERNAL_H
#define SS_SIG_SIG_INTERNAL_H

#include "sig/sig.h"

#include <hs.h>

/* Parser limits (docs/signatures.md, "Limits"). */
#define SIG_NAME_MAX 63		 /* ids and category names */
#define SIG_LABEL_MAX 127	 /* category labels */
#define SIG_VERSION_MAX 63	 /* a file's version token */
#define SIG_MAX_SIGS 100000	 /* signatures in one set */
#define SIG_MAX_CATEGORIES 1024	 /* categories in one set */
#define SIG_MAX_DEPTH 16	 /* nested parentheses */
#define SIG_MAX_GAP 60		 /* ..N */
#define SIG_DEFAULT_GAP 12	 /* .. */
#define SIG_MAX_REGEX 16384	 /* bytes of one compiled expression */
#define SIG_MAX_FILE (16u << 20) /* bytes of one signature file */

struct sig_entry {
	char *id;
	char *regex;	/* the compiled form (kept for lint / debugging) */
	uint32_t cat;	/* category index */
	int weight;	/* 1..100 */
	double keep;	/* 1 - weight/100: the factor a hit multiplies in */
	uint32_t file;	/* index into set->file */
	unsigned line;
};

struct sig_cat {
	char *name;
	char *label;
	enum sig_class class;
	uint32_t file; /* where declared */
	unsigned line;
};

struct sig_set {
	struct sig_entry *sig;
	size_t n_sig, cap_sig;
	struct sig_cat *cat;
	size_t n_cat, cap_cat;
	char **file; /* the files loaded, in load order */
	size_t n_file;
	char *version; /* "file.sig:V file2.sig:W" */
	hs_database_t *db; /* NULL when the set has no signature */
	size_t db_bytes;
	bool db_cached; /* loaded from the compiled-database cache (compile.c) */
};

/*
 * sig_compile() - build set->db from the signatures' regexes
 * (hs_compile_multi, one expression per signature, id = index).  On error
 * fills @err with the failing signature's file:line.
 */
int sig_compile(struct sig_set *set, struct sig_error *err);

/* sig_error_set() - fill @err (may be NULL) with file, line and a formatted reason. */
void sig_error_set(struct sig_error *err, const char *file, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
