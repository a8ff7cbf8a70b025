#!/usr/bin/env python3
"""Fixtures for tests/core/models and tests/core/scoring, made with the real framework.

Writes, next to this script:
  dataset.sqlite        a small dataset in the DESIGN §2 schema (60 items, 40 users, 2-level categories)
  two_tower.pt          torch.jit.script of an nn.Module with item_ids/user_ids/user_embeddings/
                        item_embeddings/item_bias (model rows shuffled, a few ids missing or extra)
  score_only.pt         an MLP over user/item embeddings exposing only score(users, items)
  broken/*.pt           models RecLens must refuse with one clear message
  expected_topk.csv     model,user_id,rank,item_id,score: top-10 per user over the ranking universe
                        (items not in the user's train set, known to the model), computed in numpy

Run with Debian's python3 (python3-torch, python3-numpy):  /usr/bin/python3 make_fixtures.py
Deterministic: fixed seeds; re-running rewrites identical data (TorchScript zip timestamps aside).
"""
import os
import sqlite3
import sys
from typing import List

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shopdb import SCHEMA  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
N_ITEMS, N_USERS, DIM, K = 60, 40, 8, 10
rng = np.random.default_rng(7)
torch.manual_seed(7)

item_ext = [f"i{n:03d}" for n in range(N_ITEMS)]
user_ext = [f"u{n:03d}" for n in range(N_USERS)]


def write_dataset(path):
    if os.path.exists(path):
        os.remove(path)
    con = sqlite3.connect(path)
    con.executescript(SCHEMA)
    meta = {"schema_version": "1", "name": "model-fixtures", "source": "tests/data/models/make_fixtures.py",
            "licence": "CC0", "split_method": "explicit", "created_at": "2026-01-01T00:00:00Z"}
    con.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    cats = [(1, None, "Fresh", 1), (2, None, "Pantry", 1), (3, None, "Home", 1),
            (4, 1, "Fruit", 2), (5, 1, "Dairy", 2), (6, 2, "Pasta", 2), (7, 2, "Snacks", 2),
            (8, 3, "Cleaning", 2), (9, 3, "Paper", 2)]
    con.executemany("INSERT INTO categories VALUES (?, ?, ?, ?)", cats)
    con.executemany("INSERT INTO brands VALUES (?, ?)", [(b + 1, f"Brand {b + 1}") for b in range(4)])
    # item_id = 100 + index (primary keys need not be 0-based; the Dataset orders by them)
    con.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?)",
                    [(100 + n, item_ext[n], f"Item {n}", 4 + n % 6, 1 + n % 4, 1.0 + n % 7) for n in range(N_ITEMS)])
    con.executemany("INSERT INTO users VALUES (?, ?, ?)",
                    [(500 + n, user_ext[n], "A" if n % 2 == 0 else "B") for n in range(N_USERS)])
    train, test = [], []
    for u in range(N_USERS):
        if u == N_USERS - 1:  # a heavy user: universe (10 items) no larger than K
            seen = rng.permutation(N_ITEMS)[:50]
            train.append(sorted(int(i) for i in seen))
            test.append(sorted(set(range(N_ITEMS)) - set(train[-1]))[:2])
            continue
        picks = rng.permutation(N_ITEMS)[: int(rng.integers(5, 14))]
        n_test = 0 if u == 3 else int(rng.integers(1, 4))  # user u003 has no test items
        train.append(sorted(int(i) for i in picks[n_test:]))
        test.append(sorted(int(i) for i in picks[:n_test]))
    rows = []
    for u in range(N_USERS):
        for k, i in enumerate(train[u]):
            rows.append((500 + u, 100 + i, 1000 + k, "purchase", 1.0, "train"))
        for k, i in enumerate(test[u]):
            rows.append((500 + u, 100 + i, 2000 + k, "purchase", 1.0, "test"))
    con.executemany("INSERT INTO interactions VALUES (?, ?, ?, ?, ?, ?)", rows)
    con.commit()
    con.close()
    return train, test


class TwoTower(torch.nn.Module):
    def __init__(self, items: List[str], users: List[str], dim: int):
        super().__init__()
        self.items = items
        self.users = users
        self.user_emb = torch.nn.Parameter(torch.randn(len(users), dim))
        self.item_emb = torch.nn.Parameter(torch.randn(len(items), dim))
        self.bias = torch.nn.Parameter(0.5 * torch.randn(len(items)))

    @torch.jit.export
    def item_ids(self) -> List[str]:
        return self.items

    @torch.jit.export
    def user_ids(self) -> List[str]:
        return self.users

    @torch.jit.export
    def user_embeddings(self) -> torch.Tensor:
        return self.user_emb

    @torch.jit.export
    def item_embeddings(self) -> torch.Tensor:
        return self.item_emb

    @torch.jit.export
    def item_bias(self) -> torch.Tensor:
        return self.bias

    def forward(self, users: torch.Tensor, items: torch.Tensor) -> torch.Tensor:
        return self.user_emb[users] @ self.item_emb[items].t() + self.bias[items]


class ScoreOnly(torch.nn.Module):
    """A non-factorised scorer: MLP(concat(user, item)), only reachable through score()."""

    def __init__(self, items: List[str], users: List[str], dim: int):
        super().__init__()
        self.items = items
        self.users = users
        self.user_emb = torch.nn.Parameter(torch.randn(len(users), dim))
        self.item_emb = torch.nn.Parameter(torch.randn(len(items), dim))
        self.mlp = torch.nn.Sequential(torch.nn.Linear(2 * dim, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1))

    @torch.jit.export
    def item_ids(self) -> List[str]:
        return self.items

    @torch.jit.export
    def user_ids(self) -> List[str]:
        return self.users

    @torch.jit.export
    def score(self, users: torch.Tensor, items: torch.Tensor) -> torch.Tensor:
        u = self.user_emb.index_select(0, users)
        v = self.item_emb.index_select(0, items)
        pairs = torch.cat([u.unsqueeze(1).expand(-1, v.size(0), -1), v.unsqueeze(0).expand(u.size(0), -1, -1)], 2)
        return self.mlp(pairs).squeeze(2)

    def forward(self, users: torch.Tensor, items: torch.Tensor) -> torch.Tensor:
        return self.score(users, items)


def model_ids():
    """Model rows in a shuffled order; 3 dataset items and 2 dataset users missing, 4 extra ids."""
    items = [item_ext[n] for n in rng.permutation(N_ITEMS) if n not in (5, 17, 42)] + ["x1", "x2", "x3", "x4"]
    users = [user_ext[n] for n in rng.permutation(N_USERS) if n not in (8, 21)] + ["y1"]
    rng.shuffle(items)
    return items, users


def expected_topk(name, full_scores, items, users, train, out):
    """full_scores[model_user_row, model_item_row] -> dataset-order top-K with train items excluded."""
    item_row = {e: r for r, e in enumerate(items)}
    user_row = {e: r for r, e in enumerate(users)}
    for u in range(N_USERS):
        if user_ext[u] not in user_row:
            continue  # unknown users get no candidates
        cand = [i for i in range(N_ITEMS) if i not in set(train[u]) and item_ext[i] in item_row]
        s = np.array([full_scores[user_row[user_ext[u]], item_row[item_ext[i]]] for i in cand], dtype=np.float64)
        order = np.argsort(-s, kind="stable")[:K]
        for rank, o in enumerate(order, 1):
            out.append((name, user_ext[u], rank, item_ext[cand[o]], float(s[o])))


def script_save(module, path):
    torch.jit.script(module).save(path)


class OnlyForward(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * 2


class IdsOnly(torch.nn.Module):
    def __init__(self, items: List[str], users: List[str]):
        super().__init__()
        self.items = items
        self.users = users

    @torch.jit.export
    def item_ids(self) -> List[str]:
        return self.items

    @torch.jit.export
    def user_ids(self) -> List[str]:
        return self.users

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


class Embeddings(torch.nn.Module):
    """Fast-path model with configurable (possibly broken) tensors."""

    def __init__(self, items: List[str], users: List[str], user_emb: torch.Tensor, item_emb: torch.Tensor):
        super().__init__()
        self.items = items
        self.users = users
        self.register_buffer("u", user_emb)
        self.register_buffer("v", item_emb)

    @torch.jit.export
    def item_ids(self) -> List[str]:
        return self.items

    @torch.jit.export
    def user_ids(self) -> List[str]:
        return self.users

    @torch.jit.export
    def user_embeddings(self) -> torch.Tensor:
        return self.u

    @torch.jit.export
    def item_embeddings(self) -> torch.Tensor:
        return self.v

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


class NanScore(ScoreOnly):
    @torch.jit.export
    def score(self, users: torch.Tensor, items: torch.Tensor) -> torch.Tensor:
        out = torch.zeros(users.size(0), items.size(0))
        out[0, 0] = float("nan")
        return out


class FlatScore(ScoreOnly):
    @torch.jit.export
    def score(self, users: torch.Tensor, items: torch.Tensor) -> torch.Tensor:
        return self.item_emb.index_select(0, items).sum(1)


def main():
    train, _ = write_dataset(os.path.join(HERE, "dataset.sqlite"))
    rows = []
    with torch.no_grad():
        items, users = model_ids()
        tt = TwoTower(items, users, DIM)
        script_save(tt, os.path.join(HERE, "two_tower.pt"))
        full = (tt.user_emb @ tt.item_emb.t() + tt.bias).double().numpy()
        expected_topk("two_tower", full, items, users, train, rows)

        items2, users2 = model_ids()
        so = ScoreOnly(items2, users2, DIM)
        script_save(so, os.path.join(HERE, "score_only.pt"))
        all_u = torch.arange(len(users2))
        all_i = torch.arange(len(items2))
        full2 = so.score(all_u, all_i).double().numpy()
        expected_topk("score_only", full2, items2, users2, train, rows)

        broken = os.path.join(HERE, "broken")
        os.makedirs(broken, exist_ok=True)
        with open(os.path.join(broken, "not_torchscript.pt"), "wb") as f:
            f.write(np.random.default_rng(1).bytes(2048))
        open(os.path.join(broken, "empty.pt"), "wb").close()
        script_save(OnlyForward(), os.path.join(broken, "no_methods.pt"))
        script_save(IdsOnly(items, users), os.path.join(broken, "ids_only.pt"))
        U, I = len(users), len(items)
        script_save(Embeddings(items, users, torch.randn(U, DIM), torch.randn(I, DIM - 1)),
                    os.path.join(broken, "dim_mismatch.pt"))
        script_save(Embeddings(items, users, torch.randn(U, DIM), torch.randn(I - 1, DIM)),
                    os.path.join(broken, "row_mismatch.pt"))
        script_save(Embeddings(items, users, torch.randn(U, DIM), torch.randint(0, 5, (I, DIM))),
                    os.path.join(broken, "int_embeddings.pt"))
        bad = torch.randn(I, DIM)
        bad[3, 2] = float("inf")
        script_save(Embeddings(items, users, torch.randn(U, DIM), bad), os.path.join(broken, "inf_embeddings.pt"))
        script_save(NanScore(items2, users2, DIM), os.path.join(broken, "nan_score.pt"))
        script_save(FlatScore(items2, users2, DIM), os.path.join(broken, "score_wrong_shape.pt"))
        few = item_ext[:20]  # 20 of 60 items: under half
        script_save(Embeddings(few, users, torch.randn(U, DIM), torch.randn(len(few), DIM)),
                    os.path.join(broken, "low_coverage.pt"))

    with open(os.path.join(HERE, "expected_topk.csv"), "w") as f:
        f.write("model,user_id,rank,item_id,score\n")
        for r in rows:
            f.write(f"{r[0]},{r[1]},{r[2]},{r[3]},{r[4]:.7g}\n")


if __name__ == "__main__":
    main()
