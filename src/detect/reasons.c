/* reasons.c - reason codes: building findings' reasons, and the persisted bit table (reasons.def). */
#include "detect/detect.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void det_reason_add(struct det_finding *f, const char *code, const char *fmt, ...)
{
	va_list ap;

	if (f->n_reasons >= DET_MAX_REASONS)
		return;
	struct det_reason *r = &f->reasons[f->n_reasons++];
	snprintf(r->code, sizeof(r->code), "%s", code);
	va_start(ap, fmt);
	vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
	va_end(ap);
}

struct reason_entry {
	int bit;
	const char *code;
	const char *meaning;
};

static const struct reason_entry reason_table[] = {
#define REASON(bit, code, meaning) { bit, code, meaning },
#include "detect/reasons.def"
#undef REASON
};

int det_reason_bit(const char *code)
{
	for (size_t i = 0; i < sizeof(reason_table) / sizeof(reason_table[0]); i++)
		if (strcmp(reason_table[i].code, code) == 0)
			return reason_table[i].bit;
	return -1;
}

const char *det_reason_code(int bit)
{
	for (size_t i = 0; i < sizeof(reason_table) / sizeof(reason_table[0]); i++)
		if (reason_table[i].bit == bit)
			return reason_table[i].code;
	return NULL;
}
