#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check every series against the one table of SEV_STATUS bits.

check-table.py TABLE SERIES_DIR...

For each series, from the lines its patches add:
  - msr-index.h: every feature and reserved macro of the table is defined,
    with exactly the bits the table gives it, and nothing else is defined
    under MSR_AMD64_SNP_;
  - sev.h: SNP_FEATURES_IMPL_REQ lists exactly the macros whose bits need
    guest support or are reserved;
  - amd-memory-encryption.rst: the feature table has one row per table
    entry above bit 2, with the same bits, name and "needs guest support";
  - the KUnit suite's model of the bits is this table, row by row;
  - together, the table's entries cover bits 0..63 exactly once.
Prints one line per series and check; exits 1 on any mismatch.
"""

import re
import sys
from pathlib import Path


def load_table(path):
    rows = []
    for line in Path(path).read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        bits, macro, apm, short, guest = line.split()
        lo, _, hi = bits.partition("-")
        lo, hi = int(lo), int(hi or lo)
        if guest not in ("mode", "yes", "no", "reserved"):
            raise SystemExit(f"{path}: bad guest column '{guest}' for {macro}")
        rows.append(dict(lo=lo, hi=hi, macro=macro, apm=apm, short=short,
                         guest=guest, mask=((1 << (hi + 1)) - 1) & ~((1 << lo) - 1)))
    return rows


def check_coverage(rows):
    seen = 0
    for r in rows:
        if seen & r["mask"]:
            return f"{r['macro']} overlaps another entry"
        seen |= r["mask"]
    if seen != (1 << 64) - 1:
        return f"bits not covered: {((1 << 64) - 1) & ~seen:#x}"
    return None


def added_lines(series, path):
    """Lines added to path by the patches of a series, in order."""
    out = []
    names = [l.strip() for l in (series / "series").read_text().splitlines()
             if l.strip() and not l.startswith("#")]
    for name in names:
        cur = None
        for line in (series / name).read_text().splitlines():
            if line.startswith("+++ "):
                cur = line[6:] if line.startswith("+++ b/") else None
            elif line.startswith("diff --git"):
                cur = None
            elif cur == path and line.startswith("+"):
                out.append(line[1:])
    return out


def eval_mask(expr):
    expr = expr.strip()
    m = re.fullmatch(r"BIT_ULL\((\d+)\)", expr)
    if m:
        return 1 << int(m.group(1))
    m = re.fullmatch(r"GENMASK_ULL\((\d+),\s*(\d+)\)", expr)
    if m:
        hi, lo = int(m.group(1)), int(m.group(2))
        return ((1 << (hi + 1)) - 1) & ~((1 << lo) - 1)
    raise ValueError(expr)


def check_msr_index(rows, series):
    defs = {}
    for line in added_lines(series, "arch/x86/include/asm/msr-index.h"):
        m = re.match(r"^#define\s+(MSR_AMD64_SNP_\w+)\s+(.*?)\s*$", line)
        if m:
            try:
                defs[m.group(1)] = eval_mask(m.group(2))
            except ValueError:
                return f"{m.group(1)}: cannot read value '{m.group(2)}'"
    errs = []
    want = {r["macro"]: r["mask"] for r in rows if r["guest"] != "mode"}
    for macro, mask in want.items():
        if macro not in defs:
            errs.append(f"{macro} not defined")
        elif defs[macro] != mask:
            errs.append(f"{macro} is {defs[macro]:#x}, table says {mask:#x}")
    for macro in defs:
        if macro not in want:
            errs.append(f"{macro} defined but not in the table")
    return "; ".join(errs) or None


def check_impl_req(rows, series):
    text = "\n".join(added_lines(series, "arch/x86/include/asm/sev.h"))
    m = re.search(r"#define\s+SNP_FEATURES_IMPL_REQ\s*\((.*?)\)\s*\n", text, re.S)
    if not m:
        return "SNP_FEATURES_IMPL_REQ not found"
    got = set(re.findall(r"\b(MSR_AMD64_\w+)\b", m.group(1)))
    want = {r["macro"] for r in rows if r["guest"] in ("yes", "reserved")}
    errs = [f"missing {x}" for x in sorted(want - got)]
    errs += [f"should not list {x}" for x in sorted(got - want)]
    return "; ".join(errs) or None


def check_doc(rows, series):
    lines = added_lines(series, "Documentation/x86/amd-memory-encryption.rst")
    doc = []
    for line in lines:
        m = re.match(r"^bits? (\d+)(?:-(\d+))?\s+(\S+)\s+(yes|no)\b", line)
        if m:
            lo = int(m.group(1))
            hi = int(m.group(2) or lo)
            doc.append((lo, hi, m.group(3), m.group(4)))
    want = [(r["lo"], r["hi"], r["apm"], "no" if r["guest"] == "no" else "yes")
            for r in rows if r["guest"] != "mode"]
    if doc != want:
        missing = [w for w in want if w not in doc]
        extra = [d for d in doc if d not in want]
        return f"documentation table differs: missing {missing}, unexpected {extra}"
    return None


KUNIT_TEST = "arch/x86/coco/sev/snp_features_kunit.c"


def check_kunit_model(rows, series):
    """The KUnit suite's own model of the bits must be this table."""
    need = {"MODE": "mode", "GUEST": "yes", "HOST": "no", "RESERVED": "reserved"}
    got = []
    for line in added_lines(series, KUNIT_TEST):
        m = re.match(r'^\s*\{\s*(\d+),\s*(\d+),\s*"([^"]+)",\s*(\w+)\s*\},', line)
        if m:
            got.append((int(m.group(1)), int(m.group(2)), m.group(3),
                        need.get(m.group(4), m.group(4))))
    if not got:
        return f"no model table found in {KUNIT_TEST}"
    want = [(r["lo"], r["hi"], r["apm"], r["guest"]) for r in rows]
    if got != want:
        missing = [w for w in want if w not in got]
        extra = [g for g in got if g not in want]
        return f"KUnit model differs: missing {missing}, unexpected {extra}"
    return None


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: check-table.py TABLE SERIES_DIR...")
    rows = load_table(sys.argv[1])
    fail = 0
    err = check_coverage(rows)
    print(f"  -> table covers bits 0-63 once: {'ok' if not err else 'FAIL: ' + err}")
    fail |= bool(err)
    for s in sys.argv[2:]:
        series = Path(s)
        for name, fn in (("msr-index.h bits", check_msr_index),
                         ("SNP_FEATURES_IMPL_REQ", check_impl_req),
                         ("documentation table", check_doc),
                         ("KUnit model", check_kunit_model)):
            err = fn(rows, series)
            fail |= bool(err)
            print(f"  -> {series.name}: {name}: {'ok' if not err else 'FAIL: ' + err}")
    sys.exit(1 if fail else 0)


if __name__ == "__main__":
    main()
