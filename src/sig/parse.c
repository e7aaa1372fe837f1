/*
 * parse.c - signature files -> struct sig_set (docs/signatures.md).
 *
 * Statements are read one line at a time; a pattern is translated straight
 * into the byte-level regular expression compile.c hands to Vectorscan, so
 * there is no syntax tree:
 *
 *   "text"        the literal, normalised like messages (text_normalize with
 *                 every step but slot abstraction), each byte escaped
 *   <slot>        the slot token U+E000+type as its three UTF-8 bytes
 *   <contact>     \xee\x80[\x81-\x84] (url, phone, qq, wechat)
 *   ( A | B )     (?:A|B)
 *   A B           AB
 *   A ..N B       A(?:[\x00-\x7f\xc0-\xff][\x80-\xbf]*){0,N}B - N code points
 *                 of UTF-8 written as bytes (see compile.c for why not
 *                 HS_FLAG_UTF8)
 *
 * Errors are data: each one is `file:line: reason`, the parse goes on at
 * the next line so `sig lint` can list them all, and the set is rejected.
 */
#include "sig/sig_internal.h"

#include "core/err.h"
#include "text/normalize.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SIG_MAX_LITERAL 1024 /* bytes of one literal as written */

/*
 * How literals are normalised: like messages, but without slot abstraction
 * (and without the corpus placeholders, URL, DIGIT..., which are slots too):
 * a literal that slot abstraction would change is an error (parse_literal).
 */
#ifdef TEXT_NORM_PLACEHOLDERS
#define SIG_LITERAL_NORM (TEXT_NORM_ALL & ~(TEXT_NORM_SLOTS | TEXT_NORM_PLACEHOLDERS))
#else
#define SIG_LITERAL_NORM (TEXT_NORM_ALL & ~TEXT_NORM_SLOTS)
#endif

struct parser {
	struct sig_set *set;
	const char *file; /* the current file's name (set->file[file_idx]) */
	uint32_t file_idx;
	unsigned line;
	unsigned version_line; /* of the current file's `version`, 0 if none yet */
	const char *p, *end;   /* the rest of the current line */

	struct text_norm norm; /* literals as matched (no slots) */
	struct text_norm all;  /* literals with every step, to catch slot text */

	char *rx; /* the pattern being translated */
	size_t rx_len, rx_cap;
	bool rx_full;

	uint32_t *ids; /* open-addressing table of signature indices + 1, by id */
	size_t ids_cap;

	unsigned n_err;
	struct sig_error *first;
	sig_report_fn *report;
	void *report_arg;
};

void sig_error_set(struct sig_error *err, const char *file, unsigned line, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

/* perr() - report a problem at the current line; always returns -SS_EPARSE. */
__attribute__((format(printf, 2, 3))) static int perr(struct parser *ps, const char *fmt, ...)
{
	struct sig_error e;
	va_list ap;

	snprintf(e.file, sizeof(e.file), "%s", ps->file);
	e.line = ps->line;
	va_start(ap, fmt);
	vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
	va_end(ap);
	if (ps->n_err++ == 0 && ps->first)
		*ps->first = e;
	if (ps->report)
		ps->report(&e, ps->report_arg);
	return -SS_EPARSE;
}

/* A short printable excerpt of input for messages: up to 24 bytes, cut at a character. */
static const char *excerpt_any(const char *s, const char *end, char *buf, size_t size, bool word)
{
	size_t n = 0;

	while (s + n < end && n < 24 && n + 1 < size && !(word && (s[n] == ' ' || s[n] == '\t')))
		n++;
	while (n > 0 && s + n < end && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--; /* do not cut a UTF-8 sequence */
	memcpy(buf, s, n);
	buf[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = '?';
	return buf;
}

/* The word at @s (up to a blank). */
static const char *excerpt(const char *s, const char *end, char *buf, size_t size)
{
	return excerpt_any(s, end, buf, size, true);
}

/* ---- small helpers ------------------------------------------------------ */

static bool utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;

	while (p < e) {
		unsigned c = *p++, need;
		uint32_t cp;
		if (c < 0x80)
			continue;
		if (c >= 0xc2 && c <= 0xdf)
			need = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3, cp = c & 0x07;
		else
			return false;
		if ((size_t)(e - p) < need)
			return false;
		for (unsigned i = 0; i < need; i++, p++) {
			if ((*p & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (*p & 0x3f);
		}
		if ((need == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (need == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return false;
	}
	return true;
}

static uint64_t hash_str(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static void skip_space(struct parser *ps)
{
	while (ps->p < ps->end && is_space(*ps->p))
		ps->p++;
}

/* At the end of the statement: nothing left but blanks and a comment. */
static bool at_end(struct parser *ps)
{
	skip_space(ps);
	return ps->p >= ps->end || *ps->p == '#';
}

/* next_token() - the next blank-separated word (none at a comment). */
static bool next_token(struct parser *ps, const char **tok, size_t *len)
{
	if (at_end(ps))
		return false;
	*tok = ps->p;
	while (ps->p < ps->end && !is_space(*ps->p))
		ps->p++;
	*len = (size_t)(ps->p - *tok);
	return true;
}

static bool word_ok(const char *s, size_t n, bool id)
{
	if (n == 0 || n > SIG_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
		      (id && (c == '.' || c == '-'))))
			return false;
	}
	return true;
}

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static long find_category(const struct sig_set *set, const char *name, size_t n)
{
	for (size_t i = 0; i < set->n_cat; i++)
		if (strlen(set->cat[i].name) == n && !memcmp(set->cat[i].name, name, n))
			return (long)i;
	return -1;
}

/* find_id() - the slot of @id in the id table: 0 there means free. */
static size_t find_id(const struct parser *ps, const char *id, size_t n)
{
	size_t mask = ps->ids_cap - 1, i = hash_str(id, n) & mask;

	while (ps->ids[i]) {
		const char *have = ps->set->sig[ps->ids[i] - 1].id;
		if (strlen(have) == n && !memcmp(have, id, n))
			break;
		i = (i + 1) & mask;
	}
	return i;
}

static int grow_ids(struct parser *ps)
{
	size_t old_cap = ps->ids_cap, cap = old_cap ? old_cap * 2 : 256;
	uint32_t *old = ps->ids;

	ps->ids = calloc(cap, sizeof(*ps->ids));
	if (!ps->ids) {
		ps->ids = old;
		return -ENOMEM;
	}
	ps->ids_cap = cap;
	for (size_t i = 0; i < old_cap; i++) {
		if (!old[i])
			continue;
		const char *id = ps->set->sig[old[i] - 1].id;
		ps->ids[find_id(ps, id, strlen(id))] = old[i];
	}
	free(old);
	return 0;
}

/* ---- the regex being built ---------------------------------------------- */

static void rx_add(struct parser *ps, const char *s, size_t n)
{
	if (ps->rx_full)
		return;
	if (ps->rx_len + n + 1 > SIG_MAX_REGEX) {
		ps->rx_full = true;
		return;
	}
	if (ps->rx_len + n + 1 > ps->rx_cap) {
		size_t cap = ps->rx_cap ? ps->rx_cap : 256;
		while (cap < ps->rx_len + n + 1)
			cap *= 2;
		char *r = realloc(ps->rx, cap);
		if (!r) {
			ps->rx_full = true;
			return;
		}
		ps->rx = r;
		ps->rx_cap = cap;
	}
	memcpy(ps->rx + ps->rx_len, s, n);
	ps->rx_len += n;
	ps->rx[ps->rx_len] = '\0';
}

static void rx_str(struct parser *ps, const char *s)
{
	rx_add(ps, s, strlen(s));
}

/* Bytes as an exact byte sequence: ASCII letters and digits as they are, the rest \xHH. */
static void rx_bytes(struct parser *ps, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
			rx_add(ps, (const char *)&c, 1);
		} else {
			char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };
			rx_add(ps, e, 4);
		}
	}
}

/* ---- patterns ----------------------------------------------------------- */

static int parse_alts(struct parser *ps, unsigned depth);

/* The first slot token in @s, as its type, or TEXT_SLOT_NONE. */
static enum text_slot_type first_slot(const char *s, size_t n)
{
	for (size_t i = 0; i + 2 < n; i++)
		if ((unsigned char)s[i] == TEXT_SLOT_TOKEN_B0 && (unsigned char)s[i + 1] == TEXT_SLOT_TOKEN_B1 &&
		    (unsigned char)s[i + 2] > 0x80 && (unsigned char)s[i + 2] < 0x80 + TEXT_SLOT_COUNT)
			return (enum text_slot_type)((unsigned char)s[i + 2] - 0x80);
	return TEXT_SLOT_NONE;
}

static int parse_literal(struct parser *ps)
{
	char raw[SIG_MAX_LITERAL], ex[32];
	size_t n = 0;
	const char *start = ps->p;

	ps->p++; /* the opening quote */
	for (;;) {
		if (ps->p >= ps->end)
			return perr(ps, "unterminated string %s", excerpt(start, ps->end, ex, sizeof(ex)));
		char c = *ps->p++;
		if (c == '"')
			break;
		if (c == '\\') {
			if (ps->p >= ps->end)
				return perr(ps, "unterminated string %s", excerpt(start, ps->end, ex, sizeof(ex)));
			c = *ps->p++;
			if (c != '"' && c != '\\')
				return perr(ps, "bad escape '\\%c' in a literal (only \\\" and \\\\)",
					    (unsigned char)c >= 0x20 && c != 0x7f ? c : '?');
		}
		if (n == sizeof(raw))
			return perr(ps, "literal longer than %d bytes", SIG_MAX_LITERAL);
		raw[n++] = c;
	}
	if (n == 0)
		return perr(ps, "empty literal \"\"");
	if (text_normalize(&ps->norm, raw, n, SIG_LITERAL_NORM) ||
	    text_normalize(&ps->all, raw, n, TEXT_NORM_ALL))
		return perr(ps, "out of memory");
	if (ps->norm.len == 0)
		return perr(ps, "literal \"%s\" is empty once normalised", excerpt_any(raw, raw + n, ex, sizeof(ex), false));
	/*
	 * Messages carry numbers and links as slot tokens, so a literal whose
	 * digits or link the normaliser would abstract could never match.
	 */
	if (ps->all.len != ps->norm.len || memcmp(ps->all.buf, ps->norm.buf, ps->norm.len) != 0) {
		enum text_slot_type t = first_slot(ps->all.buf, ps->all.len);
		const char *name = t != TEXT_SLOT_NONE ? text_slot_name(t) : NULL;
		return perr(ps,
			    "literal \"%s\" holds a number or link that normalised messages carry as "
			    "a <%s> token: write the slot instead",
			    excerpt_any(raw, raw + n, ex, sizeof(ex), false), name ? name : "slot");
	}
	rx_bytes(ps, ps->norm.buf, ps->norm.len);
	return 0;
}

static int parse_slot(struct parser *ps)
{
	const char *name = ps->p + 1, *q = name;
	char ex[32];

	while (q < ps->end && *q >= 'a' && *q <= 'z')
		q++;
	if (q >= ps->end || *q != '>')
		return perr(ps, "unterminated slot %s (slots are <url>, <phone>, ... <contact>)",
			    excerpt(ps->p, ps->end, ex, sizeof(ex)));
	size_t n = (size_t)(q - name);
	ps->p = q + 1;
	if (n == 7 && !memcmp(name, "contact", 7)) {
		/* url, phone, qq, wechat: types 1..4 */
		rx_str(ps, "\\xee\\x80[\\x81-\\x84]");
		return 0;
	}
	enum text_slot_type t = text_slot_parse(name, n);
	if (t == TEXT_SLOT_NONE || t >= TEXT_SLOT_COUNT)
		return perr(ps,
			    "unknown slot <%.*s> (url, phone, qq, wechat, card, code, amount, number, "
			    "contact)",
			    (int)(n > 24 ? 24 : n), name);
	char tok[16];
	snprintf(tok, sizeof(tok), "\\xee\\x80\\x%02x", 0x80 + (unsigned)t);
	rx_str(ps, tok);
	return 0;
}

/* One element: a literal, a slot or a group. */
static int parse_item(struct parser *ps, unsigned depth)
{
	char ex[32];

	skip_space(ps);
	if (ps->p >= ps->end || *ps->p == '#')
		return perr(ps, "pattern ends where a \"literal\", <slot> or ( was expected");
	switch (*ps->p) {
	case '"':
		return parse_literal(ps);
	case '<':
		return parse_slot(ps);
	case '(':
		if (depth >= SIG_MAX_DEPTH)
			return perr(ps, "parentheses nested deeper than %d", SIG_MAX_DEPTH);
		ps->p++;
		rx_str(ps, "(?:");
		int rc = parse_alts(ps, depth + 1);
		if (rc)
			return rc;
		skip_space(ps);
		if (ps->p >= ps->end || *ps->p != ')')
			return perr(ps, "unbalanced parentheses: missing ')'");
		ps->p++;
		rx_str(ps, ")");
		return 0;
	case ')':
		return perr(ps, depth ? "empty alternative" : "unbalanced parentheses: ')' without '('");
	case '|':
		return perr(ps, "empty alternative");
	case '.':
		return perr(ps, "a gap needs an element before it");
	default:
		return perr(ps, "expected a \"literal\", <slot> or ( but found %s",
			    excerpt(ps->p, ps->end, ex, sizeof(ex)));
	}
}

/* After "..": an optional bound; emits the gap. */
static int parse_gap(struct parser *ps)
{
	unsigned n = SIG_DEFAULT_GAP;
	char rx[64], ex[32];
	const char *start = ps->p;

	ps->p += 2;
	if (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
		n = 0;
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
			if (n <= 1000)
				n = n * 10 + (unsigned)(*ps->p - '0');
			ps->p++;
		}
		if (n > SIG_MAX_GAP)
			return perr(ps, "gap %s out of range (..0 to ..%d)",
				    excerpt(start, ps->end, ex, sizeof(ex)), SIG_MAX_GAP);
	}
	if (ps->p < ps->end && !is_space(*ps->p) && *ps->p != '"' && *ps->p != '<' && *ps->p != '(')
		return perr(ps, "bad gap %s (.. or ..N, N 0-%d)", excerpt(start, ps->end, ex, sizeof(ex)),
			    SIG_MAX_GAP);
	skip_space(ps);
	if (ps->p >= ps->end || *ps->p == '#' || *ps->p == ')' || *ps->p == '|')
		return perr(ps, "gap %s at the end of a sequence", excerpt(start, ps->end, ex, sizeof(ex)));
	/*
	 * N code points of valid UTF-8, as bytes: a non-continuation byte and
	 * its tail.  ..0 is adjacency (Vectorscan rejects {0,0}).
	 */
	if (n > 0) {
		snprintf(rx, sizeof(rx), "(?:[\\x00-\\x7f\\xc0-\\xff][\\x80-\\xbf]*){0,%u}", n);
		rx_str(ps, rx);
	}
	return 0;
}

/* A sequence: item ([gap] item)*, up to ')' '|' or the end. */
static int parse_seq(struct parser *ps, unsigned depth)
{
	char ex[32];
	int rc = parse_item(ps, depth);

	while (rc == 0) {
		skip_space(ps);
		if (ps->p >= ps->end || *ps->p == '#' || *ps->p == '|' || *ps->p == ')')
			return 0;
		if (*ps->p == '.') {
			if (ps->end - ps->p < 2 || ps->p[1] != '.')
				return perr(ps, "bad gap %s (.. or ..N)", excerpt(ps->p, ps->end, ex, sizeof(ex)));
			rc = parse_gap(ps);
			if (rc == 0)
				rc = parse_item(ps, depth);
		} else if (*ps->p == '"' || *ps->p == '<' || *ps->p == '(') {
			rc = parse_item(ps, depth);
		} else {
			return perr(ps, "trailing garbage %s in the pattern",
				    excerpt(ps->p, ps->end, ex, sizeof(ex)));
		}
	}
	return rc;
}

/* Alternatives: seq ('|' seq)*. */
static int parse_alts(struct parser *ps, unsigned depth)
{
	int rc = parse_seq(ps, depth);

	while (rc == 0) {
		skip_space(ps);
		if (ps->p >= ps->end || *ps->p != '|')
			return 0;
		ps->p++;
		rx_str(ps, "|");
		rc = parse_seq(ps, depth);
	}
	return rc;
}

/* parse_pattern() - the rest of the line into ps->rx. */
static int parse_pattern(struct parser *ps)
{
	ps->rx_len = 0;
	ps->rx_full = false;
	rx_add(ps, "", 0);
	if (at_end(ps))
		return perr(ps, "missing pattern");
	int rc = parse_alts(ps, 0);
	if (rc)
		return rc;
	skip_space(ps);
	if (ps->p < ps->end && *ps->p == ')')
		return perr(ps, "unbalanced parentheses: ')' without '('");
	if (ps->rx_full)
		return perr(ps, "pattern too long once compiled (more than %d bytes)", SIG_MAX_REGEX);
	return 0;
}

/* ---- statements --------------------------------------------------------- */

static int st_version(struct parser *ps)
{
	const char *tok;
	size_t n;
	char ex[32];

	if (!next_token(ps, &tok, &n))
		return perr(ps, "missing version");
	if (n > SIG_VERSION_MAX || !utf8_valid(tok, n))
		return perr(ps, "bad version %s (one token, at most %d bytes)",
			    excerpt(tok, ps->end, ex, sizeof(ex)), SIG_VERSION_MAX);
	if (!at_end(ps))
		return perr(ps, "trailing garbage %s after the version", excerpt(ps->p, ps->end, ex, sizeof(ex)));
	if (ps->version_line)
		return perr(ps, "second version line (the first is line %u)", ps->version_line);
	ps->version_line = ps->line;

	/* set->version: "name:V" joined by spaces, name without the directory. */
	const char *base = strrchr(ps->file, '/');
	base = base ? base + 1 : ps->file;
	size_t old = ps->set->version ? strlen(ps->set->version) : 0;
	size_t add = strlen(base) + 1 + n + (old ? 1 : 0);
	char *v = realloc(ps->set->version, old + add + 1);
	if (!v)
		return perr(ps, "out of memory");
	snprintf(v + old, add + 1, "%s%s:%.*s", old ? " " : "", base, (int)n, tok);
	ps->set->version = v;
	return 0;
}

static int st_category(struct parser *ps)
{
	struct sig_set *set = ps->set;
	const char *name, *cls, *label;
	size_t nn, nc, nl;
	enum sig_class class;
	char ex[32];

	if (!next_token(ps, &name, &nn))
		return perr(ps, "missing category name");
	if (!word_ok(name, nn, false))
		return perr(ps, "bad category name %s ([a-z0-9_], at most %d)",
			    excerpt(name, ps->end, ex, sizeof(ex)), SIG_NAME_MAX);
	long have = find_category(set, name, nn);
	if (have >= 0)
		return perr(ps, "category '%.*s' declared twice (first at %s:%u)", (int)nn, name,
			    set->file[set->cat[have].file], set->cat[have].line);
	if (!next_token(ps, &cls, &nc))
		return perr(ps, "missing category class (scam, spam or benign)");
	if (nc == 4 && !memcmp(cls, "scam", 4))
		class = SIG_CLASS_SCAM;
	else if (nc == 4 && !memcmp(cls, "spam", 4))
		class = SIG_CLASS_SPAM;
	else if (nc == 6 && !memcmp(cls, "benign", 6))
		class = SIG_CLASS_BENIGN;
	else
		return perr(ps, "unknown class %s (scam, spam or benign)", excerpt(cls, ps->end, ex, sizeof(ex)));
	if (at_end(ps))
		return perr(ps, "missing category label");
	/* The label runs to the end of the line or to a comment (" #"). */
	label = ps->p;
	const char *q = label;
	while (q < ps->end && !(*q == '#' && is_space(q[-1])))
		q++;
	while (q > label && is_space(q[-1]))
		q--;
	nl = (size_t)(q - label);
	if (nl > SIG_LABEL_MAX || !utf8_valid(label, nl))
		return perr(ps, "bad category label (UTF-8, at most %d bytes)", SIG_LABEL_MAX);
	if (set->n_cat >= SIG_MAX_CATEGORIES)
		return perr(ps, "more than %d categories", SIG_MAX_CATEGORIES);
	if (set->n_cat == set->cap_cat) {
		size_t cap = set->cap_cat ? set->cap_cat * 2 : 16;
		struct sig_cat *c = realloc(set->cat, cap * sizeof(*c));
		if (!c)
			return perr(ps, "out of memory");
		set->cat = c;
		set->cap_cat = cap;
	}
	struct sig_cat *c = &set->cat[set->n_cat];
	c->name = dup_n(name, nn);
	c->label = dup_n(label, nl);
	c->class = class;
	c->file = ps->file_idx;
	c->line = ps->line;
	if (!c->name || !c->label) {
		free(c->name);
		free(c->label);
		return perr(ps, "out of memory");
	}
	set->n_cat++;
	return 0;
}

static int st_sig(struct parser *ps)
{
	struct sig_set *set = ps->set;
	const char *id, *cat, *w;
	size_t ni, nc, nw;
	char ex[32];
	int weight = 0;

	if (!next_token(ps, &id, &ni))
		return perr(ps, "missing signature id");
	if (!word_ok(id, ni, true))
		return perr(ps, "bad signature id %s ([a-z0-9_.-], at most %d)",
			    excerpt(id, ps->end, ex, sizeof(ex)), SIG_NAME_MAX);
	if (ps->ids_cap == 0 || (set->n_sig + 1) * 2 > ps->ids_cap)
		if (grow_ids(ps))
			return perr(ps, "out of memory");
	size_t slot = find_id(ps, id, ni);
	if (ps->ids[slot]) {
		const struct sig_entry *e = &set->sig[ps->ids[slot] - 1];
		return perr(ps, "duplicate id '%.*s' (first at %s:%u)", (int)ni, id, set->file[e->file], e->line);
	}
	if (!next_token(ps, &cat, &nc))
		return perr(ps, "missing category");
	long ci = find_category(set, cat, nc);
	if (ci < 0)
		return perr(ps, "undeclared category %s", excerpt(cat, ps->end, ex, sizeof(ex)));
	if (!next_token(ps, &w, &nw))
		return perr(ps, "missing weight");
	for (size_t i = 0; i < nw; i++) {
		if (w[i] < '0' || w[i] > '9' || weight > 100) {
			weight = -1;
			break;
		}
		weight = weight * 10 + (w[i] - '0');
	}
	if (weight < 1 || weight > 100)
		return perr(ps, "bad weight %s (1-100)", excerpt(w, ps->end, ex, sizeof(ex)));
	int rc = parse_pattern(ps);
	if (rc)
		return rc;
	if (set->n_sig >= SIG_MAX_SIGS)
		return perr(ps, "more than %d signatures", SIG_MAX_SIGS);
	if (set->n_sig == set->cap_sig) {
		size_t cap = set->cap_sig ? set->cap_sig * 2 : 64;
		struct sig_entry *s = realloc(set->sig, cap * sizeof(*s));
		if (!s)
			return perr(ps, "out of memory");
		set->sig = s;
		set->cap_sig = cap;
	}
	struct sig_entry *e = &set->sig[set->n_sig];
	e->id = dup_n(id, ni);
	e->regex = dup_n(ps->rx, ps->rx_len);
	if (!e->id || !e->regex) {
		free(e->id);
		free(e->regex);
		return perr(ps, "out of memory");
	}
	e->cat = (uint32_t)ci;
	e->weight = weight;
	e->keep = 1.0 - weight / 100.0;
	e->file = ps->file_idx;
	e->line = ps->line;
	set->n_sig++;
	ps->ids[slot] = (uint32_t)set->n_sig;
	return 0;
}

static void parse_line(struct parser *ps)
{
	const char *kw;
	size_t n;
	char ex[32];

	if (!next_token(ps, &kw, &n))
		return; /* blank or comment */
	if (n == 3 && !memcmp(kw, "sig", 3))
		st_sig(ps);
	else if (n == 8 && !memcmp(kw, "category", 8))
		st_category(ps);
	else if (n == 7 && !memcmp(kw, "version", 7))
		st_version(ps);
	else
		perr(ps, "unknown statement %s (version, category or sig)", excerpt(kw, ps->end, ex, sizeof(ex)));
}

/* parse_text() - every line of one file's text. */
static int parse_text(struct parser *ps, const char *name, const char *text, size_t len)
{
	char **f = realloc(ps->set->file, (ps->set->n_file + 1) * sizeof(*f));

	if (!f)
		return -ENOMEM;
	ps->set->file = f;
	if (!(f[ps->set->n_file] = dup_n(name, strlen(name))))
		return -ENOMEM;
	ps->file_idx = (uint32_t)ps->set->n_file++;
	ps->file = f[ps->file_idx];
	ps->version_line = 0;
	ps->line = 0;

	const char *p = text, *end = text + len;
	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3; /* a UTF-8 byte-order mark */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		ps->line++;
		ps->p = p;
		ps->end = le;
		if (ps->end > ps->p && ps->end[-1] == '\r')
			ps->end--;
		if (memchr(ps->p, '\0', (size_t)(ps->end - ps->p)))
			perr(ps, "NUL byte in the line");
		else
			parse_line(ps);
		p = nl ? nl + 1 : end;
	}
	return 0;
}

static int read_file(const char *path, char **out, size_t *len, struct parser *ps)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	ps->file = path;
	ps->line = 0;
	if (!f) {
		perr(ps, "cannot open: %s", strerror(errno));
		return -errno;
	}
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			char *b = cap <= SIG_MAX_FILE + 1 ? realloc(buf, cap) : NULL;
			if (!b) {
				free(buf);
				fclose(f);
				perr(ps, cap > SIG_MAX_FILE + 1 ? "file larger than 16 MiB" : "out of memory");
				return -SS_ETOOLONG;
			}
			buf = b;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		perr(ps, "read error");
		return -EIO;
	}
	*out = buf;
	*len = n;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* list_dir() - the *.sig files of @dir, sorted by name; *@n = 0 when none. */
static int list_dir(const char *dir, char ***out, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t cnt = 0, cap = 0;

	*n = 0;
	*out = NULL;
	if (!d)
		return -errno;
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		if (e->d_name[0] == '.' || l < 5 || strcmp(e->d_name + l - 4, ".sig") != 0)
			continue;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 16;
			char **nn = realloc(names, cap * sizeof(*nn));
			if (!nn)
				goto nomem;
			names = nn;
		}
		size_t dl = strlen(dir);
		char *p = malloc(dl + l + 2);
		if (!p)
			goto nomem;
		snprintf(p, dl + l + 2, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", e->d_name);
		names[cnt++] = p;
	}
	closedir(d);
	qsort(names, cnt, sizeof(*names), by_name);
	*out = names;
	*n = cnt;
	return 0;
nomem:
	closedir(d);
	for (size_t i = 0; i < cnt; i++)
		free(names[i]);
	free(names);
	return -ENOMEM;
}

/* ---- loading ------------------------------------------------------------ */

void sig_set_free(struct sig_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n_sig; i++) {
		free(set->sig[i].id);
		free(set->sig[i].regex);
	}
	for (size_t i = 0; i < set->n_cat; i++) {
		free(set->cat[i].name);
		free(set->cat[i].label);
	}
	for (size_t i = 0; i < set->n_file; i++)
		free(set->file[i]);
	free(set->sig);
	free(set->cat);
	free(set->file);
	free(set->version);
	hs_free_database(set->db);
	free(set);
}

static void parser_init(struct parser *ps, struct sig_set *set, struct sig_error *err,
			sig_report_fn *report, void *arg)
{
	memset(ps, 0, sizeof(*ps));
	ps->set = set;
	ps->first = err;
	ps->report = report;
	ps->report_arg = arg;
	ps->file = "";
	text_norm_init(&ps->norm);
	text_norm_init(&ps->all);
}

static void parser_fini(struct parser *ps)
{
	text_norm_free(&ps->norm);
	text_norm_free(&ps->all);
	free(ps->rx);
	free(ps->ids);
}

/* finish() - compile when the parse was clean; hand over or free the set. */
static int finish(struct parser *ps, int rc, struct sig_set **out)
{
	struct sig_set *set = ps->set;

	if (rc == 0 && ps->n_err)
		rc = -SS_EPARSE;
	if (rc == 0) {
		struct sig_error e;
		rc = sig_compile(set, &e);
		if (rc) {
			if (ps->n_err++ == 0 && ps->first)
				*ps->first = e;
			if (ps->report)
				ps->report(&e, ps->report_arg);
		}
	}
	parser_fini(ps);
	if (rc || !out) {
		sig_set_free(set);
		if (out)
			*out = NULL;
		return rc;
	}
	*out = set;
	return 0;
}

int sig_set_load_report(const char *path, struct sig_set **out, struct sig_error *err,
			sig_report_fn *report, void *arg)
{
	struct sig_set *set = calloc(1, sizeof(*set));
	struct parser ps;
	struct stat st;
	char **names = NULL;
	size_t n_names = 0;
	int rc = 0;

	if (out)
		*out = NULL;
	if (err)
		memset(err, 0, sizeof(*err));
	if (!set)
		return -ENOMEM;
	parser_init(&ps, set, err, report, arg);
	if (stat(path, &st) != 0) {
		ps.file = path;
		rc = -errno;
		perr(&ps, "cannot open: %s", strerror(errno));
		return finish(&ps, rc, out);
	}
	if (S_ISDIR(st.st_mode)) {
		rc = list_dir(path, &names, &n_names);
		ps.file = path;
		if (rc)
			perr(&ps, "cannot read the directory: %s", strerror(-rc));
		else if (n_names == 0)
			rc = perr(&ps, "no *.sig file in the directory");
	} else {
		names = malloc(sizeof(*names));
		if (!names || !(names[0] = dup_n(path, strlen(path))))
			rc = -ENOMEM;
		else
			n_names = 1;
	}
	for (size_t i = 0; i < n_names && rc == 0; i++) {
		char *text = NULL;
		size_t len = 0;
		if (read_file(names[i], &text, &len, &ps) == 0) {
			rc = parse_text(&ps, names[i], text, len);
			free(text);
		}
	}
	for (size_t i = 0; i < n_names; i++)
		free(names[i]);
	free(names);
	return finish(&ps, rc, out);
}

int sig_set_load(const char *path, struct sig_set **out, struct sig_error *err)
{
	return sig_set_load_report(path, out, err, NULL, NULL);
}

int sig_set_load_mem(const char *name, const char *text, size_t len, struct sig_set **out,
		     struct sig_error *err)
{
	struct sig_set *set = calloc(1, sizeof(*set));
	struct parser ps;

	if (out)
		*out = NULL;
	if (err)
		memset(err, 0, sizeof(*err));
	if (!set)
		return -ENOMEM;
	parser_init(&ps, set, err, NULL, NULL);
	return finish(&ps, parse_text(&ps, name, text, len), out);
}

/* ---- metadata ----------------------------------------------------------- */

size_t sig_set_count(const struct sig_set *set)
{
	return set ? set->n_sig : 0;
}

const char *sig_set_version(const struct sig_set *set)
{
	return set && set->version ? set->version : "";
}

const char *sig_id(const struct sig_set *set, uint32_t index)
{
	return index < set->n_sig ? set->sig[index].id : NULL;
}

const char *sig_category(const struct sig_set *set, uint32_t index)
{
	return index < set->n_sig ? set->cat[set->sig[index].cat].name : NULL;
}

int sig_weight(const struct sig_set *set, uint32_t index)
{
	return index < set->n_sig ? set->sig[index].weight : 0;
}

size_t sig_category_of(const struct sig_set *set, uint32_t index)
{
	return index < set->n_sig ? set->sig[index].cat : 0;
}

const char *sig_file(const struct sig_set *set, uint32_t index, unsigned *line)
{
	if (index >= set->n_sig)
		return NULL;
	if (line)
		*line = set->sig[index].line;
	return set->file[set->sig[index].file];
}

const char *sig_regex(const struct sig_set *set, uint32_t index)
{
	return index < set->n_sig ? set->sig[index].regex : NULL;
}

size_t sig_set_db_bytes(const struct sig_set *set)
{
	return set ? set->db_bytes : 0;
}

size_t sig_category_count(const struct sig_set *set)
{
	return set ? set->n_cat : 0;
}

const char *sig_category_name(const struct sig_set *set, size_t index)
{
	return index < set->n_cat ? set->cat[index].name : NULL;
}

const char *sig_category_label(const struct sig_set *set, size_t index)
{
	return index < set->n_cat ? set->cat[index].label : NULL;
}

enum sig_class sig_category_class(const struct sig_set *set, size_t index)
{
	return index < set->n_cat ? set->cat[index].class : SIG_CLASS_SCAM;
}
