// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the line parser and the bit names: the positive corpus
 * with expected decodings, every line of the negative corpus must be
 * skipped, every bit of the table, number parsing and the kernel line.
 * Ends with "N passed, N failed".
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "snpf.h"
#include "snp_features_table.h"

static int passed, failed;

#define CHECK(cond, ...) do {					\
	if (cond) {						\
		passed++;					\
	} else {						\
		failed++;					\
		printf("FAIL %s:%d: ", __FILE__, __LINE__);	\
		printf(__VA_ARGS__);				\
		putchar('\n');					\
	}							\
} while (0)

struct want {
	const char *line;
	enum snpf_source src;
	enum snpf_form form;
	int has_reason;
	unsigned int set, code;
	int has_mask;
	uint64_t mask;
	int has_gpa;
	uint64_t gpa;
};

/* Same lines as corpus/positive.log, in order. */
static const struct want wants[] = {
	{ "SEV-ES guest requested termination: reason 0x20 info 0x80",
	  SRC_KVM_TERM_GHCB, FORM_GHCB_PAGE, 1, 0, 2, 1, 0x80, 0, 0 },
	{ "SEV-ES guest requested termination: reason 0x20 info 0x20",
	  SRC_KVM_TERM_GHCB, FORM_GHCB_PAGE, 1, 0, 2, 1, 0x20, 0, 0 },
	{ "reason 0x20 info 0x800000",
	  SRC_KVM_TERM_GHCB, FORM_GHCB_PAGE, 1, 0, 2, 1, 0x800000, 0, 0 },
	{ "reason 0x20 info 0x1000000",
	  SRC_KVM_TERM_GHCB, FORM_GHCB_PAGE, 1, 0, 2, 1, 0x1000000, 0, 0 },
	{ "reason 0x20 info 0", SRC_KVM_TERM_GHCB, FORM_GHCB_PAGE, 1, 0, 2, 1, 0, 0, 0 },
	{ "reason 0 info 0", SRC_KVM_TERM_GHCB, FORM_GHCB_PAGE, 1, 0, 0, 0, 0, 0, 0 },
	{ "reason 0x11 info 0", SRC_KVM_TERM_GHCB, FORM_GHCB_PAGE, 1, 1, 1, 0, 0, 0, 0 },
	{ "0x0:0x2", SRC_KVM_TERM_MSR, FORM_MSR, 1, 0, 2, 0, 0, 0, 0 },
	{ "0x1:0x3", SRC_KVM_TERM_MSR, FORM_MSR, 1, 1, 3, 0, 0, 0, 0 },
	{ "0:0", SRC_KVM_TERM_MSR, FORM_MSR, 1, 0, 0, 0, 0, 0, 0 },
	{ "kvm_vmgexit_enter", SRC_TRACE_VMGEXIT, FORM_GHCB_PAGE, 1, 0, 2, 1, 0x80, 0, 0 },
	{ "ghcb_gpa 0000000000020100", SRC_TRACE_MSR, FORM_MSR, 1, 0, 2, 0, 0, 0, 0 },
	{ "ghcb_gpa 0000000000051100", SRC_TRACE_MSR, FORM_MSR, 1, 1, 5, 0, 0, 0, 0 },
	{ "GHCB MSR: 0x20100", SRC_GHCB_MSR, FORM_MSR, 1, 0, 2, 0, 0, 0, 0 },
	{ "GHCB MSR = 0x...20100", SRC_GHCB_MSR, FORM_MSR, 1, 0, 2, 0, 0, 0, 0 },
	{ "SystemEvent(6, [131328])", SRC_SYSTEM_EVENT, FORM_MSR, 1, 0, 2, 0, 0, 0, 0 },
	{ "SystemEvent(6, [1234567168])", SRC_SYSTEM_EVENT, FORM_GHCB_PAGE,
	  0, 0, 0, 0, 0, 1, 1234567168 },
	{ "system_even_type 6", SRC_QEMU_TRACE, FORM_NONE, 0, 0, 0, 0, 0, 0, 0 },
	{ "unknown exit reason 24", SRC_QEMU_UNKNOWN_EXIT, FORM_NONE, 0, 0, 0, 0, 0, 0, 0 },
	{ "Unsupported SEV-SNP features detected: 0x80", SRC_EFI_STUB, FORM_NONE,
	  0, 0, 0, 1, 0x80, 0, 0 },
	{ "trace-cmd report, padded", SRC_TRACE_VMGEXIT, FORM_GHCB_PAGE, 1, 0, 2, 1, 0x80, 0, 0 },
	{ "trace-cmd report, MSR", SRC_TRACE_MSR, FORM_MSR, 1, 0, 2, 0, 0, 0, 0 },
	{ "perf script", SRC_TRACE_VMGEXIT, FORM_GHCB_PAGE, 1, 0, 2, 1, 0x20, 0, 0 },
	{ "perf script, MSR", SRC_TRACE_MSR, FORM_MSR, 1, 0, 2, 0, 0, 0, 0 },
	{ "journalctl -o json, MSR", SRC_KVM_TERM_MSR, FORM_MSR, 1, 0, 2, 0, 0, 0, 0 },
	{ "journalctl -o json-pretty", SRC_KVM_TERM_GHCB, FORM_GHCB_PAGE, 1, 0, 2, 1, 0x80, 0, 0 },
	{ "journalctl -o json, MESSAGE first", SRC_KVM_TERM_GHCB, FORM_GHCB_PAGE, 1, 0, 2, 1, 0x800, 0, 0 },
	{ "QEMU simpletrace", SRC_QEMU_TRACE, FORM_NONE, 0, 0, 0, 0, 0, 0, 0 },
	{ "QEMU log backend, timestamp", SRC_QEMU_TRACE, FORM_NONE, 0, 0, 0, 0, 0, 0, 0 },
	{ "QEMU log backend, thread@time", SRC_QEMU_TRACE, FORM_NONE, 0, 0, 0, 0, 0, 0, 0 },
	{ "libkrun", SRC_LIBKRUN, FORM_NONE, 0, 0, 0, 0, 0, 0, 0 },
	{ "0x1:0xc", SRC_KVM_TERM_MSR, FORM_MSR, 1, 1, 12, 0, 0, 0, 0 },
};

#define NWANTS (sizeof(wants) / sizeof(wants[0]))

static char *slurp_line(FILE *f)
{
	static char *buf;
	static size_t cap;
	ssize_t n = getline(&buf, &cap, f);

	if (n < 0)
		return NULL;
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return buf;
}

static void test_positive(const char *dir)
{
	char path[4096];
	FILE *f;
	char *l;
	size_t i = 0;

	snprintf(path, sizeof(path), "%s/positive.log", dir);
	f = fopen(path, "r");
	CHECK(f != NULL, "open %s", path);
	if (!f)
		return;
	while ((l = slurp_line(f)) != NULL) {
		const struct want *w = &wants[i < NWANTS ? i : NWANTS - 1];
		struct snpf_event ev;
		int ok = snpf_parse_line(l, strlen(l), &ev);

		CHECK(i < NWANTS, "more corpus lines than expectations");
		CHECK(ok, "not recognised: %s", l);
		CHECK(ev.source == w->src, "source %s for: %s",
		      snpf_source_name(ev.source), l);
		CHECK(ev.form == w->form, "form %s for: %s", snpf_form_name(ev.form), l);
		CHECK(ev.has_reason == w->has_reason && ev.set == w->set &&
		      ev.code == w->code, "reason %u:%u for: %s", ev.set, ev.code, l);
		CHECK(ev.has_mask == w->has_mask && ev.mask == w->mask,
		      "mask %#llx for: %s", (unsigned long long)ev.mask, l);
		CHECK(ev.has_gpa == w->has_gpa && ev.gpa == w->gpa,
		      "gpa for: %s", l);
		i++;
	}
	fclose(f);
	CHECK(i == NWANTS, "corpus has %zu lines, expected %zu", i, NWANTS);
}

static void test_negative(const char *dir)
{
	char path[4096];
	FILE *f;
	char *l;
	int n = 0;

	snprintf(path, sizeof(path), "%s/negative.log", dir);
	f = fopen(path, "r");
	CHECK(f != NULL, "open %s", path);
	if (!f)
		return;
	while ((l = slurp_line(f)) != NULL) {
		struct snpf_event ev;

		CHECK(!snpf_parse_line(l, strlen(l), &ev), "misread: %s (as %s)",
		      l, snpf_source_name(ev.source));
		n++;
	}
	fclose(f);
	CHECK(n >= 30, "negative corpus too small: %d", n);
}

/* Every bit: names and needs exactly as in the generated table. */
static void test_bits(void)
{
	size_t i;
	unsigned int bit, seen = 0;
	uint64_t req = snpf_guest_required();

	for (i = 0; i < sizeof(snpf_table) / sizeof(snpf_table[0]); i++) {
		const struct snpf_bits *b = &snpf_table[i];

		for (bit = b->lo; bit <= b->hi; bit++) {
			const char *sn = snpf_short_name(bit);
			int need_guest = b->need == SNPF_GUEST || b->need == SNPF_RESERVED;

			seen++;
			CHECK(!strcmp(snpf_apm_name(bit), b->name), "bit %u name", bit);
			CHECK(strcmp(b->short_name, "-") ? sn && !strcmp(sn, b->short_name) :
			      sn == NULL, "bit %u short name", bit);
			CHECK(!!(req >> bit & 1) == need_guest, "bit %u required", bit);
		}
	}
	CHECK(seen == 64, "table covers %u bits", seen);
	CHECK(!strcmp(snpf_need_name(7), "guest"), "DebugSwap needs the guest");
	CHECK(!strcmp(snpf_need_name(23), "host"), "IbpbOnEntry needs no guest");
	CHECK(!strcmp(snpf_need_name(0), "mode"), "bit 0 is a mode bit");
	CHECK(!strcmp(snpf_need_name(63), "reserved"), "bit 63 reserved");
}

/* A termination mask for each single bit, through the KVM line. */
static void test_each_bit_line(void)
{
	unsigned int bit;
	char line[128];
	struct snpf_event ev;

	for (bit = 0; bit < 64; bit++) {
		snprintf(line, sizeof(line),
			 "SEV-ES guest requested termination: reason 0x20 info %#llx",
			 1ULL << bit);
		CHECK(snpf_parse_line(line, strlen(line), &ev) && ev.has_mask &&
		      ev.mask == 1ULL << bit, "bit %u through the KVM line", bit);
		snprintf(line, sizeof(line),
			 "kvm_vmgexit_enter: vcpu 3, exit_reason 8000fffe, exit_info1 20, exit_info2 %llx",
			 1ULL << bit);
		CHECK(snpf_parse_line(line, strlen(line), &ev) && ev.has_mask &&
		      ev.mask == 1ULL << bit, "bit %u through the trace", bit);
	}
}

/* Every reason set and code through the MSR form and the page form. */
static void test_reasons(void)
{
	unsigned int set, code;
	char line[128];
	struct snpf_event ev;
	int ok = 1;

	for (set = 0; set < 16; set++)
		for (code = 0; code < 256; code++) {
			unsigned long long v = 0x100 | set << 12 | code << 16;

			snprintf(line, sizeof(line), "GHCB MSR: %#llx", v);
			ok &= snpf_parse_line(line, strlen(line), &ev) &&
			      ev.set == set && ev.code == code && ev.form == FORM_MSR;
			snprintf(line, sizeof(line),
				 "SEV-ES guest requested termination: reason %#x info 0x1", set | code << 4);
			ok &= snpf_parse_line(line, strlen(line), &ev) &&
			      ev.set == set && ev.code == code && ev.form == FORM_GHCB_PAGE &&
			      ev.has_mask == (set == 0 && code == 2);
		}
	CHECK(ok, "every reason set and code, both forms");
	CHECK(!strcmp(snpf_code_name(0, 2), "SEV-SNP features not supported"), "0:2");
	CHECK(!strcmp(snpf_code_name(1, 3), "SNP guest is not running at VMPL0"), "1:3");
	CHECK(!strcmp(snpf_code_name(1, 12), "Secure AVIC failure"), "1:12 %s", snpf_code_name(1, 12));
	CHECK(!strcmp(snpf_code_name(1, 200), "unknown (newer than this tool)"), "1:200");
	CHECK(!strcmp(snpf_code_name(0, 3), "unknown (newer than this tool)"), "0:3");
	CHECK(!strcmp(snpf_code_name(5, 0), "unknown code"), "5:0");
}

static void test_numbers(void)
{
	static const char *const bad[] = {
		"", "0x", "x1", "-1", "1g", "0x10000000000000000", "12345678901234567",
		" 1", "1 ", "0x 1", "+1", "0xx1", "0b101", "0B1", "1e3", "12E45", "0o17",
	};
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(!snpf_parse_u64(bad[i], &v), "accepted bad number '%s'", bad[i]);
	CHECK(snpf_parse_u64("0xffffffffffffffff", &v) && v == UINT64_MAX, "max");
	CHECK(snpf_parse_u64("87", &v) && v == 0x87, "hex without 0x");
	CHECK(snpf_parse_u64("0x1e3", &v) && v == 0x1e3, "0x1e3");
	CHECK(snpf_parse_u64("0xb101", &v) && v == 0xb101, "0xb101");
	CHECK(snpf_parse_u64("ffe", &v) && v == 0xffe, "ffe without 0x");
	CHECK(snpf_parse_u64("0X00000000000000087", &v) && v == 0x87, "leading zeros");
}

static void test_kernel_line(void)
{
	char buf[1024];

	CHECK(!snpf_kernel_line(0x87, buf, sizeof(buf)) &&
	      !strcmp(buf, "SEV: Status: SEV SEV-ES SEV-SNP DebugSwap "), "%s", buf);
	CHECK(!snpf_kernel_line(0, buf, sizeof(buf)) &&
	      !strcmp(buf, "SEV: Status: "), "%s", buf);
	/* reserved bits have no name and are not printed */
	CHECK(!snpf_kernel_line(0x8000000000002004ULL, buf, sizeof(buf)) &&
	      !strcmp(buf, "SEV: Status: SEV-SNP "), "%s", buf);
	CHECK(snpf_kernel_line(0x87, buf, 8) == -1, "truncation reported");
}

static void test_lengths(void)
{
	const char *l = "SEV-ES guest requested termination: reason 0x20 info 0x80";
	size_t n = strlen(l), i;
	struct snpf_event ev, zero;
	int ok = 1, cleared = 1, r;

	/* a prefix of a valid line is incomplete and must be skipped, except
	 * "info 0" and "info 0x8", which are whole lines themselves; one that
	 * is skipped leaves the event clear, however far a parser got */
	memset(&zero, 0, sizeof(zero));
	for (i = 0; i < n; i++) {
		char *copy = malloc(i ? i : 1);

		memcpy(copy, l, i);
		memset(&ev, 0xa5, sizeof(ev));
		r = snpf_parse_line(copy, i, &ev);
		ok &= !r || i == n - 3 || i == n - 1;
		cleared &= r || !memcmp(&ev, &zero, sizeof(ev));
		free(copy);
	}
	CHECK(ok, "prefixes of a line are skipped");
	CHECK(cleared, "a skipped prefix leaves the event clear");
	CHECK(!snpf_parse_line("SEV-ES guest requested termination: reason 0x20\0 info 0x80",
			       58, &ev), "NUL inside a line");
	/* whatever the caller's struct held, a line not read leaves it clear */
	memset(&ev, 0xa5, sizeof(ev));
	CHECK(!snpf_parse_line("reason 0x20\0", 12, &ev) &&
	      !memcmp(&ev, &zero, sizeof(ev)), "cleared after a NUL");
	memset(&ev, 0xa5, sizeof(ev));
	CHECK(!snpf_parse_line("no event here", 13, &ev) &&
	      !memcmp(&ev, &zero, sizeof(ev)), "cleared after no match");
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "tests/corpus";

	test_positive(dir);
	test_negative(dir);
	test_bits();
	test_each_bit_line();
	test_reasons();
	test_numbers();
	test_kernel_line();
	test_lengths();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
