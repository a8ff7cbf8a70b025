#pragma once
// The status bar's progress for background work: one bar and a Cancel button, shown while any
// followed job runs (opening files, the all-user analysis, writing a report), hidden when all rest.
#include <QWidget>
#include <functional>

class QProgressBar;
class QToolButton;

namespace reclens::ui
{

class JobStatus : public QWidget
{
    Q_OBJECT
public:
    explicit JobStatus(QWidget *parent = nullptr);

    // `busy()` says whether anything followed still runs (checked whenever a job stops).
    void setBusyCheck(std::function<bool()> busy) { m_busy = std::move(busy); }

public Q_SLOTS:
    void started(const QString &label);
    void progress(double fraction, const QString &stage);
    void stopped(); // a job ended: hides the bar unless something else still runs

Q_SIGNALS:
    void cancelRequested();

private:
    QProgressBar *m_bar;
    QToolButton *m_cancel;
    std::function<bool()> m_busy;
};

} // namespace reclens::ui
