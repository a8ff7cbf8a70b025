#include "ui/pages/viewplots.h"

#include "core/metrics/metrics.h"
#include "ui/models/rankinglistmodel.h"
#include "ui/plots/categoryplot.h"
#include "ui/plots/diversityplot.h"
#include "ui/plots/plotstyle.h"

#include <cmath>

namespace reclens::ui
{

QColor columnColor(ListColumn::Role role)
{
    switch (role) {
    case ListColumn::Role::ModelOrder:
        return SeriesColors::modelOrder();
    case ListColumn::Role::Reranked:
        return SeriesColors::reranked();
    case ListColumn::Role::SecondModel:
        return SeriesColors::secondModel();
    }
    return Qt::gray;
}

QString formatValue(double v, int decimals)
{
    return std::isnan(v) ? QStringLiteral("–") : QString::number(v, 'f', decimals);
}

QString listMetricsLine(const UserView &view, const ListColumn &c)
{
    const UserMetrics &m = c.metrics;
    const std::string ild = view.diversityMetrics.empty() ? "ild_category" : view.diversityMetrics.front();
    const MetricId ildId = ild == "ild_embedding" ? MetricId::ild_embedding : MetricId::ild_category;
    return u"hits "_qs + QString::number(m.hits) + u"/"_qs + QString::number(view.k) + u" · nDCG "_qs
        + formatValue(m[MetricId::ndcg]) + u" · recall "_qs + formatValue(m[MetricId::recall]) + u" · ILD "_qs
        + formatValue(m[ildId], 2) + u" · categories "_qs + formatValue(m[MetricId::category_count], 0)
        + u" · AUC "_qs + formatValue(m[MetricId::auc]);
}

QString userHeadline(const Dataset &ds, const UserView &view)
{
    const auto u = static_cast<size_t>(view.user);
    const size_t tests = view.columns.empty() ? 0 : static_cast<size_t>(view.columns.front().metrics.test_size);
    if (ds.queries()) {
        // A query has no history: its text and judgements take the shopper's place (DESIGN §11).
        const auto &j = *ds.judgements;
        return u"Query "_qs + QString::fromStdString(ds.user_external[u]) + u": “"_qs
            + QString::fromStdString(ds.request_text[u]) + u"”  ·  "_qs
            + QString::number(j.judged.row_size(view.user) + static_cast<int64_t>(j.outside(view.user).size()))
            + u" judged, "_qs + QString::number(tests) + u" relevant (grade ≥ "_qs + QString::number(j.threshold)
            + u"; ✔ = relevant, number = grade)"_qs;
    }
    const QString segment
        = ds.user_segment[u].empty() ? QStringLiteral("no segment") : QString::fromStdString(ds.user_segment[u]);
    return u"Shopper "_qs + QString::fromStdString(ds.user_external[u]) + u"  ·  "_qs + segment + u"  ·  "_qs
        + QString::number(view.history.size()) + u" items in history  ·  "_qs + QString::number(tests)
        + (ds.judgements ? u" relevant judged items (✔ = relevant)"_qs : u" held-out test items (✔ = hit)"_qs);
}

QColor categoryColor(const Dataset &ds, const CategoryPalette &palette, int32_t category)
{
    int32_t top = category;
    while (top >= 0 && ds.categories[static_cast<size_t>(top)].parent >= 0)
        top = ds.categories[static_cast<size_t>(top)].parent;
    return palette.color(top);
}

void showCategoryMix(CategoryPlot *plot, const Dataset &ds, const CategoryPalette &palette, const UserView &view)
{
    const bool queries = ds.queries();
    QStringList groupNames;
    QList<QColor> groupColors;
    for (int32_t key : view.bars.categories) {
        if (key == CategoryBars::kOther) {
            groupNames << QStringLiteral("other");
            groupColors << QColor(0xe3, 0xe6, 0xea);
        } else {
            groupNames << categoryName(ds, key);
            groupColors << categoryColor(ds, palette, key);
        }
    }
    QStringList seriesNames;
    QList<QColor> seriesColors;
    if (!queries)
        seriesColors << SeriesColors::history();
    for (const std::string &s : view.seriesNames)
        seriesNames << QString::fromStdString(s);
    for (const ListColumn &c : view.columns)
        seriesColors << columnColor(c.role);
    plot->setBars(view.bars, groupNames, groupColors, seriesNames, seriesColors,
        queries ? QStringLiteral("Category mix of the lists") : QStringLiteral("Category mix — history vs lists"));
}

void showDiversityScores(DiversityPlot *plot, const Dataset &ds, const UserView &view)
{
    const bool queries = ds.queries();
    std::vector<std::vector<double>> values, fractions;
    QStringList listNames;
    QList<QColor> listColors;
    int categoriesAtLevel = 0;
    for (const Category &c : ds.categories)
        categoriesAtLevel += (c.level == view.level) ? 1 : 0;
    for (const ListColumn &c : view.columns) {
        std::vector<double> v, f;
        for (const std::string &metric : view.diversityMetrics) {
            const MetricInfo *info = find_metric(metric);
            double value = kNaN;
            if (info) {
                for (int id = 0; id < kUserMetricCount; ++id) {
                    if (metric_name(static_cast<MetricId>(id)) == metric)
                        value = c.metrics.values[static_cast<size_t>(id)];
                }
            }
            v.push_back(value);
            f.push_back(DiversityScale::forMetric(metric, view.k, ds.n_users(), categoriesAtLevel).fraction(value));
        }
        values.push_back(std::move(v));
        fractions.push_back(std::move(f));
        listNames << QString::fromStdString(
            view.seriesNames[static_cast<size_t>(&c - view.columns.data()) + (queries ? 0 : 1)]);
        listColors << columnColor(c.role);
    }
    plot->setScores(view.diversityMetrics, values, fractions, listNames, listColors);
}

} // namespace reclens::ui
