#pragma once
// Everything the Export menu writes (DESIGN §10): the shown plots (PNG, PDF, SVG), the tables as they
// are shown (CSV, JSON), the shown user's lists, and the report (in the background, ReportJob);
// the file suggested for each, and the menu itself. Every output goes through a temporary file and
// never over an open file; each export returns an empty string, or the one-line error it also
// reports through failed().
#include <QObject>
#include <QString>
#include <QStringList>

class QAbstractItemModel;
class QCustomPlot;
class QMenu;
class QWidget;

namespace reclens::ui
{

class InspectPage;
class ReportJob;
class SummaryPage;
class UsersPage;
class Workspace;

class Exporter : public QObject
{
    Q_OBJECT
public:
    struct Pages {
        InspectPage *inspect = nullptr;
        SummaryPage *summary = nullptr;
        UsersPage *users = nullptr;
    };
    // `window`: the parent of the file dialogs.
    Exporter(Workspace *workspace, Pages pages, QWidget *window);

    // plot: category-mix | diversity | roc | tradeoff | models-personalization | models-coverage;
    // table: requests | summary | popularity | activity | segments | overlap.
    static QStringList plots();
    static QStringList tables();
    QString exportPlot(const QString &plot, const QString &path);
    QString exportTable(const QString &table, const QString &path);
    QString exportLists(const QString &path);
    // Starts the report (empty string: reportFinished follows), or says at once why not.
    QString exportReport(const QString &path);
    // Beside the session (or dataset): "<stem>[-<user>]-<what>.<suffix>".
    QString defaultPath(const QString &what, const QString &suffix, bool perUser) const;
    ReportJob *reportJob() const { return m_reportJob; }
    // The Export menu (file dialogs, then the exports above); also each plot's own context menu.
    void buildMenu(QMenu *menu);

Q_SIGNALS:
    void saved(const QString &message); // for the status bar
    void failed(const QString &title, const QString &message);
    void reportFinished(const QString &path, const QString &error);

private:
    QCustomPlot *plotNamed(const QString &plot) const;
    const QAbstractItemModel *tableNamed(const QString &table) const;
    QString reportExport(const QString &error);
    ReportJob *createReportJob();

    Workspace *m_workspace;
    Pages m_pages;
    QWidget *m_window;
    ReportJob *m_reportJob;
};

} // namespace reclens::ui
