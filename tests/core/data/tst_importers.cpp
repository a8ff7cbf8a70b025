// Golden import cases: every folder of tests/data/import/<case>/ holds input files and case.json
// (importer, options, and either the expected counts/details or the expected error text). Each case
// is imported, written and loaded back, so the checks cover the SQLite round trip too. Expected
// values are worked out by hand (each case.json says how in "why").
#include "core/common/error.h"
#include "core/data/completejourneyimporter.h"
#include "core/data/csvimporter.h"
#include "core/data/datasetrepository.h"
#include "core/data/movielensimporter.h"

#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

using namespace reclens;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

const fs::path kCases = fs::path(RECLENS_TEST_DATA) / "import";

ImportOptions common(const json &o)
{
    ImportOptions c;
    c.strict = o.value("strict", false);
    c.split.method
        = o.value("split", std::string("time")) == "random" ? SplitOptions::Method::Random : SplitOptions::Method::Time;
    c.split.test_fraction = o.value("test_fraction", 0.2);
    c.split.seed = o.value("seed", 42);
    c.core.min_user_items = o.value("min_user_items", 0);
    c.core.min_item_users = o.value("min_item_users", 0);
    if (o.contains("na_values"))
        c.na_values = o.at("na_values").get<std::vector<std::string>>();
    return c;
}

ImportResult run_case(const fs::path &dir, const json &spec)
{
    const std::string importer = spec.at("importer");
    const json &o = spec.at("options");
    if (importer == "movielens") {
        MovieLensOptions m;
        static_cast<ImportOptions &>(m) = common(o);
        if (o.contains("min_rating"))
            m.min_rating = o.at("min_rating").get<double>();
        return import_movielens(dir.string(), m);
    }
    if (importer == "completejourney") {
        CompleteJourneyOptions c;
        static_cast<ImportOptions &>(c) = common(o);
        c.all_products = o.value("all_products", false);
        return import_completejourney(dir.string(), c);
    }
    CsvImportOptions c;
    static_cast<ImportOptions &>(c) = common(o);
    auto file = [&](const char *key) {
        return o.contains(key) ? (dir / o.at(key).get<std::string>()).string() : std::string();
    };
    c.interactions = file("interactions");
    c.items = file("items");
    c.user_col = o.value("user_col", "");
    c.item_col = o.value("item_col", "");
    c.time_col = o.value("time_col", "");
    c.weight_col = o.value("weight_col", "");
    c.item_id_col = o.value("item_id_col", "");
    c.title_col = o.value("title_col", "");
    c.brand_col = o.value("brand_col", "");
    c.price_col = o.value("price_col", "");
    c.category_cols = o.value("category_cols", std::vector<std::string>{});
    c.delimiter = o.value("delimiter", std::string(",")).at(0);
    return import_csv(c);
}

const json &member(const json &x, const char *key)
{
    static const json empty = json::object();
    return x.contains(key) ? x.at(key) : empty;
}

std::vector<std::string> externals(const Dataset &d, std::span<const int32_t> items)
{
    std::vector<std::string> out;
    for (const auto i : items)
        out.push_back(d.item_external[static_cast<size_t>(i)]);
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

class TestImporters : public QObject {
    Q_OBJECT

private slots:
    void importCase_data()
    {
        QTest::addColumn<QString>("dir");
        std::vector<fs::path> dirs;
        for (const auto &e : fs::directory_iterator(kCases)) {
            if (e.is_directory() && fs::exists(e.path() / "case.json"))
                dirs.push_back(e.path());
        }
        std::sort(dirs.begin(), dirs.end());
        QVERIFY(dirs.size() >= 10);
        for (const auto &d : dirs)
            QTest::addRow("%s", d.filename().string().c_str()) << QString::fromStdString(d.string());
    }

    void importCase()
    {
        QFETCH(QString, dir);
        const fs::path folder(dir.toStdString());
        std::ifstream in(folder / "case.json");
        const json spec = json::parse(in);
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const std::string out = (fs::path(tmp.path().toStdString()) / "out.sqlite").string();

        if (spec.contains("error")) {
            std::string message;
            try {
                const auto r = run_case(folder, spec);
                save_import(r, out);
            } catch (const Error &e) {
                message = e.what();
            }
            QVERIFY2(!message.empty(), "expected an error");
            QVERIFY2(message.find('\n') == std::string::npos, message.c_str());
            for (const auto &part : spec.at("error"))
                QVERIFY2(message.find(part.get<std::string>()) != std::string::npos,
                         (message + "  [missing: " + part.get<std::string>() + "]").c_str());
            QVERIFY(fs::is_empty(tmp.path().toStdString()));
            return;
        }

        const ImportResult r = run_case(folder, spec);
        save_import(r, out);
        const json &x = spec.at("expect");
        const ImportReport &rep = r.report;
        auto check = [&](const char *key, int64_t actual) {
            if (x.contains(key))
                QVERIFY2(actual == x.at(key).get<int64_t>(),
                         (std::string(key) + " = " + std::to_string(actual)).c_str());
        };
        check("malformed", rep.malformed);
        check("skipped", rep.skipped_total());
        check("distinct_pairs", rep.distinct_pairs);
        check("interactions", rep.interactions);
        if (x.contains("malformed_examples")) {
            const auto &want = x.at("malformed_examples");
            QCOMPARE(rep.malformed_examples.size(), want.size());
            for (size_t k = 0; k < want.size(); ++k) {
                const auto w = want[k].get<std::string>();
                QVERIFY2(rep.malformed_examples[k].find(w) != std::string::npos,
                         (rep.malformed_examples[k] + " vs " + w).c_str());
            }
        }

        if (x.contains("skipped_by_reason")) {
            for (const auto &[reason, count] : x.at("skipped_by_reason").items()) {
                int64_t got = -1;
                for (const auto &[r_, n] : rep.skipped)
                    if (r_ == reason)
                        got = n;
                QVERIFY2(got == count.get<int64_t>(), (reason + " = " + std::to_string(got)).c_str());
            }
        }

        const Dataset d = load_dataset(out);
        QCOMPARE(d.meta.at("schema_version"), std::string("1"));
        // A blank id is never stored (DESIGN §9), in any case.
        for (const auto &id : d.user_external)
            QVERIFY2(!id.empty() && id.find_first_not_of(" \t") != std::string::npos, "a user with a blank id");
        for (const auto &id : d.item_external)
            QVERIFY2(!id.empty() && id.find_first_not_of(" \t") != std::string::npos, "an item with a blank id");
        check("users", d.n_users());
        check("items", d.n_items());
        check("train", d.train_rows);
        check("test", d.test_rows);
        check("categories", static_cast<int64_t>(d.categories.size()));
        check("category_levels", d.category_levels);
        check("brands", static_cast<int64_t>(d.brands.size()));
        QCOMPARE(d.train_rows + d.test_rows, rep.interactions);

        for (const auto &id : x.value("absent_users", std::vector<std::string>{}))
            QVERIFY2(d.find_user(id) < 0, ("a user '" + id + "' was imported").c_str());
        for (const auto &id : x.value("absent_items", std::vector<std::string>{}))
            QVERIFY2(d.find_item(id) < 0, ("an item '" + id + "' was imported").c_str());
        for (const auto &[id, want] : member(x, "item_details").items()) {
            const int32_t i = d.find_item(id);
            QVERIFY2(i >= 0, id.c_str());
            const auto ui = static_cast<size_t>(i);
            if (want.contains("title"))
                QCOMPARE(d.item_title[ui], want.at("title").get<std::string>());
            if (want.contains("path")) {
                std::vector<std::string> path;
                for (const auto c : d.item_path(i))
                    path.push_back(d.categories[static_cast<size_t>(c)].name);
                QCOMPARE(path, want.at("path").get<std::vector<std::string>>());
            }
            if (want.contains("tags"))
                QCOMPARE(d.item_tags[ui], want.at("tags").get<std::vector<std::string>>());
            if (want.contains("brand"))
                QCOMPARE(d.item_brand[ui] < 0 ? std::string() : d.brands[static_cast<size_t>(d.item_brand[ui])],
                         want.at("brand").get<std::string>());
            if (want.contains("price")) {
                if (want.at("price").is_null())
                    QVERIFY2(std::isnan(d.item_price[ui]), id.c_str());
                else
                    QCOMPARE(d.item_price[ui], want.at("price").get<double>());
            }
            if (want.contains("popularity"))
                QCOMPARE(d.popularity[ui], want.at("popularity").get<int32_t>());
        }
        for (const auto &[id, want] : member(x, "user_details").items()) {
            const int32_t u = d.find_user(id);
            QVERIFY2(u >= 0, id.c_str());
            const auto uu = static_cast<size_t>(u);
            if (want.contains("segment"))
                QCOMPARE(d.user_segment[uu], want.at("segment").get<std::string>());
            if (want.contains("attributes"))
                QCOMPARE(d.user_attributes[uu].size(), want.at("attributes").get<size_t>());
            if (want.contains("train_items"))
                QCOMPARE(externals(d, d.train.row(u)), want.at("train_items").get<std::vector<std::string>>());
            if (want.contains("test_items"))
                QCOMPARE(externals(d, d.test.row(u)), want.at("test_items").get<std::vector<std::string>>());
            for (const auto &[item, ts] : member(want, "train_ts").items()) {
                const auto row = d.train.row(u);
                const auto it = std::find(row.begin(), row.end(), d.find_item(item));
                QVERIFY(it != row.end());
                QCOMPARE(d.train.row_ts(u)[static_cast<size_t>(it - row.begin())], ts.get<int64_t>());
            }
            for (const auto &[item, w] : member(want, "train_weights").items()) {
                const auto row = d.train.row(u);
                const auto it = std::find(row.begin(), row.end(), d.find_item(item));
                QVERIFY(it != row.end());
                QCOMPARE(d.train.row_weights(u)[static_cast<size_t>(it - row.begin())], w.get<float>());
            }
        }
    }

    void outputMayNotOverwriteInput()
    {
        QTemporaryDir tmp;
        const fs::path dir(tmp.path().toStdString());
        fs::copy(kCases / "ml_wellformed", dir);
        const auto r = import_movielens(dir.string(), {});
        const auto ratings = (dir / "ratings.csv").string();
        const auto before = fs::file_size(ratings);
        QVERIFY_THROWS_EXCEPTION(Error, save_import(r, ratings));
        QCOMPARE(fs::file_size(ratings), before);
    }

    void cancelLeavesNoFile()
    {
        QTemporaryDir tmp;
        const auto out = (fs::path(tmp.path().toStdString()) / "out.sqlite").string();
        const auto cancel = [](double, std::string_view) { return false; };
        QVERIFY_THROWS_EXCEPTION(Cancelled, import_movielens((kCases / "ml_wellformed").string(), {}, cancel));
        const auto r = import_movielens((kCases / "ml_wellformed").string(), {});
        QVERIFY_THROWS_EXCEPTION(Cancelled, save_import(r, out, cancel));
        QVERIFY(fs::is_empty(tmp.path().toStdString()));
    }

    void reportText()
    {
        const auto r = import_completejourney((kCases / "cj_small").string(), {});
        const std::string text = r.report.to_text();
        for (const char *part : {"transactions_sample.csv: 8", "users: 3", "items: 6", "train 6, test 2",
                                 "1 transaction lines refer to 1 products missing from products.csv"}) {
            QVERIFY2(text.find(part) != std::string::npos, (text + "\n[missing: " + part + "]").c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestImporters)
#include "tst_importers.moc"
