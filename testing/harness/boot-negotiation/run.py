#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Boot-negotiation test: the real decompressor's check under QEMU + gdb.

run.py TABLE BUILD_DIR INITRD LOG_DIR

BUILD_DIR is a kernel build with the series (bzImage and the
decompressor's arch/x86/boot/compressed/vmlinux). For each case, QEMU
(TCG) boots the bzImage through SeaBIOS, stopped for gdb; gdb_hv.py stops
the decompressor at snp_check_features(), injects a SEV_STATUS value and
the GHCB state of the case, lets the compiled code run and plays the
hypervisor until the guest asks to be terminated or the check returns.
Expected outcomes come from TABLE (sev-features.tbl) and the GHCB
specification, not from the code under test. Prints a table; exits 1 on
any mismatch.
"""

import json
import os
import re
import socket
import concurrent.futures
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "lib"))
from snpneg import console, gdbproxy  # noqa: E402
from snpneg import qemu as qemu_command  # noqa: E402
from snpneg.kunit import implemented_mask, tree_path  # noqa: E402
from snpneg.report import CaseTable  # noqa: E402
from snpneg.table import load_table  # noqa: E402

SNP, SEV, ES = 1 << 2, 1 << 0, 1 << 1
# GHCB specification, "Termination Request": reason set 0, code 2.
TERM_EXIT_CODE = 0x8000FFFE
TERM_EXIT_INFO1 = 0x0 | 0x2 << 4
TERM_MSR = 0x100 | 0x0 << 12 | 0x2 << 16


def symbols(vmlinux):
    out = subprocess.run(["nm", str(vmlinux)], capture_output=True, text=True, check=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = int(parts[0], 16)
    return syms


def instructions(vmlinux, ranges=None):
    """Offsets of the instructions gdb must emulate or watch; with ranges,
    [(start, end), ...], only those inside them."""
    out = ""
    for lo, hi in ranges or [(None, None)]:
        cmd = ["objdump", "-d", str(vmlinux)]
        if lo is not None:
            cmd += [f"--start-address={lo:#x}", f"--stop-address={hi:#x}"]
        out += subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    insns = {"wrmsr": [], "rdmsr": [], "vmgexit": [], "hlt": [], "cpuid": []}
    for line in out.splitlines():
        m = re.match(r"^\s*([0-9a-f]+):\s+(?:[0-9a-f]{2} )+\s*(\S+)(?:\s+(\S+))?", line)
        if not m:
            continue
        off, mnem, arg = int(m.group(1), 16), m.group(2), m.group(3)
        if mnem == "wrmsr":
            insns["wrmsr"].append(off)
        elif mnem == "rdmsr":
            insns["rdmsr"].append(off)
        elif mnem in ("hlt", "cpuid"):
            insns[mnem].append(off)
        elif mnem == "vmgexit" or (mnem in ("rep", "repz") and arg == "vmmcall"):
            insns["vmgexit"].append(off)
    return insns


def runtime_base(bzimage, syms):
    """Where the decompressor runs after relocating itself (no KASLR of it):
    max(aligned load address, LOAD_PHYSICAL_ADDR) + init_size - _end."""
    hdr = Path(bzimage).read_bytes()[:0x300]
    init_size = int.from_bytes(hdr[0x260:0x264], "little")
    pref = int.from_bytes(hdr[0x258:0x260], "little")  # pref_address = LOAD_PHYSICAL_ADDR
    align = int.from_bytes(hdr[0x230:0x234], "little")
    load = (0x100000 + align - 1) & ~(align - 1)
    return max(load, pref) + init_size - syms["_end"]


def implemented(build):
    """What the kernel in BUILD (a kernel build directory, whose 'source'
    names its tree) implements, from its KUnit model."""
    return implemented_mask(Path(build) / "source" / tree_path("snp_features_kunit.c"),
                            Path(build) / ".config")


def cases(rows, implemented=0):
    """The cases, and the mask of the bits the kernel must refuse: those
    the table says need guest support or are reserved, less what the
    kernel implements."""
    need = {}
    for r in rows:
        for b in range(r["lo"], r["hi"] + 1):
            need[b] = (r["need"], r["apm"])
    required = sum(1 << b for b, (g, _) in need.items() if g in ("guest", "reserved"))
    required &= ~implemented
    out = []
    for b, (g, name) in sorted(need.items()):
        if g == "guest":
            out.append((f"bit {b} {name} alone", SEV | ES | SNP | 1 << b, 2, False))
    for b in (13, 15, 19, 22, 24, 40, 63):
        out.append((f"reserved bit {b} alone", SEV | ES | SNP | 1 << b, 2, False))
    out.append(("combination 5+8+11+24", SEV | ES | SNP | 1 << 5 | 1 << 8 | 1 << 11 | 1 << 24,
                2, False))
    for b, (g, name) in sorted(need.items()):
        if g == "host":
            out.append((f"host-only bit {b} {name}", SEV | ES | SNP | 1 << b, 2, False))
    out.append(("SNP, no features", SEV | ES | SNP, 2, False))
    feats = ((1 << 64) - 1) & ~7
    out.append(("SEV only, all feature bits", SEV | feats, 2, False))
    out.append(("SEV-ES, all feature bits", SEV | ES | feats, 2, False))
    out.append(("MSR fallback: GHCB protocol 1", SEV | ES | SNP | 1 << 5, 1, False))
    out.append(("MSR fallback: no GHCB", SEV | ES | SNP | 1 << 11 | 1 << 30, 2, True))
    out = [c + (False,) for c in out]
    # A hypervisor that rejects the GHCB page form and resumes the guest.
    out.append(("page request rejected: MSR next", SEV | ES | SNP | 1 << 7 | 1 << 40, 2, False,
                True))
    return out, required


def expected(status, version, no_ghcb, required, reject=False):
    mask = status & required if status & SNP else 0
    if not mask:
        return {"outcome": "returned"}
    if version < 2 or no_ghcb or reject:
        return {"outcome": "msr-termination", "ghcb_msr": TERM_MSR}
    return {"outcome": "ghcb-termination", "sw_exit_code": TERM_EXIT_CODE,
            "sw_exit_info_1": TERM_EXIT_INFO1, "sw_exit_info_2": mask}


def judge(want, got, status, version, no_ghcb, reject, required):
    """Problems of one case: what the emulated hypervisor recorded (got)
    against what the case expects (want, from expected())."""
    problems = []
    if not got.get("entered") and got.get("outcome") != "no result":
        problems.append("snp_check_features() was never reached")
    for k, v in want.items():
        if got.get(k) != v:
            gv = got.get(k)
            problems.append(f"{k} {gv:#x}" if isinstance(gv, int) else f"{k} {gv}")
    if want["outcome"] == "returned" and not got.get("userspace"):
        problems.append("boot did not reach userspace after the check returned")
    if reject:
        # First the page form (rejected), then the MSR form, same reason.
        page = got.get("page_request") or {}
        for k, v in (("sw_exit_code", TERM_EXIT_CODE), ("sw_exit_info_1", TERM_EXIT_INFO1),
                     ("sw_exit_info_2", status & required)):
            if page.get(k) != v:
                problems.append(f"page request {k} {page.get(k)}")
    if want["outcome"] == "ghcb-termination" or reject:
        # The page the request uses is the one the guest registered.
        gpa = (got.get("page_request") or {}).get("ghcb_gpa") if reject else got.get("ghcb_gpa")
        if gpa is None or got.get("ghcb_registered_gpa") != gpa:
            problems.append(f"GHCB page {gpa} is not the registered one "
                            f"({got.get('ghcb_registered_gpa')})")
    if no_ghcb and not got.get("ghcb_setup_failed"):
        problems.append("the failed GHCB setup was never reached")
    if want["outcome"] == "ghcb-termination":
        if got.get("valid_bitmap", 0) & (7 << (0x390 // 8)) != 7 << (0x390 // 8):
            problems.append("SW_EXITCODE/INFO1/INFO2 not marked valid")
    return problems


def selected(cases):
    """The cases to run: all, or those named in BOOTNEG_CASES
    ("name|name|...")."""
    only = os.environ.get("BOOTNEG_CASES")
    return [c for c in cases if c[0] in only.split("|")] if only else cases


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def reaches_userspace(qemu, serial, limit):
    """Wait until the boot init's marker is on the serial console (or QEMU
    ends, or limit seconds pass); True if it is there."""
    return console.wait_for(serial, console.BOOT_OK, limit,
                            running=lambda: qemu.poll() is None)


def start_qemu(kernel, initrd, serial, *, firmware="bios", gdb_port=None, reboot=False,
               extra=()):
    """QEMU booting KERNEL without KASLR, console in SERIAL; with gdb_port,
    stopped before the first instruction until gdb attaches there."""
    argv = qemu_command.command(kernel, initrd, firmware=firmware, append="nokaslr",
                                serial=str(serial), gdb_port=gdb_port,
                                stopped=gdb_port is not None, reboot=reboot, extra=extra)
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# What gdb says when its remote protocol exchange with QEMU went wrong:
# a reply it gave up on, or one it could not read as the answer.
GDB_PROTOCOL_TROUBLE = re.compile(r"^.*(?:Ignoring packet error|Timed out\.|Remote replied "
                                  r"unexpectedly|Unknown remote qXfer reply|while parsing "
                                  r"target description|Bogus trace status reply).*$", re.M)


def run_gdb(script, case, logfile, timeout=120):
    """Run one of this directory's gdb scripts on CASE (passed as JSON in
    SNPNEG_CASE); its log goes to LOGFILE. Returns the result it printed,
    or {"outcome": "no result"}; {"outcome": "gdb protocol error"} if gdb
    lost track of its exchange with QEMU's stub, whatever it printed.

    SNPNEG_GDB_DELAY=DELAY:PROB (testing/checks/boot-stress) puts a line
    between gdb and the stub that holds back replies (snpneg.gdbproxy)."""
    slow = os.environ.get("SNPNEG_GDB_DELAY")
    if slow:
        case = dict(case, port=gdbproxy.start(case["port"], *gdbproxy.parse(slow)))
    # gdb may wait for any one reply as long as the whole case may take.
    case = dict(case, reply_timeout=timeout,
                trace_remote=os.environ.get("SNPNEG_GDB_TRACE") == "1")
    env = dict(os.environ, SNPNEG_CASE=json.dumps(case))
    argv = ["gdb", "-nx", "-batch", "-ex", f"python import sys; sys.path.insert(0, {str(HERE)!r})",
            "-x", str(HERE / script)]
    timed_out = False
    try:
        g = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout)
        text = g.stdout + g.stderr
    except subprocess.TimeoutExpired as e:
        out = e.stdout or ""
        text = (out.decode(errors="replace") if isinstance(out, bytes) else out)
        text += f"\n(gdb timed out after {timeout} s)"
        timed_out = True
    Path(logfile).write_text(text)
    trouble = GDB_PROTOCOL_TROUBLE.search(text)
    if trouble:
        return {"outcome": "gdb protocol error", "detail": trouble.group(0).strip()}
    if timed_out:
        return {"outcome": "gdb timed out", "detail": f"after {timeout} s"}
    m = re.search(r"^SNPNEG-RESULT (.*)$", text, re.M)
    return json.loads(m.group(1)) if m else {"outcome": "no result"}


def boot_case(kernel, initrd, serial, script, case, logfile):
    """Boot KERNEL stopped for gdb, play the hypervisor with SCRIPT on CASE;
    when the check returned, wait for the boot to reach userspace."""
    port = free_port()
    qemu = start_qemu(kernel, initrd, serial, gdb_port=port)
    try:
        got = run_gdb(script, dict(case, port=port), logfile)
        if got.get("outcome") == "returned":
            # The boot must go on to userspace after the state was restored.
            got["userspace"] = reaches_userspace(qemu, serial, 120)
    finally:
        qemu.kill()
        qemu.wait()
    return got


def in_parallel(fn, args):
    """fn(*a) for each a of ARGS, as many at once as there are build jobs
    (JOBS, else the CPUs): every case has its own QEMU, gdb, port and
    files. Yields the results in the order of ARGS, each as soon as it
    and those before it are done."""
    workers = int(os.environ.get("JOBS") or os.cpu_count() or 1)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, workers)) as ex:
        yield from ex.map(lambda a: fn(*a), args)


def run_case(bzimage, initrd, logdir, i, info):
    return boot_case(bzimage, initrd, logdir / f"case-{i}.serial", "gdb_hv.py", info,
                     logdir / f"case-{i}.gdb")


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: run.py TABLE BUILD_DIR INITRD LOG_DIR")
    rows = load_table(sys.argv[1])
    build, initrd, logdir = Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
    logdir.mkdir(parents=True, exist_ok=True)
    vmlinux = build / "arch/x86/boot/compressed/vmlinux"
    bzimage = build / "arch/x86/boot/bzImage"
    syms = symbols(vmlinux)
    for s in ("snp_check_features", "sev_status", "ghcb_version", "early_setup_ghcb", "_end"):
        if s not in syms:
            sys.exit(f"symbol {s} not found in {vmlinux}: renamed or inlined? "
                     "The test needs it to stop the decompressor.")
    base = runtime_base(bzimage, syms)
    insns = instructions(vmlinux)
    del insns["cpuid"]  # the CPU answers CPUID in the decompressor
    common = dict(base=base, insns=insns,
                  sym={k: syms[k] for k in ("snp_check_features", "sev_status", "ghcb_version",
                                            "early_setup_ghcb")},
                  orig_status=0, orig_ghcb_version=0)
    todo, required = cases(rows, implemented(build))
    todo = selected(todo)
    print(f"  -> decompressor at {base:#x}; {len(insns['wrmsr'])} wrmsr, "
          f"{len(insns['rdmsr'])} rdmsr, {len(insns['vmgexit'])} VMGEXIT emulated; "
          f"required mask (the table's, less what the kernel implements) {required:#018x}")
    table = CaseTable("boot negotiation (decompressor)", logdir / "result.json")
    runs = in_parallel(run_case, [
        (bzimage, initrd, logdir, i, dict(common, status=status, ghcb_version=version,
                                          no_ghcb=no_ghcb, reject=reject))
        for i, (name, status, version, no_ghcb, reject) in enumerate(todo, 1)])
    for (name, status, version, no_ghcb, reject), got in zip(todo, runs):
        want = expected(status, version, no_ghcb, required, reject)
        problems = judge(want, got, status, version, no_ghcb, reject, required)
        if want["outcome"] == "ghcb-termination":
            desc = f"GHCB page, INFO2 {want['sw_exit_info_2']:#x}"
        elif reject:
            desc = f"page rejected, then MSR {TERM_MSR:#x}"
        elif want["outcome"] == "msr-termination":
            desc = f"GHCB MSR {TERM_MSR:#x}"
        else:
            desc = "returns, boots on"
        table.row(name, status, desc, problems, got)
    table.exit()


if __name__ == "__main__":
    main()
