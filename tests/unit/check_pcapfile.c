/*
 * check_pcapfile.c - the classic pcap file reader (src/ingest/pcapfile.c):
 * records handed out in place, libpcap's checks and messages, and the
 * fallback to libpcap (through a FILE replaying what was read) for what it
 * does not take.  Capture images are built here byte by byte, in either
 * byte order, and read from memory (fmemopen) or a pipe.
 */
#include "core/err.h"
#include "ingest/pcap.h"
#include "ingest/pcapfile.h"

#include <check.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Under AddressSanitizer its SIGBUS handler is there before the reader's. */
#if defined(__SANITIZE_ADDRESS__)
#define SS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SS_ASAN 1
#endif
#endif
#ifndef SS_ASAN
#define SS_ASAN 0
#endif

/* ---- building images ---- */

struct img {
	uint8_t b[4096];
	size_t n;
	bool be; /* written big-endian */
};

static void put32(struct img *im, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		im->b[im->n++] = (uint8_t)(im->be ? v >> (24 - 8 * i) : v >> (8 * i));
}

static void put16(struct img *im, uint16_t v)
{
	im->b[im->n++] = (uint8_t)(im->be ? v >> 8 : v);
	im->b[im->n++] = (uint8_t)(im->be ? v : v >> 8);
}

static void header(struct img *im, bool be, uint32_t magic, uint16_t minor, uint32_t snaplen, uint32_t linktype)
{
	memset(im, 0, sizeof(*im));
	im->be = be;
	put32(im, magic);
	put16(im, 2);
	put16(im, minor);
	put32(im, 0);
	put32(im, 0);
	put32(im, snaplen);
	put32(im, linktype);
}

/* A record of @caplen bytes (i * 3 + @seed), claiming @len on the wire. */
static void record(struct img *im, uint32_t sec, uint32_t frac, uint32_t caplen, uint32_t len, uint8_t seed)
{
	put32(im, sec);
	put32(im, frac);
	put32(im, caplen);
	put32(im, len);
	for (uint32_t i = 0; i < caplen; i++)
		im->b[im->n++] = (uint8_t)(i * 3 + seed);
}

static struct pcapfile *open_img(const struct img *im, size_t n, int *rc)
{
	FILE *f = fmemopen((void *)im->b, n ? n : 1, "rb");
	ck_assert_ptr_nonnull(f);
	if (n == 0)
		(void)fgetc(f); /* an empty stream: fmemopen needs one byte */
	struct pcapfile *pf = NULL;
	*rc = pcapfile_open(f, -1, &pf);
	ck_assert_ptr_nonnull(pf);
	return pf;
}

static void check_data(const struct pcapfile_record *rec, uint32_t caplen, uint8_t seed)
{
	ck_assert_uint_eq(rec->caplen, caplen);
	for (uint32_t i = 0; i < caplen; i++)
		ck_assert_uint_eq(rec->data[i], (uint8_t)(i * 3 + seed));
}

/* ---- records ---- */

START_TEST(test_both_byte_orders_and_nanoseconds)
{
	/* _i: 0 LE usec, 1 BE usec, 2 LE nsec, 3 BE nsec */
	bool be = _i & 1, nsec = _i & 2;
	struct img im;
	header(&im, be, nsec ? 0xa1b23c4d : 0xa1b2c3d4, 4, 65535, 1);
	record(&im, 1700000000, nsec ? 123456789 : 123456, 60, 60, 1);
	record(&im, 1700000001, nsec ? 999 : 7, 61, 1500, 2);
	int rc;
	struct pcapfile *pf = open_img(&im, im.n, &rc);
	ck_assert_int_eq(rc, 1);
	ck_assert_int_eq(pcapfile_linktype(pf), DLT_EN10MB);
	ck_assert_int_eq(pcapfile_snaplen(pf), 65535);
	struct pcapfile_record rec;
	ck_assert_int_eq(pcapfile_next(pf, &rec), 1);
	check_data(&rec, 60, 1);
	ck_assert_uint_eq(rec.len, 60);
	ck_assert_int_eq(rec.ts, (ss_time_us)1700000000 * SS_US_PER_SEC + 123456);
	ck_assert_int_eq(pcapfile_next(pf, &rec), 1);
	check_data(&rec, 61, 2);
	ck_assert_uint_eq(rec.len, 1500);
	/* nanoseconds are cut to microseconds, as libpcap does */
	ck_assert_int_eq(rec.ts, (ss_time_us)1700000001 * SS_US_PER_SEC + (nsec ? 0 : 7));
	ck_assert_int_eq(pcapfile_next(pf, &rec), 0);
	ck_assert_int_eq(pcapfile_next(pf, &rec), 0);
	pcapfile_close(pf);
}
END_TEST

START_TEST(test_truncated_record)
{
	struct img im;
	header(&im, false, 0xa1b2c3d4, 4, 65535, 1);
	record(&im, 1, 2, 40, 40, 9);
	size_t first_end = im.n;
	record(&im, 3, 4, 50, 50, 5);
	for (size_t cut = first_end; cut < im.n; cut++) {
		int rc;
		struct pcapfile *pf = open_img(&im, cut, &rc);
		ck_assert_int_eq(rc, 1);
		struct pcapfile_record rec;
		ck_assert_int_eq(pcapfile_next(pf, &rec), 1);
		check_data(&rec, 40, 9);
		size_t got = cut - first_end;
		char want[128];
		if (got == 0) {
			ck_assert_int_eq(pcapfile_next(pf, &rec), 0); /* cut between records: a valid file */
		} else {
			ck_assert_int_eq(pcapfile_next(pf, &rec), -SS_EPARSE);
			if (got < 16)
				snprintf(want, sizeof(want),
					 "truncated dump file; tried to read 16 header bytes, only got %zu", got);
			else
				snprintf(want, sizeof(want),
					 "truncated dump file; tried to read 50 captured bytes, only got %zu", got - 16);
			ck_assert_str_eq(pcapfile_error(pf), want);
		}
		pcapfile_close(pf);
	}
}
END_TEST

START_TEST(test_caplen_above_snaplen)
{
	/* Above the file's snapshot length but within 262144: cut to the snaplen, the rest skipped. */
	struct img im;
	header(&im, false, 0xa1b2c3d4, 4, 32, 1);
	record(&im, 1, 0, 100, 100, 4);
	record(&im, 2, 0, 20, 20, 6);
	int rc;
	struct pcapfile *pf = open_img(&im, im.n, &rc);
	ck_assert_int_eq(rc, 1);
	struct pcapfile_record rec;
	ck_assert_int_eq(pcapfile_next(pf, &rec), 1);
	check_data(&rec, 32, 4);
	ck_assert_uint_eq(rec.len, 100);
	ck_assert_int_eq(pcapfile_next(pf, &rec), 1);
	check_data(&rec, 20, 6);
	ck_assert_int_eq(pcapfile_next(pf, &rec), 0);
	pcapfile_close(pf);

	/* Cut inside the skipped part: libpcap's count of what it read. */
	pf = open_img(&im, 24 + 16 + 50, &rc);
	ck_assert_int_eq(pcapfile_next(pf, &rec), -SS_EPARSE);
	ck_assert_str_eq(pcapfile_error(pf), "truncated dump file; tried to read 100 captured bytes, only got 50");
	pcapfile_close(pf);
	pf = open_img(&im, 24 + 16 + 10, &rc);
	ck_assert_int_eq(pcapfile_next(pf, &rec), -SS_EPARSE);
	ck_assert_str_eq(pcapfile_error(pf), "truncated dump file; tried to read 32 captured bytes, only got 10");
	pcapfile_close(pf);
}
END_TEST

START_TEST(test_caplen_above_maximum)
{
	struct img im;
	header(&im, true, 0xa1b2c3d4, 4, 65535, 1);
	record(&im, 1, 0, 10, 10, 1);
	put32(&im, 2);
	put32(&im, 0);
	put32(&im, 0x7fffffff); /* caplen: a hostile length, never allocated nor read */
	put32(&im, 0x7fffffff);
	int rc;
	struct pcapfile *pf = open_img(&im, im.n, &rc);
	struct pcapfile_record rec;
	ck_assert_int_eq(pcapfile_next(pf, &rec), 1);
	ck_assert_int_eq(pcapfile_next(pf, &rec), -SS_EPARSE);
	ck_assert_str_eq(pcapfile_error(pf), "invalid packet capture length 2147483647, bigger than snaplen of 65535");
	pcapfile_close(pf);

	/* snaplen 0 means the maximum (libpcap's pcap_adjust_snapshot) */
	header(&im, false, 0xa1b2c3d4, 4, 0, 1);
	record(&im, 1, 0, 10, 10, 1);
	pf = open_img(&im, im.n, &rc);
	ck_assert_int_eq(pcapfile_snaplen(pf), 262144);
	ck_assert_int_eq(pcapfile_next(pf, &rec), 1);
	pcapfile_close(pf);
}
END_TEST

START_TEST(test_large_records_across_refills)
{
	/* Records of up to 200 KB, more than the buffer holds in all: each still whole and in order. */
	size_t total = 24 + 12 * (16 + 200000);
	uint8_t *b = malloc(total);
	struct img *hdr = malloc(sizeof(*hdr));
	header(hdr, false, 0xa1b2c3d4, 4, 262144, 228);
	memcpy(b, hdr->b, 24);
	size_t n = 24;
	for (uint32_t r = 0; r < 12; r++) {
		uint32_t len = 200000 - r * 1000;
		uint32_t h[4] = { r, 0, len, len };
		memcpy(b + n, h, 16); /* little-endian host: the file's order */
		n += 16;
		for (uint32_t i = 0; i < len; i++)
			b[n++] = (uint8_t)(i * 3 + r);
	}
	FILE *f = fmemopen(b, n, "rb");
	struct pcapfile *pf;
	ck_assert_int_eq(pcapfile_open(f, -1, &pf), 1);
	ck_assert_int_eq(pcapfile_linktype(pf), DLT_IPV4);
	struct pcapfile_record rec;
	for (uint32_t r = 0; r < 12; r++) {
		ck_assert_int_eq(pcapfile_next(pf, &rec), 1);
		check_data(&rec, 200000 - r * 1000, (uint8_t)r);
	}
	ck_assert_int_eq(pcapfile_next(pf, &rec), 0);
	pcapfile_close(pf);
	free(b);
	free(hdr);
}
END_TEST

/* ---- regular files: mapped ---- */

/* A temporary file holding @n bytes of @b after @skip bytes of other data; the FILE is at @skip. */
static FILE *file_with(const uint8_t *b, size_t n, size_t skip, int *fd)
{
	char path[] = "/tmp/check_pcapfile_XXXXXX";
	*fd = mkstemp(path);
	ck_assert_int_ge(*fd, 0);
	unlink(path);
	for (size_t i = 0; i < skip; i++)
		ck_assert_int_eq(write(*fd, "x", 1), 1);
	ck_assert_int_eq(write(*fd, b, n), (ssize_t)n);
	ck_assert_int_eq(lseek(*fd, (off_t)skip, SEEK_SET), (off_t)skip);
	FILE *f = fdopen(*fd, "rb");
	ck_assert_ptr_nonnull(f);
	return f;
}

START_TEST(test_mapped_file)
{
	/* _i: 0 LE usec at offset 0, 1 BE nsec at offset 0, 2 LE usec behind 5000 other bytes (standard input) */
	bool be = _i == 1, nsec = _i == 1;
	size_t skip = _i == 2 ? 5000 : 0;
	struct img im;
	header(&im, be, nsec ? 0xa1b23c4d : 0xa1b2c3d4, 4, 65535, 1);
	for (uint32_t r = 0; r < 20; r++)
		record(&im, 1700000000 + r, nsec ? r * 1000 : r, 100 + r, 1000, (uint8_t)r);
	int fd;
	FILE *f = file_with(im.b, im.n, skip, &fd);
	struct pcapfile *pf;
	ck_assert_int_eq(pcapfile_open(f, -1, &pf), 1);
	ck_assert(pcapfile_mapped(pf));
	ck_assert_int_eq(pcapfile_linktype(pf), DLT_EN10MB);
	struct pcapfile_record rec;
	for (uint32_t r = 0; r < 20; r++) {
		ck_assert_int_eq(pcapfile_next(pf, &rec), 1);
		check_data(&rec, 100 + r, (uint8_t)r);
		ck_assert_uint_eq(rec.len, 1000);
		ck_assert_int_eq(rec.ts, (ss_time_us)(1700000000 + r) * SS_US_PER_SEC + r);
	}
	ck_assert_int_eq(pcapfile_next(pf, &rec), 0);
	pcapfile_close(pf);
}
END_TEST

START_TEST(test_mapped_truncated_on_disk)
{
	/* Every cut gives the message (and records) reading from memory gives. */
	struct img im;
	header(&im, false, 0xa1b2c3d4, 4, 65535, 1);
	record(&im, 1, 2, 40, 40, 9);
	record(&im, 3, 4, 50, 50, 5);
	for (size_t cut = 24; cut < im.n; cut++) {
		int rc, fd;
		struct pcapfile *mem = open_img(&im, cut, &rc);
		ck_assert_int_eq(rc, 1);
		struct pcapfile *pf;
		ck_assert_int_eq(pcapfile_open(file_with(im.b, cut, 0, &fd), -1, &pf), 1);
		ck_assert(pcapfile_mapped(pf));
		struct pcapfile_record a, b;
		int ra, rb;
		do {
			ra = pcapfile_next(mem, &a);
			rb = pcapfile_next(pf, &b);
			ck_assert_int_eq(ra, rb);
			if (ra == 1) {
				ck_assert_uint_eq(a.caplen, b.caplen);
				ck_assert_mem_eq(a.data, b.data, a.caplen);
			}
		} while (ra == 1);
		if (ra < 0)
			ck_assert_str_eq(pcapfile_error(mem), pcapfile_error(pf));
		pcapfile_close(mem);
		pcapfile_close(pf);
	}
}
END_TEST

/* An image of @nrec records of @size bytes each (data seeded by the record number), malloc'd. */
static uint8_t *big_img(uint32_t nrec, uint32_t size, size_t *n)
{
	struct img *hdr = malloc(sizeof(*hdr));
	header(hdr, false, 0xa1b2c3d4, 4, 262144, 228);
	uint8_t *b = malloc(24 + (size_t)nrec * (16 + size));
	memcpy(b, hdr->b, 24);
	*n = 24;
	for (uint32_t r = 0; r < nrec; r++) {
		uint32_t h[4] = { r, 0, size, size };
		memcpy(b + *n, h, 16); /* little-endian host: the file's order */
		*n += 16;
		for (uint32_t i = 0; i < size; i++)
			b[(*n)++] = (uint8_t)(i * 3 + r);
	}
	free(hdr);
	return b;
}

START_TEST(test_mapped_file_shrinks)
{
	/*
	 * Cut to a page boundary while mapped: the pages past it would raise
	 * SIGBUS; the records wholly before it come out, the one across it is
	 * reported cut short in libpcap's words, and the process lives.
	 */
	size_t n;
	uint8_t *b = big_img(64, 1000, &n); /* records at 24 + r * 1016 */
	int fd;
	struct pcapfile *pf;
	ck_assert_int_eq(pcapfile_open(file_with(b, n, 0, &fd), -1, &pf), 1);
	ck_assert(pcapfile_mapped(pf));
	struct pcapfile_record rec;
	ck_assert_int_eq(pcapfile_next(pf, &rec), 1);
	ck_assert_int_eq(ftruncate(fd, 8 * 4096), 0);
	uint32_t r = 1;
	int rc;
	while ((rc = pcapfile_next(pf, &rec)) == 1) {
		check_data(&rec, 1000, (uint8_t)r);
		r++;
	}
	ck_assert_int_eq(rc, -SS_EPARSE);
	/* record 32 starts at 32536 and has 32768 - 32536 - 16 = 216 of its bytes left */
	ck_assert_uint_eq(r, 32);
	ck_assert_str_eq(pcapfile_error(pf), "truncated dump file; tried to read 1000 captured bytes, only got 216");

	/* Cut below what was handed out: an error, not a quiet end. */
	pcapfile_close(pf);
	ck_assert_int_eq(pcapfile_open(file_with(b, n, 0, &fd), -1, &pf), 1);
	for (r = 0; r < 40; r++)
		ck_assert_int_eq(pcapfile_next(pf, &rec), 1);
	ck_assert_int_eq(ftruncate(fd, 4096), 0);
	while ((rc = pcapfile_next(pf, &rec)) == 1)
		;
	ck_assert_int_eq(rc, -SS_EPARSE);
	ck_assert_str_eq(pcapfile_error(pf), "file cut to 4096 bytes while being read");
	pcapfile_close(pf);
	free(b);
}
END_TEST

START_TEST(test_mapped_file_grows)
{
	/* Appended while read: followed past the first mapping, as read(2) would. */
	size_t n;
	uint8_t *b = big_img(40, 3000, &n);
	size_t first = 24 + 10 * 3016;
	int fd;
	struct pcapfile *pf;
	ck_assert_int_eq(pcapfile_open(file_with(b, first, 0, &fd), -1, &pf), 1);
	ck_assert(pcapfile_mapped(pf));
	struct pcapfile_record rec;
	for (uint32_t r = 0; r < 10; r++) {
		ck_assert_int_eq(pcapfile_next(pf, &rec), 1);
		check_data(&rec, 3000, (uint8_t)r);
	}
	ck_assert_int_eq(pcapfile_next(pf, &rec), 0);
	/* half a record, then the rest */
	ck_assert_int_eq(pwrite(fd, b + first, 1000, (off_t)first), 1000);
	ck_assert_int_eq(pcapfile_next(pf, &rec), -SS_EPARSE);
	pcapfile_close(pf);
	ck_assert_int_eq(pcapfile_open(file_with(b, first, 0, &fd), -1, &pf), 1);
	for (uint32_t r = 0; r < 10; r++)
		ck_assert_int_eq(pcapfile_next(pf, &rec), 1);
	ck_assert_int_eq(pwrite(fd, b + first, n - first, (off_t)first), (ssize_t)(n - first));
	for (uint32_t r = 10; r < 40; r++) {
		ck_assert_int_eq(pcapfile_next(pf, &rec), 1);
		check_data(&rec, 3000, (uint8_t)r);
	}
	ck_assert_int_eq(pcapfile_next(pf, &rec), 0);
	pcapfile_close(pf);
	free(b);
}
END_TEST

/*
 * With a capture mapped (the reader's handler installed), touch a page past
 * the end of another file: a SIGBUS that is not the reader's.  Never returns.
 */
static void foreign_sigbus(void)
{
	struct img im;
	header(&im, false, 0xa1b2c3d4, 4, 65535, 1);
	record(&im, 1, 2, 40, 40, 9);
	int fd;
	struct pcapfile *pf;
	ck_assert_int_eq(pcapfile_open(file_with(im.b, im.n, 0, &fd), -1, &pf), 1);
	ck_assert(pcapfile_mapped(pf));
	char path[] = "/tmp/check_pcapfile_XXXXXX";
	int other = mkstemp(path);
	unlink(path);
	ck_assert_int_eq(ftruncate(other, 4096), 0);
	volatile uint8_t *m = mmap(NULL, 8192, PROT_READ, MAP_SHARED, other, 0);
	ck_assert_ptr_ne((void *)m, MAP_FAILED);
	(void)m[4096]; /* past the end of that file: SIGBUS */
	ck_abort_msg("no SIGBUS");
}

static void earlier_sigbus(int sig)
{
	(void)sig;
	_exit(42);
}

START_TEST(test_foreign_sigbus_chained)
{
	/*
	 * A SIGBUS not on a capture mapping goes to the handler that was there
	 * before the reader's (one of our own here, so that a sanitizer's does
	 * not decide the outcome): it ends the test with 42.
	 */
	struct sigaction sa = { .sa_handler = earlier_sigbus };
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGBUS, &sa, NULL), 0);
	foreign_sigbus();
}
END_TEST

#if !SS_ASAN
START_TEST(test_foreign_sigbus_default)
{
	/*
	 * With no earlier handler, a foreign SIGBUS still kills with SIGBUS
	 * (the default put back).  Not registered under ASan, whose own
	 * handler is always the earlier one (test_foreign_sigbus_chained).
	 */
	struct sigaction sa = { .sa_handler = SIG_DFL };
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGBUS, &sa, NULL), 0);
	foreign_sigbus();
}
END_TEST
#endif

/* ---- what is left to libpcap ---- */

/* The fallback FILE gives back exactly the image. */
static void check_replay(struct pcapfile *pf, const struct img *im, size_t n)
{
	FILE *rf = pcapfile_fallback(pf, NULL, 0);
	ck_assert_ptr_nonnull(rf);
	uint8_t back[4096];
	size_t got = fread(back, 1, sizeof(back), rf);
	ck_assert_uint_eq(got, n);
	ck_assert_mem_eq(back, im->b, n);
	fclose(rf);
}

START_TEST(test_left_to_libpcap)
{
	struct img im;
	int rc;
	/* bad magic, a cut file header, version 2.3, an unknown link type, the Kuznetzov magic */
	memcpy(im.b, "not a capture at all, but long enough", 37);
	check_replay(open_img(&im, 37, &rc), &im, 37);
	ck_assert_int_eq(rc, 0);
	header(&im, false, 0xa1b2c3d4, 4, 65535, 1);
	for (size_t cut = 0; cut < 24; cut++) {
		check_replay(open_img(&im, cut, &rc), &im, cut);
		ck_assert_int_eq(rc, 0);
	}
	header(&im, false, 0xa1b2c3d4, 3, 65535, 1);
	record(&im, 1, 0, 10, 10, 1);
	check_replay(open_img(&im, im.n, &rc), &im, im.n);
	ck_assert_int_eq(rc, 0);
	header(&im, true, 0xa1b2c3d4, 4, 65535, 147);
	record(&im, 1, 0, 10, 10, 1);
	check_replay(open_img(&im, im.n, &rc), &im, im.n);
	ck_assert_int_eq(rc, 0);
	header(&im, false, 0xa1b2cd34, 4, 65535, 1);
	check_replay(open_img(&im, im.n, &rc), &im, im.n);
	ck_assert_int_eq(rc, 0);
}
END_TEST

struct counts {
	size_t payloads, anomalies;
	char last[DEC_ANOMALY_SIZE];
};

static void on_payload(void *arg, const struct dec_payload *pl)
{
	(void)pl;
	((struct counts *)arg)->payloads++;
}

static void on_anomaly(void *arg, const struct ingest_pcap_anomaly *a)
{
	struct counts *c = arg;
	c->anomalies++;
	snprintf(c->last, sizeof(c->last), "%s", a->reason);
}

/* Run an image through the capture reader from @f; returns the step result at the end. */
static int run_reader(FILE *f, struct counts *c, struct ingest_pcap_counters *pc, char *err, size_t esize)
{
	struct ingest_pcap_handlers h = { .payload = on_payload, .anomaly = on_anomaly, .arg = c };
	struct ingest_pcap *r;
	memset(c, 0, sizeof(*c));
	int rc = ingest_pcap_reader_open_stream(f, NULL, &h, &r, err, esize);
	if (rc < 0)
		return rc;
	while ((rc = ingest_pcap_reader_step(r)) > 0)
		;
	ingest_pcap_reader_counters(r, pc);
	if (rc < 0)
		snprintf(err, esize, "%s", ingest_pcap_reader_error(r));
	ingest_pcap_reader_close(r);
	return rc;
}

START_TEST(test_reader_fallback_end_to_end)
{
	struct img im;
	struct counts c;
	struct ingest_pcap_counters pc;
	char err[256];

	/* An unknown link type through libpcap: every frame read and reported as not supported. */
	header(&im, true, 0xa1b2c3d4, 4, 65535, 147);
	record(&im, 1, 0, 10, 10, 1);
	record(&im, 2, 0, 12, 12, 1);
	ck_assert_int_eq(run_reader(fmemopen(im.b, im.n, "rb"), &c, &pc, err, sizeof(err)), 0);
	ck_assert_uint_eq(pc.frames, 2);
	ck_assert_uint_eq(c.anomalies, 2);
	ck_assert_str_eq(c.last, "link type 147 not supported");

	/* Not a capture: libpcap's verdict, as before. */
	memcpy(im.b, "garbage garbage garbage garbage!", 32);
	ck_assert_int_eq(run_reader(fmemopen(im.b, 32, "rb"), &c, &pc, err, sizeof(err)), -SS_EPARSE);
	ck_assert_ptr_nonnull(strstr(err, "not a pcap/pcapng capture"));

	/* A cut record through the reader: the frame number and libpcap's reason. */
	header(&im, false, 0xa1b23c4d, 4, 65535, 101);
	record(&im, 1, 0, 20, 20, 0x45);
	record(&im, 2, 0, 20, 20, 0x45);
	ck_assert_int_eq(run_reader(fmemopen(im.b, im.n - 5, "rb"), &c, &pc, err, sizeof(err)), -SS_EPARSE);
	ck_assert_uint_eq(pc.frames, 1);
	ck_assert_str_eq(err, "after frame 1: truncated dump file; tried to read 20 captured bytes, only got 15");
}
END_TEST

/* A capture written into a pipe: read with read(2) (classic) or replayed to libpcap (pcapng). */
static int run_pipe(const uint8_t *b, size_t n, struct counts *c, struct ingest_pcap_counters *pc)
{
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(write(fds[1], b, n), (ssize_t)n); /* small: fits the pipe's buffer */
	close(fds[1]);
	char err[256];
	return run_reader(fdopen(fds[0], "rb"), c, pc, err, sizeof(err));
}

START_TEST(test_pipe)
{
	struct img im;
	struct counts c;
	struct ingest_pcap_counters pc;

	header(&im, false, 0xa1b2c3d4, 4, 65535, 1);
	for (int i = 0; i < 5; i++)
		record(&im, (uint32_t)i, 0, 14, 14, 0);
	ck_assert_int_eq(run_pipe(im.b, im.n, &c, &pc), 0);
	ck_assert_uint_eq(pc.frames, 5);

	/* pcapng: section header, interface description (Ethernet), two enhanced packet blocks */
	static const uint8_t ng[] = {
		0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 28, 0, 0, 0,
		1, 0, 0, 0, 20, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 20, 0, 0, 0,
		6, 0, 0, 0, 48, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 14, 0, 0, 0, 14, 0, 0, 0,
		1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x08, 0x06, 0, 0, 48, 0, 0, 0,
		6, 0, 0, 0, 48, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 14, 0, 0, 0, 14, 0, 0, 0,
		1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x08, 0x06, 0, 0, 48, 0, 0, 0,
	};
	ck_assert_int_eq(run_pipe(ng, sizeof(ng), &c, &pc), 0);
	ck_assert_uint_eq(pc.frames, 2);
	ck_assert_uint_eq(pc.skipped, 2); /* ARP */
}
END_TEST

static Suite *pcapfile_suite(void)
{
	Suite *s = suite_create("pcapfile");
	TCase *tc = tcase_create("reader");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_both_byte_orders_and_nanoseconds, 0, 4);
	tcase_add_test(tc, test_truncated_record);
	tcase_add_test(tc, test_caplen_above_snaplen);
	tcase_add_test(tc, test_caplen_above_maximum);
	tcase_add_test(tc, test_large_records_across_refills);
	tcase_add_loop_test(tc, test_mapped_file, 0, 3);
	tcase_add_test(tc, test_mapped_truncated_on_disk);
	tcase_add_test(tc, test_mapped_file_shrinks);
	tcase_add_test(tc, test_mapped_file_grows);
	tcase_add_exit_test(tc, test_foreign_sigbus_chained, 42);
#if !SS_ASAN
	tcase_add_test_raise_signal(tc, test_foreign_sigbus_default, SIGBUS);
#endif
	tcase_add_test(tc, test_left_to_libpcap);
	tcase_add_test(tc, test_reader_fallback_end_to_end);
	tcase_add_test(tc, test_pipe);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(pcapfile_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
