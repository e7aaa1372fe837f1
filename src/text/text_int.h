/*
 * text_int.h - internals shared by the normalisation files (src/text/)
 * and their unit test; not part of the text stage's interface.
 */
#ifndef SS_TEXT_INT_H
#define SS_TEXT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* trad.c: step 6.  text_trad_init() must have run (text_normalize() does it). */
void text_trad_init(void);
uint32_t text_trad_simplify(uint32_t cp); /* @cp itself if not in the table */
int text_trad_pair(size_t i, uint32_t *trad, uint32_t *simp); /* -1 past the end */
extern const size_t text_trad_count;
extern uint8_t text_trad_bits[]; /* bit (cp - 0x4E00): cp is in the table */
/* The bitmap test alone, inlined into the per-character loop. */
static inline bool text_trad_maybe(uint32_t cp)
{
	uint32_t off = cp - 0x4E00u;
	return off <= 0x9FFFu - 0x4E00u && (text_trad_bits[off >> 3] & (1u << (off & 7)));
}

/* variants.c: step 7's data. */
#define TEXT_VAR_ALONE 0x1u /* the key ends in a one-letter abbreviation ("加v"): the
			     * next character must not be a letter, 信, 芯 or a heart */
struct text_variant {
	const char *from; /* UTF-8; folded by steps 2-4 and 6 when loaded */
	const char *to;	  /* UTF-8, at most twice as many code points as from */
	unsigned ctx;	  /* TEXT_VAR_* */
};
extern const struct text_variant text_variants[];
extern const size_t text_variants_count;

/* normalize.c: steps 2-4 and 6 on one code point (what keys are folded with). */
unsigned text_fold_cp(uint32_t cp, unsigned flags, uint32_t out[2], unsigned *changed);

/* slots.c: step 8 plus UTF-8 encoding of @ncp code points into n->buf. */
struct text_norm;
int text_slots_encode(struct text_norm *n, const uint32_t *cp, size_t ncp, unsigned flags);

static inline bool text_is_digit(uint32_t c)
{
	return c - '0' < 10u;
}
static inline bool text_is_alpha(uint32_t c)
{
	return (c | 0x20u) - 'a' < 26u;
}
static inline bool text_is_alnum(uint32_t c)
{
	return text_is_digit(c) || text_is_alpha(c);
}
static inline uint32_t text_lower(uint32_t c)
{
	return c - 'A' < 26u ? c + 32 : c;
}
/* Han ideographs (BMP, extension A, compatibility, supplementary planes), kana, 々〆〇. */
static inline bool text_is_cjk(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
	       (c >= 0x3040 && c <= 0x30FF && c != 0x30FB) || (c >= 0x3005 && c <= 0x3007) ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF);
}
/*
 * The DIGIT placeholder of pre-masked corpora (a digit run the corpus hid)
 * between the placeholder pass and slot abstraction: U+E009, never in the
 * output.  Slot abstraction types it by its context like a real digit run
 * (text_slots_encode): a QQ or WeChat id after "qq" / "微信", a code after
 * "验证码", an amount before 元 / 万 or after ¥, else <number>.
 */
#define TEXT_MASKED_DIGITS_CP 0xE009u /* U+E000 + TEXT_SLOT_COUNT */
/* A slot token's code point (U+E001..U+E008), or the masked-digits mark U+E009. */
static inline bool text_is_slot_cp(uint32_t c)
{
	return c - 0xE001u < 9u;
}

#endif
