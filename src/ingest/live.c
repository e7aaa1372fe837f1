/*
 * live.c - a live capture interface as an event source (see live.h).
 */
#include "ingest/live.h"

#include "core/err.h"
#include "core/time.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define LIVE_WAIT_MS 100 /* blocking mode: how often limits are checked while idle */

struct live_src {
	struct ingest_source base;
	struct ingest_pcap *r;
	int fd;
	bool nonblocking;
	uint64_t max_frames;
	ss_time_us deadline; /* monotonic; 0 = none */
	volatile sig_atomic_t stop;
	bool done;
	struct ingest_event_queue queue;
};

static const struct ingest_source_ops live_ops;

static uint64_t live_frames(const struct live_src *s)
{
	struct ingest_pcap_counters c;
	ingest_pcap_reader_counters(s->r, &c);
	return c.frames;
}

/* live_finish() - no more frames: deliver what TCP reassembly still holds. */
static void live_finish(struct live_src *s)
{
	if (!s->done)
		ingest_pcap_flush(s->r);
	s->done = true;
}

static int live_next(struct ingest_source *src, struct event *ev)
{
	struct live_src *s = (struct live_src *)src;

	for (;;) {
		if (s->queue.oom)
			return -ENOMEM;
		if (ingest_event_queue_pop(&s->queue, ev)) {
			src->counters.accepted++;
			return 1;
		}
		if (s->done)
			return 0;
		if (s->stop || (s->max_frames && live_frames(s) >= s->max_frames) ||
		    (s->deadline && ss_time_monotonic() >= s->deadline)) {
			live_finish(s);
			continue;
		}
		uint64_t before = live_frames(s);
		int rc = ingest_pcap_reader_step(s->r);
		if (rc == 0) {
			live_finish(s); /* broken off */
		} else if (rc < 0) {
			ingest_report_bad(src, before + 1, "capture failed: %s", ingest_pcap_reader_error(s->r));
			live_finish(s);
			if (s->queue.len == 0)
				return -EIO;
		} else if (live_frames(s) == before) {
			if (s->nonblocking)
				return -EAGAIN;
			/*
			 * Blocking mode waits here, not in libpcap: with TPACKET_V3 a
			 * read on an idle interface may never time out, and the frame
			 * and time limits must be checked while nothing arrives.
			 */
			struct pollfd p = { .fd = s->fd, .events = POLLIN };
			(void)poll(&p, 1, LIVE_WAIT_MS);
		}
	}
}

static void live_close(struct ingest_source *src)
{
	struct live_src *s = (struct live_src *)src;
	ingest_event_queue_free(&s->queue);
	ingest_pcap_reader_close(s->r);
	free(src->name);
	free(s);
}

static const struct ingest_source_ops live_ops = { .next = live_next, .close = live_close };

int ingest_live_open(const struct ingest_live_options *opt, struct ingest_source **out, char *err,
		     size_t err_size)
{
	struct live_src *s;
	int rc;

	*out = NULL;
	if (!opt || !opt->iface || !*opt->iface) {
		snprintf(err, err_size, "no interface given");
		return -SS_EUSAGE;
	}
	s = calloc(1, sizeof(*s));
	if (!s || !(s->base.name = strdup(opt->iface))) {
		free(s);
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	s->base.ops = &live_ops;
	s->base.kind = "capture";
	s->base.errors = opt->errors;
	s->base.max_error_lines = opt->max_error_lines;
	s->queue.src = &s->base;
	s->queue.input_index = opt->input_index;
	s->nonblocking = opt->nonblocking;
	s->max_frames = opt->max_frames;
	s->fd = -1;
	if (opt->duration > 0)
		s->deadline = ss_time_monotonic() + opt->duration;

	struct ingest_pcap_options popt = { .filter = opt->filter };
	struct ingest_pcap_handlers h = {
		.emit = ingest_event_queue_on_message, .anomaly = ingest_event_queue_on_anomaly, .arg = &s->queue
	};
	rc = ingest_pcap_reader_open_live(opt->iface, &popt, &h, &s->r, err, err_size);
	if (rc < 0)
		goto fail;
	/* Non-blocking in both modes: blocking mode polls the descriptor itself. */
	rc = ingest_pcap_reader_pollfd(s->r, err, err_size);
	if (rc < 0)
		goto fail;
	s->fd = rc;
	*out = &s->base;
	return 0;
fail:
	ingest_pcap_reader_close(s->r);
	free(s->base.name);
	free(s);
	return rc;
}

int ingest_live_fd(const struct ingest_source *src)
{
	if (!src || src->ops != &live_ops || !((const struct live_src *)src)->nonblocking)
		return -1;
	return ((const struct live_src *)src)->fd;
}

void ingest_live_break(struct ingest_source *src)
{
	if (!src || src->ops != &live_ops)
		return;
	struct live_src *s = (struct live_src *)src;
	s->stop = 1;
	ingest_pcap_reader_break(s->r);
}

int ingest_live_counters(const struct ingest_source *src, struct ingest_pcap_counters *c)
{
	if (!src || src->ops != &live_ops)
		return -SS_EUSAGE;
	ingest_pcap_reader_counters(((const struct live_src *)src)->r, c);
	return 0;
}
