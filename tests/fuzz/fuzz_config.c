/*
 * fuzz_config.c - libFuzzer target for the configuration parser and the
 * policy that reads it (an operator's file is input like any other).
 *
 * The input is parsed as a configuration; every typed getter is then asked
 * for the keys the input itself defines (so values reach the number and
 * duration parsers), and the policy is initialised from it.
 */
#include "act/act.h"
#include "core/config.h"
#include "core/log.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const sections[] = { "policy", "policy.simbox", "ingest", "rep", "simbox", "privacy" };
	static const char *const keys[] = { "mode", "block_score", "reverify_score", "limit_score",
					    "monitor_score", "cooldown", "reorder_window", "dedup",
					    "half_life", "window", "min_imsis_per_imei", "id_hash_key" };
	char *text = malloc(size + 1);
	struct ss_config *cfg = NULL;
	char err[256];

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	/* The parser is meant to complain; libFuzzer's own reports stay on stderr. */
	ss_log_set_level(SS_LOG_SILENT);
	if (ss_config_from_string(text, &cfg, err, sizeof(err)) == 0) {
		for (size_t s = 0; s < sizeof(sections) / sizeof(sections[0]); s++) {
			for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
				double d;
				int64_t i;
				bool b;
				const char *str;
				ss_config_double(cfg, sections[s], keys[k], 1, -1e9, 1e9, &d);
				ss_config_int(cfg, sections[s], keys[k], 1, -1000000, 1000000, &i);
				ss_config_duration(cfg, sections[s], keys[k], 1, &i);
				ss_config_bool(cfg, sections[s], keys[k], false, &b);
				ss_config_string(cfg, sections[s], keys[k], NULL, &str);
			}
		}
		struct act_policy *p = NULL;
		if (act_policy_init(cfg, false, &p) == 0)
			act_policy_free(p);
		ss_config_check_unused(cfg);
		ss_config_free(cfg);
	}
	free(text);
	return 0;
}
