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


def manifest(kunit=KUNIT):
    """{file name in kunit/: path in the kernel tree}, in FILES' order."""
    out = {}
    for n, line in enumerate((Path(kunit) / "FILES").read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        f = line.split()
        if len(f) != 2 or f[0] in out:
            raise SystemExit(f"{kunit}/FILES:{n}: want 'FILE TREE_PATH' once per file: {line!r}")
        out[f[0]] = f[1]
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
    files = manifest(kunit)
    wanted = {p: n for n, p in files.items()}
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
        problems.append(f"{name} does not create {path} (kunit/{wanted[path]})")
    for path in sorted(set(created) - set(wanted)):
        problems.append(f"{name} creates {path}, which kunit/FILES does not list")
    for path in sorted(set(created) & set(wanted)):
        own = (Path(kunit) / wanted[path]).read_text()
        if created[path] != own and wanted[path] not in differs:
            problems.append(f"{name}: {path} differs from kunit/{wanted[path]}")
    return problems
