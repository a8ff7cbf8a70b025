#include "ui/exports/exporter.h"

#include "core/common/files.h"
#include "ui/exports/reportjob.h"
#include "ui/models/overlapmodel.h"
#include "ui/models/summarymodel.h"
#include "ui/models/tableexport.h"
#include "ui/models/usertablemodel.h"
#include "ui/pages/inspectpage.h"
#include "ui/pages/summarypage.h"
#include "ui/pages/userspage.h"
#include "ui/plots/categoryplot.h"
#include "ui/plots/diversityplot.h"
#include "ui/plots/modelmapplot.h"
#include "ui/plots/plotexport.h"
#include "ui/plots/rocplot.h"
#include "ui/plots/tradeoffplot.h"
#include "ui/session/workspace.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QRegularExpression>

namespace reclens::ui
{

Exporter::Exporter(Workspace *workspace, Pages pages, QWidget *window)
    : QObject(window)
    , m_workspace(workspace)
    , m_pages(pages)
    , m_window(window)
    , m_reportJob(createReportJob())
{
}

QStringList Exporter::plots()
{
    return { QStringLiteral("category-mix"), QStringLiteral("diversity"), QStringLiteral("roc"),
        QStringLiteral("tradeoff"), QStringLiteral("models-personalization"), QStringLiteral("models-coverage") };
}

QStringList Exporter::tables()
{
    return { QStringLiteral("requests"), QStringLiteral("summary"), QStringLiteral("popularity"),
        QStringLiteral("activity"), QStringLiteral("segments"), QStringLiteral("overlap") };
}

QCustomPlot *Exporter::plotNamed(const QString &plot) const
{
    if (plot == u"category-mix"_qs)
        return m_pages.inspect->categoryPlot();
    if (plot == u"diversity"_qs)
        return m_pages.inspect->diversityPlot();
    if (plot == u"roc"_qs)
        return m_pages.inspect->rocPlot();
    if (plot == u"tradeoff"_qs)
        return m_pages.inspect->tradeoffPlot();
    if (plot == u"models-personalization"_qs)
        return m_pages.summary->personalizationMap();
    if (plot == u"models-coverage"_qs)
        return m_pages.summary->coverageMap();
    return nullptr;
}

const QAbstractItemModel *Exporter::tableNamed(const QString &table) const
{
    if (table == u"requests"_qs)
        return m_pages.users->proxy(); // as the table shows it: sorted and filtered
    if (table == u"summary"_qs)
        return m_pages.summary->model();
    if (table == u"popularity"_qs)
        return m_pages.summary->popularityModel();
    if (table == u"activity"_qs)
        return m_pages.summary->activityModel();
    if (table == u"segments"_qs)
        return m_pages.summary->segmentModel();
    if (table == u"overlap"_qs)
        return m_pages.inspect->overlapModel(); // the shown user's lists, pair by pair
    return nullptr;
}

QString Exporter::defaultPath(const QString &what, const QString &suffix, bool perUser) const
{
    QFileInfo base(m_workspace->sessionPath());
    if (m_workspace->sessionPath().isEmpty() && m_workspace->dataset())
        base = QFileInfo(QString::fromStdString(m_workspace->dataset()->path));
    QString name = base.completeBaseName().isEmpty() ? QStringLiteral("reclens") : base.completeBaseName();
    const auto ds = m_workspace->dataset();
    if (perUser && ds && m_workspace->currentUser() >= 0) {
        QString user = QString::fromStdString(ds->user_external[static_cast<size_t>(m_workspace->currentUser())]);
        user.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]")), QStringLiteral("_"));
        name += (ds->queries() ? u"-query-"_qs : u"-user-"_qs) + user;
    }
    const QString dir = base.absolutePath().isEmpty() ? QDir::currentPath() : base.absolutePath();
    return dir + u"/"_qs + name + u"-"_qs + what + u"."_qs + suffix;
}

QString Exporter::reportExport(const QString &error)
{
    if (!error.isEmpty())
        Q_EMIT failed(QStringLiteral("Could not export"), error);
    return error;
}

QString Exporter::exportPlot(const QString &plot, const QString &path)
{
    QCustomPlot *p = plotNamed(plot);
    if (!p)
        return reportExport(u"no plot named '"_qs + plot + u"'; use one of "_qs + plots().join(u", "_qs));
    const QString error = savePlot(p, path, 2.0, m_workspace->openFiles());
    if (error.isEmpty())
        Q_EMIT saved(u"plot saved to "_qs + path);
    return reportExport(error);
}

QString Exporter::exportTable(const QString &table, const QString &path)
{
    const QAbstractItemModel *m = tableNamed(table);
    if (!m)
        return reportExport(u"no table named '"_qs + table + u"'; use one of "_qs + tables().join(u", "_qs));
    const QString error = saveTable(*m, path, m_workspace->openFiles());
    if (error.isEmpty())
        Q_EMIT saved(u"table saved to "_qs + path);
    return reportExport(error);
}

QString Exporter::exportLists(const QString &path)
{
    const auto ds = m_workspace->dataset();
    if (!ds || m_workspace->view().user < 0)
        return reportExport(QStringLiteral("no user is shown: open a dataset with a model and select a user first"));
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != u"csv"_qs && suffix != u"json"_qs)
        return reportExport(path + u": the lists are saved as .csv or .json; give the file one of these suffixes"_qs);
    const std::string text
        = suffix == u"json"_qs ? userListsJson(*ds, m_workspace->view()) : userListsCsv(*ds, m_workspace->view());
    const QString error = saveExport(text, path, m_workspace->openFiles(), QStringLiteral("lists export"));
    if (error.isEmpty())
        Q_EMIT saved(u"lists saved to "_qs + path);
    return reportExport(error);
}

QString Exporter::exportReport(const QString &path)
{
    const ReportTables strata { { QStringLiteral("Item popularity"), m_pages.summary->popularityModel() },
        { QStringLiteral("User activity"), m_pages.summary->activityModel() },
        { QStringLiteral("Segments"), m_pages.summary->segmentModel() } };
    return reportExport(m_reportJob->start(*m_workspace, strata, path));
}

ReportJob *Exporter::createReportJob()
{
    auto *job = new ReportJob(this);
    connect(job, &ReportJob::finished, this, [this](const QString &path, const QString &error) {
        if (error.isEmpty())
            Q_EMIT saved(u"report saved to "_qs + path);
        else if (error == u"cancelled"_qs)
            Q_EMIT saved(u"report cancelled; nothing written to "_qs + path);
        else
            reportExport(error);
        Q_EMIT reportFinished(path, error);
    });
    return job;
}

namespace
{
// A plot of the shown user (its default file name says whose), not of all users.
bool perUserPlot(const QString &key)
{
    return key == u"category-mix"_qs || key == u"diversity"_qs || key == u"roc"_qs;
}
} // namespace

void Exporter::buildMenu(QMenu *menu)
{
    for (const QString &suffix : { QStringLiteral("pdf"), QStringLiteral("html") }) {
        menu->addAction(u"Report as "_qs + suffix.toUpper() + u"…"_qs, this, [this, suffix] {
            const QString path = QFileDialog::getSaveFileName(m_window, u"Save the report as "_qs + suffix.toUpper(),
                defaultPath(QStringLiteral("report"), suffix, false), suffix.toUpper() + u" (*."_qs + suffix + u")"_qs);
            if (!path.isEmpty())
                exportReport(path);
        });
    }
    menu->addSeparator();
    const QList<QPair<QString, QString>> plots { { QStringLiteral("category-mix"), QStringLiteral("Category mix") },
        { QStringLiteral("diversity"), QStringLiteral("Diversity scores") },
        { QStringLiteral("roc"), QStringLiteral("ROC curves") },
        { QStringLiteral("tradeoff"), QStringLiteral("Accuracy–diversity trade-off") },
        { QStringLiteral("models-personalization"), QStringLiteral("Models: accuracy vs personalization") },
        { QStringLiteral("models-coverage"), QStringLiteral("Models: accuracy vs coverage") } };
    for (const auto &[key, label] : plots) {
        QMenu *sub = menu->addMenu(label + u" plot"_qs);
        for (const QString &suffix : plotFormats()) {
            sub->addAction(suffix.toUpper() + u"…"_qs, this, [this, key = key, label = label, suffix] {
                const QString path
                    = QFileDialog::getSaveFileName(m_window, u"Save "_qs + label + u" as "_qs + suffix.toUpper(),
                        defaultPath(key, suffix, perUserPlot(key)), suffix.toUpper() + u" (*."_qs + suffix + u")"_qs);
                if (!path.isEmpty())
                    exportPlot(key, path);
            });
        }
        // The same from the plot's own context menu.
        installPlotExportMenu(
            plotNamed(key),
            [this, key = key](const QString &suffix) { return defaultPath(key, suffix, perUserPlot(key)); },
            [this] { return m_workspace->openFiles(); }, [this](const QString &error) { reportExport(error); });
    }
    menu->addSeparator();
    const QList<QPair<QString, QString>> tables { { QStringLiteral("requests"), QStringLiteral("Requests table") },
        { QStringLiteral("summary"), QStringLiteral("Summary metrics") },
        { QStringLiteral("popularity"), QStringLiteral("Item popularity strata") },
        { QStringLiteral("activity"), QStringLiteral("User activity strata") },
        { QStringLiteral("segments"), QStringLiteral("Segment strata") },
        { QStringLiteral("overlap"), QStringLiteral("List overlap (shown user)") } };
    for (const auto &[key, label] : tables) {
        QMenu *sub = menu->addMenu(label);
        for (const QString &suffix : { QStringLiteral("csv"), QStringLiteral("json") }) {
            sub->addAction(suffix.toUpper() + u"…"_qs, this, [this, key = key, label = label, suffix] {
                const QString path = QFileDialog::getSaveFileName(m_window,
                    u"Save "_qs + label + u" as "_qs + suffix.toUpper(), defaultPath(key, suffix, key == u"overlap"_qs),
                    suffix.toUpper() + u" (*."_qs + suffix + u")"_qs);
                if (!path.isEmpty())
                    exportTable(key, path);
            });
        }
    }
    menu->addSeparator();
    QMenu *lists = menu->addMenu(QStringLiteral("Shown user's lists"));
    for (const QString &suffix : { QStringLiteral("csv"), QStringLiteral("json") }) {
        lists->addAction(suffix.toUpper() + u"…"_qs, this, [this, suffix] {
            const QString path = QFileDialog::getSaveFileName(m_window, u"Save the lists as "_qs + suffix.toUpper(),
                defaultPath(QStringLiteral("lists"), suffix, true), suffix.toUpper() + u" (*."_qs + suffix + u")"_qs);
            if (!path.isEmpty())
                exportLists(path);
        });
    }
}

} // namespace reclens::ui
