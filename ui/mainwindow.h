#pragma once
// The main window: assembles the re-ranking controls, the Inspect and Summary pages and the Users
// and Rules docks around one Workspace; menus, recent files, settings, status bar and error dialogs.
// Thin on purpose: pages own their models, the Workspace owns the state.
#include <QElapsedTimer>
#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>

#include <functional>

#include "ui/exports/exporter.h"
#include "ui/session/workspace.h"

class QDockWidget;
class QDialog;
class QLabel;
class QMenu;

class QTabWidget;

namespace reclens::ui
{

class InspectPage;
class JobStatus;
class RecentFiles;
class ReportJob;
class RerankPanel;
class PresentationWindow;
class RulesPanel;
class StoryPanel;
class SummaryPage;
class UsersPage;
class Workspace;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    Workspace *workspace() const { return m_workspace; }
    InspectPage *inspectPage() const { return m_inspect; }
    UsersPage *usersPage() const { return m_users; }
    SummaryPage *summaryPage() const { return m_summary; }
    RerankPanel *rerankPanel() const { return m_controls; }
    RulesPanel *rulesPanel() const { return m_rules; }
    StoryPanel *storyPanel() const { return m_story; }
    // The error dialog currently shown (non-modal), or nullptr.
    QMessageBox *errorDialog() const { return m_errorBox; }
    double lastSliderLatencyMs() const { return m_lastSliderMs; }
    void showSummaryPage(); // the Summary tab instead of Inspect (screenshots, demos)
    void showInspectPage();
    // Presentation mode (DESIGN §10): full screen unless `size` is given (screenshots: 1920x1080).
    void enterPresentation(const QSize &size = {});
    void leavePresentation();
    PresentationWindow *presentation() const; // while it is shown, else nullptr

    // runs: precomputed runs (DESIGN §11); requests: users | queries | auto (Workspace::openDataset).
    void openDataset(const QString &path, const QStringList &models = {}, const QString &user = {},
        const QStringList &runs = {}, const QString &requests = QStringLiteral("auto"));
    // Saves a PNG of the window once the current user's view is shown and background work has
    // settled (or `timeoutMs` passed), then emits screenshotSaved.
    // Sessions (DESIGN §10). openSession reports missing or changed files in a dialog that offers to
    // locate them; saveSession writes `path` (empty: the current session file) and says whether it did.
    void openSession(const QString &path);
    bool saveSession(const QString &path = {});
    // The dialog listing a session's missing or changed files, while it is shown.
    QDialog *sessionProblemsDialog() const { return m_problemsDialog; }
    // Exports (DESIGN §10); each returns an empty string on success, else the one-line error (also
    // shown). plot: category-mix | diversity | roc | tradeoff; table: requests | summary | popularity |
    // activity | segments. The format follows the suffix (.png/.pdf/.svg, .csv/.json).
    static QStringList exportablePlots() { return Exporter::plots(); }
    static QStringList exportableTables() { return Exporter::tables(); }
    QString exportPlot(const QString &plot, const QString &path);
    QString exportTable(const QString &table, const QString &path);
    QString exportLists(const QString &path);
    // The report (DESIGN §10) as PDF or HTML, by suffix; needs the all-user runs. What is wrong at
    // once (nothing open, numbers not in, the suffix, an open file as output, a report already being
    // written) is returned (and shown) at once; else the report is written in the background and an
    // empty string returned: reportFinished follows (its error shown too, unless cancelled).
    QString exportReport(const QString &path);
    // The report being written: its started / progressChanged / finished signals, and cancel().
    ReportJob *reportJob() const;
    // The suggested file for an export: beside the session (or dataset), "<stem>[-<user>]-<what>.<suffix>".
    QString defaultExportPath(const QString &what, const QString &suffix, bool perUser) const;
    void saveScreenshotWhenReady(const QString &path, int timeoutMs = 180000);
    // Calls `then(ready)` once the current user is shown and background work has settled, or when
    // loading failed or `timeoutMs` passed (ready = false then).
    void whenReady(std::function<void(bool ready)> then, int timeoutMs = 180000);
    // Restores the last re-ranking settings (QSettings); the command line may override them later.
    void restoreControls();

Q_SIGNALS:
    void errorShown(const QString &title, const QString &message);
    void screenshotSaved(const QString &path, bool ok);
    void sliderLatencyMeasured(double ms);
    // A report started by exportReport is done: error empty when written, "cancelled", or why not.
    void reportFinished(const QString &path, const QString &error);

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void buildMenus();
    void buildStatusBar();
    void showError(const QString &title, const QString &message);
    static QStringList modelsBeside(const QString &dataset);
    void openSessionDialog();
    bool saveSessionAsDialog();
    void showSessionProblems(const QString &sessionPath, const std::vector<reclens::SessionFileProblem> &problems,
        const SessionFileChoices &choices);
    void updateTitle();
    // Asks to save unsaved changes before they would be lost (another session or dataset, quit).
    // False: the person cancelled. Never asks on a headless platform.
    bool maybeSave();
    void updateStatus();
    void openDatasetDialog();
    void addModelDialog();
    void addRunDialog();
    void importDialog();

    Workspace *m_workspace;
    RerankPanel *m_controls;
    QDockWidget *m_usersDock = nullptr;
    bool m_dockSized = false; // the docks have their width (restored, or set at the first show)
    QTabWidget *m_tabs;
    InspectPage *m_inspect;
    SummaryPage *m_summary;
    UsersPage *m_users;
    RulesPanel *m_rules;
    StoryPanel *m_story;
    RecentFiles *m_recentFiles = nullptr;
    RecentFiles *m_recentSessions = nullptr;
    QPointer<QDialog> m_problemsDialog;
    QPointer<PresentationWindow> m_presentation;
    QLabel *m_datasetLabel;
    QLabel *m_modelsLabel;
    QLabel *m_deviceLabel;
    QLabel *m_jobLabel;
    QLabel *m_latencyLabel;
    JobStatus *m_jobStatus;
    QPointer<QMessageBox> m_errorBox;
    QElapsedTimer m_sliderTimer;
    double m_lastSliderMs = 0;
    Exporter *m_exports = nullptr;
};

} // namespace reclens::ui
