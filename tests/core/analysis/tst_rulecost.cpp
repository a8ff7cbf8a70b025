// What a rule costs (rule_costs): on a hand-made run of two users, the change each rule alone causes
// in nDCG, recall, coverage, the category mix and the strata, worked out by hand.
#include "core/analysis/rulecost.h"
#include "core/data/runfile.h"
#include "../metrics/toydataset.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <fstream>

using namespace reclens;

namespace {

// 6 items: i0..i2 in category A, i3..i5 in B. u0 bought i0 (train), holds i1 out; u1 bought i0,
// holds i3 out.
Dataset toy()
{
    test::ToySpec s;
    s.n_items = 6;
    s.train = {{0}, {0}};
    s.test = {{1}, {3}};
    s.categories = {{"A", -1}, {"B", -1}};
    s.item_category = {0, 0, 0, 1, 1, 1};
    return test::make_toy(s);
}

} // namespace

class TestRuleCost : public QObject {
    Q_OBJECT

private slots:
    void byHand()
    {
        const Dataset ds = toy();
        QTemporaryDir dir;
        const std::string path = dir.filePath("run.trec").toStdString();
        // u0: i2 i1 i4; u1: i3 i5 i2 (best first).
        std::ofstream(path) << "u0 Q0 i2 1 3 r\nu0 Q0 i1 2 2 r\nu0 Q0 i4 3 1 r\n"
                               "u1 Q0 i3 1 3 r\nu1 Q0 i5 2 2 r\nu1 Q0 i2 3 1 r\n";
        const Run run = load_run(path, ds);
        EvaluationOptions o;
        o.k = 2;
        o.pool = 3;
        o.device = "cpu";
        o.rerank.method = RerankMethod::none;
        MerchRule exclude; // rule 1: exclude i2
        exclude.kind = MerchRule::Kind::exclude_item;
        exclude.target = 2;
        MerchRule pin; // rule 2: pin i5 at rank 1
        pin.kind = MerchRule::Kind::pin_item;
        pin.target = 5;
        pin.rank = 1;
        o.rerank.rules = {exclude, pin};
        const RuleCosts c = rule_costs(score(RankingSource(run, ds), o), o);
        // Both rules: u0 [i5, i1] (hit at 2), u1 [i5, i3] (hit at 2): nDCG = 1/log2(3) each.
        const double at2 = 1 / std::log2(3.0);
        QCOMPARE(c.with_all.at("ndcg"), at2);
        QCOMPARE(c.rules.size(), size_t(2));
        // Without the exclusion: u0 [i5, i2] (no hit), u1 [i5, i3]: nDCG at2/2, recall 1/2.
        QCOMPARE(c.rules[0].ndcg, at2 - at2 / 2);
        QCOMPARE(c.rules[0].recall, 1.0 - 0.5);
        // Coverage: {i1, i3, i5} = 3/6 with both; {i2, i3, i5} = 3/6 without: no change.
        QCOMPARE(c.rules[0].coverage, 0.0);
        // Category mix: with both, slots A {i1} 1, B {i5, i5, i3} 3 -> 1/4, 3/4; without the
        // exclusion: A {i2} 1, B 3: no change either.
        QCOMPARE(c.rules[0].category_share[0], 0.0);
        // Without the pin: u0 [i1, i4] (hit at 1), u1 [i3, i5] (hit at 1): nDCG 1.
        QCOMPARE(c.rules[1].ndcg, at2 - 1.0);
        QCOMPARE(c.rules[1].recall, 0.0);
        // Coverage {i1, i4, i3, i5} = 4/6 without the pin: the pin costs 1/6.
        QCOMPARE(c.rules[1].coverage, 3.0 / 6 - 4.0 / 6);
        // Slots without the pin: A {i1} 1, B {i4, i3, i5} 3: no change in the mix.
        QCOMPARE(c.rules[1].category_share[1], 0.0);
        QCOMPARE(c.rules[1].category_share.size(), ds.categories.size() + 1);
        // The strata say the same per group; the head/tail split of this toy is whatever the
        // popularity gives, so only the activity groups are checked: both users have one train item.
        double ndcgSum = 0;
        for (const StratumDelta &s : c.rules[1].strata)
            if (s.name.rfind("activity ", 0) == 0 && !std::isnan(s.ndcg))
                ndcgSum += s.ndcg;
        QVERIFY(ndcgSum < 0);
    }

    void categoryShares()
    {
        const Dataset ds = toy();
        EvaluationResult r;
        r.lists = {{0, 1, 3}, {4}};
        const auto shares = top_category_shares(ds, r);
        QCOMPARE(shares.size(), size_t(3));
        QCOMPARE(shares[0], 0.5);
        QCOMPARE(shares[1], 0.5);
        QCOMPARE(shares[2], 0.0);
    }
};

QTEST_GUILESS_MAIN(TestRuleCost)
#include "tst_rulecost.moc"
