// SPDX-License-Identifier: GPL-2.0
/*
 * kselftest for the snp_features module's debugfs interface: formats,
 * consistency of the masks, names against the bit table, decode round
 * trips and rejection of bad input. Skips when the module is not loaded.
 */

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

#include "kselftest.h"
#include "snp_features_table.h"

#define DIR_PATH	"/sys/kernel/debug/x86/snp_features"
#define BUF_SIZE	16384
#define RANDOM_VALUES	2000

static char buf[BUF_SIZE];

static int read_file(const char *name, char *out, size_t size)
{
	char path[256];
	ssize_t n, total = 0;
	int fd;

	snprintf(path, sizeof(path), DIR_PATH "/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	while ((n = read(fd, out + total, size - 1 - total)) > 0)
		total += n;
	close(fd);
	if (n < 0)
		return -errno;
	out[total] = '\0';
	return 0;
}

/* Write a string to decode in one write(); returns 0 or -errno. */
static int write_decode(const char *s, size_t len)
{
	int fd, ret = 0;

	fd = open(DIR_PATH "/decode", O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, s, len) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* Parse "0x" followed by exactly 16 hex digits and a newline. */
static bool parse_hex16(const char *s, uint64_t *val)
{
	int i;

	if (strncmp(s, "0x", 2))
		return false;
	for (i = 2; i < 18; i++)
		if (!strchr("0123456789abcdef", s[i]))
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

static bool read_mask(const char *name, uint64_t *val, bool *enforced)
{
	if (read_file(name, buf, sizeof(buf)))
		return false;
	if (enforced && !strcmp(buf, "not enforced\n")) {
		*enforced = false;
		*val = 0;
		return true;
	}
	return parse_hex16(buf, val);
}

static bool read_masks(struct masks *m)
{
	bool e1 = true, e2 = true, e3 = true;

	if (!read_mask("status", &m->status, NULL) ||
	    !read_mask("enabled", &m->enabled, NULL) ||
	    !read_mask("required", &m->required, &e1) ||
	    !read_mask("implemented", &m->implemented, &e2) ||
	    !read_mask("unsupported", &m->unsupported, &e3))
		return false;
	if (e1 != e2 || e2 != e3)
		return false;
	m->enforced = e1;
	return true;
}

static const struct snpf_bits *table_bit(unsigned int bit)
{
	unsigned int i;

	for (i = 0; i < sizeof(snpf_table) / sizeof(snpf_table[0]); i++)
		if (bit >= snpf_table[i].lo && bit <= snpf_table[i].hi)
			return &snpf_table[i];
	return NULL;
}

static uint64_t expected_unsupported(const struct masks *m, uint64_t value)
{
	if (!m->enforced || !(value & (1ULL << 2)))
		return 0;
	return value & m->required & ~m->implemented;
}

/*
 * Check a "features" listing (from features or decode) for value: a header,
 * one line per bit with the table's name, the enabled column from value,
 * and the unsupported line. Returns NULL or a reason.
 */
static const char *check_listing(const char *text, uint64_t value, const struct masks *m)
{
	static char why[160];
	const char *p = strchr(text, '\n');
	unsigned int bit;

	if (!p || strncmp(text, "bit ", 4))
		return "no header line";
	p++;
	for (bit = 0; bit < 64; bit++) {
		const struct snpf_bits *b = table_bit(bit);
		char name[64], shrt[64], en[16], need[16], impl[16];
		unsigned int n;

		if (sscanf(p, "%u %63s %63s %15s %15s %15s", &n, name, shrt, en, need, impl) != 6 ||
		    n != bit) {
			snprintf(why, sizeof(why), "line for bit %u missing or malformed", bit);
			return why;
		}
		if (!b || strcmp(name, b->name) || strcmp(shrt, b->short_name)) {
			snprintf(why, sizeof(why), "bit %u named %s/%s", bit, name, shrt);
			return why;
		}
		if (strcmp(en, (value >> bit) & 1 ? "yes" : "no")) {
			snprintf(why, sizeof(why), "bit %u enabled column '%s'", bit, en);
			return why;
		}
		if (b->need != SNPF_MODE && m->enforced &&
		    strcmp(need, (m->required >> bit) & 1 ? "yes" : "no")) {
			snprintf(why, sizeof(why), "bit %u needs-guest column '%s'", bit, need);
			return why;
		}
		p = strchr(p, '\n');
		if (!p)
			return "listing ends early";
		p++;
	}
	{
		uint64_t u;

		if (strncmp(p, "unsupported: ", 13) || !parse_hex16(p + 13, &u))
			return "no unsupported line";
		if (u != expected_unsupported(m, value)) {
			snprintf(why, sizeof(why), "unsupported 0x%016" PRIx64 ", want 0x%016" PRIx64,
				 u, expected_unsupported(m, value));
			return why;
		}
	}
	return NULL;
}

/* Decode value; NULL on success or a reason. */
static const char *round_trip(uint64_t value, const struct masks *m)
{
	static char why[200];
	char in[32];
	uint64_t back;
	const char *err;
	int ret;

	snprintf(in, sizeof(in), "%" PRIx64 "\n", value);
	ret = write_decode(in, strlen(in));
	if (ret) {
		snprintf(why, sizeof(why), "write 0x%" PRIx64 ": %s", value, strerror(-ret));
		return why;
	}
	if (read_file("decode", buf, sizeof(buf)))
		return "cannot read decode";
	if (strncmp(buf, "value: ", 7) || !parse_hex16(strndup(buf + 7, 19), &back) ||
	    back != value) {
		snprintf(why, sizeof(why), "0x%" PRIx64 " read back wrong", value);
		return why;
	}
	err = check_listing(strchr(buf, '\n') + 1, value, m);
	if (err) {
		snprintf(why, sizeof(why), "0x%" PRIx64 ": %s", value, err);
		return why;
	}
	return NULL;
}

static uint64_t decode_value(void)
{
	uint64_t v = 0;

	if (read_file("decode", buf, sizeof(buf)) == 0 && !strncmp(buf, "value: ", 7))
		parse_hex16(strndup(buf + 7, 19), &v);
	return v;
}

int main(void)
{
	static const char *const bad[] = {
		"", "\n", "xyz", "0x", "12 34", "-1", "0x-5", "g0",
		"1ffffffffffffffff", "0x10000000000000000",
		"000000000000000000000000000000001",
	};
	struct masks m;
	struct stat st;
	const char *err = NULL;
	uint64_t state = 0x9e3779b97f4a7c15ULL, v;
	unsigned int i;

	ksft_print_header();
	if (stat(DIR_PATH, &st))
		ksft_exit_skip("%s missing: is debugfs mounted and snp_features loaded?\n", DIR_PATH);
	ksft_set_plan(8);

	ksft_test_result(read_masks(&m), "status and masks are 0x%%016x or 'not enforced'\n");

	ksft_test_result(m.enabled == (m.status & ~7ULL), "enabled is status without the mode bits\n");

	ksft_test_result(m.unsupported == expected_unsupported(&m, m.status),
			 "unsupported == enabled & required & ~implemented when SNP is active\n");

	ksft_test_result(!m.enforced || !(m.implemented & ~m.required),
			 "implemented features are a subset of the required ones\n");

	err = read_file("features", buf, sizeof(buf)) ? "cannot read" :
	      check_listing(buf, m.status, &m);
	ksft_test_result(!err, "features lists every bit with its name%s%s\n",
			 err ? ": " : "", err ? err : "");

	err = NULL;
	for (i = 0; i < 64 && !err; i++)
		err = round_trip(1ULL << i, &m);
	ksft_test_result(!err, "decode round-trips every single bit%s%s\n",
			 err ? ": " : "", err ? err : "");

	err = NULL;
	for (i = 0; i < RANDOM_VALUES && !err; i++) {
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		err = round_trip(i % 2 ? state : state & (state >> 3), &m);
	}
	if (!err)
		err = round_trip(0, &m) ?: round_trip(~0ULL, &m);
	ksft_test_result(!err, "decode round-trips %u pseudo-random values%s%s\n",
			 RANDOM_VALUES, err ? ": " : "", err ? err : "");

	err = NULL;
	round_trip(0x5a5aULL, &m);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]) && !err; i++) {
		int ret = write_decode(bad[i], strlen(bad[i]));

		if (ret != -EINVAL)
			err = bad[i];
		else if ((v = decode_value()) != 0x5a5aULL)
			err = "value changed after a rejected write";
	}
	ksft_test_result(!err, "bad input is rejected with EINVAL and changes nothing%s%s\n",
			 err ? ": " : "", err ? err : "");

	ksft_finished();
}
