/*
 * engine.c - events → detectors → reputation → actions (see engine.h).
 */
#include "engine/engine.h"

#include "act/breaker.h"
#include "act/control.h"
#include "core/bloom.h"
#include "core/err.h"
#include "core/hash.h"
#include "core/idmap.h"
#include "core/log.h"
#include "detect/profile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One event in ENGINE_SAMPLE has its detectors timed (power of two). */
#define ENGINE_SAMPLE 256

static inline uint64_t engine_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* How often (input clock) detectors get tick(): expiry need not be finer. */
#define ENGINE_TICK_INTERVAL (60 * SS_US_PER_SEC)

static const char *const engine_families[] = {
	"simbox", "bulk_open", "silent", "roaming", "scam_sms", "wangiri", "list", "manual",
};
#define ENGINE_FAMILY_COUNT (sizeof(engine_families) / sizeof(engine_families[0]))

struct engine_detector {
	const struct det_detector *ops;
	void *state;
};

/*
 * The list filter: a Bloom filter over every subject on a black, gray or
 * white list, so detectors can ask "is this number listed?" for every event
 * without an LMDB read (a miss costs two cache lines, not a B-tree walk).
 * Rebuilt from the store when its list generation changes (rep import /
 * rep set / rep del in another process), so lists load without a restart.
 * 16 bits and 4 probes per entry: ~0.2 % false positives, each resolved by
 * a real store read.
 */
struct list_filter {
	struct ss_bloom bloom; /* 4 probes */
	uint64_t entries;      /* subjects added (the filter's density) */
	uint64_t generation;
	/*
	 * Keys added per key type (index: the type byte & 31, distinct for
	 * every rep_key_type): a type with none cannot be listed, so its
	 * lookups need no hashing - e.g. the served SIM's IMSI when the lists
	 * hold numbers only.
	 */
	uint32_t n_type[32];
	bool loaded;
};
_Static_assert(((REP_KEY_MSISDN ^ REP_KEY_IMSI) & 31) && ((REP_KEY_MSISDN ^ REP_KEY_URL) & 31) &&
		       ((REP_KEY_IMSI ^ REP_KEY_IMEI) & 31) && ((REP_KEY_IDDOC ^ REP_KEY_CHANNEL) & 31) &&
		       ((REP_KEY_OUTLET ^ REP_KEY_MSISDN) & 31) && ((REP_KEY_IMEI ^ REP_KEY_IDDOC) & 31),
	       "n_type indexes key types by their low 5 bits");

/* A re-verification awaiting its outcome (min-heap on deadline). */
struct pending_reverify {
	ss_time_us deadline;
	ss_time_us action_time; /* the reverify action's event_time: identifies it */
	struct det_subject subject;
};

struct engine {
	struct engine_options opt;
	struct act_policy *policy;
	struct engine_detector detectors[16];
	size_t n_detectors;
	/* The detectors with a prefetch operation: the pipeline only calls those. */
	struct engine_detector prefetchers[16];
	size_t n_prefetchers;
	/* Profile lookups of the prefetch stages, by batch position (DET_PREFETCH_FAR < 32). */
	struct det_profile_hint profile_hint[32];
	/*
	 * Where detector time goes, for the summary and `make bench`: one event
	 * in ENGINE_SAMPLE has each detector's on_event() (and the profile's
	 * lookup and update, slot n_detectors) timed - a few clock reads per
	 * thousand events.
	 */
	uint64_t sample_ns[17];
	uint64_t samples;
	uint64_t clock_ns; /* cost of one engine_ns() read, taken off each interval */
	ss_time_us last_tick;
	ss_time_us clock; /* latest input time seen */
	ss_time_us last_flush; /* wall clock (monotonic) of the last store commit */
	struct engine_counters counters;
	struct det_profile *profile;
	struct list_filter lists;
	ss_time_us reverify_deadline; /* 0 = re-verifications never expire */
	struct pending_reverify *pending;
	size_t n_pending, cap_pending;
	struct act_breaker *breaker;
	uint64_t breaker_reset_gen; /* the last reset generation seen in the store */
	uint8_t release_mark[ACT_CTL_RELEASE_KEY_SIZE]; /* last release-log entry seen */
	bool has_release_mark;
	ss_time_us resume_clock; /* input decided before the restart ends here (opt.resume) */
	uint64_t resume_count;	 /* ... after this many events at resume_clock */
	uint64_t resume_seen;	 /* events at resume_clock seen since the restart */
	uint64_t at_clock;	 /* events processed whose time is e->clock */
	bool replaying;		 /* the current event was decided before the restart */
};

const char *engine_family_name(size_t index)
{
	return index < ENGINE_FAMILY_COUNT ? engine_families[index] : NULL;
}

static int family_slot(const char *family)
{
	for (size_t i = 0; i < ENGINE_FAMILY_COUNT; i++)
		if (family && strcmp(engine_families[i], family) == 0)
			return (int)i;
	return -1;
}

/* The store keys a finding updates: both SIM identities, or the device, or the number. */
struct subject_keys {
	size_t n;
	enum rep_key_type type[3];
	const char *id[3];
};

static void subject_keys(const struct det_subject *s, struct subject_keys *k)
{
	k->n = 0;
	switch (s->kind) {
	case DET_SUBJECT_DEVICE:
		if (s->imei[0]) {
			k->type[k->n] = REP_KEY_IMEI;
			k->id[k->n++] = s->imei;
		}
		break;
	case DET_SUBJECT_OUTLET:
	case DET_SUBJECT_CHANNEL:
	case DET_SUBJECT_IDDOC:
	case DET_SUBJECT_URL:
		if (s->entity[0]) {
			k->type[k->n] = s->kind == DET_SUBJECT_OUTLET    ? REP_KEY_OUTLET
					: s->kind == DET_SUBJECT_CHANNEL ? REP_KEY_CHANNEL
					: s->kind == DET_SUBJECT_URL	 ? REP_KEY_URL
									 : REP_KEY_IDDOC;
			k->id[k->n++] = s->entity;
		}
		break;
	case DET_SUBJECT_SIM:
	case DET_SUBJECT_NUMBER:
	default:
		if (s->imsi[0]) {
			k->type[k->n] = REP_KEY_IMSI;
			k->id[k->n++] = s->imsi;
		}
		if (s->msisdn[0]) {
			k->type[k->n] = REP_KEY_MSISDN;
			k->id[k->n++] = s->msisdn;
		}
		break;
	}
}

static void record_update(struct engine *e, struct rep_record *rec, const struct det_finding *f,
			  const struct act_action *a)
{
	double now_score = rep_score_now(e->opt.rep, rec, f->event_time);

	if (rec->first_seen == 0 || f->event_time < rec->first_seen)
		rec->first_seen = f->event_time;
	if (f->event_time > rec->last_seen)
		rec->last_seen = f->event_time;
	rec->score = (float)(f->score > now_score ? f->score : now_score);
	rec->score_time = f->event_time;
	for (int i = 0; i < f->n_reasons; i++) {
		int bit = det_reason_bit(f->reasons[i].code);
		if (bit >= 0 && bit < 64)
			rec->reasons |= UINT64_C(1) << bit;
	}
	rec->events++;
	if (a && a->kind != REP_ACTION_NONE) {
		rec->last_action = (uint8_t)a->kind;
		rec->last_action_time = a->event_time;
		rec->last_action_id = a->id;
		rec->actions++;
		if (a->shadow)
			rec->flags |= REP_FLAG_SHADOW_ACTION;
		else
			rec->flags &= (uint16_t)~REP_FLAG_SHADOW_ACTION;
	}
}

static void pending_push(struct engine *e, const struct det_subject *subject, ss_time_us action_time);

static uint64_t subject_hash(const struct det_subject *s)
{
	uint64_t h = ss_hash_str(s->msisdn, UINT64_C(0xb4eac3e4));
	h = ss_hash_str(s->imsi, h);
	return ss_hash_str(s->imei, h);
}

/*
 * The circuit breaker (act/breaker.h): a strong enforce action that would
 * exceed a limit - or comes while its scope is tripped - goes out in shadow
 * mode.  A trip is logged as an alert and recorded in the store in the same
 * transaction as the action it shadowed, so it survives a restart.
 */
static void engine_brake(struct engine *e, struct act_action *action)
{
	if (!e->breaker || action->shadow || action->kind < REP_ACTION_LIMIT || action->kind > REP_ACTION_BLOCK)
		return;
	bool tripped = false;
	struct act_breaker_trip t;
	if (act_breaker_admit(e->breaker, action->family, subject_hash(&action->subject), action->event_time,
			      &tripped, &t))
		return;
	action->shadow = true;
	e->counters.breaker_shadowed++;
	if (!tripped)
		return;
	e->counters.breaker_trips++;
	char when[40] = "";
	ss_time_format(action->event_time, when, sizeof(when));
	struct act_breaker_state st;
	memset(&st, 0, sizeof(st));
	st.mask = act_breaker_tripped(e->breaker);
	st.since = ss_time_now();
	st.reset_gen = e->breaker_reset_gen;
	snprintf(st.reason, sizeof(st.reason), "%s: more than %u distinct subjects acted on within a %s (at %s)",
		 t.scope_name, t.limit, t.window, when);
	ss_error("ALERT: circuit breaker tripped: %s; %s block/reverify/limit actions now go out in shadow "
		 "mode until `simsieve rep breaker reset`",
		 st.reason, t.scope == 0 ? "all" : t.scope_name);
	int rc = act_ctl_breaker_put_trip(e->opt.rep, &st);
	if (rc < 0) {
		e->counters.rep_errors++;
		ss_error("breaker state not recorded: %s", ss_strerror(rc));
	}
}

static void engine_emit(struct engine *e, struct act_action *action)
{
	engine_brake(e, action);
	if (action->kind == REP_ACTION_REVERIFY && e->reverify_deadline > 0)
		pending_push(e, &action->subject, action->event_time);
	if (e->opt.outbox) {
		/* Into the batch with the record changes of this decision: one transaction. */
		char json[8192];
		int n = act_action_json(action, json, sizeof(json));
		int rc = n < 0 ? n : rep_outbox_put(e->opt.rep, action->id, ss_time_now(), json, (size_t)n);
		if (rc < 0) {
			e->counters.sink_errors++;
			ss_error("outbox: %s", ss_strerror(rc));
		}
	}
	for (size_t i = 0; i < e->opt.n_sinks; i++) {
		int rc = act_sink_write(e->opt.sinks[i], action);
		if (rc < 0) {
			e->counters.sink_errors++;
			ss_error("%s: %s", e->opt.sinks[i]->name, ss_strerror(rc));
		}
	}
	int slot = family_slot(action->family);
	if (slot >= 0)
		e->counters.actions[slot][action->kind]++;
	if (action->shadow)
		e->counters.shadow_actions++;
}

static uint64_t list_hash(enum rep_key_type type, const char *id);
static void filter_add(struct list_filter *lf, enum rep_key_type type, uint64_t h);

static void engine_on_finding(void *ctx, const struct det_finding *f)
{
	struct engine *e = ctx;
	struct subject_keys keys;
	struct rep_record recs[3];
	bool found[3];
	int primary = -1;
	bool white = false;

	e->counters.findings++;
	subject_keys(&f->subject, &keys);
	if (keys.n == 0) {
		ss_debug("finding %s without identity ignored", f->family);
		return;
	}
	/* Decided before the restart: the outbox has it; only detector state is rebuilt. */
	if (e->replaying || f->event_time < e->resume_clock) {
		e->counters.resumed_findings++;
		return;
	}
	/* The action and the record changes of this decision commit together. */
	rep_group_begin(e->opt.rep);
	for (size_t i = 0; i < keys.n; i++) {
		int rc = rep_get(e->opt.rep, keys.type[i], keys.id[i], &recs[i]);
		found[i] = rc == 0;
		if (rc < 0) {
			if (rc != -SS_ENOTFOUND)
				e->counters.rep_errors++;
			memset(&recs[i], 0, sizeof(recs[i]));
		}
		if (found[i] && primary < 0)
			primary = (int)i;
		if (found[i] && recs[i].list == REP_LIST_WHITE)
			white = true;
	}

	/* The policy sees the primary record, with white-list protection from any key. */
	struct rep_record view;
	memset(&view, 0, sizeof(view));
	if (primary >= 0)
		view = recs[primary];
	if (white && view.list != REP_LIST_WHITE) {
		view.list = REP_LIST_WHITE;
		for (size_t i = 0; i < keys.n; i++)
			if (found[i] && recs[i].list == REP_LIST_WHITE)
				memcpy(view.list_source, recs[i].list_source, sizeof(view.list_source));
	}

	/*
	 * Evidence from before the subject's release (an operator's appeal or a
	 * passed re-verification) was judged already: a restart that re-reads
	 * its feeds, or a late record, must not re-decide on it.
	 */
	if (primary >= 0 && recs[primary].last_action == REP_ACTION_RELEASE &&
	    f->event_time < recs[primary].last_action_time) {
		e->counters.released_evidence++;
		e->counters.actions_suppressed++;
		rep_group_end(e->opt.rep);
		return;
	}

	struct act_action action;
	enum rep_action_kind kind = REP_ACTION_NONE;
	/* Outlets, channels and ID documents carry reputation, never actions (action.md). */
	/*
	 * A weak finding whose purpose is to gray-list its subject (a
	 * call-back number in a scam SMS) is reputation, not an action: the
	 * number is flagged by the list detector if anyone actually calls it.
	 */
	bool entity = f->subject.kind == DET_SUBJECT_OUTLET || f->subject.kind == DET_SUBJECT_CHANNEL ||
		      f->subject.kind == DET_SUBJECT_IDDOC || f->subject.kind == DET_SUBJECT_URL ||
		      (f->mark_list && f->strength == DET_WEAK);
	if (!entity)
		kind = act_policy_decide(e->policy, f, primary >= 0 || white ? &view : NULL, &action);
	if (entity) {
		/* counted as a finding; nothing to send */
	} else if (kind != REP_ACTION_NONE) {
		action.emitted_at = ss_time_now();
		engine_emit(e, &action);
	} else {
		e->counters.actions_suppressed++;
	}

	for (size_t i = 0; i < keys.n; i++) {
		record_update(e, &recs[i], f, kind != REP_ACTION_NONE ? &action : NULL);
		if (f->mark_list == DET_LIST_GRAY && recs[i].list == REP_LIST_NONE) {
			/* Our own gray marks go straight into the filter: no reload needed. */
			recs[i].list = REP_LIST_GRAY;
			recs[i].list_time = f->event_time;
			memset(recs[i].list_source, 0, sizeof(recs[i].list_source));
			snprintf(recs[i].list_source, sizeof(recs[i].list_source), "%s", f->family);
			if (e->lists.bloom.bits)
				filter_add(&e->lists, keys.type[i], list_hash(keys.type[i], keys.id[i]));
			/* The list detector's "looked up, on no list" mark no longer holds for this SIM. */
			if (keys.type[i] == REP_KEY_MSISDN)
				det_profile_clear(e->profile, NULL, keys.id[i], DET_PROFILE_LIST_CLEAR);
			else if (keys.type[i] == REP_KEY_IMSI)
				det_profile_clear(e->profile, keys.id[i], NULL, DET_PROFILE_LIST_CLEAR);
			e->counters.gray_marked++;
		}
		int rc = rep_put(e->opt.rep, keys.type[i], keys.id[i], &recs[i]);
		if (rc < 0) {
			e->counters.rep_errors++;
			ss_error("reputation store: %s", ss_strerror(rc));
		}
	}
	if (rep_group_end(e->opt.rep) < 0)
		e->counters.rep_errors++;
}

/* ---- list filter and detector lookups ---------------------------------------- */

/*
 * The filter's hash of a listed subject: asked up to three times per call
 * and SMS, so a few multiply-xorshift rounds over whole words (the last
 * one overlapping the previous, never reading past the NUL) rather than
 * ss_hash_str()'s byte tail.  Only the filter uses it: a collision is one
 * more store read.
 */
static uint64_t list_hash(enum rep_key_type type, const char *id)
{
	size_t n = strlen(id);
	uint64_t h = ss_hash_mix((uint64_t)type * UINT64_C(0x9e3779b97f4a7c15) + n + UINT64_C(0x11570000));
	uint64_t w = 0;

	if (n >= 8) {
		size_t i = 0;
		for (; i + 8 < n; i += 8) {
			memcpy(&w, id + i, 8);
			h = (h ^ w) * UINT64_C(0xbf58476d1ce4e5b9);
			h ^= h >> 29;
		}
		memcpy(&w, id + n - 8, 8);
	} else if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, id, 4);
		memcpy(&b, id + n - 4, 4);
		w = ((uint64_t)a << 32) | b;
	} else {
		for (size_t i = 0; i < n; i++)
			w = (w << 8) | (unsigned char)id[i];
	}
	return ss_hash_mix(h ^ w);
}

static void filter_add(struct list_filter *lf, enum rep_key_type type, uint64_t h)
{
	lf->n_type[(unsigned)type & 31]++;
	ss_bloom_add(&lf->bloom, h);
	lf->entries++;
}

static bool filter_has(const struct list_filter *lf, uint64_t h)
{
	return lf->entries != 0 && ss_bloom_has(&lf->bloom, h);
}

struct filter_build {
	struct list_filter *lf;
	uint64_t count;
	bool counting;
};

static int filter_visit(void *ctx, enum rep_key_type type, const char *id, const struct rep_record *rec)
{
	struct filter_build *fb = ctx;
	(void)rec;
	if (fb->counting)
		fb->count++;
	else
		filter_add(fb->lf, type, list_hash(type, id));
	return 0;
}

/* (Re)build the list filter from the store: one scan to count, one to fill. */
static int lists_load(struct engine *e, uint64_t generation)
{
	struct list_filter lf = { 0 };
	struct filter_build fb = { &lf, 0, true };
	int rc = rep_foreach_listed(e->opt.rep, filter_visit, &fb);

	if (rc < 0)
		return rc;
	/*
	 * 16 bits an entry for twice what is listed now: findings' gray marks
	 * go into the filter as they happen (mark_list), and the headroom lets
	 * them double the set before a rebuild is due (geometric growth).
	 */
	uint64_t nbits = 4096;
	while (nbits < (fb.count * 2 + 256) * 16)
		nbits <<= 1;
	if (ss_bloom_init(&lf.bloom, nbits, 4) < 0)
		return -ENOMEM;
	fb.counting = false;
	rc = rep_foreach_listed(e->opt.rep, filter_visit, &fb);
	if (rc < 0) {
		ss_bloom_free(&lf.bloom);
		return rc;
	}
	lf.entries = fb.count;
	lf.generation = generation;
	lf.loaded = true;
	ss_bloom_free(&e->lists.bloom);
	e->lists = lf;
	det_profile_clear_all(e->profile, DET_PROFILE_LIST_CLEAR); /* every "on no list" was against the old filter */
	e->counters.list_reloads++;
	e->counters.listed_entries = fb.count;
	ss_info("lists: %llu listed subjects loaded (generation %llu)", (unsigned long long)fb.count,
		(unsigned long long)generation);
	return 0;
}

int engine_reload_lists(struct engine *e, bool force)
{
	uint64_t gen = 0;
	int rc = rep_list_generation(e->opt.rep, &gen);

	if (rc < 0)
		return rc;
	/*
	 * Gray marks of findings (mark_list) go straight into the filter, which
	 * was sized for what the store listed at its last load: past 16 bits an
	 * entry it fills up and nearly every lookup becomes a false positive (a
	 * store read).  Rebuilt then, here after the flush that committed the
	 * marks, sized for them.
	 */
	bool dense = e->lists.bloom.bits && e->lists.entries * 16 > e->lists.bloom.mask + 1;
	if (!force && e->lists.loaded && gen == e->lists.generation && !dense)
		return 0;
	return lists_load(e, gen);
}

static int engine_lookup(void *ctx, enum det_key_type type, const char *id, unsigned flags, ss_time_us now,
			 struct det_lookup_result *out)
{
	struct engine *e = ctx;
	struct rep_record rec;

	if (!id || !id[0])
		return -SS_ENOTFOUND;
	/* Nothing listed (the usual replay without lists): no hashing at all. */
	if ((flags & DET_LOOKUP_LISTED_ONLY) &&
	    (e->lists.entries == 0 || e->lists.n_type[(unsigned)type & 31] == 0 ||
	     !filter_has(&e->lists, list_hash((enum rep_key_type)type, id))))
		return -SS_ENOTFOUND;
	e->counters.store_lookups++;
	int rc = rep_get(e->opt.rep, (enum rep_key_type)type, id, &rec);
	if (rc < 0)
		return rc;
	if ((flags & DET_LOOKUP_LISTED_ONLY) && rec.list == REP_LIST_NONE)
		return -SS_ENOTFOUND;
	memset(out, 0, sizeof(*out));
	out->list = rec.list;
	memcpy(out->source, rec.list_source, sizeof(out->source) < sizeof(rec.list_source)
						     ? sizeof(out->source)
						     : sizeof(rec.list_source));
	out->source[sizeof(out->source) - 1] = '\0';
	out->score = rep_score_now(e->opt.rep, &rec, now);
	out->reasons = rec.reasons;
	out->last_action = rec.last_action;
	return 0;
}

/* ---- re-verification deadlines ---------------------------------------------- */

static void pending_swap(struct pending_reverify *a, struct pending_reverify *b)
{
	struct pending_reverify t = *a;
	*a = *b;
	*b = t;
}

static void pending_push(struct engine *e, const struct det_subject *subject, ss_time_us action_time)
{
	if (e->n_pending == e->cap_pending) {
		size_t cap = e->cap_pending ? e->cap_pending * 2 : 256;
		struct pending_reverify *p = realloc(e->pending, cap * sizeof(*p));
		if (!p) {
			ss_error("re-verification deadline not tracked: out of memory");
			return;
		}
		e->pending = p;
		e->cap_pending = cap;
	}
	size_t i = e->n_pending++;
	e->pending[i].deadline = action_time + e->reverify_deadline;
	e->pending[i].action_time = action_time;
	e->pending[i].subject = *subject;
	while (i > 0 && e->pending[(i - 1) / 2].deadline > e->pending[i].deadline) {
		pending_swap(&e->pending[(i - 1) / 2], &e->pending[i]);
		i = (i - 1) / 2;
	}
}

static void pending_pop(struct engine *e)
{
	size_t i = 0;
	e->pending[0] = e->pending[--e->n_pending];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < e->n_pending && e->pending[l].deadline < e->pending[m].deadline)
			m = l;
		if (r < e->n_pending && e->pending[r].deadline < e->pending[m].deadline)
			m = r;
		if (m == i)
			break;
		pending_swap(&e->pending[i], &e->pending[m]);
		i = m;
	}
}

/*
 * A re-verification that was asked for and neither passed nor failed by its
 * deadline escalates to block, exactly like reverify_failed (activation.md,
 * issue: "no re-verification within the configured deadline escalates").
 * Only if the store still shows that very reverify in force: a release, a
 * block or a newer action in between cancels the deadline.
 */
static void pending_expire(struct engine *e, ss_time_us now)
{
	while (e->n_pending && e->pending[0].deadline <= now) {
		struct pending_reverify pr = e->pending[0];
		struct subject_keys keys;
		struct rep_record recs[3];
		bool found[3], white = false;
		int primary = -1;

		pending_pop(e);
		if (pr.deadline < e->resume_clock)
			continue; /* escalated (or not) before the restart */
		subject_keys(&pr.subject, &keys);
		for (size_t i = 0; i < keys.n; i++) {
			found[i] = rep_get(e->opt.rep, keys.type[i], keys.id[i], &recs[i]) == 0;
			if (found[i] && primary < 0)
				primary = (int)i;
			if (found[i] && recs[i].list == REP_LIST_WHITE)
				white = true;
		}
		if (primary < 0)
			continue;
		const struct rep_record *cur = &recs[primary];
		if (cur->last_action != REP_ACTION_REVERIFY || cur->last_action_time != pr.action_time)
			continue;
		struct det_finding f;
		memset(&f, 0, sizeof(f));
		f.family = "manual";
		f.subject = pr.subject;
		f.score = 100;
		f.strength = DET_STRUCTURAL;
		f.event_time = pr.deadline;
		det_reason_add(&f, "manual.reverify_deadline",
			       "no real-name re-verification within %lld h of the request",
			       (long long)(e->reverify_deadline / SS_US_PER_HOUR));
		struct rep_record view = *cur;
		if (white)
			view.list = REP_LIST_WHITE;
		struct act_action action;
		if (act_policy_decide(e->policy, &f, &view, &action) == REP_ACTION_NONE)
			continue;
		action.emitted_at = ss_time_now();
		rep_group_begin(e->opt.rep);
		engine_emit(e, &action);
		e->counters.reverify_expired++;
		for (size_t i = 0; i < keys.n; i++) {
			if (!found[i])
				continue;
			recs[i].last_action = (uint8_t)action.kind;
			recs[i].last_action_time = action.event_time;
			recs[i].last_action_id = action.id;
			recs[i].actions++;
			int bit = det_reason_bit("manual.reverify_deadline");
			if (bit >= 0)
				recs[i].reasons |= UINT64_C(1) << bit;
			if (rep_put(e->opt.rep, keys.type[i], keys.id[i], &recs[i]) < 0)
				e->counters.rep_errors++;
		}
		if (rep_group_end(e->opt.rep) < 0)
			e->counters.rep_errors++;
	}
}

/*
 * After a restart: every reverify still in force in the store gets its
 * deadline back.  A SIM's decision is stored under its IMSI and its MSISDN
 * with the same action id, so entries are merged by that id into one
 * subject with both identities (an escalation must update both records).
 */
struct pending_scan {
	struct ss_idmap by_id; /* action id -> index into found[] */
	struct pending_reverify *found;
	size_t n, cap;
};

static int pending_visit(void *ctx, enum rep_key_type type, const char *id, const struct rep_record *rec)
{
	struct pending_scan *ps = ctx;
	uint32_t idx;

	if (type != REP_KEY_IMSI && type != REP_KEY_MSISDN)
		return 0;
	uint64_t key = rec->last_action_id ? rec->last_action_id : 1;
	if (!ss_idmap_get(&ps->by_id, key, &idx)) {
		if (ps->n == ps->cap) {
			size_t cap = ps->cap ? ps->cap * 2 : 64;
			struct pending_reverify *p = realloc(ps->found, cap * sizeof(*p));
			if (!p)
				return -ENOMEM;
			ps->found = p;
			ps->cap = cap;
		}
		idx = (uint32_t)ps->n++;
		memset(&ps->found[idx], 0, sizeof(ps->found[idx]));
		ps->found[idx].subject.kind = DET_SUBJECT_SIM;
		ps->found[idx].action_time = rec->last_action_time;
		if (ss_idmap_put(&ps->by_id, key, idx))
			return -ENOMEM;
	}
	struct det_subject *s = &ps->found[idx].subject;
	if (type == REP_KEY_IMSI)
		snprintf(s->imsi, sizeof(s->imsi), "%s", id);
	else
		snprintf(s->msisdn, sizeof(s->msisdn), "%s", id);
	return 0;
}

static int pending_restore(struct engine *e)
{
	struct pending_scan ps = { 0 };
	ss_idmap_init(&ps.by_id);
	int rc = rep_foreach_action(e->opt.rep, REP_ACTION_REVERIFY, pending_visit, &ps);
	for (size_t i = 0; rc == 0 && i < ps.n; i++)
		pending_push(e, &ps.found[i].subject, ps.found[i].action_time);
	ss_idmap_free(&ps.by_id);
	free(ps.found);
	return rc;
}

/* ---- control records: breaker resets, operator releases, the input clock ---------- */

#define ENGINE_CLOCK_KEY "engine/clock"

/* The input clock, committed with the decisions it covers (resume after a restart). */
static void engine_put_clock(struct engine *e)
{
	uint8_t v[16];
	if (!e->clock)
		return;
	/* The time, and how many events at exactly that time were processed. */
	rep_be64_put(v, (uint64_t)e->clock);
	rep_be64_put(v + 8, e->at_clock);
	if (rep_meta_put(e->opt.rep, ENGINE_CLOCK_KEY, strlen(ENGINE_CLOCK_KEY), v, sizeof(v)) < 0)
		e->counters.rep_errors++;
}

static int release_mark_visit(void *ctx, const struct act_release_record *rec, const uint8_t *key)
{
	struct engine *e = ctx;
	(void)rec;
	memcpy(e->release_mark, key, sizeof(e->release_mark));
	e->has_release_mark = true;
	return 0;
}

/*
 * The breaker's limits and its state in the store (a trip survives a
 * restart); releases made before this engine started are history: its
 * detectors start empty, and evidence older than a release is ignored.
 */
static int engine_control_open(struct engine *e, const struct ss_config *cfg)
{
	struct act_breaker_state st;
	int rc = act_breaker_init(cfg, e->opt.breaker_defaults, &e->breaker);

	if (rc < 0)
		return rc;
	rc = act_ctl_breaker_read(e->opt.rep, &st);
	if (rc < 0)
		return rc;
	e->breaker_reset_gen = st.resets;
	if (e->opt.resume) {
		uint8_t v[16];
		size_t len = 0;
		if (rep_meta_get(e->opt.rep, ENGINE_CLOCK_KEY, strlen(ENGINE_CLOCK_KEY), v, sizeof(v), &len) == 0 &&
		    len == 16) {
			char when[40] = "";
			e->resume_clock = (ss_time_us)rep_be64_get(v);
			e->resume_count = rep_be64_get(v + 8);
			ss_time_format(e->resume_clock, when, sizeof(when));
			ss_info("resuming: input up to %s was decided before the restart (detector state only)", when);
		}
	}
	uint32_t mask = act_ctl_breaker_tripped(&st);
	if (mask && act_breaker_enabled(e->breaker)) {
		act_breaker_restore(e->breaker, mask);
		ss_warn("circuit breaker is tripped (%s): block/reverify/limit go out in shadow mode until "
			"`simsieve rep breaker reset`",
			st.reason);
	}
	return act_ctl_release_scan(e->opt.rep, NULL, release_mark_visit, e);
}

static int release_apply(void *ctx, const struct act_release_record *rel, const uint8_t *key)
{
	struct engine *e = ctx;
	struct subject_keys keys;

	memcpy(e->release_mark, key, sizeof(e->release_mark));
	e->has_release_mark = true;
	engine_reset_subject(e, &rel->subject);
	subject_keys(&rel->subject, &keys);
	rep_group_begin(e->opt.rep);
	for (size_t i = 0; i < keys.n; i++) {
		struct rep_record rec;
		if (rep_get(e->opt.rep, keys.type[i], keys.id[i], &rec) < 0)
			continue;
		/* Re-assert what `rep release` committed, over any older update in our batch. */
		rec.score = 0;
		rec.score_time = rel->event_time;
		rec.last_action = REP_ACTION_RELEASE;
		rec.last_action_time = rel->event_time;
		rec.last_action_id = rel->id;
		int bit = det_reason_bit("manual.release");
		rec.reasons = bit >= 0 ? UINT64_C(1) << bit : 0;
		if (rel->shadow)
			rec.flags |= REP_FLAG_SHADOW_ACTION;
		else
			rec.flags &= (uint16_t)~REP_FLAG_SHADOW_ACTION;
		if (rep_put(e->opt.rep, keys.type[i], keys.id[i], &rec) < 0)
			e->counters.rep_errors++;
	}
	if (rep_group_end(e->opt.rep) < 0)
		e->counters.rep_errors++;
	e->counters.releases_applied++;
	ss_info("release of %s%s%s%s%s%s picked up: detectors forget it, older evidence is ignored",
		rel->subject.imsi[0] ? "imsi:" : "", rel->subject.imsi,
		rel->subject.imsi[0] && rel->subject.msisdn[0] ? " " : "", rel->subject.msisdn[0] ? "msisdn:" : "",
		rel->subject.msisdn, rel->subject.imei[0] ? rel->subject.imei : "");
	return 0;
}

void engine_check_control(struct engine *e)
{
	struct act_breaker_state st;
	int rc = act_ctl_breaker_read(e->opt.rep, &st);

	if (rc == 0 && st.resets > e->breaker_reset_gen) {
		e->breaker_reset_gen = st.resets;
		e->counters.breaker_resets++;
		if (act_breaker_tripped(e->breaker))
			ss_warn("circuit breaker reset%s%s: block/reverify/limit are enforced again",
				st.reset_note[0] ? " by " : "", st.reset_note);
		act_breaker_reset(e->breaker);
	}
	if (rc == 0)
		rc = act_ctl_release_scan(e->opt.rep, e->has_release_mark ? e->release_mark : NULL, release_apply, e);
	if (rc < 0) {
		e->counters.rep_errors++;
		ss_error("control records: %s", ss_strerror(rc));
	}
}

int engine_open(const struct engine_options *opt, struct engine **out)
{
	struct engine *e = calloc(1, sizeof(*e));
	int rc;

	if (!e)
		return -ENOMEM;
	e->opt = *opt;
	rc = act_policy_init(opt->config, opt->shadow, &e->policy);
	if (rc < 0)
		goto fail;
	rc = ss_config_duration(opt->config, "policy", "reverify_deadline", 72 * SS_US_PER_HOUR,
				&e->reverify_deadline);
	if (rc < 0)
		goto fail;
	rc = det_profile_open(&e->profile);
	if (rc < 0)
		goto fail;
	rc = engine_control_open(e, opt->config);
	if (rc < 0)
		goto fail;
	e->clock_ns = UINT64_MAX;
	for (int i = 0; i < 64; i++) {
		uint64_t a = engine_ns(), b = engine_ns();
		if (b - a < e->clock_ns)
			e->clock_ns = b - a;
	}
	rc = engine_reload_lists(e, true);
	if (rc < 0)
		goto fail;
	if (e->reverify_deadline > 0) {
		rc = pending_restore(e);
		if (rc < 0)
			goto fail;
	}
	struct det_env env = {
		.config = opt->config,
		.emit = engine_on_finding,
		.emit_ctx = e,
		.profile = e->profile,
		.lookup = engine_lookup,
		.lookup_ctx = e,
	};
	for (size_t i = 0; i < det_registry_count && i < sizeof(e->detectors) / sizeof(e->detectors[0]); i++) {
		struct engine_detector *d = &e->detectors[e->n_detectors];
		d->ops = det_registry[i];
		rc = d->ops->init(&d->state, &env);
		if (rc < 0) {
			ss_error("detector %s: %s", d->ops->name, ss_strerror(rc));
			goto fail;
		}
		if (d->ops->prefetch)
			e->prefetchers[e->n_prefetchers++] = *d;
		e->n_detectors++;
	}
	*out = e;
	return 0;
fail:
	engine_close(e);
	return rc;
}

static void engine_tick(struct engine *e, ss_time_us now)
{
	pending_expire(e, now);
	for (size_t i = 0; i < e->n_detectors; i++)
		if (e->detectors[i].ops->tick)
			e->detectors[i].ops->tick(e->detectors[i].state, now);
	e->last_tick = now;
}

/*
 * The re-verification lifecycle (activation.md): the outcome of a real-name
 * re-verification simsieve asked for arrives on the activation feed.
 *
 * reverify_ok      the action in force is lifted with a `release` action,
 *                  the score drops to 0 and every detector forgets the SIM,
 *                  so the same evidence does not ask again; new evidence
 *                  (the SIM keeps calling through a gateway) still counts.
 * reverify_failed  a pending re-verify escalates to block (white list
 *                  still caps it).
 * close            the SIM is gone: detectors forget it; its record stays
 *                  as history.
 */
static void engine_on_lifecycle(struct engine *e, const struct event *ev)
{
	struct det_subject subject;
	struct subject_keys keys;
	struct rep_record recs[3];
	bool found[3];
	int primary = -1;

	memset(&subject, 0, sizeof(subject));
	subject.kind = DET_SUBJECT_SIM;
	memcpy(subject.msisdn, ev->msisdn, sizeof(subject.msisdn));
	memcpy(subject.imsi, ev->imsi, sizeof(subject.imsi));
	subject_keys(&subject, &keys);
	for (size_t i = 0; i < keys.n; i++) {
		found[i] = rep_get(e->opt.rep, keys.type[i], keys.id[i], &recs[i]) == 0;
		if (found[i] && primary < 0)
			primary = (int)i;
	}

	if (ev->activation == EV_ACT_CLOSE || ev->activation == EV_ACT_REVERIFY_OK)
		engine_reset_subject(e, &subject);
	if (e->replaying)
		return; /* decided before the restart */
	if (primary < 0)
		return; /* nothing was ever decided about this SIM */
	const struct rep_record *cur = &recs[primary];

	struct act_action action;
	memset(&action, 0, sizeof(action));
	if (ev->activation == EV_ACT_REVERIFY_OK) {
		bool in_force = cur->last_action != REP_ACTION_NONE && cur->last_action != REP_ACTION_RELEASE;
		action.kind = in_force ? REP_ACTION_RELEASE : REP_ACTION_NONE;
		action.family = "manual";
		action.shadow = (cur->flags & REP_FLAG_SHADOW_ACTION) != 0;
		action.subject = subject;
		action.event_time = ev->time;
		action.score = 0;
		action.strength = DET_WEAK;
		memcpy(action.evidence_record, ev->record_id, sizeof(action.evidence_record));
		action.n_reasons = 1;
		snprintf(action.reasons[0].code, sizeof(action.reasons[0].code), "manual.reverify_ok");
		snprintf(action.reasons[0].detail, sizeof(action.reasons[0].detail),
			 "real-name re-verification passed; lifts %s", act_kind_name(cur->last_action));
	} else if (ev->activation == EV_ACT_REVERIFY_FAILED) {
		if (cur->last_action != REP_ACTION_REVERIFY && cur->last_action != REP_ACTION_LIMIT)
			return;
		struct det_finding f;
		memset(&f, 0, sizeof(f));
		f.family = "manual";
		f.subject = subject;
		f.score = 100;
		f.strength = DET_STRUCTURAL;
		f.event_time = ev->time;
		memcpy(f.evidence_record, ev->record_id, sizeof(f.evidence_record));
		det_reason_add(&f, "manual.reverify_failed", "real-name re-verification failed after %s",
			       act_kind_name(cur->last_action));
		struct rep_record view = *cur;
		for (size_t i = 0; i < keys.n; i++)
			if (found[i] && recs[i].list == REP_LIST_WHITE)
				view.list = REP_LIST_WHITE;
		act_policy_decide(e->policy, &f, &view, &action);
	} else {
		return;
	}
	rep_group_begin(e->opt.rep);
	if (action.kind != REP_ACTION_NONE) {
		action.id = act_action_id(&action);
		action.emitted_at = ss_time_now();
		engine_emit(e, &action);
	}
	for (size_t i = 0; i < keys.n; i++) {
		if (!found[i])
			continue;
		struct rep_record *rec = &recs[i];
		if (ev->activation == EV_ACT_REVERIFY_OK) {
			rec->score = 0;
			rec->score_time = ev->time;
			int bit = det_reason_bit("manual.reverify_ok");
			rec->reasons = bit >= 0 ? UINT64_C(1) << bit : 0;
		}
		if (action.kind != REP_ACTION_NONE) {
			rec->last_action = (uint8_t)action.kind;
			rec->last_action_time = action.event_time;
			rec->last_action_id = action.id;
			rec->actions++;
			if (action.kind == REP_ACTION_BLOCK) {
				rec->score = 100;
				rec->score_time = ev->time;
			}
		}
		rec->last_seen = ev->time > rec->last_seen ? ev->time : rec->last_seen;
		if (rep_put(e->opt.rep, keys.type[i], keys.id[i], rec) < 0)
			e->counters.rep_errors++;
	}
	if (rep_group_end(e->opt.rep) < 0)
		e->counters.rep_errors++;
}

/*
 * Commit the store about once a second of wall time, so another process
 * (`simsieve rep get`) sees a running replay's decisions, and pick up lists
 * another process changed.  Called every 4096 events (keeps the clock read
 * off the hot path) and from engine_advance() when input is idle.
 */
static void engine_housekeeping(struct engine *e)
{
	ss_time_us now = ss_time_monotonic();
	/* A filter filled past its design density by gray marks: rebuild now, not in a second. */
	bool dense = e->lists.bloom.bits && e->lists.entries * 16 > e->lists.bloom.mask + 1;
	if (now - e->last_flush < SS_US_PER_SEC && !dense)
		return;
	/* Before the flush: a release re-asserted here commits with it. */
	engine_check_control(e);
	engine_put_clock(e);
	int rc = rep_flush(e->opt.rep);
	if (rc < 0) {
		e->counters.rep_errors++;
		ss_error("reputation store: %s", ss_strerror(rc));
	}
	/* Lists changed by another process load here, without a restart. */
	rc = engine_reload_lists(e, false);
	if (rc < 0) {
		e->counters.rep_errors++;
		ss_error("list reload: %s", ss_strerror(rc));
	}
	e->last_flush = now;
}

/* engine_event()'s detector calls, each timed (one event in ENGINE_SAMPLE). */
static void engine_event_timed(struct engine *e, const struct event *ev, const struct det_profile_hint *hint,
			       uint32_t bit)
{
	uint64_t t0 = engine_ns(), t1, c = e->clock_ns;
#define ENGINE_SPAN(a, b) ((b) - (a) > c ? (b) - (a) - c : 0)
	det_profile_begin(e->profile, ev, hint);
	t1 = engine_ns();
	e->sample_ns[e->n_detectors] += ENGINE_SPAN(t0, t1);
	for (size_t i = 0; i < e->n_detectors; i++) {
		if (!(e->detectors[i].ops->event_mask & bit))
			continue;
		t0 = t1;
		e->detectors[i].ops->on_event(e->detectors[i].state, ev);
		t1 = engine_ns();
		e->sample_ns[i] += ENGINE_SPAN(t0, t1);
	}
	det_profile_observe(e->profile, ev);
	t0 = engine_ns();
	e->sample_ns[e->n_detectors] += ENGINE_SPAN(t1, t0);
#undef ENGINE_SPAN
	e->samples++;
}

/* One event; @hint: what the prefetch stages found in the profile for it, or NULL. */
static void engine_event(struct engine *e, const struct event *ev, const struct det_profile_hint *hint)
{
	uint32_t bit = EV_MASK(ev->kind);

	/*
	 * Resuming: events up to the committed input position (time, and the
	 * count of events at that time - equal input gives equal order) were
	 * decided before the restart; they rebuild detector state only.
	 */
	e->replaying = false;
	if (e->resume_clock) {
		if (ev->time < e->resume_clock)
			e->replaying = true;
		else if (ev->time == e->resume_clock && e->resume_seen < e->resume_count)
			e->replaying = ++e->resume_seen <= e->resume_count;
	}

	if (ev->kind == EV_ACTIVATION && ev->activation != EV_ACT_OPEN && ev->activation != EV_ACT_SWAP)
		engine_on_lifecycle(e, ev);

	e->counters.events++;
	if (ev->kind < EV_KIND_COUNT)
		e->counters.events_by_kind[ev->kind]++;
	if (ev->time > e->clock) {
		e->clock = ev->time;
		e->at_clock = 0;
	}
	if (ev->time == e->clock)
		e->at_clock++;
	if (e->last_tick == 0)
		e->last_tick = ev->time;
	else if (e->clock - e->last_tick >= ENGINE_TICK_INTERVAL)
		engine_tick(e, e->clock);
	if ((e->counters.events & (ENGINE_SAMPLE - 1)) == 0) {
		engine_event_timed(e, ev, hint, bit);
	} else {
		/* The SIM's profile once for all detectors (det_profile_of() is then a cache hit). */
		det_profile_begin(e->profile, ev, hint);
		for (size_t i = 0; i < e->n_detectors; i++)
			if (e->detectors[i].ops->event_mask & bit)
				e->detectors[i].ops->on_event(e->detectors[i].state, ev);
		/* After the detectors: they saw the SIM as it was before this event. */
		det_profile_observe(e->profile, ev);
	}
	if ((e->counters.events & 4095) == 0)
		engine_housekeeping(e);
}

void engine_on_event(struct engine *e, const struct event *ev)
{
	engine_event(e, ev, NULL);
}

/*
 * Stage 0 (DET_PREFETCH_FAR ahead): index slots, and the profile key kept
 * for the later stages; stage 1 (DET_PREFETCH_NEAR ahead): the records.
 */
static void engine_prefetch(struct engine *e, const struct event *ev, size_t pos, int stage)
{
	uint32_t bit = EV_MASK(ev->kind);
	det_profile_prefetch(e->profile, ev, stage, &e->profile_hint[pos & 31]);
	for (size_t i = 0; i < e->n_prefetchers; i++)
		if (e->prefetchers[i].ops->event_mask & bit)
			e->prefetchers[i].ops->prefetch(e->prefetchers[i].state, ev, stage);
}

void engine_on_events(struct engine *e, const struct event *evs, size_t n)
{
	_Static_assert(DET_PREFETCH_FAR < 32 && DET_PREFETCH_NEAR < DET_PREFETCH_FAR,
		       "profile_hint[] holds the events between stage 0 and the event");
	for (size_t i = 0; i < n && i < DET_PREFETCH_FAR; i++)
		engine_prefetch(e, &evs[i], i, 0);
	for (size_t i = 0; i < n && i < DET_PREFETCH_NEAR; i++)
		engine_prefetch(e, &evs[i], i, 1);
	for (size_t i = 0; i < n; i++) {
		if (i + DET_PREFETCH_FAR < n)
			engine_prefetch(e, &evs[i + DET_PREFETCH_FAR], i + DET_PREFETCH_FAR, 0);
		if (i + DET_PREFETCH_NEAR < n)
			engine_prefetch(e, &evs[i + DET_PREFETCH_NEAR], i + DET_PREFETCH_NEAR, 1);
		engine_event(e, &evs[i], &e->profile_hint[i & 31]);
	}
}

int engine_finish(struct engine *e)
{
	int first = 0;

	if (e->clock)
		engine_tick(e, e->clock);
	for (size_t i = 0; i < e->opt.n_sinks; i++) {
		int rc = act_sink_flush(e->opt.sinks[i]);
		if (rc < 0 && first == 0)
			first = rc;
	}
	engine_put_clock(e);
	int rc = rep_flush(e->opt.rep);
	if (rc < 0 && first == 0)
		first = rc;
	return first;
}

int engine_reload_detectors(struct engine *e, const struct ss_config *cfg)
{
	int first = 0;
	for (size_t i = 0; i < e->n_detectors; i++) {
		if (!e->detectors[i].ops->reload)
			continue;
		int rc = e->detectors[i].ops->reload(e->detectors[i].state, cfg);
		if (rc < 0 && first == 0)
			first = rc;
	}
	return first;
}

void engine_reset_subject(struct engine *e, const struct det_subject *subject)
{
	for (size_t i = 0; i < e->n_detectors; i++)
		if (e->detectors[i].ops->reset_subject)
			e->detectors[i].ops->reset_subject(e->detectors[i].state, subject);
}

const struct engine_counters *engine_counters(const struct engine *e)
{
	return &e->counters;
}

void engine_summary(const struct engine *e, FILE *out)
{
	const struct engine_counters *c = &e->counters;
	uint64_t total[REP_ACTION_RELEASE + 1] = { 0 };

	fprintf(out, "  events: %llu (voice %llu, sms %llu, data %llu, activation %llu, location %llu)\n",
		(unsigned long long)c->events, (unsigned long long)c->events_by_kind[EV_CALL],
		(unsigned long long)c->events_by_kind[EV_SMS], (unsigned long long)c->events_by_kind[EV_DATA],
		(unsigned long long)c->events_by_kind[EV_ACTIVATION],
		(unsigned long long)c->events_by_kind[EV_LOCATION]);
	for (size_t i = 0; i < e->n_detectors; i++) {
		struct det_stats st;
		memset(&st, 0, sizeof(st));
		if (e->detectors[i].ops->stats)
			e->detectors[i].ops->stats(e->detectors[i].state, &st);
		fprintf(out,
			"  detector %s: %llu events, %llu findings, %llu subjects tracked, %llu evicted, "
			"%llu KiB state\n",
			e->detectors[i].ops->name, (unsigned long long)st.events,
			(unsigned long long)st.findings, (unsigned long long)st.subjects,
			(unsigned long long)st.evictions, (unsigned long long)(st.state_bytes / 1024));
	}
	uint64_t total_ns = 0;
	for (size_t i = 0; i <= e->n_detectors; i++)
		total_ns += e->sample_ns[i];
	if (total_ns > 0) {
		fprintf(out, "  detector time (1 event in %d timed, %llu samples):", ENGINE_SAMPLE,
			(unsigned long long)e->samples);
		for (size_t i = 0; i <= e->n_detectors; i++)
			fprintf(out, " %s %.1f%%", i < e->n_detectors ? e->detectors[i].ops->name : "profile",
				100.0 * (double)e->sample_ns[i] / (double)total_ns);
		fprintf(out, "\n");
	}
	for (size_t f = 0; f < ENGINE_FAMILY_COUNT; f++) {
		uint64_t sum = 0;
		for (int k = 1; k <= REP_ACTION_RELEASE; k++)
			sum += c->actions[f][k];
		if (!sum)
			continue;
		fprintf(out, "  actions %s:", engine_families[f]);
		for (int k = REP_ACTION_BLOCK; k >= REP_ACTION_MONITOR; k--)
			fprintf(out, " %s %llu", act_kind_name((enum rep_action_kind)k),
				(unsigned long long)c->actions[f][k]);
		fprintf(out, " release %llu\n", (unsigned long long)c->actions[f][REP_ACTION_RELEASE]);
		for (int k = 1; k <= REP_ACTION_RELEASE; k++)
			total[k] += c->actions[f][k];
	}
	fprintf(out, "  actions total: block %llu, reverify %llu, limit %llu, monitor %llu, release %llu "
		     "(%llu in shadow mode); %llu findings, %llu needed no new action\n",
		(unsigned long long)total[REP_ACTION_BLOCK], (unsigned long long)total[REP_ACTION_REVERIFY],
		(unsigned long long)total[REP_ACTION_LIMIT], (unsigned long long)total[REP_ACTION_MONITOR],
		(unsigned long long)total[REP_ACTION_RELEASE], (unsigned long long)c->shadow_actions,
		(unsigned long long)c->findings, (unsigned long long)c->actions_suppressed);
	fprintf(out, "  profiles: %zu SIMs, %zu KiB; lists: %llu listed subjects, %llu loads, %llu store "
		     "lookups, %llu gray-marked; re-verifications expired %llu, pending %zu\n",
		det_profile_count(e->profile), det_profile_bytes(e->profile) / 1024,
		(unsigned long long)c->listed_entries, (unsigned long long)c->list_reloads,
		(unsigned long long)c->store_lookups, (unsigned long long)c->gray_marked,
		(unsigned long long)c->reverify_expired, e->n_pending);
	if (c->resumed_findings)
		fprintf(out, "  resumed: %llu findings on input decided before the restart (not decided again)\n",
			(unsigned long long)c->resumed_findings);
	if (act_breaker_enabled(e->breaker) || c->breaker_trips || c->releases_applied || c->released_evidence) {
		uint32_t mask = act_breaker_tripped(e->breaker);
		char tripped[256] = "";
		size_t n = 0;
		for (int s = 0; s < ACT_BREAKER_SCOPES && n < sizeof(tripped) - 16; s++)
			if (mask & (1u << s))
				n += (size_t)snprintf(tripped + n, sizeof(tripped) - n, "%s%s", n ? "," : "",
						      act_breaker_scope_name(s));
		fprintf(out, "  breaker: %llu trips, %llu actions shadowed, %llu resets, tripped now: %s; releases "
			     "picked up %llu, findings on released evidence %llu\n",
			(unsigned long long)c->breaker_trips, (unsigned long long)c->breaker_shadowed,
			(unsigned long long)c->breaker_resets, n ? tripped : "none",
			(unsigned long long)c->releases_applied, (unsigned long long)c->released_evidence);
	}
	if (c->sink_errors || c->rep_errors)
		fprintf(out, "  errors: %llu sink, %llu reputation store\n", (unsigned long long)c->sink_errors,
			(unsigned long long)c->rep_errors);
}

void engine_close(struct engine *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n_detectors; i++)
		if (e->detectors[i].ops->fini)
			e->detectors[i].ops->fini(e->detectors[i].state);
	act_policy_free(e->policy);
	act_breaker_free(e->breaker);
	det_profile_close(e->profile);
	ss_bloom_free(&e->lists.bloom);
	free(e->pending);
	free(e);
}

void engine_advance(struct engine *e, ss_time_us now)
{
	if (now <= e->clock)
		return;
	e->clock = now;
	if (e->last_tick == 0)
		e->last_tick = now;
	else if (e->clock - e->last_tick >= ENGINE_TICK_INTERVAL)
		engine_tick(e, e->clock);
	engine_housekeeping(e);
}

int engine_set_policy(struct engine *e, const struct ss_config *cfg)
{
	struct act_policy *p;
	struct act_breaker *b;
	int rc = act_policy_init(cfg, e->opt.shadow, &p);
	if (rc < 0)
		return rc;
	rc = act_breaker_init(cfg, e->opt.breaker_defaults, &b);
	if (rc < 0) {
		act_policy_free(p);
		return rc;
	}
	/* New limits; a trip stays until it is reset. */
	act_breaker_restore(b, act_breaker_tripped(e->breaker));
	act_breaker_free(e->breaker);
	e->breaker = b;
	act_policy_free(e->policy);
	e->policy = p;
	return 0;
}

uint32_t engine_breaker_tripped(const struct engine *e)
{
	return act_breaker_tripped(e->breaker);
}
