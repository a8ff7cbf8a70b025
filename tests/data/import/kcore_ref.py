#!/usr/bin/env python3
"""The k-core import filter on MovieLens against an independent implementation.

Reads ml-latest-small's ratings.csv with Python's csv module, computes the k-core of the distinct
(user, movie) pairs by the textbook loop (drop users with fewer than U movies and movies with fewer
than I users, repeat until nothing changes), and compares the users, movies and rating rows that
survive with `reclens-cli import movielens --min-user-items U --min-item-users I` read back with
sqlite3. Two filters: a mild one (5/5) and one that needs several passes (40/40). A filter that
leaves nothing must be refused with one line and no file.

usage: kcore_ref.py RECLENS_CLI DATASETS_DIR
"""
import csv
import os
import sqlite3
import subprocess
import sys
import tempfile


def k_core(pairs, min_user_items, min_item_users):
    pairs = set(pairs)
    rounds = 0
    while True:
        rounds += 1
        users, items = {}, {}
        for u, i in pairs:
            users[u] = users.get(u, 0) + 1
            items[i] = items.get(i, 0) + 1
        kept = {(u, i) for u, i in pairs if users[u] >= min_user_items and items[i] >= min_item_users}
        if kept == pairs:
            return pairs, rounds
        pairs = kept


def main():
    cli, datasets = sys.argv[1], sys.argv[2]
    ml = os.path.join(datasets, "ml-latest-small")
    if not os.path.exists(os.path.join(ml, "ratings.csv")):
        print(f"skipped: {ml} is not there")
        sys.exit(77)
    with open(os.path.join(ml, "ratings.csv"), newline="", encoding="utf-8") as f:
        rows = [(r["userId"], r["movieId"]) for r in csv.DictReader(f)]
    with tempfile.TemporaryDirectory() as tmp:
        for users_min, items_min in ((5, 5), (40, 40)):
            core, rounds = k_core(rows, users_min, items_min)
            want_users = {u for u, _ in core}
            want_items = {i for _, i in core}
            want_rows = sum(1 for r in rows if r in core)
            out = os.path.join(tmp, f"ml-{users_min}-{items_min}.sqlite")
            run = subprocess.run([cli, "import", "movielens", ml, "--out", out, "--min-user-items", str(users_min),
                                  "--min-item-users", str(items_min)], capture_output=True, text=True)
            if run.returncode != 0:
                sys.exit(f"FAIL import {users_min}/{items_min}: {run.stderr}")
            db = sqlite3.connect(f"file:{out}?mode=ro", uri=True)
            got_users = {r[0] for r in db.execute("SELECT external_id FROM users")}
            got_items = {r[0] for r in db.execute("SELECT external_id FROM items")}
            got_rows = db.execute("SELECT COUNT(*) FROM interactions").fetchone()[0]
            if (got_users, got_items, got_rows) != (want_users, want_items, want_rows):
                sys.exit(f"FAIL {users_min}/{items_min}: {len(got_users)} users, {len(got_items)} items, {got_rows} rows; "
                         f"reference {len(want_users)}, {len(want_items)}, {want_rows}")
            if f"in {rounds} passes" not in run.stdout:
                sys.exit(f"FAIL {users_min}/{items_min}: the report does not say {rounds} passes:\n{run.stdout}")
            print(f"ok   k-core {users_min}/{items_min}: {len(want_users)} users, {len(want_items)} movies, "
                  f"{want_rows} ratings of {len(rows)}, {rounds} passes")
        out = os.path.join(tmp, "none.sqlite")
        run = subprocess.run([cli, "import", "movielens", ml, "--out", out, "--min-user-items", "100000"],
                             capture_output=True, text=True)
        if run.returncode == 0 or os.path.exists(out) or len(run.stderr.strip().splitlines()) != 1 \
                or "left no interactions" not in run.stderr:
            sys.exit(f"FAIL: a filter that leaves nothing was not refused with one line: {run.stderr!r}")
        print(f"ok   refused: {run.stderr.strip()}")
    print("ok")


if __name__ == "__main__":
    main()
