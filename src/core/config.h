/*
 * config.h - the simsieve configuration file.
 *
 * Format (documented in docs/configuration.md):
 *
 *   # comment            ; comment
 *   [section]
 *   key = value          # trailing comments allowed after whitespace
 *
 * Keys are looked up as "section.key".  Every module pulls its own values
 * with a default, so a missing file or key means "documented default".  A
 * value of the wrong type or out of range is an error naming file:line; and
 * after every module has read its keys, ss_config_check_unused() reports keys
 * that nobody asked for (typos must not silently fall back to defaults).
 *
 * Ownership: struct ss_config owns all strings it returns; they stay valid
 * until ss_config_free().
 */
#ifndef SS_CORE_CONFIG_H
#define SS_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ss_config;

/*
 * ss_config_load() - parse @path; NULL gives an empty configuration.
 * On a syntax error returns -SS_ECONFIG with "file:line: reason" in @err.
 */
int ss_config_load(const char *path, struct ss_config **out, char *err, size_t errsize);

/* ss_config_from_string() - the same for an in-memory text (tests). */
int ss_config_from_string(const char *text, struct ss_config **out, char *err, size_t errsize);

void ss_config_free(struct ss_config *cfg);

/* ss_config_set() - add or replace "section.key" (command-line overrides). */
int ss_config_set(struct ss_config *cfg, const char *section, const char *key, const char *value);

/*
 * Typed getters.  @cfg may be NULL (all defaults).  When the key is absent
 * *@out = @def and 0 is returned.  A malformed or out-of-range value returns
 * -SS_ECONFIG and logs "file:line: section.key: reason".
 */
int ss_config_double(const struct ss_config *cfg, const char *section, const char *key,
		     double def, double min, double max, double *out);
int ss_config_int(const struct ss_config *cfg, const char *section, const char *key,
		  int64_t def, int64_t min, int64_t max, int64_t *out);
int ss_config_bool(const struct ss_config *cfg, const char *section, const char *key,
		   bool def, bool *out);
/* Durations accept a unit suffix: s, m, h, d (plain numbers are seconds). */
int ss_config_duration(const struct ss_config *cfg, const char *section, const char *key,
		       int64_t def_us, int64_t *out_us);
/* ss_duration_parse() - the duration syntax above (command-line options); 0 or -SS_ECONFIG. */
int ss_duration_parse(const char *s, int64_t *out_us);
/* Returns a borrowed string (or @def, which may be NULL). */
int ss_config_string(const struct ss_config *cfg, const char *section, const char *key,
		     const char *def, const char **out);

/*
 * ss_config_strings() - every value of a key that may be given more than
 * once (e.g. [run] interface), in file order, as borrowed strings in
 * @out[0..*n).  More than @max values is an error naming the line.
 */
int ss_config_strings(const struct ss_config *cfg, const char *section, const char *key,
		      const char **out, size_t max, size_t *n);

/*
 * ss_config_sections() - the distinct sections named @prefix<name> (e.g.
 * prefix "sink." for [sink.hook], [sink.hlr]) that hold at least one key,
 * in order of first appearance; @out[i] receives <name> (cut to @name_size
 * - 1 bytes).  At most @max; *@n receives the count.  Returns 0 or
 * -SS_ETOOLONG when there are more than @max.
 */
int ss_config_sections(const struct ss_config *cfg, const char *prefix, char *out, size_t name_size,
		       size_t max, size_t *n);

/*
 * ss_config_check_unused() - log every key no getter asked for.
 * Returns the number of unused keys (callers treat > 0 as a usage error).
 */
int ss_config_check_unused(const struct ss_config *cfg);

/* ss_config_path() - the file the configuration came from ("<string>" or "<none>"). */
const char *ss_config_path(const struct ss_config *cfg);

#endif
