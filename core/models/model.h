#pragma once
// A recommendation model loaded from a TorchScript archive (DESIGN §3), mapped onto a Dataset.
// No torch types in this header: ui/ includes it. The torch side lives in model.cpp and in
// core/models/model_impl.h (internal, for core/scoring and core/rerank only).
//
// Threading: a loaded Model is immutable; its const methods may be called from several threads.
#include "core/data/dataset.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace reclens {

struct ModelInfo {
    std::string path;
    std::string name;               // file stem unless the model says otherwise
    bool has_embeddings = false;    // user_embeddings()/item_embeddings() fast path present
    bool has_bias = false;          // item_bias() present
    bool has_score = false;         // score(users, items) present
    int dim = 0;                    // embedding dimension (0 without embeddings)
    int64_t model_items = 0;        // rows of item_ids()
    int64_t model_users = 0;        // rows of user_ids() (0 if absent)
    int64_t matched_items = 0;      // dataset items the model knows
    int64_t matched_users = 0;      // dataset users the model knows
    std::vector<std::string> unmatched_item_examples; // a few dataset item ids the model lacks
    std::vector<std::string> unmatched_user_examples;
};

class Model {
public:
    // Loads and validates `path` against `dataset`. Throws reclens::Error with a one-line message
    // naming the file (and method) when it is not TorchScript, lacks the required methods, has wrong
    // shapes/dtypes, non-finite values, or matches under half of the dataset's ids.
    // The Model keeps a pointer to `dataset`, which must outlive it.
    static std::shared_ptr<const Model> load(const std::string &path, const Dataset &dataset);
    ~Model();

    const ModelInfo &info() const;
    const Dataset &dataset() const;

    // A model made from embeddings already in memory, in dataset order: `user` is n_users x dim and
    // `item` n_items x dim, row-major; `item_bias` is empty or n_items long. Every id counts as
    // matched. For benchmarks, tests and generated data. Throws Error on wrong sizes or non-finite
    // values. The Model keeps a pointer to `dataset`, which must outlive it.
    static std::shared_ptr<const Model> from_embeddings(const Dataset &dataset, std::vector<float> user,
                                                        std::vector<float> item, int dim, std::string name,
                                                        std::vector<float> item_bias = {});

    // Item embeddings in dataset item order, row-major n_items x dim; rows of unmatched items are 0.
    // Empty span when the model has no embeddings.
    std::span<const float> item_embeddings() const;
    // User embeddings in dataset user order, row-major n_users x dim (rows of unmatched users are 0);
    // empty span without embeddings.
    std::span<const float> user_embeddings() const;
    // Item bias in dataset item order (0 for unmatched items); empty span when the model has none.
    std::span<const float> item_bias() const;
    int dim() const;

    // Whether the model knows a dataset item / user (its id is in item_ids() / user_ids()).
    bool item_matched(int32_t item) const;
    bool user_matched(int32_t user) const;

    // Scores of every dataset item for one dataset user (dataset order). Items or users the model
    // does not know score -inf. Train items are NOT masked here. Throws Error on NaN/Inf output.
    std::vector<float> score_all(int32_t user) const;

    struct Impl;
    const Impl &impl() const { return *m_impl; }

private:
    explicit Model(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace reclens
