// Times a full three-engine preview (mapper + shell command for vLLM, SGLang and TensorRT-LLM) for every built-in
// preset. Prints the median, p90 and min per preview over repeated batches. Budget: median under 50 us on one core.
//
//   cmake --build build --target bench_preview && build/tests/bench/bench_preview [rounds]

#include <QCoreApplication>
#include <QElapsedTimer>
#include <algorithm>
#include <cstdio>
#include <vector>

#include "core/engines/Mapper.h"
#include "core/quant/Presets.h"

using namespace QuantDesk;

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int rounds = argc > 1 ? std::max(10, std::atoi(argv[1])) : 2000;
    const ProfileRegistry& reg = ProfileRegistry::builtIn();
    const QStringList engines = reg.engines();
    const ModelInfo model = inspectModel(QStringLiteral("meta-llama/Llama-3.1-8B-Instruct"));
    const QList<QPair<QString, QString>> params{{QStringLiteral("max-num-seqs"), QStringLiteral("128")}};

    std::size_t sink = 0;
    auto preview = [&](const QuantConfig& cfg) {
        for (const QString& engine : engines) {
            MapRequest req;
            req.profile = reg.select(engine, {}, nullptr);
            req.config = cfg;
            req.model = model;
            if (engine != QStringLiteral("trtllm"))
                req.parameters = params;
            const EngineCommand cmd = buildEngineCommand(req);
            sink += static_cast<std::size_t>(cmd.shellCommand().size() + cmd.diagnostics.size());
        }
    };
    // Warm up (profile loading happens once, outside the timing).
    for (const Preset& p : builtInPresets())
        preview(p.config);

    std::vector<double> perPreviewUs;
    perPreviewUs.reserve(static_cast<std::size_t>(rounds));
    QElapsedTimer t;
    for (int i = 0; i < rounds; ++i) {
        t.start();
        for (const Preset& p : builtInPresets())
            preview(p.config);
        perPreviewUs.push_back(static_cast<double>(t.nsecsElapsed()) / 1000.0 / builtInPresets().size());
    }
    std::sort(perPreviewUs.begin(), perPreviewUs.end());
    const auto at = [&](double q) { return perPreviewUs[static_cast<std::size_t>(q * (perPreviewUs.size() - 1))]; };
    std::printf("three-engine preview (vLLM + SGLang + TensorRT-LLM), %d rounds x %lld presets\n",
                rounds,
                static_cast<long long>(builtInPresets().size()));
    std::printf("  median %.2f us   p90 %.2f us   min %.2f us   (budget: median < 50 us)\n",
                at(0.5),
                at(0.9),
                perPreviewUs.front());
    std::printf("  (checksum %zu)\n", sink);
    return at(0.5) < 50.0 ? 0 : 1;
}
