#pragma once
// Paints an item's text as a rounded chip in its top-level category colour (CategoryColorRole),
// with black or white text, whichever reads better. Used for the category column and history strip.
#include <QStyledItemDelegate>

namespace reclens::ui
{

class ChipDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit ChipDelegate(QObject *parent = nullptr, int maxWidth = 0);
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_maxWidth; // 0 = cell width; history chips elide past this
};

} // namespace reclens::ui
