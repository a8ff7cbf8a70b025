#include "ui/pages/plotdeck.h"

#include <QGridLayout>
#include <QResizeEvent>
#include <QTabBar>
#include <QVBoxLayout>

namespace reclens::ui
{

PlotDeck::PlotDeck(QWidget *topLeft, QWidget *topRight, QWidget *bottomLeft, QWidget *bottomRight, QWidget *parent)
    : QWidget(parent)
    , m_plots { topLeft, topRight, bottomLeft, bottomRight }
{
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(2);
    m_tabBar = new QTabBar(this);
    m_tabBar->setObjectName(QStringLiteral("plotTabs"));
    m_tabBar->setDocumentMode(true);
    m_tabBar->setExpanding(false);
    m_tabBar->addTab(QStringLiteral("Category mix · Diversity"));
    m_tabBar->addTab(QStringLiteral("ROC · Trade-off"));
    m_tabBar->hide();
    v->addWidget(m_tabBar);
    m_grid = new QGridLayout;
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->setSpacing(6);
    v->addLayout(m_grid, 1);
    for (QWidget *w : m_plots) {
        w->setParent(this);
        w->setMinimumHeight(150);
    }
    connect(m_tabBar, &QTabBar::currentChanged, this, [this] { arrange(); });
    arrange();
}

void PlotDeck::setExtraPanel(QWidget *panel, const QString &title)
{
    if (panel == m_extra)
        return;
    if (m_extra) {
        m_grid->removeWidget(m_extra);
        m_extra->hide();
        m_tabBar->removeTab(2);
    }
    m_extra = panel;
    if (m_extra) {
        m_extra->setParent(this);
        m_tabBar->addTab(title);
    }
    arrange();
}

bool PlotDeck::tabbed() const
{
    return m_tabbed;
}

void PlotDeck::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    if (event->size().height() != event->oldSize().height())
        arrange();
}

void PlotDeck::arrange()
{
    const bool tabbed = m_extra || height() < 2 * kMinGridPlotHeight + m_grid->spacing();
    m_tabbed = tabbed;
    for (QWidget *w : m_plots)
        m_grid->removeWidget(w);
    if (m_extra)
        m_grid->removeWidget(m_extra);
    m_tabBar->setVisible(tabbed);
    const int page = tabbed ? m_tabBar->currentIndex() : -1;
    if (!tabbed) {
        for (int i = 0; i < 4; ++i) {
            m_grid->addWidget(m_plots[static_cast<size_t>(i)], i / 2, i % 2);
            m_plots[static_cast<size_t>(i)]->show();
        }
    } else {
        for (int i = 0; i < 4; ++i) {
            QWidget *w = m_plots[static_cast<size_t>(i)];
            const bool shown = page == i / 2;
            if (shown)
                m_grid->addWidget(w, 0, i % 2);
            w->setVisible(shown);
        }
        if (m_extra) {
            if (page == 2)
                m_grid->addWidget(m_extra, 0, 0, 1, 2);
            m_extra->setVisible(page == 2);
        }
    }
    // A row that is no longer used must not keep its stretch or spacing.
    m_grid->setRowStretch(0, 1);
    m_grid->setRowStretch(1, tabbed ? 0 : 1);
}

} // namespace reclens::ui
