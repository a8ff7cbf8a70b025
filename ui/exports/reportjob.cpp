#include "ui/exports/reportjob.h"

#include "core/common/error.h"
#include "core/common/files.h"
#include "ui/exports/reportwriter.h"
#include "ui/session/jobtracker.h"
#include "ui/session/workspace.h"

#include <QFileInfo>
#include <string_view>
#include <vector>

namespace reclens::ui
{

ReportJob::ReportJob(QObject *parent)
    : QObject(parent)
    , m_tracker(new JobTracker(this))
{
    connect(m_tracker, &JobTracker::jobStarted, this, &ReportJob::started);
    connect(m_tracker, &JobTracker::progressChanged, this, &ReportJob::progressChanged);
    // Never cancelled through the tracker (see cancel()), so each of these comes once the worker is done.
    connect(m_tracker, &JobTracker::jobFinished, this, [this] { finish({}); });
    connect(
        m_tracker, &JobTracker::jobFailed, this, [this](const QString &, const QString &message) { finish(message); });
    connect(m_tracker, &JobTracker::jobCancelled, this, [this] { finish(QStringLiteral("cancelled")); });
}

ReportJob::~ReportJob()
{
    cancel();
    m_tracker->disconnect(this);
    m_tracker->waitForFinished();
}

QString ReportJob::start(Workspace &workspace, const ReportTables &strata, const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    const bool pdf = suffix == u"pdf"_qs;
    if (!pdf && suffix != u"html"_qs && suffix != u"htm"_qs)
        return path + u": a report is written as .pdf or .html; give the file one of these suffixes"_qs;
    if (isRunning())
        return u"a report is being written ("_qs + QFileInfo(m_path).fileName()
            + u"); wait for it to finish or cancel it, then write this one"_qs;
    report::Content content;
    try {
        std::vector<NamedPath> open;
        for (const QString &f : workspace.openFiles())
            open.push_back({ f.toStdString(), "an open file" });
        check_outputs(open, { { path.toStdString(), "the report" } });
        content = report::buildContent(workspace, strata);
        // The widgets stay here: the worker gets pictures and images.
        if (pdf)
            report::recordPlotsForPdf(content, report::pdfPlotSizes(content));
        else
            report::renderPlotsForHtml(content);
    } catch (const std::exception &e) {
        return QString::fromStdString(e.what());
    }
    m_path = path;
    auto cancelled = std::make_shared<std::atomic_bool>(false);
    m_cancel = cancelled;
    m_tracker->start<QString>(
        u"writing "_qs + QFileInfo(path).fileName(),
        [content = std::move(content), path, pdf, cancelled](const ProgressFn &progress) {
            const ProgressFn checked = [&progress, &cancelled](double fraction, std::string_view stage) {
                return !*cancelled && progress(fraction, stage);
            };
            if (pdf)
                report::writePdf(content, path, checked);
            else
                report::writeHtml(content, path, checked);
            return path;
        },
        [](const QString &) {});
    return {};
}

void ReportJob::cancel()
{
    // Not the tracker's cancel: that would drop the worker's outcome, and finished() must come only
    // once the temporary is gone (or the file is complete).
    if (m_cancel)
        *m_cancel = true;
}

bool ReportJob::isRunning() const
{
    return m_tracker->isRunning();
}

void ReportJob::waitForFinished()
{
    m_tracker->waitForFinished();
}

void ReportJob::finish(const QString &error)
{
    m_cancel.reset();
    const QString path = m_path; // a slot may start the next report
    Q_EMIT finished(path, error);
}

} // namespace reclens::ui
