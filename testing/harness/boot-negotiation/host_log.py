#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The host's view of a boot-negotiation case: the line KVM logs.

host_log.py RESULT_JSON CASE

RESULT_JSON is what a site's harness wrote (snpneg.report.CaseTable);
CASE the name of one of its cases, which must have passed and ended in a
termination request. Prints the line a Linux host's kvm_amd logs for that
request, made from what the emulated hypervisor received: for the GHCB
page form, SW_EXITINFO1 as the reason and SW_EXITINFO2 (the mask) as the
info; for the MSR form, reason set and code. KVM formats them with
"%#llx", which in the kernel's vsprintf prefixes every value with "0x",
zero too ("0x0:0x2").
"""

import json
import sys

GHCB_MSR_TERM_REQ = 0x100


def kvm_line(got):
    if got.get("outcome") == "ghcb-termination":
        return ("kvm_amd: SEV-ES guest requested termination: reason "
                f"{got['sw_exit_info_1']:#x} info {got['sw_exit_info_2']:#x}")
    if got.get("outcome") == "msr-termination" and got["ghcb_msr"] & 0xFFF == GHCB_MSR_TERM_REQ:
        msr = got["ghcb_msr"]
        return ("kvm_amd: SEV-ES guest requested termination: "
                f"{msr >> 12 & 0xF:#x}:{msr >> 16 & 0xFF:#x}")
    return None


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: host_log.py RESULT_JSON CASE")
    with open(sys.argv[1]) as f:
        cases = {c["name"]: c for c in json.load(f)["cases"]}
    case = cases.get(sys.argv[2])
    if case is None:
        sys.exit(f"host_log.py: no case {sys.argv[2]!r} in {sys.argv[1]}")
    if case["problems"]:
        sys.exit(f"host_log.py: case {sys.argv[2]!r} failed: {'; '.join(case['problems'])}")
    line = kvm_line(case["got"])
    if not line:
        sys.exit(f"host_log.py: case {sys.argv[2]!r} ended without a termination request "
                 f"({case['got'].get('outcome')})")
    print(line)


if __name__ == "__main__":
    main()
