#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""run.py WORKTREE OUTDIR

Mutation check of the KUnit suite. WORKTREE is a scratch clone with the
series applied (it is changed and restored); OUTDIR holds the kernel build
the checks share (testing/checks/kunit-mutants builds it), which has the
suite built in.

For the unmodified tree and for each mutant of mutants.py: apply the
mutant and build the suite's source alone as an external module against
that build (the logic it tests is inline in headers, so the module
carries the mutated code), keeping a copy of each module. Then one boot of the prebuilt kernel under QEMU loads every module
in turn, the unmodified one first, and the console gives each its KUnit
verdict. A mutant that leaves no verdict (it crashed or hung the guest) is
tried again alone in a boot of its own. The unmodified suite must pass;
every mutant must make it fail. Prints a table and the score.
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1] / "lib")]
from mutants import MUTANTS  # noqa: E402
from snpneg import qemu  # noqa: E402

TLIB = HERE.parents[1] / "lib"
SOURCE = "arch/x86/coco/sev/snp_features_kunit.c"
MODDIR = "mutants-src"
SUITE_VERDICT = r"^\s*(not ok|ok) \d+ (?:- )?snp_features\s*$"
BEGIN = "SNPNEG-MUTANT-BEGIN"


def sh(cmd, log=None, **kw):
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, errors="replace", **kw)
    if log:
        Path(log).write_text(out.stdout)
    return out.returncode, out.stdout


def build_module(work, out, log):
    """Build the suite's source of WORKTREE as an external module in
    OUTDIR/mutants-src; returns the path of the .ko or None."""
    mdir = out / MODDIR
    mdir.mkdir(exist_ok=True)
    (mdir / "Kbuild").write_text("obj-m := snp_features_kunit.o\n")
    (mdir / "snp_features_kunit.c").write_text((work / SOURCE).read_text())
    # Always rebuilt: a mutated header is put back with its old time, so
    # make alone would keep the object built from the last mutant.
    for f in mdir.iterdir():
        if f.suffix in (".o", ".ko", ".mod"):
            f.unlink()
    rc, _ = sh([str(TLIB / "kmake"), str(work), str(out), f"M={mdir}", "modules"], log=log)
    ko = mdir / "snp_features_kunit.ko"
    return ko if rc == 0 and ko.is_file() else None


def verdicts(console):
    """{tag: 'pass'|'fail'} for every module load the console shows a
    verdict for; a tag whose section has no verdict is left out."""
    out = {}
    parts = re.split(rf"^{BEGIN} (\S+)\s*$", console, flags=re.M)
    for tag, text in zip(parts[1::2], parts[2::2]):
        m = re.findall(SUITE_VERDICT, text, re.M)
        if m:
            out[tag] = "pass" if m[-1] == "ok" else "fail"
    return out


def boot(out, name, modules):
    """Boot once, load each (tag, path) in order; return the verdicts."""
    init = out / f"mutants-{name}.init"
    lines = ["#!/bin/busybox sh", "/bin/busybox --install -s /bin",
             "mount -t proc proc /proc"]
    for tag, _ in modules:
        lines += [f"echo {BEGIN} {tag}", f"insmod /m/{tag}.ko",
                  "rmmod snp_features_kunit"]
    lines.append("reboot -f")
    init.write_text("\n".join(lines) + "\n")
    initrd = out / f"mutants-{name}.cpio.gz"
    rc, text = sh([str(TLIB / "mkinitramfs"), str(initrd), str(init)] +
                  [f"{path}=/m/{tag}.ko" for tag, path in modules])
    if rc:
        raise SystemExit(f"mkinitramfs failed: {text}")
    log = out / f"mutants-{name}.console"
    limit = 60 + 20 * len(modules)
    try:
        sh(qemu.command(out / "arch/x86/boot/bzImage", initrd, append="loglevel=7"),
           log=log, timeout=limit)
    except subprocess.TimeoutExpired as e:
        part = e.stdout or b""
        log.write_bytes(part if isinstance(part, bytes) else part.encode())
    return verdicts(log.read_text(errors="replace"))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: run.py WORKTREE OUTDIR")
    work, out = Path(sys.argv[1]), Path(sys.argv[2])
    kos = out / "mutants"
    kos.mkdir(exist_ok=True)
    start = time.time()

    ko = build_module(work, out, out / "mutants-orig.build.log")
    if not ko:
        sys.exit(f"the unmodified test module does not build (see {out}/mutants-orig.build.log)")
    (kos / "orig.ko").write_bytes(ko.read_bytes())
    modules, errors = [("orig", kos / "orig.ko")], {}
    for i, m in enumerate(MUTANTS, 1):
        path = work / m["file"]
        orig = path.read_text()
        times = path.stat()
        if orig.count(m["old"]) != 1:
            errors[i] = "ERROR: text not found once in " + m["file"]
            continue
        path.write_text(orig.replace(m["old"], m["new"]))
        try:
            ko = build_module(work, out, out / f"mutants-{i}.build.log")
            if ko:
                (kos / f"{i}.ko").write_bytes(ko.read_bytes())
                modules.append((str(i), kos / f"{i}.ko"))
            else:
                errors[i] = "ERROR: does not build"
        finally:
            # Back as it was, time included: the kernel build that shares
            # this tree must not recompile what includes the file (the
            # module's own objects are removed by build_module()).
            path.write_text(orig)
            os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))
    print(f"  -> built the unmodified module and {len(modules) - 1} mutants "
          f"in {time.time() - start:.0f}s", flush=True)

    t0 = time.time()
    got = boot(out, "all", modules)
    print(f"  -> one boot loaded {len(modules)} modules in {time.time() - t0:.0f}s, "
          f"{len(got)} verdicts", flush=True)
    for tag, path in modules:
        if tag not in got:
            got.update(boot(out, tag, [(tag, path)]))

    base = got.get("orig", "no result")
    print(f"  -> unmodified tree: suite {base}")
    if base != "pass":
        sys.exit("the suite must pass on the unmodified tree before mutants mean anything")
    caught, ok = 0, True
    for i, m in enumerate(MUTANTS, 1):
        res = errors.get(i) or got.get(str(i), "no result")
        if res == "fail":
            verdict = "caught"
            caught += 1
        elif res == "pass":
            verdict, ok = "SURVIVED", False
        elif res.startswith("ERROR"):
            verdict, ok = res, False
        else:
            verdict, ok = "ERROR: no verdict (crash or timeout)", False
        print(f"  -> [{i:2}] {verdict:<24} {m['name']}", flush=True)
    print(f"  -> mutation score: {caught}/{len(MUTANTS)} mutants caught "
          f"in {time.time() - start:.0f}s")
    sys.exit(0 if ok and caught == len(MUTANTS) else 1)


if __name__ == "__main__":
    main()
