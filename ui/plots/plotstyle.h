#pragma once
// Shared look of the QCustomPlot widgets and the colours of the series (history, model order,
// re-ranked, second model), used by plots and list titles alike.
#include <QColor>
#include <QString>
#include <cstddef>

class QCustomPlot;
class QCPTextElement;
class QCPAxis;
class QCPBars;
class QCPBarsGroup;

namespace reclens::ui
{

struct SeriesColors {
    static QColor history() { return QColor(0xb8, 0xbf, 0xc9); }
    static QColor modelOrder() { return QColor(0x3b, 0x4a, 0x63); }
    static QColor reranked() { return QColor(0x17, 0x9c, 0x8c); }
    static QColor secondModel() { return QColor(0x8e, 0x5b, 0xc7); }
    // The n-th compared source (0 = the first shown beside the primary): purple, then colours that
    // stay apart from the primary's, the history's and the category chips' greys.
    static QColor otherSource(size_t n)
    {
        static const QColor colors[] = { secondModel(), QColor(0xc2, 0x7c, 0x0e), QColor(0x2f, 0x7e, 0xd8),
            QColor(0xa8, 0x3a, 0x5a), QColor(0x5d, 0x8a, 0x1f) };
        return colors[n % (sizeof colors / sizeof colors[0])];
    }
    static QColor pooled() { return QColor(0x9a, 0x9f, 0xa8); }
    static QColor marker() { return QColor(0xd6, 0x33, 0x33); }
};

// Fonts, grid, margins and a title row; returns the title element so the page can update it.
QCPTextElement *applyPlotStyle(QCustomPlot *plot, const QString &title);

// Sets the plot's type to `pt` points (axes, legend; the title a point larger and bold) and scales
// its text items by the same factor from their first size, so calling it again after the plot was
// refilled does not compound (presentation mode, for a room).
void setPlotFontSize(QCustomPlot *plot, double pt);

// Moves the legend out of the data: a row of its own between the title and the axes, `wrap` entries
// a row (0: one row). Calling it again only sets the wrap.
void placeLegendAbove(QCustomPlot *plot, int wrap = 0);
// The plot's legend rectangle and axis rectangle as last laid out (tests: a legend never covers data).
bool legendOutsideData(const QCustomPlot *plot);

// One series of a grouped bar chart, filled with `color` and outlined a shade darker.
QCPBars *addGroupedBars(QCPAxis *keyAxis, QCPAxis *valueAxis, QCPBarsGroup *group, const QString &name,
                        const QColor &color, double width);

} // namespace reclens::ui
