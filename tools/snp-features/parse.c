// SPDX-License-Identifier: GPL-2.0
/*
 * Line parser and bit names. Every parser works on (pointer, length), never
 * past the end, and accepts a line only when every field it reads is there
 * and in range: an unknown or damaged line is skipped, never guessed at.
 */
#define _GNU_SOURCE
#include <string.h>
#include <stdio.h>
#include "snpf.h"
#include "snp_features_table.h"
#include "snpf_reasons.h"
#include <stdlib.h>

#define TABLE_SIZE (sizeof(snpf_table) / sizeof(snpf_table[0]))

/* A cursor over one line. */
struct cur {
	const char *p, *end;
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int is_word(char c)
{
	return hexval(c) >= 0 || (c >= 'g' && c <= 'z') ||
	       (c >= 'G' && c <= 'Z') || c == '_';
}

/* Match a literal at the cursor and step over it. */
static int lit(struct cur *c, const char *s)
{
	size_t n = strlen(s);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n))
		return 0;
	c->p += n;
	return 1;
}

/*
 * A hexadecimal number; "0x" required when want0x is 1, else optional.
 * At most 16 significant digits. The number must end at a non-word char.
 */
static int hex(struct cur *c, uint64_t *val, int want0x)
{
	uint64_t v = 0;
	int digits = 0, d;
	int has0x = c->end - c->p >= 2 && c->p[0] == '0' &&
		    (c->p[1] == 'x' || c->p[1] == 'X');

	if (want0x == 1 && !has0x)
		return 0;
	if (has0x)
		c->p += 2;
	while (c->p < c->end && (d = hexval(*c->p)) >= 0) {
		if (v >> 60)
			return 0;
		v = v << 4 | (uint64_t)d;
		digits++;
		c->p++;
	}
	if (!digits || (c->p < c->end && is_word(*c->p)))
		return 0;
	*val = v;
	return 1;
}

static int dec(struct cur *c, uint64_t *val)
{
	uint64_t v = 0;
	int digits = 0;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		unsigned int d = (unsigned int)(*c->p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return 0;
		v = v * 10 + d;
		digits++;
		c->p++;
	}
	if (!digits || (c->p < c->end && is_word(*c->p)))
		return 0;
	*val = v;
	return 1;
}

/* Nothing but white space up to the end of the line. */
static int at_end(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' ||
				 *c->p == '\r'))
		c->p++;
	return c->p == c->end;
}

/*
 * Position the cursor after the first occurrence of anchor. Lines are
 * short: finding the anchor's first byte and comparing beats memmem's
 * preparation for every line.
 */
static int seek(struct cur *c, const char *s, size_t len, const char *anchor)
{
	size_t n = strlen(anchor);
	const char *p = s, *end = s + len;

	while ((size_t)(end - p) >= n && (p = memchr(p, anchor[0], (size_t)(end - p) - n + 1))) {
		if (!memcmp(p, anchor, n)) {
			c->p = p + n;
			c->end = end;
			return 1;
		}
		p++;
	}
	return 0;
}

/* GHCB MSR protocol termination request: GHCBData[11:0] = 0x100. */
static int msr_term(uint64_t v, struct snpf_event *ev)
{
	if ((v & 0xfff) != 0x100)
		return 0;
	ev->form = FORM_MSR;
	ev->has_reason = 1;
	ev->set = (v >> 12) & 0xf;
	ev->code = (v >> 16) & 0xff;
	ev->extra = v & ~0xffffffULL;
	return 1;
}

/* SW_EXITINFO1 of a GHCB page request: [3:0] set, [11:4] code. */
static void ghcb_term(uint64_t info1, uint64_t info2, struct snpf_event *ev)
{
	ev->form = FORM_GHCB_PAGE;
	ev->has_reason = 1;
	ev->set = info1 & 0xf;
	ev->code = (info1 >> 4) & 0xff;
	ev->extra = info1 & ~0xfffULL;
	/* Only "features not supported" puts a feature mask in EXITINFO2. */
	if (ev->set == 0 && ev->code == 2) {
		ev->has_mask = 1;
		ev->mask = info2;
	}
}

static int p_kvm_term_ghcb(const char *s, size_t len, struct snpf_event *ev)
{
	struct cur c;
	uint64_t a, b;

	if (!seek(&c, s, len, "SEV-ES guest requested termination: reason "))
		return 0;
	/* the kernel's %#llx prints 0x0; glibc's, in other logs, 0 */
	if (!hex(&c, &a, 0) || !lit(&c, " info ") || !hex(&c, &b, 0) ||
	    !at_end(&c))
		return 0;
	ev->source = SRC_KVM_TERM_GHCB;
	ghcb_term(a, b, ev);
	return 1;
}

static int p_kvm_term_msr(const char *s, size_t len, struct snpf_event *ev)
{
	struct cur c;
	uint64_t a, b;

	if (!seek(&c, s, len, "SEV-ES guest requested termination: "))
		return 0;
	if (!hex(&c, &a, 0) || !lit(&c, ":") || !hex(&c, &b, 0) || !at_end(&c))
		return 0;
	if (a > 0xf || b > 0xff)
		return 0;
	ev->source = SRC_KVM_TERM_MSR;
	ev->form = FORM_MSR;
	ev->has_reason = 1;
	ev->set = (unsigned int)a;
	ev->code = (unsigned int)b;
	return 1;
}

/*
 * A tracepoint's name and its text: "NAME: vcpu ", where trace-cmd report
 * pads the name to 20 characters with spaces after the colon, and perf
 * script puts the subsystem in front ("kvm:NAME:").
 */
static int trace_event(struct cur *c, const char *s, size_t len, const char *name)
{
	if (!seek(c, s, len, name) || !lit(c, ":") || c->p >= c->end || *c->p != ' ')
		return 0;
	while (c->p < c->end && *c->p == ' ')
		c->p++;
	return lit(c, "vcpu ");
}

static int p_trace_vmgexit(const char *s, size_t len, struct snpf_event *ev)
{
	struct cur c;
	uint64_t vcpu, reason, i1, i2;

	if (!trace_event(&c, s, len, "kvm_vmgexit_enter"))
		return 0;
	if (!dec(&c, &vcpu) || !lit(&c, ", exit_reason ") ||
	    !hex(&c, &reason, 0) || !lit(&c, ", exit_info1 ") ||
	    !hex(&c, &i1, 0) || !lit(&c, ", exit_info2 ") ||
	    !hex(&c, &i2, 0) || !at_end(&c))
		return 0;
	if (reason != 0x8000fffeULL)
		return 0;
	ev->source = SRC_TRACE_VMGEXIT;
	ghcb_term(i1, i2, ev);
	return 1;
}

static int p_trace_msr(const char *s, size_t len, struct snpf_event *ev)
{
	struct cur c;
	uint64_t vcpu, v;

	if (!trace_event(&c, s, len, "kvm_vmgexit_msr_protocol_enter"))
		return 0;
	if (!dec(&c, &vcpu) || !lit(&c, ", ghcb_gpa ") || !hex(&c, &v, 0) ||
	    !at_end(&c))
		return 0;
	if (!msr_term(v, ev))
		return 0;
	ev->source = SRC_TRACE_MSR;
	return 1;
}

static int p_ghcb_msr(const char *s, size_t len, struct snpf_event *ev)
{
	struct cur c;
	uint64_t v;

	if (!seek(&c, s, len, "GHCB MSR"))
		return 0;
	if (!lit(&c, ":") && !lit(&c, " ="))
		lit(&c, "=");
	while (c.p < c.end && *c.p == ' ')
		c.p++;
	if (!hex(&c, &v, 1) || !at_end(&c) || !msr_term(v, ev))
		return 0;
	ev->source = SRC_GHCB_MSR;
	return 1;
}

/* Data of KVM_SYSTEM_EVENT_SEV_TERM: the GHCB MSR value or GHCB GPA. */
static int sev_term_data(uint64_t d, struct snpf_event *ev)
{
	if (msr_term(d, ev))
		return 1;
	if (d & 0xfff)
		return 0;
	ev->form = FORM_GHCB_PAGE;
	ev->has_gpa = 1;
	ev->gpa = d;
	return 1;
}

static int p_system_event(const char *s, size_t len, struct snpf_event *ev)
{
	struct cur c;
	uint64_t d;

	if (!seek(&c, s, len, "SystemEvent(6, ["))
		return 0;
	if (!dec(&c, &d) || !(lit(&c, "])") || lit(&c, ", ")))
		return 0;
	if (!sev_term_data(d, ev))
		return 0;
	ev->source = SRC_SYSTEM_EVENT;
	return 1;
}

/*
 * QEMU's trace event kvm_run_exit_system_event: the log backend prints
 * "NAME cpu_index 0, system_even_type 6" (sic), simpletrace.py
 * "NAME 0.000 pid=42 cpu_index=0x0 event_type=0x6".
 */
static int p_qemu_trace(const char *s, size_t len, struct snpf_event *ev)
{
	struct cur c;
	uint64_t v, type;

	if (!seek(&c, s, len, "kvm_run_exit_system_event "))
		return 0;
	if (lit(&c, "cpu_index ")) {
		if (!dec(&c, &v) || !lit(&c, ", system_even_type ") ||
		    !dec(&c, &type))
			return 0;
	} else {
		/* the time since the previous event, in microseconds */
		while (c.p < c.end && *c.p >= '0' && *c.p <= '9')
			c.p++;
		if (!lit(&c, ".") || !dec(&c, &v) || !lit(&c, " pid=") ||
		    !dec(&c, &v) || !lit(&c, " cpu_index=") || !hex(&c, &v, 1) ||
		    !lit(&c, " event_type=") || !hex(&c, &type, 1))
			return 0;
	}
	if (!at_end(&c) || type != 6)
		return 0;
	ev->source = SRC_QEMU_TRACE;
	return 1;
}

static int p_qemu_unknown(const char *s, size_t len, struct snpf_event *ev)
{
	struct cur c;
	uint64_t r;

	if (!seek(&c, s, len, "KVM: unknown exit reason "))
		return 0;
	if (!dec(&c, &r) || !at_end(&c) || r != 24)
		return 0;
	ev->source = SRC_QEMU_UNKNOWN_EXIT;
	return 1;
}

static int p_efi_stub(const char *s, size_t len, struct snpf_event *ev)
{
	struct cur c;
	uint64_t m;

	if (!seek(&c, s, len, "Unsupported SEV-SNP features detected: "))
		return 0;
	if (!hex(&c, &m, 0) || !at_end(&c))
		return 0;
	ev->source = SRC_EFI_STUB;
	ev->has_mask = 1;
	ev->mask = m;
	return 1;
}

/* libkrun (since 1.11.1): a system event it does not handle; no data. */
static int p_libkrun(const char *s, size_t len, struct snpf_event *ev)
{
	struct cur c;
	uint64_t type;

	if (!seek(&c, s, len, "Received an unexpected System Event: "))
		return 0;
	if (!dec(&c, &type) || !at_end(&c) || type != 6)
		return 0;
	ev->source = SRC_LIBKRUN;
	return 1;
}

const struct snpf_source_def snpf_sources[SRC_COUNT] = {
	[SRC_NONE] = { "none", "", NULL, NULL },
	[SRC_KVM_TERM_GHCB] = {
		"kvm_termination_ghcb",
		"KVM: the guest asked to be terminated (GHCB page request)",
		"ted term",	/* SEV-ES guest requested termination: */
		p_kvm_term_ghcb },
	[SRC_KVM_TERM_MSR] = {
		"kvm_termination_msr",
		"KVM: the guest asked to be terminated (GHCB MSR protocol request)",
		"ted term", p_kvm_term_msr },
	[SRC_TRACE_VMGEXIT] = {
		"trace_kvm_vmgexit_enter",
		"KVM trace: VMGEXIT termination request through the GHCB page",
		"gexit_en",	/* kvm_vmgexit_enter */
		p_trace_vmgexit },
	[SRC_TRACE_MSR] = {
		"trace_kvm_vmgexit_msr_protocol_enter",
		"KVM trace: termination request through the GHCB MSR protocol",
		"col_ente",	/* kvm_vmgexit_msr_protocol_enter */
		p_trace_msr },
	[SRC_GHCB_MSR] = {
		"ghcb_msr_value", "GHCB MSR value: termination request",
		"GHCB MSR", p_ghcb_msr },
	[SRC_SYSTEM_EVENT] = {
		"vmm_system_event",
		"VMM: KVM_EXIT_SYSTEM_EVENT type 6 (SEV guest termination)",
		"mEvent(6",	/* SystemEvent(6, [ */
		p_system_event },
	[SRC_QEMU_TRACE] = {
		"qemu_trace_system_event",
		"QEMU trace: KVM_EXIT_SYSTEM_EVENT type 6 (SEV guest termination); the reason is in the host kernel log",
		"exit_sys",	/* kvm_run_exit_system_event */
		p_qemu_trace },
	[SRC_QEMU_UNKNOWN_EXIT] = {
		"qemu_unknown_exit",
		"QEMU: unhandled KVM_EXIT_SYSTEM_EVENT (exit 24); for an SEV-ES/SNP guest on a QEMU that does not know the SEV termination event this is most likely a termination request; the reason is in the host kernel log",
		"own exit",	/* KVM: unknown exit reason */
		p_qemu_unknown },
	[SRC_EFI_STUB] = {
		"guest_efi_stub",
		"guest EFI stub: features the kernel does not support; it returned to the firmware",
		"rted SEV",	/* Unsupported SEV-SNP features detected: */
		p_efi_stub },
	[SRC_LIBKRUN] = {
		"libkrun_system_event",
		"libkrun: KVM_EXIT_SYSTEM_EVENT type 6 (SEV guest termination); the reason is in the host kernel log",
		"ted Syst",	/* unexpected System Event: */
		p_libkrun },
};

/* The sources whose piece is PIECE (every source for NULL) read the line. */
static int parse_text(const char *s, size_t len, const char *piece,
		      struct snpf_event *ev)
{
	int i;

	for (i = SRC_NONE + 1; i < SRC_COUNT; i++) {
		if (piece && memcmp(piece, snpf_sources[i].piece, SNPF_PIECE))
			continue;
		if (snpf_sources[i].parse(s, len, ev))
			return 1;
		/* A parser that gave up may have filled part of it. */
		memset(ev, 0, sizeof(*ev));
	}
	return 0;
}

/*
 * journalctl -o json / json-pretty: the message is the string value of
 * the MESSAGE field ("MESSAGE":"..." or "MESSAGE" : "..."). Copy it
 * unescaped into a new buffer; NULL when the field is not a plain string
 * (journald writes an array of byte values for text that is not valid
 * UTF-8 or has control characters) or has an escape this does not take.
 */
static char *journal_message(const char *s, size_t len, size_t *out_len)
{
	const char *k, *p, *end = s + len;
	char *buf, *o;

	/* most lines have no quote at all: memchr is the cheap test */
	if (!memchr(s, '"', len))
		return NULL;
	/* the member, not a value that reads "MESSAGE": a colon follows */
	for (p = s;; p = k + 9) {
		k = memmem(p, (size_t)(end - p), "\"MESSAGE\"", 9);
		if (!k)
			return NULL;
		p = k + 9;
		while (p < end && *p == ' ')
			p++;
		if (p < end && *p == ':')
			break;
	}
	p++;
	while (p < end && *p == ' ')
		p++;
	if (p >= end || *p++ != '"')
		return NULL;
	buf = malloc((size_t)(end - p) + 1);
	if (!buf)
		return NULL;
	for (o = buf; p < end && *p != '"'; p++) {
		if (*p != '\\') {
			*o++ = *p;
			continue;
		}
		if (++p >= end)
			break;
		switch (*p) {
		case '"': case '\\': case '/':
			*o++ = *p;
			break;
		case 't':
			*o++ = '\t';
			break;
		default:	/* \n, \r, \u...: not in a line we read */
			free(buf);
			return NULL;
		}
	}
	if (p >= end) {		/* no closing quote */
		free(buf);
		return NULL;
	}
	*out_len = (size_t)(o - buf);
	return buf;
}

/*
 * Returns 1 and fills ev when the line is one of the known formats (or a
 * journal JSON record whose MESSAGE is), else returns 0 with ev cleared.
 * With a PIECE (one of snpf_sources[]' pieces, found in the line), only
 * the sources of that piece are tried: a line of another source holds
 * that source's piece.
 */
int snpf_parse_line_piece(const char *s, size_t len, const char *piece,
			  struct snpf_event *ev)
{
	char *msg;
	size_t mlen;
	int r;

	/* Cleared whatever the result, a line with a NUL byte included. */
	memset(ev, 0, sizeof(*ev));
	if (memchr(s, '\0', len))
		return 0;
	if (parse_text(s, len, piece, ev))
		return 1;
	msg = journal_message(s, len, &mlen);
	if (!msg)
		return 0;
	r = parse_text(msg, mlen, piece, ev);
	free(msg);
	return r;
}

int snpf_parse_line(const char *s, size_t len, struct snpf_event *ev)
{
	return snpf_parse_line_piece(s, len, NULL, ev);
}

/*
 * Without "0x", a value that reads as another notation: "0b101" (binary),
 * "1e3" (decimal with an exponent). As hexadecimal they would be 0xb101
 * and 0x1e3, which is not what whoever wrote them meant.
 */
int snpf_number_ambiguous(const char *s)
{
	size_t n = strspn(s, "0123456789");

	if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B') && s[2] &&
	    strspn(s + 2, "01") == strlen(s + 2))
		return 1;
	return n > 0 && (s[n] == 'e' || s[n] == 'E') && s[n + 1] &&
	       strspn(s + n + 1, "0123456789") == strlen(s + n + 1);
}

/* A command-line value: hexadecimal, "0x" optional, at most 64 bits. */
int snpf_parse_u64(const char *s, uint64_t *val)
{
	struct cur c = { s, s + strlen(s) };

	if (snpf_number_ambiguous(s))
		return 0;
	return hex(&c, val, 0) && c.p == c.end;
}

static const struct snpf_bits *bit_row(unsigned int bit)
{
	size_t i;

	for (i = 0; i < TABLE_SIZE; i++)
		if (bit >= snpf_table[i].lo && bit <= snpf_table[i].hi)
			return &snpf_table[i];
	return NULL;
}

const char *snpf_apm_name(unsigned int bit)
{
	const struct snpf_bits *b = bit_row(bit);

	return b ? b->name : "unknown";
}

/* NULL when Linux has no short name for the bit. */
const char *snpf_short_name(unsigned int bit)
{
	const struct snpf_bits *b = bit_row(bit);

	return b && strcmp(b->short_name, "-") ? b->short_name : NULL;
}

const char *snpf_need_name(unsigned int bit)
{
	const struct snpf_bits *b = bit_row(bit);

	if (!b)
		return "unknown";
	switch (b->need) {
	case SNPF_MODE:
		return "mode";
	case SNPF_GUEST:
		return "guest";
	case SNPF_HOST:
		return "host";
	default:
		return "reserved";
	}
}

/* Features a guest kernel must implement: "yes" and reserved bits. */
uint64_t snpf_guest_required(void)
{
	uint64_t m = 0;
	unsigned int bit;

	for (bit = 0; bit < 64; bit++) {
		const struct snpf_bits *b = bit_row(bit);

		if (!b || b->need == SNPF_GUEST || b->need == SNPF_RESERVED)
			m |= 1ULL << bit;
	}
	return m;
}

/*
 * The line Linux (v6.9+) prints at boot: "SEV: Status: " and the short
 * name of each set bit it names, each followed by a space.
 */
int snpf_kernel_line(uint64_t status, char *buf, size_t size)
{
	size_t n;
	unsigned int bit;

	n = (size_t)snprintf(buf, size, "SEV: Status: ");
	for (bit = 0; bit < 64 && n < size; bit++) {
		const char *name = snpf_short_name(bit);

		if ((status >> bit & 1) && name)
			n += (size_t)snprintf(buf + n, size - n, "%s ", name);
	}
	return n < size ? 0 : -1;
}

const char *snpf_source_name(enum snpf_source src)
{
	return snpf_sources[src].name;
}

const char *snpf_source_text(enum snpf_source src)
{
	return snpf_sources[src].text;
}

const char *snpf_form_name(enum snpf_form form)
{
	return form == FORM_MSR ? "msr" :
	       form == FORM_GHCB_PAGE ? "ghcb_page" : "none";
}

#define NSETS (sizeof(snpf_reason_sets) / sizeof(snpf_reason_sets[0]))

const char *snpf_set_name(unsigned int set)
{
	return set < NSETS ? snpf_reason_sets[set].name : "unknown reason set";
}

/* reason-codes.tbl; a code past a known set's table is newer than the tool. */
const char *snpf_code_name(unsigned int set, unsigned int code)
{
	if (set >= NSETS)
		return "unknown code";
	if (code >= snpf_reason_sets[set].ncodes)
		return "unknown (newer than this tool)";
	return snpf_reason_sets[set].codes[code];
}
