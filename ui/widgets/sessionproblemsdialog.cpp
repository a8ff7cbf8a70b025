#include "ui/widgets/sessionproblemsdialog.h"

#include <QDebug>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace reclens::ui
{

SessionProblemsDialog::SessionProblemsDialog(const QString &sessionPath,
    const std::vector<SessionFileProblem> &problems, const SessionFileChoices &previous, QWidget *parent)
    : QDialog(parent)
    , m_choices(previous)
{
    setObjectName(QStringLiteral("sessionProblems"));
    setWindowTitle(QStringLiteral("Session files not as saved"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(u"<b>"_qs + QFileInfo(sessionPath).fileName()
            + u"</b> names files that are missing or changed since it was saved. RecLens never uses another "
              "file in their place: locate each one (a moved file is recognised by its SHA-256), or say to use a "
              "changed file as it is now."_qs,
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    for (const SessionFileProblem &p : problems) {
        auto *row = new QHBoxLayout;
        auto *text = new QLabel(QString::fromStdString(p.message()), this);
        text->setWordWrap(true);
        text->setMinimumWidth(420);
        text->setObjectName(QStringLiteral("problem"));
        row->addWidget(text, 1);
        const int source = p.source;
        const QString role = QString::fromStdString(p.role);
        auto *locate = new QPushButton(QStringLiteral("Locate…"), this);
        connect(locate, &QPushButton::clicked, this, [this, source, role, text] {
            const QString picked = QFileDialog::getOpenFileName(parentWidget(), u"Locate the "_qs + role);
            if (picked.isEmpty())
                return;
            m_choices[source] = SessionFileChoice { picked, false };
            text->setText(text->text() + u"\n→ will look at "_qs + picked);
        });
        row->addWidget(locate);
        if (p.kind == SessionFileProblem::Kind::changed) {
            auto *use = new QPushButton(QStringLiteral("Use it as it is now"), this);
            use->setToolTip(QStringLiteral("Open the session with this file's current contents; the session then "
                                           "records its new SHA-256 when saved"));
            const QString path = QString::fromStdString(p.path);
            connect(use, &QPushButton::clicked, this, [this, source, path, text] {
                m_choices[source] = SessionFileChoice { path, true };
                text->setText(text->text() + u"\n→ will use it as it is now"_qs);
            });
            row->addWidget(use);
        }
        layout->addLayout(row);
    }
    auto *buttons = new QDialogButtonBox(this);
    QPushButton *again = buttons->addButton(QStringLiteral("Open session"), QDialogButtonBox::AcceptRole);
    again->setObjectName(QStringLiteral("retry"));
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, [this, sessionPath] {
        close();
        Q_EMIT retry(sessionPath, m_choices);
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    layout->addWidget(buttons);
    qWarning().noquote() << u"reclens:"_qs << sessionPath << u"—"_qs << problems.size()
                         << u"file(s) missing or changed"_qs;
}

} // namespace reclens::ui
