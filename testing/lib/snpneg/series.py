# SPDX-License-Identifier: GPL-2.0
"""Reading a patch series directory: its order, subjects and added lines."""

import re
from pathlib import Path


def patch_names(series):
    """Patch file names in the order of the directory's 'series' file."""
    series = Path(series)
    lst = series / "series"
    if not lst.is_file():
        raise SystemExit(f"{series}: no 'series' file")
    return [l.strip() for l in lst.read_text().splitlines()
            if l.strip() and not l.startswith("#")]


def parse_patch(path):
    """(subject, commit message body, lines added) of one mbox patch."""
    text = Path(path).read_text()
    head, _, diff = text.partition("\n---\n")
    m = re.search(r"^Subject: (?:\[PATCH[^\]]*\] )?(.*(?:\n .*)*)", head, re.M)
    if not m:
        raise SystemExit(f"{path}: no Subject: line")
    subject = re.sub(r"\n ", " ", m.group(1)).strip()
    body = head[head.index("\n\n", m.end()) + 2:] if "\n\n" in head[m.end():] else ""
    added = [line[1:] for line in diff.splitlines()
             if line.startswith("+") and not line.startswith("+++ ")]
    return subject, body.strip(), added


def load_series(series):
    return [parse_patch(Path(series) / n) for n in patch_names(series)]


def added_lines(series, path):
    """Lines the patches of a series add to one file, in order."""
    out = []
    for name in patch_names(series):
        cur = None
        for line in (Path(series) / name).read_text().splitlines():
            if line.startswith("+++ "):
                cur = line[6:] if line.startswith("+++ b/") else None
            elif line.startswith("diff --git"):
                cur = None
            elif cur == path and line.startswith("+"):
                out.append(line[1:])
    return out


KINDS = ("full", "fixes", "prereq")


def series_kind(series):
    """What a series carries, from its 'kind' file: 'full' (the whole
    feature), 'fixes' (our fixes alone, for kernels with upstream's
    version) or 'prereq' (a test-only stand-in for an upstream commit)."""
    path = Path(series) / "kind"
    if not path.is_file():
        raise SystemExit(f"{path} is missing (one of {', '.join(KINDS)})")
    words = [w for line in path.read_text().splitlines()
             for w in line.split("#", 1)[0].split()]
    if len(words) != 1 or words[0] not in KINDS:
        raise SystemExit(f"{path}: want one of {', '.join(KINDS)}; got {' '.join(words)!r}")
    return words[0]
