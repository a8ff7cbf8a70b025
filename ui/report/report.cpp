#include "ui/report/report.h"

#include "core/common/error.h"
#include "core/common/files.h"
#include "core/metrics/metrics.h"
#include "ui/models/rankinglistmodel.h"
#include "ui/models/summarymodel.h"
#include "ui/pages/viewplots.h"
#include "ui/plots/categoryplot.h"
#include "ui/plots/diversityplot.h"
#include "ui/plots/modelmapplot.h"
#include "ui/plots/tradeoffplot.h"
#include "ui/session/workspace.h"

#include <QBuffer>
#include <QDateTime>
#include <QFileInfo>
#include <QFont>
#include <QFontMetricsF>
#include <QPageLayout>
#include <QPdfWriter>

#include <cmath>
#include <memory>

namespace reclens::ui
{

namespace
{

// ---- content -----------------------------------------------------------------------------------

struct Cell {
    Cell(QString t = {}, QColor c = {}, bool b = false)
        : text(std::move(t))
        , chip(c)
        , bold(b)
    {
    }
    QString text;
    QColor chip; // valid: drawn as a category chip in this colour
    bool bold = false;
};

struct Table {
    QString title;
    bool keyValue = false; // no header row; every cell left-aligned (the title page's facts)
    QStringList headers;
    QList<double> widths; // relative column widths
    QList<QList<Cell>> rows;
};

struct Plot {
    std::shared_ptr<QCustomPlot> plot;
    double aspect = 0.5; // height / width
};

struct Block {
    enum class Kind { Title, Heading, Text, Note, Tables, Plots };
    Kind kind = Kind::Text;
    QString text;
    std::vector<Table> tables; // side by side
    std::vector<Plot> plots; // side by side
};

struct Page {
    std::vector<Block> blocks;
};

struct Content {
    QString title;
    std::vector<Page> pages;
};

Block text(Block::Kind kind, const QString &t)
{
    Block b;
    b.kind = kind;
    b.text = t;
    return b;
}

QString fmt(double v, int decimals = 4)
{
    return formatValue(v, decimals);
}

Table modelTable(const QString &title, const QAbstractItemModel &m)
{
    Table t;
    t.title = title;
    for (int c = 0; c < m.columnCount(); ++c) {
        const QString h = m.headerData(c, Qt::Horizontal).toString();
        t.headers << h;
        t.widths << (c == 0 ? 1.5 : h.startsWith(u"95%"_qs) ? 2.1 : 1.0);
    }
    for (int r = 0; r < m.rowCount(); ++r) {
        QList<Cell> row;
        for (int c = 0; c < m.columnCount(); ++c) {
            Cell cell;
            cell.text = m.index(r, c).data(Qt::DisplayRole).toString();
            cell.bold = m.index(r, c).data(Qt::FontRole).value<QFont>().bold();
            row << cell;
        }
        t.rows << row;
    }
    return t;
}

// A list column as a table: rank, item, category chip, score, hit, move.
Table listTable(const Dataset &ds, const CategoryPalette &palette, const UserView &view, const ListColumn &c)
{
    Table t;
    t.title = QString::fromStdString(c.title) + u"\n"_qs + listMetricsLine(view, c);
    t.headers = { QStringLiteral("#"), QStringLiteral("item"), QStringLiteral("category"), QStringLiteral("score"),
        ds.judgements ? QStringLiteral("rel.") : QStringLiteral("hit"), QStringLiteral("move") };
    t.widths = { 0.42, 2.3, 1.5, 0.8, 0.35, 0.7 };
    for (size_t i = 0; i < c.items.size(); ++i) {
        const int32_t item = c.items[i];
        const int32_t cat = ds.category_at_level(item, std::max(1, view.level));
        Cell category { cat >= 0 ? categoryName(ds, cat) : QStringLiteral("unknown"), categoryColor(ds, palette, cat) };
        const float score = i < c.scores.size() ? c.scores[i] : NAN;
        t.rows << QList<Cell> { { QString::number(i + 1) }, { itemTitle(ds, item) }, category,
            { std::isfinite(score) ? QString::number(static_cast<double>(score), 'g', 4) : QStringLiteral("pinned") },
            { i < c.hit.size() && c.hit[i] ? QStringLiteral("✔") : QString() },
            { i < c.moves.size() ? QString::fromStdString(c.moves[i].label()) : QString() } };
    }
    return t;
}

QString rerankText(const WorkspaceSettings &s)
{
    const RerankOptions &o = s.rerank;
    QString t = QString::fromLatin1(rerank_method_name(o.method).data());
    if (o.method == RerankMethod::none)
        return o.rules.empty() ? u"none (the model's own order)"_qs : u"none: the model's order with the rules"_qs;
    t += u", δ "_qs + QString::number(o.diversity, 'f', 2) + u" (0 = model order … 1 = most diverse), "_qs
        + QString::fromLatin1(similarity_name(o.similarity).data()) + u" similarity"_qs;
    if (o.max_per_category > 0)
        t += u", at most "_qs + QString::number(o.max_per_category) + u" per category"_qs;
    if (o.max_per_brand > 0)
        t += u", at most "_qs + QString::number(o.max_per_brand) + u" per brand"_qs;
    return t;
}

QString ruleText(const Dataset &ds, const SessionRule &r)
{
    QString target;
    for (const std::string &p : r.target)
        target += (target.isEmpty() ? QString() : u" > "_qs) + QString::fromStdString(p);
    const QString kind = QString::fromLatin1(rule_kind_name(r.kind).data()).replace(u'_', u' ');
    if (r.kind == MerchRule::Kind::pin_item) {
        const int32_t item = ds.find_item(r.target.empty() ? std::string() : r.target.front());
        return u"pin item "_qs + target + (item >= 0 ? u" (“"_qs + itemTitle(ds, item) + u"”)"_qs : QString())
            + u" at rank "_qs + QString::number(r.rank);
    }
    if (r.kind == MerchRule::Kind::exclude_item) {
        const int32_t item = ds.find_item(r.target.empty() ? std::string() : r.target.front());
        return u"exclude item "_qs + target + (item >= 0 ? u" (“"_qs + itemTitle(ds, item) + u"”)"_qs : QString());
    }
    QString t = kind + u" "_qs + target;
    if (r.kind != MerchRule::Kind::exclude_category && r.kind != MerchRule::Kind::exclude_brand)
        t += u" × "_qs + QString::number(r.factor);
    return t;
}

// What moved, in one sentence a stakeholder reads first.
QString headlineSentence(const Workspace &ws)
{
    const GlobalRuns &runs = ws.runs();
    if (!runs.base || !runs.reranked)
        return {};
    const auto get = [](const EvaluationResult &r, const char *m) {
        const auto it = r.metrics.find(m);
        return it == r.metrics.end() ? kNaN : it->second;
    };
    const WorkspaceSettings &s = ws.settings();
    const QString model = QString::fromStdString(ws.sources().front().name());
    const QString k = QString::number(s.rerank.k);
    QString p;
    if (runs.rerankedVsBase)
        for (const MetricComparison &m : runs.rerankedVsBase->metrics)
            if (m.metric == "ndcg" && !std::isnan(m.test.p_paired_t))
                p = u", paired t p = "_qs + QString::number(m.test.p_paired_t, 'g', 2);
    if (s.rerank.method == RerankMethod::none && s.rerank.rules.empty())
        return model + u" over all users: nDCG@"_qs + k + u" "_qs + fmt(get(*runs.base, "ndcg")) + u", catalogue coverage "_qs
            + fmt(get(*runs.base, "catalog_coverage")) + u", personalization "_qs + fmt(get(*runs.base, "personalization"), 3)
            + u"."_qs;
    return u"Re-ranking "_qs + model + u" ("_qs + rerankText(s) + u") moves nDCG@"_qs + k + u" from "_qs
        + fmt(get(*runs.base, "ndcg")) + u" to "_qs + fmt(get(*runs.reranked, "ndcg")) + p + u"; category ILD from "_qs
        + fmt(get(*runs.base, "ild_category"), 3) + u" to "_qs + fmt(get(*runs.reranked, "ild_category"), 3)
        + u"; catalogue coverage from "_qs + fmt(get(*runs.base, "catalog_coverage")) + u" to "_qs
        + fmt(get(*runs.reranked, "catalog_coverage")) + u"; personalization from "_qs
        + fmt(get(*runs.base, "personalization"), 3) + u" to "_qs + fmt(get(*runs.reranked, "personalization"), 3)
        + u"."_qs;
}

Content build(Workspace &ws, const ReportTables &strata)
{
    const auto ds = ws.dataset();
    if (!ds || ws.sources().empty())
        throw Error("nothing to report: open a dataset with a model or run first");
    if (!ws.runs().base || !ws.runs().reranked)
        throw Error("the all-user numbers are not computed yet: wait for the evaluation to finish");
    // Never numbers of other settings: the all-user run must be of the settings shown.
    if (!ws.runsAreCurrent())
        throw Error("the all-user numbers are of earlier settings: wait for the evaluation of the current ones to "
                    "finish (status bar), then write the report");
    const Session session = ws.session();
    const WorkspaceSettings &settings = ws.settings();
    const QString datasetName = ds->meta.count("name") ? QString::fromStdString(ds->meta.at("name"))
                                                       : QFileInfo(QString::fromStdString(ds->path)).fileName();
    const QString who = ds->queries() ? QStringLiteral("queries") : QStringLiteral("users");
    Content c;
    c.title = u"RecLens report — "_qs + datasetName;

    // Title page.
    Page title;
    title.blocks.push_back(text(Block::Kind::Title, u"RecLens report"_qs));
    title.blocks.push_back(text(Block::Kind::Heading, datasetName));
    title.blocks.push_back(text(Block::Kind::Text, headlineSentence(ws)));
    Table meta;
    meta.keyValue = true;
    meta.headers = { QString(), QString() };
    meta.widths = { 1.0, 5.0 };
    auto row = [&meta](const QString &k, const QString &v) { meta.rows << QList<Cell> { { k, {}, true }, { v } }; };
    row(u"dataset"_qs,
        QFileInfo(QString::fromStdString(ds->path)).fileName() + u" — "_qs + QString::number(ds->n_users()) + u" "_qs + who
            + u", "_qs + QString::number(ds->n_items()) + u" items, SHA-256 "_qs
            + QString::fromStdString(session.dataset_sha256.substr(0, 12)) + u"…"_qs);
    if (!ws.sessionPath().isEmpty())
        row(u"session"_qs, QFileInfo(ws.sessionPath()).fileName());
    for (size_t i = 0; i < session.sources.size(); ++i) {
        const SessionSource &s = session.sources[i];
        row(i == 0 ? u"primary source"_qs : u"source "_qs + QString::number(i + 1),
            QString::fromStdString(s.name) + (s.kind == SessionSource::Kind::run ? u" (run, "_qs : u" (model, "_qs)
                + QFileInfo(QString::fromStdString(s.path)).fileName() + u", SHA-256 "_qs
                + QString::fromStdString(s.sha256.substr(0, 12)) + u"…)"_qs);
    }
    row(u"re-ranking"_qs, rerankText(settings));
    row(u"lists"_qs, u"K = "_qs + QString::number(settings.rerank.k) + u" items, chosen from the top "_qs
            + QString::number(settings.pool) + u" candidates by model score"_qs);
    QStringList rules;
    for (const SessionRule &r : session.rules)
        rules << ruleText(*ds, r);
    row(u"rules"_qs, rules.isEmpty() ? QStringLiteral("none") : rules.join(u"; "_qs));
    QStringList story;
    for (const StoryUser &u : session.story)
        story << QString::fromStdString(u.id);
    row(u"story "_qs + who, story.isEmpty() ? u"none pinned: the shown one follows"_qs : story.join(u", "_qs));
    row(u"generated"_qs, QDateTime::currentDateTimeUtc().toString(u"yyyy-MM-dd HH:mm 'UTC'"_qs) + u" by RecLens"_qs);
    Block metaBlock;
    metaBlock.kind = Block::Kind::Tables;
    metaBlock.tables.push_back(meta);
    title.blocks.push_back(metaBlock);
    c.pages.push_back(std::move(title));

    // All-user metrics.
    Page metrics;
    metrics.blocks.push_back(text(Block::Kind::Heading, u"All "_qs + who + u": model order vs re-ranked"_qs));
    SummaryModel summary;
    summary.setRuns(ws.runs());
    // One table for the re-ranking, one for the compared sources: all of it side by side would not fit
    // the page's width.
    const Table all = modelTable({}, summary);
    auto columns = [&all](const QString &heading, const QList<int> &keep) {
        Table t;
        t.title = heading;
        for (int col : keep) {
            t.headers << all.headers[col];
            t.widths << all.widths[col];
        }
        for (const auto &cells : all.rows) {
            QList<Cell> picked;
            for (int col : keep)
                picked << cells[col];
            t.rows << picked;
        }
        return t;
    };
    Block table;
    table.kind = Block::Kind::Tables;
    QList<int> rerankColumns;
    for (int col = 0; col < SummaryModel::FixedColumnCount; ++col)
        rerankColumns << col;
    table.tables.push_back(columns({}, rerankColumns));
    metrics.blocks.push_back(table);
    // Each other source in a table of its own (all of them side by side would not fit the width).
    for (size_t o = 0; o < summary.otherCount(); ++o) {
        QList<int> otherColumns { SummaryModel::MetricColumn, SummaryModel::BaseColumn };
        for (int k = 0; k < SummaryModel::OtherColumnCount; ++k)
            otherColumns << SummaryModel::otherColumn(o, static_cast<SummaryModel::OtherColumn>(k));
        Block others;
        others.kind = Block::Kind::Tables;
        others.tables.push_back(columns(u"Every other source vs the model order (its own order, no re-ranking): "_qs
                + summary.headerData(SummaryModel::otherColumn(o, SummaryModel::OtherValue), Qt::Horizontal).toString(),
            otherColumns));
        metrics.blocks.push_back(others);
    }
    metrics.blocks.push_back(text(Block::Kind::Note,
        u"Each metric is the mean over the "_qs + QString::number(ws.runs().base->users.size()) + u" evaluated "_qs + who
            + u" (catalogue metrics over all lists). p-values are raw (not corrected for the number of metrics): "
              "paired t-test and Wilcoxon signed-rank test on the per-"_qs
            + (ds->queries() ? u"query"_qs : u"user"_qs)
            + u" values; bold where p < 0.05. 95% CI: bootstrap of the mean Δ, 1000 resamples, seed 42."_qs
            + (summary.otherCount() > 0
                    ? u" Compared sources: raw p-values, and Holm-corrected ones over the family of "_qs
                        + (summary.otherCount() == 1 ? u"one source (equal to the raw ones)"_qs
                                                     : QString::number(summary.otherCount()) + u" sources"_qs)
                        + u" compared with the model order (per metric and test)."_qs
                    : QString())));
    if (const auto &costs = ws.ruleCosts(); costs && !costs->rules.empty()) {
        // What each rule alone does (rule_costs): every rule vs every rule but this one.
        Table t;
        t.title = u"What each rule costs: this rule alone, over all "_qs + who
            + u" (with every rule − without it)"_qs;
        t.headers = { QStringLiteral("rule"), QStringLiteral("Δ nDCG"), QStringLiteral("Δ recall"),
            QStringLiteral("Δ coverage"), QStringLiteral("largest change in the category mix") };
        t.widths = { 3.0, 0.8, 0.8, 0.9, 2.6 };
        const std::vector<SessionRule> named = describe_rules(settings.rerank.rules, *ds);
        for (size_t i = 0; i < costs->rules.size() && i < named.size(); ++i) {
            const RuleCost &rc = costs->rules[i];
            size_t top = 0;
            for (size_t j = 1; j < rc.category_share.size(); ++j)
                if (std::abs(rc.category_share[j]) > std::abs(rc.category_share[top]))
                    top = j;
            const QString shift = rc.category_share.empty() || std::abs(rc.category_share[top]) < 1e-12
                ? QStringLiteral("none")
                : (top < ds->categories.size() ? QString::fromStdString(ds->categories[top].name) : u"unknown"_qs)
                    + u" "_qs + (rc.category_share[top] > 0 ? u"+"_qs : QString())
                    + QString::number(100 * rc.category_share[top], 'f', 2) + u" points of list slots"_qs;
            auto sig = [](double v) {
                return std::isnan(v) ? QStringLiteral("–") : (v > 0 ? u"+"_qs : QString()) + QString::number(v, 'f', 4);
            };
            t.rows << QList<Cell> { { ruleText(*ds, named[i]) }, { sig(rc.ndcg) }, { sig(rc.recall) }, { sig(rc.coverage) },
                { shift } };
        }
        Block rulesBlock;
        rulesBlock.kind = Block::Kind::Tables;
        rulesBlock.tables.push_back(t);
        metrics.blocks.push_back(rulesBlock);
    }
    c.pages.push_back(std::move(metrics));

    // Models as points: accuracy against variety, and what re-ranking moves.
    {
        Page map;
        map.blocks.push_back(text(Block::Kind::Heading, u"Accuracy against variety: the models as points"_qs));
        Block b;
        b.kind = Block::Kind::Plots;
        for (const char *x : { "personalization", "catalog_coverage" }) {
            auto plot = std::make_shared<ModelMapPlot>();
            showModelMap(plot.get(), ws.runs(), x);
            b.plots.push_back({ plot, 0.55 });
        }
        map.blocks.push_back(b);
        map.blocks.push_back(text(Block::Kind::Note,
            u"Each point is one model's (or run's) lists over all "_qs + who
                + u": up is more accurate (nDCG), right is more varied — personalization (1 − the mean overlap of "
                  "two "_qs + (ds->queries() ? u"queries'"_qs : u"users'"_qs)
                + u" lists) and catalogue coverage (the share of the catalogue shown to anyone). The arrow goes from "
                  "the primary model's own order to its re-ranked lists: what re-ranking buys in variety and "
                  "costs in accuracy."_qs));
        // Where the list slots go: the histories' top-level categories against each run's.
        auto mix = std::make_shared<CategoryPlot>();
        showAllUserCategoryMix(mix.get(), *ds, ws.palette(), ws.runs());
        Block mixBlock;
        mixBlock.kind = Block::Kind::Plots;
        mixBlock.plots.push_back({ mix, 0.3 });
        map.blocks.push_back(mixBlock);
        c.pages.push_back(std::move(map));
    }

    // Trade-off and strata.
    Page tradeoff;
    tradeoff.blocks.push_back(text(Block::Kind::Heading, u"What diversity costs: the δ sweep over all "_qs + who));
    if (!ws.sweep().curve.delta.empty()) {
        auto plot = std::make_shared<TradeoffPlot>();
        const SweepResult &sweep = ws.sweep();
        plot->setRequestsName(who);
        plot->setCurve(sweep.curve, QString::fromStdString(sweep.diversityMetric), QString::fromStdString(sweep.accuracyMetric));
        plot->setCurrentDelta(settings.rerank.diversity);
        Block b;
        b.kind = Block::Kind::Plots;
        b.plots.push_back({ plot, 0.42 });
        tradeoff.blocks.push_back(b);
        tradeoff.blocks.push_back(text(Block::Kind::Note,
            u"Each point is one δ from 0 (the model's order) to 1 (most diverse) with the current re-ranker; "
            "the red ring marks the δ of this report. Up is more accurate, right is more varied."_qs));
    } else {
        tradeoff.blocks.push_back(text(Block::Kind::Note, u"The δ sweep was not computed."_qs));
    }
    Block strataBlock;
    strataBlock.kind = Block::Kind::Tables;
    for (const auto &[name, model] : strata)
        if (model && model->rowCount() > 0)
            strataBlock.tables.push_back(modelTable(name, *model));
    if (!strataBlock.tables.empty())
        tradeoff.blocks.push_back(strataBlock);
    c.pages.push_back(std::move(tradeoff));

    // One page per story user (or the shown one).
    std::vector<StoryUser> pages = session.story;
    if (pages.empty() && ws.currentUser() >= 0)
        pages.push_back({ ds->user_external[static_cast<size_t>(ws.currentUser())], "the user shown in RecLens" });
    for (size_t i = 0; i < pages.size(); ++i) {
        const int32_t u = ds->find_user(pages[i].id);
        if (u < 0) {
            Page missing;
            missing.blocks.push_back(text(Block::Kind::Heading, QString::number(i + 1) + u". "_qs
                + QString::fromStdString(pages[i].id)));
            missing.blocks.push_back(text(Block::Kind::Text, u"This story user is not in the dataset "_qs
                + QFileInfo(QString::fromStdString(ds->path)).fileName() + u"; its note was: "_qs
                + QString::fromStdString(pages[i].note)));
            c.pages.push_back(std::move(missing));
            continue;
        }
        const UserView view = ws.viewOf(u);
        if (view.user < 0)
            continue;
        Page p;
        p.blocks.push_back(text(Block::Kind::Heading,
            (session.story.empty() ? QString() : QString::number(i + 1) + u". "_qs) + userHeadline(*ds, view)));
        if (!pages[i].note.empty())
            p.blocks.push_back(text(Block::Kind::Text, QString::fromStdString(pages[i].note)));
        Block lists;
        lists.kind = Block::Kind::Tables;
        for (const ListColumn &col : view.columns)
            lists.tables.push_back(listTable(*ds, ws.palette(), view, col));
        p.blocks.push_back(lists);
        Block plots;
        plots.kind = Block::Kind::Plots;
        auto mix = std::make_shared<CategoryPlot>();
        showCategoryMix(mix.get(), *ds, ws.palette(), view);
        auto div = std::make_shared<DiversityPlot>();
        showDiversityScores(div.get(), *ds, view);
        div->setTitle(QStringLiteral("Diversity scores of the lists"));
        plots.plots.push_back({ mix, 0.6 });
        plots.plots.push_back({ div, 0.6 });
        p.blocks.push_back(plots);
        c.pages.push_back(std::move(p));
    }
    return c;
}

// ---- PDF -----------------------------------------------------------------------------------------

class PdfWriter
{
public:
    PdfWriter(QPdfWriter &writer, QCPPainter &painter)
        : m_writer(writer)
        , m_p(painter)
    {
        m_area = writer.pageLayout().paintRectPixels(writer.resolution());
        m_area.moveTo(0, 0);
        m_y = m_area.top();
    }

    void page(const Page &page, bool first)
    {
        if (!first)
            newPage();
        for (const Block &b : page.blocks)
            block(b);
    }

private:
    QFont font(double pt, bool bold = false, bool italic = false) const
    {
        QFont f(QStringLiteral("DejaVu Sans"));
        f.setPointSizeF(pt);
        f.setBold(bold);
        f.setItalic(italic);
        return f;
    }
    void newPage()
    {
        m_writer.newPage();
        m_y = m_area.top();
    }
    void ensure(double height)
    {
        if (m_y + height > m_area.bottom() && m_y > m_area.top())
            newPage();
    }
    void paragraph(const QString &t, const QFont &f, const QColor &color, double after)
    {
        if (t.isEmpty())
            return;
        m_p.setFont(f);
        const QRectF bound = m_p.boundingRect(QRectF(m_area.left(), 0, m_area.width(), 1e6), Qt::TextWordWrap, t);
        ensure(bound.height());
        m_p.setPen(color);
        m_p.drawText(QRectF(m_area.left(), m_y, m_area.width(), bound.height()), Qt::TextWordWrap, t);
        m_y += bound.height() + after;
    }
    void block(const Block &b)
    {
        switch (b.kind) {
        case Block::Kind::Title:
            m_y += 90;
            paragraph(b.text, font(30, true), QColor(0x2b, 0x33, 0x40), 6);
            break;
        case Block::Kind::Heading:
            paragraph(b.text, font(15, true), QColor(0x2b, 0x33, 0x40), 8);
            break;
        case Block::Kind::Text:
            paragraph(b.text, font(11), QColor(0x2b, 0x33, 0x40), 10);
            break;
        case Block::Kind::Note:
            paragraph(b.text, font(8.5, false, true), QColor(0x5a, 0x63, 0x70), 10);
            break;
        case Block::Kind::Tables:
            tables(b.tables);
            break;
        case Block::Kind::Plots:
            plots(b.plots);
            break;
        }
    }

    void tables(const std::vector<Table> &ts)
    {
        if (ts.empty())
            return;
        const double gap = 16;
        const double w = (m_area.width() - gap * static_cast<double>(ts.size() - 1)) / static_cast<double>(ts.size());
        const QFont body = font(ts.size() > 2 ? 7.0 : 8.0), bold = font(ts.size() > 2 ? 7.0 : 8.0, true);
        const double rowH = QFontMetricsF(body).height() + 5;
        // Titles (one or two lines each) above the tables.
        double titleH = 0;
        m_p.setFont(font(9, true));
        for (const Table &t : ts)
            if (!t.title.isEmpty())
                titleH = std::max(titleH,
                    m_p.boundingRect(QRectF(0, 0, w, 1e6), Qt::TextWordWrap, t.title).height() + 4);
        ensure(titleH + rowH * std::min<qsizetype>(4, ts.front().rows.size() + 1));
        for (size_t i = 0; i < ts.size(); ++i) {
            m_p.setPen(QColor(0x2b, 0x33, 0x40));
            m_p.setFont(font(9, true));
            m_p.drawText(QRectF(m_area.left() + static_cast<double>(i) * (w + gap), m_y, w, titleH), Qt::TextWordWrap,
                ts[i].title);
        }
        m_y += titleH;
        // A header that does not fit its column takes two lines (never elided).
        double headerH = rowH;
        for (const Table &t : ts) {
            double total = 0;
            for (double v : t.widths)
                total += v;
            for (qsizetype c = 0; c < t.headers.size(); ++c)
                if (QFontMetricsF(bold).horizontalAdvance(t.headers[c]) > w * t.widths.value(c, 1.0) / total - 6)
                    headerH = 2 * QFontMetricsF(bold).height() + 5;
        }
        auto header = [&] {
            if (ts.front().keyValue)
                return;
            for (size_t i = 0; i < ts.size(); ++i)
                rowAt(ts[i], -1, m_area.left() + static_cast<double>(i) * (w + gap), w, headerH, bold, bold);
            m_y += headerH;
        };
        header();
        qsizetype rows = 0;
        for (const Table &t : ts)
            rows = std::max(rows, t.rows.size());
        for (qsizetype r = 0; r < rows; ++r) {
            // A key/value row (the title page's facts) wraps its text instead of eliding it.
            double h = rowH;
            if (ts.size() == 1 && ts.front().keyValue && r < ts.front().rows.size()) {
                const Table &t = ts.front();
                double total = 0;
                for (double v : t.widths)
                    total += v;
                for (qsizetype c = 0; c < t.rows[r].size(); ++c) {
                    const double cw = w * t.widths.value(c, 1.0) / total - 6;
                    m_p.setFont(body);
                    h = std::max(h, m_p.boundingRect(QRectF(0, 0, cw, 1e6), Qt::TextWordWrap, t.rows[r][c].text).height() + 5);
                }
            }
            if (m_y + h > m_area.bottom()) {
                // Never split a row: the rest goes on the next page, under the header again.
                newPage();
                header();
            }
            for (size_t i = 0; i < ts.size(); ++i)
                if (r < ts[i].rows.size())
                    rowAt(ts[i], r, m_area.left() + static_cast<double>(i) * (w + gap), w, h, body, bold);
            m_y += h;
        }
        m_y += 12;
    }

    void rowAt(const Table &t, qsizetype r, double x, double w, double h, const QFont &body, const QFont &bold)
    {
        double total = 0;
        for (double v : t.widths)
            total += v;
        if (r < 0)
            m_p.fillRect(QRectF(x, m_y, w, h), QColor(0xee, 0xf1, 0xf4));
        else if (r % 2 == 1)
            m_p.fillRect(QRectF(x, m_y, w, h), QColor(0xf8, 0xf9, 0xfa));
        double cx = x;
        for (qsizetype c = 0; c < t.headers.size(); ++c) {
            const double cw = w * t.widths.value(c, 1.0) / total;
            const Cell cell = r < 0 ? Cell { t.headers[c], {}, true } : t.rows[r].value(c);
            const QRectF box(cx + 3, m_y, cw - 6, h);
            m_p.setFont(cell.bold ? bold : body);
            if (r < 0) {
                m_p.setPen(QColor(0x2b, 0x33, 0x40));
                m_p.drawText(box, Qt::AlignVCenter | Qt::AlignLeft | Qt::TextWordWrap, cell.text);
                cx += cw;
                continue;
            }
            if (t.keyValue) {
                m_p.setPen(QColor(0x2b, 0x33, 0x40));
                m_p.drawText(box, Qt::AlignVCenter | Qt::AlignLeft | Qt::TextWordWrap, cell.text);
                cx += cw;
                continue;
            }
            const QString shown = QFontMetricsF(m_p.font()).elidedText(cell.text, Qt::ElideRight, box.width() - (cell.chip.isValid() ? 8 : 0));
            if (cell.chip.isValid()) {
                const double tw = QFontMetricsF(m_p.font()).horizontalAdvance(shown) + 8;
                const QRectF chip(box.left(), m_y + 1.5, std::min(tw, box.width()), h - 3);
                m_p.setPen(Qt::NoPen);
                m_p.setBrush(cell.chip);
                m_p.drawRoundedRect(chip, 4, 4);
                m_p.setPen(cell.chip.lightness() > 150 ? QColor(0x20, 0x20, 0x20) : Qt::white);
                m_p.drawText(chip, Qt::AlignCenter, shown);
            } else {
                m_p.setPen(QColor(0x2b, 0x33, 0x40));
                const bool numeric = !t.keyValue && c > 0 && !cell.text.isEmpty() && (cell.text[0].isDigit() || cell.text[0] == u'-'
                    || cell.text[0] == u'+' || cell.text[0] == u'–' || cell.text[0] == u'[');
                m_p.drawText(box, Qt::AlignVCenter | (numeric ? Qt::AlignRight : Qt::AlignLeft), shown);
            }
            cx += cw;
        }
        m_p.setPen(QPen(QColor(0xdd, 0xe1, 0xe6), 0.5));
        m_p.drawLine(QPointF(x, m_y + h), QPointF(x + w, m_y + h));
    }

    void plots(const std::vector<Plot> &ps)
    {
        if (ps.empty())
            return;
        const double gap = 16;
        const double w = (m_area.width() - gap * static_cast<double>(ps.size() - 1)) / static_cast<double>(ps.size());
        double h = 0;
        for (const Plot &p : ps)
            h = std::max(h, w * p.aspect);
        h = std::min(h, m_area.height() * 0.62);
        // Shrink a little rather than leave the page: down to 0.4 of the width.
        const double room = m_area.bottom() - m_y;
        if (h > room && room >= w * 0.4)
            h = room;
        ensure(h);
        for (size_t i = 0; i < ps.size(); ++i) {
            m_p.save();
            m_p.translate(m_area.left() + static_cast<double>(i) * (w + gap), m_y);
            ps[i].plot->toPainter(&m_p, static_cast<int>(w), static_cast<int>(h));
            m_p.restore();
        }
        m_y += h + 10;
    }

    QPdfWriter &m_writer;
    QCPPainter &m_p;
    QRectF m_area;
    double m_y = 0;
};

// ---- HTML ----------------------------------------------------------------------------------------

QString html(const QString &t)
{
    return t.toHtmlEscaped().replace(u'\n', u"<br>"_qs);
}

QString pngDataUri(QCustomPlot &plot, int w, int h)
{
    const QPixmap pixmap = plot.toPixmap(w, h, 2.0);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!pixmap.save(&buffer, "PNG"))
        throw Error("could not encode a plot as PNG");
    return u"data:image/png;base64,"_qs + QString::fromLatin1(bytes.toBase64());
}

QString htmlTable(const Table &t)
{
    QString out = u"<div class='table'>"_qs;
    if (!t.title.isEmpty())
        out += u"<div class='ttitle'>"_qs + html(t.title) + u"</div>"_qs;
    double total = 0;
    for (double v : t.widths)
        total += v;
    out += t.keyValue ? u"<table class='kv'><colgroup>"_qs : u"<table><colgroup>"_qs;
    for (double v : t.widths)
        out += u"<col style='width:"_qs + QString::number(100.0 * v / total, 'f', 1) + u"%'>"_qs;
    out += u"</colgroup>"_qs;
    if (!t.keyValue) {
        out += u"<thead><tr>"_qs;
        for (const QString &h : t.headers)
            out += u"<th>"_qs + html(h) + u"</th>"_qs;
        out += u"</tr></thead>"_qs;
    }
    out += u"<tbody>"_qs;
    for (const auto &row : t.rows) {
        out += u"<tr>"_qs;
        for (const Cell &c : row) {
            if (c.chip.isValid())
                out += u"<td><span class='chip' style='background:"_qs + c.chip.name() + u";color:"_qs
                    + (c.chip.lightness() > 150 ? u"#202020"_qs : u"#fff"_qs) + u"'>"_qs + html(c.text) + u"</span></td>"_qs;
            else
                out += (c.bold ? u"<td class='b'>"_qs : u"<td>"_qs) + html(c.text) + u"</td>"_qs;
        }
        out += u"</tr>"_qs;
    }
    return out + u"</tbody></table></div>"_qs;
}

QString toHtml(const Content &c)
{
    QString out = u"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>"_qs + html(c.title)
        + u"</title>\n<style>\n"
          "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;color:#2b3340;background:#e9ecef;margin:0}\n"
          "section{background:#fff;max-width:1120px;margin:24px auto;padding:28px 36px;box-shadow:0 1px 4px #0002}\n"
          "h1{font-size:34px;margin:60px 0 6px} h2{font-size:20px;margin:0 0 10px} p{font-size:15px;line-height:1.45}\n"
          ".note{font-size:12px;color:#5a6370;font-style:italic}\n"
          ".row{display:flex;gap:18px;align-items:flex-start} .row>*{flex:1;min-width:0}\n"
          ".table{margin:6px 0 14px} .ttitle{font-weight:bold;font-size:13px;margin-bottom:4px;white-space:pre-line}\n"
          "table{border-collapse:collapse;width:100%;font-size:12px;table-layout:fixed}\n"
          "th{background:#eef1f4;text-align:left;padding:4px 6px;vertical-align:bottom}\n"
          "td{padding:3px 6px;border-bottom:1px solid #dde1e6;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}\n"
          "td.b{font-weight:bold} tr:nth-child(even) td{background:#f8f9fa}\n"
          "table.kv td{white-space:normal;overflow:visible}\n"
          ".chip{border-radius:8px;padding:1px 7px;font-size:11px} img{width:100%;height:auto}\n"
          "@media print{body{background:#fff} section{box-shadow:none;margin:0;page-break-after:always}}\n"
          "</style></head><body>\n"_qs;
    for (const Page &page : c.pages) {
        out += u"<section>\n"_qs;
        for (const Block &b : page.blocks) {
            switch (b.kind) {
            case Block::Kind::Title:
                out += u"<h1>"_qs + html(b.text) + u"</h1>\n"_qs;
                break;
            case Block::Kind::Heading:
                out += u"<h2>"_qs + html(b.text) + u"</h2>\n"_qs;
                break;
            case Block::Kind::Text:
                out += u"<p>"_qs + html(b.text) + u"</p>\n"_qs;
                break;
            case Block::Kind::Note:
                out += u"<p class='note'>"_qs + html(b.text) + u"</p>\n"_qs;
                break;
            case Block::Kind::Tables:
                out += u"<div class='row'>"_qs;
                for (const Table &t : b.tables)
                    out += htmlTable(t);
                out += u"</div>\n"_qs;
                break;
            case Block::Kind::Plots:
                out += u"<div class='row'>"_qs;
                for (const Plot &p : b.plots) {
                    const int w = b.plots.size() > 1 ? 540 : 1040;
                    out += u"<div><img alt='"_qs + html(p.plot->objectName()) + u"' src='"_qs
                        + pngDataUri(*p.plot, w, static_cast<int>(w * p.aspect)) + u"'></div>"_qs;
                }
                out += u"</div>\n"_qs;
                break;
            }
        }
        out += u"</section>\n"_qs;
    }
    return out + u"</body></html>\n"_qs;
}

std::vector<NamedPath> openFiles(const Workspace &ws)
{
    std::vector<NamedPath> in;
    for (const QString &f : ws.openFiles())
        in.push_back({ f.toStdString(), "an open file" });
    return in;
}

} // namespace

QString writeReportPdf(Workspace &ws, const ReportTables &strata, const QString &path)
{
    try {
        check_outputs(openFiles(ws), { { path.toStdString(), "the report" } });
        const Content content = build(ws, strata);
        write_via_temporary(path.toStdString(), "report", [&](const std::string &tmp) {
            QPdfWriter writer(QString::fromStdString(tmp));
            writer.setResolution(72); // one unit = one point
            writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Landscape,
                QMarginsF(14, 12, 14, 12), QPageLayout::Millimeter));
            writer.setTitle(content.title);
            writer.setCreator(QStringLiteral("RecLens"));
            QCPPainter painter(&writer);
            if (!painter.isActive())
                throw Error("cannot write the PDF; check that the folder is writable");
            painter.setMode(QCPPainter::pmVectorized);
            painter.setMode(QCPPainter::pmNoCaching);
            painter.setRenderHint(QPainter::Antialiasing);
            PdfWriter out(writer, painter);
            for (size_t i = 0; i < content.pages.size(); ++i)
                out.page(content.pages[i], i == 0);
            if (!painter.end())
                throw Error("could not finish the PDF");
        });
    } catch (const std::exception &e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

QString writeReportHtml(Workspace &ws, const ReportTables &strata, const QString &path)
{
    try {
        check_outputs(openFiles(ws), { { path.toStdString(), "the report" } });
        const Content content = build(ws, strata);
        write_file_atomic(path.toStdString(), toHtml(content).toStdString(), "report");
    } catch (const std::exception &e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace reclens::ui
