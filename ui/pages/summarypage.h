#pragma once
// Summary for the data scientist: global metrics of each run side by side with deltas and
// significance, and the strata tables (item popularity, user activity, segment).
#include <QList>
#include <QWidget>

class QLabel;
class QStandardItemModel;
class QTableView;

namespace reclens::ui
{

class ModelMapPlot;
class SummaryModel;
class Workspace;
struct WorkspaceEstimates;
struct GlobalRuns;

class SummaryPage : public QWidget
{
    Q_OBJECT
public:
    explicit SummaryPage(Workspace *workspace, QWidget *parent = nullptr);
    SummaryModel *model() const { return m_model; }
    QStandardItemModel *popularityModel() const { return m_popularity; }
    QStandardItemModel *activityModel() const { return m_activity; }
    QStandardItemModel *segmentModel() const { return m_segments; }
    ModelMapPlot *personalizationMap() const { return m_personalizationMap; }
    ModelMapPlot *coverageMap() const { return m_coverageMap; }

private:
    void onRuns(const reclens::ui::GlobalRuns &runs);
    void onEstimates(const WorkspaceEstimates &estimates);

    Workspace *m_workspace;
    QLabel *m_header;
    QTableView *m_metricsView = nullptr;
    QList<QTableView *> m_strataViews;
    QList<QWidget *> m_userStrataBoxes; // activity and segments: users only (a query has neither)
    SummaryModel *m_model;
    QStandardItemModel *m_popularity;
    QStandardItemModel *m_activity;
    QStandardItemModel *m_segments;
    ModelMapPlot *m_personalizationMap = nullptr;
    ModelMapPlot *m_coverageMap = nullptr;
};

} // namespace reclens::ui
