/*
 * source.c - what every input shares: closing, and reporting bad records
 * (see source.h; cdr.md "A malformed row ... is rejected with a clear message
 * naming file, line number and reason, counted, and processing continues").
 */
#include "ingest/source.h"

#include <stdarg.h>

void ingest_close(struct ingest_source *src)
{
	if (src && src->ops && src->ops->close)
		src->ops->close(src);
}

void ingest_report_bad(struct ingest_source *src, uint64_t line, const char *fmt, ...)
{
	FILE *out = src->errors ? src->errors : stderr;
	uint64_t max = src->max_error_lines ? src->max_error_lines : 100;
	va_list ap;

	src->counters.rejected++;
	if (src->error_lines_printed > max)
		return;
	if (src->error_lines_printed == max) {
		/* One line says the rest are only counted (the summary has the total). */
		fprintf(out, "%s: further bad records not shown (see the summary for the count)\n",
			src->name);
		src->error_lines_printed++;
		return;
	}
	fprintf(out, "%s:%llu: ", src->name, (unsigned long long)line);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
	src->error_lines_printed++;
}
