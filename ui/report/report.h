#pragma once
// The report (DESIGN §10): what a stakeholder reads without RecLens. A title page (dataset, models,
// settings, rules, story users, date), the all-user metrics with Δ, p-values and CI, the trade-off
// plot and the strata tables, then one page per story user (both lists with category chips, the
// user's category mix and diversity bars, the note). One content, two writers: a PDF (vector plots,
// A4 landscape, tables never split mid-row, their header repeated on a new page) and a
// self-contained HTML file (images embedded as data: URIs).
#include <QList>
#include <QPair>
#include <QString>

class QAbstractItemModel;

namespace reclens::ui
{

class Workspace;

// Tables the report prints as they are shown (the Summary page's strata), with their titles.
using ReportTables = QList<QPair<QString, const QAbstractItemModel *>>;

// Both need the workspace's all-user runs (and, for the trade-off plot, its sweep) to be in.
// They return an empty string on success, else one line (what, where, what to do); the file is
// written under a temporary name and renamed when complete, and never over one of the open files.
QString writeReportPdf(Workspace &workspace, const ReportTables &strata, const QString &path);
QString writeReportHtml(Workspace &workspace, const ReportTables &strata, const QString &path);

} // namespace reclens::ui
