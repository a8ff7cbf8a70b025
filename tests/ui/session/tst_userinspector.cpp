// The interactive path behind the slider: lists, moves, hits, ROC of a re-ranked list, δ = 0.
#include "../tinydataset.h"
#include "core/common/error.h"
#include "ui/session/userinspector.h"

#include <QTest>

using namespace reclens;
using namespace reclens::ui;

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

    void secondModelColumn()
    {
        UserInspector inspector;
        inspector.setData(m_data, { *m_model, *m_model });
        RerankOptions o;
        o.method = RerankMethod::mmr;
        o.k = 3;
        inspector.setOptions(o, 10);
        inspector.setShowSecondModel(true);
        const UserView view = inspector.inspect(1);
        QCOMPARE(view.columns.size(), size_t { 3 });
        QCOMPARE(view.columns[2].items, view.columns[0].items);
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
#include "tst_userinspector.moc"
