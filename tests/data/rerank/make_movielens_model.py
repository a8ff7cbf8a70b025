#!/usr/bin/python3
"""A two-tower TorchScript model for a RecLens dataset, from a truncated SVD of its train matrix.

    /usr/bin/python3 make_movielens_model.py D.sqlite OUT.pt [--dim 16]

D.sqlite is a dataset in the DESIGN §2 schema (e.g. `reclens-cli import movielens
.../ml-latest-small --out D.sqlite`), opened read-only. The model (DESIGN §3) is an nn.Module
compiled with torch.jit.script, exposing item_ids/user_ids/user_embeddings/item_embeddings/item_bias:

  X             binary train matrix, users x items (1 where the user has a train interaction)
  X ~ U S V^T   truncated to `dim` components (numpy: eigenvectors of X X^T, signs fixed so each
                component's largest |entry| in V is positive)
  users         U S^1/2,  items  V S^1/2  (float32), so cosine similarities between items are
                often negative, as the re-ranking checks want
  item_bias     0.01 * log(1 + popularity), popularity = distinct train users of the item
  items without train interactions get an all-zero embedding row (and bias 0)

Model rows are a fixed permutation of the dataset's items and users, so RecLens has to map rows by
external id. Deterministic: re-running on the same dataset writes the same tensors (TorchScript zip
timestamps aside). Runs in a few seconds on MovieLens ml-latest-small.
"""
import argparse
import os
import sqlite3
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models"))
from twotower import TwoTower  # noqa: E402


def load_train(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    cur = con.cursor()
    items = cur.execute("SELECT item_id, external_id FROM items ORDER BY item_id").fetchall()
    users = cur.execute("SELECT user_id, external_id FROM users ORDER BY user_id").fetchall()
    pairs = cur.execute("SELECT DISTINCT user_id, item_id FROM interactions WHERE split = 'train'").fetchall()
    con.close()
    item_index = {row[0]: i for i, row in enumerate(items)}
    user_index = {row[0]: u for u, row in enumerate(users)}
    X = np.zeros((len(users), len(items)), dtype=np.float64)
    for u, i in pairs:
        X[user_index[u], item_index[i]] = 1.0
    return [row[1] for row in items], [row[1] for row in users], X


def factorise(X, dim):
    # the leading singular triplets from the eigen-decomposition of the small users x users Gram matrix
    w, U = np.linalg.eigh(X @ X.T)
    top = np.argsort(-w, kind="stable")[:dim]
    top = top[w[top] > 1e-9 * max(w.max(), 1.0)]
    dim = len(top)
    U, s = U[:, top], np.sqrt(w[top])
    Vt = (U.T @ X) / s[:, None]
    for c in range(dim):
        if Vt[c, np.argmax(np.abs(Vt[c]))] < 0:
            U[:, c] = -U[:, c]
            Vt[c] = -Vt[c]
    root = np.sqrt(s)
    user_emb = (U * root).astype(np.float32)
    item_emb = (Vt.T * root).astype(np.float32)
    pop = X.sum(axis=0)
    item_emb[pop == 0] = 0.0
    bias = (0.01 * np.log1p(pop)).astype(np.float32)
    return user_emb, item_emb, bias


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data")
    ap.add_argument("out")
    ap.add_argument("--dim", type=int, default=16)
    args = ap.parse_args()

    item_ext, user_ext, X = load_train(args.data)
    if not item_ext or not user_ext:
        print(f"{args.data}: no items or no users", file=sys.stderr)
        return 1
    user_emb, item_emb, bias = factorise(X, args.dim)

    rng = np.random.default_rng(11)
    item_rows = rng.permutation(len(item_ext))
    user_rows = rng.permutation(len(user_ext))
    model = TwoTower([item_ext[i] for i in item_rows], [user_ext[u] for u in user_rows],
                     torch.from_numpy(np.ascontiguousarray(user_emb[user_rows])),
                     torch.from_numpy(np.ascontiguousarray(item_emb[item_rows])),
                     torch.from_numpy(np.ascontiguousarray(bias[item_rows])))
    torch.jit.script(model).save(args.out)
    print(f"{args.out}: {len(user_ext)} users, {len(item_ext)} items, dim {user_emb.shape[1]}, "
          f"{int((X.sum(axis=0) == 0).sum())} items with a zero embedding")
    return 0


if __name__ == "__main__":
    sys.exit(main())
