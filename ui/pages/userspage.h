#pragma once
// Requests: a sortable, filterable table of every user (or, for a search dataset, every query) with
// per-request metrics of the current run and their change after re-ranking. Search by id (or query
// text), filter by segment, and "worst first" by any metric in one click. Selecting a row selects the
// request everywhere; the switch on top shows users or queries.
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QTableView;

namespace reclens::ui
{

struct GlobalRuns;
class UserFilterProxy;
class UserTableModel;
class Workspace;

class UsersPage : public QWidget
{
    Q_OBJECT
public:
    explicit UsersPage(Workspace *workspace, QWidget *parent = nullptr);

    UserTableModel *model() const { return m_model; }
    UserFilterProxy *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }
    // Sorts so the worst users by `metric` come first (lowest when higher is better).
    void showWorstFirst(const QString &metric);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void fitColumns();
    void onDatasetChanged();
    void onRuns(const reclens::ui::GlobalRuns &runs);
    void showMetricColumns(int metricIndex);
    void selectCurrentUser();

    Workspace *m_workspace;
    UserTableModel *m_model;
    UserFilterProxy *m_proxy;
    QTableView *m_view;
    QLineEdit *m_search;
    QComboBox *m_segment;
    QComboBox *m_worstMetric;
    QCheckBox *m_evaluatedOnly;
    QComboBox *m_requests; // users | queries (a search dataset, DESIGN §11)
    bool m_selecting = false;
};

} // namespace reclens::ui
