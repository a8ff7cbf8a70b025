// The report (DESIGN §10), offscreen, on the sample data: the PDF has a title page, the all-user
// metrics, the trade-off page and one page per story user, read back with poppler's pdfinfo and
// pdftotext (the story users' headlines and notes, the rule, every metric, the numbers of the
// all-user run); the HTML is one file with every plot embedded and nothing loaded from elsewhere; a
// report over an open file or before the numbers are in is refused with one line. It is written in
// the background: exportReport returns before it is done, the window handles events meanwhile, and
// a cancelled report leaves neither the file nor a temporary behind.
#include "core/analysis/session.h"
#include "ui/exports/reportjob.h"
#include "ui/mainwindow.h"
#include "ui/widgets/rulespanel.h"
#include "ui/session/workspace.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTableWidget>
#include <QMessageBox>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <cmath>

using namespace reclens;
using namespace reclens::ui;

namespace
{
const QString kSample = QStringLiteral(RECLENS_BINARY_DIR "/sample_data");

QString run(const QString &program, const QStringList &args)
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        return {};
    return QString::fromUtf8(p.readAllStandardOutput());
}

QString metricText(double v)
{
    return QString::number(v, 'f', 4);
}

// Generous: the writing shares the machine with whatever else runs.
constexpr int kReportTimeoutMs = 180000;
} // namespace

class TestReport : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    MainWindow *m_window = nullptr;

    // The report's outcome: refused at once, or the error reportFinished gives (empty: written).
    QString writeReport(const QString &path)
    {
        QSignalSpy finished(m_window, &MainWindow::reportFinished);
        const QString refused = m_window->exportReport(path);
        if (!refused.isEmpty())
            return refused;
        if (!QTest::qWaitFor([&finished] { return !finished.isEmpty(); }, kReportTimeoutMs))
            return u"no reportFinished"_qs;
        if (finished.at(0).at(0).toString() != path)
            return u"reportFinished for another path: "_qs + finished.at(0).at(0).toString();
        return finished.at(0).at(1).toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        if (qEnvironmentVariableIsSet("RECLENS_KEEP_REPORT"))
            m_dir.setAutoRemove(false);
        const QString data = kSample + u"/completejourney.sqlite"_qs;
        const QString knn = kSample + u"/completejourney-itemknn.pt"_qs;
        const QString pop = kSample + u"/completejourney-popularity.pt"_qs;
        if (!QFile::exists(data) || !QFile::exists(knn) || !QFile::exists(pop))
            QSKIP("sample data not built: run the 'sample_data' target (needs ../shared/datasets)");
        if (run(u"pdfinfo"_qs, { u"-v"_qs }).isNull() && QStandardPaths::findExecutable(u"pdfinfo"_qs).isEmpty())
            QSKIP("pdfinfo (poppler-utils) not installed: .ci/install-deps installs it");
        m_window = new MainWindow;
        m_window->resize(1500, 950);
        m_window->show();
        // Before anything is open, a report is refused with one line.
        QVERIFY(m_window->exportReport(m_dir.filePath(u"early.pdf"_qs)).contains(u"open a dataset"_qs));
        if (m_window->errorDialog())
            m_window->errorDialog()->close();
        m_window->openDataset(data, { knn, pop });
        Workspace *ws = m_window->workspace();
        QTRY_VERIFY_WITH_TIMEOUT(ws->view().user >= 0 && ws->analysis()->runs().reranked && !ws->isBusy(), 180000);
        WorkspaceSettings s = ws->settings();
        s.rerank.method = RerankMethod::mmr;
        s.rerank.diversity = 0.5;
        s.rerank.similarity = SimilarityKind::category;
        s.compared = { 1 };
        MerchRule bury;
        bury.kind = MerchRule::Kind::bury_category;
        bury.target = ws->dataset()->top_category(ws->view().columns.front().items.front());
        bury.factor = 2;
        s.rerank.rules = { bury };
        ws->setSettings(s);
        ws->pinUser(u"1"_qs, u"a regular: MMR brings in other aisles"_qs);
        ws->pinUser(u"2385"_qs, u"a big basket"_qs);
        const Analysis *analysis = ws->analysis();
        QTRY_VERIFY_WITH_TIMEOUT(analysis->runs().reranked && analysis->runs().reranked->rerank.diversity == 0.5
                && analysis->runs().others.size() == 1 && !ws->isBusy() && !analysis->sweep().curve.delta.empty()
                && analysis->ruleCosts(),
            240000);
    }
    void cleanupTestCase()
    {
        if (m_window) {
            m_window->reportJob()->waitForFinished();
            m_window->workspace()->waitForJobs();
        }
        delete m_window;
    }

    void pdf()
    {
        const QString path = m_dir.filePath(u"report.pdf"_qs);
        QCOMPARE(writeReport(path), QString());
        const QString info = run(u"pdfinfo"_qs, { path });
        // title, the metrics (the compared source's table runs onto a second page), the models as points,
        // the trade-off, 2 story users
        QVERIFY2(info.contains(QRegularExpression(u"Pages:\\s+7\\b"_qs)), qPrintable(info));
        QVERIFY2(info.contains(u"842 x 595 pts (A4)"_qs), qPrintable(info));
        const QString text = run(u"pdftotext"_qs, { u"-layout"_qs, path, u"-"_qs });
        const auto ds = m_window->workspace()->dataset();
        const EvaluationResult &base = *m_window->workspace()->analysis()->runs().base;
        const EvaluationResult &mmr = *m_window->workspace()->analysis()->runs().reranked;
        const QString rule = QString::fromStdString(ds->categories[static_cast<size_t>(
            m_window->workspace()->settings().rerank.rules[0].target)].name);
        for (const QString &expected : QStringList { u"RecLens report"_qs, u"bury category "_qs + rule + u" × 2"_qs,
                 u"All users: model order vs re-ranked"_qs, u"What diversity costs"_qs,
                 u"1. Shopper 1"_qs, u"a regular: MMR brings in other aisles"_qs, u"2. Shopper 2385"_qs,
                 u"a big basket"_qs, u"personalization"_qs, u"calibration_kl"_qs, u"What each rule costs"_qs,
                 metricText(base.metrics.at("ndcg")), metricText(mmr.metrics.at("ndcg")),
                 metricText(mmr.metrics.at("ild_category")),
                 u"Every other source vs the model order"_qs, u"(Holm)"_qs, u"(raw)"_qs,
                 metricText(m_window->workspace()->analysis()->runs().others.at(0)->metrics.at("ndcg")) }) {
            QVERIFY2(text.contains(expected), qPrintable(u"missing in the PDF: "_qs + expected));
        }
        // The story pages start on their own pages, in the story's order.
        const QStringList pages = text.split(u'\f');
        QVERIFY(pages.size() >= 7);
        QVERIFY(pages[3].contains(u"Accuracy against variety: the models as points"_qs));
        QVERIFY(pages[5].contains(u"1. Shopper 1 "_qs));
        QVERIFY(pages[6].contains(u"2. Shopper 2385"_qs));
    }

    void html()
    {
        const QString path = m_dir.filePath(u"report.html"_qs);
        QCOMPARE(writeReport(path), QString());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString html = QString::fromUtf8(f.readAll());
        QVERIFY(html.startsWith(u"<!DOCTYPE html>"_qs));
        // Every image inside the file: the two models-as-points plots and the all-user category mix,
        // the trade-off, and (category mix + diversity) per story user.
        QCOMPARE(html.count(u"src='data:image/png;base64,"_qs), 3 + 1 + 2 * 2);
        QVERIFY(!html.contains(u"src='http"_qs) && !html.contains(u"src='file"_qs) && !html.contains(u"<link"_qs));
        QCOMPARE(html.count(u"<section>"_qs), 6); // title, metrics, models as points, trade-off, 2 story users
        QVERIFY(html.contains(u"a regular: MMR brings in other aisles"_qs));
        QVERIFY(html.contains(metricText(m_window->workspace()->analysis()->runs().reranked->metrics.at("ndcg"))));
    }

    void ruleCostPanel()
    {
        // The Rules panel shows what the rule alone costs, and it is what reclens-cli evaluate
        // --session gives with the rule minus without it.
        Workspace *ws = m_window->workspace();
        QVERIFY(ws->analysis()->ruleCosts() && ws->analysis()->ruleCosts()->rules.size() == 1);
        const RuleCost &cost = ws->analysis()->ruleCosts()->rules[0];
        QTableWidget *table = m_window->rulesPanel()->table();
        QCOMPARE(table->rowCount(), 1);
        QCOMPARE(table->item(0, 3)->text(), (cost.ndcg > 0 ? u"+"_qs : QString()) + QString::number(cost.ndcg, 'f', 4));
        QVERIFY(table->item(0, 3)->toolTip().contains(u"activity"_qs));
        const QString with = m_dir.filePath(u"with.reclens"_qs), without = m_dir.filePath(u"without.reclens"_qs);
        QVERIFY(m_window->saveSession(with));
        Session s = read_session(with.toStdString());
        s.rules.clear();
        write_session(s, without.toStdString());
        auto ndcg = [this](const QString &session) {
            const QString json = session + u".json"_qs;
            QProcess cli;
            cli.start(QStringLiteral(RECLENS_BINARY_DIR "/app/cli/reclens-cli"),
                { u"evaluate"_qs, u"--session"_qs, session, u"--no-auc"_qs, u"--json"_qs, json });
            if (!cli.waitForFinished(180000) || cli.exitCode() != 0)
                return kNaN;
            QFile f(json);
            f.open(QIODevice::ReadOnly);
            return QJsonDocument::fromJson(f.readAll()).object().value(u"metrics"_qs).toObject().value(u"ndcg"_qs).toDouble();
        };
        const double a = ndcg(with), b = ndcg(without);
        QVERIFY(!std::isnan(a) && !std::isnan(b));
        QVERIFY2(std::abs((a - b) - cost.ndcg) < 1e-12,
            qPrintable(QString::number(a - b, 'g', 17) + u" vs "_qs + QString::number(cost.ndcg, 'g', 17)));
        QVERIFY(std::abs(cost.ndcg) > 1e-6); // the rule does something here
    }

    void refusals()
    {
        const QString dataset = QString::fromStdString(m_window->workspace()->dataset()->path);
        const QString link = m_dir.filePath(u"data.pdf"_qs);
        QVERIFY(QFile::link(dataset, link));
        QString e = m_window->exportReport(link);
        QVERIFY2(e.contains(u"same file"_qs), qPrintable(e));
        if (m_window->errorDialog())
            m_window->errorDialog()->close();
        e = m_window->exportReport(m_dir.filePath(u"report.docx"_qs));
        QVERIFY2(e.contains(u".pdf or .html"_qs), qPrintable(e));
        if (m_window->errorDialog())
            m_window->errorDialog()->close();
    }

    void writesInTheBackground()
    {
        // exportReport returns before the report is written (reportFinished comes later, from the
        // event loop), and the window handles events meanwhile: a zero timer set right after it
        // fires before reportFinished, and the progress of each page arrives before it too.
        const QString path = m_dir.filePath(u"background.pdf"_qs);
        QSignalSpy finished(m_window, &MainWindow::reportFinished);
        QSignalSpy started(m_window->reportJob(), &ReportJob::started);
        QSignalSpy progress(m_window->reportJob(), &ReportJob::progressChanged);
        QElapsedTimer clock;
        clock.start();
        QCOMPARE(m_window->exportReport(path), QString());
        const qint64 returnedMs = clock.elapsed();
        int finishedWhenTicked = -1;
        QObject tick; // gone, and the timer with it, if this test returns early
        QTimer::singleShot(0, &tick, [&finished, &finishedWhenTicked] { finishedWhenTicked = int(finished.size()); });
        QCOMPARE(finished.size(), 0);
        QCOMPARE(started.size(), 1);
        QVERIFY(m_window->reportJob()->isRunning());
        // One report at a time: a second is refused with one line while the first goes on.
        const QString second = m_dir.filePath(u"second.pdf"_qs);
        const QString refused = m_window->exportReport(second);
        QVERIFY2(refused.contains(u"being written"_qs), qPrintable(refused));
        if (m_window->errorDialog())
            m_window->errorDialog()->close();

        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kReportTimeoutMs);
        const qint64 writtenMs = clock.elapsed();
        QCOMPARE(finished.at(0).at(0).toString(), path);
        QCOMPARE(finished.at(0).at(1).toString(), QString());
        QCOMPARE(finishedWhenTicked, 0);
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().at(0).toDouble(), 1.0);
        QVERIFY(QFile::exists(path) && !QFile::exists(second));
        QVERIFY(!m_window->reportJob()->isRunning());
        qInfo("exportReport returned after %lld ms, the report was written after %lld ms", returnedMs, writtenMs);
        QVERIFY(returnedMs <= writtenMs);
    }

    void cancel_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addRow("pdf") << u"cancelled.pdf"_qs;
        QTest::addRow("html") << u"cancelled.html"_qs;
    }
    void cancel()
    {
        QFETCH(QString, name);
        // A folder of its own: "nothing left" then means nothing at all, temporaries included.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(name);
        QSignalSpy finished(m_window, &MainWindow::reportFinished);
        QCOMPARE(m_window->exportReport(path), QString());
        QVERIFY(m_window->reportJob()->isRunning());
        m_window->reportJob()->cancel();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kReportTimeoutMs);
        QCOMPARE(finished.at(0).at(0).toString(), path);
        QCOMPARE(finished.at(0).at(1).toString(), u"cancelled"_qs);
        QVERIFY(!m_window->reportJob()->isRunning());
        QVERIFY(!m_window->errorDialog() || !m_window->errorDialog()->isVisible()); // cancelling is no error
        const QStringList left
            = QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
        QVERIFY2(left.isEmpty(), qPrintable(left.join(u", "_qs)));
        // The next one is written as usual.
        QCOMPARE(writeReport(path), QString());
        QVERIFY(QFile::exists(path));
    }
};

QTEST_MAIN(TestReport)
#include "tst_report.moc"
