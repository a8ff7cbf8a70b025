#include "core/analysis/userview.h"

#include "core/common/error.h"
#include "core/common/progress.h"
#include "core/metrics/overlap.h"
#include "core/scoring/scorer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>

namespace reclens
{

namespace
{
constexpr size_t kRocDrawPoints = 400;

std::string formatDelta(double d)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.2f", d);
    return buf;
}

std::string fullName(const RankingSource &source)
{
    const std::string name = source.name();
    return name.empty() ? std::string(source.run ? "run" : "model") : name;
}
} // namespace

std::string shortSourceName(const std::vector<std::string> &names, const std::string &name)
{
    std::string prefix;
    for (size_t i = 0; i < names.size(); ++i) {
        const size_t dash = names[i].find('-');
        const std::string head = dash != std::string::npos && dash > 0 ? names[i].substr(0, dash + 1) : std::string();
        prefix = i == 0 ? head : (head == prefix ? prefix : std::string());
    }
    if (names.size() < 2 || prefix.empty() || name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0)
        return name;
    return name.substr(prefix.size());
}

std::string UserInspector::modelName(const RankingSource &source) const
{
    std::vector<std::string> all;
    for (const RankingSource &m : m_models)
        all.push_back(fullName(m));
    return shortSourceName(all, fullName(source));
}

void UserInspector::setData(std::shared_ptr<const Dataset> dataset, std::vector<RankingSource> models)
{
    m_dataset = std::move(dataset);
    m_models = std::move(models);
    m_scores.assign(m_models.size(), UserScores {});
    m_contexts.clear();
    m_reranker.reset();
    m_otherRerankers.clear();
    m_similarities.clear();
    m_similarity.reset();
    if (hasData()) {
        const bool embeddings = !m_models.front().item_embeddings().empty();
        m_similarity = similarityFor(0, embeddings ? SimilarityKind::embedding : SimilarityKind::category);
        setOptions(m_options, m_pool);
    }
}

std::shared_ptr<const SimilarityProvider> UserInspector::similarityFor(size_t source, SimilarityKind kind)
{
    auto &slot = m_similarities[{ source, kind }];
    if (!slot) {
        const RankingSource &s = m_models[source];
        const bool embeddings = kind == SimilarityKind::embedding;
        slot = std::make_shared<const SimilarityProvider>(*m_dataset, kind,
            embeddings ? s.item_embeddings() : std::span<const float> {}, embeddings ? s.dim() : 0);
    }
    return slot;
}

RerankOptions UserInspector::optionsFor(size_t source, RerankOptions options) const
{
    // A model without embeddings (e.g. popularity), or a run alone, can only diversify by category.
    if (m_models[source].item_embeddings().empty() && options.similarity == SimilarityKind::embedding)
        options.similarity = SimilarityKind::category;
    return options;
}

std::unique_ptr<Reranker> UserInspector::makeReranker(size_t source, const RerankOptions &options)
{
    const bool needsSimilarity = options.method == RerankMethod::mmr || options.method == RerankMethod::dpp;
    return std::make_unique<Reranker>(
        *m_dataset, options, needsSimilarity ? similarityFor(source, options.similarity) : nullptr);
}

void UserInspector::setOptions(const RerankOptions &options, int pool)
{
    if (pool < 1)
        throw Error("re-ranking: candidate pool must be at least 1; choose a larger pool");
    RerankOptions effective = options;
    if (!hasData()) {
        m_options = effective;
        m_pool = pool;
        return;
    }
    effective = optionsFor(0, effective);
    validate(effective, *m_dataset, !m_models.front().item_embeddings().empty());
    m_reranker = makeReranker(0, effective);
    m_otherRerankers.clear();
    m_options = effective;
    if (pool != m_pool) {
        m_pool = pool;
        m_scores.assign(m_models.size(), UserScores {}); // pools are cut at the old size
    }
}

const Reranker &UserInspector::rerankerFor(size_t source)
{
    auto &slot = m_otherRerankers[source];
    if (!slot)
        slot = makeReranker(source, optionsFor(source, m_options));
    return *slot;
}

std::vector<float> UserInspector::listFirstScores(std::span<const float> modelScores, std::span<const int32_t> list)
{
    std::vector<float> out(modelScores.begin(), modelScores.end());
    float top = -std::numeric_limits<float>::infinity();
    for (float s : modelScores) {
        if (std::isfinite(s))
            top = std::max(top, s);
    }
    if (!std::isfinite(top))
        top = 0;
    // Above every model score, in list order: entry r gets top + (n - r) spaced so float keeps them apart.
    const float step = std::max(1.0f, std::abs(top)) * 1e-3f + 1.0f;
    const size_t n = list.size();
    for (size_t r = 0; r < n; ++r) {
        const int32_t item = list[r];
        if (item >= 0 && static_cast<size_t>(item) < out.size())
            out[static_cast<size_t>(item)] = top + step * static_cast<float>(n - r);
    }
    return out;
}

const UserInspector::UserScores &UserInspector::scoresFor(size_t model, int32_t user)
{
    UserScores &s = m_scores[model];
    const int poolSize = std::max(m_pool, m_options.k); // evaluate raises the pool to K the same way
    if (s.user == user && s.poolSize == poolSize)
        return s;
    s = UserScores {};
    s.poolSize = poolSize;
    // The candidate pool from core's scorer, exactly as `evaluate` computes it (the same kernel and
    // top-k; a user the model does not know gets an empty pool there and here); a run's from its
    // list (run_candidates, as evaluate takes it).
    const RankingSource &source = m_models[model];
    const int32_t one[] = { user };
    Candidates c;
    if (source.run) {
        const int depth = static_cast<int>(std::min<size_t>(source.run->depth(), 1 << 30));
        c = run_candidates(*source.run, *m_dataset, one, std::max(m_options.k, std::min(poolSize, depth)));
    } else {
        ScoringOptions so;
        so.pool = poolSize;
        so.device = "cpu"; // one user: the CPU kernel (on a CUDA machine lists agree up to near-ties)
        c = score_top(*source.model, one, so);
    }
    const auto items = c.row_items(0);
    const auto scores = c.row_scores(0);
    s.pool.assign(items.begin(), items.end());
    s.poolScores.assign(scores.begin(), scores.end());
    // Every item's score for the ROC curves: the floats of evaluate's AUC stage (a run: by place).
    s.all = source.run ? run_scores_all(*source.run, *m_dataset, user) : source.model->score_all(user);
    s.roc = user_roc(*m_dataset, user, s.all);
    s.user = user;
    return s;
}

const MetricContext &UserInspector::contextFor(size_t model, int level)
{
    auto &slot = m_contexts[{ model, level }];
    if (!slot) {
        const RankingSource &m = m_models[model];
        slot = std::make_unique<MetricContext>(*m_dataset, level, m.item_embeddings(), m.dim());
    }
    return *slot;
}

ListColumn UserInspector::makeColumn(size_t model, ListColumn::Role role, int32_t user, const RerankedList &list,
    const std::vector<int32_t> &testItems, bool reranked)
{
    ListColumn col;
    col.role = role;
    col.source = model;
    col.items = list.items;
    col.scores = list.scores;
    col.reasons = list.reasons;
    for (const RerankReason &r : col.reasons)
        col.why.push_back(describe(r, *m_dataset, m_options));
    col.hit.reserve(col.items.size());
    for (int32_t item : col.items)
        col.hit.push_back(std::binary_search(testItems.begin(), testItems.end(), item) ? 1 : 0);
    if (const auto &j = m_dataset->judgements) {
        for (int32_t item : col.items)
            col.grade.push_back(j->grade(user, item));
    }
    const UserScores &s = scoresFor(model, user);
    if (reranked) { // DESIGN §5: the list strictly in order, then the model's order below it
        const std::vector<float> ranked = listFirstScores(s.all, col.items);
        col.roc = user_roc(*m_dataset, user, ranked);
        col.roc.auc = reranked_user_auc(*m_dataset, user, s.all, col.items); // evaluate's number
    } else {
        col.roc = s.roc; // the model's own ranking (ties handled as scikit-learn does)
    }
    const RocPoints thin = RocPoints::thin(col.roc.fpr, col.roc.tpr, kRocDrawPoints);
    col.roc.fpr = thin.fpr;
    col.roc.tpr = thin.tpr;
    col.roc.thresholds.clear();
    col.poolRoc = pool_roc(*m_dataset, user, s.pool, col.items);
    col.poolRoc.thresholds.clear();
    col.metrics = user_metrics(contextFor(model, m_options.category_level), user, col.items, m_options.k, col.roc.auc);
    return col;
}

std::vector<std::pair<int32_t, double>> UserInspector::similarHistory(
    int32_t item, const std::vector<int32_t> &history, size_t n) const
{
    std::vector<std::pair<int32_t, double>> out;
    if (!m_similarity)
        return out;
    const SimilarityProvider &sim = *m_similarity;
    for (int32_t h : history) {
        if (h != item)
            out.emplace_back(h, sim.similarity(item, h));
    }
    const size_t keep = std::min(n, out.size());
    std::partial_sort(out.begin(), out.begin() + static_cast<long>(keep), out.end(),
        [](const auto &a, const auto &b) { return a.second > b.second; });
    out.resize(keep);
    return out;
}

UserView UserInspector::inspect(int32_t user)
{
    Stopwatch watch;
    if (!hasData() || !m_reranker)
        throw Error("inspect: no dataset or model is loaded; open a dataset and add a model");
    if (user < 0 || user >= m_dataset->n_users())
        throw Error("inspect: user index " + std::to_string(user) + " is out of range");
    UserView view;
    view.user = user;
    view.k = m_options.k;
    const MetricContext &ctx = contextFor(0, m_options.category_level);
    view.level = ctx.level();

    // History, most recent first (ties: later item index first, stable across runs).
    const auto items = m_dataset->train.row(user);
    const auto ts = m_dataset->train.row_ts(user);
    std::vector<size_t> order(items.size());
    std::iota(order.begin(), order.end(), size_t { 0 });
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return ts[a] > ts[b]; });
    for (size_t i : order)
        view.history.push_back(items[i]);

    const std::vector<int32_t> testItems = test_set(*m_dataset, user);
    const UserScores &primary = scoresFor(0, user);
    const size_t k = static_cast<size_t>(m_options.k);

    RerankedList modelOrder;
    const size_t n = std::min(k, primary.pool.size());
    modelOrder.items.assign(primary.pool.begin(), primary.pool.begin() + static_cast<long>(n));
    modelOrder.scores.assign(primary.poolScores.begin(), primary.poolScores.begin() + static_cast<long>(n));
    // explain() is rerank() with each item's reason kept (the same steps, so the same list).
    const RerankedList reranked = m_reranker->explain(user, primary.pool, primary.poolScores);

    const std::string name = modelName(m_models.front());
    ListColumn a = makeColumn(0, ListColumn::Role::ModelOrder, user, modelOrder, testItems, false);
    a.title = name + (m_models.front().run ? " \u2014 run order" : " \u2014 model order");
    ListColumn b = makeColumn(0, ListColumn::Role::Reranked, user, reranked, testItems, reranks(m_options));
    b.title = name + " \u2014 re-ranked (" + std::string(rerank_method_name(m_options.method)) + ", \u03B4 "
        + formatDelta(m_options.diversity) + ")";
    view.columns.push_back(std::move(a));
    view.columns.push_back(std::move(b));

    for (int index : m_compared) {
        if (index < 1 || static_cast<size_t>(index) >= m_models.size())
            continue;
        const auto source = static_cast<size_t>(index);
        const UserScores &s = scoresFor(source, user);
        RerankedList own;
        const size_t m = std::min(k, s.pool.size());
        own.items.assign(s.pool.begin(), s.pool.begin() + static_cast<long>(m));
        own.scores.assign(s.poolScores.begin(), s.poolScores.begin() + static_cast<long>(m));
        const bool rerank = m_comparedReranked;
        ListColumn c = makeColumn(source, ListColumn::Role::OtherSource, user,
            rerank ? rerankerFor(source).explain(user, s.pool, s.poolScores) : own, testItems,
            rerank && reranks(m_options));
        c.title = modelName(m_models[source])
            + (rerank ? " \u2014 re-ranked (" + std::string(rerank_method_name(m_options.method)) + ", \u03B4 "
                      + formatDelta(m_options.diversity) + ")"
                      : m_models[source].run ? " \u2014 run order"
                                             : " \u2014 model order");
        view.columns.push_back(std::move(c));
    }

    // Rank moves against the baseline column, and how far every pair of lists agrees.
    view.baseline = static_cast<size_t>(m_baseline) < view.columns.size() ? m_baseline : 0;
    const std::vector<int32_t> &reference = view.columns[static_cast<size_t>(view.baseline)].items;
    for (ListColumn &c : view.columns) {
        c.moves = RankMove::compare(reference, c.items);
        c.dropped = RankMove::dropped(reference, c.items);
    }
    for (size_t i = 0; i < view.columns.size(); ++i) {
        for (size_t j = i + 1; j < view.columns.size(); ++j) {
            const auto &x = view.columns[i].items, &y = view.columns[j].items;
            ListOverlap o;
            o.a = static_cast<int>(i);
            o.b = static_cast<int>(j);
            o.shared = static_cast<int>(std::count_if(
                x.begin(), x.end(), [&](int32_t item) { return std::find(y.begin(), y.end(), item) != y.end(); }));
            o.jaccard = jaccard(x, y);
            o.rbo = rank_biased_overlap(x, y, kRboP);
            view.overlaps.push_back(o);
        }
    }

    // Category mix at the bars' level: history first, then each list.
    std::vector<std::vector<int32_t>> keys;
    view.barsLevel = std::min(m_barsLevel, std::max(1, m_dataset->category_levels));
    auto bucketsOf = [&](std::span<const int32_t> list) {
        std::vector<int32_t> out;
        out.reserve(list.size());
        for (int32_t item : list) {
            const int32_t category = m_dataset->category_at_level(item, view.barsLevel);
            out.push_back(category < 0 ? CategoryBars::kUnknown : category);
        }
        return out;
    };
    if (!m_dataset->queries()) { // a query has no history
        keys.push_back(bucketsOf(view.history));
        view.seriesNames.push_back("history");
    }
    for (const ListColumn &c : view.columns) {
        keys.push_back(bucketsOf(c.items));
        view.seriesNames.push_back(c.role == ListColumn::Role::ModelOrder ? (m_models.front().run ? "run order" : "model order")
                : c.role == ListColumn::Role::Reranked                    ? "re-ranked"
                                                                          : modelName(m_models[c.source]));
    }
    view.bars = CategoryBars::compute(keys, 8);
    view.diversityMetrics
        = { m_options.similarity == SimilarityKind::embedding && ctx.has_embeddings() ? "ild_embedding"
                                                                                      : "ild_category",
              "category_count", "entropy", "calibration_kl", "novelty", "long_tail_share" };
    view.elapsedMs = watch.elapsed_ms();
    return view;
}

} // namespace reclens
