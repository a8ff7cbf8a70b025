#pragma once
// What every importer takes and gives back: split and strictness options, and the import report
// (printed by the CLI, shown by the GUI import dialog).
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reclens {

struct SplitOptions {
    enum class Method { Time, Random };
    Method method = Method::Time;
    double test_fraction = 0.2; // share of each user's interaction rows that go to test, in [0,1)
    uint64_t seed = 42; // random split only
};

// The k-core filter of RecBole and LensKit, before the split: users with fewer than
// `min_user_items` distinct items and items with fewer than `min_item_users` distinct users are
// dropped, again and again until every user and item left meets both bounds (0 = no bound). Users
// and items left without interactions are dropped from the dataset.
struct KCoreFilter {
    int min_user_items = 0;
    int min_item_users = 0;
    bool active() const { return min_user_items > 0 || min_item_users > 0; }
};

// The markers other tools write for an empty field (DESIGN §9): R's NA, NaN, nan, SQL's NULL and
// null, pandas' None, N/A, #N/A. Importers take them as ImportOptions::na_values; the run and qrels
// readers refuse a line whose id is one, as they refuse a blank id.
inline constexpr std::array<std::string_view, 8> kDefaultNaValues{"NA", "NaN", "nan", "NULL", "null", "None", "N/A", "#N/A"};
std::vector<std::string> default_na_values();
// `--na-values LIST`: comma-separated markers ("" turns them off). Throws Error for a marker with a
// blank or a quote in it.
std::vector<std::string> parse_na_values(const std::string &list);

struct ImportOptions {
    SplitOptions split;
    KCoreFilter core;
    bool strict = false; // any malformed row is fatal (reclens::Error naming file and line)
    // An unquoted field equal to one of these is blank: a row whose id is one is skipped and counted
    // per marker ("ratings.csv: blank userId (NA)"); an optional field (title, brand, price, …) is left
    // empty. Quoted ("NA") it is text. Empty: no markers.
    std::vector<std::string> na_values = default_na_values();
};

struct ImportReport {
    std::string source; // "movielens", "completejourney", "csv"
    std::vector<std::string> inputs; // files read
    std::vector<std::pair<std::string, int64_t>> rows; // data rows read per file
    std::vector<std::pair<std::string, int64_t>> skipped; // rows skipped, by reason
    int64_t malformed = 0; // rows skipped as malformed (also in skipped)
    std::vector<std::string> malformed_examples; // the first few, "file:line: reason"
    int64_t users = 0;
    int64_t items = 0;
    int64_t interactions = 0; // interaction rows stored
    int64_t distinct_pairs = 0; // distinct (user, item) pairs
    int64_t train = 0;
    int64_t test = 0;
    int64_t categories = 0;
    int64_t category_levels = 0;
    int64_t brands = 0;
    int64_t test_users = 0; // users with at least one test row
    std::string split; // e.g. "time, test fraction 0.2"
    std::vector<std::string> findings; // data-quality observations, one sentence each

    void add_skipped(const std::string &reason, int64_t n = 1);
    int64_t skipped_total() const;
    // Multi-line human-readable report.
    std::string to_text() const;
};

// Collects malformed rows for a report: counts them, keeps the first few with file:line, and throws
// reclens::Error at the first one when strict.
class RowIssues {
public:
    RowIssues(ImportReport &report, bool strict, std::vector<std::string> na_values = {})
        : m_report(report), m_strict(strict), m_na_values(std::move(na_values))
    {
    }
    void malformed(const std::string &file, long line, const std::string &reason);
    // The missing-value marker `value` is, or null.
    const std::string *na_marker(std::string_view value) const;

private:
    ImportReport &m_report;
    bool m_strict;
    std::vector<std::string> m_na_values;
};

} // namespace reclens
