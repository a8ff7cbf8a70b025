// Outputs never touch inputs (DESIGN §9): same-file detection by device and inode, and atomic
// writes that leave the previous file in place when they fail.
#include "core/common/error.h"
#include "core/common/files.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace reclens;
namespace fs = std::filesystem;

namespace {

void write(const std::string &path, const std::string &text)
{
    std::ofstream(path, std::ios::binary) << text;
}

std::string read(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

class TestFiles : public QObject {
    Q_OBJECT

private slots:
    void sameFileBySpelling()
    {
        QTemporaryDir dir;
        const std::string d = dir.path().toStdString();
        const std::string data = d + "/data.sqlite";
        write(data, "input bytes");
        fs::create_hard_link(data, d + "/hard.sqlite");
        fs::create_symlink(data, d + "/soft.sqlite");
        fs::create_directory(d + "/sub");
        QVERIFY(same_file(data, d + "/hard.sqlite"));
        QVERIFY(same_file(data, d + "/soft.sqlite"));
        QVERIFY(same_file(data, d + "/sub/../data.sqlite"));
        QVERIFY(!same_file(data, d + "/other.sqlite"));
        for (const std::string &out :
             {data, d + "/hard.sqlite", d + "/soft.sqlite", d + "/./data.sqlite", d + "/sub/../data.sqlite"}) {
            try {
                check_outputs({{data, "--data"}}, {{out, "--json"}});
                QFAIL(qPrintable(QString::fromStdString("not refused: " + out)));
            } catch (const Error &e) {
                const std::string m = e.what();
                QVERIFY2(m.find("--json is the same file as the input --data") != std::string::npos, e.what());
                QVERIFY(m.find('\n') == std::string::npos);
            }
        }
        QCOMPARE(read(data), std::string("input bytes"));
        check_outputs({{data, "--data"}}, {{d + "/out.json", "--json"}, {"", "--lists"}}); // fine
    }

    void outputsDistinct()
    {
        QTemporaryDir dir;
        const std::string d = dir.path().toStdString();
        QVERIFY_THROWS_EXCEPTION(Error, check_outputs({}, {{d + "/a.csv", "--lists"}, {d + "/./a.csv", "--per-user"}}));
    }

    void atomicWrite()
    {
        QTemporaryDir dir;
        const std::string d = dir.path().toStdString();
        const std::string out = d + "/out.json";
        write_file_atomic(out, "first", "--json");
        QCOMPARE(read(out), std::string("first"));
        write_file_atomic(out, "second", "--json");
        QCOMPARE(read(out), std::string("second"));
        // A writer that fails half-way leaves the previous file and no temporary behind.
        QVERIFY_THROWS_EXCEPTION(Error, write_via_temporary(out, "--json", [](const std::string &tmp) {
            write(tmp, "half");
            throw Error("disk full");
        }));
        QCOMPARE(read(out), std::string("second"));
        int files = 0;
        for (const auto &e : fs::directory_iterator(d)) {
            (void)e;
            ++files;
        }
        QCOMPARE(files, 1);
        // A folder that does not exist: one clear line.
        try {
            write_file_atomic(d + "/missing/out.json", "x", "--json");
            QFAIL("no error");
        } catch (const Error &e) {
            QVERIFY2(std::string(e.what()).find("--json") != std::string::npos, e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestFiles)
#include "tst_files.moc"
