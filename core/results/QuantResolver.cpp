#include "QuantResolver.h"

#include <algorithm>
#include <tuple>

#include "core/engines/EngineProfile.h"
#include "core/engines/Mapper.h"

using namespace Qt::StringLiterals;

namespace QuantDesk
{

struct QuantResolver::ProfileTable
{
    QSet<QString> quantFlags;                // canonical names of the flags quant fields map to
    QHash<QString, QuantConfig> bySignature; // command signature → first config (presets first) producing it
    bool full = false;                       // every combination of the four fields is in bySignature
};

namespace
{

// A single string value, or a list holding exactly one string.
std::optional<QString> singleValue(const nlohmann::json& v)
{
    if (v.is_string())
        return QString::fromStdString(v.get<std::string>());
    if (v.is_array() && v.size() == 1 && v.front().is_string())
        return QString::fromStdString(v.front().get<std::string>());
    return std::nullopt;
}

QString displayName(const EngineProfile& p)
{
    return u"%1 %2"_s.arg(p.displayName(), p.version());
}

} // namespace

QuantResolver::QuantResolver(QList<Preset> presets)
    : m_presets(presets.isEmpty() ? builtInPresets() : std::move(presets))
{}

QuantResolver::~QuantResolver() = default;

QString QuantResolver::normaliseEngine(const QString& name)
{
    const QString n = name.trimmed().toLower();
    if (n.contains(u"sglang"))
        return u"sglang"_s;
    if (n.contains(u"vllm"))
        return u"vllm"_s;
    if (n.contains(u"trt") || n.contains(u"tensorrt"))
        return u"trtllm"_s;
    return {};
}

QString QuantResolver::presetFor(const QuantConfig& config) const
{
    for (const Preset& p : m_presets) {
        if (p.config == config)
            return p.name;
    }
    return {};
}

QString QuantResolver::presetInName(const QString& name) const
{
    // A preset name standing as a token: bounded by the string's ends or by '-', '_', '.', ' ' or '/'.
    const auto boundary = [&](qsizetype i) {
        if (i < 0 || i >= name.size())
            return true;
        const QChar c = name.at(i);
        return c == u'-' || c == u'_' || c == u'.' || c == u' ' || c == u'/';
    };
    QString best;
    for (const Preset& p : m_presets) {
        if (p.name.size() <= best.size())
            continue;
        for (qsizetype at = name.indexOf(p.name); at >= 0; at = name.indexOf(p.name, at + 1)) {
            if (boundary(at - 1) && boundary(at + p.name.size())) {
                best = p.name;
                break;
            }
        }
    }
    return best;
}

std::optional<QuantConfig> QuantResolver::presetConfig(const QString& name) const
{
    for (const Preset& p : m_presets) {
        if (p.name == name)
            return p.config;
    }
    return std::nullopt;
}

void QuantResolver::readTaskQuantConfig(const nlohmann::json& qc, QuantContext* context)
{
    if (!qc.is_object())
        return;
    if (qc.contains("preset")) {
        if (const auto name = singleValue(qc["preset"]))
            context->preset = *name;
    }
    if (qc.contains("presets")) {
        if (const auto name = singleValue(qc["presets"]))
            context->preset = *name;
    }
    QuantConfig config;
    bool any = false;
    for (const QuantField f : kQuantFields) {
        const std::string key = fieldKey(f).toStdString();
        if (!qc.contains(key))
            continue;
        const auto v = singleValue(qc[key]);
        if (!v) {
            if (qc[key].is_array() && qc[key].empty())
                continue;
            return; // several values: several configs
        }
        if (!isValidFieldValue(f, *v))
            return;
        config.setValue(f, *v);
        any = true;
    }
    if (any)
        context->config = config;
}

QuantResolver::ProfileTable& QuantResolver::table(const EngineProfile& profile) const
{
    auto it = m_tables.find(&profile);
    if (it != m_tables.end())
        return *it->second;
    auto t = std::make_unique<ProfileTable>();
    for (const QuantField f : kQuantFields) {
        for (const QString& v : fieldValues(f)) {
            if (!profile.hasRule(f, v))
                continue;
            const QStringList& args = profile.rule(f, v).args;
            for (const QString& a : args) {
                if (a.startsWith(u"--"))
                    t->quantFlags.insert(profile.canonicalName(a));
            }
        }
    }
    ProfileTable& ref = *t;
    m_tables.emplace(&profile, std::move(t));
    for (const Preset& p : m_presets) {
        const QString sig = commandSignature(profile, p.config);
        if (!ref.bySignature.contains(sig))
            ref.bySignature.insert(sig, p.config);
    }
    return ref;
}

QString QuantResolver::commandSignature(const EngineProfile& profile, const QuantConfig& config) const
{
    MapRequest req;
    req.config = config;
    req.profile = &profile;
    const EngineCommand cmd = buildEngineCommand(req);
    QStringList parts;
    for (const CommandFlag& f : cmd.flags) {
        if (f.source == u"parameter")
            continue;
        const QString name = f.flag.startsWith(u"--no-") ? f.flag : profile.canonicalName(f.flag);
        parts << (f.value ? name + u' ' + *f.value : name);
    }
    for (const YamlEntry& y : cmd.yaml)
        parts << u"yaml "_s + y.key + u'=' + y.value;
    std::sort(parts.begin(), parts.end());
    return parts.join(u'\n');
}

QString QuantResolver::flagSignature(const EngineProfile& profile,
                                     const QList<QPair<QString, QString>>& parameters) const
{
    const ProfileTable& t = table(profile);
    QStringList parts;
    for (const auto& [key, value] : parameters) {
        if (key.startsWith(u"__") || value == u"false")
            continue;
        const QString flag = key.startsWith(u'-') ? key : u"--"_s + key;
        const QString name = profile.canonicalName(flag);
        if (!t.quantFlags.contains(name))
            continue;
        parts << (value.isEmpty() || value == u"true" ? name : name + u' ' + value);
    }
    std::sort(parts.begin(), parts.end());
    return parts.join(u'\n');
}

std::optional<QuantConfig> QuantResolver::configFromFlags(const EngineProfile& profile,
                                                          const QList<QPair<QString, QString>>& parameters) const
{
    const QString sig = flagSignature(profile, parameters);
    ProfileTable& t = table(profile);
    if (const auto it = t.bySignature.constFind(sig); it != t.bySignature.cend())
        return *it;
    if (!t.full) {
        // Every combination, fewest non-auto fields first, then fewest translated / implicit / unsupported values,
        // so that the plainest config producing the flags wins.
        struct Candidate
        {
            QuantConfig config;
            int nonAuto = 0;
            int indirect = 0;
            int order = 0;
        };
        std::vector<Candidate> all;
        int order = 0;
        for (const QString& g : fieldValues(QuantField::Gemm)) {
            for (const QString& k : fieldValues(QuantField::KvCache)) {
                for (const QString& a : fieldValues(QuantField::Attention)) {
                    for (const QString& m : fieldValues(QuantField::Moe)) {
                        Candidate c;
                        c.config = QuantConfig{g, k, a, m};
                        for (const QuantField f : kQuantFields) {
                            const QString v = c.config.value(f);
                            if (v == u"auto")
                                continue;
                            ++c.nonAuto;
                            if (fieldSupport(profile, f, v).level != SupportLevel::Native)
                                ++c.indirect;
                        }
                        c.order = order++;
                        all.push_back(c);
                    }
                }
            }
        }
        std::stable_sort(all.begin(), all.end(), [](const Candidate& a, const Candidate& b) {
            return std::tie(a.nonAuto, a.indirect, a.order) < std::tie(b.nonAuto, b.indirect, b.order);
        });
        for (const Candidate& c : all) {
            const QString s = commandSignature(profile, c.config);
            if (!t.bySignature.contains(s))
                t.bySignature.insert(s, c.config);
        }
        t.full = true;
        if (const auto it = t.bySignature.constFind(sig); it != t.bySignature.cend())
            return *it;
    }
    return std::nullopt;
}

const EngineProfile* QuantResolver::guessProfile(const QList<QPair<QString, QString>>& parameters,
                                                 const QuantContext& context,
                                                 QString* how) const
{
    const ProfileRegistry& reg = ProfileRegistry::builtIn();
    const QString engine = normaliseEngine(context.engine);
    if (!engine.isEmpty()) {
        if (const EngineProfile* p = reg.select(engine, context.engineVersion, nullptr)) {
            *how = displayName(*p) + u" profile"_s;
            return p;
        }
    }
    // The engine is not known: take the profile that knows the most parameter names (all of them, ideally).
    const EngineProfile* best = nullptr;
    int bestKnown = -1;
    for (const QString& e : reg.engines()) {
        const EngineProfile* p = reg.select(e, QString(), nullptr);
        if (!p)
            continue;
        int known = 0;
        for (const auto& [key, value] : parameters) {
            if (!key.startsWith(u"__") && p->findFlag(key))
                ++known;
        }
        if (known > bestKnown) {
            best = p;
            bestKnown = known;
        }
    }
    if (best)
        *how = displayName(*best) + u" profile; engine guessed from the parameter names"_s;
    return best;
}

QuantResolution QuantResolver::resolve(const QList<QPair<QString, QString>>& parameters,
                                       const QuantContext& context) const
{
    QString cacheKey = context.engine + u'|' + context.engineVersion + u'|' +
                       (context.config ? context.config->summary() : QString()) + u'|' + context.preset + u'|' +
                       context.taskName + u'|' + context.source + (context.flagParameters ? u"|f"_s : u"|-"_s);
    for (const auto& [k, v] : parameters)
        cacheKey += u'|' + k + u'=' + v;
    if (const auto it = m_cache.constFind(cacheKey); it != m_cache.cend())
        return *it;

    QuantResolution r;
    const auto finish = [&](QuantResolution res) {
        if (res.known && res.preset.isEmpty())
            res.preset = presetFor(res.config);
        m_cache.insert(cacheKey, res);
        return res;
    };

    // 1. The autotuner's own keys.
    QString presetParam;
    QuantConfig fromKeys;
    bool anyField = false;
    for (const auto& [key, value] : parameters) {
        if (!key.startsWith(u"__quant__"))
            continue;
        const QString field = key.mid(9);
        if (field == u"preset") {
            presetParam = value;
        } else if (const auto f = fieldFromName(field); f && isValidFieldValue(*f, value)) {
            fromKeys.setValue(*f, value);
            anyField = true;
        }
    }
    if (anyField) {
        r.known = true;
        r.config = fromKeys;
        r.source = u"__quant__ parameters"_s;
        return finish(r);
    }
    if (!presetParam.isEmpty()) {
        r.source = u"__quant__preset parameter"_s;
        r.preset = presetParam;
        if (const auto c = presetConfig(presetParam)) {
            r.known = true;
            r.config = *c;
            // The autotuner never resolves preset names into flags (reference/autotuner.md §2.10): when the run
            // carries quant flags of its own (QuantDesk pins them), those flags are what the engine ran.
            QString how;
            const EngineProfile* profile = context.flagParameters ? guessProfile(parameters, context, &how) : nullptr;
            if (profile) {
                const QString sig = flagSignature(*profile, parameters);
                if (!sig.isEmpty() && commandSignature(*profile, *c) != sig) {
                    if (const auto ran = configFromFlags(*profile, parameters)) {
                        r.config = *ran;
                        r.preset.clear();
                        r.engine = profile->engine();
                        r.source = u"pinned flags (%1)"_s.arg(how);
                        r.note = u"__quant__preset says %1, but the engine ran the flags of %2 (the autotuner does not "
                                 "turn preset names into flags)"_s.arg(presetParam, ran->summary());
                    }
                }
            }
        } else {
            r.note = u"unknown preset '%1'"_s.arg(presetParam);
        }
        return finish(r);
    }

    // 2. Pinned flags, read back through the engine profile. A run that recorded no parameters at all is no evidence
    //    of running with the engine's defaults.
    const bool anyParameter = std::any_of(parameters.cbegin(), parameters.cend(), [](const QPair<QString, QString>& p) {
        return !p.first.startsWith(u"__");
    });
    if (context.flagParameters && anyParameter) {
        QString how;
        if (const EngineProfile* profile = guessProfile(parameters, context, &how)) {
            const QString sig = flagSignature(*profile, parameters);
            if (const auto c = configFromFlags(*profile, parameters)) {
                r.known = true;
                r.engine = profile->engine();
                r.config = *c;
                r.source = sig.isEmpty() ? u"no quant flags in the parameters (%1)"_s.arg(how)
                                         : u"pinned flags (%1)"_s.arg(how);
                // The task's own config says more when it produces the same flags.
                std::optional<QuantConfig> asked = context.config;
                if (!asked && !context.preset.isEmpty())
                    asked = presetConfig(context.preset);
                if (asked && *asked != *c) {
                    if (commandSignature(*profile, *asked) == sig) {
                        r.config = *asked;
                        r.source = u"%1, matching the pinned flags (%2)"_s.arg(
                            context.source.isEmpty() ? u"task quant_config"_s : context.source, how);
                    } else {
                        r.note = u"%1 asks for %2, but the engine ran with the flags of %3"_s.arg(
                            context.source.isEmpty() ? u"the task's quant_config"_s : context.source,
                            asked->summary(),
                            c->summary());
                    }
                }
                return finish(r);
            }
            r.note = u"the quant flags among the parameters match no quant config on %1"_s.arg(how);
        }
    }

    // 3. The context.
    if (context.config) {
        r.known = true;
        r.config = *context.config;
        r.source = context.source.isEmpty() ? u"task quant_config"_s : context.source;
        return finish(r);
    }
    if (!context.preset.isEmpty()) {
        r.preset = context.preset;
        r.source = context.source.isEmpty() ? u"task preset"_s : context.source;
        if (const auto c = presetConfig(context.preset)) {
            r.known = true;
            r.config = *c;
        }
        return finish(r);
    }

    // 4. A preset name in the task (or folder, or file) name.
    if (!context.taskName.isEmpty()) {
        const QString best = presetInName(context.taskName);
        if (!best.isEmpty()) {
            r.known = true;
            r.preset = best;
            r.config = *presetConfig(best);
            r.source = u"preset name in '%1'"_s.arg(context.taskName);
            return finish(r);
        }
    }
    return finish(r);
}

} // namespace QuantDesk
