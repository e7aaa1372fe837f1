/*
 * bench_sig.c - scam-SMS signature throughput (docs/signatures.md,
 * "Performance"): normalise + scan per message against raw Vectorscan.
 *
 *   build/tools/bench_sig [--signatures PATH | --synthetic N] [--texts TSV]
 *                         [--messages N] [--runs N]
 *
 * Signatures: a .sig file or directory, or N generated ones (--synthetic,
 * default 1200 when no --signatures).  Texts: the text column of a TSV
 * (`label<TAB>text` or bare lines), or 20,000 generated messages (mostly
 * chat, some scam phrases, numbers and links).  The texts are cycled until
 * --messages (default 1,000,000) have been processed, one core, best of
 * --runs (default 3):
 *
 *   (a) end to end: text_normalize(TEXT_NORM_ALL) + sig_scan() per message
 *   (b) sig_scan() alone over the pre-normalised texts
 *   (c) raw hs_scan() over the same pre-normalised texts with the same
 *       database and a callback that only counts: the ceiling
 *
 * and prints rates, the ratio (c)/(a) (target: within 3), peak RSS.
 */
#include "core/time.h"
#include "sig/sig.h"
#include "sig/sig_internal.h"
#include "text/normalize.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

struct texts {
	char **s;
	size_t *len;
	size_t n, cap;
};

static void add_text(struct texts *t, const char *s, size_t len)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 1024;
		t->s = realloc(t->s, t->cap * sizeof(*t->s));
		t->len = realloc(t->len, t->cap * sizeof(*t->len));
		if (!t->s || !t->len) {
			fprintf(stderr, "bench_sig: out of memory\n");
			exit(1);
		}
	}
	t->s[t->n] = malloc(len + 1);
	if (!t->s[t->n])
		exit(1);
	memcpy(t->s[t->n], s, len);
	t->s[t->n][len] = '\0';
	t->len[t->n++] = len;
}

/* ---- the built-in generator (deterministic) ------------------------------- */

static uint64_t rng = 88172645463325252ull;
static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const char *const scam_words[] = {
	"刷单", "佣金", "返利", "提成", "兼职", "日结", "贷款", "无抵押", "秒到", "征信", "客服", "退款",
	"理赔", "快递", "银行", "积分", "兑换", "逾期", "失效", "验证码", "公安", "通缉", "账户", "冻结",
	"安全账户", "中奖", "领取", "点击", "链接", "登录", "网银", "升级", "密码器", "过期", "航班", "取消",
	"改签", "赔偿", "投资", "股票", "老师", "收益", "稳赚", "内幕", "办证", "发票", "代开", "博彩",
	"注册", "彩金", "充值", "会员", "优惠", "退订", "回复", "恭喜", "获得", "现金", "礼品", "支付宝",
	"淘宝", "京东", "涉嫌", "洗钱", "保证金", "解冻", "手续费", "额度", "提现", "平台", "导师", "带单",
};
static const char *const chat_words[] = {
	"你", "在", "做", "什么", "该", "起床", "了", "我", "中午", "买点", "吃的", "回去", "可能", "会",
	"稍晚", "些", "差不多", "是", "终点站", "不过", "到", "以后", "车", "开走", "呵呵", "好的", "明天",
	"见", "晚上", "一起", "吃饭", "吧", "hello", "ok", "lol", "今天", "天气", "不错", "老板", "开会",
	"下班", "回家", "路上", "小心", "谢谢", "妈妈", "电话", "周末", "电影", "，", "。", "！", " ",
};
#define N_SCAM (sizeof(scam_words) / sizeof(scam_words[0]))
#define N_CHAT (sizeof(chat_words) / sizeof(chat_words[0]))

static void generate_texts(struct texts *t, size_t n)
{
	char buf[1024];

	for (size_t i = 0; i < n; i++) {
		size_t len = 0;
		bool scammy = rnd(10) == 0;
		unsigned words = 8 + rnd(30);
		for (unsigned w = 0; w < words && len < 900; w++) {
			const char *s;
			char num[32];
			unsigned r = rnd(100);
			if (r < 3) {
				snprintf(num, sizeof(num), "1%u%08u", 3 + rnd(6), rnd(100000000));
				s = num;
			} else if (r < 5) {
				s = " http://t.cn/a8Xk2 ";
			} else if (r < (scammy ? 40u : 7u)) {
				s = scam_words[rnd(N_SCAM)];
			} else {
				s = chat_words[rnd(N_CHAT)];
			}
			size_t l = strlen(s);
			memcpy(buf + len, s, l);
			len += l;
		}
		add_text(t, buf, len);
	}
}

/* N signatures over the scam vocabulary, in 12 categories (8 scam, 2 spam, 2 benign). */
static char *generate_sigs(unsigned n)
{
	size_t cap = 256 + (size_t)n * 160, len = 0;
	char *s = malloc(cap);

	if (!s)
		exit(1);
	len += (size_t)snprintf(s + len, cap - len, "version synthetic-%u\n", n);
	for (int c = 0; c < 12; c++)
		len += (size_t)snprintf(s + len, cap - len, "category c%d %s generated %d\n", c,
					c < 8 ? "scam" : c < 10 ? "spam" : "benign", c);
	for (unsigned i = 0; i < n; i++) {
		len += (size_t)snprintf(s + len, cap - len, "sig gen.%u c%u %u \"%s\"", i, rnd(12), 20 + rnd(70),
					scam_words[rnd(N_SCAM)]);
		unsigned parts = 1 + rnd(2);
		for (unsigned p = 0; p < parts; p++) {
			unsigned k = rnd(4);
			len += (size_t)snprintf(s + len, cap - len, "%s", k == 0 ? " " : k == 1 ? " .. " : " ..30 ");
			if (rnd(3) == 0)
				len += (size_t)snprintf(s + len, cap - len, "(\"%s\" | \"%s\" | <contact>)",
							scam_words[rnd(N_SCAM)], scam_words[rnd(N_SCAM)]);
			else
				len += (size_t)snprintf(s + len, cap - len, "\"%s\"", scam_words[rnd(N_SCAM)]);
		}
		len += (size_t)snprintf(s + len, cap - len, "\n");
	}
	return s;
}

static void read_tsv(struct texts *t, const char *path)
{
	FILE *f = fopen(path, "rb");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f) {
		perror(path);
		exit(1);
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		size_t len = (size_t)n;
		char *text = line;
		if (len && line[len - 1] == '\n')
			len--;
		char *tab = memchr(line, '\t', len);
		if (tab) {
			text = tab + 1;
			char *tab2 = memchr(text, '\t', len - (size_t)(text - line));
			len = (tab2 ? (size_t)(tab2 - line) : len) - (size_t)(text - line);
		}
		add_text(t, text, len);
	}
	free(line);
	fclose(f);
}

static int count_cb(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx)
{
	(void)id;
	(void)from;
	(void)to;
	(void)flags;
	(*(unsigned long *)ctx)++;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = { { "signatures", required_argument, NULL, 's' },
					    { "synthetic", required_argument, NULL, 'y' },
					    { "texts", required_argument, NULL, 't' },
					    { "messages", required_argument, NULL, 'm' },
					    { "runs", required_argument, NULL, 'r' },
					    { NULL, 0, NULL, 0 } };
	const char *sigpath = NULL, *tsv = NULL;
	unsigned synthetic = 0, runs = 3;
	unsigned long messages = 1000000;
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c == 's')
			sigpath = optarg;
		else if (c == 'y')
			synthetic = (unsigned)strtoul(optarg, NULL, 10);
		else if (c == 't')
			tsv = optarg;
		else if (c == 'm')
			messages = strtoul(optarg, NULL, 10);
		else if (c == 'r')
			runs = (unsigned)strtoul(optarg, NULL, 10);
		else {
			fprintf(stderr, "usage: bench_sig [--signatures PATH | --synthetic N] [--texts TSV] "
					"[--messages N] [--runs N]\n");
			return 2;
		}
	}
	if (!sigpath && !synthetic)
		synthetic = 1200;
	if (runs == 0)
		runs = 1;

	struct sig_set *set;
	struct sig_error err;
	ss_time_us t0 = ss_time_monotonic();
	int rc;
	if (sigpath) {
		rc = sig_set_load(sigpath, &set, &err);
	} else {
		char *text = generate_sigs(synthetic);
		rc = sig_set_load_mem("synthetic.sig", text, strlen(text), &set, &err);
		free(text);
	}
	if (rc) {
		fprintf(stderr, "bench_sig: %s:%u: %s\n", err.file, err.line, err.msg);
		return 1;
	}
	double compile_s = (double)(ss_time_monotonic() - t0) / 1e6;

	struct texts t = { 0 };
	if (tsv)
		read_tsv(&t, tsv);
	else
		generate_texts(&t, 20000);
	if (t.n == 0) {
		fprintf(stderr, "bench_sig: no texts\n");
		return 1;
	}

	/* Pre-normalised copies for (b) and (c). */
	struct text_norm norm;
	struct texts pre = { 0 };
	size_t bytes_in = 0, bytes_norm = 0;
	text_norm_init(&norm);
	for (size_t i = 0; i < t.n; i++) {
		text_normalize(&norm, t.s[i], t.len[i], TEXT_NORM_ALL);
		add_text(&pre, norm.buf, norm.len);
		bytes_in += t.len[i];
		bytes_norm += norm.len;
	}

	struct sig_scanner *sc;
	hs_scratch_t *scratch = NULL;
	if (sig_scanner_open(set, &sc) || (set->db && hs_alloc_scratch(set->db, &scratch) != HS_SUCCESS)) {
		fprintf(stderr, "bench_sig: scanner: out of memory\n");
		return 1;
	}
	double best_e2e = 1e30, best_scan = 1e30, best_raw = 1e30;
	unsigned long hits_e2e = 0, scam_e2e = 0, raw_hits = 0;
	for (unsigned r = 0; r < runs; r++) {
		struct sig_result res;
		unsigned long h = 0, s = 0;
		ss_time_us a = ss_time_monotonic();
		for (unsigned long i = 0, k = 0; i < messages; i++, k = k + 1 == t.n ? 0 : k + 1) {
			text_normalize(&norm, t.s[k], t.len[k], TEXT_NORM_ALL);
			sig_scan(sc, set, norm.buf, norm.len, &res);
			h += res.n_hits;
			s += res.scam_score >= 60;
		}
		double d = (double)(ss_time_monotonic() - a) / 1e6;
		if (d < best_e2e)
			best_e2e = d;
		hits_e2e = h;
		scam_e2e = s;

		a = ss_time_monotonic();
		for (unsigned long i = 0, k = 0; i < messages; i++, k = k + 1 == t.n ? 0 : k + 1)
			sig_scan(sc, set, pre.s[k], pre.len[k], &res);
		d = (double)(ss_time_monotonic() - a) / 1e6;
		if (d < best_scan)
			best_scan = d;

		unsigned long rh = 0;
		a = ss_time_monotonic();
		if (set->db)
			for (unsigned long i = 0, k = 0; i < messages; i++, k = k + 1 == t.n ? 0 : k + 1)
				hs_scan(set->db, pre.s[k], (unsigned)pre.len[k], 0, scratch, count_cb, &rh);
		d = (double)(ss_time_monotonic() - a) / 1e6;
		if (d < best_raw)
			best_raw = d;
		raw_hits = rh;
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);

	printf("signatures: %zu in %zu categories (%s), database %zu KiB, loaded+compiled in %.2f s\n",
	       sig_set_count(set), sig_category_count(set), sig_set_version(set), sig_set_db_bytes(set) / 1024,
	       compile_s);
	printf("texts: %zu distinct (%s), avg %.0f bytes, %.0f normalised; %lu messages per run, best of %u\n", t.n,
	       tsv ? tsv : "generated", (double)bytes_in / (double)t.n, (double)bytes_norm / (double)t.n, messages,
	       runs);
	printf("(a) normalise + sig_scan:  %10.0f SMS/s  (%lu hits, %lu scam >= 60)\n", messages / best_e2e, hits_e2e,
	       scam_e2e);
	printf("(b) sig_scan alone:        %10.0f SMS/s\n", messages / best_scan);
	printf("(c) raw hs_scan (ceiling): %10.0f SMS/s  (%lu matches)\n", messages / best_raw, raw_hits);
	printf("ratio raw/end-to-end %.2f (target within 3), raw/sig_scan %.2f; peak RSS %ld KiB\n",
	       best_e2e / best_raw, best_scan / best_raw, ru.ru_maxrss);

	hs_free_scratch(scratch);
	sig_scanner_close(sc);
	sig_set_free(set);
	text_norm_free(&norm);
	for (size_t i = 0; i < t.n; i++) {
		free(t.s[i]);
		free(pre.s[i]);
	}
	free(t.s);
	free(t.len);
	free(pre.s);
	free(pre.len);
	return 0;
}
