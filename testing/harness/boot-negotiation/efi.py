#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Boot-negotiation test, EFI stub path (trees whose stub decompresses the
kernel itself, such as the default tree).

efi.py TABLE BUILD_DIR INITRD LOG_DIR

QEMU boots the bzImage through OVMF. The firmware chooses where the stub
runs, so the test first finds it: a probe boot dumps guest memory at the
end (paused instead of rebooting) to find a copy of the image, and gdb
read watchpoints follow the firmware's copies of it to the image its
loader placed (page-aligned). Each case then stops in sev_get_status()
and makes it return the case's SEV_STATUS. Like the kernels that ship
this check, the stub must then print the mask on the firmware console
("Unsupported SEV-SNP features detected: 0x...") and return
EFI_UNSUPPORTED to the firmware through its Exit() boot service, without
any request to the hypervisor (no GHCB MSR access, no VMGEXIT); after
that the firmware must go on to its next boot option (its console says
so) and the kernel must never start. Without unsupported features the
boot must go on to userspace.
"""

import hashlib
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import run as common  # noqa: E402
from snpneg import console  # noqa: E402
from snpneg.report import CaseTable  # noqa: E402

SNP, SEV, ES = 1 << 2, 1 << 0, 1 << 1
EFI_UNSUPPORTED = 1 << 63 | 3
# After the stub returned, the firmware's boot manager goes on to its
# next boot option and says so on the console (OVMF: "BdsDxe: failed to
# load Boot0001 ...", "BdsDxe: loading Boot0002 ..."); seconds to wait.
FIRMWARE_WAIT = 60
STUB_MESSAGE = re.compile(r"Unsupported SEV-SNP features detected: 0x([0-9a-f]+)")
FIRMWARE_ON = re.compile(r"BdsDxe: [^\n]*Boot[0-9A-F]{4}")
NEVER_REACHED = "the stub's check was never reached"


def firmware_goes_on(qemu, serial, limit):
    """Wait until the console shows the firmware's boot manager at work
    after the stub's message (or QEMU ends, or LIMIT seconds pass); True
    if it does."""
    def seen(text):
        m = STUB_MESSAGE.search(text)
        return bool(m and FIRMWARE_ON.search(text, m.end()))
    return console.wait_for(serial, seen, limit, running=lambda: qemu.poll() is None,
                            poll=0.25)


def pe_text_va(bzimage):
    d = Path(bzimage).read_bytes()
    pe = int.from_bytes(d[0x3C:0x40], "little")
    nsec = int.from_bytes(d[pe + 6:pe + 8], "little")
    opt = int.from_bytes(d[pe + 20:pe + 22], "little")
    so = pe + 24 + opt
    for i in range(nsec):
        if d[so + i * 40:so + i * 40 + 8].rstrip(b"\0") == b".text":
            return int.from_bytes(d[so + i * 40 + 12:so + i * 40 + 16], "little")
    raise SystemExit("no .text section in the bzImage's PE header")


def elf_bytes(vmlinux, vaddr, n):
    out = subprocess.run(["objdump", "-h", str(vmlinux)], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 6 and f[1] == ".text":
            size, va, off = int(f[2], 16), int(f[3], 16), int(f[5], 16)
            if va <= vaddr < va + size:
                return Path(vmlinux).read_bytes()[off + vaddr - va:off + vaddr - va + n]
    raise SystemExit("cannot read the stub's code from the ELF file")


def hmp(sock_path, commands, wait_paused=False):
    s = socket.socket(socket.AF_UNIX)
    for _ in range(100):
        try:
            s.connect(sock_path)
            break
        except OSError:
            time.sleep(0.1)
    s.settimeout(60)

    def prompt():
        buf = b""
        while not buf.endswith(b"(qemu) "):
            chunk = s.recv(4096)
            if not chunk:
                raise SystemExit("QEMU monitor closed")
            buf += chunk
        return buf.decode(errors="replace")
    prompt()
    if wait_paused:
        deadline = time.time() + 180
        while time.time() < deadline:
            s.sendall(b"info status\n")
            if "paused" in prompt():
                break
            time.sleep(0.5)
        else:
            raise SystemExit("the probe boot did not finish")
    for c in commands:
        s.sendall((c + "\n").encode())
        if c != "quit":
            prompt()
    time.sleep(0.5)
    s.close()


def gdb_run(case, logfile):
    return common.run_gdb("gdb_efi.py", case, logfile, timeout=180)


def locate(bzimage, initrd, vmlinux, syms, logdir):
    sig_off = syms["sev_get_status"]
    sig = elf_bytes(vmlinux, sig_off, 48)
    text_va = pe_text_va(bzimage)
    with tempfile.TemporaryDirectory() as tmp:
        mon, dump = f"{tmp}/mon.sock", f"{tmp}/mem.bin"
        q = common.start_qemu(bzimage, initrd, logdir / "probe.serial", firmware="ovmf",
                              reboot=True,
                              extra=["-action", "reboot=shutdown,shutdown=pause",
                                     "-monitor", f"unix:{mon},server,nowait"])
        try:
            hmp(mon, [f'pmemsave 0 0x20000000 "{dump}"', "quit"], wait_paused=True)
            mem = Path(dump).read_bytes()
        finally:
            q.kill()
            q.wait()
    hits = [m.start() for m in re.finditer(re.escape(sig), mem)]
    # gdb watches each (x86 has four debug registers).
    if not 1 <= len(hits) <= 4:
        raise SystemExit(f"probe: found the stub's code {len(hits)} times in memory")
    port = common.free_port()
    q = common.start_qemu(bzimage, initrd, logdir / "locate.serial", firmware="ovmf",
                          gdb_port=port)
    try:
        r = gdb_run(dict(port=port, mode="locate", watch=hits, sig_off=sig_off,
                         pe_text=text_va), logdir / "locate.gdb")
    finally:
        q.kill()
        q.wait()
    if r.get("outcome") != "located":
        raise SystemExit(f"could not follow the firmware's copies of the stub: {r}")
    return r["base"]


def locate_once(bzimage, initrd, vmlinux, syms, logdir, cache, guess=True):
    """The stub's runtime base, from CACHE (a directory) when an earlier
    run located it for the same bzImage, initrd, firmware and QEMU: the
    firmware places the image the same way for the same inputs, which
    every case here relies on anyway (a wrong base fails every case:
    the check is never reached). Without one, and with GUESS, the base
    last kept for another kernel (an image of about the same size lands
    at the same place: the negative control's kernel, a rebuilt one);
    the caller must locate the stub if its first case never reaches
    the check. Returns (base, how): how is "kept", "guessed" or
    "located"."""
    entry = base_entry(bzimage, initrd, cache)
    try:
        return int(entry.read_text(), 16), "kept"
    except (OSError, ValueError):
        pass
    if guess:
        others = sorted((e for e in Path(cache).glob("*") if e.suffix != ".tmp"),
                        key=lambda e: e.stat().st_mtime) if Path(cache).is_dir() else []
        for e in reversed(others):
            try:
                return int(e.read_text(), 16), "guessed"
            except (OSError, ValueError):
                continue
    base = locate(bzimage, initrd, vmlinux, syms, logdir)
    keep_base(entry, base)
    return base, "located"


def keep_base(entry, base):
    """Record BASE in ENTRY (atomically), keeping the last few entries
    (the unbroken kernel and the negative control's)."""
    entry.parent.mkdir(parents=True, exist_ok=True)
    tmp = entry.with_suffix(".tmp")
    tmp.write_text(f"{base:#x}\n")
    tmp.replace(entry)
    for old in sorted(entry.parent.iterdir(), key=lambda e: e.stat().st_mtime)[:-4]:
        old.unlink()


def base_entry(bzimage, initrd, cache):
    """Where locate_once() keeps the base for these inputs (and this
    harness: the locate code is in this file, gdb_efi.py, gdb_lib.py and
    run.py)."""
    h = hashlib.sha256()
    for f in (bzimage, initrd, common.qemu_command.OVMF):
        h.update(Path(f).read_bytes())
    h.update(subprocess.run([common.qemu_command.BINARY, "--version"], capture_output=True,
                            check=True).stdout)
    h.update(" ".join(common.qemu_command.command("K", "I", firmware="ovmf", append="nokaslr",
                                                  serial="S")).encode())
    for f in (__file__, HERE / "gdb_efi.py", HERE / "gdb_lib.py", HERE / "run.py"):
        h.update(Path(f).read_bytes())
    return Path(cache) / h.hexdigest()[:32]


def run_case(ctx, i, status):
    """Boot the stub through OVMF with STATUS injected; returns the
    expected outcome's description, the problems found and what the gdb
    script saw."""
    mask = status & ctx["required"] if status & SNP else 0
    syms, logdir = ctx["syms"], ctx["logdir"]
    serial = logdir / f"efi-case-{i}.serial"
    port = common.free_port()
    q = common.start_qemu(ctx["bzimage"], ctx["initrd"], serial, firmware="ovmf", gdb_port=port)
    try:
        got = gdb_run(dict(port=port, mode="case", base=ctx["base"], insns=ctx["insns"],
                           sev_get_status=syms["sev_get_status"], status=status,
                           system_table=syms["efi_system_table"],
                           stub_entry=syms["efi_stub_entry"],
                           expect_return=not mask), logdir / f"efi-case-{i}.gdb")
        problems = []
        if not got.get("entered"):
            problems.append(NEVER_REACHED)
        if got.get("ghcb_msr_access"):
            problems.append("the stub used the GHCB MSR (a request to the hypervisor)")
        if mask:
            desc = f"EFI_UNSUPPORTED, console 0x{mask:x}"
            if got.get("outcome") != "efi-exit" or got.get("exit_status") != EFI_UNSUPPORTED:
                st = got.get("exit_status")
                st = f"{st:#x}" if isinstance(st, int) else st
                problems.append(f"got {got.get('outcome')} {got.get('detail', '')} status {st}")
            elif got.get("exit_handle") != got.get("image_handle"):
                problems.append(f"Exit() with handle {got.get('exit_handle')}, not the image's "
                                f"{got.get('image_handle')}")
            elif not firmware_goes_on(q, serial, FIRMWARE_WAIT):
                # Back in the firmware, which must go on to its next boot
                # option (and the kernel never start).
                problems.append("QEMU ended after the return to the firmware" if q.poll() is not None
                                else "the firmware did not go on to another boot option")
            text = serial.read_text(errors="replace") if serial.exists() else ""
            m = STUB_MESSAGE.search(text)
            if not m or int(m.group(1), 16) != mask:
                problems.append(f"console mask {m.group(1) if m else 'missing'}")
            if "Linux version" in text or console.BOOT_OK in text:
                problems.append("the kernel started anyway")
        else:
            desc = "returns, boots on"
            ok = common.reaches_userspace(q, serial, 180)
            if got.get("outcome") != "returned" or not ok:
                what = " ".join(str(x) for x in (got.get("outcome"), got.get("detail")) if x)
                problems.append(f"got {what}, userspace {ok}")
    finally:
        q.kill()
        q.wait()
    return desc, problems, got


def main():
    rows = common.load_table(sys.argv[1])
    build, initrd, logdir = Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
    logdir.mkdir(parents=True, exist_ok=True)
    vmlinux = build / "arch/x86/boot/compressed/vmlinux"
    bzimage = build / "arch/x86/boot/bzImage"
    syms = common.symbols(vmlinux)
    for s in ("sev_get_status", "efi_system_table", "efi_stub_entry"):
        if s not in syms:
            sys.exit(f"symbol {s} not found in {vmlinux}: this tree has no EFI stub check?")
    cache = build / ".efi-stub-base"
    base, how = locate_once(bzimage, initrd, vmlinux, syms, logdir, cache)
    insns = {k: v for k, v in common.instructions(vmlinux).items()
             if k in ("wrmsr", "rdmsr", "vmgexit")}
    _, required = common.cases(rows, common.implemented(build))
    why = {"kept": "located by an earlier run: same bzImage, initrd, firmware and QEMU",
           "guessed": "where another kernel's stub was found; located afresh if the "
                      "first case misses it",
           "located": "firmware's choice"}[how]
    print(f"  -> EFI stub runs with its ELF address 0 at {base:#x} ({why})")
    todo = [("bit 5 RestrictedInjection alone", SEV | ES | SNP | 1 << 5),
            ("reserved bit 40 alone", SEV | ES | SNP | 1 << 40),
            ("combination 5+8+11+24", SEV | ES | SNP | 1 << 5 | 1 << 8 | 1 << 11 | 1 << 24),
            ("host-only bit 8 PreventHostIBS", SEV | ES | SNP | 1 << 8),
            ("SNP, no features", SEV | ES | SNP),
            ("SEV-ES, all feature bits", SEV | ES | (((1 << 64) - 1) & ~7))]
    todo = common.selected(todo)
    table = CaseTable("EFI stub", logdir / "result.json")
    ctx = dict(bzimage=bzimage, initrd=initrd, logdir=logdir, base=base, insns=insns,
               syms=syms, required=required)
    # One at a time: with two firmware boots at once, a case was seen to
    # stop short of the stub's check (a cold bench run, reserved bit 40).
    results = []
    for i, (_, status) in enumerate(todo, 1):
        desc, problems, got = run_case(ctx, i, status)
        if how != "located" and i == 1 and NEVER_REACHED in problems:
            # The stub is not where an earlier run found it (or another
            # kernel's was): locate it now; the other cases use what
            # this finds, and this one runs again if the stub moved.
            was = how
            base_entry(bzimage, initrd, cache).unlink(missing_ok=True)
            ctx["base"], how = locate_once(bzimage, initrd, vmlinux, syms, logdir, cache,
                                           guess=False)
            print(f"  -> the first case never reached the stub's check at the {was} base; "
                  f"located it: {ctx['base']:#x}")
            if ctx["base"] != base:
                desc, problems, got = run_case(ctx, i, status)
        elif how == "guessed" and i == 1:
            # The first case reached the check there: keep it.
            keep_base(base_entry(bzimage, initrd, cache), base)
            how = "kept"
        results.append((desc, problems, got))
    for (name, status), (desc, problems, got) in zip(todo, results):
        table.row(name, status, desc, problems, got)
    table.exit()


if __name__ == "__main__":
    main()
