/*
 * stream.h - inside decode/: per-TCP-stream framing shared by the stream
 * decoders (ipa.c, diameter.c, sip.c).
 *
 * The pcap layer hands a decoder the in-order bytes of one TCP direction
 * (pl->stream) in whatever pieces the segments cut them into.  A frame can
 * span segments and a segment can hold several frames.  dec_stream_feed()
 * finds the frames with a protocol's frame-length function and calls back
 * once per frame; only the unfinished tail of a segment is copied, into a
 * per-stream buffer.
 *
 * State lives in ctx->tcp_framing (allocated on first use, freed by
 * dec_context_close()).  Bounds: DEC_STREAM_MAX_STREAMS streams with a
 * partial frame pending (least recently used evicted first, counted), one
 * buffer of DEC_STREAM_MAX_FRAME bytes per stream, allocated once when the
 * stream first holds a partial frame and reused after eviction.  Nothing is
 * allocated per message.
 */
#ifndef SS_DECODE_STREAM_H
#define SS_DECODE_STREAM_H

#include "decode/context.h"

#define DEC_STREAM_MAX_STREAMS 256
#define DEC_STREAM_MAX_FRAME (65536 + 64) /* 64 KiB of message plus its header */

/* Which protocol's framing: streams of different protocols never share state. */
enum dec_stream_proto {
	DEC_STREAM_IPA = 1,
	DEC_STREAM_DIAMETER,
	DEC_STREAM_SIP,
};

/*
 * A protocol's frame length: given the first @avail bytes of a frame,
 * return its total length (> 0, may exceed @avail), 0 when more bytes are
 * needed to tell, or -1 when the bytes cannot start a frame.
 */
typedef long (*dec_frame_len_fn)(const uint8_t *p, size_t avail);

enum dec_stream_status {
	DEC_STREAM_FRAME,     /* @frame is one whole frame */
	DEC_STREAM_BAD_START, /* @frame: the bytes that cannot start a frame; the rest of the segment is dropped */
	DEC_STREAM_TOO_LONG,  /* @frame: the first bytes of a frame of @length > DEC_STREAM_MAX_FRAME; it is skipped */
	DEC_STREAM_NO_BOUNDARY, /* @frame: DEC_STREAM_MAX_FRAME bytes with no frame end found; dropped */
	DEC_STREAM_TRUNCATED, /* dec_frames_once(): @frame is an unfinished frame (needs @length, 0 = unknown) */
};

/*
 * Called once per frame (or framing error).  @frame is borrowed for the
 * call (it points into the segment or into the stream buffer).
 */
typedef void (*dec_frame_fn)(void *arg, enum dec_stream_status status, struct dec_view frame, size_t length);

struct dec_stream_stats {
	uint64_t streams;      /* stream entries created */
	uint64_t evicted;      /* entries evicted while holding a partial frame */
	uint64_t dropped_bytes; /* bytes thrown away: evicted partials, bad starts, skipped frames */
	uint64_t buffered;     /* segments whose tail was buffered */
	unsigned active;       /* entries holding a partial frame or a skip now */
};

/*
 * dec_stream_feed() - frame @pl->data of TCP stream @pl->stream for @proto.
 * Returns the number of callbacks made (>= 0), or -ENOMEM when a stream
 * buffer could not be allocated (the segment's frames that did not need
 * the buffer were still delivered).
 */
int dec_stream_feed(struct dec_context *ctx, enum dec_stream_proto proto, const struct dec_payload *pl,
		    dec_frame_len_fn frame_len, dec_frame_fn cb, void *arg);

/*
 * dec_frames_once() - frame a payload that carries whole messages (an SCTP
 * user message, a UDP datagram, a test vector): the same callbacks, with
 * no state kept; an unfinished frame at the end is reported as
 * DEC_STREAM_TRUNCATED.  Returns the number of callbacks.
 */
int dec_frames_once(struct dec_view data, dec_frame_len_fn frame_len, dec_frame_fn cb, void *arg);

/* dec_stream_stats() - the framing counters (zeros before first use). */
struct dec_stream_stats dec_stream_stats(const struct dec_context *ctx);

#endif
