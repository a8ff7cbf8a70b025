#pragma once
// Models as points (DESIGN §7's trade-off, across models rather than δ): each source's all-user
// accuracy (y) against a variety metric (x: personalization or catalogue coverage), labelled, with
// an arrow from the primary's model order to its re-ranked list: what re-ranking buys and costs.
#include "ui/plots/qcustomplotinclude.h"

#include <QColor>
#include <QString>
#include <vector>

namespace reclens::ui
{

struct ModelPoint {
    QString name;
    double x = 0;
    double y = 0;
    QColor color;
};

class ModelMapPlot : public QCustomPlot
{
    Q_OBJECT
public:
    explicit ModelMapPlot(QWidget *parent = nullptr);

    // Points with an undefined coordinate are left out. `arrowFrom`/`arrowTo`: indices into
    // `points` joined by an arrow (-1: none).
    void setPoints(const std::vector<ModelPoint> &points, const QString &title, const QString &xName,
        const QString &yName, int arrowFrom = -1, int arrowTo = -1);
    int pointCount() const { return m_count; }

private:
    QCPTextElement *m_title = nullptr;
    int m_count = 0;
};

} // namespace reclens::ui
