#include "ui/models/summarymodel.h"

#include "ui/models/tableexport.h"

#include <QColor>
#include <QFont>
#include <cmath>

namespace reclens::ui
{

namespace
{
QString num(double v, int decimals = 4)
{
    return std::isnan(v) ? QStringLiteral("–") : QString::number(v, 'f', decimals);
}
QString pValue(double p)
{
    if (std::isnan(p))
        return QStringLiteral("–");
    return p < 1e-4 ? QStringLiteral("<0.0001") : QString::number(p, 'f', 4);
}
QString signedNum(double v)
{
    if (std::isnan(v))
        return QStringLiteral("–");
    return QString((v > 0 ? QStringLiteral("+") : QString()) + QString::number(v, 'f', 4));
}
} // namespace

SummaryModel::SummaryModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void SummaryModel::setEstimates(const WorkspaceEstimates &estimates)
{
    beginResetModel();
    m_rows.clear();
    m_others.clear();
    m_otherNames.clear();
    m_halfWidths.clear();
    m_estimated = true;
    for (const MetricInfo &info : metric_catalog()) {
        MetricComparison m;
        m.metric = std::string(info.name);
        std::pair<Interval, Interval> half;
        for (int id = 0; id < kUserMetricCount; ++id) {
            if (metric_name(static_cast<MetricId>(id)) != info.name)
                continue;
            const auto &a = estimates.base.metrics[static_cast<size_t>(id)];
            const auto &b = estimates.reranked.metrics[static_cast<size_t>(id)];
            m.value_a = a.mean;
            m.value_b = b.mean;
            half = { Interval { a.half_width, a.rough() }, Interval { b.half_width, b.rough() } };
        }
        m_rows.push_back(m);
        m_halfWidths.push_back(half);
    }
    endResetModel();
}

void SummaryModel::setRuns(const GlobalRuns &runs)
{
    beginResetModel();
    m_estimated = false;
    m_halfWidths.clear();
    m_rows.clear();
    m_others.clear();
    m_otherNames.clear();
    if (runs.rerankedVsBase)
        m_rows = runs.rerankedVsBase->metrics;
    for (size_t i = 0; i < runs.othersVsBase.size() && i < runs.others.size(); ++i) {
        if (runs.othersVsBase[i].metrics.size() != m_rows.size())
            continue;
        m_others.push_back(runs.othersVsBase[i].metrics);
        const std::string &name = runs.others[i]->source_name;
        m_otherNames << (name.empty() ? u"source "_qs + QString::number(i + 2) : QString::fromStdString(name));
    }
    endResetModel();
}

int SummaryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int SummaryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : otherColumn(m_others.size(), OtherValue);
}

QVariant SummaryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto row = static_cast<size_t>(index.row());
    const int column = index.column();
    // A compared source's cell: which source, and which of its columns; the re-ranked columns map to
    // the same kinds so that one set of rules formats both.
    const bool other = column >= FixedColumnCount;
    const size_t source = other ? static_cast<size_t>((column - FixedColumnCount) / OtherColumnCount) : 0;
    const int kind = other ? (column - FixedColumnCount) % OtherColumnCount : -1;
    const MetricComparison &m = other ? m_others[source][row] : m_rows[row];
    const MetricInfo *info = find_metric(m.metric);
    const bool isDelta = column == DeltaColumn || kind == OtherDelta;
    const bool isRawP = column == PairedTColumn || column == WilcoxonColumn || kind == OtherPairedT || kind == OtherWilcoxon;
    const bool isHolmP = kind == OtherPairedTHolm || kind == OtherWilcoxonHolm;
    const double p = column == PairedTColumn || kind == OtherPairedT ? m.test.p_paired_t
        : column == WilcoxonColumn || kind == OtherWilcoxon          ? m.test.p_wilcoxon
        : kind == OtherPairedTHolm                                  ? m.p_paired_t_holm
        : kind == OtherWilcoxonHolm                                 ? m.p_wilcoxon_holm
                                                                     : kNaN;
    if (role == Qt::ToolTipRole && info) {
        if (isHolmP)
            return QString(u"Holm-corrected over the "_qs + QString::number(m_others.size())
                + u" compared sources (each against the model order, this metric and test)"_qs);
        QString tip = QString::fromUtf8(info->formula.data(), static_cast<qsizetype>(info->formula.size())) + u"\n"_qs
            + QString::fromUtf8(info->description.data(), static_cast<qsizetype>(info->description.size()));
        if (m.metric == "ild_embedding" && std::isnan(m.value_a))
            tip += u"\n\n– = undefined: the model has no item embeddings of two or more dimensions (a one-column "
                   "score such as popularity's has no notion of distance). See ild_category."_qs;
        return tip;
    }
    if (role == Qt::TextAlignmentRole && column != MetricColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && isDelta) {
        const double d = m.value_b - m.value_a;
        if (std::isnan(d) || std::abs(d) < 1e-12 || !info)
            return QColor(0x8a, 0x90, 0x9a);
        return (d > 0) == info->higher_is_better ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28);
    }
    if (role == Qt::FontRole && (isRawP || isHolmP)) {
        if (!std::isnan(p) && p < 0.05) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    }
    if (role == ExportRole) {
        // Exact values for exports: numbers unrounded (NaN = undefined), the CI as [low, high].
        if (isRawP || isHolmP)
            return p;
        if (isDelta)
            return m.value_b - m.value_a;
        switch (column) {
        case MetricColumn:
            return QString::fromStdString(m.metric);
        case BaseColumn:
            return m.value_a;
        case RerankedColumn:
            return m.value_b;
        case CiColumn:
            return QVariantList { m.test.ci95_low, m.test.ci95_high };
        default:
            return kind == OtherValue ? QVariant(m.value_b) : QVariant();
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    if (m_estimated && column != MetricColumn) {
        // An estimate: per-user means with their 95% interval, nothing a sample cannot say.
        const auto [ha, hb] = m_halfWidths[row];
        const bool perUser = !std::isnan(m.value_a) || !std::isnan(m.value_b);
        auto approx = [](double v, const Interval &h) -> QString {
            if (std::isnan(v))
                return QStringLiteral("–");
            return u"≈ "_qs + num(v) + (std::isnan(h.half) ? QString() : QString(u" ± "_qs + num(h.half)))
                + (h.rough ? u" (rough)"_qs : QString());
        };
        if (column == BaseColumn)
            return perUser ? approx(m.value_a, ha) : QStringLiteral("…");
        if (column == RerankedColumn)
            return perUser ? approx(m.value_b, hb) : QStringLiteral("…");
        if (column == DeltaColumn && perUser)
            return QString(u"≈ "_qs + signedNum(m.value_b - m.value_a));
        return QStringLiteral("…");
    }
    if (isRawP || isHolmP)
        return pValue(p);
    if (isDelta)
        return signedNum(m.value_b - m.value_a);
    switch (column) {
    case MetricColumn:
        // Every row sits beside a re-ranked run's value.
        return QString::fromStdString(metric_label(m.metric, true));
    case BaseColumn:
        return num(m.value_a);
    case RerankedColumn:
        return num(m.value_b);
    case CiColumn:
        if (std::isnan(m.test.ci95_low))
            return QStringLiteral("–");
        return QString(u"["_qs + signedNum(m.test.ci95_low) + u", "_qs + signedNum(m.test.ci95_high) + u"]"_qs);
    default:
        return kind == OtherValue ? num(m.value_b) : QVariant();
    }
}

QVariant SummaryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0)
        return {};
    static const char *const names[] = { "metric", "model order", "re-ranked", "Δ re-ranked", "p (paired t)",
        "p (Wilcoxon)", "95% CI of Δ (bootstrap)" };
    if (section < FixedColumnCount)
        return QString::fromUtf8(names[section]);
    const auto source = static_cast<size_t>((section - FixedColumnCount) / OtherColumnCount);
    if (source >= m_others.size())
        return {};
    static const char *const kinds[] = { "", " Δ", " p t (raw)", " p t (Holm)", " p W (raw)", " p W (Holm)" };
    const int kind = (section - FixedColumnCount) % OtherColumnCount;
    return QString(m_otherNames[static_cast<int>(source)] + QString::fromUtf8(kinds[kind]));
}

} // namespace reclens::ui
