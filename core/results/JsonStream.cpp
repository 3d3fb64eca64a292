#include "JsonStream.h"

#include <QFile>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <string_view>
#include <vector>

#ifdef Q_OS_LINUX
#include <sys/mman.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;
using json = nlohmann::json;

namespace QuantDesk
{

namespace
{

constexpr std::ptrdiff_t kTick = 1 << 20;     // progress / cancel check interval (bytes)
constexpr std::ptrdiff_t kRelease = 16 << 20; // give consumed pages of a mapped file back this often
constexpr int kMaxDepth = 512;

// Keys of the root object whose values are bulky per-request arrays nothing here reads.
bool isSkippedRootKey(std::string_view key)
{
    static constexpr std::array<std::string_view, 11> keys{"individual_request_metrics",
                                                           "ttfts",
                                                           "itls",
                                                           "generated_texts",
                                                           "input_lens",
                                                           "output_lens",
                                                           "start_times",
                                                           "errors",
                                                           "latencies",
                                                           "queue_times",
                                                           "spec_decode_per_position_acceptance_rates"};
    for (const std::string_view k : keys) {
        if (key == k)
            return true;
    }
    return false;
}

// Character classes for the scanning loops.
struct CharTable
{
    std::array<bool, 256> ws{};
    std::array<bool, 256> delimiter{}; // ends a number or literal
    constexpr CharTable()
    {
        for (const char c : {' ', '\n', '\r', '\t'}) {
            ws[static_cast<unsigned char>(c)] = true;
            delimiter[static_cast<unsigned char>(c)] = true;
        }
        for (const char c : {',', '}', ']', ':'})
            delimiter[static_cast<unsigned char>(c)] = true;
    }
};
constexpr CharTable kChars;

bool isSplitRootKey(std::string_view key)
{
    return key == "all_results" || key == "experiments";
}

bool isLatencyStat(std::string_view key)
{
    return key == "ttft" || key == "tpot" || key == "e2e_latency" || key == "itl";
}

// Inside a split element (one autotuner experiment), the parts the importer never reads are skipped without being
// built: genai-bench keeps 11 statistics for 10 per-request fields, the importer needs 4 for 3 of them.
bool skipInElement(std::string_view grand, std::string_view parent, std::string_view key)
{
    if (key == "error_codes_frequency")
        return true;
    if (parent == "stats")
        return !isLatencyStat(key);
    if (grand == "stats" && isLatencyStat(parent))
        return !(key == "mean" || key == "p50" || key == "p90" || key == "p99");
    if (grand == "gpu_stats")
        return key == "utilization" || key == "temperature_c" || key == "power_draw_w";
    return false;
}

class Reader
{
public:
    Reader(const char* data,
           std::ptrdiff_t size,
           const JsonStream::ElementHandler& onElement,
           const JsonStream::Control& control,
           qint64 total)
        : m_begin(data), m_p(data), m_end(data + size), m_onElement(onElement), m_control(control), m_total(total)
    {}

    // Set for memory-mapped input: consumed pages are handed back to the kernel as the parse advances.
    void setReleasable(bool releasable) { m_releasable = releasable; }

    bool parseDocument(json& root)
    {
        skipWs();
        if (m_p >= m_end)
            return fail("the document is empty");
        if (!parseValue(root, 0, {}, {}, false))
            return false;
        skipWs();
        if (m_p < m_end)
            return fail("unexpected text after the JSON document");
        return true;
    }

    [[nodiscard]] QString error() const { return m_error; }
    [[nodiscard]] bool cancelled() const { return m_cancelled; }
    [[nodiscard]] bool stopped() const { return m_stopped; }
    [[nodiscard]] int nonFinite() const { return m_nonFinite; }
    [[nodiscard]] qint64 consumed() const { return m_p - m_begin; }

private:
    bool fail(const char* what)
    {
        if (m_error.isEmpty()) {
            // Line and column of the failure (counted only now: errors are rare).
            int line = 1;
            const char* lineStart = m_begin;
            for (const char* c = m_begin; c < m_p && c < m_end; ++c) {
                if (*c == '\n') {
                    ++line;
                    lineStart = c + 1;
                }
            }
            m_error = u"line %1, column %2 (offset %3): %4"_s.arg(line)
                          .arg(m_p - lineStart + 1)
                          .arg(m_p - m_begin)
                          .arg(QString::fromLatin1(what));
        }
        return false;
    }

    void skipWs()
    {
        while (m_p < m_end && kChars.ws[static_cast<unsigned char>(*m_p)])
            ++m_p;
    }

    bool tick()
    {
        if (m_p - m_lastTick < kTick)
            return true;
        m_lastTick = m_p;
#ifdef Q_OS_LINUX
        if (m_releasable && m_p - m_released > kRelease) {
            static const std::ptrdiff_t page = sysconf(_SC_PAGESIZE);
            const std::ptrdiff_t from = (m_released - m_begin) / page * page;
            const std::ptrdiff_t to = (m_p - m_begin) / page * page;
            if (to > from)
                madvise(const_cast<char*>(m_begin + from), static_cast<size_t>(to - from), MADV_DONTNEED);
            m_released = m_begin + to;
        }
#endif
        if (m_control.progress && !m_control.progress(m_p - m_begin, m_total)) {
            m_cancelled = true;
            m_error = u"cancelled"_s;
            return false;
        }
        return true;
    }

    // A string after its opening quote, unescaped into out.
    bool parseString(std::string& out)
    {
        out.clear();
        const char* start = m_p;
        while (true) {
            const char* q = m_p;
            while (q < m_end && *q != '"' && *q != '\\' && static_cast<unsigned char>(*q) >= 0x20)
                ++q;
            out.append(start, q);
            m_p = q;
            if (m_p >= m_end)
                return fail("unterminated string");
            if (*m_p == '"') {
                ++m_p;
                return true;
            }
            if (static_cast<unsigned char>(*m_p) < 0x20)
                return fail("control character in a string");
            // An escape.
            ++m_p;
            if (m_p >= m_end)
                return fail("unterminated string");
            const char e = *m_p++;
            switch (e) {
            case '"':
            case '\\':
            case '/':
                out.push_back(e);
                break;
            case 'b':
                out.push_back('\b');
                break;
            case 'f':
                out.push_back('\f');
                break;
            case 'n':
                out.push_back('\n');
                break;
            case 'r':
                out.push_back('\r');
                break;
            case 't':
                out.push_back('\t');
                break;
            case 'u': {
                char32_t cp = 0;
                if (!hex4(&cp))
                    return false;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    char32_t lo = 0;
                    if (m_end - m_p >= 6 && m_p[0] == '\\' && m_p[1] == 'u') {
                        m_p += 2;
                        if (!hex4(&lo))
                            return false;
                        if (lo >= 0xDC00 && lo <= 0xDFFF)
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        else
                            cp = 0xFFFD;
                    } else {
                        cp = 0xFFFD;
                    }
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    cp = 0xFFFD;
                }
                appendUtf8(out, cp);
                break;
            }
            default:
                --m_p;
                return fail("invalid escape in a string");
            }
            start = m_p;
        }
    }

    bool hex4(char32_t* cp)
    {
        if (m_end - m_p < 4)
            return fail("truncated \\u escape");
        char32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = *m_p++;
            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= static_cast<char32_t>(c - '0');
            else if (c >= 'a' && c <= 'f')
                v |= static_cast<char32_t>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                v |= static_cast<char32_t>(c - 'A' + 10);
            else
                return fail("invalid \\u escape");
        }
        *cp = v;
        return true;
    }

    static void appendUtf8(std::string& out, char32_t cp)
    {
        if (cp < 0x80) {
            out.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
    }

    bool literal(const char* word)
    {
        const std::size_t n = std::strlen(word);
        if (static_cast<std::size_t>(m_end - m_p) < n || std::memcmp(m_p, word, n) != 0)
            return fail("invalid literal");
        m_p += n;
        return true;
    }

    bool parseNumber(json& out)
    {
        const char* start = m_p;
        if (m_p < m_end && *m_p == '-')
            ++m_p;
        if (m_p < m_end && *m_p == 'I') {
            // Python's -Infinity.
            if (!literal("Infinity"))
                return false;
            ++m_nonFinite;
            out = "-Infinity";
            return true;
        }
        bool integral = true;
        const char* digits = m_p;
        while (m_p < m_end && *m_p >= '0' && *m_p <= '9')
            ++m_p;
        if (m_p == digits)
            return fail("invalid number");
        if (m_p < m_end && *m_p == '.') {
            integral = false;
            ++m_p;
            const char* frac = m_p;
            while (m_p < m_end && *m_p >= '0' && *m_p <= '9')
                ++m_p;
            if (m_p == frac)
                return fail("invalid number");
        }
        if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
            integral = false;
            ++m_p;
            if (m_p < m_end && (*m_p == '+' || *m_p == '-'))
                ++m_p;
            const char* exp = m_p;
            while (m_p < m_end && *m_p >= '0' && *m_p <= '9')
                ++m_p;
            if (m_p == exp)
                return fail("invalid number");
        }
        if (integral) {
            std::int64_t v = 0;
            const auto r = std::from_chars(start, m_p, v);
            if (r.ec == std::errc() && r.ptr == m_p) {
                out = v;
                return true;
            }
        }
        double d = 0;
        const auto r = std::from_chars(start, m_p, d);
        if (r.ec == std::errc::result_out_of_range) {
            // Beyond double: keep the sign and the magnitude class (the importer refuses it as implausible).
            out = *start == '-' ? -std::numeric_limits<double>::max() : std::numeric_limits<double>::max();
            return true;
        }
        if (r.ec != std::errc())
            return fail("invalid number");
        out = d;
        return true;
    }

    // Skips a value without building it (strings, nesting and literals are still followed).
    bool skipValue()
    {
        int depth = 0;
        do {
            skipWs();
            if (m_p >= m_end)
                return fail("unexpected end of input");
            const char c = *m_p;
            if (c == '"') {
                ++m_p;
                while (true) {
                    const void* q = std::memchr(m_p, '"', static_cast<size_t>(m_end - m_p));
                    if (!q)
                        return fail("unterminated string");
                    const char* quote = static_cast<const char*>(q);
                    // Escaped when preceded by an odd number of backslashes.
                    const char* b = quote;
                    while (b > m_p && b[-1] == '\\')
                        --b;
                    m_p = quote + 1;
                    if ((quote - b) % 2 == 0)
                        break;
                }
            } else if (c == '{' || c == '[') {
                ++depth;
                ++m_p;
            } else if (c == '}' || c == ']') {
                if (depth == 0)
                    return fail("unexpected closing bracket");
                --depth;
                ++m_p;
            } else if (c == ',' || c == ':') {
                if (depth == 0)
                    return fail("unexpected separator");
                ++m_p;
            } else {
                // A number or literal: up to the next delimiter.
                const char* start = m_p;
                while (m_p < m_end && !kChars.delimiter[static_cast<unsigned char>(*m_p)])
                    ++m_p;
                if (m_p == start)
                    return fail("unexpected character");
                if (*start == 'N' || *start == 'I' || (*start == '-' && m_p - start > 1 && start[1] == 'I'))
                    ++m_nonFinite;
            }
        } while (depth > 0);
        return true;
    }

    // One value into out. parent: the key of the enclosing value; key: this value's key ("" for array elements).
    // filtered: inside a split element, where skipInElement() applies. The elements of a split array (a root array,
    // or the root object's all_results / experiments) are handed to the element handler one by one.
    bool parseValue(json& out, int depth, std::string_view parent, std::string_view key, bool filtered)
    {
        if (depth > kMaxDepth)
            return fail("nesting too deep");
        skipWs();
        if (m_p >= m_end)
            return fail("unexpected end of input");
        switch (*m_p) {
        case '{':
            return parseObject(out, depth, parent, key, filtered);
        case '[': {
            const bool split = m_onElement && !filtered && (depth == 0 || (depth == 1 && isSplitRootKey(key)));
            return parseArray(out, depth, key, filtered, split);
        }
        case '"': {
            ++m_p;
            std::string s;
            if (!parseString(s))
                return false;
            out = std::move(s);
            return true;
        }
        case 't':
            if (!literal("true"))
                return false;
            out = true;
            return true;
        case 'f':
            if (!literal("false"))
                return false;
            out = false;
            return true;
        case 'n':
            if (!literal("null"))
                return false;
            out = nullptr;
            return true;
        case 'N':
            if (!literal("NaN"))
                return false;
            ++m_nonFinite;
            out = "NaN";
            return true;
        case 'I':
            if (!literal("Infinity"))
                return false;
            ++m_nonFinite;
            out = "Infinity";
            return true;
        default:
            return parseNumber(out);
        }
    }

    bool parseObject(json& out, int depth, std::string_view parent, std::string_view self, bool filtered)
    {
        ++m_p; // '{'
        out = json::object();
        json::object_t& obj = out.get_ref<json::object_t&>();
        skipWs();
        if (m_p < m_end && *m_p == '}') {
            ++m_p;
            return true;
        }
        std::string key;
        while (true) {
            skipWs();
            if (m_p >= m_end || *m_p != '"')
                return fail(m_p >= m_end ? "unexpected end of input" : "expected a key string");
            ++m_p;
            if (!parseString(key))
                return false;
            skipWs();
            if (m_p >= m_end || *m_p != ':')
                return fail(m_p >= m_end ? "unexpected end of input" : "expected ':'");
            ++m_p;
            const bool skip = (depth == 0 && isSkippedRootKey(key)) || (filtered && skipInElement(parent, self, key));
            if (skip) {
                if (!skipValue())
                    return false;
            } else {
                const auto [it, inserted] = obj.try_emplace(std::move(key));
                if (!inserted)
                    it->second = json(); // a repeated key: the last one wins, as in Python
                if (!parseValue(it->second, depth + 1, self, it->first, filtered))
                    return false;
            }
            skipWs();
            if (m_p >= m_end)
                return fail("unexpected end of input");
            if (*m_p == ',') {
                ++m_p;
                continue;
            }
            if (*m_p == '}') {
                ++m_p;
                return true;
            }
            return fail("expected ',' or '}'");
        }
    }

    bool parseArray(json& out, int depth, std::string_view self, bool filtered, bool split)
    {
        ++m_p; // '['
        out = json::array();
        json::array_t& arr = out.get_ref<json::array_t&>();
        skipWs();
        if (m_p < m_end && *m_p == ']') {
            ++m_p;
            return true;
        }
        const std::string splitKey = split ? std::string(self) : std::string();
        while (true) {
            if (split) {
                json element;
                if (!parseValue(element, depth + 1, self, {}, true))
                    return false;
                if (!m_onElement(splitKey, std::move(element))) {
                    m_stopped = true;
                    return fail("stopped");
                }
                if (!tick())
                    return false;
            } else {
                arr.emplace_back();
                if (!parseValue(arr.back(), depth + 1, self, {}, filtered))
                    return false;
            }
            skipWs();
            if (m_p >= m_end)
                return fail("unexpected end of input");
            if (*m_p == ',') {
                ++m_p;
                continue;
            }
            if (*m_p == ']') {
                ++m_p;
                return true;
            }
            return fail("expected ',' or ']'");
        }
    }

    const char* m_begin;
    const char* m_p;
    const char* m_end;
    const char* m_lastTick = nullptr;
    const char* m_released = nullptr;
    const JsonStream::ElementHandler& m_onElement;
    const JsonStream::Control& m_control;
    qint64 m_total = 0;
    bool m_releasable = false;
    bool m_cancelled = false;
    bool m_stopped = false;
    int m_nonFinite = 0;
    QString m_error;

public:
    void start()
    {
        m_lastTick = m_begin;
        m_released = m_begin;
    }
};

JsonStream::Result run(const char* data,
                       qint64 size,
                       bool mapped,
                       const JsonStream::ElementHandler& onElement,
                       const JsonStream::Control& control)
{
    JsonStream::Result r;
    Reader reader(data, static_cast<std::ptrdiff_t>(size), onElement, control, size);
    reader.setReleasable(mapped);
    reader.start();
    json root;
    const bool ok = reader.parseDocument(root);
    r.bytes = reader.consumed();
    r.nonFiniteLiterals = reader.nonFinite();
    if (reader.cancelled()) {
        r.cancelled = true;
        r.error = u"cancelled"_s;
        return r;
    }
    if (!ok) {
        r.error = reader.stopped() ? u"stopped"_s : reader.error();
        return r;
    }
    if (control.progress)
        control.progress(size, size);
    r.ok = true;
    r.root = std::move(root);
    return r;
}

} // namespace

JsonStream::Result JsonStream::parseFile(const QString& path, const ElementHandler& onElement, const Control& control)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        Result r;
        r.error = file.errorString();
        return r;
    }
    const qint64 size = file.size();
    if (size == 0)
        return run("", 0, false, onElement, control);
    // Mapped, not read: the pages already parsed are given back as the reader advances, so a 300 MB file never sits
    // in memory whole.
    if (uchar* map = file.map(0, size)) {
        Result r = run(reinterpret_cast<const char*>(map), size, true, onElement, control);
        file.unmap(map);
        return r;
    }
    const QByteArray data = file.readAll();
    return run(data.constData(), data.size(), false, onElement, control);
}

JsonStream::Result
JsonStream::parseBytes(const QByteArray& data, const ElementHandler& onElement, const Control& control)
{
    return run(data.constData(), data.size(), false, onElement, control);
}

QByteArray JsonStream::quoteNonFiniteLiterals(const QByteArray& data, int* replaced)
{
    QByteArray out;
    out.reserve(data.size() + 16);
    int count = 0;
    bool inString = false;
    for (qsizetype i = 0; i < data.size(); ++i) {
        const char c = data.at(i);
        if (inString) {
            out += c;
            if (c == '\\' && i + 1 < data.size())
                out += data.at(++i);
            else if (c == '"')
                inString = false;
            continue;
        }
        const auto match = [&](const char* word) {
            const qsizetype n = static_cast<qsizetype>(std::strlen(word));
            return data.mid(i, n) == QByteArray(word);
        };
        if (c == '"') {
            inString = true;
            out += c;
        } else if (match("NaN")) {
            out += "\"NaN\"";
            i += 2;
            ++count;
        } else if (match("-Infinity")) {
            out += "\"-Infinity\"";
            i += 8;
            ++count;
        } else if (match("Infinity")) {
            out += "\"Infinity\"";
            i += 7;
            ++count;
        } else {
            out += c;
        }
    }
    if (replaced)
        *replaced = count;
    return out;
}

std::optional<double> JsonStream::number(const nlohmann::json& value)
{
    if (value.is_number())
        return value.get<double>();
    if (value.is_string()) {
        const std::string& s = value.get_ref<const std::string&>();
        if (s == "NaN")
            return std::numeric_limits<double>::quiet_NaN();
        if (s == "Infinity")
            return std::numeric_limits<double>::infinity();
        if (s == "-Infinity")
            return -std::numeric_limits<double>::infinity();
    }
    return std::nullopt;
}

} // namespace QuantDesk
