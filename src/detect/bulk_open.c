/*
 * bulk_open.c - bulk SIM opening detector (reason family "bulk_open").
 *
 * Input: the activation feed (../shared/spec/activation.md).  Three rules:
 *
 *  - One ID document, many cards: the open SIMs of every personal ID
 *    document (keyed hash only: never a raw number) are kept as a linked
 *    list, so a close months later still decrements the right document.
 *    More than max_cards_per_id open cards (China's per-operator limit, 5)
 *    flags every open card of that document (bulk_open.id_over_limit) and
 *    the document itself (DET_SUBJECT_IDDOC).  Enterprise accounts are
 *    exempt; families (2-3 cards) are far below the limit.
 *  - Opening bursts per outlet and per channel: a sliding window of recent
 *    personal openings against a baseline (an EWMA of the daily opening
 *    rate with a floor).  Inside an established burst, consecutive MSISDN /
 *    ICCID runs, over-limit documents and single-use documents opened at a
 *    machine pace make the burst structural.  Every SIM in the burst (the
 *    earlier ones in the window too, and later ones while it lasts) gets a
 *    finding and the BULK_ORIGIN profile mark; the outlet / channel get
 *    entity findings, so their later SIMs start with higher risk.
 *  - Risky outlets: an outlet or channel on a black / gray list, or with a
 *    reputation score >= risky_outlet_score, marks the SIMs it opens
 *    (RISKY_OUTLET, WEAK finding: monitor only).
 *
 * Design and the reasoning behind every default: docs/detect-bulk-silent.md.
 *
 * State: one 32-byte record per open personal SIM with a document (needed
 * to decrement on close), one 32-byte record per document (evicted when it
 * has no open card and was idle doc_idle), one record per outlet / channel
 * with its window (entries live one window, or while a burst lasts).
 * Records are recycled through free lists; idmaps index them.
 */
#include "detect/detect.h"

#include "core/err.h"
#include "core/hash.h"
#include "core/idmap.h"
#include "core/log.h"
#include "detect/profile.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BO_NONE UINT32_MAX
#define BO_BUSINESS_DAY (10 * 3600) /* openings happen in ~10 shop hours a day */

/* idmap namespaces */
#define NS_MSISDN 2
#define NS_IMSI 1
#define NS_OUTLET 3
#define NS_CHANNEL 4
#define NS_DOC 5

/* Packed digit strings: value in bits 0-55, digit count in 56-60. */
#define BO_LEN_SHIFT 56
#define BO_VAL_MASK ((UINT64_C(1) << BO_LEN_SHIFT) - 1)

/* bo_sim.flags */
#define BO_SIM_LIVE 0x01u
#define BO_SIM_BURST 0x02u /* member of an established outlet/channel burst */

/* bo_entry.flags */
#define BO_ENT_MEMBER 0x01u  /* part of an established burst */
#define BO_ENT_CLEARED 0x02u /* reset_subject: never emitted again */
#define BO_ENT_PACED 0x04u   /* inside a pace_window holding >= burst_min openings (set by bo_burst_eval) */

enum bo_group_kind { BO_OUTLET = 0, BO_CHANNEL = 1 };

struct bo_conf {
	int max_cards;		/* max_cards_per_id */
	int block_cards;	/* block_cards_per_id */
	uint32_t id_burst_window;
	uint32_t window;
	int burst_min;
	double burst_ratio;
	double baseline_floor;
	double baseline_days;
	uint32_t baseline_warmup;
	int consecutive_min_run;
	double single_use_min_share;
	uint32_t pace_window;
	int reused_min;
	double risky_score;
	int risky_boost;
	int bulk_boost;
	uint32_t lookup_refresh;
	uint32_t doc_idle;
	uint32_t group_idle;
	int max_window_entries;
	int score_id_behavioural;
	int score_burst_behavioural;
	int score_structural;
	int score_risky;
};

/* One open personal SIM on a document. */
struct bo_sim {
	uint64_t msisdn; /* packed */
	uint64_t imsi;	 /* packed, 0 = unknown */
	uint32_t doc;	 /* document index */
	uint32_t next;	 /* next open SIM of the document, or free-list link */
	uint32_t opened; /* seconds */
	uint8_t flags;	 /* BO_SIM_* */
	uint8_t emitted; /* strongest id_over_limit finding sent: strength + 1, 0 = none */
	uint16_t cleared_n; /* reset_subject: not flagged again until the doc exceeds this */
};
_Static_assert(sizeof(struct bo_sim) == 32, "bo_sim is 32 bytes");

struct bo_doc {
	uint8_t hash[EV_ID_HASH_SIZE];
	uint32_t head;	 /* first open SIM, BO_NONE; free-list link when dead */
	uint32_t last;	 /* last activity, seconds */
	uint16_t open;	 /* open personal cards */
	uint16_t total;	 /* openings ever seen (saturating): 1 = single use */
	uint8_t emitted; /* strongest IDDOC finding sent: strength + 1 */
	uint8_t live;
	uint16_t pad;
};
_Static_assert(sizeof(struct bo_doc) == 32, "bo_doc is 32 bytes");

struct bo_entry {
	uint64_t msisdn, imsi; /* packed */
	uint64_t iccid;	       /* last 18 digits of the ICCID without its check digit; 0 = none */
	uint32_t t;
	uint32_t doc; /* BO_NONE when no document */
	uint32_t sim; /* bo_sim index, BO_NONE */
	uint8_t flags;
	uint8_t emitted; /* strength + 1 of the last burst finding about this SIM */
	uint16_t pad;
};
_Static_assert(sizeof(struct bo_entry) == 40, "bo_entry is 40 bytes");

struct bo_group {
	char code[EV_CODE_SIZE];
	char channel[EV_CODE_SIZE]; /* outlets: their channel (entity finding) */
	uint8_t kind;
	uint8_t live;
	uint8_t burst;	  /* a burst is established */
	uint8_t emitted;  /* strength + 1 of the last entity finding */
	uint8_t risky;	  /* cached lookup: 1 = risky */
	uint8_t looked;	  /* a lookup was made */
	uint16_t days_seen;
	uint32_t first_seen;
	uint32_t lookup_at;
	uint32_t last_seen;
	uint32_t day;	    /* day index of day_count */
	uint32_t day_count; /* openings of that day folded so far */
	uint32_t burst_since;
	double rate; /* learnt openings per day */
	char risky_detail[96];
	struct bo_entry *ent;
	uint32_t n, cap;
	uint32_t next_free;
};

struct bulk_open {
	struct bo_conf c;
	det_emit_fn emit;
	void *emit_ctx;
	struct det_profile *profile;
	det_lookup_fn lookup;
	void *lookup_ctx;

	struct bo_sim *sim;
	uint32_t n_sim, cap_sim, free_sim, live_sim;
	struct ss_idmap sim_by_msisdn, sim_by_imsi;

	struct bo_doc *doc;
	uint32_t n_doc, cap_doc, free_doc, live_doc;
	struct ss_idmap doc_ix;

	struct bo_group *grp;
	uint32_t n_grp, cap_grp, free_grp, live_grp;
	struct ss_idmap grp_ix;

	uint64_t *scratch; /* sorting runs */
	uint32_t cap_scratch;

	uint32_t n_burst; /* groups with an established burst */
	uint32_t now;
	uint32_t next_maint;
	/*
	 * Documents bo_maint() may evict are those without open cards, idle
	 * doc_idle.  Bounds over them, kept by bo_doc_touch() whenever a
	 * document's open count or last activity changes and made exact by each
	 * sweep, let the hourly maintenance skip the sweep when none can be due:
	 * the earliest (last + doc_idle), and the latest last (a clock behind a
	 * document's last activity also evicts it: unsigned idle time).
	 */
	uint64_t doc_due_min;
	uint32_t doc_last_max;
	struct det_stats st;
};

/* ---- configuration -------------------------------------------------------- */

enum bo_ctype { BO_C_INT, BO_C_DBL, BO_C_DUR };

struct bo_cdef {
	const char *key;
	enum bo_ctype type;
	double def, min, max; /* durations in seconds */
	size_t off;
};

#define H 3600.0
#define D 86400.0
#define CI(k, f, d, lo, hi) { k, BO_C_INT, d, lo, hi, offsetof(struct bo_conf, f) }
#define CD(k, f, d, lo, hi) { k, BO_C_DBL, d, lo, hi, offsetof(struct bo_conf, f) }
#define CT(k, f, d, lo, hi) { k, BO_C_DUR, d, lo, hi, offsetof(struct bo_conf, f) }

/* Defaults and their reasoning: docs/detect-bulk-silent.md. */
static const struct bo_cdef bo_cdefs[] = {
	CI("max_cards_per_id", max_cards, 5, 1, 1000),
	CI("block_cards_per_id", block_cards, 10, 1, 1000),
	CT("id_burst_window", id_burst_window, 24 * H, 0, 30 * D),
	CT("window", window, 3 * H, 10 * 60, 2 * D),
	CI("burst_min_openings", burst_min, 10, 2, 100000),
	CD("burst_ratio", burst_ratio, 8, 1, 1000),
	CD("baseline_floor", baseline_floor, 4, 0.1, 100000),
	CD("baseline_days", baseline_days, 14, 1, 365),
	CT("baseline_warmup", baseline_warmup, 1 * D, 0, 30 * D),
	CI("consecutive_min_run", consecutive_min_run, 5, 2, 100000),
	CD("single_use_min_share", single_use_min_share, 0.8, 0, 1.01),
	CT("pace_window", pace_window, 30 * 60, 0, 2 * D),
	CI("reused_min", reused_min, 3, 1, 100000),
	CD("risky_outlet_score", risky_score, 60, 0, 101),
	CI("risky_outlet_boost", risky_boost, 15, 0, 30),
	CI("bulk_boost", bulk_boost, 20, 0, 30),
	CT("lookup_refresh", lookup_refresh, 10 * 60, 0, 1 * D),
	CT("doc_idle", doc_idle, 180 * D, 1 * H, 3650 * D),
	CT("group_idle", group_idle, 60 * D, 1 * H, 3650 * D),
	CI("max_window_entries", max_window_entries, 4096, 16, 1000000),
	CI("score_id_over_limit", score_id_behavioural, 75, 0, 100),
	CI("score_burst", score_burst_behavioural, 70, 0, 100),
	CI("score_structural", score_structural, 85, 0, 100),
	CI("score_risky_outlet", score_risky, 40, 0, 100),
};

#undef H
#undef D
#undef CI
#undef CD
#undef CT

static int bo_read_conf(const struct ss_config *cfg, struct bo_conf *c)
{
	for (size_t i = 0; i < sizeof(bo_cdefs) / sizeof(bo_cdefs[0]); i++) {
		const struct bo_cdef *d = &bo_cdefs[i];
		char *p = (char *)c + d->off;
		int rc;

		if (d->type == BO_C_INT) {
			int64_t v;
			rc = ss_config_int(cfg, "bulk_open", d->key, (int64_t)d->def, (int64_t)d->min,
					   (int64_t)d->max, &v);
			if (rc < 0)
				return rc;
			int iv = (int)v;
			memcpy(p, &iv, sizeof(iv));
		} else if (d->type == BO_C_DBL) {
			double v;
			rc = ss_config_double(cfg, "bulk_open", d->key, d->def, d->min, d->max, &v);
			if (rc < 0)
				return rc;
			memcpy(p, &v, sizeof(v));
		} else {
			int64_t us;
			rc = ss_config_duration(cfg, "bulk_open", d->key, (int64_t)(d->def * 1e6), &us);
			if (rc < 0)
				return rc;
			double s = (double)us / 1e6;
			if (s < d->min || s > d->max) {
				ss_error("%s: bulk_open.%s: out of range [%gs, %gs]", ss_config_path(cfg),
					 d->key, d->min, d->max);
				return -SS_ECONFIG;
			}
			uint32_t sv = (uint32_t)s;
			memcpy(p, &sv, sizeof(sv));
		}
	}
	if (c->block_cards < c->max_cards) {
		ss_error("%s: bulk_open.block_cards_per_id must be >= max_cards_per_id", ss_config_path(cfg));
		return -SS_ECONFIG;
	}
	return 0;
}

/* ---- identities ------------------------------------------------------------ */

static uint64_t bo_pack(const char *s)
{
	uint64_t v = 0;
	size_t n = 0;

	if (!s)
		return 0;
	for (; s[n]; n++) {
		if (s[n] < '0' || s[n] > '9' || n >= 15)
			return 0;
		v = v * 10 + (uint64_t)(s[n] - '0');
	}
	if (n == 0)
		return 0;
	return v | ((uint64_t)n << BO_LEN_SHIFT);
}

static void bo_render(uint64_t packed, char *buf, size_t size)
{
	int len = (int)(packed >> BO_LEN_SHIFT);
	uint64_t v = packed & BO_VAL_MASK;

	if (!packed || size < (size_t)len + 1) {
		if (size)
			buf[0] = '\0';
		return;
	}
	buf[len] = '\0';
	for (int i = len - 1; i >= 0; i--) {
		buf[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* ICCID without its Luhn check digit, last 18 digits: consecutive cards differ by 1. */
static uint64_t bo_iccid_body(const char *s)
{
	size_t n = strlen(s);
	uint64_t v = 0;

	if (n < 2)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	size_t start = n - 1 > 18 ? n - 1 - 18 : 0;
	for (size_t i = start; i < n - 1; i++)
		v = v * 10 + (uint64_t)(s[i] - '0');
	return v + 1; /* 0 means "none" */
}

static uint64_t bo_doc_key(const uint8_t *h)
{
	uint64_t k;
	memcpy(&k, h, sizeof(k));
	k = ss_hash_mix(k ^ ((uint64_t)NS_DOC << 60));
	return k ? k : 1;
}

static void bo_doc_hex(const uint8_t *h, char *out /* 33 */)
{
	static const char hx[] = "0123456789abcdef";
	for (int i = 0; i < EV_ID_HASH_SIZE; i++) {
		out[2 * i] = hx[h[i] >> 4];
		out[2 * i + 1] = hx[h[i] & 15];
	}
	out[2 * EV_ID_HASH_SIZE] = '\0';
}

static inline uint32_t bo_sec(ss_time_us t)
{
	return t <= 0 ? 0 : (uint32_t)(t / SS_US_PER_SEC);
}

/* ---- record pools ------------------------------------------------------------ */

static int bo_grow(void **arr, size_t elem, uint32_t *cap, uint32_t need)
{
	if (need <= *cap)
		return 0;
	uint32_t ncap = *cap ? *cap : 256;
	while (ncap < need)
		ncap = ncap + ncap / 2;
	void *p = realloc(*arr, (size_t)ncap * elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

static uint32_t bo_sim_alloc(struct bulk_open *b)
{
	uint32_t i;
	if (b->free_sim != BO_NONE) {
		i = b->free_sim;
		b->free_sim = b->sim[i].next;
	} else {
		if (bo_grow((void **)&b->sim, sizeof(*b->sim), &b->cap_sim, b->n_sim + 1) < 0)
			return BO_NONE;
		i = b->n_sim++;
	}
	memset(&b->sim[i], 0, sizeof(b->sim[i]));
	b->sim[i].flags = BO_SIM_LIVE;
	b->sim[i].doc = BO_NONE;
	b->sim[i].next = BO_NONE;
	b->live_sim++;
	return i;
}

static void bo_sim_free(struct bulk_open *b, uint32_t i)
{
	struct bo_sim *s = &b->sim[i];
	uint32_t v;
	if (s->msisdn && ss_idmap_get(&b->sim_by_msisdn, ss_hash_mix(s->msisdn), &v) && v == i)
		ss_idmap_del(&b->sim_by_msisdn, ss_hash_mix(s->msisdn));
	if (s->imsi && ss_idmap_get(&b->sim_by_imsi, ss_hash_mix(s->imsi), &v) && v == i)
		ss_idmap_del(&b->sim_by_imsi, ss_hash_mix(s->imsi));
	s->flags = 0;
	s->msisdn = s->imsi = 0;
	s->next = b->free_sim;
	b->free_sim = i;
	b->live_sim--;
}

static uint32_t bo_sim_find(const struct bulk_open *b, uint64_t msisdn, uint64_t imsi)
{
	uint32_t v;
	if (msisdn && ss_idmap_get(&b->sim_by_msisdn, ss_hash_mix(msisdn), &v))
		return v;
	if (imsi && ss_idmap_get(&b->sim_by_imsi, ss_hash_mix(imsi), &v))
		return v;
	return BO_NONE;
}

static uint32_t bo_doc_get(struct bulk_open *b, const uint8_t *hash, bool create)
{
	uint64_t key = bo_doc_key(hash);
	uint32_t i;
	if (ss_idmap_get(&b->doc_ix, key, &i))
		return i;
	if (!create)
		return BO_NONE;
	if (b->free_doc != BO_NONE) {
		i = b->free_doc;
		b->free_doc = b->doc[i].head;
	} else {
		if (bo_grow((void **)&b->doc, sizeof(*b->doc), &b->cap_doc, b->n_doc + 1) < 0)
			return BO_NONE;
		i = b->n_doc++;
	}
	if (ss_idmap_put(&b->doc_ix, key, i) < 0) {
		b->doc[i].head = b->free_doc;
		b->free_doc = i;
		return BO_NONE;
	}
	memset(&b->doc[i], 0, sizeof(b->doc[i]));
	memcpy(b->doc[i].hash, hash, EV_ID_HASH_SIZE);
	b->doc[i].head = BO_NONE;
	b->doc[i].live = 1;
	b->live_doc++;
	return i;
}

/* A document's open count or last activity changed: keep the eviction bounds. */
static inline void bo_doc_touch(struct bulk_open *b, const struct bo_doc *d)
{
	if (!d->live || d->open)
		return;
	uint64_t due = (uint64_t)d->last + b->c.doc_idle;
	if (due < b->doc_due_min)
		b->doc_due_min = due;
	if (d->last > b->doc_last_max)
		b->doc_last_max = d->last;
}

static uint32_t bo_group_get(struct bulk_open *b, enum bo_group_kind kind, const char *code, uint32_t t)
{
	uint64_t key = ss_idmap_key(code, kind == BO_OUTLET ? NS_OUTLET : NS_CHANNEL);
	uint32_t i;
	if (!key)
		return BO_NONE;
	if (ss_idmap_get(&b->grp_ix, key, &i))
		return i;
	if (b->free_grp != BO_NONE) {
		i = b->free_grp;
		b->free_grp = b->grp[i].next_free;
	} else {
		if (bo_grow((void **)&b->grp, sizeof(*b->grp), &b->cap_grp, b->n_grp + 1) < 0)
			return BO_NONE;
		i = b->n_grp++;
	}
	if (ss_idmap_put(&b->grp_ix, key, i) < 0) {
		b->grp[i].next_free = b->free_grp;
		b->free_grp = i;
		return BO_NONE;
	}
	struct bo_group *g = &b->grp[i];
	memset(g, 0, sizeof(*g));
	snprintf(g->code, sizeof(g->code), "%s", code);
	g->kind = (uint8_t)kind;
	g->live = 1;
	g->day = t / 86400;
	g->last_seen = t;
	g->first_seen = t;
	b->live_grp++;
	return i;
}

static void bo_group_free(struct bulk_open *b, uint32_t i)
{
	struct bo_group *g = &b->grp[i];
	ss_idmap_del(&b->grp_ix, ss_idmap_key(g->code, g->kind == BO_OUTLET ? NS_OUTLET : NS_CHANNEL));
	free(g->ent);
	memset(g, 0, sizeof(*g));
	g->next_free = b->free_grp;
	b->free_grp = i;
	b->live_grp--;
}

/* ---- findings ---------------------------------------------------------------- */

static void bo_finding_sim(struct det_finding *f, const struct event *ev, uint64_t msisdn, uint64_t imsi,
			   int score, enum det_strength strength)
{
	memset(f, 0, sizeof(*f));
	f->family = "bulk_open";
	f->subject.kind = DET_SUBJECT_SIM;
	bo_render(msisdn, f->subject.msisdn, sizeof(f->subject.msisdn));
	bo_render(imsi, f->subject.imsi, sizeof(f->subject.imsi));
	f->score = score > 100 ? 100 : score;
	f->strength = strength;
	f->event_time = ev->time;
	memcpy(f->evidence_record, ev->record_id, sizeof(f->evidence_record));
}

static void bo_finding_entity(struct det_finding *f, const struct event *ev, enum det_subject_kind kind,
			      const char *entity, int score, enum det_strength strength)
{
	memset(f, 0, sizeof(*f));
	f->family = "bulk_open";
	f->subject.kind = kind;
	snprintf(f->subject.entity, sizeof(f->subject.entity), "%s", entity);
	f->score = score > 100 ? 100 : score;
	f->strength = strength;
	f->event_time = ev->time;
	memcpy(f->evidence_record, ev->record_id, sizeof(f->evidence_record));
}

static void bo_emit(struct bulk_open *b, const struct det_finding *f)
{
	b->st.findings++;
	if (b->emit)
		b->emit(b->emit_ctx, f);
}

static void bo_mark(struct bulk_open *b, uint64_t msisdn, uint64_t imsi, uint32_t flags, unsigned boost)
{
	char ms[EV_MSISDN_SIZE], im[EV_IMSI_SIZE];
	if (!b->profile)
		return;
	bo_render(msisdn, ms, sizeof(ms));
	bo_render(imsi, im, sizeof(im));
	det_profile_mark(b->profile, im, ms, flags, boost);
}

/* ---- one ID document, many cards -------------------------------------------- */

static void bo_doc_unlink(struct bulk_open *b, uint32_t si)
{
	struct bo_sim *s = &b->sim[si];
	if (s->doc == BO_NONE)
		return;
	struct bo_doc *d = &b->doc[s->doc];
	uint32_t *pp = &d->head;
	while (*pp != BO_NONE && *pp != si)
		pp = &b->sim[*pp].next;
	if (*pp == si) {
		*pp = s->next;
		if (d->open)
			d->open--;
	}
	if (d->open <= b->c.max_cards)
		d->emitted = 0; /* back within the limit: a new excess is news again */
	s->doc = BO_NONE;
	s->next = BO_NONE;
	bo_doc_touch(b, d);
}

static void bo_doc_check(struct bulk_open *b, uint32_t di, const struct event *ev)
{
	struct bo_doc *d = &b->doc[di];
	const struct bo_conf *c = &b->c;
	unsigned recent = 0, burst = 0;
	uint32_t t = bo_sec(ev->time);

	if (d->open <= c->max_cards)
		return;
	for (uint32_t si = d->head; si != BO_NONE; si = b->sim[si].next) {
		const struct bo_sim *s = &b->sim[si];
		if (c->id_burst_window && t - s->opened <= c->id_burst_window)
			recent++;
		if (s->flags & BO_SIM_BURST)
			burst++;
	}
	bool many = d->open > c->block_cards;
	bool fast = c->id_burst_window && recent > (unsigned)c->max_cards;
	enum det_strength strength = many || fast || burst ? DET_STRUCTURAL : DET_BEHAVIOURAL;
	int score = c->score_id_behavioural;
	if (strength == DET_STRUCTURAL)
		score = c->score_structural + 5 * ((many ? 1 : 0) + (fast ? 1 : 0) + (burst ? 1 : 0) - 1);
	if (score > 95)
		score = 95;

	char hex[2 * EV_ID_HASH_SIZE + 1];
	bo_doc_hex(d->hash, hex);
	struct det_finding f;
	for (uint32_t si = d->head; si != BO_NONE; si = b->sim[si].next) {
		struct bo_sim *s = &b->sim[si];
		if (s->emitted >= (uint8_t)(strength + 1) || d->open <= s->cleared_n)
			continue;
		s->emitted = (uint8_t)(strength + 1);
		bo_finding_sim(&f, ev, s->msisdn, s->imsi, score, strength);
		det_reason_add(&f, "bulk_open.id_over_limit",
			       "ID document %.8s… (keyed hash) has %u open personal cards, limit %d%s%s%s",
			       hex, d->open, c->max_cards, fast ? "; opened in one day" : "",
			       many ? "; beyond the block limit" : "",
			       burst ? "; cards from an opening burst" : "");
		bo_emit(b, &f);
		bo_mark(b, s->msisdn, s->imsi, DET_PROFILE_BULK_ORIGIN, (unsigned)c->bulk_boost);
	}
	if (d->emitted < (uint8_t)(strength + 1)) {
		d->emitted = (uint8_t)(strength + 1);
		bo_finding_entity(&f, ev, DET_SUBJECT_IDDOC, hex, score, strength);
		det_reason_add(&f, "bulk_open.id_over_limit", "%u open personal cards on one ID document, limit %d",
			       d->open, c->max_cards);
		bo_emit(b, &f);
	}
}

/* A personal opening with a document.  Returns the SIM index (BO_NONE if untracked). */
static uint32_t bo_doc_open_(struct bulk_open *b, const struct event *ev, uint64_t ms, uint64_t im, uint32_t *doc_out)
{
	uint32_t t = bo_sec(ev->time);
	uint32_t di = bo_doc_get(b, ev->id_doc_hash, true);
	*doc_out = di;
	if (di == BO_NONE)
		return BO_NONE;
	struct bo_doc *d = &b->doc[di];
	if (d->total < UINT16_MAX)
		d->total++;
	d->last = t;

	uint32_t si = bo_sim_find(b, ms, im);
	if (si != BO_NONE && b->sim[si].doc == di)
		return si; /* re-sent opening */
	if (si != BO_NONE) {
		bo_doc_unlink(b, si); /* re-registered on another document */
	} else {
		si = bo_sim_alloc(b);
		if (si == BO_NONE)
			return BO_NONE;
	}
	struct bo_sim *s = &b->sim[si];
	s->msisdn = ms ? ms : s->msisdn;
	s->imsi = im ? im : s->imsi;
	s->opened = t;
	s->emitted = 0;
	s->cleared_n = 0;
	s->flags = BO_SIM_LIVE;
	if ((s->msisdn && ss_idmap_put(&b->sim_by_msisdn, ss_hash_mix(s->msisdn), si) < 0) ||
	    (s->imsi && ss_idmap_put(&b->sim_by_imsi, ss_hash_mix(s->imsi), si) < 0)) {
		bo_sim_free(b, si);
		return BO_NONE;
	}
	s->doc = di;
	s->next = d->head;
	d->head = si;
	if (d->open < UINT16_MAX)
		d->open++;
	return si;
}

static uint32_t bo_doc_open(struct bulk_open *b, const struct event *ev, uint64_t ms, uint64_t im, uint32_t *doc_out)
{
	uint32_t si = bo_doc_open_(b, ev, ms, im, doc_out);
	if (*doc_out != BO_NONE)
		bo_doc_touch(b, &b->doc[*doc_out]);
	return si;
}

/* ---- bursts ------------------------------------------------------------------ */

static inline double bo_alpha(uint32_t days_seen, const struct bo_conf *c)
{
	/* Mean over the first days, then an EWMA with a baseline_days constant. */
	return days_seen + 1 < c->baseline_days ? 1.0 / (days_seen + 1) : 1.0 / c->baseline_days;
}

/* The learnt daily rate as of @day, days not yet folded included (no state change). */
static double bo_rate_now(const struct bo_group *g, uint32_t day, const struct bo_conf *c)
{
	double r = g->rate, cnt = g->day_count;
	if (g->day < day) {
		/* What bo_baseline_add() will fold: the last counted day, then zeros. */
		r += bo_alpha(g->days_seen, c) * (cnt - r);
		cnt = 0;
		uint32_t gap = day - g->day - 1;
		if (gap)
			r *= pow(1.0 - 1.0 / c->baseline_days, gap > 3650 ? 3650 : gap);
	}
	/* Today's openings already out of the window are a lower bound on today's rate. */
	if (day == g->day && cnt > r)
		r = cnt;
	return r;
}

/* Fold one opening that left the window into the baseline. */
static void bo_baseline_add(struct bo_group *g, uint32_t t, const struct bo_conf *c)
{
	uint32_t day = t / 86400;
	if (day > g->day) {
		g->rate += bo_alpha(g->days_seen, c) * ((double)g->day_count - g->rate);
		if (g->days_seen < UINT16_MAX)
			g->days_seen++;
		g->day_count = 0;
		g->day++;
		/* Days without openings: a zero each (closed form past the first). */
		if (day > g->day) {
			uint32_t gap = day - g->day;
			g->rate *= pow(1.0 - 1.0 / c->baseline_days, gap > 3650 ? 3650 : gap);
			g->days_seen = (uint16_t)(g->days_seen + gap > UINT16_MAX ? UINT16_MAX : g->days_seen + gap);
			g->day = day;
		}
	}
	if (day == g->day)
		g->day_count++;
}

static uint32_t bo_window_start(const struct bo_group *g, uint32_t t, uint32_t window)
{
	uint32_t i = 0;
	while (i < g->n && t - g->ent[i].t >= window && g->ent[i].t <= t)
		i++;
	return i;
}

/*
 * Drop entries older than the window, unless a burst holds them (a strength
 * upgrade still reaches them); a burst ends when its window holds fewer than
 * half of burst_min_openings.  Every opening enters the baseline when it
 * leaves, burst members too: a mistaken burst at a busy outlet then raises
 * its baseline instead of repeating itself every day.
 */
static void bo_expire(struct bulk_open *b, struct bo_group *g, uint32_t t)
{
	uint32_t first = bo_window_start(g, t, b->c.window);
	if (g->burst) {
		if ((g->n - first) * 2 >= (uint32_t)b->c.burst_min && g->n > first)
			return;
		g->burst = 0;
		g->emitted = 0;
		b->n_burst--;
	}
	if (first == 0)
		return;
	for (uint32_t i = 0; i < first; i++)
		bo_baseline_add(g, g->ent[i].t, &b->c);
	memmove(g->ent, g->ent + first, (size_t)(g->n - first) * sizeof(*g->ent));
	g->n -= first;
}

static int bo_u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/*
 * Runs of values differing by 1 among @n values (sorted and de-duplicated
 * here).  The values of runs of at least @min_run are moved to the front of
 * @v, still sorted; returns how many, and the longest run in *@longest.
 */
static uint32_t bo_runs(uint64_t *v, uint32_t n, unsigned min_run, unsigned *longest)
{
	uint32_t m = 0, k = 0;
	*longest = 0;
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), bo_u64_cmp);
	for (uint32_t i = 0; i < n; i++)
		if (m == 0 || v[i] != v[m - 1])
			v[m++] = v[i];
	for (uint32_t s = 0; s < m;) {
		uint32_t e = s + 1;
		while (e < m && v[e] == v[e - 1] + 1)
			e++;
		if (e - s > *longest)
			*longest = e - s;
		if (e - s >= min_run) {
			memmove(v + k, v + s, (size_t)(e - s) * sizeof(*v));
			k += e - s;
		}
		s = e;
	}
	return k;
}

static bool bo_member(const uint64_t *v, uint32_t n, uint64_t x)
{
	return x && n && bsearch(&x, v, n, sizeof(*v), bo_u64_cmp) != NULL;
}

enum { BO_RUN_MSISDN, BO_RUN_IMSI, BO_RUN_ICCID1, BO_RUN_ICCID2, BO_RUN_KINDS };

/* The value an entry has in run kind @k (0 = none). */
static uint64_t bo_run_value(const struct bo_entry *x, int k)
{
	switch (k) {
	case BO_RUN_MSISDN:
		return x->msisdn & BO_VAL_MASK;
	case BO_RUN_IMSI:
		return x->imsi & BO_VAL_MASK;
	case BO_RUN_ICCID1:
		return x->iccid;
	default:
		return x->iccid ? (x->iccid - 1) / 10 + 1 : 0;
	}
}

struct bo_burst_eval {
	uint32_t n_window;  /* openings in the window */
	double expected;    /* baseline openings for a window */
	double threshold;
	/* Number runs: MSISDN, IMSI, ICCID (one / two trailing check digits dropped). */
	unsigned run[BO_RUN_KINDS];
	const uint64_t *members[BO_RUN_KINDS]; /* values in long enough runs, sorted */
	uint32_t n_members[BO_RUN_KINDS];
	unsigned with_doc, single_use, over_limit;
	unsigned pace; /* most openings within pace_window */
	bool consecutive, single, reused;
	enum det_strength strength;
	int score;
};

static void bo_burst_eval(struct bulk_open *b, struct bo_group *g, uint32_t first, uint32_t t,
			  struct bo_burst_eval *e)
{
	const struct bo_conf *c = &b->c;
	memset(e, 0, sizeof(*e));
	e->n_window = g->n - first;
	e->expected = fmax(bo_rate_now(g, t / 86400, c), c->baseline_floor) *
		      fmin(1.0, (double)c->window / BO_BUSINESS_DAY);
	e->threshold = fmax((double)c->burst_min, c->burst_ratio * e->expected);
	if (!g->burst && e->n_window < e->threshold)
		return;

	/* Evidence over everything the burst holds (members and the window). */
	uint32_t from = g->burst ? 0 : first;
	uint32_t n = g->n - from;
	if (bo_grow((void **)&b->scratch, sizeof(*b->scratch), &b->cap_scratch, BO_RUN_KINDS * n) < 0)
		return;
	for (int r = 0; r < BO_RUN_KINDS; r++) {
		uint64_t *v = b->scratch + (size_t)r * n;
		uint32_t k = 0;
		for (uint32_t i = from; i < g->n; i++) {
			uint64_t x = bo_run_value(&g->ent[i], r);
			if (x)
				v[k++] = x;
		}
		e->n_members[r] = bo_runs(v, k, (unsigned)c->consecutive_min_run, &e->run[r]);
		e->members[r] = v;
	}
	uint32_t lo = from, marked = from;
	for (uint32_t i = from; i < g->n; i++)
		g->ent[i].flags &= (uint8_t)~BO_ENT_PACED;
	for (uint32_t i = from; i < g->n; i++) {
		const struct bo_entry *en = &g->ent[i];
		while (lo < i && en->t - g->ent[lo].t >= c->pace_window)
			lo++;
		if (i - lo + 1 > e->pace)
			e->pace = i - lo + 1;
		if (i - lo + 1 >= (uint32_t)c->burst_min) {
			/* Every opening of a machine-paced stretch (linear: marked only advances). */
			for (uint32_t j = marked > lo ? marked : lo; j <= i; j++)
				g->ent[j].flags |= BO_ENT_PACED;
			marked = i + 1;
		}
		if (en->doc == BO_NONE)
			continue;
		e->with_doc++;
		const struct bo_doc *d = &b->doc[en->doc];
		if (d->total == 1)
			e->single_use++;
		if (d->open > c->max_cards)
			e->over_limit++;
	}
	for (int r = 0; r < BO_RUN_KINDS; r++)
		if (e->run[r] >= (unsigned)c->consecutive_min_run)
			e->consecutive = true;
	e->reused = e->over_limit >= (unsigned)c->reused_min;
	/* Bought identities: fresh documents each used once, at a pace no real-name desk keeps. */
	e->single = e->with_doc >= (unsigned)c->burst_min &&
		    e->single_use >= c->single_use_min_share * e->with_doc && e->pace >= (unsigned)c->burst_min;
	int kinds = (e->consecutive ? 1 : 0) + (e->reused ? 1 : 0) + (e->single ? 1 : 0);
	/*
	 * An outlet seen for less than baseline_warmup has no baseline: the
	 * floor would make any busy shop a burst.  Until it has one, only a
	 * burst with structural evidence counts.
	 */
	if (!g->burst && !kinds && t - g->first_seen < c->baseline_warmup) {
		e->n_window = 0;
		return;
	}
	if (kinds) {
		e->strength = DET_STRUCTURAL;
		e->score = c->score_structural - 5 + 5 * kinds;
		if (e->n_window >= 2 * e->threshold)
			e->score += 5;
		if (e->score > 95)
			e->score = 95;
	} else {
		e->strength = DET_BEHAVIOURAL;
		e->score = c->score_burst_behavioural;
	}
}

static void bo_burst_reasons(struct det_finding *f, const struct bo_group *g, const struct bo_burst_eval *e,
			     const struct bo_conf *c)
{
	det_reason_add(f, "bulk_open.outlet_burst", "%s %s: %u personal openings in %u min, baseline %.1f (needs %.0f)",
		       g->kind == BO_OUTLET ? "outlet" : "channel", g->code, e->n_window, c->window / 60,
		       e->expected, e->threshold);
	if (e->consecutive)
		det_reason_add(f, "bulk_open.consecutive_numbers",
			       "longest runs of consecutive numbers: %u MSISDNs, %u IMSIs, %u ICCIDs", e->run[BO_RUN_MSISDN],
			       e->run[BO_RUN_IMSI],
			       e->run[BO_RUN_ICCID1] > e->run[BO_RUN_ICCID2] ? e->run[BO_RUN_ICCID1] : e->run[BO_RUN_ICCID2]);
	if (e->single)
		det_reason_add(f, "bulk_open.single_use_ids",
			       "%u of %u ID documents used once only; %u openings within %u min", e->single_use,
			       e->with_doc, e->pace, c->pace_window / 60);
	if (e->reused)
		det_reason_add(f, "bulk_open.id_over_limit", "%u burst openings on ID documents over the limit of %d",
			       e->over_limit, c->max_cards);
}

static void bo_group_open(struct bulk_open *b, uint32_t gi, const struct event *ev, uint64_t ms, uint64_t im,
			  uint32_t di, uint32_t si)
{
	const struct bo_conf *c = &b->c;
	uint32_t t = bo_sec(ev->time);
	struct bo_group *g = &b->grp[gi];

	g->last_seen = t;
	bo_expire(b, g, t);
	if (g->n >= (uint32_t)c->max_window_entries) {
		/* Full: forget the oldest (already reported if it was a member). */
		bo_baseline_add(g, g->ent[0].t, c);
		memmove(g->ent, g->ent + 1, (size_t)(g->n - 1) * sizeof(*g->ent));
		g->n--;
	}
	if (bo_grow((void **)&g->ent, sizeof(*g->ent), &g->cap, g->n + 1) < 0)
		return;
	struct bo_entry *en = &g->ent[g->n++];
	memset(en, 0, sizeof(*en));
	en->msisdn = ms;
	en->imsi = im;
	en->iccid = ev->iccid[0] ? bo_iccid_body(ev->iccid) : 0;
	en->t = t;
	en->doc = di;
	en->sim = si;

	uint32_t first = bo_window_start(g, t, c->window);
	struct bo_burst_eval e;
	bo_burst_eval(b, g, first, t, &e);
	if (!g->burst && e.n_window < e.threshold)
		return;
	if (!g->burst) {
		g->burst = 1;
		g->burst_since = t;
		b->n_burst++;
		/* Openings that left the window before the burst stay as they were. */
		if (first > 0) {
			for (uint32_t i = 0; i < first; i++)
				bo_baseline_add(g, g->ent[i].t, c);
			memmove(g->ent, g->ent + first, (size_t)(g->n - first) * sizeof(*g->ent));
			g->n -= first;
		}
	}

	struct det_finding f;
	uint8_t want = (uint8_t)(e.strength + 1);
	for (uint32_t i = 0; i < g->n; i++) {
		struct bo_entry *x = &g->ent[i];
		x->flags |= BO_ENT_MEMBER;
		if (x->emitted >= want || (x->flags & BO_ENT_CLEARED))
			continue;
		bool own = false;
		for (int r = 0; r < BO_RUN_KINDS && !own; r++)
			own = bo_member(e.members[r], e.n_members[r], bo_run_value(x, r));
		own = own || (x->doc != BO_NONE && b->doc[x->doc].open > c->max_cards) ||
			   (e.single && g->kind == BO_OUTLET && (x->flags & BO_ENT_PACED) && x->doc != BO_NONE &&
			    b->doc[x->doc].total == 1);
		/*
		 * A channel's window mixes the customers of all its shops: only
		 * SIMs that are themselves part of the evidence (in a consecutive
		 * run, on an over-limit document) are reported from it.  Its pace
		 * is the sum of its shops' and every customer brings a fresh
		 * document, so bought identities are judged per outlet only.
		 */
		if (g->kind == BO_CHANNEL && !own)
			continue;
		/*
		 * At an outlet, a card outside a structural burst's evidence is a
		 * customer who walked in during it: weak (monitor) and marked as
		 * from a risky outlet, so its own later behaviour escalates.  In a
		 * burst without structural evidence nothing tells the cards apart:
		 * all of them are behavioural (re-verification).
		 */
		enum det_strength st = e.strength;
		int score = e.score;
		if (st == DET_STRUCTURAL && !own) {
			st = DET_WEAK;
			score = c->score_risky;
		}
		if (x->emitted >= (uint8_t)(st + 1))
			continue;
		x->emitted = (uint8_t)(st + 1);
		bo_finding_sim(&f, ev, x->msisdn, x->imsi, score, st);
		if (st == e.strength)
			bo_burst_reasons(&f, g, &e, c);
		else
			det_reason_add(&f, "bulk_open.outlet_burst",
				       "outlet %s: %u personal openings in %u min, baseline %.1f; this card is not part "
				       "of the burst's evidence (number run, reused or bought documents)",
				       g->code, e.n_window, c->window / 60, e.expected);
		bo_emit(b, &f);
		if (st == DET_STRUCTURAL) {
			bo_mark(b, x->msisdn, x->imsi, DET_PROFILE_BULK_ORIGIN, (unsigned)c->bulk_boost);
			if (x->sim != BO_NONE && x->sim < b->n_sim && (b->sim[x->sim].flags & BO_SIM_LIVE) &&
			    b->sim[x->sim].msisdn == x->msisdn) {
				b->sim[x->sim].flags |= BO_SIM_BURST;
				/* An over-limit document with burst cards is structural now. */
				if (b->sim[x->sim].doc != BO_NONE)
					bo_doc_check(b, b->sim[x->sim].doc, ev);
			}
		} else {
			bo_mark(b, x->msisdn, x->imsi, DET_PROFILE_RISKY_OUTLET, (unsigned)c->risky_boost);
		}
	}
	if (g->emitted < want) {
		g->emitted = want;
		/*
		 * A channel is a company with many shops: its reputation from
		 * bursts stays below risky_outlet_score (weak, capped at 50), so
		 * one bad shop does not mark every card the chain sells; lists
		 * can still make a channel risky.
		 */
		if (g->kind == BO_OUTLET)
			bo_finding_entity(&f, ev, DET_SUBJECT_OUTLET, g->code, e.score, e.strength);
		else
			bo_finding_entity(&f, ev, DET_SUBJECT_CHANNEL, g->code, e.score < 50 ? e.score : 50, DET_WEAK);
		bo_burst_reasons(&f, g, &e, c);
		bo_emit(b, &f);
		if (g->kind == BO_OUTLET && g->channel[0]) {
			bo_finding_entity(&f, ev, DET_SUBJECT_CHANNEL, g->channel, e.score < 50 ? e.score : 50,
					  DET_WEAK);
			bo_burst_reasons(&f, g, &e, c);
			bo_emit(b, &f);
		}
	}
}

/* ---- risky outlets --------------------------------------------------------------- */

static bool bo_group_risky(struct bulk_open *b, struct bo_group *g, ss_time_us now)
{
	uint32_t t = bo_sec(now);
	if (!b->lookup)
		return false;
	if (g->looked && t - g->lookup_at < b->c.lookup_refresh)
		return g->risky;
	struct det_lookup_result r;
	g->looked = 1;
	g->lookup_at = t;
	g->risky = 0;
	int rc = b->lookup(b->lookup_ctx, g->kind == BO_OUTLET ? DET_KEY_OUTLET : DET_KEY_CHANNEL, g->code, 0, now, &r);
	if (rc < 0 || r.list == DET_LIST_WHITE)
		return false;
	if (r.list == DET_LIST_BLACK || r.list == DET_LIST_GRAY) {
		g->risky = 1;
		snprintf(g->risky_detail, sizeof(g->risky_detail), "%s list%s%.31s",
			 r.list == DET_LIST_BLACK ? "black" : "gray", r.source[0] ? " " : "", r.source);
	} else if (r.score >= b->c.risky_score) {
		g->risky = 1;
		snprintf(g->risky_detail, sizeof(g->risky_detail), "reputation score %.0f", r.score);
	}
	return g->risky;
}

static void bo_risky_check(struct bulk_open *b, const struct event *ev, uint64_t ms, uint64_t im, uint32_t go,
			   uint32_t gc)
{
	struct bo_group *hit[2];
	int n = 0;
	if (go != BO_NONE && bo_group_risky(b, &b->grp[go], ev->time))
		hit[n++] = &b->grp[go];
	if (gc != BO_NONE && bo_group_risky(b, &b->grp[gc], ev->time))
		hit[n++] = &b->grp[gc];
	if (!n)
		return;
	struct det_finding f;
	bo_finding_sim(&f, ev, ms, im, b->c.score_risky, DET_WEAK);
	for (int i = 0; i < n; i++)
		det_reason_add(&f, "bulk_open.risky_outlet", "opened at %s %s: %s",
			       hit[i]->kind == BO_OUTLET ? "outlet" : "channel", hit[i]->code, hit[i]->risky_detail);
	bo_emit(b, &f);
	bo_mark(b, ms, im, DET_PROFILE_RISKY_OUTLET, (unsigned)b->c.risky_boost);
}

/* ---- events ------------------------------------------------------------------------ */

static void bo_maint(struct bulk_open *b, uint32_t t);

static void bo_close(struct bulk_open *b, const struct event *ev)
{
	uint32_t si = bo_sim_find(b, bo_pack(ev->msisdn), bo_pack(ev->imsi));
	if (si == BO_NONE)
		return;
	uint32_t di = b->sim[si].doc;
	bo_doc_unlink(b, si);
	if (di != BO_NONE) {
		b->doc[di].last = bo_sec(ev->time);
		bo_doc_touch(b, &b->doc[di]);
	}
	bo_sim_free(b, si);
}

static void bulk_open_on_event(void *state, const struct event *ev)
{
	struct bulk_open *b = state;
	uint32_t t = bo_sec(ev->time);

	if (ev->kind != EV_ACTIVATION)
		return;
	b->st.events++;
	if (t > b->now)
		b->now = t;
	if (!b->next_maint)
		b->next_maint = t + 3600;

	uint64_t ms = bo_pack(ev->msisdn), im = bo_pack(ev->imsi);
	if (ev->activation == EV_ACT_CLOSE) {
		bo_close(b, ev);
		return;
	}
	if (ev->activation == EV_ACT_SWAP) {
		uint32_t si = bo_sim_find(b, ms, 0);
		if (si != BO_NONE && im && b->sim[si].imsi != im) {
			uint32_t v;
			uint64_t old = b->sim[si].imsi;
			if (old && ss_idmap_get(&b->sim_by_imsi, ss_hash_mix(old), &v) && v == si)
				ss_idmap_del(&b->sim_by_imsi, ss_hash_mix(old));
			b->sim[si].imsi = im;
			ss_idmap_put(&b->sim_by_imsi, ss_hash_mix(im), si);
		}
		return;
	}
	if (ev->activation != EV_ACT_OPEN || (!ms && !im))
		return;

	bool enterprise = ev->id_type == EV_IDTYPE_ENTERPRISE;
	uint32_t di = BO_NONE, si = BO_NONE;
	if (!enterprise && ev->id_doc_present)
		si = bo_doc_open(b, ev, ms, im, &di);
	else if (enterprise) {
		/* An enterprise card replacing a personal one leaves that document. */
		uint32_t old = bo_sim_find(b, ms, im);
		if (old != BO_NONE) {
			bo_doc_unlink(b, old);
			bo_sim_free(b, old);
		}
	}

	uint32_t go = ev->outlet[0] ? bo_group_get(b, BO_OUTLET, ev->outlet, t) : BO_NONE;
	uint32_t gc = ev->channel[0] ? bo_group_get(b, BO_CHANNEL, ev->channel, t) : BO_NONE;
	if (go != BO_NONE && ev->channel[0])
		snprintf(b->grp[go].channel, sizeof(b->grp[go].channel), "%s", ev->channel);

	bo_risky_check(b, ev, ms, im, go, gc);
	if (di != BO_NONE)
		bo_doc_check(b, di, ev);
	if (!enterprise) {
		/* Enterprise batches are declared bulk: never part of a burst. */
		if (go != BO_NONE)
			bo_group_open(b, go, ev, ms, im, di, si);
		if (gc != BO_NONE)
			bo_group_open(b, gc, ev, ms, im, di, si);
	} else {
		if (go != BO_NONE)
			b->grp[go].last_seen = t;
		if (gc != BO_NONE)
			b->grp[gc].last_seen = t;
	}
	if (t >= b->next_maint)
		bo_maint(b, t);
}

/* ---- housekeeping ------------------------------------------------------------------ */

static void bo_maint(struct bulk_open *b, uint32_t t)
{
	const struct bo_conf *c = &b->c;
	b->next_maint = t + 3600;
	/* Most runs: every document still has open cards, or none is idle long enough. */
	bool sweep_docs = t >= b->doc_due_min || t < b->doc_last_max;
	if (sweep_docs) {
		b->doc_due_min = UINT64_MAX;
		b->doc_last_max = 0;
	}
	for (uint32_t i = 0; sweep_docs && i < b->n_doc; i++) {
		struct bo_doc *d = &b->doc[i];
		if (!d->live || d->open)
			continue;
		if (t - d->last < c->doc_idle) {
			bo_doc_touch(b, d); /* stays: part of the new bounds */
			continue;
		}
		ss_idmap_del(&b->doc_ix, bo_doc_key(d->hash));
		d->live = 0;
		d->head = b->free_doc;
		b->free_doc = i;
		b->live_doc--;
		b->st.evictions++;
	}
	for (uint32_t i = 0; i < b->n_grp; i++) {
		struct bo_group *g = &b->grp[i];
		if (!g->live)
			continue;
		bo_expire(b, g, t);
		if (g->n == 0 && t - g->last_seen >= c->group_idle) {
			bo_group_free(b, i);
			b->st.evictions++;
		} else if (g->n == 0 && g->cap > 16) {
			free(g->ent);
			g->ent = NULL;
			g->cap = 0;
		}
	}
}

static void bulk_open_tick(void *state, ss_time_us now)
{
	struct bulk_open *b = state;
	uint32_t t = bo_sec(now);
	if (t > b->now)
		b->now = t;
	/* Windows end on the input clock even when an outlet goes quiet. */
	for (uint32_t i = 0; i < b->n_grp; i++)
		if (b->grp[i].live && b->grp[i].n)
			bo_expire(b, &b->grp[i], t);
	if (b->next_maint && t >= b->next_maint)
		bo_maint(b, t);
}

/*
 * reset_subject (appeal, reverify_ok, and before a close): the card still
 * exists, so it keeps counting on its document, but the SIM is not flagged
 * again for the same evidence: only when its document gains more cards, or
 * in a new burst.
 */
static void bulk_open_reset_subject(void *state, const struct det_subject *subj)
{
	struct bulk_open *b = state;
	if (subj->kind != DET_SUBJECT_SIM)
		return;
	uint64_t ms = bo_pack(subj->msisdn), im = bo_pack(subj->imsi);
	uint32_t si = bo_sim_find(b, ms, im);
	if (si != BO_NONE) {
		struct bo_sim *s = &b->sim[si];
		if (!ms)
			ms = s->msisdn;
		s->cleared_n = s->doc != BO_NONE ? b->doc[s->doc].open : 0;
		s->emitted = 0;
		s->flags &= (uint8_t)~BO_SIM_BURST;
	}
	/* Only burst members are ever reported again; most resets find no burst at all. */
	for (uint32_t i = 0; b->n_burst && i < b->n_grp; i++) {
		struct bo_group *g = &b->grp[i];
		for (uint32_t j = 0; g->live && g->burst && j < g->n; j++)
			if ((ms && g->ent[j].msisdn == ms) || (im && g->ent[j].imsi == im))
				g->ent[j].flags |= BO_ENT_CLEARED;
	}
}

static void bulk_open_stats(const void *state, struct det_stats *out)
{
	const struct bulk_open *b = state;
	uint64_t ent = 0;
	*out = b->st;
	out->subjects = (uint64_t)b->live_sim + b->live_doc + b->live_grp;
	for (uint32_t i = 0; i < b->n_grp; i++)
		ent += b->grp[i].cap;
	out->state_bytes = sizeof(*b) + (uint64_t)b->cap_sim * sizeof(struct bo_sim) +
			   (uint64_t)b->cap_doc * sizeof(struct bo_doc) + (uint64_t)b->cap_grp * sizeof(struct bo_group) +
			   ent * sizeof(struct bo_entry) + (uint64_t)b->cap_scratch * sizeof(uint64_t) +
			   ss_idmap_bytes(&b->sim_by_msisdn) + ss_idmap_bytes(&b->sim_by_imsi) +
			   ss_idmap_bytes(&b->doc_ix) + ss_idmap_bytes(&b->grp_ix);
}

static void bulk_open_fini(void *state)
{
	struct bulk_open *b = state;
	if (!b)
		return;
	for (uint32_t i = 0; i < b->n_grp; i++)
		free(b->grp[i].ent);
	free(b->grp);
	free(b->sim);
	free(b->doc);
	free(b->scratch);
	ss_idmap_free(&b->sim_by_msisdn);
	ss_idmap_free(&b->sim_by_imsi);
	ss_idmap_free(&b->doc_ix);
	ss_idmap_free(&b->grp_ix);
	free(b);
}

static int bulk_open_init(void **state, const struct det_env *env)
{
	struct bulk_open *b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	int rc = bo_read_conf(env ? env->config : NULL, &b->c);
	if (rc < 0) {
		free(b);
		return rc;
	}
	if (env) {
		b->emit = env->emit;
		b->emit_ctx = env->emit_ctx;
		b->profile = env->profile;
		b->lookup = env->lookup;
		b->lookup_ctx = env->lookup_ctx;
	}
	b->free_sim = b->free_doc = b->free_grp = BO_NONE;
	b->doc_due_min = UINT64_MAX;
	ss_idmap_init(&b->sim_by_msisdn);
	ss_idmap_init(&b->sim_by_imsi);
	ss_idmap_init(&b->doc_ix);
	ss_idmap_init(&b->grp_ix);
	*state = b;
	return 0;
}

const struct det_detector det_bulk_open = {
	.name = "bulk_open",
	.summary = "bulk SIM opening: more than 5 open cards on one ID document, opening bursts at an "
		   "outlet or channel (consecutive numbers, bought identities), risky outlets",
	.event_mask = EV_MASK(EV_ACTIVATION),
	.init = bulk_open_init,
	.on_event = bulk_open_on_event,
	.tick = bulk_open_tick,
	.reset_subject = bulk_open_reset_subject,
	.stats = bulk_open_stats,
	.fini = bulk_open_fini,
};
