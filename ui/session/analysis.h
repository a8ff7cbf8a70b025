#pragma once
// The all-user analysis of one session (DESIGN §7, §13): every source scored once for the current
// k and pool (with its pooled ROC), then the runs measured from what is scored (model order,
// re-ranked, every other source, their comparisons), a seeded sample's estimate first on a big
// shop, then the δ sweep and the rule costs when they are stale. One job at a time on a shared CPU.
//
// Its job trackers are its own. Each result is handed over whole as a payload signal
// (runsAvailable, sweepAvailable, …): a page connects to what it shows and keeps it. The latest
// results stay readable for the report, exports and tests.
#include "core/analysis/compare.h"
#include "core/analysis/estimate.h"
#include "core/analysis/evaluation.h"
#include "core/analysis/rulecost.h"
#include "core/analysis/sessionfiles.h"
#include "ui/plots/plotmath.h"

#include <QObject>
#include <QString>
#include <QTimer>
#include <memory>
#include <optional>
#include <vector>

namespace reclens::ui
{

class JobTracker;

// What the analysis measures with: the session's re-ranking and candidate pool.
struct AnalysisSettings {
    RerankOptions rerank;
    int pool = 100;
    bool operator==(const AnalysisSettings &) const = default;
};

// Results of the all-user evaluation for the current settings.
struct GlobalRuns {
    std::shared_ptr<const EvaluationResult> base; // primary model, model order
    std::shared_ptr<const EvaluationResult> reranked; // primary model, current re-ranking
    EvaluationOptions rerankedOptions; // what `reranked` was measured with
    // Every source but the primary, its own order: others[i] is source i + 1.
    std::vector<std::shared_ptr<const EvaluationResult>> others;
    std::optional<ComparisonResult> rerankedVsBase;
    // Each of `others` against `base` (compare_to_baseline): Holm's family is these comparisons.
    std::vector<ComparisonResult> othersVsBase;
};

// Numbers first (DESIGN §7): the model order and the re-ranked run estimated from a seeded sample of
// users while the exact runs are computed.
struct WorkspaceEstimates {
    RunEstimate base; // model order
    RunEstimate reranked; // current re-ranking
    RerankOptions rerank; // of `reranked`
    int k = 0, pool = 0;
};

// δ sweep over all users: accuracy vs diversity per δ.
struct SweepResult {
    std::string accuracyMetric = "ndcg";
    std::string diversityMetric = "ild_embedding";
    TradeoffCurve curve;
};

class Analysis : public QObject
{
    Q_OBJECT
public:
    enum class Job { scoring, estimate, evaluation, sweep, ruleCosts };
    Q_ENUM(Job)

    explicit Analysis(QObject *parent = nullptr);
    ~Analysis() override;

    // A new dataset or set of sources: everything is cleared (each payload emitted empty) and
    // nothing starts until recompute().
    void setSources(std::shared_ptr<const Dataset> dataset, std::vector<SourceFile> sources);
    // New settings: stale runs and rule costs are cancelled at once; the new run starts when the
    // settings rest (250 ms), as a slider moves.
    void setSettings(const AnalysisSettings &settings);
    const AnalysisSettings &settings() const { return m_settings; }

    // The latest results (the report, exports, tests); pages take the payloads.
    const GlobalRuns &runs() const { return m_runs; }
    const SweepResult &sweep() const { return m_sweep; }
    const std::vector<reclens::RocCurve> &pooledRoc() const { return m_pooledRoc; }
    const std::optional<RuleCosts> &ruleCosts() const { return m_ruleCosts; }
    const std::optional<WorkspaceEstimates> &estimates() const { return m_estimates; }
    // Whether the runs (the estimate) are of the current settings, not of earlier ones still shown.
    bool runsAreCurrent() const;
    bool estimatesAreCurrent() const;

    bool isBusy() const;
    bool isRunning(Job job) const;
    void waitForJobs(); // tests, screenshots, shutdown

public Q_SLOTS:
    void recompute(); // every stale result of the current settings, in order
    void cancelAll();

Q_SIGNALS:
    void runsAvailable(const reclens::ui::GlobalRuns &runs); // empty when cleared
    void sweepAvailable(const reclens::ui::SweepResult &sweep);
    void pooledRocAvailable(const std::vector<reclens::RocCurve> &curves); // one per source
    void ruleCostsAvailable(const std::optional<reclens::RuleCosts> &costs); // nullopt: none or stale
    // A new estimate of the current settings' all-user numbers (before or beside the exact runs).
    void estimatesAvailable(const reclens::ui::WorkspaceEstimates &estimates);
    // The jobs as they run, for a progress bar and the log.
    void jobStarted(reclens::ui::Analysis::Job job, const QString &label);
    void progressChanged(double fraction, const QString &stage);
    void jobFinished(const QString &label, double ms);
    void jobFailed(reclens::ui::Analysis::Job job, const QString &label, const QString &message);
    void busyChanged(bool busy);

private:
    JobTracker *tracker(Job job) const;
    std::vector<RankingSource> rankingSources() const;
    EvaluationOptions evaluationOptions(const RerankOptions &rerank) const;
    EvaluationOptions modelOrderOptions() const;
    bool allScored() const;
    // The primary source's scored candidates when they are of the current k and pool, else null.
    std::shared_ptr<const ScoredSource> scoredPrimary() const;
    void startScoring(); // every source not yet scored for the current k and pool
    void startEstimate(); // the sample (scored once), measured with the current settings
    void startEvaluation(); // measures the runs from what is scored
    bool startSweep(); // false when the current sweep is still valid
    bool startRuleCosts(); // false when there are no rules or the costs are current
    void continueBackground();
    void setRuleCosts(std::optional<RuleCosts> costs);

    std::shared_ptr<const Dataset> m_dataset;
    std::vector<SourceFile> m_sources;
    AnalysisSettings m_settings;
    size_t m_evaluatedUsers = 0;

    GlobalRuns m_runs;
    SweepResult m_sweep;
    std::vector<reclens::RocCurve> m_pooledRoc;
    std::optional<RuleCosts> m_ruleCosts;
    std::optional<WorkspaceEstimates> m_estimates;
    // Every source scored once for the current k and pool (DESIGN §13): the runs, the sweep, the rule
    // costs and the pooled ROC all measure these.
    std::vector<std::shared_ptr<const ScoredSource>> m_scored;
    std::shared_ptr<const ScoredSource> m_sample; // the primary scored over the estimate's sample
    std::pair<int, int> m_scoringKey; // k and pool of the scoring last started

    // Everything a sweep depends on except δ, compared whole (rules included, not just counted).
    struct SweepKey {
        RerankOptions rerank;
        int pool = 0;
        const void *source = nullptr;
        bool operator==(const SweepKey &) const = default;
    };
    SweepKey sweepKey() const;
    SweepKey m_sweepStarted, m_sweepDone;
    // Everything the rule costs depend on (δ included).
    struct RuleKey {
        SweepKey sweep;
        double delta = 0;
        bool operator==(const RuleKey &) const = default;
    };
    RuleKey m_rulesStarted, m_rulesDone;

    QTimer m_debounce;
    JobTracker *m_scoreJobs;
    JobTracker *m_estimateJobs;
    JobTracker *m_evalJobs;
    JobTracker *m_sweepJobs;
    JobTracker *m_ruleJobs;
    bool m_busy = false;
};

} // namespace reclens::ui
