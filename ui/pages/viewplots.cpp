#include "ui/pages/viewplots.h"

#include "core/metrics/metrics.h"
#include "ui/models/rankinglistmodel.h"
#include "ui/plots/categoryplot.h"
#include "ui/plots/diversityplot.h"
#include "ui/plots/modelmapplot.h"
#include "ui/session/workspace.h"
#include "ui/plots/plotstyle.h"

#include <algorithm>
#include <cmath>

namespace reclens::ui
{

QColor columnColor(const ListColumn &column)
{
    switch (column.role) {
    case ListColumn::Role::ModelOrder:
        return SeriesColors::modelOrder();
    case ListColumn::Role::Reranked:
        return SeriesColors::reranked();
    case ListColumn::Role::OtherSource:
        return SeriesColors::otherSource(column.source > 0 ? column.source - 1 : 0);
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

namespace
{
// Grouped bars with the categories' names and palette colours.
void applyBars(CategoryPlot *plot, const Dataset &ds, const CategoryPalette &palette, const CategoryBars &bars,
    const QStringList &seriesNames, const QList<QColor> &seriesColors, const QString &title)
{
    QStringList groupNames;
    QList<QColor> groupColors;
    for (int32_t key : bars.categories) {
        if (key == CategoryBars::kOther) {
            groupNames << QStringLiteral("other");
            groupColors << QColor(0xe3, 0xe6, 0xea);
        } else {
            groupNames << categoryName(ds, key);
            groupColors << categoryColor(ds, palette, key);
        }
    }
    plot->setBars(bars, groupNames, groupColors, seriesNames, seriesColors, title);
}
// A run's source name for a legend, without the "<dataset>-" prefix every run's name shares (the
// sample's completejourney-bpr, completejourney-ease, … read bpr, ease, …).
QString runName(const GlobalRuns &runs, const EvaluationResult &run)
{
    std::vector<std::string> all;
    if (runs.base)
        all.push_back(runs.base->source_name);
    for (const auto &o : runs.others)
        all.push_back(o->source_name);
    const std::string name = shortSourceName(all, run.source_name);
    return name.empty() ? QStringLiteral("model") : QString::fromStdString(name);
}

// The colour of the i-th other source's all-user run: its list column's, by source (columnColor).
QColor otherRunColor(size_t i)
{
    return SeriesColors::otherSource(i); // others[i] is source i + 1, as columnColor colours its list
}
} // namespace

void showCategoryMix(CategoryPlot *plot, const Dataset &ds, const CategoryPalette &palette, const UserView &view)
{
    const bool queries = ds.queries();
    QStringList seriesNames;
    QList<QColor> seriesColors;
    if (!queries)
        seriesColors << SeriesColors::history();
    for (const std::string &s : view.seriesNames)
        seriesNames << QString::fromStdString(s);
    for (const ListColumn &c : view.columns)
        seriesColors << columnColor(c);
    applyBars(plot, ds, palette, view.bars, seriesNames, seriesColors,
        queries ? QStringLiteral("Category mix of the lists") : QStringLiteral("Category mix — history vs lists"));
}

void showAllUserCategoryMix(CategoryPlot *plot, const Dataset &ds, const CategoryPalette &palette, const GlobalRuns &runs)
{
    if (!runs.base || !runs.reranked)
        return;
    auto top = [&ds](int32_t item) {
        const int32_t c = ds.category_at_level(item, 1);
        return c < 0 ? CategoryBars::kUnknown : c;
    };
    auto listSlots = [&](const EvaluationResult &r) {
        std::vector<int32_t> keys;
        for (const auto &list : r.lists)
            for (int32_t item : list)
                keys.push_back(top(item));
        return keys;
    };
    std::vector<std::vector<int32_t>> keys;
    QStringList names;
    QList<QColor> colors;
    if (!ds.queries()) {
        std::vector<int32_t> history;
        for (int32_t u : runs.base->users)
            for (int32_t item : ds.train.row(u))
                history.push_back(top(item));
        keys.push_back(std::move(history));
        names << QStringLiteral("history");
        colors << SeriesColors::history();
    }
    keys.push_back(listSlots(*runs.base));
    names << QStringLiteral("model order");
    colors << SeriesColors::modelOrder();
    keys.push_back(listSlots(*runs.reranked));
    names << QStringLiteral("re-ranked");
    colors << SeriesColors::reranked();
    for (size_t i = 0; i < runs.others.size(); ++i) {
        keys.push_back(listSlots(*runs.others[i]));
        names << runName(runs, *runs.others[i]);
        colors << otherRunColor(i);
    }
    applyBars(plot, ds, palette, CategoryBars::compute(keys, 10), names, colors,
        ds.queries() ? QStringLiteral("Category mix of all lists (top level)")
                     : QStringLiteral("Category mix over all users — histories vs list slots (top level)"));
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
        listColors << columnColor(c);
    }
    plot->setScores(view.diversityMetrics, values, fractions, listNames, listColors);
}

void showModelMap(ModelMapPlot *plot, const GlobalRuns &runs, const std::string &xMetric)
{
    auto value = [](const EvaluationResult &r, const std::string &metric) {
        const auto it = r.metrics.find(metric);
        return it == r.metrics.end() ? kNaN : it->second;
    };
    auto nameOf = [&runs](const EvaluationResult &r) { return runName(runs, r); };
    std::vector<ModelPoint> points;
    int from = -1, to = -1;
    if (runs.base && runs.reranked) {
        const EvaluationResult &b = *runs.base, &r = *runs.reranked;
        points.push_back({ nameOf(b), value(b, xMetric), value(b, "ndcg"), SeriesColors::modelOrder() });
        points.push_back({ nameOf(r) + u" + "_qs + QString::fromUtf8(rerank_method_name(r.rerank.method).data())
                + u" δ "_qs + QString::number(r.rerank.diversity, 'f', 2),
            value(r, xMetric), value(r, "ndcg"), SeriesColors::reranked() });
        from = 0;
        to = 1;
    }
    for (size_t i = 0; i < runs.others.size(); ++i) {
        const EvaluationResult &o = *runs.others[i];
        points.push_back({ nameOf(o), value(o, xMetric), value(o, "ndcg"), otherRunColor(i) });
    }
    const QString x = xMetric == "catalog_coverage" ? QStringLiteral("catalogue coverage") : QString::fromStdString(xMetric);
    plot->setPoints(points, u"Accuracy vs "_qs + x + u" (all "_qs + (runs.base && runs.base->requests == "queries" ? u"queries"_qs : u"users"_qs) + u")"_qs,
        x + u" (variety →)"_qs, QStringLiteral("nDCG (accuracy)"), from, to);
}

} // namespace reclens::ui
