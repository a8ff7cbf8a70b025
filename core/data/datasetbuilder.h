#pragma once
// Builds a Dataset from the rows an importer reads: users, items, the category tree, brands and raw
// interaction rows, keyed by external ids, then orders everything deterministically, splits the
// interactions into train/test and hands back what write_dataset() needs. Used by every importer;
// plain single-threaded value code.
#include "core/data/dataset.h"
#include "core/data/datasetrepository.h"
#include "core/data/importreport.h"

#include <cmath>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace reclens {

// Everything an import produces. Write it with save_import().
struct ImportResult {
    Dataset dataset;
    std::vector<InteractionRecord> interactions; // raw rows with their split
    std::string event; // interactions.event ("rating", "purchase", ...)
    ImportReport report;
};

// Writes an import with write_dataset(); refuses an output path that is one of the import's inputs.
void save_import(const ImportResult &result, const std::string &out, const ProgressFn &progress = {});

// Number of test rows for a user with n rows: 0 when n < 2 or fraction is 0, otherwise
// round(fraction * n) clamped to [1, n-1] so such a user keeps at least one train row and, with a
// positive fraction, gets at least one test row.
int64_t test_rows_for(int64_t n, double fraction);

// Sets InteractionRecord::test for every row. Time: each user's last rows by (ts, position in
// `rows`) go to test, so ties are broken by input order and no test row is older than a train row
// of the same user. Random: a per-user Fisher-Yates shuffle driven by one mt19937_64 seeded with
// options.seed, users in index order (reproducible on every platform). Throws reclens::Error for a
// fraction outside [0,1).
void assign_split(std::vector<InteractionRecord> &rows, int32_t n_users, const SplitOptions &options);

// What the k-core filter kept: per user and item index, and how much it took away.
struct KCoreOutcome {
    std::vector<uint8_t> keep_user, keep_item;
    int64_t rows_removed = 0;
    int32_t users_removed = 0, items_removed = 0;
    int rounds = 0; // passes until nothing changed
};

// Applies `filter` to `rows` (user and item indices below n_users / n_items): removes the rows of
// dropped users and items, in place, keeping the order of the rest. Degrees count distinct pairs,
// so a repeat purchase is one item. Without an active filter keeps everything.
KCoreOutcome k_core(std::vector<InteractionRecord> &rows, int32_t n_users, int32_t n_items, const KCoreFilter &filter);

// Orders external ids "naturally": numeric ids by value, then non-numeric ids as strings.
bool natural_less(const std::string &a, const std::string &b);

class DatasetBuilder {
public:
    struct ItemFields {
        std::string external;
        std::string title;
        int32_t category = -1;
        int32_t brand = -1;
        double price = std::nan("");
        std::vector<std::string> tags;
    };
    struct UserFields {
        std::string external;
        std::string segment;
        std::vector<std::pair<std::string, std::string>> attributes;
    };

    int32_t user(const std::string &external); // get or create
    int32_t find_user(const std::string &external) const;
    UserFields &user_fields(int32_t u) { return m_users[static_cast<size_t>(u)]; }

    int32_t item(const std::string &external); // get or create (title = external id until set)
    int32_t find_item(const std::string &external) const;
    ItemFields &item_fields(int32_t i) { return m_items[static_cast<size_t>(i)]; }
    int32_t n_items() const { return static_cast<int32_t>(m_items.size()); }
    int32_t n_users() const { return static_cast<int32_t>(m_users.size()); }

    // Category path from the top level down; returns the deepest node, or -1 for an empty path.
    // Nodes are keyed by (parent, name), so equal names under different parents stay distinct.
    int32_t category_path(const std::vector<std::string> &names);
    int32_t brand(const std::string &name); // -1 for an empty name

    void interaction(int32_t user, int32_t item, int64_t ts, bool has_ts, float weight);
    size_t interaction_count() const { return m_rows.size(); }

    // Orders users and items naturally by external id and categories by path (parents first), then
    // splits. Fills the report's counts. Throws reclens::Error when there are no interactions.
    // With an active `core` filter, users and items it drops are left out (throws Error when it
    // leaves nothing).
    ImportResult build(std::unordered_map<std::string, std::string> meta, const SplitOptions &split,
                       ImportReport report, const std::string &event, const KCoreFilter &core = {}) &&;

private:
    std::vector<UserFields> m_users;
    std::unordered_map<std::string, int32_t> m_user_index;
    std::vector<ItemFields> m_items;
    std::unordered_map<std::string, int32_t> m_item_index;
    std::vector<Category> m_categories;
    std::map<std::pair<int32_t, std::string>, int32_t> m_category_index;
    std::vector<std::string> m_brands;
    std::unordered_map<std::string, int32_t> m_brand_index;
    std::vector<InteractionRecord> m_rows;
};

} // namespace reclens
