#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""run.py WORKTREE OUTDIR SERIES_DIR

Mutation check of the KUnit suite. WORKTREE is a scratch clone with the
series applied (it is changed and restored); OUTDIR holds the kernel build
the checks share (testing/checks/kunit-mutants builds it), which has the
suite built in.

The suite's source is built as an external module against that build,
once unmodified and once per mutant of kunit/mutants.py, all in one make:
a mutant of a header gets a copy of the mutated header's directory (the
tree itself is not changed) that its module's include path puts before
the tree's, the way out-of-tree backports override kernel headers
(NOSTDINC_FLAGS). Each mutant's object must name
its copy, not the tree's file, among its dependencies. Then boots of the
prebuilt kernel under QEMU, as many at once as there are build jobs
(each QEMU is one TCG thread), load the modules in turn, the unmodified
one first in the first boot, and the console gives each its KUnit
verdict. A mutant that leaves no verdict (it crashed or hung the guest)
is tried again alone in a boot of its own. The unmodified suite must pass;
every mutant must make it fail. Prints a table and the score.

Every series keeps upstream's shape: the logic is
snp_get_unsupported_features() and its masks in the shared SEV code, a
.c file built into the kernel. Each module also builds logic.c: the
function and its masks as the (mutated) shared file has them, taken from
it between the comment that opens the masks and the function's end, and
renamed for the module (-D on both objects), so that the suite tests that
copy; header mutants reach both objects through the overlay. The module
copy of the suite gets a MODULE_LICENSE line (the suite is built in, in
the tree).
"""

import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1] / "lib")]
from snpneg import console, qemu  # noqa: E402
from snpneg.breaks import BreakError, replace_once  # noqa: E402
from snpneg.breaks import resolve  # noqa: E402
from snpneg.kunit import KUNIT, tree_path  # noqa: E402

sys.path.insert(0, str(KUNIT))
from mutants import MUTANTS as ALL_MUTANTS  # noqa: E402

TLIB = HERE.parents[1] / "lib"
SOURCE = tree_path("snp_features_kunit.c")
MODDIR = "mutants-src"
# Module names: MODNAME + "orig" or the mutant's number.
MODNAME = "snp_mutant_"
SUITE = "snp_features"
BEGIN = "SNPNEG-MUTANT-BEGIN"


def sh(cmd, log=None, **kw):
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, errors="replace", **kw)
    if log:
        Path(log).write_text(out.stdout)
    return out.returncode, out.stdout


# Include roots of the kernel (LINUXINCLUDE): a mutated header is overlaid
# by a copy of its directory below the same relative path.
INCLUDE_ROOTS = ("arch/x86/include/", "include/")


def overlay_root(rel):
    """The include root that REL lies under, or None."""
    return next((r for r in INCLUDE_ROOTS if rel.startswith(r)), None)


# Where a series' shared SEV code keeps the masks and the
# function: from the comment that opens them to the function's end.
LOGIC_START = "/*\n * SEV_FEATURES that work only if the guest implements them"
LOGIC_FUNC = "snp_get_unsupported_features(u64 status)\n{\n"
LOGIC_NAME = "snpf_mutant_logic"


def logic_source(text, where):
    """logic.c for a module: the masks and the function of a shared file."""
    s = text.find(LOGIC_START)
    f = text.find(LOGIC_FUNC, max(s, 0))
    e = text.find("\n}\n", f)
    if s < 0 or f < 0 or e < 0:
        raise BreakError(f"no masks and snp_get_unsupported_features() in {where}")
    return ("// SPDX-License-Identifier: GPL-2.0\n"
            "/* The masks and the function of " + where.split("/")[-1] + ", for the mutants. */\n"
            "#include <linux/types.h>\n#include <linux/bits.h>\n#include <asm/msr-index.h>\n\n"
            "u64 snp_get_unsupported_features(u64 status);\n\n"
            "#undef __head\n#define __head\n\n" +
            text[s:e + 3])


def pick(tree, m):
    """(file, old, new) of mutant M in TREE: the first alternatives it has."""
    rel = resolve(tree, m["file"])
    olds = m["old"] if isinstance(m["old"], tuple) else (m["old"],)
    news = m["new"] if isinstance(m["new"], tuple) else (m["new"],)
    try:
        text = (Path(tree) / rel).read_text()
    except OSError:
        return rel, olds[0], news[0]
    for old, new in zip(olds, news):
        if old in text:
            return rel, old, new
    return rel, olds[0], news[0]


def prepare_modules(work, mdir, mutants, fixes=False):
    """Write one module directory per variant below MDIR (rebuilt from
    scratch): 'orig' and one per mutant number; a mutant gets an overlay
    copy of its header's directory with the change applied. Returns
    ({tag: subdir}, {number: error})."""
    shutil.rmtree(mdir, ignore_errors=True)
    mdir.mkdir(parents=True)
    source = (work / SOURCE).read_text()
    shared = None
    if fixes:
        shared = next(resolve(work, m["file"]) for m in mutants if m["file"].endswith(".c"))
        source += '\nMODULE_LICENSE("GPL");\n'
    dirs, errors = {}, {}
    for tag, m in [("orig", None)] + [(str(i), m) for i, m in enumerate(mutants, 1)]:
        d = mdir / tag
        d.mkdir()
        (d / "snp_features_kunit.c").write_text(source)
        kbuild = f"obj-m := {MODNAME}{tag}.o\n{MODNAME}{tag}-y := snp_features_kunit.o\n"
        logic = (work / shared).read_text() if fixes else None
        if m:
            rel_file, old, new = pick(work, m)
            root = overlay_root(rel_file)
            text = (work / rel_file).read_text()
            if not root and not (fixes and rel_file == shared):
                errors[int(tag)] = "ERROR: not a header below " + " or ".join(INCLUDE_ROOTS)
                continue
            try:
                text = replace_once(text, old, new, rel_file)
            except BreakError as e:
                errors[int(tag)] = f"ERROR: {e}"
                continue
            if root:
                rel = Path(rel_file[len(root):])
                shutil.copytree(work / root / rel.parent, d / "overlay" / rel.parent)
                (d / "overlay" / rel).write_text(text)
            else:
                logic = text
        if fixes:
            try:
                (d / "logic.c").write_text(logic_source(logic, shared))
            except BreakError as e:
                errors[int(tag)] = f"ERROR: {e}"
                continue
            kbuild += (f"{MODNAME}{tag}-y += logic.o\n"
                       f"ccflags-y += -Dsnp_get_unsupported_features={LOGIC_NAME}\n")
        if m and root:
            # Before -nostdinc's company: ahead of every include path of
            # the kernel's, for <> and for "" includes from the copy.
            kbuild = "NOSTDINC_FLAGS += -I$(src)/overlay\n" + kbuild
        (d / "Kbuild").write_text(kbuild)
        dirs[tag] = d
    (mdir / "Kbuild").write_text("".join(f"obj-m += {t}/\n" for t in dirs))
    return dirs, errors


def used_overlay(d, rel):
    """Whether the object in module directory D was built from the
    overlay's copy of REL and not from the tree's file."""
    cmd = (d / ".snp_features_kunit.o.cmd").read_text()
    name = rel[len(overlay_root(rel)):]
    # Absolute paths, or (kbuild of 6.19 and later, external modules)
    # paths relative to the module tree: DIR/overlay/...
    copies = (str(d / "overlay" / name), f"{d.name}/overlay/{name}")
    rest = cmd.replace(str(d / "overlay"), "").replace(f"{d.name}/overlay", "")
    return any(c in cmd for c in copies) and f"/{rel}" not in rest


def verdicts(log):
    """{tag: 'pass'|'fail'} for every module load the console shows a
    verdict for; a tag whose section has no verdict is left out."""
    out = {}
    parts = re.split(rf"^{BEGIN} (\S+)\s*$", log, flags=re.M)
    for tag, text in zip(parts[1::2], parts[2::2]):
        m = [r for r in console.results(text) if r["name"] == SUITE]
        if m:
            out[tag] = "pass" if m[-1]["ok"] else "fail"
    return out


def boot(out, name, modules):
    """Boot once, load each (tag, path) in order; return the verdicts."""
    init = out / f"mutants-{name}.init"
    lines = ["#!/bin/busybox sh", "/bin/busybox --install -s /bin",
             "mount -t proc proc /proc"]
    for tag, _ in modules:
        lines += [f"echo {BEGIN} {tag}", f"insmod /m/{tag}.ko",
                  f"rmmod {MODNAME}{tag}"]
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
    if len(sys.argv) != 4:
        sys.exit("usage: run.py WORKTREE OUTDIR SERIES_DIR")
    work, out = Path(sys.argv[1]), Path(sys.argv[2])
    mutants = ALL_MUTANTS
    kos = out / "mutants"
    kos.mkdir(exist_ok=True)
    start = time.time()

    mdir = out / MODDIR
    dirs, errors = prepare_modules(work, mdir, mutants, fixes=True)
    log = out / "mutants.build.log"
    # Make jobs and boots at once: JOBS, as the shell library sets it.
    jobs = max(1, int(os.environ.get("JOBS") or os.cpu_count() or 1))
    make = [str(TLIB / "kmake"), str(work), str(out), f"M={mdir}", "-k",
            f"-j{jobs}", "modules"]
    # -k: a mutant that does not compile must not stop the others; but
    # no module is linked then, so the build runs again without those.
    rc, _ = sh(make, log=log)
    failed = [t for t, d in dirs.items() if not (d / "snp_features_kunit.o").is_file()]
    if rc and failed and "orig" not in failed:
        for t in failed:
            errors[int(t)] = "ERROR: does not build"
            del dirs[t]
        (mdir / "Kbuild").write_text("".join(f"obj-m += {t}/\n" for t in dirs))
        rc, _ = sh(make, log=out / "mutants.build-again.log")
    modules = []
    for tag, d in dirs.items():
        ko = d / f"{MODNAME}{tag}.ko"
        if not ko.is_file():
            if tag == "orig":
                sys.exit(f"the unmodified test module does not build (see {log})")
            errors[int(tag)] = "ERROR: does not build"
            continue
        rel = pick(work, mutants[int(tag) - 1])[0] if tag != "orig" else None
        if rel and overlay_root(rel) and not used_overlay(d, rel):
            errors[int(tag)] = "ERROR: built without the mutated header"
            continue
        (kos / f"{tag}.ko").write_bytes(ko.read_bytes())
        modules.append((tag, kos / f"{tag}.ko"))
    print(f"  -> built the unmodified module and {len(modules) - 1} mutants "
          f"in {time.time() - start:.0f}s", flush=True)

    t0 = time.time()
    n = max(1, min(jobs, len(modules)))
    groups = [modules[i::n] for i in range(n)]
    got = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=n) as ex:
        for part in ex.map(lambda g: boot(out, f"all-{g}", groups[g]), range(n)):
            got.update(part)
    print(f"  -> {n} boot{'s' if n > 1 else ''} at once loaded {len(modules)} modules "
          f"in {time.time() - t0:.0f}s, {len(got)} verdicts", flush=True)
    for tag, path in modules:
        if tag not in got:
            got.update(boot(out, tag, [(tag, path)]))

    base = got.get("orig", "no result")
    print(f"  -> unmodified tree: suite {base}")
    if base != "pass":
        sys.exit("the suite must pass on the unmodified tree before mutants mean anything")
    caught, ok = 0, True
    for i, m in enumerate(mutants, 1):
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
    print(f"  -> mutation score: {caught}/{len(mutants)} mutants caught "
          f"in {time.time() - start:.0f}s")
    sys.exit(0 if ok and caught == len(mutants) else 1)


if __name__ == "__main__":
    main()
