// The real datasets imported by RecLens match the counts that tests/data/sample_counts.py computes
// from the CSVs with Python's csv module (sample_counts.json). Skipped when the datasets are absent.
#include "core/data/completejourneyimporter.h"
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

class TestSampleCounts : public QObject {
    Q_OBJECT

private:
    json m_expected;
    QTemporaryDir m_tmp;

    static fs::path datasets() { return fs::path(RECLENS_SHARED_DATASETS); }

    void compareCommon(const json &x, const Dataset &d, const ImportReport &r)
    {
        QCOMPARE(d.n_users(), x.at("users").get<int32_t>());
        QCOMPARE(d.n_items(), x.at("items").get<int32_t>());
        QCOMPARE(static_cast<int64_t>(d.categories.size()), x.at("categories").get<int64_t>());
        QCOMPARE(d.category_levels, x.at("category_levels").get<int>());
        QCOMPARE(static_cast<int64_t>(d.brands.size()), x.at("brands").get<int64_t>());
        QCOMPARE(r.interactions, x.at("interactions").get<int64_t>());
        QCOMPARE(d.train_rows, x.at("train_interactions").get<int64_t>());
        QCOMPARE(d.test_rows, x.at("test_interactions").get<int64_t>());
        int64_t no_category = 0;
        for (const auto c : d.item_category)
            no_category += c < 0;
        QCOMPARE(no_category, x.at("items_without_category").get<int64_t>());
        QCOMPARE(r.malformed, int64_t(0));

        // Time split on real data: no test interaction of a user is older than that user's train ones.
        for (int32_t u = 0; u < d.n_users(); ++u) {
            const auto train = d.train.row_ts(u);
            const auto test = d.test.row_ts(u);
            if (train.empty() || test.empty())
                continue;
            const auto newest_train = *std::max_element(train.begin(), train.end());
            const auto oldest_test = *std::min_element(test.begin(), test.end());
            QVERIFY2(oldest_test >= newest_train, d.user_external[static_cast<size_t>(u)].c_str());
        }
    }

private slots:
    void initTestCase()
    {
        std::ifstream in(fs::path(RECLENS_TEST_DATA) / "sample_counts.json");
        QVERIFY(in);
        m_expected = json::parse(in);
    }

    void movielens()
    {
        const auto dir = datasets() / "ml-latest-small";
        if (!fs::exists(dir / "ratings.csv"))
            QSKIP("ml-latest-small not found next to the source tree");
        const auto out = m_tmp.path().toStdString() + "/ml.sqlite";
        const auto r = import_movielens(dir.string(), {});
        save_import(r, out);
        const Dataset d = load_dataset(out);
        const json &x = m_expected.at("movielens");
        compareCommon(x, d, r.report);

        MovieLensOptions o;
        o.min_rating = 4.0;
        QCOMPARE(import_movielens(dir.string(), o).report.interactions,
                 x.at("min_rating_4_interactions").get<int64_t>());
    }

    void completejourney()
    {
        const auto dir = datasets() / "completejourney";
        if (!fs::exists(dir / "transactions_sample.csv"))
            QSKIP("completejourney not found next to the source tree");
        const auto out = m_tmp.path().toStdString() + "/cj.sqlite";
        const auto r = import_completejourney(dir.string(), {});
        save_import(r, out);
        const Dataset d = load_dataset(out);
        const json &x = m_expected.at("completejourney");
        compareCommon(x, d, r.report);
        QCOMPARE(r.report.distinct_pairs, x.at("distinct_pairs").get<int64_t>());

        int64_t with_price = 0;
        double price_sum = 0;
        for (const double p : d.item_price) {
            if (!std::isnan(p)) {
                ++with_price;
                price_sum += p;
            }
        }
        QCOMPARE(with_price, x.at("items_with_price").get<int64_t>());
        QVERIFY(std::abs(price_sum - x.at("price_sum").get<double>()) < 1e-3);
        for (const auto &[id, price] : x.at("price_examples").items()) {
            const int32_t i = d.find_item(id);
            QVERIFY(i >= 0);
            QVERIFY(std::abs(d.item_price[static_cast<size_t>(i)] - price.get<double>()) < 1e-9);
        }
        std::map<std::string, int64_t> segments;
        for (const auto &s : d.user_segment) {
            if (!s.empty())
                ++segments[s];
        }
        QCOMPARE(segments, (x.at("segments").get<std::map<std::string, int64_t>>()));
        int64_t min_ts = INT64_MAX, max_ts = INT64_MIN;
        for (const Csr *c : {&d.train, &d.test}) {
            for (const auto t : c->ts) {
                min_ts = std::min(min_ts, t);
                max_ts = std::max(max_ts, t);
            }
        }
        QCOMPARE(min_ts, x.at("min_ts").get<int64_t>());
        QCOMPARE(max_ts, x.at("max_ts").get<int64_t>());

        CompleteJourneyOptions all;
        all.all_products = true;
        QCOMPARE(static_cast<int64_t>(import_completejourney(dir.string(), all).dataset.n_items()),
                 x.at("all_products_items").get<int64_t>());
    }
};

QTEST_GUILESS_MAIN(TestSampleCounts)
#include "tst_samplecounts.moc"
