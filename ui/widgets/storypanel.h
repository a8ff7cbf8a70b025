#pragma once
// Story users (DESIGN §10): the users (or queries) a person pinned, in the order they are told, each
// with a short note. They travel in the session and drive the report and the presentation. Selecting
// a row shows that user; the note is edited in place below the list.
#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace reclens::ui
{

class Workspace;

class StoryPanel : public QWidget
{
    Q_OBJECT
public:
    explicit StoryPanel(Workspace *workspace, QWidget *parent = nullptr);

    QListWidget *list() const { return m_list; }
    QLineEdit *noteEdit() const { return m_note; }
    QPushButton *pinButton() const { return m_pin; }

private:
    void refresh();
    void updateButtons();

    Workspace *m_workspace;
    QListWidget *m_list;
    QLineEdit *m_note;
    QLabel *m_hint;
    QPushButton *m_pin;
    QPushButton *m_remove;
    QPushButton *m_up;
    QPushButton *m_down;
};

} // namespace reclens::ui
