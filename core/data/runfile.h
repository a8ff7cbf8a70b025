#pragma once
// Precomputed rankings ("runs", DESIGN §11): a TREC run (`qid Q0 docid rank score tag`, whitespace
// separated) or a CSV (`user_id,item_id,score[,rank]`; a header may name these columns in any order,
// others ignored, so `evaluate --lists` output reads back), mapped onto a Dataset's
// requests (users) and items by external id. Read line by line: no text is held beyond the line
// being parsed, only (request, item, rank, score) entries. No Qt, no torch.
#include "core/data/dataset.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace reclens {

enum class RunFormat { automatic, trec, csv };

// "trec" | "csv" | "auto" -> RunFormat; throws Error naming the flag otherwise.
RunFormat parse_run_format(const std::string &name);
const char *run_format_name(RunFormat f);

// What loading found besides the lists; each count with its first example ("line N: …").
struct RunReport {
    int64_t lines = 0;   // lines read, blank ones included
    int64_t entries = 0; // entries kept in the lists
    int64_t unknown_request_lines = 0, unknown_requests = 0; // lines / distinct ids not in the dataset
    std::string first_unknown_request;
    int64_t unknown_item_lines = 0; // entries whose item the dataset lacks
    std::string first_unknown_item;
    int64_t duplicates = 0; // a (request, item) pair listed again: the better-ranked entry is kept
    std::string first_duplicate;
    int64_t rank_disagreements = 0; // requests whose scores rise somewhere down the rank order
    std::string first_rank_disagreement;
    bool trec_eval_order = false;   // ordered as trec_eval orders runs (the dataset has judgements)
    int64_t reordered = 0;          // then: requests whose ranks say another order
    std::string first_reordered;
    bool has_rank = false; // the file gives ranks (TREC always; CSV with a rank column)
    // One line each for what deserves a warning (empty when nothing does).
    std::vector<std::string> warnings() const;
};

// Lists per dataset user, in the run's order: rank, else score descending, ties by line order. On a
// dataset with judgements (DESIGN §11: trec_eval's conventions apply) the order is trec_eval's
// instead: score descending as read (a double), ties by docid descending, ranks ignored.
struct Run {
    std::string path;
    std::string name;   // the TREC tag of the first line, else the file's stem
    RunFormat format = RunFormat::trec;
    std::vector<int64_t> offsets; // n_users + 1: user u's entries are [offsets[u], offsets[u+1])
    std::vector<int32_t> items;   // dataset item indices
    std::vector<float> scores;    // the run's score of each entry
    RunReport report;

    std::span<const int32_t> list(int32_t user) const
    {
        const auto b = static_cast<size_t>(offsets[static_cast<size_t>(user)]);
        const auto e = static_cast<size_t>(offsets[static_cast<size_t>(user) + 1]);
        return {items.data() + b, e - b};
    }
    std::span<const float> list_scores(int32_t user) const
    {
        const auto b = static_cast<size_t>(offsets[static_cast<size_t>(user)]);
        const auto e = static_cast<size_t>(offsets[static_cast<size_t>(user) + 1]);
        return {scores.data() + b, e - b};
    }
    size_t depth() const; // the longest list (kept by load_run; counted for a Run built by hand)
    size_t max_depth = 0;
};

// Loads `path` against `dataset`. Throws Error, one line naming the file (and line), for: a missing
// or unreadable file, an empty file, bytes that are not text, malformed lines (wrong number of
// fields, a rank that is not a whole number >= 0, a score that is not a finite number, a blank id:
// counted, the first quoted), no line whose request and item the dataset knows, or fewer than half
// of the lines with a known item. Unknown requests or items beyond that, duplicates and ranks that
// disagree with the scores are reported (RunReport) and loading goes on.
Run load_run(const std::string &path, const Dataset &dataset, RunFormat format = RunFormat::automatic);

} // namespace reclens
