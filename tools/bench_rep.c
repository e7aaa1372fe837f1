/*
 * bench_rep.c - reputation store throughput (docs/reputation.md, "Performance").
 *
 *   build/tools/bench_rep [N]      (default N = 1000000)
 *
 * In a fresh temporary directory: writes N sorted MSISDN list lines, times
 * rep_import(), then times N rep_get() calls in random order inside
 * rep_read_begin()/rep_read_end() against a raw mdb_get() loop (its own
 * environment on the same directory, same keys, same order, one read txn).
 * The two environments are never open at the same time (one environment
 * per process); each loop runs three times alternately and the best run
 * counts, so both see the same warm page cache.
 */
#include "core/err.h"
#include "core/time.h"
#include "rep/rep.h"

#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define ID_LEN 16

static char dir[64];

static void cleanup(void)
{
	char p[128];
	static const char *const files[] = { "data.mdb", "lock.mdb", "list.csv" };

	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
		unlink(p);
	}
	rmdir(dir);
}

static double rep_loop(const char (*ids)[ID_LEN], size_t n, size_t *found)
{
	struct rep *rep;
	struct rep_record rec;
	ss_time_us t0;
	double dt;

	if (rep_open(dir, NULL, &rep)) {
		fprintf(stderr, "bench_rep: rep_open failed\n");
		exit(1);
	}
	*found = 0;
	rep_read_begin(rep);
	t0 = ss_time_monotonic();
	for (size_t i = 0; i < n; i++)
		*found += rep_get(rep, REP_KEY_MSISDN, ids[i], &rec) == 0;
	dt = (double)(ss_time_monotonic() - t0) / 1e6;
	rep_read_end(rep);
	rep_close(rep);
	return dt;
}

static double raw_loop(const char (*ids)[ID_LEN], size_t n, size_t *found)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	ss_time_us t0;
	double dt;
	uint64_t sum = 0;

	if (mdb_env_create(&env) || mdb_env_set_maxdbs(env, 4) ||
	    mdb_env_open(env, dir, MDB_RDONLY | MDB_NOTLS, 0664) ||
	    mdb_txn_begin(env, NULL, MDB_RDONLY, &txn) || mdb_dbi_open(txn, "rep", 0, &dbi)) {
		fprintf(stderr, "bench_rep: raw LMDB open failed\n");
		exit(1);
	}
	*found = 0;
	t0 = ss_time_monotonic();
	for (size_t i = 0; i < n; i++) {
		unsigned char key[REP_KEY_MAX];
		size_t len = strlen(ids[i]);
		MDB_val k = { len + 1, key }, v;

		key[0] = REP_KEY_MSISDN;
		memcpy(key + 1, ids[i], len);
		if (mdb_get(txn, dbi, &k, &v) == 0) {
			(*found)++;
			sum += ((const unsigned char *)v.mv_data)[1];
		}
	}
	dt = (double)(ss_time_monotonic() - t0) / 1e6;
	mdb_txn_abort(txn);
	mdb_env_close(env);
	if (sum == 1) /* keep the value reads alive */
		fputc(' ', stderr);
	return dt;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
	char path[128];
	char(*ids)[ID_LEN];
	struct rep_import_stats st;
	struct rep *rep;
	struct rusage ru;
	ss_time_us t0;
	double dt, best_rep = 1e30, best_raw = 1e30;
	size_t found_rep = 0, found_raw = 0;
	FILE *f;
	int rc;

	if (n == 0 || n > 100000000) {
		fprintf(stderr, "usage: bench_rep [N]   (1 <= N <= 1e8)\n");
		return 2;
	}
	snprintf(dir, sizeof(dir), "/tmp/bench_rep.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	atexit(cleanup);

	/* N sorted, new MSISDNs: the fast path the import is built for. */
	ids = malloc(n * sizeof(*ids));
	snprintf(path, sizeof(path), "%s/list.csv", dir);
	f = fopen(path, "w");
	if (!ids || !f) {
		perror("bench_rep");
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(ids[i], ID_LEN, "86138%08zu", i);
		fprintf(f, "%s,%s\n", ids[i], i % 10 ? "black" : "gray");
	}
	fclose(f);

	if (rep_open(dir, NULL, &rep))
		return 1;
	f = fopen(path, "r");
	t0 = ss_time_monotonic();
	rc = rep_import(rep, f, path, "bench", &st);
	dt = (double)(ss_time_monotonic() - t0) / 1e6;
	fclose(f);
	rep_close(rep);
	if (rc || st.imported != n) {
		fprintf(stderr, "bench_rep: import failed: %s (%llu of %zu)\n", ss_strerror(rc),
			(unsigned long long)st.imported, n);
		return 1;
	}
	printf("rep_import: %zu rows in %.2f s = %.2f M rows/s%s\n", n, dt, (double)n / dt / 1e6,
	       st.sorted_append ? " (MDB_APPEND)" : "");

	/* Random order defeats any locality the sorted keys would give. */
	srand(12345);
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = ((size_t)rand() * ((size_t)RAND_MAX + 1) + (size_t)rand()) % (i + 1);
		char tmp[ID_LEN];
		memcpy(tmp, ids[i], ID_LEN);
		memcpy(ids[i], ids[j], ID_LEN);
		memcpy(ids[j], tmp, ID_LEN);
	}
	for (int round = 0; round < 3; round++) {
		dt = raw_loop((const char(*)[ID_LEN])ids, n, &found_raw);
		if (dt < best_raw)
			best_raw = dt;
		dt = rep_loop((const char(*)[ID_LEN])ids, n, &found_rep);
		if (dt < best_rep)
			best_rep = dt;
	}
	if (found_rep != n || found_raw != n) {
		fprintf(stderr, "bench_rep: lookups missed (%zu, %zu of %zu)\n", found_rep,
			found_raw, n);
		return 1;
	}
	printf("rep_get: %.2f M lookups/s  raw mdb_get: %.2f M lookups/s  ratio %.2fx\n",
	       (double)n / best_rep / 1e6, (double)n / best_raw / 1e6, best_rep / best_raw);
	getrusage(RUSAGE_SELF, &ru);
	printf("peak RSS: %.1f MiB\n", (double)ru.ru_maxrss / 1024);
	free(ids);
	return 0;
}
