#!/usr/bin/python3
"""Reference values for the metric and comparison tests, from scikit-learn and scipy.

Run with Debian's python3 (python3-sklearn, python3-scipy):
    /usr/bin/python3 tests/data/metrics/make_fixtures.py
Writes roc.json, user_auc.json, pooled_auc.json and stats.json next to this script. The C++ tests never compute
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


def pooled_cases():
    """Pooled AUC of positive vs negative scores (float32), the shapes PooledAucCounter must get exactly
    right: ties across classes, duplicates, -0/+0, +-inf, one crowded region beside far outliers
    (cells with many values), a value tied more than 65535 times, no finite positives at all.
    scikit-learn refuses infinite scores, and AUC depends on the order only, so the reference sees
    -inf/+inf replaced by finite values below/above every other score."""
    rng = np.random.default_rng(23)
    inf = np.float32(np.inf)
    cases = []

    def add(name, pos, neg):
        pos = np.asarray(pos, dtype=np.float32)
        neg = np.asarray(neg, dtype=np.float32)
        both = np.concatenate([pos, neg])
        finite = both[np.isfinite(both)]
        lo = float(finite.min()) - 1.0 if finite.size else -1.0
        hi = float(finite.max()) + 1.0 if finite.size else 1.0
        ref = np.where(both == -inf, lo, np.where(both == inf, hi, both.astype(np.float64)))
        labels = np.concatenate([np.ones(len(pos), dtype=int), np.zeros(len(neg), dtype=int)])
        def scores(x):  # JSON has no infinity: "inf" / "-inf" strings stand for them
            return [v if np.isfinite(v) else ("inf" if v > 0 else "-inf") for v in f32(x)]

        cases.append({"name": name, "positives": scores(pos), "negatives": scores(neg),
                      "auc": float(roc_auc_score(labels, ref))})

    add("hand_ties", [0.5, 0.5, 0.9, -1.0], [0.5, 0.1, 0.9, 0.9, 2.0, -1.0, -1.0])
    add("signed_zero", [0.0, -0.0, 1.0], [-0.0, 0.0, 0.0, -1.0])
    add("infinities", [-inf, -inf, 0.25, inf], [-inf, 0.0, 0.25, 0.3, inf, inf, -inf])
    add("only_infinite_positives", [-inf, inf, inf], [-inf, 0.0, 5.0, inf])
    p = np.round(rng.normal(size=3000), 2)  # heavy ties, duplicates
    add("rounded_normal", p, np.round(rng.normal(-0.2, 1.0, size=20000), 2))
    # A dense cluster plus outliers: most cells empty, a few crowded.
    p = np.concatenate([rng.normal(0.0, 1e-3, size=4000), [-1e6, 1e6, 3e4]])
    n = np.concatenate([rng.normal(0.0, 1e-3, size=30000), rng.normal(0.0, 1e5, size=2000)])
    add("cluster_and_outliers", p, n)
    # 70000 positives tied at one value (more than a cell's 16-bit count).
    p = np.concatenate([np.full(70000, 0.75), rng.normal(size=500)])
    add("tie_over_65535", p, np.concatenate([np.full(1000, 0.75), rng.normal(size=5000)]))
    p = rng.normal(size=5000)
    add("continuous", p, rng.normal(-0.3, 1.0, size=15000))
    # Close pairs of values, so grid cells hold two values, and negatives equal to either of them.
    base = np.arange(1000, dtype=np.float32)
    p = np.concatenate([base, base + np.float32(0.001), base[::3]])  # every third tied twice
    n = np.concatenate([base + np.float32(0.001), base, base + np.float32(0.0005), rng.uniform(-5, 1005, size=3000)])
    add("pairs_in_cells", p, rng.permutation(n))
    return cases


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
    with open(os.path.join(HERE, "pooled_auc.json"), "w") as f:
        json.dump({"generator": meta, "cases": pooled_cases()}, f)
    with open(os.path.join(HERE, "stats.json"), "w") as f:
        json.dump({"generator": meta, "cases": stats_cases()}, f, indent=1)


if __name__ == "__main__":
    main()
