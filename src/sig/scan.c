/*
 * scan.c - matching normalised texts against a signature set and scoring
 * the hits (docs/signatures.md, "Scoring").
 *
 * The match callback does all the bookkeeping as hits arrive: it records
 * the signature (first SIG_MAX_HITS), and multiplies its category's
 * product of (1 - w/100).  HS_FLAG_SINGLEMATCH makes each signature report
 * once, so a repeated phrase counts once.  Per-category state lives in the
 * scanner and is reset through the list of categories touched by the
 * previous message: scanning allocates nothing.
 */
#include "sig/sig_internal.h"

#include "core/err.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct sig_scanner {
	const struct sig_set *set;
	hs_scratch_t *scratch;
	double *prod;	   /* per category: product of (1 - w/100) over its hits */
	int *score;	   /* per category: the last scan's score, -1 when not hit */
	uint32_t *touched; /* categories hit by the last scan */
	size_t n_touched;
	struct sig_result *res; /* the scan in progress */
};

int sig_scanner_open(const struct sig_set *set, struct sig_scanner **out)
{
	struct sig_scanner *sc = calloc(1, sizeof(*sc));
	size_t n = set->n_cat ? set->n_cat : 1;

	*out = NULL;
	if (!sc)
		return -ENOMEM;
	sc->set = set;
	sc->prod = malloc(n * sizeof(*sc->prod));
	sc->score = malloc(n * sizeof(*sc->score));
	sc->touched = malloc(n * sizeof(*sc->touched));
	if (!sc->prod || !sc->score || !sc->touched ||
	    (set->db && hs_alloc_scratch(set->db, &sc->scratch) != HS_SUCCESS)) {
		sig_scanner_close(sc);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		sc->score[i] = -1;
	*out = sc;
	return 0;
}

void sig_scanner_close(struct sig_scanner *sc)
{
	if (!sc)
		return;
	hs_free_scratch(sc->scratch);
	free(sc->prod);
	free(sc->score);
	free(sc->touched);
	free(sc);
}

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx)
{
	struct sig_scanner *sc = ctx;
	const struct sig_entry *e = &sc->set->sig[id];
	struct sig_result *r = sc->res;

	(void)from;
	(void)to;
	(void)flags;
	if (r->n_hits < SIG_MAX_HITS)
		r->hit[r->n_hits] = id;
	r->n_hits++;
	if (sc->score[e->cat] < 0) {
		sc->score[e->cat] = 0; /* marks the category as hit; the score comes later */
		sc->prod[e->cat] = 1.0;
		sc->touched[sc->n_touched++] = e->cat;
	}
	sc->prod[e->cat] *= e->keep;
	return 0;
}

/* 100 x (1 - product), rounded to the nearest integer. */
static int combined(double prod)
{
	long s = lround(100.0 * (1.0 - prod));
	return s < 0 ? 0 : s > 100 ? 100 : (int)s;
}

/* Is (score a, class ca, index ia) a better report than b?  Score, then scam first, then order. */
static bool better(int sa, enum sig_class ca, size_t ia, int sb, enum sig_class cb, size_t ib)
{
	if (sa != sb)
		return sa > sb;
	if (ca != cb)
		return ca < cb;
	return ia < ib;
}

int sig_scan(struct sig_scanner *sc, const struct sig_set *set, const char *text, size_t len,
	     struct sig_result *out)
{
	const struct sig_cat *cat = set->cat;
	double benign = 1.0;
	int benign_score;

	if (sc->set != set)
		return -EINVAL;
	for (size_t i = 0; i < sc->n_touched; i++)
		sc->score[sc->touched[i]] = -1;
	sc->n_touched = 0;
	out->score = 0;
	out->category = -1;
	out->class = SIG_CLASS_SCAM;
	out->scam_score = 0;
	out->scam_category = -1;
	out->n_hits = 0;
	if (!set->db || len == 0)
		return 0;
	if (len > UINT32_MAX)
		len = UINT32_MAX;
	sc->res = out;
	hs_error_t hr = hs_scan(set->db, text, (unsigned)len, 0, sc->scratch, on_match, sc);
	sc->res = NULL;
	if (hr != HS_SUCCESS)
		return -SS_EPARSE;

	/* Benign evidence: all benign-class hits combined as one category. */
	for (size_t i = 0; i < sc->n_touched; i++)
		if (cat[sc->touched[i]].class == SIG_CLASS_BENIGN)
			benign *= sc->prod[sc->touched[i]];
	benign_score = combined(benign);

	for (size_t i = 0; i < sc->n_touched; i++) {
		uint32_t c = sc->touched[i];
		int s = combined(sc->prod[c]);
		if (cat[c].class == SIG_CLASS_SCAM) {
			s = s > benign_score ? s - benign_score : 0;
			if (out->scam_category < 0 ||
			    better(s, SIG_CLASS_SCAM, c, out->scam_score, SIG_CLASS_SCAM, (size_t)out->scam_category)) {
				out->scam_score = s;
				out->scam_category = (int)c;
			}
		}
		sc->score[c] = s;
		if (out->category < 0 ||
		    better(s, cat[c].class, c, out->score, out->class, (size_t)out->category)) {
			out->score = s;
			out->category = (int)c;
			out->class = cat[c].class;
		}
	}
	return 0;
}

int sig_scanner_category_score(const struct sig_scanner *sc, size_t cat)
{
	return cat < sc->set->n_cat ? sc->score[cat] : -1;
}
