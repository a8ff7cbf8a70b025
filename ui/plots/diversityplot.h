#pragma once
// Diversity scores of the lists side by side (ild, category_count, entropy, calibration_kl,
// novelty, long_tail_share). Units differ, so bars are drawn as a fraction of each metric's natural
// maximum (DiversityScale) and labelled with the raw value (labels that would touch move up a line
// or give way: placeBarLabels); hovering a group shows its formula. The legend sits above the axes.
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

    // The value labels' visibility (tests: labels never overlap).
    QList<QCPItemText *> valueLabels() const
    {
        QList<QCPItemText *> out;
        for (const Label &l : m_labels)
            out << l.text;
        return out;
    }

protected:
    void mouseMoveEvent(QMouseEvent *event) override;
    void updateLayout() override;

private:
    QCPTextElement *m_title = nullptr;
    std::vector<std::string> m_metrics;
    std::vector<std::vector<double>> m_values;
    QStringList m_names;
    struct Label {
        QCPItemText *text;
        double key;    // the bar's centre
        double height; // the bar's top
    };
    std::vector<Label> m_labels;
};

} // namespace reclens::ui
