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
#include <sys/stat.h>
#include <unistd.h>
#include "snpf.h"
#include "snp_features_table.h"

#ifndef SNPF_VERSION
#define SNPF_VERSION "unknown"
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
#define EXPLAIN_SCHEMA	"2"

#define BLOCK		(1U << 20)	/* read size */
#define LINE_CAP	(1U << 16)	/* longer lines are skipped */

/* SEV_STATUS: the SEV mode bits, below the features */
#define STATUS_SNP	(1ULL << 2)
#define STATUS_MODES	0x7ULL

static int json, vmsa_opt;

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

static void init_shift(void)
{
	size_t i, j;

	npieces = 0;
	for (i = SRC_NONE + 1; i < SRC_COUNT; i++) {
		for (j = 0; j < npieces; j++)
			if (!strcmp(pieces[j], snpf_sources[i].piece))
				break;
		if (j == npieces)
			pieces[npieces++] = snpf_sources[i].piece;
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

/*
 * First byte of the first window in [p, end) holding a piece, or NULL;
 * the piece in *which.
 */
static const char *find_piece(const char *p, const char *end, const char **which)
{
	const char *w = p + PIECE - 2;	/* first byte of the last bigram */
	size_t i;

	while (w + 1 < end) {
		unsigned char d = shift[bigram(w)];

		if (d) {
			w += d;
			continue;
		}
		for (i = 0; i < npieces; i++)
			if (!memcmp(w + 2 - PIECE, pieces[i], PIECE)) {
				*which = pieces[i];
				return w + 2 - PIECE;
			}
		w++;
	}
	return NULL;
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
	if (json && !x->started)
		fputs("{\"schema_version\":" EXPLAIN_SCHEMA ",\"command\":\"explain\",\"events\":[", stdout);
	x->started = 1;
}

/* 1 when the line is an event (then reported), else 0. */
static int report(struct explain *x, const char *s, size_t len, const char *piece)
{
	struct snpf_event ev;

	if (!snpf_parse_line_piece(s, len, piece, &ev))
		return 0;
	if (json) {
		json_head(x);
		if (x->found)
			putchar(',');
		snpf_json_event(stdout, &ev, x->line);
	} else {
		snpf_print_event(stdout, &ev, x->line);
	}
	x->found++;
	x->unflushed = 1;
	return 1;
}

/* The newlines in [p, end), eight bytes at a time. */
static unsigned long long count_newlines(const char *p, const char *end)
{
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7fULL, nl = 0x0a0a0a0a0a0a0a0aULL;
	unsigned long long n = 0;

	for (; end - p >= 8; p += 8) {
		uint64_t v;

		memcpy(&v, p, sizeof(v));
		v ^= nl;	/* a newline is now a zero byte */
		/* the top bit of each byte that is zero, exactly */
		v = ~(((v & low7) + low7) | v) & ~low7;
		n += (unsigned long long)__builtin_popcountll(v);
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

/* Complete lines in buf[0, len): parse each line that holds a piece. */
static void scan(struct explain *x, const char *buf, size_t len)
{
	const char *end = buf + len, *pos = buf, *hit, *piece = NULL;

	x->counted = buf;
	while ((hit = find_piece(pos, end, &piece)) != NULL) {
		const char *ls, *le;

		ls = memrchr(pos, '\n', (size_t)(hit - pos));
		ls = ls ? ls + 1 : pos;
		le = memchr(hit, '\n', (size_t)(end - hit));
		le = le ? le : end;
		count_lines(x, ls);
		/*
		 * The sources of the first piece in the line read it; if none
		 * does, those of a later piece in it may.
		 */
		while (hit && (size_t)(le - ls) <= LINE_CAP &&
		       !report(x, ls, (size_t)(le - ls), piece))
			hit = find_piece(hit + 1, le, &piece);
		pos = le < end ? le + 1 : end;
	}
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
			printf("],\"recognised\":%llu}\n", x.found);
			fflush(stdout);
		}
		return ret;
	}
	if (json) {
		json_head(&x);
		printf("],\"recognised\":%llu}\n", x.found);
	} else if (!x.found) {
		puts("no termination request or SEV event recognised");
	}
	if (flush_out())
		return EXIT_BAD;
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
	int vmsa = vmsa_opt, i;
	const char *sep = "";

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
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Read one debugfs file: "0x%016llx" or "not enforced". */
static struct mask read_mask(const char *file)
{
	struct mask m = { MASK_UNKNOWN, 0 };
	char buf[64];

	if (read_line(file, buf, sizeof(buf)))
		return m;
	if (!strcmp(buf, "not enforced"))
		m.state = MASK_NOT_ENFORCED;
	else if (snpf_parse_u64(buf, &m.v))
		m.state = MASK_VALUE;
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
		if (m.state == MASK_VALUE)
			printf("\"0x%016" PRIx64 "\"", m.v);
		else
			printf("\"%s\"", m.state == MASK_NOT_ENFORCED ? "not enforced" : "unknown");
		return;
	}
	printf("%-12s ", name);
	if (m.state == MASK_VALUE)
		printf("0x%016" PRIx64 "\n", m.v);
	else
		puts(m.state == MASK_NOT_ENFORCED ? "not enforced (this kernel does not check)" :
		     "unknown (load the snp_features module to see it)");
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
	struct mask st = read_mask("status"), req, impl, uns = { MASK_UNKNOWN, 0 };
	struct mask en;
	const char *from = "debugfs", *why;
	char line[1024], policy[256] = "";
	int ret;

	(void)argv;
	if (argc)
		return fail("status takes no arguments, got %d", argc);
	if (st.state != MASK_VALUE) {
		from = "msr";
		if (read_msr(&st.v))
			return fail("cannot read SEV_STATUS: no snp_features debugfs and no readable /dev/cpu/0/msr (load msr or snp_features, run as root)");
		st.state = MASK_VALUE;
	}
	req = read_mask("required");
	impl = read_mask("implemented");
	if (!strcmp(from, "debugfs"))
		read_policy(policy, sizeof(policy));
	en.state = MASK_VALUE;
	en.v = st.v & ~STATUS_MODES;
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
	return flush_out() ? EXIT_BAD : ret;
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
	ret = cmd->run(nargs - 1, args + 1);
	free(args);
	return ret;
}
