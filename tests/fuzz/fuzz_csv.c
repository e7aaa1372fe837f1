/*
 * fuzz_csv.c - libFuzzer target for the CSV readers and the merge.
 *
 * The first input byte picks what to run on the rest:
 *   bits 0-1: 0 = raw csv_read() with tiny, input-chosen buffer and record
 *                 caps (every refill/grow/too-long path), checking each
 *                 field with the cached time parser against ss_time_parse();
 *             1 = CDR source; 2 = activation source;
 *             3 = merge of two CDR inputs (the rest split at the first 0xFF)
 *                 with a small window, max_buffered and de-duplication cap.
 *   bits 2-3: delimiter , ; | tab.   bit 4: use a mapping-free id_doc key.
 * Built as a libFuzzer binary by `make fuzz` and as a corpus replayer for
 * `make check` (tests/fuzz/corpus/csv/).
 */
#include "core/time.h"
#include "ingest/columns.h"
#include "ingest/merge.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull(void)
{
	static FILE *f;
	if (!f)
		f = fopen("/dev/null", "w");
	return f;
}

static FILE *mem_stream(const uint8_t *p, size_t len)
{
	/* fmemopen() needs a non-empty buffer. */
	static const char empty[1] = "";
	return len ? fmemopen((void *)p, len, "r") : fmemopen((void *)empty, 1, "r");
}

static void run_raw(const uint8_t *p, size_t len, char delim)
{
	struct csv_options o = { .delimiter = delim };
	struct ingest_csv_src *tc = calloc(1, sizeof(*tc));
	struct csv_reader *r;
	struct csv_record rec;
	uint64_t last_line = 0;
	FILE *f;

	if (len < 2 || !tc) {
		free(tc);
		return;
	}
	o.buf_size = 16 + p[0] % 48;
	o.max_record = 4 + p[1] % 200;
	o.max_fields = 1 + p[1] % 7;
	f = mem_stream(p + 2, len - 2);
	if (!f || csv_open(f, true, &o, &r) < 0) {
		if (f)
			fclose(f);
		free(tc);
		return;
	}
	while (csv_read(r, &rec) == 1) {
		if (rec.line < last_line)
			abort();
		last_line = rec.line;
		if (rec.error && rec.nfields)
			abort();
		for (size_t i = 0; i < rec.nfields; i++) {
			struct csv_field fl = rec.fields[i];
			ss_time_us a, b;
			int ra = ss_time_parse(fl.ptr, fl.len, &a);
			int rb = ingest_parse_time(tc, fl, &b);
			if (ra != rb || (ra == 0 && a != b))
				abort();
		}
	}
	csv_close(r);
	free(tc);
}

static void drain_source(struct ingest_source *src)
{
	struct event ev;
	while (ingest_next(src, &ev) == 1) {
		if (src->counters.accepted == 0)
			abort();
		ev_clear(&ev);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = { ',', ';', '|', '\t' };
	static const uint8_t key[16] = "fuzz-key-16bytes";
	struct ingest_options opt = { 0 };
	struct ingest_source *src;
	unsigned mode;

	if (size < 1)
		return 0;
	mode = data[0];
	data++;
	size--;
	opt.delimiter = delims[(mode >> 2) & 3];
	opt.errors = devnull();
	opt.max_error_lines = 5;
	if (mode & 16) {
		opt.id_doc_key = key;
		opt.id_doc_key_len = sizeof(key);
	}

	switch (mode & 3) {
	case 0:
		run_raw(data, size, opt.delimiter);
		break;
	case 1:
	case 2: {
		FILE *f = mem_stream(data, size);
		if (!f)
			break;
		int rc = (mode & 3) == 1 ? ingest_cdr_open_stream(f, "fuzz", true, &opt, &src)
					 : ingest_activation_open_stream(f, "fuzz", true, &opt, &src);
		if (rc == 0) {
			drain_source(src);
			ingest_close(src);
		}
		break;
	}
	case 3: {
		const uint8_t *sep = memchr(data, 0xFF, size);
		size_t l1 = sep ? (size_t)(sep - data) : size;
		const uint8_t *p2 = sep ? sep + 1 : data + size;
		size_t l2 = sep ? size - l1 - 1 : 0;
		struct ingest_source *srcs[2] = { NULL, NULL };
		struct merge_options mo = {
			.reorder_window = (ss_time_us)(1 + (mode >> 5)) * 60 * SS_US_PER_SEC,
			.max_buffered = 1 + (mode >> 5),
			.dedup_max_keys = 4,
			.dedup_horizon = (mode & 16) ? -1 : 0,
		};
		struct merge *m;
		struct event ev;
		size_t n = 0;
		FILE *f1 = mem_stream(data, l1), *f2 = mem_stream(p2, l2);
		if (f1 && ingest_cdr_open_stream(f1, "fuzz1", true, &opt, &srcs[n]) == 0)
			n++;
		opt.input_index = 1;
		if (f2 && ingest_cdr_open_stream(f2, "fuzz2", true, &opt, &srcs[n]) == 0)
			n++;
		if (merge_open(srcs, n, &mo, &m) == 0) {
			uint64_t got = 0, accepted = 0, dups = 0;
			while (merge_next(m, &ev) == 1) {
				got++;
				ev_clear(&ev);
			}
			for (size_t i = 0; i < n; i++) {
				accepted += srcs[i]->counters.accepted;
				dups += srcs[i]->counters.duplicates;
			}
			/* The summary arithmetic: delivered = accepted - duplicates. */
			if (got != accepted - dups)
				abort();
			merge_close(m);
		}
		for (size_t i = 0; i < n; i++)
			ingest_close(srcs[i]);
		break;
	}
	}
	return 0;
}
