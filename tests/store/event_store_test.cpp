#include "store/event_store.hpp"

#include <future>

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

// Committing makes the staged versions live at once; the versions they replace
// (and any a killed run left behind) are gone once the returned future is ready.
TEST(EventStoreCommit, NewVersionsAreLiveAtOnceOldOnesRemovedInTheBackground) {
    test::TempDir t;
    const EventStore store = EventStore::open_or_create(t.path(), 2, "key", "UTC");
    const CellPlan cells;
    const Day day = *parse_day("2024-01-02");
    auto write_day = [&](int64_t time_ms) {
        Event e;
        e.device = 7;
        e.time_ms = time_ms;
        e.domain = Domain::outbound;
        const std::filesystem::path staged = store.stage_day(day);
        for (int b = 0; b < store.buckets(); ++b)
            write_partition(staged / EventStore::bucket_file_name(b), day, b,
                            b == EventStore::bucket_of(7, 2) ? std::vector<Event>{e} : std::vector<Event>{}, cells);
        return staged;
    };
    const int64_t noon = int64_t(day) * kMsPerDay + kMsPerDay / 2;
    store.commit_days({{day, write_day(noon)}}).get();
    const std::filesystem::path dir = t.path() / "store" / "day=2024-01-02";
    std::filesystem::create_directories(dir / "v9");  // staged by a run that was killed
    const std::filesystem::path second = write_day(noon + 1000);
    std::future<void> removed = store.commit_days({{day, second}});
    // Live before the old versions are removed: readers see the new events.
    EXPECT_EQ(test::slurp(dir / "CURRENT"), second.filename().string() + "\n");
    std::vector<int64_t> seen;
    for (int b = 0; b < store.buckets(); ++b)
        store.for_each_device(b, day, day, cells, [&](uint64_t, std::span<const Event> ev) {
            for (const Event& e : ev) seen.push_back(e.time_ms);
        });
    EXPECT_EQ(seen, std::vector<int64_t>{noon + 1000});
    removed.get();
    std::vector<std::string> left;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.is_directory()) left.push_back(e.path().filename().string());
    EXPECT_EQ(left, std::vector<std::string>{second.filename().string()});
}

}  // namespace
}  // namespace mpdstat
