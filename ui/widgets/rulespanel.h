#pragma once
// Merchandising rules applied with the re-ranker (DESIGN §6): exclude an item, category or brand,
// boost or bury a category or brand, pin an item at a rank. Targets are typed by name (category,
// brand) or external id (item) and resolved against the open dataset. Each rule's row shows what it
// alone costs over all users (rule_costs, computed in the background): Δ nDCG, recall and coverage,
// with the strata and the category mix in its tooltip.
#include "core/analysis/rulecost.h"

#include <QWidget>
#include <optional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QTableWidget;

namespace reclens::ui
{

class Workspace;

class RulesPanel : public QWidget
{
    Q_OBJECT
public:
    explicit RulesPanel(Workspace *workspace, QWidget *parent = nullptr);

    // Adds a rule; returns an error message (empty on success). kind: index of the kind box.
    QString addRule(int kind, const QString &target, double value);
    QTableWidget *table() const { return m_table; }

private:
    void refreshTable();

    Workspace *m_workspace;
    QComboBox *m_kind;
    QLineEdit *m_target;
    QDoubleSpinBox *m_value;
    QTableWidget *m_table;
    QLabel *m_costStatus;
    std::optional<reclens::RuleCosts> m_costs; // as the analysis handed them over (none: stale or no rules)
};

} // namespace reclens::ui
