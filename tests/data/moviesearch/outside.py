#!/usr/bin/env python3
"""Inputs for the movie-search check made without RecLens (check_moviesearch.sh).

  outside.py translate QRELS LINKS.csv OUT     qrels with TMDB ids -> MovieLens movieIds (links.csv;
                                               the first row of a TMDB id wins, as in 'import queries');
                                               ids without a movie become 'unmapped-ID'
  outside.py run QRELS_ML MOVIES.csv OUT SEED [ascending]
                                               a run of every judged query: its judged movies and 40
                                               random others, scores rounded to one decimal (so ties
                                               occur), ranks in trec_eval's order (score descending,
                                               docid descending); with 'ascending' ties are ranked by
                                               docid ascending instead, an order trec_eval ignores
  outside.py test-qrels DATASET.sqlite OUT     a dataset's test interactions as qrels, the rating as the
                                               grade (items the user has in train left out), read with
                                               Python's sqlite3
"""
import csv
import random
import sys


def translate(qrels, links, out):
    m = {}
    with open(links, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["tmdbId"].strip() and r["movieId"].strip():
                m.setdefault(r["tmdbId"].strip(), r["movieId"].strip())
    with open(qrels, encoding="utf-8") as f, open(out, "w", encoding="utf-8") as o:
        for line in f:
            if line.strip():
                q, it, d, g = line.split()
                o.write(f"{q} {it} {m.get(d, 'unmapped-' + d)} {g}\n")


def run(qrels, movies, out, seed, ties="descending"):
    rng = random.Random(int(seed))
    with open(movies, newline="", encoding="utf-8") as f:
        ids = [r["movieId"] for r in csv.DictReader(f)]
    judged = {}
    with open(qrels, encoding="utf-8") as f:
        for line in f:
            q, _, d, _ = line.split()
            judged.setdefault(q, []).append(d)
    with open(out, "w", encoding="utf-8") as o:
        for q, docs in judged.items():
            cand = {d for d in docs if not d.startswith("unmapped-")} | set(rng.sample(ids, 40))
            scored = [(round(rng.random() * 3, 1), d) for d in sorted(cand)]
            if ties == "ascending":
                scored.sort(key=lambda x: (-x[0], x[1]))
            else:
                scored.sort(key=lambda x: (-x[0], [-ord(c) for c in x[1]] + [1]))
            for r, (s, d) in enumerate(scored, 1):
                o.write(f"{q} Q0 {d} {r} {s} outside\n")


def test_qrels(dataset, out):
    import sqlite3
    db = sqlite3.connect(f"file:{dataset}?mode=ro", uri=True)
    # Train pairs in a set: a correlated NOT EXISTS over the interactions scans the table once per test
    # row when SQLite builds no index for it.
    train = set(db.execute("SELECT user_id, item_id FROM interactions WHERE split = 'train'"))
    grades = {}
    for user, item, w in db.execute("SELECT user_id, item_id, COALESCE(weight, 1) FROM interactions "
                                    "WHERE split = 'test'"):
        if (user, item) not in train:
            grades[(user, item)] = grades.get((user, item), 0.0) + float(w)
    users = dict(db.execute("SELECT user_id, external_id FROM users"))
    items = dict(db.execute("SELECT item_id, external_id FROM items"))
    with open(out, "w", encoding="utf-8") as o:
        for (u, i), w in sorted(grades.items()):
            o.write(f"{users[u]} 0 {items[i]} {w!r}\n")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "translate":
        translate(*sys.argv[2:])
    elif len(sys.argv) in (6, 7) and sys.argv[1] == "run":
        run(*sys.argv[2:])
    elif len(sys.argv) == 4 and sys.argv[1] == "test-qrels":
        test_qrels(*sys.argv[2:])
    else:
        sys.exit(__doc__)
