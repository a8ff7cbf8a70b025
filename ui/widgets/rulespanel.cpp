#include "ui/widgets/rulespanel.h"

#include "ui/models/rankinglistmodel.h"
#include "ui/session/workspace.h"

#include <QColor>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace reclens::ui
{

namespace
{
using Kind = MerchRule::Kind;
struct KindInfo {
    Kind kind;
    const char *label;
    const char *target; // "item", "category", "brand"
    const char *value; // meaning of the value, or nullptr
};
constexpr KindInfo kKinds[] = {
    { Kind::exclude_item, "Exclude item", "item", nullptr },
    { Kind::exclude_category, "Exclude category", "category", nullptr },
    { Kind::exclude_brand, "Exclude brand", "brand", nullptr },
    { Kind::boost_category, "Boost category", "category", "factor" },
    { Kind::boost_brand, "Boost brand", "brand", "factor" },
    { Kind::bury_category, "Bury category", "category", "factor" },
    { Kind::bury_brand, "Bury brand", "brand", "factor" },
    { Kind::pin_item, "Pin item at rank", "item", "rank" },
};
// Per stratum and the three categories whose share moved most.
QString costTooltip(const Dataset &ds, const RuleCost &c)
{
    QString tip = u"This rule alone, over all users (with every rule − without it):\n"_qs;
    for (const StratumDelta &s : c.strata) {
        tip += u"  "_qs + QString::fromStdString(s.name) + u": "_qs;
        if (!std::isnan(s.ndcg))
            tip += u"nDCG "_qs + QString::number(s.ndcg, 'f', 4) + u", "_qs;
        tip += u"recall "_qs + QString::number(s.recall, 'f', 4) + u"\n"_qs;
    }
    std::vector<size_t> order(c.category_share.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(),
        [&c](size_t a, size_t b) { return std::abs(c.category_share[a]) > std::abs(c.category_share[b]); });
    tip += u"Share of list slots:"_qs;
    for (size_t j = 0; j < std::min<size_t>(3, order.size()); ++j) {
        const size_t i = order[j];
        if (std::abs(c.category_share[i]) < 1e-12)
            break;
        const QString name = i < ds.categories.size() ? QString::fromStdString(ds.categories[i].name) : u"unknown"_qs;
        tip += u"\n  "_qs + name + u" "_qs + (c.category_share[i] > 0 ? u"+"_qs : QString())
            + QString::number(100 * c.category_share[i], 'f', 2) + u" points"_qs;
    }
    return tip;
}
} // namespace

RulesPanel::RulesPanel(Workspace *workspace, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *form = new QFormLayout;
    m_kind = new QComboBox(this);
    for (const KindInfo &k : kKinds)
        m_kind->addItem(QString::fromLatin1(k.label));
    m_target = new QLineEdit(this);
    m_target->setPlaceholderText(QStringLiteral("item id, category or brand name"));
    m_value = new QDoubleSpinBox(this);
    m_value->setRange(0, 1000);
    m_value->setValue(1.5);
    m_value->setToolTip(QStringLiteral("Boost/bury: factor on the normalised score; pin: the rank"));
    form->addRow(QStringLiteral("Rule"), m_kind);
    form->addRow(QStringLiteral("Target"), m_target);
    form->addRow(QStringLiteral("Factor / rank"), m_value);
    layout->addLayout(form);
    auto *add = new QPushButton(QStringLiteral("Add rule"), this);
    layout->addWidget(add);
    m_table = new QTableWidget(0, 6, this);
    m_table->setHorizontalHeaderLabels({ QStringLiteral("rule"), QStringLiteral("target"), QStringLiteral("value"),
        QStringLiteral("Δ nDCG"), QStringLiteral("Δ recall"), QStringLiteral("Δ coverage") });
    m_table->horizontalHeaderItem(3)->setToolTip(QStringLiteral(
        "What this rule alone changes over all users: the run with every rule minus the run with every rule "
        "but this one (everything else equal). Hover a row for the strata and the category mix."));
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    layout->addWidget(m_table, 1);
    m_costStatus = new QLabel(this);
    m_costStatus->setWordWrap(true);
    m_costStatus->setStyleSheet(QStringLiteral("color:#5a6370;"));
    layout->addWidget(m_costStatus);
    auto *remove = new QPushButton(QStringLiteral("Remove selected rule"), this);
    layout->addWidget(remove);

    connect(m_kind, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_value->setEnabled(kKinds[i].value != nullptr);
        if (kKinds[i].kind == Kind::pin_item)
            m_value->setValue(1);
    });
    connect(add, &QPushButton::clicked, this, [this] {
        const QString error = addRule(m_kind->currentIndex(), m_target->text(), m_value->value());
        if (!error.isEmpty())
            QMessageBox::warning(this, QStringLiteral("Rule not added"), error);
        else
            m_target->clear();
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = m_table->currentRow();
        WorkspaceSettings s = m_workspace->settings();
        if (row < 0 || static_cast<size_t>(row) >= s.rerank.rules.size())
            return;
        s.rerank.rules.erase(s.rerank.rules.begin() + row);
        m_workspace->setSettings(s);
    });
    connect(m_workspace, &Workspace::settingsChanged, this, &RulesPanel::refreshTable);
    const Analysis *analysis = m_workspace->analysis();
    connect(analysis, &Analysis::ruleCostsAvailable, this, [this](const std::optional<RuleCosts> &costs) {
        m_costs = costs;
        refreshTable();
    });
    connect(analysis, &Analysis::jobStarted, this, [this](Analysis::Job job) {
        if (job == Analysis::Job::ruleCosts)
            m_costStatus->setText(QStringLiteral("computing what each rule costs over all users…"));
    });
}

QString RulesPanel::addRule(int kind, const QString &target, double value)
{
    const auto ds = m_workspace->dataset();
    if (!ds)
        return QStringLiteral("Open a dataset first.");
    if (kind < 0 || kind >= static_cast<int>(std::size(kKinds)))
        return QStringLiteral("Unknown rule kind.");
    const KindInfo &info = kKinds[kind];
    const std::string name = target.trimmed().toStdString();
    MerchRule rule;
    rule.kind = info.kind;
    const std::string what = info.target;
    if (what == "item") {
        rule.target = ds->find_item(name);
    } else if (what == "category") {
        for (size_t c = 0; c < ds->categories.size() && rule.target < 0; ++c) {
            if (QString::fromStdString(ds->categories[c].name).compare(target.trimmed(), Qt::CaseInsensitive) == 0)
                rule.target = static_cast<int32_t>(c);
        }
    } else {
        for (size_t b = 0; b < ds->brands.size() && rule.target < 0; ++b) {
            if (QString::fromStdString(ds->brands[b]).compare(target.trimmed(), Qt::CaseInsensitive) == 0)
                rule.target = static_cast<int32_t>(b);
        }
    }
    if (rule.target < 0)
        return u"No "_qs + QString::fromStdString(what) + u" named '"_qs + target.trimmed()
            + u"' in this dataset; check the spelling (items by id, categories and brands by name)."_qs;
    if (rule.kind == Kind::pin_item)
        rule.rank = std::max(1, static_cast<int>(value));
    else if (info.value)
        rule.factor = value;
    WorkspaceSettings s = m_workspace->settings();
    s.rerank.rules.push_back(rule);
    m_workspace->setSettings(s);
    return {};
}

void RulesPanel::refreshTable()
{
    const auto ds = m_workspace->dataset();
    const auto &rules = m_workspace->settings().rerank.rules;
    m_table->setRowCount(static_cast<int>(rules.size()));
    for (size_t i = 0; i < rules.size(); ++i) {
        const MerchRule &r = rules[i];
        const KindInfo *info = nullptr;
        for (const KindInfo &k : kKinds) {
            if (k.kind == r.kind)
                info = &k;
        }
        QString target;
        if (ds && info) {
            const std::string what = info->target;
            if (what == "item")
                target = itemTitle(*ds, r.target);
            else if (what == "category")
                target = categoryName(*ds, r.target);
            else if (r.target >= 0 && static_cast<size_t>(r.target) < ds->brands.size())
                target = QString::fromStdString(ds->brands[static_cast<size_t>(r.target)]);
        }
        const QString value = r.kind == Kind::pin_item ? u"rank "_qs + QString::number(r.rank)
            : (info && info->value)                    ? u"× "_qs + QString::number(r.factor)
                                                       : QString();
        m_table->setItem(
            static_cast<int>(i), 0, new QTableWidgetItem(info ? QString::fromLatin1(info->label) : QString()));
        m_table->setItem(static_cast<int>(i), 1, new QTableWidgetItem(target));
        m_table->setItem(static_cast<int>(i), 2, new QTableWidgetItem(value));
        const auto &costs = m_costs;
        const RuleCost *cost = costs && i < costs->rules.size() && costs->rules[i].rule == r ? &costs->rules[i] : nullptr;
        const QString tip = cost && ds ? costTooltip(*ds, *cost) : QString();
        for (int c = 0; c < 3; ++c) {
            const double v = !cost ? kNaN : c == 0 ? cost->ndcg : c == 1 ? cost->recall : cost->coverage;
            auto *item = new QTableWidgetItem(std::isnan(v) ? QStringLiteral("…")
                                                            : (v > 0 ? u"+"_qs : QString()) + QString::number(v, 'f', 4));
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (!std::isnan(v) && std::abs(v) > 1e-12)
                item->setForeground(v > 0 ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28));
            item->setToolTip(tip);
            m_table->setItem(static_cast<int>(i), 3 + c, item);
        }
        for (int c = 0; c < 3; ++c)
            if (m_table->item(static_cast<int>(i), c))
                m_table->item(static_cast<int>(i), c)->setToolTip(tip);
    }
    const auto &costs = m_costs;
    if (rules.empty())
        m_costStatus->setText(QString());
    else if (costs)
        m_costStatus->setText(u"Δ: what each rule alone changes over all users (all rules vs all but this one); "
                              "nDCG with all rules "_qs
            + QString::number(costs->with_all.count("ndcg") ? costs->with_all.at("ndcg") : kNaN, 'f', 4) + u"."_qs);
    else if (!m_workspace->analysis()->isRunning(Analysis::Job::ruleCosts))
        m_costStatus->setText(QStringLiteral("what each rule costs follows the all-user evaluation"));
}

} // namespace reclens::ui
