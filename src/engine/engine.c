/*
 * engine.c - events → detectors → reputation → actions (see engine.h).
 */
#include "engine/engine.h"

#include "core/err.h"
#include "core/log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

struct engine {
	struct engine_options opt;
	struct act_policy *policy;
	struct engine_detector detectors[16];
	size_t n_detectors;
	ss_time_us last_tick;
	ss_time_us clock; /* latest input time seen */
	ss_time_us last_flush; /* wall clock (monotonic) of the last store commit */
	struct engine_counters counters;
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

static void engine_emit(struct engine *e, const struct act_action *action)
{
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

	struct act_action action;
	enum rep_action_kind kind = act_policy_decide(e->policy, f, primary >= 0 || white ? &view : NULL, &action);
	if (kind != REP_ACTION_NONE) {
		action.emitted_at = ss_time_now();
		engine_emit(e, &action);
	} else {
		e->counters.actions_suppressed++;
	}

	for (size_t i = 0; i < keys.n; i++) {
		record_update(e, &recs[i], f, kind != REP_ACTION_NONE ? &action : NULL);
		int rc = rep_put(e->opt.rep, keys.type[i], keys.id[i], &recs[i]);
		if (rc < 0) {
			e->counters.rep_errors++;
			ss_error("reputation store: %s", ss_strerror(rc));
		}
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
	struct det_env env = { .config = opt->config, .emit = engine_on_finding, .emit_ctx = e };
	for (size_t i = 0; i < det_registry_count && i < sizeof(e->detectors) / sizeof(e->detectors[0]); i++) {
		struct engine_detector *d = &e->detectors[e->n_detectors];
		d->ops = det_registry[i];
		rc = d->ops->init(&d->state, &env);
		if (rc < 0) {
			ss_error("detector %s: %s", d->ops->name, ss_strerror(rc));
			goto fail;
		}
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
}

void engine_on_event(struct engine *e, const struct event *ev)
{
	uint32_t bit = EV_MASK(ev->kind);

	if (ev->kind == EV_ACTIVATION && ev->activation != EV_ACT_OPEN && ev->activation != EV_ACT_SWAP)
		engine_on_lifecycle(e, ev);

	e->counters.events++;
	if (ev->kind < EV_KIND_COUNT)
		e->counters.events_by_kind[ev->kind]++;
	if (ev->time > e->clock)
		e->clock = ev->time;
	if (e->last_tick == 0)
		e->last_tick = ev->time;
	else if (e->clock - e->last_tick >= ENGINE_TICK_INTERVAL)
		engine_tick(e, e->clock);
	for (size_t i = 0; i < e->n_detectors; i++)
		if (e->detectors[i].ops->event_mask & bit)
			e->detectors[i].ops->on_event(e->detectors[i].state, ev);
	/*
	 * Commit the store about once a second of wall time, so another
	 * process (`simsieve rep get`) sees a running replay's decisions.
	 * Checking the clock every 4096 events keeps it off the hot path.
	 */
	if ((e->counters.events & 4095) == 0) {
		ss_time_us now = ss_time_monotonic();
		if (now - e->last_flush >= SS_US_PER_SEC) {
			int rc = rep_flush(e->opt.rep);
			if (rc < 0) {
				e->counters.rep_errors++;
				ss_error("reputation store: %s", ss_strerror(rc));
			}
			e->last_flush = now;
		}
	}
}

static void engine_prefetch(const struct engine *e, const struct event *ev, int stage)
{
	uint32_t bit = EV_MASK(ev->kind);
	for (size_t i = 0; i < e->n_detectors; i++)
		if (e->detectors[i].ops->prefetch && (e->detectors[i].ops->event_mask & bit))
			e->detectors[i].ops->prefetch(e->detectors[i].state, ev, stage);
}

void engine_on_events(struct engine *e, const struct event *evs, size_t n)
{
	for (size_t i = 0; i < n && i < DET_PREFETCH_FAR; i++)
		engine_prefetch(e, &evs[i], 0);
	for (size_t i = 0; i < n && i < DET_PREFETCH_NEAR; i++)
		engine_prefetch(e, &evs[i], 1);
	for (size_t i = 0; i < n; i++) {
		if (i + DET_PREFETCH_FAR < n)
			engine_prefetch(e, &evs[i + DET_PREFETCH_FAR], 0);
		if (i + DET_PREFETCH_NEAR < n)
			engine_prefetch(e, &evs[i + DET_PREFETCH_NEAR], 1);
		engine_on_event(e, &evs[i]);
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
	int rc = rep_flush(e->opt.rep);
	if (rc < 0 && first == 0)
		first = rc;
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
	free(e);
}
