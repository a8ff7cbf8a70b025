#include "ui/models/overlapmodel.h"

#include "ui/models/tableexport.h"

#include <QFont>
#include <cmath>

namespace reclens::ui
{

QString columnTag(size_t i)
{
    return i < 26 ? QString(QChar(static_cast<char16_t>(u'A' + i))) : QString::number(i + 1);
}

OverlapModel::OverlapModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void OverlapModel::setView(const UserView &view, const QStringList &titles)
{
    beginResetModel();
    m_rows = view.overlaps;
    m_titles = titles;
    m_baseline = view.baseline;
    endResetModel();
}

void OverlapModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_titles.clear();
    endResetModel();
}

int OverlapModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int OverlapModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant OverlapModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ListOverlap &o = m_rows[static_cast<size_t>(index.row())];
    auto title = [this](int c) { return c < m_titles.size() ? m_titles[c] : columnTag(static_cast<size_t>(c)); };
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case PairColumn:
            return QString(columnTag(static_cast<size_t>(o.a)) + u"–"_qs + columnTag(static_cast<size_t>(o.b)));
        case SharedColumn:
            return o.shared;
        case JaccardColumn:
            return std::isnan(o.jaccard) ? QStringLiteral("–") : QString::number(o.jaccard, 'f', 2);
        case RboColumn:
            return std::isnan(o.rbo) ? QStringLiteral("–") : QString::number(o.rbo, 'f', 2);
        default:
            return {};
        }
    case ExportRole:
        switch (index.column()) {
        case PairColumn:
            return QString(title(o.a) + u" | "_qs + title(o.b));
        case SharedColumn:
            return o.shared;
        case JaccardColumn:
            return o.jaccard;
        case RboColumn:
            return o.rbo;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return QString(columnTag(static_cast<size_t>(o.a)) + u": "_qs + title(o.a) + u"\n"_qs
            + columnTag(static_cast<size_t>(o.b)) + u": "_qs + title(o.b) + u"\n"_qs + QString::number(o.shared)
            + u" items in both; Jaccard = |A∩B| / |A∪B|; RBO weights agreement at the top (p = 0.9: "
              "86% of the weight on the first 10 ranks)"_qs);
    case Qt::FontRole:
        if (o.a == m_baseline || o.b == m_baseline) {
            QFont f;
            f.setBold(true); // the pairs with the baseline the rank moves are counted against
            return f;
        }
        return {};
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(
            index.column() == PairColumn ? Qt::AlignLeft | Qt::AlignVCenter : Qt::AlignRight | Qt::AlignVCenter);
    default:
        return {};
    }
}

QVariant OverlapModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    // Short in the narrow box; in full in the exports and the tooltip.
    static const char *const shown[] = { "lists", "both", "Jacc.", "RBO" };
    static const char *const full[] = { "lists", "shared", "Jaccard", "RBO" };
    if (role == Qt::DisplayRole)
        return QString::fromUtf8(shown[section]);
    if (role == ExportRole || role == Qt::ToolTipRole)
        return QString::fromUtf8(full[section]);
    return {};
}

} // namespace reclens::ui
