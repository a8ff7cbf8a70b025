#include "ui/widgets/jobstatus.h"

#include <QHBoxLayout>
#include <QProgressBar>
#include <QToolButton>

namespace reclens::ui
{

JobStatus::JobStatus(QWidget *parent)
    : QWidget(parent)
    , m_bar(new QProgressBar(this))
    , m_cancel(new QToolButton(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_bar->setRange(0, 1000);
    m_bar->setFixedWidth(260);
    m_cancel->setText(QStringLiteral("Cancel"));
    m_cancel->setToolTip(QStringLiteral("Cancel the running background job"));
    layout->addWidget(m_bar);
    layout->addWidget(m_cancel);
    connect(m_cancel, &QToolButton::clicked, this, &JobStatus::cancelRequested);
    hide();
}

void JobStatus::started(const QString &label)
{
    m_bar->setFormat(label + u" %p%"_qs);
    m_bar->setValue(0);
    show();
}

void JobStatus::progress(double fraction, const QString &stage)
{
    m_bar->setValue(static_cast<int>(fraction * 1000));
    m_bar->setToolTip(stage);
}

void JobStatus::stopped()
{
    if (!m_busy || !m_busy())
        hide();
}

} // namespace reclens::ui
