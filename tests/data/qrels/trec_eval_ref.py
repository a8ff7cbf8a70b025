#!/usr/bin/env python3
"""An independent implementation of trec_eval's measures P_K, recall_K, ndcg_cut_K, map_cut_K and
recip_rank (on the top K), written from trec_eval's documentation and source comments, to check
RecLens's values (DESIGN §11). Standard library only.

trec_eval's conventions followed here:
- a run is ordered by score, highest first; equal scores by docid, descending (strcmp); the rank
  column is ignored;
- evaluated queries are those in both the qrels and the run (no -c); the reported value is the mean
  over them;
- relevant = judged with grade >= the threshold (-l, default 1); unjudged documents are not relevant
  (grades may have a fraction here, e.g. MovieLens ratings; trec_eval itself reads whole numbers);
  the number of relevant documents counts every judged one, retrieved or not;
- P_K = relevant in the top K / K; recall_K = relevant in the top K / relevant (0 without any);
- ndcg_cut_K: gain = the judged grade when above 0, discount log2(rank + 1), ideal = all judged
  grades above 0 in descending order, both cut at K; 0 when the ideal is 0;
- map_cut_K = sum over relevant documents at rank r <= K of (relevant in the top r / r) / relevant;
- recip_rank on the top K = 1 / rank of the first relevant document within K, else 0.

usage: trec_eval_ref.py QRELS RUN [--k 10] [--threshold 1] [--json OUT.json]
"""
import argparse
import functools
import json
import math
import sys
from collections import defaultdict


def read_qrels(path):
    qrels = defaultdict(dict)
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            qid, _, doc, grade = line.split()
            if doc in qrels[qid]:
                sys.exit(f"{path}:{n}: duplicate judgement of {qid} {doc} (trec_eval refuses it)")
            qrels[qid][doc] = float(grade) if '.' in grade else int(grade)
    return qrels


def read_run(path):
    run = defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            qid, _, doc, _rank, score, _tag = line.split()
            run[qid].append((float(score), doc))
    for qid, docs in run.items():
        if len({d for _, d in docs}) != len(docs):
            sys.exit(f"{path}: duplicate documents for query {qid} (trec_eval refuses them)")

        def order(a, b):  # score descending, then docid descending
            if a[0] != b[0]:
                return -1 if a[0] > b[0] else 1
            return -1 if a[1] > b[1] else (1 if a[1] < b[1] else 0)

        docs.sort(key=functools.cmp_to_key(order))
    return run


def measures(judged, ranked, k, threshold):
    top = [doc for _, doc in ranked[:k]]
    relevant = sum(1 for g in judged.values() if g >= threshold)
    rel_top = [judged.get(doc, -1) >= threshold for doc in top]
    hits = sum(rel_top)
    dcg = sum(judged[doc] / math.log2(r + 2) for r, doc in enumerate(top) if judged.get(doc, 0) > 0)
    ideal = sorted((g for g in judged.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(r + 2) for r, g in enumerate(ideal))
    ap, seen, rr = 0.0, 0, 0.0
    for r, rel in enumerate(rel_top, 1):
        if rel:
            seen += 1
            ap += seen / r
            if rr == 0.0:
                rr = 1.0 / r
    return {
        "P": hits / k,
        "recall": hits / relevant if relevant else 0.0,
        "ndcg_cut": dcg / idcg if idcg > 0 else 0.0,
        "map_cut": ap / relevant if relevant else 0.0,
        "recip_rank": rr,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("qrels")
    ap.add_argument("run")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--threshold", type=float, default=1)
    ap.add_argument("--json")
    a = ap.parse_args()
    qrels, run = read_qrels(a.qrels), read_run(a.run)
    per_query = {q: measures(qrels[q], run[q], a.k, a.threshold) for q in sorted(qrels) if q in run}
    names = ["P", "recall", "ndcg_cut", "map_cut", "recip_rank"]
    mean = {n: sum(m[n] for m in per_query.values()) / len(per_query) for n in names}
    out = {"num_q": len(per_query), "k": a.k, "threshold": a.threshold, "mean": mean, "per_query": per_query}
    text = json.dumps(out, indent=1)
    if a.json:
        with open(a.json, "w") as f:
            f.write(text + "\n")
    for n in names:
        print(f"{n}_{a.k}\tall\t{mean[n]:.4f}")
    print(f"num_q\tall\t{len(per_query)}")


if __name__ == "__main__":
    main()
