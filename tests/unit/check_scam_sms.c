/*
 * check_scam_sms.c - the scam-SMS detector (src/detect/scam_sms.c) and the
 * SimHash fingerprints it clusters with (src/text/simhash.c).
 *
 * Hand-built SMS events against the small signature set in
 * tests/data/scam_sms/ (test.sig, senders.conf); findings recorded by the
 * emit callback.  Run from the source tree's root (make check does).
 */
#include "core/config.h"
#include "core/err.h"
#include "core/log.h"
#include "detect/detect.h"
#include "text/normalize.h"
#include "text/simhash.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T0 (INT64_C(20759) * 86400)
#define MIN 60
#define HOUR 3600
#define DAY 86400
#define MAXF 512

#define SIGS "tests/data/scam_sms/test.sig"
#define SENDERS "tests/data/scam_sms/senders.conf"

struct fixture {
	void *st;
	struct ss_config *cfg;
	struct det_finding f[MAXF];
	int nf;
};

static void record(void *ctx, const struct det_finding *f)
{
	struct fixture *fx = ctx;
	if (fx->nf < MAXF)
		fx->f[fx->nf++] = *f;
}

static void fx_open_paths(struct fixture *fx, const char *sig, const char *extra)
{
	char err[256], conf[2048];
	memset(fx, 0, sizeof(*fx));
	snprintf(conf, sizeof(conf), "[scam_sms]\nsignatures = %s\nsenders = %s\n%s", sig, SENDERS, extra ? extra : "");
	ck_assert_int_eq(ss_config_from_string(conf, &fx->cfg, err, sizeof(err)), 0);
	struct det_env env = { .config = fx->cfg, .emit = record, .emit_ctx = fx };
	ck_assert_int_eq(det_scam_sms.init(&fx->st, &env), 0);
}

static void fx_open(struct fixture *fx, const char *extra)
{
	fx_open_paths(fx, SIGS, extra);
}

static void fx_close(struct fixture *fx)
{
	det_scam_sms.fini(fx->st);
	ss_config_free(fx->cfg);
}

/* An SMS from our subscriber @sub (mo) or at it (mt, @party = the sender). */
static void sms(struct fixture *fx, int64_t t, bool mo, unsigned sub, const char *party, const char *text)
{
	struct event e;
	memset(&e, 0, sizeof(e));
	e.time = t * SS_US_PER_SEC;
	e.kind = EV_SMS;
	e.direction = mo ? EV_DIR_MO : EV_DIR_MT;
	snprintf(e.msisdn, sizeof(e.msisdn), "86138%08u", sub);
	snprintf(e.imsi, sizeof(e.imsi), "46000%010u", sub);
	snprintf(e.other_party, sizeof(e.other_party), "%s", party);
	if (text)
		ck_assert_int_eq(ev_set_text(&e, text, strlen(text)), 0);
	det_scam_sms.tick(fx->st, e.time);
	det_scam_sms.on_event(fx->st, &e);
	ev_clear(&e);
}

/* SIM @from (ours) texts SIM @to (ours): the mo record only. */
static void sim_to(struct fixture *fx, int64_t t, unsigned from, unsigned to, const char *text)
{
	char party[20];
	snprintf(party, sizeof(party), "86139%08u", to);
	sms(fx, t, true, from, party, text);
}

static bool has_code(const struct det_finding *f, const char *code)
{
	for (int i = 0; i < f->n_reasons; i++)
		if (strcmp(f->reasons[i].code, code) == 0)
			return true;
	return false;
}

/* Strongest finding about subject @msisdn (SIM or number), or NULL. */
static const struct det_finding *strongest(const struct fixture *fx, const char *msisdn)
{
	const struct det_finding *best = NULL;
	for (int i = 0; i < fx->nf; i++) {
		const struct det_finding *f = &fx->f[i];
		if (f->subject.kind != DET_SUBJECT_SIM && f->subject.kind != DET_SUBJECT_NUMBER)
			continue;
		if (strcmp(f->subject.msisdn, msisdn) != 0 || f->mark_list)
			continue;
		if (!best || f->strength > best->strength || (f->strength == best->strength && f->score > best->score))
			best = f;
	}
	return best;
}

static int count_marks(const struct fixture *fx, enum det_subject_kind kind, const char *id)
{
	int n = 0;
	for (int i = 0; i < fx->nf; i++) {
		const struct det_finding *f = &fx->f[i];
		if (!f->mark_list || f->subject.kind != kind)
			continue;
		const char *v = kind == DET_SUBJECT_NUMBER ? f->subject.msisdn : f->subject.entity;
		if (!id || strcmp(v, id) == 0)
			n++;
	}
	return n;
}

#define SENDER "8613800000001"
#define TEMPLATE "您的包裹丢失，请加客服QQ12345678办理理赔"

START_TEST(test_template_hit)
{
	struct fixture fx;
	fx_open(&fx, NULL);
	sim_to(&fx, T0, 1, 100, TEMPLATE);
	/* One strong hit to one recipient (a forward to a friend?): monitor only. */
	const struct det_finding *f = strongest(&fx, SENDER);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->strength, DET_WEAK);
	ck_assert(has_code(f, "scam_sms.content"));
	sim_to(&fx, T0 + MIN, 1, 101, TEMPLATE);
	f = strongest(&fx, SENDER);
	ck_assert_int_eq(f->strength, DET_BEHAVIOURAL);
	ck_assert_int_ge(f->score, 80);
	ck_assert(has_code(f, "scam_sms.template"));
	ck_assert_ptr_nonnull(strstr(f->reasons[0].detail, "refund.claim"));
	ck_assert_ptr_nonnull(strstr(f->reasons[0].detail, "category refund"));
	ck_assert_str_eq(f->subject.imsi, "460000000000001");
	/* The QQ contact is gray-marked as an entity. */
	ck_assert_int_eq(count_marks(&fx, DET_SUBJECT_URL, "qq:12345678"), 1);
	/* The recipient is never a subject. */
	for (int i = 0; i < fx.nf; i++)
		ck_assert_str_ne(fx.f[i].subject.msisdn, "8613900000100");
	fx_close(&fx);
}
END_TEST

START_TEST(test_obfuscated_equal)
{
	struct fixture a, b;
	fx_open(&a, NULL);
	fx_open(&b, NULL);
	sim_to(&a, T0, 1, 100, TEMPLATE);
	/* Spaces between CJK characters, a zero-width space, full-width digits, 扣扣 for QQ. */
	sim_to(&b, T0, 1, 100, "您的包 裹 丢\u200b失，请加客服扣扣１２３４５６７８办理理 赔");
	const struct det_finding *fa = strongest(&a, SENDER), *fb = strongest(&b, SENDER);
	ck_assert_ptr_nonnull(fa);
	ck_assert_ptr_nonnull(fb);
	ck_assert_int_eq(fa->score, fb->score);
	ck_assert_int_eq(fa->strength, fb->strength);
	ck_assert_ptr_nonnull(strstr(fb->reasons[0].detail, "obfuscated"));
	ck_assert_int_eq(count_marks(&b, DET_SUBJECT_URL, "qq:12345678"), 1);
	fx_close(&a);
	fx_close(&b);
}
END_TEST

START_TEST(test_allow_listed_monitor_only)
{
	struct fixture fx;
	fx_open(&fx, NULL);
	/* The anti-fraud centre quotes the scam, to many subscribers. */
	for (unsigned i = 0; i < 200; i++)
		sms(&fx, T0 + i * 10, false, 1000 + i, "96110",
		    "【反诈中心】提醒：凡是称您包裹丢失、加QQ12345678理赔的都是诈骗！");
	for (int i = 0; i < fx.nf; i++) {
		ck_assert_int_eq(fx.f[i].strength, DET_WEAK);
		ck_assert(!fx.f[i].mark_list);
	}
	const struct det_finding *f = strongest(&fx, "96110");
	if (f)
		ck_assert(has_code(f, "scam_sms.allow_listed"));
	fx_close(&fx);
}
END_TEST

START_TEST(test_spam_monitor_only)
{
	struct fixture fx;
	fx_open(&fx, "mass_min_sms = 50\nmass_min_recipients = 40\n");
	for (unsigned i = 0; i < 300; i++)
		sms(&fx, T0 + i * 20, false, 1000 + i, "1069012345678",
		    "【某某娱乐城】注册即送彩金888元，官网 http://yl-888.cc 欢迎您");
	const struct det_finding *f = strongest(&fx, "1069012345678");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->subject.kind, DET_SUBJECT_NUMBER);
	for (int i = 0; i < fx.nf; i++)
		ck_assert_int_eq(fx.f[i].strength, DET_WEAK);
	ck_assert_int_eq(count_marks(&fx, DET_SUBJECT_URL, NULL), 0); /* spam links are not scam links */
	fx_close(&fx);
}
END_TEST

START_TEST(test_low_volume_structural)
{
	struct fixture fx;
	fx_open(&fx, NULL);
	/* Score 60 (refund.lost): weak on its own. */
	sim_to(&fx, T0, 1, 100, "你好，你的包裹已经丢失了");
	const struct det_finding *f = strongest(&fx, SENDER);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->strength, DET_WEAK);
	sim_to(&fx, T0 + HOUR, 1, 101, "你好，你的包裹已经丢失了");
	sim_to(&fx, T0 + 2 * HOUR, 1, 101, "你好，你的包裹已经丢失了"); /* same recipient again */
	f = strongest(&fx, SENDER);
	ck_assert_int_lt(f->strength, DET_STRUCTURAL);
	sim_to(&fx, T0 + 3 * HOUR, 1, 102, "你好，你的包裹已经丢失了");
	f = strongest(&fx, SENDER);
	ck_assert_int_eq(f->strength, DET_STRUCTURAL);
	ck_assert_int_ge(f->score, 80);
	ck_assert(has_code(f, "scam_sms.repeated"));
	fx_close(&fx);
}
END_TEST

/* One unknown template (no signature matches) with a link, from a group of SIMs. */
static void unknown_campaign(struct fixture *fx, unsigned n_sims, unsigned per_sim)
{
	char text[256];
	for (unsigned k = 0; k < per_sim; k++)
		for (unsigned s = 0; s < n_sims; s++) {
			snprintf(text, sizeof(text), "【会员服务】尊敬的用户您好，您的专属回馈礼包已发放，编号%u%u%u，请在今日内点击 http://hy%u.vip/g%u 领取，过期作废",
				 k, s, 777, s, k);
			sim_to(fx, T0 + (k * n_sims + s) * 30, 1 + s, 5000 + k * n_sims + s, text);
		}
}

START_TEST(test_campaign_unknown_template)
{
	struct fixture fx;
	fx_open(&fx, NULL);
	unknown_campaign(&fx, 5, 30); /* 150 SMS to 150 recipients from 5 SIMs */
	for (unsigned s = 1; s <= 5; s++) {
		char m[20];
		snprintf(m, sizeof(m), "86138%08u", s);
		const struct det_finding *f = strongest(&fx, m);
		ck_assert_msg(f != NULL, "sender %s not found", m);
		ck_assert(has_code(f, "scam_sms.campaign"));
		ck_assert_int_eq(f->strength, DET_STRUCTURAL); /* no replies */
		ck_assert(f->group != 0);
	}
	ck_assert_int_gt(count_marks(&fx, DET_SUBJECT_URL, NULL), 0);
	fx_close(&fx);
}
END_TEST

START_TEST(test_campaign_with_replies_behavioural)
{
	struct fixture fx;
	fx_open(&fx, NULL);
	/* A shop with a link in its messages whose customers answer. */
	char text[256];
	for (unsigned k = 0; k < 80; k++) {
		snprintf(text, sizeof(text), "【小店上新】亲，本店新品已上架，订单%u的老顾客点 http://shop.cn/n%u 有惊喜，欢迎回复", k * 7 + 100, k);
		sim_to(&fx, T0 + k * 60, 9, 7000 + k, text);
		if (k % 3 == 0) {
			char party[20];
			snprintf(party, sizeof(party), "86138%08u", 9);
			/* the customer (our SIM 86139...) answers: mo from it to the shop */
			struct event e;
			memset(&e, 0, sizeof(e));
			e.time = (T0 + k * 60 + 40) * SS_US_PER_SEC;
			e.kind = EV_SMS;
			e.direction = EV_DIR_MO;
			snprintf(e.msisdn, sizeof(e.msisdn), "86139%08u", 7000 + k);
			snprintf(e.other_party, sizeof(e.other_party), "%s", party);
			det_scam_sms.on_event(fx.st, &e);
		}
	}
	const struct det_finding *f = strongest(&fx, "8613800000009");
	ck_assert_ptr_nonnull(f);
	ck_assert(has_code(f, "scam_sms.campaign"));
	ck_assert_int_eq(f->strength, DET_BEHAVIOURAL);
	fx_close(&fx);
}
END_TEST

START_TEST(test_chat_is_no_campaign)
{
	struct fixture fx;
	fx_open(&fx, NULL);
	/* 300 people each send the same everyday text to one friend. */
	for (unsigned i = 0; i < 300; i++)
		sim_to(&fx, T0 + i * 10, 100 + i, 900 + i, "晚上一起吃饭吧，老地方见，不见不散哦");
	ck_assert_int_eq(fx.nf, 0);
	fx_close(&fx);
}
END_TEST

static uint64_t fp_of(struct text_norm *n, const char *s)
{
	ck_assert_int_eq(text_normalize(n, s, strlen(s), TEXT_NORM_ALL), 0);
	return text_simhash(n->buf, n->len, NULL);
}

START_TEST(test_near_duplicates)
{
	struct text_norm n;
	text_norm_init(&n);
	uint64_t a = fp_of(&n, "【会员服务】尊敬的用户您好，您的专属回馈礼包已发放，编号12345，请在今日内点击 http://hy1.vip/g1 领取，过期作废");
	uint64_t b = fp_of(&n, "【会员服务】尊敬的用户您好，您的专属回馈礼包已发放，编号99881，请在今日内点击 https://abc.top/xx9 领取，过期作废");
	uint64_t c = fp_of(&n, "【会员服务】尊敬的客户您好，您的专属回馈礼包已发放，编号5566，请在今日内点击 t.cn/Ab3 领取，过期作废");
	uint64_t d = fp_of(&n, "明天下午三点开会，请各部门负责人准时参加，带上季度报表");
	uint64_t e = fp_of(&n, "【顺丰速运】您的快件已到达驿站，取件码1234，请及时领取");
	ck_assert_int_le(text_hamming(a, b), 3); /* numbers and links are slots: identical */
	ck_assert_int_le(text_hamming(a, c), 12); /* one changed word */
	ck_assert_int_gt(text_hamming(a, d), 12);
	ck_assert_int_gt(text_hamming(a, e), 12);
	ck_assert_int_gt(text_hamming(d, e), 12);
	text_norm_free(&n);

	/* And the detector puts a and b into one cluster: a campaign across both. */
	struct fixture fx;
	fx_open(&fx, "campaign_min_recipients = 20\n");
	for (unsigned i = 0; i < 30; i++)
		sim_to(&fx, T0 + i * 60, 1, 100 + i,
		       i % 2 ? "【会员服务】尊敬的用户您好，您的专属回馈礼包已发放，编号12345，请在今日内点击 http://hy1.vip/g1 领取，过期作废"
			     : "【会员服务】尊敬的用户您好，您的专属回馈礼包已发放，编号99881，请在今日内点击 https://abc.top/xx9 领取，过期作废");
	const struct det_finding *f = strongest(&fx, SENDER);
	ck_assert_ptr_nonnull(f);
	ck_assert(has_code(f, "scam_sms.campaign"));
	fx_close(&fx);
}
END_TEST

START_TEST(test_mt_outside_sender_number)
{
	struct fixture fx;
	fx_open(&fx, NULL);
	for (unsigned i = 0; i < 3; i++)
		sms(&fx, T0 + i * MIN, false, 200 + i, "+8617012345678", TEMPLATE);
	const struct det_finding *f = strongest(&fx, "8617012345678");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->subject.kind, DET_SUBJECT_NUMBER);
	ck_assert_int_eq(f->strength, DET_STRUCTURAL);
	ck_assert_str_eq(f->subject.imsi, "");
	/* Nothing about the recipients. */
	for (int i = 0; i < fx.nf; i++)
		ck_assert(strncmp(fx.f[i].subject.msisdn, "86138", 5) != 0);
	fx_close(&fx);
}
END_TEST

START_TEST(test_url_and_callback_marks)
{
	struct fixture fx;
	fx_open(&fx, NULL);
	const char *t1 = "您的积分即将清零，请登录 http://bank-jf.top/login 兑换礼品，详询13912345678";
	sim_to(&fx, T0, 1, 100, t1);
	sim_to(&fx, T0 + HOUR, 1, 101, t1);
	ck_assert_int_eq(count_marks(&fx, DET_SUBJECT_URL, "bank-jf.top/login"), 1);
	ck_assert_int_eq(count_marks(&fx, DET_SUBJECT_NUMBER, "8613912345678"), 1);
	for (int i = 0; i < fx.nf; i++)
		if (fx.f[i].mark_list) {
			ck_assert_int_eq(fx.f[i].mark_list, DET_LIST_GRAY);
			ck_assert_int_eq(fx.f[i].strength, DET_WEAK);
		}
	/* A day later, once more. */
	sim_to(&fx, T0 + 2 * DAY + HOUR, 1, 102, t1);
	ck_assert_int_eq(count_marks(&fx, DET_SUBJECT_URL, "bank-jf.top/login"), 2);
	/* A benign text's numbers are never marked. */
	sms(&fx, T0 + 3 * DAY, false, 5, "95588", "【工商银行】您尾号1234的卡消费500元，如非本人操作请致电95588");
	ck_assert_int_eq(count_marks(&fx, DET_SUBJECT_NUMBER, "95588"), 0);
	fx_close(&fx);
}
END_TEST

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void wait_reload(struct fixture *fx, int64_t t)
{
	/* The reload runs in the background (a one-signature set: milliseconds); ticks poll it. */
	for (int i = 0; i < 300; i++) {
		usleep(10000);
		det_scam_sms.tick(fx->st, (t + i) * SS_US_PER_SEC);
	}
}

START_TEST(test_reload_keeps_old_set)
{
	char dir[] = "/tmp/check_scam_sms.XXXXXX", path[256], conf[512], err[256];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a.sig", dir);
	write_file(path, "category refund scam 理赔\nsig refund.lost refund 85 \"包裹\" ..4 \"丢失\"\n");
	struct fixture fx;
	fx_open_paths(&fx, dir, "strong_min_recipients = 1\n");
	sim_to(&fx, T0, 1, 100, "你的包裹丢失了");
	ck_assert_int_eq(strongest(&fx, SENDER)->strength, DET_BEHAVIOURAL);

	/* Broken: the old set stays. */
	write_file(path, "category refund scam 理赔\nsig refund.lost nosuchcat 85 \"包裹\"\n");
	struct ss_config *c2;
	snprintf(conf, sizeof(conf), "[scam_sms]\nsignatures = %s\nsenders = %s\n", dir, SENDERS);
	ck_assert_int_eq(ss_config_from_string(conf, &c2, err, sizeof(err)), 0);
	ck_assert_int_eq(det_scam_sms.reload(fx.st, c2), 0);
	wait_reload(&fx, T0 + 10);
	fx.nf = 0;
	sim_to(&fx, T0 + 2 * DAY, 2, 100, "你的包裹丢失了");
	ck_assert_ptr_nonnull(strongest(&fx, "8613800000002"));

	/* Fixed, with a different signature: swapped in. */
	write_file(path, "category prize scam 中奖\nsig prize.won prize 85 \"恭喜\" .. \"中奖\"\n");
	ck_assert_int_eq(det_scam_sms.reload(fx.st, c2), 0);
	wait_reload(&fx, T0 + 2 * DAY + 10);
	fx.nf = 0;
	sim_to(&fx, T0 + 4 * DAY, 3, 100, "你的包裹丢失了");
	ck_assert_ptr_null(strongest(&fx, "8613800000003"));
	sim_to(&fx, T0 + 4 * DAY + 1, 4, 100, "恭喜您中奖了");
	ck_assert_ptr_nonnull(strongest(&fx, "8613800000004"));
	fx_close(&fx);
	ss_config_free(c2);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(test_eviction)
{
	struct fixture fx;
	fx_open(&fx, "idle_evict = 2h\n");
	/* 50 everyday senders (light: counters only) and 5 scam senders (promoted to full). */
	for (unsigned i = 0; i < 50; i++)
		sim_to(&fx, T0 + i, 10 + i, 100, "好的");
	for (unsigned i = 0; i < 5; i++)
		sim_to(&fx, T0 + 60 + i, 100 + i, 200, TEMPLATE);
	struct det_stats st;
	det_scam_sms.stats(fx.st, &st);
	ck_assert_uint_eq(st.subjects, 55);
	/* Full senders go after idle_evict; light ones keep their counters for the 24-h window. */
	det_scam_sms.tick(fx.st, (T0 + 3 * HOUR) * SS_US_PER_SEC);
	det_scam_sms.stats(fx.st, &st);
	ck_assert_uint_eq(st.subjects, 50);
	ck_assert_uint_eq(st.evictions, 5);
	/* Two 12-h halves later every light counter is zero: nothing left to keep. */
	det_scam_sms.tick(fx.st, (T0 + 37 * HOUR) * SS_US_PER_SEC);
	det_scam_sms.stats(fx.st, &st);
	ck_assert_uint_eq(st.subjects, 0);
	ck_assert_uint_eq(st.evictions, 55);
	fx_close(&fx);
}
END_TEST

START_TEST(test_dedup_mo_mt)
{
	struct fixture fx;
	fx_open(&fx, NULL);
	/* Three scam SMS between two of our SIMs, each seen as mo and as mt. */
	for (unsigned i = 0; i < 3; i++) {
		char to[16];
		snprintf(to, sizeof(to), "86139%08u", (100 + i) % 1000);
		sms(&fx, T0 + i * HOUR, true, 1, to, "你好，你的包裹已经丢失了");
		/* the recipient's mt record: served = recipient, other party = our sender */
		struct event e;
		memset(&e, 0, sizeof(e));
		e.time = (T0 + i * HOUR) * SS_US_PER_SEC;
		e.kind = EV_SMS;
		e.direction = EV_DIR_MT;
		snprintf(e.msisdn, sizeof(e.msisdn), "%s", to);
		snprintf(e.other_party, sizeof(e.other_party), SENDER);
		const char *txt = "你好，你的包裹已经丢失了";
		ev_set_text(&e, txt, strlen(txt));
		det_scam_sms.on_event(fx.st, &e);
		ev_clear(&e);
	}
	const struct det_finding *f = strongest(&fx, SENDER);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->strength, DET_STRUCTURAL);
	bool found = false;
	for (int i = 0; i < f->n_reasons; i++)
		if (!strcmp(f->reasons[i].code, "scam_sms.repeated")) {
			ck_assert_msg(strstr(f->reasons[i].detail, "3 scam SMS to 3") != NULL, "%s", f->reasons[i].detail);
			found = true;
		}
	ck_assert(found);
	fx_close(&fx);
}
END_TEST

START_TEST(test_bad_config)
{
	char err[256];
	struct ss_config *cfg;
	void *st;
	const char *bad[] = {
		"[scam_sms]\nsignatures = /nonexistent/x.sig\n",
		"[scam_sms]\nthreshold = 90\nstrong_score = 80\n",
		"[scam_sms]\nhamming = 9\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(ss_config_from_string(bad[i], &cfg, err, sizeof(err)), 0);
		struct det_env env = { .config = cfg, .emit = record };
		ck_assert_int_lt(det_scam_sms.init(&st, &env), 0);
		ss_config_free(cfg);
	}
}
END_TEST

START_TEST(test_bad_senders_file)
{
	char dir[] = "/tmp/check_scam_sms.XXXXXX", path[256], conf[512], err[256];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/senders.conf", dir);
	write_file(path, "allow 96110 government ok\ndeny 123 x\n");
	snprintf(conf, sizeof(conf), "[scam_sms]\nsignatures = %s\nsenders = %s\n", SIGS, path);
	struct ss_config *cfg;
	ck_assert_int_eq(ss_config_from_string(conf, &cfg, err, sizeof(err)), 0);
	struct fixture fx;
	memset(&fx, 0, sizeof(fx));
	struct det_env env = { .config = cfg, .emit = record, .emit_ctx = &fx };
	ck_assert_int_eq(det_scam_sms.init(&fx.st, &env), 0);
	/* The load fails at the first text: content is not scanned, nothing crashes. */
	sim_to(&fx, T0, 1, 100, TEMPLATE);
	ck_assert_int_eq(fx.nf, 0);
	det_scam_sms.fini(fx.st);
	ss_config_free(cfg);
	unlink(path);
	rmdir(dir);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("scam_sms");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_template_hit);
	tcase_add_test(tc, test_obfuscated_equal);
	tcase_add_test(tc, test_allow_listed_monitor_only);
	tcase_add_test(tc, test_spam_monitor_only);
	tcase_add_test(tc, test_low_volume_structural);
	tcase_add_test(tc, test_campaign_unknown_template);
	tcase_add_test(tc, test_campaign_with_replies_behavioural);
	tcase_add_test(tc, test_chat_is_no_campaign);
	tcase_add_test(tc, test_near_duplicates);
	tcase_add_test(tc, test_mt_outside_sender_number);
	tcase_add_test(tc, test_url_and_callback_marks);
	tcase_add_test(tc, test_reload_keeps_old_set);
	tcase_add_test(tc, test_eviction);
	tcase_add_test(tc, test_dedup_mo_mt);
	tcase_add_test(tc, test_bad_config);
	tcase_add_test(tc, test_bad_senders_file);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	ss_log_set_level(SS_LOG_SILENT);
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
