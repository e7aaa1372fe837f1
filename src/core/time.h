/*
 * time.h - timestamps.
 *
 * simsieve keeps every time as int64_t microseconds since the Unix epoch, UTC
 * (ss_time_us).  Input clocks (CDR start_time, pcap frame time) are converted
 * on ingest; output is ISO 8601 with a 'Z' suffix.
 */
#ifndef SS_CORE_TIME_H
#define SS_CORE_TIME_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t ss_time_us;

#define SS_US_PER_SEC INT64_C(1000000)
#define SS_US_PER_MIN (60 * SS_US_PER_SEC)
#define SS_US_PER_HOUR (3600 * SS_US_PER_SEC)
#define SS_US_PER_DAY (86400 * SS_US_PER_SEC)

/*
 * ss_time_parse() - parse a CDR/activation time field.
 * @s, @len: the text (borrowed, need not be NUL-terminated).
 * @out:     result on success.
 *
 * Accepts ISO 8601 "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM|+HHMM)" (a space
 * may replace the 'T') and Unix epoch seconds, integer or decimal.  Years
 * 1970-9999 only.  Returns 0 or -SS_EBADTIME.
 */
int ss_time_parse(const char *s, size_t len, ss_time_us *out);

/*
 * ss_time_format() - write @t as "YYYY-MM-DDTHH:MM:SSZ" (or with ".ffffff"
 * when @t has a sub-second part) into @buf of @size bytes (>= 28).
 * Returns the string length, or -SS_ETOOLONG if @buf is too small.
 */
int ss_time_format(ss_time_us t, char *buf, size_t size);

/* ss_time_now() - the wall clock, for emitted_at and logging. */
ss_time_us ss_time_now(void);

/* ss_time_monotonic() - a monotonic clock, for rates and timeouts. */
ss_time_us ss_time_monotonic(void);

#endif
