// `mpdstat audit` end to end on the `test` preset: the default run is clean;
// a run without protection, or a tampered file, is caught (exit 1).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "synth/generator.hpp"
#include "test_util.hpp"

namespace mpdstat {
namespace {

namespace fs = std::filesystem;

fs::path scenario(const test::TempDir& t, const std::string& extra_toml = "") {
    synth::generate(synth::preset_options("test"), t.path());
    if (!extra_toml.empty()) test::spit(t / "mpdstat.toml", test::slurp(t / "mpdstat.toml") + extra_toml);
    auto r = test::run_cli("run --force " + (t / "mpdstat.toml").string());
    EXPECT_EQ(r.exit_code, 0) << r.out;
    return t / "out";
}

nlohmann::json audit_json(const fs::path& out) { return nlohmann::json::parse(test::slurp(out / "qa/audit.json")); }

TEST(AuditCli, DefaultRunIsCleanAndNobodyIsSingledOut) {
    test::TempDir t;
    auto out = scenario(t);
    auto r = test::run_cli("audit " + out.string() + " --truth " + (t / "truth").string());
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("Audit passed"), std::string::npos) << r.out;
    auto j = audit_json(out);
    EXPECT_TRUE(j["ok"].get<bool>());
    EXPECT_EQ(j["k"], 15);
    EXPECT_EQ(j["files"], 15);  // the Tier II files of the test scenario
    EXPECT_GT(j["attacks"]["devices"].get<int>(), 150);
    EXPECT_EQ(j["attacks"]["singled_out"], 0);
    EXPECT_GT(j["attacks"]["unique_home_work_in_truth"].get<int>(), 0) << "the truth holds people worth protecting";
}

TEST(AuditCli, ThresholdOfOneIsCaughtAndSinglesPeopleOut) {
    test::TempDir t;
    auto out = scenario(t, "\n[sdc]\nmin_devices = 1\n");
    auto r = test::run_cli("audit " + out.string() + " --truth " + (t / "truth").string());
    EXPECT_EQ(r.exit_code, 1) << r.out;
    auto j = audit_json(out);
    EXPECT_FALSE(j["ok"].get<bool>());
    EXPECT_EQ(j["recorded_min_devices"], 1);
    EXPECT_EQ(j["k"], 10) << "checked at the audit's minimum, not the run's";
    EXPECT_GT(j["findings_by_rule"]["threshold"].get<int>(), 0);
    EXPECT_EQ(j["findings_by_rule"]["policy"], 1);
    EXPECT_GT(j["attacks"]["singled_out_share"].get<double>(), 0.5);
}

TEST(AuditCli, NoSecondarySuppressionIsCaughtByDifferencing) {
    test::TempDir t;
    auto out = scenario(t, "\n[sdc]\nsecondary = false\n");
    auto r = test::run_cli("audit " + out.string() + " --truth " + (t / "truth").string());
    EXPECT_EQ(r.exit_code, 1) << r.out;
    auto j = audit_json(out);
    EXPECT_GT(j["findings_by_rule"]["differencing"].get<int>(), 0);
    EXPECT_EQ(j["findings_by_rule"].count("threshold"), 0u);
    EXPECT_GT(j["attacks"]["singled_out"].get<int>(), 0) << "recovered small cells link to known people";
}

TEST(AuditCli, HandTamperedFilesAreCaught) {
    test::TempDir t;
    auto out = scenario(t);
    // Un-suppress one commuting cell with its true small count, and add an id column to another file.
    std::string commuting = test::slurp(out / "tier2/commuting.csv");
    size_t at = commuting.find(",,suppressed,\n");
    ASSERT_NE(at, std::string::npos);
    commuting.replace(at, 14, ",3,ok,3\n");
    test::spit(out / "tier2/commuting.csv", commuting);
    test::spit(out / "tier2/leak.csv", "zone_level,zone_id,user_id,status,support\nregion,R1,221701234574,ok,20\n");
    auto r = test::run_cli("audit " + out.string());
    EXPECT_EQ(r.exit_code, 1) << r.out;
    auto j = audit_json(out);
    EXPECT_EQ(j["findings_by_rule"]["threshold"], 1);
    EXPECT_GE(j["findings_by_rule"]["identifier"].get<int>(), 2) << "the column name and its value";
    EXPECT_EQ(j["findings_by_rule"]["policy"], 1) << "leak.csv is not in qa/sdc.json";
    EXPECT_TRUE(j["attacks"].is_null());
    EXPECT_EQ(j["findings_by_rule"]["manifest"], 1) << "commuting.csv no longer matches its SHA-256";
}

TEST(AuditCli, UsageErrors) {
    test::TempDir t;
    EXPECT_EQ(test::run_cli("audit " + t.path().string()).exit_code, 2);
    EXPECT_EQ(test::run_cli("audit").exit_code, 2);
}

}  // namespace
}  // namespace mpdstat
