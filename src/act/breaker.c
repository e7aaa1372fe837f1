/*
 * breaker.c - the circuit breaker on mass action (act/breaker.h).
 *
 * Per scope and window a FIFO of (time, subject hash) holds the distinct
 * subjects admitted within the window; a subject already in it does not
 * count again.  The FIFO never holds more than limit + 1 entries (the
 * scope trips at limit + 1 and stops counting), so memory is bounded by
 * the limits and the linear look-up costs at most a few thousand compares
 * per strong action - actions are rare next to events.
 */
#include "act/breaker.h"

#include "core/err.h"
#include "core/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const scope_names[ACT_BREAKER_SCOPES] = {
	"engine", "simbox", "bulk_open", "silent", "roaming", "scam_sms", "wangiri", "list", "manual",
};

struct bwin {
	uint32_t limit; /* 0 = off */
	ss_time_us span;
	ss_time_us *t;
	uint64_t *h;
	uint32_t head, len, cap;
};

struct act_breaker {
	struct bwin win[ACT_BREAKER_SCOPES][2]; /* [scope][0 minute, 1 hour] */
	uint32_t tripped;
	bool enabled;
};

const char *act_breaker_scope_name(int scope)
{
	return scope >= 0 && scope < ACT_BREAKER_SCOPES ? scope_names[scope] : NULL;
}

static int scope_of(const char *family)
{
	for (int i = 1; i < ACT_BREAKER_SCOPES; i++)
		if (family && strcmp(scope_names[i], family) == 0)
			return i;
	return -1;
}

static int win_init(struct bwin *w, uint32_t limit, ss_time_us span)
{
	memset(w, 0, sizeof(*w));
	w->limit = limit;
	w->span = span;
	if (!limit)
		return 0;
	w->cap = limit + 1;
	w->t = calloc(w->cap, sizeof(*w->t));
	w->h = calloc(w->cap, sizeof(*w->h));
	return w->t && w->h ? 0 : -ENOMEM;
}

static void win_expire(struct bwin *w, ss_time_us now)
{
	while (w->len && w->t[w->head] <= now - w->span) {
		w->head = (w->head + 1) % w->cap;
		w->len--;
	}
}

static bool win_has(const struct bwin *w, uint64_t h)
{
	for (uint32_t i = 0; i < w->len; i++)
		if (w->h[(w->head + i) % w->cap] == h)
			return true;
	return false;
}

static void win_add(struct bwin *w, uint64_t h, ss_time_us now)
{
	if (w->len == w->cap)
		return;
	uint32_t i = (w->head + w->len) % w->cap;
	w->t[i] = now;
	w->h[i] = h;
	w->len++;
}

/* Would admitting @h exceed the window's limit? */
static bool win_over(struct bwin *w, uint64_t h, ss_time_us now)
{
	if (!w->limit)
		return false;
	win_expire(w, now);
	return !win_has(w, h) && w->len + 1 > w->limit;
}

static void win_admit(struct bwin *w, uint64_t h, ss_time_us now)
{
	if (w->limit && !win_has(w, h))
		win_add(w, h, now);
}

int act_breaker_init(const struct ss_config *cfg, bool defaults_on, struct act_breaker **out)
{
	struct act_breaker *b = calloc(1, sizeof(*b));
	int64_t pm, ph;
	int rc;

	*out = NULL;
	if (!b)
		return -ENOMEM;
	rc = ss_config_int(cfg, "breaker", "per_minute", defaults_on ? ACT_BREAKER_DEFAULT_PER_MINUTE : 0, 0,
			   1000000, &pm);
	if (rc == 0)
		rc = ss_config_int(cfg, "breaker", "per_hour", defaults_on ? ACT_BREAKER_DEFAULT_PER_HOUR : 0, 0,
				   10000000, &ph);
	if (rc == 0)
		rc = win_init(&b->win[0][0], (uint32_t)pm, SS_US_PER_MIN);
	if (rc == 0)
		rc = win_init(&b->win[0][1], (uint32_t)ph, SS_US_PER_HOUR);
	for (int s = 1; rc == 0 && s < ACT_BREAKER_SCOPES; s++) {
		char sec[64];
		int64_t fm, fh;
		snprintf(sec, sizeof(sec), "breaker.%s", scope_names[s]);
		rc = ss_config_int(cfg, sec, "per_minute", pm, 0, 1000000, &fm);
		if (rc == 0)
			rc = ss_config_int(cfg, sec, "per_hour", ph, 0, 10000000, &fh);
		if (rc == 0)
			rc = win_init(&b->win[s][0], (uint32_t)fm, SS_US_PER_MIN);
		if (rc == 0)
			rc = win_init(&b->win[s][1], (uint32_t)fh, SS_US_PER_HOUR);
	}
	if (rc < 0) {
		act_breaker_free(b);
		return rc == -ENOMEM ? rc : -SS_ECONFIG;
	}
	for (int s = 0; s < ACT_BREAKER_SCOPES; s++)
		b->enabled = b->enabled || b->win[s][0].limit || b->win[s][1].limit;
	*out = b;
	return 0;
}

void act_breaker_free(struct act_breaker *b)
{
	if (!b)
		return;
	for (int s = 0; s < ACT_BREAKER_SCOPES; s++)
		for (int w = 0; w < 2; w++) {
			free(b->win[s][w].t);
			free(b->win[s][w].h);
		}
	free(b);
}

bool act_breaker_enabled(const struct act_breaker *b)
{
	return b && b->enabled;
}

bool act_breaker_admit(struct act_breaker *b, const char *family, uint64_t subject, ss_time_us now,
		       bool *tripped_now, struct act_breaker_trip *trip)
{
	int fs = scope_of(family);

	*tripped_now = false;
	if (!b || !b->enabled)
		return true;
	if (b->tripped & 1u)
		return false;
	if (fs > 0 && (b->tripped & (1u << fs)))
		return false;
	/* The family first: a burst in one family brakes that family only. */
	int scopes[2] = { fs, 0 };
	for (int k = 0; k < 2; k++) {
		int s = scopes[k];
		if (s < 0)
			continue;
		for (int w = 0; w < 2; w++) {
			if (!win_over(&b->win[s][w], subject, now))
				continue;
			b->tripped |= 1u << s;
			*tripped_now = true;
			trip->scope = s;
			trip->scope_name = scope_names[s];
			trip->window = w ? "hour" : "minute";
			trip->limit = b->win[s][w].limit;
			return false;
		}
	}
	for (int k = 0; k < 2; k++)
		if (scopes[k] >= 0)
			for (int w = 0; w < 2; w++)
				win_admit(&b->win[scopes[k]][w], subject, now);
	return true;
}

uint32_t act_breaker_tripped(const struct act_breaker *b)
{
	return b ? b->tripped : 0;
}

void act_breaker_restore(struct act_breaker *b, uint32_t mask)
{
	if (b)
		b->tripped |= mask & ((1u << ACT_BREAKER_SCOPES) - 1);
}

void act_breaker_reset(struct act_breaker *b)
{
	if (!b)
		return;
	b->tripped = 0;
	for (int s = 0; s < ACT_BREAKER_SCOPES; s++)
		for (int w = 0; w < 2; w++) {
			b->win[s][w].head = 0;
			b->win[s][w].len = 0;
		}
}

uint32_t act_breaker_limit(const struct act_breaker *b, int scope, bool hour)
{
	if (!b || scope < 0 || scope >= ACT_BREAKER_SCOPES)
		return 0;
	return b->win[scope][hour ? 1 : 0].limit;
}
