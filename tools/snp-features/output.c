// SPDX-License-Identifier: GPL-2.0
/*
 * Output: one writer for both forms. Each call names a JSON member and the
 * text line (a printf format) that shows the same value, so that text and
 * JSON are written by the same code and cannot drift apart; a call with no
 * text format writes JSON only, out_text() text only. The same idea as
 * iproute2's print_*(PRINT_ANY, ...).
 */
#include <inttypes.h>
#include <stdarg.h>
#include "snpf.h"

static FILE *outf;
static int json_mode;
static int first[16] = { 1 };	/* no member yet at this nesting depth */
static int depth;

/* Where the output goes (standard output unless told) and in which form. */
void out_stream(FILE *f)
{
	outf = f;
}

void out_init(int json)
{
	if (!outf)
		outf = stdout;
	json_mode = json;
	depth = 0;
	first[0] = 1;
}

int out_json(void)
{
	return json_mode;
}

/* The length of the valid UTF-8 sequence at s, or 0. */
static int utf8_len(const unsigned char *s)
{
	int n, i;
	unsigned int c;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	/* no overlong forms, surrogates or code points past U+10FFFF */
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return n;
}

/*
 * A JSON string: quotes, backslashes and control characters escaped; a
 * byte that is not part of valid UTF-8 (a file's or the command line's)
 * becomes U+FFFD, so the document stays valid JSON.
 */
void snpf_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	while (*s) {
		unsigned char ch = (unsigned char)*s;
		int n = utf8_len((const unsigned char *)s);

		if (!n) {
			fputs("\\ufffd", f);
			s++;
		} else if (ch == '"' || ch == '\\') {
			fprintf(f, "\\%c", ch);
			s++;
		} else if (ch < 0x20) {
			fprintf(f, "\\u%04x", ch);
			s++;
		} else {
			fwrite(s, 1, (size_t)n, f);
			s += n;
		}
	}
	fputc('"', f);
}

/* A member's name, after a comma when it is not the first. */
static void key(const char *k)
{
	if (!first[depth])
		fputc(',', outf);
	first[depth] = 0;
	if (k) {
		snpf_json_str(outf, k);
		fputc(':', outf);
	}
}

static void open_(const char *k, int c)
{
	if (!json_mode)
		return;
	key(k);
	fputc(c, outf);
	if (depth + 1 < (int)(sizeof(first) / sizeof(first[0])))
		depth++;
	first[depth] = 1;
}

static void close_(int c)
{
	if (!json_mode)
		return;
	fputc(c, outf);
	if (depth)
		depth--;
	if (!depth)
		first[0] = 0;
}

void out_begin(const char *k)
{
	open_(k, '{');
}

void out_end(void)
{
	close_('}');
	if (json_mode && !depth)
		fputc('\n', outf);
}

void out_array(const char *k)
{
	open_(k, '[');
}

void out_array_end(void)
{
	close_(']');
}

void out_text(const char *fmt, ...)
{
	va_list ap;

	if (json_mode)
		return;
	va_start(ap, fmt);
	vfprintf(outf, fmt, ap);
	va_end(ap);
}

void out_str(const char *k, const char *text, const char *v)
{
	if (json_mode) {
		key(k);
		if (v)
			snpf_json_str(outf, v);
		else
			fputs("null", outf);
	} else if (text) {
		fprintf(outf, text, v ? v : "");
	}
}

void out_hex(const char *k, const char *text, uint64_t v)
{
	if (json_mode) {
		key(k);
		fprintf(outf, "\"0x%016" PRIx64 "\"", v);
	} else if (text) {
		fprintf(outf, text, v);
	}
}

void out_uint(const char *k, const char *text, unsigned long long v)
{
	if (json_mode) {
		key(k);
		fprintf(outf, "%llu", v);
	} else if (text) {
		fprintf(outf, text, v);
	}
}

/* JSON true, false or null (v < 0); text with the word for v. */
void out_bool(const char *k, const char *text, int v)
{
	if (json_mode) {
		key(k);
		fputs(v < 0 ? "null" : v ? "true" : "false", outf);
	} else if (text) {
		fprintf(outf, text, v < 0 ? "unknown" : v ? "yes" : "no");
	}
}

void out_null(const char *k)
{
	if (json_mode) {
		key(k);
		fputs("null", outf);
	}
}

static const char *need_text(const char *need)
{
	switch (need[0]) {
	case 'm':
		return "SEV mode bit";
	case 'g':
		return "needs guest support";
	case 'h':
		return "needs no guest support";
	default:
		return "reserved: unknown meaning, unsupported by every guest";
	}
}

/* The set bits of STATUS, both layouts: a JSON array, or a line each. */
void out_bits(const char *k, uint64_t status, const char *indent)
{
	unsigned int bit;

	out_array(k);
	for (bit = 0; bit < 64; bit++) {
		const char *sn = snpf_short_name(bit);

		if (!(status >> bit & 1))
			continue;
		out_begin(NULL);
		out_text("%sSEV_STATUS bit %-2u ", indent, bit);
		if (bit >= SNPF_VMSA_SHIFT) {
			out_uint("sev_status_bit", NULL, bit);
			out_uint("vmsa_bit", "VMSA bit %-2llu: ", bit - SNPF_VMSA_SHIFT);
		} else {
			out_uint("sev_status_bit", NULL, bit);
			out_null("vmsa_bit");
			out_text("(no VMSA bit): ");
		}
		out_str("apm_name", "%s ", snpf_apm_name(bit));
		out_str("short_name", NULL, sn);
		out_text("(%s), %s\n", sn ? sn : "no Linux name", need_text(snpf_need_name(bit)));
		out_str("need", NULL, snpf_need_name(bit));
		out_end();
	}
	out_array_end();
}

static void out_mask(uint64_t mask)
{
	out_begin("mask");
	out_hex("sev_status", "  feature mask: SEV_STATUS 0x%016" PRIx64, mask);
	out_hex("vmsa", ", VMSA SEV_FEATURES 0x%016" PRIx64 "\n", mask >> SNPF_VMSA_SHIFT);
	if (!mask)
		out_text("  (empty mask: no feature named)\n");
	out_bits("bits", mask, "    ");
	if (mask & 3)
		out_text("  note: bits 0-1 are mode bits and have no VMSA position\n");
	out_end();
}

/* One recognised line: a JSON object, or its lines of text. */
void snpf_out_event(const struct snpf_event *ev, unsigned long long line)
{
	out_begin(NULL);
	out_uint("line", "line %llu: ", line);
	out_str("source", NULL, snpf_source_name(ev->source));
	out_str("form", NULL, snpf_form_name(ev->form));
	out_str("text", "%s\n", snpf_source_text(ev->source));
	if (ev->form != FORM_NONE)
		out_text("  form: %s\n", ev->form == FORM_MSR ?
			 "GHCB MSR protocol (no room for a feature mask)" :
			 "GHCB page (SW_EXITCODE 0x8000fffe)");
	if (ev->has_reason) {
		out_begin("reason");
		out_uint("set", "  reason set %llu", ev->set);
		out_str("set_name", " (%s)", snpf_set_name(ev->set));
		out_uint("code", ", code %llu", ev->code);
		out_str("code_name", ": %s\n", snpf_code_name(ev->set, ev->code));
		out_end();
	} else {
		out_null("reason");
	}
	if (ev->has_gpa)
		out_hex("ghcb_gpa", "  GHCB at guest physical address 0x%" PRIx64
			"; the VMM does not receive the reason: see the host kernel log\n", ev->gpa);
	else
		out_null("ghcb_gpa");
	if (ev->extra || out_json())
		out_hex("extra_bits", "  note: bits 0x%" PRIx64 " are set where the request defines none\n",
			ev->extra);
	if (ev->has_mask) {
		out_mask(ev->mask);
	} else {
		out_null("mask");
		if (ev->has_reason && ev->set == 0 && ev->code == 2)
			out_text("  the MSR protocol cannot carry the mask: look for the guest's own log, or KVM's GHCB page line\n");
	}
	out_end();
}
