#include "core/hardware/GpuInfo.h"

#include <QByteArray>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStringConverter>
#include <QStringDecoder>
#include <QStringTokenizer>
#include <QXmlStreamReader>
#include <optional>
#include <utility>

namespace QuantDesk
{

using namespace Qt::StringLiterals;

namespace
{

// nvidia-smi output is a few KiB (a `-q -x` dump of an 8-GPU host is ~250 KiB); anything this large is not it.
constexpr qint64 kMaxInputBytes = 16 * 1024 * 1024;
constexpr qsizetype kMaxLines = 100000; // non-empty lines of CSV or table output
constexpr qsizetype kMaxColumns = 256;  // CSV fields per line
constexpr qsizetype kMaxXmlDepth = 64;  // the real `-q -x` output nests 4 deep
constexpr qsizetype kQuoteLimit = 60;   // characters of a value quoted in an error message
constexpr int kMaxIndexInFirstColumn = 255;

QList<GpuInfo> fail(QString* error, const QString& message)
{
    if (error)
        *error = message;
    return {};
}

// A value for an error message: quoted, shortened (a 10 MB line must not end up in a message), control
// characters replaced.
QString quoted(QStringView value)
{
    QString s = value.left(kQuoteLimit).toString();
    for (QChar& c : s) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = u'?';
    }
    if (value.size() > kQuoteLimit)
        s += u"..."_s;
    return u"'"_s + s + u"'"_s;
}

struct Line
{
    int number = 0;   // 1-based line number in the input
    QStringView text; // trimmed, never empty
};

// The non-empty lines of the input, trimmed (this also drops the '\r' of CRLF files).
bool splitLines(QStringView text, QList<Line>* lines, QString* error)
{
    int number = 0;
    for (QStringView raw : qTokenize(text, u'\n')) {
        ++number;
        const QStringView trimmed = raw.trimmed();
        if (trimmed.isEmpty())
            continue;
        if (lines->size() >= kMaxLines) {
            fail(error, u"line %1: more than %2 non-empty lines; not nvidia-smi output"_s.arg(number).arg(kMaxLines));
            return false;
        }
        lines->append({number, trimmed});
    }
    return true;
}

// The 1-based line of the first invalid UTF-8 sequence (UTF-8 never uses the byte '\n' inside a sequence).
int firstInvalidUtf8Line(const QByteArray& data)
{
    int line = 1;
    for (qsizetype start = 0; start <= data.size(); ++line) {
        qsizetype end = data.indexOf('\n', start);
        if (end < 0)
            end = data.size();
        QStringDecoder decoder(QStringConverter::Utf8, QStringConverter::Flag::Stateless);
        const QString decoded = decoder.decode(QByteArrayView(data).sliced(start, end - start));
        if (decoder.hasError())
            return line;
        start = end + 1;
    }
    return -1;
}

// Decodes the input (UTF-8, or UTF-16/32 when it starts with a byte order mark, as PowerShell's `>` writes) and
// rejects binary data: invalid UTF-8 or control characters other than tab, CR and LF.
bool decodeText(const QByteArray& data, QString* text, QString* error)
{
    const QStringConverter::Encoding encoding =
        QStringConverter::encodingForData(data).value_or(QStringConverter::Utf8);
    // Stateless: an incomplete sequence at the end is an error too, not silently dropped.
    QStringDecoder decoder(encoding, QStringConverter::Flag::Stateless);
    *text = decoder.decode(data);
    if (decoder.hasError()) {
        if (encoding == QStringConverter::Utf8)
            fail(error,
                 u"line %1: input is binary data, not text: it is not valid UTF-8"_s.arg(firstInvalidUtf8Line(data)));
        else
            fail(error,
                 u"input is binary data, not text: it is not valid %1"_s.arg(
                     QLatin1StringView(QStringConverter::nameForEncoding(encoding))));
        return false;
    }
    if (text->startsWith(QChar(0xfeff)))
        text->remove(0, 1);
    int line = 1;
    for (const QChar c : std::as_const(*text)) {
        const char16_t u = c.unicode();
        if (u == u'\n') {
            ++line;
        } else if ((u < 0x20 && u != u'\t' && u != u'\r') || u == 0x7f) {
            fail(error,
                 u"line %1: input is binary data, not text: control character 0x%2"_s.arg(line).arg(
                     int(u), 2, 16, QChar(u'0')));
            return false;
        }
    }
    return true;
}

bool isUnknownValue(QStringView value)
{
    // nvidia-smi prints "N/A", "[N/A]", "[Not Supported]", "[Unknown Error]", "[Insufficient Permissions]", ...
    return value.isEmpty() || value.compare(u"N/A", Qt::CaseInsensitive) == 0 ||
           (value.startsWith(u'[') && value.endsWith(u']'));
}

bool isDigits(QStringView value)
{
    if (value.isEmpty())
        return false;
    for (const QChar c : value) {
        if (c < u'0' || c > u'9')
            return false;
    }
    return true;
}

// "81559", "81559 MiB", "81559MiB" → 81559.
std::optional<qint64> parseMiB(QStringView value)
{
    QStringView digits = value;
    if (digits.endsWith(u"MiB"))
        digits = digits.chopped(3).trimmed();
    if (!isDigits(digits) || digits.size() > 12)
        return std::nullopt;
    return digits.toLongLong();
}

std::optional<int> parseSmallInt(QStringView value)
{
    if (!isDigits(value) || value.size() > 6)
        return std::nullopt;
    return value.toInt();
}

// "9.0", "12.0" → {9, 0}: one or two digits, a dot, one digit.
bool parseComputeCapability(QStringView value, int* major, int* minor)
{
    const qsizetype dot = value.indexOf(u'.');
    if (dot < 1 || dot > 2 || value.size() != dot + 2)
        return false;
    const QStringView majorText = value.left(dot);
    const QStringView minorText = value.mid(dot + 1);
    if (!isDigits(majorText) || !isDigits(minorText))
        return false;
    *major = majorText.toInt();
    *minor = minorText.toInt();
    return true;
}

bool looksLikeComputeCapability(QStringView value)
{
    int major = -1;
    int minor = -1;
    return parseComputeCapability(value, &major, &minor) && major >= 1 && major <= 12;
}

QString architectureForComputeCapability(int major, int minor)
{
    switch (major) {
    case 5:
        return u"Maxwell"_s;
    case 6:
        return u"Pascal"_s;
    case 7:
        return minor == 5 ? u"Turing"_s : u"Volta"_s;
    case 8:
        return minor == 9 ? u"Ada Lovelace"_s : u"Ampere"_s;
    case 9:
        return u"Hopper"_s;
    case 10:
    case 11:
    case 12:
        return u"Blackwell"_s;
    default:
        return {};
    }
}

// Fills in what nvidia-smi did not print: the compute capability (looked up) and the architecture (from the
// compute capability).
void complete(GpuInfo& gpu)
{
    if (!gpu.hasComputeCapability()) {
        int major = -1;
        int minor = -1;
        if (lookupComputeCapability(gpu.name, gpu.architecture, &major, &minor)) {
            gpu.ccMajor = major;
            gpu.ccMinor = minor;
            gpu.ccDerived = true;
        }
    }
    if (gpu.architecture.isEmpty() && gpu.hasComputeCapability())
        gpu.architecture = architectureForComputeCapability(gpu.ccMajor, gpu.ccMinor);
}

// ---------------------------------------------------------------------------------------------------------------
// XML (`nvidia-smi -q -x`)

QList<GpuInfo> parseXml(const QString& text, QString* error)
{
    QXmlStreamReader xml(text);
    QList<GpuInfo> gpus;
    QString driverVersion;
    QString cudaVersion;
    QStringList path; // element names from the root down to the current element
    const auto where = [&xml] { return u"line %1, column %2"_s.arg(xml.lineNumber()).arg(xml.columnNumber()); };

    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::EndElement) {
            if (!path.isEmpty())
                path.removeLast();
            continue;
        }
        if (xml.tokenType() != QXmlStreamReader::StartElement)
            continue;
        path.append(xml.name().toString());
        if (path.size() > kMaxXmlDepth)
            return fail(
                error,
                u"%1: XML is nested deeper than %2 elements; not nvidia-smi output"_s.arg(where()).arg(kMaxXmlDepth));
        if (path.size() == 1 && path.first() != u"nvidia_smi_log")
            return fail(error, u"%1: XML root element is <%2>, expected <nvidia_smi_log>"_s.arg(where(), path.first()));
        if (path.size() == 2 && path.at(1) == u"gpu") {
            gpus.append(GpuInfo{});
            continue;
        }

        const QString element = path.last(); // a copy: readText() pops path
        const qint64 line = xml.lineNumber();
        const auto readText = [&xml, &path] {
            // readElementText() consumes the end element.
            const QString value = xml.readElementText(QXmlStreamReader::SkipChildElements).trimmed();
            path.removeLast();
            return value;
        };
        if (path.size() == 2 && (element == u"driver_version" || element == u"cuda_version")) {
            const QString value = readText();
            if (!isUnknownValue(value))
                (element == u"driver_version" ? driverVersion : cudaVersion) = value;
            continue;
        }
        if (gpus.isEmpty() || path.size() < 3 || path.at(1) != u"gpu")
            continue;
        GpuInfo& gpu = gpus.last();
        if (path.size() == 3) {
            if (element == u"product_name" || element == u"product_architecture" || element == u"uuid") {
                QString value = readText();
                if (isUnknownValue(value))
                    value.clear();
                if (element == u"product_name")
                    gpu.name = value;
                else if (element == u"product_architecture")
                    gpu.architecture = value;
                else
                    gpu.uuid = value;
            } else if (element == u"minor_number") {
                const QString value = readText();
                if (isUnknownValue(value))
                    continue;
                const std::optional<int> index = parseSmallInt(value);
                if (!index)
                    return fail(error, u"line %1: minor_number: %2 is not an integer"_s.arg(line).arg(quoted(value)));
                gpu.index = *index;
            } else if (element == u"compute_cap") { // not printed by current drivers; accepted should one appear
                const QString value = readText();
                if (isUnknownValue(value))
                    continue;
                if (!parseComputeCapability(value, &gpu.ccMajor, &gpu.ccMinor))
                    return fail(error,
                                u"line %1: compute_cap: %2 is not a compute capability like 9.0"_s.arg(line).arg(
                                    quoted(value)));
            }
        } else if (path.size() == 4 && path.at(2) == u"fb_memory_usage" &&
                   (element == u"total" || element == u"used")) {
            const QString value = readText();
            if (isUnknownValue(value))
                continue;
            const std::optional<qint64> mib = parseMiB(value);
            if (!mib)
                return fail(
                    error,
                    u"line %1: fb_memory_usage/%2: %3 is not a number of MiB"_s.arg(line).arg(element, quoted(value)));
            (element == u"total" ? gpu.memoryTotalMiB : gpu.memoryUsedMiB) = *mib;
        }
    }
    if (xml.hasError())
        return fail(error, u"malformed XML at %1: %2"_s.arg(where(), xml.errorString()));
    if (gpus.isEmpty())
        return fail(error, u"nvidia-smi XML has no <gpu> element"_s);

    for (qsizetype i = 0; i < gpus.size(); ++i) {
        GpuInfo& gpu = gpus[i];
        if (gpu.index < 0)
            gpu.index = int(i);
        gpu.driverVersion = driverVersion;
        gpu.cudaVersion = cudaVersion;
        complete(gpu);
    }
    return gpus;
}

// ---------------------------------------------------------------------------------------------------------------
// The default plain-text table of `nvidia-smi`

QList<GpuInfo> parseTable(const QList<Line>& lines, QString* error)
{
    static const QRegularExpression driverRe(u"Driver Version:\\s*([0-9][0-9.]*)"_s);
    static const QRegularExpression cudaRe(u"CUDA Version:\\s*([0-9][0-9.]*)"_s);
    // "|   0  NVIDIA H100 80GB HBM3          On  |   00000000:00:06.0 Off |                    0 |"
    // (Windows prints WDDM/TCC in place of the persistence mode.)
    static const QRegularExpression gpuRe(
        u"^\\|\\s*(\\d{1,4})\\s+(\\S.*?)\\s+(?:On|Off|WDDM|TCC|N/A)\\s*\\|\\s*[0-9A-Fa-f]{4,8}:[0-9A-Fa-f]{2}:"
        "[0-9A-Fa-f]{2}\\.[0-9A-Fa-f]"_s);
    // "| N/A   42C    P0            129W /  700W |       0MiB /  81559MiB |      0%      Default |"
    static const QRegularExpression memoryRe(u"\\|\\s*(\\d{1,12})\\s*MiB\\s*/\\s*(\\d{1,12})\\s*MiB\\s*\\|"_s);

    QList<GpuInfo> gpus;
    QString driverVersion;
    QString cudaVersion;
    for (const Line& line : lines) {
        // The MIG and process tables that follow also print "MiB /" cells; they do not describe whole GPUs.
        if (line.text.contains(u"Processes:") || line.text.contains(u"MIG devices:"))
            break;
        if (driverVersion.isEmpty()) {
            if (const QRegularExpressionMatch m = driverRe.match(line.text); m.hasMatch())
                driverVersion = m.captured(1);
        }
        if (cudaVersion.isEmpty()) {
            if (const QRegularExpressionMatch m = cudaRe.match(line.text); m.hasMatch())
                cudaVersion = m.captured(1);
        }
        if (const QRegularExpressionMatch m = gpuRe.match(line.text); m.hasMatch()) {
            GpuInfo gpu;
            gpu.index = m.captured(1).toInt();
            gpu.name = m.captured(2).trimmed();
            gpus.append(gpu);
            continue;
        }
        if (!gpus.isEmpty() && gpus.last().memoryTotalMiB < 0) {
            if (const QRegularExpressionMatch m = memoryRe.match(line.text); m.hasMatch()) {
                gpus.last().memoryUsedMiB = m.captured(1).toLongLong();
                gpus.last().memoryTotalMiB = m.captured(2).toLongLong();
            }
        }
    }
    if (gpus.isEmpty())
        return fail(error, u"the nvidia-smi table has no GPU rows"_s);
    for (GpuInfo& gpu : gpus) {
        gpu.driverVersion = driverVersion;
        gpu.cudaVersion = cudaVersion;
        complete(gpu);
    }
    return gpus;
}

// ---------------------------------------------------------------------------------------------------------------
// CSV (`--query-gpu=… --format=csv[,noheader][,nounits]`)

enum class Column { Ignored, Index, Name, Uuid, MemoryTotal, MemoryUsed, ComputeCap, DriverVersion };

QString columnName(Column column)
{
    switch (column) {
    case Column::Index:
        return u"index"_s;
    case Column::Name:
        return u"name"_s;
    case Column::Uuid:
        return u"uuid"_s;
    case Column::MemoryTotal:
        return u"memory.total"_s;
    case Column::MemoryUsed:
        return u"memory.used"_s;
    case Column::ComputeCap:
        return u"compute_cap"_s;
    case Column::DriverVersion:
        return u"driver_version"_s;
    case Column::Ignored:
        break;
    }
    return {};
}

// Splits a CSV line; nvidia-smi never quotes and separates with ", ".
bool splitFields(const Line& line, QList<QStringView>* fields, QString* error)
{
    if (line.text.count(u',') >= kMaxColumns) {
        fail(error, u"line %1: more than %2 CSV columns; not nvidia-smi output"_s.arg(line.number).arg(kMaxColumns));
        return false;
    }
    fields->clear();
    for (QStringView field : qTokenize(line.text, u','))
        fields->append(field.trimmed());
    return true;
}

bool applyField(GpuInfo& gpu, Column column, QStringView value, int line, QString* error)
{
    if (column == Column::Ignored || isUnknownValue(value))
        return true;
    switch (column) {
    case Column::Index:
        if (const std::optional<int> index = parseSmallInt(value)) {
            gpu.index = *index;
            return true;
        }
        fail(error, u"line %1: index: %2 is not an integer"_s.arg(line).arg(quoted(value)));
        return false;
    case Column::Name:
        gpu.name = value.toString();
        return true;
    case Column::Uuid:
        gpu.uuid = value.toString();
        return true;
    case Column::DriverVersion:
        gpu.driverVersion = value.toString();
        return true;
    case Column::MemoryTotal:
    case Column::MemoryUsed:
        if (const std::optional<qint64> mib = parseMiB(value)) {
            (column == Column::MemoryTotal ? gpu.memoryTotalMiB : gpu.memoryUsedMiB) = *mib;
            return true;
        }
        fail(error, u"line %1: %2: %3 is not a number of MiB"_s.arg(line).arg(columnName(column), quoted(value)));
        return false;
    case Column::ComputeCap:
        if (parseComputeCapability(value, &gpu.ccMajor, &gpu.ccMinor))
            return true;
        fail(error, u"line %1: compute_cap: %2 is not a compute capability like 9.0"_s.arg(line).arg(quoted(value)));
        return false;
    case Column::Ignored:
        break;
    }
    return true;
}

// Parses the data rows lines[first..] with the given column roles. `columnSource` names what fixed the column
// count, for the error message ("the header", "line 1").
QList<GpuInfo> parseCsvRows(const QList<Line>& lines,
                            qsizetype first,
                            const QList<Column>& columns,
                            const QString& columnSource,
                            QString* error)
{
    QList<GpuInfo> gpus;
    QList<QStringView> fields;
    for (qsizetype i = first; i < lines.size(); ++i) {
        const Line& line = lines.at(i);
        if (!splitFields(line, &fields, error))
            return {};
        if (fields.size() != columns.size())
            return fail(error,
                        u"line %1: %2 columns, but %3 has %4"_s.arg(line.number)
                            .arg(fields.size())
                            .arg(columnSource)
                            .arg(columns.size()));
        GpuInfo gpu;
        for (qsizetype c = 0; c < fields.size(); ++c) {
            if (!applyField(gpu, columns.at(c), fields.at(c), line.number, error))
                return {};
        }
        if (gpu.index < 0)
            gpu.index = int(gpus.size());
        complete(gpu);
        gpus.append(gpu);
    }
    return gpus;
}

// "memory.total [MiB]" → "memory.total"; a header field is a lower-case query name, optionally with a unit.
bool isHeaderField(QStringView field)
{
    static const QRegularExpression re(u"^[a-z][a-z0-9_.]{0,63}(\\s*\\[[^\\]]{0,16}\\])?$"_s);
    return re.match(field).hasMatch();
}

// A first line is a header when every field is a query field name and at least one of them is recognisably
// nvidia-smi's (dotted, with an underscore or a unit, or one of the short names), so that a lower-case word on its
// own is not taken for a header.
bool isHeader(const QList<QStringView>& fields)
{
    bool known = false;
    for (QStringView field : fields) {
        if (!isHeaderField(field))
            return false;
        known = known || field.contains(u'.') || field.contains(u'_') || field.contains(u'[') || field == u"index" ||
                field == u"name" || field == u"uuid" || field == u"pid" || field == u"pstate" || field == u"count" ||
                field == u"serial";
    }
    return known;
}

QString headerFieldName(QStringView field)
{
    const qsizetype bracket = field.indexOf(u'[');
    QString name = (bracket >= 0 ? field.left(bracket) : field).trimmed().toString().toLower();
    name.remove(u' ');
    return name;
}

QList<GpuInfo> parseCsvWithHeader(const QList<Line>& lines, const QList<QStringView>& header, QString* error)
{
    QList<Column> columns;
    QStringList names;
    bool hasName = false;
    for (QStringView field : header) {
        const QString name = headerFieldName(field);
        names.append(name);
        Column column = Column::Ignored;
        if (name == u"name" || name == u"gpu_name")
            column = Column::Name;
        else if (name == u"index")
            column = Column::Index;
        else if (name == u"uuid" || name == u"gpu_uuid")
            column = Column::Uuid;
        else if (name == u"memory.total")
            column = Column::MemoryTotal;
        else if (name == u"memory.used")
            column = Column::MemoryUsed;
        else if (name == u"compute_cap" || name == u"compute_capability")
            column = Column::ComputeCap;
        else if (name == u"driver_version")
            column = Column::DriverVersion;
        hasName = hasName || column == Column::Name;
        columns.append(column);
    }
    const int headerLine = lines.first().number;
    if (!hasName) {
        QString list = names.mid(0, 12).join(u", "_s).left(200);
        if (names.size() > 12 || list.size() == 200)
            list += u", ..."_s;
        QString message = u"line %1: the CSV header has no 'name' column (columns: %2)"_s.arg(headerLine).arg(list);
        if (names.contains(u"pid"_s) || names.contains(u"process_name"_s))
            message += u"; this looks like --query-compute-apps output, not --query-gpu"_s;
        return fail(error, message);
    }
    if (lines.size() < 2)
        return fail(error, u"line %1: the CSV has a header but no GPU rows"_s.arg(headerLine));
    return parseCsvRows(lines, 1, columns, u"the header"_s, error);
}

bool containsLetter(QStringView value)
{
    for (const QChar c : value) {
        if (c.isLetter())
            return true;
    }
    return false;
}

// A value that names a GPU on its own: a vendor/brand word or a name in the compute capability table.
bool looksLikeGpuName(QStringView value)
{
    static const QRegularExpression brandRe(u"\\b(NVIDIA|Tesla|Quadro|GeForce|TITAN|Jetson)\\b"_s,
                                            QRegularExpression::CaseInsensitiveOption);
    int major = -1;
    int minor = -1;
    return brandRe.match(value).hasMatch() || lookupComputeCapability(value.toString(), {}, &major, &minor);
}

// Headerless CSV (`--format=csv,noheader[,nounits]`): the columns are not named, so they are inferred.
//
// Heuristic:
//  * 5 columns whose first value is an integer and whose second contains letters (and is not a uuid): the order
//    used by `--query-gpu=index,name,memory.total,memory.used,compute_cap`, which we document for users.
//  * otherwise each column is classified by the shape of its first known (not N/A) value:
//      - "GPU-…" is the uuid;
//      - one or two digits, a dot, one digit, with a major of at most 12 ("9.0", "8.9", "12.0") is the compute
//        capability;
//      - a dotted number with a major of three or more digits ("580.159.04") is the driver version;
//      - "N MiB" is memory; a bare integer is memory too, except in the first column when it is ≤ 255 and a name
//        column follows, where it is the index (users put the index first);
//      - among values that start with a letter, the name is the first one that looks like a GPU (a brand word such
//        as NVIDIA/Tesla/GeForce or a known model), else the first one; other text columns are ignored;
//    memory columns are memory.total then memory.used in order; further ones are ignored.
//  * a file is accepted only when a name column is found and either the name looks like a GPU or another column is
//    a uuid, memory, compute capability or driver version; this keeps arbitrary text from passing as a GPU list.
QList<GpuInfo> parseCsvWithoutHeader(const QList<Line>& lines, QString* error)
{
    // Rows with as many columns as the first; parseCsvRows() reports the first row that differs, but only once the
    // input is known to look like GPU data (arbitrary text would otherwise get a column count error).
    QList<QList<QStringView>> rows;
    QList<QStringView> fields;
    for (const Line& line : lines) {
        if (!splitFields(line, &fields, error))
            return {};
        if (rows.isEmpty() || fields.size() == rows.first().size())
            rows.append(fields);
    }
    const QList<QStringView>& firstRow = rows.first();
    const qsizetype count = firstRow.size();
    const QString firstLine = u"line %1"_s.arg(lines.first().number);

    if (count == 5 && (isUnknownValue(firstRow.at(0)) || isDigits(firstRow.at(0))) && containsLetter(firstRow.at(1)) &&
        !firstRow.at(1).startsWith(u"GPU-")) {
        const QList<Column> columns{
            Column::Index, Column::Name, Column::MemoryTotal, Column::MemoryUsed, Column::ComputeCap};
        return parseCsvRows(lines, 0, columns, firstLine, error);
    }

    enum class Shape { Unknown, Uuid, ComputeCap, Driver, MiB, Integer, Text };
    QList<Shape> shapes(count, Shape::Unknown);
    QList<QStringView> samples(count);
    static const QRegularExpression driverRe(u"^\\d{3,}(\\.\\d+)+$"_s);
    for (qsizetype c = 0; c < count; ++c) {
        for (const QList<QStringView>& row : rows) {
            if (!isUnknownValue(row.at(c))) {
                samples[c] = row.at(c);
                break;
            }
        }
        const QStringView v = samples.at(c);
        if (v.isEmpty())
            shapes[c] = Shape::Unknown;
        else if (v.startsWith(u"GPU-"))
            shapes[c] = Shape::Uuid;
        else if (looksLikeComputeCapability(v))
            shapes[c] = Shape::ComputeCap;
        else if (driverRe.match(v).hasMatch())
            shapes[c] = Shape::Driver;
        else if (isDigits(v))
            shapes[c] = Shape::Integer;
        else if (parseMiB(v))
            shapes[c] = Shape::MiB;
        else if (v.front().isLetter())
            shapes[c] = Shape::Text;
    }

    qsizetype nameColumn = -1;
    for (qsizetype c = 0; c < count && nameColumn < 0; ++c) {
        if (shapes.at(c) == Shape::Text && looksLikeGpuName(samples.at(c)))
            nameColumn = c;
    }
    const bool nameLooksLikeGpu = nameColumn >= 0;
    for (qsizetype c = 0; c < count && nameColumn < 0; ++c) {
        if (shapes.at(c) == Shape::Text)
            nameColumn = c;
    }
    if (nameColumn < 0)
        return fail(error,
                    u"not nvidia-smi output: expected --query-gpu CSV, -q -x XML or the nvidia-smi table; "
                    "%1 is %2"_s.arg(firstLine, quoted(lines.first().text)));

    QList<Column> columns(count, Column::Ignored);
    columns[nameColumn] = Column::Name;
    bool hasOther = false;
    int memoryColumns = 0;
    for (qsizetype c = 0; c < count; ++c) {
        switch (shapes.at(c)) {
        case Shape::Uuid:
            columns[c] = Column::Uuid;
            hasOther = true;
            break;
        case Shape::ComputeCap:
            columns[c] = Column::ComputeCap;
            hasOther = true;
            break;
        case Shape::Driver:
            columns[c] = Column::DriverVersion;
            hasOther = true;
            break;
        case Shape::Integer:
            if (const std::optional<int> index = parseSmallInt(samples.at(c));
                c == 0 && nameColumn > 0 && index && *index <= kMaxIndexInFirstColumn) {
                columns[c] = Column::Index;
                break;
            }
            [[fallthrough]];
        case Shape::MiB:
            if (memoryColumns < 2)
                columns[c] = memoryColumns++ == 0 ? Column::MemoryTotal : Column::MemoryUsed;
            hasOther = true;
            break;
        case Shape::Text:
        case Shape::Unknown:
            break;
        }
    }
    if (!nameLooksLikeGpu && !hasOther)
        return fail(error,
                    u"not nvidia-smi output: %1 (%2) has no GPU name, uuid, memory or compute capability "
                    "column"_s.arg(firstLine, quoted(lines.first().text)));
    return parseCsvRows(lines, 0, columns, firstLine, error);
}

// ---------------------------------------------------------------------------------------------------------------
// Messages that nvidia-smi (or the shell) prints instead of data.

std::optional<QString> nvidiaSmiFailure(const QList<Line>& lines)
{
    static const QRegularExpression failureRe(
        u"NVIDIA-SMI has failed|Failed to initialize NVML|No devices were found|"
        "Unable to determine the device handle|couldn't communicate with the NVIDIA driver|"
        "command not found|is not recognized as|No such file or directory"_s,
        QRegularExpression::CaseInsensitiveOption);
    for (qsizetype i = 0; i < lines.size() && i < 5; ++i) {
        const QStringView text = lines.at(i).text;
        if (!text.startsWith(u'|') && failureRe.match(text).hasMatch()) {
            QString message = text.left(200).toString();
            if (text.size() > 200)
                message += u"..."_s;
            if (message.contains(u"No devices were found", Qt::CaseInsensitive))
                return u"line %1: nvidia-smi found no GPUs: %2"_s.arg(lines.at(i).number).arg(message);
            return u"line %1: nvidia-smi reported an error instead of GPU data: %2"_s.arg(lines.at(i).number)
                .arg(message);
        }
    }
    return std::nullopt;
}

QString htmlTitle(QStringView text)
{
    static const QRegularExpression titleRe(u"<title[^>]*>([^<]{0,200})</title>"_s,
                                            QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = titleRe.match(text.left(64 * 1024));
    return m.hasMatch() ? m.captured(1).simplified() : QString();
}

} // namespace

QString GpuInfo::ccString() const
{
    if (!hasComputeCapability())
        return {};
    return u"%1.%2"_s.arg(ccMajor).arg(ccMinor);
}

bool lookupComputeCapability(const QString& name, const QString& architecture, int* major, int* minor)
{
    struct Entry
    {
        QRegularExpression pattern;
        int major;
        int minor;
    };
    // Checked in order, so the more specific patterns come first ("RTX 5000 Ada" before "RTX 50xx").
    static const QList<Entry> table = [] {
        const struct
        {
            const char16_t* pattern;
            int major;
            int minor;
        } raw[] = {
            // Ada workstation cards and Turing Quadros carry numbers that look like GeForce 50xx.
            {u"\\bRTX\\s*\\d{4}\\s+Ada\\b", 8, 9},
            {u"\\bQuadro\\s+RTX\\s*\\d{4}\\b|\\bTITAN\\s+RTX\\b", 7, 5},
            // Blackwell
            {u"\\bG?B300\\b", 10, 3},
            {u"\\bG?B(100|200)\\b", 10, 0},
            {u"\\bGB10\\b", 12, 1},
            {u"\\bRTX\\s+PRO\\s+\\d{4}\\b|\\bRTX\\s*50\\d0\\b", 12, 0},
            // Hopper
            {u"\\bGH200\\b|\\bH(100|200|800|20)\\b", 9, 0},
            // Ada Lovelace
            {u"\\bL(4|20|40|40S|40G)\\b|\\bRTX\\s*40\\d0\\b", 8, 9},
            // Ampere
            {u"\\bA(100|800|30)\\b", 8, 0},
            {u"\\bA(2|10|10G|16|40)\\b|\\bA[2-6][05]00\\b|\\bRTX\\s*30\\d0\\b", 8, 6},
            // Turing
            {u"\\bT4\\b|\\bRTX\\s*20\\d0\\b|\\bGTX\\s*16\\d0\\b", 7, 5},
            // Volta
            {u"\\bV100\\b|\\bTITAN\\s+V\\b", 7, 0},
            // Pascal
            {u"\\bP100\\b", 6, 0},
            {u"\\bP(4|40)\\b|\\bGTX\\s*10\\d0\\b", 6, 1},
        };
        QList<Entry> entries;
        for (const auto& r : raw) {
            entries.append(
                {QRegularExpression(QString::fromUtf16(r.pattern), QRegularExpression::CaseInsensitiveOption),
                 r.major,
                 r.minor});
        }
        return entries;
    }();

    const auto found = [major, minor](int ma, int mi) {
        if (major)
            *major = ma;
        if (minor)
            *minor = mi;
        return true;
    };
    if (!name.isEmpty()) {
        for (const Entry& entry : table) {
            if (entry.pattern.match(name).hasMatch())
                return found(entry.major, entry.minor);
        }
    }

    const QString arch = architecture.simplified().toLower();
    if (arch == u"hopper")
        return found(9, 0);
    if (arch == u"ada lovelace" || arch == u"ada")
        return found(8, 9);
    if (arch == u"blackwell")
        return found(10, 0);
    if (arch == u"turing")
        return found(7, 5);
    if (arch == u"volta")
        return found(7, 0);
    if (arch == u"ampere") {
        // Ampere spans 8.0 (the data-centre A100/A800/A30) and 8.6 (everything else).
        static const QRegularExpression ga100(u"\\bA(100|800|30)\\b"_s, QRegularExpression::CaseInsensitiveOption);
        return ga100.match(name).hasMatch() ? found(8, 0) : found(8, 6);
    }
    return false;
}

QList<GpuInfo> parseNvidiaSmi(const QByteArray& data, QString* error)
{
    if (data.size() > kMaxInputBytes)
        return fail(error, u"input is %1 bytes; nvidia-smi output is never larger than 16 MiB"_s.arg(data.size()));
    QString text;
    if (!decodeText(data, &text, error))
        return {};
    const QStringView content = QStringView(text).trimmed();
    if (content.isEmpty())
        return fail(error, u"input is empty"_s);

    QList<GpuInfo> gpus;
    if (content.startsWith(u"<?xml") || content.contains(u"<nvidia_smi_log")) {
        gpus = parseXml(text, error);
    } else if (content.startsWith(u'<')) {
        static const QRegularExpression htmlRe(u"<(!doctype\\s+html|html|head|body)\\b"_s,
                                               QRegularExpression::CaseInsensitiveOption);
        if (!htmlRe.match(content.left(4096)).hasMatch()) {
            gpus = parseXml(text, error);
        } else {
            const QString title = htmlTitle(content);
            return fail(error,
                        title.isEmpty() ? u"input is an HTML page, not nvidia-smi output"_s
                                        : u"input is an HTML page (%1), not nvidia-smi output"_s.arg(quoted(title)));
        }
    } else {
        QList<Line> lines;
        if (!splitLines(content, &lines, error))
            return {};
        // `content` is trimmed, so line numbers count from its start; correct them to the input's.
        const int skipped = int(QStringView(text).left(content.data() - text.constData()).count(u'\n'));
        for (Line& line : lines)
            line.number += skipped;

        if (const std::optional<QString> failure = nvidiaSmiFailure(lines))
            return fail(error, *failure);
        static const QRegularExpression tableRe(u"NVIDIA-SMI\\s+\\d|Driver Version:"_s);
        QList<QStringView> header;
        if (tableRe.match(content.left(64 * 1024)).hasMatch()) {
            gpus = parseTable(lines, error);
        } else {
            if (!splitFields(lines.first(), &header, error))
                return {};
            gpus = isHeader(header) ? parseCsvWithHeader(lines, header, error) : parseCsvWithoutHeader(lines, error);
        }
    }
    if (!gpus.isEmpty() && error)
        error->clear();
    return gpus;
}

QList<GpuInfo> parseNvidiaSmiFile(const QString& path, QString* error)
{
    const QFileInfo info(path);
    if (!info.exists())
        return fail(error, u"%1: no such file"_s.arg(path));
    if (info.isDir())
        return fail(error, u"%1: is a directory, not a file of nvidia-smi output"_s.arg(path));
    if (info.size() > kMaxInputBytes)
        return fail(
            error,
            u"%1: file is %2 bytes; refusing files over 16 MiB (nvidia-smi output is a few KiB)"_s.arg(path).arg(
                info.size()));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(error, u"%1: cannot read: %2"_s.arg(path, file.errorString()));
    // Read one byte more than allowed: files whose size is not known in advance (pipes, /proc) are capped too.
    const QByteArray data = file.read(kMaxInputBytes + 1);
    if (data.size() > kMaxInputBytes)
        return fail(error, u"%1: file is larger than 16 MiB; refusing it (nvidia-smi output is a few KiB)"_s.arg(path));
    if (file.error() != QFileDevice::NoError)
        return fail(error, u"%1: cannot read: %2"_s.arg(path, file.errorString()));
    QString parseError;
    QList<GpuInfo> gpus = parseNvidiaSmi(data, &parseError);
    if (gpus.isEmpty())
        return fail(error, u"%1: %2"_s.arg(path, parseError));
    if (error)
        error->clear();
    return gpus;
}

} // namespace QuantDesk
