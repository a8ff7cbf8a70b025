// Graded judgements (DESIGN §11): reading qrels, what is reported and refused, and trec_eval's
// conventions for the accuracy metrics, checked against values computed by hand.
#include "core/analysis/evaluation.h"
#include "core/common/error.h"
#include "core/data/qrels.h"
#include "core/data/runfile.h"
#include "../metrics/toydataset.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <fstream>

using namespace reclens;

namespace {

// 5 requests x 12 items, no history: u0..u4, i0..i11.
Dataset toy()
{
    test::ToySpec s;
    s.n_items = 12;
    s.train = {{}, {}, {}, {}, {}};
    s.test = {{0}, {0}, {0}, {0}, {0}};
    return test::make_toy(s);
}

// u0: i1 graded 3, i2 0, i3 1, i5 2 and an id the dataset lacks (x9) 2; u1: only i7, graded 0;
// u2: i4 1 but no list in the run; zz is no request; u0's i1 again (the first grade stays).
const char *kQrels = "u0 0 i1 3\n"
                     "u0 0 i2 0\n"
                     "u0 0 i3 1\n"
                     "u0 0 i5 2\n"
                     "u0 0 x9 2\n"
                     "u1 0 i7 0\n"
                     "u2 0 i4 1\n"
                     "zz 0 i1 1\n"
                     "u0 0 i1 1\n"
                     "u0 0 x9 3\n";

// u0 lists i2 i1 i4 i5 i6; u1 i7 i8; u3 (not judged) i1.
const char *kRun = "u0 Q0 i2 1 5.0 t\n"
                   "u0 Q0 i1 2 4.0 t\n"
                   "u0 Q0 i4 3 3.0 t\n"
                   "u0 Q0 i5 4 2.0 t\n"
                   "u0 Q0 i6 5 1.0 t\n"
                   "u1 Q0 i7 1 2.0 t\n"
                   "u1 Q0 i8 2 1.0 t\n"
                   "u3 Q0 i1 1 1.0 t\n";

double l2(double x) { return std::log2(x); }

} // namespace

class TestQrels : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    std::string write(const char *name, const std::string &text)
    {
        const std::string p = m_dir.filePath(name).toStdString();
        std::ofstream(p, std::ios::binary) << text;
        return p;
    }

    EvaluationResult run_eval(int k, double threshold)
    {
        Dataset ds = toy();
        std::vector<std::string> warnings;
        set_judgements(ds, load_qrels(write("q.qrels", kQrels), ds, threshold, &warnings));
        const Run run = load_run(write("r.trec", kRun), ds);
        EvaluationOptions o;
        o.k = k;
        o.compute_auc = true;
        return evaluate(run, ds, nullptr, o);
    }

private slots:
    void loadsAndReports()
    {
        Dataset ds = toy();
        std::vector<std::string> warnings;
        const Judgements j = load_qrels(write("q.qrels", kQrels), ds, 1, &warnings);
        QCOMPARE(j.judged.row_size(0), int64_t{4}); // i1 i2 i3 i5
        QCOMPARE(j.judged.row_weights(0)[0], 3.0f); // the first grade of i1
        QCOMPARE(std::vector<int32_t>(j.outside(0).begin(), j.outside(0).end()), std::vector<int32_t>{2});
        QVERIFY(j.judged_request(1));
        QVERIFY(!j.judged_request(3));
        QCOMPARE(warnings.size(), size_t{3}); // unknown request, an id without item, duplicates (i1, x9)
        QVERIFY(warnings[2].find("2 (request, docid) pairs") == 0);
        set_judgements(ds, j);
        const auto t0 = ds.test.row(0);
        QCOMPARE(std::vector<int32_t>(t0.begin(), t0.end()), (std::vector<int32_t>{1, 3, 5}));
        QCOMPARE(ds.test.row_size(1), int64_t{0});
        QCOMPARE(evaluated_users(ds), (std::vector<int32_t>{0, 1, 2}));
    }

    // K = 3: u0's top three are i2 (grade 0), i1 (3), i4 (unjudged). Relevant: i1, i3, i5 and x9.
    void byHandAtThree()
    {
        const EvaluationResult r = run_eval(3, 1);
        QCOMPARE(r.conventions, std::string("trec_eval"));
        QCOMPARE(r.users, (std::vector<int32_t>{0, 1})); // u2 is judged but not in the run
        QCOMPARE(r.warnings.size(), size_t{1});
        const UserMetrics &u0 = r.per_user[0];
        const double idcg = 3 + 2 / l2(3) + 2 / l2(4); // grades 3, 2, 2 (1 is fourth)
        QCOMPARE(u0[MetricId::precision], 1.0 / 3);
        QCOMPARE(u0[MetricId::recall], 1.0 / 4);
        QCOMPARE(u0[MetricId::ndcg], (3 / l2(3)) / idcg);
        QCOMPARE(u0[MetricId::map], (1.0 / 2) / 4);
        QCOMPARE(u0[MetricId::mrr], 0.5);
        // u1 is judged with no relevant item: every accuracy metric 0, not undefined.
        const UserMetrics &u1 = r.per_user[1];
        for (const auto id : {MetricId::precision, MetricId::recall, MetricId::f1, MetricId::hit_rate, MetricId::ndcg,
                              MetricId::map, MetricId::mrr})
            QCOMPARE(u1[id], 0.0);
        QVERIFY(std::isnan(u1[MetricId::auc]));
        QCOMPARE(r.metrics.at("precision"), (1.0 / 3) / 2);
        QCOMPARE(r.metrics.at("ndcg"), (3 / l2(3)) / idcg / 2);
        QCOMPARE(r.metrics.at("map"), 0.125 / 2);
        QCOMPARE(r.metrics.at("mrr"), 0.25);
    }

    // K = 10: relevant at ranks 2 (i1, grade 3) and 4 (i5, grade 2); nDCG's ideal takes all four
    // graded items 3, 2, 2, 1; map divides by the 4 relevant, not min(|T|, K).
    void byHandAtTen()
    {
        const EvaluationResult r = run_eval(10, 1);
        const UserMetrics &u0 = r.per_user[0];
        QCOMPARE(u0[MetricId::precision], 0.2);
        QCOMPARE(u0[MetricId::recall], 0.5);
        QCOMPARE(u0[MetricId::ndcg], (3 / l2(3) + 2 / l2(5)) / (3 + 2 / l2(3) + 2 / l2(4) + 1 / l2(5)));
        QCOMPARE(u0[MetricId::map], (1.0 / 2 + 2.0 / 4) / 4);
        QCOMPARE(u0[MetricId::mrr], 0.5);
        // AUC over the universe (12 items): positives i1 (place 2), i3 (unlisted), i5 (place 4).
        // Negatives: 9 items, i2 i4 i6 listed at 1, 3, 5, six unlisted tied below.
        // i1 beats i4 i6 + 6 unlisted = 8; i5 beats i6 + 6 = 7; i3 ties the 6 unlisted = 3.
        QCOMPARE(u0[MetricId::auc], (8 + 7 + 3) / 27.0);
    }

    // A higher threshold changes what is relevant, not the gains.
    void thresholdTwo()
    {
        const EvaluationResult r = run_eval(3, 2);
        const UserMetrics &u0 = r.per_user[0];
        QCOMPARE(u0[MetricId::recall], 1.0 / 3); // i1, i5, x9
        QCOMPARE(u0[MetricId::map], (1.0 / 2) / 3);
        QCOMPARE(u0[MetricId::ndcg], (3 / l2(3)) / (3 + 2 / l2(3) + 2 / l2(4)));
        QCOMPARE(r.relevance_threshold, 2.0);
    }

    // MovieLens-style ratings as grades (--relevance graded): u0 rated i1 5, i2 2 and i3 4.5 in test
    // (i0 in train); at threshold 4 the relevant items are i1 and i3; the gains are the ratings.
    void gradesFromTestWeights()
    {
        test::ToySpec spec;
        spec.n_items = 12;
        spec.train = {{0}};
        spec.test = {{}};
        Dataset ds = test::make_toy(spec);
        ds.test = make_csr(1, std::vector<CsrEntry>{{0, 1, 0, 5.0f}, {0, 2, 0, 2.0f}, {0, 3, 0, 4.5f}});
        set_judgements(ds, judgements_from_test(ds, 4));
        const Run run = load_run(write("g.trec", "u0 Q0 i2 1 3 t\nu0 Q0 i3 2 2 t\nu0 Q0 i5 3 1 t\n"), ds);
        EvaluationOptions o;
        o.k = 3;
        const EvaluationResult r = evaluate(run, ds, nullptr, o);
        const UserMetrics &u0 = r.per_user[0];
        QCOMPARE(u0[MetricId::precision], 1.0 / 3);
        QCOMPARE(u0[MetricId::recall], 0.5);
        QCOMPARE(u0[MetricId::ndcg], (2 + 4.5 / l2(3)) / (5 + 4.5 / l2(3) + 2 / l2(4)));
        QCOMPARE(u0[MetricId::map], (1.0 / 2) / 2);
        QCOMPARE(u0[MetricId::mrr], 0.5);
    }

    // trec_eval orders a run by score, ties by docid descending, whatever its ranks: with judgements
    // RecLens reads it so. i1 and i2 tie at 1.0 and are ranked i1 first; trec_eval puts i2 first.
    void trecEvalOrderOfTies()
    {
        Dataset ds = toy();
        set_judgements(ds, load_qrels(write("t.qrels", "u0 0 i1 1\nu0 0 i3 2\n"), ds, 1));
        const Run run = load_run(write("t.trec", "u0 Q0 i1 1 1.0 t\nu0 Q0 i2 2 1.0 t\nu0 Q0 i3 3 0.5 t\n"), ds);
        const auto l = run.list(0);
        QCOMPARE(std::vector<int32_t>(l.begin(), l.end()), (std::vector<int32_t>{2, 1, 3}));
        QCOMPARE(run.report.reordered, int64_t{1});
        EvaluationOptions o;
        o.k = 1;
        QCOMPARE(evaluate(run, ds, nullptr, o).per_user[0][MetricId::precision], 0.0);
        o.k = 2;
        const UserMetrics m = evaluate(run, ds, nullptr, o).per_user[0];
        QCOMPARE(m[MetricId::map], (1.0 / 2) / 2);
        QCOMPARE(m[MetricId::ndcg], (1 / l2(3)) / (2 + 1 / l2(3)));
        // Without judgements the rank order stands.
        const Run plain = load_run(write("t.trec", "u0 Q0 i1 1 1.0 t\nu0 Q0 i2 2 1.0 t\nu0 Q0 i3 3 0.5 t\n"), toy());
        QCOMPARE(plain.list(0)[0], 1);
    }

    void refusesBadQrels_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expect");
        QTest::newRow("three fields") << "u0 0 i1 1\nu0 0 i2\n" << ":2: 3 fields, not 4";
        QTest::newRow("grade not a number") << "u0 0 i1 high\n" << ":1: grade 'high' is not a whole number";
        QTest::newRow("fractional grade") << "u0 0 i1 1\n\nu0 0 i2 1.5\n" << ":3: grade '1.5' is not a whole number";
        QTest::newRow("empty") << "" << "the qrels file is empty";
        QTest::newRow("blank lines only") << "\n  \n" << "the qrels file is empty";
        QTest::newRow("binary") << QString::fromLatin1("\x7f" "ELF\x01\x02", 6) + QChar(0) + "xx" << ":1: not a text file";
        QTest::newRow("unknown requests") << "a 0 i1 1\nb 0 i2 1\n" << "no qrels line names a user of the dataset";
        QTest::newRow("unknown items") << "u0 0 x1 1\n" << "no judged docid is an item of the dataset";
    }

    void refusesBadQrels()
    {
        QFETCH(QString, text);
        QFETCH(QString, expect);
        Dataset ds = toy();
        const QByteArray bytes = text.toLatin1();
        const std::string path = write("bad.qrels", std::string(bytes.constData(), static_cast<size_t>(bytes.size())));
        try {
            load_qrels(path, ds, 1);
            QFAIL("accepted");
        } catch (const Error &e) {
            const std::string msg = e.what();
            QVERIFY2(msg.find(path) == 0, msg.c_str());
            QVERIFY2(msg.find(expect.toStdString()) != std::string::npos, msg.c_str());
            QVERIFY2(msg.find('\n') == std::string::npos, msg.c_str());
        }
    }

    void refusesThresholdZero()
    {
        Dataset ds = toy();
        Judgements j = load_qrels(write("q.qrels", kQrels), ds, 0);
        QVERIFY_THROWS_EXCEPTION(Error, set_judgements(ds, std::move(j)));
    }
};

QTEST_APPLESS_MAIN(TestQrels)
#include "tst_qrels.moc"
