// ROC curves and AUC against scikit-learn (tests/data/metrics/make_fixtures.py -> roc.json,
// user_auc.json, pooled_auc.json).
#include "core/metrics/metrics.h"
#include "core/common/error.h"
#include "core/metrics/pooledauc.h"
#include "toydataset.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <random>
#include <set>
#include <fstream>
#include <limits>
#include <span>

using namespace reclens;
using nlohmann::json;

namespace {

json load(const char *name)
{
    std::ifstream in(std::string(RECLENS_TEST_DATA) + "/metrics/" + name);
    if (!in)
        return {};
    return json::parse(in);
}

// Scores of pooled_auc.json: numbers, or "inf" / "-inf" (JSON has no infinity).
std::vector<float> scores_of(const json &a)
{
    std::vector<float> out;
    for (const auto &v : a)
        out.push_back(v.is_string() ? (v.get<std::string>() == "inf" ? 1.0f : -1.0f) * std::numeric_limits<float>::infinity()
                                    : v.get<float>());
    return out;
}

// n scores drawn from N(mean, sd).
std::vector<float> normal_scores(size_t n, float mean, float sd, std::mt19937 &rng)
{
    std::normal_distribution<float> g(mean, sd);
    std::vector<float> out(n);
    for (auto &x : out)
        x = g(rng);
    return out;
}

// Every negative's twice_rank (the scalar path) and the pair count of them all (the vector path)
// against a count made here by sorting the positives.
void compare_with_sorting(const PooledAucCounter &counter, std::vector<float> sorted, std::span<const float> neg)
{
    std::sort(sorted.begin(), sorted.end());
    PairCount want = 0;
    for (float x : neg) {
        const auto lo = std::lower_bound(sorted.begin(), sorted.end(), x);
        const auto hi = std::upper_bound(sorted.begin(), sorted.end(), x);
        const auto twice = static_cast<uint64_t>(2 * (lo - sorted.begin()) + (hi - lo));
        want += twice;
        if (counter.twice_rank(x) != twice)
            QFAIL(qPrintable(QStringLiteral("twice_rank(%1) = %2, sorting says %3").arg(x, 0, 'g', 9).arg(counter.twice_rank(x)).arg(twice)));
    }
    PooledAucCounter::Tally t;
    counter.add(neg, t);
    QVERIFY2(t.twice_rank == want, "pair count differs from the sorted reference");
}

} // namespace

class TestRoc : public QObject {
    Q_OBJECT

private slots:
    void curve_data()
    {
        QTest::addColumn<int>("index");
        const json f = load("roc.json");
        QVERIFY(!f.empty());
        for (size_t i = 0; i < f["cases"].size(); ++i)
            QTest::addRow("%s", f["cases"][i]["name"].get<std::string>().c_str()) << static_cast<int>(i);
    }

    void curve()
    {
        QFETCH(int, index);
        const json c = load("roc.json")["cases"][static_cast<size_t>(index)];
        const auto scores = c["scores"].get<std::vector<float>>();
        const auto lab = c["labels"].get<std::vector<int>>();
        std::vector<uint8_t> labels(lab.begin(), lab.end());
        const RocCurve r = roc_curve(scores, labels);
        const auto fpr = c["fpr"].get<std::vector<double>>();
        const auto tpr = c["tpr"].get<std::vector<double>>();
        const auto thr = c["thresholds"].get<std::vector<double>>();
        QCOMPARE(r.fpr.size(), fpr.size());
        for (size_t i = 0; i < fpr.size(); ++i) {
            QCOMPARE(r.fpr[i] + 1, fpr[i] + 1);
            QCOMPARE(r.tpr[i] + 1, tpr[i] + 1);
        }
        QVERIFY(std::isinf(r.thresholds[0]));
        for (size_t i = 0; i < thr.size(); ++i)
            QCOMPARE(static_cast<float>(r.thresholds[i + 1]), static_cast<float>(thr[i]));
        QCOMPARE(r.auc, c["auc"].get<double>());
        QCOMPARE(roc_auc(scores, labels), c["auc"].get<double>());
    }

    void pooledCounter_data()
    {
        QTest::addColumn<int>("index");
        const json f = load("pooled_auc.json");
        QVERIFY(!f.empty());
        for (size_t i = 0; i < f["cases"].size(); ++i)
            QTest::addRow("%s", f["cases"][i]["name"].get<std::string>().c_str()) << static_cast<int>(i);
    }

    // PooledAucCounter (the scoring pass's pooled AUC) against scikit-learn, and its integer pair
    // count against a count made here by sorting; negatives in uneven chunks over two tallies.
    void pooledCounter()
    {
        QFETCH(int, index);
        const json c = load("pooled_auc.json")["cases"][static_cast<size_t>(index)];
        const auto pos = scores_of(c["positives"]);
        const auto neg = scores_of(c["negatives"]);
        const PooledAucCounter counter(pos);
        PooledAucCounter::Tally t[2];
        size_t at = 0, turn = 0;
        for (size_t len = 1; at < neg.size(); len = len * 3 % 1021 + 1, ++turn) {
            const size_t n = std::min(len, neg.size() - at);
            counter.add(std::span(neg).subspan(at, n), t[turn % 2]);
            at += n;
        }
        t[0].merge(t[1]);
        // Reference count: 2 · positives below + positives equal, by binary search over the sorted
        // positives (-0 == +0 and ±inf compare as floats do).
        std::vector<float> sorted = pos;
        std::sort(sorted.begin(), sorted.end());
        PairCount want = 0;
        for (float s : neg) {
            const auto lo = std::lower_bound(sorted.begin(), sorted.end(), s);
            const auto hi = std::upper_bound(sorted.begin(), sorted.end(), s);
            want += static_cast<PairCount>(2 * (lo - sorted.begin()) + (hi - lo));
            if (&s - neg.data() < 2000)
                QCOMPARE(counter.twice_rank(s), static_cast<uint64_t>(2 * (lo - sorted.begin()) + (hi - lo)));
        }
        QVERIFY2(t[0].twice_rank == want, "pair count differs from the sorted reference");
        QCOMPARE(t[0].negatives, static_cast<int64_t>(neg.size()));
        const double auc = counter.auc(t[0]);
        QVERIFY2(std::fabs(auc - c["auc"].get<double>()) < 1e-12,
                 qPrintable(QStringLiteral("counter %1, sklearn %2").arg(auc, 0, 'g', 17).arg(c["auc"].get<double>(), 0, 'g', 17)));
        // The histogram accumulator (the GUI's curve) gives the same double.
        PooledAucAccumulator acc(pos);
        acc.add_negatives(neg);
        QCOMPARE(acc.auc(), auc);
        // Taking negatives back out restores the count.
        for (size_t i = 0; i < std::min<size_t>(neg.size(), 500); ++i)
            counter.remove(neg[i], t[0]);
        PooledAucCounter::Tally rest;
        if (neg.size() > 500)
            counter.add(std::span(neg).subspan(500), rest);
        QVERIFY(t[0].twice_rank == rest.twice_rank);
    }

    // Millions of positives (one shard of a 1M-user run ranks against every user's test items):
    // the cells grow with them, so crowded cells (more than 27 values; each look-up a search) stay
    // rare.
    void pooledCounterScalesWithPositives()
    {
        std::mt19937 rng(5);
        const PooledAucCounter counter(normal_scores(4000000, 0.0f, 0.4f, rng));
        QVERIFY2(counter.slow_cell_share() < 0.02, qPrintable(QString::number(counter.slow_cell_share())));
    }

    // A cluster of 60 consecutive floats (ten of them tied) falls in one cell of its bucket, more
    // than a 64-byte line holds: the look-up's search path, checked against a count by sorting
    // (also through the scalar twice_rank).
    void pooledCounterCrowdedCell()
    {
        std::mt19937 rng(11);
        std::uniform_real_distribution<float> u(0.0f, 1.0f);
        std::vector<float> pos;
        for (int i = 0; i < 1000; ++i)
            pos.push_back(u(rng));
        std::vector<float> cluster{0.5f};
        for (int i = 1; i < 60; ++i)
            cluster.push_back(std::nextafter(cluster.back(), 2.0f));
        pos.insert(pos.end(), cluster.begin(), cluster.end());
        pos.insert(pos.end(), cluster.begin(), cluster.begin() + 10); // ties inside the cluster
        // One grid over [0, 1] would crowd (the cluster is 6% of the values), so the keys'
        // buckets serve: the cluster's bucket (1/128 of the octave above 0.5) holds it and a few
        // more values, a handful of cells, the cluster in one.
        pos.push_back(0.0f);
        pos.push_back(1.0f);
        pos.push_back(0.5f + 0.8f / 4096.0f);
        const PooledAucCounter counter(pos);
        QVERIFY2(counter.slow_cell_share() > 0.04, qPrintable(QString::number(counter.slow_cell_share())));
        std::vector<float> neg;
        for (float c : cluster) {
            neg.push_back(c);
            neg.push_back(std::nextafter(c, 2.0f));
            neg.push_back(std::nextafter(c, -1.0f));
        }
        for (int i = 0; i < 5000; ++i)
            neg.push_back(u(rng));
        std::shuffle(neg.begin(), neg.end(), rng);
        compare_with_sorting(counter, pos, neg);
    }

    // The per-user count over many positives at once (vector path from 64 scores, groups of eight
    // positives, ties, ±inf) against a plain count.
    void twiceBelowAllCountsTies()
    {
        std::mt19937 rng(3);
        std::uniform_int_distribution<int> grade(-20, 20);
        const float inf = std::numeric_limits<float>::infinity();
        for (size_t n : {size_t{0}, size_t{7}, size_t{64}, size_t{333}, size_t{5000}}) {
            std::vector<float> scores(n);
            for (auto &x : scores)
                x = static_cast<float>(grade(rng)) / 8.0f;
            if (n > 10) {
                scores[3] = inf;
                scores[5] = -inf;
            }
            for (size_t m : {size_t{1}, size_t{5}, size_t{8}, size_t{13}}) {
                std::vector<float> pos(m);
                for (auto &p : pos)
                    p = static_cast<float>(grade(rng)) / 8.0f;
                pos[0] = m > 4 ? inf : pos[0];
                int64_t want = 0;
                for (float p : pos)
                    for (float x : scores)
                        want += (x < p ? 2 : 0) + (x == p ? 1 : 0);
                QCOMPARE(twice_below_all(scores, pos), want);
            }
        }
    }

    // 9M distinct values (consecutive floats from 1): every key of the buckets is a value, more
    // than one grid's float positions could tell apart; the top values must still find their cells.
    void pooledCounterPastFloatCells()
    {
        std::vector<float> pos(9000000);
        float x = 1.0f;
        for (auto &p : pos) {
            p = x;
            x = std::nextafter(x, 4.0f);
        }
        const PooledAucCounter counter(pos);
        const uint64_t n = pos.size();
        QCOMPARE(counter.twice_rank(pos.back()), 2 * (n - 1) + 1);
        QCOMPARE(counter.twice_rank(pos.front()), uint64_t{1});
        QCOMPARE(counter.twice_rank(pos[n / 2]), 2 * (n / 2) + 1);
        QCOMPARE(counter.twice_rank(4.0f), 2 * n);
        PooledAucCounter::Tally t;
        counter.add(std::span(pos).subspan(n - 64), t);
        PairCount want = 0;
        for (uint64_t i = n - 64; i < n; ++i)
            want += 2 * i + 1;
        QVERIFY2(t.twice_rank == want, "the top values' ranks");
    }

    void pooledCounterGridsAreUsed()
    {
        // The fixtures above reach both grids: one linear grid (small, evenly spread), and the
        // buckets of the keys (far outliers, where one grid would crowd).
        const json f = load("pooled_auc.json");
        bool single = false, buckets = false;
        for (const auto &c : f["cases"]) {
            const PooledAucCounter counter(scores_of(c["positives"]));
            single = single || counter.single_grid();
            buckets = buckets || !counter.single_grid();
        }
        QVERIFY(single);
        QVERIFY(buckets);
    }

    // Hundreds of thousands of positives: dense buckets, where every key has a fine position of
    // its own, so a score at a record's position is that record's value (counted without reading
    // the records), with ties among the positives and a third of the negatives equal to one of them;
    // against a count by sorting, scalar and vector paths.
    void pooledCounterDenseTies()
    {
        std::mt19937 rng(17);
        std::normal_distribution<float> g(0.3f, 0.7f);
        std::vector<float> pos = normal_scores(300000, 0.3f, 0.7f, rng);
        for (size_t i = 0; i < pos.size(); i += 7)
            pos[i] = pos[rng() % pos.size()]; // ties
        std::vector<float> neg(30000);
        for (size_t i = 0; i < neg.size(); ++i)
            neg[i] = i % 3 == 0 ? pos[rng() % pos.size()] : g(rng) - 0.3f;
        const PooledAucCounter counter(pos);
        QVERIFY(!counter.single_grid());
        compare_with_sorting(counter, pos, neg);
    }

    // The pooled ROC's buckets: every point it gives is a point of roc_curve (scikit-learn's full
    // curve) over the same scores, it ends at (1, 1), and the counts survive being split over
    // threads, a removed negative, odd lengths (the scalar tail) and awkward positives: outliers far
    // outside the central range, ±inf, all equal, none finite; NaN negatives count at lo.
    void pooledCurveCounterPointsLieOnTheCurve_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addRow("normal") << 0;
        QTest::addRow("outliers and infinities") << 1;
        QTest::addRow("all positives equal") << 2;
        QTest::addRow("coarse ties") << 3;
        QTest::addRow("no finite positive") << 4;
    }
    void pooledCurveCounterPointsLieOnTheCurve()
    {
        QFETCH(int, kind);
        std::mt19937 rng(static_cast<unsigned>(17 + kind));
        std::normal_distribution<float> g;
        const float inf = std::numeric_limits<float>::infinity();
        std::vector<float> positives(kind == 4 ? 3 : 5000), negatives(40003);
        for (auto &p : positives)
            p = kind == 2 ? 0.5f : kind == 3 ? std::round(g(rng) * 4 + 4) / 4 : g(rng) + 1.5f;
        for (auto &n : negatives)
            n = kind == 3 ? std::round(g(rng) * 4) / 4 : g(rng);
        if (kind == 1) {
            positives[0] = 1e30f;
            positives[1] = -1e30f;
            positives[2] = inf;
            positives[3] = -inf;
            negatives[5] = inf;
            negatives[6] = -inf;
            negatives[7] = 1e30f;
        }
        if (kind == 4) {
            positives = {inf, -inf, inf};
            negatives[9] = -inf;
        }
        const PooledCurveCounter counter(positives);
        // Two "threads", the second one's last score taken back out.
        auto first = counter.make_counts(), second = counter.make_counts();
        const size_t half = negatives.size() / 2 + 3;
        counter.add(std::span(negatives).first(half), first);
        std::vector<float> rest(negatives.begin() + static_cast<std::ptrdiff_t>(half), negatives.end());
        rest.push_back(123.0f);
        counter.add(rest, second);
        counter.remove(123.0f, second);
        const std::vector<std::vector<int64_t>> counts{first, second};
        const RocCurve ours = counter.curve(counts, static_cast<int64_t>(negatives.size()), 0.5);
        std::vector<float> scores = negatives;
        std::vector<uint8_t> labels(negatives.size(), 0);
        scores.insert(scores.end(), positives.begin(), positives.end());
        labels.resize(scores.size(), 1);
        const RocCurve full = roc_curve(scores, labels);
        std::set<std::pair<double, double>> points;
        for (size_t i = 0; i < full.fpr.size(); ++i)
            points.insert({full.fpr[i], full.tpr[i]});
        QVERIFY(ours.fpr.size() >= 3);
        if (kind == 0)
            QVERIFY(ours.fpr.size() > 1000); // the plot's resolution
        for (size_t i = 0; i < ours.fpr.size(); ++i)
            QVERIFY2(points.count({ours.fpr[i], ours.tpr[i]}),
                     qPrintable(QStringLiteral("(%1, %2) is not on the curve").arg(ours.fpr[i]).arg(ours.tpr[i])));
        QCOMPARE(ours.fpr.back(), 1.0);
        QCOMPARE(ours.tpr.back(), 1.0);
        QCOMPARE(ours.positives, static_cast<int64_t>(positives.size()));
        // A count that lost a negative is refused.
        QVERIFY_THROWS_EXCEPTION(Error, counter.curve(counts, static_cast<int64_t>(negatives.size()) + 1, 0.5));
        // NaN: a negative like any other (at lo), a positive refused.
        const std::vector<float> nan{std::numeric_limits<float>::quiet_NaN()};
        QVERIFY_THROWS_EXCEPTION(Error, PooledCurveCounter{nan});
        QCOMPARE(counter.slot(nan[0]), 1);
    }

    void singleClassHasNoAuc()
    {
        const std::vector<float> s{1, 2, 3};
        const std::vector<uint8_t> l{1, 1, 1};
        QVERIFY(std::isnan(roc_auc(s, l)));
    }

    void poolRocByHand()
    {
        // 8 items; the user bought i0 (train) and holds i2, i5, i7 out (test). Pool (model order)
        // i1..i6; i7 is outside the pool and does not count.
        test::ToySpec spec;
        spec.n_items = 8;
        spec.train = {{0}};
        spec.test = {{2, 5, 7}};
        const Dataset ds = test::make_toy(spec);
        const std::vector<int32_t> pool{1, 2, 3, 4, 5, 6};
        // Re-ranked list i3, i5: ranking 3 5 1 2 4 6 -> labels 0 1 0 1 0 0. Positives 2, negatives 4;
        // i5 is above 3 negatives, i2 above 2: AUC 5/8.
        const RocCurve r = pool_roc(ds, 0, pool, std::vector<int32_t>{3, 5});
        QCOMPARE(r.positives, int64_t(2));
        QCOMPARE(r.negatives, int64_t(4));
        QCOMPARE(r.auc, 0.625);
        QCOMPARE(r.fpr, (std::vector<double>{0, 0.25, 0.25, 0.5, 0.5, 0.75, 1}));
        QCOMPARE(r.tpr, (std::vector<double>{0, 0, 0.5, 0.5, 1, 1, 1}));
        // Model order (the pool's own head): i2 above 3 negatives, i5 above 1: 4/8.
        QCOMPARE(pool_roc(ds, 0, pool, std::vector<int32_t>{1, 2}).auc, 0.5);
        // A pinned item from outside the pool takes its place in the ranking (here a positive).
        QCOMPARE(pool_roc(ds, 0, pool, std::vector<int32_t>{7, 1}).positives, int64_t(3));
    }

    void rerankedAucByHand()
    {
        // DESIGN §5, the AUC of a re-ranked list. 8 items; the user bought i7 (train) and holds
        // i1, i3, i5 out (test); negatives i0, i2, i4, i6. Scores: i0 .9, i1 .8, i2 .7, i3 .6,
        // i4 .6 (tied with i3), i5 .3, i6 .2 (i7 .95, outside the universe).
        test::ToySpec spec;
        spec.n_items = 8;
        spec.train = {{7}};
        spec.test = {{1, 3, 5}};
        const Dataset ds = test::make_toy(spec);
        const std::vector<float> all{0.9f, 0.8f, 0.7f, 0.6f, 0.6f, 0.3f, 0.2f, 0.95f};
        // Model order: i1 is above i2, i4, i6 (3); i3 above i6 and tied with i4 (1.5); i5 above i6
        // (1): 5.5 of 12 pairs.
        QCOMPARE(user_auc(ds, 0, all), 5.5 / 12);
        const PositiveCounts c = positive_counts(ds, 0, all);
        QCOMPARE(c.twice, (std::vector<int64_t>{6, 3, 2}));
        QCOMPARE(c.negatives, int64_t(4));
        // K = 2, the list i2, i5: ranking i2 i5 | i0 i1 i3 i4 i6 (model order below the list).
        // i5 (listed 2nd) is above the unlisted negatives i0, i4, i6: 3. i1 is below the list,
        // above i4 and i6: 2. i3 is below i0, tied with i4, above i6: 1.5. 6.5 of 12 pairs.
        const std::vector<int32_t> list{2, 5};
        QCOMPARE(reranked_user_auc(ds, 0, all, list), 6.5 / 12);
        // The same from the counts with the list's scores (evaluate's path).
        QCOMPARE(reranked_auc(list, std::vector<float>{0.7f, 0.3f}, ds.train.row(0), c.items, c.scores, c.twice,
                              c.negatives),
                 6.5 / 12);
        // The model's own top 2 (i0, i1) as a list: i1 above i2, i4, i6 (3); i3 1.5; i5 1 — the
        // plain AUC again, since no tie crosses the list.
        QCOMPARE(reranked_user_auc(ds, 0, all, std::vector<int32_t>{0, 1}), 5.5 / 12);
        // A list that splits the tie: i4 listed puts it above i3 (i3 loses the half pair).
        // i4, i0: i1 above i2, i6 (2); i3 above i6 (1); i5 above i6 (1): 4 of 12.
        QCOMPARE(reranked_user_auc(ds, 0, all, std::vector<int32_t>{4, 0}), 4.0 / 12);
        // A train item in the list (a pinned one) is outside the universe and not counted.
        QCOMPARE(reranked_user_auc(ds, 0, all, std::vector<int32_t>{7, 2, 5}), 6.5 / 12);
    }

    void rerankedAucAgainstPairs()
    {
        // Random universes with heavy ties against a plain count: rank every universe item (list
        // first, then by score, ties sharing a place) and count (positive, negative) pairs.
        std::mt19937 rng(7);
        for (int round = 0; round < 200; ++round) {
            const int n = 5 + static_cast<int>(rng() % 40);
            test::ToySpec spec;
            spec.n_items = n;
            std::vector<int32_t> train, test;
            std::vector<float> all(static_cast<size_t>(n));
            for (int i = 0; i < n; ++i) {
                all[static_cast<size_t>(i)] = static_cast<float>(rng() % 6); // many ties
                const unsigned r = rng() % 10;
                if (r < 2)
                    train.push_back(i);
                else if (r < 5)
                    test.push_back(i);
            }
            spec.train = {train};
            spec.test = {test};
            const Dataset ds = test::make_toy(spec);
            std::vector<int32_t> universe;
            for (int i = 0; i < n; ++i)
                if (!std::binary_search(train.begin(), train.end(), i))
                    universe.push_back(i);
            std::shuffle(universe.begin(), universe.end(), rng);
            const size_t k = std::min<size_t>(universe.size(), 1 + rng() % 5);
            const std::vector<int32_t> list(universe.begin(), universe.begin() + static_cast<long>(k));
            // Plain: a listed item's key is (1, -place), an unlisted one's (0, score).
            auto key = [&](int32_t item) {
                const auto at = std::find(list.begin(), list.end(), item);
                return at != list.end() ? std::pair<double, double>(1, -static_cast<double>(at - list.begin()))
                                        : std::pair<double, double>(0, all[static_cast<size_t>(item)]);
            };
            double pairs = 0, won = 0;
            for (int32_t p : universe)
                for (int32_t q : universe) {
                    const bool pp = std::binary_search(test.begin(), test.end(), p);
                    const bool qp = std::binary_search(test.begin(), test.end(), q);
                    if (!pp || qp)
                        continue;
                    pairs += 1;
                    won += key(p) > key(q) ? 1 : key(p) == key(q) ? 0.5 : 0;
                }
            const double got = reranked_user_auc(ds, 0, all, list);
            if (pairs == 0)
                QVERIFY(std::isnan(got));
            else
                QCOMPARE(got, won / pairs);
        }
    }

    void userAndPooled()
    {
        const json f = load("user_auc.json");
        QVERIFY(!f.empty());
        test::ToySpec spec;
        spec.n_items = f["n_items"].get<int>();
        spec.train = f["train"].get<std::vector<std::vector<int32_t>>>();
        spec.test = f["test"].get<std::vector<std::vector<int32_t>>>();
        const Dataset ds = test::make_toy(spec);
        const auto scores = f["scores"].get<std::vector<std::vector<float>>>();
        const auto expected = f["user_auc"];
        std::vector<float> positives;
        for (int32_t u = 0; u < ds.n_users(); ++u) {
            const double a = user_auc(ds, u, scores[static_cast<size_t>(u)]);
            if (expected[static_cast<size_t>(u)].is_null()) {
                QVERIFY2(std::isnan(a), qPrintable(QString::number(u)));
            } else {
                QCOMPARE(a, expected[static_cast<size_t>(u)].get<double>());
                QCOMPARE(user_roc(ds, u, scores[static_cast<size_t>(u)]).auc, a);
            }
            for (int32_t it : test_set(ds, u))
                positives.push_back(scores[static_cast<size_t>(u)][static_cast<size_t>(it)]);
        }
        // Pooled: two accumulators merged, as the evaluation does per thread.
        PooledAucAccumulator a(positives), b(positives);
        int turn = 0;
        for (int32_t u : evaluated_users(ds)) {
            const auto truth = test_set(ds, u);
            auto train = ds.train.row(u);
            for (int32_t it = 0; it < ds.n_items(); ++it) {
                if (std::binary_search(train.begin(), train.end(), it) ||
                    std::binary_search(truth.begin(), truth.end(), it))
                    continue;
                ((turn++ % 2) ? a : b).add_negative(scores[static_cast<size_t>(u)][static_cast<size_t>(it)]);
            }
        }
        a.merge(b);
        QCOMPARE(a.auc(), f["pooled_auc"].get<double>());
        // The fast counter of the scoring pass gives the same double.
        const PooledAucCounter counter(positives);
        PooledAucCounter::Tally tally;
        for (int32_t u : evaluated_users(ds)) {
            const auto &row = scores[static_cast<size_t>(u)];
            counter.add(row, tally);
            const auto truth = test_set(ds, u);
            for (int32_t it : ds.train.row(u))
                counter.remove(row[static_cast<size_t>(it)], tally);
            for (int32_t it : truth)
                counter.remove(row[static_cast<size_t>(it)], tally);
        }
        QCOMPARE(counter.auc(tally), a.auc());
        // The reduced pooled curve: each of its points is a point of sklearn's full curve, every
        // point of sklearn's full curve lies on it, and its trapezoid area is the AUC.
        const RocCurve c = a.curve();
        double area = 0;
        for (size_t i = 1; i < c.fpr.size(); ++i)
            area += (c.fpr[i] - c.fpr[i - 1]) * (c.tpr[i] + c.tpr[i - 1]) / 2;
        QCOMPARE(area, f["pooled_auc"].get<double>());
        const auto sf = f["pooled_fpr"].get<std::vector<double>>();
        const auto st = f["pooled_tpr"].get<std::vector<double>>();
        QVERIFY(c.fpr.size() < sf.size());
        const double eps = 1e-12;
        for (size_t j = 0; j < c.fpr.size(); ++j) {
            bool found = false;
            for (size_t i = 0; i < sf.size() && !found; ++i)
                found = std::fabs(c.fpr[j] - sf[i]) < eps && std::fabs(c.tpr[j] - st[i]) < eps;
            QVERIFY2(found, qPrintable(QStringLiteral("point %1 is not on sklearn's curve").arg(j)));
        }
        for (size_t i = 0; i < sf.size(); ++i) {
            bool on = false;
            for (size_t j = 0; j + 1 < c.fpr.size() && !on; ++j) {
                const double x0 = c.fpr[j], x1 = c.fpr[j + 1], y0 = c.tpr[j], y1 = c.tpr[j + 1];
                if (sf[i] < x0 - eps || sf[i] > x1 + eps)
                    continue;
                if (x1 - x0 < eps)
                    on = st[i] >= y0 - eps && st[i] <= y1 + eps;
                else
                    on = std::fabs(y0 + (y1 - y0) * (sf[i] - x0) / (x1 - x0) - st[i]) < 1e-9;
            }
            QVERIFY2(on, qPrintable(QStringLiteral("sklearn point %1 is off the curve").arg(i)));
        }
    }
};

QTEST_GUILESS_MAIN(TestRoc)
#include "tst_roc.moc"
