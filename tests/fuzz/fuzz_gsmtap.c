/*
 * fuzz_gsmtap.c - libFuzzer target for the GSMTAP decoder (LAPDm
 * reassembly, 04.08 / 04.11, SMS TPDU).  The input is split at 0xFF 0xFE
 * markers into several UDP payloads decoded through one context, so LAPDm
 * segments and SMS parts meet in the reassembly tables.
 */
#include "decode/decode.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	unsigned n;
};

static void on_msg(void *arg, const struct dec_message *m)
{
	char json[8192];
	struct event ev;
	((struct seen *)arg)->n++;
	assert(m->text_len < DEC_TEXT_SIZE);
	(void)dec_message_json(m, json, sizeof(json));
	(void)dec_message_event(m, &ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dec_context *ctx;
	struct seen s = { 0 };

	if (dec_context_open(&ctx) < 0)
		return 0;
	size_t start = 0;
	uint64_t frame = 1;
	for (size_t i = 0; i <= size; i++) {
		if (i == size || (i + 1 < size && data[i] == 0xff && data[i + 1] == 0xfe)) {
			size_t n = i - start;
			uint8_t *copy = malloc(n ? n : 1);
			if (!copy)
				break;
			memcpy(copy, data + start, n);
			struct dec_payload pl = { .transport = DEC_T_UDP, .src_port = 4729, .dst_port = 4729,
						  .data = { copy, n }, .frame = frame, .time = (ss_time_us)frame * 1000,
						  .stack = "eth:ethertype:ip:udp" };
			unsigned before = s.n;
			int r = dec_dispatch(ctx, &pl, on_msg, &s);
			assert(r >= 0 && s.n - before == (unsigned)r);
			free(copy);
			frame++;
			start = i + 2;
			i++;
		}
	}
	dec_context_close(ctx);
	return 0;
}
