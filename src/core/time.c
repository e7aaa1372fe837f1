/*
 * time.c - timestamp parsing and formatting (see time.h).
 *
 * Hand-written rather than strptime()/timegm(): those depend on the locale
 * and the TZ environment and are several times slower, and start_time is
 * parsed once for every CDR row.
 */
#include "core/time.h"

#include "core/err.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), Howard Hinnant's algorithm. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const int64_t yy = (int64_t)yoe + era * 400;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (*m <= 2));
}

static int read_digits(const char *s, size_t len, size_t *pos, unsigned n, unsigned *out)
{
	unsigned v = 0;

	if (*pos + n > len)
		return -1;
	for (unsigned i = 0; i < n; i++) {
		char c = s[*pos + i];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (unsigned)(c - '0');
	}
	*pos += n;
	*out = v;
	return 0;
}

static int expect(const char *s, size_t len, size_t *pos, char c)
{
	if (*pos >= len || s[*pos] != c)
		return -1;
	(*pos)++;
	return 0;
}

static int parse_epoch(const char *s, size_t len, ss_time_us *out)
{
	int64_t sec = 0, frac = 0, scale = SS_US_PER_SEC;
	size_t i = 0, ndig = 0;

	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, ndig++) {
		if (ndig >= 11) /* beyond year 5138: not a CDR time */
			return -SS_EBADTIME;
		sec = sec * 10 + (s[i] - '0');
	}
	if (ndig == 0)
		return -SS_EBADTIME;
	if (i < len && s[i] == '.') {
		i++;
		size_t nfrac = 0;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, nfrac++) {
			if (scale > 1) {
				scale /= 10;
				frac += (s[i] - '0') * scale;
			}
		}
		if (nfrac == 0)
			return -SS_EBADTIME;
	}
	if (i != len)
		return -SS_EBADTIME;
	*out = sec * SS_US_PER_SEC + frac;
	return 0;
}

/*
 * The canonical form "YYYY-MM-DDTHH:MM:SSZ" (what CDR exports and our own
 * tools write; ISO 8601 / RFC 3339 UTC, whole seconds): every row of a CDR
 * file has one, and consecutive rows share their date, so the day number of
 * the last date seen is kept per thread and only the time of day is parsed
 * (a quarter of the general parser's instructions).  Returns false when @s
 * is not exactly that shape or a field is out of range; the general parser
 * then decides (leap days and leap seconds go there too).
 */
static inline unsigned two_digits(const char *p, bool *ok)
{
	unsigned a = (unsigned)(unsigned char)p[0] - '0', b = (unsigned)(unsigned char)p[1] - '0';
	*ok &= a <= 9 && b <= 9;
	return a * 10 + b;
}

static bool parse_canonical(const char *s, size_t len, ss_time_us *out)
{
	static _Thread_local struct {
		char date[10]; /* "YYYY-MM-DD" */
		bool valid;
		int64_t days;
	} memo;

	if (len != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return false;
	bool ok = true;
	unsigned hour = two_digits(s + 11, &ok), min = two_digits(s + 14, &ok), sec = two_digits(s + 17, &ok);
	if (!ok || hour > 23 || min > 59 || sec > 59)
		return false;
	if (!memo.valid || memcmp(s, memo.date, 10) != 0) {
		if (s[4] != '-' || s[7] != '-')
			return false;
		unsigned year = two_digits(s, &ok) * 100 + two_digits(s + 2, &ok);
		unsigned mon = two_digits(s + 5, &ok), day = two_digits(s + 8, &ok);
		static const unsigned char mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
		if (!ok || year < 1970 || mon < 1 || mon > 12 || day < 1 || day > mdays[mon - 1])
			return false;
		memcpy(memo.date, s, 10);
		memo.days = days_from_civil(year, mon, day);
		memo.valid = true;
	}
	*out = (memo.days * 86400 + hour * 3600 + min * 60 + sec) * SS_US_PER_SEC;
	return true;
}

int ss_time_parse(const char *s, size_t len, ss_time_us *out)
{
	unsigned year, mon, day, hour, min, sec;
	int64_t frac = 0, offset_sec = 0;
	size_t pos = 0;

	if (parse_canonical(s, len, out))
		return 0;

	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	if (len == 0)
		return -SS_EBADTIME;
	/* ISO dates have a '-' at position 4; epoch seconds never do. */
	if (len < 5 || s[4] != '-')
		return parse_epoch(s, len, out);

	if (read_digits(s, len, &pos, 4, &year) || expect(s, len, &pos, '-') ||
	    read_digits(s, len, &pos, 2, &mon) || expect(s, len, &pos, '-') ||
	    read_digits(s, len, &pos, 2, &day))
		return -SS_EBADTIME;
	if (pos >= len || (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' '))
		return -SS_EBADTIME;
	pos++;
	if (read_digits(s, len, &pos, 2, &hour) || expect(s, len, &pos, ':') ||
	    read_digits(s, len, &pos, 2, &min) || expect(s, len, &pos, ':') ||
	    read_digits(s, len, &pos, 2, &sec))
		return -SS_EBADTIME;
	if (pos < len && (s[pos] == '.' || s[pos] == ',')) {
		int64_t scale = SS_US_PER_SEC;
		size_t start = ++pos;
		for (; pos < len && s[pos] >= '0' && s[pos] <= '9'; pos++) {
			if (scale > 1) {
				scale /= 10;
				frac += (s[pos] - '0') * scale;
			}
		}
		if (pos == start)
			return -SS_EBADTIME;
	}
	if (pos >= len)
		return -SS_EBADTIME; /* a zone is required: local times are ambiguous */
	if (s[pos] == 'Z' || s[pos] == 'z') {
		pos++;
	} else if (s[pos] == '+' || s[pos] == '-') {
		int sign = s[pos] == '-' ? -1 : 1;
		unsigned oh, om = 0;
		pos++;
		if (read_digits(s, len, &pos, 2, &oh))
			return -SS_EBADTIME;
		if (pos < len && s[pos] == ':')
			pos++;
		if (pos < len && read_digits(s, len, &pos, 2, &om))
			return -SS_EBADTIME;
		if (oh > 23 || om > 59)
			return -SS_EBADTIME;
		offset_sec = sign * (int64_t)(oh * 3600 + om * 60);
	} else {
		return -SS_EBADTIME;
	}
	if (pos != len)
		return -SS_EBADTIME;
	if (year < 1970 || mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 ||
	    min > 59 || sec > 60)
		return -SS_EBADTIME;
	static const unsigned char mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (day > mdays[mon - 1])
		return -SS_EBADTIME;
	if (mon == 2 && day == 29 && !((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
		return -SS_EBADTIME;

	int64_t days = days_from_civil(year, mon, day);
	int64_t t = days * 86400 + hour * 3600 + min * 60 + sec - offset_sec;
	*out = t * SS_US_PER_SEC + frac;
	return 0;
}

int ss_time_format(ss_time_us t, char *buf, size_t size)
{
	int64_t secs = t / SS_US_PER_SEC, us = t % SS_US_PER_SEC;
	int year;
	unsigned mon, day;
	int n;

	if (us < 0) {
		us += SS_US_PER_SEC;
		secs--;
	}
	int64_t days = secs / 86400, rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil_from_days(days, &year, &mon, &day);
	if (year >= 0 && year <= 9999 && size >= 28) {
		/* The common case by hand: this runs once per decoded message and action. */
		unsigned hh = (unsigned)(rem / 3600), mm = (unsigned)(rem / 60 % 60), ss = (unsigned)(rem % 60);
		char *p = buf;
		p[0] = (char)('0' + year / 1000);
		p[1] = (char)('0' + year / 100 % 10);
		p[2] = (char)('0' + year / 10 % 10);
		p[3] = (char)('0' + year % 10);
		p[4] = '-';
		p[5] = (char)('0' + mon / 10);
		p[6] = (char)('0' + mon % 10);
		p[7] = '-';
		p[8] = (char)('0' + day / 10);
		p[9] = (char)('0' + day % 10);
		p[10] = 'T';
		p[11] = (char)('0' + hh / 10);
		p[12] = (char)('0' + hh % 10);
		p[13] = ':';
		p[14] = (char)('0' + mm / 10);
		p[15] = (char)('0' + mm % 10);
		p[16] = ':';
		p[17] = (char)('0' + ss / 10);
		p[18] = (char)('0' + ss % 10);
		p += 19;
		if (us) {
			*p++ = '.';
			for (int64_t div = 100000; div; div /= 10)
				*p++ = (char)('0' + (us / div) % 10);
		}
		*p++ = 'Z';
		*p = '\0';
		return (int)(p - buf);
	}
	if (us)
		n = snprintf(buf, size, "%04d-%02u-%02uT%02d:%02d:%02d.%06dZ", year, mon, day,
			     (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60), (int)us);
	else
		n = snprintf(buf, size, "%04d-%02u-%02uT%02d:%02d:%02dZ", year, mon, day,
			     (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
	if (n < 0 || (size_t)n >= size)
		return -SS_ETOOLONG;
	return n;
}

ss_time_us ss_time_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (ss_time_us)ts.tv_sec * SS_US_PER_SEC + ts.tv_nsec / 1000;
}

ss_time_us ss_time_monotonic(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ss_time_us)ts.tv_sec * SS_US_PER_SEC + ts.tv_nsec / 1000;
}
