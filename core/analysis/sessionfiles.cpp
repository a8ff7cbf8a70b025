#include "core/analysis/sessionfiles.h"

#include "core/common/error.h"
#include "core/data/datasetrepository.h"
#include "core/data/queries.h"
#include "core/models/model.h"

#include <algorithm>

namespace reclens
{

const Model *embedding_lender(std::span<const Model *const> models)
{
    for (const Model *m : models)
        if (m && !m->item_embeddings().empty())
            return m;
    return nullptr;
}

RankingSource ranking_source(std::span<const SourceFile> sources, size_t i, const Dataset &dataset)
{
    const SourceFile &s = sources[i];
    if (!s.run)
        return RankingSource(*s.model);
    std::vector<const Model *> models;
    for (const SourceFile &o : sources)
        models.push_back(o.model.get());
    return RankingSource(*s.run, dataset, embedding_lender(models));
}

std::vector<RankingSource> ranking_sources(std::span<const SourceFile> sources, const Dataset &dataset)
{
    std::vector<RankingSource> out;
    for (size_t i = 0; i < sources.size(); ++i)
        out.push_back(ranking_source(sources, i, dataset));
    return out;
}

std::shared_ptr<const Model> holding_dataset(std::shared_ptr<const Model> model, std::shared_ptr<const Dataset> dataset)
{
    struct Held {
        std::shared_ptr<const Dataset> dataset; // destroyed after the model
        std::shared_ptr<const Model> model;
    };
    auto held = std::make_shared<Held>(Held { std::move(dataset), std::move(model) });
    const Model *raw = held->model.get();
    return std::shared_ptr<const Model>(std::move(held), raw);
}

OpenedFiles open_files(const std::string &dataset, std::span<const SourceRequest> sources, const std::string &requests,
    const ProgressFn &progress)
{
    OpenedFiles out;
    auto scaled = [&progress](double from, double to) -> ProgressFn {
        return [&progress, from, to](
                   double f, std::string_view stage) { return !progress || progress(from + (to - from) * f, stage); };
    };
    Dataset base = load_dataset(dataset, scaled(0.0, 0.6));
    out.has_queries = has_queries(dataset);
    const bool any_run = std::any_of(sources.begin(), sources.end(), [](const SourceRequest &r) { return r.run; });
    // A run on a search dataset is read for its queries unless users are asked for: query ids may
    // also be user ids (movie-search's 1..10 are MovieLens users).
    const bool queries = out.has_queries && (requests == "queries" || (requests == "auto" && any_run));
    if (requests == "queries" && !out.has_queries)
        out.errors.push_back(
            dataset + ": has no queries (make a search dataset with 'reclens-cli import queries'); showing users");
    auto ds = std::make_shared<const Dataset>(queries ? query_view(std::move(base)) : std::move(base));
    out.dataset = ds;
    const double n = static_cast<double>(std::max<size_t>(1, sources.size()));
    for (size_t i = 0; i < sources.size(); ++i) {
        const SourceRequest &r = sources[i];
        if (progress && !progress(0.7 + 0.3 * static_cast<double>(i) / n, r.run ? "loading runs" : "loading models"))
            throw Cancelled();
        if (!r.run && queries) {
            out.errors.push_back(
                r.path + ": a model scores users; it is left out while the queries are shown (runs only)");
            continue;
        }
        try {
            SourceFile file;
            file.path = r.path;
            if (r.run) {
                file.run = std::make_shared<const Run>(load_run(r.path, *ds));
                for (const std::string &w : file.run->report.warnings())
                    out.warnings.push_back(r.path + ": warning: " + w);
            } else {
                file.model = holding_dataset(Model::load(r.path, *ds), ds);
            }
            out.sources.push_back(std::move(file));
            out.requested.push_back(i);
        } catch (const Cancelled &) {
            throw;
        } catch (const std::exception &e) {
            out.errors.push_back(e.what());
        }
    }
    return out;
}

OpenedFiles load_session_files(const Session &session, const std::string &session_path, const ProgressFn &progress)
{
    std::vector<SourceRequest> requests;
    for (const SessionSource &src : session.sources)
        requests.push_back({ src.path, src.kind == SessionSource::Kind::run });
    OpenedFiles out = open_files(session.dataset, requests, session.requests, progress);
    if (out.dataset->queries() != (session.requests == "queries"))
        throw Error(located(session_path,
            "the session shows " + session.requests + ", which the dataset " + session.dataset + " does not have"));
    // Every source or none: a dropped source would make another one the primary.
    if (!out.errors.empty()) {
        std::string all;
        for (const std::string &e : out.errors)
            all += (all.empty() ? "" : "; ") + e;
        throw Error(located(session_path, "cannot open the session as saved: " + all));
    }
    return out;
}

EvaluationOptions session_options(
    const Session &session, const Dataset &dataset, const RankingSource &primary, int default_pool)
{
    EvaluationOptions o;
    o.rerank = session_rerank(session, dataset, !primary.item_embeddings().empty());
    o.k = o.rerank.k;
    o.pool = session.pool > 0 ? session.pool : default_pool;
    o.category_level = o.rerank.category_level;
    o.compute_auc = true;
    return o;
}

} // namespace reclens
