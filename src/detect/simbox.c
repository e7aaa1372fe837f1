/*
 * simbox.c - SIM-box / GOIP gateway detector (reason family "simbox").
 *
 * A GOIP gateway is 8-32 GSM ports (one IMEI each) fed from a SIM bank: the
 * bank rotates SIMs through the ports.  Its SIMs place many short, often
 * unanswered MO calls to distinct victims from one cell and receive almost
 * nothing.  Behaviour alone is ambiguous (couriers, call centres), so the
 * strong evidence is structural: SIMs moving between IMEIs join those IMEIs
 * into one component (union-find), and a component with enough rotating
 * ports and SIMs, carrying mostly MO traffic, is an established gateway.
 * Every SIM and port of an established gateway is implicated, including
 * human-mimicking boxes whose per-SIM behaviour looks ordinary.
 *
 * Design (docs/detect-simbox.md has the numbers and their reasoning):
 *  - Per-SIM state (struct sb_sim, 128 bytes: two cache lines in a 64-byte
 *    aligned array) keyed by the IMSI (else the MSISDN) as a packed number,
 *    in a stable array indexed by an open-addressing table of uint32 slots.
 *    Behaviour counters live in two half-window buckets (current /
 *    previous); distinct callees and cells are linear-counting bitmaps; call
 *    cadence is an EWMA of gaps and squared gaps plus an active-hour bitmap;
 *    link times are minute stamps.
 *  - Per-IMEI state (struct sb_imei, 80 bytes), only for handsets that need
 *    it: distinct-SIM bitmaps, ping-pong detection (a "port" that flips back
 *    and forth between SIMs within minutes is a bogus IMEI shared by many
 *    phones, never a port), union-find parent and, at roots, the component
 *    aggregates.
 *  - Lazy IMEI records.  A handset only one SIM was ever seen in, which is
 *    that SIM's only port, has no sb_imei: the SIM's ports[0] is SB_LAZY and
 *    its .imei names the handset; a second index maps the handset's key to
 *    that SIM (verified through the SIM's .imei, so stale slots never
 *    match).  Nothing per-IMEI can happen on such a handset (no rotation,
 *    no link, no gateway, no co-location, never bogus), so nothing is lost.
 *    The record is created (sb_materialise) with what the SIM's history
 *    implies the moment a second SIM shows up in the handset, the SIM moves
 *    to another valid IMEI (the two must be linked), or the SIM reports an
 *    IMEI string of another handset or a placeholder (its .imei would
 *    forget the key).  Its own call counts are then estimated from the
 *    SIM's window counters (documented in docs/detect-simbox.md).  Most
 *    subscribers never get one: ~150 instead of ~230 bytes each.
 *  - Invalid / placeholder IMEIs (bad Luhn, all-equal digits, zero TAC) are
 *    "unknown" and never become ports.
 *  - Nodes are never freed between maintenance passes.  Maintenance (every
 *    compact_interval of input time, from on_event or tick) evicts idle SIMs
 *    (with their lazy handsets) and IMEIs, expires SIM->IMEI links older
 *    than link_ttl, compacts both arrays (so memory shrinks with the
 *    population), rebuilds the lazy index without stale slots, and rebuilds the
 *    union-find from the surviving links: components cannot leak and stale
 *    evidence falls out by itself.  Gateway ids stick to their IMEIs across
 *    rebuilds, so a group id is stable for as long as the gateway is seen.
 *  - Findings are emitted when a subject's score first reaches the monitor
 *    threshold, then only when it rises by score_step or its strength rises.
 */
#include "detect/detect.h"

#include "core/err.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/prefetch.h"
#include "core/slotix.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SB_NONE UINT32_MAX
#define SB_PORTS 3 /* recent IMEIs remembered per SIM */

/* Packed digit strings: value in bits 0-55, digit count in 56-60, tag in 61-62. */
#define SB_LEN_SHIFT 56
#define SB_TAG_SHIFT 61
#define SB_VAL_MASK ((UINT64_C(1) << SB_LEN_SHIFT) - 1)
#define SB_TAG_IMSI (UINT64_C(1) << SB_TAG_SHIFT)
#define SB_TAG_MSISDN (UINT64_C(2) << SB_TAG_SHIFT)

/* sb_sim.flags (a 2-bit field) */
#define SB_SIM_EMITTED 0x01u
#define SB_SIM_IMEI_PORT 0x02u	/* .imei is a valid port key: ports[0] may be its node */

/* sb_sim.ports[0] of a SIM whose only port has no sb_imei record (yet): see sb_lazy_key(). */
#define SB_LAZY (SB_NONE - 1)

/* sb_imei.flags */
#define SB_IMEI_BOGUS 0x01u	/* shared by concurrent phones: never a port */
#define SB_IMEI_ROT 0x02u	/* counted in its root's c_rot */
#define SB_IMEI_REPORTED 0x04u	/* device finding emitted for .gw */
#define SB_IMEI_REF 0x08u	/* maintenance: referenced by a SIM */
#define SB_IMEI_FORM_SHIFT 4	/* bits 4-5: digits first seen (14, 15, 16 -> 0, 1, 2) */

/*
 * Per-SIM state: 128 bytes, two cache lines (the array is 64-byte aligned).
 * Link times are minute stamps mod 2^16 (45 days), read back against
 * last_seen: a link never outlives link_ttl + compact_interval (37 days).
 */
struct sb_sim {
	uint64_t key;		/* packed IMSI | SB_TAG_IMSI, or MSISDN | SB_TAG_MSISDN; 0 = dead */
	uint64_t alt;		/* packed MSISDN when keyed by IMSI */
	uint64_t imei;		/* packed IMEI string last seen (any digits) */
	uint64_t callee[2][2];	/* 128-bit distinct-callee bitmaps, [0] = current half */
	uint32_t cells[2];	/* 32-bit distinct-cell bitmaps */
	uint32_t last_seen;	/* seconds */
	uint32_t last_mo;	/* last MO call, seconds (0 = none) */
	uint32_t ports[SB_PORTS];	/* recent valid IMEIs (node index or SB_LAZY), [0] most recent */
	float gap_mean, gap_sq;	/* EWMA of MO inter-call gaps and their squares */
	uint32_t hours;		/* bit i: an MO call in the hour i hours before last_mo's */
	uint16_t port_m[SB_PORTS];	/* last time on each, minutes mod 2^16 (sb_port_time) */
	uint16_t half;		/* half-window index of bucket [0] (mod 2^16) */
	uint16_t mo[2], mt[2], sms[2], data[2], bad[2]; /* bad: MO unanswered or short */
	uint16_t n_gaps;
	uint8_t last_raw;	/* uncapped score last emitted */
	uint8_t flags : 2,	/* SB_SIM_* */
		last_strength : 2,
		n_ports : 2,	/* 0..SB_PORTS */
		lazy_form : 2;	/* SB_LAZY port: digits first seen (14, 15, 16 -> 0, 1, 2) */
};

struct sb_imei {
	uint64_t key;		/* packed 14-digit TAC+SNR; 0 = dead */
	uint64_t sims[2];	/* 64-bit distinct-SIM bitmaps, current / previous half */
	uint32_t parent;	/* union-find */
	uint32_t gw;		/* root: the component's gateway; other nodes: last known */
	uint32_t last_seen;
	uint32_t last_sim, prev_sim, last_switch; /* ping-pong detection */
	uint32_t c_mo, c_mt;	/* root: component calls since the last rebuild */
	uint32_t colo, colo_t;	/* co-location link: anchor port (node) and when, SB_NONE = none */
	uint16_t half;
	uint16_t mo, mt;	/* own calls, halved every half window */
	uint16_t c_imeis, c_sims, c_rot; /* root: component size, SIMs, rotating ports */
	uint8_t flips, flags;
};

_Static_assert(sizeof(struct sb_sim) == 128, "sb_sim must stay two cache lines");
_Static_assert(sizeof(struct sb_imei) == 80, "sb_imei size is documented in docs/detect-simbox.md");
_Static_assert(SB_PORTS <= 3, "sb_sim.n_ports is a 2-bit field");

/*
 * Co-location anchors: per cell (and per LAC), the rotating port that other
 * rotating ports there link to.  A lossy 2-way table keyed by the cell;
 * ports are named by key, not node index, so compaction needs no remap.
 */
struct sb_colo {
	uint64_t cell;		/* hashed cell or LAC identity | 1; 0 = empty */
	uint64_t port;		/* the anchor's port key */
	uint32_t t;		/* when the anchor was last seen there */
};

struct sb_gw {
	uint64_t gid;		/* group id: the IMEI that completed the evidence */
	ss_time_us est_time;	/* input time of that event */
	char record[EV_RECORD_ID_SIZE];
};

struct sb_conf {
	/* windows, seconds */
	uint32_t window, rotation_window, link_ttl, idle_evict, maint_interval, compact_interval;
	uint32_t cadence_gap_cap, pingpong_window, colocation_lac_window;
	int min_calls, behavioural_min_calls, outbound_max_data, fanout_min_distinct, short_call_secs;
	int static_max_cells, cadence_min_gaps, cadence_block_hours;
	int min_imsis_per_imei, min_imeis_per_imsi;
	int gw_min_imeis, gw_min_sims, gw_min_calls, bogus_min_flips;
	int max_sims, max_imeis, colocation, colocation_min_calls_per_sim, colocation_join_min_imsis;
	double outbound_max_inbound_share, fanout_min_ratio, short_min_share;
	double cadence_max_cv, gw_min_mo_share, conversational_max_bad_share;
	int w_outbound_only, w_high_fanout, w_short_unanswered, w_static_cell;
	int w_machine_cadence, w_multi_imsi_per_imei, w_imsi_multi_imei, w_gateway_member;
	int behavioural_min, structural_min_behaviour, monitor_threshold, score_step;
};

/* A packed IMSI and the 16 field bytes it came from (sb_imsi_key()). */
struct sb_memo {
	uint64_t w0, w1, packed;
};

struct simbox {
	struct sb_conf c;
	det_emit_fn emit;
	void *emit_ctx;
	/*
	 * Packed IMSIs of the events in the prefetch pipeline, by event
	 * address: both prefetch stages and on_event() pack the same IMSI.
	 * A memo of a pure function, checked against the field's bytes, so a
	 * stale or foreign slot only costs a recomputation; the prefetch
	 * stages (const state) may fill it.
	 */
	struct sb_memo memo[32];

	struct sb_sim *sim;	/* 64-byte aligned inside sim_mem */
	void *sim_mem;
	uint32_t n_sim, cap_sim;
	struct ss_slotix sim_ix;

	/*
	 * IMEI -> SIM for handsets only one SIM was seen in (SB_LAZY ports):
	 * slots point at the owning SIM, verified through sb_lazy_key(), so
	 * stale slots (materialised, expired, evicted) just fail to match and
	 * go at the next rebuild.
	 */
	struct ss_slotix lazy_ix;
	uint32_t n_lazy;	/* SIMs with an SB_LAZY port */

	struct sb_imei *imei;
	uint32_t n_imei, cap_imei;
	struct ss_slotix imei_ix;

	struct sb_gw *gw;
	uint32_t n_gw, cap_gw;

	struct sb_colo *colo;	/* NULL until a rotating port is seen; power-of-two size */
	uint32_t colo_size;

	uint32_t now;		/* latest input time, seconds */
	uint32_t next_maint;
	uint32_t next_full;	/* next eviction / compaction / rebuild */
	bool dirty;		/* union-find must be rebuilt (bogus port, reset) */
	bool gw_changed;	/* a gateway was established or grew: sweep members */

	struct det_stats st;
	uint64_t dropped;	/* events not tracked (capacity, no identity) */

	float lc128[129], lc64[65], lc32[33]; /* linear-counting estimates by zero bits */
};

/* ---- configuration --------------------------------------------------- */

enum sb_ctype { SB_C_INT, SB_C_DBL, SB_C_DUR };

struct sb_cdef {
	const char *key;
	enum sb_ctype type;
	double def, min, max; /* durations in seconds */
	size_t off;
};

#define H 3600.0
#define D 86400.0
#define CI(k, f, d, lo, hi) { k, SB_C_INT, d, lo, hi, offsetof(struct sb_conf, f) }
#define CD(k, f, d, lo, hi) { k, SB_C_DBL, d, lo, hi, offsetof(struct sb_conf, f) }
#define CT(k, f, d, lo, hi) { k, SB_C_DUR, d, lo, hi, offsetof(struct sb_conf, f) }

/* Defaults and their reasoning: docs/detect-simbox.md. */
static const struct sb_cdef sb_cdefs[] = {
	CT("window", window, 24 * H, 1 * H, 7 * D),
	CT("rotation_window", rotation_window, 24 * H, 1 * H, 7 * D),
	CT("link_ttl", link_ttl, 3 * D, 1 * H, 30 * D),
	CT("idle_evict", idle_evict, 3 * D, 1 * H, 90 * D),
	CT("maint_interval", maint_interval, 1 * H, 60, 1 * D),
	CT("compact_interval", compact_interval, 6 * H, 60, 7 * D),
	CT("cadence_gap_cap", cadence_gap_cap, 1 * H, 60, 1 * D),
	CT("pingpong_window", pingpong_window, 30 * 60, 0, 1 * D),
	CI("min_calls", min_calls, 10, 2, 10000),
	CI("behavioural_min_calls", behavioural_min_calls, 20, 2, 10000),
	CI("outbound_max_data", outbound_max_data, 0, 0, 10000),
	CD("outbound_max_inbound_share", outbound_max_inbound_share, 0.10, 0, 1),
	CI("fanout_min_distinct", fanout_min_distinct, 15, 2, 600),
	CD("fanout_min_ratio", fanout_min_ratio, 0.80, 0, 1),
	CI("short_call_secs", short_call_secs, 15, 1, 3600),
	CD("short_min_share", short_min_share, 0.60, 0, 1),
	CI("static_max_cells", static_max_cells, 2, 1, 30),
	CD("cadence_max_cv", cadence_max_cv, 0.35, 0, 10),
	CI("cadence_min_gaps", cadence_min_gaps, 10, 2, 10000),
	CI("cadence_block_hours", cadence_block_hours, 12, 0, 24),
	CI("min_imsis_per_imei", min_imsis_per_imei, 3, 2, 64),
	CI("min_imeis_per_imsi", min_imeis_per_imsi, 3, 2, SB_PORTS),
	CI("gw_min_imeis", gw_min_imeis, 3, 2, 1000),
	CI("gw_min_sims", gw_min_sims, 6, 3, 60000),
	CI("gw_min_calls", gw_min_calls, 20, 0, 1000000),
	CD("gw_min_mo_share", gw_min_mo_share, 0.70, 0, 1),
	CI("bogus_min_flips", bogus_min_flips, 3, 1, 255),
	CI("colocation", colocation, 1, 0, 1),
	CT("colocation_lac_window", colocation_lac_window, 10 * 60, 0, 1 * D),
	CI("colocation_min_calls_per_sim", colocation_min_calls_per_sim, 3, 0, 1000),
	CI("colocation_join_min_imsis", colocation_join_min_imsis, 2, 2, 64),
	CI("max_sims", max_sims, SS_SLOTIX_MAX, 1024, SS_SLOTIX_MAX),
	CI("max_imeis", max_imeis, SS_SLOTIX_MAX, 1024, SS_SLOTIX_MAX),
	CI("weight_outbound_only", w_outbound_only, 20, 0, 100),
	CI("weight_high_fanout", w_high_fanout, 15, 0, 100),
	CI("weight_short_unanswered", w_short_unanswered, 15, 0, 100),
	CI("weight_static_cell", w_static_cell, 10, 0, 100),
	CI("weight_machine_cadence", w_machine_cadence, 15, 0, 100),
	CI("weight_multi_imsi_per_imei", w_multi_imsi_per_imei, 20, 0, 100),
	CI("weight_imsi_multi_imei", w_imsi_multi_imei, 20, 0, 100),
	CI("weight_gateway_member", w_gateway_member, 80, 0, 100),
	CD("conversational_max_bad_share", conversational_max_bad_share, 0.30, 0, 1),
	CI("behavioural_min", behavioural_min, 65, 0, 100),
	CI("structural_min_behaviour", structural_min_behaviour, 30, 0, 100),
	CI("monitor_threshold", monitor_threshold, 40, 1, 100),
	CI("score_step", score_step, 10, 1, 100),
};

#undef H
#undef D
#undef CI
#undef CD
#undef CT

static int sb_read_conf(const struct ss_config *cfg, struct sb_conf *c)
{
	for (size_t i = 0; i < sizeof(sb_cdefs) / sizeof(sb_cdefs[0]); i++) {
		const struct sb_cdef *d = &sb_cdefs[i];
		char *p = (char *)c + d->off;
		int rc;

		if (d->type == SB_C_INT) {
			int64_t v;
			rc = ss_config_int(cfg, "simbox", d->key, (int64_t)d->def, (int64_t)d->min,
					   (int64_t)d->max, &v);
			if (rc < 0)
				return rc;
			int iv = (int)v;
			memcpy(p, &iv, sizeof(iv));
		} else if (d->type == SB_C_DBL) {
			double v;
			rc = ss_config_double(cfg, "simbox", d->key, d->def, d->min, d->max, &v);
			if (rc < 0)
				return rc;
			memcpy(p, &v, sizeof(v));
		} else {
			int64_t us;
			rc = ss_config_duration(cfg, "simbox", d->key, (int64_t)(d->def * 1e6), &us);
			if (rc < 0)
				return rc;
			double s = (double)us / 1e6;
			if (s < d->min || s > d->max) {
				ss_error("%s: simbox.%s: out of range [%gs, %gs]", ss_config_path(cfg),
					 d->key, d->min, d->max);
				return -SS_ECONFIG;
			}
			uint32_t sv = (uint32_t)s;
			memcpy(p, &sv, sizeof(sv));
		}
	}
	if (c->compact_interval < c->maint_interval) {
		ss_error("%s: simbox.compact_interval must be >= simbox.maint_interval",
			 ss_config_path(cfg));
		return -SS_ECONFIG;
	}
	if (c->link_ttl < c->rotation_window) {
		ss_error("%s: simbox.link_ttl must be >= simbox.rotation_window", ss_config_path(cfg));
		return -SS_ECONFIG;
	}
	return 0;
}

/* ---- identities ------------------------------------------------------ */

/* sb_pack() - digits (1..maxlen) as a number plus length; 0 when not digits. */
static inline uint64_t sb_pack(const char *s, size_t maxlen)
{
	uint64_t v = 0;
	size_t n = 0;

	for (; s[n]; n++) {
		if (n >= maxlen || s[n] < '0' || s[n] > '9')
			return 0;
		v = v * 10 + (uint64_t)(s[n] - '0');
	}
	return n ? v | ((uint64_t)n << SB_LEN_SHIFT) : 0;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* Eight ASCII digits, the first in the lowest byte, as their value (SWAR). */
static inline uint64_t sb_parse8(uint64_t x)
{
	x -= UINT64_C(0x3030303030303030);
	x = x * 10 + (x >> 8);
	x = (((x & UINT64_C(0x000000FF000000FF)) * (100 + (UINT64_C(1000000) << 32))) +
	     (((x >> 16) & UINT64_C(0x000000FF000000FF)) * (1 + (UINT64_C(10000) << 32)))) >>
	    32;
	return x & UINT32_MAX;
}

static inline bool sb_all_digits(uint64_t d)
{
	return (d & UINT64_C(0xF0F0F0F0F0F0F0F0)) == UINT64_C(0x3030303030303030) &&
	       (((d & UINT64_C(0x0F0F0F0F0F0F0F0F)) + UINT64_C(0x0606060606060606)) &
		UINT64_C(0xF0F0F0F0F0F0F0F0)) == 0;
}

/*
 * sb_pack_field() - sb_pack() of an identity field (event or subject IMSI /
 * MSISDN: 16 bytes, IMEI: 17), same result, word at a time: 16 bytes are
 * read (17 when @maxlen is 16).  Runs up to five times per event (the
 * event and both prefetch stages), so no per-digit loop.
 */
static uint64_t sb_pack_field(const char *s, size_t maxlen)
{
	const uint64_t lo = UINT64_C(0x0101010101010101), hi = UINT64_C(0x8080808080808080);
	const uint64_t zeros = UINT64_C(0x3030303030303030);
	uint64_t w0, w1;
	size_t n;

	memcpy(&w0, s, 8);
	memcpy(&w1, s + 8, 8);
	uint64_t z0 = (w0 - lo) & ~w0 & hi, z1 = (w1 - lo) & ~w1 & hi;
	if (z0)
		n = (size_t)__builtin_ctzll(z0) >> 3; /* the lowest flagged byte is the first NUL */
	else if (z1)
		n = 8 + ((size_t)__builtin_ctzll(z1) >> 3);
	else
		n = maxlen >= 16 && s[16] == '\0' ? 16 : 17;
	if (n == 0 || n > maxlen)
		return 0;
	/* Bytes from the NUL on become '0'; then every byte must be a digit. */
	if (n < 8) {
		uint64_t m = ~UINT64_C(0) << (8 * n);
		w0 = (w0 & ~m) | (zeros & m);
		w1 = zeros;
	} else if (n < 16) {
		uint64_t m = ~UINT64_C(0) << (8 * (n - 8));
		w1 = (w1 & ~m) | (zeros & m);
	}
	if (!sb_all_digits(w0) || !sb_all_digits(w1))
		return 0;
	/*
	 * Right-align the n digits in 16 (leading '0's): A the first 8, B the
	 * last 8 of the aligned string (little-endian: a byte shift is a left
	 * shift by 8 bits).
	 */
	uint64_t a, b;
	if (n == 16) {
		a = w0;
		b = w1;
	} else if (n > 8) {
		unsigned k = (unsigned)(16 - n) * 8; /* 8..56 */
		b = (w1 << k) | (w0 >> (64 - k));
		a = (w0 << k) | (zeros >> (64 - k));
	} else if (n == 8) {
		a = zeros;
		b = w0;
	} else {
		unsigned k = (unsigned)(8 - n) * 8; /* 8..56 */
		a = zeros;
		b = (w0 << k) | (zeros >> (64 - k));
	}
	uint64_t val = sb_parse8(a) * 100000000u + sb_parse8(b);
	return val | ((uint64_t)n << SB_LEN_SHIFT);
}
#else
#define sb_pack_field sb_pack
#endif

/* sb_pack_field(ev->imsi, 15) through the memo. */
static inline uint64_t sb_imsi_key(const struct simbox *sb, const struct event *ev)
{
	struct sb_memo *m = (struct sb_memo *)&sb->memo[((uintptr_t)ev / sizeof(*ev)) & 31];
	uint64_t w0, w1;
	memcpy(&w0, ev->imsi, 8);
	memcpy(&w1, ev->imsi + 8, 8);
	_Static_assert(sizeof(ev->imsi) == 16, "sb_pack_field(imsi, 15) reads exactly the field");
	if (m->w0 != w0 || m->w1 != w1) { /* (all-zero initial slots: "" packs to 0) */
		m->w0 = w0;
		m->w1 = w1;
		m->packed = sb_pack_field(ev->imsi, 15);
	}
	return m->packed;
}

/* sb_digits() - write @v as exactly @len digits (leading zeros kept) plus NUL. */
static void sb_digits(uint64_t v, int len, char *buf, size_t size)
{
	if (len < 0 || (size_t)len >= size) {
		buf[0] = '\0';
		return;
	}
	buf[len] = '\0';
	for (int i = len - 1; i >= 0; i--, v /= 10)
		buf[i] = (char)('0' + v % 10);
}

static void sb_render(uint64_t packed, char *buf, size_t size)
{
	sb_digits(packed & SB_VAL_MASK, (int)((packed >> SB_LEN_SHIFT) & 31), buf, size);
}

/* Luhn check digit for the 14-digit TAC+SNR. */
static unsigned sb_luhn_digit(uint64_t v14)
{
	unsigned sum = 0;

	/* From the right, the digit next to the (absent) check digit is doubled. */
	for (int i = 0; i < 14; i++, v14 /= 10) {
		unsigned d = (unsigned)(v14 % 10);
		if (i % 2 == 0) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return (10 - sum % 10) % 10;
}

/*
 * sb_port_key() - the normalised port identity (TAC+SNR, 14 digits) of an
 * IMEI / IMEISV, or 0 when it cannot be a real port: not 14-16 digits, a
 * 15-digit IMEI failing Luhn, all digits equal (000000000000000 and kin), or
 * a zero TAC.  Cheap handsets that share such placeholders must never be
 * linked into a "gateway".  *@form gets 0/1/2 for 14/15/16 digits.
 */
static uint64_t sb_port_key(const char *imei, unsigned *form)
{
	size_t n = 0;
	uint64_t v14 = 0;
	bool same = true;

	for (; imei[n]; n++) {
		if (n >= 16 || imei[n] < '0' || imei[n] > '9')
			return 0;
		if (n < 14)
			v14 = v14 * 10 + (uint64_t)(imei[n] - '0');
		if (imei[n] != imei[0])
			same = false;
	}
	if (n < 14 || same || v14 / 1000000 == 0)
		return 0;
	if (n == 15 && (unsigned)(imei[14] - '0') != sb_luhn_digit(v14))
		return 0;
	*form = (unsigned)(n - 14);
	return v14 | ((uint64_t)14 << SB_LEN_SHIFT);
}

/* The 14-digit TAC+SNR of a packed raw IMEI (14, 15 or 16 digits). */
static inline uint64_t sb_raw_v14(uint64_t raw)
{
	uint64_t v = raw & SB_VAL_MASK;
	unsigned n = (unsigned)(raw >> SB_LEN_SHIFT) & 31;

	return n == 14 ? v : n == 15 ? v / 10 : n == 16 ? v / 100 : UINT64_MAX;
}

/* The IMEI of a port as first seen: 14 digits, or 15 with the check digit. */
static void sb_render_port(uint64_t key, unsigned form, char *buf, size_t size)
{
	uint64_t v14 = key & SB_VAL_MASK;

	if (form == 0)
		sb_digits(v14, 14, buf, size);
	else
		sb_digits(v14 * 10 + sb_luhn_digit(v14), 15, buf, size);
}

static uint64_t sb_port_gid(uint64_t key)
{
	uint64_t v14 = key & SB_VAL_MASK;
	return v14 * 10 + sb_luhn_digit(v14);
}

/* ---- index tables ---------------------------------------------------- */

/*
 * sb_grow() - grow a node array to at least @need entries (max @limit) by a
 * quarter: the arrays are most of the detector's memory, and doubling would
 * leave up to half of them unused at peak.
 */
static int sb_grow(void **arr, size_t elem, uint32_t *cap, uint32_t need, uint32_t limit)
{
	if (need <= *cap)
		return 0;
	if (need > limit)
		return -SS_EFULL;
	uint64_t ncap = (uint64_t)*cap + *cap / 4 + 256;
	if (ncap > limit)
		ncap = limit;
	void *a = realloc(*arr, ncap * elem);
	if (!a)
		return -ENOMEM;
	*arr = a;
	*cap = (uint32_t)ncap;
	return 0;
}

/* sb_shrink() - give memory back after compaction (keeps ~1/8 headroom). */
static void sb_shrink(void **arr, size_t elem, uint32_t *cap, uint32_t n)
{
	if (n == 0) {
		free(*arr);
		*arr = NULL;
		*cap = 0;
		return;
	}
	if ((uint64_t)*cap <= (uint64_t)n + n / 4 + 256)
		return;
	uint32_t ncap = n + n / 8 + 256;
	void *a = realloc(*arr, (size_t)ncap * elem);
	/* realloc to a smaller size may still fail; the old block stays valid. */
	if (a) {
		*arr = a;
		*cap = ncap;
	}
}

/*
 * sb_sim_resize() - set the SIM array's capacity to @ncap (>= n_sim),
 * keeping it 64-byte aligned so that each record is exactly two cache lines.
 * realloc keeps growth cheap (mremap) and in place where it can; if the
 * block's offset to the alignment changed, the records are moved within
 * the block.  Returns 0 or -ENOMEM (the old array stays valid).
 */
static int sb_sim_resize(struct simbox *sb, uint32_t ncap)
{
	size_t off = sb->sim ? (size_t)((char *)sb->sim - (char *)sb->sim_mem) : 0;

	if (ncap == 0) {
		free(sb->sim_mem);
		sb->sim_mem = NULL;
		sb->sim = NULL;
		sb->cap_sim = 0;
		return 0;
	}
	char *mem = realloc(sb->sim_mem, (size_t)ncap * sizeof(struct sb_sim) + 63);
	if (!mem)
		return -ENOMEM;
	char *al = (char *)(((uintptr_t)mem + 63) & ~(uintptr_t)63);
	if ((size_t)(al - mem) != off && sb->n_sim)
		memmove(al, mem + off, (size_t)sb->n_sim * sizeof(struct sb_sim));
	sb->sim_mem = mem;
	sb->sim = (struct sb_sim *)(void *)al;
	sb->cap_sim = ncap;
	return 0;
}

/* sb_sim_grow() - room for @need SIMs, growing by a quarter (as sb_grow). */
static int sb_sim_grow(struct simbox *sb, uint32_t need, uint32_t limit)
{
	if (need <= sb->cap_sim)
		return 0;
	if (need > limit)
		return -SS_EFULL;
	uint64_t ncap = (uint64_t)sb->cap_sim + sb->cap_sim / 4 + 256;
	return sb_sim_resize(sb, ncap > limit ? limit : (uint32_t)ncap);
}

/* sb_sim_shrink() - as sb_shrink, for the aligned SIM array. */
static void sb_sim_shrink(struct simbox *sb)
{
	uint32_t n = sb->n_sim;

	if (n == 0) {
		sb_sim_resize(sb, 0);
		return;
	}
	if ((uint64_t)sb->cap_sim <= (uint64_t)n + n / 4 + 256)
		return;
	sb_sim_resize(sb, n + n / 8 + 256); /* on failure the old block stays */
}

/* ---- link times: minute stamps ---------------------------------------- */

static inline uint16_t sb_tmin(uint32_t t)
{
	return (uint16_t)(t / 60);
}

/*
 * sb_port_time() - when SIM @s was last on port @j, in seconds (rounded down
 * to the minute).  The stamp is read back as the last time at or before
 * last_seen with that stamp: links are expired long before 2^16 minutes.
 */
static uint32_t sb_port_time(const struct sb_sim *s, unsigned j)
{
	uint32_t ref = s->last_seen / 60;
	uint32_t back = (uint16_t)(sb_tmin(s->last_seen) - s->port_m[j]);
	uint32_t m = ref > back ? ref - back : 0;

	return m ? m * 60 : 1;
}

/* ---- lazy IMEIs: IMEI -> owning SIM ------------------------------------ */

/*
 * sb_lazy_key() - the port key of SIM @s's SB_LAZY port, or 0 when it has
 * none.  A SIM has one only while it has no other port, and the port is the
 * TAC+SNR of its last IMEI string (.imei): any other IMEI (a new handset, a
 * placeholder) materialises the record first (sb_materialise).
 */
static inline uint64_t sb_lazy_key(const struct sb_sim *s)
{
	if (!s->key || s->n_ports != 1 || s->ports[0] != SB_LAZY)
		return 0;
	return sb_raw_v14(s->imei) | ((uint64_t)14 << SB_LEN_SHIFT);
}

/* sb_lazy_find() - the SIM owning lazy port @pk, or SB_NONE. */
static uint32_t sb_lazy_find(const struct simbox *sb, uint64_t pk)
{
	const struct ss_slotix *ix = &sb->lazy_ix;

	if (!ix->slot)
		return SB_NONE;
	uint64_t h = ss_hash_mix(pk);
	uint32_t tag = ss_slotix_tag(h);
	for (uint32_t i = ss_slotix_home(ix, h);;) {
		uint32_t v = ix->slot[i];
		if (v == 0)
			return SB_NONE;
		uint32_t si = (v & SS_SLOTIX_IDX) - 1;
		if ((v & ~SS_SLOTIX_IDX) == tag && si < sb->n_sim && sb_lazy_key(&sb->sim[si]) == pk)
			return si;
		if (++i == ix->size)
			i = 0;
	}
}

static void sb_lazy_put(struct ss_slotix *ix, uint64_t pk, uint32_t si)
{
	ss_slotix_put_hashed(ix, ss_hash_mix(pk), si);
}

/*
 * sb_lazy_build() - index the SIMs that have an SB_LAZY port, sized for
 * @expect of them at a 0.7 load (stale slots are dropped); recounts n_lazy.
 * Returns 0 or -ENOMEM (old table kept).
 */
static int sb_lazy_build(struct simbox *sb, uint64_t expect)
{
	uint32_t live = 0;

	for (uint32_t si = 0; si < sb->n_sim; si++)
		live += sb_lazy_key(&sb->sim[si]) != 0;
	sb->n_lazy = live;
	if (live == 0) {
		free(sb->lazy_ix.slot);
		memset(&sb->lazy_ix, 0, sizeof(sb->lazy_ix));
		return 0;
	}
	if (expect < live)
		expect = live;
	uint64_t size = expect * 10 / 7 + 16;
	if (size > UINT32_MAX)
		return -ENOMEM;
	uint32_t *slot = calloc((size_t)size, sizeof(*slot));
	if (!slot)
		return -ENOMEM;
	free(sb->lazy_ix.slot);
	sb->lazy_ix.slot = slot;
	sb->lazy_ix.size = (uint32_t)size;
	sb->lazy_ix.n = 0;
	for (uint32_t si = 0; si < sb->n_sim; si++) {
		uint64_t pk = sb_lazy_key(&sb->sim[si]);
		if (pk)
			sb_lazy_put(&sb->lazy_ix, pk, si);
	}
	return 0;
}

/* sb_lazy_add() - SIM @si just got its SB_LAZY port: index it.  0 or -ENOMEM. */
static int sb_lazy_add(struct simbox *sb, uint32_t si)
{
	struct ss_slotix *ix = &sb->lazy_ix;

	/* Above a 0.75 load (stale slots included), rebuild for 30% growth. */
	if (!ix->slot || ((uint64_t)ix->n + 1) * 4 > (uint64_t)ix->size * 3)
		return sb_lazy_build(sb, ((uint64_t)sb->n_lazy + 1) * 13 / 10);
	sb_lazy_put(ix, sb_lazy_key(&sb->sim[si]), si);
	sb->n_lazy++;
	return 0;
}

/* ---- small helpers --------------------------------------------------- */

static inline uint16_t sat16(uint32_t v)
{
	return v > UINT16_MAX ? UINT16_MAX : (uint16_t)v;
}

static inline void inc16(uint16_t *v)
{
	if (*v < UINT16_MAX)
		(*v)++;
}

static inline uint32_t sb_sec(ss_time_us t)
{
	if (t <= 0)
		return 1; /* 0 means "never" in the state */
	int64_t s = t / SS_US_PER_SEC;
	return s > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)s;
}

static inline bool sb_older(uint32_t now, uint32_t then, uint32_t span)
{
	return now > then && now - then > span;
}

static unsigned sb_pop64(uint64_t x)
{
	return (unsigned)__builtin_popcountll(x);
}

static int sb_longest_run(uint32_t x)
{
	int n = 0;

	while (x) {
		x &= x << 1;
		n++;
	}
	return n;
}

static inline uint32_t sb_sim_hash(uint64_t key)
{
	return (uint32_t)(ss_hash_mix(key ^ UINT64_C(0x51b0c5)) >> 32) | 1u;
}

/* ---- per-SIM and per-IMEI windows ------------------------------------ */

static void sb_sim_roll(struct sb_sim *s, uint16_t h)
{
	uint16_t d = (uint16_t)(h - s->half);

	if (d == 0 || d >= 0x8000) /* same half, or a late event: count it now */
		return;
	if (d == 1) {
		s->mo[1] = s->mo[0], s->mt[1] = s->mt[0], s->sms[1] = s->sms[0];
		s->data[1] = s->data[0], s->bad[1] = s->bad[0];
		s->callee[1][0] = s->callee[0][0], s->callee[1][1] = s->callee[0][1];
		s->cells[1] = s->cells[0];
	} else {
		s->mo[1] = s->mt[1] = s->sms[1] = s->data[1] = s->bad[1] = 0;
		s->callee[1][0] = s->callee[1][1] = 0;
		s->cells[1] = 0;
	}
	s->mo[0] = s->mt[0] = s->sms[0] = s->data[0] = s->bad[0] = 0;
	s->callee[0][0] = s->callee[0][1] = 0;
	s->cells[0] = 0;
	s->half = h;
}

static void sb_imei_roll(struct sb_imei *m, uint16_t h)
{
	uint16_t d = (uint16_t)(h - m->half);

	if (d == 0 || d >= 0x8000)
		return;
	m->sims[1] = d == 1 ? m->sims[0] : 0;
	m->sims[0] = 0;
	unsigned sh = d > 15 ? 15 : d;
	m->mo >>= sh;
	m->mt >>= sh;
	m->flips >>= sh > 7 ? 7 : sh;
	m->half = h;
}

static uint16_t sb_half(uint32_t t, uint32_t window)
{
	return (uint16_t)(t / (window / 2));
}

static unsigned sb_imei_distinct(const struct simbox *sb, const struct sb_imei *m)
{
	unsigned z = 64 - sb_pop64(m->sims[0] | m->sims[1]);
	return (unsigned)(sb->lc64[z] + 0.5f);
}

/* ---- union-find ------------------------------------------------------ */

static uint32_t sb_find(struct sb_imei *m, uint32_t i)
{
	while (m[i].parent != i) {
		m[i].parent = m[m[i].parent].parent;
		i = m[i].parent;
	}
	return i;
}

/* The better of two gateway indexes: the smaller group id wins, so merges are deterministic. */
static uint32_t sb_gw_better(const struct simbox *sb, uint32_t a, uint32_t b)
{
	if (a == SB_NONE)
		return b;
	if (b == SB_NONE)
		return a;
	return sb->gw[b].gid < sb->gw[a].gid ? b : a;
}

static void sb_union(struct simbox *sb, uint32_t a, uint32_t b)
{
	struct sb_imei *m = sb->imei;
	uint32_t ra = sb_find(m, a), rb = sb_find(m, b);

	if (ra == rb)
		return;
	if (m[ra].c_imeis < m[rb].c_imeis) {
		uint32_t t = ra;
		ra = rb;
		rb = t;
	}
	struct sb_imei *r = &m[ra], *o = &m[rb];
	o->parent = ra;
	r->c_imeis = sat16((uint32_t)r->c_imeis + o->c_imeis);
	r->c_sims = sat16((uint32_t)r->c_sims + o->c_sims);
	r->c_rot = sat16((uint32_t)r->c_rot + o->c_rot);
	r->c_mo += o->c_mo;
	r->c_mt += o->c_mt;
	uint32_t g = sb_gw_better(sb, r->gw, o->gw);
	if (g != SB_NONE && (g != r->gw || g != o->gw))
		sb->gw_changed = true; /* members of one side are newly implicated */
	if (g != r->gw)
		r->flags &= (uint8_t)~SB_IMEI_REPORTED;
	r->gw = g;
}

/* ---- gateways --------------------------------------------------------- */

static bool sb_gw_qualifies(const struct simbox *sb, const struct sb_imei *r)
{
	const struct sb_conf *c = &sb->c;
	uint64_t calls = (uint64_t)r->c_mo + r->c_mt;

	return r->c_imeis >= c->gw_min_imeis && r->c_rot >= c->gw_min_imeis &&
	       r->c_sims >= c->gw_min_sims && r->c_mo >= (uint32_t)c->gw_min_calls &&
	       (double)r->c_mo >= c->gw_min_mo_share * (double)calls;
}

/*
 * sb_gw_check() - establish the gateway of root @root if its component now
 * qualifies.  @port is the IMEI whose event completed the evidence (its
 * number becomes the group id); @ev may be NULL (maintenance).
 */
static void sb_gw_check(struct simbox *sb, uint32_t root, uint32_t port, const struct event *ev)
{
	struct sb_imei *r = &sb->imei[root];

	if (r->gw != SB_NONE || !sb_gw_qualifies(sb, r))
		return;
	if (sb->n_gw == sb->cap_gw) {
		uint32_t ncap = sb->cap_gw ? sb->cap_gw * 2 : 16;
		struct sb_gw *g = realloc(sb->gw, ncap * sizeof(*g));
		if (!g)
			return; /* retried on the next event */
		sb->gw = g;
		sb->cap_gw = ncap;
	}
	struct sb_gw *g = &sb->gw[sb->n_gw];
	memset(g, 0, sizeof(*g));
	g->gid = sb_port_gid(sb->imei[port].key);
	g->est_time = ev ? ev->time : (ss_time_us)sb->now * SS_US_PER_SEC;
	if (ev)
		snprintf(g->record, sizeof(g->record), "%s", ev->record_id);
	r->gw = sb->n_gw++;
	r->flags &= (uint8_t)~SB_IMEI_REPORTED;
	sb->gw_changed = true;
	ss_debug("simbox: gateway %llu established: %u IMEIs, %u SIMs, %u MO / %u MT",
		 (unsigned long long)g->gid, r->c_imeis, r->c_sims, r->c_mo, r->c_mt);
}

/* ---- co-location -------------------------------------------------------- */

/*
 * sb_rotating() - port @m (already rolled to now) is a rotating port: it
 * carried >= min_imsis_per_imei SIMs in the rotation window and placed
 * >= colocation_min_calls_per_sim MO calls per SIM itself.  Desk phones and
 * family phones never rotate; a shop's test handset rotates, but each
 * customer's card makes a test call at most, where a port works every SIM.
 */
static bool sb_rotating(const struct simbox *sb, const struct sb_imei *m, uint32_t t)
{
	unsigned n = sb_imei_distinct(sb, m);

	return !(m->flags & SB_IMEI_BOGUS) && n >= (unsigned)sb->c.min_imsis_per_imei &&
	       m->mo >= n * (unsigned)sb->c.colocation_min_calls_per_sim &&
	       !sb_older(t, m->last_seen, sb->c.rotation_window);
}

/* sb_colo_size() - (re)size the anchor table for @n_rot rotating ports; 0 frees it. */
static void sb_colo_size(struct simbox *sb, uint32_t n_rot)
{
	uint32_t want = 0;

	if (n_rot) {
		want = 1024;
		while (want < n_rot * 4u && want < (UINT32_C(1) << 24))
			want *= 2;
	}
	if (want == sb->colo_size || (want && want < sb->colo_size && sb->colo_size <= want * 4))
		return;
	free(sb->colo);
	sb->colo = want ? calloc(want, sizeof(*sb->colo)) : NULL;
	sb->colo_size = sb->colo ? want : 0; /* anchors are re-learnt from the next events */
}

/*
 * sb_colo_link() - rotating port @pi was seen at @place (a cell or a LAC):
 * link it to that place's anchor if the anchor is a rotating port seen there
 * within @window, else make @pi the anchor.  Every rotating port of a place
 * links to one anchor, so the links form a star the rebuild can reproduce.
 */
static void sb_colo_link(struct simbox *sb, uint32_t pi, uint64_t place, uint32_t window, uint32_t t,
			 bool join_only)
{
	uint64_t h = ss_hash_mix(place);
	uint32_t a = (uint32_t)h & (sb->colo_size - 1);
	struct sb_colo *e = &sb->colo[a], *e2 = &sb->colo[a ^ 1u];

	if (e->cell != place && (e2->cell == place || e2->t < e->t))
		e = e2; /* the matching entry, else the older one is replaced */
	uint64_t pk = sb->imei[pi].key;
	if (e->cell == place && e->port != pk && !sb_older(t, e->t, window)) {
		uint32_t ai = ss_slotix_find(&sb->imei_ix, sb->imei, sizeof(*sb->imei), e->port);
		if (ai != SB_NONE) {
			struct sb_imei *an = &sb->imei[ai];
			sb_imei_roll(an, sb_half(t, sb->c.rotation_window));
			if (sb_rotating(sb, an, t) &&
			    (!join_only || sb->imei[sb_find(sb->imei, ai)].gw != SB_NONE)) {
				sb->imei[pi].colo = ai;
				sb->imei[pi].colo_t = t;
				sb_union(sb, pi, ai);
				return;
			}
		}
	}
	if (join_only)
		return; /* a joiner never becomes an anchor */
	e->cell = place;
	e->port = pk;
	e->t = t;
}

/*
 * sb_joiner() - port @m may join an established gateway in its cell early:
 * it carried >= colocation_join_min_imsis SIMs, placed twice
 * colocation_min_calls_per_sim MO calls per SIM and its own calls are
 * MO-dominated like a gateway's.  A port's third SIM comes only 2-12 h after
 * its first; a phone that changed hands once rarely has the calls to pass.
 */
static bool sb_joiner(const struct simbox *sb, const struct sb_imei *m, uint32_t t)
{
	const struct sb_conf *c = &sb->c;
	unsigned n = sb_imei_distinct(sb, m);

	return !(m->flags & SB_IMEI_BOGUS) && m->colo == SB_NONE &&
	       n >= (unsigned)c->colocation_join_min_imsis &&
	       m->mo >= 2u * n * (unsigned)c->colocation_min_calls_per_sim &&
	       (double)m->mo >= c->gw_min_mo_share * ((double)m->mo + m->mt) &&
	       !sb_older(t, m->last_seen, c->rotation_window);
}

/* sb_colo_event() - co-location step for port @pi on event @ev (see sb_colo_link). */
static void sb_colo_event(struct simbox *sb, uint32_t pi, const struct event *ev, uint32_t t)
{
	if (!sb->c.colocation || !ev->cell.present)
		return;
	bool rotating = sb_rotating(sb, &sb->imei[pi], t);
	if (!rotating && (!sb->colo || !sb_joiner(sb, &sb->imei[pi], t)))
		return;
	if (!sb->colo) {
		sb_colo_size(sb, 1);
		if (!sb->colo)
			return;
	}
	uint64_t net = (uint64_t)ev->cell.mcc << 16 | ev->cell.mnc;
	uint64_t lac = ss_hash_mix(net << 32 | ev->cell.lac);
	uint64_t cell = ss_hash_mix(lac ^ ev->cell.ci);

	/* Low bits 01 (cell) / 11 (LAC) keep the two apart and 0 free for "empty". */
	sb_colo_link(sb, pi, (cell & ~UINT64_C(3)) | 1, sb->c.rotation_window, t, !rotating);
	if (rotating && sb->c.colocation_lac_window)
		sb_colo_link(sb, pi, lac | 3, sb->c.colocation_lac_window, t, false);
}

/* ---- findings --------------------------------------------------------- */

static void sb_finding_init(struct det_finding *f, const struct event *ev, const struct sb_gw *g)
{
	memset(f, 0, sizeof(*f));
	f->family = "simbox";
	if (ev) {
		f->event_time = ev->time;
		snprintf(f->evidence_record, sizeof(f->evidence_record), "%s", ev->record_id);
	} else if (g) {
		f->event_time = g->est_time;
		snprintf(f->evidence_record, sizeof(f->evidence_record), "%s", g->record);
	}
}

static unsigned sb_pct(uint64_t part, uint64_t whole)
{
	return whole ? (unsigned)((part * 100 + whole / 2) / whole) : 0;
}

/* sb_device_check() - emit the device finding of port @i if its gateway is new to it. */
static void sb_device_check(struct simbox *sb, uint32_t i, const struct event *ev)
{
	struct sb_imei *m = &sb->imei[i];

	if (m->flags & SB_IMEI_BOGUS)
		return;
	uint32_t root = sb_find(sb->imei, i);
	struct sb_imei *r = &sb->imei[root];
	if (r->gw == SB_NONE || ((m->flags & SB_IMEI_REPORTED) && m->gw == r->gw))
		return;
	m->gw = r->gw;
	m->flags |= SB_IMEI_REPORTED;

	const struct sb_gw *g = &sb->gw[r->gw];
	struct det_finding f;
	char imei[EV_IMEI_SIZE];
	unsigned distinct = sb_imei_distinct(sb, m);
	int score = sb->c.w_gateway_member + sb->c.w_outbound_only;

	sb_finding_init(&f, ev, g);
	sb_render_port(sb->imei[i].key, (m->flags >> SB_IMEI_FORM_SHIFT) & 3, imei, sizeof(imei));
	f.subject.kind = DET_SUBJECT_DEVICE;
	snprintf(f.subject.imei, sizeof(f.subject.imei), "%s", imei);
	f.strength = DET_STRUCTURAL;
	f.group = g->gid;
	det_reason_add(&f, "simbox.gateway_member",
		       "IMEI %s is a port of gateway %llu: %u IMEIs, %u SIMs, %u%% of %u calls MO",
		       imei, (unsigned long long)g->gid, r->c_imeis, r->c_sims,
		       sb_pct(r->c_mo, (uint64_t)r->c_mo + r->c_mt), r->c_mo + r->c_mt);
	if (distinct >= (unsigned)sb->c.min_imsis_per_imei) {
		score += sb->c.w_multi_imsi_per_imei;
		det_reason_add(&f, "simbox.multi_imsi_per_imei", "IMEI %s carried %u IMSIs in %u h",
			       imei, distinct, sb->c.rotation_window / 3600);
	}
	f.score = score > 100 ? 100 : score;
	sb->st.findings++;
	if (sb->emit)
		sb->emit(sb->emit_ctx, &f);
}

enum {
	SIG_GATEWAY,
	SIG_MULTI_IMSI,
	SIG_MULTI_IMEI,
	SIG_OUTBOUND,
	SIG_FANOUT,
	SIG_SHORT,
	SIG_STATIC,
	SIG_CADENCE,
	SIG_COUNT
};

struct sb_eval {
	unsigned mo, mt, sms, data, bad, callees, cells;
	unsigned port_sims, n_ports;
	float cv;
	int block;
	uint32_t port; /* current valid IMEI node or SB_NONE */
	uint32_t gw;   /* gateway index or SB_NONE */
	uint32_t gw_root;
	bool sig[SIG_COUNT];
	int score, raw, behaviour; /* raw: uncapped weighted sum (for the emission step) */
	enum det_strength strength;
};

static void sb_evaluate(struct simbox *sb, const struct sb_sim *s, uint32_t t, struct sb_eval *e)
{
	const struct sb_conf *c = &sb->c;

	memset(e, 0, sizeof(*e));
	e->mo = (unsigned)s->mo[0] + s->mo[1];
	e->mt = (unsigned)s->mt[0] + s->mt[1];
	e->sms = (unsigned)s->sms[0] + s->sms[1];
	e->data = (unsigned)s->data[0] + s->data[1];
	e->bad = (unsigned)s->bad[0] + s->bad[1];
	unsigned z = 128 - sb_pop64(s->callee[0][0] | s->callee[1][0]) -
		     sb_pop64(s->callee[0][1] | s->callee[1][1]);
	e->callees = (unsigned)(sb->lc128[z] + 0.5f);
	uint32_t cellbm = s->cells[0] | s->cells[1];
	e->cells = cellbm ? (unsigned)(sb->lc32[32 - sb_pop64(cellbm)] + 0.5f) : 0;
	if (e->cells == 0 && cellbm)
		e->cells = 1;
	if (e->callees > e->mo)
		e->callees = e->mo; /* the sketch can overshoot by a little */

	bool enough = e->mo >= (unsigned)c->min_calls;
	e->sig[SIG_OUTBOUND] = enough &&
			       (double)(e->mt + e->sms) <= c->outbound_max_inbound_share * e->mo &&
			       e->data <= (unsigned)c->outbound_max_data;
	e->sig[SIG_FANOUT] = e->callees >= (unsigned)c->fanout_min_distinct &&
			     (double)e->callees >= c->fanout_min_ratio * e->mo;
	e->sig[SIG_SHORT] = enough && (double)e->bad >= c->short_min_share * e->mo;
	e->sig[SIG_STATIC] = enough && cellbm && e->cells <= (unsigned)c->static_max_cells;
	e->cv = -1;
	if (s->n_gaps >= c->cadence_min_gaps && s->gap_mean > 0) {
		float var = s->gap_sq - s->gap_mean * s->gap_mean;
		e->cv = sqrtf(var > 0 ? var : 0) / s->gap_mean;
	}
	e->block = 0;
	if (s->last_mo && !sb_older(t, s->last_mo, 3600))
		e->block = sb_longest_run(s->hours & 0xffffffu);
	e->sig[SIG_CADENCE] = enough && ((e->cv >= 0 && e->cv <= c->cadence_max_cv) ||
					 (c->cadence_block_hours > 0 && e->block >= c->cadence_block_hours));

	/* Structure: the SIM's ports. */
	e->port = SB_NONE;
	e->gw = SB_NONE;
	e->gw_root = SB_NONE;
	for (unsigned j = 0; j < s->n_ports; j++) {
		uint32_t p = s->ports[j];
		bool recent = !sb_older(t, sb_port_time(s, j), c->rotation_window);
		if (p == SB_LAZY) {
			/* One SIM in it: no rotation, no gateway, not reported as a port. */
			e->n_ports += recent;
			continue;
		}
		const struct sb_imei *m = &sb->imei[p];
		if (m->flags & SB_IMEI_BOGUS)
			continue;
		if (e->port == SB_NONE)
			e->port = p;
		if (recent)
			e->n_ports++;
		uint32_t r = sb_find(sb->imei, p);
		uint32_t g = sb_gw_better(sb, e->gw, sb->imei[r].gw);
		if (g != e->gw) {
			e->gw = g;
			e->gw_root = r;
		}
	}
	if (e->port != SB_NONE) {
		e->port_sims = sb_imei_distinct(sb, &sb->imei[e->port]);
		e->sig[SIG_MULTI_IMSI] = e->port_sims >= (unsigned)c->min_imsis_per_imei &&
					 !sb_older(t, sb->imei[e->port].last_seen, c->rotation_window);
	}
	e->sig[SIG_MULTI_IMEI] = e->n_ports >= (unsigned)c->min_imeis_per_imsi;
	e->sig[SIG_GATEWAY] = e->gw != SB_NONE;

	static const size_t woff[SIG_COUNT] = {
		offsetof(struct sb_conf, w_gateway_member),
		offsetof(struct sb_conf, w_multi_imsi_per_imei),
		offsetof(struct sb_conf, w_imsi_multi_imei),
		offsetof(struct sb_conf, w_outbound_only),
		offsetof(struct sb_conf, w_high_fanout),
		offsetof(struct sb_conf, w_short_unanswered),
		offsetof(struct sb_conf, w_static_cell),
		offsetof(struct sb_conf, w_machine_cadence),
	};
	int structure = 0;
	for (int k = 0; k < SIG_COUNT; k++) {
		if (!e->sig[k])
			continue;
		int w;
		memcpy(&w, (const char *)c + woff[k], sizeof(w));
		if (k >= SIG_OUTBOUND)
			e->behaviour += w;
		else
			structure += w;
	}
	/*
	 * Conversations damp behaviour: a SIM whose calls are mostly answered
	 * and longer than short_call_secs (call-centre agents, sales staff) is
	 * the opposite of a gateway SIM, however many people it calls.  Only
	 * without structural evidence: mimicking boxes fake answer rates too.
	 */
	if (structure == 0 && e->mo >= (unsigned)c->min_calls &&
	    (double)e->bad <= c->conversational_max_bad_share * e->mo)
		e->behaviour /= 2;
	e->raw = structure + e->behaviour;
	e->score = e->raw > 100 ? 100 : e->raw;

	/*
	 * Strength.  A member of an established gateway is structural unless
	 * the SIM itself is mostly called rather than calling (the component is
	 * already proven MO-dominated; a member quiet for a window has no
	 * counts left and stays implicated by its links); rotation without a proven gateway needs bad
	 * behaviour too; behaviour alone needs the full gateway signature,
	 * which couriers (mobile, MT-heavy) and call centres (answered, long
	 * calls) lack.
	 */
	bool rotation = e->sig[SIG_MULTI_IMSI] || e->sig[SIG_MULTI_IMEI];
	if (e->sig[SIG_GATEWAY] && e->mo >= e->mt)
		e->strength = DET_STRUCTURAL;
	else if (rotation && e->behaviour >= c->structural_min_behaviour)
		e->strength = DET_STRUCTURAL;
	else if (e->sig[SIG_OUTBOUND] && e->sig[SIG_SHORT] && e->sig[SIG_STATIC] &&
		 e->sig[SIG_FANOUT] && e->mo >= (unsigned)c->behavioural_min_calls &&
		 e->behaviour >= c->behavioural_min)
		e->strength = DET_BEHAVIOURAL;
	else
		e->strength = DET_WEAK;
}

/*
 * sb_sim_quiet() - true when no signal of @s can fire, so its score is 0:
 * too few MO calls for any behaviour signal (fan-out needs as many calls as
 * distinct callees) and no structure on its ports.  Most subscribers make a
 * few calls a day and have one port: this skips sb_evaluate for them, with
 * exactly the result it would give.
 */
static bool sb_sim_quiet(struct simbox *sb, const struct sb_sim *s, uint32_t t)
{
	const struct sb_conf *c = &sb->c;
	unsigned mo = (unsigned)s->mo[0] + s->mo[1];

	if (mo >= (unsigned)c->min_calls || mo >= (unsigned)c->fanout_min_distinct ||
	    s->n_ports >= (unsigned)c->min_imeis_per_imsi)
		return false;
	bool first = true;
	for (unsigned j = 0; j < s->n_ports; j++) {
		if (s->ports[j] == SB_LAZY) {
			first = false; /* one SIM: below min_imsis_per_imei, no gateway */
			continue;
		}
		const struct sb_imei *m = &sb->imei[s->ports[j]];
		if (m->flags & SB_IMEI_BOGUS)
			continue;
		uint32_t r = m->parent == s->ports[j] ? s->ports[j] : sb_find(sb->imei, s->ports[j]);
		if (sb->imei[r].gw != SB_NONE)
			return false;
		if (first && sb_imei_distinct(sb, m) >= (unsigned)c->min_imsis_per_imei &&
		    !sb_older(t, m->last_seen, c->rotation_window))
			return false;
		first = false;
	}
	return true;
}

/*
 * sb_sim_check() - evaluate SIM @si at time @t and emit a finding if its score
 * first reached the monitor threshold, rose by score_step, or its strength
 * rose.  @ev is the event being processed (NULL from maintenance).
 */
static void sb_sim_check(struct simbox *sb, uint32_t si, uint32_t t, const struct event *ev)
{
	const struct sb_conf *c = &sb->c;
	struct sb_sim *s = &sb->sim[si];
	struct sb_eval e;

	if (sb_sim_quiet(sb, s, t)) {
		/* Score 0, WEAK: only the hysteresis reset below can apply. */
		if (s->flags & SB_SIM_EMITTED) {
			s->flags &= (uint8_t)~SB_SIM_EMITTED;
			s->last_raw = 0;
			s->last_strength = DET_WEAK;
		}
		return;
	}
	sb_evaluate(sb, s, t, &e);
	if (e.score < c->monitor_threshold) {
		/* Hysteresis: a SIM that calmed down well below the floor starts afresh. */
		if (e.score < c->monitor_threshold / 2 && (s->flags & SB_SIM_EMITTED) &&
		    e.strength == DET_WEAK) {
			s->flags &= (uint8_t)~SB_SIM_EMITTED;
			s->last_raw = 0;
			s->last_strength = DET_WEAK;
		}
		return;
	}
	/*
	 * The step is taken on the uncapped sum, so evidence that arrives after
	 * the score reached 100 (a SIM entering an established gateway scores
	 * 100 at its first call) still reaches the investigator, a few findings
	 * per SIM at most.
	 */
	int raw = e.raw > 255 ? 255 : e.raw;
	if ((s->flags & SB_SIM_EMITTED) && raw < s->last_raw + c->score_step &&
	    (int)e.strength <= s->last_strength)
		return;
	s->flags |= SB_SIM_EMITTED;
	if (raw > s->last_raw)
		s->last_raw = (uint8_t)raw;
	if ((int)e.strength > s->last_strength)
		s->last_strength = (uint8_t)e.strength;

	const struct sb_gw *g = e.gw != SB_NONE ? &sb->gw[e.gw] : NULL;
	struct det_finding f;
	uint64_t key = sb->sim[si].key;
	unsigned win_h = c->window / 3600, rot_h = c->rotation_window / 3600;
	char port[EV_IMEI_SIZE] = "";

	sb_finding_init(&f, ev, g);
	f.subject.kind = DET_SUBJECT_SIM;
	if ((key & (UINT64_C(3) << SB_TAG_SHIFT)) == SB_TAG_IMSI) {
		sb_render(key & ~(UINT64_C(3) << SB_TAG_SHIFT), f.subject.imsi, sizeof(f.subject.imsi));
		sb_render(s->alt, f.subject.msisdn, sizeof(f.subject.msisdn));
	} else {
		sb_render(key & ~(UINT64_C(3) << SB_TAG_SHIFT), f.subject.msisdn, sizeof(f.subject.msisdn));
	}
	sb_render(s->imei, f.subject.imei, sizeof(f.subject.imei));
	if (ev && ev->imei[0])
		snprintf(f.subject.imei, sizeof(f.subject.imei), "%s", ev->imei);
	f.score = e.score;
	f.strength = e.strength;
	if (e.port != SB_NONE)
		sb_render_port(sb->imei[e.port].key, (sb->imei[e.port].flags >> SB_IMEI_FORM_SHIFT) & 3,
			       port, sizeof(port));

	if (e.sig[SIG_GATEWAY]) {
		const struct sb_imei *r = &sb->imei[e.gw_root];
		f.group = g->gid;
		det_reason_add(&f, "simbox.gateway_member",
			       "member of gateway %llu: %u IMEIs, %u SIMs, %u%% of %u calls MO",
			       (unsigned long long)g->gid, r->c_imeis, r->c_sims,
			       sb_pct(r->c_mo, (uint64_t)r->c_mo + r->c_mt), r->c_mo + r->c_mt);
	}
	if (e.sig[SIG_MULTI_IMSI])
		det_reason_add(&f, "simbox.multi_imsi_per_imei", "IMEI %s carried %u IMSIs in %u h",
			       port, e.port_sims, rot_h);
	if (e.sig[SIG_MULTI_IMEI])
		det_reason_add(&f, "simbox.imsi_multi_imei", "SIM used in %u IMEIs in %u h",
			       e.n_ports, rot_h);
	if (e.sig[SIG_OUTBOUND])
		det_reason_add(&f, "simbox.outbound_only",
			       "%u MO calls, %u MT calls, %u SMS, %u data sessions in %u h",
			       e.mo, e.mt, e.sms, e.data, win_h);
	if (e.sig[SIG_FANOUT])
		det_reason_add(&f, "simbox.high_fanout", "%u distinct callees of %u MO calls in %u h",
			       e.callees, e.mo, win_h);
	if (e.sig[SIG_SHORT])
		det_reason_add(&f, "simbox.short_unanswered",
			       "%u%% of %u MO calls unanswered or shorter than %d s",
			       sb_pct(e.bad, e.mo), e.mo, c->short_call_secs);
	if (e.sig[SIG_STATIC])
		det_reason_add(&f, "simbox.static_cell", "%u MO calls from %u cell%s in %u h", e.mo,
			       e.cells, e.cells == 1 ? "" : "s", win_h);
	if (e.sig[SIG_CADENCE])
		det_reason_add(&f, "simbox.machine_cadence",
			       "inter-call gap CV %.2f (mean %.0f s), longest active block %d h",
			       e.cv >= 0 ? (double)e.cv : -1.0, (double)s->gap_mean, e.block);
	sb->st.findings++;
	if (sb->emit)
		sb->emit(sb->emit_ctx, &f);
}

/* ---- maintenance ------------------------------------------------------ */

static void sb_uf_rebuild(struct simbox *sb, uint32_t t)
{
	struct sb_imei *m = sb->imei;

	for (uint32_t i = 0; i < sb->n_imei; i++) {
		bool bogus = m[i].flags & SB_IMEI_BOGUS;
		sb_imei_roll(&m[i], sb_half(t, sb->c.rotation_window));
		m[i].parent = i;
		m[i].c_imeis = 1;
		m[i].c_sims = 0;
		m[i].c_rot = 0;
		m[i].flags &= (uint8_t)~SB_IMEI_ROT;
		if (!bogus && sb_imei_distinct(sb, &m[i]) >= 2) {
			m[i].c_rot = 1;
			m[i].flags |= SB_IMEI_ROT;
		}
		m[i].c_mo = bogus ? 0 : m[i].mo;
		m[i].c_mt = bogus ? 0 : m[i].mt;
		/* .gw stays: each node proposes the gateway it was last seen in. */
	}
	for (uint32_t si = 0; si < sb->n_sim; si++) {
		const struct sb_sim *s = &sb->sim[si];
		uint32_t first = SB_NONE;
		for (unsigned j = 0; j < s->n_ports; j++) {
			if (s->ports[j] == SB_LAZY || (m[s->ports[j]].flags & SB_IMEI_BOGUS))
				continue;
			if (first == SB_NONE)
				first = s->ports[j];
			else
				sb_union(sb, first, s->ports[j]);
		}
		if (first != SB_NONE) {
			struct sb_imei *r = &m[sb_find(m, first)];
			r->c_sims = sat16((uint32_t)r->c_sims + 1);
		}
	}
	/* Co-location links (expired / dangling ones were dropped by sb_maint). */
	for (uint32_t i = 0; i < sb->n_imei; i++)
		if (m[i].colo != SB_NONE && !(m[i].flags & SB_IMEI_BOGUS) &&
		    !(m[m[i].colo].flags & SB_IMEI_BOGUS))
			sb_union(sb, i, m[i].colo);
	for (uint32_t i = 0; i < sb->n_imei; i++)
		if (m[i].parent == i && !(m[i].flags & SB_IMEI_BOGUS))
			sb_gw_check(sb, i, i, NULL);
}

/* Drop gateway records no IMEI refers to any more. */
static void sb_gw_compact(struct simbox *sb)
{
	if (sb->n_gw == 0)
		return;
	uint32_t *map = malloc(sb->n_gw * sizeof(*map));
	if (!map)
		return;
	for (uint32_t g = 0; g < sb->n_gw; g++)
		map[g] = SB_NONE;
	for (uint32_t i = 0; i < sb->n_imei; i++)
		if (sb->imei[i].gw != SB_NONE)
			map[sb->imei[i].gw] = 0;
	uint32_t n = 0;
	for (uint32_t g = 0; g < sb->n_gw; g++) {
		if (map[g] == SB_NONE)
			continue;
		sb->gw[n] = sb->gw[g];
		map[g] = n++;
	}
	for (uint32_t i = 0; i < sb->n_imei; i++)
		if (sb->imei[i].gw != SB_NONE)
			sb->imei[i].gw = map[sb->imei[i].gw];
	sb->n_gw = n;
	free(map);
	if (n == 0) {
		free(sb->gw);
		sb->gw = NULL;
		sb->cap_gw = 0;
	}
}

static void sb_compact(struct simbox *sb, uint32_t t);
static void sb_sweep(struct simbox *sb, uint32_t t);
static uint32_t sb_materialise(struct simbox *sb, uint32_t si, uint32_t t);

/*
 * sb_maint() - every maint_interval of input time: sweep the members of new
 * or grown gateways.  Every compact_interval, and at once when the
 * union-find is dirty (bogus port, reset): evict, expire, compact, rebuild
 * (see the file header).  Both are O(SIMs + IMEIs) memory passes, which at
 * millions of subjects cost more than the events of an hour, so the full
 * pass runs less often: eviction and link expiry are late by at most
 * compact_interval, which the memory bound and link_ttl (days) absorb.
 */
static void sb_maint(struct simbox *sb, uint32_t t)
{
	const struct sb_conf *c = &sb->c;

	sb->next_maint = t + c->maint_interval;
	if (sb->dirty || t >= sb->next_full) {
		sb->next_full = t + c->compact_interval;
		sb_compact(sb, t);
	}
	sb_sweep(sb, t);
}

/* sb_compact() - evict, expire, compact, rebuild; see sb_maint(). */
static void sb_compact(struct simbox *sb, uint32_t t)
{
	const struct sb_conf *c = &sb->c;
	struct sb_imei *m = sb->imei;
	bool changed = sb->dirty;

	sb->dirty = false;

	/* Nodes remember the gateway of their component before it is rebuilt. */
	for (uint32_t i = 0; i < sb->n_imei; i++) {
		uint32_t g = m[sb_find(m, i)].gw;
		if (g != SB_NONE && g != m[i].gw) {
			m[i].gw = g;
			m[i].flags &= (uint8_t)~SB_IMEI_REPORTED;
		}
		m[i].flags &= (uint8_t)~SB_IMEI_REF;
		if (m[i].colo != SB_NONE && sb_older(t, m[i].colo_t, c->link_ttl)) {
			m[i].colo = SB_NONE;
			changed = true;
		}
	}

	/* SIMs: evict idle ones, expire old links, mark the IMEIs still referenced. */
	for (uint32_t si = 0; si < sb->n_sim; si++) {
		struct sb_sim *s = &sb->sim[si];
		if (!sb->sim[si].key)
			continue;
		if (sb_older(t, s->last_seen, c->idle_evict)) {
			/* Its lazy handset goes with it (idle as long: only this SIM was in it). */
			sb->st.evictions += 1 + (sb_lazy_key(s) != 0);
			sb->sim[si].key = 0;
			changed = true;
			continue;
		}
		unsigned k = 0;
		for (unsigned j = 0; j < s->n_ports; j++) {
			bool lazy = s->ports[j] == SB_LAZY;
			if ((!lazy && !sb->imei[s->ports[j]].key) ||
			    sb_older(t, sb_port_time(s, j), c->link_ttl)) {
				if (lazy)
					sb->st.evictions++; /* the handset is forgotten */
				else
					changed = true;
				continue;
			}
			s->ports[k] = s->ports[j];
			s->port_m[k++] = s->port_m[j];
			if (!lazy)
				m[s->ports[j]].flags |= SB_IMEI_REF;
		}
		s->n_ports = (uint8_t)k;
	}

	/* IMEIs: keep referenced or recently seen ones; compact with a remap. */
	uint32_t *map = NULL;
	uint32_t n = 0;
	bool imei_removed = false;
	for (uint32_t i = 0; i < sb->n_imei; i++)
		if (!sb->imei[i].key || (!(m[i].flags & SB_IMEI_REF) &&
					 sb_older(t, m[i].last_seen, c->idle_evict)))
			imei_removed = true;
	if (imei_removed && (map = malloc(sb->n_imei * sizeof(*map))) != NULL) {
		for (uint32_t i = 0; i < sb->n_imei; i++) {
			if (!sb->imei[i].key || (!(m[i].flags & SB_IMEI_REF) &&
						 sb_older(t, m[i].last_seen, c->idle_evict))) {
				map[i] = SB_NONE;
				if (sb->imei[i].key)
					sb->st.evictions++;
				continue;
			}
			m[n] = m[i];
			map[i] = n++;
		}
		for (uint32_t i = 0; i < n; i++)
			if (m[i].colo != SB_NONE)
				m[i].colo = map[m[i].colo]; /* SB_NONE when the anchor went */
		sb->n_imei = n;
		changed = true;
		sb_shrink((void **)&sb->imei, sizeof(*sb->imei), &sb->cap_imei, n);
		m = sb->imei;
		if (ss_slotix_build(&sb->imei_ix, sb->imei, sizeof(*sb->imei), n, (uint64_t)n * 11 / 10) < 0)
			ss_error("simbox: out of memory rebuilding the IMEI index");
	}

	/* SIMs: compact, remapping their links. */
	n = 0;
	for (uint32_t si = 0; si < sb->n_sim; si++) {
		if (!sb->sim[si].key)
			continue;
		struct sb_sim *s = &sb->sim[si];
		if (map) {
			unsigned k = 0;
			for (unsigned j = 0; j < s->n_ports; j++) {
				uint32_t p = s->ports[j] == SB_LAZY ? SB_LAZY : map[s->ports[j]];
				if (p == SB_NONE)
					continue;
				s->ports[k] = p;
				s->port_m[k++] = s->port_m[j];
			}
			s->n_ports = (uint8_t)k;
		}
		if (n != si) {
			sb->sim[n] = *s;
		}
		n++;
	}
	free(map);
	bool moved = n != sb->n_sim;
	if (moved) {
		sb->n_sim = n;
		sb_sim_shrink(sb);
		if (ss_slotix_build(&sb->sim_ix, sb->sim, sizeof(*sb->sim), n, (uint64_t)n * 11 / 10) < 0)
			ss_error("simbox: out of memory rebuilding the SIM index");
	}
	/* SIM indexes moved, or lazy ports expired / materialised: drop stale slots. */
	uint32_t live = 0;
	for (uint32_t si = 0; si < sb->n_sim; si++)
		live += sb_lazy_key(&sb->sim[si]) != 0;
	sb->n_lazy = live;
	if ((moved || live != sb->lazy_ix.n) && sb_lazy_build(sb, (uint64_t)live * 11 / 10) < 0) {
		/* Without the index a second SIM would miss the first: give them records. */
		ss_error("simbox: out of memory rebuilding the lazy IMEI index");
		for (uint32_t si = 0; si < sb->n_sim; si++)
			if (sb_lazy_key(&sb->sim[si]) && sb_materialise(sb, si, t) == SB_NONE)
				sb->sim[si].n_ports = 0;
		sb_lazy_build(sb, 0);
		changed = true;
	}

	if (changed) {
		sb_uf_rebuild(sb, t);
		sb_gw_compact(sb);
	}
	uint32_t n_rot = 0;
	for (uint32_t i = 0; i < sb->n_imei; i++)
		n_rot += (sb->imei[i].flags & SB_IMEI_ROT) != 0;
	sb_colo_size(sb, c->colocation ? n_rot : 0);
}

/* sb_sweep() - implicate members of new or grown gateways that were quiet since. */
static void sb_sweep(struct simbox *sb, uint32_t t)
{
	const struct sb_conf *c = &sb->c;

	if (sb->gw_changed) {
		sb->gw_changed = false;
		for (uint32_t i = 0; i < sb->n_imei; i++)
			sb_device_check(sb, i, NULL);
		for (uint32_t si = 0; si < sb->n_sim; si++) {
			struct sb_sim *s = &sb->sim[si];
			bool member = false;
			for (unsigned j = 0; j < s->n_ports && !member; j++)
				member = s->ports[j] != SB_LAZY &&
					 sb->imei[sb_find(sb->imei, s->ports[j])].gw != SB_NONE;
			if (!member)
				continue;
			sb_sim_roll(s, sb_half(t, c->window));
			sb_sim_check(sb, si, t, NULL);
		}
	}
}

/* ---- lookup / creation ----------------------------------------------- */

static uint32_t sb_sim_get(struct simbox *sb, uint64_t key, uint32_t t)
{
	uint32_t i = ss_slotix_find(&sb->sim_ix, sb->sim, sizeof(*sb->sim), key);

	if (i != SB_NONE)
		return i;
	if (sb_sim_grow(sb, sb->n_sim + 1, (uint32_t)sb->c.max_sims) < 0)
		return SB_NONE;
	i = sb->n_sim;
	memset(&sb->sim[i], 0, sizeof(sb->sim[i]));
	sb->sim[i].key = key;
	sb->sim[i].half = sb_half(t, sb->c.window);
	if (ss_slotix_add(&sb->sim_ix, sb->sim, sizeof(*sb->sim), i, i + 1) < 0)
		return SB_NONE;
	sb->n_sim++;
	return i;
}

static uint32_t sb_imei_get(struct simbox *sb, uint64_t key, unsigned form, uint32_t t)
{
	uint32_t i = ss_slotix_find(&sb->imei_ix, sb->imei, sizeof(*sb->imei), key);

	if (i != SB_NONE)
		return i;
	if (sb_grow((void **)&sb->imei, sizeof(*sb->imei), &sb->cap_imei,
		    sb->n_imei + 1, (uint32_t)sb->c.max_imeis) < 0)
		return SB_NONE;
	i = sb->n_imei;
	struct sb_imei *m = &sb->imei[i];
	memset(m, 0, sizeof(*m));
	m->key = key;
	m->parent = i;
	m->gw = SB_NONE;
	m->colo = SB_NONE;
	m->c_imeis = 1;
	m->half = sb_half(t, sb->c.rotation_window);
	m->flags = (uint8_t)(form << SB_IMEI_FORM_SHIFT);
	if (ss_slotix_add(&sb->imei_ix, sb->imei, sizeof(*sb->imei), i, i + 1) < 0)
		return SB_NONE;
	sb->n_imei++;
	return i;
}

/*
 * sb_materialise() - give SIM @si's SB_LAZY port a full sb_imei record, as
 * the per-event code would have built it from the SIM's own events there:
 * the SIM in its distinct-SIM sketch (in the half-window it was last there),
 * last SIM / last seen, a one-port component that counts the SIM, and the
 * port's own calls taken from the SIM's window counters (every IMEI'd event
 * of a lazy owner was on this port), halved once for the previous half as
 * the port's decaying counters would have.  Returns the node or SB_NONE
 * (capacity: the SIM keeps its lazy port).  May grow the IMEI array.
 */
static uint32_t sb_materialise(struct simbox *sb, uint32_t si, uint32_t t)
{
	struct sb_sim *o = &sb->sim[si];
	uint64_t pk = sb_lazy_key(o);

	if (!pk)
		return SB_NONE;
	uint32_t pi = sb_imei_get(sb, pk, o->lazy_form, t);
	if (pi == SB_NONE)
		return SB_NONE;
	struct sb_imei *m = &sb->imei[pi];
	uint32_t seen = sb_port_time(o, 0);
	uint32_t h = sb_sim_hash(o->key);
	uint16_t d = (uint16_t)(m->half - sb_half(seen, sb->c.rotation_window));

	if (d == 0 || d >= 0x8000)
		m->sims[0] |= UINT64_C(1) << (h & 63);
	else if (d == 1)
		m->sims[1] |= UINT64_C(1) << (h & 63);
	m->last_sim = h;
	m->last_switch = seen;
	if (seen > m->last_seen)
		m->last_seen = seen;
	sb_sim_roll(o, sb_half(t, sb->c.window));
	m->mo = sat16((uint32_t)o->mo[0] + o->mo[1] / 2u);
	m->mt = sat16((uint32_t)o->mt[0] + o->mt[1] / 2u);
	/* The component counts every call since the last rebuild, undecayed. */
	m->c_mo = (uint32_t)o->mo[0] + o->mo[1];
	m->c_mt = (uint32_t)o->mt[0] + o->mt[1];
	m->c_sims = 1;
	o->ports[0] = pi;
	if (sb->n_lazy)
		sb->n_lazy--;
	return pi;
}

/* ---- event path ------------------------------------------------------- */

/* sb_attach() - SIM @si is in port @pi: link the port with the SIM's earlier ones. */
static void sb_attach(struct simbox *sb, struct sb_sim *s, uint32_t pi, uint32_t t)
{
	unsigned j;

	for (j = 0; j < s->n_ports; j++)
		if (s->ports[j] == pi)
			break;
	if (j < s->n_ports) {
		/* Known port: move it to the front. */
		for (; j > 0; j--) {
			s->ports[j] = s->ports[j - 1];
			s->port_m[j] = s->port_m[j - 1];
		}
	} else {
		bool linked = false;
		for (j = 0; j < s->n_ports; j++) {
			/* (No SB_LAZY here: a SIM's lazy port is materialised before it moves.) */
			if (s->ports[j] == SB_LAZY || (sb->imei[s->ports[j]].flags & SB_IMEI_BOGUS))
				continue;
			sb_union(sb, s->ports[j], pi);
			linked = true;
		}
		if (!linked) {
			/* The SIM joins a component for the first time. */
			struct sb_imei *r = &sb->imei[sb_find(sb->imei, pi)];
			r->c_sims = sat16((uint32_t)r->c_sims + 1);
		}
		j = s->n_ports < SB_PORTS ? s->n_ports++ : SB_PORTS - 1;
		for (; j > 0; j--) {
			s->ports[j] = s->ports[j - 1];
			s->port_m[j] = s->port_m[j - 1];
		}
	}
	s->ports[0] = pi;
	s->port_m[0] = sb_tmin(t);
}

/* sb_port_event() - per-IMEI bookkeeping; returns the node or SB_NONE. */
static uint32_t sb_port_event(struct simbox *sb, uint32_t si, uint64_t simkey,
			      uint64_t pk, unsigned form, uint32_t pi, const struct event *ev, uint32_t t)
{
	struct sb_sim *s = &sb->sim[si];

	if (pi == SB_NONE && !pk)
		return SB_NONE;
	if (pi == SB_NONE)
		pi = ss_slotix_find(&sb->imei_ix, sb->imei, sizeof(*sb->imei), pk);
	if (pi == SB_NONE) {
		uint32_t owner = sb_lazy_find(sb, pk);
		if (owner != SB_NONE) {
			/* A second SIM in a handset: now it needs its own record. */
			pi = sb_materialise(sb, owner, t);
		} else if (s->n_ports == 0) {
			/*
			 * A handset no other SIM is known in, and the SIM's only
			 * port: the SIM record remembers it (SB_LAZY), nothing
			 * else can happen on it until a second SIM arrives or this
			 * SIM moves on (see the file header).
			 */
			s->ports[0] = SB_LAZY;
			s->port_m[0] = sb_tmin(t);
			s->n_ports = 1;
			s->lazy_form = (uint8_t)(form & 3);
			if (sb_lazy_add(sb, si) == 0)
				return SB_NONE;
			/* No memory for the index: a full record after all. */
			pi = sb_materialise(sb, si, t);
			if (pi == SB_NONE) {
				s->n_ports = 0;
				sb->dropped++;
			}
			return pi;
		} else {
			pi = sb_imei_get(sb, pk, form, t);
		}
	}
	if (pi == SB_NONE) {
		sb->dropped++;
		return SB_NONE;
	}
	struct sb_imei *m = &sb->imei[pi];
	uint32_t h = sb_sim_hash(simkey);

	sb_imei_roll(m, sb_half(t, sb->c.rotation_window));
	m->sims[0] |= UINT64_C(1) << (h & 63);
	if (h != m->last_sim) {
		/* A real port never flips back to the previous SIM within minutes. */
		if (h == m->prev_sim && !sb_older(t, m->last_switch, sb->c.pingpong_window) &&
		    m->flips < UINT8_MAX)
			m->flips++;
		m->prev_sim = m->last_sim;
		m->last_sim = h;
		m->last_switch = t;
		if (m->flips >= sb->c.bogus_min_flips && !(m->flags & SB_IMEI_BOGUS)) {
			m->flags |= SB_IMEI_BOGUS;
			sb->dirty = true; /* drop it from its component at the next rebuild */
		}
	}
	if (t > m->last_seen)
		m->last_seen = t;
	bool call = ev->kind == EV_CALL;
	if (call && ev->direction == EV_DIR_MO)
		inc16(&m->mo);
	else if (call && ev->direction == EV_DIR_MT)
		inc16(&m->mt);
	if (m->flags & SB_IMEI_BOGUS)
		return SB_NONE;

	uint32_t root = sb_find(sb->imei, pi);
	struct sb_imei *r = &sb->imei[root];
	if (call && ev->direction == EV_DIR_MO)
		r->c_mo++;
	else if (call && ev->direction == EV_DIR_MT)
		r->c_mt++;
	if (!(m->flags & SB_IMEI_ROT) && sb_imei_distinct(sb, m) >= 2) {
		m->flags |= SB_IMEI_ROT;
		r->c_rot = sat16((uint32_t)r->c_rot + 1);
	}
	sb_attach(sb, s, pi, t);
	sb_colo_event(sb, pi, ev, t);
	root = sb_find(sb->imei, pi);
	sb_gw_check(sb, root, pi, ev);
	sb_device_check(sb, pi, ev);
	return pi;
}

static void simbox_on_event(void *state, const struct event *ev)
{
	struct simbox *sb = state;
	const struct sb_conf *c = &sb->c;
	uint32_t t = sb_sec(ev->time);

	sb->st.events++;
	if (ev->kind > EV_DATA)
		return;
	if (t > sb->now)
		sb->now = t;
	if (sb->next_maint == 0) {
		sb->next_maint = t + c->maint_interval;
		sb->next_full = t + c->compact_interval;
	} else if (t >= sb->next_maint)
		sb_maint(sb, t);

	uint64_t key = sb_imsi_key(sb, ev);
	uint64_t msisdn = sb_pack_field(ev->msisdn, 15);
	if (key)
		key |= SB_TAG_IMSI;
	else if (msisdn)
		key = msisdn | SB_TAG_MSISDN;
	else {
		sb->dropped++;
		return;
	}
	uint32_t si = sb_sim_get(sb, key, t);
	if (si == SB_NONE) {
		sb->dropped++;
		return;
	}
	struct sb_sim *s = &sb->sim[si];
	if ((key & SB_TAG_IMSI) && msisdn)
		s->alt = msisdn;

	/*
	 * The port: a SIM nearly always reports the IMEI of its last event, and
	 * then its most recent port is that IMEI's node; only a new IMEI string
	 * is validated (Luhn, placeholders) and looked up.
	 */
	unsigned form = 0;
	uint64_t pk = 0;
	uint32_t pi = SB_NONE;
	bool lazy = false; /* the event is on the SIM's SB_LAZY port */
	uint64_t imei = sb_pack_field(ev->imei, 16);
	uint64_t lazy_key = sb_lazy_key(s);
	if (imei && imei == s->imei && (s->flags & SB_SIM_IMEI_PORT) && s->n_ports &&
	    (lazy_key || (sb->imei[s->ports[0]].key & SB_VAL_MASK) == sb_raw_v14(imei))) {
		pi = lazy_key ? SB_NONE : s->ports[0];
		lazy = lazy_key != 0;
	} else if (imei) {
		pk = sb_port_key(ev->imei, &form);
		if (lazy_key && pk == lazy_key) {
			lazy = true; /* the same handset in another form (IMEI / IMEISV) */
			pk = 0;
		} else {
			/* .imei is about to change: the lazy port needs a record to keep its key. */
			if (lazy_key && sb_materialise(sb, si, t) == SB_NONE) {
				s->n_ports = 0; /* no room: forget the link */
				sb->dropped++;
			}
			if (pk) {
				ss_slotix_prefetch(&sb->imei_ix, pk);
				ss_slotix_prefetch(&sb->lazy_ix, pk);
			}
		}
		s->imei = imei;
		if (pk || lazy)
			s->flags |= SB_SIM_IMEI_PORT;
		else
			s->flags &= (uint8_t)~SB_SIM_IMEI_PORT;
	}
	if (t > s->last_seen)
		s->last_seen = t;
	sb_sim_roll(s, sb_half(t, c->window));

	switch (ev->kind) {
	case EV_CALL:
		if (ev->direction == EV_DIR_MO) {
			inc16(&s->mo[0]);
			if (!ev->answered || ev->duration < (uint32_t)c->short_call_secs)
				inc16(&s->bad[0]);
			if (ev->other_party[0]) {
				uint64_t h = ss_hash_str(ev->other_party, UINT64_C(0xca11ee));
				s->callee[0][(h >> 6) & 1] |= UINT64_C(1) << (h & 63);
			}
			if (s->last_mo && t >= s->last_mo) {
				uint32_t gap = t - s->last_mo;
				if (gap <= c->cadence_gap_cap) {
					/* Exact mean for the first 16 gaps, then an EWMA (alpha 1/16). */
					float g = (float)gap;
					float a = s->n_gaps < 16 ? 1.0f / (float)(s->n_gaps + 1) : 1.0f / 16;
					s->gap_mean += (g - s->gap_mean) * a;
					s->gap_sq += (g * g - s->gap_sq) * a;
					inc16(&s->n_gaps);
				}
				uint32_t d = t / 3600 - s->last_mo / 3600;
				s->hours = d >= 32 ? 1u : (s->hours << d) | 1u;
			} else if (!s->last_mo) {
				s->hours = 1;
			}
			if (t >= s->last_mo)
				s->last_mo = t;
		} else {
			inc16(&s->mt[0]);
		}
		break;
	case EV_SMS:
		inc16(&s->sms[0]);
		break;
	default:
		inc16(&s->data[0]);
		break;
	}
	if (ev->cell.present) {
		uint64_t ch = ss_hash_mix(((uint64_t)ev->cell.lac << 32 | ev->cell.ci) ^
					  ss_hash_mix((uint64_t)ev->cell.mcc << 16 | ev->cell.mnc));
		s->cells[0] |= 1u << (ch & 31);
	}

	/* May grow the IMEI array: no sb_imei pointers are held across it. */
	if (lazy)
		s->port_m[0] = sb_tmin(t); /* what sb_attach does; the rest needs a second SIM */
	else
		sb_port_event(sb, si, key, pk, form, pi, ev, t);
	sb_sim_check(sb, si, t, ev);
}

/* ---- descriptor operations -------------------------------------------- */

static void simbox_fini(void *state)
{
	struct simbox *sb = state;

	if (!sb)
		return;
	free(sb->sim_mem);
	free(sb->sim_ix.slot);
	free(sb->lazy_ix.slot);
	free(sb->imei);
	free(sb->imei_ix.slot);
	free(sb->gw);
	free(sb->colo);
	free(sb);
}

static int simbox_init(void **state, const struct det_env *env)
{
	struct simbox *sb = calloc(1, sizeof(*sb));
	int rc;

	if (!sb)
		return -ENOMEM;
	rc = sb_read_conf(env ? env->config : NULL, &sb->c);
	if (rc < 0) {
		free(sb);
		return rc;
	}
	if (env) {
		sb->emit = env->emit;
		sb->emit_ctx = env->emit_ctx;
	}
	/* Linear counting: n ~ -m ln(zeros / m); no zero bit left counts as half a bit. */
	for (int z = 0; z <= 128; z++)
		sb->lc128[z] = (float)(-128.0 * log((z ? z : 0.5) / 128.0));
	for (int z = 0; z <= 64; z++)
		sb->lc64[z] = (float)(-64.0 * log((z ? z : 0.5) / 64.0));
	for (int z = 0; z <= 32; z++)
		sb->lc32[z] = (float)(-32.0 * log((z ? z : 0.5) / 32.0));
	*state = sb;
	return 0;
}

static void simbox_tick(void *state, ss_time_us now)
{
	struct simbox *sb = state;
	uint32_t t = sb_sec(now);

	if (t > sb->now)
		sb->now = t;
	if (sb->next_maint && t >= sb->next_maint)
		sb_maint(sb, t);
}

static void simbox_reset_subject(void *state, const struct det_subject *subj)
{
	struct simbox *sb = state;
	bool hit = false;

	if (subj->kind == DET_SUBJECT_SIM) {
		uint64_t keys[2] = { sb_pack_field(subj->imsi, 15), sb_pack_field(subj->msisdn, 15) };
		if (keys[0])
			keys[0] |= SB_TAG_IMSI;
		if (keys[1])
			keys[1] |= SB_TAG_MSISDN;
		for (int k = 0; k < 2; k++) {
			uint32_t si = keys[k] ? ss_slotix_find(&sb->sim_ix, sb->sim, sizeof(*sb->sim), keys[k]) : SB_NONE;
			if (si != SB_NONE) {
				sb->sim[si].key = 0; /* links go with it at the rebuild below */
				hit = true;
			}
		}
		/* A SIM keyed by IMSI is also found by its MSISDN. */
		uint64_t ms = sb_pack_field(subj->msisdn, 15);
		if (ms && !subj->imsi[0]) {
			for (uint32_t si = 0; si < sb->n_sim; si++)
				if (sb->sim[si].key && sb->sim[si].alt == ms) {
					sb->sim[si].key = 0;
					hit = true;
				}
		}
	} else if (subj->kind == DET_SUBJECT_DEVICE) {
		unsigned form;
		uint64_t pk = sb_port_key(subj->imei, &form);
		uint32_t pi = pk ? ss_slotix_find(&sb->imei_ix, sb->imei, sizeof(*sb->imei), pk) : SB_NONE;
		if (pi != SB_NONE) {
			sb->imei[pi].key = 0; /* SIM links to it are dropped by the rebuild */
			hit = true;
		} else if (pk && (pi = sb_lazy_find(sb, pk)) != SB_NONE) {
			sb->sim[pi].n_ports = 0; /* a lazy handset is only its SIM's link */
			hit = true;
		}
	}
	if (hit) {
		/* Rebuild now: the stale links must not re-implicate anyone. */
		sb->dirty = true;
		sb_maint(sb, sb->now);
	}
}

static void simbox_stats(const void *state, struct det_stats *out)
{
	const struct simbox *sb = state;

	*out = sb->st;
	/* A handset tracked through its only SIM (SB_LAZY) is a subject too. */
	out->subjects = (uint64_t)sb->n_sim + sb->n_imei + sb->n_lazy;
	out->state_bytes = sizeof(*sb) +
			   (uint64_t)sb->cap_sim * sizeof(struct sb_sim) + (sb->sim_mem ? 63 : 0) +
			   (uint64_t)sb->lazy_ix.size * sizeof(uint32_t) +
			   (uint64_t)sb->cap_imei * sizeof(struct sb_imei) +
			   (uint64_t)sb->sim_ix.size * sizeof(uint32_t) +
			   (uint64_t)sb->imei_ix.size * sizeof(uint32_t) +
			   (uint64_t)sb->cap_gw * sizeof(struct sb_gw) +
			   (uint64_t)sb->colo_size * sizeof(struct sb_colo);
}

/*
 * simbox_prefetch() - start loading the SIM's index slot (stage 0) and then
 * its record (stage 1) a few events before on_event needs them: with a few
 * hundred thousand SIMs both are cache misses, and they were most of the
 * detector's time.  Reads only.
 */
static void simbox_prefetch(const void *state, const struct event *ev, int stage)
{
	const struct simbox *sb = state;
	const struct ss_slotix *ix = &sb->sim_ix;

	if (ev->kind > EV_DATA || !ix->slot)
		return;
	uint64_t key = sb_imsi_key(sb, ev);
	if (key)
		key |= SB_TAG_IMSI;
	else if ((key = sb_pack_field(ev->msisdn, 15)) != 0)
		key |= SB_TAG_MSISDN;
	else
		return;
	uint64_t h = ss_hash_mix(key);
	uint32_t i = ss_slotix_home(ix, h);
	if (stage == 0) {
		ss_prefetch(&ix->slot[i]);
		return;
	}
	uint32_t slot = ix->slot[i];
	if (slot == 0 || (slot & ~SS_SLOTIX_IDX) != ss_slotix_tag(h))
		return;
	/* Two aligned cache lines. */
	const char *rec = (const char *)&sb->sim[(slot & SS_SLOTIX_IDX) - 1];
	for (size_t off = 0; off < sizeof(struct sb_sim); off += 64)
		ss_prefetch(rec + off);
}

const struct det_detector det_simbox = {
	.name = "simbox",
	.summary = "SIM-box / GOIP gateways: SIM rotation across ports plus outbound-only, "
		   "high-fanout, short-call, static, machine-paced calling",
	.event_mask = EV_MASK(EV_CALL) | EV_MASK(EV_SMS) | EV_MASK(EV_DATA),
	.init = simbox_init,
	.on_event = simbox_on_event,
	.prefetch = simbox_prefetch,
	.tick = simbox_tick,
	.reset_subject = simbox_reset_subject,
	.stats = simbox_stats,
	.fini = simbox_fini,
};
