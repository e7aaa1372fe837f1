/* json.c - JSON writer over a fixed buffer (see json.h). */
#include "core/json.h"

#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void json_init(struct json_buf *b, char *buf, size_t size)
{
	b->p = buf;
	b->len = 0;
	b->size = size;
	b->overflow = size == 0;
	b->need_comma = false;
	if (size)
		buf[0] = '\0';
}

int json_finish(const struct json_buf *b)
{
	return b->overflow ? -SS_ETOOLONG : (int)b->len;
}

void json_raw(struct json_buf *b, const char *s, size_t n)
{
	if (b->overflow || b->len + n >= b->size) {
		b->overflow = true;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void json_str(struct json_buf *b, const char *s)
{
	json_raw(b, s, strlen(s));
}

void json_quoted_n(struct json_buf *b, const char *s, size_t n)
{
	json_raw(b, "\"", 1);
	size_t run = 0; /* bytes that need no escaping, copied in one go */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c != '"' && c != '\\' && c >= 0x20)
			continue;
		json_raw(b, s + run, i - run);
		char e[8];
		if (c == '"' || c == '\\') {
			e[0] = '\\';
			e[1] = (char)c;
			json_raw(b, e, 2);
		} else {
			int k = snprintf(e, sizeof(e), "\\u%04x", c);
			json_raw(b, e, (size_t)k);
		}
		run = i + 1;
	}
	json_raw(b, s + run, n - run);
	json_raw(b, "\"", 1);
}

void json_quoted(struct json_buf *b, const char *s)
{
	json_quoted_n(b, s, strlen(s));
}

void json_fmt(struct json_buf *b, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		b->overflow = true;
		return;
	}
	json_raw(b, tmp, (size_t)n);
}

void json_open(struct json_buf *b)
{
	json_raw(b, "{", 1);
	b->need_comma = false;
}

void json_close(struct json_buf *b)
{
	json_raw(b, "}", 1);
	b->need_comma = true;
}

void json_key(struct json_buf *b, const char *key)
{
	/* Keys are the program's own identifiers: nothing to escape. */
	char tmp[64];
	size_t n = strlen(key), k = 0;
	if (n + 4 > sizeof(tmp)) {
		if (b->need_comma)
			json_raw(b, ",", 1);
		json_quoted(b, key);
		json_raw(b, ":", 1);
		b->need_comma = true;
		return;
	}
	if (b->need_comma)
		tmp[k++] = ',';
	tmp[k++] = '"';
	memcpy(tmp + k, key, n);
	k += n;
	tmp[k++] = '"';
	tmp[k++] = ':';
	json_raw(b, tmp, k);
	b->need_comma = true;
}

void json_kv_str(struct json_buf *b, const char *key, const char *value)
{
	if (!value || !value[0])
		return;
	json_key(b, key);
	json_quoted(b, value);
}

void json_int(struct json_buf *b, long long value)
{
	/* printf is most of a decode's output cost: digits by hand. */
	char tmp[24];
	size_t k = sizeof(tmp);
	unsigned long long u = value < 0 ? 0ULL - (unsigned long long)value : (unsigned long long)value;
	do {
		tmp[--k] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (value < 0)
		tmp[--k] = '-';
	json_raw(b, tmp + k, sizeof(tmp) - k);
}

void json_kv_int(struct json_buf *b, const char *key, long long value)
{
	json_key(b, key);
	json_int(b, value);
}

void json_kv_bool(struct json_buf *b, const char *key, bool value)
{
	json_key(b, key);
	json_str(b, value ? "true" : "false");
}
