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
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "snpf.h"

#define EXIT_FOUND	0
#define EXIT_NONE	1	/* explain: nothing recognised; status: would not run */
#define EXIT_BAD	2	/* usage error or bad input */
#define EXIT_UNKNOWN	3	/* status: cannot tell */

#define BLOCK		(1U << 20)	/* read size */
#define LINE_CAP	(1U << 16)	/* longer lines are skipped */

static int json;

static int fail(const char *fmt, const char *arg)
{
	fputs("snp-features: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return EXIT_BAD;
}

static void usage(FILE *f)
{
	fputs("usage: snp-features [--json] explain [FILE|-]\n"
	      "       snp-features [--json] decode [--vmsa] VALUE...\n"
	      "       snp-features [--json] status\n"
	      "       snp-features --help\n"
	      "Exit: 0 found/ok, 1 nothing recognised or would not run,\n"
	      "      2 bad usage or input, 3 cannot tell. See snp-features(1).\n", f);
}

/* ---- explain ---- */

/*
 * Prefilter: a line is parsed only if it contains one of these 8-byte
 * pieces of the formats snpf_parse_line() knows. The parser checks the
 * whole line, so a piece only has to be present in every real line of
 * its format; it is chosen to be rare in other log lines.
 */
#define PIECE	8
static const char pieces[][PIECE + 1] = {
	"ted term",	/* SEV-ES guest requested termination: */
	"gexit_en",	/* kvm_vmgexit_enter: */
	"col_ente",	/* kvm_vmgexit_msr_protocol_enter: */
	"GHCB MSR",
	"mEvent(6",	/* SystemEvent(6, [ */
	"even_typ",	/* system_even_type */
	"own exit",	/* KVM: unknown exit reason */
	"rted SEV",	/* Unsupported SEV-SNP features detected: */
};
#define NPIECES (sizeof(pieces) / sizeof(pieces[0]))

/*
 * Wu-Manber search for the pieces: look at the last two bytes of an
 * 8-byte window and skip as far as no piece can end earlier.
 */
static unsigned char shift[1 << 16];

static unsigned int bigram(const char *p)
{
	return (unsigned int)(unsigned char)p[0] << 8 | (unsigned char)p[1];
}

static void init_shift(void)
{
	size_t i, j;

	memset(shift, PIECE - 1, sizeof(shift));
	for (i = 0; i < NPIECES; i++)
		for (j = 0; j + 1 < PIECE; j++) {
			unsigned int h = bigram(pieces[i] + j);
			unsigned char d = (unsigned char)(PIECE - 2 - j);

			if (d < shift[h])
				shift[h] = d;
		}
}

/* First byte of the first window in [p, end) holding a piece, or NULL. */
static const char *find_piece(const char *p, const char *end)
{
	const char *w = p + PIECE - 2;	/* first byte of the last bigram */
	size_t i;

	while (w + 1 < end) {
		unsigned char d = shift[bigram(w)];

		if (d) {
			w += d;
			continue;
		}
		for (i = 0; i < NPIECES; i++)
			if (!memcmp(w + 2 - PIECE, pieces[i], PIECE))
				return w + 2 - PIECE;
		w++;
	}
	return NULL;
}

struct explain {
	unsigned long long line;	/* line number at 'counted' */
	const char *counted;
	unsigned long long found;
	const char *sep;
};

static void report(struct explain *x, const char *s, size_t len)
{
	struct snpf_event ev;

	if (!snpf_parse_line(s, len, &ev))
		return;
	x->found++;
	if (json) {
		fputs(x->sep, stdout);
		snpf_json_event(stdout, &ev, x->line);
		x->sep = ",";
	} else {
		snpf_print_event(stdout, &ev, x->line);
	}
}

static void count_lines(struct explain *x, const char *to)
{
	const char *p = x->counted;

	while ((p = memchr(p, '\n', (size_t)(to - p))) != NULL) {
		x->line++;
		p++;
	}
	x->counted = to;
}

/* Complete lines in buf[0, len): parse each line that holds a piece. */
static void scan(struct explain *x, const char *buf, size_t len)
{
	const char *end = buf + len, *pos = buf, *hit;

	x->counted = buf;
	while ((hit = find_piece(pos, end)) != NULL) {
		const char *ls, *le;

		ls = memrchr(pos, '\n', (size_t)(hit - pos));
		ls = ls ? ls + 1 : pos;
		le = memchr(hit, '\n', (size_t)(end - hit));
		le = le ? le : end;
		count_lines(x, ls);
		if ((size_t)(le - ls) <= LINE_CAP)
			report(x, ls, (size_t)(le - ls));
		pos = le < end ? le + 1 : end;
	}
	count_lines(x, end);
}

static ssize_t read_full(int fd, char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* Binary input: a NUL byte in the first block (as grep decides). */
static int looks_binary(const char *buf, size_t len, int first)
{
	return first && memchr(buf, '\0', len) != NULL;
}

static int explain_fd(int fd, const char *name, struct explain *x)
{
	char *buf = malloc(BLOCK + LINE_CAP + 1);
	size_t have = 0;
	int first = 1, skipping = 0;

	if (!buf)
		return fail("out of memory%s", "");
	for (;;) {
		ssize_t n = read_full(fd, buf + have, BLOCK);
		char *last;
		size_t keep;

		if (n < 0) {
			free(buf);
			return fail("cannot read %s", name);
		}
		if (looks_binary(buf + have, (size_t)n, first)) {
			free(buf);
			return fail("%s: binary input (NUL byte), not a log", name);
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
	struct explain x = { .line = 1, .sep = "" };
	const char *name = argc > 0 ? argv[0] : "-";
	int fd = 0, ret;

	if (argc > 1)
		return fail("explain takes one FILE (or -), got %s more", "");
	if (strcmp(name, "-")) {
		fd = open(name, O_RDONLY);
		if (fd < 0)
			return fail("cannot open %s", name);
	}
	init_shift();
	if (json)
		fputs("{\"schema_version\":1,\"command\":\"explain\",\"events\":[", stdout);
	ret = explain_fd(fd, name, &x);
	if (fd)
		close(fd);
	if (ret >= 0)
		return ret;
	if (json)
		printf("],\"recognised\":%llu}\n", x.found);
	else if (!x.found)
		puts("no termination request or SEV event recognised");
	return x.found ? EXIT_FOUND : EXIT_NONE;
}

/* ---- decode ---- */

static void decode_one(const char *in, uint64_t status, int vmsa, const char *sep)
{
	if (json) {
		printf("%s{\"input\":", sep);
		snpf_json_str(stdout, in);
		printf(",\"layout\":\"%s\",\"sev_status\":\"0x%016" PRIx64
		       "\",\"vmsa\":\"0x%016" PRIx64 "\",\"bits\":",
		       vmsa ? "vmsa" : "sev_status", status,
		       status >> SNPF_VMSA_SHIFT);
		snpf_json_bits(stdout, status);
		putchar('}');
		return;
	}
	printf("%s (%s): SEV_STATUS 0x%016" PRIx64 ", VMSA SEV_FEATURES 0x%016"
	       PRIx64 "\n", in, vmsa ? "VMSA layout" : "SEV_STATUS layout",
	       status, status >> SNPF_VMSA_SHIFT);
	if (!status)
		puts("  no bit set");
	snpf_print_bits(stdout, status, "  ");
	if (!vmsa && (status & 3))
		puts("  note: SEV_STATUS bits 0-1 have no VMSA position");
}

static int cmd_decode(int argc, char **argv)
{
	int vmsa = 0, i;
	const char *sep = "";

	if (argc > 0 && !strcmp(argv[0], "--vmsa")) {
		vmsa = 1;
		argc--;
		argv++;
	}
	if (argc < 1)
		return fail("decode needs a VALUE%s", "");
	for (i = 0; i < argc; i++) {
		uint64_t v;

		if (!snpf_parse_u64(argv[i], &v))
			return fail("not a hexadecimal number of at most 64 bits: %s",
				    argv[i]);
		if (vmsa && v >> 62)
			return fail("VMSA bits 62-63 have no SEV_STATUS bit: %s", argv[i]);
	}
	if (json)
		printf("{\"schema_version\":1,\"command\":\"decode\",\"values\":[");
	for (i = 0; i < argc; i++) {
		uint64_t v;

		snpf_parse_u64(argv[i], &v);
		decode_one(argv[i], vmsa ? v << SNPF_VMSA_SHIFT : v, vmsa, sep);
		sep = ",";
	}
	if (json)
		puts("]}");
	return EXIT_FOUND;
}

/* ---- status ---- */

struct mask {
	int state;		/* 0 unknown, 1 value, 2 not enforced */
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
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Read one debugfs file: "0x%016llx" or "not enforced". */
static struct mask read_mask(const char *file)
{
	struct mask m = { 0, 0 };
	char buf[64];

	if (read_line(file, buf, sizeof(buf)))
		return m;
	if (!strcmp(buf, "not enforced"))
		m.state = 2;
	else if (snpf_parse_u64(buf, &m.v))
		m.state = 1;
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
	if (json) {
		printf(",\"%s\":", name);
		if (m.state == 1)
			printf("\"0x%016" PRIx64 "\"", m.v);
		else
			printf("\"%s\"", m.state == 2 ? "not enforced" : "unknown");
		return;
	}
	printf("%-12s ", name);
	if (m.state == 1)
		printf("0x%016" PRIx64 "\n", m.v);
	else
		puts(m.state == 2 ? "not enforced (this kernel does not check)" :
		     "unknown (load the snp_features module to see it)");
}

static int verdict(uint64_t status, struct mask req, struct mask impl,
		   struct mask *uns, const char **why)
{
	uint64_t en = status & ~7ULL;

	if (!(status & 4)) {
		*why = "SEV-SNP is not active: the kernel's feature check does not apply";
		uns->state = 1;
		uns->v = 0;
		return EXIT_FOUND;
	}
	if (req.state == 2) {
		uns->state = 2;
		*why = "this kernel does not check SEV-SNP features: it runs, but features it lacks may fail later";
		return EXIT_FOUND;
	}
	if (req.state == 1 && impl.state == 1) {
		uns->state = 1;
		uns->v = en & req.v & ~impl.v;
		*why = uns->v ? "this kernel would refuse to run with these features" :
			"this kernel runs with what is enabled";
		return uns->v ? EXIT_NONE : EXIT_FOUND;
	}
	if (!(en & snpf_guest_required())) {
		*why = "no enabled feature needs guest support: any kernel runs";
		uns->state = 1;
		uns->v = 0;
		return EXIT_FOUND;
	}
	*why = "cannot tell: what the running kernel implements is unknown without the snp_features module";
	return EXIT_UNKNOWN;
}

static int cmd_status(int argc)
{
	struct mask st = read_mask("status"), req, impl, uns = { 0, 0 };
	struct mask en;
	const char *from = "debugfs", *why;
	char line[1024], policy[256] = "";
	int ret;

	if (argc)
		return fail("status takes no arguments%s", "");
	if (st.state != 1) {
		from = "msr";
		if (read_msr(&st.v))
			return fail("cannot read SEV_STATUS: no snp_features debugfs and no readable /dev/cpu/0/msr (load msr or snp_features, run as root)%s", "");
		st.state = 1;
	}
	req = read_mask("required");
	impl = read_mask("implemented");
	if (!strcmp(from, "debugfs"))
		read_policy(policy, sizeof(policy));
	en.state = 1;
	en.v = st.v & ~7ULL;
	ret = verdict(st.v, req, impl, &uns, &why);
	snpf_kernel_line(st.v, line, sizeof(line));
	if (json) {
		printf("{\"schema_version\":1,\"command\":\"status\",\"source\":\"%s\","
		       "\"sev_status\":\"0x%016" PRIx64 "\",\"vmsa\":\"0x%016" PRIx64
		       "\",\"kernel_line\":", from, st.v, st.v >> SNPF_VMSA_SHIFT);
		snpf_json_str(stdout, line);
	} else {
		puts(line);
		printf("SEV_STATUS   0x%016" PRIx64 " (from %s), VMSA SEV_FEATURES 0x%016"
		       PRIx64 "\n", st.v, from, st.v >> SNPF_VMSA_SHIFT);
	}
	show_mask("enabled", en);
	show_mask("required", req);
	show_mask("implemented", impl);
	show_mask("unsupported", uns);
	if (json) {
		printf(",\"would_run\":%s,\"verdict\":",
		       ret == EXIT_FOUND ? "true" : ret == EXIT_NONE ? "false" : "null");
		snpf_json_str(stdout, why);
		if (policy[0]) {
			fputs(",\"kernel_policy\":", stdout);
			snpf_json_str(stdout, policy);
		}
		fputs(",\"bits\":", stdout);
		snpf_json_bits(stdout, st.v);
		puts("}");
	} else {
		if (policy[0])
			printf("%-12s %s\n", "policy", policy);
		snpf_print_bits(stdout, st.v, "  ");
		printf("verdict: %s\n", why);
	}
	return ret;
}

int main(int argc, char **argv)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return fail("unknown option %s", argv[i]);
		}
	}
	if (i >= argc) {
		usage(stderr);
		return EXIT_BAD;
	}
	if (!strcmp(argv[i], "explain"))
		return cmd_explain(argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "decode"))
		return cmd_decode(argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "status"))
		return cmd_status(argc - i - 1);
	usage(stderr);
	return fail("unknown command %s", argv[i]);
}
