#pragma once
// What a merchandising rule costs (DESIGN §10): for each rule, the all-user change it alone causes —
// the run with every rule against the run with every rule but that one, everything else equal — in
// nDCG, recall, catalogue coverage and the category mix of the lists, overall and per stratum. This
// is what a merchandiser wants to know before a rule goes live. One function for the GUI's Rules
// panel, the report and scripts.
#include "core/analysis/evaluation.h"

#include <string>
#include <vector>

namespace reclens {

// Share of all list slots per top-level category (index: category index; the last entry counts
// items without a category), over every evaluated user's final list.
std::vector<double> top_category_shares(const Dataset &dataset, const EvaluationResult &result);

struct StratumDelta {
    std::string name;  // "activity low", "segment 2 Adults Kids", "head items", ...
    double ndcg = kNaN;   // with all rules minus without this one (NaN when the stratum has no such metric)
    double recall = kNaN;
};

struct RuleCost {
    MerchRule rule;
    // with all rules minus without this rule: positive = the rule raises it.
    double ndcg = kNaN, recall = kNaN, coverage = kNaN;
    std::vector<double> category_share; // top_category_shares(with) - top_category_shares(without)
    std::vector<StratumDelta> strata;
};

struct RuleCosts {
    std::map<std::string, double> with_all; // the run's metrics with every rule
    std::vector<RuleCost> rules;            // in the order of options.rerank.rules
};

// measure(scored, options) once with every rule and once per rule without it, over candidates
// scored once (DESIGN §13), AUC not measured (a rule's cost does not report it). Throws Cancelled
// when progress returns false.
RuleCosts rule_costs(const ScoredSource &scored, const EvaluationOptions &options, const ProgressFn &progress = {});

} // namespace reclens
