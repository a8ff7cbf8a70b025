#pragma once
// Writes the report (DESIGN §10) in the background: the content and its plots are made on the GUI
// thread (quick; reportcontent.h), the PDF or HTML is written on a worker (reportwriter.h), with
// progress per page and cancel. One report at a time. Its job tracker is its own.
#include "ui/exports/reportcontent.h"

#include <QObject>
#include <QString>
#include <atomic>
#include <memory>

namespace reclens::ui
{

class JobTracker;

class ReportJob : public QObject
{
    Q_OBJECT
public:
    explicit ReportJob(QObject *parent = nullptr);
    ~ReportJob() override; // cancels and waits for the worker (which then removes its temporary)

    // GUI thread. Checks what can be checked at once — `path` ends in .pdf or .html (.htm), it is
    // none of the workspace's open files, no report is being written, the all-user numbers of the
    // current settings are in — and builds the content. Returns the one-line error then (nothing is
    // written, nothing emitted), else an empty string: the writing has started (started() now,
    // finished() later). The file appears only when complete, under a temporary name until then.
    QString start(Workspace &workspace, const ReportTables &strata, const QString &path);
    // Stops the writing at the next page; finished(path, "cancelled") follows once the worker has
    // removed its temporary. A report completed before the cancel took effect is reported written.
    void cancel();
    bool isRunning() const;
    // Blocks until the worker is done (shutdown, tests); finished() is delivered by the event loop.
    void waitForFinished();

Q_SIGNALS:
    void started(const QString &label);
    void progressChanged(double fraction, const QString &stage);
    // error: empty when written, "cancelled", or the one line that says why not (nothing written).
    void finished(const QString &path, const QString &error);

private:
    void finish(const QString &error);

    JobTracker *m_tracker;
    QString m_path; // of the report being written
    std::shared_ptr<std::atomic_bool> m_cancel;
};

} // namespace reclens::ui
