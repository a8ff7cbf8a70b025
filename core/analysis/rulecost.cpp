#include "core/analysis/rulecost.h"

namespace reclens {

std::vector<double> top_category_shares(const Dataset &ds, const EvaluationResult &r)
{
    std::vector<double> shares(ds.categories.size() + 1, 0.0);
    double slots = 0;
    for (const auto &list : r.lists)
        for (int32_t item : list) {
            const int32_t top = ds.top_category(item);
            shares[top >= 0 ? static_cast<size_t>(top) : ds.categories.size()] += 1;
            slots += 1;
        }
    if (slots > 0)
        for (double &s : shares)
            s /= slots;
    return shares;
}

namespace {

double metric(const EvaluationResult &r, const char *name)
{
    const auto it = r.metrics.find(name);
    return it == r.metrics.end() ? kNaN : it->second;
}

std::vector<StratumDelta> stratum_deltas(const EvaluationResult &with, const EvaluationResult &without)
{
    std::vector<StratumDelta> out;
    const int ndcg = static_cast<int>(MetricId::ndcg), recall = static_cast<int>(MetricId::recall);
    auto groups = [&](const std::vector<UserGroupStratum> &a, const std::vector<UserGroupStratum> &b,
                      const std::string &prefix) {
        for (size_t i = 0; i < a.size() && i < b.size(); ++i)
            out.push_back({prefix + a[i].name, a[i].metrics[static_cast<size_t>(ndcg)] - b[i].metrics[static_cast<size_t>(ndcg)],
                           a[i].metrics[static_cast<size_t>(recall)] - b[i].metrics[static_cast<size_t>(recall)]});
    };
    groups(with.strata.activity, without.strata.activity, "activity ");
    groups(with.strata.segments, without.strata.segments, "segment ");
    out.push_back({"head items", kNaN, with.strata.head.recall - without.strata.head.recall});
    out.push_back({"tail items", kNaN, with.strata.tail.recall - without.strata.tail.recall});
    return out;
}

} // namespace

RuleCosts rule_costs(const ScoredSource &scored, const EvaluationOptions &options, const ProgressFn &progress)
{
    EvaluationOptions o = options;
    o.compute_auc = false;
    const auto &rules = options.rerank.rules;
    const double parts = static_cast<double>(rules.size() + 1);
    auto stage = [&progress, parts](size_t i) -> ProgressFn {
        if (!progress)
            return {};
        return [&progress, parts, i](double f, std::string_view s) {
            return progress((static_cast<double>(i) + f) / parts, s);
        };
    };
    const EvaluationResult with = measure(scored, o, stage(0));
    const Dataset &ds = *scored.source.dataset;
    const std::vector<double> shares = top_category_shares(ds, with);
    RuleCosts out;
    out.with_all = with.metrics;
    for (size_t r = 0; r < rules.size(); ++r) {
        EvaluationOptions without = o;
        without.rerank.rules.erase(without.rerank.rules.begin() + static_cast<long>(r));
        const EvaluationResult w = measure(scored, without, stage(r + 1));
        RuleCost c;
        c.rule = rules[r];
        c.ndcg = metric(with, "ndcg") - metric(w, "ndcg");
        c.recall = metric(with, "recall") - metric(w, "recall");
        c.coverage = metric(with, "catalog_coverage") - metric(w, "catalog_coverage");
        const std::vector<double> other = top_category_shares(ds, w);
        c.category_share.resize(shares.size());
        for (size_t i = 0; i < shares.size(); ++i)
            c.category_share[i] = shares[i] - other[i];
        c.strata = stratum_deltas(with, w);
        out.rules.push_back(std::move(c));
    }
    return out;
}

} // namespace reclens
