/*
 * rep.h - the reputation store (LMDB).
 *
 * One LMDB environment per process (STYLE.md), one named database "rep"
 * keyed by  <type byte><identity text>  (e.g. "m8613800138000",
 * "i460001234567890"), so keys of one type sort together and numeric
 * identities of equal length sort numerically - which lets a sorted list
 * import use MDB_APPEND.  Values are struct rep_record in a fixed
 * little-endian layout with a version field (rep_record_encode/decode).
 *
 * Writes are buffered in a batch (rep_put / rep_del) and committed by
 * rep_flush() in one write transaction; rep_get() sees the batch first, so a
 * writer reads its own writes.  When the map is full the store doubles the
 * map size and retries the batch instead of failing with MDB_MAP_FULL.
 * Other processes may read concurrently (LMDB MVCC): `simsieve rep get`
 * works while a replay writes.  A reader whose environment was grown by
 * another process adopts the new size (MDB_MAP_RESIZED).
 *
 * Ownership: struct rep owns the environment; records are copied out of
 * LMDB before the read transaction ends; no long-lived read transactions
 * except inside rep_read_begin()/rep_read_end() brackets.
 */
#ifndef SS_REP_REP_H
#define SS_REP_REP_H

#include "core/time.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum rep_key_type {
	REP_KEY_MSISDN = 'm',
	REP_KEY_IMSI = 'i',
	REP_KEY_IMEI = 'e',
	REP_KEY_IDDOC = 'd',   /* keyed hash of an ID document, hex */
	REP_KEY_CHANNEL = 'c', /* sales channel code */
	REP_KEY_OUTLET = 'o',  /* outlet code */
	REP_KEY_URL = 'u',     /* URL / short link seen in scam SMS */
};

enum rep_list {
	REP_LIST_NONE = 0,
	REP_LIST_WHITE = 1, /* never blocked (VIP, emergency, test, verified enterprise) */
	REP_LIST_GRAY = 2,  /* raises risk */
	REP_LIST_BLACK = 3, /* acts on hit */
};

enum rep_action_kind {
	REP_ACTION_NONE = 0,
	REP_ACTION_MONITOR = 1,
	REP_ACTION_LIMIT = 2,
	REP_ACTION_REVERIFY = 3,
	REP_ACTION_BLOCK = 4,
	REP_ACTION_RELEASE = 5,
};

#define REP_ID_SIZE 64	   /* identity text incl. NUL */
#define REP_SOURCE_SIZE 32 /* list source name incl. NUL */

struct rep_record {
	float score;		   /* 0..100 at score_time; decays with the half-life */
	ss_time_us score_time;
	uint8_t list;		   /* enum rep_list */
	uint8_t last_action;	   /* enum rep_action_kind */
	uint16_t flags;		   /* REP_FLAG_* */
	uint64_t reasons;	   /* bit set of reason codes, see detect/reasons.def */
	ss_time_us first_seen;
	ss_time_us last_seen;
	ss_time_us last_action_time;
	uint64_t last_action_id;
	ss_time_us list_time;	   /* when the list membership was set */
	uint32_t events;	   /* findings/hits counted against this subject */
	uint32_t actions;	   /* actions emitted */
	char list_source[REP_SOURCE_SIZE];
};

#define REP_FLAG_SHADOW_ACTION 0x0001 /* last_action was emitted in shadow mode */

struct rep_options {
	size_t initial_map_size; /* bytes; 0 = 64 MiB */
	bool read_only;
	ss_time_us half_life;	 /* score decay half-life; 0 = 7 days */
	size_t batch_limit;	 /* pending puts before rep_put flushes itself; 0 = 65536 */
};

struct rep;

/*
 * rep_open() - open (creating if needed, unless read-only) the store in
 * directory @dir.  Returns 0 or a negative code, with a message logged.
 */
int rep_open(const char *dir, const struct rep_options *opt, struct rep **out);

/* rep_close() - flush pending writes and close.  Accepts NULL. */
int rep_close(struct rep *rep);

/*
 * rep_key_parse() - parse a subject written by a user: "imsi:4600...",
 * "imei:...", "msisdn:...", "channel:...", "outlet:...", "iddoc:<hex>",
 * "url:...", or a bare number (= MSISDN, a leading '+' dropped).
 * @id receives the identity (REP_ID_SIZE bytes).  Returns 0, -SS_EPARSE, or
 * -SS_ETOOLONG (identity longer than REP_ID_SIZE - 1).  The rules per type
 * are in docs/reputation.md (digits for msisdn/imsi/imei, hex for iddoc,
 * printable ASCII without spaces or commas for channel/outlet/url).
 */
int rep_key_parse(const char *text, enum rep_key_type *type, char *id);

/*
 * rep_key_parse_n() - the same on a borrowed view @text/@len (need not be
 * NUL-terminated); *@id_len receives strlen(@id).  Used by the list import.
 */
int rep_key_parse_n(const char *text, size_t len, enum rep_key_type *type, char *id,
		    size_t *id_len);

/* rep_key_type_name() - "msisdn", "imsi", ... ("?" for an unknown byte). */
const char *rep_key_type_name(enum rep_key_type type);

/* rep_key_type_parse() - "msisdn" -> REP_KEY_MSISDN ...  Returns 0 or -SS_EPARSE. */
int rep_key_type_parse(const char *name, enum rep_key_type *out);

/* rep_list_name() - "none", "white", "gray", "black". */
const char *rep_list_name(enum rep_list list);

/* rep_list_parse() - "black" | "gray" | "white" | "none" (view).  0 or -SS_EPARSE. */
int rep_list_parse(const char *text, size_t len, enum rep_list *out);

/* rep_action_name() - "none", "monitor", "limit", "reverify", "block", "release". */
const char *rep_action_name(enum rep_action_kind kind);

/*
 * Stored value layout, version 1 (all integers little-endian):
 *   0 u8 version   1 u8 list   2 u8 last_action   3 u8 source length (n <= 31)
 *   4 u16 flags    6 u16 zero  8 u32 score (IEEE 754 binary32 bits)
 *  12 u32 events  16 u32 actions  20 u32 zero
 *  24 i64 score_time  32 u64 reasons  40 i64 first_seen  48 i64 last_seen
 *  56 i64 last_action_time  64 u64 last_action_id  72 i64 list_time
 *  80 n bytes list_source (no NUL)
 */
#define REP_RECORD_VERSION 1
#define REP_RECORD_FIXED 80
#define REP_RECORD_MAX (REP_RECORD_FIXED + REP_SOURCE_SIZE - 1)
#define REP_KEY_MAX REP_ID_SIZE /* type byte + identity without NUL */

/*
 * rep_record_encode() - @rec into @buf (>= REP_RECORD_MAX bytes).
 * Returns the encoded length.  list_source is cut at REP_SOURCE_SIZE - 1.
 */
size_t rep_record_encode(const struct rep_record *rec, uint8_t *buf);

/*
 * rep_record_decode() - @len bytes at @buf into @out (every field written).
 * Returns 0, or -SS_EPARSE for a short value or an unknown version.
 */
int rep_record_decode(const void *buf, size_t len, struct rep_record *out);

/*
 * rep_get() - copy the record of (@type, @id) into @out.
 * Returns 0, -SS_ENOTFOUND, or another negative code.
 */
int rep_get(struct rep *rep, enum rep_key_type type, const char *id, struct rep_record *out);

/*
 * rep_read_begin() / rep_read_end() - bracket many rep_get() calls in one
 * read transaction (bulk lookups, benchmarks).  Do not hold it across slow
 * work: an open read transaction pins old pages.
 */
int rep_read_begin(struct rep *rep);
void rep_read_end(struct rep *rep);

/* rep_put() - store @rec under (@type, @id) in the pending batch. */
int rep_put(struct rep *rep, enum rep_key_type type, const char *id, const struct rep_record *rec);

/* rep_del() - delete in the pending batch.  Returns 0 or -SS_ENOTFOUND. */
int rep_del(struct rep *rep, enum rep_key_type type, const char *id);

/* rep_flush() - commit the pending batch in one write transaction. */
int rep_flush(struct rep *rep);

/* rep_score_now() - @rec's score decayed to time @now. */
double rep_score_now(const struct rep *rep, const struct rep_record *rec, ss_time_us now);

struct rep_import_stats {
	uint64_t lines;
	uint64_t imported;
	uint64_t rejected;
	bool sorted_append; /* the whole input was in key order and used MDB_APPEND */
};

/*
 * rep_import() - import a list.  Format (docs/reputation.md): CSV lines
 *   subject,list[,source]
 * where subject is as for rep_key_parse(), list is black|gray|white; '#'
 * comments and a header line starting with "subject" are skipped.  Bad lines
 * are reported as "@name:line: reason", counted, and skipped.  Existing
 * records keep their score and history; only the list fields change.
 * Commits in batches.  Returns 0 or a negative code (I/O, LMDB).
 */
int rep_import(struct rep *rep, FILE *in, const char *name, const char *default_source,
	       struct rep_import_stats *stats);

/* rep_export() - every record as JSON Lines, in key order. */
int rep_export(struct rep *rep, FILE *out);

enum rep_export_format { REP_EXPORT_JSONL = 0, REP_EXPORT_CSV = 1 };

struct rep_export_filter {
	int type;		       /* enum rep_key_type, or 0 for every type */
	int list;		       /* enum rep_list, or -1 for every list */
	enum rep_export_format format; /* CSV: "subject,list,source", re-importable */
};

/*
 * rep_export_where() - rep_export() restricted by @filter (NULL = all, JSONL).
 * Flushes the pending batch first.  The scan restarts its read transaction
 * every few thousand records so a long export does not pin old pages; a
 * record written meanwhile may or may not appear.  Returns 0 or a negative
 * code (-EIO on a write error to @out).
 */
int rep_export_where(struct rep *rep, FILE *out, const struct rep_export_filter *filter);

/*
 * rep_record_json() - one record as a JSON object (no newline) into @buf;
 * the score is decayed to @now.  Returns the length or -SS_ETOOLONG.
 * @rep may be NULL (default half-life).  1024 bytes always suffice for
 * records with up to 64 known reasons of average length; use 4096.
 */
int rep_record_json(const struct rep *rep, enum rep_key_type type, const char *id,
		    const struct rep_record *rec, ss_time_us now, char *buf, size_t size);

/*
 * List generation: a counter stored beside the records (key "#list_generation",
 * a type byte no record uses) that every change of list membership bumps -
 * `rep import`, `rep set --list`, `rep del` - so a long-running engine in
 * another process notices new black/gray/white lists without a restart and
 * reloads only then (docs/reputation.md).
 */

/* rep_list_generation() - the current counter (0 when never bumped). */
int rep_list_generation(struct rep *rep, uint64_t *out);

/* rep_list_touch() - flush pending writes and bump the counter, durably. */
int rep_list_touch(struct rep *rep);

/*
 * rep_foreach_listed() - call @fn for every record on a list (black, gray or
 * white), in key order.  @fn returns 0 to go on, > 0 to stop, < 0 to fail.
 * Reads in chunks like rep_export_where(); flushes pending writes first.
 */
typedef int (*rep_listed_fn)(void *ctx, enum rep_key_type type, const char *id,
			     const struct rep_record *rec);
int rep_foreach_listed(struct rep *rep, rep_listed_fn fn, void *ctx);

/* rep_foreach_action() - the same for every record whose last action is @kind. */
int rep_foreach_action(struct rep *rep, enum rep_action_kind kind, rep_listed_fn fn, void *ctx);

struct rep_stats {
	uint64_t entries;
	uint64_t by_type[128];	 /* indexed by enum rep_key_type */
	uint64_t by_list[4];	 /* indexed by enum rep_list */
	uint64_t map_size;
	uint64_t used_bytes;
	unsigned depth;
};

int rep_stats(struct rep *rep, struct rep_stats *out);

/* ---- the durable outbox (rep/outbox.c, docs/provisioning.md) -------------
 *
 * Three more named databases in the same environment:
 *   "outbox"     BE u64 sequence number -> u64 action id, i64 queued_at
 *                (little-endian), the action's JSON (action.md, no newline)
 *   "outbox_id"  BE u64 action id -> u64 seq, i64 queued_at: the id index;
 *                an id found here is never enqueued again
 *   "delivery"   per-receiver cursors ("\x01c" name), parked entries
 *                ("\x01p" name NUL BE-seq), the next sequence number
 *                ("\x01n"), and control records under printable keys
 *                (rep_meta_*: breaker state, the release log)
 *
 * rep_outbox_put() and rep_meta_put() join the pending batch, so the next
 * rep_flush() commits them in the SAME write transaction as the reputation
 * changes batched with them: an action exists exactly when the record
 * change that caused it is committed.  Sequence numbers are assigned at
 * commit, in enqueue order, and never reused (the counter survives
 * trimming).  A receiver's cursor is the highest sequence number it has
 * acknowledged (or had parked); it moves only through
 * rep_delivery_commit(), in its own write transaction.
 */

#define REP_META_KEY_MAX 96  /* control record key, bytes */
#define REP_RECEIVER_NAME 32 /* receiver name incl. NUL */

struct rep_outbox_counters {
	uint64_t queued;     /* entries committed to the outbox by this handle */
	uint64_t duplicates; /* entries dropped at commit: id already in the index */
	uint64_t trimmed;    /* entries removed once every receiver had them */
};

/*
 * rep_group_begin() / rep_group_end() - bracket the writes of one decision
 * (an action and the record changes behind it): the batch does not flush by
 * itself (batch_limit) inside the bracket, so they are never split over two
 * transactions.  rep_group_end() flushes if the batch outgrew batch_limit;
 * returns 0 or the flush's error.  Brackets nest.
 */
void rep_group_begin(struct rep *rep);
int rep_group_end(struct rep *rep);

/*
 * rep_outbox_put() - enqueue an action (@json, @len bytes, copied) with
 * stable id @id in the pending batch.  At commit an @id already in the id
 * index (committed before, or earlier in the same batch) is dropped and
 * counted as a duplicate.  Returns 0, -EROFS or -ENOMEM.
 */
int rep_outbox_put(struct rep *rep, uint64_t id, ss_time_us queued_at, const char *json, size_t len);

struct rep_outbox_entry {
	uint64_t seq;
	uint64_t id;
	ss_time_us queued_at;
	const char *json; /* borrowed: valid during the callback only */
	size_t len;
};

typedef int (*rep_outbox_fn)(void *ctx, const struct rep_outbox_entry *e);

/*
 * rep_outbox_read() - call @fn for up to @max committed entries with
 * seq > @after, in sequence order (never the pending batch), inside one
 * short read transaction.  @fn returns 0 to go on, > 0 to stop, < 0 to
 * fail.  Returns the number of entries visited or a negative code.
 */
int rep_outbox_read(struct rep *rep, uint64_t after, size_t max, rep_outbox_fn fn, void *ctx);

/* rep_outbox_last() - the highest sequence number ever committed (0: none). */
int rep_outbox_last(struct rep *rep, uint64_t *seq);

/* rep_outbox_lookup() - the id index: *@seq of @id; 0 or -SS_ENOTFOUND. */
int rep_outbox_lookup(struct rep *rep, uint64_t id, uint64_t *seq);

struct rep_outbox_info {
	uint64_t entries;  /* entries still stored */
	uint64_t ids;	   /* ids in the index */
	uint64_t first;	   /* lowest stored seq (0: empty) */
	uint64_t last;	   /* highest seq ever committed */
	uint64_t parked;   /* parked entries, all receivers */
};

int rep_outbox_info(struct rep *rep, struct rep_outbox_info *out);

const struct rep_outbox_counters *rep_outbox_counters(const struct rep *rep);

/*
 * rep_cursor_get() - @receiver's cursor; 0 or -SS_ENOTFOUND.
 * rep_cursor_init() - the existing cursor, or a new one at the current end
 * of the outbox, committed at once (a receiver configured later does not
 * receive the history; one that restarts continues where it was).
 */
int rep_cursor_get(struct rep *rep, const char *receiver, uint64_t *seq);
int rep_cursor_init(struct rep *rep, const char *receiver, uint64_t *seq);

/* A parked entry: refused for good by a receiver, kept with the reason. */
struct rep_park {
	uint64_t seq;
	uint64_t id;
	ss_time_us queued_at;
	ss_time_us parked_at;
	const char *why;  /* borrowed */
	const char *json; /* borrowed */
	size_t len;
};

/*
 * rep_delivery_commit() - in one write transaction of its own: set
 * @receiver's cursor to @cursor, park @parked[0..@n), and when @trim_upto
 * is non-zero delete outbox entries with seq <= @trim_upto (the id index
 * keeps their ids).  Returns 0 or a negative code (nothing changed).
 */
int rep_delivery_commit(struct rep *rep, const char *receiver, uint64_t cursor,
			const struct rep_park *parked, size_t n, uint64_t trim_upto);

typedef int (*rep_cursor_fn)(void *ctx, const char *receiver, uint64_t seq);
typedef int (*rep_parked_fn)(void *ctx, const char *receiver, const struct rep_park *p);

/* Every cursor / parked entry (of @receiver, or all when NULL), in key order. */
int rep_cursor_foreach(struct rep *rep, rep_cursor_fn fn, void *ctx);
int rep_parked_foreach(struct rep *rep, const char *receiver, rep_parked_fn fn, void *ctx);

/*
 * rep_outbox_trim_ids() - forget ids queued before @older_than (and
 * release-log entries, "release/..." control records, as old), so the
 * index does not grow forever.  *@removed (may be NULL) counts them.
 */
int rep_outbox_trim_ids(struct rep *rep, ss_time_us older_than, uint64_t *removed);

/*
 * Control records: small values under printable keys in "delivery"
 * (breaker state, release log).  rep_meta_put()/rep_meta_del() join the
 * batch (same transaction as the records); rep_meta_get() reads the batch
 * first, then the committed value: 0 with *@len set (the value cut to
 * @size), or -SS_ENOTFOUND.  rep_meta_scan() visits committed keys that
 * start with @prefix and sort after @after (NULL: all), in key order.
 */
int rep_meta_put(struct rep *rep, const void *key, size_t klen, const void *val, size_t len);
int rep_meta_del(struct rep *rep, const void *key, size_t klen);
int rep_meta_get(struct rep *rep, const void *key, size_t klen, void *buf, size_t size, size_t *len);
typedef int (*rep_meta_fn)(void *ctx, const uint8_t *key, size_t klen, const void *val, size_t len);
int rep_meta_scan(struct rep *rep, const char *prefix, const void *after, size_t after_len,
		  rep_meta_fn fn, void *ctx);

/* Big-endian u64 helpers for keys. */
void rep_be64_put(uint8_t *p, uint64_t v);
uint64_t rep_be64_get(const uint8_t *p);

/* Testing: make the next @n flushes fail (-EIO) after writing everything. */
void rep_test_fail_flushes(struct rep *rep, int n);

#endif
