#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Boot-negotiation test, kernel-proper site: the check in sme_enable().

pvh.py TABLE BUILD_DIR INITRD LOG_DIR

QEMU (TCG) loads the uncompressed vmlinux of BUILD_DIR (CONFIG_PVH=y)
with -kernel, which enters it through its PVH entry point: the
decompressor never runs, and startup_64 calls sme_enable() identity
mapped. gdb_pvh.py stops there, answers the SEV CPUID leaves, returns
each case's SEV_STATUS from the MSR read, emulates the GHCB MSR protocol
and reports the termination request, or that sme_enable() returned, in
which case the state it set up is undone and the boot must reach
userspace. The cases are the decompressor's (run.py) by SEV_STATUS; no
GHCB page exists this early, so every unsupported case must end in the
MSR form (set 0, code 2). Expected values come from TABLE and the GHCB
specification. Exits 1 on any mismatch.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import run as common  # noqa: E402
from snpneg.report import CaseTable  # noqa: E402

KERNEL_MAP = 0xFFFFFFFF80000000  # __START_KERNEL_map; phys_base is 0 with PVH and nokaslr
FUNCS = ("sme_enable", "snp_abort", "sev_es_terminate")
# Globals that sme_enable() sets from the injected value, restored when it
# returns: these must exist; the optional ones differ between kernels
# (cc_vendor in later 6.1.y, a static 'vendor' before) and are restored
# where the symbol is unique, listed in the output either way.
GLOBALS = ("sev_status", "sme_me_mask", "physical_mask")
OPTIONAL_GLOBALS = ("cc_mask", "cc_vendor", "vendor")


def sized_symbols(vmlinux):
    out = subprocess.run(["nm", "-S", str(vmlinux)], capture_output=True, text=True,
                         check=True).stdout
    syms = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) == 4:
            syms.setdefault(f[3], []).append((int(f[0], 16), int(f[1], 16)))
    return syms


def run_case(vmlinux, initrd, logdir, i, info):
    return common.boot_case(vmlinux, initrd, logdir / f"pvh-case-{i}.serial", "gdb_pvh.py",
                            info, logdir / f"pvh-case-{i}.gdb")


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: pvh.py TABLE BUILD_DIR INITRD LOG_DIR")
    rows = common.load_table(sys.argv[1])
    build, initrd, logdir = Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
    logdir.mkdir(parents=True, exist_ok=True)
    vmlinux = build / "vmlinux"
    syms = sized_symbols(vmlinux)
    # Since 6.16 the startup code (sme_enable() among it) is built apart,
    # its symbols prefixed __pi_ ("position independent").
    for name in FUNCS + GLOBALS + OPTIONAL_GLOBALS:
        if name not in syms and "__pi_" + name in syms:
            syms[name] = syms["__pi_" + name]
    snp_init = None
    for name in ("snp_init", "__pi_snp_init"):
        if len(syms.get(name, [])) == 1:
            snp_init = syms[name][0][0] - KERNEL_MAP
    if "pvh_start_xen" not in syms:
        sys.exit(f"{vmlinux} has no PVH entry (pvh_start_xen): build it with CONFIG_PVH=y")
    if len(syms.get("sme_enable", [])) != 1:
        sys.exit(f"sme_enable() not found (once) in {vmlinux}")
    ranges = [(a, a + n) for f in FUNCS for a, n in syms.get(f, []) if len(syms[f]) == 1]
    insns = common.instructions(vmlinux, ranges)
    phys = {k: [a - KERNEL_MAP for a in v] for k, v in insns.items()}
    # Each global sme_enable() may set, as [physical address, size].
    glob = {}
    for g in GLOBALS + OPTIONAL_GLOBALS:
        if len(syms.get(g, [])) != 1:
            if g in GLOBALS:
                sys.exit(f"symbol {g} not found (once) in {vmlinux}: the test must restore it")
            continue
        a, n = syms[g][0]
        if n not in (1, 2, 4, 8):
            sys.exit(f"symbol {g} has size {n}: the test cannot restore it")
        glob[g] = [a - KERNEL_MAP, n]
    todo, required = common.cases(rows, common.implemented(build))
    seen, cases = set(), []
    for name, status, *_ in todo:
        if status not in seen:  # GHCB variants of a status are one case here
            seen.add(status)
            cases.append((name, status))
    cases = common.selected(cases)
    print(f"  -> kernel proper through PVH: sme_enable at {syms['sme_enable'][0][0] - KERNEL_MAP:#x}; "
          f"{sum(len(v) for v in phys.values())} instructions emulated in "
          f"{', '.join(f for f in FUNCS if f in syms)}; restored: {', '.join(glob)}")
    table = CaseTable("kernel proper (PVH)", logdir / "result.json")
    runs = common.in_parallel(run_case, [
        (vmlinux, initrd, logdir, i, dict(entry=syms["sme_enable"][0][0] - KERNEL_MAP,
                                          snp_init=snp_init,
                                          insns=phys, globals=glob, status=status))
        for i, (name, status) in enumerate(cases, 1)])
    for (name, status), got in zip(cases, runs):
        mask = status & required if status & common.SNP else 0
        problems = []
        if not got.get("entered"):
            problems.append(f"sme_enable() was never reached ({got.get('outcome')})")
        elif not got.get("status_read"):
            problems.append(f"SEV_STATUS was never read ({got.get('outcome')})")
        if mask:
            desc = f"GHCB MSR {common.TERM_MSR:#x}"
            if got.get("outcome") != "msr-termination" or got.get("ghcb_msr") != common.TERM_MSR:
                problems.append(f"got {got.get('outcome')} {got.get('ghcb_msr', got.get('detail'))}")
        else:
            desc = "returns, boots on"
            if got.get("outcome") != "returned" or not got.get("userspace"):
                problems.append(f"got {got.get('outcome')}, userspace {got.get('userspace')}")
        table.row(name, status, desc, problems, got)
    table.exit()


if __name__ == "__main__":
    main()
