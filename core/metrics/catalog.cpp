// The metric catalogue: names exactly as DESIGN §5, with the formula shown beside each value.
#include "core/common/error.h"
#include "core/metrics/metrics.h"

#include <array>

namespace reclens {

namespace {

using K = MetricKind;

constexpr std::array<MetricInfo, 21> kCatalog{{
    {"precision", "hits@K / K", "Share of the K slots that hold a test item.", K::Accuracy, true, true},
    {"recall", "hits@K / |T_u|", "Share of the user's test items found in the list.", K::Accuracy, true, true},
    {"f1", "2·P·R / (P + R), 0 if P = R = 0", "Harmonic mean of precision and recall.", K::Accuracy, true, true},
    {"hit_rate", "1 if hits@K > 0 else 0", "Share of users with at least one test item in the list.", K::Accuracy,
     true, true},
    {"ndcg", "Σ_{r≤K} rel_r / log2(r+1)  /  Σ_{r≤min(|T_u|,K)} 1 / log2(r+1)",
     "Discounted cumulative gain normalised by the ideal list.", K::Accuracy, true, true},
    {"map", "(1 / min(|T_u|,K)) · Σ_{r≤K} rel_r · P@r", "Average precision at K, averaged over users.", K::Accuracy,
     true, true},
    {"mrr", "1 / rank of the first hit within K, else 0", "Reciprocal rank of the first relevant item.",
     K::Accuracy, true, true},
    {"auc", "P(score(pos) > score(neg)) + ½·P(tie) over u's universe",
     "Per-user ROC AUC over all items not in the user's train set, averaged. A re-ranked run ranks the "
     "final list first, in list order, then every other item by model score.", K::Accuracy, true, true},
    {"auc_pooled", "P(score(pos) > score(neg)) + ½·P(tie) over all pooled (user, item) pairs",
     "ROC AUC of all evaluated (user, item) pairs pooled together, by the model's scores (re-ranked "
     "lists carry no scores comparable across users).", K::Accuracy, false, true},
    {"ild_embedding", "mean_{i<j∈L} 1 − cos(e_i, e_j)", "Intra-list distance in model embedding space.",
     K::BeyondAccuracy, true, true},
    {"ild_category", "mean_{i<j∈L} (H − shared(i,j)) / H", "Intra-list distance in the category tree.",
     K::BeyondAccuracy, true, true},
    {"category_count", "|{cat_ℓ(i) : i ∈ L}|", "Distinct categories in the list at the chosen level.",
     K::BeyondAccuracy, true, true},
    {"entropy", "−Σ_c q_c·log2 q_c", "Entropy (bits) of the list's category shares at the chosen level.",
     K::BeyondAccuracy, true, true},
    {"calibration_kl", "Σ_c p_c·log2(p_c / q̃_c), q̃ = 0.99·q + 0.01·p",
     "KL divergence (bits) of the list's category shares from the user's history (Steck 2018).",
     K::BeyondAccuracy, true, false},
    {"novelty", "mean_{i∈L} −log2(max(pop_i,1) / n_users)", "Self-information of the recommended items.",
     K::BeyondAccuracy, true, true},
    {"arp", "mean_{i∈L} pop_i", "Average popularity (distinct train users) of the recommended items.",
     K::BeyondAccuracy, true, false},
    {"long_tail_share", "|{i ∈ L : i ∉ head}| / |L|",
     "Share of list items outside the head (items covering 80% of train interactions).", K::BeyondAccuracy, true,
     true},
    {"catalog_coverage", "|∪_u L_u| / n_items", "Share of the catalogue recommended to anyone.", K::Aggregate,
     false, true},
    {"gini", "Σ_j (2j − n − 1)·c_(j) / (n·Σc), c ascending",
     "Concentration of exposure over all items (0 = equal, towards 1 = concentrated).", K::Aggregate, false,
     false},
    {"exposure_entropy", "−Σ_i (c_i/Σc)·log2(c_i/Σc)", "Entropy (bits) of item exposure over all lists.",
     K::Aggregate, false, true},
    {"personalization", "1 − Σ_i c_i(c_i−1)/2 / (K·C(n_users,2))",
     "1 − mean overlap |L_u ∩ L_v| / K over user pairs.", K::Aggregate, false, true},
}};

constexpr std::array<std::string_view, kUserMetricCount> kUserNames{
    "precision",    "recall",       "f1",       "hit_rate",       "ndcg",    "map", "mrr", "auc",
    "ild_embedding", "ild_category", "category_count", "entropy", "calibration_kl", "novelty", "arp",
    "long_tail_share"};

// The accuracy metrics under trec_eval's conventions (DESIGN §11): relevance from judgements, R =
// judged items with grade >= the threshold (ids the catalogue lacks included), g_r = the grade of
// rank r (0 unjudged). The name in brackets is trec_eval's measure.
struct TrecFormula {
    std::string_view name, formula;
};
constexpr std::array<TrecFormula, 8> kTrecFormulas{{
    {"precision", "rel@K / K  [P_K; rel = grade ≥ threshold]"},
    {"recall", "rel@K / |R|, 0 if R = ∅  [recall_K; R = all judged relevant]"},
    {"f1", "2·P·R / (P + R), 0 if P = R = 0  [P_K, recall_K]"},
    {"hit_rate", "1 if rel@K > 0 else 0"},
    {"ndcg", "Σ_{r≤K} g_r / log2(r+1)  /  ideal over all judged grades, top K; 0 if ideal = 0  [ndcg_cut_K]"},
    {"map", "(1 / |R|) · Σ_{r≤K} rel_r · P@r, 0 if R = ∅  [map_cut_K]"},
    {"mrr", "1 / rank of the first relevant item within K, else 0  [recip_rank on the top K]"},
    {"auc", "P(score(pos) > score(neg)) + ½·P(tie), pos = judged relevant"},
}};

} // namespace

std::string metric_formula(std::string_view name, std::string_view conventions)
{
    if (conventions == "trec_eval")
        for (const auto &t : kTrecFormulas)
            if (t.name == name)
                return std::string(t.formula);
    return metric_formula(name);
}

std::span<const MetricInfo> metric_catalog()
{
    return kCatalog;
}

const MetricInfo *find_metric(std::string_view name)
{
    for (const auto &m : kCatalog)
        if (m.name == name)
            return &m;
    return nullptr;
}

static const MetricInfo &require_metric(std::string_view name)
{
    const MetricInfo *m = find_metric(name);
    if (!m)
        throw Error("unknown metric '" + std::string(name) + "': use one of the names of DESIGN §5 (e.g. ndcg)");
    return *m;
}

std::string metric_formula(std::string_view name)
{
    return std::string(require_metric(name).formula);
}

std::string metric_description(std::string_view name)
{
    return std::string(require_metric(name).description);
}

std::string metric_label(std::string_view name, bool reranked_run)
{
    if (reranked_run && name == "auc_pooled")
        return std::string(name) + " (model scores)";
    return std::string(name);
}

std::string_view metric_name(MetricId id)
{
    return kUserNames[static_cast<size_t>(id)];
}

} // namespace reclens
