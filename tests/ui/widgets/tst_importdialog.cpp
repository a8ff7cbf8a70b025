// The import dialog runs importers in the background: a bad input folder gives the importer's
// one-line message and leaves no output file; a real MovieLens folder imports and announces the file.
#include "core/data/datasetrepository.h"
#include "ui/session/jobtracker.h"
#include "ui/widgets/importdialog.h"

#include <QFile>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace reclens;
using namespace reclens::ui;

class TestImportDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void missingFolderFails()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("out.sqlite"));
        ImportDialog dialog;
        QSignalSpy failed(&dialog, &ImportDialog::importFailed);
        QSignalSpy imported(&dialog, &ImportDialog::datasetImported);
        dialog.setSource(ImportDialog::MovieLens);
        dialog.setInput(dir.filePath(QStringLiteral("no-such-folder")));
        dialog.setOutput(out);
        dialog.startImport();
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
        QCOMPARE(imported.size(), 0);
        QVERIFY2(failed.first().first().toString().contains(u"no-such-folder"_qs),
            qPrintable(failed.first().first().toString()));
        QVERIFY(!QFile::exists(out));
    }

    void outputThatIsAnInputIsRefused()
    {
        // DESIGN §9: choosing one of the folder's own files as the output is refused before any
        // work, with one line, and the file keeps its bytes.
        QTemporaryDir dir;
        for (const char *f : { "ratings.csv", "movies.csv" })
            QVERIFY(QFile::copy(QStringLiteral(RECLENS_TEST_DATA "/import/ml_wellformed/") + QLatin1String(f),
                dir.filePath(QLatin1String(f))));
        const QString victim = dir.filePath(QStringLiteral("ratings.csv"));
        QFile before(victim);
        QVERIFY(before.open(QIODevice::ReadOnly));
        const QByteArray bytes = before.readAll();
        before.close();
        ImportDialog dialog;
        QSignalSpy failed(&dialog, &ImportDialog::importFailed);
        QSignalSpy started(dialog.jobs(), &JobTracker::jobStarted);
        dialog.setSource(ImportDialog::MovieLens);
        dialog.setInput(dir.path());
        dialog.setOutput(dir.filePath(QStringLiteral("./ratings.csv")));
        dialog.startImport();
        QCOMPARE(failed.size(), 1);
        QCOMPARE(started.size(), 0);
        const QString message = failed.first().first().toString();
        QVERIFY2(
            message.contains(u"is the same file as the input"_qs) && !message.contains(u'\n'), qPrintable(message));
        QFile after(victim);
        QVERIFY(after.open(QIODevice::ReadOnly));
        QCOMPARE(after.readAll(), bytes);
    }

    // A real MovieLens folder imports and announces the file; the k-core bounds reach the importer:
    // at 40/40 it keeps 321 users and 534 movies (kcore_movielens computes them independently), and
    // the report says what the filter dropped.
    void movieLensImports_data()
    {
        QTest::addColumn<int>("bound");
        QTest::addColumn<int>("users");
        QTest::addColumn<int>("items");
        QTest::newRow("all") << 0 << 610 << 9742;
        QTest::newRow("k-core 40/40") << 40 << 321 << 534;
    }
    void movieLensImports()
    {
        QFETCH(int, bound);
        QFETCH(int, users);
        QFETCH(int, items);
        const QString source = QStringLiteral(RECLENS_SHARED_DATASETS "/ml-latest-small");
        if (!QFile::exists(source + u"/ratings.csv"_qs))
            QSKIP("../shared/datasets/ml-latest-small not found");
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("ml.sqlite"));
        ImportDialog dialog;
        QSignalSpy imported(&dialog, &ImportDialog::datasetImported);
        QSignalSpy progress(dialog.jobs(), &JobTracker::progressChanged);
        dialog.setSource(ImportDialog::MovieLens);
        dialog.setInput(source);
        dialog.setOutput(out);
        dialog.setKCore(bound, bound);
        dialog.startImport();
        QTRY_COMPARE_WITH_TIMEOUT(imported.size(), 1, 120000);
        QCOMPARE(imported.first().first().toString(), out);
        QVERIFY(!progress.isEmpty());
        const Dataset d = load_dataset(out.toStdString());
        QCOMPARE(d.n_users(), users);
        QCOMPARE(d.n_items(), items);
        QCOMPARE(dialog.findChild<QPlainTextEdit *>()->toPlainText().contains(u"k-core filter"_qs), bound > 0);
    }
};

QTEST_MAIN(TestImportDialog)
#include "tst_importdialog.moc"
