/* log.c - diagnostics on stderr (see log.h). */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>

static enum ss_log_level log_threshold = SS_LOG_INFO;

void ss_log_set_level(enum ss_log_level level)
{
	log_threshold = level;
}

enum ss_log_level ss_log_get_level(void)
{
	return log_threshold;
}

void ss_log(enum ss_log_level level, const char *fmt, ...)
{
	static const char *const names[] = { "", "error", "warning", "info", "debug" };
	va_list ap;

	if (level > log_threshold || level == SS_LOG_SILENT)
		return;
	fprintf(stderr, "simsieve: %s: ", names[level]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
