// reclens-cli: headless RecLens for scripts, CI and benchmarks (DESIGN §4).
#include "app/cli/command.h"
#include "core/common/error.h"

#include <algorithm>
#include <cstdio>
#include <exception>

int main(int argc, char **argv)
{
    reclens::cli::set_arguments(argc, argv);
    CLI::App app{"RecLens command line: import datasets, train and evaluate recommendation models"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "reclens-cli 0.1.0");

    auto &registry = reclens::cli::commands();
    std::sort(registry.begin(), registry.end(), [](const auto &a, const auto &b) { return a.name < b.name; });
    std::vector<std::pair<CLI::App *, std::function<int()>>> actions;
    for (const auto &command : registry) {
        CLI::App *sub = app.add_subcommand(command.name, command.description);
        actions.emplace_back(sub, command.setup(*sub));
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &e) {
        return app.exit(e);
    }

    try {
        for (auto &[sub, action] : actions) {
            if (sub->parsed())
                return action();
        }
    } catch (const reclens::Cancelled &) {
        std::fprintf(stderr, "reclens-cli: cancelled\n");
        return 130;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "reclens-cli: error: %s\n", e.what());
        return 1;
    }
    return 1;
}
