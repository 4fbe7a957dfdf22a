/* SPDX-License-Identifier: GPL-2.0 */
/*
 * snp-features: decoding of SEV_STATUS values and of the termination
 * requests SEV-ES/SNP guests send to their hypervisor.
 */
#ifndef SNPF_H
#define SNPF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct snpf_event;

enum snpf_source {
	SRC_NONE,
	SRC_KVM_TERM_GHCB,	/* "...requested termination: reason X info Y" */
	SRC_KVM_TERM_MSR,	/* "...requested termination: SET:CODE" */
	SRC_TRACE_VMGEXIT,	/* kvm_vmgexit_enter, exit_reason 8000fffe */
	SRC_TRACE_MSR,		/* kvm_vmgexit_msr_protocol_enter, 0x100 */
	SRC_GHCB_MSR,		/* "GHCB MSR 0x..." */
	SRC_SYSTEM_EVENT,	/* "SystemEvent(6, [data])" */
	SRC_QEMU_TRACE,		/* kvm_run_exit_system_event ... type 6 */
	SRC_QEMU_UNKNOWN_EXIT,	/* "KVM: unknown exit reason 24" */
	SRC_EFI_STUB,		/* "Unsupported SEV-SNP features detected: " */
	SRC_LIBKRUN,		/* "Received an unexpected System Event: 6" */
	SRC_COUNT
};

/*
 * One recognised source: its JSON name, its description, an 8-byte piece
 * that every line of its formats holds (explain parses only the lines that
 * hold a piece) and its parser.
 */
struct snpf_source_def {
	const char *name;
	const char *text;
	const char *piece;
	int (*parse)(const char *s, size_t len, struct snpf_event *ev);
};

#define SNPF_PIECE	8

extern const struct snpf_source_def snpf_sources[SRC_COUNT];

enum snpf_form { FORM_NONE, FORM_GHCB_PAGE, FORM_MSR };

struct snpf_event {
	enum snpf_source source;
	enum snpf_form form;
	int has_reason;
	unsigned int set, code;
	int has_mask;
	uint64_t mask;		/* SEV_STATUS layout */
	int has_gpa;
	uint64_t gpa;		/* GHCB guest physical address */
	uint64_t extra;		/* bits set where the request has none */
};

#define SNPF_VMSA_SHIFT	2

int snpf_parse_line(const char *s, size_t len, struct snpf_event *ev);
int snpf_parse_line_piece(const char *s, size_t len, const char *piece,
			  struct snpf_event *ev);
int snpf_parse_u64(const char *s, uint64_t *val);
int snpf_number_ambiguous(const char *s);
const char *snpf_source_name(enum snpf_source src);
const char *snpf_source_text(enum snpf_source src);
const char *snpf_form_name(enum snpf_form form);
const char *snpf_set_name(unsigned int set);
const char *snpf_code_name(unsigned int set, unsigned int code);
const char *snpf_need_name(unsigned int bit);
const char *snpf_apm_name(unsigned int bit);
const char *snpf_short_name(unsigned int bit);
uint64_t snpf_guest_required(void);
int snpf_kernel_line(uint64_t status, char *buf, size_t size);

/* output.c: one writer for text and JSON */
void out_stream(FILE *f);
void out_init(int json);
int out_json(void);
void out_begin(const char *key);
void out_end(void);
void out_array(const char *key);
void out_array_end(void);
void out_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void out_str(const char *key, const char *text, const char *v);
void out_hex(const char *key, const char *text, uint64_t v);
void out_uint(const char *key, const char *text, unsigned long long v);
void out_bool(const char *key, const char *text, int v);
void out_null(const char *key);
void out_bits(const char *key, uint64_t status, const char *indent);
void snpf_out_event(const struct snpf_event *ev, unsigned long long line);
void snpf_json_str(FILE *f, const char *s);

#endif /* SNPF_H */
