/*
 * check_normalize.c - SMS text normalisation (src/text/normalize.c,
 * variants.c, trad.c, slots.c; docs/normalisation.md).
 *
 * Table-driven: each vector is an input, the steps to run and the expected
 * output with slot tokens written as <name>; grouped by the step whose
 * evasion it defeats.  Then the properties: idempotence on generated
 * strings and on every code point, one scam sentence written eight ways,
 * invalid UTF-8, empty and 64 KiB inputs, the tables' invariants.
 */
#include "text/normalize.h"
#include "text/text_int.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vec {
	const char *in;
	unsigned flags; /* 0 = TEXT_NORM_ALL */
	const char *want;
};

/* The normalised text with slot tokens shown as <name>. */
static const char *render(const struct text_norm *n)
{
	static char out[1 << 17];
	size_t w = 0;
	const unsigned char *b = (const unsigned char *)n->buf;

	for (size_t i = 0; i < n->len && w + 16 < sizeof(out); i++) {
		if (i + 2 < n->len && b[i] == TEXT_SLOT_TOKEN_B0 && b[i + 1] == TEXT_SLOT_TOKEN_B1 &&
		    b[i + 2] > 0x80 && b[i + 2] < 0x80 + TEXT_SLOT_COUNT) {
			w += (size_t)snprintf(out + w, sizeof(out) - w, "<%s>",
					      text_slot_name((enum text_slot_type)(b[i + 2] - 0x80)));
			i += 2;
			continue;
		}
		out[w++] = (char)b[i];
	}
	out[w] = '\0';
	return out;
}

static struct text_norm nz;

static const char *norm(const char *in, unsigned flags)
{
	ck_assert_int_eq(text_normalize(&nz, in, strlen(in), flags ? flags : TEXT_NORM_ALL), 0);
	ck_assert_uint_eq(strlen(nz.buf), nz.len);
	return render(&nz);
}

static void setup(void)
{
	text_norm_init(&nz);
}

static void teardown(void)
{
	text_norm_free(&nz);
}

static void run_vecs(const struct vec *v, size_t nv)
{
	for (size_t i = 0; i < nv; i++) {
		const char *got = norm(v[i].in, v[i].flags);
		ck_assert_msg(strcmp(got, v[i].want) == 0, "vector %zu: \"%s\" -> \"%s\", want \"%s\"", i,
			      v[i].in, got, v[i].want);
	}
}
#define RUN(v) run_vecs(v, sizeof(v) / sizeof(v[0]))

#define F_COMPAT TEXT_NORM_COMPAT
#define F_UPTO_CASE (TEXT_NORM_COMPAT | TEXT_NORM_CASE)

/* ---- step 1 ------------------------------------------------------------- */

START_TEST(test_utf8_invalid)
{
	static const struct {
		const char *in;
		size_t len;
		const char *want;
		unsigned invalid;
	} v[] = {
		{ "a\xC0\xAF" "b", 4, "ab", 2 },	     /* overlong '/' */
		{ "a\xE0\x80\xAF" "b", 5, "ab", 3 },	     /* overlong 3-byte */
		{ "a\xED\xA0\x80" "b", 5, "ab", 3 },	     /* surrogate U+D800 */
		{ "a\xF4\x90\x80\x80" "b", 6, "ab", 4 },     /* > U+10FFFF */
		{ "a\xF5\x80" "b", 4, "ab", 2 },
		{ "a\xFF\xFE" "b", 4, "ab", 2 },
		{ "\xE4\xBD", 2, "", 2 },		     /* truncated at the end */
		{ "\xE4\xBD" "a", 3, "a", 2 },
		{ "\x80\x80\x80", 3, "", 3 },		     /* lone continuations */
		{ "\xF0\x9F\x98\x80" "x", 5, "\xF0\x9F\x98\x80" "x", 0 }, /* valid 4-byte kept */
		{ "\xE4\xBD\xA0\xE5\xA5\xBD", 6, "你好", 0 },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		ck_assert_int_eq(text_normalize(&nz, v[i].in, v[i].len, 0), 0);
		ck_assert_msg(strcmp(nz.buf, v[i].want) == 0, "vector %zu: got \"%s\"", i, nz.buf);
		ck_assert_uint_eq(nz.invalid_bytes, v[i].invalid);
	}
}
END_TEST

START_TEST(test_empty)
{
	ck_assert_int_eq(text_normalize(&nz, "", 0, TEXT_NORM_ALL), 0);
	ck_assert_uint_eq(nz.len, 0);
	ck_assert_str_eq(nz.buf, "");
	ck_assert_uint_eq(nz.changed, 0);
	ck_assert_int_eq(text_normalize(&nz, NULL, 0, TEXT_NORM_ALL), 0);
	ck_assert_str_eq(norm("   \t\n ", 0), "");
	ck_assert_str_eq(norm("\xE2\x80\x8B\xEF\xBB\xBF", 0), "");
}
END_TEST

/* ---- step 2 ------------------------------------------------------------- */

static const struct vec v_compat[] = {
	{ "１２３", F_COMPAT, "123" },
	{ "ＱＱ：１２３", F_COMPAT, "QQ:123" },
	{ "①②", F_COMPAT, "12" },
	{ "⑩⑳", F_COMPAT, "1020" },
	{ "⑴⑵⒇", F_COMPAT, "1220" },
	{ "⒈⒉", F_COMPAT, "12" },
	{ "ⒶⓑⓏ⒜", F_COMPAT, "AbZa" },
	{ "⓪⓫❶❿➀➓", F_COMPAT, "011110110" },
	{ "𝐀𝐏𝐏𝐋𝐄 𝒂𝒑𝒑𝒍𝒆 𝟏𝟐𝟑 𝟗", F_COMPAT, "APPLE apple 123 9" },
	{ "𝔸𝕡𝕡 ℍ𝕠𝕦𝕤𝕖", F_COMPAT, "App House" },
	{ "x²³¹ ⁴⁵ ₀₉", F_COMPAT, "x231 45 09" },
	{ "，。：；！？（）【】", F_COMPAT, ",.:;!?()[]" },
	{ "a\xE3\x80\x80" "b", F_COMPAT, "a b" },
	{ "1\xEF\xB8\x8F\xE2\x83\xA3" "2\xE2\x83\xA3", F_COMPAT | TEXT_NORM_FORMAT, "12" }, /* keycaps */
	{ "🔟", F_COMPAT, "10" },
	{ "🅰🅱 🄰", F_COMPAT, "AB A" },
	{ "￥１００", F_COMPAT, "¥100" },
	{ "㉑㊿", F_COMPAT, "2150" },
};

START_TEST(test_compat)
{
	RUN(v_compat);
}
END_TEST

/* ---- step 3 ------------------------------------------------------------- */

static const struct vec v_case[] = {
	{ "HeLLo WORLD", F_UPTO_CASE, "hello world" },
	{ "\xD0\xB0pple", F_UPTO_CASE, "apple" },		 /* Cyrillic а */
	{ "\xD0\xA0\xD0\x90\xD0\xA0\xD0\x90", F_UPTO_CASE, "papa" }, /* РАРА */
	{ "рауpаl", F_UPTO_CASE, "paypal" },
	{ "ΑΒΕΗΙΚΜΝΟΡΤΥΧ", F_UPTO_CASE, "abehikmnoptyx" },
	{ "gοοgle", F_UPTO_CASE, "google" }, /* Greek omicron */
	{ "ѕіј", F_UPTO_CASE, "sij" },
	{ "Café ÀÉÎÕÜ ñ", F_UPTO_CASE, "cafe aeiou n" },
	{ "Дом", F_UPTO_CASE, "дoм" }, /* Д has no Latin look-alike: lower case */
	{ "ＡＰＰＬＥ", F_UPTO_CASE, "apple" },
	{ "Ⓠⓠ", F_UPTO_CASE, "qq" },
};

START_TEST(test_case)
{
	RUN(v_case);
	norm("Аpple", 0);
	ck_assert(nz.changed & TEXT_NORM_CASE);
}
END_TEST

/* ---- step 4 ------------------------------------------------------------- */

static const struct vec v_format[] = {
	{ "刷\xE2\x80\x8B单", TEXT_NORM_FORMAT, "刷单" },		  /* ZWSP */
	{ "刷\xE2\x80\x8C\xE2\x80\x8D\xE2\x80\x8E单", TEXT_NORM_FORMAT, "刷单" },
	{ "a\xE2\x80\xAE" "b\xE2\x81\xA0" "c\xE2\x81\xA6" "d", TEXT_NORM_FORMAT, "abcd" },
	{ "\xEF\xBB\xBF" "x\xC2\xAD" "y\xCD\x8F" "z\xE1\xA0\x8E", TEXT_NORM_FORMAT, "xyz" },
	{ "贷\xEF\xB8\x8F款\xF3\xA0\x84\x80", TEXT_NORM_FORMAT, "贷款" }, /* VS16, VS17 */
	{ "刷\xF3\xA0\x80\x81\xF3\xA0\x81\xA1单", TEXT_NORM_FORMAT, "刷单" }, /* tags */
};

START_TEST(test_format)
{
	RUN(v_format);
	norm("刷\xE2\x80\x8B单", 0);
	ck_assert(nz.changed & TEXT_NORM_FORMAT);
}
END_TEST

/* ---- step 5 ------------------------------------------------------------- */

#define F_SEP (TEXT_NORM_COMPAT | TEXT_NORM_CASE | TEXT_NORM_FORMAT | TEXT_NORM_SEPARATORS)
static const struct vec v_sep[] = {
	{ "刷 单", F_SEP, "刷单" },
	{ "刷*单", F_SEP, "刷单" },
	{ "刷·单", F_SEP, "刷单" },
	{ "刷 * · | . - _ / \\ ~ 单", F_SEP, "刷单" },
	{ "刷★单☆返✿利", F_SEP, "刷单返利" },
	{ "刷😀单", F_SEP, "刷单" },
	{ "兼\t职\n日　结", F_SEP, "兼职日结" },
	{ "hello world", F_SEP, "hello world" },
	{ "hello   \t world", F_SEP, "hello world" },
	{ "  trim me  ", F_SEP, "trim me" },
	{ "www.x.com", F_SEP, "www.x.com" },
	{ "3.5", F_SEP, "3.5" },
	{ "a - b", F_SEP, "a - b" },
	{ "你好 hello 世界", F_SEP, "你好hello世界" },
	{ "加 V 信", F_SEP, "加v信" },
	{ "刷，单。", F_SEP, "刷单" },
	{ "微❤信", F_SEP, "微❤信" }, /* hearts write 信: not fillers */
	{ "➕微信", F_SEP, "➕微信" },
};

START_TEST(test_separators)
{
	RUN(v_sep);
	norm("刷 单", 0);
	ck_assert(nz.changed & TEXT_NORM_SEPARATORS);
	norm("a b", 0);
	ck_assert(!(nz.changed & TEXT_NORM_SEPARATORS));
}
END_TEST

/* ---- step 6 ------------------------------------------------------------- */

static const struct vec v_trad[] = {
	{ "銀行貸款", TEXT_NORM_TRAD, "银行贷款" },
	{ "帳戶認證驗證碼號碼聯繫", TEXT_NORM_TRAD, "账户认证验证码号码联系" },
	{ "資金轉賬匯款詐騙", TEXT_NORM_TRAD, "资金转账汇款诈骗" },
	{ "優惠獎勵領取積分兌換", TEXT_NORM_TRAD, "优惠奖励领取积分兑换" },
	{ "網址點擊登錄註冊還錢", TEXT_NORM_TRAD, "网址点击登录注册还钱" },
	{ "額度逾期徵信審核辦理證件", TEXT_NORM_TRAD, "额度逾期征信审核办理证件" },
	{ "银行贷款", TEXT_NORM_TRAD, "银行贷款" }, /* simplified unchanged */
	{ "乾坤", TEXT_NORM_TRAD, "乾坤" },	     /* 乾 left alone */
};

START_TEST(test_trad)
{
	RUN(v_trad);
	norm("銀行", 0);
	ck_assert(nz.changed & TEXT_NORM_TRAD);
}
END_TEST

START_TEST(test_trad_table)
{
	uint32_t t, s, last = 0;
	ck_assert_uint_ge(text_trad_count, 400);
	for (size_t i = 0; text_trad_pair(i, &t, &s) == 0; i++) {
		ck_assert_msg(t > last, "trad table not sorted at %zu", i);
		ck_assert_uint_ne(t, s);
		ck_assert_msg(text_trad_simplify(s) == s, "U+%04X -> U+%04X is not a fixed point", t, s);
		last = t;
	}
}
END_TEST

/* ---- step 7 ------------------------------------------------------------- */

static const struct vec v_var[] = {
	{ "加V信", 0, "加微信" },
	{ "加 V 信", 0, "加微信" },
	{ "加v信", 0, "加微信" },
	{ "威信 薇信 徽信 危信 微❤", 0, "微信微信微信微信微信" },
	{ "微 信", 0, "微信" },
	{ "加vx", 0, "加微信" },
	{ "加wx", 0, "加微信" },
	{ "加weixin", 0, "加微信" },
	{ "wx: abc", 0, "微信abc" }, /* then next to Han: separators dropped */
	{ "wxyz twx", 0, "wxyz twx" }, /* not inside English words */
	{ "vxlan", 0, "vxlan" },
	{ "加v:好", 0, "加微信好" },
	{ "扣扣 企鹅", 0, "qqqq" },
	{ "加q群", 0, "加qq群" },
	{ "+微信", 0, "加微信" },
	{ "➕微信 ╋v信 ✚扣扣", 0, "加微信加微信加qq" },
	{ "1+1 c++", 0, "1+1 c++" },
	{ "+ weixin", 0, "加微信" },
	{ "菠菜平台", 0, "博彩平台" },
	{ "代 款", 0, "贷款" },
	{ "銀 行", 0, "银行" },
	{ "帐户", 0, "账户" },
};

START_TEST(test_variants)
{
	RUN(v_var);
	norm("威信", 0);
	ck_assert(nz.changed & TEXT_NORM_VARIANTS);
}
END_TEST

START_TEST(test_variant_table)
{
	/* every key changes its text, every replacement is a fixed point */
	for (size_t i = 0; i < text_variants_count; i++) {
		char a[256];
		snprintf(a, sizeof(a), "%s", norm(text_variants[i].to, TEXT_NORM_ALL & ~TEXT_NORM_SLOTS));
		ck_assert_msg(strcmp(a, text_variants[i].to) == 0, "replacement \"%s\" -> \"%s\"",
			      text_variants[i].to, a);
		snprintf(a, sizeof(a), "%s", norm(text_variants[i].from, TEXT_NORM_ALL & ~TEXT_NORM_SLOTS));
		ck_assert_msg(strcmp(a, text_variants[i].from) != 0 || !strcmp(a, text_variants[i].to),
			      "key \"%s\" does not match itself", text_variants[i].from);
	}
}
END_TEST

/* ---- step 8 ------------------------------------------------------------- */

static const struct vec v_slots[] = {
	{ "点击 https://Www.Example.COM/Path?q=1&x=2 领取", 0, "点击<url>领取" },
	{ "see http://a.b/c.", 0, "see <url>." },
	{ "www.abc-d.com", 0, "<url>" },
	{ "网址t.cn/AbCd12退订", 0, "网址<url>退订" },
	{ "dwz.cn/x url.cn/y abc.xyz x.top/a", 0, "<url> <url> <url> <url>" },
	{ "go 192.168.1.20:8080/x", 0, "go <url>" },
	{ "e.g. file.exe 3.5 v1.2", 0, "e.g. file.exe 3.5 v1.2" },
	{ "电话13812345678", 0, "电话<phone>" },
	{ "call +86 138 1234 5678", 0, "call <phone>" },
	{ "+8613812345678 008613812345678", 0, "<phone> <phone>" },
	{ "010-12345678 0755-1234567", 0, "<phone> <phone>" },
	{ "400-123-4567 800 123 4567", 0, "<phone> <phone>" },
	{ "客服95588 10086", 0, "客服<phone> <phone>" },
	{ "+44 20 7946 0958", 0, "<phone>" },
	{ "加qq:12345678", 0, "加qq:<qq>" },
	{ "扣扣号 87654321", 0, "qq号<qq>" },
	{ "加微信:abc_12345", 0, "加微信<wechat>" },
	{ "V信号13912345678", 0, "微信号<wechat>" },
	{ "卡号6222 0212 3456 7890 123", 0, "卡号<card>" },
	{ "6222021234567890", 0, "<card>" },
	{ "您的验证码是123456，5分钟内有效", 0, "您的验证码是<code>,5分钟内有效" },
	{ "4821为您的校验码", 0, "<code>为您的校验码" },
	{ "your code: 9981", 0, "your code: <code>" },
	{ "abc.cn123 x.cn-123456", 0, "abc.cn<number> x.cn-<number>" },
	{ "3.5元", 0, "<amount>元" },
	{ "赚5000元 3万 ¥1,000.50 $20 rmb 300 和 100块", 0,
	  "赚<amount>元<amount>万¥<amount> $<amount> rmb <amount>和<amount>块" },
	{ "订单56789 共2件", 0, "订单<number>共2件" },
	{ "in 2024 at 3.5 or 12 or 123.45", 0, "in <number> at 3.5 or 12 or <number>" },
	{ "1 3 8 1 2 3 4 5 6 7 8", 0, "<phone>" },
	{ "\xEE\x80\x81", 0, "<url>" }, /* a token stays a token */
};

START_TEST(test_slots)
{
	RUN(v_slots);
}
END_TEST

START_TEST(test_slot_values)
{
	norm("点击HTTPS://T.cn/AbC 或 +86 138-1234-5678 qq:12345 卡6222 0212 3456 7890 ¥3.50", 0);
	ck_assert_uint_eq(nz.n_slots, 5);
	ck_assert_uint_eq(nz.slot[0].type, TEXT_SLOT_URL);
	ck_assert_str_eq(nz.slot[0].value, "t.cn/abc");
	ck_assert_uint_eq(nz.slot[1].type, TEXT_SLOT_PHONE);
	ck_assert_str_eq(nz.slot[1].value, "13812345678");
	ck_assert_uint_eq(nz.slot[2].type, TEXT_SLOT_QQ);
	ck_assert_str_eq(nz.slot[2].value, "12345");
	ck_assert_uint_eq(nz.slot[3].type, TEXT_SLOT_CARD);
	ck_assert_str_eq(nz.slot[3].value, "6222021234567890");
	ck_assert_uint_eq(nz.slot[4].type, TEXT_SLOT_AMOUNT);
	ck_assert_str_eq(nz.slot[4].value, "3.50");
	ck_assert(nz.changed & TEXT_NORM_SLOTS);
	/* the token's bytes */
	norm("13912345678", 0);
	ck_assert_uint_eq(nz.len, TEXT_SLOT_TOKEN_LEN);
	ck_assert_uint_eq((unsigned char)nz.buf[0], TEXT_SLOT_TOKEN_B0);
	ck_assert_uint_eq((unsigned char)nz.buf[1], TEXT_SLOT_TOKEN_B1);
	ck_assert_uint_eq((unsigned char)nz.buf[2], 0x80 + TEXT_SLOT_PHONE);
	/* more slots than recorded */
	norm("111x222x333x444x555x666x777x888x999x1111x2222x3333x4444x5555x6666x7777x8888x9999", 0);
	ck_assert_uint_eq(nz.n_slots, 18);
	/* names */
	for (unsigned t = TEXT_SLOT_URL; t < TEXT_SLOT_COUNT; t++) {
		const char *name = text_slot_name((enum text_slot_type)t);
		ck_assert_uint_eq(text_slot_parse(name, strlen(name)), t);
	}
	ck_assert_uint_eq(text_slot_parse("bogus", 5), TEXT_SLOT_NONE);
	ck_assert_uint_eq(text_slot_parse("url", 2), TEXT_SLOT_NONE);
}
END_TEST

static const struct vec v_placeholders[] = {
	{ "详情点击 URLdfge PLACE 平安", 0, "详情点击<url>dfge place平安" },
	{ "电话 CELLPHONE", 0, "电话<phone>" },
	{ "CELLPHONEWECHAT", 0, "<phone><wechat>" },
	{ "热线HOTLINE或PHONE", 0, "热线<phone>或<phone>" },
	{ "月息 DIGIT 万", 0, "月息<amount>万" },
	{ "加qq DIGIT 微信号 DIGIT", 0, "加qq <qq>微信号<wechat>" },
	{ "验证码DIGIT", 0, "验证码<code>" },
	{ "共 DIGIT 人", 0, "共<number>人" },
	{ "￥DIGIT 或DIGIT元", 0, "¥<amount>或<amount>元" },
	{ "BANK卡", 0, "银行卡" },
	{ "CURL DIGITAL BANKING url", 0, "curl digital banking url" },
	{ "URL", TEXT_NORM_ALL & ~TEXT_NORM_PLACEHOLDERS, "url" },
};

START_TEST(test_placeholders)
{
	RUN(v_placeholders);
	norm("CELLPHONE", 0);
	ck_assert(nz.changed & TEXT_NORM_PLACEHOLDERS);
	ck_assert_uint_eq(nz.n_slots, 1);
	ck_assert_uint_eq(nz.slot[0].type, TEXT_SLOT_PHONE);
}
END_TEST

/* ---- properties ------------------------------------------------------- */

static const char *const pieces[] = {
	"刷", "单", "微", "信", "加", "V", "v", "x", "w", "q", "Q", "扣", "企鹅", "威", "薇",
	"❤", "➕", "+", " ", "  ", "*", "·", ".", "-", "_", "/", ":", "：", "，", "。", "1",
	"2", "3", "0", "8", "6", "13812345678", "１", "①", "⑴", "❶", "𝐀", "а", "Ο", "銀", "貸",
	"款", "行", "\xE2\x80\x8B", "\xEF\xB8\x8F", "http://", "www.", "abc", ".com", ".cn",
	"t.cn/x", "元", "¥", "$", "万", "验证码", "qq", "wx", "weixin", "菠菜", "URL", "PHONE",
	"DIGIT", "BANK", "CELLPHONE", "hello", "world", "\t", "\n", "😀", "★", "号", "是",
	"\xEE\x80\x82", "\xFF", "\xE4\xBD", "e", "a", "0086", "400", "95588", ",", "?", "=",
};

START_TEST(test_idempotent)
{
	uint32_t seed = 12345;
	char in[512], first[8192];
	unsigned flags_list[] = { TEXT_NORM_ALL, TEXT_NORM_ALL & ~TEXT_NORM_SLOTS,
				  TEXT_NORM_ALL & ~TEXT_NORM_VARIANTS };

	for (unsigned r = 0; r < 20000; r++) {
		size_t len = 0;
		unsigned np = 1 + r % 14;
		for (unsigned k = 0; k < np; k++) {
			seed = seed * 1103515245 + 12345;
			const char *p = pieces[(seed >> 8) % (sizeof(pieces) / sizeof(pieces[0]))];
			size_t pl = strlen(p);
			if (len + pl < sizeof(in)) {
				memcpy(in + len, p, pl);
				len += pl;
			}
		}
		unsigned flags = flags_list[r % 3];
		ck_assert_int_eq(text_normalize(&nz, in, len, flags), 0);
		memcpy(first, nz.buf, nz.len + 1);
		size_t first_len = nz.len;
		ck_assert_int_eq(text_normalize(&nz, first, first_len, flags), 0);
		ck_assert_msg(nz.len == first_len && memcmp(nz.buf, first, first_len) == 0,
			      "not idempotent: \"%.*s\" -> \"%s\" -> \"%s\"", (int)len, in, first, nz.buf);
	}
}
END_TEST

START_TEST(test_idempotent_code_points)
{
	/* Every code point alone, between Han and between ASCII letters. */
	char in[16], first[64];
	for (uint32_t c = 1; c <= 0x10FFFF; c++) {
		if (c >= 0xD800 && c <= 0xDFFF)
			continue;
		if (c > 0x2FFFF && c < 0xE0000)
			c = 0xE0000;
		size_t l = 0;
		in[l++] = 'a';
		if (c < 0x80) {
			in[l++] = (char)c;
		} else if (c < 0x800) {
			in[l++] = (char)(0xC0 | (c >> 6));
			in[l++] = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			in[l++] = (char)(0xE0 | (c >> 12));
			in[l++] = (char)(0x80 | ((c >> 6) & 0x3F));
			in[l++] = (char)(0x80 | (c & 0x3F));
		} else {
			in[l++] = (char)(0xF0 | (c >> 18));
			in[l++] = (char)(0x80 | ((c >> 12) & 0x3F));
			in[l++] = (char)(0x80 | ((c >> 6) & 0x3F));
			in[l++] = (char)(0x80 | (c & 0x3F));
		}
		in[l++] = 'b';
		ck_assert_int_eq(text_normalize(&nz, in, l, TEXT_NORM_ALL), 0);
		ck_assert_uint_lt(nz.len, sizeof(first));
		memcpy(first, nz.buf, nz.len + 1);
		size_t fl = nz.len;
		ck_assert_int_eq(text_normalize(&nz, first, fl, TEXT_NORM_ALL), 0);
		ck_assert_msg(nz.len == fl && memcmp(nz.buf, first, fl) == 0, "U+%04X not idempotent", c);
	}
}
END_TEST

START_TEST(test_same_scam_eight_ways)
{
	static const char *const ways[] = {
		"刷单兼职，日赚300元，加微信abc_12345",
		"刷 单 兼 职 ， 日 赚 ３００ 元 ， 加 V 信 abc_12345",
		"刷*单*兼*职。日赚③⓪⓪元。➕威信：abc_12345",
		"刷\xE2\x80\x8B单\xE2\x80\x8C兼\xE2\x80\x8D职，日赚𝟑𝟎𝟎元，加vx:abc_12345",
		"刷·单·兼·职，日赚300元，加薇❤ abc_12345",
		"刷单兼職，日賺300元，加微 信 abc_12345",
		"刷单兼职★日赚 300 元★+徽信 ABC_12345",
		"刷|单|兼|职，日赚三百……不，日赚300元，加weixin abc_12345",
	};
	char want[256];
	norm(ways[0], 0);
	snprintf(want, sizeof(want), "%s", nz.buf);
	ck_assert_str_eq(render(&nz), "刷单兼职日赚<amount>元加微信<wechat>");
	for (size_t i = 1; i < 7; i++) {
		norm(ways[i], 0);
		ck_assert_msg(strcmp(nz.buf, want) == 0, "way %zu: %s", i, render(&nz));
	}
	/* the eighth adds words; its tail is the same sentence */
	norm(ways[7], 0);
	ck_assert_msg(strstr(nz.buf, want + strlen("刷单兼职")) != NULL, "way 7: %s", render(&nz));
}
END_TEST

START_TEST(test_large_input)
{
	size_t len = 64 * 1024;
	char *in = malloc(len);
	ck_assert_ptr_nonnull(in);
	for (size_t i = 0; i < len; i++)
		in[i] = "刷 单1x."[i % 9]; /* cuts through UTF-8 sequences too */
	ck_assert_int_eq(text_normalize(&nz, in, len, TEXT_NORM_ALL), 0);
	ck_assert_uint_gt(nz.len, 0);
	ck_assert_uint_eq(strlen(nz.buf), nz.len);
	for (size_t i = 0; i < len; i++)
		in[i] = (char)('0' + i % 10);
	ck_assert_int_eq(text_normalize(&nz, in, len, TEXT_NORM_ALL), 0);
	for (size_t i = 0; i < len; i++)
		in[i] = (char)(i & 0xFF);
	ck_assert_int_eq(text_normalize(&nz, in, len, TEXT_NORM_ALL), 0);
	/* no allocation for shorter messages afterwards */
	char *buf = nz.buf;
	uint32_t *cp = nz.cp;
	norm("刷单 http://x.cn 13812345678", 0);
	ck_assert_ptr_eq(nz.buf, buf);
	ck_assert_ptr_eq(nz.cp, cp);
	free(in);
}
END_TEST

START_TEST(test_free_null)
{
	text_norm_free(NULL);
}
END_TEST

static Suite *normalize_suite(void)
{
	Suite *s = suite_create("normalize");
	TCase *tc = tcase_create("steps");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_utf8_invalid);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_compat);
	tcase_add_test(tc, test_case);
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_separators);
	tcase_add_test(tc, test_trad);
	tcase_add_test(tc, test_trad_table);
	tcase_add_test(tc, test_variants);
	tcase_add_test(tc, test_variant_table);
	tcase_add_test(tc, test_slots);
	tcase_add_test(tc, test_slot_values);
	tcase_add_test(tc, test_placeholders);
	tcase_add_test(tc, test_idempotent);
	tcase_add_test(tc, test_idempotent_code_points);
	tcase_add_test(tc, test_same_scam_eight_ways);
	tcase_add_test(tc, test_large_input);
	tcase_add_test(tc, test_free_null);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(normalize_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
