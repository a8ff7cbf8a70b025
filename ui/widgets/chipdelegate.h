#pragma once
// Paints an item's text as a rounded chip in its top-level category colour (CategoryColorRole),
// with black or white text, whichever reads better; in a cell too narrow for a word, a round swatch of
// the colour. Used for the category column and history strip.
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
    // A chip narrower than this shows its colour as a swatch, without text.
    static constexpr int kSwatchBelow = 30;

private:
    int m_maxWidth; // 0 = cell width; history chips elide past this
};

} // namespace reclens::ui
