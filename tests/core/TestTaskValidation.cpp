// One test per validation rule: each starts from a task the autotuner accepts and breaks one thing.
#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include "core/task/TaskLoader.h"
#include "core/task/TaskValidator.h"
#include "tests/TestConfig.h"

using namespace Qt::StringLiterals;
using namespace QuantDesk;
using json = nlohmann::ordered_json;

namespace
{

QString dataDir()
{
    const QString fromEnv = qEnvironmentVariable("QUANTDESK_TEST_DATA");
    return fromEnv.isEmpty() ? QString::fromUtf8(QUANTDESK_TEST_DATA_DIR) : fromEnv;
}

// The minimal task of reference/autotuner.md §1.7, on a profile QuantDesk has exactly (SGLang 0.5.18).
json baseTask()
{
    return json::parse(R"json({
  "task_name": "qwen-kvfp8",
  "description": "optional",
  "deployment_mode": "docker",
  "model": {"id_or_path": "Qwen/Qwen2.5-7B-Instruct", "namespace": "autotuner"},
  "base_runtime": "sglang",
  "runtime_image_tag": "v0.5.18-cu129",
  "parameters": {"mem-fraction-static": [0.85]},
  "quant_config": {"gemm_dtype": "auto", "kvcache_dtype": ["auto", "fp8_e5m2"], "attention_dtype": "auto", "moe_dtype": "auto"},
  "optimization": {"strategy": "grid_search", "objective": "maximize_throughput", "max_iterations": 10, "timeout_per_iteration": 900},
  "benchmark": {"task": "text-to-text", "model_name": "Qwen2.5-7B-Instruct", "model_tokenizer": "Qwen/Qwen2.5-7B-Instruct",
                "traffic_scenarios": ["D(100,100)"], "num_concurrency": [1, 4, 8],
                "max_time_per_iteration": 10, "max_requests_per_iteration": 50, "additional_params": {"temperature": 0.0}}
})json");
}

QList<TaskProblem> check(const json& task)
{
    return TaskValidator::validate(TaskDocument(task));
}

QString dump(const QList<TaskProblem>& problems)
{
    QStringList lines;
    for (const TaskProblem& p : problems)
        lines << severityKey(p.severity) + u" "_s + p.id + u" "_s + p.toString();
    return lines.join(u'\n');
}

const TaskProblem* find(const QList<TaskProblem>& problems, const QString& id, const QString& pointer)
{
    for (const TaskProblem& p : problems) {
        if (p.id == id && p.pointer == pointer)
            return &p;
    }
    return nullptr;
}

} // namespace

// Asserts a problem with this rule id at this pointer, of this severity, whose message contains the text.
#define EXPECT_PROBLEM(problems, sev, id, pointer, text)                                                               \
    do {                                                                                                               \
        const QList<TaskProblem> all = (problems);                                                                     \
        const TaskProblem* found = find(all, id, pointer);                                                             \
        QVERIFY2(found, qPrintable(u"no " + QString(id) + u" at " + QString(pointer) + u" in:\n"_s + dump(all)));      \
        QCOMPARE(found->severity, sev);                                                                                \
        QVERIFY2(found->message.contains(text), qPrintable(found->message));                                           \
    } while (false)

class TestTaskValidation : public QObject
{
    Q_OBJECT

private slots:
    void baseTaskIsClean()
    {
        const QList<TaskProblem> problems = check(baseTask());
        QVERIFY2(problemsOf(problems, Severity::Error).isEmpty() && problemsOf(problems, Severity::Warning).isEmpty(),
                 qPrintable(dump(problems)));
    }

    void examplesValidate_data()
    {
        QTest::addColumn<QString>("path");
        const QDir examples(QDir(dataDir()).filePath(u"../../examples"_s));
        const QStringList files = examples.entryList({u"*.json"_s}, QDir::Files, QDir::Name);
        QVERIFY(files.size() >= 4);
        for (const QString& f : files)
            QTest::addRow("%s", qPrintable(f)) << examples.filePath(f);
        const QDir tasks(QDir(dataDir()).filePath(u"tasks"_s));
        for (const QString& f : tasks.entryList({u"*.json"_s}, QDir::Files, QDir::Name))
            QTest::addRow("tasks/%s", qPrintable(f)) << tasks.filePath(f);
    }

    // The shipped examples and the good fixtures validate without errors.
    void examplesValidate()
    {
        QFETCH(QString, path);
        const TaskCheckResult r = checkTaskFile(path);
        QVERIFY2(!r.hasErrors(), qPrintable(dump(r.problems)));
    }

    void required_data()
    {
        QTest::addColumn<QStringList>("path");
        QTest::addRow("task_name") << QStringList{u"task_name"_s};
        QTest::addRow("model") << QStringList{u"model"_s};
        QTest::addRow("model.id_or_path") << QStringList{u"model"_s, u"id_or_path"_s};
        QTest::addRow("model.namespace") << QStringList{u"model"_s, u"namespace"_s};
        QTest::addRow("base_runtime") << QStringList{u"base_runtime"_s};
        QTest::addRow("parameters") << QStringList{u"parameters"_s};
        QTest::addRow("optimization") << QStringList{u"optimization"_s};
        QTest::addRow("benchmark") << QStringList{u"benchmark"_s};
    }

    void required()
    {
        QFETCH(QStringList, path);
        json task = baseTask();
        json* parent = &task;
        for (qsizetype i = 0; i + 1 < path.size(); ++i)
            parent = &(*parent)[path.at(i).toStdString()];
        parent->erase(path.constLast().toStdString());
        const QList<TaskProblem> problems = check(task);
        EXPECT_PROBLEM(problems, Severity::Error, u"TASK-REQUIRED"_s, u"/"_s + path.join(u'/'), u"missing"_s);
    }

    void types()
    {
        json task = baseTask();
        task["task_name"] = 42;
        task["model"]["id_or_path"] = json::array();
        task["parameters"] = json::array();
        task["optimization"]["max_iterations"] = "ten";
        task["benchmark"]["num_concurrency"] = 8;
        task["description"] = 1;
        const QList<TaskProblem> problems = check(task);
        EXPECT_PROBLEM(
            problems, Severity::Error, u"TASK-TYPE"_s, u"/task_name"_s, u"must be a string, not an integer"_s);
        EXPECT_PROBLEM(problems, Severity::Error, u"TASK-TYPE"_s, u"/model/id_or_path"_s, u"must be a string"_s);
        EXPECT_PROBLEM(problems, Severity::Error, u"TASK-TYPE"_s, u"/parameters"_s, u"must be an object, not a list"_s);
        EXPECT_PROBLEM(problems, Severity::Error, u"TASK-TYPE"_s, u"/optimization/max_iterations"_s, u"integer"_s);
        EXPECT_PROBLEM(problems, Severity::Error, u"TASK-TYPE"_s, u"/benchmark/num_concurrency"_s, u"a list"_s);
        EXPECT_PROBLEM(problems, Severity::Error, u"TASK-TYPE"_s, u"/description"_s, u"string or null"_s);
        // A description of null is fine (TaskResponse default).
        json ok = baseTask();
        ok["description"] = nullptr;
        QVERIFY(!find(check(ok), u"TASK-TYPE"_s, u"/description"_s));
    }

    void taskName()
    {
        json task = baseTask();
        task["task_name"] = "../etc/passwd";
        EXPECT_PROBLEM(check(task), Severity::Error, u"TASK-NAME"_s, u"/task_name"_s, u"path separator"_s);
        task["task_name"] = "";
        EXPECT_PROBLEM(check(task), Severity::Error, u"TASK-NAME"_s, u"/task_name"_s, u"empty"_s);
        task["task_name"] = "Qwen 7B (fp8)";
        EXPECT_PROBLEM(check(task), Severity::Warning, u"TASK-NAME"_s, u"/task_name"_s, u"container names"_s);
    }

    void strategy()
    {
        json task = baseTask();
        task["optimization"]["strategy"] = "random_search";
        EXPECT_PROBLEM(check(task),
                       Severity::Error,
                       u"TASK-STRATEGY"_s,
                       u"/optimization/strategy"_s,
                       u"'random_search' is not accepted by the autotuner (use random)"_s);
        task["optimization"]["strategy"] = "hyperband";
        EXPECT_PROBLEM(check(task),
                       Severity::Error,
                       u"TASK-STRATEGY"_s,
                       u"/optimization/strategy"_s,
                       u"grid_search, bayesian, random"_s);
        for (const char* ok : {"grid_search", "bayesian", "random"}) {
            task["optimization"]["strategy"] = ok;
            QVERIFY(!find(check(task), u"TASK-STRATEGY"_s, u"/optimization/strategy"_s));
        }
    }

    void objective()
    {
        json task = baseTask();
        task["optimization"]["objective"] = "balanced";
        EXPECT_PROBLEM(check(task),
                       Severity::Error,
                       u"TASK-OBJECTIVE"_s,
                       u"/optimization/objective"_s,
                       u"rejected by its backend"_s);
        task["optimization"]["objective"] = "max_throughput";
        EXPECT_PROBLEM(check(task),
                       Severity::Error,
                       u"TASK-OBJECTIVE"_s,
                       u"/optimization/objective"_s,
                       u"minimize_latency, maximize_throughput, minimize_ttft, minimize_tpot"_s);
        for (const char* ok : {"minimize_latency", "maximize_throughput", "minimize_ttft", "minimize_tpot"}) {
            task["optimization"]["objective"] = ok;
            QVERIFY(!find(check(task), u"TASK-OBJECTIVE"_s, u"/optimization/objective"_s));
        }
    }

    void timeoutPerIteration()
    {
        json task = baseTask();
        task["optimization"].erase("timeout_per_iteration");
        EXPECT_PROBLEM(
            check(task), Severity::Error, u"TASK-TIMEOUT"_s, u"/optimization/timeout_per_iteration"_s, u"crashes"_s);
        task["optimization"]["timeout_per_iteration"] = 0;
        EXPECT_PROBLEM(check(task),
                       Severity::Error,
                       u"TASK-NUMBER"_s,
                       u"/optimization/timeout_per_iteration"_s,
                       u"greater than 0"_s);
    }

    void numbers()
    {
        json task = baseTask();
        task["optimization"]["max_iterations"] = 0;
        task["benchmark"]["num_concurrency"] = json::array({1, -4});
        task["benchmark"]["max_time_per_iteration"] = -1;
        const QList<TaskProblem> problems = check(task);
        EXPECT_PROBLEM(problems, Severity::Error, u"TASK-NUMBER"_s, u"/optimization/max_iterations"_s, u"at least 1"_s);
        EXPECT_PROBLEM(problems, Severity::Error, u"TASK-NUMBER"_s, u"/benchmark/num_concurrency/1"_s, u"positive"_s);
        EXPECT_PROBLEM(
            problems, Severity::Error, u"TASK-NUMBER"_s, u"/benchmark/max_time_per_iteration"_s, u"greater than 0"_s);
    }

    void baseRuntime()
    {
        json task = baseTask();
        task["base_runtime"] = "llama.cpp";
        EXPECT_PROBLEM(check(task), Severity::Error, u"TASK-RUNTIME"_s, u"/base_runtime"_s, u"vllm, sglang"_s);
        // Docker matches by prefix, the quant mapper exactly (reference/autotuner.md §1.1).
        task["base_runtime"] = "sglang-v0.5";
        EXPECT_PROBLEM(check(task), Severity::Warning, u"TASK-RUNTIME"_s, u"/base_runtime"_s, u"adds no quant flags"_s);
        // The aliases the autotuner's mapper accepts, in any case.
        for (const char* alias : {"vllm", "SGLang", "sglang"}) {
            task["base_runtime"] = alias;
            QVERIFY(!find(check(task), u"TASK-RUNTIME"_s, u"/base_runtime"_s));
        }
        // In OME mode base_runtime is a ClusterServingRuntime name: not an error.
        task["deployment_mode"] = "ome";
        task["base_runtime"] = "my-runtime";
        EXPECT_PROBLEM(check(task), Severity::Info, u"TASK-RUNTIME"_s, u"/base_runtime"_s, u"ClusterServingRuntime"_s);
    }

    void trtllmDocker()
    {
        json task = baseTask();
        task["quant_config"] = json::object({{"kvcache_dtype", "fp8"}});
        task["parameters"] = json::object();
        for (const char* alias : {"trtllm", "tensorrt_llm", "TensorRT-LLM"}) {
            task["base_runtime"] = alias;
            EXPECT_PROBLEM(check(task), Severity::Error, u"TASK-TRT-DOCKER"_s, u"/base_runtime"_s, u"Docker mode"_s);
        }
        task["deployment_mode"] = "ome";
        EXPECT_PROBLEM(
            check(task), Severity::Warning, u"TASK-TRT-DOCKER"_s, u"/base_runtime"_s, u"cannot be exported"_s);
    }

    void deploymentMode()
    {
        json task = baseTask();
        task["deployment_mode"] = "kubernetes";
        EXPECT_PROBLEM(check(task), Severity::Error, u"TASK-DEPLOYMENT"_s, u"/deployment_mode"_s, u"docker, ome"_s);
        task["deployment_mode"] = "local";
        EXPECT_PROBLEM(
            check(task), Severity::Info, u"TASK-DEPLOYMENT"_s, u"/deployment_mode"_s, u"feature/local-controller"_s);
    }

    void dtypeValues()
    {
        json task = baseTask();
        task["quant_config"] = json::parse(R"({"gemm_dtype": "fp4", "kvcache_dtype": ["auto", "float16"],
                                               "attention_dtype": 8, "moe_dtype": "FP8"})");
        const QList<TaskProblem> problems = check(task);
        EXPECT_PROBLEM(problems,
                       Severity::Error,
                       u"TASK-QUANT-VALUE"_s,
                       u"/quant_config/gemm_dtype"_s,
                       u"'fp4' is not a valid gemm_dtype"_s);
        EXPECT_PROBLEM(problems,
                       Severity::Error,
                       u"TASK-QUANT-VALUE"_s,
                       u"/quant_config/kvcache_dtype/1"_s,
                       u"kvcache_dtype spells it fp16"_s);
        EXPECT_PROBLEM(
            problems, Severity::Error, u"TASK-QUANT-TYPE"_s, u"/quant_config/attention_dtype"_s, u"must be a string"_s);
        EXPECT_PROBLEM(problems, Severity::Error, u"TASK-QUANT-VALUE"_s, u"/quant_config/moe_dtype"_s, u"lower case"_s);
        // Every documented value of every field is accepted, as a scalar and in a list (§2.2).
        for (const QuantField f : kQuantFields) {
            json ok = baseTask();
            json list = json::array();
            for (const QString& v : fieldValues(f))
                list.push_back(v.toStdString());
            ok["quant_config"] = json::object({{fieldKey(f).toStdString(), list}});
            for (const TaskProblem& p : check(ok))
                QVERIFY2(p.id != u"TASK-QUANT-VALUE", qPrintable(p.toString()));
        }
    }

    void quantConfigType()
    {
        json task = baseTask();
        task["quant_config"] = "fp8";
        EXPECT_PROBLEM(check(task), Severity::Error, u"TASK-QUANT-TYPE"_s, u"/quant_config"_s, u"must be an object"_s);
        task["quant_config"] = json::object({{"kv_cache_dtype", "fp8"}});
        EXPECT_PROBLEM(check(task),
                       Severity::Warning,
                       u"TASK-QUANT-UNKNOWN-KEY"_s,
                       u"/quant_config/kv_cache_dtype"_s,
                       u"did you mean kvcache_dtype?"_s);
        task["quant_config"] = json::object({{"kvcache_dtype", json::array()}});
        EXPECT_PROBLEM(
            check(task), Severity::Warning, u"TASK-QUANT-EMPTY"_s, u"/quant_config/kvcache_dtype"_s, u"stays auto"_s);
    }

    void presetNames()
    {
        json task = baseTask();
        task["quant_config"] = json::parse(R"({"presets": ["kv-cache-fp8", "fp8-everything"]})");
        EXPECT_PROBLEM(check(task),
                       Severity::Error,
                       u"TASK-PRESET-UNKNOWN"_s,
                       u"/quant_config/presets/1"_s,
                       u"no preset named 'fp8-everything'"_s);
        task["quant_config"] = json::parse(R"({"preset": "fp8-everything"})");
        EXPECT_PROBLEM(
            check(task), Severity::Error, u"TASK-PRESET-UNKNOWN"_s, u"/quant_config/preset"_s, u"kv-cache-fp8"_s);
    }

    void userPresetsResolve()
    {
        QTemporaryDir dir;
        PresetStore store(dir.path());
        Preset mine;
        mine.name = u"my-kv"_s;
        mine.config.kvcache = u"fp8_e4m3"_s;
        QString error;
        QVERIFY2(store.save(mine, &error), qPrintable(error));
        json task = baseTask();
        task["quant_config"] = json::parse(R"({"presets": ["my-kv"]})");
        QVERIFY(!find(TaskValidator::validate(TaskDocument(task), &store),
                      u"TASK-PRESET-UNKNOWN"_s,
                      u"/quant_config/presets/0"_s));
        EXPECT_PROBLEM(
            check(task), Severity::Error, u"TASK-PRESET-UNKNOWN"_s, u"/quant_config/presets/0"_s, u"my-kv"_s);
    }

    void singularPreset()
    {
        json task = baseTask();
        task["quant_config"] = json::parse(R"({"preset": "kv-cache-fp8"})");
        EXPECT_PROBLEM(check(task),
                       Severity::Warning,
                       u"TASK-PRESET-SINGULAR"_s,
                       u"/quant_config/preset"_s,
                       u"ignores the singular 'preset'"_s);
    }

    void presetsRunAsBaseline()
    {
        json task = baseTask();
        task["quant_config"] = json::parse(R"({"presets": ["default", "kv-cache-fp8"]})");
        EXPECT_PROBLEM(check(task),
                       Severity::Warning,
                       u"TASK-PRESETS-BASELINE"_s,
                       u"/quant_config/presets"_s,
                       u"baseline flags"_s);
    }

    void presetsWithExplicitFields()
    {
        json task = baseTask();
        task["quant_config"] = json::parse(R"({"presets": ["kv-cache-fp8"], "gemm_dtype": "fp8"})");
        EXPECT_PROBLEM(check(task), Severity::Warning, u"TASK-PRESETS-FIELDS"_s, u"/quant_config"_s, u"ignored"_s);
        task["quant_config"] = json::parse(R"({"presets": ["kv-cache-fp8"], "preset": "default"})");
        EXPECT_PROBLEM(check(task), Severity::Error, u"TASK-PRESET-BOTH"_s, u"/quant_config"_s, u"use one"_s);
    }

    void duplicateExperiments()
    {
        // vLLM has no attention dtype: bfloat16 attention gives the same command as auto (reference §2.5: "vLLM with
        // attention_dtype [auto, fp8, bfloat16] ... runs 3 identical experiments").
        json task = baseTask();
        task["base_runtime"] = "vllm";
        task["runtime_image_tag"] = "latest";
        task["parameters"] = json::object({{"gpu-memory-utilization", json::array({0.9})}});
        task["quant_config"] = json::parse(R"({"attention_dtype": ["auto", "bfloat16"]})");
        EXPECT_PROBLEM(check(task),
                       Severity::Warning,
                       u"TASK-QUANT-DUPLICATES"_s,
                       u"/quant_config"_s,
                       u"2 quant configs give only 1 distinct vLLM commands"_s);
        // A user parameter that overrides the varying flag makes the list's experiments identical too (§2.6).
        json sg = baseTask();
        sg["parameters"]["kv-cache-dtype"] = json::array({"fp8_e4m3"});
        EXPECT_PROBLEM(check(sg), Severity::Warning, u"TASK-QUANT-DUPLICATES"_s, u"/quant_config"_s, u"only 1"_s);
    }

    void parameterOverridesQuantFlag()
    {
        // reference/autotuner.md §2.6: quant kvcache fp8 plus user kv-cache-dtype fp8_e4m3 → the user's value.
        json task = baseTask();
        task["quant_config"] = json::parse(R"({"kvcache_dtype": "fp8_e5m2"})");
        task["parameters"]["kv-cache-dtype"] = json::array({"fp8_e4m3"});
        EXPECT_PROBLEM(check(task),
                       Severity::Warning,
                       u"TASK-PARAM-OVERRIDE"_s,
                       u"/parameters/kv-cache-dtype"_s,
                       u"--kv-cache-dtype fp8_e5m2 (from kvcache_dtype): the parameter wins"_s);
    }

    void parameterForms()
    {
        json task = baseTask();
        task["parameters"] = json::parse(R"({"mem-fraction-static": 0.85, "tp-size": {"values": [1]},
                                             "chunked-prefill-size": [], "schedule-policy": {"type": "continuous",
                                             "low": 0, "high": 1}})");
        const QList<TaskProblem> problems = check(task);
        EXPECT_PROBLEM(
            problems, Severity::Error, u"TASK-PARAM-FORM"_s, u"/parameters/mem-fraction-static"_s, u"[0.85]"_s);
        EXPECT_PROBLEM(problems, Severity::Error, u"TASK-PARAM-FORM"_s, u"/parameters/tp-size"_s, u"\"type\""_s);
        EXPECT_PROBLEM(
            problems, Severity::Warning, u"TASK-PARAM-FORM"_s, u"/parameters/chunked-prefill-size"_s, u"skips"_s);
        EXPECT_PROBLEM(problems,
                       Severity::Error,
                       u"TASK-PARAM-FORM"_s,
                       u"/parameters/schedule-policy/type"_s,
                       u"bayesian or random"_s);
        // Legacy forms are fine where the strategy takes them.
        json legacy = baseTask();
        legacy["optimization"]["strategy"] = "bayesian";
        legacy["parameters"] = json::parse(R"({"mem-fraction-static": {"type": "continuous", "low": 0.7, "high": 0.9},
                                               "tp-size": {"type": "categorical", "choices": [1, 2]}})");
        for (const TaskProblem& p : check(legacy))
            QVERIFY2(p.severity != Severity::Error, qPrintable(p.toString()));
        legacy["parameters"]["mem-fraction-static"]["low"] = 0.95;
        EXPECT_PROBLEM(check(legacy),
                       Severity::Error,
                       u"TASK-PARAM-FORM"_s,
                       u"/parameters/mem-fraction-static"_s,
                       u"above high"_s);
    }

    void parameterValues()
    {
        json task = baseTask();
        task["parameters"] = json::parse(R"({"mem-fraction-static": [[0.8]], "chunked-prefill-size": [null],
                                             "schedule-policy": ["lpm fcfs"]})");
        const QList<TaskProblem> problems = check(task);
        EXPECT_PROBLEM(problems,
                       Severity::Error,
                       u"TASK-PARAM-VALUE"_s,
                       u"/parameters/mem-fraction-static/0"_s,
                       u"a list cannot be a flag value"_s);
        EXPECT_PROBLEM(
            problems, Severity::Error, u"TASK-PARAM-VALUE"_s, u"/parameters/chunked-prefill-size/0"_s, u"null"_s);
        EXPECT_PROBLEM(
            problems, Severity::Warning, u"TASK-PARAM-VALUE"_s, u"/parameters/schedule-policy/0"_s, u"whitespace"_s);
    }

    void parameterFlags()
    {
        json task = baseTask();
        task["parameters"] = json::parse(R"({"mem-fraction-statik": [0.85], "schedule-policy": ["fifo"],
                                             "enable-mixed-chunk": ["yes"], "chunked-prefill-size": [true]})");
        const QList<TaskProblem> problems = check(task);
        EXPECT_PROBLEM(problems,
                       Severity::Error,
                       u"TASK-PARAM-FLAG"_s,
                       u"/parameters/mem-fraction-statik"_s,
                       u"not an option of SGLang 0.5.18"_s);
        EXPECT_PROBLEM(problems, Severity::Error, u"TASK-PARAM-FLAG"_s, u"/parameters/schedule-policy/0"_s, u"fifo"_s);
        EXPECT_PROBLEM(
            problems, Severity::Error, u"TASK-PARAM-FLAG"_s, u"/parameters/enable-mixed-chunk/0"_s, u"switch"_s);
        EXPECT_PROBLEM(problems,
                       Severity::Error,
                       u"TASK-PARAM-FLAG"_s,
                       u"/parameters/chunked-prefill-size/0"_s,
                       u"takes a value"_s);
    }

    void parameterDuplicateFlag()
    {
        json task = baseTask();
        task["parameters"] = json::parse(R"({"tp-size": [1], "tensor-parallel-size": [2]})");
        EXPECT_PROBLEM(check(task),
                       Severity::Warning,
                       u"TASK-PARAM-DUP"_s,
                       u"/parameters/tensor-parallel-size"_s,
                       u"'tp-size' and 'tensor-parallel-size' are the same flag"_s);
    }

    void reservedParameterPrefixes()
    {
        json task = baseTask();
        task["parameters"]["__quant__kvcache_dtype"] = json::array({"fp8_e5m2"});
        task["parameters"]["__parallel__tp"] = json::array({2});
        const QList<TaskProblem> problems = check(task);
        EXPECT_PROBLEM(problems,
                       Severity::Info,
                       u"TASK-PARAM-RESERVED"_s,
                       u"/parameters/__quant__kvcache_dtype"_s,
                       u"both the autotuner's CLI and its web worker"_s);
        EXPECT_PROBLEM(
            problems, Severity::Info, u"TASK-PARAM-RESERVED"_s, u"/parameters/__parallel__tp"_s, u"parallel_config"_s);
        QVERIFY(!hasErrors(problems));
    }

    void parallelConfig()
    {
        json task = baseTask();
        task["parallel_config"] = json::parse(R"({"tp": [1, 2], "tensor_parallel": 2})");
        const QList<TaskProblem> problems = check(task);
        EXPECT_PROBLEM(problems, Severity::Warning, u"TASK-PARALLEL"_s, u"/parallel_config"_s, u"--tp 2"_s);
        EXPECT_PROBLEM(
            problems, Severity::Warning, u"TASK-UNKNOWN-KEY"_s, u"/parallel_config/tensor_parallel"_s, u"ignored"_s);
    }

    void benchmark()
    {
        json task = baseTask();
        task["benchmark"]["traffic_scenarios"] = json::array({"D(100,100)", "N(480,240)/(300,150)", 5});
        const QList<TaskProblem> problems = check(task);
        EXPECT_PROBLEM(problems,
                       Severity::Warning,
                       u"TASK-BENCHMARK"_s,
                       u"/benchmark/traffic_scenarios/1"_s,
                       u"only D(input,output)"_s);
        EXPECT_PROBLEM(
            problems, Severity::Error, u"TASK-TYPE"_s, u"/benchmark/traffic_scenarios/2"_s, u"must be a string"_s);
    }

    void slo()
    {
        json task = baseTask();
        task["slo"] = json::parse(R"({"latency": {"p95": {"threshold": 1}, "p90": {"weight": 2}},
                                      "ttft": {"threshold": -1, "hard_fail": "yes"}, "steepness": 0})");
        const QList<TaskProblem> problems = check(task);
        EXPECT_PROBLEM(problems, Severity::Warning, u"TASK-SLO"_s, u"/slo/latency/p95"_s, u"p50, p90 and p99"_s);
        EXPECT_PROBLEM(problems, Severity::Error, u"TASK-REQUIRED"_s, u"/slo/latency/p90/threshold"_s, u"missing"_s);
        EXPECT_PROBLEM(problems, Severity::Error, u"TASK-SLO"_s, u"/slo/ttft/threshold"_s, u"greater than 0"_s);
        EXPECT_PROBLEM(problems, Severity::Error, u"TASK-TYPE"_s, u"/slo/ttft/hard_fail"_s, u"true or false"_s);
        EXPECT_PROBLEM(problems, Severity::Error, u"TASK-SLO"_s, u"/slo/steepness"_s, u"greater than 0"_s);
    }

    void unknownKeys()
    {
        json task = baseTask();
        task["runtime"] = "sglang";
        task["owner"] = "me";
        const QList<TaskProblem> problems = check(task);
        EXPECT_PROBLEM(problems, Severity::Warning, u"TASK-UNKNOWN-KEY"_s, u"/runtime"_s, u"base_runtime"_s);
        EXPECT_PROBLEM(problems, Severity::Info, u"TASK-UNKNOWN-KEY"_s, u"/owner"_s, u"keeps it on save"_s);
    }

    void omeOnlyAndStorage()
    {
        json task = baseTask();
        task["clusterservingruntime_config"] = json::parse(R"({"preset": "sglang-huge"})");
        task["storage"] = json::parse(R"({"type": "nfs"})");
        const QList<TaskProblem> problems = check(task);
        EXPECT_PROBLEM(
            problems, Severity::Info, u"TASK-OME-ONLY"_s, u"/clusterservingruntime_config"_s, u"only in OME mode"_s);
        EXPECT_PROBLEM(problems,
                       Severity::Warning,
                       u"TASK-OME-ONLY"_s,
                       u"/clusterservingruntime_config/preset"_s,
                       u"sglang-llama-small"_s);
        EXPECT_PROBLEM(problems, Severity::Info, u"TASK-STORAGE"_s, u"/storage"_s, u"drops"_s);
        EXPECT_PROBLEM(problems, Severity::Warning, u"TASK-STORAGE"_s, u"/storage/type"_s, u"pvc"_s);
    }

    void engineDiagnostics()
    {
        // The mapper's blocking diagnostics are errors of the task: TensorRT-LLM has no FP8 E5M2 KV cache.
        json task = baseTask();
        task["deployment_mode"] = "ome";
        task["base_runtime"] = "trtllm";
        task["runtime_image_tag"] = nullptr;
        task["parameters"] = json::object();
        task["quant_config"] = json::parse(R"({"presets": ["default", "kv-cache-fp8"]})");
        EXPECT_PROBLEM(check(task),
                       Severity::Error,
                       u"UNSUPPORTED"_s,
                       u"/quant_config/presets/1"_s,
                       u"kv-cache-fp8: TensorRT-LLM cannot do kvcache_dtype=fp8_e5m2"_s);
        // The autotuner's default SGLang image is older than any profile: the nearest profile is used, with a warning.
        json old = baseTask();
        old.erase("runtime_image_tag");
        EXPECT_PROBLEM(check(old), Severity::Warning, u"PROFILE-NEAREST"_s, u"/base_runtime"_s, u"0.5.2"_s);
    }

    void tooManyCombinations()
    {
        json task = baseTask();
        json q = json::object();
        for (const QuantField f : kQuantFields) {
            json list = json::array();
            for (int i = 0; i < 20; ++i)
                list.push_back("auto");
            q[fieldKey(f).toStdString()] = list;
        }
        task["quant_config"] = q;
        EXPECT_PROBLEM(check(task), Severity::Error, u"TASK-QUANT-TOO-MANY"_s, u"/quant_config"_s, u"4096"_s);
    }

    void tooManyParameters()
    {
        json task = baseTask();
        for (int i = 0; i < 300; ++i)
            task["parameters"]["mem-fraction-static-" + std::to_string(i)] = json::array({0.5});
        EXPECT_PROBLEM(check(task), Severity::Error, u"TASK-PARAM-TOO-MANY"_s, u"/parameters"_s, u"at most 256"_s);
    }

    void problemsCarryPositions()
    {
        const QByteArray text =
            "{\n  \"task_name\": \"t\",\n  \"model\": {\"id_or_path\": \"Qwen/Qwen2.5-7B-Instruct\", "
            "\"namespace\": \"a\"},\n  \"base_runtime\": \"sglang\",\n  \"runtime_image_tag\": "
            "\"v0.5.18\",\n  \"parameters\": {},\n  \"optimization\": {\"strategy\": "
            "\"random_search\", \"timeout_per_iteration\": 900},\n  \"benchmark\": {}\n}\n";
        const TaskCheckResult r = checkTaskData(text);
        const TaskProblem* p = find(r.problems, u"TASK-STRATEGY"_s, u"/optimization/strategy"_s);
        QVERIFY2(p, qPrintable(dump(r.problems)));
        QCOMPARE(p->line, 7);
        QCOMPARE(p->column, 20);
    }
};

QTEST_GUILESS_MAIN(TestTaskValidation)
#include "TestTaskValidation.moc"
