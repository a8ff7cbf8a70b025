// Sessions in the window, offscreen, on the sample data (DESIGN §10): a session saved in the GUI and
// reopened in a fresh window shows the same user, lists, rules, story and numbers; reclens-cli
// evaluate --session prints the same all-user metrics; the title bar marks unsaved changes; broken,
// truncated and newer session files get an error dialog; changed and moved files are named, and a
// moved file is used only once located (and recognised by its SHA-256).
#include "core/analysis/session.h"
#include "ui/mainwindow.h"
#include "ui/models/rankinglistmodel.h"
#include "ui/pages/inspectpage.h"
#include "ui/plots/rocplot.h"
#include "ui/session/workspace.h"
#include "ui/widgets/storypanel.h"

#include <QComboBox>
#include <QDebug>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace reclens;
using namespace reclens::ui;

namespace
{
const QString kSample = QStringLiteral(RECLENS_BINARY_DIR "/sample_data");
const QString kCli = QStringLiteral(RECLENS_BINARY_DIR "/app/cli/reclens-cli");

std::vector<int32_t> items(const MainWindow &w, int column) { return w.inspectPage()->listModel(column)->list().items; }

// Waits until the window shows a user and the all-user run for the current settings is in.
bool settled(MainWindow &w, double delta, int timeoutMs = 180000)
{
    Workspace *ws = w.workspace();
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        QTest::qWait(50);
        if (ws->view().user >= 0 && ws->runs().reranked && ws->runs().reranked->rerank.diversity == delta
            && !ws->evaluationJobs()->isRunning() && !ws->loadJobs()->isRunning())
            return true;
    }
    return false;
}

// Every metric of the window's run equals the CLI's JSON (1e-12 relative; undefined = null).
bool sameMetrics(const QJsonObject &cli, const std::map<std::string, double> &window)
{
    bool same = true;
    for (const auto &[name, value] : window) {
        const QJsonValue v = cli.value(QString::fromStdString(name));
        const bool ok = std::isnan(value) ? v.isNull()
                                          : std::abs(v.toDouble() - value) <= 1e-12 * std::max(1.0, std::abs(value));
        if (!ok)
            qWarning().noquote() << QString::fromStdString(name) << u"CLI"_qs << QString::number(v.toDouble(), 'g', 17)
                                 << u"window"_qs << QString::number(value, 'g', 17);
        same = same && ok;
    }
    return same;
}

// reclens-cli evaluate --session S --json S.json, read back (empty when it fails; its stderr is logged).
QJsonObject evaluateSession(const QString &session)
{
    const QString json = session + u".json"_qs;
    QProcess cli;
    cli.start(kCli, { u"evaluate"_qs, u"--session"_qs, session, u"--json"_qs, json });
    if (!cli.waitForFinished(180000) || cli.exitCode() != 0) {
        qWarning().noquote() << cli.readAllStandardError();
        return {};
    }
    QFile f(json);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject {};
}

void copyFile(const QString &from, const QString &to)
{
    QFile::remove(to);
    QVERIFY2(QFile::copy(from, to), qPrintable(from + u" -> "_qs + to));
}
} // namespace

class TestSessionWindow : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_bpr, m_pop, m_dataset;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_dataset = kSample + u"/completejourney.sqlite"_qs;
        m_bpr = kSample + u"/completejourney-bpr.pt"_qs;
        m_pop = kSample + u"/completejourney-popularity.pt"_qs;
        if (!QFile::exists(m_dataset) || !QFile::exists(m_bpr) || !QFile::exists(m_pop))
            QSKIP("sample data not built: run the 'sample_data' target (needs ../shared/datasets)");
    }

    void saveReopenAndEvaluate()
    {
        const QString path = m_dir.filePath(u"story.reclens"_qs);
        Session saved;
        std::vector<int32_t> modelOrder, reranked;
        std::map<std::string, double> metrics;
        {
            MainWindow w;
            w.resize(1400, 900);
            w.show();
            Workspace *ws = w.workspace();
            w.openDataset(m_dataset, { m_bpr, m_pop });
            QVERIFY(settled(w, ws->settings().rerank.diversity));
            QVERIFY(!w.isWindowModified());
            // Settings, a rule, a user, two story users with notes, a plot level.
            const auto ds = ws->dataset();
            const int32_t user = ws->currentUser();
            const QString id = QString::fromStdString(ds->user_external[static_cast<size_t>(user)]);
            WorkspaceSettings s = ws->settings();
            s.rerank.method = RerankMethod::mmr;
            s.rerank.diversity = 0.4;
            s.rerank.similarity = SimilarityKind::category;
            MerchRule boost;
            boost.kind = MerchRule::Kind::boost_category;
            boost.target = ds->top_category(items(w, 0).at(3));
            boost.factor = 1.7;
            s.rerank.rules = { boost };
            ws->setSettings(s);
            QVERIFY(w.isWindowModified());
            QVERIFY2(w.windowTitle().contains(u"[*]"_qs), qPrintable(w.windowTitle()));
            ws->pinUser(id, u"the most test hits"_qs);
            const QString other = QString::fromStdString(ds->user_external[static_cast<size_t>(user == 0 ? 1 : 0)]);
            ws->pinUser(other);
            ws->setStoryNote(1, u"a second look"_qs);
            QCOMPARE(w.storyPanel()->list()->count(), 2);
            ws->setBarsLevel(2);
            ws->selectUserById(id);
            QVERIFY(settled(w, 0.4));
            // The ROC over the candidate pool, where re-ranking acts: it is labelled, and there the
            // re-ranked list's AUC differs from the model order's (over all items both are ~equal).
            ws->setRocScope(Workspace::RocScope::pool);
            QCOMPARE(w.inspectPage()->rocScopeBox()->currentIndex(), 1);
            const ListColumn &base = ws->view().columns.at(0), &mmr = ws->view().columns.at(1);
            QVERIFY(std::abs(base.poolRoc.auc - mmr.poolRoc.auc) > 1e-6);
            const QStringList legend = w.inspectPage()->rocPlot()->legendTexts();
            QVERIFY2(legend.size() == 2 && legend[1].contains(QString::number(mmr.poolRoc.auc, 'f', 3)),
                qPrintable(legend.join(u" | "_qs)));
            QVERIFY(w.saveSession(path));
            QVERIFY(!w.isWindowModified());
            QVERIFY2(w.windowTitle().startsWith(u"story.reclens"_qs), qPrintable(w.windowTitle()));
            saved = read_session(path.toStdString());
            QCOMPARE(saved.user, id.toStdString());
            QCOMPARE(saved.rules.size(), size_t(1));
            QCOMPARE(saved.story.size(), size_t(2));
            QCOMPARE(saved.story[1].note, std::string("a second look"));
            modelOrder = items(w, 0);
            reranked = items(w, 1);
            QVERIFY(modelOrder != reranked);
            metrics = ws->runs().reranked->metrics;
            ws->cancelAll();
            ws->waitForJobs();
        }
        // A fresh window shows the same user, lists, rules, story and numbers.
        {
            MainWindow w;
            w.resize(1400, 900);
            w.show();
            Workspace *ws = w.workspace();
            QSignalSpy opened(ws, &Workspace::sessionOpened);
            w.openSession(path);
            QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 60000);
            QVERIFY(settled(w, 0.4));
            QCOMPARE(ws->dataset()->user_external[static_cast<size_t>(ws->currentUser())], saved.user);
            QCOMPARE(items(w, 0), modelOrder);
            QCOMPARE(items(w, 1), reranked);
            QCOMPARE(ws->settings().rerank.rules.size(), size_t(1));
            QCOMPARE(ws->settings().rerank.rules[0].factor, 1.7);
            QCOMPARE(ws->story().size(), size_t(2));
            QCOMPARE(w.storyPanel()->list()->count(), 2);
            QCOMPARE(ws->barsLevel(), 2);
            QCOMPARE(ws->rocScope(), Workspace::RocScope::pool);
            QCOMPARE(w.inspectPage()->rocScopeBox()->currentIndex(), 1);
            QCOMPARE(ws->runs().reranked->metrics, metrics);
            QVERIFY(!w.isWindowModified());
            QVERIFY(ws->session() == saved || [&] {
                Session now = ws->session();
                now.page = saved.page;
                return now == saved;
            }());
            ws->cancelAll();
            ws->waitForJobs();
        }
        // reclens-cli evaluate --session prints the numbers the window showed.
        if (!QFile::exists(kCli))
            QSKIP("reclens-cli not built");
        const QJsonObject out = evaluateSession(path);
        QVERIFY(!out.isEmpty());
        const QJsonObject m = out.value(u"metrics"_qs).toObject();
        QCOMPARE(out.value(u"rerank"_qs).toObject().value(u"rules"_qs).toInt(), 1);
        QCOMPARE(static_cast<size_t>(m.size()), metrics.size());
        QVERIFY(sameMetrics(m, metrics));
    }

    void runSessionMatchesCli()
    {
        // A precomputed run as the primary source, borrowing BPR's item embeddings for MMR: the
        // window's all-user numbers equal evaluate --session's.
        if (!QFile::exists(kCli))
            QSKIP("reclens-cli not built");
        const QString run = m_dir.filePath(u"bpr-top50.trec"_qs);
        QProcess make;
        make.start(kCli, { u"evaluate"_qs, u"--data"_qs, m_dataset, u"--model"_qs, m_bpr, u"--k"_qs, u"50"_qs,
                             u"--no-auc"_qs, u"--lists"_qs, run, u"--lists-format"_qs, u"trec"_qs });
        QVERIFY(make.waitForFinished(180000));
        QVERIFY2(make.exitCode() == 0, make.readAllStandardError().constData());
        const QString path = m_dir.filePath(u"run.reclens"_qs);
        std::map<std::string, double> metrics;
        {
            MainWindow w;
            Workspace *ws = w.workspace();
            w.openDataset(m_dataset, { m_bpr }, {}, { run });
            QTRY_VERIFY_WITH_TIMEOUT(ws->sources().size() == 2 && ws->view().user >= 0, 60000);
            // The run first: reopen with the run as the primary source.
            QVERIFY(w.saveSession(path));
            ws->waitForJobs();
        }
        Session s = read_session(path.toStdString());
        std::swap(s.sources[0], s.sources[1]);
        QCOMPARE(s.sources[0].kind, SessionSource::Kind::run);
        s.rerank.method = RerankMethod::mmr;
        s.rerank.diversity = 0.5;
        s.rerank.similarity = SimilarityKind::embedding;
        write_session(s, path.toStdString());
        {
            MainWindow w;
            Workspace *ws = w.workspace();
            QSignalSpy opened(ws, &Workspace::sessionOpened);
            w.openSession(path);
            QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 60000);
            QVERIFY(settled(w, 0.5));
            QVERIFY(ws->sources().front().isRun());
            QCOMPARE(ws->settings().rerank.similarity, SimilarityKind::embedding); // borrowed embeddings
            metrics = ws->runs().reranked->metrics;
            ws->cancelAll();
            ws->waitForJobs();
        }
        const QJsonObject m = evaluateSession(path).value(u"metrics"_qs).toObject();
        QVERIFY(!m.isEmpty());
        QVERIFY(sameMetrics(m, metrics));
    }

    void brokenSessionsShowAnError_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("truncated") << QByteArray("{\"format\": \"reclens-session\", \"version\": 1, \"dataset\": {\"pa")
                                   << u"ends early"_qs;
        QTest::newRow("newer") << QByteArray("{\"format\": \"reclens-session\", \"version\": 7}")
                               << u"saved by a newer RecLens"_qs;
        QTest::newRow("not a session") << QByteArray("SQLite format 3\0", 16) << u"not a RecLens session"_qs;
    }
    void brokenSessionsShowAnError()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        const QString path = m_dir.filePath(u"broken.reclens"_qs);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
        f.close();
        MainWindow w;
        QSignalSpy errors(&w, &MainWindow::errorShown);
        w.openSession(path);
        QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 1, 20000);
        QVERIFY(w.errorDialog());
        QVERIFY2(w.errorDialog()->text().contains(expected), qPrintable(w.errorDialog()->text()));
        QVERIFY(!w.workspace()->dataset());
    }

    void changedAndMovedFiles()
    {
        // The session's own copies, so that they can be changed and moved.
        QTemporaryDir dir;
        const QString data = dir.filePath(u"shop.sqlite"_qs), model = dir.filePath(u"pop.pt"_qs);
        copyFile(m_dataset, data);
        copyFile(m_pop, model);
        const QString path = dir.filePath(u"s.reclens"_qs);
        {
            MainWindow w;
            w.openDataset(data, { model });
            QVERIFY(settled(w, w.workspace()->settings().rerank.diversity));
            QVERIFY(w.saveSession(path));
            // Saving over the dataset is refused and leaves it as it was.
            QSignalSpy errors(&w, &MainWindow::errorShown);
            const QByteArray before = [&] { QFile f(data); f.open(QIODevice::ReadOnly); return f.readAll(); }();
            QVERIFY(!w.saveSession(data));
            QCOMPARE(errors.size(), 1);
            QVERIFY2(w.errorDialog()->text().contains(u"same file"_qs), qPrintable(w.errorDialog()->text()));
            QFile f(data);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.readAll(), before);
            w.workspace()->waitForJobs();
        }
        // The model changes: the dialog names it and nothing is loaded.
        {
            QFile f(model);
            QVERIFY(f.open(QIODevice::Append));
            f.write("x");
        }
        {
            MainWindow w;
            QSignalSpy problems(w.workspace(), &Workspace::sessionProblems);
            w.openSession(path);
            QTRY_COMPARE_WITH_TIMEOUT(problems.size(), 1, 20000);
            const auto list = problems.at(0).at(1).value<std::vector<SessionFileProblem>>();
            QCOMPARE(list.size(), size_t(1));
            QCOMPARE(list[0].kind, SessionFileProblem::Kind::changed);
            QVERIFY(w.sessionProblemsDialog());
            QString shown;
            for (const QLabel *l : w.sessionProblemsDialog()->findChildren<QLabel *>(u"problem"_qs))
                shown += l->text();
            QVERIFY2(shown.contains(u"pop.pt changed since the session was saved"_qs), qPrintable(shown));
            QVERIFY(!w.workspace()->dataset());
            // Used as it is now only when said so; the session is then modified (a new hash to save).
            QSignalSpy opened(w.workspace(), &Workspace::sessionOpened);
            w.workspace()->openSession(path, { { 0, SessionFileChoice { model, true } } });
            QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 60000);
            QVERIFY(w.workspace()->isModified());
            QCOMPARE(w.workspace()->sources().size(), size_t(1));
            QCOMPARE(w.workspace()->sources()[0].sha256, list[0].actual_sha256);
            QCOMPARE(w.workspace()->session().sources[0].sha256, list[0].actual_sha256);
            w.workspace()->waitForJobs();
        }
        copyFile(m_pop, model); // as saved again
        // The dataset moves: missing until located; a located file with other bytes is refused.
        const QString moved = dir.filePath(u"moved.sqlite"_qs);
        QVERIFY(QFile::rename(data, moved));
        {
            MainWindow w;
            Workspace *ws = w.workspace();
            QSignalSpy problems(ws, &Workspace::sessionProblems);
            QSignalSpy opened(ws, &Workspace::sessionOpened);
            w.openSession(path);
            QTRY_COMPARE_WITH_TIMEOUT(problems.size(), 1, 20000);
            auto list = problems.at(0).at(1).value<std::vector<SessionFileProblem>>();
            QCOMPARE(list.size(), size_t(1));
            QCOMPARE(list[0].kind, SessionFileProblem::Kind::missing);
            QCOMPARE(list[0].source, -1);
            ws->openSession(path, { { -1, SessionFileChoice { model, false } } }); // the wrong file
            QTRY_COMPARE_WITH_TIMEOUT(problems.size(), 2, 20000);
            list = problems.at(1).at(1).value<std::vector<SessionFileProblem>>();
            QCOMPARE(list[0].kind, SessionFileProblem::Kind::changed);
            QVERIFY(!ws->dataset());
            ws->openSession(path, { { -1, SessionFileChoice { moved, false } } }); // the moved file
            QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 60000);
            QCOMPARE(QString::fromStdString(ws->dataset()->path), moved);
            QVERIFY(ws->isModified()); // the new place is a change to save
            ws->waitForJobs();
        }
    }
};

QTEST_MAIN(TestSessionWindow)
#include "tst_sessionwindow.moc"
