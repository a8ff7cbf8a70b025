#pragma once
// Global metrics side by side: model order vs re-ranked, and every compared source against the
// model order, with the paired delta, p-values and bootstrap CI from the comparison engine. One row
// per DESIGN §5 metric. A compared source's p-values come twice: raw, and Holm-corrected over the
// family of all compared sources (compare_to_baseline); the headers say which is which.
#include "ui/session/workspace.h"

#include <QAbstractTableModel>
#include <QStringList>

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
        FixedColumnCount
    };
    // The columns of each compared source, from FixedColumnCount + OtherColumnCount * source on.
    enum OtherColumn { OtherValue, OtherDelta, OtherPairedT, OtherPairedTHolm, OtherWilcoxon, OtherWilcoxonHolm,
        OtherColumnCount };
    static int otherColumn(size_t source, OtherColumn column)
    {
        return FixedColumnCount + OtherColumnCount * static_cast<int>(source) + column;
    }

    explicit SummaryModel(QObject *parent = nullptr);

    void setRuns(const GlobalRuns &runs);
    // Numbers first (DESIGN §7): the per-user metrics' estimates ("≈ mean ± half-width") until the
    // exact runs replace them (setRuns); aggregates that a sample cannot say read "…".
    void setEstimates(const WorkspaceEstimates &estimates);
    bool showsEstimates() const { return m_estimated; }
    size_t otherCount() const { return m_others.size(); }
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<MetricComparison> m_rows;
    bool m_estimated = false;
    struct Interval {
        double half = kNaN;
        bool rough = false; // MetricEstimate::rough
    };
    std::vector<std::pair<Interval, Interval>> m_halfWidths; // per row (model order, re-ranked); estimates only
    std::vector<std::vector<MetricComparison>> m_others; // per compared source, same order as m_rows
    QStringList m_otherNames;
};

} // namespace reclens::ui
