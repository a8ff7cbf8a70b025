#pragma once
// The in-memory dataset (DESIGN §2). Items and users are addressed by dense indices 0..n-1 in the
// order of their SQLite primary keys; external ids are kept for display and for model id mapping.
// A Dataset is immutable once loaded and safe to read from any number of threads.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace reclens {

// Per-user rows of (item index, timestamp, weight), items sorted ascending within each row and
// deduplicated (one entry per distinct item; ts = the latest interaction, weight = the sum).
struct Csr {
    std::vector<int64_t> offsets{0}; // size n_users + 1
    std::vector<int32_t> items;
    std::vector<int64_t> ts;
    std::vector<float> weights;

    std::span<const int32_t> row(int32_t user) const
    {
        return {items.data() + offsets[user], static_cast<size_t>(offsets[user + 1] - offsets[user])};
    }
    std::span<const int64_t> row_ts(int32_t user) const
    {
        return {ts.data() + offsets[user], static_cast<size_t>(offsets[user + 1] - offsets[user])};
    }
    std::span<const float> row_weights(int32_t user) const
    {
        return {weights.data() + offsets[user], static_cast<size_t>(offsets[user + 1] - offsets[user])};
    }
    int64_t row_size(int32_t user) const { return offsets[user + 1] - offsets[user]; }
    int64_t nnz() const { return static_cast<int64_t>(items.size()); }
    bool contains(int32_t user, int32_t item) const; // binary search in the sorted row
};

// One interaction as stored (before per-user deduplication).
struct CsrEntry {
    int32_t user = 0;
    int32_t item = 0;
    int64_t ts = 0;     // seconds since the Unix epoch (UTC); 0 when the source has no time
    float weight = 1.0f;
};

// Builds the per-user CSR of the Csr contract: rows sorted by item, one entry per distinct item with
// the latest ts and the summed weight. Entries may come in any order; user/item must be in range.
Csr make_csr(int32_t n_users, std::span<const CsrEntry> entries);

// Graded relevance per request (DESIGN §11): a qrels file's judgements, or a search dataset's
// `judgements` table. Unjudged items are non-relevant; binary metrics count grade >= threshold.
struct Judgements {
    Csr judged;                           // per request: judged items the dataset knows, weight = grade
    std::vector<int64_t> outside_offsets; // n_requests + 1: grades of judged ids the dataset lacks
    std::vector<int32_t> outside_grades;  // (they still count in recall's and nDCG's denominators)
    double threshold = 1;                 // --relevance-threshold (> 0)
    std::string source;                   // the qrels file, or "<dataset> (judgements)"

    std::span<const int32_t> outside(int32_t request) const
    {
        const auto b = static_cast<size_t>(outside_offsets[static_cast<size_t>(request)]);
        const auto e = static_cast<size_t>(outside_offsets[static_cast<size_t>(request) + 1]);
        return {outside_grades.data() + b, e - b};
    }
    // The request has at least one judgement (any grade): trec_eval evaluates it.
    bool judged_request(int32_t request) const
    {
        return judged.row_size(request) > 0 || !outside(request).empty();
    }
    // The grade of a judged item, NaN when the item is not judged for the request.
    float grade(int32_t request, int32_t item) const;
};

// What a dataset's requests are (DESIGN §11): its users (history = train, relevance = test), or the
// queries of a search dataset (no history, relevance = judgements).
enum class RequestKind { users, queries };

struct Category {
    int64_t id = 0;         // categories.category_id
    int32_t parent = -1;    // index into Dataset::categories, -1 for a top-level category
    std::string name;
    int level = 1;          // 1 = top
};

class Dataset {
public:
    // --- meta ---
    std::string path;      // file it was loaded from (empty if built in memory)
    std::unordered_map<std::string, std::string> meta; // schema_version, name, source, licence, ...

    // --- items (index = position) ---
    std::vector<int64_t> item_ids;           // items.item_id
    std::vector<std::string> item_external;  // items.external_id
    std::vector<std::string> item_title;
    std::vector<int32_t> item_category;      // index into categories, -1 = none
    std::vector<int32_t> item_brand;         // index into brands, -1 = none
    std::vector<double> item_price;          // NaN = unknown
    std::vector<std::vector<std::string>> item_tags; // may be empty per item

    // --- requests: users, or a search dataset's queries (request_kind) ---
    // With queries, the user_* vectors hold the queries (user_external = queries.external_id), train
    // is empty and test holds the items judged relevant; popularity and population still come from
    // the dataset's users.
    RequestKind request_kind = RequestKind::users;
    std::vector<std::string> request_text;   // a query's text (empty for users)
    int32_t population = 0;                  // users of the dataset (novelty's n_users)
    std::vector<int64_t> user_ids;
    std::vector<std::string> user_external;
    std::vector<std::string> user_segment;   // empty = none
    std::vector<std::vector<std::pair<std::string, std::string>>> user_attributes;

    // --- taxonomy ---
    std::vector<Category> categories;
    std::vector<std::string> brands;
    int category_levels = 0; // H = deepest level present (0 if no categories)

    // --- interactions ---
    Csr train;
    Csr test;
    // Interaction rows per split as stored in the file, before deduplication (a shopper buying the
    // same product twice is two rows but one CSR entry). Equal to nnz() when built in memory.
    int64_t train_rows = 0;
    int64_t test_rows = 0;
    std::vector<int32_t> popularity; // distinct train users per item
    // Graded relevance when it comes from qrels or judgements (set_judgements): test then holds the
    // items graded >= threshold, and the accuracy metrics follow trec_eval's conventions.
    std::optional<Judgements> judgements;

    int32_t n_items() const { return static_cast<int32_t>(item_ids.size()); }
    int32_t n_users() const { return static_cast<int32_t>(user_ids.size()); } // requests (users or queries)
    bool queries() const { return request_kind == RequestKind::queries; }

    // Category path of an item from level 1 down to its own category (empty when it has none).
    std::span<const int32_t> item_path(int32_t item) const;
    // The item's category at `level` (1-based); an item whose path is shorter counts under its
    // deepest category; -1 when the item has no category (the "unknown" bucket).
    int32_t category_at_level(int32_t item, int level) const;
    // Top-level category index (-1 = none): the colour key used everywhere in the UI.
    int32_t top_category(int32_t item) const { return category_at_level(item, 1); }
    // Tree distance d(i,j) of DESIGN §5 in [0,1]: (H - shared)/H, where a path shorter than H is
    // read as continuing with its deepest category (as in category_at_level); an item with no
    // category is at distance 1 from every other item; d(i,i) = 0.
    double category_distance(int32_t a, int32_t b) const;

    int32_t find_item(const std::string &external_id) const; // -1 if absent
    int32_t find_user(const std::string &external_id) const; // -1 if absent

    // Fills derived state: item paths, category levels (Category::level set from the parent chain),
    // category_levels, popularity and population (users only: a query view keeps its users'), id
    // lookups, empty per-user vectors. Called by loaders and by code
    // that builds a Dataset in memory (tests). Throws reclens::Error on inconsistent input.
    void finalize();

private:
    std::vector<int32_t> m_path_offsets; // size n_items + 1
    std::vector<int32_t> m_paths;
    std::unordered_map<std::string, int32_t> m_item_lookup;
    std::unordered_map<std::string, int32_t> m_user_lookup;
};

} // namespace reclens
