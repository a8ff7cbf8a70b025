// Presentation mode (DESIGN §10), offscreen, on the sample data: it opens on the first story user
// with the note, shows exactly the Inspect lists, the arrow keys step through the story users in
// order (and stop at the ends), Space sweeps δ up to 1 and back and returns to the session's δ,
// Esc leaves; without story users it shows the shown user and says so.
#include "ui/mainwindow.h"
#include "ui/models/rankinglistmodel.h"
#include "ui/pages/inspectpage.h"
#include "ui/pages/presentation.h"
#include "ui/session/workspace.h"

#include <QApplication>
#include <QFile>
#include <QHeaderView>
#include <QStyle>
#include <QTableView>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace reclens;
using namespace reclens::ui;

namespace
{
const QString kSample = QStringLiteral(RECLENS_BINARY_DIR "/sample_data");
}

class TestPresentation : public QObject
{
    Q_OBJECT
    MainWindow *m_window = nullptr;
    int32_t m_userBefore = -1;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        const QString data = kSample + u"/completejourney.sqlite"_qs;
        const QString knn = kSample + u"/completejourney-itemknn.pt"_qs;
        if (!QFile::exists(data) || !QFile::exists(knn))
            QSKIP("sample data not built: run the 'sample_data' target (needs ../shared/datasets)");
        m_window = new MainWindow;
        m_window->resize(1400, 900);
        m_window->show();
        m_window->openDataset(data, { knn });
        Workspace *ws = m_window->workspace();
        QTRY_VERIFY_WITH_TIMEOUT(ws->view().user >= 0 && ws->analysis()->runs().reranked, 180000);
        WorkspaceSettings s = ws->settings();
        s.rerank.method = RerankMethod::mmr;
        s.rerank.diversity = 0.3;
        s.rerank.similarity = SimilarityKind::category;
        ws->setSettings(s);
    }
    void cleanupTestCase()
    {
        if (m_window)
            m_window->workspace()->waitForJobs();
        delete m_window;
    }

    void withoutStoryUsers()
    {
        Workspace *ws = m_window->workspace();
        const int32_t shown = ws->currentUser();
        m_window->enterPresentation(QSize(1920, 1080));
        PresentationWindow *p = m_window->presentation();
        QVERIFY(p && p->isVisible());
        QCOMPARE(p->storyIndex(), -1);
        QCOMPARE(ws->currentUser(), shown);
        QVERIFY(p->headline()->text().contains(QString::fromStdString(ws->dataset()->user_external[static_cast<size_t>(shown)])));
        QTest::keyClick(p, Qt::Key_Escape);
        QTRY_VERIFY(!m_window->presentation());
    }

    // Readable on a laptop too (DESIGN §7): at 1366x768 everything is the 1920x1080 room's size
    // times 0.71, the window does not grow past the screen, ten rows of each list show, every
    // title shows its first twenty characters, and no legend covers a plot's data.
    void readableOnALaptop_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1366x768") << QSize(1366, 768);
        QTest::newRow("1920x1080") << QSize(1920, 1080);
    }

    void readableOnALaptop()
    {
        QFETCH(QSize, size);
        m_window->enterPresentation(size);
        PresentationWindow *p = m_window->presentation();
        QVERIFY(p && p->isVisible());
        QTRY_VERIFY(p->listModel(1)->rowCount() >= 10);
        QApplication::processEvents();
        QVERIFY2(p->width() <= size.width() && p->height() <= size.height(),
                 qPrintable(QStringLiteral("presentation %1x%2").arg(p->width()).arg(p->height())));
        QCOMPARE(p->scale(), std::min(size.width() / 1920.0, size.height() / 1080.0));
        for (int i = 0; i < 2; ++i) {
            QTableView *view = p->listView(i);
            const QFontMetrics fm(view->font());
            const int margins = 2 * (view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, view) + 1);
            const int column = view->columnWidth(RankingListModel::TitleColumn);
            QVERIFY(view->viewport()->height() >= 10 * view->verticalHeader()->defaultSectionSize());
            for (int r = 0; r < p->listModel(i)->rowCount(); ++r) {
                const QString title = p->listModel(i)->index(r, RankingListModel::TitleColumn).data().toString();
                const int need = fm.horizontalAdvance(title.left(InspectPage::kTitleChars)) + margins;
                QVERIFY2(column >= need, qPrintable(QStringLiteral("list %1 \"%2\": column %3 px, needs %4")
                                                        .arg(i).arg(title).arg(column).arg(need)));
            }
        }
        qInfo("presentation %dx%d: scale %.2f, title columns %d / %d px", size.width(), size.height(), p->scale(),
              p->listView(0)->columnWidth(RankingListModel::TitleColumn),
              p->listView(1)->columnWidth(RankingListModel::TitleColumn));
        QTest::keyClick(p, Qt::Key_Escape);
        QTRY_VERIFY(!m_window->presentation());
    }

    void storyUsersAndKeys()
    {
        Workspace *ws = m_window->workspace();
        ws->pinUser(u"2385"_qs, u"a big basket"_qs);
        ws->pinUser(u"1"_qs, u"a regular"_qs);
        ws->restoreModified(false); // as if just saved: presenting must not change that
        m_userBefore = ws->currentUser();
        m_window->enterPresentation(QSize(1920, 1080));
        PresentationWindow *p = m_window->presentation();
        QVERIFY(QTest::qWaitForWindowExposed(p));
        QCOMPARE(p->storyIndex(), 0);
        QCOMPARE(ws->dataset()->user_external[static_cast<size_t>(ws->currentUser())], std::string("2385"));
        QVERIFY(p->headline()->text().contains(u"Shopper 2385"_qs));
        QCOMPARE(p->noteLabel()->text(), u"a big basket"_qs);
        // The presentation shows Inspect's own lists.
        QCOMPARE(p->listModel(0)->list().items, m_window->inspectPage()->listModel(0)->list().items);
        QCOMPARE(p->listModel(1)->list().items, m_window->inspectPage()->listModel(1)->list().items);
        QTest::keyClick(p, Qt::Key_Right);
        QCOMPARE(p->storyIndex(), 1);
        QCOMPARE(ws->dataset()->user_external[static_cast<size_t>(ws->currentUser())], std::string("1"));
        QCOMPARE(p->noteLabel()->text(), u"a regular"_qs);
        QTest::keyClick(p, Qt::Key_Right); // the last one: stays
        QCOMPARE(p->storyIndex(), 1);
        QTest::keyClick(p, Qt::Key_Left);
        QCOMPARE(p->storyIndex(), 0);
        QVERIFY(p->headline()->text().contains(u"Shopper 2385"_qs));
        QVERIFY(!ws->isModified());
        // Another user shown meanwhile (not a story user): no story note over its lists.
        ws->selectUserById(u"2"_qs);
        QCOMPARE(p->storyIndex(), -1);
        QCOMPARE(p->noteLabel()->text(), QString());
        ws->restoreModified(false);
        QTest::keyClick(p, Qt::Key_Right); // back into the story at its first user
        QCOMPARE(p->storyIndex(), 0);
        // The story changes under the presentation: the note follows the user, not a position.
        ws->moveStory(1, 0);
        QCOMPARE(p->storyIndex(), 1);
        QCOMPARE(p->noteLabel()->text(), u"a big basket"_qs);
        ws->moveStory(0, 1);
        ws->restoreModified(false);
    }

    void sweepGoesToOneAndBack()
    {
        Workspace *ws = m_window->workspace();
        PresentationWindow *p = m_window->presentation();
        QVERIFY(p);
        p->setSweepDuration(1200);
        double highest = 0;
        int listChanges = 0;
        const auto before = p->listModel(1)->list().items;
        QMetaObject::Connection c = connect(ws, &Workspace::settingsChanged, this, [&] {
            highest = std::max(highest, ws->settings().rerank.diversity);
        });
        QMetaObject::Connection v = connect(ws, &Workspace::userViewChanged, this, [&] {
            listChanges += p->listModel(1)->list().items != before ? 1 : 0;
        });
        QSignalSpy finished(p, &PresentationWindow::sweepFinished);
        QTest::keyClick(p, Qt::Key_Space);
        QVERIFY(p->isPlaying());
        QVERIFY(finished.wait(5000));
        disconnect(c);
        disconnect(v);
        QCOMPARE(highest, 1.0);
        QVERIFY(listChanges > 0); // the re-ranked list moved with δ
        QCOMPARE(ws->settings().rerank.diversity, 0.3); // back to the session's δ
        QCOMPARE(p->listModel(1)->list().items, before);
        QVERIFY(!ws->isModified()); // the sweep put δ back and changed nothing to save
        QTest::keyClick(p, Qt::Key_Escape);
        QTRY_VERIFY(!m_window->presentation());
        QCOMPARE(ws->currentUser(), m_userBefore); // the user shown before presenting
        QVERIFY(!ws->isModified());
    }
};

QTEST_MAIN(TestPresentation)
#include "tst_presentation.moc"
