// JSON/CSV/text output of evaluation and comparison results (DESIGN §4).
#include "core/analysis/report.h"
#include "core/common/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace reclens {

namespace {

using ojson = nlohmann::ordered_json;

ojson num(double v)
{
    return std::isfinite(v) ? ojson(v) : ojson(nullptr);
}

ojson rerank_json(const RerankOptions &o)
{
    ojson j;
    j["method"] = std::string(rerank_method_name(o.method));
    j["diversity"] = o.diversity;
    j["similarity"] = std::string(similarity_name(o.similarity));
    j["category_level"] = o.category_level;
    j["max_per_category"] = o.max_per_category;
    j["max_per_brand"] = o.max_per_brand;
    j["rules"] = static_cast<int>(o.rules.size());
    return j;
}

ojson metrics_json(const EvaluationResult &r)
{
    ojson j = ojson::object();
    for (const auto &m : metric_catalog()) {
        auto it = r.metrics.find(std::string(m.name));
        j[std::string(m.name)] = num(it == r.metrics.end() ? kNaN : it->second);
    }
    return j;
}

ojson group_json(const UserGroupStratum &g)
{
    ojson j;
    j["users"] = g.users;
    j["train_min"] = g.train_min;
    j["train_max"] = g.train_max;
    for (int i = 0; i < kAccuracyMetricCount; ++i)
        j[std::string(metric_name(static_cast<MetricId>(i)))] = num(g.metrics[static_cast<size_t>(i)]);
    return j;
}

ojson popularity_json(const PopularityStratum &p)
{
    ojson j;
    j["items"] = p.items;
    j["test_items"] = p.test_items;
    j["hits"] = p.hits;
    j["users"] = p.users;
    j["recall"] = num(p.recall);
    j["hit_rate"] = num(p.hit_rate);
    return j;
}

std::string fmt(double v)
{
    if (std::isnan(v))
        return "";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

} // namespace

std::string csv_field(const std::string &s)
{
    if (s.find_first_of(",\"\n\r") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

std::string evaluation_json(const EvaluationResult &r, const std::map<std::string, std::string> &extra)
{
    ojson j;
    for (const auto &[k, v] : extra)
        j[k] = v;
    j["k"] = r.k;
    j["pool"] = r.pool;
    j["device"] = r.device;
    j["users_evaluated"] = r.users.size();
    j["requests"] = r.requests;
    j["conventions"] = r.conventions;
    if (r.conventions == "trec_eval")
        j["relevance"] = {{"source", r.relevance_source},
                          {"threshold", r.relevance_threshold},
                          {"graded", true},
                          {"judged_requests_not_in_run", r.requests_left_out}};
    j["category_level"] = r.category_level;
    j["rerank"] = rerank_json(r.rerank);
    j["metrics"] = metrics_json(r);
    ojson st;
    st["item_popularity"]["head"] = popularity_json(r.strata.head);
    st["item_popularity"]["tail"] = popularity_json(r.strata.tail);
    st["user_activity"] = ojson::object();
    for (const auto &g : r.strata.activity)
        st["user_activity"][g.name] = group_json(g);
    st["segment"] = ojson::object();
    for (const auto &g : r.strata.segments)
        st["segment"][g.name] = group_json(g);
    j["strata"] = st;
    j["timing_ms"] = ojson::object();
    for (const auto &[k, v] : r.timing_ms)
        j["timing_ms"][k] = v;
    return j.dump(2) + "\n";
}

namespace {

ojson run_json(const EvaluationResult &r, const std::map<std::string, std::string> &label)
{
    ojson x;
    for (const auto &[k, v] : label)
        x[k] = v;
    x["rerank"] = rerank_json(r.rerank);
    x["users_evaluated"] = r.users.size();
    x["metrics"] = metrics_json(r);
    return x;
}

ojson tests_json(const ComparisonResult &c, bool holm)
{
    ojson m = ojson::object();
    for (const auto &mc : c.metrics) {
        ojson x;
        x["a"] = num(mc.value_a);
        x["b"] = num(mc.value_b);
        x["delta"] = num(mc.test.delta);
        x["p_paired_t"] = num(mc.test.p_paired_t);
        if (holm)
            x["p_paired_t_holm"] = num(mc.p_paired_t_holm);
        x["p_wilcoxon"] = num(mc.test.p_wilcoxon);
        if (holm)
            x["p_wilcoxon_holm"] = num(mc.p_wilcoxon_holm);
        x["ci95"] = ojson::array({num(mc.test.ci95_low), num(mc.test.ci95_high)});
        x["n"] = mc.test.n;
        m[mc.metric] = x;
    }
    return m;
}

// How the bootstrap CIs were drawn (compare.h).
ojson bootstrap_json()
{
    return {{"resamples", 1000}, {"seed", 42}, {"rng", "std::mt19937_64, index = draw % n"}};
}

} // namespace

std::string comparison_json(const ComparisonResult &c, const EvaluationResult &a, const EvaluationResult &b,
                            const std::map<std::string, std::string> &label_a,
                            const std::map<std::string, std::string> &label_b)
{
    ojson j;
    j["k"] = a.k;
    j["pool"] = a.pool;
    j["device"] = a.device;
    j["users_compared"] = c.users.size();
    if (c.shared_only) // each side's own set differs: the per-user means are over the shared ones
        j["shared_requests_only"] = {{"a", c.a_users}, {"b", c.b_users}, {"shared", c.users.size()}};
    j["requests"] = a.requests;
    j["conventions"] = a.conventions;
    j["a"] = run_json(a, label_a);
    j["b"] = run_json(b, label_b);
    j["metrics"] = tests_json(c, false);
    j["bootstrap"] = bootstrap_json();
    return j.dump(2) + "\n";
}

std::string comparisons_json(const EvaluationResult &a, const std::map<std::string, std::string> &label_a,
                             std::span<const ComparedRun> runs)
{
    ojson j;
    j["k"] = a.k;
    j["pool"] = a.pool;
    j["device"] = a.device;
    j["requests"] = a.requests;
    j["conventions"] = a.conventions;
    j["a"] = run_json(a, label_a);
    ojson list = ojson::array(), comparisons = ojson::array();
    for (size_t i = 0; i < runs.size(); ++i) {
        list.push_back(run_json(*runs[i].result, runs[i].label));
        const ComparisonResult &c = *runs[i].comparison;
        ojson x;
        x["b"] = i;
        x["users_compared"] = c.users.size();
        if (c.shared_only)
            x["shared_requests_only"] = {{"a", c.a_users}, {"b", c.b_users}, {"shared", c.users.size()}};
        x["metrics"] = tests_json(c, true);
        comparisons.push_back(x);
    }
    j["runs"] = list;
    j["comparisons"] = comparisons;
    j["holm"] = {{"family", "per metric and test: the comparisons of every run with a"},
                 {"size", runs.size()}};
    j["bootstrap"] = bootstrap_json();
    return j.dump(2) + "\n";
}

std::string lists_csv(const Dataset &ds, const EvaluationResult &r)
{
    return lists_csv(ds.user_external, ds.item_external, r);
}

std::string lists_csv(std::span<const std::string> user_ids, std::span<const std::string> item_ids,
                      const EvaluationResult &r)
{
    std::string out = "user_id,rank,item_id,score\n";
    for (size_t u = 0; u < r.users.size(); ++u) {
        const auto &uid = user_ids[static_cast<size_t>(r.users[u])];
        for (size_t i = 0; i < r.lists[u].size(); ++i) {
            out += csv_field(uid);
            out += ',';
            out += std::to_string(i + 1);
            out += ',';
            out += csv_field(item_ids[static_cast<size_t>(r.lists[u][i])]);
            out += ',';
            const float s = i < r.scores[u].size() ? r.scores[u][i] : std::numeric_limits<float>::quiet_NaN();
            char buf[32];
            if (std::isfinite(s))
                std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(s));
            else
                buf[0] = 0;
            out += buf;
            out += '\n';
        }
    }
    return out;
}

std::string lists_trec(std::span<const std::string> user_ids, std::span<const std::string> item_ids,
                       const EvaluationResult &r, const std::string &tag, size_t *rank_scores)
{
    auto checked = [](const std::string &id, const char *what) -> const std::string & {
        if (id.empty() || id.find_first_of(" \t\r\n") != std::string::npos)
            throw Error(std::string(what) + " id '" + id + "' is blank or has whitespace, which a TREC run cannot "
                        "hold: write the lists with --lists-format csv");
        return id;
    };
    std::string name = tag.empty() ? "reclens" : tag;
    for (char &c : name)
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            c = '_';
    std::string out;
    size_t by_rank = 0;
    char buf[64];
    for (size_t u = 0; u < r.users.size(); ++u) {
        const auto &uid = checked(user_ids[static_cast<size_t>(r.users[u])], "user");
        const auto &list = r.lists[u];
        const auto &sc = r.scores[u];
        bool falls = sc.size() >= list.size();
        for (size_t i = 0; falls && i < list.size(); ++i)
            falls = std::isfinite(sc[i]) && (i == 0 || sc[i] < sc[i - 1]); // ties: tools order them by id
        by_rank += !falls && !list.empty();
        for (size_t i = 0; i < list.size(); ++i) {
            out += uid;
            out += " Q0 ";
            out += checked(item_ids[static_cast<size_t>(list[i])], "item");
            if (falls)
                std::snprintf(buf, sizeof buf, " %zu %.9g ", i + 1, static_cast<double>(sc[i]));
            else
                std::snprintf(buf, sizeof buf, " %zu %zu ", i + 1, list.size() - i);
            out += buf;
            out += name;
            out += '\n';
        }
    }
    if (rank_scores)
        *rank_scores = by_rank;
    return out;
}

std::string per_user_csv(const Dataset &ds, const EvaluationResult &r)
{
    return per_user_csv(ds.user_external, r);
}

std::string per_user_csv(std::span<const std::string> user_ids, const EvaluationResult &r)
{
    std::string out = "user_id";
    for (int i = 0; i < kUserMetricCount; ++i) {
        // Appended piecewise: `"," + std::string` trips GCC 12's -Wrestrict false positive at -O3.
        out += ',';
        out += metric_name(static_cast<MetricId>(i));
    }
    out += '\n';
    for (size_t u = 0; u < r.users.size(); ++u) {
        out += csv_field(user_ids[static_cast<size_t>(r.users[u])]);
        for (double v : r.per_user[u].values) {
            out += ',';
            out += fmt(v);
        }
        out += '\n';
    }
    return out;
}

std::string evaluation_summary(const EvaluationResult &r)
{
    std::ostringstream s;
    char buf[256];
    std::snprintf(buf, sizeof buf, "%s evaluated %zu, K=%d, pool=%d, device %s, re-rank %s (diversity %.3g)\n",
                  r.requests.c_str(), r.users.size(), r.k, r.pool, r.device.c_str(), std::string(rerank_method_name(r.rerank.method)).c_str(),
                  r.rerank.diversity);
    s << buf;
    if (r.conventions == "trec_eval")
        s << "  relevance: " << r.relevance_source << ", grade >= " << r.relevance_threshold
          << " relevant; accuracy metrics follow trec_eval's conventions\n";
    for (const auto &m : metric_catalog()) {
        auto it = r.metrics.find(std::string(m.name));
        const double v = it == r.metrics.end() ? kNaN : it->second;
        std::snprintf(buf, sizeof buf, "  %-17s %10.4f   %s\n", std::string(m.name).c_str(), v,
                      metric_formula(m.name, r.conventions).c_str());
        s << buf;
    }
    std::snprintf(buf, sizeof buf, "  strata: head recall %.4f hit %.4f | tail recall %.4f hit %.4f\n",
                  r.strata.head.recall, r.strata.head.hit_rate, r.strata.tail.recall, r.strata.tail.hit_rate);
    s << buf;
    for (const auto &g : r.strata.activity) {
        if (r.requests == "queries")
            break; // queries have no history: their activity terciles say nothing
        std::snprintf(buf, sizeof buf, "  activity %-5s (%lld users, train %lld-%lld): ndcg %.4f recall %.4f hit %.4f\n",
                      g.name.c_str(), static_cast<long long>(g.users), static_cast<long long>(g.train_min),
                      static_cast<long long>(g.train_max), g.metrics[static_cast<size_t>(MetricId::ndcg)],
                      g.metrics[static_cast<size_t>(MetricId::recall)], g.metrics[static_cast<size_t>(MetricId::hit_rate)]);
        s << buf;
    }
    s << "  timing_ms:";
    for (const auto &[k, v] : r.timing_ms) {
        std::snprintf(buf, sizeof buf, " %s %.1f", k.c_str(), v);
        s << buf;
    }
    s << "\n";
    return s.str();
}

std::string comparison_table(const ComparisonResult &c)
{
    std::ostringstream s;
    char buf[256];
    std::snprintf(buf, sizeof buf, "%zu requests compared (b - a; bootstrap 95%% CI of the mean difference)\n",
                  c.users.size());
    s << buf;
    if (c.shared_only) {
        std::snprintf(buf, sizeof buf,
                      "a evaluated %zu requests, b %zu: per-request metrics are means over the %zu both have\n",
                      c.a_users, c.b_users, c.users.size());
        s << buf;
    }
    const bool holm = std::any_of(c.metrics.begin(), c.metrics.end(),
                                  [](const MetricComparison &m) { return !std::isnan(m.p_paired_t_holm); });
    if (holm) {
        std::snprintf(buf, sizeof buf, "%-17s %10s %10s %10s %11s %11s %11s %11s %23s\n", "metric", "a", "b", "delta",
                      "p(t) raw", "p(t) Holm", "p(W) raw", "p(W) Holm", "ci95");
        s << buf;
        for (const auto &m : c.metrics) {
            std::snprintf(buf, sizeof buf, "%-17s %10.4f %10.4f %+10.4f %11.3g %11.3g %11.3g %11.3g   [%+.4f, %+.4f]\n",
                          m.metric.c_str(), m.value_a, m.value_b, m.test.delta, m.test.p_paired_t, m.p_paired_t_holm,
                          m.test.p_wilcoxon, m.p_wilcoxon_holm, m.test.ci95_low, m.test.ci95_high);
            s << buf;
        }
        return s.str();
    }
    std::snprintf(buf, sizeof buf, "%-17s %10s %10s %10s %11s %11s %23s\n", "metric", "a", "b", "delta", "p(t-test)",
                  "p(wilcoxon)", "ci95");
    s << buf;
    for (const auto &m : c.metrics) {
        std::snprintf(buf, sizeof buf, "%-17s %10.4f %10.4f %+10.4f %11.3g %11.3g   [%+.4f, %+.4f]\n", m.metric.c_str(),
                      m.value_a, m.value_b, m.test.delta, m.test.p_paired_t, m.test.p_wilcoxon, m.test.ci95_low,
                      m.test.ci95_high);
        s << buf;
    }
    return s.str();
}

} // namespace reclens
