/*
 * fuzz_sip.c - libFuzzer target for SIP (dec_sip): whole payloads and TCP
 * stream framing (see stream_harness.h for the input format).
 */
#include "stream_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_stream_run(data, size, dec_sip, DEC_T_UDP, 5060, 0);
}
