#include "core/data/movielensimporter.h"

#include "core/common/error.h"
#include "core/data/csvreader.h"
#include "core/data/importutil.h"
#include "core/data/rowchecks.h"
#include "core/data/timestamp.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace reclens {

ImportResult import_movielens(const std::string &dir, const MovieLensOptions &options, const ProgressFn &progress)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw Error(located(dir, "no such folder; pass the MovieLens folder that holds ratings.csv and movies.csv"));
    const std::string ratings_path = (fs::path(dir) / "ratings.csv").string();
    const std::string movies_path = (fs::path(dir) / "movies.csv").string();
    for (const auto &p : {ratings_path, movies_path}) {
        if (!fs::exists(p, ec))
            throw Error(
                located(p, "missing; a MovieLens folder (ml-latest-small layout) has ratings.csv and movies.csv"));
    }

    ProgressReporter reporter(progress);
    ImportReport report;
    report.source = "movielens";
    report.inputs = {ratings_path, movies_path};
    RowIssues issues(report, options.strict, options.na_values);
    DatasetBuilder b;

    {
        CsvReader movies(movies_path);
        const int c_id = movies.require_column("movieId");
        const int c_title = movies.require_column("title");
        const int c_genres = movies.require_column("genres");
        detail::RowChecks check(movies, report, issues);
        CsvRow row;
        int64_t n = 0;
        while (movies.next(row)) {
            ++n;
            if (!check.well_formed(row))
                continue;
            const auto id_field = check.id(row, c_id);
            if (!id_field)
                continue;
            const std::string &id = *id_field;
            if (b.find_item(id) >= 0) {
                report.add_skipped("movies.csv: duplicate movieId (first row kept)");
                continue;
            }
            auto &f = b.item_fields(b.item(id));
            f.title = row.fields[static_cast<size_t>(c_title)];
            const std::string &genres = row.fields[static_cast<size_t>(c_genres)];
            if (genres != "(no genres listed)" && !genres.empty()) {
                size_t start = 0;
                while (start <= genres.size()) {
                    const size_t bar = genres.find('|', start);
                    const std::string g(detail::trim(std::string_view(genres).substr(
                        start, bar == std::string::npos ? std::string::npos : bar - start)));
                    if (!g.empty())
                        f.tags.push_back(g);
                    if (bar == std::string::npos)
                        break;
                    start = bar + 1;
                }
                if (!f.tags.empty())
                    f.category = b.category_path({f.tags.front()});
            }
            reporter.report(0.2 * movies.fraction(), "reading movies.csv");
        }
        report.rows.emplace_back(movies_path, n);
    }
    const int32_t catalogue = b.n_items();

    {
        CsvReader ratings(ratings_path);
        const int c_user = ratings.require_column("userId");
        const int c_movie = ratings.require_column("movieId");
        const int c_rating = ratings.require_column("rating");
        const int c_ts = ratings.require_column("timestamp");
        detail::RowChecks check(ratings, report, issues);
        CsvRow row;
        int64_t n = 0;
        int64_t unknown_movie_rows = 0;
        while (ratings.next(row)) {
            ++n;
            if (!check.well_formed(row))
                continue;
            const auto user_field = check.id(row, c_user);
            const auto movie_field = user_field ? check.id(row, c_movie) : std::nullopt;
            if (!user_field || !movie_field)
                continue;
            const std::string &user = *user_field, &movie = *movie_field;
            const auto rating = detail::parse_number(row.fields[static_cast<size_t>(c_rating)]);
            if (!rating) {
                check.malformed(row, "rating '" + row.fields[static_cast<size_t>(c_rating)] + "' is not a number");
                continue;
            }
            const auto ts = parse_timestamp(row.fields[static_cast<size_t>(c_ts)]);
            if (!ts) {
                check.malformed(row, "timestamp '" + row.fields[static_cast<size_t>(c_ts)] + "' is not a time");
                continue;
            }
            if (options.min_rating && *rating < *options.min_rating) {
                report.add_skipped("rating below --min-rating");
                continue;
            }
            if (b.find_item(movie) < 0)
                ++unknown_movie_rows;
            b.interaction(b.user(user), b.item(movie), *ts, true, static_cast<float>(*rating));
            reporter.report(0.2 + 0.6 * ratings.fraction(), "reading ratings.csv");
        }
        report.rows.emplace_back(ratings_path, n);
        if (unknown_movie_rows > 0)
            report.findings.push_back(std::to_string(unknown_movie_rows) + " rating rows refer to "
                                      + std::to_string(b.n_items() - catalogue)
                                      + " movies missing from movies.csv; kept as items without category");
    }

    // Optional tags.csv (userId, movieId, tag, timestamp): each movie's distinct user tags join its
    // genres in item_tags (text for search, DESIGN §11); tags of movies the catalogue lacks are left out.
    const std::string tags_path = (fs::path(dir) / "tags.csv").string();
    if (fs::exists(tags_path, ec)) {
        CsvReader tags(tags_path);
        const int c_movie = tags.require_column("movieId");
        const int c_tag = tags.require_column("tag");
        detail::RowChecks check(tags, report, issues);
        report.inputs.push_back(tags_path);
        CsvRow row;
        int64_t n = 0, added = 0;
        auto lower = [](std::string_view t) {
            std::string s(t);
            for (char &c : s)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            return s;
        };
        while (tags.next(row)) {
            ++n;
            if (!check.well_formed(row))
                continue;
            const auto movie = check.id(row, c_movie);
            if (!movie)
                continue;
            const int32_t item = b.find_item(*movie);
            const std::string tag = check.field(row, c_tag); // an unquoted NA is no tag
            if (item < 0 || item >= catalogue || tag.empty())
                continue;
            auto &have = b.item_fields(item).tags;
            const std::string key = lower(tag);
            if (std::none_of(have.begin(), have.end(), [&](const std::string &t) { return lower(t) == key; })) {
                have.push_back(tag);
                ++added;
            }
        }
        report.rows.emplace_back(tags_path, n);
        report.findings.push_back(std::to_string(added) + " distinct user tags from tags.csv added to the movies' "
                                  "tags (after their genres)");
    }

    int32_t unrated = 0, no_genre = 0;
    for (int32_t i = 0; i < catalogue; ++i) {
        if (b.item_fields(i).category < 0)
            ++no_genre;
    }
    reporter.force(0.85, "splitting");
    std::unordered_map<std::string, std::string> meta{
        {"name", fs::path(dir).filename().string()},
        {"source", "MovieLens (GroupLens), " + dir},
        {"licence", "MovieLens terms of use (research, non-commercial); see README.txt of the source"}};
    if (no_genre > 0)
        report.findings.push_back(std::to_string(no_genre)
                                  + " movies have no genre listed; they have no category (the \"unknown\" bucket)");
    ImportResult r = std::move(b).build(std::move(meta), options.split, std::move(report), "rating", options.core);
    for (int32_t i = 0; i < r.dataset.n_items(); ++i) {
        if (r.dataset.popularity[static_cast<size_t>(i)] == 0)
            ++unrated;
    }
    if (unrated > 0)
        r.report.findings.push_back(std::to_string(unrated)
                                    + " items have no train interactions (never rated, or rated only in test)");
    reporter.force(1.0, "import done");
    return r;
}

} // namespace reclens
