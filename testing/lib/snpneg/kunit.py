# SPDX-License-Identifier: GPL-2.0
"""The KUnit suite's source: the top-level kunit/ directory.

kunit/FILES maps each file there to its path in a kernel tree; every
series' KUnit patch must create exactly those files with that content,
apart from files its 'adaptations' declare with 'kunit-differs: FILE'.
kunit/mutants.py lists the mutants the suite must catch.
"""

import re
from pathlib import Path

from snpneg.series import patch_names
from snpneg.table import TOP

KUNIT = TOP / "kunit"


def manifest(kunit=KUNIT, how=False):
    """{file name in kunit/: path in the kernel tree}, in FILES' order;
    with how=True, {file name: (path, 'new' or 'lines')}."""
    out = {}
    for n, line in enumerate((Path(kunit) / "FILES").read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        f = line.split()
        if len(f) != 3 or f[2] not in ("new", "lines") or f[0] in out:
            raise SystemExit(f"{kunit}/FILES:{n}: want 'FILE TREE_PATH new|lines' once per "
                             f"file: {line!r}")
        out[f[0]] = (f[1], f[2]) if how else f[1]
    return out


# The body of model_implemented(): what a branch implements is its own.
IMPLEMENTED = re.compile(r"(static u64 model_implemented\(void\)\n\{\n).*?(^\}\n)", re.S | re.M)


def same_suite(text, own):
    """Whether a series' suite file is kunit/'s, apart from the body of
    model_implemented()."""
    def norm(s):
        return IMPLEMENTED.sub(lambda m: m.group(1) + "\t/* the branch's own */\n" + m.group(2),
                               s, count=1)
    return norm(text) == norm(own)


def added_to(patch, path):
    """Lines one mbox patch adds to PATH (created or not)."""
    text = Path(patch).read_text()
    out, cur = [], None
    for line in text.splitlines():
        if line.startswith("diff --git "):
            cur = line.split(" b/", 1)[1] if " b/" in line else None
        elif cur == path and line.startswith("+") and not line.startswith("+++"):
            out.append(line[1:])
    return out


def tree_path(name, kunit=KUNIT):
    """Where kunit/NAME lives in a kernel tree."""
    return manifest(kunit)[name]


def created_files(patch):
    """{path: content} of the files one mbox patch creates."""
    text = Path(patch).read_text()
    out = {}
    for m in re.finditer(r"^diff --git a/(\S+) b/\S+\nnew file mode \d+\nindex \S+\n"
                         r"--- /dev/null\n\+\+\+ b/\S+\n((?:@@ [^\n]*\n(?:\+[^\n]*\n)*)+)",
                         text, re.M):
        body = [line[1:] for line in m.group(2).splitlines() if not line.startswith("@@")]
        out[m.group(1)] = "".join(line + "\n" for line in body)
    return out


def declared_differences(series):
    """FILE names a series' adaptations file lets differ from kunit/."""
    path = Path(series) / "adaptations"
    if not path.is_file():
        return set()
    return {line.split(":", 1)[1].strip() for line in path.read_text().splitlines()
            if line.startswith("kunit-differs:")}


def compare(series, kunit=KUNIT):
    """Problems of one series' KUnit patch against kunit/ ([] if none)."""
    files = manifest(kunit, how=True)
    wanted = {p: n for n, (p, _) in files.items()}
    differs = declared_differences(series)
    problems = [f"adaptations: kunit-differs names {d}, which kunit/FILES does not list"
                for d in sorted(differs - set(files))]
    carriers = []
    for name in patch_names(series):
        created = created_files(Path(series) / name)
        if set(created) & set(wanted):
            carriers.append((name, created))
    if len(carriers) != 1:
        which = ", ".join(n for n, _ in carriers) or "none"
        return problems + [f"want one patch that creates the suite's files, found {which}"]
    name, created = carriers[0]
    for path in sorted(set(wanted) - set(created)):
        own = (Path(kunit) / wanted[path]).read_text()
        if files[wanted[path]][1] == "new":
            problems.append(f"{name} does not create {path} (kunit/{wanted[path]})")
            continue
        lines = [line for line in own.splitlines() if line.strip() and not line.startswith("#")]
        added = added_to(Path(series) / name, path)
        missing = [line for line in lines if line not in added]
        if missing and wanted[path] not in differs:
            problems.append(f"{name}: {path} does not get kunit/{wanted[path]}'s lines: "
                            f"{missing[0]!r}")
    for path in sorted(set(created) - set(wanted)):
        problems.append(f"{name} creates {path}, which kunit/FILES does not list")
    for path in sorted(set(created) & set(wanted)):
        own = (Path(kunit) / wanted[path]).read_text()
        if not same_suite(created[path], own) and wanted[path] not in differs:
            problems.append(f"{name}: {path} differs from kunit/{wanted[path]}")
    return problems


def implemented_mask(kunit_c, config):
    """The SEV_STATUS bits a kernel implements, as its KUnit model says:
    the BIT_ULL(n) terms of model_implemented() in KUNIT_C, each under an
    'if (IS_ENABLED(CONFIG_X))' only when CONFIG (a .config file) has
    CONFIG_X=y. The model is the branch's own account of what it
    implements, written from its history; the boot tests take it from
    there rather than from the masks they test."""
    m = IMPLEMENTED.search(Path(kunit_c).read_text())
    if not m:
        raise SystemExit(f"no model_implemented() in {kunit_c}")
    body = m.group(0)[len(m.group(1)):]
    enabled = set(re.findall(r"^(CONFIG_\w+)=y$", Path(config).read_text(), re.M))
    mask, cond = 0, None
    for line in body.splitlines():
        c = re.search(r"IS_ENABLED\((CONFIG_\w+)\)", line)
        if c:
            cond = c.group(1)
        bits = [int(b) for b in re.findall(r"BIT_ULL\((\d+)\)", line)]
        if bits:
            if cond is None or cond in enabled:
                for b in bits:
                    mask |= 1 << b
            cond = None
    return mask
