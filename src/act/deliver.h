/*
 * deliver.h - delivering actions to the operator's provisioning systems.
 *
 * The path of a decision (docs/provisioning.md):
 *
 *   engine --(same LMDB write txn as the reputation change)--> outbox
 *   outbox --(dispatcher, per receiver: cursor, retries, backoff)--> receiver
 *
 * The outbox (rep/ + act/dispatch) is durable: an action exists once its
 * reputation change is committed, and a receiver's cursor advances only
 * after that receiver acknowledged.  kill -9 at any point and restart: no
 * action lost; an action may be offered again only if the crash fell
 * between the receiver's acknowledgement and the cursor commit, and it then
 * carries the same stable id, so a receiver that de-duplicates on `id` sees
 * it once.
 *
 * A receiver is one kind of provisioning system (webhook, osmo-hlr CTRL,
 * an exec hook, a JSON Lines file).  Receivers only transport: batching
 * limits, retry timing, parking and cursors belong to the dispatcher.
 */
#ifndef SS_ACT_DELIVER_H
#define SS_ACT_DELIVER_H

#include "core/config.h"
#include "core/time.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct act_delivery {
	uint64_t seq;	      /* outbox sequence number: commit order */
	uint64_t id;	      /* the action's stable id (receivers de-duplicate on it) */
	const char *json;     /* the action, action.md JSON, no newline; borrowed */
	size_t len;
	ss_time_us queued_at; /* wall clock when it was committed to the outbox */
};

enum act_result {
	ACT_DELIVERED = 0, /* acknowledged by the receiver */
	ACT_RETRY = 1,	   /* not now (receiver down, 5xx, timeout): offer again later */
	ACT_REJECTED = 2,  /* refused for good (4xx, bad subject): parked and reported */
};

#define ACT_WHY_SIZE 200

struct act_receiver;

struct act_receiver_ops {
	const char *type; /* "jsonl", "webhook", "hlr", "exec" */
	/*
	 * send() - deliver d[0..n) (n <= max_batch), in order.  Fills
	 * result[i] for every entry; once an entry is ACT_RETRY every later
	 * one must be too (order is kept).  @why receives a short reason for
	 * the first non-delivered entry.  Returns 0, or a negative code when
	 * the receiver could not be reached at all (then all are ACT_RETRY).
	 * May block up to the receiver's configured timeout.
	 */
	int (*send)(struct act_receiver *r, const struct act_delivery *d, size_t n, enum act_result *result,
		    char *why, size_t why_size);
	void (*close)(struct act_receiver *r);
	/*
	 * reopen() - optional (NULL: nothing to do): re-open what a SIGHUP
	 * should re-open, e.g. a JSON Lines file renamed by log rotation.
	 * Never called while a send() runs.  0 or a negative code (logged by
	 * the caller; the receiver keeps working on what it had).
	 */
	int (*reopen)(struct act_receiver *r);
};

struct act_receiver {
	const struct act_receiver_ops *ops;
	char name[32];	  /* the config section's name: [sink.<name>] */
	size_t max_batch; /* most entries per send() */
};

/*
 * Constructors: read [sink.<name>] from @cfg (keys per type in
 * docs/provisioning.md; unknown keys are errors via the config's usual
 * checks).  0 or a negative code with a file:line message logged.
 */
int act_receiver_jsonl_open(const struct ss_config *cfg, const char *name, struct act_receiver **out);
int act_receiver_webhook_open(const struct ss_config *cfg, const char *name, struct act_receiver **out);
int act_receiver_hlr_open(const struct ss_config *cfg, const char *name, struct act_receiver **out);
int act_receiver_exec_open(const struct ss_config *cfg, const char *name, struct act_receiver **out);

/*
 * act_receiver_jsonl_open_path() - a JSON Lines receiver without a
 * configuration section (replay --actions, [run] actions): @path ("-" =
 * standard output), truncated unless @append.  @fsync_policy is an enum
 * act_fsync_policy (act/act.h): 0 never, 1 after every send(), 2 after
 * every line.
 */
int act_receiver_jsonl_open_path(const char *name, const char *path, int fsync_policy, bool append,
				 struct act_receiver **out);

/*
 * act_receiver_open() - by the section's `type` key: jsonl, webhook, hlr,
 * exec.  The dispatcher's own keys in the section (retry_min, retry_max,
 * max_attempts) are read by act_dispatch_configure() (act/dispatch.h).
 */
int act_receiver_open(const struct ss_config *cfg, const char *name, struct act_receiver **out);

void act_receiver_close(struct act_receiver *r); /* accepts NULL */

#endif
