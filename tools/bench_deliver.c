/*
 * bench_deliver - drive the webhook, osmo-hlr and exec receivers
 * (src/act/recv_*.c) directly: a delivery driver for the end-to-end tests
 * and the delivery benchmark of `make bench` (section 8).  Receivers are
 * opened with act_receiver_open() (any type, jsonl included) and driven
 * without the outbox: no retries, one pass.
 *
 *   bench_deliver send CONFIG SINK [FILE]
 *       Deliver the JSON Lines actions of FILE (default stdin) through
 *       [sink.SINK] of CONFIG, in batches of the receiver's batch size, and
 *       print one line per action: "<id> delivered|retry|rejected <why>".
 *       Exit 0 when every action got a result, 1 on a usage or open error.
 *
 *   bench_deliver webhook URL SECRET [ACTIONS] [BATCH]
 *       Throughput: ACTIONS (default 50000) synthetic actions in batches of
 *       BATCH (default 100); then latency: 2,000 single-action requests,
 *       p50/p99 from send() to the receiver's 2xx.  Targets beside each.
 *
 *   bench_deliver hlr HOST PORT IMSI_FIRST COUNT
 *       Against a real osmo-hlr whose subscribers IMSI_FIRST ..
 *       IMSI_FIRST+COUNT-1 exist: block all of them, then release all
 *       (batches of 64 pipelined), subscribers/s each way; then latency of
 *       500 single actions.  Every action is read back by the receiver.
 */
#include "act/deliver.h"
#include "act/recv.h"

#include "core/config.h"
#include "core/err.h"
#include "core/log.h"
#include "core/time.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *result_name[] = { "delivered", "retry", "rejected" };

/* act_receiver_open() reads the section's type; its messages go to stderr. */
static int open_receiver(const struct ss_config *cfg, const char *name, struct act_receiver **r)
{
	int rc = act_receiver_open(cfg, name, r);
	if (rc < 0)
		fprintf(stderr, "bench_deliver: [sink.%s]: %s\n", name, ss_strerror(rc));
	return rc;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static char *action_json(uint64_t id, const char *kind, const char *imsi, const char *msisdn)
{
	char *j = NULL;
	if (asprintf(&j,
		     "{\"id\":\"%016" PRIx64 "\",\"action\":\"%s\",\"mode\":\"enforce\","
		     "\"event_time\":\"2026-11-02T08:15:03Z\",\"emitted_at\":\"2026-11-22T06:01:44Z\","
		     "\"subject\":{\"msisdn\":\"%s\",\"imsi\":\"%s\"},\"score\":92,"
		     "\"reasons\":[{\"code\":\"simbox.multi_imsi_per_imei\",\"detail\":\"IMEI 86723404123456 carried "
		     "14 IMSIs in 6 h\"}],\"family\":\"simbox\",\"strength\":\"structural\"}",
		     id, kind, msisdn, imsi) < 0) {
		perror("asprintf");
		exit(1);
	}
	return j;
}

/* Send d[0..n) in batches; returns the number delivered, fills lat[] (us per send()) when given. */
static size_t deliver_all(struct act_receiver *r, struct act_delivery *d, size_t n, int64_t *lat, size_t *n_lat,
			  bool quiet)
{
	enum act_result *res = calloc(r->max_batch, sizeof(*res));
	char why[ACT_WHY_SIZE];
	size_t ok = 0;
	for (size_t i = 0; i < n;) {
		size_t k = n - i < r->max_batch ? n - i : r->max_batch;
		ss_time_us t0 = ss_time_monotonic();
		why[0] = '\0';
		int rc = r->ops->send(r, d + i, k, res, why, sizeof(why));
		if (lat)
			lat[(*n_lat)++] = ss_time_monotonic() - t0;
		bool told = false; /* @why is about the batch's first non-delivered action */
		for (size_t j = 0; j < k; j++) {
			ok += res[j] == ACT_DELIVERED;
			if (!quiet)
				printf("%016" PRIx64 " %s%s%s\n", d[i + j].id, result_name[res[j]],
				       res[j] != ACT_DELIVERED && !told ? " " : "",
				       res[j] != ACT_DELIVERED && !told ? why : "");
			told |= res[j] != ACT_DELIVERED;
		}
		if (quiet && rc < 0) {
			fprintf(stderr, "bench_deliver: send: %s (%s)\n", ss_strerror(rc), why);
			break;
		}
		i += k;
	}
	free(res);
	return ok;
}

static int cmd_send(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	struct ss_config *cfg;
	char err[512];
	if (ss_config_load(argv[2], &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench_deliver: %s\n", err);
		return 1;
	}
	struct act_receiver *r;
	if (open_receiver(cfg, argv[3], &r) < 0) {
		ss_config_free(cfg);
		return 1;
	}
	FILE *f = argc > 4 ? fopen(argv[4], "r") : stdin;
	if (!f) {
		perror(argv[4]);
		return 1;
	}
	size_t cap = 1024, n = 0;
	struct act_delivery *d = calloc(cap, sizeof(*d));
	char *line = NULL;
	size_t lcap = 0;
	ssize_t len;
	while ((len = getline(&line, &lcap, f)) > 0) {
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		if (n == cap)
			d = realloc(d, (cap *= 2) * sizeof(*d));
		char id[40];
		d[n].json = strdup(line);
		d[n].len = (size_t)len;
		d[n].seq = n + 1;
		d[n].id = act_json_get(line, (size_t)len, NULL, "id", id, sizeof(id)) > 0 ? strtoull(id, NULL, 16) : 0;
		d[n].queued_at = ss_time_now();
		n++;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	deliver_all(r, d, n, NULL, NULL, false);
	act_receiver_close(r);
	for (size_t i = 0; i < n; i++)
		free((char *)d[i].json);
	free(d);
	ss_config_free(cfg);
	return 0;
}

static void percentiles(int64_t *lat, size_t n, const char *what)
{
	if (n == 0)
		return;
	qsort(lat, n, sizeof(*lat), cmp_i64);
	double p50 = (double)lat[n / 2] / 1000.0, p99 = (double)lat[(n * 99) / 100] / 1000.0;
	printf("%s latency over %zu single-action sends: p50 %.2f ms, p99 %.2f ms (target p99 <= 50 ms) %s\n", what,
	       n, p50, p99, p99 <= 50.0 ? "ok" : "MISSED");
}

static struct act_receiver *open_from_text(const char *text, const char *name)
{
	struct ss_config *cfg;
	char err[512];
	struct act_receiver *r;
	if (ss_config_from_string(text, &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench_deliver: %s\n", err);
		exit(1);
	}
	if (open_receiver(cfg, name, &r) < 0)
		exit(1);
	ss_config_free(cfg);
	return r;
}

static int cmd_webhook(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	size_t n = argc > 4 ? strtoul(argv[4], NULL, 10) : 50000;
	size_t batch = argc > 5 ? strtoul(argv[5], NULL, 10) : 100;
	char text[2048];
	snprintf(text, sizeof(text),
		 "[sink.b]\ntype = webhook\nurl = %s\nsecret = %s\nbatch = %zu\ntimeout = 10s\n"
		 "[sink.one]\ntype = webhook\nurl = %s\nsecret = %s\nbatch = 1\ntimeout = 10s\n",
		 argv[2], argv[3], batch, argv[2], argv[3]);
	struct act_receiver *rb = open_from_text(text, "b"), *r1 = open_from_text(text, "one");

	struct act_delivery *d = calloc(n, sizeof(*d));
	for (size_t i = 0; i < n; i++) {
		char imsi[32], msisdn[32];
		snprintf(imsi, sizeof(imsi), "46000%010zu", i % 10000000000u);
		snprintf(msisdn, sizeof(msisdn), "86138%08zu", i % 100000000u);
		d[i].seq = i + 1;
		d[i].id = 0x5100000000000000ull + i;
		d[i].json = action_json(d[i].id, "block", imsi, msisdn);
		d[i].len = strlen(d[i].json);
	}
	ss_time_us t0 = ss_time_monotonic();
	size_t ok = deliver_all(rb, d, n, NULL, NULL, true);
	double s = (double)(ss_time_monotonic() - t0) / 1e6;
	double rate = (double)ok / s;
	printf("webhook throughput: %zu of %zu actions delivered in %.3f s, batch %zu: %.0f actions/s "
	       "(target >= 5000) %s\n",
	       ok, n, s, batch, rate, rate >= 5000 ? "ok" : "MISSED");

	size_t nl = n < 2000 ? n : 2000, n_lat = 0;
	int64_t *lat = calloc(nl, sizeof(*lat));
	deliver_all(r1, d, nl, lat, &n_lat, true);
	percentiles(lat, n_lat, "webhook");
	free(lat);
	for (size_t i = 0; i < n; i++)
		free((char *)d[i].json);
	free(d);
	act_receiver_close(rb);
	act_receiver_close(r1);
	return ok == n ? 0 : 1;
}

static int cmd_hlr(int argc, char **argv)
{
	if (argc < 6)
		return 2;
	uint64_t first = strtoull(argv[4], NULL, 10);
	size_t n = strtoul(argv[5], NULL, 10);
	char text[1024];
	snprintf(text, sizeof(text),
		 "[sink.h]\ntype = hlr\nhost = %s\nport = %s\nbatch = 64\ntimeout = 10s\n"
		 "[sink.one]\ntype = hlr\nhost = %s\nport = %s\nbatch = 1\ntimeout = 10s\n",
		 argv[2], argv[3], argv[2], argv[3]);
	struct act_receiver *rb = open_from_text(text, "h"), *r1 = open_from_text(text, "one");
	struct act_delivery *d = calloc(n, sizeof(*d));
	int status = 0;
	static const char *const kinds[] = { "block", "release" };
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n; i++) {
			char imsi[24];
			snprintf(imsi, sizeof(imsi), "%015" PRIu64, first + i);
			d[i].seq = i + 1;
			d[i].id = 0x4800000000000000ull + (uint64_t)pass * n + i;
			d[i].json = action_json(d[i].id, kinds[pass], imsi, "");
			d[i].len = strlen(d[i].json);
		}
		ss_time_us t0 = ss_time_monotonic();
		size_t ok = deliver_all(rb, d, n, NULL, NULL, true);
		double s = (double)(ss_time_monotonic() - t0) / 1e6, rate = (double)ok / s;
		printf("hlr %s: %zu of %zu subscribers written and read back in %.3f s: %.0f subscribers/s "
		       "(target >= 500) %s\n",
		       kinds[pass], ok, n, s, rate, rate >= 500 ? "ok" : "MISSED");
		if (ok != n)
			status = 1;
		for (size_t i = 0; i < n; i++)
			free((char *)d[i].json);
	}
	size_t nl = n < 500 ? n : 500, n_lat = 0;
	for (size_t i = 0; i < nl; i++) {
		char imsi[24];
		snprintf(imsi, sizeof(imsi), "%015" PRIu64, first + i);
		d[i].id = 0x4c00000000000000ull + i;
		d[i].json = action_json(d[i].id, i % 2 ? "release" : "limit", imsi, "");
		d[i].len = strlen(d[i].json);
	}
	int64_t *lat = calloc(nl, sizeof(*lat));
	deliver_all(r1, d, nl, lat, &n_lat, true);
	percentiles(lat, n_lat, "hlr");
	for (size_t i = 0; i < nl; i++)
		free((char *)d[i].json);
	free(lat);
	free(d);
	act_receiver_close(rb);
	act_receiver_close(r1);
	return status;
}

int main(int argc, char **argv)
{
	int rc = 2;
	ss_log_set_level(SS_LOG_WARN);
	if (argc >= 2 && strcmp(argv[1], "send") == 0)
		rc = cmd_send(argc, argv);
	else if (argc >= 2 && strcmp(argv[1], "webhook") == 0)
		rc = cmd_webhook(argc, argv);
	else if (argc >= 2 && strcmp(argv[1], "hlr") == 0)
		rc = cmd_hlr(argc, argv);
	if (rc == 2)
		fprintf(stderr, "usage: bench_deliver send CONFIG SINK [FILE]\n"
				"       bench_deliver webhook URL SECRET [ACTIONS] [BATCH]\n"
				"       bench_deliver hlr HOST PORT IMSI_FIRST COUNT\n");
	return rc;
}
