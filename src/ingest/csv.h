/*
 * csv.h - streaming RFC 4180 reader.
 *
 * Implements RFC 4180 (Common Format for CSV Files) as operators' mediation
 * systems actually write it: a configurable delimiter (',' ';' '|' '\t'),
 * CRLF or LF record ends, fields quoted with '"' that may contain the
 * delimiter, doubled quotes and CR/LF line breaks (SMS text), and a UTF-8
 * byte-order mark at the start of the file, which is skipped.  A quote is
 * special only as the first byte of a field; elsewhere in an unquoted field it
 * is an ordinary character (exports in the wild write 5" display, not
 * "5"" display").
 *
 * Streaming: one read buffer (default 256 KiB) holds the current record and
 * what follows it.  It grows only when a single record is longer than the
 * buffer, and never past the record cap (default 1 MiB): a longer record
 * is returned as an error record ("record too long ...") and the reader
 * resynchronises at the next line feed after the cap.
 *
 * Ownership: fields are borrowed views into the read buffer, valid until the
 * next csv_read() or csv_close().  The caller may overwrite the bytes of a
 * field in place (to wipe a secret) but nothing outside [ptr, ptr + len).
 */
#ifndef SS_INGEST_CSV_H
#define SS_INGEST_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CSV_DEFAULT_BUF_SIZE (256u * 1024u)
#define CSV_DEFAULT_MAX_RECORD (1024u * 1024u)
#define CSV_DEFAULT_MAX_FIELDS 1024u

struct csv_options {
	char delimiter;	   /* 0 = ',' */
	size_t buf_size;   /* initial read buffer, 0 = CSV_DEFAULT_BUF_SIZE */
	size_t max_record; /* longest record in bytes incl. its line end, 0 = CSV_DEFAULT_MAX_RECORD */
	size_t max_fields; /* 0 = CSV_DEFAULT_MAX_FIELDS */
	bool wipe;	   /* zero buffers before freeing them (they held secrets) */
};

/* A borrowed field: not NUL-terminated; quotes removed, "" unescaped. */
struct csv_field {
	char *ptr;
	size_t len;
};

struct csv_record {
	const struct csv_field *fields;
	size_t nfields;
	uint64_t line;	   /* physical line (1-based) where the record starts */
	const char *error; /* NULL, or why the record is unusable (then nfields = 0) */
};

struct csv_reader;

/*
 * csv_open() - read CSV from @f.
 * @close_file: fclose(@f) in csv_close() (false for stdin or a caller's stream).
 * Reads through the file descriptor when @f has one (no stdio copy, and a
 * pipe's data is returned as soon as it arrives), else through fread().
 * Returns 0 or -ENOMEM / -EINVAL; on failure @f is left open.
 */
int csv_open(FILE *f, bool close_file, const struct csv_options *opt, struct csv_reader **out);

/*
 * csv_read() - the next record.
 * Returns 1 with *@rec filled (possibly an error record: rec->error set),
 * 0 at end of input, or -errno on a read error.  Blank lines (nothing but
 * spaces, tabs and CR) are skipped; they still count for line numbers.
 */
int csv_read(struct csv_reader *r, struct csv_record *rec);

/* csv_line() - the physical line number the next record would start on. */
uint64_t csv_line(const struct csv_reader *r);

/* csv_close() - free the reader (and close the file if it was given).  Accepts NULL. */
void csv_close(struct csv_reader *r);

#endif
