#pragma once
// A list of recently opened files kept in QSettings under one key and shown as a menu: the one
// helper behind File › Recent files and File › Recent sessions.
#include <QObject>
#include <QString>
#include <QStringList>
#include <functional>

class QMenu;

namespace reclens::ui
{

class RecentFiles : public QObject
{
    Q_OBJECT
public:
    // `open(path)` runs when the person picks an entry of `menu`.
    RecentFiles(
        const QString &settingsKey, QMenu *menu, std::function<void(const QString &)> open, QObject *parent = nullptr);

    void add(const QString &path); // first in the list, once; at most kMax entries
    QStringList files() const;

    static constexpr int kMax = 8;

private:
    void rebuild();

    QString m_key;
    QMenu *m_menu;
    std::function<void(const QString &)> m_open;
};

} // namespace reclens::ui
