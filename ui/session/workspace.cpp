#include "ui/session/workspace.h"

#include "core/analysis/sweep.h"
#include "core/common/files.h"
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

// Source i as core takes it: a run borrows the item embeddings of the first model that has them.
RankingSource sourceOf(const std::vector<LoadedSource> &sources, size_t i, const Dataset &ds)
{
    const LoadedSource &s = sources.at(i);
    if (!s.run)
        return RankingSource(*s.model);
    const Model *lender = nullptr;
    for (const LoadedSource &o : sources)
        if (o.model && !o.model->item_embeddings().empty()) {
            lender = o.model.get();
            break;
        }
    return RankingSource(*s.run, ds, lender);
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
    std::string datasetSha;
    std::vector<LoadedSource> sources;
    QStringList modelErrors;
    bool hasQueries = false;
};

} // namespace

Workspace::Workspace(QObject *parent)
    : QObject(parent)
    , m_loadJobs(new JobTracker(this))
    , m_evalJobs(new JobTracker(this))
    , m_sweepJobs(new JobTracker(this))
    , m_ruleJobs(new JobTracker(this))
    , m_scoreJobs(new JobTracker(this))
    , m_estimateJobs(new JobTracker(this))
{
    m_settings.rerank.k = 10;
    m_globalDebounce.setSingleShot(true);
    m_globalDebounce.setInterval(250);
    connect(&m_globalDebounce, &QTimer::timeout, this, &Workspace::recomputeGlobal);
    for (JobTracker *t : { m_loadJobs, m_estimateJobs, m_scoreJobs, m_evalJobs, m_sweepJobs, m_ruleJobs })
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
    return m_loadJobs->isRunning() || m_evalJobs->isRunning() || m_sweepJobs->isRunning() || m_ruleJobs->isRunning()
        || m_scoreJobs->isRunning() || m_estimateJobs->isRunning();
}

void Workspace::waitForJobs()
{
    for (JobTracker *t : { m_loadJobs, m_estimateJobs, m_scoreJobs, m_evalJobs, m_sweepJobs, m_ruleJobs })
        t->waitForFinished();
}

void Workspace::cancelAll()
{
    m_globalDebounce.stop();
    for (JobTracker *t : { m_loadJobs, m_estimateJobs, m_scoreJobs, m_evalJobs, m_sweepJobs, m_ruleJobs })
        t->cancel();
}

void Workspace::openDataset(
    const QString &path, const QStringList &modelPaths, const QString &user, const QStringList &runPaths,
    const QString &requests)
{
    std::vector<SourceSpec> specs;
    for (const QString &m : modelPaths)
        specs.push_back({ m.toStdString(), false, {} });
    for (const QString &r : runPaths)
        specs.push_back({ r.toStdString(), true, {} });
    startLoad(path, std::move(specs), user, requests, true);
}

namespace
{
// Loads a dataset and its sources in the given order, hashing every file whose SHA-256 is not
// known yet. Sources that fail are left out with their messages.
LoadResult loadFiles(const std::string &file, const std::string &knownSha, const std::vector<std::string> &paths,
    const std::vector<bool> &isRun, const std::vector<std::string> &knownShas, const std::string &kind,
    const ProgressFn &progress)
{
    LoadResult result;
    auto ds = std::make_shared<Dataset>(load_dataset(file, part(progress, 0.0, 0.6)));
    result.datasetSha = knownSha.empty() ? sha256_file(file, "dataset") : knownSha;
    result.hasQueries = has_queries(file);
    const bool anyRun = std::find(isRun.begin(), isRun.end(), true) != isRun.end();
    // A run on a search dataset is read for its queries unless users are asked for: query
    // ids may also be user ids (movie-search's 1..10 are MovieLens users).
    const bool queries = result.hasQueries && (kind == "queries" || (kind == "auto" && anyRun));
    if (kind == "queries" && !result.hasQueries)
        result.modelErrors << QString::fromStdString(
            file + ": has no queries (make a search dataset with 'reclens-cli import queries'); showing users");
    if (queries)
        ds = std::make_shared<Dataset>(query_view(std::move(*ds)));
    result.dataset = ds;
    const double n = static_cast<double>(std::max<size_t>(1, paths.size()));
    for (size_t i = 0; i < paths.size(); ++i) {
        const std::string &p = paths[i];
        if (progress && !progress(0.7 + 0.3 * static_cast<double>(i) / n, isRun[i] ? "loading runs" : "loading models"))
            throw Cancelled();
        if (!isRun[i] && queries) {
            result.modelErrors << QString::fromStdString(
                p + ": a model scores users; it is left out while the queries are shown (runs only)");
            continue;
        }
        try {
            LoadedSource source;
            source.path = QString::fromStdString(p);
            if (isRun[i]) {
                source.run = std::make_shared<const Run>(load_run(p, *ds));
                for (const std::string &w : source.run->report.warnings())
                    qWarning().noquote() << QString::fromStdString(p + ": warning: " + w);
            } else {
                source.model = holdingDataset(Model::load(p, *ds), ds);
            }
            source.sha256 = knownShas[i].empty() ? sha256_file(p, isRun[i] ? "run" : "model") : knownShas[i];
            result.sources.push_back(std::move(source));
        } catch (const Cancelled &) {
            throw;
        } catch (const std::exception &e) {
            result.modelErrors << QString::fromStdString(e.what());
        }
    }
    return result;
}
} // namespace

void Workspace::startLoad(const QString &path, std::vector<SourceSpec> specs, const QString &user,
    const QString &requests, bool freshSession)
{
    const std::string file = path.toStdString();
    std::vector<std::string> paths, shas;
    std::vector<bool> isRun;
    for (const SourceSpec &s : specs) {
        paths.push_back(s.path);
        isRun.push_back(s.run);
        shas.push_back(s.sha256);
    }
    const std::string kind = requests.toStdString();
    m_loadJobs->start<LoadResult>(
        u"loading "_qs + QFileInfo(path).fileName(),
        [file, paths, isRun, shas, kind](const ProgressFn &progress) {
            return loadFiles(file, {}, paths, isRun, shas, kind, progress);
        },
        [this, user, freshSession](LoadResult result) {
            m_datasetSha = result.datasetSha;
            if (freshSession) {
                // Another dataset: a new, unsaved session (rules name rows of the old dataset).
                m_story.clear();
                m_sessionPath.clear();
                m_settings.rerank.rules.clear();
            }
            installSession(result.dataset, result.sources, user, result.hasQueries);
            m_modified = !freshSession;
            Q_EMIT sessionChanged();
            Q_EMIT storyChanged();
            for (const QString &message : result.modelErrors)
                Q_EMIT errorOccurred(QStringLiteral("Could not load a model or run"), message);
        });
}

namespace
{
struct SessionLoad {
    Session session;
    std::vector<SessionFileProblem> problems;
    LoadResult load;
    WorkspaceSettings settings;
    bool located = false; // a file was found elsewhere than the session says
};
} // namespace

void Workspace::openSession(const QString &path, const SessionFileChoices &choices)
{
    const std::string file = path.toStdString();
    const int pool = m_settings.pool;
    m_loadJobs->start<SessionLoad>(
        u"opening "_qs + QFileInfo(path).fileName(),
        [file, choices, pool](const ProgressFn &progress) {
            SessionLoad out;
            out.session = read_session(file);
            Session &s = out.session;
            // Files the person located: used when they are the saved file (same SHA-256), or when
            // they said to use them as they are (the session then records their new hash).
            std::vector<int> accepted;
            for (auto it = choices.begin(); it != choices.end(); ++it) {
                const int i = it.key();
                if (i < -1 || i >= static_cast<int>(s.sources.size()))
                    continue;
                (i < 0 ? s.dataset : s.sources[static_cast<size_t>(i)].path) = it.value().path.toStdString();
                if (it.value().acceptDifferent)
                    accepted.push_back(i);
            }
            for (SessionFileProblem &p : check_session_files(s)) {
                const bool ok = p.kind == SessionFileProblem::Kind::changed
                    && std::find(accepted.begin(), accepted.end(), p.source) != accepted.end();
                if (!ok) {
                    out.problems.push_back(std::move(p));
                    continue;
                }
                (p.source < 0 ? s.dataset_sha256 : s.sources[static_cast<size_t>(p.source)].sha256) = p.actual_sha256;
            }
            if (!out.problems.empty())
                return out;
            out.located = !choices.isEmpty();
            std::vector<std::string> paths, shas;
            std::vector<bool> isRun;
            for (const SessionSource &src : s.sources) {
                paths.push_back(src.path);
                isRun.push_back(src.kind == SessionSource::Kind::run);
                shas.push_back(src.sha256);
            }
            out.load = loadFiles(s.dataset, s.dataset_sha256, paths, isRun, shas, s.requests, progress);
            if (out.load.dataset->queries() != (s.requests == "queries"))
                throw Error(located(file, "the session shows " + s.requests + ", which the dataset " + s.dataset
                                             + " does not have"));
            // Every source or none: a dropped source would make another one the primary.
            if (!out.load.modelErrors.isEmpty())
                throw Error(located(file, "cannot open the session as saved: " + out.load.modelErrors.join(u"; "_qs).toStdString()));
            // The options `reclens-cli evaluate --session` takes (one function for both).
            const bool embeddings = !out.load.sources.empty()
                && !sourceOf(out.load.sources, 0, *out.load.dataset).item_embeddings().empty();
            out.settings.rerank = session_rerank(s, *out.load.dataset, embeddings);
            out.settings.pool = s.pool > 0 ? s.pool : pool;
            out.settings.compared = s.compared;
            out.settings.baselineColumn = s.baseline_column;
            out.settings.compareReranked = s.compared_reranked;
            return out;
        },
        [this, path, choices](SessionLoad result) {
            if (!result.problems.empty()) {
                Q_EMIT sessionProblems(path, result.problems, choices);
                return;
            }
            const Session &s = result.session;
            m_settings = result.settings;
            m_barsLevel = std::max(1, s.bars_level);
            m_inspector.setBarsLevel(m_barsLevel);
            m_rocScope = s.roc == "pool" ? RocScope::pool : RocScope::items;
            Q_EMIT rocScopeChanged();
            m_story = s.story;
            m_datasetSha = result.load.datasetSha;
            m_sessionPath = path;
            installSession(result.load.dataset, result.load.sources, QString::fromStdString(s.user),
                result.load.hasQueries);
            // Located files, settings the dataset refused, or a saved user it lacks are changes to save.
            const bool userShown = s.user.empty()
                || (m_user >= 0 && m_dataset->user_external[static_cast<size_t>(m_user)] == s.user);
            m_modified = result.located || !(m_settings.rerank == result.settings.rerank) || !userShown;
            Q_EMIT sessionChanged();
            Q_EMIT storyChanged();
            Q_EMIT sessionOpened(path, s);
        });
}

Session Workspace::session() const
{
    if (!m_dataset)
        throw Error("no dataset is open: open a dataset (and its models) before saving a session");
    Session s;
    s.dataset = m_dataset->path;
    s.dataset_sha256 = m_datasetSha;
    s.requests = m_dataset->queries() ? "queries" : "users";
    for (const LoadedSource &src : m_sources)
        s.sources.push_back({ src.isRun() ? SessionSource::Kind::run : SessionSource::Kind::model,
            src.path.toStdString(), src.sha256, src.name() });
    s.rerank = m_settings.rerank;
    s.rerank.rules.clear();
    s.rules = describe_rules(m_settings.rerank.rules, *m_dataset);
    s.pool = m_settings.pool;
    s.compared = m_settings.compared;
    s.baseline_column = m_settings.baselineColumn;
    s.compared_reranked = m_settings.compareReranked;
    if (m_user >= 0)
        s.user = m_dataset->user_external[static_cast<size_t>(m_user)];
    s.story = m_story;
    s.bars_level = m_barsLevel;
    s.roc = m_rocScope == RocScope::pool ? "pool" : "items";
    return s;
}

void Workspace::markSaved(const QString &path)
{
    m_sessionPath = path;
    m_modified = false;
    Q_EMIT sessionChanged();
}

void Workspace::restoreModified(bool modified)
{
    setModified(modified);
}

void Workspace::setModified(bool modified)
{
    if (modified == m_modified)
        return;
    m_modified = modified;
    Q_EMIT sessionChanged();
}

void Workspace::pinUser(const QString &externalId, const QString &note)
{
    const std::string id = externalId.toStdString();
    if (!m_dataset || m_dataset->find_user(id) < 0) {
        Q_EMIT errorOccurred(QStringLiteral("Could not pin"), u"'"_qs + externalId + u"' is not in this dataset"_qs);
        return;
    }
    for (const StoryUser &u : m_story)
        if (u.id == id)
            return; // pinned once
    m_story.push_back({ id, note.toStdString() });
    setModified(true);
    Q_EMIT storyChanged();
}

void Workspace::unpinStory(int index)
{
    if (index < 0 || static_cast<size_t>(index) >= m_story.size())
        return;
    m_story.erase(m_story.begin() + index);
    setModified(true);
    Q_EMIT storyChanged();
}

void Workspace::moveStory(int from, int to)
{
    const int n = static_cast<int>(m_story.size());
    if (from < 0 || from >= n || to < 0 || to >= n || from == to)
        return;
    StoryUser u = std::move(m_story[static_cast<size_t>(from)]);
    m_story.erase(m_story.begin() + from);
    m_story.insert(m_story.begin() + to, std::move(u));
    setModified(true);
    Q_EMIT storyChanged();
}

void Workspace::setStoryNote(int index, const QString &note)
{
    if (index < 0 || static_cast<size_t>(index) >= m_story.size())
        return;
    const std::string text = note.toStdString();
    if (m_story[static_cast<size_t>(index)].note == text)
        return;
    m_story[static_cast<size_t>(index)].note = text;
    setModified(true);
    Q_EMIT storyChanged();
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
    m_loadJobs->start<LoadedSource>(
        u"loading "_qs + QFileInfo(path).fileName(),
        [ds, file, path](const ProgressFn &) {
            return LoadedSource { holdingDataset(Model::load(file, *ds), ds), nullptr, path, sha256_file(file, "model") };
        },
        [this, ds](LoadedSource model) {
            if (ds != m_dataset)
                return; // the dataset changed meanwhile
            auto sources = m_sources;
            sources.push_back(std::move(model));
            const QString user = m_user >= 0
                ? QString::fromStdString(m_dataset->user_external[static_cast<size_t>(m_user)])
                : QString();
            installSession(m_dataset, sources, user, m_hasQueries);
            setModified(true);
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
    m_loadJobs->start<LoadedSource>(
        u"loading "_qs + QFileInfo(path).fileName(),
        [ds, file, path](const ProgressFn &) {
            auto run = std::make_shared<const Run>(load_run(file, *ds));
            for (const std::string &w : run->report.warnings())
                qWarning().noquote() << QString::fromStdString(file + ": warning: " + w);
            return LoadedSource { nullptr, std::move(run), path, sha256_file(file, "run") };
        },
        [this, ds](LoadedSource run) {
            if (ds != m_dataset)
                return;
            auto sources = m_sources;
            sources.push_back(std::move(run));
            const QString user = m_user >= 0
                ? QString::fromStdString(m_dataset->user_external[static_cast<size_t>(m_user)])
                : QString();
            installSession(m_dataset, sources, user, m_hasQueries);
            setModified(true);
        });
}

void Workspace::setRequestKind(RequestKind kind)
{
    if (!m_dataset || kind == m_dataset->request_kind)
        return;
    QStringList models, runs;
    for (const LoadedSource &s : m_sources)
        (s.isRun() ? runs : models) << s.path;
    std::vector<SourceSpec> specs;
    for (const LoadedSource &s : m_sources)
        specs.push_back({ s.path.toStdString(), s.isRun(), {} }); // hashed again: the file may have changed
    startLoad(QString::fromStdString(m_dataset->path), std::move(specs), {},
        kind == RequestKind::queries ? QStringLiteral("queries") : QStringLiteral("users"), false);
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
    return sourceOf(m_sources, i, *m_dataset);
}

QStringList Workspace::openFiles() const
{
    QStringList files;
    if (m_dataset)
        files << QString::fromStdString(m_dataset->path);
    for (const LoadedSource &s : m_sources)
        files << s.path;
    if (!m_sessionPath.isEmpty())
        files << m_sessionPath;
    return files;
}

bool Workspace::runsAreCurrent() const
{
    if (!m_runs.reranked)
        return false;
    const EvaluationResult &r = *m_runs.reranked;
    return r.rerank == m_settings.rerank && r.k == m_settings.rerank.k
        && r.pool == std::max(m_settings.pool, m_settings.rerank.k);
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
    m_scoreJobs->cancel();
    m_estimateJobs->cancel();
    m_ruleJobs->cancel();
    m_ruleCosts.reset();
    m_sample.reset();
    m_estimates.reset();
    m_rulesStarted = {};
    m_rulesDone = {};
    m_runs = GlobalRuns {};
    m_sweep = SweepResult {};
    m_sweepStarted = {};
    m_sweepDone = {};
    m_pooledRoc.clear();
    m_scored.clear();
    m_view = UserView {};
    m_user = -1;
    m_sources = std::move(sources);
    m_dataset = std::move(dataset);
    m_evaluatedUsers = evaluated_users(*m_dataset).size();
    m_hasQueries = hasQueries;
    m_palette = CategoryPalette::fromDataset(*m_dataset);
    try {
        m_inspector.setData(m_dataset, rankingSources());
    } catch (const std::exception &) {
        // The previous options do not fit this dataset; the current settings are set next.
    }
    try {
        m_inspector.setOptions(m_settings.rerank, m_settings.pool);
    } catch (const std::exception &e) {
        m_settings.rerank = RerankOptions {};
        m_inspector.setOptions(m_settings.rerank, m_settings.pool);
        Q_EMIT errorOccurred(QStringLiteral("Re-ranking settings reset"), QString::fromStdString(e.what()));
    }
    m_settings.rerank = m_inspector.options();
    m_inspector.setCompared(m_settings.compared, m_settings.compareReranked);
    m_inspector.setBaselineColumn(m_settings.baselineColumn);
    Q_EMIT datasetChanged();
    Q_EMIT modelsChanged();
    Q_EMIT settingsChanged();
    Q_EMIT runsChanged();
    Q_EMIT sweepChanged();
    Q_EMIT pooledRocChanged();
    Q_EMIT ruleCostsChanged();

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
    if (static_cast<size_t>(std::max(0, m_settings.baselineColumn)) >= 2 + m_settings.compared.size())
        m_settings.baselineColumn = 0; // its column is no longer shown
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
    m_inspector.setCompared(m_settings.compared, m_settings.compareReranked);
    m_inspector.setBaselineColumn(m_settings.baselineColumn);
    if (!(m_settings == previous))
        setModified(true);
    Q_EMIT settingsChanged();
    refreshView();
    if (m_inspector.hasData()) {
        // Stale global numbers are cancelled at once; the new run starts when the slider rests.
        m_evalJobs->cancel();
        m_ruleJobs->cancel();
        if (m_ruleCosts && !(RuleKey { sweepKey(), m_settings.rerank.diversity } == m_rulesDone)) {
            m_ruleCosts.reset();
            Q_EMIT ruleCostsChanged();
        }
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
    if (std::max(1, level) != m_barsLevel)
        setModified(true);
    m_barsLevel = std::max(1, level);
    m_inspector.setBarsLevel(level);
    refreshView();
}

void Workspace::setBaselineColumn(int column)
{
    if (column < 0 || static_cast<size_t>(column) >= 2 + m_settings.compared.size()
        || column == m_settings.baselineColumn)
        return;
    m_settings.baselineColumn = column;
    m_inspector.setBaselineColumn(column);
    setModified(true);
    Q_EMIT settingsChanged();
    refreshView();
}

UserView Workspace::viewOf(int32_t user)
{
    if (!m_inspector.hasData() || !m_dataset || user < 0 || user >= m_dataset->n_users())
        return {};
    return m_inspector.inspect(user);
}

void Workspace::setRocScope(RocScope scope)
{
    if (scope == m_rocScope)
        return;
    m_rocScope = scope;
    setModified(true);
    Q_EMIT rocScopeChanged();
}

void Workspace::selectUser(int32_t user)
{
    if (!m_dataset || user < 0 || user >= m_dataset->n_users())
        return;
    m_autoUser = false; // a person chose: never switch away on our own
    if (user != m_user)
        setModified(true);
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
    // One job at a time on a shared CPU: every source scored once (with the pooled ROC), then the
    // runs measured (the numbers people wait for), then the sweep and the rule costs when stale.
    // On a big shop a sample's numbers come first, beside the exact work (DESIGN §7).
    if (worth_estimating(m_evaluatedUsers))
        startEstimate();
    if (!allScored()) {
        startScoring();
        return;
    }
    startEvaluation();
}

void Workspace::continueBackground()
{
    if (m_sources.empty() || m_evalJobs->isRunning() || m_scoreJobs->isRunning())
        return;
    if (startSweep())
        return;
    startRuleCosts();
}

std::shared_ptr<const ScoredSource> Workspace::scoredPrimary() const
{
    if (m_scored.empty() || !m_scored.front())
        return nullptr;
    return m_scored.front()->fits(evaluationOptions(m_settings.rerank)) ? m_scored.front() : nullptr;
}

bool Workspace::startRuleCosts()
{
    const RuleKey key { sweepKey(), m_settings.rerank.diversity };
    if (m_settings.rerank.rules.empty() || m_sources.empty()) {
        if (m_ruleCosts) {
            m_ruleCosts.reset();
            Q_EMIT ruleCostsChanged();
        }
        return false;
    }
    if ((m_ruleCosts && key == m_rulesDone) || (m_ruleJobs->isRunning() && key == m_rulesStarted))
        return false;
    auto scored = scoredPrimary();
    if (!scored)
        return false; // the evaluation scores first, then comes back here
    m_rulesStarted = key;
    auto keep = m_sources;
    auto ds = m_dataset;
    const EvaluationOptions options = evaluationOptions(m_settings.rerank);
    m_ruleJobs->start<RuleCosts>(
        QStringLiteral("what each rule costs"),
        [keep, ds, scored, options](const ProgressFn &progress) { return rule_costs(*scored, options, progress); },
        [this, ds, key](RuleCosts costs) {
            if (ds != m_dataset)
                return;
            m_ruleCosts = std::move(costs);
            m_rulesDone = key;
            Q_EMIT ruleCostsChanged();
        });
    return true;
}

namespace
{
// What the scoring job hands back: every source's scored candidates (reused until k, pool, a source
// or the dataset change) and its pooled ROC curve, thinned for drawing.
struct ScoringBundle {
    std::vector<std::shared_ptr<const ScoredSource>> scored;
    std::vector<reclens::RocCurve> pooledRoc;
};
} // namespace

EvaluationOptions Workspace::modelOrderOptions() const
{
    RerankOptions none = m_settings.rerank;
    none.method = RerankMethod::none;
    none.diversity = 0;
    none.rules.clear();
    return evaluationOptions(none);
}

bool Workspace::allScored() const
{
    const EvaluationOptions o = modelOrderOptions();
    if (m_scored.size() != m_sources.size())
        return false;
    for (const auto &s : m_scored)
        if (!s || !s->fits(o))
            return false;
    return true;
}

void Workspace::startScoring()
{
    // Every source is scored once for k and pool (DESIGN §13); what is scored stays while they do
    // (a new dataset or source clears it). A δ or rule change never cancels this job.
    const EvaluationOptions options = modelOrderOptions();
    const std::pair<int, int> key { options.k, std::max(options.pool, options.k) };
    if (m_scoreJobs->isRunning() && key == m_scoringKey)
        return;
    m_scoringKey = key;
    auto keep = m_sources;
    auto ds = m_dataset;
    auto models = rankingSources();
    std::vector<std::shared_ptr<const ScoredSource>> cached = m_scored;
    for (auto &s : cached)
        if (s && !s->fits(options))
            s.reset();
    cached.resize(models.size());
    auto cachedRoc = m_pooledRoc;
    cachedRoc.resize(models.size());
    m_scoreJobs->start<ScoringBundle>(
        QStringLiteral("scoring all users"),
        [keep, ds, models, options, cached, cachedRoc](const ProgressFn &progress) {
            ScoringBundle out { cached, cachedRoc };
            double toScore = 0;
            for (const auto &s : cached)
                toScore += s ? 0 : 1;
            double done = 0;
            for (size_t m = 0; m < models.size(); ++m) {
                if (out.scored[m])
                    continue;
                const double from = done / toScore, to = (done + 1) / toScore;
                done += 1;
                auto scored = std::make_shared<const ScoredSource>(
                    score(models[m], options, part(progress, from, to, "scoring " + models[m].name()), true));
                reclens::RocCurve curve = scored->auc.pooled_curve;
                const RocPoints thin = RocPoints::thin(curve.fpr, curve.tpr, 400);
                curve.fpr = thin.fpr;
                curve.tpr = thin.tpr;
                curve.thresholds.clear();
                out.pooledRoc[m] = std::move(curve);
                out.scored[m] = std::move(scored);
            }
            return out;
        },
        [this, ds](ScoringBundle bundle) {
            if (ds != m_dataset)
                return;
            m_scored = std::move(bundle.scored);
            m_pooledRoc = std::move(bundle.pooledRoc);
            Q_EMIT pooledRocChanged();
            QTimer::singleShot(0, this, &Workspace::recomputeGlobal);
        });
}

bool Workspace::estimatesAreCurrent() const
{
    const EvaluationOptions o = evaluationOptions(m_settings.rerank);
    return m_estimates && m_estimates->rerank == o.rerank && m_estimates->k == o.k
        && m_estimates->pool == std::max(o.pool, o.k);
}

void Workspace::startEstimate()
{
    const EvaluationOptions base = modelOrderOptions();
    const EvaluationOptions rerank = evaluationOptions(m_settings.rerank);
    std::shared_ptr<const ScoredSource> sample = m_sample;
    if (sample && !sample->fits(base))
        sample.reset();
    auto keep = m_sources;
    auto ds = m_dataset;
    const RankingSource source = rankingSource(0);
    const size_t population = m_evaluatedUsers;
    using Result = std::pair<std::shared_ptr<const ScoredSource>, WorkspaceEstimates>;
    m_estimateJobs->start<Result>(
        QStringLiteral("estimating from a sample"),
        [keep, ds, source, base, rerank, sample, population](const ProgressFn &progress) {
            auto scored = sample ? sample
                                 : std::make_shared<const ScoredSource>(
                                     score_sample(source, base, kEstimateUsers, kEstimateSeed, part(progress, 0, 0.8)));
            WorkspaceEstimates e;
            e.base = estimate_measure(*scored, base, population);
            e.reranked = estimate_measure(*scored, rerank, population);
            e.rerank = rerank.rerank;
            e.k = scored->facts.k;
            e.pool = scored->asked_pool;
            return Result { scored, e };
        },
        [this, ds](Result result) {
            if (ds != m_dataset)
                return;
            m_sample = std::move(result.first);
            m_estimates = std::move(result.second);
            Q_EMIT estimatesAvailable(*m_estimates);
        });
}

void Workspace::startEvaluation()
{
    // Measuring is cheap (DESIGN §13): the model order, the re-ranked run and every other source
    // from the candidates scored once.
    auto keep = m_sources;
    auto ds = m_dataset;
    auto scored = m_scored;
    auto names = rankingSources();
    const EvaluationOptions baseOptions = modelOrderOptions();
    const EvaluationOptions rerankOptions = evaluationOptions(m_settings.rerank);
    m_evalJobs->start<GlobalRuns>(
        QStringLiteral("evaluating all users"),
        [keep, ds, scored, names, baseOptions, rerankOptions](const ProgressFn &progress) {
            const double parts = 1.0 + static_cast<double>(scored.size());
            auto step = [&](size_t i, const std::string &label) {
                return part(progress, static_cast<double>(i) / parts, static_cast<double>(i + 1) / parts, label);
            };
            GlobalRuns runs;
            runs.base = std::make_shared<const EvaluationResult>(measure(*scored[0], baseOptions, step(0, "model order")));
            runs.reranked = std::make_shared<const EvaluationResult>(measure(*scored[0], rerankOptions, step(1, "re-ranked")));
            runs.rerankedOptions = rerankOptions;
            runs.rerankedVsBase = compare_runs(*runs.base, *runs.reranked);
            // Every other source against the primary's model order (the Summary's comparisons and
            // Holm's family, the models as points), whichever of them the inspector shows as lists.
            std::vector<const EvaluationResult *> others;
            for (size_t s = 1; s < scored.size(); ++s) {
                runs.others.push_back(
                    std::make_shared<const EvaluationResult>(measure(*scored[s], baseOptions, step(s + 1, names[s].name()))));
                others.push_back(runs.others.back().get());
            }
            if (!others.empty())
                runs.othersVsBase = compare_to_baseline(*runs.base, others);
            return runs;
        },
        [this, ds](GlobalRuns runs) {
            if (ds != m_dataset)
                return;
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
    auto scored = scoredPrimary();
    if (!scored)
        return false; // the evaluation scores first, then comes back here
    m_sweepStarted = key;
    auto keep = m_sources;
    auto ds = m_dataset;
    const EvaluationOptions base = evaluationOptions(m_settings.rerank);
    // The re-ranked run measured from the same candidates stands in for its own δ's point.
    auto reranked = m_runs.reranked;
    const EvaluationOptions rerankedOptions = m_runs.rerankedOptions;
    m_sweepJobs->start<SweepResult>(
        QStringLiteral("δ sweep"),
        [keep, ds, scored, base, reranked, rerankedOptions](const ProgressFn &progress) {
            const std::string diversity = sweep_diversity_metric(scored->source, base.rerank);
            const MeasuredRun measured[] = { { rerankedOptions, reranked.get() } };
            const SweepCurve c = diversity_sweep(*scored, base, default_sweep_deltas(), "ndcg", diversity, progress,
                                                 measured);
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

} // namespace reclens::ui
