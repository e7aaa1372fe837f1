/* paths.c - data file locations (see paths.h). */
#include "core/paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *ss_signatures_dir(char *buf, size_t size)
{
	const char *e = getenv("SIMSIEVE_SIGNATURES");
	char exe[PATH_MAX];

	if (e && *e) {
		snprintf(buf, size, "%s", e);
		return buf;
	}
	if (is_dir("signatures")) {
		snprintf(buf, size, "signatures");
		return buf;
	}
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len > 0) {
		exe[len] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(buf, size, "%s/../share/simsieve/signatures", exe);
			if (is_dir(buf))
				return buf;
			snprintf(buf, size, "%s/../signatures", exe);
			if (is_dir(buf))
				return buf;
		}
	}
	snprintf(buf, size, "%s/share/simsieve/signatures", SS_PREFIX);
	return buf;
}

static int try_file(const char *dir, const char *name, char *out, size_t size)
{
	int n = snprintf(out, size, "%s/%s", dir, name);
	return n > 0 && (size_t)n < size && access(out, R_OK) == 0 ? 0 : -1;
}

int ss_find_data_file(const char *name, char *out, size_t size)
{
	const char *e = getenv("SIMSIEVE_SIGNATURES");
	char dir[PATH_MAX + 64], exe[PATH_MAX];

	if (e && *e) {
		snprintf(dir, sizeof(dir), "%s", e);
		if (!is_dir(dir)) {
			char *slash = strrchr(dir, '/');
			if (slash)
				*slash = '\0';
			else
				snprintf(dir, sizeof(dir), ".");
		}
		if (try_file(dir, name, out, size) == 0)
			return 0;
	}
	if (try_file("signatures", name, out, size) == 0)
		return 0;
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len > 0) {
		exe[len] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(dir, sizeof(dir), "%s/../share/simsieve/signatures", exe);
			if (try_file(dir, name, out, size) == 0)
				return 0;
			snprintf(dir, sizeof(dir), "%s/../signatures", exe);
			if (try_file(dir, name, out, size) == 0)
				return 0;
		}
	}
	snprintf(dir, sizeof(dir), "%s/share/simsieve/signatures", SS_PREFIX);
	return try_file(dir, name, out, size);
}
