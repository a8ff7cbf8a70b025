#include "ui/pages/summarypage.h"

#include "ui/models/tableexport.h"

#include "ui/models/summarymodel.h"
#include "ui/pages/viewplots.h"
#include "ui/plots/modelmapplot.h"
#include "ui/session/workspace.h"

#include <QGridLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>
#include <cmath>

namespace reclens::ui
{

namespace
{
QTableView *makeTable(QAbstractItemModel *model, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(21);
    view->setAlternatingRowColors(true);
    view->setShowGrid(false);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    view->horizontalHeader()->setDefaultAlignment(Qt::AlignCenter);
    view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    return view;
}
QStandardItem *cell(const QString &text, bool right = true)
{
    auto *item = new QStandardItem(text);
    if (right)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}
QString num(double v)
{
    return std::isnan(v) ? QStringLiteral("–") : QString::number(v, 'f', 4);
}
// A number shown rounded and exported exact (ExportRole).
QStandardItem *numCell(double v)
{
    QStandardItem *item = cell(num(v));
    item->setData(v, ExportRole);
    return item;
}
QStandardItem *countCell(qlonglong n)
{
    QStandardItem *item = cell(QString::number(n));
    item->setData(n, ExportRole);
    return item;
}
} // namespace

SummaryPage::SummaryPage(Workspace *workspace, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
{
    m_model = new SummaryModel(this);
    m_popularity = new QStandardItemModel(this);
    m_activity = new QStandardItemModel(this);
    m_segments = new QStandardItemModel(this);

    auto *layout = new QVBoxLayout(this);
    m_header = new QLabel(QStringLiteral("Waiting for the all-user evaluation…"), this);
    m_header->setWordWrap(true);
    layout->addWidget(m_header);

    auto *metricsBox
        = new QGroupBox(QStringLiteral("Global metrics (mean over evaluated users; aggregates over all lists)"), this);
    auto *mb = new QVBoxLayout(metricsBox);
    auto *metricsView = makeTable(m_model, metricsBox);
    metricsView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    metricsView->horizontalHeader()->setStretchLastSection(true);
    m_metricsView = metricsView;
    mb->addWidget(metricsView);
    // Beside the numbers, the models as points: accuracy against personalization and coverage.
    auto *top = new QHBoxLayout;
    top->addWidget(metricsBox, 3);
    auto *mapsBox = new QGroupBox(QStringLiteral("Models as points (the arrow: what re-ranking buys and costs)"), this);
    auto *maps = new QVBoxLayout(mapsBox);
    m_personalizationMap = new ModelMapPlot(mapsBox);
    m_coverageMap = new ModelMapPlot(mapsBox);
    m_personalizationMap->setMinimumSize(360, 200);
    m_coverageMap->setMinimumSize(360, 200);
    maps->addWidget(m_personalizationMap);
    maps->addWidget(m_coverageMap);
    top->addWidget(mapsBox, 2);
    layout->addLayout(top, 3);

    auto *strata = new QHBoxLayout;
    for (auto [title, model] :
        { std::pair { QStringLiteral("Item popularity (head = items with 80% of interactions)"), m_popularity },
            std::pair { QStringLiteral("User activity terciles (train interactions)"), m_activity },
            std::pair { QStringLiteral("User segments"), m_segments } }) {
        auto *box = new QGroupBox(title, this);
        if (model != m_popularity)
            m_userStrataBoxes << box;
        auto *v = new QVBoxLayout(box);
        m_strataViews << makeTable(model, box);
        v->addWidget(m_strataViews.back());
        strata->addWidget(box, 1);
    }
    layout->addLayout(strata, 2);
    const Analysis *analysis = m_workspace->analysis();
    connect(analysis, &Analysis::runsAvailable, this, &SummaryPage::onRuns);
    connect(analysis, &Analysis::estimatesAvailable, this, &SummaryPage::onEstimates);
    connect(analysis, &Analysis::jobStarted, this, [this](Analysis::Job job) {
        if (job == Analysis::Job::evaluation)
            m_header->setText(QStringLiteral("Evaluating all users for the current settings…"));
    });
}

void SummaryPage::onEstimates(const WorkspaceEstimates &estimates)
{
    // The exact numbers of the current settings stay once they are there.
    const Analysis *analysis = m_workspace->analysis();
    if (analysis->runsAreCurrent() || !analysis->estimatesAreCurrent())
        return;
    m_model->setEstimates(estimates);
    const bool queries = m_workspace->requestKind() == RequestKind::queries;
    m_header->setText(u"Estimate from a sample: "_qs + QString::number(estimates.reranked.sample) + u" of "_qs
        + QString::number(estimates.reranked.population) + (queries ? u" queries"_qs : u" users"_qs)
        + u" (seeded uniform sample), each mean ≈ value ± half-width of its 95% interval (\"rough\" where fewer than "_qs
        + QString::number(kEstimateMinOffMode)
        + u" sample users differ from the most common value: that interval covers less often); aggregates that a "
          "sample cannot say (coverage, Gini, personalization, pooled AUC) read …. The exact values replace them "
          "when the all-user run is done."_qs);
}

void SummaryPage::onRuns(const GlobalRuns &runs)
{
    m_model->setRuns(runs);
    showModelMap(m_personalizationMap, runs, "personalization");
    showModelMap(m_coverageMap, runs, "catalog_coverage");
    m_popularity->clear();
    m_activity->clear();
    m_segments->clear();
    if (!runs.base || !runs.reranked) {
        m_header->setText(QStringLiteral("Waiting for the all-user evaluation…"));
        return;
    }
    const auto &r = *runs.reranked;
    const bool queries = r.requests == "queries";
    for (QWidget *box : std::as_const(m_userStrataBoxes))
        box->setVisible(!queries);
    m_header->setText(QString::fromUtf8(r.from_run ? "Run order" : "Model order") + u" vs re-ranked ("_qs
        + QString::fromUtf8(rerank_method_name(r.rerank.method).data())
        + u", δ "_qs + QString::number(r.rerank.diversity, 'f', 2) + u") over "_qs + QString::number(r.users.size())
        + (queries ? u" queries"_qs : u" users"_qs)
        + (r.conventions == "trec_eval" ? u" (judged; accuracy by trec_eval's conventions)"_qs : QString())
        + u", K = "_qs + QString::number(r.k) + u", device "_qs + QString::fromStdString(r.device)
        + u". p-values: paired t-test and Wilcoxon signed-rank; CI: bootstrap of the mean difference (1000 resamples)."_qs
        + (runs.others.empty() ? QString()
                               : u" Compared sources (their own order) against the model order: raw p-values, and "
                                 "Holm-corrected ones over the family of "_qs
                + (runs.others.size() == 1 ? u"one source (equal to the raw ones)"_qs
                                           : QString::number(runs.others.size()) + u" compared sources"_qs)
                + u" (per metric and test)."_qs));

    m_popularity->setHorizontalHeaderLabels({ QStringLiteral("stratum"), QStringLiteral("items"),
        QStringLiteral("recall\norder"), QStringLiteral("recall\nre-rank"), QStringLiteral("hit rate\norder"),
        QStringLiteral("hit rate\nre-rank") });
    auto addPopularity = [&](const QString &name, const PopularityStratum &a, const PopularityStratum &b) {
        m_popularity->appendRow({ cell(name, false), countCell(static_cast<qlonglong>(a.items)), numCell(a.recall),
            numCell(b.recall), numCell(a.hit_rate), numCell(b.hit_rate) });
    };
    addPopularity(QStringLiteral("head"), runs.base->strata.head, r.strata.head);
    addPopularity(QStringLiteral("tail"), runs.base->strata.tail, r.strata.tail);

    auto fillGroups = [&](QStandardItemModel *model, const std::vector<UserGroupStratum> &a,
                          const std::vector<UserGroupStratum> &b) {
        model->setHorizontalHeaderLabels(
            { QStringLiteral("group"), QStringLiteral("users"), QStringLiteral("ndcg\norder"),
                QStringLiteral("ndcg\nre-rank"), QStringLiteral("recall\norder"), QStringLiteral("recall\nre-rank") });
        for (size_t i = 0; i < a.size(); ++i) {
            const UserGroupStratum *other = i < b.size() && b[i].name == a[i].name ? &b[i] : nullptr;
            const auto ndcg = static_cast<size_t>(MetricId::ndcg);
            const auto recall = static_cast<size_t>(MetricId::recall);
            QString name = QString::fromStdString(a[i].name);
            if (model == m_activity)
                name
                    += u" ("_qs + QString::number(a[i].train_min) + u"–"_qs + QString::number(a[i].train_max) + u")"_qs;
            model->appendRow({ cell(name, false), countCell(static_cast<qlonglong>(a[i].users)),
                numCell(a[i].metrics[ndcg]), numCell(other ? other->metrics[ndcg] : kNaN), numCell(a[i].metrics[recall]),
                numCell(other ? other->metrics[recall] : kNaN) });
        }
    };
    fillGroups(m_activity, runs.base->strata.activity, r.strata.activity);
    fillGroups(m_segments, runs.base->strata.segments, r.strata.segments);
    // Names in full; the numbers share the rest.
    for (QTableView *view : std::as_const(m_strataViews)) {
        if (view->model()->columnCount() > 0)
            view->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    }
}

} // namespace reclens::ui
