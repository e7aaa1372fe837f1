/*
 * dec_test.h - helpers shared by the decoder unit tests: hex test vectors
 * and a sink that keeps the messages a decoder emits.
 *
 * Define DEC_TEST_MAX_OUT before including to keep more than 16 messages.
 */
#ifndef SS_TESTS_UNIT_DEC_TEST_H
#define SS_TESTS_UNIT_DEC_TEST_H

#include "decode/decode.h"

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef DEC_TEST_MAX_OUT
#define DEC_TEST_MAX_OUT 16
#endif

/* unhex() - a hex test vector into @out; a malformed vector fails the test. */
static inline size_t unhex(const char *h, uint8_t *out, size_t size)
{
	size_t n = 0;
	for (; h[0] && h[1]; h += 2) {
		unsigned b;
		ck_assert_int_eq(sscanf(h, "%2x", &b), 1);
		ck_assert_uint_lt(n, size);
		out[n++] = (uint8_t)b;
	}
	return n;
}

/* dup_bytes() - an exact-size heap copy, so reading one byte past a vector trips ASan. */
static inline uint8_t *dup_bytes(const void *p, size_t n)
{
	uint8_t *q = malloc(n ? n : 1);
	ck_assert_ptr_nonnull(q);
	memcpy(q, p, n);
	return q;
}

/* has_anomaly() - whether one of @m's anomalies contains @needle. */
static inline bool has_anomaly(const struct dec_message *m, const char *needle)
{
	for (int i = 0; i < m->n_anomalies; i++)
		if (strstr(m->anomalies[i], needle))
			return true;
	return false;
}

/* The messages one decode call emitted; each is also rendered as JSON. */
struct sink {
	int n;
	struct dec_message m[DEC_TEST_MAX_OUT];
};

static inline void collect(void *arg, const struct dec_message *m)
{
	struct sink *s = arg;
	char json[8192];
	ck_assert_int_gt(dec_message_json(m, json, sizeof(json)), 0);
	if (s->n < DEC_TEST_MAX_OUT)
		s->m[s->n] = *m;
	s->n++;
}

#endif
