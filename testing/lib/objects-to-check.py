#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""List the objects a bisect build compiles for one configuration.

objects-to-check.py TREE DOTCONFIG FILE...

Prints, one per line, the object files (relative to the tree) that are
enabled in DOTCONFIG among:
  - the C objects of the x86 decompressor (arch/x86/boot/compressed), read
    from its Makefile, except those that need the linked kernel's offsets
    (misc.o, kaslr.o), which only a full build can compile;
  - the objects built from the given files: a .c file directly, or, when
    no Makefile builds it (a .c file that others #include, such as the
    shared SEV code), through the objects of the .c files under arch/x86
    that include it; a header through the objects in EXTRA_USERS that
    include it.
An object counts as enabled when the Makefile line that names it is an
unconditional '-y' list or is guarded by a CONFIG_ option set to y.
"""

import re
import sys
from pathlib import Path

# Objects that include a touched header, checked when the header changes
# (the decompressor objects are always checked).
EXTRA_USERS = {
    "arch/x86/include/asm/sev.h": ["arch/x86/kernel/sev.o",
                                   "arch/x86/mm/mem_encrypt_identity.o"],
    "arch/x86/include/asm/sev-common.h": ["arch/x86/kernel/sev.o"],
    "arch/x86/include/uapi/asm/svm.h": ["arch/x86/kernel/sev.o"],
}


LINK_TIME_HEADERS = ("voffset.h", "generated/utsversion.h", "generated/compile.h")


def load_config(path):
    conf = {}
    for line in Path(path).read_text().splitlines():
        m = re.match(r"^(CONFIG_\w+)=(.*)$", line)
        if m:
            conf[m.group(1)] = m.group(2)
    return conf


def makefile_lines(mk):
    """Logical lines of a Makefile, continuation lines joined."""
    out, cur = [], ""
    for line in mk.read_text().splitlines():
        if line.endswith("\\"):
            cur += line[:-1] + " "
            continue
        out.append(cur + line)
        cur = ""
    return out


def enabled(guard, conf):
    if guard == "y":
        return True
    m = re.fullmatch(r"\$\((CONFIG_\w+)\)", guard)
    return bool(m) and conf.get(m.group(1)) == "y"


def named_enabled(mk, name, conf):
    """True if a Makefile line names NAME and is enabled, False if only
    disabled lines name it, None if no line does."""
    seen = None
    for line in makefile_lines(mk):
        m = re.match(r"^\s*[\w.-]+-([^\s:+]+)\s*[:+]?=\s*(.*)$", line)
        if not m:
            continue
        words = [w.replace("$(obj)/", "") for w in m.group(2).split()]
        if name in words:
            if enabled(m.group(1), conf):
                return True
            seen = False
    return seen


def object_enabled(tree, obj, conf):
    """Is obj (path relative to tree) built in this configuration? Its
    directory's Makefile must name it on an enabled line, and no parent
    Makefile (or Kbuild) below arch/x86 may name the directory only on
    disabled lines (arch/x86/coco/Makefile: obj-$(CONFIG_AMD_MEM_ENCRYPT)
    += sev/)."""
    d = Path(obj).parent
    mk = tree / d / "Makefile"
    if not mk.is_file() or not named_enabled(mk, Path(obj).name, conf):
        return False
    while len(d.parts) > 2:
        parent = d.parent
        for f in ("Makefile", "Kbuild"):
            if (tree / parent / f).is_file() and \
                    named_enabled(tree / parent / f, d.name + "/", conf) is False:
                return False
        d = parent
    return True


def decompressor_objects(tree, conf):
    d = "arch/x86/boot/compressed"
    objs = []
    for line in makefile_lines(tree / d / "Makefile"):
        m = re.match(r"^\s*vmlinux-objs-(\S+)\s*[:+]?=\s*(.*)$", line)
        if not m or not enabled(m.group(1), conf):
            continue
        for w in m.group(2).split():
            w = w.replace("$(obj)/", "").replace("$(BITS)", "64")
            src = tree / d / (w[:-2] + ".c")
            if not w.endswith(".o") or not src.is_file():
                continue
            # Headers generated while linking the kernel (its offsets in
            # voffset.h, its version string) exist only after a full
            # build; such objects are left to the boot build.
            text = src.read_text()
            if any(h in text for h in LINK_TIME_HEADERS):
                continue
            objs.append(f"{d}/{w}")
    return objs


def includers(tree, rel):
    """Objects of the .c files under arch/x86 that #include REL."""
    name = Path(rel).name
    out = []
    for src in sorted((tree / "arch/x86").rglob("*.c")):
        for m in re.finditer(r'^#include\s+"([^"]+)"', src.read_text(errors="replace"), re.M):
            if (src.parent / m.group(1)).resolve() == (tree / rel).resolve() or \
                    (m.group(1).endswith("/" + name) and
                     (src.parent / m.group(1)).resolve() == (tree / rel).resolve()):
                out.append(str(src.relative_to(tree))[:-2] + ".o")
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: objects-to-check.py TREE DOTCONFIG FILE...")
    tree = Path(sys.argv[1])
    conf = load_config(sys.argv[2])
    objs = decompressor_objects(tree, conf)
    for f in sys.argv[3:]:
        cands = []
        if f.endswith(".c"):
            cands = [f[:-2] + ".o"]
            if not object_enabled(tree, cands[0], conf):
                cands = includers(tree, f)
        elif f in EXTRA_USERS:
            cands = EXTRA_USERS[f]
        for o in cands:
            if o not in objs and object_enabled(tree, o, conf):
                objs.append(o)
    print("\n".join(objs))


if __name__ == "__main__":
    main()
