#include "ui/exports/reportwriter.h"

#include "core/common/error.h"
#include "core/common/files.h"
#include "ui/plots/qcustomplotinclude.h"

#include <QBuffer>
#include <QFont>
#include <QFontMetricsF>
#include <QPageLayout>
#include <QPdfWriter>
#include <QPicture>
#include <cmath>
#include <string>

namespace reclens::ui::report
{

namespace
{

std::string pageStage(size_t page, size_t pages)
{
    return "writing page " + std::to_string(page + 1) + " of " + std::to_string(pages);
}

void requireFrozen(const Content &content)
{
    // A widget must never reach a worker thread (nor be destroyed there).
    if (!content.frozen())
        throw Error("the report's plots were not prepared for writing; nothing written");
}

// ---- PDF -----------------------------------------------------------------------------------------

void setUp(QPdfWriter &writer, const QString &title)
{
    writer.setResolution(kPdfDpi); // one unit = one point
    writer.setPageLayout(QPageLayout(
        QPageSize(QPageSize::A4), QPageLayout::Landscape, QMarginsF(14, 12, 14, 12), QPageLayout::Millimeter));
    writer.setTitle(title);
    writer.setCreator(QStringLiteral("RecLens"));
}

void setUp(QCPPainter &painter)
{
    painter.setMode(QCPPainter::pmVectorized);
    painter.setMode(QCPPainter::pmNoCaching);
    painter.setRenderHint(QPainter::Antialiasing);
}

// Lays the pages out and draws them, or only lays them out (`measured`: each plot's size is appended
// there, nothing is drawn): both passes take the same decisions, so the plots recorded at the measured
// sizes are drawn at the sizes they were recorded at.
class PdfLayout
{
public:
    PdfLayout(QPdfWriter &writer, QCPPainter &painter, std::vector<QSizeF> *measured = nullptr)
        : m_writer(writer)
        , m_p(painter)
        , m_measured(measured)
    {
        m_area = writer.pageLayout().paintRectPixels(writer.resolution());
        m_area.moveTo(0, 0);
        m_y = m_area.top();
    }

    void page(const Page &page, bool first)
    {
        if (!first)
            newPage();
        for (const Block &b : page.blocks)
            block(b);
    }

private:
    QFont font(double pt, bool bold = false, bool italic = false) const
    {
        QFont f(QStringLiteral("DejaVu Sans"));
        f.setPointSizeF(pt);
        f.setBold(bold);
        f.setItalic(italic);
        return f;
    }
    bool drawing() const { return m_measured == nullptr; }
    void newPage()
    {
        if (drawing())
            m_writer.newPage();
        m_y = m_area.top();
    }
    void ensure(double height)
    {
        if (m_y + height > m_area.bottom() && m_y > m_area.top())
            newPage();
    }
    void paragraph(const QString &t, const QFont &f, const QColor &color, double after)
    {
        if (t.isEmpty())
            return;
        m_p.setFont(f);
        const QRectF bound = m_p.boundingRect(QRectF(m_area.left(), 0, m_area.width(), 1e6), Qt::TextWordWrap, t);
        ensure(bound.height());
        if (drawing()) {
            m_p.setPen(color);
            m_p.drawText(QRectF(m_area.left(), m_y, m_area.width(), bound.height()), Qt::TextWordWrap, t);
        }
        m_y += bound.height() + after;
    }
    void block(const Block &b)
    {
        switch (b.kind) {
        case Block::Kind::Title:
            m_y += 90;
            paragraph(b.text, font(30, true), QColor(0x2b, 0x33, 0x40), 6);
            break;
        case Block::Kind::Heading:
            paragraph(b.text, font(15, true), QColor(0x2b, 0x33, 0x40), 8);
            break;
        case Block::Kind::Text:
            paragraph(b.text, font(11), QColor(0x2b, 0x33, 0x40), 10);
            break;
        case Block::Kind::Note:
            paragraph(b.text, font(8.5, false, true), QColor(0x5a, 0x63, 0x70), 10);
            break;
        case Block::Kind::Tables:
            tables(b.tables);
            break;
        case Block::Kind::Plots:
            plots(b.plots);
            break;
        }
    }

    void tables(const std::vector<Table> &ts)
    {
        if (ts.empty())
            return;
        const double gap = 16;
        const double w = (m_area.width() - gap * static_cast<double>(ts.size() - 1)) / static_cast<double>(ts.size());
        const QFont body = font(ts.size() > 2 ? 7.0 : 8.0), bold = font(ts.size() > 2 ? 7.0 : 8.0, true);
        const double rowH = QFontMetricsF(body).height() + 5;
        // Titles (one or two lines each) above the tables.
        double titleH = 0;
        m_p.setFont(font(9, true));
        for (const Table &t : ts)
            if (!t.title.isEmpty())
                titleH
                    = std::max(titleH, m_p.boundingRect(QRectF(0, 0, w, 1e6), Qt::TextWordWrap, t.title).height() + 4);
        ensure(titleH + rowH * std::min<qsizetype>(4, ts.front().rows.size() + 1));
        for (size_t i = 0; i < ts.size() && drawing(); ++i) {
            m_p.setPen(QColor(0x2b, 0x33, 0x40));
            m_p.setFont(font(9, true));
            m_p.drawText(QRectF(m_area.left() + static_cast<double>(i) * (w + gap), m_y, w, titleH), Qt::TextWordWrap,
                ts[i].title);
        }
        m_y += titleH;
        // A header that does not fit its column takes two lines (never elided).
        double headerH = rowH;
        for (const Table &t : ts) {
            double total = 0;
            for (double v : t.widths)
                total += v;
            for (qsizetype c = 0; c < t.headers.size(); ++c)
                if (QFontMetricsF(bold).horizontalAdvance(t.headers[c]) > w * t.widths.value(c, 1.0) / total - 6)
                    headerH = 2 * QFontMetricsF(bold).height() + 5;
        }
        auto header = [&] {
            if (ts.front().keyValue)
                return;
            for (size_t i = 0; i < ts.size() && drawing(); ++i)
                rowAt(ts[i], -1, m_area.left() + static_cast<double>(i) * (w + gap), w, headerH, bold, bold);
            m_y += headerH;
        };
        header();
        qsizetype rows = 0;
        for (const Table &t : ts)
            rows = std::max(rows, t.rows.size());
        for (qsizetype r = 0; r < rows; ++r) {
            // A key/value row (the title page's facts) wraps its text instead of eliding it.
            double h = rowH;
            if (ts.size() == 1 && ts.front().keyValue && r < ts.front().rows.size()) {
                const Table &t = ts.front();
                double total = 0;
                for (double v : t.widths)
                    total += v;
                for (qsizetype c = 0; c < t.rows[r].size(); ++c) {
                    const double cw = w * t.widths.value(c, 1.0) / total - 6;
                    m_p.setFont(body);
                    h = std::max(
                        h, m_p.boundingRect(QRectF(0, 0, cw, 1e6), Qt::TextWordWrap, t.rows[r][c].text).height() + 5);
                }
            }
            if (m_y + h > m_area.bottom()) {
                // Never split a row: the rest goes on the next page, under the header again.
                newPage();
                header();
            }
            for (size_t i = 0; i < ts.size() && drawing(); ++i)
                if (r < ts[i].rows.size())
                    rowAt(ts[i], r, m_area.left() + static_cast<double>(i) * (w + gap), w, h, body, bold);
            m_y += h;
        }
        m_y += 12;
    }

    void rowAt(const Table &t, qsizetype r, double x, double w, double h, const QFont &body, const QFont &bold)
    {
        double total = 0;
        for (double v : t.widths)
            total += v;
        if (r < 0)
            m_p.fillRect(QRectF(x, m_y, w, h), QColor(0xee, 0xf1, 0xf4));
        else if (r % 2 == 1)
            m_p.fillRect(QRectF(x, m_y, w, h), QColor(0xf8, 0xf9, 0xfa));
        double cx = x;
        for (qsizetype c = 0; c < t.headers.size(); ++c) {
            const double cw = w * t.widths.value(c, 1.0) / total;
            const Cell cell = r < 0 ? Cell { t.headers[c], {}, true } : t.rows[r].value(c);
            const QRectF box(cx + 3, m_y, cw - 6, h);
            m_p.setFont(cell.bold ? bold : body);
            if (r < 0) {
                m_p.setPen(QColor(0x2b, 0x33, 0x40));
                m_p.drawText(box, Qt::AlignVCenter | Qt::AlignLeft | Qt::TextWordWrap, cell.text);
                cx += cw;
                continue;
            }
            if (t.keyValue) {
                m_p.setPen(QColor(0x2b, 0x33, 0x40));
                m_p.drawText(box, Qt::AlignVCenter | Qt::AlignLeft | Qt::TextWordWrap, cell.text);
                cx += cw;
                continue;
            }
            const QString shown
                = QFontMetricsF(m_p.font())
                      .elidedText(cell.text, Qt::ElideRight, box.width() - (cell.chip.isValid() ? 8 : 0));
            if (cell.chip.isValid()) {
                const double tw = QFontMetricsF(m_p.font()).horizontalAdvance(shown) + 8;
                const QRectF chip(box.left(), m_y + 1.5, std::min(tw, box.width()), h - 3);
                m_p.setPen(Qt::NoPen);
                m_p.setBrush(cell.chip);
                m_p.drawRoundedRect(chip, 4, 4);
                m_p.setPen(cell.chip.lightness() > 150 ? QColor(0x20, 0x20, 0x20) : Qt::white);
                m_p.drawText(chip, Qt::AlignCenter, shown);
            } else {
                m_p.setPen(QColor(0x2b, 0x33, 0x40));
                const bool numeric = !t.keyValue && c > 0 && !cell.text.isEmpty()
                    && (cell.text[0].isDigit() || cell.text[0] == u'-' || cell.text[0] == u'+' || cell.text[0] == u'–'
                        || cell.text[0] == u'[');
                m_p.drawText(box, Qt::AlignVCenter | (numeric ? Qt::AlignRight : Qt::AlignLeft), shown);
            }
            cx += cw;
        }
        m_p.setPen(QPen(QColor(0xdd, 0xe1, 0xe6), 0.5));
        m_p.drawLine(QPointF(x, m_y + h), QPointF(x + w, m_y + h));
    }

    void plots(const std::vector<Plot> &ps)
    {
        if (ps.empty())
            return;
        const double gap = 16;
        const double w = (m_area.width() - gap * static_cast<double>(ps.size() - 1)) / static_cast<double>(ps.size());
        double h = 0;
        for (const Plot &p : ps)
            h = std::max(h, w * p.aspect);
        h = std::min(h, m_area.height() * 0.62);
        // Shrink a little rather than leave the page: down to 0.4 of the width.
        const double room = m_area.bottom() - m_y;
        if (h > room && room >= w * 0.4)
            h = room;
        ensure(h);
        for (size_t i = 0; i < ps.size(); ++i) {
            if (!drawing()) {
                m_measured->push_back(QSizeF(w, h));
                continue;
            }
            m_p.save();
            m_p.translate(m_area.left() + static_cast<double>(i) * (w + gap), m_y);
            picture(ps[i], QSizeF(w, h));
            m_p.restore();
        }
        m_y += h + 10;
    }

    // A plot as it was recorded (recordPlotsForPdf), at `size`.
    void picture(const Plot &plot, const QSizeF &size)
    {
        if (plot.picture.isEmpty() || plot.pictureSize.isEmpty() || plot.pictureDpi <= 0)
            return;
        // Only if the two layout passes disagreed: fit it rather than overflow.
        if (std::abs(plot.pictureSize.width() - size.width()) > 0.01
            || std::abs(plot.pictureSize.height() - size.height()) > 0.01)
            m_p.scale(size.width() / plot.pictureSize.width(), size.height() / plot.pictureSize.height());
        // Playback scales by (this device's DPI / QPicture's); it was recorded at this device's already.
        m_p.scale(static_cast<double>(plot.pictureDpi) / m_writer.logicalDpiX(),
            static_cast<double>(plot.pictureDpi) / m_writer.logicalDpiY());
        QPicture picture; // its own copy: playing one moves a read position inside it
        picture.setData(plot.picture.constData(), static_cast<uint>(plot.picture.size()));
        m_p.drawPicture(QPointF(0, 0), picture);
    }

    QPdfWriter &m_writer;
    QCPPainter &m_p;
    std::vector<QSizeF> *m_measured;
    QRectF m_area;
    double m_y = 0;
};

// ---- HTML ----------------------------------------------------------------------------------------

QString html(const QString &t)
{
    return t.toHtmlEscaped().replace(u'\n', u"<br>"_qs);
}

QString pngDataUri(const QImage &image)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (image.isNull() || !image.save(&buffer, "PNG"))
        throw Error("could not encode a plot as PNG");
    return u"data:image/png;base64,"_qs + QString::fromLatin1(bytes.toBase64());
}

QString htmlTable(const Table &t)
{
    QString out = u"<div class='table'>"_qs;
    if (!t.title.isEmpty())
        out += u"<div class='ttitle'>"_qs + html(t.title) + u"</div>"_qs;
    double total = 0;
    for (double v : t.widths)
        total += v;
    out += t.keyValue ? u"<table class='kv'><colgroup>"_qs : u"<table><colgroup>"_qs;
    for (double v : t.widths)
        out += u"<col style='width:"_qs + QString::number(100.0 * v / total, 'f', 1) + u"%'>"_qs;
    out += u"</colgroup>"_qs;
    if (!t.keyValue) {
        out += u"<thead><tr>"_qs;
        for (const QString &h : t.headers)
            out += u"<th>"_qs + html(h) + u"</th>"_qs;
        out += u"</tr></thead>"_qs;
    }
    out += u"<tbody>"_qs;
    for (const auto &row : t.rows) {
        out += u"<tr>"_qs;
        for (const Cell &c : row) {
            if (c.chip.isValid())
                out += u"<td><span class='chip' style='background:"_qs + c.chip.name() + u";color:"_qs
                    + (c.chip.lightness() > 150 ? u"#202020"_qs : u"#fff"_qs) + u"'>"_qs + html(c.text)
                    + u"</span></td>"_qs;
            else
                out += (c.bold ? u"<td class='b'>"_qs : u"<td>"_qs) + html(c.text) + u"</td>"_qs;
        }
        out += u"</tr>"_qs;
    }
    return out + u"</tbody></table></div>"_qs;
}

QString toHtml(const Content &c, ProgressReporter &reporter)
{
    QString out = u"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>"_qs + html(c.title)
        + u"</title>\n<style>\n"
          "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;color:#2b3340;background:#e9ecef;margin:0}\n"
          "section{background:#fff;max-width:1120px;margin:24px auto;padding:28px 36px;box-shadow:0 1px 4px #0002}\n"
          "h1{font-size:34px;margin:60px 0 6px} h2{font-size:20px;margin:0 0 10px} p{font-size:15px;line-height:1.45}\n"
          ".note{font-size:12px;color:#5a6370;font-style:italic}\n"
          ".row{display:flex;gap:18px;align-items:flex-start} .row>*{flex:1;min-width:0}\n"
          ".table{margin:6px 0 14px} .ttitle{font-weight:bold;font-size:13px;margin-bottom:4px;white-space:pre-line}\n"
          "table{border-collapse:collapse;width:100%;font-size:12px;table-layout:fixed}\n"
          "th{background:#eef1f4;text-align:left;padding:4px 6px;vertical-align:bottom}\n"
          "td{padding:3px 6px;border-bottom:1px solid "
          "#dde1e6;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}\n"
          "td.b{font-weight:bold} tr:nth-child(even) td{background:#f8f9fa}\n"
          "table.kv td{white-space:normal;overflow:visible}\n"
          ".chip{border-radius:8px;padding:1px 7px;font-size:11px} img{width:100%;height:auto}\n"
          "@media print{body{background:#fff} section{box-shadow:none;margin:0;page-break-after:always}}\n"
          "</style></head><body>\n"_qs;
    for (size_t i = 0; i < c.pages.size(); ++i) {
        const Page &page = c.pages[i];
        reporter.force(static_cast<double>(i) / static_cast<double>(c.pages.size() + 1), pageStage(i, c.pages.size()));
        out += u"<section>\n"_qs;
        for (const Block &b : page.blocks) {
            switch (b.kind) {
            case Block::Kind::Title:
                out += u"<h1>"_qs + html(b.text) + u"</h1>\n"_qs;
                break;
            case Block::Kind::Heading:
                out += u"<h2>"_qs + html(b.text) + u"</h2>\n"_qs;
                break;
            case Block::Kind::Text:
                out += u"<p>"_qs + html(b.text) + u"</p>\n"_qs;
                break;
            case Block::Kind::Note:
                out += u"<p class='note'>"_qs + html(b.text) + u"</p>\n"_qs;
                break;
            case Block::Kind::Tables:
                out += u"<div class='row'>"_qs;
                for (const Table &t : b.tables)
                    out += htmlTable(t);
                out += u"</div>\n"_qs;
                break;
            case Block::Kind::Plots:
                out += u"<div class='row'>"_qs;
                for (const Plot &p : b.plots)
                    out += u"<div><img alt='"_qs + html(p.name) + u"' src='"_qs + pngDataUri(p.image) + u"'></div>"_qs;
                out += u"</div>\n"_qs;
                break;
            }
        }
        out += u"</section>\n"_qs;
    }
    return out + u"</body></html>\n"_qs;
}

} // namespace

std::vector<QSizeF> pdfPlotSizes(const Content &content)
{
    // The same device as the real pass (a PDF at the same resolution), in memory, so that text
    // measures the same; nothing is drawn on it.
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    setUp(writer, content.title);
    QCPPainter painter(&writer);
    if (!painter.isActive())
        throw Error("could not lay out the PDF");
    setUp(painter);
    std::vector<QSizeF> sizes;
    PdfLayout layout(writer, painter, &sizes);
    for (size_t i = 0; i < content.pages.size(); ++i)
        layout.page(content.pages[i], i == 0);
    painter.end();
    return sizes;
}

void writePdf(const Content &content, const QString &path, const ProgressFn &progress)
{
    requireFrozen(content);
    ProgressReporter reporter(progress);
    const size_t pages = content.pages.size();
    write_via_temporary(path.toStdString(), "report", [&](const std::string &tmp) {
        QPdfWriter writer(QString::fromStdString(tmp));
        setUp(writer, content.title);
        QCPPainter painter(&writer);
        if (!painter.isActive())
            throw Error("cannot write the PDF; check that the folder is writable");
        setUp(painter);
        PdfLayout out(writer, painter);
        for (size_t i = 0; i < pages; ++i) {
            reporter.force(static_cast<double>(i) / static_cast<double>(pages + 1), pageStage(i, pages));
            out.page(content.pages[i], i == 0);
        }
        reporter.force(static_cast<double>(pages) / static_cast<double>(pages + 1), "finishing the PDF");
        if (!painter.end())
            throw Error("could not finish the PDF");
        reporter.force(1.0, "saving the PDF"); // the last chance to cancel: before the rename
    });
}

void writeHtml(const Content &content, const QString &path, const ProgressFn &progress)
{
    requireFrozen(content);
    ProgressReporter reporter(progress);
    const std::string text = toHtml(content, reporter).toStdString();
    reporter.force(1.0, "saving the HTML"); // the last chance to cancel: nothing is written yet
    write_file_atomic(path.toStdString(), text, "report");
}

} // namespace reclens::ui::report
