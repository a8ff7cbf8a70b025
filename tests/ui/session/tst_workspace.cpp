// The Workspace's background runs: a δ sweep is redone when any setting it depends on changes,
// rules included (a rule replaced by another of the same count is a new sweep), and not when only
// δ moves. A search dataset's queries open with a run: the query's list with its grades, no history,
// trec_eval's conventions in the all-request numbers.
#include "core/data/dataset.h"
#include "core/data/queries.h"
#include "ui/session/workspace.h"

#include <QFile>
#include <QTemporaryDir>
#include <cmath>

#include <QSignalSpy>
#include <QTest>

using namespace reclens;
using namespace reclens::ui;

namespace {
const QString kData = QStringLiteral(RECLENS_TEST_DATA "/models/dataset.sqlite");
const QString kModel = QStringLiteral(RECLENS_TEST_DATA "/models/two_tower.pt");
} // namespace

class TestWorkspace : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sweepFollowsRules()
    {
        Workspace ws;
        QSignalSpy sweeps(ws.analysis(), &Analysis::sweepAvailable);
        QSignalSpy errors(&ws, &Workspace::errorOccurred);
        ws.openDataset(kData, { kModel });
        // installSession hands over an empty sweep once (cleared); then the first sweep arrives.
        QTRY_VERIFY_WITH_TIMEOUT(ws.analysis()->sweep().curve.delta.size() == 11, 60000);
        QVERIFY2(errors.isEmpty(), errors.isEmpty() ? "" : qPrintable(errors.first().at(1).toString()));

        auto withRule = [&](int32_t item) {
            WorkspaceSettings s = ws.settings();
            s.rerank.rules = { { MerchRule::Kind::exclude_item, item, 1.0, 0.0, 1 } };
            return s;
        };
        sweeps.clear();
        ws.setSettings(withRule(0));
        QTRY_VERIFY_WITH_TIMEOUT(!sweeps.isEmpty() && !ws.isBusy(), 60000);
        // Another rule, same count: the sweep must run again.
        sweeps.clear();
        ws.setSettings(withRule(1));
        QTRY_VERIFY_WITH_TIMEOUT(!sweeps.isEmpty() && !ws.isBusy(), 60000);
        // Only δ moves: the sweep stays.
        sweeps.clear();
        ws.setDiversity(0.3);
        QTRY_VERIFY_WITH_TIMEOUT(!ws.isBusy(), 60000);
        QTest::qWait(600); // past the debounce
        QTRY_VERIFY_WITH_TIMEOUT(!ws.isBusy(), 60000);
        QVERIFY(sweeps.isEmpty());
    }

    void searchDatasetQueries()
    {
        QTemporaryDir dir;
        auto write = [&](const char *name, const QByteArray &text) {
            QFile f(dir.filePath(QString::fromLatin1(name)));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text);
        };
        write("q.tsv", "q1\tfirst query\nq2\tsecond query\n");
        // q1: i001 graded 2, i002 graded 0, an id the dataset lacks graded 1; q2: i005 graded 3.
        write("q.qrels", "q1 0 i001 2\nq1 0 i002 0\nq1 0 x9 1\nq2 0 i005 3\n");
        write("r.trec", "q1 Q0 i002 1 3 t\nq1 Q0 i001 2 2 t\nq1 Q0 i003 3 1 t\nq2 Q0 i005 1 1 t\n");
        QueryImportOptions o;
        o.base = kData.toStdString();
        o.queries = dir.filePath(QStringLiteral("q.tsv")).toStdString();
        o.qrels = dir.filePath(QStringLiteral("q.qrels")).toStdString();
        o.out = dir.filePath(QStringLiteral("search.sqlite")).toStdString();
        import_queries(o);

        Workspace ws;
        QSignalSpy errors(&ws, &Workspace::errorOccurred);
        ws.openDataset(QString::fromStdString(o.out), {}, QStringLiteral("q1"), { dir.filePath(QStringLiteral("r.trec")) });
        QTRY_VERIFY_WITH_TIMEOUT(ws.analysis()->runs().base != nullptr && !ws.isBusy(), 60000);
        QVERIFY2(errors.isEmpty(), errors.isEmpty() ? "" : qPrintable(errors.first().at(1).toString()));
        QCOMPARE(ws.requestKind(), RequestKind::queries);
        QVERIFY(ws.datasetHasQueries());
        const auto ds = ws.dataset();
        QCOMPARE(ds->request_text[static_cast<size_t>(ws.currentUser())], std::string("first query"));
        const UserView &v = ws.view();
        QVERIFY(v.history.empty());
        QVERIFY(std::find(v.seriesNames.begin(), v.seriesNames.end(), "history") == v.seriesNames.end());
        const ListColumn &c = v.columns.front();
        QCOMPARE(c.items, (std::vector<int32_t>{ ds->find_item("i002"), ds->find_item("i001"), ds->find_item("i003") }));
        QCOMPARE(c.hit, (std::vector<uint8_t>{ 0, 1, 0 }));
        QCOMPARE(c.grade.size(), size_t { 3 });
        QCOMPARE(c.grade[0], 0.0f);
        QCOMPARE(c.grade[1], 2.0f);
        QVERIFY(std::isnan(c.grade[2]));
        // Relevant: i001 and the id the dataset lacks, so recall 1/2 at any K.
        QCOMPARE(c.metrics[MetricId::recall], 0.5);
        QCOMPARE(ws.analysis()->runs().base->conventions, std::string("trec_eval"));
        QCOMPARE(ws.analysis()->runs().base->users.size(), size_t { 2 });

        // Back to users: the run names queries, so it cannot come along (said), and the users show.
        ws.setRequestKind(RequestKind::users);
        QTRY_VERIFY_WITH_TIMEOUT(ws.requestKind() == RequestKind::users && !ws.isBusy(), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!errors.isEmpty(), 10000);
        QVERIFY(ws.sources().empty());
    }

    // The analysis hands each result over whole (payload signals): a page keeps what it is given and
    // never reads it back; busyChanged says when everything rests.
    void resultsArriveAsPayloads()
    {
        Workspace ws;
        GlobalRuns lastRuns;
        SweepResult lastSweep;
        std::vector<RocCurve> lastRoc;
        int runsHanded = 0;
        connect(ws.analysis(), &Analysis::runsAvailable, this, [&](const GlobalRuns &r) {
            lastRuns = r;
            ++runsHanded;
        });
        connect(ws.analysis(), &Analysis::sweepAvailable, this, [&](const SweepResult &s) { lastSweep = s; });
        connect(ws.analysis(), &Analysis::pooledRocAvailable, this, [&](const std::vector<RocCurve> &c) { lastRoc = c; });
        QSignalSpy busy(&ws, &Workspace::busyChanged);
        ws.openDataset(kData, { kModel });
        QTRY_VERIFY_WITH_TIMEOUT(lastRuns.reranked && lastSweep.curve.delta.size() == 11 && !ws.isBusy(), 60000);
        QCOMPARE(lastRuns.reranked, ws.analysis()->runs().reranked); // the very run, not a copy
        QCOMPARE(lastRuns.base, ws.analysis()->runs().base);
        QCOMPARE(lastSweep.curve.y, ws.analysis()->sweep().curve.y);
        QCOMPARE(lastRoc.size(), size_t { 1 });
        QVERIFY(!lastRoc[0].fpr.empty());
        QVERIFY(busy.size() >= 2);
        QCOMPARE(busy.last().at(0).toBool(), false);
        // A new δ: the stale runs are not handed over again until the new ones are measured.
        const int before = runsHanded;
        ws.setDiversity(0.9);
        QTRY_VERIFY_WITH_TIMEOUT(runsHanded > before && lastRuns.reranked->rerank.diversity == 0.9, 60000);
        QVERIFY(ws.analysis()->runsAreCurrent());
    }

    // A session saved with a dataset and no model yet opens again (its options resolved without a
    // primary source), with nothing to analyse.
    void sessionWithoutSources()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bare.reclens"));
        {
            Workspace ws;
            ws.openDataset(kData);
            QTRY_VERIFY_WITH_TIMEOUT(ws.dataset() != nullptr && !ws.isBusy(), 60000);
            QVERIFY(ws.sources().empty());
            write_session(ws.session(), path.toStdString());
        }
        Workspace ws;
        QSignalSpy opened(&ws, &Workspace::sessionOpened);
        QSignalSpy errors(&ws, &Workspace::errorOccurred);
        ws.openSession(path);
        QTRY_VERIFY_WITH_TIMEOUT(opened.size() == 1 && !ws.isBusy(), 60000);
        QVERIFY2(errors.isEmpty(), errors.isEmpty() ? "" : qPrintable(errors.first().at(1).toString()));
        QVERIFY(ws.dataset() != nullptr);
        QVERIFY(ws.sources().empty());
        QVERIFY(!ws.analysis()->runs().base);
    }
};

QTEST_MAIN(TestWorkspace)
#include "tst_workspace.moc"
