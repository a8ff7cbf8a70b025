#pragma once
// Re-ranking controls: algorithm, the diversity slider (δ, "0 = model order … 1 = most diverse"),
// similarity source, category level, caps, list length and the optional second model. Edits go
// straight to the Workspace; the slider updates the current user's view on every step.
#include "ui/session/workspace.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QSlider;
class QSpinBox;

namespace reclens::ui
{

class RerankPanel : public QWidget
{
    Q_OBJECT
public:
    explicit RerankPanel(Workspace *workspace, QWidget *parent = nullptr);

    QSlider *diversitySlider() const { return m_slider; }
    QComboBox *methodBox() const { return m_method; }
    // δ in slider steps (0..100).
    static int sliderSteps() { return 100; }
    // The last re-ranking settings (QSettings, group "controls"): put back into the workspace, and
    // kept when the window closes.
    void restoreSaved();
    void save() const;

Q_SIGNALS:
    void diversityMoved(double delta); // emitted before the workspace recomputes (for latency timing)

private:
    void fromWorkspace(); // reflect the workspace settings without feeding back
    void toWorkspace();
    void onDatasetChanged();

    Workspace *m_workspace;
    QComboBox *m_method;
    QSlider *m_slider;
    QLabel *m_value;
    QComboBox *m_similarity;
    QComboBox *m_level;
    QSpinBox *m_maxCategory;
    QSpinBox *m_maxBrand;
    QSpinBox *m_k;
    QComboBox *m_compare;
    QComboBox *m_compareAs; // the compared sources in their own order, or re-ranked like the primary
    bool m_updating = false;
};

} // namespace reclens::ui
