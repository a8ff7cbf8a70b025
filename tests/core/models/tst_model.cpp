// Model::load against models exported by PyTorch (tests/data/models/make_fixtures.py): id mapping,
// coverage, fast-path tensors, score_all, and one clear message for every broken model.
#include "core/common/error.h"
#include "core/data/datasetrepository.h"
#include "core/models/model.h"

#include <QTest>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

using namespace reclens;

namespace {

const std::string kDir = RECLENS_TEST_DATA "/models/";

// model -> user -> scores by rank (from numpy)
std::map<std::string, std::map<std::string, std::vector<double>>> expected_scores()
{
    std::map<std::string, std::map<std::string, std::vector<double>>> out;
    std::ifstream in(kDir + "expected_topk.csv");
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
        std::stringstream ss(line);
        std::string model, user, rank, item, score;
        std::getline(ss, model, ',');
        std::getline(ss, user, ',');
        std::getline(ss, rank, ',');
        std::getline(ss, item, ',');
        std::getline(ss, score, ',');
        out[model][user].push_back(std::stod(score));
    }
    return out;
}

} // namespace

class ModelTest : public QObject {
    Q_OBJECT

private:
    Dataset m_dataset;

private Q_SLOTS:
    void initTestCase() { m_dataset = load_dataset(kDir + "dataset.sqlite"); }

    void twoTowerMapsIds()
    {
        auto model = Model::load(kDir + "two_tower.pt", m_dataset);
        const auto &info = model->info();
        QVERIFY(info.has_embeddings);
        QVERIFY(info.has_bias);
        QCOMPARE(info.dim, 8);
        QCOMPARE(info.model_items, 61); // 57 dataset items + 4 unknown ones
        QCOMPARE(info.model_users, 39);
        QCOMPARE(info.matched_items, 57);
        QCOMPARE(info.matched_users, 38);
        QCOMPARE(info.unmatched_item_examples, (std::vector<std::string>{"i005", "i017", "i042"}));
        QCOMPARE(info.unmatched_user_examples, (std::vector<std::string>{"u008", "u021"}));
        QCOMPARE(model->item_embeddings().size(), size_t(60 * 8));
        QCOMPARE(model->user_embeddings().size(), size_t(40 * 8));
        QCOMPARE(model->item_bias().size(), size_t(60));
        QVERIFY(!model->item_matched(m_dataset.find_item("i005")));
        QVERIFY(model->item_matched(m_dataset.find_item("i006")));
        QVERIFY(!model->user_matched(m_dataset.find_user("u021")));
        const auto row = model->item_embeddings().subspan(size_t(m_dataset.find_item("i017")) * 8, 8);
        for (float x : row)
            QCOMPARE(x, 0.0f);
    }

    void scoreAllAgreesWithNumpy_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addRow("two_tower") << "two_tower";
        QTest::addRow("score_only") << "score_only";
    }

    // The best unseen score per user from score_all equals numpy's rank-1 score; unknown items and
    // users score -inf.
    void scoreAllAgreesWithNumpy()
    {
        QFETCH(QString, model);
        const auto expected = expected_scores().at(model.toStdString());
        auto m = Model::load(kDir + model.toStdString() + ".pt", m_dataset);
        int checked = 0;
        for (int32_t u = 0; u < m_dataset.n_users(); ++u) {
            const auto scores = m->score_all(u);
            QCOMPARE(scores.size(), size_t(m_dataset.n_items()));
            QVERIFY(std::isinf(scores[size_t(m_dataset.find_item("i042"))]));
            const auto it = expected.find(m_dataset.user_external[size_t(u)]);
            if (it == expected.end()) {
                QVERIFY(!m->user_matched(u));
                QVERIFY(std::isinf(scores[0]) && scores[0] < 0);
                continue;
            }
            float best = -INFINITY;
            for (int32_t i = 0; i < m_dataset.n_items(); ++i)
                if (!m_dataset.train.contains(u, i))
                    best = std::max(best, scores[size_t(i)]);
            QVERIFY2(std::abs(best - it->second.front()) < 1e-4, m_dataset.user_external[size_t(u)].c_str());
            ++checked;
        }
        QCOMPARE(checked, 38);
    }

    void fromEmbeddings()
    {
        const int d = 2;
        std::vector<float> users(size_t(m_dataset.n_users()) * d, 1.0f), items(size_t(m_dataset.n_items()) * d, 0.5f);
        auto model = Model::from_embeddings(m_dataset, users, items, d, "generated");
        QCOMPARE(model->info().matched_items, int64_t(m_dataset.n_items()));
        QCOMPARE(model->score_all(0)[3], 1.0f);
        QVERIFY_THROWS_EXCEPTION(Error, Model::from_embeddings(m_dataset, users, {1.0f}, d, "bad"));
        items[1] = NAN;
        QVERIFY_THROWS_EXCEPTION(Error, Model::from_embeddings(m_dataset, users, items, d, "bad"));
    }

    void brokenModelsAreRefused_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("message");
        QTest::addRow("missing file") << "broken/does_not_exist.pt" << "not found";
        QTest::addRow("random bytes") << "broken/not_torchscript.pt" << "not a TorchScript archive";
        QTest::addRow("empty file") << "broken/empty.pt" << "not a TorchScript archive";
        QTest::addRow("a dataset, not a model") << "dataset.sqlite" << "not a TorchScript archive";
        QTest::addRow("no item_ids") << "broken/no_methods.pt" << "no item_ids()";
        QTest::addRow("ids only") << "broken/ids_only.pt" << "neither user_embeddings()/item_embeddings() nor score";
        QTest::addRow("dimension mismatch") << "broken/dim_mismatch.pt" << "same non-zero dimension";
        QTest::addRow("row mismatch") << "broken/row_mismatch.pt" << "item_embeddings() has 60 rows but item_ids() lists 61";
        QTest::addRow("integer embeddings") << "broken/int_embeddings.pt" << "item_embeddings() returned dtype Long";
        QTest::addRow("inf in embeddings") << "broken/inf_embeddings.pt" << "item_embeddings() contains NaN or Inf";
        QTest::addRow("nan score") << "broken/nan_score.pt" << "score() returned NaN or Inf";
        QTest::addRow("score wrong shape") << "broken/score_wrong_shape.pt" << "returned shape [3], expected [2, 3]";
        QTest::addRow("low coverage") << "broken/low_coverage.pt" << "matches only 20 of 60 dataset items";
    }

    void brokenModelsAreRefused()
    {
        QFETCH(QString, file);
        QFETCH(QString, message);
        const std::string path = kDir + file.toStdString();
        try {
            Model::load(path, m_dataset);
            QFAIL("no error");
        } catch (const Error &e) {
            const std::string what = e.what();
            QVERIFY2(what.find(path) == 0, what.c_str());                      // names the file first
            QVERIFY2(what.find(message.toStdString()) != std::string::npos, what.c_str());
            QVERIFY2(what.find('\n') == std::string::npos, what.c_str());     // one line
        }
    }

    void lowCoverageNamesUnmatchedIds()
    {
        try {
            Model::load(kDir + "broken/low_coverage.pt", m_dataset);
            QFAIL("no error");
        } catch (const Error &e) {
            QVERIFY2(std::string(e.what()).find("'i020'") != std::string::npos, e.what());
        }
    }
};

QTEST_APPLESS_MAIN(ModelTest)
#include "tst_model.moc"
