// reclens-cli evaluate --session (DESIGN §4, §10) on the fixture dataset and model: the session's
// settings give the numbers the same flags give; its rules act (a pinned item heads every list);
// flags the session decides are refused; missing, changed, truncated and newer sessions and their
// files are refused with one line, and no output overwrites the session or its files.
#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run {
    int code = -1;
    QString out;
    QString err;
};

Run cli(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(RECLENS_CLI), args);
    if (!p.waitForFinished(120000))
        return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QString sha256(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLatin1(QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex());
}

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
}

} // namespace

class TestCliSession : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    QString m_data, m_model;

    QString path(const QString &name) const { return m_tmp.filePath(name); }

    // A session over the temporary copies: the dataset and model relative to it.
    QJsonObject session(const QJsonArray &rules = {}) const
    {
        QJsonObject settings{{"rerank", "mmr"},         {"diversity", 0.6},     {"similarity", "category"},
                             {"category_level", 1},     {"max_per_category", 0}, {"max_per_brand", 0},
                             {"k", 5},                  {"pool", 20},           {"second_model", false}};
        return QJsonObject{
            {"format", "reclens-session"},
            {"version", 1},
            {"dataset", QJsonObject{{"path", "dataset.sqlite"}, {"sha256", sha256(m_data)}, {"requests", "users"}}},
            {"sources", QJsonArray{QJsonObject{
                            {"kind", "model"}, {"path", "two_tower.pt"}, {"sha256", sha256(m_model)}, {"name", "tt"}}}},
            {"settings", settings},
            {"rules", rules},
            {"user", "u003"},
            {"story", QJsonArray{QJsonObject{{"user", "u003"}, {"note", "n"}}}},
            {"plots", QJsonObject{{"category_level", 1}, {"roc", "pool"}, {"page", "inspect"}}}};
    }
    QString writeSession(const QString &name, const QJsonObject &s) const
    {
        const QString p = path(name);
        QFile f(p);
        if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            f.write(QJsonDocument(s).toJson());
        return p;
    }

private slots:
    void initTestCase()
    {
        m_data = path(QStringLiteral("dataset.sqlite"));
        m_model = path(QStringLiteral("two_tower.pt"));
        QVERIFY(QFile::copy(QStringLiteral(RECLENS_TEST_DATA "/models/dataset.sqlite"), m_data));
        QVERIFY(QFile::copy(QStringLiteral(RECLENS_TEST_DATA "/models/two_tower.pt"), m_model));
    }

    void sameNumbersAsTheFlags()
    {
        const QString s = writeSession(QStringLiteral("plain.reclens"), session());
        const Run a = cli({"evaluate", "--session", s, "--json", path("a.json"), "--lists", path("a.csv")});
        QVERIFY2(a.code == 0, qPrintable(a.err));
        QVERIFY2(a.out.contains(QStringLiteral("session ")), qPrintable(a.out));
        const Run b = cli({"evaluate", "--data", m_data, "--model", m_model, "--rerank", "mmr", "--diversity", "0.6",
                           "--similarity", "category", "--category-level", "1", "--k", "5", "--pool", "20", "--json",
                           path("b.json"), "--lists", path("b.csv")});
        QVERIFY2(b.code == 0, qPrintable(b.err));
        const QJsonObject ja = readJson(path("a.json")), jb = readJson(path("b.json"));
        QVERIFY(!ja.value("metrics").toObject().isEmpty());
        QCOMPARE(ja.value("metrics"), jb.value("metrics"));
        QCOMPARE(ja.value("k").toInt(), 5);
        QCOMPARE(ja.value("pool").toInt(), 20);
        QFile la(path("a.csv")), lb(path("b.csv"));
        QVERIFY(la.open(QIODevice::ReadOnly) && lb.open(QIODevice::ReadOnly));
        QCOMPARE(la.readAll(), lb.readAll());
    }

    void rulesAct()
    {
        const QJsonArray rules{QJsonObject{{"kind", "pin_item"}, {"target", "i007"}, {"factor", 1}, {"amount", 0}, {"rank", 1}}};
        const QString s = writeSession(QStringLiteral("pinned.reclens"), session(rules));
        const Run r = cli({"evaluate", "--session", s, "--lists", path("pinned.csv")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QFile f(path("pinned.csv"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        int lists = 0;
        for (const QByteArray &line : f.readAll().split('\n')) {
            const QList<QByteArray> cells = line.split(',');
            if (cells.size() < 3 || cells[1] != "1")
                continue;
            ++lists;
            QCOMPARE(cells[2], QByteArray("i007"));
        }
        QVERIFY(lists > 10);
        // A rule naming what the dataset lacks is refused with its number.
        const QJsonArray bad{QJsonObject{{"kind", "exclude_category"}, {"target", QJsonArray{"Fresh", "Nope"}},
                                         {"factor", 1}, {"amount", 0}, {"rank", 1}}};
        const Run e = cli({"evaluate", "--session", writeSession(QStringLiteral("bad-rule.reclens"), session(bad))});
        QCOMPARE(e.code, 1);
        QVERIFY2(e.err.contains(QStringLiteral("rule 1 (exclude_category) names category 'Fresh > Nope'")), qPrintable(e.err));
    }

    void refused_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        QTest::newRow("k with session") << QStringList{"--k", "3"} << "--session sets --k itself";
        QTest::newRow("model with session") << QStringList{"--model", "x.pt"} << "--session sets --model itself";
        QTest::newRow("json over session") << QStringList{"--json", "@session"} << "is the same file as the input --session";
        QTest::newRow("lists over model") << QStringList{"--lists", "@model"} << "is the same file as the input";
    }
    void refused()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        const QString s = writeSession(QStringLiteral("r.reclens"), session());
        const QByteArray before = sha256(s).toLatin1() + sha256(m_model).toLatin1();
        for (QString &a : args)
            a = a == "@session" ? s : a == "@model" ? m_model : a;
        const Run r = cli(QStringList{"evaluate", "--session", s} + args);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(expected), qPrintable(r.err));
        QCOMPARE(r.err.count('\n'), 1);
        QCOMPARE(sha256(s).toLatin1() + sha256(m_model).toLatin1(), before);
    }

    void badSessionsAndFiles()
    {
        // Changed model: named with both hashes' prefixes; never evaluated.
        const QString s = writeSession(QStringLiteral("c.reclens"), session());
        const QString copy = path("changed.pt");
        QVERIFY(QFile::copy(m_model, copy));
        QJsonObject changed = session();
        QJsonArray sources = changed.value("sources").toArray();
        QJsonObject src = sources[0].toObject();
        src["path"] = "changed.pt";
        sources[0] = src;
        changed["sources"] = sources;
        const QString cs = writeSession(QStringLiteral("changed.reclens"), changed);
        QFile f(copy);
        QVERIFY(f.open(QIODevice::Append));
        f.write("x");
        f.close();
        Run r = cli({"evaluate", "--session", cs});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("the model 1 (tt) ") + copy + QStringLiteral(" changed since the session was saved")),
                 qPrintable(r.err));
        // Missing dataset (the session moved away from its files).
        QJsonObject moved = session();
        QJsonObject ds = moved.value("dataset").toObject();
        ds["path"] = "elsewhere/dataset.sqlite";
        moved["dataset"] = ds;
        r = cli({"evaluate", "--session", writeSession(QStringLiteral("moved.reclens"), moved)});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("the dataset ") + path("elsewhere/dataset.sqlite") + QStringLiteral(" is missing")),
                 qPrintable(r.err));
        // Truncated, newer, not a session.
        QFile whole(s);
        QVERIFY(whole.open(QIODevice::ReadOnly));
        const QByteArray text = whole.readAll();
        writeFile(path("t.reclens"), text.left(text.size() / 3));
        r = cli({"evaluate", "--session", path("t.reclens")});
        QVERIFY2(r.code == 1 && r.err.contains(QStringLiteral("ends early")), qPrintable(r.err));
        QJsonObject newer = session();
        newer["version"] = 3;
        r = cli({"evaluate", "--session", writeSession(QStringLiteral("n.reclens"), newer)});
        QVERIFY2(r.code == 1 && r.err.contains(QStringLiteral("saved by a newer RecLens (session version 3")), qPrintable(r.err));
        r = cli({"evaluate", "--session", m_data});
        QVERIFY2(r.code == 1 && r.err.contains(QStringLiteral("not a RecLens session")), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCliSession)
#include "tst_cli_session.moc"
