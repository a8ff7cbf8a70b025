#pragma once
// 84.51° Complete Journey importer (the CSVs of the R package completejourney: transactions_sample.csv
// or transactions.csv, products.csv, demographics.csv).
//  - users: households that appear in the transactions; segment = demographics household_comp
//    (e.g. "2 Adults Kids"), every demographic column as a user attribute; households without
//    demographics have no segment.
//  - items: products that appear in the transactions (all of products.csv with all_products), with
//    the category tree department > product_category > product_type; the path stops at the first
//    empty level. Brand = "Manufacturer <manufacturer_id>"; products.csv's brand column
//    (National/Private) becomes an item tag. Title = "<product_type> (<package_size>)".
//  - price = median unit price sales_value / quantity over the product's lines with quantity > 0.
//  - interactions: one row per purchase line, weight 1 (quantity is not a count for every product:
//    fuel lines carry quantities in the tens of thousands), ts = transaction_timestamp in UTC.
//    Lines whose product is missing from products.csv are kept (item without category) and counted.
#include "core/common/progress.h"
#include "core/data/datasetbuilder.h"

#include <string>

namespace reclens {

struct CompleteJourneyOptions : ImportOptions {
    bool all_products = false; // items = the whole products.csv catalogue, not only purchased products
};

ImportResult import_completejourney(const std::string &dir, const CompleteJourneyOptions &options,
                                    const ProgressFn &progress = {});

} // namespace reclens
