#pragma once
// Everything shown for one user, computed in one call: the lists side by side (model order,
// re-ranked, and the model order of any number of compared sources), their per-user metrics, ROC
// curves and category mix, rank moves against a chosen baseline column and the overlap of every
// pair of lists.
// This is the interactive path behind the δ slider, so it runs on the GUI thread and must stay well
// under 50 ms: a user's candidates come from core's scorer (score_top, the function evaluate uses,
// so the lists equal `reclens-cli evaluate --lists`) once when the user changes and are cached; a
// slider move only re-ranks the cached pool (with a similarity built once per model and kind) and
// recomputes the list metrics. Nothing here takes a lock that background jobs hold.
//
// Engine code beside evaluate (the per-user view of what evaluate measures over all users), so the
// GUI, its report and tests share it. Not thread-safe: one owner.
#include "core/analysis/evaluation.h"
#include "core/metrics/metrics.h"
#include "core/models/model.h"
#include "core/rerank/reranker.h"
#include "core/analysis/viewmath.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace reclens
{

struct ListColumn {
    enum class Role { ModelOrder, Reranked, OtherSource };
    Role role = Role::ModelOrder;
    size_t source = 0; // index of the source (model or run) the list comes from
    std::string title; // "bpr — model order", "bpr — re-ranked (mmr, δ 0.60)"
    std::vector<int32_t> items; // best first
    std::vector<float> scores; // model score per item (NaN for a pinned non-candidate)
    std::vector<uint8_t> hit; // 1 when the item is in the user's test set (relevant, when judged)
    std::vector<float> grade; // the judged grade per item, NaN when unjudged (empty without judgements)
    std::vector<RankMove> moves; // vs the baseline column (all Same for that column)
    std::vector<int32_t> dropped; // baseline items missing from this column
    std::vector<RerankReason> reasons; // the re-ranked column: why each item is there (else empty)
    std::vector<std::string> why; // describe() of each reason, for the tooltip and the lists export
    UserMetrics metrics; // per-user metrics of this list (auc of its full ranking)
    reclens::RocCurve roc; // full ROC of the ranking this list implies (thinned for drawing)
    reclens::RocCurve poolRoc; // ROC over the candidate pool only (pool_roc): where re-ranking acts
};

// How far two shown lists agree (core/metrics/overlap.h): columns a < b of the view.
struct ListOverlap {
    int a = 0, b = 0;
    int shared = 0; // items in both lists
    double jaccard = 0;
    double rbo = 0; // rank-biased overlap, p = kRboP
};
inline constexpr double kRboP = 0.9;

// `name` without the "<prefix>-" that every one of `names` shares (the sample's completejourney-bpr,
// completejourney-ease, … read bpr, ease, …); unchanged when they share none or there is one name.
std::string shortSourceName(const std::vector<std::string> &names, const std::string &name);

struct UserView {
    int32_t user = -1;
    int k = 10;
    int level = 0; // resolved category level of the metrics
    int barsLevel = 1; // category level of the category-mix bars
    std::vector<int32_t> history; // train items, most recent first
    std::vector<ListColumn> columns;
    int baseline = 0; // the column rank moves are counted against
    std::vector<ListOverlap> overlaps; // every pair of columns, (0,1), (0,2), …, (1,2), …
    CategoryBars bars; // series: history, then one per column
    std::vector<std::string> seriesNames;
    std::vector<std::string> diversityMetrics; // shown in the diversity plot, in order
    double elapsedMs = 0; // time of the inspect() call that made this view
};

class UserInspector
{
public:
    UserInspector() = default;

    // sources[0] is the primary source (re-ranked); the others can be shown beside it in their own
    // order (setCompared). A source is a model or a run (DESIGN §11). The dataset and what the sources point at must
    // outlive the inspector (the Workspace holds them).
    void setData(std::shared_ptr<const Dataset> dataset, std::vector<RankingSource> sources);
    // Throws Error (validate()) for bad options; the previous options stay in effect then.
    void setOptions(const RerankOptions &options, int pool);
    // The sources (indices ≥ 1 into setData's) shown after the two primary columns, in this order
    // (indices out of range are skipped): in their own order, or, with `reranked`, re-ranked with
    // the primary's options (similarity from their own embeddings, category when they have none,
    // as `evaluate --model` with those options gives).
    void setCompared(std::vector<int> sources, bool reranked = false)
    {
        m_compared = std::move(sources);
        m_comparedReranked = reranked;
    }
    // The column rank moves are counted against (0 = the primary's model order); one past the
    // columns shown falls back to 0.
    void setBaselineColumn(int column) { m_baseline = std::max(0, column); }
    // Level of the category-mix bars (1 = top); independent of the metrics' level because the
    // deepest level of a large tree spreads a history over too many bars to read.
    void setBarsLevel(int level) { m_barsLevel = std::max(1, level); }

    const RerankOptions &options() const { return m_options; }
    int pool() const { return m_pool; }
    bool hasData() const { return m_dataset && !m_models.empty(); }
    bool primaryIsRun() const { return hasData() && m_models.front().run; }

    // The `n` history items of the current user most similar to `item` (similarity of the current
    // re-ranking settings), most similar first, with their similarity.
    std::vector<std::pair<int32_t, double>> similarHistory(
        int32_t item, const std::vector<int32_t> &history, size_t n) const;

    // Computes the view of `user` (dataset index). Throws Error on model failures.
    UserView inspect(int32_t user);

    // Scores that rank `list` first (in its order), then the rest of the universe in model order:
    // how the ROC of a re-ranked list is defined (docs/gui.md). Items in train keep their score
    // (user_roc leaves them out anyway).
    static std::vector<float> listFirstScores(std::span<const float> modelScores, std::span<const int32_t> list);

private:
    struct UserScores {
        int32_t user = -1;
        int poolSize = 0;
        std::vector<float> all; // score of every item
        std::vector<int32_t> pool; // top-pool items outside train, best first
        std::vector<float> poolScores;
        reclens::RocCurve roc;
    };
    const UserScores &scoresFor(size_t model, int32_t user);
    std::string modelName(const RankingSource &source) const; // short: shortSourceName over the sources
    const MetricContext &contextFor(size_t model, int level);
    // reranked: the list is a re-ranked one (DESIGN §5), its AUC that of the list-first ranking.
    ListColumn makeColumn(size_t model, ListColumn::Role role, int32_t user, const RerankedList &list,
        const std::vector<int32_t> &testItems, bool reranked);

    std::shared_ptr<const Dataset> m_dataset;
    std::vector<RankingSource> m_models;
    std::vector<UserScores> m_scores;
    std::map<std::pair<size_t, int>, std::unique_ptr<MetricContext>> m_contexts;
    RerankOptions m_options;
    int m_pool = 100;
    std::unique_ptr<Reranker> m_reranker;
    // Similarities by source and kind, built once per dataset/model (a δ tick reuses them).
    std::map<std::pair<size_t, SimilarityKind>, std::shared_ptr<const SimilarityProvider>> m_similarities;
    std::shared_ptr<const SimilarityProvider> m_similarity; // for "most similar history items"
    std::shared_ptr<const SimilarityProvider> similarityFor(size_t source, SimilarityKind kind);
    // The options as `source` takes them (category similarity without item embeddings), and a
    // re-ranker over its shared similarity.
    RerankOptions optionsFor(size_t source, RerankOptions options) const;
    std::unique_ptr<Reranker> makeReranker(size_t source, const RerankOptions &options);
    std::vector<int> m_compared;
    bool m_comparedReranked = false;
    // A compared source's re-ranker (its own similarity), built when first needed for the options.
    std::map<size_t, std::unique_ptr<Reranker>> m_otherRerankers;
    const Reranker &rerankerFor(size_t source);
    int m_baseline = 0;
    int m_barsLevel = 1;
};

} // namespace reclens
