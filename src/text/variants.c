/*
 * variants.c - homoglyph / variant phrases and their canonical words
 * (normalisation step 7, docs/normalisation.md).
 *
 * Data only: {from, to, context}.  Keys are written the way they appear
 * in messages; when the table is loaded each key goes through steps 2-4 and
 * 6 (so "V信", "Ｖ信" and "v信" are one key, traditional keys fold), and
 * matching runs after step 5, so keys never need separators ("微 信" is
 * "微信" by then).  Longest key wins at each position.
 *
 * Context rules (applied by normalize.c, not written per entry):
 *  - a key that starts with an ASCII letter or digit matches only when the
 *    character before it is not an ASCII letter or a slot token ("wx" in
 *    "加wx" and "123wx" is a key, in "twx" is not; digits do not count and
 *    tokens do, because step 8 turns digits and words into tokens and the
 *    output must be a fixed point);
 *  - a key that ends with an ASCII letter matches only when the next
 *    character is not an ASCII letter ("wx" not inside "wxyz");
 *  - TEXT_VAR_ALONE: the next character must not be 信, 芯 or a heart
 *    ("加v:" is 加微信:, but "加v信" is left to the key "v信", "加薇信" to "薇信").
 *  - '+' ➕ ╋ ✚ not after a letter, slot token or another plus, and before the start of a
 *    contact word (微 薇 威 徽 危 扣 企 q v w) become 加 first.
 * Replacements may not be more than twice as long as their key (in code
 * points): the output array is sized for that.
 *
 * To add a variant: add a line; check_normalize verifies that every key
 * changes its text and every replacement is a fixed point.
 */
#include "text/text_int.h"

const struct text_variant text_variants[] = {
	/* WeChat */
	{ "v信", "微信", 0 },
	{ "v❤", "微信", 0 },
	{ "v♥", "微信", 0 },
	{ "vx", "微信", 0 },
	{ "wx", "微信", 0 },
	{ "weixin", "微信", 0 },
	{ "wei xin", "微信", 0 },
	{ "wechat", "微信", 0 },
	{ "we chat", "微信", 0 },
	{ "威信", "微信", 0 },
	{ "薇信", "微信", 0 },
	{ "徽信", "微信", 0 },
	{ "危信", "微信", 0 },
	{ "徾信", "微信", 0 },
	{ "微芯", "微信", 0 },
	{ "微❤", "微信", 0 },
	{ "微♥", "微信", 0 },
	{ "薇❤", "微信", 0 },
	{ "威❤", "微信", 0 },
	{ "wei信", "微信", 0 },
	{ "微xin", "微信", 0 },
	{ "加v", "加微信", TEXT_VAR_ALONE },
	{ "加薇", "加微信", TEXT_VAR_ALONE },
	/* QQ */
	{ "扣扣", "qq", 0 },
	{ "抠抠", "qq", 0 },
	{ "寇寇", "qq", 0 },
	{ "企鹅", "qq", 0 },
	{ "q q", "qq", 0 },
	{ "q群", "qq群", 0 },
	{ "扣群", "qq群", 0 },
	{ "加q", "加qq", TEXT_VAR_ALONE },
	/* gambling slang */
	{ "菠菜", "博彩", 0 },
	{ "波菜", "博彩", 0 },
	{ "博菜", "博彩", 0 },
	{ "菠彩", "博彩", 0 },
	/* loans, banks, accounts */
	{ "代款", "贷款", 0 },
	{ "带款", "贷款", 0 },
	{ "袋款", "贷款", 0 },
	{ "货款秒到", "贷款秒到", 0 },
	{ "银亍", "银行", 0 },
	{ "帐户", "账户", 0 },
	{ "帐号", "账号", 0 },
	/* brushing / part-time jobs */
	{ "唰单", "刷单", 0 },
	{ "拥金", "佣金", 0 },
	{ "兼值", "兼职", 0 },
	{ "简职", "兼职", 0 },
};

const size_t text_variants_count = sizeof(text_variants) / sizeof(text_variants[0]);
