#!/usr/bin/python3
"""Independent recomputation of `reclens-cli evaluate` metrics (DESIGN §5) from its outputs.

Reads the dataset SQLite file directly (no RecLens code), the --lists CSV and the --per-user CSV,
recomputes every metric that the lists and the dataset determine, and compares with the --json file
and the per-user CSV. auc, auc_pooled and ild_embedding need the model's scores/embeddings: for those
only the consistency of the per-user CSV with the JSON mean is checked.

    /usr/bin/python3 tests/data/metrics/recompute.py D.sqlite OUT.json LISTS.csv PER_USER.csv

Exit code 0 when everything matches (relative tolerance 1e-9), 1 otherwise, 77 when numpy/scipy are
missing (the test is then skipped).
"""
import csv
import json
import math
import sqlite3
import sys

try:
    import numpy as np
    import scipy.sparse as sp
except ImportError:  # pragma: no cover
    print("numpy/scipy missing: skipped")
    sys.exit(77)

TOL = 1e-9


def load(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    cur = con.cursor()
    items = cur.execute("SELECT item_id, external_id, category_id, brand_id FROM items ORDER BY item_id").fetchall()
    users = cur.execute("SELECT user_id, external_id, segment FROM users ORDER BY user_id").fetchall()
    cats = cur.execute("SELECT category_id, parent_id FROM categories ORDER BY category_id").fetchall()
    inter = cur.execute("SELECT user_id, item_id, split FROM interactions").fetchall()
    con.close()
    item_index = {row[0]: i for i, row in enumerate(items)}
    user_index = {row[0]: u for u, row in enumerate(users)}
    parent = {c: p for c, p in cats}

    def path(c):
        out = []
        while c is not None:
            out.append(c)
            c = parent[c]
        return out[::-1]

    paths = [path(row[2]) if row[2] is not None else [] for row in items]
    H = max([len(p) for p in paths] + [len(path(c)) for c, _ in cats] + [0])
    train = [set() for _ in users]
    test = [set() for _ in users]
    for u, i, s in inter:
        (train if s == "train" else test)[user_index[u]].add(item_index[i])
    return {
        "item_ext": [r[1] for r in items],
        "user_ext": [r[1] for r in users],
        "segment": [r[2] or "" for r in users],
        "paths": paths,
        "H": H,
        "train": train,
        "test": test,
    }


def at_level(path, level):
    if not path or level <= 0:
        return None  # unknown bucket
    return path[min(level, len(path)) - 1]


def distance(ds, a, b):
    if a == b:
        return 0.0
    pa, pb = ds["paths"][a], ds["paths"][b]
    H = ds["H"]
    if not pa or not pb or H == 0:
        return 1.0
    shared = 0
    for lv in range(1, H + 1):  # paths shorter than H continue with their deepest category
        if at_level(pa, lv) != at_level(pb, lv):
            break
        shared += 1
    return (H - shared) / H


def shares(buckets):
    n = len(buckets)
    out = {}
    for b in buckets:
        out[b] = out.get(b, 0) + 1
    return {b: c / n for b, c in out.items()}


def main():
    if len(sys.argv) != 5:
        print(__doc__)
        return 2
    db, json_path, lists_path, per_user_path = sys.argv[1:]
    ds = load(db)
    with open(json_path) as f:
        rep = json.load(f)
    K = rep["k"]
    H = ds["H"]
    level = rep.get("category_level") or H
    n_items = len(ds["item_ext"])
    n_users = len(ds["user_ext"])
    item_of = {e: i for i, e in enumerate(ds["item_ext"])}
    user_of = {e: u for u, e in enumerate(ds["user_ext"])}

    lists = {}
    with open(lists_path, newline="") as f:
        for row in csv.DictReader(f):
            lists.setdefault(user_of[row["user_id"]], []).append((int(row["rank"]), item_of[row["item_id"]]))
    lists = {u: [i for _, i in sorted(v)] for u, v in lists.items()}
    with open(per_user_path, newline="") as f:
        per_user = {user_of[r["user_id"]]: r for r in csv.DictReader(f)}

    pop = np.zeros(n_items)
    for tr in ds["train"]:
        for i in tr:
            pop[i] += 1
    total = pop.sum()
    order = sorted(range(n_items), key=lambda i: (-pop[i], i))
    head = set()
    need = math.ceil(0.8 * total - 1e-9)
    cum = 0
    for i in order:
        if cum >= need:
            break
        head.add(i)
        cum += pop[i]

    evaluated = [u for u in range(n_users) if ds["test"][u] - ds["train"][u]]
    if sorted(per_user) != evaluated:
        print(f"users differ: per-user CSV has {len(per_user)}, dataset has {len(evaluated)} evaluated users")
        return 1
    names = ["precision", "recall", "f1", "hit_rate", "ndcg", "map", "mrr", "ild_category", "category_count",
             "entropy", "calibration_kl", "novelty", "arp", "long_tail_share"]
    values = {n: {} for n in names}
    for u in evaluated:
        T = ds["test"][u] - ds["train"][u]
        L = lists.get(u, [])[:K]
        rel = [1 if i in T else 0 for i in L]
        hits = sum(rel)
        P, R = hits / K, hits / len(T)
        values["precision"][u] = P
        values["recall"][u] = R
        values["f1"][u] = 2 * P * R / (P + R) if P + R > 0 else 0.0
        values["hit_rate"][u] = 1.0 if hits else 0.0
        dcg = sum(r / math.log2(k + 2) for k, r in enumerate(rel))
        idcg = sum(1 / math.log2(k + 2) for k in range(min(len(T), K)))
        values["ndcg"][u] = dcg / idcg
        ap, h = 0.0, 0
        for k, r in enumerate(rel):
            if r:
                h += 1
                ap += h / (k + 1)
        values["map"][u] = ap / min(len(T), K)
        values["mrr"][u] = next((1 / (k + 1) for k, r in enumerate(rel) if r), 0.0)
        n = len(L)
        if n >= 2:
            values["ild_category"][u] = np.mean([distance(ds, L[a], L[b]) for a in range(n) for b in range(a + 1, n)])
        q = shares([at_level(ds["paths"][i], level) for i in L])
        values["category_count"][u] = float(len(q))
        if n:
            values["entropy"][u] = -sum(s * math.log2(s) for s in q.values())
        hist = [at_level(ds["paths"][i], level) for i in ds["train"][u]]
        if hist:
            p = shares(hist)
            values["calibration_kl"][u] = sum(pc * math.log2(pc / (0.99 * q.get(c, 0.0) + 0.01 * pc)) for c, pc in p.items())
        if n:
            values["novelty"][u] = np.mean([-math.log2(max(pop[i], 1) / n_users) for i in L])
            values["arp"][u] = np.mean([pop[i] for i in L])
            values["long_tail_share"][u] = np.mean([0.0 if i in head else 1.0 for i in L])

    bad = 0

    def check(label, ours, theirs):
        nonlocal bad
        if theirs is None or (isinstance(theirs, float) and math.isnan(theirs)):
            ok = ours is None or (isinstance(ours, float) and math.isnan(ours))
        else:
            ok = ours is not None and abs(ours - theirs) <= TOL * max(1.0, abs(theirs))
        if not ok:
            bad += 1
            if bad <= 20:
                print(f"MISMATCH {label}: recomputed {ours} vs reported {theirs}")
        return ok

    print(f"{'metric':17s} {'recomputed':>14s} {'reported':>14s}")
    for n in names:
        v = values[n]
        mean = float(np.mean(list(v.values()))) if v else None
        check(n, mean, rep["metrics"][n])
        print(f"{n:17s} {mean if mean is not None else float('nan'):14.9f} {rep['metrics'][n] if rep['metrics'][n] is not None else float('nan'):14.9f}")
        for u in evaluated:
            cell = per_user[u][n]
            check(f"{n} user {ds['user_ext'][u]}", v.get(u), float(cell) if cell != "" else None)
    for n in ["auc", "ild_embedding"]:
        cells = [float(per_user[u][n]) for u in evaluated if per_user[u][n] != ""]
        mean = float(np.mean(cells)) if cells else None
        check(n + " (per-user CSV mean)", mean, rep["metrics"][n])
        print(f"{n:17s} {mean if mean is not None else float('nan'):14.9f} {rep['metrics'][n] if rep['metrics'][n] is not None else float('nan'):14.9f}  (consistency only)")

    # Aggregates.
    all_lists = [lists.get(u, [])[:K] for u in evaluated]
    c = np.zeros(n_items)
    for L in all_lists:
        for i in L:
            c[i] += 1
    agg = {"catalog_coverage": float((c > 0).sum() / n_items)}
    cs = np.sort(c)
    j = np.arange(1, n_items + 1)
    agg["gini"] = float(((2 * j - n_items - 1) * cs).sum() / (n_items * cs.sum()))
    pc = c[c > 0] / c.sum()
    agg["exposure_entropy"] = float(-(pc * np.log2(pc)).sum())
    rows = [u for u, L in enumerate(all_lists) for _ in L]
    cols = [i for L in all_lists for i in L]
    M = sp.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(all_lists), n_items))
    overlap = (M @ M.T).sum() - M.multiply(M).sum()  # ordered pairs u != v
    n = len(all_lists)
    agg["personalization"] = float(1 - (overlap / 2) / (K * n * (n - 1) / 2))
    for name, v in agg.items():
        check(name, v, rep["metrics"][name])
        print(f"{name:17s} {v:14.9f} {rep['metrics'][name]:14.9f}")

    # Strata: item popularity (pooled), activity terciles and segments.
    st = rep["strata"]
    for part, members in (("head", head), ("tail", set(range(n_items)) - head)):
        t_items = hits = users = users_hit = 0
        for u, L in zip(evaluated, all_lists):
            T = (ds["test"][u] - ds["train"][u]) & members
            h = len(T & set(L))
            t_items += len(T)
            hits += h
            if T:
                users += 1
                users_hit += h > 0
        got = st["item_popularity"][part]
        check(f"strata {part} recall", hits / t_items if t_items else None, got["recall"])
        check(f"strata {part} hit_rate", users_hit / users if users else None, got["hit_rate"])
        print(f"strata {part:5s} recall {hits / t_items if t_items else float('nan'):.6f} hit_rate {users_hit / users if users else float('nan'):.6f}")
    acc = ["precision", "recall", "f1", "hit_rate", "ndcg", "map", "mrr"]
    by_activity = sorted(evaluated, key=lambda u: (len(ds["train"][u]), u))
    for name, group in zip(["low", "mid", "high"], np.array_split(np.array(by_activity, dtype=int), 3)):
        for m in acc:
            mean = float(np.mean([values[m][u] for u in group])) if len(group) else None
            check(f"strata activity {name} {m}", mean, st["user_activity"][name][m])
    segs = {}
    for u in evaluated:
        segs.setdefault(ds["segment"][u] or "(none)", []).append(u)
    for name, group in segs.items():
        for m in acc:
            check(f"strata segment {name} {m}", float(np.mean([values[m][u] for u in group])), st["segment"][name][m])
    print(f"{len(evaluated)} users, K={K}, level={level}: " + ("all metrics match" if bad == 0 else f"{bad} mismatches"))
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
