#include "ui/pages/inspectpage.h"

#include "core/common/progress.h"
#include "ui/models/listlayout.h"
#include "ui/models/overlapmodel.h"
#include "ui/models/rankinglistmodel.h"
#include "ui/pages/plotdeck.h"
#include "ui/pages/viewplots.h"
#include "ui/plots/categoryplot.h"
#include "ui/plots/diversityplot.h"
#include "ui/plots/plotstyle.h"
#include "ui/plots/rocplot.h"
#include "ui/plots/tradeoffplot.h"
#include "ui/session/workspace.h"
#include "ui/widgets/chipdelegate.h"

#include <QComboBox>
#include <QDebug>
#include <QEvent>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QSignalBlocker>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace reclens::ui
{

InspectPage::InspectPage(Workspace *workspace, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(4);

    m_headline = new QLabel(QStringLiteral("No dataset open — File › Open dataset…"), this);
    m_headline->setObjectName(QStringLiteral("userHeadline"));
    layout->addWidget(m_headline);

    m_historyModel = new HistoryModel(this);
    m_history = new QListView(this);
    m_history->setModel(m_historyModel);
    m_history->setFlow(QListView::LeftToRight);
    m_history->setWrapping(false);
    m_history->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // scrolls with the wheel; keeps the strip slim
    m_history->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_history->setItemDelegate(new ChipDelegate(m_history, 190));
    m_history->setFixedHeight(30);
    m_history->setSpacing(1);
    m_history->setToolTip(QStringLiteral("Purchase history, most recent first"));
    auto *historyRow = new QHBoxLayout;
    m_historyLabel = new QLabel(QStringLiteral("History\n(recent first)"), this);
    m_historyLabel->setStyleSheet(QStringLiteral("color:#5a6370; font-size:8pt;"));
    historyRow->addWidget(m_historyLabel);
    historyRow->addWidget(m_history, 1);
    layout->addLayout(historyRow);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("listsPlotsSplitter"));
    m_splitter = splitter;
    m_listsBox = new QWidget(splitter);
    m_listsLayout = new QHBoxLayout(m_listsBox);
    m_listsLayout->setContentsMargins(0, 0, 0, 0);
    m_listsLayout->setSpacing(8);

    // Which column the rank moves are counted against, and how far every pair of lists agrees.
    m_compareBox = new QWidget(m_listsBox);
    m_compareBox->setFixedWidth(168);
    auto *cv = new QVBoxLayout(m_compareBox);
    cv->setContentsMargins(0, 0, 0, 0);
    cv->setSpacing(3);
    auto *compareTitle = new QLabel(QStringLiteral("Lists compared"), m_compareBox);
    compareTitle->setObjectName(QStringLiteral("listTitle"));
    cv->addWidget(compareTitle);
    auto *baselineLabel = new QLabel(QStringLiteral("rank moves (Δ) against"), m_compareBox);
    baselineLabel->setStyleSheet(QStringLiteral("color:#4a5360; font-size:8.5pt;"));
    cv->addWidget(baselineLabel);
    m_baseline = new QComboBox(m_compareBox);
    m_baseline->setObjectName(QStringLiteral("baselineColumn"));
    m_baseline->setToolTip(QStringLiteral("The list every other list's rank moves (▲ ▼ new) are counted against"));
    cv->addWidget(m_baseline);
    connect(m_baseline, &QComboBox::activated, this,
        [this](int i) { m_workspace->setBaselineColumn(m_baseline->itemData(i).toInt()); });
    m_overlapModel = new OverlapModel(this);
    m_overlapView = new QTableView(m_compareBox);
    m_overlapView->setObjectName(QStringLiteral("overlapTable"));
    m_overlapView->setModel(m_overlapModel);
    m_overlapView->verticalHeader()->hide();
    m_overlapView->verticalHeader()->setDefaultSectionSize(21);
    m_overlapView->setShowGrid(false);
    m_overlapView->setAlternatingRowColors(true);
    m_overlapView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_overlapView->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_overlapView->horizontalHeader()->setMinimumSectionSize(20);
    m_overlapView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_overlapView->horizontalHeader()->setSectionResizeMode(OverlapModel::JaccardColumn, QHeaderView::Stretch);
    m_overlapView->setToolTip(QStringLiteral("Overlap of each pair of lists: items in both, Jaccard and rank-biased "
                                             "overlap (p = 0.9). Bold: pairs with the baseline."));
    cv->addWidget(m_overlapView, 1);
    m_listsLayout->addWidget(m_compareBox);
    ensurePanels(3);
    m_listsBox->installEventFilter(this);

    m_categoryPlot = new CategoryPlot;
    m_diversityPlot = new DiversityPlot;
    m_rocPlot = new RocPlot;
    m_tradeoffPlot = new TradeoffPlot;
    m_categoryPlot->setObjectName(QStringLiteral("categoryPlot"));
    m_diversityPlot->setObjectName(QStringLiteral("diversityPlot"));
    m_rocPlot->setObjectName(QStringLiteral("rocPlot"));
    m_tradeoffPlot->setObjectName(QStringLiteral("tradeoffPlot"));
    // The category mix has its own level: the deepest level of a large tree spreads a history over
    // too many bars, so it starts at the top level (departments).
    m_barsLevel = new QComboBox(m_categoryPlot);
    m_barsLevel->setToolTip(QStringLiteral("Category level of this plot"));
    m_categoryPlot->installEventFilter(this);
    connect(m_barsLevel, &QComboBox::currentIndexChanged, this, [this](int i) {
        if (i >= 0)
            m_workspace->setBarsLevel(m_barsLevel->itemData(i).toInt());
    });
    // The ROC's universe: every item (the model's whole ranking) or the candidate pool, where
    // re-ranking acts (re-ranking the top K barely moves the curve over every item).
    m_rocScope = new QComboBox(m_rocPlot);
    m_rocScope->addItem(QStringLiteral("all items"), static_cast<int>(Workspace::RocScope::items));
    m_rocScope->addItem(QStringLiteral("candidate pool"), static_cast<int>(Workspace::RocScope::pool));
    m_rocScope->setToolTip(QStringLiteral(
        "All items: each list's items first, then every other item outside the history in model order.\n"
        "Candidate pool: only the top-pool candidates the re-ranker chooses from: the list first, then the "
        "rest of the pool in model order. Re-ranking acts here."));
    m_rocScope->adjustSize();
    m_rocPlot->installEventFilter(this);
    connect(m_rocScope, &QComboBox::currentIndexChanged, this, [this](int i) {
        if (i >= 0)
            m_workspace->setRocScope(static_cast<Workspace::RocScope>(m_rocScope->itemData(i).toInt()));
    });
    connect(m_workspace, &Workspace::rocScopeChanged, this, [this] {
        const QSignalBlocker block(m_rocScope);
        m_rocScope->setCurrentIndex(m_rocScope->findData(static_cast<int>(m_workspace->rocScope())));
        applyRoc();
    });
    m_plots = new PlotDeck(m_categoryPlot, m_diversityPlot, m_rocPlot, m_tradeoffPlot, splitter);
    splitter->addWidget(m_listsBox);
    splitter->addWidget(m_plots);
    // The lists keep the height of their rows and the plots take what is left, until the user
    // moves the handle: then the place is remembered (QSettings "inspect/splitter").
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    splitter->restoreState(QSettings().value(QStringLiteral("inspect/splitter")).toByteArray());
    connect(splitter, &QSplitter::splitterMoved, this,
        [splitter] { QSettings().setValue(QStringLiteral("inspect/splitter"), splitter->saveState()); });
    layout->addWidget(splitter, 1);

    m_historyModel->setTooltipProvider([this](int32_t item) {
        const auto ds = m_workspace->dataset();
        return ds ? itemTooltip(*ds, item, m_workspace->similarHistory(item, 3)) : QString();
    });

    connect(m_workspace, &Workspace::datasetChanged, this, &InspectPage::onDatasetChanged);
    connect(m_workspace, &Workspace::userViewChanged, this, &InspectPage::applyView);
    const Analysis *analysis = m_workspace->analysis();
    connect(analysis, &Analysis::pooledRocAvailable, this, [this](const std::vector<reclens::RocCurve> &curves) {
        m_pooledRoc = curves;
        applyRoc();
    });
    connect(analysis, &Analysis::sweepAvailable, this, &InspectPage::applySweep);
    connect(analysis, &Analysis::jobStarted, this, [this](Analysis::Job job) {
        if (job == Analysis::Job::sweep)
            m_tradeoffPlot->setStatus(QStringLiteral("computing the δ sweep over all users…"));
    });
    connect(analysis, &Analysis::jobFailed, this, [this](Analysis::Job job) {
        if (job == Analysis::Job::sweep)
            m_tradeoffPlot->setStatus(QStringLiteral("sweep failed"));
    });
    connect(m_workspace, &Workspace::settingsChanged, this,
        [this] { m_tradeoffPlot->setCurrentDelta(m_workspace->settings().rerank.diversity); });
}

InspectPage::ListPanel InspectPage::makeListPanel()
{
    ListPanel p;
    p.box = new QWidget;
    auto *v = new QVBoxLayout(p.box);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(2);
    p.title = new QLabel(p.box);
    p.title->setObjectName(QStringLiteral("listTitle"));
    // Long titles and metric lines are cut rather than widen the window (four lists side by side);
    // the tooltip has them whole.
    p.title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    p.metrics = new QLabel(p.box);
    p.metrics->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    p.metrics->setStyleSheet(QStringLiteral("color:#4a5360; font-size:8.5pt;"));
    p.metrics->setTextInteractionFlags(Qt::TextSelectableByMouse);
    p.model = new RankingListModel(p.box);
    p.table = new QTableView(p.box);
    p.table->setModel(p.model);
    p.table->setItemDelegateForColumn(RankingListModel::CategoryColumn, new ChipDelegate(p.table));
    p.table->verticalHeader()->hide();
    p.table->verticalHeader()->setDefaultSectionSize(23);
    p.table->setSelectionBehavior(QAbstractItemView::SelectRows);
    p.table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    p.table->setShowGrid(false);
    p.table->setAlternatingRowColors(true);
    p.table->setWordWrap(false);
    p.table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Ten rows and the header visible without scrolling (K = 10 is the default list length).
    p.table->setMinimumHeight(10 * 23 + 26);
    QHeaderView *h = p.table->horizontalHeader();
    h->setMinimumSectionSize(24);
    h->setSectionResizeMode(QHeaderView::Interactive);
    h->setSectionResizeMode(RankingListModel::TitleColumn, QHeaderView::Stretch);
    h->resizeSection(RankingListModel::RankColumn, 28);
    h->resizeSection(RankingListModel::CategoryColumn, 112);
    h->resizeSection(RankingListModel::BrandColumn, 96);
    h->resizeSection(RankingListModel::PriceColumn, 46);
    h->resizeSection(RankingListModel::ScoreColumn, 50);
    h->resizeSection(RankingListModel::HitColumn, 30);
    h->resizeSection(RankingListModel::MoveColumn, 54);
    v->addWidget(p.title);
    v->addWidget(p.metrics);
    v->addWidget(p.table, 1);
    return p;
}

void InspectPage::ensurePanels(size_t count)
{
    while (m_lists.size() < count) {
        ListPanel panel = makeListPanel();
        panel.box->setParent(m_listsBox);
        // Before the comparison box, which stays at the right.
        m_listsLayout->insertWidget(static_cast<int>(m_lists.size()), panel.box, 1);
        panel.box->hide();
        panel.model->setTooltipProvider([this](int32_t item) {
            const auto ds = m_workspace->dataset();
            return ds ? itemTooltip(*ds, item, m_workspace->similarHistory(item, 3)) : QString();
        });
        if (const auto ds = m_workspace->dataset())
            panel.model->setDataset(ds, m_workspace->palette());
        m_lists.push_back(panel);
    }
}

RankingListModel *InspectPage::listModel(int column) const
{
    return column >= 0 && static_cast<size_t>(column) < m_lists.size() ? m_lists[static_cast<size_t>(column)].model
                                                                       : nullptr;
}

QTableView *InspectPage::listTable(int column) const
{
    return column >= 0 && static_cast<size_t>(column) < m_lists.size() ? m_lists[static_cast<size_t>(column)].table
                                                                       : nullptr;
}

int InspectPage::visibleListCount() const
{
    return static_cast<int>(m_workspace->view().columns.size());
}

void InspectPage::onDatasetChanged()
{
    const auto ds = m_workspace->dataset();
    m_historyModel->setDataset(ds, m_workspace->palette());
    for (ListPanel &p : m_lists)
        p.model->setDataset(ds, m_workspace->palette());
    m_categoryPlot->clearBars();
    m_rocPlot->setCurves({});
    m_tradeoffPlot->setCurve({}, QStringLiteral("ild"), QStringLiteral("ndcg"));
    m_tradeoffPlot->setStatus(QStringLiteral("waiting for the all-user evaluation…"));
    m_tradeoffPlot->setRequestsName(ds && ds->queries() ? QStringLiteral("queries") : QStringLiteral("users"));
    {
        const QSignalBlocker block(m_barsLevel);
        m_barsLevel->clear();
        for (int l = 1; ds && l <= ds->category_levels; ++l)
            m_barsLevel->addItem(u"level "_qs + QString::number(l), l);
        m_barsLevel->adjustSize();
        positionLevelBox();
    }
    if (ds && m_workspace->sources().empty())
        m_headline->setText(QStringLiteral("Dataset open — add a model or a run (File › Add model… / Add run…) to see "
                                           "rankings"));
}

void InspectPage::applyView()
{
    Stopwatch watch;
    const UserView &view = m_workspace->view();
    const auto ds = m_workspace->dataset();
    if (!ds || view.user < 0)
        return;
    const bool queries = ds->queries();
    m_headline->setText(userHeadline(*ds, view));
    m_historyLabel->setVisible(!queries);
    m_history->setVisible(!queries);
    m_historyModel->setItems(view.history);

    ensurePanels(view.columns.size());
    for (size_t i = 0; i < m_lists.size(); ++i) {
        ListPanel &p = m_lists[i];
        if (i >= view.columns.size()) {
            p.box->hide();
            p.model->clear();
            continue;
        }
        const ListColumn &c = view.columns[i];
        p.box->show();
        p.model->setList(c, view.level);
        const bool baseline = static_cast<int>(i) == view.baseline;
        p.title->setText(u"<span style='color:"_qs + columnColor(c).name() + u"'>■</span> <b>"_qs + columnTag(i)
            + u"</b> "_qs + QString::fromStdString(c.title).toHtmlEscaped()
            + (baseline && view.columns.size() > 2 ? u" <span style='color:#7a828e'>(baseline)</span>"_qs : QString()));
        p.title->setToolTip(QString::fromStdString(c.title));
        p.metrics->setToolTip(p.metrics->text());
        p.metrics->setText(listMetricsLine(view, c));
    }

    relayoutLists();

    QStringList titles;
    for (const ListColumn &c : view.columns)
        titles << QString::fromStdString(c.title);
    m_overlapModel->setView(view, titles);
    {
        const QSignalBlocker block(m_baseline);
        m_baseline->clear();
        for (size_t i = 0; i < view.columns.size(); ++i)
            m_baseline->addItem(columnTag(i) + u"  "_qs + titles[static_cast<int>(i)], static_cast<int>(i));
        m_baseline->setCurrentIndex(view.baseline);
    }

    showCategoryMix(m_categoryPlot, *ds, m_workspace->palette(), view);
    {
        const QSignalBlocker block(m_barsLevel);
        m_barsLevel->setCurrentIndex(m_barsLevel->findData(view.barsLevel));
    }

    showDiversityScores(m_diversityPlot, *ds, view);
    applyRoc();
    m_tradeoffPlot->setCurrentDelta(m_workspace->settings().rerank.diversity);

    m_lastApplyMs = watch.elapsed_ms() + view.elapsedMs;
    Q_EMIT viewApplied(m_lastApplyMs);
}

int InspectPage::titleNeed() const
{
    // Twenty characters of a product title in the lists' font, or of the widest title shown when
    // one is wider, plus the cell's margins.
    const QTableView *table = m_lists.front().table;
    const QFontMetrics fm(table->font());
    int widest = 0;
    for (int i = 0; i < visibleListCount() && static_cast<size_t>(i) < m_lists.size(); ++i) {
        const RankingListModel *m = m_lists[static_cast<size_t>(i)].model;
        for (int r = 0; r < m->rowCount(); ++r)
            widest = std::max(widest,
                fm.horizontalAdvance(m->index(r, RankingListModel::TitleColumn).data().toString().left(kTitleChars)));
    }
    return listTitleNeed(table, widest);
}

void InspectPage::relayoutLists()
{
    const int n = visibleListCount();
    const auto ds = m_workspace->dataset();
    if (n <= 0 || !ds || m_lists.empty())
        return;
    const QTableView *table = m_lists.front().table;
    const QFontMetrics fm(table->font());
    const auto &view = m_workspace->view();
    const bool graded = std::any_of(view.columns.begin(), view.columns.end(), [](const ListColumn &c) { return !c.grade.empty(); });
    const bool hasPrices
        = std::any_of(ds->item_price.begin(), ds->item_price.end(), [](double p) { return std::isfinite(p); });
    ListRowInput in;
    in.rowWidth = m_listsBox->width();
    in.lists = n;
    in.spacing = m_listsLayout->spacing();
    in.compareWidth = m_compareBox->width();
    ListColumnNeeds &needs = in.needs;
    needs.title = titleNeed();
    needs.rank = fm.horizontalAdvance(QString(QString::number(std::max(10, m_workspace->settings().rerank.k)).size(), u'0')) + 10;
    needs.score = fm.horizontalAdvance(QStringLiteral("0.000")) + 12;
    needs.hit = fm.horizontalAdvance(graded ? QStringLiteral("✔ 2") : QStringLiteral("✔")) + 10;
    needs.move = std::max(fm.horizontalAdvance(QStringLiteral("▼10")), fm.horizontalAdvance(QStringLiteral("new"))) + 10;
    needs.brand = ds->brands.empty() ? 0 : 96;
    needs.price = hasPrices ? fm.horizontalAdvance(QStringLiteral("12.99")) + 12 : 0;
    // The table's frame and room for a scroll bar (a list longer than the rows shown has one).
    needs.frame = 2 * table->frameWidth() + table->verticalScrollBar()->sizeHint().width();
    m_rowLayout = fitListRow(in);
    const ListRowLayout &l = m_rowLayout;
    for (int i = 0; i < n && static_cast<size_t>(i) < m_lists.size(); ++i)
        applyListRow(m_lists[static_cast<size_t>(i)].table, l);
    // The comparison panel: in the row while there is room, else a tab beside the plots.
    if (l.compareInRow && m_plots->extraPanel() == m_compareBox) {
        m_plots->setExtraPanel(nullptr, QString());
        m_compareBox->setParent(m_listsBox);
        m_listsLayout->addWidget(m_compareBox);
        m_compareBox->show();
    } else if (!l.compareInRow && m_plots->extraPanel() != m_compareBox) {
        m_listsLayout->removeWidget(m_compareBox);
        m_plots->setExtraPanel(m_compareBox, QStringLiteral("Lists compared"));
    }
}

bool InspectPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_listsBox && event->type() == QEvent::Resize) {
        relayoutLists();
        return QWidget::eventFilter(watched, event);
    }
    if ((watched == m_categoryPlot || watched == m_rocPlot) && event->type() == QEvent::Resize)
        positionLevelBox();
    return QWidget::eventFilter(watched, event);
}

void InspectPage::positionLevelBox()
{
    m_barsLevel->move(m_categoryPlot->width() - m_barsLevel->width() - 6, 2);
    m_rocScope->move(m_rocPlot->width() - m_rocScope->width() - 6, 2);
}

void InspectPage::applyRoc()
{
    const UserView &view = m_workspace->view();
    const bool pool = m_workspace->rocScope() == Workspace::RocScope::pool;
    // A run's ROC (DESIGN §11): its listed items by rank, every unlisted item tied below them.
    const bool run = !m_workspace->sources().empty() && m_workspace->sources().front().isRun();
    const bool queries = m_workspace->requestKind() == RequestKind::queries;
    std::vector<RocPlot::Curve> curves;
    const auto &sources = m_workspace->sources();
    auto sourceName = [&](size_t s) {
        return s < sources.size() ? QString::fromStdString(sources[s].name()) : QStringLiteral("source");
    };
    for (const ListColumn &c : view.columns) {
        RocPlot::Curve curve;
        const QString who = queries ? QStringLiteral("this query") : QStringLiteral("this user");
        curve.name = who
            + (c.role == ListColumn::Role::Reranked         ? QStringLiteral(", re-ranked")
                    : c.role == ListColumn::Role::ModelOrder ? (run ? QStringLiteral(", run order") : QStringLiteral(", model order"))
                                                             : u", "_qs + sourceName(c.source));
        const reclens::RocCurve &roc = pool ? c.poolRoc : c.roc;
        curve.fpr = roc.fpr;
        curve.tpr = roc.tpr;
        curve.auc = roc.auc;
        curve.color = columnColor(c);
        curves.push_back(std::move(curve));
    }
    if (pool) {
        // Only the pool the re-ranker chooses from: the pooled all-user curves are over all items.
        m_rocPlot->setNote(u"top "_qs + QString::number(m_workspace->settings().pool)
            + u" candidates only: the list, then the rest of the pool in model order"_qs);
        m_rocPlot->setTitle(queries ? QStringLiteral("ROC, candidate pool — this query")
                                    : QStringLiteral("ROC, candidate pool — this user"));
        m_rocPlot->setCurves(curves);
        return;
    }
    m_rocPlot->setNote(run ? QStringLiteral("run: listed items by rank, unlisted items tied below") : QString());
    m_rocPlot->setTitle(queries ? QStringLiteral("ROC, all items — this query and all queries")
                                : QStringLiteral("ROC, all items — this user and all users"));
    const auto &pooled = m_pooledRoc;
    for (size_t m = 0; m < pooled.size(); ++m) {
        const auto shown = std::find_if(view.columns.begin(), view.columns.end(),
            [m](const ListColumn &c) { return c.role == ListColumn::Role::OtherSource && c.source == m; });
        if (pooled[m].fpr.empty() || (m > 0 && shown == view.columns.end()))
            continue;
        RocPlot::Curve curve;
        // The pooled curve describes the model's scores, never a re-ranked list's (DESIGN §5).
        curve.name = m == 0 ? (queries ? QStringLiteral("pooled, all queries, model scores")
                                       : QStringLiteral("pooled, all users, model scores"))
                            : u"pooled, "_qs + sourceName(m) + u", model scores"_qs;
        curve.fpr = pooled[m].fpr;
        curve.tpr = pooled[m].tpr;
        curve.auc = pooled[m].auc;
        curve.color = m == 0 ? SeriesColors::pooled() : columnColor(*shown).lighter(130);
        curve.dashed = true;
        curves.push_back(std::move(curve));
    }
    m_rocPlot->setCurves(curves);
}

void InspectPage::applySweep(const SweepResult &sweep)
{
    m_tradeoffPlot->setCurve(
        sweep.curve, QString::fromStdString(sweep.diversityMetric), QString::fromStdString(sweep.accuracyMetric));
    m_tradeoffPlot->setCurrentDelta(m_workspace->settings().rerank.diversity);
    m_tradeoffPlot->setStatus(sweep.curve.delta.empty() ? QStringLiteral("no sweep yet") : QString());
}

} // namespace reclens::ui
