// The Workspace's background runs: a δ sweep is redone when any setting it depends on changes,
// rules included (a rule replaced by another of the same count is a new sweep), and not when only
// δ moves.
#include "core/data/dataset.h"
#include "ui/session/workspace.h"

#include <QSignalSpy>
#include <QTest>

using namespace reclens;
using namespace reclens::ui;

namespace {
const QString kData = QStringLiteral(RECLENS_TEST_DATA "/models/dataset.sqlite");
const QString kModel = QStringLiteral(RECLENS_TEST_DATA "/models/two_tower.pt");
} // namespace

class TestWorkspace : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sweepFollowsRules()
    {
        Workspace ws;
        QSignalSpy sweeps(&ws, &Workspace::sweepChanged);
        QSignalSpy errors(&ws, &Workspace::errorOccurred);
        ws.openDataset(kData, { kModel });
        // installSession emits sweepChanged once (cleared); then the first sweep arrives.
        QTRY_VERIFY_WITH_TIMEOUT(ws.sweep().curve.delta.size() == 11, 60000);
        QVERIFY2(errors.isEmpty(), errors.isEmpty() ? "" : qPrintable(errors.first().at(1).toString()));

        auto withRule = [&](int32_t item) {
            WorkspaceSettings s = ws.settings();
            s.rerank.rules = { { MerchRule::Kind::exclude_item, item, 1.0, 0.0, 1 } };
            return s;
        };
        sweeps.clear();
        ws.setSettings(withRule(0));
        QTRY_VERIFY_WITH_TIMEOUT(!sweeps.isEmpty() && !ws.isBusy(), 60000);
        // Another rule, same count: the sweep must run again.
        sweeps.clear();
        ws.setSettings(withRule(1));
        QTRY_VERIFY_WITH_TIMEOUT(!sweeps.isEmpty() && !ws.isBusy(), 60000);
        // Only δ moves: the sweep stays.
        sweeps.clear();
        ws.setDiversity(0.3);
        QTRY_VERIFY_WITH_TIMEOUT(!ws.isBusy(), 60000);
        QTest::qWait(600); // past the debounce
        QTRY_VERIFY_WITH_TIMEOUT(!ws.isBusy(), 60000);
        QVERIFY(sweeps.isEmpty());
    }
};

QTEST_MAIN(TestWorkspace)
#include "tst_workspace.moc"
