# SPDX-License-Identifier: GPL-2.0
"""gdb script for the EFI stub path of the boot-negotiation test.

SNPNEG_CASE (JSON) gives:
  port     QEMU gdbstub port
  mode     "locate": follow the copies of the kernel image, starting at
           'watch' (the addresses that hold 'sig', a code signature at
           ELF offset 'sig_off', after a boot: up to four), until the copy made by the firmware's image
           loader (page-aligned image); print its runtime base
           "case": stop in sev_get_status() at 'base', make it return
           'status', then watch the stub's wrmsr, rdmsr and VMGEXIT
           instructions ('insns': any GHCB MSR access or VMGEXIT is a
           request to the hypervisor, which this stub must not make) and
           the firmware's Exit() boot service (found through the stub's
           efi_system_table, ELF offset 'system_table'); report the
           status the stub hands back to the firmware, or that it went on
Prints one line "SNPNEG-RESULT <json>".
"""

import gdb

# run.py's run_gdb() puts this directory on gdb's Python path.
from gdb_lib import (GHCB_MSR, case, connect, cont, finish, let_run, read_u64, reg,  # noqa: F401
                     report, result, setreg, write_mem)

def done(outcome, **kw):
    finish(outcome, **kw)


connect()

if case["mode"] == "locate":
    # Where the signature lies after a boot, there may be more than one
    # copy left (the loader's file buffer and the loaded image, say):
    # watch them all, and follow the one the first copy reads from.
    addrs = case["watch"]
    for level in range(6):
        for a in addrs:
            gdb.execute(f"rwatch *(long *){a:#x}", to_string=True)
        cont()
        gdb.execute("delete")
        # A string copy stops with RSI next to the byte it read: past it
        # for a forward copy, before it for a backward one (memmove of an
        # overlapping range). With one address watched, that is the one
        # read. Either way the copy's destination is RDI's side of the
        # same distance.
        rsi = reg("rsi")
        read = addrs if len(addrs) == 1 else [a for a in addrs if abs(rsi - a) <= 64]
        if len(read) != 1:
            done(outcome="not located", rsi=rsi, watched=addrs)
        dest = reg("rdi") - (rsi - read[0])
        base = dest - case["sig_off"]
        if (base - case["pe_text"]) % 0x1000 == 0:
            done(outcome="located", base=base, level=level)
        addrs = [dest]
    done(outcome="not located")

base = case["base"]
stops = {}
for kind, offs in case["insns"].items():
    for o in offs:
        stops[base + o] = kind
entry = base + case["sev_get_status"]
pe_entry = base + case["stub_entry"]
# Every way into the stub (PE entry point, EFI handover) goes through
# efi_stub_entry(handle, ...), a SysV function: the image handle is in RDI
# there. The stub must give that same handle back to Exit(). A temporary
# breakpoint: gdb never has to step over it. QEMU 7.2's single step now and
# then stops without executing the instruction, and gdb, stepping over a
# breakpoint that way, then reports the same breakpoint again (seen in a
# packet trace: the same registers after the step, the next step moved on).
gdb.execute(f"thbreak *{pe_entry:#x}", to_string=True)
gdb.execute(f"hbreak *{entry:#x}", to_string=True)
ghcb_msr = 0
ret = None
for _ in range(10000):
    pc = cont()
    if pc == pe_entry and "image_handle" not in result:
        result["image_handle"] = reg("rdi")
    elif pc == entry and ret is None:
        ret = int.from_bytes(gdb.selected_inferior().read_memory(reg("rsp"), 8).tobytes(),
                             "little")
        gdb.execute("delete")
        gdb.execute(f"hbreak *{ret:#x}", to_string=True)
        result["entered"] = True
    elif pc == ret:
        setreg("rax", case["status"])
        gdb.execute("delete")
        for a in stops:
            gdb.execute(f"break *{a:#x}", to_string=True)
        # EFI_SYSTEM_TABLE.BootServices at 0x60, EFI_BOOT_SERVICES.Exit at 0xd8.
        st = read_u64(base + case["system_table"])
        exit_fn = read_u64(read_u64(st + 0x60) + 0xD8)
        result["exit_service"] = exit_fn
        gdb.execute(f"hbreak *{exit_fn:#x}", to_string=True)
        ret = -1
        if case.get("expect_return"):
            # Nothing should stop the stub now; let it boot.
            result["outcome"] = "returned"
            let_run()
    elif ret == -1 and pc == result.get("exit_service"):
        # The stub gives control back to the firmware: Exit(handle, status).
        result.update(exit_status=reg("rdx"), exit_handle=reg("rcx"))
        result["outcome"] = "efi-exit"
        let_run()
    elif stops.get(pc) == "wrmsr" and reg("rcx") & 0xFFFFFFFF == GHCB_MSR:
        result["ghcb_msr_access"] = True
        ghcb_msr = (reg("rdx") & 0xFFFFFFFF) << 32 | (reg("rax") & 0xFFFFFFFF)
        setreg("rip", pc + 2)
    elif stops.get(pc) == "rdmsr" and reg("rcx") & 0xFFFFFFFF == GHCB_MSR:
        result["ghcb_msr_access"] = True
        setreg("rax", ghcb_msr & 0xFFFFFFFF)
        setreg("rdx", ghcb_msr >> 32)
        setreg("rip", pc + 2)
    elif stops.get(pc) == "vmgexit":
        if ghcb_msr & 0xFFF == 0x100:
            done(outcome="msr-termination", ghcb_msr=ghcb_msr)
        done(outcome="error", detail=f"unexpected VMGEXIT with GHCB MSR {ghcb_msr:#x}")
    else:
        done(outcome="error", detail=f"stopped at {pc:#x}")
done(outcome="error", detail="too many stops")
