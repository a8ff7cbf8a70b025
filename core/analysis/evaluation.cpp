// evaluate(): score_top -> re-rank -> metrics, with timings per stage (DESIGN §4, §5).
#include "core/analysis/evaluation.h"
#include "core/analysis/auccounter.h"
#include "core/common/error.h"
#include "core/common/parallel.h"
#include "core/scoring/scorer.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <optional>

namespace reclens {

namespace {

// Maps a stage's [0,1] progress onto [lo,hi] of the whole evaluation.
ProgressFn sub_progress(const ProgressFn &outer, double lo, double hi)
{
    if (!outer)
        return {};
    return [outer, lo, hi](double f, std::string_view stage) { return outer(lo + (hi - lo) * f, stage); };
}

// The run's users (evaluated users, or options.users among them) after the option checks, and this
// shard's share of them; fills res's k, pool, rerank and shard fields.
struct Requests {
    std::vector<int32_t> run_users, users;
};

// in_source (runs with judgements): trec_eval averages over the judged requests the run lists;
// the others are counted in *left_out.
Requests select_users(const Dataset &ds, const EvaluationOptions &options, EvaluationResult &res,
                      const std::function<bool(int32_t)> &in_source = {}, int64_t *left_out = nullptr,
                      const std::string &source_path = {})
{
    if (options.k < 1)
        throw Error("k=" + std::to_string(options.k) + " must be at least 1 (--k)");
    if (options.pool < 1)
        throw Error("pool=" + std::to_string(options.pool) + " must be at least 1 (--pool)");
    res.k = options.k;
    res.pool = std::max(options.pool, options.k);
    res.rerank = options.rerank;
    res.rerank.k = options.k;

    // Users.
    auto users = evaluated_users(ds);
    if (!options.users.empty()) {
        std::vector<int32_t> want(options.users.begin(), options.users.end());
        std::sort(want.begin(), want.end());
        std::vector<int32_t> keep;
        std::set_intersection(users.begin(), users.end(), want.begin(), want.end(), std::back_inserter(keep));
        users = std::move(keep);
    }
    if (in_source) {
        const auto before = users.size();
        std::erase_if(users, [&](int32_t u) { return !in_source(u); });
        if (left_out)
            *left_out = static_cast<int64_t>(before - users.size());
        if (users.empty() && before > 0)
            throw Error(located(source_path, "none of the " + std::to_string(before) + " judged "
                                                 + (ds.queries() ? "queries" : "users") + " of "
                                                 + ds.judgements->source
                                                 + " has a list in the run: are the run and the judgements for the "
                                                   "same requests?"));
    }
    if (users.empty() && ds.judgements)
        throw Error(located(ds.judgements->source, std::string("no judgement names a ")
                                                       + (ds.queries() ? "query" : "user") + " to evaluate"));
    if (users.empty())
        throw Error(located(ds.path.empty() ? "dataset" : ds.path,
                            "no user has a test item outside their train items: import with a train/test split"));
    if (options.shards < 1 || options.shard < 0 || options.shard >= options.shards)
        throw Error("shard " + std::to_string(options.shard) + "/" + std::to_string(options.shards)
                    + " does not exist: use --shard I/N with 0 <= I < N");
    int32_t smallest_user = users.front();
    int64_t smallest = ds.n_items();
    for (int32_t u : users) {
        const int64_t universe = ds.n_items() - ds.train.row_size(u);
        if (universe < smallest) {
            smallest = universe;
            smallest_user = u;
        }
    }
    if (options.k > smallest)
        throw Error("k=" + std::to_string(options.k) + " is larger than the candidate universe of user '" +
                    ds.user_external[static_cast<size_t>(smallest_user)] + "' (" + std::to_string(smallest) +
                    " items not in their train set): lower --k");

    // This shard's users; the run's users remain the pooled AUC's positives.
    std::vector<int32_t> run_users = users;
    res.shard = options.shard;
    res.shards = options.shards;
    res.run_users = run_users.size();
    if (options.shards > 1) {
        std::erase_if(users, [&](int32_t u) { return u % options.shards != options.shard; });
        if (users.empty())
            throw Error("shard " + std::to_string(options.shard) + "/" + std::to_string(options.shards)
                        + " has no users (the run has " + std::to_string(run_users.size())
                        + "): use fewer shards");
    }

    return {std::move(run_users), std::move(users)};
}

} // namespace

bool reranks(const RerankOptions &rerank)
{
    return rerank.method != RerankMethod::none || !rerank.rules.empty();
}

namespace {

// The facts of a result that do not depend on the re-ranking (k, pool, device, users, source,
// requests, conventions); fills them into res.
void request_facts(EvaluationResult &res, const Dataset &ds)
{
    if (ds.judgements) {
        res.conventions = "trec_eval";
        res.relevance_source = ds.judgements->source;
        res.relevance_threshold = ds.judgements->threshold;
    }
    res.requests = ds.queries() ? "queries" : "users";
}

// Each list entry's score on the scale of the scored positives (reranked_auc): the candidate's score
// where the pool has it (a run's: minus its place), otherwise the source's own (a pinned item).
std::vector<float> list_auc_scores(const ScoredSource &s, size_t row, std::span<const int32_t> list)
{
    const auto items = s.candidates.row_items(row);
    const auto scores = s.candidates.row_scores(row);
    const bool exact_pool = s.auc_by_place || s.candidates.device == "cpu";
    std::vector<float> out;
    out.reserve(list.size());
    for (const int32_t item : list) {
        const auto at = std::find(items.begin(), items.end(), item);
        if (at != items.end() && exact_pool) {
            const auto i = static_cast<size_t>(at - items.begin());
            out.push_back(s.auc_by_place ? -static_cast<float>(i + 1) : scores[i]);
        } else {
            out.push_back(item_auc_score(s.source, s.candidates.users[row], item));
        }
    }
    return out;
}

} // namespace

namespace {

void check_fits(const ScoredSource &scored, const EvaluationOptions &options)
{
    if (!scored.fits(options))
        throw Error("measure: the candidates were scored for k=" + std::to_string(scored.facts.k) + ", pool="
                    + std::to_string(scored.asked_pool) + ", not for k=" + std::to_string(options.k) + ", pool="
                    + std::to_string(std::max(options.pool, options.k)) + ": score the source again");
}

// measure()'s stages after the re-ranking: the lists' AUC, per-user metrics, aggregates, strata.
EvaluationResult measure_lists(const ScoredSource &scored, const EvaluationOptions &options, const RerankOptions &rerank,
                               std::vector<RerankedList> lists, double rerank_ms, const ProgressFn &progress);

} // namespace

EvaluationResult measure(const ScoredSource &scored, const EvaluationOptions &options, const ProgressFn &progress)
{
    const RankingSource &source = scored.source;
    const Dataset &ds = *source.dataset;
    check_fits(scored, options);
    RerankOptions rerank = options.rerank;
    rerank.k = options.k;
    const Reranker reranker(ds, rerank, source.item_embeddings(), source.dim());
    const Candidates &cand = scored.candidates;
    const std::vector<int32_t> &users = scored.facts.users;

    // 1. Re-ranking.
    Stopwatch sw;
    const size_t n = users.size();
    const bool trivial = rerank.method == RerankMethod::none || rerank.diversity == 0.0;
    std::vector<RerankedList> lists;
    // The batched version pays off on a GPU; on the CPU the threaded scalar loop is faster (it
    // computes only what each greedy step needs; see docs/benchmarks.md) and gives the same lists.
    const bool on_gpu = cand.device.rfind("cuda", 0) == 0;
    const bool batched = options.rerank_path == RerankPath::batched
                         || (options.rerank_path == RerankPath::automatic && on_gpu);
    if (batched && !trivial) {
        lists = reranker.rerank_batch(users, cand.items, cand.scores, cand.count, cand.pool, cand.device,
                                      sub_progress(progress, 0.0, 0.4));
    } else {
        lists.resize(n);
        parallel_rows(
            n, options.threads,
            [&](size_t r) { lists[r] = reranker.rerank(users[r], cand.row_items(r), cand.row_scores(r)); },
            sub_progress(progress, 0.0, 0.4), "re-ranking");
    }
    return measure_lists(scored, options, rerank, std::move(lists), sw.elapsed_ms(), sub_progress(progress, 0.4, 1.0));
}

void measure_deltas(const ScoredSource &scored, const EvaluationOptions &base, std::span<const double> deltas,
                    const std::function<void(size_t, EvaluationResult &&)> &take, const ProgressFn &progress)
{
    const RankingSource &source = scored.source;
    check_fits(scored, base);
    RerankOptions rerank = base.rerank;
    rerank.k = base.k;
    const Reranker reranker(*source.dataset, rerank, source.item_embeddings(), source.dim());
    const Candidates &cand = scored.candidates;
    const std::vector<int32_t> &users = scored.facts.users;
    const size_t n = users.size();
    const double share = 0.5 / static_cast<double>(std::max<size_t>(1, deltas.size()));
    Stopwatch sw;
    std::vector<std::vector<RerankedList>> by_user(n);
    parallel_rows(
        n, base.threads,
        [&](size_t r) { by_user[r] = reranker.rerank_deltas(users[r], cand.row_items(r), cand.row_scores(r), deltas); },
        sub_progress(progress, 0.0, 0.5), "re-ranking");
    const double rerank_ms = sw.elapsed_ms() / static_cast<double>(std::max<size_t>(1, deltas.size()));
    for (size_t i = 0; i < deltas.size(); ++i) {
        std::vector<RerankedList> lists(n);
        for (size_t r = 0; r < n; ++r)
            lists[r] = std::move(by_user[r][i]);
        RerankOptions at = rerank;
        at.diversity = deltas[i];
        const double from = 0.5 + share * static_cast<double>(i);
        take(i, measure_lists(scored, base, at, std::move(lists), rerank_ms, sub_progress(progress, from, from + share)));
    }
}

namespace {

EvaluationResult measure_lists(const ScoredSource &scored, const EvaluationOptions &options, const RerankOptions &rerank,
                               std::vector<RerankedList> lists, double rerank_ms, const ProgressFn &progress)
{
    Stopwatch total;
    const RankingSource &source = scored.source;
    const Dataset &ds = *source.dataset;
    EvaluationResult res = scored.facts;
    res.rerank = rerank;
    const size_t n = res.users.size();
    Stopwatch sw;
    res.lists.resize(n);
    res.scores.resize(n);
    for (size_t r = 0; r < n; ++r) {
        res.lists[r] = std::move(lists[r].items);
        res.scores[r] = std::move(lists[r].scores);
    }
    res.timing_ms["rerank"] = rerank_ms;

    // 2. The AUC (DESIGN §5): the model order's as scored; a re-ranked list's over its own ranking.
    sw.restart();
    const bool auc = options.compute_auc && scored.counted_auc;
    std::vector<double> per_user_auc(n, kNaN);
    if (auc && reranks(res.rerank)) {
        const AucResult &a = scored.auc;
        parallel_rows(n, options.threads, [&](size_t r) {
            const size_t from = a.positive_offsets[r], to = a.positive_offsets[r + 1];
            const auto list_scores = list_auc_scores(scored, r, res.lists[r]);
            per_user_auc[r] = reranked_auc(res.lists[r], list_scores, ds.train.row(res.users[r]),
                                           {a.positive_items.data() + from, to - from},
                                           {a.positive_scores.data() + from, to - from},
                                           {a.positive_twice.data() + from, to - from}, a.negatives[r]);
        });
    } else if (auc) {
        per_user_auc = scored.auc.per_user;
    }
    res.timing_ms["auc"] = sw.elapsed_ms();

    // 3. Per-user metrics, aggregates, strata.
    sw.restart();
    const MetricContext ctx(ds, options.category_level, source.item_embeddings(), source.dim());
    res.category_level = ctx.level();
    res.per_user.resize(n);
    parallel_rows(
        n, options.threads,
        [&](size_t r) { res.per_user[r] = user_metrics(ctx, res.users[r], res.lists[r], res.k, per_user_auc[r]); },
        sub_progress(progress, 0.0, 0.9), "metrics");
    res.auc_parts = auc ? scored.auc.pooled_parts : PooledAucParts{};
    res.counted_auc = auc;
    res.stratum_facts.resize(n);
    parallel_rows(n, options.threads,
                  [&](size_t r) { res.stratum_facts[r] = stratum_facts(ctx, res.users[r], res.lists[r]); });
    summarise(res, ds.n_items(), ctx.head_size(), ds.n_items() - ctx.head_size());
    res.timing_ms["metrics"] = sw.elapsed_ms();
    res.timing_ms["total"] = rerank_ms + total.elapsed_ms();
    if (progress && !progress(1.0, "done"))
        throw Cancelled();
    return res;
}

} // namespace

namespace {

ScoredSource score_model(const Model &model, const EvaluationOptions &options, const ProgressFn &progress,
                         bool pooled_curve)
{
    const Dataset &ds = model.dataset();
    ScoredSource out;
    out.source = RankingSource(model);
    EvaluationResult &res = out.facts;
    res.source_name = model.info().name;
    auto [run_users, users] = select_users(ds, options, res);
    request_facts(res, ds);

    // Candidates, and on the CPU the AUC counted inside the same pass (DESIGN §8): its positives are
    // scored first, then every score tile is counted while in cache. The pass's wall time is split
    // by the counting's own share (AucCounter::counting_ms).
    ScoringOptions so;
    so.pool = res.pool;
    so.device = options.device;
    so.threads = options.threads;
    const bool cpu = scoring_device(model, options.device) == "cpu";
    std::optional<AucCounter> counter;
    if (options.compute_auc && cpu)
        counter.emplace(model, users, options.threads, pooled_curve, run_users);
    Stopwatch scoring;
    out.candidates = score_top(model, users, so, sub_progress(progress, 0.0, 0.7), counter ? &*counter : nullptr);
    const double counting = counter ? counter->counting_ms() : 0.0;
    out.timing_ms["scoring"] = scoring.elapsed_ms() - counting;
    double auc_ms = counter ? counter->positives_ms() + counting : 0.0;
    if (counter) {
        out.timing_ms["auc_positives"] = counter->positives_ms();
        out.timing_ms["auc_counting"] = counting;
    }
    res.device = out.candidates.device;
    res.users = out.candidates.users;
    if (options.compute_auc) {
        // On CUDA the AUC is its own pass over the CPU kernel.
        Stopwatch sw;
        out.auc = counter ? counter->result()
                          : compute_auc(model, out.candidates.users, sub_progress(progress, 0.7, 1.0), pooled_curve,
                                        options.threads, run_users);
        out.counted_auc = true;
        auc_ms += sw.elapsed_ms();
    }
    out.timing_ms["auc"] = auc_ms;
    return out;
}

ScoredSource score_run(const Run &run, const Dataset &ds, const Model *model, const EvaluationOptions &options,
                       const ProgressFn &progress, bool pooled_curve)
{
    if (model && &model->dataset() != &ds)
        throw Error("the model lending embeddings to a run must be loaded on the run's dataset");
    if (run.offsets.size() != static_cast<size_t>(ds.n_users()) + 1)
        throw Error(located(run.path, "the run was loaded for another dataset"));
    ScoredSource out;
    out.source = RankingSource(run, ds, model);
    out.auc_by_place = true;
    EvaluationResult &res = out.facts;
    res.from_run = true;
    res.run_format = run_format_name(run.format);
    res.source_name = run.name;
    int64_t judged_missing = 0;
    std::function<bool(int32_t)> in_run;
    if (ds.judgements)
        in_run = [&run](int32_t u) { return !run.list(u).empty(); };
    auto [run_users, users] = select_users(ds, options, res, in_run, &judged_missing, run.path);
    request_facts(res, ds);
    res.requests_left_out = judged_missing;
    // The run's depth bounds the pool (DESIGN §11); never below k.
    res.pool = std::max(res.k, std::min(res.pool, static_cast<int>(std::min<size_t>(run.depth(), 1 << 30))));

    // Candidates: the run's lists, train items left out, cut at the pool.
    Stopwatch sw;
    const size_t n = users.size();
    int64_t without = 0, train_listed = 0;
    out.candidates = run_candidates(run, ds, users, res.pool, &without, &train_listed);
    res.device = out.candidates.device;
    res.users = out.candidates.users;
    res.warnings = run.report.warnings();
    if (judged_missing > 0)
        res.warnings.push_back(std::to_string(judged_missing) + " judged " + (ds.queries() ? "queries" : "users")
                               + " have no list in the run: left out of the means (trec_eval's convention)");
    if (without > 0)
        res.warnings.push_back(std::to_string(without) + " of " + std::to_string(n)
                               + " evaluated users have no list in the run (or only train items in it): they "
                                 "count with empty lists");
    if (train_listed > 0)
        res.warnings.push_back(std::to_string(train_listed) + " listed items are in their user's train set, left out "
                               "(the ranking universe is the items a user has not interacted with in train)");
    out.timing_ms["scoring"] = sw.elapsed_ms();
    sw.restart();
    if (options.compute_auc) {
        out.auc = run_auc(run, ds, out.candidates.users, run_users);
        out.counted_auc = true;
        if (pooled_curve)
            out.auc.pooled_curve = pooled_roc(out.source, sub_progress(progress, 0.5, 1.0));
    }
    out.timing_ms["auc"] = sw.elapsed_ms();
    return out;
}

} // namespace

ScoredSource score(const RankingSource &source, const EvaluationOptions &options, const ProgressFn &progress,
                   bool pooled_curve)
{
    if (!source.run && !source.model)
        throw Error("evaluate: no model or run to evaluate");
    ScoredSource out = source.run ? score_run(*source.run, *source.dataset, source.model, options, progress, pooled_curve)
                                  : score_model(*source.model, options, progress, pooled_curve);
    out.asked_pool = std::max(options.pool, options.k);
    return out;
}

EvaluationResult evaluate(const RankingSource &source, const EvaluationOptions &options, const ProgressFn &progress)
{
    Stopwatch total;
    // Bad re-rank options are refused before any expensive work (bad k and pool by score first):
    // the re-ranker validates them as it is built.
    if (source.dataset && options.k >= 1 && options.pool >= 1) {
        RerankOptions rerank = options.rerank;
        rerank.k = options.k;
        (void)Reranker(*source.dataset, rerank, source.item_embeddings(), source.dim());
    }
    const ScoredSource scored = score(source, options, sub_progress(progress, 0.0, 0.8));
    EvaluationResult res = measure(scored, options, sub_progress(progress, 0.8, 1.0));
    for (const auto &[stage, ms] : scored.timing_ms)
        res.timing_ms[stage] += ms;
    res.timing_ms["total"] = total.elapsed_ms();
    return res;
}

EvaluationResult evaluate(const Model &model, const EvaluationOptions &options, const ProgressFn &progress)
{
    return evaluate(RankingSource(model), options, progress);
}

EvaluationResult evaluate(const Run &run, const Dataset &ds, const Model *model, const EvaluationOptions &options,
                          const ProgressFn &progress)
{
    return evaluate(RankingSource(run, ds, model), options, progress);
}

Candidates run_candidates(const Run &run, const Dataset &ds, std::span<const int32_t> users, int pool,
                          int64_t *without, int64_t *train_listed)
{
    Candidates cand;
    cand.pool = pool;
    cand.device = "cpu";
    cand.users.assign(users.begin(), users.end());
    const size_t n = users.size();
    cand.items.assign(n * static_cast<size_t>(pool), -1);
    cand.scores.assign(n * static_cast<size_t>(pool), -std::numeric_limits<float>::infinity());
    cand.count.assign(n, 0);
    int64_t empty = 0, in_train = 0;
    for (size_t r = 0; r < n; ++r) {
        const int32_t u = users[r];
        const auto items = run.list(u);
        const auto scores = run.list_scores(u);
        const auto train = ds.train.row(u);
        int32_t c = 0;
        for (size_t i = 0; i < items.size(); ++i) {
            if (std::binary_search(train.begin(), train.end(), items[i])) {
                ++in_train;
                continue;
            }
            if (c < pool) {
                cand.items[r * static_cast<size_t>(pool) + static_cast<size_t>(c)] = items[i];
                cand.scores[r * static_cast<size_t>(pool) + static_cast<size_t>(c)] = scores[i];
                ++c;
            }
        }
        cand.count[r] = c;
        empty += c == 0; // no list, or only train items in it
    }
    if (without)
        *without = empty;
    if (train_listed)
        *train_listed = in_train;
    return cand;
}

std::vector<float> run_scores_all(const Run &run, const Dataset &ds, int32_t user)
{
    // Places count the list without the user's train items, as run_auc numbers them.
    const float below = -static_cast<float>(run.depth() + 1);
    std::vector<float> all(static_cast<size_t>(ds.n_items()), below);
    const auto items = run.list(user);
    const auto train = ds.train.row(user);
    size_t place = 0;
    for (const int32_t item : items)
        if (!std::binary_search(train.begin(), train.end(), item))
            all[static_cast<size_t>(item)] = -static_cast<float>(++place);
    return all;
}

std::string RankingSource::name() const
{
    return run ? run->name : model ? model->info().name : std::string();
}

std::span<const float> RankingSource::item_embeddings() const
{
    return model ? model->item_embeddings() : std::span<const float>{};
}

int RankingSource::dim() const
{
    return model ? model->dim() : 0;
}

} // namespace reclens
