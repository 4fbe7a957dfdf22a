# SPDX-License-Identifier: GPL-2.0
"""Mutants for 'make kunit-mutants': small, plausible bugs in the logic
that the KUnit suite must catch. Each replaces one exact piece of text in a
file of the patched tree; a mutant whose text is not found is an error, so
the list cannot silently go stale.

Every mutant changes behaviour; none is equivalent to the original (for
example, dropping '& ~SNP_FEATURES_PRESENT' is not listed: with nothing
implemented it changes nothing).

Every series keeps the logic in upstream's shape:
snp_get_unsupported_features() and its masks in the shared SEV code, whose
file name differs by branch.
'file' may list alternatives, "a|b", and 'old' a tuple of alternatives:
the first the tree has (the same line spelt differently on another
branch: upstream's spelling, or that of the full backports' patch 1).
"""

MSR_H = "arch/x86/include/asm/msr-index.h"
SEV_COMMON_H = "arch/x86/include/asm/sev-common.h"

SHARED = "arch/x86/boot/startup/sev-shared.c|arch/x86/coco/sev/shared.c|arch/x86/kernel/sev-shared.c"
UAPI_SVM_H = "arch/x86/include/uapi/asm/svm.h"

MUTANTS = [
    dict(name="drop a reserved bit from the required mask",
         file=SHARED,
         old="\t\t\t\t MSR_AMD64_SNP_RESERVED_BIT15 |\t\t\\\n",
         new=""),
    dict(name="invert the SNP-active gate",
         file=SHARED,
         old="\tif (!(status & MSR_AMD64_SEV_SNP_ENABLED))\n\t\treturn 0;\n",
         new="\tif (status & MSR_AMD64_SEV_SNP_ENABLED)\n\t\treturn 0;\n"),
    dict(name="gate on SEV-ES instead of SNP",
         file=SHARED,
         old="\tif (!(status & MSR_AMD64_SEV_SNP_ENABLED))\n",
         new="\tif (!(status & MSR_AMD64_SEV_ES_ENABLED))\n"),
    dict(name="count a feature as implemented that is not",
         file=SHARED,
         old="return status & SNP_FEATURES_IMPL_REQ & ~SNP_FEATURES_PRESENT;",
         new="return status & SNP_FEATURES_IMPL_REQ & ~(SNP_FEATURES_PRESENT | MSR_AMD64_SNP_VTOM);"),
    dict(name="require a host-only feature",
         file=SHARED,
         old="#define SNP_FEATURES_IMPL_REQ\t(MSR_AMD64_SNP_VTOM |",
         new="#define SNP_FEATURES_IMPL_REQ\t(MSR_AMD64_SNP_VTOM | MSR_AMD64_SNP_BTB_ISOLATION |"),
    dict(name="forget a feature that needs guest support",
         file=SHARED,
         old="\t\t\t\t MSR_AMD64_SNP_VMGEXIT_PARAM |\t\t\\\n",
         new=""),
    dict(name="leave the top unknown bit out of the reserved mask",
         file=MSR_H,
         old=("GENMASK_ULL(63, MSR_AMD64_SNP_RESV_BIT)", "GENMASK_ULL(63, 24)"),
         new=("GENMASK_ULL(62, MSR_AMD64_SNP_RESV_BIT)", "GENMASK_ULL(62, 24)")),
    dict(name="put a feature at the wrong bit",
         file=MSR_H,
         old=("#define MSR_AMD64_SNP_VMSA_REG_PROT_BIT\t16",
              "#define MSR_AMD64_SNP_VMSA_REG_PROTECTION\tBIT_ULL(16)"),
         new=("#define MSR_AMD64_SNP_VMSA_REG_PROT_BIT\t15",
              "#define MSR_AMD64_SNP_VMSA_REG_PROTECTION\tBIT_ULL(15)")),
    dict(name="shift the reason code by 8 instead of 4 in SW_EXITINFO1",
         file=UAPI_SVM_H,
         old=("\t((((u64)reason_code) & 0xff) << 4))", "(((u64)(reason_code) & 0xff) << 4)"),
         new=("\t((((u64)reason_code) & 0xff) << 8))", "(((u64)(reason_code) & 0xff) << 8)")),
    dict(name="mask the reason set to 2 bits in SW_EXITINFO1",
         file=UAPI_SVM_H,
         old=("\t(((((u64)reason_set) & 0xf)) |", "(((u64)(reason_set) & 0xf) |"),
         new=("\t(((((u64)reason_set) & 0x3)) |", "(((u64)(reason_set) & 0x3) |")),
    dict(name="use the wrong exit code",
         file=UAPI_SVM_H,
         old="#define SVM_VMGEXIT_TERM_REQUEST\t\t0x8000fffe",
         new="#define SVM_VMGEXIT_TERM_REQUEST\t\t0x8000fffd"),
    dict(name="swap reason set and code in the GHCB MSR request",
         file=SEV_COMMON_H,
         old="\t(((((u64)reason_set) &  0xf) << 12) |",
         new="\t(((((u64)reason_set) &  0xf) << 16) |"),
]
