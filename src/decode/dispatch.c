/*
 * dispatch.c - the decoding context and the transport -> decoder table
 * (decoders.def).
 */
#include "decode/context.h"

#include "core/err.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef int (*dec_entry_fn)(struct dec_context *ctx, const struct dec_payload *pl, struct dec_message *m,
			    dec_emit_fn emit, void *arg);

struct dec_route {
	dec_entry_fn fn;
	enum dec_transport transport;
	uint32_t ppid;
	uint16_t port;
};

static const struct dec_route dec_routes[] = {
#define DECODER(fn, transport, ppid, port) { fn, transport, ppid, port },
#include "decode/decoders.def"
#undef DECODER
	{ NULL, 0, 0, 0 },
};

int dec_context_open(struct dec_context **out)
{
	struct dec_context *ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	*out = ctx;
	return 0;
}

void dec_context_close(struct dec_context *ctx)
{
	if (!ctx)
		return;
	struct dec_slot *slots[] = { &ctx->sccp_reasm, &ctx->sms_concat, &ctx->lapdm, &ctx->tcp_framing };
	for (size_t i = 0; i < sizeof(slots) / sizeof(slots[0]); i++)
		if (slots[i]->state && slots[i]->free)
			slots[i]->free(slots[i]->state);
	free(ctx);
}

const struct dec_counters *dec_context_counters(const struct dec_context *ctx)
{
	return &ctx->counters;
}

int dec_emit(struct dec_context *ctx, const struct dec_message *m, dec_emit_fn emit, void *arg)
{
	ctx->counters.messages++;
	if (m->n_anomalies)
		ctx->counters.anomalies++;
	if (emit)
		emit(arg, m);
	return 1;
}

static bool route_matches(const struct dec_route *r, const struct dec_payload *pl)
{
	if (r->transport != pl->transport)
		return false;
	if (r->transport == DEC_T_SCTP && r->ppid && r->ppid == pl->ppid)
		return true; /* the PPID names the protocol whatever the port */
	if (r->transport == DEC_T_SCTP && r->ppid && !r->port)
		return false;
	if (r->port && r->port != pl->src_port && r->port != pl->dst_port)
		return false;
	return true;
}

/*
 * looks_like_sip() - RFC 3261 7.1/7.2: a request line "METHOD SP sip:|sips:|tel:"
 * or a status line "SIP/2.0 SP".  SIP runs on any port (IMS cores use 4060,
 * 6060, ephemeral ports), so a UDP datagram no port claimed is offered to the
 * SIP decoder when its first line says it is SIP, as Wireshark's heuristic
 * does.  Only UDP: a TCP segment may start mid-message.
 */
static bool looks_like_sip(struct dec_view v)
{
	static const char *const methods[] = { "INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS",
					       "MESSAGE", "INFO", "PRACK", "SUBSCRIBE", "NOTIFY", "UPDATE",
					       "REFER", "PUBLISH" };
	if (v.len >= 8 && memcmp(v.p, "SIP/2.0 ", 8) == 0)
		return true;
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		size_t n = strlen(methods[i]);
		if (v.len < n + 5 || memcmp(v.p, methods[i], n) != 0 || v.p[n] != ' ')
			continue;
		const uint8_t *u = v.p + n + 1;
		size_t left = v.len - n - 1;
		return (left >= 4 && memcmp(u, "sip:", 4) == 0) || (left >= 5 && memcmp(u, "sips:", 5) == 0) ||
		       (left >= 4 && memcmp(u, "tel:", 4) == 0);
	}
	return false;
}

/*
 * copy_short() - @n bytes, 1 <= n: 16-byte blocks, the last one overlapping
 * the one before (every read inside [src, src + n)).  A stack string is a
 * few dozen bytes; the compiler's inline memcpy for a variable length was
 * "rep movsq", whose start-up alone cost more than these few moves.
 */
static inline void copy_short(char *dst, const char *src, size_t n)
{
	if (n >= 16) {
		for (size_t i = 0; i + 16 < n; i += 16)
			memcpy(dst + i, src + i, 16);
		memcpy(dst + n - 16, src + n - 16, 16);
	} else if (n >= 8) {
		memcpy(dst, src, 8);
		memcpy(dst + n - 8, src + n - 8, 8);
	} else {
		for (size_t i = 0; i < n; i++)
			dst[i] = src[i];
	}
}

/* The payload's lower layers start the message's stack (@m is fresh: empty stack). */
static void stack_from_payload(struct dec_message *m, const struct dec_payload *pl)
{
	if (!pl->stack)
		return;
	size_t n = pl->stack_len ? pl->stack_len : strlen(pl->stack);
	if (n >= sizeof(m->stack) || pl->stack[n] != '\0') {
		dec_stack_push(m, pl->stack); /* too deep or a wrong length: the careful way */
		return;
	}
	copy_short(m->stack, pl->stack, n + 1);
	m->stack_len = (uint8_t)n;
}

int dec_dispatch(struct dec_context *ctx, const struct dec_payload *pl, dec_emit_fn emit, void *arg)
{
	ctx->counters.payloads++;
	for (const struct dec_route *r = dec_routes; r->fn; r++) {
		if (!route_matches(r, pl))
			continue;
		struct dec_message m;
		dec_message_init(&m, pl->frame, pl->time);
		stack_from_payload(&m, pl);
		return r->fn(ctx, pl, &m, emit, arg);
	}
	if (pl->transport == DEC_T_UDP && looks_like_sip(pl->data)) {
		struct dec_message m;
		dec_message_init(&m, pl->frame, pl->time);
		stack_from_payload(&m, pl);
		return dec_sip(ctx, pl, &m, emit, arg);
	}
	ctx->counters.unknown++;
	return 0;
}
