/*
 * fuzz_sip.c - libFuzzer target for dec_sip() (see src/decode/), whole
 * payloads and TCP stream framing.
 *
 * Input: octet 0 picks the mode - bit 0 clear: the rest is one DEC_T_UDP payload
 * handed to dec_sip() (SCTP for Diameter, UDP for SIP, a lone TCP segment for
 * IPA); bit 0 set: the rest is one TCP stream cut into segments of
 * ((octet 0 >> 1) + 1) octets, each copied to an exact-size buffer so
 * ASan sees any read past a segment.  Every emitted message is rendered
 * as JSON and mapped to an event.
 */
#include "decode/context.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_emit(void *arg, const struct dec_message *m)
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
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
	pl.dst_port = 5060;
	pl.ppid = 46;
	pl.stream = 1;
	pl.stack = "fuzz";
	pl.transport = (mode & 1) ? DEC_T_TCP : DEC_T_UDP;
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
		dec_sip(ctx, &pl, &m, check_emit, NULL);
		free(seg);
		off += n;
	} while (off < size);
	dec_context_close(ctx);
	return 0;
}
