/*
 * fuzz_sig.c - libFuzzer target for the signature loader (src/sig/): the
 * input is a signature file; when it loads, the compiled set scans the
 * input itself and a few fixed texts (slot tokens included).
 *
 * Vectorscan compile time grows with the number of signatures and their
 * bounded gaps, so inputs are capped at 4 KiB and 32 `sig` statements:
 * the target explores the parser and the regex it emits, not compile
 * throughput.
 */
#include "sig/sig.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT 4096
#define MAX_SIGS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const texts[] = { "", "刷单佣金日结", "加\xee\x80\x84好友 \xee\x80\x81", "a",
					     "\xee\x80\x82\xee\x80\x88\xff\xfe", "积分兑换 www" };
	const char *text = (const char *)data;
	struct sig_set *set;
	struct sig_error err;
	unsigned sigs = 0;

	if (size > MAX_INPUT)
		return 0;
	for (size_t i = 0; i + 3 < size; i++)
		if ((i == 0 || text[i - 1] == '\n' || text[i - 1] == ' ' || text[i - 1] == '\t') &&
		    !memcmp(text + i, "sig", 3) && ++sigs > MAX_SIGS)
			return 0;
	if (sig_set_load_mem("fuzz.sig", text, size, &set, &err) != 0) {
		/* The error must be printable and point into the input. */
		if (strlen(err.msg) == 0 || err.line > size + 1)
			abort();
		return 0;
	}
	struct sig_scanner *sc;
	if (sig_scanner_open(set, &sc) == 0) {
		struct sig_result r;
		for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
			if (sig_scan(sc, set, texts[i], strlen(texts[i]), &r) == 0 && r.n_hits > sig_set_count(set))
				abort();
		sig_scan(sc, set, text, size, &r);
		for (size_t c = 0; c < sig_category_count(set); c++) {
			int s = sig_scanner_category_score(sc, c);
			if (s < -1 || s > 100)
				abort();
		}
		sig_scanner_close(sc);
	}
	sig_set_free(set);
	return 0;
}
