#pragma once
// Import CSV / MovieLens / CompleteJourney into a RecLens dataset (.sqlite) in the background, with
// a progress bar and cancel. On success the report is shown and datasetImported(path) is emitted.
#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace reclens::ui
{

class JobTracker;

class ImportDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ImportDialog(QWidget *parent = nullptr);

    enum Source { CompleteJourney, MovieLens, Csv };
    void setSource(Source source);
    void setInput(const QString &path); // folder (CompleteJourney, MovieLens) or interactions CSV
    void setOutput(const QString &path);
    // The k-core filter (docs/data.md): 0 = no bound.
    void setKCore(int minUserItems, int minItemUsers);
    void startImport();
    JobTracker *jobs() const { return m_jobs; }

Q_SIGNALS:
    void datasetImported(const QString &path);
    void importFailed(const QString &message);

private:
    void browseInput();
    void browseOutput();

    QComboBox *m_source;
    QLineEdit *m_input;
    QLineEdit *m_output;
    QSpinBox *m_minUserItems, *m_minItemUsers;
    QStackedWidget *m_csvFields;
    QLineEdit *m_userCol, *m_itemCol, *m_timeCol, *m_weightCol, *m_itemsFile, *m_itemIdCol, *m_titleCol,
        *m_categoryCols, *m_brandCol, *m_priceCol;
    QProgressBar *m_progress;
    QLabel *m_stage;
    QPlainTextEdit *m_report;
    QPushButton *m_import;
    QPushButton *m_cancel;
    JobTracker *m_jobs;
};

} // namespace reclens::ui
