#include "ui/models/tableexport.h"

#include "core/analysis/report.h"
#include "core/common/files.h"

#include <QFileInfo>
#include <QLocale>

#include <nlohmann/json.hpp>

#include <cmath>

namespace reclens::ui
{

namespace
{
using ojson = nlohmann::ordered_json;

QVariant exportValue(const QAbstractItemModel &model, int row, int column)
{
    const QModelIndex index = model.index(row, column);
    const QVariant raw = model.data(index, ExportRole);
    if (raw.isValid())
        return raw;
    return model.data(index, Qt::DisplayRole);
}

bool isNumber(const QVariant &v)
{
    switch (v.metaType().id()) {
    case QMetaType::Double:
    case QMetaType::Float:
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
        return true;
    default:
        return false;
    }
}

std::string csvText(const QVariant &v)
{
    if (!v.isValid())
        return {};
    if (v.metaType().id() == QMetaType::Double || v.metaType().id() == QMetaType::Float) {
        const double d = v.toDouble();
        return std::isfinite(d) ? QString::number(d, 'g', QLocale::FloatingPointShortest).toStdString() : std::string();
    }
    if (v.metaType().id() == QMetaType::QVariantList) {
        QStringList parts;
        for (const QVariant &x : v.toList())
            parts << QString::fromStdString(csvText(x));
        return QString(u"["_qs + parts.join(u", "_qs) + u"]"_qs).toStdString();
    }
    return v.toString().toStdString();
}

ojson jsonValue(const QVariant &v)
{
    if (!v.isValid())
        return nullptr;
    if (isNumber(v)) {
        if (v.metaType().id() == QMetaType::Double || v.metaType().id() == QMetaType::Float) {
            const double d = v.toDouble();
            return std::isfinite(d) ? ojson(d) : ojson(nullptr);
        }
        return v.toLongLong();
    }
    if (v.metaType().id() == QMetaType::Bool)
        return v.toBool();
    if (v.metaType().id() == QMetaType::QVariantList) {
        ojson a = ojson::array();
        for (const QVariant &x : v.toList())
            a.push_back(jsonValue(x));
        return a;
    }
    return v.toString().toStdString();
}

QStringList headers(const QAbstractItemModel &model)
{
    QStringList out;
    // A header may name its column in full for files where the view shows it short (ExportRole).
    for (int c = 0; c < model.columnCount(); ++c) {
        const QVariant full = model.headerData(c, Qt::Horizontal, ExportRole);
        out << (full.isValid() ? full : model.headerData(c, Qt::Horizontal, Qt::DisplayRole)).toString();
    }
    return out;
}
} // namespace

std::string tableCsv(const QAbstractItemModel &model)
{
    std::string out;
    const QStringList names = headers(model);
    for (int c = 0; c < names.size(); ++c)
        out += (c ? "," : "") + csv_field(names[c].toStdString());
    out += '\n';
    for (int r = 0; r < model.rowCount(); ++r) {
        for (int c = 0; c < names.size(); ++c)
            out += (c ? "," : "") + csv_field(csvText(exportValue(model, r, c)));
        out += '\n';
    }
    return out;
}

std::string tableJson(const QAbstractItemModel &model)
{
    const QStringList names = headers(model);
    ojson rows = ojson::array();
    for (int r = 0; r < model.rowCount(); ++r) {
        ojson row = ojson::object(); // keys in column order
        for (int c = 0; c < names.size(); ++c)
            row[(names[c].isEmpty() ? u"column "_qs + QString::number(c + 1) : names[c]).toStdString()]
                = jsonValue(exportValue(model, r, c));
        rows.push_back(std::move(row));
    }
    return rows.dump(2) + "\n";
}

namespace
{
// One row of the lists export.
struct ListRow {
    std::string list, user, item, title, category, brand, move;
    int rank = 0;
    double price = kNaN;
    double score = kNaN;
    bool hit = false;
    // Why a re-ranked item stands here (RerankReason); empty / NaN for the other lists.
    std::string why, reason, because;
    double relevance = kNaN, diversity = kNaN, gain = kNaN, similarity = kNaN;
    std::string rules; // 1-based rule numbers, ';'-separated
};

std::string_view reasonName(RerankReason::Kind kind)
{
    switch (kind) {
    case RerankReason::Kind::model_order: return "model_order";
    case RerankReason::Kind::mmr: return "mmr";
    case RerankReason::Kind::dpp: return "dpp";
    case RerankReason::Kind::calibrated: return "calibrated";
    case RerankReason::Kind::caps: return "caps";
    case RerankReason::Kind::filled: return "filled";
    case RerankReason::Kind::pinned: return "pinned";
    }
    return "unknown";
}

std::vector<ListRow> listRows(const Dataset &ds, const UserView &view)
{
    std::vector<ListRow> rows;
    if (view.user < 0)
        return rows;
    const std::string &user = ds.user_external[static_cast<size_t>(view.user)];
    for (const ListColumn &c : view.columns) {
        for (size_t i = 0; i < c.items.size(); ++i) {
            const auto item = static_cast<size_t>(c.items[i]);
            ListRow r;
            r.list = c.title;
            r.user = user;
            r.rank = static_cast<int>(i + 1);
            r.item = ds.item_external[item];
            r.title = ds.item_title[item];
            for (int32_t at : ds.item_path(c.items[i]))
                r.category += (r.category.empty() ? "" : " > ") + ds.categories[static_cast<size_t>(at)].name;
            const int32_t brand = ds.item_brand[item];
            r.brand = brand >= 0 ? ds.brands[static_cast<size_t>(brand)] : std::string();
            r.price = ds.item_price[item];
            r.score = i < c.scores.size() ? static_cast<double>(c.scores[i]) : kNaN;
            r.hit = i < c.hit.size() && c.hit[i];
            r.move = i < c.moves.size() ? c.moves[i].label() : std::string();
            if (i < c.reasons.size()) {
                const RerankReason &why = c.reasons[i];
                r.reason = reasonName(why.kind);
                r.why = i < c.why.size() ? c.why[i] : std::string();
                r.relevance = why.relevance;
                r.diversity = why.diversity;
                r.gain = why.gain;
                r.similarity = why.similarity;
                r.because = why.because >= 0 ? ds.item_external[static_cast<size_t>(why.because)] : std::string();
                for (int rule : why.rules)
                    r.rules += (r.rules.empty() ? "" : ";") + std::to_string(rule + 1);
            }
            rows.push_back(std::move(r));
        }
    }
    return rows;
}

std::string shortest(double v)
{
    return std::isfinite(v) ? QString::number(v, 'g', QLocale::FloatingPointShortest).toStdString() : std::string();
}
} // namespace

std::string userListsCsv(const Dataset &ds, const UserView &view)
{
    std::string out = "list,user_id,rank,item_id,title,category,brand,price,score,hit,move,"
                      "reason,relevance_term,diversity_term,gain,because_item_id,similarity,rules,why\n";
    for (const ListRow &r : listRows(ds, view))
        out += csv_field(r.list) + ',' + csv_field(r.user) + ',' + std::to_string(r.rank) + ',' + csv_field(r.item) + ','
            + csv_field(r.title) + ',' + csv_field(r.category) + ',' + csv_field(r.brand) + ',' + shortest(r.price) + ','
            + shortest(r.score) + ',' + (r.hit ? "1" : "0") + ',' + csv_field(r.move) + ',' + csv_field(r.reason) + ','
            + shortest(r.relevance) + ',' + shortest(r.diversity) + ',' + shortest(r.gain) + ',' + csv_field(r.because)
            + ',' + shortest(r.similarity) + ',' + csv_field(r.rules) + ',' + csv_field(r.why) + '\n';
    return out;
}

std::string userListsJson(const Dataset &ds, const UserView &view)
{
    auto number = [](double v) { return std::isfinite(v) ? ojson(v) : ojson(nullptr); };
    ojson rows = ojson::array();
    for (const ListRow &r : listRows(ds, view)) {
        ojson j = ojson::object();
        j["list"] = r.list;
        j["user_id"] = r.user;
        j["rank"] = r.rank;
        j["item_id"] = r.item;
        j["title"] = r.title;
        j["category"] = r.category;
        j["brand"] = r.brand;
        j["price"] = number(r.price);
        j["score"] = number(r.score);
        j["hit"] = r.hit;
        j["move"] = r.move;
        if (!r.reason.empty()) { // the re-ranked list: why each item stands here
            j["reason"] = r.reason;
            j["relevance_term"] = number(r.relevance);
            j["diversity_term"] = number(r.diversity);
            j["gain"] = number(r.gain);
            j["because_item_id"] = r.because.empty() ? ojson(nullptr) : ojson(r.because);
            j["similarity"] = number(r.similarity);
            j["rules"] = r.rules;
            j["why"] = r.why;
        }
        rows.push_back(std::move(j));
    }
    return rows.dump(2) + "\n";
}

QString saveExport(const std::string &content, const QString &path, const QStringList &inputs, const QString &role)
{
    std::vector<NamedPath> in;
    for (const QString &i : inputs)
        in.push_back({ i.toStdString(), "an open file" });
    try {
        check_outputs(in, { { path.toStdString(), role.toStdString() } });
        write_file_atomic(path.toStdString(), content, role.toStdString());
    } catch (const std::exception &e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

QString saveTable(const QAbstractItemModel &model, const QString &path, const QStringList &inputs)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == u"csv"_qs)
        return saveExport(tableCsv(model), path, inputs, QStringLiteral("table export"));
    if (suffix == u"json"_qs)
        return saveExport(tableJson(model), path, inputs, QStringLiteral("table export"));
    return path + u": a table is saved as .csv or .json; give the file one of these suffixes"_qs;
}

} // namespace reclens::ui
