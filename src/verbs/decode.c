/*
 * decode.c - `simsieve decode`: every decoded signalling message of a
 * capture as one JSON object a line, in capture order (cli.md).
 *
 * stdout: dec_message_json() per message; a frame whose link, IP, SCTP,
 * TCP or UDP layer is malformed or cut short gives an object of the same
 * shape carrying the frame number, time, the layers walked and the anomaly.
 * stderr: one summary line (and libpcap's message if the file is cut short).
 * Exit: 0 done, 1 the capture could not be opened or was cut short,
 * 2 bad usage.
 */
#include "verbs/verbs.h"

#include "core/err.h"
#include "core/time.h"
#include "decode/decode.h"
#include "ingest/pcap.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DECODE_JSON_SIZE (64 * 1024)  /* longest line (one message) */
#define DECODE_OUT_SIZE (1024 * 1024) /* output block: messages are written straight into it */

static volatile sig_atomic_t decode_stop;
static struct ingest_pcap *decode_reader;

static void decode_on_signal(int sig)
{
	(void)sig;
	decode_stop = 1;
	ingest_pcap_reader_break(decode_reader);
}

/*
 * Messages are rendered one after another into one big block and written
 * with a single fwrite() when the room left could not hold a longest line:
 * one copy and one stdio call per megabyte instead of per message.
 */
struct decode_out {
	char *buf; /* DECODE_OUT_SIZE */
	size_t len;
	bool live; /* live capture: written out after every frame */
	uint64_t json_errors;
};

static void decode_flush(struct decode_out *o)
{
	if (o->len)
		fwrite(o->buf, 1, o->len, stdout);
	o->len = 0;
}

static void decode_usage(FILE *out)
{
	fprintf(out,
		"usage: simsieve decode [--filter BPF] FILE|-\n"
		"       simsieve decode --iface IF [--filter BPF] [--count N]\n"
		"\n"
		"Prints every decoded signalling message as one JSON object a line, in capture\n"
		"order; a frame that cannot be walked down to its payload gives an object with\n"
		"its anomaly.  A summary goes to stderr.  FILE is pcap or pcapng ('-' = stdin).\n"
		"\n"
		"  --filter BPF   only frames matching this capture filter (frame numbers still\n"
		"                 count every record of a file)\n"
		"  --iface IF     capture live from interface IF until interrupted\n"
		"  --count N      stop after N frames\n"
		"  -h, --help     this text\n");
}

static void print_message(void *arg, const struct dec_message *m)
{
	struct decode_out *o = arg;
	if (DECODE_OUT_SIZE - o->len < DECODE_JSON_SIZE)
		decode_flush(o);
	/* At most DECODE_JSON_SIZE - 1 bytes with its NUL, then the newline over the NUL. */
	int n = dec_message_json(m, o->buf + o->len, DECODE_JSON_SIZE - 1);
	if (n < 0) {
		o->json_errors++;
		return;
	}
	o->buf[o->len + (size_t)n] = '\n';
	o->len += (size_t)n + 1;
}

static void print_anomaly(void *arg, const struct ingest_pcap_anomaly *a)
{
	struct dec_message m;
	dec_message_init(&m, a->frame, a->time);
	dec_stack_push(&m, a->stack);
	dec_anomaly(&m, "%s", a->reason);
	print_message(arg, &m);
}

int verb_decode(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "filter", required_argument, NULL, 'f' },
		{ "iface", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ingest_pcap_options popt = { 0 };
	const char *iface = NULL, *path = NULL;
	uint64_t count = 0;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			popt.filter = optarg;
			break;
		case 'i':
			iface = optarg;
			break;
		case 'c': {
			char *end;
			errno = 0;
			unsigned long long v = strtoull(optarg, &end, 10);
			if (errno || *end || end == optarg || optarg[0] == '-' || v == 0) {
				fprintf(stderr, "simsieve decode: --count: expected a positive number\n");
				return 2;
			}
			count = v;
			break;
		}
		case 'h':
			decode_usage(stdout);
			return 0;
		default:
			decode_usage(stderr);
			return 2;
		}
	}
	if (iface && optind < argc) {
		fprintf(stderr, "simsieve decode: give --iface or a FILE, not both\n");
		return 2;
	}
	if (!iface) {
		if (optind + 1 != argc) {
			fprintf(stderr, "simsieve decode: expected one capture FILE (or - for stdin)\n");
			decode_usage(stderr);
			return 2;
		}
		path = argv[optind];
	}

	struct decode_out o = { .buf = malloc(DECODE_OUT_SIZE), .live = iface != NULL };
	if (!o.buf) {
		fprintf(stderr, "simsieve decode: out of memory\n");
		return 1;
	}
	static char outbuf[1 << 16];
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));

	struct ingest_pcap_handlers h = { .emit = print_message, .anomaly = print_anomaly, .arg = &o };
	struct ingest_pcap *r = NULL;
	char err[512];
	const char *name = iface ? iface : strcmp(path, "-") == 0 ? "<stdin>" : path;
	int rc = iface ? ingest_pcap_reader_open_live(iface, &popt, &h, &r, err, sizeof(err))
		       : ingest_pcap_reader_open(path, &popt, &h, &r, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "simsieve decode: %s: %s\n", name, err);
		free(o.buf);
		return rc == -SS_EUSAGE && popt.filter ? 2 : 1;
	}

	decode_reader = r;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = decode_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	int status = 0;
	ss_time_us started = ss_time_monotonic();
	struct ingest_pcap_counters c;
	for (;;) {
		rc = ingest_pcap_reader_step(r);
		if (o.live)
			decode_flush(&o); /* live: lines leave with their frame (stdio still buffers) */
		if (rc <= 0 || decode_stop)
			break;
		if (count) {
			ingest_pcap_reader_counters(r, &c);
			if (c.frames >= count)
				break;
		}
	}
	if (rc > 0 || decode_stop)
		ingest_pcap_flush(r); /* stopped early: deliver what TCP still holds */
	decode_flush(&o);
	fflush(stdout);
	double secs = (double)(ss_time_monotonic() - started) / 1e6;
	if (rc < 0) {
		fprintf(stderr, "simsieve decode: %s: capture cut short %s\n", name, ingest_pcap_reader_error(r));
		status = 1;
	}
	ingest_pcap_reader_counters(r, &c);
	fprintf(stderr, "simsieve decode: %s: frames %llu, messages %llu, anomalies %llu, unknown %llu, "
			"%.3f s, %.0f msgs/s\n",
		name, (unsigned long long)c.frames, (unsigned long long)c.messages,
		(unsigned long long)(c.anomalies + c.msg_anomalies), (unsigned long long)c.unknown, secs,
		secs > 0 ? (double)c.messages / secs : 0.0);
	fprintf(stderr, "  ");
	ingest_pcap_counters_print(stderr, &c);
	fputc('\n', stderr);
	if (o.json_errors)
		fprintf(stderr, "  %llu messages too long to print\n", (unsigned long long)o.json_errors);
	decode_reader = NULL;
	ingest_pcap_reader_close(r);
	free(o.buf);
	if (ferror(stdout))
		status = 1;
	return status;
}
