// The whole window, offscreen: open the sample data, select a user, move the δ slider and check
// that lists, plots and metrics follow; δ = 0 gives identical lists; broken files give an error
// dialog and the app keeps working.
#include "ui/plots/categoryplot.h"
#include "ui/plots/plotstyle.h"
#include "ui/plots/diversityplot.h"
#include "ui/pages/inspectpage.h"
#include "ui/pages/plotdeck.h"
#include "ui/mainwindow.h"
#include "ui/models/rankinglistmodel.h"
#include "ui/widgets/rerankpanel.h"
#include "ui/plots/rocplot.h"
#include "ui/plots/tradeoffplot.h"
#include "ui/pages/userspage.h"
#include "ui/models/usertablemodel.h"
#include "ui/session/workspace.h"

#include <QComboBox>
#include <QHeaderView>
#include <QStyle>
#include <QFile>
#include <QMessageBox>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace reclens;
using namespace reclens::ui;

namespace
{
const QString kSample = QStringLiteral(RECLENS_BINARY_DIR "/sample_data");

std::vector<int32_t> items(const MainWindow &w, int column)
{
    const RankingListModel *m = w.inspectPage()->listModel(column);
    return m->list().items;
}

void closeErrorDialog(MainWindow &w)
{
    if (w.errorDialog())
        w.errorDialog()->close();
    QTRY_VERIFY(!w.errorDialog());
}
} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void brokenDatasetShowsError()
    {
        QTemporaryDir dir;
        const QString broken = dir.filePath(QStringLiteral("broken.sqlite"));
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not a SQLite database\n");
        f.close();
        MainWindow w;
        w.show();
        QSignalSpy errors(&w, &MainWindow::errorShown);
        w.openDataset(broken);
        QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 1, 20000);
        QVERIFY(w.errorDialog());
        QVERIFY2(w.errorDialog()->text().contains(u"broken.sqlite"_qs), qPrintable(w.errorDialog()->text()));
        QVERIFY(!w.workspace()->dataset());
        closeErrorDialog(w);
        // Still usable: a missing file is one more clear error, not a crash.
        w.openDataset(dir.filePath(QStringLiteral("missing.sqlite")));
        QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 2, 20000);
    }

    // DESIGN §7, "Readable where people work": at a laptop's 1366x768 and at 1920x1080, with two,
    // three and four lists, every list shows each of its titles to the twentieth character (the
    // title column is at least as wide as that prefix in the font in use, plus the cell's margins),
    // and the window fits the screen.
    void listsReadableAtEverySize_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<int>("compared"); // sources shown beside the primary's two lists
        for (const QSize size : { QSize(1366, 768), QSize(1920, 1080) })
            for (int compared : { 0, 1, 2 })
                QTest::addRow("%dx%d, %d lists", size.width(), size.height(), 2 + compared) << size << compared;
    }

    void listsReadableAtEverySize()
    {
        QFETCH(QSize, size);
        QFETCH(int, compared);
        const QString dataset = kSample + u"/completejourney.sqlite"_qs;
        const QStringList models { kSample + u"/completejourney-itemknn.pt"_qs, kSample + u"/completejourney-popularity.pt"_qs,
                                   kSample + u"/completejourney-bpr.pt"_qs };
        const QStringList needed = QStringList(models) << dataset;
        for (const QString &f : needed)
            if (!QFile::exists(f))
                QSKIP("sample data not built: run the 'sample_data' target (needs ../shared/datasets)");
        MainWindow w;
        w.resize(size);
        w.show();
        w.openDataset(dataset, models);
        Workspace *ws = w.workspace();
        QTRY_VERIFY_WITH_TIMEOUT(ws->view().user >= 0, 60000);
        WorkspaceSettings settings = ws->settings();
        settings.compared.clear();
        for (int s = 1; s <= compared; ++s)
            settings.compared.push_back(s);
        ws->setSettings(settings);
        const int lists = 2 + compared;
        QTRY_COMPARE_WITH_TIMEOUT(static_cast<int>(ws->view().columns.size()), lists, 30000);
        InspectPage *page = w.inspectPage();
        QTRY_COMPARE(page->listRowLayout().gaveWay >= 0 && page->listModel(lists - 1)->rowCount() > 0, true);
        QApplication::processEvents();
        // Nothing's minimum size made the window grow past the screen.
        QVERIFY2(w.height() <= size.height() && w.width() <= size.width(),
                 qPrintable(QStringLiteral("window %1x%2").arg(w.width()).arg(w.height())));
        int narrowest = 1 << 30;
        for (int c = 0; c < lists; ++c) {
            QTableView *table = page->listTable(c);
            QVERIFY(table->isVisible());
            const QFontMetrics fm(table->font());
            const int margins = 2 * (table->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, table) + 1);
            const int column = table->columnWidth(RankingListModel::TitleColumn);
            QVERIFY(!table->isColumnHidden(RankingListModel::TitleColumn));
            // The title column is whole in the viewport: no horizontal scrolling to read it.
            QVERIFY(table->columnViewportPosition(RankingListModel::TitleColumn) + column <= table->viewport()->width());
            const RankingListModel *m = page->listModel(c);
            for (int r = 0; r < m->rowCount(); ++r) {
                const QString title = m->index(r, RankingListModel::TitleColumn).data().toString();
                const int need = fm.horizontalAdvance(title.left(InspectPage::kTitleChars)) + margins;
                QVERIFY2(column >= need, qPrintable(QStringLiteral("list %1, row %2 \"%3\": column %4 px, its first %5 "
                                                                   "characters need %6 px")
                                                        .arg(c).arg(r).arg(title).arg(column)
                                                        .arg(InspectPage::kTitleChars).arg(need)));
            }
            narrowest = std::min(narrowest, column);
        }
        // Plots that do not hide their data: no legend over the axes, no value label over another.
        for (QCustomPlot *plot : std::initializer_list<QCustomPlot *> { page->categoryPlot(), page->diversityPlot(), page->rocPlot() }) {
            plot->replot(QCustomPlot::rpImmediateRefresh);
            QVERIFY2(legendOutsideData(plot), qPrintable(plot->objectName() + u" legend over its data"_qs));
        }
        const QList<QCPItemText *> labels = page->diversityPlot()->valueLabels();
        QVERIFY(!labels.isEmpty());
        for (qsizetype a = 0; a < labels.size(); ++a)
            for (qsizetype b = a + 1; b < labels.size(); ++b) {
                if (!labels[a]->visible() || !labels[b]->visible())
                    continue;
                const QRectF ra(labels[a]->topLeft->pixelPosition(), labels[a]->bottomRight->pixelPosition());
                const QRectF rb(labels[b]->topLeft->pixelPosition(), labels[b]->bottomRight->pixelPosition());
                QVERIFY2(!ra.intersects(rb), qPrintable(labels[a]->text() + u" overlaps "_qs + labels[b]->text()));
            }
        qInfo("%dx%d, %d lists: title columns >= %d px (20 characters need %d), %d columns gave way, plots %s",
              size.width(), size.height(), lists, narrowest, page->titleNeed(), page->listRowLayout().gaveWay,
              page->plotDeck()->tabbed() ? "in tabs" : "2 x 2");
        ws->cancelAll();
        ws->waitForJobs();
    }

    void sampleDataSliderAndErrors()
    {
        const QString dataset = kSample + u"/completejourney.sqlite"_qs;
        const QString bpr = kSample + u"/completejourney-bpr.pt"_qs;
        const QString pop = kSample + u"/completejourney-popularity.pt"_qs;
        if (!QFile::exists(dataset) || !QFile::exists(bpr))
            QSKIP("sample data not built: run the 'sample_data' target (needs ../shared/datasets)");
        MainWindow w;
        w.resize(1600, 1000);
        w.show();
        QSignalSpy errors(&w, &MainWindow::errorShown);
        w.openDataset(dataset, QFile::exists(pop) ? QStringList { bpr, pop } : QStringList { bpr });
        Workspace *ws = w.workspace();
        QTRY_VERIFY_WITH_TIMEOUT(ws->view().user >= 0, 60000);
        QCOMPARE(errors.size(), 0);

        // Select another evaluated user through the users table.
        UsersPage *users = w.usersPage();
        QTableView *table = users->view();
        QTRY_VERIFY(table->model()->rowCount() > 2);
        const int32_t before = ws->currentUser();
        table->setCurrentIndex(table->model()->index(1, 0));
        QTRY_VERIFY(ws->currentUser() != before);
        const int32_t user = ws->currentUser();
        QCOMPARE(ws->view().user, user);

        // δ = 0: the re-ranked list is the model order.
        QSlider *slider = w.rerankPanel()->diversitySlider();
        slider->setValue(0);
        QTRY_COMPARE(ws->settings().rerank.diversity, 0.0);
        QVERIFY(!items(w, 0).empty());
        QCOMPARE(items(w, 1), items(w, 0));
        const QList<double> barsAt0 = w.inspectPage()->categoryPlot()->seriesValues(2);
        const QList<double> diversityAt0 = w.inspectPage()->diversityPlot()->seriesValues(1);
        const QStringList rocAt0 = w.inspectPage()->rocPlot()->legendTexts();
        QCOMPARE(diversityAt0, w.inspectPage()->diversityPlot()->seriesValues(0));

        // The first measured move comes when the window has settled, as a person's first move does:
        // right after the move to 0 the all-user results it restarted are still arriving, and
        // their tables repaint inside the next move's time.
        bool settled = false;
        w.whenReady([&settled](bool) { settled = true; });
        QTRY_VERIFY_WITH_TIMEOUT(settled, 120000);

        // Strong diversification changes the list, the bars and the diversity scores.
        QSignalSpy latency(&w, &MainWindow::sliderLatencyMeasured);
        InspectPage *page = w.inspectPage();
        auto timings = [&](int step) {
            qInfo("slider to %d: %.1f ms (user view %.1f ms, view + widgets %.1f ms; replots %.1f/%.1f/%.1f/%.1f ms)",
                step, latency.last().first().toDouble(), ws->view().elapsedMs, page->lastApplyMs(),
                page->categoryPlot()->replotTime(), page->diversityPlot()->replotTime(), page->rocPlot()->replotTime(),
                page->tradeoffPlot()->replotTime());
        };
        slider->setValue(90);
        QTRY_COMPARE(latency.size(), 1);
        timings(90);
        // The first move is held to the same bound as the best of the later ones.
        const double firstMove = latency.first().first().toDouble();
        qInfo("first slider move -> lists and plots updated: %.1f ms", firstMove);
        QVERIFY2(firstMove < 250, qPrintable(QString::number(firstMove))); // target 50 ms; generous for loaded CI
        // More steps, as a user dragging the slider makes them; the best of them is the steady cost.
        double best = firstMove;
        for (int v : { 70, 50, 30, 90 }) {
            const qsizetype measured = latency.size();
            slider->setValue(v);
            QTRY_COMPARE(latency.size(), measured + 1);
            timings(v);
            best = std::min(best, latency.last().first().toDouble());
        }
        qInfo("slider move -> lists and plots updated: best %.1f ms", best);
        QVERIFY2(best < 250, qPrintable(QString::number(best))); // target 50 ms; generous for loaded CI machines
        QVERIFY(items(w, 1) != items(w, 0));
        QCOMPARE(items(w, 0).size(), items(w, 1).size());
        QVERIFY(
            page->categoryPlot()->seriesValues(2) != barsAt0 || page->diversityPlot()->seriesValues(1) != diversityAt0);
        QVERIFY(page->diversityPlot()->seriesValues(1) != diversityAt0);
        // The re-ranked ROC changes when a promoted item passes one of the user's test items; find
        // such a user among the first evaluated ones (a user whose test items all rank far below the
        // candidate pool keeps the same curve, rightly).
        QVERIFY(!rocAt0.isEmpty());
        bool rocMoved = false;
        for (int row = 0; row < std::min(60, table->model()->rowCount()) && !rocMoved; ++row) {
            ws->selectUser(table->model()->index(row, 0).data(UserTableModel::UserIndexRole).toInt());
            const auto &cols = ws->view().columns;
            rocMoved = cols.size() > 1 && cols[0].roc.auc != cols[1].roc.auc;
        }
        QVERIFY2(rocMoved, "no user among the first 60 whose re-ranked ROC differs at δ 0.9");
        const QStringList legend = page->rocPlot()->legendTexts();
        QVERIFY(legend.size() >= 2);
        QVERIFY(legend[0].endsWith(QString::number(ws->view().columns[0].roc.auc, 'f', 3)));
        QVERIFY(legend[1].endsWith(QString::number(ws->view().columns[1].roc.auc, 'f', 3)));
        const RankingListModel *reranked = w.inspectPage()->listModel(1);
        bool moved = false;
        for (int r = 0; r < reranked->rowCount(); ++r) {
            const QString move = reranked->index(r, RankingListModel::MoveColumn).data().toString();
            moved = moved || move != u"–"_qs;
        }
        QVERIFY(moved);

        // Global metrics arrive in the background; the users table gets metrics and deltas.
        QTRY_VERIFY_WITH_TIMEOUT(ws->analysis()->runs().reranked && ws->analysis()->runs().reranked->rerank.diversity == 0.9, 120000);
        UserTableModel *model = users->model();
        const int ndcg = UserTableModel::metricColumn(MetricId::ndcg);
        QVERIFY(!std::isnan(model->index(user, ndcg).data(UserTableModel::SortRole).toDouble()));
        users->showWorstFirst(u"ndcg"_qs);
        const double first = table->model()->index(0, ndcg).data(UserTableModel::SortRole).toDouble();
        const double last
            = table->model()->index(table->model()->rowCount() - 1, ndcg).data(UserTableModel::SortRole).toDouble();
        QVERIFY(first <= last || std::isnan(last));

        // A file that is not TorchScript: an error dialog, and the session keeps working.
        QTemporaryDir dir;
        const QString bad = dir.filePath(QStringLiteral("not-a-model.pt"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("PK not really a model");
        f.close();
        const size_t modelsBefore = ws->sources().size();
        ws->addModel(bad);
        QTRY_VERIFY_WITH_TIMEOUT(errors.size() >= 1, 20000);
        QVERIFY(w.errorDialog());
        QVERIFY2(w.errorDialog()->text().contains(u"not-a-model.pt"_qs), qPrintable(w.errorDialog()->text()));
        QCOMPARE(ws->sources().size(), modelsBefore);
        closeErrorDialog(w);
        slider->setValue(0);
        QTRY_COMPARE(items(w, 1), items(w, 0));
        ws->cancelAll();
        ws->waitForJobs();
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
