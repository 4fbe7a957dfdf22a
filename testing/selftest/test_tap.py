# SPDX-License-Identifier: GPL-2.0
"""Fixture test of the one TAP/KTAP reader (testing/lib/snpneg/console.py)
and its users: the kselftest verdict of guest and stress logs, and the
KUnit suite's verdict per module load that kunit-mutants reads.
Run: python3 test_tap.py [LIB_DIR] (exit 1 on any mismatch)."""

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIB = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent / "lib"
sys.path.insert(0, str(LIB))
from snpneg import console  # noqa: E402

spec = importlib.util.spec_from_file_location(
    "mutants_run", HERE.parent / "harness/kunit-mutants/run.py")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from fixture_check import check, exit_status  # noqa: E402


KTAP = """KTAP version 1
1..1
    KTAP version 1
    # Subtest: snp_features
    1..3
    ok 1 snp_features_mask
    not ok 2 - snp_features_reserved
    ok 3 snp_features_random # SKIP no entropy
# snp_features: pass:1 fail:1 skip:1 total:3
[    2.345678] not ok 1 snp_features
"""
check("KTAP: nested results, dash, directive, timestamp",
      [(r["depth"], r["ok"], r["number"], r["name"], r["directive"], r["reason"])
       for r in console.results(KTAP)],
      [(4, True, 1, "snp_features_mask", None, ""),
       (4, False, 2, "snp_features_reserved", None, ""),
       (4, True, 3, "snp_features_random", "SKIP", "no entropy"),
       (0, False, 1, "snp_features", None, "")])

TAP = ("SNPF-TAP-BEGIN\nTAP version 13\n1..4\nok 1 status reads\n"
       "not ok 2 every file reads: json # TODO\nok 3 lockdown # SKIP not locked down\n"
       "ok 4 bits\nSNPF-TAP-END rc=1\n")
res, problems = console.kselftest(TAP)
check("kselftest: counts by verdict and SKIP",
      (res["passed"], res["failed"], res["skipped"], res["planned"]), (2, 1, 1, 4))
check("kselftest: a failed case and the exit code are problems", problems,
      ["kselftest: every file reads: json # TODO", "kselftest exit code 1"])
res, problems = console.kselftest(TAP.replace("1..4", "1..5").replace("rc=1", "rc=0"))
check("kselftest: fewer results than planned is a problem",
      "kselftest ran 4 of 5" in problems, True)

mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
LOG = ("SNPNEG-MUTANT-BEGIN orig\n" + KTAP.replace("not ok 1 snp_features", "ok 1 snp_features") +
       "SNPNEG-MUTANT-BEGIN 3\n" + KTAP +
       "SNPNEG-MUTANT-BEGIN 4\n    ok 1 snp_features_mask\n")
check("kunit-mutants: the suite's verdict per module load, none without one",
      mod.verdicts(LOG), {"orig": "pass", "3": "fail"})

sys.exit(exit_status())
