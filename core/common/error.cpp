#include "core/common/error.h"

namespace reclens {

std::string located(const std::string &file, const std::string &message, long line)
{
    std::string out = file;
    if (line > 0)
        out += ":" + std::to_string(line);
    out += ": ";
    out += message;
    return out;
}

} // namespace reclens
