#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""validate-json.py SCHEMA FILE...: each FILE holds one snp-features --json
output; exit 1 (and say why) if any is not valid JSON or breaks the schema."""
import json
import sys

try:
    import jsonschema
except ImportError:
    sys.exit("validate-json: python3-jsonschema is not installed")

schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
bad = 0
for path in sys.argv[2:]:
    try:
        doc = json.load(open(path))
    except ValueError as e:
        print(f"FAIL {path}: not JSON: {e}")
        bad += 1
        continue
    errs = list(v.iter_errors(doc))
    for e in errs[:3]:
        print(f"FAIL {path}: {e.message} at {list(e.absolute_path)}")
    bad += bool(errs)
sys.exit(1 if bad else 0)
