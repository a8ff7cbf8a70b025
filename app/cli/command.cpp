#include "app/cli/command.h"

#include <cstdio>
#include <unistd.h>

namespace reclens::cli {

std::vector<Command> &commands()
{
    static std::vector<Command> registry;
    return registry;
}

namespace {
char **g_argv = nullptr;
}

void set_arguments(int, char **argv)
{
    g_argv = argv;
}

char **arguments()
{
    return g_argv;
}

bool print_progress(double fraction, std::string_view stage)
{
    static const bool tty = isatty(STDERR_FILENO) != 0;
    if (!tty)
        return true;
    std::fprintf(stderr, "\r%-40.*s %5.1f%%", static_cast<int>(stage.size()), stage.data(), fraction * 100.0);
    if (fraction >= 1.0)
        std::fprintf(stderr, "\n");
    std::fflush(stderr);
    return true;
}

} // namespace reclens::cli
