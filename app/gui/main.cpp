// reclens [DATASET.sqlite | SESSION.reclens] [--model M.pt]... [--run R.trec]... [--requests users|queries] [--user ID]
//         [--diversity 0..1] [--rerank NAME]
//         [--size WxH] [--page inspect|summary] [--screenshot OUT.png] [--report OUT.pdf] [--html OUT.html]
// Without a file it opens the sample's demo session (or, without one, the sample data) built by the
// `sample_data` target.
#include "core/common/files.h"
#include "core/rerank/reranker.h"
#include "ui/mainwindow.h"
#include "ui/session/workspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <cstdio>
#include <optional>
#include <string_view>

namespace
{

// The sample data: next to the build tree (compile definition), or relative to the executable
// (build/<preset>/app/gui/reclens -> build/<preset>/sample_data).
QString sampleDataDir()
{
    const QStringList candidates { QStringLiteral(RECLENS_SAMPLE_DATA_DIR),
        QCoreApplication::applicationDirPath() + u"/../../sample_data"_qs,
        QCoreApplication::applicationDirPath() + u"/../share/reclens/sample_data"_qs };
    for (const QString &dir : candidates) {
        if (QFileInfo::exists(dir + u"/completejourney.sqlite"_qs))
            return QDir(dir).absolutePath();
    }
    return {};
}

// The sample models, BPR first (the primary model), then popularity, item-kNN and EASE, then any other.
QStringList sampleModels(const QString &dir)
{
    QStringList all;
    for (const QFileInfo &f : QDir(dir).entryInfoList({ QStringLiteral("*.pt") }, QDir::Files, QDir::Name))
        all << f.absoluteFilePath();
    QStringList ordered;
    for (const QString &key :
        { QStringLiteral("bpr"), QStringLiteral("popularity"), QStringLiteral("itemknn"), QStringLiteral("ease") }) {
        for (const QString &path : std::as_const(all)) {
            if (QFileInfo(path).completeBaseName().endsWith(key) && !ordered.contains(path))
                ordered << path;
        }
    }
    for (const QString &path : std::as_const(all)) {
        if (!ordered.contains(path))
            ordered << path;
    }
    return ordered;
}

int fail(const QString &message)
{
    std::fprintf(stderr, "reclens: error: %s\n", qPrintable(message));
    return 2;
}

} // namespace

int main(int argc, char *argv[])
{
    // A report or HTML written where there is no display runs offscreen (DESIGN §10: headless).
    bool writesReport = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        writesReport = writesReport || a == "--report" || a == "--html" || a.rfind("--report=", 0) == 0
            || a.rfind("--html=", 0) == 0;
    }
    if (writesReport && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY")
        && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("RecLens"));
    QApplication::setApplicationName(QStringLiteral("RecLens"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Inspect recommendation rankings one user at a time."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("file"),
        QStringLiteral("RecLens session (.reclens) or dataset (.sqlite); default: the sample data"));
    const QCommandLineOption model(
        QStringLiteral("model"), QStringLiteral("TorchScript model (.pt); repeatable"), QStringLiteral("M.pt"));
    const QCommandLineOption run(QStringLiteral("run"),
        QStringLiteral("Precomputed run (TREC 'qid Q0 docid rank score tag' or CSV); repeatable"),
        QStringLiteral("R.trec"));
    const QCommandLineOption requests(QStringLiteral("requests"),
        QStringLiteral("users|queries: a search dataset's queries (default: queries when only runs are given)"),
        QStringLiteral("KIND"), QStringLiteral("auto"));
    const QCommandLineOption user(
        QStringLiteral("user"), QStringLiteral("External id of the user (or query) to show"), QStringLiteral("ID"));
    const QCommandLineOption diversity(QStringLiteral("diversity"), QStringLiteral("δ in [0,1]"), QStringLiteral("D"));
    const QCommandLineOption rerank(
        QStringLiteral("rerank"), QStringLiteral("mmr|dpp|calibrated|caps|none"), QStringLiteral("NAME"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral("Save a PNG of the window once the user is shown, then quit"), QStringLiteral("OUT.png"));
    const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Window size WxH (default 1600x1000)"),
        QStringLiteral("WxH"), QStringLiteral("1600x1000"));
    const QCommandLineOption page(QStringLiteral("page"), QStringLiteral("Page to show first: inspect|summary"),
        QStringLiteral("PAGE"), QStringLiteral("inspect"));
    const QCommandLineOption report(QStringLiteral("report"),
        QStringLiteral("Write the report as PDF once the numbers are in, then quit (headless: QT_QPA_PLATFORM=offscreen)"),
        QStringLiteral("OUT.pdf"));
    const QCommandLineOption htmlReport(QStringLiteral("html"),
        QStringLiteral("Write the report as one self-contained HTML file, then quit"), QStringLiteral("OUT.html"));
    const QCommandLineOption present(QStringLiteral("present"),
        QStringLiteral("Start in presentation mode (full screen; with --screenshot a 1920x1080 window, or --size)"));
    parser.addOptions({ model, run, requests, user, diversity, rerank, screenshot, size, page, report, htmlReport, present });
    parser.process(app);

    QString dataset = parser.positionalArguments().value(0);
    QStringList models = parser.values(model);
    const QStringList runs = parser.values(run);
    const QString kind = parser.value(requests);
    QString session;
    if (dataset.endsWith(u".reclens"_qs, Qt::CaseInsensitive)) {
        session = dataset;
        dataset.clear();
        if (parser.isSet(model) || parser.isSet(run) || parser.isSet(requests))
            return fail(u"a session names its own dataset, models and runs: leave out --model, --run and --requests "
                        "(add them in the app and save the session)"_qs);
        if (!QFileInfo::exists(session))
            return fail(session + u": no such session file; check the path"_qs);
    }
    if (kind != u"auto"_qs && kind != u"users"_qs && kind != u"queries"_qs)
        return fail(u"--requests must be users or queries, got '"_qs + kind + u"'"_qs);
    if (dataset.isEmpty() && session.isEmpty()) {
        const QString dir = sampleDataDir();
        if (!dir.isEmpty() && models.isEmpty() && runs.isEmpty() && QFileInfo::exists(dir + u"/demo.reclens"_qs)) {
            // The sample's demo session: story users with notes, a rule, MMR at δ 0.5.
            session = dir + u"/demo.reclens"_qs;
        } else if (!dir.isEmpty()) {
            dataset = dir + u"/completejourney.sqlite"_qs;
            if (models.isEmpty())
                models = sampleModels(dir);
        }
    } else if (!dataset.isEmpty() && models.isEmpty() && runs.isEmpty()) {
        // Models saved beside the dataset as <stem>-<name>.pt open with it.
        const QFileInfo info(dataset);
        for (const QFileInfo &m :
            info.dir().entryInfoList({ info.completeBaseName() + u"-*.pt"_qs }, QDir::Files, QDir::Name))
            models << m.absoluteFilePath();
    }

    reclens::ui::MainWindow window;
    if (!parser.isSet(screenshot) && !parser.isSet(report) && !parser.isSet(htmlReport) && session.isEmpty())
        window.restoreControls(); // a screenshot or report shows exactly what the command line asks for
    // The command line's controls, over the saved ones (or over the session's, once it is open).
    double delta = -1;
    if (parser.isSet(diversity)) {
        bool ok = false;
        delta = parser.value(diversity).toDouble(&ok);
        if (!ok || delta < 0 || delta > 1)
            return fail(u"--diversity must be a number between 0 and 1, got '"_qs + parser.value(diversity) + u"'"_qs);
    }
    std::optional<reclens::RerankMethod> method;
    if (parser.isSet(rerank)) {
        try {
            method = reclens::parse_rerank_method(parser.value(rerank).toStdString());
        } catch (const std::exception &e) {
            return fail(QString::fromStdString(e.what()));
        }
    }
    auto applyControls = [&window, delta, method] {
        reclens::ui::WorkspaceSettings settings = window.workspace()->settings();
        if (delta >= 0)
            settings.rerank.diversity = delta;
        if (method)
            settings.rerank.method = *method;
        window.workspace()->setSettings(settings);
    };
    if (session.isEmpty())
        applyControls();

    const QStringList wh = parser.value(size).split(u'x');
    const int w = wh.value(0).toInt(), h = wh.value(1).toInt();
    if (parser.isSet(screenshot) || parser.isSet(size) || !QSettings().contains(QStringLiteral("window/geometry")))
        window.resize(w > 0 ? w : 1600, h > 0 ? h : 1000);
    if (parser.value(page) == u"summary"_qs)
        window.showSummaryPage();
    else if (parser.value(page) != u"inspect"_qs)
        return fail(u"--page must be inspect or summary, got '"_qs + parser.value(page) + u"'"_qs);
    window.show();

    if (parser.isSet(report) && !parser.value(report).endsWith(u".pdf"_qs, Qt::CaseInsensitive))
        return fail(u"--report writes a PDF: give a .pdf file (--html OUT.html writes the HTML report)"_qs);
    if (parser.isSet(htmlReport) && !parser.value(htmlReport).endsWith(u".html"_qs, Qt::CaseInsensitive)
        && !parser.value(htmlReport).endsWith(u".htm"_qs, Qt::CaseInsensitive))
        return fail(u"--html writes an HTML file: give a .html file"_qs);
    const bool headless = parser.isSet(screenshot) || parser.isSet(report) || parser.isSet(htmlReport);
    if (parser.isSet(report) || parser.isSet(htmlReport)) {
        // A failed load or evaluation ends a headless run at once, with its message.
        QObject::connect(window.workspace()->analysis(), &reclens::ui::Analysis::jobFailed, &app,
            [](reclens::ui::Analysis::Job job, const QString &, const QString &message) {
                if (job != reclens::ui::Analysis::Job::evaluation && job != reclens::ui::Analysis::Job::scoring)
                    return;
                std::fprintf(stderr, "reclens: error: %s\n", qPrintable(message));
                QCoreApplication::exit(1);
            });
    }
    if (headless) {
        // Never write over a file this run reads (DESIGN §9).
        std::vector<reclens::NamedPath> inputs { { dataset.toStdString(), "dataset" } };
        for (const QString &m : models)
            inputs.push_back({ m.toStdString(), "--model" });
        for (const QString &r : runs)
            inputs.push_back({ r.toStdString(), "--run" });
        try {
            if (!session.isEmpty()) {
                const reclens::Session s = reclens::read_session(session.toStdString());
                inputs.push_back({ session.toStdString(), "session" });
                inputs.push_back({ s.dataset, "the session's dataset" });
                for (const auto &src : s.sources)
                    inputs.push_back({ src.path, "a file of the session" });
            }
            reclens::check_outputs(inputs,
                { { parser.value(screenshot).toStdString(), "--screenshot" },
                    { parser.value(report).toStdString(), "--report" }, { parser.value(htmlReport).toStdString(), "--html" } });
        } catch (const std::exception &e) {
            return fail(QString::fromStdString(e.what()));
        }
    }
    if (!dataset.isEmpty())
        window.openDataset(dataset, models, parser.value(user), runs, kind);
    if (!session.isEmpty()) {
        const QString userId = parser.value(user);
        // Once, for the session of the command line (not for sessions opened later from the menu).
        const QString firstPage = parser.isSet(page) ? parser.value(page) : QString();
        QObject::connect(
            window.workspace(), &reclens::ui::Workspace::sessionOpened, &window,
            [&window, applyControls, userId, delta, method, firstPage] {
                if (delta >= 0 || method)
                    applyControls();
                if (!userId.isEmpty())
                    window.workspace()->selectUserById(userId);
                if (firstPage == u"summary"_qs)
                    window.showSummaryPage();
                else if (firstPage == u"inspect"_qs)
                    window.showInspectPage();
            },
            Qt::SingleShotConnection);
        if (headless) {
            // Headless: a session that cannot be opened as saved is an error, not a dialog to answer.
            QObject::connect(window.workspace(), &reclens::ui::Workspace::sessionProblems, &app,
                [](const QString &path, const std::vector<reclens::SessionFileProblem> &problems) {
                    for (const auto &p : problems)
                        std::fprintf(stderr, "reclens: error: %s: %s\n", qPrintable(path), p.message().c_str());
                    QCoreApplication::exit(2);
                });
            QObject::connect(window.workspace(), &reclens::ui::Workspace::loadFailed, &app,
                [](const QString &, const QString &message) {
                    std::fprintf(stderr, "reclens: error: %s\n", qPrintable(message));
                    QCoreApplication::exit(2);
                });
        }
        window.openSession(session);
    }

    if (parser.isSet(present)) {
        // A projector's size for a screenshot (or --size), else the screen. With a session, once it
        // is open: a dialog about its files must not hide behind a full-screen window.
        QSize shown;
        if (parser.isSet(screenshot))
            shown = parser.isSet(size) && w > 0 && h > 0 ? QSize(w, h) : QSize(1920, 1080);
        if (session.isEmpty())
            window.enterPresentation(shown);
        else
            QObject::connect(window.workspace(), &reclens::ui::Workspace::sessionOpened, &window,
                [&window, shown] { window.enterPresentation(shown); }, Qt::SingleShotConnection);
    }
    if (parser.isSet(report) || parser.isSet(htmlReport)) {
        // The reports once the numbers are in, one after the other (each written in the background),
        // then a screenshot when asked too; one line per report.
        QStringList paths;
        for (const QString &path : { parser.value(report), parser.value(htmlReport) })
            if (!path.isEmpty())
                paths << path;
        const QString shot = parser.value(screenshot);
        window.whenReady([&window, paths, shot](bool ready) {
            if (!ready) {
                std::fprintf(stderr, "reclens: error: the data did not load or the numbers did not finish; nothing written\n");
                QCoreApplication::exit(1);
                return;
            }
            auto left = std::make_shared<QStringList>(paths);
            auto code = std::make_shared<int>(0);
            // Starts the next report (one refused at once is said at once); when none is left, the
            // screenshot or the exit.
            const auto next = [&window, left, code, shot] {
                while (!left->isEmpty()) {
                    const QString path = left->takeFirst();
                    const QString error = window.exportReport(path);
                    if (error.isEmpty())
                        return; // reportFinished follows
                    std::fprintf(stderr, "reclens: error: %s\n", qPrintable(error));
                    *code = 1;
                }
                if (!shot.isEmpty()) {
                    QObject::connect(&window, &reclens::ui::MainWindow::screenshotSaved, qApp,
                        [code](const QString &, bool ok) { QCoreApplication::exit(ok ? *code : 1); });
                    window.saveScreenshotWhenReady(shot, 1000);
                    return;
                }
                QCoreApplication::exit(*code);
            };
            QObject::connect(
                &window, &reclens::ui::MainWindow::reportFinished, qApp,
                [code, next](const QString &path, const QString &error) {
                    if (error.isEmpty()) {
                        std::printf("reclens: report written to %s\n", qPrintable(path));
                    } else {
                        std::fprintf(stderr, "reclens: error: %s\n", qPrintable(error));
                        *code = 1;
                    }
                    next();
                },
                Qt::QueuedConnection);
            next();
        });
    } else if (parser.isSet(screenshot)) {
        QObject::connect(&window, &reclens::ui::MainWindow::screenshotSaved, &app,
            [](const QString &, bool ok) { QCoreApplication::exit(ok ? 0 : 1); });
        window.saveScreenshotWhenReady(parser.value(screenshot));
    }
    if (dataset.isEmpty() && session.isEmpty() && !headless)
        std::fprintf(
            stderr, "reclens: no sample data found (build the 'sample_data' target); use File › Open dataset\n");
    return app.exec();
}
