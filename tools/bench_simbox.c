/*
 * bench_simbox.c - throughput and memory of the SIM-box detector.
 *
 *   bench_simbox [events] [sims]      defaults: 5000000 events, 1000000 SIMs
 *
 * Synthetic population: every SIM has its own handset; 1% of the events come
 * from 4 gateways of 16 ports rotating 256 SIMs each.  Events arrive in time
 * order over 2 days, with a tick every input minute (as the engine does).
 * Only det_simbox.on_event / tick are timed; events are generated in batches
 * outside the timed region.  Prints events/s, ns/event and bytes per SIM
 * (subjects count a handset tracked lazily through its only SIM, too).
 */
#include "core/config.h"
#include "core/time.h"
#include "detect/detect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 88172645463325252ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static unsigned findings_sim, findings_dev;

static void count_emit(void *ctx, const struct det_finding *f)
{
	(void)ctx;
	if (f->subject.kind == DET_SUBJECT_DEVICE)
		findings_dev++;
	else
		findings_sim++;
}

static void make_imei(char *buf, unsigned long tac, unsigned long snr)
{
	char d[15];
	unsigned sum = 0;

	snprintf(d, sizeof(d), "%08lu%06lu", tac % 100000000, snr % 1000000);
	for (int i = 13; i >= 0; i--) {
		unsigned v = (unsigned)(d[i] - '0');
		if ((13 - i) % 2 == 0) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
	}
	snprintf(buf, EV_IMEI_SIZE, "%s%u", d, (10 - sum % 10) % 10);
}

#define BATCH 65536

int main(int argc, char **argv)
{
	uint64_t total = argc > 1 ? strtoull(argv[1], NULL, 10) : 5000000;
	uint64_t nsims = argc > 2 ? strtoull(argv[2], NULL, 10) : 1000000;
	struct det_env env = { .config = NULL, .emit = count_emit };
	struct ss_config *cfg = NULL;
	char err[256];
	if (getenv("BENCH_SIMBOX_CONF") && ss_config_from_string(getenv("BENCH_SIMBOX_CONF"), &cfg, err, sizeof(err)) == 0)
		env.config = cfg;
	void *st;
	struct event *batch = calloc(BATCH, sizeof(*batch));
	const int64_t t0 = INT64_C(1793577600) * SS_US_PER_SEC;
	const int64_t span = 2 * SS_US_PER_DAY;

	if (!batch || nsims < 1000 || det_simbox.init(&st, &env) < 0) {
		fprintf(stderr, "bench_simbox: setup failed\n");
		return 1;
	}
	double busy = 0;
	int64_t last_tick = t0;
	for (uint64_t done = 0; done < total;) {
		size_t n = total - done < BATCH ? (size_t)(total - done) : BATCH;
		for (size_t i = 0; i < n; i++) {
			struct event *e = &batch[i];
			uint64_t r = rng();
			uint64_t k = done + i;
			memset(e, 0, offsetof(struct event, iccid));
			e->time = t0 + (int64_t)((double)span * (double)k / (double)total);
			if (r % 100 == 0) {
				/* Gateway traffic: gateway g, port p, SIM rotating with time. */
				unsigned g = (unsigned)(r >> 8) % 4, p = (unsigned)(r >> 16) % 16;
				uint64_t slot = (uint64_t)((e->time - t0) / (2 * SS_US_PER_HOUR));
				uint64_t sim = nsims + g * 256 + (p + slot * 17 + slot / 3) % 256;
				snprintf(e->imsi, sizeof(e->imsi), "46001%010llu", (unsigned long long)(sim % 10000000000ull));
				make_imei(e->imei, 86000000 + g, p);
				e->kind = EV_CALL;
				e->direction = EV_DIR_MO;
				e->answered = (r >> 24) % 3 == 0;
				e->duration = e->answered ? 10 : 0;
				e->cell = (struct ev_cell){ 460, 0, 1, 100 + g, true };
			} else {
				uint64_t sim = (r >> 8) % nsims;
				snprintf(e->imsi, sizeof(e->imsi), "46000%010llu", (unsigned long long)(sim % 10000000000ull));
				make_imei(e->imei, 35000000 + sim / 1000000, sim);
				e->kind = (uint8_t)((r >> 40) % 3);
				e->direction = (r >> 42) & 1 ? EV_DIR_MO : EV_DIR_MT;
				e->answered = (r >> 43) & 1;
				e->duration = e->answered ? (uint32_t)((r >> 44) % 300) : 0;
				e->cell = (struct ev_cell){ 460, 0, 1, (uint32_t)((r >> 20) % 5000), true };
			}
			snprintf(e->msisdn, sizeof(e->msisdn), "86%011llu", (unsigned long long)(r % 100000000000ull));
			snprintf(e->other_party, sizeof(e->other_party), "86%011llu",
				 (unsigned long long)((r >> 17) % 100000000000ull));
			snprintf(e->record_id, sizeof(e->record_id), "B%llu", (unsigned long long)k);
		}
		ss_time_us c0 = ss_time_monotonic();
		for (size_t i = 0; i < n; i++) {
			if (batch[i].time - last_tick >= 60 * SS_US_PER_SEC) {
				det_simbox.tick(st, batch[i].time);
				last_tick = batch[i].time;
			}
			det_simbox.on_event(st, &batch[i]);
		}
		busy += (double)(ss_time_monotonic() - c0);
		done += n;
	}
	struct det_stats s;
	det_simbox.stats(st, &s);
	double secs = busy / 1e6;
	printf("simbox: %llu events in %.3f s: %.0f events/s, %.0f ns/event\n",
	       (unsigned long long)total, secs, (double)total / secs, busy * 1000.0 / (double)total);
	printf("simbox: %llu subjects (SIMs + IMEIs), state %.1f MB, %.0f bytes/subject, "
	       "%.0f bytes per SIM incl. its handset\n",
	       (unsigned long long)s.subjects, (double)s.state_bytes / 1e6,
	       (double)s.state_bytes / (double)s.subjects,
	       (double)s.state_bytes / ((double)s.subjects / 2));
	printf("simbox: %u SIM findings, %u device findings, %llu evictions\n", findings_sim,
	       findings_dev, (unsigned long long)s.evictions);
	det_simbox.fini(st);
	free(batch);
	return 0;
}
