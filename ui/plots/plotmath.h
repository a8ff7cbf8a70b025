#pragma once
// The numbers behind the plots, as plain structs with no widgets, so each can be tested with
// hand-computed rows (tests/ui/tst_plotmath.cpp). Plot widgets only apply these. What one user's
// view needs (category bars, rank moves, thinned ROC points) is core's (core/analysis/viewmath.h).
#include "core/analysis/viewmath.h"

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace reclens::ui
{

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

// Value labels over bars (pixels, y growing downwards as on screen): each is centred over its bar
// and sits on the bar's top. A label that would touch one already placed (closer than `gap` side by
// side while their bottoms are less than a line apart) moves up to just above the highest label it
// touches; if it still touches one there, or would rise above `ceiling`, it is left out (the plot's
// hover text has every value). Labels are taken in the given order.
struct BarLabel {
    double center = 0; // x of the bar's centre
    double width = 0;  // the text's width
    double top = 0;    // y of the bar's top
};
// Per label the y of its bottom edge, or NaN when it is left out.
std::vector<double> placeBarLabels(std::span<const BarLabel> labels, double lineHeight, double gap = 3,
                                   double ceiling = -std::numeric_limits<double>::infinity());

} // namespace reclens::ui
