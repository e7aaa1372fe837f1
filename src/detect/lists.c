/*
 * lists.c - black / gray list hits (reason family `list`).
 *
 * Shared lists (industry black lists, the anti-fraud centre's numbers,
 * the operator's own gray list) are imported into the reputation store with
 * `simsieve rep import`; the engine keeps a Bloom filter of every listed
 * subject and reloads it when the store's list generation changes, so this
 * detector can ask about both parties of every call and SMS at the cost of a
 * few hashed bit tests (DET_LOOKUP_LISTED_ONLY) - the store is read only for
 * listed subjects and the filter's rare false positives.
 *
 * What a hit does (issue 5: "gray hits raise risk, black hits act"):
 *
 *   listed party            black                        gray
 *   the other party         block the number (for        monitor the number; marks
 *   (caller / callee /      interception): STRUCTURAL    nothing on our subscriber
 *   SMS sender)             100, subject = number only
 *   our served SIM          block the SIM: STRUCTURAL    monitor the SIM and raise its
 *                           100                          risk for other detectors
 *                                                        (profile boost)
 *
 * Our subscribers who are merely reached by (or call back) a listed number
 * are victims, never punished: their contacts are counted, nothing more.
 * White-listed subjects are skipped here (the policy also caps them).
 *
 * Each listed subject is reported at most once per `report_interval`
 * (default 24 h) so a black number calling 10,000 subscribers is one
 * finding, not 10,000 store writes.
 */
#include "detect/detect.h"

#include "core/err.h"
#include "core/log.h"
#include "core/idmap.h"
#include "detect/profile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Keys of the reported map: the served SIM's is the profile's per-event key
 * (det_profile_sim_key(): IMSI in namespace 1, else MSISDN in namespace 2),
 * computed once per event for every detector; another party's is
 * ss_idmap_key16() in namespace 3 (ss_idmap_key() for the rare party of 16+
 * characters, an alphanumeric sender).
 */
#define NS_PROFILE_IMSI 1
#define NS_PROFILE_MSISDN 2
#define NS_NUMBER 3

static inline uint64_t number_key(const char *party)
{
	return ss_idmap_key_party(party, NS_NUMBER);
}

struct lists_conf {
	ss_time_us report_interval;
	int black_score;
	int gray_score;
	unsigned gray_boost;
};

struct lists {
	struct lists_conf c;
	struct det_env env;
	struct ss_idmap reported; /* subject key -> index into last[] */
	ss_time_us *last;	  /* last report time per reported subject */
	uint8_t *kind;		  /* its list (DET_LIST_*) at that report */
	size_t n_last, cap_last;
	uint64_t events, findings, hits_black, hits_gray, victim_contacts;
	uint64_t clear_skips; /* served-SIM lookups skipped: DET_PROFILE_LIST_CLEAR */
};

static int lists_read_conf(const struct ss_config *cfg, struct lists_conf *c)
{
	int rc = 0;
	rc |= ss_config_duration(cfg, "list", "report_interval", 24 * SS_US_PER_HOUR, &c->report_interval);
	int64_t v;
	rc |= ss_config_int(cfg, "list", "black_score", 100, 0, 100, &v);
	c->black_score = (int)v;
	rc |= ss_config_int(cfg, "list", "gray_score", 50, 0, 100, &v);
	c->gray_score = (int)v;
	rc |= ss_config_int(cfg, "list", "gray_boost", 10, 0, 30, &v);
	c->gray_boost = (unsigned)v;
	return rc ? -SS_ECONFIG : 0;
}

/*
 * A subject reported less than report_interval ago: its list (and true), so
 * the event is counted without asking the store again - a listed number
 * that calls thousands of subscribers costs one store read a day, not one
 * per call.
 */
static bool known_hit(const struct lists *l, uint64_t key, ss_time_us now, int *kind)
{
	uint32_t idx;

	if (!ss_idmap_get(&l->reported, key, &idx))
		return false;
	if (now < l->last[idx] || now - l->last[idx] >= l->c.report_interval)
		return false;
	*kind = l->kind[idx];
	return true;
}

/* Record a report of @key (list @kind) at @now. */
static void note_report(struct lists *l, uint64_t key, ss_time_us now, int kind)
{
	uint32_t idx;

	if (ss_idmap_get(&l->reported, key, &idx)) {
		l->last[idx] = now;
		l->kind[idx] = (uint8_t)kind;
		return;
	}
	if (l->n_last == l->cap_last) {
		size_t cap = l->cap_last ? l->cap_last * 2 : 256;
		ss_time_us *p = realloc(l->last, cap * sizeof(*p));
		if (!p)
			return; /* report again rather than lose a hit */
		l->last = p;
		uint8_t *k = realloc(l->kind, cap);
		if (!k)
			return;
		l->kind = k;
		l->cap_last = cap;
	}
	if (ss_idmap_put(&l->reported, key, (uint32_t)l->n_last) == 0) {
		l->last[l->n_last] = now;
		l->kind[l->n_last++] = (uint8_t)kind;
	}
}

static void count_hit(struct lists *l, int kind)
{
	if (kind == DET_LIST_BLACK)
		l->hits_black++;
	else
		l->hits_gray++;
}

static void emit_hit(struct lists *l, const struct event *ev, bool served, const struct det_lookup_result *r)
{
	struct det_finding f;
	const char *kind = ev->kind == EV_SMS ? "SMS" : "call";

	memset(&f, 0, sizeof(f));
	f.family = "list";
	f.event_time = ev->time;
	memcpy(f.evidence_record, ev->record_id, sizeof(f.evidence_record));
	if (served) {
		f.subject.kind = DET_SUBJECT_SIM;
		memcpy(f.subject.msisdn, ev->msisdn, sizeof(f.subject.msisdn));
		memcpy(f.subject.imsi, ev->imsi, sizeof(f.subject.imsi));
		memcpy(f.subject.imei, ev->imei, sizeof(f.subject.imei));
	} else {
		/* An outside number: only its number identifies it (action.md). */
		f.subject.kind = DET_SUBJECT_NUMBER;
		size_t n = strnlen(ev->other_party, sizeof(ev->other_party));
		if (n >= sizeof(f.subject.msisdn))
			return; /* not an E.164 number (alphanumeric sender): no number to block */
		memcpy(f.subject.msisdn, ev->other_party, n);
	}
	if (r->list == DET_LIST_BLACK) {
		f.score = l->c.black_score;
		f.strength = DET_STRUCTURAL;
		det_reason_add(&f, "list.black", "on black list '%s'", r->source[0] ? r->source : "unnamed");
		det_reason_add(&f, "list.black_contact", "%s %s %s", served ? "our SIM made/received a" : "a",
			       kind, served ? "while listed" : (ev->direction == EV_DIR_MT ? "to a subscriber" : "from a subscriber"));
	} else {
		f.score = l->c.gray_score;
		f.strength = DET_WEAK;
		det_reason_add(&f, "list.gray", "on gray list '%s'", r->source[0] ? r->source : "unnamed");
		det_reason_add(&f, "list.gray_contact", "%s seen in traffic", kind);
	}
	l->findings++;
	l->env.emit(l->env.emit_ctx, &f);
}

static void lists_on_event(void *state, const struct event *ev)
{
	struct lists *l = state;
	struct det_lookup_result r;
	int kind;

	l->events++;
	if (!l->env.lookup)
		return;
	/* The other party: an outside (or our own) number calling / texting / called. */
	if (ev->other_party[0]) {
		uint64_t key = 0;
		/* Nothing reported yet (the usual case without lists): no key to compute. */
		if (l->reported.n && known_hit(l, key = number_key(ev->other_party), ev->time, &kind)) {
			count_hit(l, kind);
			l->victim_contacts++;
		} else if (l->env.lookup(l->env.lookup_ctx, DET_KEY_MSISDN, ev->other_party, DET_LOOKUP_LISTED_ONLY,
					 ev->time, &r) == 0 &&
			   r.list != DET_LIST_WHITE) {
			count_hit(l, r.list);
			l->victim_contacts++; /* our served subscriber is the contacted side: never punished */
			note_report(l, key ? key : number_key(ev->other_party), ev->time, r.list);
			emit_hit(l, ev, false, &r);
		}
	}
	/* The served SIM itself on a list. */
	uint64_t skey = 0;
	if (l->reported.n) {
		skey = det_profile_sim_key(l->env.profile, ev);
		if (skey && known_hit(l, skey, ev->time, &kind)) {
			count_hit(l, kind);
			return;
		}
	}
	/*
	 * Looked up before and on no list: the engine clears the mark whenever
	 * its filter may have changed for this SIM (a reload, a gray mark of
	 * one of its identities), so most events skip both lookups.
	 */
	if (det_profile_current_has(l->env.profile, ev, DET_PROFILE_LIST_CLEAR)) {
		l->clear_skips++;
		return;
	}
	int rc = -SS_ENOTFOUND;
	if (ev->msisdn[0])
		rc = l->env.lookup(l->env.lookup_ctx, DET_KEY_MSISDN, ev->msisdn, DET_LOOKUP_LISTED_ONLY, ev->time, &r);
	if (rc != 0 && ev->imsi[0])
		rc = l->env.lookup(l->env.lookup_ctx, DET_KEY_IMSI, ev->imsi, DET_LOOKUP_LISTED_ONLY, ev->time, &r);
	if (rc == -SS_ENOTFOUND) {
		det_profile_set_current(l->env.profile, ev, DET_PROFILE_LIST_CLEAR);
		return;
	}
	if (rc == 0 && r.list != DET_LIST_WHITE) {
		count_hit(l, r.list);
		if (r.list == DET_LIST_GRAY)
			det_profile_mark(l->env.profile, ev->imsi, ev->msisdn, DET_PROFILE_LISTED_GRAY, l->c.gray_boost);
		if (!skey)
			skey = det_profile_sim_key(l->env.profile, ev);
		if (skey)
			note_report(l, skey, ev->time, r.list);
		emit_hit(l, ev, true, &r);
	}
}

static void lists_reset_subject(void *state, const struct det_subject *s)
{
	struct lists *l = state;
	/* Forget the report time so a re-listed subject after an appeal is reported again. */
	if (s->imsi[0])
		ss_idmap_del(&l->reported, ss_idmap_key16(s->imsi, NS_PROFILE_IMSI));
	if (s->msisdn[0]) {
		ss_idmap_del(&l->reported, ss_idmap_key16(s->msisdn, NS_PROFILE_MSISDN));
		ss_idmap_del(&l->reported, ss_idmap_key16(s->msisdn, NS_NUMBER));
	}
}

static void lists_stats(const void *state, struct det_stats *out)
{
	const struct lists *l = state;
	out->events = l->events;
	out->findings = l->findings;
	out->subjects = l->reported.n;
	out->evictions = 0;
	out->state_bytes = sizeof(*l) + ss_idmap_bytes(&l->reported) + l->cap_last * (sizeof(*l->last) + 1);
}

static void lists_fini(void *state)
{
	struct lists *l = state;
	if (!l)
		return;
	ss_debug("list: %llu events, served-SIM lookups skipped for %llu (looked up before, on no list)",
		 (unsigned long long)l->events, (unsigned long long)l->clear_skips);
	ss_idmap_free(&l->reported);
	free(l->last);
	free(l->kind);
	free(l);
}

static int lists_init(void **state, const struct det_env *env)
{
	struct lists *l = calloc(1, sizeof(*l));
	int rc;

	if (!l)
		return -ENOMEM;
	rc = lists_read_conf(env ? env->config : NULL, &l->c);
	if (rc < 0) {
		free(l);
		return rc;
	}
	if (env)
		l->env = *env;
	ss_idmap_init(&l->reported);
	*state = l;
	return 0;
}

const struct det_detector det_lists = {
	.name = "list",
	.summary = "black / gray list hits on both parties of calls and SMS",
	.event_mask = EV_MASK(EV_CALL) | EV_MASK(EV_SMS),
	.init = lists_init,
	.on_event = lists_on_event,
	.reset_subject = lists_reset_subject,
	.stats = lists_stats,
	.fini = lists_fini,
};
