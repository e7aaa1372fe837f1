/*
 * check_cdr.c - CDR and activation CSV sources (src/ingest/cdr.c,
 * activation.c, columns.c, source.c) against ../shared/spec/cdr.md and
 * activation.md: header resolution, mapping file, every value rule, every
 * rejection message ("file:line: reason") and the counters.
 */
#include "core/err.h"
#include "ingest/columns.h"
#include "ingest/source.h"

#include <check.h>
#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CDR_HEADER                                                                           \
	"start_time,record_type,direction,served_msisdn,served_imsi,served_imei,other_party,"   \
	"duration,answered,cell_id,visited_plmn,sms_text,record_id\n"

/* ---- helpers ---- */

struct tmp_input {
	char path[64];
	char *errs;
	size_t errs_len;
	FILE *errf;
	struct ingest_options opt;
};

static void tmp_write(struct tmp_input *t, const char *content)
{
	strcpy(t->path, "/tmp/check_cdr_XXXXXX");
	int fd = mkstemp(t->path);
	ck_assert_int_ge(fd, 0);
	size_t len = strlen(content);
	ck_assert_int_eq(write(fd, content, len), (ssize_t)len);
	close(fd);
	t->errs = NULL;
	t->errf = open_memstream(&t->errs, &t->errs_len);
	ck_assert_ptr_nonnull(t->errf);
	memset(&t->opt, 0, sizeof(t->opt));
	t->opt.errors = t->errf;
	t->opt.input_index = 3;
}

/* The error text so far (stays owned by @t). */
static const char *tmp_errors(struct tmp_input *t)
{
	fflush(t->errf);
	return t->errs ? t->errs : "";
}

static void tmp_done(struct tmp_input *t)
{
	fclose(t->errf);
	free(t->errs);
	unlink(t->path);
}

/* Read every event of @src; returns the count, events in @evs (up to @max). */
static size_t read_all(struct ingest_source *src, struct event *evs, size_t max)
{
	size_t n = 0;
	struct event ev;
	int rc;

	ev_init(&ev);
	while ((rc = ingest_next(src, &ev)) == 1) {
		if (n < max)
			ev_move(&evs[n], &ev);
		else
			ev_clear(&ev);
		n++;
	}
	ck_assert_int_eq(rc, 0);
	return n;
}

static void clear_all(struct event *evs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ev_clear(&evs[i]);
}

/* ---- CDR ---- */

START_TEST(test_cdr_full_row)
{
	struct tmp_input t;
	struct ingest_source *src;
	struct event evs[4] = { 0 };

	/* Any order, any case, spaces around names, an unknown column, a BOM. */
	tmp_write(&t, "\xEF\xBB\xBF Record_ID ,OTHER_PARTY,sms_text,Start_Time,record_type, direction,"
		      "served_msisdn,served_imsi,served_imei,duration,cell_id,visited_plmn,"
		      "operator_junk\r\n"
		      "A93F-0001,+8613911112222,\"hi, \"\"there\"\"\",2026-11-02T08:15:03Z,VOICE,Mo,"
		      "+8613800138000,460001234567890,86723404123456,37.9,460-00-4567-12345,41401,"
		      "x\r\n");
	ck_assert_int_eq(ingest_cdr_open(t.path, &t.opt, &src), 0);
	ck_assert_str_eq(src->kind, "cdr");
	ck_assert_uint_eq(read_all(src, evs, 4), 1);
	const struct event *e = &evs[0];
	ck_assert_int_eq(e->time, INT64_C(1793607303) * SS_US_PER_SEC);
	ck_assert_int_eq(e->kind, EV_CALL);
	ck_assert_int_eq(e->direction, EV_DIR_MO);
	ck_assert_int_eq(e->source, EV_SRC_CDR);
	ck_assert_uint_eq(e->input, 3);
	ck_assert_uint_eq(e->line, 2);
	ck_assert_str_eq(e->msisdn, "8613800138000");
	ck_assert_str_eq(e->imsi, "460001234567890");
	ck_assert_str_eq(e->imei, "86723404123456");
	ck_assert_str_eq(e->other_party, "8613911112222");
	ck_assert_uint_eq(e->duration, 37);
	ck_assert(e->answered);
	ck_assert(e->cell.present);
	ck_assert_uint_eq(e->cell.mcc, 460);
	ck_assert_uint_eq(e->cell.mnc, 0);
	ck_assert_uint_eq(e->cell.lac, 4567);
	ck_assert_uint_eq(e->cell.ci, 12345);
	ck_assert_str_eq(e->visited_plmn, "41401");
	ck_assert_str_eq(e->record_id, "A93F-0001");
	ck_assert_ptr_nonnull(e->text);
	ck_assert_str_eq(e->text, "hi, \"there\"");
	ck_assert_uint_eq(src->counters.accepted, 1);
	ck_assert_uint_eq(src->counters.rejected, 0);
	ck_assert_str_eq(tmp_errors(&t), "");
	clear_all(evs, 1);
	ingest_close(src);
	tmp_done(&t);
}
END_TEST

/* Only the required columns; values optional elsewhere; answered from duration. */
START_TEST(test_cdr_minimal_and_defaults)
{
	struct tmp_input t;
	struct ingest_source *src;
	struct event evs[8] = { 0 };

	tmp_write(&t, "start_time,record_type,direction,served_imsi,duration,answered,other_party\n"
		      "1793600103,sms,mt,460001234567890,,,Bank-Alert\n"
		      "1793600104,voice,mo,460001234567890,12,,10086\n"
		      "1793600105,voice,mo,460001234567890,0,yes,+\n"
		      "1793600106,data,MT,460001234567890, 5 ,False,\n"
		      "\n\n");
	ck_assert_int_eq(ingest_cdr_open(t.path, &t.opt, &src), 0);
	ck_assert_uint_eq(read_all(src, evs, 8), 4);
	ck_assert_int_eq(evs[0].kind, EV_SMS);
	ck_assert_int_eq(evs[0].direction, EV_DIR_MT);
	ck_assert_str_eq(evs[0].msisdn, "");
	ck_assert_str_eq(evs[0].other_party, "Bank-Alert");
	ck_assert(!evs[0].answered);
	ck_assert(!evs[0].cell.present);
	ck_assert_ptr_null(evs[0].text);
	ck_assert(evs[1].answered);
	ck_assert_uint_eq(evs[1].duration, 12);
	ck_assert_str_eq(evs[1].other_party, "10086");
	ck_assert(evs[2].answered);
	ck_assert_str_eq(evs[2].other_party, "+");
	ck_assert_int_eq(evs[3].kind, EV_DATA);
	ck_assert_uint_eq(evs[3].duration, 5);
	ck_assert(!evs[3].answered);
	ck_assert_uint_eq(src->counters.rejected, 0);
	clear_all(evs, 4);
	ingest_close(src);
	tmp_done(&t);
}
END_TEST

static const struct {
	const char *in;
	int64_t want_s; /* seconds; fractional cases use want_us */
	int64_t want_us;
} time_vecs[] = {
	{ "2026-11-02T08:15:03Z", 1793607303, 0 },
	{ "2026-11-02t08:15:03z", 1793607303, 0 },
	{ "2026-11-02 08:15:03Z", 1793607303, 0 },
	{ "2026-11-02T16:15:03+08:00", 1793607303, 0 },
	{ "2026-11-02T16:15:03+0800", 1793607303, 0 },
	{ "2026-11-02T03:15:03-05:00", 1793607303, 0 },
	{ "2026-11-02T08:15:03.250Z", 1793607303, 250000 },
	{ "\"2026-11-02T08:15:03,5+00:00\"", 1793607303, 500000 }, /* quoted: has a comma */
	{ "1793607303", 1793607303, 0 },
	{ "1793607303.75", 1793607303, 750000 },
	{ "0", 0, 0 },
	/* The cache in ingest_parse_time(): same prefix, other seconds, then other zone. */
	{ "2026-11-02T08:15:59Z", 1793607359, 0 },
	{ "2026-11-02T08:15:00Z", 1793607300, 0 },
	{ "2026-11-02T08:15:00+01:00", 1793603700, 0 },
	{ "2026-11-02T08:15:07+01:00", 1793603707, 0 },
	{ "2024-02-29T23:59:59Z", 1709251199, 0 },
};

START_TEST(test_cdr_time_formats)
{
	struct tmp_input t;
	struct ingest_source *src;
	size_t n = sizeof(time_vecs) / sizeof(time_vecs[0]);
	struct event evs[32] = { 0 };
	char *content = NULL;
	size_t clen = 0;
	FILE *c = open_memstream(&content, &clen);

	fputs("start_time,record_type,direction,served_msisdn\n", c);
	for (size_t i = 0; i < n; i++)
		fprintf(c, "%s,voice,mo,1\n", time_vecs[i].in);
	fclose(c);
	tmp_write(&t, content);
	free(content);
	ck_assert_int_eq(ingest_cdr_open(t.path, &t.opt, &src), 0);
	ck_assert_uint_eq(read_all(src, evs, 32), n);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(evs[i].time == time_vecs[i].want_s * SS_US_PER_SEC + time_vecs[i].want_us,
			      "%s: got %lld", time_vecs[i].in, (long long)evs[i].time);
	ck_assert_str_eq(tmp_errors(&t), "");
	clear_all(evs, n);
	ingest_close(src);
	tmp_done(&t);
}
END_TEST

/* Each rejection reason, its exact message, and that processing continues. */
static const struct {
	const char *row; /* the 13 columns of CDR_HEADER */
	const char *msg; /* after "path:line: " */
} bad_rows[] = {
	{ "2026-11-02T08:15:03Z,voice,mo,1,,,,,,,,", "expected 13 columns, found 12" },
	{ "2026-11-02T08:15:03Z,voice,mo,1,,,,,,,,,,", "expected 13 columns, found 14" },
	{ ",voice,mo,1,,,,,,,,,",
	  "start_time: expected ISO 8601 with Z or offset, or epoch seconds, got an empty value" },
	{ "2026-11-02T08:15:03,voice,mo,1,,,,,,,,,",
	  "start_time: expected ISO 8601 with Z or offset, or epoch seconds, got "
	  "\"2026-11-02T08:15:03\"" },
	{ "2026-02-30T08:15:03Z,voice,mo,1,,,,,,,,,",
	  "start_time: expected ISO 8601 with Z or offset, or epoch seconds, got "
	  "\"2026-02-30T08:15:03Z\"" },
	{ "yesterday,voice,mo,1,,,,,,,,,",
	  "start_time: expected ISO 8601 with Z or offset, or epoch seconds, got \"yesterday\"" },
	{ "1793607303,fax,mo,1,,,,,,,,,", "record_type: expected voice, sms or data, got \"fax\"" },
	{ "1793607303,voice,in,1,,,,,,,,,", "direction: expected mo or mt, got \"in\"" },
	{ "1793607303,voice,mo,86-138,,,,,,,,,",
	  "served_msisdn: expected 1-15 digits, got \"86-138\"" },
	{ "1793607303,voice,mo,1234567890123456,,,,,,,,,",
	  "served_msisdn: expected 1-15 digits, got \"1234567890123456\"" },
	{ "1793607303,voice,mo,,46000123456789,,,,,,,,",
	  "served_imsi: expected 15 digits, got \"46000123456789\"" },
	{ "1793607303,voice,mo,,46000123456789A,,,,,,,,",
	  "served_imsi: expected 15 digits, got \"46000123456789A\"" },
	{ "1793607303,voice,mo,,,,,,,,,,", "served_msisdn, served_imsi: both empty (one is required)" },
	{ "1793607303,voice,mo,1,,1234567890123,,,,,,,",
	  "served_imei: expected 14-16 digits, got \"1234567890123\"" },
	{ "1793607303,sms,mo,1,,,ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456,,,,,,",
	  "other_party: longer than 32 bytes, got \"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456\"" },
	{ "1793607303,sms,mo,1,,,\"a\tb\",,,,,,",
	  "other_party: contains a control character, got \"a\\x09b\"" },
	{ "1793607303,voice,mo,1,,,,-5,,,,,",
	  "duration: expected a non-negative number of seconds, got \"-5\"" },
	{ "1793607303,voice,mo,1,,,,12s,,,,,",
	  "duration: expected a non-negative number of seconds, got \"12s\"" },
	{ "1793607303,voice,mo,1,,,,99999999999,,,,,",
	  "duration: expected a non-negative number of seconds, got \"99999999999\"" },
	{ "1793607303,voice,mo,1,,,,3.,,,,,",
	  "duration: expected a non-negative number of seconds, got \"3.\"" },
	{ "1793607303,voice,mo,1,,,,3,maybe,,,,",
	  "answered: expected 1, 0, true, false, yes or no, got \"maybe\"" },
	{ "1793607303,voice,mo,1,,,,,,460-00-4567,,,",
	  "cell_id: expected MCC-MNC-LAC-CI in decimal, got \"460-00-4567\"" },
	{ "1793607303,voice,mo,1,,,,,,460-00-4567-1A,,,",
	  "cell_id: expected MCC-MNC-LAC-CI in decimal, got \"460-00-4567-1A\"" },
	{ "1793607303,voice,mo,1,,,,,,46-00-1-1,,,",
	  "cell_id: expected MCC-MNC-LAC-CI in decimal, got \"46-00-1-1\"" },
	{ "1793607303,voice,mo,1,,,,,,460-00-1-4294967296,,,",
	  "cell_id: expected MCC-MNC-LAC-CI in decimal, got \"460-00-1-4294967296\"" },
	{ "1793607303,voice,mo,1,,,,,,460-00-1-1-1,,,",
	  "cell_id: expected MCC-MNC-LAC-CI in decimal, got \"460-00-1-1-1\"" },
	{ "1793607303,voice,mo,1,,,,,,,4140,,",
	  "visited_plmn: expected 5-6 digits (MCC+MNC), got \"4140\"" },
	{ "1793607303,voice,mo,1,,,,,,,,,0123456789012345678901234567890123456789012345678",
	  "record_id: longer than 47 bytes, got \"0123456789012345678901234567890123456789\"..." },
	{ "1793607303,voice,mo,1,,,,,,,,,\"id\nx\"",
	  "record_id: contains a control character, got \"id\\x0ax\"" },
	{ "\"1793607303\"x,voice,mo,1,,,,,,,,,", "unexpected character after closing quote" },
};

START_TEST(test_cdr_rejections)
{
	struct tmp_input t;
	struct ingest_source *src;
	size_t n = sizeof(bad_rows) / sizeof(bad_rows[0]);
	struct event evs[64] = { 0 };
	char *content = NULL, *want = NULL;
	size_t clen = 0, wlen = 0;
	FILE *c = open_memstream(&content, &clen);
	unsigned line = 1;

	/* A good row after every bad one: each must come through. */
	fputs(CDR_HEADER, c);
	tmp_write(&t, ""); /* for the path */
	FILE *w = open_memstream(&want, &wlen);
	for (size_t i = 0; i < n; i++) {
		fprintf(c, "%s\n", bad_rows[i].row);
		line++;
		fprintf(w, "%s:%u: %s\n", t.path, line, bad_rows[i].msg);
		line += (unsigned)(strchr(bad_rows[i].row, '\n') != NULL);
		fprintf(c, "1793607303,voice,mo,1,,,,,,,,,\n");
		line++;
	}
	fclose(c);
	fclose(w);
	FILE *f = fopen(t.path, "w");
	fputs(content, f);
	fclose(f);
	t.opt.max_error_lines = 1000;
	ck_assert_int_eq(ingest_cdr_open(t.path, &t.opt, &src), 0);
	ck_assert_uint_eq(read_all(src, evs, 64), n);
	ck_assert_str_eq(tmp_errors(&t), want);
	ck_assert_uint_eq(src->counters.accepted, n);
	ck_assert_uint_eq(src->counters.rejected, n);
	/* The good rows keep their physical line numbers. */
	ck_assert_uint_eq(evs[0].line, 3);
	ck_assert_uint_eq(evs[n - 1].line, line);
	clear_all(evs, n);
	ingest_close(src);
	free(content);
	free(want);
	tmp_done(&t);
}
END_TEST

/* A multi-line sms_text: the rows after it report their physical lines. */
START_TEST(test_cdr_multiline_text)
{
	struct tmp_input t;
	struct ingest_source *src;
	struct event evs[4] = { 0 };

	tmp_write(&t, "start_time,record_type,direction,served_msisdn,sms_text\r\n"
		      "1793607303,sms,mo,1,\"Dear customer,\r\nyour parcel\r\n\r\nclick\"\r\n"
		      "1793607304,sms,mo,1,plain\r\n"
		      "1793607305,sms,bad,1,\"x\ny\"\r\n"
		      "1793607306,sms,mo,1,\r\n");
	ck_assert_int_eq(ingest_cdr_open(t.path, &t.opt, &src), 0);
	ck_assert_uint_eq(read_all(src, evs, 4), 3);
	ck_assert_uint_eq(evs[0].line, 2);
	ck_assert_str_eq(evs[0].text, "Dear customer,\r\nyour parcel\r\n\r\nclick");
	ck_assert_uint_eq(evs[0].text_len, strlen(evs[0].text));
	ck_assert_uint_eq(evs[1].line, 6);
	ck_assert_str_eq(evs[1].text, "plain");
	ck_assert_uint_eq(evs[2].line, 9);
	ck_assert_ptr_null(evs[2].text);
	char want[256];
	snprintf(want, sizeof(want), "%s:7: direction: expected mo or mt, got \"bad\"\n", t.path);
	ck_assert_str_eq(tmp_errors(&t), want);
	clear_all(evs, 3);
	ingest_close(src);
	tmp_done(&t);
}
END_TEST

START_TEST(test_cdr_delimiters)
{
	static const char delims[] = { ';', '|', '\t' };
	for (size_t d = 0; d < sizeof(delims); d++) {
		struct tmp_input t;
		struct ingest_source *src;
		struct event evs[2] = { 0 };
		char content[256];
		char D = delims[d];
		snprintf(content, sizeof(content),
			 "start_time%crecord_type%cdirection%cserved_msisdn%csms_text\n"
			 "1793607303%csms%cmo%c8613800138000%c\"a%cb,c\"\n",
			 D, D, D, D, D, D, D, D, D);
		tmp_write(&t, content);
		t.opt.delimiter = D;
		ck_assert_int_eq(ingest_cdr_open(t.path, &t.opt, &src), 0);
		ck_assert_uint_eq(read_all(src, evs, 2), 1);
		char want[8] = { 'a', D, 'b', ',', 'c', 0 };
		ck_assert_str_eq(evs[0].text, want);
		clear_all(evs, 1);
		ingest_close(src);
		tmp_done(&t);
	}
}
END_TEST

START_TEST(test_cdr_header_errors)
{
	static const struct {
		const char *content;
		int rc;
		const char *msg; /* after "path" */
	} v[] = {
		{ "start_time,record_type,served_msisdn\n", -SS_EPARSE,
		  ":1: header lacks required column(s): direction" },
		{ "\n\nfoo,bar\n", -SS_EPARSE,
		  ":3: header lacks required column(s): start_time, record_type, direction" },
		{ "start_time,record_type,direction,other_party\n", -SS_EPARSE,
		  ": header lacks required column(s): served_msisdn or served_imsi" },
		{ "start_time,record_type,direction,served_msisdn,START_TIME\n", -SS_EPARSE,
		  ":1: columns 1 and 5 both give start_time" },
		{ "", -SS_EPARSE, ": empty input: no header row" },
		{ "\n\r\n", -SS_EPARSE, ": empty input: no header row" },
		{ "\"start_time,record_type\n", -SS_EPARSE, ":1: header: unterminated quoted field" },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct tmp_input t;
		struct ingest_source *src = (void *)1;
		char want[512];
		tmp_write(&t, v[i].content);
		ck_assert_int_eq(ingest_cdr_open(t.path, &t.opt, &src), v[i].rc);
		ck_assert_ptr_null(src);
		snprintf(want, sizeof(want), "%s%s\n", t.path, v[i].msg);
		ck_assert_str_eq(tmp_errors(&t), want);
		tmp_done(&t);
	}
	/* A missing file. */
	struct tmp_input t;
	struct ingest_source *src;
	tmp_write(&t, "");
	ck_assert_int_eq(ingest_cdr_open("/nonexistent/x.csv", &t.opt, &src), -ENOENT);
	ck_assert_str_eq(tmp_errors(&t), "/nonexistent/x.csv: cannot open: No such file or directory\n");
	tmp_done(&t);
	/* An unsupported delimiter. */
	tmp_write(&t, CDR_HEADER);
	t.opt.delimiter = ':';
	ck_assert_int_eq(ingest_cdr_open(t.path, &t.opt, &src), -SS_ECONFIG);
	tmp_done(&t);
}
END_TEST

START_TEST(test_cdr_mapping_file)
{
	struct tmp_input t, map;
	struct ingest_source *src;
	struct event evs[2] = { 0 };

	tmp_write(&map, "# Huawei mediation export\n"
			"\n"
			"  served_msisdn = CALLING_NBR  \n"
			"start_time=START TIME\n"
			"record_type = \"SERVICE = TYPE\"\n"
			"direction = DIR\n"
			"time = ACT_TIME   # activation feed: accepted and unused here\n");
	tmp_write(&t, "start time,service = type,dir,calling_nbr,served_msisdn\n"
		      "1793607303,voice,mo,8613800138000,999\n");
	t.opt.mapping_file = map.path;
	ck_assert_int_eq(ingest_cdr_open(t.path, &t.opt, &src), -SS_EPARSE);
	/* Both CALLING_NBR and served_msisdn select served_msisdn: ambiguous. */
	char want[256];
	snprintf(want, sizeof(want), "%s:1: columns 4 and 5 both give served_msisdn\n", t.path);
	ck_assert_str_eq(tmp_errors(&t), want);
	tmp_done(&t);

	tmp_write(&t, "start time,service = type,dir,calling_nbr,other\n"
		      "1793607303,voice,mo,8613800138000,999\n");
	t.opt.mapping_file = map.path;
	ck_assert_int_eq(ingest_cdr_open(t.path, &t.opt, &src), 0);
	ck_assert_uint_eq(read_all(src, evs, 2), 1);
	ck_assert_str_eq(evs[0].msisdn, "8613800138000");
	ck_assert_int_eq(evs[0].time, INT64_C(1793607303) * SS_US_PER_SEC);
	clear_all(evs, 1);
	ingest_close(src);
	tmp_done(&t);
	tmp_done(&map);

	/* Errors name the mapping file and line. */
	static const struct {
		const char *content;
		const char *msg;
	} bad[] = {
		{ "# x\nserved_msisdn = A\nserved_msidsn = B\n", ":3: unknown canonical column \"served_msidsn\"" },
		{ "start_time START\n", ":1: expected \"canonical_name = HEADER\"" },
		{ "\nrecord_type =  \n", ":2: empty header name for record_type" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tmp_write(&map, bad[i].content);
		tmp_write(&t, CDR_HEADER);
		t.opt.mapping_file = map.path;
		ck_assert_int_eq(ingest_cdr_open(t.path, &t.opt, &src), -SS_EPARSE);
		snprintf(want, sizeof(want), "%s%s\n", map.path, bad[i].msg);
		ck_assert_str_eq(tmp_errors(&t), want);
		char err[256];
		ck_assert_int_eq(ingest_mapping_check(map.path, err, sizeof(err)), -SS_EPARSE);
		want[strlen(want) - 1] = '\0';
		ck_assert_str_eq(err, want);
		tmp_done(&t);
		tmp_done(&map);
	}
	tmp_write(&t, CDR_HEADER);
	t.opt.mapping_file = "/nonexistent/map";
	ck_assert_int_eq(ingest_cdr_open(t.path, &t.opt, &src), -ENOENT);
	ck_assert_str_eq(tmp_errors(&t),
			 "/nonexistent/map: cannot open mapping file: No such file or directory\n");
	tmp_done(&t);
}
END_TEST

START_TEST(test_cdr_error_limit)
{
	struct tmp_input t;
	struct ingest_source *src;
	struct event evs[2] = { 0 };

	tmp_write(&t, "start_time,record_type,direction,served_msisdn\n"
		      "x,voice,mo,1\nx,voice,mo,1\nx,voice,mo,1\nx,voice,mo,1\n1,voice,mo,1\n");
	t.opt.max_error_lines = 2;
	ck_assert_int_eq(ingest_cdr_open(t.path, &t.opt, &src), 0);
	ck_assert_uint_eq(read_all(src, evs, 2), 1);
	ck_assert_uint_eq(src->counters.rejected, 4);
	char want[1024];
	const char *m = "start_time: expected ISO 8601 with Z or offset, or epoch seconds, got \"x\"";
	snprintf(want, sizeof(want),
		 "%s:2: %s\n%s:3: %s\n%s: further bad records not shown (see the summary for the count)\n",
		 t.path, m, t.path, m, t.path);
	ck_assert_str_eq(tmp_errors(&t), want);
	clear_all(evs, 1);
	ingest_close(src);
	tmp_done(&t);
}
END_TEST

/* "-" reads standard input and is shown as <stdin>. */
START_TEST(test_cdr_stdin)
{
	struct tmp_input t;
	struct ingest_source *src;
	struct event evs[2] = { 0 };

	tmp_write(&t, "start_time,record_type,direction,served_msisdn\n1,voice,mo,1\n2,voice,up,1\n");
	ck_assert_ptr_nonnull(freopen(t.path, "r", stdin));
	ck_assert_int_eq(ingest_cdr_open("-", &t.opt, &src), 0);
	ck_assert_str_eq(src->name, "<stdin>");
	ck_assert_uint_eq(read_all(src, evs, 2), 1);
	ck_assert_str_eq(tmp_errors(&t), "<stdin>:3: direction: expected mo or mt, got \"up\"\n");
	clear_all(evs, 1);
	ingest_close(src);
	tmp_done(&t);
}
END_TEST

/* A record over the 1 MiB cap is one rejection; reading resumes after it. */
START_TEST(test_cdr_record_too_long)
{
	struct tmp_input t;
	struct ingest_source *src;
	struct event evs[2] = { 0 };
	size_t n = 1100 * 1024;
	char *content = malloc(n + 256);
	char *p = content;

	p += sprintf(p, "start_time,record_type,direction,served_msisdn,sms_text\n1,sms,mo,1,");
	memset(p, 'z', n);
	p += n;
	strcpy(p, "\n2,sms,mo,1,ok\n");
	tmp_write(&t, content);
	free(content);
	ck_assert_int_eq(ingest_cdr_open(t.path, &t.opt, &src), 0);
	ck_assert_uint_eq(read_all(src, evs, 2), 1);
	ck_assert_uint_eq(evs[0].line, 3);
	ck_assert_uint_eq(src->counters.rejected, 1);
	char want[256];
	snprintf(want, sizeof(want), "%s:2: record too long (more than 1048576 bytes)\n", t.path);
	ck_assert_str_eq(tmp_errors(&t), want);
	clear_all(evs, 1);
	ingest_close(src);
	tmp_done(&t);
}
END_TEST

/* A long SMS is kept up to EV_TEXT_MAX. */
START_TEST(test_cdr_long_text)
{
	struct tmp_input t;
	struct ingest_source *src;
	struct event evs[1] = { 0 };
	char *content = malloc(EV_TEXT_MAX * 2 + 256);
	char *p = content;

	p += sprintf(p, "start_time,record_type,direction,served_msisdn,sms_text\n1,sms,mo,1,\"");
	memset(p, 'q', EV_TEXT_MAX * 2);
	p += EV_TEXT_MAX * 2;
	strcpy(p, "\"\n");
	tmp_write(&t, content);
	free(content);
	ck_assert_int_eq(ingest_cdr_open(t.path, &t.opt, &src), 0);
	ck_assert_uint_eq(read_all(src, evs, 1), 1);
	ck_assert_uint_eq(evs[0].text_len, EV_TEXT_MAX);
	clear_all(evs, 1);
	ingest_close(src);
	tmp_done(&t);
}
END_TEST

/* ---- activation ---- */

#define ACT_HEADER "time,event,msisdn,imsi,iccid,id_doc,id_type,channel,outlet,sim_type\n"

static const uint8_t test_key[32] = "0123456789abcdef0123456789abcde";

static void expect_hash(const char *normalised, const uint8_t *got)
{
	uint8_t want[EV_ID_HASH_SIZE];
	crypto_generichash(want, sizeof(want), (const unsigned char *)normalised,
			   strlen(normalised), test_key, sizeof(test_key));
	ck_assert_mem_eq(got, want, sizeof(want));
}

START_TEST(test_act_rows)
{
	struct tmp_input t;
	struct ingest_source *src;
	struct event evs[8] = { 0 };

	tmp_write(&t, ACT_HEADER
		      "2026-11-01T10:02:11Z,open,8613800138000,460001234567890,89860012345678901234,"
		      "110101199003071234,personal,CH-0042,SZ-FT-118,consumer\n"
		      "2026-11-01T10:02:12Z,Close,+8613800138001,,8986001234567890123, 11010119900307123x ,"
		      "Enterprise,,,IOT\n"
		      "2026-11-01T10:02:13Z,swap,8613800138002,,,,,,,\n"
		      "2026-11-01T10:02:14Z,reverify_ok,8613800138003,,,11010119900307123X,,,,\n"
		      "2026-11-01T10:02:15Z,REVERIFY_FAILED,8613800138004,,,,,,,\n");
	t.opt.id_doc_key = test_key;
	t.opt.id_doc_key_len = sizeof(test_key);
	ck_assert_int_eq(ingest_activation_open(t.path, &t.opt, &src), 0);
	ck_assert_str_eq(src->kind, "activations");
	ck_assert_uint_eq(read_all(src, evs, 8), 5);
	ck_assert_int_eq(evs[0].kind, EV_ACTIVATION);
	ck_assert_int_eq(evs[0].source, EV_SRC_ACTIVATION);
	ck_assert_int_eq(evs[0].activation, EV_ACT_OPEN);
	ck_assert_int_eq(evs[0].time, INT64_C(1793527331) * SS_US_PER_SEC);
	ck_assert_str_eq(evs[0].msisdn, "8613800138000");
	ck_assert_str_eq(evs[0].imsi, "460001234567890");
	ck_assert_str_eq(evs[0].iccid, "89860012345678901234");
	ck_assert(evs[0].id_doc_present);
	expect_hash("110101199003071234", evs[0].id_doc_hash);
	ck_assert_int_eq(evs[0].id_type, EV_IDTYPE_PERSONAL);
	ck_assert_str_eq(evs[0].channel, "CH-0042");
	ck_assert_str_eq(evs[0].outlet, "SZ-FT-118");
	ck_assert_int_eq(evs[0].sim_type, EV_SIM_CONSUMER);
	ck_assert_uint_eq(evs[0].input, 3);
	ck_assert_uint_eq(evs[0].line, 2);

	ck_assert_int_eq(evs[1].activation, EV_ACT_CLOSE);
	ck_assert_str_eq(evs[1].msisdn, "8613800138001");
	ck_assert_str_eq(evs[1].iccid, "8986001234567890123");
	ck_assert_int_eq(evs[1].id_type, EV_IDTYPE_ENTERPRISE);
	ck_assert_int_eq(evs[1].sim_type, EV_SIM_IOT);
	/* Trimmed and upper-cased: the same document as row 4. */
	expect_hash("11010119900307123X", evs[1].id_doc_hash);
	ck_assert_mem_eq(evs[1].id_doc_hash, evs[3].id_doc_hash, EV_ID_HASH_SIZE);

	ck_assert_int_eq(evs[2].activation, EV_ACT_SWAP);
	ck_assert(!evs[2].id_doc_present);
	ck_assert_int_eq(evs[2].id_type, EV_IDTYPE_UNKNOWN);
	ck_assert_int_eq(evs[2].sim_type, EV_SIM_UNKNOWN);
	ck_assert_int_eq(evs[3].activation, EV_ACT_REVERIFY_OK);
	ck_assert_int_eq(evs[4].activation, EV_ACT_REVERIFY_FAILED);
	ck_assert_str_eq(tmp_errors(&t), "");
	clear_all(evs, 5);
	ingest_close(src);
	tmp_done(&t);
}
END_TEST

START_TEST(test_act_rejections)
{
	static const struct {
		const char *row;
		const char *msg;
	} v[] = {
		{ "2026-11-01T10:02:11,open,1,,,,,,,", "time: expected ISO 8601 with Z or offset, or "
						       "epoch seconds, got \"2026-11-01T10:02:11\"" },
		{ "1,activate,1,,,,,,,", "event: expected open, close, swap, reverify_ok or "
					 "reverify_failed, got \"activate\"" },
		{ "1,open,,,,,,,,", "msisdn: expected 1-15 digits, got an empty value" },
		{ "1,open,86 138,,,,,,,", "msisdn: expected 1-15 digits, got \"86 138\"" },
		{ "1,open,1,4600012345678901,,,,,,", "imsi: expected 15 digits, got \"4600012345678901\"" },
		{ "1,open,1,,898600123456789012,,,,,", "iccid: expected 19-20 digits, got \"898600123456789012\"" },
		{ "1,open,1,,8986001234567890123F,,,,,", "iccid: expected 19-20 digits, got \"8986001234567890123F\"" },
		{ "1,open,1,,,SECRET0123456789012345678901234567890123456789012345678901234567890123456789"
		  "0123456789012345678901234567890123456789012345678901234567890,,,,",
		  "id_doc: <redacted> (longer than 128 bytes)" },
		{ "1,open,1,,,\"SECRET\t99\",,,,", "id_doc: <redacted> (contains a control character)" },
		{ "1,open,1,,,,company,,,", "id_type: expected personal or enterprise, got \"company\"" },
		{ "1,open,1,,,,,CHANNEL-0123456789012345678901234567,,",
		  "channel: longer than 32 bytes, got \"CHANNEL-0123456789012345678901234567\"" },
		{ "1,open,1,,,,,,\"a\x01\",", "outlet: contains a control character, got \"a\\x01\"" },
		{ "1,open,1,,,,,,,m2m", "sim_type: expected consumer or iot, got \"m2m\"" },
		/* A bad row with a document: the document is not printed either. */
		{ "1,open,x,,,SECRET42,,,,", "msisdn: expected 1-15 digits, got \"x\"" },
		{ "1,open,1,,,SECRET43,,,", "expected 10 columns, found 9" },
	};
	struct tmp_input t;
	struct ingest_source *src;
	struct event evs[2] = { 0 };
	char *content = NULL, *want = NULL;
	size_t clen = 0, wlen = 0, n = sizeof(v) / sizeof(v[0]);

	tmp_write(&t, "");
	FILE *c = open_memstream(&content, &clen);
	FILE *w = open_memstream(&want, &wlen);
	fputs(ACT_HEADER, c);
	for (size_t i = 0; i < n; i++) {
		fprintf(c, "%s\n", v[i].row);
		fprintf(w, "%s:%zu: %s\n", t.path, i + 2, v[i].msg);
	}
	fputs("1,open,1,,,,,,,\n", c);
	fclose(c);
	fclose(w);
	FILE *f = fopen(t.path, "w");
	fputs(content, f);
	fclose(f);
	/* No key: a random per-process one (a warning is logged once). */
	ck_assert_int_eq(ingest_activation_open(t.path, &t.opt, &src), 0);
	ck_assert_uint_eq(read_all(src, evs, 2), 1);
	ck_assert_uint_eq(src->counters.rejected, n);
	const char *errs = tmp_errors(&t);
	ck_assert_str_eq(errs, want);
	ck_assert_ptr_null(strstr(errs, "SECRET"));
	clear_all(evs, 1);
	ingest_close(src);
	free(content);
	free(want);
	tmp_done(&t);
}
END_TEST

START_TEST(test_act_keys)
{
	struct tmp_input t;
	struct ingest_source *src;
	struct event a[1] = { 0 }, b[1] = { 0 }, c[1] = { 0 };
	uint8_t other_key[16] = "fedcba9876543210";

	tmp_write(&t, ACT_HEADER "1,open,1,,,110101199003071234,,,,\n");
	/* The same key twice gives the same hash (stable across runs)... */
	t.opt.id_doc_key = test_key;
	t.opt.id_doc_key_len = sizeof(test_key);
	ck_assert_int_eq(ingest_activation_open(t.path, &t.opt, &src), 0);
	ck_assert_uint_eq(read_all(src, a, 1), 1);
	ingest_close(src);
	ck_assert_int_eq(ingest_activation_open(t.path, &t.opt, &src), 0);
	ck_assert_uint_eq(read_all(src, b, 1), 1);
	ingest_close(src);
	ck_assert_mem_eq(a[0].id_doc_hash, b[0].id_doc_hash, EV_ID_HASH_SIZE);
	/* ...another key another hash. */
	t.opt.id_doc_key = other_key;
	t.opt.id_doc_key_len = sizeof(other_key);
	ck_assert_int_eq(ingest_activation_open(t.path, &t.opt, &src), 0);
	ck_assert_uint_eq(read_all(src, c, 1), 1);
	ingest_close(src);
	ck_assert_mem_ne(a[0].id_doc_hash, c[0].id_doc_hash, EV_ID_HASH_SIZE);
	/* Keys outside libsodium's 16..64 bytes are refused. */
	t.opt.id_doc_key_len = 8;
	ck_assert_int_eq(ingest_activation_open(t.path, &t.opt, &src), -SS_ECONFIG);
	char want[256];
	snprintf(want, sizeof(want), "%s: id_doc key must be 16 to 64 bytes, got 8\n", t.path);
	ck_assert_str_eq(tmp_errors(&t), want);
	tmp_done(&t);

	/* msisdn is a required column. */
	tmp_write(&t, "time,event,imsi\n");
	ck_assert_int_eq(ingest_activation_open(t.path, &t.opt, &src), -SS_EPARSE);
	snprintf(want, sizeof(want), "%s:1: header lacks required column(s): msisdn\n", t.path);
	ck_assert_str_eq(tmp_errors(&t), want);
	tmp_done(&t);
}
END_TEST

/* Open on a stream: the fuzz target's and a daemon's way in. */
START_TEST(test_open_stream)
{
	static const char text[] = "time,event,msisdn\n1,open,1\n";
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");
	struct ingest_source *src;
	struct event evs[1] = { 0 };

	ck_assert_int_eq(ingest_activation_open_stream(f, "feed", true, NULL, &src), 0);
	ck_assert_str_eq(src->name, "feed");
	ck_assert_uint_eq(read_all(src, evs, 1), 1);
	ingest_close(src);
	ingest_close(NULL);
}
END_TEST

static Suite *cdr_suite(void)
{
	Suite *s = suite_create("cdr");
	TCase *tc = tcase_create("cdr");
	tcase_add_test(tc, test_cdr_full_row);
	tcase_add_test(tc, test_cdr_minimal_and_defaults);
	tcase_add_test(tc, test_cdr_time_formats);
	tcase_add_test(tc, test_cdr_rejections);
	tcase_add_test(tc, test_cdr_multiline_text);
	tcase_add_test(tc, test_cdr_delimiters);
	tcase_add_test(tc, test_cdr_header_errors);
	tcase_add_test(tc, test_cdr_mapping_file);
	tcase_add_test(tc, test_cdr_error_limit);
	tcase_add_test(tc, test_cdr_stdin);
	tcase_add_test(tc, test_cdr_record_too_long);
	tcase_add_test(tc, test_cdr_long_text);
	suite_add_tcase(s, tc);
	TCase *ta = tcase_create("activation");
	tcase_add_test(ta, test_act_rows);
	tcase_add_test(ta, test_act_rejections);
	tcase_add_test(ta, test_act_keys);
	tcase_add_test(ta, test_open_stream);
	suite_add_tcase(s, ta);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cdr_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
