#pragma once
// The SQLite dataset store of DESIGN §2. All SQL of RecLens lives in core/data; statements use bound
// parameters only. Each call opens and closes its own connection, so the functions are safe to call
// from any thread (one call per connection, never shared).
#include "core/common/progress.h"
#include "core/data/dataset.h"

#include <cstdint>
#include <string>
#include <vector>

namespace reclens {

inline constexpr const char *kSchemaVersion = "1";

// Opens `path` read-only, validates it and loads it whole. Throws reclens::Error (one line naming the
// file and what to do) for a missing file, a file that is not SQLite, a corrupt file, a SQLite file
// that is not a RecLens dataset (missing tables, missing or unsupported meta.schema_version),
// dangling references, or an empty dataset (no users, items or interactions). Never writes.
Dataset load_dataset(const std::string &path, const ProgressFn &progress = {});

// One interaction row as written to the `interactions` table (indices into the Dataset).
struct InteractionRecord {
    int32_t user = 0;
    int32_t item = 0;
    int64_t ts = 0;
    bool has_ts = true; // false: ts is written as NULL (source without time)
    float weight = 1.0f;
    bool test = false;
};

// Writes `dataset` with the DESIGN §2 schema in one transaction to a temporary file next to `path`
// and renames it over `path` when complete; on any failure nothing is left behind. Refuses to write
// over the file the dataset was loaded from. Primary keys are dataset.item_ids / user_ids and
// category/brand index + 1. `interactions` are the rows to store; when empty, the train and test
// CSRs are written (one row per entry). `event` fills interactions.event. meta gets schema_version
// and created_at in addition to dataset.meta.
void write_dataset(const Dataset &dataset, const std::string &path,
                   const std::vector<InteractionRecord> &interactions = {}, const std::string &event = "interaction",
                   const ProgressFn &progress = {});

} // namespace reclens
