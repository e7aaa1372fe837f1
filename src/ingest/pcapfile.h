/*
 * pcapfile.h - a reader of classic pcap capture files (the format of
 * pcap-savefile(5), draft-ietf-opsawg-pcap) that hands out records in place:
 * the record data is a pointer into a large read buffer, not a copy.
 *
 * Why not libpcap: pcap_next_ex() reads every record with two fread()s,
 * copying it from stdio's buffer into its own; on signalling captures
 * (a few hundred bytes a frame) those copies cost more than walking the
 * frame down to its transport payload.  libpcap stays the reader for live
 * capture, pcapng and everything this reader does not take on.
 *
 * Handled: version 2.4 files, microsecond (0xa1b2c3d4) and nanosecond
 * (0xa1b23c4d) magic, in either byte order, of the link types the capture
 * walker knows (pcapfile_open() lists them).  Anything else - pcapng, older
 * versions, other link types, a header cut short - is left to libpcap:
 * pcapfile_open() says so and pcapfile_fallback() gives a FILE that
 * replays the bytes already read, then the rest of the stream (so standard
 * input works too).
 *
 * A regular file is mapped (mmap(2)) rather than read: no kernel copy.  A
 * file cut shorter while mapped does not kill the process with SIGBUS: the
 * reader installs a SIGBUS handler for its mappings (other faults go on to
 * the handler that was there before) and reports the cut as for a file
 * that was short from the start; cut below records already handed out, it
 * says "file cut to N bytes while being read".  A file that grows is
 * followed, as read(2) follows it.
 *
 * Records are checked as libpcap 1.10 checks them, with its messages:
 * caplen above the link type's maximum (262144) is an error; caplen above
 * the file's snapshot length is cut to it (the rest skipped); a record cut
 * short by the end of the file is an error naming what was missing.
 */
#ifndef SS_INGEST_PCAPFILE_H
#define SS_INGEST_PCAPFILE_H

#include "core/time.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct pcapfile;

/* One record: @data (caplen bytes) lives in the reader's buffer until the next call. */
struct pcapfile_record {
	const uint8_t *data;
	uint32_t caplen;  /* bytes at @data (after the snapshot-length cut) */
	uint32_t len;	  /* original length on the wire */
	ss_time_us ts;	  /* microseconds (nanosecond files truncated, as libpcap does) */
};

/*
 * pcapfile_open() - look at the start of @f.  Returns 1 and sets *out when
 * the file is one this reader takes (the reader then owns @f); 0 when it
 * is not (*out is still set: call pcapfile_fallback() to hand the stream
 * to libpcap); -ENOMEM (@f untouched, still the caller's).
 * @fd: -1 to map @f when it is a regular file (from its current offset),
 * else read it with fread() in large blocks (memory streams); or @f's
 * descriptor when it is a pipe, socket or terminal that nothing has read
 * from yet: it is then read with read(2), which returns what has arrived
 * instead of waiting for a full buffer while a capture trickles in.
 */
int pcapfile_open(FILE *f, int fd, struct pcapfile **out);

/*
 * pcapfile_fallback() - end the reader and return a FILE that yields the
 * bytes it had read, then the rest of @f, buffered in @iobuf (@iobuf_size
 * bytes, owned by the caller, kept until that FILE is closed; NULL: stdio's
 * own).  Closing that FILE closes @f (unless it is stdin).  NULL on
 * failure (@f is then closed too).
 */
FILE *pcapfile_fallback(struct pcapfile *pf, char *iobuf, size_t iobuf_size);

/* The file's link type as a DLT_ value, and its snapshot length as libpcap adjusts it. */
int pcapfile_linktype(const struct pcapfile *pf);
int pcapfile_snaplen(const struct pcapfile *pf);

/* pcapfile_mapped() - true when the records come from a mapping of the file (not read(2)). */
bool pcapfile_mapped(const struct pcapfile *pf);

/*
 * pcapfile_next() - the next record: 1, 0 at the end of the file, or
 * -SS_EPARSE (cut short, corrupt or a read error; pcapfile_error() says
 * which, in libpcap's words).
 */
int pcapfile_next(struct pcapfile *pf, struct pcapfile_record *rec);

const char *pcapfile_error(const struct pcapfile *pf);

/* pcapfile_close() - free the reader and close its FILE (not stdin).  Accepts NULL. */
void pcapfile_close(struct pcapfile *pf);

#endif
