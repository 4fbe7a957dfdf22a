#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Generate snp_features_table.h (module/ and selftests/) from sev-features.tbl.

gen-module-table.py TABLE OUT      write OUT
gen-module-table.py TABLE OUT --check
                                   exit 1 if OUT is not what TABLE gives

The module ships the generated header (DKMS builds need no Python); the
check keeps it in step with the table.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "testing/lib"))
from snpneg import generate  # noqa: E402
from snpneg.table import VERDICTS, load_table  # noqa: E402

NEED = {"mode": "SNPF_MODE", "guest": "SNPF_GUEST", "host": "SNPF_HOST",
        "reserved": "SNPF_RESERVED"}


def render(rows):
    out = ["/* SPDX-License-Identifier: GPL-2.0 */",
           "/*",
           " * Generated from sev-features.tbl by scripts/gen-module-table.py.",
           " * Do not edit; change the table and regenerate.",
           " */",
           "#ifndef SNP_FEATURES_TABLE_H",
           "#define SNP_FEATURES_TABLE_H",
           "",
           "enum snpf_need { SNPF_MODE, SNPF_GUEST, SNPF_HOST, SNPF_RESERVED };",
           "",
           "struct snpf_bits {",
           "\tunsigned int lo, hi;\t/* SEV_STATUS bits, inclusive */",
           "\tconst char *name;\t/* APM name */",
           "\tconst char *short_name;\t/* Linux short name, \"-\" if none */",
           "\tenum snpf_need need;",
           "};",
           "",
           "static const struct snpf_bits snpf_table[] = {"]
    for r in rows:
        out.append(f'\t{{ {r["lo"]:2}, {r["hi"]:2}, "{r["apm"]}", "{r["short"]}", '
                   f'{NEED[r["need"]]} }},')
    out += ["};", "",
            "/* What a kernel's feature check means for the running guest. */"]
    for k, v in VERDICTS.items():
        out.append(f'#define SNPF_VERDICT_{k} \\\n\t"{v}"')
    out += ["", "#endif /* SNP_FEATURES_TABLE_H */", ""]
    return "\n".join(out)


if __name__ == "__main__":
    generate.main("gen-module-table.py", load_table, render)
