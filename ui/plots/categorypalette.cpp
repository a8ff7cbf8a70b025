#include "ui/plots/categorypalette.h"

#include "core/data/dataset.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

namespace reclens::ui
{

namespace
{
// Qualitative colours (Tableau 10 with two additions), chosen to stay apart for colour-blind readers
// and to carry black or white text.
constexpr std::array<QRgb, 12> kBase { 0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f, 0xedc948, 0xb07aa1, 0xff9da7,
    0x9c755f, 0x86bcb6, 0xd37295, 0x8cd17d };
} // namespace

CategoryPalette::CategoryPalette(std::vector<int32_t> rankedTopCategories)
    : ranked(std::move(rankedTopCategories))
{
    int32_t maxIndex = -1;
    for (int32_t c : ranked)
        maxIndex = std::max(maxIndex, c);
    ordinalOf.assign(static_cast<size_t>(maxIndex + 1), -1);
    for (size_t i = 0; i < ranked.size(); ++i) {
        if (ranked[i] >= 0 && ordinalOf[static_cast<size_t>(ranked[i])] < 0)
            ordinalOf[static_cast<size_t>(ranked[i])] = static_cast<int32_t>(i);
    }
}

CategoryPalette CategoryPalette::fromDataset(const Dataset &dataset)
{
    std::vector<int64_t> weight(dataset.categories.size(), 0);
    std::vector<int32_t> tops;
    for (size_t c = 0; c < dataset.categories.size(); ++c) {
        if (dataset.categories[c].parent < 0)
            tops.push_back(static_cast<int32_t>(c));
    }
    for (int32_t item : dataset.train.items) {
        const int32_t top = dataset.top_category(item);
        if (top >= 0)
            ++weight[static_cast<size_t>(top)];
    }
    std::stable_sort(tops.begin(), tops.end(),
        [&](int32_t a, int32_t b) { return weight[static_cast<size_t>(a)] > weight[static_cast<size_t>(b)]; });
    return CategoryPalette(std::move(tops));
}

QColor CategoryPalette::color(int32_t topCategory) const
{
    if (topCategory < 0 || static_cast<size_t>(topCategory) >= ordinalOf.size())
        return unknownColor();
    const int32_t ordinal = ordinalOf[static_cast<size_t>(topCategory)];
    return ordinal < 0 ? unknownColor() : colorAt(ordinal);
}

int CategoryPalette::baseColorCount()
{
    return static_cast<int>(kBase.size());
}

QColor CategoryPalette::colorAt(int ordinal)
{
    if (ordinal < 0)
        return unknownColor();
    if (ordinal < baseColorCount())
        return QColor::fromRgb(kBase[static_cast<size_t>(ordinal)]);
    // Golden-angle steps keep generated hues apart however many there are.
    const double hue = std::fmod(0.07 + (ordinal - baseColorCount()) * 0.381966, 1.0);
    const double saturation = ((ordinal / 2) % 2 == 0) ? 0.45 : 0.60;
    return QColor::fromHsvF(static_cast<float>(hue), static_cast<float>(saturation), 0.85f);
}

QColor CategoryPalette::unknownColor()
{
    return QColor::fromRgb(0xbab0ac);
}

QColor CategoryPalette::textColorOn(const QColor &background)
{
    auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    const double luminance = 0.2126 * channel(background.redF()) + 0.7152 * channel(background.greenF())
        + 0.0722 * channel(background.blueF());
    // Contrast against black (L+0.05)/0.05 vs white 1.05/(L+0.05): equal at L ~ 0.179.
    return luminance > 0.179 ? QColor(Qt::black) : QColor(Qt::white);
}

} // namespace reclens::ui
