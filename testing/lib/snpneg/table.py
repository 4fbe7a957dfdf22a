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


KERNELS = TOP / "kernel-versions.tbl"


def version_tuple(v):
    """(major, minor, sublevel) of "6.1.9"; SystemExit on anything else."""
    parts = v.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or int(parts[2]) > 255:
        raise SystemExit(f"{KERNELS.name}: bad version '{v}' (want X.Y.Z, Z at most 255)")
    return tuple(int(p) for p in parts)


def load_kernels(path=KERNELS, bits=None):
    """Rows of the kernel table as dicts: who, first, last (version
    tuples), check, ibpb (bools), implements [(bit, config or None)].
    Rows of one 'who' are in order and do not overlap."""
    bits = bits or load_table()
    by_name = {r["apm"]: r for r in bits}
    rows = []
    for n, line in enumerate(Path(path).read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        f = line.split()
        if len(f) != 6 or f[0] not in ("upstream", "series") or \
                f[3] not in ("yes", "no") or f[4] not in ("yes", "no"):
            raise SystemExit(f"{path}:{n}: want 'WHO FIRST LAST CHECK IBPB IMPLEMENTS', not {line!r}")
        impl = []
        for item in ([] if f[5] == "-" else f[5].split(",")):
            name, _, config = item.partition("@")
            row = by_name.get(name)
            if not row or row["need"] != "guest" or row["lo"] != row["hi"]:
                raise SystemExit(f"{path}:{n}: '{name}' is not a feature of sev-features.tbl "
                                 "that needs guest support")
            if config and not config.startswith("CONFIG_"):
                raise SystemExit(f"{path}:{n}: '{item}': a condition is a CONFIG_ option")
            impl.append((row["lo"], config or None))
        r = dict(who=f[0], first=version_tuple(f[1]), last=version_tuple(f[2]),
                 check=f[3] == "yes", ibpb=f[4] == "yes", implements=impl)
        if r["first"] > r["last"]:
            raise SystemExit(f"{path}:{n}: {f[1]} comes after {f[2]}")
        prev = [p for p in rows if p["who"] == r["who"]]
        if prev and prev[-1]["last"] >= r["first"]:
            raise SystemExit(f"{path}:{n}: overlaps or precedes the row before it")
        rows.append(r)
    return rows


def kernel_row(rows, version, who="upstream"):
    """The row of WHO whose range holds VERSION (a tuple), or None."""
    for r in rows:
        if r["who"] == who and r["first"] <= version <= r["last"]:
            return r
    return None


def refused_mask(rows_bits, krow, config=()):
    """SEV_STATUS bits 3..63 that a kernel of row KROW refuses, built with
    the options in CONFIG: what needs guest support or is reserved, less
    what it implements, and IbpbOnEntry unless it lets it through."""
    if not krow["check"]:
        return 0
    m = needs_guest_mask(rows_bits)
    for bit, cond in krow["implements"]:
        if cond is None or cond in config:
            m &= ~(1 << bit)
    if not krow["ibpb"]:
        m |= 1 << 23
    return m
