#!/usr/bin/env python3
"""reclens-cli compare with three sources: every model against the first, with Holm-corrected
p-values. The per-user values of each model come from `evaluate --per-user`; the paired t-test and
Wilcoxon p-values are recomputed here with scipy and corrected with statsmodels' Holm, then compared
with the JSON. Three sources with --partial are refused with one line.

usage: check_compare_many.py RECLENS_CLI SAMPLE_DIR
"""
import csv
import json
import math
import os
import subprocess
import sys
import tempfile

try:
    import numpy as np
    from scipy import stats
    from statsmodels.stats.multitest import multipletests
except ImportError as e:  # the reference needs python3-scipy and python3-statsmodels
    print(f"skipped: {e}")
    sys.exit(77)

MODELS = ["itemknn", "popularity", "bpr"]
METRICS = ["ndcg", "recall", "precision", "category_count", "novelty"]


def close(a, b, what, rel=0.0):
    if a is None or b is None or (isinstance(b, float) and math.isnan(b)):
        if not (a is None and (b is None or math.isnan(b))):
            sys.exit(f"FAIL {what}: {a} vs reference {b}")
        return
    if abs(a - b) > 1e-9 * max(1.0, abs(b)) + 1e-300 or (rel > 0 and abs(a - b) > rel * abs(b) + 1e-300):
        sys.exit(f"FAIL {what}: {a!r} vs reference {b!r}")


def main():
    cli, sample = sys.argv[1], sys.argv[2]
    data = os.path.join(sample, "completejourney.sqlite")
    models = [os.path.join(sample, f"completejourney-{m}.pt") for m in MODELS]
    if not all(os.path.exists(p) for p in [data, *models]):
        print("skipped: the sample is not built")
        sys.exit(77)
    with tempfile.TemporaryDirectory() as tmp:
        per_user = []
        for m, path in zip(MODELS, models):
            out = os.path.join(tmp, m + ".csv")
            subprocess.run([cli, "evaluate", "--data", data, "--model", path, "--no-auc", "--per-user", out],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            with open(out, newline="") as f:
                per_user.append({r["user_id"]: r for r in csv.DictReader(f)})
        js = os.path.join(tmp, "c.json")
        args = [cli, "compare", "--data", data, "--no-auc", "--json", js]
        for p in models:
            args += ["--model", p]
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(js) as f:
            got = json.load(f)
        if len(got["runs"]) != 2 or len(got["comparisons"]) != 2:
            sys.exit("FAIL: expected two runs compared with the first")
        users = sorted(per_user[0])
        for metric in METRICS:
            raw_t, raw_w = [], []
            for b in (1, 2):
                x = np.array([float(per_user[0][u][metric]) for u in users])
                y = np.array([float(per_user[b][u][metric]) for u in users])
                keep = ~(np.isnan(x) | np.isnan(y))
                raw_t.append(float(stats.ttest_rel(y[keep], x[keep]).pvalue))
                raw_w.append(float(stats.wilcoxon(y[keep], x[keep]).pvalue))
            holm_t = multipletests(raw_t, method="holm")[1]
            holm_w = multipletests(raw_w, method="holm")[1]
            for i in range(2):
                m = got["comparisons"][i]["metrics"][metric]
                close(m["p_paired_t"], raw_t[i], f"{MODELS[i + 1]} {metric} p_paired_t")
                close(m["p_wilcoxon"], raw_w[i], f"{MODELS[i + 1]} {metric} p_wilcoxon")
                close(m["p_paired_t_holm"], float(holm_t[i]), f"{MODELS[i + 1]} {metric} p_paired_t_holm", 1e-6)
                close(m["p_wilcoxon_holm"], float(holm_w[i]), f"{MODELS[i + 1]} {metric} p_wilcoxon_holm", 1e-6)
            print(f"{metric}: raw t {raw_t}, Holm {list(holm_t)}")
        refused = subprocess.run([a for a in args if a not in ("--json", js)] + ["--partial", os.path.join(tmp, "p.json"), "--shard", "0/2"],
                                 capture_output=True, text=True)
        if refused.returncode == 0 or "--partial compares two sources" not in refused.stderr:
            sys.exit(f"FAIL: three sources with --partial were not refused: {refused.stderr!r}")
    print("ok")


if __name__ == "__main__":
    main()
