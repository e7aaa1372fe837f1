/*
 * stream_harness.h - the shared body of the fuzz targets for the decoders
 * that take whole payloads and TCP streams (IPA/GSUP, Diameter, SIP).
 *
 * Input: octet 0 picks the mode - bit 0 clear: the rest is one payload of
 * the decoder's datagram transport (SCTP for Diameter, UDP for SIP, a lone
 * TCP segment for IPA); bit 0 set: the rest is one TCP stream cut into
 * segments of ((octet 0 >> 1) + 1) octets, each copied to an exact-size
 * buffer so ASan sees any read past a segment.  Every emitted message is
 * rendered as JSON and mapped to an event.
 */
#ifndef SS_TESTS_FUZZ_STREAM_HARNESS_H
#define SS_TESTS_FUZZ_STREAM_HARNESS_H

#include "decode/context.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef int (*fuzz_entry_fn)(struct dec_context *ctx, const struct dec_payload *pl, struct dec_message *m,
			     dec_emit_fn emit, void *arg);

static void fuzz_check_emit(void *arg, const struct dec_message *m)
{
	char json[16384];
	struct event ev;
	(void)arg;
	assert(dec_message_json(m, json, sizeof(json)) > 0);
	assert(m->n_anomalies <= DEC_MAX_ANOMALIES);
	if (dec_message_event(m, &ev) == 1)
		assert(ev.imsi[0] || ev.msisdn[0]);
	ev_clear(&ev);
}

static int fuzz_stream_run(const uint8_t *data, size_t size, fuzz_entry_fn entry,
			   enum dec_transport datagram, uint16_t port, uint32_t ppid)
{
	struct dec_context *ctx = NULL;
	struct dec_message m;
	struct dec_payload pl;

	if (size < 1 || dec_context_open(&ctx) != 0)
		return 0;
	uint8_t mode = data[0];
	data++;
	size--;
	memset(&pl, 0, sizeof(pl));
	pl.src_port = 40000;
	pl.dst_port = port;
	pl.ppid = ppid;
	pl.stream = 1;
	pl.stack = "fuzz";
	pl.transport = (mode & 1) ? DEC_T_TCP : datagram;
	size_t step = (mode & 1) ? (size_t)(mode >> 1) + 1 : (size ? size : 1);
	size_t off = 0;
	do {
		size_t n = size - off < step ? size - off : step;
		uint8_t *seg = malloc(n ? n : 1);
		if (!seg)
			break;
		memcpy(seg, data + off, n);
		pl.data.p = seg;
		pl.data.len = n;
		dec_message_init(&m, 1, 0);
		dec_stack_push(&m, pl.stack);
		entry(ctx, &pl, &m, fuzz_check_emit, NULL);
		free(seg);
		off += n;
	} while (off < size);
	dec_context_close(ctx);
	return 0;
}

#endif
