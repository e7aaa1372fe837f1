/*
 * compile.c - a signature set's regexes -> one Vectorscan block-mode
 * database (hs_compile_multi; expression id = signature index).
 *
 * Flags: HS_FLAG_SINGLEMATCH (a signature counts once per message, and
 * Vectorscan stops tracking it after its first match) and HS_FLAG_DOTALL.
 * Not HS_FLAG_UTF8: patterns are written as bytes (parse.c), and a bounded
 * gap of N characters is (?:[\x00-\x7f\xc0-\xff][\x80-\xbf]*){0,N} - one
 * non-continuation byte and its continuation bytes, i.e. exactly one code
 * point of valid UTF-8.  Measured on 1,000 generated signatures (two or
 * three words, half the joints gaps) against the UTF-8-mode `.{0,N}`:
 * N = 12: compile 1.5-2.0 s vs 4.0-4.8 s, database 1.1 vs 3.4 MiB, scan
 * about 1.4x faster; N = 40: 4.7 s vs 23 s, 1.4 vs 4.3 MiB.  Byte mode also
 * has defined behaviour on any input, where UTF-8 mode requires valid
 * UTF-8.  HS_FLAG_ALLOWEMPTY is never set: no pattern can match empty.
 */
#include "sig/sig_internal.h"

#include "core/err.h"

#include <errno.h>
#include <stdlib.h>

int sig_compile(struct sig_set *set, struct sig_error *err)
{
	const char **expr;
	unsigned *flags, *ids;
	hs_compile_error_t *cerr = NULL;
	hs_error_t hr;
	int rc = 0;

	set->db = NULL;
	set->db_bytes = 0;
	if (set->n_sig == 0)
		return 0; /* an empty set matches nothing; there is no database */
	expr = malloc(set->n_sig * sizeof(*expr));
	flags = malloc(set->n_sig * sizeof(*flags));
	ids = malloc(set->n_sig * sizeof(*ids));
	if (!expr || !flags || !ids) {
		sig_error_set(err, "", 0, "out of memory");
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < set->n_sig; i++) {
		expr[i] = set->sig[i].regex;
		flags[i] = HS_FLAG_SINGLEMATCH | HS_FLAG_DOTALL;
		ids[i] = (unsigned)i;
	}
	hr = hs_compile_multi(expr, flags, ids, (unsigned)set->n_sig, HS_MODE_BLOCK, NULL, &set->db, &cerr);
	if (hr != HS_SUCCESS) {
		set->db = NULL;
		if (cerr && cerr->expression >= 0 && (size_t)cerr->expression < set->n_sig) {
			const struct sig_entry *e = &set->sig[cerr->expression];
			sig_error_set(err, set->file[e->file], e->line, "signature %s does not compile: %s", e->id,
				      cerr->message);
		} else {
			sig_error_set(err, set->n_file ? set->file[0] : "", 0,
				      "the signature set does not compile: %s",
				      cerr ? cerr->message : "unknown Vectorscan error");
		}
		rc = -SS_EPARSE;
		goto out;
	}
	if (hs_database_size(set->db, &set->db_bytes) != HS_SUCCESS)
		set->db_bytes = 0;
out:
	hs_free_compile_error(cerr);
	free(expr);
	free(flags);
	free(ids);
	return rc;
}
