#include "store/event_store.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "store/partition_file.hpp"
#include "test_util.hpp"

namespace mpdstat {
namespace {

int meta_version(const std::filesystem::path& work) {
    return nlohmann::json::parse(test::slurp(work / "store" / "meta.json")).at("format_version").get<int>();
}

void set_meta_version(const std::filesystem::path& work, int version) {
    auto m = nlohmann::json::parse(test::slurp(work / "store" / "meta.json"));
    m["format_version"] = version;
    test::spit(work / "store" / "meta.json", m.dump());
}

// A store of an older format is read, and says it is of the current format
// once it is written on (its new partitions are); one of a newer format is refused.
TEST(EventStoreMeta, OlderFormatIsUpgradedNewerRefused) {
    test::TempDir t;
    EventStore::open_or_create(t.path(), 4, "key", "Africa/Dakar");
    EXPECT_EQ(meta_version(t.path()), kStoreFormatVersion);
    set_meta_version(t.path(), 1);
    EXPECT_EQ(EventStore::open(t.path()).buckets(), 4);
    EXPECT_EQ(meta_version(t.path()), 1);  // reading leaves it alone
    EventStore::open_or_create(t.path(), 4, "key", "Africa/Dakar");
    EXPECT_EQ(meta_version(t.path()), kStoreFormatVersion);
    set_meta_version(t.path(), kStoreFormatVersion + 1);
    try {
        EventStore::open(t.path());
        FAIL() << "a store of a newer format was opened";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("is not supported by this mpdstat"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace mpdstat
