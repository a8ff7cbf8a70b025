#pragma once
// Serialisation of evaluation and comparison results: the JSON and CSV files of DESIGN §4, shared by
// the CLI and the GUI's export. Files are written whole or not at all (temporary file + rename).
#include "core/analysis/compare.h"
#include "core/analysis/evaluation.h"
#include "core/common/files.h" // write_file_atomic

#include <string>

namespace reclens {

// evaluate --json: {"k", "pool", "device", "users_evaluated", "category_level", "rerank"{...},
// "metrics"{DESIGN §5 names}, "strata"{item_popularity, user_activity, segment}, "timing_ms"{...}}.
// NaN values are written as null. `extra` entries (e.g. "model", "data") are added at the top level.
std::string evaluation_json(const EvaluationResult &r, const std::map<std::string, std::string> &extra = {});
// compare --json: {"users_compared", "a"{...}, "b"{...}, "metrics"{name: {a, b, delta, p_paired_t,
// p_wilcoxon, ci95:[lo,hi], n}}}.
std::string comparison_json(const ComparisonResult &c, const EvaluationResult &a, const EvaluationResult &b,
                            const std::map<std::string, std::string> &label_a,
                            const std::map<std::string, std::string> &label_b);
// compare --json with three or more sources: every run against the first (a), with Holm-corrected
// p-values: {"k", "pool", "device", "requests", "a"{...}, "runs"[{...}], "comparisons"[{"b": index
// into runs, "users_compared", "metrics"{name: {a, b, delta, p_paired_t, p_paired_t_holm,
// p_wilcoxon, p_wilcoxon_holm, ci95, n}}}], "holm"{...}}.
struct ComparedRun {
    const EvaluationResult *result = nullptr;
    std::map<std::string, std::string> label;
    const ComparisonResult *comparison = nullptr; // a vs this run
};
std::string comparisons_json(const EvaluationResult &a, const std::map<std::string, std::string> &label_a,
                             std::span<const ComparedRun> runs);
// --lists: user_id,rank,item_id,score (external ids, rank from 1).
// A CSV field, quoted (RFC 4180) when it holds a comma, a quote or a line break: the one quoting of
// every CSV RecLens writes.
std::string csv_field(const std::string &s);

std::string lists_csv(const Dataset &ds, const EvaluationResult &r);
// The same with external ids by dataset index (a merge of shard partials has no dataset).
std::string lists_csv(std::span<const std::string> user_ids, std::span<const std::string> item_ids,
                      const EvaluationResult &r);
// --lists --lists-format trec: `user_id Q0 item_id rank score tag` (DESIGN §11), a run other tools
// (trec_eval, ranx) read. Tools order a request's lines by score (ties by id), so a list whose
// scores do not strictly fall down its ranks (re-ranked) is written with score n + 1 − rank (n its length) instead, keeping RecLens's
// order; `rank_scores` then counts those lists. Throws Error for an id with whitespace in it.
std::string lists_trec(std::span<const std::string> user_ids, std::span<const std::string> item_ids,
                       const EvaluationResult &r, const std::string &tag, size_t *rank_scores = nullptr);
// --per-user: user_id,<per-user metric>,... in MetricId order.
std::string per_user_csv(const Dataset &ds, const EvaluationResult &r);
std::string per_user_csv(std::span<const std::string> user_ids, const EvaluationResult &r);
// Plain-text summary (metric, value, formula) for stdout.
std::string evaluation_summary(const EvaluationResult &r);
std::string comparison_table(const ComparisonResult &c);

} // namespace reclens
