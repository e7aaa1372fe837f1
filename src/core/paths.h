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

#endif
