// SPDX-License-Identifier: GPL-2.0
/*
 * kselftest for the snp_features module's debugfs interface.
 *
 * Checks: the set of files and that each is read-only; formats; every
 * column of "features" against the masks and the bit table; the masks
 * against each other; "summary" against the kernel's boot line; "json"
 * (the status object of the snp-features tool's schema) against the
 * other files; "status" against /dev/cpu/0/msr where that is readable;
 * required and implemented against values the caller expects.
 *
 * Environment:
 *   SNPF_DIR                 directory to test (default: the debugfs one)
 *   SNPF_EXPECT_REQUIRED     expected content of "required" (0x... or
 *   SNPF_EXPECT_IMPLEMENTED  "not enforced"); checked when set
 *   SNPF_MSR                 MSR device to compare status with
 *                            (default /dev/cpu/0/msr; "none" to skip)
 *
 * A file that cannot be read fails the test, unless the kernel is locked
 * down and refuses it (EPERM), where the checks that need it are skipped
 * with that reason. Skips as a whole when the directory does not exist.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef SNPF_STANDALONE
#include "snpf_tap.h"
#else
#include "kselftest.h"
#endif
#include "snp_features_table.h"

#define DEFAULT_DIR	"/sys/kernel/debug/x86/snp_features"
#define BUF_SIZE	32768
#define MSR_SEV_STATUS	0xc0010131

static const char *const files[] = {
	"status", "features", "enabled", "required", "implemented",
	"unsupported", "source", "summary", "json",
};
#define NFILES (sizeof(files) / sizeof(files[0]))

static const char *dir;
static char text[NFILES][BUF_SIZE];
static int err_of[NFILES];	/* 0 or the errno reading the file */
static char why[512];

static int file_index(const char *name)
{
	unsigned int i;

	for (i = 0; i < NFILES; i++)
		if (!strcmp(files[i], name))
			return i;
	return -1;
}

static const char *T(const char *name)
{
	return text[file_index(name)];
}

static int read_one(unsigned int i)
{
	char path[512];
	ssize_t n, total = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno;
	while ((n = read(fd, text[i] + total, BUF_SIZE - 1 - total)) > 0)
		total += n;
	close(fd);
	if (n < 0)
		return errno;
	if (total == BUF_SIZE - 1)
		return EFBIG;
	text[i][total] = '\0';
	return 0;
}

/* Which of the named files could not be read; NULL if all could. */
static const char *unreadable(const char *const *names, bool *locked)
{
	for (; *names; names++) {
		int e = err_of[file_index(*names)];

		if (e) {
			*locked = e == EPERM;
			snprintf(why, sizeof(why), "%s: %s", *names, strerror(e));
			return why;
		}
	}
	return NULL;
}

static bool kernel_locked_down(void)
{
	char b[256] = "";
	FILE *f = fopen("/sys/kernel/security/lockdown", "r");

	if (!f)
		return false;
	if (!fgets(b, sizeof(b), f))
		b[0] = '\0';
	fclose(f);
	return !strstr(b, "[none]") && strchr(b, '[');
}

/* "0x" followed by exactly 16 lower-case hex digits and a newline. */
static bool parse_hex16(const char *s, uint64_t *val)
{
	int i;

	if (strncmp(s, "0x", 2))
		return false;
	for (i = 2; i < 18; i++)
		if (!s[i] || !strchr("0123456789abcdef", s[i]))
			return false;
	if (strcmp(s + 18, "\n"))
		return false;
	*val = strtoull(s + 2, NULL, 16);
	return true;
}

struct masks {
	bool enforced;
	uint64_t status, enabled, required, implemented, unsupported;
};

static bool read_mask(const char *name, uint64_t *val, int *enforced)
{
	const char *s = T(name);

	if (enforced && !strcmp(s, "not enforced\n")) {
		*enforced = 0;
		*val = 0;
		return true;
	}
	if (enforced)
		*enforced = 1;
	if (!parse_hex16(s, val)) {
		snprintf(why, sizeof(why), "%s reads '%.40s'", name, s);
		return false;
	}
	return true;
}

static const char *parse_masks(struct masks *m)
{
	int e1, e2, e3;

	if (!read_mask("status", &m->status, NULL) ||
	    !read_mask("enabled", &m->enabled, NULL) ||
	    !read_mask("required", &m->required, &e1) ||
	    !read_mask("implemented", &m->implemented, &e2) ||
	    !read_mask("unsupported", &m->unsupported, &e3))
		return why;
	if (e1 != e2 || e2 != e3)
		return "some masks say 'not enforced', others do not";
	m->enforced = e1;
	return NULL;
}

static const struct snpf_bits *table_bit(unsigned int bit)
{
	unsigned int i;

	for (i = 0; i < sizeof(snpf_table) / sizeof(snpf_table[0]); i++)
		if (bit >= snpf_table[i].lo && bit <= snpf_table[i].hi)
			return &snpf_table[i];
	return NULL;
}

static uint64_t want_unsupported(const struct masks *m)
{
	if (!m->enforced || !(m->status & (1ULL << 2)))
		return 0;
	return m->status & m->required & ~m->implemented;
}

static const char *yes_no(bool v)
{
	return v ? "yes" : "no";
}

/* Expected columns of one bit, as the ABI document defines them. */
static void want_columns(const struct masks *m, unsigned int bit,
			 const char **need, const char **impl)
{
	const struct snpf_bits *b = table_bit(bit);

	if (b->need == SNPF_MODE) {
		*need = *impl = "-";
		return;
	}
	*need = m->enforced ? yes_no((m->required >> bit) & 1) : "not-enforced";
	*impl = b->need == SNPF_HOST ? "-" : yes_no((m->implemented >> bit) & 1);
}

static const char *check_features(const struct masks *m)
{
	const char *p = T("features");
	unsigned int bit;
	uint64_t u;

	if (strncmp(p, "bit ", 4) || !(p = strchr(p, '\n')))
		return "no header line";
	p++;
	for (bit = 0; bit < 64; bit++) {
		const struct snpf_bits *b = table_bit(bit);
		char name[64], shrt[64], en[16], need[16], impl[16], extra[8];
		const char *wneed, *wimpl, *eol = strchr(p, '\n');
		char line[256];
		unsigned int n;

		if (!eol || eol - p >= (long)sizeof(line))
			goto bad_line;
		memcpy(line, p, eol - p);
		line[eol - p] = '\0';
		if (sscanf(line, "%u %63s %63s %15s %15s %15s %7s", &n, name, shrt, en,
			   need, impl, extra) != 6 || n != bit)
			goto bad_line;
		want_columns(m, bit, &wneed, &wimpl);
		if (!b || strcmp(name, b->name) || strcmp(shrt, b->short_name))
			snprintf(why, sizeof(why), "bit %u named %s/%s", bit, name, shrt);
		else if (strcmp(en, yes_no((m->status >> bit) & 1)))
			snprintf(why, sizeof(why), "bit %u enabled column '%s'", bit, en);
		else if (strcmp(need, wneed))
			snprintf(why, sizeof(why), "bit %u required column '%s', want '%s'",
				 bit, need, wneed);
		else if (strcmp(impl, wimpl))
			snprintf(why, sizeof(why), "bit %u implemented column '%s', want '%s'",
				 bit, impl, wimpl);
		else {
			p = eol + 1;
			continue;
		}
		return why;
bad_line:
		snprintf(why, sizeof(why), "line for bit %u missing or malformed", bit);
		return why;
	}
	if (strncmp(p, "unsupported: ", 13) || !parse_hex16(p + 13, &u))
		return "no unsupported line at the end";
	if (u != want_unsupported(m)) {
		snprintf(why, sizeof(why), "unsupported line 0x%016" PRIx64 ", want 0x%016" PRIx64,
			 u, want_unsupported(m));
		return why;
	}
	return NULL;
}

/* The kernel's boot line (v6.9+): each short name followed by a blank. */
static void kernel_line(const struct masks *m, char *line, size_t size)
{
	unsigned int bit;

	snprintf(line, size, "SEV: Status: ");
	for (bit = 0; bit < 64; bit++) {
		const struct snpf_bits *b = table_bit(bit);

		if ((m->status >> bit) & 1 && strcmp(b->short_name, "-")) {
			strncat(line, b->short_name, size - strlen(line) - 2);
			strcat(line, " ");
		}
	}
}

static const char *check_summary(const struct masks *m)
{
	char want[1024];

	kernel_line(m, want, sizeof(want) - 1);
	strcat(want, "\n");
	if (strcmp(T("summary"), want)) {
		snprintf(why, sizeof(why), "summary '%.100s', want '%.100s'", T("summary"), want);
		return why;
	}
	return NULL;
}

/* --- a small JSON reader, enough for the json file ------------------- */

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
	enum jtype type;
	bool b;
	double num;
	char *str;
	struct jval *items;	/* array elements or object values */
	char **keys;		/* object keys */
	unsigned int n;
};

static const char *jp;

static void jskip(void)
{
	while (isspace((unsigned char)*jp))
		jp++;
}

static bool jparse(struct jval *v);

static bool jstring(char **out)
{
	const char *start;

	if (*jp != '"')
		return false;
	start = ++jp;
	while (*jp && *jp != '"') {
		if (*jp == '\\' || (unsigned char)*jp < 0x20)
			return false;	/* the module never needs escapes */
		jp++;
	}
	if (*jp != '"')
		return false;
	*out = strndup(start, jp - start);
	jp++;
	return true;
}

static bool jlist(struct jval *v, char close, bool keyed)
{
	jp++;
	jskip();
	if (*jp == close) {
		jp++;
		return true;
	}
	for (;;) {
		v->items = realloc(v->items, (v->n + 1) * sizeof(*v->items));
		v->keys = realloc(v->keys, (v->n + 1) * sizeof(*v->keys));
		v->keys[v->n] = NULL;
		jskip();
		if (keyed) {
			if (!jstring(&v->keys[v->n]))
				return false;
			jskip();
			if (*jp++ != ':')
				return false;
		}
		if (!jparse(&v->items[v->n]))
			return false;
		v->n++;
		jskip();
		if (*jp == ',') {
			jp++;
			continue;
		}
		if (*jp++ != close)
			return false;
		return true;
	}
}

static bool jparse(struct jval *v)
{
	char *end;

	memset(v, 0, sizeof(*v));
	jskip();
	switch (*jp) {
	case '{':
		v->type = J_OBJ;
		return jlist(v, '}', true);
	case '[':
		v->type = J_ARR;
		return jlist(v, ']', false);
	case '"':
		v->type = J_STR;
		return jstring(&v->str);
	}
	if (!strncmp(jp, "true", 4) || !strncmp(jp, "false", 5)) {
		v->type = J_BOOL;
		v->b = *jp == 't';
		jp += v->b ? 4 : 5;
		return true;
	}
	if (!strncmp(jp, "null", 4)) {
		v->type = J_NULL;
		jp += 4;
		return true;
	}
	v->type = J_NUM;
	v->num = strtod(jp, &end);
	if (end == jp)
		return false;
	jp = end;
	return true;
}

static const struct jval *jget(const struct jval *o, const char *key, enum jtype type)
{
	unsigned int i;

	if (o->type != J_OBJ)
		return NULL;
	for (i = 0; i < o->n; i++)
		if (!strcmp(o->keys[i], key))
			return o->items[i].type == type ? &o->items[i] : NULL;
	return NULL;
}

/* A string member of o equal to want; else why names the difference. */
static const char *json_str(const struct jval *o, const char *key, const char *want)
{
	const struct jval *v = jget(o, key, J_STR);

	if (!v || strcmp(v->str, want)) {
		snprintf(why, sizeof(why), "json %s is '%.60s', want '%.60s'", key,
			 v ? v->str : "(missing or not a string)", want);
		return why;
	}
	return NULL;
}

/* A file's text without its newline, for comparison with json. */
static const char *line_of(const char *name)
{
	static char line[512];

	snprintf(line, sizeof(line), "%s", T(name));
	line[strcspn(line, "\n")] = '\0';
	return line;
}

static const char *json_file(const struct jval *o, const char *key, const char *file)
{
	return json_str(o, key, line_of(file));
}

/* One entry of "bits", in the schema of snp-features --json. */
static const char *check_json_bit(const struct jval *x, unsigned int bit)
{
	static const char *const need[] = { "mode", "guest", "host", "reserved" };
	const struct snpf_bits *b = table_bit(bit);
	const struct jval *v;

	snprintf(why, sizeof(why), "json bits entry for bit %u is wrong", bit);
	v = jget(x, "sev_status_bit", J_NUM);
	if (!v || v->num != bit)
		return why;
	v = jget(x, "vmsa_bit", bit >= 2 ? J_NUM : J_NULL);
	if (!v || (bit >= 2 && v->num != bit - 2))
		return why;
	v = jget(x, "apm_name", J_STR);
	if (!v || strcmp(v->str, b->name))
		return why;
	if (strcmp(b->short_name, "-")) {
		v = jget(x, "short_name", J_STR);
		if (!v || strcmp(v->str, b->short_name))
			return why;
	} else if (!jget(x, "short_name", J_NULL)) {
		return why;
	}
	v = jget(x, "need", J_STR);
	if (!v || strcmp(v->str, need[b->need]))
		return why;
	return x->n == 5 ? NULL : why;
}

/*
 * json is the "status" object of tools/snp-features/snp-features.schema.json
 * with the values of the other files.
 */
static const char *check_json(const struct masks *m)
{
	const struct jval *v, *bits;
	const char *err;
	struct jval root;
	char vmsa[32], line[1024];
	unsigned int bit, k = 0;

	jp = T("json");
	if (!jparse(&root) || (jskip(), *jp) || root.type != J_OBJ)
		return "json does not parse as one JSON object";
	v = jget(&root, "schema_version", J_NUM);
	if (!v || v->num != 1)
		return "json schema_version is not 1";
	snprintf(vmsa, sizeof(vmsa), "0x%016" PRIx64, m->status >> 2);
	kernel_line(m, line, sizeof(line));
	if ((err = json_str(&root, "command", "status")) ||
	    (err = json_str(&root, "source", "debugfs")) ||
	    (err = json_file(&root, "sev_status", "status")) ||
	    (err = json_str(&root, "vmsa", vmsa)) ||
	    (err = json_str(&root, "kernel_line", line)) ||
	    (err = json_file(&root, "kernel_line", "summary")) ||
	    (err = json_file(&root, "enabled", "enabled")) ||
	    (err = json_file(&root, "required", "required")) ||
	    (err = json_file(&root, "implemented", "implemented")) ||
	    (err = json_file(&root, "unsupported", "unsupported")) ||
	    (err = json_file(&root, "kernel_policy", "source")))
		return err;
	v = jget(&root, "would_run", J_BOOL);
	if (!v || v->b != !want_unsupported(m))
		return "json would_run missing or not !unsupported";
	v = jget(&root, "verdict", J_STR);
	if (!v || !*v->str)
		return "json verdict missing or empty";
	bits = jget(&root, "bits", J_ARR);
	if (!bits)
		return "json bits missing";
	for (bit = 0; bit < 64; bit++) {
		if (!((m->status >> bit) & 1))
			continue;
		if (k >= bits->n)
			return "json bits lists fewer bits than status has";
		if ((err = check_json_bit(&bits->items[k], bit)))
			return err;
		k++;
	}
	if (k != bits->n)
		return "json bits lists more bits than status has";
	if (root.n != 14)
		return "json has other members than the schema's status object";
	return NULL;
}

/* --- checks that need more than the files ---------------------------- */

static const char *check_modes(void)
{
	unsigned int i;
	struct stat st;
	char path[512];

	for (i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		if (stat(path, &st)) {
			snprintf(why, sizeof(why), "%s: %s", files[i], strerror(errno));
			return why;
		}
		if (!S_ISREG(st.st_mode) || (st.st_mode & 07333) || !(st.st_mode & 0400)) {
			snprintf(why, sizeof(why), "%s has mode %04o, want read-only",
				 files[i], (unsigned int)(st.st_mode & 07777));
			return why;
		}
	}
	snprintf(path, sizeof(path), "%s/decode", dir);
	if (!stat(path, &st))
		return "the writable decode file still exists";
	return NULL;
}

/* 1: checked and equal, 0: differs (why set), -1: MSR not readable. */
static int check_msr(const struct masks *m)
{
	const char *dev = getenv("SNPF_MSR") ?: "/dev/cpu/0/msr";
	uint64_t v;
	int fd;

	if (!strcmp(dev, "none")) {
		snprintf(why, sizeof(why), "SNPF_MSR=none");
		return -1;
	}
	fd = open(dev, O_RDONLY);
	if (fd < 0) {
		snprintf(why, sizeof(why), "%s: %s", dev, strerror(errno));
		return -1;
	}
	if (pread(fd, &v, sizeof(v), MSR_SEV_STATUS) != sizeof(v)) {
		snprintf(why, sizeof(why), "%s: SEV_STATUS not readable (%s)", dev, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	if (!(v & 1))
		v = 0;	/* the module reports 0 when SEV is off */
	if (v != m->status) {
		snprintf(why, sizeof(why), "status 0x%016" PRIx64 ", MSR 0x%016" PRIx64,
			 m->status, v);
		return 0;
	}
	return 1;
}

static const char *check_expected(const char *name, const char *env)
{
	const char *want = getenv(env);
	char w[64];

	if (!want)
		return NULL;
	snprintf(w, sizeof(w), "%s\n", want);
	if (strcmp(T(name), w)) {
		snprintf(why, sizeof(why), "%s reads '%.30s', expected %s (%s)", name,
			 T(name), want, env);
		why[strcspn(why, "\n")] = ' ';
		return why;
	}
	return NULL;
}

#define NTESTS 12

/* Report one result, or a skip when the files it needs are unreadable. */
static void report(const char *const *needs, const char *(*fn)(const struct masks *),
		   const struct masks *m, bool masks_ok, const char *what)
{
	bool locked = false;
	const char *err = unreadable(needs, &locked);

	if (err && locked && kernel_locked_down()) {
		ksft_test_result_skip("%s: lockdown refuses %s\n", what, err);
		return;
	}
	if (!err && !masks_ok)
		err = "the masks did not parse";
	if (!err)
		err = fn(m);
	ksft_test_result(!err, "%s%s%s\n", what, err ? ": " : "", err ? err : "");
}

static const char *t_none(const struct masks *m)
{
	(void)m;
	return NULL;
}

static const char *t_enabled(const struct masks *m)
{
	return m->enabled == (m->status & ~7ULL) ? NULL : "enabled != status & ~7";
}

static const char *t_unsupported(const struct masks *m)
{
	return m->unsupported == want_unsupported(m) ? NULL :
	       "unsupported != status & required & ~implemented";
}

static const char *t_subset(const struct masks *m)
{
	uint64_t host = 0;
	unsigned int bit;

	for (bit = 0; bit < 64; bit++)
		if (table_bit(bit)->need == SNPF_HOST || table_bit(bit)->need == SNPF_MODE)
			host |= 1ULL << bit;
	if (m->enforced && (m->implemented & ~m->required))
		return "implemented has bits that are not required";
	if (m->implemented & host)
		return "implemented has mode or host-only bits";
	return NULL;
}

static const char *t_expected(const struct masks *m)
{
	(void)m;
	return check_expected("required", "SNPF_EXPECT_REQUIRED") ?:
	       check_expected("implemented", "SNPF_EXPECT_IMPLEMENTED");
}

static const char *t_source(const struct masks *m)
{
	const char *s = T("source");

	(void)m;
	if (strlen(s) < 2 || s[strlen(s) - 1] != '\n' || strchr(s, '\n') != s + strlen(s) - 1)
		return "source is not one line";
	return NULL;
}

int main(void)
{
	static const char *const all[] = { "status", "features", "enabled", "required",
		"implemented", "unsupported", "source", "summary", "json", NULL };
	static const char *const masks_f[] = { "status", "enabled", "required",
		"implemented", "unsupported", NULL };
	static const char *const feat_f[] = { "status", "required", "implemented",
		"unsupported", "features", NULL };
	static const char *const sum_f[] = { "status", "summary", NULL };
	static const char *const json_f[] = { "status", "enabled", "required",
		"implemented", "unsupported", "source", "summary", "json", NULL };
	static const char *const src_f[] = { "source", NULL };
	struct masks m = { 0 };
	const char *err;
	bool masks_ok, locked;
	struct stat st;
	unsigned int i;
	int r;

	dir = getenv("SNPF_DIR") ?: DEFAULT_DIR;
	ksft_print_header();
	if (stat(dir, &st))
		ksft_exit_skip("%s missing: is debugfs mounted and snp_features loaded?\n", dir);
	ksft_set_plan(NTESTS);

	for (i = 0; i < NFILES; i++)
		err_of[i] = read_one(i);
	if (kernel_locked_down())
		ksft_print_msg("kernel lockdown is active: %s\n", "read-only files must still work");

	err = check_modes();
	ksft_test_result(!err, "every file exists and is read-only, no decode file%s%s\n",
			 err ? ": " : "", err ? err : "");

	err = unreadable(all, &locked);
	if (err && locked && kernel_locked_down())
		ksft_test_result_skip("every file reads: lockdown refuses %s\n", err);
	else
		ksft_test_result(!err, "every file reads%s%s\n", err ? ": " : "", err ? err : "");

	masks_ok = !unreadable(masks_f, &locked) && !parse_masks(&m);
	report(masks_f, t_none, &m, masks_ok,
	       "status and masks are 0x%016x or 'not enforced' alike");
	report(masks_f, t_enabled, &m, masks_ok, "enabled is status without the mode bits");
	report(masks_f, t_unsupported, &m, masks_ok,
	       "unsupported == enabled & required & ~implemented when SNP is active");
	report(masks_f, t_subset, &m, masks_ok,
	       "implemented is a subset of required, without mode or host-only bits");
	report(feat_f, check_features, &m, masks_ok,
	       "features: every column of every bit matches the masks and the table");
	report(sum_f, check_summary, &m, masks_ok, "summary is the kernel's 'SEV: Status: ' line");
	report(json_f, check_json, &m, masks_ok, "json says what the other files say");
	report(src_f, t_source, &m, true, "source is one line");

	if (!getenv("SNPF_EXPECT_REQUIRED") && !getenv("SNPF_EXPECT_IMPLEMENTED")) {
		ksft_test_result_skip("required/implemented as expected: no SNPF_EXPECT_* given\n");
	} else {
		static const char *const exp_f[] = { "required", "implemented", NULL };

		report(exp_f, t_expected, &m, masks_ok,
		       "required and implemented are what this kernel is expected to have");
	}

	r = masks_ok ? check_msr(&m) : 0;
	if (!masks_ok)
		ksft_test_result(0, "status matches the SEV_STATUS MSR: the masks did not parse\n");
	else if (r < 0)
		ksft_test_result_skip("status matches the SEV_STATUS MSR: %s\n", why);
	else
		ksft_test_result(r, "status matches the SEV_STATUS MSR%s%s\n", r ? "" : ": ",
				 r ? "" : why);
	ksft_finished();
}
