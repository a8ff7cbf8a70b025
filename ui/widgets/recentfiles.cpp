#include "ui/widgets/recentfiles.h"

#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace reclens::ui
{

RecentFiles::RecentFiles(
    const QString &settingsKey, QMenu *menu, std::function<void(const QString &)> open, QObject *parent)
    : QObject(parent)
    , m_key(settingsKey)
    , m_menu(menu)
    , m_open(std::move(open))
{
    m_menu->setToolTipsVisible(true);
    rebuild();
}

QStringList RecentFiles::files() const
{
    return QSettings().value(m_key).toStringList();
}

void RecentFiles::add(const QString &path)
{
    QStringList recent = files();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > kMax)
        recent.removeLast();
    QSettings().setValue(m_key, recent);
    rebuild();
}

void RecentFiles::rebuild()
{
    m_menu->clear();
    const QStringList recent = files();
    for (const QString &path : recent)
        m_menu->addAction(QFileInfo(path).fileName(), this, [this, path] { m_open(path); })->setToolTip(path);
    m_menu->setEnabled(!recent.isEmpty());
}

} // namespace reclens::ui
