/*
 * sms_tpdu.h - inside decode/: the SMS TPDU decoder's reassembly table
 * statistics and its text helpers (3GPP TS 23.040, TS 23.038).
 *
 * The decoder itself is dec_sms_tpdu() in context.h.  The concatenated-SMS
 * table lives in the context's sms_concat slot: allocated once on first use
 * (DEC_SMS_CONCAT_MAX entries), freed by dec_context_close().
 */
#ifndef SS_DECODE_SMS_TPDU_H
#define SS_DECODE_SMS_TPDU_H

#include "decode/context.h"

/* Bounds of the concatenated-SMS table (TS 23.040 9.2.3.24.1 / .8). */
#define DEC_SMS_CONCAT_MAX 4096			      /* pending (incomplete) messages */
#define DEC_SMS_CONCAT_EXPIRE (10 * SS_US_PER_MIN) /* capture time after the first part */

struct dec_sms_concat_stats {
	uint64_t parts;	     /* concatenated parts offered */
	uint64_t completed;  /* messages whose last part arrived */
	uint64_t duplicates; /* a part seen twice (retransmission): ignored */
	uint64_t expired;    /* pending messages dropped after DEC_SMS_CONCAT_EXPIRE */
	uint64_t evicted;    /* pending messages dropped, oldest first, when the table was full */
	uint64_t truncated;  /* messages whose text exceeded DEC_TEXT_SIZE - 1 bytes */
	uint32_t pending;    /* messages waiting for parts now */
};

/* dec_sms_concat_stats() - counters of @ctx's table (all zero before the first part). */
void dec_sms_concat_stats(const struct dec_context *ctx, struct dec_sms_concat_stats *out);

/*
 * dec_gsm7_unpack() - TS 23.038 6.1.2.1 packed septets -> UTF-8 via the GSM
 * 7-bit default alphabet and its extension table (6.2.1, 6.2.1.1).
 * @p/@len: the octets; @first: index of the first septet to decode (septets
 * before it belong to a UDH); @nsept: index one past the last septet.
 * Writes at most @size - 1 bytes plus a NUL, never a partial character.
 * Returns the number of bytes written; stops early (silently) when @out is full.
 */
size_t dec_gsm7_unpack(const uint8_t *p, size_t len, size_t first, size_t nsept, char *out, size_t size);

#endif
