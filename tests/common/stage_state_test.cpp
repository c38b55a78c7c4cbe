// Stage markers, file checksums and the table snapshot: what `run --resume`
// relies on, and refuses when it does not match.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "common/file_checksums.hpp"
#include "common/sha256.hpp"
#include "common/stage_markers.hpp"
#include "privacy/table_snapshot.hpp"
#include "test_util.hpp"

namespace mpdstat {
namespace {

namespace fs = std::filesystem;

TEST(StageMarkers, DoneOnlyUnderTheSameFingerprint) {
    test::TempDir t;
    StageMarkers m(t / "stages");
    EXPECT_FALSE(m.done("ingest", "abc"));
    EXPECT_EQ(m.last_fingerprint(), "");
    m.mark("ingest", "abc", {{"days", 5}});
    ASSERT_TRUE(m.done("ingest", "abc"));
    EXPECT_EQ((*m.done("ingest", "abc"))["details"]["days"], 5);
    EXPECT_FALSE(m.done("ingest", "abd")) << "other inputs or config";
    EXPECT_EQ(m.last_fingerprint(), "abc");
    test::spit(t / "stages/ingest.json", "{ not json");
    EXPECT_FALSE(m.done("ingest", "abc")) << "a damaged marker is no marker";
    m.clear();
    EXPECT_FALSE(fs::exists(t / "stages"));
}

TEST(FileChecksums, MismatchNamesTheFile) {
    test::TempDir t;
    test::spit(t / "a/one.csv", "1");
    test::spit(t / "b/two.csv", "2");
    write_checksums(t.path(), {t / "a/one.csv", t / "b/two.csv"});
    EXPECT_NO_THROW(verify_checksums(t.path()));
    test::spit(t / "b/two.csv", "3");
    try {
        verify_checksums(t.path());
        FAIL() << "a changed file passed";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("b/two.csv: checksum mismatch"), std::string::npos) << e.what();
    }
    fs::remove(t / "checksums.json");
    EXPECT_THROW(verify_checksums(t.path()), Error);
}

TEST(TableSnapshot, RoundTripsExactlyAndRefusesDamage) {
    test::TempDir t;
    AggregateTable a;
    a.name = "present_population";
    a.zone_columns = {"zone_id"};
    a.key_columns = {"time"};
    a.value_columns = {"devices", "mean"};
    a.additive_values = 1;
    a.hierarchical = false;
    a.rows.push_back({2, {7}, {"2024-01-01T00:00:00+00:00"}, {33.350559123456789, 0.1 + 0.2}, 35});
    a.rows.push_back({0, {0}, {""}, {-0.0, 1e300}, 0});
    AggregateTable b;
    b.name = "empty";
    save_table_snapshot(t / "s.mpdtabs", {a, b});
    auto back = load_table_snapshot(t / "s.mpdtabs");
    ASSERT_EQ(back.size(), 2u);
    EXPECT_EQ(back[0].name, a.name);
    EXPECT_EQ(back[0].value_columns, a.value_columns);
    EXPECT_FALSE(back[0].hierarchical);
    ASSERT_EQ(back[0].rows.size(), 2u);
    EXPECT_EQ(back[0].rows[0].values, a.rows[0].values) << "the doubles' own bits";
    EXPECT_EQ(back[0].rows[0].zones, a.rows[0].zones);
    EXPECT_EQ(back[0].rows[0].support, 35u);
    EXPECT_TRUE(std::signbit(back[0].rows[1].values[0]));
    EXPECT_TRUE(back[1].rows.empty());

    std::string bytes = test::slurp(t / "s.mpdtabs");
    for (size_t at : {size_t(3), size_t(12), bytes.size() / 2, bytes.size() - 1}) {
        std::string damaged = bytes;
        damaged[at] ^= 0x10;
        test::spit(t / "d.mpdtabs", damaged);
        EXPECT_THROW(load_table_snapshot(t / "d.mpdtabs"), Error) << "byte " << at;
    }
    test::spit(t / "d.mpdtabs", bytes.substr(0, bytes.size() - 5));
    EXPECT_THROW(load_table_snapshot(t / "d.mpdtabs"), Error);
}

TEST(TableSnapshot, LargeTablesStreamThroughTheBufferAndAppearOnlyOnCommit) {
    test::TempDir t;
    AggregateTable big;
    big.name = "od_trips";
    big.zone_columns = {"origin", "destination"};
    big.key_columns = {"date", "departure_hour"};
    big.value_columns = {"trips", "devices"};
    for (uint32_t i = 0; i < 40000; ++i)  // about 4 MB: several fills of the 1 MiB write buffer
        big.rows.push_back({i % 3, {i, i + 1}, {"2024-03-25", std::to_string(i % 24)}, {i * 0.5, double(i)}, i});
    AggregateTable huge_key;  // one key longer than the buffer: written past it
    huge_key.name = "long";
    huge_key.zone_columns = {"zone_id"};
    huge_key.key_columns = {"label"};
    huge_key.rows.push_back({0, {1}, {std::string((1 << 20) + 17, 'x')}, {}, 1});

    {
        auto staged = stage_table_snapshot(t / "s.mpdtabs", {big, huge_key});
        EXPECT_FALSE(fs::exists(t / "s.mpdtabs")) << "not before commit";
    }
    EXPECT_FALSE(fs::exists(t / "s.mpdtabs")) << "discarded without commit";
    EXPECT_TRUE(fs::is_empty(t.path())) << "no temporary file left";

    stage_table_snapshot(t / "s.mpdtabs", {big, huge_key})->commit();
    auto back = load_table_snapshot(t / "s.mpdtabs");
    ASSERT_EQ(back.size(), 2u);
    ASSERT_EQ(back[0].rows.size(), big.rows.size());
    for (size_t i = 0; i < big.rows.size(); i += 997) {
        EXPECT_EQ(back[0].rows[i].zones, big.rows[i].zones);
        EXPECT_EQ(back[0].rows[i].keys, big.rows[i].keys);
        EXPECT_EQ(back[0].rows[i].values, big.rows[i].values);
        EXPECT_EQ(back[0].rows[i].support, big.rows[i].support);
    }
    EXPECT_EQ(back[0].rows.back().keys, big.rows.back().keys);
    ASSERT_EQ(back[1].rows.size(), 1u);
    EXPECT_EQ(back[1].rows[0].keys, huge_key.rows[0].keys);
}

TEST(TableSnapshot, FileLayoutIsTheDocumentedOne) {
    // The bytes spelt out from the header's description: the format files of
    // interrupted runs are read in, independent of the encoder's code.
    test::TempDir t;
    AggregateTable a;
    a.name = "t";
    a.zone_columns = {"z"};
    a.value_columns = {"v"};
    a.rows.push_back({0, {5}, {}, {2.0}, 7});
    save_table_snapshot(t / "s.mpdtabs", {a});

    std::string body;
    auto u64 = [&body](uint64_t v) { body.append(reinterpret_cast<const char*>(&v), 8); };
    auto str = [&](const std::string& s) {
        u64(s.size());
        body += s;
    };
    u64(1);  // tables
    str("t");
    u64(1), str("z");  // zone columns
    u64(0);            // key columns
    u64(1), str("v");  // value columns
    u64(1);            // additive values
    u64(1);            // hierarchical
    u64(1);            // rows
    u64(0), u64(1), u64(5), u64(0), u64(1);  // level, zones, keys, values …
    const double two = 2.0;
    body.append(reinterpret_cast<const char*>(&two), 8);
    u64(7);  // support
    std::string expected("MPDTABS\x01", 8);
    const uint64_t n = body.size();
    expected.append(reinterpret_cast<const char*>(&n), 8);
    expected += body;
    expected += sha256_digest(body);
    EXPECT_EQ(test::slurp(t / "s.mpdtabs"), expected);
}

}  // namespace
}  // namespace mpdstat
