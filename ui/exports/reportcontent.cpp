#include "ui/exports/reportcontent.h"

#include "core/common/error.h"
#include "core/metrics/metrics.h"
#include "ui/models/rankinglistmodel.h"
#include "ui/models/summarymodel.h"
#include "ui/pages/viewplots.h"
#include "ui/plots/categoryplot.h"
#include "ui/plots/diversityplot.h"
#include "ui/plots/modelmapplot.h"
#include "ui/plots/tradeoffplot.h"
#include "ui/session/workspace.h"

#include <QDateTime>
#include <QFileInfo>
#include <QFont>
#include <QPicture>
#include <cmath>
#include <memory>

namespace reclens::ui::report
{

namespace
{

Plot plotOf(std::shared_ptr<QCustomPlot> widget, double aspect)
{
    Plot p;
    p.aspect = aspect;
    p.widget = std::move(widget);
    return p;
}

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
    const GlobalRuns &runs = ws.analysis()->runs();
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
        return model + u" over all users: nDCG@"_qs + k + u" "_qs + fmt(get(*runs.base, "ndcg"))
            + u", catalogue coverage "_qs + fmt(get(*runs.base, "catalog_coverage")) + u", personalization "_qs
            + fmt(get(*runs.base, "personalization"), 3) + u"."_qs;
    return u"Re-ranking "_qs + model + u" ("_qs + rerankText(s) + u") moves nDCG@"_qs + k + u" from "_qs
        + fmt(get(*runs.base, "ndcg")) + u" to "_qs + fmt(get(*runs.reranked, "ndcg")) + p + u"; category ILD from "_qs
        + fmt(get(*runs.base, "ild_category"), 3) + u" to "_qs + fmt(get(*runs.reranked, "ild_category"), 3)
        + u"; catalogue coverage from "_qs + fmt(get(*runs.base, "catalog_coverage")) + u" to "_qs
        + fmt(get(*runs.reranked, "catalog_coverage")) + u"; personalization from "_qs
        + fmt(get(*runs.base, "personalization"), 3) + u" to "_qs + fmt(get(*runs.reranked, "personalization"), 3)
        + u"."_qs;
}

Content buildContentOf(Workspace &ws, const Analysis &analysis, const ReportTables &strata)
{
    const auto ds = ws.dataset();
    if (!ds || ws.sources().empty())
        throw Error("nothing to report: open a dataset with a model or run first");
    if (!analysis.runs().base || !analysis.runs().reranked)
        throw Error("the all-user numbers are not computed yet: wait for the evaluation to finish");
    // Never numbers of other settings: the all-user run must be of the settings shown.
    if (!analysis.runsAreCurrent())
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
        QFileInfo(QString::fromStdString(ds->path)).fileName() + u" — "_qs + QString::number(ds->n_users()) + u" "_qs
            + who + u", "_qs + QString::number(ds->n_items()) + u" items, SHA-256 "_qs
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
    row(u"lists"_qs,
        u"K = "_qs + QString::number(settings.rerank.k) + u" items, chosen from the top "_qs
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
    summary.setRuns(analysis.runs());
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
        u"Each metric is the mean over the "_qs + QString::number(analysis.runs().base->users.size())
            + u" evaluated "_qs + who
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
    if (const auto &costs = analysis.ruleCosts(); costs && !costs->rules.empty()) {
        // What each rule alone does (rule_costs): every rule vs every rule but this one.
        Table t;
        t.title = u"What each rule costs: this rule alone, over all "_qs + who + u" (with every rule − without it)"_qs;
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
            t.rows << QList<Cell> { { ruleText(*ds, named[i]) }, { sig(rc.ndcg) }, { sig(rc.recall) },
                { sig(rc.coverage) }, { shift } };
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
            showModelMap(plot.get(), analysis.runs(), x);
            b.plots.push_back(plotOf(plot, 0.55));
        }
        map.blocks.push_back(b);
        map.blocks.push_back(text(Block::Kind::Note,
            u"Each point is one model's (or run's) lists over all "_qs + who
                + u": up is more accurate (nDCG), right is more varied — personalization (1 − the mean overlap of "
                  "two "_qs
                + (ds->queries() ? u"queries'"_qs : u"users'"_qs)
                + u" lists) and catalogue coverage (the share of the catalogue shown to anyone). The arrow goes from "
                  "the primary model's own order to its re-ranked lists: what re-ranking buys in variety and "
                  "costs in accuracy."_qs));
        // Where the list slots go: the histories' top-level categories against each run's.
        auto mix = std::make_shared<CategoryPlot>();
        showAllUserCategoryMix(mix.get(), *ds, ws.palette(), analysis.runs());
        Block mixBlock;
        mixBlock.kind = Block::Kind::Plots;
        mixBlock.plots.push_back(plotOf(mix, 0.3));
        map.blocks.push_back(mixBlock);
        c.pages.push_back(std::move(map));
    }

    // Trade-off and strata.
    Page tradeoff;
    tradeoff.blocks.push_back(text(Block::Kind::Heading, u"What diversity costs: the δ sweep over all "_qs + who));
    if (!analysis.sweep().curve.delta.empty()) {
        auto plot = std::make_shared<TradeoffPlot>();
        const SweepResult &sweep = analysis.sweep();
        plot->setRequestsName(who);
        plot->setCurve(
            sweep.curve, QString::fromStdString(sweep.diversityMetric), QString::fromStdString(sweep.accuracyMetric));
        plot->setCurrentDelta(settings.rerank.diversity);
        Block b;
        b.kind = Block::Kind::Plots;
        b.plots.push_back(plotOf(plot, 0.42));
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
            missing.blocks.push_back(
                text(Block::Kind::Heading, QString::number(i + 1) + u". "_qs + QString::fromStdString(pages[i].id)));
            missing.blocks.push_back(text(Block::Kind::Text,
                u"This story user is not in the dataset "_qs + QFileInfo(QString::fromStdString(ds->path)).fileName()
                    + u"; its note was: "_qs + QString::fromStdString(pages[i].note)));
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
        plots.plots.push_back(plotOf(mix, 0.6));
        plots.plots.push_back(plotOf(div, 0.6));
        p.blocks.push_back(plots);
        c.pages.push_back(std::move(p));
    }
    return c;
}

// A QPicture that says it has the PDF's resolution: a plot sizes its text (in points) and lines for
// the device it draws on, so on this one they come out as on the PDF itself. QPicture's own is the
// screen's, which would draw 9-point text 12 units high.
class PdfPicture : public QPicture
{
protected:
    int metric(PaintDeviceMetric m) const override
    {
        switch (m) {
        case PdmDpiX:
        case PdmDpiY:
        case PdmPhysicalDpiX:
        case PdmPhysicalDpiY:
            return kPdfDpi;
        default:
            return QPicture::metric(m);
        }
    }
};

template <typename F> void forEachPlot(Content &c, F &&f)
{
    for (Page &page : c.pages)
        for (Block &b : page.blocks)
            for (Plot &p : b.plots)
                f(p, b.plots.size());
}

} // namespace

bool Content::frozen() const
{
    for (const Page &page : pages)
        for (const Block &b : page.blocks)
            for (const Plot &p : b.plots)
                if (p.widget)
                    return false;
    return true;
}

Content buildContent(Workspace &workspace, const ReportTables &strata)
{
    return buildContentOf(workspace, *workspace.analysis(), strata);
}

void recordPlotsForPdf(Content &content, const std::vector<QSizeF> &sizes)
{
    size_t next = 0;
    forEachPlot(content, [&](Plot &p, size_t) {
        if (!p.widget)
            return;
        if (next >= sizes.size())
            throw Error("the report's layout has fewer plots than its content; nothing written");
        const QSizeF size = sizes[next++];
        PdfPicture picture;
        QCPPainter painter(&picture);
        if (!painter.isActive())
            throw Error("could not record a plot for the PDF");
        painter.setMode(QCPPainter::pmVectorized);
        painter.setMode(QCPPainter::pmNoCaching);
        painter.setRenderHint(QPainter::Antialiasing);
        p.widget->toPainter(&painter, static_cast<int>(size.width()), static_cast<int>(size.height()));
        painter.end();
        p.name = p.widget->objectName();
        p.picture = QByteArray(picture.data(), static_cast<qsizetype>(picture.size()));
        p.pictureSize = size;
        p.pictureDpi = QPicture().logicalDpiX();
        p.widget.reset();
    });
}

void renderPlotsForHtml(Content &content)
{
    forEachPlot(content, [](Plot &p, size_t inRow) {
        if (!p.widget)
            return;
        const int w = inRow > 1 ? 540 : 1040;
        p.name = p.widget->objectName();
        p.image = p.widget->toPixmap(w, static_cast<int>(w * p.aspect), 2.0).toImage();
        p.widget.reset();
    });
}

} // namespace reclens::ui::report
