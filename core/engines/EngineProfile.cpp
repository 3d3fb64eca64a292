#include "EngineProfile.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <algorithm>
#include <functional>

#include <nlohmann/json.hpp>

using namespace Qt::StringLiterals;
using json = nlohmann::json;

// Q_INIT_RESOURCE must run at global namespace scope: the resources live in the static core library.
static void initEngineResources()
{
    Q_INIT_RESOURCE(engines);
}

namespace QuantDesk
{

namespace
{

QString qs(const json& j)
{
    return j.is_string() ? QString::fromStdString(j.get<std::string>()) : QString();
}

QStringList stringList(const json& j)
{
    QStringList out;
    if (j.is_array()) {
        for (const json& v : j) {
            if (v.is_string())
                out << qs(v);
            else if (v.is_number() || v.is_boolean())
                out << QString::fromStdString(v.dump());
        }
    }
    return out;
}

// Flattens {"kv_cache_config": {"dtype": "fp8"}} into {"kv_cache_config.dtype": "fp8"}.
void flattenYaml(const json& j, const QString& prefix, QMap<QString, QString>* out)
{
    if (!j.is_object())
        return;
    for (auto it = j.begin(); it != j.end(); ++it) {
        const QString key =
            prefix.isEmpty() ? QString::fromStdString(it.key()) : prefix + u'.' + QString::fromStdString(it.key());
        if (it->is_object())
            flattenYaml(*it, key, out);
        else
            out->insert(key, it->is_string() ? qs(*it) : QString::fromStdString(it->dump()));
    }
}

struct VersionKey
{
    QList<int> numbers;
    int preRank = 3; // dev 0, a 1, b 2, rc 2.5→ use 3 for release; see below
    int preNumber = 0;
};

VersionKey parseVersion(const QString& text)
{
    VersionKey key;
    QString v = text.trimmed().toLower();
    if (v.startsWith(u'v'))
        v.remove(0, 1);
    const int plus = v.indexOf(u'+');
    if (plus >= 0)
        v.truncate(plus);
    static const QRegularExpression re(u"^([0-9]+(?:\\.[0-9]+)*)(?:\\.?(dev|a|b|rc|post)\\.?([0-9]*))?"_s);
    const auto m = re.match(v);
    if (!m.hasMatch())
        return key;
    for (const QString& part : m.captured(1).split(u'.'))
        key.numbers << part.toInt();
    while (key.numbers.size() > 1 && key.numbers.constLast() == 0)
        key.numbers.removeLast();
    const QString pre = m.captured(2);
    // Ranks: dev < a < b < rc < release < post.
    if (pre == u"dev")
        key.preRank = 0;
    else if (pre == u"a")
        key.preRank = 1;
    else if (pre == u"b")
        key.preRank = 2;
    else if (pre == u"rc")
        key.preRank = 3;
    else if (pre == u"post")
        key.preRank = 5;
    else
        key.preRank = 4;
    key.preNumber = m.captured(3).toInt();
    return key;
}

} // namespace

QString supportLevelKey(SupportLevel level)
{
    switch (level) {
    case SupportLevel::Native:
        return u"native"_s;
    case SupportLevel::Translated:
        return u"translated"_s;
    case SupportLevel::Checkpoint:
        return u"checkpoint"_s;
    case SupportLevel::Implicit:
        return u"implicit"_s;
    case SupportLevel::Unsupported:
        return u"unsupported"_s;
    }
    return {};
}

std::optional<SupportLevel> supportLevelFromKey(const QString& key)
{
    for (const SupportLevel l : {SupportLevel::Native,
                                 SupportLevel::Translated,
                                 SupportLevel::Checkpoint,
                                 SupportLevel::Implicit,
                                 SupportLevel::Unsupported}) {
        if (supportLevelKey(l) == key)
            return l;
    }
    return std::nullopt;
}

int compareVersions(const QString& a, const QString& b)
{
    const VersionKey ka = parseVersion(a);
    const VersionKey kb = parseVersion(b);
    const qsizetype n = std::max(ka.numbers.size(), kb.numbers.size());
    for (qsizetype i = 0; i < n; ++i) {
        const int x = i < ka.numbers.size() ? ka.numbers.at(i) : 0;
        const int y = i < kb.numbers.size() ? kb.numbers.at(i) : 0;
        if (x != y)
            return x < y ? -1 : 1;
    }
    if (ka.preRank != kb.preRank)
        return ka.preRank < kb.preRank ? -1 : 1;
    if (ka.preNumber != kb.preNumber)
        return ka.preNumber < kb.preNumber ? -1 : 1;
    return 0;
}

std::optional<EngineProfile> EngineProfile::fromJson(const QByteArray& data, QString* error)
{
    auto fail = [error](const QString& what) -> std::optional<EngineProfile> {
        if (error)
            *error = what;
        return std::nullopt;
    };
    json doc;
    try {
        doc = json::parse(data.constBegin(), data.constEnd());
    } catch (const json::exception& e) {
        return fail(u"not valid JSON: %1"_s.arg(QString::fromUtf8(e.what())));
    }
    if (!doc.is_object())
        return fail(u"/: expected an object"_s);
    for (const char* key : {"engine", "version", "launch", "flags", "mapping"}) {
        if (!doc.contains(key))
            return fail(u"/%1: missing"_s.arg(QString::fromLatin1(key)));
    }
    EngineProfile p;
    p.m_engine = qs(doc["engine"]);
    p.m_displayName = qs(doc.value("display_name", json(doc["engine"])));
    p.m_version = qs(doc["version"]);
    p.m_versionLabel = qs(doc.value("version_label", json(doc["version"])));
    if (doc.contains("source") && doc["source"].is_object())
        p.m_sourceCommit = qs(doc["source"].value("commit", json("")));
    p.m_launch = stringList(doc["launch"]);
    p.m_configFlag = qs(doc.value("config_flag", json("")));
    p.m_configFile = qs(doc.value("config_file", json("")));
    if (doc.contains("parser") && doc["parser"].is_object()) {
        const json& parser = doc["parser"];
        p.m_underscoreIsDash = parser.value("underscore_is_dash", false);
        p.m_boolNegation = parser.value("bool_negation", false);
        p.m_caseInsensitive = stringList(parser.value("case_insensitive_values", json::array()));
    }
    if (p.m_engine.isEmpty() || p.m_version.isEmpty() || p.m_launch.isEmpty())
        return fail(u"/engine, /version and /launch must be non-empty"_s);

    const json& flags = doc["flags"];
    if (!flags.is_object() || flags.empty())
        return fail(u"/flags: expected a non-empty object"_s);
    for (auto it = flags.begin(); it != flags.end(); ++it) {
        if (!it->is_object())
            return fail(u"/flags/%1: expected an object"_s.arg(QString::fromStdString(it.key())));
        FlagSpec f;
        f.name = QString::fromStdString(it.key());
        f.takesValue = it->value("takes_value", false);
        if (it->contains("choices") && (*it)["choices"].is_array())
            f.choices = stringList((*it)["choices"]);
        if (it->contains("validated_values"))
            f.validatedValues = stringList((*it)["validated_values"]);
        if (it->contains("aliases"))
            f.aliases = stringList((*it)["aliases"]);
        f.since = qs(it->value("since", json("")));
        f.deprecated = it->contains("deprecated") && !(*it)["deprecated"].is_null() && (*it)["deprecated"] != false;
        if (it->contains("nargs") && !(*it)["nargs"].is_null())
            f.nargs = (*it)["nargs"].is_string() ? qs((*it)["nargs"]) : QString::fromStdString((*it)["nargs"].dump());
        p.m_flags.insert(f.name, f);
    }
    for (const FlagSpec& f : std::as_const(p.m_flags)) {
        for (const QString& a : f.aliases) {
            if (!p.m_flags.contains(a))
                p.m_aliases.insert(a, f.name);
        }
    }
    // Group spellings linked by aliases (both directions); the representative is the smallest "--" name.
    {
        QHash<QString, QString> parent;
        std::function<QString(const QString&)> root = [&](const QString& x) -> QString {
            QString r = x;
            while (parent.contains(r) && parent.value(r) != r)
                r = parent.value(r);
            return r;
        };
        auto unite = [&](const QString& a, const QString& b) {
            const QString ra = root(a);
            const QString rb = root(b);
            if (ra == rb)
                return;
            const bool aLong = ra.startsWith(u"--");
            const bool bLong = rb.startsWith(u"--");
            const bool keepA = (aLong != bLong) ? aLong : ra < rb;
            if (keepA)
                parent.insert(rb, ra);
            else
                parent.insert(ra, rb);
        };
        for (const FlagSpec& f : std::as_const(p.m_flags)) {
            if (!parent.contains(f.name))
                parent.insert(f.name, f.name);
            for (const QString& a : f.aliases) {
                if (!parent.contains(a))
                    parent.insert(a, a);
                unite(f.name, a);
            }
        }
        for (auto it = parent.cbegin(); it != parent.cend(); ++it)
            p.m_canonical.insert(it.key(), root(it.key()));
    }

    if (doc.contains("yaml_options") && doc["yaml_options"].is_object()) {
        for (auto it = doc["yaml_options"].begin(); it != doc["yaml_options"].end(); ++it)
            p.m_yamlOptions.insert(QString::fromStdString(it.key()), stringList(*it));
    }

    const json& mapping = doc["mapping"];
    for (const QuantField field : kQuantFields) {
        const std::string key = fieldShortName(field).toStdString();
        if (!mapping.contains(key) || !mapping[key].is_object())
            return fail(u"/mapping/%1: missing"_s.arg(fieldShortName(field)));
        for (const QString& value : fieldValues(field)) {
            const std::string vkey = value.toStdString();
            const QString pointer = u"/mapping/%1/%2"_s.arg(fieldShortName(field), value);
            if (!mapping[key].contains(vkey))
                return fail(pointer + u": missing"_s);
            const json& r = mapping[key][vkey];
            MappingRule rule;
            const auto level = supportLevelFromKey(qs(r.value("level", json(""))));
            if (!level)
                return fail(pointer + u"/level: not a support level"_s);
            rule.level = *level;
            rule.args = stringList(r.value("args", json::array()));
            if (rule.args.size() % 2 != 0)
                return fail(pointer + u"/args: expected flag/value pairs"_s);
            for (qsizetype i = 0; i < rule.args.size(); i += 2) {
                QString why;
                if (!p.validate(rule.args.at(i), rule.args.at(i + 1), true, &why))
                    return fail(pointer + u"/args: "_s + why);
            }
            flattenYaml(r.value("yaml", json::object()), {}, &rule.yaml);
            flattenYaml(r.value("yaml_fallback", json::object()), {}, &rule.yamlFallback);
            rule.note = qs(r.value("note", json("")));
            rule.translation = qs(r.value("translation", json("")));
            rule.fix = qs(r.value("fix", json("")));
            rule.quantMethod = qs(r.value("quant_method", json("")));
            rule.online = r.value("online", false);
            rule.kvFp8 = qs(r.value("kv_fp8", json("")));
            rule.viaKv = qs(r.value("via_kv", json("")));
            rule.tritonOnly = r.value("triton_only", false);
            rule.quantizesDense = r.value("quantizes_dense", false);
            rule.needsFp8Checkpoint = r.value("needs_fp8_checkpoint", false);
            rule.coveredByGemm = stringList(r.value("covered_by_gemm", json::array()));
            if (r.contains("alternatives") && r["alternatives"].is_array()) {
                for (const json& alt : r["alternatives"])
                    rule.alternatives << stringList(alt);
            }
            p.m_mapping[field].insert(value, rule);
        }
    }
    if (doc.contains("seed") && doc["seed"].is_object()) {
        for (const QuantField field : kQuantFields) {
            const json& s = doc["seed"].value(fieldShortName(field).toStdString(), json::array());
            const QStringList parts = stringList(s);
            if (!parts.isEmpty())
                p.m_seed.insert(field, SeedClaim{parts.value(0), parts.value(1)});
        }
    }
    return p;
}

QStringList EngineProfile::flagNames() const
{
    QStringList names = m_flags.keys();
    names.sort();
    return names;
}

const FlagSpec* EngineProfile::findFlag(const QString& nameIn) const
{
    QString name = nameIn.trimmed();
    const int eq = name.indexOf(u'=');
    if (eq > 0)
        name.truncate(eq);
    if (!name.startsWith(u'-'))
        name = (name.size() == 1 ? u"-"_s : u"--"_s) + name;
    auto lookup = [this](const QString& n) -> const FlagSpec* {
        auto it = m_flags.constFind(n);
        if (it != m_flags.cend())
            return &it.value();
        auto a = m_aliases.constFind(n);
        if (a != m_aliases.cend())
            return &m_flags.find(a.value()).value();
        return nullptr;
    };
    if (const FlagSpec* f = lookup(name))
        return f;
    if (m_underscoreIsDash && name.startsWith(u"--")) {
        QString dashed = name;
        dashed.replace(u'_', u'-');
        if (const FlagSpec* f = lookup(dashed))
            return f;
    }
    return nullptr;
}

QString EngineProfile::canonicalName(const QString& flag) const
{
    const FlagSpec* spec = findFlag(flag);
    if (!spec)
        return flag;
    // findFlag resolved '_' / aliases without an entry; map the entry's own name to its group.
    QString name = flag.trimmed();
    if (!name.startsWith(u'-'))
        name = (name.size() == 1 ? u"-"_s : u"--"_s) + name;
    if (!m_flags.contains(name) && !m_aliases.contains(name))
        name = spec->name;
    return m_canonical.value(name, m_canonical.value(spec->name, spec->name));
}

bool EngineProfile::flagAvailable(const FlagSpec& flag, const QString& engineVersion) const
{
    if (flag.since.isEmpty())
        return true;
    if (flag.since == u"unverified")
        return false;
    const QString v = engineVersion.isEmpty() ? m_version : engineVersion;
    return compareVersions(v, flag.since) >= 0;
}

bool EngineProfile::validate(const QString& flag, const QString& value, bool hasValue, QString* error) const
{
    const FlagSpec* spec = findFlag(flag);
    if (!spec) {
        if (error)
            *error = u"%1 is not an option of %2 %3"_s.arg(flag, m_displayName, m_version);
        return false;
    }
    if (!spec->takesValue) {
        if (hasValue && !value.isEmpty()) {
            if (error)
                *error = u"%1 takes no value"_s.arg(spec->name);
            return false;
        }
        return true;
    }
    if (!hasValue) {
        if (error)
            *error = u"%1 needs a value"_s.arg(spec->name);
        return false;
    }
    const QStringList& allowed = spec->allowedValues();
    if (allowed.isEmpty() || !(spec->nargs.isEmpty() || spec->nargs == u"?"))
        return true;
    if (allowed.contains(value))
        return true;
    if (m_caseInsensitive.contains(spec->name)) {
        QString normalised = value;
        normalised.replace(u'-', u'_');
        for (const QString& a : allowed) {
            if (a.compare(normalised, Qt::CaseInsensitive) == 0)
                return true;
        }
    }
    if (error)
        *error = u"%1: '%2' is not accepted by %3 %4 (valid: %5)"_s.arg(
            spec->name, value, m_displayName, m_version, allowed.join(u", "_s));
    return false;
}

const MappingRule& EngineProfile::rule(QuantField field, const QString& value) const
{
    static const MappingRule unsupported = [] {
        MappingRule r;
        r.level = SupportLevel::Unsupported;
        r.note = u"no mapping rule for this value"_s;
        return r;
    }();
    auto f = m_mapping.constFind(field);
    if (f == m_mapping.cend())
        return unsupported;
    auto r = f->constFind(value);
    return r == f->cend() ? unsupported : r.value();
}

bool EngineProfile::hasRule(QuantField field, const QString& value) const
{
    return m_mapping.value(field).contains(value);
}

// ---------------------------------------------------------------------------------------------------------------

ProfileRegistry::ProfileRegistry()
{
    initEngineResources();
    const QDir dir(u":/engines"_s);
    const QStringList files = dir.entryList({u"*.json"_s}, QDir::Files, QDir::Name);
    for (const QString& name : files) {
        QFile f(dir.filePath(name));
        if (!f.open(QIODevice::ReadOnly)) {
            m_errors << u"%1: %2"_s.arg(name, f.errorString());
            continue;
        }
        QString error;
        auto profile = EngineProfile::fromJson(f.readAll(), &error);
        if (!profile) {
            m_errors << u"%1: %2"_s.arg(name, error);
            continue;
        }
        m_profiles << *profile;
    }
    std::sort(m_profiles.begin(), m_profiles.end(), [](const EngineProfile& a, const EngineProfile& b) {
        if (a.engine() != b.engine())
            return a.engine() < b.engine();
        return compareVersions(a.version(), b.version()) < 0;
    });
}

const ProfileRegistry& ProfileRegistry::builtIn()
{
    static const ProfileRegistry registry;
    return registry;
}

QStringList ProfileRegistry::engines() const
{
    // Fixed, familiar order rather than alphabetical.
    QStringList out;
    for (const QString& e : {u"vllm"_s, u"sglang"_s, u"trtllm"_s}) {
        if (!profiles(e).isEmpty())
            out << e;
    }
    for (const EngineProfile& p : m_profiles) {
        if (!out.contains(p.engine()))
            out << p.engine();
    }
    return out;
}

QList<const EngineProfile*> ProfileRegistry::profiles(const QString& engine) const
{
    QList<const EngineProfile*> out;
    for (const EngineProfile& p : m_profiles) {
        if (p.engine() == engine)
            out << &p;
    }
    return out;
}

const EngineProfile* ProfileRegistry::select(const QString& engine, const QString& version, QString* note) const
{
    const QList<const EngineProfile*> candidates = profiles(engine);
    if (candidates.isEmpty())
        return nullptr;
    if (version.trimmed().isEmpty())
        return candidates.constLast();
    const EngineProfile* best = nullptr;
    for (const EngineProfile* p : candidates) {
        if (compareVersions(p->version(), version) == 0)
            return p;
    }
    // Nearest: the newest profile not newer than the requested version, else the oldest one.
    for (const EngineProfile* p : candidates) {
        if (compareVersions(p->version(), version) <= 0)
            best = p;
    }
    if (!best)
        best = candidates.constFirst();
    if (note) {
        *note = u"no %1 profile for version %2; using the nearest, %3 (%4)"_s.arg(
            engineDisplayName(engine), version, best->version(), best->versionLabel());
    }
    return best;
}

QString ProfileRegistry::engineDisplayName(const QString& engine)
{
    if (engine == u"vllm")
        return u"vLLM"_s;
    if (engine == u"sglang")
        return u"SGLang"_s;
    if (engine == u"trtllm")
        return u"TensorRT-LLM"_s;
    return engine;
}

} // namespace QuantDesk
