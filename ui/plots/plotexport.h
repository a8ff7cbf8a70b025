#pragma once
// Plot exports (DESIGN §10): any plot to PNG, PDF or SVG, chosen by the file's suffix, written under a
// temporary name and renamed when complete (DESIGN §9). PNG and PDF are QCustomPlot's own savePng and
// savePdf; SVG draws the plot through Qt SVG's QSvgGenerator. Each plot also gets a context menu
// "Save plot as PNG/PDF/SVG…" with a default file name.
#include <QString>
#include <QStringList>

#include <functional>

class QCustomPlot;

namespace reclens::ui
{

// The suffixes a plot can be saved as.
QStringList plotFormats(); // { "png", "pdf", "svg" }

// Saves `plot` to `path` at its on-screen size (PNG at `scale` times it). Returns an empty string on
// success, else one line naming the file and what to do. `inputs`: files that must not be overwritten.
QString savePlot(QCustomPlot *plot, const QString &path, double scale = 2.0, const QStringList &inputs = {});

// Adds the context menu to `plot`. `defaultName(suffix)` gives the suggested path; `inputs()` the files
// that an export must not overwrite; `report(error)` shows a failure.
void installPlotExportMenu(QCustomPlot *plot, std::function<QString(const QString &suffix)> defaultName,
    std::function<QStringList()> inputs, std::function<void(const QString &error)> report);

} // namespace reclens::ui
