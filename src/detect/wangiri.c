/*
 * wangiri.c - ring-and-drop calling numbers (呼通即停; reason family
 * "wangiri"; docs/detect-roaming-wangiri.md).
 *
 * A wangiri number rings many of our subscribers for a second or two and
 * hangs up, hoping they call back (a premium-rate or scam line).  The
 * finding is about the CALLING number (DET_SUBJECT_NUMBER), never about the
 * subscribers it rang: blocking it means intercepting its calls.
 *
 * Inputs:
 *  - MT voice CDRs at our subscribers: other_party is the caller;
 *  - signalling call attempts (ISUP IAM, SIP INVITE: EV_CALL from a capture,
 *    no IMSI) from a foreign calling number to a home number: msisdn is the
 *    caller, other_party the subscriber.  No answer is seen there, so they
 *    count as unanswered; only international callers are taken this way;
 *  - MO voice CDRs of our subscribers to a number already found: the
 *    callback lure.
 *
 * Rule (defaults): >= 30 distinct subscribers rung within the window (30
 * min, two 15-min halves: the effective span is 15-30 min) and >= 90 % of
 * the calls unanswered or at most 5 s.  International callers (not +86) and
 * domestic ones ringing >= 60 distinct subscribers are STRUCTURAL 85 (block
 * = intercept); other domestic ones WEAK 70 (monitor).  A bank or delivery
 * call centre has a third or more of its calls answered with real
 * durations and never gets there.  Short codes and service numbers (fewer
 * than 7 digits, +86 95xxx, 100xx, 106xx, 12xxx, 400/800) are never tracked.
 *
 * Memory: a number is tracked only after an unanswered or seconds-long call
 * (answered calls from untracked numbers cost one lookup); 96 bytes each,
 * evicted idle_evict after its last call (flagged numbers flagged_ttl, for
 * callbacks), at most max_numbers.  Distinct subscribers: a 128-bit
 * linear-counting bitmap per half window.
 */
#include "detect/areas.h"
#include "detect/detect.h"

#include "core/err.h"
#include "core/hash.h"
#include "core/idmap.h"
#include "core/log.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_NUMBER 3

#define WG_FLAGGED 0x01u
#define WG_INTL 0x02u

struct wg_num {
	uint64_t key;		/* idmap key of the number */
	uint64_t callee[2][2];	/* 128-bit distinct subscribers, [0] = current half */
	uint64_t cb;		/* 64-bit distinct subscribers who called back */
	uint32_t last_seen;	/* seconds */
	uint16_t half;
	uint16_t calls[2], bad[2];
	uint16_t cb_calls;
	uint8_t flags, base, base_strength, last_score, last_strength;
	char number[16];	/* E.164 digits */
	uint8_t pad[5];
};

struct wg_conf {
	char home_cc[4];
	char exempt[16][8];
	int n_exempt;
	size_t home_cc_len, exempt_len[16]; /* strlen() of each, for wg_classify() */
	uint32_t window, idle_evict, flagged_ttl;
	int min_distinct, domestic_min_distinct, ring_secs, callback_min_callers, max_numbers;
	double min_bad_share;
	int score_international, score_domestic, score_domestic_clear, score_callback;
	int monitor_threshold, score_step;
};

struct wangiri {
	struct wg_conf c;
	det_emit_fn emit;
	void *emit_ctx;
	struct wg_num *num;
	uint32_t n, cap, n_flagged;
	struct ss_idmap ix;
	uint32_t next_sweep;
	/*
	 * A filter of the tracked numbers by their last 6 digits (one bit each,
	 * rebuilt when a sweep removes numbers).  Normalisation only rewrites a
	 * number's prefix, so a raw calling number of 8 or more characters whose
	 * bit is clear is not tracked - without normalising or hashing it: most
	 * calls are answered calls from numbers never seen ringing.
	 */
	uint64_t tails[1024];
	float lc128[129], lc64[65];
	struct det_stats st;
	uint64_t skipped_full;
};

/* ---- configuration ------------------------------------------------------ */

static int conf_int(const struct ss_config *cfg, const char *key, int def, int lo, int hi, int *out)
{
	int64_t v;
	int rc = ss_config_int(cfg, "wangiri", key, def, lo, hi, &v);
	*out = (int)v;
	return rc;
}

static int conf_dur(const struct ss_config *cfg, const char *key, double def_s, double lo, double hi,
		    uint32_t *out)
{
	int64_t us;
	int rc = ss_config_duration(cfg, "wangiri", key, (int64_t)(def_s * 1e6), &us);
	if (rc < 0)
		return rc;
	double s = (double)us / 1e6;
	if (s < lo || s > hi) {
		ss_error("%s: wangiri.%s: out of range [%gs, %gs]", ss_config_path(cfg), key, lo, hi);
		return -SS_ECONFIG;
	}
	*out = (uint32_t)s;
	return 0;
}

static int wg_read_conf(const struct ss_config *cfg, struct wg_conf *c)
{
	const char *cc, *ex;
	int rc = 0;

	rc |= ss_config_string(cfg, "wangiri", "home_cc", "86", &cc);
	rc |= ss_config_string(cfg, "wangiri", "exempt_prefixes", "95,96,100,101,106,12,400,800", &ex);
	rc |= conf_dur(cfg, "window", 30 * 60, 120, 6 * 3600, &c->window);
	rc |= conf_dur(cfg, "idle_evict", 2 * 3600, 600, 7 * 86400, &c->idle_evict);
	rc |= conf_dur(cfg, "flagged_ttl", 7 * 86400, 3600, 90 * 86400, &c->flagged_ttl);
	rc |= conf_int(cfg, "min_distinct", 30, 3, 100, &c->min_distinct);
	rc |= conf_int(cfg, "domestic_min_distinct", 60, 3, 200, &c->domestic_min_distinct);
	rc |= ss_config_double(cfg, "wangiri", "min_bad_share", 0.90, 0.5, 1, &c->min_bad_share);
	rc |= conf_int(cfg, "ring_secs", 5, 0, 60, &c->ring_secs);
	rc |= conf_int(cfg, "callback_min_callers", 3, 1, 64, &c->callback_min_callers);
	rc |= conf_int(cfg, "max_numbers", 1048576, 1024, 67108862, &c->max_numbers);
	rc |= conf_int(cfg, "score_international", 85, 0, 100, &c->score_international);
	rc |= conf_int(cfg, "score_domestic_clear", 85, 0, 100, &c->score_domestic_clear);
	rc |= conf_int(cfg, "score_domestic", 70, 0, 100, &c->score_domestic);
	rc |= conf_int(cfg, "score_callback", 10, 0, 100, &c->score_callback);
	rc |= conf_int(cfg, "monitor_threshold", 40, 1, 100, &c->monitor_threshold);
	rc |= conf_int(cfg, "score_step", 10, 1, 100, &c->score_step);
	if (rc)
		return -SS_ECONFIG;
	size_t cl = strlen(cc);
	bool ok = cl >= 1 && cl <= 3 && cc[0] != '0';
	for (size_t i = 0; ok && i < cl; i++)
		ok = cc[i] >= '0' && cc[i] <= '9';
	if (!ok) {
		ss_error("%s: wangiri.home_cc = '%s': expected an E.164 country code (1-3 digits)",
			 ss_config_path(cfg), cc);
		return -SS_ECONFIG;
	}
	memcpy(c->home_cc, cc, cl + 1);
	c->home_cc_len = cl;
	c->n_exempt = 0;
	for (const char *p = ex; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		size_t len = strcspn(p, ", ");
		bool digits = len > 0 && len < sizeof(c->exempt[0]);
		for (size_t i = 0; digits && i < len; i++)
			digits = p[i] >= '0' && p[i] <= '9';
		if (!digits || c->n_exempt == 16) {
			ss_error("%s: wangiri.exempt_prefixes = '%s': expected up to 16 comma-separated "
				 "digit prefixes of at most 7 digits",
				 ss_config_path(cfg), ex);
			return -SS_ECONFIG;
		}
		memcpy(c->exempt[c->n_exempt], p, len);
		c->exempt[c->n_exempt][len] = '\0';
		c->exempt_len[c->n_exempt] = len;
		c->n_exempt++;
		p += len;
	}
	return 0;
}

/* ---- numbers ------------------------------------------------------------ */

enum wg_class { WG_SKIP = 0, WG_DOMESTIC, WG_INTERNATIONAL };

/*
 * Normalise a calling number into @out (E.164 digits, at most 15) and
 * classify it: short codes, service numbers, alphanumeric and over-long
 * ones are WG_SKIP.  A national-format number (one leading 0) is domestic,
 * written with the home country code.
 */
/* @s starts with the @n bytes of @p (short prefixes: no library call). */
static inline bool wg_starts(const char *s, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != p[i])
			return false;
	return true;
}

static enum wg_class wg_classify(const struct wg_conf *c, const char *in, char out[16])
{
	const char *d = in;
	char tmp[40];
	size_t len, cl = c->home_cc_len;

	if (d[0] == '+')
		d++;
	else if (d[0] == '0' && d[1] == '0')
		d += 2;
	else if (d[0] == '0') {
		size_t rest = strlen(d + 1);
		if (cl + rest >= sizeof(tmp))
			return WG_SKIP;
		memcpy(tmp, c->home_cc, cl);
		memcpy(tmp + cl, d + 1, rest + 1);
		d = tmp;
	}
	/* Digits only, 7 to 15 of them (the scan stops at the NUL, a non-digit). */
	for (len = 0; len < 16 && d[len] >= '0' && d[len] <= '9'; len++)
		;
	if (len < 7 || len > 15 || d[len] != '\0')
		return WG_SKIP; /* short codes (95588, 10086, 12315) and non-E.164 */
	/* Zero-padded: the number is a 16-byte key field (ss_idmap_key16). */
	memset(out, 0, 16);
	memcpy(out, d, len);
	if (!wg_starts(d, c->home_cc, cl))
		return WG_INTERNATIONAL;
	const char *nsn = d + cl;
	for (int i = 0; i < c->n_exempt; i++)
		if (c->exempt_len[i] <= len - cl && wg_starts(nsn, c->exempt[i], c->exempt_len[i]))
			return WG_SKIP;
	return WG_DOMESTIC;
}

/* The filter bit of the last 6 characters of @s (@len >= 6). */
static inline uint32_t wg_tail_bit(const char *s, size_t len)
{
	uint64_t v = 0;
	for (size_t i = len - 6; i < len; i++)
		v = (v << 8) | (unsigned char)s[i];
	return (uint32_t)(ss_hash_mix(v) >> 48);
}

static inline void wg_tail_set(struct wangiri *w, const char *number)
{
	uint32_t b = wg_tail_bit(number, strlen(number));
	w->tails[b >> 6] |= UINT64_C(1) << (b & 63);
}

/* False when the raw number @s is certainly not tracked. */
static inline bool wg_maybe_tracked(const struct wangiri *w, const char *s)
{
	size_t len = strlen(s);
	if (len < 8)
		return true; /* its last 6 digits may include a prepended country code */
	uint32_t b = wg_tail_bit(s, len);
	return w->tails[b >> 6] >> (b & 63) & 1;
}

static uint32_t wg_find(const struct wangiri *w, uint64_t key)
{
	uint32_t v;
	return ss_idmap_get(&w->ix, key, &v) ? v : UINT32_MAX;
}

static uint32_t wg_add(struct wangiri *w, uint64_t key, const char *number)
{
	if (w->n >= (uint32_t)w->c.max_numbers) {
		w->skipped_full++;
		return UINT32_MAX;
	}
	if (w->n == w->cap) {
		uint32_t cap = w->cap ? w->cap * 2 : 256;
		struct wg_num *nn = realloc(w->num, (size_t)cap * sizeof(*nn));
		if (!nn)
			return UINT32_MAX;
		w->num = nn;
		w->cap = cap;
	}
	if (ss_idmap_put(&w->ix, key, w->n))
		return UINT32_MAX;
	struct wg_num *e = &w->num[w->n];
	memset(e, 0, sizeof(*e));
	e->key = key;
	memcpy(e->number, number, sizeof(e->number)); /* zero-padded by wg_classify() */
	wg_tail_set(w, e->number);
	return w->n++;
}

static void wg_del(struct wangiri *w, uint32_t i)
{
	ss_idmap_del(&w->ix, w->num[i].key);
	if (w->num[i].flags & WG_FLAGGED)
		w->n_flagged--;
	uint32_t last = --w->n;
	if (i != last) {
		w->num[i] = w->num[last];
		ss_idmap_put(&w->ix, w->num[i].key, i); /* replaces: cannot allocate */
	}
}

static void wg_sweep(struct wangiri *w, uint32_t t)
{
	bool removed = false;
	for (uint32_t i = 0; i < w->n;) {
		const struct wg_num *e = &w->num[i];
		uint32_t ttl = (e->flags & WG_FLAGGED) ? w->c.flagged_ttl : w->c.idle_evict;
		if (t > e->last_seen + ttl) {
			wg_del(w, i);
			w->st.evictions++;
			removed = true;
		} else {
			i++;
		}
	}
	if (removed) {
		memset(w->tails, 0, sizeof(w->tails));
		for (uint32_t i = 0; i < w->n; i++)
			wg_tail_set(w, w->num[i].number);
	}
	if (w->n == 0 && w->cap > 256) {
		free(w->num);
		w->num = NULL;
		w->cap = 0;
		ss_idmap_free(&w->ix);
		ss_idmap_init(&w->ix);
	}
	w->next_sweep = t + 600;
}

static void wg_roll(const struct wangiri *w, struct wg_num *e, uint32_t t)
{
	uint16_t h = (uint16_t)(t / (w->c.window / 2));
	uint16_t d = (uint16_t)(h - e->half);
	if (d == 0)
		return;
	if (d == 1) {
		memcpy(e->callee[1], e->callee[0], sizeof(e->callee[0]));
		e->calls[1] = e->calls[0];
		e->bad[1] = e->bad[0];
	} else {
		memset(e->callee[1], 0, sizeof(e->callee[1]));
		e->calls[1] = e->bad[1] = 0;
	}
	memset(e->callee[0], 0, sizeof(e->callee[0]));
	e->calls[0] = e->bad[0] = 0;
	e->half = h;
}

static unsigned wg_distinct(const struct wangiri *w, const struct wg_num *e)
{
	uint64_t a = e->callee[0][0] | e->callee[1][0], b = e->callee[0][1] | e->callee[1][1];
	int zeros = 128 - __builtin_popcountll(a) - __builtin_popcountll(b);
	return (unsigned)(w->lc128[zeros] + 0.5f);
}

static unsigned wg_callers(const struct wangiri *w, const struct wg_num *e)
{
	return (unsigned)(w->lc64[64 - __builtin_popcountll(e->cb)] + 0.5f);
}

static void wg_emit(struct wangiri *w, struct wg_num *e, const struct event *ev, unsigned distinct)
{
	const struct wg_conf *c = &w->c;
	unsigned callers = wg_callers(w, e);
	bool lure = e->cb && callers >= (unsigned)c->callback_min_callers;
	int score = e->base + (lure ? c->score_callback : 0);
	if (score > 100)
		score = 100;
	if (score < c->monitor_threshold)
		return;
	if (e->last_score && score < e->last_score + c->score_step && e->base_strength <= e->last_strength)
		return;
	e->last_score = (uint8_t)score;
	e->last_strength = e->base_strength;

	struct det_finding f;
	memset(&f, 0, sizeof(f));
	f.family = "wangiri";
	f.subject.kind = DET_SUBJECT_NUMBER;
	memcpy(f.subject.msisdn, e->number, sizeof(f.subject.msisdn));
	f.score = score;
	f.strength = (enum det_strength)e->base_strength;
	f.event_time = ev->time;
	memcpy(f.evidence_record, ev->record_id, sizeof(f.evidence_record));
	const struct det_country *ctry = det_country(det_country_by_number(e->number));
	unsigned calls = (unsigned)e->calls[0] + e->calls[1], bad = (unsigned)e->bad[0] + e->bad[1];
	if (distinct)
		det_reason_add(&f, "wangiri.ring_and_drop",
			       "rang %u distinct subscribers in %u min, %u of %u calls unanswered or <= %d s; %s%s",
			       distinct, c->window / 60, bad, calls, c->ring_secs,
			       (e->flags & WG_INTL) ? "international, " : "domestic",
			       (e->flags & WG_INTL) ? (ctry ? ctry->name : "unknown country") : "");
	else
		det_reason_add(&f, "wangiri.ring_and_drop", "ring-and-drop burst found earlier (score %u)",
			       e->base);
	if (lure)
		det_reason_add(&f, "wangiri.callback_lure", "%u distinct subscribers called it back (%u calls)",
			       callers, e->cb_calls);
	w->st.findings++;
	if (w->emit)
		w->emit(w->emit_ctx, &f);
}

/* A ring at subscriber @callee from @caller. */
static void wg_ring(struct wangiri *w, const struct event *ev, const char *caller, const char *callee,
		    bool bad, uint32_t t)
{
	const struct wg_conf *c = &w->c;
	char number[16];
	if (!bad && !wg_maybe_tracked(w, caller))
		return; /* answered, from a number with no recent drops (below) */
	enum wg_class cls = wg_classify(c, caller, number);

	if (cls == WG_SKIP || !callee[0])
		return;
	uint64_t key = ss_idmap_key16(number, NS_NUMBER);
	uint32_t i = wg_find(w, key);
	if (i == UINT32_MAX) {
		if (!bad)
			return; /* answered, from a number with no recent drops: nothing to keep */
		i = wg_add(w, key, number);
		if (i == UINT32_MAX)
			return;
		if (cls == WG_INTERNATIONAL)
			w->num[i].flags |= WG_INTL;
	}
	struct wg_num *e = &w->num[i];
	wg_roll(w, e, t);
	uint64_t h = ss_hash_str(callee, 0x77a9);
	e->callee[0][(h >> 6) & 1] |= UINT64_C(1) << (h & 63);
	if (e->calls[0] < UINT16_MAX)
		e->calls[0]++;
	if (bad && e->bad[0] < UINT16_MAX)
		e->bad[0]++;
	e->last_seen = t;

	unsigned calls = (unsigned)e->calls[0] + e->calls[1], nbad = (unsigned)e->bad[0] + e->bad[1];
	if (!bad || calls < (unsigned)c->min_distinct || nbad < c->min_bad_share * calls)
		return;
	unsigned distinct = wg_distinct(w, e);
	if (distinct < (unsigned)c->min_distinct)
		return;
	int base;
	enum det_strength st;
	if (cls == WG_INTERNATIONAL) {
		base = c->score_international;
		st = DET_STRUCTURAL;
	} else if (distinct >= (unsigned)c->domestic_min_distinct) {
		base = c->score_domestic_clear;
		st = DET_STRUCTURAL;
	} else {
		/*
		 * Most domestic numbers are not our subscribers, so a re-verification
		 * could not be enforced on them: watched until the burst is clear.
		 */
		base = c->score_domestic;
		st = DET_WEAK;
	}
	if (base > e->base)
		e->base = (uint8_t)base;
	if ((uint8_t)st > e->base_strength)
		e->base_strength = (uint8_t)st;
	if (!(e->flags & WG_FLAGGED)) {
		e->flags |= WG_FLAGGED;
		w->n_flagged++;
	}
	wg_emit(w, e, ev, distinct);
}

static void wangiri_on_event(void *state, const struct event *ev)
{
	struct wangiri *w = state;
	uint32_t t = ev->time <= 0 ? 0 : (uint32_t)(ev->time / SS_US_PER_SEC);

	w->st.events++;
	if (w->next_sweep == 0)
		w->next_sweep = t + 600;
	else if (t >= w->next_sweep)
		wg_sweep(w, t);
	if (ev->kind != EV_CALL || !ev->other_party[0])
		return;
	bool bad = !ev->answered || ev->duration <= (uint32_t)w->c.ring_secs;

	if (ev->direction == EV_DIR_MT) {
		wg_ring(w, ev, ev->other_party, ev->msisdn[0] ? ev->msisdn : ev->imsi, bad, t);
		return;
	}
	if (ev->direction != EV_DIR_MO)
		return;
	/* A signalling attempt from abroad at a home number: the caller is in msisdn. */
	if (ev->source == EV_SRC_PCAP && !ev->imsi[0] && ev->msisdn[0]) {
		char n1[16], n2[16];
		if (wg_classify(&w->c, ev->msisdn, n1) == WG_INTERNATIONAL &&
		    wg_classify(&w->c, ev->other_party, n2) == WG_DOMESTIC) {
			wg_ring(w, ev, ev->msisdn, n2, true, t);
			return;
		}
	}
	/* Our subscriber calling a number found ringing-and-dropping: the lure worked. */
	if (w->n_flagged == 0 || !wg_maybe_tracked(w, ev->other_party))
		return;
	char number[16];
	if (wg_classify(&w->c, ev->other_party, number) == WG_SKIP)
		return;
	uint32_t i = wg_find(w, ss_idmap_key16(number, NS_NUMBER));
	if (i == UINT32_MAX || !(w->num[i].flags & WG_FLAGGED))
		return;
	struct wg_num *e = &w->num[i];
	const char *caller = ev->msisdn[0] ? ev->msisdn : ev->imsi;
	uint64_t h = ss_hash_str(caller, 0xcb);
	e->cb |= UINT64_C(1) << (h & 63);
	if (e->cb_calls < UINT16_MAX)
		e->cb_calls++;
	e->last_seen = t;
	wg_emit(w, e, ev, 0);
}

/* ---- descriptor operations ---------------------------------------------- */

static void wangiri_fini(void *state)
{
	struct wangiri *w = state;
	if (!w)
		return;
	ss_idmap_free(&w->ix);
	free(w->num);
	free(w);
}

static int wangiri_init(void **state, const struct det_env *env)
{
	struct wangiri *w = calloc(1, sizeof(*w));
	int rc;

	if (!w)
		return -ENOMEM;
	ss_idmap_init(&w->ix);
	rc = wg_read_conf(env ? env->config : NULL, &w->c);
	if (rc < 0) {
		wangiri_fini(w);
		return rc;
	}
	if (env) {
		w->emit = env->emit;
		w->emit_ctx = env->emit_ctx;
	}
	for (int z = 0; z <= 128; z++)
		w->lc128[z] = (float)(-128.0 * log((z ? z : 0.5) / 128.0));
	for (int z = 0; z <= 64; z++)
		w->lc64[z] = (float)(-64.0 * log((z ? z : 0.5) / 64.0));
	*state = w;
	return 0;
}

static void wangiri_tick(void *state, ss_time_us now)
{
	struct wangiri *w = state;
	uint32_t t = now <= 0 ? 0 : (uint32_t)(now / SS_US_PER_SEC);
	if (w->next_sweep && t >= w->next_sweep)
		wg_sweep(w, t);
}

static void wangiri_reset_subject(void *state, const struct det_subject *subj)
{
	struct wangiri *w = state;
	char number[16];
	if (!subj->msisdn[0] || wg_classify(&w->c, subj->msisdn, number) == WG_SKIP)
		return;
	uint32_t i = wg_find(w, ss_idmap_key16(number, NS_NUMBER));
	if (i != UINT32_MAX)
		wg_del(w, i);
}

static void wangiri_stats(const void *state, struct det_stats *out)
{
	const struct wangiri *w = state;
	*out = w->st;
	out->subjects = w->n;
	out->state_bytes = sizeof(*w) + (uint64_t)w->cap * sizeof(struct wg_num) + ss_idmap_bytes(&w->ix);
}

_Static_assert(sizeof(struct wg_num) == 96, "wg_num size is documented");

const struct det_detector det_wangiri = {
	.name = "wangiri",
	.summary = "ring-and-drop numbers: many distinct subscribers rung with unanswered seconds-long "
		   "calls in a burst, and their callbacks",
	.event_mask = EV_MASK(EV_CALL),
	.init = wangiri_init,
	.on_event = wangiri_on_event,
	.tick = wangiri_tick,
	.reset_subject = wangiri_reset_subject,
	.stats = wangiri_stats,
	.fini = wangiri_fini,
};
