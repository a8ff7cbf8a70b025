#pragma once
// The report's content (DESIGN §10): what a stakeholder reads without RecLens. A title page (dataset,
// models, settings, rules, story users, date), the all-user metrics with Δ, p-values and CI, the
// models as points, the trade-off plot and the strata tables, then one page per story user (both
// lists with category chips, the user's category mix and diversity bars, the note).
//
// Built on the GUI thread from the Workspace (it reads item models and draws QCustomPlot widgets);
// quick. The plots are then frozen into plain values — a vector picture for the PDF, an image for
// HTML — and the widgets released, so that reportwriter.h can write the content on any thread.
#include <QByteArray>
#include <QColor>
#include <QImage>
#include <QList>
#include <QPair>
#include <QSizeF>
#include <QString>
#include <QStringList>
#include <memory>
#include <vector>

class QAbstractItemModel;
class QCustomPlot;

namespace reclens::ui
{

class Workspace;

// Tables the report prints as they are shown (the Summary page's strata), with their titles.
using ReportTables = QList<QPair<QString, const QAbstractItemModel *>>;

namespace report
{

// The PDF's resolution: one unit is one point. Plot pictures are recorded at it.
constexpr int kPdfDpi = 72;

struct Cell {
    Cell(QString t = {}, QColor c = {}, bool b = false)
        : text(std::move(t))
        , chip(c)
        , bold(b)
    {
    }
    QString text;
    QColor chip; // valid: drawn as a category chip in this colour
    bool bold = false;
};

struct Table {
    QString title;
    bool keyValue = false; // no header row; every cell left-aligned (the title page's facts)
    QStringList headers;
    QList<double> widths; // relative column widths
    QList<QList<Cell>> rows;
};

struct Plot {
    double aspect = 0.5; // height / width
    QString name; // the plot's object name (the HTML image's alt text)
    // While the content is built: the widget (GUI thread only). Frozen: null.
    std::shared_ptr<QCustomPlot> widget;
    // Frozen for the PDF: a QPicture's data, recorded at pictureSize points, and QPicture's own
    // logical DPI (the screen's), by which playback divides the target's: the writer undoes that.
    QByteArray picture;
    QSizeF pictureSize;
    int pictureDpi = 0;
    // Frozen for HTML: rendered at twice its size.
    QImage image;
};

struct Block {
    enum class Kind { Title, Heading, Text, Note, Tables, Plots };
    Kind kind = Kind::Text;
    QString text;
    std::vector<Table> tables; // side by side
    std::vector<Plot> plots; // side by side
};

struct Page {
    std::vector<Block> blocks;
};

struct Content {
    QString title;
    std::vector<Page> pages;
    bool frozen() const; // no plot holds a widget: safe to hand to another thread
};

// GUI thread. Needs the workspace's all-user runs of the current settings (and, for the trade-off
// plot, its sweep); throws reclens::Error with one line (what, what to do) otherwise.
Content buildContent(Workspace &workspace, const ReportTables &strata);

// GUI thread. Records every plot, in document order, as a vector picture of the size the PDF's
// layout gives it (`sizes`, from pdfPlotSizes in reportwriter.h), and releases the widgets.
void recordPlotsForPdf(Content &content, const std::vector<QSizeF> &sizes);
// GUI thread. Renders every plot as an image for HTML and releases the widgets.
void renderPlotsForHtml(Content &content);

} // namespace report

} // namespace reclens::ui
