#include "ui/session/analysis.h"

#include "core/analysis/sweep.h"
#include "core/scoring/scorer.h"
#include "ui/session/jobtracker.h"

#include <cmath>

namespace reclens::ui
{

namespace
{
// Scales a job's progress into [from, to] of a bigger job.
ProgressFn part(const ProgressFn &progress, double from, double to, std::string prefix = {})
{
    return [progress, from, to, prefix](double f, std::string_view stage) {
        return !progress || progress(from + (to - from) * f, prefix.empty() ? stage : std::string_view(prefix));
    };
}
} // namespace

Analysis::Analysis(QObject *parent)
    : QObject(parent)
    , m_scoreJobs(new JobTracker(this))
    , m_estimateJobs(new JobTracker(this))
    , m_evalJobs(new JobTracker(this))
    , m_sweepJobs(new JobTracker(this))
    , m_ruleJobs(new JobTracker(this))
{
    m_settings.rerank.k = 10;
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(250);
    connect(&m_debounce, &QTimer::timeout, this, &Analysis::recompute);
    for (Job job : { Job::scoring, Job::estimate, Job::evaluation, Job::sweep, Job::ruleCosts }) {
        JobTracker *t = tracker(job);
        connect(t, &JobTracker::jobStarted, this, [this, job](const QString &label) { Q_EMIT jobStarted(job, label); });
        connect(t, &JobTracker::progressChanged, this, &Analysis::progressChanged);
        connect(t, &JobTracker::jobFinished, this, &Analysis::jobFinished);
        connect(t, &JobTracker::jobFailed, this,
            [this, job](const QString &label, const QString &message) { Q_EMIT jobFailed(job, label, message); });
        connect(t, &JobTracker::runningChanged, this, [this] {
            const bool busy = isBusy();
            if (busy != m_busy) {
                m_busy = busy;
                Q_EMIT busyChanged(busy);
            }
        });
    }
}

Analysis::~Analysis()
{
    cancelAll();
    waitForJobs();
}

JobTracker *Analysis::tracker(Job job) const
{
    switch (job) {
    case Job::scoring:
        return m_scoreJobs;
    case Job::estimate:
        return m_estimateJobs;
    case Job::evaluation:
        return m_evalJobs;
    case Job::sweep:
        return m_sweepJobs;
    case Job::ruleCosts:
        break;
    }
    return m_ruleJobs;
}

bool Analysis::isRunning(Job job) const
{
    return tracker(job)->isRunning();
}

bool Analysis::isBusy() const
{
    for (Job job : { Job::scoring, Job::estimate, Job::evaluation, Job::sweep, Job::ruleCosts })
        if (isRunning(job))
            return true;
    return false;
}

void Analysis::waitForJobs()
{
    for (Job job : { Job::scoring, Job::estimate, Job::evaluation, Job::sweep, Job::ruleCosts })
        tracker(job)->waitForFinished();
}

void Analysis::cancelAll()
{
    m_debounce.stop();
    for (Job job : { Job::scoring, Job::estimate, Job::evaluation, Job::sweep, Job::ruleCosts })
        tracker(job)->cancel();
}

void Analysis::setSources(std::shared_ptr<const Dataset> dataset, std::vector<SourceFile> sources)
{
    cancelAll();
    m_dataset = std::move(dataset);
    m_sources = std::move(sources);
    m_evaluatedUsers = m_dataset ? evaluated_users(*m_dataset).size() : 0;
    m_scored.clear();
    m_sample.reset();
    m_estimates.reset();
    m_runs = GlobalRuns {};
    m_sweep = SweepResult {};
    m_sweepStarted = m_sweepDone = {};
    m_rulesStarted = m_rulesDone = {};
    m_pooledRoc.clear();
    m_ruleCosts.reset();
    Q_EMIT runsAvailable(m_runs);
    Q_EMIT sweepAvailable(m_sweep);
    Q_EMIT pooledRocAvailable(m_pooledRoc);
    Q_EMIT ruleCostsAvailable(m_ruleCosts);
}

void Analysis::setSettings(const AnalysisSettings &settings)
{
    m_settings = settings;
    if (m_sources.empty())
        return;
    // Stale global numbers are cancelled at once; the new run starts when the slider rests.
    m_evalJobs->cancel();
    m_ruleJobs->cancel();
    if (m_ruleCosts && !(RuleKey { sweepKey(), m_settings.rerank.diversity } == m_rulesDone))
        setRuleCosts(std::nullopt);
    m_debounce.start();
}

void Analysis::setRuleCosts(std::optional<RuleCosts> costs)
{
    m_ruleCosts = std::move(costs);
    Q_EMIT ruleCostsAvailable(m_ruleCosts);
}

std::vector<RankingSource> Analysis::rankingSources() const
{
    return ranking_sources(m_sources, *m_dataset);
}

bool Analysis::runsAreCurrent() const
{
    if (!m_runs.reranked)
        return false;
    const EvaluationResult &r = *m_runs.reranked;
    return r.rerank == m_settings.rerank && r.k == m_settings.rerank.k
        && r.pool == std::max(m_settings.pool, m_settings.rerank.k);
}

void Analysis::recompute()
{
    if (m_sources.empty())
        return;
    m_debounce.stop();
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

EvaluationOptions Analysis::evaluationOptions(const RerankOptions &rerank) const
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

void Analysis::continueBackground()
{
    if (m_sources.empty() || m_evalJobs->isRunning() || m_scoreJobs->isRunning())
        return;
    if (startSweep())
        return;
    startRuleCosts();
}

std::shared_ptr<const ScoredSource> Analysis::scoredPrimary() const
{
    if (m_scored.empty() || !m_scored.front())
        return nullptr;
    return m_scored.front()->fits(evaluationOptions(m_settings.rerank)) ? m_scored.front() : nullptr;
}

bool Analysis::startRuleCosts()
{
    const RuleKey key { sweepKey(), m_settings.rerank.diversity };
    if (m_settings.rerank.rules.empty() || m_sources.empty()) {
        if (m_ruleCosts)
            setRuleCosts(std::nullopt);
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
            m_rulesDone = key;
            setRuleCosts(std::move(costs));
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

EvaluationOptions Analysis::modelOrderOptions() const
{
    RerankOptions none = m_settings.rerank;
    none.method = RerankMethod::none;
    none.diversity = 0;
    none.rules.clear();
    return evaluationOptions(none);
}

bool Analysis::allScored() const
{
    const EvaluationOptions o = modelOrderOptions();
    if (m_scored.size() != m_sources.size())
        return false;
    for (const auto &s : m_scored)
        if (!s || !s->fits(o))
            return false;
    return true;
}

void Analysis::startScoring()
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
            Q_EMIT pooledRocAvailable(m_pooledRoc);
            QTimer::singleShot(0, this, &Analysis::recompute);
        });
}

bool Analysis::estimatesAreCurrent() const
{
    const EvaluationOptions o = evaluationOptions(m_settings.rerank);
    return m_estimates && m_estimates->rerank == o.rerank && m_estimates->k == o.k
        && m_estimates->pool == std::max(o.pool, o.k);
}

void Analysis::startEstimate()
{
    const EvaluationOptions base = modelOrderOptions();
    const EvaluationOptions rerank = evaluationOptions(m_settings.rerank);
    std::shared_ptr<const ScoredSource> sample = m_sample;
    if (sample && !sample->fits(base))
        sample.reset();
    auto keep = m_sources;
    auto ds = m_dataset;
    const RankingSource source = ranking_source(m_sources, 0, *m_dataset);
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

void Analysis::startEvaluation()
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
            runs.base
                = std::make_shared<const EvaluationResult>(measure(*scored[0], baseOptions, step(0, "model order")));
            runs.reranked
                = std::make_shared<const EvaluationResult>(measure(*scored[0], rerankOptions, step(1, "re-ranked")));
            runs.rerankedOptions = rerankOptions;
            runs.rerankedVsBase = compare_runs(*runs.base, *runs.reranked);
            // Every other source against the primary's model order (the Summary's comparisons and
            // Holm's family, the models as points), whichever of them the inspector shows as lists.
            std::vector<const EvaluationResult *> others;
            for (size_t s = 1; s < scored.size(); ++s) {
                runs.others.push_back(std::make_shared<const EvaluationResult>(
                    measure(*scored[s], baseOptions, step(s + 1, names[s].name()))));
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
            Q_EMIT runsAvailable(m_runs);
            QTimer::singleShot(0, this, &Analysis::continueBackground);
        });
}

Analysis::SweepKey Analysis::sweepKey() const
{
    SweepKey key;
    key.rerank = m_settings.rerank;
    key.rerank.diversity = 0; // the sweep varies it
    key.pool = m_settings.pool;
    key.source = m_sources.empty() ? nullptr
        : m_sources.front().run    ? static_cast<const void *>(m_sources.front().run.get())
                                   : static_cast<const void *>(m_sources.front().model.get());
    return key;
}

bool Analysis::startSweep()
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
            const SweepCurve c
                = diversity_sweep(*scored, base, default_sweep_deltas(), "ndcg", diversity, progress, measured);
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
            Q_EMIT sweepAvailable(m_sweep);
            QTimer::singleShot(0, this, &Analysis::continueBackground);
        });
    return true;
}

} // namespace reclens::ui
