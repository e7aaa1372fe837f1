/*
 * roaming.c - SIMs in high-risk networks and areas, and impossible travel
 * (reason family "roaming"; docs/detect-roaming-wangiri.md).
 *
 * Cross-border fraud compounds (northern Myanmar, Cambodia, Laos, the
 * Philippines, the UAE) run on mainland SIMs carried there: freshly opened,
 * often bulk-opened cards, IoT cards with voice, calling home to many
 * strangers.  Ordinary people travel to the same countries, so presence
 * alone is WEAK (monitor); what escalates it comes from the shared SIM
 * profile (age since opening, IoT, bulk origin, risky outlet) and from the
 * SIM's own calls home.
 *
 * Where a SIM is, from any event that says so:
 *  - CDR visited_plmn (MCC+MNC), else a cell_id whose MCC is foreign;
 *  - EV_LOCATION: visited_plmn (Diameter ULR), else the country code of the
 *    VLR/MSC/SGSN E.164 number in other_party (MAP/GSUP UpdateLocation);
 *  - a home cell: at home (checked against domestic cell entries).
 * An event with none of these says nothing about location and is skipped.
 *
 * Impossible travel: per roaming-capable SIM (seen abroad in the last
 * idle_evict) the last (country, time); a switch between two countries
 * faster than the lower bound of their distance (centroid distance minus both
 * radii, areas.c) allows at travel_speed_kmh, with travel_tolerance to spare,
 * is a cloned SIM or a spoofed location update.  Neighbours have a bound of
 * 0, so border crossings never count.
 *
 * State: one 96-byte record per SIM seen abroad or in a listed area, in a
 * dense array indexed by an idmap (IMSI and MSISDN keys both point at it),
 * evicted idle_evict after the SIM was last abroad/in an area.  Home events
 * of SIMs not in the table cost one lookup in a table of roamers.
 */
#include "detect/areas.h"
#include "detect/detect.h"
#include "detect/profile.h"

#include "core/err.h"
#include "core/hash.h"
#include "core/idmap.h"
#include "core/log.h"
#include "core/paths.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NS_IMSI 1
#define NS_MSISDN 2

#define RM_MARKED 0x01u	 /* DET_PROFILE_HIGH_RISK_AREA set */
#define RM_EMITTED 0x02u

#define RM_DEFAULT_AREAS "high-risk-areas.conf"

struct rm_sim {
	uint64_t ki, km;	/* idmap keys of the IMSI / MSISDN (0 = unknown) */
	uint64_t callee[2][2];	/* 128-bit distinct home callees, [0] = current half */
	uint32_t last_t;	/* end of the last located event, seconds */
	uint32_t last_risk;	/* last time abroad or in a listed area (eviction) */
	uint32_t last_hit;	/* last impossible-travel switch (0 = none) */
	uint16_t half;		/* half-window index of bucket [0] */
	uint16_t calls[2], shrt[2]; /* MO calls home and short/unanswered ones */
	uint16_t country;	/* country of the last location (areas.h index, 0 = unknown) */
	uint16_t area;		/* listed area of the last location (index + 1, 0 = none) */
	uint8_t travel_hits, flags, last_score, last_strength;
	uint16_t from_country;	/* the country of the last impossible switch's start */
	uint16_t hit_minutes;	/* its time gap, minutes (saturating) */
	uint32_t hit_km;	/* its lower-bound distance */
};

struct rm_conf {
	const char *areas;
	unsigned home_mcc[4];
	char home_cc[4];
	int fresh_days, tenured_days, calls_home_min_distinct, calls_home_short_secs;
	uint32_t calls_home_window, travel_tolerance, idle_evict;
	double calls_home_min_short_share, travel_speed_kmh, travel_min_km;
	int impossible_travel, travel_min_switches, max_sims;
	int score_fresh_sim, score_bulk_origin, score_calls_home, score_iot_card, score_structural;
	int score_impossible_travel, score_bonus, monitor_threshold, score_step;
};

struct roaming {
	struct rm_conf c;
	struct det_areas *areas;
	char areas_path[PATH_MAX];
	det_emit_fn emit;
	void *emit_ctx;
	struct det_profile *profile;
	unsigned home_country; /* areas.h index of home, 0 = not in the table */
	struct rm_sim *sim;
	uint32_t n, cap;
	struct ss_idmap ix;
	/*
	 * A filter of the keys in ix (one bit each, from the key's top 16
	 * bits; rebuilt when a sweep removes SIMs): most events are at home
	 * from SIMs never seen abroad, and a clear bit answers them without
	 * probing the table.
	 */
	uint64_t seen[1024];
	uint32_t now, next_sweep;
	float lc128[129];
	struct det_stats st;
};

/* ---- configuration ------------------------------------------------------ */

static int conf_int(const struct ss_config *cfg, const char *key, int def, int lo, int hi, int *out)
{
	int64_t v;
	int rc = ss_config_int(cfg, "roaming", key, def, lo, hi, &v);
	*out = (int)v;
	return rc;
}

static int conf_dur(const struct ss_config *cfg, const char *key, double def_s, double lo, double hi,
		    uint32_t *out)
{
	int64_t us;
	int rc = ss_config_duration(cfg, "roaming", key, (int64_t)(def_s * 1e6), &us);
	if (rc < 0)
		return rc;
	double s = (double)us / 1e6;
	if (s < lo || s > hi) {
		ss_error("%s: roaming.%s: out of range [%gs, %gs]", ss_config_path(cfg), key, lo, hi);
		return -SS_ECONFIG;
	}
	*out = (uint32_t)s;
	return 0;
}

static int rm_read_conf(const struct ss_config *cfg, struct rm_conf *c)
{
	const char *mcc, *cc;
	int rc = 0;

	rc |= ss_config_string(cfg, "roaming", "areas", NULL, &c->areas);
	rc |= ss_config_string(cfg, "roaming", "home_mcc", "460,461", &mcc);
	rc |= ss_config_string(cfg, "roaming", "home_cc", "86", &cc);
	rc |= conf_int(cfg, "fresh_days", 14, 0, 365, &c->fresh_days);
	rc |= conf_int(cfg, "tenured_days", 90, 0, 3650, &c->tenured_days);
	rc |= conf_int(cfg, "calls_home_min_distinct", 20, 2, 100, &c->calls_home_min_distinct);
	rc |= conf_int(cfg, "calls_home_short_secs", 60, 1, 3600, &c->calls_home_short_secs);
	rc |= ss_config_double(cfg, "roaming", "calls_home_min_short_share", 0.5, 0, 1,
			       &c->calls_home_min_short_share);
	rc |= conf_dur(cfg, "calls_home_window", 24 * 3600, 3600, 7 * 86400, &c->calls_home_window);
	rc |= conf_int(cfg, "impossible_travel", 1, 0, 1, &c->impossible_travel);
	rc |= conf_int(cfg, "travel_min_switches", 2, 1, 10, &c->travel_min_switches);
	rc |= ss_config_double(cfg, "roaming", "travel_speed_kmh", 900, 100, 5000, &c->travel_speed_kmh);
	rc |= ss_config_double(cfg, "roaming", "travel_min_km", 500, 0, 20000, &c->travel_min_km);
	rc |= conf_dur(cfg, "travel_tolerance", 30 * 60, 0, 12 * 3600, &c->travel_tolerance);
	rc |= conf_dur(cfg, "idle_evict", 7 * 86400, 3600, 90 * 86400, &c->idle_evict);
	rc |= conf_int(cfg, "max_sims", 4194304, 1024, 67108862, &c->max_sims);
	rc |= conf_int(cfg, "score_fresh_sim", 75, 0, 100, &c->score_fresh_sim);
	rc |= conf_int(cfg, "score_bulk_origin", 75, 0, 100, &c->score_bulk_origin);
	rc |= conf_int(cfg, "score_calls_home", 70, 0, 100, &c->score_calls_home);
	rc |= conf_int(cfg, "score_iot_card", 90, 0, 100, &c->score_iot_card);
	rc |= conf_int(cfg, "score_structural", 90, 0, 100, &c->score_structural);
	rc |= conf_int(cfg, "score_impossible_travel", 70, 0, 100, &c->score_impossible_travel);
	rc |= conf_int(cfg, "score_bonus", 5, 0, 50, &c->score_bonus);
	rc |= conf_int(cfg, "monitor_threshold", 40, 1, 100, &c->monitor_threshold);
	rc |= conf_int(cfg, "score_step", 10, 1, 100, &c->score_step);
	if (rc)
		return -SS_ECONFIG;
	if (c->tenured_days < c->fresh_days) {
		ss_error("%s: roaming.tenured_days must be >= roaming.fresh_days", ss_config_path(cfg));
		return -SS_ECONFIG;
	}
	/* home_mcc: 1-4 comma-separated MCCs */
	int n = 0;
	for (const char *p = mcc;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		while (len && *p == ' ')
			p++, len--;
		while (len && p[len - 1] == ' ')
			len--;
		unsigned v = 0;
		bool ok = len == 3 && n < 4;
		for (size_t i = 0; ok && i < len; i++) {
			ok = p[i] >= '0' && p[i] <= '9';
			v = v * 10 + (unsigned)(p[i] - '0');
		}
		if (!ok || v < 200) {
			ss_error("%s: roaming.home_mcc = '%s': expected 1-4 comma-separated 3-digit MCCs",
				 ss_config_path(cfg), mcc);
			return -SS_ECONFIG;
		}
		c->home_mcc[n++] = v;
		if (!comma)
			break;
		p = comma + 1;
	}
	size_t cl = strlen(cc);
	bool ok = cl >= 1 && cl <= 3 && cc[0] != '0';
	for (size_t i = 0; ok && i < cl; i++)
		ok = cc[i] >= '0' && cc[i] <= '9';
	if (!ok) {
		ss_error("%s: roaming.home_cc = '%s': expected an E.164 country code (1-3 digits)",
			 ss_config_path(cfg), cc);
		return -SS_ECONFIG;
	}
	memcpy(c->home_cc, cc, cl + 1);
	return 0;
}

/* The default list: high-risk-areas.conf where the signatures live (core/paths.h). */
static int rm_find_areas(char *out, size_t size)
{
	return ss_find_data_file(RM_DEFAULT_AREAS, out, size);
}

/* ---- state -------------------------------------------------------------- */

static uint32_t rm_sec(ss_time_us t)
{
	return t <= 0 ? 0 : (uint32_t)(t / SS_US_PER_SEC);
}

static inline void rm_seen_set(struct roaming *r, uint64_t k)
{
	if (k)
		r->seen[k >> 54] |= UINT64_C(1) << ((k >> 48) & 63);
}

static inline bool rm_seen(const struct roaming *r, uint64_t k)
{
	return k && (r->seen[k >> 54] >> ((k >> 48) & 63) & 1);
}

/*
 * The keys of @ev's IMSI and MSISDN (0 when absent): the IMSI's (or, without
 * one, the MSISDN's) is the profile's per-event key - same function, same
 * namespaces.
 */
static inline void rm_keys(const struct roaming *r, const struct event *ev, uint64_t *ki, uint64_t *km)
{
	uint64_t k = det_profile_sim_key(r->profile, ev);
	if (ev->imsi[0]) {
		*ki = k;
		*km = det_profile_msisdn_key(r->profile, ev);
	} else {
		*ki = 0;
		*km = k;
	}
}

static uint32_t rm_find(const struct roaming *r, uint64_t ki, uint64_t km)
{
	uint32_t v;
	if (ki && ss_idmap_get(&r->ix, ki, &v))
		return v;
	if (km && ss_idmap_get(&r->ix, km, &v))
		return v;
	return UINT32_MAX;
}

static uint32_t rm_add(struct roaming *r, uint64_t ki, uint64_t km)
{
	if (r->n >= (uint32_t)r->c.max_sims)
		return UINT32_MAX;
	if (r->n == r->cap) {
		uint32_t cap = r->cap ? r->cap * 2 : 256;
		struct rm_sim *s = realloc(r->sim, (size_t)cap * sizeof(*s));
		if (!s)
			return UINT32_MAX;
		r->sim = s;
		r->cap = cap;
	}
	uint32_t i = r->n;
	if ((ki && ss_idmap_put(&r->ix, ki, i)) || (km && ss_idmap_put(&r->ix, km, i))) {
		if (ki)
			ss_idmap_del(&r->ix, ki);
		return UINT32_MAX;
	}
	memset(&r->sim[i], 0, sizeof(r->sim[i]));
	r->sim[i].ki = ki;
	r->sim[i].km = km;
	rm_seen_set(r, ki);
	rm_seen_set(r, km);
	r->n++;
	return i;
}

/* Remove record @i: swap the last one in. */
static void rm_del(struct roaming *r, uint32_t i)
{
	struct rm_sim *s = &r->sim[i];
	if (s->ki)
		ss_idmap_del(&r->ix, s->ki);
	if (s->km)
		ss_idmap_del(&r->ix, s->km);
	uint32_t last = --r->n;
	if (i != last) {
		*s = r->sim[last];
		if (s->ki)
			ss_idmap_put(&r->ix, s->ki, i); /* replaces: cannot allocate */
		if (s->km)
			ss_idmap_put(&r->ix, s->km, i);
	}
}

static void rm_sweep(struct roaming *r, uint32_t t)
{
	bool removed = false;
	for (uint32_t i = 0; i < r->n;) {
		if (t > r->sim[i].last_risk + r->c.idle_evict) {
			rm_del(r, i);
			r->st.evictions++;
			removed = true;
		} else {
			i++;
		}
	}
	if (removed) {
		/* Evicted SIMs (and reset ones) leave the filter: rebuilt from what stays. */
		memset(r->seen, 0, sizeof(r->seen));
		for (uint32_t i = 0; i < r->n; i++) {
			rm_seen_set(r, r->sim[i].ki);
			rm_seen_set(r, r->sim[i].km);
		}
	}
	if (r->n == 0 && r->cap > 256) {
		free(r->sim);
		r->sim = NULL;
		r->cap = 0;
		ss_idmap_free(&r->ix);
		ss_idmap_init(&r->ix);
	}
	r->next_sweep = t + 3600;
}

/* Roll the calls-home half windows to time @t. */
static void rm_roll(const struct roaming *r, struct rm_sim *s, uint32_t t)
{
	uint16_t h = (uint16_t)(t / (r->c.calls_home_window / 2));
	uint16_t d = (uint16_t)(h - s->half);
	if (d == 0)
		return;
	if (d == 1) {
		memcpy(s->callee[1], s->callee[0], sizeof(s->callee[0]));
		s->calls[1] = s->calls[0];
		s->shrt[1] = s->shrt[0];
	} else {
		memset(s->callee[1], 0, sizeof(s->callee[1]));
		s->calls[1] = s->shrt[1] = 0;
	}
	memset(s->callee[0], 0, sizeof(s->callee[0]));
	s->calls[0] = s->shrt[0] = 0;
	s->half = h;
}

static unsigned rm_distinct(const struct roaming *r, const struct rm_sim *s)
{
	uint64_t a = s->callee[0][0] | s->callee[1][0], b = s->callee[0][1] | s->callee[1][1];
	int zeros = 128 - __builtin_popcountll(a) - __builtin_popcountll(b);
	return (unsigned)(r->lc128[zeros] + 0.5f);
}

static bool rm_is_home_number(const struct roaming *r, const char *n)
{
	size_t cl = strlen(r->c.home_cc), len = strlen(n);
	if (len < cl + 6 || strncmp(n, r->c.home_cc, cl) != 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (n[i] < '0' || n[i] > '9')
			return false;
	return true;
}

static bool rm_is_home_mcc(const struct roaming *r, unsigned mcc)
{
	for (int i = 0; i < 4 && r->c.home_mcc[i]; i++)
		if (r->c.home_mcc[i] == mcc)
			return true;
	return false;
}

/* ---- evaluation --------------------------------------------------------- */

struct rm_where {
	bool known, home;
	unsigned country;	    /* areas.h index, 0 = unknown */
	const struct det_area *area; /* listed area, or NULL */
	uint8_t via;		    /* how we know: RM_VIA_* (rendered only for findings) */
};

enum { RM_VIA_PLMN = 1, RM_VIA_CELL, RM_VIA_VLR };

static void rm_via(const struct event *ev, unsigned via, char *buf, size_t size)
{
	if (via == RM_VIA_PLMN)
		snprintf(buf, size, "visited PLMN %s", ev->visited_plmn);
	else if (via == RM_VIA_CELL)
		snprintf(buf, size, "cell %03u-%02u-%u-%u", ev->cell.mcc, ev->cell.mnc, ev->cell.lac, ev->cell.ci);
	else
		snprintf(buf, size, "VLR/MSC %.20s", ev->other_party);
}

static void rm_locate(const struct roaming *r, const struct event *ev, struct rm_where *w)
{
	unsigned mcc;
	int mnc;

	memset(w, 0, sizeof(*w));
	if (ev->visited_plmn[0] && det_plmn_split(ev->visited_plmn, &mcc, &mnc) == 0) {
		w->via = RM_VIA_PLMN;
	} else if (ev->cell.present && ev->cell.mcc >= 200 && ev->cell.mcc < 1000) {
		mcc = ev->cell.mcc;
		mnc = ev->cell.mnc;
		w->via = RM_VIA_CELL;
	} else if (ev->kind == EV_LOCATION && ev->other_party[0]) {
		w->via = RM_VIA_VLR;
		if (rm_is_home_number(r, ev->other_party)) {
			w->known = w->home = true;
			w->country = r->home_country;
			return;
		}
		w->country = det_country_by_number(ev->other_party);
		w->area = det_areas_number(r->areas, ev->other_party);
		w->known = w->country || w->area;
		return;
	} else {
		return;
	}
	w->known = true;
	if (rm_is_home_mcc(r, mcc)) {
		w->home = true;
		w->country = r->home_country;
		if (ev->cell.present && det_areas_has_cells(r->areas, ev->cell.mcc))
			w->area = det_areas_cell(r->areas, &ev->cell);
		return;
	}
	w->country = det_country_by_mcc(mcc);
	w->area = det_areas_plmn(r->areas, mcc, mnc);
}

static const char *rm_country_name(unsigned idx)
{
	const struct det_country *c = det_country(idx);
	return c ? c->name : "?";
}

static void rm_evaluate(struct roaming *r, uint32_t si, const struct event *ev, const struct rm_where *w,
			uint32_t t)
{
	const struct rm_conf *c = &r->c;
	struct rm_sim *s = &r->sim[si];
	const struct det_profile_entry *p = det_profile_of(r->profile, ev);
	ss_time_us age = det_profile_age(p, ev->time);
	uint32_t pf = p ? p->flags : 0;
	bool in_area = w->area != NULL;
	bool domestic = in_area && w->area->kind == DET_AREA_CELL;
	bool fresh = in_area && age >= 0 && age <= (ss_time_us)c->fresh_days * SS_US_PER_DAY;
	bool tenured = age < 0 || age > (ss_time_us)c->tenured_days * SS_US_PER_DAY;
	bool iot = in_area && ((pf & DET_PROFILE_IOT) || ev->sim_type == EV_SIM_IOT);
	bool bulk = in_area && (pf & DET_PROFILE_BULK_ORIGIN);
	bool risky = in_area && (pf & DET_PROFILE_RISKY_OUTLET);
	bool travel = c->impossible_travel && s->last_hit && t - s->last_hit < c->calls_home_window;
	unsigned distinct = 0, calls = (unsigned)s->calls[0] + s->calls[1], shrt = (unsigned)s->shrt[0] + s->shrt[1];
	bool home_calls = false;

	if (in_area && calls) {
		distinct = rm_distinct(r, s);
		home_calls = distinct >= (unsigned)c->calls_home_min_distinct &&
			     shrt >= c->calls_home_min_short_share * calls;
	}

	/* Levels: the strongest signal sets the score, each further one adds a bonus. */
	int score = in_area ? w->area->weight : 0, nsig = 0;
	enum det_strength strength = DET_WEAK;
#define LEVEL(cond, lvl, str)                                                                            \
	do {                                                                                             \
		if (cond) {                                                                              \
			nsig++;                                                                          \
			if ((lvl) > score)                                                               \
				score = (lvl);                                                           \
			if ((str) > strength)                                                            \
				strength = (str);                                                        \
		}                                                                                        \
	} while (0)
	LEVEL(fresh, c->score_fresh_sim, DET_BEHAVIOURAL);
	LEVEL(bulk || risky, c->score_bulk_origin, DET_BEHAVIOURAL);
	LEVEL(home_calls, c->score_calls_home, DET_BEHAVIOURAL);
	/*
	 * One impossible switch may be a roaming record with a wrong time zone
	 * (TAP records carry the visited network's local time) and is only
	 * worth watching; a clone keeps flipping.
	 */
	bool travel_strong = travel && s->travel_hits >= c->travel_min_switches;
	LEVEL(travel && !travel_strong, c->monitor_threshold + 10, DET_WEAK);
	LEVEL(travel_strong, c->score_impossible_travel, DET_BEHAVIOURAL);
	LEVEL(iot, c->score_iot_card, DET_STRUCTURAL);
	/*
	 * Two independent marks of a fraud SIM on a young card: fresh and from a
	 * bulk opening / bad outlet, or either of them calling home heavily.
	 */
	bool combo = !tenured && ((fresh && (bulk || risky || home_calls)) || ((bulk || risky) && home_calls));
	if (combo) {
		if (c->score_structural > score)
			score = c->score_structural;
		strength = DET_STRUCTURAL;
	}
#undef LEVEL
	if (nsig > 1)
		score += c->score_bonus * (nsig - 1);
	if (score > 100)
		score = 100;
	/* A domestic area is a county, not a foreign compound: never a block on its own evidence. */
	if (domestic && strength > DET_BEHAVIOURAL)
		strength = DET_BEHAVIOURAL;

	if (score < c->monitor_threshold)
		return;
	if ((s->flags & RM_EMITTED) && score < s->last_score + c->score_step && (int)strength <= s->last_strength)
		return;
	s->flags |= RM_EMITTED;
	if (score > s->last_score)
		s->last_score = (uint8_t)score;
	if ((int)strength > s->last_strength)
		s->last_strength = (uint8_t)strength;

	struct det_finding f;
	memset(&f, 0, sizeof(f));
	f.family = "roaming";
	f.subject.kind = DET_SUBJECT_SIM;
	memcpy(f.subject.imsi, ev->imsi, sizeof(f.subject.imsi));
	memcpy(f.subject.msisdn, ev->msisdn, sizeof(f.subject.msisdn));
	memcpy(f.subject.imei, ev->imei, sizeof(f.subject.imei));
	f.score = score;
	f.strength = strength;
	f.event_time = ev->time;
	memcpy(f.evidence_record, ev->record_id, sizeof(f.evidence_record));

	const char *where = in_area ? w->area->name : rm_country_name(w->country);
	char via[64];
	rm_via(ev, w->via, via, sizeof(via));
	if (in_area && domestic)
		det_reason_add(&f, "roaming.domestic_high_risk_area", "in %s (%s), area list %s weight %u", where,
			       via, det_areas_version(r->areas), w->area->weight);
	else if (in_area)
		det_reason_add(&f, "roaming.high_risk_network", "registered in %s (%s), area list %s weight %u",
			       where, via, det_areas_version(r->areas), w->area->weight);
	if (iot)
		det_reason_add(&f, "roaming.iot_card", "IoT card registered in %s", where);
	if (fresh) {
		long h = (long)(age / SS_US_PER_HOUR);
		if (h < 48)
			det_reason_add(&f, "roaming.fresh_sim", "SIM opened %ld h before, in %s", h, where);
		else
			det_reason_add(&f, "roaming.fresh_sim", "SIM opened %ld days before (<= %d), in %s",
				       h / 24, c->fresh_days, where);
	}
	/* One code for both origins (bulk_origin's bit); the detail says which. */
	if (bulk || risky)
		det_reason_add(&f, "roaming.bulk_origin", "SIM %s%s%s, in %s",
			       bulk ? "from a bulk opening or over-limit ID document" : "",
			       bulk && risky ? ", " : "", risky ? "opened at an outlet with bad reputation" : "",
			       where);
	if (home_calls)
		det_reason_add(&f, "roaming.calls_home",
			       "%u distinct +%s numbers called in %u h from %s, %u of %u calls unanswered or < %d s",
			       distinct, c->home_cc, c->calls_home_window / 3600, where, shrt, calls,
			       c->calls_home_short_secs);
	if (travel)
		det_reason_add(&f, "roaming.impossible_travel",
			       "in %s, then in %s %u min later: >= %u km apart, >= %.1f h at %.0f km/h; "
			       "%u such switch%s in %u h",
			       rm_country_name(s->from_country), rm_country_name(s->country), s->hit_minutes,
			       s->hit_km, s->hit_km / c->travel_speed_kmh, c->travel_speed_kmh, s->travel_hits,
			       s->travel_hits == 1 ? "" : "es", c->calls_home_window / 3600);
	r->st.findings++;
	if (r->emit)
		r->emit(r->emit_ctx, &f);
}

/* ---- events ------------------------------------------------------------- */

static void roaming_on_event(void *state, const struct event *ev)
{
	struct roaming *r = state;
	struct rm_where w;
	uint32_t t = rm_sec(ev->time);

	r->st.events++;
	if (t > r->now)
		r->now = t;
	if (r->next_sweep == 0)
		r->next_sweep = t + 3600;
	else if (t >= r->next_sweep)
		rm_sweep(r, t);

	/*
	 * Cheap exits first: most events are at home, in no listed cell, from
	 * a SIM never seen abroad - they say nothing new.  Keys are computed
	 * once, and only when the table holds roamers.
	 */
	uint64_t ki = 0, km = 0;
	uint32_t si = UINT32_MAX;
	bool looked = false;
	if (!ev->visited_plmn[0] && ev->kind != EV_LOCATION) {
		if (!ev->cell.present)
			return;
		if (rm_is_home_mcc(r, ev->cell.mcc) && !det_areas_has_cells(r->areas, ev->cell.mcc)) {
			if (r->n == 0)
				return;
			rm_keys(r, ev, &ki, &km);
			if (!rm_seen(r, ki) && !rm_seen(r, km))
				return; /* never in the table (the filter has no false negatives) */
			si = rm_find(r, ki, km);
			if (si == UINT32_MAX)
				return;
			looked = true;
		}
	}
	rm_locate(r, ev, &w);
	if (!w.known)
		return;

	if (!looked) {
		rm_keys(r, ev, &ki, &km);
		si = rm_find(r, ki, km);
	}
	if (si == UINT32_MAX) {
		if (w.home && !w.area)
			return; /* at home, never seen abroad: nothing to remember */
		si = rm_add(r, ki, km);
		if (si == UINT32_MAX)
			return;
	} else if ((ki && !r->sim[si].ki) || (km && !r->sim[si].km)) {
		/* learn the other identity */
		if (ki && !r->sim[si].ki && ss_idmap_put(&r->ix, ki, si) == 0) {
			r->sim[si].ki = ki;
			rm_seen_set(r, ki);
		}
		if (km && !r->sim[si].km && ss_idmap_put(&r->ix, km, si) == 0) {
			r->sim[si].km = km;
			rm_seen_set(r, km);
		}
	}
	struct rm_sim *s = &r->sim[si];
	uint32_t end = t + (ev->kind == EV_CALL ? ev->duration : 0);

	/* Impossible travel: a country switch faster than the distance allows. */
	if (r->c.impossible_travel && s->country && w.country && s->country != w.country && s->last_t) {
		double km_lb = det_country_min_km(s->country, w.country);
		if (km_lb >= r->c.travel_min_km) {
			double need = km_lb / r->c.travel_speed_kmh * 3600.0;
			double dt = t > s->last_t ? (double)(t - s->last_t) : 0;
			if (dt + r->c.travel_tolerance < need) {
				if (s->last_hit && t - s->last_hit >= r->c.calls_home_window)
					s->travel_hits = 0; /* the earlier switch is out of the window */
				s->last_hit = t ? t : 1;
				s->from_country = s->country;
				s->hit_minutes = (uint16_t)(dt / 60 > 65535 ? 65535 : dt / 60);
				s->hit_km = (uint32_t)km_lb;
				if (s->travel_hits < 255)
					s->travel_hits++;
			}
		}
	}
	if (w.country) {
		s->country = (uint16_t)w.country;
		if (end > s->last_t || s->last_t == 0)
			s->last_t = end;
	}
	s->area = w.area ? (uint16_t)1 : 0;
	if (!w.home || w.area)
		s->last_risk = t;

	if (w.area) {
		if (!(s->flags & RM_MARKED)) {
			if (det_profile_mark(r->profile, ev->imsi, ev->msisdn, DET_PROFILE_HIGH_RISK_AREA, 0) == 0)
				s->flags |= RM_MARKED;
		}
		if (ev->kind == EV_CALL && ev->direction == EV_DIR_MO && rm_is_home_number(r, ev->other_party)) {
			rm_roll(r, s, t);
			uint64_t h = ss_hash_str(ev->other_party, 0x5eed);
			s->callee[0][(h >> 6) & 1] |= UINT64_C(1) << (h & 63);
			if (s->calls[0] < UINT16_MAX)
				s->calls[0]++;
			if ((!ev->answered || ev->duration < (uint32_t)r->c.calls_home_short_secs) &&
			    s->shrt[0] < UINT16_MAX)
				s->shrt[0]++;
		} else {
			rm_roll(r, s, t);
		}
	}
	if (w.area || (s->last_hit == t && s->travel_hits))
		rm_evaluate(r, si, ev, &w, t);
}

/* ---- descriptor operations ---------------------------------------------- */

static void roaming_fini(void *state)
{
	struct roaming *r = state;
	if (!r)
		return;
	det_areas_free(r->areas);
	ss_idmap_free(&r->ix);
	free(r->sim);
	free(r);
}

static int roaming_init(void **state, const struct det_env *env)
{
	struct roaming *r = calloc(1, sizeof(*r));
	const struct ss_config *cfg = env ? env->config : NULL;
	char err[512];
	int rc;

	if (!r)
		return -ENOMEM;
	ss_idmap_init(&r->ix);
	rc = rm_read_conf(cfg, &r->c);
	if (rc < 0)
		goto fail;
	if (r->c.areas && r->c.areas[0]) {
		snprintf(r->areas_path, sizeof(r->areas_path), "%s", r->c.areas);
	} else if (rm_find_areas(r->areas_path, sizeof(r->areas_path)) < 0) {
		ss_error("roaming: no %s in ./signatures or the installed signatures directory; "
			 "set [roaming] areas = FILE",
			 RM_DEFAULT_AREAS);
		rc = -SS_ECONFIG;
		goto fail;
	}
	rc = det_areas_load(r->areas_path, &r->areas, err, sizeof(err));
	if (rc < 0) {
		ss_error("roaming: %s", err);
		goto fail;
	}
	ss_debug("roaming: high-risk areas %s version %s, %zu entries", r->areas_path,
		 det_areas_version(r->areas), det_areas_count(r->areas));
	r->home_country = det_country_by_mcc(r->c.home_mcc[0]);
	if (env) {
		r->emit = env->emit;
		r->emit_ctx = env->emit_ctx;
		r->profile = env->profile;
	}
	for (int z = 0; z <= 128; z++)
		r->lc128[z] = (float)(-128.0 * log((z ? z : 0.5) / 128.0));
	*state = r;
	return 0;
fail:
	roaming_fini(r);
	return rc;
}

static void roaming_tick(void *state, ss_time_us now)
{
	struct roaming *r = state;
	uint32_t t = rm_sec(now);
	if (t > r->now)
		r->now = t;
	if (r->next_sweep && t >= r->next_sweep)
		rm_sweep(r, t);
}

static void roaming_reset_subject(void *state, const struct det_subject *subj)
{
	struct roaming *r = state;
	if (subj->kind != DET_SUBJECT_SIM && subj->kind != DET_SUBJECT_NUMBER)
		return;
	for (int k = 0; k < 2; k++) {
		uint32_t si = rm_find(r, k == 0 ? ss_idmap_key16(subj->imsi, NS_IMSI) : 0,
				      k == 1 ? ss_idmap_key16(subj->msisdn, NS_MSISDN) : 0);
		if (si != UINT32_MAX)
			rm_del(r, si);
	}
}

static void roaming_stats(const void *state, struct det_stats *out)
{
	const struct roaming *r = state;
	*out = r->st;
	out->subjects = r->n;
	out->state_bytes = sizeof(*r) + (uint64_t)r->cap * sizeof(struct rm_sim) + ss_idmap_bytes(&r->ix);
}

const struct det_detector det_roaming = {
	.name = "roaming",
	.summary = "SIMs in high-risk networks/areas (escalated by fresh, IoT, bulk-origin cards and calls "
		   "home) and impossible travel",
	.event_mask = EV_MASK(EV_CALL) | EV_MASK(EV_SMS) | EV_MASK(EV_DATA) | EV_MASK(EV_LOCATION),
	.init = roaming_init,
	.on_event = roaming_on_event,
	.tick = roaming_tick,
	.reset_subject = roaming_reset_subject,
	.stats = roaming_stats,
	.fini = roaming_fini,
};
