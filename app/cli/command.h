#pragma once
// Subcommand registry of reclens-cli. Each cmd_<name>.cpp defines a static CommandRegistration that
// adds its CLI11 subcommand and the function to run when it is chosen.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace reclens::cli {

struct Command {
    std::string name;
    std::string description;
    // Declares options on `sub` and returns the action to run if this subcommand was selected.
    // The action returns the process exit code; it may throw reclens::Error (printed as one line).
    std::function<std::function<int()>(CLI::App &sub)> setup;
};

std::vector<Command> &commands();

struct CommandRegistration {
    explicit CommandRegistration(Command command) { commands().push_back(std::move(command)); }
};

// The process's arguments, as main() received them (for handing a command over to reclens-engine).
void set_arguments(int argc, char **argv);
char **arguments();

// Progress printer for long commands: a rate-limited line on stderr when stderr is a terminal,
// nothing otherwise (scripts and CI get clean output).
bool print_progress(double fraction, std::string_view stage);

} // namespace reclens::cli
