// Beyond-accuracy metrics of one list (DESIGN §5), worked by hand on a two-level tree.
#include "core/metrics/metrics.h"
#include "toydataset.h"

#include <QTest>

using namespace reclens;

namespace {

// Tree: A(0) > A1(2), A2(3); B(1) > B1(4). H = 2.
// Items: 0:A1 1:A1 2:A2 3:B1 4:A (inner) 5:none 6:B1 7:A2
test::ToySpec spec()
{
    test::ToySpec s;
    s.n_items = 8;
    s.categories = {{"A", -1}, {"B", -1}, {"A1", 0}, {"A2", 0}, {"B1", 1}};
    s.item_category = {2, 2, 3, 4, 0, -1, 4, 3};
    // Popularity (distinct train users): item 0:2, 1:3, 2:3, 3:2, others 0 -> total 10, head needs
    // 8: items 1, 2 (3 each), then 0 (2; ties with 3 broken by index) -> head = {0,1,2}.
    s.train = {{0, 1, 2, 3}, {0, 1, 2, 3}, {1, 2}, {}};
    s.test = {{5}, {6}, {7}, {4}};
    return s;
}

} // namespace

class TestBeyondAccuracy : public QObject {
    Q_OBJECT

private:
    Dataset m_ds;

private slots:
    void initTestCase() { m_ds = test::make_toy(spec()); }

    void headWithTiesByIndex()
    {
        const auto head = compute_head(m_ds);
        QCOMPARE(head, (std::vector<uint8_t>{1, 1, 1, 0, 0, 0, 0, 0}));
        MetricContext ctx(m_ds);
        QCOMPARE(ctx.head_size(), 3);
    }

    void categoryMetrics_data()
    {
        QTest::addColumn<QList<int>>("list");
        QTest::addColumn<int>("level");
        QTest::addColumn<double>("ild");
        QTest::addColumn<double>("count");
        QTest::addColumn<double>("entropy");
        // pairs: (0,1)=0 (0,2)=1/2 (0,3)=1 (1,2)=1/2 (1,3)=1 (2,3)=1 -> 4/6
        QTest::addRow("mixed_leaf") << QList<int>{0, 1, 2, 3} << 2 << 4.0 / 6 << 3.0 << 1.5;
        QTest::addRow("mixed_top") << QList<int>{0, 1, 2, 3} << 1 << 4.0 / 6 << 2.0
                                   << -(0.75 * std::log2(0.75) + 0.25 * std::log2(0.25));
        QTest::addRow("single_category") << QList<int>{0, 1} << 2 << 0.0 << 1.0 << 0.0;
        // An unknown item is at distance 1 from everything and forms its own bucket.
        QTest::addRow("unknown") << QList<int>{5, 0} << 2 << 1.0 << 2.0 << 1.0;
        // Item 4 sits on the inner node A: at level 2 it counts under A; d(4,0) = (2-1)/2.
        QTest::addRow("inner_node") << QList<int>{4, 0} << 2 << 0.5 << 2.0 << 1.0;
        QTest::addRow("inner_node_top") << QList<int>{4, 0} << 1 << 0.5 << 1.0 << 0.0;
        // Level 0 = deepest.
        QTest::addRow("level0_is_deepest") << QList<int>{0, 2, 3, 6} << 0 << (0.5 + 1 + 1 + 1 + 1 + 0) / 6 << 3.0 << 1.5;
        // One item: no pairs -> ILD undefined.
        QTest::addRow("one_item") << QList<int>{3} << 2 << kNaN << 1.0 << 0.0;
    }

    void categoryMetrics()
    {
        QFETCH(QList<int>, list);
        QFETCH(int, level);
        QFETCH(double, ild);
        QFETCH(double, count);
        QFETCH(double, entropy);
        std::vector<int32_t> l(list.begin(), list.end());
        MetricContext ctx(m_ds, level);
        const auto m = user_metrics(ctx, 0, l, static_cast<int>(l.size()));
        if (std::isnan(ild))
            QVERIFY(std::isnan(m[MetricId::ild_category]));
        else
            QCOMPARE(m[MetricId::ild_category], ild);
        QCOMPARE(m[MetricId::category_count], count);
        QCOMPARE(m[MetricId::entropy] + 1.0, entropy + 1.0); // +1: fuzzy compare near 0
        QVERIFY(std::isnan(m[MetricId::ild_embedding])); // no embeddings given
    }

    void calibrationKl()
    {
        // u0 history {0,1,2,3} at level 2: A1 1/2, A2 1/4, B1 1/4. List {0,6}: q A1 1/2, B1 1/2.
        MetricContext ctx(m_ds, 2);
        const std::vector<int32_t> l{0, 6};
        const auto m = user_metrics(ctx, 0, l, 2);
        auto term = [](double p, double q) { return p * std::log2(p / (0.99 * q + 0.01 * p)); };
        QCOMPARE(m[MetricId::calibration_kl], term(0.5, 0.5) + term(0.25, 0.0) + term(0.25, 0.5));
        // Identical distribution -> 0.
        const std::vector<int32_t> same{0, 1, 2, 3};
        QCOMPARE(user_metrics(ctx, 0, same, 4)[MetricId::calibration_kl] + 1.0, 1.0);
        // No history -> undefined.
        QVERIFY(std::isnan(user_metrics(ctx, 3, l, 2)[MetricId::calibration_kl]));
    }

    void popularityMetrics()
    {
        MetricContext ctx(m_ds);
        const std::vector<int32_t> l{1, 3, 5};
        const auto m = user_metrics(ctx, 0, l, 3);
        const double n = 4; // users in the dataset
        QCOMPARE(m[MetricId::novelty], (-std::log2(3 / n) - std::log2(2 / n) - std::log2(1 / n)) / 3);
        QCOMPARE(m[MetricId::arp], (3.0 + 2.0 + 0.0) / 3);
        QCOMPARE(m[MetricId::long_tail_share], 2.0 / 3);
    }

    void embeddingIld()
    {
        // e0 = (1,0), e1 = (0,2), e2 = (1,1), rest zero (cosine 0 with everything).
        std::vector<float> emb(16, 0.0f);
        emb[0] = 1;
        emb[3] = 2;
        emb[4] = 1;
        emb[5] = 1;
        MetricContext ctx(m_ds, 0, emb, 2);
        const std::vector<int32_t> l{0, 1, 2};
        const double c = 1 / std::sqrt(2.0);
        // 1-cos: (0,1)=1, (0,2)=1-c, (1,2)=1-c
        // Unit vectors are kept in float: compare to float precision.
        QVERIFY(std::fabs(user_metrics(ctx, 0, l, 3)[MetricId::ild_embedding] - (1 + 2 * (1 - c)) / 3) < 1e-6);
        const std::vector<int32_t> z{0, 5};
        QCOMPARE(user_metrics(ctx, 0, z, 2)[MetricId::ild_embedding], 1.0);
    }

    void oneDimensionalEmbeddingsAreNoDistance()
    {
        // A one-column "embedding" (the popularity model's) is a score: every unit vector is ±1 and
        // 1 − cos would read 0 as if measured. ild_embedding is undefined instead.
        std::vector<float> emb{3, 1, 2, 5, 4, 1, 1, 2};
        MetricContext ctx(m_ds, 0, emb, 1);
        QVERIFY(!ctx.has_embeddings());
        const std::vector<int32_t> l{0, 1, 2};
        QVERIFY(std::isnan(user_metrics(ctx, 0, l, 3)[MetricId::ild_embedding]));
        QVERIFY(!std::isnan(user_metrics(ctx, 0, l, 3)[MetricId::ild_category]));
    }

    void shares()
    {
        const std::vector<int32_t> l{0, 1, 5, 2};
        const auto s = category_shares(m_ds, l, 2);
        QCOMPARE(s.size(), size_t{3});
        QCOMPARE(s[0].category, 2);
        QCOMPARE(s[0].count, int64_t{2});
        QCOMPARE(s[0].share, 0.5);
        QCOMPARE(s[1].category, 3);
        QCOMPARE(s[2].category, -1); // unknown last
        const auto h = history_shares(m_ds, 0, 1);
        QCOMPARE(h.size(), size_t{2});
        QCOMPARE(h[0].share, 0.75);
        QCOMPARE(h[1].share, 0.25);
    }
};

QTEST_GUILESS_MAIN(TestBeyondAccuracy)
#include "tst_beyondaccuracy.moc"
