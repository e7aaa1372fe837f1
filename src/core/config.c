/* config.c - INI-style configuration (see config.h). */
#include "core/config.h"

#include "core/err.h"
#include "core/log.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct config_entry {
	char *name; /* "section.key", lower-case */
	char *value;
	unsigned line;
	bool used;
};

struct ss_config {
	char *path;
	struct config_entry *entries;
	size_t n, cap;
};

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

static struct config_entry *find(const struct ss_config *cfg, const char *section, const char *key)
{
	char name[256];

	if (!cfg)
		return NULL;
	snprintf(name, sizeof(name), "%s.%s", section, key);
	lower(name);
	for (size_t i = cfg->n; i-- > 0;) /* last definition wins */
		if (strcmp(cfg->entries[i].name, name) == 0)
			return &cfg->entries[i];
	return NULL;
}

static int add_entry(struct ss_config *cfg, const char *section, const char *key,
		     const char *value, unsigned line)
{
	char name[256];
	int n = snprintf(name, sizeof(name), "%s.%s", section, key);

	if (n < 0 || (size_t)n >= sizeof(name))
		return -SS_ETOOLONG;
	lower(name);
	if (cfg->n == cfg->cap) {
		size_t cap = cfg->cap ? cfg->cap * 2 : 32;
		struct config_entry *e = realloc(cfg->entries, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		cfg->entries = e;
		cfg->cap = cap;
	}
	struct config_entry *e = &cfg->entries[cfg->n];
	e->name = strdup(name);
	e->value = strdup(value);
	if (!e->name || !e->value) {
		free(e->name);
		free(e->value);
		return -ENOMEM;
	}
	e->line = line;
	e->used = false;
	cfg->n++;
	return 0;
}

static int parse_text(struct ss_config *cfg, char *text, char *err, size_t errsize)
{
	char section[128] = "";
	unsigned lineno = 0;
	char *save = NULL;

	for (char *line = text; line; line = save) {
		char *nl = strchr(line, '\n');
		save = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		lineno++;
		/* Strip comments: '#' or ';' at line start or after whitespace. */
		for (char *p = line; *p; p++) {
			if ((*p == '#' || *p == ';') && (p == line || isspace((unsigned char)p[-1]))) {
				*p = '\0';
				break;
			}
		}
		char *s = trim(line);
		if (*s == '\0')
			continue;
		if (*s == '[') {
			char *end = strchr(s, ']');
			if (!end || end[1] != '\0') {
				snprintf(err, errsize, "%s:%u: section header needs a closing ']'", cfg->path, lineno);
				return -SS_ECONFIG;
			}
			*end = '\0';
			char *name = trim(s + 1);
			if (*name == '\0' || strlen(name) >= sizeof(section)) {
				snprintf(err, errsize, "%s:%u: bad section name", cfg->path, lineno);
				return -SS_ECONFIG;
			}
			strcpy(section, name);
			continue;
		}
		char *eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, errsize, "%s:%u: expected 'key = value'", cfg->path, lineno);
			return -SS_ECONFIG;
		}
		*eq = '\0';
		char *key = trim(s), *value = trim(eq + 1);
		if (*key == '\0') {
			snprintf(err, errsize, "%s:%u: empty key", cfg->path, lineno);
			return -SS_ECONFIG;
		}
		if (section[0] == '\0') {
			snprintf(err, errsize, "%s:%u: key '%s' outside any [section]", cfg->path, lineno, key);
			return -SS_ECONFIG;
		}
		size_t vl = strlen(value);
		if (vl >= 2 && value[0] == '"' && value[vl - 1] == '"') {
			value[vl - 1] = '\0';
			value++;
		}
		int rc = add_entry(cfg, section, key, value, lineno);
		if (rc < 0) {
			snprintf(err, errsize, "%s:%u: %s", cfg->path, lineno, ss_strerror(rc));
			return -SS_ECONFIG;
		}
	}
	return 0;
}

static int config_new(const char *path, struct ss_config **out)
{
	struct ss_config *cfg = calloc(1, sizeof(*cfg));
	if (!cfg)
		return -ENOMEM;
	cfg->path = strdup(path);
	if (!cfg->path) {
		free(cfg);
		return -ENOMEM;
	}
	*out = cfg;
	return 0;
}

int ss_config_from_string(const char *text, struct ss_config **out, char *err, size_t errsize)
{
	struct ss_config *cfg;
	int rc = config_new("<string>", &cfg);
	if (rc < 0)
		return rc;
	char *copy = strdup(text);
	if (!copy) {
		ss_config_free(cfg);
		return -ENOMEM;
	}
	rc = parse_text(cfg, copy, err, errsize);
	free(copy);
	if (rc < 0) {
		ss_config_free(cfg);
		return rc;
	}
	*out = cfg;
	return 0;
}

int ss_config_load(const char *path, struct ss_config **out, char *err, size_t errsize)
{
	struct ss_config *cfg;
	int rc;

	if (!path)
		return config_new("<none>", out);
	FILE *f = fopen(path, "rb");
	if (!f) {
		rc = -errno;
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		return rc;
	}
	char *text = NULL;
	size_t len = 0, cap = 0;
	char buf[8192];
	size_t got;
	while ((got = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (len + got + 1 > cap) {
			cap = (len + got + 1) * 2;
			char *t = realloc(text, cap);
			if (!t) {
				free(text);
				fclose(f);
				return -ENOMEM;
			}
			text = t;
		}
		memcpy(text + len, buf, got);
		len += got;
	}
	fclose(f);
	if (!text) {
		text = strdup("");
		if (!text)
			return -ENOMEM;
	}
	text[len] = '\0';
	if (memchr(text, '\0', len)) {
		free(text);
		snprintf(err, errsize, "%s: contains a NUL byte", path);
		return -SS_ECONFIG;
	}
	rc = config_new(path, &cfg);
	if (rc == 0) {
		rc = parse_text(cfg, text, err, errsize);
		if (rc < 0)
			ss_config_free(cfg);
		else
			*out = cfg;
	}
	free(text);
	return rc;
}

void ss_config_free(struct ss_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->n; i++) {
		free(cfg->entries[i].name);
		free(cfg->entries[i].value);
	}
	free(cfg->entries);
	free(cfg->path);
	free(cfg);
}

int ss_config_set(struct ss_config *cfg, const char *section, const char *key, const char *value)
{
	return add_entry(cfg, section, key, value, 0);
}

static int bad_value(const struct ss_config *cfg, const struct config_entry *e, const char *why)
{
	if (e->line == 0) /* set by ss_config_set(): a command-line option */
		ss_error("command line: %s = '%s': %s", e->name, e->value, why);
	else
		ss_error("%s:%u: %s = '%s': %s", cfg->path, e->line, e->name, e->value, why);
	return -SS_ECONFIG;
}

int ss_config_double(const struct ss_config *cfg, const char *section, const char *key,
		     double def, double min, double max, double *out)
{
	struct config_entry *e = find(cfg, section, key);
	char *end;

	*out = def;
	if (!e)
		return 0;
	e->used = true;
	errno = 0;
	double v = strtod(e->value, &end);
	if (errno || end == e->value || *end != '\0' || !isfinite(v))
		return bad_value(cfg, e, "not a number");
	if (v < min || v > max) {
		char why[96];
		snprintf(why, sizeof(why), "out of range [%g, %g]", min, max);
		return bad_value(cfg, e, why);
	}
	*out = v;
	return 0;
}

int ss_config_int(const struct ss_config *cfg, const char *section, const char *key,
		  int64_t def, int64_t min, int64_t max, int64_t *out)
{
	struct config_entry *e = find(cfg, section, key);
	char *end;

	*out = def;
	if (!e)
		return 0;
	e->used = true;
	errno = 0;
	long long v = strtoll(e->value, &end, 10);
	if (errno || end == e->value || *end != '\0')
		return bad_value(cfg, e, "not an integer");
	if (v < min || v > max) {
		char why[96];
		snprintf(why, sizeof(why), "out of range [%lld, %lld]", (long long)min, (long long)max);
		return bad_value(cfg, e, why);
	}
	*out = v;
	return 0;
}

int ss_config_bool(const struct ss_config *cfg, const char *section, const char *key,
		   bool def, bool *out)
{
	struct config_entry *e = find(cfg, section, key);

	*out = def;
	if (!e)
		return 0;
	e->used = true;
	if (!strcasecmp(e->value, "yes") || !strcasecmp(e->value, "true") ||
	    !strcasecmp(e->value, "on") || !strcmp(e->value, "1"))
		*out = true;
	else if (!strcasecmp(e->value, "no") || !strcasecmp(e->value, "false") ||
		 !strcasecmp(e->value, "off") || !strcmp(e->value, "0"))
		*out = false;
	else
		return bad_value(cfg, e, "expected yes/no");
	return 0;
}

int ss_duration_parse(const char *s, int64_t *out_us)
{
	char *end;

	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || !isfinite(v) || v < 0)
		return -SS_ECONFIG;
	double mult = 1e6;
	if (*end == 's')
		end++;
	else if (*end == 'm')
		mult = 60e6, end++;
	else if (*end == 'h')
		mult = 3600e6, end++;
	else if (*end == 'd')
		mult = 86400e6, end++;
	if (*end != '\0' || v * mult > 9e18)
		return -SS_ECONFIG;
	*out_us = (int64_t)(v * mult);
	return 0;
}

int ss_config_duration(const struct ss_config *cfg, const char *section, const char *key,
		       int64_t def_us, int64_t *out_us)
{
	struct config_entry *e = find(cfg, section, key);

	*out_us = def_us;
	if (!e)
		return 0;
	e->used = true;
	if (ss_duration_parse(e->value, out_us) < 0) {
		*out_us = def_us;
		return bad_value(cfg, e, "not a duration (e.g. 90s, 15m, 6h, 30d)");
	}
	return 0;
}

int ss_config_string(const struct ss_config *cfg, const char *section, const char *key,
		     const char *def, const char **out)
{
	struct config_entry *e = find(cfg, section, key);

	*out = def;
	if (!e)
		return 0;
	e->used = true;
	*out = e->value;
	return 0;
}

int ss_config_check_unused(const struct ss_config *cfg)
{
	int n = 0;

	if (!cfg)
		return 0;
	for (size_t i = 0; i < cfg->n; i++) {
		const struct config_entry *e = &cfg->entries[i];
		if (e->used)
			continue;
		/* A key defined twice: the earlier one is shadowed, not unknown. */
		bool shadowed = false;
		for (size_t j = i + 1; j < cfg->n; j++)
			if (!strcmp(cfg->entries[j].name, e->name) && cfg->entries[j].used)
				shadowed = true;
		if (shadowed)
			continue;
		ss_error("%s:%u: unknown setting '%s'", cfg->path, e->line, e->name);
		n++;
	}
	return n;
}

const char *ss_config_path(const struct ss_config *cfg)
{
	return cfg ? cfg->path : "<none>";
}

int ss_config_strings(const struct ss_config *cfg, const char *section, const char *key,
		      const char **out, size_t max, size_t *n)
{
	char name[256];

	*n = 0;
	if (!cfg)
		return 0;
	snprintf(name, sizeof(name), "%s.%s", section, key);
	lower(name);
	for (size_t i = 0; i < cfg->n; i++) {
		struct config_entry *e = &cfg->entries[i];
		if (strcmp(e->name, name) != 0)
			continue;
		e->used = true;
		if (*n == max) {
			ss_error("%s:%u: %s: more than %zu values", cfg->path, e->line, name, max);
			return -SS_ECONFIG;
		}
		out[(*n)++] = e->value;
	}
	return 0;
}

int ss_config_sections(const struct ss_config *cfg, const char *prefix, char *out, size_t name_size,
		       size_t max, size_t *n)
{
	char pre[128];
	size_t plen;

	*n = 0;
	if (!cfg)
		return 0;
	snprintf(pre, sizeof(pre), "%s", prefix);
	lower(pre);
	plen = strlen(pre);
	for (size_t i = 0; i < cfg->n; i++) {
		const char *name = cfg->entries[i].name;
		const char *dot = strrchr(name, '.');
		if (strncmp(name, pre, plen) != 0 || !dot || dot <= name + plen)
			continue;
		size_t len = (size_t)(dot - (name + plen));
		if (len >= name_size)
			len = name_size - 1;
		bool seen = false;
		for (size_t j = 0; j < *n && !seen; j++) {
			const char *o = out + j * name_size;
			seen = strlen(o) == len && memcmp(o, name + plen, len) == 0;
		}
		if (seen)
			continue;
		if (*n == max)
			return -SS_ETOOLONG;
		memcpy(out + *n * name_size, name + plen, len);
		out[*n * name_size + len] = '\0';
		(*n)++;
	}
	return 0;
}
