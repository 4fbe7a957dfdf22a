#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that two series carry the same change, apart from context.

check-sync.py REFERENCE_SERIES OTHER_SERIES

Patches are paired by subject. For each pair, the commit messages must be
equal and the lines the patches add must be the same (as a multiset: hunks
may sit elsewhere in a file of another tree). Every intended difference is
declared in OTHER_SERIES/adaptations:

    only: <subject>          a patch that only OTHER_SERIES has
    patch: <subject>         the following rules apply to this pair:
    -<line>                    a line the reference adds and OTHER does not
    +<line>                    a line OTHER adds and the reference does not

Prints one line per patch; exits 1 on any undeclared difference.
"""

import re
import sys
from collections import Counter
from pathlib import Path


def parse_patch(path):
    text = path.read_text()
    head, _, diff = text.partition("\n---\n")
    m = re.search(r"^Subject: (?:\[PATCH[^\]]*\] )?(.*(?:\n .*)*)", head, re.M)
    subject = re.sub(r"\n ", " ", m.group(1)).strip()
    body = head[head.index("\n\n", m.end()) + 2:] if "\n\n" in head[m.end():] else ""
    added = []
    for line in diff.splitlines():
        if line.startswith("+") and not line.startswith("+++ "):
            added.append(line[1:])
    return subject, body.strip(), added


def load_series(d):
    names = [l.strip() for l in (d / "series").read_text().splitlines()
             if l.strip() and not l.startswith("#")]
    return [parse_patch(d / n) for n in names]


def load_adaptations(path):
    only, rules, cur = set(), {}, None
    if not path.is_file():
        return only, rules
    for line in path.read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith("only: "):
            only.add(line[6:].strip())
        elif line.startswith("patch: "):
            cur = line[7:].strip()
            rules.setdefault(cur, ([], []))
        elif line[:1] in "+-" and cur is not None:
            rules[cur][0 if line[0] == "-" else 1].append(line[1:])
        else:
            raise SystemExit(f"{path}: cannot read line: {line!r}")
    return only, rules


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: check-sync.py REFERENCE_SERIES OTHER_SERIES")
    ref_dir, oth_dir = Path(sys.argv[1]), Path(sys.argv[2])
    ref, oth = load_series(ref_dir), load_series(oth_dir)
    only, rules = load_adaptations(oth_dir / "adaptations")
    fail = False
    oth_by_subject = {s: (b, a) for s, b, a in oth}
    for subject, body, added in ref:
        if subject not in oth_by_subject:
            print(f"  -> FAIL {oth_dir.name} lacks: {subject}")
            fail = True
            continue
        obody, oadded = oth_by_subject[subject]
        want = Counter(added)
        drop, add = rules.get(subject, ([], []))
        for l in drop:
            if want[l] == 0:
                print(f"  -> FAIL adaptation of '{subject}' removes a line the reference "
                      f"does not add: {l!r}")
                fail = True
            want[l] -= 1
        want.update(add)
        want = +want
        got = Counter(oadded)
        problems = []
        if body != obody:
            problems.append("commit messages differ")
        if got != want:
            for l in sorted((want - got).elements()):
                problems.append(f"missing {l!r}")
            for l in sorted((got - want).elements()):
                problems.append(f"extra {l!r}")
        if problems:
            fail = True
            print(f"  -> FAIL {subject}")
            for p in problems[:20]:
                print(f"       | {p}")
        else:
            note = " (declared adaptations)" if subject in rules else ""
            print(f"  -> same change: {subject}{note}")
    ref_subjects = {s for s, _, _ in ref}
    for subject, _, _ in oth:
        if subject in ref_subjects:
            continue
        if subject in only:
            print(f"  -> only in {oth_dir.name} (declared): {subject}")
        else:
            print(f"  -> FAIL undeclared patch in {oth_dir.name}: {subject}")
            fail = True
    for subject in set(rules) | only:
        if subject not in {s for s, _, _ in oth}:
            print(f"  -> FAIL adaptations name a patch that does not exist: {subject}")
            fail = True
    sys.exit(1 if fail else 0)


if __name__ == "__main__":
    main()
