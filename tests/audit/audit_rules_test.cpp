// The audit's rules on small hand-made output folders: each rule fires on the
// leak it is for and stays quiet on a protected file.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "audit/audit.hpp"
#include "audit/released_file.hpp"
#include "audit/rules.hpp"
#include "common/error.hpp"
#include "test_util.hpp"

namespace mpdstat::audit {
namespace {

namespace fs = std::filesystem;

// region R1 ⊃ districts D1, D2, D3.
ZoneTree tree() {
    ZoneTree t;
    t.add_level("region");
    t.add_level("district");
    t.add_zone(0, "R1", "");
    for (const char* d : {"D1", "D2", "D3"}) t.add_zone(1, d, "R1");
    return t;
}

nlohmann::json layout(const std::string& table, bool hierarchical = true) {
    return {{"table", table},           {"min_devices", 15},          {"suppressed", "flag"},
            {"zone_columns", {"zone_id"}}, {"key_columns", {"date"}},   {"value_columns", {"devices"}},
            {"additive_values", 1},      {"hierarchical", hierarchical}, {"noise", {{"mechanism", "none"}}}};
}

ReleasedFile file(const test::TempDir& dir, const std::string& name, const std::string& csv, const nlohmann::json& sdc) {
    test::spit(dir / (name + ".csv"), csv);
    return load_released_file(dir / (name + ".csv"), &sdc);
}

const std::string kHeader = "zone_level,zone_id,date,devices,status,support\n";

std::vector<std::string> rules_of(const std::vector<Finding>& f) {
    std::vector<std::string> out;
    for (const auto& x : f) out.push_back(x.rule);
    return out;
}

TEST(AuditRules, TierThreeRowsEstimatedFromTheParentShowOnlyTheirEstimate) {
    test::TempDir t;
    fs::create_directories(t / "tier3");
    fs::create_directories(t / "tier2");
    const std::string header = "zone_level,zone_id,date,devices,status,support,estimate,ci_low,ci_high,quality\n";
    const std::string rows = "region,R1,2024-01-01,40,ok,40,4000,3800,4200,low\n"
                             "district,D1,2024-01-01,,estimated,,1200,900,1500,low\n"  // fine in Tier III
                             "district,D2,2024-01-01,9,estimated,,1300,900,1700,low\n";  // shows its Tier II count
    std::vector<Finding> out;
    check_threshold(file(t, "tier3/p", header + rows, layout("p")), 15, out);
    EXPECT_EQ(rules_of(out), (std::vector<std::string>{"suppressed_values"}));
    EXPECT_EQ(out.at(0).file, "tier3/p.csv");
    EXPECT_EQ(out.at(0).line, 4u);
    // Tier II has no estimated rows.
    out.clear();
    check_threshold(file(t, "tier2/p", header + rows, layout("p")), 15, out);
    EXPECT_EQ(rules_of(out), (std::vector<std::string>{"threshold", "threshold"}));
}

TEST(AuditRules, ThresholdOnSupportAndEmptySuppressedRows) {
    test::TempDir t;
    auto f = file(t, "p", kHeader +
                              "region,R1,2024-01-01,40,ok,40\n"
                              "district,D1,2024-01-01,14,ok,14\n"       // below k
                              "district,D2,2024-01-01,,suppressed,\n"   // fine
                              "district,D3,2024-01-01,3,suppressed,\n"  // shows its value
                              "district,D3,2024-01-02,20,ok,2.5\n"      // support not a whole number
                              "district,D3,2024-01-03,20,maybe,20\n",
                  layout("p"));
    std::vector<Finding> out;
    check_threshold(f, 15, out);
    EXPECT_EQ(rules_of(out), (std::vector<std::string>{"threshold", "suppressed_values", "threshold", "threshold"}));
    EXPECT_EQ(out[0].line, 3u);
    out.clear();
    check_threshold(f, 14, out);
    EXPECT_EQ(out.size(), 3u) << "14 passes k = 14";
}

TEST(AuditRules, SmallDeviceCountInsideAReleasedRow) {
    test::TempDir t;
    nlohmann::json sdc = layout("a");
    sdc["value_columns"] = {"active_devices", "data_devices"};
    auto f = file(t, "a",
                  "zone_level,zone_id,date,active_devices,data_devices,status,support\n"
                  "region,R1,2024-01-01,40,3,ok,40\n"
                  "region,R1,2024-01-02,40,0,ok,40\n",
                  sdc);
    std::vector<Finding> out;
    check_threshold(f, 15, out);
    ASSERT_EQ(rules_of(out), (std::vector<std::string>{"small_count"}));
    EXPECT_EQ(out[0].line, 2u);
}

TEST(AuditRules, IdentifierColumnsAndValues) {
    test::TempDir t;
    nlohmann::json sdc = layout("i");
    sdc["key_columns"] = {"date", "msisdn"};
    auto f = file(t, "i",
                  "zone_level,zone_id,date,msisdn,devices,status,support\n"
                  "region,R1,2024-01-01,x,40,ok,40\n"
                  "region,R1,2024-01-02,221701234574,40,ok,40\n"
                  "region,R1,2024-01-03,9f86d081884c7d65,40,ok,40\n",
                  sdc);
    std::vector<Finding> out;
    check_identifiers(f, out);
    ASSERT_EQ(out.size(), 3u);
    EXPECT_NE(out[0].message.find("'msisdn'"), std::string::npos);
    EXPECT_EQ(out[1].line, 3u);
    EXPECT_NE(out[1].message.find("subscriber number"), std::string::npos);
    EXPECT_NE(out[2].message.find("hash"), std::string::npos);
    // The value itself is never repeated in the report.
    for (const auto& x : out) EXPECT_EQ(x.message.find("221701234574"), std::string::npos);

    auto clean = file(t, "c", kHeader + "region,R1,2024-01-01,123456,ok,123456\n", layout("c"));
    out.clear();
    check_identifiers(clean, out);
    EXPECT_TRUE(out.empty()) << "a large count is a value, not an MSISDN";
}

TEST(AuditRules, DifferencingRecoversTheOneSuppressedSibling) {
    test::TempDir t;
    auto leaky = file(t, "p", kHeader +
                                  "region,R1,2024-01-01,54,ok,54\n"
                                  "district,D1,2024-01-01,30,ok,30\n"
                                  "district,D2,2024-01-01,20,ok,20\n"
                                  "district,D3,2024-01-01,,suppressed,\n",
                      layout("p"));
    std::vector<Finding> out;
    auto recovered = check_differencing(leaky, tree(), out);
    ASSERT_EQ(recovered.size(), 1u);
    EXPECT_EQ(recovered[0].row, 3u);
    EXPECT_DOUBLE_EQ(recovered[0].value, 4);
    ASSERT_EQ(rules_of(out), (std::vector<std::string>{"differencing"}));
    EXPECT_EQ(out[0].line, 5u);
    EXPECT_NE(out[0].message.find("devices 4"), std::string::npos) << out[0].message;

    // Secondary suppression applied: two unknowns, nothing recovered.
    auto safe = file(t, "q", kHeader +
                                 "region,R1,2024-01-01,54,ok,54\n"
                                 "district,D1,2024-01-01,30,ok,30\n"
                                 "district,D2,2024-01-01,,suppressed,\n"
                                 "district,D3,2024-01-01,,suppressed,\n",
                     layout("q"));
    out.clear();
    EXPECT_TRUE(check_differencing(safe, tree(), out).empty());
    EXPECT_TRUE(out.empty());

    // A suppressed parent is the sum of its released children; its recovery
    // is then used one level up (the top group: R1 alone is only a note).
    auto parent = file(t, "r", kHeader +
                                   "region,R1,2024-01-01,,suppressed,\n"
                                   "district,D1,2024-01-01,30,ok,30\n"
                                   "district,D2,2024-01-01,20,ok,20\n"
                                   "district,D3,2024-01-01,16,ok,16\n",
                       layout("r"));
    out.clear();
    recovered = check_differencing(parent, tree(), out);
    ASSERT_EQ(recovered.size(), 1u);
    EXPECT_DOUBLE_EQ(recovered[0].value, 66);

    // Not hierarchical (means, overlapping counts): no equations.
    auto flat = file(t, "s", kHeader +
                                 "region,R1,2024-01-01,54,ok,54\n"
                                 "district,D1,2024-01-01,30,ok,30\n"
                                 "district,D2,2024-01-01,20,ok,20\n"
                                 "district,D3,2024-01-01,,suppressed,\n",
                     layout("s", false));
    out.clear();
    EXPECT_TRUE(check_differencing(flat, tree(), out).empty());
}

TEST(AuditRules, AloneAtTheTopIsANoteNotAFailure) {
    test::TempDir t;
    auto f = file(t, "p", kHeader + "region,R1,2024-01-01,,suppressed,\n", layout("p"));
    std::vector<Finding> out;
    check_differencing(f, tree(), out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].rule, "single_top_row");
    EXPECT_FALSE(out[0].fails);
}

TEST(AuditRules, OverlappingWindowsDifferenceBelowK) {
    test::TempDir t;
    nlohmann::json sdc = layout("w");
    sdc["value_columns"] = {"active_devices_90d"};
    auto f = file(t, "w",
                  "zone_level,zone_id,date,active_devices_90d,status,support\n"
                  "region,R1,2024-01-01,100,ok,100\n"
                  "region,R1,2024-01-02,100,ok,100\n"
                  "region,R1,2024-01-03,104,ok,104\n"   // 4 devices seen only in the later window
                  "region,R1,2024-01-04,130,ok,130\n",
                  sdc);
    std::vector<Finding> out;
    check_overlapping_windows(f, 15, out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].line, 4u);
}

TEST(Audit, RefusesAFolderWithoutOutputs) {
    test::TempDir t;
    EXPECT_THROW(run_audit(AuditOptions{t.path(), {}, 10}), mpdstat::Error);
}

}  // namespace
}  // namespace mpdstat::audit

namespace mpdstat::audit {
namespace {

TEST(AuditRules, PeriodMeanGivesAwayItsOnlySuppressedTimePoint) {
    test::TempDir t;
    nlohmann::json pp_layout = layout("present_population");
    pp_layout["key_columns"] = {"time"};
    nlohmann::json dn_layout = layout("day_night_population");
    dn_layout["key_columns"] = {"period_start", "period_end", "label"};
    // Night = 22:00–02:00 here: three of the four night points are released.
    auto pp = file(t, "present_population",
                   "zone_level,zone_id,time,devices,status,support\n"
                   "region,R1,2024-01-01T21:00:00+00:00,99,ok,99\n"
                   "region,R1,2024-01-01T22:00:00+00:00,20,ok,20\n"
                   "region,R1,2024-01-01T23:00:00+00:00,,suppressed,\n"
                   "region,R1,2024-01-02T00:00:00+00:00,18,ok,18\n"
                   "region,R1,2024-01-02T01:00:00+00:00,16,ok,16\n",
                   pp_layout);
    auto dn = file(t, "day_night_population",
                   "zone_level,zone_id,period_start,period_end,label,devices,status,support\n"
                   "region,R1,2024-01-01,2024-01-02,night,17.5,ok,15\n",
                   dn_layout);
    nlohmann::json anchors = {{"night_start_hour", 22}, {"night_end_hour", 2}, {"work_start_hour", 8},
                              {"work_end_hour", 17}, {"holidays", nlohmann::json::array()}};
    std::vector<Finding> out;
    auto recovered = check_period_means(pp, dn, anchors, out);
    ASSERT_EQ(recovered.size(), 1u);
    EXPECT_EQ(recovered[0].row, 2u);
    EXPECT_DOUBLE_EQ(recovered[0].value, 17.5 * 4 - 20 - 18 - 16);
    ASSERT_EQ(rules_of(out), (std::vector<std::string>{"period_mean"}));
    EXPECT_EQ(out[0].line, 4u);

    // The mean withheld: nothing to solve.
    auto withheld = file(t, "dn2",
                         "zone_level,zone_id,period_start,period_end,label,devices,status,support\n"
                         "region,R1,2024-01-01,2024-01-02,night,,suppressed,\n",
                         dn_layout);
    out.clear();
    EXPECT_TRUE(check_period_means(pp, withheld, anchors, out).empty());
}

}  // namespace
}  // namespace mpdstat::audit
