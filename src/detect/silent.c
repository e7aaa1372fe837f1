/*
 * silent.c - silent and dormant SIMs that wake up calling strangers
 * (reason family "silent").
 *
 * Fraud rings open cards (bulk or on bought identities), let them sit for
 * days or weeks so they look aged, then use them for a few hours of scam
 * calls or SMS to many strangers before discarding them.  Age since opening
 * is the key input, from the shared profile (detect/profile.h):
 *
 *  - silent.wake_after_open: opened >= silent_min_quiet ago, (almost) no
 *    traffic since, now heavy outgoing use;
 *  - silent.dormant_wake: no traffic for >= dormant_days within what this
 *    run observed (for a SIM with no traffic since the observation began,
 *    the quiet period is now - max(opened, observed_since));
 *  - silent.young_sim_fanout: a SIM younger than young_age calling or
 *    texting many distinct numbers.  A tenured SIM with many callees
 *    (a courier) is never watched unless it was dormant.
 *
 * "Heavy outgoing use" = within wake_window of waking, >= min_distinct
 * distinct callees (min_distinct_wake for a silent or dormant SIM), or >=
 * min_attempts MO attempts to half as many numbers.  Behaviour alone is BEHAVIOURAL (re-verification); combined with
 * the profile's BULK_ORIGIN or RISKY_OUTLET marks it is STRUCTURAL with the
 * profile's risk boost added (block).  Enterprise cards (call centres) never
 * get young_sim_fanout and are WEAK at most; conversational calling (mostly
 * answered, long calls) is WEAK unless marked.
 *
 * State: only SIMs that are currently waking have a record (struct
 * si_watch, 328 bytes: counters and a 64-slot fingerprint set that counts up
 * to 48 distinct callees exactly); it lives one wake_window and is evicted
 * when idle.  Every other MO event costs one profile lookup and one idmap
 * miss.  Design and defaults: docs/detect-bulk-silent.md.
 */
#include "detect/detect.h"

#include "core/bloom.h"
#include "core/err.h"
#include "core/hash.h"
#include "core/idmap.h"
#include "core/log.h"
#include "detect/profile.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SI_FILTER_BITS 8192 /* watched-key filter (power of two) */
#define SI_SET 64      /* fingerprint slots (power of two) */
#define SI_SET_MAX 48  /* distinct callees counted exactly up to this */
#define SI_NS_IMSI 1
#define SI_NS_MSISDN 2

/* si_watch.kinds */
#define SI_WAKE_OPEN 0x01u
#define SI_DORMANT 0x02u
#define SI_YOUNG 0x04u
#define SI_CLEARED 0x80u /* reset_subject: never reported again by this record */

struct si_conf {
	uint32_t silent_min_quiet;
	int silent_max_prior;
	uint32_t dormant;
	uint32_t young_age;
	uint32_t wake_window;
	int min_distinct;
	int min_distinct_wake;
	int min_attempts;
	int short_call_secs;
	double conversational_max_bad_share;
	double max_inbound_share;
	int score_wake;
	int score_young;
	int score_weak;
	int max_watches;
};

struct si_watch {
	uint64_t key; /* idmap key of ev_subject_key() */
	char msisdn[EV_MSISDN_SIZE];
	char imsi[EV_IMSI_SIZE];
	uint32_t woke;	/* start of the wake window, seconds */
	uint32_t last;	/* last MO event */
	uint32_t quiet; /* seconds without traffic before waking */
	int32_t age;	/* age since opening at waking, seconds; -1 unknown */
	uint16_t attempts, calls, bad, sms;
	uint16_t mt; /* MT calls and SMS received in the window */
	uint8_t kinds;
	uint8_t emitted; /* strength + 1 */
	uint8_t distinct;
	uint8_t pad[3];
	uint32_t set[SI_SET];
};
_Static_assert(sizeof(struct si_watch) == 328, "si_watch is 328 bytes");

struct silent {
	struct si_conf c;
	det_emit_fn emit;
	void *emit_ctx;
	struct det_profile *profile;

	struct si_watch *w;
	uint32_t n, cap;
	struct ss_idmap ix;
	/*
	 * The watched keys in a one-probe Bloom filter, added by si_add(),
	 * rebuilt by si_maint(): a SIM the filter does not have is not
	 * watched.  Nearly every event is about an unwatched SIM, and the map
	 * - sized for the largest wave of waking SIMs, never shrunk - is a
	 * cache miss to ask even when nearly empty; these 1 KiB stay in cache.
	 */
	struct ss_bloom filter;

	uint32_t now, next_maint;
	uint64_t dropped; /* watches not created: table full */
	struct det_stats st;
};

/* ---- configuration ----------------------------------------------------------- */

enum si_ctype { SI_C_INT, SI_C_DBL, SI_C_DUR };

struct si_cdef {
	const char *key;
	enum si_ctype type;
	double def, min, max;
	size_t off;
};

#define H 3600.0
#define D 86400.0
#define CI(k, f, d, lo, hi) { k, SI_C_INT, d, lo, hi, offsetof(struct si_conf, f) }
#define CD(k, f, d, lo, hi) { k, SI_C_DBL, d, lo, hi, offsetof(struct si_conf, f) }
#define CT(k, f, d, lo, hi) { k, SI_C_DUR, d, lo, hi, offsetof(struct si_conf, f) }

static const struct si_cdef si_cdefs[] = {
	CT("silent_min_quiet", silent_min_quiet, 2 * D, 1 * H, 365 * D),
	CI("silent_max_prior", silent_max_prior, 3, 0, 1000),
	CT("dormant_days", dormant, 5 * D, 1 * H, 3650 * D),
	CT("young_age", young_age, 7 * D, 0, 365 * D),
	CT("wake_window", wake_window, 6 * H, 10 * 60, 7 * D),
	CI("min_distinct", min_distinct, 30, 2, SI_SET_MAX),
	CI("min_distinct_wake", min_distinct_wake, 20, 2, SI_SET_MAX),
	CI("min_attempts", min_attempts, 40, 2, 60000),
	CI("short_call_secs", short_call_secs, 30, 1, 3600),
	CD("conversational_max_bad_share", conversational_max_bad_share, 0.30, 0, 1),
	CD("max_inbound_share", max_inbound_share, 0.10, 0, 10),
	CI("score_wake", score_wake, 75, 0, 100),
	CI("score_young", score_young, 70, 0, 100),
	CI("score_weak", score_weak, 45, 0, 100),
	CI("max_watches", max_watches, 1 << 20, 16, 1 << 26),
};

#undef H
#undef D
#undef CI
#undef CD
#undef CT

static int si_read_conf(const struct ss_config *cfg, struct si_conf *c)
{
	for (size_t i = 0; i < sizeof(si_cdefs) / sizeof(si_cdefs[0]); i++) {
		const struct si_cdef *d = &si_cdefs[i];
		char *p = (char *)c + d->off;
		int rc;

		if (d->type == SI_C_INT) {
			int64_t v;
			rc = ss_config_int(cfg, "silent", d->key, (int64_t)d->def, (int64_t)d->min, (int64_t)d->max, &v);
			if (rc < 0)
				return rc;
			int iv = (int)v;
			memcpy(p, &iv, sizeof(iv));
		} else if (d->type == SI_C_DBL) {
			double v;
			rc = ss_config_double(cfg, "silent", d->key, d->def, d->min, d->max, &v);
			if (rc < 0)
				return rc;
			memcpy(p, &v, sizeof(v));
		} else {
			int64_t us;
			rc = ss_config_duration(cfg, "silent", d->key, (int64_t)(d->def * 1e6), &us);
			if (rc < 0)
				return rc;
			double s = (double)us / 1e6;
			if (s < d->min || s > d->max) {
				ss_error("%s: silent.%s: out of range [%gs, %gs]", ss_config_path(cfg), d->key,
					 d->min, d->max);
				return -SS_ECONFIG;
			}
			uint32_t sv = (uint32_t)s;
			memcpy(p, &sv, sizeof(sv));
		}
	}
	return 0;
}

/* ---- watches ----------------------------------------------------------------- */

static inline uint32_t si_sec(ss_time_us t)
{
	return t <= 0 ? 0 : (uint32_t)(t / SS_US_PER_SEC);
}

/*
 * A SIM's key: its IMSI's, else its MSISDN's - exactly the profile's
 * det_profile_sim_key() (same function and namespaces), so the key the
 * profile computed for this event serves here too.
 */
static uint64_t si_key(const struct silent *s, const struct event *ev)
{
	return det_profile_sim_key(s->profile, ev);
}

/* The watch of @key: true and its index in *@wi, false when not watched. */
static inline bool si_find(const struct silent *s, uint64_t key, uint32_t *wi)
{
	return ss_bloom_has(&s->filter, key) && ss_idmap_get(&s->ix, key, wi);
}

/* Set the filter to exactly the watched keys (after removals). */
static void si_filter_rebuild(struct silent *s)
{
	ss_bloom_clear(&s->filter);
	for (uint32_t i = 0; i < s->n; i++)
		ss_bloom_add(&s->filter, s->w[i].key);
}

static void si_remove(struct silent *s, uint32_t i)
{
	ss_idmap_del(&s->ix, s->w[i].key);
	s->n--;
	if (i != s->n) {
		s->w[i] = s->w[s->n];
		ss_idmap_put(&s->ix, s->w[i].key, i); /* replaces: cannot fail */
	}
}

static uint32_t si_add(struct silent *s, uint64_t key)
{
	if (s->n >= (uint32_t)s->c.max_watches) {
		s->dropped++;
		return UINT32_MAX;
	}
	if (s->n == s->cap) {
		uint32_t cap = s->cap ? s->cap * 2 : 64;
		struct si_watch *w = realloc(s->w, (size_t)cap * sizeof(*w));
		if (!w)
			return UINT32_MAX;
		s->w = w;
		s->cap = cap;
	}
	if (ss_idmap_put(&s->ix, key, s->n) < 0)
		return UINT32_MAX;
	memset(&s->w[s->n], 0, sizeof(s->w[s->n]));
	s->w[s->n].key = key;
	ss_bloom_add(&s->filter, key);
	return s->n++;
}

static void si_window_reset(struct si_watch *w, uint32_t t)
{
	w->woke = t;
	w->attempts = w->calls = w->bad = w->sms = w->mt = 0;
	w->distinct = 0;
	w->emitted = 0;
	memset(w->set, 0, sizeof(w->set));
}

/* Count @party among the distinct callees (exact up to SI_SET_MAX). */
static void si_add_party(struct si_watch *w, const char *party)
{
	if (!party[0] || w->distinct >= SI_SET_MAX)
		return;
	uint32_t fp = (uint32_t)ss_hash_str(party, UINT64_C(0x5113e7));
	if (!fp)
		fp = 1;
	for (uint32_t i = fp & (SI_SET - 1);; i = (i + 1) & (SI_SET - 1)) {
		if (w->set[i] == fp)
			return;
		if (!w->set[i]) {
			w->set[i] = fp;
			w->distinct++;
			return;
		}
	}
}

static inline void si_inc(uint16_t *v)
{
	if (*v < UINT16_MAX)
		(*v)++;
}

/*
 * Which waking kinds apply to a SIM with profile @e at @t (0 = none: the
 * common case, no record).  *@quiet gets the quiet period, *@age the age.
 */
static unsigned si_kinds(const struct silent *s, const struct det_profile_entry *e, ss_time_us now,
			 uint32_t *quiet, int32_t *age)
{
	const struct si_conf *c = &s->c;
	ss_time_us a = det_profile_age(e, now);
	ss_time_us opened = det_profile_opened(e), last_seen = det_profile_last_seen(e);
	ss_time_us since = last_seen;
	unsigned k = 0;

	if (since == 0 || (opened && since < opened)) {
		/* No traffic since opening, or this run never saw any. */
		ss_time_us obs = det_profile_observed_since(s->profile);
		since = opened > obs ? opened : obs;
	}
	ss_time_us q = since > 0 && now > since ? now - since : 0;
	*quiet = (uint32_t)(q / SS_US_PER_SEC);
	*age = a < 0 ? -1 : (int32_t)(a / SS_US_PER_SEC > INT32_MAX ? INT32_MAX : a / SS_US_PER_SEC);

	bool silent_since_open = opened > 0 && (last_seen == 0 || last_seen < opened ||
						   e->outbound_since_open <= (unsigned)c->silent_max_prior);
	if (silent_since_open && *age >= 0 && (uint32_t)*age >= c->silent_min_quiet && *quiet >= c->silent_min_quiet)
		k |= SI_WAKE_OPEN;
	if (*quiet >= c->dormant)
		k |= SI_DORMANT;
	if (*age >= 0 && (uint32_t)*age < c->young_age && !(e->flags & DET_PROFILE_ENTERPRISE))
		k |= SI_YOUNG;
	return k;
}

static void si_evaluate(struct silent *s, struct si_watch *w, const struct det_profile_entry *e,
			const struct event *ev)
{
	const struct si_conf *c = &s->c;
	if (w->kinds & SI_CLEARED)
		return;
	/*
	 * Days of silence before the calling are evidence of their own: a
	 * waking SIM needs fewer strangers than one that is merely young.
	 */
	int need = (w->kinds & (SI_WAKE_OPEN | SI_DORMANT)) ? c->min_distinct_wake : c->min_distinct;
	bool fanout = w->distinct >= need || (w->attempts >= c->min_attempts && w->distinct * 2 >= need);
	if (!fanout)
		return;

	uint32_t flags = e ? e->flags : 0;
	unsigned boost = e ? e->risk_boost : 0;
	bool marked = (flags & (DET_PROFILE_BULK_ORIGIN | DET_PROFILE_RISKY_OUTLET)) != 0;
	bool conversational = w->calls > 0 && w->calls >= w->sms &&
			      w->bad <= c->conversational_max_bad_share * w->calls;
	/* Strangers do not call a scammer back; customers call a courier back. */
	bool answered_back = w->mt > c->max_inbound_share * w->attempts;
	bool enterprise = (flags & DET_PROFILE_ENTERPRISE) != 0;

	int n = ((w->kinds & SI_WAKE_OPEN) ? 1 : 0) + ((w->kinds & SI_DORMANT) ? 1 : 0) +
		((w->kinds & SI_YOUNG) ? 1 : 0);
	int score = (w->kinds & (SI_WAKE_OPEN | SI_DORMANT)) ? c->score_wake : c->score_young;
	score += 5 * (n - 1);
	if (score > 80)
		score = 80;
	enum det_strength strength = DET_BEHAVIOURAL;
	if (marked && !enterprise) {
		strength = DET_STRUCTURAL;
		score += boost ? (int)boost : 10;
	} else if (enterprise || conversational || answered_back) {
		strength = DET_WEAK;
		score = c->score_weak;
	}
	if (score > 100)
		score = 100;
	if (w->emitted >= (uint8_t)(strength + 1))
		return;
	w->emitted = (uint8_t)(strength + 1);

	struct det_finding f;
	memset(&f, 0, sizeof(f));
	f.family = "silent";
	f.subject.kind = DET_SUBJECT_SIM;
	memcpy(f.subject.msisdn, w->msisdn, sizeof(f.subject.msisdn));
	memcpy(f.subject.imsi, w->imsi, sizeof(f.subject.imsi));
	memcpy(f.subject.imei, ev->imei, sizeof(f.subject.imei));
	f.score = score;
	f.strength = strength;
	f.event_time = ev->time;
	memcpy(f.evidence_record, ev->record_id, sizeof(f.evidence_record));
	uint32_t span = w->last - w->woke;
	char use[120];
	snprintf(use, sizeof(use),
		 "%u MO attempts (%u calls, %u%% short/unanswered; %u SMS) to %u%s numbers, %u MT, in %u min",
		 w->attempts, w->calls, w->calls ? 100u * w->bad / w->calls : 0u, w->sms, w->distinct,
		 w->distinct >= SI_SET_MAX ? "+" : "", w->mt, span / 60);
	if (w->kinds & SI_WAKE_OPEN)
		det_reason_add(&f, "silent.wake_after_open", "opened %u d ago, silent %u h, then %s",
			       (unsigned)(w->age / 86400), w->quiet / 3600, use);
	if (w->kinds & SI_DORMANT)
		det_reason_add(&f, "silent.dormant_wake", "no traffic for %u h, then %s", w->quiet / 3600, use);
	if (w->kinds & SI_YOUNG)
		det_reason_add(&f, "silent.young_sim_fanout", "SIM %u h old: %s", (unsigned)(w->age / 3600), use);
	if (strength == DET_STRUCTURAL)
		det_reason_add(&f, "silent.marked_origin", "%s (+%u risk)",
			       (flags & DET_PROFILE_BULK_ORIGIN) ? "opened in a bulk opening or on an over-limit ID document"
								 : "opened at an outlet with bad reputation",
			       boost);
	else if (strength == DET_WEAK)
		det_reason_add(&f, w->kinds & SI_YOUNG ? "silent.young_sim_fanout" : "silent.dormant_wake", "%s",
			       enterprise     ? "enterprise card: monitor only"
			       : answered_back ? "called back by the people it calls: monitor only"
					       : "mostly answered, longer calls: monitor only");
	s->st.findings++;
	if (s->emit)
		s->emit(s->emit_ctx, &f);
}

static void si_maint(struct silent *s, uint32_t t)
{
	s->next_maint = t + 600;
	for (uint32_t i = 0; i < s->n;) {
		const struct si_watch *w = &s->w[i];
		if (t - w->last >= s->c.wake_window && w->last <= t) {
			si_remove(s, i);
			s->st.evictions++;
		} else {
			i++;
		}
	}
	si_filter_rebuild(s);
	/* Shrink after a wave of waking SIMs. */
	if (s->cap > 256 && s->n < s->cap / 4) {
		uint32_t cap = s->cap / 2;
		struct si_watch *w = realloc(s->w, (size_t)cap * sizeof(*w));
		if (w) {
			s->w = w;
			s->cap = cap;
		}
	}
}

static void silent_on_event(void *state, const struct event *ev)
{
	struct silent *s = state;
	uint32_t t = si_sec(ev->time);

	if (ev->kind != EV_CALL && ev->kind != EV_SMS)
		return;
	if (ev->direction == EV_DIR_MT) {
		/* Only a waking SIM's inbound traffic matters: one lookup in a small map. */
		uint32_t mi;
		uint64_t mk = s->n ? si_key(s, ev) : 0;
		if (mk && si_find(s, mk, &mi))
			si_inc(&s->w[mi].mt);
		return;
	}
	if (ev->direction != EV_DIR_MO)
		return;
	s->st.events++;
	if (t > s->now)
		s->now = t;
	if (!s->next_maint)
		s->next_maint = t + 600;
	else if (t >= s->next_maint)
		si_maint(s, t);
	if (!s->profile)
		return; /* no ages known: nothing is young, silent or dormant */

	uint64_t key = si_key(s, ev);
	if (!key)
		return;
	uint32_t wi;
	const struct det_profile_entry *e = det_profile_of(s->profile, ev);
	if (si_find(s, key, &wi)) {
		struct si_watch *w = &s->w[wi];
		if (t - w->woke >= s->c.wake_window && t >= w->woke) {
			/* The wake window is over: only a still-young SIM is watched on. */
			uint32_t quiet;
			int32_t age;
			unsigned k = e ? si_kinds(s, e, ev->time, &quiet, &age) : 0;
			if (!(k & SI_YOUNG)) {
				si_remove(s, wi);
				return;
			}
			w->kinds = (uint8_t)(SI_YOUNG | (w->kinds & SI_CLEARED));
			w->age = age;
			w->quiet = quiet;
			si_window_reset(w, t);
		}
	} else {
		/* A SIM this run never saw has been quiet since the observation began. */
		static const struct det_profile_entry unseen;
		uint32_t quiet;
		int32_t age;
		unsigned k = si_kinds(s, e ? e : &unseen, ev->time, &quiet, &age);
		if (!k)
			return;
		wi = si_add(s, key);
		if (wi == UINT32_MAX)
			return;
		struct si_watch *w = &s->w[wi];
		w->kinds = (uint8_t)k;
		w->age = age;
		w->quiet = quiet;
		memcpy(w->msisdn, ev->msisdn, sizeof(w->msisdn));
		memcpy(w->imsi, ev->imsi, sizeof(w->imsi));
		si_window_reset(w, t);
	}

	struct si_watch *w = &s->w[wi];
	w->last = t;
	if (!w->msisdn[0] && ev->msisdn[0])
		memcpy(w->msisdn, ev->msisdn, sizeof(w->msisdn));
	si_inc(&w->attempts);
	if (ev->kind == EV_CALL) {
		si_inc(&w->calls);
		if (!ev->answered || ev->duration < (uint32_t)s->c.short_call_secs)
			si_inc(&w->bad);
	} else {
		si_inc(&w->sms);
	}
	si_add_party(w, ev->other_party);
	si_evaluate(s, w, e, ev);
}

static void silent_tick(void *state, ss_time_us now)
{
	struct silent *s = state;
	uint32_t t = si_sec(now);
	if (t > s->now)
		s->now = t;
	if (s->next_maint && t >= s->next_maint)
		si_maint(s, t);
}

/*
 * reset_subject (appeal, reverify_ok, close): the SIM's current wake is not
 * reported again.  The record stays (cleared) while the SIM keeps calling,
 * so the same evidence does not ask again; once idle for a wake window it
 * goes, and a new wake is new evidence.
 */
static void silent_reset_subject(void *state, const struct det_subject *subj)
{
	struct silent *s = state;
	uint64_t keys[2] = { subj->imsi[0] ? ss_idmap_key16(subj->imsi, SI_NS_IMSI) : 0,
			     subj->msisdn[0] ? ss_idmap_key16(subj->msisdn, SI_NS_MSISDN) : 0 };
	uint32_t wi;

	if (subj->kind != DET_SUBJECT_SIM)
		return;
	for (int k = 0; k < 2; k++)
		if (keys[k] && ss_idmap_get(&s->ix, keys[k], &wi))
			s->w[wi].kinds |= SI_CLEARED;
	/* A SIM keyed by IMSI is also found by its MSISDN (rare: a linear scan). */
	if (subj->msisdn[0] && !subj->imsi[0])
		for (uint32_t i = 0; i < s->n; i++)
			if (!strcmp(s->w[i].msisdn, subj->msisdn))
				s->w[i].kinds |= SI_CLEARED;
}

static void silent_stats(const void *state, struct det_stats *out)
{
	const struct silent *s = state;
	*out = s->st;
	out->subjects = s->n;
	out->state_bytes = sizeof(*s) + (uint64_t)s->cap * sizeof(struct si_watch) + ss_idmap_bytes(&s->ix) +
			  ss_bloom_bytes(&s->filter);
}

static void silent_fini(void *state)
{
	struct silent *s = state;
	if (!s)
		return;
	free(s->w);
	ss_idmap_free(&s->ix);
	ss_bloom_free(&s->filter);
	free(s);
}

static int silent_init(void **state, const struct det_env *env)
{
	struct silent *s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	int rc = si_read_conf(env ? env->config : NULL, &s->c);
	if (rc < 0) {
		free(s);
		return rc;
	}
	if (env) {
		s->emit = env->emit;
		s->emit_ctx = env->emit_ctx;
		s->profile = env->profile;
	}
	ss_idmap_init(&s->ix);
	/* Without the filter every SIM would look unwatched: no detector rather than a blind one. */
	rc = ss_bloom_init(&s->filter, SI_FILTER_BITS, 1);
	if (rc < 0) {
		silent_fini(s);
		return rc;
	}
	*state = s;
	return 0;
}

const struct det_detector det_silent = {
	.name = "silent",
	.summary = "silent / dormant / days-old SIMs that wake up calling or texting many strangers",
	.event_mask = EV_MASK(EV_CALL) | EV_MASK(EV_SMS),
	.init = silent_init,
	.on_event = silent_on_event,
	.tick = silent_tick,
	.reset_subject = silent_reset_subject,
	.stats = silent_stats,
	.fini = silent_fini,
};
