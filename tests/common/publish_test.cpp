// Publishing a staging folder: all at once, stale files removed, and a
// publish interrupted between its steps completed by the next one.
#include "common/publish.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_util.hpp"

namespace mpdstat {
namespace {

namespace fs = std::filesystem;

void stage(const fs::path& out, const std::map<std::string, std::string>& files) {
    fs::path s = prepare_staging(out, false);
    for (const auto& [name, text] : files) test::spit(s / name, text);
}

TEST(Publish, MovesEveryFileAndListsItsChecksum) {
    test::TempDir t;
    stage(t.path(), {{"tier2/a.csv", "a1"}, {"qa/sdc.json", "[]"}});
    auto files = publish_staging(t.path());
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files[0].path, "qa/sdc.json");
    EXPECT_EQ(test::slurp(t / "tier2/a.csv"), "a1");
    EXPECT_FALSE(fs::exists(t / ".staging"));
    EXPECT_FALSE(fs::exists(t / ".publish.json"));
    auto m = nlohmann::json::parse(test::slurp(t / "manifest.json"));
    EXPECT_EQ(m["outputs"]["status"], "complete");
    EXPECT_EQ(m["outputs"]["files"][1]["path"], "tier2/a.csv");
    EXPECT_EQ(m["outputs"]["files"][1]["size"], 2);
    EXPECT_TRUE(verify_published(t.path()).empty());

    // The next publish replaces a.csv, adds b.csv and removes nothing it did not list.
    test::spit(t / "notes.txt", "the user's own file");
    stage(t.path(), {{"tier2/b.csv", "b"}});
    publish_staging(t.path());
    EXPECT_FALSE(fs::exists(t / "tier2/a.csv")) << "listed before, not produced now: stale";
    EXPECT_FALSE(fs::exists(t / "qa/sdc.json"));
    EXPECT_TRUE(fs::exists(t / "notes.txt"));
    EXPECT_TRUE(verify_published(t.path()).empty());
}

TEST(Publish, VerifyFindsChangedAndMissingFiles) {
    test::TempDir t;
    stage(t.path(), {{"tier2/a.csv", "a1"}, {"tier2/b.csv", "b1"}});
    publish_staging(t.path());
    test::spit(t / "tier2/a.csv", "a2");
    fs::remove(t / "tier2/b.csv");
    auto problems = verify_published(t.path());
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_NE(problems[0].find("a.csv: does not match the SHA-256"), std::string::npos) << problems[0];
    EXPECT_NE(problems[1].find("b.csv: listed in the manifest but missing"), std::string::npos) << problems[1];
}

TEST(Publish, InterruptedPublishIsCompletedByTheNextRun) {
    test::TempDir t;
    stage(t.path(), {{"tier2/a.csv", "old"}});
    publish_staging(t.path());
    // A publish killed after its journal and one move: new a.csv in place,
    // b.csv and the complete manifest still staged.
    fs::path s = prepare_staging(t.path(), false);
    test::spit(s / "tier2/b.csv", "new b");
    test::spit(t / "tier2/a.csv", "new a");
    test::spit(t / ".publish.json", R"({"move": ["tier2/a.csv", "tier2/b.csv"], "remove": []})");
    test::spit(s / "manifest.json", R"({"outputs": {"status": "complete", "files": []}})");
    test::spit(t / "manifest.json.tmp-12345", "half a manifest");
    EXPECT_FALSE(verify_published(t.path()).empty()) << "an unfinished publish is reported";

    EXPECT_TRUE(finish_interrupted_publish(t.path()));
    EXPECT_EQ(test::slurp(t / "tier2/a.csv"), "new a");
    EXPECT_EQ(test::slurp(t / "tier2/b.csv"), "new b");
    EXPECT_FALSE(fs::exists(t / ".publish.json"));
    EXPECT_FALSE(fs::exists(t / "manifest.json.tmp-12345"));
    EXPECT_FALSE(fs::exists(t / ".staging"));
    EXPECT_FALSE(finish_interrupted_publish(t.path())) << "nothing left to do";
}

}  // namespace
}  // namespace mpdstat
