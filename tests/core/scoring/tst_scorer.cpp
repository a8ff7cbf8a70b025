// score_top against numpy's top-K (tests/data/models/expected_topk.csv): fast path and generic path,
// several block sizes, plus the edge cases (small universes, pool > items, no users, bad options,
// cancellation).
#include "../models/memorydataset.h"
#include "core/common/error.h"
#include "core/data/datasetrepository.h"
#include "core/models/model.h"
#include "core/scoring/scorer.h"

#include <QTest>
#include <cmath>
#include <fstream>
#include <map>
#include <numeric>
#include <random>
#include <sstream>

using namespace reclens;

namespace
{

const std::string kDir = RECLENS_TEST_DATA "/models/";

struct Expected {
    std::vector<std::string> items;
    std::vector<double> scores;
};

std::map<std::string, Expected> expected_lists(const std::string &model)
{
    std::map<std::string, Expected> out;
    std::ifstream in(kDir + "expected_topk.csv");
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
        std::stringstream ss(line);
        std::string m, user, rank, item, score;
        std::getline(ss, m, ',');
        std::getline(ss, user, ',');
        std::getline(ss, rank, ',');
        std::getline(ss, item, ',');
        std::getline(ss, score, ',');
        if (m != model)
            continue;
        out[user].items.push_back(item);
        out[user].scores.push_back(std::stod(score));
    }
    return out;
}

std::vector<int32_t> all_users(const Dataset &d)
{
    std::vector<int32_t> users(size_t(d.n_users()));
    for (int32_t u = 0; u < d.n_users(); ++u)
        users[size_t(u)] = u;
    return users;
}

} // namespace

class ScorerTest : public QObject
{
    Q_OBJECT

private:
    Dataset m_dataset;

private Q_SLOTS:
    void initTestCase() { m_dataset = load_dataset(kDir + "dataset.sqlite"); }

    void matchesNumpyTopK_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<qint64>("budget");
        QTest::addColumn<int>("block");
        QTest::addColumn<int>("tile");
        QTest::addRow("two_tower, one block") << "two_tower" << qint64(512 << 20) << 0 << 0;
        QTest::addRow("two_tower, 7x13 tiles") << "two_tower" << qint64(512 << 20) << 7 << 13;
        QTest::addRow("two_tower, 1-user blocks") << "two_tower" << qint64(1) << 0 << 0;
        QTest::addRow("two_tower, 3x1 tiles") << "two_tower" << qint64(512 << 20) << 3 << 1;
        QTest::addRow("score_only, one chunk") << "score_only" << qint64(512 << 20) << 0 << 0;
        QTest::addRow("score_only, 16-item chunks") << "score_only" << qint64(1) << 0 << 0;
    }

    // Same scores rank by rank; same items wherever the score is not tied with a neighbour.
    void matchesNumpyTopK()
    {
        QFETCH(QString, model);
        QFETCH(qint64, budget);
        QFETCH(int, block);
        QFETCH(int, tile);
        auto m = Model::load(kDir + model.toStdString() + ".pt", m_dataset);
        const auto expected = expected_lists(model.toStdString());
        ScoringOptions options;
        options.pool = 10;
        options.device = "cpu";
        options.memory_budget_bytes = budget;
        options.block_users = block;
        options.tile_items = tile;
        const auto users = all_users(m_dataset);
        const auto c = score_top(*m, users, options);
        QCOMPARE(c.device, std::string("cpu"));
        QCOMPARE(c.users, users);
        int compared = 0;
        for (size_t r = 0; r < users.size(); ++r) {
            const auto &user = m_dataset.user_external[size_t(users[r])];
            const auto it = expected.find(user);
            if (it == expected.end()) { // unknown to the model
                QCOMPARE(c.count[r], 0);
                continue;
            }
            const auto &e = it->second;
            QCOMPARE(size_t(c.count[r]), e.items.size());
            const auto items = c.row_items(r);
            const auto scores = c.row_scores(r);
            for (size_t k = 0; k < e.items.size(); ++k) {
                QVERIFY2(std::abs(scores[k] - e.scores[k]) < 1e-4 * std::max(1.0, std::abs(e.scores[k])),
                    qPrintable(QStringLiteral("%1 rank %2").arg(QString::fromStdString(user)).arg(k + 1)));
                const bool tied = (k > 0 && std::abs(e.scores[k] - e.scores[k - 1]) < 1e-5)
                    || (k + 1 < e.items.size() && std::abs(e.scores[k] - e.scores[k + 1]) < 1e-5);
                if (!tied) {
                    QCOMPARE(m_dataset.item_external[size_t(items[k])], e.items[k]);
                    ++compared;
                }
                QVERIFY(!m_dataset.train.contains(users[r], items[k]));
            }
        }
        QVERIFY(compared > 300);
    }

    // The heavy user u039 has 10 unseen items, 2 of them unknown to the model: 8 candidates, rest -1.
    // 30,000 items, so each user's TopK is cut (its k-th best selected) many times: the lists must
    // be the first k of a full sort (score descending, lower item first), with scores that tie in
    // large groups (multiples of 1/8, exact in float) and seen items left out. Pools 1, 7, 100, 300.
    void topKThroughManyCuts_data()
    {
        QTest::addColumn<int>("pool");
        for (int k : { 1, 7, 100, 300 })
            QTest::newRow(std::to_string(k).c_str()) << k;
    }
    void topKThroughManyCuts()
    {
        QFETCH(int, pool);
        constexpr int32_t n_items = 30000, n_users = 24, dim = 2;
        std::mt19937 rng(3);
        std::vector<std::vector<int32_t>> train(n_users);
        for (auto &row : train)
            for (int j = 0; j < 40; ++j)
                row.push_back(static_cast<int32_t>(rng() % n_items));
        const Dataset ds = test::memory_dataset(n_items, train);
        std::vector<float> ue(static_cast<size_t>(n_users) * dim), ie(static_cast<size_t>(n_items) * dim);
        for (auto &x : ue)
            x = static_cast<float>(static_cast<int>(rng() % 5) - 1); // -1 .. 3
        for (size_t i = 0; i < ie.size(); ++i) // early items low, later ones higher: the bar keeps rising
            ie[i] = static_cast<float>(static_cast<int>(rng() % 64) + static_cast<int>(i / 2000)) / 8.0f;
        const auto model = Model::from_embeddings(ds, ue, ie, dim, "ties");
        std::vector<int32_t> users(n_users);
        std::iota(users.begin(), users.end(), 0);
        ScoringOptions options;
        options.pool = pool;
        options.device = "cpu";
        const auto c = score_top(*model, users, options);
        for (int32_t u = 0; u < n_users; ++u) {
            const auto scores = model->score_all(u);
            std::vector<int32_t> order;
            for (int32_t i = 0; i < n_items; ++i)
                if (!ds.train.contains(u, i))
                    order.push_back(i);
            std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return scores[a] > scores[b]; });
            order.resize(static_cast<size_t>(pool));
            const auto got = c.row_items(static_cast<size_t>(u));
            QCOMPARE(std::vector<int32_t>(got.begin(), got.end()), order);
        }
    }

    void smallUniverseAndLargePool()
    {
        auto m = Model::load(kDir + "two_tower.pt", m_dataset);
        const int32_t heavy = m_dataset.find_user("u039");
        ScoringOptions options;
        options.device = "cpu";
        options.pool = 100; // more than the 60 items
        const std::vector<int32_t> users { heavy, 0 };
        const auto c = score_top(*m, users, options);
        int unknown_unseen = 0;
        for (const char *id : { "i005", "i017", "i042" })
            unknown_unseen += !m_dataset.train.contains(heavy, m_dataset.find_item(id));
        QCOMPARE(c.count[0], 10 - unknown_unseen);
        QCOMPARE(c.items[size_t(c.count[0])], -1);
        QVERIFY(std::isinf(c.scores[size_t(c.count[0])]));
        QCOMPARE(int64_t(c.count[1]), 57 - m_dataset.train.row_size(0));
        QCOMPARE(c.items.size(), size_t(200));
    }

    void includeTrainItems()
    {
        auto m = Model::load(kDir + "score_only.pt", m_dataset);
        ScoringOptions options;
        options.pool = 60;
        options.exclude_train = false;
        const std::vector<int32_t> users { 0 };
        const auto c = score_top(*m, users, options);
        QCOMPARE(c.count[0], 57); // every known item, seen or not
    }

    void noUsers()
    {
        auto m = Model::load(kDir + "two_tower.pt", m_dataset);
        const auto c = score_top(*m, {}, ScoringOptions {});
        QVERIFY(c.users.empty());
        QVERIFY(c.items.empty());
    }

    void badOptions()
    {
        auto m = Model::load(kDir + "two_tower.pt", m_dataset);
        const std::vector<int32_t> users { 0 };
        ScoringOptions options;
        options.pool = 0;
        QVERIFY_THROWS_EXCEPTION(Error, score_top(*m, users, options));
        options.pool = 5;
        options.device = "tpu";
        QVERIFY_THROWS_EXCEPTION(Error, score_top(*m, users, options));
        options.device = "cpu";
        const std::vector<int32_t> bad { 1000 };
        QVERIFY_THROWS_EXCEPTION(Error, score_top(*m, bad, options));
        QVERIFY_THROWS_EXCEPTION(Error, resolve_device("cuda:x"));
        if (resolve_device("auto") == "cpu")
            QVERIFY_THROWS_EXCEPTION(Error, resolve_device("cuda"));
        QCOMPARE(resolve_device("cpu"), std::string("cpu"));
    }

    void cancels_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addRow("fast path") << "two_tower";
        QTest::addRow("generic path") << "score_only";
    }

    void cancels()
    {
        QFETCH(QString, model);
        auto m = Model::load(kDir + model.toStdString() + ".pt", m_dataset);
        ScoringOptions options;
        options.memory_budget_bytes = 1;
        const auto users = all_users(m_dataset);
        QVERIFY_THROWS_EXCEPTION(
            Cancelled, score_top(*m, users, options, [](double, std::string_view) { return false; }));
    }

    void reportsTimings()
    {
        auto m = Model::load(kDir + "two_tower.pt", m_dataset);
        const auto users = all_users(m_dataset);
        double last = -1;
        const auto c = score_top(*m, users, ScoringOptions {}, [&](double f, std::string_view) {
            last = f;
            return true;
        });
        QCOMPARE(last, 1.0);
        // The CPU kernel scores and selects in one pass (DESIGN §8: users x items never exists).
        QVERIFY(c.timing_ms.count("total") && c.timing_ms.count("score_topk"));
    }
};

QTEST_APPLESS_MAIN(ScorerTest)
#include "tst_scorer.moc"
