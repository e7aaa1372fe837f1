/*
 * bench_normalize.c - throughput of text_normalize() (src/text/normalize.c).
 *
 *   bench_normalize [-n ROUNDS] [-f FLAGS] FILE.tsv...
 *       normalise the text column of label<TAB>text lines (a line without a
 *       tab is all text) ROUNDS times (default 20) with one normaliser and
 *       print messages/s, MB/s of input, average length and slots/message.
 *   bench_normalize -p [-f FLAGS] [FILE]
 *       print each line of FILE (or stdin) normalised, slot tokens shown as
 *       <name>, then the slot values and the changed-step bits; for looking
 *       at what normalisation does to real text.
 *
 * The files are read into memory once; only normalisation is timed, in
 * process CPU time (one thread), so the figure is per core even when the
 * machine is busy.
 */
#include "text/normalize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct msg {
	size_t off, len;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: fair on a busy machine */
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void print_norm(const struct text_norm *n)
{
	const unsigned char *b = (const unsigned char *)n->buf;
	for (size_t i = 0; i < n->len; i++) {
		if (i + 2 < n->len && b[i] == TEXT_SLOT_TOKEN_B0 && b[i + 1] == TEXT_SLOT_TOKEN_B1 &&
		    b[i + 2] >= 0x80 && b[i + 2] < 0x80 + TEXT_SLOT_COUNT) {
			printf("<%s>", text_slot_name((enum text_slot_type)(b[i + 2] - 0x80)));
			i += 2;
			continue;
		}
		putchar(b[i]);
	}
	printf("\t[changed 0x%02x", n->changed);
	for (unsigned s = 0; s < n->n_slots && s < TEXT_MAX_SLOTS; s++)
		printf(" %s=%s", text_slot_name((enum text_slot_type)n->slot[s].type), n->slot[s].value);
	printf("]\n");
}

static int print_mode(FILE *f, unsigned flags)
{
	struct text_norm n;
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;

	text_norm_init(&n);
	while ((got = getline(&line, &cap, f)) > 0) {
		size_t len = (size_t)got;
		if (len && line[len - 1] == '\n')
			len--;
		if (text_normalize(&n, line, len, flags) < 0)
			return 1;
		print_norm(&n);
	}
	free(line);
	text_norm_free(&n);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned rounds = 20, flags = TEXT_NORM_ALL;
	bool print = false;
	char *data = NULL;
	size_t data_len = 0, data_cap = 0, nmsg = 0, msg_cap = 0, bytes = 0;
	struct msg *msgs = NULL;
	int opt;

	while ((opt = getopt(argc, argv, "n:f:p")) != -1) {
		switch (opt) {
		case 'n': rounds = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'f': flags = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'p': print = true; break;
		default:
			fprintf(stderr, "usage: bench_normalize [-n ROUNDS] [-f FLAGS] FILE.tsv...\n"
					"       bench_normalize -p [-f FLAGS] [FILE]\n");
			return 2;
		}
	}
	if (print) {
		FILE *f = optind < argc ? fopen(argv[optind], "r") : stdin;
		if (!f) {
			perror(argv[optind]);
			return 1;
		}
		return print_mode(f, flags);
	}
	if (optind >= argc) {
		fprintf(stderr, "bench_normalize: no input file\n");
		return 2;
	}
	for (int a = optind; a < argc; a++) {
		FILE *f = fopen(argv[a], "r");
		char *line = NULL;
		size_t cap = 0;
		ssize_t got;
		if (!f) {
			perror(argv[a]);
			return 1;
		}
		while ((got = getline(&line, &cap, f)) > 0) {
			size_t len = (size_t)got;
			char *t = memchr(line, '\t', len), *end;
			if (len && line[len - 1] == '\n')
				len--;
			t = t ? t + 1 : line;
			end = memchr(t, '\t', (size_t)(line + len - t)); /* extra columns */
			size_t tl = (size_t)((end ? end : line + len) - t);
			if (data_len + tl > data_cap) {
				data_cap = (data_len + tl) * 2 + 4096;
				data = realloc(data, data_cap);
			}
			if (nmsg == msg_cap) {
				msg_cap = msg_cap * 2 + 1024;
				msgs = realloc(msgs, msg_cap * sizeof(*msgs));
			}
			if (!data || !msgs) {
				fprintf(stderr, "bench_normalize: out of memory\n");
				return 1;
			}
			memcpy(data + data_len, t, tl);
			msgs[nmsg++] = (struct msg){ data_len, tl };
			data_len += tl;
			bytes += tl;
		}
		free(line);
		fclose(f);
	}

	struct text_norm n;
	unsigned long long slots = 0, sink = 0;
	text_norm_init(&n);
	for (size_t m = 0; m < nmsg; m++) /* warm-up: buffers reach their size */
		text_normalize(&n, data + msgs[m].off, msgs[m].len, flags);
	double t0 = now();
	for (unsigned r = 0; r < rounds; r++)
		for (size_t m = 0; m < nmsg; m++) {
			if (text_normalize(&n, data + msgs[m].off, msgs[m].len, flags) < 0)
				return 1;
			slots += n.n_slots;
			sink += n.len;
		}
	double dt = now() - t0;
	double total = (double)nmsg * rounds;
	printf("normalize: %zu messages x %u rounds, %.1f bytes/message avg, %.2f slots/message\n", nmsg,
	       rounds, nmsg ? (double)bytes / (double)nmsg : 0.0, total ? (double)slots / total : 0.0);
	printf("normalize: %.0f messages/s, %.1f MB/s, %.0f ns/message (output %llu bytes)\n",
	       dt > 0 ? total / dt : 0.0, dt > 0 ? (double)bytes * rounds / dt / 1e6 : 0.0,
	       total ? dt * 1e9 / total : 0.0, sink);
	text_norm_free(&n);
	free(data);
	free(msgs);
	return 0;
}
