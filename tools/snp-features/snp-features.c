// SPDX-License-Identifier: GPL-2.0
/*
 * snp-features: explain why an SEV-SNP guest stopped, decode SEV_STATUS
 * and VMSA SEV_FEATURES values, and show what a guest runs with.
 * See snp-features.1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/kvm.h>
#include "snpf.h"
#include "snp_features_table.h"

#ifndef SNPF_VERSION
#define SNPF_VERSION "unknown"
#endif

/* uapi asm/kvm.h of 6.10 and later; older headers lack them */
#ifndef KVM_X86_GRP_SEV
#define KVM_X86_GRP_SEV			1
#endif
#ifndef KVM_X86_SEV_VMSA_FEATURES
#define KVM_X86_SEV_VMSA_FEATURES	0
#endif

#define EXIT_FOUND	0
#define EXIT_NONE	1	/* explain: nothing recognised; status: would not run */
#define EXIT_BAD	2	/* usage error or bad input */
#define EXIT_UNKNOWN	3	/* status: cannot tell */

/*
 * The schema_version of each command's JSON document
 * (snp-features.schema.json): explain 2 since libkrun's events and journal
 * records; decode and status 1.
 */
#define EXPLAIN_SCHEMA	2

#define BLOCK		(1U << 20)	/* read size */
#define LINE_CAP	(1U << 16)	/* longer lines are skipped */

/* SEV_STATUS: the SEV mode bits, below the features */
#define STATUS_SNP	(1ULL << 2)
#define STATUS_MODES	0x7ULL

static int json, vmsa_opt;

/* preflight's options with a value, in order: "--kernel", "6.1.9", ... */
static const char *pf_opts[2 * 65];	/* the features and 64 kernels */
static int pf_nopts;

/* One line on standard error: "snp-features: " and the message. */
static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("snp-features: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_BAD;
}

/*
 * Standard output written so far, pushed out; EXIT_BAD with the cause when
 * that fails (a full disk, a closed pipe or descriptor), else 0.
 */
static int flush_out(void)
{
	if (fflush(stdout) == EOF || ferror(stdout))
		return fail("cannot write the output: %s", strerror(errno ? errno : EIO));
	return 0;
}

/* ---- explain ---- */

/*
 * Prefilter: a line is parsed only if it contains one of the 8-byte
 * pieces of the sources snpf_parse_line() knows (snpf_sources[]). The
 * parser checks the whole line, so a piece only has to be present in every
 * real line of its formats; it is chosen to be rare in other log lines.
 */
#define PIECE	SNPF_PIECE
static const char *pieces[SRC_COUNT];
static size_t npieces;

/*
 * Wu-Manber search for the pieces: look at the last two bytes of an
 * 8-byte window and skip as far as no piece can end earlier.
 */
static unsigned char shift[1 << 16];

static unsigned int bigram(const char *p)
{
	return (unsigned int)(unsigned char)p[0] << 8 | (unsigned char)p[1];
}

static uint64_t piece_words[SRC_COUNT];	/* the pieces, as 8-byte words */
/* the piece that ends with a bigram: its index, -1 for none, -2 for several */
static signed char piece_at_end[1 << 16];

static uint64_t word8(const char *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof(w));
	return w;
}

static void init_shift(void)
{
	size_t i, j;

	npieces = 0;
	for (i = SRC_NONE + 1; i < SRC_COUNT; i++) {
		for (j = 0; j < npieces; j++)
			if (!strcmp(pieces[j], snpf_sources[i].piece))
				break;
		if (j == npieces) {
			pieces[npieces] = snpf_sources[i].piece;
			piece_words[npieces++] = word8(snpf_sources[i].piece);
		}
	}
	memset(piece_at_end, -1, sizeof(piece_at_end));
	for (i = 0; i < npieces; i++) {
		signed char *e = &piece_at_end[bigram(pieces[i] + PIECE - 2)];

		*e = *e == -1 ? (signed char)i : -2;
	}
	memset(shift, PIECE - 1, sizeof(shift));
	for (i = 0; i < npieces; i++)
		for (j = 0; j + 1 < PIECE; j++) {
			unsigned int h = bigram(pieces[i] + j);
			unsigned char d = (unsigned char)(PIECE - 2 - j);

			if (d < shift[h])
				shift[h] = d;
		}
}

/* The windows holding a piece, in order: where, and which piece. */
struct hits {
	const char **at, **piece;
	size_t n, cap;
};

static void hit_add(struct hits *h, const char *at)
{
	uint64_t w = word8(at);
	int e = piece_at_end[bigram(at + PIECE - 2)];
	size_t i;

	if (e >= 0) {
		/* the one piece that ends so: it or nothing */
		if (w != piece_words[e])
			return;
		i = (size_t)e;
	} else {
		for (i = 0; i < npieces; i++)
			if (w == piece_words[i])
				break;
		if (i == npieces)
			return;
	}
	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 1024;
		const char **a = realloc(h->at, cap * sizeof(*a));
		const char **p;

		if (!a)
			abort();
		h->at = a;
		p = realloc(h->piece, cap * sizeof(*p));
		if (!p)
			abort();
		h->piece = p;
		h->cap = cap;
	}
	h->at[h->n] = at;
	h->piece[h->n++] = pieces[i];
}

/* Every window of [p, end) that holds a piece, into h (after its hits). */
static void find_all(const char *p, const char *end, struct hits *h)
{
	const char *w = p + PIECE - 2;	/* first byte of the last bigram */

	while (w + 1 < end) {
		unsigned char d = shift[bigram(w)];

		if (d) {
			w += d;
			continue;
		}
		hit_add(h, w + 2 - PIECE);
		w++;
	}
}

/*
 * The same for NSTREAMS regions at once, each into its own hits: the skip
 * loop is a chain of dependent loads, and independent chains keep the
 * processor busy while each waits.
 */
#define NSTREAMS 2

static struct hits hits[NSTREAMS];

static void find_all_n(const char *const *start, const char *end, int n)
{
	const char *w[NSTREAMS], *lim[NSTREAMS];
	int s, live = 1;

	for (s = 0; s < n; s++) {
		w[s] = start[s] + PIECE - 2;
		lim[s] = s + 1 < n ? start[s + 1] : end;
		live &= w[s] + 1 < lim[s];
	}
	while (live) {
		for (s = 0; s < n; s++) {
			unsigned char d = shift[bigram(w[s])];

			if (!d) {
				hit_add(&hits[s], w[s] + 2 - PIECE);
				d = 1;
			}
			w[s] += d;
			live &= w[s] + 1 < lim[s];
		}
	}
	for (s = 0; s < n; s++)
		if (w[s] + 1 < lim[s])
			find_all(w[s] + 2 - PIECE, lim[s], &hits[s]);
}

struct explain {
	unsigned long long line;	/* line number at 'counted' */
	const char *counted;
	unsigned long long found;
	int started;			/* the JSON document's head is out */
	int unflushed;			/* events not pushed out yet */
};

/*
 * The head of the JSON document goes out with the first event (or at the
 * end): an input rejected before that leaves nothing on standard output.
 */
static void json_head(struct explain *x)
{
	if (!x->started) {
		out_begin(NULL);
		out_uint("schema_version", NULL, EXPLAIN_SCHEMA);
		out_str("command", NULL, "explain");
		out_array("events");
	}
	x->started = 1;
}

/* The end of the document begun by json_head(). */
static void json_tail(struct explain *x)
{
	out_array_end();
	out_uint("recognised", NULL, x->found);
	out_end();
}

/*
 * The newlines in [p, end), eight bytes at a time: each word marks its
 * newline bytes with a 1 in that byte, and the marks add up bytewise for
 * up to 255 words before the bytes are summed.
 */
static unsigned long long count_newlines(const char *p, const char *end)
{
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7fULL, nl = 0x0a0a0a0a0a0a0a0aULL;
	unsigned long long n = 0;

	while (end - p >= 8) {
		uint64_t acc = 0;
		int k;

		for (k = 0; k < 255 && end - p >= 8; k++, p += 8) {
			uint64_t v;

			memcpy(&v, p, sizeof(v));
			v ^= nl;	/* a newline is now a zero byte */
			/* the top bit of each byte that is zero, exactly */
			acc += (~(((v & low7) + low7) | v) & ~low7) >> 7;
		}
		/* bytes of up to 255: add them in 16-bit lanes, then the lanes */
		acc = (acc & 0x00ff00ff00ff00ffULL) + (acc >> 8 & 0x00ff00ff00ff00ffULL);
		n += acc * 0x0001000100010001ULL >> 48;
	}
	for (; p < end; p++)
		n += *p == '\n';
	return n;
}

static void count_lines(struct explain *x, const char *to)
{
	x->line += count_newlines(x->counted, to);
	x->counted = to;
}

/* 1 when the line is an event (then reported), else 0. */
static int report(struct explain *x, const char *s, size_t len, const char *piece)
{
	struct snpf_event ev;

	if (!snpf_parse_line_piece(s, len, piece, &ev))
		return 0;
	/* lines are counted only up to an event's line, when it is one */
	count_lines(x, s);
	json_head(x);
	snpf_out_event(&ev, x->line);
	x->found++;
	x->unflushed = 1;
	return 1;
}

/* The lines of the hits of h (each once), from pos on; the new pos. */
static const char *scan_hits(struct explain *x, const struct hits *h, const char *pos,
			     const char *end)
{
	size_t i, j;

	for (i = 0; i < h->n; i++) {
		const char *hit = h->at[i], *ls, *le;

		if (hit < pos)
			continue;	/* in a line already read */
		ls = memrchr(pos, '\n', (size_t)(hit - pos));
		ls = ls ? ls + 1 : pos;
		le = memchr(hit, '\n', (size_t)(end - hit));
		le = le ? le : end;
		/*
		 * The sources of the first piece in the line read it; if none
		 * does, those of a later piece in it may.
		 */
		if ((size_t)(le - ls) <= LINE_CAP)
			for (j = i; j < h->n && h->at[j] < le; j++)
				if (report(x, ls, (size_t)(le - ls), h->piece[j]))
					break;
		pos = le < end ? le + 1 : end;
	}
	return pos;
}

/* Complete lines in buf[0, len): parse each line that holds a piece. */
static void scan(struct explain *x, const char *buf, size_t len)
{
	const char *end = buf + len, *pos = buf, *start[NSTREAMS + 1];
	int n = 1, s;

	x->counted = buf;
	/* regions that begin after a newline, when there is enough to split */
	start[0] = buf;
	if (len >= 4096)
		for (s = 1; s < NSTREAMS; s++) {
			const char *from = buf + len / NSTREAMS * (size_t)s;
			const char *nl = memchr(from, '\n', (size_t)(end - from));

			if (!nl || nl + 1 >= end || nl + 1 <= start[n - 1])
				break;
			start[n++] = nl + 1;
		}
	start[n] = end;
	for (s = 0; s < n; s++)
		hits[s].n = 0;
	if (n > 1)
		find_all_n(start, end, n);
	else
		find_all(buf, end, &hits[0]);
	for (s = 0; s < n; s++)
		pos = scan_hits(x, &hits[s], pos > start[s] ? pos : start[s], start[s + 1]);
	count_lines(x, end);
}

/*
 * One read: what a file has, up to len, or what a pipe holds now, so that
 * the lines of 'dmesg -w' or 'journalctl -f' are explained as they come.
 */
static ssize_t read_some(int fd, char *buf, size_t len)
{
	ssize_t n;

	do
		n = read(fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n;
}

/* Binary input: a NUL byte in the first block (as grep decides). */
static int looks_binary(const char *buf, size_t len, int first)
{
	return first && memchr(buf, '\0', len) != NULL;
}

/* After a scan: what was reported goes out now; 0 or EXIT_BAD. */
static int push(struct explain *x)
{
	if (!x->unflushed)
		return 0;
	x->unflushed = 0;
	return flush_out();
}

static int explain_fd(int fd, const char *name, struct explain *x)
{
	char *buf = malloc(BLOCK + LINE_CAP + 1);
	size_t have = 0;
	int first = 1, skipping = 0;

	if (!buf)
		return fail("out of memory");
	for (;;) {
		ssize_t n = read_some(fd, buf + have, BLOCK);
		char *last;
		size_t keep;

		if (n < 0) {
			int err = errno;

			free(buf);
			return fail("cannot read %s: %s", name, strerror(err));
		}
		if (looks_binary(buf + have, (size_t)n, first)) {
			free(buf);
			return fail("%s: binary input (a NUL byte in its first block), not a log", name);
		}
		first = 0;
		have += (size_t)n;
		if (n == 0) {
			if (!skipping)
				scan(x, buf, have);
			break;
		}
		last = memrchr(buf, '\n', have);
		if (!last) {
			/* one long line so far: skip it once it passes the cap */
			if (have > LINE_CAP) {
				skipping = 1;
				have = 0;
			}
			continue;
		}
		if (skipping) {
			/* drop the rest of the over-long line */
			char *nl = memchr(buf, '\n', have);

			x->line++;
			memmove(buf, nl + 1, have - (size_t)(nl + 1 - buf));
			have -= (size_t)(nl + 1 - buf);
			skipping = 0;
			last = memrchr(buf, '\n', have);
			if (!last)
				continue;
		}
		scan(x, buf, (size_t)(last + 1 - buf));
		if (push(x)) {
			free(buf);
			return EXIT_BAD;
		}
		keep = have - (size_t)(last + 1 - buf);
		memmove(buf, last + 1, keep);
		have = keep;
		if (have > LINE_CAP) {
			skipping = 1;
			have = 0;
		}
	}
	free(buf);
	return -1;
}

static int cmd_explain(int argc, char **argv)
{
	struct explain x = { .line = 1 };
	const char *name = argc > 0 ? argv[0] : "-";
	struct stat st;
	int fd = 0, ret;

	if (argc > 1)
		return fail("explain takes one FILE (or -), got %d", argc);
	if (strcmp(name, "-")) {
		fd = open(name, O_RDONLY);
		if (fd < 0)
			return fail("cannot open %s: %s", name, strerror(errno));
	}
	if (!fstat(fd, &st) && S_ISDIR(st.st_mode)) {
		if (fd)
			close(fd);
		return fail("cannot read %s: %s", name, strerror(EISDIR));
	}
	init_shift();
	ret = explain_fd(fd, name, &x);
	if (fd)
		close(fd);
	if (ret >= 0) {
		/*
		 * A document already begun is closed, so that it stays valid
		 * JSON; the error line and the exit status say it is short.
		 */
		if (json && x.started) {
			json_tail(&x);
			fflush(stdout);
		}
		return ret;
	}
	if (json) {
		json_head(&x);
		json_tail(&x);
	} else if (!x.found) {
		puts("no termination request or SEV event recognised");
	}
	if (flush_out())
		return EXIT_BAD;
	return x.found ? EXIT_FOUND : EXIT_NONE;
}

/* ---- decode ---- */

static void decode_one(const char *in, uint64_t status, int vmsa)
{
	out_begin(NULL);
	out_str("input", "%s", in);
	out_str("layout", NULL, vmsa ? "vmsa" : "sev_status");
	out_text(" (%s): ", vmsa ? "VMSA layout" : "SEV_STATUS layout");
	out_hex("sev_status", "SEV_STATUS 0x%016" PRIx64, status);
	out_hex("vmsa", ", VMSA SEV_FEATURES 0x%016" PRIx64 "\n", status >> SNPF_VMSA_SHIFT);
	if (!status)
		out_text("  no bit set\n");
	out_bits("bits", status, "  ");
	if (!vmsa && (status & 3))
		out_text("  note: SEV_STATUS bits 0-1 have no VMSA position\n");
	out_end();
}

static int cmd_decode(int argc, char **argv)
{
	int vmsa = vmsa_opt, i;

	if (argc < 1)
		return fail("decode needs a VALUE");
	for (i = 0; i < argc; i++) {
		uint64_t v;

		if (snpf_number_ambiguous(argv[i]))
			return fail("%s: ambiguous (binary or an exponent?); write hexadecimal with 0x",
				    argv[i]);
		if (!snpf_parse_u64(argv[i], &v))
			return fail("not a hexadecimal number of at most 64 bits: '%s'",
				    argv[i]);
		if (vmsa && v >> 62)
			return fail("VMSA bits 62-63 have no SEV_STATUS bit: %s", argv[i]);
	}
	out_begin(NULL);
	out_uint("schema_version", NULL, 1);
	out_str("command", NULL, "decode");
	out_array("values");
	for (i = 0; i < argc; i++) {
		uint64_t v;

		snpf_parse_u64(argv[i], &v);
		decode_one(argv[i], vmsa ? v << SNPF_VMSA_SHIFT : v, vmsa);
	}
	out_array_end();
	out_end();
	return flush_out() ? EXIT_BAD : EXIT_FOUND;
}

/* ---- status ---- */

enum mask_state { MASK_UNKNOWN, MASK_VALUE, MASK_NOT_ENFORCED };

struct mask {
	enum mask_state state;
	uint64_t v;
};

static const char *debugfs_dir(void)
{
	const char *d = getenv("SNP_FEATURES_DEBUGFS");

	return d ? d : "/sys/kernel/debug/x86/snp_features";
}

/*
 * The first line of one of the module's debugfs files, without its newline,
 * in buf; 0, or -1 (buf empty) when the file cannot be read or is empty.
 */
static int read_line(const char *file, char *buf, size_t size)
{
	char path[4096];
	ssize_t n;
	int fd;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/%s", debugfs_dir(), file);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0) {
		buf[0] = '\0';
		return -1;
	}
	buf[n] = '\0';
	/* a first line longer than the buffer is not cut short: refused */
	if (!memchr(buf, '\n', (size_t)n) && (size_t)n == size - 1) {
		buf[0] = '\0';
		return -2;
	}
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/*
 * Read one debugfs file: "0x%016llx" or "not enforced". *bad, when given,
 * is set when the file is there but holds neither.
 */
static struct mask read_mask(const char *file, int *bad)
{
	struct mask m = { MASK_UNKNOWN, 0 };
	char buf[64];
	int r = read_line(file, buf, sizeof(buf));

	if (bad)
		*bad = r == -2;
	if (r)
		return m;
	if (!strcmp(buf, "not enforced"))
		m.state = MASK_NOT_ENFORCED;
	else if (snpf_parse_u64(buf, &m.v))
		m.state = MASK_VALUE;
	else if (bad)
		*bad = 1;
	return m;
}

/*
 * The module's "source" file: where the kernel's required and implemented
 * masks come from. Empty when there is no such file or it holds no
 * printable one-line text.
 */
static void read_policy(char *buf, size_t size)
{
	size_t i;

	if (read_line("source", buf, size))
		return;
	for (i = 0; buf[i]; i++)
		if ((unsigned char)buf[i] < 0x20 || (unsigned char)buf[i] > 0x7e) {
			buf[0] = '\0';
			return;
		}
}

static int read_msr(uint64_t *v)
{
	const char *dev = getenv("SNP_FEATURES_MSR");
	int fd = open(dev ? dev : "/dev/cpu/0/msr", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = pread(fd, v, sizeof(*v), 0xc0010131);
	close(fd);
	return n == sizeof(*v) ? 0 : -1;
}

static void show_mask(const char *name, struct mask m)
{
	out_text("%-12s ", name);
	if (m.state == MASK_VALUE) {
		out_hex(name, "0x%016" PRIx64 "\n", m.v);
	} else if (m.state == MASK_NOT_ENFORCED) {
		out_str(name, NULL, "not enforced");
		out_text("not enforced (this kernel does not check)\n");
	} else {
		out_str(name, NULL, "unknown");
		out_text("unknown (load the snp_features module to see it)\n");
	}
}

static int verdict(uint64_t status, struct mask req, struct mask impl,
		   struct mask *uns, const char **why)
{
	uint64_t en = status & ~STATUS_MODES;

	if (!(status & STATUS_SNP)) {
		*why = SNPF_VERDICT_NOT_ACTIVE;
		uns->state = MASK_VALUE;
		uns->v = 0;
		return EXIT_FOUND;
	}
	if (req.state == MASK_NOT_ENFORCED) {
		uns->state = MASK_NOT_ENFORCED;
		*why = SNPF_VERDICT_NOT_ENFORCED;
		return EXIT_FOUND;
	}
	if (req.state == MASK_VALUE && impl.state == MASK_VALUE) {
		uns->state = MASK_VALUE;
		uns->v = en & req.v & ~impl.v;
		*why = uns->v ? SNPF_VERDICT_REFUSE : SNPF_VERDICT_RUNS;
		return uns->v ? EXIT_NONE : EXIT_FOUND;
	}
	if (!(en & snpf_guest_required())) {
		*why = "no enabled feature needs guest support: any kernel runs";
		uns->state = MASK_VALUE;
		uns->v = 0;
		return EXIT_FOUND;
	}
	*why = "cannot tell: what the running kernel implements is unknown without the snp_features module";
	return EXIT_UNKNOWN;
}

static int cmd_status(int argc, char **argv)
{
	int bad;
	struct mask st = read_mask("status", &bad), req, impl, uns = { MASK_UNKNOWN, 0 };
	struct mask en;
	const char *from = "debugfs", *why;
	char line[1024], policy[256] = "";
	int ret;

	(void)argv;
	if (argc)
		return fail("status takes no arguments, got %d", argc);
	if (bad)
		return fail("%s/status holds no SEV_STATUS value (want 0x and 16 hex digits): a broken or foreign debugfs file",
			    debugfs_dir());
	if (st.state != MASK_VALUE) {
		from = "msr";
		if (read_msr(&st.v))
			return fail("cannot read SEV_STATUS: no snp_features debugfs and no readable /dev/cpu/0/msr (load msr or snp_features, run as root)");
		st.state = MASK_VALUE;
	}
	req = read_mask("required", NULL);
	impl = read_mask("implemented", NULL);
	if (!strcmp(from, "debugfs"))
		read_policy(policy, sizeof(policy));
	en.state = MASK_VALUE;
	en.v = st.v & ~STATUS_MODES;
	ret = verdict(st.v, req, impl, &uns, &why);
	snpf_kernel_line(st.v, line, sizeof(line));
	out_begin(NULL);
	out_uint("schema_version", NULL, 1);
	out_str("command", NULL, "status");
	out_str("kernel_line", "%s\n", line);
	out_hex("sev_status", "SEV_STATUS   0x%016" PRIx64, st.v);
	out_str("source", " (from %s)", from);
	out_hex("vmsa", ", VMSA SEV_FEATURES 0x%016" PRIx64 "\n", st.v >> SNPF_VMSA_SHIFT);
	show_mask("enabled", en);
	show_mask("required", req);
	show_mask("implemented", impl);
	show_mask("unsupported", uns);
	out_bool("would_run", NULL, ret == EXIT_FOUND ? 1 : ret == EXIT_NONE ? 0 : -1);
	if (policy[0]) {
		out_text("%-12s ", "policy");
		out_str("kernel_policy", "%s\n", policy);
	}
	out_bits("bits", st.v, "  ");
	out_str("verdict", "verdict: %s\n", why);
	out_end();
	return flush_out() ? EXIT_BAD : ret;
}

/* ---- preflight ---- */

/*
 * "6.1.9", or "6.1", and what may follow them in uname -r ("6.12.78-amd64",
 * "6.1-rc1") as a version code. A sublevel past 255 counts as 255, as in
 * LINUX_VERSION_CODE.
 */
static int parse_version(const char *s, unsigned int *code)
{
	unsigned long v[3] = { 0, 0, 0 };
	int n = 0;
	char *end;

	while (n < 3 && *s >= '0' && *s <= '9') {
		errno = 0;
		v[n] = strtoul(s, &end, 10);
		if (errno || (n < 2 && v[n] > 255))
			return -1;
		n++;
		s = end;
		if (n < 3 && *s == '.' && s[1] >= '0' && s[1] <= '9')
			s++;
		else
			break;
	}
	if (n < 2 || (*s && !strchr("-+_~", *s)))
		return -1;
	*code = (unsigned int)(v[0] << 16 | v[1] << 8 | (v[2] > 255 ? 255 : v[2]));
	return 0;
}

/* "6.1.9"; "6.1.y" for sublevel 255, which stands for every later one. */
static void version_text(unsigned int code, char *buf, size_t size)
{
	if ((code & 0xff) == 0xff)
		snprintf(buf, size, "%u.%u.y", code >> 16, code >> 8 & 0xff);
	else
		snprintf(buf, size, "%u.%u.%u", code >> 16, code >> 8 & 0xff, code & 0xff);
}

#define NKERNELS (sizeof(snpf_kernels) / sizeof(snpf_kernels[0]))

/* What a kernel of row K refuses, when built with its config option or not. */
static uint64_t kernel_refuses(const struct snpf_kernel *k, uint64_t features, int with_config)
{
	uint64_t req;

	if (!k->check)
		return 0;
	req = snpf_guest_required() & ~STATUS_MODES & ~k->implements;
	if (with_config)
		req &= ~k->config_implements;
	if (!k->ibpb)
		req |= 1ULL << 23;
	return features & req;
}

static const char *kernel_verdict(const struct snpf_kernel *k, uint64_t features)
{
	if (!k->check)
		return "runs unchecked";
	if (kernel_refuses(k, features, 0))
		return kernel_refuses(k, features, 1) ? "refuses" : "refuses unless built with its option";
	return "runs";
}

/* One row of the table, for FEATURES; returns 1 when it refuses them. */
static int show_kernel(const struct snpf_kernel *k, uint64_t features, const char *asked)
{
	char first[16], last[16];
	uint64_t refused = kernel_refuses(k, features, 0);
	uint64_t with = kernel_refuses(k, features, 1);
	const char *series = k->who == SNPF_SERIES ? " with this project's full series" : "";

	version_text(k->first, first, sizeof(first));
	version_text(k->last, last, sizeof(last));
	out_begin(NULL);
	out_str("who", NULL, k->who == SNPF_SERIES ? "series" : "upstream");
	out_str("asked", asked ? "%s (" : NULL, asked);
	out_str("first", "Linux %s", first);
	out_str("last", " to %s", last);
	out_text("%s%s: ", series, asked ? ")" : "");
	out_bool("check", NULL, k->check);
	out_bool("ibpb_on_entry", NULL, k->ibpb);
	out_str("verdict", NULL, kernel_verdict(k, features));
	if (!k->check)
		out_text("checks nothing; it boots, and features it lacks may fail later\n");
	else if (!refused)
		out_text("boots\n");
	out_hex("refused", refused ? "refuses to boot (reason set 0, code 2, mask 0x%" PRIx64 ")" : NULL,
		refused);
	out_str("config", refused && k->config && !with ? "; built with %s it boots" : NULL, k->config);
	if (k->config)
		out_hex("refused_with_config", NULL, with);
	else
		out_null("refused_with_config");
	if (refused)
		out_text("\n");
	out_bits("bits", refused, "    ");
	out_end();
	return refused != 0;
}

static int cmd_preflight(int argc, char **argv)
{
	char **opt = (char **)pf_opts;
	uint64_t features = 0;
	int have = 0, refused = 0, unknown = 0, i;
	size_t k;
	unsigned int codes[64];
	const char *names[64];
	int nkernels = 0;

	(void)argv;
	if (argc)
		return fail("preflight takes options only (--vmsa-features VALUE or --status VALUE, --kernel VERSION...), not '%s'",
			    argv[0]);
	for (i = 0; i < pf_nopts; i += 2) {
		const char *a = opt[i];
		int vmsa = !strcmp(a, "--vmsa-features");
		uint64_t v;

		if (vmsa || !strcmp(a, "--status")) {
			if (have)
				return fail("give the features once: --vmsa-features VALUE or --status VALUE");
			a = opt[i + 1];
			if (snpf_number_ambiguous(a))
				return fail("%s: ambiguous (binary or an exponent?); write hexadecimal with 0x", a);
			if (!snpf_parse_u64(a, &v))
				return fail("not a hexadecimal number of at most 64 bits: '%s'", a);
			if (vmsa && v >> 62)
				return fail("VMSA bits 62-63 have no SEV_STATUS bit: %s", a);
			features = (vmsa ? v << SNPF_VMSA_SHIFT : v) & ~STATUS_MODES;
			have = 1;
		} else {
			if (nkernels == 64)
				return fail("at most 64 --kernel options");
			if (parse_version(opt[i + 1], &codes[nkernels]))
				return fail("not a kernel version (X.Y or X.Y.Z, as uname -r begins): '%s'",
					    opt[i + 1]);
			names[nkernels++] = opt[i + 1];
		}
	}
	if (!have)
		return fail("preflight needs the features: --vmsa-features VALUE or --status VALUE");
	out_begin(NULL);
	out_uint("schema_version", NULL, 1);
	out_str("command", NULL, "preflight");
	out_hex("sev_status", "features: SEV_STATUS 0x%016" PRIx64, features);
	out_hex("vmsa", ", VMSA SEV_FEATURES 0x%016" PRIx64 "\n", features >> SNPF_VMSA_SHIFT);
	if (!out_json())
		out_bits(NULL, features, "  ");
	out_array("kernels");
	if (!nkernels) {
		for (k = 0; k < NKERNELS; k++)
			refused |= show_kernel(&snpf_kernels[k], features, NULL);
	}
	for (i = 0; i < nkernels; i++) {
		int found = 0;

		for (k = 0; k < NKERNELS; k++)
			if (codes[i] >= snpf_kernels[k].first && codes[i] <= snpf_kernels[k].last) {
				refused |= show_kernel(&snpf_kernels[k], features, names[i]);
				found = 1;
			}
		if (!found) {
			unknown = 1;
			out_begin(NULL);
			out_null("who");
			out_null("first");
			out_null("last");
			out_str("asked", "%s: ", names[i]);
			out_bool("check", NULL, -1);
			out_bool("ibpb_on_entry", NULL, -1);
			out_str("verdict", "%s (outside this tool's table of kernels)\n", "unknown");
			out_null("refused");
			out_null("config");
			out_null("refused_with_config");
			out_null("bits");
			out_end();
		}
	}
	out_array_end();
	out_end();
	if (flush_out())
		return EXIT_BAD;
	return refused ? EXIT_NONE : unknown ? EXIT_UNKNOWN : EXIT_FOUND;
}

/* ---- host ---- */

/*
 * What an SEV host offers its guests: kvm_amd's parameters and the VMSA
 * features KVM supports. Tests point it at fixtures: SNP_FEATURES_SYSFS (the
 * directory of kvm_amd's parameters), SNP_FEATURES_KVM (the KVM device) and
 * SNP_FEATURES_KVM_ANSWER (the ioctl's answer: a value, or an errno name).
 */
static const char *const kvm_amd_params[] = { "sev", "sev_es", "sev_snp", "debug_swap" };

static int vmsa_features(uint64_t *v)
{
	const char *answer = getenv("SNP_FEATURES_KVM_ANSWER");
	const char *dev = getenv("SNP_FEATURES_KVM");
	struct kvm_device_attr attr = {
		.group = KVM_X86_GRP_SEV,
		.attr = KVM_X86_SEV_VMSA_FEATURES,
		.addr = (uint64_t)(uintptr_t)v,
	};
	int fd, r;

	fd = open(dev ? dev : "/dev/kvm", O_RDWR);
	if (fd < 0)
		return -errno;
	if (answer) {
		close(fd);
		if (!strcmp(answer, "ENXIO"))
			return -ENXIO;
		if (!strcmp(answer, "ENOTTY"))
			return -ENOTTY;
		return snpf_parse_u64(answer, v) ? 0 : -EINVAL;
	}
	r = ioctl(fd, KVM_GET_DEVICE_ATTR, &attr);
	r = r < 0 ? -errno : 0;
	close(fd);
	return r;
}

static int cmd_host(int argc, char **argv)
{
	const char *dir = getenv("SNP_FEATURES_SYSFS");
	char path[4096], val[4][64];
	const char *vals[4];
	uint64_t v = 0;
	size_t i;
	int r, any = 0;

	(void)argv;
	if (argc)
		return fail("host takes no arguments, got %d", argc);
	if (!dir)
		dir = "/sys/module/kvm_amd/parameters";
	for (i = 0; i < 4; i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, kvm_amd_params[i]);
		vals[i] = NULL;
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(val[i], sizeof(val[i]), f)) {
			val[i][strcspn(val[i], "\n")] = '\0';
			vals[i] = val[i];
			any = 1;
		}
		fclose(f);
	}
	if (!any)
		return fail("no kvm_amd parameters in %s: kvm_amd is not loaded (not an AMD host, or KVM is off)", dir);
	r = vmsa_features(&v);
	if (r == -ENOENT)
		return fail("cannot open %s: %s (is KVM enabled?)",
			    getenv("SNP_FEATURES_KVM") ? getenv("SNP_FEATURES_KVM") : "/dev/kvm",
			    strerror(-r));
	if (r && r != -ENXIO && r != -ENOTTY && r != -EINVAL)
		return fail("cannot ask KVM for its VMSA features: %s", strerror(-r));
	out_begin(NULL);
	out_uint("schema_version", NULL, 1);
	out_str("command", NULL, "host");
	out_begin("kvm_amd");
	for (i = 0; i < 4; i++) {
		out_text("kvm_amd %-11s ", kvm_amd_params[i]);
		out_str(kvm_amd_params[i], vals[i] ? "%s\n" : NULL, vals[i]);
		if (!vals[i])
			out_text("(no such parameter in this kernel)\n");
	}
	out_end();
	if (r) {
		out_null("vmsa_features");
		out_null("sev_status");
		out_null("bits");
		out_text("VMSA features: unknown (KVM_X86_SEV_VMSA_FEATURES needs a host kernel of 6.10 or later)\n");
	} else {
		out_hex("vmsa_features", "VMSA features KVM can give guests: 0x%016" PRIx64, v);
		out_hex("sev_status", " (SEV_STATUS layout 0x%016" PRIx64 ")\n", v << SNPF_VMSA_SHIFT);
		out_bits("bits", v << SNPF_VMSA_SHIFT, "  ");
		if (v >> 62)
			out_text("  VMSA bits 62-63 (0x%" PRIx64 "): no SEV_STATUS bit, not shown above\n",
				 v & (uint64_t)0xc000000000000000ULL);
		out_text("Which guest kernels refuse them: snp-features preflight --vmsa-features 0x%" PRIx64 "\n",
			 v & ~(uint64_t)0xc000000000000000ULL);
	}
	out_end();
	if (flush_out())
		return EXIT_BAD;
	return r ? EXIT_UNKNOWN : EXIT_FOUND;
}

/* ---- the command line ---- */

static const struct command {
	const char *name;
	const char *args;
	const char *help;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "explain", "[FILE|-]",
	  "Describe every termination request and SEV event in a host's log\n"
	  "(FILE, or standard input): dmesg, journalctl (also -o json), KVM\n"
	  "tracepoints (ftrace, trace-cmd, perf), QEMU and libkrun output.\n"
	  "Each event is printed as soon as its line is complete.\n",
	  cmd_explain },
	{ "decode", "[--vmsa] VALUE...",
	  "Decode SEV_STATUS values (hexadecimal, 0x optional), or with --vmsa\n"
	  "VMSA SEV_FEATURES values; both layouts are shown.\n",
	  cmd_decode },
	{ "status", "",
	  "On a guest: SEV_STATUS, what the running kernel requires and\n"
	  "implements (from the snp_features module), and whether it runs.\n",
	  cmd_status },
	{ "host", "",
	  "On an SEV host: kvm_amd's parameters and the VMSA features KVM can\n"
	  "give guests (KVM_X86_SEV_VMSA_FEATURES), each with what it needs.\n",
	  cmd_host },
	{ "preflight", "--vmsa-features VALUE | --status VALUE [--kernel VERSION]...",
	  "Which guest kernels would refuse to boot with these features, and\n"
	  "why: every release range of the tool's table, or the VERSIONs given\n"
	  "(as uname -r begins). Exit 0 all boot, 1 one refuses, 3 unknown.\n",
	  cmd_preflight },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void synopsis(FILE *f, const struct command *c, const char *lead)
{
	fprintf(f, "%ssnp-features [--json] %s%s%s\n", lead, c->name,
		c->args[0] ? " " : "", c->args);
}

static void usage(FILE *f)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		synopsis(f, &commands[i], i ? "       " : "usage: ");
	fputs("       snp-features --help | --version\n"
	      "       snp-features COMMAND --help\n"
	      "Exit: 0 found/ok, 1 nothing recognised or would not run,\n"
	      "      2 bad usage or input, 3 cannot tell. See snp-features(1).\n", f);
}

int main(int argc, char **argv)
{
	const struct command *cmd = NULL;
	char **args = calloc((size_t)argc + 1, sizeof(*args));
	int nargs = 0, help = 0, version = 0, opts = 1, i, ret;
	size_t c;

	if (!args)
		return fail("out of memory");
	/* options anywhere on the line, up to a "--" */
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (opts && !strcmp(a, "--")) {
			opts = 0;
		} else if (opts && !strcmp(a, "--json")) {
			json = 1;
		} else if (opts && !strcmp(a, "--vmsa")) {
			vmsa_opt = 1;
		} else if (opts && (!strcmp(a, "--help") || !strcmp(a, "-h"))) {
			help = 1;
		} else if (opts && !strcmp(a, "--version")) {
			version = 1;
		} else if (opts && (!strcmp(a, "--vmsa-features") || !strcmp(a, "--status") ||
				    !strcmp(a, "--kernel"))) {
			if (i + 1 >= argc) {
				free(args);
				return fail("%s needs a value", a);
			}
			if (pf_nopts == (int)(sizeof(pf_opts) / sizeof(pf_opts[0]))) {
				free(args);
				return fail("too many preflight options (the features and at most 64 --kernel)");
			}
			pf_opts[pf_nopts++] = a;
			pf_opts[pf_nopts++] = argv[++i];
		} else if (opts && a[0] == '-' && a[1]) {
			free(args);
			return fail("unknown option %s (see snp-features --help)", a);
		} else {
			args[nargs++] = argv[i];
		}
	}
	if (version) {
		free(args);
		printf("snp-features %s\n", SNPF_VERSION);
		return flush_out() ? EXIT_BAD : 0;
	}
	if (nargs == 0) {
		free(args);
		if (help) {
			usage(stdout);
			return flush_out() ? EXIT_BAD : 0;
		}
		fail("no command given");
		usage(stderr);
		return EXIT_BAD;
	}
	for (c = 0; c < NCOMMANDS; c++)
		if (!strcmp(args[0], commands[c].name))
			cmd = &commands[c];
	if (!cmd) {
		ret = fail("unknown command '%s' (see snp-features --help)", args[0]);
		free(args);
		return ret;
	}
	if (help) {
		free(args);
		synopsis(stdout, cmd, "usage: ");
		fputs(cmd->help, stdout);
		return flush_out() ? EXIT_BAD : 0;
	}
	if (vmsa_opt && cmd->run != cmd_decode) {
		free(args);
		return fail("--vmsa is an option of decode, not of %s", cmd->name);
	}
	if (pf_nopts && cmd->run != cmd_preflight) {
		free(args);
		return fail("%s is an option of preflight, not of %s", pf_opts[0], cmd->name);
	}
	out_init(json);
	ret = cmd->run(nargs - 1, args + 1);
	free(args);
	return ret;
}
