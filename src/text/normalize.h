/*
 * normalize.h - SMS text normalisation before signature matching and
 * campaign clustering (docs/normalisation.md).
 *
 * Scam senders write to evade filters: full-width and circled digits,
 * zero-width characters, separators between Chinese characters
 * ("刷 单", "刷*单", "刷·单"), homoglyphs and variants ("V信", "威信", "薇" for
 * 微信; "扣扣", "企鹅" for QQ), traditional characters, and numbers / links /
 * account ids that change from message to message.  Normalisation undoes
 * each of these in a fixed order, so one signature (or one campaign
 * fingerprint) covers every variant:
 *
 *   1. UTF-8 decode (invalid bytes dropped, counted)
 *   2. compatibility folding: full-width ASCII, ideographic space, circled /
 *      parenthesised / dingbat / styled (mathematical) letters and digits,
 *      superscript / subscript digits -> ASCII
 *   3. case folding (ASCII, Latin-1, Greek/Cyrillic homoglyphs of Latin
 *      letters -> Latin)
 *   4. removal of zero-width and format characters (U+200B-U+200F,
 *      U+202A-U+202E, U+2060-U+2064, U+FEFF, U+00AD, variation selectors...)
 *   5. removal of separators next to CJK characters (spaces, * · | . - _ / ~
 *      and friends), and collapsing other whitespace runs to one space
 *   6. traditional -> simplified Chinese for a core character set
 *   7. homoglyph / variant phrases -> canonical words (longest match)
 *   8. slot abstraction: URLs, phone numbers, QQ / WeChat ids, bank cards,
 *      verification codes and amounts become one typed token each
 * and, separately, before step 3: the upper-case placeholders that
 * pre-masked corpora put in place of contacts (URL, CELLPHONE, ...,
 * TEXT_NORM_PLACEHOLDERS) become slot tokens too.
 *
 * The output is a fixed point: normalising normalised text with the same
 * flags changes nothing (tested on generated strings and fuzzed).
 *
 * Slot tokens are private-use code points, U+E000 + enum text_slot_type,
 * written in UTF-8 (TEXT_SLOT_TOKEN), so they can never be confused with
 * text and signatures can name them (<url>, <phone>...).
 *
 * Ownership and allocation: struct text_norm owns its output buffer and
 * its working code-point arrays and reuses them; text_normalize() allocates
 * only when a message is longer than any before it (output: at most 4
 * bytes per code point; work: 16 bytes per input byte).  The tables are
 * built once per process (pthread_once).  Not thread-safe per object; use
 * one per thread.
 */
#ifndef SS_TEXT_NORMALIZE_H
#define SS_TEXT_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum text_slot_type {
	TEXT_SLOT_NONE = 0,
	TEXT_SLOT_URL = 1,    /* http(s) links, www., bare domains, short links */
	TEXT_SLOT_PHONE = 2,  /* mobile, landline, 400/800 and 95xxx hotlines */
	TEXT_SLOT_QQ = 3,     /* a QQ number after "qq" */
	TEXT_SLOT_WECHAT = 4, /* a WeChat id after "微信" */
	TEXT_SLOT_CARD = 5,   /* a bank card number (16-19 digits) */
	TEXT_SLOT_CODE = 6,   /* a verification code (4-8 digits after 验证码/code) */
	TEXT_SLOT_AMOUNT = 7, /* an amount of money (digits with 元/万/块/¥/$/£/rmb) */
	TEXT_SLOT_NUMBER = 8, /* any other digit run of 3+ digits */
	TEXT_SLOT_COUNT
};

/* The slot token in normalised text: U+E000 + type as UTF-8 (3 bytes). */
#define TEXT_SLOT_TOKEN_LEN 3
#define TEXT_SLOT_TOKEN_B0 0xEE
#define TEXT_SLOT_TOKEN_B1 0x80
/* third byte: 0x80 + type */

/* Steps (flags); TEXT_NORM_ALL is what matching and clustering use. */
#define TEXT_NORM_COMPAT 0x0001u     /* 2 */
#define TEXT_NORM_CASE 0x0002u	     /* 3 */
#define TEXT_NORM_FORMAT 0x0004u     /* 4 */
#define TEXT_NORM_SEPARATORS 0x0008u /* 5 */
#define TEXT_NORM_TRAD 0x0010u	     /* 6 */
#define TEXT_NORM_VARIANTS 0x0020u   /* 7 */
#define TEXT_NORM_SLOTS 0x0040u	     /* 8 */
/*
 * Pre-masked placeholders (URL, CELLPHONE, PHONE, HOTLINE, WECHAT, DIGIT,
 * BANK) that privacy-preserving corpora put in place of contacts: matched
 * case-sensitively on the input, before case folding, also glued to
 * neighbouring letters; they become slot tokens (BANK the word 银行).
 */
#define TEXT_NORM_PLACEHOLDERS 0x0080u
#define TEXT_NORM_ALL 0x00ffu

#define TEXT_MAX_SLOTS 16
#define TEXT_SLOT_VALUE_SIZE 64

struct text_slot {
	uint8_t type;			    /* enum text_slot_type */
	char value[TEXT_SLOT_VALUE_SIZE];   /* the normalised original (URL host+path, digits), cut */
};

struct text_norm {
	char *buf;	/* normalised UTF-8, NUL-terminated; owned */
	size_t len;	/* bytes in buf, without the NUL */
	size_t cap;
	struct text_slot slot[TEXT_MAX_SLOTS]; /* the first TEXT_MAX_SLOTS slots found */
	unsigned n_slots;		       /* slots found (may exceed TEXT_MAX_SLOTS) */
	/*
	 * Which steps changed something (TEXT_NORM_* bits): evidence of
	 * deliberate obfuscation, e.g. zero-width characters inside words.
	 */
	unsigned changed;
	unsigned invalid_bytes; /* malformed UTF-8 dropped */
	uint32_t *cp;		/* working code points (two arrays); owned */
	size_t cp_cap;		/* code points allocated in cp */
};

/* text_norm_init() - an empty normaliser (no allocation yet). */
void text_norm_init(struct text_norm *n);
void text_norm_free(struct text_norm *n); /* accepts NULL */

/*
 * text_normalize() - normalise @len bytes of UTF-8 at @in with the steps in
 * @flags into @n (replacing its previous content).  Returns 0 or -ENOMEM.
 * Never reads outside [in, in + len); any byte sequence is accepted.
 */
int text_normalize(struct text_norm *n, const char *in, size_t len, unsigned flags);

/* text_slot_name() - "url", "phone", "qq", "wechat", "card", "code", "amount", "number". */
const char *text_slot_name(enum text_slot_type type);

/* text_slot_parse() - the inverse of text_slot_name() (@len bytes); TEXT_SLOT_NONE if unknown. */
enum text_slot_type text_slot_parse(const char *name, size_t len);

#endif
