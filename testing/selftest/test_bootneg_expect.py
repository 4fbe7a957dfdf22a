# SPDX-License-Identifier: GPL-2.0
"""Fixture test of what the boot-negotiation harness expects.

The expected values are written out here from the GHCB specification
(termination request: SW_EXITCODE 0x8000fffe, reason set in bits 3:0 and
code in bits 11:4 of SW_EXITINFO1; MSR form 0x100 | set << 12 | code << 16)
and the APM's bit numbers, not computed the way run.py computes them.
Run: python3 test_bootneg_expect.py [HARNESS_DIR] (exit 1 on any mismatch);
HARNESS_DIR defaults to testing/harness/boot-negotiation.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
HARNESS = sys.argv[1] if len(sys.argv) > 1 else str(HERE.parent / "harness/boot-negotiation")
sys.path[:0] = [str(HERE.parent / "lib"), HARNESS]
import run  # noqa: E402
from snpneg.table import load_table  # noqa: E402

SNP_ON = 0x7          # SEV, SEV-ES and SNP active
GHCB = dict(outcome="ghcb-termination", sw_exit_code=0x8000FFFE, sw_exit_info_1=0x20)
MSR = dict(outcome="msr-termination", ghcb_msr=0x20100)
BACK = dict(outcome="returned")

CASES = [
    # name, SEV_STATUS, GHCB protocol version, GHCB unusable, expected
    # [, hypervisor rejects the GHCB page form]
    ("RestrictedInjection (bit 5), GHCB v2", SNP_ON | 0x20, 2, False,
     dict(GHCB, sw_exit_info_2=0x20)),
    ("SecureTSC (bit 11) and reserved bit 40", SNP_ON | 0x800 | 1 << 40, 2, False,
     dict(GHCB, sw_exit_info_2=0x800 | 1 << 40)),
    ("host-only PreventHostIBS (bit 8) is dropped from the mask", SNP_ON | 0x100 | 0x80, 2,
     False, dict(GHCB, sw_exit_info_2=0x80)),
    ("GHCB protocol 1 takes the MSR form", SNP_ON | 0x20, 1, False, MSR),
    ("no usable GHCB takes the MSR form", SNP_ON | 0x20, 2, True, MSR),
    ("host-only bits alone: boots on", SNP_ON | 0x100 | 0x200 | 1 << 23, 2, False, BACK),
    ("SEV-ES without SNP: nothing to check", 0x3 | 0x20, 2, False, BACK),
    ("SNP, no features", SNP_ON, 2, False, BACK),
    ("page form rejected: the MSR form follows", SNP_ON | 0x80, 2, False, MSR, True),
    ("page form rejected, nothing unsupported: boots on", SNP_ON | 0x100, 2, False, BACK,
     True),
]


def main():
    rows = load_table(HERE.parents[1] / "sev-features.tbl")
    todo, required = run.cases(rows)
    fails = 0
    want_required = 0x3F << 3 & ~(1 << 8)   # bits 3-7 guest features
    want_required |= 1 << 10 | 1 << 11 | 1 << 12 | 1 << 13 | 1 << 15 | 1 << 16 | 1 << 18
    want_required |= 0xF << 19 | ((1 << 64) - 1) & ~((1 << 24) - 1)
    if required != want_required:
        print(f"FAIL required mask {required:#x}, want {want_required:#x}")
        fails += 1
    names = {c[0] for c in todo}
    for b, n in ((3, "vTOM"), (7, "DebugVirtualization"), (16, "VmsaRegProt"), (18, "SecureAVIC")):
        if f"bit {b} {n} alone" not in names:
            print(f"FAIL no case for bit {b} {n}")
            fails += 1
    if not any(len(c) > 4 and c[4] for c in todo):
        print("FAIL no case where the hypervisor rejects the GHCB page form")
        fails += 1
    for name, status, version, no_ghcb, want, *reject in CASES:
        got = run.expected(status, version, no_ghcb, required, *reject)
        ok = all(got.get(k) == v for k, v in want.items()) and got["outcome"] == want["outcome"]
        print(f"{'ok  ' if ok else 'FAIL'} {name}" + ("" if ok else f": got {got}"))
        fails += not ok
    fails += judge_cases(required)
    sys.exit(1 if fails else 0)


def judge_cases(required):
    """run.judge() on results shaped like gdb_hv.py's: a correct one passes,
    each broken one fails on what is wrong. Returns the number of failures."""
    status = SNP_ON | 0x20
    want = run.expected(status, 2, False, required)
    page = dict(GHCB, sw_exit_info_2=0x20, entered=True, ghcb_gpa=0x2687000,
                ghcb_registered_gpa=0x2687000, protocol_version=2,
                valid_bitmap=7 << (0x390 // 8))
    checks = [
        ("judge: a correct page request passes", want, page, False, None),
        ("judge: a request on an unregistered page fails", want,
         dict(page, ghcb_registered_gpa=0x2688000), False, "is not the registered one"),
        ("judge: a request without any registration fails", want,
         {k: v for k, v in page.items() if k != "ghcb_registered_gpa"}, False,
         "is not the registered one"),
        ("judge: a no-GHCB case that never reached the failed setup fails",
         run.expected(status, 2, True, required), dict(MSR, entered=True), True,
         "failed GHCB setup was never reached"),
        ("judge: a no-GHCB case that reached it passes",
         run.expected(status, 2, True, required),
         dict(MSR, entered=True, ghcb_setup_failed=True), True, None),
    ]
    fails = 0
    for name, w, got, no_ghcb, expect in checks:
        problems = run.judge(w, got, status, 2, no_ghcb, False, required)
        ok = not problems if expect is None else any(expect in p for p in problems)
        print(f"{'ok  ' if ok else 'FAIL'} {name}" + ("" if ok else f": {problems}"))
        fails += not ok
    return fails


if __name__ == "__main__":
    main()
