#include "ui/mainwindow.h"

#include "ui/models/overlapmodel.h"

#include "core/common/error.h"
#include "core/common/files.h"
#include "ui/models/tableexport.h"
#include "ui/models/summarymodel.h"
#include "ui/models/usertablemodel.h"
#include "ui/pages/inspectpage.h"
#include "ui/pages/presentation.h"
#include "ui/pages/summarypage.h"
#include "ui/pages/userspage.h"
#include "ui/session/workspace.h"
#include "ui/widgets/importdialog.h"
#include "ui/widgets/rerankpanel.h"
#include "ui/widgets/rulespanel.h"
#include "ui/report/report.h"
#include "ui/plots/categoryplot.h"
#include "ui/plots/diversityplot.h"
#include "ui/plots/plotexport.h"
#include "ui/plots/rocplot.h"
#include "ui/plots/modelmapplot.h"
#include "ui/plots/tradeoffplot.h"
#include "ui/widgets/storypanel.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDebug>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QRegularExpression>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

// The .qrc is compiled into the static ui library; nothing references it by symbol, so register it
// explicitly (Q_INIT_RESOURCE must be used outside a namespace).
static void initReclensResources()
{
    Q_INIT_RESOURCE(reclens);
}

namespace reclens::ui
{

namespace
{
constexpr int kMaxRecent = 8;
}

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
    resizeDocks({ usersDock }, { 300 }, Qt::Horizontal);

    buildMenus();
    buildStatusBar();

    connect(m_workspace, &Workspace::errorOccurred, this, &MainWindow::showError);
    connect(m_workspace, &Workspace::datasetChanged, this, &MainWindow::updateStatus);
    connect(m_workspace, &Workspace::modelsChanged, this, &MainWindow::updateStatus);
    connect(m_workspace, &Workspace::sessionChanged, this, &MainWindow::updateTitle);
    connect(m_workspace, &Workspace::sessionProblems, this, &MainWindow::showSessionProblems);
    connect(m_workspace, &Workspace::sessionOpened, this, [this](const QString &path, const Session &session) {
        addRecentSession(path);
        if (session.page == "summary")
            showSummaryPage();
        else
            m_tabs->setCurrentWidget(m_inspect);
    });
    connect(m_workspace, &Workspace::jobTimed, this, [this](const QString &label, double ms) {
        m_jobLabel->setText(u"last job: "_qs + label + u" "_qs + QString::number(ms / 1000.0, 'f', 2) + u" s"_qs);
    });
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
    for (JobTracker *t :
        { m_workspace->loadJobs(), m_workspace->scoreJobs(), m_workspace->evaluationJobs(),
            m_workspace->sweepJobs(), m_workspace->ruleJobs() }) {
        connect(t, &JobTracker::jobStarted, this, [this, t](const QString &label) {
            m_progress->setFormat(label + u" %p%"_qs);
            m_progress->setValue(0);
            m_progress->show();
            m_cancel->show();
            m_cancel->setProperty("tracker", QVariant::fromValue(static_cast<QObject *>(t)));
        });
        connect(t, &JobTracker::progressChanged, this, [this](double f, const QString &stage) {
            m_progress->setValue(static_cast<int>(f * 1000));
            m_progress->setToolTip(stage);
        });
        connect(t, &JobTracker::runningChanged, this, [this](bool) {
            if (!m_workspace->isBusy()) {
                m_progress->hide();
                m_cancel->hide();
            }
        });
    }

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    updateStatus();
}

MainWindow::~MainWindow()
{
    // The Workspace (a child) cancels its jobs when it is destroyed, after this window's own members
    // are gone: its trackers' signals must not reach this window's slots any more.
    for (JobTracker *t :
        { m_workspace->loadJobs(), m_workspace->scoreJobs(), m_workspace->evaluationJobs(),
            m_workspace->sweepJobs(), m_workspace->ruleJobs() })
        t->disconnect(this);
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
    m_recentSessionsMenu = file->addMenu(QStringLiteral("Recent s&essions"));
    rebuildRecentSessionsMenu();
    QAction *save = file->addAction(QStringLiteral("&Save session"), this, [this] { saveSession(); });
    save->setShortcut(QKeySequence::Save);
    QAction *saveAs = file->addAction(QStringLiteral("Save session &as…"), this, &MainWindow::saveSessionAsDialog);
    saveAs->setShortcut(QKeySequence::SaveAs);
    file->addSeparator();
    file->addAction(QStringLiteral("&Add model…"), this, &MainWindow::addModelDialog);
    file->addAction(QStringLiteral("Add &run…"), this, &MainWindow::addRunDialog);
    file->addAction(QStringLiteral("&Import CSV / MovieLens / CompleteJourney…"), this, &MainWindow::importDialog);
    m_recentMenu = file->addMenu(QStringLiteral("&Recent files"));
    rebuildRecentMenu();
    file->addSeparator();
    QAction *quit = file->addAction(QStringLiteral("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *exportMenu = menuBar()->addMenu(QStringLiteral("&Export"));
    buildExportMenu(exportMenu);
    QMenu *view = menuBar()->addMenu(QStringLiteral("&View"));
    view->setToolTipsVisible(true);
    QAction *presentation = view->addAction(QStringLiteral("Presentation mode"), this, [this] { enterPresentation(); });
    presentation->setShortcut(QKeySequence(Qt::Key_F11));
    presentation->setToolTip(QStringLiteral("Full screen: the story users' lists and two plots; ← → step, Space "
                                            "sweeps δ, Esc leaves"));
    view->addAction(QStringLiteral("Recompute all-user metrics"), m_workspace, &Workspace::recomputeGlobal);

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
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setFixedWidth(260);
    m_progress->hide();
    m_cancel = new QToolButton(this);
    m_cancel->setText(QStringLiteral("Cancel"));
    m_cancel->setToolTip(QStringLiteral("Cancel the running background job"));
    m_cancel->hide();
    connect(m_cancel, &QToolButton::clicked, this, [this] { m_workspace->cancelAll(); });
    statusBar()->addWidget(m_datasetLabel);
    statusBar()->addWidget(m_modelsLabel);
    statusBar()->addWidget(m_deviceLabel);
    statusBar()->addWidget(m_jobLabel);
    statusBar()->addWidget(m_latencyLabel);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
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
    addRecentSession(path);
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
    auto *dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("sessionProblems"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(QStringLiteral("Session files not as saved"));
    m_problemsDialog = dialog;
    auto choices = std::make_shared<SessionFileChoices>(previous);
    auto *layout = new QVBoxLayout(dialog);
    auto *intro = new QLabel(u"<b>"_qs + QFileInfo(sessionPath).fileName()
            + u"</b> names files that are missing or changed since it was saved. RecLens never uses another "
              "file in their place: locate each one (a moved file is recognised by its SHA-256), or say to use a "
              "changed file as it is now."_qs,
        dialog);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    for (const SessionFileProblem &p : problems) {
        auto *row = new QHBoxLayout;
        auto *text = new QLabel(QString::fromStdString(p.message()), dialog);
        text->setWordWrap(true);
        text->setMinimumWidth(420);
        text->setObjectName(QStringLiteral("problem"));
        row->addWidget(text, 1);
        const int source = p.source;
        const QString role = QString::fromStdString(p.role);
        auto *locate = new QPushButton(QStringLiteral("Locate…"), dialog);
        connect(locate, &QPushButton::clicked, dialog, [this, choices, source, role, text] {
            const QString picked = QFileDialog::getOpenFileName(this, u"Locate the "_qs + role);
            if (picked.isEmpty())
                return;
            (*choices)[source] = SessionFileChoice { picked, false };
            text->setText(text->text() + u"\n→ will look at "_qs + picked);
        });
        row->addWidget(locate);
        if (p.kind == SessionFileProblem::Kind::changed) {
            auto *use = new QPushButton(QStringLiteral("Use it as it is now"), dialog);
            use->setToolTip(QStringLiteral("Open the session with this file's current contents; the session then "
                                           "records its new SHA-256 when saved"));
            const QString path = QString::fromStdString(p.path);
            connect(use, &QPushButton::clicked, dialog, [choices, source, path, text] {
                (*choices)[source] = SessionFileChoice { path, true };
                text->setText(text->text() + u"\n→ will use it as it is now"_qs);
            });
            row->addWidget(use);
        }
        layout->addLayout(row);
    }
    auto *buttons = new QDialogButtonBox(dialog);
    QPushButton *retry = buttons->addButton(QStringLiteral("Open session"), QDialogButtonBox::AcceptRole);
    retry->setObjectName(QStringLiteral("retry"));
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, dialog, [this, dialog, choices, sessionPath] {
        dialog->close();
        m_workspace->openSession(sessionPath, *choices);
    });
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    layout->addWidget(buttons);
    qWarning().noquote() << u"reclens:"_qs << sessionPath << u"—"_qs << problems.size()
                         << u"file(s) missing or changed"_qs;
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
    addRecent(path);
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
    // Models saved next to the dataset with the same stem (<stem>-<model>.pt) open with it.
    const QFileInfo info(path);
    QStringList models;
    for (const QFileInfo &m :
        info.dir().entryInfoList({ info.completeBaseName() + u"-*.pt"_qs }, QDir::Files, QDir::Name))
        models << m.absoluteFilePath();
    openDataset(path, models);
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

void MainWindow::addRecent(const QString &path)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentFiles")).toStringList();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue(QStringLiteral("recentFiles"), recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    if (!m_recentMenu)
        return;
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentFiles")).toStringList();
    for (const QString &path : recent) {
        m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] {
            if (!maybeSave())
                return;
            const QFileInfo info(path);
            QStringList models;
            for (const QFileInfo &m :
                info.dir().entryInfoList({ info.completeBaseName() + u"-*.pt"_qs }, QDir::Files, QDir::Name))
                models << m.absoluteFilePath();
            openDataset(path, models);
        });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

QStringList MainWindow::exportablePlots()
{
    return { QStringLiteral("category-mix"), QStringLiteral("diversity"), QStringLiteral("roc"),
        QStringLiteral("tradeoff"), QStringLiteral("models-personalization"), QStringLiteral("models-coverage") };
}

QStringList MainWindow::exportableTables()
{
    return { QStringLiteral("requests"), QStringLiteral("summary"), QStringLiteral("popularity"),
        QStringLiteral("activity"), QStringLiteral("segments"), QStringLiteral("overlap") };
}

QCustomPlot *MainWindow::plotNamed(const QString &plot) const
{
    if (plot == u"category-mix"_qs)
        return m_inspect->categoryPlot();
    if (plot == u"diversity"_qs)
        return m_inspect->diversityPlot();
    if (plot == u"roc"_qs)
        return m_inspect->rocPlot();
    if (plot == u"tradeoff"_qs)
        return m_inspect->tradeoffPlot();
    if (plot == u"models-personalization"_qs)
        return m_summary->personalizationMap();
    if (plot == u"models-coverage"_qs)
        return m_summary->coverageMap();
    return nullptr;
}

const QAbstractItemModel *MainWindow::tableNamed(const QString &table) const
{
    if (table == u"requests"_qs)
        return m_users->proxy(); // as the table shows it: sorted and filtered
    if (table == u"summary"_qs)
        return m_summary->model();
    if (table == u"popularity"_qs)
        return m_summary->popularityModel();
    if (table == u"activity"_qs)
        return m_summary->activityModel();
    if (table == u"segments"_qs)
        return m_summary->segmentModel();
    if (table == u"overlap"_qs)
        return m_inspect->overlapModel(); // the shown user's lists, pair by pair
    return nullptr;
}

QString MainWindow::defaultExportPath(const QString &what, const QString &suffix, bool perUser) const
{
    QFileInfo base(m_workspace->sessionPath());
    if (m_workspace->sessionPath().isEmpty() && m_workspace->dataset())
        base = QFileInfo(QString::fromStdString(m_workspace->dataset()->path));
    QString name = base.completeBaseName().isEmpty() ? QStringLiteral("reclens") : base.completeBaseName();
    const auto ds = m_workspace->dataset();
    if (perUser && ds && m_workspace->currentUser() >= 0) {
        QString user = QString::fromStdString(ds->user_external[static_cast<size_t>(m_workspace->currentUser())]);
        user.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]")), QStringLiteral("_"));
        name += (ds->queries() ? u"-query-"_qs : u"-user-"_qs) + user;
    }
    const QString dir = base.absolutePath().isEmpty() ? QDir::currentPath() : base.absolutePath();
    return dir + u"/"_qs + name + u"-"_qs + what + u"."_qs + suffix;
}

QString MainWindow::reportExport(const QString &error)
{
    if (!error.isEmpty())
        showError(QStringLiteral("Could not export"), error);
    return error;
}

QString MainWindow::exportPlot(const QString &plot, const QString &path)
{
    QCustomPlot *p = plotNamed(plot);
    if (!p)
        return reportExport(u"no plot named '"_qs + plot + u"'; use one of "_qs + exportablePlots().join(u", "_qs));
    const QString error = savePlot(p, path, 2.0, m_workspace->openFiles());
    if (error.isEmpty())
        statusBar()->showMessage(u"plot saved to "_qs + path, 4000);
    return reportExport(error);
}

QString MainWindow::exportTable(const QString &table, const QString &path)
{
    const QAbstractItemModel *m = tableNamed(table);
    if (!m)
        return reportExport(u"no table named '"_qs + table + u"'; use one of "_qs + exportableTables().join(u", "_qs));
    const QString error = saveTable(*m, path, m_workspace->openFiles());
    if (error.isEmpty())
        statusBar()->showMessage(u"table saved to "_qs + path, 4000);
    return reportExport(error);
}

QString MainWindow::exportLists(const QString &path)
{
    const auto ds = m_workspace->dataset();
    if (!ds || m_workspace->view().user < 0)
        return reportExport(QStringLiteral("no user is shown: open a dataset with a model and select a user first"));
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != u"csv"_qs && suffix != u"json"_qs)
        return reportExport(path + u": the lists are saved as .csv or .json; give the file one of these suffixes"_qs);
    const std::string text = suffix == u"json"_qs ? userListsJson(*ds, m_workspace->view())
                                                  : userListsCsv(*ds, m_workspace->view());
    const QString error = saveExport(text, path, m_workspace->openFiles(), QStringLiteral("lists export"));
    if (error.isEmpty())
        statusBar()->showMessage(u"lists saved to "_qs + path, 4000);
    return reportExport(error);
}

QString MainWindow::exportReport(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    const ReportTables strata { { QStringLiteral("Item popularity"), m_summary->popularityModel() },
        { QStringLiteral("User activity"), m_summary->activityModel() },
        { QStringLiteral("Segments"), m_summary->segmentModel() } };
    QString error;
    if (suffix == u"pdf"_qs)
        error = writeReportPdf(*m_workspace, strata, path);
    else if (suffix == u"html"_qs || suffix == u"htm"_qs)
        error = writeReportHtml(*m_workspace, strata, path);
    else
        error = path + u": a report is written as .pdf or .html; give the file one of these suffixes"_qs;
    if (error.isEmpty())
        statusBar()->showMessage(u"report saved to "_qs + path, 4000);
    return reportExport(error);
}

namespace
{
// A plot of the shown user (its default file name says whose), not of all users.
bool perUserPlot(const QString &key)
{
    return key == u"category-mix"_qs || key == u"diversity"_qs || key == u"roc"_qs;
}
} // namespace

void MainWindow::buildExportMenu(QMenu *menu)
{
    for (const QString &suffix : { QStringLiteral("pdf"), QStringLiteral("html") }) {
        menu->addAction(u"Report as "_qs + suffix.toUpper() + u"…"_qs, this, [this, suffix] {
            const QString path = QFileDialog::getSaveFileName(this, u"Save the report as "_qs + suffix.toUpper(),
                defaultExportPath(QStringLiteral("report"), suffix, false), suffix.toUpper() + u" (*."_qs + suffix + u")"_qs);
            if (!path.isEmpty())
                exportReport(path);
        });
    }
    menu->addSeparator();
    const QList<QPair<QString, QString>> plots { { QStringLiteral("category-mix"), QStringLiteral("Category mix") },
        { QStringLiteral("diversity"), QStringLiteral("Diversity scores") },
        { QStringLiteral("roc"), QStringLiteral("ROC curves") },
        { QStringLiteral("tradeoff"), QStringLiteral("Accuracy–diversity trade-off") },
        { QStringLiteral("models-personalization"), QStringLiteral("Models: accuracy vs personalization") },
        { QStringLiteral("models-coverage"), QStringLiteral("Models: accuracy vs coverage") } };
    for (const auto &[key, label] : plots) {
        QMenu *sub = menu->addMenu(label + u" plot"_qs);
        for (const QString &suffix : plotFormats()) {
            sub->addAction(suffix.toUpper() + u"…"_qs, this, [this, key = key, label = label, suffix] {
                const QString path = QFileDialog::getSaveFileName(this, u"Save "_qs + label + u" as "_qs + suffix.toUpper(),
                    defaultExportPath(key, suffix, perUserPlot(key)), suffix.toUpper() + u" (*."_qs + suffix + u")"_qs);
                if (!path.isEmpty())
                    exportPlot(key, path);
            });
        }
        // The same from the plot's own context menu.
        installPlotExportMenu(
            plotNamed(key),
            [this, key = key](const QString &suffix) { return defaultExportPath(key, suffix, perUserPlot(key)); },
            [this] { return m_workspace->openFiles(); }, [this](const QString &error) { reportExport(error); });
    }
    menu->addSeparator();
    const QList<QPair<QString, QString>> tables { { QStringLiteral("requests"), QStringLiteral("Requests table") },
        { QStringLiteral("summary"), QStringLiteral("Summary metrics") },
        { QStringLiteral("popularity"), QStringLiteral("Item popularity strata") },
        { QStringLiteral("activity"), QStringLiteral("User activity strata") },
        { QStringLiteral("segments"), QStringLiteral("Segment strata") },
        { QStringLiteral("overlap"), QStringLiteral("List overlap (shown user)") } };
    for (const auto &[key, label] : tables) {
        QMenu *sub = menu->addMenu(label);
        for (const QString &suffix : { QStringLiteral("csv"), QStringLiteral("json") }) {
            sub->addAction(suffix.toUpper() + u"…"_qs, this, [this, key = key, label = label, suffix] {
                const QString path = QFileDialog::getSaveFileName(this, u"Save "_qs + label + u" as "_qs + suffix.toUpper(),
                    defaultExportPath(key, suffix, key == u"overlap"_qs), suffix.toUpper() + u" (*."_qs + suffix + u")"_qs);
                if (!path.isEmpty())
                    exportTable(key, path);
            });
        }
    }
    menu->addSeparator();
    QMenu *lists = menu->addMenu(QStringLiteral("Shown user's lists"));
    for (const QString &suffix : { QStringLiteral("csv"), QStringLiteral("json") }) {
        lists->addAction(suffix.toUpper() + u"…"_qs, this, [this, suffix] {
            const QString path = QFileDialog::getSaveFileName(this, u"Save the lists as "_qs + suffix.toUpper(),
                defaultExportPath(QStringLiteral("lists"), suffix, true), suffix.toUpper() + u" (*."_qs + suffix + u")"_qs);
            if (!path.isEmpty())
                exportLists(path);
        });
    }
}

void MainWindow::addRecentSession(const QString &path)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentSessions")).toStringList();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue(QStringLiteral("recentSessions"), recent);
    rebuildRecentSessionsMenu();
}

void MainWindow::rebuildRecentSessionsMenu()
{
    if (!m_recentSessionsMenu)
        return;
    m_recentSessionsMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentSessions")).toStringList();
    for (const QString &path : recent)
        m_recentSessionsMenu
            ->addAction(QFileInfo(path).fileName(), this,
                [this, path] {
                    if (maybeSave())
                        openSession(path);
                })
            ->setToolTip(path);
    m_recentSessionsMenu->setToolTipsVisible(true);
    m_recentSessionsMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::restoreControls()
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("controls"));
    if (!settings.contains(QStringLiteral("method")))
        return;
    WorkspaceSettings s = m_workspace->settings();
    s.rerank.method = static_cast<RerankMethod>(settings.value(QStringLiteral("method")).toInt());
    s.rerank.diversity = std::clamp(settings.value(QStringLiteral("diversity")).toDouble(), 0.0, 1.0);
    s.rerank.similarity = static_cast<SimilarityKind>(settings.value(QStringLiteral("similarity")).toInt());
    s.rerank.category_level = settings.value(QStringLiteral("level")).toInt();
    s.rerank.max_per_category = settings.value(QStringLiteral("maxPerCategory")).toInt();
    s.rerank.max_per_brand = settings.value(QStringLiteral("maxPerBrand")).toInt();
    s.rerank.k = std::max(1, settings.value(QStringLiteral("k"), 10).toInt());
    m_workspace->setSettings(s);
}

void MainWindow::saveControls() const
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("controls"));
    const WorkspaceSettings &s = m_workspace->settings();
    settings.setValue(QStringLiteral("method"), static_cast<int>(s.rerank.method));
    settings.setValue(QStringLiteral("diversity"), s.rerank.diversity);
    settings.setValue(QStringLiteral("similarity"), static_cast<int>(s.rerank.similarity));
    settings.setValue(QStringLiteral("level"), s.rerank.category_level);
    settings.setValue(QStringLiteral("maxPerCategory"), s.rerank.max_per_category);
    settings.setValue(QStringLiteral("maxPerBrand"), s.rerank.max_per_brand);
    settings.setValue(QStringLiteral("k"), s.rerank.k);
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
    saveControls();
    m_workspace->cancelAll();
    QMainWindow::closeEvent(event);
}

void MainWindow::whenReady(std::function<void(bool ready)> then, int timeoutMs)
{
    auto *poll = new QTimer(this);
    auto started = std::make_shared<QElapsedTimer>();
    started->start();
    auto quietSince = std::make_shared<QElapsedTimer>();
    poll->setInterval(200);
    connect(poll, &QTimer::timeout, this, [this, poll, then, timeoutMs, started, quietSince] {
        const bool ready = m_workspace->view().user >= 0 && !m_workspace->isBusy() && m_workspace->runs().reranked;
        const bool loadFailed = !m_workspace->loadJobs()->isRunning() && !m_workspace->dataset();
        if (ready || loadFailed) {
            if (!quietSince->isValid())
                quietSince->start();
        } else {
            quietSince->invalidate();
        }
        // Ready and quiet for a moment (queued replots done), or out of time.
        if ((quietSince->isValid() && quietSince->elapsed() > 600) || started->elapsed() > timeoutMs) {
            poll->stop();
            poll->deleteLater();
            then(ready);
        }
    });
    poll->start();
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
