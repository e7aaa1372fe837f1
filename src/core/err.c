/* err.c - messages for simsieve and errno codes (see err.h). */
#include "core/err.h"

#include <string.h>

const char *ss_strerror(int code)
{
	if (code < 0)
		code = -code;
	switch (code) {
#define SS_ERR_CASE(name, value, text)                                         \
	case value:                                                            \
		return text;
		SS_ERROR_LIST(SS_ERR_CASE)
#undef SS_ERR_CASE
	default:
		return strerror(code);
	}
}
