#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>
#include <optional>

namespace QuantDesk
{

// A place in a JSON text: 1-based line and column (columns count characters, not bytes) and the 0-based byte offset.
struct JsonLocation
{
    int line = 0;
    int column = 0;
    qint64 offset = -1;

    [[nodiscard]] bool isValid() const { return line > 0; }
    bool operator==(const JsonLocation&) const = default;
};

// Something the scanner noticed that is not fatal for parsing but loses data (duplicate keys, integers beyond 64 bits).
struct JsonScanIssue
{
    QString pointer; // JSON pointer of the member or value
    JsonLocation where;
    QString message;
    bool operator==(const JsonScanIssue&) const = default;
};

struct JsonScanResult
{
    bool ok = true;       // a well-formed JSON text within the nesting limit
    QString error;        // the first fatal problem (syntax, nesting, number range), without position
    JsonLocation errorAt; // where it is
    QString errorPointer; // the container the scanner was in ("" = top level)
    QList<JsonScanIssue> issues;
    QHash<QString, JsonLocation> located; // the requested pointers that exist: the member's key, or the element
    int maxDepth = 0;                     // deepest nesting seen
};

// A strict RFC 8259 scanner that works on raw UTF-8 without building a document and without recursion, so that it can
// check a text before a recursive parser sees it. It reports the first syntax error with its line and column, refuses
// nesting deeper than a limit, reports duplicate keys and integers that do not fit in 64 bits, and finds where given
// JSON pointers are.
class JsonLocator
{
public:
    static constexpr int kMaxIssues = 100;

    // The text must already be valid UTF-8 (see firstInvalidUtf8).
    [[nodiscard]] static JsonScanResult scan(const QByteArray& utf8, int maxDepth, const QSet<QString>& wanted = {});

    // Line and column of a byte offset (clamped to the text).
    [[nodiscard]] static JsonLocation locationOf(const QByteArray& utf8, qint64 offset);

    // The byte offset of the first invalid UTF-8 sequence and why, or nullopt when the text is valid UTF-8 (overlong
    // forms, surrogates and code points beyond U+10FFFF are invalid).
    [[nodiscard]] static std::optional<qint64> firstInvalidUtf8(const QByteArray& data, QString* why = nullptr);

    // RFC 6901 escaping of one reference token ("~" → "~0", "/" → "~1").
    [[nodiscard]] static QString escapeToken(const QString& token);
    [[nodiscard]] static QString pointer(const QStringList& tokens);
    // The pointer of the nearest ancestor, "" for the root; "" for "" too.
    [[nodiscard]] static QString parentPointer(const QString& pointer);
};

} // namespace QuantDesk
