/*
 * main.c - the simsieve command: dispatches verbs (../shared/spec/cli.md).
 */
#include "verbs/verbs.h"

#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define SIMSIEVE_VERSION "0.1.0"

struct verb {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct verb verbs[] = {
	{ "replay", verb_replay, "offline investigation: CDR/activation files -> actions" },
	{ "run", verb_run, "the live daemon: capture interfaces and CDR/activation feeds" },
	{ "rep", verb_rep, "the reputation store: get, set, del, import, export, stats" },
	{ "decode", verb_decode, "decode signalling captures: one JSON object per message" },
	{ "sig", verb_sig, "scam-SMS signatures: test, lint" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: simsieve VERB [options]   (simsieve VERB --help for details)\n\nverbs:\n");
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(out, "  %-8s %s%s\n", verbs[i].name, verbs[i].summary,
			verbs[i].run ? "" : " (not available in this version)");
	fprintf(out, "\nsimsieve --version prints the version.  See simsieve(1).\n");
}

int main(int argc, char **argv)
{
	/*
	 * Detector tables and buffers grow by doubling.  With glibc's default
	 * dynamic threshold a freed old table can end up below the mmap
	 * threshold and stay in the heap, so RSS would keep the high-water mark
	 * of every resize.  A fixed threshold keeps large blocks mmapped and
	 * returned on free.
	 */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("simsieve %s\n", SIMSIEVE_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (strcmp(argv[1], verbs[i].name) != 0)
			continue;
		if (!verbs[i].run) {
			bool help = argc > 2 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"));
			fprintf(help ? stdout : stderr, "simsieve %s: not available in this version (%s)\n",
				verbs[i].name, verbs[i].summary);
			return help ? 0 : 2;
		}
		return verbs[i].run(argc - 1, argv + 1);
	}
	fprintf(stderr, "simsieve: unknown verb '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
