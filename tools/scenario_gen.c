/*
 * scenario_gen.c - synthetic but realistic CDR / SIM-activation scenarios with
 * ground truth, for testing and measuring simsieve.
 *
 *   scenario_gen --out DIR [--subscribers N] [--days D] [--seed S] [--boxes B]
 *                [--start ISO] [--shuffle-minutes M] [--formats mixed|plain]
 *                [--families simbox,bulk,idmany,silent,roaming,wangiri,lists,sms]
 *
 * Writes DIR/cdr.csv (cdr.md), DIR/activations.csv (activation.md),
 * DIR/truth.csv and DIR/lists.csv (rep import format), and prints a one-line
 * summary.  The families other than simbox draw from a second random stream,
 * so `--families simbox` gives the same files as before they existed.  Every distribution and
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
	unsigned families;
} cfg = { NULL, 10000, 10, 1, -1, 0, 3, 0, 0x7f };

/* --families bits */
enum { F_SIMBOX = 1, F_BULK = 2, F_IDMANY = 4, F_SILENT = 8, F_ROAMING = 16, F_WANGIRI = 32, F_LISTS = 64, F_SMS = 128 };
static const char *const family_name[] = { "simbox", "bulk", "idmany", "silent", "roaming", "wangiri", "lists", "sms" };

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

static uint64_t rs[4], rs_alt[4];

/* Switch between the main stream and the stream of the issue-5 families
 * (bulk, idmany, silent, roaming, wangiri, lists), so that adding or
 * removing those never moves a single draw of the original population. */
static void rng_swap(void)
{
	uint64_t t[4];
	memcpy(t, rs, sizeof(t));
	memcpy(rs, rs_alt, sizeof(t));
	memcpy(rs_alt, t, sizeof(t));
}

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
	x = seed ^ UINT64_C(0xfa3117e5b0a7d00d);
	for (int i = 0; i < 4; i++) {
		x += UINT64_C(0x9e3779b97f4a7c15);
		rs_alt[i] = ss_hash_mix(x);
	}
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
static const uint32_t tac_iot[] = { 86456403, 35917509, 86970604 }; /* IoT modules */

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

enum role {
	R_NORMAL, R_COURIER, R_SHARED, R_UPGRADE, R_CALLCENTRE, R_TRAVELLER, R_SIMBOX, R_MIMIC,
	/* issue-5 families: fraud */
	R_BULK_DOC, R_BULK_IDS, R_IDMANY, R_SILENT, R_DORMANT, R_ROAMFRESH, R_ROAMIOT, R_LBSIM,
	/* issue-5 families: hard negatives */
	R_IDCHURNED, R_ENTERPRISE, R_FAMILY, R_TRAVRISK, R_WALKIN,
	/* sms family: fraud, then the hard negative */
	R_SMS_SCAM, R_SMS_CAMPAIGN, R_SMS_FWD,
	R__N
};
static const char *const role_name[R__N] = {
	"normal", "courier", "shared_phone", "upgrade", "call_centre", "traveller", "simbox_sim", "mimic_sim",
	"bulk_reused_doc", "bulk_bought_ids", "id_many", "silent_wake", "dormant_wake", "roamer_fresh",
	"roamer_iot", "listed_black_sim", "id_churned", "enterprise_batch", "family", "traveller_risk", "walk_in",
	"sms_scam_sender", "sms_campaign_sender", "sms_forwarder"
};

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
	/* issue-5 families */
	uint8_t iot, fs_mode, iccid_batch, sms_mode, quiet;
	int64_t wake_t;		  /* heavy outbound / roaming starts */
	int32_t g0, gn;		  /* peer group: SIMs g0..g0+gn-1 */
	uint8_t sms_fam, sms_lo;  /* sms family: scam template family; low-volume sender */
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

static const char *const plmn_code[] = { "45400", "45406", "52501", "44010", "45005", "52001", "50212",
					 "23415", "41401", "45601",
					 /* high-risk networks (issue 5), index PLMN_RISK0.. */
					 "41401", "41405", "41406", "45701", "45702", "45708", "45601",
					 "45602", "45606", "42402", "42403", "51502", "51503" };
static const double plmn_w[] = { 0.22, 0.10, 0.14, 0.16, 0.10, 0.10, 0.08, 0.06, 0.02, 0.02 };
#define PLMN_TRAVELLER 10 /* the traveller role draws from the first 10 */
#define PLMN_RISK0 10
#define PLMN_NRISK 13

#define CELL_NONE (-1)
#define CELL_ROAM(i) (-2 - (i))

static int32_t cell_at(int s, int64_t t)
{
	const struct sim *m = &S[s];
	int d = scen_day(t);
	int h = local_hour(t);
	uint64_t hd = hh3(0xce11, (uint64_t)m->person, (uint64_t)d);
	uint64_t ht = hh(hd, (uint64_t)t);

	if ((m->role == R_TRAVELLER || m->role == R_TRAVRISK) && d >= m->roam_d0 && d < m->roam_d0 + m->roam_len)
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
	/* issue-5 roles: 1 first outbound call/SMS, 2 first roaming record, 3 first event */
	int fm = S[s].fs_mode;
	if (fm && (S[s].fraud_start < 0 || t < S[s].fraud_start) &&
	    ((fm == 1 && !mt && type != T_DATA) || (fm == 2 && cell <= -2) || fm == 3))
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
	"在吗", "收到", "好的，马上到", "今天忙吗",
	/* 20..25 scam texts (bulk / silent / listed senders) */
	"【快递理赔】您的包裹丢失，请加客服QQ########办理双倍理赔。",
	"您的ETC认证已失效，请点击 http://etc-rz.cn/#### 重新认证，逾期停用。",
	"【医保中心】您的医保卡异常已冻结，详询客服0##########。",
	"恭喜您获得平台返利####元，请联系专员领取，名额有限。",
	"您好，我是你领导，明天到我办公室来一趟，先加我微信",
	"【征信中心】您的学贷账户需注销，否则影响征信，回复1办理。",
	/* 26..27 telemarketing (gray-listed senders) */
	"【理财】年化收益8%，稳赚不赔，回T退订", "【装修】免费上门量房，全屋定制#折，退订回T"
};
#define SMS_SCAM0 20
#define SMS_NSCAM 6
#define SMS_PROMO0 26
#define SMS_NPROMO 2
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
	int roaming = (m->role == R_TRAVELLER || m->role == R_TRAVRISK) && scen_day(ds) >= m->roam_d0 &&
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
			for (; j < PLMN_TRAVELLER - 1; j++) {
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
/* issue-5 families: bulk opening, one-ID-many-cards, silent/dormant     */
/* wake-up, high-risk roaming, wangiri, black/gray lists, and their      */
/* hard negatives.  Everything here runs on the second random stream     */
/* (rng_swap), after the original population is complete.                */

static int g_x0; /* first SIM of these families */

/* Count for N subscribers: @per10k at N = 10,000, at least @min. */
static int scale_n(double per10k, int min)
{
	long v = lround(per10k * (double)cfg.n / 10000.0);
	return v < min ? min : (int)v;
}

/* An opening time on the local day of @t, between local hours h0 and h1. */
static int64_t shop_time(int64_t t, int h0, int h1)
{
	return local_midnight(t) + (int64_t)h0 * HOUR + (int64_t)below((uint32_t)((h1 - h0) * HOUR));
}

/* An outlet of one of the smaller dealer channels (rare openings). */
static int small_outlet(void)
{
	int half = g_nch / 2 > 0 ? g_nch / 2 : 1;
	int c = g_nch - 1 - (int)below((uint32_t)half);
	if (c < 1)
		c = 1;
	return g_ch_first[c] + (int)below((uint32_t)g_ch_n[c]);
}

/* A free block of @n consecutive MSISDNs (segment @pfx, or the operator's) and MSINs. */
static void alloc_block(int op, int pfx, int n, uint64_t *msisdn, uint64_t *msin)
{
	for (;;) {
		uint64_t b = CN_MOBILE(pfx > 0 ? pfx : op_prefix(op, rnd()), rnd() % (99990000u - (uint32_t)n));
		uint64_t m = rnd() % (UINT64_C(9999990000) - (uint64_t)n);
		int ok = 1;
		for (int j = 0; j < n && ok; j++)
			ok = !set_has(&set_msisdn, b + (uint64_t)j) && !set_has(&set_imsi, imsi_of(op, m + (uint64_t)j));
		if (ok) {
			*msisdn = b;
			*msin = m;
			return;
		}
	}
}

/* A new SIM of these families; msisdn/imsi 0 = draw fresh ones.  Returns its index. */
static int x_sim(int role, int op, uint64_t msisdn, uint64_t imsi, int64_t open_t, int outlet, int doc)
{
	int s = new_sim(role, op);
	struct sim *m = &S[s];
	role_count[role]++;
	m->msisdn = msisdn ? msisdn : new_msisdn(op);
	m->imsi = imsi ? imsi : new_imsi(op);
	set_add(&set_msisdn, m->msisdn);
	set_add(&set_imsi, m->imsi);
	m->open_t = open_t;
	m->from = open_t;
	m->outlet = outlet;
	m->doc = doc;
	m->wake_t = NEVER;
	m->home = (int)below((uint32_t)g_ncells);
	m->work = unif() < 0.6 ? (int)below((uint32_t)g_ncells) : -1;
	m->dev_a = new_consumer_dev();
	m->act = (float)frange(0.6, 1.4);
	m->lam_mo = (float)frange(2.0, 6.0);
	m->lam_mt = (float)frange(0.8, 2.5);
	m->n_ext = (uint16_t)irange(10, 40); /* all contacts external (hashed) */
	return s;
}

static int random_op_sim(int role, int64_t open_t, int outlet, int doc)
{
	return x_sim(role, pick_op(), 0, 0, open_t, outlet, doc);
}

/* Heavy outbound to strangers from wake_t on: the fraud pattern of bulk,
 * silent, dormant and id_many cards. */
static void x_wake_setup(int s, int64_t wake_t, double p_sms)
{
	S[s].wake_t = wake_t;
	S[s].sms_mode = unif() < p_sms;
}

/* External numbers of these families (kind=number truth rows). */
enum { N_WANGIRI, N_LBLACK, N_BANK, N_LGRAY, N_SMS_BANK, N_SMS_COURIER, N_SMS_ANTIFRAUD, N_SMS_OPERATOR,
       N_SMS_MARKETING, N__N };
static const char *const nrole_name[N__N] = { "wangiri",       "listed_black", "bank_centre",
					      "listed_gray",   "sms_bank",     "sms_courier",
					      "sms_antifraud", "sms_operator", "sms_marketing" };
struct xnum {
	uint64_t num;
	uint8_t role;
	int64_t fraud_start;
	double ans_p;
	int nb;
	int64_t t[8]; /* wangiri burst starts / listed numbers' contact times */
	int32_t len[8], cnt[8];
};
static struct xnum *g_xn;
static int g_nxn, g_xncap;
static int nrole_count[N__N];
static struct u64set set_xnum; /* numbers of xnum rows and list entries */

static int new_xnum(int role, uint64_t num)
{
	if (g_nxn == g_xncap) {
		g_xncap = g_xncap ? g_xncap * 2 : 64;
		g_xn = xrealloc(g_xn, (size_t)g_xncap * sizeof(*g_xn));
	}
	struct xnum *x = &g_xn[g_nxn];
	memset(x, 0, sizeof(*x));
	x->num = num;
	x->role = (uint8_t)role;
	x->fraud_start = -1;
	set_add(&set_xnum, num);
	nrole_count[role]++;
	return g_nxn++;
}

static void xnum_touch(int i, int64_t t)
{
	if (t >= g_t0 && t < g_tend && (g_xn[i].fraud_start < 0 || t < g_xn[i].fraud_start))
		g_xn[i].fraud_start = t;
}

/* Virtual-operator segments: never subscribers, never random external contacts. */
static const int pfx_virtual[] = { 162, 165, 167, 170, 171 };

static uint64_t fresh_number(uint64_t num)
{
	return !set_has(&set_xnum, num) && !set_has(&set_msisdn, num) ? num : 0;
}

static uint64_t virtual_number(void)
{
	for (;;) {
		uint64_t n = fresh_number(CN_MOBILE(pfx_virtual[below(NELEM(pfx_virtual))], rnd() % 100000000u));
		if (n)
			return n;
	}
}

/* cc + @digits digits */
static uint64_t intl_number(int cc, int digits)
{
	uint64_t p10 = 1;
	for (int i = 0; i < digits; i++)
		p10 *= 10;
	uint64_t base = (uint64_t)cc * p10;
	for (;;) {
		uint64_t n = fresh_number(base + p10 / 10 + rnd() % (p10 - p10 / 10));
		if (n)
			return n;
	}
}

static const struct {
	int cc, digits;
} wangiri_cc[] = { { 882, 9 }, { 371, 8 }, { 216, 8 }, { 252, 8 }, { 225, 10 }, { 236, 8 }, { 881, 9 } };

/* lists.csv entries: number, list (1 black, 2 gray), source */
struct lentry {
	uint64_t num;
	uint8_t list, src, prefixed;
};
static struct lentry *g_le;
static int g_nle, g_lecap;
static const char *const black_src[] = { "gov-96110", "industry-share", "police-notice", "operator-fraud" };
static const char *const gray_src[] = { "industry-share", "user-report", "crowd-12321" };

static void add_list(uint64_t num, int list)
{
	if (g_nle == g_lecap) {
		g_lecap = g_lecap ? g_lecap * 2 : 1024;
		g_le = xrealloc(g_le, (size_t)g_lecap * sizeof(*g_le));
	}
	struct lentry *e = &g_le[g_nle++];
	e->num = num;
	e->list = (uint8_t)list;
	e->src = (uint8_t)below(list == 1 ? NELEM(black_src) : NELEM(gray_src));
	e->prefixed = unif() < 0.5;
	set_add(&set_xnum, num);
}

/* A list entry that never appears in the traffic. */
static uint64_t filler_number(void)
{
	double u = unif();
	if (u < 0.6)
		return virtual_number();
	if (u < 0.8) { /* risk countries and satellite ranges */
		static const struct {
			int cc, digits;
		} f[] = { { 855, 9 }, { 95, 9 }, { 63, 10 }, { 856, 10 }, { 971, 9 }, { 882, 9 }, { 881, 9 } };
		int k = (int)below(NELEM(f));
		return intl_number(f[k].cc, f[k].digits);
	}
	static const int area[] = { 898, 592, 760, 771 }; /* areas the traffic never uses */
	for (;;) {
		uint64_t n = fresh_number(UINT64_C(8600000000000) + (uint64_t)area[below(NELEM(area))] * 100000000u +
					  20000000u + rnd() % 80000000u);
		if (n)
			return n;
	}
}

/* Open times of a burst: first at @t0, last at @t0 + @span, the rest between, sorted. */
static void burst_times(int64_t *t, int n, int64_t t0, int64_t span_s)
{
	for (int i = 0; i < n; i++)
		t[i] = t0 + (i == 0 ? 0 : i == n - 1 ? span_s : (int64_t)below((uint32_t)span_s));
	for (int i = 1; i < n; i++) /* insertion sort */
		for (int j = i; j > 0 && t[j] < t[j - 1]; j--) {
			int64_t x = t[j];
			t[j] = t[j - 1];
			t[j - 1] = x;
		}
}

static int scen_days_clamp(int d)
{
	return clampi(d, 0, cfg.days - 1);
}

/* A day of the first 60% of the scenario (bursts, enterprise openings). */
static int64_t early_day(void)
{
	int last = (int)(cfg.days * 0.6);
	return g_t0 + (int64_t)irange(0, last > 0 ? last - 1 : 0) * DAY;
}

/* Bulk-opened batches at one small outlet; cards on 1-3 reused documents
 * (reused) or one fresh document each (bought identities). */
static void setup_bulk(int reused)
{
	int nb = scale_n(3, 1);
	for (int bi = 0; bi < nb; bi++) {
		int size = reused ? irange(10, 30) : irange(15, 40);
		int outlet = small_outlet(), op = pick_op();
		int g = new_group(reused ? "BRD" : "BBI", bi + 1);
		int64_t start = shop_time(early_day(), 10, 16);
		int64_t t[40];
		burst_times(t, size, start, (int64_t)(frange(reused ? 1.0 : 1.0, reused ? 3.0 : 4.0) * HOUR));
		int ndoc = reused ? irange(1, size / 6 < 3 ? size / 6 : 3) : 0;
		int batch = 1 + (int)below(9);
		uint64_t base = 0, msin = 0;
		int run = 0, doc = -1;
		for (int j = 0; j < size; j++) {
			if (run == 0) { /* reused: one consecutive block; bought: runs of 4-12 */
				run = reused ? size : irange(4, 12);
				if (run > size - j)
					run = size - j;
				alloc_block(op, 0, run, &base, &msin);
			}
			if (!reused || j == 0 || j * ndoc / size != (j - 1) * ndoc / size)
				doc = new_doc(0); /* reused: ndoc chunks of > 5 cards */
			int s = x_sim(reused ? R_BULK_DOC : R_BULK_IDS, op, base, imsi_of(op, msin), t[j], outlet, doc);
			base++;
			msin++;
			run--;
			struct sim *m = &S[s];
			m->group = g;
			m->iccid_batch = (uint8_t)batch;
			m->fraud_start = t[size - 1]; /* the burst is complete */
			if (unif() < 0.8) /* quiet 2-5 days, then calls strangers */
				x_wake_setup(s, shop_time(t[size - 1] + (int64_t)irange(2, 5) * DAY, 9, 20), 0.25);
		}
		/* the outlet's ordinary walk-in customers, 30 days before and during the scenario */
		double rate = frange(0.2, 1.5);
		for (int64_t d = g_t0 - 30 * (int64_t)DAY; d < g_tend; d += DAY) {
			int k = poisson(rate);
			for (int i = 0; i < k; i++)
				random_op_sim(R_WALKIN, shop_time(d, 9, 21), outlet, new_doc(0));
		}
	}
}

/* Documents that accumulate 6-9 cards over weeks, and one benign doc that churns. */
static void setup_idmany(void)
{
	int nd = scale_n(5, 1);
	for (int di = 0; di < nd; di++) {
		int k = irange(6, 9), doc = new_doc(0), g = new_group("IDM", di + 1);
		int nch = irange(2, 4), chs[4], cb = (int)below((uint32_t)(g_nch - 1));
		for (int c = 0; c < nch; c++) /* distinct retail channels */
			chs[c] = 1 + (cb + c) % (g_nch - 1);
		int64_t t[9];
		for (int i = 0; i < k; i++) { /* 5 before the start, the 6th.. inside */
			int64_t x = i < 5 ? g_t0 - (int64_t)frange(1, 40) * DAY
					  : g_t0 + (int64_t)(frange(0, 0.7) * (double)span());
			t[i] = shop_time(x, 9, 21);
			if (i >= 5 && t[i] < g_t0)
				t[i] += DAY;
		}
		for (int i = 1; i < k; i++)
			for (int j = i; j > 0 && t[j] < t[j - 1]; j--) {
				int64_t x = t[j];
				t[j] = t[j - 1];
				t[j - 1] = x;
			}
		int first = g_nsim;
		for (int i = 0; i < k; i++) {
			int ch = chs[i % nch];
			int outlet = g_ch_first[ch] + (int)below((uint32_t)g_ch_n[ch]);
			int s = random_op_sim(R_IDMANY, t[i], outlet, doc);
			struct sim *m = &S[s];
			m->group = g;
			m->fraud_start = i < 5 ? t[5] : t[i];
			if (unif() < 0.4)
				x_wake_setup(s, shop_time(t[i] + (int64_t)irange(1, 4) * DAY, 9, 20), 0.2);
			else
				m->quiet = 1; /* light use */
		}
		if (unif() < 0.3) { /* one early card is closed again after the 6th opened */
			struct sim *m = &S[first + (int)below(5)];
			m->churn = 1;
			m->to = t[5] + (int64_t)frange(1, 48) * HOUR;
		}
	}
	int nc = scale_n(1, 1);
	for (int di = 0; di < nc; di++) {
		int doc = new_doc(0), g = new_group("IDC", di + 1);
		int64_t t[7];
		for (int i = 0; i < 7; i++) {
			int64_t x = i < 5 ? g_t0 - (int64_t)frange(1, 60) * DAY
					  : g_t0 + (int64_t)(frange(0, 0.6) * (double)span());
			t[i] = shop_time(x, 9, 21);
			if (i >= 5 && t[i] < g_t0)
				t[i] += DAY;
		}
		for (int i = 1; i < 7; i++)
			for (int j = i; j > 0 && t[j] < t[j - 1]; j--) {
				int64_t x = t[j];
				t[j] = t[j - 1];
				t[j - 1] = x;
			}
		int first = g_nsim, outlet = pick_retail_outlet();
		for (int i = 0; i < 7; i++) {
			int s = random_op_sim(R_IDCHURNED, t[i], unif() < 0.7 ? outlet : pick_retail_outlet(), doc);
			S[s].group = g;
		}
		/* closes: card 1 between opens 3 and 4, card 2 between 5 and 6, card 3
		 * between 6 and 7: at most 4 cards are ever open at once */
		static const int cl[3][2] = { { 2, 3 }, { 4, 5 }, { 5, 6 } };
		for (int i = 0; i < 3; i++) {
			struct sim *m = &S[first + i];
			int64_t a = t[cl[i][0]], b = t[cl[i][1]];
			m->churn = 1;
			m->to = a + 1 + (int64_t)below((uint32_t)(b - a > 2 ? b - a - 1 : 1));
		}
	}
}

static void setup_silent(void)
{
	int ns = scale_n(30, 3), nd = scale_n(20, 2);
	for (int i = 0; i < ns + nd; i++) {
		int dormant = i >= ns;
		int64_t open = dormant ? g_t0 - (int64_t)(frange(1, 5) * 365 * DAY) : g_t0 - (int64_t)frange(7, 40) * DAY;
		int s = random_op_sim(dormant ? R_DORMANT : R_SILENT, shop_time(open, 9, 21), pick_retail_outlet(),
				      new_doc(0));
		int d = scen_days_clamp(dormant ? irange(5, 8) : irange(2, 8));
		x_wake_setup(s, next_local(g_t0 + (int64_t)d * DAY, (int64_t)irange(9, 19) * HOUR), 0.3);
		S[s].fs_mode = 1;
	}
}

static void setup_roaming(void)
{
	int nf = scale_n(30, 3), ni = scale_n(15, 2), nt = scale_n(40, 4);
	for (int i = 0; i < nf; i++) { /* fresh SIMs roaming into high-risk networks */
		int64_t r = g_t0 + (int64_t)(frange(0, 0.8) * (double)span());
		int64_t open = shop_time(r - (int64_t)(frange(0, 10) * DAY), 9, 21);
		if (open > r)
			open -= DAY;
		int s = random_op_sim(R_ROAMFRESH, open, small_outlet(), new_doc(0));
		S[s].wake_t = r;
		S[s].roam_plmn = (uint8_t)(PLMN_RISK0 + below(PLMN_NRISK));
		S[s].fs_mode = 2;
	}
	/* IoT batches on enterprise documents, opened months ago; some cards are
	 * diverted abroad (roamer_iot), the rest stay in their meters */
	int nbatch = (ni + 7) / 8, left = ni;
	for (int bi = 0; bi < nbatch; bi++) {
		int nr = left / (nbatch - bi), size = nr + irange(20, 45), op = pick_op();
		left -= nr;
		uint64_t base, msin;
		alloc_block(op, 144, size, &base, &msin);
		int doc = new_doc(1), g = new_group("IOT", bi + 1), batch = 1 + (int)below(9);
		int outlet = g_ch_first[0] + (int)below((uint32_t)g_ch_n[0]), cell = (int)below((uint32_t)g_ncells);
		int64_t t = local_midnight(g_t0 - (int64_t)frange(30, 300) * DAY) + 10 * HOUR;
		uint8_t *isr = xcalloc((size_t)size, 1);
		for (int j = 0; j < nr; j++)
			isr[j] = 1;
		shuffle_u8(isr, size);
		uint32_t tac = tac_iot[below(NELEM(tac_iot))], serial = (uint32_t)(rnd() % 900000u);
		for (int j = 0; j < size; j++) {
			t += irange(5, 30);
			int s = x_sim(isr[j] ? R_ROAMIOT : R_ENTERPRISE, op, base + (uint64_t)j,
				      imsi_of(op, msin + (uint64_t)j), t, outlet, doc);
			struct sim *m = &S[s];
			m->iot = 1;
			m->group = g;
			m->iccid_batch = (uint8_t)batch;
			m->home = near_cell(cell, 3, rnd());
			m->n_ext = 0;
			for (;;) {
				serial += 1 + below(2);
				uint64_t imei = make_imei(tac, serial);
				if (imei) {
					m->dev_a = add_dev(imei);
					break;
				}
			}
			if (isr[j]) {
				m->wake_t = g_t0 + (int64_t)(frange(0, 0.8) * (double)span());
				m->roam_plmn = (uint8_t)(PLMN_RISK0 + below(PLMN_NRISK));
				m->dev_b = new_consumer_dev(); /* pulled out of the meter into a phone */
				m->switch_t = m->wake_t;
				m->fs_mode = 2;
			}
		}
		free(isr);
	}
	for (int i = 0; i < nt; i++) { /* tenured subscribers on a business trip */
		int64_t open = g_t0 - 365 * (int64_t)DAY - (int64_t)(frange(0, 7) * 365 * DAY);
		int s = random_op_sim(R_TRAVRISK, shop_time(open, 9, 21), pick_retail_outlet(), new_doc(0));
		struct sim *m = &S[s];
		int len = irange(2, 5);
		if (len > cfg.days)
			len = cfg.days;
		m->roam_len = (uint8_t)len;
		m->roam_d0 = (uint8_t)irange(0, cfg.days - len);
		m->roam_plmn = (uint8_t)(PLMN_RISK0 + below(PLMN_NRISK));
	}
}

/* Bulk-opening hard negatives: enterprise batches and families. */
static void setup_benign_batches(void)
{
	int ne = scale_n(3, 1), ni = scale_n(2, 1);
	for (int bi = 0; bi < ne + ni; bi++) {
		int iot = bi >= ne, size = irange(20, 100), op = pick_op();
		uint64_t base, msin;
		alloc_block(op, iot ? 144 : 0, size, &base, &msin);
		int doc = new_doc(1), g = new_group("ENT", bi + 1), batch = 1 + (int)below(9), g0 = g_nsim;
		int outlet = g_ch_first[0] + (int)below((uint32_t)g_ch_n[0]), cell = pick_cell_block();
		int64_t t = shop_time(early_day(), 10, 16);
		uint32_t tac = tac_iot[below(NELEM(tac_iot))], serial = (uint32_t)(rnd() % 900000u);
		for (int j = 0; j < size; j++) {
			t += irange(15, 35); /* the whole batch within an hour */
			int s = x_sim(R_ENTERPRISE, op, base + (uint64_t)j, imsi_of(op, msin + (uint64_t)j), t, outlet,
				      doc);
			struct sim *m = &S[s];
			m->group = g;
			m->iccid_batch = (uint8_t)batch;
			m->g0 = g0;
			m->gn = size;
			if (iot) {
				m->iot = 1;
				m->n_ext = 0;
				m->home = near_cell(cell, 3, rnd());
				for (;;) {
					serial += 1 + below(2);
					uint64_t imei = make_imei(tac, serial);
					if (imei) {
						m->dev_a = add_dev(imei);
						break;
					}
				}
			} else {
				m->work = cell + (int)below(3); /* one office */
			}
		}
	}
	int nf = scale_n(30, 3);
	for (int fi = 0; fi < nf; fi++) {
		int size = irange(2, 3), op = pick_op(), doc = new_doc(0), outlet = pick_retail_outlet();
		int g = new_group("FAM", ++g_nfamily), g0 = g_nsim, consec = unif() < 0.5;
		int64_t t = unif() < 0.5 ? shop_time(g_t0 + (int64_t)irange(0, cfg.days - 1) * DAY, 10, 19)
					 : shop_time(g_t0 - (int64_t)irange(1, 30) * DAY, 10, 19);
		uint64_t base = 0, msin = 0;
		alloc_block(op, 0, size, &base, &msin);
		int home = (int)below((uint32_t)g_ncells);
		for (int j = 0; j < size; j++) {
			t += irange(120, 600);
			int s = x_sim(R_FAMILY, op, consec ? base + (uint64_t)j : 0, imsi_of(op, msin + (uint64_t)j), t,
				      outlet, doc);
			S[s].group = g;
			S[s].home = home;
			S[s].g0 = g0;
			S[s].gn = size;
		}
	}
}

static void setup_numbers(void)
{
	if (cfg.families & F_WANGIRI) {
		int nw = scale_n(10, 2);
		for (int i = 0; i < nw; i++) {
			int k = (int)below(NELEM(wangiri_cc));
			int x = new_xnum(N_WANGIRI, intl_number(wangiri_cc[k].cc, wangiri_cc[k].digits));
			struct xnum *w = &g_xn[x];
			w->nb = irange(1, 3);
			int total = irange(100, 600);
			for (int b = 0; b < w->nb; b++) {
				int64_t d = g_t0 + (int64_t)below((uint32_t)cfg.days) * DAY;
				w->t[b] = shop_time(d, 8, 23);
				w->len[b] = irange(10, 60) * 60;
				w->cnt[b] = total / w->nb;
			}
		}
		static const uint64_t shortc[] = { 95588, 95533, 95599, 95566, 95555, 95568, 95558 };
		int nb = scale_n(5, 1);
		for (int i = 0; i < nb; i++) {
			uint64_t num = i < (int)NELEM(shortc) && i < (nb * 3 + 4) / 5 ? shortc[i] : 0;
			while (!num) /* a Beijing fixed line */
				num = fresh_number(UINT64_C(861060000000) + rnd() % 10000000u);
			int x = new_xnum(N_BANK, num);
			g_xn[x].ans_p = frange(0.6, 0.8);
		}
	}
	if (cfg.families & F_LISTS) {
		int nbk = scale_n(20, 3), ngr = scale_n(20, 3);
		for (int i = 0; i < nbk + ngr; i++) {
			int x = new_xnum(i < nbk ? N_LBLACK : N_LGRAY, virtual_number());
			struct xnum *l = &g_xn[x];
			l->nb = irange(2, 8);
			for (int j = 0; j < l->nb; j++)
				l->t[j] = g_t0 + (int64_t)below((uint32_t)span());
			add_list(l->num, i < nbk ? 1 : 2);
		}
		int nls = scale_n(10, 2);
		for (int i = 0; i < nls; i++) { /* our own SIMs, reported and listed, still calling */
			int s = random_op_sim(R_LBSIM, shop_time(g_t0 - (int64_t)frange(5, 60) * DAY, 9, 21),
					      pick_retail_outlet(), new_doc(0));
			S[s].wake_t = g_t0;
			S[s].fs_mode = 3;
			add_list(S[s].msisdn, 1);
		}
		int fb = scale_n(3000, 300), fg = scale_n(4000, 300);
		for (int i = 0; i < fb + fg; i++)
			add_list(filler_number(), i < fb ? 1 : 2);
	}
}

/* ---- sms family: scam SMS senders, a campaign of an unknown template,
 * and the hard negatives (docs/scenarios.md#sms-family) ---- */

/*
 * Texts come from a small template grammar written for this generator (no
 * corpus text): "{a|b}" picks one alternative when the pool is built, '#'
 * becomes a digit and '`' a full-width digit per message (put_text), so
 * numbers, links and codes change from message to message.  Pool entries
 * are aux values SMS_POOL0...
 */
#define SMS_POOL0 28
#define SMS_NFAM 6
#define SMS_VARIANTS 8 /* per scam family: 0-3 plain, 4-7 one obfuscation each */
static const char *const sms_scam_tpl[SMS_NFAM] = {
	/* refund / parcel compensation */
	"【{淘宝|京东|拼多多}客服】您好，您购买的商品{在运输途中丢失|因质量问题被召回}，我们将为您办理{双倍|三倍}理赔，请添加客服微信kf{ab|cd}####处理。",
	/* brushing */
	"{诚招|急招}网络兼职，在家刷单返利，{日结|当天结算}佣金###元，{有意者|感兴趣}加微信jz{xy|mm}#####，{名额有限|先到先得}",
	/* bank points */
	"【{工商银行|建设银行|招商银行}】尊敬的客户，您的信用卡积分即将清零，请登录 http://jf-###.{top|cc}/ 兑换{现金|礼品}，逾期作废。",
	/* ETC */
	"【ETC服务中心】您的ETC{认证已失效|卡已被停用}，请点击 http://etc-###.{cn|top}/rz 重新认证，逾期将{停用|冻结}。",
	/* police / court */
	"【{公安局|检察院}】您的身份信息涉嫌一起洗钱案件，账户即将被冻结，请立即联系{李警官|王检察官}0755-########配合调查，不得告知他人。",
	/* prize (a TV show's lucky viewer) */
	"【{湖南卫视|浙江卫视}】恭喜您被抽中为{幸运观众|节目幸运用户}，获得奖金##万元及笔记本电脑一台，请登录 http://zj-###.{top|cc} 领取，联系微信lj{tv|hd}####",
};
/* One template no signature knows (checked with `simsieve sig test`), with a link. */
static const char *const sms_unknown_tpl =
	"【星河俱乐部】您的年度观影权益尚未激活，剩余##天，点 http://xh#.{vip|icu}/a### {确认地址|登记信息}后即可寄出纪念票根";
static const char *const sms_fwd_prefix[] = { "这条短信是不是诈骗啊？你帮我看看：", "收到这个，是骗子吧？",
					      "妈，你别信这种短信：", "这是真的吗？" };
static const char *const sms_neg_tpl[][2] = {
	/* N_SMS_BANK */
	{ "【{工商银行|建设银行}】您尾号####的储蓄卡##月##日##:##{消费|转账支出}###.##元，余额####.##元。",
	  "【{工商银行|招商银行}】您的验证码为######，您正在进行网上银行登录，请勿泄露给他人。" },
	/* N_SMS_COURIER */
	{ "【{顺丰速运|中通快递}】您的快件已到达{菜鸟驿站|丰巢柜}，取件码##-#-####，请及时领取。",
	  "【{韵达快递|圆通速递}】您的包裹正在派送中，快递员电话138########，请保持电话畅通。" },
	/* N_SMS_ANTIFRAUD */
	{ "【国家反诈中心】提醒：凡是要求您{刷单返利|办理双倍理赔|点击链接兑换积分}的都是诈骗！陌生链接请勿点击，如有疑问请拨打96110。",
	  "【96110】警方提示：冒充公检法要求转账到安全账户、称包裹丢失加微信理赔的都是诈骗，切勿轻信。" },
	/* N_SMS_OPERATOR */
	{ "【中国移动】尊敬的客户，您本月套餐内流量已使用##%，剩余#.##GB，详情请登录中国移动APP查询。",
	  "【中国移动】您本月账单已出，话费##.##元，可发送CXHF到10086查询。" },
	/* N_SMS_MARKETING */
	{ "【{优选超市|乐购商城}】{周年庆|双十一}全场满###减##，会员专享，详情见APP，回T退订",
	  "【{美丽家装|安居地产}】{免费上门量房|新盘开售}，首付低至#成，咨询400#######，退订回T" },
};
static const uint64_t sms_neg_number[][2] = {
	{ 95588, 95555 }, { UINT64_C(106900059531), UINT64_C(106955301234) }, { 96110, 96110 }, { 10086, 10086 },
	{ UINT64_C(1069012388812), UINT64_C(1069099912345) },
};

static char *g_pool[256 - SMS_POOL0];
static int g_npool;

static const char *pool_text(int aux)
{
	if (aux >= SMS_POOL0 && aux - SMS_POOL0 < g_npool)
		return g_pool[aux - SMS_POOL0];
	return aux < (int)NELEM(sms_text) ? sms_text[aux] : "";
}

/* Expand "{a|b}" with the (family) random stream. */
static char *expand(const char *t)
{
	size_t cap = strlen(t) * 2 + 64, n = 0;
	char *o = xmalloc(cap);
	while (*t) {
		if (*t != '{') {
			o[n++] = *t++;
			continue;
		}
		const char *end = strchr(t, '}');
		int alts = 1;
		for (const char *q = t; q < end; q++)
			alts += *q == '|';
		int k = (int)below((uint32_t)alts);
		const char *a = t + 1;
		while (k--)
			a = strchr(a, '|') + 1;
		const char *b = a;
		while (*b != '|' && *b != '}')
			b++;
		memcpy(o + n, a, (size_t)(b - a));
		n += (size_t)(b - a);
		t = end + 1;
	}
	o[n] = 0;
	return o;
}

/* Obfuscation @kind: 0 spaces inside CJK words, 1 full-width digits, 2 V信, 3 zero-width spaces. */
static char *obfuscate(char *in, int kind)
{
	size_t len = strlen(in), n = 0;
	char *o = xmalloc(len * 3 + 16);
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)in[i];
		if (kind == 1 && c == '#') {
			o[n++] = '`';
			i++;
			continue;
		}
		if (kind == 2 && !strncmp(in + i, "微信", 6)) {
			const char *v = unif() < 0.5 ? "V信" : "薇信";
			memcpy(o + n, v, strlen(v));
			n += strlen(v);
			i += 6;
			continue;
		}
		size_t cl = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		memcpy(o + n, in + i, cl);
		n += cl;
		i += cl;
		int cjk = cl == 3 && c >= 0xe4 && c <= 0xe9;
		if (cjk && i < len && (unsigned char)in[i] >= 0xe4 && (unsigned char)in[i] <= 0xe9) {
			if (kind == 0 && unif() < 0.3)
				o[n++] = ' ';
			else if (kind == 3 && unif() < 0.3) {
				memcpy(o + n, "\xe2\x80\x8b", 3);
				n += 3;
			}
		}
	}
	o[n] = 0;
	free(in);
	return o;
}

static int pool_add(char *text)
{
	if (g_npool >= (int)NELEM(g_pool))
		die("sms text pool full");
	g_pool[g_npool] = text;
	return SMS_POOL0 + g_npool++;
}

static int sms_scam0, sms_unknown0, sms_fwd0, sms_neg0[5];
#define SMS_NUNKNOWN 6
#define SMS_NFWD 8
#define SMS_NNEG 4

static void sms_pool_setup(void)
{
	sms_scam0 = SMS_POOL0 + g_npool;
	for (int f = 0; f < SMS_NFAM; f++)
		for (int v = 0; v < SMS_VARIANTS; v++) {
			char *t = expand(sms_scam_tpl[f]);
			pool_add(v < 4 ? t : obfuscate(t, v - 4));
		}
	sms_unknown0 = SMS_POOL0 + g_npool;
	for (int v = 0; v < SMS_NUNKNOWN; v++)
		pool_add(expand(sms_unknown_tpl));
	sms_fwd0 = SMS_POOL0 + g_npool;
	for (int v = 0; v < SMS_NFWD; v++) {
		char *t = expand(sms_scam_tpl[v % SMS_NFAM]);
		const char *pre = sms_fwd_prefix[below(NELEM(sms_fwd_prefix))];
		char *o = xmalloc(strlen(pre) + strlen(t) + 1);
		strcpy(o, pre);
		strcat(o, t);
		free(t);
		pool_add(o);
	}
	for (int r = 0; r < 5; r++) {
		sms_neg0[r] = SMS_POOL0 + g_npool;
		for (int v = 0; v < SMS_NNEG; v++)
			pool_add(expand(sms_neg_tpl[r][v & 1]));
	}
}

static int sms_scam_text(int fam)
{
	return sms_scam0 + fam * SMS_VARIANTS + (int)below(SMS_VARIANTS);
}

static void setup_sms(void)
{
	sms_pool_setup();
	/* high-volume template senders: SIMs used only for sending */
	int nh = scale_n(6, 2), nl = scale_n(12, 3), ng = scale_n(2, 1), nf = scale_n(30, 4);
	for (int i = 0; i < nh; i++) {
		int64_t open_t = shop_time(g_t0 - (int64_t)irange(2, 60) * DAY, 10, 19);
		int s = random_op_sim(R_SMS_SCAM, open_t, pick_retail_outlet(), new_doc(0));
		S[s].fs_mode = 1;
		S[s].sms_fam = (uint8_t)below(SMS_NFAM);
		S[s].wake_t = g_t0 + (int64_t)below((uint32_t)((cfg.days + 1) / 2)) * DAY + (int64_t)below(DAY);
		S[s].group = new_group("SMSHI", i + 1);
	}
	/* low-volume content senders: ordinary lives, 3-5 scam SMS within hours on one day */
	for (int i = 0; i < nl; i++) {
		int64_t open_t = shop_time(g_t0 - (int64_t)irange(30, 900) * DAY, 10, 19);
		int s = random_op_sim(R_SMS_SCAM, open_t, pick_retail_outlet(), new_doc(0));
		S[s].sms_lo = (uint8_t)irange(3, 5);
		S[s].sms_fam = (uint8_t)below(SMS_NFAM);
		S[s].wake_t = g_t0 + (int64_t)below((uint32_t)cfg.days) * DAY;
		S[s].group = new_group("SMSLO", i + 1);
	}
	/* groups of SIMs sending one unknown template */
	for (int gi = 0; gi < ng; gi++) {
		int size = irange(4, 6), g = new_group("SMSCAMP", gi + 1), g0 = g_nsim;
		int64_t wake = g_t0 + (int64_t)below((uint32_t)((cfg.days + 1) / 2)) * DAY;
		int outlet = pick_retail_outlet();
		for (int j = 0; j < size; j++) {
			int s = random_op_sim(R_SMS_CAMPAIGN, shop_time(wake - (int64_t)irange(1, 20) * DAY, 10, 19),
					      outlet, new_doc(0));
			S[s].fs_mode = 1;
			S[s].group = g;
			S[s].g0 = g0;
			S[s].gn = size;
			S[s].wake_t = wake;
		}
	}
	/* hard negative: people who forward one scam SMS to a friend */
	for (int i = 0; i < nf; i++) {
		int64_t open_t = shop_time(g_t0 - (int64_t)irange(60, 2000) * DAY, 10, 19);
		int s = random_op_sim(R_SMS_FWD, open_t, pick_retail_outlet(), new_doc(0));
		S[s].wake_t = g_t0 + (int64_t)below((uint32_t)cfg.days) * DAY + (int64_t)irange(9, 21) * HOUR;
	}
	for (int r = 0; r < 5; r++)
		for (int k = 0; k < 2; k++)
			if (k == 0 || sms_neg_number[r][1] != sms_neg_number[r][0])
				new_xnum(N_SMS_BANK + r, sms_neg_number[r][k]);
}

static int x_cell(const struct sim *m);
static void x_emit(int s, int64_t t, int32_t dev, int type, int mt, uint64_t other, int ans, double dur,
		   int32_t cell, int aux);

/* One SMS from our SIM @s to a stranger or (8%) a subscriber, who then has the mt twin. */
static void sms_out(int s, int64_t t, int aux)
{
	int c = unif() < 0.08 ? random_member(t) : -1;
	uint64_t num = c >= 0 ? S[c].msisdn : ext_mobile();
	x_emit(s, t, S[s].dev_a, T_SMS, 0, num, 0, 0, x_cell(&S[s]), aux);
	if (c >= 0 && active(s, t))
		emit_sub(t, c, T_SMS, 1, S[s].msisdn, 0, 0, aux);
}

static void gen_sms_sim_day(int s, int64_t ds)
{
	struct sim *m = &S[s];
	if (m->wake_t >= ds + DAY)
		return;
	int64_t w0 = next_local(ds, 9 * HOUR), w1 = w0 + 12 * HOUR;
	if (m->wake_t > w0)
		w0 = m->wake_t;
	switch (m->role) {
	case R_SMS_SCAM:
		if (m->sms_lo) {
			if (m->wake_t < ds)
				return;
			int64_t t = m->wake_t + (int64_t)irange(9, 18) * HOUR;
			for (int i = 0; i < m->sms_lo; i++, t += (int64_t)irange(300, 3 * HOUR)) {
				if (m->fraud_start < 0 && active(s, t) && t >= g_t0 && t < g_tend)
					m->fraud_start = t;
				sms_out(s, t, sms_scam_text(m->sms_fam));
			}
			return;
		}
		if (w0 < w1) {
			int n = irange(120, 250);
			for (int i = 0; i < n; i++)
				sms_out(s, i == 0 ? w0 : w0 + (int64_t)below((uint32_t)(w1 - w0)),
					sms_scam_text(m->sms_fam));
		}
		return;
	case R_SMS_CAMPAIGN:
		if (w0 < w1) {
			int n = irange(40, 80);
			for (int i = 0; i < n; i++)
				sms_out(s, i == 0 ? w0 : w0 + (int64_t)below((uint32_t)(w1 - w0)),
					sms_unknown0 + (int)below(SMS_NUNKNOWN));
		}
		return;
	case R_SMS_FWD:
		if (m->wake_t >= ds && m->wake_t < ds + DAY) {
			int c = random_member(m->wake_t);
			if (c >= 0) {
				int aux = sms_fwd0 + (int)below(SMS_NFWD);
				x_emit(s, m->wake_t, m->dev_a, T_SMS, 0, S[c].msisdn, 0, 0, x_cell(m), aux);
				emit_sub(m->wake_t, c, T_SMS, 1, m->msisdn, 0, 0, aux);
				/* the friend answers */
				emit_sub(m->wake_t + 300, c, T_SMS, 0, m->msisdn, 0, 0, SMS_PERSONAL0 + 3);
				x_emit(s, m->wake_t + 300, m->dev_a, T_SMS, 1, S[c].msisdn, 0, 0, x_cell(m), SMS_PERSONAL0 + 3);
			}
		}
		return;
	default:
		return;
	}
}

/* The benign bulk senders: each texts a few hundred subscribers a day (per 10,000). */
static void gen_sms_numbers_day(int64_t ds)
{
	static const double per10k[5] = { 150, 120, 200, 150, 150 };
	for (int i = 0; i < g_nxn; i++) {
		const struct xnum *x = &g_xn[i];
		if (x->role < N_SMS_BANK || x->role > N_SMS_MARKETING)
			continue;
		int r = x->role - N_SMS_BANK;
		int n = poisson(per10k[r] * (double)cfg.n / 10000.0);
		for (int k = 0; k < n; k++) {
			int64_t t = sample_time(ds, cdf_calls);
			int v = random_member(t);
			if (v >= 0)
				emit_sub(t, v, T_SMS, 1, x->num, 0, 0, sms_neg0[r] + (int)below(SMS_NNEG));
		}
	}
}

static void setup_families(void)
{
	g_x0 = g_nsim;
	if (cfg.families & F_BULK) {
		setup_bulk(1);
		setup_bulk(0);
	}
	if (cfg.families & F_IDMANY)
		setup_idmany();
	if (cfg.families & F_SILENT)
		setup_silent();
	if (cfg.families & F_ROAMING)
		setup_roaming();
	if (cfg.families & F_BULK)
		setup_benign_batches();
	setup_numbers();
	if (cfg.families & F_SMS)
		setup_sms();
}

/* ---- daily behaviour ---- */

static int x_cell(const struct sim *m)
{
	return unif() < 0.8 ? m->home : near_cell(m->home, 2, rnd());
}

static void x_emit(int s, int64_t t, int32_t dev, int type, int mt, uint64_t other, int ans, double dur,
		   int32_t cell, int aux)
{
	if (active(s, t))
		emit(t, s, dev, type, mt, other, ans, dur, cell, aux);
}

/* 80-300 calls (or SMS) a day to strangers, local 09-21, mostly short/unanswered. */
static void gen_outbound(int s, int64_t ds, int lo, int hi)
{
	const struct sim *m = &S[s];
	int64_t w0 = next_local(ds, 9 * HOUR), w1 = w0 + 12 * HOUR;
	if (m->wake_t > w0)
		w0 = m->wake_t;
	if (w0 >= w1 || w0 >= ds + DAY)
		return;
	int n = irange(lo, hi);
	for (int i = 0; i < n; i++) {
		int64_t t = i == 0 ? w0 : w0 + (int64_t)below((uint32_t)(w1 - w0));
		int c = unif() < 0.08 ? random_member(t) : -1;
		uint64_t num = c >= 0 ? S[c].msisdn : ext_mobile();
		if (m->sms_mode && unif() < 0.85) {
			int aux = SMS_SCAM0 + (int)below(SMS_NSCAM);
			x_emit(s, t, m->dev_a, T_SMS, 0, num, 0, 0, x_cell(m), aux);
			if (c >= 0 && active(s, t))
				emit_sub(t, c, T_SMS, 1, m->msisdn, 0, 0, aux);
			continue;
		}
		int ans = unif() < 0.25;
		double dur = lognorm(25, 0.8);
		dur = dur < 3 ? 3 : dur > 1800 ? 1800 : dur;
		x_emit(s, t, m->dev_a, T_VOICE, 0, num, ans, dur, x_cell(m), 0);
		if (c >= 0 && active(s, t))
			emit_sub(t, c, T_VOICE, 1, m->msisdn, ans, dur, 0);
	}
	int nd = poisson(2);
	for (int i = 0; i < nd; i++)
		x_emit(s, w0 + (int64_t)below((uint32_t)(w1 - w0)), m->dev_a, T_DATA, 0, 0, 0, 0, x_cell(m), 0);
}

/* A day abroad in a high-risk network, from wake_t on. */
static void gen_roamer(int s, int64_t ds)
{
	const struct sim *m = &S[s];
	int64_t de = ds + DAY, r0 = m->wake_t > ds ? m->wake_t : ds;
	if (r0 >= de)
		return;
	int32_t cell = CELL_ROAM(m->roam_plmn), dev = m->iot ? m->dev_b : m->dev_a;
	int ncall = m->iot ? irange(2, 10) : irange(30, 150);
	int nsms = m->iot ? irange(1, 5) : poisson(2), ndata = m->iot ? poisson(8) : poisson(3);
	x_emit(s, r0, dev, T_DATA, 0, 0, 0, 0, cell, 0); /* registers and attaches */
	for (int i = 0; i < ncall + nsms + ndata; i++) {
		int64_t t = sample_time(ds, cdf_calls);
		if (t < r0)
			t = r0 + (int64_t)below((uint32_t)(de - r0));
		if (i < ncall) { /* calling home: a new Chinese number each time */
			int ans = unif() < 0.45;
			double dur = lognorm(40, 0.8);
			dur = dur < 3 ? 3 : dur > 900 ? 900 : dur;
			x_emit(s, t, dev, T_VOICE, 0, ext_mobile(), ans, dur, cell, 0);
		} else if (i < ncall + nsms) {
			x_emit(s, t, dev, T_SMS, 0, ext_mobile(), 0, 0, cell, SMS_SCAM0 + (int)below(SMS_NSCAM));
		} else {
			x_emit(s, t, dev, T_DATA, 0, 0, 0, 0, cell, 0);
		}
	}
}

/* A meter / tracker at home: data only. */
static void gen_iot_home(int s, int64_t ds, int64_t until)
{
	const struct sim *m = &S[s];
	int n = poisson(6);
	for (int i = 0; i < n; i++) {
		int64_t t = ds + (int64_t)below(DAY);
		if (t < until)
			x_emit(s, t, m->dev_a, T_DATA, 0, 0, 0, 0, m->home, 0);
	}
}

/* Calls to other members of the peer group (family, colleagues). */
static void gen_peers(int s, int64_t ds, double lam)
{
	const struct sim *m = &S[s];
	if (m->gn < 2)
		return;
	int n = poisson(lam);
	for (int i = 0; i < n; i++) {
		int c = m->g0 + (int)below((uint32_t)m->gn);
		int64_t t = sample_time(ds, cdf_calls);
		if (c == s || !active(s, t) || !active(c, t))
			continue;
		int ans = unif() < 0.85;
		double dur = ans ? normal_dur() : 0;
		emit_sub(t, s, T_VOICE, 0, S[c].msisdn, ans, dur, 0);
		emit_sub(t, c, T_VOICE, 1, m->msisdn, ans, dur, 0);
	}
}

static void gen_numbers_day(int64_t ds)
{
	int64_t de = ds + DAY;
	for (int i = 0; i < g_nxn; i++) {
		struct xnum *x = &g_xn[i];
		if (x->role >= N_SMS_BANK)
			continue; /* sms family: gen_sms_numbers_day() */
		if (x->role == N_WANGIRI) {
			for (int b = 0; b < x->nb; b++) {
				if (x->t[b] < ds || x->t[b] >= de)
					continue;
				for (int k = 0; k < x->cnt[b]; k++) {
					int64_t t = x->t[b] + (k ? (int64_t)below((uint32_t)x->len[b]) : 0);
					int v = random_member(t);
					if (v < 0)
						continue;
					emit_sub(t, v, T_VOICE, 1, x->num, 0, 0, 0); /* one ring, dropped */
					xnum_touch(i, t);
					if (unif() < 0.03) { /* the victim calls back: premium-rate */
						int64_t tc = t + 120 + (int64_t)expo(2 * HOUR);
						double dur = lognorm(90, 0.6);
						own_event(v, tc, T_VOICE, 0, x->num, 1, dur < 5 ? 5 : dur, 0);
					}
				}
			}
		} else if (x->role == N_BANK) {
			int n = irange(200, 800);
			if (!is_workday(ds + 12 * HOUR))
				n /= 5;
			int64_t w0 = next_local(ds, 9 * HOUR);
			for (int k = 0; k < n; k++) {
				int64_t t = w0 + (int64_t)below(9 * HOUR);
				int v = random_member(t);
				if (v < 0)
					continue;
				int ans = unif() < x->ans_p;
				emit_sub(t, v, T_VOICE, 1, x->num, ans, ans ? exp(frange(log(30.0), log(300.0))) : 0, 0);
			}
		} else { /* listed numbers: a few calls / texts each */
			for (int j = 0; j < x->nb; j++) {
				int64_t t = x->t[j];
				if (t < ds || t >= de)
					continue;
				int v = random_member(t);
				if (v < 0)
					continue;
				int black = x->role == N_LBLACK;
				if (unif() < (black ? 0.6 : 0.7)) {
					int ans = unif() < (black ? 0.5 : 0.7);
					emit_sub(t, v, T_VOICE, 1, x->num, ans, ans ? normal_dur() : 0, 0);
				} else {
					emit_sub(t, v, T_SMS, 1, x->num, 0, 0,
						 black ? SMS_SCAM0 + (int)below(SMS_NSCAM)
						       : SMS_PROMO0 + (int)below(SMS_NPROMO));
				}
				xnum_touch(i, t);
			}
		}
	}
}

static void gen_families_day(int64_t ds)
{
	double wd = is_workday(ds + 12 * HOUR) ? 1.0 : 0.9;
	for (int s = g_x0; s < g_nsim; s++) {
		const struct sim *m = &S[s];
		if (m->from >= ds + DAY || m->to <= ds)
			continue;
		switch (m->role) {
		case R_BULK_DOC:
		case R_BULK_IDS:
		case R_SILENT:
		case R_DORMANT:
			if (m->wake_t < ds + DAY)
				gen_outbound(s, ds, 80, 300);
			break;
		case R_IDMANY:
			if (m->quiet)
				gen_life(s, ds, 0.4);
			else if (m->wake_t < ds + DAY)
				gen_outbound(s, ds, 80, 300);
			break;
		case R_LBSIM:
			gen_outbound(s, ds, 20, 60);
			break;
		case R_ROAMFRESH:
			if (m->wake_t < ds + DAY)
				gen_roamer(s, ds);
			for (int i = poisson(2); i > 0; i--) { /* a little data at home first */
				int64_t t = ds + (int64_t)below(DAY);
				if (t < m->wake_t)
					x_emit(s, t, m->dev_a, T_DATA, 0, 0, 0, 0, m->home, 0);
			}
			break;
		case R_ROAMIOT:
			gen_iot_home(s, ds, m->wake_t);
			gen_roamer(s, ds);
			break;
		case R_ENTERPRISE:
			if (m->iot) {
				gen_iot_home(s, ds, NEVER);
			} else {
				gen_life(s, ds, wd);
				if (is_workday(ds + 12 * HOUR))
					gen_peers(s, ds, 1.5);
			}
			break;
		case R_FAMILY:
			gen_life(s, ds, wd);
			gen_peers(s, ds, 0.8);
			break;
		case R_SMS_SCAM:
			if (m->sms_lo)
				gen_life(s, ds, wd);
			gen_sms_sim_day(s, ds);
			break;
		case R_SMS_CAMPAIGN:
			gen_sms_sim_day(s, ds);
			break;
		case R_SMS_FWD:
			gen_life(s, ds, wd);
			gen_sms_sim_day(s, ds);
			break;
		default: /* id_churned, traveller_risk, walk_in */
			gen_life(s, ds, wd);
			break;
		}
	}
	gen_numbers_day(ds);
	if (cfg.families & F_SMS)
		gen_sms_numbers_day(ds);
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

static const char *pool_text(int aux);

static char *put_text(char *p, int aux, uint64_t h)
{
	const char *s = pool_text(aux);
	int quote = strpbrk(s, ",\"\n") != NULL;
	if (quote)
		*p++ = '"';
	for (; *s; s++) {
		if (*s == '#') {
			*p++ = (char)('0' + h % 10);
			h = h / 10 ? h / 10 : ss_hash_mix(h + 7);
		} else if (*s == '`') { /* a full-width digit (sms family obfuscation) */
			*p++ = (char)0xef;
			*p++ = (char)0xbc;
			*p++ = (char)(0x90 + h % 10);
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
		 m->iccid_batch ? m->iccid_batch - 1 : (int)(m->imsi % 7));
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
		n = sprintf(q, ",%s,%llu,%llu,%s,%s,%s,CH-%04d,%s,%s\n", act_name[a->ev],
			    (unsigned long long)m->msisdn, (unsigned long long)m->imsi, iccid, doc,
			    g_doc[m->doc].enterprise ? "enterprise" : "personal", o->ch, o->code,
			    m->iot ? "iot" : "consumer");
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
	for (int i = 0; i < g_nxn; i++) { /* external numbers: msisdn only */
		const struct xnum *x = &g_xn[i];
		p = wres(&w, 128);
		n = sprintf(p, "number,,%llu,,%s,,", (unsigned long long)x->num, nrole_name[x->role]);
		w.n += (size_t)n;
		if (x->role == N_WANGIRI || x->role == N_LBLACK)
			put_opt_time(&w, x->fraud_start);
		p = wres(&w, 4);
		*p = '\n';
		w.n++;
	}
	wclose(&w);
}

/* rep import format (docs/reputation.md): subject,list,source */
static void write_lists(const char *dir)
{
	struct wbuf w;
	wopen(&w, dir, "lists.csv");
	char *p = wres(&w, 64);
	int n = sprintf(p, "subject,list,source\n");
	w.n += (size_t)n;
	for (int i = 0; i < g_nle; i++) {
		const struct lentry *e = &g_le[i];
		p = wres(&w, 128);
		n = sprintf(p, "%s%llu,%s,%s\n", e->prefixed ? "msisdn:" : "", (unsigned long long)e->num,
			    e->list == 1 ? "black" : "gray", e->list == 1 ? black_src[e->src] : gray_src[e->src]);
		w.n += (size_t)n;
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
		"                    [--families simbox,bulk,idmany,silent,roaming,wangiri,lists,sms (default all but sms)]\n"
		"Writes DIR/cdr.csv, DIR/activations.csv, DIR/truth.csv, DIR/lists.csv (see docs/scenarios.md).\n");
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
		} else if (!strcmp(a, "--families")) {
			cfg.families = 0;
			char buf[256];
			snprintf(buf, sizeof(buf), "%s", v);
			for (char *sv = NULL, *tok = strtok_r(buf, ",", &sv); tok; tok = strtok_r(NULL, ",", &sv)) {
				unsigned k = 0;
				while (k < NELEM(family_name) && strcmp(tok, family_name[k]))
					k++;
				if (!strcmp(tok, "all"))
					cfg.families |= 0x7f;
				else if (k == NELEM(family_name))
					die("--families: want a comma list of simbox,bulk,idmany,silent,roaming,wangiri,lists,sms");
				else
					cfg.families |= 1u << k;
			}
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
	if (!(cfg.families & F_SIMBOX))
		cfg.boxes = 0;
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
	rng_swap();
	setup_families();
	rng_swap();
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
		if (g_x0 < g_nsim || g_nxn) {
			size_t fx = g_nev;
			rng_swap();
			gen_families_day(ds);
			for (size_t i = fx; i < g_nev; i++)
				E[i].key = E[i].t + (jit ? below(jit + 1) : 0);
			rng_swap();
		}
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
	write_lists(cfg.out);

	int nports = 0, nmimic = 0;
	for (int b = 0; b < g_nbox; b++) {
		nports += g_box[b].ports;
		nmimic += g_box[b].mimic;
	}
	double el = now_s() - t_begin;
	printf("scenario_gen: %s: cdr_rows=%llu activation_rows=%d truth_rows=%d | normal=%d courier=%d "
	       "shared_phone=%d upgrade=%d call_centre=%d traveller=%d simbox_sim=%d mimic_sim=%d | "
	       "boxes=%d mimic_boxes=%d gateway_imeis=%d call_centres=%d families=%d | %.2f s, %.2f M rows/s\n",
	       cfg.out, (unsigned long long)g_rows, g_nact, g_nsim + nports + g_nxn, role_count[R_NORMAL],
	       role_count[R_COURIER], role_count[R_SHARED], role_count[R_UPGRADE], role_count[R_CALLCENTRE],
	       role_count[R_TRAVELLER], role_count[R_SIMBOX], role_count[R_MIMIC], g_nbox, nmimic, nports,
	       g_ncentre, g_nfamily, el, el > 0 ? (double)g_rows / el / 1e6 : 0.0);
	if (g_x0 < g_nsim || g_nxn || g_nle) {
		printf("scenario_gen: issue-5 families:");
		for (int r = R_BULK_DOC; r < R__N; r++)
			printf(" %s=%d", role_name[r], role_count[r]);
		for (int r = 0; r < N__N; r++)
			printf(" %s=%d", nrole_name[r], nrole_count[r]);
		int nb = 0;
		for (int i = 0; i < g_nle; i++)
			nb += g_le[i].list == 1;
		printf(" | lists: black=%d gray=%d\n", nb, g_nle - nb);
	}
	return 0;
}
