#include "ui/widgets/importdialog.h"

#include "core/common/files.h"
#include "core/data/completejourneyimporter.h"
#include "core/data/csvimporter.h"
#include "core/data/movielensimporter.h"
#include "ui/session/jobtracker.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace reclens::ui
{

ImportDialog::ImportDialog(QWidget *parent)
    : QDialog(parent)
    , m_jobs(new JobTracker(this))
{
    setWindowTitle(QStringLiteral("Import a dataset"));
    resize(620, 560);
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_source = new QComboBox(this);
    m_source->addItems({ QStringLiteral("CompleteJourney folder"), QStringLiteral("MovieLens folder (ml-latest-small)"),
        QStringLiteral("CSV files") });
    form->addRow(QStringLiteral("Source"), m_source);
    auto *inputRow = new QHBoxLayout;
    m_input = new QLineEdit(this);
    auto *browseIn = new QPushButton(QStringLiteral("Browse…"), this);
    inputRow->addWidget(m_input, 1);
    inputRow->addWidget(browseIn);
    form->addRow(QStringLiteral("Input"), inputRow);
    auto *outputRow = new QHBoxLayout;
    m_output = new QLineEdit(this);
    auto *browseOut = new QPushButton(QStringLiteral("Browse…"), this);
    outputRow->addWidget(m_output, 1);
    outputRow->addWidget(browseOut);
    form->addRow(QStringLiteral("Output (.sqlite)"), outputRow);
    // The k-core filter of RecBole and LensKit, before the split.
    auto *core = new QHBoxLayout;
    auto bound = [this](const QString &tip) {
        auto *spin = new QSpinBox(this);
        spin->setRange(0, 1000000);
        spin->setSpecialValueText(QStringLiteral("no bound"));
        spin->setToolTip(tip);
        return spin;
    };
    m_minUserItems = bound(QStringLiteral("Keep users with at least this many distinct items (--min-user-items)"));
    m_minItemUsers = bound(QStringLiteral("Keep items with at least this many distinct users (--min-item-users)"));
    core->addWidget(new QLabel(QStringLiteral("users with ≥"), this));
    core->addWidget(m_minUserItems);
    core->addWidget(new QLabel(QStringLiteral("items, items with ≥"), this));
    core->addWidget(m_minItemUsers);
    core->addWidget(new QLabel(QStringLiteral("users"), this));
    core->addStretch(1);
    form->addRow(QStringLiteral("k-core filter"), core);
    layout->addLayout(form);

    m_csvFields = new QStackedWidget(this);
    m_csvFields->addWidget(new QWidget);
    auto *csv = new QWidget;
    auto *csvForm = new QFormLayout(csv);
    auto field = [&](const QString &label, const QString &placeholder) {
        auto *e = new QLineEdit(csv);
        e->setPlaceholderText(placeholder);
        csvForm->addRow(label, e);
        return e;
    };
    m_userCol = field(QStringLiteral("User column"), QStringLiteral("required"));
    m_itemCol = field(QStringLiteral("Item column"), QStringLiteral("required"));
    m_timeCol = field(QStringLiteral("Time column"), QStringLiteral("optional"));
    m_weightCol = field(QStringLiteral("Weight column"), QStringLiteral("optional"));
    m_itemsFile = field(QStringLiteral("Items CSV"), QStringLiteral("optional file with item details"));
    m_itemIdCol = field(QStringLiteral("Item id column"), QStringLiteral("required with an items file"));
    m_titleCol = field(QStringLiteral("Title column"), QStringLiteral("optional"));
    m_categoryCols = field(QStringLiteral("Category columns"), QStringLiteral("top,…,leaf (optional)"));
    m_brandCol = field(QStringLiteral("Brand column"), QStringLiteral("optional"));
    m_priceCol = field(QStringLiteral("Price column"), QStringLiteral("optional"));
    m_csvFields->addWidget(csv);
    layout->addWidget(m_csvFields);

    m_stage = new QLabel(this);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    layout->addWidget(m_stage);
    layout->addWidget(m_progress);
    m_report = new QPlainTextEdit(this);
    m_report->setReadOnly(true);
    m_report->setPlaceholderText(QStringLiteral("The import report appears here."));
    layout->addWidget(m_report, 1);

    auto *buttons = new QDialogButtonBox(this);
    m_import = buttons->addButton(QStringLiteral("Import"), QDialogButtonBox::AcceptRole);
    m_cancel = buttons->addButton(QStringLiteral("Cancel import"), QDialogButtonBox::ActionRole);
    m_cancel->setEnabled(false);
    auto *close = buttons->addButton(QDialogButtonBox::Close);
    layout->addWidget(buttons);

    connect(m_source, &QComboBox::currentIndexChanged, this,
        [this](int i) { m_csvFields->setCurrentIndex(i == Csv ? 1 : 0); });
    connect(browseIn, &QPushButton::clicked, this, &ImportDialog::browseInput);
    connect(browseOut, &QPushButton::clicked, this, &ImportDialog::browseOutput);
    connect(m_import, &QPushButton::clicked, this, &ImportDialog::startImport);
    connect(m_cancel, &QPushButton::clicked, m_jobs, &JobTracker::cancel);
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_jobs, &JobTracker::progressChanged, this, [this](double f, const QString &stage) {
        m_progress->setValue(static_cast<int>(f * 1000));
        m_stage->setText(stage);
    });
    connect(m_jobs, &JobTracker::runningChanged, this, [this](bool running) {
        m_import->setEnabled(!running);
        m_cancel->setEnabled(running);
    });
    connect(m_jobs, &JobTracker::jobCancelled, this, [this] {
        m_stage->setText(QStringLiteral("Import cancelled; no file was written."));
        m_progress->setValue(0);
    });
    connect(m_jobs, &JobTracker::jobFailed, this, [this](const QString &, const QString &message) {
        m_stage->setText(QStringLiteral("Import failed."));
        m_report->setPlainText(message);
        Q_EMIT importFailed(message);
    });
}

void ImportDialog::setSource(Source source)
{
    m_source->setCurrentIndex(source);
}
void ImportDialog::setInput(const QString &path)
{
    m_input->setText(path);
}
void ImportDialog::setOutput(const QString &path)
{
    m_output->setText(path);
}

void ImportDialog::setKCore(int minUserItems, int minItemUsers)
{
    m_minUserItems->setValue(minUserItems);
    m_minItemUsers->setValue(minItemUsers);
}

void ImportDialog::browseInput()
{
    const QString path = m_source->currentIndex() == Csv
        ? QFileDialog::getOpenFileName(
            this, QStringLiteral("Interactions CSV"), {}, QStringLiteral("CSV (*.csv *.tsv *.txt)"))
        : QFileDialog::getExistingDirectory(this, QStringLiteral("Dataset folder"));
    if (!path.isEmpty())
        m_input->setText(path);
}

void ImportDialog::browseOutput()
{
    const QString path = QFileDialog::getSaveFileName(
        this, QStringLiteral("Save dataset as"), {}, QStringLiteral("RecLens dataset (*.sqlite)"));
    if (!path.isEmpty())
        m_output->setText(path);
}

void ImportDialog::startImport()
{
    const int source = m_source->currentIndex();
    const std::string input = m_input->text().trimmed().toStdString();
    const std::string output = m_output->text().trimmed().toStdString();
    if (input.empty() || output.empty()) {
        m_stage->setText(QStringLiteral("Choose an input and an output file first."));
        return;
    }
    KCoreFilter kcore;
    kcore.min_user_items = m_minUserItems->value();
    kcore.min_item_users = m_minItemUsers->value();
    CsvImportOptions csv;
    csv.core = kcore;
    if (source == Csv) {
        csv.interactions = input;
        csv.user_col = m_userCol->text().trimmed().toStdString();
        csv.item_col = m_itemCol->text().trimmed().toStdString();
        csv.time_col = m_timeCol->text().trimmed().toStdString();
        csv.weight_col = m_weightCol->text().trimmed().toStdString();
        csv.items = m_itemsFile->text().trimmed().toStdString();
        csv.item_id_col = m_itemIdCol->text().trimmed().toStdString();
        csv.title_col = m_titleCol->text().trimmed().toStdString();
        for (const QString &c : m_categoryCols->text().split(u',', Qt::SkipEmptyParts))
            csv.category_cols.push_back(c.trimmed().toStdString());
        csv.brand_col = m_brandCol->text().trimmed().toStdString();
        csv.price_col = m_priceCol->text().trimmed().toStdString();
    }
    m_report->clear();
    const QString outPath = m_output->text().trimmed();
    try {
        std::vector<NamedPath> inputs = source == Csv
            ? std::vector<NamedPath> { { csv.interactions, "interactions file" }, { csv.items, "items file" } }
            : files_in(input, "data folder file");
        check_outputs(inputs, { { output, "output file" } });
    } catch (const std::exception &e) {
        m_stage->setText(QStringLiteral("Cannot import"));
        m_report->setPlainText(QString::fromStdString(e.what()));
        Q_EMIT importFailed(QString::fromStdString(e.what()));
        return;
    }
    m_jobs->start<std::string>(
        QStringLiteral("import"),
        [source, input, output, csv, kcore](const ProgressFn &progress) {
            auto half = [progress](double from) {
                return ProgressFn([progress, from](double f, std::string_view stage) {
                    return !progress || progress(from + 0.5 * f, stage);
                });
            };
            ImportResult result;
            if (source == CompleteJourney) {
                CompleteJourneyOptions o;
                o.core = kcore;
                result = import_completejourney(input, o, half(0));
            } else if (source == MovieLens) {
                MovieLensOptions o;
                o.core = kcore;
                result = import_movielens(input, o, half(0));
            } else
                result = import_csv(csv, half(0));
            save_import(result, output, half(0.5));
            return result.report.to_text();
        },
        [this, outPath](std::string report) {
            m_progress->setValue(1000);
            m_stage->setText(u"Imported into "_qs + outPath);
            m_report->setPlainText(QString::fromStdString(report));
            Q_EMIT datasetImported(outPath);
        });
}

} // namespace reclens::ui
