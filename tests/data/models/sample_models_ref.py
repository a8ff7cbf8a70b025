#!/usr/bin/env python3
"""Textbook recommenders and their top-K metrics, computed independently of RecLens (numpy, scipy).

Reads a RecLens dataset (DESIGN §2 schema) with Python's sqlite3 and, for each model named, ranks every
user's universe (items not in the user's train set) and prints one JSON line:
  {"model": ..., "ndcg": ..., "recall": ..., "catalog_coverage": ..., "personalization": ..., "novelty": ...,
   "users_evaluated": ...}
with the metric definitions of DESIGN §5 at K (default 10).

Models (all fitted on the train interactions as a binary user x item matrix X):
  popularity   score = number of distinct train users of the item
  itemknn      cosine of the binary item columns, sim(i,j) = |U_i n U_j| / sqrt(|U_i||U_j|), i != j;
               every item keeps its NEIGHBOURS most similar items (all with --neighbours 0);
               score(u,i) = sum over j in train_u of sim_N(j, i)
  ease         Steck (2019): B = I - P diag(1/diag P), P = (X'X + lambda I)^-1, diag(B) = 0; score = X B
Ties: the item with more train users first, then the lower item index (the scores are exact in float64,
so equal scores are equal). --ties index breaks ties by item index only (what a plain top-K does).

Usage: sample_models_ref.py DATASET.sqlite [--k 10] [--neighbours 50] [--lambda 500] [--ties pop|index]
       [--ease-min-item-users 0] [--models popularity,itemknn,ease]
"""
import argparse
import json
import math
import sqlite3
import sys

import numpy as np
import scipy.sparse as sp


def load(path):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    items = [r[0] for r in con.execute("SELECT item_id FROM items ORDER BY item_id")]
    users = [r[0] for r in con.execute("SELECT user_id FROM users ORDER BY user_id")]
    item_index = {v: n for n, v in enumerate(items)}
    user_index = {v: n for n, v in enumerate(users)}
    train, test = set(), set()
    for u, i, split in con.execute("SELECT user_id, item_id, split FROM interactions"):
        (train if split == "train" else test).add((user_index[u], item_index[i]))
    con.close()
    test -= train
    rows, cols = zip(*sorted(train))
    x = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(users), len(items)))
    truth = [set() for _ in users]
    for u, i in test:
        truth[u].add(i)
    return x, truth


def itemknn_scores(x, neighbours):
    xt = x.T.tocsr()
    counts = np.asarray(x.sum(axis=0)).ravel()
    co = (xt @ x).tocsr().astype(np.float64)
    co.setdiag(0)
    co.eliminate_zeros()
    norm = np.sqrt(np.maximum(counts, 1))
    sim = sp.diags(1 / norm) @ co @ sp.diags(1 / norm)
    sim = sim.tocsr()
    if neighbours > 0:
        rows, cols, vals = [], [], []
        for i in range(sim.shape[0]):
            start, end = sim.indptr[i], sim.indptr[i + 1]
            js, vs = sim.indices[start:end], sim.data[start:end]
            order = np.lexsort((js, -vs))[:neighbours]  # most similar first, ties by lower index
            rows += [i] * len(order)
            cols += list(js[order])
            vals += list(vs[order])
        sim = sp.csr_matrix((vals, (rows, cols)), shape=sim.shape)
    return (x @ sim).toarray()


def ease_scores(x, lam, min_item_users=0):
    """EASE over the support: the items with at least min_item_users train users (all with 0). Items
    outside it score below every supported item (they are never ranked above one)."""
    counts = np.asarray(x.sum(axis=0)).ravel()
    support = np.flatnonzero(counts >= min_item_users) if min_item_users > 0 else np.arange(x.shape[1])
    xs = x[:, support]
    g = (xs.T @ xs).toarray().astype(np.float64)
    g[np.diag_indices_from(g)] += lam
    p = np.linalg.inv(g)
    b = -p / np.diag(p)
    b[np.diag_indices_from(b)] = 0
    inner = np.asarray(xs @ b)
    scores = np.full(x.shape, -1e300)
    scores[:, support] = inner
    return scores


def evaluate(scores, x, truth, k, ties):
    n_users, n_items = x.shape
    pop = np.asarray(x.sum(axis=0)).ravel()
    secondary = -pop if ties == "pop" else np.zeros(n_items)
    exposure = np.zeros(n_items)
    ndcg, recall, novelty, evaluated = [], [], [], 0
    for u in range(n_users):
        if not truth[u]:
            continue
        evaluated += 1
        s = np.array(scores[u], dtype=np.float64).ravel()
        seen = x.indices[x.indptr[u]:x.indptr[u + 1]]
        s[seen] = -np.inf
        top = np.lexsort((np.arange(n_items), secondary, -s))[:k]
        hits = [1.0 if int(i) in truth[u] else 0.0 for i in top]
        dcg = sum(h / math.log2(r + 2) for r, h in enumerate(hits))
        idcg = sum(1 / math.log2(r + 2) for r in range(min(len(truth[u]), k)))
        ndcg.append(dcg / idcg)
        recall.append(sum(hits) / len(truth[u]))
        novelty.append(float(np.mean(-np.log2(np.maximum(pop[top], 1) / n_users))))
        exposure[top] += 1
    pairs = evaluated * (evaluated - 1) / 2
    personalization = 1 - float((exposure * (exposure - 1) / 2).sum()) / (k * pairs)
    return {"ndcg": float(np.mean(ndcg)), "recall": float(np.mean(recall)),
            "catalog_coverage": float((exposure > 0).sum()) / n_items, "personalization": personalization,
            "novelty": float(np.mean(novelty)), "users_evaluated": evaluated}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--neighbours", type=int, default=50)
    ap.add_argument("--lambda", dest="lam", type=float, default=500.0)
    ap.add_argument("--ties", choices=["pop", "index"], default="pop")
    ap.add_argument("--ease-min-item-users", type=int, default=0,
                    help="EASE's support: items with at least this many train users (0 = every item)")
    ap.add_argument("--models", default="popularity,itemknn,ease")
    args = ap.parse_args()
    x, truth = load(args.dataset)
    for model in args.models.split(","):
        if model == "popularity":
            scores = np.tile(np.asarray(x.sum(axis=0)).ravel().astype(np.float64), (x.shape[0], 1))
        elif model == "itemknn":
            scores = itemknn_scores(x, args.neighbours)
        elif model == "ease":
            scores = np.asarray(ease_scores(x, args.lam, args.ease_min_item_users))
        else:
            sys.exit(f"unknown model {model}")
        out = {"model": model}
        out.update(evaluate(scores, x, truth, args.k, args.ties))
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
