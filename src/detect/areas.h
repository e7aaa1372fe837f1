/*
 * areas.h - high-risk areas (signatures/high-risk-areas.conf) and the
 * built-in country table the roaming detector reads.
 *
 * Two kinds of data:
 *  - The built-in country table: ISO 3166 code, ITU-T E.212 mobile country
 *    codes (MCC), ITU-T E.164 country calling code, an approximate centroid
 *    and a radius (the largest distance from the centroid to the border,
 *    rounded up).  It answers "which country is this MCC / this E.164
 *    number in" and "how far apart are two countries at least" for every
 *    SIM, not only high-risk ones (impossible travel needs both ends).
 *  - The high-risk list, loaded from a file (format in
 *    docs/detect-roaming-wangiri.md): countries by MCC and E.164 code,
 *    networks by MCC+MNC, domestic areas by cell (MCC-MNC-LAC[-CI] decimal
 *    prefixes), each with a weight 1-100 and a name.
 *
 * Lookups are O(1) for MCCs and country codes (direct tables indexed by the
 * 1-, 2- and 3-digit prefixes, longest first) and a binary search for
 * networks and cells.
 *
 * Ownership: det_areas_* objects own their strings; entries returned by the
 * lookups stay valid until det_areas_free().  Not thread-safe to build,
 * read-only afterwards.
 */
#ifndef SS_DETECT_AREAS_H
#define SS_DETECT_AREAS_H

#include "event/event.h"

#include <stddef.h>
#include <stdint.h>

/* ---- built-in countries ------------------------------------------------- */

struct det_country {
	char iso[3];	    /* ISO 3166-1 alpha-2 */
	const char *name;
	uint16_t mcc[4];    /* E.212 MCCs, 0-terminated */
	const char *cc;	    /* E.164 country code (digits) */
	float lat, lon;	    /* approximate centroid, degrees */
	float radius_km;    /* centroid to farthest border, rounded up */
};

/* det_country() - country @idx (1-based; 0 = unknown gives NULL). */
const struct det_country *det_country(unsigned idx);

/* det_country_by_mcc() - 1-based country index of an MCC, 0 when not in the table. */
unsigned det_country_by_mcc(unsigned mcc);

/*
 * det_country_by_number() - 1-based index of the country whose E.164 code
 * is the longest prefix (1-3 digits) of @number (digits; a leading "00" or
 * "+" is skipped), 0 when none.
 */
unsigned det_country_by_number(const char *number);

/*
 * det_country_min_km() - a lower bound of the distance between any point of
 * country @a and any point of country @b: centroid distance minus both
 * radii, floored at 0 (neighbours give 0).  -1 when either is unknown.
 */
double det_country_min_km(unsigned a, unsigned b);

/* ---- the high-risk list ------------------------------------------------- */

enum det_area_kind { DET_AREA_COUNTRY = 1, DET_AREA_NETWORK = 2, DET_AREA_CELL = 3 };

struct det_area {
	uint8_t kind;	     /* enum det_area_kind */
	uint8_t weight;	     /* 1..100 */
	uint16_t mcc;	     /* country: its first MCC; network/cell: the MCC */
	uint16_t mnc;	     /* network / cell */
	uint32_t lac_lo, lac_hi, ci_lo, ci_hi; /* cell: inclusive ranges */
	char id[24];	     /* as written: "MM", "414-06", "460-00-4xxx" */
	char name[64];	     /* human-readable, for details */
	unsigned line;	     /* line in the file */
};

struct det_areas;

/*
 * det_areas_parse() - build a list from @text (@len bytes) named @name in
 * messages.  On error returns -SS_ECONFIG with "name:line: reason" in @err
 * and no list: a broken file is rejected whole.
 */
int det_areas_parse(const char *text, size_t len, const char *name, struct det_areas **out, char *err,
		    size_t errsize);

/* det_areas_load() - the same from a file (-SS_ECONFIG with "path: errno text" when unreadable). */
int det_areas_load(const char *path, struct det_areas **out, char *err, size_t errsize);

void det_areas_free(struct det_areas *a); /* accepts NULL */

/* det_areas_version() - the file's version string. */
const char *det_areas_version(const struct det_areas *a);

/* det_areas_count() - entries (countries + networks + cells). */
size_t det_areas_count(const struct det_areas *a);

/*
 * det_areas_plmn() - the entry for a visited network: the MCC+MNC network
 * entry when listed (longest match), else the country entry of the MCC,
 * else NULL.  @mnc < 0: only the country.
 */
const struct det_area *det_areas_plmn(const struct det_areas *a, unsigned mcc, int mnc);

/* det_areas_number() - the country entry whose E.164 code is the longest prefix of @number. */
const struct det_area *det_areas_number(const struct det_areas *a, const char *number);

/* det_areas_has_cells() - true when any cell entry exists for @mcc (cheap pre-check). */
int det_areas_has_cells(const struct det_areas *a, unsigned mcc);

/* det_areas_cell() - the first (narrowest) cell entry containing @cell, or NULL. */
const struct det_area *det_areas_cell(const struct det_areas *a, const struct ev_cell *cell);

/*
 * det_plmn_split() - MCC and MNC of a 5-6 digit visited_plmn string.
 * 0, or -1 when @plmn is not 5-6 digits.
 */
int det_plmn_split(const char *plmn, unsigned *mcc, int *mnc);

#endif
