/*
 * bench_pcap.c - capture reading throughput beside its ceiling.
 *
 *   1. bare libpcap: pcap_next_ex() over the file, counting packets - the
 *      standard reader's ceiling, the reference; also with a
 *      256 KiB stdio buffer (libpcap at its best: what ingest/pcap.c gives
 *      it for pcapng and the files pcapfile.c leaves to it);
 *   2. simsieve: the same file through ingest/pcap.c (link, IP, SCTP/TCP/UDP
 *      reassembly) and dec_dispatch(), messages counted, no JSON.  A classic
 *      pcap file like the generated one is read by ingest/pcapfile.c (the
 *      file mapped, records in place: neither read(2)'s kernel copy nor
 *      libpcap's two), not by libpcap, so on reading alone it is faster
 *      than the reference.  Issue 3's target is decode within 3x of the
 *      bare loop; on the 1M-message generated MAP trace (2-core VM, best
 *      of 3, alternated runs) the mapping took decode from 0.303 to 0.279 s,
 *      about 2.95x -> 2.7x (the ratio moves with the bare loop's noise);
 *      callgrind, blind to the kernel copy, stays at ~3,430 instructions a
 *      message.
 * Each is run REPEAT times (the file stays in the page cache) and the best
 * time kept.  Prints one line each, packets/s and messages/s, then the ratio,
 * so `make bench` can show them side by side.
 *
 * Usage: bench_pcap FILE [REPEAT]   (default 5)
 */
#include "core/time.h"
#include "decode/decode.h"
#include "ingest/pcap.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static ss_time_us cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (ss_time_us)ts.tv_sec * SS_US_PER_SEC + ts.tv_nsec / 1000;
}

/*
 * @iobuf 0: pcap_open_offline() as it comes (stdio's default buffer);
 * otherwise the file gets a stdio buffer of that size first, as
 * ingest/pcap.c gives the files libpcap reads for it - shown beside the
 * default so a gain from buffering is not mistaken for decoding speed.
 */
static int bare_loop(const char *path, size_t iobuf, uint64_t *packets, uint64_t *bytes)
{
	char err[PCAP_ERRBUF_SIZE];
	char *buf = NULL;
	pcap_t *pc;
	struct pcap_pkthdr *h;
	const u_char *d;
	int rc;

	if (iobuf) {
		FILE *f = fopen(path, "rb");
		buf = malloc(iobuf);
		if (!f || !buf || setvbuf(f, buf, _IOFBF, iobuf) != 0) {
			fprintf(stderr, "bench_pcap: %s: cannot open with a %zu-byte buffer\n", path, iobuf);
			if (f)
				fclose(f);
			free(buf);
			return -1;
		}
		pc = pcap_fopen_offline(f, err);
		if (!pc)
			fclose(f);
	} else {
		pc = pcap_open_offline(path, err);
	}
	if (!pc) {
		fprintf(stderr, "bench_pcap: %s: %s\n", path, err);
		free(buf);
		return -1;
	}
	*packets = *bytes = 0;
	while ((rc = pcap_next_ex(pc, &h, &d)) == 1) {
		(*packets)++;
		*bytes += h->caplen + d[0] * 0; /* touch the data, as a reader must */
	}
	pcap_close(pc);
	free(buf);
	return rc == PCAP_ERROR_BREAK ? 0 : -1;
}

static void count_message(void *arg, const struct dec_message *m)
{
	(void)m;
	(*(uint64_t *)arg)++;
}

static int full_decode(const char *path, uint64_t *packets, uint64_t *messages)
{
	struct ingest_pcap_handlers h = { .emit = count_message, .arg = messages };
	struct ingest_pcap *r;
	char err[512];

	*messages = 0;
	if (ingest_pcap_reader_open(path, NULL, &h, &r, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench_pcap: %s: %s\n", path, err);
		return -1;
	}
	int rc;
	while ((rc = ingest_pcap_reader_step(r)) > 0)
		;
	struct ingest_pcap_counters c;
	ingest_pcap_reader_counters(r, &c);
	*packets = c.frames;
	ingest_pcap_reader_close(r);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: bench_pcap FILE [REPEAT]\n");
		return 2;
	}
	int repeat = argc == 3 ? atoi(argv[2]) : 5;
	if (repeat < 1)
		repeat = 1;
	uint64_t pk = 0, by = 0, pk2 = 0, msgs = 0;
	ss_time_us best_bare = INT64_MAX, best_big = INT64_MAX, best_full = INT64_MAX;
	const size_t big = 256 * 1024; /* INGEST_PCAP_IOBUF */

	for (int i = 0; i < repeat; i++) {
		ss_time_us t0 = cpu_now();
		if (bare_loop(argv[1], 0, &pk, &by) < 0)
			return 1;
		ss_time_us t1 = cpu_now();
		if (full_decode(argv[1], &pk2, &msgs) < 0)
			return 1;
		ss_time_us t2 = cpu_now();
		if (bare_loop(argv[1], big, &pk, &by) < 0)
			return 1;
		ss_time_us t3 = cpu_now();
		if (t1 - t0 < best_bare)
			best_bare = t1 - t0;
		if (t2 - t1 < best_full)
			best_full = t2 - t1;
		if (t3 - t2 < best_big)
			best_big = t3 - t2;
	}
	double sb = best_bare > 0 ? (double)best_bare / 1e6 : 1e-6;
	double sg = best_big > 0 ? (double)best_big / 1e6 : 1e-6;
	double sf = best_full > 0 ? (double)best_full / 1e6 : 1e-6;
	printf("pcap bare libpcap loop: %llu packets in %.3f s: %.0f packets/s (the ceiling)\n",
	       (unsigned long long)pk, sb, (double)pk / sb);
	printf("pcap the same loop, 256 KiB stdio buffer: %.3f s: %.0f packets/s\n", sg,
	       (double)pk / sg);
	printf("pcap simsieve decode:   %llu packets in %.3f s: %.0f packets/s, %llu messages, %.0f messages/s\n",
	       (unsigned long long)pk2, sf, (double)pk2 / sf, (unsigned long long)msgs, (double)msgs / sf);
	printf("pcap decode / bare time: %.2fx (decode / same-buffer bare: %.2fx)\n", sf / sb, sf / sg);
	return 0;
}
