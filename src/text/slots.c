/*
 * slots.c - normalisation step 8: URLs, phone numbers, QQ / WeChat ids,
 * bank cards, verification codes, amounts and other numbers become one
 * typed token each (U+E000 + enum text_slot_type), and the text is written
 * out as UTF-8.  The grammar is in docs/normalisation.md ("Slots").
 *
 * One left-to-right pass: a URL is tried only where an ASCII word starts,
 * a number only where a digit run starts, and whatever a try scans is
 * either replaced or copied, so the pass stays linear.  Context (qq, 微信,
 * 验证码, ¥, 元...) is looked up in small fixed windows around the number.
 */
#include "text/normalize.h"
#include "text/text_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define VAL_DIGITS 1 /* digits only */
#define VAL_DOT 2    /* digits and '.' */
#define VAL_TEXT 3   /* printable ASCII, lower-cased */

struct out {
	struct text_norm *n;
	char *b;
	size_t w;
};

static inline void put_cp(struct out *o, uint32_t c)
{
	char *b = o->b + o->w;
	if (c < 0x80) {
		b[0] = (char)c;
		o->w += 1;
	} else if (c < 0x800) {
		b[0] = (char)(0xC0 | (c >> 6));
		b[1] = (char)(0x80 | (c & 0x3F));
		o->w += 2;
	} else if (c < 0x10000) {
		b[0] = (char)(0xE0 | (c >> 12));
		b[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		b[2] = (char)(0x80 | (c & 0x3F));
		o->w += 3;
	} else {
		b[0] = (char)(0xF0 | (c >> 18));
		b[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		b[3] = (char)(0x80 | (c & 0x3F));
		o->w += 4;
	}
}

/* Emit the token of @type; record s[from..to) as its value (minus @skip leading digits). */
static void put_slot(struct out *o, unsigned type, const uint32_t *s, size_t from, size_t to,
		     unsigned mode, size_t skip)
{
	struct text_norm *n = o->n;

	put_cp(o, 0xE000 + type);
	n->changed |= TEXT_NORM_SLOTS;
	if (n->n_slots < TEXT_MAX_SLOTS) {
		struct text_slot *sl = &n->slot[n->n_slots];
		size_t v = 0;
		sl->type = (uint8_t)type;
		for (size_t k = from; k < to && v < TEXT_SLOT_VALUE_SIZE - 1; k++) {
			uint32_t c = s[k];
			if (text_is_digit(c)) {
				if (skip) {
					skip--;
					continue;
				}
			} else if (mode == VAL_DIGITS || (mode == VAL_DOT && c != '.') ||
				   (mode == VAL_TEXT && (c < 0x21 || c > 0x7E))) {
				continue;
			}
			sl->value[v++] = (char)text_lower(c);
		}
		sl->value[v] = '\0';
	}
	if (n->n_slots < UINT32_MAX)
		n->n_slots++;
}

static bool ci_at(const uint32_t *s, size_t i, size_t n, const char *lit)
{
	for (; *lit; lit++, i++)
		if (i >= n || text_lower(s[i]) != (unsigned char)*lit)
			return false;
	return true;
}

static bool cps_at(const uint32_t *s, size_t i, size_t n, const uint32_t *lit, size_t len)
{
	if (i > n || n - i < len)
		return false;
	for (size_t k = 0; k < len; k++)
		if (s[i + k] != lit[k])
			return false;
	return true;
}

/* ---- URLs ---------------------------------------------------------------- */

static inline bool is_host_char(uint32_t c)
{
	return text_is_alnum(c) || c == '-' || c == '.';
}

static inline bool is_url_char(uint32_t c)
{
	return c > 0x20 && c < 0x7F && c != '"' && c != '<' && c != '>' && c != '`' &&
	       c != '{' && c != '}' && c != '|' && c != '\\' && c != '^';
}

static const char *const tlds[] = {
	"app",	"asia", "bid",	 "biz",	 "cc",	  "cf",	  "club", "cn",	  "co",	  "com",
	"edu",	"fun",	"ga",	 "gov",	 "gq",	  "hk",	  "icu",  "info", "ink",  "io",
	"kim",	"link", "live",	 "loan", "ltd",	  "ly",	  "me",	  "ml",	  "mobi", "net",
	"online", "org", "pro",	 "pub",	 "pw",	  "ren",  "shop", "site", "store", "tech",
	"tk",	"top",	"tv",	 "tw",	 "vip",	  "wang", "win",  "work", "ws",	  "xin",
	"xyz",	"cloud", "cyou", "sbs",	 "lol",
};

static bool is_tld(const uint32_t *s, size_t from, size_t to)
{
	size_t len = to - from;
	if (len < 2 || len > 6)
		return false;
	for (size_t t = 0; t < sizeof(tlds) / sizeof(tlds[0]); t++)
		if (strlen(tlds[t]) == len && ci_at(s, from, to, tlds[t]))
			return true;
	return false;
}

/* Back over trailing punctuation that ends a sentence rather than a URL. */
static size_t url_trim(const uint32_t *s, size_t from, size_t to)
{
	while (to > from) {
		uint32_t c = s[to - 1];
		if (c != '.' && c != ',' && c != ';' && c != ':' && c != '!' && c != '?' && c != ')' &&
		    c != '\'' && c != ']')
			break;
		to--;
	}
	return to;
}

/*
 * A URL starting at s[i] (an ASCII letter or digit at a word start):
 * http(s)://..., www.host, host.tld or a dotted IPv4 address, with an
 * optional :port and /path?query#fragment.  Returns its end (0: none);
 * *vstart is where its recorded value starts (after the scheme).
 */
static size_t match_url(const uint32_t *s, size_t i, size_t n, size_t *vstart)
{
	size_t j, k, he, last_dot = 0, labels = 1, lab_len = 0;
	bool numeric = true, ip_ok = true;
	unsigned octet = 0;

	*vstart = i;
	if (ci_at(s, i, n, "https://"))
		j = i + 8;
	else if (ci_at(s, i, n, "http://"))
		j = i + 7;
	else
		j = i;
	if (j != i) {
		for (k = j; k < n && is_url_char(s[k]); k++)
			;
		k = url_trim(s, j, k);
		if (k == j)
			return 0;
		*vstart = j;
		return k;
	}
	for (k = i; k < n && is_host_char(s[k]); k++)
		;
	if (k < n && text_is_slot_cp(s[k]))
		return 0; /* "x.cn<number>" was "x.cn123": not a URL then, not now */
	he = k;
	while (he > i && (s[he - 1] == '.' || s[he - 1] == '-'))
		he--;
	for (k = i; k < he; k++) {
		uint32_t c = s[k];
		if (c == '.') {
			if (lab_len == 0)
				return 0; /* ".." */
			last_dot = k;
			labels++;
			lab_len = 0;
			octet = 0;
			continue;
		}
		lab_len++;
		if (!text_is_digit(c)) {
			numeric = false;
		} else {
			octet = octet * 10 + (c - '0');
			if (lab_len > 3 || octet > 255)
				ip_ok = false;
		}
	}
	if (labels < 2)
		return 0;
	if (numeric) {
		if (labels != 4 || !ip_ok)
			return 0;
	} else if (!is_tld(s, last_dot + 1, he)) {
		if (!ci_at(s, i, he, "www.") || labels < 3)
			return 0;
	}
	j = he;
	if (j + 1 < n && s[j] == ':' && text_is_digit(s[j + 1]))
		for (j++; j < n && text_is_digit(s[j]); j++)
			;
	if (j < n && (s[j] == '/' || s[j] == '?' || s[j] == '#')) {
		for (k = j; k < n && is_url_char(s[k]); k++)
			;
		j = url_trim(s, j, k);
	}
	return j;
}

/* ---- context ---------------------------------------------------------- */

/* Back from @i over at most 4 connecting characters (": 号 是 为 ..."). */
static size_t skip_back(const uint32_t *s, size_t i, bool qq)
{
	for (unsigned m = 0; m < 4 && i > 0; m++) {
		uint32_t c = s[i - 1];
		if (c == ' ' || c == ':' || c == '#' || c == 0x53F7 /* 号 */ || c == 0x662F /* 是 */ ||
		    c == 0x4E3A /* 为 */ || c == 0x7801 /* 码 */ || (qq && c == 0x7FA4 /* 群 */))
			i--;
		else
			break;
	}
	return i;
}

static bool wechat_ctx(const uint32_t *s, size_t i)
{
	size_t k = skip_back(s, i, false);
	return k >= 2 && s[k - 2] == 0x5FAE && s[k - 1] == 0x4FE1; /* 微信 */
}

static bool qq_ctx(const uint32_t *s, size_t i)
{
	size_t k = skip_back(s, i, true);
	return k >= 2 && text_lower(s[k - 2]) == 'q' && text_lower(s[k - 1]) == 'q' &&
	       (k < 3 || !text_is_alpha(s[k - 3]));
}

static const uint32_t kw_yzm[] = { 0x9A8C, 0x8BC1 };	     /* 验证 */
static const uint32_t kw_jym[] = { 0x6821, 0x9A8C, 0x7801 }; /* 校验码 */
static const uint32_t kw_dtm[] = { 0x52A8, 0x6001, 0x7801 }; /* 动态码 */
static const uint32_t kw_qrm[] = { 0x786E, 0x8BA4, 0x7801 }; /* 确认码 */
static const uint32_t kw_jhm[] = { 0x6FC0, 0x6D3B, 0x7801 }; /* 激活码 */
static const uint32_t kw_kl[] = { 0x53E3, 0x4EE4 };	     /* 口令 */

static bool code_kw_at(const uint32_t *s, size_t k, size_t n)
{
	switch (s[k]) {
	case 0x9A8C: return cps_at(s, k, n, kw_yzm, 2);
	case 0x6821: return cps_at(s, k, n, kw_jym, 3);
	case 0x52A8: return cps_at(s, k, n, kw_dtm, 3);
	case 0x786E: return cps_at(s, k, n, kw_qrm, 3);
	case 0x6FC0: return cps_at(s, k, n, kw_jhm, 3);
	case 0x53E3: return cps_at(s, k, n, kw_kl, 2);
	case 'c': case 'C': return ci_at(s, k, n, "code");
	case 'o': case 'O': return ci_at(s, k, n, "otp");
	}
	return false;
}

/* A verification-code keyword within 12 characters before or 8 after the number s[i..j). */
static bool code_ctx(const uint32_t *s, size_t i, size_t j, size_t n)
{
	for (size_t k = i > 12 ? i - 12 : 0; k < i; k++)
		if (code_kw_at(s, k, i))
			return true;
	for (size_t k = j; k < n && k < j + 8; k++)
		if (code_kw_at(s, k, n))
			return true;
	return false;
}

static bool amount_ctx(const uint32_t *s, size_t i, size_t j, size_t n)
{
	size_t p = i, q = j;
	if (p > 0 && s[p - 1] == ' ')
		p--;
	if (p > 0) {
		uint32_t c = s[p - 1];
		if (c == 0xA5 || c == '$' || c == 0xA3 || c == 0x20AC || c == 0xFFE5)
			return true;
		if (p >= 3 && (ci_at(s, p - 3, p, "rmb") || ci_at(s, p - 3, p, "usd")))
			return true;
	}
	if (q < n && s[q] == ' ')
		q++;
	if (q < n) {
		uint32_t c = s[q];
		if (c == 0x5143 /* 元 */ || c == 0x4E07 /* 万 */ || c == 0x5757 /* 块 */ ||
		    c == 0x4EBF /* 亿 */ || c == 0x7F8E /* 美(元) */)
			return true;
		if (ci_at(s, q, n, "rmb") || ci_at(s, q, n, "usd") || ci_at(s, q, n, "yuan"))
			return true;
	}
	return false;
}

/* ---- numbers ------------------------------------------------------------ */

static inline bool mobile(const char *d)
{
	return d[0] == '1' && d[1] >= '3' && d[1] <= '9';
}

/* A phone number's digits d[0..nd)?  *skip: leading country-code digits to drop. */
static bool phone_shape(const char *d, size_t nd, bool plus, size_t *skip)
{
	*skip = 0;
	if (nd > 24)
		return false;
	if (plus) {
		if (nd == 13 && d[0] == '8' && d[1] == '6' && mobile(d + 2)) {
			*skip = 2;
			return true;
		}
		return nd >= 8 && nd <= 15 && d[0] != '0';
	}
	if (nd == 15 && memcmp(d, "0086", 4) == 0 && mobile(d + 4)) {
		*skip = 4;
		return true;
	}
	if (nd == 13 && d[0] == '8' && d[1] == '6' && mobile(d + 2)) {
		*skip = 2;
		return true;
	}
	if (nd == 11 && mobile(d))
		return true;
	if (nd >= 10 && nd <= 12 && d[0] == '0' && d[1] != '0')
		return true; /* landline with area code */
	if (nd == 10 && (memcmp(d, "400", 3) == 0 || memcmp(d, "800", 3) == 0))
		return true;
	if (nd == 5 && (memcmp(d, "95", 2) == 0 || memcmp(d, "96", 2) == 0 || memcmp(d, "100", 3) == 0 ||
			memcmp(d, "123", 3) == 0 || memcmp(d, "125", 3) == 0))
		return true; /* service numbers: 95588, 96110, 10086, 12315, 12580 */
	return false;
}

/*
 * A number at s[i] (a digit that does not follow a digit, or '+' before
 * one): digit groups joined by single spaces or hyphens (cards, phones),
 * or digits with thousands commas and a decimal part.  Writes its token
 * or copies it; returns where it ends.
 */
static size_t number(struct out *o, const uint32_t *s, size_t i, size_t n)
{
	char d[25];
	size_t nd = 0, j = i, groups = 0, skip;
	uint32_t sep = 0;
	bool plus = false, frac = false, comma = false, card_groups = true;

	if (s[j] == '+') {
		plus = true;
		j++;
	}
	for (;;) {
		size_t g = j;
		while (j < n && text_is_digit(s[j])) {
			if (nd < sizeof(d))
				d[nd] = (char)s[j];
			nd++;
			j++;
		}
		groups++;
		/*
		 * Join the next group only after a group of at most 4 digits and
		 * while the whole stays card-sized: "6222 0212 ...", "138 1234
		 * 5678", "010-12345678", "1 3 8 ..." join; "95588 10086" do not.
		 */
		size_t next_len = 0;
		if (j + 1 < n && (s[j] == ' ' || s[j] == '-') && j - g <= 4)
			while (j + 1 + next_len < n && text_is_digit(s[j + 1 + next_len]))
				next_len++;
		/* one separator character throughout, but "+86 138-..." may switch once */
		if (next_len && groups >= 2 && s[j] != sep && !(plus && groups == 2))
			next_len = 0;
		if (next_len && nd + next_len <= 19) {
			sep = s[j];
			if (j - g != 4)
				card_groups = false;
			j++;
			continue;
		}
		break;
	}
	if (groups == 1) {
		if (nd <= 3)
			while (j + 3 < n && s[j] == ',' && text_is_digit(s[j + 1]) &&
			       text_is_digit(s[j + 2]) && text_is_digit(s[j + 3]) &&
			       (j + 4 >= n || !text_is_digit(s[j + 4]))) {
				for (unsigned m = 1; m <= 3; m++) {
					if (nd < sizeof(d))
						d[nd] = (char)s[j + m];
					nd++;
				}
				j += 4;
				comma = true;
			}
		if (j + 1 < n && s[j] == '.' && text_is_digit(s[j + 1])) {
			frac = true;
			for (j++; j < n && text_is_digit(s[j]); j++)
				;
		}
	}
	bool simple = !frac && !comma;
	size_t start = plus ? i + 1 : i;
	if (simple && !plus && groups == 1 && nd >= 5 && nd <= 11 && qq_ctx(s, i)) {
		put_slot(o, TEXT_SLOT_QQ, s, start, j, VAL_DIGITS, 0);
		return j;
	}
	if (simple && wechat_ctx(s, i) && phone_shape(d, nd, plus, &skip)) {
		put_slot(o, TEXT_SLOT_WECHAT, s, start, j, VAL_DIGITS, skip);
		return j;
	}
	if (simple && !plus && groups == 1 && nd >= 4 && nd <= 8 && code_ctx(s, i, j, n)) {
		put_slot(o, TEXT_SLOT_CODE, s, start, j, VAL_DIGITS, 0);
		return j;
	}
	if (!plus && amount_ctx(s, i, j, n)) {
		put_slot(o, TEXT_SLOT_AMOUNT, s, start, j, VAL_DOT, 0);
		return j;
	}
	if (simple && phone_shape(d, nd, plus, &skip)) {
		put_slot(o, TEXT_SLOT_PHONE, s, start, j, VAL_DIGITS, skip);
		return j;
	}
	if (plus) { /* not a phone number: the '+' is text */
		put_cp(o, '+');
		return i + 1;
	}
	if (simple && nd >= 16 && nd <= 19 && (groups == 1 || card_groups)) {
		put_slot(o, TEXT_SLOT_CARD, s, start, j, VAL_DIGITS, 0);
		return j;
	}
	if (nd >= 3) {
		put_slot(o, TEXT_SLOT_NUMBER, s, start, j, VAL_DOT, 0);
		return j;
	}
	for (size_t k = i; k < j; k++) /* "3.5", "12": text */
		put_cp(o, s[k]);
	return j;
}

/*
 * The slot type of a masked digit run (the DIGIT placeholder) at s[i]: what
 * number() would make of digits in the same place, where that does not
 * depend on how many digits there were - a QQ or WeChat id after "qq" /
 * "微信", a verification code near 验证码, an amount before 元 / 万 or after
 * ¥ - else a plain <number>.  A masked card or phone number cannot be told
 * from the count of digits, so it stays <number>.
 */
_Static_assert(TEXT_MASKED_DIGITS_CP == 0xE000u + TEXT_SLOT_COUNT, "the masked-digits mark follows the slot types");

static unsigned masked_digits_type(const uint32_t *s, size_t i, size_t n)
{
	if (qq_ctx(s, i))
		return TEXT_SLOT_QQ;
	if (wechat_ctx(s, i))
		return TEXT_SLOT_WECHAT;
	if (code_ctx(s, i, i + 1, n))
		return TEXT_SLOT_CODE;
	if (amount_ctx(s, i, i + 1, n))
		return TEXT_SLOT_AMOUNT;
	return TEXT_SLOT_NUMBER;
}

/* A WeChat id [a-z][-_a-z0-9]{5,19} at s[i]; returns its end or 0. */
static size_t match_wechat_id(const uint32_t *s, size_t i, size_t n)
{
	size_t k = i + 1;
	while (k < n && (text_is_alnum(s[k]) || s[k] == '-' || s[k] == '_'))
		k++;
	if (k - i < 6 || k - i > 20 || (k < n && (s[k] == '.' || s[k] == '@' || text_is_slot_cp(s[k]))))
		return 0;
	return k;
}

static inline bool is_word_char(uint32_t c)
{
	/* slot tokens too: what follows a token was glued to its digits before */
	return text_is_alnum(c) || c == '.' || c == '-' || c == '_' || c == '@' || c == '/' ||
	       text_is_slot_cp(c);
}

int text_slots_encode(struct text_norm *n, const uint32_t *s, size_t ncp, unsigned flags)
{
	struct out o = { .n = n, .w = 0 };
	size_t need = 4 * ncp + 1, i = 0;

	if (need > n->cap) {
		char *b = realloc(n->buf, need);
		if (!b)
			return -ENOMEM;
		n->buf = b;
		n->cap = need;
	}
	o.b = n->buf;
	if (!(flags & TEXT_NORM_SLOTS)) {
		for (; i < ncp; i++)
			put_cp(&o, s[i] == TEXT_MASKED_DIGITS_CP ? 0xE000u + TEXT_SLOT_NUMBER : s[i]);
		goto done;
	}
	while (i < ncp) {
		uint32_t c = s[i], prev = i ? s[i - 1] : 0;
		size_t e, vstart;
		if (c >= 0x80) {
			if (c == TEXT_MASKED_DIGITS_CP) /* DIGIT: typed by its context */
				put_slot(&o, masked_digits_type(s, i, ncp), s, i, i, VAL_DIGITS, 0);
			else if (text_is_slot_cp(c)) /* a placeholder, or normalised text again */
				put_slot(&o, c - 0xE000, s, i, i, VAL_DIGITS, 0);
			else
				put_cp(&o, c);
			i++;
			continue;
		}
		if (text_is_alnum(c) && !is_word_char(prev)) {
			if (text_is_alpha(c) && wechat_ctx(s, i) && (e = match_wechat_id(s, i, ncp))) {
				put_slot(&o, TEXT_SLOT_WECHAT, s, i, e, VAL_TEXT, 0);
				i = e;
				continue;
			}
			if ((e = match_url(s, i, ncp, &vstart)) != 0) {
				put_slot(&o, TEXT_SLOT_URL, s, vstart, e, VAL_TEXT, 0);
				i = e;
				continue;
			}
		}
		if ((text_is_digit(c) && !text_is_digit(prev)) ||
		    (c == '+' && i + 1 < ncp && text_is_digit(s[i + 1]) && !text_is_alnum(prev) &&
		     prev != '+')) {
			i = number(&o, s, i, ncp);
			continue;
		}
		put_cp(&o, c);
		i++;
	}
done:
	o.b[o.w] = '\0';
	n->len = o.w;
	return 0;
}
