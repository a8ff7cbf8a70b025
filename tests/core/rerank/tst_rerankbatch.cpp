// The batched libtorch re-rankers give exactly the lists of the scalar ones (DESIGN §6).
#include "core/rerank/reranker.h"
#include "../metrics/toydataset.h"

#include <QTest>

#include <random>

using namespace reclens;

class TestRerankBatch : public QObject {
    Q_OBJECT

private:
    Dataset m_ds;
    std::vector<float> m_emb;
    static constexpr int kDim = 8;
    static constexpr int kItems = 80;
    static constexpr int kUsers = 50;
    static constexpr int kPool = 30;
    std::vector<int32_t> m_users, m_items, m_count;
    std::vector<float> m_scores;

private slots:
    void initTestCase()
    {
        std::mt19937 rng(1234);
        test::ToySpec s;
        s.n_items = kItems;
        // Three-level tree: 3 tops x 2 mids x 2 leaves.
        for (int t = 0; t < 3; ++t)
            s.categories.push_back({test::numbered("t", t), -1});
        for (int m = 0; m < 6; ++m)
            s.categories.push_back({test::numbered("m", m), m / 2});
        for (int l = 0; l < 12; ++l)
            s.categories.push_back({test::numbered("l", l), 3 + l / 2});
        s.brands = {"a", "b", "c", "d"};
        for (int i = 0; i < kItems; ++i) {
            const int r = static_cast<int>(rng() % 24);
            s.item_category.push_back(r < 2 ? -1 : (r < 6 ? static_cast<int>(rng() % 9) : 9 + static_cast<int>(rng() % 12)));
            s.item_brand.push_back(static_cast<int>(rng() % 5) - 1);
        }
        s.train.resize(kUsers);
        s.test.resize(kUsers);
        for (int u = 0; u < kUsers; ++u) {
            const int n = static_cast<int>(rng() % 12);
            for (int j = 0; j < n; ++j)
                s.train[static_cast<size_t>(u)].push_back(static_cast<int32_t>(rng() % kItems));
            s.test[static_cast<size_t>(u)].push_back(static_cast<int32_t>(rng() % kItems));
        }
        m_ds = test::make_toy(s);
        std::normal_distribution<float> g;
        m_emb.resize(static_cast<size_t>(kItems * kDim));
        for (auto &x : m_emb)
            x = g(rng);
        for (int i = 0; i < kDim; ++i) // a zero row: cosine 0 with everything
            m_emb[static_cast<size_t>(5 * kDim + i)] = 0;
        for (int u = 0; u < kUsers; ++u) {
            m_users.push_back(u);
            const int count = u % 7 == 3 ? 12 : kPool; // some short rows
            std::vector<int32_t> perm(kItems);
            for (int i = 0; i < kItems; ++i)
                perm[static_cast<size_t>(i)] = i;
            std::shuffle(perm.begin(), perm.end(), rng);
            std::vector<float> sc(static_cast<size_t>(count));
            for (auto &x : sc)
                x = std::round(g(rng) * 4.0f) / 4.0f; // ties on purpose
            std::sort(sc.begin(), sc.end(), std::greater<>());
            for (int p = 0; p < kPool; ++p) {
                m_items.push_back(p < count ? perm[static_cast<size_t>(p)] : -1);
                m_scores.push_back(p < count ? sc[static_cast<size_t>(p)] : -std::numeric_limits<float>::infinity());
            }
            m_count.push_back(count);
        }
    }

    void identical_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("similarity");
        QTest::addColumn<double>("delta");
        QTest::addColumn<bool>("rules");
        for (const char *m : {"none", "mmr", "dpp", "calibrated", "caps"})
            for (const char *s : {"embedding", "category"})
                for (double d : {0.0, 0.05, 0.3, 0.7, 1.0})
                    for (bool r : {false, true}) {
                        if ((std::string(m) == "calibrated" || std::string(m) == "caps" || std::string(m) == "none") &&
                            std::string(s) == "category")
                            continue; // similarity unused
                        QTest::addRow("%s_%s_%.2f%s", m, s, d, r ? "_rules" : "")
                            << QString::fromLatin1(m) << QString::fromLatin1(s) << d << r;
                    }
    }

    void identical()
    {
        QFETCH(QString, method);
        QFETCH(QString, similarity);
        QFETCH(double, delta);
        QFETCH(bool, rules);
        RerankOptions o;
        o.method = parse_rerank_method(method.toStdString());
        o.similarity = parse_similarity(similarity.toStdString());
        o.diversity = delta;
        o.k = 10;
        o.category_level = 2;
        o.max_per_category = 2;
        o.max_per_brand = 3;
        if (rules) {
            using Kd = MerchRule::Kind;
            o.rules = {{Kd::exclude_item, 7}, {Kd::boost_category, 1, 1.2, 0.1}, {Kd::bury_brand, 2, 2.0, 0.05},
                       {Kd::pin_item, 11, 1, 0, 4}};
        }
        Reranker r(m_ds, o, m_emb, kDim);
        const auto batch = r.rerank_batch(m_users, m_items, m_scores, m_count, kPool, "cpu");
        QCOMPARE(batch.size(), m_users.size());
        int differing_from_model = 0;
        for (size_t u = 0; u < m_users.size(); ++u) {
            const auto off = u * kPool;
            const std::span<const int32_t> items(m_items.data() + off, static_cast<size_t>(m_count[u]));
            const std::span<const float> scores(m_scores.data() + off, static_cast<size_t>(m_count[u]));
            const auto one = r.rerank(m_users[u], items, scores);
            QCOMPARE(batch[u].items, one.items);
            QCOMPARE(batch[u].scores.size(), one.scores.size());
            if (!rules && std::vector<int32_t>(items.begin(), items.begin() + static_cast<long>(one.items.size())) != one.items)
                ++differing_from_model;
        }
        // The case is not trivial: with δ > 0 the diversifying methods change many lists.
        if (!rules && delta >= 0.3 && o.method != RerankMethod::none)
            QVERIFY(differing_from_model > 5);
    }
};

QTEST_GUILESS_MAIN(TestRerankBatch)
#include "tst_rerankbatch.moc"
