/*
 * normalize.c - SMS text normalisation (normalize.h, docs/normalisation.md).
 *
 * Passes over the message:
 *   A. decode UTF-8 (step 1), recognise pre-masked placeholders (URL,
 *      CELLPHONE, ... - a separate step, TEXT_NORM_PLACEHOLDERS) and fold
 *      each code point (steps 2, 3, 4, 6) into a code-point array;
 *   B. separators (step 5), in place;
 *   C. variants (step 7) into the second array (then B again on it when a
 *      variant changed something, so that output is a fixed point);
 *   D. slots (step 8) and UTF-8 encoding into n->buf (slots.c).
 * Each pass is linear; the arrays live in struct text_norm and only grow.
 */
#include "text/normalize.h"
#include "text/text_int.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

void text_norm_init(struct text_norm *n)
{
	memset(n, 0, sizeof(*n));
}

void text_norm_free(struct text_norm *n)
{
	if (!n)
		return;
	free(n->buf);
	free(n->cp);
	memset(n, 0, sizeof(*n));
}

static const char *const slot_names[TEXT_SLOT_COUNT] = {
	[TEXT_SLOT_NONE] = "none",     [TEXT_SLOT_URL] = "url",   [TEXT_SLOT_PHONE] = "phone",
	[TEXT_SLOT_QQ] = "qq",	       [TEXT_SLOT_WECHAT] = "wechat", [TEXT_SLOT_CARD] = "card",
	[TEXT_SLOT_CODE] = "code",     [TEXT_SLOT_AMOUNT] = "amount", [TEXT_SLOT_NUMBER] = "number",
};

const char *text_slot_name(enum text_slot_type type)
{
	return (unsigned)type < TEXT_SLOT_COUNT ? slot_names[type] : "none";
}

enum text_slot_type text_slot_parse(const char *name, size_t len)
{
	for (unsigned t = TEXT_SLOT_URL; t < TEXT_SLOT_COUNT; t++)
		if (strlen(slot_names[t]) == len && memcmp(slot_names[t], name, len) == 0)
			return (enum text_slot_type)t;
	return TEXT_SLOT_NONE;
}

/* ---- step 2: compatibility folding ------------------------------------ */

/* Writes 0-2 code points; returns how many, or -1 when @c is unchanged. */
static int compat_fold(uint32_t c, uint32_t out[2])
{
	uint32_t v;

#define ONE(x) (out[0] = (x), 1)
	if (c < 0xA0)
		return -1;
	if (c <= 0xB9) {
		switch (c) {
		case 0xA0: return ONE(' ');
		case 0xB2: return ONE('2');
		case 0xB3: return ONE('3');
		case 0xB9: return ONE('1');
		}
		return -1;
	}
	if (c < 0x2000)
		return -1;
	if (c <= 0x2149) {
		if (c <= 0x200A || c == 0x202F || c == 0x205F)
			return ONE(' ');
		if (c >= 0x2010 && c <= 0x2015)
			return ONE('-');
		if (c >= 0x2018 && c <= 0x201B)
			return ONE('\'');
		if (c >= 0x201C && c <= 0x201F)
			return ONE('"');
		if (c == 0x2070)
			return ONE('0');
		if (c >= 0x2074 && c <= 0x2079)
			return ONE('4' + c - 0x2074);
		if (c >= 0x2080 && c <= 0x2089)
			return ONE('0' + c - 0x2080);
		if (c == 0x20E3) /* combining enclosing keycap: "1️⃣" -> "1" */
			return 0;
		switch (c) { /* letterlike symbols that fill holes of the math alphabets */
		case 0x2102: case 0x212D: return ONE('C');
		case 0x210A: return ONE('g');
		case 0x210B: case 0x210C: case 0x210D: return ONE('H');
		case 0x210E: return ONE('h');
		case 0x2110: case 0x2111: return ONE('I');
		case 0x2112: return ONE('L');
		case 0x2113: return ONE('l');
		case 0x2115: return ONE('N');
		case 0x2119: return ONE('P');
		case 0x211A: return ONE('Q');
		case 0x211B: case 0x211C: case 0x211D: return ONE('R');
		case 0x2124: case 0x2128: return ONE('Z');
		case 0x212C: return ONE('B');
		case 0x212F: return ONE('e');
		case 0x2130: return ONE('E');
		case 0x2131: return ONE('F');
		case 0x2133: return ONE('M');
		case 0x2134: return ONE('o');
		case 0x2139: return ONE('i');
		case 0x2145: return ONE('D');
		case 0x2146: return ONE('d');
		case 0x2147: return ONE('e');
		case 0x2148: return ONE('i');
		case 0x2149: return ONE('j');
		}
		return -1;
	}
	if (c >= 0x2460 && c <= 0x24FF) { /* enclosed alphanumerics */
		if (c <= 0x2473)
			v = c - 0x2460 + 1; /* ①-⑳ */
		else if (c <= 0x2487)
			v = c - 0x2474 + 1; /* ⑴-⒇ */
		else if (c <= 0x249B)
			v = c - 0x2488 + 1; /* ⒈-⒛ */
		else if (c <= 0x24B5)
			return ONE('a' + c - 0x249C); /* ⒜-⒵ */
		else if (c <= 0x24CF)
			return ONE('A' + c - 0x24B6); /* Ⓐ-Ⓩ */
		else if (c <= 0x24E9)
			return ONE('a' + c - 0x24D0); /* ⓐ-ⓩ */
		else if (c == 0x24EA || c == 0x24FF)
			v = 0;
		else if (c <= 0x24F4)
			v = c - 0x24EB + 11; /* ⓫-⓴ */
		else
			v = c - 0x24F5 + 1; /* ⓵-⓾ */
		goto number;
	}
	if (c >= 0x2776 && c <= 0x2793) { /* dingbat circled digits ❶-❿ ➀-➉ ➊-➓ */
		v = (c - 0x2776) % 10 + 1;
		goto number;
	}
	if (c >= 0x3000 && c <= 0x3017) {
		switch (c) {
		case 0x3000: return ONE(' ');
		case 0x3001: return ONE(',');
		case 0x3002: return ONE('.');
		case 0x300C: case 0x300E: case 0x3010: case 0x3014: case 0x3016: return ONE('[');
		case 0x300D: case 0x300F: case 0x3011: case 0x3015: case 0x3017: return ONE(']');
		}
		return -1;
	}
	if (c >= 0x3251 && c <= 0x325F) {
		v = c - 0x3251 + 21;
		goto number;
	}
	if (c >= 0x32B1 && c <= 0x32BF) {
		v = c - 0x32B1 + 36;
		goto number;
	}
	if (c >= 0xFE10 && c <= 0xFE6B) { /* vertical and small forms */
		static const char vert[] = ",,.:;!?";
		static const char small[] = ",,.\0;:?!\0()\0\0\0\0#&*+-<>=\0\\$%@";
		if (c <= 0xFE16)
			return ONE((uint32_t)vert[c - 0xFE10]);
		if (c >= 0xFE50 && small[c - 0xFE50])
			return ONE((uint32_t)(unsigned char)small[c - 0xFE50]);
		return -1;
	}
	if (c >= 0xFF01 && c <= 0xFFE6) {
		if (c <= 0xFF5E)
			return ONE(c - 0xFEE0); /* full-width ASCII */
		switch (c) {
		case 0xFF61: return ONE('.');
		case 0xFF62: return ONE('[');
		case 0xFF63: return ONE(']');
		case 0xFF64: return ONE(',');
		case 0xFFE0: return ONE(0xA2);
		case 0xFFE1: return ONE(0xA3);
		case 0xFFE5: return ONE(0xA5);
		case 0xFFE6: return ONE(0x20A9);
		}
		return -1;
	}
	if (c >= 0x1D400 && c <= 0x1D7FF) { /* mathematical alphanumerics */
		if (c <= 0x1D6A3) {
			v = (c - 0x1D400) % 52;
			return ONE(v < 26 ? 'A' + v : 'a' + v - 26);
		}
		if (c == 0x1D6A4)
			return ONE('i');
		if (c == 0x1D6A5)
			return ONE('j');
		if (c >= 0x1D7CE)
			return ONE('0' + (c - 0x1D7CE) % 10);
		return -1; /* the Greek styles are not folded */
	}
	if (c >= 0x1F100 && c <= 0x1F189) { /* enclosed alphanumeric supplement */
		if (c <= 0x1F10A)
			return ONE(c == 0x1F100 ? '0' : '0' + c - 0x1F101);
		if (c >= 0x1F110 && c <= 0x1F129)
			return ONE('A' + c - 0x1F110);
		if (c >= 0x1F130 && c <= 0x1F149)
			return ONE('A' + c - 0x1F130);
		if (c >= 0x1F150 && c <= 0x1F169)
			return ONE('A' + c - 0x1F150);
		if (c >= 0x1F170)
			return ONE('A' + c - 0x1F170);
		return -1;
	}
	if (c == 0x1F51F) { /* 🔟 */
		v = 10;
		goto number;
	}
	return -1;
number:
	if (v < 10)
		return ONE('0' + v);
	out[0] = '0' + v / 10;
	out[1] = '0' + v % 10;
	return 2;
#undef ONE
}

/* ---- step 3: case folding and Latin look-alikes ----------------------- */

static uint32_t case_fold(uint32_t c)
{
	/*
	 * Latin-1 letters without their accents (index c - 0xC0); 1: lower
	 * case of the letter (Æ Ð Þ); 0: unchanged (× ÷ ß æ ð þ).
	 */
	static const char latin1[65] = "aaaaaa\1ceeeeiiii\1nooooo\0ouuuuy\1\0"
				       "aaaaaa\0ceeeeiiii\0nooooo\0ouuuuy\0y";

	if (c < 0x80)
		return c - 'A' < 26u ? c + 32 : c;
	if (c >= 0xC0 && c <= 0xFF) {
		char l = latin1[c - 0xC0];
		return l == 0 ? c : l == 1 ? c + 32 : (uint32_t)l;
	}
	if (c >= 0x370 && c <= 0x3FF) { /* Greek: look-alikes of Latin letters */
		switch (c) {
		case 0x391: case 0x3B1: return 'a';
		case 0x392: return 'b';
		case 0x395: return 'e';
		case 0x396: return 'z';
		case 0x397: return 'h';
		case 0x399: case 0x3B9: return 'i';
		case 0x39A: case 0x3BA: return 'k';
		case 0x39C: return 'm';
		case 0x39D: return 'n';
		case 0x39F: case 0x3BF: return 'o';
		case 0x3A1: case 0x3C1: return 'p';
		case 0x3A4: return 't';
		case 0x3A5: return 'y';
		case 0x3A7: case 0x3C7: return 'x';
		case 0x3BD: return 'v';
		case 0x3C5: return 'u';
		}
		if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2)
			return c + 32;
		return c;
	}
	if (c >= 0x400 && c <= 0x52F) { /* Cyrillic: look-alikes of Latin letters */
		switch (c) {
		case 0x410: case 0x430: return 'a';
		case 0x412: return 'b';
		case 0x415: case 0x435: case 0x401: case 0x451: return 'e';
		case 0x41A: case 0x43A: return 'k';
		case 0x41C: return 'm';
		case 0x41D: case 0x4BA: case 0x4BB: return 'h';
		case 0x41E: case 0x43E: return 'o';
		case 0x420: case 0x440: return 'p';
		case 0x421: case 0x441: return 'c';
		case 0x422: return 't';
		case 0x423: case 0x443: return 'y';
		case 0x425: case 0x445: return 'x';
		case 0x405: case 0x455: return 's';
		case 0x406: case 0x456: case 0x407: case 0x457: return 'i';
		case 0x408: case 0x458: return 'j';
		case 0x4C0: case 0x4CF: return 'l';
		case 0x501: return 'd';
		case 0x51B: return 'q';
		case 0x51D: return 'w';
		}
		if (c >= 0x410 && c <= 0x42F)
			return c + 32;
		if (c <= 0x40F)
			return c + 80;
		return c;
	}
	return c;
}

/* ---- step 4: zero-width and format characters ------------------------- */

static bool is_format(uint32_t c)
{
	if (c < 0xAD)
		return false;
	if (c < 0x2000)
		return c == 0xAD || c == 0x34F || c == 0x61C || c == 0x115F || c == 0x1160 ||
		       c == 0x17B4 || c == 0x17B5 || (c >= 0x180B && c <= 0x180F);
	if (c <= 0x206F)
		return (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
		       (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x206F);
	if (c < 0xFE00)
		return c == 0x3164;
	if (c <= 0xFFFF)
		return c <= 0xFE0F || c == 0xFEFF || c == 0xFFA0;
	return (c >= 0x1D173 && c <= 0x1D17A) || (c >= 0xE0000 && c <= 0xE007F) ||
	       (c >= 0xE0100 && c <= 0xE01EF);
}

unsigned text_fold_cp(uint32_t c, unsigned flags, uint32_t out[2], unsigned *changed)
{
	unsigned n = 1;
	uint32_t o;

	out[0] = c;
	if (flags & TEXT_NORM_COMPAT) {
		int r = compat_fold(c, out);
		if (r >= 0) {
			*changed |= TEXT_NORM_COMPAT;
			n = (unsigned)r;
			if (n != 1)
				return n; /* dropped, or two digits */
		}
	}
	c = out[0];
	if (flags & TEXT_NORM_CASE) {
		o = case_fold(c);
		if (o != c) {
			*changed |= TEXT_NORM_CASE;
			c = o;
		}
	}
	if ((flags & TEXT_NORM_FORMAT) && is_format(c)) {
		*changed |= TEXT_NORM_FORMAT;
		return 0;
	}
	if (flags & TEXT_NORM_TRAD) {
		o = text_trad_simplify(c);
		if (o != c) {
			*changed |= TEXT_NORM_TRAD;
			c = o;
		}
	}
	out[0] = c;
	return 1;
}

/* ---- placeholders of pre-masked corpora -------------------------------- */

static const struct placeholder {
	const char *name;
	uint8_t len;
	uint8_t slot; /* TEXT_SLOT_NONE: replaced by the word 银行; TEXT_SLOT_COUNT: masked digits */
} placeholders[] = {
	{ "CELLPHONE", 9, TEXT_SLOT_PHONE }, { "HOTLINE", 7, TEXT_SLOT_PHONE },
	{ "PHONE", 5, TEXT_SLOT_PHONE },     { "WECHAT", 6, TEXT_SLOT_WECHAT },
	{ "URL", 3, TEXT_SLOT_URL },	     { "DIGIT", 5, TEXT_SLOT_COUNT },
	{ "BANK", 4, TEXT_SLOT_NONE },
};

static const struct placeholder *placeholder_name_at(const unsigned char *p, size_t i, size_t len)
{
	for (size_t k = 0; k < sizeof(placeholders) / sizeof(placeholders[0]); k++) {
		const struct placeholder *ph = &placeholders[k];
		if (len - i >= ph->len && p[i] == (unsigned char)ph->name[0] &&
		    memcmp(p + i, ph->name, ph->len) == 0)
			return ph;
	}
	return NULL;
}

static inline bool is_upper(unsigned char b)
{
	return (unsigned)(b - 'A') < 26u;
}

/*
 * A placeholder at @i counts when it is not glued to upper-case letters
 * that are not themselves placeholders: "URLdfge", "CELLPHONEWECHAT" and
 * " DIGIT万" count, "CURL", "DIGITAL", "BANKING" do not.  *chain_end is
 * where a validated chain of glued placeholders ends (so a long chain is
 * checked once, not once per member).
 */
static const struct placeholder *placeholder_at(const unsigned char *p, size_t i, size_t len,
						 size_t *chain_end)
{
	const struct placeholder *ph;
	size_t j;

	switch (p[i]) { /* first letters of the names */
	case 'B': case 'C': case 'D': case 'H': case 'P': case 'U': case 'W':
		break;
	default:
		return NULL;
	}
	ph = placeholder_name_at(p, i, len);

	if (!ph)
		return NULL;
	if (i < *chain_end)
		return ph; /* inside a chain already validated */
	if (i > 0 && is_upper(p[i - 1]))
		return NULL;
	for (j = i + ph->len; j < len && is_upper(p[j]);) {
		const struct placeholder *next = placeholder_name_at(p, j, len);
		if (!next)
			return NULL;
		j += next->len;
	}
	*chain_end = j;
	return ph;
}

/* ---- step 5: separators ----------------------------------------------- */

static inline bool is_space(uint32_t c)
{
	return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
	       c == 0x205F || c == 0x3000;
}

/* Separator punctuation and filler symbols (dropped next to CJK only). */
static bool is_sep_punct(uint32_t c)
{
	if (c < 0x80) {
		switch (c) {
		case '*': case '.': case '|': case '-': case '_': case '/': case '\\':
		case '~': case '^': case '`': case '\'': case '"': case ',': case '=':
		case ':': case ';': case '!': case '?':
			return true;
		}
		return false;
	}
	if (c < 0x2000)
		return c == 0xB7 || c == 0xA8 || c == 0xAF || c == 0xB0 || c == 0x2C6 || c == 0x2DC;
	if (c <= 0x2BFF) {
		if (c <= 0x206F) /* dashes, quotes, bullets, leaders, reference mark */
			return (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x203B);
		if (c == 0x2219 || c == 0x22C5 || c == 0x25CB) /* ∙ ⋅; ○ stays: it writes 0 */
			return c != 0x25CB;
		if (c >= 0x2500 && c <= 0x257F) /* box drawing, except ╋ (writes 加) */
			return c != 0x254B && c != 0x253C;
		if (c >= 0x25A0 && c <= 0x25FF) /* geometric shapes */
			return true;
		if (c >= 0x2600 && c <= 0x26FF) /* misc symbols, except hearts (write 信) */
			return c != 0x2661 && c != 0x2665;
		if (c >= 0x2700 && c <= 0x27BF) /* dingbats, except hearts, crosses, ➕ and digits */
			return !(c >= 0x2719 && c <= 0x271B) && c != 0x271A && c != 0x2763 &&
			       c != 0x2764 && c != 0x2795 && !(c >= 0x2776 && c <= 0x2793);
		return c >= 0x2B00; /* arrows and stars */
	}
	if (c <= 0x303F)
		return c == 0x3001 || c == 0x3002 || c == 0x3013 || c == 0x301C || c == 0x3030;
	if (c >= 0xFE30 && c <= 0xFE4F)
		return true;
	if (c >= 0xFF00 && c <= 0xFFEF)
		return c == 0xFF0C || c == 0xFF0E || c == 0xFF65 || c == 0xFF5E || c == 0xFF3F ||
		       c == 0xFF0A || c == 0xFF5C || c == 0xFF0F || c == 0xFF0D;
	/* emoji used as fillers */
	return (c >= 0x1F300 && c <= 0x1F5FF && c != 0x1F51F) || (c >= 0x1F600 && c <= 0x1F64F) ||
	       (c >= 0x1F680 && c <= 0x1F6FF) || (c >= 0x1F900 && c <= 0x1F9FF) ||
	       (c >= 0x1FA70 && c <= 0x1FAFF);
}

/* ASCII separators: whitespace and separator punctuation. */
static const uint8_t ascii_sep[128] = {
	['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1, ['*'] = 1, ['.'] = 1,
	['|'] = 1, ['-'] = 1, ['_'] = 1, ['/'] = 1, ['\\'] = 1, ['~'] = 1, ['^'] = 1, ['`'] = 1,
	['\''] = 1, ['"'] = 1, [','] = 1, ['='] = 1, [':'] = 1, [';'] = 1, ['!'] = 1, ['?'] = 1,
};

static inline bool is_sep(uint32_t c)
{
	if (c < 0x80)
		return ascii_sep[c];
	if (c >= 0x3400 && c <= 0x9FFF) /* Han, the common case */
		return false;
	return is_space(c) || is_sep_punct(c);
}

/* Step 5 in place on a[0..n); returns the new length. */
static size_t separators_pass(uint32_t *a, size_t n, unsigned *changed)
{
	size_t w = 0, i = 0;

	while (i < n) {
		size_t j, k;
		uint32_t c = a[i];
		if (!is_sep(c)) {
			a[w++] = c;
			i++;
			continue;
		}
		for (j = i + 1; j < n && is_sep(a[j]); j++)
			;
		if ((w > 0 && text_is_cjk(a[w - 1])) || (j < n && text_is_cjk(a[j]))) {
			*changed |= TEXT_NORM_SEPARATORS;
			i = j;
			continue;
		}
		/* Keep punctuation; each whitespace run becomes one space, none at the ends. */
		for (k = i; k < j;) {
			if (!is_space(a[k])) {
				a[w++] = a[k++];
				continue;
			}
			size_t s = k;
			while (k < j && is_space(a[k]))
				k++;
			if (w == 0 || k == n) {
				*changed |= TEXT_NORM_SEPARATORS;
				continue;
			}
			if (k - s != 1 || a[s] != ' ')
				*changed |= TEXT_NORM_SEPARATORS;
			a[w++] = ' ';
		}
		i = j;
	}
	return w;
}

/* ---- step 7: variants ------------------------------------------------- */

#define VAR_MAX_ENTRIES 256
#define VAR_POOL 4096

struct var_entry {
	uint32_t *from, *to;
	uint8_t from_len, to_len;
	uint8_t ctx;
};

static struct var_entry var_tab[VAR_MAX_ENTRIES];
static size_t var_n;
static uint32_t var_pool[VAR_POOL];
static uint64_t var_first_bits[128]; /* by first code point & 8191 */
static pthread_once_t var_once = PTHREAD_ONCE_INIT;

static size_t utf8_decode(const unsigned char *p, size_t len, size_t *i, uint32_t *cp);

static size_t var_decode(const char *s, unsigned fold, size_t *pool_used, uint32_t **dst)
{
	size_t len = strlen(s), i = 0, n = 0;
	uint32_t *d = var_pool + *pool_used;
	unsigned ch = 0;

	while (i < len) {
		uint32_t c, f[2];
		if (!utf8_decode((const unsigned char *)s, len, &i, &c))
			continue;
		unsigned k = fold ? text_fold_cp(c, fold, f, &ch) : (f[0] = c, 1u);
		for (unsigned m = 0; m < k && *pool_used + n < VAR_POOL; m++)
			d[n++] = f[m];
	}
	*pool_used += n;
	*dst = d;
	return n;
}

static int var_cmp(const void *a, const void *b)
{
	const struct var_entry *x = a, *y = b;
	if (x->from[0] != y->from[0])
		return x->from[0] < y->from[0] ? -1 : 1;
	return (int)y->from_len - (int)x->from_len; /* longest first */
}

static void var_init(void)
{
	const unsigned fold = TEXT_NORM_COMPAT | TEXT_NORM_CASE | TEXT_NORM_FORMAT | TEXT_NORM_TRAD;
	size_t used = 0;

	text_trad_init();
	for (size_t k = 0; k < text_variants_count && var_n < VAR_MAX_ENTRIES; k++) {
		struct var_entry e;
		size_t fl = var_decode(text_variants[k].from, fold, &used, &e.from);
		size_t tl = var_decode(text_variants[k].to, fold, &used, &e.to);
		if (fl == 0 || fl > 255 || tl > 2 * fl)
			continue; /* check_normalize rejects such entries */
		e.from_len = (uint8_t)fl;
		e.to_len = (uint8_t)tl;
		e.ctx = (uint8_t)text_variants[k].ctx;
		var_tab[var_n++] = e;
		var_first_bits[(e.from[0] & 8191) >> 6] |= 1ull << (e.from[0] & 63);
	}
	qsort(var_tab, var_n, sizeof(var_tab[0]), var_cmp);
}

static inline bool is_heart(uint32_t c)
{
	return c == 0x2764 || c == 0x2665 || c == 0x2661 || c == 0x2763;
}

static inline bool is_plus_like(uint32_t c)
{
	return c == '+' || c == 0x2795 || c == 0x254B || c == 0x271A || c == 0x253C;
}

static inline bool is_contact_start(uint32_t c)
{
	switch (c) {
	case 0x5FAE: /* 微 */ case 0x8587: /* 薇 */ case 0x5A01: /* 威 */ case 0x5FBD: /* 徽 */
	case 0x5371: /* 危 */ case 0x6263: /* 扣 */ case 0x4F01: /* 企 */
	case 'q': case 'v': case 'w':
		return true;
	}
	return false;
}

/* The longest entry matching s[i..n) whose context holds, or NULL. */
static const struct var_entry *var_match(const uint32_t *s, size_t i, size_t n, uint32_t prev)
{
	uint32_t c = s[i];
	size_t lo = 0, hi = var_n;

	if (!(var_first_bits[(c & 8191) >> 6] & (1ull << (c & 63))))
		return NULL;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (var_tab[mid].from[0] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < var_n && var_tab[lo].from[0] == c; lo++) {
		const struct var_entry *e = &var_tab[lo];
		size_t k;
		if (e->from_len > n - i)
			continue;
		for (k = 1; k < e->from_len && s[i + k] == e->from[k]; k++)
			;
		if (k < e->from_len)
			continue;
		if (c < 0x80 && text_is_alnum(c) && (text_is_alpha(prev) || text_is_slot_cp(prev)))
			continue;
		uint32_t last = e->from[e->from_len - 1];
		uint32_t next = i + k < n ? s[i + k] : 0;
		if (text_is_alpha(last) && text_is_alpha(next))
			continue;
		if ((e->ctx & TEXT_VAR_ALONE) && (next == 0x4FE1 /* 信 */ || next == 0x82AF /* 芯 */ ||
						  is_heart(next)))
			continue;
		return e;
	}
	return NULL;
}

/* Step 7 from s[0..n) into d[0..cap); returns the output length. */
static size_t variants_pass(uint32_t *s, size_t n, uint32_t *d, size_t cap, unsigned *changed)
{
	size_t i = 0, w = 0;

	while (i < n) {
		uint32_t c = s[i], prev = w ? d[w - 1] : 0;
		if (is_plus_like(c) && i + 1 < n && is_contact_start(s[i + 1]) && !text_is_alpha(prev) &&
		    !text_is_slot_cp(prev) && !is_plus_like(prev)) {
			s[i] = c = 0x52A0; /* 加 */
			*changed |= TEXT_NORM_VARIANTS;
		}
		const struct var_entry *e = var_match(s, i, n, prev);
		if (e && w + e->to_len > cap - (n - i - e->from_len))
			e = NULL; /* no room: cannot happen with cap >= 2n, kept for safety */
		if (!e) {
			d[w++] = c;
			i++;
			continue;
		}
		memcpy(d + w, e->to, e->to_len * sizeof(uint32_t));
		w += e->to_len;
		i += e->from_len;
		*changed |= TEXT_NORM_VARIANTS;
	}
	return w;
}

/* ---- step 1 and the driver -------------------------------------------- */

/*
 * Decode one code point at p[*i] (strict UTF-8: no overlongs, surrogates or
 * values above U+10FFFF).  Returns 1 and advances past it, or 0 and
 * advances one byte past an invalid lead or truncated sequence.
 */
static size_t utf8_decode(const unsigned char *p, size_t len, size_t *i, uint32_t *cp)
{
	size_t k = *i;
	unsigned b = p[k];
	uint32_t c;
	size_t need;
	unsigned lo = 0x80, hi = 0xBF;

	if (b < 0x80) {
		*cp = b;
		*i = k + 1;
		return 1;
	}
	if (b >= 0xC2 && b <= 0xDF) {
		need = 1;
		c = b & 0x1F;
	} else if (b >= 0xE0 && b <= 0xEF) {
		need = 2;
		c = b & 0x0F;
		if (b == 0xE0)
			lo = 0xA0;
		else if (b == 0xED)
			hi = 0x9F;
	} else if (b >= 0xF0 && b <= 0xF4) {
		need = 3;
		c = b & 0x07;
		if (b == 0xF0)
			lo = 0x90;
		else if (b == 0xF4)
			hi = 0x8F;
	} else {
		*i = k + 1;
		return 0;
	}
	if (len - k - 1 < need) {
		*i = k + 1;
		return 0;
	}
	for (size_t m = 1; m <= need; m++) {
		unsigned t = p[k + m];
		if (t < lo || t > hi) {
			*i = k + 1;
			return 0;
		}
		lo = 0x80;
		hi = 0xBF;
		c = (c << 6) | (t & 0x3F);
	}
	*cp = c;
	*i = k + 1 + need;
	return 1;
}

static int reserve(struct text_norm *n, size_t ncp)
{
	if (ncp > n->cp_cap) {
		uint32_t *p = realloc(n->cp, ncp * sizeof(uint32_t));
		if (!p)
			return -ENOMEM;
		n->cp = p;
		n->cp_cap = ncp;
	}
	return 0;
}

/* Pass A: steps 1-4, 6 and the placeholders; returns the code points written. */
static size_t decode_fold_pass(struct text_norm *n, const unsigned char *p, size_t len,
			       unsigned flags, uint32_t *a)
{
	const unsigned fold = flags & (TEXT_NORM_COMPAT | TEXT_NORM_CASE | TEXT_NORM_FORMAT |
				       TEXT_NORM_TRAD);
	size_t i = 0, w = 0, chain_end = 0;
	unsigned changed = 0, invalid = 0;

	while (i < len) {
		uint32_t c = p[i], f[2];
		if (c < 0x80) {
			if (c - 'A' < 26u) {
				const struct placeholder *ph;
				if ((flags & TEXT_NORM_PLACEHOLDERS) &&
				    (ph = placeholder_at(p, i, len, &chain_end)) != NULL) {
					changed |= TEXT_NORM_PLACEHOLDERS;
					i += ph->len;
					if (ph->slot == TEXT_SLOT_NONE) {
						a[w++] = 0x94F6; /* 银 */
						a[w++] = 0x884C; /* 行 */
					} else {
						a[w++] = 0xE000 + ph->slot;
					}
					continue;
				}
				if (flags & TEXT_NORM_CASE) {
					c += 32;
					changed |= TEXT_NORM_CASE;
				}
			}
			a[w++] = c;
			i++;
			continue;
		}
		if (c >= 0xE1 && c <= 0xEC && len - i >= 3 && (p[i + 1] & 0xC0) == 0x80 &&
		    (p[i + 2] & 0xC0) == 0x80) { /* the common 3-byte case, no special ranges */
			c = ((c & 0x0F) << 12) | ((uint32_t)(p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F);
			i += 3;
		} else if (!utf8_decode(p, len, &i, &c)) {
			invalid++;
			continue;
		}
		if (c >= 0x4E00 && c <= 0x9FFF) { /* Han: only step 6 applies */
			if ((flags & TEXT_NORM_TRAD) && text_trad_maybe(c)) {
				uint32_t s = text_trad_simplify(c);
				if (s != c) {
					changed |= TEXT_NORM_TRAD;
					c = s;
				}
			}
			a[w++] = c;
			continue;
		}
		unsigned k = text_fold_cp(c, fold, f, &changed);
		for (unsigned m = 0; m < k; m++)
			a[w++] = f[m];
	}
	n->changed |= changed;
	n->invalid_bytes = invalid;
	return w;
}

int text_normalize(struct text_norm *n, const char *in, size_t len, unsigned flags)
{
	uint32_t *a, *b;
	size_t na, cap;
	unsigned changed = 0;
	int rc;

	pthread_once(&var_once, var_init);
	n->len = 0;
	n->n_slots = 0;
	n->changed = 0;
	n->invalid_bytes = 0;
	if (len > (SIZE_MAX / sizeof(uint32_t) - 64) / 4)
		return -ENOMEM;
	/*
	 * Two arrays of 2 * len + 16 code points: pass A writes at most one
	 * per input byte, a variant at most doubles its key.
	 */
	cap = 2 * len + 16;
	rc = reserve(n, 2 * cap);
	if (rc < 0)
		return rc;
	a = n->cp;
	b = n->cp + cap;
	na = decode_fold_pass(n, (const unsigned char *)in, len, flags, a);
	if (flags & TEXT_NORM_SEPARATORS)
		na = separators_pass(a, na, &changed);
	/*
	 * Variants, and separators again around what they wrote, until nothing
	 * changes ("+ weixin" -> "+ 微信" -> "+微信" -> "加微信"), at most 4
	 * rounds; the output is then normalised text again.
	 */
	for (unsigned round = 0; (flags & TEXT_NORM_VARIANTS) && round < 4; round++) {
		unsigned vchanged = 0;
		size_t nb = variants_pass(a, na, b, cap, &vchanged);
		if (!vchanged)
			break;
		changed |= vchanged;
		if (flags & TEXT_NORM_SEPARATORS)
			nb = separators_pass(b, nb, &changed);
		uint32_t *t = a;
		a = b;
		b = t;
		na = nb;
	}
	n->changed |= changed;
	return text_slots_encode(n, a, na, flags);
}
