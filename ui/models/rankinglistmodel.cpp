#include "ui/models/rankinglistmodel.h"

#include <QFont>
#include <cmath>

namespace reclens::ui
{

QString itemTitle(const Dataset &dataset, int32_t item)
{
    const std::string &title = dataset.item_title[static_cast<size_t>(item)];
    return title.empty() ? QString::fromStdString(dataset.item_external[static_cast<size_t>(item)])
                         : QString::fromStdString(title);
}

QString categoryName(const Dataset &dataset, int32_t category)
{
    if (category < 0 || static_cast<size_t>(category) >= dataset.categories.size())
        return QStringLiteral("unknown");
    return QString::fromStdString(dataset.categories[static_cast<size_t>(category)].name);
}

QString categoryPathText(const Dataset &dataset, int32_t item)
{
    QStringList parts;
    for (int32_t c : dataset.item_path(item))
        parts << categoryName(dataset, c);
    return parts.isEmpty() ? QStringLiteral("no category") : parts.join(u" \u203A "_qs);
}

QString brandName(const Dataset &dataset, int32_t item)
{
    const int32_t b = dataset.item_brand[static_cast<size_t>(item)];
    return b < 0 ? QStringLiteral("–") : QString::fromStdString(dataset.brands[static_cast<size_t>(b)]);
}

QString priceText(const Dataset &dataset, int32_t item)
{
    const double p = dataset.item_price[static_cast<size_t>(item)];
    return std::isnan(p) ? QStringLiteral("–") : QString::number(p, 'f', 2);
}

RankingListModel::RankingListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void RankingListModel::setDataset(std::shared_ptr<const Dataset> dataset, CategoryPalette palette)
{
    beginResetModel();
    m_dataset = std::move(dataset);
    m_palette = std::move(palette);
    m_list = ListColumn {};
    endResetModel();
}

void RankingListModel::setList(const ListColumn &column, int level)
{
    beginResetModel();
    m_list = column;
    m_level = level;
    endResetModel();
}

void RankingListModel::clear()
{
    beginResetModel();
    m_list = ListColumn {};
    endResetModel();
}

int32_t RankingListModel::itemAt(int row) const
{
    const auto r = static_cast<size_t>(row);
    if (r < m_list.items.size())
        return m_list.items[r];
    const size_t d = r - m_list.items.size();
    return d < m_list.dropped.size() ? m_list.dropped[d] : -1;
}

int RankingListModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_dataset)
        return 0;
    return static_cast<int>(m_list.items.size() + m_list.dropped.size());
}

int RankingListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RankingListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_dataset)
        return {};
    const auto row = static_cast<size_t>(index.row());
    const bool dropped = row >= m_list.items.size();
    const int32_t item = itemAt(index.row());
    if (item < 0)
        return {};
    const Dataset &ds = *m_dataset;
    switch (role) {
    case ItemIndexRole:
        return item;
    case IsDroppedRole:
        return dropped;
    case IsHitRole:
        return !dropped && m_list.hit[row] != 0;
    case CategoryColorRole:
        return m_palette.color(ds.top_category(item));
    case MoveKindRole:
        return dropped ? static_cast<int>(RankMove::Kind::Dropped)
                       : static_cast<int>(row < m_list.moves.size() ? m_list.moves[row].kind : RankMove::Kind::Same);
    case Qt::ToolTipRole: {
        QString tip = m_tooltip ? m_tooltip(item) : QString();
        // Why a re-ranked item stands here: its greedy step's terms and the rules that moved it.
        if (!dropped && row < m_list.why.size())
            tip += (tip.isEmpty() ? QString() : u"\n\n"_qs) + u"Why here: "_qs + QString::fromStdString(m_list.why[row]);
        return tip;
    }
    case WhyRole:
        return !dropped && row < m_list.why.size() ? QString::fromStdString(m_list.why[row]) : QString();
    case Qt::TextAlignmentRole:
        if (index.column() == RankColumn || index.column() == PriceColumn || index.column() == ScoreColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        if (index.column() == HitColumn || index.column() == MoveColumn)
            return QVariant::fromValue(Qt::AlignCenter);
        return {};
    case Qt::ForegroundRole:
        if (dropped)
            return QColor(0x9a, 0x9f, 0xa8);
        if (index.column() == MoveColumn && row < m_list.moves.size()) {
            switch (m_list.moves[row].kind) {
            case RankMove::Kind::Up:
                return QColor(0x2e, 0x7d, 0x32);
            case RankMove::Kind::Down:
                return QColor(0xc6, 0x28, 0x28);
            case RankMove::Kind::New:
                return QColor(0x1f, 0x5f, 0xa8);
            default:
                return QColor(0x9a, 0x9f, 0xa8);
            }
        }
        if (index.column() == HitColumn)
            return QColor(0x2e, 0x7d, 0x32);
        return {};
    case Qt::FontRole:
        if (dropped) {
            QFont f;
            f.setItalic(true);
            return f;
        }
        if (index.column() == HitColumn || index.column() == MoveColumn) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case RankColumn:
        return dropped ? QStringLiteral("–") : QString::number(index.row() + 1);
    case TitleColumn:
        return itemTitle(ds, item);
    case CategoryColumn:
        return categoryName(ds, ds.category_at_level(item, std::max(1, m_level)));
    case BrandColumn:
        return brandName(ds, item);
    case PriceColumn:
        return priceText(ds, item);
    case ScoreColumn: {
        if (dropped)
            return QString();
        const float s = row < m_list.scores.size() ? m_list.scores[row] : NAN;
        return std::isfinite(s) ? QString::number(static_cast<double>(s), 'f', 3) : QStringLiteral("pinned");
    }
    case HitColumn: {
        if (dropped)
            return QString();
        // Judged relevance shows the grade (✔ when it counts as relevant), DESIGN §11.
        if (row < m_list.grade.size() && !std::isnan(m_list.grade[row])) {
            const QString g = QString::number(static_cast<double>(m_list.grade[row]));
            return m_list.hit[row] ? QString(u"\u2714 "_qs + g) : g;
        }
        return m_list.hit[row] ? QStringLiteral("\u2714") : QString();
    }
    case MoveColumn:
        if (dropped)
            return QStringLiteral("dropped");
        return row < m_list.moves.size() ? QString::fromStdString(m_list.moves[row].label()) : QString();
    default:
        return {};
    }
}

QVariant RankingListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case RankColumn:
        return QStringLiteral("#");
    case TitleColumn:
        return QStringLiteral("item");
    case CategoryColumn:
        return QStringLiteral("category");
    case BrandColumn:
        return QStringLiteral("brand");
    case PriceColumn:
        return QStringLiteral("price");
    case ScoreColumn:
        return QStringLiteral("score");
    case HitColumn:
        return m_list.grade.empty() ? QStringLiteral("hit") : QStringLiteral("grade");
    case MoveColumn:
        return QStringLiteral("move");
    default:
        return {};
    }
}

HistoryModel::HistoryModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void HistoryModel::setDataset(std::shared_ptr<const Dataset> dataset, CategoryPalette palette)
{
    beginResetModel();
    m_dataset = std::move(dataset);
    m_palette = std::move(palette);
    m_items.clear();
    endResetModel();
}

void HistoryModel::setItems(std::vector<int32_t> items)
{
    beginResetModel();
    m_items = std::move(items);
    endResetModel();
}

int HistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_dataset ? 0 : static_cast<int>(m_items.size());
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_dataset)
        return {};
    const int32_t item = m_items[static_cast<size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return itemTitle(*m_dataset, item);
    case CategoryColorRole:
        return m_palette.color(m_dataset->top_category(item));
    case ItemIndexRole:
        return item;
    case Qt::ToolTipRole:
        return m_tooltip ? m_tooltip(item) : QVariant();
    default:
        return {};
    }
}

QString itemTooltip(const Dataset &ds, int32_t item, const std::vector<std::pair<int32_t, double>> &similar)
{
    if (item < 0 || item >= ds.n_items())
        return {};
    const auto i = static_cast<size_t>(item);
    QString text = u"<b>"_qs + itemTitle(ds, item).toHtmlEscaped() + u"</b><br>"_qs
        + categoryPathText(ds, item).toHtmlEscaped() + u"<br>brand: "_qs + brandName(ds, item).toHtmlEscaped()
        + u" · price: "_qs + priceText(ds, item) + u"<br>id "_qs + QString::fromStdString(ds.item_external[i])
        + u" · bought by "_qs + QString::number(ds.popularity.empty() ? 0 : ds.popularity[i]) + u" shoppers"_qs;
    if (!similar.empty()) {
        text += u"<br><br><i>Most similar in this shopper's history:</i>"_qs;
        for (const auto &[h, s] : similar)
            text += u"<br>• "_qs + itemTitle(ds, h).toHtmlEscaped() + u" ("_qs + QString::number(s, 'f', 2) + u")"_qs;
    }
    return text;
}

} // namespace reclens::ui
