#pragma once
// The numbers behind the plots and list decorations, as plain structs with no widgets, so each can be
// tested with hand-computed rows (tests/ui/tst_plotmath.cpp). Plot widgets only apply these.
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace reclens::ui
{

// Grouped bars of category shares: one series per list (history, model order, re-ranked, ...).
struct CategoryBars {
    static constexpr int32_t kUnknown = -1; // items without a category
    static constexpr int32_t kOther = -2; // categories folded together past maxGroups

    std::vector<int32_t> categories; // bar groups left to right (category key, kUnknown, kOther)
    std::vector<std::vector<double>> shares; // [series][group]; a non-empty series sums to 1

    // keys[s] holds one category key per item of series s (repeats count). Groups are ordered by
    // their largest share in any series (ties: smaller key first); past `maxGroups` the smallest
    // ones fold into a final kOther group.
    static CategoryBars compute(const std::vector<std::vector<int32_t>> &keys, int maxGroups);
};

// Rank movement of an item between a reference list (model order) and a shown list (re-ranked).
struct RankMove {
    enum class Kind { Same, Up, Down, New, Dropped };
    Kind kind = Kind::Same;
    int steps = 0; // positions moved (Up/Down), 0 otherwise

    // For each item of `shown`: how it moved relative to `reference` (New when absent there).
    static std::vector<RankMove> compare(std::span<const int32_t> reference, std::span<const int32_t> shown);
    // Items of `reference` that are not in `shown`, in reference order.
    static std::vector<int32_t> dropped(std::span<const int32_t> reference, std::span<const int32_t> shown);
    // "▲2", "▼1", "new", "–" (same), "dropped"
    std::string label() const;
};

// A ROC curve reduced for drawing: at most `maxPoints` points, always keeping the first and last
// point and, while they fit, every corner (where the staircase turns), so the drawn shape and the
// trapezoid area stay exact; past that, corners are sampled evenly.
struct RocPoints {
    std::vector<double> fpr;
    std::vector<double> tpr;

    static RocPoints thin(std::span<const double> fpr, std::span<const double> tpr, size_t maxPoints);
    double area() const; // trapezoid area under the points
};

// Diversity scores drawn side by side although their units differ: each metric is shown as a
// fraction of a natural maximum so bars compare across metrics; labels keep the raw values.
struct DiversityScale {
    std::string metric;
    double maximum = 1.0; // the value drawn as a full bar

    // k: list length; nUsers: dataset users (novelty's ceiling is log2(nUsers)).
    static DiversityScale forMetric(const std::string &metric, int k, int64_t nUsers, int categoryCount);
    double fraction(double value) const; // clamped to [0,1]; NaN stays NaN
};

// Accuracy–diversity trade-off: the curve over a δ sweep and the point for the current δ.
struct TradeoffCurve {
    std::vector<double> delta; // ascending
    std::vector<double> x; // diversity (e.g. ild) at each δ
    std::vector<double> y; // accuracy (e.g. ndcg) at each δ

    // Linear interpolation between the two nearest sweep points; clamps outside the sweep.
    // Returns false when the curve is empty.
    bool pointAt(double d, double &outX, double &outY) const;
};

// Axis range with a little padding that never collapses to zero width.
struct AxisRange {
    double lower = 0;
    double upper = 1;
    static AxisRange around(std::span<const double> values, double padFraction = 0.08, bool includeZero = false);
};

} // namespace reclens::ui
