#pragma once
// The users table: one row per dataset user with id, segment, history and test sizes, and the
// per-user metrics of the current run (model order) with their change after re-ranking. Fed whole
// by resets; sorting and filtering live in UserFilterProxy.
#include "core/metrics/metrics.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <memory>
#include <vector>

namespace reclens::ui
{

class UserTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { IdColumn, SegmentColumn, HistoryColumn, TestColumn, FirstMetricColumn };
    enum Role {
        SortRole = Qt::UserRole + 1, // numbers for numeric columns, NaN when undefined
        UserIndexRole, // dataset user index (int)
    };

    explicit UserTableModel(QObject *parent = nullptr);

    void setDataset(std::shared_ptr<const Dataset> dataset);
    // Per-user metrics of the evaluated users: base (model order) and re-ranked, users ascending.
    // Either may be empty (not computed yet).
    void setMetrics(const std::vector<int32_t> &users, const std::vector<UserMetrics> &base,
        const std::vector<UserMetrics> &reranked);
    void clearMetrics();

    // Column of a metric value, and of its Δ after re-ranking.
    static int metricColumn(MetricId id) { return FirstMetricColumn + 2 * static_cast<int>(id); }
    static int deltaColumn(MetricId id) { return metricColumn(id) + 1; }
    int rowOfUser(int32_t user) const;
    int32_t userAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    double value(int row, int column) const;

    std::shared_ptr<const Dataset> m_dataset;
    std::vector<int32_t> m_testSize;
    std::vector<std::array<double, kUserMetricCount>> m_base; // per dataset user; NaN = none
    std::vector<std::array<double, kUserMetricCount>> m_reranked; // per dataset user; NaN = none
};

// Search (external id substring), segment filter, numeric sorting with undefined values always last.
class UserFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit UserFilterProxy(QObject *parent = nullptr);
    void setSearch(const QString &text);
    void setSegment(const QString &segment); // empty = all segments
    void setEvaluatedOnly(bool on); // hide users without test items

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    QString m_search;
    QString m_segment;
    bool m_evaluatedOnly = false;
};

} // namespace reclens::ui
