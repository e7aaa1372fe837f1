/*
 * stream.c - per-TCP-stream framing for the stream decoders (see stream.h).
 *
 * RFC 9293 gives TCP no message boundaries: IPA (2-byte length), Diameter
 * (RFC 6733 3: 24-bit message length) and SIP (RFC 3261 18.3: headers up
 * to the empty line, then Content-Length bytes) each say where a frame
 * ends.  Whole frames inside a segment are delivered in place; only a
 * segment's unfinished tail is copied into the stream's buffer.
 */
#include "decode/stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct stream_ent {
	uint32_t stream;
	uint8_t proto;	/* enum dec_stream_proto; 0 = free */
	uint64_t tick;	/* last use, for LRU eviction */
	uint8_t *buf;	/* DEC_STREAM_MAX_FRAME bytes, allocated once, kept on reuse */
	size_t len;	/* bytes of a partial frame held in buf */
	size_t skip;	/* bytes still to skip of an over-long frame */
};

struct stream_table {
	struct stream_ent ent[DEC_STREAM_MAX_STREAMS];
	uint64_t tick;
	struct dec_stream_stats st;
};

static void table_free(void *state)
{
	struct stream_table *t = state;
	if (!t)
		return;
	for (size_t i = 0; i < DEC_STREAM_MAX_STREAMS; i++)
		free(t->ent[i].buf);
	free(t);
}

static struct stream_table *table_get(struct dec_context *ctx)
{
	if (!ctx->tcp_framing.state) {
		struct stream_table *t = calloc(1, sizeof(*t));
		if (!t)
			return NULL;
		ctx->tcp_framing.state = t;
		ctx->tcp_framing.free = table_free;
	}
	return ctx->tcp_framing.state;
}

static struct stream_ent *table_find(struct stream_table *t, uint32_t stream, uint8_t proto)
{
	if (!t->st.active)
		return NULL;
	for (size_t i = 0; i < DEC_STREAM_MAX_STREAMS; i++)
		if (t->ent[i].proto == proto && t->ent[i].stream == stream)
			return &t->ent[i];
	return NULL;
}

/* A free entry, or the least recently used one (its partial frame is lost and counted). */
static struct stream_ent *table_acquire(struct stream_table *t, uint32_t stream, uint8_t proto)
{
	struct stream_ent *e = NULL;
	for (size_t i = 0; i < DEC_STREAM_MAX_STREAMS; i++) {
		struct stream_ent *c = &t->ent[i];
		if (!c->proto) {
			e = c;
			break;
		}
		if (!e || c->tick < e->tick)
			e = c;
	}
	if (e->proto) {
		t->st.evicted++;
		t->st.dropped_bytes += e->len;
	} else {
		t->st.active++;
	}
	t->st.streams++;
	e->stream = stream;
	e->proto = proto;
	e->len = 0;
	e->skip = 0;
	e->tick = ++t->tick;
	return e;
}

static void table_release(struct stream_table *t, struct stream_ent *e)
{
	e->proto = 0;
	e->len = 0;
	e->skip = 0;
	t->st.active--;
}

struct deliver_out {
	int calls;
	size_t skip;	/* set: an over-long frame continues this many bytes past the input */
	bool drop;	/* set: framing lost, throw the rest of the input away */
};

/* Deliver the whole frames at the start of p[0..n); returns the bytes used. */
static size_t deliver(const uint8_t *p, size_t n, dec_frame_len_fn frame_len, dec_frame_fn cb, void *arg,
		      struct deliver_out *o)
{
	size_t off = 0;

	while (off < n) {
		size_t avail = n - off;
		struct dec_view v = { p + off, avail };
		long r = frame_len(p + off, avail);
		if (r < 0) {
			cb(arg, DEC_STREAM_BAD_START, v, 0);
			o->calls++;
			o->drop = true;
			return n;
		}
		if (r == 0) {
			if (avail >= DEC_STREAM_MAX_FRAME) {
				cb(arg, DEC_STREAM_NO_BOUNDARY, v, avail);
				o->calls++;
				o->drop = true;
				return n;
			}
			break;
		}
		size_t len = (size_t)r;
		if (len > DEC_STREAM_MAX_FRAME) {
			cb(arg, DEC_STREAM_TOO_LONG, v, len);
			o->calls++;
			if (len <= avail) {
				off += len;
				continue;
			}
			o->skip = len - avail;
			return n;
		}
		if (len > avail)
			break;
		v.len = len;
		cb(arg, DEC_STREAM_FRAME, v, len);
		o->calls++;
		off += len;
	}
	return off;
}

int dec_stream_feed(struct dec_context *ctx, enum dec_stream_proto proto, const struct dec_payload *pl,
		    dec_frame_len_fn frame_len, dec_frame_fn cb, void *arg)
{
	const uint8_t *p = pl->data.p;
	size_t n = pl->data.len;
	struct deliver_out o = { 0, 0, false };
	struct stream_table *t = table_get(ctx);
	struct stream_ent *e = t ? table_find(t, pl->stream, (uint8_t)proto) : NULL;

	if (!t) { /* no memory for state: frame this segment alone */
		deliver(p, n, frame_len, cb, arg, &o);
		return -ENOMEM;
	}
	if (e)
		e->tick = ++t->tick;
	while (e && n) {
		if (e->skip) { /* the rest of an over-long frame */
			size_t k = e->skip < n ? e->skip : n;
			e->skip -= k;
			p += k;
			n -= k;
			t->st.dropped_bytes += k;
			continue;
		}
		if (!e->len)
			break;
		/* Complete the pending frame: append what fits, deliver, keep the tail. */
		size_t take = DEC_STREAM_MAX_FRAME - e->len;
		if (take > n)
			take = n;
		memcpy(e->buf + e->len, p, take);
		e->len += take;
		p += take;
		n -= take;
		size_t used = deliver(e->buf, e->len, frame_len, cb, arg, &o);
		if (o.drop) {
			t->st.dropped_bytes += n;
			n = 0;
			e->len = 0;
			break;
		}
		if (o.skip) {
			e->len = 0;
			e->skip = o.skip;
			o.skip = 0;
			continue;
		}
		memmove(e->buf, e->buf + used, e->len - used);
		e->len -= used;
	}
	if (e && !e->len && !e->skip) {
		table_release(t, e);
		e = NULL;
	}
	if (!n)
		return o.calls;

	/* No partial frame pending: frames straight from the segment. */
	size_t used = deliver(p, n, frame_len, cb, arg, &o);
	if (o.drop)
		return o.calls;
	size_t rest = n - used;
	if (!o.skip && !rest)
		return o.calls;
	if (!e)
		e = table_acquire(t, pl->stream, (uint8_t)proto);
	if (o.skip) {
		e->skip = o.skip;
		return o.calls;
	}
	if (!e->buf) {
		e->buf = malloc(DEC_STREAM_MAX_FRAME);
		if (!e->buf) {
			t->st.dropped_bytes += rest;
			table_release(t, e);
			return -ENOMEM;
		}
	}
	memcpy(e->buf, p + used, rest); /* rest < DEC_STREAM_MAX_FRAME: deliver() saw to that */
	e->len = rest;
	t->st.buffered++;
	return o.calls;
}

int dec_frames_once(struct dec_view data, dec_frame_len_fn frame_len, dec_frame_fn cb, void *arg)
{
	struct deliver_out o = { 0, 0, false };
	size_t used = deliver(data.p, data.len, frame_len, cb, arg, &o);

	if (!o.drop && !o.skip && used < data.len) {
		struct dec_view rest = { data.p + used, data.len - used };
		long need = frame_len(rest.p, rest.len);
		cb(arg, DEC_STREAM_TRUNCATED, rest, need > 0 ? (size_t)need : 0);
		o.calls++;
	}
	return o.calls;
}

struct dec_stream_stats dec_stream_stats(const struct dec_context *ctx)
{
	struct dec_stream_stats z = { 0, 0, 0, 0, 0 };
	const struct stream_table *t = ctx->tcp_framing.state;
	return t ? t->st : z;
}
