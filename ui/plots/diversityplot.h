#pragma once
// Diversity scores of the lists side by side (ild, category_count, entropy, calibration_kl,
// novelty, long_tail_share). Units differ, so bars are drawn as a fraction of each metric's natural
// maximum (DiversityScale) and labelled with the raw value; hovering a group shows its formula.
#include "ui/plots/qcustomplotinclude.h"

#include <QColor>
#include <QStringList>
#include <string>
#include <vector>

namespace reclens::ui
{

class DiversityPlot : public QCustomPlot
{
    Q_OBJECT
public:
    explicit DiversityPlot(QWidget *parent = nullptr);

    // values[s][m]: raw value of metric m for series s; fractions[s][m]: bar height in [0,1].
    void setScores(const std::vector<std::string> &metrics, const std::vector<std::vector<double>> &values,
        const std::vector<std::vector<double>> &fractions, const QStringList &seriesNames,
        const QList<QColor> &seriesColors);
    QList<double> seriesValues(int s) const; // raw values as shown (for tests)
    QString formulaAt(int group) const; // hover text of a metric group
    void setTitle(const QString &title); // e.g. without the hover hint where nothing can be hovered

protected:
    void mouseMoveEvent(QMouseEvent *event) override;

private:
    QCPTextElement *m_title = nullptr;
    std::vector<std::string> m_metrics;
    std::vector<std::vector<double>> m_values;
    QStringList m_names;
};

} // namespace reclens::ui
