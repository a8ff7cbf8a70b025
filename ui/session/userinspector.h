#pragma once
// Everything shown for one user, computed in one call: the lists side by side (model order,
// re-ranked, optionally a second model), their per-user metrics, ROC curves and category mix.
// This is the interactive path behind the δ slider, so it runs on the GUI thread and must stay well
// under 50 ms: a user's candidates come from core's scorer (score_top, the function evaluate uses,
// so the lists equal `reclens-cli evaluate --lists`) once when the user changes and are cached; a
// slider move only re-ranks the cached pool (with a similarity built once per model and kind) and
// recomputes the list metrics. Nothing here takes a lock that background jobs hold.
//
// Plain C++ (no widgets) so it can be tested and timed on its own. Not thread-safe: one owner.
#include "core/analysis/evaluation.h"
#include "core/metrics/metrics.h"
#include "core/models/model.h"
#include "core/rerank/reranker.h"
#include "ui/plots/plotmath.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace reclens::ui
{

struct ListColumn {
    enum class Role { ModelOrder, Reranked, SecondModel };
    Role role = Role::ModelOrder;
    std::string title; // "bpr — model order", "bpr — re-ranked (mmr, δ 0.60)"
    std::vector<int32_t> items; // best first
    std::vector<float> scores; // model score per item (NaN for a pinned non-candidate)
    std::vector<uint8_t> hit; // 1 when the item is in the user's test set (relevant, when judged)
    std::vector<float> grade; // the judged grade per item, NaN when unjudged (empty without judgements)
    std::vector<RankMove> moves; // vs the model-order column (all Same for that column)
    std::vector<int32_t> dropped; // model-order items missing from this column
    UserMetrics metrics; // per-user metrics of this list (auc of its full ranking)
    reclens::RocCurve roc; // full ROC of the ranking this list implies (thinned for drawing)
    reclens::RocCurve poolRoc; // ROC over the candidate pool only (pool_roc): where re-ranking acts
};

struct UserView {
    int32_t user = -1;
    int k = 10;
    int level = 0; // resolved category level of the metrics
    int barsLevel = 1; // category level of the category-mix bars
    std::vector<int32_t> history; // train items, most recent first
    std::vector<ListColumn> columns;
    CategoryBars bars; // series: history, then one per column
    std::vector<std::string> seriesNames;
    std::vector<std::string> diversityMetrics; // shown in the diversity plot, in order
    double elapsedMs = 0; // time of the inspect() call that made this view
};

class UserInspector
{
public:
    UserInspector() = default;

    // sources[0] is the primary source (re-ranked); sources[1], when present, the second one. A
    // source is a model or a run (DESIGN §11). The dataset and what the sources point at must
    // outlive the inspector (the Workspace holds them).
    void setData(std::shared_ptr<const Dataset> dataset, std::vector<RankingSource> sources);
    // Throws Error (validate()) for bad options; the previous options stay in effect then.
    void setOptions(const RerankOptions &options, int pool);
    void setShowSecondModel(bool show) { m_showSecond = show; }
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
    const MetricContext &contextFor(size_t model, int level);
    ListColumn makeColumn(size_t model, ListColumn::Role role, int32_t user, const RerankedList &list,
        const std::vector<int32_t> &testItems);

    std::shared_ptr<const Dataset> m_dataset;
    std::vector<RankingSource> m_models;
    std::vector<UserScores> m_scores;
    std::map<std::pair<size_t, int>, std::unique_ptr<MetricContext>> m_contexts;
    RerankOptions m_options;
    int m_pool = 100;
    std::unique_ptr<Reranker> m_reranker;
    // Similarities of the primary model by kind, built once per dataset/model (a δ tick reuses them).
    std::map<SimilarityKind, std::shared_ptr<const SimilarityProvider>> m_similarities;
    std::shared_ptr<const SimilarityProvider> m_similarity; // for "most similar history items"
    std::shared_ptr<const SimilarityProvider> similarityFor(SimilarityKind kind);
    bool m_showSecond = false;
    int m_barsLevel = 1;
};

} // namespace reclens::ui
