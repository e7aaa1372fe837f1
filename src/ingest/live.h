/*
 * live.h - a live capture interface as an event source (kind "capture"):
 * `simsieve replay --iface` and the daemon's [run] interface.
 *
 * Frames are read with libpcap from the interface, walked and decoded
 * exactly as a capture file's (ingest/pcap.h), and each decoded message
 * that means something to the detectors becomes one event, source
 * EV_SRC_PCAP, line = frame number.  A frame with a transport anomaly is
 * reported as "iface:frame: reason" and counted as rejected.
 *
 * Two modes.  Blocking (replay): next() waits for traffic and returns 0
 * once the frame or time limit is reached or ingest_live_break() was
 * called.  Non-blocking (daemon): next() returns -EAGAIN when no frame is
 * waiting; poll ingest_live_fd() for readability (and call next() on a
 * timer too: with TPACKET_V3 a descriptor may only wake up per block).
 * A read error from libpcap (the interface went down) is reported and
 * returned as -EIO; the source is then finished and the caller reopens it.
 *
 * Ownership: the source owns its capture; close with ingest_close().
 */
#ifndef SS_INGEST_LIVE_H
#define SS_INGEST_LIVE_H

#include "ingest/pcap.h"
#include "ingest/source.h"

struct ingest_live_options {
	const char *iface;     /* required; copied */
	const char *filter;    /* BPF expression, NULL = everything */
	bool nonblocking;      /* daemon mode, see above */
	uint64_t max_frames;   /* stop after this many frames; 0 = no limit */
	ss_time_us duration;   /* stop after this long (monotonic); 0 = no limit */
	unsigned input_index;  /* stored in event.input */
	FILE *errors;	       /* bad-frame messages; NULL = stderr */
	uint64_t max_error_lines;
};

/*
 * ingest_live_open() - start capturing.  On failure a message is left in
 * @err and -SS_EUSAGE (no such interface, bad filter), -EACCES (not
 * permitted) or -ENOMEM returned.
 */
int ingest_live_open(const struct ingest_live_options *opt, struct ingest_source **out, char *err,
		     size_t err_size);

/* ingest_live_fd() - the descriptor to poll (non-blocking mode), else -1. */
int ingest_live_fd(const struct ingest_source *src);

/* ingest_live_break() - make next() return 0 soon.  Async-signal-safe. */
void ingest_live_break(struct ingest_source *src);

/* ingest_live_counters() - the capture's counters; -SS_EUSAGE for another kind of source. */
int ingest_live_counters(const struct ingest_source *src, struct ingest_pcap_counters *c);

#endif
