#pragma once
// One colour per top-level category, used by every chip, bar and legend in the UI so a category
// looks the same everywhere. A plain value type: build it once per dataset and copy it freely.
#include <QColor>
#include <cstdint>
#include <vector>

namespace reclens
{
class Dataset;
}

namespace reclens::ui
{

struct CategoryPalette {
    // `rankedTopCategories`: dataset indices of the top-level categories, most important first.
    // The first ones get the clearly distinct base colours; later ones get generated hues.
    explicit CategoryPalette(std::vector<int32_t> rankedTopCategories = {});

    // Ranks top-level categories by how many train interactions fall under them (ties by index),
    // so the categories a user sees most get the most distinct colours.
    static CategoryPalette fromDataset(const Dataset &dataset);

    // Colour of a top-level category index; -1 (no category) and unknown indices get unknownColor().
    QColor color(int32_t topCategory) const;

    static int baseColorCount();
    // The n-th colour of the palette: the base colours first, then golden-angle hues.
    static QColor colorAt(int ordinal);
    static QColor unknownColor();
    // Black or white, whichever reads better on `background` (WCAG relative luminance).
    static QColor textColorOn(const QColor &background);

    std::vector<int32_t> ranked; // top-level category indices in colour order
    std::vector<int32_t> ordinalOf; // category index -> ordinal, -1 when not ranked
};

} // namespace reclens::ui
