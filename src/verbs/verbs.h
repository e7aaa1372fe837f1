/*
 * verbs.h - the command-line verbs (../shared/spec/cli.md).  main.c only
 * dispatches to these.  Each takes the arguments after the verb name
 * (argv[0] is the verb) and returns the process exit status: 0 success,
 * 1 a findings-related failure it explained, 2 bad usage.
 */
#ifndef SS_VERBS_VERBS_H
#define SS_VERBS_VERBS_H

#include "core/config.h"
#include "ingest/merge.h"
#include "rep/rep.h"

#include <stddef.h>
#include <stdint.h>

int verb_replay(int argc, char **argv);
int verb_rep(int argc, char **argv);
int verb_decode(int argc, char **argv);
int verb_run(int argc, char **argv);
int verb_sig(int argc, char **argv);

/* verbs_default_db() - $SIMSIEVE_DB or "./simsieve.db". */
const char *verbs_default_db(void);

/* ---- shared by replay and run (common.c) ---- */

/* verbs_parse_delimiter() - , ; | tab (or comma, semicolon, pipe); -SS_EUSAGE otherwise. */
int verbs_parse_delimiter(const char *s, char *out);

/*
 * verbs_load_id_key() - the ID-document hash key: [privacy] id_hash_key
 * (hex, 32-128 digits) or id_hash_key_file.  *@len = 0 when none is
 * configured (ingest then draws a random per-run key and says so).
 * @key must hold 64 bytes.  -SS_ECONFIG (logged) on a bad key.
 */
int verbs_load_id_key(const struct ss_config *cfg, uint8_t *key, size_t *len);

/*
 * verbs_ingest_settings() - [ingest] reorder_window, dedup_horizon, dedup
 * into @mopt and [rep] half_life, initial_map_mib into @ropt (both zeroed
 * first).  -SS_ECONFIG (logged) on a bad value.
 */
int verbs_ingest_settings(const struct ss_config *cfg, struct merge_options *mopt,
			  struct rep_options *ropt);

#endif
