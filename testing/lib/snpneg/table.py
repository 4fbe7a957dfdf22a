# SPDX-License-Identifier: GPL-2.0
"""The project's one table of SEV_STATUS bits: sev-features.tbl."""

from pathlib import Path

TOP = Path(__file__).resolve().parents[3]
DEFAULT = TOP / "sev-features.tbl"
NEED_VALUES = ("mode", "guest", "host", "reserved")


def bitmask(lo, hi):
    return ((1 << (hi + 1)) - 1) & ~((1 << lo) - 1)


def load_table(path=DEFAULT):
    """Rows of the table as dicts: lo, hi, macro, apm, short, need, mask."""
    rows = []
    for n, line in enumerate(Path(path).read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split()
        if len(fields) != 5:
            raise SystemExit(f"{path}:{n}: expected 5 columns, got {len(fields)}")
        bits, macro, apm, short, need = fields
        lo, _, hi = bits.partition("-")
        try:
            lo, hi = int(lo), int(hi or lo)
        except ValueError:
            raise SystemExit(f"{path}:{n}: bad bit range '{bits}'") from None
        if not 0 <= lo <= hi <= 63:
            raise SystemExit(f"{path}:{n}: bit range '{bits}' outside 0-63")
        if need not in NEED_VALUES:
            raise SystemExit(f"{path}:{n}: bad need column '{need}' for {macro}"
                             f" (one of {', '.join(NEED_VALUES)})")
        rows.append(dict(lo=lo, hi=hi, macro=macro, apm=apm, short=short,
                         need=need, mask=bitmask(lo, hi)))
    return rows


def coverage_error(rows):
    """None if the rows cover bits 0..63 exactly once, else what is wrong."""
    seen = 0
    for r in rows:
        if seen & r["mask"]:
            return f"{r['macro']} overlaps another entry"
        seen |= r["mask"]
    if seen != (1 << 64) - 1:
        return f"bits not covered: {((1 << 64) - 1) & ~seen:#x}"
    return None


def needs_guest_mask(rows):
    """Bits a guest must implement to run with them: features and reserved."""
    m = 0
    for r in rows:
        if r["need"] in ("guest", "reserved"):
            m |= r["mask"]
    return m


REASONS = TOP / "reason-codes.tbl"
SET_NAMES = {0: ("SEV_TERM_SET_GEN", "GHCB specification, general"),
             1: ("SEV_TERM_SET_LINUX", "Linux guest")}


def load_reasons(path=REASONS):
    """Rows of the reason table as dicts: set, code, macro, text. Sets are
    numbered from 0 and codes from 0 within each set, without gaps."""
    rows = []
    for n, line in enumerate(Path(path).read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split(None, 3)
        if len(fields) != 4 or not fields[0].isdigit() or not fields[1].isdigit():
            raise SystemExit(f"{path}:{n}: want 'SET CODE MACRO TEXT', not {line!r}")
        s, c = int(fields[0]), int(fields[1])
        if s not in SET_NAMES:
            raise SystemExit(f"{path}:{n}: reason set {s} has no name (SET_NAMES)")
        want = sum(1 for r in rows if r["set"] == s)
        if c != want:
            raise SystemExit(f"{path}:{n}: set {s} code {c}: codes must run from 0 without gaps")
        if '"' in fields[3] or "\\" in fields[3]:
            raise SystemExit(f"{path}:{n}: no quotes or backslashes in the text")
        rows.append(dict(set=s, code=c, macro=fields[2], text=fields[3].strip()))
    return rows


# What a kernel's feature check means for the running guest: the verdict
# sentences of the module's files, the tool's status and the test fixtures.
VERDICTS = {
    "NOT_ACTIVE": "SEV-SNP is not active: the kernel's feature check does not apply",
    "NOT_ENFORCED": "this kernel does not check SEV-SNP features: it runs, "
                    "but features it lacks may fail later",
    "REFUSE": "this kernel would refuse to run with these features",
    "RUNS": "this kernel runs with what is enabled",
}
