// Train/test split properties on generated interaction rows: fractions per user, users with < 2 rows
// train-only, at least one train row each, no test row older than a train row of the same user
// (time split, ties included), input-order tie-breaking, and seed reproducibility (random split).
#include "core/common/error.h"
#include "core/data/datasetbuilder.h"

#include <QTest>

#include <random>

using namespace reclens;

namespace {

// 200 users with 0..29 rows each, timestamps from a small range so that ties are common.
std::vector<InteractionRecord> generate(int32_t n_users, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::vector<InteractionRecord> rows;
    for (int32_t u = 0; u < n_users; ++u) {
        const int n = static_cast<int>(rng() % 30);
        for (int k = 0; k < n; ++k)
            rows.push_back(InteractionRecord{u, static_cast<int32_t>(rng() % 50), static_cast<int64_t>(rng() % 10),
                                             true, 1.0f, false});
    }
    std::shuffle(rows.begin(), rows.end(), rng); // users interleaved, as in real files
    return rows;
}

} // namespace

class TestSplit : public QObject {
    Q_OBJECT

private slots:
    void testRowsFor_data()
    {
        QTest::addColumn<int>("n");
        QTest::addColumn<double>("fraction");
        QTest::addColumn<int>("expected");
        QTest::addRow("0 rows") << 0 << 0.2 << 0;
        QTest::addRow("1 row stays train") << 1 << 0.2 << 0;
        QTest::addRow("2 rows: 0.4 rounds to 0, at least 1") << 2 << 0.2 << 1;
        QTest::addRow("5 rows") << 5 << 0.2 << 1;
        QTest::addRow("8 rows: 1.6 -> 2") << 8 << 0.2 << 2;
        QTest::addRow("10 rows") << 10 << 0.2 << 2;
        QTest::addRow("13 rows: 2.6 -> 3") << 13 << 0.2 << 3;
        QTest::addRow("2 rows, 0.9: keep 1 train") << 2 << 0.9 << 1;
        QTest::addRow("10 rows, 0.99 -> 9") << 10 << 0.99 << 9;
        QTest::addRow("fraction 0") << 10 << 0.0 << 0;
        QTest::addRow("half of 5: 2.5 -> 3") << 5 << 0.5 << 3;
    }
    void testRowsFor()
    {
        QFETCH(int, n);
        QFETCH(double, fraction);
        QFETCH(int, expected);
        QCOMPARE(test_rows_for(n, fraction), int64_t(expected));
    }

    void properties_data()
    {
        QTest::addColumn<bool>("random");
        QTest::addColumn<double>("fraction");
        QTest::addRow("time 0.2") << false << 0.2;
        QTest::addRow("time 0.5") << false << 0.5;
        QTest::addRow("random 0.2") << true << 0.2;
        QTest::addRow("random 0.3") << true << 0.3;
    }
    void properties()
    {
        QFETCH(bool, random);
        QFETCH(double, fraction);
        const int32_t n_users = 200;
        auto rows = generate(n_users, 3);
        SplitOptions o;
        o.method = random ? SplitOptions::Method::Random : SplitOptions::Method::Time;
        o.test_fraction = fraction;
        assign_split(rows, n_users, o);
        std::vector<int64_t> n(n_users), n_test(n_users);
        std::vector<int64_t> max_train_ts(n_users, INT64_MIN), min_test_ts(n_users, INT64_MAX);
        for (const auto &r : rows) {
            const auto u = static_cast<size_t>(r.user);
            ++n[u];
            if (r.test) {
                ++n_test[u];
                min_test_ts[u] = std::min(min_test_ts[u], r.ts);
            } else {
                max_train_ts[u] = std::max(max_train_ts[u], r.ts);
            }
        }
        int users_with_one = 0;
        for (size_t u = 0; u < static_cast<size_t>(n_users); ++u) {
            QCOMPARE(n_test[u], test_rows_for(n[u], fraction));
            if (n[u] == 1) {
                ++users_with_one;
                QCOMPARE(n_test[u], int64_t(0));
            }
            if (n[u] > 0)
                QVERIFY(n[u] - n_test[u] >= 1);
            if (!random && n_test[u] > 0)
                QVERIFY2(min_test_ts[u] >= max_train_ts[u], qPrintable(QStringLiteral("user %1").arg(u)));
        }
        QVERIFY(users_with_one > 0); // the generator does produce the edge case
    }

    void timeTiesFollowInputOrder()
    {
        // One user, all rows at the same time: the last rows of the input go to test.
        std::vector<InteractionRecord> rows;
        for (int k = 0; k < 10; ++k)
            rows.push_back(InteractionRecord{0, k, 5, true, 1.0f, false});
        assign_split(rows, 1, {});
        for (int k = 0; k < 10; ++k)
            QCOMPARE(rows[static_cast<size_t>(k)].test, k >= 8);
    }

    void randomIsReproducibleBySeed()
    {
        auto a = generate(200, 5);
        auto b = a;
        auto c = a;
        SplitOptions o;
        o.method = SplitOptions::Method::Random;
        o.seed = 11;
        assign_split(a, 200, o);
        assign_split(b, 200, o);
        o.seed = 12;
        assign_split(c, 200, o);
        int same_ab = 0, same_ac = 0;
        for (size_t k = 0; k < a.size(); ++k) {
            same_ab += a[k].test == b[k].test;
            same_ac += a[k].test == c[k].test;
        }
        QCOMPARE(same_ab, static_cast<int>(a.size()));
        QVERIFY(same_ac < static_cast<int>(a.size()));
    }

    void rejectsBadFraction()
    {
        auto rows = generate(5, 1);
        SplitOptions o;
        o.test_fraction = 1.0;
        QVERIFY_THROWS_EXCEPTION(Error, assign_split(rows, 5, o));
        o.test_fraction = -0.1;
        QVERIFY_THROWS_EXCEPTION(Error, assign_split(rows, 5, o));
    }

    void naturalOrder()
    {
        QVERIFY(natural_less("2", "10"));
        QVERIFY(!natural_less("10", "2"));
        QVERIFY(natural_less("10", "a"));
        QVERIFY(natural_less("a", "b"));
        QVERIFY(natural_less("007", "8"));
    }
};

QTEST_GUILESS_MAIN(TestSplit)
#include "tst_split.moc"
