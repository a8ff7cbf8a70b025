#include "ui/plots/diversityplot.h"

#include "core/metrics/metrics.h"
#include "ui/plots/plotmath.h"
#include "ui/plots/plotstyle.h"

#include <QFontMetricsF>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace reclens::ui
{

namespace
{
QString shortName(const std::string &metric)
{
    if (metric == "ild_embedding")
        return QStringLiteral("ILD (emb.)");
    if (metric == "ild_category")
        return QStringLiteral("ILD (cat.)");
    if (metric == "category_count")
        return QStringLiteral("categories");
    if (metric == "calibration_kl")
        return QStringLiteral("calib. KL");
    if (metric == "long_tail_share")
        return QStringLiteral("long tail");
    return QString::fromStdString(metric);
}
QString formatValue(double v)
{
    if (std::isnan(v))
        return QStringLiteral("–");
    return std::abs(v) >= 10 ? QString::number(v, 'f', 1) : QString::number(v, 'f', 2);
}
} // namespace

void DiversityPlot::setTitle(const QString &title)
{
    if (m_title)
        m_title->setText(title);
}

DiversityPlot::DiversityPlot(QWidget *parent)
    : QCustomPlot(parent)
{
    m_title = applyPlotStyle(this, QStringLiteral("Diversity scores (hover a metric for its formula)"));
    yAxis->setLabel(QStringLiteral("of natural maximum"));
    // Bars end at 1; the band above holds the value labels (the legend is above the axes).
    yAxis->setRange(0, 1.3);
    auto ticks = QSharedPointer<QCPAxisTickerFixed>::create();
    ticks->setTickStep(0.25);
    ticks->setScaleStrategy(QCPAxisTickerFixed::ssNone);
    yAxis->setTicker(ticks);
    xAxis->grid()->setVisible(false);
    legend->setVisible(true);
    placeLegendAbove(this);
    setMouseTracking(true);
}

void DiversityPlot::setScores(const std::vector<std::string> &metrics, const std::vector<std::vector<double>> &values,
    const std::vector<std::vector<double>> &fractions, const QStringList &seriesNames,
    const QList<QColor> &seriesColors)
{
    clearPlottables();
    clearItems();
    m_labels.clear();
    m_metrics = metrics;
    m_values = values;
    m_names = seriesNames;
    const int series = static_cast<int>(values.size());
    const int groups = static_cast<int>(metrics.size());
    auto *group = new QCPBarsGroup(this);
    group->setSpacingType(QCPBarsGroup::stAbsolute);
    group->setSpacing(1);
    const double width = 0.78 / std::max(1, series);
    placeLegendAbove(this, series > 3 ? 2 : 0);
    QFont labelFont = font();
    labelFont.setPointSizeF(7.0);
    for (int s = 0; s < series; ++s) {
        const QColor c = seriesColors.value(s, Qt::gray);
        auto *b = addGroupedBars(xAxis, yAxis, group, seriesNames.value(s), c, width);
        QVector<double> keys, heights;
        for (int m = 0; m < groups; ++m) {
            const double f = fractions[static_cast<size_t>(s)][static_cast<size_t>(m)];
            keys << m + 1;
            heights << (std::isnan(f) ? 0.0 : f);
        }
        b->setData(keys, heights, true);
        // Raw values above the bars.
        for (int m = 0; m < groups; ++m) {
            auto *text = new QCPItemText(this);
            text->setFont(labelFont);
            text->setColor(c.darker(130));
            text->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
            // Bars of a group sit side by side, each `width` wide in key units, centred on the key.
            const double offset = (s - (series - 1) / 2.0) * width;
            text->position->setType(QCPItemPosition::ptPlotCoords);
            text->position->setCoords(m + 1 + offset, heights[m] + 0.01);
            const double raw = values[static_cast<size_t>(s)][static_cast<size_t>(m)];
            text->setText(metrics[static_cast<size_t>(m)] == "category_count" && !std::isnan(raw)
                    ? QString::number(raw, 'f', 0)
                    : formatValue(raw));
            m_labels.push_back({ text, m + 1 + offset, heights[m] });
        }
    }
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int m = 0; m < groups; ++m)
        ticker->addTick(m + 1, shortName(metrics[static_cast<size_t>(m)]));
    xAxis->setTicker(ticker);
    xAxis->setRange(0.45, groups + 0.55);
    replot(rpQueuedReplot);
}

void DiversityPlot::updateLayout()
{
    QCustomPlot::updateLayout();
    // Value labels that would touch move above their neighbour, or are left out (placeBarLabels);
    // the hover text has every value.
    std::sort(m_labels.begin(), m_labels.end(), [](const Label &a, const Label &b) { return a.key < b.key; });
    std::vector<BarLabel> boxes;
    for (const Label &l : m_labels) {
        const QFontMetricsF fm(l.text->font());
        boxes.push_back({ xAxis->coordToPixel(l.key), fm.horizontalAdvance(l.text->text()), yAxis->coordToPixel(l.height + 0.01) });
    }
    const double line = m_labels.empty() ? 0.0 : QFontMetricsF(m_labels.front().text->font()).height() + 1;
    const std::vector<double> bottoms = placeBarLabels(boxes, line, 2, axisRect()->top());
    for (size_t i = 0; i < m_labels.size(); ++i) {
        QCPItemText *t = m_labels[i].text;
        t->setVisible(!std::isnan(bottoms[i]));
        if (!std::isnan(bottoms[i]))
            t->position->setCoords(m_labels[i].key, yAxis->pixelToCoord(bottoms[i]));
    }
}

QList<double> DiversityPlot::seriesValues(int s) const
{
    QList<double> out;
    if (s >= 0 && static_cast<size_t>(s) < m_values.size())
        out = QList<double>(m_values[static_cast<size_t>(s)].begin(), m_values[static_cast<size_t>(s)].end());
    return out;
}

QString DiversityPlot::formulaAt(int group) const
{
    if (group < 0 || static_cast<size_t>(group) >= m_metrics.size())
        return {};
    const std::string &name = m_metrics[static_cast<size_t>(group)];
    QString text = u"<b>"_qs + QString::fromStdString(name) + u"</b><br>"_qs
        + QString::fromStdString(metric_formula(name)).toHtmlEscaped() + u"<br><i>"_qs
        + QString::fromStdString(metric_description(name)).toHtmlEscaped() + u"</i>"_qs;
    for (size_t s = 0; s < m_values.size(); ++s) {
        text += u"<br>"_qs + m_names.value(static_cast<qsizetype>(s)) + u": "_qs
            + formatValue(m_values[s][static_cast<size_t>(group)]);
    }
    return text;
}

void DiversityPlot::mouseMoveEvent(QMouseEvent *event)
{
    QCustomPlot::mouseMoveEvent(event);
    if (m_metrics.empty())
        return;
    const double key = xAxis->pixelToCoord(event->position().x());
    const int group = static_cast<int>(std::lround(key)) - 1;
    if (axisRect()->rect().contains(event->position().toPoint()) && group >= 0
        && static_cast<size_t>(group) < m_metrics.size())
        QToolTip::showText(event->globalPosition().toPoint(), formulaAt(group), this);
    else
        QToolTip::hideText();
}

} // namespace reclens::ui
