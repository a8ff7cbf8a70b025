#!/usr/bin/env python3
"""Counts of the real datasets computed independently of RecLens (plain csv + statistics modules),
following the import rules written in docs/data.md. tst_samplecounts compares the importers' output
with sample_counts.json. Regenerate with:  python3 tests/data/sample_counts.py [DATASETS_DIR]"""
import csv
import json
import math
import os
import statistics
import sys
from collections import Counter, defaultdict
from datetime import datetime

HERE = os.path.dirname(os.path.abspath(__file__))
DATASETS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "shared", "datasets")


def n_test(n, fraction=0.2):
    # round half away from zero, clamped to [1, n-1]; users with < 2 rows stay train-only
    if n < 2:
        return 0
    return min(max(int(math.floor(fraction * n + 0.5)), 1), n - 1)


def split_sizes(rows_per_user):
    test = sum(n_test(n) for n in rows_per_user.values())
    total = sum(rows_per_user.values())
    return total - test, test


def movielens():
    d = os.path.join(DATASETS, "ml-latest-small")
    with open(os.path.join(d, "movies.csv"), newline="", encoding="utf-8") as f:
        movies = list(csv.DictReader(f))
    with open(os.path.join(d, "ratings.csv"), newline="", encoding="utf-8") as f:
        ratings = list(csv.DictReader(f))
    genres = {m["genres"].split("|")[0] for m in movies if m["genres"] != "(no genres listed)"}
    per_user = Counter(r["userId"] for r in ratings)
    train, test = split_sizes(per_user)
    items = {m["movieId"] for m in movies} | {r["movieId"] for r in ratings}
    return {
        "users": len(per_user),
        "items": len(items),
        "categories": len(genres),
        "category_levels": 1,
        "brands": 0,
        "interactions": len(ratings),
        "train_interactions": train,
        "test_interactions": test,
        "items_without_category": sum(1 for m in movies if m["genres"] == "(no genres listed)"),
        "min_rating_4_interactions": sum(1 for r in ratings if float(r["rating"]) >= 4.0),
    }


def completejourney():
    d = os.path.join(DATASETS, "completejourney")
    with open(os.path.join(d, "products.csv"), newline="", encoding="utf-8") as f:
        products = {p["product_id"]: p for p in csv.DictReader(f)}
    with open(os.path.join(d, "transactions_sample.csv"), newline="", encoding="utf-8") as f:
        lines = list(csv.DictReader(f))
    with open(os.path.join(d, "demographics.csv"), newline="", encoding="utf-8") as f:
        demographics = list(csv.DictReader(f))
    bought = {t["product_id"] for t in lines}
    nodes = set()
    brands = set()
    no_category = 0
    for pid in bought:
        p = products.get(pid)
        if p is None:
            no_category += 1
            continue
        path = []
        for level in ("department", "product_category", "product_type"):
            if not p[level]:
                break
            path.append(p[level])
            nodes.add(tuple(path))
        if not path:
            no_category += 1
        if p["manufacturer_id"]:
            brands.add(p["manufacturer_id"])
    per_user = Counter(t["household_id"] for t in lines)
    train, test = split_sizes(per_user)
    unit = defaultdict(list)
    for t in lines:
        q = float(t["quantity"])
        if q > 0:
            unit[t["product_id"]].append(float(t["sales_value"]) / q)
    medians = {pid: statistics.median(v) for pid, v in unit.items()}
    households = set(per_user)
    segments = Counter(r["household_comp"] for r in demographics if r["household_id"] in households)
    ts = [datetime.strptime(t["transaction_timestamp"], "%Y-%m-%dT%H:%M:%S%z").timestamp() for t in lines]
    examples = sorted(medians)[:3]
    return {
        "users": len(per_user),
        "items": len(bought),
        "categories": len(nodes),
        "category_levels": max(len(n) for n in nodes),
        "brands": len(brands),
        "interactions": len(lines),
        "distinct_pairs": len({(t["household_id"], t["product_id"]) for t in lines}),
        "train_interactions": train,
        "test_interactions": test,
        "items_without_category": no_category,
        "lines_with_unknown_product": sum(1 for t in lines if t["product_id"] not in products),
        "items_with_price": len(medians),
        "price_sum": round(sum(medians.values()), 6),
        "price_examples": {pid: medians[pid] for pid in examples},
        "segments": dict(sorted(segments.items())),
        "min_ts": int(min(ts)),
        "max_ts": int(max(ts)),
        "all_products_items": len(set(products) | bought),
    }


def main():
    out = {"movielens": movielens(), "completejourney": completejourney()}
    with open(os.path.join(HERE, "sample_counts.json"), "w") as f:
        json.dump(out, f, indent=2, sort_keys=True)
        f.write("\n")
    print(json.dumps(out, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
