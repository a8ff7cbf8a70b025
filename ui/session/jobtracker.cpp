#include "ui/session/jobtracker.h"

#include <QDateTime>
#include <cerrno>
#include <QMetaObject>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace reclens::ui
{

void runInBackground()
{
#ifdef __linux__
    // Per thread on Linux: the nice value belongs to the thread id, and threads it creates inherit it.
    thread_local bool done = false;
    if (!done) {
        done = true;
        const auto tid = static_cast<id_t>(syscall(SYS_gettid));
        errno = 0;
        const int now = getpriority(PRIO_PROCESS, tid);
        if (errno == 0 && now < kBackgroundNice)
            setpriority(PRIO_PROCESS, tid, kBackgroundNice);
    }
#endif
}

JobTracker::JobTracker(QObject *parent)
    : QObject(parent)
{
}

JobTracker::~JobTracker()
{
    cancel();
    waitForFinished();
}

void JobTracker::cancel()
{
    if (m_flag)
        m_flag->cancel = true;
    if (m_running) {
        const QString label = m_label;
        ++m_id; // whatever the job still delivers is stale now
        m_running = false;
        Q_EMIT jobCancelled(label);
        Q_EMIT runningChanged(false);
    }
}

void JobTracker::waitForFinished()
{
    for (QFuture<void> &f : m_pending)
        f.waitForFinished();
    m_pending.clear();
}

ProgressFn JobTracker::makeProgress(const std::shared_ptr<Flag> &flag, quint64 id)
{
    JobTracker *self = this; // alive: the destructor waits for every job
    return [self, flag, id](double fraction, std::string_view stage) {
        if (flag->cancel)
            return false;
        // Rate-limit here as well: core may call from hot loops on several threads.
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        qint64 last = flag->lastReportMs.load();
        if (fraction < 1.0 && now - last < 50)
            return true;
        if (!flag->lastReportMs.compare_exchange_strong(last, now))
            return true;
        const QString text = QString::fromUtf8(stage.data(), static_cast<qsizetype>(stage.size()));
        QMetaObject::invokeMethod(
            self,
            [self, id, fraction, text]() {
                if (self->isCurrent(id))
                    Q_EMIT self->progressChanged(fraction, text);
            },
            Qt::QueuedConnection);
        return true;
    };
}

void JobTracker::finishJob(quint64 id, const QString &label, double ms, const QString &error, bool cancelled)
{
    Q_UNUSED(id);
    m_running = false;
    Q_EMIT runningChanged(false);
    if (cancelled)
        Q_EMIT jobCancelled(label);
    else if (!error.isEmpty())
        Q_EMIT jobFailed(label, error);
    else
        Q_EMIT jobFinished(label, ms);
}

} // namespace reclens::ui
