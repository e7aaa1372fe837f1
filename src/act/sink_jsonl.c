/*
 * sink_jsonl.c - actions as JSON Lines to a file or stdout (action.md).
 *
 * Lines are assembled in a buffer and written with write(2) in whole lines,
 * so a reader tailing the file never sees half an action, and a crash loses
 * at most what was not yet flushed (ACT_FSYNC_ALWAYS flushes and fsyncs
 * every action; the durable outbox of the provisioning path builds on top).
 */
#include "act/act.h"

#include "core/err.h"
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define JSONL_BUFFER (64 * 1024)

struct jsonl_sink {
	struct act_sink base;
	int fd;
	bool owns_fd;
	enum act_fsync_policy fsync_policy;
	size_t len;
	char buf[JSONL_BUFFER];
};

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int jsonl_drain(struct jsonl_sink *s)
{
	int rc = write_all(s->fd, s->buf, s->len);
	s->len = 0;
	return rc;
}

static int jsonl_flush(struct act_sink *base)
{
	struct jsonl_sink *s = (struct jsonl_sink *)base;
	int rc = jsonl_drain(s);
	/* fsync on a pipe or tty fails with EINVAL: nothing to make durable there. */
	if (rc == 0 && s->fsync_policy != ACT_FSYNC_NEVER && fsync(s->fd) < 0 && errno != EINVAL)
		rc = -errno;
	return rc;
}

static int jsonl_write(struct act_sink *base, const struct act_action *a, const char *json, size_t len)
{
	struct jsonl_sink *s = (struct jsonl_sink *)base;
	int rc = 0;

	(void)a;
	if (s->len + len + 1 > sizeof(s->buf)) {
		rc = jsonl_drain(s);
		if (rc < 0)
			return rc;
	}
	if (len + 1 > sizeof(s->buf)) {
		rc = write_all(s->fd, json, len);
		if (rc == 0)
			rc = write_all(s->fd, "\n", 1);
	} else {
		memcpy(s->buf + s->len, json, len);
		s->buf[s->len + len] = '\n';
		s->len += len + 1;
	}
	if (rc == 0 && s->fsync_policy == ACT_FSYNC_ALWAYS)
		rc = jsonl_flush(base);
	return rc;
}

static void jsonl_close(struct act_sink *base)
{
	struct jsonl_sink *s = (struct jsonl_sink *)base;
	int rc = jsonl_flush(base);
	if (rc < 0)
		ss_error("%s: %s", base->name, ss_strerror(rc));
	if (s->owns_fd && close(s->fd) < 0)
		ss_error("%s: close: %s", base->name, strerror(errno));
	free((char *)base->name);
	free(s);
}

static const struct act_sink_ops jsonl_ops = {
	.write = jsonl_write,
	.flush = jsonl_flush,
	.close = jsonl_close,
};

int act_sink_jsonl_open(const char *path, enum act_fsync_policy fsync_policy, bool append,
			struct act_sink **out)
{
	struct jsonl_sink *s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	if (strcmp(path, "-") == 0) {
		s->fd = STDOUT_FILENO;
		s->owns_fd = false;
	} else {
		s->fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0640);
		if (s->fd < 0) {
			int rc = -errno;
			ss_error("%s: %s", path, strerror(errno));
			free(s);
			return rc;
		}
		s->owns_fd = true;
	}
	s->base.ops = &jsonl_ops;
	s->base.name = strdup(strcmp(path, "-") == 0 ? "<stdout>" : path);
	if (!s->base.name) {
		if (s->owns_fd)
			close(s->fd);
		free(s);
		return -ENOMEM;
	}
	s->fsync_policy = fsync_policy;
	*out = &s->base;
	return 0;
}

int act_sink_write(struct act_sink *s, const struct act_action *a)
{
	char json[8192];
	int n = act_action_json(a, json, sizeof(json));
	if (n < 0)
		return n;
	int rc = s->ops->write(s, a, json, (size_t)n);
	if (rc < 0)
		s->failed++;
	else
		s->written++;
	return rc;
}

int act_sink_flush(struct act_sink *s)
{
	return s->ops->flush(s);
}

void act_sink_close(struct act_sink *s)
{
	if (s)
		s->ops->close(s);
}
