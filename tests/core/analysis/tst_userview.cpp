// The interactive path behind the slider: lists, moves, hits, ROC of a re-ranked list, δ = 0.
#include "../../ui/tinydataset.h"
#include "core/common/error.h"
#include "core/analysis/userview.h"

#include <QTest>
#include <algorithm>
#include <cmath>
#include <iterator>
#include <set>

using namespace reclens;

class TestUserInspector : public QObject
{
    Q_OBJECT
private:
    std::shared_ptr<Dataset> m_data;
    std::shared_ptr<const Model> m_model;

private Q_SLOTS:
    void initTestCase()
    {
        m_data = testing::tinyDataset();
        m_model = testing::tinyModel(*m_data);
    }

    void modelOrderByHand()
    {
        UserInspector inspector;
        inspector.setData(m_data, { *m_model });
        RerankOptions o;
        o.method = RerankMethod::mmr;
        o.diversity = 0.0;
        o.k = 3;
        inspector.setOptions(o, 10);
        // u1 = (1, 0.2): scores of the items outside train {0,3}: i2 1.0, i3 0.96, i5 0.28, i6 0.6,
        // i7 0.92, i8 0.36 -> top 3 = items 1, 2, 6 (i2, i3, i7).
        const UserView view = inspector.inspect(0);
        QCOMPARE(view.columns.size(), size_t { 2 });
        QCOMPARE(view.columns[0].items, (std::vector<int32_t> { 1, 2, 6 }));
        QCOMPARE(view.columns[0].hit, (std::vector<uint8_t> { 1, 0, 1 }));
        // δ = 0: the re-ranked list is the model's own order, and so is its ROC.
        QCOMPARE(view.columns[1].items, view.columns[0].items);
        QCOMPARE(view.columns[1].roc.auc, view.columns[0].roc.auc);
        // history most recent first: item 3 (ts 20) then item 0 (ts 10)
        QCOMPARE(view.history, (std::vector<int32_t> { 3, 0 }));
        // ROC of the model order over the universe {1,2,4,5,6,7}, positives {1,6}:
        // scores 1.0(+) 0.96 0.28 0.6 0.92(+) 0.36 -> positive 1.0 beats 4 negatives, 0.92 beats 3 -> 7/8
        QCOMPARE(view.columns[0].roc.auc, 7.0 / 8.0);
        QCOMPARE(view.columns[0].metrics.hits, 2);
    }

    void diversityChangesTheList()
    {
        UserInspector inspector;
        inspector.setData(m_data, { *m_model });
        RerankOptions o;
        o.method = RerankMethod::mmr;
        o.diversity = 0.9;
        o.k = 3;
        inspector.setOptions(o, 10);
        const UserView view = inspector.inspect(0);
        // Items 1, 2 and 6 all point along x; strong diversification must swap one of them out.
        QVERIFY(view.columns[1].items != view.columns[0].items);
        QVERIFY(!view.columns[1].dropped.empty());
        bool anyMove = false;
        for (const RankMove &m : view.columns[1].moves)
            anyMove = anyMove || m.kind != RankMove::Kind::Same;
        QVERIFY(anyMove);
        // Category bars: history + two lists.
        QCOMPARE(view.bars.shares.size(), size_t { 3 });
    }

    void listFirstScores()
    {
        const std::vector<float> scores { 0.5f, 0.9f, 0.1f, 0.7f };
        const std::vector<int32_t> list { 2, 0 };
        const std::vector<float> out = UserInspector::listFirstScores(scores, list);
        // list items on top in list order, the rest keep the model order
        QVERIFY(out[2] > out[0]);
        QVERIFY(out[0] > out[1]);
        QVERIFY(out[1] > out[3]);
        QCOMPARE(out[1], 0.9f);
        QCOMPARE(out[3], 0.7f);
    }

    void comparedColumnsMovesAndOverlaps()
    {
        UserInspector inspector;
        inspector.setData(m_data, { *m_model, *m_model, *m_model });
        RerankOptions o;
        o.method = RerankMethod::mmr;
        o.diversity = 0.9;
        o.k = 3;
        inspector.setOptions(o, 10);
        inspector.setCompared({ 2, 1, 7 }); // 7 is no source: skipped
        inspector.setBaselineColumn(1); // moves against the re-ranked list
        const UserView view = inspector.inspect(0);
        QCOMPARE(view.columns.size(), size_t { 4 });
        QCOMPARE(view.baseline, 1);
        QCOMPARE(view.columns[2].source, size_t { 2 });
        QCOMPARE(view.columns[3].source, size_t { 1 });
        QVERIFY(view.columns[3].role == ListColumn::Role::OtherSource);
        // The same model in its own order: the primary's model order, item for item.
        QCOMPARE(view.columns[2].items, view.columns[0].items);
        QVERIFY(view.columns[1].items != view.columns[0].items);

        // Moves by hand: each item's place in the baseline (re-ranked) list against its own.
        const std::vector<int32_t> &base = view.columns[1].items;
        for (const ListColumn &c : view.columns) {
            QCOMPARE(c.moves.size(), c.items.size());
            for (size_t r = 0; r < c.items.size(); ++r) {
                const auto at = std::find(base.begin(), base.end(), c.items[r]);
                const RankMove &m = c.moves[r];
                if (at == base.end()) {
                    QVERIFY(m.kind == RankMove::Kind::New);
                    continue;
                }
                const long from = at - base.begin();
                const long to = static_cast<long>(r);
                QVERIFY(m.kind == (from == to ? RankMove::Kind::Same : from > to ? RankMove::Kind::Up : RankMove::Kind::Down));
                QCOMPARE(m.steps, static_cast<int>(std::abs(from - to)));
            }
            size_t missing = 0;
            for (int32_t item : base)
                missing += std::find(c.items.begin(), c.items.end(), item) == c.items.end() ? 1 : 0;
            QCOMPARE(c.dropped.size(), missing);
        }
        for (const RankMove &m : view.columns[1].moves)
            QVERIFY(m.kind == RankMove::Kind::Same);

        // Overlaps: every pair once, Jaccard from sets, RBO_ext of two equal-length lists written out:
        // (1−p)/p · Σ_{d≤k} p^d·X_d/d + p^k·X_k/k.
        QCOMPARE(view.overlaps.size(), size_t { 6 });
        size_t n = 0;
        for (int i = 0; i < 4; ++i) {
            for (int j = i + 1; j < 4; ++j, ++n) {
                const ListOverlap &ov = view.overlaps[n];
                QCOMPARE(ov.a, i);
                QCOMPARE(ov.b, j);
                const auto &x = view.columns[static_cast<size_t>(i)].items;
                const auto &y = view.columns[static_cast<size_t>(j)].items;
                std::set<int32_t> sx(x.begin(), x.end()), sy(y.begin(), y.end()), both, any(sx);
                std::set_intersection(sx.begin(), sx.end(), sy.begin(), sy.end(), std::inserter(both, both.begin()));
                any.insert(sy.begin(), sy.end());
                QCOMPARE(ov.shared, static_cast<int>(both.size()));
                QCOMPARE(ov.jaccard, static_cast<double>(both.size()) / static_cast<double>(any.size()));
                QCOMPARE(x.size(), y.size());
                const double p = 0.9;
                double sum = 0, xd = 0;
                for (size_t d = 1; d <= x.size(); ++d) {
                    std::set<int32_t> px(x.begin(), x.begin() + static_cast<long>(d)),
                        py(y.begin(), y.begin() + static_cast<long>(d)), common;
                    std::set_intersection(px.begin(), px.end(), py.begin(), py.end(), std::inserter(common, common.begin()));
                    xd = static_cast<double>(common.size());
                    sum += std::pow(p, static_cast<double>(d)) * xd / static_cast<double>(d);
                }
                const double k = static_cast<double>(x.size());
                QVERIFY(std::abs(ov.rbo - ((1 - p) / p * sum + std::pow(p, k) * xd / k)) < 1e-12);
            }
        }
        // Identical lists agree fully; the re-ranked list agrees less with the model order.
        QCOMPARE(view.overlaps[1].jaccard, 1.0); // A–C
        QVERIFY(std::abs(view.overlaps[1].rbo - 1.0) < 1e-12);
        QVERIFY(view.overlaps[0].rbo < 1.0); // A–B
        // Category bars: history + four lists.
        QCOMPARE(view.bars.shares.size(), size_t { 5 });

        // Re-ranked like the primary: the same model gives the primary's re-ranked list, and says why.
        inspector.setCompared({ 2 }, true);
        const UserView again = inspector.inspect(0);
        QCOMPARE(again.columns.size(), size_t { 3 });
        QCOMPARE(again.columns[2].items, again.columns[1].items);
        QCOMPARE(again.columns[2].why, again.columns[1].why);
        QVERIFY(again.columns[2].title.find("re-ranked (mmr") != std::string::npos);
        QCOMPARE(again.columns[2].roc.auc, again.columns[1].roc.auc);

        // A baseline beyond the columns shown falls back to the model order.
        inspector.setCompared({});
        QCOMPARE(inspector.inspect(0).baseline, 1);
        inspector.setBaselineColumn(3);
        QCOMPARE(inspector.inspect(0).baseline, 0);
    }

    void badOptionsAreRefused()
    {
        UserInspector inspector;
        inspector.setData(m_data, { *m_model });
        RerankOptions o;
        o.method = RerankMethod::mmr;
        o.diversity = 1.5;
        QVERIFY_THROWS_EXCEPTION(reclens::Error, inspector.setOptions(o, 10));
    }
};

QTEST_APPLESS_MAIN(TestUserInspector)
#include "tst_userview.moc"
