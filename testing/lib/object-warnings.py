#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""object-warnings.py LOG DIAGDIR PREFIX...

Split a kbuild log made with 'make -Otarget' (each target's output in one
piece, its "  CC      path.o" line first) into the warnings of each object
that was compiled, and those of nothing in particular (configuration,
prepare, objtool's own build).

For every object the log shows compiled, DIAGDIR/<object path, '/' as
'%'>.w is replaced by its warnings; the other warnings go to standard
output. Warnings are normalised: PREFIXes (the tree, the output
directory) removed from paths, line and column numbers dropped, so that
a warning is the same text before and after an unrelated change moves
it. An object the log does not show keeps its file: the warnings of its
last compile, which an unchanged object would repeat.
"""

import re
import sys
from pathlib import Path

ECHO = re.compile(r"^  ([A-Z][A-Z0-9_]*)(?: \[M\])?\s+(\S+)\s*$")
DIAG = re.compile(r"(warning|error):")


def normalise(line, prefixes):
    for p in prefixes:
        line = line.replace(p.rstrip("/") + "/", "")
    line = re.sub(r":\d+:\d+:", ":", line, count=1)
    return re.sub(r":\d+:", ":", line, count=1)


def split(text, prefixes):
    """({object: [warnings]} for every compiled object, [other warnings])."""
    objects, other, current = {}, [], None
    for line in text.splitlines():
        m = ECHO.match(line)
        if m:
            tag, path = m.groups()
            if tag == "CC" and path.endswith(".o"):
                current = normalise(path, prefixes)
                objects.setdefault(current, [])
            elif tag != "CHECK":  # sparse runs in the compile's own recipe
                current = None
            continue
        if not DIAG.search(line):
            continue
        warning = normalise(line, prefixes)
        (objects[current] if current else other).append(warning)
    return objects, other


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: object-warnings.py LOG DIAGDIR PREFIX...")
    log, diag, prefixes = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
    objects, other = split(log.read_text(errors="replace"), prefixes)
    diag.mkdir(parents=True, exist_ok=True)
    for obj, warnings in objects.items():
        (diag / (obj.replace("/", "%") + ".w")).write_text(
            "".join(w + "\n" for w in sorted(set(warnings))))
    sys.stdout.write("".join(w + "\n" for w in sorted(set(other))))


if __name__ == "__main__":
    main()
