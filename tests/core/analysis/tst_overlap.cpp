// List overlap (Jaccard, RBO) and Holm's correction against tests/data/metrics/overlap.json
// (make_overlap_fixtures.py: Python sets and statsmodels), plus cases worked by hand.
#include "core/analysis/compare.h"
#include "core/common/error.h"
#include "core/metrics/overlap.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <fstream>

using namespace reclens;
using nlohmann::json;

namespace {

json fixture()
{
    std::ifstream in(std::string(RECLENS_TEST_DATA) + "/metrics/overlap.json");
    return in ? json::parse(in) : json();
}

void near(double actual, const json &expected)
{
    if (expected.is_null()) {
        QVERIFY(std::isnan(actual));
        return;
    }
    const double e = expected.get<double>();
    QVERIFY2(std::fabs(actual - e) <= 1e-12, qPrintable(QStringLiteral("%1 vs reference %2").arg(actual, 0, 'g', 17).arg(e, 0, 'g', 17)));
}

// A run of `n` users whose per-user ndcg is `values` (other metrics NaN).
EvaluationResult runWith(const std::vector<double> &values)
{
    EvaluationResult r;
    for (size_t u = 0; u < values.size(); ++u) {
        r.users.push_back(static_cast<int32_t>(u));
        UserMetrics m;
        m.values.fill(kNaN);
        m[MetricId::ndcg] = values[u];
        r.per_user.push_back(m);
    }
    return r;
}

} // namespace

class TestOverlap : public QObject {
    Q_OBJECT

private slots:
    void byHand()
    {
        const std::vector<int32_t> a{1, 2, 3}, b{1, 3, 2};
        // X_1 = 1, X_2 = 1, X_3 = 3: (0.1/0.9)(0.9 + 0.81/2 + 0.729) + 0.729 = 0.955.
        QVERIFY(std::fabs(rank_biased_overlap(a, b, 0.9) - 0.955) < 1e-12);
        QCOMPARE(rank_biased_overlap(a, a), 1.0);
        QCOMPARE(jaccard(a, b), 1.0);
        const std::vector<int32_t> c{4, 5}, none;
        QCOMPARE(rank_biased_overlap(a, c), 0.0);
        QCOMPARE(jaccard(a, c), 0.0);
        QVERIFY(std::isnan(jaccard(none, none)));
        QVERIFY(std::isnan(rank_biased_overlap(none, none)));
        // {1,2,3} vs {2,3,4}: 2 shared of 4.
        const std::vector<int32_t> d{2, 3, 4};
        QCOMPARE(jaccard(a, d), 0.5);
        // Symmetric, and a list's order matters to RBO only.
        QCOMPARE(rank_biased_overlap(a, d), rank_biased_overlap(d, a));
        QVERIFY_THROWS_EXCEPTION(Error, rank_biased_overlap(a, b, 1.0));
        // Holm by hand: 0.01, 0.04, 0.03 -> 3·0.01, max(0.03, 2·0.03), max(0.06, 1·0.04).
        const std::vector<double> p{0.01, 0.04, 0.03, kNaN};
        const auto h = holm_adjust(p);
        QCOMPARE(h[0], 0.03);
        QCOMPARE(h[1], 0.06);
        QCOMPARE(h[2], 0.06);
        QVERIFY(std::isnan(h[3]));
    }

    void overlapReference()
    {
        const json f = fixture();
        QVERIFY(f.contains("overlap"));
        for (const auto &c : f["overlap"]) {
            const auto a = c["a"].get<std::vector<int32_t>>(), b = c["b"].get<std::vector<int32_t>>();
            const double p = c["p"].get<double>();
            qInfo("%s", c["name"].get<std::string>().c_str());
            near(rank_biased_overlap(a, b, p), c["rbo"]);
            near(rank_biased_overlap(b, a, p), c["rbo"]);
            near(jaccard(a, b), c["jaccard"]);
        }
    }

    void holmReference()
    {
        const json f = fixture();
        QVERIFY(f.contains("holm"));
        for (const auto &c : f["holm"]) {
            const auto p = c["p"].get<std::vector<double>>();
            const auto expected = c["holm"].get<std::vector<double>>();
            const auto h = holm_adjust(p);
            QCOMPARE(h.size(), expected.size());
            for (size_t i = 0; i < h.size(); ++i)
                near(h[i], expected[i]);
        }
    }

    // compare_to_baseline corrects each metric's family across the compared runs, and a single
    // comparison keeps its raw p.
    void baselineFamily()
    {
        const EvaluationResult base = runWith({0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8});
        const EvaluationResult b = runWith({0.2, 0.25, 0.5, 0.45, 0.7, 0.6, 0.9, 0.95});
        const EvaluationResult c = runWith({0.1, 0.3, 0.2, 0.5, 0.4, 0.7, 0.6, 0.9});
        const EvaluationResult d = runWith({0.0, 0.1, 0.35, 0.3, 0.45, 0.5, 0.8, 0.7});
        const EvaluationResult *others[] = {&b, &c, &d};
        const auto all = compare_to_baseline(base, others);
        QCOMPARE(all.size(), size_t{3});
        size_t row = 0;
        while (all[0].metrics[row].metric != "ndcg")
            ++row;
        std::vector<double> t, w;
        for (const auto &cmp : all) {
            t.push_back(cmp.metrics[row].test.p_paired_t);
            w.push_back(cmp.metrics[row].test.p_wilcoxon);
        }
        const auto ht = holm_adjust(t), hw = holm_adjust(w);
        for (size_t i = 0; i < all.size(); ++i) {
            QCOMPARE(all[i].metrics[row].p_paired_t_holm, ht[i]);
            QCOMPARE(all[i].metrics[row].p_wilcoxon_holm, hw[i]);
            QVERIFY(all[i].metrics[row].p_paired_t_holm >= all[i].metrics[row].test.p_paired_t);
        }
        QVERIFY(all[0].metrics[row].p_paired_t_holm > all[0].metrics[row].test.p_paired_t);
        const EvaluationResult *one[] = {&b};
        const auto single = compare_to_baseline(base, one);
        QCOMPARE(single[0].metrics[row].p_paired_t_holm, single[0].metrics[row].test.p_paired_t);
    }
};

QTEST_APPLESS_MAIN(TestOverlap)
#include "tst_overlap.moc"
