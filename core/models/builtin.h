#pragma once
// Built-in models for people without a model of their own (DESIGN §3): popularity, item-kNN, EASE and
// BPR matrix factorisation. Each is fitted on a Dataset's train interactions and saved as a TorchScript
// archive in the same format as a Python export, so Model::load and Python's torch.jit.load read it.
// No torch types here. Fitting is deterministic for a given dataset and options (BPR: same seed and
// thread count give bit-identical weights on the CPU).
#include "core/common/progress.h"
#include "core/data/dataset.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace reclens {

struct TrainOptions {
    int dim = 64;            // BPR embedding dimension
    int epochs = 20;         // BPR passes; one pass samples as many triples as there are train pairs
    uint64_t seed = 42;      // BPR initialisation and sampling
    double lr = 0.01;        // BPR Adam learning rate
    double reg = 1e-5;       // BPR L2 weight on the embeddings of each sampled triple
    int batch_size = 1024;   // BPR triples per optimiser step
    int neighbours = 0;      // item-kNN: neighbours kept per item; 0 = all (every co-occurring item)
    double lambda = 500;     // EASE: L2 weight on the item-item weights
    int min_item_users = 5;  // EASE: items with fewer distinct train users are left out of its Gram matrix
    int threads = 0;         // CPU threads for training; 0 = all cores
};

// Scores every item by its popularity: the number of distinct train users (Dataset::popularity).
// Saved as a one-dimensional factorisation (user embedding 1, item embedding = popularity), so it
// scores on the fast path; its item "embeddings" carry no similarity information.
class PopularityModel {
public:
    static PopularityModel fit(const Dataset &dataset);
    // Item scores in dataset order (the same for every user).
    const std::vector<float> &item_scores() const { return m_scores; }
    // Writes a TorchScript archive with item_ids/user_ids/score (temp file, then rename).
    void save(const std::string &path, const Dataset &dataset) const;

private:
    std::vector<float> m_scores;
};

// Item-based k-nearest neighbours: sim(i,j) = |U_i ∩ U_j| / sqrt(|U_i| |U_j|) (cosine of the binary
// train columns). Every item keeps all the items it co-occurs with (neighbours = 0), or its
// `neighbours` most similar ones (ties: more train users first, then lower index).
// score(u, i) = Σ_{j in train_u} sim_N(j, i), where sim_N(j, ·) is j's kept neighbour list.
// A small cut is a trap on sparse data: the most similar items of a popular item are the items
// bought once, by one of its users (cosine 1/sqrt(|U_j|)), so a cut of 50 keeps only those and drops
// the items bought with it again and again (docs/models.md).
class ItemKnnModel {
public:
    static ItemKnnModel fit(const Dataset &dataset, int neighbours, const ProgressFn &progress = {});
    int neighbours() const { return m_k; } // 0 = all
    // Neighbour list of an item, most similar first (ties as above).
    std::span<const int32_t> neighbour_items(int32_t item) const;
    std::span<const float> neighbour_similarities(int32_t item) const;
    int64_t nnz() const { return static_cast<int64_t>(m_items.size()); }
    // Scores of every dataset item for a user (train items not masked).
    std::vector<float> score(const Dataset &dataset, int32_t user) const;
    void save(const std::string &path, const Dataset &dataset) const;

private:
    int m_k = 0;
    std::vector<int64_t> m_offsets; // n_items + 1
    std::vector<int32_t> m_items;
    std::vector<float> m_sims;
};

// EASE (Steck, "Embarrassingly Shallow Autoencoders", WWW 2019): the closed form
// B = I − P·diag(1/diag P), P = (XᵀX + λI)⁻¹, diag B = 0, over the binary train matrix X;
// score(u, i) = Σ_{j in train_u} B_ji. The Gram matrix is dense (n × n doubles), so it spans only the
// `min_item_users` support: items with at least that many distinct train users (all items with 1).
// Items outside it score below every supported item and their history entries add nothing.
class EaseModel {
public:
    static EaseModel fit(const Dataset &dataset, const TrainOptions &options, const ProgressFn &progress = {});
    double lambda() const { return m_lambda; }
    // Dataset indices of the supported items, ascending; B is support × support, row-major.
    const std::vector<int32_t> &support() const { return m_support; }
    std::span<const float> weights() const { return m_weights; }
    // Scores of every dataset item for a user (train items not masked).
    std::vector<float> score(const Dataset &dataset, int32_t user) const;
    // The score of an item outside the support: below any supported item's possible score.
    float floor() const { return m_floor; }
    void save(const std::string &path, const Dataset &dataset) const;

private:
    double m_lambda = 0;
    float m_floor = 0;
    std::vector<int32_t> m_support;
    std::vector<float> m_weights;
};

// Bayesian personalised ranking (Rendle et al. 2009) with item bias, trained with libtorch (Adam on
// mini-batches of sampled (user, positive, negative) triples). Progress is reported once per epoch
// with the stage "epoch E/N loss L"; returning false cancels (Cancelled is thrown).
class BprModel {
public:
    static BprModel train(const Dataset &dataset, const TrainOptions &options, const ProgressFn &progress = {});
    int dim() const { return m_dim; }
    std::span<const float> user_embeddings() const { return m_user; } // n_users x dim
    std::span<const float> item_embeddings() const { return m_item; } // n_items x dim
    std::span<const float> item_bias() const { return m_bias; }       // n_items
    const std::vector<double> &epoch_loss() const { return m_loss; }
    void save(const std::string &path, const Dataset &dataset) const;

private:
    int m_dim = 0;
    std::vector<float> m_user, m_item, m_bias;
    std::vector<double> m_loss;
};

} // namespace reclens
