/*
 * columns.h - plumbing shared by the CSV-backed sources (cdr.c, activation.c).
 *
 * - the column mapping file (cdr.md: "a mapping file lets an operator rename
 *   columns"): lines `canonical_name = OPERATOR_HEADER`, '#' comments;
 * - resolving a header row to canonical column indexes (case-insensitive,
 *   any order, surrounding whitespace trimmed, unknown columns ignored);
 * - the common open/next/close skeleton of a CSV source;
 * - small value parsers and the safe rendering of a bad value in messages.
 *
 * Internal to src/ingest: nothing outside the stage includes this header.
 */
#ifndef SS_INGEST_COLUMNS_H
#define SS_INGEST_COLUMNS_H

#include "ingest/csv.h"
#include "ingest/source.h"

#include "core/time.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define INGEST_MAX_COLUMNS 16 /* canonical columns of one kind */

/* One canonical column of a kind. */
struct ingest_column {
	const char *name;
	bool required; /* the header must have it */
};

/*
 * A CSV-backed source.  cdr.c and activation.c embed it first in their own
 * struct (so a struct ingest_source * converts to it).
 */
struct ingest_csv_src {
	struct ingest_source base;
	struct csv_reader *csv;
	const struct ingest_column *cols;
	size_t ncols;
	int col[INGEST_MAX_COLUMNS]; /* canonical index -> CSV field index, -1 = absent */
	size_t nfields;		     /* fields in the header row */
	unsigned input_index;
	/* Last ISO time parsed (see ingest_parse_time()). */
	char tcache[40];
	size_t tcache_len;
	ss_time_us tcache_val;
};

/*
 * ingest_csv_src_open() - open @f as a CSV source of @kind with the given
 * canonical columns, read and resolve its header.
 * @f:          the stream; closed on failure too when @close_file.
 * @name:       shown in messages ("-" is shown as "<stdin>"); copied.
 * @obj_size:   size of the embedding struct (>= sizeof(struct ingest_csv_src)),
 *              allocated zeroed.
 * @wipe:       buffers held secrets (id_doc): zero them before freeing.
 * Every failure is reported as "name[:line]: reason" on opt->errors (or
 * stderr).  Returns 0, -SS_EPARSE (header, mapping file), -SS_ECONFIG
 * (options), -ENOMEM or -errno.
 */
int ingest_csv_src_open(FILE *f, bool close_file, const char *name, const char *kind,
			const struct ingest_options *opt, const struct ingest_column *cols,
			size_t ncols, const struct ingest_source_ops *ops, size_t obj_size,
			bool wipe, struct ingest_csv_src **out);

/* ingest_csv_src_free() - close the reader and free the object.  Accepts NULL. */
void ingest_csv_src_free(struct ingest_csv_src *s);

/*
 * ingest_csv_src_record() - the next well-formed record with the header's
 * column count.  Malformed records and column-count mismatches are reported
 * and skipped here.  Returns 1, 0 at end, -errno on I/O error.
 */
int ingest_csv_src_record(struct ingest_csv_src *s, struct csv_record *rec);

/* ingest_open_error() - report an open failure as "name[:line]: reason". */
void ingest_open_error(const struct ingest_options *opt, const char *name, uint64_t line,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * ingest_mapping_check() - parse a mapping file (see docs/input-formats.md)
 * and validate it.  Used by open; exposed for `--check`-style tools and tests.
 * Returns 0 or -SS_EPARSE / -errno with "file:line: reason" in @err.
 */
int ingest_mapping_check(const char *path, char *err, size_t errsize);

/* ingest_fmt_value() - @p,@len as a quoted, escaped, truncated string for messages. */
void ingest_fmt_value(char *buf, size_t size, const char *p, size_t len);

/* The field of canonical column @c in @rec, trimmed of spaces and tabs (empty if absent). */
static inline struct csv_field ingest_field(const struct ingest_csv_src *s,
					    const struct csv_record *rec, unsigned c)
{
	struct csv_field f = { NULL, 0 };
	int i = s->col[c];
	if (i < 0)
		return f;
	f = rec->fields[i];
	while (f.len && (f.ptr[0] == ' ' || f.ptr[0] == '\t')) {
		f.ptr++;
		f.len--;
	}
	while (f.len && (f.ptr[f.len - 1] == ' ' || f.ptr[f.len - 1] == '\t'))
		f.len--;
	return f;
}

/* The field without trimming (sms_text keeps its spaces). */
static inline struct csv_field ingest_field_raw(const struct ingest_csv_src *s,
						const struct csv_record *rec, unsigned c)
{
	struct csv_field f = { NULL, 0 };
	if (s->col[c] >= 0)
		f = rec->fields[s->col[c]];
	return f;
}

/*
 * ingest_copy_digits() - copy @f into @out (size @outsize) if it is
 * @min..@max ASCII digits, after dropping one leading '+' when @plus.
 * Returns 0 or -1.
 */
int ingest_copy_digits(struct csv_field f, unsigned min, unsigned max, bool plus, char *out,
		       size_t outsize);

/*
 * ingest_copy_code() - copy a free-form code (record_id, channel, outlet,
 * other_party) of at most @outsize - 1 bytes without control characters.
 * Returns 0, -1 (too long) or -2 (control character).
 */
int ingest_copy_code(struct csv_field f, char *out, size_t outsize);

/*
 * ingest_reject() - report the record as "<column>: <what>, got \"value\""
 * (value escaped and truncated by ingest_fmt_value()).  Returns -SS_EPARSE.
 */
int ingest_reject(struct ingest_csv_src *s, uint64_t line, const char *column, const char *what,
		  struct csv_field f);

/*
 * ingest_parse_time() - ss_time_parse() with a one-entry cache: consecutive
 * rows mostly share everything but the seconds ("2026-11-02T08:15:03Z",
 * "...:07Z"), so a field equal to the last one except for the two second
 * digits is computed from it without re-parsing the date.
 * Returns 0 or -SS_EBADTIME.
 */
int ingest_parse_time(struct ingest_csv_src *s, struct csv_field f, ss_time_us *out);

/* ingest_keyword() - index of @f in @words (ASCII case-insensitive), or -1. */
int ingest_keyword(struct csv_field f, const char *const *words, size_t nwords);

#endif
