// The item models of the GUI under QAbstractItemModelTester: users table (+ proxy sorting and
// filtering), a ranked list, the history strip and the summary table.
#include "../tinydataset.h"
#include "ui/models/rankinglistmodel.h"
#include "ui/models/summarymodel.h"
#include "ui/models/usertablemodel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace reclens;
using namespace reclens::ui;

class TestItemModels : public QObject
{
    Q_OBJECT
private:
    std::shared_ptr<Dataset> m_data = testing::tinyDataset();

    static UserMetrics metricsWith(double ndcg)
    {
        UserMetrics m;
        m.values.fill(0.5);
        m[MetricId::ndcg] = ndcg;
        return m;
    }

private Q_SLOTS:
    void userTable()
    {
        UserTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDataset(m_data);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, UserTableModel::IdColumn).data().toString(), u"u1"_qs);
        QCOMPARE(model.index(1, UserTableModel::HistoryColumn).data().toLongLong(), 3);
        QCOMPARE(model.index(0, UserTableModel::TestColumn).data().toLongLong(), 2);
        QCOMPARE(model.index(2, UserTableModel::SegmentColumn).data().toString(), u"–"_qs);
        // Users 0 and 1 evaluated: ndcg 0.8 -> 0.6 after re-ranking, 0.2 -> 0.5.
        model.setMetrics({ 0, 1 }, { metricsWith(0.8), metricsWith(0.2) }, { metricsWith(0.6), metricsWith(0.5) });
        const int ndcg = UserTableModel::metricColumn(MetricId::ndcg);
        QCOMPARE(model.index(0, ndcg).data(UserTableModel::SortRole).toDouble(), 0.8);
        QVERIFY(std::abs(model.index(0, ndcg + 1).data(UserTableModel::SortRole).toDouble() + 0.2) < 1e-12);
        QCOMPARE(model.index(1, ndcg + 1).data().toString(), u"+0.300"_qs);
        QVERIFY(std::isnan(model.index(2, ndcg).data(UserTableModel::SortRole).toDouble()));

        UserFilterProxy proxy;
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        // Worst first by ndcg: ascending, undefined (user 3) last in both directions.
        proxy.sort(ndcg, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, 0).data().toString(), u"u2"_qs);
        QCOMPARE(proxy.index(2, 0).data().toString(), u"u3"_qs);
        proxy.sort(ndcg, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, 0).data().toString(), u"u1"_qs);
        QCOMPARE(proxy.index(2, 0).data().toString(), u"u3"_qs);
        proxy.setSegment(u"B"_qs);
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setSegment({});
        proxy.setSearch(u"U3"_qs);
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setSearch({});
        proxy.setEvaluatedOnly(true);
        QCOMPARE(proxy.rowCount(), 2);
    }

    void rankingList()
    {
        RankingListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDataset(m_data, CategoryPalette({ 1, 0 }));
        ListColumn column;
        column.items = { 6, 1, 5 };
        column.scores = { 0.9f, 0.8f, std::numeric_limits<float>::quiet_NaN() };
        column.hit = { 1, 0, 0 };
        column.moves = RankMove::compare(std::vector<int32_t> { 1, 2, 6 }, column.items);
        column.dropped = { 2 };
        model.setList(column, 2);
        QCOMPARE(model.rowCount(), 4); // 3 listed + 1 dropped
        QCOMPARE(model.index(0, RankingListModel::TitleColumn).data().toString(), u"Item 7"_qs);
        QCOMPARE(model.index(0, RankingListModel::CategoryColumn).data().toString(), u"Pears"_qs);
        QCOMPARE(model.index(2, RankingListModel::CategoryColumn).data().toString(), u"unknown"_qs);
        QCOMPARE(model.index(0, RankingListModel::HitColumn).data().toString(), u"✔"_qs);
        QCOMPARE(model.index(0, RankingListModel::MoveColumn).data().toString(), u"▲2"_qs);
        QCOMPARE(model.index(1, RankingListModel::MoveColumn).data().toString(), u"▼1"_qs);
        QCOMPARE(model.index(2, RankingListModel::MoveColumn).data().toString(), u"new"_qs);
        QCOMPARE(model.index(2, RankingListModel::ScoreColumn).data().toString(), u"pinned"_qs);
        QCOMPARE(model.index(3, RankingListModel::MoveColumn).data().toString(), u"dropped"_qs);
        QCOMPARE(model.index(3, RankingListModel::RankColumn).data().toString(), u"–"_qs);
        QCOMPARE(model.index(1, RankingListModel::BrandColumn).data().toString(), u"Orchard"_qs);
        // Fruit (top of Pears and Apples) is second in the palette -> second base colour; no category -> grey
        QCOMPARE(model.index(0, 0).data(CategoryColorRole).value<QColor>(), CategoryPalette::colorAt(1));
        QCOMPARE(model.index(1, 0).data(CategoryColorRole).value<QColor>(), CategoryPalette::colorAt(1));
        QCOMPARE(model.index(2, 0).data(CategoryColorRole).value<QColor>(), CategoryPalette::unknownColor());
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void historyStrip()
    {
        HistoryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDataset(m_data, CategoryPalette({ 0 }));
        model.setItems({ 3, 0 });
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0).data().toString(), u"Item 4"_qs);
        QCOMPARE(model.index(1).data(ItemIndexRole).toInt(), 0);
    }

    void summaryTable()
    {
        SummaryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        GlobalRuns runs;
        ComparisonResult cmp;
        MetricComparison ndcg;
        ndcg.metric = "ndcg";
        ndcg.value_a = 0.25;
        ndcg.value_b = 0.2;
        ndcg.test.p_paired_t = 0.01;
        ndcg.test.p_wilcoxon = 0.2;
        ndcg.test.ci95_low = -0.08;
        ndcg.test.ci95_high = -0.02;
        cmp.metrics = { ndcg };
        runs.rerankedVsBase = cmp;
        model.setRuns(runs);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, SummaryModel::DeltaColumn).data().toString(), u"-0.0500"_qs);
        QCOMPARE(model.index(0, SummaryModel::PairedTColumn).data().toString(), u"0.0100"_qs);
        QCOMPARE(model.index(0, SummaryModel::CiColumn).data().toString(), u"[-0.0800, -0.0200]"_qs);
        QCOMPARE(model.columnCount(), int { SummaryModel::FixedColumnCount }); // nothing compared
        // ndcg: higher is better, so a drop is shown in red
        QCOMPARE(model.index(0, SummaryModel::DeltaColumn).data(Qt::ForegroundRole).value<QColor>(),
            QColor(0xc6, 0x28, 0x28));
    }

    void summaryEstimates()
    {
        // Numbers first (DESIGN §7): per-user means as "≈ mean ± half-width", rough ones said to be,
        // aggregates a sample cannot say as "…"; exact runs replace the estimate.
        SummaryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        WorkspaceEstimates e;
        auto &ndcg = e.base.metrics[static_cast<size_t>(MetricId::ndcg)];
        ndcg.mean = 0.0312;
        ndcg.half_width = 0.0008;
        ndcg.n = 2000;
        ndcg.off_mode = 900;
        auto &ndcgB = e.reranked.metrics[static_cast<size_t>(MetricId::ndcg)];
        ndcgB.mean = 0.0301;
        ndcgB.half_width = 0.0009;
        ndcgB.n = 2000;
        ndcgB.off_mode = 12; // only 12 users off the most common value: rough
        e.base.sample = e.reranked.sample = 2000;
        e.base.population = e.reranked.population = 1000000;
        model.setEstimates(e);
        QVERIFY(model.showsEstimates());
        int ndcgRow = -1, coverageRow = -1;
        for (int r = 0; r < model.rowCount(); ++r) {
            const QString name = model.index(r, SummaryModel::MetricColumn).data().toString();
            if (name == u"ndcg"_qs)
                ndcgRow = r;
            if (name == u"catalog_coverage"_qs)
                coverageRow = r;
        }
        QVERIFY(ndcgRow >= 0 && coverageRow >= 0);
        QCOMPARE(model.index(ndcgRow, SummaryModel::BaseColumn).data().toString(), u"≈ 0.0312 ± 0.0008"_qs);
        QCOMPARE(model.index(ndcgRow, SummaryModel::RerankedColumn).data().toString(), u"≈ 0.0301 ± 0.0009 (rough)"_qs);
        QCOMPARE(model.index(ndcgRow, SummaryModel::DeltaColumn).data().toString(), u"≈ -0.0011"_qs);
        QCOMPARE(model.index(ndcgRow, SummaryModel::PairedTColumn).data().toString(), u"…"_qs);
        QCOMPARE(model.index(coverageRow, SummaryModel::BaseColumn).data().toString(), u"…"_qs);
        model.setRuns(GlobalRuns {});
        QVERIFY(!model.showsEstimates());
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestItemModels)
#include "tst_itemmodels.moc"
