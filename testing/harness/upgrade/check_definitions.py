#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Find silently duplicated or lost definitions after a merge or rebase.

check_definitions.py TREE NAMES_FILE [REFERENCE_TREE]

NAMES_FILE lists the identifiers to look at, one "FILE NAME" pair a line
(the macros and functions that the series or upstream's change define,
and where). Every name is looked for in every listed file. For each file of TREE every definition of a listed
name is located together with the chain of preprocessor conditions that
encloses it (#if/#ifdef/#ifndef, #elif, #else). A name defined twice
under the same conditions in one file, or a macro defined in two of the
listed files, is a duplicate. With REFERENCE_TREE (the release being
moved to), every listed name defined there must still be defined in
TREE, under the same conditions: otherwise it was lost.

Prints one line per problem and exits 1 if there is any.

check_definitions.py --names-from-diff < DIFF  prints the NAMES_FILE lines
for the macros and functions a unified diff adds.
"""

import re
import sys
from collections import defaultdict
from pathlib import Path

COND = re.compile(r"^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b(.*)")
MACRO = re.compile(r"^\s*#\s*define\s+([A-Za-z_]\w*)")
FUNC = re.compile(r"^(?!\s)(?!(?:return|if|for|while|switch|do|else|typedef)\b)"
                  r"[A-Za-z_][\w\s\*]*?\b([A-Za-z_]\w*)\s*\(")


def definitions(path, names):
    """Yield (kind, name, conditions) for every definition of NAMES in PATH."""
    stack = []          # list of [condition text, branch number]
    lines = path.read_text(errors="replace").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        m = COND.match(line)
        if m:
            kw, rest = m.group(1), m.group(2).strip()
            if kw in ("if", "ifdef", "ifndef"):
                stack.append([f"{kw} {rest}", 0])
            elif kw in ("elif", "else") and stack:
                stack[-1][1] += 1
                if kw == "elif":
                    stack[-1][0] += f" | elif {rest}"
            elif kw == "endif" and stack:
                stack.pop()
            i += 1
            continue
        cond = tuple(f"{c}#{b}" for c, b in stack)
        m = MACRO.match(line)
        if m and m.group(1) in names:
            yield ("macro", m.group(1), cond)
        else:
            m = FUNC.match(line)
            if m and m.group(1) in names and not line.lstrip().startswith("#"):
                # declaration (ends with ';') or definition (reaches '{')
                text, j = line, i
                while ";" not in text and "{" not in text and j + 1 < len(lines):
                    j += 1
                    text += lines[j]
                kind = "declaration" if text.find(";") != -1 and (
                    text.find("{") == -1 or text.find(";") < text.find("{")) else "function"
                yield (kind, m.group(1), cond)
        i += 1


def collect(tree, wanted):
    found = defaultdict(list)       # (file, kind, name, cond) -> count
    for f, names in wanted.items():
        p = Path(tree) / f
        if not p.is_file():
            continue
        for kind, name, cond in definitions(p, names):
            found[(f, kind, name, cond)].append(1)
    return found


def names_from_diff(diff_text):
    """'FILE NAME' for every macro or function a unified diff adds."""
    out, f = [], None
    for line in diff_text.split("\n"):
        if line.startswith("+++ "):
            f = line[6:] if line.startswith("+++ b/") else None
        elif line.startswith("+") and f:
            m = MACRO.match(line[1:]) or FUNC.match(line[1:])
            if m:
                out.append(f"{f} {m.group(1)}")
    return sorted(set(out))


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--names-from-diff":
        print("\n".join(names_from_diff(sys.stdin.read())))
        return
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    tree, names_file = sys.argv[1], sys.argv[2]
    ref = sys.argv[3] if len(sys.argv) == 4 else None
    files, names = set(), set()
    for line in Path(names_file).read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            f, name = line.split()
            files.add(f)
            names.add(name)
    # every name is looked for in every file: a macro that moved to another
    # header is as much a duplicate as one repeated in place
    wanted = {f: names for f in files}
    problems = []
    got = collect(tree, wanted)
    for (f, kind, name, cond), n in sorted(got.items()):
        if len(n) > 1:
            where = " && ".join(cond) or "unconditional"
            problems.append(f"duplicate: {kind} {name} {len(n)} times in {f} ({where})")
    macro_files = defaultdict(set)
    for (f, kind, name, cond) in got:
        if kind == "macro":
            macro_files[name].add(f)
    for name, where in sorted(macro_files.items()):
        if len(where) > 1:
            problems.append(f"duplicate: macro {name} defined in {', '.join(sorted(where))}")
    if ref:
        for key in sorted(collect(ref, wanted)):
            if key not in got:
                f, kind, name, cond = key
                where = " && ".join(cond) or "unconditional"
                problems.append(f"lost: {kind} {name} in {f} ({where})")
    for p in problems:
        print(p)
    n = sum(len(v) for v in got.values())
    print(f"{n} definitions of {len(names)} names in {len(files)} files checked, "
          f"{len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
