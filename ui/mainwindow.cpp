#include "ui/mainwindow.h"

#include "core/common/error.h"
#include "core/common/files.h"
#include "ui/pages/inspectpage.h"
#include "ui/pages/presentation.h"
#include "ui/pages/summarypage.h"
#include "ui/pages/userspage.h"
#include "ui/session/workspace.h"
#include "ui/widgets/importdialog.h"
#include "ui/widgets/jobstatus.h"
#include "ui/widgets/recentfiles.h"
#include "ui/widgets/sessionproblemsdialog.h"
#include "ui/widgets/rerankpanel.h"
#include "ui/widgets/rulespanel.h"
#include "ui/exports/reportjob.h"
#include "ui/widgets/storypanel.h"

#include <QAction>
#include <QCloseEvent>
#include <QDebug>
#include <QDialog>
#include <QDockWidget>
#include <algorithm>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

// The .qrc is compiled into the static ui library; nothing references it by symbol, so register it
// explicitly (Q_INIT_RESOURCE must be used outside a namespace).
static void initReclensResources()
{
    Q_INIT_RESOURCE(reclens);
}

namespace reclens::ui
{

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_workspace(new Workspace(this))
{
    setWindowTitle(QStringLiteral("RecLens"));
    initReclensResources();
    setWindowIcon(QIcon(QStringLiteral(":/reclens/icon.svg")));
    QFile style(QStringLiteral(":/reclens/style.qss"));
    if (style.open(QIODevice::ReadOnly))
        setStyleSheet(QString::fromUtf8(style.readAll()));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_controls = new RerankPanel(m_workspace, central);
    layout->addWidget(m_controls);
    m_tabs = new QTabWidget(central);
    m_inspect = new InspectPage(m_workspace, m_tabs);
    m_summary = new SummaryPage(m_workspace, m_tabs);
    m_tabs->addTab(m_inspect, QStringLiteral("Inspect user"));
    m_tabs->addTab(m_summary, QStringLiteral("Summary — all users"));
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    m_users = new UsersPage(m_workspace, this);
    auto *usersDock = new QDockWidget(QStringLiteral("Requests"), this);
    usersDock->setObjectName(QStringLiteral("usersDock"));
    usersDock->setWidget(m_users);
    usersDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::LeftDockWidgetArea, usersDock);
    m_rules = new RulesPanel(m_workspace, this);
    auto *rulesDock = new QDockWidget(QStringLiteral("Rules"), this);
    rulesDock->setObjectName(QStringLiteral("rulesDock"));
    rulesDock->setWidget(m_rules);
    rulesDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::LeftDockWidgetArea, rulesDock);
    m_story = new StoryPanel(m_workspace, this);
    auto *storyDock = new QDockWidget(QStringLiteral("Story"), this);
    storyDock->setObjectName(QStringLiteral("storyDock"));
    storyDock->setWidget(m_story);
    storyDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::LeftDockWidgetArea, storyDock);
    tabifyDockWidget(usersDock, rulesDock);
    tabifyDockWidget(rulesDock, storyDock);
    usersDock->raise();
    m_usersDock = usersDock;

    m_exports = new Exporter(m_workspace, { m_inspect, m_summary, m_users }, this);
    connect(m_exports, &Exporter::saved, this, [this](const QString &message) { statusBar()->showMessage(message, 4000); });
    connect(m_exports, &Exporter::failed, this, &MainWindow::showError);
    connect(m_exports, &Exporter::reportFinished, this, &MainWindow::reportFinished);
    buildMenus();
    buildStatusBar();

    connect(m_workspace, &Workspace::errorOccurred, this, &MainWindow::showError);
    connect(m_workspace, &Workspace::datasetChanged, this, &MainWindow::updateStatus);
    connect(m_workspace, &Workspace::modelsChanged, this, &MainWindow::updateStatus);
    connect(m_workspace, &Workspace::sessionChanged, this, &MainWindow::updateTitle);
    connect(m_workspace, &Workspace::sessionProblems, this, &MainWindow::showSessionProblems);
    connect(m_workspace, &Workspace::sessionOpened, this, [this](const QString &path, const Session &session) {
        m_recentSessions->add(path);
        if (session.page == "summary")
            showSummaryPage();
        else
            m_tabs->setCurrentWidget(m_inspect);
    });
    auto lastJob = [this](const QString &label, double ms) {
        m_jobLabel->setText(u"last job: "_qs + label + u" "_qs + QString::number(ms / 1000.0, 'f', 2) + u" s"_qs);
    };
    connect(m_workspace, &Workspace::loadFinished, this, lastJob);
    connect(m_workspace->analysis(), &Analysis::jobFinished, this, lastJob);
    connect(m_controls, &RerankPanel::diversityMoved, this, [this] { m_sliderTimer.start(); });
    connect(m_inspect, &InspectPage::viewApplied, this, [this] {
        if (!m_sliderTimer.isValid())
            return;
        // Measured after the queued plot replots have run (they are posted before this timer).
        QTimer::singleShot(0, this, [this] {
            if (!m_sliderTimer.isValid())
                return;
            m_lastSliderMs = static_cast<double>(m_sliderTimer.nsecsElapsed()) / 1e6;
            m_sliderTimer.invalidate();
            m_latencyLabel->setText(u"slider → view "_qs + QString::number(m_lastSliderMs, 'f', 1) + u" ms"_qs);
            qInfo().noquote() << u"reclens: slider update (lists + plots) took"_qs
                              << QString::number(m_lastSliderMs, 'f', 1) << u"ms"_qs;
            Q_EMIT sliderLatencyMeasured(m_lastSliderMs);
        });
    });
    // One progress bar for opening files and the all-user analysis.
    connect(m_workspace, &Workspace::loadStarted, m_jobStatus, &JobStatus::started);
    connect(m_workspace, &Workspace::loadProgressChanged, m_jobStatus, &JobStatus::progress);
    connect(m_workspace->analysis(), &Analysis::jobStarted, m_jobStatus,
        [this](Analysis::Job, const QString &label) { m_jobStatus->started(label); });
    connect(m_workspace->analysis(), &Analysis::progressChanged, m_jobStatus, &JobStatus::progress);
    connect(m_workspace, &Workspace::busyChanged, m_jobStatus, &JobStatus::stopped);
    connect(m_exports->reportJob(), &ReportJob::started, m_jobStatus, &JobStatus::started);
    connect(m_exports->reportJob(), &ReportJob::progressChanged, m_jobStatus, &JobStatus::progress);
    connect(m_exports->reportJob(), &ReportJob::finished, m_jobStatus, &JobStatus::stopped);

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    m_dockSized = restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    updateStatus();
}

MainWindow::~MainWindow()
{
    // The Workspace (a child) cancels its jobs when it is destroyed, after this window's own members
    // are gone: its signals must not reach this window's slots any more.
    m_workspace->analysis()->disconnect(this);
    m_workspace->analysis()->disconnect(m_jobStatus);
    m_workspace->disconnect(m_jobStatus);
    for (QObject *waiting : findChildren<QObject *>(QStringLiteral("whenReady"), Qt::FindDirectChildrenOnly)) {
        m_workspace->disconnect(waiting);
        m_workspace->analysis()->disconnect(waiting);
    }
    m_workspace->disconnect(this);
}

void MainWindow::showSummaryPage()
{
    m_tabs->setCurrentWidget(m_summary);
}

void MainWindow::showInspectPage()
{
    m_tabs->setCurrentWidget(m_inspect);
}

void MainWindow::enterPresentation(const QSize &size)
{
    if (!m_presentation) {
        m_presentation = new PresentationWindow(m_workspace, this);
        m_presentation->setAttribute(Qt::WA_DeleteOnClose);
    }
    if (size.isValid()) {
        m_presentation->resize(size);
        m_presentation->show();
    } else {
        m_presentation->showFullScreen();
    }
    m_presentation->raise();
    m_presentation->activateWindow();
}

PresentationWindow *MainWindow::presentation() const
{
    return m_presentation.data();
}

void MainWindow::leavePresentation()
{
    if (m_presentation)
        m_presentation->close();
}

bool MainWindow::maybeSave()
{
    const bool headless = QGuiApplication::platformName() == u"offscreen"_qs
        || QGuiApplication::platformName() == u"minimal"_qs;
    // Worth asking: a session file with changes, or an unsaved one with story users.
    const bool worth = m_workspace->dataset() && m_workspace->isModified()
        && (!m_workspace->sessionPath().isEmpty() || !m_workspace->story().empty());
    if (headless || !worth)
        return true;
    const QString name = m_workspace->sessionPath().isEmpty() ? QStringLiteral("this session")
                                                              : QFileInfo(m_workspace->sessionPath()).fileName();
    const auto answer = QMessageBox::question(this, QStringLiteral("Unsaved changes"),
        u"Save the changes to "_qs + name + u"?"_qs, QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel,
        QMessageBox::Save);
    if (answer == QMessageBox::Cancel)
        return false;
    return answer == QMessageBox::Discard || saveSession();
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(QStringLiteral("&File"));
    QAction *open = file->addAction(QStringLiteral("&Open dataset…"), this, &MainWindow::openDatasetDialog);
    open->setShortcut(QKeySequence::Open);
    QAction *openSessionAction
        = file->addAction(QStringLiteral("Open &session…"), this, &MainWindow::openSessionDialog);
    openSessionAction->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+O")));
    m_recentSessions = new RecentFiles(QStringLiteral("recentSessions"), file->addMenu(QStringLiteral("Recent s&essions")),
        [this](const QString &path) {
            if (maybeSave())
                openSession(path);
        },
        this);
    QAction *save = file->addAction(QStringLiteral("&Save session"), this, [this] { saveSession(); });
    save->setShortcut(QKeySequence::Save);
    QAction *saveAs = file->addAction(QStringLiteral("Save session &as…"), this, &MainWindow::saveSessionAsDialog);
    saveAs->setShortcut(QKeySequence::SaveAs);
    file->addSeparator();
    file->addAction(QStringLiteral("&Add model…"), this, &MainWindow::addModelDialog);
    file->addAction(QStringLiteral("Add &run…"), this, &MainWindow::addRunDialog);
    file->addAction(QStringLiteral("&Import CSV / MovieLens / CompleteJourney…"), this, &MainWindow::importDialog);
    m_recentFiles = new RecentFiles(QStringLiteral("recentFiles"), file->addMenu(QStringLiteral("&Recent files")),
        [this](const QString &path) {
            if (maybeSave())
                openDataset(path, modelsBeside(path));
        },
        this);
    file->addSeparator();
    QAction *quit = file->addAction(QStringLiteral("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *exportMenu = menuBar()->addMenu(QStringLiteral("&Export"));
    m_exports->buildMenu(exportMenu);
    QMenu *view = menuBar()->addMenu(QStringLiteral("&View"));
    view->setToolTipsVisible(true);
    QAction *presentation = view->addAction(QStringLiteral("Presentation mode"), this, [this] { enterPresentation(); });
    presentation->setShortcut(QKeySequence(Qt::Key_F11));
    presentation->setToolTip(QStringLiteral("Full screen: the story users' lists and two plots; ← → step, Space "
                                            "sweeps δ, Esc leaves"));
    view->addAction(QStringLiteral("Recompute all-user metrics"), m_workspace->analysis(), &Analysis::recompute);

    QMenu *help = menuBar()->addMenu(QStringLiteral("&Help"));
    help->addAction(QStringLiteral("&About RecLens"), this, [this] {
        QMessageBox::about(this, QStringLiteral("About RecLens"),
            QStringLiteral("<b>RecLens</b><br>See what your recommender shows, one shopper at a time."));
    });
}

void MainWindow::buildStatusBar()
{
    m_datasetLabel = new QLabel(this);
    m_modelsLabel = new QLabel(this);
    m_deviceLabel = new QLabel(this);
    m_jobLabel = new QLabel(this);
    m_latencyLabel = new QLabel(this);
    m_jobStatus = new JobStatus(this);
    m_jobStatus->setBusyCheck([this] { return m_workspace->isBusy() || m_exports->reportJob()->isRunning(); });
    connect(m_jobStatus, &JobStatus::cancelRequested, this, [this] {
        m_workspace->cancelAll();
        m_exports->reportJob()->cancel();
    });
    statusBar()->addWidget(m_datasetLabel);
    statusBar()->addWidget(m_modelsLabel);
    statusBar()->addWidget(m_deviceLabel);
    statusBar()->addWidget(m_jobLabel);
    statusBar()->addWidget(m_latencyLabel);
    statusBar()->addPermanentWidget(m_jobStatus);
}

void MainWindow::updateStatus()
{
    const auto ds = m_workspace->dataset();
    if (ds) {
        const QString name = ds->meta.count("name") ? QString::fromStdString(ds->meta.at("name"))
                                                    : QFileInfo(QString::fromStdString(ds->path)).fileName();
        m_datasetLabel->setText(u"dataset: "_qs + name + u" ("_qs + QString::number(ds->n_users())
            + (ds->queries() ? u" queries, "_qs : u" users, "_qs)
            + QString::number(ds->n_items()) + u" items)"_qs);
    } else {
        m_datasetLabel->setText(QStringLiteral("no dataset"));
    }
    QStringList names;
    for (const LoadedSource &s : m_workspace->sources())
        names << QString::fromStdString(s.name()) + (s.isRun() ? u" (run)"_qs : QString());
    m_modelsLabel->setText(u"sources: "_qs + (names.isEmpty() ? QStringLiteral("none") : names.join(u", "_qs)));
    m_deviceLabel->setText(u"device: "_qs + m_workspace->deviceDescription());
    updateTitle();
}

void MainWindow::updateTitle()
{
    // "demo.reclens[*] — RecLens": the session file, else the dataset; [*] marks unsaved changes.
    QString name;
    if (!m_workspace->sessionPath().isEmpty()) {
        name = QFileInfo(m_workspace->sessionPath()).fileName();
    } else if (const auto ds = m_workspace->dataset()) {
        name = ds->meta.count("name") ? QString::fromStdString(ds->meta.at("name"))
                                      : QFileInfo(QString::fromStdString(ds->path)).fileName();
    }
    setWindowTitle(name.isEmpty() ? QStringLiteral("RecLens") : name + u"[*] — RecLens"_qs);
    setWindowModified(m_workspace->dataset() && m_workspace->isModified());
}

void MainWindow::openSession(const QString &path)
{
    if (m_problemsDialog)
        m_problemsDialog->close();
    m_workspace->openSession(path);
}

bool MainWindow::saveSession(const QString &requested)
{
    const QString path = requested.isEmpty() ? m_workspace->sessionPath() : requested;
    if (path.isEmpty())
        return saveSessionAsDialog();
    try {
        Session s = m_workspace->session();
        s.page = m_tabs->currentWidget() == m_summary ? "summary" : "inspect";
        write_session(s, path.toStdString());
    } catch (const std::exception &e) {
        showError(QStringLiteral("Could not save the session"), QString::fromStdString(e.what()));
        return false;
    }
    m_workspace->markSaved(path);
    m_recentSessions->add(path);
    statusBar()->showMessage(u"session saved to "_qs + path, 4000);
    return true;
}

void MainWindow::openSessionDialog()
{
    if (!maybeSave())
        return;
    const QString path = QFileDialog::getOpenFileName(
        this, QStringLiteral("Open session"), {}, QStringLiteral("RecLens session (*.reclens);;All files (*)"));
    if (!path.isEmpty())
        openSession(path);
}

bool MainWindow::saveSessionAsDialog()
{
    if (!m_workspace->dataset()) {
        showError(QStringLiteral("Could not save the session"),
            QStringLiteral("no dataset is open: open a dataset (and its models) before saving a session"));
        return false;
    }
    QString suggestion = m_workspace->sessionPath();
    if (suggestion.isEmpty()) {
        const QFileInfo ds(QString::fromStdString(m_workspace->dataset()->path));
        suggestion = ds.absolutePath() + u"/"_qs + ds.completeBaseName() + u".reclens"_qs;
    }
    QString path = QFileDialog::getSaveFileName(
        this, QStringLiteral("Save session"), suggestion, QStringLiteral("RecLens session (*.reclens)"));
    if (path.isEmpty())
        return false;
    if (QFileInfo(path).suffix().isEmpty())
        path += u".reclens"_qs;
    return saveSession(path);
}

void MainWindow::showSessionProblems(
    const QString &sessionPath, const std::vector<SessionFileProblem> &problems, const SessionFileChoices &previous)
{
    if (m_problemsDialog)
        m_problemsDialog->close();
    auto *dialog = new SessionProblemsDialog(sessionPath, problems, previous, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_problemsDialog = dialog;
    connect(dialog, &SessionProblemsDialog::retry, m_workspace,
        [this](const QString &path, const SessionFileChoices &choices) { m_workspace->openSession(path, choices); });
    dialog->open();
}

void MainWindow::showError(const QString &title, const QString &message)
{
    qWarning().noquote() << u"reclens:"_qs << title << u"—"_qs << message;
    if (m_errorBox) {
        // Several errors at once (e.g. two bad models): append rather than stack dialogs.
        m_errorBox->setText(m_errorBox->text() + u"\n\n"_qs + message);
    } else {
        m_errorBox = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
        m_errorBox->setAttribute(Qt::WA_DeleteOnClose);
        m_errorBox->open(); // window-modal but non-blocking: the app keeps working (and tests can check it)
    }
    Q_EMIT errorShown(title, message);
}

void MainWindow::openDataset(const QString &path, const QStringList &models, const QString &user,
    const QStringList &runs, const QString &requests)
{
    m_recentFiles->add(path);
    m_workspace->openDataset(path, models, user, runs, requests);
}

void MainWindow::openDatasetDialog()
{
    if (!maybeSave())
        return;
    const QString path = QFileDialog::getOpenFileName(
        this, QStringLiteral("Open dataset"), {}, QStringLiteral("RecLens dataset (*.sqlite);;All files (*)"));
    if (path.isEmpty())
        return;
    openDataset(path, modelsBeside(path));
}

void MainWindow::addModelDialog()
{
    const QString path = QFileDialog::getOpenFileName(
        this, QStringLiteral("Add model"), {}, QStringLiteral("TorchScript model (*.pt);;All files (*)"));
    if (!path.isEmpty())
        m_workspace->addModel(path);
}

void MainWindow::addRunDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Add run"), {},
        QStringLiteral("Run: TREC 'qid Q0 docid rank score tag' or CSV 'user_id,item_id,score[,rank]' (*.trec *.run "
                       "*.txt *.csv);;All files (*)"));
    if (!path.isEmpty())
        m_workspace->addRun(path);
}

void MainWindow::importDialog()
{
    auto *dialog = new ImportDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ImportDialog::datasetImported, this, [this](const QString &path) { openDataset(path); });
    dialog->open();
}

QStringList MainWindow::modelsBeside(const QString &dataset)
{
    // Models saved next to the dataset with the same stem (<stem>-<model>.pt) open with it.
    const QFileInfo info(dataset);
    QStringList models;
    for (const QFileInfo &m :
        info.dir().entryInfoList({ info.completeBaseName() + u"-*.pt"_qs }, QDir::Files, QDir::Name))
        models << m.absoluteFilePath();
    return models;
}

QString MainWindow::exportPlot(const QString &plot, const QString &path)
{
    return m_exports->exportPlot(plot, path);
}

QString MainWindow::exportTable(const QString &table, const QString &path)
{
    return m_exports->exportTable(table, path);
}

QString MainWindow::exportLists(const QString &path)
{
    return m_exports->exportLists(path);
}

QString MainWindow::exportReport(const QString &path)
{
    return m_exports->exportReport(path);
}

QString MainWindow::defaultExportPath(const QString &what, const QString &suffix, bool perUser) const
{
    return m_exports->defaultPath(what, suffix, perUser);
}

ReportJob *MainWindow::reportJob() const
{
    return m_exports->reportJob();
}

void MainWindow::restoreControls()
{
    m_controls->restoreSaved();
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    // The docks' first width follows the window (a seventh of it, 190 to 300 pixels): a laptop's
    // lists keep their room. A width the user chose comes back with the saved state instead.
    if (!m_dockSized) {
        m_dockSized = true;
        resizeDocks({ m_usersDock }, { std::clamp(width() / 7, 190, 300) }, Qt::Horizontal);
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    leavePresentation(); // puts δ and the shown user back before anything is saved
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    m_controls->save();
    m_workspace->cancelAll();
    QMainWindow::closeEvent(event);
}

void MainWindow::whenReady(std::function<void(bool ready)> then, int timeoutMs)
{
    // Settled: the user is shown and every job rests (or loading failed), and it stays so for a
    // moment, for the queued replots. Checked whenever the workspace says something changed.
    auto *context = new QObject(this);
    context->setObjectName(QStringLiteral("whenReady"));
    auto *quiet = new QTimer(context);
    quiet->setSingleShot(true);
    quiet->setInterval(600);
    auto ready = [this] {
        return m_workspace->view().user >= 0 && !m_workspace->isBusy() && m_workspace->analysis()->runs().reranked;
    };
    auto settled = [this, ready] { return ready() || (!m_workspace->isLoading() && !m_workspace->dataset()); };
    auto done = std::make_shared<bool>(false);
    auto finish = [context, then, ready, done] {
        if (*done)
            return;
        *done = true;
        context->deleteLater();
        then(ready());
    };
    auto check = [quiet, settled] {
        if (settled())
            quiet->start();
        else
            quiet->stop();
    };
    connect(quiet, &QTimer::timeout, context, [settled, finish, check] {
        if (settled())
            finish();
        else
            check();
    });
    connect(m_workspace, &Workspace::busyChanged, context, check);
    connect(m_workspace, &Workspace::userViewChanged, context, check);
    connect(m_workspace, &Workspace::loadFailed, context, check);
    connect(m_workspace->analysis(), &Analysis::runsAvailable, context, check);
    QTimer::singleShot(timeoutMs, context, finish);
    QTimer::singleShot(0, context, check);
}

void MainWindow::saveScreenshotWhenReady(const QString &path, int timeoutMs)
{
    whenReady(
        [this, path](bool) {
            // Through a temporary file in the target folder, so a failed save leaves the old file.
            bool ok = false;
            try {
                // The presentation when it is shown, else the window.
                QWidget *shown = m_presentation && m_presentation->isVisible() ? static_cast<QWidget *>(m_presentation)
                                                                                 : static_cast<QWidget *>(this);
                reclens::write_via_temporary(path.toStdString(), "--screenshot", [shown](const std::string &tmp) {
                    if (!shown->grab().save(QString::fromStdString(tmp), "PNG"))
                        throw reclens::Error("could not encode the screenshot");
                });
                ok = true;
            } catch (const std::exception &e) {
                qWarning().noquote() << QString::fromStdString(e.what());
            }
            qInfo().noquote() << (ok ? u"reclens: saved screenshot"_qs : u"reclens: could not save screenshot"_qs)
                              << path;
            Q_EMIT screenshotSaved(path, ok);
        },
        timeoutMs);
}

} // namespace reclens::ui
