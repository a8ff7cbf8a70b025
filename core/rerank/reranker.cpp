// Per-user (scalar) re-rankers of DESIGN §6. The batched libtorch version (reranker_batch.cpp)
// mirrors every arithmetic step here so both return identical lists.
#include "core/common/error.h"
#include "core/rerank/rerank_internal.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <optional>

namespace reclens {

using namespace rerank_detail;

std::vector<double> normalise_scores(std::span<const float> scores)
{
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (float s : scores)
        if (std::isfinite(s)) {
            lo = std::min(lo, static_cast<double>(s));
            hi = std::max(hi, static_cast<double>(s));
        }
    std::vector<double> r(scores.size(), 1.0);
    if (!(hi > lo))
        return r;
    for (size_t i = 0; i < scores.size(); ++i)
        r[i] = std::isfinite(scores[i]) ? (static_cast<double>(scores[i]) - lo) / (hi - lo) : 0.0;
    return r;
}

namespace rerank_detail {

std::vector<int32_t> item_buckets(const Dataset &ds, int level)
{
    const int h = ds.category_levels;
    const int lv = (h <= 0) ? 0 : ((level <= 0 || level > h) ? h : level);
    const auto unknown = static_cast<int32_t>(ds.categories.size());
    std::vector<int32_t> b(static_cast<size_t>(ds.n_items()), unknown);
    if (lv > 0)
        for (int32_t i = 0; i < ds.n_items(); ++i) {
            const int32_t c = ds.category_at_level(i, lv);
            b[static_cast<size_t>(i)] = c < 0 ? unknown : c;
        }
    return b;
}

namespace {

bool on_path(const Dataset &ds, int32_t item, int32_t category)
{
    for (int32_t c : ds.item_path(item))
        if (c == category)
            return true;
    return false;
}

} // namespace

bool rule_applies(const Dataset &ds, const MerchRule &r, int32_t item)
{
    using Kd = MerchRule::Kind;
    switch (r.kind) {
    case Kd::exclude_item:
    case Kd::pin_item:
        return r.target == item;
    case Kd::exclude_category:
    case Kd::boost_category:
    case Kd::bury_category:
        return on_path(ds, item, r.target);
    case Kd::exclude_brand:
    case Kd::boost_brand:
    case Kd::bury_brand:
        return ds.item_brand[static_cast<size_t>(item)] == r.target;
    }
    return false;
}

Prepared prepare(const Dataset &ds, const RerankOptions &o, std::span<const int32_t> items,
                 std::span<const float> scores)
{
    using Kd = MerchRule::Kind;
    Prepared p;
    p.items.reserve(items.size());
    p.scores.reserve(items.size());
    for (size_t i = 0; i < items.size(); ++i) {
        const int32_t it = items[i];
        if (it < 0)
            continue;
        bool excluded = false;
        for (const auto &r : o.rules) {
            if ((r.kind == Kd::exclude_item || r.kind == Kd::exclude_category || r.kind == Kd::exclude_brand)
                && rule_applies(ds, r, it))
                excluded = true;
        }
        if (!excluded) {
            p.items.push_back(it);
            p.scores.push_back(scores[i]);
        }
    }
    p.rhat = normalise_scores(p.scores);
    bool adjusted = false;
    for (size_t i = 0; i < p.items.size(); ++i) {
        const int32_t it = p.items[i];
        for (const auto &r : o.rules) {
            const bool adjusts = r.kind == Kd::boost_category || r.kind == Kd::bury_category
                || r.kind == Kd::boost_brand || r.kind == Kd::bury_brand;
            if (!adjusts || !rule_applies(ds, r, it))
                continue;
            adjusted = true;
            if (r.kind == Kd::boost_category || r.kind == Kd::boost_brand)
                p.rhat[i] = p.rhat[i] * r.factor + r.amount;
            else
                p.rhat[i] = p.rhat[i] / r.factor - r.amount;
        }
    }
    if (adjusted) {
        std::vector<size_t> order(p.items.size());
        std::iota(order.begin(), order.end(), size_t{0});
        std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p.rhat[a] > p.rhat[b]; });
        Prepared q;
        for (size_t i : order) {
            q.items.push_back(p.items[i]);
            q.scores.push_back(p.scores[i]);
            q.rhat.push_back(p.rhat[i]);
        }
        // Re-normalise the adjusted values to [0,1] so δ keeps its meaning.
        std::vector<float> f(q.rhat.begin(), q.rhat.end());
        q.rhat = normalise_scores(f);
        p = std::move(q);
    }
    return p;
}

RerankedList finish(const Dataset &ds, const RerankOptions &o, const Prepared &p, std::vector<int> selected,
                    std::span<const int32_t> items, std::span<const float> scores)
{
    const auto k = static_cast<size_t>(o.k);
    std::vector<uint8_t> used(p.items.size(), 0);
    for (int s : selected)
        used[static_cast<size_t>(s)] = 1;
    for (size_t i = 0; i < p.items.size() && selected.size() < k; ++i)
        if (!used[i])
            selected.push_back(static_cast<int>(i));
    if (selected.size() > k)
        selected.resize(k);
    RerankedList out;
    for (int s : selected) {
        out.items.push_back(p.items[static_cast<size_t>(s)]);
        out.scores.push_back(p.scores[static_cast<size_t>(s)]);
    }
    std::vector<MerchRule> pins;
    for (const auto &r : o.rules)
        if (r.kind == MerchRule::Kind::pin_item)
            pins.push_back(r);
    std::stable_sort(pins.begin(), pins.end(), [](const MerchRule &a, const MerchRule &b) { return a.rank < b.rank; });
    for (const auto &r : pins) {
        float score = std::numeric_limits<float>::quiet_NaN();
        for (size_t i = 0; i < items.size(); ++i)
            if (items[i] == r.target)
                score = scores[i];
        auto it = std::find(out.items.begin(), out.items.end(), r.target);
        if (it != out.items.end()) {
            const auto pos = it - out.items.begin();
            out.items.erase(it);
            out.scores.erase(out.scores.begin() + pos);
        }
        const auto at = std::min(static_cast<size_t>(r.rank - 1), out.items.size());
        out.items.insert(out.items.begin() + static_cast<long>(at), r.target);
        out.scores.insert(out.scores.begin() + static_cast<long>(at), score);
    }
    if (out.items.size() > k) {
        out.items.resize(k);
        out.scores.resize(k);
    }
    (void)ds;
    return out;
}

} // namespace rerank_detail

namespace {

int argmax_free(const std::vector<double> &v, const std::vector<uint8_t> &taken)
{
    int best = -1;
    for (size_t i = 0; i < v.size(); ++i)
        if (!taken[i] && (best < 0 || v[i] > v[static_cast<size_t>(best)]))
            best = static_cast<int>(i);
    return best;
}

// `why`, when given (size n), receives the reason of each picked position: the same terms the
// step compared, so that an explanation is never a recomputation that could disagree.
std::vector<int> select_mmr(const Prepared &p, const CandidateSimilarities &candidates, double delta, size_t k,
                            std::vector<RerankReason> *why)
{
    const size_t n = p.items.size();
    // maxsim[i] = max over the selected set S of sim(i, j): the true maximum, negative when every
    // chosen item points away from i (DESIGN §6); only the empty S counts as 0.
    std::vector<double> maxsim(n, -std::numeric_limits<double>::infinity()), val(n);
    std::vector<int32_t> maxfrom(why ? n : 0, -1); // the chosen item of that maximum (explanations)
    std::vector<uint8_t> taken(n, 0);
    std::vector<int> sel;
    while (sel.size() < k && sel.size() < n) {
        for (size_t i = 0; i < n; ++i)
            val[i] = (1.0 - delta) * p.rhat[i] - (sel.empty() ? 0.0 : delta * maxsim[i]);
        const int j = argmax_free(val, taken);
        const auto jj = static_cast<size_t>(j);
        if (why) {
            RerankReason &r = (*why)[jj];
            r.kind = RerankReason::Kind::mmr;
            r.step = static_cast<int>(sel.size()) + 1;
            r.relevance = (1.0 - delta) * p.rhat[jj];
            r.diversity = sel.empty() ? 0.0 : delta * maxsim[jj];
            r.gain = val[jj];
            r.because = sel.empty() ? -1 : maxfrom[jj];
            r.similarity = sel.empty() ? std::numeric_limits<double>::quiet_NaN() : maxsim[jj];
        }
        sel.push_back(j);
        taken[jj] = 1;
        if (sel.size() == k || sel.size() == n)
            break; // no later step reads the similarities
        const auto sims = candidates.row(jj);
        for (size_t i = 0; i < n; ++i) {
            if (taken[i])
                continue;
            const double s = sims[i];
            if (why && s > maxsim[i])
                maxfrom[i] = p.items[jj];
            maxsim[i] = std::max(maxsim[i], s);
        }
    }
    return sel;
}

std::vector<int> select_dpp(const Prepared &p, const SimilarityProvider &sim, const CandidateSimilarities &candidates,
                            double delta, size_t k, std::vector<RerankReason> *why)
{
    const size_t n = p.items.size();
    const double alpha = dpp_alpha(delta);
    std::vector<double> q(n), d2(n);
    for (size_t i = 0; i < n; ++i) {
        q[i] = dpp_quality(alpha, p.rhat[i]);
        d2[i] = q[i] * sim.similarity(p.items[i], p.items[i]) * q[i];
    }
    std::vector<double> c(n * k, 0.0);
    std::vector<uint8_t> taken(n, 0);
    std::vector<int> sel;
    while (sel.size() < k) {
        const int jj = argmax_free(d2, taken);
        if (jj < 0 || d2[static_cast<size_t>(jj)] < kDppStop)
            break;
        const auto j = static_cast<size_t>(jj);
        if (why) {
            RerankReason &r = (*why)[j];
            r.kind = RerankReason::Kind::dpp;
            r.step = static_cast<int>(sel.size()) + 1;
            r.gain = d2[j];
        }
        sel.push_back(jj);
        taken[j] = 1;
        if (sel.size() == k)
            break;
        const size_t m = sel.size() - 1;
        const double dj = std::sqrt(d2[j]);
        const auto sims = candidates.row(j);
        for (size_t i = 0; i < n; ++i) {
            if (taken[i])
                continue;
            double acc = 0.0;
            for (size_t t = 0; t < m; ++t)
                acc = acc + c[j * k + t] * c[i * k + t];
            const double e = (q[j] * sims[i] * q[i] - acc) / dj;
            c[i * k + m] = e;
            d2[i] = d2[i] - e * e;
        }
    }
    return sel;
}

std::vector<int> select_calibrated(const Prepared &p, const std::vector<int32_t> &bucket, const Dataset &ds,
                                   int32_t user, double delta, size_t k, std::vector<RerankReason> *why)
{
    const size_t n = p.items.size();
    const auto nb = static_cast<size_t>(ds.categories.size()) + 1;
    std::vector<double> hist(nb, 0.0);
    auto train = ds.train.row(user);
    for (int32_t it : train)
        hist[static_cast<size_t>(bucket[static_cast<size_t>(it)])] += 1.0;
    for (double &h : hist)
        h = train.empty() ? 0.0 : h / static_cast<double>(train.size());
    std::vector<double> count(nb, 0.0), gain(n);
    std::vector<uint8_t> taken(n, 0);
    std::vector<int> sel;
    while (sel.size() < k && sel.size() < n) {
        const double m = static_cast<double>(sel.size() + 1);
        for (size_t i = 0; i < n; ++i) {
            const auto b = static_cast<size_t>(bucket[static_cast<size_t>(p.items[i])]);
            const double pc = hist[b];
            const double step = pc > 0 ? calibration_step(pc, count[b], m) : 0.0;
            gain[i] = static_cast<double>(static_cast<float>((1.0 - delta) * p.rhat[i] - delta * step));
        }
        const int j = argmax_free(gain, taken);
        if (why) {
            const auto jj = static_cast<size_t>(j);
            const double pc = hist[static_cast<size_t>(bucket[static_cast<size_t>(p.items[jj])])];
            const double n_b = count[static_cast<size_t>(bucket[static_cast<size_t>(p.items[jj])])];
            RerankReason &r = (*why)[jj];
            r.kind = RerankReason::Kind::calibrated;
            r.step = static_cast<int>(sel.size()) + 1;
            r.relevance = (1.0 - delta) * p.rhat[jj];
            r.diversity = delta * (pc > 0 ? calibration_step(pc, n_b, m) : 0.0);
            r.gain = gain[jj];
        }
        sel.push_back(j);
        taken[static_cast<size_t>(j)] = 1;
        count[static_cast<size_t>(bucket[static_cast<size_t>(p.items[static_cast<size_t>(j)])])] += 1.0;
    }
    return sel;
}

std::vector<int> select_caps(const Prepared &p, const std::vector<int32_t> &bucket, const Dataset &ds,
                             const RerankOptions &o, std::vector<RerankReason> *why)
{
    const auto unknown = static_cast<int32_t>(ds.categories.size());
    std::vector<int> cat_count(static_cast<size_t>(unknown) + 1, 0), brand_count(ds.brands.size() + 1, 0);
    std::vector<int> sel;
    for (size_t i = 0; i < p.items.size() && sel.size() < static_cast<size_t>(o.k); ++i) {
        const int32_t c = bucket[static_cast<size_t>(p.items[i])];
        const int32_t b = ds.item_brand[static_cast<size_t>(p.items[i])];
        const bool cat_full = o.max_per_category > 0 && c != unknown && cat_count[static_cast<size_t>(c)] >= o.max_per_category;
        const bool brand_full = o.max_per_brand > 0 && b >= 0 && brand_count[static_cast<size_t>(b)] >= o.max_per_brand;
        if (cat_full || brand_full)
            continue;
        ++cat_count[static_cast<size_t>(c)];
        if (b >= 0)
            ++brand_count[static_cast<size_t>(b)];
        if (why) {
            (*why)[i].kind = RerankReason::Kind::caps;
            (*why)[i].step = static_cast<int>(sel.size()) + 1;
        }
        sel.push_back(static_cast<int>(i));
    }
    return sel; // finish() fills from the skipped ones in model order
}

} // namespace

namespace {

bool needs_similarity(const RerankOptions &o)
{
    return o.method == RerankMethod::mmr || o.method == RerankMethod::dpp;
}

// Validates (throws Error) before anything is built, then the similarity the method needs (or none).
std::shared_ptr<const SimilarityProvider> similarity_for(const Dataset &dataset, const RerankOptions &o,
                                                         std::span<const float> item_embeddings, int dim)
{
    const bool have_emb = dim > 0 && item_embeddings.size() == static_cast<size_t>(dataset.n_items()) * static_cast<size_t>(dim);
    validate(o, dataset, have_emb);
    if (!needs_similarity(o))
        return nullptr;
    return std::make_shared<const SimilarityProvider>(dataset, o.similarity, item_embeddings, dim);
}

} // namespace

Reranker::Reranker(const Dataset &dataset, RerankOptions options, std::span<const float> item_embeddings, int dim)
    : Reranker(dataset, options, similarity_for(dataset, options, item_embeddings, dim))
{
}

Reranker::Reranker(const Dataset &dataset, RerankOptions options, std::shared_ptr<const SimilarityProvider> similarity)
    : m_dataset(&dataset)
    , m_options(std::move(options))
{
    validate(m_options, dataset, similarity && similarity->kind() == SimilarityKind::embedding && similarity->dim() > 0);
    if (needs_similarity(m_options)) {
        if (!similarity || similarity->kind() != m_options.similarity || &similarity->dataset() != &dataset)
            throw Error("re-ranking: the shared similarity is not the " + std::string(similarity_name(m_options.similarity))
                        + " similarity of this dataset");
        m_similarity = std::move(similarity);
    }
    m_bucket = item_buckets(dataset, m_options.category_level);
}

Reranker::~Reranker() = default;

RerankedList Reranker::rerank(int32_t user, std::span<const int32_t> items, std::span<const float> scores) const
{
    return run(user, items, scores, false);
}

RerankedList Reranker::explain(int32_t user, std::span<const int32_t> items, std::span<const float> scores) const
{
    return run(user, items, scores, true);
}

std::vector<RerankedList> Reranker::rerank_deltas(int32_t user, std::span<const int32_t> items,
                                                  std::span<const float> scores, std::span<const double> deltas) const
{
    const Prepared p = prepare(*m_dataset, m_options, items, scores);
    std::optional<CandidateSimilarities> similarities;
    if (needs_similarity(m_options))
        similarities.emplace(*m_similarity, p.items);
    std::vector<RerankedList> out;
    out.reserve(deltas.size());
    for (const double delta : deltas) {
        check_diversity(delta);
        out.push_back(run_at(user, p, items, scores, delta, similarities ? &*similarities : nullptr, false));
    }
    return out;
}

RerankedList Reranker::run(int32_t user, std::span<const int32_t> items, std::span<const float> scores,
                           bool explain) const
{
    const Prepared p = prepare(*m_dataset, m_options, items, scores);
    std::optional<CandidateSimilarities> similarities;
    if (needs_similarity(m_options) && m_options.diversity > 0.0)
        similarities.emplace(*m_similarity, p.items);
    return run_at(user, p, items, scores, m_options.diversity, similarities ? &*similarities : nullptr, explain);
}

RerankedList Reranker::run_at(int32_t user, const Prepared &p, std::span<const int32_t> items,
                              std::span<const float> scores, double delta, const CandidateSimilarities *similarities,
                              bool explain) const
{
    const auto k = static_cast<size_t>(m_options.k);
    std::vector<RerankReason> why(explain ? p.items.size() : 0);
    std::vector<RerankReason> *w = explain ? &why : nullptr;
    std::vector<int> sel;
    if (delta > 0.0) {
        switch (m_options.method) {
        case RerankMethod::none: break;
        case RerankMethod::mmr: sel = select_mmr(p, *similarities, delta, k, w); break;
        case RerankMethod::dpp: sel = select_dpp(p, *m_similarity, *similarities, delta, k, w); break;
        case RerankMethod::calibrated: sel = select_calibrated(p, m_bucket, *m_dataset, user, delta, k, w); break;
        case RerankMethod::caps: sel = select_caps(p, m_bucket, *m_dataset, m_options, w); break;
        }
    }
    const bool reranked = !sel.empty();
    RerankedList out = finish(*m_dataset, m_options, p, std::move(sel), items, scores);
    if (!explain)
        return out;
    // Each final item: its greedy step's reason, or filled in model order; the rules that touched it.
    out.reasons.reserve(out.items.size());
    for (const int32_t item : out.items) {
        const auto at = std::find(p.items.begin(), p.items.end(), item);
        RerankReason r;
        if (at != p.items.end()) {
            const auto i = static_cast<size_t>(at - p.items.begin());
            r = why[i];
            if (r.step == 0)
                r.kind = reranked ? RerankReason::Kind::filled : RerankReason::Kind::model_order;
            r.rhat = p.rhat[i];
        }
        bool pinned = false;
        for (size_t ri = 0; ri < m_options.rules.size(); ++ri) {
            const MerchRule &rule = m_options.rules[ri];
            if (rule.kind == MerchRule::Kind::exclude_item || rule.kind == MerchRule::Kind::exclude_category
                || rule.kind == MerchRule::Kind::exclude_brand || !rule_applies(*m_dataset, rule, item))
                continue;
            r.rules.push_back(static_cast<int>(ri));
            pinned = pinned || rule.kind == MerchRule::Kind::pin_item;
        }
        if (pinned)
            r.kind = RerankReason::Kind::pinned;
        out.reasons.push_back(std::move(r));
    }
    return out;
}

} // namespace reclens
