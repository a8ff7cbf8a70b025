// Sessions in the window, offscreen, on the sample data (DESIGN §10): a session saved in the GUI and
// reopened in a fresh window shows the same user, lists, rules, story and numbers; reclens-cli
// evaluate --session prints the same all-user metrics; the title bar marks unsaved changes; broken,
// truncated and newer session files get an error dialog; changed and moved files are named, and a
// moved file is used only once located (and recognised by its SHA-256).
#include "core/analysis/session.h"
#include "ui/mainwindow.h"
#include "ui/models/overlapmodel.h"
#include "ui/models/rankinglistmodel.h"
#include "ui/models/summarymodel.h"
#include "ui/models/tableexport.h"
#include "ui/pages/summarypage.h"
#include "ui/plots/modelmapplot.h"
#include "ui/pages/inspectpage.h"
#include "ui/plots/rocplot.h"
#include "ui/session/workspace.h"
#include "ui/widgets/storypanel.h"

#include <QComboBox>
#include <QDebug>
#include <QFile>
#include <QJsonDocument>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <set>

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
        if (ws->view().user >= 0 && ws->analysis()->runs().reranked && ws->analysis()->runs().reranked->rerank.diversity == delta
            && !ws->analysis()->isRunning(Analysis::Job::evaluation) && !ws->isLoading())
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

// Opens a session file in `w` and waits until it is open.
bool openedSession(MainWindow &w, const QString &path)
{
    QSignalSpy opened(w.workspace(), &Workspace::sessionOpened);
    w.openSession(path);
    return opened.wait(60000) || opened.size() == 1;
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
            // Item-kNN, a personal model (the tuned BPR ranks nearly like popularity: docs/models.md).
            w.openDataset(m_dataset, { kSample + u"/completejourney-itemknn.pt"_qs, m_pop });
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
            metrics = ws->analysis()->runs().reranked->metrics;
            ws->cancelAll();
            ws->waitForJobs();
        }
        // A fresh window shows the same user, lists, rules, story and numbers.
        {
            MainWindow w;
            w.resize(1400, 900);
            w.show();
            Workspace *ws = w.workspace();
            QVERIFY(openedSession(w, path));
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
            // The same numbers (undefined ones, such as item-kNN's ild_embedding, stay undefined).
            const auto &again = ws->analysis()->runs().reranked->metrics;
            QCOMPARE(again.size(), metrics.size());
            for (const auto &[name, value] : metrics)
                QVERIFY2(std::isnan(value) ? std::isnan(again.at(name)) : again.at(name) == value, name.c_str());
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

    // Three models: four lists, rank moves against a chosen column, the overlap of every pair, and
    // the Summary's comparisons of each model with the primary's model order, Holm-corrected as
    // `reclens-cli compare` does it (checked against scipy and statsmodels by compare_many).
    void threeModels()
    {
        const QString knn = kSample + u"/completejourney-itemknn.pt"_qs;
        if (!QFile::exists(knn))
            QSKIP("sample item-kNN not built");
        const QString path = m_dir.filePath(u"three.reclens"_qs);
        std::vector<std::vector<int32_t>> lists;
        {
            MainWindow w;
            w.resize(1600, 1000);
            w.show();
            Workspace *ws = w.workspace();
            w.openDataset(m_dataset, { knn, m_pop, m_bpr });
            QVERIFY(settled(w, ws->settings().rerank.diversity));
            // "Compare with" offers each other source and all of them.
            auto *compare = w.findChild<QComboBox *>(u"compareSources"_qs);
            QVERIFY(compare);
            QCOMPARE(compare->count(), 4);
            compare->setCurrentIndex(3);
            QCOMPARE(ws->settings().compared, (std::vector<int> { 1, 2 }));
            QVERIFY(settled(w, ws->settings().rerank.diversity));
            QTRY_COMPARE_WITH_TIMEOUT(ws->analysis()->runs().others.size(), size_t { 2 }, 180000);
            InspectPage *page = w.inspectPage();
            QCOMPARE(page->visibleListCount(), 4);
            QCOMPARE(ws->view().columns[2].source, size_t { 1 });
            QCOMPARE(ws->view().columns[3].source, size_t { 2 });
            for (int c = 0; c < 4; ++c)
                QCOMPARE(items(w, c), ws->view().columns[static_cast<size_t>(c)].items);
            QCOMPARE(page->overlapModel()->rowCount(), 6);

            // Rank moves against the popularity list (column C): its own are all "–".
            QCOMPARE(page->baselineBox()->count(), 4);
            page->baselineBox()->setCurrentIndex(2);
            Q_EMIT page->baselineBox()->activated(2);
            QCOMPARE(ws->settings().baselineColumn, 2);
            QVERIFY(w.isWindowModified());
            const RankingListModel *c = page->listModel(2);
            for (int r = 0; r < static_cast<int>(c->list().items.size()); ++r)
                QCOMPARE(c->index(r, RankingListModel::MoveColumn).data().toString(), u"–"_qs);
            const std::vector<int32_t> pop = c->list().items, a = items(w, 0);
            const RankingListModel *first = page->listModel(0);
            for (size_t r = 0; r < a.size(); ++r) {
                const auto at = std::find(pop.begin(), pop.end(), a[r]);
                const QString move = first->index(static_cast<int>(r), RankingListModel::MoveColumn).data().toString();
                const long d = at == pop.end() ? 0 : (at - pop.begin()) - static_cast<long>(r);
                const QString expected = at == pop.end() ? u"new"_qs
                    : d == 0                          ? u"–"_qs
                    : d > 0                           ? u"▲"_qs + QString::number(d)
                                                      : u"▼"_qs + QString::number(-d);
                QCOMPARE(move, expected);
            }
            // The overlap of A and C as a plain set computation.
            const QModelIndex ac = page->overlapModel()->index(1, OverlapModel::JaccardColumn);
            QCOMPARE(page->overlapModel()->index(1, OverlapModel::PairColumn).data().toString(), u"A–C"_qs);
            std::set<int32_t> sa(a.begin(), a.end()), sc(pop.begin(), pop.end()), both;
            std::set_intersection(sa.begin(), sa.end(), sc.begin(), sc.end(), std::inserter(both, both.begin()));
            QCOMPARE(ac.data(ExportRole).toDouble(),
                static_cast<double>(both.size()) / static_cast<double>(sa.size() + sc.size() - both.size()));

            // The Summary against reclens-cli compare with the same three models, K and pool.
            const SummaryModel *summary = w.summaryPage()->model();
            QCOMPARE(summary->otherCount(), size_t { 2 });
            QCOMPARE(summary->columnCount(), SummaryModel::otherColumn(2, SummaryModel::OtherValue));
            QVERIFY(summary->headerData(SummaryModel::otherColumn(1, SummaryModel::OtherPairedTHolm), Qt::Horizontal)
                        .toString()
                        .endsWith(u"p t (Holm)"_qs));
            if (!QFile::exists(kCli))
                QSKIP("reclens-cli not built");
            const QString json = m_dir.filePath(u"three.json"_qs);
            QProcess cli;
            cli.start(kCli, { u"compare"_qs, u"--data"_qs, m_dataset, u"--model"_qs, knn, u"--model"_qs, m_pop,
                                 u"--model"_qs, m_bpr, u"--k"_qs, QString::number(ws->settings().rerank.k), u"--pool"_qs,
                                 QString::number(ws->settings().pool), u"--json"_qs, json });
            QVERIFY(cli.waitForFinished(300000));
            QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
            QFile f(json);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QJsonArray comparisons = QJsonDocument::fromJson(f.readAll()).object().value(u"comparisons"_qs).toArray();
            QCOMPARE(comparisons.size(), 2);
            int checked = 0;
            for (int r = 0; r < summary->rowCount(); ++r) {
                const QString metric = summary->index(r, SummaryModel::MetricColumn).data(ExportRole).toString();
                for (size_t o = 0; o < 2; ++o) {
                    const QJsonObject m
                        = comparisons[static_cast<int>(o)].toObject().value(u"metrics"_qs).toObject().value(metric).toObject();
                    QVERIFY2(!m.isEmpty(), qPrintable(metric));
                    auto same = [&](SummaryModel::OtherColumn column, const char *key) {
                        const double mine = summary->index(r, SummaryModel::otherColumn(o, column)).data(ExportRole).toDouble();
                        const QJsonValue theirs = m.value(QLatin1String(key));
                        const bool ok = std::isnan(mine) ? theirs.isNull()
                                                         : std::abs(mine - theirs.toDouble()) <= 1e-12 * std::max(1.0, std::abs(mine));
                        if (!ok)
                            qWarning().noquote() << metric << key << mine << theirs.toDouble();
                        return ok;
                    };
                    QVERIFY(same(SummaryModel::OtherValue, "b"));
                    QVERIFY(same(SummaryModel::OtherPairedT, "p_paired_t"));
                    QVERIFY(same(SummaryModel::OtherPairedTHolm, "p_paired_t_holm"));
                    QVERIFY(same(SummaryModel::OtherWilcoxon, "p_wilcoxon"));
                    QVERIFY(same(SummaryModel::OtherWilcoxonHolm, "p_wilcoxon_holm"));
                    ++checked;
                }
            }
            QVERIFY(checked > 20);
            // The models as points: model order, re-ranked and the two compared models, at their
            // all-user personalization / coverage and nDCG.
            const GlobalRuns &runs = ws->analysis()->runs();
            const std::vector<const EvaluationResult *> shown { runs.base.get(), runs.reranked.get(),
                runs.others[0].get(), runs.others[1].get() };
            for (auto [map, metric] : { std::pair { w.summaryPage()->personalizationMap(), "personalization" },
                     std::pair { w.summaryPage()->coverageMap(), "catalog_coverage" } }) {
                QCOMPARE(map->pointCount(), 4);
                QCOMPARE(map->graphCount(), 4);
                for (int g = 0; g < 4; ++g) {
                    const auto &m = shown[static_cast<size_t>(g)]->metrics;
                    QCOMPARE(map->graph(g)->data()->at(0)->key, m.at(metric));
                    QCOMPARE(map->graph(g)->data()->at(0)->value, m.at("ndcg"));
                }
            }
            for (int col = 0; col < 4; ++col)
                lists.push_back(items(w, col));
            QVERIFY(w.saveSession(path));
            ws->cancelAll();
            ws->waitForJobs();
        }
        // Reopened: the same four lists, the same baseline.
        const Session saved = read_session(path.toStdString());
        QCOMPARE(saved.compared, (std::vector<int> { 1, 2 }));
        QCOMPARE(saved.baseline_column, 2);
        MainWindow w;
        w.resize(1600, 1000);
        w.show();
        Workspace *ws = w.workspace();
        QVERIFY(openedSession(w, path));
        QVERIFY(settled(w, saved.rerank.diversity));
        QCOMPARE(w.inspectPage()->visibleListCount(), 4);
        for (int col = 0; col < 4; ++col)
            QCOMPARE(items(w, col), lists[static_cast<size_t>(col)]);
        QCOMPARE(w.inspectPage()->baselineBox()->currentIndex(), 2);
        QCOMPARE(w.findChild<QComboBox *>(u"compareSources"_qs)->currentIndex(), 3);
        QVERIFY(!w.isWindowModified());
        ws->cancelAll();
        ws->waitForJobs();
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
            QVERIFY(openedSession(w, path));
            QVERIFY(settled(w, 0.5));
            QVERIFY(ws->sources().front().isRun());
            QCOMPARE(ws->settings().rerank.similarity, SimilarityKind::embedding); // borrowed embeddings
            metrics = ws->analysis()->runs().reranked->metrics;
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
