/*
 * cdr.c - call detail records (CSV) -> events, per ../shared/spec/cdr.md.
 *
 * One row becomes one EV_CALL / EV_SMS / EV_DATA event.  Values are checked
 * strictly (a malformed row is reported as "file:line: column: reason, got
 * value" and skipped) because detectors count on identities being what their
 * names say.  docs/input-formats.md lists every accepted form.
 *
 * Hot path: no allocation except the SMS text, no strtol (hand loops over
 * already-delimited fields), keywords compared by length first.
 */
#include "ingest/columns.h"

#include "core/err.h"
#include "core/time.h"

#include <errno.h>
#include <string.h>

enum cdr_col {
	C_START_TIME,
	C_RECORD_TYPE,
	C_DIRECTION,
	C_MSISDN,
	C_IMSI,
	C_IMEI,
	C_OTHER,
	C_DURATION,
	C_ANSWERED,
	C_CELL,
	C_VPLMN,
	C_TEXT,
	C_RECORD_ID,
	C_COUNT
};

static const struct ingest_column cdr_cols[C_COUNT] = {
	[C_START_TIME] = { "start_time", true },  [C_RECORD_TYPE] = { "record_type", true },
	[C_DIRECTION] = { "direction", true },	  [C_MSISDN] = { "served_msisdn", false },
	[C_IMSI] = { "served_imsi", false },	  [C_IMEI] = { "served_imei", false },
	[C_OTHER] = { "other_party", false },	  [C_DURATION] = { "duration", false },
	[C_ANSWERED] = { "answered", false },	  [C_CELL] = { "cell_id", false },
	[C_VPLMN] = { "visited_plmn", false },	  [C_TEXT] = { "sms_text", false },
	[C_RECORD_ID] = { "record_id", false },
};

static const char *const record_types[] = { "voice", "sms", "data" };
static const uint8_t record_kinds[] = { EV_CALL, EV_SMS, EV_DATA };
static const char *const directions[] = { "mo", "mt" };
/* Even index = false, odd = true. */
static const char *const booleans[] = { "0", "1", "false", "true", "no", "yes" };

#define NWORDS(a) (sizeof(a) / sizeof((a)[0]))

/* parse_u32() - decimal digits (1..10) into *@out if <= UINT32_MAX. */
static int parse_u32(const char *p, size_t len, uint32_t *out)
{
	uint64_t v = 0;

	if (len == 0 || len > 10)
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned)(unsigned char)p[i] - '0';
		if (d > 9)
			return -1;
		v = v * 10 + d;
	}
	if (v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* parse_duration() - "37" or "37.9" (truncated to 37).  No sign, no exponent. */
static int parse_duration(struct csv_field f, uint32_t *out)
{
	const char *dot = memchr(f.ptr, '.', f.len);
	size_t ilen = dot ? (size_t)(dot - f.ptr) : f.len;

	if (dot) {
		size_t flen = f.len - ilen - 1;
		if (flen == 0)
			return -1;
		for (size_t i = 0; i < flen; i++)
			if ((unsigned)(unsigned char)dot[1 + i] - '0' > 9)
				return -1;
		if (ilen == 0) { /* ".5" */
			*out = 0;
			return 0;
		}
	}
	/* Leading zeros would otherwise count against the 10-digit limit. */
	while (ilen > 1 && f.ptr[0] == '0') {
		f.ptr++;
		ilen--;
	}
	return parse_u32(f.ptr, ilen, out);
}

/* parse_cell() - "MCC-MNC-LAC-CI", decimal: MCC 3 digits, MNC 2-3, LAC/CI up to 2^32-1. */
static int parse_cell(struct csv_field f, struct ev_cell *cell)
{
	const char *p = f.ptr, *e = f.ptr + f.len;
	const char *part[4];
	size_t plen[4];
	uint32_t v[4];

	for (int i = 0; i < 4; i++) {
		const char *dash = i < 3 ? memchr(p, '-', (size_t)(e - p)) : NULL;
		const char *pe = dash ? dash : e;
		if (i < 3 && !dash)
			return -1;
		part[i] = p;
		plen[i] = (size_t)(pe - p);
		if (parse_u32(part[i], plen[i], &v[i]) < 0)
			return -1;
		p = pe + 1;
	}
	if (plen[0] != 3 || plen[1] < 2 || plen[1] > 3)
		return -1;
	cell->mcc = (uint16_t)v[0];
	cell->mnc = (uint16_t)v[1];
	cell->lac = v[2];
	cell->ci = v[3];
	cell->present = true;
	return 0;
}

/*
 * parse_row() - fill @ev from @rec.  Returns 0, -SS_EPARSE (reported,
 * @ev cleared) or -ENOMEM.
 */
static int parse_row(struct ingest_csv_src *s, const struct csv_record *rec, struct event *ev)
{
	const uint64_t line = rec->line;
	struct csv_field f;
	int k, rc;

	ev_init(ev);
	ev->source = EV_SRC_CDR;
	ev->input = s->input_index;
	ev->line = line;

	f = ingest_field(s, rec, C_START_TIME);
	if (ingest_parse_time(s, f, &ev->time) < 0)
		return ingest_reject(s, line, "start_time",
				     "expected ISO 8601 with Z or offset, or epoch seconds", f);

	f = ingest_field(s, rec, C_RECORD_TYPE);
	k = ingest_keyword(f, record_types, NWORDS(record_types));
	if (k < 0)
		return ingest_reject(s, line, "record_type", "expected voice, sms or data", f);
	ev->kind = record_kinds[k];

	f = ingest_field(s, rec, C_DIRECTION);
	k = ingest_keyword(f, directions, NWORDS(directions));
	if (k < 0)
		return ingest_reject(s, line, "direction", "expected mo or mt", f);
	ev->direction = k == 0 ? EV_DIR_MO : EV_DIR_MT;

	f = ingest_field(s, rec, C_MSISDN);
	if (f.len && ingest_copy_digits(f, 1, 15, true, ev->msisdn, sizeof(ev->msisdn)) < 0)
		return ingest_reject(s, line, "served_msisdn", "expected 1-15 digits", f);
	f = ingest_field(s, rec, C_IMSI);
	if (f.len && ingest_copy_digits(f, 15, 15, false, ev->imsi, sizeof(ev->imsi)) < 0)
		return ingest_reject(s, line, "served_imsi", "expected 15 digits", f);
	if (!ev->msisdn[0] && !ev->imsi[0]) {
		ingest_report_bad(&s->base, line,
				  "served_msisdn, served_imsi: both empty (one is required)");
		return -SS_EPARSE;
	}
	f = ingest_field(s, rec, C_IMEI);
	if (f.len && ingest_copy_digits(f, 14, 16, false, ev->imei, sizeof(ev->imei)) < 0)
		return ingest_reject(s, line, "served_imei", "expected 14-16 digits", f);

	f = ingest_field(s, rec, C_OTHER);
	if (f.len) {
		/* "+8613..." is stored as digits; short codes and senders as given. */
		if (f.len > 1 && f.ptr[0] == '+' &&
		    ingest_copy_digits(f, 1, EV_PARTY_SIZE - 1, true, ev->other_party,
				       sizeof(ev->other_party)) == 0) {
			/* done */
		} else if ((rc = ingest_copy_code(f, ev->other_party, sizeof(ev->other_party))) < 0) {
			return ingest_reject(s, line, "other_party",
					     rc == -1 ? "longer than 32 bytes"
						      : "contains a control character",
					     f);
		}
	}

	f = ingest_field(s, rec, C_DURATION);
	if (f.len && parse_duration(f, &ev->duration) < 0)
		return ingest_reject(s, line, "duration",
				     "expected a non-negative number of seconds", f);

	f = ingest_field(s, rec, C_ANSWERED);
	if (f.len) {
		k = ingest_keyword(f, booleans, NWORDS(booleans));
		if (k < 0)
			return ingest_reject(s, line, "answered",
					     "expected 1, 0, true, false, yes or no", f);
		ev->answered = (k & 1) != 0;
	} else {
		ev->answered = ev->duration > 0;
	}

	f = ingest_field(s, rec, C_CELL);
	if (f.len && parse_cell(f, &ev->cell) < 0)
		return ingest_reject(s, line, "cell_id", "expected MCC-MNC-LAC-CI in decimal", f);

	f = ingest_field(s, rec, C_VPLMN);
	if (f.len &&
	    ingest_copy_digits(f, 5, 6, false, ev->visited_plmn, sizeof(ev->visited_plmn)) < 0)
		return ingest_reject(s, line, "visited_plmn", "expected 5-6 digits (MCC+MNC)", f);

	f = ingest_field(s, rec, C_RECORD_ID);
	if (f.len && (rc = ingest_copy_code(f, ev->record_id, sizeof(ev->record_id))) < 0)
		return ingest_reject(s, line, "record_id",
				     rc == -1 ? "longer than 47 bytes" : "contains a control character",
				     f);

	/* Last, so no earlier rejection has to free it. */
	f = ingest_field_raw(s, rec, C_TEXT);
	if (f.len && ev_set_text(ev, f.ptr, f.len) < 0)
		return -ENOMEM;
	return 0;
}

static int cdr_next(struct ingest_source *src, struct event *ev)
{
	struct ingest_csv_src *s = (struct ingest_csv_src *)src;
	struct csv_record rec;

	for (;;) {
		int rc = ingest_csv_src_record(s, &rec);
		if (rc <= 0)
			return rc;
		rc = parse_row(s, &rec, ev);
		if (rc == 0) {
			src->counters.accepted++;
			return 1;
		}
		if (rc != -SS_EPARSE)
			return rc;
	}
}

static void cdr_close(struct ingest_source *src)
{
	ingest_csv_src_free((struct ingest_csv_src *)src);
}

static const struct ingest_source_ops cdr_ops = { .next = cdr_next, .close = cdr_close };

int ingest_cdr_open_stream(FILE *f, const char *name, bool close_file,
			   const struct ingest_options *opt, struct ingest_source **out)
{
	struct ingest_csv_src *s;
	int rc;

	*out = NULL;
	rc = ingest_csv_src_open(f, close_file, name, "cdr", opt, cdr_cols, C_COUNT, &cdr_ops,
				 sizeof(*s), false, &s);
	if (rc < 0)
		return rc;
	if (s->col[C_MSISDN] < 0 && s->col[C_IMSI] < 0) {
		ingest_open_error(opt, s->base.name, 0,
				  "header lacks required column(s): served_msisdn or served_imsi");
		ingest_csv_src_free(s);
		return -SS_EPARSE;
	}
	*out = &s->base;
	return 0;
}

int ingest_cdr_open(const char *path, const struct ingest_options *opt, struct ingest_source **out)
{
	FILE *f;

	*out = NULL;
	if (strcmp(path, "-") == 0)
		return ingest_cdr_open_stream(stdin, "-", false, opt, out);
	f = fopen(path, "rb");
	if (!f) {
		int rc = -errno;
		ingest_open_error(opt, path, 0, "cannot open: %s", strerror(errno));
		return rc;
	}
	return ingest_cdr_open_stream(f, path, true, opt, out);
}
