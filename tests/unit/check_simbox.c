/*
 * check_simbox.c - unit tests for the SIM-box / GOIP detector (src/detect/simbox.c).
 *
 * Every test builds a synthetic, time-ordered event stream in memory (no
 * scenario generator), feeds it through det_simbox with a tick every minute
 * of input time, as the engine does, and checks the findings it emitted.
 * Populations: classic and human-mimicking gateways, and the hard
 * negatives (couriers, call-centre agents, shared phones, upgrades,
 * placeholder / shared IMEIs).
 */
#include "core/config.h"
#include "core/err.h"
#include "core/log.h"
#include "detect/detect.h"

#include "det_test.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 (INT64_C(20759) * 86400) /* a midnight, UTC */
#define HOUR 3600
#define DAY 86400

/* test_lazy_rotating_box_unchanged: what the code before lazy IMEI records gave. */
#define LAZY_BOX_FINDINGS 453
#define LAZY_BOX_GROUP UINT64_C(867234041005551)
#define LAZY_BOX_EST 50795

/* ---- deterministic randomness --------------------------------------- */

static uint64_t rng_state;

static void rng_seed(uint64_t s)
{
	rng_state = s * UINT64_C(0x9e3779b97f4a7c15) + 1;
}

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(0x2545f4914f6cdd1d);
}

static int rnd(int lo, int hi) /* inclusive */
{
	return lo + (int)(rng() % (uint64_t)(hi - lo + 1));
}

static double rnd01(void)
{
	return (double)(rng() >> 11) / 9007199254740992.0;
}

/* ---- identities -------------------------------------------------------- */

static void make_imei(char *buf, unsigned long tac, unsigned long snr)
{
	char d[15];
	snprintf(d, sizeof(d), "%08lu%06lu", tac, snr % 1000000);
	unsigned sum = 0;
	for (int i = 13; i >= 0; i--) {
		unsigned v = (unsigned)(d[i] - '0');
		if ((13 - i) % 2 == 0) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
	}
	snprintf(buf, EV_IMEI_SIZE, "%s%u", d, (10 - sum % 10) % 10);
}

static void make_imsi(char *buf, unsigned long n)
{
	snprintf(buf, EV_IMSI_SIZE, "46000%010lu", n);
}

static void make_msisdn(char *buf, unsigned long n)
{
	snprintf(buf, EV_MSISDN_SIZE, "86138%08lu", n % 100000000);
}

static unsigned long victim_seq = 1;

static void make_victim(char *buf)
{
	snprintf(buf, EV_PARTY_SIZE, "86139%08lu", victim_seq++ % 100000000);
}

/* ---- event buffers ------------------------------------------------------ */

struct evbuf {
	struct event *ev;
	size_t n, cap;
};

struct sim_id {
	char imsi[EV_IMSI_SIZE];
	char msisdn[EV_MSISDN_SIZE];
};

static void sim_id_make(struct sim_id *s, unsigned long n)
{
	make_imsi(s->imsi, n);
	make_msisdn(s->msisdn, n);
}

static struct event *ev_add(struct evbuf *b, int64_t t, enum ev_kind kind, enum ev_direction dir,
			    const struct sim_id *sim, const char *imei, unsigned cell)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 4096;
		b->ev = realloc(b->ev, b->cap * sizeof(*b->ev));
		ck_assert_ptr_nonnull(b->ev);
	}
	struct event *e = &b->ev[b->n++];
	memset(e, 0, sizeof(*e));
	e->time = t * SS_US_PER_SEC;
	e->kind = (uint8_t)kind;
	e->direction = (uint8_t)dir;
	snprintf(e->imsi, sizeof(e->imsi), "%s", sim->imsi);
	snprintf(e->msisdn, sizeof(e->msisdn), "%s", sim->msisdn);
	if (imei)
		snprintf(e->imei, sizeof(e->imei), "%s", imei);
	if (cell) {
		e->cell.present = true;
		e->cell.mcc = 460;
		e->cell.mnc = 0;
		e->cell.lac = 4000 + cell / 1000;
		e->cell.ci = cell;
	}
	snprintf(e->record_id, sizeof(e->record_id), "R%zu", b->n);
	e->line = b->n; /* tie-break for sorting */
	return e;
}

static struct event *call(struct evbuf *b, int64_t t, enum ev_direction dir, const struct sim_id *sim,
			  const char *imei, unsigned cell, const char *other, bool answered,
			  unsigned dur)
{
	struct event *e = ev_add(b, t, EV_CALL, dir, sim, imei, cell);
	if (other)
		snprintf(e->other_party, sizeof(e->other_party), "%s", other);
	e->answered = answered;
	e->duration = answered ? dur : 0;
	return e;
}

static int ev_cmp(const void *a, const void *b)
{
	const struct event *x = a, *y = b;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static void evbuf_free(struct evbuf *b)
{
	free(b->ev);
	memset(b, 0, sizeof(*b));
}

/* ---- findings recorder -------------------------------------------------- */


struct det {
	void *st;
	struct rec rec;
	struct ss_config *cfg;
	int64_t last_tick;
};

static void det_open(struct det *d, const char *conf)
{
	char err[256];
	memset(d, 0, sizeof(*d));
	if (conf)
		ck_assert_int_eq(ss_config_from_string(conf, &d->cfg, err, sizeof(err)), 0);
	d->rec.family = "simbox";
	struct det_env env = { .config = d->cfg, .emit = rec_emit, .emit_ctx = &d->rec };
	ck_assert_int_eq(det_simbox.init(&d->st, &env), 0);
}

static void det_close(struct det *d)
{
	det_simbox.fini(d->st);
	ss_config_free(d->cfg);
	free(d->rec.f);
	memset(d, 0, sizeof(*d));
}

/* Feed a buffer (sorted here) with a tick every input minute, like the engine. */
static void det_feed(struct det *d, struct evbuf *b)
{
	qsort(b->ev, b->n, sizeof(*b->ev), ev_cmp);
	for (size_t i = 0; i < b->n; i++) {
		const struct event *e = &b->ev[i];
		if (!d->last_tick)
			d->last_tick = e->time;
		else if (e->time - d->last_tick >= 60 * SS_US_PER_SEC) {
			det_simbox.tick(d->st, e->time);
			d->last_tick = e->time;
		}
		if (det_simbox.event_mask & EV_MASK(e->kind))
			det_simbox.on_event(d->st, e);
	}
}

static struct det_stats det_stats_get(const struct det *d)
{
	struct det_stats s;
	det_simbox.stats(d->st, &s);
	return s;
}

/* Strongest finding about one SIM (by IMSI) and the first time it was strong. */
struct sim_view {
	int max_score;
	enum det_strength max_strength;
	bool gateway, reasons_all[8];
	int64_t first_strong; /* STRUCTURAL >= 80 or BEHAVIOURAL >= 60: a strong action */
	int64_t first_structural;
	size_t n;
};

static const char *const codes[8] = {
	"simbox.multi_imsi_per_imei", "simbox.imsi_multi_imei", "simbox.outbound_only",
	"simbox.high_fanout",	      "simbox.short_unanswered", "simbox.static_cell",
	"simbox.machine_cadence",     "simbox.gateway_member",
};

static struct sim_view view_sim(const struct rec *r, const char *imsi)
{
	struct sim_view v;
	memset(&v, 0, sizeof(v));
	v.first_strong = v.first_structural = INT64_MAX;
	for (size_t i = 0; i < r->n; i++) {
		const struct det_finding *f = &r->f[i];
		if (f->subject.kind != DET_SUBJECT_SIM || strcmp(f->subject.imsi, imsi))
			continue;
		v.n++;
		if (f->score > v.max_score)
			v.max_score = f->score;
		if (f->strength > v.max_strength)
			v.max_strength = f->strength;
		for (int k = 0; k < 8; k++)
			if (has_reason(f, codes[k]))
				v.reasons_all[k] = true;
		if (has_reason(f, "simbox.gateway_member")) {
			v.gateway = true;
			ck_assert(f->group != 0);
		}
		bool strong = (f->strength == DET_STRUCTURAL && f->score >= 80) ||
			      (f->strength == DET_BEHAVIOURAL && f->score >= 60);
		if (strong && f->event_time < v.first_strong)
			v.first_strong = f->event_time;
		if (f->strength == DET_STRUCTURAL && f->score >= 80 && f->event_time < v.first_structural)
			v.first_structural = f->event_time;
	}
	return v;
}

static bool device_found(const struct rec *r, const char *imei)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct det_finding *f = &r->f[i];
		if (f->subject.kind == DET_SUBJECT_DEVICE && !strcmp(f->subject.imei, imei)) {
			ck_assert_int_eq(f->strength, DET_STRUCTURAL);
			ck_assert(f->group != 0);
			ck_assert(!f->subject.imsi[0] && !f->subject.msisdn[0]);
			return true;
		}
	}
	return false;
}

static size_t count_kind(const struct rec *r, enum det_subject_kind kind)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += r->f[i].subject.kind == kind;
	return n;
}

/* ---- gateway generator -------------------------------------------------- */

struct box_params {
	int ports;
	int bank;		/* SIMs rotating at the start */
	double fresh_share;	/* after day 1: share of swaps that insert a brand-new SIM */
	int swap_min, swap_max; /* seconds between swaps of one port */
	int days;
	bool mimic;		/* human-mimicking: Poisson gaps, caps, 3 cells, internal calls, data */
	unsigned long sim_base, tac, cell;
};

struct box {
	struct box_params p;
	char (*imei)[EV_IMEI_SIZE];
	int nsims;
	struct sim_id *sims;
	int64_t *first_call; /* per SIM, input seconds; 0 = never called */
	/* stints: port p had SIM s during [t0, t1) */
	struct stint {
		int port, sim;
		int64_t t0, t1;
	} *st;
	size_t nst;
};

static void box_add_stint(struct box *bx, int port, int sim, int64_t t0, int64_t t1)
{
	bx->st = realloc(bx->st, (bx->nst + 1) * sizeof(*bx->st));
	ck_assert_ptr_nonnull(bx->st);
	bx->st[bx->nst++] = (struct stint){ port, sim, t0, t1 };
}

static int box_sim_at(const struct box *bx, int port, int64_t t)
{
	for (size_t i = 0; i < bx->nst; i++)
		if (bx->st[i].port == port && bx->st[i].t0 <= t && t < bx->st[i].t1)
			return bx->st[i].sim;
	return -1;
}

static void box_build(struct box *bx, const struct box_params *p, struct evbuf *b)
{
	memset(bx, 0, sizeof(*bx));
	bx->p = *p;
	int maxsims = p->bank + 4000;
	bx->imei = calloc((size_t)p->ports, sizeof(*bx->imei));
	bx->sims = calloc((size_t)maxsims, sizeof(*bx->sims));
	bx->first_call = calloc((size_t)maxsims, sizeof(*bx->first_call));
	int *queue = calloc((size_t)maxsims, sizeof(int));
	int64_t *next = calloc((size_t)p->ports, sizeof(int64_t));
	int *cur = calloc((size_t)p->ports, sizeof(int));
	int64_t *since = calloc((size_t)p->ports, sizeof(int64_t));
	ck_assert(bx->imei && bx->sims && bx->first_call && queue && next && cur && since);

	for (int i = 0; i < p->ports; i++)
		make_imei(bx->imei[i], p->tac, 100000 + (unsigned long)i * 37);
	for (int s = 0; s < p->bank; s++)
		sim_id_make(&bx->sims[s], p->sim_base + (unsigned long)s);
	bx->nsims = p->bank;
	int qh = 0, qt = 0;
	for (int s = p->ports; s < p->bank; s++)
		queue[qt++ % maxsims] = s;
	int64_t end = T0 + (int64_t)p->days * DAY;
	for (int i = 0; i < p->ports; i++) {
		cur[i] = i;
		since[i] = T0;
		next[i] = T0 + (p->swap_min + p->swap_max) / 2 * (i + 1) / p->ports;
	}
	/* The SIM bank: the earliest due port swaps; the SIM it releases queues up. */
	for (;;) {
		int pi = 0;
		for (int i = 1; i < p->ports; i++)
			if (next[i] < next[pi])
				pi = i;
		if (next[pi] >= end)
			break;
		int64_t t = next[pi];
		box_add_stint(bx, pi, cur[pi], since[pi], t);
		queue[qt++ % maxsims] = cur[pi];
		if (t > T0 + DAY && rnd01() < p->fresh_share && bx->nsims < maxsims) {
			cur[pi] = bx->nsims;
			sim_id_make(&bx->sims[bx->nsims], p->sim_base + (unsigned long)bx->nsims);
			bx->nsims++;
		} else {
			cur[pi] = queue[qh++ % maxsims];
		}
		since[pi] = t;
		next[pi] = t + rnd(p->swap_min, p->swap_max);
	}
	for (int i = 0; i < p->ports; i++)
		box_add_stint(bx, i, cur[i], since[i], end);

	/* Calls: 09-21 h only. */
	for (size_t k = 0; k < bx->nst; k++) {
		const struct stint st = bx->st[k];
		const struct sim_id *sim = &bx->sims[st.sim];
		const char *imei = bx->imei[st.port];
		int64_t t = st.t0 + rnd(0, 120);
		int day_calls = 0;
		int64_t day = -1;
		int cap = rnd(15, 30);
		while (t < st.t1) {
			int64_t hod = (t - T0) % DAY;
			if (hod < 9 * HOUR || hod >= 21 * HOUR) {
				t = t - hod + (hod >= 21 * HOUR ? DAY : 0) + 9 * HOUR + rnd(0, 300);
				continue;
			}
			if ((t - T0) / DAY != day) {
				day = (t - T0) / DAY;
				day_calls = 0;
			}
			char victim[EV_PARTY_SIZE];
			if (!p->mimic) {
				make_victim(victim);
				bool ans = rnd01() < 0.4;
				call(b, t, EV_DIR_MO, sim, imei, (unsigned)p->cell, victim, ans,
				     (unsigned)rnd(3, 25));
				t += rnd(165, 195);
			} else {
				if (day_calls >= cap) { /* human-like daily cap */
					t += HOUR;
					continue;
				}
				unsigned cell = (unsigned)p->cell + (unsigned)rnd(0, 2);
				if (rnd01() < 0.15) {
					/* A call to a sibling SIM in another port: it gets an MT. */
					int op = rnd(0, p->ports - 1);
					int os = box_sim_at(bx, op, t);
					if (os >= 0 && os != st.sim) {
						bool ans = rnd01() < 0.7;
						unsigned dur = (unsigned)rnd(20, 200);
						call(b, t, EV_DIR_MO, sim, imei, cell, bx->sims[os].msisdn, ans, dur);
						call(b, t, EV_DIR_MT, &bx->sims[os], bx->imei[op], cell,
						     sim->msisdn, ans, dur);
					}
				} else {
					make_victim(victim);
					bool ans = rnd01() < 0.55;
					call(b, t, EV_DIR_MO, sim, imei, cell, victim, ans,
					     (unsigned)rnd(20, 180));
				}
				if (rnd01() < 0.1)
					ev_add(b, t + 60, EV_DATA, EV_DIR_NONE, sim, imei, cell);
				day_calls++;
				/* Poisson gaps: about 2 calls an hour. */
				double u = rnd01();
				t += 60 + (int64_t)(-1500.0 * log(u > 1e-9 ? u : 1e-9));
			}
			/* Stints of one SIM come in time order: the first call seen is its first. */
			if (!bx->first_call[st.sim] && b->n && !strcmp(b->ev[b->n - 1].imsi, sim->imsi))
				bx->first_call[st.sim] = b->ev[b->n - 1].time / SS_US_PER_SEC;
		}
	}
	free(queue);
	free(next);
	free(cur);
	free(since);
}

static void box_free(struct box *bx)
{
	free(bx->imei);
	free(bx->sims);
	free(bx->first_call);
	free(bx->st);
}

struct box_result {
	int sims_called, strong_structural, gateway, devices;
	int after_est, after_est_fast; /* SIMs first calling after establishment; within 2 h */
	int64_t est;		       /* first gateway finding */
	double median_latency_h;       /* first call -> first strong finding, all SIMs */
	int behaviour_reasons;	       /* SIMs whose findings carried all 5 behaviour codes */
	int code[8];		       /* SIMs whose findings carried codes[k] */
};

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static struct box_result box_check(const struct box *bx, const struct rec *r)
{
	struct box_result res;
	memset(&res, 0, sizeof(res));
	res.est = INT64_MAX;
	for (size_t i = 0; i < r->n; i++)
		if (has_reason(&r->f[i], "simbox.gateway_member") && r->f[i].event_time < res.est)
			res.est = r->f[i].event_time;
	int64_t *lat = calloc((size_t)bx->nsims + 1, sizeof(*lat));
	int nlat = 0;
	for (int s = 0; s < bx->nsims; s++) {
		if (!bx->first_call[s])
			continue;
		res.sims_called++;
		struct sim_view v = view_sim(r, bx->sims[s].imsi);
		if (v.max_strength == DET_STRUCTURAL && v.max_score >= 80)
			res.strong_structural++;
		if (v.gateway)
			res.gateway++;
		bool all = true;
		for (int k = 2; k < 7; k++)
			all = all && v.reasons_all[k];
		res.behaviour_reasons += all;
		for (int k = 0; k < 8; k++)
			res.code[k] += v.reasons_all[k];
		int64_t fc = bx->first_call[s] * SS_US_PER_SEC;
		if (v.first_strong != INT64_MAX)
			lat[nlat++] = v.first_strong > fc ? v.first_strong - fc : 0;
		if (fc >= res.est) {
			res.after_est++;
			if (v.first_structural != INT64_MAX && v.first_structural - fc <= 2 * HOUR * SS_US_PER_SEC)
				res.after_est_fast++;
		}
	}
	if (nlat) {
		qsort(lat, (size_t)nlat, sizeof(*lat), cmp_i64);
		res.median_latency_h = (double)lat[nlat / 2] / (double)(HOUR * SS_US_PER_SEC);
	}
	free(lat);
	for (int i = 0; i < bx->p.ports; i++)
		res.devices += device_found(r, bx->imei[i]);
	return res;
}

/* ---- gateways ----------------------------------------------------------- */

START_TEST(test_classic_box)
{
	struct det d;
	struct evbuf b = { 0 };
	struct box bx;
	struct box_params p = { .ports = 16, .bank = 48, .fresh_share = 0.25, .swap_min = HOUR,
				.swap_max = 6 * HOUR, .days = 3, .mimic = false,
				.sim_base = 1000, .tac = 86723404, .cell = 5001 };

	rng_seed(1);
	box_build(&bx, &p, &b);
	det_open(&d, NULL);
	det_feed(&d, &b);
	struct box_result res = box_check(&bx, &d.rec);
	fprintf(stderr,
		"classic box: %d SIMs called, %d STRUCTURAL>=80, %d gateway_member, %d/%d ports, "
		"%d/%d late SIMs within 2 h, median first-strong latency %.2f h, %d with all behaviour codes, "
		"gateway established %.1f h in\n",
		res.sims_called, res.strong_structural, res.gateway, res.devices, p.ports,
		res.after_est_fast, res.after_est, res.median_latency_h, res.behaviour_reasons,
		(double)(res.est / SS_US_PER_SEC - T0) / HOUR);
	ck_assert_int_eq(res.strong_structural, res.sims_called);
	ck_assert_int_eq(res.gateway, res.sims_called);
	ck_assert_int_eq(res.devices, p.ports);
	ck_assert_int_gt(res.after_est, 5);
	ck_assert_int_eq(res.after_est_fast, res.after_est);
	ck_assert(res.median_latency_h <= 2.0);
	/*
	 * Reasons: a SIM arriving in an established gateway reaches the cap
	 * (100) early, after which no finding adds reasons; so every SIM names
	 * the gateway and the bulk names the box's behaviour too.
	 */
	fprintf(stderr, "classic box reasons:");
	for (int k = 0; k < 8; k++)
		fprintf(stderr, " %s=%d", codes[k] + 7, res.code[k]);
	fprintf(stderr, "\n");
	ck_assert_int_eq(res.code[7], res.sims_called);
	for (int k = 2; k <= 5; k++) /* outbound_only, high_fanout, short_unanswered, static_cell */
		ck_assert_int_ge(res.code[k] * 10, res.sims_called * 9);
	ck_assert_int_ge(res.behaviour_reasons * 2, res.sims_called);
	/* The example detail of action.md: numbers, not just words. */
	struct sim_view v = view_sim(&d.rec, bx.sims[0].imsi);
	ck_assert(v.reasons_all[0] && v.reasons_all[7]);

	struct det_stats st = det_stats_get(&d);
	ck_assert_uint_eq(st.events, b.n);
	ck_assert_uint_eq(st.findings, d.rec.n);
	ck_assert_uint_gt(st.subjects, 0);

	/* Eviction: nothing left after idle_evict without events. */
	int64_t end = b.ev[b.n - 1].time;
	det_simbox.tick(d.st, end + 4 * DAY * SS_US_PER_SEC);
	st = det_stats_get(&d);
	ck_assert_uint_eq(st.subjects, 0);
	ck_assert_uint_lt(st.state_bytes, 4096);
	ck_assert_uint_gt(st.evictions, 0);
	det_close(&d);
	box_free(&bx);
	evbuf_free(&b);
}
END_TEST

START_TEST(test_mimicking_box)
{
	struct det d;
	struct evbuf b = { 0 };
	struct box bx;
	struct box_params p = { .ports = 8, .bank = 24, .fresh_share = 0.25, .swap_min = HOUR,
				.swap_max = 6 * HOUR, .days = 4, .mimic = true,
				.sim_base = 5000, .tac = 35899101, .cell = 7001 };

	rng_seed(2);
	box_build(&bx, &p, &b);
	det_open(&d, NULL);
	det_feed(&d, &b);
	struct box_result res = box_check(&bx, &d.rec);
	fprintf(stderr,
		"mimicking box: %d SIMs called, %d STRUCTURAL>=80, %d gateway_member, %d/%d ports, "
		"%d/%d late SIMs within 2 h, median first-strong latency %.2f h, established %.1f h in\n",
		res.sims_called, res.strong_structural, res.gateway, res.devices, p.ports,
		res.after_est_fast, res.after_est, res.median_latency_h,
		(double)(res.est / SS_US_PER_SEC - T0) / HOUR);
	ck_assert_int_ge(res.strong_structural * 100, res.sims_called * 95);
	ck_assert_int_ge(res.gateway * 100, res.sims_called * 95);
	ck_assert_int_eq(res.devices, p.ports);
	ck_assert_int_ge(res.after_est_fast * 100, res.after_est * 95);
	/*
	 * Co-location: the box's rotating ports share 3 cells, so the gateway
	 * is established within a few hours of the first calls (09:00), before
	 * any SIM has come back from the bank into another port.
	 */
	int64_t first_calls = (T0 + 9 * HOUR) * SS_US_PER_SEC;
	ck_assert(res.est != INT64_MAX);
	ck_assert_int_le(res.est - first_calls, 6 * HOUR * SS_US_PER_SEC);
	det_close(&d);

	/* Without it, establishment waits for SIMs moving between ports. */
	det_open(&d, "[simbox]\ncolocation = 0\n");
	det_feed(&d, &b);
	struct box_result off = box_check(&bx, &d.rec);
	fprintf(stderr, "mimicking box without co-location: established %.1f h in\n",
		(double)(off.est / SS_US_PER_SEC - T0) / HOUR);
	ck_assert(off.est > res.est);
	ck_assert_int_eq(off.devices, p.ports);
	det_close(&d);
	box_free(&bx);
	evbuf_free(&b);
}
END_TEST

/* ---- co-location hard negatives ------------------------------------------- */

/*
 * Busy MO-heavy single-SIM phones in one cell (a sales office) are not
 * rotating ports: nothing links them.  Shop test handsets in one cell rotate
 * SIMs (customers try their cards) but place few calls: not linked either.
 * Two busy rotating handsets are linked at most, and 2 ports are not a
 * gateway (gw_min_imeis = 3).
 */
START_TEST(test_colocation_negatives)
{
	struct det d;
	struct evbuf b = { 0 };
	char imei[3][EV_IMEI_SIZE];

	rng_seed(11);
	for (int i = 0; i < 3; i++)
		make_imei(imei[i], 35412345, 200 + (unsigned long)i);
	/* 1. Three single-SIM phones, 40 short MO calls a day each, one cell. */
	for (int day = 0; day < 3; day++)
		for (int i = 0; i < 3; i++) {
			struct sim_id sim;
			sim_id_make(&sim, 70000 + (unsigned long)i);
			for (int k = 0; k < 40; k++) {
				char victim[EV_PARTY_SIZE];
				make_victim(victim);
				call(&b, T0 + day * DAY + 9 * HOUR + k * 600 + i * 7, EV_DIR_MO, &sim,
				     imei[i], 6001, victim, rnd01() < 0.4, 10);
			}
		}
	/* 2. Three shop handsets: 6 customers' SIMs a day each, one test call per SIM. */
	for (int day = 0; day < 3; day++)
		for (int i = 0; i < 3; i++)
			for (int k = 0; k < 6; k++) {
				struct sim_id sim;
				char shop[EV_IMEI_SIZE], victim[EV_PARTY_SIZE];
				make_imei(shop, 35666666, 300 + (unsigned long)i);
				sim_id_make(&sim, 71000 + (unsigned long)(day * 100 + i * 10 + k));
				make_victim(victim);
				call(&b, T0 + day * DAY + 10 * HOUR + k * 3600 + i * 60, EV_DIR_MO, &sim,
				     shop, 6002, victim, true, 30);
			}
	det_open(&d, NULL);
	det_feed(&d, &b);
	ck_assert_uint_eq(count_kind(&d.rec, DET_SUBJECT_DEVICE), 0);
	for (size_t i = 0; i < d.rec.n; i++) {
		ck_assert(!has_reason(&d.rec.f[i], "simbox.gateway_member"));
		ck_assert(d.rec.f[i].strength != DET_STRUCTURAL);
	}
	det_close(&d);
	evbuf_free(&b);

	/* 3. Two busy rotating handsets in one cell: 4 SIMs a day each, 10 calls per SIM. */
	for (int day = 0; day < 3; day++)
		for (int i = 0; i < 2; i++)
			for (int k = 0; k < 4; k++) {
				struct sim_id sim;
				sim_id_make(&sim, 72000 + (unsigned long)(day * 100 + i * 10 + k));
				for (int n = 0; n < 10; n++) {
					char victim[EV_PARTY_SIZE];
					make_victim(victim);
					call(&b, T0 + day * DAY + 9 * HOUR + k * 3 * HOUR + n * 900 + i * 30,
					     EV_DIR_MO, &sim, imei[i], 6003, victim, rnd01() < 0.5, 20);
				}
			}
	det_open(&d, NULL);
	det_feed(&d, &b);
	ck_assert_uint_eq(count_kind(&d.rec, DET_SUBJECT_DEVICE), 0);
	for (size_t i = 0; i < d.rec.n; i++)
		ck_assert(!has_reason(&d.rec.f[i], "simbox.gateway_member"));
	det_close(&d);
	evbuf_free(&b);
}
END_TEST

/* ---- hard negatives ------------------------------------------------------- */

/* A human day: some MO calls, MT calls, SMS and data across @ncells cells. */
static void human_day(struct evbuf *b, const struct sim_id *sim, const char *imei, int64_t day0,
		      int mo, int mt, int sms, int data, unsigned cell0, int ncells,
		      const char (*contacts)[EV_PARTY_SIZE], int ncontacts)
{
	for (int i = 0; i < mo + mt + sms + data; i++) {
		int64_t t = day0 + rnd(8 * HOUR, 22 * HOUR);
		unsigned cell = cell0 + (unsigned)rnd(0, ncells - 1);
		if (i < mo) {
			char v[EV_PARTY_SIZE];
			if (ncontacts && rnd01() < 0.8)
				snprintf(v, sizeof(v), "%s", contacts[rnd(0, ncontacts - 1)]);
			else
				make_victim(v);
			bool ans = rnd01() < 0.75;
			call(b, t, EV_DIR_MO, sim, imei, cell, v, ans, (unsigned)rnd(20, 600));
		} else if (i < mo + mt) {
			call(b, t, EV_DIR_MT, sim, imei, cell, "8613700000000", rnd01() < 0.8,
			     (unsigned)rnd(20, 400));
		} else if (i < mo + mt + sms) {
			ev_add(b, t, EV_SMS, rnd01() < 0.5 ? EV_DIR_MO : EV_DIR_MT, sim, imei, cell);
		} else {
			ev_add(b, t, EV_DATA, EV_DIR_NONE, sim, imei, cell);
		}
	}
}

START_TEST(test_courier_never_behavioural)
{
	struct det d;
	struct evbuf b = { 0 };
	struct sim_id sims[40];
	char imei[40][EV_IMEI_SIZE];

	rng_seed(3);
	for (int c = 0; c < 40; c++) {
		sim_id_make(&sims[c], 20000 + (unsigned long)c);
		make_imei(imei[c], 35123456, 2000 + (unsigned long)c);
		for (int day = 0; day < 4; day++) {
			int64_t d0 = T0 + (int64_t)day * DAY;
			int n = rnd(30, 80);
			/* Short MO calls to distinct customers, many unanswered, all over town. */
			for (int i = 0; i < n; i++) {
				char v[EV_PARTY_SIZE];
				make_victim(v);
				call(&b, d0 + rnd(8 * HOUR, 20 * HOUR), EV_DIR_MO, &sims[c], imei[c],
				     (unsigned)(9000 + c * 100 + rnd(0, 59)), v, rnd01() < 0.5,
				     (unsigned)rnd(5, 60));
			}
			human_day(&b, &sims[c], imei[c], d0, 0, rnd(15, 40), 5, 20,
				  (unsigned)(9000 + c * 100), 60, NULL, 0);
		}
	}
	det_open(&d, NULL);
	det_feed(&d, &b);
	int maxs = 0;
	for (size_t i = 0; i < d.rec.n; i++) {
		ck_assert_int_eq(d.rec.f[i].strength, DET_WEAK);
		ck_assert(!has_reason(&d.rec.f[i], "simbox.gateway_member"));
		if (d.rec.f[i].score > maxs)
			maxs = d.rec.f[i].score;
	}
	fprintf(stderr, "couriers: %zu findings, max score %d (all WEAK)\n", d.rec.n, maxs);
	det_close(&d);
	evbuf_free(&b);
}
END_TEST

START_TEST(test_call_centre_never_strong)
{
	struct det d;
	struct evbuf b = { 0 };
	struct sim_id sims[30];
	char imei[30][EV_IMEI_SIZE];

	rng_seed(4);
	for (int a = 0; a < 30; a++) {
		sim_id_make(&sims[a], 30000 + (unsigned long)a);
		make_imei(imei[a], 86111111, 3000 + (unsigned long)a);
		for (int day = 0; day < 4; day++) {
			int64_t t = T0 + (int64_t)day * DAY + 9 * HOUR + rnd(0, 600);
			int64_t lunch = T0 + (int64_t)day * DAY + 12 * HOUR;
			int64_t end = T0 + (int64_t)day * DAY + 18 * HOUR;
			int n = 0, target = rnd(40, 100);
			while (t < end && n < target) {
				if (t >= lunch && t < lunch + 90 * 60)
					t = lunch + 90 * 60;
				char v[EV_PARTY_SIZE];
				make_victim(v);
				bool ans = rnd01() < 0.8;
				unsigned dur = (unsigned)rnd(60, 300);
				call(&b, t, EV_DIR_MO, &sims[a], imei[a], (unsigned)(6000 + (rnd01() < 0.9 ? 0 : 1)),
				     v, ans, dur);
				t += (ans ? dur : 25) + rnd(30, 120) + rnd(0, 200);
				n++;
			}
			for (int k = 0; k < 2; k++)
				call(&b, T0 + (int64_t)day * DAY + rnd(9 * HOUR, 18 * HOUR), EV_DIR_MT,
				     &sims[a], imei[a], 6000, "8613700000001", true, 120);
		}
	}
	det_open(&d, NULL);
	det_feed(&d, &b);
	int maxs = 0;
	for (size_t i = 0; i < d.rec.n; i++) {
		const struct det_finding *f = &d.rec.f[i];
		ck_assert(f->strength != DET_STRUCTURAL);
		ck_assert(!(f->strength == DET_BEHAVIOURAL && f->score >= 60));
		if (f->score > maxs)
			maxs = f->score;
	}
	fprintf(stderr, "call centre: %zu findings, max score %d\n", d.rec.n, maxs);
	det_close(&d);
	evbuf_free(&b);
}
END_TEST

START_TEST(test_shared_phone_and_upgrade)
{
	struct det d;
	struct evbuf b = { 0 };
	struct sim_id a, bb, c, e;
	char x[EV_IMEI_SIZE], y[EV_IMEI_SIZE], z[EV_IMEI_SIZE], w[EV_IMEI_SIZE], w2[EV_IMEI_SIZE];
	char contacts[5][EV_PARTY_SIZE];

	rng_seed(5);
	for (int i = 0; i < 5; i++)
		make_victim(contacts[i]);
	sim_id_make(&a, 40001);
	sim_id_make(&bb, 40002);
	sim_id_make(&c, 40003);
	sim_id_make(&e, 40004);
	make_imei(x, 35222222, 1);
	make_imei(y, 35222222, 2);
	make_imei(z, 35333333, 3);
	make_imei(w, 35333333, 4);
	make_imei(w2, 35333333, 5);
	for (int day = 0; day < 6; day++) {
		int64_t d0 = T0 + (int64_t)day * DAY;
		/* Shared family phone: A, then B once for good. */
		human_day(&b, day < 3 ? &a : &bb, x, d0, 8, 6, 4, 10, 100, 3, contacts, 5);
		/* Upgrade: C moves from Y to Z once. */
		human_day(&b, &c, day < 3 ? y : z, d0, 8, 6, 4, 10, 200, 4, contacts, 5);
		/* Worst case: a busy, static, outbound SIM (E) upgrades from W to W2 mid-day. */
		for (int i = 0; i < 40; i++) {
			char v[EV_PARTY_SIZE];
			make_victim(v);
			int64_t t = d0 + 9 * HOUR + i * 600;
			call(&b, t, EV_DIR_MO, &e, (day < 2 || (day == 2 && i < 20)) ? w : w2, 300, v,
			     rnd01() < 0.4, (unsigned)rnd(5, 30));
		}
	}
	det_open(&d, NULL);
	det_feed(&d, &b);
	ck_assert_int_lt(view_sim(&d.rec, a.imsi).max_strength, DET_STRUCTURAL);
	ck_assert_int_lt(view_sim(&d.rec, bb.imsi).max_strength, DET_STRUCTURAL);
	ck_assert_int_lt(view_sim(&d.rec, c.imsi).max_strength, DET_STRUCTURAL);
	/* E looks like a gateway SIM by behaviour (BEHAVIOURAL allowed) but one move is no rotation. */
	ck_assert_int_lt(view_sim(&d.rec, e.imsi).max_strength, DET_STRUCTURAL);
	ck_assert_uint_eq(count_kind(&d.rec, DET_SUBJECT_DEVICE), 0);
	det_close(&d);
	evbuf_free(&b);
}
END_TEST

START_TEST(test_bogus_imei_no_gateway)
{
	struct det d;
	struct evbuf b = { 0 };
	struct sim_id sims[60];
	char own[60][EV_IMEI_SIZE], shared[EV_IMEI_SIZE];

	rng_seed(6);
	make_imei(shared, 86666666, 666666); /* Luhn-valid, but flashed into many cheap phones */
	for (int s = 0; s < 60; s++) {
		sim_id_make(&sims[s], 50000 + (unsigned long)s);
		make_imei(own[s], 35444444, 5000 + (unsigned long)s);
		for (int day = 0; day < 3; day++) {
			int64_t d0 = T0 + (int64_t)day * DAY;
			if (s < 30) {
				/* Placeholder IMEI in every record. */
				human_day(&b, &sims[s], "000000000000000", d0, 10, 8, 4, 10,
					  (unsigned)(800 + s * 10), 4, NULL, 0);
			} else {
				/* The shared IMEI, and half the day in the user's other phone. */
				human_day(&b, &sims[s], shared, d0, 10, 8, 4, 10, (unsigned)(800 + s * 10), 4,
					  NULL, 0);
				human_day(&b, &sims[s], own[s], d0 + (s % 2 ? HOUR : -HOUR), 5, 4, 2, 5,
					  (unsigned)(800 + s * 10), 4, NULL, 0);
			}
		}
	}
	det_open(&d, NULL);
	det_feed(&d, &b);
	ck_assert_uint_eq(count_kind(&d.rec, DET_SUBJECT_DEVICE), 0);
	for (size_t i = 0; i < d.rec.n; i++) {
		ck_assert(!has_reason(&d.rec.f[i], "simbox.gateway_member"));
		ck_assert(d.rec.f[i].strength != DET_STRUCTURAL);
	}
	det_close(&d);
	evbuf_free(&b);
}
END_TEST

/* ---- memory -------------------------------------------------------------- */

START_TEST(test_rotating_population_flat_memory)
{
	struct det d;
	uint64_t bytes[30], subjects[30];

	rng_seed(7);
	det_open(&d, NULL);
	for (int day = 0; day < 30; day++) {
		struct evbuf b = { 0 };
		/* 300 new SIMs a day, each active for two days, then gone for good. */
		for (int k = 0; k < 2; k++) {
			int cohort = day - k;
			if (cohort < 0)
				continue;
			for (int s = 0; s < 300; s++) {
				struct sim_id sim;
				char imei[EV_IMEI_SIZE];
				unsigned long id = 100000 + (unsigned long)cohort * 300 + (unsigned long)s;
				sim_id_make(&sim, id);
				make_imei(imei, 35555555, id);
				human_day(&b, &sim, imei, T0 + (int64_t)day * DAY, 4, 3, 2, 3,
					  (unsigned)(s * 7), 3, NULL, 0);
			}
		}
		det_feed(&d, &b);
		det_simbox.tick(d.st, (T0 + (int64_t)(day + 1) * DAY) * SS_US_PER_SEC);
		struct det_stats st = det_stats_get(&d);
		bytes[day] = st.state_bytes;
		subjects[day] = st.subjects;
		evbuf_free(&b);
	}
	uint64_t lo = UINT64_MAX, hi = 0;
	for (int day = 8; day < 30; day++) {
		lo = bytes[day] < lo ? bytes[day] : lo;
		hi = bytes[day] > hi ? bytes[day] : hi;
	}
	fprintf(stderr, "30-day rotation: subjects %llu..%llu, state %llu..%llu bytes (%.0f B/subject)\n",
		(unsigned long long)subjects[8], (unsigned long long)subjects[29], (unsigned long long)lo,
		(unsigned long long)hi, (double)bytes[29] / (double)subjects[29]);
	ck_assert_uint_le(hi, lo * 3 / 2);
	ck_assert_uint_le(subjects[29], 2 * 5 * 300 + 100); /* SIMs + IMEIs alive <= idle_evict */
	det_close(&d);
}
END_TEST

/* ---- lazy IMEI records ----------------------------------------------------- */

/*
 * Ordinary subscribers: one handset each, never another SIM in it, reported
 * as IMEI, IMEISV and 14 digits in turn.  No IMEI record may be created:
 * state stays well under a SIM record plus an IMEI record (128 + 80 bytes)
 * per subscriber, and the handsets still count as tracked subjects.
 */
START_TEST(test_lazy_single_sim_handset)
{
	struct det d;
	struct evbuf b = { 0 };
	const unsigned n = 20000;

	rng_seed(31);
	det_open(&d, NULL);
	for (unsigned s = 0; s < n; s++) {
		struct sim_id sim;
		char imei[EV_IMEI_SIZE], sv[EV_IMEI_SIZE], i14[EV_IMEI_SIZE];
		sim_id_make(&sim, 500000 + s);
		make_imei(imei, 35666666, s);
		snprintf(sv, sizeof(sv), "%.14s%02u", imei, s % 100);
		snprintf(i14, sizeof(i14), "%.14s", imei);
		const char *forms[3] = { imei, sv, i14 };
		for (int k = 0; k < 6; k++) {
			char v[EV_PARTY_SIZE];
			make_victim(v);
			call(&b, T0 + rnd(0, 20 * HOUR), k % 2 ? EV_DIR_MT : EV_DIR_MO, &sim, forms[k % 3],
			     5000 + s % 300, v, true, 60);
		}
	}
	det_feed(&d, &b);
	struct det_stats st = det_stats_get(&d);
	fprintf(stderr, "lazy handsets: %u SIMs, %llu subjects, %.0f bytes per SIM incl. its handset\n",
		n, (unsigned long long)st.subjects, (double)st.state_bytes / n);
	ck_assert_uint_eq(st.subjects, 2 * n);
	ck_assert_uint_lt(st.state_bytes, (uint64_t)n * 190); /* 128 B record + indexes + slack */
	ck_assert_uint_eq(count_kind(&d.rec, DET_SUBJECT_SIM) + count_kind(&d.rec, DET_SUBJECT_DEVICE), 0);
	det_close(&d);
	evbuf_free(&b);
}
END_TEST

/* SIM C, busy and outbound, after A and B in one handset. */
static void third_sim_day(struct evbuf *b, bool with_a, const char *imei)
{
	struct sim_id a, bb, c;
	sim_id_make(&a, 610001);
	sim_id_make(&bb, 610002);
	sim_id_make(&c, 610003);
	if (with_a)
		for (int k = 0; k < 4; k++)
			call(b, T0 + 600 + k * 1800, EV_DIR_MO, &a, imei, 7001, "8613900000001", true, 90);
	for (int k = 0; k < 4; k++)
		call(b, T0 + 3 * HOUR + k * 900, EV_DIR_MO, &bb, imei, 7001, "8613900000002", true, 90);
	for (int k = 0; k < 16; k++) {
		char v[EV_PARTY_SIZE];
		make_victim(v);
		call(b, T0 + 5 * HOUR + k * 300, EV_DIR_MO, &c, imei, 7001, v, false, 0);
	}
}

/*
 * The second SIM materialises the handset's record with the first SIM
 * already in it: the third SIM then sees a port that carried 3 IMSIs, and
 * without the first SIM only 2.
 */
START_TEST(test_lazy_second_sim_counts_first)
{
	char imei[EV_IMEI_SIZE];
	make_imei(imei, 86111111, 42);
	for (int with_a = 0; with_a < 2; with_a++) {
		struct det d;
		struct evbuf b = { 0 };
		det_open(&d, NULL);
		third_sim_day(&b, with_a, imei);
		det_feed(&d, &b);
		struct sim_view v = view_sim(&d.rec, "460000000610003");
		ck_assert_int_ge(v.max_score, 40);
		ck_assert(v.reasons_all[0] == (with_a != 0)); /* multi_imsi_per_imei */
		if (with_a) {
			ck_assert_int_eq(v.max_strength, DET_STRUCTURAL);
			bool three = false;
			for (size_t i = 0; i < d.rec.n; i++)
				for (int r = 0; r < d.rec.f[i].n_reasons; r++)
					three |= strstr(d.rec.f[i].reasons[r].detail, "carried 3 IMSIs") != NULL;
			ck_assert(three);
		}
		/* A, B, C and one handset. */
		ck_assert_uint_eq(det_stats_get(&d).subjects, 3u + (unsigned)with_a);
		det_close(&d);
		evbuf_free(&b);
	}
}
END_TEST

/*
 * The owner of a lazy handset is evicted (and the handset with it); a SIM
 * reset forgets its handset; a device reset forgets a lazy handset.  Later
 * SIMs in the handset start afresh and the first SIM is not counted.
 */
START_TEST(test_lazy_owner_eviction_and_reset)
{
	struct det d;
	struct evbuf b = { 0 };
	struct sim_id a, x;
	char imei[EV_IMEI_SIZE], imei2[EV_IMEI_SIZE];
	make_imei(imei, 86222222, 7);
	make_imei(imei2, 86222222, 8);
	sim_id_make(&a, 620001);
	sim_id_make(&x, 620009);

	det_open(&d, NULL);
	call(&b, T0 + 600, EV_DIR_MO, &a, imei, 7002, "8613900000001", true, 90);
	call(&b, T0 + 700, EV_DIR_MO, &x, imei2, 7002, "8613900000001", true, 90);
	det_feed(&d, &b);
	evbuf_free(&b);
	ck_assert_uint_eq(det_stats_get(&d).subjects, 4);

	/* Device reset of a lazy handset: its SIM stays, the handset goes. */
	struct det_subject dev = { .kind = DET_SUBJECT_DEVICE };
	snprintf(dev.imei, sizeof(dev.imei), "%s", imei2);
	det_simbox.reset_subject(d.st, &dev);
	ck_assert_uint_eq(det_stats_get(&d).subjects, 3);

	/* Four idle days: both SIMs and A's handset are evicted. */
	det_simbox.tick(d.st, (T0 + 4 * DAY) * SS_US_PER_SEC);
	struct det_stats st = det_stats_get(&d);
	ck_assert_uint_eq(st.subjects, 0);
	ck_assert_uint_eq(st.evictions, 3);

	/* New SIMs in A's old handset: the evicted owner is not counted. */
	third_sim_day(&b, false, imei);
	for (size_t i = 0; i < b.n; i++)
		b.ev[i].time += 5 * DAY * SS_US_PER_SEC;
	det_feed(&d, &b);
	struct sim_view v = view_sim(&d.rec, "460000000610003");
	ck_assert(!v.reasons_all[0]);
	ck_assert_uint_eq(det_stats_get(&d).subjects, 3); /* B, C and the handset */

	/* A SIM reset takes its lazy handset along. */
	struct sim_id y;
	sim_id_make(&y, 620010);
	evbuf_free(&b);
	call(&b, T0 + 5 * DAY + 12 * HOUR, EV_DIR_MO, &y, imei2, 7002, "8613900000001", true, 90);
	det_feed(&d, &b);
	ck_assert_uint_eq(det_stats_get(&d).subjects, 5);
	struct det_subject sub = { .kind = DET_SUBJECT_SIM };
	snprintf(sub.imsi, sizeof(sub.imsi), "%s", y.imsi);
	det_simbox.reset_subject(d.st, &sub);
	ck_assert_uint_eq(det_stats_get(&d).subjects, 3);
	det_close(&d);
	evbuf_free(&b);
}
END_TEST

/*
 * A rotating box is detected exactly as before lazy IMEI records: the same
 * findings, group id and establishment time as the previous code gave on
 * this stream (values recorded from it).
 */
START_TEST(test_lazy_rotating_box_unchanged)
{
	struct det d;
	struct evbuf b = { 0 };
	struct box bx;
	struct box_params p = { .ports = 16, .bank = 48, .fresh_share = 0.25, .swap_min = HOUR,
				.swap_max = 6 * HOUR, .days = 3, .mimic = false,
				.sim_base = 1000, .tac = 86723404, .cell = 5001 };

	rng_seed(1);
	box_build(&bx, &p, &b);
	det_open(&d, NULL);
	det_feed(&d, &b);
	struct box_result res = box_check(&bx, &d.rec);
	uint64_t group = 0;
	size_t first_dev = SIZE_MAX;
	for (size_t i = 0; i < d.rec.n && !group; i++)
		if (d.rec.f[i].group) {
			group = d.rec.f[i].group;
			first_dev = i;
		}
	fprintf(stderr, "rotating box digest: %zu findings (%zu SIM, %zu device), group %llu, first at %zu, "
		"est %lld\n", d.rec.n, count_kind(&d.rec, DET_SUBJECT_SIM), count_kind(&d.rec, DET_SUBJECT_DEVICE),
		(unsigned long long)group, first_dev, (long long)(res.est / SS_US_PER_SEC - T0));
	ck_assert_uint_eq(d.rec.n, LAZY_BOX_FINDINGS);
	ck_assert_uint_eq(count_kind(&d.rec, DET_SUBJECT_DEVICE), (size_t)p.ports);
	ck_assert_uint_eq(group, LAZY_BOX_GROUP);
	ck_assert_int_eq(res.est / SS_US_PER_SEC - T0, LAZY_BOX_EST);
	ck_assert_int_eq(res.strong_structural, res.sims_called);
	det_close(&d);
	box_free(&bx);
	evbuf_free(&b);
}
END_TEST

/* ---- reset ---------------------------------------------------------------- */

static size_t findings_for_imsi(const struct rec *r, const char *imsi)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += r->f[i].subject.kind == DET_SUBJECT_SIM && !strcmp(r->f[i].subject.imsi, imsi);
	return n;
}

START_TEST(test_reset_subject)
{
	struct det d;
	struct evbuf b = { 0 };
	struct box bx;
	struct box_params p = { .ports = 8, .bank = 24, .fresh_share = 0, .swap_min = HOUR,
				.swap_max = 3 * HOUR, .days = 2, .mimic = false,
				.sim_base = 60000, .tac = 86999999, .cell = 8001 };

	rng_seed(8);
	box_build(&bx, &p, &b);
	det_open(&d, NULL);
	det_feed(&d, &b);
	ck_assert(view_sim(&d.rec, bx.sims[0].imsi).gateway);
	struct det_stats before = det_stats_get(&d);

	struct det_subject subj = { .kind = DET_SUBJECT_SIM };
	snprintf(subj.imsi, sizeof(subj.imsi), "%s", bx.sims[0].imsi);
	det_simbox.reset_subject(d.st, &subj);
	struct det_stats after = det_stats_get(&d);
	ck_assert_uint_eq(after.subjects, before.subjects - 1);
	size_t n0 = findings_for_imsi(&d.rec, bx.sims[0].imsi);
	size_t n1 = findings_for_imsi(&d.rec, bx.sims[1].imsi);

	/* Maintenance sweeps do not bring it back on stale evidence... */
	int64_t end = b.ev[b.n - 1].time;
	det_simbox.tick(d.st, end + HOUR * SS_US_PER_SEC);
	/* ... nor does an event of it outside the gateway. */
	struct evbuf b2 = { 0 };
	call(&b2, end / SS_US_PER_SEC + 2 * HOUR, EV_DIR_MT, &bx.sims[0], NULL, 0, "8613700000009",
	     true, 30);
	det_feed(&d, &b2);
	ck_assert_uint_eq(findings_for_imsi(&d.rec, bx.sims[0].imsi), n0);
	ck_assert_uint_eq(findings_for_imsi(&d.rec, bx.sims[1].imsi), n1);
	ck_assert_uint_eq(det_stats_get(&d).subjects, after.subjects + 1); /* the new event */

	/* A device: forgotten alone. */
	struct det_subject dev = { .kind = DET_SUBJECT_DEVICE };
	snprintf(dev.imei, sizeof(dev.imei), "%s", bx.imei[3]);
	det_simbox.reset_subject(d.st, &dev);
	ck_assert_uint_eq(det_stats_get(&d).subjects, after.subjects);
	/* Unknown subjects are a no-op. */
	snprintf(subj.imsi, sizeof(subj.imsi), "460009999999999");
	det_simbox.reset_subject(d.st, &subj);
	ck_assert_uint_eq(det_stats_get(&d).subjects, after.subjects);
	det_close(&d);
	box_free(&bx);
	evbuf_free(&b);
	evbuf_free(&b2);
}
END_TEST

/* ---- configuration ---------------------------------------------------- */

static void outbound_sim(struct evbuf *b)
{
	struct sim_id s;
	char imei[EV_IMEI_SIZE];
	sim_id_make(&s, 70000);
	make_imei(imei, 35777777, 7);
	for (int i = 0; i < 30; i++) {
		char v[EV_PARTY_SIZE];
		make_victim(v);
		call(b, T0 + 9 * HOUR + i * 300 + (i * 37) % 120, EV_DIR_MO, &s, imei, 777, v, i % 3 == 0,
		     8);
	}
}

START_TEST(test_config_override)
{
	struct det d;
	struct evbuf b = { 0 };

	rng_seed(9);
	outbound_sim(&b);
	det_open(&d, NULL);
	det_feed(&d, &b);
	bool seen = false;
	for (size_t i = 0; i < d.rec.n; i++)
		seen = seen || has_reason(&d.rec.f[i], "simbox.outbound_only");
	ck_assert(seen);
	ck_assert_int_eq(d.rec.f[d.rec.n - 1].strength, DET_BEHAVIOURAL);
	det_close(&d);

	det_open(&d, "[simbox]\nmin_calls = 50\nweight_high_fanout = 40\n");
	det_feed(&d, &b);
	for (size_t i = 0; i < d.rec.n; i++) {
		ck_assert(!has_reason(&d.rec.f[i], "simbox.outbound_only"));
		ck_assert_int_ge(d.rec.f[i].score, 40); /* the fan-out weight alone */
	}
	ck_assert_int_eq(ss_config_check_unused(d.cfg), 0);
	det_close(&d);
	evbuf_free(&b);
}
END_TEST

START_TEST(test_config_rejects)
{
	static const char *const bad[] = {
		"[simbox]\nmin_imsis_per_imei = 1\n",
		"[simbox]\nidle_evict = soon\n",
		"[simbox]\nwindow = 10m\n",
		"[simbox]\nrotation_window = 48h\nlink_ttl = 24h\n",
		"[simbox]\nweight_gateway_member = 101\n",
		"[simbox]\ngw_min_mo_share = 1.5\n",
		"[simbox]\nmaint_interval = 2h\ncompact_interval = 1h\n",
		"[simbox]\ncolocation = 2\n",
		"[simbox]\ncolocation_join_min_imsis = 1\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ss_config *cfg;
		char err[256];
		void *st = NULL;
		ck_assert_int_eq(ss_config_from_string(bad[i], &cfg, err, sizeof(err)), 0);
		struct det_env env = { .config = cfg };
		ck_assert_msg(det_simbox.init(&st, &env) == -SS_ECONFIG, "should reject: %s", bad[i]);
		ss_config_free(cfg);
	}
	det_simbox.fini(NULL);
}
END_TEST

START_TEST(test_identity_rendering)
{
	/* IMSI with leading zeros after the MCC, MSISDN-only SIMs, IMEISV ports. */
	struct det d;
	struct evbuf b = { 0 };
	struct sim_id s = { "001010000000042", "" };
	struct sim_id m = { "", "0012345" };
	det_open(&d, "[simbox]\nmonitor_threshold = 1\n");
	for (int i = 0; i < 12; i++) {
		char v[EV_PARTY_SIZE];
		make_victim(v);
		call(&b, T0 + 10 * HOUR + i * 180, EV_DIR_MO, &s, "8672340412345601", 1, v, false, 0);
		call(&b, T0 + 10 * HOUR + i * 180 + 5, EV_DIR_MO, &m, NULL, 2, v, false, 0);
	}
	det_feed(&d, &b);
	bool got_s = false, got_m = false;
	for (size_t i = 0; i < d.rec.n; i++) {
		const struct det_subject *sj = &d.rec.f[i].subject;
		if (!strcmp(sj->imsi, "001010000000042")) {
			got_s = true;
			ck_assert_str_eq(sj->imei, "8672340412345601");
		}
		if (!strcmp(sj->msisdn, "0012345")) {
			got_m = true;
			ck_assert_str_eq(sj->imsi, "");
		}
		ck_assert_int_eq(d.rec.f[i].event_time % SS_US_PER_SEC, 0);
		ck_assert(d.rec.f[i].evidence_record[0] == 'R');
	}
	ck_assert(got_s && got_m);
	det_close(&d);
	evbuf_free(&b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("simbox");
	TCase *tc = tcase_create("simbox");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_classic_box);
	tcase_add_test(tc, test_mimicking_box);
	tcase_add_test(tc, test_colocation_negatives);
	tcase_add_test(tc, test_courier_never_behavioural);
	tcase_add_test(tc, test_call_centre_never_strong);
	tcase_add_test(tc, test_shared_phone_and_upgrade);
	tcase_add_test(tc, test_bogus_imei_no_gateway);
	tcase_add_test(tc, test_rotating_population_flat_memory);
	tcase_add_test(tc, test_reset_subject);
	tcase_add_test(tc, test_lazy_single_sim_handset);
	tcase_add_test(tc, test_lazy_second_sim_counts_first);
	tcase_add_test(tc, test_lazy_owner_eviction_and_reset);
	tcase_add_test(tc, test_lazy_rotating_box_unchanged);
	tcase_add_test(tc, test_config_override);
	tcase_add_test(tc, test_config_rejects);
	tcase_add_test(tc, test_identity_rendering);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
