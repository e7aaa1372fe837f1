/*
 * fuzz_diameter.c - libFuzzer target for Diameter (dec_diameter): whole payloads and TCP
 * stream framing (see stream_harness.h for the input format).
 */
#include "stream_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_stream_run(data, size, dec_diameter, DEC_T_SCTP, 3868, 46);
}
