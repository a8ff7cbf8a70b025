#pragma once
// The session behind every page (DESIGN §10): the dataset, its sources, the re-ranking settings, the
// selected user and the user's view, the story, the session file and whether it is saved. Opening
// files runs in the background (its job tracker is its own); the all-user work is the Analysis it
// owns, which hands its results over as payload signals. It never touches widgets. The selected
// user's view is computed at once on the GUI thread (core's UserInspector: one user's pool).
#include "core/analysis/session.h"
#include "core/analysis/sessionfiles.h"
#include "ui/plots/categorypalette.h"
#include "ui/session/analysis.h"
#include "core/analysis/userview.h"

#include <QHash>
#include <QObject>
#include <QStringList>
#include <memory>
#include <optional>

namespace reclens::ui
{

class JobTracker;

struct WorkspaceSettings {
    RerankOptions rerank = defaultRerank();
    int pool = 100;
    // Sources (indices ≥ 1) shown in their own order beside the primary's two lists (DESIGN §10:
    // the compared models). The Summary compares every source, shown or not.
    std::vector<int> compared;
    int baselineColumn = 0; // the list column rank moves are counted against
    bool compareReranked = false; // the compared sources' lists re-ranked like the primary's
    bool operator==(const WorkspaceSettings &) const = default;

    static RerankOptions defaultRerank()
    {
        RerankOptions o;
        o.method = RerankMethod::mmr;
        return o;
    }
};

// A list source as loaded (DESIGN §11): a TorchScript model or a precomputed run, with the SHA-256
// of its file as loaded (sessions record it).
struct LoadedSource : SourceFile {
    std::string sha256;
    std::string name() const { return run ? run->name : model ? model->info().name : std::string(); }
    bool isRun() const { return run != nullptr; }
};
// The sources as core takes them (ranking_source, the Analysis).
std::vector<SourceFile> sourceFiles(const std::vector<LoadedSource> &sources);

// Where the files of a session are to be found when they are not where it says (DESIGN §10): a
// located file is used when it has the saved SHA-256, or when the person said to use it as it is.
struct SessionFileChoice {
    QString path;
    bool acceptDifferent = false;
};
using SessionFileChoices = QHash<int, SessionFileChoice>; // key: source index, -1 = the dataset

class Workspace : public QObject
{
    Q_OBJECT
public:
    explicit Workspace(QObject *parent = nullptr);
    ~Workspace() override;

    // --- state ---
    std::shared_ptr<const Dataset> dataset() const { return m_dataset; }
    // Models and runs in the order they were added; the first is the primary source (re-ranked).
    const std::vector<LoadedSource> &sources() const { return m_sources; }
    // Source i as core takes it (ranking_source: a run borrows the first model's item embeddings).
    RankingSource rankingSource(size_t i) const;
    bool hasEmbeddings() const; // the primary source has item embeddings (its own or borrowed)
    // The files an output must never overwrite: the dataset, every source, the session file.
    QStringList openFiles() const;
    RequestKind requestKind() const { return m_dataset ? m_dataset->request_kind : RequestKind::users; }
    bool datasetHasQueries() const { return m_hasQueries; }
    const CategoryPalette &palette() const { return m_palette; }
    const WorkspaceSettings &settings() const { return m_settings; }
    int32_t currentUser() const { return m_user; }
    const UserView &view() const { return m_view; }
    // The view of any user (or query) with the current settings, as Inspect would show it (the
    // report's and the presentation's story pages). GUI thread only; fast (one user's pool).
    UserView viewOf(int32_t user);
    QString deviceDescription() const { return m_device; }
    // The `n` items of the current user's history most similar to `item` (current similarity).
    std::vector<std::pair<int32_t, double>> similarHistory(int32_t item, size_t n) const;

    // The all-user work of this session (its results arrive as its payload signals).
    Analysis *analysis() const { return m_analysis; }
    bool isLoading() const;
    bool isBusy() const; // loading, or the analysis at work
    // Waits for all background work (tests, screenshots, shutdown).
    void waitForJobs();

    // --- session (DESIGN §10) ---
    // The state as a session (paths absolute; the saved file makes them relative). Needs a dataset.
    Session session() const;
    QString sessionPath() const { return m_sessionPath; } // empty: not saved yet
    bool isModified() const { return m_modified; }
    // After a successful save to `path`: the session is that file, unmodified.
    void markSaved(const QString &path);
    // For modes that change settings only for a while and put them back (the presentation's δ
    // sweep and story steps): the unsaved-changes mark as it was before.
    void restoreModified(bool modified);
    const std::vector<StoryUser> &story() const { return m_story; }
    int barsLevel() const { return m_barsLevel; }
    // The ROC plot's universe (DESIGN §7): every item outside the history, or only the candidate
    // pool, where re-ranking acts. A plot choice: it changes no number but the curves drawn.
    enum class RocScope { items, pool };
    RocScope rocScope() const { return m_rocScope; }

public Q_SLOTS:
    // Loads a dataset and its models in the background; replaces the current session when done.
    // `user`: external id to select afterwards (empty: the first evaluated user).
    // `requests`: users, or a search dataset's queries (auto: queries when it has them and only
    // runs are given). Models score users only: with queries they are left out (said).
    void openDataset(const QString &path, const QStringList &modelPaths = {}, const QString &user = {},
        const QStringList &runPaths = {}, const QString &requests = QStringLiteral("auto"));
    // Opens a session file: reads it, checks every file's SHA-256 and, when all are as saved (or
    // located in `choices`), loads them with the session's settings, rules, user and story. Otherwise
    // emits sessionProblems and changes nothing.
    void openSession(const QString &path, const SessionFileChoices &choices = {});
    void addModel(const QString &path);
    void addRun(const QString &path);
    // Reopens the dataset with its users or its queries as requests, with the same runs (and models
    // for users).
    void setRequestKind(RequestKind kind);
    void setSettings(const WorkspaceSettings &settings);
    void setDiversity(double delta);
    void setBarsLevel(int level); // level of the category-mix plot only
    // The list column rank moves are counted against (0 = the primary's model order); changes no
    // all-user number.
    void setBaselineColumn(int column);
    void setRocScope(reclens::ui::Workspace::RocScope scope);
    void selectUser(int32_t user);
    void selectUserById(const QString &externalId);
    // Story users: pinned in order with a note each (they travel in the session).
    void pinUser(const QString &externalId, const QString &note = {});
    void unpinStory(int index);
    void moveStory(int from, int to);
    void setStoryNote(int index, const QString &note);
    void cancelAll(); // loading and the analysis

Q_SIGNALS:
    void datasetChanged();
    void modelsChanged();
    void settingsChanged();
    void userViewChanged(); // view() is new
    void rocScopeChanged();
    void errorOccurred(const QString &title, const QString &message);
    void viewTimed(double ms); // time of the last user view, for the status bar and the log
    void sessionChanged(); // sessionPath() or isModified() changed
    void storyChanged();
    // A session could not be opened as saved: its files that are missing or changed (nothing changed).
    void sessionProblems(const QString &sessionPath, const std::vector<reclens::SessionFileProblem> &problems,
        const reclens::ui::SessionFileChoices &choices);
    void sessionOpened(const QString &sessionPath, const reclens::Session &session);
    // Opening files, as it runs (the analysis has its own).
    void loadStarted(const QString &label);
    void loadProgressChanged(double fraction, const QString &stage);
    void loadFinished(const QString &label, double ms);
    void loadFailed(const QString &label, const QString &message);
    void busyChanged(bool busy); // isBusy() changed

private:
    struct SourceSpec {
        std::string path;
        bool run = false;
        std::string sha256; // known (a checked session file); empty: hash while loading
    };
    // freshSession: another dataset (a new, unsaved session); else the same session reloaded.
    void startLoad(const QString &path, std::vector<SourceSpec> specs, const QString &user, const QString &requests,
        bool freshSession);
    void addSource(const QString &path, bool run);
    void setModified(bool modified);
    void installSession(std::shared_ptr<const Dataset> dataset, std::vector<LoadedSource> sources, const QString &user,
        bool hasQueries);
    std::vector<RankingSource> rankingSources() const;
    AnalysisSettings analysisSettings() const;
    void refreshView();
    void showUser(int32_t user);
    void pickTellingUser(const GlobalRuns &runs);
    void updateBusy();

    std::shared_ptr<const Dataset> m_dataset; // declared before the models: they point at it
    std::vector<LoadedSource> m_sources;
    bool m_hasQueries = false;
    CategoryPalette m_palette;
    WorkspaceSettings m_settings;
    UserInspector m_inspector;
    int32_t m_user = -1;
    bool m_autoUser = false; // no user chosen by a person (or the command line) yet
    UserView m_view;
    QString m_device;
    std::string m_datasetSha;
    QString m_sessionPath;
    bool m_modified = false;
    std::vector<StoryUser> m_story;
    int m_barsLevel = 1;
    RocScope m_rocScope = RocScope::items;
    bool m_busy = false;

    JobTracker *m_loadJobs;
    Analysis *m_analysis;
};

} // namespace reclens::ui
