#!/usr/bin/env python3
"""RecLens's evaluate output under trec_eval's conventions against trec_eval_ref.py's values.

usage: compare_trec.py EVALUATE.json PER_USER.csv REFERENCE.json
Checks: "conventions" is "trec_eval", the number of evaluated requests is num_q, and every mean
and per-request value of P, recall, ndcg_cut, map_cut, recip_rank equals RecLens's precision,
recall, ndcg, map, mrr within 1e-12. Exit 1 on any difference.
"""
import csv
import json
import sys

NAMES = {"precision": "P", "recall": "recall", "ndcg": "ndcg_cut", "map": "map_cut", "mrr": "recip_rank"}


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    ours = json.load(open(sys.argv[1]))
    ref = json.load(open(sys.argv[3]))
    problems = []
    if ours.get("conventions") != "trec_eval":
        problems.append(f"conventions {ours.get('conventions')!r}, not 'trec_eval'")
    if ours["users_evaluated"] != ref["num_q"]:
        problems.append(f"{ours['users_evaluated']} requests evaluated, trec_eval's convention {ref['num_q']}")
    for name, tname in NAMES.items():
        a, b = ours["metrics"][name], ref["mean"][tname]
        if abs(a - b) > 1e-12 * max(1.0, abs(b)):
            problems.append(f"mean {name} {a!r} vs {tname} {b!r}")
    with open(sys.argv[2], newline="") as f:
        rows = {r["user_id"]: r for r in csv.DictReader(f)}
    if set(rows) != set(ref["per_query"]):
        problems.append(f"requests {sorted(rows)} vs {sorted(ref['per_query'])}")
    for q, m in ref["per_query"].items():
        for name, tname in NAMES.items():
            if q in rows and abs(float(rows[q][name]) - m[tname]) > 1e-12:
                problems.append(f"request {q}: {name} {rows[q][name]} vs {tname} {m[tname]!r}")
    for p in problems:
        print(p)
    print(f"{len(ref['per_query'])} requests, 5 measures: {'differ' if problems else 'equal'}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
