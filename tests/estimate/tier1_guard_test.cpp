// estimate refuses folders holding Tier I data, with a one-line usage error (exit 2).
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "estimate/tier1_guard.hpp"
#include "estimate_fixture.hpp"

namespace mpdstat {
namespace {

std::string refusal(const std::filesystem::path& dir) {
    try {
        refuse_tier1_folder(dir);
    } catch (const Error& e) {
        EXPECT_EQ(e.exit_code(), 2);
        EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << "one line";
        return e.what();
    }
    return {};
}

TEST(Tier1Guard, AcceptsATier2Folder) {
    test::TempDir t;
    test::write_operator_a(t.path());
    EXPECT_EQ(refusal(t.path()), "");
}

TEST(Tier1Guard, RefusesMicroDataTheEventStoreAndQuarantine) {
    for (const char* marker : {"micro/anchors/part-0.bin", "store/meta.json", "quarantine/rejected.csv.gz"}) {
        test::TempDir t;
        test::write_operator_a(t.path());
        test::spit(t / marker, "x");
        const std::string msg = refusal(t.path());
        EXPECT_NE(msg.find("holds Tier I data"), std::string::npos) << marker << ": " << msg;
    }
}

TEST(Tier1Guard, RefusesAWorkDirNestedInside) {
    test::TempDir t;
    test::write_operator_a(t / "out");
    test::spit(t / "work" / "store" / "meta.json", "{}");
    // A whole scenario folder (out/ and work/ side by side) is refused …
    const std::string msg = refusal(t.path());
    EXPECT_NE(msg.find("event store"), std::string::npos) << msg;
    // … the out_dir alone is not.
    EXPECT_EQ(refusal(t / "out"), "");
    // A manifest naming a work_dir inside the folder is refused even when that work_dir is empty.
    test::spit(t / "out" / "manifest.json", R"({"config": {"run": {"work_dir": ")" + (t / "out" / "secure").string() + R"("}}})");
    EXPECT_NE(refusal(t / "out").find("work_dir"), std::string::npos);
}

TEST(Tier1Guard, RefusesAFolderWithoutTier2) {
    test::TempDir t;
    EXPECT_NE(refusal(t.path()).find("not a Tier II folder"), std::string::npos);
    EXPECT_NE(refusal(t / "missing").find("not found"), std::string::npos);
}

}  // namespace
}  // namespace mpdstat
