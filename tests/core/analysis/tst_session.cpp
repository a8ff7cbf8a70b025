// Session files (DESIGN §10): what is written, how paths travel, how changed, moved, broken,
// truncated and newer files are told apart, and the rules by name.
#include "core/analysis/session.h"
#include "core/common/error.h"
#include "core/common/files.h"
#include "../metrics/toydataset.h"

#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using namespace reclens;
namespace fs = std::filesystem;

namespace {

// Items i0..i5; categories Fresh > Fruit, Fresh > Veg and Dry > Fruit (a second "Fruit" under
// another parent), brands Acme and Zed.
Dataset toy()
{
    test::ToySpec s;
    s.n_items = 6;
    s.train = {{0}, {2}};
    s.test = {{1}, {3}};
    s.categories = {{"Fresh", -1}, {"Fruit", 0}, {"Veg", 0}, {"Dry", -1}, {"Fruit", 3}};
    s.item_category = {1, 2, 4, 1, -1, 2};
    s.brands = {"Acme", "Zed"};
    s.item_brand = {0, 1, 0, -1, 1, 0};
    return test::make_toy(s);
}

std::string hex_of(const std::string &path) { return sha256_file(path, "test file"); }

void write_text(const std::string &path, const std::string &text) { std::ofstream(path, std::ios::binary) << text; }

std::string read_text(const std::string &path)
{
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), {}};
}

// The message of the Error that `f` throws (empty when it throws none).
template <class F> std::string error_of(F &&f)
{
    try {
        f();
    } catch (const Error &e) {
        return e.what();
    }
    return {};
}

} // namespace

class TestSession : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    std::string path(const std::string &name) const { return m_dir.filePath(QString::fromStdString(name)).toStdString(); }

    // A session over two files in a folder `sub` of the temporary folder, and a model outside it.
    Session make(const std::string &sub)
    {
        fs::create_directories(path(sub + "/models"));
        write_text(path(sub + "/data.sqlite"), "dataset bytes " + sub);
        write_text(path(sub + "/models/a.pt"), "model bytes a");
        write_text(path("outside.trec"), "u0 Q0 i1 1 0.5 x\n");
        Session s;
        s.dataset = path(sub + "/data.sqlite");
        s.dataset_sha256 = hex_of(s.dataset);
        s.sources = {{SessionSource::Kind::model, path(sub + "/models/a.pt"), hex_of(path(sub + "/models/a.pt")), "a"},
                     {SessionSource::Kind::run, path("outside.trec"), hex_of(path("outside.trec")), "x"}};
        s.rerank.method = RerankMethod::mmr;
        s.rerank.diversity = 0.35;
        s.rerank.similarity = SimilarityKind::category;
        s.rerank.category_level = 2;
        s.rerank.max_per_category = 3;
        s.rerank.k = 7;
        s.pool = 50;
        s.compared = {1};
        s.baseline_column = 2;
        s.compared_reranked = true;
        s.rules = {{MerchRule::Kind::boost_category, {"Dry", "Fruit"}, 1.5, 0.0, 1},
                   {MerchRule::Kind::pin_item, {"i3"}, 1.0, 0.0, 2}};
        s.user = "u1";
        s.story = {{"u1", "buys fruit, sees fruit"}, {"u0", "a note with \"quotes\" and ü"}};
        s.bars_level = 2;
        s.roc = "pool";
        s.page = "summary";
        return s;
    }

private slots:
    void roundTripWithRelativePaths()
    {
        const Session s = make("a");
        const std::string file = path("a/demo.reclens");
        write_session(s, file);
        const nlohmann::json j = nlohmann::json::parse(read_text(file));
        QCOMPARE(j["format"].get<std::string>(), std::string("reclens-session"));
        QCOMPARE(j["version"].get<int>(), 1);
        // Below the session's folder: relative; elsewhere: absolute.
        QCOMPARE(j["dataset"]["path"].get<std::string>(), std::string("data.sqlite"));
        QCOMPARE(j["sources"][0]["path"].get<std::string>(), std::string("models/a.pt"));
        QCOMPARE(j["sources"][1]["path"].get<std::string>(), path("outside.trec"));
        QVERIFY(j["rules"][0]["target"] == nlohmann::json::array({"Dry", "Fruit"}));
        QCOMPARE(j["rules"][1]["target"].get<std::string>(), std::string("i3"));
        const Session back = read_session(file);
        QVERIFY(back == s);
        QVERIFY(check_session_files(back).empty());
    }

    void movedFolderStillOpens()
    {
        const Session s = make("b");
        write_session(s, path("b/s.reclens"));
        fs::rename(path("b"), path("b2"));
        const Session back = read_session(path("b2/s.reclens"));
        QCOMPARE(back.dataset, path("b2/data.sqlite"));
        QCOMPARE(back.sources[0].path, path("b2/models/a.pt"));
        QVERIFY(check_session_files(back).empty());
    }

    void changedAndMissingFilesAreNamed()
    {
        const Session s = make("c");
        write_session(s, path("c/s.reclens"));
        write_text(path("c/models/a.pt"), "model bytes a, retrained");
        fs::remove(path("c/data.sqlite"));
        const Session back = read_session(path("c/s.reclens"));
        const auto problems = check_session_files(back);
        QCOMPARE(problems.size(), size_t(2));
        QCOMPARE(problems[0].kind, SessionFileProblem::Kind::missing);
        QCOMPARE(problems[0].source, -1);
        QCOMPARE(problems[1].kind, SessionFileProblem::Kind::changed);
        QCOMPARE(problems[1].source, 0);
        QCOMPARE(problems[1].actual_sha256, hex_of(path("c/models/a.pt")));
        const std::string e = error_of([&] { require_session_files(back, path("c/s.reclens")); });
        QVERIFY2(e.find("dataset " + path("c/data.sqlite") + " is missing") != std::string::npos, e.c_str());
        QVERIFY2(e.find("model 1 (a) " + path("c/models/a.pt") + " changed") != std::string::npos, e.c_str());
        QVERIFY(e.find('\n') == std::string::npos);
    }

    void badFilesGetOneLine_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        const Session s = make("d");
        const std::string good = session_json(s, path("d/s.reclens"));
        auto edited = [&](const std::function<void(nlohmann::ordered_json &)> &edit) {
            auto j = nlohmann::ordered_json::parse(good);
            edit(j);
            return QString::fromStdString(j.dump(2));
        };
        QTest::newRow("truncated") << QString::fromStdString(good.substr(0, good.size() / 2)) << "ends early";
        QTest::newRow("not json") << "PK\x03\x04 zip bytes" << "not a RecLens session: not JSON";
        QTest::newRow("other json") << R"({"format": "something-else"})" << "not a RecLens session";
        QTest::newRow("newer") << edited([](auto &j) { j["version"] = 2; })
                               << "saved by a newer RecLens (session version 2; this one reads up to version 1)";
        QTest::newRow("missing field") << edited([](auto &j) { j["settings"].erase("pool"); })
                                       << "'settings.pool' is missing";
        QTest::newRow("wrong type") << edited([](auto &j) { j["settings"]["diversity"] = "high"; })
                                    << "'settings.diversity' must be a number";
        QTest::newRow("delta outside") << edited([](auto &j) { j["settings"]["diversity"] = 1.5; })
                                       << "'settings.diversity' 1.500000 is outside [0,1]";
        QTest::newRow("unknown method") << edited([](auto &j) { j["settings"]["rerank"] = "shuffle"; })
                                        << "settings: unknown re-ranker";
        QTest::newRow("unknown rule") << edited([](auto &j) { j["rules"][0]["kind"] = "hide"; })
                                      << "rules[0]: unknown rule kind 'hide'";
        QTest::newRow("category as text") << edited([](auto &j) { j["rules"][0]["target"] = "Fruit"; })
                                          << "'rules[0].target' must be the category's path";
        QTest::newRow("unknown roc") << edited([](auto &j) { j["plots"]["roc"] = "some"; })
                                     << "'plots.roc' is 'some', not items or pool";
        QTest::newRow("blank story user") << edited([](auto &j) { j["story"][0]["user"] = ""; })
                                          << "'story[0].user' is empty";
        QTest::newRow("compared beyond sources") << edited([](auto &j) { j["settings"]["compared"] = {1, 2}; })
                                                 << "'settings.compared' names source 2 twice or beyond the 2 sources";
        QTest::newRow("compared primary") << edited([](auto &j) { j["settings"]["compared"] = {0}; })
                                          << "'settings.compared' names source 0";
        QTest::newRow("baseline beyond columns") << edited([](auto &j) { j["settings"]["baseline_column"] = 3; })
                                                 << "'settings.baseline_column' 3 is not one of the 3 list columns";
        QTest::newRow("empty") << "" << "the session file is empty";
        // Found by tests/fuzz/fuzz_session: valid JSON whose number no double holds ended the program.
        const QString huge = QString::fromStdString(good).replace(
            QStringLiteral("\"k\": 7,"), QStringLiteral("\"k\": 1.327e715,"));
        QTest::newRow("number beyond double") << huge << "not a RecLens session: number overflow parsing '1.327e715'";
    }

    // A version-1 file from before "compared": "second_model" true shows the second source.
    void secondModelOfEarlierFiles()
    {
        const Session s = make("g");
        auto j = nlohmann::ordered_json::parse(session_json(s, path("g/s.reclens")));
        j["settings"].erase("compared");
        j["settings"].erase("baseline_column");
        const std::string file = path("g/old.reclens");
        write_text(file, j.dump(2));
        QCOMPARE(read_session(file).compared, std::vector<int> { 1 });
        QCOMPARE(read_session(file).baseline_column, 0);
        j["settings"]["second_model"] = false;
        write_text(file, j.dump(2));
        QVERIFY(read_session(file).compared.empty());
    }
    void badFilesGetOneLine()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const std::string file = path("d/bad.reclens");
        write_text(file, text.toStdString());
        const std::string e = error_of([&] { read_session(file); });
        QVERIFY2(e.find(expected.toStdString()) != std::string::npos, e.c_str());
        QVERIFY2(e.rfind(file, 0) == 0, e.c_str()); // names the file first
        QVERIFY(e.find('\n') == std::string::npos);
    }

    void neverWritesOverItsOwnFiles()
    {
        const Session s = make("e");
        const std::string before = read_text(s.dataset);
        const std::string e = error_of([&] { write_session(s, s.dataset); });
        QVERIFY2(e.find("same file") != std::string::npos, e.c_str());
        QCOMPARE(read_text(s.dataset), before);
    }

    void rulesByName()
    {
        const Dataset ds = toy();
        const Session s = make("f");
        const auto rules = resolve_rules(s.rules, ds);
        QCOMPARE(rules.size(), size_t(2));
        QCOMPARE(rules[0].target, 4); // Dry > Fruit, not Fresh > Fruit (index 1)
        QCOMPARE(rules[0].factor, 1.5);
        QCOMPARE(rules[1].target, 3);
        QCOMPARE(rules[1].rank, 2);
        QVERIFY(describe_rules(rules, ds) == s.rules);
        std::vector<SessionRule> brand{{MerchRule::Kind::bury_brand, {"Zed"}, 2.0, 0.1, 1}};
        QCOMPARE(resolve_rules(brand, ds)[0].target, 1);
        QVERIFY(describe_rules(resolve_rules(brand, ds), ds) == brand);

        for (const SessionRule &bad : {SessionRule{MerchRule::Kind::exclude_item, {"i99"}},
                                       SessionRule{MerchRule::Kind::exclude_brand, {"acme"}},
                                       SessionRule{MerchRule::Kind::exclude_category, {"Fruit"}},
                                       SessionRule{MerchRule::Kind::exclude_category, {"Veg", "Fresh"}}}) {
            const std::string e = error_of([&] { resolve_rules({bad}, ds); });
            QVERIFY2(e.find("rule 1 (") == 0 && e.find("which is not in the dataset") != std::string::npos, e.c_str());
        }
        // Embedding similarity without embeddings is category similarity, as the app shows it.
        Session e = s;
        e.rerank.similarity = SimilarityKind::embedding;
        QCOMPARE(session_rerank(e, ds, false).similarity, SimilarityKind::category);
        QCOMPARE(session_rerank(e, ds, true).similarity, SimilarityKind::embedding);
        QCOMPARE(session_rerank(e, ds, true).rules.size(), size_t(2));
    }
};

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
