#include "audit/audit.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "audit/released_file.hpp"
#include "audit/rules.hpp"
#include "audit/zone_tree.hpp"
#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/publish.hpp"

namespace mpdstat::audit {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

constexpr size_t kFindingsInJson = 1000;  // the counts per rule are always complete

nlohmann::json read_sdc(const fs::path& out_dir) {
    fs::path p = out_dir / "qa" / "sdc.json";
    std::error_code ec;
    if (!fs::exists(p, ec)) return nlohmann::json::array();
    try {
        return nlohmann::json::parse(read_file(p));
    } catch (const nlohmann::json::exception& e) {
        throw data_error(fmt::format("{}: unreadable ({})", p.string(), e.what()));
    }
}

std::vector<fs::path> released_csvs(const fs::path& out_dir) {
    std::vector<fs::path> out;
    for (const char* sub : {"tier2", "tier3"}) {
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(out_dir / sub, ec))
            // tier3/quality.csv describes the tables (coverage, sensitivity), it counts nobody.
            if (e.is_regular_file() && e.path().extension() == ".csv" &&
                !(std::string_view(sub) == "tier3" && e.path().filename() == "quality.csv"))
                out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

uint64_t AuditReport::failures() const {
    return static_cast<uint64_t>(std::count_if(findings.begin(), findings.end(), [](const Finding& f) { return f.fails; }));
}

json AuditReport::to_json() const {
    json j;
    j["ok"] = ok();
    j["k"] = k;
    j["recorded_min_devices"] = recorded_k;
    j["files"] = files;
    j["rows"] = rows;
    j["findings_by_rule"] = findings_by_rule;
    j["findings"] = json::array();
    for (size_t i = 0; i < findings.size() && i < kFindingsInJson; ++i)
        j["findings"].push_back({{"rule", findings[i].rule}, {"file", findings[i].file}, {"line", findings[i].line},
                                 {"fails", findings[i].fails}, {"message", findings[i].message}});
    j["findings_total"] = findings.size();
    j["attacks"] = attacked ? attack.to_json() : json(nullptr);
    return j;
}

std::string AuditReport::summary() const {
    std::string s = fmt::format("Privacy audit: {} files, {} rows checked at k = {} (recorded min_devices {})\n", files,
                                rows, k, recorded_k);
    for (const char* rule : {"manifest", "policy", "threshold", "small_count", "suppressed_values", "identifier", "differencing",
                             "period_mean", "overlapping_windows"}) {
        auto it = findings_by_rule.find(rule);
        uint64_t n = it == findings_by_rule.end() ? 0 : it->second;
        s += fmt::format("  [{}] {:<20} {} finding{}\n", n ? "FAIL" : "PASS", rule, n, n == 1 ? "" : "s");
    }
    size_t shown = 0;
    for (const auto& f : findings)
        if (f.fails && shown++ < 10) s += fmt::format("    {}:{}: {}: {}\n", f.file, f.line, f.rule, f.message);
    if (shown > 10) s += fmt::format("    … {} more in qa/audit.json\n", shown - 10);
    if (auto it = findings_by_rule.find("single_top_row"); it != findings_by_rule.end())
        s += fmt::format("  [NOTE] {} suppressed rows are alone at the top level for their keys: they equal a national "
                         "total, if one is published (docs/audit.md)\n", it->second);
    if (attacked) {
        s += fmt::format("  [{}] attacks with the truth: {} of {} synthetic devices singled out ({:.2f} %)",
                         attack.singled_out ? "FAIL" : "PASS", attack.singled_out, attack.devices, 100.0 * attack.share());
        for (const auto& [name, n] : attack.by_attack) s += fmt::format("; {} {}", name, n);
        s += fmt::format("\n        (in the truth, {} devices have a unique home-work pair: the risk the release must hide)\n",
                         attack.unique_home_work);
    }
    s += ok() ? "Audit passed\n" : "Audit FAILED\n";
    return s;
}

AuditReport run_audit(const AuditOptions& o) {
    std::error_code ec;
    if (!fs::is_directory(o.out_dir / "tier2", ec) && !fs::is_directory(o.out_dir / "tier3", ec))
        throw usage_error(fmt::format("{}: no tier2/ or tier3/ folder; give the out_dir of a run", o.out_dir.string()));
    AuditReport report;
    const nlohmann::json sdc = read_sdc(o.out_dir);
    std::map<std::string, const nlohmann::json*> sdc_by_table;
    for (const auto& t : sdc)
        if (t.is_object() && t.contains("table")) sdc_by_table[t.at("table").get<std::string>()] = &t;
    for (const auto& [name, entry] : sdc_by_table) {
        uint64_t k = entry->value("min_devices", uint64_t(0));
        if (k && (!report.recorded_k || k < report.recorded_k)) report.recorded_k = k;
    }
    report.k = std::max(report.recorded_k, o.min_k);
    if (report.recorded_k && report.recorded_k < o.min_k)
        report.findings.push_back({"policy", "qa/sdc.json", 0,
                                   fmt::format("the run released values on min_devices = {}, below the audit's minimum {}",
                                               report.recorded_k, o.min_k)});
    if (sdc_by_table.empty())
        report.findings.push_back({"policy", "qa/sdc.json", 0, "no disclosure control recorded for this output"});

    // The files audited are the files published: the manifest lists each with its SHA-256.
    for (const auto& problem : verify_published(o.out_dir)) report.findings.push_back({"manifest", "manifest.json", 0, problem});

    const ZoneTree zones = ZoneTree::load(o.out_dir);
    std::map<std::string, ReleasedFile> files;
    std::vector<RecoveredCell> recovered;
    for (const auto& path : released_csvs(o.out_dir)) {
        auto it = sdc_by_table.find(path.stem().string());
        ReleasedFile f = load_released_file(path, it == sdc_by_table.end() ? nullptr : it->second);
        if (it == sdc_by_table.end())
            report.findings.push_back({"policy", f.label(), 0,
                                       "the file is not listed in qa/sdc.json: no record that it went through disclosure control"});
        ++report.files;
        report.rows += f.rows.size();
        check_threshold(f, report.k, report.findings);
        check_identifiers(f, report.findings);
        auto r = check_differencing(f, zones, report.findings);
        recovered.insert(recovered.end(), r.begin(), r.end());
        check_overlapping_windows(f, report.k, report.findings);
        files.emplace(f.name, std::move(f));
    }
    // Between tables: day / night means over present population.
    auto pp = files.find("present_population"), dn = files.find("day_night_population");
    if (pp != files.end() && dn != files.end()) {
        nlohmann::json manifest = nlohmann::json::object();
        std::error_code ec;
        if (fs::exists(o.out_dir / "manifest.json", ec)) {
            try {
                manifest = nlohmann::json::parse(read_file(o.out_dir / "manifest.json"));
            } catch (const nlohmann::json::exception&) {
            }
        }
        nlohmann::json anchors = manifest.contains("config") ? manifest["config"].value("anchors", nlohmann::json()) : nlohmann::json();
        if (anchors.is_null()) anchors = nlohmann::json::object();  // the documented defaults
        auto r = check_period_means(pp->second, dn->second, anchors, report.findings);
        recovered.insert(recovered.end(), r.begin(), r.end());
    }
    if (!o.truth_dir.empty()) {
        report.attacked = true;
        report.attack = run_linkage_attacks(files, recovered, zones, o.truth_dir, report.k);
    }
    for (const auto& f : report.findings) ++report.findings_by_rule[f.rule];
    write_file_atomically(o.out_dir / "qa" / "audit.json", report.to_json().dump(2) + "\n");
    return report;
}

}  // namespace mpdstat::audit
