/*
 * policy.c - findings to action kinds (see act.h and docs/configuration.md).
 *
 * The policy is deliberately a small, explainable table rather than a model:
 * an operator must be able to say why a subscriber was blocked.
 *
 *   strength      score >= block    >= reverify   >= limit   >= monitor
 *   structural    block             reverify      limit      monitor
 *   behavioural   reverify (never block)          limit      monitor
 *   weak          monitor           monitor       monitor    monitor
 *
 * "Behavioural" evidence (a SIM that merely behaves like a gateway SIM) is
 * never enough to cut service: couriers and call centres can look like
 * that, and re-verification lets a real person prove themselves.  Blocking
 * needs structural proof (e.g. SIM-bank rotation inside one gateway).
 */
#include "act/act.h"

#include "core/err.h"
#include "core/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The reason-code families of action.md, fixed by the contract. */
static const char *const policy_families[] = {
	"simbox", "bulk_open", "silent", "roaming", "scam_sms", "wangiri", "list", "manual",
};
#define POLICY_FAMILY_COUNT (sizeof(policy_families) / sizeof(policy_families[0]))

struct family_policy {
	bool shadow;
	double block_score, reverify_score, limit_score, monitor_score;
};

struct act_policy {
	struct family_policy family[POLICY_FAMILY_COUNT];
	ss_time_us cooldown;
};

static int family_index(const char *family)
{
	for (size_t i = 0; i < POLICY_FAMILY_COUNT; i++)
		if (family && strcmp(policy_families[i], family) == 0)
			return (int)i;
	return -1;
}

static int read_mode(const struct ss_config *cfg, const char *section, bool def, bool *shadow)
{
	const char *mode;
	int rc = ss_config_string(cfg, section, "mode", NULL, &mode);
	if (rc < 0)
		return rc;
	*shadow = def;
	if (!mode)
		return 0;
	if (strcmp(mode, "shadow") == 0)
		*shadow = true;
	else if (strcmp(mode, "enforce") == 0)
		*shadow = false;
	else {
		ss_error("%s: [%s] mode = '%s': expected enforce or shadow", ss_config_path(cfg), section, mode);
		return -SS_ECONFIG;
	}
	return 0;
}

static int read_thresholds(const struct ss_config *cfg, const char *section,
			   const struct family_policy *def, struct family_policy *out)
{
	int rc = 0;
	rc |= ss_config_double(cfg, section, "block_score", def->block_score, 0, 101, &out->block_score);
	rc |= ss_config_double(cfg, section, "reverify_score", def->reverify_score, 0, 101, &out->reverify_score);
	rc |= ss_config_double(cfg, section, "limit_score", def->limit_score, 0, 101, &out->limit_score);
	rc |= ss_config_double(cfg, section, "monitor_score", def->monitor_score, 0, 101, &out->monitor_score);
	if (rc)
		return -SS_ECONFIG;
	if (!(out->monitor_score <= out->limit_score && out->limit_score <= out->reverify_score &&
	      out->reverify_score <= out->block_score)) {
		ss_error("%s: [%s] thresholds must satisfy monitor_score <= limit_score <= "
			 "reverify_score <= block_score",
			 ss_config_path(cfg), section);
		return -SS_ECONFIG;
	}
	return 0;
}

int act_policy_init(const struct ss_config *cfg, bool force_shadow, struct act_policy **out)
{
	struct act_policy *p = calloc(1, sizeof(*p));
	struct family_policy global;
	bool global_shadow;
	int rc;

	if (!p)
		return -ENOMEM;
	/* Defaults: see docs/configuration.md for the reasoning. */
	const struct family_policy defaults = {
		.shadow = false, .block_score = 80, .reverify_score = 70, .limit_score = 60, .monitor_score = 40,
	};
	rc = read_mode(cfg, "policy", false, &global_shadow);
	if (rc == 0)
		rc = read_thresholds(cfg, "policy", &defaults, &global);
	if (rc == 0)
		rc = ss_config_duration(cfg, "policy", "cooldown", 24 * SS_US_PER_HOUR, &p->cooldown);
	for (size_t i = 0; rc == 0 && i < POLICY_FAMILY_COUNT; i++) {
		char section[64];
		snprintf(section, sizeof(section), "policy.%s", policy_families[i]);
		rc = read_thresholds(cfg, section, &global, &p->family[i]);
		if (rc == 0)
			rc = read_mode(cfg, section, global_shadow, &p->family[i].shadow);
		if (force_shadow)
			p->family[i].shadow = true;
	}
	if (rc < 0) {
		free(p);
		return rc;
	}
	*out = p;
	return 0;
}

void act_policy_free(struct act_policy *p)
{
	free(p);
}

bool act_policy_shadow(const struct act_policy *p, const char *family)
{
	int i = family_index(family);
	return i >= 0 ? p->family[i].shadow : true;
}

static enum rep_action_kind kind_for(const struct family_policy *fp, int score, enum det_strength strength)
{
	if (score < fp->monitor_score)
		return REP_ACTION_NONE;
	if (strength == DET_WEAK)
		return REP_ACTION_MONITOR;
	if (strength == DET_STRUCTURAL && score >= fp->block_score)
		return REP_ACTION_BLOCK;
	if (score >= fp->reverify_score)
		return REP_ACTION_REVERIFY;
	if (score >= fp->limit_score)
		return REP_ACTION_LIMIT;
	return REP_ACTION_MONITOR;
}

enum rep_action_kind act_policy_decide(const struct act_policy *p, const struct det_finding *f,
				       const struct rep_record *rec, struct act_action *a)
{
	int fi = family_index(f->family);

	memset(a, 0, sizeof(*a));
	a->kind = REP_ACTION_NONE;
	if (fi < 0) {
		ss_warn("finding with unknown family '%s' ignored", f->family ? f->family : "(null)");
		return REP_ACTION_NONE;
	}
	const struct family_policy *fp = &p->family[fi];
	enum rep_action_kind kind = kind_for(fp, f->score, f->strength);
	if (kind == REP_ACTION_NONE)
		return REP_ACTION_NONE;
	/*
	 * An outside number (another operator's subscriber, a foreign caller)
	 * cannot be asked to re-verify or be limited by us: only blocked for
	 * interception on structural evidence, otherwise watched.
	 */
	if (f->subject.kind == DET_SUBJECT_NUMBER && (kind == REP_ACTION_REVERIFY || kind == REP_ACTION_LIMIT))
		kind = REP_ACTION_MONITOR;

	a->family = policy_families[fi];
	a->subject = f->subject;
	a->score = f->score;
	a->strength = f->strength;
	a->group = f->group;
	a->event_time = f->event_time;
	a->shadow = fp->shadow;
	memcpy(a->evidence_record, f->evidence_record, sizeof(a->evidence_record));
	a->n_reasons = f->n_reasons;
	memcpy(a->reasons, f->reasons, sizeof(a->reasons));

	if (rec && rec->list == REP_LIST_WHITE && kind > REP_ACTION_MONITOR) {
		/* White-listed subjects are never cut off; the evidence is kept visible. */
		if (a->n_reasons < DET_MAX_REASONS) {
			struct det_reason *r = &a->reasons[a->n_reasons++];
			snprintf(r->code, sizeof(r->code), "list.white");
			snprintf(r->detail, sizeof(r->detail), "white-listed (%s): %s capped to monitor",
				 rec->list_source[0] ? rec->list_source : "no source", act_kind_name(kind));
		}
		kind = REP_ACTION_MONITOR;
	}

	/*
	 * One action per subject per decision.  An earlier action of the same
	 * or a stronger kind that is still in force suppresses this one: a
	 * block stays until released; weaker kinds are renewed once the
	 * cooldown has passed.  Escalation is always sent.  A subject that was
	 * released is treated as having no action in force.
	 */
	if (rec && rec->last_action != REP_ACTION_NONE && rec->last_action != REP_ACTION_RELEASE) {
		enum rep_action_kind last = (enum rep_action_kind)rec->last_action;
		bool last_shadow = rec->flags & REP_FLAG_SHADOW_ACTION;
		bool in_force = last == REP_ACTION_BLOCK ||
				f->event_time - rec->last_action_time < p->cooldown;
		/* A shadow record does not suppress an enforce decision after a mode change. */
		if (in_force && kind <= last && !(last_shadow && !a->shadow))
			return REP_ACTION_NONE;
	}
	a->kind = kind;
	a->id = act_action_id(a);
	return kind;
}
