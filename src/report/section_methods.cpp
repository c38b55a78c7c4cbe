// The method and the parameters of each indicator: a short text per indicator
// and the values of its settings as recorded in manifest.json.
#include <fmt/format.h>

#include "report/html.hpp"
#include "report/json_input.hpp"
#include "report/section.hpp"

namespace mpdstat::report {

namespace {

struct IndicatorMethod {
    const char* file;     // Tier II file name, without .csv
    const char* title;
    const char* method;
    std::vector<const char*> settings;  // manifest JSON pointers below /config
};

const std::vector<IndicatorMethod>& methods() {
    static const std::vector<IndicatorMethod> list = {
        {"present_population", "Present population",
         "Devices present in each zone at each time point. A device's location at a time is its segment (stay or "
         "move) covering it, else its nearest event within the presence window; a cell covering several zones "
         "counts in each with its weight.",
         {"/indicators/present_interval_minutes", "/indicators/present_window_minutes", "/devices/presence_window_minutes", "/devices/segmentation",
          "/devices/stay_min_minutes", "/spatial/method"}},
        {"day_night_population", "Day and night population",
         "Mean present population over the working hours of workdays (day) and over the night hours (night).",
         {"/anchors/work_start_hour", "/anchors/work_end_hour", "/anchors/night_start_hour", "/anchors/night_end_hour",
          "/anchors/holidays"}},
        {"usual_environment", "Residents and usual environment",
         "Devices by the zones of their anchors over the period: home (the residents), work, and the usual "
         "environment, found by the chosen rule set from the time spent per zone by night, by working hours and overall.",
         {"/anchors/rules", "/anchors/day_start_hour", "/anchors/ess_min_days", "/anchors/ess_home_share",
          "/anchors/ess_work_share", "/anchors/ess_ue_share", "/anchors/modal_window_days"}},
        {"od_trips", "Origin–destination trips",
         "Trips between consecutive stops in different zones, by date and hour of departure; shorter stops are stops on the way, "
         "ping-pong between the cells of one place is no trip, and a trip is shared between zones by its stops' cell weights.",
         {"/devices/segmentation", "/devices/stay_min_minutes", "/devices/move_max_gap_minutes",
          "/indicators/od_min_stay_minutes", "/indicators/od_oscillation_minutes"}},
        {"od_daily_locations", "Daily-location changes",
         "Devices by the zone of their daily location on one day and on the next (Flowminder).",
         {"/devices/daily_location", "/anchors/day_start_hour"}},
        {"commuting", "Commuting", "Devices by home zone and work zone, for devices with both anchors.",
         {"/anchors/rules"}},
        {"mobility", "Mobility",
         "Per home zone: distribution (mean, median, 90th percentile) of daily distance, radius of gyration and "
         "distinct zones of its devices.",
         {"/devices/segmentation"}},
        {"tourism_inbound", "Inbound tourism",
         "Roaming devices (network country from the MCC) by destination zone and month: visitors, trips (a new trip "
         "after a gap), nights; foreign SIMs that live in the country are left out.",
         {"/tourism/inbound_trip_gap_hours", "/tourism/inbound_gap_pace_factor", "/tourism/night_hour", "/tourism/inbound_resident_share", "/tourism/inbound_resident_stay_days", "/input/local_mcc"}},
        {"tourism_outbound", "Outbound tourism",
         "Domestic devices abroad (serving network's country) by origin zone, month and country visited: travellers, "
         "trips, nights; travellers_estimated adds those never seen abroad (Chao1 per country).",
         {"/tourism/outbound_trip_gap_hours", "/tourism/outbound_min_hours", "/tourism/night_hour",
          "/tourism/outbound_estimate_min_travellers"}},
        {"activity", "Activity", "Events, active devices and events per device by zone, day, event type and technology.",
         {}},
        {"displacement", "Displacement",
         "Residents of the affected zones (home over the baseline days before the event) by the zone where they are "
         "on each later day.",
         {"/displacement/event_date", "/displacement/affected_zones", "/displacement/baseline_days", "/displacement/fill_nights"}},
        {"migration", "Internal migration",
         "Devices whose home zone changed between a previous and a new period, by old and new home zone.",
         {"/migration/enabled", "/migration/previous_start", "/migration/previous_end", "/migration/new_start",
          "/migration/new_end"}},
    };
    return list;
}

std::string setting_value(const nlohmann::json& v) {
    if (v.is_string()) return v.get<std::string>().empty() ? "(not set)" : v.get<std::string>();
    if (v.is_array()) {
        if (v.empty()) return "(none)";
        std::string out;
        for (const auto& e : v) out += (out.empty() ? "" : ", ") + (e.is_string() ? e.get<std::string>() : e.dump());
        return out;
    }
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    return v.dump();
}

}  // namespace

Section methods_section(const ReportContext& ctx) {
    Section s{"methods", "Methods and parameters", ""};
    std::string& h = s.html;
    if (ctx.manifest.is_null()) h += missing_note("manifest.json", "the parameters of the run cannot be shown");
    else
        h += fmt::format("<p>mpdstat {}, config <code>{}</code> (SHA-256 <code>{}</code>); period {} to {}, time zone "
                         "{}; spatial model <code>{}</code>; disclosure threshold {} devices, noise {}.</p>",
                         html_escape(setting_value(ctx.manifest_value("/mpdstat_version"))),
                         html_escape(std::filesystem::path(setting_value(ctx.manifest_value("/config_file"))).filename().string()),
                         html_escape(setting_value(ctx.manifest_value("/config_sha256"))),
                         html_escape(setting_value(ctx.manifest_value("/config/input/period_start"))),
                         html_escape(setting_value(ctx.manifest_value("/config/input/period_end"))),
                         html_escape(setting_value(ctx.manifest_value("/config/input/timezone"))),
                         html_escape(setting_value(ctx.manifest_value("/config/spatial/method"))),
                         html_escape(setting_value(ctx.manifest_value("/config/sdc/min_devices"))),
                         html_escape(setting_value(ctx.manifest_value("/config/sdc/noise"))));
    h += R"(<table class="data methods"><thead><tr><th>indicator</th><th>method</th><th>parameters</th></tr></thead><tbody>)";
    std::error_code ec;
    for (const auto& m : methods()) {
        bool present = std::filesystem::exists(ctx.out_dir / "tier2" / (std::string(m.file) + ".csv"), ec);
        std::string params;
        for (const char* key : m.settings) {
            const auto& v = ctx.manifest_value(std::string("/config") + key);
            std::string name = std::string(key).substr(1);
            std::replace(name.begin(), name.end(), '/', '.');
            params += fmt::format("<code>{}</code> = {}<br>", html_escape(name),
                                  v.is_null() ? "<em>not recorded</em>" : html_escape(setting_value(v)));
        }
        h += fmt::format(R"(<tr><td><b>{}</b><br><code>{}.csv</code>{}</td><td>{}</td><td>{}</td></tr>)",
                         html_escape(m.title), m.file, present ? "" : "<br><em>not in this folder</em>",
                         html_escape(m.method), params.empty() ? "—" : params);
    }
    h += "</tbody></table>";
    h += "<p>Full definitions: <code>docs/indicators.md</code> and the files it links in the mpdstat documentation.</p>";
    return s;
}

}  // namespace mpdstat::report
