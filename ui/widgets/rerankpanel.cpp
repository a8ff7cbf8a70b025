#include "ui/widgets/rerankpanel.h"

#include <QSettings>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>

namespace reclens::ui
{

namespace
{
QLabel *caption(const QString &text, QWidget *parent)
{
    auto *l = new QLabel(text, parent);
    l->setStyleSheet(QStringLiteral("color:#4a5360; font-size:8.5pt;"));
    return l;
}
} // namespace

RerankPanel::RerankPanel(Workspace *workspace, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
{
    setObjectName(QStringLiteral("rerankPanel"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->setSpacing(14);

    auto addField = [&](const QString &label, QWidget *field) {
        auto *box = new QVBoxLayout;
        box->setSpacing(1);
        box->addWidget(caption(label, this));
        box->addWidget(field);
        layout->addLayout(box);
    };

    m_method = new QComboBox(this);
    m_method->addItem(QStringLiteral("MMR"), static_cast<int>(RerankMethod::mmr));
    m_method->addItem(QStringLiteral("DPP"), static_cast<int>(RerankMethod::dpp));
    m_method->addItem(QStringLiteral("Calibrated"), static_cast<int>(RerankMethod::calibrated));
    m_method->addItem(QStringLiteral("Caps only"), static_cast<int>(RerankMethod::caps));
    m_method->addItem(QStringLiteral("None (rules only)"), static_cast<int>(RerankMethod::none));
    m_method->setToolTip(QStringLiteral("Re-ranking algorithm applied to the model's top candidates"));
    addField(QStringLiteral("Re-ranker"), m_method);

    // The slider with its meaning written at both ends.
    auto *sliderBox = new QVBoxLayout;
    sliderBox->setSpacing(1);
    auto *sliderHead = new QHBoxLayout;
    sliderHead->addWidget(caption(QStringLiteral("Diversity δ"), this));
    m_value = new QLabel(this);
    m_value->setStyleSheet(QStringLiteral("font-weight:600; color:#179c8c;"));
    sliderHead->addWidget(m_value);
    sliderHead->addStretch(1);
    sliderBox->addLayout(sliderHead);
    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setRange(0, sliderSteps());
    m_slider->setSingleStep(1);
    m_slider->setPageStep(10);
    m_slider->setMinimumWidth(260);
    m_slider->setToolTip(QStringLiteral("0 = model order … 1 = most diverse"));
    sliderBox->addWidget(m_slider);
    auto *ends = new QHBoxLayout;
    ends->addWidget(caption(QStringLiteral("0 = model order"), this));
    ends->addStretch(1);
    ends->addWidget(caption(QStringLiteral("…"), this));
    ends->addStretch(1);
    ends->addWidget(caption(QStringLiteral("1 = most diverse"), this));
    sliderBox->addLayout(ends);
    layout->addLayout(sliderBox, 2);

    m_similarity = new QComboBox(this);
    m_similarity->addItem(QStringLiteral("Embedding"), static_cast<int>(SimilarityKind::embedding));
    m_similarity->addItem(QStringLiteral("Category"), static_cast<int>(SimilarityKind::category));
    m_similarity->setToolTip(QStringLiteral("How similar two items are: cosine of the model's item embeddings, or "
                                            "closeness in the category tree"));
    addField(QStringLiteral("Similarity"), m_similarity);

    m_level = new QComboBox(this);
    m_level->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_level->setToolTip(QStringLiteral("Category level for the category mix, calibration and caps"));
    addField(QStringLiteral("Category level"), m_level);

    m_maxCategory = new QSpinBox(this);
    m_maxCategory->setRange(0, 100);
    m_maxCategory->setSpecialValueText(QStringLiteral("no cap"));
    m_maxCategory->setToolTip(QStringLiteral("Caps re-ranker: at most this many items per category (0 = no cap)"));
    addField(QStringLiteral("Max / category"), m_maxCategory);
    m_maxBrand = new QSpinBox(this);
    m_maxBrand->setRange(0, 100);
    m_maxBrand->setSpecialValueText(QStringLiteral("no cap"));
    m_maxBrand->setToolTip(QStringLiteral("Caps re-ranker: at most this many items per brand (0 = no cap)"));
    addField(QStringLiteral("Max / brand"), m_maxBrand);

    m_k = new QSpinBox(this);
    m_k->setRange(1, 100);
    m_k->setToolTip(QStringLiteral("List length K"));
    addField(QStringLiteral("List length K"), m_k);

    m_compare = new QComboBox(this);
    m_compare->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_compare->setObjectName(QStringLiteral("compareSources"));
    m_compare->setToolTip(QStringLiteral("Show other models' or runs' lists beside the two lists (each in its own "
                                         "order) and compare them with the model order in the Summary"));
    addField(QStringLiteral("Compare with"), m_compare);
    m_compareAs = new QComboBox(this);
    m_compareAs->setObjectName(QStringLiteral("compareAs"));
    m_compareAs->addItem(QStringLiteral("own order"), 0);
    m_compareAs->addItem(QStringLiteral("re-ranked"), 1);
    m_compareAs->setToolTip(QStringLiteral("The compared sources' lists: each model's own order, or re-ranked with the "
                                           "same re-ranker, δ and rules as the primary (with its own embeddings)"));
    addField(QStringLiteral("shown as"), m_compareAs);
    layout->addStretch(1);

    connect(m_slider, &QSlider::valueChanged, this, [this](int v) {
        const double delta = static_cast<double>(v) / sliderSteps();
        m_value->setText(QString::number(delta, 'f', 2));
        if (m_updating)
            return;
        Q_EMIT diversityMoved(delta);
        m_workspace->setDiversity(delta);
    });
    for (QComboBox *box : { m_method, m_similarity, m_level, m_compare, m_compareAs })
        connect(box, &QComboBox::currentIndexChanged, this, &RerankPanel::toWorkspace);
    for (QSpinBox *spin : { m_maxCategory, m_maxBrand, m_k })
        connect(spin, &QSpinBox::valueChanged, this, &RerankPanel::toWorkspace);
    connect(m_workspace, &Workspace::settingsChanged, this, &RerankPanel::fromWorkspace);
    connect(m_workspace, &Workspace::datasetChanged, this, &RerankPanel::onDatasetChanged);
    connect(m_workspace, &Workspace::modelsChanged, this, &RerankPanel::onDatasetChanged);
    onDatasetChanged();
}

void RerankPanel::onDatasetChanged()
{
    m_updating = true;
    m_level->clear();
    const auto ds = m_workspace->dataset();
    const int levels = ds ? ds->category_levels : 0;
    static const char *const cjNames[] = { "department", "product category", "product type" };
    for (int l = 1; l <= levels; ++l) {
        // Name a level after one of its categories' depth when the dataset is CompleteJourney-like.
        QString text = u"level "_qs + QString::number(l);
        if (levels == 3)
            text += u" ("_qs + QString::fromLatin1(cjNames[l - 1]) + u")"_qs;
        m_level->addItem(text, l);
    }
    if (levels == 0)
        m_level->addItem(QStringLiteral("none"), 0);
    m_compare->clear();
    m_compare->addItem(QStringLiteral("(nothing)"), QVariantList {});
    const auto &sources = m_workspace->sources();
    QVariantList all;
    for (size_t i = 1; i < sources.size(); ++i) {
        m_compare->addItem(QString::fromStdString(sources[i].name()) + (sources[i].isRun() ? u" (run)"_qs : QString()),
            QVariantList { static_cast<int>(i) });
        all << static_cast<int>(i);
    }
    if (all.size() > 1)
        m_compare->addItem(u"all "_qs + QString::number(all.size()) + u" other sources"_qs, all);
    m_updating = false;
    fromWorkspace();
}

void RerankPanel::fromWorkspace()
{
    m_updating = true;
    const WorkspaceSettings &s = m_workspace->settings();
    m_method->setCurrentIndex(std::max(0, m_method->findData(static_cast<int>(s.rerank.method))));
    m_slider->setValue(static_cast<int>(std::lround(s.rerank.diversity * sliderSteps())));
    m_value->setText(QString::number(s.rerank.diversity, 'f', 2));
    m_similarity->setCurrentIndex(std::max(0, m_similarity->findData(static_cast<int>(s.rerank.similarity))));
    const auto ds = m_workspace->dataset();
    const int level = s.rerank.category_level == 0 && ds ? ds->category_levels : s.rerank.category_level;
    m_level->setCurrentIndex(std::max(0, m_level->findData(level)));
    m_maxCategory->setValue(s.rerank.max_per_category);
    m_maxBrand->setValue(s.rerank.max_per_brand);
    m_k->setValue(s.rerank.k);
    QVariantList compared;
    for (int i : s.compared)
        compared << i;
    int at = -1;
    for (int i = 0; i < m_compare->count() && at < 0; ++i)
        at = m_compare->itemData(i).toList() == compared ? i : -1;
    if (at < 0) { // an order of sources no item offers (a session's): offered as it is
        QStringList names;
        for (int i : s.compared)
            names << (static_cast<size_t>(i) < m_workspace->sources().size()
                    ? QString::fromStdString(m_workspace->sources()[static_cast<size_t>(i)].name())
                    : QString::number(i));
        m_compare->addItem(names.join(u", "_qs), compared);
        at = m_compare->count() - 1;
    }
    m_compare->setCurrentIndex(at);
    m_compareAs->setCurrentIndex(s.compareReranked ? 1 : 0);
    const bool hasEmbeddings = m_workspace->hasEmbeddings();
    m_similarity->setEnabled(hasEmbeddings);
    m_updating = false;
}

void RerankPanel::toWorkspace()
{
    if (m_updating)
        return;
    WorkspaceSettings s = m_workspace->settings();
    s.rerank.method = static_cast<RerankMethod>(m_method->currentData().toInt());
    s.rerank.diversity = static_cast<double>(m_slider->value()) / sliderSteps();
    s.rerank.similarity = static_cast<SimilarityKind>(m_similarity->currentData().toInt());
    s.rerank.category_level = m_level->currentData().toInt();
    s.rerank.max_per_category = m_maxCategory->value();
    s.rerank.max_per_brand = m_maxBrand->value();
    s.rerank.k = m_k->value();
    s.compareReranked = m_compareAs->currentData().toInt() == 1;
    s.compared.clear();
    for (const QVariant &i : m_compare->currentData().toList())
        s.compared.push_back(i.toInt());
    m_workspace->setSettings(s);
}

void RerankPanel::restoreSaved()
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("controls"));
    if (!settings.contains(QStringLiteral("method")))
        return;
    WorkspaceSettings s = m_workspace->settings();
    s.rerank.method = static_cast<RerankMethod>(settings.value(QStringLiteral("method")).toInt());
    s.rerank.diversity = std::clamp(settings.value(QStringLiteral("diversity")).toDouble(), 0.0, 1.0);
    s.rerank.similarity = static_cast<SimilarityKind>(settings.value(QStringLiteral("similarity")).toInt());
    s.rerank.category_level = settings.value(QStringLiteral("level")).toInt();
    s.rerank.max_per_category = settings.value(QStringLiteral("maxPerCategory")).toInt();
    s.rerank.max_per_brand = settings.value(QStringLiteral("maxPerBrand")).toInt();
    s.rerank.k = std::max(1, settings.value(QStringLiteral("k"), 10).toInt());
    m_workspace->setSettings(s);
}

void RerankPanel::save() const
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("controls"));
    const WorkspaceSettings &s = m_workspace->settings();
    settings.setValue(QStringLiteral("method"), static_cast<int>(s.rerank.method));
    settings.setValue(QStringLiteral("diversity"), s.rerank.diversity);
    settings.setValue(QStringLiteral("similarity"), static_cast<int>(s.rerank.similarity));
    settings.setValue(QStringLiteral("level"), s.rerank.category_level);
    settings.setValue(QStringLiteral("maxPerCategory"), s.rerank.max_per_category);
    settings.setValue(QStringLiteral("maxPerBrand"), s.rerank.max_per_brand);
    settings.setValue(QStringLiteral("k"), s.rerank.k);
}

} // namespace reclens::ui
