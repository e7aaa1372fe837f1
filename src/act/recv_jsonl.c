/*
 * recv_jsonl.c - the JSON Lines receiver: actions appended to a file (or
 * standard output), one line each, exactly as action.md writes them
 * (docs/provisioning.md, "JSON Lines receiver").
 *
 * A batch is written with as few write(2) calls as possible, in whole
 * lines, so a reader tailing the file never sees half an action; the
 * batch is acknowledged once written (and fsynced, per `fsync`).  When a
 * write fails part-way, the lines written whole are acknowledged and the
 * rest retried, so a full disk delays actions but never loses or splits
 * them.  A receiver that de-duplicates reads the `id` of each line.
 *
 * [sink.<name>]  type = jsonl
 *   path   = FILE | -        required ("-" = standard output)
 *   fsync  = never | batch | always   (default batch)
 *   append = true | false    (default true; false truncates at start)
 *   batch  = N               lines per send (default 1000)
 */
#include "act/act.h"
#include "act/deliver.h"

#include "core/err.h"
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define JSONL_DEFAULT_BATCH 1000

struct jsonl_recv {
	struct act_receiver base;
	char *path; /* NULL = standard output */
	int fd;
	enum act_fsync_policy fsync_policy;
	char *buf;
	size_t cap;
};

static int open_fd(const char *path, bool append)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0640);
	if (fd < 0)
		return -errno;
	if (!append) {
		/* Later reopen()s append: only the first open truncates. */
		int fl = fcntl(fd, F_GETFL);
		if (fl >= 0)
			(void)fcntl(fd, F_SETFL, fl | O_APPEND);
	}
	return fd;
}

/* Write @n bytes; *@done receives how many were written before an error. */
static int write_all(int fd, const char *p, size_t n, size_t *done)
{
	*done = 0;
	while (*done < n) {
		ssize_t w = write(fd, p + *done, n - *done);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		*done += (size_t)w;
	}
	return 0;
}

static int sync_fd(int fd)
{
	/* A pipe or a terminal cannot be fsynced: nothing to make durable there. */
	if (fsync(fd) < 0 && errno != EINVAL && errno != EROFS)
		return -errno;
	return 0;
}

static int jsonl_send(struct act_receiver *base, const struct act_delivery *d, size_t n, enum act_result *result,
		      char *why, size_t why_size)
{
	struct jsonl_recv *j = (struct jsonl_recv *)base;
	size_t need = 0, done = 0, acked = 0;
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		need += d[i].len + 1;
		result[i] = ACT_RETRY;
	}
	if (need > j->cap) {
		char *b = realloc(j->buf, need);
		if (!b) {
			snprintf(why, why_size, "out of memory");
			return -ENOMEM;
		}
		j->buf = b;
		j->cap = need;
	}
	if (j->fsync_policy == ACT_FSYNC_ALWAYS) {
		for (size_t i = 0; i < n && rc == 0; i++) {
			memcpy(j->buf, d[i].json, d[i].len);
			j->buf[d[i].len] = '\n';
			rc = write_all(j->fd, j->buf, d[i].len + 1, &done);
			if (rc == 0)
				rc = sync_fd(j->fd);
			if (rc == 0)
				result[acked++] = ACT_DELIVERED;
		}
	} else {
		size_t off = 0;
		for (size_t i = 0; i < n; i++) {
			memcpy(j->buf + off, d[i].json, d[i].len);
			j->buf[off + d[i].len] = '\n';
			off += d[i].len + 1;
		}
		rc = write_all(j->fd, j->buf, off, &done);
		if (rc == 0 && j->fsync_policy == ACT_FSYNC_BATCH)
			rc = sync_fd(j->fd);
		/* Acknowledge the lines that reached the file whole. */
		size_t pos = 0;
		for (size_t i = 0; i < n; i++) {
			pos += d[i].len + 1;
			if (pos > done || (rc < 0 && done == off))
				break; /* written but not synced: retried (same id) */
			result[acked++] = ACT_DELIVERED;
		}
	}
	if (rc < 0) {
		snprintf(why, why_size, "%s: %s", j->path ? j->path : "<stdout>", strerror(-rc));
		if (acked == 0)
			return rc;
	}
	return 0;
}

static void jsonl_close(struct act_receiver *base)
{
	struct jsonl_recv *j = (struct jsonl_recv *)base;

	if (j->path && j->fd >= 0 && close(j->fd) < 0)
		ss_error("sink %s: close %s: %s", base->name, j->path, strerror(errno));
	free(j->path);
	free(j->buf);
	free(j);
}

static int jsonl_reopen(struct act_receiver *base)
{
	struct jsonl_recv *j = (struct jsonl_recv *)base;

	if (!j->path)
		return 0;
	int fd = open_fd(j->path, true);
	if (fd < 0)
		return fd;
	close(j->fd);
	j->fd = fd;
	return 0;
}

static const struct act_receiver_ops jsonl_ops = {
	.type = "jsonl",
	.send = jsonl_send,
	.close = jsonl_close,
	.reopen = jsonl_reopen,
};

static int jsonl_new(const char *name, const char *path, enum act_fsync_policy fsync_policy, bool append,
		     size_t batch, struct act_receiver **out)
{
	struct jsonl_recv *j = calloc(1, sizeof(*j));

	*out = NULL;
	if (!j)
		return -ENOMEM;
	j->base.ops = &jsonl_ops;
	snprintf(j->base.name, sizeof(j->base.name), "%s", name);
	j->base.max_batch = batch;
	j->fsync_policy = fsync_policy;
	if (strcmp(path, "-") == 0) {
		j->fd = STDOUT_FILENO;
	} else {
		j->path = strdup(path);
		if (!j->path) {
			free(j);
			return -ENOMEM;
		}
		j->fd = open_fd(path, append);
		if (j->fd < 0) {
			int rc = j->fd;
			ss_error("sink %s: %s: %s", name, path, ss_strerror(rc));
			free(j->path);
			free(j);
			return rc;
		}
	}
	*out = &j->base;
	return 0;
}

int act_receiver_jsonl_open_path(const char *name, const char *path, int fsync_policy, bool append,
				 struct act_receiver **out)
{
	return jsonl_new(name, path, (enum act_fsync_policy)fsync_policy, append, JSONL_DEFAULT_BATCH, out);
}

int act_receiver_jsonl_open(const struct ss_config *cfg, const char *name, struct act_receiver **out)
{
	char sec[96];
	const char *path = NULL, *fsync_s = NULL;
	bool append;
	int64_t batch;
	enum act_fsync_policy fp;
	int rc;

	*out = NULL;
	snprintf(sec, sizeof(sec), "sink.%s", name);
	if ((rc = ss_config_string(cfg, sec, "path", NULL, &path)) < 0 ||
	    (rc = ss_config_string(cfg, sec, "fsync", "batch", &fsync_s)) < 0 ||
	    (rc = ss_config_bool(cfg, sec, "append", true, &append)) < 0 ||
	    (rc = ss_config_int(cfg, sec, "batch", JSONL_DEFAULT_BATCH, 1, 100000, &batch)) < 0)
		return rc;
	if (!path || !*path) {
		ss_error("%s: [%s] path: required for a jsonl receiver (a file, or - for standard output)",
			 ss_config_path(cfg), sec);
		return -SS_EMISSING;
	}
	if (!strcmp(fsync_s, "never"))
		fp = ACT_FSYNC_NEVER;
	else if (!strcmp(fsync_s, "batch"))
		fp = ACT_FSYNC_BATCH;
	else if (!strcmp(fsync_s, "always"))
		fp = ACT_FSYNC_ALWAYS;
	else {
		ss_error("%s: %s.fsync = '%s': expected never, batch or always", ss_config_path(cfg), sec, fsync_s);
		return -SS_ECONFIG;
	}
	return jsonl_new(name, path, fp, append, (size_t)batch, out);
}

int act_receiver_open(const struct ss_config *cfg, const char *name, struct act_receiver **out)
{
	char sec[96];
	const char *type = NULL;
	int rc;

	*out = NULL;
	if (strlen(name) >= sizeof((*out)->name)) {
		ss_error("%s: [sink.%s]: receiver names are at most %zu characters", ss_config_path(cfg), name,
			 sizeof((*out)->name) - 1);
		return -SS_ECONFIG;
	}
	snprintf(sec, sizeof(sec), "sink.%s", name);
	if ((rc = ss_config_string(cfg, sec, "type", NULL, &type)) < 0)
		return rc;
	if (!type) {
		ss_error("%s: [%s] type: required (jsonl, webhook, hlr or exec)", ss_config_path(cfg), sec);
		return -SS_EMISSING;
	}
	if (!strcmp(type, "jsonl"))
		return act_receiver_jsonl_open(cfg, name, out);
	if (!strcmp(type, "webhook"))
		return act_receiver_webhook_open(cfg, name, out);
	if (!strcmp(type, "hlr"))
		return act_receiver_hlr_open(cfg, name, out);
	if (!strcmp(type, "exec"))
		return act_receiver_exec_open(cfg, name, out);
	ss_error("%s: %s.type = '%s': expected jsonl, webhook, hlr or exec", ss_config_path(cfg), sec, type);
	return -SS_ECONFIG;
}

void act_receiver_close(struct act_receiver *r)
{
	if (r)
		r->ops->close(r);
}
