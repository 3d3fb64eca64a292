#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include "core/results/ResultModel.h"

class QIODevice;

namespace QuantDesk
{

// The results table as CSV (RFC 4180: comma separated, CRLF line ends, fields quoted when they need it), one row per
// load point; an experiment without load points (a failed run) gets one row with empty metrics. Units are in the
// column names; numbers are written with the shortest text that reads back to the same value; missing values are empty.
class ResultsCsv
{
public:
    [[nodiscard]] static QStringList header();
    [[nodiscard]] static QByteArray toCsv(const QList<ResultSet>& sets);
    static bool write(const QList<ResultSet>& sets, const QString& path, QString* error);
    // One field, quoted when it holds a comma, quote, CR or LF (or starts/ends with a space).
    [[nodiscard]] static QString field(const QString& value);
};

} // namespace QuantDesk
