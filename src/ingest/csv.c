/*
 * csv.c - streaming RFC 4180 reader (see csv.h).
 *
 * Two paths.  The fast path handles the common record with no quoted field:
 * memchr() finds the line feed, memchr() splits at delimiters, nothing is
 * copied.  A record with a field that starts with '"' goes to the slow path,
 * a small state machine run twice: once without writing to find where the
 * record ends (quoted fields may span lines and the buffer end), and once,
 * with the whole record in the buffer, to record fields and unescape ""
 * in place.  Running it twice keeps the buffer unmodified while a refill
 * may still restart the scan.
 */
#include "ingest/csv.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct csv_reader {
	FILE *f;
	int fd; /* fileno(f), or -1 for streams without one (fmemopen) */
	bool close_file;
	bool eof;
	bool at_start; /* BOM not checked yet */
	bool wipe;
	char delim;
	char *buf;
	size_t cap;	 /* allocated bytes */
	size_t cap_max;	 /* the buffer never grows past this */
	size_t pos;	 /* start of unconsumed data */
	size_t end;	 /* end of valid data */
	size_t max_record;
	size_t max_fields;
	uint64_t line; /* physical line of buf[pos] */
	struct csv_field *fields;
	size_t fields_cap;
	char errbuf[80];
};

enum { SCAN_DONE = 0, SCAN_NEED_MORE = 1, SCAN_TOO_LONG = 2, SCAN_TOO_MANY = 3 };

static void buf_free(char *buf, size_t cap, bool wipe)
{
	if (buf && wipe)
		sodium_memzero(buf, cap);
	free(buf);
}

int csv_open(FILE *f, bool close_file, const struct csv_options *opt, struct csv_reader **out)
{
	struct csv_options o = { 0 };
	struct csv_reader *r;

	*out = NULL;
	if (opt)
		o = *opt;
	if (!o.delimiter)
		o.delimiter = ',';
	if (o.delimiter == '"' || o.delimiter == '\n' || o.delimiter == '\r')
		return -EINVAL;
	if (!o.buf_size)
		o.buf_size = CSV_DEFAULT_BUF_SIZE;
	if (!o.max_record)
		o.max_record = CSV_DEFAULT_MAX_RECORD;
	if (!o.max_fields)
		o.max_fields = CSV_DEFAULT_MAX_FIELDS;
	if (o.buf_size < 16)
		o.buf_size = 16;
	if (o.max_record < 4)
		o.max_record = 4;

	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->f = f;
	r->fd = fileno(f);
	r->close_file = close_file;
	r->at_start = true;
	r->wipe = o.wipe;
	r->delim = o.delimiter;
	r->cap = o.buf_size;
	/* The buffer must be able to hold one record of max_record bytes. */
	r->cap_max = o.buf_size > o.max_record ? o.buf_size : o.max_record;
	r->max_record = o.max_record;
	r->max_fields = o.max_fields;
	r->line = 1;
	r->fields_cap = 32;
	r->buf = malloc(r->cap);
	r->fields = malloc(r->fields_cap * sizeof(*r->fields));
	if (!r->buf || !r->fields) {
		free(r->buf);
		free(r->fields);
		free(r);
		return -ENOMEM;
	}
	*out = r;
	return 0;
}

void csv_close(struct csv_reader *r)
{
	if (!r)
		return;
	buf_free(r->buf, r->cap, r->wipe);
	free(r->fields);
	if (r->close_file && r->f)
		fclose(r->f);
	free(r);
}

uint64_t csv_line(const struct csv_reader *r)
{
	return r->line;
}

/*
 * refill() - move unconsumed data to the buffer start, grow the buffer if it
 * is full (up to cap_max), and read more.  Returns 1 if bytes were added,
 * 0 at end of input (or when the buffer cannot take more), -errno on error.
 */
static int refill(struct csv_reader *r)
{
	if (r->eof)
		return 0;
	if (r->pos > 0) {
		memmove(r->buf, r->buf + r->pos, r->end - r->pos);
		r->end -= r->pos;
		r->pos = 0;
	}
	if (r->end == r->cap) {
		if (r->cap >= r->cap_max)
			return 0;
		size_t ncap = r->cap * 2 < r->cap_max ? r->cap * 2 : r->cap_max;
		char *nbuf = malloc(ncap);
		if (!nbuf)
			return -ENOMEM;
		/* Not realloc(): the old block is wiped before it is freed. */
		memcpy(nbuf, r->buf, r->end);
		buf_free(r->buf, r->cap, r->wipe);
		r->buf = nbuf;
		r->cap = ncap;
	}
	for (;;) {
		size_t want = r->cap - r->end;
		ssize_t n;
		if (r->fd >= 0) {
			n = read(r->fd, r->buf + r->end, want);
			if (n < 0) {
				if (errno == EINTR)
					continue;
				return -errno;
			}
		} else {
			n = (ssize_t)fread(r->buf + r->end, 1, want, r->f);
			if (n == 0 && ferror(r->f))
				return -EIO;
		}
		if (n == 0) {
			r->eof = true;
			return 0;
		}
		r->end += (size_t)n;
		return 1;
	}
}

static inline int add_field(struct csv_reader *r, size_t *nf, char *ptr, size_t len)
{
	if (*nf >= r->max_fields)
		return -1;
	if (*nf == r->fields_cap) {
		size_t ncap = r->fields_cap * 2;
		struct csv_field *nfl = realloc(r->fields, ncap * sizeof(*nfl));
		if (!nfl)
			return -2;
		r->fields = nfl;
		r->fields_cap = ncap;
	}
	r->fields[*nf].ptr = ptr;
	r->fields[*nf].len = len;
	(*nf)++;
	return 0;
}

/* Exact per-byte zero test: 0x80 in each byte of @x that is zero. */
static inline uint64_t zero_bytes(uint64_t x)
{
	const uint64_t lo7 = UINT64_C(0x7f7f7f7f7f7f7f7f);
	uint64_t t = (x & lo7) + lo7;
	return ~(t | x | lo7);
}

/*
 * split_fast() - split the unquoted line [@b, @e) at delimiters into
 * r->fields.  Returns 0, 1 (a field starts with '"': use the slow path),
 * -1 (too many fields) or -2 (no memory).  Eight bytes at a time: fields are
 * short (about 9 bytes in a CDR), so one memchr() call each would cost more
 * than the scan.
 */
static int split_fast(struct csv_reader *r, char *b, char *e, size_t *nfields)
{
	const char d = r->delim;
	char *fs = b; /* start of the current field */
	char *p = b;
	size_t nf = 0;
	int rc;

	if (fs < e && *fs == '"')
		return 1;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t pat = UINT64_C(0x0101010101010101) * (unsigned char)d;
	while (e - p >= 8) {
		uint64_t x;
		memcpy(&x, p, 8);
		uint64_t m = zero_bytes(x ^ pat);
		while (m) {
			char *q = p + (__builtin_ctzll(m) >> 3);
			rc = add_field(r, &nf, fs, (size_t)(q - fs));
			if (rc < 0)
				return rc;
			fs = q + 1;
			if (fs < e && *fs == '"')
				return 1;
			m &= m - 1;
		}
		p += 8;
	}
#endif
	for (; p < e; p++) {
		if (*p != d)
			continue;
		rc = add_field(r, &nf, fs, (size_t)(p - fs));
		if (rc < 0)
			return rc;
		fs = p + 1;
		if (fs < e && *fs == '"')
			return 1;
	}
	rc = add_field(r, &nf, fs, (size_t)(e - fs));
	if (rc < 0)
		return rc;
	*nfields = nf;
	return 0;
}

/*
 * scan_slow() - the quote-aware state machine over the record at r->pos.
 * @write: record fields and unescape quoted fields in place; only called
 *         after a dry run returned SCAN_DONE, so the record is all in the buffer.
 * On SCAN_DONE: *@next = offset after the record, *@lines = line feeds it
 * contains (including its terminator), *@err = a malformation or NULL.
 * Returns SCAN_*, or -ENOMEM.
 */
static int scan_slow(struct csv_reader *r, bool write, size_t *next, uint64_t *lines,
		     size_t *nfields, const char **err)
{
	char *b = r->buf;
	const size_t end = r->end;
	const char d = r->delim;
	size_t i = r->pos, nf = 0;
	uint64_t nl = 0;
	int rc;

	*err = NULL;
	for (;;) {
		size_t fstart, fend;
		bool last = false;

		if (i - r->pos > r->max_record)
			return SCAN_TOO_LONG;
		if (i < end && b[i] == '"') {
			size_t w = ++i;
			fstart = w;
			for (;;) {
				if (i >= end) {
					if (!r->eof)
						return SCAN_NEED_MORE;
					if (!*err)
						*err = "unterminated quoted field";
					break;
				}
				char c = b[i];
				if (c == '"') {
					if (i + 1 >= end && !r->eof)
						return SCAN_NEED_MORE;
					if (i + 1 < end && b[i + 1] == '"') {
						if (write)
							b[w] = '"';
						w++;
						i += 2;
						continue;
					}
					i++;
					break;
				}
				if (c == '\n') {
					nl++;
					if (i - r->pos > r->max_record)
						return SCAN_TOO_LONG;
				}
				if (write)
					b[w] = c;
				w++;
				i++;
			}
			fend = w;
			/* After the closing quote: delimiter, line end or end of input. */
			if (i < end && b[i] == '\r') {
				if (i + 1 >= end && !r->eof)
					return SCAN_NEED_MORE;
				if (i + 1 >= end || b[i + 1] == '\n')
					i++;
			}
			if (i >= end) {
				last = true;
			} else if (b[i] == d) {
				i++;
			} else if (b[i] == '\n') {
				nl++;
				i++;
				last = true;
			} else {
				/* Junk after the closing quote: reject the record, but keep
				 * scanning as unquoted so it ends where a reader would expect. */
				if (!*err)
					*err = "unexpected character after closing quote";
				while (i < end && b[i] != d && b[i] != '\n')
					i++;
				if (i >= end && !r->eof)
					return SCAN_NEED_MORE;
				if (i >= end) {
					last = true;
				} else if (b[i] == '\n') {
					nl++;
					i++;
					last = true;
				} else {
					i++;
				}
			}
		} else {
			/* Byte loop, not memchr for '\n' then the delimiter: that
			 * would rescan the rest of the line for every field. */
			size_t j = i;
			while (j < end && b[j] != d && b[j] != '\n')
				j++;
			if (j >= end && !r->eof)
				return SCAN_NEED_MORE;
			fstart = i;
			fend = j;
			if (j >= end) {
				if (fend > fstart && b[fend - 1] == '\r')
					fend--;
				i = j;
				last = true;
			} else if (b[j] == '\n') {
				if (fend > fstart && b[fend - 1] == '\r')
					fend--;
				nl++;
				i = j + 1;
				last = true;
			} else {
				i = j + 1;
			}
		}
		if (write) {
			rc = add_field(r, &nf, b + fstart, fend - fstart);
			if (rc == -2)
				return -ENOMEM;
			if (rc < 0)
				return SCAN_TOO_MANY;
		} else if (++nf > r->max_fields) {
			/* Keep scanning to find the record end; the write pass reports it. */
			nf = r->max_fields + 1;
		}
		if (last)
			break;
	}
	if (i - r->pos > r->max_record)
		return SCAN_TOO_LONG;
	*next = i;
	*lines = nl;
	*nfields = nf;
	return SCAN_DONE;
}

/* discard() - drop @n bytes at pos, counting the line feeds among them. */
static void discard(struct csv_reader *r, size_t n)
{
	const char *p = r->buf + r->pos, *e = p + n;
	while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		r->line++;
		p++;
	}
	r->pos += n;
}

/*
 * skip_too_long() - a record is over the cap: drop max_record bytes of it,
 * then everything up to and including the next line feed.
 */
static int skip_too_long(struct csv_reader *r, struct csv_record *rec)
{
	uint64_t start_line = r->line;
	size_t todrop = r->max_record;
	int rc;

	for (;;) {
		size_t avail = r->end - r->pos;
		size_t n = avail < todrop ? avail : todrop;
		discard(r, n);
		todrop -= n;
		if (todrop == 0)
			break;
		rc = refill(r);
		if (rc < 0)
			return rc;
		if (rc == 0 && r->pos == r->end)
			break;
	}
	for (;;) {
		const char *nl = memchr(r->buf + r->pos, '\n', r->end - r->pos);
		if (nl) {
			discard(r, (size_t)(nl - (r->buf + r->pos)) + 1);
			break;
		}
		r->pos = r->end;
		rc = refill(r);
		if (rc < 0)
			return rc;
		if (rc == 0 && r->pos == r->end)
			break;
	}
	snprintf(r->errbuf, sizeof(r->errbuf), "record too long (more than %zu bytes)",
		 r->max_record);
	rec->fields = NULL;
	rec->nfields = 0;
	rec->line = start_line;
	rec->error = r->errbuf;
	return 1;
}

static bool is_blank(const struct csv_field *f)
{
	for (size_t i = 0; i < f->len; i++) {
		char c = f->ptr[i];
		if (c != ' ' && c != '\t' && c != '\r')
			return false;
	}
	return true;
}

static int read_slow(struct csv_reader *r, struct csv_record *rec)
{
	size_t next, nf;
	uint64_t lines;
	const char *err;
	int rc;

	for (;;) {
		rc = scan_slow(r, false, &next, &lines, &nf, &err);
		if (rc < 0)
			return rc;
		if (rc == SCAN_TOO_LONG)
			return skip_too_long(r, rec);
		if (rc == SCAN_DONE)
			break;
		/* SCAN_NEED_MORE: the record continues past the data we have. */
		if (r->end - r->pos >= r->max_record)
			return skip_too_long(r, rec);
		rc = refill(r);
		if (rc < 0)
			return rc;
		/* rc == 0 sets eof (or the buffer is at cap_max, covered above). */
	}
	rec->line = r->line;
	if (!err) {
		rc = scan_slow(r, true, &next, &lines, &nf, &err);
		if (rc < 0)
			return rc;
		if (rc == SCAN_TOO_MANY) {
			snprintf(r->errbuf, sizeof(r->errbuf), "too many fields (more than %zu)",
				 r->max_fields);
			err = r->errbuf;
		}
	}
	r->pos = next;
	r->line += lines;
	rec->error = err;
	rec->fields = err ? NULL : r->fields;
	rec->nfields = err ? 0 : nf;
	return 1;
}

int csv_read(struct csv_reader *r, struct csv_record *rec)
{
	int rc;

	if (r->at_start) {
		while (r->end - r->pos < 3 && !r->eof) {
			rc = refill(r);
			if (rc < 0)
				return rc;
		}
		if (r->end - r->pos >= 3 && memcmp(r->buf + r->pos, "\xEF\xBB\xBF", 3) == 0)
			r->pos += 3;
		r->at_start = false;
	}
	for (;;) {
		if (r->pos == r->end) {
			rc = refill(r);
			if (rc < 0)
				return rc;
			if (r->pos == r->end)
				return 0;
		}
		char *b = r->buf + r->pos;
		size_t avail = r->end - r->pos;
		char *nl = memchr(b, '\n', avail);
		if (!nl && !r->eof) {
			if (avail >= r->max_record)
				return skip_too_long(r, rec);
			rc = refill(r);
			if (rc < 0)
				return rc;
			continue;
		}
		char *e = nl ? nl : b + avail;
		size_t reclen = (size_t)(e - b) + (nl ? 1 : 0);
		if (reclen > r->max_record)
			return skip_too_long(r, rec);
		if (e > b && e[-1] == '\r')
			e--;

		/* Fast path: no field starts with a quote. */
		size_t nf = 0;
		int fr = split_fast(r, b, e, &nf);
		if (fr == -2)
			return -ENOMEM;
		/* A quoted field, or too many fields: the slow path finds where
		 * the record really ends (quotes may hide line feeds). */
		if (fr != 0)
			return read_slow(r, rec);
		rec->line = r->line;
		r->pos += reclen;
		if (nl)
			r->line++;
		if (nf == 1 && is_blank(&r->fields[0]))
			continue;
		rec->fields = r->fields;
		rec->nfields = nf;
		rec->error = NULL;
		return 1;
	}
}
