#pragma once
// A session's files opened as RecLens shows them (DESIGN §10, §11): one set of rules for the GUI and
// `reclens-cli evaluate --session`. The dataset shows users or a search dataset's queries as the
// session says; every source is loaded in the session's order (a model scores users, so a session
// that shows queries takes runs only); a run borrows the item embeddings of the first model that
// has them; the session's re-ranking and rules are resolved against the dataset.
#include "core/analysis/evaluation.h"
#include "core/analysis/session.h"
#include "core/common/progress.h"
#include "core/data/runfile.h"

#include <memory>
#include <span>
#include <string>
#include <vector>

namespace reclens
{

// One list source as loaded: a TorchScript model or a precomputed run (exactly one is set). A model
// handle keeps its dataset alive.
struct SourceFile {
    std::shared_ptr<const Model> model;
    std::shared_ptr<const Run> run;
    std::string path;
};

// The model that lends a run its item embeddings: the first of `models` that has them (nulls are
// skipped), else null.
const Model *embedding_lender(std::span<const Model *const> models);

// Source i as the engine takes it: a model as itself, a run with the embedding lender's embeddings.
RankingSource ranking_source(std::span<const SourceFile> sources, size_t i, const Dataset &dataset);
// Every source as the engine takes it, in order.
std::vector<RankingSource> ranking_sources(std::span<const SourceFile> sources, const Dataset &dataset);

// A model handle that also keeps `dataset` alive (a Model points at its Dataset).
std::shared_ptr<const Model> holding_dataset(
    std::shared_ptr<const Model> model, std::shared_ptr<const Dataset> dataset);

// A file to open as a list source.
struct SourceRequest {
    std::string path;
    bool run = false; // a precomputed run (else a TorchScript model)
};

struct OpenedFiles {
    std::shared_ptr<const Dataset> dataset; // its users, or its queries
    std::vector<SourceFile> sources; // those that loaded, in the order asked
    std::vector<size_t> requested; // sources[i] is request requested[i]
    std::vector<std::string> errors; // one line for each source left out (and why)
    std::vector<std::string> warnings; // the runs' warnings, one line each
    bool has_queries = false; // the dataset has search queries (shown or not)
};

// Opens a dataset and its sources. `requests`: users | queries | auto (the queries when the dataset
// has them and a run is given). Asked for queries the dataset lacks, it shows users and says so. A
// model scores users, so with queries it is left out (said). A source that does not load is left
// out with its message. Throws for the dataset only.
OpenedFiles open_files(const std::string &dataset, std::span<const SourceRequest> sources,
    const std::string &requests = "auto", const ProgressFn &progress = {});

// What `session` names, opened by open_files with the session's requests (its files are not hashed
// here: see check_session_files). Every source or none: a source that does not load, or a dataset
// without the queries the session shows, throws Error naming the session file.
OpenedFiles load_session_files(
    const Session &session, const std::string &session_path, const ProgressFn &progress = {});

// What the session's primary source is measured with (the Summary's "re-ranked" run, `evaluate
// --session`): k, the pool (`default_pool` when the session has none), the re-ranking with its rules
// resolved against the dataset (embedding similarity without embeddings becomes category similarity),
// the AUC stage on.
EvaluationOptions session_options(
    const Session &session, const Dataset &dataset, const RankingSource &primary, int default_pool);

} // namespace reclens
