#pragma once
// Session files (DESIGN §10; docs/sessions.md): what a person was looking at, so that it can be
// reopened, handed to a colleague or evaluated headless. JSON, "format": "reclens-session",
// "version": 1. Every file is named with its SHA-256 so that a changed or moved file is detected
// and named, never silently replaced; paths below the session's folder are stored relative to it.
// Rules are stored by external names (item ids, brand names, category paths) so that the file
// reads as what it means and survives re-imports that renumber rows.
#include "core/data/dataset.h"
#include "core/rerank/reranker.h"

#include <span>
#include <string>
#include <vector>

namespace reclens {

inline constexpr int kSessionVersion = 1;

// A model or a precomputed run of the session, in the order the sources were added: the first is
// the primary (re-ranked) source, the second the compared one.
struct SessionSource {
    enum class Kind { model, run };
    Kind kind = Kind::model;
    std::string path;   // absolute once read (resolved against the session's folder)
    std::string sha256; // of the file as it was loaded
    std::string name;   // display name (informative; the file decides)
    bool operator==(const SessionSource &) const = default;
};

// A merchandising rule by names: `target` is an item's external id, a brand's name, or a category's
// path of names from the top level down (one element per level).
struct SessionRule {
    MerchRule::Kind kind = MerchRule::Kind::exclude_item;
    std::vector<std::string> target;
    double factor = 1.0;
    double amount = 0.0;
    int rank = 1;
    bool operator==(const SessionRule &) const = default;
};

// A pinned user (or query) of the session's story, in the order they are told, with a note.
struct StoryUser {
    std::string id; // external id
    std::string note;
    bool operator==(const StoryUser &) const = default;
};

struct Session {
    std::string dataset;        // absolute once read
    std::string dataset_sha256;
    std::string requests = "users"; // users | queries (a search dataset's queries, runs only)
    std::vector<SessionSource> sources;

    // Every control of DESIGN §7. rerank.rules is empty here: the rules are `rules`, by name.
    RerankOptions rerank;
    std::vector<SessionRule> rules;
    int pool = 100;
    // Sources (indices into `sources`, ≥ 1) whose own order is shown beside the primary's lists, in
    // this order (the file's "compared"; a version-1 file without it: "second_model" true means [1]).
    std::vector<int> compared;
    int baseline_column = 0; // the list column rank moves are counted against (0 = model order)
    bool compared_reranked = false; // the compared sources' lists re-ranked like the primary's

    std::string user;           // the selected user's external id (empty: none)
    std::vector<StoryUser> story;
    int bars_level = 1;         // the category-mix plot's category level (1 = top)
    std::string roc = "items";    // the ROC plot's universe: items (every item) | pool (the candidate pool)
    std::string page = "inspect"; // inspect | summary
    bool operator==(const Session &) const = default;
};

// The session as JSON text (paths relative to `session_path`'s folder when below it).
std::string session_json(const Session &session, const std::string &session_path);
// Parses a session file's text; `session_path` names it in messages and anchors relative paths.
// Throws Error with one line for text that is not JSON (truncated files included, with the byte
// where it stops), another format, a newer version, and missing or mistyped fields (named by
// their JSON path).
Session parse_session(const std::string &text, const std::string &session_path);
Session read_session(const std::string &session_path);
// Writes atomically; refuses (before writing) a path that is one of the session's own files.
void write_session(const Session &session, const std::string &session_path);

// A file of the session that is not as it was saved.
struct SessionFileProblem {
    enum class Kind { missing, changed };
    Kind kind = Kind::missing;
    std::string role;   // "dataset", "model 1 (bpr)", "run 2 (bm25)"
    std::string path;
    std::string expected_sha256;
    std::string actual_sha256; // empty when missing
    int source = -1;           // index into Session::sources, -1 for the dataset
    std::string message() const; // one line: what, where, what to do
};

// Hashes the dataset and every source; empty when all are as saved.
std::vector<SessionFileProblem> check_session_files(const Session &session);
// A file of the session that the person found elsewhere (`source`: index into Session::sources, -1
// for the dataset). It is used when it is the saved file (same SHA-256), or, with `accept_changed`,
// as it is now (the session then records its new hash).
struct LocatedFile {
    int source = -1;
    std::string path;
    bool accept_changed = false;
};
// Points `session` at the located files (out-of-range indices are ignored), records the hashes of
// the changed files the person accepted, and returns the problems that remain (empty: all is as
// saved or accepted).
std::vector<SessionFileProblem> locate_session_files(Session &session, std::span<const LocatedFile> located);
// Throws Error with the problems in one line (the CLI's refusal).
void require_session_files(const Session &session, const std::string &session_path);

// Rules by name <-> the re-ranker's rules by index, against the dataset the session names.
// resolve throws Error naming the rule that names no item, brand or category of the dataset.
std::vector<MerchRule> resolve_rules(const std::vector<SessionRule> &rules, const Dataset &dataset);
std::vector<SessionRule> describe_rules(const std::vector<MerchRule> &rules, const Dataset &dataset);
// The session's re-ranking options with its rules resolved against `dataset`.
// Embedding similarity without embeddings becomes category similarity, as RecLens shows it.
RerankOptions session_rerank(const Session &session, const Dataset &dataset, bool have_embeddings);

} // namespace reclens
