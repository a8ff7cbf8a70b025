// Built-in models: popularity counted by hand, item-kNN on a hand-computed case, BPR determinism and
// better-than-random ranking, and the saved archives read back by Model::load and by Python torch.
#include "core/common/error.h"
#include "core/models/builtin.h"
#include "core/models/model.h"
#include "core/scoring/scorer.h"
#include "memorydataset.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <thread>

using namespace reclens;

namespace {

// Users 0..2: {0,1}, {0,1,2}, {2,3} (see itemKnnHandComputed for the numbers).
Dataset tiny() { return test::memory_dataset(4, {{0, 1}, {0, 1, 2}, {2, 3}}); }

// Two taste clusters: users of cluster c only touch items of cluster c. Test items are further
// items of the same cluster, so any model that learns the clusters ranks them above the rest.
Dataset clustered(uint32_t seed)
{
    std::mt19937 rng(seed);
    const int items_per_cluster = 20;
    std::vector<std::vector<int32_t>> train, test;
    for (int u = 0; u < 60; ++u) {
        const int cluster = u % 2;
        std::vector<int32_t> pool;
        for (int i = 0; i < items_per_cluster; ++i)
            pool.push_back(cluster * items_per_cluster + i);
        std::shuffle(pool.begin(), pool.end(), rng);
        train.emplace_back(pool.begin(), pool.begin() + 8);
        test.emplace_back(pool.begin() + 8, pool.begin() + 10);
    }
    return test::memory_dataset(2 * items_per_cluster, train, test);
}

// Mean per-user AUC of test items against all other non-train items.
double mean_auc(const Dataset &d, const std::vector<std::vector<float>> &scores)
{
    double total = 0;
    int users = 0;
    for (int32_t u = 0; u < d.n_users(); ++u) {
        std::vector<float> pos, neg;
        for (int32_t i = 0; i < d.n_items(); ++i) {
            if (d.train.contains(u, i))
                continue;
            (d.test.contains(u, i) ? pos : neg).push_back(scores[size_t(u)][size_t(i)]);
        }
        if (pos.empty() || neg.empty())
            continue;
        double wins = 0;
        for (float p : pos)
            for (float n : neg)
                wins += p > n ? 1.0 : (p == n ? 0.5 : 0.0);
        total += wins / double(pos.size() * neg.size());
        ++users;
    }
    return total / users;
}

QString python_with_torch()
{
    for (const char *candidate : {"/usr/bin/python3", "python3"}) {
        const QString exe = QStandardPaths::findExecutable(QString::fromLatin1(candidate));
        if (exe.isEmpty())
            continue;
        QProcess p;
        p.start(exe, {QStringLiteral("-c"), QStringLiteral("import torch")});
        if (p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0)
            return exe;
    }
    return {};
}

} // namespace

class BuiltinModelTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void popularityCountsDistinctTrainUsers()
    {
        const auto d = tiny();
        const auto model = PopularityModel::fit(d);
        QCOMPARE(model.item_scores(), (std::vector<float>{2, 2, 2, 1}));
    }

    void itemKnnHandComputed()
    {
        // Column sizes |U_i| = 2, 2, 2, 1. Co-counts: (0,1) = 2, (0,2) = 1, (1,2) = 1, (2,3) = 1.
        // sim(0,1) = 2/2 = 1, sim(0,2) = sim(1,2) = 1/2, sim(2,3) = 1/sqrt(2).
        const auto d = tiny();
        const auto model = ItemKnnModel::fit(d, 2);
        const float r = float(1.0 / std::sqrt(2.0));
        QCOMPARE(std::vector<int32_t>(model.neighbour_items(0).begin(), model.neighbour_items(0).end()),
                 (std::vector<int32_t>{1, 2}));
        QCOMPARE(std::vector<int32_t>(model.neighbour_items(2).begin(), model.neighbour_items(2).end()),
                 (std::vector<int32_t>{3, 0})); // 0 and 1 tie at 1/2: lower index kept
        QCOMPARE(std::vector<int32_t>(model.neighbour_items(3).begin(), model.neighbour_items(3).end()),
                 (std::vector<int32_t>{2}));
        QCOMPARE(model.neighbour_similarities(0)[0], 1.0f);
        QCOMPARE(model.neighbour_similarities(2)[0], r);
        // u0 = {0,1}: item 0's neighbours add 1 to item 1 and 1/2 to item 2; item 1's add 1 to 0, 1/2 to 2.
        QCOMPARE(model.score(d, 0), (std::vector<float>{1.0f, 1.0f, 1.0f, 0.0f}));
        // u2 = {2,3}: item 2 adds 1/sqrt2 to 3 and 1/2 to 0; item 3 adds 1/sqrt2 to 2.
        QCOMPARE(model.score(d, 2), (std::vector<float>{0.5f, 0.0f, r, r}));
        QVERIFY_THROWS_EXCEPTION(Error, ItemKnnModel::fit(d, -1));
    }

    void itemKnnKeepsEveryNeighbourByDefault()
    {
        // 300 items, 120 users with 30-60 items each: items co-occur with far more than 50 others, so a
        // neighbour cut changes the scores. The default model must equal the definition,
        // score(u, i) = Σ_{j in train_u, j != i} |U_i ∩ U_j| / sqrt(|U_i| |U_j|), computed here directly.
        std::mt19937 rng(11);
        std::vector<std::vector<int32_t>> rows(120);
        for (auto &row : rows) {
            std::vector<int32_t> all(300);
            std::iota(all.begin(), all.end(), 0);
            std::shuffle(all.begin(), all.end(), rng);
            row.assign(all.begin(), all.begin() + 30 + static_cast<int>(rng() % 31));
            std::sort(row.begin(), row.end());
        }
        const auto d = test::memory_dataset(300, rows);
        const auto model = ItemKnnModel::fit(d, TrainOptions{}.neighbours);
        QVERIFY(model.neighbour_items(0).size() > 200);
        std::vector<std::vector<int>> users_of(300);
        for (int u = 0; u < 120; ++u)
            for (int32_t i : rows[u])
                users_of[i].push_back(u);
        for (int32_t u : {0, 57, 119}) {
            const auto got = model.score(d, u);
            for (int32_t i = 0; i < 300; ++i) {
                double want = 0;
                for (int32_t j : rows[u]) {
                    if (j == i)
                        continue;
                    std::vector<int> both;
                    std::set_intersection(users_of[i].begin(), users_of[i].end(), users_of[j].begin(),
                                          users_of[j].end(), std::back_inserter(both));
                    want += both.size() / std::sqrt(double(users_of[i].size()) * double(users_of[j].size()));
                }
                QVERIFY2(std::abs(got[i] - want) < 1e-5, qPrintable(QStringLiteral("user %1 item %2").arg(u).arg(i)));
            }
        }
        // A cut keeps the most similar, ties by more train users.
        const auto cut = ItemKnnModel::fit(d, 5);
        QCOMPARE(cut.neighbour_items(0).size(), size_t(5));
        for (size_t n = 1; n < 5; ++n)
            QVERIFY(cut.neighbour_similarities(0)[n - 1] >= cut.neighbour_similarities(0)[n]);
    }

    void easeSolvesItsClosedForm()
    {
        // B = I − P diag(1/diag P) with P = (G + λI)⁻¹ gives (G + λI) B = G + λI − diag(1/diag P), so off
        // the diagonal Σ_k (G + λI)_ik B_kj = G_ij, with G counted here from the histories.
        const auto d = test::memory_dataset(6, {{0, 1, 2}, {0, 1}, {1, 2, 3}, {3, 4}, {4, 5, 0}, {2, 5}, {0, 3, 5}});
        TrainOptions options;
        options.lambda = 2.0;
        options.min_item_users = 1;
        const auto model = EaseModel::fit(d, options);
        QCOMPARE(model.support().size(), size_t(6));
        double g[6][6] = {};
        for (int32_t u = 0; u < d.n_users(); ++u)
            for (int32_t a : d.train.row(u))
                for (int32_t b : d.train.row(u))
                    g[a][b] += 1;
        const auto w = model.weights();
        for (int i = 0; i < 6; ++i) {
            QCOMPARE(w[static_cast<size_t>(i) * 6 + i], 0.0f);
            for (int j = 0; j < 6; ++j) {
                if (i == j)
                    continue;
                double lhs = 0;
                for (int k = 0; k < 6; ++k)
                    lhs += (g[i][k] + (i == k ? options.lambda : 0.0)) * w[static_cast<size_t>(k) * 6 + j];
                QVERIFY2(std::abs(lhs - g[i][j]) < 1e-5, qPrintable(QStringLiteral("%1,%2: %3 vs %4").arg(i).arg(j).arg(lhs).arg(g[i][j])));
            }
        }
        // Items under the support score the floor, below every supported item; saved = in memory.
        options.min_item_users = 3;
        const auto small = EaseModel::fit(d, options);
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("ease.pt")).toStdString();
        small.save(path, d);
        auto loaded = Model::load(path, d);
        for (int32_t u = 0; u < d.n_users(); ++u) {
            const auto a = loaded->score_all(u), b = small.score(d, u);
            for (size_t i = 0; i < a.size(); ++i)
                QVERIFY(std::abs(a[i] - b[i]) < 1e-5);
            for (int32_t i = 0; i < 6; ++i)
                if (d.popularity[i] < 3)
                    QVERIFY(b[i] < *std::min_element(b.begin(), b.end()) + 1e-9 || b[i] == small.floor());
        }
        options.lambda = 0;
        QVERIFY_THROWS_EXCEPTION(Error, EaseModel::fit(d, options));
    }

    void savedModelsLoadBack()
    {
        const auto d = tiny();
        QTemporaryDir dir;
        const std::string pop = dir.filePath(QStringLiteral("pop.pt")).toStdString();
        const std::string knn = dir.filePath(QStringLiteral("knn.pt")).toStdString();
        PopularityModel::fit(d).save(pop, d);
        const auto knn_model = ItemKnnModel::fit(d, 2);
        knn_model.save(knn, d);
        auto loaded_pop = Model::load(pop, d);
        QVERIFY(loaded_pop->info().has_score && loaded_pop->info().has_embeddings);
        QCOMPARE(loaded_pop->dim(), 1);
        QCOMPARE(loaded_pop->score_all(1), (std::vector<float>{2, 2, 2, 1}));
        auto loaded_knn = Model::load(knn, d);
        for (int32_t u = 0; u < d.n_users(); ++u) {
            const auto a = loaded_knn->score_all(u), b = knn_model.score(d, u);
            for (size_t i = 0; i < a.size(); ++i)
                QVERIFY(std::abs(a[i] - b[i]) < 1e-6);
        }
        QVERIFY(!QFile::exists(QString::fromStdString(pop + ".part")));
        QVERIFY_THROWS_EXCEPTION(Error, PopularityModel::fit(d).save("/nonexistent-folder/x.pt", d));
    }

    void bprIsDeterministicAndLearns()
    {
        const auto d = clustered(3);
        TrainOptions options;
        options.dim = 8;
        options.epochs = 30;
        options.batch_size = 64;
        options.lr = 0.05;
        options.seed = 11;
        std::vector<double> fractions;
        auto a = BprModel::train(d, options, [&](double f, std::string_view) {
            fractions.push_back(f);
            return true;
        });
        QCOMPARE(fractions.size(), size_t(30));
        QCOMPARE(fractions.back(), 1.0);
        auto b = BprModel::train(d, options);
        QVERIFY(std::equal(a.item_embeddings().begin(), a.item_embeddings().end(), b.item_embeddings().begin()));
        QVERIFY(std::equal(a.user_embeddings().begin(), a.user_embeddings().end(), b.user_embeddings().begin()));
        QVERIFY(a.epoch_loss().back() < a.epoch_loss().front());
        options.seed = 12;
        auto c = BprModel::train(d, options);
        QVERIFY(!std::equal(a.item_embeddings().begin(), a.item_embeddings().end(), c.item_embeddings().begin()));

        // Held-out ranking: test items of the user's own cluster must beat the other cluster's.
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("bpr.pt")).toStdString();
        a.save(path, d);
        auto model = Model::load(path, d);
        QVERIFY(model->info().has_embeddings && model->info().has_bias);
        QCOMPARE(model->dim(), 8);
        std::vector<std::vector<float>> scores;
        for (int32_t u = 0; u < d.n_users(); ++u)
            scores.push_back(model->score_all(u));
        const double auc = mean_auc(d, scores);
        qInfo("BPR held-out AUC %.3f (random = 0.5)", auc);
        QVERIFY(auc > 0.7); // a perfect cluster learner expects ~0.83 here
    }

    void trainingLeavesThreadsAlone()
    {
        // Training on one thread must not leave the scorer (and the status bar) at one thread.
        const auto d = clustered(3);
        TrainOptions options;
        options.dim = 4;
        options.epochs = 1;
        options.threads = 1;
        BprModel::train(d, options);
        const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
        const std::string want = "CPU (" + std::to_string(cores) + (cores == 1 ? " thread)" : " threads)");
        QCOMPARE(QString::fromStdString(device_description("cpu")), QString::fromStdString(want));
    }

    void bprCancels()
    {
        const auto d = clustered(4);
        TrainOptions options;
        options.epochs = 5;
        int calls = 0;
        QVERIFY_THROWS_EXCEPTION(Cancelled, BprModel::train(d, options, [&](double, std::string_view) {
            return ++calls < 2;
        }));
        QCOMPARE(calls, 2);
    }

    // The archives are ordinary TorchScript: Python's torch.jit.load reads them and sees the methods.
    void pythonReadsSavedModels()
    {
        const QString python = python_with_torch();
        if (python.isEmpty())
            QSKIP("python3 with torch not available");
        const auto d = tiny();
        QTemporaryDir dir;
        const QString bpr = dir.filePath(QStringLiteral("bpr.pt")), knn = dir.filePath(QStringLiteral("knn.pt"));
        TrainOptions options;
        options.dim = 4;
        options.epochs = 2;
        const auto model = BprModel::train(d, options);
        model.save(bpr.toStdString(), d);
        ItemKnnModel::fit(d, 2).save(knn.toStdString(), d);
        const QString script = QStringLiteral(
            "import sys, torch\n"
            "m = torch.jit.load(sys.argv[1])\n"
            "print(','.join(m.item_ids()), ','.join(m.user_ids()), tuple(m.item_embeddings().shape),\n"
            "      tuple(m.user_embeddings().shape), float(m.score(torch.tensor([1]), torch.tensor([2]))[0, 0]))\n"
            "k = torch.jit.load(sys.argv[2])\n"
            "print(k.score(torch.tensor([0, 2]), torch.tensor([0, 1, 2, 3])).tolist())\n");
        QProcess p;
        p.start(python, {QStringLiteral("-c"), script, bpr, knn});
        QVERIFY(p.waitForFinished(120000));
        const QString out = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
        QVERIFY2(p.exitCode() == 0, qPrintable(QString::fromUtf8(p.readAllStandardError())));
        const auto lines = out.split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 2);
        auto u = model.user_embeddings().subspan(4, 4), v = model.item_embeddings().subspan(8, 4);
        double expected = model.item_bias()[2];
        for (int k = 0; k < 4; ++k)
            expected += double(u[size_t(k)]) * v[size_t(k)];
        QVERIFY2(lines[0].startsWith(QStringLiteral("i0,i1,i2,i3 u0,u1,u2 (4, 4) (3, 4) ")), qPrintable(lines[0]));
        QVERIFY(std::abs(lines[0].section(QLatin1Char(' '), -1).toDouble() - expected) < 2e-4);
        QCOMPARE(lines[1], QStringLiteral("[[1.0, 1.0, 1.0, 0.0], [0.5, 0.0, 0.7071067690849304, 0.7071067690849304]]"));
    }
};

QTEST_APPLESS_MAIN(BuiltinModelTest)
#include "tst_builtin.moc"
