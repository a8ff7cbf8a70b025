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
