#!/usr/bin/python3
"""Reference values for the metric and comparison tests, from scikit-learn and scipy.

Run with Debian's python3 (python3-sklearn, python3-scipy):
    /usr/bin/python3 tests/data/metrics/make_fixtures.py
Writes roc.json, user_auc.json and stats.json next to this script. The C++ tests never compute
their expected values themselves: they read these files.
"""
import json
import os

import numpy as np
import scipy
import scipy.stats
import sklearn
from sklearn.metrics import roc_auc_score, roc_curve

HERE = os.path.dirname(os.path.abspath(__file__))


def f32(x):
    return [float(np.float32(v)) for v in x]


def roc_cases():
    rng = np.random.default_rng(7)
    cases = []
    # Hand-sized cases with ties across classes.
    cases.append(("ties_across_classes", [0.9, 0.8, 0.8, 0.7, 0.5, 0.5, 0.5, 0.1], [1, 0, 1, 0, 1, 0, 0, 0]))
    cases.append(("perfect", [4, 3, 2, 1], [1, 1, 0, 0]))
    cases.append(("inverted", [1, 2, 3, 4], [1, 1, 0, 0]))
    cases.append(("all_tied", [0.5] * 6, [1, 0, 1, 0, 0, 0]))
    # Random with heavy ties (scores rounded to one decimal).
    s = np.round(rng.normal(size=200), 1)
    lab = (rng.random(200) < 0.3).astype(int)
    s = s + 0.4 * lab
    cases.append(("random_ties", list(np.float32(s)), list(lab)))
    out = []
    for name, scores, labels in cases:
        scores = np.asarray(scores, dtype=np.float32)
        labels = np.asarray(labels)
        fpr, tpr, thr = roc_curve(labels, scores, drop_intermediate=False)
        out.append({
            "name": name,
            "scores": f32(scores),
            "labels": [int(v) for v in labels],
            "fpr": [float(v) for v in fpr],
            "tpr": [float(v) for v in tpr],
            # sklearn 1.2 puts max+1 as the first threshold; RecLens uses +inf there (checked apart).
            "thresholds": [float(v) for v in thr[1:]],
            "auc": float(roc_auc_score(labels, scores)),
        })
    return out


def user_auc_case():
    """A small dataset: per-user AUC over the universe (items not in train) and pooled AUC."""
    rng = np.random.default_rng(11)
    n_users, n_items = 25, 30
    scores = np.round(rng.normal(size=(n_users, n_items)), 1).astype(np.float32)
    train, test = [], []
    for u in range(n_users):
        perm = rng.permutation(n_items)
        ntr = int(rng.integers(0, 8))
        nte = int(rng.integers(0, 6))
        tr = sorted(int(i) for i in perm[:ntr])
        # Test items may overlap train: T_u excludes them.
        te = sorted(set(int(i) for i in perm[ntr - 2 if ntr >= 2 else 0: ntr + nte]))
        train.append(tr)
        test.append(te)
    per_user = []
    pool_s, pool_l = [], []
    for u in range(n_users):
        universe = [i for i in range(n_items) if i not in train[u]]
        T = set(test[u]) - set(train[u])
        lab = np.array([1 if i in T else 0 for i in universe])
        sc = scores[u, universe]
        if 0 < lab.sum() < len(lab):
            per_user.append(float(roc_auc_score(lab, sc)))
        else:
            per_user.append(None)
        if lab.sum() > 0:  # evaluated users only
            pool_s.extend(sc.tolist())
            pool_l.extend(lab.tolist())
    fpr, tpr, _ = roc_curve(pool_l, pool_s, drop_intermediate=False)
    return {
        "n_users": n_users,
        "n_items": n_items,
        "scores": [f32(r) for r in scores],
        "train": train,
        "test": test,
        "user_auc": per_user,
        "pooled_auc": float(roc_auc_score(pool_l, pool_s)),
        "pooled_fpr": [float(v) for v in fpr],
        "pooled_tpr": [float(v) for v in tpr],
    }


def stats_cases():
    rng = np.random.default_rng(3)
    cases = []

    def add(name, a, b):
        a = np.asarray(a, dtype=float)
        b = np.asarray(b, dtype=float)
        t = scipy.stats.ttest_rel(b, a)
        try:
            w = scipy.stats.wilcoxon(b, a)
            wp = float(w.pvalue)
        except ValueError:
            wp = None
        d = b - a
        boot = np.random.default_rng(42)
        means = [d[boot.integers(0, len(d), len(d))].mean() for _ in range(1000)]
        cases.append({
            "name": name,
            "a": a.tolist(),
            "b": b.tolist(),
            "delta": float(d.mean()),
            "p_paired_t": None if np.isnan(t.pvalue) else float(t.pvalue),
            "p_wilcoxon": wp,
            # numpy's bootstrap uses another generator than RecLens (see docs/metrics.md): the test
            # compares with a tolerance.
            "ci95_numpy": [float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))],
        })

    a = rng.normal(size=12)
    add("small_exact", a, a + rng.normal(0.3, 1.0, size=12))
    a = rng.normal(size=30)
    add("exact_n30", a, a + rng.normal(0.2, 0.5, size=30))
    a = np.round(rng.normal(size=20), 1)
    add("exact_with_tied_ranks", a, np.round(a + rng.normal(0.2, 0.6, size=20), 1) + 0.05)
    a = np.round(rng.random(40), 1)
    b = a.copy()
    b[:25] = np.round(b[:25] + rng.normal(0.1, 0.2, size=25), 1)
    add("zeros_switch_to_approx", a, b)
    a = rng.random(400)
    b = np.where(rng.random(400) < 0.5, a, np.round(a + rng.normal(0.02, 0.1, size=400), 2))
    add("large_ties_zeros", a, b)
    a = (rng.random(300) < 0.3).astype(float)
    b = (rng.random(300) < 0.35).astype(float)
    add("binary_hit_rate", a, b)
    a = rng.random(60)
    add("n60_no_ties", a, a + rng.normal(0.05, 0.2, size=60))
    return cases


def main():
    meta = {"sklearn": sklearn.__version__, "scipy": scipy.__version__, "numpy": np.__version__}
    with open(os.path.join(HERE, "roc.json"), "w") as f:
        json.dump({"generator": meta, "cases": roc_cases()}, f, indent=1)
    with open(os.path.join(HERE, "user_auc.json"), "w") as f:
        json.dump({"generator": meta, **user_auc_case()}, f, indent=1)
    with open(os.path.join(HERE, "stats.json"), "w") as f:
        json.dump({"generator": meta, "cases": stats_cases()}, f, indent=1)


if __name__ == "__main__":
    main()
