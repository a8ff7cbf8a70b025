#!/usr/bin/python3
"""Writes OUT/shop.sqlite and OUT/shop.pt: a generated shop at a real shop's shape for timing the GUI
against `reclens-cli evaluate` (docs/benchmarks.md) — Zipf item popularity (exponent 1), lognormal
user activity (median 12 train items, sigma 1, at most 400; a quarter as many test items, at least
one), a three-level category tree (20 / 200 / 2000), 500 brands, prices, and a two-tower TorchScript
model (d dimensions: random embeddings, the last of which carries the item's log popularity) in
RecLens's format. Deterministic (fixed seeds).

    make_shop.py OUT USERS ITEMS [DIM]
"""
import os
import sqlite3
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "models"))
from shopdb import SCHEMA  # noqa: E402
from twotower import TwoTower  # noqa: E402


def main():
    out, users, items = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    dim = int(sys.argv[4]) if len(sys.argv) > 4 else 64
    os.makedirs(out, exist_ok=True)
    db = os.path.join(out, "shop.sqlite")
    if os.path.exists(db):
        os.remove(db)
    rng = np.random.default_rng(7)
    con = sqlite3.connect(db)
    con.executescript(SCHEMA)
    con.executemany("INSERT INTO meta VALUES (?, ?)", [("schema_version", "1"), ("name", "generated shop"),
                    ("source", "tests/benchmarks/make_shop.py"), ("licence", "CC0"), ("split_method", "explicit"),
                    ("created_at", "2026-01-01T00:00:00Z")])
    cats = [(t + 1, None, f"Top {t}", 1) for t in range(20)]
    cats += [(21 + m, 1 + m // 10, f"Mid {m}", 2) for m in range(200)]
    cats += [(221 + leaf, 21 + leaf // 10, f"Leaf {leaf}", 3) for leaf in range(2000)]
    con.executemany("INSERT INTO categories VALUES (?, ?, ?, ?)", cats)
    con.executemany("INSERT INTO brands VALUES (?, ?)", [(b + 1, f"Brand {b}") for b in range(500)])
    leaf = rng.integers(0, 2000, items)
    brand = rng.integers(0, 500, items)
    price = np.round(rng.lognormal(1.0, 0.8, items), 2)
    con.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?)",
                    ((i + 1, f"p{i}", f"Product {i} of leaf {leaf[i]}", 221 + int(leaf[i]),
                      None if i % 7 == 0 else 1 + int(brand[i]), float(price[i])) for i in range(items)))
    con.executemany("INSERT INTO users VALUES (?, ?, ?)",
                    ((u + 1, f"c{u}", ["A", "B", None, None][u % 4]) for u in range(users)))
    # Zipf(1) popularity over a random order of the items.
    weights = 1.0 / np.arange(1, items + 1)
    weights /= weights.sum()
    order = rng.permutation(items)
    train_n = np.clip(np.rint(rng.lognormal(np.log(12.0), 1.0, users)).astype(int), 1, 400)
    test_n = np.maximum(1, train_n // 4)
    picks = order[rng.choice(items, int((train_n + test_n).sum()), p=weights)]
    ends = np.cumsum(train_n + test_n)
    for start in range(0, users, 20000):
        rows = []
        for u in range(start, min(users, start + 20000)):
            mine = picks[ends[u] - train_n[u] - test_n[u]:ends[u]]
            rows += [(u + 1, int(i) + 1, 1, "buy", 1.0, "train") for i in mine[:train_n[u]]]
            rows += [(u + 1, int(i) + 1, 2, "buy", 1.0, "test") for i in mine[train_n[u]:]]
        con.executemany("INSERT INTO interactions VALUES (?, ?, ?, ?, ?, ?)", rows)
    con.commit()
    con.close()
    g = torch.Generator().manual_seed(5)
    user_emb = 0.3 * torch.randn(users, dim, generator=g)
    item_emb = 0.3 * torch.randn(items, dim, generator=g)
    # The last dimension carries popularity (log train count; users weigh it 1), as a trained model
    # would learn it (tests/benchmarks/generatedshop.h does the same).
    train_count = np.zeros(items)
    for u in range(users):
        mine = picks[ends[u] - train_n[u] - test_n[u]:ends[u] - test_n[u]]
        np.add.at(train_count, mine, 1)
    item_emb[:, dim - 1] = torch.from_numpy(0.5 * np.log1p(train_count)).float()
    user_emb[:, dim - 1] = 1.0
    model = TwoTower([f"p{i}" for i in range(items)], [f"c{u}" for u in range(users)], user_emb, item_emb,
                     torch.zeros(items))
    torch.jit.script(model).save(os.path.join(out, "shop.pt"))


if __name__ == "__main__":
    main()
