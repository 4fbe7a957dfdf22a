# SPDX-License-Identifier: GPL-2.0
"""Negative controls of testing/checks/boot-negotiation, as data.

Each breaks the patched tree at one place (file: 'old', which must occur
exactly once, becomes 'new'; snpneg.breaks applies them); with that
kernel, 'harness' runs 'case' alone, and the case must fail with
'failure' first: a regular expression that must match the start of the
case's first problem in the harness's result.json. That is the failure
the break causes, not any failure (a case that never reaches its check
fails too, and proves nothing about the break). 'site': "efi" for a
control that only trees whose EFI stub checks have. 'file' may list
alternatives, "a|b": the first the tree has (a file moved between
branches).

UPSTREAM lists the cases that upstream's version as shipped must fail,
which a fixes-only series mends: for such a series boot-negotiation
builds the tree with the series' changes to the boot code taken out
again (its KUnit suite stays) and runs each case, which must fail with
'failure' first; the patched tree passes the same case.

All of them share one build: a case reaches no site after the one that
stops it (EFI stub, decompressor, kernel proper, in boot order), and the
fallback's case, which meets the swapped request too (its rejected page
request is the swapped one), reports the halt before anything about
that request: a halt instead of the MSR request is the only break that
makes "outcome halted" its first problem.
"""

CONTROLS = [
    dict(name="EFI stub: returns EFI_LOAD_ERROR instead of EFI_UNSUPPORTED",
         file="drivers/firmware/efi/libstub/x86-stub.c",
         old="efi_exit(handle, EFI_UNSUPPORTED);",
         new="efi_exit(handle, EFI_LOAD_ERROR);",
         harness="efi.py", case="bit 5 RestrictedInjection alone",
         failure=r"got efi-exit .*status 0x8000000000000001$", site="efi"),
    dict(name="decompressor: GHCB request with reason set and code swapped",
         file="arch/x86/boot/compressed/sev.c",
         old="u64 exit_info_1 = SVM_VMGEXIT_TERM_REASON(set, reason);",
         new="u64 exit_info_1 = SVM_VMGEXIT_TERM_REASON(reason, set);",
         harness="run.py", case="bit 5 RestrictedInjection alone",
         failure=r"sw_exit_info_1 0x2$"),
    dict(name="kernel proper: the check in sme_enable() never fires",
         file="arch/x86/mm/mem_encrypt_identity.c|arch/x86/boot/startup/sme.c",
         old="if (snp_get_unsupported_features(",
         new="if (0 && snp_get_unsupported_features(",
         harness="pvh.py", case="bit 5 RestrictedInjection alone",
         failure=r"got returned"),
    dict(name="fallback: halt instead of the MSR request after a rejected page request",
         file="arch/x86/boot/compressed/sev.c",
         old="\tsev_es_terminate(set, reason);",
         new="\twhile (true) asm volatile(\"hlt\");",
         harness="run.py", case="page request rejected: MSR next",
         failure=r"outcome halted"),
]

UPSTREAM = [
    dict(name="upstream: halts after a rejected page request, no MSR request",
         harness="run.py", case="page request rejected: MSR next",
         failure=r"outcome halted"),
    dict(name="upstream: a direct entry of the kernel proper with an unsupported feature runs on",
         harness="pvh.py", case="bit 5 RestrictedInjection alone",
         failure=r"got returned"),
]
