/*
 * act.h - from findings to actions: policy, stable ids, JSON Lines, sinks.
 *
 * The policy (config section [policy], docs/configuration.md) maps a
 * finding's score, strength and family to an action kind, applies the
 * white list (never block) and the per-subject cooldown (one action per
 * subject per decision: the same or a weaker action is not re-sent within
 * the cooldown; a stronger one is).  Every action has a stable id - a hash
 * of subject, kind, family and the event time that completed the evidence -
 * so re-emitting the same decision (e.g. a replay after a restart) yields the
 * same id and receivers de-duplicate on it.
 *
 * Output format: ../shared/spec/action.md (JSON Lines).
 */
#ifndef SS_ACT_ACT_H
#define SS_ACT_ACT_H

#include "core/config.h"
#include "detect/detect.h"
#include "rep/rep.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct act_action {
	uint64_t id;
	enum rep_action_kind kind;
	bool shadow;
	const char *family; /* static string */
	ss_time_us event_time;
	ss_time_us emitted_at;
	struct det_subject subject;
	int score;
	enum det_strength strength;
	uint64_t group;
	char evidence_record[EV_RECORD_ID_SIZE];
	int n_reasons;
	struct det_reason reasons[DET_MAX_REASONS];
};

/* act_kind_name() - "block", "reverify", "limit", "monitor", "release". */
const char *act_kind_name(enum rep_action_kind kind);

/*
 * act_action_id() - the stable id of a decision.  Depends only on the
 * subject identities, the kind, the family and the event time.
 */
uint64_t act_action_id(const struct act_action *a);

/*
 * act_action_json() - one action as a single-line JSON object (no newline)
 * in @buf.  Returns the length or -SS_ETOOLONG.
 */
int act_action_json(const struct act_action *a, char *buf, size_t size);

/* ---- policy ---- */

struct act_policy;

int act_policy_init(const struct ss_config *cfg, bool force_shadow, struct act_policy **out);
void act_policy_free(struct act_policy *p);

/*
 * act_policy_decide() - the action for @f given the subject's current
 * record @rec (NULL when unknown).  Fills @a (kind REP_ACTION_NONE = nothing
 * to send: below thresholds, cooldown, or already at that level) and returns
 * its kind.  White-listed subjects are never blocked, limited or asked to
 * re-verify: they get at most monitor, with a reason saying so.
 */
enum rep_action_kind act_policy_decide(const struct act_policy *p, const struct det_finding *f,
				       const struct rep_record *rec, struct act_action *a);

/* act_policy_shadow() - whether @family runs in shadow mode. */
bool act_policy_shadow(const struct act_policy *p, const char *family);

/* ---- sinks ---- */

struct act_sink;

struct act_sink_ops {
	int (*write)(struct act_sink *s, const struct act_action *a, const char *json, size_t len);
	int (*flush)(struct act_sink *s);
	void (*close)(struct act_sink *s);
};

struct act_sink {
	const struct act_sink_ops *ops;
	const char *name;
	uint64_t written;
	uint64_t failed;
};

enum act_fsync_policy {
	ACT_FSYNC_NEVER = 0,  /* leave it to the kernel (replays to a file) */
	ACT_FSYNC_BATCH = 1,  /* fsync on act_sink_flush() */
	ACT_FSYNC_ALWAYS = 2, /* fsync after every action */
};

/*
 * act_sink_jsonl_open() - JSON Lines to @path ("-" = stdout).  With @append
 * an existing file is extended (a daemon's log); otherwise it is truncated
 * (a replay's result).
 */
int act_sink_jsonl_open(const char *path, enum act_fsync_policy fsync_policy, bool append,
			struct act_sink **out);

int act_sink_write(struct act_sink *s, const struct act_action *a);
int act_sink_flush(struct act_sink *s);
void act_sink_close(struct act_sink *s); /* accepts NULL */

#endif
