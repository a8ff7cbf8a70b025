// Scalar re-rankers (DESIGN §6): δ = 0 is the model order, small cases worked by hand, and DPP
// against a slow greedy log-determinant maximisation written here.
#include "core/common/error.h"
#include "core/rerank/reranker.h"
#include "../metrics/toydataset.h"

#include <QTest>

#include <numeric>

#include <random>

using namespace reclens;

namespace {

std::vector<int32_t> iota_items(int n)
{
    std::vector<int32_t> v(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i)
        v[static_cast<size_t>(i)] = i;
    return v;
}

// log det of a symmetric positive semi-definite matrix by Gaussian elimination (-inf if singular).
double log_det(std::vector<double> a, size_t n)
{
    double ld = 0;
    for (size_t c = 0; c < n; ++c) {
        const double piv = a[c * n + c];
        if (!(piv > 0))
            return -std::numeric_limits<double>::infinity();
        ld += std::log(piv);
        for (size_t r = c + 1; r < n; ++r) {
            const double f = a[r * n + c] / piv;
            for (size_t k = c; k < n; ++k)
                a[r * n + k] -= f * a[c * n + k];
        }
    }
    return ld;
}

// Greedy MAP by recomputing log det(L_S∪{i}) for every candidate at every step; stops when the best
// gain det(L_S∪i)/det(L_S) drops under 1e-10, then fills in model order.
std::vector<int32_t> slow_dpp(const std::vector<std::vector<double>> &emb, const std::vector<double> &rhat, double delta,
                              size_t k)
{
    const size_t n = rhat.size();
    const double theta = 1.0 - delta, alpha = theta / (2.0 * (1.0 - theta));
    std::vector<double> q(n);
    for (size_t i = 0; i < n; ++i)
        q[i] = std::exp(alpha * rhat[i]);
    auto kernel = [&](size_t i, size_t j) {
        double dot = 0, ni = 0, nj = 0;
        for (size_t d = 0; d < emb[i].size(); ++d) {
            dot += emb[i][d] * emb[j][d];
            ni += emb[i][d] * emb[i][d];
            nj += emb[j][d] * emb[j][d];
        }
        return q[i] * (dot / std::sqrt(ni * nj)) * q[j];
    };
    std::vector<size_t> sel;
    std::vector<bool> used(n, false);
    double current = 0;
    while (sel.size() < k) {
        double best = -std::numeric_limits<double>::infinity();
        size_t arg = n;
        for (size_t i = 0; i < n; ++i) {
            if (used[i])
                continue;
            auto s = sel;
            s.push_back(i);
            std::vector<double> m(s.size() * s.size());
            for (size_t a = 0; a < s.size(); ++a)
                for (size_t b = 0; b < s.size(); ++b)
                    m[a * s.size() + b] = kernel(s[a], s[b]);
            const double ld = log_det(m, s.size());
            if (ld > best) {
                best = ld;
                arg = i;
            }
        }
        if (arg == n || best - current < std::log(1e-10))
            break;
        current = best;
        sel.push_back(arg);
        used[arg] = true;
    }
    for (size_t i = 0; i < n && sel.size() < k; ++i)
        if (!used[i])
            sel.push_back(i);
    return {sel.begin(), sel.end()};
}

} // namespace

class TestReranker : public QObject {
    Q_OBJECT

private:
    Dataset m_ds;
    std::vector<float> m_emb; // 8 items x 2

private slots:
    void initTestCase()
    {
        test::ToySpec s;
        s.n_items = 8;
        s.categories = {{"X", -1}, {"Y", -1}, {"Z", -1}};
        s.item_category = {0, 0, 1, 0, 1, 2, 2, -1};
        s.brands = {"b0", "b1"};
        s.item_brand = {0, 0, 0, 1, 1, 1, -1, -1};
        s.train = {{0, 2}, {0, 1, 2, 3}};
        s.test = {{4}, {5}};
        m_ds = test::make_toy(s);
        m_emb = {1, 0, 1, 0.1f, 0, 1, 0.7f, 0.7f, 1, 1, -1, 0, 0, -1, 0.3f, 0.2f};
    }

    void deltaZeroIsModelOrder_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("similarity");
        for (const char *m : {"none", "mmr", "dpp", "calibrated", "caps"})
            for (const char *s : {"embedding", "category"})
                QTest::addRow("%s_%s", m, s) << QString::fromLatin1(m) << QString::fromLatin1(s);
    }

    void deltaZeroIsModelOrder()
    {
        QFETCH(QString, method);
        QFETCH(QString, similarity);
        RerankOptions o;
        o.method = parse_rerank_method(method.toStdString());
        o.similarity = parse_similarity(similarity.toStdString());
        o.diversity = 0.0;
        o.k = 5;
        o.max_per_category = 1;
        Reranker r(m_ds, o, m_emb, 2);
        const std::vector<int32_t> items{6, 1, 0, 3, 5, 2, 4, 7};
        const std::vector<float> scores{9, 8, 8, 7, 5, 5, 1, 0}; // ties keep model order
        const auto out = r.rerank(1, items, scores);
        QCOMPARE(out.items, (std::vector<int32_t>{6, 1, 0, 3, 5}));
        QCOMPARE(out.scores, (std::vector<float>{9, 8, 8, 7, 5}));
    }

    void mmrByHand()
    {
        // e0=(1,0) e1=(1,.1) e2=(0,1) e3=(.7,.7); r̂ = 1, 2/3, 1/3, 0; δ = 0.5.
        // step 1: 0. step 2: 1 -> 1/3 - .5*.995 < 0, 2 -> 1/6, 3 -> -.354: pick 2. step 3: 1 (-.164) over 3 (-.354).
        RerankOptions o;
        o.method = RerankMethod::mmr;
        o.diversity = 0.5;
        o.k = 3;
        Reranker r(m_ds, o, m_emb, 2);
        const auto out = r.rerank(0, iota_items(4), std::vector<float>{4, 3, 2, 1});
        QCOMPARE(out.items, (std::vector<int32_t>{0, 2, 1}));
        // δ = 1: pure diversity after the first pick (ties by model rank: the first item has max r̂
        // only through the tie rule, as every value is 0 at step 1).
        o.diversity = 1.0;
        Reranker r1(m_ds, o, m_emb, 2);
        QCOMPARE(r1.rerank(0, iota_items(4), std::vector<float>{4, 3, 2, 1}).items, (std::vector<int32_t>{0, 2, 3}));
    }

    void mmrNegativeSimilarity()
    {
        // e0=(1,0), e2=(0,1), e5=(-1,0); r̂ = 1, 0.5, 0; δ = 0.6, K = 2 (DESIGN §6: the max over S is
        // the true maximum). Step 1: 0.4 (item 0). Step 2: item 2 -> 0.4*0.5 - 0.6*cos(e2,e0) = 0.2,
        // item 5 -> 0 - 0.6*cos(e5,e0) = 0.6: item 5. Clamping the max at 0 would give item 2 (0.2 > 0).
        RerankOptions o;
        o.method = RerankMethod::mmr;
        o.diversity = 0.6;
        o.k = 2;
        Reranker r(m_ds, o, m_emb, 2);
        const std::vector<int32_t> items{0, 2, 5};
        const std::vector<float> scores{2, 1, 0};
        QCOMPARE(r.rerank(0, items, scores).items, (std::vector<int32_t>{0, 5}));
        // The batched version, on the CPU (and on CUDA when there is one), gives the same list.
        const std::vector<int32_t> users{0}, count{3};
        QCOMPARE(r.rerank_batch(users, items, scores, count, 3, "cpu").front().items, (std::vector<int32_t>{0, 5}));
        if (cuda_available())
            QCOMPARE(r.rerank_batch(users, items, scores, count, 3, "cuda").front().items,
                     (std::vector<int32_t>{0, 5}));
    }

    void dppByHandCategory()
    {
        // One-level tree: S = 1 within a category, 0 across. Items 0,1,3 are X, 2 is Y: after 0 and
        // 2 the kernel has no rank left (d² = 0 < 1e-10), so the list is filled in model order: 1.
        RerankOptions o;
        o.method = RerankMethod::dpp;
        o.similarity = SimilarityKind::category;
        o.diversity = 0.5;
        o.k = 3;
        Reranker r(m_ds, o);
        const auto out = r.rerank(0, iota_items(4), std::vector<float>{4, 3, 2, 1});
        QCOMPARE(out.items, (std::vector<int32_t>{0, 2, 1}));
    }

    void dppMatchesSlowGreedy_data()
    {
        QTest::addColumn<int>("dim");
        QTest::addColumn<double>("delta");
        QTest::addColumn<int>("k");
        QTest::addRow("full_rank") << 16 << 0.3 << 10;
        QTest::addRow("rank_exhausted") << 6 << 0.5 << 10;
        QTest::addRow("strong") << 12 << 0.9 << 12;
        QTest::addRow("weak") << 12 << 0.05 << 8;
    }

    void dppMatchesSlowGreedy()
    {
        QFETCH(int, dim);
        QFETCH(double, delta);
        QFETCH(int, k);
        const int n = 40;
        test::ToySpec s;
        s.n_items = n;
        s.train = {{}};
        s.test = {{0}};
        const Dataset ds = test::make_toy(s);
        std::mt19937 rng(static_cast<unsigned>(dim * 100 + k));
        std::normal_distribution<double> g;
        std::vector<float> emb(static_cast<size_t>(n * dim));
        for (auto &x : emb)
            x = static_cast<float>(g(rng));
        std::vector<std::vector<double>> e(static_cast<size_t>(n));
        for (int i = 0; i < n; ++i)
            for (int d = 0; d < dim; ++d)
                e[static_cast<size_t>(i)].push_back(emb[static_cast<size_t>(i * dim + d)]);
        std::vector<float> scores(static_cast<size_t>(n));
        for (int i = 0; i < n; ++i)
            scores[static_cast<size_t>(i)] = static_cast<float>(n - i) + static_cast<float>(g(rng) * 0.1);
        std::sort(scores.begin(), scores.end(), std::greater<>());
        RerankOptions o;
        o.method = RerankMethod::dpp;
        o.diversity = delta;
        o.k = k;
        Reranker r(ds, o, emb, dim);
        const auto out = r.rerank(0, iota_items(n), scores);
        const auto expected = slow_dpp(e, normalise_scores(scores), delta, static_cast<size_t>(k));
        QCOMPARE(out.items, expected);
    }

    // The candidates' similarity rows (MMR's and DPP's inner loop) are the pairwise similarity()
    // doubles bit for bit, for list lengths around the vector widths and any dimension; with
    // category similarity they are category similarity.
    void candidateRowsArePairwiseSimilarities()
    {
        const int n_items = 120;
        test::ToySpec s;
        s.n_items = n_items;
        s.categories = {{"X", -1}, {"Y", 0}, {"Z", 0}};
        for (int i = 0; i < n_items; ++i)
            s.item_category.push_back(i % 4 - 1);
        s.train = {{}};
        s.test = {{0}};
        const Dataset ds = test::make_toy(s);
        std::mt19937 rng(11);
        std::normal_distribution<double> g;
        for (const int dim : {2, 3, 64, 65}) {
            std::vector<float> emb(static_cast<size_t>(n_items * dim));
            for (auto &x : emb)
                x = static_cast<float>(g(rng));
            const SimilarityProvider embedding(ds, SimilarityKind::embedding, emb, dim);
            const SimilarityProvider category(ds, SimilarityKind::category, emb, dim);
            for (const int n : {1, 3, 4, 5, 31, 32, 33, 100, 120}) {
                std::vector<int32_t> items(static_cast<size_t>(n));
                for (auto &it : items)
                    it = static_cast<int32_t>(rng() % n_items);
                for (const SimilarityProvider *sim : {&embedding, &category}) {
                    const CandidateSimilarities rows(*sim, items);
                    for (size_t a = 0; a < 2 * items.size(); ++a) { // every row twice: computed, then kept
                        const auto row = rows.row(a % items.size());
                        QCOMPARE(row.size(), items.size());
                        for (size_t i = 0; i < items.size(); ++i)
                            QVERIFY2(row[i] == sim->similarity(items[a % items.size()], items[i]),
                                     qPrintable(QStringLiteral("dim %1 n %2 (%3, %4)").arg(dim).arg(n).arg(a).arg(i)));
                    }
                }
            }
        }
    }

    // rerank_deltas shares one preparation and one set of similarity rows between δ values: each
    // of its lists is rerank()'s at that δ, for every method, with rules, embeddings or categories.
    void rerankDeltasIsRerankAtEachDelta()
    {
        const int n_items = 60;
        test::ToySpec s;
        s.n_items = n_items;
        s.categories = {{"X", -1}, {"Y", 0}, {"Z", -1}};
        for (int i = 0; i < n_items; ++i)
            s.item_category.push_back(i % 4 - 1);
        s.brands = {"b0", "b1"};
        for (int i = 0; i < n_items; ++i)
            s.item_brand.push_back(i % 3 - 1);
        s.train = {{1, 2, 5, 9}};
        s.test = {{0}};
        const Dataset ds = test::make_toy(s);
        std::mt19937 rng(23);
        std::normal_distribution<double> g;
        const int dim = 8;
        std::vector<float> emb(static_cast<size_t>(n_items * dim));
        for (auto &x : emb)
            x = static_cast<float>(g(rng));
        std::vector<int32_t> items(40);
        std::iota(items.begin(), items.end(), 10);
        std::shuffle(items.begin(), items.end(), rng);
        std::vector<float> scores(items.size());
        for (size_t i = 0; i < scores.size(); ++i)
            scores[i] = static_cast<float>(40 - static_cast<int>(i)) * 0.1f;
        const std::vector<double> deltas{0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0};
        MerchRule boost;
        boost.kind = MerchRule::Kind::boost_category;
        boost.target = 1;
        boost.factor = 1.5;
        for (auto method : {RerankMethod::mmr, RerankMethod::dpp, RerankMethod::calibrated, RerankMethod::caps})
            for (auto kind : {SimilarityKind::embedding, SimilarityKind::category})
                for (const bool rules : {false, true}) {
                    RerankOptions o;
                    o.method = method;
                    o.similarity = kind;
                    o.k = 10;
                    o.diversity = 0.4;
                    o.max_per_category = method == RerankMethod::caps ? 2 : 0;
                    if (rules)
                        o.rules = {boost};
                    const Reranker all(ds, o, emb, dim);
                    const auto lists = all.rerank_deltas(0, items, scores, deltas);
                    QCOMPARE(lists.size(), deltas.size());
                    for (size_t i = 0; i < deltas.size(); ++i) {
                        o.diversity = deltas[i];
                        const Reranker one(ds, o, emb, dim);
                        const auto expected = one.rerank(0, items, scores);
                        QCOMPARE(lists[i].items, expected.items);
                        QCOMPARE(lists[i].scores, expected.scores);
                    }
                }
    }

    void calibratedByHand()
    {
        // User 0 history {0 (X), 2 (Y)}: p = X .5, Y .5. Candidates 0,1,3 (X) and 4 (Y)... with
        // r̂ = 1, 2/3, 1/3, 0 and δ = .5: the second pick is the Y item (KL drops from 2.83 to 0).
        RerankOptions o;
        o.method = RerankMethod::calibrated;
        o.diversity = 0.5;
        o.k = 2;
        Reranker r(m_ds, o);
        const std::vector<int32_t> items{0, 1, 3, 4};
        QCOMPARE(r.rerank(0, items, std::vector<float>{4, 3, 2, 1}).items, (std::vector<int32_t>{0, 4}));
        // With a tiny δ the score difference wins.
        o.diversity = 0.01;
        Reranker r2(m_ds, o);
        QCOMPARE(r2.rerank(0, items, std::vector<float>{4, 3, 2, 1}).items, (std::vector<int32_t>{0, 1}));
    }

    void caps()
    {
        RerankOptions o;
        o.method = RerankMethod::caps;
        o.diversity = 1.0;
        o.max_per_category = 2;
        o.k = 4;
        // categories: 0 X, 1 X, 3 X, 2 Y, 4 Y, 5 Z, 7 none
        const std::vector<int32_t> items{0, 1, 3, 2, 4, 5, 7};
        const std::vector<float> scores{7, 6, 5, 4, 3, 2, 1};
        QCOMPARE(Reranker(m_ds, o).rerank(0, items, scores).items, (std::vector<int32_t>{0, 1, 2, 4}));
        o.k = 7; // short: the skipped X item fills the last slot
        QCOMPARE(Reranker(m_ds, o).rerank(0, items, scores).items, (std::vector<int32_t>{0, 1, 2, 4, 5, 7, 3}));
        o.k = 4;
        o.max_per_category = 0;
        o.max_per_brand = 1; // brands: 0,1,2 -> b0; 3,4,5 -> b1; 7 none
        QCOMPARE(Reranker(m_ds, o).rerank(0, items, scores).items, (std::vector<int32_t>{0, 3, 7, 1}));
    }

    void rules()
    {
        using Kd = MerchRule::Kind;
        RerankOptions o;
        o.k = 4;
        const std::vector<int32_t> items{0, 1, 2, 3, 4, 5};
        const std::vector<float> scores{6, 5, 4, 3, 2, 1};
        o.rules = {{Kd::exclude_item, 1}, {Kd::exclude_brand, 1}};
        QCOMPARE(Reranker(m_ds, o).rerank(0, items, scores).items, (std::vector<int32_t>{0, 2}));
        o.rules = {{Kd::exclude_category, 0}};
        QCOMPARE(Reranker(m_ds, o).rerank(0, items, scores).items, (std::vector<int32_t>{2, 4, 5}));
        // Boost Z (item 5: r̂ 0 -> 0 + 1.5) to the top; bury X by factor 4.
        o.rules = {{Kd::boost_category, 2, 1.0, 1.5}, {Kd::bury_category, 0, 4.0, 0.0}};
        QCOMPARE(Reranker(m_ds, o).rerank(0, items, scores).items, (std::vector<int32_t>{5, 2, 0, 1})); // 1 and 4 tie at .2: model order
        // Pin: an item from the pool moves, one from outside is inserted with a NaN score.
        o.rules = {{Kd::pin_item, 4, 1, 0, 1}, {Kd::pin_item, 7, 1, 0, 3}};
        const auto out = Reranker(m_ds, o).rerank(0, items, scores);
        QCOMPARE(out.items, (std::vector<int32_t>{4, 0, 7, 1}));
        QCOMPARE(out.scores[0], 2.0f);
        QVERIFY(std::isnan(out.scores[2]));
    }

    // Why each item stands where it does (RerankReason), by hand on the examples above.
    void explanationsByHand()
    {
        using K = RerankReason::Kind;
        RerankOptions o;
        o.method = RerankMethod::mmr;
        o.diversity = 0.5;
        o.k = 3;
        // MMR (mmrByHand): 0, then 2 (cos(e2,e0) = 0), then 1 (cos(e1,e0) = 1/√1.01 beats cos(e1,e2)).
        const auto mmr = Reranker(m_ds, o, m_emb, 2).explain(0, iota_items(4), std::vector<float>{4, 3, 2, 1});
        QCOMPARE(mmr.items, (std::vector<int32_t>{0, 2, 1}));
        QCOMPARE(mmr.reasons.size(), size_t{3});
        const RerankReason &m1 = mmr.reasons[0], &m2 = mmr.reasons[1], &m3 = mmr.reasons[2];
        QVERIFY(m1.kind == K::mmr && m1.step == 1 && m1.because == -1);
        QCOMPARE(m1.relevance, 0.5);
        QCOMPARE(m1.diversity, 0.0);
        QCOMPARE(m1.gain, 0.5);
        QVERIFY(m2.kind == K::mmr && m2.step == 2 && m2.because == 0);
        QVERIFY(std::abs(m2.relevance - 0.5 / 3) < 1e-12 && std::abs(m2.similarity) < 1e-7);
        QVERIFY(std::abs(m2.gain - 0.5 / 3) < 1e-7);
        const double cos10 = 1.0 / std::sqrt(1.01);
        QVERIFY(m3.step == 3 && m3.because == 0);
        QVERIFY(std::abs(m3.similarity - cos10) < 1e-6);
        QVERIFY(std::abs(m3.diversity - 0.5 * cos10) < 1e-6);
        QVERIFY(std::abs(m3.gain - (1.0 / 3 - 0.5 * cos10)) < 1e-6);
        QVERIFY(std::abs(m3.rhat - 2.0 / 3) < 1e-12);
        const std::string text = describe(m3, m_ds, o);
        QVERIFY2(text.find("MMR step 3") != std::string::npos && text.find("(similarity 1.00 to \u00ABItem 0\u00BB, already chosen) = -0.164") != std::string::npos,
                 text.c_str());

        // DPP (dppByHandCategory): α = 0.5, q = exp(r̂/2); d² = q² for the first pick (item 0, e) and
        // for item 2, alone in Y (e^(1/3)); then every X item has d² = 0: item 1 is filled.
        o.method = RerankMethod::dpp;
        o.similarity = SimilarityKind::category;
        const auto dpp = Reranker(m_ds, o).explain(0, iota_items(4), std::vector<float>{4, 3, 2, 1});
        QCOMPARE(dpp.items, (std::vector<int32_t>{0, 2, 1}));
        QVERIFY(dpp.reasons[0].kind == K::dpp && std::abs(dpp.reasons[0].gain - std::exp(1.0)) < 1e-12);
        QVERIFY(dpp.reasons[1].kind == K::dpp && std::abs(dpp.reasons[1].gain - std::exp(1.0 / 3)) < 1e-12);
        QVERIFY(dpp.reasons[2].kind == K::filled && dpp.reasons[2].step == 0);

        // Calibrated (calibratedByHand): p = X .5, Y .5; Δ of .5·log2(.5/q̃) with q̃ = .99·n/m + .01·.5.
        o.method = RerankMethod::calibrated;
        o.k = 2;
        auto kl = [](double n, double m) { return 0.5 * std::log2(0.5 / (0.99 * n / m + 0.005)); };
        const auto cal = Reranker(m_ds, o).explain(0, std::vector<int32_t>{0, 1, 3, 4}, std::vector<float>{4, 3, 2, 1});
        QCOMPARE(cal.items, (std::vector<int32_t>{0, 4}));
        const double step1 = kl(1, 1) - kl(0, 1), step2 = kl(1, 2) - kl(0, 2);
        QVERIFY(cal.reasons[0].kind == K::calibrated && std::abs(cal.reasons[0].diversity - 0.5 * step1) < 1e-12);
        QVERIFY(std::abs(cal.reasons[0].gain - (0.5 - 0.5 * step1)) < 1e-6); // the step compares floats
        QVERIFY(std::abs(cal.reasons[1].relevance) < 1e-12 && std::abs(cal.reasons[1].diversity - 0.5 * step2) < 1e-12);

        // Caps: kept in order, the skipped X item filled last.
        RerankOptions c;
        c.method = RerankMethod::caps;
        c.diversity = 1.0;
        c.max_per_category = 2;
        c.k = 7;
        const auto caps = Reranker(m_ds, c).explain(0, std::vector<int32_t>{0, 1, 3, 2, 4, 5, 7},
                                                    std::vector<float>{7, 6, 5, 4, 3, 2, 1});
        QCOMPARE(caps.items, (std::vector<int32_t>{0, 1, 2, 4, 5, 7, 3}));
        for (size_t i = 0; i < 6; ++i)
            QVERIFY(caps.reasons[i].kind == K::caps && caps.reasons[i].step == static_cast<int>(i) + 1);
        QVERIFY(caps.reasons[6].kind == K::filled);

        // Rules: boost Z and bury X name their rule; pins say so; no re-ranker = model order.
        using Kd = MerchRule::Kind;
        RerankOptions r;
        r.k = 4;
        const std::vector<int32_t> items{0, 1, 2, 3, 4, 5};
        const std::vector<float> scores{6, 5, 4, 3, 2, 1};
        r.rules = {{Kd::boost_category, 2, 1.0, 1.5}, {Kd::bury_category, 0, 4.0, 0.0}};
        const auto ruled = Reranker(m_ds, r).explain(0, items, scores);
        QCOMPARE(ruled.items, (std::vector<int32_t>{5, 2, 0, 1}));
        QCOMPARE(ruled.reasons[0].rules, std::vector<int>{0});
        QVERIFY(ruled.reasons[1].rules.empty() && ruled.reasons[1].kind == K::model_order);
        QCOMPARE(ruled.reasons[2].rules, std::vector<int>{1});
        QVERIFY(describe(ruled.reasons[0], m_ds, r).find("boosted") != std::string::npos);
        QVERIFY(describe(ruled.reasons[2], m_ds, r).find("buried \u00F74.00 by rule 2 (bury_category)") != std::string::npos);
        r.rules = {{Kd::pin_item, 4, 1, 0, 1}, {Kd::pin_item, 7, 1, 0, 3}};
        const auto pinned = Reranker(m_ds, r).explain(0, items, scores);
        QCOMPARE(pinned.items, (std::vector<int32_t>{4, 0, 7, 1}));
        QVERIFY(pinned.reasons[0].kind == K::pinned && pinned.reasons[0].rules == std::vector<int>{0});
        QVERIFY(pinned.reasons[2].kind == K::pinned && pinned.reasons[2].rules == std::vector<int>{1});
        QVERIFY(std::isnan(pinned.reasons[2].rhat)); // not a candidate
        QVERIFY(pinned.reasons[1].kind == K::model_order);
    }

    // explain() takes rerank()'s steps: the same lists for every method, δ and similarity.
    void explainGivesRerankLists_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<double>("delta");
        for (const QString &m : {QStringLiteral("mmr"), QStringLiteral("dpp"), QStringLiteral("calibrated"),
                                 QStringLiteral("caps")})
            for (double d : {0.0, 0.3, 0.7, 1.0})
                QTest::newRow((m + QLatin1Char('_') + QString::number(d)).toUtf8().constData()) << m << d;
    }
    void explainGivesRerankLists()
    {
        QFETCH(QString, method);
        QFETCH(double, delta);
        RerankOptions o;
        o.method = parse_rerank_method(method.toStdString());
        o.diversity = delta;
        o.k = 5;
        o.max_per_category = 1;
        o.rules = {{MerchRule::Kind::boost_brand, 1, 1.2, 0.0}, {MerchRule::Kind::pin_item, 7, 1, 0, 2}};
        Reranker r(m_ds, o, m_emb, 2);
        const std::vector<int32_t> items{6, 1, 0, 3, 5, 2, 4};
        const std::vector<float> scores{9, 8, 8, 7, 5, 5, 1};
        for (int32_t user : {0, 1}) {
            const auto a = r.rerank(user, items, scores), b = r.explain(user, items, scores);
            QCOMPARE(b.items, a.items);
            QCOMPARE(b.scores.size(), a.scores.size());
            QCOMPARE(b.reasons.size(), b.items.size());
            QVERIFY(a.reasons.empty());
        }
    }

    void badOptions()
    {
        RerankOptions o;
        o.diversity = 1.5;
        QVERIFY_THROWS_EXCEPTION(Error, Reranker(m_ds, o));
        o.diversity = std::nan("");
        QVERIFY_THROWS_EXCEPTION(Error, Reranker(m_ds, o));
        o.diversity = 0.5;
        o.method = RerankMethod::mmr;
        QVERIFY_THROWS_EXCEPTION(Error, Reranker(m_ds, o)); // embedding similarity without embeddings
        o.similarity = SimilarityKind::category;
        Reranker ok(m_ds, o);
        o.rules = {{MerchRule::Kind::pin_item, 99}};
        QVERIFY_THROWS_EXCEPTION(Error, Reranker(m_ds, o));
        QVERIFY_THROWS_EXCEPTION(Error, parse_rerank_method("fancy"));
        QVERIFY_THROWS_EXCEPTION(Error, parse_similarity("jaccard"));
    }

    void normalisation()
    {
        QCOMPARE(normalise_scores(std::vector<float>{3, 2, 1}), (std::vector<double>{1, 0.5, 0}));
        QCOMPARE(normalise_scores(std::vector<float>{2, 2}), (std::vector<double>{1, 1}));
        const float inf = std::numeric_limits<float>::infinity();
        QCOMPARE(normalise_scores(std::vector<float>{3, 1, -inf}), (std::vector<double>{1, 0, 0}));
    }
};

QTEST_GUILESS_MAIN(TestReranker)
#include "tst_reranker.moc"
