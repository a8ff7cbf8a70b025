#pragma once
// Merchandising rules applied with the re-ranker (DESIGN §6): exclude an item, category or brand,
// boost or bury a category or brand, pin an item at a rank. Targets are typed by name (category,
// brand) or external id (item) and resolved against the open dataset.
#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
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

private:
    void refreshTable();

    Workspace *m_workspace;
    QComboBox *m_kind;
    QLineEdit *m_target;
    QDoubleSpinBox *m_value;
    QTableWidget *m_table;
};

} // namespace reclens::ui
