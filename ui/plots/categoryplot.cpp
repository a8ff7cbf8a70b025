#include "ui/plots/categoryplot.h"

#include "ui/plots/plotstyle.h"

#include <algorithm>

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
    // No tick marks under the groups: the category colour strip sits there, just under the axis
    // line, outside the data, so it cannot be read as a bar below zero.
    xAxis->setTickLength(0, 0);
    xAxis->setTickLabelPadding(kStripGap + kStripHeight + 3);
    legend->setVisible(true);
    placeLegendAbove(this);
}

void CategoryPlot::updateLayout()
{
    QCustomPlot::updateLayout();
    // The strips hang under the axis rect: their height in pixels is a ratio of its height.
    const double h = std::max(1, axisRect()->height());
    for (QCPItemRect *strip : std::as_const(m_strips)) {
        strip->topLeft->setCoords(strip->topLeft->coords().x(), 1.0 + kStripGap / h);
        strip->bottomRight->setCoords(strip->bottomRight->coords().x(), 1.0 + (kStripGap + kStripHeight) / h);
    }
}

void CategoryPlot::clearBars()
{
    clearPlottables();
    clearItems();
    m_series.clear();
    m_strips.clear();
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
    m_strips.clear();
    m_title->setText(title);
    const int groups = static_cast<int>(bars.categories.size());
    const int series = static_cast<int>(bars.shares.size());
    // Past three series (history and three lists or more) the legend takes two rows, so that a
    // half-page plot (the report's story pages) shows every name. Set before the bars add their items.
    placeLegendAbove(this, series > 3 ? (series + 1) / 2 : 0);
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
        // Category colour strip under the group, below the axis line (updateLayout places it).
        auto *strip = new QCPItemRect(this);
        strip->setClipToAxisRect(false);
        for (QCPItemPosition *p : { strip->topLeft, strip->bottomRight }) {
            p->setTypeX(QCPItemPosition::ptPlotCoords);
            p->setTypeY(QCPItemPosition::ptAxisRectRatio);
        }
        strip->topLeft->setCoords(g + 1 - 0.42, 1.0);
        strip->bottomRight->setCoords(g + 1 + 0.42, 1.0);
        const QColor c = groupColors.value(g, Qt::lightGray);
        strip->setBrush(c);
        strip->setPen(Qt::NoPen);
        m_strips << strip;
    }
    xAxis->setTicker(ticker);
    xAxis->setRange(0.4, groups + 0.6);
    // From zero: the legend is above the axes, so the bars get all the height.
    yAxis->setRange(0, std::max(top, 0.1) * 1.06);
    replot(rpQueuedReplot);
}

} // namespace reclens::ui
