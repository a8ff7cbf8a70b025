#include "ui/plots/rocplot.h"

#include "ui/plots/plotstyle.h"

#include <cmath>

namespace reclens::ui
{

RocPlot::RocPlot(QWidget *parent)
    : QCustomPlot(parent)
{
    m_title = applyPlotStyle(this, QStringLiteral("ROC — this user and pooled over all users"));
    xAxis->setLabel(QStringLiteral("false positive rate"));
    yAxis->setLabel(QStringLiteral("true positive rate"));
    xAxis->setRange(0, 1);
    yAxis->setRange(0, 1.02);
    legend->setVisible(true);
    placeLegendAbove(this, 2);
    m_note = new QCPItemText(this);
    m_note->setPositionAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_note->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_note->position->setCoords(0.02, 0.02);
    m_note->setColor(QColor(0x5a, 0x63, 0x70));
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 0.85);
    m_note->setFont(f);
    m_note->setText({});
}

void RocPlot::setNote(const QString &note)
{
    m_note->setText(note);
    replot(rpQueuedReplot);
}

void RocPlot::setTitle(const QString &title)
{
    if (m_title)
        m_title->setText(title);
}

QString RocPlot::note() const
{
    return m_note->text();
}

void RocPlot::setCurves(const std::vector<Curve> &curves)
{
    clearPlottables();
    m_legend.clear();
    // Chance line first so curves draw over it.
    auto *chance = new QCPCurve(xAxis, yAxis);
    chance->setData(QVector<double> { 0, 1 }, QVector<double> { 0, 1 });
    chance->setPen(QPen(QColor(0xc8, 0xcc, 0xd2), 1, Qt::DotLine));
    chance->removeFromLegend();
    for (const Curve &c : curves) {
        if (c.fpr.empty())
            continue;
        auto *curve = new QCPCurve(xAxis, yAxis);
        curve->setData(QVector<double>(c.fpr.begin(), c.fpr.end()), QVector<double>(c.tpr.begin(), c.tpr.end()));
        QPen pen(c.color, c.dashed ? 1.4 : 2.0);
        if (c.dashed)
            pen.setStyle(Qt::DashLine);
        curve->setPen(pen);
        const QString auc = std::isnan(c.auc) ? QStringLiteral("n/a") : QString::number(c.auc, 'f', 3);
        const QString name = c.name + u"  AUC "_qs + auc;
        curve->setName(name);
        m_legend << name;
    }
    replot(rpQueuedReplot);
}

QStringList RocPlot::legendTexts() const
{
    return m_legend;
}

} // namespace reclens::ui
