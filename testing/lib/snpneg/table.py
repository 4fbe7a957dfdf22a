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
