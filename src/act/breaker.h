/*
 * breaker.h - the safety brake: a circuit breaker on mass action
 * (docs/provisioning.md, "Safety brakes").
 *
 * A rule gone wrong (a bad threshold, a broken feed that makes everyone
 * look like a SIM box) must not cut off thousands of subscribers before a
 * human looks.  The breaker counts the DISTINCT subjects that enforce-mode
 * block / reverify / limit actions hit, per family and for the whole
 * engine, in a sliding minute and a sliding hour of the input clock (the
 * action's event_time: a replay of last month behaves as the daemon did).
 * When a scope would exceed its limit the breaker trips: that action and
 * every later one of the scope (the whole engine: every family) go out in
 * shadow mode - still recorded and delivered, with mode "shadow" - until an
 * explicit reset (`simsieve rep breaker reset`).  monitor and release are
 * never braked.
 *
 * Configuration: [breaker] per_minute, per_hour (the engine), and
 * [breaker.<family>] per_minute, per_hour (default: the engine's values).
 * 0 disables a limit.  Without any [breaker] key the limits are the
 * built-in defaults when the caller asks for them (the daemon) and off
 * otherwise (replay).
 *
 * Pure in-memory state; persistence of a trip and of resets is the
 * caller's (act/control.h, the engine).
 */
#ifndef SS_ACT_BREAKER_H
#define SS_ACT_BREAKER_H

#include "core/config.h"
#include "core/time.h"

#include <stdbool.h>
#include <stdint.h>

#define ACT_BREAKER_SCOPES 9 /* 0: the engine; 1..8: the families of action.md */
#define ACT_BREAKER_DEFAULT_PER_MINUTE 100
#define ACT_BREAKER_DEFAULT_PER_HOUR 1000

struct act_breaker;

struct act_breaker_trip {
	int scope;		/* 0 engine, else family */
	const char *scope_name; /* "engine", "simbox", ... */
	const char *window;	/* "minute" or "hour" */
	uint32_t limit;
};

/*
 * act_breaker_init() - limits from @cfg; @defaults_on: without [breaker]
 * keys use the built-in limits (else none).  -SS_ECONFIG on a bad value.
 */
int act_breaker_init(const struct ss_config *cfg, bool defaults_on, struct act_breaker **out);
void act_breaker_free(struct act_breaker *b); /* accepts NULL */

/* act_breaker_enabled() - any limit set. */
bool act_breaker_enabled(const struct act_breaker *b);

/*
 * act_breaker_admit() - may an enforce-mode block/reverify/limit by
 * @family on the subject hashed to @subject at input time @now go out?
 * false: send it in shadow mode.  When this very call trips a scope,
 * *@tripped_now is set and @trip describes it.
 */
bool act_breaker_admit(struct act_breaker *b, const char *family, uint64_t subject, ss_time_us now,
		       bool *tripped_now, struct act_breaker_trip *trip);

/* Tripped scopes as a bit mask (bit s = scope s). */
uint32_t act_breaker_tripped(const struct act_breaker *b);

/* act_breaker_restore() - trip the scopes in @mask (state read back after a restart). */
void act_breaker_restore(struct act_breaker *b, uint32_t mask);

/* act_breaker_reset() - clear every trip and every window. */
void act_breaker_reset(struct act_breaker *b);

/* act_breaker_scope_name() - "engine", "simbox", ...; NULL out of range. */
const char *act_breaker_scope_name(int scope);

/* act_breaker_limit() - a scope's limit per minute (@hour false) or hour. */
uint32_t act_breaker_limit(const struct act_breaker *b, int scope, bool hour);

#endif
