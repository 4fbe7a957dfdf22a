# SPDX-License-Identifier: GPL-2.0
"""gdb script: play the hypervisor for one kernel-proper case (PVH entry).

Run as  gdb -batch -x gdb_pvh.py  with SNPNEG_CASE set to a JSON object:
  port     QEMU gdbstub port
  entry    physical address of sme_enable() (the kernel runs identity
           mapped there)
  insns    {"wrmsr": [...], "rdmsr": [...], "vmgexit": [...], "hlt": [...],
           "cpuid": [...]} physical addresses inside the code that runs
           from sme_enable() until the termination request
  globals  {name: [physical address, size]} of the variables sme_enable() sets
           (restored to their values at entry when it returns)
  status   SEV_STATUS value that the rdmsr of MSR 0xc0010131 returns
  snp_init physical address of snp_init(), or null
TCG has no SEV: gdb answers the CPUID leaves 0x80000000 and 0x8000001f
like an SNP-capable CPU (C-bit 51), the SEV_STATUS read with the case's
value, and emulates the GHCB MSR and VMGEXIT. An SNP guest's VMM passes a
Confidential Computing blob, which sme_enable() looks for with
snp_init() and, since 6.16, requires exactly when SEV_STATUS has SNP: gdb
answers snp_init() as a guest with such a blob would (true when the
case's status has SNP) instead of letting it search the boot data. Prints one line
"SNPNEG-RESULT <json>".
"""

import gdb

# run.py's run_gdb() puts this directory on gdb's Python path.
from gdb_lib import (GHCB_MSR, case, connect, cont, finish, let_run, read_u64, reg,  # noqa: F401
                     report, result, setreg, write_mem)

SEV_STATUS_MSR, SYSCFG_MSR = 0xC0010131, 0xC0010010


connect()

stops = {a: kind for kind, addrs in case["insns"].items() for a in addrs}
entry = case["entry"]
gdb.execute(f"hbreak *{entry:#x}", to_string=True)
ret_addr = None
saved = {}
ghcb_msr = 0
for _ in range(10000):
    pc = cont()
    kind = stops.get(pc)
    if pc == entry and ret_addr is None:
        result["entered"] = True
        ret_addr = read_u64(reg("rsp"))
        saved = {n: gdb.selected_inferior().read_memory(a, size).tobytes()
                 for n, (a, size) in case["globals"].items()}
        gdb.execute("delete")
        for a in stops:
            gdb.execute(f"break *{a:#x}", to_string=True)
        gdb.execute(f"break *{ret_addr:#x}", to_string=True)
        if case.get("snp_init"):
            gdb.execute(f"break *{case['snp_init']:#x}", to_string=True)
    elif case.get("snp_init") and pc == case["snp_init"]:
        # Return from snp_init(): a CC blob exactly when SNP is on.
        sp = reg("rsp")
        setreg("rax", 1 if case["status"] & 4 else 0)
        setreg("rip", read_u64(sp))
        setreg("rsp", sp + 8)
    elif pc == ret_addr:
        # sme_enable() returned: undo what the injected SEV status made it
        # set up (encryption mask, physical mask) and let the boot go on.
        for n, (a, _) in case["globals"].items():
            gdb.selected_inferior().write_memory(a, saved[n])
        result.update(outcome="returned", status_read=result.get("status_read", False))
        let_run()
    elif kind == "cpuid":
        leaf = reg("rax") & 0xFFFFFFFF
        if leaf == 0x80000000:
            setreg("rax", 0x8000001F)
        elif leaf == 0x8000001F:
            # SME, SEV, SEV-ES, SNP; C-bit 51, one physical address bit lost.
            setreg("rax", 0x1 | 0x2 | 0x8 | 0x10)
            setreg("rbx", 51 | 1 << 6)
            setreg("rcx", 0)
            setreg("rdx", 0)
        else:
            continue  # let the CPU answer other leaves
        setreg("rip", pc + 2)
    elif kind == "rdmsr":
        msr = reg("rcx") & 0xFFFFFFFF
        if msr == SEV_STATUS_MSR:
            value = case["status"]
            result["status_read"] = True
        elif msr == GHCB_MSR:
            value = ghcb_msr
        elif msr == SYSCFG_MSR:
            value = 0
        else:
            finish("error", detail=f"rdmsr of {msr:#x} at {pc:#x}")
        setreg("rax", value & 0xFFFFFFFF)
        setreg("rdx", value >> 32)
        setreg("rip", pc + 2)
    elif kind == "wrmsr":
        if reg("rcx") & 0xFFFFFFFF != GHCB_MSR:
            finish("error", detail=f"wrmsr to {reg('rcx'):#x} at {pc:#x}")
        ghcb_msr = (reg("rdx") & 0xFFFFFFFF) << 32 | (reg("rax") & 0xFFFFFFFF)
        setreg("rip", pc + 2)
    elif kind == "vmgexit":
        if ghcb_msr & 0xFFF == 0x100:
            finish("msr-termination", ghcb_msr=ghcb_msr)
        finish("error", detail=f"unexpected VMGEXIT with GHCB MSR {ghcb_msr:#x}")
    elif kind == "hlt":
        finish("halted", detail=f"hlt at {pc:#x} before any termination request")
    else:
        finish("error", detail=f"stopped at {pc:#x}, not at a known point")
finish("error", detail="too many stops")
