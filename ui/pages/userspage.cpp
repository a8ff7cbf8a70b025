#include "ui/pages/userspage.h"

#include "ui/models/usertablemodel.h"
#include "ui/session/workspace.h"

#include <QCheckBox>
#include <QEvent>
#include <QStyle>
#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSet>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

namespace reclens::ui
{

UsersPage::UsersPage(Workspace *workspace, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
{
    m_model = new UserTableModel(this);
    m_proxy = new UserFilterProxy(this);
    m_proxy->setSourceModel(m_model);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    m_requests = new QComboBox(this);
    m_requests->addItem(QStringLiteral("Users"), static_cast<int>(RequestKind::users));
    m_requests->addItem(QStringLiteral("Queries"), static_cast<int>(RequestKind::queries));
    m_requests->setToolTip(QStringLiteral("Requests: the dataset's users, or the queries of a search dataset "
                                          "(made by 'reclens-cli import queries'; runs only)"));
    m_requests->setEnabled(false);
    layout->addWidget(m_requests);
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(QStringLiteral("Search user id…"));
    m_search->setClearButtonEnabled(true);
    layout->addWidget(m_search);

    auto *filters = new QHBoxLayout;
    m_segment = new QComboBox(this);
    m_segment->setToolTip(QStringLiteral("Show one segment only"));
    m_evaluatedOnly = new QCheckBox(QStringLiteral("with test items"), this);
    m_evaluatedOnly->setChecked(true);
    m_evaluatedOnly->setToolTip(QStringLiteral("Only users with held-out test items (the evaluated users)"));
    filters->addWidget(m_segment, 1);
    filters->addWidget(m_evaluatedOnly);
    layout->addLayout(filters);

    auto *worst = new QHBoxLayout;
    m_worstMetric = new QComboBox(this);
    for (int id = 0; id < kUserMetricCount; ++id) {
        const auto name = metric_name(static_cast<MetricId>(id));
        m_worstMetric->addItem(QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size())));
    }
    m_worstMetric->setCurrentText(QStringLiteral("ndcg"));
    auto *worstButton = new QPushButton(QStringLiteral("Worst first"), this);
    worstButton->setToolTip(QStringLiteral("Sort so the users with the worst value of this metric come first"));
    worst->addWidget(m_worstMetric, 1);
    worst->addWidget(worstButton);
    layout->addLayout(worst);

    m_view = new QTableView(this);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setShowGrid(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(21);
    m_view->horizontalHeader()->setDefaultSectionSize(56);
    m_view->horizontalHeader()->setMinimumSectionSize(30);
    m_view->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->sortByColumn(UserTableModel::IdColumn, Qt::AscendingOrder);
    m_view->installEventFilter(this);
    layout->addWidget(m_view, 1);

    connect(m_search, &QLineEdit::textChanged, m_proxy, &UserFilterProxy::setSearch);
    connect(m_requests, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_workspace->setRequestKind(static_cast<RequestKind>(m_requests->itemData(i).toInt()));
    });
    connect(m_segment, &QComboBox::currentIndexChanged, this,
        [this](int i) { m_proxy->setSegment(i <= 0 ? QString() : m_segment->itemText(i)); });
    connect(m_evaluatedOnly, &QCheckBox::toggled, m_proxy, &UserFilterProxy::setEvaluatedOnly);
    m_proxy->setEvaluatedOnly(true);
    connect(worstButton, &QPushButton::clicked, this, [this] { showWorstFirst(m_worstMetric->currentText()); });
    connect(m_worstMetric, &QComboBox::currentIndexChanged, this, &UsersPage::showMetricColumns);
    connect(m_view->horizontalHeader(), &QHeaderView::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu menu;
        for (int c = 0; c < m_model->columnCount(); ++c) {
            QAction *a = menu.addAction(m_model->headerData(c, Qt::Horizontal).toString());
            a->setCheckable(true);
            a->setChecked(!m_view->isColumnHidden(c));
            connect(a, &QAction::toggled, this, [this, c](bool on) { m_view->setColumnHidden(c, !on); });
        }
        menu.exec(m_view->horizontalHeader()->mapToGlobal(pos));
    });
    // Right-click a row: pin that user to the story (DESIGN §10).
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QTableView::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex index = m_view->indexAt(pos);
        const auto ds = m_workspace->dataset();
        if (!index.isValid() || !ds)
            return;
        const int u = index.data(UserTableModel::UserIndexRole).toInt();
        if (u < 0 || u >= ds->n_users())
            return;
        const QString id = QString::fromStdString(ds->user_external[static_cast<size_t>(u)]);
        QMenu menu;
        menu.addAction(u"Pin "_qs + id + u" to the story"_qs, this, [this, id] { m_workspace->pinUser(id); });
        menu.exec(m_view->viewport()->mapToGlobal(pos));
    });
    connect(
        m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
            if (m_selecting || !current.isValid())
                return;
            m_workspace->selectUser(current.data(UserTableModel::UserIndexRole).toInt());
        });
    connect(m_workspace, &Workspace::datasetChanged, this, &UsersPage::onDatasetChanged);
    connect(m_workspace->analysis(), &Analysis::runsAvailable, this, &UsersPage::onRuns);
    connect(m_workspace, &Workspace::userViewChanged, this, &UsersPage::selectCurrentUser);
    showMetricColumns(m_worstMetric->currentIndex());
}

void UsersPage::onDatasetChanged()
{
    const auto ds = m_workspace->dataset();
    m_model->setDataset(ds);
    {
        const QSignalBlocker block(m_requests);
        m_requests->setCurrentIndex(ds && ds->queries() ? 1 : 0);
        m_requests->setEnabled(m_workspace->datasetHasQueries());
        m_requests->setVisible(m_workspace->datasetHasQueries());
    }
    const bool queries = ds && ds->queries();
    m_search->setPlaceholderText(queries ? QStringLiteral("Search query id or text…") : QStringLiteral("Search user id…"));
    m_evaluatedOnly->setText(queries ? QStringLiteral("judged") : QStringLiteral("with test items"));
    m_evaluatedOnly->setToolTip(queries ? QStringLiteral("Only queries with a relevant judged item")
                                        : QStringLiteral("Only users with held-out test items (the evaluated users)"));
    QSet<QString> segments;
    if (ds) {
        for (const std::string &s : ds->user_segment) {
            if (!s.empty())
                segments.insert(QString::fromStdString(s));
        }
    }
    QStringList sorted(segments.begin(), segments.end());
    sorted.sort();
    const QSignalBlocker block(m_segment);
    m_segment->clear();
    m_segment->addItem(QStringLiteral("All segments"));
    m_segment->addItems(sorted);
    m_segment->setEnabled(!sorted.isEmpty());
    m_proxy->setSegment({});
    // A query reads as its text; it has no segment or history.
    m_view->setColumnHidden(UserTableModel::SegmentColumn, queries);
    m_view->setColumnHidden(UserTableModel::HistoryColumn, queries);
    fitColumns();
}

void UsersPage::fitColumns()
{
    // Each number column as wide as its widest number and its header, so no number is cut; where
    // the dock is narrower than all of them, the segment gives way first, then the history (the
    // segment stays a filter above, and the headline says both). Right-click the header to show any.
    const auto ds = m_workspace->dataset();
    const bool queries = ds && ds->queries();
    const QFontMetrics fm(m_view->font());
    const QFontMetrics header(m_view->horizontalHeader()->font());
    const int pad = 2 * (m_view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, m_view) + 1) + 4;
    const int sortArrow = 14;
    auto numberWidth = [&](int column, const QString &widest) {
        const QString title = m_model->headerData(column, Qt::Horizontal).toString();
        return std::max(fm.horizontalAdvance(widest), header.horizontalAdvance(title) + sortArrow) + pad;
    };
    int idWidth = queries ? 200 : numberWidth(UserTableModel::IdColumn, QStringLiteral("00000"));
    if (!queries && ds)
        for (int32_t u = 0; u < ds->n_users(); u += std::max(1, ds->n_users() / 200))
            idWidth = std::max(idWidth, fm.horizontalAdvance(QString::fromStdString(ds->user_external[static_cast<size_t>(u)])) + pad);
    m_view->setColumnWidth(UserTableModel::IdColumn, idWidth);
    m_view->setColumnWidth(UserTableModel::HistoryColumn, numberWidth(UserTableModel::HistoryColumn, QStringLiteral("000")));
    m_view->setColumnWidth(UserTableModel::TestColumn, numberWidth(UserTableModel::TestColumn, QStringLiteral("00")));
    for (int c = UserTableModel::FirstMetricColumn; c < m_model->columnCount(); ++c)
        m_view->setColumnWidth(c, numberWidth(c, QStringLiteral("−0.000")));
    m_view->setColumnWidth(UserTableModel::SegmentColumn, fm.horizontalAdvance(QStringLiteral("2 Adults Kids")) + pad);
    // What the shown columns need against what the view has.
    auto needed = [&] {
        int sum = 0;
        for (int c = 0; c < m_model->columnCount(); ++c)
            sum += m_view->isColumnHidden(c) ? 0 : m_view->columnWidth(c);
        return sum;
    };
    const int room = m_view->viewport()->width();
    m_view->setColumnHidden(UserTableModel::SegmentColumn, queries);
    m_view->setColumnHidden(UserTableModel::HistoryColumn, queries);
    if (needed() > room)
        m_view->setColumnHidden(UserTableModel::SegmentColumn, true);
    if (needed() > room)
        m_view->setColumnHidden(UserTableModel::HistoryColumn, true);
}

bool UsersPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view && event->type() == QEvent::Resize)
        fitColumns();
    return QWidget::eventFilter(watched, event);
}

void UsersPage::onRuns(const GlobalRuns &runs)
{
    if (!runs.base) {
        m_model->clearMetrics();
    } else {
        // Both runs evaluate the same users in the same (ascending) order.
        const bool paired = runs.reranked && runs.reranked->users == runs.base->users;
        m_model->setMetrics(
            runs.base->users, runs.base->per_user, paired ? runs.reranked->per_user : std::vector<UserMetrics> {});
    }
    selectCurrentUser();
}

void UsersPage::showMetricColumns(int metricIndex)
{
    for (int c = UserTableModel::FirstMetricColumn; c < m_model->columnCount(); ++c) {
        const int id = (c - UserTableModel::FirstMetricColumn) / 2;
        m_view->setColumnHidden(c, id != metricIndex && id != static_cast<int>(MetricId::ndcg));
    }
    fitColumns();
}

void UsersPage::showWorstFirst(const QString &metric)
{
    const int index = m_worstMetric->findText(metric);
    if (index < 0)
        return;
    m_worstMetric->setCurrentIndex(index);
    showMetricColumns(index);
    const MetricInfo *info = find_metric(metric.toStdString());
    const bool higherIsBetter = info ? info->higher_is_better : true;
    m_view->sortByColumn(UserTableModel::metricColumn(static_cast<MetricId>(index)),
        higherIsBetter ? Qt::AscendingOrder : Qt::DescendingOrder);
    m_view->scrollToTop();
}

void UsersPage::selectCurrentUser()
{
    const int row = m_model->rowOfUser(m_workspace->currentUser());
    if (row < 0)
        return;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid() || m_view->currentIndex().row() == index.row())
        return;
    m_selecting = true;
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
    m_selecting = false;
}

} // namespace reclens::ui
