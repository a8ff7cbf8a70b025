#!/usr/bin/env python3
"""The numbers the demo session's story notes quote (sample_data/demo.reclens) are the numbers the
sample gives: each note's figures are recomputed here from reclens-cli's per-user output of the
session's own settings (re-ranked, with its rule), of the primary model's own order, and of the
popularity model, and compared at the precision the note prints. A rebuilt sample that moves a
number makes this fail, so the notes never tell an untrue story.

usage: check_demo_notes.py RECLENS_CLI SAMPLE_DIR
"""
import csv
import json
import os
import subprocess
import sys
import tempfile


def per_user(cli, args, tmp, name):
    out = os.path.join(tmp, name + ".csv")
    js = os.path.join(tmp, name + ".json")
    subprocess.run([cli, "evaluate", *args, "--no-auc", "--per-user", out, "--json", js], check=True,
                   stdout=subprocess.DEVNULL)
    with open(out, newline="") as f:
        rows = {r["user_id"]: r for r in csv.DictReader(f)}
    with open(js) as f:
        return rows, json.load(f)["metrics"]


def main():
    cli, sample = sys.argv[1], sys.argv[2]
    session = os.path.join(sample, "demo.reclens")
    if not os.path.exists(session):
        print("demo session not built (the sample_data target)")
        return 77
    with open(session) as f:
        demo = json.load(f)
    data = os.path.join(sample, demo["dataset"]["path"])
    primary = os.path.join(sample, demo["sources"][0]["path"])
    popularity = os.path.join(sample, "completejourney-popularity.pt")
    with tempfile.TemporaryDirectory() as tmp:
        shown, _ = per_user(cli, ["--session", session], tmp, "shown")
        base, base_all = per_user(cli, ["--data", data, "--model", primary], tmp, "base")
        pop, pop_all = per_user(cli, ["--data", data, "--model", popularity], tmp, "pop")
    f2 = lambda v: f"{float(v):.2f}"
    notes = {u["user"]: u["note"] for u in demo["story"]}
    expect = {
        "852": [f"nDCG {f2(pop['852']['ndcg'])})", f"(nDCG {f2(base['852']['ndcg'])})",
                f"category ILD {f2(base['852']['ild_category'])} → {f2(shown['852']['ild_category'])}"],
        "866": [f"over {int(float(shown['866']['category_count']))} categories instead of "
                f"{int(float(base['866']['category_count']))}",
                f"category ILD {f2(base['866']['ild_category'])} → {f2(shown['866']['ild_category'])}",
                f"nDCG {f2(base['866']['ndcg'])} → {f2(shown['866']['ndcg'])}"],
        "1557": [f"(nDCG {f2(pop['1557']['ndcg'])})",
                 f"its lists are {round(100 * pop_all['personalization'])}% personalised",
                 f"item-kNN's {round(100 * base_all['personalization'])}%"],
    }
    failed = 0
    for user, parts in expect.items():
        for part in parts:
            if part not in notes.get(user, ""):
                print(f"FAIL: the note of story user {user} should say '{part}': {notes.get(user)!r}")
                failed += 1
    # The first note's hit: item-kNN finds one of the five held-out purchases, at rank 1.
    if float(base["852"]["hits"] if "hits" in base["852"] else base["852"]["precision"]) * 10 != 1:
        print("FAIL: story user 852 should have exactly one hit in item-kNN's top 10")
        failed += 1
    if not failed:
        print("the demo notes' numbers hold:", "; ".join(p for ps in expect.values() for p in ps))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
