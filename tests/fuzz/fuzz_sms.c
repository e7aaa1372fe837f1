/*
 * fuzz_sms.c - libFuzzer target for the SMS TPDU decoder (TS 23.040) and its
 * concatenated-SMS table.  The first input octet picks the direction and a
 * capture-time step; the rest is split at 0xFF 0xFE markers into several
 * TPDUs decoded through one context, so parts of one message can meet in the
 * table, expire and be evicted.
 */
#include "decode/sms_tpdu.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(struct dec_context *ctx, const uint8_t *p, size_t n, bool from_ms, ss_time_us t)
{
	struct dec_message m;
	char json[8192];

	/* Exact-size copy so ASan sees any read past the end. */
	uint8_t *copy = malloc(n ? n : 1);
	if (!copy)
		return;
	memcpy(copy, p, n);
	dec_message_init(&m, 1, t);
	struct dec_view v = { copy, n };
	(void)dec_sms_tpdu(ctx, &m, v, from_ms);
	assert(m.text_len < DEC_TEXT_SIZE);
	assert(strlen(m.text) <= m.text_len);
	assert(strlen(m.sms_originator.digits) < DEC_DIGITS_SIZE);
	assert(strlen(m.sms_destination.digits) < DEC_DIGITS_SIZE);
	(void)dec_message_json(&m, json, sizeof(json));
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dec_context *ctx;

	if (size < 1 || dec_context_open(&ctx) < 0)
		return 0;
	uint8_t mode = data[0];
	ss_time_us t = 1000 * SS_US_PER_SEC, step = (ss_time_us)(mode >> 1) * 20 * SS_US_PER_SEC;
	size_t start = 1;
	for (size_t i = 1; i <= size; i++) {
		if (i == size || (i + 1 < size && data[i] == 0xff && data[i + 1] == 0xfe)) {
			one(ctx, data + start, i - start, mode & 1, t);
			t += step;
			start = i + 2;
			i++;
		}
	}
	struct dec_sms_concat_stats st;
	dec_sms_concat_stats(ctx, &st);
	assert(st.pending <= DEC_SMS_CONCAT_MAX);
	dec_context_close(ctx);
	return 0;
}
