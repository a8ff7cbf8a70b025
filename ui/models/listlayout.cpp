#include "ui/models/listlayout.h"

#include "ui/models/rankinglistmodel.h"

#include <QHeaderView>
#include <QStyle>
#include <QTableView>
#include <algorithm>

namespace reclens::ui
{

ListRowLayout fitListRow(const ListRowInput &in)
{
    const ListColumnNeeds &n = in.needs;
    const int lists = std::max(1, in.lists);
    ListRowLayout best;
    for (int step = 0; step <= 7; ++step) {
        ListRowLayout l;
        l.gaveWay = step;
        l.compareInRow = in.compareWidth > 0 && step < 4;
        l.rank = n.rank;
        l.hit = n.hit;
        l.move = n.move;
        l.brand = step < 1 ? n.brand : 0;
        l.price = step < 2 ? n.price : 0;
        l.category = step < 3 ? n.categoryFull : step < 6 ? n.categoryShort : step < 7 ? n.categorySwatch : 0;
        l.score = step < 5 ? n.score : 0;
        const int panels = lists + (l.compareInRow ? 1 : 0);
        const int forLists = in.rowWidth - (l.compareInRow ? in.compareWidth : 0) - in.spacing * (panels - 1);
        l.listWidth = forLists / lists;
        l.title = l.listWidth - n.frame - l.rank - l.category - l.brand - l.price - l.score - l.hit - l.move;
        l.titleFits = l.title >= n.title;
        best = l;
        if (l.titleFits)
            break;
    }
    return best;
}

int listTitleNeed(const QTableView *table, int widest)
{
    const QFontMetrics fm(table->font());
    const int sample = fm.horizontalAdvance(QStringLiteral("FLUID MILK WHITE ONL"));
    const int margin = table->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, table) + 1;
    return std::max(sample, widest) + 2 * margin + 1;
}

int listHeadingNeed(const QTableView *table, int column)
{
    const QHeaderView *h = table->horizontalHeader();
    const QString heading = table->model() ? table->model()->headerData(column, Qt::Horizontal).toString() : QString();
    const int margin = h->style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, h);
    return QFontMetrics(h->font()).horizontalAdvance(heading) + 4 * margin;
}

int listMoveNeed(const QTableView *table, int margin)
{
    const QFontMetrics fm(table->font());
    int labels = 0;
    for (const QString &label : { QStringLiteral("▼10"), QStringLiteral("new"), QStringLiteral("dropped") })
        labels = std::max(labels, fm.horizontalAdvance(label));
    return std::max(labels + margin, listHeadingNeed(table, RankingListModel::MoveColumn));
}

void applyListRow(QTableView *table, const ListRowLayout &layout)
{
    QHeaderView *h = table->horizontalHeader();
    auto set = [&](int column, int width) {
        table->setColumnHidden(column, width <= 0);
        if (width > 0)
            h->resizeSection(column, width);
    };
    set(RankingListModel::RankColumn, layout.rank);
    set(RankingListModel::CategoryColumn, layout.category);
    set(RankingListModel::BrandColumn, layout.brand);
    set(RankingListModel::PriceColumn, layout.price);
    set(RankingListModel::ScoreColumn, layout.score);
    set(RankingListModel::HitColumn, layout.hit);
    set(RankingListModel::MoveColumn, layout.move);
}

} // namespace reclens::ui
