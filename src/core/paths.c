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
