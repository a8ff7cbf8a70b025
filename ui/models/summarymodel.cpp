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

void SummaryModel::setRuns(const GlobalRuns &runs)
{
    beginResetModel();
    m_rows.clear();
    m_second.clear();
    m_hasSecond = false;
    if (runs.rerankedVsBase)
        m_rows = runs.rerankedVsBase->metrics;
    if (runs.secondVsBase && runs.secondVsBase->metrics.size() == m_rows.size()) {
        m_second = runs.secondVsBase->metrics;
        m_hasSecond = true;
    }
    endResetModel();
}

int SummaryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int SummaryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SummaryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MetricComparison &m = m_rows[static_cast<size_t>(index.row())];
    const MetricComparison *s = m_hasSecond ? &m_second[static_cast<size_t>(index.row())] : nullptr;
    const MetricInfo *info = find_metric(m.metric);
    if (role == Qt::ToolTipRole && info) {
        QString tip = QString::fromUtf8(info->formula.data(), static_cast<qsizetype>(info->formula.size())) + u"\n"_qs
            + QString::fromUtf8(info->description.data(), static_cast<qsizetype>(info->description.size()));
        if (m.metric == "ild_embedding" && std::isnan(m.value_a))
            tip += u"\n\n– = undefined: the model has no item embeddings of two or more dimensions (a one-column "
                   "score such as popularity's has no notion of distance). See ild_category."_qs;
        return tip;
    }
    if (role == Qt::TextAlignmentRole && index.column() != MetricColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && (index.column() == DeltaColumn || index.column() == SecondDeltaColumn)) {
        const double d = index.column() == DeltaColumn ? m.value_b - m.value_a : (s ? s->value_b - s->value_a : kNaN);
        if (std::isnan(d) || std::abs(d) < 1e-12 || !info)
            return QColor(0x8a, 0x90, 0x9a);
        return (d > 0) == info->higher_is_better ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28);
    }
    if (role == Qt::FontRole && (index.column() == PairedTColumn || index.column() == WilcoxonColumn)) {
        const double p = index.column() == PairedTColumn ? m.test.p_paired_t : m.test.p_wilcoxon;
        if (!std::isnan(p) && p < 0.05) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    }
    if (role == ExportRole) {
        // Exact values for exports: numbers unrounded (NaN = undefined), the CI as [low, high].
        switch (index.column()) {
        case MetricColumn:
            return QString::fromStdString(m.metric);
        case BaseColumn:
            return m.value_a;
        case RerankedColumn:
            return m.value_b;
        case DeltaColumn:
            return m.value_b - m.value_a;
        case PairedTColumn:
            return m.test.p_paired_t;
        case WilcoxonColumn:
            return m.test.p_wilcoxon;
        case CiColumn:
            return QVariantList { m.test.ci95_low, m.test.ci95_high };
        case SecondColumn:
            return s ? s->value_b : kNaN;
        case SecondDeltaColumn:
            return s ? s->value_b - s->value_a : kNaN;
        case SecondPColumn:
            return s ? s->test.p_paired_t : kNaN;
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case MetricColumn:
        return QString::fromStdString(m.metric);
    case BaseColumn:
        return num(m.value_a);
    case RerankedColumn:
        return num(m.value_b);
    case DeltaColumn:
        return signedNum(m.value_b - m.value_a);
    case PairedTColumn:
        return pValue(m.test.p_paired_t);
    case WilcoxonColumn:
        return pValue(m.test.p_wilcoxon);
    case CiColumn:
        if (std::isnan(m.test.ci95_low))
            return QStringLiteral("–");
        return QString(u"["_qs + signedNum(m.test.ci95_low) + u", "_qs + signedNum(m.test.ci95_high) + u"]"_qs);
    case SecondColumn:
        return s ? num(s->value_b) : QString();
    case SecondDeltaColumn:
        return s ? signedNum(s->value_b - s->value_a) : QString();
    case SecondPColumn:
        return s ? pValue(s->test.p_paired_t) : QString();
    default:
        return {};
    }
}

QVariant SummaryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[] = { "metric", "model order", "re-ranked", "Δ re-ranked", "p (paired t)",
        "p (Wilcoxon)", "95% CI of Δ (bootstrap)", "second model", "Δ second", "p second (t)" };
    return section >= 0 && section < ColumnCount ? QString::fromUtf8(names[section]) : QVariant();
}

} // namespace reclens::ui
