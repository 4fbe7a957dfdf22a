#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Remove a backported SEV-SNP feature negotiation from a kernel tree.

Debian's linux-source-6.1 already carries the upstream implementation of
SEV-SNP feature negotiation as a stable backport. To test our own series on
that tree, the in-tree implementation is taken out first. This script finds
it by symbol names and C structure (macro definitions with their
continuation lines, function bodies by brace matching, the comment block
that introduces each of them, call statements) and deletes it. It carries no
upstream text: what it removes is whatever the tree has under those names.

Every removal must find what it looks for; anything unexpected is an error
and the tree is left untouched (all edits are computed first, then written).

Usage: strip-intree-negotiation.py KSRC
"""

import re
import sys
from pathlib import Path


class StripError(Exception):
    pass


def is_comment_end(line):
    return line.rstrip().endswith("*/")


def comment_start(lines, end):
    """Index of the first line of the comment block ending on line end."""
    i = end
    while i >= 0:
        if lines[i].lstrip().startswith("/*"):
            return i
        i -= 1
    raise StripError("unterminated comment block")


def extend_with_leading_comment(lines, start):
    """Widen [start, ...) to the comment block directly above it, if any."""
    if start > 0 and is_comment_end(lines[start - 1]):
        return comment_start(lines, start - 1)
    return start


def drop_one_blank(lines, start, end):
    """Keep blank lines balanced: remove one blank line around the range."""
    if end < len(lines) and lines[end].strip() == "" and \
            (start == 0 or lines[start - 1].strip() == ""):
        return start, end + 1
    if start > 0 and lines[start - 1].strip() == "" and \
            (end >= len(lines) or lines[end].strip() == "" or
             lines[end].startswith("}") or lines[end].startswith("#")):
        return start - 1, end
    return start, end


def macro_range(lines, name):
    """[start, end) of '#define name' including continuation lines."""
    pat = re.compile(r"^#\s*define\s+" + re.escape(name) + r"\b")
    hits = [i for i, l in enumerate(lines) if pat.match(l)]
    if len(hits) != 1:
        raise StripError(f"#define {name}: found {len(hits)} times")
    end = hits[0]
    while lines[end].rstrip().endswith("\\"):
        end += 1
    return hits[0], end + 1


def function_range(lines, name):
    """[start, end) of the definition of function name (not prototypes)."""
    pat = re.compile(r"\b" + re.escape(name) + r"\s*\(")
    for i, l in enumerate(lines):
        if not pat.search(l) or l.startswith((" ", "\t")):
            continue
        # Find the line that ends the parameter list: '{' or ';' decides.
        j = i
        while j < len(lines) and not re.search(r"[;{]\s*$", lines[j]):
            j += 1
        if j >= len(lines) or lines[j].rstrip().endswith(";"):
            continue
        if j + 1 < len(lines) and lines[j].rstrip().endswith(")"):
            j += 1
        depth = 0
        k = i
        while k < len(lines):
            depth += lines[k].count("{") - lines[k].count("}")
            if depth == 0 and "}" in lines[k]:
                return i, k + 1
            k += 1
        raise StripError(f"{name}(): unbalanced braces")
    raise StripError(f"{name}(): no definition found")


def statement_range(lines, regex):
    """[start, end) of the one statement matching regex (and its body)."""
    pat = re.compile(regex)
    hits = [i for i, l in enumerate(lines) if pat.search(l)]
    if len(hits) != 1:
        raise StripError(f"statement /{regex}/: found {len(hits)} times")
    i = hits[0]
    end = i
    # An 'if (...)' without braces owns the next line.
    if re.match(r"^\s*if\s*\(", lines[i]) and not lines[i].rstrip().endswith("{"):
        end = i + 1
    return i, end + 1


def line_ranges(lines, regex, want):
    pat = re.compile(regex)
    hits = [(i, i + 1) for i, l in enumerate(lines) if pat.search(l)]
    if len(hits) != want:
        raise StripError(f"/{regex}/: found {len(hits)} lines, expected {want}")
    return hits


def remove(lines, ranges):
    keep = [True] * len(lines)
    for start, end in ranges:
        for i in range(start, end):
            keep[i] = False
    return [l for l, k in zip(lines, keep) if k]


class Edit:
    def __init__(self, root, rel):
        self.path = root / rel
        if not self.path.is_file():
            raise StripError(f"{rel}: no such file")
        self.rel = rel
        self.lines = self.path.read_text().splitlines(keepends=True)

    def apply(self, ranges):
        self.lines = remove(self.lines, ranges)

    def cut(self, start, end, comment=True):
        if comment:
            start = extend_with_leading_comment(self.lines, start)
        start, end = drop_one_blank(self.lines, start, end)
        self.apply([(start, end)])

    def macro(self, name, comment=True):
        self.cut(*macro_range(self.lines, name), comment=comment)

    def function(self, name):
        self.cut(*function_range(self.lines, name))

    def statement(self, regex):
        self.cut(*statement_range(self.lines, regex))

    def text(self):
        return "".join(self.lines)


def strip_msr_index(e):
    """All MSR_AMD64_SNP_* feature bit definitions, with their comments."""
    pat = re.compile(r"^#define\s+MSR_AMD64_SNP_\w+")
    hits = [i for i, l in enumerate(e.lines) if pat.match(l)]
    if not hits:
        raise StripError(f"{e.rel}: no MSR_AMD64_SNP_* definitions")
    ranges = []
    for i in hits:
        ranges.append((extend_with_leading_comment(e.lines, i), i + 1))
    # Swallow blank lines that separated the removed groups.
    first, last = ranges[0][0], ranges[-1][1]
    for i in range(first, last):
        if e.lines[i].strip() == "":
            ranges.append((i, i + 1))
    e.apply(ranges)
    # One blank line stood before the block; take it out with the block.
    blank = first - 1
    if e.lines[blank].strip() == "" and e.lines[blank + 1].strip() == "":
        e.apply([(blank, blank + 1)])


def strip_rst_section(e, title_regex):
    """A section of an .rst file: its title to the next title of its level."""
    pat = re.compile(title_regex)
    hits = [i for i, l in enumerate(e.lines) if pat.match(l)]
    if len(hits) != 1:
        raise StripError(f"{e.rel}: section /{title_regex}/ found {len(hits)} times")
    start = hits[0]
    underline = e.lines[start + 1].rstrip()
    if not underline or len(set(underline)) != 1:
        raise StripError(f"{e.rel}: section title is not underlined")
    end = len(e.lines)
    for i in range(start + 2, len(e.lines) - 1):
        nxt = e.lines[i + 1].rstrip()
        if e.lines[i].strip() and nxt == underline[0] * len(nxt) and \
                len(nxt) >= len(e.lines[i].rstrip()):
            end = i
            break
    if start > 0 and e.lines[start - 1].strip() == "":
        start -= 1
    e.apply([(start, end)])


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: strip-intree-negotiation.py KSRC")
    root = Path(sys.argv[1])
    edits = []
    try:
        e = Edit(root, "arch/x86/include/asm/msr-index.h")
        strip_msr_index(e)
        edits.append(e)

        e = Edit(root, "arch/x86/include/uapi/asm/svm.h")
        e.macro("SVM_VMGEXIT_TERM_REASON", comment=False)
        e.macro("SVM_VMGEXIT_TERM_REQUEST", comment=False)
        edits.append(e)

        e = Edit(root, "arch/x86/boot/compressed/sev.c")
        e.function("snp_check_features")
        e.function("snp_get_unsupported_features")
        e.macro("SNP_FEATURES_PRESENT")
        e.macro("SNP_FEATURES_IMPL_REQ")
        e.function("sev_es_ghcb_terminate")
        edits.append(e)

        e = Edit(root, "arch/x86/boot/compressed/misc.h")
        e.apply(line_ranges(e.lines, r"\bsnp_check_features\s*\(", 2))
        edits.append(e)

        e = Edit(root, "arch/x86/boot/compressed/ident_map_64.c")
        e.statement(r"^\s*snp_check_features\s*\(\s*\)\s*;")
        edits.append(e)

        e = Edit(root, "arch/x86/include/asm/sev.h")
        e.apply(line_ranges(e.lines, r"\bsnp_get_unsupported_features\s*\(", 2))
        edits.append(e)

        e = Edit(root, "drivers/firmware/efi/libstub/x86-stub.c")
        e.statement(r"^\s*if\s*\(\s*have_unsupported_snp_features\s*\(\s*\)\s*\)")
        e.function("have_unsupported_snp_features")
        edits.append(e)

        e = Edit(root, "Documentation/x86/amd-memory-encryption.rst")
        strip_rst_section(e, r"^Secure Nested Paging \(SNP\)\s*$")
        edits.append(e)
    except StripError as err:
        sys.exit(f"strip-intree-negotiation: {err}; tree left unchanged")

    leftovers = re.compile(r"snp_check_features|snp_get_unsupported_features|"
                           r"SNP_FEATURES_(IMPL_REQ|PRESENT)|MSR_AMD64_SNP_|"
                           r"SVM_VMGEXIT_TERM_|sev_es_ghcb_terminate|"
                           r"have_unsupported_snp_features")
    for e in edits:
        m = leftovers.search(e.text())
        if m:
            sys.exit(f"strip-intree-negotiation: {e.rel} still mentions "
                     f"{m.group(0)}; tree left unchanged")

    for e in edits:
        e.path.write_text(e.text())
        print(f"  stripped {e.rel}")


if __name__ == "__main__":
    main()
