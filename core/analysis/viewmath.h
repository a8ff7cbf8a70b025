#pragma once
// The numbers behind one user's view as plain structs (UserInspector fills them; the list models and
// plots only draw them): category shares per list, rank moves between lists, a ROC curve thinned
// for drawing. Tested with hand-computed rows (tests/ui/plots/tst_plotmath.cpp).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace reclens
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

} // namespace reclens
