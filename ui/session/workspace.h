#pragma once
// The session's state behind every page: the dataset, its models, the re-ranking settings, the
// selected user and the results of the background runs. Pages read from it and call its slots;
// it never touches widgets. Long work (loading, scoring every source once and measuring the runs,
// δ sweeps, rule costs) runs in JobTrackers; the selected user's view is computed at once on the GUI thread (UserInspector).
#include "core/analysis/compare.h"
#include "core/analysis/estimate.h"
#include "core/analysis/evaluation.h"
#include "core/analysis/rulecost.h"
#include "core/analysis/session.h"
#include "ui/plots/categorypalette.h"
#include "ui/plots/plotmath.h"
#include "ui/session/jobtracker.h"
#include "ui/session/userinspector.h"

#include <QHash>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <memory>
#include <optional>

namespace reclens::ui
{

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

// A list source as loaded (DESIGN §11): a TorchScript model, or a precomputed run.
struct LoadedSource {
    std::shared_ptr<const Model> model;
    std::shared_ptr<const Run> run;
    QString path;
    std::string sha256; // of the file as loaded (sessions record it)
    std::string name() const { return run ? run->name : model ? model->info().name : std::string(); }
    bool isRun() const { return run != nullptr; }
};

// Results of the all-user evaluation for the current settings.
struct GlobalRuns {
    std::shared_ptr<const EvaluationResult> base; // primary model, model order
    std::shared_ptr<const EvaluationResult> reranked; // primary model, current re-ranking
    EvaluationOptions rerankedOptions;                // what `reranked` was measured with
    // Every source but the primary, its own order: others[i] is source i + 1.
    std::vector<std::shared_ptr<const EvaluationResult>> others;
    std::optional<ComparisonResult> rerankedVsBase;
    // Each of `others` against `base` (compare_to_baseline): Holm's family is these comparisons.
    std::vector<ComparisonResult> othersVsBase;
};

// Numbers first (DESIGN §7): the model order and the re-ranked run estimated from a seeded sample of
// users while the exact runs are computed; handed to the pages whole (estimatesAvailable).
struct WorkspaceEstimates {
    RunEstimate base;     // model order
    RunEstimate reranked; // current re-ranking
    RerankOptions rerank; // of `reranked`
    int k = 0, pool = 0;
};

// δ sweep over all users: accuracy vs diversity per δ.
// Where the files of a session are to be found when they are not where it says (DESIGN §10): a
// located file is used when it has the saved SHA-256, or when the person said to use it as it is.
struct SessionFileChoice {
    QString path;
    bool acceptDifferent = false;
};
using SessionFileChoices = QHash<int, SessionFileChoice>; // key: source index, -1 = the dataset

struct SweepResult {
    std::string accuracyMetric = "ndcg";
    std::string diversityMetric = "ild_embedding";
    TradeoffCurve curve;
};

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
    // Source i as core takes it: a run borrows the first model's item embeddings, if one is loaded.
    RankingSource rankingSource(size_t i) const;
    bool hasEmbeddings() const; // the primary source has item embeddings (its own or borrowed)
    // The files an output must never overwrite: the dataset, every source, the session file.
    QStringList openFiles() const;
    // The all-user run is of the current settings (not of earlier ones still shown while it runs).
    bool runsAreCurrent() const;
    RequestKind requestKind() const { return m_dataset ? m_dataset->request_kind : RequestKind::users; }
    bool datasetHasQueries() const { return m_hasQueries; }
    const CategoryPalette &palette() const { return m_palette; }
    const WorkspaceSettings &settings() const { return m_settings; }
    int32_t currentUser() const { return m_user; }
    const UserView &view() const { return m_view; }
    // The view of any user (or query) with the current settings, as Inspect would show it (the
    // report's and the presentation's story pages). GUI thread only; fast (one user's pool).
    UserView viewOf(int32_t user);
    const GlobalRuns &runs() const { return m_runs; }
    const SweepResult &sweep() const { return m_sweep; }
    // Pooled ROC over all evaluated users per model (empty curve until computed).
    const std::vector<reclens::RocCurve> &pooledRoc() const { return m_pooledRoc; }
    QString deviceDescription() const { return m_device; }
    // The `n` items of the current user's history most similar to `item` (current similarity).
    std::vector<std::pair<int32_t, double>> similarHistory(int32_t item, size_t n) const;

    JobTracker *loadJobs() const { return m_loadJobs; }
    JobTracker *evaluationJobs() const { return m_evalJobs; }
    JobTracker *sweepJobs() const { return m_sweepJobs; }
    JobTracker *ruleJobs() const { return m_ruleJobs; }
    JobTracker *scoreJobs() const { return m_scoreJobs; }
    JobTracker *estimateJobs() const { return m_estimateJobs; }
    // The latest estimate (nothing before the first, or when the run is too small to need one).
    const std::optional<WorkspaceEstimates> &estimates() const { return m_estimates; }
    // Whether the estimate is of the current settings.
    bool estimatesAreCurrent() const;
    // What each rule costs for the current settings (rule_costs), once computed in the background;
    // empty without rules or while stale.
    const std::optional<RuleCosts> &ruleCosts() const { return m_ruleCosts; }
    bool isBusy() const;

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
    void recomputeGlobal(); // all-user evaluation + sweep for the current settings
    // Story users: pinned in order with a note each (they travel in the session).
    void pinUser(const QString &externalId, const QString &note = {});
    void unpinStory(int index);
    void moveStory(int from, int to);
    void setStoryNote(int index, const QString &note);
    void cancelAll();

Q_SIGNALS:
    void datasetChanged();
    void modelsChanged();
    void settingsChanged();
    void userViewChanged(); // view() is new
    void runsChanged(); // runs() is new (or cleared)
    void sweepChanged();
    void pooledRocChanged();
    void rocScopeChanged();
    void ruleCostsChanged();
    // A new estimate of the current settings' all-user numbers (before or beside the exact runs).
    void estimatesAvailable(const reclens::ui::WorkspaceEstimates &estimates);
    void errorOccurred(const QString &title, const QString &message);
    void jobTimed(const QString &label, double ms);
    void viewTimed(double ms); // time of the last user view, for the status bar and the log
    void sessionChanged(); // sessionPath() or isModified() changed
    void storyChanged();
    // A session could not be opened as saved: its files that are missing or changed (nothing changed).
    void sessionProblems(const QString &sessionPath, const std::vector<reclens::SessionFileProblem> &problems,
        const reclens::ui::SessionFileChoices &choices);
    void sessionOpened(const QString &sessionPath, const reclens::Session &session);

private:
    struct SourceSpec {
        std::string path;
        bool run = false;
        std::string sha256; // known (a checked session file); empty: hash while loading
    };
    // freshSession: another dataset (a new, unsaved session); else the same session reloaded.
    void startLoad(const QString &path, std::vector<SourceSpec> specs, const QString &user, const QString &requests,
        bool freshSession);
    void setModified(bool modified);
    void installSession(std::shared_ptr<const Dataset> dataset, std::vector<LoadedSource> sources, const QString &user,
        bool hasQueries);
    std::vector<RankingSource> rankingSources() const;
    void refreshView();
    void showUser(int32_t user);
    void pickTellingUser();
    void startScoring(); // every source not yet scored for the current k and pool
    void startEstimate(); // the sample (scored once), measured with the current settings
    void startEvaluation(); // measures the runs from what is scored
    bool allScored() const;
    EvaluationOptions modelOrderOptions() const;
    bool startSweep(); // false when the current sweep is still valid
    void continueBackground();
    // The primary source's scored candidates when they are of the current k and pool, else null.
    std::shared_ptr<const ScoredSource> scoredPrimary() const;
    bool startRuleCosts(); // false when there are no rules or the costs are current
    void connectTracker(JobTracker *tracker);
    EvaluationOptions evaluationOptions(const RerankOptions &rerank) const;

    std::shared_ptr<const Dataset> m_dataset; // declared before the models: they point at it
    std::vector<LoadedSource> m_sources;
    bool m_hasQueries = false;
    CategoryPalette m_palette;
    WorkspaceSettings m_settings;
    UserInspector m_inspector;
    int32_t m_user = -1;
    bool m_autoUser = false; // no user chosen by a person (or the command line) yet
    UserView m_view;
    GlobalRuns m_runs;
    SweepResult m_sweep;
    std::vector<reclens::RocCurve> m_pooledRoc;
    // Every source scored once for the current k and pool (DESIGN §13): the runs, the sweep, the rule
    // costs and the pooled ROC all measure these.
    std::vector<std::shared_ptr<const ScoredSource>> m_scored;
    QString m_device;
    // Everything a sweep depends on except δ, compared whole (rules included, not just counted).
    struct SweepKey {
        RerankOptions rerank;
        int pool = 0;
        const void *source = nullptr;
        bool operator==(const SweepKey &) const = default;
    };
    SweepKey sweepKey() const;
    SweepKey m_sweepStarted; // settings of the sweep last started
    SweepKey m_sweepDone; // settings m_sweep was computed for
    // Everything the rule costs depend on (δ included).
    struct RuleKey {
        SweepKey sweep;
        double delta = 0;
        bool operator==(const RuleKey &) const = default;
    };
    RuleKey m_rulesStarted, m_rulesDone;
    QTimer m_globalDebounce;
    std::string m_datasetSha;
    QString m_sessionPath;
    bool m_modified = false;
    std::vector<StoryUser> m_story;
    int m_barsLevel = 1;
    RocScope m_rocScope = RocScope::items;

    JobTracker *m_loadJobs;
    JobTracker *m_evalJobs;
    JobTracker *m_sweepJobs;
    JobTracker *m_ruleJobs;
    JobTracker *m_scoreJobs;
    JobTracker *m_estimateJobs;
    std::shared_ptr<const ScoredSource> m_sample; // the primary scored over the estimate's sample
    std::optional<WorkspaceEstimates> m_estimates;
    size_t m_evaluatedUsers = 0;
    std::pair<int, int> m_scoringKey; // k and pool of the scoring last started
    std::optional<RuleCosts> m_ruleCosts;
};

} // namespace reclens::ui
