#pragma once
// The dialog listing a session's files that are missing or changed since it was saved (DESIGN §10):
// each can be located (a moved file is recognised by its SHA-256) or, when changed, used as it is
// now. "Open session" asks again with those choices.
#include "core/analysis/session.h"
#include "ui/session/workspace.h"

#include <QDialog>
#include <vector>

namespace reclens::ui
{

class SessionProblemsDialog : public QDialog
{
    Q_OBJECT
public:
    SessionProblemsDialog(const QString &sessionPath, const std::vector<SessionFileProblem> &problems,
        const SessionFileChoices &previous, QWidget *parent = nullptr);

Q_SIGNALS:
    void retry(const QString &sessionPath, const reclens::ui::SessionFileChoices &choices);

private:
    SessionFileChoices m_choices;
};

} // namespace reclens::ui
