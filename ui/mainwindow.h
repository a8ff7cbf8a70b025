#pragma once
// The main window: assembles the re-ranking controls, the Inspect and Summary pages and the Users
// and Rules docks around one Workspace; menus, recent files, settings, status bar and error dialogs.
// Thin on purpose: pages own their models, the Workspace owns the state.
#include <QElapsedTimer>
#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>

class QLabel;
class QMenu;

class QProgressBar;
class QTabWidget;
class QToolButton;

namespace reclens::ui
{

class InspectPage;
class RerankPanel;
class RulesPanel;
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
    // The error dialog currently shown (non-modal), or nullptr.
    QMessageBox *errorDialog() const { return m_errorBox; }
    double lastSliderLatencyMs() const { return m_lastSliderMs; }
    void showSummaryPage(); // the Summary tab instead of Inspect (screenshots, demos)

    // runs: precomputed runs (DESIGN §11); requests: users | queries | auto (Workspace::openDataset).
    void openDataset(const QString &path, const QStringList &models = {}, const QString &user = {},
        const QStringList &runs = {}, const QString &requests = QStringLiteral("auto"));
    // Saves a PNG of the window once the current user's view is shown and background work has
    // settled (or `timeoutMs` passed), then emits screenshotSaved.
    void saveScreenshotWhenReady(const QString &path, int timeoutMs = 180000);
    // Restores the last re-ranking settings (QSettings); the command line may override them later.
    void restoreControls();

Q_SIGNALS:
    void errorShown(const QString &title, const QString &message);
    void screenshotSaved(const QString &path, bool ok);
    void sliderLatencyMeasured(double ms);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void buildStatusBar();
    void showError(const QString &title, const QString &message);
    void addRecent(const QString &path);
    void rebuildRecentMenu();
    void updateStatus();
    void saveControls() const;
    void openDatasetDialog();
    void addModelDialog();
    void addRunDialog();
    void importDialog();

    Workspace *m_workspace;
    RerankPanel *m_controls;
    QTabWidget *m_tabs;
    InspectPage *m_inspect;
    SummaryPage *m_summary;
    UsersPage *m_users;
    RulesPanel *m_rules;
    QMenu *m_recentMenu = nullptr;
    QLabel *m_datasetLabel;
    QLabel *m_modelsLabel;
    QLabel *m_deviceLabel;
    QLabel *m_jobLabel;
    QLabel *m_latencyLabel;
    QProgressBar *m_progress;
    QToolButton *m_cancel;
    QPointer<QMessageBox> m_errorBox;
    QElapsedTimer m_sliderTimer;
    double m_lastSliderMs = 0;
};

} // namespace reclens::ui
