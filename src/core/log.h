/*
 * log.h - diagnostics on stderr.
 *
 * One line per message, prefixed with the program name and the level.  The
 * level threshold is process-wide (set once at start-up from -v / -q).
 * Never pass raw identity-document numbers here: only keyed hashes.
 */
#ifndef SS_CORE_LOG_H
#define SS_CORE_LOG_H

/* SS_LOG_SILENT as a threshold prints nothing (fuzz targets, embedding). */
enum ss_log_level { SS_LOG_SILENT, SS_LOG_ERROR, SS_LOG_WARN, SS_LOG_INFO, SS_LOG_DEBUG };

void ss_log_set_level(enum ss_log_level level);
enum ss_log_level ss_log_get_level(void);

/* ss_log() - print a message if @level is at or below the threshold. */
void ss_log(enum ss_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define ss_error(...) ss_log(SS_LOG_ERROR, __VA_ARGS__)
#define ss_warn(...) ss_log(SS_LOG_WARN, __VA_ARGS__)
#define ss_info(...) ss_log(SS_LOG_INFO, __VA_ARGS__)
#define ss_debug(...) ss_log(SS_LOG_DEBUG, __VA_ARGS__)

#endif
