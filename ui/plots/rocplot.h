#pragma once
// ROC curves of the current user's lists (each list ranks its items first, then the rest in model
// order) and the pooled curve over all evaluated users, AUC in the legend.
#include "ui/plots/qcustomplotinclude.h"

#include <QColor>
#include <vector>

namespace reclens::ui
{

class RocPlot : public QCustomPlot
{
    Q_OBJECT
public:
    explicit RocPlot(QWidget *parent = nullptr);

    struct Curve {
        QString name;
        std::vector<double> fpr, tpr;
        double auc = 0;
        QColor color;
        bool dashed = false;
    };
    void setCurves(const std::vector<Curve> &curves);
    QStringList legendTexts() const; // names with AUC as shown (for tests)
    // A line of small text at the top left of the plot (empty: none), e.g. how a run's ROC is formed.
    void setNote(const QString &note);
    void setTitle(const QString &title);
    QString note() const;

private:
    QStringList m_legend;
    QCPItemText *m_note = nullptr;
    QCPTextElement *m_title = nullptr;
};

} // namespace reclens::ui
