// Exports from the window, offscreen, on the sample data (DESIGN §10): every plot as PNG, PDF and SVG
// (decoded back: the PNG's size, the PDF header, the SVG's XML and texts), every table as CSV and
// JSON with exact values, the shown user's lists as CSV, default file names, and refusals (a file
// of the session, an unknown suffix) that leave the files as they were.
#include "ui/mainwindow.h"
#include "ui/models/rankinglistmodel.h"
#include "ui/models/summarymodel.h"
#include "ui/models/tableexport.h"
#include "ui/models/usertablemodel.h"
#include "ui/pages/inspectpage.h"
#include "ui/pages/summarypage.h"
#include "ui/pages/userspage.h"
#include "ui/plots/qcustomplotinclude.h"
#include "ui/plots/rocplot.h"
#include "ui/session/workspace.h"

#include <QCryptographicHash>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>
#include <algorithm>

#include <cmath>

using namespace reclens;
using namespace reclens::ui;

namespace
{
const QString kSample = QStringLiteral(RECLENS_BINARY_DIR "/sample_data");

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QList<QByteArray> csvLines(const QString &path)
{
    QList<QByteArray> lines = readAll(path).split('\n');
    if (!lines.isEmpty() && lines.back().isEmpty())
        lines.removeLast();
    return lines;
}

void closeErrorDialog(MainWindow &w)
{
    if (w.errorDialog())
        w.errorDialog()->close();
    QTRY_VERIFY(!w.errorDialog());
}
} // namespace

class TestExports : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    MainWindow *m_window = nullptr;

    QString out(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        // RECLENS_KEEP_EXPORTS=1 keeps the files to look at.
        if (qEnvironmentVariableIsSet("RECLENS_KEEP_EXPORTS")) {
            m_dir.setAutoRemove(false);
            qInfo().noquote() << "exports kept in" << m_dir.path();
        }
        const QString data = kSample + u"/completejourney.sqlite"_qs;
        const QString bpr = kSample + u"/completejourney-bpr.pt"_qs;
        if (!QFile::exists(data) || !QFile::exists(bpr))
            QSKIP("sample data not built: run the 'sample_data' target (needs ../shared/datasets)");
        m_window = new MainWindow;
        m_window->resize(1500, 950);
        m_window->show();
        m_window->openDataset(data, { bpr });
        Workspace *ws = m_window->workspace();
        QTRY_VERIFY_WITH_TIMEOUT(ws->view().user >= 0 && ws->analysis()->runs().reranked && !ws->isBusy(), 180000);
        QTRY_VERIFY_WITH_TIMEOUT(!ws->analysis()->sweep().curve.delta.empty() && !ws->isBusy(), 180000);
    }
    void cleanupTestCase()
    {
        if (m_window)
            m_window->workspace()->waitForJobs();
        delete m_window;
    }

    void plots_data()
    {
        QTest::addColumn<QString>("plot");
        QTest::addColumn<QString>("suffix");
        for (const QString &plot : MainWindow::exportablePlots())
            for (const QString &suffix : { u"png"_qs, u"pdf"_qs, u"svg"_qs })
                QTest::newRow(qPrintable(plot + u"."_qs + suffix)) << plot << suffix;
    }
    void plots()
    {
        QFETCH(QString, plot);
        QFETCH(QString, suffix);
        const QString path = out(plot + u"."_qs + suffix);
        QCOMPARE(m_window->exportPlot(plot, path), QString());
        const QByteArray bytes = readAll(path);
        QVERIFY(bytes.size() > 500);
        if (suffix == u"png"_qs) {
            QImage image;
            QVERIFY(image.loadFromData(bytes, "PNG"));
            QVERIFY2(image.width() >= 400 && image.height() >= 200, qPrintable(QString::number(image.width())));
            // Not blank: more than a handful of colours.
            QSet<QRgb> colours;
            for (int y = 0; y < image.height(); y += 7)
                for (int x = 0; x < image.width(); x += 7)
                    colours.insert(image.pixel(x, y));
            QVERIFY(colours.size() > 5);
        } else if (suffix == u"pdf"_qs) {
            QVERIFY(bytes.startsWith("%PDF-"));
            QVERIFY(bytes.contains("%%EOF"));
        } else {
            QXmlStreamReader xml(bytes);
            QString root;
            int shapes = 0;
            while (!xml.atEnd()) {
                if (xml.readNext() != QXmlStreamReader::StartElement)
                    continue;
                if (root.isEmpty())
                    root = xml.name().toString();
                if (xml.name() == u"path"_qs || xml.name() == u"polyline"_qs || xml.name() == u"rect"_qs)
                    ++shapes;
            }
            QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
            QCOMPARE(root, u"svg"_qs);
            QVERIFY(shapes > 3);
            if (plot == u"roc"_qs)
                QVERIFY2(bytes.contains("AUC"), "the ROC legend's AUC is text in the SVG");
        }
        // The temporary file is gone.
        const QStringList left = QDir(m_dir.path()).entryList({ u"*.tmp-*"_qs });
        QVERIFY2(left.isEmpty(), qPrintable(left.join(u", "_qs)));
    }

    void tables()
    {
        Workspace *ws = m_window->workspace();
        // Requests: as the table shows them, metrics exact.
        m_window->usersPage()->showWorstFirst(u"ndcg"_qs);
        const QString csv = out(u"requests.csv"_qs), json = out(u"requests.json"_qs);
        QCOMPARE(m_window->exportTable(u"requests"_qs, csv), QString());
        QCOMPARE(m_window->exportTable(u"requests"_qs, json), QString());
        const QAbstractItemModel *proxy = m_window->usersPage()->proxy();
        const QList<QByteArray> lines = csvLines(csv);
        QCOMPARE(lines.size(), proxy->rowCount() + 1);
        QVERIFY(lines[0].startsWith("user,segment,history,test,"));
        const QJsonArray rows = QJsonDocument::fromJson(readAll(json)).array();
        QCOMPARE(rows.size(), proxy->rowCount());
        const int ndcg = UserTableModel::metricColumn(MetricId::ndcg);
        const QString ndcgName = proxy->headerData(ndcg, Qt::Horizontal).toString();
        // Against the all-user run itself (the model order's per-user metrics), not the table.
        const EvaluationResult &base = *ws->analysis()->runs().base;
        for (int r : { 0, 1, proxy->rowCount() / 2 }) {
            const int32_t u = proxy->index(r, 0).data(UserTableModel::UserIndexRole).toInt();
            const auto at = std::find(base.users.begin(), base.users.end(), u);
            QVERIFY(at != base.users.end());
            const double expected = base.per_user[static_cast<size_t>(at - base.users.begin())][MetricId::ndcg];
            const QJsonValue v = rows[r].toObject().value(ndcgName);
            if (std::isnan(expected))
                QVERIFY(v.isNull());
            else
                QCOMPARE(v.toDouble(), expected);
            QCOMPARE(rows[r].toObject().value(u"user"_qs).toString(),
                proxy->index(r, UserTableModel::IdColumn).data(ExportRole).toString());
        }
        // Summary: the all-user numbers, unrounded.
        const QString summary = out(u"summary.json"_qs);
        QCOMPARE(m_window->exportTable(u"summary"_qs, summary), QString());
        QCOMPARE(m_window->exportTable(u"summary"_qs, out(u"summary.csv"_qs)), QString());
        bool found = false;
        for (const QJsonValue &row : QJsonDocument::fromJson(readAll(summary)).array()) {
            const QJsonObject o = row.toObject();
            if (o.value(u"metric"_qs).toString() != u"ndcg"_qs)
                continue;
            found = true;
            const QString rerankedHeader
                = m_window->summaryPage()->model()->headerData(2, Qt::Horizontal).toString();
            QCOMPARE(o.value(rerankedHeader).toDouble(), ws->analysis()->runs().reranked->metrics.at("ndcg"));
        }
        QVERIFY(found);
        for (const QString &t : { u"popularity"_qs, u"activity"_qs, u"segments"_qs }) {
            QCOMPARE(m_window->exportTable(t, out(t + u".csv"_qs)), QString());
            QCOMPARE(m_window->exportTable(t, out(t + u".json"_qs)), QString());
            QVERIFY(csvLines(out(t + u".csv"_qs)).size() >= 2);
            QVERIFY(!QJsonDocument::fromJson(readAll(out(t + u".json"_qs))).array().isEmpty());
        }
        // The overlap of the shown lists: one row per pair, the titles named, values exact.
        QCOMPARE(m_window->exportTable(u"overlap"_qs, out(u"overlap.json"_qs)), QString());
        QCOMPARE(m_window->exportTable(u"overlap"_qs, out(u"overlap.csv"_qs)), QString());
        const QJsonArray pairs = QJsonDocument::fromJson(readAll(out(u"overlap.json"_qs))).array();
        const UserView &view = ws->view();
        const size_t n = view.columns.size();
        QCOMPARE(static_cast<size_t>(pairs.size()), n * (n - 1) / 2);
        QCOMPARE(csvLines(out(u"overlap.csv"_qs)).size(), pairs.size() + 1);
        const QJsonObject first = pairs[0].toObject();
        QCOMPARE(first.value(u"lists"_qs).toString(),
            QString::fromStdString(view.columns[0].title + " | " + view.columns[1].title));
        QCOMPARE(first.value(u"Jaccard"_qs).toDouble(), view.overlaps[0].jaccard);
        QCOMPARE(first.value(u"RBO"_qs).toDouble(), view.overlaps[0].rbo);
    }

    void lists()
    {
        Workspace *ws = m_window->workspace();
        ws->setDiversity(0.6); // MMR: the re-ranked list says why each item stands where it does
        const QString path = out(u"lists.csv"_qs);
        QCOMPARE(m_window->exportLists(path), QString());
        const QList<QByteArray> lines = csvLines(path);
        QCOMPARE(lines[0], QByteArray("list,user_id,rank,item_id,title,category,brand,price,score,hit,move,reason,"
                                      "relevance_term,diversity_term,gain,because_item_id,similarity,rules,why"));
        size_t expected = 0;
        for (const ListColumn &c : ws->view().columns)
            expected += c.items.size();
        QCOMPARE(static_cast<size_t>(lines.size() - 1), expected);
        const auto ds = ws->dataset();
        const std::string user = ds->user_external[static_cast<size_t>(ws->view().user)];
        // The same rows as JSON.
        const QString json = out(u"lists.json"_qs);
        QCOMPARE(m_window->exportLists(json), QString());
        const QJsonArray rows = QJsonDocument::fromJson(readAll(json)).array();
        QCOMPARE(static_cast<size_t>(rows.size()), expected);
        QCOMPARE(rows[0].toObject().value(u"item_id"_qs).toString().toStdString(),
            ds->item_external[static_cast<size_t>(ws->view().columns.front().items.front())]);
        QCOMPARE(rows[0].toObject().value(u"rank"_qs).toInt(), 1);
        // The first list's items in order (quoted fields aside, the item id is the 4th cell).
        const ListColumn &first = ws->view().columns.front();
        for (size_t i = 0; i < first.items.size(); ++i) {
            const QList<QByteArray> cells = lines[static_cast<qsizetype>(i + 1)].split(',');
            QCOMPARE(cells[1].toStdString(), user);
            QCOMPARE(cells[2].toInt(), static_cast<int>(i + 1));
            QCOMPARE(cells[3].toStdString(), ds->item_external[static_cast<size_t>(first.items[i])]);
        }
        // Why each re-ranked item is there: MMR's terms add up, the penalty names an item chosen
        // before it, and the tooltip says the same as the export.
        const ListColumn &reranked = ws->view().columns.at(1);
        QCOMPARE(reranked.reasons.size(), reranked.items.size());
        int mmrRows = 0;
        for (const QJsonValue &v : rows) {
            const QJsonObject o = v.toObject();
            if (o.value(u"list"_qs).toString().toStdString() != reranked.title) {
                QVERIFY(!o.contains(u"reason"_qs));
                continue;
            }
            const int rank = o.value(u"rank"_qs).toInt();
            QVERIFY(!o.value(u"why"_qs).toString().isEmpty());
            if (o.value(u"reason"_qs).toString() != u"mmr"_qs)
                continue;
            ++mmrRows;
            const double gain = o.value(u"gain"_qs).toDouble();
            QVERIFY(std::abs(o.value(u"relevance_term"_qs).toDouble() - o.value(u"diversity_term"_qs).toDouble() - gain)
                < 1e-12);
            if (rank > 1) {
                const QString because = o.value(u"because_item_id"_qs).toString();
                const auto earlier = std::find_if(reranked.items.begin(), reranked.items.begin() + (rank - 1),
                    [&](int32_t item) { return ds->item_external[static_cast<size_t>(item)] == because.toStdString(); });
                QVERIFY2(earlier != reranked.items.begin() + (rank - 1), qPrintable(because));
            }
        }
        QVERIFY(mmrRows >= 2);
        const QString tip = m_window->inspectPage()->listModel(1)->index(1, 0).data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(u"Why here: "_qs + QString::fromStdString(reranked.why[1])), qPrintable(tip));
    }

    void defaultNames()
    {
        const auto ds = m_window->workspace()->dataset();
        const QString user = QString::fromStdString(ds->user_external[static_cast<size_t>(m_window->workspace()->currentUser())]);
        const QString p = m_window->defaultExportPath(u"roc"_qs, u"svg"_qs, true);
        QVERIFY2(p.endsWith(u"/completejourney-user-"_qs + user + u"-roc.svg"_qs), qPrintable(p));
        QVERIFY2(m_window->defaultExportPath(u"summary"_qs, u"csv"_qs, false).endsWith(u"/completejourney-summary.csv"_qs),
            qPrintable(m_window->defaultExportPath(u"summary"_qs, u"csv"_qs, false)));
    }

    void refusals()
    {
        const QString dataset = QString::fromStdString(m_window->workspace()->dataset()->path);
        const QByteArray before = QCryptographicHash::hash(readAll(dataset), QCryptographicHash::Sha256);
        QString e = m_window->exportPlot(u"roc"_qs, dataset);
        QVERIFY2(e.contains(u".png, .pdf or .svg"_qs), qPrintable(e)); // .sqlite is not a plot format
        closeErrorDialog(*m_window);
        const QString png = out(u"data.png"_qs);
        QVERIFY(QFile::link(dataset, png));
        e = m_window->exportPlot(u"roc"_qs, png);
        QVERIFY2(e.contains(u"same file"_qs), qPrintable(e));
        closeErrorDialog(*m_window);
        const QString link = out(u"data.csv"_qs);
        QVERIFY(QFile::link(dataset, link));
        e = m_window->exportTable(u"summary"_qs, link);
        QVERIFY2(e.contains(u"same file"_qs), qPrintable(e));
        closeErrorDialog(*m_window);
        e = m_window->exportLists(link);
        QVERIFY2(e.contains(u"same file"_qs), qPrintable(e));
        closeErrorDialog(*m_window);
        e = m_window->exportTable(u"summary"_qs, out(u"summary.xlsx"_qs));
        QVERIFY2(e.contains(u".csv or .json"_qs), qPrintable(e));
        closeErrorDialog(*m_window);
        QCOMPARE(QCryptographicHash::hash(readAll(dataset), QCryptographicHash::Sha256), before);
    }
};

QTEST_MAIN(TestExports)
#include "tst_exports.moc"
