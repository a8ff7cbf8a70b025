#pragma once
// Graded relevance judgements (DESIGN §11): trec_eval's qrels format `qid iter docid grade`
// (whitespace separated; iter is ignored, grade a whole number, 0 or below = not relevant), read
// line by line, mapped onto a Dataset's requests and items by external id. No Qt, no torch.
#include "core/data/dataset.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace reclens {

// One well-formed qrels line.
struct QrelsLine {
    std::string_view qid, docid;
    int32_t grade = 0;
    long line = 0;
};

// Calls `fn` for every well-formed line of `path` in file order. Throws Error, one line naming the
// file and line, for a missing, empty or binary file and for malformed lines (not 4 fields, a blank
// id, a grade that is not a whole number): counted, the first quoted. `flag` names the option the
// file came from (messages say "--qrels"). A request or item id written as a missing-value marker
// (NA, NULL, …; DESIGN §9) is a blank id, unless `known` has a request (item) of that id. Returns the
// number of judgements read.
int64_t read_qrels(const std::string &path, const std::string &flag, const std::function<void(const QrelsLine &)> &fn,
                   const Dataset *known = nullptr);

// The qrels of `dataset`'s requests (users, or the queries of a query view). Judged ids the
// dataset lacks are kept as outside grades (they count in recall's and nDCG's denominators, as in
// trec_eval). A (request, docid) judged twice keeps its first grade. Throws Error as read_qrels
// does, and when no line names a request of the dataset, or no judged id is an item of it.
// Warnings: one line each for unknown requests, outside ids and duplicates.
Judgements load_qrels(const std::string &path, const Dataset &dataset, double threshold,
                      std::vector<std::string> *warnings = nullptr, const std::string &flag = "--qrels");

// Makes `j` the dataset's relevance (DESIGN §11): test becomes the judged items graded >= j.threshold
// and the accuracy metrics follow trec_eval's conventions. Throws Error for a threshold not above 0
// or judgements sized for another dataset.
void set_judgements(Dataset &dataset, Judgements j);

// The test interactions' weights as grades (MovieLens ratings, `evaluate --relevance graded`): every
// test item not in train is judged with its weight (summed over repeated rows, as in the Csr).
Judgements judgements_from_test(const Dataset &dataset, double threshold);

// Judgements from (request, item, grade) triples; item -1 = an id the dataset lacks (its grade is
// an outside grade). The first of duplicate (request, item >= 0) triples is kept.
struct JudgedTriple {
    int32_t request = 0;
    int32_t item = -1;
    int32_t grade = 0;
};
Judgements make_judgements(int32_t n_requests, std::span<const JudgedTriple> triples, double threshold,
                           std::string source, int64_t *duplicates = nullptr);

} // namespace reclens
