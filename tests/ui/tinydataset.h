#pragma once
// A hand-made dataset for the GUI tests: 8 items in a two-level tree (Fruit > Apples/Pears,
// Dairy > Milk, one item without category), 2 brands, 3 users with train and test rows, and a
// 2-dimensional embedding model whose scores are easy to work out by hand.
#include "core/data/dataset.h"
#include "core/models/model.h"

#include <memory>

namespace reclens::testing
{

inline std::shared_ptr<Dataset> tinyDataset()
{
    auto d = std::make_shared<Dataset>();
    d->meta["name"] = "tiny";
    d->categories = { { 1, -1, "Fruit", 1 }, { 2, -1, "Dairy", 1 }, { 3, 0, "Apples", 2 }, { 4, 0, "Pears", 2 },
        { 5, 1, "Milk", 2 } };
    d->brands = { "Acme", "Orchard" };
    for (int i = 0; i < 8; ++i) {
        d->item_ids.push_back(i + 1);
        d->item_external.push_back("i" + std::to_string(i + 1));
        d->item_title.push_back("Item " + std::to_string(i + 1));
    }
    d->item_category = { 2, 2, 3, 4, 4, -1, 3, 2 };
    d->item_brand = { 0, 1, 0, 1, -1, 0, 1, 0 };
    d->item_price = { 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0 };
    d->item_tags.resize(8);
    d->user_ids = { 1, 2, 3 };
    d->user_external = { "u1", "u2", "u3" };
    d->user_segment = { "A", "B", "" };
    d->user_attributes.resize(3);
    // u1: train 0,3 test 1,6; u2: train 1,2,4 test 0; u3: train 5 (no test)
    const std::vector<CsrEntry> train { { 0, 0, 10, 1 }, { 0, 3, 20, 1 }, { 1, 1, 5, 1 }, { 1, 2, 6, 1 },
        { 1, 4, 7, 1 }, { 2, 5, 1, 1 } };
    const std::vector<CsrEntry> test { { 0, 1, 30, 1 }, { 0, 6, 31, 1 }, { 1, 0, 9, 1 } };
    d->train = make_csr(3, train);
    d->test = make_csr(3, test);
    d->train_rows = 6;
    d->test_rows = 3;
    d->finalize();
    return d;
}

// Scores u·i with dim 2. Items 1,2,7 point along x (similar to each other), 3,4 along y.
inline std::shared_ptr<const Model> tinyModel(const Dataset &d)
{
    std::vector<float> users { 1.0f, 0.2f, 0.3f, 1.0f, 0.5f, 0.5f };
    std::vector<float> items { 0.1f, 0.1f, 1.0f, 0.0f, 0.95f, 0.05f, 0.0f, 1.0f, 0.1f, 0.9f, 0.5f, 0.5f, 0.9f, 0.1f,
        0.3f, 0.3f };
    return Model::from_embeddings(d, std::move(users), std::move(items), 2, "toy");
}

} // namespace reclens::testing
