// Accuracy metrics of one list (DESIGN §5), worked by hand.
#include "core/common/error.h"
#include "core/metrics/metrics.h"
#include "toydataset.h"

#include <QTest>

using namespace reclens;

class TestAccuracyMetrics : public QObject {
    Q_OBJECT

private:
    Dataset m_ds;

private slots:
    void initTestCase()
    {
        test::ToySpec s;
        s.n_items = 10;
        // u0: train {0}, test {0,1,3,5} -> T = {1,3,5} (0 is a train item: not relevant).
        // u1: test only a train item -> T empty.
        s.train = {{0}, {4}};
        s.test = {{0, 1, 3, 5}, {4}};
        m_ds = test::make_toy(s);
    }

    void metrics_data()
    {
        QTest::addColumn<QList<int>>("list");
        QTest::addColumn<int>("k");
        QTest::addColumn<double>("precision");
        QTest::addColumn<double>("recall");
        QTest::addColumn<double>("f1");
        QTest::addColumn<double>("hit");
        QTest::addColumn<double>("ndcg");
        QTest::addColumn<double>("map");
        QTest::addColumn<double>("mrr");
        const double l3 = 1.0 / std::log2(3.0);
        const double idcg3 = 1.0 + l3 + 0.5;
        // hits at ranks 1 and 3 of 4.
        QTest::addRow("two_hits") << QList<int>{1, 2, 3, 4} << 4 << 0.5 << 2.0 / 3 << (2 * 0.5 * (2.0 / 3)) / (0.5 + 2.0 / 3)
                                  << 1.0 << (1.0 + 0.5) / idcg3 << (1.0 + 2.0 / 3) / 3 << 1.0;
        // K larger than the list: precision still divides by K, IDCG over min(|T|,K) = 3.
        QTest::addRow("k_larger_than_list") << QList<int>{2, 5} << 5 << 0.2 << 1.0 / 3 << (2 * 0.2 / 3) / (0.2 + 1.0 / 3)
                                            << 1.0 << l3 / idcg3 << (0.5) / 3 << 0.5;
        QTest::addRow("no_hits") << QList<int>{2, 4, 6} << 3 << 0.0 << 0.0 << 0.0 << 0.0 << 0.0 << 0.0 << 0.0;
        // More test items than K: IDCG and MAP over min(|T|,K) = 1.
        QTest::addRow("k1_hit") << QList<int>{5} << 1 << 1.0 << 1.0 / 3 << 0.5 << 1.0 << 1.0 << 1.0 << 1.0;
        // The train item 0 is in the test split but is not relevant.
        QTest::addRow("train_item_not_relevant") << QList<int>{0, 1} << 2 << 0.5 << 1.0 / 3 << (2 * 0.5 / 3) / (0.5 + 1.0 / 3)
                                                 << 1.0 << l3 / (1.0 + l3) << 0.5 / 2 << 0.5;
        // Only the first K entries of a longer list count.
        QTest::addRow("list_longer_than_k") << QList<int>{2, 4, 1, 3} << 2 << 0.0 << 0.0 << 0.0 << 0.0 << 0.0 << 0.0 << 0.0;
    }

    void metrics()
    {
        QFETCH(QList<int>, list);
        QFETCH(int, k);
        std::vector<int32_t> l(list.begin(), list.end());
        MetricContext ctx(m_ds);
        const auto m = user_metrics(ctx, 0, l, k, 0.25);
        QFETCH(double, precision);
        QFETCH(double, recall);
        QFETCH(double, f1);
        QFETCH(double, hit);
        QFETCH(double, ndcg);
        QFETCH(double, map);
        QFETCH(double, mrr);
        QCOMPARE(m[MetricId::precision], precision);
        QCOMPARE(m[MetricId::recall], recall);
        QCOMPARE(m[MetricId::f1], f1);
        QCOMPARE(m[MetricId::hit_rate], hit);
        QCOMPARE(m[MetricId::ndcg], ndcg);
        QCOMPARE(m[MetricId::map], map);
        QCOMPARE(m[MetricId::mrr], mrr);
        QCOMPARE(m[MetricId::auc], 0.25);
        QCOMPARE(m.test_size, 3);
    }

    void emptyTestSetIsUndefined()
    {
        MetricContext ctx(m_ds);
        const std::vector<int32_t> l{1, 2};
        const auto m = user_metrics(ctx, 1, l, 2);
        QCOMPARE(m.test_size, 0);
        for (int i = 0; i < kAccuracyMetricCount; ++i)
            QVERIFY2(std::isnan(m.values[static_cast<size_t>(i)]), metric_name(static_cast<MetricId>(i)).data());
        // Beyond-accuracy metrics are still defined.
        QVERIFY(!std::isnan(m[MetricId::category_count]));
    }

    void evaluatedUsersAndTestSet()
    {
        QCOMPARE(evaluated_users(m_ds), (std::vector<int32_t>{0}));
        QCOMPARE(test_set(m_ds, 0), (std::vector<int32_t>{1, 3, 5}));
        QVERIFY(test_set(m_ds, 1).empty());
    }

    void meanSkipsUndefined()
    {
        UserMetrics a, b;
        a.values.fill(1.0);
        b.values.fill(kNaN);
        b[MetricId::precision] = 0.0;
        const std::vector<UserMetrics> v{a, b};
        const auto mean = mean_metrics(v);
        QCOMPARE(mean[static_cast<size_t>(MetricId::precision)], 0.5);
        QCOMPARE(mean[static_cast<size_t>(MetricId::recall)], 1.0);
    }

    void catalogueNamesAndFormulas()
    {
        const char *names[] = {"precision", "recall", "f1", "hit_rate", "ndcg", "map", "mrr", "auc", "auc_pooled",
                               "ild_embedding", "ild_category", "category_count", "entropy", "calibration_kl",
                               "novelty", "arp", "long_tail_share", "catalog_coverage", "gini", "exposure_entropy",
                               "personalization"};
        QCOMPARE(metric_catalog().size(), std::size(names));
        for (size_t i = 0; i < std::size(names); ++i) {
            QCOMPARE(std::string(metric_catalog()[i].name), std::string(names[i]));
            QVERIFY(!metric_formula(names[i]).empty());
        }
        QVERIFY_THROWS_EXCEPTION(Error, metric_formula("accuracy"));
        for (int i = 0; i < kUserMetricCount; ++i)
            QVERIFY(find_metric(metric_name(static_cast<MetricId>(i))) != nullptr);
    }
};

QTEST_GUILESS_MAIN(TestAccuracyMetrics)
#include "tst_accuracymetrics.moc"
