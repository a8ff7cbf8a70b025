#include "ui/pages/presentation.h"

#include "ui/models/listlayout.h"
#include "ui/models/rankinglistmodel.h"
#include "ui/pages/viewplots.h"
#include "ui/plots/categoryplot.h"
#include "ui/plots/diversityplot.h"
#include "ui/plots/plotstyle.h"
#include "ui/session/workspace.h"
#include "ui/widgets/chipdelegate.h"

#include <QCloseEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QResizeEvent>
#include <QTableView>
#include <QVBoxLayout>
#include <QSequentialAnimationGroup>
#include <QVariantAnimation>

#include <algorithm>
#include <cmath>

namespace reclens::ui
{

namespace
{
constexpr double kListPt = 15;
constexpr double kPlotPt = 13;

// The sizes below are for a 1920x1080 room; PresentationWindow::applyScale scales every one of them
// with the window (a laptop's 1366x768 gets 0.71 of each).
constexpr double kHeaderPt = 12;
constexpr int kRowHeight = 33; // ten rows of 15 pt type in a 1080-line room
constexpr int kMargins[4] = { 36, 24, 36, 18 };

QTableView *bigTable(RankingListModel *model, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->setItemDelegateForColumn(RankingListModel::CategoryColumn, new ChipDelegate(view));
    QFont f = view->font();
    f.setPointSizeF(kListPt);
    view->setFont(f);
    view->verticalHeader()->hide();
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(kRowHeight);
    view->setSelectionMode(QAbstractItemView::NoSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setFocusPolicy(Qt::NoFocus);
    view->setShowGrid(false);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    view->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    QHeaderView *h = view->horizontalHeader();
    h->setSectionResizeMode(QHeaderView::Interactive);
    h->setSectionResizeMode(RankingListModel::TitleColumn, QHeaderView::Stretch);
    for (int c : { int(RankingListModel::BrandColumn), int(RankingListModel::PriceColumn),
             int(RankingListModel::ScoreColumn) })
        view->setColumnHidden(c, true);
    return view;
}

QLabel *label(double pt, bool bold, QWidget *parent, const QString &color = u"#2b3340"_qs)
{
    auto *l = new QLabel(parent);
    QFont f = l->font();
    f.setPointSizeF(pt);
    f.setBold(bold);
    l->setFont(f);
    l->setProperty("reclensBasePt", pt);
    l->setStyleSheet(u"color:"_qs + color + u";"_qs);
    l->setWordWrap(true);
    return l;
}
} // namespace

PresentationWindow::PresentationWindow(Workspace *workspace, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_workspace(workspace)
{
    setObjectName(QStringLiteral("presentation"));
    setWindowTitle(QStringLiteral("RecLens — presentation"));
    setStyleSheet(QStringLiteral("QWidget#presentation { background: white; }"));
    setAutoFillBackground(true);
    auto *layout = new QVBoxLayout(this);
    m_layout = layout;
    layout->setSpacing(10);

    auto *top = new QHBoxLayout;
    m_headline = label(24, true, this);
    m_position = label(16, false, this, u"#6b7380"_qs);
    m_position->setAlignment(Qt::AlignRight | Qt::AlignTop);
    m_position->setWordWrap(false);
    top->addWidget(m_headline, 1);
    top->addWidget(m_position);
    layout->addLayout(top);
    m_note = label(18, false, this, u"#4a5360"_qs);
    layout->addWidget(m_note);

    auto *lists = new QGridLayout;
    lists->setHorizontalSpacing(28);
    m_left = new RankingListModel(this);
    m_right = new RankingListModel(this);
    m_leftTitle = label(17, true, this);
    m_rightTitle = label(17, true, this);
    m_leftView = bigTable(m_left, this);
    m_rightView = bigTable(m_right, this);
    lists->addWidget(m_leftTitle, 0, 0);
    lists->addWidget(m_rightTitle, 0, 1);
    lists->addWidget(m_leftView, 1, 0);
    lists->addWidget(m_rightView, 1, 1);
    layout->addLayout(lists, 5);

    auto *plots = new QHBoxLayout;
    plots->setSpacing(28);
    m_mix = new CategoryPlot(this);
    m_diversity = new DiversityPlot(this);
    m_diversity->setTitle(QStringLiteral("Diversity scores of the two lists"));
    plots->addWidget(m_mix);
    plots->addWidget(m_diversity);
    layout->addLayout(plots, 4);

    auto *bottom = new QHBoxLayout;
    m_delta = label(17, false, this);
    m_delta->setWordWrap(false);
    m_play = new QPushButton(QStringLiteral("▶  Sweep δ 0 → 1 → 0"), this);
    m_play->setProperty("reclensBasePt", 15.0);
    m_play->setFocusPolicy(Qt::NoFocus);
    auto *hint = label(12, false, this, u"#8a909a"_qs);
    hint->setWordWrap(false);
    hint->setText(QStringLiteral("← → story users · Space sweep δ · Esc leave"));
    bottom->addWidget(m_delta, 1);
    bottom->addWidget(hint);
    bottom->addSpacing(24);
    bottom->addWidget(m_play);
    layout->addLayout(bottom);

    // Up and down as two halves, so that δ = 1 itself is shown (each half ends on its end value).
    m_sweep = new QSequentialAnimationGroup(this);
    for (const auto &[from, to] : { std::pair { 0.0, 1.0 }, std::pair { 1.0, 0.0 } }) {
        auto *half = new QVariantAnimation(m_sweep);
        half->setStartValue(from);
        half->setEndValue(to);
        connect(half, &QVariantAnimation::valueChanged, this,
            [this](const QVariant &v) { m_workspace->setDiversity(std::round(v.toDouble() * 100) / 100); });
        m_sweep->addAnimation(half);
    }
    connect(m_sweep, &QAbstractAnimation::finished, this, [this] {
        m_workspace->setDiversity(m_deltaBefore);
        m_workspace->restoreModified(m_sweepModified);
        m_play->setEnabled(true);
        Q_EMIT sweepFinished();
    });
    connect(m_play, &QPushButton::clicked, this, &PresentationWindow::playSweep);
    connect(m_workspace, &Workspace::userViewChanged, this, &PresentationWindow::refresh);
    connect(m_workspace, &Workspace::storyChanged, this, [this] {
        // A session opened meanwhile starts at its first story user; otherwise the user stays.
        if (storyIndex() < 0 && !m_workspace->story().empty() && m_storyId.empty())
            showStory(0);
        else
            refresh();
    });
    m_userBefore = m_workspace->currentUser();
    applyScale();
    showStory(0);
}

double PresentationWindow::scaleFor(const QSize &size)
{
    return std::clamp(std::min(size.width() / 1920.0, size.height() / 1080.0), 0.6, 1.5);
}

void PresentationWindow::applyScale()
{
    m_scale = scaleFor(size());
    const double s = m_scale;
    m_layout->setContentsMargins(static_cast<int>(kMargins[0] * s), static_cast<int>(kMargins[1] * s),
        static_cast<int>(kMargins[2] * s), static_cast<int>(kMargins[3] * s));
    m_layout->setSpacing(static_cast<int>(10 * s));
    for (QWidget *w : findChildren<QWidget *>()) {
        const QVariant base = w->property("reclensBasePt");
        if (!base.isValid())
            continue;
        QFont f = w->font();
        f.setPointSizeF(base.toDouble() * s);
        w->setFont(f);
    }
    for (QTableView *view : { m_leftView, m_rightView }) {
        QFont f = view->font();
        f.setPointSizeF(kListPt * s);
        view->setFont(f);
        QFont hf = view->horizontalHeader()->font();
        hf.setPointSizeF(kHeaderPt * s);
        view->horizontalHeader()->setFont(hf);
        const int row = std::max(18, static_cast<int>(std::lround(kRowHeight * s)));
        view->verticalHeader()->setDefaultSectionSize(row);
        view->setMinimumHeight(10 * row + view->horizontalHeader()->sizeHint().height() + 2 * view->frameWidth());
    }
    setPlotFontSize(m_mix, kPlotPt * s);
    setPlotFontSize(m_diversity, kPlotPt * s);
    fitColumns();
}

void PresentationWindow::fitColumns()
{
    // The same give-way order as Inspect's lists (fitListRow): the category chip shortens, then
    // becomes a swatch, then goes, until each title shows twenty characters.
    for (QTableView *view : { m_leftView, m_rightView }) {
        const QFontMetrics fm(view->font());
        ListRowInput in;
        in.rowWidth = view->width();
        in.lists = 1;
        in.spacing = 0;
        ListColumnNeeds &n = in.needs;
        n.title = listTitleNeed(view);
        n.rank = fm.horizontalAdvance(QStringLiteral("10")) + 16;
        n.categoryFull = static_cast<int>(300 * m_scale);
        n.categoryShort = std::max(fm.horizontalAdvance(QStringLiteral("GROCERY")) + 20,
                                   listHeadingNeed(view, RankingListModel::CategoryColumn));
        n.categorySwatch = fm.height() + 4;
        n.score = 0; // the room shows ranks, not scores
        n.hit = fm.horizontalAdvance(QStringLiteral("✔")) + 20;
        n.move = listMoveNeed(view, 16);
        n.frame = 2 * view->frameWidth();
        applyListRow(view, fitListRow(in));
    }
}

void PresentationWindow::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    if (std::abs(scaleFor(size()) - m_scale) > 0.01) {
        applyScale();
        refresh(); // the list headings' metric lines carry their type size in their HTML
    } else
        fitColumns();
}

int PresentationWindow::storyIndex() const
{
    const auto ds = m_workspace->dataset();
    const int32_t shown = m_workspace->view().user;
    if (!ds || shown < 0)
        return -1;
    const auto &story = m_workspace->story();
    for (size_t i = 0; i < story.size(); ++i)
        if (story[i].id == ds->user_external[static_cast<size_t>(shown)])
            return static_cast<int>(i);
    return -1;
}

void PresentationWindow::showStory(int index)
{
    const auto &story = m_workspace->story();
    if (story.empty()) {
        refresh();
        return;
    }
    const auto at = static_cast<size_t>(std::clamp(index, 0, static_cast<int>(story.size()) - 1));
    m_storyId = story[at].id;
    // Stepping through the story is not a change to the session.
    const bool modified = m_workspace->isModified();
    m_workspace->selectUserById(QString::fromStdString(m_storyId));
    m_workspace->restoreModified(modified);
    refresh();
}

void PresentationWindow::next()
{
    showStory(storyIndex() + 1);
}

void PresentationWindow::previous()
{
    const int i = storyIndex();
    showStory(i < 0 ? 0 : i - 1);
}

bool PresentationWindow::isPlaying() const
{
    return m_sweep->state() == QAbstractAnimation::Running;
}

void PresentationWindow::playSweep()
{
    if (isPlaying())
        return;
    m_deltaBefore = m_workspace->settings().rerank.diversity;
    m_sweepModified = m_workspace->isModified();
    for (int i = 0; i < m_sweep->animationCount(); ++i)
        static_cast<QVariantAnimation *>(m_sweep->animationAt(i))->setDuration(m_sweepMs / 2);
    m_play->setEnabled(false);
    m_sweep->start();
}

void PresentationWindow::refresh()
{
    const auto ds = m_workspace->dataset();
    const UserView &view = m_workspace->view();
    if (!ds || view.user < 0 || view.columns.size() < 2) {
        m_headline->setText(QStringLiteral("Open a session or a dataset with a model to present it."));
        return;
    }
    m_headline->setText(userHeadline(*ds, view));
    // The note of the user shown, and only of that one.
    const auto &story = m_workspace->story();
    const int index = storyIndex();
    const QString note = index >= 0 ? QString::fromStdString(story[static_cast<size_t>(index)].note) : QString();
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
    m_position->setText(index >= 0   ? QString::number(index + 1) + u" / "_qs + QString::number(story.size())
            : story.empty()          ? QStringLiteral("no story users pinned")
                                     : QStringLiteral("not a story user"));
    const ListColumn &a = view.columns[0], &b = view.columns[1];
    if (m_datasetShown != ds) {
        m_left->setDataset(ds, m_workspace->palette());
        m_right->setDataset(ds, m_workspace->palette());
        m_datasetShown = ds;
    }
    m_left->setList(a, view.level);
    m_right->setList(b, view.level);
    // A list's heading: its colour, its title, and its metrics in smaller type below.
    auto heading = [&](const ListColumn &c) -> QString {
        return u"<span style='color:"_qs + columnColor(c).name() + u"'>■</span> "_qs
            + QString::fromStdString(c.title).toHtmlEscaped() + u"<br><span style='font-size:"_qs
            + QString::number(13 * m_scale, 'f', 1) + u"pt;font-weight:normal'>"_qs
            + listMetricsLine(view, c).toHtmlEscaped() + u"</span>"_qs;
    };
    m_leftTitle->setText(heading(a));
    m_rightTitle->setText(heading(b));
    // Two lists only: model order and re-ranked (a second model stays in Inspect).
    UserView two = view;
    two.columns.resize(2);
    const size_t series = two.columns.size() + (ds->queries() ? 0 : 1);
    two.seriesNames.resize(std::min(two.seriesNames.size(), series));
    two.bars.shares.resize(std::min(two.bars.shares.size(), series));
    showCategoryMix(m_mix, *ds, m_workspace->palette(), two);
    showDiversityScores(m_diversity, *ds, two);
    setPlotFontSize(m_mix, kPlotPt * m_scale);
    setPlotFontSize(m_diversity, kPlotPt * m_scale);
    const double d = m_workspace->settings().rerank.diversity;
    m_delta->setText(u"<b>"_qs + QString::fromLatin1(rerank_method_name(m_workspace->settings().rerank.method).data()).toUpper()
        + u"  δ "_qs + QString::number(d, 'f', 2) + u"</b>   0 = the model's own order … 1 = most diverse"_qs);
}

void PresentationWindow::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Right:
    case Qt::Key_PageDown:
    case Qt::Key_Down:
        next();
        return;
    case Qt::Key_Left:
    case Qt::Key_PageUp:
    case Qt::Key_Up:
        previous();
        return;
    case Qt::Key_Space:
        playSweep();
        return;
    case Qt::Key_Escape:
    case Qt::Key_F11:
        close();
        return;
    default:
        QWidget::keyPressEvent(event);
    }
}

void PresentationWindow::closeEvent(QCloseEvent *event)
{
    if (isPlaying()) {
        m_sweep->stop();
        m_workspace->setDiversity(m_deltaBefore);
        m_workspace->restoreModified(m_sweepModified);
        m_play->setEnabled(true);
    }
    // Back to the user shown before, and the session as it was (presenting changes nothing).
    const bool modified = m_workspace->isModified();
    if (m_userBefore >= 0)
        m_workspace->selectUser(m_userBefore);
    m_workspace->restoreModified(modified);
    Q_EMIT closed();
    QWidget::closeEvent(event);
}

} // namespace reclens::ui
