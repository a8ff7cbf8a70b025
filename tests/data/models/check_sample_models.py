#!/usr/bin/env python3
"""The sample's built-in models against sample_models_ref.py (numpy/scipy, float64, written from the
definitions): popularity, item-kNN (every neighbour, ties by item index) and EASE (λ 500, the support
of items with at least 5 train users) as the sample build trains them. For each, `reclens-cli evaluate
--no-auc` and the reference must agree on nDCG@10, recall@10, catalogue coverage, personalization and
novelty: to 1e-9 for popularity (exact counts) and to 2e-3 relative for item-kNN and EASE, whose
scores RecLens sums in float32: a near-tie may then fall the other way for a few users (item-kNN's
nDCG agrees to the last digit, its catalogue coverage by 3 of 20,902 items).

usage: check_sample_models.py RECLENS_CLI SAMPLE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

METRICS = ["ndcg", "recall", "catalog_coverage", "personalization", "novelty"]
TOLERANCE = {"popularity": 1e-9, "itemknn": 2e-3, "ease": 2e-3}


def main():
    cli, sample = sys.argv[1], sys.argv[2]
    data = os.path.join(sample, "completejourney.sqlite")
    models = {m: os.path.join(sample, f"completejourney-{m}.pt") for m in TOLERANCE}
    if not all(os.path.exists(p) for p in [data, *models.values()]):
        print("skipped: the sample is not built")
        sys.exit(77)
    try:
        import numpy  # noqa: F401
        import scipy  # noqa: F401
    except ImportError as e:
        print(f"skipped: {e}")
        sys.exit(77)
    here = os.path.dirname(os.path.abspath(__file__))
    ref = subprocess.run([sys.executable, os.path.join(here, "sample_models_ref.py"), data, "--ties", "index",
                          "--neighbours", "0", "--lambda", "500", "--ease-min-item-users", "5",
                          "--models", ",".join(TOLERANCE)], check=True, capture_output=True, text=True)
    reference = {r["model"]: r for r in map(json.loads, ref.stdout.splitlines())}
    failed = False
    tmp = tempfile.mkdtemp()
    for model, path in models.items():
        js = os.path.join(tmp, model + ".json")
        subprocess.run([cli, "evaluate", "--data", data, "--model", path, "--k", "10", "--no-auc", "--json", js],
                       check=True, capture_output=True, text=True)
        with open(js) as f:
            got = json.load(f)["metrics"]
        os.remove(js)
        want = reference[model]
        worst = max(abs(got[m] - want[m]) / max(abs(want[m]), 1e-12) for m in METRICS)
        ok = worst <= TOLERANCE[model]
        failed = failed or not ok
        print(f"{'ok  ' if ok else 'FAIL'} {model}: " + ", ".join(f"{m} {got[m]:.6f} (ref {want[m]:.6f})" for m in METRICS)
              + f"; worst relative difference {worst:.2e}")
    os.rmdir(tmp)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
