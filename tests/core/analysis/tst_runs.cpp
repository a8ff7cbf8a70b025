// Precomputed runs (DESIGN §11): reading TREC and CSV runs, what is reported and refused, and a
// run's evaluation, its metrics and rank-based AUC computed by hand.
#include "core/analysis/evaluation.h"
#include "core/analysis/report.h"
#include "core/analysis/sessionfiles.h"
#include "core/common/error.h"
#include "core/data/runfile.h"
#include "../metrics/toydataset.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <fstream>

using namespace reclens;

namespace {

// 4 users x 8 items. u0: train {i0}, test {i1, i5}; u1: train {i2}, test {i3}; u2: test {i4};
// u3: train {i6} only (not evaluated).
Dataset toy()
{
    test::ToySpec s;
    s.n_items = 8;
    s.train = {{0}, {2}, {}, {6}};
    s.test = {{1, 5}, {3}, {4}, {}};
    return test::make_toy(s);
}

const char *kRun = "u0 Q0 i1 2 0.5 tagA\n"  // rank 2
                   "u0 Q0 i0 1 0.9 tagA\n"  // rank 1, a train item
                   "u0 Q0 i3 3 0.7 tagA\n"  // the score rises below rank 2
                   "u0 Q0 i1 4 0.1 tagA\n"  // i1 again
                   "\n"
                   "u1\tQ0\ti4\t1\t0.8\ttagA\n"
                   "u1 Q0 i3 2 0.6 tagA\r\n"
                   "u1 Q0 i9 3 0.5 tagA\n"  // unknown item
                   "zz Q0 i1 1 1.0 tagA\n"; // unknown request

} // namespace

class TestRuns : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    std::string write(const char *name, const std::string &text)
    {
        const std::string p = m_dir.filePath(name).toStdString();
        std::ofstream(p, std::ios::binary) << text;
        return p;
    }

private slots:
    void trecRunInRankOrder()
    {
        const Dataset ds = toy();
        const Run run = load_run(write("a.trec", kRun), ds);
        QCOMPARE(run.name, std::string("tagA"));
        QCOMPARE(run.format, RunFormat::trec);
        const auto l0 = run.list(0);
        QCOMPARE(std::vector<int32_t>(l0.begin(), l0.end()), (std::vector<int32_t>{0, 1, 3}));
        const auto s0 = run.list_scores(0);
        QCOMPARE(std::vector<float>(s0.begin(), s0.end()), (std::vector<float>{0.9f, 0.5f, 0.7f}));
        const auto l1 = run.list(1);
        QCOMPARE(std::vector<int32_t>(l1.begin(), l1.end()), (std::vector<int32_t>{4, 3}));
        QVERIFY(run.list(2).empty());
        QCOMPARE(run.depth(), size_t{3});
        const RunReport &r = run.report;
        QCOMPARE(r.lines, int64_t{9});
        QCOMPARE(r.entries, int64_t{5});
        QCOMPARE(r.duplicates, int64_t{1});
        QCOMPARE(r.rank_disagreements, int64_t{1});
        QCOMPARE(r.unknown_item_lines, int64_t{1});
        QCOMPARE(r.first_unknown_item, std::string("line 8: 'i9'"));
        QCOMPARE(r.unknown_requests, int64_t{1});
        QCOMPARE(r.first_unknown_request, std::string("line 9: 'zz'"));
        QCOMPARE(r.warnings().size(), size_t{4});
    }

    void csvRuns()
    {
        const Dataset ds = toy();
        // No rank column: by score, highest first, ties in line order; a header is optional.
        Run a = load_run(write("a.csv", "user_id,item_id,score\nu0,i2,0.1\nu0,i1,0.3\n\"u0\",\"i3\",0.3\n"), ds);
        QVERIFY(!a.report.has_rank);
        QCOMPARE(std::vector<int32_t>(a.list(0).begin(), a.list(0).end()), (std::vector<int32_t>{1, 3, 2}));
        QCOMPARE(a.name, std::string("a"));
        // A rank column wins over the scores.
        Run b = load_run(write("b.csv", "u1,i5,0.9,2\nu1,i4,0.1,1\n"), ds);
        QVERIFY(b.report.has_rank);
        QCOMPARE(std::vector<int32_t>(b.list(1).begin(), b.list(1).end()), (std::vector<int32_t>{4, 5}));
        QCOMPARE(b.report.rank_disagreements, int64_t{1});
        Run c = load_run(write("c.txt", "user_id,item_id,score,rank\nu1,i5,0.9,1\n"), ds, RunFormat::csv);
        QCOMPARE(c.list(1).size(), size_t{1});
        // A UTF-8 byte order mark before the header is skipped.
        Run bom = load_run(write("bom.csv", "\xEF\xBB\xBFuser_id,item_id,score\nu1,i5,0.9\n"), ds);
        QCOMPARE(bom.list(1).size(), size_t{1});
        // Blanks after a closing quote are fine.
        Run q = load_run(write("q2.csv", "\"u1\" ,\"i6\"\t,0.5\n"), ds);
        QCOMPARE(std::vector<int32_t>(q.list(1).begin(), q.list(1).end()), (std::vector<int32_t>{6}));
        // evaluate --lists output (user_id,rank,item_id,score) reads back by its header.
        Run d = load_run(write("d.csv", "user_id,rank,item_id,score\nu2,2,i1,0.5\nu2,1,i7,0.25\n"), ds);
        QVERIFY(d.report.has_rank);
        QCOMPARE(std::vector<int32_t>(d.list(2).begin(), d.list(2).end()), (std::vector<int32_t>{7, 1}));
    }

    void badRunsGiveOneLine_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expect");
        QTest::newRow("empty") << "e.trec" << "" << "e.trec: the run file is empty";
        QTest::newRow("blank lines") << "b.trec" << "\n  \n" << "b.trec: the run file is empty";
        QTest::newRow("binary") << "r.trec" << QString::fromLatin1("\x01\x02\x03zz\x00\x7f", 6) << "r.trec:1: not a text file";
        QTest::newRow("csv as trec") << "c.run" << "u0,i1,0.5\n" << "c.run:1: 1 fields, not 6: \"u0,i1,0.5\" (1 malformed line in all; a TREC run line is 'qid Q0 docid rank score tag' (or give --run-format csv))";
        QTest::newRow("fields") << "f.trec" << "u0 Q0 i1 1 0.5 t\nu0 Q0 i2 2\n" << "f.trec:2: 4 fields, not 6";
        QTest::newRow("rank") << "k.trec" << "u0 Q0 i1 x 0.5 t\nu0 Q0 i1 -1 0.5 t\n"
                              << "k.trec:1: rank 'x' is not a whole number from 0 to 2147483647: \"u0 Q0 i1 x 0.5 t\" (2 malformed lines";
        QTest::newRow("score") << "s.trec" << "u0 Q0 i1 1 inf t\n" << "s.trec:1: score 'inf' is not a finite number";
        QTest::newRow("blank id csv") << "i.csv" << "u0,i1,0.5\n,i2,0.4\n" << "i.csv:2: a blank request id";
        // Missing-value markers other tools write (DESIGN §9) are blank ids; quoted, "NA" is an id.
        QTest::newRow("NA docid trec") << "na.trec" << "u0 Q0 i1 1 0.5 t\nu0 Q0 NA 2 0.4 t\n"
                                       << "na.trec:2: a blank item id (NA, a missing-value marker)";
        QTest::newRow("NULL qid csv") << "nu.csv" << "u0,i1,0.5\nNULL,i2,0.4\n"
                                      << "nu.csv:2: a blank request id (NULL, a missing-value marker)";
        QTest::newRow("quoted NA is an id") << "qn.csv" << "u0,i1,0.5\nu0,\"NA\",0.4\nu0,\"nan\",0.3\n"
                                            << "qn.csv: 2 of 3 lines name items the dataset does not have (first at line 2: 'NA')";
        QTest::newRow("csv fields") << "g.csv" << "u0,i1,0.5\nu0,i2\n" << "g.csv:2: 2 fields, not 3";
        QTest::newRow("csv quote") << "q.csv" << "\"u0,i1,0.5\n" << "q.csv:1: an unterminated quote";
        QTest::newRow("csv header") << "h.csv" << "user_id,item_id,relevance\nu0,i1,1\n"
                                    << "h.csv:1: a header without the columns user_id, item_id and score";
        QTest::newRow("csv header fields") << "j.csv" << "user_id,rank,item_id,score\nu0,1,i1\n" << "j.csv:2: 3 fields, not 4";
        QTest::newRow("no known request") << "n.trec" << "x Q0 i1 1 1 t\n"
                                          << "n.trec: no line names a user and an item of the dataset (the first unknown request is at line 1: 'x')";
        QTest::newRow("items mostly unknown") << "m.trec" << "u0 Q0 a 1 1 t\nu0 Q0 b 2 1 t\nu0 Q0 i1 3 1 t\n"
                                              << "m.trec: 2 of 3 lines name items the dataset does not have (first at line 1: 'a')";
    }

    void badRunsGiveOneLine()
    {
        QFETCH(QString, name);
        QFETCH(QString, text);
        QFETCH(QString, expect);
        const Dataset ds = toy();
        const std::string p = write(name.toUtf8().constData(), text.toLatin1().toStdString());
        try {
            load_run(p, ds);
            QFAIL("no error");
        } catch (const Error &e) {
            const std::string msg = e.what();
            QVERIFY2(msg.find('\n') == std::string::npos, msg.c_str());
            QVERIFY2(msg.find(expect.toStdString()) != std::string::npos, msg.c_str());
        }
        QVERIFY_THROWS_EXCEPTION(Error, load_run(m_dir.filePath("absent.trec").toStdString(), ds));
    }

    // k = 2: u0's candidates are i1, i3 (i0 is a train item), u1's i4, i3, u2 has no list.
    // precision (1/2 + 1/2 + 0)/3, recall (1/2 + 1 + 0)/3, mrr (1 + 1/2 + 0)/3. AUC by rank:
    // u0 14/20 (i1 above i3 and 4 unlisted negatives, i5 tied with them), u1 10/12, u2 7/14;
    // pooled 50 of 72 pairs (positives -1, -2, -inf, -inf; negatives -2, -1 and 16 x -inf).
    void evaluateRunByHand()
    {
        const Dataset ds = toy();
        const Run run = load_run(write("h.trec", kRun), ds);
        EvaluationOptions o;
        o.k = 2;
        o.pool = 10;
        o.threads = 1;
        const EvaluationResult r = evaluate(run, ds, nullptr, o);
        QCOMPARE(r.users, (std::vector<int32_t>{0, 1, 2}));
        QCOMPARE(r.pool, 3); // the run's depth bounds the pool
        QCOMPARE(r.lists[0], (std::vector<int32_t>{1, 3}));
        QCOMPARE(r.lists[1], (std::vector<int32_t>{4, 3}));
        QVERIFY(r.lists[2].empty());
        QCOMPARE(r.scores[0], (std::vector<float>{0.5f, 0.7f}));
        auto near = [](double a, double b) { return std::fabs(a - b) < 1e-12; };
        QVERIFY(near(r.metrics.at("precision"), 1.0 / 3));
        QVERIFY(near(r.metrics.at("recall"), 0.5));
        QVERIFY(near(r.metrics.at("mrr"), 0.5));
        QVERIFY(near(r.per_user[0].values[static_cast<size_t>(MetricId::auc)], 0.7));
        QVERIFY(near(r.per_user[1].values[static_cast<size_t>(MetricId::auc)], 10.0 / 12));
        QVERIFY(near(r.per_user[2].values[static_cast<size_t>(MetricId::auc)], 0.5));
        QVERIFY(near(r.metrics.at("auc"), (0.7 + 10.0 / 12 + 0.5) / 3));
        QVERIFY(near(r.metrics.at("auc_pooled"), 50.0 / 72));
        QVERIFY(std::isnan(r.metrics.at("ild_embedding"))); // no model lends embeddings
        // Warnings: the report's four, the user without a list, the listed train item.
        QCOMPARE(r.warnings.size(), size_t{6});
        QVERIFY(r.warnings[4].find("1 of 3 evaluated users have no list in the run") != std::string::npos);
        QVERIFY(r.warnings[5].find("1 listed items are in their user's train set") != std::string::npos);
        // The pool bounds the candidates.
        o.pool = 1;
        o.k = 1;
        const EvaluationResult one = evaluate(run, ds, nullptr, o);
        QCOMPARE(one.lists[0], (std::vector<int32_t>{1}));
        // A shard counts its own users' negatives against every user's positives: the shards'
        // pooled parts add up to the whole run's.
        o = {};
        o.k = 2;
        o.threads = 1;
        PairCount twice = 0;
        int64_t neg = 0;
        for (int s = 0; s < 2; ++s) {
            o.shard = s;
            o.shards = 2;
            const EvaluationResult part = evaluate(run, ds, nullptr, o);
            twice += part.auc_parts.twice_rank;
            neg += part.auc_parts.negatives;
            QCOMPARE(part.auc_parts.positives, int64_t{4});
        }
        QVERIFY(twice == r.auc_parts.twice_rank);
        QCOMPARE(neg, int64_t{18});
    }

    // --lists-format trec: scores that fall down the ranks are kept; a re-ranked list's are
    // replaced by length + 1 - rank; ids with whitespace are refused.
    void trecExport()
    {
        EvaluationResult r;
        r.users = {0, 1, 2};
        r.lists = {{1, 3}, {4, 3}, {2, 0}};
        r.scores = {{0.5f, 0.7f}, {0.8f, 0.25f}, {0.5f, 0.5f}}; // u2: a tie, which tools order by id
        const std::vector<std::string> users{"u0", "u1", "u2"}, items{"i0", "i1", "i2", "i3", "i4"};
        size_t by_rank = 0;
        const std::string out = lists_trec(users, items, r, "my run", &by_rank);
        QCOMPARE(out, std::string("u0 Q0 i1 1 2 my_run\nu0 Q0 i3 2 1 my_run\n"
                                  "u1 Q0 i4 1 0.800000012 my_run\nu1 Q0 i3 2 0.25 my_run\n"
                                  "u2 Q0 i2 1 2 my_run\nu2 Q0 i0 2 1 my_run\n"));
        QCOMPARE(by_rank, size_t{2});
        const std::vector<std::string> spaced{"u 0", "u1", "u2"};
        QVERIFY_THROWS_EXCEPTION(Error, lists_trec(spaced, items, r, "t"));
    }

    // One set of rules for the GUI and `evaluate --session` (core/analysis/sessionfiles.h): every
    // source in order, a run with the item embeddings of the first model that has them (score_only.pt
    // has none, two_tower.pt has), a session's re-ranking resolved against what the primary has.
    void sessionFilesFollowOneSetOfRules()
    {
        const std::string data = std::string(RECLENS_TEST_DATA) + "/models/dataset.sqlite";
        const std::string scoreOnly = std::string(RECLENS_TEST_DATA) + "/models/score_only.pt";
        const std::string twoTower = std::string(RECLENS_TEST_DATA) + "/models/two_tower.pt";
        const std::string run = write("lender.csv", "user_id,item_id,score\nu000,i001,0.9\nu000,i002,0.5\n");
        Session s;
        s.dataset = data;
        s.requests = "users";
        s.sources = { { SessionSource::Kind::run, run, "", "r" }, { SessionSource::Kind::model, scoreOnly, "", "s" },
            { SessionSource::Kind::model, twoTower, "", "t" } };
        s.rerank.method = RerankMethod::mmr;
        s.rerank.similarity = SimilarityKind::embedding;
        const OpenedFiles files = load_session_files(s, "s.reclens");
        QCOMPARE(files.sources.size(), size_t { 3 });
        QVERIFY(files.sources[0].run && files.sources[1].model && files.sources[2].model);
        const RankingSource primary = ranking_source(files.sources, 0, *files.dataset);
        QCOMPARE(primary.model, files.sources[2].model.get()); // the first model with embeddings
        QVERIFY(!primary.item_embeddings().empty());
        QCOMPARE(session_options(s, *files.dataset, primary, 100).rerank.similarity, SimilarityKind::embedding);
        // Without a lender, embedding similarity is shown as category similarity.
        s.sources.pop_back();
        const OpenedFiles bare = load_session_files(s, "s.reclens");
        const RankingSource lone = ranking_source(bare.sources, 0, *bare.dataset);
        QVERIFY(lone.model == nullptr);
        QCOMPARE(session_options(s, *bare.dataset, lone, 100).rerank.similarity, SimilarityKind::category);
        QCOMPARE(session_options(s, *bare.dataset, lone, 100).pool, 100); // the session names none
        // Every source or none, with one line naming the session.
        s.sources.push_back({ SessionSource::Kind::model, write("broken.pt", "not a model"), "", "b" });
        try {
            load_session_files(s, "s.reclens");
            QFAIL("a source that does not load must refuse the session");
        } catch (const Error &e) {
            QVERIFY2(std::string(e.what()).find("s.reclens") != std::string::npos
                    && std::string(e.what()).find("cannot open the session as saved") != std::string::npos,
                e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestRuns)
#include "tst_runs.moc"
