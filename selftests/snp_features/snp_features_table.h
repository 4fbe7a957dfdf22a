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

/*
 * Guest kernels by release (kernel-versions.tbl): version codes as
 * KERNEL_VERSION() makes them, inclusive; whether the kernel checks
 * SEV-SNP features and lets IbpbOnEntry through; the SEV_STATUS bits it
 * implements, and those it implements only when built with 'config'.
 */
#ifdef __KERNEL__
#define SNPF_IS_ENABLED(option)	IS_ENABLED(option)
#else
#define SNPF_IS_ENABLED(option)	0	/* not known outside the kernel */
#endif

enum snpf_who { SNPF_UPSTREAM, SNPF_SERIES };

struct snpf_kernel {
	enum snpf_who who;
	unsigned int first, last;
	int check, ibpb;
	unsigned long long implements;
	unsigned long long config_implements;
	const char *config;	/* NULL when none */
	int config_on;		/* built with it (always 0 outside the kernel) */
};

/* not every includer uses it */
static const struct snpf_kernel snpf_kernels[] __attribute__((unused)) = {
	{ SNPF_UPSTREAM, 0x051300, 0x0600ff,	/* 5.19.0 to 6.0.255 */
	  0, 0, 0x0ULL, 0x0ULL, NULL, 0 },
	{ SNPF_UPSTREAM, 0x060100, 0x060108,	/* 6.1.0 to 6.1.8 */
	  0, 0, 0x0ULL, 0x0ULL, NULL, 0 },
	{ SNPF_UPSTREAM, 0x060109, 0x0601a6,	/* 6.1.9 to 6.1.166 */
	  1, 0, 0x0ULL, 0x0ULL, NULL, 0 },
	{ SNPF_UPSTREAM, 0x0601a7, 0x0601ff,	/* 6.1.167 to 6.1.255 */
	  1, 1, 0x0ULL, 0x0ULL, NULL, 0 },
	{ SNPF_UPSTREAM, 0x060200, 0x0605ff,	/* 6.2.0 to 6.5.255 */
	  1, 0, 0x0ULL, 0x0ULL, NULL, 0 },
	{ SNPF_UPSTREAM, 0x060600, 0x060681,	/* 6.6.0 to 6.6.129 */
	  1, 0, 0x80ULL, 0x0ULL, NULL, 0 },
	{ SNPF_UPSTREAM, 0x060682, 0x0606ff,	/* 6.6.130 to 6.6.255 */
	  1, 1, 0x80ULL, 0x0ULL, NULL, 0 },
	{ SNPF_UPSTREAM, 0x060700, 0x060c4d,	/* 6.7.0 to 6.12.77 */
	  1, 0, 0x80ULL, 0x0ULL, NULL, 0 },
	{ SNPF_UPSTREAM, 0x060c4e, 0x060cff,	/* 6.12.78 to 6.12.255 */
	  1, 1, 0x80ULL, 0x0ULL, NULL, 0 },
	{ SNPF_UPSTREAM, 0x060d00, 0x060dff,	/* 6.13.0 to 6.13.255 */
	  1, 0, 0x80ULL, 0x0ULL, NULL, 0 },
	{ SNPF_UPSTREAM, 0x060e00, 0x0611ff,	/* 6.14.0 to 6.17.255 */
	  1, 0, 0x880ULL, 0x0ULL, NULL, 0 },
	{ SNPF_UPSTREAM, 0x061200, 0x061306,	/* 6.18.0 to 6.19.6 */
	  1, 0, 0x880ULL, 0x40000ULL, "CONFIG_AMD_SECURE_AVIC", SNPF_IS_ENABLED(CONFIG_AMD_SECURE_AVIC) },
	{ SNPF_UPSTREAM, 0x061307, 0x0613ff,	/* 6.19.7 to 6.19.255 */
	  1, 1, 0x880ULL, 0x40000ULL, "CONFIG_AMD_SECURE_AVIC", SNPF_IS_ENABLED(CONFIG_AMD_SECURE_AVIC) },
	{ SNPF_SERIES, 0x051300, 0x060108,	/* 5.19.0 to 6.1.8 */
	  1, 1, 0x0ULL, 0x0ULL, NULL, 0 },
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
