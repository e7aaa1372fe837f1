/*
 * run.c - `simsieve run --config FILE`: the live daemon (cli.md).
 *
 * Inputs ([run] in the configuration, docs/configuration.md): capture
 * interfaces (libpcap, non-blocking) and CDR / activation feed files
 * followed like `tail -F` (ingest/follow.h).  Everything runs in one thread
 * around poll(): the capture descriptors, a self-pipe for signals, and a
 * timer that polls the feeds every poll_ms.
 *
 * Feeds: complete lines of the followed file are written into a pipe whose
 * read end is an ordinary CSV source (ingest_cdr_open_stream()), so rows
 * are parsed, checked and reported ("file:line: reason") exactly as in a
 * replay; the pipe is non-blocking and the source returns -EAGAIN when it
 * has read everything.  A rotated or truncated file is a new generation:
 * the old source is drained and closed, and a new one reads the new
 * header.
 *
 * Order: every event goes into one arrival queue, the single input of a
 * time-ordered merge (ingest/merge.h) with the replay's reorder window and
 * de-duplication.  While no input arrives for idle_advance, the input clock
 * follows the wall clock: the merge releases what has waited a window, and
 * detectors get their ticks (engine_advance()), so windows expire.
 *
 * Signals (self-pipe; handlers only write one byte): SIGTERM/SIGINT stop
 * reading, drain the feeds and the merge, finish the engine, close the
 * store, exit 0.  SIGHUP re-reads the configuration: a broken one is
 * rejected with file:line in the log and the running one stays; a good one
 * replaces the policy, reloads the lists and reopens the actions file (log
 * rotation).  SIGUSR1 logs a stats line at once.
 *
 * Actions (docs/provisioning.md): the engine commits each action to the
 * store's durable outbox with the reputation change behind it; a
 * dispatcher delivers the outbox to every receiver - the [sink.<name>]
 * sections, plus a JSON Lines receiver "actions" for [run] actions.  All
 * LMDB work stays in this thread (one environment, one writer); each
 * receiver's send(), which may block up to its timeout (a webhook, the
 * HLR), runs in a thread of its own and reports back through a pipe that
 * the poll loop watches, so captures and feeds never wait for a slow
 * provisioning system.  On SIGTERM the outbox is drained for up to
 * [run] drain_timeout; what is left is delivered after the next start.
 */
#include "verbs/verbs.h"

#include "act/act.h"
#include "act/dispatch.h"
#include "core/config.h"
#include "core/err.h"
#include "core/log.h"
#include "core/time.h"
#include "engine/engine.h"
#include "ingest/follow.h"
#include "ingest/live.h"
#include "ingest/merge.h"
#include "ingest/pcap.h"
#include "ingest/source.h"
#include "rep/rep.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define RUN_MAX_INPUTS 32
#define RUN_BATCH 256
#define RUN_PIPE_SIZE (1 << 20)		  /* asked for; the kernel may give less */
#define RUN_FEED_BUDGET (4u << 20)	  /* bytes a feed may pump per loop turn */
#define RUN_CAPTURE_BUDGET 20000	  /* events a capture may give per loop turn */
#define RUN_RETRY_MIN (1 * SS_US_PER_SEC) /* capture reopen backoff */
#define RUN_RETRY_MAX (60 * SS_US_PER_SEC)
#define RUN_STORE_COMMIT SS_US_PER_SEC	  /* commit the store at least this often */

/* ---- settings: [run] ---- */

struct run_settings {
	const char *db;
	const char *actions;
	enum act_fsync_policy fsync;
	const char *interfaces[RUN_MAX_INPUTS];
	size_t n_interfaces;
	const char *filter;
	const char *cdr_feeds[RUN_MAX_INPUTS];
	size_t n_cdr;
	const char *act_feeds[RUN_MAX_INPUTS];
	size_t n_act;
	char delimiter;
	const char *mapping;
	int64_t poll_ms;
	ss_time_us stats_interval;
	ss_time_us idle_advance;
	const char *pid_file;
	ss_time_us drain_timeout;
	bool has_sinks; /* [sink.<name>] sections configured */
	/* the other sections the daemon itself reads */
	struct merge_options mopt;
	struct rep_options ropt;
	uint8_t id_key[64];
	size_t id_key_len;
	/* backing store for split interface names */
	char if_buf[1024];
};

/* check_filter() - compile the BPF expression without a capture (config check). */
static int check_filter(const struct ss_config *cfg, const char *filter)
{
	struct bpf_program prog;
	pcap_t *p;

	if (!filter)
		return 0;
	p = pcap_open_dead(DLT_EN10MB, 262144);
	if (!p)
		return -ENOMEM;
	int rc = pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN);
	if (rc < 0)
		ss_error("%s: run.filter = '%s': %s", ss_config_path(cfg), filter, pcap_geterr(p));
	else
		pcap_freecode(&prog);
	pcap_close(p);
	return rc < 0 ? -SS_ECONFIG : 0;
}

/*
 * read_settings() - every key the daemon reads itself.  Strings are borrowed
 * from @cfg.  -SS_ECONFIG (logged with file:line) on a bad value.
 */
static int read_settings(const struct ss_config *cfg, struct run_settings *s)
{
	const char *ifs[RUN_MAX_INPUTS], *fsync = NULL, *delim = NULL;
	size_t n_ifs = 0;

	memset(s, 0, sizeof(*s));
	s->delimiter = ',';
	{
		char names[ACT_DISPATCH_MAX][64];
		size_t n_sinks = 0;
		if (ss_config_sections(cfg, "sink.", &names[0][0], sizeof(names[0]), ACT_DISPATCH_MAX, &n_sinks) < 0) {
			ss_error("%s: at most %d [sink.<name>] sections", ss_config_path(cfg), ACT_DISPATCH_MAX);
			return -SS_ECONFIG;
		}
		s->has_sinks = n_sinks > 0;
	}
	/* Without receivers the actions go to standard output, as before the outbox. */
	if (ss_config_string(cfg, "run", "db", verbs_default_db(), &s->db) < 0 ||
	    ss_config_string(cfg, "run", "actions", s->has_sinks ? "none" : "-", &s->actions) < 0 ||
	    ss_config_duration(cfg, "run", "drain_timeout", 10 * SS_US_PER_SEC, &s->drain_timeout) < 0 ||
	    ss_config_string(cfg, "run", "fsync", "batch", &fsync) < 0 ||
	    ss_config_strings(cfg, "run", "interface", ifs, RUN_MAX_INPUTS, &n_ifs) < 0 ||
	    ss_config_string(cfg, "run", "filter", NULL, &s->filter) < 0 ||
	    ss_config_strings(cfg, "run", "cdr_feed", s->cdr_feeds, RUN_MAX_INPUTS, &s->n_cdr) < 0 ||
	    ss_config_strings(cfg, "run", "activation_feed", s->act_feeds, RUN_MAX_INPUTS, &s->n_act) < 0 ||
	    ss_config_string(cfg, "run", "delimiter", ",", &delim) < 0 ||
	    ss_config_string(cfg, "run", "mapping", NULL, &s->mapping) < 0 ||
	    ss_config_int(cfg, "run", "poll_ms", 200, 10, 60000, &s->poll_ms) < 0 ||
	    ss_config_duration(cfg, "run", "stats_interval", 5 * SS_US_PER_MIN, &s->stats_interval) < 0 ||
	    ss_config_duration(cfg, "run", "idle_advance", 30 * SS_US_PER_SEC, &s->idle_advance) < 0 ||
	    ss_config_string(cfg, "run", "pid_file", NULL, &s->pid_file) < 0)
		return -SS_ECONFIG;
	if (!strcmp(fsync, "never"))
		s->fsync = ACT_FSYNC_NEVER;
	else if (!strcmp(fsync, "batch"))
		s->fsync = ACT_FSYNC_BATCH;
	else if (!strcmp(fsync, "always"))
		s->fsync = ACT_FSYNC_ALWAYS;
	else {
		ss_error("%s: run.fsync = '%s': expected never, batch or always", ss_config_path(cfg), fsync);
		return -SS_ECONFIG;
	}
	if (verbs_parse_delimiter(delim, &s->delimiter) < 0) {
		ss_error("%s: run.delimiter = '%s': expected comma, semicolon, pipe or tab",
			 ss_config_path(cfg), delim);
		return -SS_ECONFIG;
	}
	/* interface = eth1, eth2 and/or several interface lines */
	size_t used = 0;
	for (size_t i = 0; i < n_ifs; i++) {
		const char *p = ifs[i];
		while (*p) {
			p += strspn(p, " \t,");
			size_t len = strcspn(p, " \t,");
			if (!len)
				break;
			if (s->n_interfaces == RUN_MAX_INPUTS || used + len + 1 > sizeof(s->if_buf)) {
				ss_error("%s: run.interface: too many interfaces (at most %d)", ss_config_path(cfg),
					 RUN_MAX_INPUTS);
				return -SS_ECONFIG;
			}
			memcpy(s->if_buf + used, p, len);
			s->if_buf[used + len] = '\0';
			s->interfaces[s->n_interfaces++] = s->if_buf + used;
			used += len + 1;
			p += len;
		}
	}
	if (s->n_interfaces + s->n_cdr + s->n_act == 0) {
		ss_error("%s: [run] needs at least one interface, cdr_feed or activation_feed",
			 ss_config_path(cfg));
		return -SS_ECONFIG;
	}
	if (check_filter(cfg, s->filter) < 0)
		return -SS_ECONFIG;
	if (verbs_ingest_settings(cfg, &s->mopt, &s->ropt) < 0 ||
	    verbs_load_id_key(cfg, s->id_key, &s->id_key_len) < 0)
		return -SS_ECONFIG;
	return 0;
}

/* ---- signals: a self-pipe ---- */

static int run_sigpipe[2] = { -1, -1 };

static void run_on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;
	if (write(run_sigpipe[1], &b, 1) < 0) {
		/* The pipe is full: enough signals are pending already. */
	}
	errno = saved;
}

static int install_signals(void)
{
	if (pipe2(run_sigpipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = run_on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static void restore_signals(void)
{
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
	for (int i = 0; i < 2; i++) {
		if (run_sigpipe[i] >= 0)
			close(run_sigpipe[i]);
		run_sigpipe[i] = -1;
	}
}

/* ---- the arrival queue: the merge's one input ---- */

struct run_queue {
	struct ingest_source base;
	struct event *q;
	size_t head, len, cap; /* ring buffer */
	ss_time_us max_time;   /* latest event time queued */
	bool any;
	ss_time_us last_arrival; /* monotonic */
};

static int queue_next(struct ingest_source *src, struct event *ev)
{
	struct run_queue *q = (struct run_queue *)src;
	if (q->len == 0)
		return -EAGAIN;
	*ev = q->q[q->head];
	ev_init(&q->q[q->head]);
	q->head = (q->head + 1) % q->cap;
	q->len--;
	return 1;
}

static void queue_close(struct ingest_source *src)
{
	struct run_queue *q = (struct run_queue *)src;
	for (size_t i = 0; i < q->len; i++)
		ev_clear(&q->q[(q->head + i) % q->cap]);
	free(q->q);
	q->q = NULL;
	q->len = q->cap = q->head = 0;
}

static const struct ingest_source_ops queue_ops = { .next = queue_next, .close = queue_close };

/* queue_push() - take ownership of *@ev (its text moves into the queue). */
static int queue_push(struct run_queue *q, struct event *ev)
{
	if (q->len == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 1024;
		struct event *n = malloc(cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		for (size_t i = 0; i < q->len; i++)
			n[i] = q->q[(q->head + i) % q->cap];
		free(q->q);
		q->q = n;
		q->cap = cap;
		q->head = 0;
	}
	q->q[(q->head + q->len) % q->cap] = *ev;
	q->len++;
	q->base.counters.accepted++;
	if (!q->any || ev->time > q->max_time)
		q->max_time = ev->time;
	q->any = true;
	q->last_arrival = ss_time_monotonic();
	ev_init(ev);
	return 0;
}

/* ---- feeds ---- */

struct run_feed {
	char *path;
	bool activations;
	unsigned input_index;
	struct follow *fw;
	uint64_t gen;	/* generation the current pipe/source reads */
	bool skip_gen;	/* the generation's header was bad: its data is skipped */
	int wfd;	/* pipe write end, -1 = none */
	struct ingest_source *src;
	struct ingest_counters done; /* counters of the sources already closed */
	uint64_t generations;
};

struct run {
	struct ss_config *cfg_open; /* the configuration the engine was opened with */
	struct ss_config *cfg;	    /* the latest accepted one */
	const char *config_path;
	struct run_settings set;
	struct rep *rep;
	struct act_dispatch *disp;
	struct engine *engine;
	struct merge *merge;
	struct run_queue queue;
	struct run_feed feeds[2 * RUN_MAX_INPUTS];
	size_t n_feeds;
	struct {
		const char *iface;
		struct ingest_source *src;
		ss_time_us retry_at, backoff;
		struct ingest_counters done;
		uint64_t frames_done, messages_done, failures;
	} caps[RUN_MAX_INPUTS];
	size_t n_caps;
	struct ingest_options iopt;
	bool stop;
	ss_time_us started;
	ss_time_us last_commit;
	uint64_t reloads, reload_failures;
	struct event batch[RUN_BATCH];
};

static int feed_deliver(struct run *r, struct run_feed *f);

/* feed_close_source() - end the current generation: drain its source, close the pipe. */
static void feed_close_source(struct run *r, struct run_feed *f)
{
	if (f->wfd >= 0) {
		close(f->wfd); /* the source now sees the end of its input */
		f->wfd = -1;
	}
	if (f->src) {
		feed_deliver(r, f);
		f->done.accepted += f->src->counters.accepted;
		f->done.rejected += f->src->counters.rejected;
		ingest_close(f->src);
		f->src = NULL;
	}
	f->skip_gen = false;
}

/* feed_deliver() - move the parsed events of a feed into the queue.  0 or -ENOMEM. */
static int feed_deliver(struct run *r, struct run_feed *f)
{
	struct event ev;
	for (;;) {
		ev_init(&ev);
		int rc = ingest_next(f->src, &ev);
		if (rc == 1) {
			if (queue_push(&r->queue, &ev) < 0) {
				ev_clear(&ev);
				return -ENOMEM;
			}
			continue;
		}
		if (rc < 0 && rc != -EAGAIN)
			ss_error("%s: reading: %s", f->path, ss_strerror(rc));
		return 0;
	}
}

/* feed_start() - a pipe and a CSV source for generation @gen; the header must be in the pipe. */
static int feed_open_pipe(struct run_feed *f, int *rfd)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	(void)fcntl(p[1], F_SETPIPE_SZ, RUN_PIPE_SIZE); /* best effort */
	*rfd = p[0];
	f->wfd = p[1];
	return 0;
}

/*
 * feed_pump() - poll the follower (when @poll) and move its complete lines
 * through the pipe into the CSV source and on into the queue.  Returns 1
 * when data is left that could be moved at once (call again soon).
 */
static int feed_pump(struct run *r, struct run_feed *f, bool poll)
{
	size_t moved = 0;

	if (poll)
		follow_poll(f->fw);
	for (;;) {
		const char *d;
		size_t len;
		uint64_t gen = follow_peek(f->fw, &d, &len);
		if ((f->src || f->wfd >= 0 || f->skip_gen) && gen != f->gen)
			feed_close_source(r, f);
		if (len == 0) {
			if (follow_ended(f->fw)) {
				/* Generation finished and consumed: close it, start the next. */
				feed_close_source(r, f);
				follow_poll(f->fw);
				follow_peek(f->fw, &d, &len);
				if (len == 0)
					return 0;
				continue;
			}
			return 0;
		}
		if (moved >= RUN_FEED_BUDGET)
			return 1;
		f->gen = gen;
		if (f->skip_gen) {
			follow_consume(f->fw, len);
			moved += len;
			continue;
		}
		int rfd = -1;
		if (f->wfd < 0 && !f->src) {
			int rc = feed_open_pipe(f, &rfd);
			if (rc < 0) {
				ss_error("%s: pipe: %s", f->path, ss_strerror(rc));
				return 0;
			}
			f->generations++;
		}
		ssize_t w = f->wfd >= 0 ? write(f->wfd, d, len) : (ssize_t)len;
		if (w < 0) {
			if (errno != EAGAIN && errno != EINTR)
				ss_error("%s: pipe write: %s", f->path, strerror(errno));
			w = 0;
		}
		if (rfd >= 0) {
			/* A new source reads its header now: the first line must be in the pipe. */
			const char *nl = memchr(d, '\n', len);
			if (!nl || (size_t)w <= (size_t)(nl - d)) {
				ss_error("%s: header line longer than the pipe: generation skipped", f->path);
				close(rfd);
				close(f->wfd);
				f->wfd = -1;
				f->skip_gen = true;
				follow_consume(f->fw, (size_t)w);
				continue;
			}
			FILE *fp = fdopen(rfd, "r");
			int rc = fp ? 0 : -errno;
			if (fp) {
				struct ingest_options io = r->iopt;
				io.input_index = f->input_index;
				rc = f->activations ? ingest_activation_open_stream(fp, f->path, true, &io, &f->src)
						    : ingest_cdr_open_stream(fp, f->path, true, &io, &f->src);
			} else {
				close(rfd);
			}
			if (rc < 0) {
				/* Reported by the reader (name:line: reason); skip this file. */
				ss_error("%s: cannot read this file (%s); waiting for the next one", f->path,
					 ss_strerror(rc));
				close(f->wfd);
				f->wfd = -1;
				f->src = NULL;
				f->skip_gen = true;
			}
		}
		follow_consume(f->fw, (size_t)w);
		moved += (size_t)w;
		if (f->src && feed_deliver(r, f) < 0)
			return 0;
		if (w == 0 && !f->skip_gen)
			return 1; /* pipe full and nothing parsed: the reader needs a turn */
	}
}

/* ---- captures ---- */

static void capture_open(struct run *r, size_t i, ss_time_us now)
{
	char err[512];
	struct ingest_live_options lo = {
		.iface = r->caps[i].iface,
		.filter = r->set.filter,
		.nonblocking = true,
		.input_index = (unsigned)(r->n_feeds + i),
	};
	int rc = ingest_live_open(&lo, &r->caps[i].src, err, sizeof(err));
	if (rc < 0) {
		r->caps[i].failures++;
		r->caps[i].backoff = r->caps[i].backoff ? r->caps[i].backoff * 2 : RUN_RETRY_MIN;
		if (r->caps[i].backoff > RUN_RETRY_MAX)
			r->caps[i].backoff = RUN_RETRY_MAX;
		r->caps[i].retry_at = now + r->caps[i].backoff;
		ss_error("capture %s: %s; retrying in %lld s", r->caps[i].iface, err,
			 (long long)(r->caps[i].backoff / SS_US_PER_SEC));
		return;
	}
	ss_info("capture %s: started%s%s", r->caps[i].iface, r->set.filter ? ", filter " : "",
		r->set.filter ? r->set.filter : "");
}

static void capture_close(struct run *r, size_t i)
{
	struct ingest_source *src = r->caps[i].src;
	struct ingest_pcap_counters pc;
	if (!src)
		return;
	if (ingest_live_counters(src, &pc) == 0) {
		r->caps[i].frames_done += pc.frames;
		r->caps[i].messages_done += pc.messages;
	}
	r->caps[i].done.accepted += src->counters.accepted;
	r->caps[i].done.rejected += src->counters.rejected;
	ingest_close(src);
	r->caps[i].src = NULL;
}

/* capture_pump() - read what the interface has; reopen with backoff after a failure. */
static int capture_pump(struct run *r, size_t i, ss_time_us now)
{
	if (!r->caps[i].src) {
		if (now >= r->caps[i].retry_at)
			capture_open(r, i, now);
		if (!r->caps[i].src)
			return 0;
	}
	struct event ev;
	for (int n = 0; n < RUN_CAPTURE_BUDGET; n++) {
		ev_init(&ev);
		int rc = ingest_next(r->caps[i].src, &ev);
		if (rc == 1) {
			if (queue_push(&r->queue, &ev) < 0) {
				ev_clear(&ev);
				return -ENOMEM;
			}
			continue;
		}
		if (rc == -EAGAIN)
			return 0;
		/* The capture failed (reported) or ended: reopen later. */
		capture_close(r, i);
		r->caps[i].failures++;
		r->caps[i].backoff = RUN_RETRY_MIN;
		r->caps[i].retry_at = now + r->caps[i].backoff;
		ss_error("capture %s: stopped; reopening in %lld s", r->caps[i].iface,
			 (long long)(r->caps[i].backoff / SS_US_PER_SEC));
		return 0;
	}
	r->caps[i].backoff = 0;
	return 1;
}

/* ---- events to the engine ---- */

/*
 * deliver() - everything the merge releases goes to the engine; with
 * @drain, everything buffered.  Returns the number of events delivered.
 */
static uint64_t deliver(struct run *r, bool drain)
{
	uint64_t total = 0;
	int rc = 1;

	while (rc == 1) {
		size_t n = 0;
		/* merge_next() overwrites the whole event: no ev_init() first. */
		while (n < RUN_BATCH) {
			rc = drain ? merge_drain_next(r->merge, &r->batch[n]) : merge_next(r->merge, &r->batch[n]);
			if (rc != 1)
				break;
			n++;
		}
		engine_on_events(r->engine, r->batch, n);
		for (size_t i = 0; i < n; i++)
			if (r->batch[i].text)
				ev_clear(&r->batch[i]);
		total += n;
	}
	if (rc < 0 && rc != -EAGAIN)
		ss_error("merge: %s", ss_strerror(rc));
	return total;
}

/* idle_clock() - the input clock advanced with the wall clock while idle; 0 = not idle. */
static ss_time_us idle_clock(const struct run *r, ss_time_us mono)
{
	if (!r->set.idle_advance || !r->queue.any)
		return 0;
	ss_time_us idle = mono - r->queue.last_arrival;
	if (idle < r->set.idle_advance)
		return 0;
	return r->queue.max_time + idle;
}

/*
 * commit() - commit the store (the outbox with it) about once a second, and
 * give the dispatcher its turn: committed actions go out, finished sends
 * are acknowledged in the store.
 */
static void commit(struct run *r, ss_time_us mono, bool force)
{
	if (force || mono - r->last_commit >= RUN_STORE_COMMIT) {
		/* A breaker reset or a release from `simsieve rep`, also while no input arrives. */
		engine_check_control(r->engine);
		int rc = rep_flush(r->rep);
		if (rc < 0)
			ss_error("reputation store: %s", ss_strerror(rc));
		r->last_commit = mono;
	}
	int rc = act_dispatch_poll(r->disp);
	if (rc < 0)
		ss_error("delivery: %s", ss_strerror(rc));
}

/*
 * open_receivers() - the [sink.<name>] receivers, and "actions" for
 * [run] actions unless it is "none".  With @check_only they are opened and
 * closed again (configuration check).  0 or a negative code (logged).
 */
static int open_receivers(const struct ss_config *cfg, const struct run_settings *s, struct act_dispatch *d)
{
	int rc = act_dispatch_configure(d, cfg);
	if (rc < 0)
		return rc;
	if (strcmp(s->actions, "none") != 0) {
		struct act_receiver *recv = NULL;
		rc = act_receiver_jsonl_open_path("actions", s->actions, (int)s->fsync, true, &recv);
		if (rc == 0)
			rc = act_dispatch_add(d, recv, NULL);
		if (rc < 0) {
			ss_error("%s: run.actions = %s: %s", ss_config_path(cfg), s->actions, ss_strerror(rc));
			return rc;
		}
	}
	if (act_dispatch_count(d) == 0)
		ss_warn("no receivers ([run] actions = none and no [sink.<name>]): actions wait in the outbox");
	return 0;
}

/* check_receivers() - every [sink.<name>] opened and closed: keys and values checked. */
static int check_receivers(const struct ss_config *cfg)
{
	char names[ACT_DISPATCH_MAX][64];
	size_t n = 0;
	if (ss_config_sections(cfg, "sink.", &names[0][0], sizeof(names[0]), ACT_DISPATCH_MAX, &n) < 0)
		return -SS_ECONFIG;
	for (size_t i = 0; i < n; i++) {
		struct act_dispatch_receiver_options o;
		struct act_receiver *recv = NULL;
		int rc = act_dispatch_read_options(cfg, names[i], &o);
		if (rc == 0)
			rc = act_receiver_open(cfg, names[i], &recv);
		act_receiver_close(recv);
		if (rc < 0) {
			ss_error("%s: [sink.%s]: %s", ss_config_path(cfg), names[i], ss_strerror(rc));
			return -SS_ECONFIG;
		}
		if (!strcmp(names[i], "actions")) {
			ss_error("%s: [sink.actions]: the name is taken by [run] actions", ss_config_path(cfg));
			return -SS_ECONFIG;
		}
	}
	return 0;
}

/* ---- stats ---- */

static void log_stats(struct run *r, const char *why)
{
	const struct engine_counters *ec = engine_counters(r->engine);
	uint64_t actions = 0;
	for (size_t f = 0; f < 16; f++)
		for (int k = 1; k <= REP_ACTION_RELEASE; k++)
			actions += ec->actions[f][k];
	struct merge_stats ms;
	merge_get_stats(r->merge, &ms);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double up = (double)(ss_time_monotonic() - r->started) / 1e6;

	char line[4096];
	int n = snprintf(line, sizeof(line),
			 "stats (%s): up %.0f s, events %llu, findings %llu, actions %llu, buffered %zu, "
			 "late %llu, duplicates %llu, reloads %llu (%llu rejected), peak RSS %ld KiB",
			 why, up, (unsigned long long)ec->events, (unsigned long long)ec->findings,
			 (unsigned long long)actions, ms.buffered, (unsigned long long)ms.late,
			 (unsigned long long)ms.duplicates, (unsigned long long)r->reloads,
			 (unsigned long long)r->reload_failures, ru.ru_maxrss);
	for (size_t i = 0; i < r->n_feeds && n > 0 && (size_t)n < sizeof(line); i++) {
		struct run_feed *f = &r->feeds[i];
		struct follow_counters fc;
		follow_get_counters(f->fw, &fc);
		uint64_t acc = f->done.accepted + (f->src ? f->src->counters.accepted : 0);
		uint64_t rej = f->done.rejected + (f->src ? f->src->counters.rejected : 0);
		n += snprintf(line + n, sizeof(line) - (size_t)n,
			      "; feed %s: %llu accepted, %llu rejected, %llu bytes, %llu rotations, "
			      "%llu truncations%s",
			      f->path, (unsigned long long)acc, (unsigned long long)rej,
			      (unsigned long long)fc.bytes, (unsigned long long)fc.rotations,
			      (unsigned long long)fc.truncations, follow_is_open(f->fw) ? "" : " (waiting)");
	}
	struct act_dispatch_stats ds[ACT_DISPATCH_MAX];
	size_t nds = act_dispatch_stats(r->disp, ds, ACT_DISPATCH_MAX);
	for (size_t i = 0; i < nds && n > 0 && (size_t)n < sizeof(line); i++)
		n += snprintf(line + n, sizeof(line) - (size_t)n,
			      "; sink %s (%s): %llu delivered, %llu parked, %llu waiting, %llu retries%s%s",
			      ds[i].name, ds[i].type, (unsigned long long)ds[i].delivered,
			      (unsigned long long)ds[i].parked, (unsigned long long)ds[i].backlog,
			      (unsigned long long)ds[i].retries, ds[i].attempts ? ", failing: " : "",
			      ds[i].attempts ? ds[i].last_error : "");
	if ((ec->breaker_trips || engine_breaker_tripped(r->engine)) && n > 0 && (size_t)n < sizeof(line))
		n += snprintf(line + n, sizeof(line) - (size_t)n, "; breaker: %s, %llu trips, %llu shadowed",
			      engine_breaker_tripped(r->engine) ? "TRIPPED" : "reset",
			      (unsigned long long)ec->breaker_trips, (unsigned long long)ec->breaker_shadowed);
	for (size_t i = 0; i < r->n_caps && n > 0 && (size_t)n < sizeof(line); i++) {
		struct ingest_pcap_counters pc = { 0 };
		uint64_t acc = r->caps[i].done.accepted, rej = r->caps[i].done.rejected;
		if (r->caps[i].src) {
			ingest_live_counters(r->caps[i].src, &pc);
			acc += r->caps[i].src->counters.accepted;
			rej += r->caps[i].src->counters.rejected;
		}
		n += snprintf(line + n, sizeof(line) - (size_t)n,
			      "; capture %s: %llu frames, %llu messages, %llu events, %llu rejected, "
			      "%llu failures%s",
			      r->caps[i].iface, (unsigned long long)(r->caps[i].frames_done + pc.frames),
			      (unsigned long long)(r->caps[i].messages_done + pc.messages),
			      (unsigned long long)acc, (unsigned long long)rej,
			      (unsigned long long)r->caps[i].failures, r->caps[i].src ? "" : " (down)");
	}
	ss_info("%s", line);
}

/* ---- reload ---- */

/*
 * validate() - a full check of @cfg as at start-up: the daemon's keys, an
 * engine opened and closed on it (policy, detectors), and no unknown key.
 */
static int validate(struct run *r, const struct ss_config *cfg, struct run_settings *s)
{
	if (read_settings(cfg, s) < 0)
		return -SS_ECONFIG;
	if (check_receivers(cfg) < 0)
		return -SS_ECONFIG;
	struct engine *e = NULL;
	struct engine_options eo = { .config = cfg, .rep = r->rep, .breaker_defaults = true };
	int rc = engine_open(&eo, &e);
	engine_close(e);
	if (rc < 0)
		return rc;
	if (ss_config_check_unused(cfg) > 0)
		return -SS_ECONFIG;
	return 0;
}

static bool str_differs(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0);
}

static void reload(struct run *r)
{
	struct ss_config *cfg = NULL;
	char err[512];
	struct run_settings *s = calloc(1, sizeof(*s));

	ss_info("SIGHUP: reloading %s", r->config_path);
	if (!s) {
		ss_error("reload: out of memory; keeping the running configuration");
		r->reload_failures++;
		return;
	}
	int rc = ss_config_load(r->config_path, &cfg, err, sizeof(err));
	if (rc < 0) {
		ss_error("reload rejected: %s; keeping the running configuration", err);
		goto rejected;
	}
	if (validate(r, cfg, s) < 0) {
		ss_error("reload rejected: %s has errors (above); keeping the running configuration",
			 r->config_path);
		goto rejected;
	}
	rc = engine_set_policy(r->engine, cfg);
	if (rc < 0) {
		ss_error("reload rejected: policy: %s; keeping the running configuration", ss_strerror(rc));
		goto rejected;
	}
	rc = engine_reload_lists(r->engine, true);
	if (rc < 0)
		ss_error("reload: lists: %s (the previous lists stay)", ss_strerror(rc));
	/* Signature sets and allow-lists: rebuilt in the background, swapped on success. */
	rc = engine_reload_detectors(r->engine, cfg);
	if (rc < 0)
		ss_error("reload: detectors: %s (their previous data stays)", ss_strerror(rc));

	/* Inputs, store and detectors keep running as started. */
	bool inputs = str_differs(s->db, r->set.db) || str_differs(s->filter, r->set.filter) ||
		      s->n_interfaces != r->set.n_interfaces || s->n_cdr != r->set.n_cdr ||
		      s->n_act != r->set.n_act || s->delimiter != r->set.delimiter ||
		      str_differs(s->mapping, r->set.mapping);
	for (size_t i = 0; !inputs && i < s->n_interfaces; i++)
		inputs = strcmp(s->interfaces[i], r->set.interfaces[i]) != 0;
	for (size_t i = 0; !inputs && i < s->n_cdr; i++)
		inputs = strcmp(s->cdr_feeds[i], r->set.cdr_feeds[i]) != 0;
	for (size_t i = 0; !inputs && i < s->n_act; i++)
		inputs = strcmp(s->act_feeds[i], r->set.act_feeds[i]) != 0;
	if (inputs)
		ss_warn("reload: [run] db, interfaces, filter, feeds, delimiter and mapping take effect at "
			"the next start");

	/* Reopen the actions files: after a rotation the path names a new file. */
	act_dispatch_reopen(r->disp);
	if (str_differs(s->actions, r->set.actions))
		ss_warn("reload: [run] actions and [sink.<name>] changes take effect at the next start");
	/* A breaker reset or a release written meanwhile: at once. */
	engine_check_control(r->engine);

	/* Keep what must not change, take the rest. */
	struct run_settings old = r->set;
	old.poll_ms = s->poll_ms;
	old.stats_interval = s->stats_interval;
	old.idle_advance = s->idle_advance;
	old.drain_timeout = s->drain_timeout;
	/*
	 * Kept strings (db, feeds, filter, mapping, pid_file) point into
	 * cfg_open, which lives as long as the daemon; actions points into
	 * @cfg, kept as r->cfg until the next reload replaces it.
	 */
	r->set = old;
	if (r->cfg && r->cfg != r->cfg_open)
		ss_config_free(r->cfg);
	r->cfg = cfg;
	r->reloads++;
	free(s);
	ss_info("reloaded %s: policy, lists and settings applied; actions to %zu receiver(s)", r->config_path,
		act_dispatch_count(r->disp));
	return;
rejected:
	r->reload_failures++;
	ss_config_free(cfg);
	free(s);
}

/* ---- pid file ---- */

static int write_pid_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (f) {
		long pid = 0;
		if (fscanf(f, "%ld", &pid) == 1 && pid > 0 && pid != (long)getpid() && kill((pid_t)pid, 0) == 0) {
			fclose(f);
			ss_error("%s: simsieve is already running as process %ld", path, pid);
			return -EEXIST;
		}
		fclose(f);
	}
	f = fopen(path, "w");
	if (!f) {
		ss_error("%s: %s", path, strerror(errno));
		return -errno;
	}
	fprintf(f, "%ld\n", (long)getpid());
	if (fclose(f) != 0) {
		ss_error("%s: %s", path, strerror(errno));
		return -EIO;
	}
	return 0;
}

/* ---- the verb ---- */

static void run_usage(FILE *out)
{
	fprintf(out,
		"usage: simsieve run --config FILE [--check] [-q|-v]\n"
		"\n"
		"The live daemon: captures the [run] interfaces and follows the CDR and activation\n"
		"feed files, runs all detectors and writes actions until SIGTERM or SIGINT.\n"
		"SIGHUP re-reads the configuration and reopens the actions file; SIGUSR1 logs a\n"
		"stats line.  See docs/operations.md.\n"
		"\n"
		"  --config FILE   configuration (docs/configuration.md), required\n"
		"  --check         check the configuration and exit (0 = good, 2 = errors)\n"
		"  -q, --quiet     errors only      -v, --verbose   debug output\n"
		"  -h, --help      this text\n");
}

static void run_cleanup(struct run *r)
{
	merge_close(r->merge);
	r->merge = NULL;
	for (size_t i = 0; i < r->n_feeds; i++) {
		struct run_feed *f = &r->feeds[i];
		if (f->wfd >= 0)
			close(f->wfd);
		ingest_close(f->src);
		follow_close(f->fw);
		free(f->path);
	}
	for (size_t i = 0; i < r->n_caps; i++)
		ingest_close(r->caps[i].src);
	queue_close(&r->queue.base);
	engine_close(r->engine);
	act_dispatch_close(r->disp);
}

int verb_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'C' },
		{ "check", no_argument, NULL, 'k' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config_path = NULL;
	bool check_only = false;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'C':
			config_path = optarg;
			break;
		case 'k':
			check_only = true;
			break;
		case 'q':
			ss_log_set_level(SS_LOG_ERROR);
			break;
		case 'v':
			ss_log_set_level(SS_LOG_DEBUG);
			break;
		case 'h':
			run_usage(stdout);
			return 0;
		default:
			run_usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "simsieve run: unexpected argument '%s'\n", argv[optind]);
		run_usage(stderr);
		return 2;
	}
	if (!config_path) {
		fprintf(stderr, "simsieve run: --config FILE is required\n");
		run_usage(stderr);
		return 2;
	}

	struct run *r = calloc(1, sizeof(*r));
	char err[512];
	int status = 0, rc;
	bool pid_written = false;
	if (!r) {
		fprintf(stderr, "simsieve run: out of memory\n");
		return 1;
	}
	r->config_path = config_path;
	rc = ss_config_load(config_path, &r->cfg_open, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "simsieve run: %s\n", err);
		free(r);
		return 2;
	}
	r->cfg = r->cfg_open;
	if (read_settings(r->cfg, &r->set) < 0) {
		status = 2;
		goto out;
	}
	rc = rep_open(r->set.db, &r->set.ropt, &r->rep);
	if (rc < 0) {
		ss_error("%s: cannot open the reputation store: %s", r->set.db, ss_strerror(rc));
		status = 1;
		goto out;
	}
	if (check_only) {
		struct run_settings *s = calloc(1, sizeof(*s));
		status = !s ? 1 : validate(r, r->cfg, s) < 0 ? 2 : 0;
		free(s);
		if (status == 0)
			printf("%s: configuration OK\n", config_path);
		goto out;
	}
	if (check_receivers(r->cfg) < 0) {
		status = 2;
		goto out;
	}
	struct act_dispatch_options dopt = { .threaded = true };
	rc = act_dispatch_open(r->rep, &dopt, &r->disp);
	if (rc == 0)
		rc = open_receivers(r->cfg, &r->set, r->disp);
	if (rc < 0) {
		status = rc == -SS_ECONFIG ? 2 : 1;
		goto out;
	}
	struct engine_options eopt = {
		.config = r->cfg_open, .rep = r->rep, .outbox = true, .breaker_defaults = true, .resume = true,
	};
	rc = engine_open(&eopt, &r->engine);
	if (rc < 0) {
		status = rc == -SS_ECONFIG ? 2 : 1;
		goto out;
	}
	if (ss_config_check_unused(r->cfg) > 0) {
		status = 2;
		goto out;
	}
	if (r->set.pid_file) {
		if (write_pid_file(r->set.pid_file) < 0) {
			status = 1;
			goto out;
		}
		pid_written = true;
	}

	r->iopt.delimiter = r->set.delimiter;
	r->iopt.mapping_file = r->set.mapping;
	r->iopt.id_doc_key = r->set.id_key_len ? r->set.id_key : NULL;
	r->iopt.id_doc_key_len = r->set.id_key_len;
	for (size_t i = 0; i < r->set.n_cdr + r->set.n_act; i++) {
		struct run_feed *f = &r->feeds[r->n_feeds];
		bool act = i >= r->set.n_cdr;
		const char *path = act ? r->set.act_feeds[i - r->set.n_cdr] : r->set.cdr_feeds[i];
		f->path = strdup(path);
		f->activations = act;
		f->input_index = (unsigned)r->n_feeds;
		f->wfd = -1;
		if (!f->path || follow_open(path, NULL, &f->fw) < 0) {
			free(f->path);
			ss_error("out of memory");
			status = 1;
			goto out;
		}
		r->n_feeds++;
	}
	r->queue.base.ops = &queue_ops;
	r->queue.base.name = "live";
	r->queue.base.kind = "live";
	struct ingest_source *qsrc = &r->queue.base;
	rc = merge_open(&qsrc, 1, &r->set.mopt, &r->merge);
	if (rc < 0) {
		ss_error("merge: %s", ss_strerror(rc));
		status = 1;
		goto out;
	}
	rc = install_signals();
	if (rc < 0) {
		ss_error("signals: %s", ss_strerror(rc));
		status = 1;
		goto out;
	}

	r->started = ss_time_monotonic();
	r->last_commit = r->started;
	for (size_t i = 0; i < r->set.n_interfaces; i++) {
		r->caps[i].iface = r->set.interfaces[i];
		capture_open(r, i, r->started);
		r->n_caps++;
	}
	ss_info("running: %zu feed(s), %zu interface(s), actions to %zu receiver(s), store %s", r->n_feeds,
		r->n_caps, act_dispatch_count(r->disp), r->set.db);

	ss_time_us next_feed_poll = 0, next_stats = r->started + r->set.stats_interval;
	bool more = false;
	while (!r->stop) {
		struct pollfd pfd[2 + RUN_MAX_INPUTS];
		nfds_t np = 0;
		pfd[np].fd = run_sigpipe[0];
		pfd[np++].events = POLLIN;
		/* A receiver's send finished: its acknowledgement is committed below. */
		pfd[np].fd = act_dispatch_fd(r->disp);
		pfd[np++].events = POLLIN;
		for (size_t i = 0; i < r->n_caps; i++) {
			int fd = ingest_live_fd(r->caps[i].src);
			if (fd >= 0) {
				pfd[np].fd = fd;
				pfd[np++].events = POLLIN;
			}
		}
		ss_time_us mono = ss_time_monotonic();
		ss_time_us wait = more ? 0 : next_feed_poll - mono;
		if (r->set.stats_interval && next_stats - mono < wait)
			wait = next_stats - mono;
		ss_time_us retry = act_dispatch_next_wake(r->disp);
		if (retry && retry - mono < wait)
			wait = retry - mono;
		if (wait < 0)
			wait = 0;
		if (poll(pfd, np, (int)(wait / 1000)) < 0 && errno != EINTR) {
			ss_error("poll: %s", strerror(errno));
			status = 1;
			break;
		}

		/* Signals first. */
		unsigned char sig[64];
		ssize_t ns;
		bool stats_now = false;
		while ((ns = read(run_sigpipe[0], sig, sizeof(sig))) > 0) {
			for (ssize_t i = 0; i < ns; i++) {
				if (sig[i] == SIGTERM || sig[i] == SIGINT) {
					ss_info("%s: stopping", sig[i] == SIGTERM ? "SIGTERM" : "SIGINT");
					r->stop = true;
				} else if (sig[i] == SIGHUP) {
					reload(r);
				} else if (sig[i] == SIGUSR1) {
					stats_now = true;
				}
			}
		}
		if (r->stop)
			break;

		mono = ss_time_monotonic();
		bool poll_feeds = mono >= next_feed_poll;
		more = false;
		for (size_t i = 0; i < r->n_feeds; i++)
			if (feed_pump(r, &r->feeds[i], poll_feeds || more) > 0)
				more = true;
		if (poll_feeds)
			next_feed_poll = mono + r->set.poll_ms * 1000;
		for (size_t i = 0; i < r->n_caps; i++)
			if (capture_pump(r, i, mono) > 0)
				more = true;

		deliver(r, false);
		ss_time_us clock = idle_clock(r, mono);
		if (clock) {
			merge_advance(r->merge, clock);
			deliver(r, false);
			/* Everything up to clock - window has been released: detectors may tick there. */
			engine_advance(r->engine, clock - r->set.mopt.reorder_window);
		}
		commit(r, mono, false);

		if (stats_now)
			log_stats(r, "SIGUSR1");
		if (r->set.stats_interval && mono >= next_stats) {
			log_stats(r, "periodic");
			next_stats = mono + r->set.stats_interval;
		}
	}

	/* Shutdown: what was read is processed; nothing new is read. */
	for (size_t i = 0; i < r->n_feeds; i++)
		feed_close_source(r, &r->feeds[i]);
	for (size_t i = 0; i < r->n_caps; i++) {
		if (r->caps[i].src) {
			ingest_live_break(r->caps[i].src);
			struct event ev;
			ev_init(&ev);
			while (ingest_next(r->caps[i].src, &ev) == 1 && queue_push(&r->queue, &ev) == 0)
				ev_init(&ev);
			ev_clear(&ev);
		}
		capture_close(r, i);
	}
	deliver(r, true);
	rc = engine_finish(r->engine);
	if (rc < 0) {
		ss_error("finishing: %s", ss_strerror(rc));
		status = 1;
	}
	commit(r, ss_time_monotonic(), true);
	/* Deliver what is committed; the rest waits in the outbox for the next start. */
	rc = act_dispatch_drain(r->disp, r->set.drain_timeout);
	if (rc < 0)
		ss_warn("delivery: %s after %.0f s; undelivered actions stay in the outbox and go out at the "
			"next start",
			ss_strerror(rc), (double)r->set.drain_timeout / 1e6);
	log_stats(r, "final");

out:
	restore_signals();
	run_cleanup(r);
	if (r->rep && rep_close(r->rep) < 0 && status == 0)
		status = 1;
	if (pid_written)
		unlink(r->set.pid_file);
	if (r->cfg != r->cfg_open)
		ss_config_free(r->cfg);
	ss_config_free(r->cfg_open);
	free(r);
	return status;
}
