#!/usr/bin/env python3
"""Writes OUT/generated.sqlite (DESIGN §2 schema; 5000 users, 50000 items, 10 train + 2 test items per
user) and OUT/generated.pt (a TorchScript embedding model, d=32, with item bias) for the CPU-vs-CUDA
list comparison of tests/gpu/cuda_check.sh. Deterministic (fixed seeds)."""
import os
import sqlite3
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "models"))
from shopdb import SCHEMA  # noqa: E402
from twotower import TwoTower  # noqa: E402

USERS, ITEMS, DIM = 5000, 50000, 32


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    db = os.path.join(out, "generated.sqlite")
    if os.path.exists(db):
        os.remove(db)
    rng = np.random.default_rng(3)
    con = sqlite3.connect(db)
    con.executescript(SCHEMA)
    con.executemany("INSERT INTO meta VALUES (?, ?)", [("schema_version", "1"), ("name", "generated"),
                    ("source", "tests/gpu/make_large_case.py"), ("licence", "CC0"), ("split_method", "explicit"),
                    ("created_at", "2026-01-01T00:00:00Z")])
    con.executemany("INSERT INTO categories VALUES (?, ?, ?, ?)", [(1, None, "All", 1)])
    con.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?)",
                    ((i + 1, f"g{i}", f"Item {i}", 1, None, None) for i in range(ITEMS)))
    con.executemany("INSERT INTO users VALUES (?, ?, ?)", ((u + 1, f"h{u}", None) for u in range(USERS)))
    rows = []
    for u in range(USERS):
        picks = rng.choice(ITEMS, 12, replace=False)
        rows += [(u + 1, int(i) + 1, 1, "view", 1.0, "train") for i in picks[:10]]
        rows += [(u + 1, int(i) + 1, 2, "view", 1.0, "test") for i in picks[10:]]
    con.executemany("INSERT INTO interactions VALUES (?, ?, ?, ?, ?, ?)", rows)
    con.commit()
    con.close()
    g = torch.Generator().manual_seed(5)
    model = TwoTower([f"g{i}" for i in range(ITEMS)], [f"h{u}" for u in range(USERS)],
                     torch.randn(USERS, DIM, generator=g), torch.randn(ITEMS, DIM, generator=g),
                     0.1 * torch.randn(ITEMS, generator=g))
    torch.jit.script(model).save(
        os.path.join(out, "generated.pt"))


if __name__ == "__main__":
    main()
