#include "core/analysis/session.h"

#include "core/common/error.h"
#include "core/common/files.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace reclens {

namespace {

using ojson = nlohmann::ordered_json;
namespace fs = std::filesystem;
using Kind = MerchRule::Kind;

enum class Target { item, category, brand };

Target target_of(Kind k)
{
    switch (k) {
    case Kind::exclude_item:
    case Kind::pin_item:
        return Target::item;
    case Kind::exclude_category:
    case Kind::boost_category:
    case Kind::bury_category:
        return Target::category;
    default:
        return Target::brand;
    }
}

// Paths as the file system resolves them (symbolic links followed), so that "link/.." means what
// the operating system makes of it.
fs::path real(const fs::path &p)
{
    std::error_code ec;
    const fs::path r = fs::weakly_canonical(fs::absolute(p), ec);
    return ec ? fs::absolute(p).lexically_normal() : r;
}

fs::path folder_of(const std::string &session_path)
{
    return real(fs::path(session_path)).parent_path();
}

// `path` relative to `folder` when it lies below it, else absolute.
std::string stored_path(const std::string &path, const fs::path &folder)
{
    const fs::path abs = real(fs::path(path));
    const fs::path rel = abs.lexically_relative(folder);
    if (!rel.empty() && *rel.begin() != "..")
        return rel.generic_string();
    return abs.string();
}

std::string resolved_path(const std::string &stored, const fs::path &folder)
{
    const fs::path p(stored);
    return (p.is_absolute() ? p : folder / p).lexically_normal().string();
}

// Reads fields with their JSON path in the message ("settings.diversity must be a number").
class Reader {
public:
    explicit Reader(std::string file) : m_file(std::move(file)) {}

    [[noreturn]] void fail(const std::string &what) const
    {
        throw Error(located(m_file, what + "; the session file is damaged: save the session again from RecLens"));
    }

    const ojson &member(const ojson &j, const std::string &where, const char *key) const
    {
        if (!j.is_object())
            fail("'" + where + "' is not an object");
        const auto it = j.find(key);
        if (it == j.end())
            fail("'" + (where.empty() ? std::string(key) : where + "." + key) + "' is missing");
        return *it;
    }
    std::string string(const ojson &j, const std::string &where, const char *key) const
    {
        const ojson &v = member(j, where, key);
        if (!v.is_string())
            fail(name(where, key) + " must be a string");
        return v.get<std::string>();
    }
    double number(const ojson &j, const std::string &where, const char *key) const
    {
        const ojson &v = member(j, where, key);
        if (!v.is_number())
            fail(name(where, key) + " must be a number");
        const double d = v.get<double>();
        if (!std::isfinite(d))
            fail(name(where, key) + " must be finite");
        return d;
    }
    int integer(const ojson &j, const std::string &where, const char *key) const
    {
        const ojson &v = member(j, where, key);
        if (!v.is_number_integer())
            fail(name(where, key) + " must be a whole number");
        return v.get<int>();
    }
    bool boolean(const ojson &j, const std::string &where, const char *key) const
    {
        const ojson &v = member(j, where, key);
        if (!v.is_boolean())
            fail(name(where, key) + " must be true or false");
        return v.get<bool>();
    }
    const ojson &array(const ojson &j, const std::string &where, const char *key) const
    {
        const ojson &v = member(j, where, key);
        if (!v.is_array())
            fail(name(where, key) + " must be a list");
        return v;
    }

    static std::string name(const std::string &where, const char *key)
    {
        return "'" + (where.empty() ? std::string(key) : where + "." + key) + "'";
    }

private:
    std::string m_file;
};

std::string category_path_text(const std::vector<std::string> &path)
{
    std::string out;
    for (const auto &p : path)
        out += (out.empty() ? "" : " > ") + p;
    return out;
}

} // namespace


std::string session_json(const Session &s, const std::string &session_path)
{
    const fs::path folder = folder_of(session_path);
    ojson j;
    j["format"] = "reclens-session";
    j["version"] = kSessionVersion;
    j["dataset"] = {{"path", stored_path(s.dataset, folder)}, {"sha256", s.dataset_sha256}, {"requests", s.requests}};
    ojson sources = ojson::array();
    for (const SessionSource &src : s.sources)
        sources.push_back({{"kind", src.kind == SessionSource::Kind::run ? "run" : "model"},
                           {"path", stored_path(src.path, folder)},
                           {"sha256", src.sha256},
                           {"name", src.name}});
    j["sources"] = std::move(sources);
    const RerankOptions &o = s.rerank;
    j["settings"] = {{"rerank", std::string(rerank_method_name(o.method))},
                     {"diversity", o.diversity},
                     {"similarity", std::string(similarity_name(o.similarity))},
                     {"category_level", o.category_level},
                     {"max_per_category", o.max_per_category},
                     {"max_per_brand", o.max_per_brand},
                     {"k", o.k},
                     {"pool", s.pool},
                     {"second_model", !s.compared.empty()},
                     {"compared", s.compared},
                     {"baseline_column", s.baseline_column},
                     {"compared_reranked", s.compared_reranked}};
    ojson rules = ojson::array();
    for (const SessionRule &r : s.rules) {
        ojson x;
        x["kind"] = std::string(rule_kind_name(r.kind));
        if (target_of(r.kind) == Target::category)
            x["target"] = r.target;
        else
            x["target"] = r.target.empty() ? std::string() : r.target.front();
        x["factor"] = r.factor;
        x["amount"] = r.amount;
        x["rank"] = r.rank;
        rules.push_back(std::move(x));
    }
    j["rules"] = std::move(rules);
    j["user"] = s.user;
    ojson story = ojson::array();
    for (const StoryUser &u : s.story)
        story.push_back({{"user", u.id}, {"note", u.note}});
    j["story"] = std::move(story);
    j["plots"] = {{"category_level", s.bars_level}, {"roc", s.roc}, {"page", s.page}};
    return j.dump(2) + "\n";
}

Session parse_session(const std::string &text, const std::string &session_path)
{
    const Reader in(session_path);
    ojson j;
    try {
        j = ojson::parse(text);
    } catch (const ojson::parse_error &e) {
        const bool truncated = e.byte >= text.size();
        throw Error(located(session_path,
            truncated ? "the session file ends early (truncated at byte " + std::to_string(text.size())
                            + "); save the session again from RecLens"
                      : "not a RecLens session: not JSON at byte " + std::to_string(e.byte)
                            + "; open a .reclens file saved by RecLens"));
    } catch (const ojson::exception &e) {
        // A number beyond a double's range ("1e999") is valid JSON that nlohmann cannot hold.
        const std::string what = e.what();
        const auto at = what.find("] ");
        throw Error(located(session_path, "not a RecLens session: "
                + (at == std::string::npos ? what : what.substr(at + 2)) + "; open a .reclens file saved by RecLens"));
    }
    if (!j.is_object() || !j.contains("format") || j["format"] != "reclens-session")
        throw Error(located(session_path,
            "not a RecLens session (no \"format\": \"reclens-session\"); open a .reclens file saved by RecLens"));
    const int version = in.integer(j, "", "version");
    if (version > kSessionVersion)
        throw Error(located(session_path, "saved by a newer RecLens (session version " + std::to_string(version)
                                              + "; this one reads up to version " + std::to_string(kSessionVersion)
                                              + "): update RecLens to open it"));
    if (version < 1)
        in.fail("'version' " + std::to_string(version) + " is not a session version");
    const fs::path folder = folder_of(session_path);

    Session s;
    const ojson &ds = in.member(j, "", "dataset");
    s.dataset = resolved_path(in.string(ds, "dataset", "path"), folder);
    s.dataset_sha256 = in.string(ds, "dataset", "sha256");
    s.requests = in.string(ds, "dataset", "requests");
    if (s.requests != "users" && s.requests != "queries")
        in.fail("'dataset.requests' is '" + s.requests + "', not users or queries");
    const ojson &sources = in.array(j, "", "sources");
    for (size_t i = 0; i < sources.size(); ++i) {
        const std::string where = "sources[" + std::to_string(i) + "]";
        SessionSource src;
        const std::string kind = in.string(sources[i], where, "kind");
        if (kind != "model" && kind != "run")
            in.fail("'" + where + ".kind' is '" + kind + "', not model or run");
        src.kind = kind == "run" ? SessionSource::Kind::run : SessionSource::Kind::model;
        src.path = resolved_path(in.string(sources[i], where, "path"), folder);
        src.sha256 = in.string(sources[i], where, "sha256");
        src.name = in.string(sources[i], where, "name");
        s.sources.push_back(std::move(src));
    }

    const ojson &st = in.member(j, "", "settings");
    try {
        s.rerank.method = parse_rerank_method(in.string(st, "settings", "rerank"));
        s.rerank.similarity = parse_similarity(in.string(st, "settings", "similarity"));
    } catch (const Error &e) {
        throw Error(located(session_path, std::string("settings: ") + e.what()));
    }
    s.rerank.diversity = in.number(st, "settings", "diversity");
    if (s.rerank.diversity < 0 || s.rerank.diversity > 1)
        in.fail("'settings.diversity' " + std::to_string(s.rerank.diversity) + " is outside [0,1]");
    s.rerank.category_level = in.integer(st, "settings", "category_level");
    s.rerank.max_per_category = in.integer(st, "settings", "max_per_category");
    s.rerank.max_per_brand = in.integer(st, "settings", "max_per_brand");
    s.rerank.k = in.integer(st, "settings", "k");
    s.pool = in.integer(st, "settings", "pool");
    // "compared" and "baseline_column" were added within version 1: before them a session showed at
    // most the second source, when "second_model" was true.
    if (st.contains("compared")) {
        const ojson &compared = in.array(st, "settings", "compared");
        for (const auto &c : compared) {
            if (!c.is_number_integer())
                in.fail("'settings.compared' must be a list of source numbers");
            const int index = c.get<int>();
            if (index < 1 || static_cast<size_t>(index) >= s.sources.size()
                || std::find(s.compared.begin(), s.compared.end(), index) != s.compared.end())
                in.fail("'settings.compared' names source " + std::to_string(index) + " twice or beyond the "
                    + std::to_string(s.sources.size()) + " sources (0 is the primary)");
            s.compared.push_back(index);
        }
    } else if (in.boolean(st, "settings", "second_model") && s.sources.size() > 1) {
        s.compared = {1};
    }
    s.baseline_column = st.contains("baseline_column") ? in.integer(st, "settings", "baseline_column") : 0;
    s.compared_reranked = st.contains("compared_reranked") && in.boolean(st, "settings", "compared_reranked");
    if (s.baseline_column < 0 || static_cast<size_t>(s.baseline_column) >= 2 + s.compared.size())
        in.fail("'settings.baseline_column' " + std::to_string(s.baseline_column) + " is not one of the "
            + std::to_string(2 + s.compared.size()) + " list columns");
    if (s.rerank.k < 1 || s.pool < 1 || s.rerank.category_level < 0 || s.rerank.max_per_category < 0
        || s.rerank.max_per_brand < 0)
        in.fail("'settings' has k or pool below 1, or a negative level or cap");

    const ojson &rules = in.array(j, "", "rules");
    for (size_t i = 0; i < rules.size(); ++i) {
        const std::string where = "rules[" + std::to_string(i) + "]";
        SessionRule r;
        try {
            r.kind = parse_rule_kind(in.string(rules[i], where, "kind"));
        } catch (const Error &e) {
            throw Error(located(session_path, where + ": " + e.what()));
        }
        const ojson &t = in.member(rules[i], where, "target");
        if (target_of(r.kind) == Target::category) {
            if (!t.is_array() || t.empty())
                in.fail("'" + where + ".target' must be the category's path of names, top level first");
            for (const auto &p : t) {
                if (!p.is_string())
                    in.fail("'" + where + ".target' must be a list of names");
                r.target.push_back(p.get<std::string>());
            }
        } else {
            if (!t.is_string())
                in.fail("'" + where + ".target' must be a string");
            r.target.push_back(t.get<std::string>());
        }
        r.factor = in.number(rules[i], where, "factor");
        r.amount = in.number(rules[i], where, "amount");
        r.rank = in.integer(rules[i], where, "rank");
        s.rules.push_back(std::move(r));
    }
    s.user = in.string(j, "", "user");
    const ojson &story = in.array(j, "", "story");
    for (size_t i = 0; i < story.size(); ++i) {
        const std::string where = "story[" + std::to_string(i) + "]";
        StoryUser u{in.string(story[i], where, "user"), in.string(story[i], where, "note")};
        if (u.id.empty())
            in.fail("'" + where + ".user' is empty");
        s.story.push_back(std::move(u));
    }
    const ojson &plots = in.member(j, "", "plots");
    s.bars_level = in.integer(plots, "plots", "category_level");
    if (s.bars_level < 1)
        in.fail("'plots.category_level' " + std::to_string(s.bars_level) + " is below 1 (the top level)");
    // Added within version 1: a session without it shows the ROC over all items.
    s.roc = plots.contains("roc") ? in.string(plots, "plots", "roc") : std::string("items");
    if (s.roc != "items" && s.roc != "pool")
        in.fail("'plots.roc' is '" + s.roc + "', not items or pool");
    s.page = in.string(plots, "plots", "page");
    if (s.page != "inspect" && s.page != "summary")
        in.fail("'plots.page' is '" + s.page + "', not inspect or summary");
    return s;
}

Session read_session(const std::string &session_path)
{
    std::error_code ec;
    if (!fs::exists(session_path, ec))
        throw Error(located(session_path, "no such session file; check the path"));
    if (fs::is_directory(session_path, ec))
        throw Error(located(session_path, "is a folder, not a session file; give the .reclens file"));
    std::ifstream f(session_path, std::ios::binary);
    if (!f)
        throw Error(located(session_path, "cannot read the session file; check its permissions"));
    std::ostringstream text;
    text << f.rdbuf();
    if (text.str().empty())
        throw Error(located(session_path, "the session file is empty; save the session again from RecLens"));
    return parse_session(text.str(), session_path);
}

void write_session(const Session &s, const std::string &session_path)
{
    std::vector<NamedPath> inputs{{s.dataset, "the session's dataset"}};
    for (const SessionSource &src : s.sources)
        inputs.push_back({src.path, src.kind == SessionSource::Kind::run ? "a run of the session" : "a model of the session"});
    check_outputs(inputs, {{session_path, "the session file"}});
    write_file_atomic(session_path, session_json(s, session_path), "session file");
}

std::string SessionFileProblem::message() const
{
    if (kind == Kind::missing)
        return "the " + role + " " + path + " is missing; locate it (it had SHA-256 " + expected_sha256.substr(0, 12)
            + "…) or open the session where its files are";
    return "the " + role + " " + path + " changed since the session was saved (SHA-256 " + expected_sha256.substr(0, 12)
        + "… then, " + actual_sha256.substr(0, 12) + "… now); locate the file the session was saved with";
}

std::vector<SessionFileProblem> check_session_files(const Session &s)
{
    std::vector<SessionFileProblem> out;
    auto check = [&out](const std::string &role, const std::string &path, const std::string &expected, int source) {
        SessionFileProblem p;
        p.role = role;
        p.path = path;
        p.expected_sha256 = expected;
        p.source = source;
        std::error_code ec;
        if (!fs::is_regular_file(path, ec)) {
            p.kind = SessionFileProblem::Kind::missing;
            out.push_back(std::move(p));
            return;
        }
        p.actual_sha256 = sha256_file(path, role);
        if (p.actual_sha256 != expected) {
            p.kind = SessionFileProblem::Kind::changed;
            out.push_back(std::move(p));
        }
    };
    check("dataset", s.dataset, s.dataset_sha256, -1);
    for (size_t i = 0; i < s.sources.size(); ++i) {
        const SessionSource &src = s.sources[i];
        check((src.kind == SessionSource::Kind::run ? "run " : "model ") + std::to_string(i + 1) + " (" + src.name + ")",
              src.path, src.sha256, static_cast<int>(i));
    }
    return out;
}

void require_session_files(const Session &s, const std::string &session_path)
{
    const auto problems = check_session_files(s);
    if (problems.empty())
        return;
    std::string line;
    for (const auto &p : problems)
        line += (line.empty() ? "" : "; ") + p.message();
    throw Error(located(session_path, line + " (RecLens never uses another file in its place)"));
}

std::vector<MerchRule> resolve_rules(const std::vector<SessionRule> &rules, const Dataset &ds)
{
    std::vector<MerchRule> out;
    for (size_t i = 0; i < rules.size(); ++i) {
        const SessionRule &r = rules[i];
        MerchRule m;
        m.kind = r.kind;
        m.factor = r.factor;
        m.amount = r.amount;
        m.rank = r.rank;
        const std::string name = r.target.empty() ? std::string() : r.target.front();
        std::string what;
        switch (target_of(r.kind)) {
        case Target::item:
            m.target = ds.find_item(name);
            what = "item '" + name + "'";
            break;
        case Target::brand:
            for (size_t b = 0; b < ds.brands.size() && m.target < 0; ++b)
                if (ds.brands[b] == name)
                    m.target = static_cast<int32_t>(b);
            what = "brand '" + name + "'";
            break;
        case Target::category:
            for (size_t c = 0; c < ds.categories.size() && m.target < 0; ++c) {
                // Walk up from c and compare with the path from the bottom.
                int32_t at = static_cast<int32_t>(c);
                size_t depth = r.target.size();
                while (at >= 0 && depth > 0 && ds.categories[static_cast<size_t>(at)].name == r.target[depth - 1]) {
                    at = ds.categories[static_cast<size_t>(at)].parent;
                    --depth;
                }
                if (at < 0 && depth == 0)
                    m.target = static_cast<int32_t>(c);
            }
            what = "category '" + category_path_text(r.target) + "'";
            break;
        }
        if (m.target < 0)
            throw Error("rule " + std::to_string(i + 1) + " (" + std::string(rule_kind_name(r.kind)) + ") names "
                        + what + ", which is not in the dataset " + ds.path);
        out.push_back(m);
    }
    return out;
}

std::vector<SessionRule> describe_rules(const std::vector<MerchRule> &rules, const Dataset &ds)
{
    std::vector<SessionRule> out;
    for (const MerchRule &m : rules) {
        SessionRule r;
        r.kind = m.kind;
        r.factor = m.factor;
        r.amount = m.amount;
        r.rank = m.rank;
        const auto t = static_cast<size_t>(m.target);
        switch (target_of(m.kind)) {
        case Target::item:
            r.target = {ds.item_external.at(t)};
            break;
        case Target::brand:
            r.target = {ds.brands.at(t)};
            break;
        case Target::category:
            for (int32_t at = m.target; at >= 0; at = ds.categories.at(static_cast<size_t>(at)).parent)
                r.target.insert(r.target.begin(), ds.categories[static_cast<size_t>(at)].name);
            break;
        }
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<SessionFileProblem> locate_session_files(Session &s, std::span<const LocatedFile> located)
{
    std::vector<int> accepted;
    for (const LocatedFile &f : located) {
        if (f.source < -1 || f.source >= static_cast<int>(s.sources.size()))
            continue;
        (f.source < 0 ? s.dataset : s.sources[static_cast<size_t>(f.source)].path) = f.path;
        if (f.accept_changed)
            accepted.push_back(f.source);
    }
    std::vector<SessionFileProblem> problems;
    for (SessionFileProblem &p : check_session_files(s)) {
        const bool ok = p.kind == SessionFileProblem::Kind::changed
            && std::find(accepted.begin(), accepted.end(), p.source) != accepted.end();
        if (!ok) {
            problems.push_back(std::move(p));
            continue;
        }
        (p.source < 0 ? s.dataset_sha256 : s.sources[static_cast<size_t>(p.source)].sha256) = p.actual_sha256;
    }
    return problems;
}

RerankOptions session_rerank(const Session &s, const Dataset &ds, bool have_embeddings)
{
    RerankOptions o = s.rerank;
    if (!have_embeddings && o.similarity == SimilarityKind::embedding)
        o.similarity = SimilarityKind::category;
    o.rules = resolve_rules(s.rules, ds);
    return o;
}

} // namespace reclens
