// reclens-cli session S.reclens [--files-in DIR --out OUT.reclens]: what a session names and whether
// its files are as saved (DESIGN §10; docs/sessions.md). With --out it writes a copy that finds the
// session's relatively stored files in DIR and records their current SHA-256: for a session shipped
// beside data that is rebuilt, such as the sample's demo (a model trained again on another CPU can
// differ in its last bits). Each re-recorded hash is said; a missing file is refused.
#include "app/cli/command.h"
#include "core/analysis/session.h"
#include "core/common/error.h"
#include "core/common/files.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

namespace {

using namespace reclens;
namespace fs = std::filesystem;

struct SessionArgs {
    std::string path, files_in, out;
};

int run(const SessionArgs &a)
{
    if (a.files_in.empty() != a.out.empty())
        throw Error("--files-in DIR and --out OUT.reclens go together: the copy finds the files in DIR");
    Session s = read_session(a.path); // checks the format and names the file on any error
    if (!a.files_in.empty()) {
        std::error_code ec;
        if (!fs::is_directory(a.files_in, ec))
            throw Error(a.files_in + ": --files-in is not a folder");
        // The same text, its relative paths taken from DIR.
        std::ifstream f(a.path, std::ios::binary);
        std::ostringstream text;
        text << f.rdbuf();
        s = parse_session(text.str(), (fs::path(a.files_in) / fs::path(a.path).filename()).string());
    }
    std::vector<NamedPath> inputs{{a.path, "the session"}, {s.dataset, "the session's dataset"}};
    for (const SessionSource &src : s.sources)
        inputs.push_back({src.path, "a file of the session"});
    check_outputs(inputs, {{a.out, "--out"}});

    std::printf("session   %s (version %d)\n", a.path.c_str(), kSessionVersion);
    std::printf("dataset   %s (%s)\n", s.dataset.c_str(), s.requests.c_str());
    for (size_t i = 0; i < s.sources.size(); ++i)
        std::printf("source %zu  %s %s (%s)\n", i + 1, s.sources[i].kind == SessionSource::Kind::run ? "run" : "model",
                    s.sources[i].name.c_str(), s.sources[i].path.c_str());
    std::printf("re-rank   %s, diversity %.2f, K %d, pool %d, %zu rule(s), %zu story user(s)\n",
                std::string(rerank_method_name(s.rerank.method)).c_str(), s.rerank.diversity, s.rerank.k, s.pool,
                s.rules.size(), s.story.size());
    const auto problems = check_session_files(s);
    if (a.out.empty()) {
        for (const auto &p : problems)
            std::printf("problem   %s\n", p.message().c_str());
        if (!problems.empty())
            throw Error(located(a.path, std::to_string(problems.size()) + " file(s) missing or changed (listed above)"));
        std::printf("files     all as saved (SHA-256)\n");
        return 0;
    }
    for (const auto &p : problems) {
        if (p.kind == SessionFileProblem::Kind::missing)
            throw Error(located(a.path, p.message()));
        std::printf("re-recorded %s: SHA-256 %s… then, %s… now\n", p.role.c_str(), p.expected_sha256.substr(0, 12).c_str(),
                    p.actual_sha256.substr(0, 12).c_str());
        (p.source < 0 ? s.dataset_sha256 : s.sources[static_cast<size_t>(p.source)].sha256) = p.actual_sha256;
    }
    write_session(s, a.out);
    std::printf("written   %s (%zu hash(es) re-recorded)\n", a.out.c_str(), problems.size());
    return 0;
}

std::function<int()> setup(CLI::App &app)
{
    auto a = std::make_shared<SessionArgs>();
    app.add_option("session", a->path, "Session file (.reclens)")->required();
    app.add_option("--files-in", a->files_in, "Folder where the session's relatively stored files are (with --out)");
    app.add_option("--out", a->out, "Write a copy that records the current SHA-256 of the files in --files-in");
    return [a]() { return run(*a); };
}

const cli::CommandRegistration reg{{"session", "Check a session's files, or copy it beside rebuilt files (--files-in, --out)", setup}};

} // namespace
