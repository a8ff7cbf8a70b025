#pragma once
// One user's view drawn into the plots and texts that show it, wherever it is shown: the Inspect
// page, the report's story pages and the presentation. One function per thing drawn, so that every
// place shows the same.
#include "ui/plots/categorypalette.h"
#include "core/analysis/userview.h"

#include <QColor>
#include <QString>

namespace reclens::ui
{

class CategoryPlot;
class DiversityPlot;
class ModelMapPlot;
struct GlobalRuns;

// The colour of a list column (model order, re-ranked, a compared source) in every plot and title.
QColor columnColor(const ListColumn &column);
// "–" for NaN, else the value with `decimals` places.
QString formatValue(double v, int decimals = 3);
// The line under a list's title: "hits 3/10 · nDCG 0.454 · recall 0.130 · ILD 0.84 · categories 9 · AUC 0.724".
QString listMetricsLine(const UserView &view, const ListColumn &column);
// The headline: "Shopper 982 · 2 Adults Kids · 107 items in history · 23 held-out test items (✔ = hit)",
// or a query's text and judgement counts.
QString userHeadline(const Dataset &dataset, const UserView &view);
// A category's name with its top-level colour (palette) as the chip shows it.
QColor categoryColor(const Dataset &dataset, const CategoryPalette &palette, int32_t category);

void showCategoryMix(CategoryPlot *plot, const Dataset &dataset, const CategoryPalette &palette, const UserView &view);
void showDiversityScores(DiversityPlot *plot, const Dataset &dataset, const UserView &view);
// Over all evaluated users: the top-level category mix of their histories and of every run's list
// slots (model order, re-ranked, each other source).
void showAllUserCategoryMix(CategoryPlot *plot, const Dataset &dataset, const CategoryPalette &palette,
    const GlobalRuns &runs);
// The all-user runs as points, nDCG against `xMetric` (personalization, catalog_coverage): the
// primary's model order and its re-ranked list joined by an arrow, and each compared source.
void showModelMap(ModelMapPlot *plot, const GlobalRuns &runs, const std::string &xMetric);

} // namespace reclens::ui
