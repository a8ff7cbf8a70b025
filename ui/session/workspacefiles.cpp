#include "ui/session/workspace.h"

// Opening and saving: datasets, models and runs, sessions (DESIGN §10, §11).
#include "core/common/files.h"
#include "core/data/runfile.h"
#include "ui/session/jobtracker.h"

#include <QDebug>
#include <QFileInfo>

namespace reclens::ui
{

namespace
{
struct LoadResult {
    std::shared_ptr<const Dataset> dataset;
    std::string datasetSha;
    std::vector<LoadedSource> sources;
    QStringList modelErrors;
    bool hasQueries = false;
};

// What core opened, with each file's SHA-256 (hashed where it is not known yet).
LoadResult fromOpened(OpenedFiles opened, std::string datasetSha, const std::vector<std::string> &knownShas)
{
    LoadResult result;
    result.dataset = opened.dataset;
    result.datasetSha = std::move(datasetSha);
    result.hasQueries = opened.has_queries;
    for (const std::string &w : opened.warnings)
        qWarning().noquote() << QString::fromStdString(w);
    for (const std::string &e : opened.errors)
        result.modelErrors << QString::fromStdString(e);
    for (size_t i = 0; i < opened.sources.size(); ++i) {
        LoadedSource source;
        static_cast<SourceFile &>(source) = std::move(opened.sources[i]);
        const std::string &known = knownShas[opened.requested[i]];
        source.sha256 = known.empty() ? sha256_file(source.path, source.run ? "run" : "model") : known;
        result.sources.push_back(std::move(source));
    }
    return result;
}

} // namespace

void Workspace::openDataset(const QString &path, const QStringList &modelPaths, const QString &user,
    const QStringList &runPaths, const QString &requests)
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
// Opens a dataset and its sources in the given order (core's open_files: the rules `reclens-cli`
// follows), hashing every file whose SHA-256 is not known yet. Sources that fail are left out with
// their messages.
LoadResult loadFiles(const std::string &file, const std::vector<std::string> &paths, const std::vector<bool> &isRun,
    const std::vector<std::string> &knownShas, const std::string &kind, const ProgressFn &progress)
{
    std::vector<SourceRequest> requests;
    for (size_t i = 0; i < paths.size(); ++i)
        requests.push_back({ paths[i], isRun[i] });
    OpenedFiles opened = open_files(file, requests, kind, progress);
    return fromOpened(std::move(opened), sha256_file(file, "dataset"), knownShas);
}
} // namespace

void Workspace::startLoad(
    const QString &path, std::vector<SourceSpec> specs, const QString &user, const QString &requests, bool freshSession)
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
        [file, paths, isRun, shas, kind](
            const ProgressFn &progress) { return loadFiles(file, paths, isRun, shas, kind, progress); },
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
            // Files the person located (core's locate_session_files).
            std::vector<LocatedFile> located;
            for (auto it = choices.begin(); it != choices.end(); ++it)
                located.push_back({ it.key(), it.value().path.toStdString(), it.value().acceptDifferent });
            out.problems = locate_session_files(s, located);
            if (!out.problems.empty())
                return out;
            out.located = !choices.isEmpty();
            // As `reclens-cli evaluate --session` opens it (core's load_session_files and
            // session_options: one set of rules for both).
            std::vector<std::string> knownShas;
            for (const SessionSource &src : s.sources)
                knownShas.push_back(src.sha256);
            out.load = fromOpened(load_session_files(s, file, progress), s.dataset_sha256, knownShas);
            // A session may name no source yet (a dataset saved on its own).
            const RankingSource primary = out.load.sources.empty()
                ? RankingSource()
                : ranking_source(sourceFiles(out.load.sources), 0, *out.load.dataset);
            const EvaluationOptions options = session_options(s, *out.load.dataset, primary, pool);
            out.settings.rerank = options.rerank;
            out.settings.pool = options.pool;
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
            installSession(
                result.load.dataset, result.load.sources, QString::fromStdString(s.user), result.load.hasQueries);
            // Located files, settings the dataset refused, or a saved user it lacks are changes to save.
            const bool userShown
                = s.user.empty() || (m_user >= 0 && m_dataset->user_external[static_cast<size_t>(m_user)] == s.user);
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
        s.sources.push_back(
            { src.isRun() ? SessionSource::Kind::run : SessionSource::Kind::model, src.path, src.sha256, src.name() });
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
    if (m_dataset && m_dataset->queries()) {
        Q_EMIT errorOccurred(QStringLiteral("Could not add a model"),
            QStringLiteral("a model scores users, and the queries are shown: switch the requests page to users, "
                           "or add a run (File › Add run…)"));
        return;
    }
    addSource(path, false);
}

void Workspace::addRun(const QString &path)
{
    addSource(path, true);
}

void Workspace::addSource(const QString &path, bool run)
{
    if (!m_dataset) {
        Q_EMIT errorOccurred(run ? QStringLiteral("Could not add a run") : QStringLiteral("Could not add a model"),
            run ? QStringLiteral("no dataset is open; open a dataset (.sqlite) before adding runs")
                : QStringLiteral("no dataset is open; open a dataset (.sqlite) before adding models"));
        return;
    }
    auto ds = m_dataset;
    const std::string file = path.toStdString();
    m_loadJobs->start<LoadedSource>(
        u"loading "_qs + QFileInfo(path).fileName(),
        [ds, file, run](const ProgressFn &) {
            LoadedSource source;
            source.path = file;
            if (run) {
                source.run = std::make_shared<const Run>(load_run(file, *ds));
                for (const std::string &w : source.run->report.warnings())
                    qWarning().noquote() << QString::fromStdString(file + ": warning: " + w);
            } else {
                source.model = holding_dataset(Model::load(file, *ds), ds);
            }
            source.sha256 = sha256_file(file, run ? "run" : "model");
            return source;
        },
        [this, ds](LoadedSource source) {
            if (ds != m_dataset)
                return; // the dataset changed meanwhile
            auto sources = m_sources;
            sources.push_back(std::move(source));
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
    std::vector<SourceSpec> specs;
    for (const LoadedSource &s : m_sources)
        specs.push_back({ s.path, s.isRun(), {} }); // hashed again: the file may have changed
    startLoad(QString::fromStdString(m_dataset->path), std::move(specs), {},
        kind == RequestKind::queries ? QStringLiteral("queries") : QStringLiteral("users"), false);
}

QStringList Workspace::openFiles() const
{
    QStringList files;
    if (m_dataset)
        files << QString::fromStdString(m_dataset->path);
    for (const LoadedSource &s : m_sources)
        files << QString::fromStdString(s.path);
    if (!m_sessionPath.isEmpty())
        files << m_sessionPath;
    return files;
}

} // namespace reclens::ui
