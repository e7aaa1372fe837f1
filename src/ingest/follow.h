/*
 * follow.h - follow a growing file the way `tail -F` does (the daemon's
 * CDR and activation feeds).
 *
 * A follower reads its file from the start to the end, then, each time it
 * is polled, reads what was appended.  It notices when the path is
 * replaced (rotation by rename: the path names another inode) or the file
 * shrinks below what was read (truncation, copytruncate), finishes the old
 * file and starts the new one from its beginning.  A path that does not
 * exist yet is waited for.  Nothing blocks: the caller polls on a timer.
 *
 * Data is handed out in *generations*: one generation per file opened (and
 * one more after each truncation).  follow_peek() gives complete lines of the
 * current generation only - a partial last line is held until its newline
 * arrives - except when the generation has ended (the file was rotated or
 * truncated), when its unterminated tail is given too.  The next generation
 * starts only once the caller has consumed everything of the current one,
 * so a consumer that parses a header per file (CSV) resets exactly at the
 * file boundary.
 *
 * Limits: truncation is recognised by size, so a file truncated and
 * refilled beyond the old size between two polls is read on from the old
 * offset.  A rotated file is read to its end before the new one is opened;
 * lines a writer adds to the old file after that are not seen.  A deleted
 * file that is not recreated stays open (tail -F does the same).
 *
 * Ownership: the follower owns its descriptor and one read buffer.
 * follow_peek() returns a view into that buffer, valid until the next
 * follow_poll(), follow_consume() or follow_close().
 */
#ifndef SS_INGEST_FOLLOW_H
#define SS_INGEST_FOLLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FOLLOW_DEFAULT_BUF (256u * 1024u)

struct follow_options {
	size_t buf_size; /* bytes read ahead of the consumer; 0 = FOLLOW_DEFAULT_BUF, min 64 */
	bool quiet;	 /* no log messages (tests) */
};

struct follow_counters {
	uint64_t bytes;	       /* bytes read from files */
	uint64_t opens;	       /* files opened: the first and every one after a rotation */
	uint64_t rotations;    /* the path named a new file */
	uint64_t truncations;  /* the file shrank below what was read */
	uint64_t unterminated; /* generations that ended in a line without a newline */
	uint64_t errors;       /* open/read/stat failures (each retried on the next poll) */
};

struct follow;

/*
 * follow_open() - follow @path (copied).  The file need not exist yet.
 * Returns 0 or -ENOMEM / -EINVAL; opening the file itself happens in
 * follow_poll().
 */
int follow_open(const char *path, const struct follow_options *opt, struct follow **out);

/*
 * follow_poll() - open the file if it is not open, read what was appended
 * (as much as the buffer takes), and check for rotation and truncation.
 * Returns 1 when something changed (bytes read, a file opened or a
 * generation ended), 0 when not.  Failures are logged once per kind,
 * counted, and retried on the next poll; they never end the follower.
 */
int follow_poll(struct follow *f);

/*
 * follow_peek() - the data of the current generation ready for the
 * consumer: complete lines (or, when the generation has ended, everything;
 * or, when one line fills the whole buffer, that much of it).  Sets
 * *@data and *@len (len 0 = nothing ready) and returns the generation number
 * (0 = no file opened yet, then 1, 2, ...).
 */
uint64_t follow_peek(const struct follow *f, const char **data, size_t *len);

/* follow_consume() - drop @n bytes from the front of what follow_peek() gave. */
void follow_consume(struct follow *f, size_t n);

/*
 * follow_ended() - the current generation has ended (rotation or
 * truncation seen): once its data is consumed, the next follow_poll()
 * starts the next generation.
 */
bool follow_ended(const struct follow *f);

/* follow_is_open() - a file is open (false while waiting for it to appear). */
bool follow_is_open(const struct follow *f);

const char *follow_path(const struct follow *f);
void follow_get_counters(const struct follow *f, struct follow_counters *c);

/* follow_close() - close and free.  Accepts NULL. */
void follow_close(struct follow *f);

#endif
