#!/usr/bin/env python3
"""Turns a RankLib judgement file (the movie-search case of ../shared/datasets/movie-search) into
the two inputs of `reclens-cli import queries`: QUERIES.tsv ('query id<TAB>text') and QRELS
('qid 0 docid grade', trec_eval's qrels).

RankLib judgement layout: header lines '# qid:N: QUERY TEXT*1', then one line a judgement
'GRADE<TAB>qid:N<TAB># DOCID<TAB>QUERY'.

usage: ranklib_to_trec.py JUDGEMENTS.txt QUERIES.tsv QRELS
"""
import re
import sys


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    src, queries_out, qrels_out = sys.argv[1:]
    queries, qrels = {}, []
    with open(src, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            m = re.match(r"#\s*qid:(\d+):\s*(.*?)(\*\d+)?\s*$", line)
            if m:
                queries[m.group(1)] = m.group(2)
                continue
            parts = line.split("\t")
            m = re.match(r"qid:(\d+)$", parts[1]) if len(parts) >= 3 else None
            d = re.match(r"#\s*(\S+)", parts[2]) if m else None
            if not (m and d and re.match(r"-?\d+$", parts[0])):
                sys.exit(f"{src}:{n}: not a RankLib judgement line: {line!r}")
            qrels.append((m.group(1), d.group(1), int(parts[0])))
    with open(queries_out, "w", encoding="utf-8") as f:
        for qid, text in queries.items():
            f.write(f"{qid}\t{text}\n")
    with open(qrels_out, "w", encoding="utf-8") as f:
        for qid, doc, grade in qrels:
            f.write(f"{qid} 0 {doc} {grade}\n")
    print(f"{len(queries)} queries, {len(qrels)} judgements")


if __name__ == "__main__":
    main()
