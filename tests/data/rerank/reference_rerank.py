#!/usr/bin/python3
"""Independent re-ranking (DESIGN §6) for every evaluated user, compared with `reclens-cli evaluate --lists`.

    /usr/bin/python3 reference_rerank.py D.sqlite M.pt LISTS.csv [--k 10] [--pool 100]
        [--rerank none|mmr|dpp] [--diversity 0.5] [--similarity embedding|category] [--category-level N]

Reads the dataset SQLite file read-only (no RecLens code), the TorchScript model through its
DESIGN §3 methods (item_ids, user_ids, user_embeddings, item_embeddings, optional item_bias) and the
CLI's lists CSV (user_id,rank,item_id,score with external ids). Use the same options as the evaluate run.

What is computed, per evaluated user u (at least one test item not in train, DESIGN §5):
  scores     u·i (+ item_bias) in float32 (numpy float32 matmul of the float32 tensors); dataset
             items missing from the model score -inf and never enter the pool
  pool       the top `pool` items of the ranking universe (items not in train_u) by score, ties by
             lower dataset item index; the pool's order is the model rank
  r̂          scores min-max normalised over the pool (float64), all 1 if they are equal
  none       the pool's first K items
  mmr        K greedy steps of argmax (1-δ)·r̂_i - δ·max_{j∈S} sim(i,j); the max over an empty S is 0,
             over a non-empty S the true maximum (negative when every selected item has negative
             cosine with i); ties by model rank
  dpp        fast greedy MAP (Chen, Zhang & Zhou 2018, incremental Cholesky) on
             L = diag(q)·S·diag(q), q_i = exp(α·r̂_i), α = θ/(2(1-θ)), θ = 1-δ; the first item is
             argmax of L_ii; stops when the best remaining d_i² < 1e-10, then fills the remaining
             slots in model order; ties by model rank. When 2α is too large for exp() in double,
             q_i = exp(α·(r̂_i - 1)) (the same kernel up to a constant factor) is used instead.
  δ = 0      model order for every method
Similarity:
  embedding  cosine of the model's item embeddings: rows normalised to unit length (float64), an
             all-zero row stays zero, so it has cosine 0 with everything (itself included: its
             L_ii = 0 and dpp never picks it greedily)
  category   1 - d(i,j), d = (H - shared)/H, H = the deepest level of the category tree, shared = the
             number of leading levels the two paths agree on. A path shorter than H is extended with
             its deepest category (DESIGN §5: an item whose path is shorter than the level "counts
             under its deepest category"), so two items filed under the same inner category are at
             distance 0 and an inner-category item is nearer its own subtree than other branches.
             Items without a category are at distance 1 from every other item; d(i,i) = 0.
             --category-level is accepted for parity with the evaluate command line; the tree
             distance of DESIGN §5 always uses H, so the level does not change mmr/dpp lists.

Comparison: the reference replays each user's list step by step. Where the CLI's item at a rank
differs from the reference's choice, the difference is accepted only when the reference's
objective values of the two items at that step differ by less than 1e-9 (absolute; mmr: the MMR
objective; dpp: d_i² divided by max_i L_ii; none and the dpp fill: r̂); the reference then
continues from the CLI's choice. Accepted cases are counted and printed (an exact tie that the CLI
did not break by model rank is flagged). Anything else — another item, an item outside the pool or
picked twice, a list of the wrong length, a missing or extra user — is a mismatch. The CLI's score
column is checked against the model score (relative 1e-5) and reported, not failed.

Prints one line per mismatching user (the first 10) and a summary. Exit code 0 on full agreement,
1 otherwise, 2 on bad usage, 77 when numpy/torch are missing (the test is then skipped).
"""
import argparse
import csv
import math
import os
import sqlite3
import sys

try:
    import numpy as np
    import torch
except ImportError:  # pragma: no cover
    print("numpy/torch missing: skipped")
    sys.exit(77)

# The dataset reader of the metric recomputation (plain sqlite3, no RecLens code).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "metrics"))
from recompute import load as load_dataset  # noqa: E402

TIE = 1e-9
DPP_STOP = 1e-10
SCORE_RTOL = 1e-5
SHOW = 10


def padded_paths(paths, H):
    """n_items x H category ids; a short path repeats its deepest category, no category = a unique id."""
    out = np.zeros((len(paths), max(H, 1)), dtype=np.int64)
    for i, p in enumerate(paths):
        if not p:
            out[i, :] = -(i + 1)
        else:
            for lv in range(max(H, 1)):
                out[i, lv] = p[min(lv, len(p) - 1)]
    return out


def load_model(path, ds):
    m = torch.jit.load(path, map_location="cpu")
    item_ids = list(m.item_ids())
    user_ids = list(m.user_ids())
    with torch.no_grad():
        U = m.user_embeddings().detach().to(torch.float32).contiguous().numpy()
        V = m.item_embeddings().detach().to(torch.float32).contiguous().numpy()
        bias = None
        if hasattr(m, "item_bias"):
            bias = m.item_bias().detach().to(torch.float32).contiguous().numpy()
    item_row = {e: r for r, e in enumerate(item_ids)}
    user_row = {e: r for r, e in enumerate(user_ids)}
    n_items, dim = len(ds["item_ext"]), V.shape[1]
    present = np.array([e in item_row for e in ds["item_ext"]])
    rows = np.array([item_row.get(e, 0) for e in ds["item_ext"]], dtype=np.int64)
    item_emb = np.zeros((n_items, dim), dtype=np.float32)
    item_emb[present] = V[rows[present]]
    item_bias = np.zeros(n_items, dtype=np.float32)
    if bias is not None:
        item_bias[present] = bias[rows[present]]
    user_emb = {u: U[user_row[e]] for u, e in enumerate(ds["user_ext"]) if e in user_row}
    return user_emb, item_emb, item_bias, present


def unit_rows(E):
    E = E.astype(np.float64)
    norm = np.linalg.norm(E, axis=1)
    out = np.zeros_like(E)
    nz = norm > 0
    out[nz] = E[nz] / norm[nz, None]
    return out


def candidate_pool(scores, train, present, pool):
    mask = np.ones(len(scores), dtype=bool)
    if train:
        mask[list(train)] = False
    mask &= present & np.isfinite(scores)
    idx = np.nonzero(mask)[0]
    order = np.lexsort((idx, -scores[idx].astype(np.float64)))
    return idx[order[:pool]]


def normalise(s):
    s = s.astype(np.float64)
    lo, hi = s.min(), s.max()
    if hi == lo:
        return np.ones_like(s)
    return (s - lo) / (hi - lo)


class ModelOrder:
    """Objective r̂ (ties by model rank): the pool's own order."""

    def __init__(self, rhat):
        self.rhat = rhat

    def objective(self, taken):
        obj = self.rhat.copy()
        obj[taken] = -np.inf
        return obj

    def take(self, c):
        pass

    def phase(self):
        return "model order"


class Mmr:
    def __init__(self, rhat, sim, delta):
        self.rhat, self.sim, self.delta = rhat, sim, delta
        self.maxsim = None  # max over an empty set is 0; afterwards the true maximum

    def objective(self, taken):
        penalty = self.maxsim if self.maxsim is not None else 0.0
        obj = (1.0 - self.delta) * self.rhat - self.delta * penalty
        obj[taken] = -np.inf
        return obj

    def take(self, c):
        row = self.sim[c]
        self.maxsim = row.copy() if self.maxsim is None else np.maximum(self.maxsim, row)

    def phase(self):
        return "mmr"


class Dpp:
    def __init__(self, rhat, sim, delta, k):
        theta = 1.0 - delta
        alpha = theta / (2.0 * (1.0 - theta))
        shift = 1.0 if 2.0 * alpha > 600.0 else 0.0
        q = np.exp(alpha * (rhat - shift))
        self.L = q[:, None] * sim * q[None, :]
        self.d2 = np.diag(self.L).copy()
        self.scale = float(np.max(q)) ** 2
        self.C = np.zeros((len(rhat), k))
        self.n = 0
        self.fill = ModelOrder(rhat)
        self.greedy = True

    def objective(self, taken):
        if self.greedy:
            obj = self.d2 / self.scale
            obj[taken] = -np.inf
            if np.max(obj) * self.scale < DPP_STOP:
                self.greedy = False
        if not self.greedy:
            return self.fill.objective(taken)
        return obj

    def take(self, c):
        if not self.greedy:
            return
        k = self.n
        e = (self.L[c] - self.C[:, :k] @ self.C[c, :k]) / math.sqrt(self.d2[c])
        self.C[:, k] = e
        self.d2 = self.d2 - e * e
        self.n += 1

    def phase(self):
        return "dpp" if self.greedy else "dpp fill"


def read_lists(path, user_of, item_of):
    lists, problems = {}, []
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            u = user_of.get(row["user_id"])
            i = item_of.get(row["item_id"])
            if u is None or i is None:
                problems.append(f"unknown id in lists: user {row['user_id']} item {row['item_id']}")
                continue
            lists.setdefault(u, []).append((int(row["rank"]), i, float(row["score"])))
    return {u: sorted(v) for u, v in lists.items()}, problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data")
    ap.add_argument("model")
    ap.add_argument("lists")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--pool", type=int, default=100)
    ap.add_argument("--rerank", choices=["none", "mmr", "dpp"], default="none")
    ap.add_argument("--diversity", type=float, default=0.5)
    ap.add_argument("--similarity", choices=["embedding", "category"], default="embedding")
    ap.add_argument("--category-level", type=int, default=0)
    args = ap.parse_args()
    if not 0.0 <= args.diversity <= 1.0 or args.k < 1 or args.pool < 1:
        print("--diversity must be in [0,1], --k and --pool at least 1", file=sys.stderr)
        return 2
    label = f"rerank={args.rerank}"
    if args.rerank != "none":
        label += f" similarity={args.similarity} diversity={args.diversity:g}"

    ds = load_dataset(args.data)
    user_emb, item_emb, item_bias, present = load_model(args.model, ds)
    unit = unit_rows(item_emb)
    cat = padded_paths(ds["paths"], ds["H"])
    H = max(ds["H"], 1)
    item_of = {e: i for i, e in enumerate(ds["item_ext"])}
    user_of = {e: u for u, e in enumerate(ds["user_ext"])}
    lists, problems = read_lists(args.lists, user_of, item_of)

    evaluated = [u for u in range(len(ds["user_ext"])) if ds["test"][u] - ds["train"][u]]
    scored = [u for u in evaluated if u in user_emb]
    scores = {}
    if scored:
        block = np.stack([user_emb[u] for u in scored]).astype(np.float32) @ item_emb.T
        block = block + item_bias[None, :]
        scores = {u: block[n] for n, u in enumerate(scored)}

    mismatches, ties, tie_users, flagged, score_off = [], [], set(), 0, 0
    compared = 0
    for u in evaluated:
        ext = ds["user_ext"][u]
        got = lists.pop(u, [])
        if u in scores:
            pool = candidate_pool(scores[u], ds["train"][u], present, args.pool)
        else:
            pool = np.zeros(0, dtype=np.int64)
        compared += 1
        K = min(args.k, len(pool))
        if [r for r, _, _ in got] != list(range(1, len(got) + 1)) or len(got) != K:
            mismatches.append(f"user {ext}: CLI list has ranks {[r for r, _, _ in got][:12]}, expected 1..{K}")
            continue
        if K == 0:
            continue
        s = scores[u][pool]
        rhat = normalise(s)
        if args.rerank == "none" or args.diversity == 0.0:
            ranker = ModelOrder(rhat)
        else:
            if args.similarity == "embedding":
                e = unit[pool]
                sim = e @ e.T
            else:
                c = cat[pool]
                agree = np.ones((len(pool), len(pool)), dtype=bool)
                shared = np.zeros((len(pool), len(pool)))
                for lv in range(H):
                    agree &= c[:, lv][:, None] == c[:, lv][None, :]
                    shared += agree
                sim = shared / H
                np.fill_diagonal(sim, 1.0)
            ranker = Mmr(rhat, sim, args.diversity) if args.rerank == "mmr" else Dpp(rhat, sim, args.diversity, K)
        pos = {int(i): n for n, i in enumerate(pool)}
        taken = np.zeros(len(pool), dtype=bool)
        for r in range(K):
            obj = ranker.objective(taken)
            best = int(np.argmax(obj))
            _, item, cli_score = got[r]
            mine = pos.get(item)
            if mine is None or taken[mine]:
                where = "outside the pool" if mine is None else "a repeat"
                mismatches.append(f"user {ext} rank {r + 1}: CLI item {ds['item_ext'][item]} is {where}; "
                                  f"reference {ds['item_ext'][pool[best]]} ({ranker.phase()})")
                break
            if abs(cli_score - float(s[mine])) > SCORE_RTOL * max(1.0, abs(float(s[mine]))):
                score_off += 1
            if mine != best:
                gap = float(obj[best] - obj[mine])
                if not gap < TIE:
                    mismatches.append(
                        f"user {ext} rank {r + 1} ({ranker.phase()}): CLI {ds['item_ext'][item]} "
                        f"(model rank {mine + 1}, objective {obj[mine]:.12g}) vs reference "
                        f"{ds['item_ext'][pool[best]]} (model rank {best + 1}, objective {obj[best]:.12g}), "
                        f"difference {gap:.3g}")
                    break
                against_rank = gap == 0.0 and mine > best
                flagged += against_rank
                ties.append(f"tie user {ext} rank {r + 1} ({ranker.phase()}): CLI {ds['item_ext'][item]} "
                            f"(model rank {mine + 1}) vs reference {ds['item_ext'][pool[best]]} "
                            f"(model rank {best + 1}), difference {gap:.3g}"
                            + (" [exact tie not broken by model rank]" if against_rank else ""))
                tie_users.add(u)
            ranker.take(mine)
            taken[mine] = True
    for u in sorted(lists):
        mismatches.append(f"user {ds['user_ext'][u]}: in the CLI lists but not an evaluated user")
    mismatches = problems + mismatches

    for line in mismatches[:SHOW]:
        print(f"MISMATCH {line}")
    if len(mismatches) > SHOW:
        print(f"... {len(mismatches) - SHOW} more mismatches")
    for line in ties:
        print(line)
    print(f"{label}: {compared} users compared, {len(mismatches)} mismatches, "
          f"{len(ties)} accepted ties ({len(tie_users)} users, {flagged} exact ties not broken by model rank), "
          f"{score_off} score cells off by more than {SCORE_RTOL:g}")
    return 0 if not mismatches else 1


if __name__ == "__main__":
    sys.exit(main())
