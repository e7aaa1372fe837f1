/*
 * err.h - simsieve error codes.
 *
 * Functions return 0 (or a count) on success and a negative code on failure.
 * Negative codes are either -errno values (from libc / LMDB system errors) or
 * one of the SS_E* codes below, which live above 10000 so they never collide
 * with errno.  ss_strerror() covers both.
 *
 * The list is an X-macro so the enum and the messages cannot drift apart.
 */
#ifndef SS_CORE_ERR_H
#define SS_CORE_ERR_H

#define SS_ERROR_LIST(X)                                                      \
	X(SS_EPARSE, 10001, "malformed input")                                \
	X(SS_ECONFIG, 10002, "invalid configuration")                          \
	X(SS_ETOOLONG, 10003, "value too long")                                \
	X(SS_EBADTIME, 10004, "bad time value")                                \
	X(SS_EBADDIGITS, 10005, "expected digits")                             \
	X(SS_EMISSING, 10006, "required value missing")                        \
	X(SS_EDUP, 10007, "duplicate")                                         \
	X(SS_ELMDB, 10008, "LMDB error")                                       \
	X(SS_EUSAGE, 10009, "bad usage")                                       \
	X(SS_EFULL, 10010, "capacity reached")                                 \
	X(SS_ENOTFOUND, 10011, "not found")

enum ss_error {
#define SS_ERR_ENUM(name, value, text) name = (value),
	SS_ERROR_LIST(SS_ERR_ENUM)
#undef SS_ERR_ENUM
};

/*
 * ss_strerror() - message for a negative return code.
 * @code: a negative SS_E* or -errno value (a positive one is accepted too).
 * Returns a static string; never NULL.
 */
const char *ss_strerror(int code);

#endif
