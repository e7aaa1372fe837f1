/*
 * verbs.h - the command-line verbs (../shared/spec/cli.md).  main.c only
 * dispatches to these.  Each takes the arguments after the verb name
 * (argv[0] is the verb) and returns the process exit status: 0 success,
 * 1 a findings-related failure it explained, 2 bad usage.
 */
#ifndef SS_VERBS_VERBS_H
#define SS_VERBS_VERBS_H

int verb_replay(int argc, char **argv);
int verb_rep(int argc, char **argv);
int verb_decode(int argc, char **argv);

/* verbs_default_db() - $SIMSIEVE_DB or "./simsieve.db". */
const char *verbs_default_db(void);

#endif
