#include "ui/widgets/chipdelegate.h"

#include "ui/plots/categorypalette.h"
#include "ui/models/rankinglistmodel.h"

#include <QApplication>
#include <QPainter>

namespace reclens::ui
{

ChipDelegate::ChipDelegate(QObject *parent, int maxWidth)
    : QStyledItemDelegate(parent)
    , m_maxWidth(maxWidth)
{
}

void ChipDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget); // selection background
    const QColor color = index.data(CategoryColorRole).value<QColor>();
    const bool dropped = index.data(IsDroppedRole).toBool();
    QRect r = option.rect.adjusted(3, 3, -3, -3);
    const QFontMetrics fm(opt.font);
    const int textWidth = fm.horizontalAdvance(text) + 14;
    if (r.width() > textWidth)
        r.setWidth(textWidth);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QColor fill = color.isValid() ? color : CategoryPalette::unknownColor();
    if (dropped)
        fill.setAlpha(90);
    painter->setPen(Qt::NoPen);
    painter->setBrush(fill);
    if (r.width() < kSwatchBelow) {
        // Too narrow for a word: the colour alone, a round swatch (the name is in the tooltip).
        const int d = std::min(r.width(), r.height());
        painter->drawEllipse(QRect(r.center().x() - d / 2, r.center().y() - d / 2, d, d));
        painter->restore();
        return;
    }
    painter->drawRoundedRect(r, r.height() / 2.0, r.height() / 2.0);
    painter->setPen(dropped ? QColor(0x6a, 0x70, 0x7a) : CategoryPalette::textColorOn(fill));
    painter->setFont(opt.font);
    painter->drawText(
        r.adjusted(7, 0, -7, 0), Qt::AlignVCenter | Qt::AlignLeft, fm.elidedText(text, Qt::ElideRight, r.width() - 14));
    painter->restore();
}

QSize ChipDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    s.setWidth(s.width() + 16);
    if (m_maxWidth > 0)
        s.setWidth(std::min(s.width(), m_maxWidth));
    s.setHeight(std::max(s.height(), QFontMetrics(option.font).height() + 8));
    return s;
}

} // namespace reclens::ui
