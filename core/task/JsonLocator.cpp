#include "JsonLocator.h"

#include <charconv>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

struct Frame
{
    bool object = false;
    qint64 index = -1;  // arrays: the current element
    QString key;        // objects: the current member
    QSet<QString> keys; // objects: every key seen so far
    JsonLocation start;
};

QString hex(uint value, int width)
{
    return QString::number(value, 16).toUpper().rightJustified(width, u'0');
}

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isWordChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_' || c == '.' || c == '+' ||
           c == '-';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void appendUtf8(std::string& out, char32_t cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Thrown inside the scanner only; never leaves scan().
struct ScanError
{
    QString message;
    const char* at;
};

class Scanner
{
public:
    Scanner(const QByteArray& data, int maxDepth, const QSet<QString>& wanted)
        : m_begin(data.constData()), m_p(data.constData()), m_end(data.constData() + data.size()),
          m_lineStart(data.constData()), m_maxDepth(maxDepth), m_wanted(wanted)
    {
        for (const QString& w : wanted)
            m_wantedDepth = std::max(m_wantedDepth, static_cast<int>(w.count(u'/')));
    }

    JsonScanResult run()
    {
        try {
            scanDocument();
        } catch (const ScanError& e) {
            m_result.ok = false;
            m_result.error = e.message;
            m_result.errorAt = locationAt(e.at);
            m_result.errorPointer = currentPointer();
        }
        return m_result;
    }

    JsonLocation locationAt(const char* at) const
    {
        int line = m_line;
        const char* lineStart = m_lineStart;
        if (at < m_lineStart) {
            line = 1;
            lineStart = m_begin;
        }
        for (const char* q = lineStart; q < at && q < m_end; ++q) {
            if (*q == '\n') {
                ++line;
                lineStart = q + 1;
            }
        }
        int column = 1;
        for (const char* q = lineStart; q < at && q < m_end; ++q) {
            if ((static_cast<unsigned char>(*q) & 0xC0) != 0x80)
                ++column;
        }
        JsonLocation loc;
        loc.line = line;
        loc.column = column;
        loc.offset = at - m_begin;
        return loc;
    }

private:
    enum class State {
        Value,
        AfterValue,
        Key,
        FirstKeyOrEnd,
        FirstValueOrEnd,
    };

    [[noreturn]] void fail(const QString& message, const char* at) const { throw ScanError{message, at}; }

    QString describeChar(const char* at) const
    {
        if (at >= m_end)
            return u"the end of the file"_s;
        const auto c = static_cast<unsigned char>(*at);
        if (c >= 0x21 && c < 0x7F)
            return u"'%1'"_s.arg(QChar::fromLatin1(static_cast<char>(c)));
        // Decode one UTF-8 sequence for a readable code point.
        const qsizetype len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        const QString s = QString::fromUtf8(at, std::min<qsizetype>(len, m_end - at));
        const uint cp = s.isEmpty() ? c : s.toUcs4().value(0, c);
        return u"U+"_s + hex(cp, 4);
    }

    void skipSpace()
    {
        while (m_p < m_end && isJsonSpace(*m_p)) {
            if (*m_p == '\n') {
                ++m_line;
                m_lineStart = m_p + 1;
            }
            ++m_p;
        }
    }

    QString currentPointer() const
    {
        QString out;
        for (const Frame& f : m_frames) {
            if (f.object && !f.key.isNull())
                out += u'/' + JsonLocator::escapeToken(f.key);
            else if (!f.object && f.index >= 0)
                out += u'/' + QString::number(f.index);
        }
        return out;
    }

    void record(const char* at)
    {
        if (m_wanted.isEmpty() || m_frames.size() > m_wantedDepth)
            return;
        const QString ptr = currentPointer();
        if (m_wanted.contains(ptr) && !m_result.located.contains(ptr))
            m_result.located.insert(ptr, locationAt(at));
    }

    void addIssue(const QString& pointer, const char* at, const QString& message)
    {
        if (m_result.issues.size() >= JsonLocator::kMaxIssues)
            return;
        m_result.issues << JsonScanIssue{pointer, locationAt(at), message};
    }

    void push(bool object, const char* at)
    {
        if (static_cast<int>(m_frames.size()) >= m_maxDepth) {
            m_frames.resize(std::min<qsizetype>(m_frames.size(), 3)); // report where the deep part starts
            if (!m_frames.isEmpty() && !m_frames.constLast().object)
                m_frames.last().index = -1;
            fail(
                u"the document nests deeper than %1 levels; QuantDesk refuses it (a task nests at most 4 levels)"_s.arg(
                    m_maxDepth),
                at);
        }
        Frame f;
        f.object = object;
        f.start = locationAt(at);
        m_frames.append(std::move(f));
        m_result.maxDepth = std::max(m_result.maxDepth, static_cast<int>(m_frames.size()));
    }

    QString openedAt(const Frame& f) const
    {
        return u"the %1 opened at line %2, column %3"_s.arg(f.object ? u"object"_s : u"array"_s)
            .arg(f.start.line)
            .arg(f.start.column);
    }

    [[noreturn]] void failEnd(const char* at) const
    {
        if (m_frames.isEmpty())
            fail(u"unexpected end of file: no JSON value"_s, at);
        fail(u"unexpected end of file: %1 is not closed (the file is truncated?)"_s.arg(openedAt(m_frames.constLast())),
             at);
    }

    // Parses a string at m_p (which is '"'); returns the decoded text when wanted.
    QString parseString(bool decode)
    {
        const char* open = m_p;
        ++m_p;
        std::string text;
        while (true) {
            if (m_p >= m_end) {
                const JsonLocation where = locationAt(open);
                fail(u"unexpected end of file inside the string opened at line %1, column %2"_s.arg(where.line)
                         .arg(where.column),
                     m_p);
            }
            const auto c = static_cast<unsigned char>(*m_p);
            if (c == '"') {
                ++m_p;
                break;
            }
            if (c < 0x20) {
                fail(u"control character U+%1 must be escaped inside a string (a string cannot span lines)"_s.arg(
                         hex(c, 4)),
                     m_p);
            }
            if (c != '\\') {
                if (decode)
                    text += static_cast<char>(c);
                ++m_p;
                continue;
            }
            const char* escape = m_p;
            ++m_p;
            if (m_p >= m_end)
                continue; // reported as end of file above
            const char e = *m_p;
            switch (e) {
            case '"':
            case '\\':
            case '/':
                text += e;
                ++m_p;
                break;
            case 'b':
                text += '\b';
                ++m_p;
                break;
            case 'f':
                text += '\f';
                ++m_p;
                break;
            case 'n':
                text += '\n';
                ++m_p;
                break;
            case 'r':
                text += '\r';
                ++m_p;
                break;
            case 't':
                text += '\t';
                ++m_p;
                break;
            case 'u': {
                char32_t cp = parseHex4(escape);
                if (cp >= 0xDC00 && cp <= 0xDFFF)
                    fail(u"invalid \\u escape: a low surrogate (\\u%1) without a high surrogate before it"_s.arg(
                             hex(cp, 4)),
                         escape);
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (m_end - m_p < 2 || m_p[0] != '\\' || m_p[1] != 'u')
                        fail(u"invalid \\u escape: the high surrogate \\u%1 must be followed by a low surrogate"_s.arg(
                                 hex(cp, 4)),
                             escape);
                    const char* second = m_p;
                    ++m_p;
                    const char32_t low = parseHex4(second);
                    if (low < 0xDC00 || low > 0xDFFF)
                        fail(u"invalid \\u escape: the high surrogate \\u%1 must be followed by a low surrogate"_s.arg(
                                 hex(cp, 4)),
                             escape);
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                }
                if (decode)
                    appendUtf8(text, cp);
                break;
            }
            default:
                fail(u"invalid escape \\%1 in a string (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)"_s.arg(
                         describeChar(m_p).remove(u'\'')),
                     escape);
            }
        }
        return decode ? QString::fromStdString(text) : QString();
    }

    // m_p is at the 'u' of "\uXXXX"; leaves m_p after the four digits.
    char32_t parseHex4(const char* escape)
    {
        ++m_p;
        char32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            if (m_p >= m_end || hexValue(*m_p) < 0)
                fail(u"invalid \\u escape: expected four hexadecimal digits"_s, escape);
            v = v * 16 + static_cast<char32_t>(hexValue(*m_p));
            ++m_p;
        }
        return v;
    }

    void parseNumber()
    {
        const char* start = m_p;
        bool negative = false;
        if (*m_p == '-') {
            negative = true;
            ++m_p;
            if (m_end - m_p >= 8 && std::string_view(m_p, 8) == "Infinity")
                fail(u"'-Infinity' is not valid JSON: JSON has no NaN or Infinity (write a number or null)"_s, start);
        }
        if (m_p >= m_end || !isDigit(*m_p))
            fail(u"invalid number: expected a digit after '-'"_s, start);
        const char* intStart = m_p;
        if (*m_p == '0') {
            ++m_p;
            if (m_p < m_end && isDigit(*m_p))
                fail(u"invalid number: a number cannot have leading zeros"_s, start);
        } else {
            while (m_p < m_end && isDigit(*m_p))
                ++m_p;
        }
        const char* intEnd = m_p;
        bool isInteger = true;
        if (m_p < m_end && *m_p == '.') {
            isInteger = false;
            ++m_p;
            if (m_p >= m_end || !isDigit(*m_p))
                fail(u"invalid number: expected a digit after the decimal point"_s, start);
            while (m_p < m_end && isDigit(*m_p))
                ++m_p;
        }
        if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
            isInteger = false;
            ++m_p;
            if (m_p < m_end && (*m_p == '+' || *m_p == '-'))
                ++m_p;
            if (m_p >= m_end || !isDigit(*m_p))
                fail(u"invalid number: expected a digit in the exponent"_s, start);
            while (m_p < m_end && isDigit(*m_p))
                ++m_p;
        }
        const std::string_view text(start, static_cast<size_t>(m_p - start));
        if (isInteger) {
            bool fits = true;
            if (negative) {
                std::int64_t v = 0;
                fits = std::from_chars(text.data(), text.data() + text.size(), v).ec == std::errc();
            } else {
                std::uint64_t v = 0;
                fits = std::from_chars(intStart, intEnd, v).ec == std::errc();
            }
            if (!fits) {
                QString shown = QString::fromLatin1(text.data(), static_cast<qsizetype>(text.size()));
                if (shown.size() > 40)
                    shown = shown.left(37) + u"..."_s;
                addIssue(currentPointer(),
                         start,
                         u"the integer %1 does not fit in 64 bits: it would be read as an approximate floating-point "
                         "number and change when saved"_s.arg(shown));
            }
            return;
        }
        double v = 0;
        const auto res = std::from_chars(text.data(), text.data() + text.size(), v);
        if (res.ec == std::errc::result_out_of_range && decimalExponent(text) > 0) {
            QString shown = QString::fromLatin1(text.data(), static_cast<qsizetype>(text.size()));
            if (shown.size() > 40)
                shown = shown.left(37) + u"..."_s;
            fail(u"the number %1 is out of range (larger than 1.8e308)"_s.arg(shown), start);
        }
    }

    // The approximate decimal exponent of a JSON number (to tell overflow from underflow).
    static long long decimalExponent(std::string_view text)
    {
        size_t i = 0;
        if (i < text.size() && text[i] == '-')
            ++i;
        long long digitsBefore = 0;
        long long leadingZerosAfter = 0;
        bool nonZeroSeen = false;
        for (; i < text.size() && isDigit(text[i]); ++i) {
            if (text[i] != '0' || nonZeroSeen) {
                nonZeroSeen = true;
                ++digitsBefore;
            }
        }
        if (i < text.size() && text[i] == '.') {
            ++i;
            for (; i < text.size() && isDigit(text[i]); ++i) {
                if (!nonZeroSeen && text[i] == '0')
                    ++leadingZerosAfter;
                else
                    nonZeroSeen = true;
            }
        }
        long long exp = 0;
        if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
            ++i;
            bool neg = false;
            if (i < text.size() && (text[i] == '+' || text[i] == '-'))
                neg = text[i++] == '-';
            for (; i < text.size() && isDigit(text[i]); ++i) {
                if (exp < 1'000'000'000)
                    exp = exp * 10 + (text[i] - '0');
            }
            if (neg)
                exp = -exp;
        }
        const long long mantissa = digitsBefore > 0 ? digitsBefore - 1 : -(leadingZerosAfter + 1);
        return mantissa + exp;
    }

    void parseLiteralOrFail()
    {
        static constexpr std::string_view literals[] = {"true", "false", "null"};
        for (const std::string_view lit : literals) {
            if (static_cast<size_t>(m_end - m_p) >= lit.size() && std::string_view(m_p, lit.size()) == lit) {
                m_p += lit.size();
                return;
            }
        }
        const char* start = m_p;
        const char* q = m_p;
        while (q < m_end && isWordChar(*q) && q - start < 24)
            ++q;
        const QString word = QString::fromLatin1(start, q - start);
        if (word == u"NaN" || word == u"Infinity" || word == u"nan" || word == u"inf")
            fail(u"'%1' is not valid JSON: JSON has no NaN or Infinity (write a number or null)"_s.arg(word), start);
        if (word == u"True" || word == u"False" || word == u"None" || word == u"TRUE" || word == u"FALSE" ||
            word == u"NULL")
            fail(u"invalid literal '%1': JSON writes true, false and null in lower case"_s.arg(word), start);
        if (word.isEmpty())
            fail(u"unexpected %1 where a value was expected"_s.arg(describeChar(start)), start);
        fail(u"invalid literal '%1' (strings need double quotes)"_s.arg(word), start);
    }

    [[noreturn]] void failUnexpectedValue(bool afterComma)
    {
        const char c = *m_p;
        if (afterComma && (c == ']' || c == '}'))
            fail(u"trailing comma before '%1' is not allowed in JSON"_s.arg(QChar::fromLatin1(c)), m_p);
        if (c == '\'')
            fail(u"strings must be in double quotes, not single quotes"_s, m_p);
        if (c == '/')
            fail(u"comments are not allowed in JSON"_s, m_p);
        if (c == ']' || c == '}' || c == ',' || c == ':')
            fail(u"unexpected %1 where a value was expected"_s.arg(describeChar(m_p)), m_p);
        if (c == '+')
            fail(u"invalid number: a JSON number cannot start with '+'"_s, m_p);
        if (c == '.')
            fail(u"invalid number: a JSON number must start with a digit"_s, m_p);
        parseLiteralOrFail();
        fail(u"unexpected %1 where a value was expected"_s.arg(describeChar(m_p)), m_p);
    }

    void scanDocument()
    {
        State state = State::Value;
        bool afterComma = false;
        while (true) {
            switch (state) {
            case State::Value: {
                skipSpace();
                if (m_p >= m_end)
                    failEnd(m_p);
                if (m_frames.isEmpty() || !m_frames.constLast().object)
                    record(m_p);
                const char c = *m_p;
                if (c == '{') {
                    push(true, m_p);
                    ++m_p;
                    state = State::FirstKeyOrEnd;
                } else if (c == '[') {
                    push(false, m_p);
                    ++m_p;
                    state = State::FirstValueOrEnd;
                } else if (c == '"') {
                    parseString(false);
                    state = State::AfterValue;
                } else if (c == '-' || isDigit(c)) {
                    parseNumber();
                    state = State::AfterValue;
                } else if (c == 't' || c == 'f' || c == 'n') {
                    parseLiteralOrFail();
                    state = State::AfterValue;
                } else {
                    failUnexpectedValue(afterComma);
                }
                afterComma = false;
                break;
            }
            case State::FirstKeyOrEnd:
                skipSpace();
                if (m_p < m_end && *m_p == '}') {
                    ++m_p;
                    m_frames.removeLast();
                    state = State::AfterValue;
                } else {
                    state = State::Key;
                }
                break;
            case State::Key: {
                skipSpace();
                if (m_p >= m_end)
                    failEnd(m_p);
                if (*m_p != '"') {
                    if (afterComma && *m_p == '}')
                        fail(u"trailing comma before '}' is not allowed in JSON"_s, m_p);
                    if (*m_p == '\'')
                        fail(u"object keys must be in double quotes, not single quotes"_s, m_p);
                    if (*m_p == '/')
                        fail(u"comments are not allowed in JSON"_s, m_p);
                    fail(u"expected an object key in double quotes, found %1"_s.arg(describeChar(m_p)), m_p);
                }
                afterComma = false;
                const char* keyAt = m_p;
                const QString key = parseString(true);
                Frame& f = m_frames.last();
                f.key = key;
                if (f.keys.contains(key)) {
                    addIssue(currentPointer(),
                             keyAt,
                             u"duplicate key '%1' in the same object: JSON readers disagree on which value counts "
                             "(the autotuner's Python keeps the last one)"_s.arg(key));
                } else {
                    f.keys.insert(key);
                }
                record(keyAt);
                skipSpace();
                if (m_p >= m_end)
                    failEnd(m_p);
                if (*m_p != ':')
                    fail(u"expected ':' after the key '%1', found %2"_s.arg(key, describeChar(m_p)), m_p);
                ++m_p;
                state = State::Value;
                break;
            }
            case State::FirstValueOrEnd:
                skipSpace();
                if (m_p < m_end && *m_p == ']') {
                    ++m_p;
                    m_frames.removeLast();
                    state = State::AfterValue;
                } else {
                    m_frames.last().index = 0;
                    state = State::Value;
                }
                break;
            case State::AfterValue: {
                skipSpace();
                if (m_frames.isEmpty()) {
                    if (m_p < m_end) {
                        fail(u"unexpected %1 after the end of the JSON document (only one value is allowed)"_s.arg(
                                 describeChar(m_p)),
                             m_p);
                    }
                    return;
                }
                if (m_p >= m_end)
                    failEnd(m_p);
                Frame& f = m_frames.last();
                const char c = *m_p;
                if (c == ',') {
                    ++m_p;
                    afterComma = true;
                    if (f.object) {
                        f.key = QString();
                        state = State::Key;
                    } else {
                        ++f.index;
                        state = State::Value;
                    }
                } else if (f.object && c == '}') {
                    ++m_p;
                    m_frames.removeLast();
                } else if (!f.object && c == ']') {
                    ++m_p;
                    m_frames.removeLast();
                } else if (f.object) {
                    fail(u"expected ',' or '}' after the value of '%1', found %2%3"_s.arg(
                             f.key,
                             describeChar(m_p),
                             c == ']'   ? u" (the brackets do not match: %1)"_s.arg(openedAt(f))
                             : c == '"' ? u" (a comma is missing?)"_s
                                        : QString()),
                         m_p);
                } else {
                    fail(u"expected ',' or ']' after element %1 of the array, found %2%3"_s.arg(
                             QString::number(f.index),
                             describeChar(m_p),
                             c == '}'   ? u" (the brackets do not match: %1)"_s.arg(openedAt(f))
                             : c == '"' ? u" (a comma is missing?)"_s
                                        : QString()),
                         m_p);
                }
                break;
            }
            }
        }
    }

    const char* m_begin;
    const char* m_p;
    const char* m_end;
    int m_line = 1;
    const char* m_lineStart;
    int m_maxDepth;
    const QSet<QString>& m_wanted;
    int m_wantedDepth = 0;
    QList<Frame> m_frames;
    JsonScanResult m_result;
};

} // namespace

JsonScanResult JsonLocator::scan(const QByteArray& utf8, int maxDepth, const QSet<QString>& wanted)
{
    Scanner scanner(utf8, maxDepth, wanted);
    return scanner.run();
}

JsonLocation JsonLocator::locationOf(const QByteArray& utf8, qint64 offset)
{
    offset = std::clamp<qint64>(offset, 0, utf8.size());
    JsonLocation loc;
    loc.line = 1;
    loc.column = 1;
    loc.offset = offset;
    const char* data = utf8.constData();
    for (qint64 i = 0; i < offset; ++i) {
        if (data[i] == '\n') {
            ++loc.line;
            loc.column = 1;
        } else if ((static_cast<unsigned char>(data[i]) & 0xC0) != 0x80) {
            ++loc.column;
        }
    }
    return loc;
}

std::optional<qint64> JsonLocator::firstInvalidUtf8(const QByteArray& data, QString* why)
{
    const auto* s = reinterpret_cast<const unsigned char*>(data.constData());
    const qint64 n = data.size();
    auto bad = [why](qint64 at, const QString& reason) -> std::optional<qint64> {
        if (why)
            *why = reason;
        return at;
    };
    qint64 i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        int len = 0;
        char32_t cp = 0;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else if (c == 0xC0 || c == 0xC1) {
            return bad(i, u"byte 0x%1 starts an overlong encoding"_s.arg(hex(c, 2)));
        } else if (c >= 0x80 && c <= 0xBF) {
            return bad(i, u"byte 0x%1 is a continuation byte without a lead byte"_s.arg(hex(c, 2)));
        } else {
            return bad(i, u"byte 0x%1 never occurs in UTF-8"_s.arg(hex(c, 2)));
        }
        if (i + len > n)
            return bad(i, u"the file ends inside a %1-byte sequence"_s.arg(len));
        for (int k = 1; k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80)
                return bad(i,
                           u"byte 0x%1 is followed by 0x%2, which is not a continuation byte"_s.arg(hex(c, 2),
                                                                                                    hex(s[i + k], 2)));
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000))
            return bad(i, u"overlong encoding of U+%1"_s.arg(hex(cp, 4)));
        if (cp >= 0xD800 && cp <= 0xDFFF)
            return bad(i, u"encoded UTF-16 surrogate U+%1"_s.arg(hex(cp, 4)));
        if (cp > 0x10FFFF)
            return bad(i, u"code point beyond U+10FFFF"_s);
        i += len;
    }
    return std::nullopt;
}

QString JsonLocator::escapeToken(const QString& token)
{
    QString out = token;
    out.replace(u'~', u"~0"_s);
    out.replace(u'/', u"~1"_s);
    return out;
}

QString JsonLocator::pointer(const QStringList& tokens)
{
    QString out;
    for (const QString& t : tokens)
        out += u'/' + escapeToken(t);
    return out;
}

QString JsonLocator::parentPointer(const QString& pointer)
{
    const qsizetype slash = pointer.lastIndexOf(u'/');
    return slash <= 0 ? QString() : pointer.left(slash);
}

} // namespace QuantDesk
