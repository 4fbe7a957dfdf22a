# SPDX-License-Identifier: GPL-2.0
"""Mutants for 'make kunit-mutants': small, plausible bugs in the logic
that the KUnit suite must catch. Each replaces one exact piece of text in a
file of the patched tree; a mutant whose text is not found is an error, so
the list cannot silently go stale.

Every mutant changes behaviour; none is equivalent to the original (for
example, dropping '& ~SNP_FEATURES_PRESENT' is not listed: with nothing
implemented it changes nothing).

'kind' says which series a mutant is for: "full" (the whole feature: the
logic is an inline helper in asm/sev.h) or "fixes" (upstream's version
with our fixes: snp_get_unsupported_features() and its masks in the
shared SEV code, whose file name differs by branch). 'file' may list
alternatives, "a|b", and 'old' a tuple of alternatives: the first the
tree has (the same line spelt differently on another branch).
"""

SEV_H = "arch/x86/include/asm/sev.h"
SVM_H = "arch/x86/include/asm/svm.h"
MSR_H = "arch/x86/include/asm/msr-index.h"
SEV_COMMON_H = "arch/x86/include/asm/sev-common.h"

SHARED = "arch/x86/boot/startup/sev-shared.c|arch/x86/coco/sev/shared.c|arch/x86/kernel/sev-shared.c"
UAPI_SVM_H = "arch/x86/include/uapi/asm/svm.h"

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
for m in MUTANTS:
    m["kind"] = "full"

MUTANTS += [dict(m, kind="fixes") for m in [
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
         old="\t((((u64)reason_code) & 0xff) << 4))",
         new="\t((((u64)reason_code) & 0xff) << 8))"),
    dict(name="mask the reason set to 2 bits in SW_EXITINFO1",
         file=UAPI_SVM_H,
         old="\t(((((u64)reason_set) & 0xf)) |",
         new="\t(((((u64)reason_set) & 0x3)) |"),
    dict(name="use the wrong exit code",
         file=UAPI_SVM_H,
         old="#define SVM_VMGEXIT_TERM_REQUEST\t\t0x8000fffe",
         new="#define SVM_VMGEXIT_TERM_REQUEST\t\t0x8000fffd"),
    dict(name="swap reason set and code in the GHCB MSR request",
         file=SEV_COMMON_H,
         old="\t(((((u64)reason_set) &  0xf) << 12) |",
         new="\t(((((u64)reason_set) &  0xf) << 16) |"),
]]
