/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generated from sev-features.tbl by scripts/gen-module-table.py.
 * Do not edit; change the table and regenerate.
 */
#ifndef SNP_FEATURES_TABLE_H
#define SNP_FEATURES_TABLE_H

enum snpf_need { SNPF_MODE, SNPF_GUEST, SNPF_HOST, SNPF_RESERVED };

struct snpf_bits {
	unsigned int lo, hi;	/* SEV_STATUS bits, inclusive */
	const char *name;	/* APM name */
	const char *short_name;	/* Linux short name, "-" if none */
	enum snpf_need need;
};

static const struct snpf_bits snpf_table[] = {
	{  0,  0, "SEV", "SEV", SNPF_MODE },
	{  1,  1, "SEV-ES", "SEV-ES", SNPF_MODE },
	{  2,  2, "SEV-SNP", "SEV-SNP", SNPF_MODE },
	{  3,  3, "vTOM", "vTom", SNPF_GUEST },
	{  4,  4, "ReflectVC", "ReflectVC", SNPF_GUEST },
	{  5,  5, "RestrictedInjection", "RI", SNPF_GUEST },
	{  6,  6, "AlternateInjection", "AI", SNPF_GUEST },
	{  7,  7, "DebugVirtualization", "DebugSwap", SNPF_GUEST },
	{  8,  8, "PreventHostIBS", "NoHostIBS", SNPF_HOST },
	{  9,  9, "BTBIsolation", "BTBIsol", SNPF_HOST },
	{ 10, 10, "VmplSSS", "VmplSSS", SNPF_GUEST },
	{ 11, 11, "SecureTSC", "SecureTSC", SNPF_GUEST },
	{ 12, 12, "VmgexitParameter", "VMGExitParam", SNPF_GUEST },
	{ 13, 13, "reserved", "-", SNPF_RESERVED },
	{ 14, 14, "IbsVirtualization", "IBSVirt", SNPF_HOST },
	{ 15, 15, "reserved", "-", SNPF_RESERVED },
	{ 16, 16, "VmsaRegProt", "VMSARegProt", SNPF_GUEST },
	{ 17, 17, "SmtProtection", "SMTProt", SNPF_HOST },
	{ 18, 18, "SecureAVIC", "SecureAVIC", SNPF_GUEST },
	{ 19, 22, "reserved", "-", SNPF_RESERVED },
	{ 23, 23, "IbpbOnEntry", "IBPBOnEntry", SNPF_HOST },
	{ 24, 63, "reserved", "-", SNPF_RESERVED },
};

/* What a kernel's feature check means for the running guest. */
#define SNPF_VERDICT_NOT_ACTIVE \
	"SEV-SNP is not active: the kernel's feature check does not apply"
#define SNPF_VERDICT_NOT_ENFORCED \
	"this kernel does not check SEV-SNP features: it runs, but features it lacks may fail later"
#define SNPF_VERDICT_REFUSE \
	"this kernel would refuse to run with these features"
#define SNPF_VERDICT_RUNS \
	"this kernel runs with what is enabled"

#endif /* SNP_FEATURES_TABLE_H */
