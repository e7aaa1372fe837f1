/*
 * common.c - what `replay` and `run` share: the [ingest], [rep] and
 * [privacy] settings, and the CSV delimiter names.
 */
#include "verbs/verbs.h"

#include "core/err.h"
#include "core/log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int verbs_parse_delimiter(const char *s, char *out)
{
	if (!strcmp(s, "tab") || !strcmp(s, "\\t") || !strcmp(s, "\t"))
		*out = '\t';
	else if (!strcmp(s, "comma"))
		*out = ',';
	else if (!strcmp(s, "semicolon"))
		*out = ';';
	else if (!strcmp(s, "pipe"))
		*out = '|';
	else if (strlen(s) == 1 && (s[0] == ',' || s[0] == ';' || s[0] == '|'))
		*out = s[0];
	else
		return -SS_EUSAGE;
	return 0;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int verbs_load_id_key(const struct ss_config *cfg, uint8_t *key, size_t *len)
{
	const char *hex = NULL, *file = NULL;
	char buf[260];

	*len = 0;
	if (ss_config_string(cfg, "privacy", "id_hash_key", NULL, &hex) < 0 ||
	    ss_config_string(cfg, "privacy", "id_hash_key_file", NULL, &file) < 0)
		return -SS_ECONFIG;
	if (file) {
		FILE *f = fopen(file, "r");
		if (!f) {
			ss_error("[privacy] id_hash_key_file %s: %s", file, strerror(errno));
			return -SS_ECONFIG;
		}
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = '\0';
		buf[strcspn(buf, "\r\n \t")] = '\0';
		hex = buf;
	}
	if (!hex)
		return 0;
	size_t n = strlen(hex);
	if (n < 32 || n > 128 || n % 2) {
		ss_error("[privacy] id hash key: expected 32-128 hex digits (16-64 bytes)");
		return -SS_ECONFIG;
	}
	for (size_t i = 0; i < n; i += 2) {
		int hi = hex_value(hex[i]), lo = hex_value(hex[i + 1]);
		if (hi < 0 || lo < 0) {
			ss_error("[privacy] id hash key: not hexadecimal");
			return -SS_ECONFIG;
		}
		key[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	*len = n / 2;
	return 0;
}

int verbs_ingest_settings(const struct ss_config *cfg, struct merge_options *mopt,
			  struct rep_options *ropt)
{
	bool dedup = true;
	int64_t map_mib = 0;

	memset(mopt, 0, sizeof(*mopt));
	memset(ropt, 0, sizeof(*ropt));
	if (ss_config_duration(cfg, "ingest", "reorder_window", 5 * SS_US_PER_MIN, &mopt->reorder_window) < 0 ||
	    ss_config_duration(cfg, "ingest", "dedup_horizon", SS_US_PER_HOUR, &mopt->dedup_horizon) < 0 ||
	    ss_config_bool(cfg, "ingest", "dedup", true, &dedup) < 0 ||
	    ss_config_duration(cfg, "rep", "half_life", 7 * SS_US_PER_DAY, &ropt->half_life) < 0 ||
	    ss_config_int(cfg, "rep", "initial_map_mib", 64, 1, 1 << 20, &map_mib) < 0)
		return -SS_ECONFIG;
	ropt->initial_map_size = (size_t)map_mib << 20;
	if (mopt->reorder_window == 0)
		mopt->reorder_window = 1; /* 0 means "default" to the merge: ask for none */
	if (!dedup)
		mopt->dedup_horizon = -1;
	else if (mopt->dedup_horizon == 0)
		mopt->dedup_horizon = 1; /* exact duplicates only */
	return 0;
}
