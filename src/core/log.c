/* log.c - diagnostics on stderr (see log.h). */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
	char line[1024];
	va_list ap;

	if (level > log_threshold || level == SS_LOG_SILENT)
		return;
	/*
	 * One write per message: a replay's reader thread reports bad rows
	 * while the engine's thread logs, and stdio locks each call, not each
	 * line.  A message too long for the buffer is cut, marked with "...".
	 */
	int head = snprintf(line, sizeof(line), "simsieve: %s: ", names[level]);
	va_start(ap, fmt);
	int body = vsnprintf(line + head, sizeof(line) - (size_t)head - 1, fmt, ap);
	va_end(ap);
	size_t len = (size_t)head + (body > 0 ? (size_t)body : 0);
	if (len > sizeof(line) - 2) {
		len = sizeof(line) - 2;
		memcpy(line + len - 3, "...", 3);
	}
	line[len++] = '\n';
	fwrite(line, 1, len, stderr);
}
