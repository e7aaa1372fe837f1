/*
 * scam_sms.c - scam SMS senders, campaigns and the links / call-back
 * numbers they advertise (reason family "scam_sms"; docs/detect-scam-sms.md).
 *
 * Input: EV_SMS events.  The sender is the served SIM for direction=mo, the
 * other party for direction=mt (an outside number, one of our SIMs seen
 * from the receiving side, or an alphanumeric sender that no number block
 * can reach).  Recipients are never punished.  When both records of one
 * SMS are ours (the sender's mo and the recipient's mt), it counts once:
 * key sender + recipient + second + hash of the text.
 *
 * Content: text_normalize(TEXT_NORM_ALL), then sig_scan() with the
 * configured signature set (docs/signatures.md).  Per sender (24 h, two
 * 12-h halves): SMS, distinct recipients, scam SMS and their distinct
 * recipients, replies (an SMS from a recipient back to the sender).
 *
 *   scam_sms.content      one scam hit >= threshold            weak
 *   scam_sms.template     a scam hit >= strong_score, from the
 *                         strong_min_recipients-th (2) distinct
 *                         recipient in 24 h on                 behavioural
 *   scam_sms.repeated     >= content_block_min scam SMS to as
 *                         many distinct recipients in 24 h     structural
 *   scam_sms.mass_sender  >= mass_min_sms to >= mass_min_recipients,
 *                         reply share <= max_reply_share       behavioural (our SIMs),
 *                                                              weak (outside numbers),
 *                                                              structural with scam content or a campaign
 *   scam_sms.campaign     a near-duplicate cluster reaching campaign_min_recipients
 *                         (see below)
 *   scam_sms.spam         marketing spam (spam-class category) weak
 *   scam_sms.allow_listed sender in senders.conf: everything capped to weak
 *   scam_sms.link / .callback  links and call-back numbers (phone / QQ /
 *                         WeChat) of scam texts: gray-listed (weak), once a day
 *
 * Campaigns beyond known templates: the normalised text (slot tokens in
 * place of links and numbers) gets a 64-bit SimHash over code-point 3-grams
 * (text/simhash.h); 4 bands of 16 bits index direct-mapped buckets, a
 * message joins the cluster found there whose representative is within
 * `hamming` bits (pigeonhole: any distance <= 3 shares a band), else starts
 * a cluster.  Per cluster over `window` (two halves): messages, distinct
 * senders and recipients (linear-counting bitmaps), messages with a contact
 * slot, scam / spam / benign hits.  A cluster from non-allow-listed senders
 * with >= campaign_min_recipients distinct recipients and >= campaign_ratio
 * recipients per sender (so everyday "好的" from thousands of people is
 * not one) is a campaign: spam-class or without a contact slot -> weak;
 * matching scam signatures -> structural; an unknown template with a
 * contact slot -> behavioural, structural for senders that get no replies.
 *
 * Signature set and allow-list: loaded at the first SMS with text (a set
 * compiles in seconds to a minute; replays without texts never pay it) and
 * reloaded on SIGHUP by a background thread, swapped in only when the whole
 * load succeeded; a broken file is logged with file:line and the old set
 * stays.  A reload whose files are unchanged (names, sizes, mtimes) is a
 * no-op.
 *
 * Memory: senders in two tiers (see struct sms_light below): 24 bytes and a
 * 4-byte slot for everyone, 136 bytes plus an index entry once promoted,
 * evicted idle_evict after their last SMS, at most max_senders each; a
 * cluster 480 bytes, expired with the window, at most max_clusters; buckets
 * 1 MiB; the MO/MT de-duplication table 192 KiB; gray marks one index entry
 * per value (two generations of mark_interval); the content caches below
 * 3.6 MiB, the allow-list memo 64 KiB.  One text_norm and one scanner per
 * detector: nothing is allocated per message.
 *
 * Content caches (same verdicts, less work): SMS traffic repeats its texts
 * ("好的", notifications, a campaign's copies), so the content verdict of a
 * text - SimHash, code points, contact slot, obfuscation, scan result - is
 * kept in a direct-mapped cache of 8,192 exact texts (hash of the raw bytes,
 * checked against the stored bytes, up to 176 bytes); a text seen before
 * is neither normalised nor scanned.  Texts that differ only in their
 * numbers and links (codes, order numbers, call-back numbers) normalise
 * alike, so a second cache of 4,096 normalised texts answers the SimHash and
 * the scan for them after normalisation.  Both are valid for one signature
 * set (a reload empties them).  On the 10,000-subscriber scenario: 64 % of
 * texts from the first, 36 % from the second, 0.1 % scanned.
 */
#include "detect/detect.h"
#include "detect/profile.h"

#include "core/bloom.h"
#include "core/err.h"
#include "core/hash.h"
#include "core/idmap.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/slotix.h"
#include "sig/sig.h"
#include "text/normalize.h"
#include "text/simhash.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


#define NS_SENDER 7
#define NS_MARK 8
#define DAY 86400u
#define DEDUP_SLOTS 16384u
#define BANDS 4
#define SCAM_RING 6
#define CL_SENDERS 8
#define TC_SLOTS 8192u /* text cache entries (direct-mapped) */
#define NC_SLOTS 4096u /* normalised-text cache entries (direct-mapped) */
#define TC_TEXT 176	/* longest text the cache holds (bytes) */

enum sender_kind { SK_SIM = 0, SK_NUMBER = 1, SK_ALNUM = 2 };

#define SF_ALLOWED 0x01u
#define SF_CAMPAIGN 0x02u

/*
 * Senders come in two tiers (memory: most senders are people texting a few
 * friends, and can never reach a verdict without a signature hit, a
 * campaign or mass volume):
 *
 *   light  every sender: its counters only (24 bytes + index slot);
 *   full   promoted at its first scam or spam hit, when it joins a cluster
 *          that is becoming a campaign of texts with contact slots, or from
 *          its promote_sms-th SMS in 24 h: identity, content counts, recent
 *          scam recipients, campaign, last verdict (136 bytes).
 *
 * The counters carry over on promotion, so a sender's verdict does not
 * depend on when it was promoted.  Distinct recipients and replies come
 * from two pair filters (Bloom filters of sender -> recipient pairs per 12-h
 * half, shared by all senders): a pair new in the current half counts a
 * recipient, and an overlap when the previous half has it too (distinct in
 * 24 h = rcpt[0] + rcpt[1] - overlap); an SMS from X to S is a reply when
 * (S -> X) is in either half.  Filter false positives can only undercount
 * recipients and overcount replies, i.e. err towards innocence.
 */
struct sms_counts {
	uint16_t sms[2], rcpt[2], replies[2]; /* per 12-h half, [0] = current */
	uint16_t overlap;		      /* recipients of [0] already counted in [1] */
	uint16_t half;			      /* 12-h half number (mod 2^16) of [0] */
};

struct sms_light {
	uint64_t key;
	struct sms_counts n;
};
_Static_assert(sizeof(struct sms_light) == 24, "sms_light size is documented");

struct sms_sender {
	uint64_t key;
	char number[16];	 /* MSISDN / outside number ("" when only the IMSI is known) */
	char imsi[16];
	uint32_t last_seen;
	struct sms_counts n;
	uint16_t scam[2], spam[2], benign[2];
	uint32_t scam_rcpt[SCAM_RING], scam_t[SCAM_RING]; /* recent scam recipients (hashes) */
	uint32_t campaign;	 /* cluster index + 1 of the campaign it sent to */
	uint32_t campaign_t;
	uint8_t kind, flags, last_strength, last_score;
	uint8_t best_score, campaign_strength;
	uint16_t best_cat;
};
_Static_assert(sizeof(struct sms_sender) == 136, "sms_sender size is documented");

/* sender_find() results: a full sender's index with this bit, else a light one's. */
#define FULL_BIT 0x80000000u

#define CF_LIVE 0x01u
#define CF_CAMPAIGN 0x02u

struct sms_cluster {
	uint64_t rep;		 /* representative fingerprint (the first message's) */
	uint64_t id;		 /* campaign id (group), from the fingerprint */
	uint32_t first, last, half;
	uint16_t msgs[2], contact[2], scam[2], spam[2], benign[2];
	uint64_t rcpt[2][16];	 /* 1024-bit distinct recipients per half */
	uint64_t snd[2][4];	 /* 256-bit distinct senders per half */
	uint64_t sender_key[CL_SENDERS]; /* recent distinct senders (0 = none) */
	uint8_t flags, n_sender_next, best_score, pad8;
	uint16_t best_cat, pad16;
	uint32_t next_free;
};

/*
 * The content verdict of one exact text: SMS traffic repeats texts heavily
 * ("好的", notification templates, a campaign's copies), and normalising
 * and scanning the same bytes again gives the same answer.  Keyed by the
 * raw text's hash, checked against the stored bytes (no collision can
 * change a verdict); valid for one signature set (gen).  The slots are not
 * kept: a scam text that must mark its links normalises again.
 */
#define TCF_NORM 0x01u	     /* text_normalize() succeeded: fp / ncp / contact / obfuscated valid */
#define TCF_SCANNED 0x02u    /* res valid */
#define TCF_CONTACT 0x04u
#define TCF_OBFUSCATED 0x08u

struct sms_tcache {
	uint64_t hash;
	uint64_t fp;
	uint32_t gen; /* 0 = empty */
	uint32_t ncp;
	uint16_t len;
	uint8_t flags;
	struct sig_result res;
	char text[TC_TEXT];
};

#define ALLOW_MEMO 4096u

struct sms_allow_memo {
	uint64_t key; /* sender key, 0 = empty */
	uint32_t gen; /* tc_gen of the answer */
	bool yes;
};

struct sms_allow {
	char pat[24];
	uint8_t len, prefix;
};

/* What a load produces: swapped in as one piece. */
struct sms_data {
	struct sig_set *set;
	struct sms_allow *allow;
	size_t n_allow;
	uint64_t fp; /* fingerprint of the files (names, sizes, mtimes) */
	char sig_path[PATH_MAX], snd_path[PATH_MAX];
};

struct sms_conf {
	char sig_path[PATH_MAX], snd_path[PATH_MAX]; /* resolved; snd_path "" = none */
	int threshold, strong_score, strong_min_recipients, content_block_min, campaign_min_recipients, hamming;
	int mass_min_sms, mass_min_recipients, promote_sms, max_senders, max_clusters, min_text, max_marks;
	double max_reply_share, campaign_ratio;
	uint32_t window, idle_evict, mark_interval;
	int score_content_block, score_mass, score_campaign, score_mark;
	int64_t pair_filter_bits, pair_filter_max_bits;
};

struct sms_loader {
	pthread_t th;
	bool running;
	atomic_int done;
	int rc;
	struct sms_data *data;
	char sig_path[PATH_MAX], snd_path[PATH_MAX];
};

struct scam_sms {
	struct sms_conf c;
	struct det_env env;
	struct sms_data *data;
	struct sig_scanner *sc;
	bool load_failed;
	struct sms_loader ld;
	struct text_norm tn;

	struct sms_sender *snd; /* full tier */
	uint32_t n_snd, cap_snd;
	struct sms_light *light; /* light tier; key 0 = dead (promoted or reset), dropped at the next sweep */
	uint32_t n_light, cap_light, dead_light;
	struct ss_slotix light_ix; /* over light[].key */
	struct ss_idmap snd_ix;	   /* full senders: key -> index */
	struct ss_bloom pair[2]; /* sender -> recipient pairs, [0] = the current 12-h half */
	uint32_t pair_half;	 /* absolute half number of pair[0] (0: none yet) */
	uint64_t promotions;

	struct sms_cluster *cl;
	uint32_t n_cl, cap_cl, free_cl, live_cl; /* free list through next_free (index + 1) */
	uint32_t *bucket;			  /* [BANDS][65536]: cluster index + 1 */

	uint64_t dedup_key[DEDUP_SLOTS];
	uint32_t dedup_t[DEDUP_SLOTS];

	struct ss_idmap marks[2]; /* [0] current generation */
	uint32_t marks_gen_start;

	uint32_t next_sweep;
	struct sms_tcache *tc; /* [TC_SLOTS]; NULL: no cache (out of memory) */
	struct sms_tcache *nc; /* [NC_SLOTS], keyed by the normalised text; NULL: none */
	const struct event *tn_ev; /* the event whose text is in tn (this on_event only) */
	uint32_t tc_gen;	/* signature set generation (bumped by every swap_in) */
	struct sms_allow_memo allow_memo[ALLOW_MEMO];
	float lc256[257], lc1024[1025];

	struct det_stats st;
	uint64_t tc_hits, nc_hits;
	uint64_t sms_text, scanned, scam_msgs, duplicates, skipped_full, clusters_full, campaigns, marks_out,
		alnum, reloads, reload_failures;
};

/* ---- configuration ------------------------------------------------------ */

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* The default signatures: ss_signatures_dir() (core/paths.h), as `simsieve sig` resolves them. */
static void default_signatures(char *buf, size_t size)
{
	ss_signatures_dir(buf, size);
}

/* senders.conf next to the signatures (in the directory, or beside the file). */
static void default_senders(const char *sig, char *buf, size_t size)
{
	if (is_dir(sig)) {
		snprintf(buf, size, "%s/senders.conf", sig);
	} else {
		const char *slash = strrchr(sig, '/');
		if (slash)
			snprintf(buf, size, "%.*s/senders.conf", (int)(slash - sig), sig);
		else
			snprintf(buf, size, "senders.conf");
	}
	if (!is_file(buf))
		buf[0] = '\0';
}

static int read_paths(const struct ss_config *cfg, char *sig, char *snd)
{
	const char *s, *a;
	int rc = ss_config_string(cfg, "scam_sms", "signatures", NULL, &s);
	rc |= ss_config_string(cfg, "scam_sms", "senders", NULL, &a);
	if (rc)
		return -SS_ECONFIG;
	if (s && *s) {
		if (!is_dir(s) && !is_file(s)) {
			ss_error("%s: scam_sms.signatures = '%s': no such file or directory", ss_config_path(cfg), s);
			return -SS_ECONFIG;
		}
		snprintf(sig, PATH_MAX, "%s", s);
	} else {
		default_signatures(sig, PATH_MAX);
	}
	if (a && *a) {
		if (!is_file(a)) {
			ss_error("%s: scam_sms.senders = '%s': no such file", ss_config_path(cfg), a);
			return -SS_ECONFIG;
		}
		snprintf(snd, PATH_MAX, "%s", a);
	} else {
		default_senders(sig, snd, PATH_MAX);
	}
	return 0;
}

static int conf_int(const struct ss_config *cfg, const char *key, int def, int lo, int hi, int *out)
{
	int64_t v;
	int rc = ss_config_int(cfg, "scam_sms", key, def, lo, hi, &v);
	*out = (int)v;
	return rc;
}

static int conf_dur(const struct ss_config *cfg, const char *key, double def_s, double lo, double hi,
		    uint32_t *out)
{
	int64_t us;
	int rc = ss_config_duration(cfg, "scam_sms", key, (int64_t)(def_s * 1e6), &us);
	if (rc < 0)
		return rc;
	double s = (double)us / 1e6;
	if (s < lo || s > hi) {
		ss_error("%s: scam_sms.%s: out of range [%gs, %gs]", ss_config_path(cfg), key, lo, hi);
		return -SS_ECONFIG;
	}
	*out = (uint32_t)s;
	return 0;
}

static int read_conf(const struct ss_config *cfg, struct sms_conf *c)
{
	int rc = 0;
	if (read_paths(cfg, c->sig_path, c->snd_path) < 0)
		rc = -1;
	rc |= conf_int(cfg, "threshold", 60, 1, 100, &c->threshold);
	rc |= conf_int(cfg, "strong_score", 80, 1, 100, &c->strong_score);
	rc |= conf_int(cfg, "strong_min_recipients", 2, 1, 100, &c->strong_min_recipients);
	rc |= conf_int(cfg, "content_block_min", 3, 2, 100, &c->content_block_min);
	rc |= conf_dur(cfg, "window", 6 * 3600, 600, 2 * 86400, &c->window);
	rc |= conf_int(cfg, "campaign_min_recipients", 50, 5, 100000, &c->campaign_min_recipients);
	rc |= ss_config_double(cfg, "scam_sms", "campaign_ratio", 5, 1, 1000, &c->campaign_ratio);
	rc |= conf_int(cfg, "hamming", 3, 0, 3, &c->hamming);
	rc |= conf_int(cfg, "min_text", 8, 3, 1000, &c->min_text);
	rc |= conf_int(cfg, "mass_min_sms", 100, 10, 1000000, &c->mass_min_sms);
	rc |= conf_int(cfg, "mass_min_recipients", 80, 10, 100000, &c->mass_min_recipients);
	rc |= ss_config_double(cfg, "scam_sms", "max_reply_share", 0.05, 0, 1, &c->max_reply_share);
	rc |= conf_int(cfg, "promote_sms", 20, 2, 1000000, &c->promote_sms);
	rc |= conf_int(cfg, "max_senders", 1048576, 1024, 67108862, &c->max_senders);
	rc |= ss_config_int(cfg, "scam_sms", "pair_filter_bits", INT64_C(1) << 23, INT64_C(1) << 16, INT64_C(1) << 36,
			    &c->pair_filter_bits);
	rc |= ss_config_int(cfg, "scam_sms", "pair_filter_max_bits", INT64_C(1) << 30, INT64_C(1) << 16,
			    INT64_C(1) << 36, &c->pair_filter_max_bits);
	rc |= conf_int(cfg, "max_clusters", 16384, 64, 4194304, &c->max_clusters);
	rc |= conf_int(cfg, "max_marks", 1048576, 1024, 67108862, &c->max_marks);
	rc |= conf_dur(cfg, "idle_evict", 2 * 86400, 3600, 30 * 86400, &c->idle_evict);
	rc |= conf_dur(cfg, "mark_interval", 86400, 60, 30 * 86400, &c->mark_interval);
	rc |= conf_int(cfg, "score_content_block", 90, 0, 100, &c->score_content_block);
	rc |= conf_int(cfg, "score_mass", 75, 0, 100, &c->score_mass);
	rc |= conf_int(cfg, "score_campaign", 75, 0, 100, &c->score_campaign);
	rc |= conf_int(cfg, "score_mark", 50, 0, 100, &c->score_mark);
	if (rc)
		return -SS_ECONFIG;
	if (c->promote_sms > c->mass_min_sms) {
		ss_error("%s: scam_sms.promote_sms (%d) must be <= mass_min_sms (%d)", ss_config_path(cfg),
			 c->promote_sms, c->mass_min_sms);
		return -SS_ECONFIG;
	}
	if (c->pair_filter_bits > c->pair_filter_max_bits)
		c->pair_filter_max_bits = c->pair_filter_bits;
	if (c->strong_score < c->threshold) {
		ss_error("%s: scam_sms.strong_score (%d) must be >= threshold (%d)", ss_config_path(cfg),
			 c->strong_score, c->threshold);
		return -SS_ECONFIG;
	}
	return 0;
}

/* ---- loading: signature set + allow-list ----------------------------------- */

static uint64_t fp_add(uint64_t h, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return ss_hash_mix(h ^ 0xdead);
	uint64_t v[3] = { (uint64_t)st.st_size, (uint64_t)st.st_mtim.tv_sec, (uint64_t)st.st_mtim.tv_nsec };
	return ss_hash64(v, sizeof(v), ss_hash_str(path, h));
}

/* Fingerprint of the files a load reads: changed names, sizes or mtimes change it. */
static uint64_t fingerprint(const char *sig, const char *snd)
{
	uint64_t h = ss_hash_str(sig, 1) ^ ss_hash_str(snd, 2);
	if (is_dir(sig)) {
		DIR *d = opendir(sig);
		struct dirent *de;
		char p[PATH_MAX + 256];
		while (d && (de = readdir(d))) {
			size_t n = strlen(de->d_name);
			if (n < 5 || strcmp(de->d_name + n - 4, ".sig") != 0)
				continue;
			snprintf(p, sizeof(p), "%s/%s", sig, de->d_name);
			h += fp_add(0x51, p); /* order-independent */
		}
		if (d)
			closedir(d);
	} else {
		h += fp_add(0x51, sig);
	}
	if (snd[0])
		h += fp_add(0x52, snd);
	return h;
}

/* senders.conf: `allow PATTERN CLASS COMMENT...`; any bad line rejects the file. */
static int load_allow(const char *path, struct sms_data *d)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	unsigned ln = 0;
	size_t cap = 0;

	if (!f) {
		int e = errno;
		ss_error("%s: %s", path, strerror(e));
		return -e;
	}
	for (;;) {
		line[sizeof(line) - 1] = 'x'; /* fgets() puts its NUL here only when the line filled the buffer */
		if (!fgets(line, sizeof(line), f))
			break;
		ln++;
		if (line[sizeof(line) - 1] == '\0' && line[sizeof(line) - 2] != '\n') {
			/* No room for the whole line: the rest must not be read as a line of its own. */
			int next = getc(f);
			if (next != '\n' && next != EOF) {
				ss_error("%s:%u: line longer than %zu characters", path, ln, sizeof(line) - 1);
				fclose(f);
				return -SS_EPARSE;
			}
		}
		char *p = line;
		if (ln == 1 && (unsigned char)p[0] == 0xef && (unsigned char)p[1] == 0xbb && (unsigned char)p[2] == 0xbf)
			p += 3;
		char *hash = strchr(p, '#');
		if (hash)
			*hash = '\0';
		char *tok[3];
		int nt = 0;
		for (char *s = strtok(p, " \t\r\n"); s && nt < 3; s = strtok(NULL, " \t\r\n"))
			tok[nt++] = s;
		if (nt == 0)
			continue;
		const char *why = NULL;
		size_t plen = nt >= 2 ? strlen(tok[1]) : 0;
		if (strcmp(tok[0], "allow") != 0)
			why = "expected `allow PATTERN CLASS COMMENT`";
		else if (nt < 3)
			why = "expected `allow PATTERN CLASS COMMENT`: missing pattern or class";
		else if (plen == 0 || plen >= sizeof(d->allow[0].pat))
			why = "pattern too long";
		for (size_t i = 0; !why && i < plen; i++) {
			char ch = tok[1][i];
			bool last = i + 1 == plen;
			if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			      (last && ch == '*' && plen > 1)))
				why = "pattern: a number, or a prefix ending in '*'";
		}
		if (why) {
			ss_error("%s:%u: %s", path, ln, why);
			fclose(f);
			return -SS_EPARSE;
		}
		if (d->n_allow == cap) {
			cap = cap ? cap * 2 : 64;
			struct sms_allow *na = realloc(d->allow, cap * sizeof(*na));
			if (!na) {
				fclose(f);
				return -ENOMEM;
			}
			d->allow = na;
		}
		struct sms_allow *a = &d->allow[d->n_allow++];
		memset(a, 0, sizeof(*a));
		a->prefix = tok[1][plen - 1] == '*';
		a->len = (uint8_t)(plen - a->prefix);
		memcpy(a->pat, tok[1], a->len);
	}
	fclose(f);
	return 0;
}

static void data_free(struct sms_data *d)
{
	if (!d)
		return;
	sig_set_free(d->set);
	free(d->allow);
	free(d);
}

/* Build a complete data set; errors are logged with file:line. */
static int data_load(const char *sig, const char *snd, struct sms_data **out)
{
	struct sms_data *d = calloc(1, sizeof(*d));
	struct sig_error err;
	int rc;

	if (!d)
		return -ENOMEM;
	snprintf(d->sig_path, sizeof(d->sig_path), "%s", sig);
	snprintf(d->snd_path, sizeof(d->snd_path), "%s", snd);
	d->fp = fingerprint(sig, snd);
	memset(&err, 0, sizeof(err));
	rc = sig_set_load(sig, &d->set, &err);
	if (rc < 0) {
		if (err.line)
			ss_error("scam_sms: %s:%u: %s", err.file, err.line, err.msg);
		else
			ss_error("scam_sms: %s: %s", err.file[0] ? err.file : sig, err.msg[0] ? err.msg : ss_strerror(rc));
		data_free(d);
		return rc;
	}
	if (snd[0]) {
		rc = load_allow(snd, d);
		if (rc < 0) {
			data_free(d);
			return rc;
		}
	}
	*out = d;
	return 0;
}

static void *loader_main(void *arg)
{
	struct sms_loader *ld = arg;
	ld->data = NULL;
	ld->rc = data_load(ld->sig_path, ld->snd_path, &ld->data);
	atomic_store(&ld->done, 1);
	return NULL;
}

static int swap_in(struct scam_sms *s, struct sms_data *d)
{
	struct sig_scanner *sc = NULL;
	int rc = sig_scanner_open(d->set, &sc);
	if (rc < 0) {
		ss_error("scam_sms: scanner for %s: %s; keeping the running set", d->sig_path, ss_strerror(rc));
		data_free(d);
		return rc;
	}
	sig_scanner_close(s->sc);
	data_free(s->data);
	s->sc = sc;
	s->data = d;
	s->tc_gen++; /* cached verdicts were the old set's */
	ss_info("scam_sms: %zu signatures (%s) from %s, %zu allow-listed sender patterns%s%s", sig_set_count(d->set),
		sig_set_version(d->set), d->sig_path, d->n_allow, d->snd_path[0] ? " from " : "", d->snd_path);
	return 0;
}

/* Finish a background load: swap on success. @wait blocks until it is done. */
static void loader_poll(struct scam_sms *s, bool wait)
{
	if (!s->ld.running || (!wait && !atomic_load(&s->ld.done)))
		return;
	pthread_join(s->ld.th, NULL);
	s->ld.running = false;
	if (s->ld.rc == 0 && swap_in(s, s->ld.data) == 0) {
		s->reloads++;
		s->load_failed = false;
	} else {
		s->reload_failures++;
		if (s->data)
			ss_error("scam_sms: reload rejected (above); keeping the running signature set");
		else
			s->load_failed = true;
	}
	s->ld.data = NULL;
}

static int loader_start(struct scam_sms *s, const char *sig, const char *snd)
{
	snprintf(s->ld.sig_path, sizeof(s->ld.sig_path), "%s", sig);
	snprintf(s->ld.snd_path, sizeof(s->ld.snd_path), "%s", snd);
	atomic_store(&s->ld.done, 0);
	int rc = pthread_create(&s->ld.th, NULL, loader_main, &s->ld);
	if (rc != 0) {
		ss_error("scam_sms: cannot start the loader: %s", strerror(rc));
		return -rc;
	}
	s->ld.running = true;
	return 0;
}

/* The data for scanning, loading it at first use; NULL when it cannot load. */
static const struct sms_data *ensure_data(struct scam_sms *s)
{
	if (s->ld.running)
		loader_poll(s, s->data == NULL);
	if (s->data || s->load_failed)
		return s->data;
	struct sms_data *d = NULL;
	if (data_load(s->c.sig_path, s->c.snd_path, &d) < 0 || swap_in(s, d) < 0) {
		ss_error("scam_sms: no signature set: SMS content is not scanned (volume and campaign rules "
			 "still run)");
		s->load_failed = true;
		return NULL;
	}
	return s->data;
}

static bool allowed(const struct sms_data *d, const char *number)
{
	size_t n = strlen(number);
	for (size_t i = 0; d && i < d->n_allow; i++) {
		const struct sms_allow *a = &d->allow[i];
		if (a->prefix ? (n >= a->len && memcmp(number, a->pat, a->len) == 0)
			      : (n == a->len && memcmp(number, a->pat, n) == 0))
			return true;
	}
	return false;
}

/*
 * allowed() for a sender key (sender_key(), the sender state's own
 * identity), remembered per signature-set generation: the allow-list is
 * a linear scan of its patterns and the same senders send again and again.
 */
static bool sender_allowed(struct scam_sms *s, const struct sms_data *d, const char *number, uint64_t key)
{
	struct sms_allow_memo *am = &s->allow_memo[(key ^ (key >> 23)) & (ALLOW_MEMO - 1)];
	if (am->key == key && am->gen == s->tc_gen)
		return am->yes;
	bool yes = allowed(d, number);
	am->key = key;
	am->gen = s->tc_gen;
	am->yes = yes;
	return yes;
}

/* ---- senders -------------------------------------------------------------- */

static unsigned lc_count(const float *tab, const uint64_t *a, const uint64_t *b, unsigned words)
{
	unsigned ones = 0;
	for (unsigned i = 0; i < words; i++)
		ones += (unsigned)__builtin_popcountll(a[i] | b[i]);
	return (unsigned)(tab[words * 64 - ones] + 0.5f);
}

/* ---- senders: light and full tiers ---------------------------------------- */

static inline void inc16(uint16_t *v)
{
	if (*v < UINT16_MAX)
		(*v)++;
}

/* Advance @n to half @h (a late event, or the same half: counted in [0]).  True when a quiet half passed. */
static bool counts_roll(struct sms_counts *n, uint32_t h)
{
	uint16_t d = (uint16_t)((uint16_t)h - n->half);
	if (d == 0 || d >= 0x8000)
		return false;
	if (d == 1) {
		n->sms[1] = n->sms[0];
		n->rcpt[1] = n->rcpt[0];
		n->replies[1] = n->replies[0];
	} else {
		n->sms[1] = n->rcpt[1] = n->replies[1] = 0;
	}
	n->sms[0] = n->rcpt[0] = n->replies[0] = n->overlap = 0;
	n->half = (uint16_t)h;
	return d > 1;
}

static void snd_roll(struct sms_sender *e, uint32_t h)
{
	uint16_t d = (uint16_t)((uint16_t)h - e->n.half);
	if (d == 0 || d >= 0x8000)
		return;
	if (d == 1) {
		e->scam[1] = e->scam[0];
		e->spam[1] = e->spam[0];
		e->benign[1] = e->benign[0];
	} else {
		e->scam[1] = e->spam[1] = e->benign[1] = 0;
		e->last_strength = e->last_score = 0; /* a quiet day: report afresh */
		e->best_score = 0;
	}
	e->scam[0] = e->spam[0] = e->benign[0] = 0;
	counts_roll(&e->n, h);
}

/* Distinct recipients in the last 24 h (two halves). */
static unsigned counts_recipients(const struct sms_counts *n)
{
	unsigned r = (unsigned)n->rcpt[0] + n->rcpt[1];
	return r > n->overlap ? r - n->overlap : 0;
}

/* The key of a sender or recipient (normalised, in a buffer of at least 16 bytes). */
static inline uint64_t sender_key(const char *id)
{
	return ss_idmap_key_party(id, NS_SENDER);
}

/* The sender with @key: its full index | FULL_BIT, its light index, or UINT32_MAX. */
static uint32_t sender_find(const struct scam_sms *s, uint64_t key)
{
	uint32_t v;
	if (ss_idmap_get(&s->snd_ix, key, &v))
		return v | FULL_BIT;
	return s->light ? ss_slotix_find(&s->light_ix, s->light, sizeof(*s->light), key) : UINT32_MAX;
}

static uint32_t light_add(struct scam_sms *s, uint64_t key, uint32_t h)
{
	if (s->n_light - s->dead_light >= (uint32_t)s->c.max_senders || s->n_light >= SS_SLOTIX_MAX) {
		s->skipped_full++;
		return UINT32_MAX;
	}
	if (s->n_light == s->cap_light) {
		/* By a quarter: there is one per active sender, doubling would leave up to half unused. */
		uint64_t cap = (uint64_t)s->cap_light + s->cap_light / 4 + 1024;
		if (cap > SS_SLOTIX_MAX)
			cap = SS_SLOTIX_MAX;
		struct sms_light *n = realloc(s->light, (size_t)cap * sizeof(*n));
		if (!n)
			return UINT32_MAX;
		s->light = n;
		s->cap_light = (uint32_t)cap;
	}
	uint32_t i = s->n_light;
	struct sms_light *l = &s->light[i];
	memset(l, 0, sizeof(*l));
	l->key = key;
	l->n.half = (uint16_t)h;
	if (ss_slotix_add(&s->light_ix, s->light, sizeof(*s->light), i, i + 1) < 0)
		return UINT32_MAX;
	s->n_light++;
	return i;
}

/* Light entry @i is gone (promoted or reset): its slot stays until the sweep compacts. */
static void light_kill(struct scam_sms *s, uint32_t i)
{
	s->light[i].key = 0;
	s->dead_light++;
}

/*
 * Drop dead light entries and those quiet for two halves (every counter
 * zero: nothing left to keep), then re-index.  Returns how many expired.
 */
static uint32_t light_compact(struct scam_sms *s, uint32_t t)
{
	uint16_t h = (uint16_t)(t / (DAY / 2));
	uint32_t j = 0, expired = 0;
	for (uint32_t i = 0; i < s->n_light; i++) {
		const struct sms_light *l = &s->light[i];
		if (!l->key)
			continue;
		uint16_t d = (uint16_t)(h - l->n.half);
		if (d >= 2 && d < 0x8000) {
			expired++;
			continue;
		}
		s->light[j++] = *l;
	}
	if (j == s->n_light)
		return 0;
	s->n_light = j;
	s->dead_light = 0;
	if (ss_slotix_build(&s->light_ix, s->light, sizeof(*s->light), j, (uint64_t)j * 11 / 10) < 0) {
		/* Out of memory: the old slots point past n_light or at moved entries; start the tier afresh. */
		ss_slotix_free(&s->light_ix);
		s->n_light = 0;
	}
	if (s->cap_light > 4096 && (uint64_t)j * 2 < s->cap_light) {
		uint32_t cap = j + j / 8 + 1024;
		struct sms_light *n = realloc(s->light, (size_t)cap * sizeof(*n));
		if (n) {
			s->light = n;
			s->cap_light = cap;
		}
	}
	return expired;
}

static uint32_t snd_add(struct scam_sms *s, uint64_t key)
{
	if (s->n_snd >= (uint32_t)s->c.max_senders) {
		s->skipped_full++;
		return UINT32_MAX;
	}
	if (s->n_snd == s->cap_snd) {
		uint32_t cap = s->cap_snd ? s->cap_snd * 2 : 256;
		struct sms_sender *n = realloc(s->snd, (size_t)cap * sizeof(*n));
		if (!n)
			return UINT32_MAX;
		s->snd = n;
		s->cap_snd = cap;
	}
	if (ss_idmap_put(&s->snd_ix, key, s->n_snd))
		return UINT32_MAX;
	struct sms_sender *e = &s->snd[s->n_snd];
	memset(e, 0, sizeof(*e));
	e->key = key;
	return s->n_snd++;
}

static void snd_del(struct scam_sms *s, uint32_t i)
{
	ss_idmap_del(&s->snd_ix, s->snd[i].key);
	uint32_t last = --s->n_snd;
	if (i != last) {
		s->snd[i] = s->snd[last];
		ss_idmap_put(&s->snd_ix, s->snd[i].key, i); /* replaces: cannot allocate */
	}
}

/* Light sender @li becomes full, its counters carried over; its full index or UINT32_MAX (table full). */
static uint32_t promote(struct scam_sms *s, uint32_t li)
{
	struct sms_light l = s->light[li];
	uint32_t fi = snd_add(s, l.key);
	if (fi == UINT32_MAX)
		return UINT32_MAX;
	light_kill(s, li);
	s->snd[fi].n = l.n;
	s->promotions++;
	return fi;
}

/* The counters of sender @v (a sender_find() result, either tier), rolled to half @h. */
static struct sms_counts *counts_at(struct scam_sms *s, uint32_t v, uint32_t h)
{
	if (v & FULL_BIT) {
		struct sms_sender *e = &s->snd[v & ~FULL_BIT];
		snd_roll(e, h);
		return &e->n;
	}
	counts_roll(&s->light[v].n, h);
	return &s->light[v].n;
}

/* The counters of the sender with @key (rolled to half @h), or NULL when it is not tracked. */
static struct sms_counts *counts_of(struct scam_sms *s, uint64_t key, uint32_t h)
{
	uint32_t v = sender_find(s, key);
	return v == UINT32_MAX ? NULL : counts_at(s, v, h);
}

/* ---- sender -> recipient pairs -------------------------------------------- */

static inline uint64_t pair_hash(uint64_t sender_key, uint64_t rcpt_key)
{
	return ss_hash_mix(sender_key ^ ss_hash_mix(rcpt_key + UINT64_C(0x9e3779b97f4a7c15)));
}

/*
 * Move the pair filters to half @h.  The filter of a new half is sized for
 * the half that just ended (16 bits a pair, ~0.2 % false positives with 3
 * probes; the configured size at least, pair_filter_max_bits at most), so
 * memory follows the traffic, not the subscriber base.
 */
static void pairs_roll(struct scam_sms *s, uint32_t h)
{
	if (h <= s->pair_half)
		return;
	uint64_t last = s->pair[0].entries;
	if (h == s->pair_half + 1 && s->pair[0].bits) {
		struct ss_bloom t = s->pair[1];
		s->pair[1] = s->pair[0];
		s->pair[0] = t;
	} else {
		ss_bloom_clear(&s->pair[1]);
	}
	uint64_t want = (uint64_t)s->c.pair_filter_bits;
	while (want < last * 16 && want < (uint64_t)s->c.pair_filter_max_bits)
		want <<= 1;
	if (!s->pair[0].bits || s->pair[0].mask + 1 != want) {
		ss_bloom_free(&s->pair[0]);
		if (ss_bloom_init(&s->pair[0], want, 3) < 0)
			ss_bloom_init(&s->pair[0], (uint64_t)s->c.pair_filter_bits, 3); /* may fail too: counts then undercount */
	} else {
		ss_bloom_clear(&s->pair[0]);
	}
	s->pair_half = h;
}

static inline void bit_set(uint64_t *bm, unsigned words, uint64_t h)
{
	h %= (uint64_t)words * 64;
	bm[h >> 6] |= UINT64_C(1) << (h & 63);
}

static inline bool bit_has(const uint64_t *bm, unsigned words, uint64_t h)
{
	h %= (uint64_t)words * 64;
	return (bm[h >> 6] >> (h & 63)) & 1;
}

static unsigned scam_recipients(const struct sms_sender *e, uint32_t t)
{
	unsigned n = 0;
	for (int i = 0; i < SCAM_RING; i++)
		if (e->scam_rcpt[i] && (int64_t)t - (int64_t)e->scam_t[i] < DAY)
			n++;
	return n;
}

static void scam_ring_add(struct sms_sender *e, uint32_t h, uint32_t t)
{
	int old = 0;
	h |= 1;
	for (int i = 0; i < SCAM_RING; i++) {
		if (e->scam_rcpt[i] == h) {
			e->scam_t[i] = t;
			return;
		}
		if (e->scam_t[i] < e->scam_t[old])
			old = i;
	}
	e->scam_rcpt[old] = h;
	e->scam_t[old] = t;
}

/* ---- clusters ------------------------------------------------------------- */

static void cl_roll(const struct scam_sms *s, struct sms_cluster *c, uint32_t t)
{
	uint32_t h = t / (s->c.window / 2);
	if (h <= c->half)
		return;
	uint32_t d = h - c->half;
	if (d == 1) {
		memcpy(c->rcpt[1], c->rcpt[0], sizeof(c->rcpt[0]));
		memcpy(c->snd[1], c->snd[0], sizeof(c->snd[0]));
		c->msgs[1] = c->msgs[0];
		c->contact[1] = c->contact[0];
		c->scam[1] = c->scam[0];
		c->spam[1] = c->spam[0];
		c->benign[1] = c->benign[0];
	} else {
		memset(c->rcpt[1], 0, sizeof(c->rcpt[1]));
		memset(c->snd[1], 0, sizeof(c->snd[1]));
		c->msgs[1] = c->contact[1] = c->scam[1] = c->spam[1] = c->benign[1] = 0;
	}
	memset(c->rcpt[0], 0, sizeof(c->rcpt[0]));
	memset(c->snd[0], 0, sizeof(c->snd[0]));
	c->msgs[0] = c->contact[0] = c->scam[0] = c->spam[0] = c->benign[0] = 0;
	c->half = h;
}

static inline uint32_t band_of(uint64_t h, int b)
{
	return (uint32_t)((h >> (16 * b)) & 0xffff);
}

static void cl_free(struct scam_sms *s, uint32_t i)
{
	struct sms_cluster *c = &s->cl[i];
	for (int b = 0; b < BANDS; b++) {
		uint32_t *slot = &s->bucket[(size_t)b * 65536 + band_of(c->rep, b)];
		if (*slot == i + 1)
			*slot = 0;
	}
	c->flags = 0;
	c->next_free = s->free_cl;
	s->free_cl = i + 1;
	s->live_cl--;
}

/* The cluster of fingerprint @h (joined or new), or UINT32_MAX when full. */
static uint32_t cl_find(struct scam_sms *s, uint64_t h, uint32_t t)
{
	uint32_t best = UINT32_MAX;
	int best_d = 65;
	for (int b = 0; b < BANDS; b++) {
		uint32_t v = s->bucket[(size_t)b * 65536 + band_of(h, b)];
		if (!v)
			continue;
		const struct sms_cluster *c = &s->cl[v - 1];
		int d = text_hamming(c->rep, h);
		if ((c->flags & CF_LIVE) && d <= s->c.hamming && d < best_d) {
			best = v - 1;
			best_d = d;
		}
	}
	if (best != UINT32_MAX)
		return best;
	uint32_t i;
	if (s->free_cl) {
		i = s->free_cl - 1;
		s->free_cl = s->cl[i].next_free;
	} else if (s->n_cl < (uint32_t)s->c.max_clusters) {
		if (s->n_cl == s->cap_cl) {
			uint32_t cap = s->cap_cl ? s->cap_cl * 2 : 256;
			if (cap > (uint32_t)s->c.max_clusters)
				cap = (uint32_t)s->c.max_clusters;
			struct sms_cluster *n = realloc(s->cl, (size_t)cap * sizeof(*n));
			if (!n)
				return UINT32_MAX;
			s->cl = n;
			s->cap_cl = cap;
		}
		i = s->n_cl++;
	} else {
		s->clusters_full++;
		return UINT32_MAX;
	}
	struct sms_cluster *c = &s->cl[i];
	memset(c, 0, sizeof(*c));
	c->rep = h;
	c->id = ss_hash_mix(h) | 1;
	c->first = c->last = t;
	c->half = t / (s->c.window / 2);
	c->flags = CF_LIVE;
	s->live_cl++;
	for (int b = 0; b < BANDS; b++)
		s->bucket[(size_t)b * 65536 + band_of(h, b)] = i + 1;
	return i;
}

/* ---- findings ------------------------------------------------------------- */

/* What the current message contributed (NULL fields when there was none). */
struct msg_ctx {
	const struct event *ev;
	const struct sig_result *res; /* NULL: not scanned */
	bool scam, spam, benign, contact, obfuscated;
	const struct sms_cluster *cl;
};

static void describe_hits(const struct scam_sms *s, const struct sig_result *r, char *buf, size_t size)
{
	size_t off = 0;
	buf[0] = '\0';
	unsigned n = r->n_hits < SIG_MAX_HITS ? r->n_hits : SIG_MAX_HITS;
	for (unsigned i = 0; i < n && i < 3 && off < size; i++)
		off += (size_t)snprintf(buf + off, size - off, "%s%s", i ? "," : "", sig_id(s->data->set, r->hit[i]));
	if (n > 3 && off < size)
		snprintf(buf + off, size - off, ",+%u", n - 3);
}

static const char *cat_name(const struct scam_sms *s, int cat)
{
	if (!s->data || cat < 0 || (size_t)cat >= sig_category_count(s->data->set))
		return "?";
	return sig_category_name(s->data->set, (size_t)cat);
}

static void fill_subject(const struct sms_sender *e, struct det_finding *f)
{
	f->subject.kind = e->kind == SK_NUMBER ? DET_SUBJECT_NUMBER : DET_SUBJECT_SIM;
	memcpy(f->subject.msisdn, e->number, sizeof(f->subject.msisdn));
	if (e->kind == SK_SIM)
		memcpy(f->subject.imsi, e->imsi, sizeof(f->subject.imsi));
}

/*
 * The verdict on a sender: score and strength into *@score / *@st, false
 * when there is none.  With @f NULL nothing is formatted (most evaluations
 * do not raise the verdict, so they need no reasons); with @f the finding's
 * subject and reasons are filled too - the same decisions, in the same
 * order.
 */
static bool judge(struct scam_sms *s, const struct sms_sender *e, const struct msg_ctx *m, uint32_t t,
		  struct det_finding *f, int *score_out, enum det_strength *st_out)
{
	const struct sms_conf *c = &s->c;
	int n_reasons = 0;
	unsigned sms = (unsigned)e->n.sms[0] + e->n.sms[1], scam = (unsigned)e->scam[0] + e->scam[1];
	unsigned spam = (unsigned)e->spam[0] + e->spam[1], benign = (unsigned)e->benign[0] + e->benign[1];
	unsigned replies = (unsigned)e->n.replies[0] + e->n.replies[1];
	unsigned rcpt = counts_recipients(&e->n);
	unsigned scam_rc = scam_recipients(e, t);
	bool no_replies = sms >= 10 && replies <= c->max_reply_share * sms;
	bool campaign = e->campaign && (int64_t)t - (int64_t)e->campaign_t < 2 * (int64_t)c->window;
	int score = 0;
	enum det_strength st = DET_WEAK;
	char hits[120];

	if (f) {
		f->family = "scam_sms";
		fill_subject(e, f);
		f->event_time = m->ev->time;
		memcpy(f->evidence_record, m->ev->record_id, sizeof(f->evidence_record));
	}
#define REASON(...)                                                                                                \
	do {                                                                                                       \
		n_reasons++;                                                                                       \
		if (f)                                                                                             \
			det_reason_add(f, __VA_ARGS__);                                                            \
	} while (0)
#define RAISE(sc, stg)                                                                                             \
	do {                                                                                                       \
		if ((sc) > score)                                                                                  \
			score = (sc);                                                                              \
		if ((stg) > st)                                                                                    \
			st = (stg);                                                                                \
	} while (0)

	const struct sig_result *r = m->res;
	if (m->scam && r) {
		if (f)
			describe_hits(s, r, hits, sizeof(hits));
		/*
		 * One strong hit to one recipient is how a person forwards a scam
		 * to a friend ("is this a scam?"): behavioural only from the
		 * strong_min_recipients-th distinct recipient on.
		 */
		bool strong = r->scam_score >= c->strong_score && scam_rc >= (unsigned)c->strong_min_recipients;
		REASON(strong ? "scam_sms.template" : "scam_sms.content",
			       "category %s (%s), score %d, signatures %s%s; %u scam SMS to %u recipients in 24 h",
			       cat_name(s, r->scam_category),
			       s->data ? sig_category_label(s->data->set, (size_t)r->scam_category) : "?", r->scam_score,
			       hits, m->obfuscated ? "; obfuscated text" : "", scam, scam_rc);
		RAISE(r->scam_score, strong ? DET_BEHAVIOURAL : DET_WEAK);
	}
	if (scam >= (unsigned)c->content_block_min && scam_rc >= (unsigned)c->content_block_min) {
		REASON("scam_sms.repeated", "%u scam SMS to %u distinct recipients in 24 h (best: %s, score %u)",
			       scam, scam_rc, cat_name(s, e->best_cat), e->best_score);
		RAISE(c->score_content_block, DET_STRUCTURAL);
	}
	bool spammy = spam * 2 > sms && scam == 0;
	if (campaign) {
		const struct sms_cluster *cl = &s->cl[e->campaign - 1];
		unsigned crc = f ? lc_count(s->lc1024, cl->rcpt[0], cl->rcpt[1], 16) : 0; /* for the reason only */
		unsigned csn = f ? lc_count(s->lc256, cl->snd[0], cl->snd[1], 4) : 0;
		enum det_strength cst = (enum det_strength)e->campaign_strength;
		if (cst == DET_BEHAVIOURAL && e->kind != SK_SIM)
			cst = DET_WEAK; /* an outside number cannot re-verify; unknown content alone never blocks it */
		else if (cst == DET_BEHAVIOURAL && no_replies)
			cst = DET_STRUCTURAL;
		REASON("scam_sms.campaign",
			       "near-duplicate campaign %016llx: %u messages to ~%u recipients from ~%u senders in %u h%s; "
			       "this sender %u SMS, %u replies",
			       (unsigned long long)cl->id, (unsigned)cl->msgs[0] + cl->msgs[1], crc, csn, c->window / 3600,
			       cst == DET_WEAK ? (cl->spam[0] + cl->spam[1] ? ", spam" : ", no contact slot")
			       : (cl->scam[0] + cl->scam[1]) ? ", matches scam signatures"
							     : ", unknown template with a contact slot",
			       sms, replies);
		if (f)
			f->group = cl->id;
		RAISE(cst == DET_WEAK ? 55 : cst == DET_STRUCTURAL ? 90 : c->score_campaign, cst);
	}
	if (sms >= (unsigned)c->mass_min_sms && rcpt >= (unsigned)c->mass_min_recipients &&
	    replies <= c->max_reply_share * sms && benign * 2 < sms) {
		bool with = scam > 0 || (campaign && (e->campaign_strength == DET_STRUCTURAL ||
						       (e->campaign_strength == DET_BEHAVIOURAL && e->kind == SK_SIM)));
		enum det_strength mst = with ? DET_STRUCTURAL : e->kind == SK_SIM ? DET_BEHAVIOURAL : DET_WEAK;
		if (spammy)
			mst = DET_WEAK;
		REASON("scam_sms.mass_sender", "%u SMS to ~%u distinct recipients in 24 h, %u replies%s",
			       sms, rcpt, replies, with ? ", with scam content or a campaign" : "");
		RAISE(with ? 90 : c->score_mass, mst);
	}
	if (m->spam && r && score == 0) {
		if (f)
			describe_hits(s, r, hits, sizeof(hits));
		REASON("scam_sms.spam", "marketing spam: category %s, score %d, signatures %s",
			       cat_name(s, r->category), r->score, hits);
		RAISE(r->score > 60 ? 60 : r->score, DET_WEAK);
	}
#undef RAISE
	if (score == 0 || n_reasons == 0)
		return false;
	if (spammy && st > DET_WEAK)
		st = DET_WEAK;
	if (e->flags & SF_ALLOWED) {
		st = DET_WEAK;
		REASON("scam_sms.allow_listed", "sender %s is allow-listed (senders.conf): capped to monitor",
		       e->number);
	}
#undef REASON
	if (score > 100)
		score = 100;
	*score_out = score;
	*st_out = st;
	return true;
}

/* Re-evaluate a sender after an SMS or a campaign; emit when the verdict rose. */
static void evaluate(struct scam_sms *s, struct sms_sender *e, const struct msg_ctx *m, uint32_t t)
{
	int score;
	enum det_strength st;
	struct det_finding f;

	if (e->kind == SK_ALNUM)
		return; /* no number to act on: its links and call-back numbers are marked instead */
	if (!judge(s, e, m, t, NULL, &score, &st))
		return;
	if ((unsigned)st < e->last_strength || ((unsigned)st == e->last_strength && score < e->last_score + 10))
		return;
	memset(&f, 0, sizeof(f));
	judge(s, e, m, t, &f, &score, &st);
	e->last_strength = (uint8_t)st;
	e->last_score = (uint8_t)score;
	f.score = score;
	f.strength = st;
	s->st.findings++;
	s->env.emit(s->env.emit_ctx, &f);
}

/* E.164 form of a call-back number found in a text (mobile, landline, 400/800). */
static bool callback_number(const char *v, char *out, size_t size)
{
	size_t n = strlen(v);
	for (size_t i = 0; i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			return false;
	if (n == 11 && v[0] == '1')
		snprintf(out, size, "86%s", v);
	else if (n >= 10 && n <= 12 && v[0] == '0' && v[1] != '0')
		snprintf(out, size, "86%s", v + 1);
	else if (n == 10 && (!strncmp(v, "400", 3) || !strncmp(v, "800", 3)))
		snprintf(out, size, "86%s", v);
	else if (n >= 7 && n <= 15)
		snprintf(out, size, "%s", v);
	else
		return false;
	return true;
}

static bool recently_marked(struct scam_sms *s, uint64_t key)
{
	uint32_t v;
	if (ss_idmap_get(&s->marks[0], key, &v) || ss_idmap_get(&s->marks[1], key, &v))
		return true;
	if (s->marks[0].n >= (size_t)s->c.max_marks) {
		ss_idmap_free(&s->marks[1]);
		s->marks[1] = s->marks[0];
		ss_idmap_init(&s->marks[0]);
	}
	ss_idmap_put(&s->marks[0], key, 1);
	return false;
}

/* Links and call-back numbers of a scam text: gray-listed, once per value per interval. */
static int normalise_event(struct scam_sms *s, const struct event *ev);

static void mark_slots(struct scam_sms *s, const struct event *ev, const char *why)
{
	if (normalise_event(s, ev) != 0)
		return;
	unsigned n = s->tn.n_slots < TEXT_MAX_SLOTS ? s->tn.n_slots : TEXT_MAX_SLOTS;
	for (unsigned i = 0; i < n; i++) {
		const struct text_slot *sl = &s->tn.slot[i];
		struct det_finding f;
		if (sl->type != TEXT_SLOT_URL && sl->type != TEXT_SLOT_PHONE && sl->type != TEXT_SLOT_QQ &&
		    sl->type != TEXT_SLOT_WECHAT)
			continue;
		if (!sl->value[0])
			continue;
		memset(&f, 0, sizeof(f));
		if (sl->type == TEXT_SLOT_PHONE) {
			f.subject.kind = DET_SUBJECT_NUMBER;
			if (!callback_number(sl->value, f.subject.msisdn, sizeof(f.subject.msisdn)))
				continue;
		} else {
			f.subject.kind = DET_SUBJECT_URL;
			snprintf(f.subject.entity, sizeof(f.subject.entity), "%s%.*s",
				 sl->type == TEXT_SLOT_QQ ? "qq:" : sl->type == TEXT_SLOT_WECHAT ? "wechat:" : "",
				 (int)(sizeof(f.subject.entity) - 8), sl->value);
		}
		const char *id = f.subject.kind == DET_SUBJECT_NUMBER ? f.subject.msisdn : f.subject.entity;
		if (recently_marked(s, ss_idmap_key(id, NS_MARK + sl->type)))
			continue;
		f.family = "scam_sms";
		f.score = s->c.score_mark;
		f.strength = DET_WEAK;
		f.mark_list = DET_LIST_GRAY;
		f.event_time = ev->time;
		memcpy(f.evidence_record, ev->record_id, sizeof(f.evidence_record));
		if (sl->type == TEXT_SLOT_URL)
			det_reason_add(&f, "scam_sms.link", "link in a scam SMS (%s)", why);
		else
			det_reason_add(&f, "scam_sms.callback", "%s in a scam SMS (%s)",
				       sl->type == TEXT_SLOT_PHONE ? "call-back number"
				       : sl->type == TEXT_SLOT_QQ  ? "QQ contact"
								   : "WeChat contact",
				       why);
		s->marks_out++;
		s->st.findings++;
		s->env.emit(s->env.emit_ctx, &f);
	}
}

/* ---- per message ---------------------------------------------------------- */

static void sweep(struct scam_sms *s, uint32_t t)
{
	for (uint32_t i = 0; i < s->n_snd;) {
		if (t > s->snd[i].last_seen && t - s->snd[i].last_seen > s->c.idle_evict) {
			/* campaign back-references are by key: an evicted sender is simply not found */
			snd_del(s, i);
			s->st.evictions++;
		} else {
			i++;
		}
	}
	s->st.evictions += light_compact(s, t);
	for (uint32_t i = 0; i < s->n_cl; i++)
		if ((s->cl[i].flags & CF_LIVE) && t > s->cl[i].last && t - s->cl[i].last > s->c.window)
			cl_free(s, i);
	if (t - s->marks_gen_start >= s->c.mark_interval) {
		ss_idmap_free(&s->marks[1]);
		s->marks[1] = s->marks[0];
		ss_idmap_init(&s->marks[0]);
		if (t - s->marks_gen_start >= 2 * s->c.mark_interval) {
			ss_idmap_free(&s->marks[1]);
			ss_idmap_init(&s->marks[1]);
		}
		s->marks_gen_start = t;
	}
	s->next_sweep = t + 1800;
}

static void norm_number(const char *in, char *out, size_t size)
{
	if (in[0] == '+')
		in++;
	size_t n = strnlen(in, size - 1);
	memcpy(out, in, n);
	out[n] = '\0';
}

/*
 * The cluster became a campaign: its recent senders learn it.  Light ones
 * (no verdict possible yet) learn it from their next SMS to the cluster.
 */
static void campaign_declared(struct scam_sms *s, uint32_t ci, enum det_strength cst, const struct msg_ctx *m,
			      uint32_t t)
{
	struct sms_cluster *c = &s->cl[ci];
	c->flags |= CF_CAMPAIGN;
	s->campaigns++;
	for (int k = 0; k < CL_SENDERS; k++) {
		uint32_t v;
		if (!c->sender_key[k] || !ss_idmap_get(&s->snd_ix, c->sender_key[k], &v))
			continue;
		struct sms_sender *e = &s->snd[v];
		e->campaign = ci + 1;
		e->campaign_t = t;
		e->campaign_strength = (uint8_t)cst;
		struct msg_ctx none = { .ev = m->ev };
		evaluate(s, e, &none, t);
	}
}

/* Normalise @ev's text into s->tn (once per event). 0 or -ENOMEM. */
static int normalise_event(struct scam_sms *s, const struct event *ev)
{
	if (s->tn_ev == ev)
		return 0;
	int rc = text_normalize(&s->tn, ev->text, ev->text_len, TEXT_NORM_ALL);
	s->tn_ev = rc == 0 ? ev : NULL;
	return rc;
}

/*
 * The content verdict of @ev's text (hash @th): fingerprint, code points,
 * contact slot, obfuscation and the scan result - from the text cache when
 * the same bytes were seen with the same signature set, else normalised and
 * scanned (and cached).
 */
static void content(struct scam_sms *s, const struct event *ev, uint64_t th, const struct sms_data *d,
		    struct msg_ctx *m, struct sig_result *res, uint64_t *fp, size_t *ncp)
{
	struct sms_tcache *c = NULL;
	if (s->tc && ev->text_len <= TC_TEXT) {
		c = &s->tc[(th ^ (th >> 29)) & (TC_SLOTS - 1)];
		if (c->gen == s->tc_gen && c->hash == th && c->len == ev->text_len &&
		    memcmp(c->text, ev->text, ev->text_len) == 0) {
			s->tc_hits++;
			if (c->flags & TCF_NORM) {
				*fp = c->fp;
				*ncp = c->ncp;
				m->contact = (c->flags & TCF_CONTACT) != 0;
				m->obfuscated = (c->flags & TCF_OBFUSCATED) != 0;
			}
			if (c->flags & TCF_SCANNED) {
				*res = c->res;
				s->scanned++;
				m->res = res;
			}
			goto verdict;
		}
	}
	uint8_t flags = 0;
	if (normalise_event(s, ev) == 0) {
		flags |= TCF_NORM;
		unsigned n = s->tn.n_slots < TEXT_MAX_SLOTS ? s->tn.n_slots : TEXT_MAX_SLOTS;
		for (unsigned i = 0; i < n; i++) {
			uint8_t ty = s->tn.slot[i].type;
			if (ty == TEXT_SLOT_URL || ty == TEXT_SLOT_PHONE || ty == TEXT_SLOT_QQ || ty == TEXT_SLOT_WECHAT)
				m->contact = true;
		}
		m->obfuscated = (s->tn.changed & (TEXT_NORM_FORMAT | TEXT_NORM_SEPARATORS | TEXT_NORM_VARIANTS)) != 0;
		/*
		 * Texts that differ only in their numbers and links (codes,
		 * order numbers, a campaign's call-back numbers) normalise
		 * alike: the fingerprint and the scan are of the normalised
		 * text, so they come from the second cache, keyed by it.
		 */
		struct sms_tcache *nc = NULL;
		uint64_t nh = 0;
		if (s->nc && s->tn.len <= TC_TEXT) {
			nh = ss_hash64(s->tn.buf, s->tn.len, 0x6e);
			nc = &s->nc[(nh ^ (nh >> 29)) & (NC_SLOTS - 1)];
			if (nc->gen == s->tc_gen && nc->hash == nh && nc->len == s->tn.len &&
			    memcmp(nc->text, s->tn.buf, s->tn.len) == 0) {
				s->nc_hits++;
				*fp = nc->fp;
				*ncp = nc->ncp;
				if (nc->flags & TCF_SCANNED) {
					*res = nc->res;
					flags |= TCF_SCANNED;
					s->scanned++;
					m->res = res;
				}
				goto store;
			}
		}
		*fp = text_simhash(s->tn.buf, s->tn.len, ncp);
		if (d && sig_scan(s->sc, d->set, s->tn.buf, s->tn.len, res) == 0) {
			flags |= TCF_SCANNED;
			s->scanned++;
			m->res = res;
		}
		if (nc) {
			nc->hash = nh;
			nc->gen = s->tc_gen;
			nc->len = (uint16_t)s->tn.len;
			memcpy(nc->text, s->tn.buf, s->tn.len);
			nc->fp = *fp;
			nc->ncp = (uint32_t)*ncp;
			nc->flags = flags;
			if (flags & TCF_SCANNED)
				nc->res = *res;
		}
	} else {
		*ncp = 0;
		c = NULL; /* out of memory: nothing to remember */
	}
store:
	if (c) {
		c->hash = th;
		c->gen = s->tc_gen;
		c->len = (uint16_t)ev->text_len;
		memcpy(c->text, ev->text, ev->text_len);
		c->fp = *fp;
		c->ncp = (uint32_t)*ncp;
		c->flags = (uint8_t)(flags | (m->contact ? TCF_CONTACT : 0) | (m->obfuscated ? TCF_OBFUSCATED : 0));
		if (flags & TCF_SCANNED)
			c->res = *res;
	}
verdict:
	if (m->res) {
		m->scam = res->scam_score >= s->c.threshold;
		m->spam = !m->scam && res->category >= 0 && res->class == SIG_CLASS_SPAM && res->score >= s->c.threshold;
		m->benign = !m->scam && res->category >= 0 && res->class == SIG_CLASS_BENIGN;
	}
}

static void scam_sms_on_event(void *state, const struct event *ev)
{
	struct scam_sms *s = state;
	uint32_t t = ev->time <= 0 ? 0 : (uint32_t)(ev->time / SS_US_PER_SEC);
	char sender[EV_PARTY_SIZE] = { 0 }, rcpt[EV_PARTY_SIZE] = { 0 }; /* zero tails: sender_key() reads 16 bytes */

	s->st.events++;
	if (s->ld.running)
		loader_poll(s, false);
	if (s->next_sweep == 0) {
		s->next_sweep = t + 600;
		s->marks_gen_start = t;
	} else if (t >= s->next_sweep) {
		sweep(s, t);
	}
	if (ev->kind != EV_SMS)
		return;
	bool mo = ev->direction == EV_DIR_MO;
	if (mo) {
		norm_number(ev->msisdn[0] ? ev->msisdn : ev->imsi, sender, sizeof(sender));
		norm_number(ev->other_party, rcpt, sizeof(rcpt));
	} else if (ev->direction == EV_DIR_MT) {
		norm_number(ev->other_party, sender, sizeof(sender));
		norm_number(ev->msisdn[0] ? ev->msisdn : ev->imsi, rcpt, sizeof(rcpt));
	} else {
		return;
	}
	if (!sender[0] || !rcpt[0])
		return;

	/*
	 * One SMS seen from both ends counts once.  Every per-party hash below
	 * derives from the two keys (computed once; distinct salts keep the
	 * bitmaps and rings independent of each other).
	 */
	uint64_t key = sender_key(sender), rkey = sender_key(rcpt);
	uint64_t th = ev->text ? ss_hash64(ev->text, ev->text_len, 0x7e) : 0;
	uint64_t dk = ss_hash_mix(key ^ ss_hash_mix(rkey ^ 0x4e) ^ ((uint64_t)t << 1) ^ th) | 1;
	uint32_t slot = (uint32_t)(dk & (DEDUP_SLOTS - 1));
	if (s->dedup_key[slot] == dk && s->dedup_t[slot] == t) {
		s->duplicates++;
		return;
	}
	s->dedup_key[slot] = dk;
	s->dedup_t[slot] = t;

	/* A reply: the recipient sent to this sender in the last 24 h. */
	uint32_t h = t / (DAY / 2);
	uint64_t shash = ss_hash_mix(key ^ 0x3c);
	pairs_roll(s, h);
	struct sms_counts *rn = counts_of(s, rkey, h);
	if (rn) {
		uint64_t back = pair_hash(rkey, key);
		if (ss_bloom_has(&s->pair[0], back) || ss_bloom_has(&s->pair[1], back))
			inc16(&rn->replies[0]);
	}

	/* Content. */
	struct msg_ctx m = { .ev = ev };
	struct sig_result res;
	const struct sms_data *d = NULL;
	size_t ncp = 0;
	uint64_t fp = 0;
	s->tn_ev = NULL;
	if (ev->text && ev->text_len) {
		s->sms_text++;
		d = ensure_data(s);
		content(s, ev, th, d, &m, &res, &fp, &ncp);
	}
	bool allow = d && sender_allowed(s, d, sender, key);
	if (m.scam)
		s->scam_msgs++;

	/* The sender's counters, in whichever tier it is. */
	uint32_t v = sender_find(s, key);
	struct sms_counts *n = NULL;
	if (v == UINT32_MAX)
		v = light_add(s, key, h);
	if (v != UINT32_MAX) {
		n = counts_at(s, v, h);
		inc16(&n->sms[0]);
	}
	uint64_t ph = pair_hash(key, rkey);
	if (!ss_bloom_add(&s->pair[0], ph) && n) {
		inc16(&n->rcpt[0]);
		if (ss_bloom_has(&s->pair[1], ph))
			inc16(&n->overlap);
	}

	/* Clustering first: joining a campaign in the making promotes a light sender. */
	struct sms_cluster *c = NULL;
	uint32_t ci = UINT32_MAX;
	enum det_strength cst = DET_WEAK;
	if (fp && !allow && ncp >= (size_t)s->c.min_text) {
		ci = cl_find(s, fp, t);
		if (ci != UINT32_MAX) {
			c = &s->cl[ci];
			cl_roll(s, c, t);
			if (t > c->last)
				c->last = t;
			inc16(&c->msgs[0]);
			if (m.contact)
				inc16(&c->contact[0]);
			if (m.scam)
				inc16(&c->scam[0]);
			if (m.spam)
				inc16(&c->spam[0]);
			if (m.benign)
				inc16(&c->benign[0]);
			bit_set(c->rcpt[0], 16, ss_hash_mix(rkey ^ 0x1c));
			bit_set(c->snd[0], 4, shash);
			bool known = false;
			for (int k = 0; k < CL_SENDERS; k++)
				known |= c->sender_key[k] == key;
			if (!known) {
				c->sender_key[c->n_sender_next] = key;
				c->n_sender_next = (uint8_t)((c->n_sender_next + 1) % CL_SENDERS);
			}
			m.cl = c;
			unsigned msgs = (unsigned)c->msgs[0] + c->msgs[1];
			unsigned contact = (unsigned)c->contact[0] + c->contact[1];
			unsigned cscam = (unsigned)c->scam[0] + c->scam[1];
			unsigned cspam = (unsigned)c->spam[0] + c->spam[1];
			cst = cspam * 2 > msgs || contact * 2 < msgs ? DET_WEAK
			      : cscam * 4 >= msgs		       ? DET_STRUCTURAL
								       : DET_BEHAVIOURAL;
		}
	}

	/*
	 * Promotion: a light sender can reach a verdict only through content,
	 * volume or a campaign, so it gets a full entry at the first of them
	 * (a non-weak cluster at a fifth of campaign size, so that its recent
	 * senders are full when the campaign is declared).
	 */
	struct sms_sender *e = NULL;
	uint32_t si = UINT32_MAX;
	if (v != UINT32_MAX && (v & FULL_BIT)) {
		si = v & ~FULL_BIT;
	} else if (v != UINT32_MAX) {
		unsigned cmsgs = c ? (unsigned)c->msgs[0] + c->msgs[1] : 0;
		if (m.scam || m.spam || (unsigned)n->sms[0] + n->sms[1] >= (unsigned)s->c.promote_sms ||
		    (c && ((c->flags & CF_CAMPAIGN) ||
			   (cst > DET_WEAK && cmsgs * 5 >= (unsigned)s->c.campaign_min_recipients))))
			si = promote(s, v);
	}
	if (si != UINT32_MAX) {
		e = &s->snd[si];
		if (!e->number[0] && !e->imsi[0]) {
			if (mo) {
				e->kind = SK_SIM;
				snprintf(e->number, sizeof(e->number), "%s", ev->msisdn);
				memcpy(e->imsi, ev->imsi, sizeof(e->imsi));
			} else {
				size_t len = strlen(sender);
				bool digits = len >= 3 && len < sizeof(e->number);
				for (size_t i = 0; digits && i < len; i++)
					digits = sender[i] >= '0' && sender[i] <= '9';
				if (!digits) {
					e->kind = SK_ALNUM;
					s->alnum++;
				} else {
					e->kind = s->env.profile && det_profile_find(s->env.profile, NULL, sender) ? SK_SIM
														 : SK_NUMBER;
				}
				snprintf(e->number, sizeof(e->number), "%.15s", sender);
			}
		} else if (mo && !e->imsi[0] && ev->imsi[0]) {
			memcpy(e->imsi, ev->imsi, sizeof(e->imsi));
			e->kind = SK_SIM;
		}
		if (t > e->last_seen)
			e->last_seen = t;
		if (allow)
			e->flags |= SF_ALLOWED;
		if (m.scam) {
			inc16(&e->scam[0]);
			scam_ring_add(e, (uint32_t)ss_hash_mix(rkey ^ 0x2d), t);
			if (res.scam_score >= e->best_score) {
				e->best_score = (uint8_t)res.scam_score;
				e->best_cat = (uint16_t)res.scam_category;
			}
		}
		if (m.spam)
			inc16(&e->spam[0]);
		if (m.benign)
			inc16(&e->benign[0]);
	}

	/* The campaign, if the cluster is (or now becomes) one. */
	if (c) {
		unsigned msgs = (unsigned)c->msgs[0] + c->msgs[1];
		unsigned cben = (unsigned)c->benign[0] + c->benign[1];
		if (!(c->flags & CF_CAMPAIGN) && msgs >= (unsigned)s->c.campaign_min_recipients && cben * 2 < msgs) {
			unsigned crc = lc_count(s->lc1024, c->rcpt[0], c->rcpt[1], 16);
			unsigned csn = lc_count(s->lc256, c->snd[0], c->snd[1], 4);
			if (crc >= (unsigned)s->c.campaign_min_recipients && crc >= s->c.campaign_ratio * csn)
				campaign_declared(s, ci, cst, &m, t);
		}
		if ((c->flags & CF_CAMPAIGN) && e) {
			e->campaign = ci + 1;
			e->campaign_t = t;
			e->campaign_strength = (uint8_t)cst;
		}
	}

	if (e)
		evaluate(s, e, &m, t);
	if (!allow && m.scam)
		mark_slots(s, ev, cat_name(s, res.scam_category));
	else if (!allow && m.cl && (m.cl->flags & CF_CAMPAIGN) && m.contact && e && e->campaign_strength > DET_WEAK)
		mark_slots(s, ev, "campaign");
}

/* ---- descriptor operations ---------------------------------------------- */

static void scam_sms_fini(void *state)
{
	struct scam_sms *s = state;
	if (!s)
		return;
	ss_debug("scam_sms: %llu senders promoted to full tracking, %u light", (unsigned long long)s->promotions,
		 s->n_light - s->dead_light);
	if (s->sms_text)
		ss_debug("scam_sms: %llu SMS with text, %llu verdicts from the text cache, %llu more from the "
			 "normalised-text cache, %llu scam",
			 (unsigned long long)s->sms_text, (unsigned long long)s->tc_hits, (unsigned long long)s->nc_hits,
			 (unsigned long long)s->scam_msgs);
	if (s->ld.running) {
		pthread_join(s->ld.th, NULL);
		data_free(s->ld.data);
	}
	sig_scanner_close(s->sc);
	data_free(s->data);
	text_norm_free(&s->tn);
	ss_idmap_free(&s->snd_ix);
	ss_slotix_free(&s->light_ix);
	ss_idmap_free(&s->marks[0]);
	ss_idmap_free(&s->marks[1]);
	ss_bloom_free(&s->pair[0]);
	ss_bloom_free(&s->pair[1]);
	free(s->snd);
	free(s->light);
	free(s->cl);
	free(s->bucket);
	free(s->tc);
	free(s->nc);
	free(s);
}

static int scam_sms_init(void **state, const struct det_env *env)
{
	struct scam_sms *s = calloc(1, sizeof(*s));
	int rc;

	if (!s)
		return -ENOMEM;
	ss_idmap_init(&s->snd_ix);
	ss_idmap_init(&s->marks[0]);
	ss_idmap_init(&s->marks[1]);
	text_norm_init(&s->tn);
	rc = read_conf(env ? env->config : NULL, &s->c);
	if (rc < 0) {
		scam_sms_fini(s);
		return rc;
	}
	s->bucket = calloc((size_t)BANDS * 65536, sizeof(*s->bucket));
	if (!s->bucket) {
		scam_sms_fini(s);
		return -ENOMEM;
	}
	s->tc = calloc(TC_SLOTS, sizeof(*s->tc)); /* optional: NULL scans every text */
	s->nc = calloc(NC_SLOTS, sizeof(*s->nc));
	s->tc_gen = 1;
	if (env)
		s->env = *env;
	for (int z = 0; z <= 256; z++)
		s->lc256[z] = (float)(-256.0 * log((z ? z : 0.5) / 256.0));
	for (int z = 0; z <= 1024; z++)
		s->lc1024[z] = (float)(-1024.0 * log((z ? z : 0.5) / 1024.0));
	*state = s;
	return 0;
}

static void scam_sms_tick(void *state, ss_time_us now)
{
	struct scam_sms *s = state;
	uint32_t t = now <= 0 ? 0 : (uint32_t)(now / SS_US_PER_SEC);
	if (s->ld.running)
		loader_poll(s, false);
	if (s->next_sweep && t >= s->next_sweep)
		sweep(s, t);
}

static int scam_sms_reload(void *state, const struct ss_config *cfg)
{
	struct scam_sms *s = state;
	char sig[PATH_MAX], snd[PATH_MAX];

	if (read_paths(cfg, sig, snd) < 0)
		return -SS_ECONFIG;
	if (s->ld.running) {
		ss_warn("scam_sms: a signature reload is already running; this one is skipped");
		return 0;
	}
	snprintf(s->c.sig_path, sizeof(s->c.sig_path), "%s", sig);
	snprintf(s->c.snd_path, sizeof(s->c.snd_path), "%s", snd);
	if (!s->data && !s->load_failed) {
		ss_info("scam_sms: signatures not loaded yet: the first SMS with text loads %s", sig);
		return 0;
	}
	if (s->data && !strcmp(s->data->sig_path, sig) && !strcmp(s->data->snd_path, snd) &&
	    s->data->fp == fingerprint(sig, snd)) {
		ss_info("scam_sms: signatures and senders unchanged (%s)", sig);
		return 0;
	}
	ss_info("scam_sms: reloading signatures from %s in the background", sig);
	return loader_start(s, sig, snd);
}

static void scam_sms_reset_subject(void *state, const struct det_subject *subj)
{
	struct scam_sms *s = state;
	uint32_t i;
	const char *ids[2] = { subj->msisdn, subj->imsi };
	for (int k = 0; k < 2; k++) {
		if (!ids[k][0] || (i = sender_find(s, sender_key(ids[k]))) == UINT32_MAX)
			continue;
		if (i & FULL_BIT)
			snd_del(s, i & ~FULL_BIT);
		else
			light_kill(s, i);
	}
}

static void scam_sms_stats(const void *state, struct det_stats *out)
{
	const struct scam_sms *s = state;
	*out = s->st;
	out->subjects = (uint64_t)s->n_snd + s->n_light - s->dead_light;
	out->state_bytes = sizeof(*s) + (uint64_t)s->cap_snd * sizeof(struct sms_sender) +
			   (uint64_t)s->cap_light * sizeof(struct sms_light) + ss_slotix_bytes(&s->light_ix) +
			   ss_idmap_bytes(&s->snd_ix) +
			   ss_bloom_bytes(&s->pair[0]) + ss_bloom_bytes(&s->pair[1]) +
			   (uint64_t)s->cap_cl * sizeof(struct sms_cluster) + (uint64_t)BANDS * 65536 * 4 + (s->tc ? (uint64_t)TC_SLOTS * sizeof(*s->tc) : 0) +
			   (s->nc ? (uint64_t)NC_SLOTS * sizeof(*s->nc) : 0) +
			   ss_idmap_bytes(&s->marks[0]) + ss_idmap_bytes(&s->marks[1]) + s->tn.cap + s->tn.cp_cap * 4;
}

const struct det_detector det_scam_sms = {
	.name = "scam_sms",
	.summary = "scam SMS: signature hits, low-volume content senders, mass senders without replies, "
		   "near-duplicate campaigns of unknown templates; gray-lists their links and call-back numbers",
	.event_mask = EV_MASK(EV_SMS),
	.init = scam_sms_init,
	.on_event = scam_sms_on_event,
	.tick = scam_sms_tick,
	.reload = scam_sms_reload,
	.reset_subject = scam_sms_reset_subject,
	.stats = scam_sms_stats,
	.fini = scam_sms_fini,
};
