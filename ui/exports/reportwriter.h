#pragma once
// Writes a report's content (reportcontent.h) as a PDF (A4 landscape, vector plots, tables never
// split mid-row, their header repeated on a new page) or as a self-contained HTML file (images
// embedded as data: URIs). The slow part of a report: it runs on a worker thread (ReportJob) and
// touches no widget — the content's plots are frozen on the GUI thread first.
#include "core/common/progress.h"
#include "ui/exports/reportcontent.h"

#include <QSizeF>
#include <QString>
#include <vector>

namespace reclens::ui::report
{

// The size, in points, the PDF's layout gives each plot of `content`, in document order: what
// recordPlotsForPdf records them at. Lays the pages out without drawing; quick, any thread.
std::vector<QSizeF> pdfPlotSizes(const Content &content);

// Any thread; `content` must be frozen (recordPlotsForPdf / renderPlotsForHtml). The file is written
// under a temporary name in its folder and renamed when complete. progress(fraction, stage) is called
// once per page (and before the rename); when it returns false the temporary is removed and
// reclens::Cancelled thrown. Other failures throw reclens::Error with one line; nothing is left then
// either. Checking that `path` is not one of the open files is the caller's (check_outputs).
void writePdf(const Content &content, const QString &path, const ProgressFn &progress);
void writeHtml(const Content &content, const QString &path, const ProgressFn &progress);

} // namespace reclens::ui::report
