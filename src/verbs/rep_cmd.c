/*
 * rep_cmd.c - `simsieve rep get|set|del|import|export|stats|release|breaker|outbox`
 * (../shared/spec/cli.md; store semantics in docs/reputation.md).
 *
 * Exit status: 0 success, 1 a failure explained on stderr (subject not
 * found, unreadable file, no store, LMDB error), 2 bad usage.  Reads (get,
 * export, stats) open the store read-only, so they work while a replay or
 * the daemon writes to it.
 */
#include "verbs/verbs.h"

#include "act/act.h"
#include "act/control.h"
#include "core/err.h"
#include "core/log.h"
#include "core/time.h"
#include "detect/detect.h"
#include "rep/rep.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_USAGE 2

const char *verbs_default_db(void)
{
	const char *e = getenv("SIMSIEVE_DB");
	return e && *e ? e : "./simsieve.db";
}

static const char rep_usage[] =
	"usage: simsieve rep [--db DIR] COMMAND [options]\n"
	"\n"
	"The reputation store (LMDB): subjects are msisdn:N (or a bare number),\n"
	"imsi:N, imei:N, iddoc:HEX, channel:C, outlet:O, url:U.\n"
	"\n"
	"commands:\n"
	"  get SUBJECT...                       print each record as JSON\n"
	"  set SUBJECT [--list L] [--source S] [--score N] [--reason CODE]...\n"
	"                                       set list membership / score / reasons\n"
	"  del SUBJECT...                       delete records\n"
	"  import FILE|- [--source S] [--strict]\n"
	"                                       import a list: subject,list[,source] lines\n"
	"  export [--list L] [--type T] [--format jsonl|csv]\n"
	"                                       every record, in key order\n"
	"  stats [--json]                       counts, map size, tree depth\n"
	"  release SUBJECT... --reason TEXT     lift an action (appeal): a release action\n"
	"                                       into the outbox, score 0, detectors forget\n"
	"  breaker status|reset [--note TEXT]   the circuit breaker on mass action\n"
	"  outbox [--parked]                    delivery state: receivers, backlog, parked\n"
	"\n"
	"common options:\n"
	"  --db DIR    the store (default $SIMSIEVE_DB or ./simsieve.db)\n"
	"  --help      help for the command\n"
	"\n"
	"Lists: black, gray, white, none.  Exit status: 0 ok, 1 failure explained\n"
	"on stderr (e.g. not found), 2 bad usage.\n";

struct sub {
	const char *name;
	int (*run)(int argc, char **argv, const char *db);
};

/* ---- helpers ---------------------------------------------------------------- */

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "simsieve rep %s: ", cmd);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(simsieve rep %s --help for usage)\n", cmd);
	return EXIT_USAGE;
}

/*
 * getopt_long with our own messages; returns the option, -1 at the end, or
 * '?' after printing the usage error.  GNU getopt permutes, so options may
 * follow the subjects.
 */
static int next_opt(int argc, char **argv, const char *shortopts, const struct option *lo,
		    const char *cmd)
{
	int c = getopt_long(argc, argv, shortopts, lo, NULL);

	/* @shortopts starts with ':' so a missing value is told apart. */
	if (c == ':')
		usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
	else if (c == '?')
		usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
	else
		return c;
	return '?';
}

static int open_store(const char *db, bool read_only, struct rep **out)
{
	struct rep_options o = { .read_only = read_only };
	int rc = rep_open(db, &o, out);

	if (rc) {
		/* rep_open logged the cause; name the store for the user. */
		fprintf(stderr, "simsieve rep: cannot open the store at %s\n", db);
		return 1;
	}
	return 0;
}

static int print_record(struct rep *rep, enum rep_key_type type, const char *id,
			const struct rep_record *rec)
{
	char buf[4096];
	int n = rep_record_json(rep, type, id, rec, ss_time_now(), buf, sizeof(buf));

	if (n < 0)
		return n;
	puts(buf);
	return 0;
}

static bool source_ok(const char *s)
{
	if (strlen(s) > REP_SOURCE_SIZE - 1)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < ' ' || *s == ',' || *s == 0x7f)
			return false;
	return true;
}

static int parse_list(const char *cmd, const char *text, enum rep_list *out)
{
	if (rep_list_parse(text, strlen(text), out))
		return usage_error(cmd, "unknown list '%s' (black, gray, white or none)", text);
	return 0;
}

/* ---- get ---------------------------------------------------------------------- */

static const char get_usage[] = "usage: simsieve rep get [--db DIR] SUBJECT...\n"
				"Print each subject's record as one JSON object a line.\n"
				"Exit 1 if any subject is not in the store.\n";

static int cmd_get(int argc, char **argv, const char *db)
{
	static const struct option lo[] = { { "db", required_argument, NULL, 'd' },
					    { "help", no_argument, NULL, 'h' },
					    { NULL, 0, NULL, 0 } };
	struct rep *rep;
	int c, status = 0;

	while ((c = next_opt(argc, argv, ":d:h", lo, "get")) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 'h')
			return fputs(get_usage, stdout), 0;
		else
			return EXIT_USAGE;
	}
	if (optind >= argc)
		return usage_error("get", "%s", "missing SUBJECT");
	for (int i = optind; i < argc; i++) {
		enum rep_key_type type;
		char id[REP_ID_SIZE];
		if (rep_key_parse(argv[i], &type, id))
			return usage_error("get", "bad subject '%s'", argv[i]);
	}
	if (open_store(db, true, &rep))
		return 1;
	for (int i = optind; i < argc; i++) {
		enum rep_key_type type;
		char id[REP_ID_SIZE];
		struct rep_record rec;
		int rc;

		rep_key_parse(argv[i], &type, id);
		rc = rep_get(rep, type, id, &rec);
		if (rc == 0)
			rc = print_record(rep, type, id, &rec);
		if (rc == -SS_ENOTFOUND) {
			fprintf(stderr, "simsieve rep get: %s: not found\n", argv[i]);
			status = 1;
		} else if (rc) {
			fprintf(stderr, "simsieve rep get: %s: %s\n", argv[i], ss_strerror(rc));
			status = 1;
		}
	}
	rep_close(rep);
	if (fflush(stdout) != 0)
		status = 1;
	return status;
}

/* ---- set ---------------------------------------------------------------------- */

static const char set_usage[] =
	"usage: simsieve rep set [--db DIR] SUBJECT [--list black|gray|white|none]\n"
	"                        [--source S] [--score N] [--reason CODE]...\n"
	"Create or change a record; prints the result as JSON.\n"
	"  --list L      list membership (list_source defaults to \"manual\")\n"
	"  --source S    who put it there (at most 31 characters)\n"
	"  --score N     risk score 0..100 as of now (adds reason manual.set)\n"
	"  --reason CODE add a reason code (see docs/reputation.md)\n";

static int cmd_set(int argc, char **argv, const char *db)
{
	static const struct option lo[] = { { "db", required_argument, NULL, 'd' },
					    { "list", required_argument, NULL, 'l' },
					    { "source", required_argument, NULL, 's' },
					    { "score", required_argument, NULL, 'S' },
					    { "reason", required_argument, NULL, 'r' },
					    { "help", no_argument, NULL, 'h' },
					    { NULL, 0, NULL, 0 } };
	const char *source = "manual";
	bool have_list = false, have_score = false, have_source = false;
	enum rep_list list = REP_LIST_NONE;
	uint64_t reasons = 0;
	double score = 0;
	struct rep_record rec;
	enum rep_key_type type;
	char id[REP_ID_SIZE];
	struct rep *rep;
	int c, rc;

	while ((c = next_opt(argc, argv, ":d:l:s:S:r:h", lo, "set")) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'l':
			if (parse_list("set", optarg, &list))
				return EXIT_USAGE;
			have_list = true;
			break;
		case 's':
			if (!source_ok(optarg))
				return usage_error("set", "bad source '%s' (at most 31 printable "
							  "characters, no comma)", optarg);
			source = optarg;
			have_source = true;
			break;
		case 'S': {
			char *end;
			errno = 0;
			score = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(score >= 0 && score <= 100))
				return usage_error("set", "bad score '%s' (0..100)", optarg);
			have_score = true;
			break;
		}
		case 'r': {
			int bit = det_reason_bit(optarg);
			if (bit < 0 || bit > 63)
				return usage_error("set", "unknown reason code '%s'", optarg);
			reasons |= UINT64_C(1) << bit;
			break;
		}
		case 'h':
			fputs(set_usage, stdout);
			return 0;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return usage_error("set", "%s", "missing SUBJECT");
	if (optind + 1 < argc)
		return usage_error("set", "one SUBJECT at a time (extra '%s')", argv[optind + 1]);
	if (rep_key_parse(argv[optind], &type, id))
		return usage_error("set", "bad subject '%s'", argv[optind]);
	if (!have_list && !have_score && !reasons)
		return usage_error("set", "%s", "nothing to set: give --list, --score or --reason");
	if (have_source && !have_list)
		return usage_error("set", "%s", "--source needs --list");

	if (open_store(db, false, &rep))
		return 1;
	rc = rep_get(rep, type, id, &rec);
	if (rc == -SS_ENOTFOUND) {
		memset(&rec, 0, sizeof(rec));
		rc = 0;
	}
	if (rc == 0) {
		ss_time_us now = ss_time_now();
		if (have_list) {
			rec.list = (uint8_t)list;
			rec.list_time = now;
			memset(rec.list_source, 0, sizeof(rec.list_source));
			snprintf(rec.list_source, sizeof(rec.list_source), "%s", source);
		}
		if (have_score) {
			int bit = det_reason_bit("manual.set");
			rec.score = (float)score;
			rec.score_time = now;
			if (bit >= 0)
				reasons |= UINT64_C(1) << bit;
		}
		rec.reasons |= reasons;
		rc = rep_put(rep, type, id, &rec);
	}
	if (rc == 0)
		rc = have_list ? rep_list_touch(rep) : rep_flush(rep);
	if (rc == 0)
		rc = print_record(rep, type, id, &rec);
	if (rc)
		fprintf(stderr, "simsieve rep set: %s: %s\n", argv[optind], ss_strerror(rc));
	if (rep_close(rep) && rc == 0)
		rc = -SS_ELMDB;
	return rc ? 1 : 0;
}

/* ---- del ---------------------------------------------------------------------- */

static const char del_usage[] = "usage: simsieve rep del [--db DIR] SUBJECT...\n"
				"Delete records.  Exit 1 if any subject was not in the store.\n";

static int cmd_del(int argc, char **argv, const char *db)
{
	static const struct option lo[] = { { "db", required_argument, NULL, 'd' },
					    { "help", no_argument, NULL, 'h' },
					    { NULL, 0, NULL, 0 } };
	struct rep *rep;
	int c, status = 0;

	while ((c = next_opt(argc, argv, ":d:h", lo, "del")) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 'h')
			return fputs(del_usage, stdout), 0;
		else
			return EXIT_USAGE;
	}
	if (optind >= argc)
		return usage_error("del", "%s", "missing SUBJECT");
	for (int i = optind; i < argc; i++) {
		enum rep_key_type type;
		char id[REP_ID_SIZE];
		if (rep_key_parse(argv[i], &type, id))
			return usage_error("del", "bad subject '%s'", argv[i]);
	}
	if (open_store(db, false, &rep))
		return 1;
	for (int i = optind; i < argc; i++) {
		enum rep_key_type type;
		char id[REP_ID_SIZE];
		int rc;

		rep_key_parse(argv[i], &type, id);
		rc = rep_del(rep, type, id);
		if (rc == -SS_ENOTFOUND) {
			fprintf(stderr, "simsieve rep del: %s: not found\n", argv[i]);
			status = 1;
		} else if (rc) {
			fprintf(stderr, "simsieve rep del: %s: %s\n", argv[i], ss_strerror(rc));
			status = 1;
		}
	}
	/* A deleted record may have been on a list: running engines reload. */
	if (rep_list_touch(rep))
		status = 1;
	if (rep_close(rep))
		status = 1;
	return status;
}

/* ---- import ------------------------------------------------------------------- */

static const char import_usage[] =
	"usage: simsieve rep import [--db DIR] FILE|- [--source S] [--strict]\n"
	"Import a list, one  subject,list[,source]  a line ('#' comments, blank lines\n"
	"and a 'subject,...' header skipped).  Existing records keep their score and\n"
	"history; only the list fields change.  Bad lines are reported as\n"
	"FILE:LINE: reason and skipped.\n"
	"  --source S   source for lines without one (default: the file name)\n"
	"  --strict     exit 1 if any line was rejected\n";

static int cmd_import(int argc, char **argv, const char *db)
{
	static const struct option lo[] = { { "db", required_argument, NULL, 'd' },
					    { "source", required_argument, NULL, 's' },
					    { "strict", no_argument, NULL, 'x' },
					    { "help", no_argument, NULL, 'h' },
					    { NULL, 0, NULL, 0 } };
	char defsrc[REP_SOURCE_SIZE];
	const char *source = NULL, *path;
	bool strict = false;
	struct rep_import_stats st;
	struct rep *rep;
	FILE *in;
	ss_time_us t0, dt;
	int c, rc;

	while ((c = next_opt(argc, argv, ":d:s:xh", lo, "import")) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 's':
			if (!source_ok(optarg))
				return usage_error("import", "bad source '%s' (at most 31 printable "
							     "characters, no comma)", optarg);
			source = optarg;
			break;
		case 'x':
			strict = true;
			break;
		case 'h':
			fputs(import_usage, stdout);
			return 0;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return usage_error("import", "%s", "missing FILE (or - for stdin)");
	if (optind + 1 < argc)
		return usage_error("import", "one FILE at a time (extra '%s')", argv[optind + 1]);
	path = argv[optind];
	if (!source) {
		/* The file's base name says where the list came from. */
		const char *base = strrchr(path, '/');
		base = base ? base + 1 : path;
		snprintf(defsrc, sizeof(defsrc), "%s", strcmp(path, "-") ? base : "stdin");
		for (char *p = defsrc; *p; p++)
			if ((unsigned char)*p < ' ' || *p == ',' || *p == 0x7f)
				*p = '_';
		source = defsrc;
	}
	if (strcmp(path, "-") == 0) {
		in = stdin;
	} else {
		in = fopen(path, "r");
		if (!in) {
			fprintf(stderr, "simsieve rep import: %s: %s\n", path, strerror(errno));
			return 1;
		}
	}
	if (open_store(db, false, &rep)) {
		if (in != stdin)
			fclose(in);
		return 1;
	}
	t0 = ss_time_monotonic();
	rc = rep_import(rep, in, strcmp(path, "-") ? path : "<stdin>", source, &st);
	dt = ss_time_monotonic() - t0;
	if (in != stdin)
		fclose(in);
	if (rep_close(rep) && rc == 0)
		rc = -SS_ELMDB;
	fprintf(stderr, "imported %" PRIu64 ", rejected %" PRIu64 ", %.0f rows/s\n", st.imported,
		st.rejected, dt > 0 ? (double)st.lines * 1e6 / (double)dt : 0.0);
	if (rc) {
		fprintf(stderr, "simsieve rep import: %s: %s\n", path, ss_strerror(rc));
		return 1;
	}
	return strict && st.rejected ? 1 : 0;
}

/* ---- export ------------------------------------------------------------------- */

static const char export_usage[] =
	"usage: simsieve rep export [--db DIR] [--list L] [--type T] [--format jsonl|csv]\n"
	"Every record in key order: JSON Lines (default) or re-importable CSV\n"
	"subject,list,source.  T is msisdn, imsi, imei, iddoc, channel, outlet or url.\n";

static int cmd_export(int argc, char **argv, const char *db)
{
	static const struct option lo[] = { { "db", required_argument, NULL, 'd' },
					    { "list", required_argument, NULL, 'l' },
					    { "type", required_argument, NULL, 't' },
					    { "format", required_argument, NULL, 'f' },
					    { "help", no_argument, NULL, 'h' },
					    { NULL, 0, NULL, 0 } };
	struct rep_export_filter f = { 0, -1, REP_EXPORT_JSONL };
	struct rep *rep;
	int c, rc;

	while ((c = next_opt(argc, argv, ":d:l:t:f:h", lo, "export")) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'l': {
			enum rep_list l;
			if (parse_list("export", optarg, &l))
				return EXIT_USAGE;
			f.list = (int)l;
			break;
		}
		case 't': {
			enum rep_key_type t;
			if (rep_key_type_parse(optarg, &t))
				return usage_error("export", "unknown type '%s'", optarg);
			f.type = (int)t;
			break;
		}
		case 'f':
			if (strcmp(optarg, "jsonl") == 0 || strcmp(optarg, "json") == 0)
				f.format = REP_EXPORT_JSONL;
			else if (strcmp(optarg, "csv") == 0)
				f.format = REP_EXPORT_CSV;
			else
				return usage_error("export", "unknown format '%s' (jsonl or csv)",
						   optarg);
			break;
		case 'h':
			fputs(export_usage, stdout);
			return 0;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return usage_error("export", "unexpected argument '%s'", argv[optind]);
	if (open_store(db, true, &rep))
		return 1;
	rc = rep_export_where(rep, stdout, &f);
	rep_close(rep);
	if (rc) {
		fprintf(stderr, "simsieve rep export: %s\n", ss_strerror(rc));
		return 1;
	}
	return 0;
}

/* ---- stats -------------------------------------------------------------------- */

static const char stats_usage[] = "usage: simsieve rep stats [--db DIR] [--json]\n"
				  "Entries per type and list, map size, bytes used, tree depth.\n";

static const enum rep_key_type all_types[] = { REP_KEY_MSISDN,	REP_KEY_IMSI,	REP_KEY_IMEI,
					       REP_KEY_IDDOC,	REP_KEY_CHANNEL, REP_KEY_OUTLET,
					       REP_KEY_URL };

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

static int cmd_stats(int argc, char **argv, const char *db)
{
	static const struct option lo[] = { { "db", required_argument, NULL, 'd' },
					    { "json", no_argument, NULL, 'j' },
					    { "help", no_argument, NULL, 'h' },
					    { NULL, 0, NULL, 0 } };
	bool json = false;
	struct rep_stats st;
	struct rep *rep;
	int c, rc;

	while ((c = next_opt(argc, argv, ":d:jh", lo, "stats")) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 'j')
			json = true;
		else if (c == 'h')
			return fputs(stats_usage, stdout), 0;
		else
			return EXIT_USAGE;
	}
	if (optind < argc)
		return usage_error("stats", "unexpected argument '%s'", argv[optind]);
	if (open_store(db, true, &rep))
		return 1;
	rc = rep_stats(rep, &st);
	rep_close(rep);
	if (rc) {
		fprintf(stderr, "simsieve rep stats: %s\n", ss_strerror(rc));
		return 1;
	}
	if (json) {
		printf("{\"db\":");
		json_str(stdout, db);
		printf(",\"entries\":%" PRIu64 ",\"by_type\":{", st.entries);
		for (size_t i = 0; i < sizeof(all_types) / sizeof(all_types[0]); i++)
			printf("%s\"%s\":%" PRIu64, i ? "," : "", rep_key_type_name(all_types[i]),
			       st.by_type[all_types[i]]);
		printf("},\"by_list\":{");
		for (int l = 0; l < 4; l++)
			printf("%s\"%s\":%" PRIu64, l ? "," : "", rep_list_name((enum rep_list)l),
			       st.by_list[l]);
		printf("},\"map_size\":%" PRIu64 ",\"used_bytes\":%" PRIu64 ",\"depth\":%u}\n",
		       st.map_size, st.used_bytes, st.depth);
	} else {
		printf("%-12s %s\n", "db", db);
		printf("%-12s %" PRIu64 "\n", "entries", st.entries);
		for (size_t i = 0; i < sizeof(all_types) / sizeof(all_types[0]); i++)
			if (st.by_type[all_types[i]])
				printf("  %-10s %" PRIu64 "\n", rep_key_type_name(all_types[i]),
				       st.by_type[all_types[i]]);
		for (int l = 3; l >= 0; l--)
			printf("%-12s %" PRIu64 "\n", rep_list_name((enum rep_list)l), st.by_list[l]);
		printf("%-12s %" PRIu64 " (%.1f MiB)\n", "map_size", st.map_size,
		       (double)st.map_size / (1 << 20));
		printf("%-12s %" PRIu64 " (%.1f MiB)\n", "used_bytes", st.used_bytes,
		       (double)st.used_bytes / (1 << 20));
		printf("%-12s %u\n", "depth", st.depth);
	}
	return fflush(stdout) ? 1 : 0;
}

/* ---- release ------------------------------------------------------------------ */

static const char release_usage[] =
	"usage: simsieve rep release [--db DIR] SUBJECT... --reason TEXT\n"
	"Lift the action in force on a SIM (msisdn:N and/or imsi:N, one SIM) or a\n"
	"handset (imei:N), e.g. after an upheld appeal: a `release` action (family\n"
	"manual, reason manual.release) goes into the store's outbox - delivered by\n"
	"the running daemon's dispatcher or by the next run - in the same transaction\n"
	"as the subject's records are set to score 0, last action release.  A running\n"
	"daemon picks the release up within a second: its detectors forget the\n"
	"subject, and evidence older than the release is not decided on again.\n"
	"Prints the action.  Exit 1 if no subject is in the store.\n";

static int cmd_release(int argc, char **argv, const char *db)
{
	static const struct option lo[] = { { "db", required_argument, NULL, 'd' },
					    { "reason", required_argument, NULL, 'r' },
					    { "help", no_argument, NULL, 'h' },
					    { NULL, 0, NULL, 0 } };
	const char *reason = NULL;
	struct act_action a;
	struct rep *rep;
	int c;

	while ((c = next_opt(argc, argv, ":d:r:h", lo, "release")) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 'r')
			reason = optarg;
		else if (c == 'h')
			return fputs(release_usage, stdout), 0;
		else
			return EXIT_USAGE;
	}
	if (optind >= argc)
		return usage_error("release", "%s", "missing SUBJECT");
	if (!reason || !*reason)
		return usage_error("release", "%s", "--reason TEXT is required (the appeal, a ticket number)");
	memset(&a, 0, sizeof(a));
	enum rep_key_type types[3];
	char ids[3][REP_ID_SIZE];
	int n = 0;
	for (int i = optind; i < argc; i++) {
		enum rep_key_type type;
		char id[REP_ID_SIZE];
		if (rep_key_parse(argv[i], &type, id))
			return usage_error("release", "bad subject '%s'", argv[i]);
		char *slot = type == REP_KEY_MSISDN ? a.subject.msisdn
			     : type == REP_KEY_IMSI ? a.subject.imsi
			     : type == REP_KEY_IMEI ? a.subject.imei
						    : NULL;
		size_t size = type == REP_KEY_MSISDN ? sizeof(a.subject.msisdn)
			      : type == REP_KEY_IMSI ? sizeof(a.subject.imsi)
						     : sizeof(a.subject.imei);
		if (!slot)
			return usage_error("release", "'%s': only msisdn, imsi and imei subjects carry actions", argv[i]);
		if (slot[0])
			return usage_error("release", "'%s': one subject of each type (one SIM or one handset)", argv[i]);
		if (strlen(id) >= size)
			return usage_error("release", "'%s': too long", argv[i]);
		memcpy(slot, id, strlen(id) + 1);
		types[n] = type;
		memcpy(ids[n], id, sizeof(ids[n]));
		n++;
	}
	if (a.subject.imei[0] && (a.subject.imsi[0] || a.subject.msisdn[0]))
		return usage_error("release", "%s", "release a SIM (msisdn/imsi) or a handset (imei), not both");
	a.subject.kind = a.subject.imei[0] ? DET_SUBJECT_DEVICE : DET_SUBJECT_SIM;
	if (open_store(db, false, &rep))
		return 1;

	struct rep_record recs[3];
	bool found[3] = { false, false, false };
	int n_found = 0;
	enum rep_action_kind lifts = REP_ACTION_NONE;
	for (int i = 0; i < n; i++) {
		found[i] = rep_get(rep, types[i], ids[i], &recs[i]) == 0;
		if (!found[i])
			continue;
		n_found++;
		if (lifts == REP_ACTION_NONE && recs[i].last_action != REP_ACTION_RELEASE)
			lifts = (enum rep_action_kind)recs[i].last_action;
		if (recs[i].flags & REP_FLAG_SHADOW_ACTION)
			a.shadow = true; /* same mode as the action it lifts */
	}
	if (n_found == 0) {
		fprintf(stderr, "simsieve rep release: no such subject in the store\n");
		rep_close(rep);
		return 1;
	}
	if (lifts == REP_ACTION_NONE)
		fprintf(stderr, "simsieve rep release: note: no action in force; the release is sent anyway\n");

	ss_time_us now = ss_time_now();
	a.kind = REP_ACTION_RELEASE;
	a.family = "manual";
	a.event_time = now;
	a.emitted_at = now;
	a.score = 0;
	a.strength = DET_WEAK;
	a.n_reasons = 1;
	snprintf(a.reasons[0].code, sizeof(a.reasons[0].code), "manual.release");
	snprintf(a.reasons[0].detail, sizeof(a.reasons[0].detail), "released by an operator (lifts %s): %s",
		 act_kind_name(lifts), reason);
	a.id = act_action_id(&a);
	char json[8192];
	int len = act_action_json(&a, json, sizeof(json));
	int rc = len < 0 ? len : 0;

	/* One transaction: the action, the records, the release log entry. */
	rep_group_begin(rep);
	if (rc == 0)
		rc = rep_outbox_put(rep, a.id, now, json, (size_t)len);
	int bit = det_reason_bit("manual.release");
	for (int i = 0; rc == 0 && i < n; i++) {
		if (!found[i])
			continue;
		struct rep_record *r = &recs[i];
		r->score = 0;
		r->score_time = now;
		r->last_action = REP_ACTION_RELEASE;
		r->last_action_time = now;
		r->last_action_id = a.id;
		r->actions++;
		r->reasons = bit >= 0 ? UINT64_C(1) << bit : 0;
		if (!a.shadow)
			r->flags &= (uint16_t)~REP_FLAG_SHADOW_ACTION;
		rc = rep_put(rep, types[i], ids[i], r);
	}
	if (rc == 0) {
		struct act_release_record rel = { .id = a.id, .at = now, .event_time = now, .shadow = a.shadow,
						  .subject = a.subject };
		rc = act_ctl_release_put(rep, &rel);
	}
	rep_group_end(rep);
	if (rc == 0)
		rc = rep_flush(rep);
	if (rc == 0)
		puts(json);
	else
		fprintf(stderr, "simsieve rep release: %s\n", ss_strerror(rc));
	if (rep_close(rep) && rc == 0)
		rc = -SS_ELMDB;
	return rc ? 1 : 0;
}

/* ---- breaker ------------------------------------------------------------------ */

static const char breaker_usage[] =
	"usage: simsieve rep breaker [--db DIR] status|reset [--note TEXT]\n"
	"The circuit breaker on mass action (docs/provisioning.md).  status prints its\n"
	"state as JSON; reset re-enables enforce mode (a running daemon picks it up\n"
	"within a second; --note says who and why).  Exit 0; status of a tripped\n"
	"breaker exits 0 too (read \"tripped\").\n";

static int cmd_breaker(int argc, char **argv, const char *db)
{
	static const struct option lo[] = { { "db", required_argument, NULL, 'd' },
					    { "note", required_argument, NULL, 'n' },
					    { "help", no_argument, NULL, 'h' },
					    { NULL, 0, NULL, 0 } };
	const char *note = "";
	struct act_breaker_state st;
	struct rep *rep;
	int c, rc;

	while ((c = next_opt(argc, argv, ":d:n:h", lo, "breaker")) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 'n')
			note = optarg;
		else if (c == 'h')
			return fputs(breaker_usage, stdout), 0;
		else
			return EXIT_USAGE;
	}
	if (optind + 1 != argc || (strcmp(argv[optind], "status") != 0 && strcmp(argv[optind], "reset") != 0))
		return usage_error("breaker", "%s", "expected status or reset");
	bool reset = strcmp(argv[optind], "reset") == 0;
	if (open_store(db, !reset, &rep))
		return 1;
	if (reset) {
		uint64_t gen = 0;
		rc = act_ctl_breaker_reset(rep, note, &gen);
		if (rc == 0)
			printf("breaker reset (generation %llu): enforce mode again; a running daemon picks it up "
			       "within a second\n",
			       (unsigned long long)gen);
	} else {
		rc = act_ctl_breaker_read(rep, &st);
		if (rc == 0) {
			char out[1024];
			rc = act_ctl_breaker_json(&st, out, sizeof(out));
			if (rc >= 0) {
				puts(out);
				rc = 0;
			}
		}
	}
	if (rc)
		fprintf(stderr, "simsieve rep breaker: %s\n", ss_strerror(rc));
	if (rep_close(rep) && rc == 0)
		rc = -SS_ELMDB;
	return rc ? 1 : 0;
}

/* ---- outbox ------------------------------------------------------------------- */

static const char outbox_usage[] =
	"usage: simsieve rep outbox [--db DIR] [--parked]\n"
	"The durable outbox: entries, the last sequence number, each receiver's\n"
	"cursor and backlog (receivers are named by their [sink.<name>] section;\n"
	"\"actions\" is [run] actions, \"replay\" the replay's --actions).  With\n"
	"--parked, every parked entry as one JSON object a line: receiver, seq, id,\n"
	"parked_at, why, and the action.\n";

static int print_cursor(void *ctx, const char *receiver, uint64_t seq)
{
	uint64_t last = *(const uint64_t *)ctx;
	printf("receiver %-16s cursor %" PRIu64 ", waiting %" PRIu64 "\n", receiver, seq, last > seq ? last - seq : 0);
	return 0;
}

static int print_parked(void *ctx, const char *receiver, const struct rep_park *p)
{
	char *buf = ctx;
	int n = act_ctl_parked_json(receiver, p, buf, 16384);
	if (n >= 0)
		puts(buf);
	return 0;
}

static int cmd_outbox(int argc, char **argv, const char *db)
{
	static const struct option lo[] = { { "db", required_argument, NULL, 'd' },
					    { "parked", no_argument, NULL, 'p' },
					    { "help", no_argument, NULL, 'h' },
					    { NULL, 0, NULL, 0 } };
	bool parked = false;
	struct rep *rep;
	int c, rc;

	while ((c = next_opt(argc, argv, ":d:ph", lo, "outbox")) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 'p')
			parked = true;
		else if (c == 'h')
			return fputs(outbox_usage, stdout), 0;
		else
			return EXIT_USAGE;
	}
	if (optind != argc)
		return usage_error("outbox", "unexpected argument '%s'", argv[optind]);
	if (open_store(db, true, &rep))
		return 1;
	if (parked) {
		char *buf = malloc(16384);
		rc = buf ? rep_parked_foreach(rep, NULL, print_parked, buf) : -ENOMEM;
		free(buf);
	} else {
		struct rep_outbox_info info;
		rc = rep_outbox_info(rep, &info);
		if (rc == 0) {
			printf("entries %" PRIu64 " (seq %" PRIu64 "..%" PRIu64 "), last seq %" PRIu64
			       ", ids remembered %" PRIu64 ", parked %" PRIu64 "\n",
			       info.entries, info.first, info.entries ? info.last : info.first, info.last, info.ids,
			       info.parked);
			rc = rep_cursor_foreach(rep, print_cursor, &info.last);
		}
	}
	if (rc)
		fprintf(stderr, "simsieve rep outbox: %s\n", ss_strerror(rc));
	if (rep_close(rep) && rc == 0)
		rc = -SS_ELMDB;
	return rc || fflush(stdout) ? 1 : 0;
}

/* ---- dispatch ----------------------------------------------------------------- */

static const struct sub subs[] = {
	{ "get", cmd_get },	  { "set", cmd_set },	  { "del", cmd_del },
	{ "import", cmd_import }, { "export", cmd_export }, { "stats", cmd_stats },
	{ "release", cmd_release }, { "breaker", cmd_breaker }, { "outbox", cmd_outbox },
};

int verb_rep(int argc, char **argv)
{
	const char *db = verbs_default_db();
	int i = 1;

	/* Options before the command: only --db and --help. */
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(rep_usage, stdout);
			return 0;
		} else if (strcmp(argv[i], "--db") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "simsieve rep: option '--db' needs a value\n");
				return EXIT_USAGE;
			}
			db = argv[i + 1];
			i += 2;
		} else if (strncmp(argv[i], "--db=", 5) == 0) {
			db = argv[i] + 5;
			i++;
		} else {
			fprintf(stderr, "simsieve rep: unknown option '%s'\n", argv[i]);
			fputs(rep_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "simsieve rep: missing COMMAND\n");
		fputs(rep_usage, stderr);
		return EXIT_USAGE;
	}
	for (size_t k = 0; k < sizeof(subs) / sizeof(subs[0]); k++) {
		if (strcmp(argv[i], subs[k].name) != 0)
			continue;
		/* Fresh getopt state: glibc re-initialises on optind = 0. */
		optind = 0;
		opterr = 0;
		return subs[k].run(argc - i, argv + i, db);
	}
	fprintf(stderr, "simsieve rep: unknown command '%s'\n", argv[i]);
	fputs(rep_usage, stderr);
	return EXIT_USAGE;
}
