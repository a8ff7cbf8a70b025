// evaluate() end to end on a generated embedding model, against brute-force scoring written here.
#include "core/analysis/evaluation.h"
#include "core/analysis/sweep.h"
#include "core/common/error.h"
#include "../metrics/toydataset.h"

#include <QTest>

#include <algorithm>
#include <numeric>
#include <random>
#include <set>
#include <cmath>

using namespace reclens;

class TestEvaluation : public QObject {
    Q_OBJECT

private:
    static constexpr int kUsers = 60, kItems = 120, kDim = 6;
    Dataset m_ds;
    std::vector<float> m_user, m_item;
    std::shared_ptr<const Model> m_model;

    std::vector<float> brute_scores(int32_t u) const
    {
        std::vector<float> s(kItems);
        for (int i = 0; i < kItems; ++i) {
            double d = 0;
            for (int k = 0; k < kDim; ++k)
                d += static_cast<double>(m_user[static_cast<size_t>(u * kDim + k)]) * m_item[static_cast<size_t>(i * kDim + k)];
            s[static_cast<size_t>(i)] = static_cast<float>(d);
        }
        return s;
    }

private slots:
    void initTestCase()
    {
        std::mt19937 rng(99);
        test::ToySpec s;
        s.n_items = kItems;
        s.categories = {{"a", -1}, {"b", -1}, {"a1", 0}, {"a2", 0}, {"b1", 1}};
        for (int i = 0; i < kItems; ++i)
            s.item_category.push_back(static_cast<int>(rng() % 6) - 1);
        s.train.resize(kUsers);
        s.test.resize(kUsers);
        for (int u = 0; u < kUsers; ++u) {
            for (int j = 0; j < 3 + u % 10; ++j)
                s.train[static_cast<size_t>(u)].push_back(static_cast<int32_t>(rng() % (kItems / 2)));
            if (u % 9 != 4) // some users without test items: not evaluated
                for (int j = 0; j < 1 + u % 4; ++j)
                    s.test[static_cast<size_t>(u)].push_back(static_cast<int32_t>(rng() % kItems));
            s.segments.push_back(u % 3 ? "s1" : "s2");
        }
        m_ds = test::make_toy(s);
        std::normal_distribution<float> g;
        m_user.resize(kUsers * kDim);
        m_item.resize(kItems * kDim);
        for (auto &x : m_user)
            x = g(rng);
        for (auto &x : m_item)
            x = g(rng);
        m_model = Model::from_embeddings(m_ds, m_user, m_item, kDim, "toy");
    }

    void listsAucAndMetrics()
    {
        EvaluationOptions o;
        o.k = 5;
        o.pool = 20;
        o.device = "cpu";
        const EvaluationResult r = evaluate(*m_model, o);
        QCOMPARE(r.users, evaluated_users(m_ds));
        QVERIFY(r.users.size() > 40);
        QCOMPARE(r.device, std::string("cpu"));
        int64_t pos_total = 0, neg_total = 0;
        double pooled_num = 0;
        std::vector<std::pair<float, int>> pooled; // brute-force pooled AUC below
        for (size_t row = 0; row < r.users.size(); ++row) {
            const int32_t u = r.users[row];
            const auto s = brute_scores(u);
            auto train = m_ds.train.row(u);
            std::vector<int32_t> universe;
            for (int32_t i = 0; i < kItems; ++i)
                if (!std::binary_search(train.begin(), train.end(), i))
                    universe.push_back(i);
            std::stable_sort(universe.begin(), universe.end(),
                             [&](int32_t a, int32_t b) { return s[static_cast<size_t>(a)] > s[static_cast<size_t>(b)]; });
            universe.resize(5);
            QCOMPARE(r.lists[row], universe);
            // Per-user AUC by counting pairs.
            const auto truth = test_set(m_ds, u);
            double num = 0;
            int64_t np = 0, nn = 0;
            for (int32_t i = 0; i < kItems; ++i) {
                if (std::binary_search(train.begin(), train.end(), i))
                    continue;
                const bool pos = std::binary_search(truth.begin(), truth.end(), i);
                pooled.emplace_back(s[static_cast<size_t>(i)], pos ? 1 : 0);
                (pos ? np : nn) += 1;
                if (!pos)
                    continue;
                for (int32_t j = 0; j < kItems; ++j) {
                    if (std::binary_search(train.begin(), train.end(), j) || std::binary_search(truth.begin(), truth.end(), j))
                        continue;
                    num += s[static_cast<size_t>(i)] > s[static_cast<size_t>(j)] ? 1.0 : (s[static_cast<size_t>(i)] == s[static_cast<size_t>(j)] ? 0.5 : 0.0);
                }
            }
            QVERIFY(std::fabs(r.per_user[row][MetricId::auc] - num / static_cast<double>(np * nn)) < 1e-12);
            const auto again = user_metrics(MetricContext(m_ds, 0, m_item, kDim), u, r.lists[row], 5, r.per_user[row][MetricId::auc]);
            for (size_t m = 0; m < again.values.size(); ++m)
                QVERIFY(again.values[m] == r.per_user[row].values[m] || (std::isnan(again.values[m]) && std::isnan(r.per_user[row].values[m])));
        }
        for (const auto &[sc, lab] : pooled)
            (lab ? pos_total : neg_total) += 1;
        for (const auto &[sp, lp] : pooled) {
            if (!lp)
                continue;
            for (const auto &[sn, ln] : pooled)
                if (!ln)
                    pooled_num += sp > sn ? 1.0 : (sp == sn ? 0.5 : 0.0);
        }
        QVERIFY(std::fabs(r.metrics.at("auc_pooled") - pooled_num / static_cast<double>(pos_total * neg_total)) < 1e-12);
        for (const auto &m : metric_catalog())
            QVERIFY2(r.metrics.count(std::string(m.name)) == 1, std::string(m.name).data());
        QVERIFY(!std::isnan(r.metrics.at("ild_embedding")));
        QCOMPARE(r.strata.activity.size(), size_t{3});
        QCOMPARE(r.strata.segments.size(), size_t{2});
        for (const char *stage : {"scoring", "rerank", "auc", "metrics", "total"})
            QVERIFY(r.timing_ms.count(stage) == 1);
    }

    // The AUC counted inside the scoring pass, over rows split into many tiles, with heavy ties
    // (embeddings in {-1, 0, 1}): every per-user value equals user_auc
    // over score_all's floats, and the pooled AUC equals compute_auc's own pass and a pair count
    // made here.
    void aucInsideTheScoringPass()
    {
        constexpr int kU = 40, kI = 2600, kD = 3;
        std::mt19937 rng(5);
        test::ToySpec s;
        s.n_items = kI;
        s.train.resize(kU);
        s.test.resize(kU);
        for (int u = 0; u < kU; ++u) {
            for (int j = 0; j < 30; ++j)
                s.train[static_cast<size_t>(u)].push_back(static_cast<int32_t>(rng() % kI));
            for (int j = 0; j < 1 + u % 7; ++j)
                s.test[static_cast<size_t>(u)].push_back(static_cast<int32_t>(rng() % kI));
        }
        const Dataset ds = test::make_toy(s);
        std::vector<float> ue(kU * kD), ie(kI * kD);
        for (auto &x : ue)
            x = static_cast<float>(static_cast<int>(rng() % 3) - 1);
        for (auto &x : ie)
            x = static_cast<float>(static_cast<int>(rng() % 3) - 1);
        const auto model = Model::from_embeddings(ds, ue, ie, kD, "ties");
        EvaluationOptions o;
        o.k = 5;
        o.device = "cpu";
        const EvaluationResult r = evaluate(*model, o);
        const AucResult own = compute_auc(*model, r.users);
        PairCount wins2 = 0; // twice the pooled (positive > negative) + (ties) count
        int64_t np = 0, nn = 0;
        std::vector<float> pos_all, neg_all;
        for (size_t row = 0; row < r.users.size(); ++row) {
            const int32_t u = r.users[row];
            const auto all = model->score_all(u);
            QCOMPARE(r.per_user[row][MetricId::auc], user_auc(ds, u, all));
            QCOMPARE(own.per_user[row], user_auc(ds, u, all));
            const auto truth = test_set(ds, u);
            const auto train = ds.train.row(u);
            for (int32_t i = 0; i < kI; ++i) {
                if (std::binary_search(train.begin(), train.end(), i))
                    continue;
                (std::binary_search(truth.begin(), truth.end(), i) ? pos_all : neg_all).push_back(all[static_cast<size_t>(i)]);
            }
        }
        std::sort(neg_all.begin(), neg_all.end());
        for (float p : pos_all) {
            const auto lo = std::lower_bound(neg_all.begin(), neg_all.end(), p);
            const auto hi = std::upper_bound(neg_all.begin(), neg_all.end(), p);
            wins2 += static_cast<PairCount>(2 * (lo - neg_all.begin()) + (hi - lo));
        }
        np = static_cast<int64_t>(pos_all.size());
        nn = static_cast<int64_t>(neg_all.size());
        const double want = static_cast<double>(static_cast<long double>(wins2) / (2.0L * np * nn));
        QCOMPARE(own.pooled, r.metrics.at("auc_pooled"));
        QVERIFY2(std::fabs(r.metrics.at("auc_pooled") - want) < 1e-15,
                 qPrintable(QString::number(r.metrics.at("auc_pooled") - want)));
        QVERIFY(r.timing_ms.count("auc_counting") == 1);
    }

    void deltaZeroSameListsAndDiversityRises()
    {
        EvaluationOptions o;
        o.k = 8;
        o.pool = 40;
        o.device = "cpu";
        o.compute_auc = false;
        const EvaluationResult base = evaluate(*m_model, o);
        for (auto method : {RerankMethod::mmr, RerankMethod::dpp, RerankMethod::calibrated, RerankMethod::caps}) {
            o.rerank.method = method;
            o.rerank.max_per_category = 2;
            o.rerank.diversity = 0.0;
            QCOMPARE(evaluate(*m_model, o).lists, base.lists);
        }
        o.rerank.method = RerankMethod::mmr;
        o.rerank.diversity = 0.7;
        const EvaluationResult div = evaluate(*m_model, o);
        QVERIFY(div.metrics.at("ild_embedding") > base.metrics.at("ild_embedding"));
        QVERIFY(div.lists != base.lists);
        // (Accuracy falling with δ is checked on trained models in docs/benchmarks.md: these random
        // embeddings have no accuracy to lose.)
        // The batched re-ranker through evaluate() (on the CPU, and on CUDA when there is one) gives
        // the per-user lists for every method.
        for (auto method : {RerankMethod::mmr, RerankMethod::dpp, RerankMethod::calibrated, RerankMethod::caps}) {
            o.rerank.method = method;
            o.rerank.diversity = 0.6;
            o.rerank_path = RerankPath::per_user;
            const EvaluationResult scalar = evaluate(*m_model, o);
            o.rerank_path = RerankPath::batched;
            QCOMPARE(evaluate(*m_model, o).lists, scalar.lists);
            if (cuda_available()) {
                o.device = "cuda";
                const EvaluationResult cuda = evaluate(*m_model, o);
                o.device = "cpu";
                QCOMPARE(cuda.device, std::string("cuda:0"));
                // Scores come from the GPU's GEMM: compare the re-ranker on those candidates with
                // the per-user loop on the same candidates.
                o.rerank_path = RerankPath::per_user;
                o.device = "cuda";
                QCOMPARE(evaluate(*m_model, o).lists, cuda.lists);
                o.device = "cpu";
            }
            o.rerank_path = RerankPath::automatic;
        }
    }

    // The δ sweep takes a run already measured from the same candidates for its own δ's point, and
    // only under the very options it was measured with: a doctored copy shows where it is used.
    void sweepTakesTheMeasuredRunAtItsDelta()
    {
        EvaluationOptions o;
        o.k = 8;
        o.pool = 40;
        o.device = "cpu";
        o.rerank.method = RerankMethod::mmr;
        o.rerank.diversity = 0.5;
        const ScoredSource scored = score(RankingSource(*m_model), o);
        const std::vector<double> deltas{0.0, 0.5, 1.0};
        const SweepCurve plain = diversity_sweep(scored, o, deltas, "ndcg", "ild_embedding");
        EvaluationResult doctored = measure(scored, o);
        QCOMPARE(doctored.metrics.at("ndcg"), plain.accuracy[1]);
        QCOMPARE(doctored.metrics.at("ild_embedding"), plain.diversity[1]);
        doctored.metrics["ndcg"] = 42.0;
        const MeasuredRun same[] = {{o, &doctored}};
        const SweepCurve reused = diversity_sweep(scored, o, deltas, "ndcg", "ild_embedding", {}, same);
        QCOMPARE(reused.accuracy, (std::vector<double>{plain.accuracy[0], 42.0, plain.accuracy[2]}));
        QCOMPARE(reused.diversity, plain.diversity);
        // Another list length, level or rule set: measured afresh.
        EvaluationOptions other_k = o, other_level = o, other_rules = o;
        other_k.k = 7;
        other_level.category_level = 1;
        MerchRule exclude;
        exclude.kind = MerchRule::Kind::exclude_item;
        exclude.target = 3;
        other_rules.rerank.rules = {exclude};
        for (const EvaluationOptions *e : {&other_k, &other_level, &other_rules}) {
            const MeasuredRun other[] = {{*e, &doctored}};
            QCOMPARE(diversity_sweep(scored, o, deltas, "ndcg", "ild_embedding", {}, other).accuracy, plain.accuracy);
        }
    }

    void cancelReachesEveryStage_data()
    {
        QTest::addColumn<QString>("stage");
        // On the CPU the AUC is counted inside the scoring stage; its own pass (the GUI's pooled
        // ROC, CUDA runs) is checked below.
        for (const char *s : {"scoring", "re-ranking", "metrics"})
            QTest::addRow("%s", s) << QString::fromLatin1(s);
    }

    void cancelReachesEveryStage()
    {
        // A cancel asked for during a stage stops the evaluation in that stage.
        QFETCH(QString, stage);
        EvaluationOptions o;
        o.k = 5;
        o.pool = 20;
        o.device = "cpu";
        o.rerank.method = RerankMethod::mmr;
        o.rerank.diversity = 0.5;
        QStringList seen;
        const std::string want = stage.toStdString();
        QVERIFY_THROWS_EXCEPTION(Cancelled, evaluate(*m_model, o, [&](double, std::string_view s) {
            seen << QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
            return s != want;
        }));
        QVERIFY2(seen.contains(stage), qPrintable(seen.join(u',')));
        QVERIFY(!seen.contains(QStringLiteral("done")));
    }

    void cancelReachesTheAucPass()
    {
        bool asked = false;
        QVERIFY_THROWS_EXCEPTION(Cancelled, compute_auc(*m_model, evaluated_users(m_ds), [&](double, std::string_view s) {
            asked = asked || s == "AUC";
            return s != "AUC";
        }));
        QVERIFY(asked);
    }

    void badInput()
    {
        EvaluationOptions o;
        o.device = "cpu";
        o.k = kItems; // larger than every universe (users have train items)
        QVERIFY_THROWS_EXCEPTION(Error, evaluate(*m_model, o));
        o.k = 5;
        o.rerank.diversity = 2;
        QVERIFY_THROWS_EXCEPTION(Error, evaluate(*m_model, o));
        o.rerank.diversity = 0;
        o.users = {4}; // user 4 has no test items
        QVERIFY_THROWS_EXCEPTION(Error, evaluate(*m_model, o));
        o.users = {0, 1};
        QCOMPARE(evaluate(*m_model, o).users, (std::vector<int32_t>{0, 1}));
        o.users.clear();
        QVERIFY_THROWS_EXCEPTION(Cancelled, evaluate(*m_model, o, [](double, std::string_view) { return false; }));
    }

    // The pooled ROC curve score() counts for the GUI: every point is a point of the full curve
    // (scikit-learn's roc_curve over every evaluated (user, item) pair, written here by brute
    // force), its AUC the exact pooled AUC; with more distinct positives than thresholds, too.
    void pooledCurvePointsLieOnTheExactCurve_data()
    {
        QTest::addColumn<int>("users");
        QTest::addColumn<int>("items");
        QTest::addColumn<bool>("coarse");
        QTest::addRow("every positive a threshold, ties") << 60 << 120 << true;
        QTest::addRow("more positives than thresholds") << 3000 << 400 << false; // ~6,000 distinct

    }
    void pooledCurvePointsLieOnTheExactCurve()
    {
        QFETCH(int, users);
        QFETCH(int, items);
        QFETCH(bool, coarse);
        std::mt19937 rng(5);
        test::ToySpec s;
        s.n_items = items;
        s.train.resize(static_cast<size_t>(users));
        s.test.resize(static_cast<size_t>(users));
        for (int u = 0; u < users; ++u) {
            for (int j = 0; j < 4; ++j)
                s.train[static_cast<size_t>(u)].push_back(static_cast<int32_t>(rng() % static_cast<unsigned>(items)));
            for (int j = 0; j < 2; ++j)
                s.test[static_cast<size_t>(u)].push_back(static_cast<int32_t>(rng() % static_cast<unsigned>(items)));
        }
        const Dataset ds = test::make_toy(s);
        std::normal_distribution<float> g;
        std::vector<float> ue(static_cast<size_t>(users) * 4), ie(static_cast<size_t>(items) * 4);
        for (auto &x : ue)
            x = coarse ? std::round(g(rng) * 4) / 4 : g(rng); // coarse: many tied scores
        for (auto &x : ie)
            x = coarse ? std::round(g(rng) * 4) / 4 : g(rng);
        const auto model = Model::from_embeddings(ds, ue, ie, 4, "coarse");
        EvaluationOptions o;
        o.device = "cpu";
        const ScoredSource scored = score(RankingSource(*model), o, {}, true);
        const RocCurve &ours = scored.auc.pooled_curve;
        // The full curve by brute force: every evaluated user's universe, pooled.
        std::vector<float> scores;
        std::vector<uint8_t> labels;
        for (const int32_t u : scored.facts.users) {
            const auto all = model->score_all(u);
            const auto train = ds.train.row(u);
            const auto truth = test_set(ds, u);
            for (int32_t i = 0; i < items; ++i) {
                if (std::binary_search(train.begin(), train.end(), i))
                    continue;
                scores.push_back(all[static_cast<size_t>(i)]);
                labels.push_back(std::binary_search(truth.begin(), truth.end(), i) ? 1 : 0);
            }
        }
        const RocCurve full = roc_curve(scores, labels);
        QCOMPARE(ours.auc, full.auc);
        QCOMPARE(ours.positives, full.positives);
        QCOMPARE(ours.negatives, full.negatives);
        QVERIFY(ours.fpr.size() > 10);
        std::set<std::pair<double, double>> points;
        for (size_t i = 0; i < full.fpr.size(); ++i)
            points.insert({full.fpr[i], full.tpr[i]});
        for (size_t i = 0; i < ours.fpr.size(); ++i)
            QVERIFY2(points.count({ours.fpr[i], ours.tpr[i]}),
                     qPrintable(QStringLiteral("(%1, %2) is not on the curve").arg(ours.fpr[i]).arg(ours.tpr[i])));
    }
};

QTEST_GUILESS_MAIN(TestEvaluation)
#include "tst_evaluation.moc"
