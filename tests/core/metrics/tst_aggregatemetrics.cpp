// Aggregate metrics over all lists and the strata (DESIGN §5), by hand and by brute force.
#include "core/metrics/metrics.h"
#include "toydataset.h"

#include <QTest>

#include <random>
#include <set>

using namespace reclens;

class TestAggregateMetrics : public QObject {
    Q_OBJECT

private slots:
    void handCase()
    {
        test::ToySpec s;
        s.n_items = 5;
        s.train = {{}, {}, {}};
        const Dataset ds = test::make_toy(s);
        // Exposure counts: item0 3, item1 2, item2 1, items 3,4: 0.  Σc = 6, K = 2, 3 users.
        const std::vector<std::vector<int32_t>> lists{{0, 1}, {0, 1}, {0, 2}};
        const auto a = aggregate_metrics(ds, lists, 2);
        QCOMPARE(a.catalog_coverage, 3.0 / 5);
        // ascending c = 0,0,1,2,3; (2j-n-1) = -4,-2,0,2,4 -> (0+0+0+4+12) / (5*6)
        QCOMPARE(a.gini, 16.0 / 30);
        QCOMPARE(a.exposure_entropy, -(0.5 * std::log2(0.5) + (1.0 / 3) * std::log2(1.0 / 3) + (1.0 / 6) * std::log2(1.0 / 6)));
        // overlaps: (u0,u1)=2, (u0,u2)=1, (u1,u2)=1 -> mean overlap/K = (1 + .5 + .5)/3
        QCOMPARE(a.personalization, 1.0 - (1.0 + 0.5 + 0.5) / 3);
    }

    void equalExposureGiniZero()
    {
        test::ToySpec s;
        s.n_items = 4;
        s.train = {{}, {}};
        const Dataset ds = test::make_toy(s);
        const std::vector<std::vector<int32_t>> lists{{0, 1}, {2, 3}};
        const auto a = aggregate_metrics(ds, lists, 2);
        QCOMPARE(a.gini + 1, 1.0);
        QCOMPARE(a.personalization, 1.0);
        QCOMPARE(a.catalog_coverage, 1.0);
        QCOMPARE(a.exposure_entropy, 2.0);
        const std::vector<std::vector<int32_t>> one{{0, 1}};
        QVERIFY(std::isnan(aggregate_metrics(ds, one, 2).personalization));
    }

    void personalizationMatchesPairwise()
    {
        test::ToySpec s;
        s.n_items = 30;
        s.train.resize(40);
        const Dataset ds = test::make_toy(s);
        std::mt19937 rng(5);
        std::vector<std::vector<int32_t>> lists(40);
        const int k = 6;
        for (auto &l : lists) {
            std::set<int32_t> pick;
            while (static_cast<int>(pick.size()) < k)
                pick.insert(static_cast<int32_t>(rng() % 12)); // small range: many overlaps
            l.assign(pick.begin(), pick.end());
        }
        double sum = 0, pairs = 0;
        for (size_t u = 0; u < lists.size(); ++u)
            for (size_t v = u + 1; v < lists.size(); ++v) {
                std::set<int32_t> a(lists[u].begin(), lists[u].end());
                int common = 0;
                for (int32_t it : lists[v])
                    common += static_cast<int>(a.count(it));
                sum += static_cast<double>(common) / k;
                pairs += 1;
            }
        QCOMPARE(aggregate_metrics(ds, lists, k).personalization, 1.0 - sum / pairs);
    }

    void strata()
    {
        // Popularity: item0 in 3 trains, item1 in 1 -> total 4, head needs ceil(3.2)=4: {0, 1}.
        test::ToySpec s;
        s.n_items = 6;
        s.train = {{0}, {0, 1}, {0}, {2}, {}, {}};
        s.test = {{1, 2, 3}, {2}, {1, 4}, {0}, {5}, {}};
        s.segments = {"x", "x", "y", "", "y", ""};
        const Dataset ds = test::make_toy(s);
        MetricContext ctx(ds);
        QCOMPARE(ctx.head_size(), 2);
        const auto users = evaluated_users(ds);
        QCOMPARE(users, (std::vector<int32_t>{0, 1, 2, 3, 4}));
        const std::vector<std::vector<int32_t>> lists{{1, 3}, {3, 4}, {4, 5}, {0, 1}, {1, 2}};
        std::vector<UserMetrics> per;
        for (size_t r = 0; r < users.size(); ++r)
            per.push_back(user_metrics(ctx, users[r], lists[r], 2));
        const Strata st = compute_strata(ctx, users, lists, per);
        // head test items: u0 {1}, u2 {1}, u3 {0} -> 3, hits: u0 1, u3 0 -> 2
        QCOMPARE(st.head.test_items, int64_t{3});
        QCOMPARE(st.head.hits, int64_t{2});
        QCOMPARE(st.head.recall, 2.0 / 3);
        QCOMPARE(st.head.users, int64_t{3});
        QCOMPARE(st.head.hit_rate, 2.0 / 3);
        // tail test items: u0 {2,3}, u1 {2}, u2 {4}, u4 {5} -> 5, hits: u0 3, u2 4 -> 2
        QCOMPARE(st.tail.test_items, int64_t{5});
        QCOMPARE(st.tail.hits, int64_t{2});
        QCOMPARE(st.tail.recall, 2.0 / 5);
        QCOMPARE(st.tail.hit_rate, 2.0 / 4);
        // Activity terciles of 5 users by train count (ties by index): u4(0), u0(1), u2(1) | u3(1), u1(2)
        // sizes 2,2,1 like numpy.array_split: low {u4,u0}, mid {u2,u3}, high {u1}.
        QCOMPARE(st.activity.size(), size_t{3});
        QCOMPARE(st.activity[0].users, int64_t{2});
        QCOMPARE(st.activity[0].train_min, int64_t{0});
        QCOMPARE(st.activity[0].train_max, int64_t{1});
        QCOMPARE(st.activity[2].users, int64_t{1});
        QCOMPARE(st.activity[2].train_max, int64_t{2});
        const auto hit = static_cast<size_t>(MetricId::hit_rate);
        QCOMPARE(st.activity[0].metrics[hit], 0.5);  // u4 miss, u0 hit
        QCOMPARE(st.activity[1].metrics[hit], 1.0);  // u2 hit, u3 hit
        QCOMPARE(st.activity[2].metrics[hit], 0.0);  // u1 miss
        // Segments sorted by name, "(none)" for no segment.
        QCOMPARE(st.segments.size(), size_t{3});
        QCOMPARE(st.segments[0].name, std::string("(none)"));
        QCOMPARE(st.segments[0].users, int64_t{1});
        QCOMPARE(st.segments[1].name, std::string("x"));
        QCOMPARE(st.segments[1].metrics[hit], 0.5);
        QCOMPARE(st.segments[2].name, std::string("y"));
        QCOMPARE(st.segments[2].metrics[hit], 0.5);
    }
};

QTEST_GUILESS_MAIN(TestAggregateMetrics)
#include "tst_aggregatemetrics.moc"
