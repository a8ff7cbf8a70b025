#pragma once
// How far the shown lists agree, one row per pair of list columns (A–B, A–C, …, B–C, …): items in
// both, Jaccard and rank-biased overlap (p = 0.9), from the UserView's overlaps. Fed whole from a
// snapshot; exact values under ExportRole for the table exports.
#include "core/analysis/userview.h"

#include <QAbstractTableModel>
#include <QStringList>

namespace reclens::ui
{

// The letter that names column `i` of a user's view in list titles and this table: A, B, C, …
QString columnTag(size_t i);

class OverlapModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { PairColumn, SharedColumn, JaccardColumn, RboColumn, ColumnCount };
    explicit OverlapModel(QObject *parent = nullptr);

    // `titles`: each column's title, for the tooltips and the exports (the table shows the letters).
    void setView(const UserView &view, const QStringList &titles);
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<ListOverlap> m_rows;
    QStringList m_titles;
    int m_baseline = 0;
};

} // namespace reclens::ui
