#include "ui/plots/modelmapplot.h"

#include "ui/plots/plotmath.h"
#include "ui/plots/plotstyle.h"

#include <cmath>

namespace reclens::ui
{

ModelMapPlot::ModelMapPlot(QWidget *parent)
    : QCustomPlot(parent)
{
    m_title = applyPlotStyle(this, QStringLiteral("Models as points"));
    legend->setVisible(false); // every point carries its name
}

void ModelMapPlot::setPoints(const std::vector<ModelPoint> &points, const QString &title, const QString &xName,
    const QString &yName, int arrowFrom, int arrowTo)
{
    clearGraphs();
    clearItems();
    m_title->setText(title);
    xAxis->setLabel(xName);
    yAxis->setLabel(yName);
    std::vector<double> xs, ys;
    QFont small = font();
    small.setPointSizeF(8);
    m_count = 0;
    auto defined = [&](int i) {
        return i >= 0 && static_cast<size_t>(i) < points.size() && std::isfinite(points[static_cast<size_t>(i)].x)
            && std::isfinite(points[static_cast<size_t>(i)].y);
    };
    for (size_t i = 0; i < points.size(); ++i) {
        if (defined(static_cast<int>(i))) {
            xs.push_back(points[i].x);
            ys.push_back(points[i].y);
        }
    }
    const AxisRange xr = AxisRange::around(xs, 0.12, true);
    const AxisRange yr = AxisRange::around(ys, 0.15, true);
    // Labels: to the right of a point in the left half, to the left in the right half; a label that
    // would sit on an earlier one (points close together) moves down a line.
    const double xMid = (xr.lower + xr.upper) / 2, xNear = (xr.upper - xr.lower) * 0.2,
                 yNear = (yr.upper - yr.lower) * 0.05;
    std::vector<std::pair<double, double>> placed;
    for (size_t i = 0; i < points.size(); ++i) {
        const ModelPoint &p = points[i];
        if (!defined(static_cast<int>(i)))
            continue;
        ++m_count;
        QCPGraph *g = addGraph();
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, p.color.darker(115), p.color, 10));
        g->setData(QVector<double> { p.x }, QVector<double> { p.y });
        g->setName(p.name);
        int line = 0;
        for (const auto &[px, py] : placed)
            line += std::abs(px - p.x) < xNear && std::abs(py - p.y) < yNear ? 1 : 0;
        placed.emplace_back(p.x, p.y);
        auto *label = new QCPItemText(this);
        label->setFont(small);
        label->setColor(p.color.darker(140));
        label->position->setCoords(p.x, p.y);
        // Above the point, then below it, then the same on the other side.
        const bool right = (p.x <= xMid) != (line % 4 >= 2);
        const bool above = line % 2 == 0;
        label->setPositionAlignment((right ? Qt::AlignLeft : Qt::AlignRight) | (above ? Qt::AlignBottom : Qt::AlignTop));
        label->setPadding(QMargins(right ? 7 : 0, above ? 0 : 5, right ? 0 : 7, above ? 5 : 0));
        label->setText(p.name);
    }
    if (defined(arrowFrom) && defined(arrowTo)) {
        const ModelPoint &a = points[static_cast<size_t>(arrowFrom)], &b = points[static_cast<size_t>(arrowTo)];
        auto *arrow = new QCPItemLine(this);
        arrow->start->setCoords(a.x, a.y);
        arrow->end->setCoords(b.x, b.y);
        arrow->setHead(QCPLineEnding(QCPLineEnding::esSpikeArrow, 9, 11));
        arrow->setPen(QPen(b.color, 1.6, Qt::DashLine));
    }
    xAxis->setRange(xr.lower, xr.upper);
    yAxis->setRange(yr.lower, yr.upper);
    replot(rpQueuedReplot);
}

} // namespace reclens::ui
