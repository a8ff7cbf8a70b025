#pragma once
// The four plots under the lists: two rows of two where the page is tall enough, else one row with
// a tab bar that picks the pair (a laptop's 768 pixels give the lists their ten rows first). A panel
// that leaves the lists row for want of room (the "Lists compared" panel) joins as a third tab.
#include <QString>
#include <QWidget>

#include <array>

class QGridLayout;
class QTabBar;

namespace reclens::ui
{

class PlotDeck : public QWidget
{
    Q_OBJECT
public:
    // topLeft/topRight are the first pair (category mix, diversity), bottomLeft/bottomRight the
    // second (ROC, trade-off).
    PlotDeck(QWidget *topLeft, QWidget *topRight, QWidget *bottomLeft, QWidget *bottomRight, QWidget *parent = nullptr);

    // Shows `panel` as a third tab (the deck then stays in tabs); nullptr takes it back out, and
    // the caller places it again. The deck never deletes it.
    void setExtraPanel(QWidget *panel, const QString &title);
    QWidget *extraPanel() const { return m_extra; }

    bool tabbed() const; // one row with tabs (else the 2 x 2 grid)

    // Height from which the 2 x 2 grid is used: two plots of kMinGridPlotHeight and the spacing.
    static constexpr int kMinGridPlotHeight = 230;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void arrange();

    std::array<QWidget *, 4> m_plots;
    QWidget *m_extra = nullptr;
    QTabBar *m_tabBar;
    QGridLayout *m_grid;
    bool m_tabbed = false;
};

} // namespace reclens::ui
