#pragma once
// The inspection workspace for the selected user: history strip, the lists side by side (model
// order | re-ranked | any compared sources' own order), a box that picks the column rank moves are
// counted against and shows the overlap of every pair of lists, and the four plots (category mix, diversity scores,
// ROC, accuracy–diversity trade-off). Owns its list models; reads everything from the Workspace.
#include "core/metrics/metrics.h"
#include "ui/models/listlayout.h"

#include <QWidget>
#include <vector>

class QComboBox;
class QHBoxLayout;
class QLabel;
class QListView;
class QSplitter;
class QTableView;

namespace reclens::ui
{

struct SweepResult;
class CategoryPlot;
class DiversityPlot;
class HistoryModel;
class OverlapModel;
class PlotDeck;
class RankingListModel;
class RocPlot;
class TradeoffPlot;
class Workspace;

class InspectPage : public QWidget
{
    Q_OBJECT
public:
    explicit InspectPage(Workspace *workspace, QWidget *parent = nullptr);

    RankingListModel *listModel(int column) const;
    int visibleListCount() const;
    HistoryModel *historyModel() const { return m_historyModel; }
    CategoryPlot *categoryPlot() const { return m_categoryPlot; }
    DiversityPlot *diversityPlot() const { return m_diversityPlot; }
    RocPlot *rocPlot() const { return m_rocPlot; }
    TradeoffPlot *tradeoffPlot() const { return m_tradeoffPlot; }
    QComboBox *rocScopeBox() const { return m_rocScope; }
    QComboBox *baselineBox() const { return m_baseline; }
    OverlapModel *overlapModel() const { return m_overlapModel; }
    double lastApplyMs() const { return m_lastApplyMs; }
    // The lists row as last laid out (docs/gui.md, "Readable where people work"), the width twenty
    // characters of a title need in the lists' font, and the plots under the lists.
    const ListRowLayout &listRowLayout() const { return m_rowLayout; }
    int titleNeed() const;
    PlotDeck *plotDeck() const { return m_plots; }
    QTableView *listTable(int column) const;
    static constexpr int kTitleChars = 20;

Q_SIGNALS:
    void viewApplied(double ms); // the current user's lists and plots show the workspace's view

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void positionLevelBox();
    void onDatasetChanged();
    void applyView();
    void applyRoc();
    void applySweep(const reclens::ui::SweepResult &sweep);

    struct ListPanel {
        QWidget *box = nullptr;
        QLabel *title = nullptr;
        QLabel *metrics = nullptr;
        QTableView *table = nullptr;
        RankingListModel *model = nullptr;
    };
    ListPanel makeListPanel();
    void ensurePanels(size_t count);
    void relayoutLists();

    Workspace *m_workspace;
    QLabel *m_headline;
    QComboBox *m_barsLevel;
    QComboBox *m_rocScope; // all items | candidate pool
    QListView *m_history;
    QLabel *m_historyLabel = nullptr;
    HistoryModel *m_historyModel;
    std::vector<ListPanel> m_lists;
    QWidget *m_listsBox = nullptr;
    QHBoxLayout *m_listsLayout = nullptr;
    QWidget *m_compareBox = nullptr;
    QComboBox *m_baseline = nullptr;
    QTableView *m_overlapView = nullptr;
    OverlapModel *m_overlapModel = nullptr;
    CategoryPlot *m_categoryPlot;
    DiversityPlot *m_diversityPlot;
    RocPlot *m_rocPlot;
    std::vector<reclens::RocCurve> m_pooledRoc; // per source, as the analysis handed it over
    TradeoffPlot *m_tradeoffPlot;
    double m_lastApplyMs = 0;
    PlotDeck *m_plots = nullptr;
    QSplitter *m_splitter = nullptr;
    ListRowLayout m_rowLayout;
};

} // namespace reclens::ui
