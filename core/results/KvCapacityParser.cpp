#include "KvCapacityParser.h"

#include <QMap>
#include <QRegularExpression>
#include <limits>

using namespace Qt::StringLiterals;

namespace QuantDesk
{

namespace
{

// The data-parallel and tensor-parallel rank a log line names: vLLM "(EngineCore_DP1 pid=…)", "(Worker_TP0 pid=…)";
// SGLang "[2025-11-04 05:27:13 DP0 TP0 EP0]". -1 when the line names none.
int rankTag(QStringView line, QStringView tag)
{
    qsizetype from = 0;
    while (true) {
        const qsizetype at = line.indexOf(tag, from);
        if (at < 0)
            return -1;
        const bool startOk = at == 0 || line.at(at - 1) == u'_' || line.at(at - 1) == u' ' || line.at(at - 1) == u'[' ||
                             line.at(at - 1) == u'(';
        qsizetype end = at + tag.size();
        while (end < line.size() && line.at(end).isDigit())
            ++end;
        if (startOk && end > at + tag.size())
            return line.mid(at + tag.size(), end - at - tag.size()).toInt();
        from = at + 1;
    }
}

QStringView skipSpaces(QStringView s)
{
    qsizetype i = 0;
    while (i < s.size() && s.at(i).isSpace())
        ++i;
    return s.mid(i);
}

// Digits with optional thousands separators (vLLM prints "686,320").
qint64 readCount(QStringView s, qsizetype* consumed)
{
    qint64 v = 0;
    qsizetype i = 0;
    bool any = false;
    while (i < s.size()) {
        const QChar c = s.at(i);
        if (c.isDigit()) {
            if (v > (std::numeric_limits<qint64>::max() - 9) / 10)
                return -1;
            v = v * 10 + c.digitValue();
            any = true;
        } else if (!(c == u',' && any && i + 1 < s.size() && s.at(i + 1).isDigit())) {
            break;
        }
        ++i;
    }
    *consumed = i;
    return any ? v : -1;
}

double readDouble(QStringView s, qsizetype* consumed)
{
    qsizetype i = 0;
    if (i < s.size() && (s.at(i) == u'-' || s.at(i) == u'+'))
        ++i;
    while (i < s.size() && (s.at(i).isDigit() || s.at(i) == u'.'))
        ++i;
    bool ok = false;
    const double v = s.left(i).toDouble(&ok);
    *consumed = i;
    return ok ? v : std::numeric_limits<double>::quiet_NaN();
}

class Accumulator
{
public:
    void feed(QStringView line)
    {
        static constexpr QStringView vllmTokens = u"GPU KV cache size:";
        static constexpr QStringView sglangTokens = u"max_total_num_tokens=";
        static constexpr QStringView vllmPool = u"Available KV cache memory:";
        static constexpr QStringView sglangPool = u"KV Cache is allocated.";

        if (const qsizetype at = line.indexOf(vllmTokens); at >= 0) {
            QStringView rest = skipSpaces(line.mid(at + vllmTokens.size()));
            qsizetype n = 0;
            const qint64 tokens = readCount(rest, &n);
            if (tokens >= 0 && skipSpaces(rest.mid(n)).startsWith(u"tokens"))
                addTokens(rankTag(line, u"DP"), tokens, u"vllm"_s);
        } else if (const qsizetype at2 = line.indexOf(sglangTokens); at2 >= 0 && !afterComma(line, at2)) {
            qsizetype n = 0;
            const qint64 tokens = readCount(line.mid(at2 + sglangTokens.size()), &n);
            if (tokens >= 0)
                addTokens(rankTag(line, u"DP"), tokens, u"sglang"_s);
        }
        if (const qsizetype at = line.indexOf(vllmPool); at >= 0) {
            QStringView rest = skipSpaces(line.mid(at + vllmPool.size()));
            qsizetype n = 0;
            const double gib = readDouble(rest, &n);
            if (gib >= 0 && skipSpaces(rest.mid(n)).startsWith(u"GiB"))
                addPool(line, gib);
        } else if (const qsizetype at2 = line.indexOf(sglangPool); at2 >= 0) {
            const QStringView rest = line.mid(at2 + sglangPool.size());
            double total = 0;
            bool any = false;
            for (const QStringView key : {QStringView(u"K size:"), QStringView(u"V size:"), QStringView(u"KV size:")}) {
                qsizetype k = rest.indexOf(key);
                // "KV size:" contains "V size:": only count "V size:" when it is not part of "KV size:".
                while (k > 0 && key == u"V size:" && rest.at(k - 1) == u'K')
                    k = rest.indexOf(key, k + 1);
                if (k < 0)
                    continue;
                qsizetype n = 0;
                const QStringView num = skipSpaces(rest.mid(k + key.size()));
                const double gib = readDouble(num, &n);
                if (gib >= 0 && skipSpaces(num.mid(n)).startsWith(u"GB")) {
                    total += gib;
                    any = true;
                }
            }
            if (any)
                addPool(line, total);
        }
    }

    [[nodiscard]] KvCapacity result() const
    {
        KvCapacity r;
        r.engine = m_engine;
        r.lines = m_lines;
        if (!m_tokens.isEmpty()) {
            qint64 sum = 0;
            for (const qint64 t : m_tokens)
                sum += t;
            r.tokens = sum;
        }
        r.poolGiB = m_poolGiB;
        return r;
    }

private:
    // SGLang's leak warning prints "available_size=…, max_total_num_tokens=…": not a capacity report.
    static bool afterComma(QStringView line, qsizetype at)
    {
        qsizetype i = at - 1;
        while (i >= 0 && line.at(i) == u' ')
            --i;
        return i >= 0 && line.at(i) == u',';
    }

    void addTokens(int dp, qint64 tokens, const QString& engine)
    {
        m_tokens[dp] = tokens;
        m_engine = engine;
        ++m_lines;
    }

    void addPool(QStringView line, double gib)
    {
        const int tp = rankTag(line, u"TP");
        // The first report, preferring tensor-parallel rank 0.
        if (m_poolGiB < 0 || (tp == 0 && m_poolTp != 0)) {
            m_poolGiB = gib;
            m_poolTp = tp;
        }
    }

    QMap<int, qint64> m_tokens; // DP rank (-1: none named) → last capacity
    QString m_engine;
    int m_lines = 0;
    double m_poolGiB = -1;
    int m_poolTp = -1;
};

template <typename F>
void forEachLine(QStringView text, F&& f)
{
    qsizetype start = 0;
    while (start < text.size()) {
        qsizetype end = text.indexOf(u'\n', start);
        if (end < 0)
            end = text.size();
        QStringView line = text.mid(start, end - start);
        if (line.endsWith(u'\r'))
            line.chop(1);
        f(line);
        start = end + 1;
    }
}

bool mayMatter(QStringView line)
{
    return line.contains(u"KV cache") || line.contains(u"KV Cache") || line.contains(u"max_total_num_tokens");
}

} // namespace

KvCapacity KvCapacityParser::parse(QStringView log)
{
    Accumulator acc;
    forEachLine(log, [&](QStringView line) {
        if (mayMatter(line))
            acc.feed(line);
    });
    return acc.result();
}

QHash<int, KvCapacity> KvCapacityParser::perExperiment(QStringView taskLog)
{
    static const QRegularExpression bracketed(u"\\[Experiment (\\d+)\\]"_s);
    static const QRegularExpression banner(u"^\\s*(?:\\[[^\\]]*\\]\\s*)*Experiment (\\d+)\\s*$"_s);
    static const QRegularExpression running(u"Running experiment (\\d+) with params"_s);
    QMap<int, Accumulator> parts;
    int current = 0;
    forEachLine(taskLog, [&](QStringView line) {
        if (line.contains(u"xperiment")) {
            for (const QRegularExpression* re : {&bracketed, &banner, &running}) {
                const QRegularExpressionMatch m = re->match(line);
                if (m.hasMatch()) {
                    current = m.capturedView(1).toInt();
                    break;
                }
            }
        }
        if (current > 0 && mayMatter(line))
            parts[current].feed(line);
    });
    QHash<int, KvCapacity> out;
    for (auto it = parts.cbegin(); it != parts.cend(); ++it) {
        const KvCapacity c = it.value().result();
        if (c.isValid() || c.poolGiB >= 0)
            out.insert(it.key(), c);
    }
    return out;
}

} // namespace QuantDesk
