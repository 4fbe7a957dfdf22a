# SPDX-License-Identifier: GPL-2.0
"""What the gdb scripts of the boot-negotiation test share (they run
inside gdb's Python: gdb_hv.py, gdb_pvh.py, gdb_efi.py).

Each script reads its case from SNPNEG_CASE (JSON), plays the hypervisor
and ends by printing one line "SNPNEG-RESULT <json>" (report()).
"""

import json
import os

import gdb

GHCB_MSR = 0xC0010130
case = json.loads(os.environ["SNPNEG_CASE"])
result = {"outcome": "none"}


def reg(name):
    return int(gdb.parse_and_eval("$" + name)) & 0xFFFFFFFFFFFFFFFF


def setreg(name, value):
    gdb.execute(f"set ${name} = {value:#x}")


def read_u64(a):
    return int.from_bytes(gdb.selected_inferior().read_memory(a, 8).tobytes(), "little")


def write_mem(a, value, size):
    gdb.selected_inferior().write_memory(a, value.to_bytes(size, "little"))


def report():
    print("SNPNEG-RESULT " + json.dumps(result), flush=True)


def finish(outcome, **kw):
    """Report the outcome and end the guest and the script."""
    result.update(outcome=outcome, **kw)
    report()
    try:
        gdb.execute("kill")
    except gdb.error:
        pass
    raise SystemExit(0)


def let_run():
    """Report, then let the guest run on without gdb and end the script."""
    report()
    gdb.execute("delete")
    gdb.execute("detach")
    raise SystemExit(0)


def cont():
    """Let the guest run to the next stop and return its RIP; if the guest
    ends instead, report that and end the script."""
    try:
        # A traced case's packets must reach the log, not the string.
        gdb.execute("continue", to_string=not case.get("trace_remote"))
        return reg("rip")
    except gdb.error as e:
        result.update(outcome="guest ended", detail=str(e))
        report()
        raise SystemExit(0)


def connect():
    # gdb waits remotetimeout seconds (2 by default) for each reply of the
    # QEMU gdb stub; past that it gives up on the request or sends it
    # again, and a reply that comes late is read as the answer to a later
    # request, so on a loaded machine one slow reply shifts the ones after
    # it (a register read answered with an earlier stop's registers, say).
    # Wait as long as the harness lets the case run instead (run_gdb()
    # passes that time): a stub that never answers ends with the case.
    gdb.execute(f"set remotetimeout {case['reply_timeout']}")
    if case.get("trace_remote"):
        # Every packet to and from QEMU's stub, in the case's gdb log.
        gdb.execute("set debug remote 1")
    gdb.execute("set pagination off")
    gdb.execute("set confirm off")
    gdb.execute("set architecture i386:x86-64")
    gdb.execute(f"target remote :{case['port']}")
