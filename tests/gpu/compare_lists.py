#!/usr/bin/env python3
"""Compares two `reclens-cli evaluate --lists` CSVs (user_id,rank,item_id,score), e.g. CPU vs CUDA.

Same users, same list lengths, scores equal rank by rank within a relative tolerance, and the same
item at every rank whose score is not tied (within the tolerance) with a neighbour. Exit 0 when equal.
Plain Python (no numpy) so it runs on any machine with python3.
"""
import csv
import sys
from collections import defaultdict


def read(path):
    lists = defaultdict(list)
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            lists[row["user_id"]].append((int(row["rank"]), row["item_id"], float(row["score"])))
    return {u: sorted(v) for u, v in lists.items()}


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: compare_lists.py A.csv B.csv [relative_tolerance]")
    tol = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-4
    a, b = read(sys.argv[1]), read(sys.argv[2])
    problems = []
    if set(a) != set(b):
        problems.append(f"user sets differ: {len(set(a) ^ set(b))} users in only one file")
    compared = untied = 0
    for user in sorted(set(a) & set(b)):
        la, lb = a[user], b[user]
        if len(la) != len(lb):
            problems.append(f"user {user}: {len(la)} vs {len(lb)} entries")
            continue
        for k, ((_, ia, sa), (_, ib, sb)) in enumerate(zip(la, lb)):
            compared += 1
            close = lambda x, y: abs(x - y) <= tol * max(1.0, abs(x), abs(y))
            if not close(sa, sb):
                problems.append(f"user {user} rank {k + 1}: score {sa} vs {sb}")
                continue
            tied = (k > 0 and close(sa, la[k - 1][2])) or (k + 1 < len(la) and close(sa, la[k + 1][2]))
            if not tied:
                untied += 1
                if ia != ib:
                    problems.append(f"user {user} rank {k + 1}: item {ia} vs {ib} (score {sa})")
    for p in problems[:10]:
        print("DIFF", p)
    print(f"compared {compared} entries of {len(a)} users ({untied} untied ranks checked by item): "
          f"{'EQUAL' if not problems else str(len(problems)) + ' differences'}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
