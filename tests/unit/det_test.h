/*
 * det_test.h - what detector test suites share: a recorder of findings that
 * checks every finding's invariants as it arrives (family, score range, at
 * least one reason, every reason code known to reasons.def), and a reason
 * lookup.  Header-only: each suite is one program.
 */
#ifndef SS_TESTS_DET_TEST_H
#define SS_TESTS_DET_TEST_H

#include "detect/detect.h"

#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct rec {
	struct det_finding *f;
	size_t n, cap;
	const char *family; /* every finding must be of this family (NULL: not checked) */
};

/* det_env.emit for a struct rec. */
static inline void rec_emit(void *ctx, const struct det_finding *f)
{
	struct rec *r = ctx;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 256;
		r->f = realloc(r->f, r->cap * sizeof(*r->f));
		ck_assert_ptr_nonnull(r->f);
	}
	r->f[r->n++] = *f;
	if (r->family)
		ck_assert_str_eq(f->family, r->family);
	ck_assert_int_ge(f->score, 0);
	ck_assert_int_le(f->score, 100);
	ck_assert_int_ge(f->n_reasons, 1);
	for (int i = 0; i < f->n_reasons; i++)
		ck_assert_int_ge(det_reason_bit(f->reasons[i].code), 0);
}

static inline bool has_reason(const struct det_finding *f, const char *code)
{
	for (int i = 0; i < f->n_reasons; i++)
		if (!strcmp(f->reasons[i].code, code))
			return true;
	return false;
}

#endif
