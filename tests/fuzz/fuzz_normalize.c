/*
 * fuzz_normalize.c - libFuzzer target for text_normalize() (src/text/).
 *
 * The first input byte is the step mask (TEXT_NORM_* bits, so every subset
 * of steps is reached); the rest is the message.  Checks, cheaply: the
 * output is NUL-terminated at len, valid UTF-8, no longer than the worst
 * case, slot counts agree with the tokens written; and when the first
 * byte's top bit is set, normalising the TEXT_NORM_ALL output again
 * changes nothing (idempotence).  One
 * normaliser is reused across inputs, as the pipeline does.
 * Built as a libFuzzer binary by `make fuzz` and as a corpus replayer for
 * `make check` (tests/fuzz/corpus/normalize/).
 */
#include "text/normalize.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Strict UTF-8 check; counts slot tokens (U+E001..U+E008). */
static int valid_utf8(const unsigned char *p, size_t len, unsigned *tokens)
{
	size_t i = 0;
	*tokens = 0;
	while (i < len) {
		unsigned b = p[i], need;
		uint32_t c;
		if (b < 0x80) {
			i++;
			continue;
		}
		if (b >= 0xC2 && b <= 0xDF)
			need = 1, c = b & 0x1F;
		else if (b >= 0xE0 && b <= 0xEF)
			need = 2, c = b & 0x0F;
		else if (b >= 0xF0 && b <= 0xF4)
			need = 3, c = b & 0x07;
		else
			return 0;
		if (len - i - 1 < need)
			return 0;
		for (unsigned k = 1; k <= need; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return 0;
			c = (c << 6) | (p[i + k] & 0x3F);
		}
		if ((need == 2 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) ||
		    (need == 3 && (c < 0x10000 || c > 0x10FFFF)))
			return 0;
		if (c >= 0xE001 && c <= 0xE008)
			(*tokens)++;
		i += need + 1;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct text_norm n, again;
	static int ready;
	unsigned flags, tokens;

	if (size < 1)
		return 0;
	if (!ready) {
		text_norm_init(&n);
		text_norm_init(&again);
		ready = 1;
	}
	flags = data[0] & TEXT_NORM_ALL;
	/* an exact-size heap copy, so ASan sees any read past the end */
	char *in = malloc(size - 1 ? size - 1 : 1);
	if (!in)
		return 0;
	memcpy(in, data + 1, size - 1);
	if (text_normalize(&n, in, size - 1, flags) != 0)
		abort();
	free(in);
	if (n.buf[n.len] != '\0' || n.len > 8 * (size - 1) + 8)
		abort();
	if (!valid_utf8((const unsigned char *)n.buf, n.len, &tokens))
		abort();
	if ((flags & TEXT_NORM_SLOTS) && tokens != n.n_slots)
		abort();
	if (n.invalid_bytes > size - 1 || (n.changed & ~TEXT_NORM_ALL))
		abort();
	/* Idempotence with all steps, on half the inputs (top bit of the first byte). */
	if (data[0] & 0x80) {
		if (flags != TEXT_NORM_ALL && text_normalize(&n, (const char *)data + 1, size - 1,
							    TEXT_NORM_ALL) != 0)
			abort();
		if (text_normalize(&again, n.buf, n.len, TEXT_NORM_ALL) != 0)
			abort();
		if (again.len != n.len || memcmp(again.buf, n.buf, n.len) != 0 || again.invalid_bytes)
			abort();
	}
	return 0;
}
