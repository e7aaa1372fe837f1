/*
 * source.h - an input that yields events.
 *
 * Every reader (CDR CSV, activation CSV, and later pcap) is a struct
 * ingest_source behind the same three calls, so the time-ordered merge and
 * the summary treat them alike.
 *
 * Bad records are data, not failures: the reader reports
 * "file:line: reason" through ingest_report_bad(), counts the record as
 * rejected, and carries on.  ingest_next() fails only on I/O errors.
 */
#ifndef SS_INGEST_SOURCE_H
#define SS_INGEST_SOURCE_H

#include "event/event.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Summary arithmetic (docs/input-formats.md): every non-blank data row is
 * either accepted or rejected, so rows = accepted + rejected.  duplicates
 * and late are subsets of accepted, counted by the merge:
 * delivered = accepted - duplicates; late records are delivered.
 */
struct ingest_counters {
	uint64_t accepted;   /* records turned into events */
	uint64_t rejected;   /* malformed records skipped */
	uint64_t duplicates; /* records dropped as duplicates (counted by the merge) */
	uint64_t late;	     /* records older than the reorder window allowed */
};

struct ingest_options {
	char delimiter;		   /* ',' by default; ';', '|', '\t' */
	const char *mapping_file;  /* column renames, NULL = none */
	const uint8_t *id_doc_key; /* key for the ID-document hash (activation) */
	size_t id_doc_key_len;	   /* 16..64 bytes */
	unsigned input_index;	   /* stored in event.input */
	FILE *errors;		   /* where bad-record messages go; NULL = stderr */
	uint64_t max_error_lines;  /* print at most this many, then only count; 0 = 100 */
};

struct ingest_source;

struct ingest_source_ops {
	/*
	 * next: 1 = *ev filled, 0 = end of input, < 0 = I/O error.  *ev is
	 * overwritten without being released first: the caller owns the text
	 * of each event it receives (ev_clear() or ev_move() it on).
	 */
	int (*next)(struct ingest_source *src, struct event *ev);
	void (*close)(struct ingest_source *src);
};

struct ingest_source {
	const struct ingest_source_ops *ops;
	char *name; /* path as given ("-" shown as "<stdin>") */
	const char *kind; /* "cdr", "activations", "pcap" */
	struct ingest_counters counters;
	FILE *errors;
	uint64_t max_error_lines;
	uint64_t error_lines_printed;
};

static inline int ingest_next(struct ingest_source *src, struct event *ev)
{
	return src->ops->next(src, ev);
}

/* ingest_close() - close and free.  Accepts NULL. */
void ingest_close(struct ingest_source *src);

/*
 * ingest_report_bad() - count a rejected record and print
 * "<name>:<line>: <reason>" (up to max_error_lines, then a single
 * "further errors not shown" line).
 */
void ingest_report_bad(struct ingest_source *src, uint64_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * ingest_cdr_open() / ingest_activation_open() - open a CSV input (path or
 * "-" for stdin) per ../shared/spec/cdr.md and activation.md.  Reads the
 * header; a header without the required columns is an error (-SS_EPARSE,
 * reported).  @out is owned by the caller (ingest_close()).
 */
int ingest_cdr_open(const char *path, const struct ingest_options *opt, struct ingest_source **out);
int ingest_activation_open(const char *path, const struct ingest_options *opt,
			   struct ingest_source **out);

/*
 * ingest_cdr_open_stream() / ingest_activation_open_stream() - the same on an
 * already open stream (a pipe, a socket, fmemopen() in tests and fuzzing).
 * @name is used in messages.  With @close_file the source fclose()s @f when
 * closed, and also when the open fails.
 * Every open failure (file, mapping file, header, options) is reported on
 * opt->errors (or stderr) as "name[:line]: reason"; callers need not print it again.
 */
int ingest_cdr_open_stream(FILE *f, const char *name, bool close_file,
			   const struct ingest_options *opt, struct ingest_source **out);
int ingest_activation_open_stream(FILE *f, const char *name, bool close_file,
				  const struct ingest_options *opt, struct ingest_source **out);

#endif
