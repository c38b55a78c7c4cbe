#include "ingest/qa_report.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/atomic_file.hpp"
#include "common/error.hpp"

namespace mpdstat {

using json = nlohmann::ordered_json;

std::string_view check_status_name(CheckStatus s) {
    switch (s) {
        case CheckStatus::pass: return "PASS";
        case CheckStatus::warn: return "WARN";
        default: return "FAIL";
    }
}

namespace {

CheckStatus parse_status(const std::string& s) {
    if (s == "FAIL") return CheckStatus::fail;
    if (s == "WARN") return CheckStatus::warn;
    return CheckStatus::pass;
}

// Is x outside mean ± k·σ of the other days within ±window days?
template <class Get>
bool anomalous(const std::vector<DayQa>& days, size_t i, int window, double k, Get get) {
    std::vector<double> v;
    for (size_t j = 0; j < days.size(); ++j)
        if (j != i && std::abs(days[j].day - days[i].day) <= window) v.push_back(double(get(days[j])));
    if (v.size() < 3) return false;
    double mean = 0;
    for (double x : v) mean += x;
    mean /= double(v.size());
    double var = 0;
    for (double x : v) var += (x - mean) * (x - mean);
    double sd = std::sqrt(var / double(v.size() - 1));
    double x = double(get(days[i]));
    // A flat series (σ = 0) flags any day that differs from it by more than 1 %.
    if (sd == 0) return std::abs(x - mean) > 0.01 * mean;
    return std::abs(x - mean) > k * sd;
}

}  // namespace

void IngestQa::evaluate(const Config& config) {
    const auto& c = config.cleaning;
    for (size_t i = 0; i < days.size(); ++i) {
        days[i].anomalous_events = anomalous(days, i, c.anomaly_window_days, c.anomaly_sigma, [](const DayQa& d) { return d.events; });
        days[i].anomalous_devices = anomalous(days, i, c.anomaly_window_days, c.anomaly_sigma, [](const DayQa& d) { return d.devices; });
    }
    checks.clear();
    auto rate_check = [&](std::string name, double value, double warn, double fail, std::string what) {
        QaCheck k{std::move(name), CheckStatus::pass, value, fmt::format("WARN > {:g}, FAIL > {:g}", warn, fail), {}};
        if (value > fail) k.status = CheckStatus::fail;
        else if (value > warn) k.status = CheckStatus::warn;
        k.message = fmt::format("{:.3f}% of rows {}", 100 * value, what);
        checks.push_back(std::move(k));
    };
    double rows = rows_read ? double(rows_read) : 1.0;
    uint64_t input_errors = 0;
    for (size_t r = 0; r < kRejectReasons; ++r)
        if (is_input_error(static_cast<Reject>(r))) input_errors += by_reason[r];
    rate_check("input_error_rate", double(input_errors) / rows, c.error_rate_warn, c.error_rate_fail,
               "rejected by syntactic or referential rules");
    uint64_t cell_errors = by_reason[size_t(Reject::unknown_cell)] + by_reason[size_t(Reject::cell_not_valid)];
    rate_check("unknown_cell_rate", double(cell_errors) / rows, c.error_rate_warn, c.error_rate_fail,
               "name a cell unknown or not valid that day");
    uint64_t dups = by_reason[size_t(Reject::duplicate)] + by_reason[size_t(Reject::duplicate_conflict)];
    rate_check("duplicate_rate", double(dups) / rows, c.error_rate_warn, 1.0, "are duplicates");
    double dev = devices + machine_devices + hyperactive_devices + too_few_devices;
    rate_check("filtered_device_share",
               dev > 0 ? double(machine_devices + hyperactive_devices + too_few_devices) / dev : 0.0, c.error_rate_fail,
               1.0, "");
    checks.back().message = fmt::format("{} machine-like, {} hyperactive, {} with too few events of {} devices",
                                        machine_devices, hyperactive_devices, too_few_devices, uint64_t(dev));
    {
        size_t bad = 0, empty = 0;
        for (const auto& f : files) {
            bad += f.status == "truncated";
            empty += f.status == "empty";
        }
        checks.push_back({"files_intact", bad ? CheckStatus::fail : CheckStatus::pass, double(bad), "FAIL > 0",
                          fmt::format("{} of {} files truncated or corrupt", bad, files.size())});
        checks.push_back({"empty_files", empty ? CheckStatus::warn : CheckStatus::pass, double(empty), "WARN > 0",
                          fmt::format("{} of {} files empty", empty, files.size())});
    }
    {
        size_t n = 0;
        for (const auto& d : days) n += d.anomalous_events || d.anomalous_devices;
        checks.push_back({"anomalous_days", n ? CheckStatus::warn : CheckStatus::pass, double(n),
                          fmt::format("WARN > 0 (outside mean ± {:g} sd of ±{} days)", c.anomaly_sigma, c.anomaly_window_days),
                          fmt::format("{} of {} days with unusual events or devices", n, days.size())});
        checks.push_back({"missing_days", period_days_without_data.empty() ? CheckStatus::pass : CheckStatus::warn,
                          double(period_days_without_data.size()), "WARN > 0",
                          fmt::format("{} days of the period have no data", period_days_without_data.size())});
    }
    checks.push_back({"cell_plan_problems", cell_plan_problems.empty() ? CheckStatus::pass : CheckStatus::warn,
                      double(cell_plan_problems.size()), "WARN > 0",
                      fmt::format("{} rows of the cells file left out", cell_plan_problems.size())});
    double never = cells_in_plan ? double(cells_never_seen.size()) / double(cells_in_plan) : 0.0;
    checks.push_back({"cells_never_seen", never > 0.2 ? CheckStatus::warn : CheckStatus::pass, never, "WARN > 0.2",
                      fmt::format("{} of {} cells have no event", cells_never_seen.size(), cells_in_plan)});
    checks.push_back({"rows_accounted", rows_read == accepted + rejected ? CheckStatus::pass : CheckStatus::fail,
                      double(rows_read) - double(accepted + rejected), "FAIL != 0",
                      fmt::format("read {} = accepted {} + rejected {}", rows_read, accepted, rejected)});
}

CheckStatus IngestQa::overall() const {
    CheckStatus s = CheckStatus::pass;
    for (const auto& k : checks) s = std::max(s, k.status);
    return s;
}

std::string IngestQa::to_json() const {
    json j;
    j["rows_read"] = rows_read;
    j["accepted"] = accepted;
    j["rejected"] = rejected;
    json reasons = json::object();
    for (size_t r = 0; r < kRejectReasons; ++r) reasons[std::string(kRejectNames[r])] = by_reason[r];
    j["rejected_by_reason"] = reasons;
    j["duplicates"] = by_reason[size_t(Reject::duplicate)] + by_reason[size_t(Reject::duplicate_conflict)];
    j["flagged_kept"] = {{"suspicious_jump", suspicious_jumps_kept}, {"duplicate_conflict", duplicate_conflicts_kept}};
    j["devices"] = devices;
    j["devices_by_domain"] = {{"domestic", devices_by_domain[0]}, {"inbound", devices_by_domain[1]},
                              {"outbound", devices_by_domain[2]}};
    j["devices_filtered"] = {{"machine", machine_devices}, {"hyperactive", hyperactive_devices},
                             {"too_few_events", too_few_devices}};
    json jf = json::array();
    for (const auto& f : files)
        jf.push_back({{"path", f.path}, {"size", f.size}, {"sha256", f.sha256}, {"compression", f.compression},
                      {"rows", f.rows}, {"rejected", f.rejected}, {"status", f.status}, {"error", f.error}});
    j["files"] = jf;
    json jd = json::array();
    std::array<uint64_t, 3> dom{};
    for (const auto& d : days) {
        for (int k = 0; k < 3; ++k) dom[size_t(k)] += d.events_by_domain[size_t(k)];
        jd.push_back({{"day", format_day(d.day)}, {"events", d.events}, {"devices", d.devices},
                      {"events_domestic", d.events_by_domain[0]}, {"events_inbound", d.events_by_domain[1]},
                      {"events_outbound", d.events_by_domain[2]}, {"anomalous_events", d.anomalous_events},
                      {"anomalous_devices", d.anomalous_devices}});
    }
    j["days"] = jd;
    j["events_by_domain"] = {{"domestic", dom[0]}, {"inbound", dom[1]}, {"outbound", dom[2]}};
    json missing = json::array();
    for (Day d : period_days_without_data) missing.push_back(format_day(d));
    j["period_days_without_data"] = missing;
    j["cells"] = {{"in_plan", cells_in_plan}, {"seen", cells_seen}, {"never_seen", cells_never_seen}};
    json unk = json::array();
    for (const auto& [id, n] : unknown_cells) unk.push_back({{"cell_id", id}, {"rows", n}});
    j["unknown_cells"] = unk;
    j["cell_plan_problems"] = cell_plan_problems;
    json jc = json::array();
    for (const auto& k : checks)
        jc.push_back({{"check", k.name}, {"status", check_status_name(k.status)}, {"value", k.value},
                      {"threshold", k.threshold}, {"message", k.message}});
    j["checks"] = jc;
    j["status"] = check_status_name(overall());
    return j.dump(2) + "\n";
}

std::string IngestQa::summary() const {
    std::string s;
    s += fmt::format("Input quality: {}\n", check_status_name(overall()));
    s += fmt::format("  rows read {}  accepted {}  rejected {}  devices {}  days {}\n", rows_read, accepted, rejected,
                     devices, days.size());
    for (size_t r = 0; r < kRejectReasons; ++r)
        if (by_reason[r]) s += fmt::format("    rejected {:<24} {}\n", kRejectNames[r], by_reason[r]);
    for (const auto& k : checks)
        s += fmt::format("  [{}] {:<22} {}\n", check_status_name(k.status), k.name, k.message);
    for (const auto& f : files)
        if (f.status != "ok") s += fmt::format("  file {}: {}{}\n", f.path, f.status, f.error.empty() ? "" : " (" + f.error + ")");
    return s;
}

IngestQa load_ingest_qa(const std::filesystem::path& path) {
    if (!std::filesystem::exists(path))
        throw data_error(fmt::format("{}: no QA report; run 'mpdstat ingest CONFIG' first", path.string()));
    IngestQa q;
    try {
        json j = json::parse(read_file(path));
        q.rows_read = j.at("rows_read");
        q.accepted = j.at("accepted");
        q.rejected = j.at("rejected");
        for (size_t r = 0; r < kRejectReasons; ++r) q.by_reason[r] = j.at("rejected_by_reason").value(std::string(kRejectNames[r]), uint64_t(0));
        q.suspicious_jumps_kept = j.at("flagged_kept").at("suspicious_jump");
        q.duplicate_conflicts_kept = j.at("flagged_kept").at("duplicate_conflict");
        q.devices = j.at("devices");
        q.machine_devices = j.at("devices_filtered").at("machine");
        q.hyperactive_devices = j.at("devices_filtered").at("hyperactive");
        q.too_few_devices = j.at("devices_filtered").at("too_few_events");
        for (const auto& f : j.at("files"))
            q.files.push_back({f.at("path"), f.at("size"), f.at("sha256"), f.at("compression"), f.at("rows"),
                               f.at("rejected"), f.at("status"), f.at("error")});
        for (const auto& d : j.at("days")) {
            DayQa x;
            x.day = *parse_day(d.at("day").get<std::string>());
            x.events = d.at("events");
            x.devices = d.at("devices");
            x.anomalous_events = d.at("anomalous_events");
            x.anomalous_devices = d.at("anomalous_devices");
            q.days.push_back(x);
        }
        q.cells_in_plan = j.at("cells").at("in_plan");
        q.cells_seen = j.at("cells").at("seen");
        q.cells_never_seen = j.at("cells").at("never_seen").get<std::vector<std::string>>();
        for (const auto& k : j.at("checks"))
            q.checks.push_back({k.at("check"), parse_status(k.at("status")), k.at("value"), k.at("threshold"), k.at("message")});
    } catch (const nlohmann::json::exception& e) {
        throw data_error(fmt::format("{}: unreadable QA report ({})", path.string(), e.what()));
    }
    return q;
}

}  // namespace mpdstat
