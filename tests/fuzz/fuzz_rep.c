/*
 * fuzz_rep.c - libFuzzer target for what the reputation store parses:
 * subjects typed by users and lists (rep_key_parse_n), and stored record
 * values (rep_record_decode: a corrupted or foreign LMDB value must be
 * rejected, never read past its end).  A decoded record is re-encoded and
 * must decode to the same fields.
 */
#include "rep/rep.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum rep_key_type type;
	char id[REP_ID_SIZE];
	struct rep_record rec, again;
	uint8_t buf[REP_RECORD_MAX];
	char json[2048];

	/* Exact-size copies so ASan sees any read past the end. */
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	size_t id_len;
	if (rep_key_parse_n(text, size, &type, id, &id_len) == 0) {
		assert(id_len == strlen(id));
		assert(strlen(id) < REP_ID_SIZE);
		(void)rep_key_type_name(type);
	}
	free(text);

	uint8_t *val = malloc(size ? size : 1);
	if (!val)
		return 0;
	memcpy(val, data, size);
	if (rep_record_decode(val, size, &rec) == 0) {
		size_t n = rep_record_encode(&rec, buf);
		assert(n <= sizeof(buf));
		assert(rep_record_decode(buf, n, &again) == 0);
		assert(memcmp(&rec.reasons, &again.reasons, sizeof(rec.reasons)) == 0);
		assert(strcmp(rec.list_source, again.list_source) == 0);
		(void)rep_record_json(NULL, REP_KEY_MSISDN, "8613800138000", &rec, 0, json, sizeof(json));
	}
	free(val);
	return 0;
}
