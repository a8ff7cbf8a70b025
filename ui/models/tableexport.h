#pragma once
// Table exports (DESIGN §10): any table model to CSV or JSON, and the shown user's lists to CSV or JSON.
// A model gives exact values under ExportRole (numbers unrounded, NaN as an invalid QVariant for
// "undefined"); cells without it export what they display. CSV fields are quoted by core's
// csv_field, the one quoting every CSV of RecLens uses.
#include "core/analysis/userview.h"

#include <QAbstractItemModel>
#include <QString>
#include <QStringList>

#include <string>

namespace reclens::ui
{

inline constexpr int ExportRole = Qt::UserRole + 90;

// Header row (the model's horizontal headers), then one row per model row, in the model's order
// (a sort/filter proxy exports what the view shows).
std::string tableCsv(const QAbstractItemModel &model);
// [ {header: value, …}, … ]: numbers as JSON numbers, undefined as null.
std::string tableJson(const QAbstractItemModel &model);

// The shown user's lists, one row per list entry:
// list,user_id,rank,item_id,title,category,brand,price,score,hit,move, then why a re-ranked item
// stands here (empty for the other lists): reason,relevance_term,diversity_term,gain,because_item_id,
// similarity,rules,why
std::string userListsCsv(const Dataset &dataset, const UserView &view);
// The same rows as JSON objects (numbers as numbers, unknown price or score as null, hit as a boolean).
std::string userListsJson(const Dataset &dataset, const UserView &view);

// Writes `content` to `path` atomically after refusing a path that is one of `inputs` (DESIGN §9).
// Returns an empty string on success, else one line.
QString saveExport(const std::string &content, const QString &path, const QStringList &inputs, const QString &role);
// A table by the suffix of `path` (.csv or .json).
QString saveTable(const QAbstractItemModel &model, const QString &path, const QStringList &inputs);

} // namespace reclens::ui
