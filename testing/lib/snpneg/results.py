# SPDX-License-Identifier: GPL-2.0
"""Results of checks as data, and the one summary that prints them.

A check's result is a CheckResult; the runner (scripts/run-checks)
writes each one as JSON (RESULTS_DIR/NAME.json) as soon as the check
ends, and the run as a whole as RESULTS_DIR/summary.json. 'make check'
prints its table through summary(), 'make matrix' records its cells
with 'record' and prints them through matrix_table(), 'make bench'
reads its timed runs through load(); all end with counts_line(). No
script reads another's printed output.
"""

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Optional

PASS, FAIL = "pass", "FAIL"


@dataclass
class CheckResult:
    name: str
    status: str                      # PASS or FAIL
    wall: int                        # seconds
    cpu: Optional[int]               # seconds of user + system time; None: not measured
    target: str = ""                 # the tree's name in a matrix, else ""
    tree: str = ""                   # path of the tree, for tree checks
    series: str = ""                 # series directory, for tree checks
    description: str = ""
    log: str = ""                    # where its output is, if not on the console
    extra: dict = field(default_factory=dict)

    @property
    def passed(self):
        return self.status == PASS


def write(result, directory):
    """RESULTS_DIR/NAME.json (TARGET-NAME.json in a matrix), atomically."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{result.target}-{result.name}" if result.target else result.name
    tmp = directory / f".{name}.json.tmp"
    tmp.write_text(json.dumps(asdict(result), indent=1) + "\n")
    os.replace(tmp, directory / f"{name}.json")


def write_summary(results, directory, **about):
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    data = dict(about, passed=sum(r.passed for r in results),
                failed=sum(not r.passed for r in results),
                checks=[asdict(r) for r in results])
    tmp = directory / ".summary.json.tmp"
    tmp.write_text(json.dumps(data, indent=1) + "\n")
    os.replace(tmp, directory / "summary.json")


def load(directory):
    """The CheckResults of a run's summary.json, in the order run."""
    data = json.loads((Path(directory) / "summary.json").read_text())
    return [CheckResult(**c) for c in data["checks"]]


def counts_line(results):
    """The closing line every runner prints: 'N passed, N failed'."""
    passed = sum(r.passed for r in results)
    return f"{passed} passed, {len(results) - passed} failed"


def summary(results, title):
    """Print the table of a run and the closing line."""
    names = [f"{r.target}/{r.name}" if r.target else r.name for r in results]
    w = max([18] + [len(n) for n in names])
    print(f"\n==> {title}", flush=True)
    print(f"  {'':<4} {'wall':>6} {'cpu':>6}  {'check':<{w}}")
    for r, name in zip(results, names):
        cpu = "-" if r.cpu is None else f"{r.cpu}s"
        print(f"  {r.status:<4} {r.wall:>5}s {cpu:>6}  {name:<{w}} {r.description}")
    print()
    print(counts_line(results), flush=True)


def matrix_table(results):
    """Print checks x targets (status and wall time) and the closing line."""
    targets = list(dict.fromkeys(r.target for r in results))
    checks = list(dict.fromkeys(r.name for r in results))
    cell = {(r.target, r.name): f"{r.status} {r.wall}s" for r in results}
    print(f"\n{'check':<17}" + "".join(f" {t:<14}" for t in targets))
    for c in checks:
        print(f"{c:<17}" + "".join(f" {cell.get((t, c), '-'):<14}" for t in targets))
    print()
    print(counts_line(results), flush=True)


def main(argv):
    """Shell callers' interface:
      python3 -m snpneg.results record DIR NAME STATUS WALL [TARGET [LOG]]
      python3 -m snpneg.results matrix DIR    (every result in DIR as a table)
    'matrix' exits 1 if any result failed."""
    if len(argv) >= 5 and argv[0] == "record":
        d, name, status, wall = argv[1:5]
        target, log = (argv[5:7] + ["", ""])[:2]
        if status not in (PASS, FAIL) or not wall.isdigit():
            raise SystemExit(f"snpneg.results: bad result {status!r} {wall!r}")
        write(CheckResult(name=name, status=status, wall=int(wall), cpu=None, target=target,
                          log=log), d)
        return 0
    if len(argv) == 2 and argv[0] == "matrix":
        # In the order recorded: targets and checks as the matrix ran them.
        files = sorted((p for p in Path(argv[1]).glob("*.json") if p.name != "summary.json"),
                       key=lambda p: p.stat().st_mtime_ns)
        results = [CheckResult(**json.loads(p.read_text())) for p in files]
        write_summary(results, argv[1])
        matrix_table(results)
        return 0 if all(r.passed for r in results) else 1
    raise SystemExit(main.__doc__)


if __name__ == "__main__":
    import sys
    sys.exit(main(sys.argv[1:]))
