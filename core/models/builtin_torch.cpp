// The torch side of the built-in models: BPR training, EASE's closed form and the TorchScript export of
// all four. Modules are built in C++ (attributes + methods defined from TorchScript source) so the
// archive is an ordinary TorchScript file: Python's torch.jit.load reads it and Model::load maps it like any other.
#include "core/common/error.h"
#include "core/common/files.h"
#include "core/common/progress.h"
#include "core/models/builtin.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <filesystem>
#include <random>
#include <thread>

namespace reclens {

namespace {

c10::List<std::string> string_list(const std::vector<std::string> &values)
{
    c10::List<std::string> list;
    list.reserve(values.size());
    for (const auto &v : values)
        list.push_back(v);
    return list;
}

// A module with the id methods every RecLens model has. `kind` names the class (RecLensBpr, ...).
torch::jit::Module id_module(const std::string &kind, const Dataset &dataset)
{
    torch::jit::Module module("__torch__.reclens." + kind);
    module.register_attribute("item_ids_", c10::ListType::ofStrings(), string_list(dataset.item_external));
    module.register_attribute("user_ids_", c10::ListType::ofStrings(), string_list(dataset.user_external));
    module.register_attribute("reclens_kind", c10::StringType::get(), kind);
    module.define(R"(
def item_ids(self) -> List[str]:
    return self.item_ids_

def user_ids(self) -> List[str]:
    return self.user_ids_
)");
    return module;
}

torch::Tensor copy_tensor(std::span<const float> values, std::vector<int64_t> shape)
{
    return torch::from_blob(const_cast<float *>(values.data()), shape, torch::kFloat32).clone();
}

// Saves to a temporary name next to `path`, then renames: a failed or cancelled save never leaves a
// partial model behind.
void save_module(torch::jit::Module &module, const std::string &path)
{
    namespace fs = std::filesystem;
    const fs::path target(path);
    const auto dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    if (!fs::is_directory(dir))
        throw Error(located(path, "cannot write the model: folder '" + dir.string() + "' does not exist"));
    write_via_temporary(path, "model", [&](const std::string &temp) {
        try {
            module.save(temp);
        } catch (const c10::Error &e) {
            throw Error(located(path, "cannot write the model (" + std::string(e.what_without_backtrace()).substr(0, 160)
                                          + "); check the folder is writable"));
        }
    });
}

// Training's thread count is training's own (0 = all cores): the caller's setting comes back afterwards.
class TrainingThreads {
public:
    explicit TrainingThreads(int threads)
    {
        torch::set_num_threads(threads > 0 ? threads
                                           : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    }
    ~TrainingThreads()
    {
        if (torch::get_num_threads() != m_previous)
            torch::set_num_threads(m_previous);
    }
    TrainingThreads(const TrainingThreads &) = delete;
    TrainingThreads &operator=(const TrainingThreads &) = delete;

private:
    int m_previous = torch::get_num_threads();
};

} // namespace

void PopularityModel::save(const std::string &path, const Dataset &dataset) const
{
    torch::NoGradGuard no_grad;
    auto module = id_module("Popularity", dataset);
    // Popularity as a one-dimensional factorisation (user = 1, item = count) takes the embedding
    // fast path: one GEMM per block instead of a TorchScript call per chunk. score() stays for callers
    // that want it.
    module.register_buffer("popularity", copy_tensor(m_scores, {static_cast<int64_t>(m_scores.size())}));
    module.register_buffer("ones", torch::ones({static_cast<int64_t>(dataset.n_users()), 1}));
    module.define(R"(
def user_embeddings(self) -> Tensor:
    return self.ones

def item_embeddings(self) -> Tensor:
    return self.popularity.unsqueeze(1)

def score(self, users: Tensor, items: Tensor) -> Tensor:
    row = self.popularity.index_select(0, items).unsqueeze(0)
    return row.expand(users.size(0), items.size(0)).contiguous()

def forward(self, users: Tensor, items: Tensor) -> Tensor:
    return self.score(users, items)
)");
    save_module(module, path);
}

void ItemKnnModel::save(const std::string &path, const Dataset &dataset) const
{
    torch::NoGradGuard no_grad;
    const int64_t n_items = dataset.n_items();
    auto module = id_module("ItemKnn", dataset);
    // Neighbour lists as CSR: item j's neighbours are neighbour_items[neighbour_offsets[j]:neighbour_offsets[j+1]].
    module.register_buffer("neighbour_offsets", torch::tensor(m_offsets, torch::kInt64));
    module.register_buffer("neighbour_items",
                           torch::tensor(std::vector<int64_t>(m_items.begin(), m_items.end()), torch::kInt64));
    module.register_buffer("neighbour_sims", copy_tensor(m_sims, {static_cast<int64_t>(m_sims.size())}));
    module.register_buffer("history_offsets", torch::tensor(dataset.train.offsets, torch::kInt64));
    module.register_buffer("history_items",
                           torch::tensor(std::vector<int64_t>(dataset.train.items.begin(), dataset.train.items.end()),
                                         torch::kInt64));
    module.register_attribute("n_items", c10::IntType::get(), n_items);
    // Per user: the positions of all neighbours of the history items, in history order, then one
    // index_add_ (the same order of sums as ItemKnnModel::score).
    module.define(R"(
def score(self, users: Tensor, items: Tensor) -> Tensor:
    out = self.neighbour_sims.new_zeros([users.size(0), items.size(0)])
    for b in range(users.size(0)):
        u = int(users[b])
        seen = self.history_items[int(self.history_offsets[u]):int(self.history_offsets[u + 1])]
        begins = self.neighbour_offsets.index_select(0, seen)
        lengths = self.neighbour_offsets.index_select(0, seen + 1) - begins
        total = int(lengths.sum())
        scores = self.neighbour_sims.new_zeros([self.n_items])
        if total > 0:
            run_starts = torch.cumsum(lengths, 0) - lengths
            positions = torch.repeat_interleave(begins - run_starts, lengths)
            positions = positions + torch.arange(total, device=positions.device)
            scores.index_add_(0, self.neighbour_items.index_select(0, positions), self.neighbour_sims.index_select(0, positions))
        out[b] = scores.index_select(0, items)
    return out

def forward(self, users: Tensor, items: Tensor) -> Tensor:
    return self.score(users, items)
)");
    save_module(module, path);
}

EaseModel EaseModel::fit(const Dataset &dataset, const TrainOptions &options, const ProgressFn &progress)
{
    if (!(options.lambda > 0) || options.min_item_users < 1)
        throw Error("ease: need --lambda > 0 and --min-item-users >= 1");
    if (dataset.train.nnz() == 0)
        throw Error("ease: the dataset has no train interactions to learn from");
    EaseModel model;
    model.m_lambda = options.lambda;
    for (int32_t i = 0; i < dataset.n_items(); ++i)
        if (i < static_cast<int32_t>(dataset.popularity.size()) && dataset.popularity[static_cast<size_t>(i)] >= options.min_item_users)
            model.m_support.push_back(i);
    const int64_t n = static_cast<int64_t>(model.m_support.size());
    if (n < 2)
        throw Error("ease: fewer than two items have at least " + std::to_string(options.min_item_users)
                    + " train users; lower --min-item-users");
    constexpr int64_t max_support = 30000;
    if (n > max_support) {
        char text[300];
        std::snprintf(text, sizeof text,
                      "ease: %lld items have at least %d train users; the Gram matrix would be %.1f GB and its inverse "
                      "too slow; raise --min-item-users",
                      static_cast<long long>(n), options.min_item_users, 8.0 * double(n) * double(n) / 1e9);
        throw Error(text);
    }
    TrainingThreads training_threads(options.threads);
    torch::NoGradGuard no_grad;
    ProgressReporter reporter(progress);

    // G = XᵀX + λI over the support, counted from the users' histories.
    std::vector<int32_t> position(static_cast<size_t>(dataset.n_items()), -1);
    for (int64_t a = 0; a < n; ++a)
        position[static_cast<size_t>(model.m_support[static_cast<size_t>(a)])] = static_cast<int32_t>(a);
    auto gram = torch::zeros({n, n}, torch::kFloat64);
    double *g = gram.data_ptr<double>();
    std::vector<int32_t> row;
    for (int32_t u = 0; u < dataset.n_users(); ++u) {
        row.clear();
        for (int32_t j : dataset.train.row(u))
            if (position[static_cast<size_t>(j)] >= 0)
                row.push_back(position[static_cast<size_t>(j)]);
        for (int32_t a : row)
            for (int32_t b : row)
                g[static_cast<int64_t>(a) * n + b] += 1.0;
    }
    for (int64_t a = 0; a < n; ++a)
        g[a * n + a] += options.lambda;
    reporter.force(0.1, "inverse");
    auto p = torch::inverse(gram);
    // B_ij = −P_ij / P_jj, diag B = 0.
    auto weights = -p / p.diagonal().unsqueeze(0);
    weights.fill_diagonal_(0.0);
    // Below any supported item's score: every negative weight of the column at once, minus 1.
    model.m_floor = static_cast<float>(weights.clamp_max(0.0).sum(0).min().item<double>() - 1.0);
    auto w = weights.to(torch::kFloat32).contiguous();
    model.m_weights.assign(w.data_ptr<float>(), w.data_ptr<float>() + w.numel());
    reporter.force(1.0, "inverse");
    return model;
}

void EaseModel::save(const std::string &path, const Dataset &dataset) const
{
    torch::NoGradGuard no_grad;
    const int64_t n = static_cast<int64_t>(m_support.size());
    auto module = id_module("Ease", dataset);
    std::vector<int64_t> position(static_cast<size_t>(dataset.n_items()), -1);
    for (int64_t a = 0; a < n; ++a)
        position[static_cast<size_t>(m_support[static_cast<size_t>(a)])] = a;
    module.register_buffer("support_position", torch::tensor(position, torch::kInt64));
    module.register_buffer("weights", copy_tensor(m_weights, {n, n}));
    module.register_buffer("history_offsets", torch::tensor(dataset.train.offsets, torch::kInt64));
    module.register_buffer("history_items",
                           torch::tensor(std::vector<int64_t>(dataset.train.items.begin(), dataset.train.items.end()),
                                         torch::kInt64));
    module.register_attribute("floor", c10::FloatType::get(), static_cast<double>(m_floor));
    module.register_attribute("lambda_", c10::FloatType::get(), m_lambda);
    // Per user: the rows of B of the supported history items, the columns the call asks for, summed
    // (|history| x |items| values read, not the whole matrix).
    module.define(R"(
def score(self, users: Tensor, items: Tensor) -> Tensor:
    positions = self.support_position.index_select(0, items)
    inside = (positions >= 0).nonzero().squeeze(1)
    columns = positions.index_select(0, inside)
    out = self.weights.new_full([users.size(0), items.size(0)], self.floor)
    if inside.size(0) == 0:
        return out
    for b in range(users.size(0)):
        u = int(users[b])
        seen = self.history_items[int(self.history_offsets[u]):int(self.history_offsets[u + 1])]
        p = self.support_position.index_select(0, seen)
        p = p.masked_select(p >= 0)
        rows = self.weights.index_select(0, p).index_select(1, columns)
        out[b].index_copy_(0, inside, rows.sum(0))
    return out

def forward(self, users: Tensor, items: Tensor) -> Tensor:
    return self.score(users, items)
)");
    save_module(module, path);
}

void BprModel::save(const std::string &path, const Dataset &dataset) const
{
    torch::NoGradGuard no_grad;
    const int64_t n_items = dataset.n_items(), n_users = dataset.n_users();
    auto module = id_module("Bpr", dataset);
    module.register_buffer("user_factors", copy_tensor(m_user, {n_users, m_dim}));
    module.register_buffer("item_factors", copy_tensor(m_item, {n_items, m_dim}));
    module.register_buffer("item_bias_", copy_tensor(m_bias, {n_items}));
    module.define(R"(
def user_embeddings(self) -> Tensor:
    return self.user_factors

def item_embeddings(self) -> Tensor:
    return self.item_factors

def item_bias(self) -> Tensor:
    return self.item_bias_

def score(self, users: Tensor, items: Tensor) -> Tensor:
    u = self.user_factors.index_select(0, users)
    v = self.item_factors.index_select(0, items)
    return torch.mm(u, v.t()) + self.item_bias_.index_select(0, items).unsqueeze(0)

def forward(self, users: Tensor, items: Tensor) -> Tensor:
    return self.score(users, items)
)");
    save_module(module, path);
}

BprModel BprModel::train(const Dataset &dataset, const TrainOptions &options, const ProgressFn &progress)
{
    if (options.dim < 1 || options.epochs < 1 || options.batch_size < 1 || options.lr <= 0 || options.reg < 0)
        throw Error("bpr: need --dim >= 1, --epochs >= 1, --batch-size >= 1, --lr > 0 and --reg >= 0");
    const int64_t n_users = dataset.n_users(), n_items = dataset.n_items();
    const int64_t nnz = dataset.train.nnz();
    if (nnz == 0)
        throw Error("bpr: the dataset has no train interactions to learn from");
    if (n_items < 2)
        throw Error("bpr: need at least two items to sample negatives");

    TrainingThreads training_threads(options.threads);
    torch::manual_seed(options.seed);
    const int64_t d = options.dim;
    torch::NoGradGuard no_autograd;
    auto user = torch::randn({n_users, d}) * 0.1;
    auto item = torch::randn({n_items, d}) * 0.1;
    auto bias = torch::zeros({n_items});
    torch::optim::Adam optimiser({user, item, bias}, torch::optim::AdamOptions(options.lr));

    // (user, item) train pairs, sampled uniformly; negatives uniformly among the user's unseen items.
    std::vector<int32_t> pair_user(static_cast<size_t>(nnz));
    for (int32_t u = 0; u < n_users; ++u)
        for (int64_t p = dataset.train.offsets[u]; p < dataset.train.offsets[u + 1]; ++p)
            pair_user[static_cast<size_t>(p)] = u;
    std::mt19937_64 rng(options.seed);
    std::uniform_int_distribution<int64_t> pick_pair(0, nnz - 1);
    std::uniform_int_distribution<int32_t> pick_item(0, static_cast<int32_t>(n_items - 1));

    BprModel model;
    model.m_dim = options.dim;
    const int64_t batch = options.batch_size;
    const int64_t steps = std::max<int64_t>(1, (nnz + batch - 1) / batch);
    std::vector<int64_t> bu(static_cast<size_t>(batch)), bi(static_cast<size_t>(batch)), bj(static_cast<size_t>(batch));
    for (int epoch = 0; epoch < options.epochs; ++epoch) {
        double loss_sum = 0;
        for (int64_t step = 0; step < steps; ++step) {
            for (int64_t s = 0; s < batch; ++s) {
                const int64_t p = pick_pair(rng);
                const int32_t u = pair_user[static_cast<size_t>(p)];
                int32_t j = pick_item(rng);
                // A user who has seen almost everything keeps the last draw after a few tries.
                for (int attempt = 0; attempt < 20 && dataset.train.contains(u, j); ++attempt)
                    j = pick_item(rng);
                bu[static_cast<size_t>(s)] = u;
                bi[static_cast<size_t>(s)] = dataset.train.items[static_cast<size_t>(p)];
                bj[static_cast<size_t>(s)] = j;
            }
            auto tu = torch::tensor(bu, torch::kInt64), ti = torch::tensor(bi, torch::kInt64),
                 tj = torch::tensor(bj, torch::kInt64);
            // Gradients by hand: autograd's backward of index_select is a per-row loop on the CPU
            // (~30x slower here); index_put_ with accumulate is one serial, deterministic kernel.
            auto eu = user.index_select(0, tu), ei = item.index_select(0, ti), ej = item.index_select(0, tj);
            auto x = (eu * (ei - ej)).sum(1) + bias.index_select(0, ti) - bias.index_select(0, tj);
            const double scale = 1.0 / static_cast<double>(batch);
            auto penalty = (eu.pow(2).sum() + ei.pow(2).sum() + ej.pow(2).sum()) * scale;
            auto loss = -torch::log_sigmoid(x).mean() + options.reg * penalty;
            auto g = (-(1 - torch::sigmoid(x)) * scale).unsqueeze(1); // d loss / d x per triple
            const double r2 = 2 * options.reg * scale;
            auto grad_user = torch::zeros_like(user), grad_item = torch::zeros_like(item),
                 grad_bias = torch::zeros_like(bias);
            grad_user.index_put_({tu}, g * (ei - ej) + r2 * eu, true);
            grad_item.index_put_({ti}, g * eu + r2 * ei, true);
            grad_item.index_put_({tj}, -g * eu + r2 * ej, true);
            grad_bias.index_put_({ti}, g.squeeze(1), true);
            grad_bias.index_put_({tj}, -g.squeeze(1), true);
            user.mutable_grad() = grad_user;
            item.mutable_grad() = grad_item;
            bias.mutable_grad() = grad_bias;
            optimiser.step();
            loss_sum += loss.item<double>();
        }
        model.m_loss.push_back(loss_sum / static_cast<double>(steps));
        if (progress) {
            char stage[96];
            std::snprintf(stage, sizeof stage, "epoch %d/%d loss %.4f", epoch + 1, options.epochs, model.m_loss.back());
            if (!progress(static_cast<double>(epoch + 1) / options.epochs, stage))
                throw Cancelled();
        }
    }
    auto to_vector = [](const torch::Tensor &t) {
        auto c = t.detach().contiguous();
        return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
    };
    model.m_user = to_vector(user);
    model.m_item = to_vector(item);
    model.m_bias = to_vector(bias);
    return model;
}

} // namespace reclens
