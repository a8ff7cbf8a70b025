// Shard partials and their exact merge (DESIGN §12; docs/scale-out.md).
#include "core/analysis/shard.h"

#include "core/common/error.h"
#include "core/common/files.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace reclens
{

namespace
{

using ojson = nlohmann::ordered_json;

std::vector<std::string> metric_names()
{
    std::vector<std::string> out;
    for (int i = 0; i < kUserMetricCount; ++i)
        out.emplace_back(metric_name(static_cast<MetricId>(i)));
    return out;
}

std::string device_type(const std::string &device)
{
    return device.substr(0, device.find(':'));
}

RerankOptions rerank_from(const ojson &j)
{
    RerankOptions o;
    o.method = parse_rerank_method(j.at("method").get<std::string>());
    o.diversity = j.at("diversity").get<double>();
    o.similarity = parse_similarity(j.at("similarity").get<std::string>());
    o.category_level = j.at("category_level").get<int>();
    o.max_per_category = j.at("max_per_category").get<int>();
    o.max_per_brand = j.at("max_per_brand").get<int>();
    o.k = j.at("k").get<int>();
    for (const auto &r : j.at("rules")) {
        MerchRule m;
        m.kind = static_cast<MerchRule::Kind>(r.at(0).get<int>());
        m.target = r.at(1).get<int32_t>();
        m.factor = r.at(2).get<double>();
        m.amount = r.at(3).get<double>();
        m.rank = r.at(4).get<int>();
        o.rules.push_back(m);
    }
    return o;
}

// "k 5 vs 10, rerank.k 5 vs 10": the options in which two settings JSON texts differ.
std::string settings_difference(const std::string &a, const std::string &b)
{
    const ojson ja = ojson::parse(a, nullptr, false), jb = ojson::parse(b, nullptr, false);
    if (ja.is_discarded() || jb.is_discarded() || !ja.is_object() || !jb.is_object())
        return a + " vs " + b;
    std::string out;
    const ojson patch = ojson::diff(jb, ja);
    for (const auto &op : patch) {
        std::string path = op.value("path", std::string());
        std::replace(path.begin(), path.end(), '/', '.');
        if (!path.empty() && path.front() == '.')
            path.erase(0, 1);
        const ojson::json_pointer ptr(op.value("path", std::string()));
        const std::string va = ja.contains(ptr) ? ja.at(ptr).dump() : "-";
        const std::string vb = jb.contains(ptr) ? jb.at(ptr).dump() : "-";
        out += (out.empty() ? "" : ", ") + path + " " + va + " vs " + vb;
    }
    return out.empty() ? a + " vs " + b : out;
}

std::string short_hash(const std::string &h)
{
    return h.substr(0, 12);
}

} // namespace

std::string shard_settings(const EvaluationResult &r)
{
    ojson j;
    j["k"] = r.k;
    j["pool"] = r.pool;
    j["category_level"] = r.category_level;
    j["auc"] = r.counted_auc;
    j["name"] = r.source_name;
    if (r.from_run) { // the "model" of the partial is a run file
        j["source"] = "run";
        j["run_format"] = r.run_format;
    }
    j["requests"] = r.requests;
    j["conventions"] = r.conventions;
    if (r.conventions == "trec_eval") {
        j["relevance_source"] = r.relevance_source;
        j["relevance_threshold"] = r.relevance_threshold;
    }
    ojson rr;
    rr["method"] = std::string(rerank_method_name(r.rerank.method));
    rr["diversity"] = r.rerank.diversity;
    rr["similarity"] = std::string(similarity_name(r.rerank.similarity));
    rr["category_level"] = r.rerank.category_level;
    rr["max_per_category"] = r.rerank.max_per_category;
    rr["max_per_brand"] = r.rerank.max_per_brand;
    rr["k"] = r.rerank.k;
    rr["rules"] = ojson::array();
    for (const MerchRule &m : r.rerank.rules)
        rr["rules"].push_back(ojson::array({ static_cast<int>(m.kind), m.target, m.factor, m.amount, m.rank }));
    j["rerank"] = rr;
    return j.dump();
}

Partial make_partial(const Dataset &dataset, const std::string &dataset_path, const std::string &dataset_sha256,
    const std::string &kind, std::span<const ShardRun> runs)
{
    if (runs.empty())
        throw Error("make_partial: no run");
    const EvaluationResult &first = *runs.front().result;
    Partial p;
    p.kind = kind;
    p.shard = first.shard;
    p.shards = first.shards;
    p.dataset = dataset_path;
    p.dataset_sha256 = dataset_sha256;
    p.n_items = dataset.n_items();
    p.head_items = first.strata.head.items;
    p.tail_items = first.strata.tail.items;
    p.run_users = static_cast<int64_t>(first.run_users);
    p.metric_names = metric_names();
    std::set<int32_t> listed;
    for (const ShardRun &sr : runs) {
        const EvaluationResult &r = *sr.result;
        PartialRun x;
        x.label = sr.label;
        x.model = sr.model;
        x.model_sha256 = sr.model_sha256;
        x.device = r.device;
        x.settings = shard_settings(r);
        ojson t = ojson::object();
        for (const auto &[k, v] : r.timing_ms)
            t[k] = v;
        x.timing = t.dump();
        x.twice_rank_hi = static_cast<uint64_t>(r.auc_parts.twice_rank >> 64);
        x.twice_rank_lo = static_cast<uint64_t>(r.auc_parts.twice_rank);
        x.positives = r.auc_parts.positives;
        x.negatives = r.auc_parts.negatives;
        x.users.resize(r.users.size());
        for (size_t i = 0; i < r.users.size(); ++i) {
            PartialUser &u = x.users[i];
            const UserStratumFacts &f = r.stratum_facts[i];
            const UserMetrics &m = r.per_user[i];
            u.user = r.users[i];
            u.external_id = dataset.user_external[static_cast<size_t>(u.user)];
            u.train = f.train;
            u.segment = f.segment;
            u.head_test = f.head_test;
            u.head_hits = f.head_hits;
            u.tail_test = f.tail_test;
            u.tail_hits = f.tail_hits;
            u.hits = m.hits;
            u.test_size = m.test_size;
            u.list_size = m.list_size;
            u.metrics.assign(m.values.begin(), m.values.end());
            u.list = r.lists[i];
            u.scores = r.scores[i];
            listed.insert(u.list.begin(), u.list.end());
        }
        p.runs.push_back(std::move(x));
    }
    for (int32_t it : listed)
        p.items.emplace_back(it, dataset.item_external[static_cast<size_t>(it)]);
    return p;
}

MergedPartials merge_partials(std::span<const std::string> paths)
{
    if (paths.empty())
        throw Error("merge: no partial given; pass the files the shards wrote with --partial");
    std::vector<Partial> parts;
    parts.reserve(paths.size());
    for (const auto &path : paths)
        parts.push_back(read_partial(path));

    // Do they belong together? Everything is compared with the first file.
    const Partial &p0 = parts.front();
    const std::string &f0 = paths.front();
    const auto names = metric_names();
    if (p0.metric_names != names)
        throw Error(located(f0,
            "the partial was written with another set of metrics (" + std::to_string(p0.metric_names.size())
                + " per user, this RecLens has " + std::to_string(names.size())
                + "); merge with the RecLens that wrote it"));
    auto differ = [&](size_t i, const std::string &what) {
        throw Error(located(paths[i], what + " " + f0 + ": merge the partials of one run only"));
    };
    for (size_t i = 1; i < parts.size(); ++i)
        for (size_t j = 0; j < i; ++j)
            if (same_file(paths[i], paths[j]))
                throw Error(located(paths[i], "is given twice: give each shard's partial once"));
    for (size_t i = 1; i < parts.size(); ++i) {
        const Partial &p = parts[i];
        if (p.kind != p0.kind)
            differ(i, "is a partial of '" + p.kind + "', not of '" + p0.kind + "' as is");
        if (p.version != p0.version)
            differ(i,
                "has partial format version " + std::to_string(p.version) + ", not " + std::to_string(p0.version)
                    + " as has");
        if (p.dataset_sha256 != p0.dataset_sha256)
            differ(i,
                "comes from another dataset (" + p.dataset + ", sha256 " + short_hash(p.dataset_sha256) + "…) than "
                    + p0.dataset + " (sha256 " + short_hash(p0.dataset_sha256) + "…) in");
        if (p.shards != p0.shards)
            differ(i,
                "is shard " + std::to_string(p.shard) + "/" + std::to_string(p.shards) + ", split into "
                    + std::to_string(p.shards) + " shards, not " + std::to_string(p0.shards) + " as is");
        if (p.metric_names != p0.metric_names || p.n_items != p0.n_items || p.head_items != p0.head_items
            || p.tail_items != p0.tail_items || p.run_users != p0.run_users)
            differ(i, "describes another catalogue or set of users than");
        if (p.runs.size() != p0.runs.size())
            differ(i,
                "holds " + std::to_string(p.runs.size()) + " runs, not " + std::to_string(p0.runs.size()) + " as does");
        for (size_t r = 0; r < p.runs.size(); ++r) {
            const PartialRun &a = p0.runs[r], &b = p.runs[r];
            const std::string which = p.runs.size() > 1 ? "run '" + b.label + "' " : std::string();
            if (b.model_sha256 != a.model_sha256 || b.label != a.label)
                differ(i,
                    which + "comes from another model (" + b.model + ", sha256 " + short_hash(b.model_sha256)
                        + "…) than " + a.model + " (sha256 " + short_hash(a.model_sha256) + "…) in");
            if (b.settings != a.settings)
                differ(i, which + "ran with other options (" + settings_difference(b.settings, a.settings) + ") than");
            if (device_type(b.device) != device_type(a.device))
                differ(i, which + "ran on " + b.device + ", not on " + a.device + " as did");
            if (b.positives != a.positives)
                differ(i, which + "counted another set of positives than");
        }
    }
    // Each shard exactly once.
    std::map<int, size_t> by_shard;
    for (size_t i = 0; i < parts.size(); ++i) {
        const auto [at, fresh] = by_shard.emplace(parts[i].shard, i);
        if (!fresh)
            throw Error(located(paths[i],
                "is shard " + std::to_string(parts[i].shard) + "/" + std::to_string(p0.shards) + ", as "
                    + paths[at->second] + " is: give each shard's partial once"));
        if (parts[i].shard < 0 || parts[i].shard >= p0.shards)
            throw Error(located(paths[i],
                "the partial is damaged (shard " + std::to_string(parts[i].shard) + "/" + std::to_string(p0.shards)
                    + "); re-run the shard"));
    }
    if (static_cast<int>(by_shard.size()) != p0.shards) {
        // Runs of missing shards as ranges ("0, 2-399"): one short line however many are missing.
        std::string missing;
        for (int s = 0; s < p0.shards; ++s) {
            if (by_shard.count(s))
                continue;
            int last = s;
            while (last + 1 < p0.shards && !by_shard.count(last + 1))
                ++last;
            missing += (missing.empty() ? "" : ", ") + std::to_string(s)
                + (last > s ? (last == s + 1 ? ", " : "-") + std::to_string(last) : "");
            s = last;
        }
        throw Error("merge: shard" + std::string(p0.shards - static_cast<int>(by_shard.size()) > 1 ? "s " : " ")
            + missing + " of " + std::to_string(p0.shards) + " missing (" + std::to_string(parts.size())
            + " partials given): the merged run would leave their users out; pass every shard's partial");
    }

    MergedPartials out;
    out.kind = p0.kind;
    out.dataset = p0.dataset;
    out.dataset_sha256 = p0.dataset_sha256;
    out.shards = p0.shards;
    out.item_ids.assign(static_cast<size_t>(std::max<int64_t>(p0.n_items, 0)), std::string());
    for (size_t i = 0; i < parts.size(); ++i)
        for (const auto &[item, id] : parts[i].items) {
            if (item < 0 || item >= p0.n_items)
                throw Error(located(paths[i],
                    "the partial is damaged (item index " + std::to_string(item)
                        + " outside the catalogue); re-run the shard"));
            auto &slot = out.item_ids[static_cast<size_t>(item)];
            if (!slot.empty() && slot != id)
                differ(i, "names item " + std::to_string(item) + " '" + id + "', not '" + slot + "' as does");
            slot = id;
        }

    for (size_t r = 0; r < p0.runs.size(); ++r) {
        const PartialRun &a = p0.runs[r];
        MergedRun m;
        m.label = a.label;
        m.model = a.model;
        m.model_sha256 = a.model_sha256;
        EvaluationResult &res = m.result;
        const ojson settings = ojson::parse(a.settings, nullptr, false);
        if (settings.is_discarded())
            throw Error(located(f0, "the partial is damaged (its settings are not JSON); re-run the shard"));
        try {
            res.k = settings.at("k").get<int>();
            res.pool = settings.at("pool").get<int>();
            res.category_level = settings.at("category_level").get<int>();
            res.counted_auc = settings.at("auc").get<bool>();
            res.from_run = settings.value("source", "model") == "run";
            res.run_format = settings.value("run_format", "");
            res.source_name = settings.value("name", "");
            res.requests = settings.value("requests", "users");
            res.conventions = settings.value("conventions", "reclens");
            res.relevance_source = settings.value("relevance_source", "");
            res.relevance_threshold = settings.value("relevance_threshold", 1.0);
            res.rerank = rerank_from(settings.at("rerank"));
        } catch (const nlohmann::json::exception &e) {
            throw Error(
                located(f0, std::string("the partial is damaged (settings: ") + e.what() + "); re-run the shard"));
        }
        res.device = a.device;
        res.shards = 1;
        res.run_users = static_cast<size_t>(p0.run_users);
        res.auc_parts.positives = a.positives;
        // Rows of every shard, then dataset order: the order one unsharded run has.
        std::vector<std::pair<const PartialUser *, size_t>> rows;
        for (size_t i = 0; i < parts.size(); ++i) {
            const PartialRun &x = parts[i].runs[r];
            for (const PartialUser &u : x.users)
                rows.emplace_back(&u, i);
            res.auc_parts.twice_rank += (static_cast<PairCount>(x.twice_rank_hi) << 64) | x.twice_rank_lo;
            res.auc_parts.negatives += x.negatives;
            const ojson t = ojson::parse(x.timing, nullptr, false);
            if (t.is_object())
                for (const auto &[k, v] : t.items())
                    if (v.is_number())
                        res.timing_ms[k] += v.get<double>();
        }
        std::sort(rows.begin(), rows.end(), [](const auto &x, const auto &y) { return x.first->user < y.first->user; });
        for (size_t j = 1; j < rows.size(); ++j)
            if (rows[j].first->user == rows[j - 1].first->user)
                throw Error(located(paths[rows[j].second],
                    "user '" + rows[j].first->external_id + "' is also in " + paths[rows[j - 1].second]
                        + ": the partials overlap; merge the partials of one run only"));
        if (static_cast<int64_t>(rows.size()) != p0.run_users)
            throw Error("merge: the partials hold " + std::to_string(rows.size()) + " users but the run has "
                + std::to_string(p0.run_users) + ": a partial is incomplete; re-run its shard");
        const size_t n = rows.size();
        res.users.resize(n);
        res.lists.resize(n);
        res.scores.resize(n);
        res.per_user.resize(n);
        res.stratum_facts.resize(n);
        for (size_t j = 0; j < n; ++j) {
            const PartialUser &u = *rows[j].first;
            res.users[j] = u.user;
            res.lists[j] = u.list;
            res.scores[j] = u.scores;
            UserMetrics &um = res.per_user[j];
            std::copy(u.metrics.begin(), u.metrics.end(), um.values.begin());
            um.hits = u.hits;
            um.test_size = u.test_size;
            um.list_size = u.list_size;
            res.stratum_facts[j] = { u.train, u.segment, u.head_test, u.head_hits, u.tail_test, u.tail_hits };
            for (int32_t it : u.list)
                if (it < 0 || it >= p0.n_items || out.item_ids[static_cast<size_t>(it)].empty())
                    throw Error(located(paths[rows[j].second],
                        "the partial is damaged (user '" + u.external_id
                            + "' lists an item it does not name); re-run the shard"));
            if (u.user < 0)
                throw Error(
                    located(paths[rows[j].second], "the partial is damaged (a negative user index); re-run the shard"));
            if (out.user_ids.size() <= static_cast<size_t>(u.user))
                out.user_ids.resize(static_cast<size_t>(u.user) + 1);
            out.user_ids[static_cast<size_t>(u.user)] = u.external_id;
        }
        summarise(res, static_cast<int32_t>(p0.n_items), p0.head_items, p0.tail_items);
        out.runs.push_back(std::move(m));
    }
    return out;
}

} // namespace reclens
