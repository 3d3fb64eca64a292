#pragma once

#include <QByteArray>
#include <QString>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

namespace QuantDesk
{

// Streaming JSON reading for big result files (an autotuner results file of 50,000 experiments is ~350 MB).
//
// A small purpose-built reader instead of a general DOM parse:
//  - the file is memory-mapped, and the pages already read are handed back to the kernel as the reader advances, so
//    the file never sits in memory whole;
//  - the elements of the "split" arrays (a root array, or the root object's "all_results" / "experiments") are
//    built one at a time as nlohmann::json values, handed to a callback and dropped, so memory stays bounded by one
//    element plus what the callback keeps;
//  - inside those elements, the parts the importer never reads (11 statistics for each of genai-bench's 10
//    per-request fields where 4 of 3 are used, GPU temperature and power, error code histograms) are skipped without
//    being built; the root object's bulky per-request arrays ("individual_request_metrics", vLLM's "ttfts", "itls",
//    "generated_texts", …) too;
//  - Python's json module writes the non-standard literals NaN, Infinity and -Infinity for float('nan') /
//    float('inf'); the reader accepts them (outside strings) and stores them as the strings "NaN", "Infinity" and
//    "-Infinity", so the importer can tell them from real numbers and warn. Everything else is strict JSON (RFC 8259),
//    errors carry line, column and offset.
class JsonStream
{
public:
    struct Control
    {
        // Called about every MiB of input with the bytes read so far and the file size; return false to cancel.
        std::function<bool(qint64 done, qint64 total)> progress;
    };

    // Called for every element of a split array; arrayKey is "" for a root array. Return false to stop.
    using ElementHandler = std::function<bool(const std::string& arrayKey, nlohmann::json&& element)>;

    struct Result
    {
        bool ok = false;
        bool cancelled = false;
        QString error;             // "offset 1234: syntax error …" when !ok && !cancelled
        nlohmann::json root;       // the document with split and skipped parts removed
        int nonFiniteLiterals = 0; // NaN / Infinity literals seen outside strings
        qint64 bytes = 0;
    };

    // Parses one JSON document from a file.
    [[nodiscard]] static Result parseFile(const QString& path, const ElementHandler& onElement, const Control& control);
    // The same for data in memory (tests, REST bodies, job results blobs).
    [[nodiscard]] static Result
    parseBytes(const QByteArray& data, const ElementHandler& onElement, const Control& control = {});

    // Replaces NaN / Infinity / -Infinity literals outside strings by quoted strings (for small documents).
    [[nodiscard]] static QByteArray quoteNonFiniteLiterals(const QByteArray& data, int* replaced = nullptr);

    // Reads a number that may be one of the quoted non-finite literals: NaN for "NaN", ±inf for "Infinity".
    // nullopt for anything that is not a number or one of those strings.
    [[nodiscard]] static std::optional<double> number(const nlohmann::json& value);
};

} // namespace QuantDesk
