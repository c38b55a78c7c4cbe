// The command line as a user meets it: exit codes and one-line errors.
#include <gtest/gtest.h>

#include "test_util.hpp"

namespace mpdstat {
namespace {

using test::run_cli;

TEST(Cli, VersionAndHelp) {
    auto v = run_cli("--version");
    EXPECT_EQ(v.exit_code, 0);
    EXPECT_NE(v.out.find("mpdstat 0."), std::string::npos);
    auto h = run_cli("ingest --help");
    EXPECT_EQ(h.exit_code, 0);
    EXPECT_NE(h.out.find("CONFIG"), std::string::npos);
    EXPECT_NE(h.out.find("--force"), std::string::npos);
}

TEST(Cli, UsageErrorsExitTwo) {
    EXPECT_EQ(run_cli("").exit_code, 2);
    EXPECT_EQ(run_cli("frobnicate").exit_code, 2);
    EXPECT_EQ(run_cli("ingest").exit_code, 2);
    auto r = run_cli("ingest /nonexistent/mpdstat.toml");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("/nonexistent/mpdstat.toml: config file not found"), std::string::npos) << r.out;
}

TEST(Cli, ConfigErrorNamesFileLineAndKey) {
    test::TempDir t;
    auto dir = test::copy_fixture("ingest/basic", t.path());
    std::string cfg = test::slurp(dir / "mpdstat.toml");
    cfg += "\n[run2]\nx = 1\n";
    test::spit(dir / "mpdstat.toml", cfg);
    auto r = run_cli("ingest " + (dir / "mpdstat.toml").string());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("mpdstat.toml:"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("unknown key 'run2'"), std::string::npos) << r.out;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << "one line: " << r.out;
}

TEST(Cli, IngestGateAndForce) {
    test::TempDir t;
    auto dir = test::copy_fixture("ingest/basic", t.path());
    std::string cfg = (dir / "mpdstat.toml").string();
    ::unsetenv("MPDSTAT_TEST_KEY");
    auto failed = test::run_cli("ingest " + cfg);  // no key in the environment
    EXPECT_EQ(failed.exit_code, 2);
    EXPECT_NE(failed.out.find("MPDSTAT_TEST_KEY"), std::string::npos) << failed.out;
    ::setenv("MPDSTAT_TEST_KEY", "a-test-key-of-more-than-16-bytes", 1);
    // The fixture breaks every rule on purpose: the input gate FAILs.
    auto gate = run_cli("ingest " + cfg);
    EXPECT_EQ(gate.exit_code, 1);
    EXPECT_NE(gate.out.find("input quality gate FAILed"), std::string::npos) << gate.out;
    EXPECT_NE(gate.out.find("[FAIL] input_error_rate"), std::string::npos) << gate.out;
    auto forced = run_cli("ingest --force " + cfg);
    EXPECT_EQ(forced.exit_code, 0) << forced.out;
    auto qa = run_cli("qa " + cfg);
    EXPECT_NE(qa.out.find("rows read 39"), std::string::npos) << qa.out;
    EXPECT_NE(qa.out.find("Event store: 3 days (2024-01-01 to 2024-01-03)"), std::string::npos) << qa.out;
    EXPECT_EQ(qa.exit_code, 1);
    EXPECT_EQ(gate.out.find("2217700000"), std::string::npos) << "no raw id on the terminal";
}

}  // namespace
}  // namespace mpdstat
