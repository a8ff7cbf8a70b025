#!/usr/bin/python3
"""Reference values for list overlap (Jaccard, rank-biased overlap) and Holm's correction.

Run with Debian's python3 (python3-numpy, python3-statsmodels):
    /usr/bin/python3 tests/data/metrics/make_overlap_fixtures.py
Writes overlap.json next to this script; tst_overlap reads it.
- Holm: statsmodels.stats.multitest.multipletests(p, method='holm').
- RBO: the extrapolated RBO of Webber, Moffat & Zobel (2010), eq. 32, computed here from its
  definition with Python sets at every depth (no incremental bookkeeping).
"""
import json
import os

import numpy as np
import statsmodels
from statsmodels.stats.multitest import multipletests

HERE = os.path.dirname(os.path.abspath(__file__))


def rbo_ext(a, b, p):
    S, L = (a, b) if len(a) <= len(b) else (b, a)
    s, l = len(S), len(L)
    if l == 0:
        return None
    if s == 0:
        return 0.0

    def X(d):
        return len(set(S[:d]) & set(L[:d]))

    first = sum(X(d) / d * p ** d for d in range(1, l + 1))
    second = sum(X(s) * (d - s) / (s * d) * p ** d for d in range(s + 1, l + 1))
    return (1 - p) / p * (first + second) + ((X(l) - X(s)) / l + X(s) / s) * p ** l


def jaccard(a, b):
    A, B = set(a), set(b)
    if not A and not B:
        return None
    return len(A & B) / len(A | B)


def main():
    rng = np.random.default_rng(11)
    lists = [
        ("identical", [1, 2, 3, 4, 5], [1, 2, 3, 4, 5], 0.9),
        ("swap_tail", [1, 2, 3], [1, 3, 2], 0.9),
        ("disjoint", [1, 2, 3], [4, 5, 6], 0.9),
        ("reversed", list(range(10)), list(range(9, -1, -1)), 0.9),
        ("uneven", [1, 2, 3, 4, 5, 6, 7, 8], [2, 1, 9], 0.9),
        ("uneven_p05", [5, 4, 3, 2, 1, 0], [0, 1, 2], 0.5),
        ("one_empty", [], [1, 2], 0.9),
    ]
    for t in range(6):
        n, m = int(rng.integers(5, 25)), int(rng.integers(5, 25))
        a = [int(x) for x in rng.permutation(40)[:n]]
        b = [int(x) for x in rng.permutation(40)[:m]]
        lists.append((f"random_{t}", a, b, 0.9))
    overlap = [{"name": name, "a": a, "b": b, "p": p, "rbo": rbo_ext(a, b, p), "jaccard": jaccard(a, b)}
               for name, a, b, p in lists]
    families = [
        ("three", [0.01, 0.04, 0.03]),
        ("ties_and_cap", [0.2, 0.2, 0.5, 0.9]),
        ("one", [0.037]),
        ("random", [float(x) for x in rng.random(7) ** 3]),
    ]
    holm = [{"name": name, "p": p, "holm": [float(x) for x in multipletests(p, method="holm")[1]]}
            for name, p in families]
    out = {"statsmodels": statsmodels.__version__, "overlap": overlap, "holm": holm}
    with open(os.path.join(HERE, "overlap.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
