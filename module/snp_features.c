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
 *	decode		write a SEV_STATUS value or a mask, read its decoding
 *
 * See Documentation/ABI/debugfs-x86-snp-features in the project.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <asm/msr.h>
#include <asm/msr-index.h>
#include <asm/processor.h>
#include <asm/sev.h>

#include "snp_features_table.h"

#define SNPF_SNP_ACTIVE		BIT_ULL(2)
#define SNPF_FEATURE_BITS	GENMASK_ULL(63, 3)
#define SNPF_DECODE_MAX_INPUT	32

static struct dentry *snpf_dir;
static u64 snpf_status;
static u64 snpf_decode_value;
static DEFINE_MUTEX(snpf_decode_lock);

static bool snpf_enforced;
static u64 snpf_required;
static u64 snpf_implemented;
static const char *snpf_source;

static const struct snpf_bits *snpf_bit(unsigned int bit)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(snpf_table); i++)
		if (bit >= snpf_table[i].lo && bit <= snpf_table[i].hi)
			return &snpf_table[i];
	return NULL;
}

/*
 * What the running kernel requires and implements. A kernel built with the
 * SEV-SNP feature negotiation series says so in its headers; for other
 * kernels, use what upstream kernels of the same version do.
 */
static void snpf_init_policy(void)
{
#if defined(SNP_FEATURES_IMPL_REQ) && defined(SNP_FEATURES_PRESENT)
	snpf_enforced = true;
	snpf_required = SNP_FEATURES_IMPL_REQ;
	snpf_implemented = SNP_FEATURES_PRESENT;
	snpf_source = "kernel headers (SNP_FEATURES_IMPL_REQ, SNP_FEATURES_PRESENT)";
#else
	u64 host_only = BIT_ULL(8) | BIT_ULL(9) | BIT_ULL(14) | BIT_ULL(17);

	if (LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 9)) {
		snpf_enforced = false;
		snpf_source = "none: this kernel does not check SEV-SNP features";
		return;
	}
	snpf_enforced = true;
	/* Bits a kernel does not name count as unsupported (fail closed). */
#ifdef MSR_AMD64_SNP_IBPB_ON_ENTRY
	host_only |= BIT_ULL(23);
#endif
	snpf_required = SNPF_FEATURE_BITS & ~host_only;
	if (LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0))
		snpf_implemented |= BIT_ULL(7);		/* DebugSwap */
	if (LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0))
		snpf_implemented |= BIT_ULL(11);	/* SecureTSC */
	if (LINUX_VERSION_CODE >= KERNEL_VERSION(6, 18, 0) &&
	    IS_ENABLED(CONFIG_AMD_SECURE_AVIC))
		snpf_implemented |= BIT_ULL(18);	/* SecureAVIC */
	snpf_source = "upstream version table (approximate for stable kernels)";
#endif
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
	u64 val;

	if (boot_cpu_data.x86_vendor != X86_VENDOR_AMD &&
	    boot_cpu_data.x86_vendor != X86_VENDOR_HYGON)
		return 0;
	if (boot_cpu_data.extended_cpuid_level < 0x8000001f)
		return 0;
	if (!(cpuid_eax(0x8000001f) & BIT(1)))
		return 0;
	if (rdmsrl_safe(MSR_AMD64_SEV, &val))
		return 0;
	return val;
}

static const char *snpf_yes_no(bool v)
{
	return v ? "yes" : "no";
}

static void snpf_show_features(struct seq_file *m, u64 status)
{
	unsigned int bit;

	seq_printf(m, "%-4s %-20s %-12s %-8s %-11s %s\n", "bit", "name", "short",
		   "enabled", "needs-guest", "implemented");
	for (bit = 0; bit < 64; bit++) {
		const struct snpf_bits *b = snpf_bit(bit);
		bool enabled = status & BIT_ULL(bit);
		const char *need, *impl;

		if (b->need == SNPF_MODE) {
			need = "-";
			impl = "-";
		} else {
			need = snpf_enforced ? snpf_yes_no(snpf_required & BIT_ULL(bit)) :
					       "not-enforced";
			impl = snpf_yes_no(snpf_implemented & BIT_ULL(bit));
		}
		seq_printf(m, "%-4u %-20s %-12s %-8s %-11s %s\n", bit, b->name,
			   b->short_name, snpf_yes_no(enabled), need, impl);
	}
	seq_printf(m, "unsupported: 0x%016llx\n", snpf_unsupported(status));
}

static int snpf_status_show(struct seq_file *m, void *v)
{
	seq_printf(m, "0x%016llx\n", snpf_status);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(snpf_status);

static int snpf_features_show(struct seq_file *m, void *v)
{
	snpf_show_features(m, snpf_status);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(snpf_features);

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

static int snpf_decode_show(struct seq_file *m, void *v)
{
	u64 value;

	mutex_lock(&snpf_decode_lock);
	value = snpf_decode_value;
	mutex_unlock(&snpf_decode_lock);
	seq_printf(m, "value: 0x%016llx\n", value);
	snpf_show_features(m, value);
	return 0;
}

static int snpf_decode_open(struct inode *inode, struct file *file)
{
	return single_open(file, snpf_decode_show, inode->i_private);
}

/*
 * Accept one hexadecimal number, with or without 0x, optionally followed
 * by a newline. Anything else is -EINVAL and leaves the value unchanged.
 */
static ssize_t snpf_decode_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	char buf[SNPF_DECODE_MAX_INPUT + 1];
	u64 value;
	int ret;

	if (count == 0 || count > SNPF_DECODE_MAX_INPUT)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (buf[count - 1] == '\n')
		buf[count - 1] = '\0';
	if (!buf[0] || !strcmp(buf, "0x") || !strcmp(buf, "0X"))
		return -EINVAL;
	ret = kstrtou64(buf, 16, &value);
	if (ret)
		return -EINVAL;

	mutex_lock(&snpf_decode_lock);
	snpf_decode_value = value;
	mutex_unlock(&snpf_decode_lock);
	return count;
}

static const struct file_operations snpf_decode_fops = {
	.owner		= THIS_MODULE,
	.open		= snpf_decode_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= single_release,
	.write		= snpf_decode_write,
};

static int __init snpf_init(void)
{
	unsigned int bit;

	for (bit = 0; bit < 64; bit++)
		if (!snpf_bit(bit))
			return -EINVAL;

	snpf_init_policy();
	snpf_status = snpf_read_sev_status();
	if (!(snpf_status & BIT_ULL(0)))
		snpf_status = 0;

	snpf_dir = debugfs_create_dir("snp_features", arch_debugfs_dir);
	if (IS_ERR_OR_NULL(snpf_dir))
		return snpf_dir ? PTR_ERR(snpf_dir) : -ENODEV;

	debugfs_create_file("status", 0400, snpf_dir, NULL, &snpf_status_fops);
	debugfs_create_file("features", 0400, snpf_dir, NULL, &snpf_features_fops);
	debugfs_create_file("enabled", 0400, snpf_dir, NULL, &snpf_enabled_fops);
	debugfs_create_file("required", 0400, snpf_dir, NULL, &snpf_required_fops);
	debugfs_create_file("implemented", 0400, snpf_dir, NULL, &snpf_implemented_fops);
	debugfs_create_file("unsupported", 0400, snpf_dir, NULL, &snpf_unsupported_fops);
	debugfs_create_file("source", 0400, snpf_dir, NULL, &snpf_source_fops);
	debugfs_create_file("decode", 0600, snpf_dir, NULL, &snpf_decode_fops);

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
MODULE_LICENSE("GPL");
