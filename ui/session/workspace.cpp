#include "ui/session/workspace.h"

#include "core/analysis/sweep.h"
#include "core/data/datasetrepository.h"
#include "core/data/queries.h"
#include "core/data/runfile.h"
#include "core/scoring/scorer.h"

#include <QDebug>
#include <QFileInfo>
#include <cmath>

namespace reclens::ui
{

namespace
{
// A model handle that also keeps its dataset alive (a Model points at its Dataset).
std::shared_ptr<const Model> holdingDataset(std::shared_ptr<const Model> model, std::shared_ptr<const Dataset> ds)
{
    const Model *raw = model.get();
    return std::shared_ptr<const Model>(raw, [model, ds](const Model *) mutable {
        model.reset();
        ds.reset();
    });
}

// Scales a job's progress into [from, to] of a bigger job.
ProgressFn part(const ProgressFn &progress, double from, double to, std::string prefix = {})
{
    return [progress, from, to, prefix](double f, std::string_view stage) {
        return !progress || progress(from + (to - from) * f, prefix.empty() ? stage : std::string_view(prefix));
    };
}

struct LoadResult {
    std::shared_ptr<const Dataset> dataset;
    std::vector<LoadedSource> sources;
    QStringList modelErrors;
    bool hasQueries = false;
};

struct EvaluationBundle {
    GlobalRuns runs;
};
} // namespace

Workspace::Workspace(QObject *parent)
    : QObject(parent)
    , m_loadJobs(new JobTracker(this))
    , m_evalJobs(new JobTracker(this))
    , m_sweepJobs(new JobTracker(this))
    , m_rocJobs(new JobTracker(this))
{
    m_settings.rerank.k = 10;
    m_globalDebounce.setSingleShot(true);
    m_globalDebounce.setInterval(250);
    connect(&m_globalDebounce, &QTimer::timeout, this, &Workspace::recomputeGlobal);
    for (JobTracker *t : { m_loadJobs, m_evalJobs, m_sweepJobs, m_rocJobs })
        connectTracker(t);
    try {
        m_device = QString::fromStdString(device_description(resolve_device("auto")));
    } catch (const std::exception &e) {
        m_device = QStringLiteral("CPU");
    }
}

Workspace::~Workspace()
{
    cancelAll();
    waitForJobs();
}

void Workspace::connectTracker(JobTracker *tracker)
{
    connect(tracker, &JobTracker::jobFailed, this, [this](const QString &label, const QString &message) {
        Q_EMIT errorOccurred(u"Could not finish "_qs + label, message);
    });
    connect(tracker, &JobTracker::jobFinished, this, &Workspace::jobTimed);
}

bool Workspace::isBusy() const
{
    return m_loadJobs->isRunning() || m_evalJobs->isRunning() || m_sweepJobs->isRunning() || m_rocJobs->isRunning();
}

void Workspace::waitForJobs()
{
    for (JobTracker *t : { m_loadJobs, m_evalJobs, m_sweepJobs, m_rocJobs })
        t->waitForFinished();
}

void Workspace::cancelAll()
{
    m_globalDebounce.stop();
    for (JobTracker *t : { m_loadJobs, m_evalJobs, m_sweepJobs, m_rocJobs })
        t->cancel();
}

void Workspace::openDataset(
    const QString &path, const QStringList &modelPaths, const QString &user, const QStringList &runPaths,
    const QString &requests)
{
    const std::string file = path.toStdString();
    std::vector<std::string> models, runs;
    for (const QString &m : modelPaths)
        models.push_back(m.toStdString());
    for (const QString &r : runPaths)
        runs.push_back(r.toStdString());
    const std::string kind = requests.toStdString();
    m_loadJobs->start<LoadResult>(
        u"loading "_qs + QFileInfo(path).fileName(),
        [file, models, runs, kind](const ProgressFn &progress) {
            LoadResult result;
            auto ds = std::make_shared<Dataset>(load_dataset(file, part(progress, 0.0, 0.6)));
            result.hasQueries = has_queries(file);
            // A run on a search dataset is read for its queries unless users are asked for: query
            // ids may also be user ids (movie-search's 1..10 are MovieLens users).
            const bool queries = result.hasQueries && (kind == "queries" || (kind == "auto" && !runs.empty()));
            if (kind == "queries" && !result.hasQueries)
                result.modelErrors << QString::fromStdString(
                    file + ": has no queries (make a search dataset with 'reclens-cli import queries'); showing users");
            if (queries)
                ds = std::make_shared<Dataset>(query_view(std::move(*ds)));
            result.dataset = ds;
            const double n = static_cast<double>(std::max<size_t>(1, models.size() + runs.size()));
            size_t done = 0;
            for (const std::string &m : models) {
                if (progress && !progress(0.7 + 0.3 * static_cast<double>(done++) / n, "loading models"))
                    throw Cancelled();
                if (queries) {
                    result.modelErrors << QString::fromStdString(
                        m + ": a model scores users; it is left out while the queries are shown (runs only)");
                    continue;
                }
                try {
                    result.sources.push_back({ holdingDataset(Model::load(m, *ds), ds), nullptr,
                        QString::fromStdString(m) });
                } catch (const Cancelled &) {
                    throw;
                } catch (const std::exception &e) {
                    result.modelErrors << QString::fromStdString(e.what());
                }
            }
            for (const std::string &r : runs) {
                if (progress && !progress(0.7 + 0.3 * static_cast<double>(done++) / n, "loading runs"))
                    throw Cancelled();
                try {
                    auto run = std::make_shared<const Run>(load_run(r, *ds));
                    for (const std::string &w : run->report.warnings())
                        qWarning().noquote() << QString::fromStdString(r + ": warning: " + w);
                    result.sources.push_back({ nullptr, std::move(run), QString::fromStdString(r) });
                } catch (const Cancelled &) {
                    throw;
                } catch (const std::exception &e) {
                    result.modelErrors << QString::fromStdString(e.what());
                }
            }
            return result;
        },
        [this, user](LoadResult result) {
            installSession(result.dataset, result.sources, user, result.hasQueries);
            for (const QString &message : result.modelErrors)
                Q_EMIT errorOccurred(QStringLiteral("Could not load a model or run"), message);
        });
}

void Workspace::addModel(const QString &path)
{
    if (!m_dataset) {
        Q_EMIT errorOccurred(QStringLiteral("Could not add a model"),
            QStringLiteral("no dataset is open; open a dataset (.sqlite) before adding models"));
        return;
    }
    if (m_dataset->queries()) {
        Q_EMIT errorOccurred(QStringLiteral("Could not add a model"),
            QStringLiteral("a model scores users, and the queries are shown: switch the requests page to users, "
                           "or add a run (File › Add run…)"));
        return;
    }
    auto ds = m_dataset;
    const std::string file = path.toStdString();
    m_loadJobs->start<std::shared_ptr<const Model>>(
        u"loading "_qs + QFileInfo(path).fileName(),
        [ds, file](const ProgressFn &) { return holdingDataset(Model::load(file, *ds), ds); },
        [this, ds, path](std::shared_ptr<const Model> model) {
            if (ds != m_dataset)
                return; // the dataset changed meanwhile
            auto sources = m_sources;
            sources.push_back({ std::move(model), nullptr, path });
            const QString user = m_user >= 0
                ? QString::fromStdString(m_dataset->user_external[static_cast<size_t>(m_user)])
                : QString();
            installSession(m_dataset, sources, user, m_hasQueries);
        });
}

void Workspace::addRun(const QString &path)
{
    if (!m_dataset) {
        Q_EMIT errorOccurred(QStringLiteral("Could not add a run"),
            QStringLiteral("no dataset is open; open a dataset (.sqlite) before adding runs"));
        return;
    }
    auto ds = m_dataset;
    const std::string file = path.toStdString();
    m_loadJobs->start<std::shared_ptr<const Run>>(
        u"loading "_qs + QFileInfo(path).fileName(),
        [ds, file](const ProgressFn &) {
            auto run = std::make_shared<const Run>(load_run(file, *ds));
            for (const std::string &w : run->report.warnings())
                qWarning().noquote() << QString::fromStdString(file + ": warning: " + w);
            return run;
        },
        [this, ds, path](std::shared_ptr<const Run> run) {
            if (ds != m_dataset)
                return;
            auto sources = m_sources;
            sources.push_back({ nullptr, std::move(run), path });
            const QString user = m_user >= 0
                ? QString::fromStdString(m_dataset->user_external[static_cast<size_t>(m_user)])
                : QString();
            installSession(m_dataset, sources, user, m_hasQueries);
        });
}

void Workspace::setRequestKind(RequestKind kind)
{
    if (!m_dataset || kind == m_dataset->request_kind)
        return;
    QStringList models, runs;
    for (const LoadedSource &s : m_sources)
        (s.isRun() ? runs : models) << s.path;
    openDataset(QString::fromStdString(m_dataset->path), models, {}, runs,
        kind == RequestKind::queries ? QStringLiteral("queries") : QStringLiteral("users"));
}

std::vector<RankingSource> Workspace::rankingSources() const
{
    std::vector<RankingSource> out;
    for (size_t i = 0; i < m_sources.size(); ++i)
        out.push_back(rankingSource(i));
    return out;
}

RankingSource Workspace::rankingSource(size_t i) const
{
    const LoadedSource &s = m_sources.at(i);
    if (!s.run)
        return RankingSource(*s.model);
    const Model *lender = nullptr;
    for (const LoadedSource &o : m_sources)
        if (o.model && !o.model->item_embeddings().empty()) {
            lender = o.model.get();
            break;
        }
    return RankingSource(*s.run, *m_dataset, lender);
}

bool Workspace::hasEmbeddings() const
{
    return !m_sources.empty() && !rankingSource(0).item_embeddings().empty();
}

void Workspace::installSession(
    std::shared_ptr<const Dataset> dataset, std::vector<LoadedSource> sources, const QString &user, bool hasQueries)
{
    m_evalJobs->cancel();
    m_sweepJobs->cancel();
    m_rocJobs->cancel();
    m_runs = GlobalRuns {};
    m_sweep = SweepResult {};
    m_sweepStarted = {};
    m_sweepDone = {};
    m_pooledRoc.clear();
    m_view = UserView {};
    m_user = -1;
    m_sources = std::move(sources);
    m_dataset = std::move(dataset);
    m_hasQueries = hasQueries;
    m_palette = CategoryPalette::fromDataset(*m_dataset);
    m_inspector.setData(m_dataset, rankingSources());
    try {
        m_inspector.setOptions(m_settings.rerank, m_settings.pool);
    } catch (const std::exception &e) {
        m_settings.rerank = RerankOptions {};
        m_inspector.setOptions(m_settings.rerank, m_settings.pool);
        Q_EMIT errorOccurred(QStringLiteral("Re-ranking settings reset"), QString::fromStdString(e.what()));
    }
    m_settings.rerank = m_inspector.options();
    m_inspector.setShowSecondModel(m_settings.showSecondModel);
    Q_EMIT datasetChanged();
    Q_EMIT modelsChanged();
    Q_EMIT settingsChanged();
    Q_EMIT runsChanged();
    Q_EMIT sweepChanged();
    Q_EMIT pooledRocChanged();

    int32_t chosen = user.isEmpty() ? -1 : m_dataset->find_user(user.toStdString());
    if (!user.isEmpty() && chosen < 0)
        Q_EMIT errorOccurred(m_dataset->queries() ? QStringLiteral("Unknown query") : QStringLiteral("Unknown user"),
            (m_dataset->queries() ? u"query '"_qs : u"user '"_qs) + user
                + u"' is not in this dataset; showing another one instead"_qs);
    if (chosen < 0) {
        // The evaluated user with the most test items: an informative first view.
        size_t best = 0;
        for (int32_t u : evaluated_users(*m_dataset)) {
            const size_t t = test_set(*m_dataset, u).size();
            if (t > best) {
                best = t;
                chosen = u;
            }
        }
    }
    if (chosen >= 0 && !m_sources.empty())
        showUser(chosen);
    // Until someone picks a user, the first all-user run may swap in a more telling one.
    m_autoUser = user.isEmpty();
    if (!m_sources.empty())
        recomputeGlobal();
}

void Workspace::showUser(int32_t user)
{
    if (!m_dataset || user < 0 || user >= m_dataset->n_users() || user == m_user)
        return;
    m_user = user;
    refreshView();
}

void Workspace::pickTellingUser()
{
    // The user whose model-order list has the most test hits (ties: more test items, then lower
    // index), so a first look shows ✔ marks and a ROC curve that moves with δ.
    if (!m_autoUser || !m_runs.base)
        return;
    m_autoUser = false;
    const EvaluationResult &base = *m_runs.base;
    int32_t best = -1;
    int bestHits = 0, bestTests = 0;
    for (size_t i = 0; i < base.users.size() && i < base.per_user.size(); ++i) {
        const UserMetrics &m = base.per_user[i];
        if (m.hits > bestHits || (m.hits == bestHits && m.hits > 0 && m.test_size > bestTests)) {
            best = base.users[i];
            bestHits = m.hits;
            bestTests = m.test_size;
        }
    }
    if (best >= 0)
        showUser(best);
}

void Workspace::setSettings(const WorkspaceSettings &settings)
{
    const WorkspaceSettings previous = m_settings;
    m_settings = settings;
    if (m_inspector.hasData()) {
        try {
            m_inspector.setOptions(settings.rerank, settings.pool);
            m_settings.rerank = m_inspector.options();
        } catch (const std::exception &e) {
            m_settings = previous;
            Q_EMIT errorOccurred(QStringLiteral("Invalid re-ranking settings"), QString::fromStdString(e.what()));
            Q_EMIT settingsChanged();
            return;
        }
    }
    m_inspector.setShowSecondModel(m_settings.showSecondModel);
    Q_EMIT settingsChanged();
    refreshView();
    if (m_inspector.hasData()) {
        // Stale global numbers are cancelled at once; the new run starts when the slider rests.
        m_evalJobs->cancel();
        m_globalDebounce.start();
    }
}

void Workspace::setDiversity(double delta)
{
    WorkspaceSettings s = m_settings;
    s.rerank.diversity = std::clamp(delta, 0.0, 1.0);
    setSettings(s);
}

void Workspace::setBarsLevel(int level)
{
    m_inspector.setBarsLevel(level);
    refreshView();
}

void Workspace::selectUser(int32_t user)
{
    if (!m_dataset || user < 0 || user >= m_dataset->n_users())
        return;
    m_autoUser = false; // a person chose: never switch away on our own
    showUser(user);
}

void Workspace::selectUserById(const QString &externalId)
{
    if (!m_dataset)
        return;
    const int32_t u = m_dataset->find_user(externalId.toStdString());
    if (u < 0) {
        Q_EMIT errorOccurred(
            QStringLiteral("Unknown user"), u"user '"_qs + externalId + u"' is not in this dataset"_qs);
        return;
    }
    selectUser(u);
}

void Workspace::refreshView()
{
    if (!m_inspector.hasData() || m_user < 0)
        return;
    try {
        m_view = m_inspector.inspect(m_user);
    } catch (const std::exception &e) {
        Q_EMIT errorOccurred(QStringLiteral("Could not show this user"), QString::fromStdString(e.what()));
        return;
    }
    Q_EMIT userViewChanged();
}

std::vector<std::pair<int32_t, double>> Workspace::similarHistory(int32_t item, size_t n) const
{
    if (!m_dataset || item < 0 || item >= m_dataset->n_items())
        return {};
    return m_inspector.similarHistory(item, m_view.history, n);
}

EvaluationOptions Workspace::evaluationOptions(const RerankOptions &rerank) const
{
    EvaluationOptions o;
    o.k = rerank.k;
    o.pool = m_settings.pool;
    o.device = "auto";
    o.rerank = rerank;
    o.category_level = rerank.category_level;
    o.compute_auc = true;
    return o;
}

void Workspace::recomputeGlobal()
{
    if (m_sources.empty())
        return;
    // One job at a time on a shared CPU: evaluation first (the numbers people wait for), then the
    // sweep and the pooled ROC when they are stale.
    startEvaluation();
}

void Workspace::continueBackground()
{
    if (m_sources.empty() || m_evalJobs->isRunning())
        return;
    if (startSweep())
        return;
    if (!m_rocJobs->isRunning() && (m_pooledRoc.empty() || m_pooledRoc.front().fpr.empty()))
        startPooledRoc();
}

void Workspace::startEvaluation()
{
    // The sources stay alive with the session; a job runs on a copy of the handles.
    auto keep = m_sources;
    auto ds = m_dataset;
    auto models = rankingSources();
    RerankOptions none = m_settings.rerank;
    none.method = RerankMethod::none;
    none.diversity = 0;
    none.rules.clear();
    const EvaluationOptions baseOptions = evaluationOptions(none);
    const EvaluationOptions rerankOptions = evaluationOptions(m_settings.rerank);
    const bool second = m_settings.showSecondModel && models.size() > 1;
    // The model-order run depends only on k, pool and level: reuse it while they stay.
    std::shared_ptr<const EvaluationResult> cachedBase = m_runs.base;
    if (cachedBase
        && (cachedBase->k != baseOptions.k || cachedBase->pool != std::max(baseOptions.pool, baseOptions.k)
            || cachedBase->rerank.category_level != none.category_level))
        cachedBase.reset();
    std::shared_ptr<const EvaluationResult> cachedSecond = second ? m_runs.second : nullptr;
    if (cachedSecond && (cachedSecond->k != baseOptions.k || !cachedBase))
        cachedSecond.reset();

    m_evalJobs->start<GlobalRuns>(
        QStringLiteral("evaluating all users"),
        [keep, ds, models, baseOptions, rerankOptions, second, cachedBase, cachedSecond](const ProgressFn &progress) {
            GlobalRuns runs;
            const double parts = second ? 3.0 : 2.0;
            runs.base = cachedBase ? cachedBase
                                   : std::make_shared<const EvaluationResult>(
                                       evaluate(models[0], baseOptions, part(progress, 0, 1 / parts, "model order")));
            runs.reranked = std::make_shared<const EvaluationResult>(
                evaluate(models[0], rerankOptions, part(progress, 1 / parts, 2 / parts, "re-ranked")));
            runs.rerankedVsBase = compare_runs(*runs.base, *runs.reranked);
            if (second) {
                runs.second = cachedSecond ? cachedSecond
                                           : std::make_shared<const EvaluationResult>(evaluate(
                                               models[1], baseOptions, part(progress, 2 / parts, 1, "second model")));
                runs.secondVsBase = compare_runs(*runs.base, *runs.second);
            }
            return runs;
        },
        [this](GlobalRuns runs) {
            m_runs = std::move(runs);
            Q_EMIT runsChanged();
            pickTellingUser();
            QTimer::singleShot(0, this, &Workspace::continueBackground);
        });
}

Workspace::SweepKey Workspace::sweepKey() const
{
    SweepKey key;
    key.rerank = m_settings.rerank;
    key.rerank.diversity = 0; // the sweep varies it
    key.pool = m_settings.pool;
    key.source = m_sources.empty() ? nullptr
        : m_sources.front().run ? static_cast<const void *>(m_sources.front().run.get())
                                : static_cast<const void *>(m_sources.front().model.get());
    return key;
}

bool Workspace::startSweep()
{
    const SweepKey key = sweepKey();
    if (key == m_sweepDone || (key == m_sweepStarted && m_sweepJobs->isRunning()))
        return false;
    m_sweepStarted = key;
    auto keep = m_sources;
    auto ds = m_dataset;
    const RankingSource model = rankingSource(0);
    const EvaluationOptions base = evaluationOptions(m_settings.rerank);
    m_sweepJobs->start<SweepResult>(
        QStringLiteral("δ sweep"),
        [keep, ds, model, base](const ProgressFn &progress) {
            const std::string diversity = sweep_diversity_metric(model, base.rerank);
            const SweepCurve c = diversity_sweep(model, base, default_sweep_deltas(), "ndcg", diversity, progress);
            SweepResult sweep;
            sweep.accuracyMetric = c.accuracy_metric;
            sweep.diversityMetric = c.diversity_metric;
            sweep.curve.delta = c.delta;
            sweep.curve.x = c.diversity;
            sweep.curve.y = c.accuracy;
            return sweep;
        },
        [this, key](SweepResult sweep) {
            m_sweep = std::move(sweep);
            m_sweepDone = key;
            Q_EMIT sweepChanged();
            QTimer::singleShot(0, this, &Workspace::continueBackground);
        });
    return true;
}

void Workspace::startPooledRoc()
{
    // Only the primary and the second model are ever drawn.
    auto keep = m_sources;
    auto models = rankingSources();
    if (models.size() > 2)
        models.resize(2);
    auto ds = m_dataset;
    m_rocJobs->start<std::vector<reclens::RocCurve>>(
        QStringLiteral("pooled ROC"),
        [keep, ds, models](const ProgressFn &progress) {
            std::vector<reclens::RocCurve> curves;
            for (size_t m = 0; m < models.size(); ++m) {
                const double from = static_cast<double>(m) / static_cast<double>(models.size());
                reclens::RocCurve curve = pooled_roc(
                    models[m], part(progress, from, from + 1.0 / static_cast<double>(models.size()), "pooled ROC"));
                const RocPoints thin = RocPoints::thin(curve.fpr, curve.tpr, 400);
                curve.fpr = thin.fpr;
                curve.tpr = thin.tpr;
                curve.thresholds.clear();
                curves.push_back(std::move(curve));
            }
            return curves;
        },
        [this, ds](std::vector<reclens::RocCurve> curves) {
            if (ds != m_dataset)
                return;
            m_pooledRoc = std::move(curves);
            Q_EMIT pooledRocChanged();
        });
}

} // namespace reclens::ui
