#pragma once
// Generic CSV importer with a column mapping (DESIGN §4 `import csv`): an interactions file with
// user, item and optional time and weight columns, and an optional items file with id, title,
// category columns from top to leaf, brand and price. Items of the items file form the catalogue;
// items that only appear in interactions are kept without category and counted. Time values are
// epoch seconds or ISO 8601 (see timestamp.h); without a time column the time split keeps input order.
#include "core/common/progress.h"
#include "core/data/datasetbuilder.h"

#include <string>
#include <vector>

namespace reclens {

struct CsvImportOptions : ImportOptions {
    std::string interactions; // file
    std::string user_col;
    std::string item_col;
    std::string time_col; // optional
    std::string weight_col; // optional (default weight 1)
    std::string items; // optional file
    std::string item_id_col; // required with items
    std::string title_col; // optional
    std::vector<std::string> category_cols; // top .. leaf, optional
    std::string brand_col; // optional
    std::string price_col; // optional
    char delimiter = ',';
};

ImportResult import_csv(const CsvImportOptions &options, const ProgressFn &progress = {});

} // namespace reclens
