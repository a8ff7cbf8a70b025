#pragma once
// One ranked list of the lists-side-by-side view (model order, re-ranked or a second model), and the
// user's history strip. Both are fed whole from a UserView snapshot.
#include "ui/plots/categorypalette.h"
#include "core/analysis/userview.h"

#include <QAbstractListModel>
#include <QAbstractTableModel>
#include <functional>
#include <memory>

namespace reclens::ui
{

// Item roles shared by the list models and the chip delegate.
enum ItemRole {
    CategoryColorRole = Qt::UserRole + 10, // QColor of the item's top-level category
    ItemIndexRole, // dataset item index (int)
    IsHitRole, // bool: item is in the user's test set
    IsDroppedRole, // bool: row lists an item dropped from the model order
    MoveKindRole, // int(RankMove::Kind)
    WhyRole, // QString: why a re-ranked item stands here (describe()); empty for other lists
};

// Builds the tooltip of an item (details and the most similar history items); set by the page.
using ItemTooltipFn = std::function<QString(int32_t item)>;

class RankingListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        RankColumn,
        TitleColumn,
        CategoryColumn,
        BrandColumn,
        PriceColumn,
        ScoreColumn,
        HitColumn,
        MoveColumn,
        ColumnCount
    };

    explicit RankingListModel(QObject *parent = nullptr);

    void setDataset(std::shared_ptr<const Dataset> dataset, CategoryPalette palette);
    // Shows `column` of a view (copied); rows past the list show the items dropped from model order.
    void setList(const ListColumn &column, int level);
    void clear();
    void setTooltipProvider(ItemTooltipFn fn) { m_tooltip = std::move(fn); }

    const ListColumn &list() const { return m_list; }
    int32_t itemAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const Dataset> m_dataset;
    CategoryPalette m_palette;
    ListColumn m_list;
    int m_level = 0;
    ItemTooltipFn m_tooltip;
};

// The user's train history as chips, most recent first.
class HistoryModel : public QAbstractListModel
{
    Q_OBJECT
public:
    explicit HistoryModel(QObject *parent = nullptr);
    void setDataset(std::shared_ptr<const Dataset> dataset, CategoryPalette palette);
    void setItems(std::vector<int32_t> items);
    void setTooltipProvider(ItemTooltipFn fn) { m_tooltip = std::move(fn); }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const Dataset> m_dataset;
    CategoryPalette m_palette;
    std::vector<int32_t> m_items;
    ItemTooltipFn m_tooltip;
};

// Short display helpers shared by models and tooltips.
QString itemTitle(const Dataset &dataset, int32_t item);
QString categoryName(const Dataset &dataset, int32_t category); // "unknown" for -1
QString categoryPathText(const Dataset &dataset, int32_t item); // "DEPT › CATEGORY › TYPE"
QString brandName(const Dataset &dataset, int32_t item);
QString priceText(const Dataset &dataset, int32_t item);
// Tooltip of an item: details, and the most similar items of the shopper's history (item, similarity).
QString itemTooltip(const Dataset &dataset, int32_t item, const std::vector<std::pair<int32_t, double>> &similar);

} // namespace reclens::ui
