# SPDX-License-Identifier: GPL-2.0
"""Mutants for 'make kunit-mutants': small, plausible bugs in the logic
that the KUnit suite must catch. Each replaces one exact piece of text in a
file of the patched tree; a mutant whose text is not found is an error, so
the list cannot silently go stale.

Every mutant changes behaviour; none is equivalent to the original (for
example, dropping '& ~SNP_FEATURES_PRESENT' is not listed: with nothing
implemented it changes nothing).
"""

SEV_H = "arch/x86/include/asm/sev.h"
SVM_H = "arch/x86/include/asm/svm.h"
MSR_H = "arch/x86/include/asm/msr-index.h"
SEV_COMMON_H = "arch/x86/include/asm/sev-common.h"

MUTANTS = [
    dict(name="drop a reserved bit from the required mask",
         file=SEV_H,
         old="\t\t\t\t MSR_AMD64_SNP_RESERVED_BIT15 |\t\t\\\n",
         new=""),
    dict(name="invert the SNP-active gate",
         file=SEV_H,
         old="\tif (!(status & MSR_AMD64_SEV_SNP_ENABLED))\n\t\treturn 0;\n",
         new="\tif (status & MSR_AMD64_SEV_SNP_ENABLED)\n\t\treturn 0;\n"),
    dict(name="gate on SEV-ES instead of SNP",
         file=SEV_H,
         old="\tif (!(status & MSR_AMD64_SEV_SNP_ENABLED))\n",
         new="\tif (!(status & MSR_AMD64_SEV_ES_ENABLED))\n"),
    dict(name="add a feature to the implemented set",
         file=SEV_H,
         old="#define SNP_FEATURES_PRESENT\t0ULL\n",
         new="#define SNP_FEATURES_PRESENT\tMSR_AMD64_SNP_DEBUG_SWAP\n"),
    dict(name="require a host-only feature",
         file=SEV_H,
         old="#define SNP_FEATURES_IMPL_REQ\t(MSR_AMD64_SNP_VTOM |",
         new="#define SNP_FEATURES_IMPL_REQ\t(MSR_AMD64_SNP_VTOM | MSR_AMD64_SNP_BTB_ISOLATION |"),
    dict(name="forget a feature that needs guest support",
         file=SEV_H,
         old="\t\t\t\t MSR_AMD64_SNP_SECURE_AVIC |\t\t\\\n",
         new=""),
    dict(name="leave the top unknown bit out of the reserved mask",
         file=MSR_H,
         old="GENMASK_ULL(63, 24)",
         new="GENMASK_ULL(62, 24)"),
    dict(name="put a feature at the wrong bit",
         file=MSR_H,
         old="#define MSR_AMD64_SNP_VMSA_REG_PROTECTION\tBIT_ULL(16)",
         new="#define MSR_AMD64_SNP_VMSA_REG_PROTECTION\tBIT_ULL(15)"),
    dict(name="swap reason set and code in SW_EXITINFO1",
         file=SVM_H,
         old="GHCB_TERM_REQ_EXIT_INFO1(reason_set, reason_val));",
         new="GHCB_TERM_REQ_EXIT_INFO1(reason_val, reason_set));"),
    dict(name="shift the reason code by 8 instead of 4 in SW_EXITINFO1",
         file=SVM_H,
         old="((((u64)(reason_val)) & 0xff) << 4))",
         new="((((u64)(reason_val)) & 0xff) << 8))"),
    dict(name="drop the mask from SW_EXITINFO2",
         file=SVM_H,
         old="\tghcb_set_sw_exit_info_2(ghcb, reason_data);\n",
         new="\tghcb_set_sw_exit_info_2(ghcb, 0);\n"),
    dict(name="use the wrong exit code",
         file=SVM_H,
         old="\tghcb_set_sw_exit_code(ghcb, SVM_VMGEXIT_TERM_REQUEST);\n",
         new="\tghcb_set_sw_exit_code(ghcb, SVM_VMGEXIT_HV_FEATURES);\n"),
    dict(name="swap reason set and code in the GHCB MSR request",
         file=SEV_COMMON_H,
         old="\t(((((u64)reason_set) &  0xf) << 12) |",
         new="\t(((((u64)reason_set) &  0xf) << 16) |"),
]
