/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generated from reason-codes.tbl by scripts/gen-reason-table.py.
 * Do not edit; change the table and regenerate.
 */
#ifndef SNPF_REASONS_H
#define SNPF_REASONS_H

/* reason set 0, SEV_TERM_SET_GEN: GHCB specification, general */
static const char *const snpf_set0_codes[] = {
	"general termination request",	/* 0: GHCB_SEV_ES_GEN_REQ */
	"GHCB protocol version range not supported",	/* 1: GHCB_SEV_ES_PROT_UNSUPPORTED */
	"SEV-SNP features not supported",	/* 2: GHCB_SNP_UNSUPPORTED */
};

/* reason set 1, SEV_TERM_SET_LINUX: Linux guest */
static const char *const snpf_set1_codes[] = {
	"GHCB GPA registration failed",	/* 0: GHCB_TERM_REGISTER */
	"page state change failed",	/* 1: GHCB_TERM_PSC */
	"PVALIDATE failed",	/* 2: GHCB_TERM_PVALIDATE */
	"SNP guest is not running at VMPL0",	/* 3: GHCB_TERM_NOT_VMPL0 */
	"CPUID validation failed",	/* 4: GHCB_TERM_CPUID */
	"CPUID failed during hypervisor fallback",	/* 5: GHCB_TERM_CPUID_HV */
	"secrets page failure",	/* 6: GHCB_TERM_SECRETS_PAGE */
	"no SVSM advertised in the secrets page",	/* 7: GHCB_TERM_NO_SVSM */
	"SVSM present but VMPL is 0",	/* 8: GHCB_TERM_SVSM_VMPL0 */
	"SVSM calling area not page aligned",	/* 9: GHCB_TERM_SVSM_CAA */
	"Secure TSC initialization failed",	/* 10: GHCB_TERM_SECURE_TSC */
	"SVSM calling area could not be remapped",	/* 11: GHCB_TERM_SVSM_CA_REMAP_FAIL */
	"Secure AVIC failure",	/* 12: GHCB_TERM_SAVIC_FAIL */
};

static const struct snpf_reason_set {
	const char *name;
	const char *const *codes;
	unsigned int ncodes;
} snpf_reason_sets[] = {
	{ "GHCB specification, general", snpf_set0_codes,
	  sizeof(snpf_set0_codes) / sizeof(snpf_set0_codes[0]) },
	{ "Linux guest", snpf_set1_codes,
	  sizeof(snpf_set1_codes) / sizeof(snpf_set1_codes[0]) },
};

#endif /* SNPF_REASONS_H */
