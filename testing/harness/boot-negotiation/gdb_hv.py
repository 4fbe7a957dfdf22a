# SPDX-License-Identifier: GPL-2.0
"""gdb script: play the hypervisor for one boot-negotiation case.

Run as  gdb -batch -x gdb_hv.py  with SNPNEG_CASE set to a JSON object:
  port         QEMU gdbstub port
  base         runtime address of the decompressor's _head
  sym          {name: offset} for snp_check_features, sev_status,
               ghcb_version, early_setup_ghcb
  insns        {"wrmsr": [...], "rdmsr": [...], "vmgexit": [...]} offsets
  status       SEV_STATUS value to inject
  ghcb_version GHCB protocol version to inject
  no_ghcb      true: make early_setup_ghcb() fail
  reject       true: reject the GHCB page form of the termination request
               (SW_EXITINFO1 = 1, SW_EXITINFO2 = 0: "not handled") and
               resume the guest, as a hypervisor without it does; the case
               then expects the MSR form next
QEMU's TCG has no SEV, so every GHCB MSR access and VMGEXIT of the
decompressor is emulated here: writes and reads of the GHCB MSR, the GHCB
GPA registration request. The first termination request ends the case (unless reject is set), and so
does a halt instruction reached before one.
Prints one line "SNPNEG-RESULT <json>".
"""

import gdb

# run.py's run_gdb() puts this directory on gdb's Python path.
from gdb_lib import (GHCB_MSR, case, connect, cont, finish, let_run, read_u64, reg,  # noqa: F401
                     report, result, setreg, write_mem)

base = case["base"]
addr = {k: base + v for k, v in case["sym"].items()}
ghcb_msr = 0


connect()

stops = {}
for kind, offs in case["insns"].items():
    for o in offs:
        stops[base + o] = kind
stops[addr["snp_check_features"]] = "check"
if case.get("no_ghcb"):
    stops[addr["early_setup_ghcb"]] = "no_ghcb"
for a in stops:
    gdb.execute(f"hbreak *{a:#x}" if a == addr["snp_check_features"] else f"break *{a:#x}",
                to_string=True)

ret_addr = None
entered = False
for _ in range(10000):
    pc = cont()
    kind = stops.get(pc)
    if pc == ret_addr:
        # The check returned: put the boot back as it was and let it go on.
        write_mem(addr["sev_status"], case["orig_status"], 8)
        write_mem(addr["ghcb_version"], case["orig_ghcb_version"], 2)
        result.update(outcome="returned")
        let_run()
    if kind == "check":
        if entered:
            continue
        entered = True
        write_mem(addr["sev_status"], case["status"], 8)
        write_mem(addr["ghcb_version"], case["ghcb_version"], 2)
        ret_addr = read_u64(reg("rsp"))
        gdb.execute(f"break *{ret_addr:#x}", to_string=True)
        result["entered"] = True
    elif kind == "no_ghcb":
        # Return false from early_setup_ghcb(): no GHCB can be set up.
        ra = read_u64(reg("rsp"))
        setreg("rax", 0)
        setreg("rsp", reg("rsp") + 8)
        setreg("rip", ra)
        result["ghcb_setup_failed"] = True
    elif kind == "wrmsr":
        if reg("rcx") & 0xFFFFFFFF != GHCB_MSR:
            finish("error", detail=f"wrmsr to {reg('rcx'):#x} at {pc - base:#x}")
        ghcb_msr = (reg("rdx") & 0xFFFFFFFF) << 32 | (reg("rax") & 0xFFFFFFFF)
        setreg("rip", pc + 2)
    elif kind == "rdmsr":
        if reg("rcx") & 0xFFFFFFFF != GHCB_MSR:
            finish("error", detail=f"rdmsr of {reg('rcx'):#x} at {pc - base:#x}")
        setreg("rax", ghcb_msr & 0xFFFFFFFF)
        setreg("rdx", ghcb_msr >> 32)
        setreg("rip", pc + 2)
    elif kind == "vmgexit":
        info = ghcb_msr & 0xFFF
        if info == 0x100:
            finish("msr-termination", ghcb_msr=ghcb_msr)
        elif info == 0x012:
            gfn = ghcb_msr >> 12
            result["ghcb_registered_gpa"] = gfn << 12
            ghcb_msr = (gfn << 12) | 0x013
            setreg("rip", pc + 4)
        elif info == 0 and ghcb_msr and "page_request" not in result:
            g = ghcb_msr
            valid = gdb.selected_inferior().read_memory(g + 0x3F0, 16).tobytes()
            page = dict(ghcb_gpa=g,
                   sw_exit_code=read_u64(g + 0x390),
                   sw_exit_info_1=read_u64(g + 0x398),
                   sw_exit_info_2=read_u64(g + 0x3A0),
                   valid_bitmap=int.from_bytes(valid, "little"),
                   protocol_version=int.from_bytes(
                       gdb.selected_inferior().read_memory(g + 0xFFA, 2).tobytes(), "little"),
                   ghcb_usage=int.from_bytes(
                       gdb.selected_inferior().read_memory(g + 0xFFC, 4).tobytes(), "little"))
            if not case.get("reject"):
                finish("ghcb-termination", **page)
            # A hypervisor without the page form: error in SW_EXITINFO1/2,
            # then the guest runs on.
            result["page_request"] = page
            write_mem(g + 0x398, 1, 8)
            write_mem(g + 0x3A0, 0, 8)
            setreg("rip", pc + 4)
        else:
            finish("error", detail=f"unexpected GHCB MSR request {ghcb_msr:#x}")
    elif kind == "hlt":
        finish("halted", detail=f"hlt at {pc - base:#x} before any termination request")
    elif pc not in stops:
        finish("error", detail=f"stopped at {pc:#x}, not at a known point")
finish("error", detail="too many stops")
