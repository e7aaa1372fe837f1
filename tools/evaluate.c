/*
 * evaluate.c - score simsieve actions against a scenario's ground truth.
 *
 *   evaluate --truth DIR/truth.csv --actions actions.jsonl [--json] [--quiet]
 *            [--assert 'fraud_sim_recall>=0.95,benign_block_rate<=0.0005,...']
 *
 * truth.csv is written by scenario_gen (kind,imsi,msisdn,imei,role,group,
 * fraud_start; see docs/scenarios.md).  actions.jsonl follows
 * /work/shared/spec/action.md; lines that are not a JSON object with a known
 * "action" and a "subject" are skipped and counted.
 *
 * Matching: an action whose subject has an imsi matches the truth SIM with
 * that IMSI (else, or when the IMSI is unknown, by msisdn: a SIM first, then
 * a kind=number row - an external number, where only a block is strong).  An action whose
 * subject has only an imei is a device action and matches a gateway IMEI
 * (compared on TAC+serial, the first 14 digits, so IMEI/IMEISV both match).
 * block, reverify and limit are "strong" in either mode (shadow is what the
 * engine would have done).
 *
 * Exit: 0, 1 when an --assert bound fails (each failure named on stderr),
 * 2 on usage or input errors.
 */
#include "core/hash.h"
#include "core/time.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "evaluate: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(2);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die("%s", "out of memory");
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("%s", "out of memory");
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = xmalloc(n);
	memcpy(p, s, n);
	return p;
}

/* ------------------------------------------------------------------ */
/* string -> int map                                                    */

struct smap {
	char **k;
	int *v;
	size_t cap, n;
};

static void smap_put(struct smap *m, const char *key, int val);

static void smap_grow(struct smap *m)
{
	struct smap nm = { 0 };
	nm.cap = m->cap ? m->cap * 2 : 1024;
	nm.k = calloc(nm.cap, sizeof(char *));
	nm.v = calloc(nm.cap, sizeof(int));
	if (!nm.k || !nm.v)
		die("%s", "out of memory");
	for (size_t i = 0; i < m->cap; i++)
		if (m->k[i]) {
			smap_put(&nm, m->k[i], m->v[i]);
			free(m->k[i]);
		}
	free(m->k);
	free(m->v);
	*m = nm;
}

/* Insert or overwrite. */
static void smap_put(struct smap *m, const char *key, int val)
{
	if ((m->n + 1) * 2 > m->cap)
		smap_grow(m);
	size_t mask = m->cap - 1, i = (size_t)ss_hash_str(key, 0x7e57) & mask;
	while (m->k[i]) {
		if (!strcmp(m->k[i], key)) {
			m->v[i] = val;
			return;
		}
		i = (i + 1) & mask;
	}
	m->k[i] = xstrdup(key);
	m->v[i] = val;
	m->n++;
}

static int smap_get(const struct smap *m, const char *key)
{
	if (!m->cap || !key || !*key)
		return -1;
	size_t mask = m->cap - 1, i = (size_t)ss_hash_str(key, 0x7e57) & mask;
	while (m->k[i]) {
		if (!strcmp(m->k[i], key))
			return m->v[i];
		i = (i + 1) & mask;
	}
	return -1;
}

static void smap_free(struct smap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->k[i]);
	free(m->k);
	free(m->v);
}

/* ------------------------------------------------------------------ */
/* truth                                                                */

/* Roles: benign SIM roles, benign number roles, then fraud (SIM, number, IMEI). */
enum {
	RO_NORMAL,
	RO_COURIER,
	RO_SHARED,
	RO_UPGRADE,
	RO_CALLCENTRE,
	RO_TRAVELLER,
	RO_FAMILY,
	RO_ENTERPRISE,
	RO_TRAVRISK,
	RO_IDCHURNED,
	RO_WALKIN,
	RO_SMS_FWD, /* forwards one scam SMS to a friend: "is this a scam?" */
	RO_OTHER, /* an unknown benign SIM role */
	RO_BANK,
	RO_LGRAY,
	RO_SMS_BANK, /* SMS family: benign bulk senders (external numbers) */
	RO_SMS_COURIER,
	RO_SMS_ANTIFRAUD,
	RO_SMS_OPERATOR,
	RO_SMS_MARKETING,
	RO_OTHER_NUMBER, /* an unknown number role (benign) */
	RO_SIMBOX,	 /* first fraud role */
	RO_MIMIC,
	RO_BULK_DOC,
	RO_BULK_IDS,
	RO_IDMANY,
	RO_SILENT,
	RO_DORMANT,
	RO_ROAMFRESH,
	RO_ROAMIOT,
	RO_LBSIM,
	RO_WANGIRI,
	RO_LBLACK,
	RO_SMS_SCAM,
	RO_SMS_CAMPAIGN,
	RO_SIMBOX_IMEI,
	RO_MIMIC_IMEI,
	RO__N
};
static const char *const ro_name[RO__N] = {
	"normal",	   "courier",	     "shared_phone", "upgrade",	      "call_centre",  "traveller",
	"family",	   "enterprise_batch", "traveller_risk", "id_churned", "walk_in",      "sms_forwarder", "other",
	"bank_centre",	   "listed_gray",    "sms_bank", "sms_courier", "sms_antifraud", "sms_operator",
	"sms_marketing", "other_number", "simbox_sim",     "mimic_sim",    "bulk_reused_doc",
	"bulk_bought_ids", "id_many",	     "silent_wake",  "dormant_wake",  "roamer_fresh", "roamer_iot",
	"listed_black_sim", "wangiri",	     "listed_black", "sms_scam_sender", "sms_campaign_sender", "simbox_imei",   "mimic_imei"
};

static int is_fraud(int r)
{
	return r >= RO_SIMBOX;
}

static int is_box(int r)
{
	return r == RO_SIMBOX || r == RO_MIMIC;
}

static int is_number_role(int r)
{
	return r == RO_BANK || r == RO_LGRAY || r == RO_OTHER_NUMBER || r == RO_WANGIRI || r == RO_LBLACK ||
	       (r >= RO_SMS_BANK && r <= RO_SMS_MARKETING);
}

static int is_imei_role(int r)
{
	return r == RO_SIMBOX_IMEI || r == RO_MIMIC_IMEI;
}

/* Fraud families of issue 5: metric prefix and member roles. */
static const struct {
	const char *name;
	int roles[2];
} fams[] = {
	{ "bulk", { RO_BULK_DOC, RO_BULK_IDS } }, { "idmany", { RO_IDMANY, -1 } },
	{ "silent", { RO_SILENT, RO_DORMANT } },  { "roamer", { RO_ROAMFRESH, RO_ROAMIOT } },
	{ "iot_roamer", { RO_ROAMIOT, -1 } },	  { "wangiri", { RO_WANGIRI, -1 } },
	{ "list_black", { RO_LBLACK, RO_LBSIM } }, { "sms", { RO_SMS_SCAM, RO_SMS_CAMPAIGN } },
	{ "sms_scam", { RO_SMS_SCAM, -1 } },	  { "sms_campaign", { RO_SMS_CAMPAIGN, -1 } },
};
#define NFAMS ((int)(sizeof(fams) / sizeof(fams[0])))

/* action strength: higher is stronger */
enum { A_NONE, A_RELEASE, A_MONITOR, A_LIMIT, A_REVERIFY, A_BLOCK, A__N };
static const char *const a_name[A__N] = { "none", "release", "monitor", "limit", "reverify", "block" };
#define STRONG(a) ((a) >= A_LIMIT)

struct entity {
	int role, is_imei, is_number;
	int strong; /* a strong action: block/reverify/limit; for a number, a block */
	char *id; /* imsi or imei, for messages */
	int64_t fraud_start; /* seconds, or INT64_MIN */
	int strongest;
	unsigned kinds;	     /* bit per action kind seen */
	int64_t first_strong; /* seconds, INT64_MAX none */
	int n_actions;
};

static struct entity *T;
static int g_nt, g_tcap;
static struct smap by_imsi, by_msisdn, by_gw_imei, by_benign_imei, by_number;

static void strip_cr(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = 0;
}

/* Normalised keys: msisdn without '+'; IMEI as its first 14 digits. */
static void key_msisdn(const char *in, char *out, size_t cap)
{
	while (*in == '+' || *in == ' ')
		in++;
	snprintf(out, cap, "%s", in);
}

static int key_imei(const char *in, char *out, size_t cap)
{
	size_t n = 0;
	for (; in[n] && n < 14; n++)
		if (in[n] < '0' || in[n] > '9')
			return -1;
	if (n < 14 || cap < 15)
		return -1;
	memcpy(out, in, 14);
	out[14] = 0;
	return 0;
}

static int parse_time_s(const char *s, int64_t *out)
{
	ss_time_us t;
	if (!s || !*s || ss_time_parse(s, strlen(s), &t))
		return -1;
	*out = t >= 0 ? t / SS_US_PER_SEC : -((-t + SS_US_PER_SEC - 1) / SS_US_PER_SEC);
	return 0;
}

static int split_csv(char *line, char **f, int maxf)
{
	int n = 0;
	char *p = line;
	for (;;) {
		if (n == maxf)
			return n;
		if (*p == '"') { /* quoted field */
			char *w = ++p;
			f[n++] = w;
			for (;;) {
				if (!*p)
					break;
				if (*p == '"' && p[1] == '"') {
					*w++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					*w++ = *p++;
				}
			}
			char *end = strchr(p, ',');
			*w = 0;
			if (!end)
				return n;
			p = end + 1;
			continue;
		}
		f[n++] = p;
		char *c = strchr(p, ',');
		if (!c)
			return n;
		*c = 0;
		p = c + 1;
	}
}

static int new_entity(void)
{
	if (g_nt == g_tcap) {
		g_tcap = g_tcap ? g_tcap * 2 : 4096;
		T = xrealloc(T, (size_t)g_tcap * sizeof(*T));
	}
	struct entity *e = &T[g_nt];
	memset(e, 0, sizeof(*e));
	e->fraud_start = INT64_MIN;
	e->first_strong = INT64_MAX;
	return g_nt++;
}

static void load_truth(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		die("cannot open truth file %s", path);
	char *line = NULL;
	size_t cap = 0;
	long lineno = 0;
	int col[8];
	enum { C_KIND, C_IMSI, C_MSISDN, C_IMEI, C_ROLE, C_GROUP, C_FSTART, C_ID };
	static const char *const cname[8] = { "kind", "imsi", "msisdn", "imei", "role", "group", "fraud_start", "id" };
	for (int i = 0; i < 8; i++)
		col[i] = -1;
	while (getline(&line, &cap, f) > 0) {
		lineno++;
		strip_cr(line);
		char *fld[32];
		int nf = split_csv(line, fld, 32);
		if (lineno == 1) {
			for (int i = 0; i < nf; i++)
				for (int c = 0; c < 8; c++)
					if (!strcasecmp(fld[i], cname[c]))
						col[c] = i;
			if (col[C_KIND] < 0 || col[C_ROLE] < 0 || (col[C_IMSI] < 0 && col[C_ID] < 0))
				die("%s: header must name kind, imsi (or id), role", path);
			continue;
		}
		if (!*line)
			continue;
#define FLD(c) (col[c] >= 0 && col[c] < nf ? fld[col[c]] : "")
		const char *kind = FLD(C_KIND), *role = FLD(C_ROLE);
		int r = RO_OTHER;
		for (int i = 0; i < RO__N; i++)
			if (!strcmp(role, ro_name[i]))
				r = i;
		int is_imei = !strcmp(kind, "imei"), is_number = !strcmp(kind, "number");
		if (!is_imei && !is_number && strcmp(kind, "sim")) {
			fprintf(stderr, "evaluate: %s:%ld: unknown kind '%s', row ignored\n", path, lineno, kind);
			continue;
		}
		if (is_imei && !is_imei_role(r))
			r = RO_SIMBOX_IMEI; /* an unknown gateway role */
		else if (is_number && !is_number_role(r))
			r = RO_OTHER_NUMBER;
		else if (!is_imei && !is_number && (is_imei_role(r) || is_number_role(r)))
			r = RO_OTHER;
		if (is_number && !*FLD(C_MSISDN)) {
			fprintf(stderr, "evaluate: %s:%ld: number row without msisdn, row ignored\n", path, lineno);
			continue;
		}
		int ei = new_entity();
		struct entity *e = &T[ei];
		e->role = r;
		e->is_imei = is_imei;
		e->is_number = is_number;
		const char *fs = FLD(C_FSTART);
		if (*fs && parse_time_s(fs, &e->fraud_start)) {
			fprintf(stderr, "evaluate: %s:%ld: bad fraud_start '%s'\n", path, lineno, fs);
			e->fraud_start = INT64_MIN;
		}
		char k[64];
		if (is_imei) {
			const char *im = *FLD(C_IMEI) ? FLD(C_IMEI) : FLD(C_ID);
			if (key_imei(im, k, sizeof(k))) {
				fprintf(stderr, "evaluate: %s:%ld: bad imei '%s', row ignored\n", path, lineno, im);
				g_nt--;
				continue;
			}
			e->id = xstrdup(im);
			smap_put(&by_gw_imei, k, ei);
		} else if (is_number) {
			key_msisdn(FLD(C_MSISDN), k, sizeof(k));
			e->id = xstrdup(k);
			smap_put(&by_number, k, ei);
		} else {
			const char *imsi = *FLD(C_IMSI) ? FLD(C_IMSI) : FLD(C_ID);
			e->id = xstrdup(imsi);
			if (*imsi)
				smap_put(&by_imsi, imsi, ei);
			if (*FLD(C_MSISDN)) {
				key_msisdn(FLD(C_MSISDN), k, sizeof(k));
				smap_put(&by_msisdn, k, ei); /* a swapped number: the later card wins */
			}
			/* the handsets this SIM used: device actions on them hit a customer */
			char ims[256];
			snprintf(ims, sizeof(ims), "%s", FLD(C_IMEI));
			for (char *tok = strtok(ims, ";"); tok; tok = strtok(NULL, ";"))
				if (!key_imei(tok, k, sizeof(k)))
					smap_put(&by_benign_imei, k, ei);
		}
#undef FLD
	}
	free(line);
	fclose(f);
	if (g_nt == 0)
		die("%s: no truth rows", path);
}

/* ------------------------------------------------------------------ */
/* JSON scanning                                                        */

struct jp {
	const char *p, *e;
	int err;
};

static void jws(struct jp *j)
{
	while (j->p < j->e && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int hexv(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void put_utf8(char *out, size_t cap, size_t *n, unsigned cp)
{
	char b[4];
	size_t k;
	if (cp < 0x80) {
		b[0] = (char)cp;
		k = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		k = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		k = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		k = 4;
	}
	for (size_t i = 0; i < k; i++)
		if (*n + 1 < cap)
			out[(*n)++] = b[i];
}

static unsigned read_hex4(struct jp *j)
{
	if (j->e - j->p < 4) {
		j->err = 1;
		return 0;
	}
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		int h = hexv(j->p[i]);
		if (h < 0) {
			j->err = 1;
			return 0;
		}
		v = v * 16 + (unsigned)h;
	}
	j->p += 4;
	return v;
}

/* A JSON string at j->p (after ws) into out (truncated to cap-1, NUL-terminated). */
static void jstring(struct jp *j, char *out, size_t cap)
{
	size_t n = 0;
	if (j->p >= j->e || *j->p != '"') {
		j->err = 1;
		return;
	}
	j->p++;
	while (j->p < j->e) {
		unsigned char c = (unsigned char)*j->p++;
		if (c == '"') {
			if (out && cap)
				out[n] = 0;
			return;
		}
		if (c < 0x20) {
			j->err = 1;
			return;
		}
		if (c != '\\') {
			if (out && n + 1 < cap)
				out[n++] = (char)c;
			continue;
		}
		if (j->p >= j->e)
			break;
		char x = *j->p++;
		unsigned cp;
		switch (x) {
		case '"': cp = '"'; break;
		case '\\': cp = '\\'; break;
		case '/': cp = '/'; break;
		case 'b': cp = '\b'; break;
		case 'f': cp = '\f'; break;
		case 'n': cp = '\n'; break;
		case 'r': cp = '\r'; break;
		case 't': cp = '\t'; break;
		case 'u':
			cp = read_hex4(j);
			if (j->err)
				return;
			if (cp >= 0xD800 && cp < 0xDC00 && j->e - j->p >= 6 && j->p[0] == '\\' && j->p[1] == 'u') {
				j->p += 2;
				unsigned lo = read_hex4(j);
				if (j->err)
					return;
				if (lo >= 0xDC00 && lo < 0xE000)
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				else
					cp = 0xFFFD;
			} else if (cp >= 0xD800 && cp < 0xE000) {
				cp = 0xFFFD;
			}
			break;
		default:
			j->err = 1;
			return;
		}
		if (out)
			put_utf8(out, cap, &n, cp);
	}
	j->err = 1; /* unterminated */
}

/* A JSON number, copied as text. */
static void jnumber(struct jp *j, char *out, size_t cap)
{
	const char *s = j->p;
	if (j->p < j->e && *j->p == '-')
		j->p++;
	if (j->p >= j->e || *j->p < '0' || *j->p > '9') {
		j->err = 1;
		return;
	}
	while (j->p < j->e && *j->p >= '0' && *j->p <= '9')
		j->p++;
	if (j->p < j->e && *j->p == '.') {
		j->p++;
		if (j->p >= j->e || *j->p < '0' || *j->p > '9') {
			j->err = 1;
			return;
		}
		while (j->p < j->e && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (j->p < j->e && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->e && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (j->p >= j->e || *j->p < '0' || *j->p > '9') {
			j->err = 1;
			return;
		}
		while (j->p < j->e && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (out && cap) {
		size_t n = (size_t)(j->p - s);
		if (n >= cap)
			n = cap - 1;
		memcpy(out, s, n);
		out[n] = 0;
	}
}

static void jskip(struct jp *j, int depth);

static int jlit(struct jp *j, const char *lit)
{
	size_t n = strlen(lit);
	if ((size_t)(j->e - j->p) >= n && !memcmp(j->p, lit, n)) {
		j->p += n;
		return 1;
	}
	return 0;
}

/*
 * Iterate an object: calls back per key with j->p at the value (after ws);
 * the callback must consume the value.  Returns with j->err set on error.
 */
typedef void (*member_fn)(struct jp *j, const char *key, void *ctx, int depth);

static void jobject(struct jp *j, member_fn fn, void *ctx, int depth)
{
	if (depth > 64) {
		j->err = 1;
		return;
	}
	jws(j);
	if (j->p >= j->e || *j->p != '{') {
		j->err = 1;
		return;
	}
	j->p++;
	jws(j);
	if (j->p < j->e && *j->p == '}') {
		j->p++;
		return;
	}
	for (;;) {
		char key[64];
		jws(j);
		jstring(j, key, sizeof(key));
		if (j->err)
			return;
		jws(j);
		if (j->p >= j->e || *j->p != ':') {
			j->err = 1;
			return;
		}
		j->p++;
		jws(j);
		if (fn)
			fn(j, key, ctx, depth + 1);
		else
			jskip(j, depth + 1);
		if (j->err)
			return;
		jws(j);
		if (j->p < j->e && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->e && *j->p == '}') {
			j->p++;
			return;
		}
		j->err = 1;
		return;
	}
}

static void jskip(struct jp *j, int depth)
{
	if (depth > 64) {
		j->err = 1;
		return;
	}
	jws(j);
	if (j->p >= j->e) {
		j->err = 1;
		return;
	}
	switch (*j->p) {
	case '{':
		jobject(j, NULL, NULL, depth);
		return;
	case '[':
		j->p++;
		jws(j);
		if (j->p < j->e && *j->p == ']') {
			j->p++;
			return;
		}
		for (;;) {
			jskip(j, depth + 1);
			if (j->err)
				return;
			jws(j);
			if (j->p < j->e && *j->p == ',') {
				j->p++;
				continue;
			}
			if (j->p < j->e && *j->p == ']') {
				j->p++;
				return;
			}
			j->err = 1;
			return;
		}
	case '"':
		jstring(j, NULL, 0);
		return;
	default:
		if (jlit(j, "true") || jlit(j, "false") || jlit(j, "null"))
			return;
		jnumber(j, NULL, 0);
	}
}

/* A string value, or a number copied as text; anything else skipped (out = ""). */
static void jscalar(struct jp *j, char *out, size_t cap, int depth)
{
	out[0] = 0;
	if (j->p < j->e && *j->p == '"')
		jstring(j, out, cap);
	else if (j->p < j->e && (*j->p == '-' || (*j->p >= '0' && *j->p <= '9')))
		jnumber(j, out, cap);
	else
		jskip(j, depth);
}

struct action {
	char id[128], action[32], mode[32], event_time[64], emitted_at[64], score[32];
	char msisdn[64], imsi[64], imei[64];
	int has_subject, n_reasons;
	char codes[8][64];
};

static void subject_member(struct jp *j, const char *key, void *ctx, int depth)
{
	struct action *a = ctx;
	if (!strcmp(key, "msisdn"))
		jscalar(j, a->msisdn, sizeof(a->msisdn), depth);
	else if (!strcmp(key, "imsi"))
		jscalar(j, a->imsi, sizeof(a->imsi), depth);
	else if (!strcmp(key, "imei"))
		jscalar(j, a->imei, sizeof(a->imei), depth);
	else
		jskip(j, depth);
}

static void reason_member(struct jp *j, const char *key, void *ctx, int depth)
{
	struct action *a = ctx;
	if (!strcmp(key, "code") && a->n_reasons > 0 && a->n_reasons <= 8)
		jscalar(j, a->codes[a->n_reasons - 1], sizeof(a->codes[0]), depth);
	else
		jskip(j, depth);
}

static void action_member(struct jp *j, const char *key, void *ctx, int depth)
{
	struct action *a = ctx;
	if (!strcmp(key, "id"))
		jscalar(j, a->id, sizeof(a->id), depth);
	else if (!strcmp(key, "action"))
		jscalar(j, a->action, sizeof(a->action), depth);
	else if (!strcmp(key, "mode"))
		jscalar(j, a->mode, sizeof(a->mode), depth);
	else if (!strcmp(key, "event_time"))
		jscalar(j, a->event_time, sizeof(a->event_time), depth);
	else if (!strcmp(key, "emitted_at"))
		jscalar(j, a->emitted_at, sizeof(a->emitted_at), depth);
	else if (!strcmp(key, "score"))
		jscalar(j, a->score, sizeof(a->score), depth);
	else if (!strcmp(key, "subject") && j->p < j->e && *j->p == '{') {
		a->has_subject = 1;
		jobject(j, subject_member, a, depth);
	} else if (!strcmp(key, "reasons") && j->p < j->e && *j->p == '[') {
		j->p++;
		jws(j);
		if (j->p < j->e && *j->p == ']') {
			j->p++;
			return;
		}
		for (;;) {
			jws(j);
			a->n_reasons++;
			if (j->p < j->e && *j->p == '{' && a->n_reasons <= 8)
				jobject(j, reason_member, a, depth + 1);
			else
				jskip(j, depth + 1);
			if (j->err)
				return;
			jws(j);
			if (j->p < j->e && *j->p == ',') {
				j->p++;
				continue;
			}
			if (j->p < j->e && *j->p == ']') {
				j->p++;
				return;
			}
			j->err = 1;
			return;
		}
	} else {
		jskip(j, depth);
	}
}

/* ------------------------------------------------------------------ */
/* counting                                                             */

static long n_lines, n_actions, n_bad_json, n_bad_action, n_no_subject, n_bad_time;
static long n_kind[A__N], n_enforce, n_shadow, n_mode_other;
static long n_unmatched, n_unmatched_blocks, n_device, n_device_benign, n_device_benign_strong,
	n_device_unmatched, n_sim_actions;
static struct smap fam_count;
static long fam_n[64];
static char *fam_name[64];
static int n_fam;

static void count_family(const char *code)
{
	char fam[64];
	size_t k = strcspn(code, ".");
	if (!*code)
		return;
	snprintf(fam, sizeof(fam), "%.*s", (int)(k < 60 ? k : 60), code);
	int i = smap_get(&fam_count, fam);
	if (i < 0) {
		if (n_fam == 64)
			return;
		i = n_fam++;
		fam_name[i] = xstrdup(fam);
		smap_put(&fam_count, fam, i);
	}
	fam_n[i]++;
}

static int action_kind(const char *s)
{
	for (int i = A_RELEASE; i < A__N; i++)
		if (!strcmp(s, a_name[i]))
			return i;
	return -1;
}

static void apply(int ei, int kind, int64_t et, int have_t)
{
	struct entity *e = &T[ei];
	e->n_actions++;
	e->kinds |= 1u << kind;
	if (kind > e->strongest)
		e->strongest = kind;
	/* a foreign number can only be blocked (intercepted); limit/reverify have no meaning there */
	int strong = e->is_number ? kind == A_BLOCK : STRONG(kind);
	if (strong)
		e->strong = 1;
	if (strong && have_t && et < e->first_strong)
		e->first_strong = et;
	if (strong && !have_t && e->first_strong == INT64_MAX)
		e->first_strong = INT64_MAX - 1; /* detected, time unknown */
}

static void process_line(const char *s, size_t len)
{
	struct action a;
	memset(&a, 0, sizeof(a));
	struct jp j = { s, s + len, 0 };
	jws(&j);
	if (j.p == j.e)
		return; /* blank */
	n_lines++;
	jobject(&j, action_member, &a, 0);
	jws(&j);
	if (j.err || j.p != j.e) {
		n_bad_json++;
		return;
	}
	int kind = action_kind(a.action);
	if (kind < 0) {
		n_bad_action++;
		return;
	}
	if (!a.has_subject || (!a.msisdn[0] && !a.imsi[0] && !a.imei[0])) {
		n_no_subject++;
		return;
	}
	n_actions++;
	n_kind[kind]++;
	if (!strcmp(a.mode, "enforce"))
		n_enforce++;
	else if (!strcmp(a.mode, "shadow"))
		n_shadow++;
	else
		n_mode_other++;
	for (int i = 0; i < a.n_reasons && i < 8; i++)
		count_family(a.codes[i]);
	int64_t et = 0;
	int have_t = parse_time_s(a.event_time, &et) == 0;
	if (!have_t)
		n_bad_time++;

	char k[64];
	if (!a.msisdn[0] && !a.imsi[0]) { /* device action */
		n_device++;
		int ei = key_imei(a.imei, k, sizeof(k)) ? -1 : smap_get(&by_gw_imei, k);
		if (ei >= 0) {
			apply(ei, kind, et, have_t);
			return;
		}
		int bi = key_imei(a.imei, k, sizeof(k)) ? -1 : smap_get(&by_benign_imei, k);
		if (bi >= 0 && !is_fraud(T[bi].role)) {
			n_device_benign++;
			if (STRONG(kind))
				n_device_benign_strong++;
			return;
		}
		n_device_unmatched++;
		n_unmatched++;
		if (kind == A_BLOCK)
			n_unmatched_blocks++;
		return;
	}
	n_sim_actions++;
	int ei = smap_get(&by_imsi, a.imsi);
	if (ei < 0 && a.msisdn[0]) {
		key_msisdn(a.msisdn, k, sizeof(k));
		ei = smap_get(&by_msisdn, k);
		if (ei < 0) /* an external number of the truth (wangiri, listed, bank) */
			ei = smap_get(&by_number, k);
	}
	if (ei < 0) {
		n_unmatched++;
		if (kind == A_BLOCK)
			n_unmatched_blocks++;
		return;
	}
	apply(ei, kind, et, have_t);
}

static void load_actions(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f)
		die("cannot open actions file %s", path);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) > 0)
		process_line(line, (size_t)n);
	if (ferror(f))
		die("read error on %s", path);
	free(line);
	if (f != stdin)
		fclose(f);
}

/* ------------------------------------------------------------------ */
/* metrics                                                              */

struct metric {
	char name[64];
	double v;
	int is_int;
};
static struct metric M[512];
static int n_m;

static void mset(const char *name, double v, int is_int)
{
	if (n_m == 512)
		die("%s", "internal: too many metrics");
	snprintf(M[n_m].name, sizeof(M[0].name), "%s", name);
	M[n_m].v = v;
	M[n_m].is_int = is_int;
	n_m++;
}

static void mseti(const char *name, long v)
{
	mset(name, (double)v, 1);
}

static double ratio(long a, long b)
{
	return b ? (double)a / (double)b : NAN;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* nearest-rank quantile of sorted v[0..n) */
static double quant(const double *v, int n, double q)
{
	if (n == 0)
		return NAN;
	int k = (int)ceil(q * n) - 1;
	if (k < 0)
		k = 0;
	if (k >= n)
		k = n - 1;
	return v[k];
}

struct rstat {
	long count, active, with_action, strong, block, reverify, limit, monitor;
};

static void compute(void)
{
	struct rstat rs[RO__N];
	memset(rs, 0, sizeof(rs));
	double *ttd = xmalloc((size_t)g_nt * sizeof(double)), *ttd_i = xmalloc((size_t)g_nt * sizeof(double)),
	       *ttd_b = xmalloc((size_t)g_nt * sizeof(double)), *ttd_m = xmalloc((size_t)g_nt * sizeof(double)),
	       *ttd_f = xmalloc((size_t)g_nt * sizeof(double));
	int nt = 0, nti = 0, ntb = 0, ntm = 0;
	long benign = 0, benign_sims = 0, b_block = 0, b_rev = 0, b_lim = 0, b_strong = 0, b_any = 0, b_mon = 0;
	long early = 0, blocked_all = 0, blocked_fraud = 0;
	for (int i = 0; i < g_nt; i++) {
		const struct entity *e = &T[i];
		struct rstat *r = &rs[e->role];
		r->count++;
		if (e->fraud_start != INT64_MIN)
			r->active++;
		int strong = e->strong;
		r->with_action += e->n_actions > 0;
		r->strong += strong;
		r->block += (e->kinds >> A_BLOCK) & 1;
		r->reverify += (e->kinds >> A_REVERIFY) & 1;
		r->limit += (e->kinds >> A_LIMIT) & 1;
		r->monitor += (e->kinds >> A_MONITOR) & 1;
		if (!e->is_imei) {
			if ((e->kinds >> A_BLOCK) & 1) {
				blocked_all++;
				blocked_fraud += is_fraud(e->role);
			}
			if (!is_fraud(e->role)) { /* benign subjects: SIMs and external numbers */
				benign++;
				benign_sims += !e->is_number;
				b_block += (e->kinds >> A_BLOCK) & 1;
				b_rev += (e->kinds >> A_REVERIFY) & 1;
				b_lim += (e->kinds >> A_LIMIT) & 1;
				b_mon += (e->kinds >> A_MONITOR) & 1;
				b_strong += strong;
				b_any += e->n_actions > 0;
			}
		}
		if (strong && e->fraud_start != INT64_MIN && e->first_strong < INT64_MAX - 1) {
			double h = (double)(e->first_strong - e->fraud_start) / 3600.0;
			if (e->is_imei) {
				ttd_i[nti++] = h;
				early += h < 0;
			} else if (is_box(e->role)) {
				early += h < 0;
				ttd[nt++] = h;
				if (e->role == RO_SIMBOX)
					ttd_b[ntb++] = h;
				else
					ttd_m[ntm++] = h;
			}
		}
	}
	qsort(ttd, (size_t)nt, sizeof(double), cmp_d);
	qsort(ttd_i, (size_t)nti, sizeof(double), cmp_d);
	qsort(ttd_b, (size_t)ntb, sizeof(double), cmp_d);
	qsort(ttd_m, (size_t)ntm, sizeof(double), cmp_d);

	/* detection among fraud SIMs that actually made gateway calls (active) */
	long det_b = 0, det_m = 0, det_bi = 0, det_mi = 0;
	for (int i = 0; i < g_nt; i++) {
		const struct entity *e = &T[i];
		if (e->fraud_start == INT64_MIN || !e->strong)
			continue;
		det_b += e->role == RO_SIMBOX;
		det_m += e->role == RO_MIMIC;
		det_bi += e->role == RO_SIMBOX_IMEI;
		det_mi += e->role == RO_MIMIC_IMEI;
	}
	struct rstat *sb = &rs[RO_SIMBOX], *mm = &rs[RO_MIMIC], *sbi = &rs[RO_SIMBOX_IMEI], *mmi = &rs[RO_MIMIC_IMEI];
	mset("simbox_sim_recall", ratio(det_b, sb->active), 0);
	mset("mimic_sim_recall", ratio(det_m, mm->active), 0);
	mset("fraud_sim_recall", ratio(det_b + det_m, sb->active + mm->active), 0);
	mset("fraud_sim_recall_all", ratio(sb->strong + mm->strong, sb->count + mm->count), 0);
	mset("simbox_imei_recall", ratio(det_bi, sbi->active), 0);
	mset("mimic_imei_recall", ratio(det_mi, mmi->active), 0);
	mset("imei_recall", ratio(det_bi + det_mi, sbi->active + mmi->active), 0);
	/* issue-5 families: strong-action recall over subjects whose fraud_start is set */
	for (int f = 0; f < NFAMS; f++) {
		long act = 0, det = 0, cnt = 0;
		int nf = 0;
		for (int i = 0; i < g_nt; i++) {
			const struct entity *e = &T[i];
			if (e->role != fams[f].roles[0] && e->role != fams[f].roles[1])
				continue;
			cnt++;
			if (e->fraud_start == INT64_MIN)
				continue;
			act++;
			if (!e->strong)
				continue;
			det++;
			if (e->first_strong < INT64_MAX - 1)
				ttd_f[nf++] = (double)(e->first_strong - e->fraud_start) / 3600.0;
		}
		qsort(ttd_f, (size_t)nf, sizeof(double), cmp_d);
		char nm[64];
		snprintf(nm, sizeof(nm), "%s_recall", fams[f].name);
		mset(nm, ratio(det, act), 0);
		snprintf(nm, sizeof(nm), "median_ttd_hours_%s", fams[f].name);
		mset(nm, quant(ttd_f, nf, 0.5), 0);
		snprintf(nm, sizeof(nm), "%s_subjects", fams[f].name);
		mseti(nm, cnt);
		snprintf(nm, sizeof(nm), "%s_active", fams[f].name);
		mseti(nm, act);
		snprintf(nm, sizeof(nm), "%s_detected", fams[f].name);
		mseti(nm, det);
	}
	mset("benign_block_rate", ratio(b_block, benign), 0);
	mset("benign_reverify_rate", ratio(b_rev, benign), 0);
	mset("benign_limit_rate", ratio(b_lim, benign), 0);
	mset("benign_strong_rate", ratio(b_strong, benign), 0);
	mset("benign_monitor_rate", ratio(b_mon, benign), 0);
	mset("benign_action_rate", ratio(b_any, benign), 0);
	mset("block_precision", ratio(blocked_fraud, blocked_all), 0);
	mseti("benign_subjects", benign);
	mseti("benign_sims", benign_sims);
	mseti("benign_numbers", benign - benign_sims);
	mseti("benign_blocked", b_block);
	mseti("benign_strong", b_strong);
	mseti("fraud_sims", sb->count + mm->count);
	mseti("fraud_sims_active", sb->active + mm->active);
	mseti("fraud_sims_detected", det_b + det_m);
	mseti("gateway_imeis", sbi->count + mmi->count);
	mseti("gateway_imeis_detected", det_bi + det_mi);
	for (int r = 0; r < RO__N; r++) {
		char nm[64];
		if ((r == RO_OTHER || r == RO_OTHER_NUMBER) && rs[r].count == 0)
			continue;
		snprintf(nm, sizeof(nm), "%s_count", ro_name[r]);
		mseti(nm, rs[r].count);
		snprintf(nm, sizeof(nm), "%s_actioned", ro_name[r]);
		mseti(nm, rs[r].with_action);
		snprintf(nm, sizeof(nm), "%s_strong", ro_name[r]);
		mseti(nm, rs[r].strong);
		snprintf(nm, sizeof(nm), "%s_blocked", ro_name[r]);
		mseti(nm, rs[r].block);
	}
	mset("median_ttd_hours", quant(ttd, nt, 0.5), 0);
	mset("p90_ttd_hours", quant(ttd, nt, 0.9), 0);
	mset("simbox_median_ttd_hours", quant(ttd_b, ntb, 0.5), 0);
	mset("mimic_median_ttd_hours", quant(ttd_m, ntm, 0.5), 0);
	mset("imei_median_ttd_hours", quant(ttd_i, nti, 0.5), 0);
	mset("imei_p90_ttd_hours", quant(ttd_i, nti, 0.9), 0);
	mseti("detected_before_fraud_start", early);
	mseti("total_actions", n_actions);
	for (int k = A_RELEASE; k < A__N; k++) {
		char nm[64];
		snprintf(nm, sizeof(nm), "actions_%s", a_name[k]);
		mseti(nm, n_kind[k]);
	}
	mseti("actions_enforce", n_enforce);
	mseti("actions_shadow", n_shadow);
	mseti("actions_other_mode", n_mode_other);
	mseti("sim_actions", n_sim_actions);
	mseti("device_actions", n_device);
	mseti("device_actions_on_customer_handsets", n_device_benign);
	mseti("strong_device_actions_on_customer_handsets", n_device_benign_strong);
	mseti("unmatched_actions", n_unmatched);
	mseti("blocks_on_non_subscribers", n_unmatched_blocks);
	mseti("malformed_lines", n_bad_json + n_bad_action + n_no_subject);
	mseti("malformed_json", n_bad_json);
	mseti("unknown_action", n_bad_action);
	mseti("missing_subject", n_no_subject);
	mseti("bad_event_time", n_bad_time);
	free(ttd);
	free(ttd_i);
	free(ttd_b);
	free(ttd_m);
	free(ttd_f);
}

static const struct metric *mget(const char *name)
{
	for (int i = 0; i < n_m; i++)
		if (!strcmp(M[i].name, name))
			return &M[i];
	return NULL;
}

static double mv(const char *name)
{
	const struct metric *m = mget(name);
	return m ? m->v : NAN;
}

static void fmt_num(char *buf, size_t cap, double v, int is_int)
{
	if (isnan(v))
		snprintf(buf, cap, "n/a");
	else if (is_int)
		snprintf(buf, cap, "%.0f", v);
	else
		snprintf(buf, cap, "%.4f", v);
}

static void print_report(FILE *o)
{
	char a[32], b[32];
	fprintf(o, "== simsieve evaluation ==\n");
	fprintf(o, "%-17s %-6s %8s %8s %8s %8s %8s %8s %8s\n", "role", "kind", "count", "active", "actioned", "strong",
		"block", "reverify", "limit");
	for (int r = 0; r < RO__N; r++) {
		char nm[64];
		snprintf(nm, sizeof(nm), "%s_count", ro_name[r]);
		/* the original roles always; the others when the truth has them */
		if (!mget(nm) || (r >= RO_FAMILY && !is_imei_role(r) && r != RO_SIMBOX && r != RO_MIMIC && mv(nm) == 0))
			continue;
		long cnt = 0, act = 0, str = 0, blk = 0, rev = 0, lim = 0, actv = 0;
		for (int i = 0; i < g_nt; i++) {
			const struct entity *e = &T[i];
			if (e->role != r)
				continue;
			cnt++;
			actv += e->fraud_start != INT64_MIN;
			act += e->n_actions > 0;
			str += e->strong;
			blk += (e->kinds >> A_BLOCK) & 1;
			rev += (e->kinds >> A_REVERIFY) & 1;
			lim += (e->kinds >> A_LIMIT) & 1;
		}
		if (!is_fraud(r))
			snprintf(a, sizeof(a), "-");
		else
			snprintf(a, sizeof(a), "%ld", actv);
		fprintf(o, "%-17s %-6s %8ld %8s %8ld %8ld %8ld %8ld %8ld\n", ro_name[r],
			is_imei_role(r) ? "imei" : is_number_role(r) ? "number" : "sim", cnt, a, act, str, blk, rev, lim);
	}
	fprintf(o, "\nrecall (strong action; over fraud SIMs/IMEIs that made gateway calls)\n");
	static const char *const rk[] = { "simbox_sim_recall", "mimic_sim_recall", "fraud_sim_recall",
					  "fraud_sim_recall_all", "simbox_imei_recall", "mimic_imei_recall",
					  "imei_recall" };
	for (size_t i = 0; i < sizeof(rk) / sizeof(rk[0]); i++) {
		fmt_num(a, sizeof(a), mv(rk[i]), 0);
		fprintf(o, "  %-24s %s\n", rk[i], a);
	}
	fprintf(o, "\nissue-5 families (strong action on subjects with a fraud_start; a number counts when blocked)\n");
	for (int f = 0; f < NFAMS; f++) {
		char nm[64];
		snprintf(nm, sizeof(nm), "%s_recall", fams[f].name);
		fmt_num(a, sizeof(a), mv(nm), 0);
		snprintf(nm, sizeof(nm), "median_ttd_hours_%s", fams[f].name);
		fmt_num(b, sizeof(b), mv(nm), 0);
		char dn[64], an[64];
		snprintf(dn, sizeof(dn), "%s_detected", fams[f].name);
		snprintf(an, sizeof(an), "%s_active", fams[f].name);
		snprintf(nm, sizeof(nm), "%s_recall", fams[f].name);
		fprintf(o, "  %-24s %-7s (%.0f/%.0f)  median ttd %s h\n", nm, a, mv(dn), mv(an), b);
	}
	fprintf(o, "\nfalse positives (benign subjects: %.0f = %.0f SIMs + %.0f numbers)\n", mv("benign_subjects"),
		mv("benign_sims"), mv("benign_numbers"));
	static const char *const fk[] = { "benign_block_rate", "benign_reverify_rate", "benign_limit_rate",
					  "benign_strong_rate", "benign_monitor_rate", "block_precision" };
	for (size_t i = 0; i < sizeof(fk) / sizeof(fk[0]); i++) {
		fmt_num(a, sizeof(a), mv(fk[i]), 0);
		fprintf(o, "  %-24s %s\n", fk[i], a);
	}
	fprintf(o, "  blocked: normal=%.0f courier=%.0f shared_phone=%.0f call_centre=%.0f upgrade=%.0f traveller=%.0f\n",
		mv("normal_blocked"), mv("courier_blocked"), mv("shared_phone_blocked"), mv("call_centre_blocked"),
		mv("upgrade_blocked"), mv("traveller_blocked"));
	fprintf(o, "  hard negatives blocked/strong: family=%.0f/%.0f enterprise_batch=%.0f/%.0f traveller_risk=%.0f/%.0f "
		   "id_churned=%.0f/%.0f walk_in=%.0f/%.0f bank_centre=%.0f/%.0f listed_gray=%.0f/%.0f\n",
		mv("family_blocked"), mv("family_strong"), mv("enterprise_batch_blocked"), mv("enterprise_batch_strong"),
		mv("traveller_risk_blocked"), mv("traveller_risk_strong"), mv("id_churned_blocked"),
		mv("id_churned_strong"), mv("walk_in_blocked"), mv("walk_in_strong"), mv("bank_centre_blocked"),
		mv("bank_centre_strong"), mv("listed_gray_blocked"), mv("listed_gray_strong"));
	fprintf(o, "  strong device actions on customer handsets: %.0f\n",
		mv("strong_device_actions_on_customer_handsets"));
	fprintf(o, "\ntime to detect, SIM boxes (earliest strong action event_time - fraud_start, hours)\n");
	fmt_num(a, sizeof(a), mv("median_ttd_hours"), 0);
	fmt_num(b, sizeof(b), mv("p90_ttd_hours"), 0);
	fprintf(o, "  SIMs:  median %s  p90 %s", a, b);
	fmt_num(a, sizeof(a), mv("simbox_median_ttd_hours"), 0);
	fmt_num(b, sizeof(b), mv("mimic_median_ttd_hours"), 0);
	fprintf(o, "  (simbox median %s, mimic median %s)\n", a, b);
	fmt_num(a, sizeof(a), mv("imei_median_ttd_hours"), 0);
	fmt_num(b, sizeof(b), mv("imei_p90_ttd_hours"), 0);
	fprintf(o, "  IMEIs: median %s  p90 %s\n", a, b);
	fprintf(o, "  strong actions before the first gateway call: %.0f\n", mv("detected_before_fraud_start"));
	fprintf(o, "\nactions: %.0f total (block %.0f, reverify %.0f, limit %.0f, monitor %.0f, release %.0f; "
		   "enforce %.0f, shadow %.0f)\n",
		mv("total_actions"), mv("actions_block"), mv("actions_reverify"), mv("actions_limit"),
		mv("actions_monitor"), mv("actions_release"), mv("actions_enforce"), mv("actions_shadow"));
	fprintf(o, "  SIM actions %.0f, device actions %.0f (on customer handsets %.0f)\n", mv("sim_actions"),
		mv("device_actions"), mv("device_actions_on_customer_handsets"));
	fprintf(o, "  unmatched (not in truth) %.0f, of them blocks on non-subscribers %.0f\n",
		mv("unmatched_actions"), mv("blocks_on_non_subscribers"));
	fprintf(o, "  malformed lines skipped %.0f (json %.0f, unknown action %.0f, no subject %.0f); bad event_time %.0f\n",
		mv("malformed_lines"), mv("malformed_json"), mv("unknown_action"), mv("missing_subject"),
		mv("bad_event_time"));
	if (n_fam) {
		fprintf(o, "  reason families:");
		for (int i = 0; i < n_fam; i++)
			fprintf(o, " %s=%ld", fam_name[i], fam_n[i]);
		fprintf(o, "\n");
	}
}

static void print_json(FILE *o)
{
	fputc('{', o);
	for (int i = 0; i < n_m; i++) {
		char v[48];
		if (isnan(M[i].v))
			snprintf(v, sizeof(v), "null");
		else if (M[i].is_int)
			snprintf(v, sizeof(v), "%.0f", M[i].v);
		else
			snprintf(v, sizeof(v), "%.6g", M[i].v);
		fprintf(o, "%s\"%s\":%s", i ? "," : "", M[i].name, v);
	}
	fputs("}\n", o);
}

/* --assert 'name>=x,name<=y,...' : returns the number of failed bounds. */
static int check_asserts(const char *spec)
{
	char *s = xstrdup(spec), *save = NULL;
	int failed = 0;
	for (char *tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		if (!*tok)
			continue;
		static const char *const ops[] = { ">=", "<=", "==", "!=", ">", "<", "=" };
		char *op = NULL;
		int oi = -1;
		for (char *p = tok; *p && !op; p++)
			for (int k = 0; k < 7; k++)
				if (!strncmp(p, ops[k], strlen(ops[k]))) {
					op = p;
					oi = k;
					break;
				}
		if (!op)
			die("bad --assert term '%s' (want NAME OP NUMBER)", tok);
		char name[64];
		size_t nl = (size_t)(op - tok);
		while (nl && tok[nl - 1] == ' ')
			nl--;
		snprintf(name, sizeof(name), "%.*s", (int)(nl < 63 ? nl : 63), tok);
		const char *vs = op + strlen(ops[oi]);
		char *end;
		errno = 0;
		double bound = strtod(vs, &end);
		while (*end == ' ')
			end++;
		if (errno || end == vs || *end)
			die("bad number in --assert term '%s'", tok);
		const struct metric *m = mget(name);
		if (!m)
			die("--assert: unknown metric '%s' (see --json for names)", name);
		double v = m->v;
		int ok;
		if (isnan(v))
			ok = 0;
		else
			switch (oi) {
			case 0: ok = v >= bound; break;
			case 1: ok = v <= bound; break;
			case 2:
			case 6: ok = v == bound; break;
			case 3: ok = v != bound; break;
			case 4: ok = v > bound; break;
			default: ok = v < bound; break;
			}
		if (!ok) {
			char vb[48];
			fmt_num(vb, sizeof(vb), v, m->is_int);
			fprintf(stderr, "evaluate: ASSERT FAILED: %s%s%g (actual %s)\n", name, ops[oi], bound, vb);
			failed++;
		}
	}
	free(s);
	return failed;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: evaluate --truth DIR/truth.csv --actions actions.jsonl [--json] [--quiet]\n"
		   "                [--assert 'fraud_sim_recall>=0.95,benign_block_rate<=0.0005,...']\n"
		   "  --json    also print one JSON object with every metric (last line of stdout)\n"
		   "  --quiet   no human-readable report\n"
		   "  --assert  comma-separated bounds on metrics (ops >= <= > < == !=); exit 1 if any fails\n");
}

int main(int argc, char **argv)
{
	const char *truth = NULL, *actions = NULL, *asserts = NULL;
	int json = 0, quiet = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--json")) {
			json = 1;
		} else if (!strcmp(a, "--quiet")) {
			quiet = 1;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (i + 1 < argc && !strcmp(a, "--truth")) {
			truth = argv[++i];
		} else if (i + 1 < argc && !strcmp(a, "--actions")) {
			actions = argv[++i];
		} else if (i + 1 < argc && !strcmp(a, "--assert")) {
			asserts = argv[++i];
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!truth || !actions) {
		usage(stderr);
		return 2;
	}
	load_truth(truth);
	load_actions(actions);
	compute();
	if (!quiet)
		print_report(stdout);
	if (json)
		print_json(stdout);
	fflush(stdout);
	int failed = asserts ? check_asserts(asserts) : 0;
	for (int i = 0; i < g_nt; i++)
		free(T[i].id);
	free(T);
	for (int i = 0; i < n_fam; i++)
		free(fam_name[i]);
	smap_free(&by_imsi);
	smap_free(&by_msisdn);
	smap_free(&by_gw_imei);
	smap_free(&by_benign_imei);
	smap_free(&by_number);
	smap_free(&fam_count);
	return failed ? 1 : 0;
}
