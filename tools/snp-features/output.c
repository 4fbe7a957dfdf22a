// SPDX-License-Identifier: GPL-2.0
/* Text and JSON output shared by the commands. */
#include <inttypes.h>
#include "snpf.h"

void snpf_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
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

/* One line per set bit, both layouts. */
void snpf_print_bits(FILE *f, uint64_t status, const char *indent)
{
	unsigned int bit;

	for (bit = 0; bit < 64; bit++) {
		const char *sn = snpf_short_name(bit);

		if (!(status >> bit & 1))
			continue;
		fprintf(f, "%sSEV_STATUS bit %-2u ", indent, bit);
		if (bit >= SNPF_VMSA_SHIFT)
			fprintf(f, "VMSA bit %-2u: ", bit - SNPF_VMSA_SHIFT);
		else
			fprintf(f, "(no VMSA bit): ");
		fprintf(f, "%s (%s), %s\n", snpf_apm_name(bit), sn ? sn : "no Linux name",
			need_text(snpf_need_name(bit)));
	}
}

void snpf_json_bits(FILE *f, uint64_t status)
{
	unsigned int bit;
	const char *sep = "";

	fputc('[', f);
	for (bit = 0; bit < 64; bit++) {
		const char *sn = snpf_short_name(bit);

		if (!(status >> bit & 1))
			continue;
		fprintf(f, "%s{\"sev_status_bit\":%u,\"vmsa_bit\":", sep, bit);
		if (bit >= SNPF_VMSA_SHIFT)
			fprintf(f, "%u", bit - SNPF_VMSA_SHIFT);
		else
			fputs("null", f);
		fputs(",\"apm_name\":", f);
		snpf_json_str(f, snpf_apm_name(bit));
		fputs(",\"short_name\":", f);
		if (sn)
			snpf_json_str(f, sn);
		else
			fputs("null", f);
		fprintf(f, ",\"need\":\"%s\"}", snpf_need_name(bit));
		sep = ",";
	}
	fputc(']', f);
}

static void print_mask(FILE *f, uint64_t mask)
{
	fprintf(f, "  feature mask: SEV_STATUS 0x%016" PRIx64
		", VMSA SEV_FEATURES 0x%016" PRIx64 "\n",
		mask, mask >> SNPF_VMSA_SHIFT);
	if (!mask)
		fputs("  (empty mask: no feature named)\n", f);
	snpf_print_bits(f, mask, "    ");
	if (mask & 3)
		fputs("  note: bits 0-1 are mode bits and have no VMSA position\n", f);
}

void snpf_print_event(FILE *f, const struct snpf_event *ev, unsigned long long line)
{
	fprintf(f, "line %llu: %s\n", line, snpf_source_text(ev->source));
	if (ev->form != FORM_NONE)
		fprintf(f, "  form: %s\n", ev->form == FORM_MSR ?
			"GHCB MSR protocol (no room for a feature mask)" :
			"GHCB page (SW_EXITCODE 0x8000fffe)");
	if (ev->has_reason)
		fprintf(f, "  reason set %u (%s), code %u: %s\n", ev->set,
			snpf_set_name(ev->set), ev->code,
			snpf_code_name(ev->set, ev->code));
	if (ev->has_gpa)
		fprintf(f, "  GHCB at guest physical address 0x%" PRIx64
			"; the VMM does not receive the reason: see the host kernel log\n",
			ev->gpa);
	if (ev->extra)
		fprintf(f, "  note: bits 0x%" PRIx64
			" are set where the request defines none\n", ev->extra);
	if (ev->has_mask)
		print_mask(f, ev->mask);
	else if (ev->has_reason && ev->set == 0 && ev->code == 2)
		fputs("  the MSR protocol cannot carry the mask: look for the guest's own log, or KVM's GHCB page line\n", f);
}

void snpf_json_event(FILE *f, const struct snpf_event *ev, unsigned long long line)
{
	fprintf(f, "{\"line\":%llu,\"source\":\"%s\",\"form\":\"%s\",\"text\":",
		line, snpf_source_name(ev->source), snpf_form_name(ev->form));
	snpf_json_str(f, snpf_source_text(ev->source));
	fputs(",\"reason\":", f);
	if (ev->has_reason) {
		fprintf(f, "{\"set\":%u,\"code\":%u,\"set_name\":", ev->set, ev->code);
		snpf_json_str(f, snpf_set_name(ev->set));
		fputs(",\"code_name\":", f);
		snpf_json_str(f, snpf_code_name(ev->set, ev->code));
		fputc('}', f);
	} else {
		fputs("null", f);
	}
	if (ev->has_gpa)
		fprintf(f, ",\"ghcb_gpa\":\"0x%016" PRIx64 "\"", ev->gpa);
	else
		fputs(",\"ghcb_gpa\":null", f);
	fprintf(f, ",\"extra_bits\":\"0x%016" PRIx64 "\",\"mask\":", ev->extra);
	if (ev->has_mask) {
		fprintf(f, "{\"sev_status\":\"0x%016" PRIx64 "\",\"vmsa\":\"0x%016"
			PRIx64 "\",\"bits\":", ev->mask, ev->mask >> SNPF_VMSA_SHIFT);
		snpf_json_bits(f, ev->mask);
		fputc('}', f);
	} else {
		fputs("null", f);
	}
	fputc('}', f);
}
