#!/usr/bin/env python3
"""Checks that evaluating a model and evaluating its exported run give the same numbers (DESIGN §11).

    compare_runs.py MODEL.json RUN.json MODEL_LISTS.csv RUN_LISTS.csv [--not NAME ...]

Every metric and every stratum value must be equal to the last digit (null == null), except the
metrics named after --not (and those names inside the strata): a run's AUC ranks by place with the
unlisted items tied below (not by the model's scores), and without a model a run has no embeddings.
The final lists (CSV user_id,rank,item_id,score) must hold the same users, ranks and items; scores
are not compared (a re-ranked list's TREC export carries rank scores). Prints what differs and
exits 1; exits 0 when everything agrees.
"""
import csv
import json
import sys


def flat(node, path, out):
    if isinstance(node, dict):
        for k, v in node.items():
            flat(v, f"{path}/{k}", out)
    else:
        out[path] = node


def main(argv):
    if len(argv) < 5:
        print(__doc__)
        return 2
    skip = set(argv[6:]) if len(argv) > 5 and argv[5] == "--not" else set()
    a, b = json.load(open(argv[1])), json.load(open(argv[2]))
    fa, fb = {}, {}
    for key in ("metrics", "strata", "users_evaluated", "k"):
        flat(a.get(key), key, fa)
        flat(b.get(key), key, fb)
    problems = []
    for path in sorted(set(fa) | set(fb)):
        if path.rsplit("/", 1)[-1] in skip:
            continue
        if fa.get(path, "missing") != fb.get(path, "missing"):
            problems.append(f"{path}: {fa.get(path, 'missing')!r} vs {fb.get(path, 'missing')!r}")

    def lists(p):
        with open(p, newline="") as f:
            return [(r["user_id"], r["rank"], r["item_id"]) for r in csv.DictReader(f)]

    la, lb = lists(argv[3]), lists(argv[4])
    if la != lb:
        diff = next((i for i, (x, y) in enumerate(zip(la, lb)) if x != y), min(len(la), len(lb)))
        problems.append(f"lists differ ({len(la)} vs {len(lb)} rows; first at row {diff + 1})")
    for p in problems[:20]:
        print(p)
    if not la:
        problems.append("no list rows")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
