#include "ui/plots/plotstyle.h"

#include "ui/plots/qcustomplotinclude.h"

namespace reclens::ui
{

QCPTextElement *applyPlotStyle(QCustomPlot *plot, const QString &title)
{
    QFont base = plot->font();
    base.setPointSizeF(8.5);
    QFont titleFont = base;
    titleFont.setPointSizeF(9.5);
    titleFont.setBold(true);
    plot->setBackground(QBrush(Qt::white));
    plot->setAntialiasedElements(QCP::aePlottables | QCP::aeItems | QCP::aeLegend);
    plot->plotLayout()->insertRow(0);
    auto *element = new QCPTextElement(plot, title, titleFont);
    element->setTextColor(QColor(0x2f, 0x3b, 0x52));
    plot->plotLayout()->addElement(0, 0, element);
    plot->plotLayout()->setRowSpacing(0);
    for (QCPAxis *axis : { plot->xAxis, plot->yAxis }) {
        axis->setTickLabelFont(base);
        axis->setLabelFont(base);
        axis->setBasePen(QPen(QColor(0x9a, 0x9f, 0xa8)));
        axis->setTickPen(QPen(QColor(0x9a, 0x9f, 0xa8)));
        axis->setSubTickPen(Qt::NoPen);
        axis->setTickLabelColor(QColor(0x3c, 0x44, 0x52));
        axis->setLabelColor(QColor(0x3c, 0x44, 0x52));
        axis->grid()->setPen(QPen(QColor(0xec, 0xee, 0xf2)));
    }
    plot->legend->setFont(base);
    plot->legend->setBorderPen(QPen(QColor(0xdd, 0xe1, 0xe7)));
    plot->legend->setBrush(QBrush(QColor(255, 255, 255, 225)));
    plot->legend->setRowSpacing(-2);
    plot->setMinimumSize(240, 200);
    return element;
}

void setPlotFontSize(QCustomPlot *plot, double pt)
{
    constexpr double kBase = 8.5; // applyPlotStyle's size
    const double factor = pt / kBase;
    auto sized = [](QFont f, double size) {
        f.setPointSizeF(size);
        return f;
    };
    for (QCPAxis *axis : { plot->xAxis, plot->yAxis }) {
        axis->setTickLabelFont(sized(axis->tickLabelFont(), pt));
        axis->setLabelFont(sized(axis->labelFont(), pt));
    }
    plot->legend->setFont(sized(plot->legend->font(), pt));
    for (int i = 0; i < plot->legend->itemCount(); ++i)
        if (auto *item = qobject_cast<QCPPlottableLegendItem *>(plot->legend->item(i)))
            item->setFont(sized(item->font(), pt));
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i)
        if (auto *title = qobject_cast<QCPTextElement *>(plot->plotLayout()->elementAt(i)))
            title->setFont(sized(title->font(), pt + 1));
    for (int i = 0; i < plot->itemCount(); ++i) {
        auto *text = qobject_cast<QCPItemText *>(plot->item(i));
        if (!text)
            continue;
        if (!text->property("reclensBasePt").isValid())
            text->setProperty("reclensBasePt", text->font().pointSizeF());
        text->setFont(sized(text->font(), text->property("reclensBasePt").toDouble() * factor));
    }
    plot->replot(QCustomPlot::rpQueuedReplot);
}

void placeLegendAbove(QCustomPlot *plot, int wrap)
{
    QCPLegend *legend = plot->legend;
    if (legend->layout() == plot->axisRect()->insetLayout()) {
        plot->axisRect()->insetLayout()->take(legend);
        plot->axisRect()->insetLayout()->simplify();
        // Row 0 is the title (applyPlotStyle); the legend goes under it, the axes under both.
        auto *row = new QCPLayoutGrid;
        plot->plotLayout()->insertRow(1);
        plot->plotLayout()->addElement(1, 0, row);
        plot->plotLayout()->setRowStretchFactor(1, 0.001);
        row->setMargins(QMargins(0, 0, 0, 0));
        row->addElement(0, 0, legend);
        legend->setBorderPen(Qt::NoPen);
        legend->setBrush(Qt::NoBrush);
        legend->setMargins(QMargins(4, 0, 4, 0));
        legend->setLayer(QStringLiteral("legend"));
    }
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, false);
    legend->setWrap(wrap);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
}

bool legendOutsideData(const QCustomPlot *plot)
{
    return !plot->legend->visible() || !plot->legend->outerRect().intersects(plot->axisRect()->rect());
}

QCPBars *addGroupedBars(QCPAxis *keyAxis, QCPAxis *valueAxis, QCPBarsGroup *group, const QString &name,
                        const QColor &color, double width)
{
    auto *bars = new QCPBars(keyAxis, valueAxis);
    bars->setName(name);
    bars->setWidth(width);
    bars->setBrush(color);
    bars->setPen(QPen(color.darker(115)));
    bars->setBarsGroup(group);
    return bars;
}

} // namespace reclens::ui
