#include "ui/plots/plotexport.h"

#include "core/common/error.h"
#include "core/common/files.h"
#include "ui/plots/qcustomplotinclude.h"

#include <QFile>
#include <QFileDialog>
#include <QFontInfo>
#include <QRegularExpression>
#include <QFileInfo>
#include <QMenu>
#include <QSvgGenerator>

namespace reclens::ui
{

QStringList plotFormats()
{
    return { QStringLiteral("png"), QStringLiteral("pdf"), QStringLiteral("svg") };
}

QString savePlot(QCustomPlot *plot, const QString &path, double scale, const QStringList &inputs)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (!plotFormats().contains(suffix))
        return path + u": a plot is saved as .png, .pdf or .svg; give the file one of these suffixes"_qs;
    std::vector<NamedPath> in;
    for (const QString &i : inputs)
        in.push_back({ i.toStdString(), "an open file" });
    try {
        check_outputs(in, { { path.toStdString(), "the plot export" } });
        const int w = std::max(1, plot->width()), h = std::max(1, plot->height());
        write_via_temporary(path.toStdString(), "plot export", [&](const std::string &tmp) {
            const QString file = QString::fromStdString(tmp);
            bool ok = false;
            if (suffix == u"png"_qs) {
                ok = plot->savePng(file, w, h, scale);
            } else if (suffix == u"pdf"_qs) {
                ok = plot->savePdf(file, w, h, QCP::epNoCosmetic, QStringLiteral("RecLens"), plot->objectName());
            } else {
                QSvgGenerator svg;
                svg.setFileName(file);
                svg.setSize(QSize(w, h));
                svg.setViewBox(QRect(0, 0, w, h));
                svg.setTitle(plot->objectName());
                svg.setDescription(QStringLiteral("RecLens plot"));
                QCPPainter painter;
                if (painter.begin(&svg)) {
                    plot->toPainter(&painter, w, h);
                    ok = painter.end();
                }
                // Qt writes its own family names ("Sans Serif"), which browsers do not know: name
                // the font the plot was drawn with and the generic family after it.
                QFile f(file);
                if (ok && f.open(QIODevice::ReadOnly)) {
                    QString text = QString::fromUtf8(f.readAll());
                    f.close();
                    const QString family = QFontInfo(plot->font()).family();
                    text.replace(QRegularExpression(QStringLiteral("font-family=\"([^\"]*)\"")),
                        u"font-family=\"\\1, "_qs + family + u", sans-serif\""_qs);
                    ok = f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text.toUtf8()) > 0;
                }
            }
            if (!ok || QFileInfo(file).size() == 0)
                throw Error("could not write the " + suffix.toStdString() + " file; check the folder is writable");
        });
    } catch (const std::exception &e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

void installPlotExportMenu(QCustomPlot *plot, std::function<QString(const QString &)> defaultName,
    std::function<QStringList()> inputs, std::function<void(const QString &)> report)
{
    plot->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(plot, &QWidget::customContextMenuRequested, plot, [=](const QPoint &pos) {
        QMenu menu;
        for (const QString &suffix : plotFormats()) {
            menu.addAction(u"Save plot as "_qs + suffix.toUpper() + u"…"_qs, plot, [=] {
                const QString path = QFileDialog::getSaveFileName(plot, u"Save plot as "_qs + suffix.toUpper(),
                    defaultName(suffix), suffix.toUpper() + u" (*."_qs + suffix + u")"_qs);
                if (path.isEmpty())
                    return;
                const QString error = savePlot(plot, path, 2.0, inputs());
                if (!error.isEmpty())
                    report(error);
            });
        }
        menu.exec(plot->mapToGlobal(pos));
    });
}

} // namespace reclens::ui
