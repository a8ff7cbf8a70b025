#pragma once
// MovieLens importer (ml-latest-small layout: ratings.csv, movies.csv). Every rating is an
// interaction (weight = rating, ts = timestamp); items are all movies of movies.csv (plus any rated
// movie missing there, without category); primary category = first genre (one flat level), all
// genres as item tags; "(no genres listed)" means no category and no tags.
#include "core/common/progress.h"
#include "core/data/datasetbuilder.h"

#include <optional>
#include <string>

namespace reclens {

struct MovieLensOptions : ImportOptions {
    std::optional<double> min_rating; // ratings below it are skipped (counted in the report)
};

// Reads DIR/ratings.csv and DIR/movies.csv. Throws reclens::Error for missing files or columns, a
// malformed row under strict, or no interactions. Progress: return false to cancel.
ImportResult import_movielens(const std::string &dir, const MovieLensOptions &options, const ProgressFn &progress = {});

} // namespace reclens
