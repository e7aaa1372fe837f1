/*
 * pcap.h - signalling captures: capture files (pcap, pcapng, "-" = stdin)
 * and live interfaces, walked down to the transport payloads the decoders
 * take (struct dec_payload).  Classic pcap files are read by pcapfile.c
 * (records in place), the rest by libpcap.
 *
 * Layers (docs/input-formats.md, "Signalling captures"):
 *   link     Ethernet (802.1Q / 802.1ad / QinQ tags), Linux SLL and SLL2,
 *            raw IP (DLT_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6), BSD NULL/LOOP,
 *            MTP2 with pseudo-header, MTP2 and MTP3 (-> DEC_T_MTP3)
 *   network  IPv4 (RFC 791, options skipped) and IPv6 (RFC 8200, extension
 *            headers walked) with fragment reassembly; GTP-U T-PDUs
 *            (UDP 2152) are unwrapped to their inner IP packet
 *   transport SCTP (RFC 9260: bundled chunks, DATA and I-DATA (RFC 8260),
 *            fragmented user messages reassembled, retransmitted TSNs
 *            delivered once), TCP (in-order reassembly per direction), UDP
 * Every length is checked against what was captured; malformed or cut
 * frames become anomalies (counted, reported through a callback), never
 * crashes.  Every table is bounded (see the INGEST_PCAP_* limits below).
 *
 * Ownership: a struct ingest_pcap owns its file reader or libpcap handle, its reassembly
 * state and (unless a payload hook is given) a decoding context.  The
 * payloads and anomalies handed to callbacks are borrowed for the call: the
 * bytes live in the current packet or in a reassembly buffer that is reused
 * afterwards.
 */
#ifndef SS_INGEST_PCAP_H
#define SS_INGEST_PCAP_H

#include "decode/decode.h"
#include "ingest/source.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Bounds of the reassembly state (per reader). */
#define INGEST_PCAP_IP_FRAGS 64		   /* IP datagrams being reassembled at once */
#define INGEST_PCAP_IP_TIMEOUT (30 * SS_US_PER_SEC)
#define INGEST_PCAP_FLOWS 8192		   /* SCTP association / TCP direction states */
#define INGEST_PCAP_SCTP_FRAGS 256	   /* SCTP message fragments held, all associations */
#define INGEST_PCAP_SCTP_MSG_MAX (256 * 1024) /* longest reassembled SCTP user message */
#define INGEST_PCAP_SCTP_TIMEOUT (30 * SS_US_PER_SEC)
#define INGEST_PCAP_TCP_HOLD 32		   /* out-of-order segments held per direction */
#define INGEST_PCAP_TCP_HOLD_BYTES (4u << 20) /* bytes held, all TCP directions */
#define INGEST_PCAP_TCP_TIMEOUT (5 * SS_US_PER_SEC) /* how long a gap may wait to be filled */

/*
 * What a reader has seen.  frames = every record read; each frame either
 * yields payloads, or is skipped (nothing for the decoders: ARP, ICMP,
 * MTP2 link status, a TCP ACK ...), or has an anomaly (a frame can count in
 * "anomalies" and still have yielded payloads before the bad part).
 */
struct ingest_pcap_counters {
	uint64_t frames;	  /* records read */
	uint64_t bytes;		  /* original (wire) length, summed */
	uint64_t truncated;	  /* frames captured shorter than sent (caplen < len) */
	uint64_t skipped;	  /* frames with nothing for the decoders */
	uint64_t anomalies;	  /* frames with a link/IP/SCTP/TCP/UDP anomaly */
	uint64_t payloads;	  /* transport payloads handed to the decoders */
	uint64_t ip_fragments;	  /* IPv4/IPv6 fragments seen */
	uint64_t ip_reassembled;  /* datagrams rebuilt from fragments */
	uint64_t sctp_chunks;	  /* DATA / I-DATA chunks seen */
	uint64_t sctp_retrans;	  /* chunks dropped as retransmissions (TSN already seen) */
	uint64_t sctp_reassembled; /* user messages rebuilt from fragments */
	uint64_t tcp_segments;	  /* TCP segments carrying data */
	uint64_t tcp_retrans;	  /* segments wholly already delivered (dropped) */
	uint64_t tcp_out_of_order; /* segments held until the gap before them filled */
	uint64_t tcp_gaps;	  /* gaps given up on (bytes skipped, anomaly recorded) */
	uint64_t reasm_drops;	  /* IP datagrams, SCTP fragments, TCP segments dropped:
				     timeout, table full, conflicting overlap, too long */
	/* From the decoding context (zero when a payload hook replaces it). */
	uint64_t messages;	  /* decoded messages */
	uint64_t msg_anomalies;	  /* decoded messages carrying an anomaly */
	uint64_t unknown;	  /* payloads no decoder claimed */
};

/* A frame-level anomaly: the frame could not be (fully) walked down. */
struct ingest_pcap_anomaly {
	uint64_t frame;
	ss_time_us time;
	const char *stack;  /* layers walked so far, tshark spelling */
	const char *reason; /* "ipv4: total length 1500 > 60 captured" */
};

struct ingest_pcap_handlers {
	/*
	 * Test hook: when set, every transport payload goes here and no
	 * decoding context is created (the transport layer is tested without
	 * the decoders).  Otherwise payloads go through dec_dispatch() and
	 * @emit receives each decoded message.
	 */
	void (*payload)(void *arg, const struct dec_payload *pl);
	dec_emit_fn emit;
	/* Optional: called for each anomaly (several may share a frame). */
	void (*anomaly)(void *arg, const struct ingest_pcap_anomaly *a);
	void *arg;
};

struct ingest_pcap_options {
	const char *filter;	/* BPF expression, NULL = everything */
	int snaplen;		/* live: 0 = 262144 */
	int timeout_ms;		/* live: read timeout, 0 = 200 */
	bool promisc;		/* live */
};

struct ingest_pcap;

/*
 * ingest_pcap_reader_open() - open a capture file (pcap or pcapng; "-" =
 * stdin).  ingest_pcap_reader_open_stream() reads an open FILE (fmemopen in
 * tests and fuzzing) that nothing has read from yet (a pipe is read with
 * read(2) on its descriptor); the reader fclose()s it when closed (stdin
 * excepted), and also when the open fails.  ingest_pcap_reader_open_live() captures from interface @iface.
 * ingest_pcap_reader_open_dead() opens no capture at all: frames are then
 * given with ingest_pcap_feed() (tests, fuzzing).
 * @opt may be NULL; @h is copied.  On failure a message is left in @err
 * (any size, may be NULL) and a negative code returned: -SS_EPARSE (not a
 * capture, bad filter), -SS_EUSAGE (interface), -ENOENT/-EACCES/-ENOMEM.
 */
int ingest_pcap_reader_open(const char *path, const struct ingest_pcap_options *opt,
			    const struct ingest_pcap_handlers *h, struct ingest_pcap **out, char *err,
			    size_t err_size);
int ingest_pcap_reader_open_stream(FILE *f, const struct ingest_pcap_options *opt,
				   const struct ingest_pcap_handlers *h, struct ingest_pcap **out,
				   char *err, size_t err_size);
int ingest_pcap_reader_open_live(const char *iface, const struct ingest_pcap_options *opt,
				 const struct ingest_pcap_handlers *h, struct ingest_pcap **out,
				 char *err, size_t err_size);
int ingest_pcap_reader_open_dead(int linktype, const struct ingest_pcap_handlers *h,
				 struct ingest_pcap **out);

/*
 * ingest_pcap_reader_step() - read and walk one frame.  Returns 1 (a frame
 * was processed, or a live read timed out with none), 0 at the end of the
 * capture (held TCP data is flushed first), or a negative code on a read
 * error: -SS_EPARSE for a file cut short or corrupt (the frames before it
 * were processed; ingest_pcap_reader_error() has libpcap's message).
 */
int ingest_pcap_reader_step(struct ingest_pcap *r);

/* ingest_pcap_reader_break() - make a live step return 0 soon (signal-safe). */
void ingest_pcap_reader_break(struct ingest_pcap *r);

/*
 * ingest_pcap_feed() - walk one frame of the reader's link type given by
 * hand: @caplen bytes at @p of a frame originally @wirelen long.
 */
void ingest_pcap_feed(struct ingest_pcap *r, const uint8_t *p, size_t caplen, size_t wirelen,
		      ss_time_us ts);

/* ingest_pcap_flush() - end of input: deliver held TCP data past any gap. */
void ingest_pcap_flush(struct ingest_pcap *r);

/* ingest_pcap_reader_counters() - a snapshot of the counters. */
void ingest_pcap_reader_counters(const struct ingest_pcap *r, struct ingest_pcap_counters *c);

/* The link type (DLT_*), and the last read error ("" when none). */
int ingest_pcap_reader_linktype(const struct ingest_pcap *r);
const char *ingest_pcap_reader_error(const struct ingest_pcap *r);

/* ingest_pcap_reader_close() - close and free.  Accepts NULL. */
void ingest_pcap_reader_close(struct ingest_pcap *r);

/* ingest_pcap_counters_print() - one summary line "frames N, ..." (no newline). */
void ingest_pcap_counters_print(FILE *out, const struct ingest_pcap_counters *c);

/*
 * ingest_pcap_open() - a capture file as an event source (kind "pcap"):
 * each decoded message that means something to the detectors
 * (dec_message_event()) becomes one event, source EV_SRC_PCAP, line = frame
 * number, input = opt->input_index.  accepted = events; rejected = frames
 * with a transport anomaly (each reported as "name:frame: reason") plus a
 * capture cut short (reported, then the input ends normally).
 * ingest_pcap_source_counters() gives the capture counters of such a source
 * (for the replay summary); it returns -SS_EUSAGE for another kind.
 */
int ingest_pcap_open(const char *path, const struct ingest_options *opt, struct ingest_source **out);
int ingest_pcap_open_stream(FILE *f, const char *name, const struct ingest_options *opt,
			    struct ingest_source **out);
int ingest_pcap_source_counters(const struct ingest_source *src, struct ingest_pcap_counters *c);

/*
 * ingest_pcap_reader_pollfd() - switch a live reader to non-blocking reads
 * and return a descriptor to poll() for readability (a daemon's event loop).
 * Afterwards ingest_pcap_reader_step() returns 1 at once when no frame is
 * waiting (the frame counter tells whether one was read).  Returns the
 * descriptor, or -SS_EUSAGE (not a live reader, or the platform has no
 * selectable descriptor) with a message in @err.
 */
int ingest_pcap_reader_pollfd(struct ingest_pcap *r, char *err, size_t err_size);

/*
 * The decoded-event queue both capture sources (a file: ingest_pcap_open;
 * an interface: ingest/live.c) put between the reader's callbacks and their
 * next(): the handlers turn each decoded message into an event (appended)
 * and each anomaly into one bad-frame report of @src.  Owns the queued
 * events; ingest_event_queue_free() releases what was not popped.
 */
struct ingest_event_queue {
	struct ingest_source *src; /* reports bad frames; set by the owner */
	unsigned input_index;	   /* events' .input */
	struct event *q;
	size_t len, head, cap;
	bool oom;		 /* an event was lost for memory: next() fails */
	uint64_t last_bad_frame; /* one report per frame */
};

/* Reader handlers for a queue (struct ingest_pcap_handlers.emit / .anomaly, arg = the queue). */
void ingest_event_queue_on_message(void *queue, const struct dec_message *m);
void ingest_event_queue_on_anomaly(void *queue, const struct ingest_pcap_anomaly *a);

/* Pop the oldest event into @ev (moved).  1, or 0 when empty (the queue is reset). */
int ingest_event_queue_pop(struct ingest_event_queue *q, struct event *ev);

void ingest_event_queue_free(struct ingest_event_queue *q);

#endif
