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
from snpneg.table import VERDICTS, load_kernels, load_table  # noqa: E402

NEED = {"mode": "SNPF_MODE", "guest": "SNPF_GUEST", "host": "SNPF_HOST",
        "reserved": "SNPF_RESERVED"}


def version_code(v):
    return v[0] << 16 | v[1] << 8 | v[2]


def render_kernels(kernels):
    """kernel-versions.tbl as a C table (the module's version table and
    the tool's preflight)."""
    out = ["/*",
           " * Guest kernels by release (kernel-versions.tbl): version codes as",
           " * KERNEL_VERSION() makes them, inclusive; whether the kernel checks",
           " * SEV-SNP features and lets IbpbOnEntry through; the SEV_STATUS bits it",
           " * implements, and those it implements only when built with 'config'.",
           " */",
           "#ifdef __KERNEL__",
           "#define SNPF_IS_ENABLED(option)\tIS_ENABLED(option)",
           "#else",
           "#define SNPF_IS_ENABLED(option)\t0\t/* not known outside the kernel */",
           "#endif",
           "",
           "enum snpf_who { SNPF_UPSTREAM, SNPF_SERIES };",
           "",
           "struct snpf_kernel {",
           "\tenum snpf_who who;",
           "\tunsigned int first, last;",
           "\tint check, ibpb;",
           "\tunsigned long long implements;",
           "\tunsigned long long config_implements;",
           "\tconst char *config;\t/* NULL when none */",
           "\tint config_on;\t\t/* built with it (always 0 outside the kernel) */",
           "};",
           "",
           "/* not every includer uses it */",
           "static const struct snpf_kernel snpf_kernels[] __attribute__((unused)) = {"]
    for k in kernels:
        always = sum(1 << b for b, c in k["implements"] if c is None)
        conds = {c for _, c in k["implements"] if c}
        if len(conds) > 1:
            raise SystemExit("kernel-versions.tbl: at most one CONFIG_ option a row")
        cond = next(iter(conds), None)
        ext = sum(1 << b for b, c in k["implements"] if c)
        f, l = k["first"], k["last"]
        out.append(f"\t{{ SNPF_{k['who'].upper()}, 0x{version_code(f):06x}, 0x{version_code(l):06x},"
                   f"\t/* {f[0]}.{f[1]}.{f[2]} to {l[0]}.{l[1]}.{l[2]} */")
        out.append(f"\t  {int(k['check'])}, {int(k['ibpb'])}, 0x{always:x}ULL, 0x{ext:x}ULL, "
                   + (f'"{cond}", SNPF_IS_ENABLED({cond}) }},' if cond else "NULL, 0 },"))
    out += ["};", ""]
    return out


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
    out += ["};", ""]
    out += render_kernels(load_kernels(bits=rows))
    out += ["/* What a kernel's feature check means for the running guest. */"]
    for k, v in VERDICTS.items():
        out.append(f'#define SNPF_VERDICT_{k} \\\n\t"{v}"')
    out += ["", "#endif /* SNP_FEATURES_TABLE_H */", ""]
    return "\n".join(out)


if __name__ == "__main__":
    generate.main("gen-module-table.py", load_table, render)
