# SPDX-License-Identifier: GPL-2.0
"""Deliberate breaks of the patched tree, as data: the negative controls of
boot-negotiation (testing/harness/boot-negotiation/controls.py) and the
KUnit mutants (kunit/mutants.py). A break replaces one piece of text of
one file, which must occur there exactly once, so that a list of breaks
cannot go stale silently.

Shell callers (OPTIONS: --without-site SITE: only the breaks without that
site; --kind KIND: the texts for that kind of series, full (the default)
or fixes; --tree TREE: pick the first file of 'a|b' alternatives that
TREE has):
  python3 -m snpneg.breaks fields LIST.py [OPTIONS]
      one line per break: file, harness, case, failure, name (tab-separated)
  python3 -m snpneg.breaks upstream LIST.py
      one line per case of its UPSTREAM list: harness, case, failure, name
  python3 -m snpneg.breaks check|write TREE LIST.py [OPTIONS]
      apply every break of the list to TREE's files, in order (several in
      one file apply one after the other); 'check' writes nothing
  python3 -m snpneg.breaks caught RESULT_JSON CASE REGEX
      exit 0 if CASE failed in a harness's result.json and its first
      problem matches REGEX from its start
"""

import importlib.util
import json
import re
import sys
from pathlib import Path


class BreakError(Exception):
    pass


def replace_once(text, old, new, where):
    """TEXT with OLD, which must occur exactly once, replaced by NEW."""
    n = text.count(old)
    if n != 1:
        raise BreakError(f"cannot find {old!r} exactly once in {where} to break it "
                         f"(found {n} times)")
    return text.replace(old, new)


def load(path, name):
    """The list called NAME in the Python file PATH."""
    spec = importlib.util.spec_from_file_location(Path(path).stem, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return getattr(mod, name)


def resolve(tree, rel):
    """The first of the alternatives 'a|b' that TREE has (the first one
    without a TREE or when it has none of them)."""
    alts = rel.split("|")
    if tree is not None:
        for a in alts:
            if (Path(tree) / a).is_file():
                return a
    return alts[0]


def apply(tree, breaks, write=False):
    """Apply BREAKS (dicts with file, old, new) to TREE; {file: text}."""
    text = {}
    for b in breaks:
        rel = resolve(tree, b["file"])
        if rel not in text:
            text[rel] = (Path(tree) / rel).read_text()
        text[rel] = replace_once(text[rel], b["old"], b["new"], Path(tree) / rel)
    if write:
        for rel, t in text.items():
            (Path(tree) / rel).write_text(t)
    return text


def caught(result_json, case, regex):
    """Whether CASE failed in RESULT_JSON with a first problem that REGEX
    matches from its start (a missing file or case is not caught)."""
    try:
        data = json.loads(Path(result_json).read_text())
    except OSError:
        return False
    except ValueError as e:
        raise SystemExit(f"{result_json}: not JSON ({e}): a harness wrote it wrongly")
    cases = data.get("cases") if isinstance(data, dict) else None
    if not isinstance(cases, list) or not all(isinstance(c, dict) and "name" in c
                                               for c in cases):
        raise SystemExit(f"{result_json}: want {{\"cases\": [{{\"name\": ...}}, ...]}}")
    problems = {c["name"]: c for c in cases}.get(case, {}).get("problems") or []
    return bool(problems and re.match(regex, str(problems[0])))


def options(argv):
    """(positional arguments, {option: value}) of a command line."""
    opts, rest = {}, []
    it = iter(argv)
    for a in it:
        if a in ("--without-site", "--kind", "--tree"):
            v = next(it, None)
            if v is None:
                raise SystemExit(f"{a} needs a value")
            opts[a[2:]] = v
        else:
            rest.append(a)
    return rest, opts


def for_kind(c, kind):
    """Control C with its per-kind texts ({"full": ..., "fixes": ...})
    resolved for KIND; None if C has none for it."""
    c = dict(c)
    for k in ("old", "new"):
        if isinstance(c.get(k), dict):
            if kind not in c[k]:
                return None
            c[k] = c[k][kind]
    return c


KINDS = ("full", "fixes")


def selected(path, opts):
    kind = opts.get("kind", "full")
    if kind not in KINDS:
        raise SystemExit(f"--kind {kind}: want one of {', '.join(KINDS)}")
    out = [for_kind(c, kind) for c in load(path, "CONTROLS")
           if c.get("site") != opts.get("without-site", object())]
    return [c for c in out if c is not None]


def main(argv):
    argv, opts = options(argv)
    if len(argv) == 2 and argv[0] == "fields":
        for c in selected(argv[1], opts):
            row = [resolve(opts.get("tree"), c["file"])] + [
                c[k] for k in ("harness", "case", "failure", "name")]
            if "\t" in "".join(row):
                raise SystemExit(f"{argv[1]}: a tab in control {c['name']!r}")
            print("\t".join(row))
        return 0
    if len(argv) == 2 and argv[0] == "upstream":
        for c in load(argv[1], "UPSTREAM"):
            print("\t".join(c[k] for k in ("harness", "case", "failure", "name")))
        return 0
    if len(argv) == 3 and argv[0] in ("check", "write"):
        try:
            apply(argv[1], selected(argv[2], opts), write=argv[0] == "write")
        except (BreakError, OSError) as e:
            raise SystemExit(f"error: {e}")
        return 0
    if len(argv) == 4 and argv[0] == "caught":
        return 0 if caught(*argv[1:]) else 1
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
