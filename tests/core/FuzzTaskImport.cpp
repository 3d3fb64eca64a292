// libFuzzer target for the task importer: load → validate → locate → save → reload → export, on arbitrary bytes.
//
// Build and run (Debian's clang; from the repository root), about a minute:
//   CC=clang CXX=clang++ cmake -S tests/core/fuzz -B build-fuzz -G Ninja && cmake --build build-fuzz -j1 && \
//   build-fuzz/FuzzTaskImport -max_total_time=60 -max_len=65536 -dict=tests/core/fuzz/task.dict \
//       build-fuzz/corpus tests/data/bad tests/data/tasks examples
//
// It aborts (a finding) when anything crashes, throws, trips ASan/UBSan, or when a document does not survive
// toJson() → loadData() unchanged, or an exported task does not reload as written.
#include <QByteArray>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "core/task/TaskExporter.h"
#include "core/task/TaskLoader.h"
#include "core/task/TaskValidator.h"

using namespace QuantDesk;

namespace
{

void roundTrip(const TaskDocument& doc)
{
    const TaskLoadResult again = TaskLoader::loadData(doc.toJson());
    if (!again.document || !(*again.document == doc))
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const TaskCheckResult check = checkTaskData(bytes);
    if (check.problems.isEmpty() && !check.document)
        std::abort(); // a refused input must say why
    if (!check.document)
        return 0;
    roundTrip(*check.document);
    const ExportResult exported = TaskExporter::exportTask(*check.document);
    for (const ExportedTask& t : exported.tasks)
        roundTrip(t.document);
    return 0;
}
