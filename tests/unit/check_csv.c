/*
 * check_csv.c - the RFC 4180 reader (src/ingest/csv.c).
 *
 * Table-driven: each vector is an input and the records it must give,
 * serialised as "<line>[field][field]..." or "<line>!<error>" one per line
 * (CR and LF inside fields shown as \r and \n).  Every vector is run through
 * both read paths (fmemopen: fread; tmpfile: read(2)) and with read buffers
 * from 16 bytes up, so records straddle refills at every offset.
 */
#include "ingest/csv.h"

#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct csv_vec {
	const char *name;
	const char *in;
	size_t in_len; /* 0 = strlen(in) */
	char delim;
	size_t max_record;
	size_t max_fields;
	const char *want;
};

static const struct csv_vec vecs[] = {
	{ "simple", "a,b,c\n1,2,3\n", 0, 0, 0, 0, "1[a][b][c]\n2[1][2][3]\n" },
	{ "crlf", "a,b\r\n1,2\r\n", 0, 0, 0, 0, "1[a][b]\n2[1][2]\n" },
	{ "no final newline", "a,b\n1,2", 0, 0, 0, 0, "1[a][b]\n2[1][2]\n" },
	{ "no final newline crlf", "a,b\r\n1,2\r", 0, 0, 0, 0, "1[a][b]\n2[1][2]\n" },
	{ "quoted delimiter", "\"x,y\",z\n", 0, 0, 0, 0, "1[x,y][z]\n" },
	{ "doubled quotes", "\"he said \"\"hi\"\"\",2\n", 0, 0, 0, 0, "1[he said \"hi\"][2]\n" },
	{ "only doubled quotes", "\"\"\"\"\"\",x\n", 0, 0, 0, 0, "1[\"\"][x]\n" },
	{ "quoted empty", "\"\"\n\"\",\"\"\n", 0, 0, 0, 0, "1[]\n2[][]\n" },
	{ "embedded LF", "1,\"line1\nline2\",3\n4,5,6\n", 0, 0, 0, 0,
	  "1[1][line1\\nline2][3]\n3[4][5][6]\n" },
	{ "embedded CRLF", "1,\"a\r\nb\r\nc\",3\r\n4,5,6\r\n", 0, 0, 0, 0,
	  "1[1][a\\r\\nb\\r\\nc][3]\n4[4][5][6]\n" },
	{ "embedded LF last field", "x,\"a\n\nb\"\ny\n", 0, 0, 0, 0, "1[x][a\\n\\nb]\n4[y]\n" },
	{ "quoted last field crlf", "x,\"q\"\r\ny\r\n", 0, 0, 0, 0, "1[x][q]\n2[y]\n" },
	{ "quoted at eof", "x,\"q\"", 0, 0, 0, 0, "1[x][q]\n" },
	{ "bom", "\xEF\xBB\xBF"
		 "a,b\n1,2\n",
	  0, 0, 0, 0, "1[a][b]\n2[1][2]\n" },
	{ "bom only at start", "a\n\xEF\xBB\xBF"
			       "b\n",
	  0, 0, 0, 0, "1[a]\n2[\xEF\xBB\xBF"
		      "b]\n" },
	{ "bom then quote", "\xEF\xBB\xBF\"a\",b\n", 0, 0, 0, 0, "1[a][b]\n" },
	{ "semicolon", "a;\"b;c\";d,e\n", 0, ';', 0, 0, "1[a][b;c][d,e]\n" },
	{ "pipe", "a|\"b|c\"|d,e\n", 0, '|', 0, 0, "1[a][b|c][d,e]\n" },
	{ "tab", "a\t\"b\tc\"\td e\n\t\n", 0, '\t', 0, 0, "1[a][b\tc][d e]\n2[][]\n" },
	{ "blank lines", "a\n\n  \r\n\t\nb\n\n\n", 0, 0, 0, 0, "1[a]\n5[b]\n" },
	{ "blank lines before header", "\n\r\na,b\n", 0, 0, 0, 0, "3[a][b]\n" },
	{ "empty fields", "a,,\n,\n", 0, 0, 0, 0, "1[a][][]\n2[][]\n" },
	{ "quote inside unquoted", "ab\"c,d\"\n", 0, 0, 0, 0, "1[ab\"c][d\"]\n" },
	{ "space before quote is literal", " \"a\",b\n", 0, 0, 0, 0, "1[ \"a\"][b]\n" },
	{ "unterminated quote", "a,\"bc\nd,e\n", 0, 0, 0, 0, "1!unterminated quoted field\n" },
	{ "junk after closing quote", "\"ab\"x,c\nd,e\n", 0, 0, 0, 0,
	  "1!unexpected character after closing quote\n2[d][e]\n" },
	{ "junk after quote, last field", "c,\"ab\"x\nd\n", 0, 0, 0, 0,
	  "1!unexpected character after closing quote\n2[d]\n" },
	{ "nul bytes kept", "a\0b,c\n", 6, 0, 0, 0, "1[a\\0b][c]\n" },
	{ "record too long", "a,b\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nc,d\n", 0, 0, 16, 0,
	  "1[a][b]\n2!record too long (more than 16 bytes)\n3[c][d]\n" },
	{ "record too long at eof", "a\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 0, 0, 16, 0,
	  "1[a]\n2!record too long (more than 16 bytes)\n" },
	{ "record exactly at cap", "a\n0123456789abcde\nb\n", 0, 0, 16, 0,
	  "1[a]\n2[0123456789abcde]\n3[b]\n" },
	{ "record one over cap", "a\n0123456789abcdef\nb\n", 0, 0, 16, 0,
	  "1[a]\n2!record too long (more than 16 bytes)\n3[b]\n" },
	{ "quoted record too long", "\"0123456789\n0123456789\"\nok\n", 0, 0, 16, 0,
	  "1!record too long (more than 16 bytes)\n3[ok]\n" },
	{ "too many fields", "a,b,c,d\ne,f\n", 0, 0, 0, 3, "1!too many fields (more than 3)\n2[e][f]\n" },
	{ "too many fields quoted", "a,\"b\nc\",d,e\nf\n", 0, 0, 0, 3,
	  "1!too many fields (more than 3)\n3[f]\n" },
	{ "many fields", "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,w,x,y,z,0,1,2,3,4,5,6,7,8,9,A,B\n",
	  0, 0, 0, 0,
	  "1[a][b][c][d][e][f][g][h][i][j][k][l][m][n][o][p][q][r][s][t][u][v][w][x][y][z][0][1]"
	  "[2][3][4][5][6][7][8][9][A][B]\n" },
	{ "empty input", "", 0, 0, 0, 0, "" },
	{ "only newline", "\n", 0, 0, 0, 0, "" },
};

/* Append @p,@len to @out with CR, LF and NUL made visible. */
static void put_escaped(char *out, size_t size, const char *p, size_t len)
{
	size_t o = strlen(out);
	for (size_t i = 0; i < len && o + 3 < size; i++) {
		if (p[i] == '\n' || p[i] == '\r' || p[i] == '\0') {
			out[o++] = '\\';
			out[o++] = p[i] == '\n' ? 'n' : p[i] == '\r' ? 'r' : '0';
		} else {
			out[o++] = p[i];
		}
	}
	out[o] = '\0';
}

/* Run @v through a reader on @f; the records serialised into @out. */
static void run_reader(const struct csv_vec *v, FILE *f, size_t buf_size, char *out, size_t size)
{
	struct csv_options o = { .delimiter = v->delim, .buf_size = buf_size,
				 .max_record = v->max_record, .max_fields = v->max_fields };
	struct csv_reader *r;
	struct csv_record rec;
	int rc;

	out[0] = '\0';
	ck_assert_int_eq(csv_open(f, true, &o, &r), 0);
	while ((rc = csv_read(r, &rec)) == 1) {
		size_t n = strlen(out);
		if (rec.error) {
			snprintf(out + n, size - n, "%llu!%s\n", (unsigned long long)rec.line,
				 rec.error);
			continue;
		}
		snprintf(out + n, size - n, "%llu", (unsigned long long)rec.line);
		for (size_t i = 0; i < rec.nfields; i++) {
			strncat(out, "[", size - strlen(out) - 1);
			put_escaped(out, size, rec.fields[i].ptr, rec.fields[i].len);
			strncat(out, "]", size - strlen(out) - 1);
		}
		strncat(out, "\n", size - strlen(out) - 1);
	}
	ck_assert_int_eq(rc, 0);
	csv_close(r);
}

START_TEST(test_vectors)
{
	const struct csv_vec *v = &vecs[_i];
	size_t len = v->in_len ? v->in_len : strlen(v->in);
	static const size_t bufs[] = { 16, 17, 19, 23, 31, 64, 0 };
	char out[4096];

	for (size_t b = 0; b < sizeof(bufs) / sizeof(bufs[0]); b++) {
		/* fmemopen: no file descriptor, the fread() path. */
		if (len > 0) {
			FILE *f = fmemopen((void *)v->in, len, "r");
			ck_assert_ptr_nonnull(f);
			run_reader(v, f, bufs[b], out, sizeof(out));
			ck_assert_msg(strcmp(out, v->want) == 0, "%s (fmemopen, buf %zu):\n%s\nwant:\n%s",
				      v->name, bufs[b], out, v->want);
		}
		/* tmpfile: the read(2) path. */
		FILE *t = tmpfile();
		ck_assert_ptr_nonnull(t);
		ck_assert_uint_eq(fwrite(v->in, 1, len, t), len);
		rewind(t);
		run_reader(v, t, bufs[b], out, sizeof(out));
		ck_assert_msg(strcmp(out, v->want) == 0, "%s (tmpfile, buf %zu):\n%s\nwant:\n%s",
			      v->name, bufs[b], out, v->want);
	}
}
END_TEST

/* A record far longer than the initial buffer grows it (up to the cap) and reads fine. */
START_TEST(test_long_record_grows_buffer)
{
	size_t n = 300000;
	char *in = malloc(n + 16);
	ck_assert_ptr_nonnull(in);
	memcpy(in, "h\n\"", 3);
	memset(in + 3, 'x', n);
	memcpy(in + 3 + n, "\"\nz\n", 4);
	FILE *f = fmemopen(in, n + 7, "r");
	struct csv_options o = { .buf_size = 1024 };
	struct csv_reader *r;
	struct csv_record rec;

	ck_assert_int_eq(csv_open(f, true, &o, &r), 0);
	ck_assert_int_eq(csv_read(r, &rec), 1);
	ck_assert_int_eq(csv_read(r, &rec), 1);
	ck_assert_ptr_null(rec.error);
	ck_assert_uint_eq(rec.nfields, 1);
	ck_assert_uint_eq(rec.fields[0].len, n);
	ck_assert_int_eq(csv_read(r, &rec), 1);
	ck_assert_uint_eq(rec.line, 3);
	ck_assert_int_eq(rec.fields[0].ptr[0], 'z');
	ck_assert_int_eq(csv_read(r, &rec), 0);
	csv_close(r);
	free(in);
}
END_TEST

/* The default cap: 1 MiB.  A 1.5 MiB line is rejected and the next one read. */
START_TEST(test_default_cap)
{
	size_t n = 1536 * 1024;
	char *in = malloc(n + 16);
	ck_assert_ptr_nonnull(in);
	memset(in, 'y', n);
	memcpy(in + n, "\nok\n", 4);
	FILE *f = fmemopen(in, n + 4, "r");
	struct csv_reader *r;
	struct csv_record rec;

	ck_assert_int_eq(csv_open(f, true, NULL, &r), 0);
	ck_assert_int_eq(csv_read(r, &rec), 1);
	ck_assert_str_eq(rec.error, "record too long (more than 1048576 bytes)");
	ck_assert_uint_eq(rec.line, 1);
	ck_assert_int_eq(csv_read(r, &rec), 1);
	ck_assert_ptr_null(rec.error);
	ck_assert_uint_eq(rec.line, 2);
	ck_assert_uint_eq(rec.fields[0].len, 2);
	ck_assert_int_eq(csv_read(r, &rec), 0);
	csv_close(r);
	free(in);
}
END_TEST

START_TEST(test_bad_delimiter)
{
	struct csv_options o = { .delimiter = '"' };
	struct csv_reader *r;
	FILE *f = tmpfile();
	ck_assert_int_eq(csv_open(f, false, &o, &r), -EINVAL);
	fclose(f);
}
END_TEST

/* Reading from a pipe returns records as they arrive (read(2), not a full fread()). */
START_TEST(test_pipe)
{
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(write(fds[1], "a,b\n1,", 6), 6);
	FILE *f = fdopen(fds[0], "r");
	struct csv_reader *r;
	struct csv_record rec;
	ck_assert_int_eq(csv_open(f, true, NULL, &r), 0);
	ck_assert_int_eq(csv_read(r, &rec), 1); /* would block forever with a full fread() */
	ck_assert_uint_eq(rec.nfields, 2);
	ck_assert_int_eq(write(fds[1], "2\n", 2), 2);
	close(fds[1]);
	ck_assert_int_eq(csv_read(r, &rec), 1);
	ck_assert_uint_eq(rec.line, 2);
	ck_assert_int_eq(rec.fields[1].ptr[0], '2');
	ck_assert_int_eq(csv_read(r, &rec), 0);
	csv_close(r);
}
END_TEST

static Suite *csv_suite(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_vectors, 0, (int)(sizeof(vecs) / sizeof(vecs[0])));
	tcase_add_test(tc, test_long_record_grows_buffer);
	tcase_add_test(tc, test_default_cap);
	tcase_add_test(tc, test_bad_delimiter);
	tcase_add_test(tc, test_pipe);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(csv_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
