/*
 * json.h - a small JSON writer over a caller's fixed buffer.
 *
 * No allocation; overflow is sticky and reported once at the end
 * (json_finish), so call sites need no error checks.  Strings are escaped
 * per RFC 8259; bytes >= 0x80 pass through (callers supply UTF-8).
 */
#ifndef SS_CORE_JSON_H
#define SS_CORE_JSON_H

#include <stdbool.h>
#include <stddef.h>

struct json_buf {
	char *p;
	size_t len, size;
	bool overflow;
	bool need_comma; /* a value was written at this nesting level */
};

/* json_init() - start writing into @buf of @size bytes (>= 1). */
void json_init(struct json_buf *b, char *buf, size_t size);

/* json_finish() - the length written, or -SS_ETOOLONG if it did not fit. */
int json_finish(const struct json_buf *b);

void json_raw(struct json_buf *b, const char *s, size_t n);
void json_str(struct json_buf *b, const char *s);	     /* raw text */
void json_quoted(struct json_buf *b, const char *s);	     /* escaped string with quotes */
void json_quoted_n(struct json_buf *b, const char *s, size_t n);
void json_fmt(struct json_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Object helpers: json_open/close emit braces; json_key writes [,]"key": */
void json_open(struct json_buf *b);
void json_close(struct json_buf *b);
void json_key(struct json_buf *b, const char *key);
void json_kv_str(struct json_buf *b, const char *key, const char *value); /* skipped when empty */
void json_kv_int(struct json_buf *b, const char *key, long long value);
void json_int(struct json_buf *b, long long value); /* a bare integer */
void json_kv_bool(struct json_buf *b, const char *key, bool value);

#endif
