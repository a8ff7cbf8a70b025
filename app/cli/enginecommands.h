#pragma once
// The reclens-cli commands that need libtorch (they load or train models). They are built into
// reclens-engine; the light reclens-cli — info, import, merge and help, which start in milliseconds
// instead of the ~0.7 s that loading Debian's libtorch and its ~290 libraries costs — hands them
// over to reclens-engine beside it with the same arguments (docs/benchmarks.md, "CLI start-up").
#include <string_view>

namespace reclens::cli
{

struct EngineCommand {
    std::string_view name;
    std::string_view description;
};

inline constexpr EngineCommand kEngineCommands[] = {
    { "compare", "Compare two runs per user: deltas, paired t / Wilcoxon p, bootstrap CI" },
    { "evaluate", "Evaluate a model: accuracy, diversity, ROC/AUC, strata" },
    { "train", "Train a built-in model (popularity, itemknn, ease, bpr) and save it as TorchScript" },
};

// The description of an engine command (empty for another name).
constexpr std::string_view engine_description(std::string_view name)
{
    for (const auto &c : kEngineCommands)
        if (c.name == name)
            return c.description;
    return {};
}

} // namespace reclens::cli
