#pragma once
// Presentation mode (DESIGN §10): full screen, large type, only what a room needs — the story
// user's model-order and re-ranked lists and two plots (category mix, diversity scores), the note,
// and the δ in words. Left/Right (or Page Up/Down) step through the story users, Space or the play
// button sweeps δ from 0 to 1 and back in about five seconds (then returns to the session's δ), Esc
// or F11 leaves. It shows the Workspace's own view, so every number is the one Inspect shows.
#include <QWidget>

#include <memory>
#include <string>

namespace reclens
{
class Dataset;
}

class QLabel;
class QPushButton;
class QTableView;
class QVBoxLayout;
class QSequentialAnimationGroup;

namespace reclens::ui
{

class CategoryPlot;
class DiversityPlot;
class RankingListModel;
class Workspace;

class PresentationWindow : public QWidget
{
    Q_OBJECT
public:
    explicit PresentationWindow(Workspace *workspace, QWidget *parent = nullptr);

    // Position of the shown user in the story, -1 when the shown user is not a story user.
    int storyIndex() const;
    void showStory(int index);
    void next();
    void previous();
    // The δ sweep: 0 → 1 → 0 over `durationMs`, then back to the δ it started from.
    void playSweep();
    bool isPlaying() const;
    void setSweepDuration(int ms) { m_sweepMs = ms; }
    QLabel *headline() const { return m_headline; }
    QLabel *noteLabel() const { return m_note; }
    RankingListModel *listModel(int i) const { return i == 0 ? m_left : m_right; }
    QTableView *listView(int i) const { return i == 0 ? m_leftView : m_rightView; }
    // Every size of the window (type, rows, margins) is the 1920x1080 one times this.
    double scale() const { return m_scale; }
    static double scaleFor(const QSize &size);

Q_SIGNALS:
    void closed();
    void sweepFinished();

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void refresh();

    void applyScale();
    void fitColumns();

    Workspace *m_workspace;
    QVBoxLayout *m_layout = nullptr;
    double m_scale = 1.0;
    std::shared_ptr<const reclens::Dataset> m_datasetShown;
    std::string m_storyId; // the story user being presented (by id: the story may change meanwhile)
    // What presenting changes only for a while, put back on leaving.
    int32_t m_userBefore = -1;
    int m_sweepMs = 5000;
    double m_deltaBefore = 0;
    bool m_sweepModified = false;
    QLabel *m_headline;
    QLabel *m_note;
    QLabel *m_position;
    QLabel *m_leftTitle;
    QLabel *m_rightTitle;
    QLabel *m_delta;
    QTableView *m_leftView;
    QTableView *m_rightView;
    RankingListModel *m_left;
    RankingListModel *m_right;
    CategoryPlot *m_mix;
    DiversityPlot *m_diversity;
    QPushButton *m_play;
    QSequentialAnimationGroup *m_sweep;
};

} // namespace reclens::ui
