// reclens-cli train popularity|itemknn|ease|bpr --data D.sqlite --out M.pt [...]: fits a built-in model on
// the dataset's train split and saves it as TorchScript (DESIGN §3, §4).
#include "app/cli/command.h"
#include "app/cli/enginecommands.h"
#include "core/common/error.h"
#include "core/common/files.h"
#include "core/common/progress.h"
#include "core/data/datasetrepository.h"
#include "core/models/builtin.h"

#include <cstdio>
#include <filesystem>
#include <memory>

namespace {

struct TrainArgs {
    std::string kind;
    std::string data;
    std::string out;
    reclens::TrainOptions options;
};

int run_train(const TrainArgs &args)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    reclens::check_outputs({{args.data, "--data"}}, {{args.out, "--out"}});
    const fs::path out_dir = fs::path(args.out).has_parent_path() ? fs::path(args.out).parent_path() : fs::path(".");
    if (!fs::is_directory(out_dir, ec)) // fail before a long training run, not after it
        throw reclens::Error(reclens::located(args.out, "cannot write the model: folder '" + out_dir.string()
                                                            + "' does not exist; create it first"));
    reclens::Stopwatch total;
    const auto dataset = reclens::load_dataset(args.data, reclens::cli::print_progress);
    std::printf("dataset %s: %d users, %d items, %lld train interactions\n", args.data.c_str(), dataset.n_users(),
                dataset.n_items(), static_cast<long long>(dataset.train.nnz()));
    std::fflush(stdout);
    reclens::Stopwatch fit;
    std::string detail;
    if (args.kind == "popularity") {
        reclens::PopularityModel::fit(dataset).save(args.out, dataset);
        detail = "popularity = distinct train users per item";
    } else if (args.kind == "itemknn") {
        const auto model = reclens::ItemKnnModel::fit(dataset, args.options.neighbours, reclens::cli::print_progress);
        model.save(args.out, dataset);
        detail = (args.options.neighbours == 0 ? std::string("all co-occurring items as neighbours")
                                               : std::to_string(args.options.neighbours) + " neighbours per item")
                 + ", " + std::to_string(model.nnz()) + " similarities";
    } else if (args.kind == "ease") {
        const auto model = reclens::EaseModel::fit(dataset, args.options, reclens::cli::print_progress);
        model.save(args.out, dataset);
        char text[200];
        std::snprintf(text, sizeof text, "lambda %g, %zu items with at least %d train users of %d", model.lambda(),
                      model.support().size(), args.options.min_item_users, dataset.n_items());
        detail = text;
    } else {
        reclens::Stopwatch epoch_watch;
        const auto model = reclens::BprModel::train(dataset, args.options, [&](double, std::string_view stage) {
            std::printf("%.*s (%.2f s)\n", static_cast<int>(stage.size()), stage.data(), epoch_watch.elapsed_ms() / 1000);
            std::fflush(stdout);
            epoch_watch.restart();
            return true;
        });
        model.save(args.out, dataset);
        char text[160];
        std::snprintf(text, sizeof text, "dim %d, %d epochs, seed %llu, final loss %.4f", model.dim(), args.options.epochs,
                      static_cast<unsigned long long>(args.options.seed), model.epoch_loss().back());
        detail = text;
    }
    std::printf("trained %s (%s) in %.2f s; wrote %s (total %.2f s)\n", args.kind.c_str(), detail.c_str(),
                fit.elapsed_ms() / 1000, args.out.c_str(), total.elapsed_ms() / 1000);
    return 0;
}

const reclens::cli::CommandRegistration reg{{
    "train",
    std::string(reclens::cli::engine_description("train")),
    [](CLI::App &sub) -> std::function<int()> {
        auto args = std::make_shared<TrainArgs>();
        sub.add_option("model", args->kind, "popularity | itemknn | ease | bpr")
            ->required()
            ->check(CLI::IsMember({"popularity", "itemknn", "ease", "bpr"}));
        sub.add_option("--data", args->data, "dataset (.sqlite) whose train split is used")->required();
        sub.add_option("--out", args->out, "model file to write (.pt); written to a temporary name, then renamed")
            ->required();
        auto &o = args->options;
        sub.add_option("--dim", o.dim, "bpr: embedding dimension")->capture_default_str()->check(CLI::Range(1, 4096));
        sub.add_option("--epochs", o.epochs, "bpr: passes over the train interactions")
            ->capture_default_str()
            ->check(CLI::Range(1, 100000));
        sub.add_option("--seed", o.seed, "bpr: random seed (same seed and threads = same model)")->capture_default_str();
        sub.add_option("--lr", o.lr, "bpr: Adam learning rate")->capture_default_str()->check(CLI::PositiveNumber);
        sub.add_option("--reg", o.reg, "bpr: L2 regularisation")->capture_default_str()->check(CLI::NonNegativeNumber);
        sub.add_option("--batch-size", o.batch_size, "bpr: triples per step")
            ->capture_default_str()
            ->check(CLI::Range(1, 1 << 24));
        sub.add_option("--neighbours", o.neighbours, "itemknn: neighbours kept per item (0 = all co-occurring items)")
            ->capture_default_str()
            ->check(CLI::Range(0, 100000000));
        sub.add_option("--lambda", o.lambda, "ease: L2 weight on the item-item weights")
            ->capture_default_str()
            ->check(CLI::PositiveNumber);
        sub.add_option("--min-item-users", o.min_item_users,
                       "ease: items with fewer distinct train users stay out of the Gram matrix (and score last)")
            ->capture_default_str()
            ->check(CLI::Range(1, 1 << 30));
        sub.add_option("--threads", o.threads, "CPU threads (0 = all cores)")->capture_default_str();
        return [args] { return run_train(*args); };
    },
}};

} // namespace
