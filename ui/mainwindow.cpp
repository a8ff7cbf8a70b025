#include "ui/mainwindow.h"

#include "core/common/error.h"
#include "core/common/files.h"
#include "ui/pages/inspectpage.h"
#include "ui/pages/summarypage.h"
#include "ui/pages/userspage.h"
#include "ui/session/workspace.h"
#include "ui/widgets/importdialog.h"
#include "ui/widgets/rerankpanel.h"
#include "ui/widgets/rulespanel.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDebug>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
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
    tabifyDockWidget(usersDock, rulesDock);
    usersDock->raise();
    resizeDocks({ usersDock }, { 372 }, Qt::Horizontal);

    buildMenus();
    buildStatusBar();

    connect(m_workspace, &Workspace::errorOccurred, this, &MainWindow::showError);
    connect(m_workspace, &Workspace::datasetChanged, this, &MainWindow::updateStatus);
    connect(m_workspace, &Workspace::modelsChanged, this, &MainWindow::updateStatus);
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
        { m_workspace->loadJobs(), m_workspace->evaluationJobs(), m_workspace->sweepJobs(), m_workspace->rocJobs() }) {
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
        { m_workspace->loadJobs(), m_workspace->evaluationJobs(), m_workspace->sweepJobs(), m_workspace->rocJobs() })
        t->disconnect(this);
    m_workspace->disconnect(this);
}

void MainWindow::showSummaryPage()
{
    m_tabs->setCurrentWidget(m_summary);
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(QStringLiteral("&File"));
    QAction *open = file->addAction(QStringLiteral("&Open dataset…"), this, &MainWindow::openDatasetDialog);
    open->setShortcut(QKeySequence::Open);
    file->addAction(QStringLiteral("&Add model…"), this, &MainWindow::addModelDialog);
    file->addAction(QStringLiteral("Add &run…"), this, &MainWindow::addRunDialog);
    file->addAction(QStringLiteral("&Import CSV / MovieLens / CompleteJourney…"), this, &MainWindow::importDialog);
    m_recentMenu = file->addMenu(QStringLiteral("&Recent files"));
    rebuildRecentMenu();
    file->addSeparator();
    QAction *quit = file->addAction(QStringLiteral("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    // Room for the next issue: export and presentation mode.
    QMenu *exportMenu = menuBar()->addMenu(QStringLiteral("&Export"));
    exportMenu->setToolTipsVisible(true);
    for (const QString &name : { QStringLiteral("Plots as PNG/PDF…"), QStringLiteral("Metrics as CSV/JSON…"),
             QStringLiteral("One-page PDF report…") }) {
        QAction *a = exportMenu->addAction(name);
        a->setEnabled(false);
        a->setToolTip(QStringLiteral("coming soon"));
    }
    QMenu *view = menuBar()->addMenu(QStringLiteral("&View"));
    view->setToolTipsVisible(true);
    QAction *presentation = view->addAction(QStringLiteral("Presentation mode"));
    presentation->setEnabled(false);
    presentation->setToolTip(QStringLiteral("coming soon"));
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
        setWindowTitle(u"RecLens — "_qs + name);
    } else {
        m_datasetLabel->setText(QStringLiteral("no dataset"));
    }
    QStringList names;
    for (const LoadedSource &s : m_workspace->sources())
        names << QString::fromStdString(s.name()) + (s.isRun() ? u" (run)"_qs : QString());
    m_modelsLabel->setText(u"sources: "_qs + (names.isEmpty() ? QStringLiteral("none") : names.join(u", "_qs)));
    m_deviceLabel->setText(u"device: "_qs + m_workspace->deviceDescription());
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
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    saveControls();
    m_workspace->cancelAll();
    QMainWindow::closeEvent(event);
}

void MainWindow::saveScreenshotWhenReady(const QString &path, int timeoutMs)
{
    auto *poll = new QTimer(this);
    auto started = std::make_shared<QElapsedTimer>();
    started->start();
    auto quietSince = std::make_shared<QElapsedTimer>();
    poll->setInterval(200);
    connect(poll, &QTimer::timeout, this, [this, poll, path, timeoutMs, started, quietSince] {
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
            // Through a temporary file in the target folder, so a failed save leaves the old file.
            bool ok = false;
            try {
                reclens::write_via_temporary(path.toStdString(), "--screenshot", [this](const std::string &tmp) {
                    if (!grab().save(QString::fromStdString(tmp), "PNG"))
                        throw reclens::Error("could not encode the screenshot");
                });
                ok = true;
            } catch (const std::exception &e) {
                qWarning().noquote() << QString::fromStdString(e.what());
            }
            qInfo().noquote() << (ok ? u"reclens: saved screenshot"_qs : u"reclens: could not save screenshot"_qs)
                              << path;
            Q_EMIT screenshotSaved(path, ok);
        }
    });
    poll->start();
}

} // namespace reclens::ui
