#pragma once
// A section of the report and the pieces sections share. Each section is
// built by one function in its own file (section_*.cpp); a section whose
// inputs are missing says so in its text instead of failing.
#include <string>
#include <string_view>

#include "report/report_context.hpp"

namespace mpdstat::report {

struct Section {
    std::string id;     // HTML anchor
    std::string title;
    std::string html;   // the body
};

Section population_section(const ReportContext& ctx);    // residents, day / night, present population by hour
Section time_series_section(const ReportContext& ctx);   // present population by hour, displacement by day
Section flows_section(const ReportContext& ctx);         // OD trips, daily-location changes, commuting
Section tourism_section(const ReportContext& ctx);       // inbound and outbound by country
Section migration_section(const ReportContext& ctx);     // migration flows
Section input_qa_section(const ReportContext& ctx);      // qa/ingest.json, qa/spatial.json
Section disclosure_section(const ReportContext& ctx);    // qa/sdc.json
Section tier3_quality_section(const ReportContext& ctx); // tier3/quality.csv
Section methods_section(const ReportContext& ctx);       // method and parameters of each indicator

// <p class="note">…</p> (text is escaped).
std::string note(std::string_view text);
// The note for an input file that is not in the folder: "tier2/x.csv is not in this folder: WHY".
std::string missing_note(std::string_view relative_path, std::string_view why);
// A sentence saying whether values are Tier III estimates or Tier II device counts.
std::string tier_note(bool tier3);

}  // namespace mpdstat::report
