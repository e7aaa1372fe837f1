/*
 * outbox.c - the durable outbox and its delivery bookkeeping (rep/rep.h,
 * docs/provisioning.md).
 *
 * Actions are enqueued into the store's pending batch and written by
 * rep_flush() inside the same write transaction as the reputation records
 * (rep__outbox_write() is called from rep.c's flush), so "the record says
 * we blocked X" and "the block of X is in the outbox" are one atomic fact.
 * Everything else here - reading entries, moving a receiver's cursor,
 * parking refused entries, trimming - happens in short transactions of its
 * own, in the thread that owns the store.
 *
 * Layout (all in one environment, see rep.h):
 *   outbox     BE seq -> LE u64 id, LE i64 queued_at, JSON
 *   outbox_id  BE id  -> LE u64 seq, LE i64 queued_at
 *   delivery   "\x01n"                      -> LE u64 next sequence number
 *              "\x01c" name                 -> LE u64 cursor
 *              "\x01p" name NUL BE seq      -> parked entry (below)
 *              printable keys               -> control records (rep_meta_*)
 * Parked value: LE u64 id, LE i64 queued_at, LE i64 parked_at, LE u16 why
 * length, why, JSON.
 */
#include "rep/rep_int.h"

#include "core/err.h"
#include "core/log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define OUTBOX_DB "outbox"
#define IDS_DB "outbox_id"
#define DELIVERY_DB "delivery"
#define OUTBOX_RETRIES 64
#define ENTRY_HEAD 16 /* id + queued_at */
#define PARK_HEAD 26  /* id + queued_at + parked_at + why length */

static const uint8_t key_next[2] = { 1, 'n' };

/* ---- byte helpers ------------------------------------------------------------ */

void rep_be64_put(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

uint64_t rep_be64_get(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void le64_put(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t le64_get(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* ---- opening ------------------------------------------------------------------ */

int rep__outbox_open(struct rep *r, MDB_txn *txn)
{
	unsigned flags = r->read_only ? 0 : MDB_CREATE;
	int rc = mdb_dbi_open(txn, OUTBOX_DB, flags, &r->dbi_outbox);

	if (rc == 0)
		rc = mdb_dbi_open(txn, IDS_DB, flags, &r->dbi_ids);
	if (rc == 0)
		rc = mdb_dbi_open(txn, DELIVERY_DB, flags, &r->dbi_delivery);
	if (rc == MDB_NOTFOUND && r->read_only)
		return 0; /* a store written before the outbox existed */
	if (rc)
		return rep__lmdb_fail(rc, "mdb_dbi_open outbox");
	r->has_outbox = true;
	return 0;
}

/* 1 when the outbox databases exist, 0 when not (read-only, none yet), < 0 error. */
static int ensure(struct rep *r)
{
	if (r->has_outbox)
		return 1;
	int rc = rep__open_db(r);
	if (rc)
		return rc;
	return r->has_outbox ? 1 : 0;
}

/* Our own codes (-errno, -SS_E*) pass; LMDB's (MDB_* < -30000, errno > 0) are logged. */
static int fail_rc(int rc, const char *what)
{
	if (rc < 0 && rc > -30000)
		return rc;
	return rep__lmdb_fail(rc, what);
}

/* A read transaction: the cached one (reset by read_end unless bracketed). */
static int read_begin(struct rep *r)
{
	return r->bracket ? 0 : rep__rtxn_start(r);
}

static void read_end(struct rep *r)
{
	if (!r->bracket)
		mdb_txn_reset(r->rtxn);
}

/*
 * Run @fn in a write transaction of its own; a full map grows and the
 * whole transaction runs again.  Returns 0 or a negative code.
 */
typedef int (*write_fn)(struct rep *r, MDB_txn *txn, void *ctx);

static int with_write(struct rep *r, write_fn fn, void *ctx, const char *what)
{
	if (r->read_only)
		return -EROFS;
	int rc = ensure(r);
	if (rc <= 0)
		return rc < 0 ? rc : -SS_ELMDB;
	for (int tries = 0;; tries++) {
		MDB_txn *txn;
		rc = rep__txn_begin(r, 0, &txn);
		if (rc)
			return rc;
		rc = fn(r, txn, ctx);
		if (rc)
			mdb_txn_abort(txn);
		else
			rc = mdb_txn_commit(txn);
		if (rc == 0)
			break;
		if (rc != MDB_MAP_FULL)
			return fail_rc(rc, what);
		if (tries >= OUTBOX_RETRIES)
			return -SS_EFULL;
		rc = rep__grow_map(r);
		if (rc)
			return rc;
	}
	if (r->bracket) {
		/* A bracket must see what this process just committed. */
		mdb_txn_reset(r->rtxn);
		r->bracket = false;
		rc = rep__rtxn_start(r);
		if (rc == 0)
			r->bracket = true;
	}
	return rc;
}

/* ---- the batch ------------------------------------------------------------------ */

void rep_group_begin(struct rep *r)
{
	r->group++;
}

int rep_group_end(struct rep *r)
{
	if (r->group > 0)
		r->group--;
	if (r->group == 0 && r->n_pend + r->n_pout >= r->batch_limit)
		return rep_flush(r);
	return 0;
}

int rep_outbox_put(struct rep *r, uint64_t id, ss_time_us queued_at, const char *json, size_t len)
{
	if (r->read_only)
		return -EROFS;
	if (r->n_pout == r->cap_pout) {
		size_t cap = r->cap_pout ? r->cap_pout * 2 : 64;
		struct pend_out *p = realloc(r->pout, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		r->pout = p;
		r->cap_pout = cap;
	}
	char *copy = malloc(len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, json, len);
	copy[len] = '\0';
	struct pend_out *p = &r->pout[r->n_pout++];
	p->id = id;
	p->queued_at = queued_at;
	p->json = copy;
	p->len = len;
	if (r->n_pend + r->n_pout >= r->batch_limit && !r->group)
		return rep_flush(r);
	return 0;
}

static int meta_pend(struct rep *r, const void *key, size_t klen, const void *val, size_t len, bool del)
{
	if (r->read_only)
		return -EROFS;
	if (klen == 0 || klen > REP_META_KEY_MAX)
		return -SS_ETOOLONG;
	if (r->n_pmeta == r->cap_pmeta) {
		size_t cap = r->cap_pmeta ? r->cap_pmeta * 2 : 16;
		struct pend_meta *p = realloc(r->pmeta, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		r->pmeta = p;
		r->cap_pmeta = cap;
	}
	void *copy = NULL;
	if (!del) {
		copy = malloc(len ? len : 1);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, val, len);
	}
	struct pend_meta *p = &r->pmeta[r->n_pmeta++];
	p->klen = (uint8_t)klen;
	memcpy(p->key, key, klen);
	p->del = del;
	p->val = copy;
	p->vlen = del ? 0 : len;
	return 0;
}

int rep_meta_put(struct rep *r, const void *key, size_t klen, const void *val, size_t len)
{
	if (klen && ((const uint8_t *)key)[0] == 1)
		return -EINVAL; /* reserved for the delivery bookkeeping */
	return meta_pend(r, key, klen, val, len, false);
}

int rep_meta_del(struct rep *r, const void *key, size_t klen)
{
	if (klen && ((const uint8_t *)key)[0] == 1)
		return -EINVAL;
	return meta_pend(r, key, klen, NULL, 0, true);
}

void rep__outbox_clear(struct rep *r)
{
	for (size_t i = 0; i < r->n_pout; i++)
		free(r->pout[i].json);
	r->n_pout = 0;
	for (size_t i = 0; i < r->n_pmeta; i++)
		free(r->pmeta[i].val);
	r->n_pmeta = 0;
}

void rep__outbox_free(struct rep *r)
{
	rep__outbox_clear(r);
	free(r->pout);
	free(r->pmeta);
	r->pout = NULL;
	r->pmeta = NULL;
	r->cap_pout = r->cap_pmeta = 0;
}

int rep__outbox_write(struct rep *r, MDB_txn *txn, uint64_t *queued, uint64_t *dups)
{
	MDB_val k = { sizeof(key_next), (void *)key_next }, v;
	uint64_t next = 1;
	int rc;

	if (!r->has_outbox)
		return MDB_NOTFOUND;
	if (r->n_pout) {
		rc = mdb_get(txn, r->dbi_delivery, &k, &v);
		if (rc == 0 && v.mv_size == 8)
			next = le64_get(v.mv_data);
		else if (rc != 0 && rc != MDB_NOTFOUND)
			return rc;
	}
	for (size_t i = 0; i < r->n_pout; i++) {
		const struct pend_out *p = &r->pout[i];
		uint8_t ik[8], iv[16], sk[8];

		rep_be64_put(ik, p->id);
		le64_put(iv, next);
		le64_put(iv + 8, (uint64_t)p->queued_at);
		MDB_val ikv = { 8, ik }, ivv = { 16, iv };
		rc = mdb_put(txn, r->dbi_ids, &ikv, &ivv, MDB_NOOVERWRITE);
		if (rc == MDB_KEYEXIST) {
			(*dups)++; /* decided before (a restart re-reading its input): never twice */
			continue;
		}
		if (rc)
			return rc;
		rep_be64_put(sk, next);
		MDB_val skv = { 8, sk }, sv = { ENTRY_HEAD + p->len, NULL };
		rc = mdb_put(txn, r->dbi_outbox, &skv, &sv, MDB_APPEND | MDB_RESERVE);
		if (rc)
			return rc;
		uint8_t *d = sv.mv_data;
		le64_put(d, p->id);
		le64_put(d + 8, (uint64_t)p->queued_at);
		memcpy(d + ENTRY_HEAD, p->json, p->len);
		next++;
		(*queued)++;
	}
	if (r->n_pout) {
		uint8_t nv[8];
		le64_put(nv, next);
		v.mv_size = 8;
		v.mv_data = nv;
		rc = mdb_put(txn, r->dbi_delivery, &k, &v, 0);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < r->n_pmeta; i++) {
		const struct pend_meta *p = &r->pmeta[i];
		MDB_val mk = { p->klen, (void *)p->key };
		if (p->del) {
			rc = mdb_del(txn, r->dbi_delivery, &mk, NULL);
			if (rc == MDB_NOTFOUND)
				rc = 0;
		} else {
			MDB_val mv = { p->vlen, p->val };
			rc = mdb_put(txn, r->dbi_delivery, &mk, &mv, 0);
		}
		if (rc)
			return rc;
	}
	return 0;
}

void rep_test_fail_flushes(struct rep *r, int n)
{
	r->fail_flushes = n;
}

const struct rep_outbox_counters *rep_outbox_counters(const struct rep *r)
{
	return &r->oc;
}

/* ---- reading ------------------------------------------------------------------------ */

static int get_next(struct rep *r, MDB_txn *txn, uint64_t *next)
{
	MDB_val k = { sizeof(key_next), (void *)key_next }, v;
	int rc = mdb_get(txn, r->dbi_delivery, &k, &v);

	*next = 1;
	if (rc == 0 && v.mv_size == 8)
		*next = le64_get(v.mv_data);
	else if (rc != 0 && rc != MDB_NOTFOUND)
		return rep__lmdb_fail(rc, "outbox sequence");
	return 0;
}

int rep_outbox_read(struct rep *r, uint64_t after, size_t max, rep_outbox_fn fn, void *ctx)
{
	MDB_cursor *cur;
	uint8_t sk[8];
	int rc = ensure(r), n = 0;

	if (rc <= 0)
		return rc;
	if ((rc = read_begin(r)) != 0)
		return rc;
	rc = mdb_cursor_open(r->rtxn, r->dbi_outbox, &cur);
	if (rc) {
		read_end(r);
		return rep__lmdb_fail(rc, "mdb_cursor_open outbox");
	}
	rep_be64_put(sk, after + 1);
	MDB_val k = { 8, sk }, v;
	rc = after == UINT64_MAX ? MDB_NOTFOUND : mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	while (rc == 0 && (size_t)n < max) {
		struct rep_outbox_entry e;
		if (k.mv_size != 8 || v.mv_size < ENTRY_HEAD) {
			ss_warn("rep: malformed outbox entry skipped");
		} else {
			e.seq = rep_be64_get(k.mv_data);
			e.id = le64_get(v.mv_data);
			e.queued_at = (ss_time_us)le64_get((const uint8_t *)v.mv_data + 8);
			e.json = (const char *)v.mv_data + ENTRY_HEAD;
			e.len = v.mv_size - ENTRY_HEAD;
			n++;
			int stop = fn(ctx, &e);
			if (stop) {
				rc = stop < 0 ? stop : MDB_NOTFOUND;
				break;
			}
		}
		rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
	}
	mdb_cursor_close(cur);
	read_end(r);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return fail_rc(rc, "outbox read");
	return n;
}

int rep_outbox_last(struct rep *r, uint64_t *seq)
{
	uint64_t next;
	int rc = ensure(r);

	*seq = 0;
	if (rc <= 0)
		return rc;
	if ((rc = read_begin(r)) != 0)
		return rc;
	rc = get_next(r, r->rtxn, &next);
	read_end(r);
	if (rc == 0)
		*seq = next - 1;
	return rc;
}

int rep_outbox_lookup(struct rep *r, uint64_t id, uint64_t *seq)
{
	uint8_t ik[8];
	MDB_val k = { 8, ik }, v;
	int rc = ensure(r);

	if (rc <= 0)
		return rc < 0 ? rc : -SS_ENOTFOUND;
	rep_be64_put(ik, id);
	if ((rc = read_begin(r)) != 0)
		return rc;
	rc = mdb_get(r->rtxn, r->dbi_ids, &k, &v);
	if (rc == 0 && v.mv_size >= 8)
		*seq = le64_get(v.mv_data);
	read_end(r);
	if (rc == MDB_NOTFOUND)
		return -SS_ENOTFOUND;
	return rc ? rep__lmdb_fail(rc, "outbox id index") : 0;
}

/* Visit "delivery" keys starting with @prefix (@plen bytes). */
typedef int (*dscan_fn)(void *ctx, const MDB_val *k, const MDB_val *v);

static int dscan(struct rep *r, const void *prefix, size_t plen, const void *after, size_t alen,
		 dscan_fn fn, void *ctx)
{
	MDB_cursor *cur;
	int rc = ensure(r);

	if (rc <= 0)
		return rc;
	if ((rc = read_begin(r)) != 0)
		return rc;
	rc = mdb_cursor_open(r->rtxn, r->dbi_delivery, &cur);
	if (rc) {
		read_end(r);
		return rep__lmdb_fail(rc, "mdb_cursor_open delivery");
	}
	MDB_val k = { after ? alen : plen, (void *)(after ? after : prefix) }, v;
	rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	if (rc == 0 && after && k.mv_size == alen && memcmp(k.mv_data, after, alen) == 0)
		rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
	int stop = 0;
	while (rc == 0) {
		if (k.mv_size < plen || memcmp(k.mv_data, prefix, plen) != 0)
			break;
		stop = fn(ctx, &k, &v);
		if (stop)
			break;
		rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
	}
	mdb_cursor_close(cur);
	read_end(r);
	if (stop < 0)
		return stop;
	if (rc != 0 && rc != MDB_NOTFOUND)
		return rep__lmdb_fail(rc, "delivery scan");
	return 0;
}

static int count_one(void *ctx, const MDB_val *k, const MDB_val *v)
{
	(void)k;
	(void)v;
	(*(uint64_t *)ctx)++;
	return 0;
}

int rep_outbox_info(struct rep *r, struct rep_outbox_info *out)
{
	MDB_stat st;
	MDB_cursor *cur;
	MDB_val k, v;
	uint64_t next = 1;
	int rc = ensure(r);

	memset(out, 0, sizeof(*out));
	if (rc <= 0)
		return rc;
	if ((rc = read_begin(r)) != 0)
		return rc;
	rc = mdb_stat(r->rtxn, r->dbi_outbox, &st);
	if (rc == 0) {
		out->entries = st.ms_entries;
		rc = mdb_stat(r->rtxn, r->dbi_ids, &st);
	}
	if (rc == 0) {
		out->ids = st.ms_entries;
		rc = mdb_cursor_open(r->rtxn, r->dbi_outbox, &cur);
	}
	if (rc == 0) {
		if (mdb_cursor_get(cur, &k, &v, MDB_FIRST) == 0 && k.mv_size == 8)
			out->first = rep_be64_get(k.mv_data);
		mdb_cursor_close(cur);
	}
	int rc2 = rc ? 0 : get_next(r, r->rtxn, &next);
	read_end(r);
	if (rc)
		return rep__lmdb_fail(rc, "outbox info");
	if (rc2)
		return rc2;
	out->last = next - 1;
	static const uint8_t pp[2] = { 1, 'p' };
	return dscan(r, pp, sizeof(pp), NULL, 0, count_one, &out->parked);
}

/* ---- cursors and parking ------------------------------------------------------------- */

static int cursor_key(const char *receiver, uint8_t *key, size_t *klen)
{
	size_t n = strlen(receiver);
	if (n == 0 || n >= REP_RECEIVER_NAME)
		return -SS_ETOOLONG;
	key[0] = 1;
	key[1] = 'c';
	memcpy(key + 2, receiver, n);
	*klen = n + 2;
	return 0;
}

int rep_cursor_get(struct rep *r, const char *receiver, uint64_t *seq)
{
	uint8_t key[2 + REP_RECEIVER_NAME];
	size_t klen;
	int rc = cursor_key(receiver, key, &klen);

	if (rc)
		return rc;
	if ((rc = ensure(r)) <= 0)
		return rc < 0 ? rc : -SS_ENOTFOUND;
	if ((rc = read_begin(r)) != 0)
		return rc;
	MDB_val k = { klen, key }, v;
	rc = mdb_get(r->rtxn, r->dbi_delivery, &k, &v);
	bool bad = rc == 0 && v.mv_size != 8;
	if (rc == 0 && !bad)
		*seq = le64_get(v.mv_data);
	read_end(r);
	if (rc == MDB_NOTFOUND)
		return -SS_ENOTFOUND;
	if (bad) {
		/* A corrupt cursor is an error, not position 0 (that would re-send everything). */
		ss_error("rep: delivery cursor of receiver %s: %zu-byte value, expected 8", receiver, v.mv_size);
		return -SS_EPARSE;
	}
	return rc ? rep__lmdb_fail(rc, "cursor") : 0;
}

struct cursor_init_ctx {
	const uint8_t *key;
	size_t klen;
	uint64_t seq;
};

static int cursor_init_txn(struct rep *r, MDB_txn *txn, void *vctx)
{
	struct cursor_init_ctx *c = vctx;
	MDB_val k = { c->klen, (void *)c->key }, v;
	int rc = mdb_get(txn, r->dbi_delivery, &k, &v);

	if (rc == 0 && v.mv_size == 8) {
		c->seq = le64_get(v.mv_data); /* created meanwhile */
		return 0;
	}
	uint64_t next;
	rc = get_next(r, txn, &next);
	if (rc)
		return rc;
	uint8_t val[8];
	c->seq = next - 1;
	le64_put(val, c->seq);
	v.mv_size = 8;
	v.mv_data = val;
	return mdb_put(txn, r->dbi_delivery, &k, &v, 0);
}

int rep_cursor_init(struct rep *r, const char *receiver, uint64_t *seq)
{
	uint8_t key[2 + REP_RECEIVER_NAME];
	size_t klen;
	int rc = rep_cursor_get(r, receiver, seq);

	if (rc != -SS_ENOTFOUND)
		return rc;
	rc = cursor_key(receiver, key, &klen);
	if (rc)
		return rc;
	struct cursor_init_ctx c = { key, klen, 0 };
	rc = with_write(r, cursor_init_txn, &c, "cursor init");
	if (rc == 0)
		*seq = c.seq;
	return rc;
}

struct commit_ctx {
	const char *receiver;
	uint64_t cursor;
	const struct rep_park *parked;
	size_t n;
	uint64_t trim_upto;
	uint64_t trimmed;
};

static int commit_txn(struct rep *r, MDB_txn *txn, void *vctx)
{
	struct commit_ctx *c = vctx;
	uint8_t key[2 + REP_RECEIVER_NAME + 1 + 8], val[8];
	size_t klen, nlen = strlen(c->receiver);
	int rc = cursor_key(c->receiver, key, &klen);

	if (rc)
		return rc;
	le64_put(val, c->cursor);
	MDB_val k = { klen, key }, v = { 8, val };
	rc = mdb_put(txn, r->dbi_delivery, &k, &v, 0);
	for (size_t i = 0; rc == 0 && i < c->n; i++) {
		const struct rep_park *p = &c->parked[i];
		size_t wl = p->why ? strlen(p->why) : 0;
		if (wl > 0xffff)
			wl = 0xffff;
		key[1] = 'p';
		key[2 + nlen] = 0;
		rep_be64_put(key + 3 + nlen, p->seq);
		MDB_val pk = { 3 + nlen + 8, key }, pv = { PARK_HEAD + wl + p->len, NULL };
		rc = mdb_put(txn, r->dbi_delivery, &pk, &pv, MDB_RESERVE);
		if (rc)
			break;
		uint8_t *d = pv.mv_data;
		le64_put(d, p->id);
		le64_put(d + 8, (uint64_t)p->queued_at);
		le64_put(d + 16, (uint64_t)p->parked_at);
		d[24] = (uint8_t)wl;
		d[25] = (uint8_t)(wl >> 8);
		memcpy(d + PARK_HEAD, p->why, wl);
		memcpy(d + PARK_HEAD + wl, p->json, p->len);
	}
	c->trimmed = 0;
	if (rc == 0 && c->trim_upto) {
		MDB_cursor *cur;
		MDB_val tk, tv;
		rc = mdb_cursor_open(txn, r->dbi_outbox, &cur);
		if (rc)
			return rc;
		while ((rc = mdb_cursor_get(cur, &tk, &tv, MDB_FIRST)) == 0) {
			if (tk.mv_size != 8 || rep_be64_get(tk.mv_data) > c->trim_upto)
				break;
			rc = mdb_cursor_del(cur, 0);
			if (rc)
				break;
			c->trimmed++;
		}
		mdb_cursor_close(cur);
		if (rc == MDB_NOTFOUND)
			rc = 0;
	}
	return rc;
}

int rep_delivery_commit(struct rep *r, const char *receiver, uint64_t cursor, const struct rep_park *parked,
			size_t n, uint64_t trim_upto)
{
	struct commit_ctx c = { receiver, cursor, parked, n, trim_upto, 0 };
	int rc = with_write(r, commit_txn, &c, "delivery commit");
	if (rc == 0)
		r->oc.trimmed += c.trimmed;
	return rc;
}

struct cursor_each {
	rep_cursor_fn fn;
	rep_parked_fn pfn;
	void *ctx;
};

static int cursor_one(void *vctx, const MDB_val *k, const MDB_val *v)
{
	struct cursor_each *c = vctx;
	char name[REP_RECEIVER_NAME];
	size_t n = k->mv_size - 2;

	if (n >= sizeof(name) || v->mv_size != 8)
		return 0;
	memcpy(name, (const uint8_t *)k->mv_data + 2, n);
	name[n] = '\0';
	return c->fn(c->ctx, name, le64_get(v->mv_data));
}

int rep_cursor_foreach(struct rep *r, rep_cursor_fn fn, void *ctx)
{
	static const uint8_t pc[2] = { 1, 'c' };
	struct cursor_each c = { fn, NULL, ctx };
	return dscan(r, pc, sizeof(pc), NULL, 0, cursor_one, &c);
}

static int parked_one(void *vctx, const MDB_val *k, const MDB_val *v)
{
	struct cursor_each c = *(struct cursor_each *)vctx;
	const uint8_t *kb = k->mv_data, *d = v->mv_data;
	char name[REP_RECEIVER_NAME], why[512];
	const uint8_t *nul = memchr(kb + 2, 0, k->mv_size - 2);

	if (!nul || (size_t)(kb + k->mv_size - nul) != 9 || (size_t)(nul - kb - 2) >= sizeof(name) ||
	    v->mv_size < PARK_HEAD)
		return 0;
	memcpy(name, kb + 2, (size_t)(nul - kb - 2));
	name[nul - kb - 2] = '\0';
	size_t wl = (size_t)d[24] | (size_t)d[25] << 8;
	if (PARK_HEAD + wl > v->mv_size)
		return 0;
	size_t cw = wl < sizeof(why) ? wl : sizeof(why) - 1;
	memcpy(why, d + PARK_HEAD, cw);
	why[cw] = '\0';
	struct rep_park p = {
		.seq = rep_be64_get(nul + 1),
		.id = le64_get(d),
		.queued_at = (ss_time_us)le64_get(d + 8),
		.parked_at = (ss_time_us)le64_get(d + 16),
		.why = why,
		.json = (const char *)d + PARK_HEAD + wl,
		.len = v->mv_size - PARK_HEAD - wl,
	};
	return c.pfn(c.ctx, name, &p);
}

int rep_parked_foreach(struct rep *r, const char *receiver, rep_parked_fn fn, void *ctx)
{
	uint8_t prefix[3 + REP_RECEIVER_NAME];
	size_t plen = 2;
	struct cursor_each c = { NULL, fn, ctx };

	prefix[0] = 1;
	prefix[1] = 'p';
	if (receiver) {
		size_t n = strlen(receiver);
		if (n == 0 || n >= REP_RECEIVER_NAME)
			return -SS_ETOOLONG;
		memcpy(prefix + 2, receiver, n);
		prefix[2 + n] = 0;
		plen = 3 + n;
	}
	return dscan(r, prefix, plen, NULL, 0, parked_one, &c);
}

/* ---- trimming the id index -------------------------------------------------------------- */

struct trim_ids_ctx {
	ss_time_us older_than;
	uint64_t removed;
};

static int trim_ids_txn(struct rep *r, MDB_txn *txn, void *vctx)
{
	struct trim_ids_ctx *c = vctx;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc = mdb_cursor_open(txn, r->dbi_ids, &cur);

	c->removed = 0;
	if (rc)
		return rc;
	rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
	while (rc == 0) {
		if (v.mv_size >= 16 && (ss_time_us)le64_get((const uint8_t *)v.mv_data + 8) < c->older_than) {
			rc = mdb_cursor_del(cur, 0);
			if (rc)
				break;
			c->removed++;
			/* After a delete MDB_NEXT returns the item that moved under the cursor. */
			rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
			continue;
		}
		rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
	}
	mdb_cursor_close(cur);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return rc;
	/* The release log: "release/" BE time ..., oldest first. */
	static const char rel[] = "release/";
	rc = mdb_cursor_open(txn, r->dbi_delivery, &cur);
	if (rc)
		return rc;
	k.mv_size = sizeof(rel) - 1;
	k.mv_data = (void *)rel;
	rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	while (rc == 0 && k.mv_size >= sizeof(rel) - 1 + 8 && memcmp(k.mv_data, rel, sizeof(rel) - 1) == 0 &&
	       (ss_time_us)rep_be64_get((const uint8_t *)k.mv_data + sizeof(rel) - 1) < c->older_than) {
		rc = mdb_cursor_del(cur, 0);
		if (rc)
			break;
		c->removed++;
		rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
	}
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

int rep_outbox_trim_ids(struct rep *r, ss_time_us older_than, uint64_t *removed)
{
	struct trim_ids_ctx c = { older_than, 0 };
	int rc = with_write(r, trim_ids_txn, &c, "outbox id trim");
	if (removed)
		*removed = rc == 0 ? c.removed : 0;
	return rc;
}

/* ---- control records ---------------------------------------------------------------------- */

int rep_meta_get(struct rep *r, const void *key, size_t klen, void *buf, size_t size, size_t *len)
{
	for (size_t i = r->n_pmeta; i-- > 0;) {
		const struct pend_meta *p = &r->pmeta[i];
		if (p->klen != klen || memcmp(p->key, key, klen) != 0)
			continue;
		if (p->del)
			return -SS_ENOTFOUND;
		*len = p->vlen < size ? p->vlen : size;
		memcpy(buf, p->val, *len);
		return 0;
	}
	int rc = ensure(r);
	if (rc <= 0)
		return rc < 0 ? rc : -SS_ENOTFOUND;
	if ((rc = read_begin(r)) != 0)
		return rc;
	MDB_val k = { klen, (void *)key }, v;
	rc = mdb_get(r->rtxn, r->dbi_delivery, &k, &v);
	if (rc == 0) {
		*len = v.mv_size < size ? v.mv_size : size;
		memcpy(buf, v.mv_data, *len);
	}
	read_end(r);
	if (rc == MDB_NOTFOUND)
		return -SS_ENOTFOUND;
	return rc ? rep__lmdb_fail(rc, "control record") : 0;
}

struct meta_scan_ctx {
	rep_meta_fn fn;
	void *ctx;
};

static int meta_one(void *vctx, const MDB_val *k, const MDB_val *v)
{
	struct meta_scan_ctx *c = vctx;
	return c->fn(c->ctx, k->mv_data, k->mv_size, v->mv_data, v->mv_size);
}

int rep_meta_scan(struct rep *r, const char *prefix, const void *after, size_t after_len, rep_meta_fn fn,
		  void *ctx)
{
	struct meta_scan_ctx c = { fn, ctx };
	return dscan(r, prefix, strlen(prefix), after, after_len, meta_one, &c);
}
