/*
 * areas.c - the built-in country table and the high-risk area list loader
 * (see areas.h; file format and sources in docs/detect-roaming-wangiri.md).
 *
 * Country data: MCCs from ITU-T E.212 (the list of mobile country codes in
 * the ITU Operational Bulletin annex), calling codes from ITU-T E.164 (list of
 * assigned country codes).  Centroids and radii are rough (a few hundred km):
 * they only feed a lower bound of travel distance, and a radius too large
 * errs towards "possible", never towards a false impossible-travel finding.
 */
#include "detect/areas.h"

#include "core/err.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- built-in countries ------------------------------------------------- */

/*
 * Radius: distance from the centroid to the farthest border point, rounded
 * up (islands and outlying territories included where people live: Hainan
 * for China, Okinawa for Japan, Borneo for Malaysia, Alaska and Hawaii are
 * folded into NANP's 5500 km).  +1 (NANP) and +7 (Russia/Kazakhstan) are
 * shared codes: the number maps to the larger country, with a radius that
 * covers the other.
 */
static const struct det_country countries[] = {
	{ "CN", "China", { 460, 461 }, "86", 35.0f, 103.0f, 2900 },
	{ "HK", "Hong Kong", { 454 }, "852", 22.3f, 114.2f, 40 },
	{ "MO", "Macao", { 455 }, "853", 22.2f, 113.5f, 15 },
	{ "TW", "Taiwan", { 466 }, "886", 23.7f, 121.0f, 250 },
	{ "JP", "Japan", { 440, 441 }, "81", 36.5f, 138.0f, 1500 },
	{ "KR", "South Korea", { 450 }, "82", 36.5f, 127.8f, 450 },
	{ "MN", "Mongolia", { 428 }, "976", 46.8f, 103.0f, 1300 },
	{ "TH", "Thailand", { 520 }, "66", 15.0f, 101.0f, 1000 },
	{ "VN", "Vietnam", { 452 }, "84", 16.0f, 106.0f, 1100 },
	{ "LA", "Laos", { 457 }, "856", 18.5f, 103.0f, 650 },
	{ "KH", "Cambodia", { 456 }, "855", 12.5f, 105.0f, 400 },
	{ "MM", "Myanmar", { 414 }, "95", 21.0f, 96.0f, 1100 },
	{ "MY", "Malaysia", { 502 }, "60", 4.0f, 109.0f, 1300 },
	{ "SG", "Singapore", { 525 }, "65", 1.35f, 103.8f, 30 },
	{ "ID", "Indonesia", { 510 }, "62", -2.5f, 118.0f, 2900 },
	{ "PH", "Philippines", { 515 }, "63", 12.0f, 122.0f, 1100 },
	{ "BN", "Brunei", { 528 }, "673", 4.5f, 114.7f, 80 },
	{ "BD", "Bangladesh", { 470 }, "880", 23.7f, 90.3f, 400 },
	{ "NP", "Nepal", { 429 }, "977", 28.2f, 84.0f, 500 },
	{ "IN", "India", { 404, 405, 406 }, "91", 22.0f, 79.0f, 2000 },
	{ "LK", "Sri Lanka", { 413 }, "94", 7.8f, 80.7f, 250 },
	{ "PK", "Pakistan", { 410 }, "92", 30.0f, 70.0f, 900 },
	{ "AE", "United Arab Emirates", { 424, 430, 431 }, "971", 24.0f, 54.0f, 400 },
	{ "SA", "Saudi Arabia", { 420 }, "966", 24.0f, 45.0f, 1300 },
	{ "QA", "Qatar", { 427 }, "974", 25.3f, 51.2f, 110 },
	{ "OM", "Oman", { 422 }, "968", 21.0f, 57.0f, 700 },
	{ "TR", "Turkey", { 286 }, "90", 39.0f, 35.0f, 900 },
	{ "RU", "Russia", { 250 }, "7", 60.0f, 100.0f, 4800 },
	{ "GB", "United Kingdom", { 234, 235 }, "44", 54.0f, -2.0f, 700 },
	{ "FR", "France", { 208 }, "33", 46.5f, 2.5f, 650 },
	{ "DE", "Germany", { 262 }, "49", 51.0f, 10.0f, 500 },
	{ "IT", "Italy", { 222 }, "39", 42.5f, 12.5f, 700 },
	{ "ES", "Spain", { 214 }, "34", 40.0f, -3.7f, 1800 },
	{ "NL", "Netherlands", { 204 }, "31", 52.2f, 5.5f, 200 },
	{ "US", "United States (NANP)", { 310, 311, 312, 313 }, "1", 39.0f, -98.0f, 5500 },
	{ "CA", "Canada", { 302 }, NULL, 56.0f, -106.0f, 3500 },
	{ "AU", "Australia", { 505 }, "61", -25.0f, 134.0f, 2600 },
	{ "NZ", "New Zealand", { 530 }, "64", -41.0f, 174.0f, 900 },
	{ "KZ", "Kazakhstan", { 401 }, NULL, 48.0f, 67.0f, 1500 },
};
#define N_COUNTRIES (sizeof(countries) / sizeof(countries[0]))

static uint8_t country_mcc[1000];		  /* MCC -> index + 1 */
static uint8_t country_cc[3][1000];		  /* [len-1][prefix] -> index + 1 */
static int countries_ready;

static void countries_init(void)
{
	if (countries_ready)
		return;
	for (size_t i = 0; i < N_COUNTRIES; i++) {
		for (size_t k = 0; k < 4 && countries[i].mcc[k]; k++)
			country_mcc[countries[i].mcc[k]] = (uint8_t)(i + 1);
		const char *cc = countries[i].cc;
		if (cc)
			country_cc[strlen(cc) - 1][atoi(cc)] = (uint8_t)(i + 1);
	}
	countries_ready = 1;
}

const struct det_country *det_country(unsigned idx)
{
	return idx >= 1 && idx <= N_COUNTRIES ? &countries[idx - 1] : NULL;
}

unsigned det_country_by_mcc(unsigned mcc)
{
	countries_init();
	return mcc < 1000 ? country_mcc[mcc] : 0;
}

/* Skip an international prefix: E.164 digits may arrive as "+86..." or "0086...". */
static const char *e164_digits(const char *n)
{
	if (n[0] == '+')
		return n + 1;
	if (n[0] == '0' && n[1] == '0')
		return n + 2;
	return n;
}

/* The longest 1-3 digit prefix of @number found in @tab ([len-1][prefix], 0 = none). */
static unsigned cc_lookup(const void *tab, size_t elem, const char *number)
{
	const char *d = e164_digits(number);
	unsigned v = 0, found[3] = { 0, 0, 0 };
	int n = 0;

	for (; n < 3 && d[n] >= '0' && d[n] <= '9'; n++) {
		v = v * 10 + (unsigned)(d[n] - '0');
		const char *row = (const char *)tab + (size_t)n * 1000 * elem;
		found[n] = elem == 1 ? ((const uint8_t *)row)[v] : ((const uint16_t *)row)[v];
	}
	/* Short codes ("95588", "10086") are not international numbers: E.164 ones have >= 7 digits. */
	size_t len = 0;
	while (d[len] >= '0' && d[len] <= '9')
		len++;
	if (len < 7 || d[len] != '\0')
		return 0;
	for (int k = n - 1; k >= 0; k--)
		if (found[k])
			return found[k];
	return 0;
}

unsigned det_country_by_number(const char *number)
{
	countries_init();
	return number ? cc_lookup(country_cc, 1, number) : 0;
}

double det_country_min_km(unsigned a, unsigned b)
{
	const struct det_country *ca = det_country(a), *cb = det_country(b);
	if (!ca || !cb)
		return -1;
	if (a == b)
		return 0;
	const double r = 6371.0, rad = 3.14159265358979323846 / 180.0;
	double la1 = ca->lat * rad, la2 = cb->lat * rad, dl = (cb->lon - ca->lon) * rad;
	double h = sin((la2 - la1) / 2) * sin((la2 - la1) / 2) + cos(la1) * cos(la2) * sin(dl / 2) * sin(dl / 2);
	double d = 2 * r * asin(sqrt(h > 1 ? 1 : h)) - ca->radius_km - cb->radius_km;
	return d > 0 ? d : 0;
}

/* ---- the high-risk list ------------------------------------------------- */

struct det_areas {
	struct det_area *e;
	size_t n, cap;
	char version[64];
	uint16_t by_mcc[1000];	   /* country entries: MCC -> index + 1 */
	uint16_t by_cc[3][1000];   /* country entries: E.164 prefix -> index + 1 */
	uint32_t *net;		   /* network entry indices sorted by (mcc, mnc) */
	size_t n_net;
	uint32_t *cell;		   /* cell entry indices sorted by (mcc, mnc, width) */
	size_t n_cell;
	uint8_t cell_mcc[125];	   /* bitmap: MCCs with cell entries */
};

struct parse_ctx {
	const char *name;
	unsigned line;
	char *err;
	size_t errsize;
};

__attribute__((format(printf, 2, 3))) static int perr(struct parse_ctx *p, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->line)
		snprintf(p->err, p->errsize, "%s:%u: %s", p->name, p->line, msg);
	else
		snprintf(p->err, p->errsize, "%s: %s", p->name, msg);
	return -SS_ECONFIG;
}

/* Digits only, 1..maxlen of them: the value, else -1. */
static long digits_val(const char *s, size_t len, size_t maxlen)
{
	long v = 0;
	if (len == 0 || len > maxlen)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/*
 * A decimal prefix pattern: digits, then optional trailing 'x' wildcards
 * ("4xxx" = 4000-4999, "4567" = 4567).  At most 10 characters, value within
 * 32 bits.  0 or -1.
 */
static int pattern_range(const char *s, size_t len, int need_digit, uint32_t *lo, uint32_t *hi)
{
	uint64_t a = 0, b = 0;
	size_t i = 0;

	if (len == 0 || len > 10)
		return -1;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		a = a * 10 + (uint64_t)(s[i] - '0');
		b = b * 10 + (uint64_t)(s[i] - '0');
	}
	if (need_digit && i == 0)
		return -1;
	for (; i < len; i++) {
		if (s[i] != 'x' && s[i] != 'X')
			return -1;
		a = a * 10;
		b = b * 10 + 9;
	}
	if (b > UINT32_MAX)
		return -1;
	*lo = (uint32_t)a;
	*hi = (uint32_t)b;
	return 0;
}

/* Split @s at '-' into at most @max parts. */
static int split_dash(const char *s, const char **part, size_t *plen, int max)
{
	int n = 0;
	const char *p = s;
	for (;;) {
		const char *d = strchr(p, '-');
		if (n == max)
			return -1;
		part[n] = p;
		plen[n] = d ? (size_t)(d - p) : strlen(p);
		n++;
		if (!d)
			return n;
		p = d + 1;
	}
}

static struct det_area *area_add(struct det_areas *a)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 32;
		struct det_area *e = realloc(a->e, cap * sizeof(*e));
		if (!e)
			return NULL;
		a->e = e;
		a->cap = cap;
	}
	struct det_area *r = &a->e[a->n++];
	memset(r, 0, sizeof(*r));
	return r;
}

#define MAX_TOK 16

/* Tokenise one line in place: whitespace-separated, key="quoted value" allowed. */
static int tokenise(char *s, char **tok, int *ntok, struct parse_ctx *p)
{
	int n = 0;
	while (*s) {
		while (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		if (!*s || *s == '#')
			break;
		if (n == MAX_TOK)
			return perr(p, "too many fields");
		tok[n++] = s;
		char *w = s;
		int quoted = 0;
		while (*s && (quoted || (*s != ' ' && *s != '\t' && *s != '\r'))) {
			if (*s == '"') {
				quoted = !quoted;
				s++;
				continue;
			}
			*w++ = *s++;
		}
		if (quoted)
			return perr(p, "unterminated quote");
		if (*s)
			s++;
		*w = '\0';
	}
	*ntok = n;
	return 0;
}

/* qsort has no context argument in C11: the list being sorted. */
static const struct det_areas *sort_ctx;

static int cmp_idx_net(const void *x, const void *y)
{
	const struct det_areas *a = sort_ctx;
	const struct det_area *p = &a->e[*(const uint32_t *)x], *q = &a->e[*(const uint32_t *)y];
	uint64_t kp = ((uint64_t)p->mcc << 48) | ((uint64_t)p->mnc << 32);
	uint64_t kq = ((uint64_t)q->mcc << 48) | ((uint64_t)q->mnc << 32);
	if (p->kind == DET_AREA_CELL) {
		/* narrowest first, so the first containing entry is the most specific */
		uint64_t wp = ((uint64_t)(p->lac_hi - p->lac_lo) << 32) + (p->ci_hi - p->ci_lo);
		uint64_t wq = ((uint64_t)(q->lac_hi - q->lac_lo) << 32) + (q->ci_hi - q->ci_lo);
		if (kp != kq)
			return kp < kq ? -1 : 1;
		return wp < wq ? -1 : wp > wq ? 1 : (p->line > q->line) - (p->line < q->line);
	}
	return kp < kq ? -1 : kp > kq ? 1 : 0;
}

/* One directive line.  0 or -SS_ECONFIG / -ENOMEM. */
static int parse_line(struct det_areas *a, char **tok, int n, struct parse_ctx *p)
{
	const char *kind = tok[0];
	const char *weight = NULL, *name = NULL, *mcc = NULL, *cc = NULL;

	if (strcmp(kind, "version") == 0) {
		if (n != 2)
			return perr(p, "version: expected one value");
		if (a->version[0])
			return perr(p, "version given twice");
		if (strlen(tok[1]) >= sizeof(a->version))
			return perr(p, "version: longer than %zu characters", sizeof(a->version) - 1);
		snprintf(a->version, sizeof(a->version), "%s", tok[1]);
		return 0;
	}
	int k = strcmp(kind, "country") == 0   ? DET_AREA_COUNTRY
		: strcmp(kind, "network") == 0 ? DET_AREA_NETWORK
		: strcmp(kind, "cell") == 0    ? DET_AREA_CELL
					       : 0;
	if (!k)
		return perr(p, "unknown entry '%s' (expected version, country, network or cell)", kind);
	if (n < 2)
		return perr(p, "%s: missing identifier", kind);
	for (int i = 2; i < n; i++) {
		char *eq = strchr(tok[i], '=');
		if (!eq || eq == tok[i])
			return perr(p, "'%s': expected key=value", tok[i]);
		*eq = '\0';
		const char *key = tok[i], *val = eq + 1, **slot = NULL;
		if (strcmp(key, "weight") == 0)
			slot = &weight;
		else if (strcmp(key, "name") == 0)
			slot = &name;
		else if (strcmp(key, "mcc") == 0 && k == DET_AREA_COUNTRY)
			slot = &mcc;
		else if (strcmp(key, "cc") == 0 && k == DET_AREA_COUNTRY)
			slot = &cc;
		if (!slot)
			return perr(p, "%s: unknown key '%s'", kind, key);
		if (*slot)
			return perr(p, "%s: key '%s' given twice", kind, key);
		if (!*val)
			return perr(p, "%s: empty value for '%s'", kind, key);
		*slot = val;
	}

	struct det_area *e = area_add(a);
	if (!e)
		return -ENOMEM;
	e->kind = (uint8_t)k;
	e->line = p->line;
	e->weight = 50;
	if (weight) {
		long w = digits_val(weight, strlen(weight), 3);
		if (w < 1 || w > 100)
			return perr(p, "weight '%s': expected an integer 1-100", weight);
		e->weight = (uint8_t)w;
	}
	if (strlen(tok[1]) >= sizeof(e->id))
		return perr(p, "%s: identifier '%s' too long", kind, tok[1]);
	snprintf(e->id, sizeof(e->id), "%s", tok[1]);
	if (name && strlen(name) >= sizeof(e->name))
		return perr(p, "name: longer than %zu characters", sizeof(e->name) - 1);
	snprintf(e->name, sizeof(e->name), "%s", name ? name : tok[1]);

	if (k == DET_AREA_COUNTRY) {
		const char *iso = tok[1];
		if (strlen(iso) != 2 || iso[0] < 'A' || iso[0] > 'Z' || iso[1] < 'A' || iso[1] > 'Z')
			return perr(p, "country '%s': expected an ISO 3166 alpha-2 code (e.g. MM)", iso);
		for (size_t i = 0; i + 1 < a->n; i++)
			if (a->e[i].kind == DET_AREA_COUNTRY && strcmp(a->e[i].id, iso) == 0)
				return perr(p, "country %s already listed on line %u", iso, a->e[i].line);
		if (!mcc)
			return perr(p, "country %s: missing mcc=", iso);
		if (!cc)
			return perr(p, "country %s: missing cc=", iso);
		if (a->n > UINT16_MAX) /* by_mcc / by_cc hold index + 1 in 16 bits */
			return perr(p, "country %s: too many entries (a country must be among the first %u)", iso,
				    (unsigned)UINT16_MAX);
		uint16_t idx = (uint16_t)a->n; /* index + 1 */
		const char *m = mcc;
		for (;;) {
			const char *comma = strchr(m, ',');
			size_t len = comma ? (size_t)(comma - m) : strlen(m);
			long v = len == 3 ? digits_val(m, len, 3) : -1;
			if (v < 200 || v > 999)
				return perr(p, "country %s: mcc '%.*s': expected 3 digits 200-999", iso, (int)len, m);
			if (a->by_mcc[v])
				return perr(p, "country %s: MCC %ld already listed on line %u", iso, v,
					    a->e[a->by_mcc[v] - 1].line);
			a->by_mcc[v] = idx;
			if (!e->mcc)
				e->mcc = (uint16_t)v;
			if (!comma)
				break;
			m = comma + 1;
		}
		size_t cl = strlen(cc);
		long cv = digits_val(cc, cl, 3);
		if (cv < 1 || cc[0] == '0')
			return perr(p, "country %s: cc '%s': expected an E.164 country code (1-3 digits)", iso, cc);
		if (a->by_cc[cl - 1][cv])
			return perr(p, "country %s: country code %s already listed on line %u", iso, cc,
				    a->e[a->by_cc[cl - 1][cv] - 1].line);
		a->by_cc[cl - 1][cv] = idx;
		return 0;
	}
	if (mcc || cc)
		return perr(p, "%s: mcc= and cc= belong to country entries", kind);

	const char *part[4];
	size_t plen[4];
	int np = split_dash(tok[1], part, plen, 4);
	long vm = np >= 2 ? digits_val(part[0], plen[0], 3) : -1;
	long vn = np >= 2 && plen[1] >= 2 ? digits_val(part[1], plen[1], 3) : -1;
	if (k == DET_AREA_NETWORK) {
		if (np != 2 || plen[0] != 3 || vm < 200 || vn < 0)
			return perr(p, "network '%s': expected MCC-MNC (e.g. 414-06)", tok[1]);
		e->mcc = (uint16_t)vm;
		e->mnc = (uint16_t)vn;
		for (size_t i = 0; i + 1 < a->n; i++)
			if (a->e[i].kind == DET_AREA_NETWORK && a->e[i].mcc == e->mcc && a->e[i].mnc == e->mnc)
				return perr(p, "network %s already listed on line %u", tok[1], a->e[i].line);
		return 0;
	}
	/* cell MCC-MNC-LAC[-CI] */
	if (np < 3 || plen[0] != 3 || vm < 200 || vn < 0)
		return perr(p, "cell '%s': expected MCC-MNC-LAC[-CI] with decimal prefixes (e.g. 460-00-4xxx)",
			    tok[1]);
	e->mcc = (uint16_t)vm;
	e->mnc = (uint16_t)vn;
	if (pattern_range(part[2], plen[2], 1, &e->lac_lo, &e->lac_hi))
		return perr(p, "cell '%s': LAC '%.*s': expected digits then optional x wildcards", tok[1],
			    (int)plen[2], part[2]);
	e->ci_lo = 0;
	e->ci_hi = UINT32_MAX;
	if (np == 4) {
		if (e->lac_lo != e->lac_hi)
			return perr(p, "cell '%s': a CI prefix needs an exact LAC", tok[1]);
		if (pattern_range(part[3], plen[3], 1, &e->ci_lo, &e->ci_hi))
			return perr(p, "cell '%s': CI '%.*s': expected digits then optional x wildcards", tok[1],
				    (int)plen[3], part[3]);
	}
	for (size_t i = 0; i + 1 < a->n; i++) {
		const struct det_area *o = &a->e[i];
		if (o->kind == DET_AREA_CELL && o->mcc == e->mcc && o->mnc == e->mnc && o->lac_lo == e->lac_lo &&
		    o->lac_hi == e->lac_hi && o->ci_lo == e->ci_lo && o->ci_hi == e->ci_hi)
			return perr(p, "cell %s already listed on line %u", tok[1], o->line);
	}
	return 0;
}

static int finish(struct det_areas *a, struct parse_ctx *p)
{
	p->line = 0;
	if (!a->version[0])
		return perr(p, "no 'version' line");
	for (size_t i = 0; i < a->n; i++) {
		if (a->e[i].kind == DET_AREA_NETWORK)
			a->n_net++;
		else if (a->e[i].kind == DET_AREA_CELL)
			a->n_cell++;
	}
	a->net = malloc((a->n_net + 1) * sizeof(uint32_t));
	a->cell = malloc((a->n_cell + 1) * sizeof(uint32_t));
	if (!a->net || !a->cell)
		return -ENOMEM;
	size_t nn = 0, nc = 0;
	for (size_t i = 0; i < a->n; i++) {
		if (a->e[i].kind == DET_AREA_NETWORK)
			a->net[nn++] = (uint32_t)i;
		else if (a->e[i].kind == DET_AREA_CELL) {
			a->cell[nc++] = (uint32_t)i;
			a->cell_mcc[a->e[i].mcc >> 3] |= (uint8_t)(1u << (a->e[i].mcc & 7));
		}
	}
	sort_ctx = a;
	qsort(a->net, nn, sizeof(uint32_t), cmp_idx_net);
	qsort(a->cell, nc, sizeof(uint32_t), cmp_idx_net);
	sort_ctx = NULL;
	return 0;
}

int det_areas_parse(const char *text, size_t len, const char *name, struct det_areas **out, char *err,
		    size_t errsize)
{
	struct parse_ctx p = { name ? name : "<areas>", 0, err, errsize };
	struct det_areas *a = calloc(1, sizeof(*a));
	char line[1024];
	size_t pos = 0;
	int rc = 0;

	*out = NULL;
	if (err && errsize)
		err[0] = '\0';
	if (!a)
		return -ENOMEM;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - (text + pos)) : len - pos;
		p.line++;
		if (ll >= sizeof(line)) {
			rc = perr(&p, "line longer than %zu characters", sizeof(line) - 1);
			goto out;
		}
		memcpy(line, text + pos, ll);
		line[ll] = '\0';
		pos += ll + (nl ? 1 : 0);
		if (memchr(line, '\0', ll)) {
			rc = perr(&p, "NUL byte");
			goto out;
		}
		char *tok[MAX_TOK];
		int n = 0;
		rc = tokenise(line, tok, &n, &p);
		if (rc < 0)
			goto out;
		if (n == 0)
			continue;
		rc = parse_line(a, tok, n, &p);
		if (rc < 0) {
			if (rc == -ENOMEM)
				perr(&p, "out of memory");
			goto out;
		}
	}
	rc = finish(a, &p);
out:
	if (rc < 0) {
		det_areas_free(a);
		return rc == -ENOMEM ? rc : -SS_ECONFIG;
	}
	*out = a;
	return 0;
}

int det_areas_load(const char *path, struct det_areas **out, char *err, size_t errsize)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;
	int rc;

	*out = NULL;
	if (!f) {
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		return -SS_ECONFIG;
	}
	for (;;) {
		if (cap - n < 4096) {
			if (cap >= (size_t)16 << 20) {
				fclose(f);
				free(buf);
				snprintf(err, errsize, "%s: larger than 16 MiB", path);
				return -SS_ECONFIG;
			}
			cap = cap ? cap * 2 : 16384;
			char *nb = realloc(buf, cap);
			if (!nb) {
				fclose(f);
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		snprintf(err, errsize, "%s: read error", path);
		return -SS_ECONFIG;
	}
	rc = det_areas_parse(buf, n, path, out, err, errsize);
	free(buf);
	return rc;
}

void det_areas_free(struct det_areas *a)
{
	if (!a)
		return;
	free(a->e);
	free(a->net);
	free(a->cell);
	free(a);
}

const char *det_areas_version(const struct det_areas *a)
{
	return a ? a->version : "";
}

size_t det_areas_count(const struct det_areas *a)
{
	return a ? a->n : 0;
}

const struct det_area *det_areas_plmn(const struct det_areas *a, unsigned mcc, int mnc)
{
	if (!a || mcc >= 1000)
		return NULL;
	if (mnc >= 0 && a->n_net) {
		size_t lo = 0, hi = a->n_net;
		uint32_t want = (mcc << 16) | (unsigned)mnc;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			const struct det_area *e = &a->e[a->net[mid]];
			uint32_t k = ((uint32_t)e->mcc << 16) | e->mnc;
			if (k == want)
				return e;
			if (k < want)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return a->by_mcc[mcc] ? &a->e[a->by_mcc[mcc] - 1] : NULL;
}

const struct det_area *det_areas_number(const struct det_areas *a, const char *number)
{
	if (!a || !number)
		return NULL;
	unsigned idx = cc_lookup(a->by_cc, sizeof(uint16_t), number);
	return idx ? &a->e[idx - 1] : NULL;
}

int det_areas_has_cells(const struct det_areas *a, unsigned mcc)
{
	return a && a->n_cell && mcc < 1000 && (a->cell_mcc[mcc >> 3] >> (mcc & 7)) & 1;
}

const struct det_area *det_areas_cell(const struct det_areas *a, const struct ev_cell *c)
{
	if (!c->present || !det_areas_has_cells(a, c->mcc))
		return NULL;
	/* First entry of (mcc, mnc): the list is short, and sorted narrowest first within it. */
	size_t lo = 0, hi = a->n_cell;
	uint32_t want = ((uint32_t)c->mcc << 16) | c->mnc;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct det_area *e = &a->e[a->cell[mid]];
		if ((((uint32_t)e->mcc << 16) | e->mnc) < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < a->n_cell; lo++) {
		const struct det_area *e = &a->e[a->cell[lo]];
		if ((((uint32_t)e->mcc << 16) | e->mnc) != want)
			break;
		if (c->lac >= e->lac_lo && c->lac <= e->lac_hi && c->ci >= e->ci_lo && c->ci <= e->ci_hi)
			return e;
	}
	return NULL;
}

int det_plmn_split(const char *plmn, unsigned *mcc, int *mnc)
{
	size_t len = plmn ? strlen(plmn) : 0;
	long m, n;
	if (len < 5 || len > 6 || (m = digits_val(plmn, 3, 3)) < 0 || (n = digits_val(plmn + 3, len - 3, 3)) < 0)
		return -1;
	*mcc = (unsigned)m;
	*mnc = (int)n;
	return 0;
}
