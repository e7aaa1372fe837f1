/*
 * replay.c - `simsieve replay`: offline investigation (cli.md).
 *
 * Reads every input, merges them in time order, runs all detectors, writes
 * actions as JSON Lines, and prints a summary to stderr.  The reputation
 * store is a fresh temporary LMDB environment unless --db names one.
 * --iface captures live instead of (or besides) reading files: events go
 * through the same merge and detectors until SIGINT/SIGTERM, --count frames
 * or --duration; what is buffered is then processed as at the end of a file.
 *
 * Actions go through the store's durable outbox (docs/provisioning.md):
 * the engine commits each with its reputation change, and a dispatcher with
 * one JSON Lines receiver ("replay", --actions) writes them out, every few
 * thousand events and completely before the replay returns.  With a
 * persistent --db, a replay that was killed and is run again writes what
 * the killed run had decided but not yet written, and never an action twice
 * (--append keeps the earlier part of the file).
 */
#include "verbs/verbs.h"

#include "act/act.h"
#include "act/dispatch.h"
#include "core/config.h"
#include "core/err.h"
#include "core/log.h"
#include "core/time.h"
#include "engine/engine.h"
#include "ingest/live.h"
#include "ingest/merge.h"
#include "ingest/pcap.h"
#include "ingest/reader.h"
#include "ingest/source.h"
#include "rep/rep.h"

#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define REPLAY_MAX_INPUTS 64
#define REPLAY_BATCH 256
#define REPLAY_READER_DEPTH 4 /* batches the reader thread may be ahead */
#define REPLAY_DELIVER_EVERY 64		       /* event batches between dispatcher turns */
#define REPLAY_DRAIN_TIMEOUT (60 * SS_US_PER_SEC) /* a receiver that cannot write (disk full) */

static volatile sig_atomic_t replay_stop;
static struct ingest_source *replay_live[REPLAY_MAX_INPUTS];
static size_t replay_n_live;

/*
 * With live captures a signal ends the captures (their sources then end
 * and the merge drains normally); without, it stops the replay.
 */
static void replay_on_signal(int sig)
{
	(void)sig;
	if (replay_n_live) {
		for (size_t i = 0; i < replay_n_live; i++)
			ingest_live_break(replay_live[i]);
	} else {
		replay_stop = 1;
	}
}

/* parse_count() - a positive integer; 0 on a bad one. */
static uint64_t parse_count(const char *s)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || end == s || s[0] == '-')
		return 0;
	return v;
}

/* replay_cpus() - how many CPUs this process may run on (its affinity mask, e.g. under taskset). */
static int replay_cpus(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		return CPU_COUNT(&set);
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

/*
 * replay_inputs_are_files() - every input is a regular file, so every read
 * completes and a reader thread can always be stopped (ingest/reader.h).
 * stdin, pipes, FIFOs and live captures are read on the main thread.
 */
static bool replay_inputs_are_files(const char *const *cdr, size_t n_cdr, const char *const *act, size_t n_act,
				    const char *const *pcaps, size_t n_pcap, size_t n_iface)
{
	if (n_iface)
		return false;
	for (size_t k = 0; k < 3; k++) {
		const char *const *paths = k == 0 ? cdr : k == 1 ? act : pcaps;
		size_t n = k == 0 ? n_cdr : k == 1 ? n_act : n_pcap;
		for (size_t i = 0; i < n; i++) {
			struct stat st;
			if (!strcmp(paths[i], "-") || stat(paths[i], &st) < 0 || !S_ISREG(st.st_mode))
				return false;
		}
	}
	return true;
}

static void replay_usage(FILE *out)
{
	fprintf(out,
		"usage: simsieve replay [options] --cdr FILE... --activations FILE... --pcap FILE...\n"
		"       simsieve replay [options] --iface IF [--filter BPF] [--count N] [--duration DUR]\n"
		"\n"
		"Reads every input ('-' = stdin), merges them in time order, runs all detectors,\n"
		"writes actions as JSON Lines and prints a summary to stderr.\n"
		"\n"
		"  --cdr FILE            CDR CSV (repeatable)\n"
		"  --activations FILE    activation / lifecycle CSV (repeatable)\n"
		"  --pcap FILE           signalling capture, pcap or pcapng (repeatable)\n"
		"  --iface IF            capture live from interface IF (repeatable) until\n"
		"                        SIGINT/SIGTERM, --count or --duration\n"
		"  --filter BPF          capture filter for --iface\n"
		"  --count N             stop each --iface capture after N frames\n"
		"  --duration DUR        stop the captures after DUR (90s, 15m, 1h; plain = seconds)\n"
		"  --actions OUT         where actions go (default: stdout); replaced unless --append\n"
		"  --append              add to an existing --actions file\n"
		"  --db DIR              reputation store (default: a fresh temporary one)\n"
		"  --keep-db             keep the temporary store and print its path\n"
		"  --resume              (with --db) the input was partly replayed on this store\n"
		"                        before (a killed run): what that run decided up to its\n"
		"                        last commit is not decided again\n"
		"  --config FILE         configuration (docs/configuration.md)\n"
		"  --shadow              record what would be done: every action in shadow mode\n"
		"  --delimiter C         field delimiter: , ; | or tab (default ,)\n"
		"  --mapping FILE        column renames (docs/input-formats.md)\n"
		"  --reorder-window DUR  how late a record may be and still be ordered (default 5m;\n"
		"                        overrides [ingest] reorder_window)\n"
		"  --fsync POLICY        never | batch | always (default never)\n"
		"  --reader-thread WHEN  auto | on | off: parse the inputs on a second thread\n"
		"                        while the detectors run (auto: when this process may\n"
		"                        use more than one CPU); only for regular-file inputs\n"
		"  -q, --quiet           errors only      -v, --verbose   debug output\n"
		"  -h, --help            this text\n");
}

static void remove_db_dir(const char *dir)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/lock.mdb", dir);
	unlink(path);
	rmdir(dir);
}

static void print_input_summary(FILE *out, struct ingest_source *const *src, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct ingest_counters *c = &src[i]->counters;
		fprintf(out,
			"  input %s %s: %llu accepted, %llu rejected, %llu duplicates, %llu late\n",
			src[i]->kind, src[i]->name, (unsigned long long)c->accepted,
			(unsigned long long)c->rejected, (unsigned long long)c->duplicates,
			(unsigned long long)c->late);
		struct ingest_pcap_counters pc;
		if (ingest_pcap_source_counters(src[i], &pc) == 0 || ingest_live_counters(src[i], &pc) == 0) {
			fprintf(out, "    capture: ");
			ingest_pcap_counters_print(out, &pc);
			fputc('\n', out);
		}
	}
}

int verb_replay(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "cdr", required_argument, NULL, 'c' },
		{ "activations", required_argument, NULL, 'a' },
		{ "pcap", required_argument, NULL, 'p' },
		{ "iface", required_argument, NULL, 'i' },
		{ "filter", required_argument, NULL, 'F' },
		{ "count", required_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 't' },
		{ "actions", required_argument, NULL, 'o' },
		{ "db", required_argument, NULL, 'd' },
		{ "keep-db", no_argument, NULL, 'k' },
		{ "resume", no_argument, NULL, 'R' },
		{ "config", required_argument, NULL, 'C' },
		{ "shadow", no_argument, NULL, 's' },
		{ "delimiter", required_argument, NULL, 'D' },
		{ "mapping", required_argument, NULL, 'm' },
		{ "reorder-window", required_argument, NULL, 'w' },
		{ "fsync", required_argument, NULL, 'f' },
		{ "append", no_argument, NULL, 'A' },
		{ "reader-thread", required_argument, NULL, 'T' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cdr[REPLAY_MAX_INPUTS], *act[REPLAY_MAX_INPUTS], *pcaps[REPLAY_MAX_INPUTS];
	const char *ifaces[REPLAY_MAX_INPUTS], *filter = NULL;
	size_t n_cdr = 0, n_act = 0, n_pcap = 0, n_iface = 0;
	uint64_t count = 0;
	ss_time_us duration = 0;
	const char *actions_path = "-", *db = NULL, *config_path = NULL, *mapping = NULL;
	bool keep_db = false, shadow = false, append = false, resume = false;
	int reader_arg = -1; /* --reader-thread: -1 auto, 0 off, 1 on */
	char delimiter = ',';
	const char *window_arg = NULL;
	enum act_fsync_policy fsync_policy = ACT_FSYNC_NEVER;
	int opt, status = 0;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
		case 'a':
			if ((opt == 'c' ? n_cdr : n_act) >= REPLAY_MAX_INPUTS) {
				fprintf(stderr, "simsieve replay: at most %d inputs of each kind\n", REPLAY_MAX_INPUTS);
				return 2;
			}
			if (opt == 'c')
				cdr[n_cdr++] = optarg;
			else
				act[n_act++] = optarg;
			break;
		case 'p':
			if (n_pcap >= REPLAY_MAX_INPUTS) {
				fprintf(stderr, "simsieve replay: at most %d inputs of each kind\n", REPLAY_MAX_INPUTS);
				return 2;
			}
			pcaps[n_pcap++] = optarg;
			break;
		case 'i':
			if (n_iface >= REPLAY_MAX_INPUTS) {
				fprintf(stderr, "simsieve replay: at most %d inputs of each kind\n", REPLAY_MAX_INPUTS);
				return 2;
			}
			ifaces[n_iface++] = optarg;
			break;
		case 'F':
			filter = optarg;
			break;
		case 'n':
			count = parse_count(optarg);
			if (!count) {
				fprintf(stderr, "simsieve replay: --count: expected a positive number\n");
				return 2;
			}
			break;
		case 't':
			if (ss_duration_parse(optarg, &duration) < 0 || duration <= 0) {
				fprintf(stderr, "simsieve replay: --duration: expected a duration such as 30s, 5m, 1h\n");
				return 2;
			}
			break;
		case 'o':
			actions_path = optarg;
			break;
		case 'd':
			db = optarg;
			break;
		case 'k':
			keep_db = true;
			break;
		case 'R':
			resume = true;
			break;
		case 'C':
			config_path = optarg;
			break;
		case 's':
			shadow = true;
			break;
		case 'D':
			if (verbs_parse_delimiter(optarg, &delimiter) < 0) {
				fprintf(stderr, "simsieve replay: --delimiter: expected , ; | or tab\n");
				return 2;
			}
			break;
		case 'm':
			mapping = optarg;
			break;
		case 'w':
			window_arg = optarg;
			break;
		case 'f':
			if (!strcmp(optarg, "never"))
				fsync_policy = ACT_FSYNC_NEVER;
			else if (!strcmp(optarg, "batch"))
				fsync_policy = ACT_FSYNC_BATCH;
			else if (!strcmp(optarg, "always"))
				fsync_policy = ACT_FSYNC_ALWAYS;
			else {
				fprintf(stderr, "simsieve replay: --fsync: never, batch or always\n");
				return 2;
			}
			break;
		case 'A':
			append = true;
			break;
		case 'T':
			if (!strcmp(optarg, "auto"))
				reader_arg = -1;
			else if (!strcmp(optarg, "on"))
				reader_arg = 1;
			else if (!strcmp(optarg, "off"))
				reader_arg = 0;
			else {
				fprintf(stderr, "simsieve replay: --reader-thread: auto, on or off\n");
				return 2;
			}
			break;
		case 'q':
			ss_log_set_level(SS_LOG_ERROR);
			break;
		case 'v':
			ss_log_set_level(SS_LOG_DEBUG);
			break;
		case 'h':
			replay_usage(stdout);
			return 0;
		default:
			replay_usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "simsieve replay: unexpected argument '%s'\n", argv[optind]);
		replay_usage(stderr);
		return 2;
	}
	if (resume && !db) {
		fprintf(stderr, "simsieve replay: --resume needs --db\n");
		return 2;
	}
	if ((filter || count || duration) && n_iface == 0) {
		fprintf(stderr, "simsieve replay: --filter, --count and --duration need --iface\n");
		return 2;
	}
	if (n_cdr + n_act + n_pcap + n_iface == 0) {
		fprintf(stderr, "simsieve replay: no input: give --cdr, --activations, --pcap and/or --iface\n");
		replay_usage(stderr);
		return 2;
	}

	struct ss_config *cfg = NULL;
	struct rep *rep = NULL;
	struct act_dispatch *disp = NULL;
	struct act_receiver *recv = NULL;
	struct engine *engine = NULL;
	struct merge *merge = NULL;
	struct ingest_source *sources[4 * REPLAY_MAX_INPUTS];
	size_t n_sources = 0;
	char tmpdir[] = "/tmp/simsieve-replay-XXXXXX";
	bool temp_db = false;
	char err[512];
	int rc;

	rc = ss_config_load(config_path, &cfg, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "simsieve replay: %s\n", err);
		return 2;
	}
	/* Command-line settings override the file: the config parser checks them alike. */
	if (window_arg && ss_config_set(cfg, "ingest", "reorder_window", window_arg) < 0) {
		status = 2;
		goto out;
	}

	uint8_t id_key[64];
	size_t id_key_len;
	struct merge_options mopt;
	struct rep_options ropt;
	if (verbs_load_id_key(cfg, id_key, &id_key_len) < 0 || verbs_ingest_settings(cfg, &mopt, &ropt) < 0) {
		status = 2;
		goto out;
	}

	if (!db) {
		if (!mkdtemp(tmpdir)) {
			ss_error("cannot create a temporary store: %s", strerror(errno));
			status = 1;
			goto out;
		}
		db = tmpdir;
		temp_db = true;
	}
	rc = rep_open(db, &ropt, &rep);
	if (rc < 0) {
		status = 1;
		goto out;
	}
	rc = act_dispatch_open(rep, NULL, &disp);
	if (rc == 0)
		rc = act_receiver_jsonl_open_path("replay", actions_path, (int)fsync_policy, append, &recv);
	if (rc == 0) {
		rc = act_dispatch_add(disp, recv, NULL); /* takes recv */
		recv = NULL;
	}
	if (rc < 0) {
		ss_error("actions: %s", ss_strerror(rc));
		status = 1;
		goto out;
	}
	struct engine_options eopt = {
		.config = cfg, .rep = rep, .shadow = shadow, .outbox = true, .resume = resume,
	};
	rc = engine_open(&eopt, &engine);
	if (rc < 0) {
		status = rc == -SS_ECONFIG ? 2 : 1;
		goto out;
	}
	if (ss_config_check_unused(cfg) > 0) {
		status = 2;
		goto out;
	}

	for (size_t i = 0; i < n_cdr + n_act; i++) {
		struct ingest_options iopt = {
			.delimiter = delimiter,
			.mapping_file = mapping,
			.id_doc_key = id_key_len ? id_key : NULL,
			.id_doc_key_len = id_key_len,
			.input_index = (unsigned)i,
		};
		const char *path = i < n_cdr ? cdr[i] : act[i - n_cdr];
		rc = i < n_cdr ? ingest_cdr_open(path, &iopt, &sources[n_sources])
			       : ingest_activation_open(path, &iopt, &sources[n_sources]);
		if (rc < 0) {
			ss_error("%s: cannot read input: %s", path, ss_strerror(rc));
			status = 1;
			goto out;
		}
		n_sources++;
	}
	for (size_t i = 0; i < n_pcap; i++) {
		struct ingest_options iopt = { .input_index = (unsigned)(n_cdr + n_act + i) };
		rc = ingest_pcap_open(pcaps[i], &iopt, &sources[n_sources]);
		if (rc < 0) {
			ss_error("%s: cannot read input: %s", pcaps[i], ss_strerror(rc));
			status = 1;
			goto out;
		}
		n_sources++;
	}
	for (size_t i = 0; i < n_iface; i++) {
		struct ingest_live_options lopt = {
			.iface = ifaces[i], .filter = filter, .max_frames = count, .duration = duration,
			.input_index = (unsigned)(n_cdr + n_act + n_pcap + i),
		};
		char lerr[512];
		rc = ingest_live_open(&lopt, &sources[n_sources], lerr, sizeof(lerr));
		if (rc < 0) {
			ss_error("%s: cannot capture: %s", ifaces[i], lerr);
			status = rc == -SS_EUSAGE && filter ? 2 : 1;
			goto out;
		}
		replay_live[replay_n_live++] = sources[n_sources];
		n_sources++;
	}
	rc = merge_open(sources, n_sources, &mopt, &merge);
	if (rc < 0) {
		ss_error("merge: %s", ss_strerror(rc));
		status = 1;
		goto out;
	}

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = replay_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	/*
	 * Events go to the engine in batches so detectors can prefetch their
	 * state a few events ahead (engine_on_events()).  With a second core and
	 * inputs that are all regular files, a reader thread parses and merges
	 * the next batches meanwhile (ingest/reader.h): same events, same order.
	 */
	ss_time_us started = ss_time_monotonic();
	struct ingest_reader *reader = NULL;
	bool use_reader = reader_arg == 1 || (reader_arg == -1 && replay_cpus() > 1);
	if (use_reader && replay_inputs_are_files(cdr, n_cdr, act, n_act, pcaps, n_pcap, n_iface)) {
		rc = ingest_reader_start(merge, REPLAY_BATCH, REPLAY_READER_DEPTH, &reader);
		if (rc < 0) {
			ss_warn("reader thread: %s; reading on one thread", ss_strerror(rc));
			reader = NULL;
		}
	}
	static struct event batch[REPLAY_BATCH];
	unsigned turns = 0;
	rc = 1;
	while (rc > 0) {
		struct event *evs = batch;
		size_t n = 0;
		if (reader) {
			if (replay_stop)
				ingest_reader_stop(reader);
			ssize_t got = ingest_reader_next(reader, &evs);
			rc = got > 0 ? 1 : (int)got;
			n = got > 0 ? (size_t)got : 0;
		} else {
			/* merge_next() overwrites the whole event: no ev_init() first. */
			while (n < REPLAY_BATCH && !replay_stop) {
				rc = merge_next(merge, &batch[n]);
				if (rc <= 0)
					break;
				n++;
			}
		}
		engine_on_events(engine, evs, n);
		if (!reader)
			for (size_t i = 0; i < n; i++)
				if (batch[i].text)
					ev_clear(&batch[i]);
		/* What the engine committed meanwhile goes out while the replay runs. */
		if (++turns % REPLAY_DELIVER_EVERY == 0 && act_dispatch_poll(disp) < 0)
			ss_warn("actions: delivery delayed (store error above)");
		if (replay_stop && !reader)
			break;
	}
	/* Joined before anything else reads the sources' counters. */
	ingest_reader_close(reader);
	if (rc < 0) {
		ss_error("reading inputs: %s", ss_strerror(rc));
		status = 1;
	}
	if (replay_stop)
		ss_warn("interrupted: stopping after the events read so far");
	rc = engine_finish(engine);
	if (rc < 0) {
		ss_error("finishing: %s", ss_strerror(rc));
		status = 1;
	}
	rc = act_dispatch_drain(disp, REPLAY_DRAIN_TIMEOUT);
	if (rc < 0) {
		ss_error("actions: not all written to %s (%s); they stay in the store's outbox", actions_path,
			 ss_strerror(rc));
		status = 1;
	}
	double secs = (double)(ss_time_monotonic() - started) / 1e6;

	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	const struct engine_counters *ec = engine_counters(engine);
	fprintf(stderr, "simsieve replay summary\n");
	print_input_summary(stderr, sources, n_sources);
	engine_summary(engine, stderr);
	{
		const struct rep_outbox_counters *oc = rep_outbox_counters(rep);
		struct act_dispatch_stats ds;
		act_dispatch_stats(disp, &ds, 1);
		fprintf(stderr,
			"  outbox: %llu actions committed, %llu already decided before (same id, not sent again); "
			"written %llu, parked %llu, left %llu\n",
			(unsigned long long)oc->queued, (unsigned long long)oc->duplicates,
			(unsigned long long)ds.delivered, (unsigned long long)ds.parked,
			(unsigned long long)ds.backlog);
	}
	fprintf(stderr, "  time: %.3f s, %.0f events/s, peak RSS %ld KiB\n", secs,
		secs > 0 ? (double)ec->events / secs : 0.0, ru.ru_maxrss);
	if (temp_db)
		fprintf(stderr, "  reputation store: %s (%s)\n", db, keep_db ? "kept" : "temporary, removed");
	else
		fprintf(stderr, "  reputation store: %s\n", db);

out:
	replay_n_live = 0;
	merge_close(merge);
	for (size_t i = 0; i < n_sources; i++)
		ingest_close(sources[i]);
	engine_close(engine);
	act_dispatch_close(disp);
	act_receiver_close(recv);
	if (rep && rep_close(rep) < 0 && status == 0)
		status = 1;
	if (temp_db && !keep_db)
		remove_db_dir(db);
	ss_config_free(cfg);
	return status;
}
