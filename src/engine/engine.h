/*
 * engine.h - the pipeline core: events → detectors → reputation → actions.
 *
 * The engine owns the detector instances and the policy; it borrows the
 * reputation store and the sinks from its caller (a verb), which opens and
 * closes them.  Detectors report findings through a callback; the engine
 * reads the subject's reputation, asks the policy for an action, writes the
 * action to every sink and records both in the store.
 *
 * Single-threaded: one engine per thread of events.
 */
#ifndef SS_ENGINE_ENGINE_H
#define SS_ENGINE_ENGINE_H

#include "act/act.h"
#include "core/config.h"
#include "detect/detect.h"
#include "event/event.h"
#include "rep/rep.h"

#include <stdbool.h>
#include <stdio.h>

struct engine_options {
	const struct ss_config *config; /* may be NULL: all defaults */
	struct rep *rep;		/* borrowed, required */
	struct act_sink **sinks;	/* borrowed */
	size_t n_sinks;
	bool shadow; /* force shadow mode for every family */
	/*
	 * outbox: every action also goes into the store's durable outbox
	 * (rep_outbox_put), committed in the same write transaction as the
	 * record changes of its decision; a dispatcher (act/dispatch.h)
	 * delivers it.  The replay and the daemon set it and give no sinks.
	 */
	bool outbox;
	/* breaker_defaults: the circuit breaker's built-in limits apply without [breaker] keys (daemon). */
	bool breaker_defaults;
	/*
	 * resume: the input is read again from its start after a restart (the
	 * daemon's feeds, `replay --resume`).  Every commit records the input
	 * clock with the decisions ("engine/clock"); on open the engine takes
	 * it back, and findings and lifecycle events older than it only
	 * rebuild detector state: they were decided, committed and put in the
	 * outbox before the restart, and must not be decided again - not even
	 * differently, with what the store learned since.
	 */
	bool resume;
};

struct engine_counters {
	uint64_t events;
	uint64_t events_by_kind[EV_KIND_COUNT];
	uint64_t findings;
	uint64_t actions_suppressed; /* below threshold, cooldown, already in force */
	uint64_t sink_errors;
	uint64_t rep_errors;
	/* actions[family][kind], family index as in engine_family_name() */
	uint64_t actions[16][REP_ACTION_RELEASE + 1];
	uint64_t shadow_actions;
	uint64_t list_reloads;	   /* list filter (re)loads */
	uint64_t listed_entries;   /* subjects in the list filter */
	uint64_t store_lookups;	   /* detector lookups that reached the store */
	uint64_t reverify_expired; /* re-verifications escalated at their deadline */
	uint64_t gray_marked;	   /* subjects put on the gray list by findings (mark_list) */
	uint64_t breaker_trips;	   /* circuit breaker trips (act/breaker.h) */
	uint64_t breaker_shadowed; /* enforce actions sent in shadow mode by a tripped breaker */
	uint64_t breaker_resets;   /* resets picked up from the store */
	uint64_t releases_applied; /* operator releases (`rep release`) picked up from the store */
	uint64_t released_evidence; /* findings ignored: evidence older than the subject's release */
	uint64_t resumed_findings;  /* findings on input decided before a restart (resume) */
};

struct engine;

int engine_open(const struct engine_options *opt, struct engine **out);

/* engine_on_event() - run every interested detector on @ev (time order expected). */
void engine_on_event(struct engine *e, const struct event *ev);

/*
 * engine_on_events() - the same for @n events in order, with detectors'
 * prefetch hints issued a few events ahead (the replay feeds batches).
 */
void engine_on_events(struct engine *e, const struct event *evs, size_t n);

/* engine_finish() - final tick, flush sinks and the store.  0 or first error. */
int engine_finish(struct engine *e);

/*
 * engine_reload_lists() - reload the black/gray/white list filter from the
 * store if its list generation changed (always with @force).  The engine
 * also checks by itself about once a second of wall time; a daemon calls
 * this on SIGHUP.  0 or negative code (the old filter stays).
 */
int engine_reload_lists(struct engine *e, bool force);

/*
 * engine_reload_detectors() - SIGHUP: every detector with a reload
 * operation re-reads its external data (signature sets, allow-lists)
 * named in @cfg, which must outlive the call only.  Returns 0 or the first
 * error; a detector that fails keeps its old data.
 */
int engine_reload_detectors(struct engine *e, const struct ss_config *cfg);

/*
 * engine_check_control() - read the control records now (the engine also
 * does it about once a second): a breaker reset written by `simsieve rep
 * breaker reset`, operator releases written by `simsieve rep release`
 * (detectors forget the subject; its records are re-asserted as released
 * in this engine's batch, so a pending update cannot undo the release).
 */
void engine_check_control(struct engine *e);

/* engine_breaker_tripped() - scopes the breaker holds in shadow mode (bit 0 engine, 1+ families). */
uint32_t engine_breaker_tripped(const struct engine *e);

/* engine_reset_subject() - forget a subject in every detector (appeal). */
void engine_reset_subject(struct engine *e, const struct det_subject *subject);

const struct engine_counters *engine_counters(const struct engine *e);

/* engine_family_name() - family for an index of engine_counters.actions, or NULL. */
const char *engine_family_name(size_t index);

/* engine_summary() - detector and action lines of the replay summary. */
void engine_summary(const struct engine *e, FILE *out);

void engine_close(struct engine *e); /* accepts NULL */

/*
 * engine_advance() - the input clock moved to @now without an event (a
 * daemon whose inputs are idle follows the wall clock): detectors get
 * their tick so windows expire and idle subjects are evicted.  Only call
 * it with a time no buffered event is older than (the reorder buffer has
 * released everything up to @now).  Earlier times are ignored.
 */
void engine_advance(struct engine *e, ss_time_us now);

/*
 * engine_set_policy() - replace the policy ([policy], [policy.<family>])
 * with the one in @cfg (configuration reload).  Detectors keep their
 * settings and state.  On error (logged, -SS_ECONFIG) the old policy stays.
 */
int engine_set_policy(struct engine *e, const struct ss_config *cfg);

#endif
