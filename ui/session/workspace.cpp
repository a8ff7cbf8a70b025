#include "ui/session/workspace.h"

#include "core/common/files.h"
#include "core/data/datasetrepository.h"
#include "core/data/queries.h"
#include "core/data/runfile.h"
#include "core/scoring/scorer.h"
#include "ui/session/jobtracker.h"

#include <QDebug>
#include <QFileInfo>
#include <cmath>

namespace reclens::ui
{

std::vector<SourceFile> sourceFiles(const std::vector<LoadedSource> &sources)
{
    return { sources.begin(), sources.end() };
}

Workspace::Workspace(QObject *parent)
    : QObject(parent)
    , m_loadJobs(new JobTracker(this))
    , m_analysis(new Analysis(this))
{
    m_settings.rerank.k = 10;
    connect(m_loadJobs, &JobTracker::jobStarted, this, &Workspace::loadStarted);
    connect(m_loadJobs, &JobTracker::progressChanged, this, &Workspace::loadProgressChanged);
    connect(m_loadJobs, &JobTracker::jobFinished, this, &Workspace::loadFinished);
    connect(m_loadJobs, &JobTracker::jobFailed, this, &Workspace::loadFailed);
    connect(m_loadJobs, &JobTracker::jobFailed, this, [this](const QString &label, const QString &message) {
        Q_EMIT errorOccurred(u"Could not finish "_qs + label, message);
    });
    connect(m_analysis, &Analysis::jobFailed, this,
        [this](Analysis::Job, const QString &label, const QString &message) {
            Q_EMIT errorOccurred(u"Could not finish "_qs + label, message);
        });
    connect(m_loadJobs, &JobTracker::runningChanged, this, &Workspace::updateBusy);
    connect(m_analysis, &Analysis::busyChanged, this, &Workspace::updateBusy);
    // The first all-user run may swap in a more telling user while nobody has picked one.
    connect(m_analysis, &Analysis::runsAvailable, this, &Workspace::pickTellingUser);
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

bool Workspace::isLoading() const
{
    return m_loadJobs->isRunning();
}

bool Workspace::isBusy() const
{
    return m_loadJobs->isRunning() || m_analysis->isBusy();
}

void Workspace::updateBusy()
{
    if (isBusy() == m_busy)
        return;
    m_busy = !m_busy;
    Q_EMIT busyChanged(m_busy);
}

void Workspace::waitForJobs()
{
    m_loadJobs->waitForFinished();
    m_analysis->waitForJobs();
}

void Workspace::cancelAll()
{
    m_loadJobs->cancel();
    m_analysis->cancelAll();
}

std::vector<RankingSource> Workspace::rankingSources() const
{
    return ranking_sources(sourceFiles(m_sources), *m_dataset);
}

RankingSource Workspace::rankingSource(size_t i) const
{
    return ranking_source(sourceFiles(m_sources), i, *m_dataset);
}

bool Workspace::hasEmbeddings() const
{
    return !m_sources.empty() && !rankingSource(0).item_embeddings().empty();
}

void Workspace::installSession(
    std::shared_ptr<const Dataset> dataset, std::vector<LoadedSource> sources, const QString &user, bool hasQueries)
{
    m_view = UserView {};
    m_user = -1;
    m_sources = std::move(sources);
    m_dataset = std::move(dataset);
    m_analysis->setSources(m_dataset, sourceFiles(m_sources));
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
    m_analysis->setSettings(analysisSettings());
    Q_EMIT datasetChanged();
    Q_EMIT modelsChanged();
    Q_EMIT settingsChanged();

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
    m_analysis->recompute();
}

void Workspace::showUser(int32_t user)
{
    if (!m_dataset || user < 0 || user >= m_dataset->n_users() || user == m_user)
        return;
    m_user = user;
    refreshView();
}

void Workspace::pickTellingUser(const GlobalRuns &runs)
{
    // The user whose model-order list has the most test hits (ties: more test items, then lower
    // index), so a first look shows ✔ marks and a ROC curve that moves with δ.
    if (!m_autoUser || !runs.base)
        return;
    m_autoUser = false;
    const EvaluationResult &base = *runs.base;
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
    if (m_inspector.hasData())
        m_analysis->setSettings(analysisSettings());
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

AnalysisSettings Workspace::analysisSettings() const
{
    return { m_settings.rerank, m_settings.pool };
}

} // namespace reclens::ui
