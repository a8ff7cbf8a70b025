// Outputs never touch inputs (DESIGN §9), for every command and output flag of reclens-cli: an
// output path that is the same file as an input (the path itself, "./x", a symbolic or a hard link)
// is refused with one line before any work, the input's bytes stay as they were, and nothing is
// left behind; a run that succeeds leaves only its outputs (no temporary files).
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

namespace {

struct Run {
    int code = -1;
    QString out;
    QString err;
};

Run cli(const QStringList &args, const QString &cwd)
{
    QProcess p;
    p.setWorkingDirectory(cwd);
    p.start(QStringLiteral(RECLENS_CLI), args);
    if (!p.waitForFinished(120000))
        return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QByteArray digest(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

QStringList entries(const QString &dir)
{
    QStringList e = QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
    e.sort();
    return e;
}

} // namespace

class TestCliOutputs : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString dir() const { return m_tmp.path(); }
    QString path(const char *name) const { return m_tmp.filePath(QLatin1String(name)); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        // Copies of the fixtures (the tests must never put the committed files at risk).
        const QString models = QStringLiteral(RECLENS_TEST_DATA "/models/");
        QVERIFY(QFile::copy(models + QStringLiteral("dataset.sqlite"), path("data.sqlite")));
        QVERIFY(QFile::copy(models + QStringLiteral("two_tower.pt"), path("model.pt")));
        QVERIFY(QFile::link(path("data.sqlite"), path("data-link.sqlite")));
        QVERIFY(::link(path("model.pt").toLocal8Bit().constData(), path("model-hard.pt").toLocal8Bit().constData()) == 0);
        QVERIFY(QDir().mkpath(path("ml")));
        for (const char *f : {"ratings.csv", "movies.csv"})
            QVERIFY(QFile::copy(QStringLiteral(RECLENS_TEST_DATA "/import/ml_wellformed/") + QLatin1String(f),
                                path("ml") + QLatin1Char('/') + QLatin1String(f)));
    }

    void refused_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("victim"); // the input that must stay unchanged
        QTest::addColumn<QString>("flag");   // the output flag named in the message
        const QStringList eval{QStringLiteral("evaluate"), QStringLiteral("--data"), QStringLiteral("data.sqlite"),
                               QStringLiteral("--model"), QStringLiteral("model.pt")};
        QTest::addRow("evaluate --json = --data") << eval + QStringList{QStringLiteral("--json"), QStringLiteral("data.sqlite")}
                                                  << QStringLiteral("data.sqlite") << QStringLiteral("--json");
        QTest::addRow("evaluate --lists = --model")
            << eval + QStringList{QStringLiteral("--lists"), QStringLiteral("model.pt")} << QStringLiteral("model.pt")
            << QStringLiteral("--lists");
        QTest::addRow("evaluate --per-user = ./data")
            << eval + QStringList{QStringLiteral("--per-user"), QStringLiteral("./data.sqlite")}
            << QStringLiteral("data.sqlite") << QStringLiteral("--per-user");
        QTest::addRow("evaluate --json = symlink of --data")
            << eval + QStringList{QStringLiteral("--json"), QStringLiteral("data-link.sqlite")}
            << QStringLiteral("data.sqlite") << QStringLiteral("--json");
        QTest::addRow("evaluate --lists = hard link of --model")
            << eval + QStringList{QStringLiteral("--lists"), QStringLiteral("model-hard.pt")}
            << QStringLiteral("model.pt") << QStringLiteral("--lists");
        QTest::addRow("compare --json = --model")
            << QStringList{QStringLiteral("compare"), QStringLiteral("--data"), QStringLiteral("data.sqlite"),
                           QStringLiteral("--model"), QStringLiteral("model.pt"), QStringLiteral("--rerank"),
                           QStringLiteral("mmr"), QStringLiteral("--diversity"), QStringLiteral("0.5"),
                           QStringLiteral("--json"), QStringLiteral("model-hard.pt")}
            << QStringLiteral("model.pt") << QStringLiteral("--json");
        QTest::addRow("evaluate --partial = hard link of --model")
            << eval + QStringList{QStringLiteral("--shard"), QStringLiteral("0/2"), QStringLiteral("--partial"),
                                  QStringLiteral("model-hard.pt")}
            << QStringLiteral("model.pt") << QStringLiteral("--partial");
        QTest::addRow("compare --partial = symlink of --data")
            << QStringList{QStringLiteral("compare"), QStringLiteral("--data"), QStringLiteral("data.sqlite"),
                           QStringLiteral("--model"), QStringLiteral("model.pt"), QStringLiteral("--rerank"),
                           QStringLiteral("mmr"), QStringLiteral("--diversity"), QStringLiteral("0.5"),
                           QStringLiteral("--shard"), QStringLiteral("1/2"), QStringLiteral("--partial"),
                           QStringLiteral("data-link.sqlite")}
            << QStringLiteral("data.sqlite") << QStringLiteral("--partial");
        QTest::addRow("train --out = --data")
            << QStringList{QStringLiteral("train"), QStringLiteral("popularity"), QStringLiteral("--data"),
                           QStringLiteral("data.sqlite"), QStringLiteral("--out"), QStringLiteral("data-link.sqlite")}
            << QStringLiteral("data.sqlite") << QStringLiteral("--out");
        QTest::addRow("import movielens --out = ratings.csv")
            << QStringList{QStringLiteral("import"), QStringLiteral("movielens"), QStringLiteral("ml"),
                           QStringLiteral("--out"), QStringLiteral("ml/ratings.csv")}
            << QStringLiteral("ml/ratings.csv") << QStringLiteral("--out");
        QTest::addRow("import csv --out = --interactions")
            << QStringList{QStringLiteral("import"), QStringLiteral("csv"), QStringLiteral("--interactions"),
                           QStringLiteral("ml/ratings.csv"), QStringLiteral("--user-col"), QStringLiteral("userId"),
                           QStringLiteral("--item-col"), QStringLiteral("movieId"), QStringLiteral("--out"),
                           QStringLiteral("./ml/../ml/ratings.csv")}
            << QStringLiteral("ml/ratings.csv") << QStringLiteral("--out");
    }

    void refused()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, victim);
        QFETCH(QString, flag);
        const QByteArray before = digest(m_tmp.filePath(victim));
        QVERIFY(!before.isEmpty());
        const QStringList filesBefore = entries(dir());
        const QStringList mlBefore = entries(path("ml"));
        const Run r = cli(args, dir());
        QCOMPARE(r.code, 1);
        const QStringList lines = r.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines[0].contains(flag + QStringLiteral(" is the same file as the input")), qPrintable(lines[0]));
        QCOMPARE(digest(m_tmp.filePath(victim)), before);
        QCOMPARE(entries(dir()), filesBefore);
        QCOMPARE(entries(path("ml")), mlBefore);
        QVERIFY2(r.out.isEmpty(), qPrintable(r.out)); // refused before any work
    }

    void successLeavesOnlyOutputs()
    {
        QTemporaryDir out;
        const Run r = cli({QStringLiteral("evaluate"), QStringLiteral("--data"), path("data.sqlite"),
                           QStringLiteral("--model"), path("model.pt"), QStringLiteral("--json"),
                           out.filePath(QStringLiteral("m.json")), QStringLiteral("--lists"),
                           out.filePath(QStringLiteral("l.csv")), QStringLiteral("--per-user"),
                           out.filePath(QStringLiteral("p.csv"))},
                          dir());
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(entries(out.path()), (QStringList{QStringLiteral("l.csv"), QStringLiteral("m.json"), QStringLiteral("p.csv")}));
        // Writing again replaces the files whole.
        const Run again = cli({QStringLiteral("evaluate"), QStringLiteral("--data"), path("data.sqlite"),
                               QStringLiteral("--model"), path("model.pt"), QStringLiteral("--json"),
                               out.filePath(QStringLiteral("m.json"))},
                              dir());
        QCOMPARE(again.code, 0);
        QCOMPARE(entries(out.path()), (QStringList{QStringLiteral("l.csv"), QStringLiteral("m.json"), QStringLiteral("p.csv")}));
    }
};

QTEST_GUILESS_MAIN(TestCliOutputs)
#include "tst_cli_outputs.moc"
