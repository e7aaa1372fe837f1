/*
 * columns.c - header resolution, mapping file and the CSV source skeleton
 * shared by cdr.c and activation.c (see columns.h; spec: cdr.md "Columns are
 * found by header name", activation.md "Same CSV rules as cdr.md").
 */
#include "ingest/columns.h"

#include "core/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/*
 * Every canonical name of every CSV kind.  One mapping file may serve both
 * the CDR and the activation feed, so a name valid for either kind is
 * accepted and simply unused by the other (the two sets do not overlap).
 */
static const char *const all_canonical[] = {
	/* cdr.md */
	"start_time", "record_type", "direction", "served_msisdn", "served_imsi",
	"served_imei", "other_party", "duration", "answered", "cell_id", "visited_plmn",
	"sms_text", "record_id",
	/* activation.md */
	"time", "event", "msisdn", "imsi", "iccid", "id_doc", "id_type", "channel", "outlet",
	"sim_type",
};

struct mapping_entry {
	const char *canonical; /* points into all_canonical */
	char *header;
};

struct mapping {
	struct mapping_entry *v;
	size_t n, cap;
};

static char ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool name_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen != blen)
		return false;
	for (size_t i = 0; i < alen; i++)
		if (ascii_lower(a[i]) != ascii_lower(b[i]))
			return false;
	return true;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void trim(const char **p, size_t *len)
{
	while (*len && is_space(**p)) {
		(*p)++;
		(*len)--;
	}
	while (*len && is_space((*p)[*len - 1]))
		(*len)--;
}

static void mapping_free(struct mapping *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].header);
	free(m->v);
	m->v = NULL;
	m->n = m->cap = 0;
}

/* mapping_load() - parse @path into @m.  Errors as "path:line: reason" in @err. */
static int mapping_load(const char *path, struct mapping *m, char *err, size_t errsize)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t linecap = 0;
	ssize_t got;
	unsigned lineno = 0;
	int rc = 0;

	memset(m, 0, sizeof(*m));
	if (!f) {
		rc = -errno;
		snprintf(err, errsize, "%s: cannot open mapping file: %s", path, strerror(-rc));
		return rc;
	}
	while ((got = getline(&line, &linecap, f)) > 0) {
		const char *p = line, *eq, *name, *hdr;
		size_t len = (size_t)got, nlen, hlen;

		lineno++;
		if (lineno == 1 && len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
			p += 3;
			len -= 3;
		}
		trim(&p, &len);
		if (len == 0 || p[0] == '#')
			continue;
		eq = memchr(p, '=', len);
		if (!eq) {
			snprintf(err, errsize, "%s:%u: expected \"canonical_name = HEADER\"", path,
				 lineno);
			rc = -SS_EPARSE;
			goto out;
		}
		name = p;
		nlen = (size_t)(eq - p);
		hdr = eq + 1;
		hlen = len - nlen - 1;
		trim(&name, &nlen);
		trim(&hdr, &hlen);
		if (hlen >= 1 && hdr[0] == '"') {
			/* A quoted header keeps spaces, '=' or '#' inside it. */
			const char *q = memchr(hdr + 1, '"', hlen - 1);
			if (!q) {
				snprintf(err, errsize, "%s:%u: unterminated quoted header name", path,
					 lineno);
				rc = -SS_EPARSE;
				goto out;
			}
			hlen = (size_t)(q - hdr - 1);
			hdr++;
		} else {
			/* A '#' after whitespace starts a trailing comment. */
			for (size_t i = 1; i < hlen; i++) {
				if (hdr[i] == '#' && (hdr[i - 1] == ' ' || hdr[i - 1] == '\t')) {
					hlen = i;
					break;
				}
			}
			trim(&hdr, &hlen);
		}
		const char *canon = NULL;
		for (size_t i = 0; i < sizeof(all_canonical) / sizeof(all_canonical[0]); i++)
			if (name_eq(name, nlen, all_canonical[i], strlen(all_canonical[i])))
				canon = all_canonical[i];
		if (!canon) {
			char v[80];
			ingest_fmt_value(v, sizeof(v), name, nlen);
			snprintf(err, errsize, "%s:%u: unknown canonical column %s", path, lineno, v);
			rc = -SS_EPARSE;
			goto out;
		}
		if (hlen == 0) {
			snprintf(err, errsize, "%s:%u: empty header name for %s", path, lineno, canon);
			rc = -SS_EPARSE;
			goto out;
		}
		if (m->n == m->cap) {
			size_t ncap = m->cap ? m->cap * 2 : 16;
			struct mapping_entry *nv = realloc(m->v, ncap * sizeof(*nv));
			if (!nv) {
				rc = -ENOMEM;
				snprintf(err, errsize, "%s: out of memory", path);
				goto out;
			}
			m->v = nv;
			m->cap = ncap;
		}
		m->v[m->n].canonical = canon;
		m->v[m->n].header = strndup(hdr, hlen);
		if (!m->v[m->n].header) {
			rc = -ENOMEM;
			snprintf(err, errsize, "%s: out of memory", path);
			goto out;
		}
		m->n++;
	}
	if (ferror(f)) {
		rc = -EIO;
		snprintf(err, errsize, "%s: read error", path);
	}
out:
	free(line);
	fclose(f);
	if (rc < 0)
		mapping_free(m);
	return rc;
}

int ingest_mapping_check(const char *path, char *err, size_t errsize)
{
	struct mapping m;
	int rc = mapping_load(path, &m, err, errsize);
	if (rc == 0)
		mapping_free(&m);
	return rc;
}

void ingest_open_error(const struct ingest_options *opt, const char *name, uint64_t line,
		       const char *fmt, ...)
{
	FILE *out = (opt && opt->errors) ? opt->errors : stderr;
	va_list ap;

	if (line)
		fprintf(out, "%s:%llu: ", name, (unsigned long long)line);
	else
		fprintf(out, "%s: ", name);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
	fflush(out);
}

void ingest_fmt_value(char *buf, size_t size, const char *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const size_t show = 40; /* bytes of the value shown before "..." */
	size_t o = 0;

	if (size < 8) {
		if (size)
			buf[0] = '\0';
		return;
	}
	buf[o++] = '"';
	for (size_t i = 0; i < len && i < show; i++) {
		unsigned char c = (unsigned char)p[i];
		/* Room for the worst case (\xNN), the closing quote, "..." and NUL. */
		if (o + 4 + 1 + 3 + 1 > size)
			break;
		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
			buf[o++] = '\\';
			if (c == '"' || c == '\\') {
				buf[o++] = (char)c;
			} else {
				buf[o++] = 'x';
				buf[o++] = hex[c >> 4];
				buf[o++] = hex[c & 15];
			}
		} else {
			buf[o++] = (char)c;
		}
	}
	buf[o++] = '"';
	if (len > show && o + 4 <= size) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
}

/*
 * all_digits() / has_control() - eight bytes at a time: identities are 13-20
 * bytes and these run several times a row, so a byte loop was a tenth of the
 * parse.  Both are exact (the carries they can produce only occur in words
 * that already fail).
 */
static bool all_digits(const char *p, size_t len)
{
	const uint64_t hi = UINT64_C(0xF0F0F0F0F0F0F0F0), d30 = UINT64_C(0x3030303030303030);
	const uint64_t six = UINT64_C(0x0606060606060606);
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t x;
		memcpy(&x, p + i, 8);
		if ((x & hi) != d30 || ((x + six) & hi) != d30)
			return false;
	}
	if (len >= 8 && i < len) { /* the tail as one overlapping word */
		uint64_t x;
		memcpy(&x, p + len - 8, 8);
		return (x & hi) == d30 && ((x + six) & hi) == d30;
	}
	for (; i < len; i++)
		if ((unsigned)(unsigned char)p[i] - '0' > 9)
			return false;
	return true;
}

static bool has_control(const char *p, size_t len)
{
	const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t x, y;
		memcpy(&x, p + i, 8);
		y = x ^ (ones * 0x7f);
		/* any byte < 0x20, or any byte == 0x7f */
		if (((x - ones * 0x20) & ~x & highs) || ((y - ones) & ~y & highs))
			return true;
	}
	if (len >= 8 && i < len) { /* the tail as one overlapping word */
		uint64_t x, y;
		memcpy(&x, p + len - 8, 8);
		y = x ^ (ones * 0x7f);
		return ((x - ones * 0x20) & ~x & highs) || ((y - ones) & ~y & highs);
	}
	for (; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c < 0x20 || c == 0x7f)
			return true;
	}
	return false;
}

int ingest_copy_digits(struct csv_field f, unsigned min, unsigned max, bool plus, char *out,
		       size_t outsize)
{
	const char *p = f.ptr;
	size_t len = f.len;

	if (plus && len && p[0] == '+') {
		p++;
		len--;
	}
	if (len < min || len > max || len >= outsize || !all_digits(p, len))
		return -1;
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

int ingest_copy_code(struct csv_field f, char *out, size_t outsize)
{
	if (f.len >= outsize)
		return -1;
	if (has_control(f.ptr, f.len))
		return -2;
	memcpy(out, f.ptr, f.len);
	out[f.len] = '\0';
	return 0;
}

int ingest_parse_time(struct ingest_csv_src *s, struct csv_field f, ss_time_us *out)
{
	/* "YYYY-MM-DDTHH:MM:SS": the seconds are bytes 17 and 18. */
	if (f.len >= 20 && f.len == s->tcache_len) {
		const char *p = f.ptr, *c = s->tcache;
		unsigned s1 = (unsigned)(unsigned char)p[17] - '0';
		unsigned s0 = (unsigned)(unsigned char)p[18] - '0';
		if (s1 <= 5 && s0 <= 9 && memcmp(p, c, 17) == 0 &&
		    memcmp(p + 19, c + 19, f.len - 19) == 0) {
			unsigned old = (unsigned)(c[17] - '0') * 10 + (unsigned)(c[18] - '0');
			*out = s->tcache_val + ((ss_time_us)(s1 * 10 + s0) - (ss_time_us)old) *
						       SS_US_PER_SEC;
			return 0;
		}
	}
	int rc = ss_time_parse(f.ptr, f.len, out);
	if (rc < 0)
		return rc;
	/* Cache only the plain ISO shape whose seconds are two digits 00-59. */
	if (f.len >= 20 && f.len <= sizeof(s->tcache) && f.ptr[4] == '-' && f.ptr[16] == ':' &&
	    f.ptr[17] >= '0' && f.ptr[17] <= '5' && f.ptr[18] >= '0' && f.ptr[18] <= '9' &&
	    (f.ptr[19] < '0' || f.ptr[19] > '9')) {
		memcpy(s->tcache, f.ptr, f.len);
		s->tcache_len = f.len;
		s->tcache_val = *out;
	} else {
		s->tcache_len = 0;
	}
	return 0;
}

int ingest_reject(struct ingest_csv_src *s, uint64_t line, const char *column, const char *what,
		  struct csv_field f)
{
	char v[64];

	if (f.len == 0) {
		ingest_report_bad(&s->base, line, "%s: %s, got an empty value", column, what);
		return -SS_EPARSE;
	}
	ingest_fmt_value(v, sizeof(v), f.ptr, f.len);
	ingest_report_bad(&s->base, line, "%s: %s, got %s", column, what, v);
	return -SS_EPARSE;
}

int ingest_keyword(struct csv_field f, const char *const *words, size_t nwords)
{
	/* Words are lower case; no strlen(): stop at the first mismatch. */
	for (size_t i = 0; i < nwords; i++) {
		const char *w = words[i];
		size_t j = 0;
		while (j < f.len && w[j] && ascii_lower(f.ptr[j]) == w[j])
			j++;
		if (j == f.len && !w[j])
			return (int)i;
	}
	return -1;
}

/* Does header field @h select canonical column @canon (by its name or a mapped alias)? */
static bool header_selects(const char *h, size_t hlen, const char *canon, const struct mapping *m)
{
	if (name_eq(h, hlen, canon, strlen(canon)))
		return true;
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].canonical == canon || strcmp(m->v[i].canonical, canon) == 0)
			if (name_eq(h, hlen, m->v[i].header, strlen(m->v[i].header)))
				return true;
	return false;
}

static int resolve_header(struct ingest_csv_src *s, const struct csv_record *hdr,
			  const struct mapping *m, const struct ingest_options *opt)
{
	char missing[256];
	size_t mlen = 0;

	missing[0] = '\0';
	for (size_t c = 0; c < s->ncols; c++) {
		s->col[c] = -1;
		for (size_t j = 0; j < hdr->nfields; j++) {
			const char *h = hdr->fields[j].ptr;
			size_t hlen = hdr->fields[j].len;
			trim(&h, &hlen);
			if (!header_selects(h, hlen, s->cols[c].name, m))
				continue;
			if (s->col[c] >= 0) {
				ingest_open_error(opt, s->base.name, hdr->line,
						  "columns %d and %zu both give %s", s->col[c] + 1,
						  j + 1, s->cols[c].name);
				return -SS_EPARSE;
			}
			s->col[c] = (int)j;
		}
		if (s->col[c] < 0 && s->cols[c].required) {
			int n = snprintf(missing + mlen, sizeof(missing) - mlen, "%s%s",
					 mlen ? ", " : "", s->cols[c].name);
			if (n > 0 && (size_t)n < sizeof(missing) - mlen)
				mlen += (size_t)n;
		}
	}
	if (mlen) {
		ingest_open_error(opt, s->base.name, hdr->line,
				  "header lacks required column(s): %s", missing);
		return -SS_EPARSE;
	}
	return 0;
}

void ingest_csv_src_free(struct ingest_csv_src *s)
{
	if (!s)
		return;
	csv_close(s->csv);
	free(s->base.name);
	free(s);
}

int ingest_csv_src_open(FILE *f, bool close_file, const char *name, const char *kind,
			const struct ingest_options *opt, const struct ingest_column *cols,
			size_t ncols, const struct ingest_source_ops *ops, size_t obj_size,
			bool wipe, struct ingest_csv_src **out)
{
	struct ingest_options o = { 0 };
	struct ingest_csv_src *s = NULL;
	struct mapping m = { 0 };
	struct csv_record hdr;
	char err[512];
	int rc;

	*out = NULL;
	if (opt)
		o = *opt;
	if (!name || strcmp(name, "-") == 0)
		name = "<stdin>";
	if (!o.delimiter)
		o.delimiter = ',';
	if (ncols > INGEST_MAX_COLUMNS || obj_size < sizeof(*s)) {
		rc = -EINVAL;
		goto fail_early;
	}
	if (o.delimiter != ',' && o.delimiter != ';' && o.delimiter != '|' &&
	    o.delimiter != '\t') {
		ingest_open_error(&o, name, 0, "unsupported delimiter (use , ; | or tab)");
		rc = -SS_ECONFIG;
		goto fail_early;
	}
	if (o.mapping_file) {
		rc = mapping_load(o.mapping_file, &m, err, sizeof(err));
		if (rc < 0) {
			FILE *eo = o.errors ? o.errors : stderr;
			fprintf(eo, "%s\n", err);
			fflush(eo);
			goto fail_early;
		}
	}
	s = calloc(1, obj_size);
	if (!s) {
		rc = -ENOMEM;
		goto fail_early;
	}
	s->base.ops = ops;
	s->base.kind = kind;
	s->base.errors = o.errors ? o.errors : stderr;
	s->base.max_error_lines = o.max_error_lines ? o.max_error_lines : 100;
	s->base.name = strdup(name);
	s->cols = cols;
	s->ncols = ncols;
	s->input_index = o.input_index;
	if (!s->base.name) {
		rc = -ENOMEM;
		goto fail_early;
	}
	struct csv_options co = { .delimiter = o.delimiter, .wipe = wipe };
	rc = csv_open(f, close_file, &co, &s->csv);
	if (rc < 0)
		goto fail_early;
	close_file = false; /* the reader owns f now */

	rc = csv_read(s->csv, &hdr); /* blank lines before the header are skipped */
	if (rc < 0) {
		ingest_open_error(&o, name, 0, "read error: %s", ss_strerror(rc));
		goto fail;
	}
	if (rc == 0) {
		ingest_open_error(&o, name, 0, "empty input: no header row");
		rc = -SS_EPARSE;
		goto fail;
	}
	if (hdr.error) {
		ingest_open_error(&o, name, hdr.line, "header: %s", hdr.error);
		rc = -SS_EPARSE;
		goto fail;
	}
	s->nfields = hdr.nfields;
	rc = resolve_header(s, &hdr, &m, &o);
	if (rc < 0)
		goto fail;
	mapping_free(&m);
	*out = s;
	return 0;

fail_early:
	if (rc == -ENOMEM)
		ingest_open_error(&o, name, 0, "out of memory");
	if (close_file && f)
		fclose(f);
fail:
	mapping_free(&m);
	ingest_csv_src_free(s);
	return rc;
}

int ingest_csv_src_record(struct ingest_csv_src *s, struct csv_record *rec)
{
	for (;;) {
		int rc = csv_read(s->csv, rec);
		if (rc <= 0)
			return rc;
		if (rec->error) {
			ingest_report_bad(&s->base, rec->line, "%s", rec->error);
			continue;
		}
		if (rec->nfields != s->nfields) {
			ingest_report_bad(&s->base, rec->line, "expected %zu columns, found %zu",
					  s->nfields, rec->nfields);
			continue;
		}
		return 1;
	}
}
