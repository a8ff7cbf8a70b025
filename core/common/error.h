#pragma once
// Error types shared by every core library. Every failure that reaches a user is a reclens::Error
// whose what() is one clear line: what went wrong, where (file, line, method) and what to do.
#include <stdexcept>
#include <string>

namespace reclens {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Thrown when a progress callback asked to stop. Callers treat it as "no result", not as a failure.
class Cancelled : public Error {
public:
    Cancelled() : Error("cancelled") {}
};

// Builds "<file>: <message>" or "<file>:<line>: <message>" (line > 0).
std::string located(const std::string &file, const std::string &message, long line = 0);

} // namespace reclens
