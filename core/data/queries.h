#pragma once
// Search datasets (DESIGN §11): a base dataset with `queries(query_id, external_id, text)` and
// `judgements(query_id, item_id, grade)` tables added, its requests read as queries, and a
// first-stage BM25 search over the items' text (SQLite FTS5). All SQL stays in core/data.
#include "core/common/progress.h"
#include "core/data/dataset.h"

#include "core/data/importreport.h"

#include <cstdint>
#include <string>
#include <vector>

namespace reclens {

struct QueryImportOptions {
    std::string base;     // the RecLens dataset whose items are judged (never written)
    std::string queries;  // TSV: query id <TAB> text, one query a line (a header "qid<TAB>text" is skipped)
    std::string qrels;    // qid 0 docid grade
    std::string id_map;   // optional CSV translating judged docids to the base's item external ids
    std::string map_from; // its column of judged ids (default: the last column)
    std::string map_to;   // its column of item external ids (default: the first column)
    std::string out;      // the search dataset written
    // Markers of an empty id in the id map (unquoted; DESIGN §9): such rows are left out and counted.
    std::vector<std::string> na_values = default_na_values();
};

struct QueryImportResult {
    int64_t queries = 0, judged_queries = 0, judgements = 0;
    int64_t outside = 0;       // judgements of ids the base has no item for (kept, item_id NULL)
    int64_t mapped = 0;        // judgements whose docid went through the id map
    std::vector<std::string> findings; // one line each
};

// Copies the base to a temporary file next to `out`, adds the two tables and renames it over `out`
// when complete (nothing is left on failure). Throws Error, one line naming file and line, for
// malformed query files, qrels or maps, a base that is not a dataset or already has queries, and
// outputs that would overwrite an input.
QueryImportResult import_queries(const QueryImportOptions &options, const ProgressFn &progress = {});

// Whether the dataset file has a non-empty `queries` table.
bool has_queries(const std::string &path);

// The dataset with its queries as requests (Dataset::request_kind = queries): no history, relevance
// = the judgements (grade >= threshold relevant), popularity from its users. Throws Error for a file
// without queries or with judgements of unknown queries.
Dataset load_query_view(const std::string &path, double threshold = 1, const ProgressFn &progress = {});
// The same from the dataset already loaded from its file (`base.path`): no second read of the rows.
Dataset query_view(Dataset base, double threshold = 1);

// A first-stage search run: every query's text matched against each item's title, category path and
// tags in an FTS5 index (porter stemming; a query's words are OR-ed), ranked by bm25() best first,
// ties by external id descending (trec_eval's tie order), at most `depth` items a query.
struct SearchHit {
    int32_t item = 0;
    double score = 0; // -bm25(): higher is better
};
std::vector<std::vector<SearchHit>> bm25_search(const Dataset &queries, int depth = 100);

} // namespace reclens
