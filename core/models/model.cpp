// Loading and validating TorchScript models (DESIGN §3). All torch use of core/models' loading is
// here; c10::Error never leaves this file without becoming a reclens::Error naming the file.
#include "core/common/error.h"
#include "core/models/model_impl.h"

#include <torch/csrc/jit/runtime/graph_executor.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <unordered_set>

namespace reclens {

namespace {

constexpr size_t kExamples = 5;
constexpr float kNegInf = -std::numeric_limits<float>::infinity();

// Torch messages span several lines (source excerpts, backtraces); ours are one line.
std::string one_line(const char *text, size_t limit = 200)
{
    std::string out;
    bool space = false;
    for (const char *c = text; *c && out.size() < limit; ++c) {
        if (*c == '\n' || *c == '\r' || *c == '\t' || *c == ' ') {
            space = !out.empty();
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        out += *c;
    }
    return out;
}

std::string join_examples(const std::vector<std::string> &ids)
{
    std::string out;
    for (const auto &id : ids) {
        if (!out.empty())
            out += ", ";
        out += "'" + id + "'";
    }
    return out;
}

// Reads a `List[str]` method's result; throws naming the method otherwise.
std::vector<std::string> read_ids(torch::jit::Module &module, const char *method, const std::string &path)
{
    const auto value = module.get_method(method)({});
    if (!value.isList())
        throw Error(located(path, std::string(method) + "() must return List[str], got " + value.tagKind()
                                      + "; fix the model's " + method + "() and export it again"));
    std::vector<std::string> ids;
    for (const auto &element : value.toListRef()) {
        if (!element.isString())
            throw Error(located(path, std::string(method) + "() must return List[str], found an element of type "
                                          + element.tagKind() + "; return the external ids as strings"));
        ids.push_back(element.toStringRef());
    }
    return ids;
}

// Float tensor of the expected rank from a method; integers and other kinds are refused.
torch::Tensor read_tensor(torch::jit::Module &module, const char *method, int64_t dims, const std::string &path)
{
    const auto value = module.get_method(method)({});
    if (!value.isTensor())
        throw Error(located(path, std::string(method) + "() must return a Tensor, got " + value.tagKind()));
    auto t = value.toTensor();
    if (!t.is_floating_point())
        throw Error(located(path, std::string(method) + "() returned dtype " + std::string(c10::toString(t.scalar_type()))
                                      + ", expected a floating-point tensor (float32)"));
    if (t.dim() != dims)
        throw Error(located(path, std::string(method) + "() returned a " + std::to_string(t.dim())
                                      + "-D tensor, expected " + std::to_string(dims) + "-D"));
    t = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    if (!torch::isfinite(t).all().item<bool>())
        throw Error(located(path, std::string(method) + "() contains NaN or Inf values; fix the model's weights"));
    return t;
}

struct IdMapping {
    std::vector<int64_t> to_model; // dataset index -> model row or -1
    int64_t matched = 0;
    std::vector<std::string> unmatched_examples;
};

template<typename Find>
IdMapping map_ids(const std::vector<std::string> &model_ids, const std::vector<std::string> &dataset_ids, Find find,
                  const char *method, const std::string &path)
{
    IdMapping mapping;
    mapping.to_model.assign(dataset_ids.size(), -1);
    for (size_t row = 0; row < model_ids.size(); ++row) {
        const int32_t index = find(model_ids[row]);
        if (index < 0)
            continue; // ids the dataset lacks are ignored
        if (mapping.to_model[static_cast<size_t>(index)] >= 0)
            throw Error(located(path, std::string(method) + "() lists id '" + model_ids[row]
                                          + "' twice; model ids must be unique"));
        mapping.to_model[static_cast<size_t>(index)] = static_cast<int64_t>(row);
        ++mapping.matched;
    }
    for (size_t i = 0; i < dataset_ids.size() && mapping.unmatched_examples.size() < kExamples; ++i)
        if (mapping.to_model[i] < 0)
            mapping.unmatched_examples.push_back(dataset_ids[i]);
    return mapping;
}

void check_coverage(const IdMapping &mapping, size_t dataset_count, const char *what, const char *method,
                    const std::string &path)
{
    if (dataset_count == 0)
        return;
    if (2 * mapping.matched < static_cast<int64_t>(dataset_count))
        throw Error(located(path, "the model's " + std::string(method) + "() matches only "
                                      + std::to_string(mapping.matched) + " of " + std::to_string(dataset_count)
                                      + " dataset " + what + " (under half; e.g. missing "
                                      + join_examples(mapping.unmatched_examples)
                                      + "); was it trained on this dataset?"));
}

// Rows of `model_rows` in dataset order; rows for unmatched entries (-1) are zero.
torch::Tensor to_dataset_order(const torch::Tensor &model_rows, const std::vector<int64_t> &to_model)
{
    std::vector<int64_t> index(to_model.size());
    std::vector<float> keep(to_model.size());
    for (size_t i = 0; i < to_model.size(); ++i) {
        index[i] = to_model[i] < 0 ? 0 : to_model[i];
        keep[i] = to_model[i] < 0 ? 0.0f : 1.0f;
    }
    const auto n = static_cast<int64_t>(to_model.size());
    if (model_rows.size(0) == 0) // nothing matched: all rows are zero
        return model_rows.dim() == 2 ? torch::zeros({n, model_rows.size(1)}) : torch::zeros({n});
    auto out = model_rows.index_select(0, torch::tensor(index, torch::kInt64));
    auto keep_t = torch::tensor(keep, torch::kFloat32);
    if (out.dim() == 2)
        keep_t = keep_t.unsqueeze(1);
    return (out * keep_t).contiguous();
}

void finish_fast_path(Model::Impl &impl)
{
    const auto n_items = static_cast<int64_t>(impl.item_to_model.size());
    impl.item_offset = impl.item_bias.defined() ? impl.item_bias.clone() : torch::zeros({n_items}, torch::kFloat32);
    auto offset = impl.item_offset.accessor<float, 1>();
    for (int64_t i = 0; i < n_items; ++i)
        if (impl.item_to_model[static_cast<size_t>(i)] < 0)
            offset[i] = kNegInf;
    impl.item_emb = impl.item_emb.contiguous();
    impl.user_emb = impl.user_emb.contiguous();
    kernel::kernel_path(); // decided at load: a RECLENS_KERNEL this CPU cannot run is refused before any work
    impl.packed = kernel::pack_items({impl.item_emb.data_ptr<float>(), static_cast<size_t>(impl.item_emb.numel())},
                                     n_items, static_cast<int>(impl.item_emb.size(1)));
}

std::unique_ptr<Model::Impl> load_impl(const std::string &path, const Dataset &dataset)
{
    if (!std::filesystem::is_regular_file(path))
        throw Error(located(path, "model file not found; check the path"));
    auto impl = std::make_unique<Model::Impl>();
    impl->dataset = &dataset;
    impl->info.path = path;
    impl->info.name = std::filesystem::path(path).stem().string();

    torch::jit::Module module;
    try {
        module = torch::jit::load(path, torch::kCPU);
    } catch (const c10::Error &e) {
        throw Error(located(path, "not a TorchScript archive (" + one_line(e.what_without_backtrace(), 160)
                                      + "); export the model with torch.jit.script(...).save() or torch.jit.save"));
    }
    module.eval();

    auto has = [&](const char *name) { return module.find_method(name).has_value(); };
    if (!has("item_ids"))
        throw Error(located(path, "the model has no item_ids() -> List[str] method; add it (see DESIGN §3)"));
    const bool embeddings = has("user_embeddings") && has("item_embeddings");
    const bool score = has("score");
    if (!embeddings && !score)
        throw Error(located(path, "the model has neither user_embeddings()/item_embeddings() nor "
                                  "score(users, items); add one of them (see DESIGN §3)"));
    if (!has("user_ids"))
        throw Error(located(path, "the model has no user_ids() -> List[str] method, needed to map dataset users to "
                                  "model rows; add it"));

    const auto item_ids = read_ids(module, "item_ids", path);
    const auto user_ids = read_ids(module, "user_ids", path);
    auto items = map_ids(item_ids, dataset.item_external, [&](const std::string &id) { return dataset.find_item(id); },
                         "item_ids", path);
    auto users = map_ids(user_ids, dataset.user_external, [&](const std::string &id) { return dataset.find_user(id); },
                         "user_ids", path);
    check_coverage(items, dataset.item_external.size(), "items", "item_ids", path);
    check_coverage(users, dataset.user_external.size(), "users", "user_ids", path);

    auto &info = impl->info;
    info.has_embeddings = embeddings;
    info.has_score = score;
    info.model_items = static_cast<int64_t>(item_ids.size());
    info.model_users = static_cast<int64_t>(user_ids.size());
    info.matched_items = items.matched;
    info.matched_users = users.matched;
    info.unmatched_item_examples = items.unmatched_examples;
    info.unmatched_user_examples = users.unmatched_examples;
    impl->item_to_model = std::move(items.to_model);
    impl->user_to_model = std::move(users.to_model);
    for (int32_t i = 0; i < dataset.n_items(); ++i)
        if (impl->item_to_model[static_cast<size_t>(i)] >= 0)
            impl->matched_items.push_back(i);

    if (embeddings) {
        auto user_emb = read_tensor(module, "user_embeddings", 2, path);
        auto item_emb = read_tensor(module, "item_embeddings", 2, path);
        if (user_emb.size(0) != info.model_users)
            throw Error(located(path, "user_embeddings() has " + std::to_string(user_emb.size(0))
                                          + " rows but user_ids() lists " + std::to_string(info.model_users)
                                          + " ids; they must match"));
        if (item_emb.size(0) != info.model_items)
            throw Error(located(path, "item_embeddings() has " + std::to_string(item_emb.size(0))
                                          + " rows but item_ids() lists " + std::to_string(info.model_items)
                                          + " ids; they must match"));
        if (user_emb.size(1) != item_emb.size(1) || item_emb.size(1) == 0)
            throw Error(located(path, "user_embeddings() is [*, " + std::to_string(user_emb.size(1))
                                          + "] but item_embeddings() is [*, " + std::to_string(item_emb.size(1))
                                          + "]; both need the same non-zero dimension"));
        info.dim = static_cast<int>(item_emb.size(1));
        impl->user_emb = to_dataset_order(user_emb, impl->user_to_model);
        impl->item_emb = to_dataset_order(item_emb, impl->item_to_model);
        if (has("item_bias")) {
            auto bias = read_tensor(module, "item_bias", 1, path);
            if (bias.size(0) != info.model_items)
                throw Error(located(path, "item_bias() has " + std::to_string(bias.size(0))
                                              + " entries but item_ids() lists " + std::to_string(info.model_items)));
            impl->item_bias = to_dataset_order(bias, impl->item_to_model);
            info.has_bias = true;
        }
        finish_fast_path(*impl);
    }
    impl->module = std::move(module);

    if (!embeddings) {
        // Probe score() once on a few ids so a broken model fails at load, not mid-evaluation.
        std::vector<int32_t> probe_users, probe_items;
        for (int32_t u = 0; u < dataset.n_users() && probe_users.size() < 2; ++u)
            if (impl->user_valid(u))
                probe_users.push_back(u);
        for (size_t i = 0; i < impl->matched_items.size() && probe_items.size() < 3; ++i)
            probe_items.push_back(impl->matched_items[i]);
        if (!probe_users.empty() && !probe_items.empty())
            impl->score_matched(probe_users, probe_items);
    }
    return impl;
}

} // namespace

torch::Tensor Model::Impl::score_matched(const std::vector<int32_t> &users, const std::vector<int32_t> &items) const
{
    std::vector<int64_t> model_users(users.size()), model_items(items.size());
    for (size_t i = 0; i < users.size(); ++i)
        model_users[i] = user_to_model[static_cast<size_t>(users[i])];
    for (size_t i = 0; i < items.size(); ++i)
        model_items[i] = item_to_model[static_cast<size_t>(items[i])];
    const auto &path = info.path;
    torch::Tensor out;
    {
        torch::InferenceMode guard;
        // Without this, the first calls run the profiling executor and then graph optimisation,
        // which costs seconds per model; scoring graphs are a few tensor ops that gain nothing.
        torch::jit::GraphOptimizerEnabledGuard no_optimise(false);
        try {
            auto &m = const_cast<torch::jit::Module &>(*module);
            auto value = m.get_method("score")(
                {torch::tensor(model_users, torch::kInt64), torch::tensor(model_items, torch::kInt64)});
            if (!value.isTensor())
                throw Error(located(path, "score() must return a Tensor, got " + std::string(value.tagKind())));
            out = value.toTensor();
        } catch (const c10::Error &e) {
            throw Error(located(path, "score() failed: " + one_line(e.what_without_backtrace())));
        } catch (const Error &) {
            throw;
        } catch (const std::exception &e) { // e.g. a `raise` inside the model's TorchScript
            throw Error(located(path, "score() failed: " + one_line(e.what())));
        }
    }
    if (!out.is_floating_point())
        throw Error(located(path, "score() returned dtype " + std::string(c10::toString(out.scalar_type()))
                                      + ", expected a floating-point tensor"));
    const auto b = static_cast<int64_t>(users.size()), c = static_cast<int64_t>(items.size());
    if (out.dim() != 2 || out.size(0) != b || out.size(1) != c)
        throw Error(located(path, "score(users[" + std::to_string(b) + "], items[" + std::to_string(c)
                                      + "]) returned shape " + c10::str(out.sizes()) + ", expected ["
                                      + std::to_string(b) + ", " + std::to_string(c) + "]"));
    out = out.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    if (!torch::isfinite(out).all().item<bool>())
        throw Error(located(path, "score() returned NaN or Inf scores; fix the model so every score is finite"));
    return out;
}

Model::Model(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Model::~Model() = default;

std::shared_ptr<const Model> Model::load(const std::string &path, const Dataset &dataset)
{
    try {
        torch::InferenceMode guard;
        return std::shared_ptr<const Model>(new Model(load_impl(path, dataset)));
    } catch (const c10::Error &e) {
        throw Error(located(path, "cannot use the model: " + one_line(e.what_without_backtrace())));
    } catch (const Error &) {
        throw;
    } catch (const std::exception &e) { // e.g. TorchScript compilation errors raised while loading
        throw Error(located(path, "cannot use the model: " + one_line(e.what())));
    }
}

std::shared_ptr<const Model> Model::from_embeddings(const Dataset &dataset, std::vector<float> user,
                                                    std::vector<float> item, int dim, std::string name,
                                                    std::vector<float> item_bias)
{
    const int64_t n_users = dataset.n_users(), n_items = dataset.n_items();
    if (dim <= 0 || static_cast<int64_t>(user.size()) != n_users * dim
        || static_cast<int64_t>(item.size()) != n_items * dim
        || (!item_bias.empty() && static_cast<int64_t>(item_bias.size()) != n_items))
        throw Error("Model::from_embeddings: sizes do not match the dataset (" + std::to_string(n_users) + " users, "
                    + std::to_string(n_items) + " items, dim " + std::to_string(dim) + ")");
    auto finite = [](const std::vector<float> &v) {
        for (float x : v)
            if (!std::isfinite(x))
                return false;
        return true;
    };
    if (!finite(user) || !finite(item) || !finite(item_bias))
        throw Error("Model::from_embeddings: embeddings contain NaN or Inf values");
    auto impl = std::make_unique<Impl>();
    impl->dataset = &dataset;
    impl->info.name = std::move(name);
    impl->info.has_embeddings = true;
    impl->info.has_bias = !item_bias.empty();
    impl->info.dim = dim;
    impl->info.model_items = impl->info.matched_items = n_items;
    impl->info.model_users = impl->info.matched_users = n_users;
    impl->item_to_model.resize(static_cast<size_t>(n_items));
    impl->user_to_model.resize(static_cast<size_t>(n_users));
    for (int64_t i = 0; i < n_items; ++i)
        impl->item_to_model[static_cast<size_t>(i)] = i;
    for (int64_t u = 0; u < n_users; ++u)
        impl->user_to_model[static_cast<size_t>(u)] = u;
    impl->matched_items.resize(static_cast<size_t>(n_items));
    for (int32_t i = 0; i < n_items; ++i)
        impl->matched_items[static_cast<size_t>(i)] = i;
    auto from_vector = [](std::vector<float> &v, std::vector<int64_t> shape) {
        return torch::from_blob(v.data(), shape, torch::kFloat32).clone();
    };
    impl->user_emb = from_vector(user, {n_users, dim});
    impl->item_emb = from_vector(item, {n_items, dim});
    if (!item_bias.empty())
        impl->item_bias = from_vector(item_bias, {n_items});
    finish_fast_path(*impl);
    return std::shared_ptr<const Model>(new Model(std::move(impl)));
}

const ModelInfo &Model::info() const { return m_impl->info; }
const Dataset &Model::dataset() const { return *m_impl->dataset; }
int Model::dim() const { return m_impl->info.dim; }

std::span<const float> Model::item_embeddings() const
{
    if (!m_impl->item_emb.defined())
        return {};
    return {m_impl->item_emb.data_ptr<float>(), static_cast<size_t>(m_impl->item_emb.numel())};
}

std::span<const float> Model::user_embeddings() const
{
    if (!m_impl->user_emb.defined())
        return {};
    return {m_impl->user_emb.data_ptr<float>(), static_cast<size_t>(m_impl->user_emb.numel())};
}

std::span<const float> Model::item_bias() const
{
    if (!m_impl->item_bias.defined())
        return {};
    return {m_impl->item_bias.data_ptr<float>(), static_cast<size_t>(m_impl->item_bias.numel())};
}

bool Model::item_matched(int32_t item) const
{
    return item >= 0 && item < static_cast<int32_t>(m_impl->item_to_model.size())
        && m_impl->item_to_model[static_cast<size_t>(item)] >= 0;
}

bool Model::user_matched(int32_t user) const
{
    return user >= 0 && user < static_cast<int32_t>(m_impl->user_to_model.size()) && m_impl->user_valid(user);
}

std::vector<float> Model::score_all(int32_t user) const
{
    const auto &impl = *m_impl;
    const auto n_items = static_cast<size_t>(impl.item_to_model.size());
    if (user < 0 || user >= static_cast<int32_t>(impl.user_to_model.size()))
        throw Error("Model::score_all: user index " + std::to_string(user) + " is out of range");
    std::vector<float> out(n_items, kNegInf);
    if (!impl.user_valid(user))
        return out;
    if (impl.info.has_embeddings) {
        const int32_t one[] = {user};
        impl.score_rows(one, 0, static_cast<int64_t>(n_items), out.data(), static_cast<int64_t>(n_items));
    } else {
        impl.score_generic_row(user, out.data());
    }
    return out;
}

void Model::Impl::score_rows(std::span<const int32_t> users, int64_t j0, int64_t j1, float *out, int64_t ld) const
{
    const float *base = user_emb.data_ptr<float>();
    const float *offset = item_offset.data_ptr<float>();
    const auto dim = static_cast<size_t>(packed.dim);
    // Runs of matched users go through the kernel together; unmatched rows are -inf.
    std::vector<const float *> rows;
    size_t r = 0;
    while (r < users.size()) {
        if (!user_valid(users[r])) {
            std::fill_n(out + static_cast<int64_t>(r) * ld, j1 - j0, kNegInf);
            ++r;
            continue;
        }
        const size_t start = r;
        rows.clear();
        for (; r < users.size() && user_valid(users[r]); ++r)
            rows.push_back(base + static_cast<size_t>(users[r]) * dim);
        kernel::dot_rows(rows.data(), static_cast<int>(rows.size()), packed, offset, j0, j1,
                         out + static_cast<int64_t>(start) * ld, ld);
    }
}

void Model::Impl::score_generic_row(int32_t user, float *out) const
{
    std::fill_n(out, item_to_model.size(), kNegInf);
    if (!user_valid(user))
        return;
    for (size_t begin = 0; begin < matched_items.size(); begin += kGenericChunk) {
        const size_t end = std::min(matched_items.size(), begin + kGenericChunk);
        std::vector<int32_t> items(matched_items.begin() + static_cast<std::ptrdiff_t>(begin),
                                   matched_items.begin() + static_cast<std::ptrdiff_t>(end));
        auto scores = score_matched({user}, items);
        const float *p = scores.data_ptr<float>();
        for (size_t i = 0; i < items.size(); ++i)
            out[static_cast<size_t>(items[i])] = p[i];
    }
}

void Model::Impl::score_items(int32_t user, std::span<const int32_t> items, float *out) const
{
    std::fill_n(out, items.size(), kNegInf);
    if (!user_valid(user) || items.empty())
        return;
    if (info.has_embeddings && user_emb.defined()) {
        const float *u = user_emb.data_ptr<float>() + static_cast<size_t>(user) * static_cast<size_t>(packed.dim);
        const float *offset = item_offset.data_ptr<float>();
        for (size_t i = 0; i < items.size(); ++i)
            out[i] = kernel::dot_one(u, packed, offset, items[i]);
        return;
    }
    // score() on each kGenericChunk chunk of matched_items that holds one of the items, exactly as
    // score_generic_row calls it (the same chunk gives the same floats).
    size_t next = 0;
    while (next < items.size()) {
        const auto at = std::lower_bound(matched_items.begin(), matched_items.end(), items[next]);
        if (at == matched_items.end() || *at != items[next]) { // an unmatched item: -inf
            ++next;
            continue;
        }
        const size_t begin = static_cast<size_t>(at - matched_items.begin()) / kGenericChunk * kGenericChunk;
        const size_t end = std::min(matched_items.size(), begin + kGenericChunk);
        std::vector<int32_t> chunk(matched_items.begin() + static_cast<std::ptrdiff_t>(begin),
                                   matched_items.begin() + static_cast<std::ptrdiff_t>(end));
        auto scores = score_matched({user}, chunk);
        const float *p = scores.data_ptr<float>();
        for (; next < items.size() && items[next] <= chunk.back(); ++next) {
            const auto in = std::lower_bound(chunk.begin(), chunk.end(), items[next]);
            if (in != chunk.end() && *in == items[next])
                out[next] = p[in - chunk.begin()];
        }
    }
}

} // namespace reclens
