#pragma once
// Accuracy–diversity trade-off over all users: the δ sweep as a curve (diversity on x, accuracy on
// y), labelled δ values, and the current δ marked.
#include "ui/plots/plotmath.h"
#include "ui/plots/qcustomplotinclude.h"

namespace reclens::ui
{

class TradeoffPlot : public QCustomPlot
{
    Q_OBJECT
public:
    explicit TradeoffPlot(QWidget *parent = nullptr);

    void setCurve(const TradeoffCurve &curve, const QString &xName, const QString &yName);
    void setCurrentDelta(double delta);
    void setStatus(const QString &text); // shown while the sweep is computing
    bool markerPosition(double &x, double &y) const;

private:
    void updateMarker();

    TradeoffCurve m_curve;
    double m_delta = 0;
    QCPCurve *m_line = nullptr;
    QCPGraph *m_marker = nullptr;
    QCPItemText *m_markerLabel = nullptr;
    QCPItemText *m_status = nullptr;
    QCPTextElement *m_title = nullptr;

public:
    // "users" or "queries": whose lists the sweep averages (the title says so).
    void setRequestsName(const QString &requests);
};

} // namespace reclens::ui
