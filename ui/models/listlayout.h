#pragma once
// Where the room of the lists row goes (DESIGN §7, "Readable where people work"): plain maths, no
// widgets, so that data-driven tests can check every case. The title column is what people read;
// everything else gives way to it, in this order, until the title has its twenty characters:
//   1. brand, 2. price, 3. the category chip shrinks to a short chip, 4. the "Lists compared"
//   panel leaves the row (the page shows it elsewhere), 5. the score, 6. the category becomes a
//   colour swatch, 7. the category column goes (its name stays in the item's tooltip).
// Rank, hit and move always stay. What is left after the fixed columns is the title's.

class QTableView;

namespace reclens::ui
{

// Widths in pixels of the font in use; 0 = the dataset has nothing for that column.
struct ListColumnNeeds {
    int title = 0;           // twenty characters of a title, with the cell's margins
    int rank = 26;
    int categoryFull = 112;  // a chip with most category names whole
    int categoryShort = 60;  // a chip with the first few letters
    int categorySwatch = 18; // the colour alone
    int brand = 0;           // 0: no brands
    int price = 0;           // 0: no prices
    int score = 50;
    int hit = 30;
    int move = 44;
    int frame = 4;           // the table's frame and the room a list keeps beside its neighbour
};

struct ListRowInput {
    int rowWidth = 0;      // the whole row: every list and, if it stays, the comparison panel
    int lists = 1;         // lists side by side (1..)
    int spacing = 8;       // between two panels of the row
    int compareWidth = 0;  // the comparison panel beside the lists (0: none)
    ListColumnNeeds needs;
};

struct ListRowLayout {
    bool compareInRow = true; // the comparison panel stays in the row
    int listWidth = 0;        // each list's table, frame included
    // Each column's width; 0 = hidden.
    int rank = 0, category = 0, brand = 0, price = 0, score = 0, hit = 0, move = 0;
    int title = 0;            // what is left for the title
    bool titleFits = false;   // title >= needs.title
    int gaveWay = 0;          // how many of the seven steps above were taken
};

// The layout of one row of `lists` equal lists: the first of the seven steps after which the title
// gets its twenty characters, or all seven when even that is not enough (titleFits false).
ListRowLayout fitListRow(const ListRowInput &in);

// The two Qt ends of it, for a RankingListModel's table (Inspect's lists and the presentation's):
// twenty characters of a product title in the table's font (or `widest` when larger) with the
// cell's margins, and a layout's widths applied to the table's columns (0 hides a column).
int listTitleNeed(const QTableView *table, int widest = 0);
// A column's heading in the header's font with the header's margins (a column narrower than that
// cuts its heading).
int listHeadingNeed(const QTableView *table, int column);
// The move column: its widest label ("▼10", "new", "dropped") in the table's font plus `margin`,
// or its heading, whichever is wider.
int listMoveNeed(const QTableView *table, int margin);
void applyListRow(QTableView *table, const ListRowLayout &layout);

} // namespace reclens::ui
