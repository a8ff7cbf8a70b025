#!/usr/bin/env python3
"""Tunes the sample's BPR honestly: on a validation split carved from the train split, never on test.

1. The sample's train interactions (read with sqlite3) are written as a CSV and imported again with
   `reclens-cli import csv` and the same time split (each household's latest 20% of its train rows
   become the validation "test"). The real test rows are not in that dataset at all.
2. BPR is trained on the validation dataset's train part for every setting of a small grid (dimension,
   epochs, learning rate, regularisation; seed 42, one thread) and evaluated there: nDCG@10.
3. The best setting by validation nDCG@10 is printed, with the whole grid as a table.
The sample build (sample_data/CMakeLists.txt) trains BPR on the full train split with that setting;
docs/models.md records the table and the test figures that followed.

usage: tune_bpr.py RECLENS_CLI SAMPLE_DATASET [--grid '{"dim": [64, 128], ...}'] [--out TABLE.md]
(the default grid below; docs/models.md gives the grids that were run, the second around the first's best)
"""
import argparse
import csv
import itertools
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

GRID = {
    "dim": [32, 64, 128],
    "epochs": [10, 30],
    "lr": [0.005, 0.01, 0.02],
    "reg": [0.0, 1e-3, 1e-2],
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cli")
    ap.add_argument("dataset")
    ap.add_argument("--out")
    ap.add_argument("--grid", help="JSON object of lists over dim, epochs, lr, reg (default: GRID)")
    a = ap.parse_args()
    grid = dict(GRID)
    if a.grid:
        grid.update(json.loads(a.grid))
    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(f"file:{a.dataset}?mode=ro", uri=True)
        rows = db.execute("""SELECT u.external_id, i.external_id, t.ts FROM interactions t
                             JOIN users u USING (user_id) JOIN items i USING (item_id)
                             WHERE t.split = 'train' ORDER BY t.rowid""").fetchall()
        train_csv = os.path.join(tmp, "train.csv")
        with open(train_csv, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["user", "item", "ts"])
            w.writerows(rows)
        valid = os.path.join(tmp, "valid.sqlite")
        subprocess.run([a.cli, "import", "csv", "--interactions", train_csv, "--user-col", "user", "--item-col", "item",
                        "--time-col", "ts", "--out", valid], check=True, stdout=subprocess.DEVNULL)
        results = []
        for dim, epochs, lr, reg in itertools.product(grid["dim"], grid["epochs"], grid["lr"], grid["reg"]):
            model = os.path.join(tmp, "bpr.pt")
            subprocess.run([a.cli, "train", "bpr", "--data", valid, "--out", model, "--threads", "1", "--seed", "42",
                            "--batch-size", "4096", "--dim", str(dim), "--epochs", str(epochs), "--lr", str(lr),
                            "--reg", str(reg)], check=True, stdout=subprocess.DEVNULL)
            js = os.path.join(tmp, "e.json")
            subprocess.run([a.cli, "evaluate", "--data", valid, "--model", model, "--k", "10", "--no-auc", "--json", js],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            m = json.load(open(js))["metrics"]
            results.append((m["ndcg"], m["recall"], dim, epochs, lr, reg))
            print(f"dim {dim:3d} epochs {epochs:3d} lr {lr:<5} reg {reg:<6} validation nDCG@10 {m['ndcg']:.4f}",
                  flush=True)
    results.sort(key=lambda r: -r[0])
    lines = ["| dim | epochs | lr | reg | validation nDCG@10 | validation recall@10 |", "|---|---|---|---|---|---|"]
    for ndcg, recall, dim, epochs, lr, reg in results:
        lines.append(f"| {dim} | {epochs} | {lr} | {reg} | {ndcg:.4f} | {recall:.4f} |")
    best = results[0]
    lines.append("")
    lines.append(f"best: --dim {best[2]} --epochs {best[3]} --lr {best[4]} --reg {best[5]}")
    text = "\n".join(lines) + "\n"
    if a.out:
        open(a.out, "w").write(text)
    print(text)


if __name__ == "__main__":
    main()
