/*
 * compile.c - a signature set's regexes -> one Vectorscan block-mode
 * database (hs_compile_multi; expression id = signature index).
 *
 * Flags: HS_FLAG_SINGLEMATCH (a signature counts once per message, and
 * Vectorscan stops tracking it after its first match) and HS_FLAG_DOTALL.
 * Not HS_FLAG_UTF8: patterns are written as bytes (parse.c), and a bounded
 * gap of N characters is (?:[\x00-\x7f\xc0-\xff][\x80-\xbf]*){0,N} - one
 * non-continuation byte and its continuation bytes, i.e. exactly one code
 * point of valid UTF-8.  Measured on 1,000 generated signatures (two or
 * three words, half the joints gaps) against the UTF-8-mode `.{0,N}`:
 * N = 12: compile 1.5-2.0 s vs 4.0-4.8 s, database 1.1 vs 3.4 MiB, scan
 * about 1.4x faster; N = 40: 4.7 s vs 23 s, 1.4 vs 4.3 MiB.  Byte mode also
 * has defined behaviour on any input, where UTF-8 mode requires valid
 * UTF-8.  HS_FLAG_ALLOWEMPTY is never set: no pattern can match empty.
 */
#include "sig/sig_internal.h"

#include "core/err.h"
#include "core/hash.h"
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * The compiled-database cache.  Compiling a full set takes Vectorscan
 * 20 s or more (the bounded gaps dominate), which a replay or a daemon
 * reload should not pay each time: the database is serialised
 * (hs_serialize_database) to a file named by a hash of everything that
 * determines it - every regex with its flags and id, the mode and the
 * Vectorscan version - and later loads deserialise it (milliseconds).  A
 * stale or corrupt file just fails to deserialise (or hashes differently)
 * and is replaced by a fresh compile.  The directory is
 * $SIMSIEVE_CACHE_DIR, else $XDG_CACHE_HOME/simsieve, else
 * $HOME/.cache/simsieve, else /tmp/simsieve-cache-<uid>; SIMSIEVE_CACHE_DIR
 * set to "off" disables it.  Writes are atomic (temporary file + rename).
 */
static int cache_dir(char *out, size_t size)
{
	const char *d = getenv("SIMSIEVE_CACHE_DIR");
	int n;

	if (d && strcmp(d, "off") == 0)
		return -1;
	if (d && *d)
		n = snprintf(out, size, "%s", d);
	else if ((d = getenv("XDG_CACHE_HOME")) && *d)
		n = snprintf(out, size, "%s/simsieve", d);
	else if ((d = getenv("HOME")) && *d)
		n = snprintf(out, size, "%s/.cache/simsieve", d);
	else
		n = snprintf(out, size, "/tmp/simsieve-cache-%u", (unsigned)getuid());
	if (n <= 0 || (size_t)n >= size)
		return -1;
	/* mkdir -p of at most the last two components (…/.cache/simsieve). */
	char parent[4096];
	snprintf(parent, sizeof(parent), "%s", out);
	char *slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		mkdir(parent, 0700);
	}
	if (mkdir(out, 0700) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

static uint64_t set_fingerprint(const struct sig_set *set)
{
	uint64_t h = ss_hash_str(hs_version(), UINT64_C(0x5165c0de));
	for (size_t i = 0; i < set->n_sig; i++) {
		h = ss_hash_str(set->sig[i].regex, h ^ (uint64_t)i);
		h = ss_hash_mix(h + (HS_FLAG_SINGLEMATCH | HS_FLAG_DOTALL) + HS_MODE_BLOCK);
	}
	return h ^ set->n_sig;
}

static int cache_path(const struct sig_set *set, char *out, size_t size)
{
	char dir[4000];
	if (cache_dir(dir, sizeof(dir)) != 0)
		return -1;
	int n = snprintf(out, size, "%s/sig-%016" PRIx64 ".hsdb", dir, set_fingerprint(set));
	return n > 0 && (size_t)n < size ? 0 : -1;
}

static hs_database_t *cache_load(const char *path)
{
	FILE *f = fopen(path, "rb");
	hs_database_t *db = NULL;
	struct stat st;

	if (!f)
		return NULL;
	if (fstat(fileno(f), &st) == 0 && st.st_size > 0 && st.st_size < (1 << 30)) {
		char *buf = malloc((size_t)st.st_size);
		if (buf && fread(buf, 1, (size_t)st.st_size, f) == (size_t)st.st_size &&
		    hs_deserialize_database(buf, (size_t)st.st_size, &db) != HS_SUCCESS)
			db = NULL;
		free(buf);
	}
	fclose(f);
	return db;
}

static void cache_store(const char *path, const hs_database_t *db)
{
	char *bytes = NULL, tmp[4300];
	size_t len = 0;

	if (hs_serialize_database(db, &bytes, &len) != HS_SUCCESS)
		return;
	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0) {
		size_t off = 0;
		while (off < len) {
			ssize_t w = write(fd, bytes + off, len - off);
			if (w <= 0)
				break;
			off += (size_t)w;
		}
		if (close(fd) == 0 && off == len && rename(tmp, path) == 0)
			ss_debug("signature database cached in %s (%zu bytes)", path, len);
		else
			unlink(tmp);
	}
	free(bytes);
}

int sig_compile(struct sig_set *set, struct sig_error *err)
{
	const char **expr;
	unsigned *flags, *ids;
	hs_compile_error_t *cerr = NULL;
	hs_error_t hr;
	int rc = 0;

	set->db = NULL;
	set->db_bytes = 0;
	if (set->n_sig == 0)
		return 0; /* an empty set matches nothing; there is no database */
	expr = malloc(set->n_sig * sizeof(*expr));
	flags = malloc(set->n_sig * sizeof(*flags));
	ids = malloc(set->n_sig * sizeof(*ids));
	if (!expr || !flags || !ids) {
		sig_error_set(err, "", 0, "out of memory");
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < set->n_sig; i++) {
		expr[i] = set->sig[i].regex;
		flags[i] = HS_FLAG_SINGLEMATCH | HS_FLAG_DOTALL;
		ids[i] = (unsigned)i;
	}
	char path[4200];
	bool cached = cache_path(set, path, sizeof(path)) == 0;
	if (cached && (set->db = cache_load(path)) != NULL) {
		set->db_cached = true;
		goto sized;
	}
	hr = hs_compile_multi(expr, flags, ids, (unsigned)set->n_sig, HS_MODE_BLOCK, NULL, &set->db, &cerr);
	if (hr != HS_SUCCESS) {
		set->db = NULL;
		if (cerr && cerr->expression >= 0 && (size_t)cerr->expression < set->n_sig) {
			const struct sig_entry *e = &set->sig[cerr->expression];
			sig_error_set(err, set->file[e->file], e->line, "signature %s does not compile: %s", e->id,
				      cerr->message);
		} else {
			sig_error_set(err, set->n_file ? set->file[0] : "", 0,
				      "the signature set does not compile: %s",
				      cerr ? cerr->message : "unknown Vectorscan error");
		}
		rc = -SS_EPARSE;
		goto out;
	}
	if (cached)
		cache_store(path, set->db);
sized:
	if (hs_database_size(set->db, &set->db_bytes) != HS_SUCCESS)
		set->db_bytes = 0;
out:
	hs_free_compile_error(cerr);
	free(expr);
	free(flags);
	free(ids);
	return rc;
}
