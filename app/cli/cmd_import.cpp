// reclens-cli import movielens|completejourney DIR --out D.sqlite | import csv ... (DESIGN §4).
#include "app/cli/command.h"
#include "core/common/error.h"
#include "core/common/files.h"
#include "core/data/completejourneyimporter.h"
#include "core/data/csvimporter.h"
#include "core/data/movielensimporter.h"
#include "core/data/queries.h"

#include <optional>
#include <cstdio>
#include <memory>

namespace {

using namespace reclens;

struct ImportArgs {
    std::string dir;
    std::string out;
    std::string split = "time";
    double test_fraction = 0.2;
    uint64_t seed = 42;
    bool strict = false;
    std::optional<std::string> na_values; // unset: the default markers
    int min_user_items = 0;
    int min_item_users = 0;
    double min_rating = 0;
    bool all_products = false;
    CsvImportOptions csv;
    std::string category_cols;
    std::string delimiter = ",";
    QueryImportOptions queries;
};

// A k-core bound: a whole number, 0 (no bound) or more.
const CLI::Validator kBound(
    [](std::string &v) {
        return !v.empty() && v.find_first_not_of("0123456789") == std::string::npos
            ? std::string()
            : "'" + v + "' is not a bound: give a whole number of 0 (no bound) or more";
    },
    "BOUND");

void add_common(CLI::App *sub, ImportArgs &a)
{
    sub->add_option("--out", a.out, "Dataset file to write (SQLite)")->required();
    sub->add_option("--split", a.split, "Train/test split: time (each user's latest rows) or random")
        ->check(CLI::IsMember({"time", "random"}))
        ->capture_default_str();
    sub->add_option("--test-fraction", a.test_fraction, "Share of each user's rows that go to test, in [0,1)")
        ->check(CLI::Range(0.0, 0.999999))
        ->capture_default_str();
    sub->add_option("--seed", a.seed, "Seed of the random split")->capture_default_str();
    sub->add_flag("--strict", a.strict, "Fail on the first malformed row instead of skipping it");
    sub->add_option("--na-values", a.na_values,
        "Missing-value markers, comma-separated: an unquoted field equal to one is blank (a row with such an "
        "id is skipped and counted per marker). Default NA,NaN,nan,NULL,null,None,N/A,#N/A; '' for none");
    sub->add_option("--min-user-items", a.min_user_items,
           "k-core filter: keep users with at least this many distinct items (repeated with --min-item-users "
           "until both hold; 0 = no bound)")
        ->check(kBound)
        ->capture_default_str();
    sub->add_option("--min-item-users", a.min_item_users,
           "k-core filter: keep items with at least this many distinct users (0 = no bound)")
        ->check(kBound)
        ->capture_default_str();
}

void apply_common(const ImportArgs &a, ImportOptions &o)
{
    o.split.method = a.split == "random" ? SplitOptions::Method::Random : SplitOptions::Method::Time;
    o.split.test_fraction = a.test_fraction;
    o.split.seed = a.seed;
    o.strict = a.strict;
    if (a.na_values)
        o.na_values = parse_na_values(*a.na_values);
    o.core.min_user_items = a.min_user_items;
    o.core.min_item_users = a.min_item_users;
}

int finish(const ImportResult &r, const std::string &out)
{
    save_import(r, out, cli::print_progress);
    std::fputs(r.report.to_text().c_str(), stdout);
    std::printf("wrote %s\n", out.c_str());
    return 0;
}

std::function<int()> setup(CLI::App &app)
{
    auto a = std::make_shared<ImportArgs>();
    app.require_subcommand(1);
    auto *ml = app.add_subcommand("movielens", "MovieLens folder (ml-latest-small layout: ratings.csv, movies.csv)");
    ml->add_option("DIR", a->dir, "Folder with ratings.csv and movies.csv")->required();
    ml->add_option("--min-rating", a->min_rating, "Skip ratings below this value");
    add_common(ml, *a);

    auto *cj = app.add_subcommand("completejourney",
                                  "84.51° Complete Journey folder (transactions, products, demographics CSVs)");
    cj->add_option("DIR", a->dir, "Folder with transactions_sample.csv, products.csv, demographics.csv")->required();
    cj->add_flag("--all-products", a->all_products,
                 "Items = the whole products.csv catalogue, not only purchased products");
    add_common(cj, *a);

    auto *csv = app.add_subcommand("csv", "Any CSV interactions file (+ optional items file) with a column mapping");
    csv->add_option("--interactions", a->csv.interactions, "Interactions CSV file")->required();
    csv->add_option("--user-col", a->csv.user_col, "User id column")->required();
    csv->add_option("--item-col", a->csv.item_col, "Item id column")->required();
    csv->add_option("--time-col", a->csv.time_col, "Time column (epoch seconds or ISO 8601)");
    csv->add_option("--weight-col", a->csv.weight_col, "Weight column (default weight 1)");
    csv->add_option("--items", a->csv.items, "Items CSV file");
    csv->add_option("--item-id-col", a->csv.item_id_col, "Item id column of the items file");
    csv->add_option("--title-col", a->csv.title_col, "Title column of the items file");
    csv->add_option("--category-cols", a->category_cols,
                    "Category columns of the items file, top to leaf, comma-separated");
    csv->add_option("--brand-col", a->csv.brand_col, "Brand column of the items file");
    csv->add_option("--price-col", a->csv.price_col, "Price column of the items file");
    csv->add_option("--delimiter", a->delimiter, "Field delimiter (one character, or \\t for tab)")
        ->capture_default_str();
    add_common(csv, *a);

    auto *q = app.add_subcommand("queries", "A search dataset (DESIGN §11): a dataset's items plus queries and "
                                            "graded judgements");
    q->add_option("--base", a->queries.base, "The dataset whose items are judged (read only)")->required();
    q->add_option("--queries", a->queries.queries, "Queries: 'query id<TAB>text' per line")->required();
    q->add_option("--qrels", a->queries.qrels, "Judgements 'qid 0 docid grade' (trec_eval qrels)")->required();
    q->add_option("--id-map", a->queries.id_map, "CSV translating judged docids to the base's item ids");
    q->add_option("--map-from", a->queries.map_from, "The id map's column of judged ids (default: its last)");
    q->add_option("--map-to", a->queries.map_to, "The id map's column of item ids (default: its first)");
    q->add_option("--out", a->queries.out, "Search dataset to write (SQLite)")->required();
    q->add_option("--na-values", a->na_values,
        "Missing-value markers of an empty id in the id map (unquoted); default NA,NaN,nan,NULL,null,None,N/A,#N/A; "
        "'' for none");

    return [a, ml, cj, csv, q]() -> int {
        if (q->parsed()) {
            if (a->na_values)
                a->queries.na_values = parse_na_values(*a->na_values);
            const QueryImportResult r = import_queries(a->queries, cli::print_progress);
            std::printf("queries            %lld (%lld judged)\njudgements         %lld (%lld through the id map, "
                        "%lld of ids the base has no item for)\n",
                        static_cast<long long>(r.queries), static_cast<long long>(r.judged_queries),
                        static_cast<long long>(r.judgements), static_cast<long long>(r.mapped),
                        static_cast<long long>(r.outside));
            for (const auto &f : r.findings)
                std::printf("note: %s\n", f.c_str());
            std::printf("wrote %s\n", a->queries.out.c_str());
            return 0;
        }
        // Refuse an --out that is one of the inputs before reading anything.
        std::vector<NamedPath> inputs = ml->parsed() || cj->parsed() ? files_in(a->dir, "data folder file")
                                                                     : std::vector<NamedPath>{};
        if (csv->parsed())
            inputs = {{a->csv.interactions, "--interactions"}, {a->csv.items, "--items"}};
        check_outputs(inputs, {{a->out, "--out"}});
        if (ml->parsed()) {
            MovieLensOptions o;
            apply_common(*a, o);
            if (ml->count("--min-rating") > 0)
                o.min_rating = a->min_rating;
            return finish(import_movielens(a->dir, o, cli::print_progress), a->out);
        }
        if (cj->parsed()) {
            CompleteJourneyOptions o;
            apply_common(*a, o);
            o.all_products = a->all_products;
            return finish(import_completejourney(a->dir, o, cli::print_progress), a->out);
        }
        CsvImportOptions o = a->csv;
        apply_common(*a, o);
        const std::string d = a->delimiter == "\\t" || a->delimiter == "tab" ? "\t" : a->delimiter;
        if (d.size() != 1 || d == "\"" || d == "\n" || d == "\r")
            throw Error("import csv: --delimiter '" + a->delimiter
                        + "' must be one character other than a quote or newline (e.g. ',', ';', '\\t')");
        o.delimiter = d[0];
        std::string cols = a->category_cols;
        while (!cols.empty()) {
            const auto comma = cols.find(',');
            o.category_cols.push_back(cols.substr(0, comma));
            cols = comma == std::string::npos ? std::string() : cols.substr(comma + 1);
        }
        for (const auto &c : o.category_cols) {
            if (c.empty())
                throw Error("import csv: --category-cols '" + a->category_cols
                            + "' has an empty column name; list them as TOP,...,LEAF");
        }
        return finish(import_csv(o, cli::print_progress), a->out);
    };
}

const reclens::cli::CommandRegistration reg{
    {"import", "Import a dataset (movielens, completejourney or csv) into a RecLens SQLite file, or queries onto one", setup}};

} // namespace
