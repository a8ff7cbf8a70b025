#pragma once
// Background jobs for the GUI: one JobTracker per kind of work (loading, scoring, evaluation, sweep).
// Starting a job cancels the one before it and bumps the job id; a result whose id is no longer
// current is dropped, so a slider that fires many requests only ever shows the latest answer.
// Work runs on the global thread pool via QtConcurrent::run and never touches widgets; results and
// progress arrive on the GUI thread.
#include "core/common/error.h"
#include "core/common/progress.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <vector>

namespace reclens::ui
{

// Makes the calling thread (a pool thread about to run a job) yield to the GUI thread: on Linux its
// nice value becomes kBackgroundNice, which the worker threads core starts from it inherit. The GUI
// thread then gets a core whenever it has work (a slider move while all users are scored), and the
// jobs still take every cycle it leaves. Elsewhere it does nothing.
void runInBackground();
inline constexpr int kBackgroundNice = 10;

class JobTracker : public QObject
{
    Q_OBJECT
public:
    explicit JobTracker(QObject *parent = nullptr);
    ~JobTracker() override; // cancels and waits for the running job

    // Starts `work(progress)` in the background. `done(result)` runs on the GUI thread only if this
    // job is still the current one. Failures become failed(message); cancellation is silent.
    template <typename T, typename Work, typename Done> quint64 start(const QString &label, Work &&work, Done &&done);

    void cancel(); // cancels the current job (its result will be dropped)
    void waitForFinished(); // for tests and shutdown
    bool isRunning() const { return m_running; }
    quint64 currentId() const { return m_id; }
    bool isCurrent(quint64 id) const { return id == m_id; }
    QString label() const { return m_label; }

Q_SIGNALS:
    void jobStarted(const QString &label);
    void progressChanged(double fraction, const QString &stage);
    void jobFinished(const QString &label, double elapsedMs);
    void jobFailed(const QString &label, const QString &message);
    void jobCancelled(const QString &label);
    void runningChanged(bool running);

private:
    struct Flag {
        std::atomic_bool cancel { false };
        std::atomic<qint64> lastReportMs { -1000 };
    };
    template <typename T> struct Outcome {
        std::shared_ptr<T> value;
        QString error;
        bool cancelled = false;
    };
    ProgressFn makeProgress(const std::shared_ptr<Flag> &flag, quint64 id);
    void finishJob(quint64 id, const QString &label, double ms, const QString &error, bool cancelled);

    quint64 m_id = 0;
    bool m_running = false;
    QString m_label;
    std::shared_ptr<Flag> m_flag;
    std::vector<QFuture<void>> m_pending; // every started job, waited for on destruction
};

template <typename T, typename Work, typename Done>
quint64 JobTracker::start(const QString &label, Work &&work, Done &&done)
{
    cancel();
    const quint64 id = ++m_id;
    auto flag = std::make_shared<Flag>();
    m_flag = flag;
    m_label = label;
    const bool wasRunning = m_running;
    m_running = true;
    if (!wasRunning)
        Q_EMIT runningChanged(true);
    Q_EMIT jobStarted(label);

    ProgressFn progress = makeProgress(flag, id);
    auto *watcher = new QFutureWatcher<Outcome<T>>(this);
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    connect(watcher, &QFutureWatcherBase::finished, this,
        [this, watcher, id, label, timer, done = std::forward<Done>(done)]() mutable {
            Outcome<T> outcome = watcher->result();
            watcher->deleteLater();
            if (id != m_id)
                return; // a newer job replaced this one: drop the stale result
            const double ms = static_cast<double>(timer->nsecsElapsed()) / 1e6;
            if (outcome.value)
                done(std::move(*outcome.value));
            finishJob(id, label, ms, outcome.error, outcome.cancelled);
        });
    auto future = QtConcurrent::run([work = std::forward<Work>(work), progress, flag]() mutable {
        runInBackground();
        Outcome<T> outcome;
        try {
            outcome.value = std::make_shared<T>(work(progress));
        } catch (const Cancelled &) {
            outcome.cancelled = true;
        } catch (const std::exception &e) {
            if (flag->cancel)
                outcome.cancelled = true;
            else
                outcome.error = QString::fromStdString(e.what());
        } catch (...) {
            outcome.error = QStringLiteral("unexpected error in a background job");
        }
        return outcome;
    });
    watcher->setFuture(future);
    m_pending.erase(
        std::remove_if(m_pending.begin(), m_pending.end(), [](const QFuture<void> &f) { return f.isFinished(); }),
        m_pending.end());
    m_pending.push_back(QFuture<void>(future));
    return id;
}

} // namespace reclens::ui
