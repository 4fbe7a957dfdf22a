#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Generate tools/snp-features/snpf_reasons.h from reason-codes.tbl.

gen-reason-table.py TABLE OUT      write OUT
gen-reason-table.py TABLE OUT --check
                                   exit 1 if OUT is not what TABLE gives
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "testing/lib"))
from snpneg import generate  # noqa: E402
from snpneg.table import SET_NAMES, load_reasons  # noqa: E402


def render(rows):
    out = ["/* SPDX-License-Identifier: GPL-2.0 */",
           "/*",
           " * Generated from reason-codes.tbl by scripts/gen-reason-table.py.",
           " * Do not edit; change the table and regenerate.",
           " */",
           "#ifndef SNPF_REASONS_H",
           "#define SNPF_REASONS_H",
           ""]
    for s, (macro, name) in sorted(SET_NAMES.items()):
        codes = [r for r in rows if r["set"] == s]
        out.append(f"/* reason set {s}, {macro}: {name} */")
        out.append(f"static const char *const snpf_set{s}_codes[] = {{")
        for r in codes:
            out.append(f'\t"{r["text"]}",\t/* {r["code"]}: {r["macro"]} */')
        out += ["};", ""]
    out.append("static const struct snpf_reason_set {")
    out.append("\tconst char *name;")
    out.append("\tconst char *const *codes;")
    out.append("\tunsigned int ncodes;")
    out.append("} snpf_reason_sets[] = {")
    for s, (macro, name) in sorted(SET_NAMES.items()):
        out.append(f'\t{{ "{name}", snpf_set{s}_codes,')
        out.append(f"\t  sizeof(snpf_set{s}_codes) / sizeof(snpf_set{s}_codes[0]) }},")
    out += ["};", "", "#endif /* SNPF_REASONS_H */", ""]
    return "\n".join(out)


if __name__ == "__main__":
    generate.main("gen-reason-table.py", load_reasons, render)
