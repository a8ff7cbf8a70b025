#include "ui/plots/categoryplot.h"

#include "ui/plots/plotstyle.h"

namespace reclens::ui
{

CategoryPlot::CategoryPlot(QWidget *parent)
    : QCustomPlot(parent)
{
    m_title = applyPlotStyle(this, QStringLiteral("Category mix"));
    yAxis->setLabel(QStringLiteral("share of items"));
    yAxis->setNumberFormat(QStringLiteral("f"));
    yAxis->setNumberPrecision(1);
    xAxis->grid()->setVisible(false);
    xAxis->setTickLabelRotation(28);
    legend->setVisible(true);
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
}

void CategoryPlot::clearBars()
{
    clearPlottables();
    clearItems();
    m_series.clear();
    replot(rpQueuedReplot);
}

QList<double> CategoryPlot::seriesValues(int s) const
{
    QList<double> out;
    if (s < 0 || s >= m_series.size())
        return out;
    for (auto it = m_series[s]->data()->constBegin(); it != m_series[s]->data()->constEnd(); ++it)
        out << it->value;
    return out;
}

void CategoryPlot::setBars(const CategoryBars &bars, const QStringList &groupNames, const QList<QColor> &groupColors,
    const QStringList &seriesNames, const QList<QColor> &seriesColors, const QString &title)
{
    clearPlottables();
    clearItems();
    m_series.clear();
    m_title->setText(title);
    const int groups = static_cast<int>(bars.categories.size());
    const int series = static_cast<int>(bars.shares.size());
    // Past three series (history and three lists or more) the legend takes two rows, so that a
    // half-page plot (the report's story pages) shows every name. Set before the bars add their items.
    legend->setWrap(series > 3 ? (series + 1) / 2 : 0);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
    auto *group = new QCPBarsGroup(this);
    group->setSpacingType(QCPBarsGroup::stAbsolute);
    group->setSpacing(1);
    const double width = 0.8 / std::max(1, series);
    double top = 0;
    for (int s = 0; s < series; ++s) {
        auto *b = addGroupedBars(xAxis, yAxis, group, seriesNames.value(s), seriesColors.value(s, Qt::gray), width);
        QVector<double> keys, values;
        for (int g = 0; g < groups; ++g) {
            keys << g + 1;
            values << bars.shares[static_cast<size_t>(s)][static_cast<size_t>(g)];
            top = std::max(top, values.back());
        }
        b->setData(keys, values, true);
        m_series << b;
    }
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int g = 0; g < groups; ++g) {
        QString name = groupNames.value(g);
        if (name.size() > 16)
            name = name.left(15) + u'…';
        ticker->addTick(g + 1, name);
        // Category colour strip under the group.
        auto *strip = new QCPItemRect(this);
        strip->topLeft->setCoords(g + 1 - 0.42, -0.012 * std::max(top, 0.1));
        strip->bottomRight->setCoords(g + 1 + 0.42, -0.05 * std::max(top, 0.1));
        const QColor c = groupColors.value(g, Qt::lightGray);
        strip->setBrush(c);
        strip->setPen(Qt::NoPen);
    }
    xAxis->setTicker(ticker);
    xAxis->setRange(0.4, groups + 0.6);
    // Headroom above the bars for the legend (two rows of it past three series, set above).
    const bool twoRows = series > 3;
    yAxis->setRange(-0.06 * std::max(top, 0.1), std::max(top, 0.1) * (twoRows ? 1.75 : 1.45));
    replot(rpQueuedReplot);
}

} // namespace reclens::ui
