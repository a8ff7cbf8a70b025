// The light reclens-cli's stand-ins for the engine commands (enginecommands.h): each takes any
// arguments unparsed and replaces this process with reclens-engine from the same folder, given the
// same arguments, so `reclens-cli evaluate …` behaves exactly as `reclens-engine evaluate …`.
#include "app/cli/command.h"
#include "app/cli/enginecommands.h"
#include "core/common/error.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace
{

using namespace reclens;

std::string engine_path()
{
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec)
        throw Error("cannot find where reclens-cli is (/proc/self/exe: " + ec.message() + ")");
    return (self.parent_path() / "reclens-engine").string();
}

[[noreturn]] int hand_over()
{
    const std::string engine = engine_path();
    char **argv = cli::arguments();
    ::execv(engine.c_str(), argv);
    throw Error(located(engine,
        std::string("cannot start the engine: ") + std::strerror(errno)
            + "; reclens-engine must sit next to reclens-cli (build or install both)"));
}

struct Registrations {
    Registrations()
    {
        for (const auto &c : cli::kEngineCommands)
            cli::commands().push_back({ std::string(c.name), std::string(c.description), [](CLI::App &sub) {
                                           sub.prefix_command();
                                           sub.allow_extras();
                                           sub.set_help_flag();
                                           return std::function<int()>([] { return hand_over(); });
                                       } });
    }
};

const Registrations reg;

} // namespace
