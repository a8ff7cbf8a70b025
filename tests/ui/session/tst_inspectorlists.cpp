// One engine path: for every evaluated user of the sample data, the inspector's model-order and
// re-ranked lists (the GUI) equal `reclens-cli evaluate --lists` byte for byte, for MMR (embedding
// and category), DPP, calibrated and caps; with merchandising rules (which the CLI cannot express)
// they equal core's evaluate(); and the users table shows exactly the CLI's --per-user values. Also
// for the Python-exported fixture models (a two-tower and a score()-only model).
#include "core/analysis/evaluation.h"
#include "core/analysis/report.h"
#include "core/data/datasetrepository.h"
#include "core/data/runfile.h"
#include "ui/models/usertablemodel.h"
#include "core/analysis/userview.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <optional>
#include <set>

using namespace reclens;
using reclens::UserInspector;

namespace
{

const QString kCli = QStringLiteral(RECLENS_BINARY_DIR "/app/cli/reclens-cli");
const QString kSample = QStringLiteral(RECLENS_BINARY_DIR "/sample_data");
const QString kFixtures = QStringLiteral(RECLENS_TEST_DATA "/models");

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Runs reclens-cli evaluate with `extra` options on a model (or a run: a .trec path); returns the
// --lists and --per-user files.
bool runCli(const QString &data, const QString &model, const QStringList &extra, const QString &dir, QByteArray &lists,
    QByteArray &perUser, QString &error)
{
    const QString l = dir + QStringLiteral("/lists.csv"), p = dir + QStringLiteral("/per_user.csv");
    QProcess proc;
    proc.start(kCli,
        QStringList { QStringLiteral("evaluate"), QStringLiteral("--data"), data,
            model.endsWith(u".trec"_qs) ? QStringLiteral("--run") : QStringLiteral("--model"), model,
            QStringLiteral("--device"), QStringLiteral("cpu"), QStringLiteral("--lists"), l,
            QStringLiteral("--per-user"), p }
            + extra);
    if (!proc.waitForFinished(300000) || proc.exitCode() != 0) {
        error = QString::fromUtf8(proc.readAllStandardError());
        return false;
    }
    lists = readAll(l);
    perUser = readAll(p);
    return true;
}

struct Config {
    const char *name;
    RerankMethod method;
    SimilarityKind similarity;
    double delta;
    int maxPerCategory;
    int maxPerBrand;
};

QStringList cliFlags(const Config &c)
{
    QStringList f { QStringLiteral("--rerank"), QString::fromLatin1(rerank_method_name(c.method).data()),
        QStringLiteral("--diversity"), QString::number(c.delta), QStringLiteral("--similarity"),
        QString::fromLatin1(similarity_name(c.similarity).data()) };
    if (c.maxPerCategory > 0)
        f << QStringLiteral("--max-per-category") << QString::number(c.maxPerCategory);
    if (c.maxPerBrand > 0)
        f << QStringLiteral("--max-per-brand") << QString::number(c.maxPerBrand);
    return f;
}

RerankOptions options(const Config &c, int k)
{
    RerankOptions o;
    o.method = c.method;
    o.similarity = c.similarity;
    o.diversity = c.delta;
    o.max_per_category = c.maxPerCategory;
    o.max_per_brand = c.maxPerBrand;
    o.k = k;
    return o;
}

// The inspector's lists of `users` as EvaluationResults (model order, re-ranked), so report.h
// writes them exactly as the CLI does.
struct InspectorLists {
    EvaluationResult modelOrder, reranked;
};

InspectorLists inspectorLists(UserInspector &inspector, const std::vector<int32_t> &users)
{
    InspectorLists r;
    r.modelOrder.users = r.reranked.users = users;
    for (int32_t u : users) {
        const auto view = inspector.inspect(u);
        r.modelOrder.lists.push_back(view.columns.at(0).items);
        r.modelOrder.scores.push_back(view.columns.at(0).scores);
        r.modelOrder.per_user.push_back(view.columns.at(0).metrics);
        r.reranked.lists.push_back(view.columns.at(1).items);
        r.reranked.scores.push_back(view.columns.at(1).scores);
        r.reranked.per_user.push_back(view.columns.at(1).metrics);
    }
    return r;
}

// The header and the rows of `csv` whose first field is one of `ids`.
QByteArray onlyUsers(const QByteArray &csv, const std::set<QByteArray> &ids)
{
    QByteArray out;
    const auto lines = csv.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i)
        if (!lines[i].isEmpty() && (i == 0 || ids.count(lines[i].left(lines[i].indexOf(',')))))
            out += lines[i] + '\n';
    return out;
}

// First differing line of two CSV texts, for a readable failure.
QString firstDifference(const QByteArray &a, const QByteArray &b)
{
    const auto la = a.split('\n'), lb = b.split('\n');
    for (qsizetype i = 0; i < std::max(la.size(), lb.size()); ++i)
        if (la.value(i) != lb.value(i))
            return QStringLiteral("line %1: GUI '%2' vs CLI '%3'")
                .arg(i + 1)
                .arg(QString::fromUtf8(la.value(i)), QString::fromUtf8(lb.value(i)));
    return {};
}

} // namespace

class TestInspectorLists : public QObject
{
    Q_OBJECT

private:
    // Compares the inspector with the CLI for every config on (data, model).
    void compareAll(const QString &data, const QString &model, const std::vector<Config> &configs, int k, int pool)
    {
        auto ds = std::make_shared<Dataset>(load_dataset(data.toStdString()));
        // A .trec path is a run (DESIGN §11): the same comparison through run_candidates.
        const bool isRun = model.endsWith(u".trec"_qs);
        std::shared_ptr<const Model> m;
        std::optional<Run> run;
        if (isRun)
            run = load_run(model.toStdString(), *ds);
        else
            m = Model::load(model.toStdString(), *ds);
        std::vector<int32_t> users = evaluated_users(*ds);
#if defined(__SANITIZE_ADDRESS__)
        // Under the sanitizers (about 20x slower) every 10th user; the Release run checks them all.
        std::vector<int32_t> some;
        for (size_t i = 0; i < users.size(); i += 10)
            some.push_back(users[i]);
        users = some;
#endif
        std::set<QByteArray> ids;
        for (int32_t u : users)
            ids.insert(QByteArray::fromStdString(ds->user_external[static_cast<size_t>(u)]));
        UserInspector inspector;
        inspector.setData(ds, { isRun ? RankingSource(*run, *ds) : RankingSource(*m) });
        QTemporaryDir dir;
        QByteArray noneLists; // configs start with "none"
        for (const Config &c : configs) {
            QByteArray cliLists, cliPerUser;
            QString error;
            QVERIFY2(runCli(data, model,
                         cliFlags(c)
                             + QStringList { QStringLiteral("--k"), QString::number(k), QStringLiteral("--pool"),
                                 QString::number(pool) },
                         dir.path(), cliLists, cliPerUser, error),
                qPrintable(error));
            cliLists = onlyUsers(cliLists, ids);
            inspector.setOptions(options(c, k), pool);
            const InspectorLists gui = inspectorLists(inspector, users);
            const QByteArray shown = QByteArray::fromStdString(
                lists_csv(*ds, c.method == RerankMethod::none ? gui.modelOrder : gui.reranked));
            QVERIFY2(shown == cliLists,
                qPrintable(QString::fromLatin1(c.name) + QStringLiteral(": ") + firstDifference(shown, cliLists)));
            if (c.method == RerankMethod::none) {
                noneLists = cliLists;
                // The metrics shown above the model-order list (AUC included) are the CLI's
                // --per-user row for that user, to the last digit.
                const QByteArray metrics = QByteArray::fromStdString(per_user_csv(*ds, gui.modelOrder));
                QVERIFY2(metrics == onlyUsers(cliPerUser, ids),
                    qPrintable(firstDifference(metrics, onlyUsers(cliPerUser, ids))));
            } else {
                // The model-order column beside it is the CLI's --rerank none list.
                const QByteArray base = QByteArray::fromStdString(lists_csv(*ds, gui.modelOrder));
                QVERIFY2(base == noneLists, qPrintable(firstDifference(base, noneLists)));
                QVERIFY2(base != shown, "re-ranking changed nothing: the check would be vacuous");
                // The metrics above the re-ranked list are the CLI's --per-user row, the AUC of the
                // re-ranked list included (DESIGN §5: one definition everywhere).
                const QByteArray metrics = QByteArray::fromStdString(per_user_csv(*ds, gui.reranked));
                QVERIFY2(metrics == onlyUsers(cliPerUser, ids),
                    qPrintable(QString::fromLatin1(c.name) + QStringLiteral(": ")
                        + firstDifference(metrics, onlyUsers(cliPerUser, ids))));
            }
        }
    }

private slots:
    void fixtureModels()
    {
        const QString data = kFixtures + QStringLiteral("/dataset.sqlite");
        const std::vector<Config> configs { { "none", RerankMethod::none, SimilarityKind::embedding, 0, 0, 0 },
            { "mmr", RerankMethod::mmr, SimilarityKind::embedding, 0.6, 0, 0 },
            { "dpp", RerankMethod::dpp, SimilarityKind::category, 0.5, 0, 0 } };
        compareAll(data, kFixtures + QStringLiteral("/two_tower.pt"), configs, 5, 20);
        compareAll(data, kFixtures + QStringLiteral("/score_only.pt"),
            { { "none", RerankMethod::none, SimilarityKind::category, 0, 0, 0 },
                { "mmr category", RerankMethod::mmr, SimilarityKind::category, 0.5, 0, 0 } },
            5, 20);
    }

    // A compared source shown re-ranked is the list `evaluate --model` gives it with the primary's
    // options, for every user: a source without embeddings diversifies by category, as the primary
    // does then (the fixture's score-only model beside its two-tower one).
    void comparedSourceReranked()
    {
        const QString data = kFixtures + QStringLiteral("/dataset.sqlite");
        const QString primary = kFixtures + QStringLiteral("/two_tower.pt"), other = kFixtures + QStringLiteral("/score_only.pt");
        auto ds = std::make_shared<Dataset>(load_dataset(data.toStdString()));
        const auto a = Model::load(primary.toStdString(), *ds), b = Model::load(other.toStdString(), *ds);
        const std::vector<int32_t> users = evaluated_users(*ds);
        UserInspector inspector;
        inspector.setData(ds, { RankingSource(*a), RankingSource(*b) });
        inspector.setCompared({ 1 }, true);
        QTemporaryDir dir;
        for (const Config &c : { Config { "mmr embedding", RerankMethod::mmr, SimilarityKind::embedding, 0.6, 0, 0 },
                 Config { "dpp category", RerankMethod::dpp, SimilarityKind::category, 0.5, 0, 0 } }) {
            inspector.setOptions(options(c, 5), 20);
            EvaluationResult shown;
            shown.users = users;
            for (int32_t u : users) {
                const reclens::UserView view = inspector.inspect(u);
                shown.lists.push_back(view.columns.at(2).items);
                shown.scores.push_back(view.columns.at(2).scores);
            }
            Config cli = c;
            cli.similarity = SimilarityKind::category; // the score-only model has no embeddings
            QByteArray cliLists, cliPerUser;
            QString error;
            QVERIFY2(runCli(data, other, cliFlags(cli) + QStringList { QStringLiteral("--k"), QStringLiteral("5"),
                                                 QStringLiteral("--pool"), QStringLiteral("20") },
                         dir.path(), cliLists, cliPerUser, error),
                qPrintable(error));
            const QByteArray gui = QByteArray::fromStdString(lists_csv(*ds, shown));
            QVERIFY2(gui == cliLists, qPrintable(QString::fromLatin1(c.name) + QStringLiteral(": ") + firstDifference(gui, cliLists)));
        }
    }

    void sampleEveryUser()
    {
        const QString data = kSample + QStringLiteral("/completejourney.sqlite");
        const QString model = kSample + QStringLiteral("/completejourney-bpr.pt");
        if (!QFileInfo::exists(data) || !QFileInfo::exists(model))
            QSKIP("sample data not built: run the 'sample_data' target (needs ../shared/datasets)");
        const std::vector<Config> configs {
            { "none", RerankMethod::none, SimilarityKind::embedding, 0, 0, 0 },
            { "mmr embedding", RerankMethod::mmr, SimilarityKind::embedding, 0.6, 0, 0 },
            { "mmr category", RerankMethod::mmr, SimilarityKind::category, 0.5, 0, 0 },
            { "dpp embedding", RerankMethod::dpp, SimilarityKind::embedding, 0.5, 0, 0 },
            { "calibrated", RerankMethod::calibrated, SimilarityKind::embedding, 0.5, 0, 0 },
            { "caps", RerankMethod::caps, SimilarityKind::embedding, 0.5, 2, 1 },
        };
        compareAll(data, model, configs, 10, 100);
    }

    // A run (the sample's BPR top 50 exported as TREC) in the GUI equals `evaluate --run`: its order,
    // MMR and DPP over its lists by category, and the per-user metrics with the run's rank AUC.
    void sampleRun()
    {
        const QString data = kSample + QStringLiteral("/completejourney.sqlite");
        const QString model = kSample + QStringLiteral("/completejourney-bpr.pt");
        if (!QFileInfo::exists(data) || !QFileInfo::exists(model))
            QSKIP("sample data not built: run the 'sample_data' target (needs ../shared/datasets)");
        QTemporaryDir dir;
        const QString run = dir.filePath(QStringLiteral("bpr50.trec"));
        QProcess proc;
        proc.start(kCli, { QStringLiteral("evaluate"), QStringLiteral("--data"), data, QStringLiteral("--model"), model,
                             QStringLiteral("--k"), QStringLiteral("50"), QStringLiteral("--lists"), run,
                             QStringLiteral("--lists-format"), QStringLiteral("trec"), QStringLiteral("--no-auc") });
        QVERIFY2(proc.waitForFinished(300000) && proc.exitCode() == 0, proc.readAllStandardError().constData());
        const std::vector<Config> configs {
            { "none", RerankMethod::none, SimilarityKind::category, 0, 0, 0 },
            { "mmr category", RerankMethod::mmr, SimilarityKind::category, 0.5, 0, 0 },
            { "dpp category", RerankMethod::dpp, SimilarityKind::category, 0.5, 0, 0 },
        };
        compareAll(data, run, configs, 10, 50);
    }

    void rulesMatchEvaluate()
    {
        const QString data = kSample + QStringLiteral("/completejourney.sqlite");
        const QString model = kSample + QStringLiteral("/completejourney-bpr.pt");
        if (!QFileInfo::exists(data) || !QFileInfo::exists(model))
            QSKIP("sample data not built");
        auto ds = std::make_shared<Dataset>(load_dataset(data.toStdString()));
        auto m = Model::load(model.toStdString(), *ds);
        RerankOptions o;
        o.method = RerankMethod::mmr;
        o.diversity = 0.5;
        o.k = 10;
        // Exclude a top-level category, bury a brand, pin an item at rank 2.
        int32_t top = -1;
        for (int32_t i = 0; i < ds->n_items() && top < 0; ++i)
            top = ds->category_at_level(i, 1);
        QVERIFY(top >= 0);
        o.rules.push_back({ MerchRule::Kind::exclude_category, top, 1.0, 0.0, 1 });
        o.rules.push_back({ MerchRule::Kind::bury_brand, 0, 2.0, 0.1, 1 });
        o.rules.push_back({ MerchRule::Kind::pin_item, 5, 1.0, 0.0, 2 });
        EvaluationOptions eo;
        eo.k = 10;
        eo.pool = 100;
        eo.device = "cpu";
        eo.rerank = o;
#if defined(__SANITIZE_ADDRESS__)
        const std::vector<int32_t> all = evaluated_users(*ds);
        for (size_t i = 0; i < all.size(); i += 10) // under the sanitizers every 10th user
            eo.users.push_back(all[i]);
#endif
        const EvaluationResult cli = evaluate(*m, eo);
        UserInspector inspector;
        inspector.setData(ds, { *m });
        inspector.setOptions(o, 100);
        const EvaluationResult gui = inspectorLists(inspector, cli.users).reranked;
        const QByteArray a = QByteArray::fromStdString(lists_csv(*ds, gui));
        const QByteArray b = QByteArray::fromStdString(lists_csv(*ds, cli));
        QVERIFY2(a == b, qPrintable(firstDifference(a, b)));
        // Per-user metrics too, the AUC of lists with a pinned item from outside the pool included.
        const QByteArray pa = QByteArray::fromStdString(per_user_csv(*ds, gui));
        const QByteArray pb = QByteArray::fromStdString(per_user_csv(*ds, cli));
        QVERIFY2(pa == pb, qPrintable(firstDifference(pa, pb)));
    }

    void usersTableShowsPerUser()
    {
        const QString data = kSample + QStringLiteral("/completejourney.sqlite");
        const QString model = kSample + QStringLiteral("/completejourney-bpr.pt");
        if (!QFileInfo::exists(data) || !QFileInfo::exists(model))
            QSKIP("sample data not built");
        QTemporaryDir dir;
        QByteArray lists, perUser;
        QString error;
        QVERIFY2(runCli(data, model, {}, dir.path(), lists, perUser, error), qPrintable(error));
        auto ds = std::make_shared<Dataset>(load_dataset(data.toStdString()));
        auto m = Model::load(model.toStdString(), *ds);
        // The users table is filled from evaluate() with the GUI's options (AUC on).
        EvaluationOptions eo;
        eo.device = "cpu";
        const EvaluationResult r = evaluate(*m, eo);
        QCOMPARE(QByteArray::fromStdString(per_user_csv(*ds, r)), perUser);
        reclens::ui::UserTableModel table;
        table.setDataset(ds);
        table.setMetrics(r.users, r.per_user, {});
        const auto rows = perUser.split('\n');
        int checked = 0;
        for (qsizetype i = 1; i < rows.size(); ++i) {
            if (rows[i].isEmpty())
                continue;
            const auto cols = rows[i].split(',');
            const int32_t u = ds->find_user(cols[0].toStdString());
            const int row = table.rowOfUser(u);
            QVERIFY(row >= 0);
            for (int id = 0; id < kUserMetricCount; ++id) {
                const double shown
                    = table
                          .data(table.index(row, reclens::ui::UserTableModel::metricColumn(static_cast<MetricId>(id))),
                              reclens::ui::UserTableModel::SortRole)
                          .toDouble();
                const QByteArray cell = cols.value(id + 1);
                if (cell.isEmpty())
                    QVERIFY(std::isnan(shown));
                else
                    QCOMPARE(shown, cell.toDouble());
            }
            ++checked;
        }
        QCOMPARE(checked, static_cast<int>(r.users.size()));
    }
};

QTEST_GUILESS_MAIN(TestInspectorLists)
#include "tst_inspectorlists.moc"
