/*
 * paths.h - where simsieve finds its data files (the signatures directory:
 * scam-SMS signatures, senders.conf, high-risk-areas.conf).
 */
#ifndef SS_CORE_PATHS_H
#define SS_CORE_PATHS_H

#include <stddef.h>

#ifndef SS_PREFIX
#define SS_PREFIX "/usr/local"
#endif

/*
 * ss_signatures_dir() - the signatures directory, the first that exists of:
 *   $SIMSIEVE_SIGNATURES (used as given, even if missing: an explicit choice),
 *   ./signatures,
 *   <bin>/../share/simsieve/signatures   (an installed tree),
 *   <bin>/../signatures                  (the source tree, for build/simsieve),
 *   SS_PREFIX/share/simsieve/signatures  (make install's default).
 * Writes it to @buf (falls back to the last) and returns @buf.
 */
const char *ss_signatures_dir(char *buf, size_t size);

/*
 * ss_find_data_file() - the first readable @name in the same candidate
 * directories (for $SIMSIEVE_SIGNATURES naming a file, its directory), so a
 * test that points the signatures at one file still finds the shipped
 * high-risk-areas.conf.  0 and the path in @out, or -1.
 */
int ss_find_data_file(const char *name, char *out, size_t size);

#endif
