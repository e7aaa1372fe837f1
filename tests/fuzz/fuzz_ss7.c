/*
 * fuzz_ss7.c - libFuzzer target for the SS7/SIGTRAN stack decoders
 * (m3ua.c incl. M2UA, mtp3.c, sccp.c incl. connection-oriented RANAP/BSSAP,
 * tcap.c, map.c, isup.c and, through MAP, the SMS
 * TPDU decoder).
 *
 * Input: one mode octet, then payloads framed as a 2-octet big-endian
 * length and that many octets (a short last frame takes what is left).  All
 * payloads go through one decoding context, in order and 1 s of capture time
 * apart, so SCCP segment reassembly (and its expiry and eviction) is
 * exercised across messages.
 *   mode & 3: 0 = M3UA (SCTP PPID 3) through dec_dispatch(), 1 = MTP3 MSU
 *             through dec_dispatch(), 2 = SCCP, 3 = TCAP directly;
 *   mode & 4: ISUP directly instead;
 *   mode & 8: with mode 0, SCTP PPID 2 (M2UA) instead of 3.
 * Every emitted message is rendered as JSON and mapped to an event.
 * Built as a libFuzzer binary by `make fuzz` and as a corpus replayer for
 * `make check` (tests/fuzz/corpus/ss7/).
 */
#include "decode/context.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_message(void *arg, const struct dec_message *m)
{
	char json[16384];
	struct event ev;
	(void)arg;
	if (dec_message_json(m, json, sizeof(json)) < 0)
		abort(); /* every message must fit the JSON buffer */
	if (dec_message_event(m, &ev) == 1)
		ev_clear(&ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dec_context *ctx;

	if (size < 1 || dec_context_open(&ctx) != 0)
		return 0;
	uint8_t mode = data[0];
	size_t off = 1;
	for (uint64_t frame = 1; off < size; frame++) {
		size_t len = size - off;
		if (len >= 2) {
			size_t want = (size_t)data[off] << 8 | data[off + 1];
			off += 2;
			len = size - off < want ? size - off : want;
		} else {
			off += len;
			len = 0;
		}
		/* A private copy of exactly @len octets: ASan catches any overread. */
		uint8_t *p = malloc(len ? len : 1);
		if (!p)
			break;
		memcpy(p, data + off, len);
		off += len;
		struct dec_payload pl = { 0 };
		pl.data.p = p;
		pl.data.len = len;
		pl.frame = frame;
		pl.time = (ss_time_us)frame * 1000000;
		pl.stack = "sctp";
		struct dec_message m;
		dec_message_init(&m, frame, pl.time);
		struct dec_view v = { p, len };
		if (mode & 4) {
			dec_isup(ctx, &m, v, on_message, NULL);
		} else {
			switch (mode & 3) {
			case 0:
				pl.transport = DEC_T_SCTP;
				pl.ppid = (mode & 8) ? 2 : 3;
				dec_dispatch(ctx, &pl, on_message, NULL);
				break;
			case 1:
				pl.transport = DEC_T_MTP3;
				dec_dispatch(ctx, &pl, on_message, NULL);
				break;
			case 2:
				dec_sccp(ctx, &m, v, on_message, NULL);
				break;
			default:
				dec_tcap(ctx, &m, v, on_message, NULL);
				break;
			}
		}
		free(p);
	}
	dec_context_close(ctx);
	return 0;
}
