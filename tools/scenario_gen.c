/*
 * scenario_gen.c - synthetic but realistic CDR / SIM-activation scenarios with
 * ground truth, for testing and measuring simsieve.
 *
 *   scenario_gen --out DIR [--subscribers N] [--days D] [--seed S] [--boxes B]
 *                [--start ISO] [--shuffle-minutes M] [--formats mixed|plain]
 *
 * Writes DIR/cdr.csv (cdr.md), DIR/activations.csv (activation.md) and
 * DIR/truth.csv, and prints a one-line summary.  Every distribution and
 * parameter, and the hard negative each benign role stands for, is
 * documented in docs/scenarios.md.  Same arguments -> byte-identical output
 * (one xoshiro256** stream seeded by splitmix64(--seed), plus pure hashes of
 * the seed for per-subscriber-day properties).
 *
 * All rhythms are in China local time (UTC+8); stored times are UTC.
 */
#include "core/hash.h"
#include "core/time.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define DAY 86400
#define HOUR 3600
#define LOCAL_OFF (8 * HOUR)
#define NEVER INT64_MAX
#define PI_D 3.14159265358979323846

/* ------------------------------------------------------------------ */
/* configuration                                                        */

static struct {
	const char *out;
	long n;
	int days;
	uint64_t seed;
	int boxes;
	int64_t start; /* seconds since the epoch, UTC */
	int shuffle_min;
	int plain;
} cfg = { NULL, 10000, 10, 1, -1, 0, 3, 0 };

static int64_t g_t0, g_tend;
static uint64_t g_seedh;

static void die(const char *msg)
{
	fprintf(stderr, "scenario_gen: %s\n", msg);
	exit(2);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);
	if (!p)
		die("out of memory");
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

/* ------------------------------------------------------------------ */
/* randomness: xoshiro256** stream + pure hashes                        */

static uint64_t rs[4];

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rnd(void)
{
	const uint64_t result = rotl(rs[1] * 5, 7) * 9;
	const uint64_t t = rs[1] << 17;
	rs[2] ^= rs[0];
	rs[3] ^= rs[1];
	rs[1] ^= rs[2];
	rs[0] ^= rs[3];
	rs[2] ^= t;
	rs[3] = rotl(rs[3], 45);
	return result;
}

static void rnd_seed(uint64_t seed)
{
	uint64_t x = seed;
	for (int i = 0; i < 4; i++) {
		x += UINT64_C(0x9e3779b97f4a7c15);
		rs[i] = ss_hash_mix(x);
	}
	g_seedh = ss_hash_mix(seed ^ UINT64_C(0x5ca1ab1e0ddba11));
}

static double unif(void)
{
	return (double)(rnd() >> 11) * 0x1.0p-53;
}

static uint32_t below(uint32_t n)
{
	return (uint32_t)(((rnd() >> 32) * (uint64_t)n) >> 32);
}

static int irange(int lo, int hi) /* inclusive */
{
	return lo + (int)below((uint32_t)(hi - lo + 1));
}

static double frange(double lo, double hi)
{
	return lo + (hi - lo) * unif();
}

static double gauss(void)
{
	double u1 = unif(), u2 = unif();
	if (u1 < 1e-300)
		u1 = 1e-300;
	return sqrt(-2.0 * log(u1)) * cos(2.0 * PI_D * u2);
}

static double lognorm(double median, double sigma)
{
	return median * exp(sigma * gauss());
}

static double expo(double mean)
{
	return -mean * log(1.0 - unif());
}

static int poisson(double lam)
{
	if (lam <= 0)
		return 0;
	if (lam > 30) {
		double v = lam + sqrt(lam) * gauss();
		return v < 0 ? 0 : (int)(v + 0.5);
	}
	double l = exp(-lam), p = 1.0;
	int k = 0;
	do {
		k++;
		p *= unif();
	} while (p > l);
	return k - 1;
}

/* Zipf-like rank in [0, n): P(r) ~ log((r+2)/(r+1)) ~ 1/(r+1). */
static int zipf_rank(int n)
{
	if (n <= 1)
		return 0;
	int r = (int)pow(n + 1.0, unif()) - 1;
	if (r < 0)
		r = 0;
	if (r >= n)
		r = n - 1;
	return r;
}

static inline uint64_t hh(uint64_t a, uint64_t b)
{
	return ss_hash_mix(a * UINT64_C(0x9E3779B97F4A7C15) ^ ss_hash_mix(b + g_seedh));
}

static inline uint64_t hh3(uint64_t a, uint64_t b, uint64_t c)
{
	return hh(hh(a, b), c);
}

static int clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* ------------------------------------------------------------------ */
/* uint64 set (identity uniqueness)                                     */

struct u64set {
	uint64_t *k;
	size_t cap, n;
};

static int set_add(struct u64set *s, uint64_t key);

static void set_grow(struct u64set *s)
{
	struct u64set ns = { xcalloc(s->cap ? s->cap * 2 : 1024, sizeof(uint64_t)),
			     s->cap ? s->cap * 2 : 1024, 0 };
	for (size_t i = 0; i < s->cap; i++)
		if (s->k[i])
			set_add(&ns, s->k[i]);
	free(s->k);
	*s = ns;
}

static int set_has(const struct u64set *s, uint64_t key)
{
	if (!s->cap)
		return 0;
	size_t m = s->cap - 1, i = (size_t)ss_hash_mix(key) & m;
	while (s->k[i]) {
		if (s->k[i] == key)
			return 1;
		i = (i + 1) & m;
	}
	return 0;
}

/* Returns 1 when added, 0 when already present. */
static int set_add(struct u64set *s, uint64_t key)
{
	if ((s->n + 1) * 2 > s->cap)
		set_grow(s);
	size_t m = s->cap - 1, i = (size_t)ss_hash_mix(key) & m;
	while (s->k[i]) {
		if (s->k[i] == key)
			return 0;
		i = (i + 1) & m;
	}
	s->k[i] = key;
	s->n++;
	return 1;
}

static struct u64set set_msisdn, set_imsi, set_imei;

/* ------------------------------------------------------------------ */
/* identities                                                           */

/* Operators: 0 = CMCC (IMSI 46000), 1 = CU (46001), 2 = CT (46011). */
static const int op_mnc[3] = { 0, 1, 11 };
static const int op_iccid[3] = { 0, 1, 3 };
/* Subscriber number segments (13x/15x/18x, by operator). */
static const int pfx_cmcc[] = { 134, 135, 136, 137, 138, 139, 150, 151, 152, 157, 158, 159, 182, 183, 187, 188 };
static const int pfx_cu[] = { 130, 131, 132, 155, 156, 185, 186 };
static const int pfx_ct[] = { 133, 153, 180, 181, 189 };
/* Other operators' / other segments' numbers (external parties). */
static const int pfx_ext[] = { 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 147, 150, 151, 152, 153,
			       155, 156, 157, 158, 159, 166, 173, 175, 176, 177, 178, 180, 181, 182, 183,
			       185, 186, 187, 188, 189, 191, 198, 199 };
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define CN_MOBILE(pfx, rest) (UINT64_C(8600000000000) + (uint64_t)(pfx) * UINT64_C(100000000) + (rest))

static int pick_op(void)
{
	double u = unif();
	return u < 0.6 ? 0 : u < 0.8 ? 1 : 2;
}

static int op_prefix(int op, uint64_t h)
{
	switch (op) {
	case 0: return pfx_cmcc[h % NELEM(pfx_cmcc)];
	case 1: return pfx_cu[h % NELEM(pfx_cu)];
	default: return pfx_ct[h % NELEM(pfx_ct)];
	}
}

static uint64_t new_msisdn(int op)
{
	for (;;) {
		uint64_t m = CN_MOBILE(op_prefix(op, rnd()), rnd() % 100000000u);
		if (set_add(&set_msisdn, m))
			return m;
	}
}

static uint64_t imsi_of(int op, uint64_t msin)
{
	return UINT64_C(460000000000000) + (uint64_t)op_mnc[op] * UINT64_C(10000000000) + msin;
}

static uint64_t new_imsi(int op)
{
	for (;;) {
		uint64_t m = imsi_of(op, rnd() % UINT64_C(10000000000));
		if (set_add(&set_imsi, m))
			return m;
	}
}

/* A random valid Chinese mobile number that is not one of our subscribers. */
static uint64_t ext_mobile_from(uint64_t h)
{
	for (;;) {
		uint64_t m = CN_MOBILE(pfx_ext[h % NELEM(pfx_ext)], (h >> 8) % 100000000u);
		if (!set_has(&set_msisdn, m))
			return m;
		h = ss_hash_mix(h + 1);
	}
}

static uint64_t ext_mobile(void)
{
	return ext_mobile_from(rnd());
}

/* Luhn check digit of the decimal digits of @payload (n digits). */
static int luhn_digit(uint64_t payload)
{
	int sum = 0, dbl = 1;
	while (payload) {
		int d = (int)(payload % 10);
		payload /= 10;
		if (dbl) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
		dbl = !dbl;
	}
	return (10 - sum % 10) % 10;
}

/* TAC-like prefixes.  Synthetic, shaped like real allocations (35..., 86...). */
static const uint32_t tac_consumer[] = { 35332510, 35391110, 35896810, 86012303, 86104503, 86769104,
					 86891204, 86407405, 86263904, 35467811, 86185705, 35209912,
					 86972705, 86537704, 35673011, 86432506, 86675205, 35102713 };
static const uint32_t tac_gateway[] = { 86208501, 86765002, 35806004, 86135000, 86441103 };
static const uint32_t tac_desk[] = { 86010100, 35900006, 86320108 };

static uint64_t *g_dev;
static int g_ndev, g_devcap;

static int add_dev(uint64_t imei)
{
	if (g_ndev == g_devcap) {
		g_devcap = g_devcap ? g_devcap * 2 : 4096;
		g_dev = xrealloc(g_dev, (size_t)g_devcap * sizeof(*g_dev));
	}
	g_dev[g_ndev] = imei;
	return g_ndev++;
}

/* IMEI = TAC(8) + serial(6) + Luhn; returns 0 when taken. */
static uint64_t make_imei(uint32_t tac, uint32_t serial)
{
	uint64_t body = (uint64_t)tac * 1000000u + serial % 1000000u;
	uint64_t imei = body * 10 + (uint64_t)luhn_digit(body);
	return set_add(&set_imei, imei) ? imei : 0;
}

static int new_dev(uint32_t tac)
{
	for (;;) {
		uint64_t imei = make_imei(tac, (uint32_t)(rnd() % 1000000u));
		if (imei)
			return add_dev(imei);
	}
}

static int new_consumer_dev(void)
{
	return new_dev(tac_consumer[zipf_rank((int)NELEM(tac_consumer))]);
}

/* ------------------------------------------------------------------ */
/* cells, outlets, documents, groups                                    */

static int g_ncells;
#define CELLS_PER_LAC 48
static int cell_lac(int c)
{
	return 4096 + c / CELLS_PER_LAC;
}
static int cell_ci(int c)
{
	return 10001 + c;
}
static int near_cell(int c, int spread, uint64_t h)
{
	return clampi(c + (int)(h % (uint64_t)(2 * spread + 1)) - spread, 0, g_ncells - 1);
}
/* A cell with two neighbours in the same LAC after it. */
static int pick_cell_block(void)
{
	for (;;) {
		int c = (int)below((uint32_t)g_ncells);
		if (c % CELLS_PER_LAC <= CELLS_PER_LAC - 3 && c + 2 < g_ncells)
			return c;
	}
}

struct outlet {
	int ch;
	char code[16];
};
static struct outlet *g_outlet;
static int g_noutlet, g_nch;
static int *g_ch_first, *g_ch_n;

static const char *const city[] = { "SZ", "GZ", "DG", "FS", "HZ", "SH", "BJ", "CD" };
static const char *const district[] = { "FT", "NS", "LH", "BA", "LG", "TH", "YX", "HD", "PY", "BY" };

static void setup_outlets(void)
{
	g_nch = 8 + (int)(cfg.n / 2000);
	g_ch_first = xmalloc((size_t)g_nch * sizeof(int));
	g_ch_n = xmalloc((size_t)g_nch * sizeof(int));
	g_outlet = xmalloc((size_t)g_nch * 10 * sizeof(*g_outlet));
	for (int c = 0; c < g_nch; c++) {
		int n = c == 0 ? 2 : irange(3, 10);
		const char *ci = city[below(NELEM(city))];
		g_ch_first[c] = g_noutlet;
		g_ch_n[c] = n;
		for (int i = 0; i < n; i++) {
			struct outlet *o = &g_outlet[g_noutlet++];
			o->ch = c;
			if (c == 0)
				snprintf(o->code, sizeof(o->code), "%s-ENT-%02d", ci, i + 1);
			else
				snprintf(o->code, sizeof(o->code), "%s-%s-%03u", ci,
					 district[below(NELEM(district))], 100 + below(900));
		}
	}
}

/* Retail outlet: channels by Zipf (big chains sell most), outlet uniform. */
static int pick_retail_outlet(void)
{
	int c = 1 + zipf_rank(g_nch - 1);
	return g_ch_first[c] + (int)below((uint32_t)g_ch_n[c]);
}

struct doc {
	uint64_t h;
	uint8_t enterprise;
};
static struct doc *g_doc;
static int g_ndoc, g_doccap;

static int new_doc(int enterprise)
{
	if (g_ndoc == g_doccap) {
		g_doccap = g_doccap ? g_doccap * 2 : 4096;
		g_doc = xrealloc(g_doc, (size_t)g_doccap * sizeof(*g_doc));
	}
	g_doc[g_ndoc].h = rnd();
	g_doc[g_ndoc].enterprise = (uint8_t)enterprise;
	return g_ndoc++;
}

/* 18-char synthetic identity numbers, all starting with "99" (no such region). */
static void render_doc(int d, char out[20])
{
	uint64_t h = g_doc[d].h;
	if (g_doc[d].enterprise) {
		snprintf(out, 20, "9991%013llu", (unsigned long long)(h % UINT64_C(10000000000000)));
		out[17] = "0123456789ABCDEFGHJKLMNPQRTUWXY"[(h >> 50) % 31];
		out[18] = 0;
		return;
	}
	int year = 1950 + (int)(h % 56), mon = 1 + (int)((h >> 8) % 12), day = 1 + (int)((h >> 16) % 28);
	snprintf(out, 20, "99%04u%04d%02d%02d%03u", (unsigned)((h >> 24) % 10000), year, mon, day,
		 (unsigned)((h >> 40) % 1000));
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (out[i] - '0') * w[i];
	out[17] = "10X98765432"[sum % 11];
	out[18] = 0;
}

static char (*g_group)[12];
static int g_ngroup, g_groupcap;

static int new_group(const char *prefix, int num)
{
	if (g_ngroup == g_groupcap) {
		g_groupcap = g_groupcap ? g_groupcap * 2 : 256;
		g_group = xrealloc(g_group, (size_t)g_groupcap * sizeof(*g_group));
	}
	snprintf(g_group[g_ngroup], sizeof(g_group[0]), "%s%0*d", prefix, prefix[0] == 'F' ? 5 : 2, num);
	return g_ngroup++;
}

/* ------------------------------------------------------------------ */
/* SIMs                                                                 */

enum role { R_NORMAL, R_COURIER, R_SHARED, R_UPGRADE, R_CALLCENTRE, R_TRAVELLER, R_SIMBOX, R_MIMIC, R__N };
static const char *const role_name[R__N] = { "normal",	    "courier",	 "shared_phone", "upgrade",
					      "call_centre", "traveller", "simbox_sim",	  "mimic_sim" };

struct sim {
	uint64_t msisdn, imsi;
	int64_t open_t;		  /* activation (may be before the scenario) */
	int64_t from, to;	  /* CDR activity window */
	int64_t switch_t;	  /* handset change (NEVER: none) */
	int64_t fraud_start;	  /* first gateway call, -1 none */
	int64_t last_used;	  /* box rotation: LRU */
	int32_t dev_a, dev_b;
	int32_t home, work;
	int32_t doc, group, succ, person, outlet, box;
	uint32_t c_off;
	uint16_t n_int, n_ext;
	float lam_mo, lam_mt, act;
	int32_t cap_day;
	uint16_t calls_today, cap;
	uint8_t role, op, in_port, clone;
	uint8_t roam_d0, roam_len, roam_plmn, churn;
};

static struct sim *S;
static int g_nsim, g_simcap, g_npers;

static int new_sim(int role, int op)
{
	if (g_nsim == g_simcap) {
		g_simcap = g_simcap ? g_simcap * 2 : 4096;
		S = xrealloc(S, (size_t)g_simcap * sizeof(*S));
	}
	struct sim *m = &S[g_nsim];
	memset(m, 0, sizeof(*m));
	m->role = (uint8_t)role;
	m->op = (uint8_t)op;
	m->from = INT64_MIN;
	m->to = NEVER;
	m->switch_t = NEVER;
	m->fraud_start = -1;
	m->dev_a = m->dev_b = -1;
	m->home = m->work = -1;
	m->doc = m->group = m->succ = m->box = -1;
	m->person = g_nsim;
	m->cap_day = -1;
	return g_nsim++;
}

static int is_social(int role)
{
	return role == R_NORMAL || role == R_COURIER || role == R_SHARED || role == R_UPGRADE ||
	       role == R_TRAVELLER;
}

static inline int active(int s, int64_t t)
{
	return t >= S[s].from && t < S[s].to;
}

static inline int resolve(int s, int64_t t)
{
	while (S[s].succ >= 0 && t >= S[s].to)
		s = S[s].succ;
	return s;
}

static inline int32_t dev_at(int s, int64_t t)
{
	return t >= S[s].switch_t ? S[s].dev_b : S[s].dev_a;
}

/* Activation events. */
enum { A_OPEN, A_CLOSE, A_SWAP };
static const char *const act_name[] = { "open", "close", "swap" };
struct actev {
	int64_t t;
	int32_t sim, seq;
	uint8_t ev;
};
static struct actev *g_act;
static int g_nact, g_actcap;

static void add_act(int64_t t, int ev, int sim)
{
	if (g_nact == g_actcap) {
		g_actcap = g_actcap ? g_actcap * 2 : 4096;
		g_act = xrealloc(g_act, (size_t)g_actcap * sizeof(*g_act));
	}
	g_act[g_nact].t = t;
	g_act[g_nact].ev = (uint8_t)ev;
	g_act[g_nact].sim = sim;
	g_act[g_nact].seq = g_nact;
	g_nact++;
}

/* Contacts: CSR of internal (person) indices; external numbers are hashed. */
static int32_t *g_cont;

static uint64_t ext_contact(int p, int k)
{
	uint64_t h = hh3(0xc0417ac7, (uint64_t)p, (uint64_t)k);
	if (h % 10 == 0) { /* landline: 86 + area code + 8 digits */
		static const int area[] = { 10, 20, 21, 755, 571, 28, 27, 769 };
		int a = area[(h >> 8) % NELEM(area)];
		uint64_t base = a < 100 ? UINT64_C(860000000000) + (uint64_t)a * 100000000u
					: UINT64_C(8600000000000) + (uint64_t)a * 100000000u;
		return base + 20000000u + (h >> 16) % 80000000u;
	}
	return ext_mobile_from(h >> 4);
}

/* Slot r of person p's contact list: sets *in (person index) or returns an external number. */
static uint64_t contact_slot(int p, int r, int *in)
{
	const struct sim *m = &S[p];
	int n = m->n_int + m->n_ext;
	*in = -1;
	if (n == 0)
		return ext_contact(p, r);
	long a = (long)r * m->n_int / n, b = (long)(r + 1) * m->n_int / n;
	if (b > a) {
		*in = g_cont[m->c_off + (uint32_t)a];
		return 0;
	}
	return ext_contact(p, r - (int)a);
}

/* Boxes. */
struct port {
	int32_t sim, dev, cell;
	int64_t next_t, stint_end, first; /* first: first call through the port */
};
struct box {
	int ports, bank, mimic, group, ncell, h0, h1, manydoc;
	int32_t sim0, dev0, cell[3];
	int64_t t0;
	double interval, ans_p, mean_gap;
	struct port *pt;
};
static struct box *g_box;
static int g_nbox;

static int role_count[R__N];
static int g_nfamily, g_ncentre;

/* ------------------------------------------------------------------ */
/* local time helpers (UTC+8)                                           */

static inline int64_t local_sec(int64_t t)
{
	int64_t x = (t + LOCAL_OFF) % DAY;
	return x < 0 ? x + DAY : x;
}
static inline int local_hour(int64_t t)
{
	return (int)(local_sec(t) / HOUR);
}
static inline int64_t local_midnight(int64_t t)
{
	return t - local_sec(t);
}
static inline int local_dow(int64_t t) /* 0 = Sunday */
{
	int64_t d = (t + LOCAL_OFF) / DAY;
	return (int)(((d + 4) % 7 + 7) % 7);
}
static inline int is_workday(int64_t t)
{
	int w = local_dow(t);
	return w >= 1 && w <= 5;
}
static inline int64_t local_day_index(int64_t t)
{
	return (t + LOCAL_OFF) / DAY;
}
/* First time >= t whose local time of day is @sec. */
static int64_t next_local(int64_t t, int64_t sec)
{
	int64_t c = local_midnight(t) + sec;
	return c < t ? c + DAY : c;
}
static inline int scen_day(int64_t t)
{
	return (int)((t - g_t0) / DAY);
}

/* Hourly weights (local hour 0..23). */
static const double w_calls[24] = { 0.30, 0.15, 0.08, 0.05, 0.05, 0.10, 0.40, 1.20, 2.50, 3.00, 3.00, 2.80,
				    2.50, 2.60, 2.80, 2.80, 2.90, 3.20, 3.60, 3.80, 3.50, 2.80, 1.80, 0.80 };
static const double w_data[24] = { 0.6, 0.4, 0.3, 0.3, 0.3, 0.4, 0.8, 1.4, 1.8, 1.6, 1.5, 1.6,
				   2.0, 1.8, 1.5, 1.5, 1.6, 1.8, 2.0, 2.3, 2.5, 2.5, 2.0, 1.2 };
static double cdf_calls[24], cdf_data[24];

static void make_cdf(const double *w, double *cdf)
{
	double s = 0, a = 0;
	for (int i = 0; i < 24; i++)
		s += w[i];
	for (int i = 0; i < 24; i++) {
		a += w[i];
		cdf[i] = a / s;
	}
	cdf[23] = 1.0;
}

static int64_t sample_time(int64_t ds, const double *cdf)
{
	double u = unif();
	int h = 0;
	while (h < 23 && u > cdf[h])
		h++;
	int64_t off = ((int64_t)h * HOUR - local_sec(ds)) % DAY;
	if (off < 0)
		off += DAY;
	off = (off + below(HOUR)) % DAY;
	return ds + off;
}

/* ------------------------------------------------------------------ */
/* where a subscriber is                                                */

static const char *const plmn_code[] = { "45400", "45406", "52501", "44010", "45005",
					 "52001", "50212", "23415", "41401", "45601" };
static const double plmn_w[] = { 0.22, 0.10, 0.14, 0.16, 0.10, 0.10, 0.08, 0.06, 0.02, 0.02 };

#define CELL_NONE (-1)
#define CELL_ROAM(i) (-2 - (i))

static int32_t cell_at(int s, int64_t t)
{
	const struct sim *m = &S[s];
	int d = scen_day(t);
	int h = local_hour(t);
	uint64_t hd = hh3(0xce11, (uint64_t)m->person, (uint64_t)d);
	uint64_t ht = hh(hd, (uint64_t)t);

	if (m->role == R_TRAVELLER && d >= m->roam_d0 && d < m->roam_d0 + m->roam_len)
		return CELL_ROAM(m->roam_plmn);
	if (m->role == R_CALLCENTRE)
		return ht % 5 == 0 ? m->work + 1 : m->work;
	if (m->role == R_COURIER && local_dow(t) != 0 && h >= 8 && h < 20) {
		int64_t ws = local_midnight(t) + 8 * HOUR;
		int npool = 20 + (int)(hd % 16);
		int k = (int)((t - ws) * npool / (12 * HOUR));
		return near_cell(m->home, 250, hh(hd, (uint64_t)k));
	}
	if (h < 7 || h >= 23)
		return m->home;
	if (m->work >= 0 && is_workday(t) && h >= 9 && h < 18 && ht % 4 != 0)
		return m->work;
	if (ht % 8 < 3)
		return m->home;
	int npool = 1 + (int)((hd >> 8) % 12);
	int k = (int)((ht >> 8) % (uint64_t)npool);
	int base = (m->work >= 0 && (k & 1)) ? m->work : m->home;
	return near_cell(base, 60, hh(hd, (uint64_t)k + 77));
}

/* ------------------------------------------------------------------ */
/* events                                                               */

enum { T_VOICE, T_SMS, T_DATA };
#define K_MT 4
#define K_ANS 8

struct ev {
	uint64_t other;
	uint32_t key, t;
	int32_t sim, dev, cell;
	uint16_t dur;
	uint8_t kind, aux;
};

static struct ev *E, *E2;
static size_t g_nev, g_evcap;

static void emit(int64_t t, int s, int32_t dev, int type, int mt, uint64_t other, int ans, double dur,
		 int32_t cell, int aux)
{
	if (t < g_t0 || t >= g_tend)
		return;
	if (g_nev == g_evcap) {
		g_evcap = g_evcap ? g_evcap * 2 : (1u << 16);
		E = xrealloc(E, g_evcap * sizeof(*E));
	}
	struct ev *e = &E[g_nev++];
	e->other = other;
	e->t = (uint32_t)(t - g_t0);
	e->key = 0;
	e->sim = s;
	e->dev = dev;
	e->cell = cell;
	if (type != T_VOICE || !ans)
		dur = 0;
	e->dur = (uint16_t)(dur < 0 ? 0 : dur > 65535 ? 65535 : dur);
	e->kind = (uint8_t)(type | (mt ? K_MT : 0) | (ans && type == T_VOICE ? K_ANS : 0));
	e->aux = (uint8_t)aux;
	/* fraud start: first gateway call (voice, originated) */
	if (type == T_VOICE && !mt && S[s].box >= 0 && (S[s].fraud_start < 0 || t < S[s].fraud_start))
		S[s].fraud_start = t;
}

/* Event for a benign subscriber: handset and cell follow from its state. */
static void emit_sub(int64_t t, int s, int type, int mt, uint64_t other, int ans, double dur, int aux)
{
	emit(t, s, dev_at(s, t), type, mt, other, ans, dur, cell_at(s, t), aux);
}

/* SMS texts: '#' is replaced by a digit.  Index 0 = no text. */
static const char *const sms_text[] = {
	"",
	/* 1..10 personal */
	"好的", "到家了吗？", "晚上一起吃饭吧", "收到，谢谢", "明天几点见？", "OK, see you at 7",
	"开会中，稍后回电", "\"老地方\"见", "生日快乐！", "路上堵车，晚点到",
	/* 11..15 service notifications (sender in svc_sender) */
	"【中国移动】尊敬的客户，您本月已使用流量#.#GB，详情请登录APP查询。",
	"【工商银行】您的验证码为######，5分钟内有效，请勿泄露。", "【顺丰速运】您的快件已到达驿站，取件码####。",
	"【美团】您的验证码是######，请勿告诉他人。", "【12306】订单E#########已出票，请按时乘车。",
	/* 16..19 chatter between a mimic box's own SIMs */
	"在吗", "收到", "好的，马上到", "今天忙吗"
};
#define SMS_PERSONAL0 1
#define SMS_NPERSONAL 10
#define SMS_SVC0 11
#define SMS_NSVC 5
#define SMS_MIMIC0 16
#define SMS_NMIMIC 4
static const uint64_t svc_sender[SMS_NSVC] = { 10086, 95588, UINT64_C(106900095338), UINT64_C(1069055512345),
						12306 };

/* ------------------------------------------------------------------ */
/* benign behaviour                                                     */

static double normal_dur(void)
{
	double d = lognorm(60, 1.0);
	return d < 1 ? 1 : d > 7200 ? 7200 : d;
}

/* A random benign social subscriber active at t (victim / customer), or -1. */
static int random_member(int64_t t)
{
	for (int tries = 0; tries < 8; tries++) {
		int p = (int)below((uint32_t)g_npers);
		if (!is_social(S[p].role))
			continue;
		int s = resolve(p, t);
		if (active(s, t))
			return s;
	}
	return -1;
}

/* Call from s (resolved, active) to slot r of its contacts. */
static void call_contact(int p, int64_t t, double ans_p)
{
	int s = resolve(p, t), c;
	if (!active(s, t))
		return;
	int n = S[p].n_int + S[p].n_ext;
	uint64_t num = contact_slot(p, zipf_rank(n), &c);
	if (c >= 0) {
		c = resolve(c, t);
		int ok = active(c, t);
		int ans = ok && unif() < ans_p;
		double dur = ans ? normal_dur() : 0;
		emit_sub(t, s, T_VOICE, 0, S[c].msisdn, ans, dur, 0);
		if (ok)
			emit_sub(t, c, T_VOICE, 1, S[s].msisdn, ans, dur, 0);
	} else {
		int ans = unif() < ans_p - 0.02;
		emit_sub(t, s, T_VOICE, 0, num, ans, ans ? normal_dur() : 0, 0);
	}
}

static int personal_text(void)
{
	return unif() < 0.2 ? 0 : SMS_PERSONAL0 + (int)below(SMS_NPERSONAL);
}

static void sms_contact(int p, int64_t t)
{
	int s = resolve(p, t), c;
	if (!active(s, t))
		return;
	int n = S[p].n_int + S[p].n_ext;
	uint64_t num = contact_slot(p, zipf_rank(n), &c);
	int aux = personal_text();
	if (c >= 0) {
		c = resolve(c, t);
		emit_sub(t, s, T_SMS, 0, S[c].msisdn, 0, 0, aux);
		if (active(c, t))
			emit_sub(t, c, T_SMS, 1, S[s].msisdn, 0, 0, aux);
	} else {
		emit_sub(t, s, T_SMS, 0, num, 0, 0, aux);
	}
}

static void own_event(int p, int64_t t, int type, int mt, uint64_t other, int ans, double dur, int aux)
{
	int s = resolve(p, t);
	if (active(s, t))
		emit_sub(t, s, type, mt, other, ans, dur, aux);
}

/* Everyday life: calls, SMS, data.  @scale multiplies call/SMS volume. */
static void gen_life(int p, int64_t ds, double scale)
{
	const struct sim *m = &S[p];
	int roaming = m->role == R_TRAVELLER && scen_day(ds) >= m->roam_d0 &&
		      scen_day(ds) < m->roam_d0 + m->roam_len;
	double f = scale * m->act * (roaming ? 0.5 : 1.0);
	int n = poisson(m->lam_mo * f);
	for (int i = 0; i < n; i++)
		call_contact(p, sample_time(ds, cdf_calls), 0.80);
	n = poisson(m->lam_mt * f);
	for (int i = 0; i < n; i++) { /* calls in from external contacts */
		int64_t t = sample_time(ds, cdf_calls);
		int ne = S[p].n_ext ? S[p].n_ext : 1;
		uint64_t num = ext_contact(p, zipf_rank(ne));
		int ans = unif() < 0.80;
		own_event(p, t, T_VOICE, 1, num, ans, ans ? normal_dur() : 0, 0);
	}
	n = poisson(1.2 * f);
	for (int i = 0; i < n; i++)
		sms_contact(p, sample_time(ds, cdf_calls));
	n = poisson(1.0 * scale);
	for (int i = 0; i < n; i++) { /* notifications, codes */
		int k = (int)below(SMS_NSVC);
		own_event(p, sample_time(ds, cdf_calls), T_SMS, 1, svc_sender[k], 0, 0,
			  unif() < 0.15 ? 0 : SMS_SVC0 + k);
	}
	n = poisson(0.5 * f);
	for (int i = 0; i < n; i++) { /* personal SMS from outside contacts */
		int ne = S[p].n_ext ? S[p].n_ext : 1;
		own_event(p, sample_time(ds, cdf_calls), T_SMS, 1, ext_contact(p, zipf_rank(ne)), 0, 0,
			  personal_text());
	}
	n = poisson(roaming ? 5.0 : 8.0);
	for (int i = 0; i < n; i++)
		own_event(p, sample_time(ds, cdf_data), T_DATA, 0, 0, 0, 0, 0);
}

struct cust {
	uint64_t num;
	int32_t sim;
	int64_t t;
};

static void gen_courier(int p, int64_t ds)
{
	int64_t ws = next_local(ds, 8 * HOUR) + (int64_t)below(1800);
	if (local_dow(ws) == 0) { /* Sunday off */
		gen_life(p, ds, 1.0);
		return;
	}
	gen_life(p, ds, 0.5);
	static struct cust cu[128];
	int n = irange(30, 80), nc = 0;
	int64_t we = ws + 12 * HOUR - 1800, t = ws;
	double cycle = (double)(we - ws) / n;
	for (int i = 0; i < n && t < we; i++) {
		int s = resolve(p, t);
		if (!active(s, t))
			break;
		int c = unif() < 0.15 ? random_member(t) : -1;
		uint64_t num = c >= 0 ? S[c].msisdn : ext_mobile();
		int ans = unif() < 0.70;
		double dur = lognorm(20, 0.5);
		dur = dur < 5 ? 5 : dur > 180 ? 180 : dur;
		emit_sub(t, s, T_VOICE, 0, num, ans, dur, 0);
		if (c >= 0)
			emit_sub(t, c, T_VOICE, 1, S[s].msisdn, ans, dur, 0);
		cu[nc].num = num;
		cu[nc].sim = c;
		cu[nc].t = t;
		nc++;
		double busy = ans ? dur : 25;
		t += (int64_t)(busy + 10 + expo(cycle > busy + 10 ? cycle - busy - 10 : 5));
	}
	int ncb = (int)(nc * frange(0.4, 0.6));
	for (int i = 0; i < ncb; i++) { /* customers call back */
		struct cust *k = &cu[below((uint32_t)nc)];
		int64_t tc = k->t + 60 + (int64_t)expo(1800);
		int s = resolve(p, tc);
		if (!active(s, tc))
			continue;
		int ans = unif() < 0.85;
		double dur = ans ? 15 + lognorm(20, 0.5) : 0;
		if (k->sim >= 0 && active(k->sim, tc))
			emit_sub(tc, k->sim, T_VOICE, 0, S[s].msisdn, ans, dur, 0);
		emit_sub(tc, s, T_VOICE, 1, k->num, ans, dur, 0);
	}
	int nd = poisson(10);
	for (int i = 0; i < nd; i++)
		own_event(p, ws + (int64_t)below(12 * HOUR), T_DATA, 0, 0, 0, 0, 0);
}

static void gen_agent(int p, int64_t ds)
{
	int64_t ws = next_local(ds, 9 * HOUR) + (int64_t)below(900);
	if (!is_workday(ws))
		return;
	int64_t lunch = ws - local_sec(ws) + 12 * HOUR, we = ws - local_sec(ws) + 18 * HOUR;
	int n = irange(40, 100);
	double cycle = 8.0 * HOUR / n, ans_p = 0.70 + 0.15 * (double)(S[p].group % 4) / 3.0;
	int64_t t = ws;
	for (int i = 0; i < n && t < we; i++) {
		if (t >= lunch && t < lunch + HOUR)
			t = lunch + HOUR + (int64_t)below(300);
		int c = unif() < 0.10 ? random_member(t) : -1;
		uint64_t num = c >= 0 ? S[c].msisdn : ext_mobile();
		int ans = unif() < ans_p;
		double dur = exp(frange(log(60.0), log(300.0)));
		if (unif() < 0.03)
			dur = 300 + expo(300);
		own_event(p, t, T_VOICE, 0, num, ans, dur, 0);
		if (c >= 0)
			emit_sub(t, c, T_VOICE, 1, S[p].msisdn, ans, dur, 0);
		double busy = ans ? dur : 25;
		t += (int64_t)(busy + 8 + expo(cycle > busy + 8 ? cycle - busy - 8 : 5));
	}
	int nm = irange(1, 5);
	for (int i = 0; i < nm; i++) {
		int ans = unif() < 0.9;
		own_event(p, ws + (int64_t)below((uint32_t)(we - ws)), T_VOICE, 1, ext_mobile(), ans,
			  ans ? 30 + expo(60) : 0, 0);
	}
	if (unif() < 0.5)
		own_event(p, ws + (int64_t)below((uint32_t)(we - ws)), T_DATA, 0, 0, 0, 0, 0);
}

/* ------------------------------------------------------------------ */
/* SIM boxes                                                            */

static int box_operating(const struct box *b, int64_t t)
{
	int h = local_hour(t);
	return h >= b->h0 && h < b->h1;
}

static int at_cap(int s, int64_t t)
{
	return S[s].cap_day == (int32_t)local_day_index(t) && S[s].calls_today >= S[s].cap;
}

/* Port p swaps its SIM for the least recently used idle one; 0 if none free. */
static int box_swap(struct box *b, struct port *pt, int64_t t)
{
	int best = -1;
	for (int i = 0; i < b->bank; i++) {
		int s = b->sim0 + i;
		if (S[s].in_port || t < S[s].open_t)
			continue;
		if (b->mimic && at_cap(s, t))
			continue;
		if (best < 0 || S[s].last_used < S[best].last_used)
			best = s;
	}
	if (best < 0)
		return 0;
	if (pt->sim >= 0) {
		S[pt->sim].in_port = 0;
		S[pt->sim].last_used = t;
	}
	pt->sim = best;
	S[best].in_port = 1;
	pt->stint_end = t + (int64_t)frange(1.0 * HOUR, 6.0 * HOUR);
	return 1;
}

static void count_call(int s, int64_t t)
{
	int32_t d = (int32_t)local_day_index(t);
	if (S[s].cap_day != d) {
		S[s].cap_day = d;
		S[s].calls_today = 0;
	}
	S[s].calls_today++;
}

static int32_t port_cell(const struct box *b, int p)
{
	if (!b->mimic)
		return b->cell[0];
	return below(10) == 0 ? b->cell[below(3)] : b->cell[p % 3];
}

/* Another occupied port of the same box, or -1. */
static int other_port(const struct box *b, int p)
{
	for (int tries = 0; tries < 6; tries++) {
		int q = (int)below((uint32_t)b->ports);
		if (q != p && b->pt[q].sim >= 0)
			return q;
	}
	return -1;
}

static void box_victim_call(struct box *b, int p, int64_t t, int *ans_out, double *dur_out)
{
	struct port *pt = &b->pt[p];
	int s = pt->sim;
	int c = unif() < 0.12 ? random_member(t) : -1;
	uint64_t num = c >= 0 ? S[c].msisdn : ext_mobile();
	int ans = unif() < b->ans_p;
	double dur = 0;
	if (ans) {
		if (unif() < (b->mimic ? 0.08 : 0.10))
			dur = lognorm(400, 0.6); /* a "successful" scam */
		else
			dur = b->mimic ? lognorm(35, 0.9) : lognorm(20, 0.6);
		dur = dur < 3 ? 3 : dur > 3600 ? 3600 : dur;
	}
	emit(t, s, pt->dev, T_VOICE, 0, num, ans, dur, port_cell(b, p), 0);
	if (c >= 0)
		emit_sub(t, c, T_VOICE, 1, S[s].msisdn, ans, dur, 0);
	*ans_out = ans;
	*dur_out = dur;
}

static void gen_box_day(struct box *b, int64_t de)
{
	for (;;) {
		int p = 0;
		for (int q = 1; q < b->ports; q++)
			if (b->pt[q].next_t < b->pt[p].next_t)
				p = q;
		struct port *pt = &b->pt[p];
		int64_t t = pt->next_t;
		if (t >= de)
			break;
		if (!box_operating(b, t)) {
			pt->next_t = next_local(t, (int64_t)b->h0 * HOUR) + below(b->mimic ? 2400 : 120);
			continue;
		}
		if (pt->sim < 0 || t >= pt->stint_end || (b->mimic && at_cap(pt->sim, t))) {
			if (!box_swap(b, pt, t)) {
				pt->next_t = t + 1800;
				continue;
			}
			pt->next_t = t + 20 + below(70); /* SIM registers on the network */
			continue;
		}
		int s = pt->sim, ans = 0;
		double dur = 0, u = b->mimic ? unif() : 1.0;
		if (u < 0.08) { /* call another SIM of the same box */
			int q = other_port(b, p);
			if (q >= 0) {
				int c = b->pt[q].sim;
				ans = unif() < 0.9;
				dur = ans ? lognorm(60, 0.8) : 0;
				emit(t, s, pt->dev, T_VOICE, 0, S[c].msisdn, ans, dur, port_cell(b, p), 0);
				if (pt->first < 0)
					pt->first = t;
				emit(t, c, b->pt[q].dev, T_VOICE, 1, S[s].msisdn, ans, dur, port_cell(b, q), 0);
				count_call(s, t);
			}
		} else if (u < 0.12) { /* SMS to another SIM of the same box */
			int q = other_port(b, p);
			if (q >= 0) {
				int c = b->pt[q].sim, aux = SMS_MIMIC0 + (int)below(SMS_NMIMIC);
				emit(t, s, pt->dev, T_SMS, 0, S[c].msisdn, 0, 0, port_cell(b, p), aux);
				emit(t, c, b->pt[q].dev, T_SMS, 1, S[s].msisdn, 0, 0, port_cell(b, q), aux);
			}
		} else if (u < 0.15) {
			emit(t, s, pt->dev, T_DATA, 0, 0, 0, 0, port_cell(b, p), 0);
		} else {
			box_victim_call(b, p, t, &ans, &dur);
			count_call(s, t);
			if (pt->first < 0)
				pt->first = t;
		}
		double busy = ans ? dur : (double)(15 + below(30));
		if (b->mimic) {
			pt->next_t = t + (int64_t)(busy + 5 + expo(b->mean_gap));
		} else {
			int64_t cad = t + (int64_t)(b->interval) + irange(-3, 3);
			int64_t after = t + (int64_t)busy + 3 + below(4);
			pt->next_t = cad > after ? cad : after;
		}
	}
}

/* ------------------------------------------------------------------ */
/* population setup                                                     */

static void shuffle_u8(uint8_t *a, long n)
{
	for (long i = n - 1; i > 0; i--) {
		long j = (long)(unif() * (double)(i + 1));
		if (j > i)
			j = i;
		uint8_t x = a[i];
		a[i] = a[j];
		a[j] = x;
	}
}

static int64_t span(void)
{
	return g_tend - g_t0;
}

static void setup_people(void)
{
	long n = cfg.n;
	uint8_t *roles = xmalloc((size_t)n);
	long n_courier = (n * 15 + 500) / 1000, n_shared = 2 * ((n * 5 + 500) / 1000),
	     n_upgrade = (n * 20 + 500) / 1000, n_trav = (n * 20 + 500) / 1000;
	long n_cc = (n * 3 + 500) / 1000;
	if (n_cc < 10)
		n_cc = 10;
	int ncentre = (int)(n_cc / 15);
	if (ncentre < (int)((n_cc + 39) / 40))
		ncentre = (int)((n_cc + 39) / 40);
	ncentre = clampi(ncentre, 1, 3);
	if (n_cc > 40L * ncentre)
		n_cc = 40L * ncentre;
	if (n_courier + n_shared + n_upgrade + n_trav + n_cc > n)
		die("--subscribers too small (need at least ~300)");
	long k = 0;
	for (long i = 0; i < n_courier; i++)
		roles[k++] = R_COURIER;
	for (long i = 0; i < n_shared; i++)
		roles[k++] = R_SHARED;
	for (long i = 0; i < n_upgrade; i++)
		roles[k++] = R_UPGRADE;
	for (long i = 0; i < n_trav; i++)
		roles[k++] = R_TRAVELLER;
	for (long i = 0; i < n_cc; i++)
		roles[k++] = R_CALLCENTRE;
	while (k < n)
		roles[k++] = R_NORMAL;
	shuffle_u8(roles, n);

	/* persons 0..n-1 */
	for (long i = 0; i < n; i++) {
		int op = pick_op();
		int s = new_sim(roles[i], op);
		struct sim *m = &S[s];
		role_count[m->role]++;
		if (m->role == R_CALLCENTRE)
			continue; /* identities below, per centre */
		m->msisdn = new_msisdn(op);
		m->imsi = new_imsi(op);
		if (unif() < 0.01) { /* recently opened */
			m->open_t = g_t0 - (int64_t)irange(1, 20) * DAY;
		} else {
			double age;
			do
				age = expo(2.0 * 365 * DAY);
			while (age > 9.0 * 365 * DAY);
			m->open_t = g_t0 - 30 * (int64_t)DAY - (int64_t)age;
		}
		/* during opening hours, local 09:00-21:00 */
		m->open_t = local_midnight(m->open_t) + 9 * HOUR + (int64_t)below(12 * HOUR);
		m->from = m->open_t;
		m->outlet = pick_retail_outlet();
		m->doc = new_doc(0);
		m->home = (int)below((uint32_t)g_ncells);
		m->work = unif() < 0.75 ? (unif() < 0.5 ? near_cell(m->home, 300, rnd()) : (int)below((uint32_t)g_ncells))
					: -1;
		m->dev_a = new_consumer_dev();
		m->act = (float)frange(0.6, 1.4);
		m->lam_mo = (float)frange(2.0, 6.0);
		m->lam_mt = (float)frange(0.8, 2.5);
		if (m->role == R_COURIER) {
			m->work = -1;
		} else if (m->role == R_UPGRADE) {
			m->dev_b = new_consumer_dev();
			m->switch_t = g_t0 + (int64_t)(frange(0.15, 0.85) * (double)span());
		} else if (m->role == R_TRAVELLER) {
			int len = irange(2, 4);
			if (len > cfg.days)
				len = cfg.days;
			m->roam_len = (uint8_t)len;
			m->roam_d0 = (uint8_t)irange(0, cfg.days - len);
			double u = unif(), a = 0;
			int j = 0;
			for (; j < (int)NELEM(plmn_code) - 1; j++) {
				a += plmn_w[j];
				if (u < a)
					break;
			}
			m->roam_plmn = (uint8_t)j;
		}
	}
	g_npers = (int)n;

	/* call centres: enterprise accounts, consecutive numbers, desk phones */
	int centre = -1, in_centre = 0, size = 0;
	long cc_left = n_cc;
	uint64_t base_msisdn = 0, base_msin = 0;
	int64_t burst = 0;
	int doc = -1, grp = -1, bcell = 0, outlet = 0, op = 0;
	uint32_t tac = 0, serial = 0;
	for (long i = 0; i < n; i++) {
		struct sim *m = &S[i];
		if (m->role != R_CALLCENTRE)
			continue;
		if (in_centre == size) {
			centre++;
			int left_centres = ncentre - centre;
			size = (int)(cc_left / left_centres);
			in_centre = 0;
			op = pick_op();
			for (;;) { /* a free consecutive number block */
				base_msisdn = CN_MOBILE(op_prefix(op, rnd()), rnd() % 99990000u);
				base_msin = rnd() % UINT64_C(9999990000);
				int ok = 1;
				for (int j = 0; j < size + 1 && ok; j++)
					ok = !set_has(&set_msisdn, base_msisdn + (uint64_t)j) &&
					     !set_has(&set_imsi, imsi_of(op, base_msin + (uint64_t)j));
				if (ok)
					break;
			}
			burst = g_t0 - (centre == 0 ? (int64_t)frange(200, 700) : (int64_t)frange(20, 60)) * DAY;
			burst = local_midnight(burst) + 10 * HOUR;
			doc = new_doc(1);
			grp = new_group("CC", centre + 1);
			bcell = pick_cell_block();
			outlet = g_ch_first[0] + (int)below((uint32_t)g_ch_n[0]);
			tac = tac_desk[below(NELEM(tac_desk))];
			serial = (uint32_t)(rnd() % 900000u);
			g_ncentre++;
		}
		cc_left--;
		m->op = (uint8_t)op;
		m->msisdn = base_msisdn + (uint64_t)in_centre;
		m->imsi = imsi_of(op, base_msin + (uint64_t)in_centre);
		set_add(&set_msisdn, m->msisdn);
		set_add(&set_imsi, m->imsi);
		m->open_t = burst + in_centre * (int64_t)irange(30, 120);
		m->from = m->open_t;
		m->doc = doc;
		m->group = grp;
		m->outlet = outlet;
		m->home = (int)below((uint32_t)g_ncells);
		m->work = bcell;
		for (;;) {
			serial += 1 + below(3);
			uint64_t imei = make_imei(tac, serial);
			if (imei) {
				m->dev_a = add_dev(imei);
				break;
			}
		}
		in_centre++;
	}

	/* shared family phone pairs */
	int pend = -1;
	for (long i = 0; i < n; i++) {
		if (S[i].role != R_SHARED)
			continue;
		if (pend < 0) {
			pend = (int)i;
			continue;
		}
		struct sim *a = &S[pend], *b = &S[i];
		int64_t ts = g_t0 + (int64_t)(frange(0.2, 0.8) * (double)span());
		int g = new_group("FAM", ++g_nfamily);
		a->group = b->group = g;
		b->doc = a->doc;
		b->home = a->home;
		b->dev_b = a->dev_a; /* the handset passes from A to B */
		b->switch_t = ts;
		a->dev_b = new_consumer_dev(); /* A got a new phone */
		a->switch_t = ts;
		if (unif() < 0.5) { /* B is a brand-new SIM */
			b->dev_a = -1;
			b->open_t = ts - (int64_t)below(2 * DAY);
			b->from = ts;
			b->outlet = a->outlet;
		}
		pend = -1;
	}
	if (pend >= 0) { /* odd one out: ordinary */
		role_count[R_SHARED]--;
		role_count[R_NORMAL]++;
		S[pend].role = R_NORMAL;
	}

	/* families: 2-3 SIMs on one document, one household */
	for (long i = 0; i < n; i++) {
		int r = S[i].role;
		if (S[i].group >= 0 || (r != R_NORMAL && r != R_UPGRADE && r != R_TRAVELLER && r != R_COURIER))
			continue;
		if (unif() >= 0.06)
			continue;
		int want = irange(1, 2), g = -1;
		for (long j = i + 1; j < n && want > 0; j++) {
			int rj = S[j].role;
			if (S[j].group >= 0 || (rj != R_NORMAL && rj != R_UPGRADE && rj != R_TRAVELLER))
				continue;
			if (g < 0) {
				g = new_group("FAM", ++g_nfamily);
				S[i].group = g;
			}
			S[j].group = g;
			S[j].doc = S[i].doc;
			S[j].home = S[i].home;
			want--;
		}
	}

	/* churn (close) and SIM swaps (new card, same number) */
	for (long i = 0; i < n; i++) {
		struct sim *m = &S[i];
		if (m->role != R_NORMAL)
			continue;
		double u = unif();
		if (u < 0.003) {
			m->churn = 1;
			m->to = g_t0 + (int64_t)(frange(0.1, 0.9) * (double)span());
		} else if (u < 0.006) {
			int64_t ts = g_t0 + (int64_t)(frange(0.1, 0.9) * (double)span());
			int c = new_sim(R_NORMAL, m->op);
			m = &S[i]; /* S may have moved */
			struct sim *cl = &S[c];
			*cl = *m;
			cl->person = (int)i;
			cl->clone = 1;
			cl->imsi = new_imsi(m->op);
			cl->from = ts;
			cl->open_t = ts;
			cl->to = NEVER;
			cl->outlet = pick_retail_outlet();
			m->to = ts;
			m->succ = c;
			role_count[R_NORMAL]++;
		}
	}
	free(roles);
}

static void setup_contacts(void)
{
	int n = g_npers;
	size_t ne = 0, ecap = (size_t)n * 12 + 1024;
	int32_t(*edge)[2] = xmalloc(ecap * sizeof(*edge));
	uint16_t *deg = xcalloc((size_t)n, sizeof(uint16_t));
	uint16_t *want = xcalloc((size_t)n, sizeof(uint16_t));
	/* family first: they are everyone's top contacts */
	int(*gm)[4] = xcalloc((size_t)(g_ngroup + 1), sizeof(*gm));
	for (int i = 0; i < n; i++) {
		int g = S[i].group;
		if (g < 0 || !is_social(S[i].role))
			continue;
		for (int k = 0; k < gm[g][0]; k++) {
			if (ne == ecap) {
				ecap *= 2;
				edge = xrealloc(edge, ecap * sizeof(*edge));
			}
			edge[ne][0] = i;
			edge[ne][1] = gm[g][1 + k];
			ne++;
		}
		if (gm[g][0] < 3)
			gm[g][1 + gm[g][0]++] = i;
	}
	int w = n / 2 < 300 ? n / 2 : 300;
	for (int i = 0; i < n; i++) {
		if (!is_social(S[i].role))
			continue;
		int d = irange(10, 60);
		want[i] = (uint16_t)d;
		int k = (int)(d * frange(0.35, 0.65) / 2 + 0.5);
		for (int e = 0; e < k; e++) {
			int j = -1;
			for (int tries = 0; tries < 8; tries++) {
				int c = ((i + irange(-w, w)) % n + n) % n;
				if (c != i && is_social(S[c].role)) {
					j = c;
					break;
				}
			}
			if (j < 0)
				continue;
			if (ne == ecap) {
				ecap *= 2;
				edge = xrealloc(edge, ecap * sizeof(*edge));
			}
			edge[ne][0] = i;
			edge[ne][1] = j;
			ne++;
		}
	}
	for (size_t e = 0; e < ne; e++) {
		if (deg[edge[e][0]] < 60000)
			deg[edge[e][0]]++;
		if (deg[edge[e][1]] < 60000)
			deg[edge[e][1]]++;
	}
	uint32_t off = 0;
	for (int i = 0; i < n; i++) {
		S[i].c_off = off;
		off += deg[i];
	}
	g_cont = xmalloc((size_t)off * sizeof(int32_t) + 4);
	for (int i = 0; i < n; i++)
		S[i].n_int = 0;
	for (size_t e = 0; e < ne; e++)
		for (int side = 0; side < 2; side++) {
			int a = edge[e][side], b = edge[e][!side];
			if (S[a].n_int < deg[a])
				g_cont[S[a].c_off + S[a].n_int++] = b;
		}
	for (int i = 0; i < n; i++) {
		int ext = (int)want[i] - (int)S[i].n_int;
		S[i].n_ext = (uint16_t)(is_social(S[i].role) ? (ext < 3 ? 3 : ext) : 0);
	}
	/* clones share their person's list */
	for (int s = n; s < g_nsim; s++)
		if (S[s].clone) {
			S[s].c_off = S[S[s].person].c_off;
			S[s].n_int = S[S[s].person].n_int;
			S[s].n_ext = S[S[s].person].n_ext;
		}
	free(edge);
	free(deg);
	free(want);
	free(gm);
}

static void setup_boxes(void)
{
	int nb = cfg.boxes;
	g_box = xcalloc((size_t)(nb ? nb : 1), sizeof(*g_box));
	g_nbox = nb;
	int nmimic = (nb + 1) / 3;
	uint8_t *mim = xcalloc((size_t)(nb ? nb : 1), 1);
	for (int i = 0; i < nmimic; i++)
		mim[i] = 1;
	shuffle_u8(mim, nb);
	for (int bi = 0; bi < nb; bi++) {
		struct box *b = &g_box[bi];
		b->mimic = mim[bi];
		b->ports = irange(8, 32);
		b->bank = b->ports * irange(2, 6);
		b->group = new_group("BOX", bi + 1);
		b->manydoc = bi == 0 ? 1 : bi == 1 ? 0 : unif() < 0.5;
		b->t0 = g_t0 + (int64_t)(unif() * 0.7 * (double)span());
		if (b->mimic) {
			b->h0 = irange(8, 9);
			b->h1 = irange(21, 23);
			b->mean_gap = frange(8, 20) * 60;
			b->ans_p = frange(0.60, 0.70);
			b->ncell = 3;
			int c = pick_cell_block();
			for (int j = 0; j < 3; j++)
				b->cell[j] = c + j;
		} else {
			b->h0 = irange(8, 10);
			b->h1 = irange(20, 22);
			b->interval = frange(60, 180);
			b->ans_p = frange(0.30, 0.50);
			b->ncell = 1;
			b->cell[0] = b->cell[1] = b->cell[2] = (int)below((uint32_t)g_ncells);
		}
		/* ports: one TAC per box, consecutive serials; mimic boxes
		 * sometimes spoof consumer-handset TACs per port */
		uint32_t tac = tac_gateway[below(NELEM(tac_gateway))];
		uint32_t serial = (uint32_t)(rnd() % 900000u);
		b->pt = xcalloc((size_t)b->ports, sizeof(*b->pt));
		b->dev0 = g_ndev;
		for (int p = 0; p < b->ports; p++) {
			struct port *pt = &b->pt[p];
			if (b->mimic && unif() < 0.5) {
				pt->dev = new_consumer_dev();
			} else {
				for (;;) {
					uint64_t imei = make_imei(tac, serial++);
					if (imei) {
						pt->dev = add_dev(imei);
						break;
					}
				}
			}
			pt->sim = -1;
			pt->first = -1;
			pt->next_t = b->t0 + (int64_t)below(b->mimic ? 3600 : 120);
		}
		/* SIM bank: opened 1-20 days before the box starts, in bursts at 1-3 outlets */
		int op = pick_op();
		int nout = irange(1, 3), outs[3];
		for (int j = 0; j < nout; j++) {
			int c = 1 + (int)below((uint32_t)(g_nch - 1));
			c = g_nch - 1 - (c % (g_nch / 2 > 0 ? g_nch / 2 : 1)); /* small dealers */
			outs[j] = g_ch_first[c] + (int)below((uint32_t)g_ch_n[c]);
		}
		b->sim0 = g_nsim;
		int left = b->bank, doc = -1, doc_left = 0, role = b->mimic ? R_MIMIC : R_SIMBOX;
		while (left > 0) {
			int bs = irange(5, 20);
			if (bs > left)
				bs = left;
			int consec = unif() < 0.5;
			int outlet = outs[below((uint32_t)nout)];
			int64_t bt = b->t0 - (int64_t)irange(1, 20) * DAY;
			bt = local_midnight(bt) + irange(10, 18) * HOUR + below(HOUR);
			uint64_t base, msin;
			int pfx = op_prefix(op, rnd());
			for (;;) {
				base = CN_MOBILE(pfx, rnd() % 99990000u);
				msin = rnd() % UINT64_C(9999990000);
				int ok = 1;
				for (int j = 0; j < bs && ok; j++)
					ok = !set_has(&set_imsi, imsi_of(op, msin + (uint64_t)j)) &&
					     (!consec || !set_has(&set_msisdn, base + (uint64_t)j));
				if (ok)
					break;
			}
			for (int j = 0; j < bs; j++) {
				int s = new_sim(role, op);
				struct sim *m = &S[s];
				role_count[role]++;
				if (consec) {
					m->msisdn = base + (uint64_t)j;
					set_add(&set_msisdn, m->msisdn);
				} else { /* same number segment (first 7 digits) */
					for (;;) {
						uint64_t x = base - base % 10000 + rnd() % 10000;
						if (set_add(&set_msisdn, x)) {
							m->msisdn = x;
							break;
						}
					}
				}
				m->imsi = imsi_of(op, msin + (uint64_t)j);
				set_add(&set_imsi, m->imsi);
				bt += irange(40, 300);
				m->open_t = bt;
				m->from = bt;
				m->outlet = outlet;
				m->group = b->group;
				m->box = bi;
				m->last_used = -1 - (int64_t)below(1000000);
				m->cap = (uint16_t)irange(15, 30);
				if (!b->manydoc || doc_left == 0) {
					doc = new_doc(0);
					doc_left = b->manydoc ? irange(5, 10) : 1;
				}
				m->doc = doc;
				doc_left--;
			}
			left -= bs;
		}
	}
	free(mim);
}

static void setup_activations(void)
{
	for (int s = 0; s < g_nsim; s++) {
		const struct sim *m = &S[s];
		if (m->clone) {
			add_act(m->from, A_SWAP, s);
			continue;
		}
		add_act(m->open_t, A_OPEN, s);
		if (m->churn)
			add_act(m->to, A_CLOSE, s);
	}
}

/* ------------------------------------------------------------------ */
/* output                                                               */

struct wbuf {
	FILE *f;
	char *b;
	size_t n, cap;
	const char *path;
};

static void wflush(struct wbuf *w)
{
	if (w->n && fwrite(w->b, 1, w->n, w->f) != w->n) {
		fprintf(stderr, "scenario_gen: write %s: %s\n", w->path, strerror(errno));
		exit(1);
	}
	w->n = 0;
}

static char *wres(struct wbuf *w, size_t need)
{
	if (w->n + need > w->cap)
		wflush(w);
	return w->b + w->n;
}

static void wopen(struct wbuf *w, const char *dir, const char *name)
{
	static char path[3][4096];
	static int np;
	char *pth = path[np++ % 3];
	snprintf(pth, 4096, "%s/%s", dir, name);
	w->f = fopen(pth, "wb");
	if (!w->f) {
		fprintf(stderr, "scenario_gen: %s: %s\n", pth, strerror(errno));
		exit(1);
	}
	w->path = pth;
	w->cap = 4u << 20;
	w->b = xmalloc(w->cap);
	w->n = 0;
}

static void wclose(struct wbuf *w)
{
	wflush(w);
	if (fclose(w->f) != 0) {
		fprintf(stderr, "scenario_gen: close %s: %s\n", w->path, strerror(errno));
		exit(1);
	}
	free(w->b);
}

static const char digits2[201] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
				 "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
				 "8081828384858687888990919293949596979899";

static inline char *put_u64(char *p, uint64_t v)
{
	char tmp[24];
	int n = 24;
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		tmp[--n] = digits2[2 * r + 1];
		tmp[--n] = digits2[2 * r];
	}
	if (v >= 10) {
		tmp[--n] = digits2[2 * v + 1];
		tmp[--n] = digits2[2 * v];
	} else {
		tmp[--n] = (char)('0' + v);
	}
	memcpy(p, tmp + n, (size_t)(24 - n));
	return p + (24 - n);
}

static inline char *put_str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

static inline char *put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

static void civil(int64_t z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const int64_t yy = (int64_t)yoe + era * 400;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (*m <= 2));
}

/* ISO 8601: UTC with Z, or China local time with +08:00. */
static char *put_iso(char *p, int64_t t, int local)
{
	static int64_t cday = INT64_MIN;
	static char cdate[40];
	if (local)
		t += LOCAL_OFF;
	int64_t day = t >= 0 ? t / DAY : (t - DAY + 1) / DAY, sod = t - day * DAY;
	if (day != cday) {
		int y;
		unsigned m, d;
		civil(day, &y, &m, &d);
		snprintf(cdate, sizeof(cdate), "%04d-%02u-%02u", y, m, d);
		cday = day;
	}
	memcpy(p, cdate, 10);
	p += 10;
	*p++ = 'T';
	p = put2(p, (unsigned)(sod / 3600));
	*p++ = ':';
	p = put2(p, (unsigned)(sod / 60 % 60));
	*p++ = ':';
	p = put2(p, (unsigned)(sod % 60));
	return put_str(p, local ? "+08:00" : "Z");
}

static char *put_time(char *p, int64_t t, uint64_t h)
{
	if (cfg.plain)
		return put_iso(p, t, 0);
	unsigned x = (unsigned)(h % 100);
	if (x < 86)
		return put_iso(p, t, 0);
	if (x < 95)
		return put_u64(p, (uint64_t)t);
	if (x < 98)
		return put_iso(p, t, 1);
	p = put_u64(p, (uint64_t)t);
	return put_str(p, ".000");
}

static char *put_imei(char *p, uint64_t imei, uint64_t h)
{
	unsigned x = cfg.plain ? 99 : (unsigned)(h % 100);
	if (x < 2) /* 14 digits: no check digit */
		return put_u64(p, imei / 10);
	if (x < 4) { /* IMEISV: TAC+SNR + 2-digit software version */
		p = put_u64(p, imei / 10);
		return put2(p, (unsigned)(1 + (imei >> 3) % 60));
	}
	return put_u64(p, imei);
}

static char *put_text(char *p, int aux, uint64_t h)
{
	const char *s = sms_text[aux];
	int quote = strpbrk(s, ",\"\n") != NULL;
	if (quote)
		*p++ = '"';
	for (; *s; s++) {
		if (*s == '#') {
			*p++ = (char)('0' + h % 10);
			h = h / 10 ? h / 10 : ss_hash_mix(h + 7);
		} else if (*s == '"') {
			*p++ = '"';
			*p++ = '"';
		} else {
			*p++ = *s;
		}
	}
	if (quote)
		*p++ = '"';
	return p;
}

static uint64_t g_rows;
static const char *const type_name[] = { "voice", "sms", "data" };

/* msisdn, imsi and person of every SIM, packed for cache-friendly writing */
struct ids {
	uint64_t msisdn, imsi;
};
static struct ids *g_ids;

static void write_ev(struct wbuf *w, const struct ev *e)
{
	char *p0 = wres(w, 1024), *p = p0;
	const struct ids *m = &g_ids[e->sim];
	int64_t t = g_t0 + (int64_t)e->t;
	uint64_t h = ss_hash_mix(g_rows ^ g_seedh);
	int type = e->kind & 3;
	int sw = e->cell >= 0 ? (int)((unsigned)cell_lac(e->cell) % 7) + 1 : 9;

	/* record_id */
	p = put_str(p, "SW");
	*p++ = (char)('0' + sw);
	*p++ = '-';
	{
		uint64_t v = g_rows;
		for (int i = 10; i >= 0; i--) {
			p[i] = (char)('0' + v % 10);
			v /= 10;
		}
		p += 11;
		if (v) /* beyond 10^11 rows: keep unique */
			p = put_u64(p, v);
	}
	*p++ = ',';
	p = put_time(p, t, h);
	*p++ = ',';
	p = put_str(p, type_name[type]);
	p = put_str(p, (e->kind & K_MT) ? ",mt," : ",mo,");
	p = put_u64(p, m->msisdn);
	*p++ = ',';
	p = put_u64(p, m->imsi);
	*p++ = ',';
	if (e->dev >= 0)
		p = put_imei(p, g_dev[e->dev], h >> 8);
	*p++ = ',';
	if (e->other)
		p = put_u64(p, e->other);
	*p++ = ',';
	if (type == T_VOICE) {
		p = put_u64(p, e->dur);
		*p++ = ',';
		*p++ = (e->kind & K_ANS) ? '1' : '0';
	} else {
		*p++ = ',';
	}
	*p++ = ',';
	if (e->cell >= 0) {
		p = put_str(p, "460-00-");
		p = put_u64(p, (uint64_t)cell_lac(e->cell));
		*p++ = '-';
		p = put_u64(p, (uint64_t)cell_ci(e->cell));
		*p++ = ',';
	} else if (e->cell <= -2) {
		const char *pl = plmn_code[-2 - e->cell];
		uint64_t hc = hh3(0xf0e1, (uint64_t)S[e->sim].person, (uint64_t)(e->t / DAY));
		memcpy(p, pl, 3);
		p += 3;
		*p++ = '-';
		p = put_str(p, pl + 3);
		*p++ = '-';
		p = put_u64(p, 100 + hc % 9000);
		*p++ = '-';
		p = put_u64(p, 1000 + (hc >> 16) % 60000 + (hh(hc, e->t) % 4));
		*p++ = ',';
		p = put_str(p, pl);
	} else {
		*p++ = ',';
	}
	*p++ = ',';
	if (type == T_SMS && e->aux)
		p = put_text(p, e->aux, h >> 16);
	*p++ = '\n';
	w->n += (size_t)(p - p0);
	g_rows++;
}

/* Stable LSD radix sort of E[0..n) by key, using E2 as scratch. */
static void sort_events(size_t n)
{
	if (n < 2)
		return;
	uint32_t mn = UINT32_MAX, mx = 0;
	for (size_t i = 0; i < n; i++) {
		if (E[i].key < mn)
			mn = E[i].key;
		if (E[i].key > mx)
			mx = E[i].key;
	}
	static size_t e2cap;
	if (e2cap < n) {
		free(E2);
		e2cap = g_evcap > n ? g_evcap : n;
		E2 = xmalloc(e2cap * sizeof(*E2));
	}
	uint32_t range = mx - mn;
	struct ev *src = E, *dst = E2;
	for (int shift = 0; shift < 32 && (shift == 0 || (range >> shift)); shift += 11) {
		size_t cnt[2049];
		memset(cnt, 0, sizeof(cnt));
		for (size_t i = 0; i < n; i++)
			cnt[((src[i].key - mn) >> shift & 2047) + 1]++;
		for (int b = 1; b <= 2048; b++)
			cnt[b] += cnt[b - 1];
		for (size_t i = 0; i < n; i++)
			dst[cnt[(src[i].key - mn) >> shift & 2047]++] = src[i];
		struct ev *x = src;
		src = dst;
		dst = x;
	}
	if (src != E)
		memcpy(E, src, n * sizeof(*E));
}

static int cmp_act(const void *a, const void *b)
{
	const struct actev *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void render_iccid(const struct sim *m, char out[48])
{
	/* 8986 + operator + "21" + MSIN(10) + batch digit + Luhn = 20 digits */
	uint64_t msin = m->imsi % UINT64_C(10000000000);
	char body[24];
	snprintf(body, sizeof(body), "8986%02d21%010llu%d", op_iccid[m->op], (unsigned long long)msin,
		 (int)(m->imsi % 7));
	int sum = 0, dbl = 1;
	for (int i = (int)strlen(body) - 1; i >= 0; i--) {
		int d = body[i] - '0';
		if (dbl) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
		dbl = !dbl;
	}
	snprintf(out, 48, "%s%d", body, (10 - sum % 10) % 10);
}

static void write_activations(const char *dir)
{
	struct wbuf w;
	wopen(&w, dir, "activations.csv");
	char *p = wres(&w, 256);
	int n = sprintf(p, "time,event,msisdn,imsi,iccid,id_doc,id_type,channel,outlet,sim_type\n");
	w.n += (size_t)n;
	qsort(g_act, (size_t)g_nact, sizeof(*g_act), cmp_act);
	for (int i = 0; i < g_nact; i++) {
		const struct actev *a = &g_act[i];
		const struct sim *m = &S[a->sim];
		char iccid[48], doc[20];
		render_iccid(m, iccid);
		render_doc(m->doc, doc);
		p = wres(&w, 512);
		char *q = p;
		uint64_t h = ss_hash_mix((uint64_t)i ^ g_seedh ^ 0xac7);
		if (!cfg.plain && h % 10 == 0)
			q = put_u64(q, (uint64_t)a->t);
		else
			q = put_iso(q, a->t, 0);
		const struct outlet *o = &g_outlet[m->outlet];
		n = sprintf(q, ",%s,%llu,%llu,%s,%s,%s,CH-%04d,%s,consumer\n", act_name[a->ev],
			    (unsigned long long)m->msisdn, (unsigned long long)m->imsi, iccid, doc,
			    g_doc[m->doc].enterprise ? "enterprise" : "personal", o->ch, o->code);
		q += n;
		w.n += (size_t)(q - p);
	}
	wclose(&w);
}

static void put_opt_time(struct wbuf *w, int64_t t)
{
	if (t >= 0) {
		char *p = wres(w, 64), *q = put_iso(p, t, 0);
		w->n += (size_t)(q - p);
	}
}

static void write_truth(const char *dir)
{
	struct wbuf w;
	wopen(&w, dir, "truth.csv");
	char *p = wres(&w, 128);
	int n = sprintf(p, "kind,imsi,msisdn,imei,role,group,fraud_start\n");
	w.n += (size_t)n;
	for (int s = 0; s < g_nsim; s++) {
		const struct sim *m = &S[s];
		p = wres(&w, 256);
		char *q = p;
		q = put_str(q, "sim,");
		q = put_u64(q, m->imsi);
		*q++ = ',';
		q = put_u64(q, m->msisdn);
		*q++ = ',';
		if (m->box < 0) {
			int32_t a = m->dev_a, b = m->dev_b;
			if (a >= 0)
				q = put_u64(q, g_dev[a]);
			if (b >= 0 && b != a && m->switch_t < g_tend) {
				if (a >= 0)
					*q++ = ';';
				q = put_u64(q, g_dev[b]);
			}
		}
		*q++ = ',';
		q = put_str(q, role_name[m->role]);
		*q++ = ',';
		if (m->group >= 0)
			q = put_str(q, g_group[m->group]);
		*q++ = ',';
		w.n += (size_t)(q - p);
		put_opt_time(&w, m->fraud_start);
		p = wres(&w, 4);
		*p = '\n';
		w.n++;
	}
	for (int bi = 0; bi < g_nbox; bi++) {
		const struct box *b = &g_box[bi];
		for (int pi = 0; pi < b->ports; pi++) {
			p = wres(&w, 256);
			n = sprintf(p, "imei,,,%llu,%s,%s,", (unsigned long long)g_dev[b->pt[pi].dev],
				    b->mimic ? "mimic_imei" : "simbox_imei", g_group[b->group]);
			w.n += (size_t)n;
			put_opt_time(&w, b->pt[pi].first);
			p = wres(&w, 4);
			*p = '\n';
			w.n++;
		}
	}
	wclose(&w);
}

/* ------------------------------------------------------------------ */
/* main                                                                 */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: scenario_gen --out DIR [--subscribers N=10000] [--days D=10] [--seed S=1]\n"
		"                    [--boxes B (default max(4, N/1000))] [--start 2026-11-01T00:00:00Z]\n"
		"                    [--shuffle-minutes M=3] [--formats mixed|plain]\n"
		"Writes DIR/cdr.csv, DIR/activations.csv, DIR/truth.csv (see docs/scenarios.md).\n");
}

static long parse_long(const char *opt, const char *v, long lo, long hi)
{
	char *end;
	errno = 0;
	long x = strtol(v, &end, 10);
	if (errno || *end || end == v || x < lo || x > hi) {
		fprintf(stderr, "scenario_gen: bad value for %s: '%s' (%ld..%ld)\n", opt, v, lo, hi);
		exit(2);
	}
	return x;
}

static void parse_args(int argc, char **argv)
{
	ss_time_us st;
	if (ss_time_parse("2026-11-01T00:00:00Z", 20, &st))
		die("internal: default start");
	cfg.start = st / SS_US_PER_SEC;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			exit(0);
		}
		if (i + 1 >= argc) {
			usage(stderr);
			exit(2);
		}
		const char *v = argv[++i];
		if (!strcmp(a, "--out"))
			cfg.out = v;
		else if (!strcmp(a, "--subscribers"))
			cfg.n = parse_long(a, v, 300, 50000000);
		else if (!strcmp(a, "--days"))
			cfg.days = (int)parse_long(a, v, 1, 200);
		else if (!strcmp(a, "--seed")) {
			char *end;
			errno = 0;
			cfg.seed = strtoull(v, &end, 0);
			if (errno || *end || end == v)
				die("bad --seed");
		} else if (!strcmp(a, "--boxes"))
			cfg.boxes = (int)parse_long(a, v, 0, 100000);
		else if (!strcmp(a, "--shuffle-minutes"))
			cfg.shuffle_min = (int)parse_long(a, v, 0, 120);
		else if (!strcmp(a, "--start")) {
			if (ss_time_parse(v, strlen(v), &st) || st < 0)
				die("bad --start (ISO 8601 with Z/offset, or epoch seconds)");
			cfg.start = st / SS_US_PER_SEC;
		} else if (!strcmp(a, "--formats")) {
			if (!strcmp(v, "plain"))
				cfg.plain = 1;
			else if (!strcmp(v, "mixed"))
				cfg.plain = 0;
			else
				die("--formats must be mixed or plain");
		} else {
			fprintf(stderr, "scenario_gen: unknown option %s\n", a);
			usage(stderr);
			exit(2);
		}
	}
	if (!cfg.out) {
		usage(stderr);
		exit(2);
	}
	if (cfg.boxes < 0) {
		cfg.boxes = (int)((cfg.n + 500) / 1000);
		if (cfg.boxes < 4)
			cfg.boxes = 4;
	}
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	parse_args(argc, argv);
	double t_begin = now_s();
	g_t0 = cfg.start;
	g_tend = g_t0 + (int64_t)cfg.days * DAY;
	rnd_seed(cfg.seed);
	make_cdf(w_calls, cdf_calls);
	make_cdf(w_data, cdf_data);
	g_ncells = cfg.n / 4 > 300 ? (int)(cfg.n / 4) : 300;

	setup_outlets();
	setup_people();
	setup_boxes();
	setup_contacts();
	setup_activations();

	if (mkdir(cfg.out, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "scenario_gen: mkdir %s: %s\n", cfg.out, strerror(errno));
		return 1;
	}
	struct wbuf w;
	wopen(&w, cfg.out, "cdr.csv");
	{
		static const char hdr[] = "record_id,start_time,record_type,direction,served_msisdn,served_imsi,"
					  "served_imei,other_party,duration,answered,cell_id,visited_plmn,sms_text\n";
		char *p = wres(&w, sizeof(hdr));
		memcpy(p, hdr, sizeof(hdr) - 1);
		w.n += sizeof(hdr) - 1;
	}
	g_ids = xmalloc((size_t)g_nsim * sizeof(*g_ids));
	for (int s = 0; s < g_nsim; s++) {
		g_ids[s].msisdn = S[s].msisdn;
		g_ids[s].imsi = S[s].imsi;
	}
	uint32_t jit = (uint32_t)cfg.shuffle_min * 60;
	for (int d = 0; d < cfg.days; d++) {
		int64_t ds = g_t0 + (int64_t)d * DAY, de = ds + DAY;
		size_t first_new = g_nev;
		for (int p = 0; p < g_npers; p++) {
			switch (S[p].role) {
			case R_COURIER:
				gen_courier(p, ds);
				break;
			case R_CALLCENTRE:
				gen_agent(p, ds);
				break;
			default:
				gen_life(p, ds, is_workday(ds + 12 * HOUR) ? 1.0 : 0.9);
				break;
			}
		}
		for (int b = 0; b < g_nbox; b++)
			gen_box_day(&g_box[b], de);
		for (size_t i = first_new; i < g_nev; i++)
			E[i].key = E[i].t + (jit ? below(jit + 1) : 0);
		sort_events(g_nev);
		size_t nw = g_nev;
		if (d + 1 < cfg.days) {
			uint32_t lim = (uint32_t)(de - g_t0);
			size_t lo = 0, hi = g_nev;
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (E[mid].key < lim)
					lo = mid + 1;
				else
					hi = mid;
			}
			nw = lo;
		}
		for (size_t i = 0; i < nw; i++) {
			if (i + 16 < nw) { /* rows hit SIMs and handsets at random */
				__builtin_prefetch(&g_ids[E[i + 16].sim]);
				if (E[i + 16].dev >= 0)
					__builtin_prefetch(&g_dev[E[i + 16].dev]);
			}
			write_ev(&w, &E[i]);
		}
		memmove(E, E + nw, (g_nev - nw) * sizeof(*E));
		g_nev -= nw;
	}
	wclose(&w);
	write_activations(cfg.out);
	write_truth(cfg.out);

	int nports = 0, nmimic = 0;
	for (int b = 0; b < g_nbox; b++) {
		nports += g_box[b].ports;
		nmimic += g_box[b].mimic;
	}
	double el = now_s() - t_begin;
	printf("scenario_gen: %s: cdr_rows=%llu activation_rows=%d truth_rows=%d | normal=%d courier=%d "
	       "shared_phone=%d upgrade=%d call_centre=%d traveller=%d simbox_sim=%d mimic_sim=%d | "
	       "boxes=%d mimic_boxes=%d gateway_imeis=%d call_centres=%d families=%d | %.2f s, %.2f M rows/s\n",
	       cfg.out, (unsigned long long)g_rows, g_nact, g_nsim + nports, role_count[R_NORMAL],
	       role_count[R_COURIER], role_count[R_SHARED], role_count[R_UPGRADE], role_count[R_CALLCENTRE],
	       role_count[R_TRAVELLER], role_count[R_SIMBOX], role_count[R_MIMIC], g_nbox, nmimic, nports,
	       g_ncentre, g_nfamily, el, el > 0 ? (double)g_rows / el / 1e6 : 0.0);
	return 0;
}
