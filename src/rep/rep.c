/*
 * rep.c - the reputation store on LMDB (rep/rep.h, docs/reputation.md).
 *
 * One environment per process, opened MDB_NOTLS so a read transaction
 * belongs to its MDB_txn object rather than to a thread: the store keeps one
 * cached read transaction that is renewed for each rep_get() and reset right
 * after (mdb_txn_renew/reset cost a few atomic stores, far less than
 * begin/abort), and that stays live between rep_read_begin()/rep_read_end().
 *
 * Writes go to an in-memory batch: a dense array of pending puts/deletes
 * plus an open-addressing index on the key bytes, so rep_get() reads its own
 * writes and repeated puts to one subject coalesce.  rep_flush() commits the
 * batch in key order in ONE write transaction; MDB_MAP_FULL aborts it, the
 * map doubles, and the whole batch is written again.  MDB_MAP_RESIZED (the
 * map was grown by another process) is answered by adopting the new size.
 *
 * The list import is here too (it needs the environment): it bypasses the
 * batch and writes 100k-row chunks, each in one transaction, with MDB_APPEND
 * while the keys arrive in order and are new, read-modify-write otherwise.
 */
#include "rep/rep.h"

#include "core/err.h"
#include "core/hash.h"
#include "core/log.h"

#include <errno.h>
#include <inttypes.h>
#include <lmdb.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define REP_DEFAULT_MAP ((size_t)64 << 20)
#define REP_DEFAULT_HALF_LIFE (7 * SS_US_PER_DAY)
#define REP_DEFAULT_BATCH 65536
#define REP_DB_NAME "rep"
#define REP_SCAN_CHUNK 4096	 /* records per read txn in export/stats scans */
#define REP_IMPORT_CHUNK 100000	 /* rows per import write transaction */
#define REP_IMPORT_BUF (1u << 20) /* import read buffer; also the longest line */
#define REP_IMPORT_MAX_MSGS 100	 /* bad-line messages printed before going quiet */
#define REP_RETRIES 64		 /* map growth / resize attempts before giving up */

#include "rep/rep_int.h"

/* ---- errors ------------------------------------------------------------- */

/* LMDB returns errno values (positive) or MDB_* codes (negative). */
int rep__lmdb_fail(int rc, const char *what)
{
	ss_error("rep: %s: %s", what, mdb_strerror(rc));
	return rc > 0 ? -rc : -SS_ELMDB;
}

/* ---- keys ------------------------------------------------------------------ */

static inline int key_make(enum rep_key_type type, const char *id, uint8_t *key, size_t *klen)
{
	size_t n = strnlen(id, REP_ID_SIZE);

	if (n == 0 || (unsigned)type > 127)
		return -SS_EPARSE;
	if (n >= REP_ID_SIZE)
		return -SS_ETOOLONG;
	key[0] = (uint8_t)type;
	memcpy(key + 1, id, n);
	*klen = n + 1;
	return 0;
}

static inline int key_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	/* LMDB's default comparison: memcmp, shorter first on a tie. */
	int c = memcmp(a, b, alen < blen ? alen : blen);
	return c ? c : (alen > blen) - (alen < blen);
}

/* ---- environment ------------------------------------------------------------ */

static int mkdir_p(const char *dir)
{
	char path[4096];
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof(path))
		return -ENAMETOOLONG;
	memcpy(path, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		char c = path[i];
		path[i] = '\0';
		if (mkdir(path, 0775) != 0 && errno != EEXIST)
			return -errno;
		path[i] = c;
	}
	return 0;
}

/*
 * Adopt @size as the map size (0 = the size another process committed).
 * LMDB requires no live transaction in this process while it remaps, so a
 * read bracket is parked around the call.
 */
static int set_map_size(struct rep *r, size_t size)
{
	int rc;

	if (r->bracket)
		mdb_txn_reset(r->rtxn);
	rc = mdb_env_set_mapsize(r->env, size);
	if (rc)
		return rep__lmdb_fail(rc, "mdb_env_set_mapsize");
	if (r->bracket) {
		rc = mdb_txn_renew(r->rtxn);
		if (rc) {
			r->bracket = false;
			return rep__lmdb_fail(rc, "mdb_txn_renew");
		}
	}
	return 0;
}

int rep__grow_map(struct rep *r)
{
	MDB_envinfo info;
	size_t next;

	mdb_env_info(r->env, &info);
	next = info.me_mapsize * 2;
	if (next < info.me_mapsize)
		return -SS_EFULL;
	ss_debug("rep: map full at %zu KiB, growing to %zu KiB", info.me_mapsize >> 10, next >> 10);
	return set_map_size(r, next);
}

/* Begin a transaction, adopting a map grown by another process. */
int rep__txn_begin(struct rep *r, unsigned flags, MDB_txn **txn)
{
	for (int tries = 0;; tries++) {
		int rc = mdb_txn_begin(r->env, NULL, flags, txn);
		if (rc == 0)
			return 0;
		if (rc != MDB_MAP_RESIZED || tries >= REP_RETRIES)
			return rep__lmdb_fail(rc, "mdb_txn_begin");
		rc = set_map_size(r, 0);
		if (rc)
			return rc;
	}
}

/* Make r->rtxn a live read transaction (renewing the cached one). */
int rep__rtxn_start(struct rep *r)
{
	for (int tries = 0;; tries++) {
		int rc;

		if (r->rtxn) {
			rc = mdb_txn_renew(r->rtxn);
			if (rc == 0)
				return 0;
			/* A failed renew leaves the txn ended; start over cleanly. */
			mdb_txn_abort(r->rtxn);
			r->rtxn = NULL;
		} else {
			MDB_txn *txn;
			rc = mdb_txn_begin(r->env, NULL, MDB_RDONLY, &txn);
			if (rc == 0) {
				r->rtxn = txn;
				return 0;
			}
		}
		if (rc != MDB_MAP_RESIZED || tries >= REP_RETRIES)
			return rep__lmdb_fail(rc, "read transaction");
		rc = mdb_env_set_mapsize(r->env, 0);
		if (rc)
			return rep__lmdb_fail(rc, "mdb_env_set_mapsize");
	}
}

/* A bracket must see what this process just committed. */
static int refresh_bracket(struct rep *r)
{
	if (!r->bracket)
		return 0;
	mdb_txn_reset(r->rtxn);
	r->bracket = false;
	int rc = rep__rtxn_start(r);
	if (rc == 0)
		r->bracket = true;
	return rc;
}

/*
 * Open the named database.  Read-only: in its own read transaction, which
 * must be committed (not reset) for the handle to outlive it; a missing
 * database is not an error (nothing was written yet).
 */
int rep__open_db(struct rep *r)
{
	MDB_txn *txn;
	int rc;

	rc = rep__txn_begin(r, r->read_only ? MDB_RDONLY : 0, &txn);
	if (rc)
		return rc;
	rc = mdb_dbi_open(txn, REP_DB_NAME, r->read_only ? 0 : MDB_CREATE, &r->dbi);
	if (rc == MDB_NOTFOUND && r->read_only) {
		mdb_txn_abort(txn);
		return 0;
	}
	if (rc) {
		mdb_txn_abort(txn);
		return rep__lmdb_fail(rc, "mdb_dbi_open");
	}
	rc = rep__outbox_open(r, txn);
	if (rc) {
		mdb_txn_abort(txn);
		return rc;
	}
	rc = mdb_txn_commit(txn);
	if (rc)
		return rep__lmdb_fail(rc, "mdb_txn_commit");
	r->has_db = true;
	return 0;
}

int rep_open(const char *dir, const struct rep_options *opt, struct rep **out)
{
	struct rep_options o = { 0 };
	struct rep *r;
	int rc;

	*out = NULL;
	if (opt)
		o = *opt;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->read_only = o.read_only;
	r->half_life = o.half_life > 0 ? o.half_life : REP_DEFAULT_HALF_LIFE;
	r->batch_limit = o.batch_limit ? o.batch_limit : REP_DEFAULT_BATCH;

	if (!r->read_only) {
		rc = mkdir_p(dir);
		if (rc) {
			ss_error("rep: cannot create %s: %s", dir, ss_strerror(rc));
			goto fail;
		}
	}
	rc = mdb_env_create(&r->env);
	if (rc) {
		rc = rep__lmdb_fail(rc, "mdb_env_create");
		goto fail;
	}
	mdb_env_set_maxdbs(r->env, 8);
	/* No mapsize before the open: a configured size would override the
	 * (possibly grown) size recorded in the file, cut down to the pages in
	 * use, and the first write would hit MDB_MAP_FULL.  Unset, LMDB takes
	 * the file's size; we raise it to initial_map_size below. */
	rc = mdb_env_open(r->env, dir, MDB_NOTLS | (r->read_only ? MDB_RDONLY : 0), 0664);
	if (rc) {
		if (rc == ENOENT)
			ss_error("rep: no reputation store at %s", dir);
		else
			ss_error("rep: cannot open %s: %s", dir, mdb_strerror(rc));
		rc = rc > 0 ? -rc : -SS_ELMDB;
		goto fail;
	}
	{
		size_t want = o.initial_map_size ? o.initial_map_size : REP_DEFAULT_MAP;
		MDB_envinfo info;

		mdb_env_info(r->env, &info);
		if (info.me_mapsize < want && (rc = mdb_env_set_mapsize(r->env, want)) != 0) {
			rc = rep__lmdb_fail(rc, "mdb_env_set_mapsize");
			goto fail;
		}
	}
	rc = rep__open_db(r);
	if (rc)
		goto fail;
	*out = r;
	return 0;
fail:
	if (r->env)
		mdb_env_close(r->env);
	free(r);
	return rc;
}

int rep_close(struct rep *r)
{
	int rc = 0;

	if (!r)
		return 0;
	if (!r->read_only)
		rc = rep_flush(r);
	if (r->rtxn)
		mdb_txn_abort(r->rtxn);
	mdb_env_close(r->env);
	free(r->pend);
	free(r->slots);
	rep__outbox_free(r);
	free(r);
	return rc;
}

/* ---- pending batch ---------------------------------------------------------- */

static inline uint64_t pend_hash(const uint8_t *key, size_t klen)
{
	return ss_hash64(key, klen, 0x7265702d62617463); /* "rep-batc" */
}

/* Find @key; *@slot receives its slot or the empty slot where it belongs. */
static struct pend *pend_find(const struct rep *r, const uint8_t *key, size_t klen, size_t *slot)
{
	size_t mask = r->n_slots - 1;
	size_t i = (size_t)pend_hash(key, klen) & mask;

	for (;; i = (i + 1) & mask) {
		uint32_t s = r->slots[i];
		if (s == 0) {
			*slot = i;
			return NULL;
		}
		struct pend *p = &r->pend[s - 1];
		if (p->klen == klen && memcmp(p->key, key, klen) == 0) {
			*slot = i;
			return p;
		}
	}
}

static int pend_rehash(struct rep *r, size_t n_slots)
{
	uint32_t *slots = calloc(n_slots, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	free(r->slots);
	r->slots = slots;
	r->n_slots = n_slots;
	for (size_t k = 0; k < r->n_pend; k++) {
		size_t slot;
		pend_find(r, r->pend[k].key, r->pend[k].klen, &slot);
		r->slots[slot] = (uint32_t)(k + 1);
	}
	return 0;
}

/* The pending entry for @key, created (zeroed) if absent; NULL on ENOMEM. */
static struct pend *pend_upsert(struct rep *r, const uint8_t *key, size_t klen)
{
	struct pend *p;
	size_t slot;

	/* Keep the load factor at or below 1/2 so probes stay short. */
	if ((r->n_pend + 1) * 2 > r->n_slots) {
		if (pend_rehash(r, r->n_slots ? r->n_slots * 2 : 1024))
			return NULL;
	}
	p = pend_find(r, key, klen, &slot);
	if (p)
		return p;
	if (r->n_pend == r->cap_pend) {
		size_t cap = r->cap_pend ? r->cap_pend * 2 : 256;
		struct pend *np = realloc(r->pend, cap * sizeof(*np));
		if (!np)
			return NULL;
		r->pend = np;
		r->cap_pend = cap;
	}
	p = &r->pend[r->n_pend++];
	memset(p, 0, sizeof(*p));
	p->klen = (uint8_t)klen;
	memcpy(p->key, key, klen);
	r->slots[slot] = (uint32_t)r->n_pend;
	return p;
}

static void pend_clear(struct rep *r)
{
	if (r->n_pend)
		memset(r->slots, 0, r->n_slots * sizeof(*r->slots));
	r->n_pend = 0;
}

static int pend_cmp(const void *a, const void *b)
{
	const struct pend *x = a, *y = b;
	return key_cmp(x->key, x->klen, y->key, y->klen);
}

/* ---- reads ---------------------------------------------------------------- */

static inline int db_get(struct rep *r, MDB_txn *txn, const uint8_t *key, size_t klen,
			 struct rep_record *out)
{
	MDB_val k = { klen, (void *)key }, v;
	int rc = mdb_get(txn, r->dbi, &k, &v);

	if (rc == MDB_NOTFOUND)
		return -SS_ENOTFOUND;
	if (rc)
		return rep__lmdb_fail(rc, "mdb_get");
	if (rep_record_decode(v.mv_data, v.mv_size, out)) {
		ss_warn("rep: undecodable record for %c%.*s", key[0], (int)klen - 1, key + 1);
		return -SS_EPARSE;
	}
	return 0;
}

/* Look @key up in the database only (not the batch). */
static int db_lookup(struct rep *r, const uint8_t *key, size_t klen, struct rep_record *out)
{
	int rc;

	if (!r->has_db) {
		/* A read-only store opened before anything was written. */
		rc = rep__open_db(r);
		if (rc)
			return rc;
		if (!r->has_db)
			return -SS_ENOTFOUND;
	}
	if (r->bracket)
		return db_get(r, r->rtxn, key, klen, out);
	rc = rep__rtxn_start(r);
	if (rc)
		return rc;
	rc = db_get(r, r->rtxn, key, klen, out);
	mdb_txn_reset(r->rtxn);
	return rc;
}

int rep_get(struct rep *r, enum rep_key_type type, const char *id, struct rep_record *out)
{
	uint8_t key[REP_KEY_MAX];
	size_t klen;
	int rc = key_make(type, id, key, &klen);

	if (rc)
		return rc;
	if (r->n_pend) {
		size_t slot;
		const struct pend *p = pend_find(r, key, klen, &slot);
		if (p) {
			if (p->del)
				return -SS_ENOTFOUND;
			*out = p->rec;
			return 0;
		}
	}
	return db_lookup(r, key, klen, out);
}

int rep_read_begin(struct rep *r)
{
	int rc;

	if (r->bracket)
		return 0;
	if (!r->has_db) {
		rc = rep__open_db(r);
		if (rc)
			return rc;
	}
	rc = rep__rtxn_start(r);
	if (rc)
		return rc;
	r->bracket = true;
	return 0;
}

void rep_read_end(struct rep *r)
{
	if (r && r->bracket) {
		mdb_txn_reset(r->rtxn);
		r->bracket = false;
	}
}

/* ---- writes --------------------------------------------------------------- */

int rep_put(struct rep *r, enum rep_key_type type, const char *id, const struct rep_record *rec)
{
	uint8_t key[REP_KEY_MAX];
	size_t klen;
	struct pend *p;
	int rc;

	if (r->read_only)
		return -EROFS;
	rc = key_make(type, id, key, &klen);
	if (rc)
		return rc;
	p = pend_upsert(r, key, klen);
	if (!p)
		return -ENOMEM;
	p->del = 0;
	p->rec = *rec;
	if (r->n_pend + r->n_pout >= r->batch_limit && !r->group)
		return rep_flush(r);
	return 0;
}

int rep_del(struct rep *r, enum rep_key_type type, const char *id)
{
	uint8_t key[REP_KEY_MAX];
	struct rep_record tmp;
	struct pend *p;
	size_t klen, slot;
	int rc;

	if (r->read_only)
		return -EROFS;
	rc = key_make(type, id, key, &klen);
	if (rc)
		return rc;
	p = r->n_slots ? pend_find(r, key, klen, &slot) : NULL;
	if (p) {
		if (p->del)
			return -SS_ENOTFOUND;
		/* Maybe never stored: flush ignores deleting an absent key. */
		p->del = 1;
		return 0;
	}
	rc = db_lookup(r, key, klen, &tmp);
	if (rc == -SS_EPARSE)
		rc = 0; /* an undecodable record can still be deleted */
	if (rc)
		return rc;
	p = pend_upsert(r, key, klen);
	if (!p)
		return -ENOMEM;
	p->del = 1;
	if (r->n_pend + r->n_pout >= r->batch_limit && !r->group)
		return rep_flush(r);
	return 0;
}

/*
 * Write the whole batch in one transaction.  Returns 0, 1 when the map is
 * full (nothing committed: grow and call again), or a negative code.
 */
static int flush_once(struct rep *r)
{
	MDB_txn *txn;
	uint8_t val[REP_RECORD_MAX];
	uint64_t queued = 0, dups = 0;
	int rc = rep__txn_begin(r, 0, &txn);

	if (rc)
		return rc;
	for (size_t i = 0; i < r->n_pend && rc == 0; i++) {
		struct pend *p = &r->pend[i];
		MDB_val k = { p->klen, p->key };
		if (p->del) {
			rc = mdb_del(txn, r->dbi, &k, NULL);
			if (rc == MDB_NOTFOUND)
				rc = 0;
		} else {
			MDB_val v = { rep_record_encode(&p->rec, val), val };
			rc = mdb_put(txn, r->dbi, &k, &v, 0);
		}
	}
	/* The actions these changes caused, and control records: same transaction. */
	if (rc == 0 && (r->n_pout || r->n_pmeta))
		rc = rep__outbox_write(r, txn, &queued, &dups);
	if (rc == 0 && r->fail_flushes > 0) {
		r->fail_flushes--;
		mdb_txn_abort(txn);
		return -EIO;
	}
	if (rc)
		mdb_txn_abort(txn);
	else
		rc = mdb_txn_commit(txn);
	if (rc == MDB_MAP_FULL)
		return 1;
	if (rc == 0) {
		r->oc.queued += queued;
		r->oc.duplicates += dups;
	}
	return rc ? rep__lmdb_fail(rc, "flush") : 0;
}

int rep_flush(struct rep *r)
{
	int rc;

	if (!r || (r->n_pend == 0 && r->n_pout == 0 && r->n_pmeta == 0))
		return 0;
	/* Key order touches each leaf page once and keeps the tree compact.
	 * Sorting the dense array invalidates the index, which is cleared
	 * below anyway (and rebuilt before any retry could need it: never). */
	if (r->n_pend > 1) /* the batch may hold only outbox / control entries (pend == NULL) */
		qsort(r->pend, r->n_pend, sizeof(*r->pend), pend_cmp);
	for (int tries = 0;; tries++) {
		rc = flush_once(r);
		if (rc == 0)
			break;
		if (rc < 0)
			goto out;
		if (tries >= REP_RETRIES) {
			rc = -SS_EFULL;
			goto out;
		}
		rc = rep__grow_map(r);
		if (rc)
			goto out;
	}
	pend_clear(r);
	rep__outbox_clear(r);
	return refresh_bracket(r);
out:
	/* The index no longer matches the sorted array: rebuild it so the
	 * batch stays usable (and retried by the next flush). */
	if (pend_rehash(r, r->n_slots) != 0)
		return -ENOMEM;
	return rc;
}

/* ---- decay ------------------------------------------------------------------ */

double rep_score_now(const struct rep *r, const struct rep_record *rec, ss_time_us now)
{
	ss_time_us hl = r ? r->half_life : REP_DEFAULT_HALF_LIFE;
	/* Difference in double: a corrupted or foreign record may hold any time. */
	double dt = (double)now - (double)rec->score_time;

	if (!(rec->score > 0) || dt <= 0)
		return rec->score > 0 ? rec->score : 0;
	return rec->score * exp2(-dt / (double)hl);
}

/* ---- scans (export, stats) -------------------------------------------------- */

/* Return < 0 to fail, 1 to stop early, 0 to continue. */
typedef int (*scan_fn)(void *ctx, const MDB_val *key, const MDB_val *val);

/*
 * Visit every record from @start (NULL = the first) in key order.  Outside a
 * read bracket the read transaction is restarted every REP_SCAN_CHUNK
 * records, resuming after the last key seen, so a long export to a slow pipe
 * never pins old pages for long.
 */
static int scan(struct rep *r, const uint8_t *start, size_t slen, scan_fn fn, void *ctx)
{
	uint8_t last[REP_KEY_MAX];
	size_t last_len = 0;
	bool resume = false;
	bool own = !r->bracket;

	if (!r->has_db) {
		int rc = rep__open_db(r);
		if (rc || !r->has_db)
			return rc;
	}
	for (;;) {
		MDB_cursor *cur;
		MDB_val k, v;
		size_t n = 0;
		int rc, stop = 0;

		if (own && (rc = rep__rtxn_start(r)) != 0)
			return rc;
		rc = mdb_cursor_open(r->rtxn, r->dbi, &cur);
		if (rc) {
			if (own)
				mdb_txn_reset(r->rtxn);
			return rep__lmdb_fail(rc, "mdb_cursor_open");
		}
		if (resume) {
			k.mv_data = last;
			k.mv_size = last_len;
			rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
			if (rc == 0 && key_cmp(k.mv_data, k.mv_size, last, last_len) == 0)
				rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
		} else if (start) {
			k.mv_data = (void *)start;
			k.mv_size = slen;
			rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
		} else {
			rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
		}
		while (rc == 0) {
			stop = fn(ctx, &k, &v);
			if (stop)
				break;
			if (own && ++n == REP_SCAN_CHUNK && k.mv_size <= sizeof(last)) {
				memcpy(last, k.mv_data, k.mv_size);
				last_len = k.mv_size;
				break;
			}
			rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
		}
		mdb_cursor_close(cur);
		if (own)
			mdb_txn_reset(r->rtxn);
		if (stop < 0)
			return stop;
		if (stop > 0 || rc == MDB_NOTFOUND)
			return 0;
		if (rc)
			return rep__lmdb_fail(rc, "mdb_cursor_get");
		resume = true;
	}
}

struct export_ctx {
	const struct rep *r;
	FILE *out;
	const struct rep_export_filter *f;
	ss_time_us now;
	char buf[4096];
};

static int export_one(void *vctx, const MDB_val *key, const MDB_val *val)
{
	struct export_ctx *x = vctx;
	const uint8_t *kb = key->mv_data;
	struct rep_record rec;
	char id[REP_ID_SIZE];
	size_t idlen = key->mv_size - 1;
	int n;

	if (key->mv_size < 2 || idlen >= REP_ID_SIZE)
		return 0; /* not ours */
	if (x->f->type && kb[0] != x->f->type)
		return kb[0] > x->f->type ? 1 : 0; /* keys of one type are contiguous */
	if (rep_record_decode(val->mv_data, val->mv_size, &rec))
		return 0;
	if (x->f->list >= 0 && rec.list != x->f->list)
		return 0;
	memcpy(id, kb + 1, idlen);
	id[idlen] = '\0';
	if (x->f->format == REP_EXPORT_CSV) {
		n = fprintf(x->out, "%s:%s,%s,%s\n", rep_key_type_name((enum rep_key_type)kb[0]), id,
			    rep_list_name((enum rep_list)rec.list), rec.list_source);
	} else {
		n = rep_record_json(x->r, (enum rep_key_type)kb[0], id, &rec, x->now, x->buf,
				    sizeof(x->buf) - 1);
		if (n < 0)
			return 0;
		x->buf[n++] = '\n';
		n = fwrite(x->buf, 1, (size_t)n, x->out) == (size_t)n ? n : -1;
	}
	return n < 0 ? -EIO : 0;
}

int rep_export_where(struct rep *r, FILE *out, const struct rep_export_filter *filter)
{
	static const struct rep_export_filter all = { 0, -1, REP_EXPORT_JSONL };
	struct export_ctx *x;
	uint8_t start = 0;
	int rc;

	if (!r->read_only && (rc = rep_flush(r)) != 0)
		return rc;
	x = malloc(sizeof(*x));
	if (!x)
		return -ENOMEM;
	x->r = r;
	x->out = out;
	x->f = filter ? filter : &all;
	x->now = ss_time_now();
	if (x->f->type)
		start = (uint8_t)x->f->type;
	rc = scan(r, x->f->type ? &start : NULL, 1, export_one, x);
	free(x);
	if (rc == 0 && fflush(out) != 0)
		rc = -EIO;
	return rc;
}

int rep_export(struct rep *r, FILE *out)
{
	return rep_export_where(r, out, NULL);
}

/* ---- list generation and listed records ------------------------------------ */

#define REP_META_TYPE '#'
static const char rep_listgen_key[] = "#list_generation";

int rep_list_generation(struct rep *r, uint64_t *out)
{
	MDB_val k = { sizeof(rep_listgen_key) - 1, (void *)rep_listgen_key }, v;
	int rc;

	*out = 0;
	if (!r->has_db) {
		rc = rep__open_db(r);
		if (rc || !r->has_db)
			return rc;
	}
	bool own = !r->bracket;
	if (own && (rc = rep__rtxn_start(r)) != 0)
		return rc;
	rc = mdb_get(r->rtxn, r->dbi, &k, &v);
	if (rc == 0 && v.mv_size == 8) {
		uint64_t g = 0;
		for (int i = 7; i >= 0; i--)
			g = g << 8 | ((const uint8_t *)v.mv_data)[i];
		*out = g;
	}
	if (own)
		mdb_txn_reset(r->rtxn);
	return rc == 0 || rc == MDB_NOTFOUND ? 0 : rep__lmdb_fail(rc, "mdb_get list generation");
}

int rep_list_touch(struct rep *r)
{
	MDB_val k = { sizeof(rep_listgen_key) - 1, (void *)rep_listgen_key }, v;
	MDB_txn *txn;
	uint8_t buf[8];
	uint64_t g = 0;
	int rc;

	if (r->read_only)
		return -EROFS;
	rc = rep_flush(r);
	if (rc)
		return rc;
	rc = rep__txn_begin(r, 0, &txn);
	if (rc)
		return rc;
	rc = mdb_get(txn, r->dbi, &k, &v);
	if (rc == 0 && v.mv_size == 8)
		for (int i = 7; i >= 0; i--)
			g = g << 8 | ((const uint8_t *)v.mv_data)[i];
	g++;
	for (int i = 0; i < 8; i++)
		buf[i] = (uint8_t)(g >> (8 * i));
	v.mv_size = sizeof(buf);
	v.mv_data = buf;
	rc = mdb_put(txn, r->dbi, &k, &v, 0);
	if (rc) {
		mdb_txn_abort(txn);
		return rep__lmdb_fail(rc, "mdb_put list generation");
	}
	rc = mdb_txn_commit(txn);
	if (rc)
		return rep__lmdb_fail(rc, "mdb_txn_commit list generation");
	return refresh_bracket(r);
}

struct listed_ctx {
	rep_listed_fn fn;
	void *ctx;
	int action; /* -1: listed records; else records whose last_action is this */
};

static int listed_one(void *vctx, const MDB_val *key, const MDB_val *val)
{
	struct listed_ctx *x = vctx;
	const uint8_t *kb = key->mv_data, *vb = val->mv_data;
	char id[REP_ID_SIZE];
	struct rep_record rec;

	if (key->mv_size < 2 || key->mv_size - 1 >= REP_ID_SIZE || kb[0] == REP_META_TYPE)
		return 0;
	/* Peek at the list / last-action bytes: most records match neither. */
	if (val->mv_size < REP_RECORD_FIXED)
		return 0;
	if (x->action < 0 ? vb[1] == REP_LIST_NONE : vb[2] != x->action)
		return 0;
	if (rep_record_decode(val->mv_data, val->mv_size, &rec))
		return 0;
	memcpy(id, kb + 1, key->mv_size - 1);
	id[key->mv_size - 1] = '\0';
	return x->fn(x->ctx, (enum rep_key_type)kb[0], id, &rec);
}

int rep_foreach_listed(struct rep *r, rep_listed_fn fn, void *ctx)
{
	struct listed_ctx x = { fn, ctx, -1 };
	int rc;

	if (!r->read_only && (rc = rep_flush(r)) != 0)
		return rc;
	return scan(r, NULL, 0, listed_one, &x);
}

int rep_foreach_action(struct rep *r, enum rep_action_kind kind, rep_listed_fn fn, void *ctx)
{
	struct listed_ctx x = { fn, ctx, (int)kind };
	int rc;

	if (!r->read_only && (rc = rep_flush(r)) != 0)
		return rc;
	return scan(r, NULL, 0, listed_one, &x);
}

static int stats_one(void *vctx, const MDB_val *key, const MDB_val *val)
{
	struct rep_stats *st = vctx;
	const uint8_t *kb = key->mv_data, *vb = val->mv_data;

	if (key->mv_size > 0 && kb[0] == REP_META_TYPE) {
		st->entries--; /* bookkeeping, not a record */
		return 0;
	}

	if (key->mv_size > 0)
		st->by_type[kb[0] & 127]++;
	/* Peek at the list byte instead of decoding the whole record. */
	if (val->mv_size >= REP_RECORD_FIXED && vb[0] == REP_RECORD_VERSION && vb[1] < 4)
		st->by_list[vb[1]]++;
	return 0;
}

int rep_stats(struct rep *r, struct rep_stats *out)
{
	MDB_envinfo info;
	MDB_stat est, st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!r->read_only && (rc = rep_flush(r)) != 0)
		return rc;
	mdb_env_info(r->env, &info);
	mdb_env_stat(r->env, &est);
	out->map_size = info.me_mapsize;
	out->used_bytes = (uint64_t)(info.me_last_pgno + 1) * est.ms_psize;
	if (!r->has_db && ((rc = rep__open_db(r)) != 0 || !r->has_db))
		return rc;
	if (!r->bracket && (rc = rep__rtxn_start(r)) != 0)
		return rc;
	rc = mdb_stat(r->rtxn, r->dbi, &st);
	if (!r->bracket)
		mdb_txn_reset(r->rtxn);
	if (rc)
		return rep__lmdb_fail(rc, "mdb_stat");
	out->entries = st.ms_entries;
	out->depth = st.ms_depth;
	return scan(r, NULL, 0, stats_one, out);
}

/* ---- list import ------------------------------------------------------------ */

struct imp_row {
	uint8_t klen;
	uint8_t list;
	uint8_t srclen;
	uint8_t key[REP_KEY_MAX];
	char src[REP_SOURCE_SIZE - 1];
};

struct importer {
	struct rep *r;
	const char *name;
	const char *def_src;
	size_t def_srclen;
	ss_time_us now;
	struct rep_import_stats *st;
	struct imp_row *rows;
	size_t n_rows;
	uint8_t prev[REP_KEY_MAX]; /* last key written, for sortedness */
	size_t prev_len;
	bool all_appended;
	uint64_t msgs;
};

__attribute__((format(printf, 3, 4))) static void imp_bad(struct importer *im, uint64_t line,
							   const char *fmt, ...)
{
	va_list ap;

	im->st->rejected++;
	if (++im->msgs > REP_IMPORT_MAX_MSGS)
		return;
	fprintf(stderr, "%s:%" PRIu64 ": ", im->name, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* A field for a message: at most 40 bytes, non-printables as '?'. */
static void quote_field(char *dst, const char *s, size_t len)
{
	size_t n = len > 40 ? 40 : len;

	for (size_t i = 0; i < n; i++)
		dst[i] = (s[i] >= ' ' && s[i] < 0x7f) ? s[i] : '?';
	if (len > n) {
		memcpy(dst + n, "...", 3);
		n += 3;
	}
	dst[n] = '\0';
}

static inline void trim(const char **s, size_t *len)
{
	const char *p = *s;
	size_t n = *len;

	while (n && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
		n--;
	/* Spreadsheets quote fields that never needed it. */
	if (n >= 2 && p[0] == '"' && p[n - 1] == '"') {
		p++;
		n -= 2;
	}
	*s = p;
	*len = n;
}

/*
 * Write rows [0, n) in one transaction: MDB_APPEND while keys rise past the
 * end of the tree (LMDB answers MDB_KEYEXIST when a key is not past the last
 * one: then it may exist and we read-modify-write it).  Returns 0, 1 when
 * the map is full, or a negative code; on failure nothing is committed.
 */
static int imp_write_once(struct importer *im, bool *all_appended, uint8_t *prev, size_t *prev_len)
{
	struct rep *r = im->r;
	struct rep_record rec;
	uint8_t tmpl[REP_RECORD_MAX], val[REP_RECORD_MAX];
	MDB_txn *txn;
	MDB_cursor *cur;
	int rc;

	/* Every new record is the same template but for list and source. */
	memset(&rec, 0, sizeof(rec));
	rec.list_time = im->now;
	rep_record_encode(&rec, tmpl);

	rc = rep__txn_begin(r, 0, &txn);
	if (rc)
		return rc;
	rc = mdb_cursor_open(txn, r->dbi, &cur);
	for (size_t i = 0; i < im->n_rows && rc == 0; i++) {
		const struct imp_row *row = &im->rows[i];
		MDB_val k = { row->klen, (void *)row->key }, v;
		bool rising = *prev_len == 0 ||
			      key_cmp(row->key, row->klen, prev, *prev_len) > 0;

		memcpy(prev, row->key, row->klen);
		*prev_len = row->klen;
		if (rising) {
			memcpy(val, tmpl, REP_RECORD_FIXED);
			val[1] = row->list;
			val[3] = row->srclen;
			memcpy(val + REP_RECORD_FIXED, row->src, row->srclen);
			v.mv_data = val;
			v.mv_size = REP_RECORD_FIXED + row->srclen;
			rc = mdb_cursor_put(cur, &k, &v, MDB_APPEND);
			if (rc != MDB_KEYEXIST)
				continue;
		}
		*all_appended = false;
		rc = mdb_cursor_get(cur, &k, &v, MDB_SET_KEY);
		if (rc == 0 && rep_record_decode(v.mv_data, v.mv_size, &rec) == 0) {
			/* Keep score and history: only the list fields change. */
			rec.list = row->list;
			rec.list_time = im->now;
			memcpy(rec.list_source, row->src, row->srclen);
			memset(rec.list_source + row->srclen, 0, REP_SOURCE_SIZE - row->srclen);
		} else if (rc == 0 || rc == MDB_NOTFOUND) {
			if (rc == 0)
				ss_warn("rep: replacing undecodable record %c%.*s", row->key[0],
					(int)row->klen - 1, row->key + 1);
			memset(&rec, 0, sizeof(rec));
			rec.list = row->list;
			rec.list_time = im->now;
			memcpy(rec.list_source, row->src, row->srclen);
		} else {
			break;
		}
		k.mv_data = (void *)row->key;
		k.mv_size = row->klen;
		v.mv_data = val;
		v.mv_size = rep_record_encode(&rec, val);
		rc = mdb_cursor_put(cur, &k, &v, 0);
	}
	if (rc)
		mdb_txn_abort(txn);
	else
		rc = mdb_txn_commit(txn);
	if (rc == MDB_MAP_FULL)
		return 1;
	return rc ? rep__lmdb_fail(rc, "import") : 0;
}

static int imp_write(struct importer *im)
{
	int rc;

	if (im->n_rows == 0)
		return 0;
	for (int tries = 0;; tries++) {
		/* A retried chunk must start from the same sortedness state. */
		bool all = im->all_appended;
		uint8_t prev[REP_KEY_MAX];
		size_t prev_len = im->prev_len;

		memcpy(prev, im->prev, prev_len);
		rc = imp_write_once(im, &all, prev, &prev_len);
		if (rc == 0) {
			im->all_appended = all;
			memcpy(im->prev, prev, prev_len);
			im->prev_len = prev_len;
			break;
		}
		if (rc < 0)
			return rc;
		if (tries >= REP_RETRIES)
			return -SS_EFULL;
		rc = rep__grow_map(im->r);
		if (rc)
			return rc;
	}
	im->st->imported += im->n_rows;
	im->n_rows = 0;
	return 0;
}

static int imp_line(struct importer *im, const char *line, size_t len, uint64_t lineno)
{
	const char *f[3];
	size_t fl[3];
	size_t nf = 0;
	char id[REP_ID_SIZE], q[48];
	enum rep_key_type type;
	enum rep_list list;
	size_t idlen;
	int rc;

	trim(&line, &len);
	if (len == 0 || line[0] == '#')
		return 0;
	if (len >= 7 && memcmp(line, "subject", 7) == 0)
		return 0; /* header */

	/* Split on commas: subject,list[,source]. */
	{
		const char *p = line, *end = line + len;
		for (;;) {
			const char *c = memchr(p, ',', (size_t)(end - p));
			if (nf == 3) {
				imp_bad(im, lineno, "too many fields (expected subject,list[,source])");
				return 0;
			}
			f[nf] = p;
			fl[nf] = c ? (size_t)(c - p) : (size_t)(end - p);
			trim(&f[nf], &fl[nf]);
			nf++;
			if (!c)
				break;
			p = c + 1;
		}
	}
	if (nf < 2 || fl[1] == 0) {
		imp_bad(im, lineno, "missing list (expected subject,list[,source])");
		return 0;
	}
	rc = rep_key_parse_n(f[0], fl[0], &type, id, &idlen);
	if (rc) {
		quote_field(q, f[0], fl[0]);
		imp_bad(im, lineno, "%s subject \"%s\"", rc == -SS_ETOOLONG ? "too long" : "bad", q);
		return 0;
	}
	if (rep_list_parse(f[1], fl[1], &list)) {
		quote_field(q, f[1], fl[1]);
		imp_bad(im, lineno, "unknown list \"%s\" (expected black, gray, white or none)", q);
		return 0;
	}
	if (nf == 3 && fl[2] > REP_SOURCE_SIZE - 1) {
		imp_bad(im, lineno, "source longer than %d characters", REP_SOURCE_SIZE - 1);
		return 0;
	}
	if (nf == 3) {
		for (size_t i = 0; i < fl[2]; i++)
			if ((unsigned char)f[2][i] < ' ' || f[2][i] == 0x7f) {
				imp_bad(im, lineno, "control character in source");
				return 0;
			}
	}

	struct imp_row *row = &im->rows[im->n_rows++];
	row->klen = (uint8_t)(idlen + 1);
	row->key[0] = (uint8_t)type;
	memcpy(row->key + 1, id, idlen);
	row->list = (uint8_t)list;
	if (nf == 3 && fl[2] > 0) {
		row->srclen = (uint8_t)fl[2];
		memcpy(row->src, f[2], fl[2]);
	} else {
		row->srclen = (uint8_t)im->def_srclen;
		memcpy(row->src, im->def_src, im->def_srclen);
	}
	if (im->n_rows == REP_IMPORT_CHUNK)
		return imp_write(im);
	return 0;
}

/* Read @in line by line through one big buffer, no per-line allocation. */
static int imp_read(struct importer *im, FILE *in)
{
	char *buf = malloc(REP_IMPORT_BUF);
	size_t have = 0, pos = 0;
	uint64_t lineno = 0;
	bool eof = false, skipping = false;
	int rc = 0;

	if (!buf)
		return -ENOMEM;
	while (rc == 0) {
		char *nl = memchr(buf + pos, '\n', have - pos);
		if (nl) {
			size_t len = (size_t)(nl - (buf + pos));
			if (skipping) {
				skipping = false; /* the tail of an over-long line, counted */
			} else {
				lineno++;
				im->st->lines++;
				rc = imp_line(im, buf + pos, len, lineno);
			}
			pos += len + 1;
			continue;
		}
		if (eof) {
			if (pos < have && !skipping) {
				lineno++;
				im->st->lines++;
				rc = imp_line(im, buf + pos, have - pos, lineno);
			}
			break;
		}
		memmove(buf, buf + pos, have - pos);
		have -= pos;
		pos = 0;
		if (have == REP_IMPORT_BUF) {
			/* No newline in a whole buffer: not a list line. */
			if (!skipping) {
				lineno++;
				im->st->lines++;
				imp_bad(im, lineno, "line longer than %u bytes", REP_IMPORT_BUF);
			}
			skipping = true;
			have = 0;
		}
		size_t n = fread(buf + have, 1, REP_IMPORT_BUF - have, in);
		if (n == 0) {
			if (ferror(in)) {
				ss_error("rep: %s: read error", im->name);
				rc = -EIO;
			}
			eof = true;
		}
		have += n;
	}
	free(buf);
	return rc;
}

int rep_import(struct rep *r, FILE *in, const char *name, const char *default_source,
	       struct rep_import_stats *stats)
{
	struct importer im = { 0 };
	int rc, rc2;

	memset(stats, 0, sizeof(*stats));
	if (r->read_only)
		return -EROFS;
	rc = rep_flush(r); /* the import must not be overtaken by older batched puts */
	if (rc)
		return rc;
	im.r = r;
	im.name = name ? name : "<input>";
	im.def_src = default_source ? default_source : "import";
	im.def_srclen = strnlen(im.def_src, REP_SOURCE_SIZE - 1);
	im.now = ss_time_now();
	im.st = stats;
	im.all_appended = true;
	im.rows = malloc(REP_IMPORT_CHUNK * sizeof(*im.rows));
	if (!im.rows)
		return -ENOMEM;

	/* No fsync per chunk; one mdb_env_sync at the end makes it durable
	 * before we return (a crash mid-import loses at most the import). */
	mdb_env_set_flags(r->env, MDB_NOSYNC, 1);
	rc = imp_read(&im, in);
	if (rc == 0)
		rc = imp_write(&im);
	mdb_env_set_flags(r->env, MDB_NOSYNC, 0);
	rc2 = mdb_env_sync(r->env, 1);
	if (rc == 0 && rc2)
		rc = rep__lmdb_fail(rc2, "mdb_env_sync");
	if (im.msgs > REP_IMPORT_MAX_MSGS)
		fprintf(stderr, "%s: %" PRIu64 " more bad lines not shown\n", im.name,
			im.msgs - REP_IMPORT_MAX_MSGS);
	stats->sorted_append = im.all_appended && stats->imported > 0;
	free(im.rows);
	if (rc == 0)
		rc = refresh_bracket(r);
	if (rc == 0 && stats->imported > 0)
		rc = rep_list_touch(r); /* running engines reload their list filter */
	return rc;
}
