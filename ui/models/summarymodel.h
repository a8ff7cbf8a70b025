#pragma once
// Global metrics side by side: model order vs re-ranked (and a second model), with the paired
// delta, p-values and bootstrap CI from the comparison engine. One row per DESIGN §5 metric.
#include "ui/session/workspace.h"

#include <QAbstractTableModel>

namespace reclens::ui
{

class SummaryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        MetricColumn,
        BaseColumn,
        RerankedColumn,
        DeltaColumn,
        PairedTColumn,
        WilcoxonColumn,
        CiColumn,
        SecondColumn,
        SecondDeltaColumn,
        SecondPColumn,
        ColumnCount
    };
    explicit SummaryModel(QObject *parent = nullptr);

    void setRuns(const GlobalRuns &runs);
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<MetricComparison> m_rows;
    std::vector<MetricComparison> m_second; // same order as m_rows when present
    bool m_hasSecond = false;
};

} // namespace reclens::ui
