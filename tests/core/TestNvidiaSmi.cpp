#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include "core/hardware/GpuInfo.h"
#include "tests/TestConfig.h"

using namespace Qt::StringLiterals;
using QuantDesk::GpuInfo;

namespace
{

QString dataDir()
{
    const QString fromEnv = qEnvironmentVariable("QUANTDESK_TEST_DATA");
    return fromEnv.isEmpty() ? QString::fromUtf8(QUANTDESK_TEST_DATA_DIR) : fromEnv;
}

QString dataFile(const QString& relative)
{
    return QDir(dataDir()).filePath(relative);
}

QByteArray readData(const QString& relative)
{
    QFile file(dataFile(relative));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read fixture %s", qPrintable(file.fileName()));
    return file.readAll();
}

// One line per GPU: index|name|uuid|total|used|cc|reported or derived|architecture|driver|cuda.
QString describe(const GpuInfo& gpu)
{
    const QString source = !gpu.hasComputeCapability() ? QString() : gpu.ccDerived ? u"derived"_s : u"reported"_s;
    return QStringList{QString::number(gpu.index),
                       gpu.name,
                       gpu.uuid,
                       QString::number(gpu.memoryTotalMiB),
                       QString::number(gpu.memoryUsedMiB),
                       gpu.ccString(),
                       source,
                       gpu.architecture,
                       gpu.driverVersion,
                       gpu.cudaVersion}
        .join(u'|');
}

QStringList describeAll(const QList<GpuInfo>& gpus)
{
    QStringList lines;
    for (const GpuInfo& gpu : gpus)
        lines.append(describe(gpu));
    return lines;
}

struct BadFile
{
    const char* file;
    QString expected; // a part of the error message
};

// Every file in tests/data/nvidia-smi-bad/ with what its error must mention.
QList<BadFile> badFixtures()
{
    return {
        {"empty.txt", u"input is empty"_s},
        {"whitespace-only.txt", u"input is empty"_s},
        {"truncated.xml", u"malformed XML at line 129, column 22: Premature end of document"_s},
        {"no-gpu.xml", u"no <gpu> element"_s},
        {"wrong-root.xml", u"XML root element is <gpus>"_s},
        {"bad-memory.xml", u"line 9: fb_memory_usage/total: 'eighty GiB' is not a number of MiB"_s},
        {"wrong-column-count.csv", u"line 3: 4 columns, but the header has 5"_s},
        {"wrong-column-count-noheader.csv", u"line 2: 4 columns, but line 1 has 5"_s},
        {"non-numeric-memory.csv", u"line 2: memory.total: 'abc' is not a number of MiB"_s},
        {"non-numeric-memory-noheader.csv", u"line 1: memory.total: 'lots MiB' is not a number of MiB"_s},
        {"bad-compute-cap.csv", u"line 2: compute_cap: '9' is not a compute capability"_s},
        {"bad-compute-cap-noheader.csv", u"line 1: compute_cap: 'sm_90' is not a compute capability"_s},
        {"binary-garbage.bin", u"binary data"_s},
        {"invalid-utf8.csv", u"line 2: input is binary data, not text: it is not valid UTF-8"_s},
        {"html-error-page.html", u"HTML page ('502 Bad Gateway')"_s},
        {"driver-failed.txt", u"couldn't communicate with the NVIDIA driver"_s},
        {"no-devices.txt", u"found no GPUs"_s},
        {"command-not-found.txt", u"nvidia-smi: command not found"_s},
        {"header-only.csv", u"line 1: the CSV has a header but no GPU rows"_s},
        {"no-name-column.csv", u"line 1: the CSV header has no 'name' column"_s},
        {"not-smi.txt", u"not nvidia-smi output"_s},
        {"table-without-gpus.txt", u"table has no GPU rows"_s},
    };
}

// Empty result and error are each other's opposites, and the error stays short whatever the input.
void checkConsistent(const QList<GpuInfo>& gpus, const QString& error)
{
    QVERIFY2(gpus.isEmpty() != error.isEmpty(), qPrintable(u"gpus: %1, error: %2"_s.arg(gpus.size()).arg(error)));
    QVERIFY2(error.size() < 1000, qPrintable(error.left(1000)));
}

} // namespace

class TestNvidiaSmi : public QObject
{
    Q_OBJECT

private slots:
    void h100Fixtures_data();
    void h100Fixtures();
    void computeAppsCsvIsRejected();
    void otherFixtures_data();
    void otherFixtures();
    void inlineInputs_data();
    void inlineInputs();
    void lookupTable_data();
    void lookupTable();
    void ccString();
    void badFiles_data();
    void badFiles();
    void everyBadFixtureIsListed();
    void errorMessageNamesLineAndColumn();
    void lineNumbersCountLeadingBlankLines();
    void errorIsClearedOnSuccess();
    void fileErrors();
    void unreadableFile();
    void garbageDoesNotCrash_data();
    void garbageDoesNotCrash();
    void truncatedAndMutatedFixtures();
    void randomBytes();
};

void TestNvidiaSmi::h100Fixtures_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("uuid");
    QTest::addColumn<QString>("driver");
    QTest::addColumn<QString>("cuda");
    QTest::addColumn<bool>("ccDerived");

    const QString uuid = u"GPU-c64d3fa1-7f97-4df0-9e53-cc8f47f8c986"_s;
    const QString driver = u"580.159.04"_s;
    QTest::addRow("csv with header") << u"query-gpu.csv"_s << uuid << driver << QString() << false;
    QTest::addRow("csv noheader,nounits")
        << u"query-gpu-noheader.csv"_s << QString() << QString() << QString() << false;
    QTest::addRow("xml") << u"nvidia-smi-q.xml"_s << uuid << driver << u"13.0"_s << true;
    QTest::addRow("table") << u"nvidia-smi.txt"_s << QString() << driver << u"13.0"_s << true;
}

void TestNvidiaSmi::h100Fixtures()
{
    QFETCH(QString, file);
    QFETCH(QString, uuid);
    QFETCH(QString, driver);
    QFETCH(QString, cuda);
    QFETCH(bool, ccDerived);

    QString error;
    const QList<GpuInfo> gpus = QuantDesk::parseNvidiaSmiFile(dataFile(u"nvidia-smi-h100/"_s + file), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(gpus.size(), 1);
    const GpuInfo& gpu = gpus.first();
    QCOMPARE(gpu.index, 0);
    QCOMPARE(gpu.name, u"NVIDIA H100 80GB HBM3"_s);
    QCOMPARE(gpu.uuid, uuid);
    QCOMPARE(gpu.memoryTotalMiB, 81559);
    QCOMPARE(gpu.memoryUsedMiB, 0);
    QCOMPARE(gpu.ccMajor, 9);
    QCOMPARE(gpu.ccMinor, 0);
    QCOMPARE(gpu.ccValue(), 90);
    QCOMPARE(gpu.ccString(), u"9.0"_s);
    QCOMPARE(gpu.ccDerived, ccDerived);
    QCOMPARE(gpu.architecture, u"Hopper"_s);
    QCOMPARE(gpu.driverVersion, driver);
    QCOMPARE(gpu.cudaVersion, cuda);

    // The same bytes through parseNvidiaSmi() give the same result.
    QString error2;
    QCOMPARE(QuantDesk::parseNvidiaSmi(readData(u"nvidia-smi-h100/"_s + file), &error2), gpus);
    QVERIFY(error2.isEmpty());
}

void TestNvidiaSmi::computeAppsCsvIsRejected()
{
    QString error;
    QVERIFY(QuantDesk::parseNvidiaSmiFile(dataFile(u"nvidia-smi-h100/compute-apps.csv"_s), &error).isEmpty());
    QVERIFY2(error.contains(u"no 'name' column"_s), qPrintable(error));
    QVERIFY2(error.contains(u"--query-compute-apps"_s), qPrintable(error));
}

void TestNvidiaSmi::otherFixtures_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("expected");

    QTest::addRow("two GPUs, noheader with units")
        << u"two-gpus-noheader-units.csv"_s
        << QStringList{u"0|NVIDIA A100-SXM4-80GB||81920|1024|8.0|reported|Ampere||"_s,
                       u"1|NVIDIA L40S||46068|0|8.9|reported|Ada Lovelace||"_s};
    QTest::addRow("header, CRLF, N/A values")
        << u"two-gpus-header-na.csv"_s
        << QStringList{
               u"0|NVIDIA GeForce RTX 4090|GPU-0a1b2c3d-1111-2222-3333-444455556666|24564|512|8.9|derived|Ada Lovelace|"
               "550.54.14|"_s,
               u"1|NVIDIA GeForce RTX 3090|GPU-0a1b2c3d-7777-8888-9999-aaaabbbbcccc|24576|-1|8.6|reported|Ampere|"
               "550.54.14|"_s};
    QTest::addRow("noheader, columns inferred")
        << u"inferred-columns-noheader.csv"_s
        << QStringList{u"0|NVIDIA GeForce RTX 5090|GPU-5a5a5a5a-0000-1111-2222-333344445555|32607|-1|12.0|reported|"
                       "Blackwell||"_s,
                       u"1|NVIDIA RTX PRO 6000 Blackwell Workstation Edition|GPU-6b6b6b6b-0000-1111-2222-333344445555|"
                       "97887|-1|12.0|reported|Blackwell||"_s};
    QTest::addRow("UTF-16 with BOM (PowerShell redirect)")
        << u"utf16-bom-noheader.csv"_s << QStringList{u"0|NVIDIA H100 80GB HBM3||81559|0|9.0|reported|Hopper||"_s};
    QTest::addRow("table, two GPUs and processes")
        << u"rtx4090-ada-table.txt"_s
        << QStringList{u"0|NVIDIA GeForce RTX 4090||24564|512|8.9|derived|Ada Lovelace|535.154.05|12.2"_s,
                       u"1|NVIDIA RTX 6000 Ada Gene...||49140|3|8.9|derived|Ada Lovelace|535.154.05|12.2"_s};
    QTest::addRow("xml, two GPUs, Ampere and N/A")
        << u"two-gpus-q.xml"_s
        << QStringList{u"3|NVIDIA A100-SXM4-40GB|GPU-a100a100-0000-1111-2222-333344445555|40960|4|8.0|derived|Ampere|"
                       "535.154.05|12.2"_s,
                       u"1|NVIDIA Graphics Device|GPU-abcdabcd-0000-1111-2222-333344445555|-1|-1|8.6|derived|Ampere|"
                       "535.154.05|12.2"_s};
}

void TestNvidiaSmi::otherFixtures()
{
    QFETCH(QString, file);
    QFETCH(QStringList, expected);

    QString error;
    const QList<GpuInfo> gpus = QuantDesk::parseNvidiaSmiFile(dataFile(u"nvidia-smi-other/"_s + file), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(describeAll(gpus), expected);
}

void TestNvidiaSmi::inlineInputs_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QStringList>("expected");

    QTest::addRow("noheader, 5 columns in another order")
        << QByteArray("NVIDIA H100 80GB HBM3, GPU-1234, 81559, 17, 9.0\n")
        << QStringList{u"0|NVIDIA H100 80GB HBM3|GPU-1234|81559|17|9.0|reported|Hopper||"_s};
    QTest::addRow("noheader, index and name")
        << QByteArray("0, NVIDIA H200\n1, NVIDIA H200\n")
        << QStringList{u"0|NVIDIA H200||-1|-1|9.0|derived|Hopper||"_s, u"1|NVIDIA H200||-1|-1|9.0|derived|Hopper||"_s};
    QTest::addRow("noheader, name only") << QByteArray("NVIDIA L4\n")
                                         << QStringList{u"0|NVIDIA L4||-1|-1|8.9|derived|Ada Lovelace||"_s};
    QTest::addRow("noheader, memory before name, driver version")
        << QByteArray("24576 MiB, 100 MiB, NVIDIA GeForce RTX 3090, 550.54.14\n")
        << QStringList{u"0|NVIDIA GeForce RTX 3090||24576|100|8.6|derived|Ampere|550.54.14|"_s};
    QTest::addRow("noheader, N/A in the first row") << QByteArray("0, NVIDIA A10G, [N/A]\n1, NVIDIA A10G, 23028 MiB\n")
                                                    << QStringList{u"0|NVIDIA A10G||-1|-1|8.6|derived|Ampere||"_s,
                                                                   u"1|NVIDIA A10G||23028|-1|8.6|derived|Ampere||"_s};
    QTest::addRow("header, other order, extra columns")
        << QByteArray("name, pstate, memory.used [MiB], index, gpu_bus_id\nTesla T4, P8, 5 MiB, 2, 00000000:00:1E.0\n")
        << QStringList{u"2|Tesla T4||-1|5|7.5|derived|Turing||"_s};
    QTest::addRow("header, nounits, compute_cap N/A")
        << QByteArray("index,name,memory.total [MiB],compute_cap\n0,Tesla V100-SXM2-16GB,16384,N/A\n")
        << QStringList{u"0|Tesla V100-SXM2-16GB||16384|-1|7.0|derived|Volta||"_s};
    QTest::addRow("xml without declaration")
        << QByteArray("<nvidia_smi_log><gpu><product_name>NVIDIA B200</product_name></gpu></nvidia_smi_log>")
        << QStringList{u"0|NVIDIA B200||-1|-1|10.0|derived|Blackwell||"_s};
    QTest::addRow("table from Windows (WDDM)")
        << QByteArray("| NVIDIA-SMI 566.14                 Driver Version: 566.14         CUDA Version: 12.7     |\n"
                      "|   0  NVIDIA GeForce RTX 4090      WDDM  |   00000000:01:00.0  On |                  Off |\n"
                      "|  0%   38C    P8             17W /  450W |    1720MiB /  24564MiB |      3%      Default |\n")
        << QStringList{u"0|NVIDIA GeForce RTX 4090||24564|1720|8.9|derived|Ada Lovelace|566.14|12.7"_s};
    QTest::addRow("UTF-8 BOM and CRLF")
        << QByteArray("\xef\xbb\xbfindex, name, memory.total [MiB]\r\n0, NVIDIA A30, 24576 MiB\r\n")
        << QStringList{u"0|NVIDIA A30||24576|-1|8.0|derived|Ampere||"_s};
}

void TestNvidiaSmi::inlineInputs()
{
    QFETCH(QByteArray, data);
    QFETCH(QStringList, expected);

    QString error;
    const QList<GpuInfo> gpus = QuantDesk::parseNvidiaSmi(data, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(describeAll(gpus), expected);
}

void TestNvidiaSmi::lookupTable_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("architecture");
    QTest::addColumn<QString>("cc"); // empty: not found

    const auto row = [](const QString& name, const QString& architecture, const QString& cc) {
        QTest::addRow("%s / %s", qPrintable(name), qPrintable(architecture)) << name << architecture << cc;
    };
    // Hopper
    row(u"NVIDIA H100 80GB HBM3"_s, {}, u"9.0"_s);
    row(u"NVIDIA H100 PCIe"_s, {}, u"9.0"_s);
    row(u"NVIDIA H200"_s, {}, u"9.0"_s);
    row(u"NVIDIA H800"_s, {}, u"9.0"_s);
    row(u"NVIDIA GH200 480GB"_s, {}, u"9.0"_s);
    row(u"nvidia h100 nvl"_s, {}, u"9.0"_s);
    // Ampere
    row(u"NVIDIA A100-SXM4-80GB"_s, {}, u"8.0"_s);
    row(u"NVIDIA A800 80GB PCIe"_s, {}, u"8.0"_s);
    row(u"NVIDIA A30"_s, {}, u"8.0"_s);
    row(u"NVIDIA A10"_s, {}, u"8.6"_s);
    row(u"NVIDIA A10G"_s, {}, u"8.6"_s);
    row(u"NVIDIA A40"_s, {}, u"8.6"_s);
    row(u"NVIDIA A2"_s, {}, u"8.6"_s);
    row(u"NVIDIA A16"_s, {}, u"8.6"_s);
    row(u"NVIDIA RTX A6000"_s, {}, u"8.6"_s);
    row(u"NVIDIA GeForce RTX 3090 Ti"_s, {}, u"8.6"_s);
    // Ada Lovelace
    row(u"NVIDIA L4"_s, {}, u"8.9"_s);
    row(u"NVIDIA L40"_s, {}, u"8.9"_s);
    row(u"NVIDIA L40S"_s, {}, u"8.9"_s);
    row(u"NVIDIA GeForce RTX 4090"_s, {}, u"8.9"_s);
    row(u"NVIDIA RTX 6000 Ada Generation"_s, {}, u"8.9"_s);
    row(u"NVIDIA RTX 5000 Ada Generation"_s, {}, u"8.9"_s); // not a GeForce RTX 50xx
    // Blackwell
    row(u"NVIDIA B200"_s, {}, u"10.0"_s);
    row(u"NVIDIA B100"_s, {}, u"10.0"_s);
    row(u"NVIDIA GB200"_s, {}, u"10.0"_s);
    row(u"NVIDIA B300 SXM6 AC"_s, {}, u"10.3"_s);
    row(u"NVIDIA GB300"_s, {}, u"10.3"_s);
    row(u"NVIDIA GeForce RTX 5090"_s, {}, u"12.0"_s);
    row(u"NVIDIA RTX PRO 6000 Blackwell Server Edition"_s, {}, u"12.0"_s);
    // Turing, Volta
    row(u"Tesla T4"_s, {}, u"7.5"_s);
    row(u"NVIDIA GeForce RTX 2080 Ti"_s, {}, u"7.5"_s);
    row(u"Quadro RTX 5000"_s, {}, u"7.5"_s); // not a GeForce RTX 50xx
    row(u"Tesla V100-SXM2-16GB"_s, {}, u"7.0"_s);
    // The name wins over the architecture; the architecture is the fallback.
    row(u"NVIDIA H100 80GB HBM3"_s, u"Ampere"_s, u"9.0"_s);
    row(u"NVIDIA Graphics Device"_s, u"Hopper"_s, u"9.0"_s);
    row(QString(), u"Ada Lovelace"_s, u"8.9"_s);
    row(QString(), u"Blackwell"_s, u"10.0"_s);
    row(QString(), u"Turing"_s, u"7.5"_s);
    row(QString(), u"volta"_s, u"7.0"_s);
    row(u"NVIDIA Graphics Device"_s, u"Ampere"_s, u"8.6"_s);
    // Unknown
    row(u"NVIDIA Graphics Device"_s, {}, QString());
    row(u"AMD Radeon RX 7900 XTX"_s, {}, QString());
    row(QString(), QString(), QString());
    row(u"NVIDIA A1000000"_s, u"Kepler"_s, QString());
}

void TestNvidiaSmi::lookupTable()
{
    QFETCH(QString, name);
    QFETCH(QString, architecture);
    QFETCH(QString, cc);

    int major = -1;
    int minor = -1;
    const bool found = QuantDesk::lookupComputeCapability(name, architecture, &major, &minor);
    QCOMPARE(found, !cc.isEmpty());
    if (found)
        QCOMPARE(u"%1.%2"_s.arg(major).arg(minor), cc);
    // Null out-pointers are allowed.
    QCOMPARE(QuantDesk::lookupComputeCapability(name, architecture, nullptr, nullptr), found);
}

void TestNvidiaSmi::ccString()
{
    GpuInfo gpu;
    QVERIFY(!gpu.hasComputeCapability());
    QCOMPARE(gpu.ccValue(), -1);
    QCOMPARE(gpu.ccString(), QString());
    gpu.ccMajor = 8;
    gpu.ccMinor = 9;
    QCOMPARE(gpu.ccString(), u"8.9"_s);
    QCOMPARE(gpu.ccValue(), 89);
    gpu.ccMajor = 12;
    gpu.ccMinor = 0;
    QCOMPARE(gpu.ccString(), u"12.0"_s);
    QCOMPARE(gpu.ccValue(), 120);
}

void TestNvidiaSmi::badFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expected");
    for (const BadFile& bad : badFixtures())
        QTest::addRow("%s", bad.file) << QString::fromUtf8(bad.file) << bad.expected;
}

void TestNvidiaSmi::badFiles()
{
    QFETCH(QString, file);
    QFETCH(QString, expected);

    const QString path = dataFile(u"nvidia-smi-bad/"_s + file);
    QString error;
    QVERIFY(QuantDesk::parseNvidiaSmiFile(path, &error).isEmpty());
    QVERIFY2(error.startsWith(path + u": "_s), qPrintable(error));
    QVERIFY2(error.contains(expected), qPrintable(u"'%1' does not contain '%2'"_s.arg(error, expected)));

    QString bytesError;
    QVERIFY(QuantDesk::parseNvidiaSmi(readData(u"nvidia-smi-bad/"_s + file), &bytesError).isEmpty());
    QCOMPARE(path + u": "_s + bytesError, error);
}

void TestNvidiaSmi::everyBadFixtureIsListed()
{
    QStringList listed;
    for (const BadFile& bad : badFixtures())
        listed.append(QString::fromUtf8(bad.file));
    listed.sort();
    const QStringList onDisk = QDir(dataFile(u"nvidia-smi-bad"_s)).entryList(QDir::Files, QDir::Name);
    QCOMPARE(onDisk, listed);
    QVERIFY(onDisk.size() >= 10);
}

void TestNvidiaSmi::errorMessageNamesLineAndColumn()
{
    QString error;
    QVERIFY(QuantDesk::parseNvidiaSmi("index, name, memory.total [MiB]\n0, NVIDIA H100 80GB HBM3, abc\n", &error)
                .isEmpty());
    QCOMPARE(error, u"line 2: memory.total: 'abc' is not a number of MiB"_s);

    QVERIFY(QuantDesk::parseNvidiaSmi("<?xml version=\"1.0\"?>\n<nvidia_smi_log>\n  <gpu>\n    <uuid>x</gpu>\n", &error)
                .isEmpty());
    QVERIFY2(error.startsWith(u"malformed XML at line 4, column "_s), qPrintable(error));

    // Long values are shortened in messages.
    const QByteArray longValue(5000, 'x');
    QVERIFY(QuantDesk::parseNvidiaSmi("index, name, memory.used\n0, NVIDIA L4, " + longValue + '\n', &error).isEmpty());
    QVERIFY2(error.startsWith(u"line 2: memory.used: 'xxxx"_s), qPrintable(error));
    QVERIFY2(error.size() < 200, qPrintable(error));
}

void TestNvidiaSmi::lineNumbersCountLeadingBlankLines()
{
    QString error;
    QVERIFY(QuantDesk::parseNvidiaSmi("\n\r\n  \nindex, name, compute_cap\n\n0, NVIDIA L4, 8.9.1\n", &error).isEmpty());
    QCOMPARE(error, u"line 6: compute_cap: '8.9.1' is not a compute capability like 9.0"_s);
}

void TestNvidiaSmi::errorIsClearedOnSuccess()
{
    QString error = u"stale"_s;
    QCOMPARE(QuantDesk::parseNvidiaSmi(readData(u"nvidia-smi-h100/query-gpu.csv"_s), &error).size(), 1);
    QVERIFY(error.isEmpty());
    // A null error pointer is allowed, on success and on failure.
    QCOMPARE(QuantDesk::parseNvidiaSmi(readData(u"nvidia-smi-h100/query-gpu.csv"_s), nullptr).size(), 1);
    QVERIFY(QuantDesk::parseNvidiaSmi(QByteArray(), nullptr).isEmpty());
    QVERIFY(QuantDesk::parseNvidiaSmiFile(u"/nonexistent/nvidia-smi.csv"_s, nullptr).isEmpty());
}

void TestNvidiaSmi::fileErrors()
{
    QString error;
    const QString missing = dataFile(u"nvidia-smi-h100/does-not-exist.csv"_s);
    QVERIFY(QuantDesk::parseNvidiaSmiFile(missing, &error).isEmpty());
    QCOMPARE(error, missing + u": no such file"_s);

    const QString directory = dataFile(u"nvidia-smi-h100"_s);
    QVERIFY(QuantDesk::parseNvidiaSmiFile(directory, &error).isEmpty());
    QVERIFY2(error.startsWith(directory + u": "_s) && error.contains(u"directory"_s), qPrintable(error));

    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    // 16 MiB is accepted (and rejected for its content), one byte more is refused before reading.
    const QByteArray line = readData(u"nvidia-smi-h100/query-gpu-noheader.csv"_s);
    const QString atLimit = tmp.filePath(u"at-limit.csv"_s);
    {
        QFile file(atLimit);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QByteArray data = line;
        data.append(QByteArray(16 * 1024 * 1024 - line.size(), ' '));
        QCOMPARE(file.write(data), qint64(16 * 1024 * 1024));
    }
    QCOMPARE(QuantDesk::parseNvidiaSmiFile(atLimit, &error).size(), 1);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    const QString tooLarge = tmp.filePath(u"too-large.csv"_s);
    {
        QFile file(tooLarge);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.resize(16 * 1024 * 1024 + 1));
    }
    QVERIFY(QuantDesk::parseNvidiaSmiFile(tooLarge, &error).isEmpty());
    QVERIFY2(error.startsWith(tooLarge + u": "_s) && error.contains(u"16 MiB"_s), qPrintable(error));

    QVERIFY(QuantDesk::parseNvidiaSmi(QByteArray(16 * 1024 * 1024 + 1, 'x'), &error).isEmpty());
    QVERIFY2(error.contains(u"16 MiB"_s), qPrintable(error));
}

void TestNvidiaSmi::unreadableFile()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString path = tmp.filePath(u"unreadable.csv"_s);
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(readData(u"nvidia-smi-h100/query-gpu.csv"_s));
    }
    QVERIFY(QFile::setPermissions(path, QFileDevice::WriteOwner));
    {
        QFile probe(path);
        if (probe.open(QIODevice::ReadOnly))
            QSKIP("running with privileges that ignore file permissions");
    }
    QString error;
    QVERIFY(QuantDesk::parseNvidiaSmiFile(path, &error).isEmpty());
    QVERIFY2(error.startsWith(path + u": cannot read: "_s), qPrintable(error));
}

void TestNvidiaSmi::garbageDoesNotCrash_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("expectedError"); // empty: any outcome is fine as long as it is consistent

    constexpr qsizetype tenMB = 10 * 1000 * 1000;
    QTest::addRow("10 MB line of letters") << QByteArray(tenMB, 'x') << u"not nvidia-smi output"_s;
    QTest::addRow("10 MB line of commas") << QByteArray("a,").repeated(tenMB / 2) << u"more than 256 CSV columns"_s;
    QTest::addRow("10 MB name in CSV") << QByteArray("0, NVIDIA " + QByteArray(tenMB, 'A') + ", 81559, 0, 9.0\n")
                                       << QString();
    QTest::addRow("10 MB memory value") << QByteArray("index, name, memory.total\n0, NVIDIA L4, " +
                                                      QByteArray(tenMB, '9') + '\n')
                                        << u"is not a number of MiB"_s;
    QTest::addRow("10 MB table line") << QByteArray("| NVIDIA-SMI 1 Driver Version: 1\n|   0  " +
                                                    QByteArray(tenMB, ' ') + "On |\n")
                                      << u"no GPU rows"_s;
    QTest::addRow("10 MB XML text") << QByteArray("<nvidia_smi_log><gpu><product_name>" + QByteArray(tenMB, 'n') +
                                                  "</product_name></gpu></nvidia_smi_log>")
                                    << QString();
    QTest::addRow("deeply nested XML") << QByteArray("<nvidia_smi_log>" + QByteArray("<gpu>").repeated(200000))
                                       << u"nested deeper than"_s;
    QTest::addRow("deeply nested unknown XML")
        << QByteArray("<?xml version=\"1.0\"?>" + QByteArray("<a>").repeated(100000) +
                      QByteArray("</a>").repeated(100000))
        << u"XML root element is <a>"_s;
    QTest::addRow("entity expansion") << QByteArray("<?xml version=\"1.0\"?>\n<!DOCTYPE nvidia_smi_log [\n"
                                                    "<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
                                                    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
                                                    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
                                                    "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
                                                    "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
                                                    "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
                                                    "]>\n<nvidia_smi_log><gpu><product_name>&f;</product_name>"
                                                    "</gpu></nvidia_smi_log>\n")
                                      << QString();
    QTest::addRow("invalid UTF-8") << QByteArray("index, name\n0, \xc3\x28\xa0\xa1\n") << u"not valid UTF-8"_s;
    QTest::addRow("UTF-8 cut in a sequence")
        << QByteArray("0, NVIDIA H100\n1, NVIDIA \xc3") << u"line 2: input is binary"_s;
    QTest::addRow("UTF-8 surrogate") << QByteArray("0, NVIDIA \xed\xa0\x80, 1, 2, 9.0\n") << u"not valid UTF-8"_s;
    QTest::addRow("NUL byte") << QByteArray("index, name\n0, NVIDIA\0 L4\n", 25) << u"line 2: input is binary data"_s;
    QTest::addRow("only newlines") << QByteArray(1000000, '\n') << u"input is empty"_s;
    QTest::addRow("many short lines") << QByteArray("a,b\n").repeated(200000) << u"more than 100000 non-empty lines"_s;
    QTest::addRow("only commas") << QByteArray(",,,,\n,,,,\n") << u"not nvidia-smi output"_s;
    QTest::addRow("UTF-16 BOM then odd bytes") << QByteArray("\xff\xfe\x41", 3) << QString();
    QTest::addRow("UTF-16 lone surrogate") << QByteArray("\xff\xfe\x00\xd8\x41\x00", 6) << QString();
    QTest::addRow("lone '<'") << QByteArray("<") << u"malformed XML"_s;
    QTest::addRow("XML closing tag only") << QByteArray("</nvidia_smi_log>") << u"malformed XML"_s;
    QTest::addRow("fake table header only") << QByteArray("NVIDIA-SMI 1\n") << u"no GPU rows"_s;
}

void TestNvidiaSmi::garbageDoesNotCrash()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, expectedError);

    QString error;
    const QList<GpuInfo> gpus = QuantDesk::parseNvidiaSmi(data, &error);
    checkConsistent(gpus, error);
    if (!expectedError.isEmpty())
        QVERIFY2(error.contains(expectedError), qPrintable(error));
}

void TestNvidiaSmi::truncatedAndMutatedFixtures()
{
    QStringList files;
    for (const QString& dir : {u"nvidia-smi-h100"_s, u"nvidia-smi-other"_s}) {
        for (const QString& name : QDir(dataFile(dir)).entryList(QDir::Files, QDir::Name))
            files.append(dir + u'/' + name);
    }
    QVERIFY(files.size() >= 10);
    QRandomGenerator random(20261124);
    for (const QString& file : std::as_const(files)) {
        const QByteArray data = readData(file);
        const qsizetype step = data.size() / 64 + 1;
        for (qsizetype length = 0; length <= data.size(); length += step) {
            QString error;
            checkConsistent(QuantDesk::parseNvidiaSmi(data.left(length), &error), error);
            if (QTest::currentTestFailed()) {
                qWarning("%s truncated to %lld bytes", qPrintable(file), static_cast<long long>(length));
                return;
            }
        }
        for (int i = 0; i < 300 && !data.isEmpty(); ++i) {
            QByteArray mutated = data;
            for (int n = random.bounded(1, 8); n > 0; --n) {
                const qsizetype at = random.bounded(mutated.size());
                mutated[at] = char(random.bounded(256));
            }
            QString error;
            checkConsistent(QuantDesk::parseNvidiaSmi(mutated, &error), error);
            if (QTest::currentTestFailed()) {
                qWarning("%s mutation %d", qPrintable(file), i);
                return;
            }
        }
    }
}

void TestNvidiaSmi::randomBytes()
{
    QRandomGenerator random(42);
    for (int i = 0; i < 500; ++i) {
        QByteArray data(random.bounded(0, 4096), Qt::Uninitialized);
        for (char& c : data)
            c = char(random.bounded(256));
        QString error;
        const QList<GpuInfo> gpus = QuantDesk::parseNvidiaSmi(data, &error);
        checkConsistent(gpus, error);
        if (QTest::currentTestFailed())
            return;
    }
}

QTEST_GUILESS_MAIN(TestNvidiaSmi)
#include "TestNvidiaSmi.moc"
