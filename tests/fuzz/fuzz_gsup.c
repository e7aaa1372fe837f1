/*
 * fuzz_gsup.c - libFuzzer target for IPA/GSUP (dec_ipa): whole payloads and TCP
 * stream framing (see stream_harness.h for the input format).
 */
#include "stream_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_stream_run(data, size, dec_ipa, DEC_T_TCP, 4222, 46);
}
