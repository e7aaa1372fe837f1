/*
 * pcapfile.c - classic pcap files read in place (see pcapfile.h).
 *
 * The format (pcap-savefile(5); draft-ietf-opsawg-pcap 4, 5):
 *   file header, 24 bytes: magic (4), version major (2), minor (2),
 *     thiszone (4), sigfigs (4), snaplen (4), linktype (4) - written in the
 *     byte order of the writing host, which the magic reveals;
 *   then records: ts seconds (4), ts micro- or nanoseconds (4), captured
 *     length (4), original length (4), then the captured bytes.
 * The seconds and the fraction are signed 32-bit fields in libpcap's
 * struct pcap_timeval; they are read the same way here so timestamps stay
 * what libpcap gave.
 *
 * The buffer: records are taken from [pos, end) of one large buffer that
 * is refilled (the unread tail moved to the front) when the next record is
 * not wholly in it.  It holds at least a header and the largest record
 * accepted (16 + 262144 bytes), so any accepted record can be handed out
 * as one contiguous range.
 */
#include "ingest/pcapfile.h"

#include "core/err.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PCAPFILE_BUF (1024 * 1024)
#define PCAPFILE_HDR 24
#define PCAPFILE_REC 16
/* libpcap's MAXIMUM_SNAPLEN: max_snaplen_for_dlt() for every link type taken here. */
#define PCAPFILE_MAX_SNAPLEN 262144u

#define MAGIC_USEC 0xa1b2c3d4u
#define MAGIC_NSEC 0xa1b23c4du

struct pcapfile {
	FILE *f;
	int fd;		/* >= 0: read(2) this instead of fread(f) */
	bool swapped;	/* written in the other byte order */
	bool nsec;	/* nanosecond timestamps */
	bool read_error;
	int read_errno;
	int linktype;	/* DLT_ value */
	uint32_t snaplen;
	uint8_t *buf;	/* PCAPFILE_BUF bytes */
	size_t pos, end;
	char err[PCAP_ERRBUF_SIZE];
};

static uint32_t get32(const struct pcapfile *pf, const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return pf->swapped ? __builtin_bswap32(v) : v;
}

static uint16_t get16(const struct pcapfile *pf, const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return pf->swapped ? __builtin_bswap16(v) : v;
}

/*
 * read_some() - append up to @want bytes at buf + end; the count read, 0
 * at the end of the input or on an error (read_error set).
 */
static size_t read_some(struct pcapfile *pf, size_t want)
{
	if (pf->fd < 0) {
		size_t n = fread(pf->buf + pf->end, 1, want, pf->f);
		if (n == 0 && ferror(pf->f)) {
			pf->read_error = true;
			pf->read_errno = errno;
		}
		return n;
	}
	for (;;) {
		ssize_t n = read(pf->fd, pf->buf + pf->end, want);
		if (n >= 0)
			return (size_t)n;
		if (errno != EINTR) {
			pf->read_error = true;
			pf->read_errno = errno;
			return 0;
		}
	}
}

/*
 * fill() - make @need bytes available at buf + pos if the input has them.
 * Returns how many are available (fewer than @need only at the end of the
 * input or on a read error).
 */
static size_t fill(struct pcapfile *pf, size_t need)
{
	size_t have = pf->end - pf->pos;
	if (have >= need)
		return have;
	if (pf->pos + need > PCAPFILE_BUF) {
		memmove(pf->buf, pf->buf + pf->pos, have);
		pf->pos = 0;
		pf->end = have;
	}
	while (have < need) {
		/*
		 * fread() waits for all it asks, so it is asked for the whole
		 * free space only when that is cheap (a file); read(2) returns
		 * what has arrived, so asking for everything costs nothing.
		 */
		size_t want = PCAPFILE_BUF - pf->end;
		size_t n = read_some(pf, want);
		if (n == 0)
			break;
		pf->end += n;
		have += n;
	}
	return have;
}

/* link_dlt() - the DLT_ value of a LINKTYPE_ this reader takes, or -1 (left to libpcap). */
static int link_dlt(uint32_t linktype)
{
	switch (linktype) {
	case 0: /* LINKTYPE_NULL */
		return DLT_NULL;
	case 1: /* LINKTYPE_ETHERNET */
		return DLT_EN10MB;
	case 101: /* LINKTYPE_RAW: DLT_RAW is 12 or 14 depending on the platform */
		return DLT_RAW;
	case 108: /* LINKTYPE_LOOP */
		return DLT_LOOP;
	case 113: /* LINKTYPE_LINUX_SLL */
		return DLT_LINUX_SLL;
	case 276: /* LINKTYPE_LINUX_SLL2 */
		return DLT_LINUX_SLL2;
	case 228: /* LINKTYPE_IPV4 */
		return DLT_IPV4;
	case 229: /* LINKTYPE_IPV6 */
		return DLT_IPV6;
	case 139: /* LINKTYPE_MTP2_WITH_PHDR */
		return DLT_MTP2_WITH_PHDR;
	case 140: /* LINKTYPE_MTP2 */
		return DLT_MTP2;
	case 141: /* LINKTYPE_MTP3 */
		return DLT_MTP3;
	default:
		return -1;
	}
}

/*
 * take_header() - true when buf holds a file header this reader takes:
 * a pcap magic in either order, version 2.4 (2.3 and older may have caplen
 * and len exchanged: libpcap's heuristics decide those), a known link type.
 * The upper 6 bits of the link type field carry FCS information, masked as
 * libpcap masks them.
 */
static bool take_header(struct pcapfile *pf)
{
	if (pf->end < PCAPFILE_HDR)
		return false;
	uint32_t magic;
	memcpy(&magic, pf->buf, 4);
	if (magic == MAGIC_USEC || magic == MAGIC_NSEC) {
		pf->swapped = false;
	} else if (magic == __builtin_bswap32(MAGIC_USEC) || magic == __builtin_bswap32(MAGIC_NSEC)) {
		pf->swapped = true;
		magic = __builtin_bswap32(magic);
	} else {
		return false;
	}
	pf->nsec = magic == MAGIC_NSEC;
	if (get16(pf, pf->buf + 4) != 2 || get16(pf, pf->buf + 6) != 4)
		return false;
	int dlt = link_dlt(get32(pf, pf->buf + 20) & 0x03FFFFFFu);
	if (dlt < 0)
		return false;
	pf->linktype = dlt;
	/* pcap_adjust_snapshot(): 0 or above the maximum means the maximum. */
	uint32_t snap = get32(pf, pf->buf + 16);
	pf->snaplen = snap == 0 || snap > PCAPFILE_MAX_SNAPLEN ? PCAPFILE_MAX_SNAPLEN : snap;
	pf->pos = PCAPFILE_HDR;
	return true;
}

int pcapfile_open(FILE *f, int fd, struct pcapfile **out)
{
	struct pcapfile *pf = calloc(1, sizeof(*pf));
	*out = NULL;
	if (!pf)
		return -ENOMEM;
	pf->buf = malloc(PCAPFILE_BUF);
	if (!pf->buf) {
		free(pf);
		return -ENOMEM;
	}
	pf->f = f;
	pf->fd = fd;
	*out = pf;
	/*
	 * Only the file header is asked for: a pipe must not be waited on for
	 * more, and what was read goes to libpcap if the file is not taken.
	 */
	while (pf->end < PCAPFILE_HDR) {
		size_t n = read_some(pf, PCAPFILE_HDR - pf->end);
		if (n == 0)
			break;
		pf->end += n;
	}
	return take_header(pf) ? 1 : 0;
}

/* ---- fallback: the bytes read so far, then the rest of the stream ---- */

struct replay {
	FILE *f;
	int fd;
	uint8_t *buf;
	size_t pos, end;
};

static ssize_t replay_read(void *cookie, char *out, size_t size)
{
	struct replay *rp = cookie;
	if (rp->pos < rp->end) {
		size_t n = rp->end - rp->pos < size ? rp->end - rp->pos : size;
		memcpy(out, rp->buf + rp->pos, n);
		rp->pos += n;
		return (ssize_t)n;
	}
	if (rp->fd >= 0) {
		for (;;) {
			ssize_t n = read(rp->fd, out, size);
			if (n >= 0 || errno != EINTR)
				return n;
		}
	}
	size_t n = fread(out, 1, size, rp->f);
	return n == 0 && ferror(rp->f) ? -1 : (ssize_t)n;
}

static int replay_close(void *cookie)
{
	struct replay *rp = cookie;
	int rc = rp->f != stdin ? fclose(rp->f) : 0;
	free(rp->buf);
	free(rp);
	return rc;
}

FILE *pcapfile_fallback(struct pcapfile *pf, char *iobuf, size_t iobuf_size)
{
	struct replay *rp = malloc(sizeof(*rp));
	FILE *cf = NULL;
	if (rp) {
		*rp = (struct replay){ pf->f, pf->fd, pf->buf, pf->pos, pf->end };
		cookie_io_functions_t io = { .read = replay_read, .close = replay_close };
		cf = fopencookie(rp, "rb", io);
	}
	if (!cf) {
		free(rp);
		pcapfile_close(pf);
		return NULL;
	}
	if (iobuf)
		(void)setvbuf(cf, iobuf, _IOFBF, iobuf_size);
	free(pf); /* its FILE and buffer now belong to the replay */
	return cf;
}

/* ---- records ---- */

int pcapfile_linktype(const struct pcapfile *pf)
{
	return pf->linktype;
}

int pcapfile_snaplen(const struct pcapfile *pf)
{
	return (int)pf->snaplen;
}

const char *pcapfile_error(const struct pcapfile *pf)
{
	return pf->err;
}

/* cut_short() - the input ended (or failed) inside a record: libpcap's message. */
static int cut_short(struct pcapfile *pf, const char *what, size_t wanted, size_t got)
{
	if (pf->read_error)
		snprintf(pf->err, sizeof(pf->err), "error reading dump file: %s", strerror(pf->read_errno));
	else
		snprintf(pf->err, sizeof(pf->err), "truncated dump file; tried to read %zu %s, only got %zu",
			 wanted, what, got);
	return -SS_EPARSE;
}

int pcapfile_next(struct pcapfile *pf, struct pcapfile_record *rec)
{
	size_t have = fill(pf, PCAPFILE_REC);
	if (have < PCAPFILE_REC) {
		if (have == 0 && !pf->read_error)
			return 0; /* the end, between records */
		return cut_short(pf, "header bytes", PCAPFILE_REC, have);
	}
	const uint8_t *h = pf->buf + pf->pos;
	int32_t sec = (int32_t)get32(pf, h), frac = (int32_t)get32(pf, h + 4);
	uint32_t caplen = get32(pf, h + 8), len = get32(pf, h + 12);

	/* Larger than any link type allows: a damaged or hostile file, stop. */
	if (caplen > PCAPFILE_MAX_SNAPLEN) {
		if (caplen > pf->snaplen)
			snprintf(pf->err, sizeof(pf->err),
				 "invalid packet capture length %u, bigger than snaplen of %d", caplen,
				 (int)pf->snaplen);
		else
			snprintf(pf->err, sizeof(pf->err),
				 "invalid packet capture length %u, bigger than maximum of %u", caplen,
				 PCAPFILE_MAX_SNAPLEN);
		return -SS_EPARSE;
	}
	/* Above the file's snapshot length: libpcap keeps snaplen bytes and skips the rest. */
	uint32_t keep = caplen > pf->snaplen ? pf->snaplen : caplen;
	have = fill(pf, PCAPFILE_REC + (size_t)caplen) - PCAPFILE_REC;
	if (have < keep)
		return cut_short(pf, "captured bytes", keep, have);
	if (have < caplen)
		return cut_short(pf, "captured bytes", caplen, have);

	h = pf->buf + pf->pos; /* fill() may have moved the buffer */
	rec->data = h + PCAPFILE_REC;
	rec->caplen = keep;
	rec->len = len;
	rec->ts = (ss_time_us)sec * SS_US_PER_SEC + (pf->nsec ? frac / 1000 : frac);
	pf->pos += PCAPFILE_REC + (size_t)caplen;
	return 1;
}

void pcapfile_close(struct pcapfile *pf)
{
	if (!pf)
		return;
	if (pf->f && pf->f != stdin)
		fclose(pf->f);
	free(pf->buf);
	free(pf);
}
