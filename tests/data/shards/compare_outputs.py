#!/usr/bin/env python3
"""Checks that a merged sharded run equals the unsharded one (DESIGN §4 merge, §12).

    compare_outputs.py WHOLE.json MERGED.json [WHOLE_LISTS.csv MERGED_LISTS.csv [WHOLE_PER_USER.csv MERGED_PER_USER.csv]]

JSON: every value except timing_ms must match; numbers within 1e-12 relative (null == null), all
else exactly. Lists and per-user CSV: the same lines after sorting by user (the header stays first).
Prints what differs and exits 1; exits 0 when everything agrees.
"""
import json
import math
import sys

REL = 1e-12


def walk(a, b, path, out):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if path == "" and k == "timing_ms":
                continue
            if k not in a or k not in b:
                out.append(f"{path}/{k}: only in {'merged' if k in b else 'whole'}")
                continue
            walk(a[k], b[k], f"{path}/{k}", out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{path}: {len(a)} vs {len(b)} entries")
        for i, (x, y) in enumerate(zip(a, b)):
            walk(x, y, f"{path}[{i}]", out)
    elif isinstance(a, bool) or isinstance(b, bool) or isinstance(a, str) or a is None or b is None:
        if a != b:
            out.append(f"{path}: {a!r} vs {b!r}")
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if a == b:
            return
        scale = max(abs(a), abs(b))
        if not (math.isfinite(a) and math.isfinite(b)) or abs(a - b) > REL * scale:
            out.append(f"{path}: {a!r} vs {b!r} (relative {abs(a - b) / scale:.3g})")
    elif a != b:
        out.append(f"{path}: {a!r} vs {b!r}")


def csv_lines(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    if not lines:
        return [], []
    # Stable sort by the first field (user_id); rows of one user keep their rank order.
    return lines[0], sorted(lines[1:], key=lambda line: line.split(",", 1)[0])


def main(argv):
    if len(argv) not in (3, 5, 7):
        print(__doc__, file=sys.stderr)
        return 2
    problems = []
    with open(argv[1]) as f:
        whole = json.load(f)
    with open(argv[2]) as f:
        merged = json.load(f)
    walk(whole, merged, "", problems)
    for i in range(3, len(argv), 2):
        ha, la = csv_lines(argv[i])
        hb, lb = csv_lines(argv[i + 1])
        if ha != hb:
            problems.append(f"{argv[i + 1]}: header {hb!r} vs {ha!r}")
        if la != lb:
            diff = next((j for j, (x, y) in enumerate(zip(la, lb)) if x != y), min(len(la), len(lb)))
            problems.append(f"{argv[i + 1]}: {len(lb)} rows vs {len(la)}; first difference at sorted row {diff}: "
                            f"{lb[diff] if diff < len(lb) else '-'!r} vs {la[diff] if diff < len(la) else '-'!r}")
    if problems:
        print(f"merged run differs from the unsharded one in {len(problems)} places:")
        for p in problems[:20]:
            print("  " + p)
        return 1
    print(f"merged run equals the unsharded one: {argv[2]} ({(len(argv) - 1) // 2} files compared)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
