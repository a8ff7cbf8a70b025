#include "ui/plots/tradeoffplot.h"

#include "ui/plots/plotstyle.h"

namespace reclens::ui
{

TradeoffPlot::TradeoffPlot(QWidget *parent)
    : QCustomPlot(parent)
{
    m_title = applyPlotStyle(this, QStringLiteral("Accuracy–diversity trade-off (all users, δ sweep)"));
    m_line = new QCPCurve(xAxis, yAxis);
    m_line->setPen(QPen(SeriesColors::reranked(), 2));
    m_line->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, SeriesColors::reranked(), 5));
    m_line->setName(QStringLiteral("δ sweep"));
    m_marker = addGraph();
    m_marker->setLineStyle(QCPGraph::lsNone);
    m_marker->setScatterStyle(QCPScatterStyle(
        QCPScatterStyle::ssCircle, QPen(SeriesColors::marker(), 2.5), QBrush(QColor(255, 255, 255, 0)), 13));
    m_marker->setName(QStringLiteral("current δ"));
    m_markerLabel = new QCPItemText(this);
    m_markerLabel->setColor(SeriesColors::marker());
    m_markerLabel->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
    m_markerLabel->setPadding(QMargins(8, 0, 0, 6));
    m_status = new QCPItemText(this);
    m_status->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_status->position->setCoords(0.5, 0.5);
    m_status->setColor(QColor(0x8a, 0x90, 0x9a));
    m_status->setText(QStringLiteral("computing…"));
    legend->setVisible(false);
}

void TradeoffPlot::setRequestsName(const QString &requests)
{
    m_title->setText(u"Accuracy–diversity trade-off (all "_qs + requests + u", δ sweep)"_qs);
}

void TradeoffPlot::setStatus(const QString &text)
{
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
    replot(rpQueuedReplot);
}

void TradeoffPlot::setCurve(const TradeoffCurve &curve, const QString &xName, const QString &yName)
{
    m_curve = curve;
    m_line->setData(QVector<double>(curve.x.begin(), curve.x.end()), QVector<double>(curve.y.begin(), curve.y.end()));
    xAxis->setLabel(xName + u" (diversity)"_qs);
    yAxis->setLabel(yName + u" (accuracy)"_qs);
    // δ labels at the ends and the middle of the sweep.
    for (int i = itemCount() - 1; i >= 0; --i) {
        QCPAbstractItem *it = item(i);
        if (it != m_markerLabel && it != m_status)
            removeItem(it);
    }
    QFont small = font();
    small.setPointSizeF(7.5);
    for (size_t i = 0; i < curve.delta.size(); ++i) {
        const double d = curve.delta[i];
        if (!(std::abs(d) < 1e-9 || std::abs(d - 0.5) < 1e-9 || std::abs(d - 1.0) < 1e-9))
            continue;
        auto *label = new QCPItemText(this);
        label->setFont(small);
        label->setColor(QColor(0x5a, 0x63, 0x70));
        label->position->setCoords(curve.x[i], curve.y[i]);
        label->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
        label->setPadding(QMargins(0, 4, 6, 0));
        label->setText(u"δ "_qs + QString::number(d, 'f', 1));
    }
    const AxisRange xr = AxisRange::around(curve.x, 0.12);
    const AxisRange yr = AxisRange::around(curve.y, 0.15);
    xAxis->setRange(xr.lower, xr.upper);
    yAxis->setRange(yr.lower, yr.upper);
    m_status->setVisible(curve.delta.empty());
    updateMarker();
}

void TradeoffPlot::setCurrentDelta(double delta)
{
    m_delta = delta;
    updateMarker();
}

bool TradeoffPlot::markerPosition(double &x, double &y) const
{
    return m_curve.pointAt(m_delta, x, y);
}

void TradeoffPlot::updateMarker()
{
    double x = 0, y = 0;
    if (m_curve.pointAt(m_delta, x, y)) {
        m_marker->setData(QVector<double> { x }, QVector<double> { y });
        m_markerLabel->position->setCoords(x, y);
        m_markerLabel->setText(u"current δ "_qs + QString::number(m_delta, 'f', 2));
        m_markerLabel->setVisible(true);
    } else {
        m_marker->data()->clear();
        m_markerLabel->setVisible(false);
    }
    replot(rpQueuedReplot);
}

} // namespace reclens::ui
