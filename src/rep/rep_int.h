/*
 * rep_int.h - the store's private state, shared by rep.c (records, the
 * batch, flushing) and outbox.c (the durable outbox and its bookkeeping).
 * Not for use outside src/rep/.
 */
#ifndef SS_REP_REP_INT_H
#define SS_REP_REP_INT_H

#include "rep/rep.h"

#include <lmdb.h>

struct pend {
	uint8_t klen;
	uint8_t del;
	uint8_t key[REP_KEY_MAX];
	struct rep_record rec;
};

/* An action waiting in the batch for the outbox (rep_outbox_put()). */
struct pend_out {
	uint64_t id;
	ss_time_us queued_at;
	char *json; /* owned */
	size_t len;
};

/* A control record waiting in the batch ("delivery" database, rep_meta_put()). */
struct pend_meta {
	uint8_t klen;
	bool del;
	uint8_t key[REP_META_KEY_MAX];
	void *val; /* owned */
	size_t vlen;
};

struct rep {
	MDB_env *env;
	MDB_dbi dbi;
	bool has_db;   /* the "rep" database exists (a fresh read-only env may lack it) */
	bool read_only;
	bool bracket;  /* rtxn is live for rep_read_begin()/end() */
	MDB_txn *rtxn; /* cached read transaction; reset when idle */
	ss_time_us half_life;
	size_t batch_limit;

	struct pend *pend; /* pending writes, dense */
	size_t n_pend, cap_pend;
	uint32_t *slots; /* index + 1 into pend; 0 = empty; power-of-two size */
	size_t n_slots;

	/* the outbox (outbox.c) */
	MDB_dbi dbi_outbox;   /* "outbox": BE u64 seq -> entry */
	MDB_dbi dbi_ids;      /* "outbox_id": BE u64 action id -> BE u64 seq, queued_at */
	MDB_dbi dbi_delivery; /* "delivery": cursors, parked entries, control records */
	bool has_outbox;
	struct pend_out *pout; /* pending outbox entries, in enqueue order */
	size_t n_pout, cap_pout;
	struct pend_meta *pmeta; /* pending control records, in order */
	size_t n_pmeta, cap_pmeta;
	unsigned group; /* rep_group_begin() depth: no automatic flush while > 0 */
	int fail_flushes; /* test hook: make this many flushes fail after writing */
	struct rep_outbox_counters oc;
};

int rep__lmdb_fail(int rc, const char *what);
int rep__txn_begin(struct rep *r, unsigned flags, MDB_txn **txn);
int rep__grow_map(struct rep *r);
int rep__open_db(struct rep *r);
int rep__rtxn_start(struct rep *r); /* r->rtxn live; mdb_txn_reset() it unless r->bracket */

/* outbox.c */
int rep__outbox_open(struct rep *r, MDB_txn *txn);
/*
 * Write the pending outbox entries and control records into @txn (part of
 * rep_flush()); *@queued / *@dups count entries written / dropped as known
 * ids.  Returns an LMDB code (0, an errno value or MDB_*), like mdb_put.
 */
int rep__outbox_write(struct rep *r, MDB_txn *txn, uint64_t *queued, uint64_t *dups);
void rep__outbox_clear(struct rep *r);
void rep__outbox_free(struct rep *r);

#endif
