#include "core/data/csvimporter.h"

#include "core/common/error.h"
#include "core/data/csvreader.h"
#include "core/data/importutil.h"
#include "core/data/rowchecks.h"
#include "core/data/timestamp.h"

#include <filesystem>

namespace reclens {
namespace {

int optional_column(const CsvReader &in, const std::string &name)
{
    return name.empty() ? -1 : in.require_column(name);
}

} // namespace

ImportResult import_csv(const CsvImportOptions &o, const ProgressFn &progress)
{
    namespace fs = std::filesystem;
    if (o.interactions.empty() || o.user_col.empty() || o.item_col.empty())
        throw Error("import csv: --interactions, --user-col and --item-col are required");
    if (!o.items.empty() && o.item_id_col.empty())
        throw Error("import csv: --items needs --item-id-col naming the item id column of " + o.items);
    if (o.items.empty()
        && (!o.title_col.empty() || !o.category_cols.empty() || !o.brand_col.empty() || !o.price_col.empty()))
        throw Error("import csv: --title-col, --category-cols, --brand-col and --price-col describe the --items file; "
                    "pass --items too");

    ProgressReporter reporter(progress);
    ImportReport report;
    report.source = "csv";
    report.inputs = {o.interactions};
    if (!o.items.empty())
        report.inputs.push_back(o.items);
    RowIssues issues(report, o.strict, o.na_values);
    DatasetBuilder b;

    if (!o.items.empty()) {
        CsvReader in(o.items, o.delimiter);
        const int c_id = in.require_column(o.item_id_col);
        const int c_title = optional_column(in, o.title_col);
        std::vector<int> c_cats;
        for (const auto &c : o.category_cols)
            c_cats.push_back(in.require_column(c));
        const int c_brand = optional_column(in, o.brand_col);
        const int c_price = optional_column(in, o.price_col);
        detail::RowChecks check(in, report, issues);
        CsvRow row;
        int64_t n = 0, gaps = 0, bad_price = 0;
        while (in.next(row)) {
            ++n;
            if (!check.well_formed(row))
                continue;
            const auto id_field = check.id(row, c_id);
            if (!id_field)
                continue;
            const std::string &id = *id_field;
            if (b.find_item(id) >= 0) {
                report.add_skipped("items file: duplicate item id (first row kept)");
                continue;
            }
            auto &f = b.item_fields(b.item(id));
            if (c_title >= 0 && !check.field(row, c_title).empty())
                f.title = check.field(row, c_title);
            std::vector<std::string> path;
            bool stopped = false;
            for (const int c : c_cats) {
                const std::string v = check.field(row, c);
                if (v.empty()) {
                    stopped = true;
                } else if (stopped) {
                    ++gaps;
                    break;
                } else {
                    path.push_back(v);
                }
            }
            f.category = b.category_path(path);
            f.brand = b.brand(check.field(row, c_brand));
            if (c_price >= 0 && !check.field(row, c_price).empty()) {
                const auto p = detail::parse_number(row.fields[static_cast<size_t>(c_price)]);
                if (p)
                    f.price = *p;
                else
                    ++bad_price;
            }
            reporter.report(0.2 * in.fraction(), "reading items");
        }
        report.rows.emplace_back(o.items, n);
        if (gaps > 0)
            report.findings.push_back(
                std::to_string(gaps)
                + " items have an empty category level above a non-empty one; their path stops at the gap");
        if (bad_price > 0)
            report.findings.push_back(std::to_string(bad_price)
                                      + " items have a price that is not a number; stored without price");
    }
    const int32_t catalogue = b.n_items();

    {
        CsvReader in(o.interactions, o.delimiter);
        const int c_user = in.require_column(o.user_col);
        const int c_item = in.require_column(o.item_col);
        const int c_time = optional_column(in, o.time_col);
        const int c_weight = optional_column(in, o.weight_col);
        detail::RowChecks check(in, report, issues);
        CsvRow row;
        int64_t n = 0, unknown_rows = 0;
        while (in.next(row)) {
            ++n;
            if (!check.well_formed(row))
                continue;
            const auto user_field = check.id(row, c_user);
            const auto item_field = user_field ? check.id(row, c_item) : std::nullopt;
            if (!user_field || !item_field)
                continue;
            const std::string &user = *user_field, &item = *item_field;
            int64_t ts = 0;
            if (c_time >= 0) {
                const auto t = parse_timestamp(row.fields[static_cast<size_t>(c_time)]);
                if (!t) {
                    check.malformed(row, "time '" + check.raw(row, c_time) + "' in column '" + o.time_col
                                         + "' is not epoch seconds or ISO 8601");
                    continue;
                }
                ts = *t;
            }
            float weight = 1.0f;
            if (c_weight >= 0) {
                const auto w = detail::parse_number(row.fields[static_cast<size_t>(c_weight)]);
                if (!w) {
                    check.malformed(row, "weight '" + check.raw(row, c_weight) + "' in column '" + o.weight_col
                                         + "' is not a number");
                    continue;
                }
                weight = static_cast<float>(*w);
            }
            if (!o.items.empty() && b.find_item(item) < 0)
                ++unknown_rows;
            b.interaction(b.user(user), b.item(item), ts, c_time >= 0, weight);
            reporter.report(0.2 + 0.6 * in.fraction(), "reading interactions");
        }
        report.rows.emplace_back(o.interactions, n);
        if (unknown_rows > 0)
            report.findings.push_back(std::to_string(unknown_rows) + " interaction rows refer to "
                                      + std::to_string(b.n_items() - catalogue)
                                      + " items missing from the items file; kept as items without category");
        if (c_time < 0 && o.split.method == SplitOptions::Method::Time)
            report.findings.push_back("no --time-col: the time split uses each user's rows in file order");
    }

    reporter.force(0.85, "splitting");
    std::unordered_map<std::string, std::string> meta{{"name", fs::path(o.interactions).stem().string()},
                                                      {"source", o.interactions}};
    ImportResult r = std::move(b).build(std::move(meta), o.split, std::move(report), "interaction", o.core);
    reporter.force(1.0, "import done");
    return r;
}

} // namespace reclens
