#include "ui/models/usertablemodel.h"

#include "ui/models/tableexport.h"

#include <QColor>
#include <cmath>

namespace reclens::ui
{

namespace
{
QString formatMetric(double v)
{
    if (std::isnan(v))
        return QStringLiteral("–");
    if (std::abs(v) >= 100)
        return QString::number(v, 'f', 0);
    if (std::abs(v) >= 10)
        return QString::number(v, 'f', 1);
    return QString::number(v, 'f', 3);
}
std::array<double, kUserMetricCount> nanRow()
{
    std::array<double, kUserMetricCount> row;
    row.fill(kNaN);
    return row;
}
} // namespace

UserTableModel::UserTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void UserTableModel::setDataset(std::shared_ptr<const Dataset> dataset)
{
    beginResetModel();
    m_dataset = std::move(dataset);
    m_testSize.clear();
    m_base.clear();
    m_reranked.clear();
    if (m_dataset) {
        const int32_t n = m_dataset->n_users();
        m_testSize.resize(static_cast<size_t>(n));
        for (int32_t u = 0; u < n; ++u)
            m_testSize[static_cast<size_t>(u)] = static_cast<int32_t>(test_set(*m_dataset, u).size());
        m_base.assign(static_cast<size_t>(n), nanRow());
        m_reranked.assign(static_cast<size_t>(n), nanRow());
    }
    endResetModel();
}

void UserTableModel::setMetrics(
    const std::vector<int32_t> &users, const std::vector<UserMetrics> &base, const std::vector<UserMetrics> &reranked)
{
    if (!m_dataset)
        return;
    beginResetModel();
    m_base.assign(m_base.size(), nanRow());
    m_reranked.assign(m_reranked.size(), nanRow());
    for (size_t i = 0; i < users.size(); ++i) {
        const auto u = static_cast<size_t>(users[i]);
        if (u >= m_base.size())
            continue;
        if (i < base.size())
            m_base[u] = base[i].values;
        if (i < reranked.size())
            m_reranked[u] = reranked[i].values;
    }
    endResetModel();
}

void UserTableModel::clearMetrics()
{
    setMetrics({}, {}, {});
}

int UserTableModel::rowOfUser(int32_t user) const
{
    return m_dataset && user >= 0 && user < m_dataset->n_users() ? user : -1;
}

int32_t UserTableModel::userAt(int row) const
{
    return row;
}

int UserTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_dataset ? 0 : m_dataset->n_users();
}

int UserTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : FirstMetricColumn + 2 * kUserMetricCount;
}

double UserTableModel::value(int row, int column) const
{
    const auto r = static_cast<size_t>(row);
    switch (column) {
    case HistoryColumn:
        return static_cast<double>(m_dataset->train.row_size(row));
    case TestColumn:
        return static_cast<double>(m_testSize[r]);
    default:
        break;
    }
    const int m = (column - FirstMetricColumn) / 2;
    const bool delta = (column - FirstMetricColumn) % 2 == 1;
    const double base = m_base[r][static_cast<size_t>(m)];
    if (!delta)
        return base;
    return m_reranked[r][static_cast<size_t>(m)] - base; // NaN when either is missing
}

QVariant UserTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_dataset)
        return {};
    const int row = index.row();
    const int column = index.column();
    const auto r = static_cast<size_t>(row);
    if (role == UserIndexRole)
        return row;
    if (role == ExportRole) {
        // Exact values: the id as it is, metrics unrounded (NaN = undefined), counts as integers.
        if (column == IdColumn)
            return QString::fromStdString(m_dataset->user_external[r]);
        if (column == SegmentColumn)
            return QString::fromStdString(m_dataset->user_segment[r]);
        const double v = value(row, column);
        if (column == HistoryColumn || column == TestColumn)
            return static_cast<qlonglong>(v);
        return v;
    }
    if (role == Qt::DisplayRole || role == SortRole) {
        if (column == IdColumn) {
            const QString id = QString::fromStdString(m_dataset->user_external[r]);
            if (m_dataset->queries() && role == Qt::DisplayRole) // a query reads as its text
                return QString(id + u" · "_qs + QString::fromStdString(m_dataset->request_text[r]));
            if (role == SortRole) {
                // Numeric ids (household numbers) sort as numbers, others as text.
                bool numeric = false;
                const double n = id.toDouble(&numeric);
                if (numeric)
                    return n;
            }
            return id;
        }
        if (column == SegmentColumn) {
            const std::string &s = m_dataset->user_segment[r];
            return s.empty() ? QStringLiteral("–") : QString::fromStdString(s);
        }
        const double v = value(row, column);
        if (role == SortRole)
            return v;
        if (column == HistoryColumn || column == TestColumn)
            return static_cast<qlonglong>(v);
        const bool delta = (column - FirstMetricColumn) % 2 == 1;
        if (delta && !std::isnan(v))
            return QString((v > 0 ? QStringLiteral("+") : QString()) + formatMetric(v));
        return formatMetric(v);
    }
    if (role == Qt::TextAlignmentRole && column >= HistoryColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && column >= FirstMetricColumn && (column - FirstMetricColumn) % 2 == 1) {
        const double v = value(row, column);
        if (std::isnan(v) || std::abs(v) < 1e-12)
            return QColor(0x8a, 0x90, 0x9a);
        const auto id = static_cast<MetricId>((column - FirstMetricColumn) / 2);
        const MetricInfo *info = find_metric(metric_name(id));
        const bool better = (v > 0) == (info ? info->higher_is_better : true);
        return better ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28);
    }
    return {};
}

QVariant UserTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount())
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case IdColumn:
            return m_dataset && m_dataset->queries() ? QStringLiteral("query") : QStringLiteral("user");
        case SegmentColumn:
            return QStringLiteral("segment");
        case HistoryColumn:
            return QStringLiteral("history");
        case TestColumn:
            return m_dataset && m_dataset->judgements ? QStringLiteral("relevant") : QStringLiteral("test");
        default:
            break;
        }
        const auto id = static_cast<MetricId>((section - FirstMetricColumn) / 2);
        const QString name = QString::fromUtf8(metric_name(id).data(), static_cast<qsizetype>(metric_name(id).size()));
        return (section - FirstMetricColumn) % 2 == 1 ? QString(u"\u0394 "_qs + name) : name;
    }
    if (role == Qt::ToolTipRole && section >= FirstMetricColumn) {
        const auto id = static_cast<MetricId>((section - FirstMetricColumn) / 2);
        const std::string name(metric_name(id));
        // Judged relevance follows trec_eval's conventions (DESIGN §11): its formulas say so.
        const QString formula = QString::fromStdString(
            metric_formula(name, m_dataset && m_dataset->judgements ? "trec_eval" : ""));
        const QString what = QString::fromStdString(metric_description(name));
        const bool delta = (section - FirstMetricColumn) % 2 == 1;
        return QString((delta ? u"Change after re-ranking of "_qs : QString()) + QString::fromStdString(name) + u": "_qs
            + what + u"\n"_qs + formula);
    }
    return {};
}

UserFilterProxy::UserFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(UserTableModel::SortRole);
}

void UserFilterProxy::setSearch(const QString &text)
{
    m_search = text.trimmed();
    invalidateFilter();
}

void UserFilterProxy::setSegment(const QString &segment)
{
    m_segment = segment;
    invalidateFilter();
}

void UserFilterProxy::setEvaluatedOnly(bool on)
{
    m_evaluatedOnly = on;
    invalidateFilter();
}

bool UserFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *source = sourceModel();
    if (!m_search.isEmpty()) {
        const QString id = source->index(sourceRow, UserTableModel::IdColumn, sourceParent).data().toString();
        if (!id.contains(m_search, Qt::CaseInsensitive))
            return false;
    }
    if (!m_segment.isEmpty()) {
        const QString seg = source->index(sourceRow, UserTableModel::SegmentColumn, sourceParent).data().toString();
        if (seg != m_segment)
            return false;
    }
    if (m_evaluatedOnly) {
        const double test = source->index(sourceRow, UserTableModel::TestColumn, sourceParent)
                                .data(UserTableModel::SortRole)
                                .toDouble();
        if (test <= 0)
            return false;
    }
    return true;
}

bool UserFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const QVariant l = left.data(sortRole());
    const QVariant r = right.data(sortRole());
    if (l.typeId() == QMetaType::Double && r.typeId() == QMetaType::Double) {
        const double a = l.toDouble(), b = r.toDouble();
        // Undefined values go last whatever the direction, so "worst first" starts with real users.
        if (std::isnan(a) || std::isnan(b)) {
            if (std::isnan(a) && std::isnan(b))
                return left.row() < right.row();
            const bool aLast = std::isnan(a);
            return sortOrder() == Qt::AscendingOrder ? !aLast : aLast;
        }
        if (a != b)
            return a < b;
        return left.row() < right.row();
    }
    return QString::localeAwareCompare(l.toString(), r.toString()) < 0;
}

} // namespace reclens::ui
