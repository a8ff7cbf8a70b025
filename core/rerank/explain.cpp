// Rule kind names and the one-line explanation of a re-ranked item (RerankReason).
#include "core/common/error.h"
#include "core/rerank/reranker.h"

#include <cmath>
#include <cstdio>
#include <utility>

namespace reclens {

namespace {

using Kind = MerchRule::Kind;

constexpr std::pair<Kind, std::string_view> kRuleKinds[] = {
    {Kind::exclude_item, "exclude_item"},     {Kind::exclude_category, "exclude_category"},
    {Kind::exclude_brand, "exclude_brand"},   {Kind::boost_category, "boost_category"},
    {Kind::boost_brand, "boost_brand"},       {Kind::bury_category, "bury_category"},
    {Kind::bury_brand, "bury_brand"},         {Kind::pin_item, "pin_item"},
};

std::string fixed(double v, int decimals = 3)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string title_of(const Dataset &ds, int32_t item)
{
    if (item < 0 || item >= ds.n_items())
        return "?";
    const auto i = static_cast<size_t>(item);
    const std::string &t = i < ds.item_title.size() ? ds.item_title[i] : std::string();
    return t.empty() ? "item " + ds.item_external[i] : t;
}

} // namespace

std::string_view rule_kind_name(Kind kind)
{
    for (const auto &[k, n] : kRuleKinds)
        if (k == kind)
            return n;
    return "unknown";
}

Kind parse_rule_kind(std::string_view name)
{
    for (const auto &[k, n] : kRuleKinds)
        if (n == name)
            return k;
    std::string all;
    for (const auto &[k, n] : kRuleKinds)
        all += (all.empty() ? "" : ", ") + std::string(n);
    throw Error("unknown rule kind '" + std::string(name) + "': use one of " + all);
}

std::string describe(const RerankReason &r, const Dataset &ds, const RerankOptions &o)
{
    using K = RerankReason::Kind;
    const std::string step = " step " + std::to_string(r.step);
    std::string out;
    switch (r.kind) {
    case K::model_order:
        out = "model order (no re-ranking)";
        break;
    case K::mmr:
        out = "MMR" + step + ": relevance " + fixed(r.relevance) + " \u2212 diversity " + fixed(r.diversity);
        if (r.because >= 0)
            out += " (similarity " + fixed(r.similarity, 2) + " to \u00AB" + title_of(ds, r.because)
                + "\u00BB, already chosen)";
        else
            out += " (first pick: nothing chosen yet)";
        out += " = " + fixed(r.gain);
        break;
    case K::dpp:
        out = "DPP" + step + ": marginal gain d\u00B2 " + fixed(r.gain, 4) + " (quality from r\u0302 " + fixed(r.rhat)
            + ", less what it shares with the items already chosen)";
        break;
    case K::calibrated:
        out = "calibrated" + step + ": relevance " + fixed(r.relevance) + " \u2212 calibration " + fixed(r.diversity)
            + " (the change in KL to the history's category mix) = " + fixed(r.gain);
        break;
    case K::caps:
        out = "caps: kept in model order within the caps";
        break;
    case K::filled:
        out = "filled in model order (the re-ranker had chosen its items)";
        break;
    case K::pinned:
        out = "pinned";
        break;
    }
    for (int i : r.rules) {
        if (i < 0 || static_cast<size_t>(i) >= o.rules.size())
            continue;
        const MerchRule &rule = o.rules[static_cast<size_t>(i)];
        const std::string what = rule.kind == Kind::pin_item ? "pinned at rank " + std::to_string(rule.rank)
            : rule.kind == Kind::boost_category || rule.kind == Kind::boost_brand ? "boosted \u00D7" + fixed(rule.factor, 2)
                                                                                   : "buried \u00F7" + fixed(rule.factor, 2);
        out += "; " + what + " by rule " + std::to_string(i + 1) + " (" + std::string(rule_kind_name(rule.kind)) + ")";
    }
    return out;
}

} // namespace reclens
