// SPDX-License-Identifier: GPL-2.0
/*
 * snp_features: show the SEV-SNP features a guest runs with, and what the
 * running kernel requires and implements, in debugfs:
 *
 *   /sys/kernel/debug/x86/snp_features/
 *	status		raw SEV_STATUS MSR, 0 when SEV is not active
 *	features	one line per SEV_STATUS bit
 *	enabled		features enabled by the hypervisor (bits 3-63)
 *	required	features that need guest support in this kernel
 *	implemented	features this kernel implements
 *	unsupported	enabled & required & ~implemented, when SNP is active
 *	source		where required/implemented come from
 *	summary		"SEV: Status: ..." as the kernel logs it since 6.9
 *	json		all of the above in one JSON object, in the schema of
 *			`snp-features status --json`
 *
 * Every file is read-only (0400), so that debugfs still serves them when
 * the kernel is locked down (lockdown=integrity refuses only files that
 * can be written, or that have ioctl or mmap). Decoding arbitrary values
 * is done by the snp-features tool in user space.
 *
 * Builds against every kernel from 5.19 on; see
 * Documentation/ABI/debugfs-x86-snp-features in the project.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/version.h>
#include <asm/msr.h>
#include <asm/msr-index.h>
#include <asm/processor.h>
#include <asm/sev.h>
#include <asm/svm.h>

#include "snp_features_table.h"

/* Equal to PACKAGE_VERSION in dkms.conf (the packages check compares them). */
#define SNPF_VERSION		"1.2"

#define SNPF_SEV_ACTIVE		BIT_ULL(0)
#define SNPF_SNP_ACTIVE		BIT_ULL(2)
#define SNPF_MODE_BITS		GENMASK_ULL(2, 0)
#define SNPF_FEATURE_BITS	GENMASK_ULL(63, 3)
/* SEV_STATUS bit n is bit n - 2 of the VMSA's SEV_FEATURES. */
#define SNPF_VMSA_SHIFT		2

/*
 * Buffer sizes that hold the whole output, so that seq_file renders each
 * file in one pass instead of retrying with a bigger buffer: the features
 * table is 66 lines of at most 80 bytes, the JSON object at most 64 bit
 * entries of at most 128 bytes plus a head of less than 1 KiB.
 */
#define SNPF_FEATURES_SIZE	(66 * 80)
#define SNPF_JSON_SIZE		(64 * 128 + 1024)

static struct dentry *snpf_dir;
static u64 snpf_status;

static bool snpf_enforced;
static u64 snpf_required;
static u64 snpf_implemented;
static char snpf_source[160];

/*
 * Overrides for kernels whose version says less than the truth, e.g. a
 * vendor kernel that backports the check or a feature. Load-time only.
 */
struct snpf_override {
	bool set;
	u64 mask;
};

static struct snpf_override snpf_impl_override;
static struct snpf_override snpf_req_override;

static const struct snpf_bits *snpf_bit(unsigned int bit)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(snpf_table); i++)
		if (bit >= snpf_table[i].lo && bit <= snpf_table[i].hi)
			return &snpf_table[i];
	return NULL;
}

/* Mask of the bits the table gives the kind need. */
static u64 snpf_bits_of(enum snpf_need need)
{
	u64 mask = 0;
	unsigned int bit;

	for (bit = 0; bit < 64; bit++)
		if (snpf_bit(bit)->need == need)
			mask |= BIT_ULL(bit);
	return mask;
}

static int snpf_override_set(const char *val, const struct kernel_param *kp)
{
	struct snpf_override *o = kp->arg;
	u64 mask;

	if (kstrtou64(val, 0, &mask)) {
		pr_err("%s=%s: not a number (want a 64-bit mask such as 0x80)\n",
		       kp->name, val);
		return -EINVAL;
	}
	if (mask & SNPF_MODE_BITS) {
		pr_err("%s=%s: bits 0-2 are the SEV mode bits, not features\n",
		       kp->name, val);
		return -EINVAL;
	}
	o->mask = mask;
	o->set = true;
	return 0;
}

static int snpf_override_get(char *buf, const struct kernel_param *kp)
{
	const struct snpf_override *o = kp->arg;

	if (!o->set)
		return sprintf(buf, "unset\n");
	return sprintf(buf, "0x%016llx\n", o->mask);
}

static const struct kernel_param_ops snpf_override_ops = {
	.set = snpf_override_set,
	.get = snpf_override_get,
};

module_param_cb(implemented_override, &snpf_override_ops, &snpf_impl_override, 0444);
MODULE_PARM_DESC(implemented_override,
		 "Mask of SEV_STATUS features the running kernel implements, instead of what its headers or version say");
module_param_cb(required_override, &snpf_override_ops, &snpf_req_override, 0444);
MODULE_PARM_DESC(required_override,
		 "Mask of SEV_STATUS features the running kernel requires guest support for, instead of what its headers or version say");

/*
 * What the running kernel requires and implements, from the table of
 * kernels by release (kernel-versions.tbl, generated into
 * snp_features_table.h): the row of the running version. Upstream's
 * check (6.1.9 and later) and every backport of it add the GHCB page form
 * of the termination request to the uapi svm.h, so a kernel before 6.1.9
 * that defines SVM_VMGEXIT_TERM_REQUEST carries a backport (the project's
 * full series: its row). A kernel whose headers name IbpbOnEntry lets it
 * through, whatever its version says (a vendor's backport of
 * 9073428bb204). A kernel without CONFIG_AMD_MEM_ENCRYPT has no SEV guest
 * support and checks nothing.
 */
static const struct snpf_kernel *snpf_kernel_row(enum snpf_who who)
{
	const struct snpf_kernel *newest = NULL;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(snpf_kernels); i++) {
		if (snpf_kernels[i].who != who)
			continue;
		if (LINUX_VERSION_CODE >= snpf_kernels[i].first &&
		    LINUX_VERSION_CODE <= snpf_kernels[i].last)
			return &snpf_kernels[i];
		newest = &snpf_kernels[i];
	}
	/* newer than the table: the newest row it has */
	return LINUX_VERSION_CODE > snpf_kernels[0].first ? newest : NULL;
}

static const char *snpf_init_policy(void)
{
	const struct snpf_kernel *k = snpf_kernel_row(SNPF_UPSTREAM);
	const char *source = "upstream version table (approximate for stable kernels)";
	bool ibpb;

	if (!IS_ENABLED(CONFIG_AMD_MEM_ENCRYPT)) {
		snpf_enforced = false;
		return "none: kernel built without CONFIG_AMD_MEM_ENCRYPT";
	}
#ifdef SVM_VMGEXIT_TERM_REQUEST
	if (k && !k->check) {
		k = snpf_kernel_row(SNPF_SERIES);
		source = "upstream version table, for a backport of upstream's check";
	}
#endif
	if (k && LINUX_VERSION_CODE > k->last)
		source = "upstream version table, newest row (this kernel is newer than the table)";
	if (!k || !k->check) {
		snpf_enforced = false;
		return "none: this kernel does not check SEV-SNP features";
	}
	snpf_enforced = true;
	/* Bits a kernel does not name count as required (fail closed). */
	snpf_required = SNPF_FEATURE_BITS & ~snpf_bits_of(SNPF_HOST);
	ibpb = k->ibpb;
#ifdef MSR_AMD64_SNP_IBPB_ON_ENTRY
	ibpb = true;
#endif
	if (!ibpb)
		snpf_required |= BIT_ULL(23);
	snpf_implemented = k->implements;
	if (k->config_on)
		snpf_implemented |= k->config_implements;
	return source;
}

/* Apply and validate the module parameters; 0 or -EINVAL. */
static int snpf_apply_overrides(const char *base)
{
	if (!snpf_impl_override.set && !snpf_req_override.set) {
		strscpy(snpf_source, base, sizeof(snpf_source));
		return 0;
	}
	if (!IS_ENABLED(CONFIG_AMD_MEM_ENCRYPT)) {
		pr_err("implemented_override/required_override: this kernel has no SEV guest support (CONFIG_AMD_MEM_ENCRYPT=n)\n");
		return -EINVAL;
	}
	if (!snpf_enforced) {
		/* A backport of the check itself: start from the fail-closed set. */
		snpf_required = SNPF_FEATURE_BITS & ~snpf_bits_of(SNPF_HOST);
		snpf_implemented = 0;
		snpf_enforced = true;
	}
	if (snpf_req_override.set)
		snpf_required = snpf_req_override.mask;
	if (snpf_impl_override.set)
		snpf_implemented = snpf_impl_override.mask;
	if (snpf_implemented & snpf_bits_of(SNPF_HOST)) {
		pr_err("implemented_override=0x%llx: bits 0x%llx need no guest support and cannot be implemented\n",
		       snpf_implemented, snpf_implemented & snpf_bits_of(SNPF_HOST));
		return -EINVAL;
	}
	if (snpf_implemented & ~snpf_required) {
		pr_err("implemented 0x%llx is not a subset of required 0x%llx (extra bits 0x%llx)\n",
		       snpf_implemented, snpf_required, snpf_implemented & ~snpf_required);
		return -EINVAL;
	}
	snprintf(snpf_source, sizeof(snpf_source),
		 "module parameters (%s%s%s), instead of: %s",
		 snpf_impl_override.set ? "implemented_override" : "",
		 snpf_impl_override.set && snpf_req_override.set ? ", " : "",
		 snpf_req_override.set ? "required_override" : "", base);
	return 0;
}

static u64 snpf_unsupported(u64 status)
{
	if (!snpf_enforced || !(status & SNPF_SNP_ACTIVE))
		return 0;
	return status & snpf_required & ~snpf_implemented;
}

/* SEV_STATUS, or 0 where reading it could fault or means nothing. */
static u64 snpf_read_sev_status(void)
{
	u32 lo, hi;

	if (boot_cpu_data.x86_vendor != X86_VENDOR_AMD &&
	    boot_cpu_data.x86_vendor != X86_VENDOR_HYGON)
		return 0;
	if (boot_cpu_data.extended_cpuid_level < 0x8000001f)
		return 0;
	if (!(cpuid_eax(0x8000001f) & BIT(1)))
		return 0;
	/* rdmsr_safe() with two halves exists in every kernel from 5.19 on. */
	if (rdmsr_safe(MSR_AMD64_SEV, &lo, &hi))
		return 0;
	return (u64)hi << 32 | lo;
}

static const char *snpf_yes_no(bool v)
{
	return v ? "yes" : "no";
}

/* Column texts for one bit: required and implemented. */
static void snpf_columns(unsigned int bit, const char **need, const char **impl)
{
	const struct snpf_bits *b = snpf_bit(bit);

	if (b->need == SNPF_MODE) {
		*need = "-";
		*impl = "-";
		return;
	}
	*need = snpf_enforced ? snpf_yes_no(snpf_required & BIT_ULL(bit)) : "not-enforced";
	*impl = b->need == SNPF_HOST ? "-" : snpf_yes_no(snpf_implemented & BIT_ULL(bit));
}

static int snpf_features_show(struct seq_file *m, void *v)
{
	unsigned int bit;

	seq_printf(m, "%-4s %-20s %-12s %-8s %-11s %s\n", "bit", "name", "short",
		   "enabled", "required", "implemented");
	for (bit = 0; bit < 64; bit++) {
		const struct snpf_bits *b = snpf_bit(bit);
		const char *need, *impl;

		snpf_columns(bit, &need, &impl);
		seq_printf(m, "%-4u %-20s %-12s %-8s %-11s %s\n", bit, b->name,
			   b->short_name, snpf_yes_no(snpf_status & BIT_ULL(bit)),
			   need, impl);
	}
	seq_printf(m, "unsupported: 0x%016llx\n", snpf_unsupported(snpf_status));
	return 0;
}

static int snpf_features_open(struct inode *inode, struct file *file)
{
	return single_open_size(file, snpf_features_show, inode->i_private,
				SNPF_FEATURES_SIZE);
}

static int snpf_status_show(struct seq_file *m, void *v)
{
	seq_printf(m, "0x%016llx\n", snpf_status);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(snpf_status);

static int snpf_enabled_show(struct seq_file *m, void *v)
{
	seq_printf(m, "0x%016llx\n", snpf_status & SNPF_FEATURE_BITS);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(snpf_enabled);

static int snpf_mask_show(struct seq_file *m, u64 mask)
{
	if (snpf_enforced)
		seq_printf(m, "0x%016llx\n", mask);
	else
		seq_puts(m, "not enforced\n");
	return 0;
}

static int snpf_required_show(struct seq_file *m, void *v)
{
	return snpf_mask_show(m, snpf_required);
}
DEFINE_SHOW_ATTRIBUTE(snpf_required);

static int snpf_implemented_show(struct seq_file *m, void *v)
{
	return snpf_mask_show(m, snpf_implemented);
}
DEFINE_SHOW_ATTRIBUTE(snpf_implemented);

static int snpf_unsupported_show(struct seq_file *m, void *v)
{
	return snpf_mask_show(m, snpf_unsupported(snpf_status));
}
DEFINE_SHOW_ATTRIBUTE(snpf_unsupported);

static int snpf_source_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", snpf_source);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(snpf_source);

/*
 * The line the kernel logs at boot since 6.9, exactly: "SEV: Status: "
 * and the short name of each enabled bit that has one, each followed by
 * a blank ("SEV: Status: SEV SEV-ES SEV-SNP DebugSwap ").
 */
static void snpf_kernel_line(struct seq_file *m)
{
	unsigned int bit;

	seq_puts(m, "SEV: Status: ");
	for (bit = 0; bit < 64; bit++) {
		const struct snpf_bits *b = snpf_bit(bit);

		if ((snpf_status & BIT_ULL(bit)) && strcmp(b->short_name, "-"))
			seq_printf(m, "%s ", b->short_name);
	}
}

static int snpf_summary_show(struct seq_file *m, void *v)
{
	snpf_kernel_line(m);
	seq_putc(m, '\n');
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(snpf_summary);

/* The "need" values of the schema, by the table's kind of bit. */
static const char * const snpf_need_names[] = {
	[SNPF_MODE] = "mode",
	[SNPF_GUEST] = "guest",
	[SNPF_HOST] = "host",
	[SNPF_RESERVED] = "reserved",
};

/* A mask as the schema's mask_state: "0x%016llx" or "not enforced". */
static void snpf_json_mask(struct seq_file *m, const char *key, u64 mask)
{
	if (snpf_enforced)
		seq_printf(m, ", \"%s\": \"0x%016llx\"", key, mask);
	else
		seq_printf(m, ", \"%s\": \"not enforced\"", key);
}

/*
 * The verdict in the words of `snp-features status`, which computes it
 * from these files: whether this kernel runs with what is enabled.
 */
static const char *snpf_verdict(bool *would_run)
{
	u64 unsupported = snpf_unsupported(snpf_status);

	*would_run = !unsupported;
	if (!(snpf_status & SNPF_SNP_ACTIVE))
		return SNPF_VERDICT_NOT_ACTIVE;
	if (!snpf_enforced)
		return SNPF_VERDICT_NOT_ENFORCED;
	return unsupported ? SNPF_VERDICT_REFUSE : SNPF_VERDICT_RUNS;
}

/*
 * One object of the "status" kind of the snp-features tool's schema
 * (tools/snp-features/snp-features.schema.json), "source": "debugfs",
 * with the values of the other files (a mask that is not enforced reads
 * "not enforced") and "kernel_policy", the text of the source file. No
 * string printed here needs escaping: names and policy texts are plain
 * ASCII without quotes or backslashes.
 */
static int snpf_json_show(struct seq_file *m, void *v)
{
	const char *sep = "";
	unsigned int bit;
	const char *verdict;
	bool would_run;

	seq_puts(m, "{\"schema_version\": 1, \"command\": \"status\", \"source\": \"debugfs\",\n");
	seq_printf(m, " \"sev_status\": \"0x%016llx\", \"vmsa\": \"0x%016llx\",\n",
		   snpf_status, snpf_status >> SNPF_VMSA_SHIFT);
	seq_puts(m, " \"kernel_line\": \"");
	snpf_kernel_line(m);
	seq_printf(m, "\",\n \"enabled\": \"0x%016llx\"", snpf_status & SNPF_FEATURE_BITS);
	snpf_json_mask(m, "required", snpf_required);
	snpf_json_mask(m, "implemented", snpf_implemented);
	snpf_json_mask(m, "unsupported", snpf_unsupported(snpf_status));
	verdict = snpf_verdict(&would_run);
	seq_printf(m, ",\n \"would_run\": %s, \"verdict\": \"%s\",\n",
		   would_run ? "true" : "false", verdict);
	seq_printf(m, " \"kernel_policy\": \"%s\",\n \"bits\": [", snpf_source);
	for (bit = 0; bit < 64; bit++) {
		const struct snpf_bits *b = snpf_bit(bit);

		if (!(snpf_status & BIT_ULL(bit)))
			continue;
		seq_printf(m, "%s\n  {\"sev_status_bit\": %u, \"vmsa_bit\": ", sep, bit);
		if (bit >= SNPF_VMSA_SHIFT)
			seq_printf(m, "%u", bit - SNPF_VMSA_SHIFT);
		else
			seq_puts(m, "null");
		seq_printf(m, ", \"apm_name\": \"%s\", \"short_name\": ", b->name);
		if (strcmp(b->short_name, "-"))
			seq_printf(m, "\"%s\"", b->short_name);
		else
			seq_puts(m, "null");
		seq_printf(m, ", \"need\": \"%s\"}", snpf_need_names[b->need]);
		sep = ",";
	}
	seq_puts(m, "]}\n");
	return 0;
}

static int snpf_json_open(struct inode *inode, struct file *file)
{
	return single_open_size(file, snpf_json_show, inode->i_private,
				SNPF_JSON_SIZE);
}

static const struct file_operations snpf_features_fops = {
	.owner		= THIS_MODULE,
	.open		= snpf_features_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= single_release,
};

static const struct file_operations snpf_json_fops = {
	.owner		= THIS_MODULE,
	.open		= snpf_json_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= single_release,
};

static const struct {
	const char *name;
	const struct file_operations *fops;
} snpf_files[] = {
	{ "status",		&snpf_status_fops },
	{ "features",		&snpf_features_fops },
	{ "enabled",		&snpf_enabled_fops },
	{ "required",		&snpf_required_fops },
	{ "implemented",	&snpf_implemented_fops },
	{ "unsupported",	&snpf_unsupported_fops },
	{ "source",		&snpf_source_fops },
	{ "summary",		&snpf_summary_fops },
	{ "json",		&snpf_json_fops },
};

static int __init snpf_init(void)
{
	unsigned int bit, i;
	int ret;

	for (bit = 0; bit < 64; bit++)
		if (!snpf_bit(bit))
			return -EINVAL;

	ret = snpf_apply_overrides(snpf_init_policy());
	if (ret)
		return ret;
	snpf_status = snpf_read_sev_status();
	if (!(snpf_status & SNPF_SEV_ACTIVE))
		snpf_status = 0;

	snpf_dir = debugfs_create_dir("snp_features", arch_debugfs_dir);
	if (IS_ERR_OR_NULL(snpf_dir))
		return snpf_dir ? PTR_ERR(snpf_dir) : -ENODEV;

	/* Read-only for root: readable under lockdown=integrity too. */
	for (i = 0; i < ARRAY_SIZE(snpf_files); i++)
		debugfs_create_file(snpf_files[i].name, 0400, snpf_dir, NULL,
				    snpf_files[i].fops);

	pr_info("SEV_STATUS 0x%016llx, unsupported 0x%016llx (%s)\n", snpf_status,
		snpf_unsupported(snpf_status), snpf_source);
	return 0;
}

static void __exit snpf_exit(void)
{
	debugfs_remove_recursive(snpf_dir);
}

module_init(snpf_init);
module_exit(snpf_exit);

MODULE_DESCRIPTION("Show negotiated SEV-SNP guest features in debugfs");
MODULE_VERSION(SNPF_VERSION);
MODULE_LICENSE("GPL");
