#!/usr/bin/env python3
"""Reference top-K for a RecLens dataset and a TorchScript model, computed with torch + numpy
independently of RecLens: full score matrix through the model's own methods (u.i + bias for the
embedding methods, score() otherwise), unknown items dropped, train items excluded, numpy argsort.

  reference_topk.py DATASET.sqlite MODEL.pt K OUT.csv [USERS.csv]

Writes user_id,rank,item_id,score (external ids). With USERS.csv (any CSV with a user_id column),
only those users are written."""
import csv
import sqlite3
import sys

import numpy as np
import torch


def main():
    db, model_path, k, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    items = [r[0] for r in con.execute("SELECT external_id FROM items ORDER BY item_id")]
    item_of_id = {r[0]: r[1] for r in con.execute("SELECT item_id, external_id FROM items")}
    user_of_id = {r[0]: r[1] for r in con.execute("SELECT user_id, external_id FROM users")}
    seen = {}
    for u, i in con.execute("SELECT user_id, item_id FROM interactions WHERE split = 'train'"):
        seen.setdefault(user_of_id[u], set()).add(item_of_id[i])
    m = torch.jit.load(model_path)
    m.eval()
    model_items, model_users = list(m.item_ids()), list(m.user_ids())
    row_of_item = {e: r for r, e in enumerate(model_items)}
    with torch.no_grad():
        if hasattr(m, "user_embeddings") and hasattr(m, "item_embeddings"):
            full = m.user_embeddings().double().numpy() @ m.item_embeddings().double().numpy().T
            if hasattr(m, "item_bias"):
                full = full + m.item_bias().double().numpy()[None, :]
        else:
            full = m.score(torch.arange(len(model_users)), torch.arange(len(model_items))).double().numpy()
    dataset_users = set(user_of_id.values())
    wanted = None
    if len(sys.argv) > 5:
        with open(sys.argv[5], newline="") as f:
            wanted = {row["user_id"] for row in csv.DictReader(f)}
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["user_id", "rank", "item_id", "score"])
        for r, user in enumerate(model_users):
            if user not in dataset_users or (wanted is not None and user not in wanted):
                continue
            cand = [e for e in items if e in row_of_item and e not in seen.get(user, ())]
            s = np.array([full[r, row_of_item[e]] for e in cand])
            for rank, o in enumerate(np.argsort(-s, kind="stable")[:k], 1):
                w.writerow([user, rank, cand[o], f"{s[o]:.7g}"])


if __name__ == "__main__":
    main()
