#pragma once
// Category mix of the user's history and of each list at the chosen level: grouped bars, one group
// per category; a strip under each group, below the axis line, shows the top-level category colour
// (CategoryPalette). The legend sits above the axes.
#include "ui/plots/plotmath.h"
#include "ui/plots/qcustomplotinclude.h"

#include <QColor>
#include <QStringList>

namespace reclens::ui
{

class CategoryPlot : public QCustomPlot
{
    Q_OBJECT
public:
    explicit CategoryPlot(QWidget *parent = nullptr);

    // groupNames/groupColors: one per bars.categories entry; seriesNames/seriesColors: one per series.
    void setBars(const CategoryBars &bars, const QStringList &groupNames, const QList<QColor> &groupColors,
        const QStringList &seriesNames, const QList<QColor> &seriesColors, const QString &title);
    void clearBars();
    // Heights of series `s` as drawn (for tests).
    QList<double> seriesValues(int s) const;

protected:
    void updateLayout() override;

private:
    QCPTextElement *m_title;
    QList<QCPBars *> m_series;
    QList<QCPItemRect *> m_strips; // one per group, under the axis line
    static constexpr int kStripGap = 2, kStripHeight = 5; // pixels
};

} // namespace reclens::ui
