/*
 * follow.c - follow a growing, rotating file like `tail -F` (see follow.h).
 *
 * State machine per follower:
 *   closed  --open ok-->  reading  --EOF, path names another inode-->  ended(reopen)
 *                           |      --EOF, size < offset-------------->  ended(rewind)
 *   ended: the consumer drains the buffer; the next poll reads the old
 *   descriptor once more (a writer may have appended since) and, when
 *   nothing came, switches: reopen the path, or seek to 0, as a new
 *   generation.
 * Regular files only in practice; a FIFO also works (opened non-blocking;
 * it never rotates).
 */
#include "ingest/follow.h"

#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum follow_next { NEXT_NONE, NEXT_REOPEN, NEXT_REWIND };

struct follow {
	char *path;
	int fd;
	dev_t dev;
	ino_t ino;
	off_t off; /* bytes read from the current file */
	uint64_t gen;
	char *buf;
	size_t cap, start, end;
	bool ended;
	enum follow_next next;
	int last_errno; /* the failure logged last: each kind is logged once */
	bool waiting_logged;
	bool quiet;
	struct follow_counters c;
};

#define follow_log(f, level, ...)                  \
	do {                                       \
		if (!(f)->quiet)                   \
			ss_log(level, __VA_ARGS__); \
	} while (0)

int follow_open(const char *path, const struct follow_options *opt, struct follow **out)
{
	size_t cap = opt && opt->buf_size ? opt->buf_size : FOLLOW_DEFAULT_BUF;

	*out = NULL;
	if (!path || !*path)
		return -EINVAL;
	if (cap < 64)
		cap = 64;
	struct follow *f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->path = strdup(path);
	f->buf = malloc(cap);
	if (!f->path || !f->buf) {
		free(f->path);
		free(f->buf);
		free(f);
		return -ENOMEM;
	}
	f->fd = -1;
	f->cap = cap;
	f->quiet = opt && opt->quiet;
	*out = f;
	return 0;
}

void follow_close(struct follow *f)
{
	if (!f)
		return;
	if (f->fd >= 0)
		close(f->fd);
	free(f->buf);
	free(f->path);
	free(f);
}

/* fail() - count a failure; log it unless the same kind was the last one logged. */
static void fail(struct follow *f, int err, const char *what)
{
	f->c.errors++;
	if (err != f->last_errno)
		follow_log(f, SS_LOG_ERROR, "%s: %s: %s (retrying)", f->path, what, strerror(err));
	f->last_errno = err;
}

/* try_open() - open the path as a new generation.  1 opened, 0 not (yet). */
static int try_open(struct follow *f)
{
	int fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT) {
			if (!f->waiting_logged)
				follow_log(f, SS_LOG_INFO, "%s: does not exist (yet); waiting for it", f->path);
			f->waiting_logged = true;
			f->last_errno = 0;
		} else {
			fail(f, errno, "cannot open");
		}
		return 0;
	}
	struct stat st;
	if (fstat(fd, &st) < 0) {
		fail(f, errno, "fstat");
		close(fd);
		return 0;
	}
	if (S_ISDIR(st.st_mode)) {
		fail(f, EISDIR, "cannot follow");
		close(fd);
		return 0;
	}
	f->fd = fd;
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	f->off = 0;
	f->gen++;
	f->c.opens++;
	f->waiting_logged = false;
	f->last_errno = 0;
	follow_log(f, SS_LOG_INFO, "%s: %s", f->path, f->c.opens > 1 ? "reopened (new file)" : "following");
	return 1;
}

/*
 * read_more() - read into the buffer until it is full, the file ends or no
 * data is waiting.  Returns bytes read, with *@eof set when read() said end
 * of file; -1 on a read error (logged).
 */
static ssize_t read_more(struct follow *f, bool *eof)
{
	ssize_t total = 0;

	*eof = false;
	if (f->start > 0) {
		memmove(f->buf, f->buf + f->start, f->end - f->start);
		f->end -= f->start;
		f->start = 0;
	}
	while (f->end < f->cap) {
		ssize_t n = read(f->fd, f->buf + f->end, f->cap - f->end);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break; /* a FIFO with nothing waiting */
			fail(f, errno, "read");
			return -1;
		}
		if (n == 0) {
			*eof = true;
			break;
		}
		f->end += (size_t)n;
		f->off += n;
		f->c.bytes += (uint64_t)n;
		total += n;
	}
	if (total > 0)
		f->last_errno = 0;
	return total;
}

/* end_generation() - the current file is finished; switch once it is consumed. */
static void end_generation(struct follow *f, enum follow_next next)
{
	f->ended = true;
	f->next = next;
	if (f->end > f->start && f->buf[f->end - 1] != '\n')
		f->c.unterminated++;
}

/* check_replaced() - at end of file: truncated, or the path renamed away? */
static void check_replaced(struct follow *f)
{
	struct stat st, ps;

	if (fstat(f->fd, &st) < 0) {
		fail(f, errno, "fstat");
		return;
	}
	if (S_ISREG(st.st_mode) && st.st_size < f->off) {
		f->c.truncations++;
		follow_log(f, SS_LOG_WARN, "%s: truncated (%lld < %lld bytes read): reading it from the start",
			   f->path, (long long)st.st_size, (long long)f->off);
		end_generation(f, NEXT_REWIND);
		return;
	}
	if (stat(f->path, &ps) < 0) {
		if (errno != ENOENT)
			fail(f, errno, "stat");
		/* Renamed away and not recreated yet: keep reading the old file. */
		return;
	}
	if (ps.st_ino != f->ino || ps.st_dev != f->dev) {
		f->c.rotations++;
		follow_log(f, SS_LOG_INFO, "%s: rotated (the path names a new file); finishing the old one",
			   f->path);
		end_generation(f, NEXT_REOPEN);
	}
}

int follow_poll(struct follow *f)
{
	int changed = 0;
	bool eof;

	if (f->ended) {
		if (f->end > f->start)
			return 0; /* the consumer has not finished the old generation */
		/* A writer may have appended to the old file since we saw its end. */
		if (f->next == NEXT_REOPEN) {
			ssize_t n = read_more(f, &eof);
			if (n > 0) {
				if (f->buf[f->end - 1] != '\n')
					f->c.unterminated++;
				return 1;
			}
		}
		f->ended = false;
		if (f->next == NEXT_REWIND) {
			if (lseek(f->fd, 0, SEEK_SET) < 0) {
				fail(f, errno, "seek");
				close(f->fd);
				f->fd = -1;
			} else {
				f->off = 0;
				f->gen++;
			}
		} else {
			close(f->fd);
			f->fd = -1;
		}
		f->next = NEXT_NONE;
		changed = 1;
	}
	if (f->fd < 0) {
		if (!try_open(f))
			return changed;
		changed = 1;
	}
	ssize_t n = read_more(f, &eof);
	if (n < 0) {
		/* A read error on an open file: start over from the path. */
		end_generation(f, NEXT_REOPEN);
		return 1;
	}
	if (n > 0)
		changed = 1;
	if (eof) {
		check_replaced(f);
		if (f->ended)
			changed = 1;
	}
	return changed;
}

uint64_t follow_peek(const struct follow *f, const char **data, size_t *len)
{
	size_t avail = f->end - f->start;

	*data = f->buf + f->start;
	*len = 0;
	if (avail == 0)
		return f->gen;
	if (f->ended || avail == f->cap) {
		*len = avail;
	} else {
		const char *nl = memrchr(f->buf + f->start, '\n', avail);
		if (nl)
			*len = (size_t)(nl - (f->buf + f->start)) + 1;
	}
	return f->gen;
}

void follow_consume(struct follow *f, size_t n)
{
	if (n > f->end - f->start)
		n = f->end - f->start;
	f->start += n;
	if (f->start == f->end)
		f->start = f->end = 0;
}

bool follow_ended(const struct follow *f)
{
	return f->ended;
}

bool follow_is_open(const struct follow *f)
{
	return f->fd >= 0;
}

const char *follow_path(const struct follow *f)
{
	return f->path;
}

void follow_get_counters(const struct follow *f, struct follow_counters *c)
{
	*c = f->c;
}
