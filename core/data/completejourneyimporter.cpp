#include "core/data/completejourneyimporter.h"

#include "core/common/error.h"
#include "core/data/csvreader.h"
#include "core/data/importutil.h"
#include "core/data/rowchecks.h"
#include "core/data/timestamp.h"

#include <algorithm>
#include <filesystem>
#include <unordered_map>
#include <unordered_set>

namespace reclens {
namespace {

struct Product {
    std::string manufacturer;
    std::string department;
    std::string kind; // National / Private
    std::string category;
    std::string type;
    std::string size;
};

double median(std::vector<double> &v)
{
    const size_t n = v.size();
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n / 2), v.end());
    const double hi = v[n / 2];
    if (n % 2 == 1)
        return hi;
    const double lo = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n / 2));
    return (lo + hi) / 2.0;
}

} // namespace

ImportResult import_completejourney(const std::string &dir, const CompleteJourneyOptions &options,
                                    const ProgressFn &progress)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw Error(located(dir,
                            "no such folder; pass the Complete Journey folder with transactions_sample.csv, "
                            "products.csv and demographics.csv"));
    std::string transactions_path = (fs::path(dir) / "transactions_sample.csv").string();
    if (!fs::exists(transactions_path, ec) && fs::exists(fs::path(dir) / "transactions.csv", ec))
        transactions_path = (fs::path(dir) / "transactions.csv").string();
    const std::string products_path = (fs::path(dir) / "products.csv").string();
    const std::string demographics_path = (fs::path(dir) / "demographics.csv").string();
    for (const auto &p : {transactions_path, products_path}) {
        if (!fs::exists(p, ec))
            throw Error(located(p,
                                "missing; a Complete Journey folder has transactions_sample.csv (or transactions.csv) "
                                "and products.csv"));
    }
    const bool have_demographics = fs::exists(demographics_path, ec);

    ProgressReporter reporter(progress);
    ImportReport report;
    report.source = "completejourney";
    report.inputs = {transactions_path, products_path};
    if (have_demographics)
        report.inputs.push_back(demographics_path);
    else
        report.findings.push_back("demographics.csv not found: users have no segment");
    RowIssues issues(report, options.strict, options.na_values);
    DatasetBuilder b;

    // products.csv
    std::unordered_map<std::string, Product> products;
    std::vector<std::string> product_order;
    int64_t dropped_type = 0;
    {
        CsvReader in(products_path);
        const int c_id = in.require_column("product_id");
        const int c_man = in.require_column("manufacturer_id");
        const int c_dep = in.require_column("department");
        const int c_brand = in.require_column("brand");
        const int c_cat = in.require_column("product_category");
        const int c_type = in.require_column("product_type");
        const int c_size = in.require_column("package_size");
        detail::RowChecks check(in, report, issues);
        CsvRow row;
        int64_t n = 0;
        while (in.next(row)) {
            ++n;
            if (!check.well_formed(row))
                continue;
            const auto id_field = check.id(row, c_id);
            if (!id_field)
                continue;
            const std::string &id = *id_field;
            Product p{check.field(row, c_man), check.field(row, c_dep),  check.field(row, c_brand),
                      check.field(row, c_cat), check.field(row, c_type), check.field(row, c_size)};
            if (!products.emplace(id, std::move(p)).second) {
                report.add_skipped("products.csv: duplicate product_id (first row kept)");
                continue;
            }
            product_order.push_back(id);
            reporter.report(0.25 * in.fraction(), "reading products.csv");
        }
        report.rows.emplace_back(products_path, n);
    }

    auto make_item = [&](const std::string &id) {
        const int32_t existing = b.find_item(id);
        if (existing >= 0)
            return existing;
        const int32_t i = b.item(id);
        auto &f = b.item_fields(i);
        const auto it = products.find(id);
        if (it == products.end()) {
            f.title = "Product " + id + " (not in products.csv)";
            return i;
        }
        const Product &p = it->second;
        std::vector<std::string> path;
        for (const auto *level : {&p.department, &p.category, &p.type}) {
            if (level->empty())
                break;
            path.push_back(*level);
        }
        if (path.size() < 3 && !p.type.empty() && p.category.empty() && !p.department.empty())
            ++dropped_type;
        f.category = b.category_path(path);
        if (!p.manufacturer.empty())
            f.brand = b.brand("Manufacturer " + p.manufacturer);
        if (!p.kind.empty())
            f.tags.push_back(p.kind);
        std::string title = !p.type.empty() ? p.type
            : !p.category.empty()           ? p.category
            : !p.department.empty()         ? p.department
                                            : "Product " + id;
        if (!p.size.empty())
            title += " (" + p.size + ")";
        f.title = title;
        return i;
    };

    // transactions
    std::unordered_map<int32_t, std::vector<double>> unit_prices;
    std::unordered_set<std::string> unknown_products;
    int64_t unknown_rows = 0, zero_quantity = 0, big_quantity = 0, negative_sales = 0;
    {
        CsvReader in(transactions_path);
        const int c_house = in.require_column("household_id");
        const int c_product = in.require_column("product_id");
        const int c_qty = in.require_column("quantity");
        const int c_sales = in.require_column("sales_value");
        const int c_ts = in.require_column("transaction_timestamp");
        detail::RowChecks check(in, report, issues);
        CsvRow row;
        int64_t n = 0;
        while (in.next(row)) {
            ++n;
            if (!check.well_formed(row))
                continue;
            const auto house_field = check.id(row, c_house);
            const auto product_field = house_field ? check.id(row, c_product) : std::nullopt;
            if (!house_field || !product_field)
                continue;
            const std::string &house = *house_field, &product = *product_field;
            const auto qty = detail::parse_number(row.fields[static_cast<size_t>(c_qty)]);
            const auto sales = detail::parse_number(row.fields[static_cast<size_t>(c_sales)]);
            if (!qty || !sales) {
                check.malformed(row, std::string(!qty ? "quantity '" + check.raw(row, c_qty) : "sales_value '" + check.raw(row, c_sales))
                        + "' is not a number");
                continue;
            }
            const auto ts = parse_timestamp(row.fields[static_cast<size_t>(c_ts)]);
            if (!ts) {
                check.malformed(row, "transaction_timestamp '" + check.raw(row, c_ts) + "' is not an ISO 8601 time");
                continue;
            }
            if (!products.count(product)) {
                ++unknown_rows;
                unknown_products.insert(product);
            }
            const int32_t item = make_item(product);
            b.interaction(b.user(house), item, *ts, true, 1.0f);
            if (*qty > 0)
                unit_prices[item].push_back(*sales / *qty);
            else
                ++zero_quantity;
            if (*qty > 100)
                ++big_quantity;
            if (*sales < 0)
                ++negative_sales;
            reporter.report(0.25 + 0.5 * in.fraction(), "reading transactions");
        }
        report.rows.emplace_back(transactions_path, n);
    }
    if (options.all_products) {
        for (const auto &id : product_order)
            make_item(id);
    }
    for (auto &[item, prices] : unit_prices)
        b.item_fields(item).price = median(prices);

    // demographics.csv
    int64_t with_demographics = 0, demographics_unused = 0;
    if (have_demographics) {
        CsvReader in(demographics_path);
        const int c_house = in.require_column("household_id");
        const int c_comp = in.require_column("household_comp");
        detail::RowChecks check(in, report, issues);
        CsvRow row;
        int64_t n = 0;
        while (in.next(row)) {
            ++n;
            if (!check.well_formed(row))
                continue;
            const auto house = check.id(row, c_house);
            if (!house)
                continue;
            const int32_t u = b.find_user(*house);
            if (u < 0) {
                ++demographics_unused;
                continue;
            }
            auto &f = b.user_fields(u);
            if (!f.attributes.empty()) {
                report.add_skipped("demographics.csv: duplicate household_id (first row kept)");
                continue;
            }
            ++with_demographics;
            f.segment = check.field(row, c_comp);
            for (size_t c = 0; c < in.header().size(); ++c) {
                if (static_cast<int>(c) != c_house && !check.field(row, static_cast<int>(c)).empty())
                    f.attributes.emplace_back(in.header()[c], check.field(row, static_cast<int>(c)));
            }
        }
        report.rows.emplace_back(demographics_path, n);
    }

    const int32_t n_users = b.n_users();
    const int32_t n_items = b.n_items();
    int32_t no_price = 0;
    for (int32_t i = 0; i < n_items; ++i) {
        if (std::isnan(b.item_fields(i).price))
            ++no_price;
    }
    auto num = [](int64_t v) { return std::to_string(v); };
    if (unknown_rows > 0)
        report.findings.push_back(num(unknown_rows) + " transaction lines refer to "
                                  + num(static_cast<int64_t>(unknown_products.size()))
                                  + " products missing from products.csv; kept as items without category or brand");
    if (have_demographics)
        report.findings.push_back(
            num(with_demographics) + " of " + num(n_users)
            + " households have demographics (segment = household_comp); " + num(n_users - with_demographics)
            + " have no segment"
            + (demographics_unused ? "; " + num(demographics_unused) + " demographic rows have no transactions" : ""));
    if (zero_quantity > 0)
        report.findings.push_back(num(zero_quantity)
                                  + " lines have quantity 0 (kept as purchases, not used for prices)");
    if (big_quantity > 0)
        report.findings.push_back(
            num(big_quantity)
            + " lines have quantity > 100 (fuel and similar products); interaction weight is 1 per line, not quantity");
    if (negative_sales > 0)
        report.findings.push_back(num(negative_sales) + " lines have a negative sales_value (returns or adjustments)");
    if (dropped_type > 0)
        report.findings.push_back(
            num(dropped_type)
            + " items have a product_type but no product_category; their path stops at the department");
    if (no_price > 0)
        report.findings.push_back(num(no_price) + " items have no price (no line with quantity > 0)");

    reporter.force(0.8, "splitting");
    std::unordered_map<std::string, std::string> meta{
        {"name", "Complete Journey (84.51°)"},
        {"source",
         "84.51° The Complete Journey, via the R package completejourney 1.1.1; "
             + fs::path(transactions_path).filename().string()},
        {"licence", "CC0"}};
    ImportResult r = std::move(b).build(std::move(meta), options.split, std::move(report), "purchase", options.core);
    int32_t uncategorised = 0;
    for (int32_t i = 0; i < r.dataset.n_items(); ++i) {
        if (r.dataset.item_category[static_cast<size_t>(i)] < 0)
            ++uncategorised;
    }
    int32_t single = 0;
    for (int32_t u = 0; u < r.dataset.n_users(); ++u) {
        if (r.dataset.train.row_size(u) + r.dataset.test.row_size(u) < 2)
            ++single;
    }
    r.report.findings.push_back(num(uncategorised) + " items have no category");
    r.report.findings.push_back(num(r.report.interactions - r.report.distinct_pairs)
                                + " lines repeat an earlier (household, product) pair; "
                                + "all lines are stored, in-memory rows merge them");
    if (single > 0)
        r.report.findings.push_back(num(single) + " households bought fewer than 2 distinct products");
    reporter.force(1.0, "import done");
    return r;
}

} // namespace reclens
