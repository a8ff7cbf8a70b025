#include "ui/widgets/storypanel.h"

#include "ui/session/workspace.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace reclens::ui
{

StoryPanel::StoryPanel(Workspace *workspace, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_pin = new QPushButton(QStringLiteral("Pin the shown user"), this);
    m_pin->setToolTip(QStringLiteral("Add the user shown in Inspect to the story (also: right-click a row of the "
                                     "Requests table)"));
    layout->addWidget(m_pin);
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("storyList"));
    m_list->setWordWrap(true);
    layout->addWidget(m_list, 1);
    m_hint = new QLabel(QStringLiteral("Note for the selected user (shown in the report and the presentation):"), this);
    m_hint->setWordWrap(true);
    layout->addWidget(m_hint);
    m_note = new QLineEdit(this);
    m_note->setPlaceholderText(QStringLiteral("e.g. buys baby food; MMR brings in household items"));
    m_note->setMaxLength(300);
    layout->addWidget(m_note);
    auto *buttons = new QHBoxLayout;
    m_up = new QPushButton(QStringLiteral("Up"), this);
    m_down = new QPushButton(QStringLiteral("Down"), this);
    m_remove = new QPushButton(QStringLiteral("Unpin"), this);
    buttons->addWidget(m_up);
    buttons->addWidget(m_down);
    buttons->addStretch(1);
    buttons->addWidget(m_remove);
    layout->addLayout(buttons);

    connect(m_pin, &QPushButton::clicked, this, [this] {
        const auto ds = m_workspace->dataset();
        const int32_t u = m_workspace->currentUser();
        if (ds && u >= 0)
            m_workspace->pinUser(QString::fromStdString(ds->user_external[static_cast<size_t>(u)]));
    });
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        updateButtons();
        const auto &story = m_workspace->story();
        if (row < 0 || static_cast<size_t>(row) >= story.size())
            return;
        const QSignalBlocker block(m_note);
        m_note->setText(QString::fromStdString(story[static_cast<size_t>(row)].note));
        m_workspace->selectUserById(QString::fromStdString(story[static_cast<size_t>(row)].id));
    });
    connect(m_note, &QLineEdit::editingFinished, this,
        [this] { m_workspace->setStoryNote(m_list->currentRow(), m_note->text().trimmed()); });
    connect(m_remove, &QPushButton::clicked, this, [this] { m_workspace->unpinStory(m_list->currentRow()); });
    connect(m_up, &QPushButton::clicked, this, [this] {
        const int row = m_list->currentRow();
        m_workspace->moveStory(row, row - 1);
        m_list->setCurrentRow(row - 1);
    });
    connect(m_down, &QPushButton::clicked, this, [this] {
        const int row = m_list->currentRow();
        m_workspace->moveStory(row, row + 1);
        m_list->setCurrentRow(row + 1);
    });
    connect(m_workspace, &Workspace::storyChanged, this, &StoryPanel::refresh);
    connect(m_workspace, &Workspace::datasetChanged, this, &StoryPanel::updateButtons);
    refresh();
}

void StoryPanel::refresh()
{
    const int row = m_list->currentRow();
    const QSignalBlocker block(m_list);
    m_list->clear();
    const auto &story = m_workspace->story();
    for (size_t i = 0; i < story.size(); ++i) {
        const QString note = QString::fromStdString(story[i].note);
        m_list->addItem(QString::number(i + 1) + u". "_qs + QString::fromStdString(story[i].id)
            + (note.isEmpty() ? QString() : u" — "_qs + note));
    }
    if (row >= 0 && row < m_list->count())
        m_list->setCurrentRow(row);
    updateButtons();
}

void StoryPanel::updateButtons()
{
    const int row = m_list->currentRow();
    const int n = m_list->count();
    m_pin->setEnabled(m_workspace->dataset() != nullptr);
    m_remove->setEnabled(row >= 0);
    m_up->setEnabled(row > 0);
    m_down->setEnabled(row >= 0 && row + 1 < n);
    m_note->setEnabled(row >= 0);
}

} // namespace reclens::ui
