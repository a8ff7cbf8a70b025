// Paired tests against scipy (tests/data/metrics/make_fixtures.py -> stats.json).
#include "core/analysis/compare.h"
#include "core/common/error.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <random>

using namespace reclens;
using nlohmann::json;

namespace {

json cases()
{
    std::ifstream in(std::string(RECLENS_TEST_DATA) + "/metrics/stats.json");
    return in ? json::parse(in)["cases"] : json();
}

void compare_p(double actual, const json &expected)
{
    if (expected.is_null()) {
        QVERIFY(std::isnan(actual));
        return;
    }
    const double e = expected.get<double>();
    QVERIFY2(std::fabs(actual - e) <= 1e-9 * std::max(1.0, std::fabs(e)) + 1e-12,
             qPrintable(QStringLiteral("%1 vs scipy %2").arg(actual, 0, 'g', 17).arg(e, 0, 'g', 17)));
}

} // namespace

class TestCompare : public QObject {
    Q_OBJECT

private slots:
    void scipy_data()
    {
        QTest::addColumn<int>("index");
        const json c = cases();
        QVERIFY(!c.empty());
        for (size_t i = 0; i < c.size(); ++i)
            QTest::addRow("%s", c[i]["name"].get<std::string>().c_str()) << static_cast<int>(i);
    }

    void scipy()
    {
        QFETCH(int, index);
        const json c = cases()[static_cast<size_t>(index)];
        const auto a = c["a"].get<std::vector<double>>();
        const auto b = c["b"].get<std::vector<double>>();
        const PairedTest t = paired_test(a, b);
        QCOMPARE(t.n, static_cast<int64_t>(a.size()));
        QCOMPARE(t.delta + 10, c["delta"].get<double>() + 10);
        compare_p(t.p_paired_t, c["p_paired_t"]);
        compare_p(t.p_wilcoxon, c["p_wilcoxon"]);
        // Another generator than numpy's: the intervals agree to bootstrap noise, and both contain
        // the mean difference.
        const auto ci = c["ci95_numpy"].get<std::vector<double>>();
        const double width = ci[1] - ci[0];
        QVERIFY(t.ci95_low <= t.delta && t.delta <= t.ci95_high);
        QVERIFY2(std::fabs(t.ci95_low - ci[0]) < 0.15 * width && std::fabs(t.ci95_high - ci[1]) < 0.15 * width,
                 qPrintable(QStringLiteral("[%1, %2] vs numpy [%3, %4]").arg(t.ci95_low).arg(t.ci95_high).arg(ci[0]).arg(ci[1])));
    }

    void bootstrapIsSeeded()
    {
        const std::vector<double> a{0, 1, 0, 1, 1, 0, 0, 1}, b{1, 1, 0, 1, 0, 1, 1, 1};
        QCOMPARE(bootstrap_ci95(a, b), bootstrap_ci95(a, b));
        QVERIFY(bootstrap_ci95(a, b) != bootstrap_ci95(a, b, 1000, 7));
    }

    // The draws shared between samples of one length give each sample exactly the documented draw
    // (docs/metrics.md: rng() % n, mt19937_64 seeded 42), written out here the plain way; lengths
    // include a power of two and samples of different lengths side by side.
    void bootstrapSharedDrawsAreTheDocumentedOnes()
    {
        auto plain = [](const std::vector<double> &d, int resamples, uint64_t seed) {
            std::mt19937_64 rng(seed);
            std::vector<double> means;
            for (int r = 0; r < resamples; ++r) {
                double s = 0;
                for (size_t i = 0; i < d.size(); ++i)
                    s += d[rng() % d.size()];
                means.push_back(s / static_cast<double>(d.size()));
            }
            std::sort(means.begin(), means.end());
            auto pct = [&](double q) {
                const double pos = q * static_cast<double>(means.size() - 1);
                const auto lo = static_cast<size_t>(std::floor(pos));
                const size_t hi = std::min(lo + 1, means.size() - 1);
                return means[lo] + (pos - static_cast<double>(lo)) * (means[hi] - means[lo]);
            };
            return std::pair{pct(0.025), pct(0.975)};
        };
        std::mt19937_64 gen(3);
        std::normal_distribution<double> normal(0.1, 1.0);
        std::vector<std::vector<double>> samples;
        for (const size_t n : {1, 2, 7, 64, 1000, 1000, 1000, 4096, 7, 65537})
            samples.push_back([&] {
                std::vector<double> d(n);
                for (double &x : d)
                    x = normal(gen);
                return d;
            }());
        for (const int resamples : {1, 200}) {
            const auto each = bootstrap_ci95_each(samples, resamples, 42);
            QCOMPARE(each.size(), samples.size());
            for (size_t m = 0; m < samples.size(); ++m) {
                const auto expected = plain(samples[m], resamples, 42);
                QVERIFY2(each[m] == expected, qPrintable(QStringLiteral("sample %1 (n %2)").arg(m).arg(samples[m].size())));
            }
        }
        const std::vector<std::vector<double>> empty_one{{}};
        QVERIFY(std::isnan(bootstrap_ci95_each(empty_one).front().first));
    }

    void degenerate()
    {
        const std::vector<double> a{1, 2, 3}, same{1, 2, 3}, shifted{2, 3, 4};
        QVERIFY(std::isnan(paired_t_p(a, same)));   // scipy: nan (0/0)
        QVERIFY(std::isnan(wilcoxon_p(a, same)));   // scipy raises: all differences zero
        QCOMPARE(paired_t_p(a, shifted), 0.0);      // scipy: t = inf -> p = 0
        const std::vector<double> one{1};
        QVERIFY(std::isnan(paired_t_p(one, one)));
        // NaN pairs are dropped.
        const std::vector<double> x{1, kNaN, 3, 4}, y{2, 5, kNaN, 6};
        QCOMPARE(paired_test(x, y).n, int64_t{2});
    }

    void compareRuns()
    {
        EvaluationResult a, b;
        a.users = {1, 2, 3, 5};
        b.users = {2, 3, 4, 5};
        for (size_t i = 0; i < 4; ++i) {
            UserMetrics m;
            m.values.fill(static_cast<double>(i));
            a.per_user.push_back(m);
            m.values.fill(static_cast<double>(i) * 2);
            b.per_user.push_back(m);
        }
        a.metrics["precision"] = 1.0;
        b.metrics["precision"] = 2.0;
        a.metrics["gini"] = 0.5;
        b.metrics["gini"] = 0.25;
        const ComparisonResult c = compare_runs(a, b);
        QCOMPARE(c.users, (std::vector<int32_t>{2, 3, 5}));
        QCOMPARE(c.metrics.size(), metric_catalog().size());
        QCOMPARE(c.metrics[0].metric, std::string("precision"));
        // pairs: user 2 (a 1, b 0), user 3 (a 2, b 2), user 5 (a 3, b 6) -> mean diff 2/3
        QCOMPARE(c.metrics[0].test.n, int64_t{3});
        QCOMPARE(c.metrics[0].test.delta, 2.0 / 3);
        // The sets differ, so the per-user means shown are over the shared users: b − a = delta.
        QVERIFY(c.shared_only);
        QCOMPARE(c.a_users, size_t{4});
        QCOMPARE(c.metrics[0].value_a, (1.0 + 2 + 3) / 3);
        QCOMPARE(c.metrics[0].value_b, (0.0 + 2 + 6) / 3);
        for (const auto &m : c.metrics)
            if (m.metric == "gini") {
                QCOMPARE(m.test.delta, -0.25);
                QCOMPARE(m.test.n, int64_t{0});
            }
        EvaluationResult empty;
        QVERIFY_THROWS_EXCEPTION(Error, compare_runs(a, empty));
    }
};

QTEST_GUILESS_MAIN(TestCompare)
#include "tst_compare.moc"
