#include "store/partition_file.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <zlib.h>
#include <zstd.h>

#include "common/error.hpp"
#include "test_util.hpp"

namespace mpdstat {
namespace {

Cell cell(const char* id, double lat, double lon) {
    Cell c;
    c.id = id;
    c.lat = lat;
    c.lon = lon;
    return c;
}

CellPlan plan() {
    CellPlan p;
    Cell first = cell("C1", 1, 2);
    first.valid_to = 99;
    p.add(first);
    p.add(cell("C2", 1, 3));
    Cell moved = cell("C1", 5, 5);  // C1 re-planned from day 100 on
    moved.valid_from = 100;
    p.add(moved);
    return p;
}

std::vector<Event> events() {
    std::vector<Event> ev;
    for (uint64_t d = 1; d <= 3; ++d)
        for (int k = 0; k < 4; ++k) {
            Event e;
            e.device = d * 1000003;
            e.time_ms = 86'400'000LL * 99 + k * 60'000;
            e.cell = k % 2;
            e.duration_s = uint32_t(k);
            e.mcc = 608;
            e.type = EventType::sms;
            e.domain = k == 3 ? Domain::outbound : Domain::domestic;
            if (k == 3) e.cell = kNoCell;
            ev.push_back(e);
        }
    return ev;
}

TEST(PartitionFile, RoundTrip) {
    test::TempDir t;
    CellPlan p = plan();
    auto ev = events();
    PartitionInfo w = write_partition(t / "p.mpds", 99, 3, ev, p);
    EXPECT_EQ(w.rows, 12u);
    EXPECT_EQ(w.devices, 3u);
    PartitionInfo r;
    auto back = read_partition(t / "p.mpds", p, &r);
    EXPECT_EQ(r.day, 99);
    EXPECT_EQ(r.bucket, 3);
    ASSERT_EQ(back.size(), ev.size());
    for (size_t i = 0; i < ev.size(); ++i) {
        EXPECT_EQ(back[i].device, ev[i].device);
        EXPECT_EQ(back[i].time_ms, ev[i].time_ms);
        EXPECT_EQ(back[i].cell, ev[i].cell);
        EXPECT_EQ(back[i].duration_s, ev[i].duration_s);
        EXPECT_EQ(back[i].mcc, 608);
        EXPECT_EQ(back[i].type, EventType::sms);
        EXPECT_EQ(back[i].domain, ev[i].domain);
        EXPECT_TRUE(std::isnan(back[i].lat));
    }
}

TEST(PartitionFile, CellsMapToTheVersionValidThatDay) {
    test::TempDir t;
    CellPlan p = plan();
    auto ev = events();
    for (auto& e : ev) e.time_ms += 86'400'000LL * 2;  // day 101: C1 is the moved version
    write_partition(t / "p.mpds", 101, 0, ev, p);
    auto back = read_partition(t / "p.mpds", p);
    EXPECT_EQ(back[0].cell, 2u);
    EXPECT_EQ(back[1].cell, 1u);
}

TEST(PartitionFile, EveryFlippedByteIsDetected) {
    test::TempDir t;
    CellPlan p = plan();
    write_partition(t / "p.mpds", 99, 3, events(), p);
    std::string good = test::slurp(t / "p.mpds");
    // Flip each byte in turn: every change must be caught or be harmless to the data.
    size_t caught = 0;
    for (size_t i = 0; i < good.size(); ++i) {
        std::string bad = good;
        bad[i] ^= 0x5A;
        test::spit(t / "bad.mpds", bad);
        try {
            auto ev = read_partition(t / "bad.mpds", p);
            ADD_FAILURE() << "byte " << i << " flipped but the file was read";
        } catch (const Error& e) {
            ++caught;
            EXPECT_EQ(e.exit_code(), 1);
        }
    }
    EXPECT_EQ(caught, good.size());
    test::spit(t / "short.mpds", good.substr(0, good.size() / 2));
    EXPECT_THROW(read_partition(t / "short.mpds", p), Error);
}

}  // namespace
}  // namespace mpdstat

namespace mpdstat {
namespace {

// A partition whose header (with a valid checksum) claims far more rows and
// bytes than the file holds: refused as corrupt without allocating what the
// header claims (before, a 64 GiB buffer was requested).
TEST(PartitionFile, ForgedSizesAreRefusedWithoutAllocatingThem) {
    const std::string empty_frame = [] {
        std::string out(ZSTD_compressBound(0), '\0');
        out.resize(ZSTD_compress(out.data(), out.size(), "", 0, 1));
        return out;
    }();
    const uint64_t rows = uint64_t(1) << 33;
    nlohmann::json h;
    h["format"] = "mpdstat-event-partition";
    h["format_version"] = kStoreFormatVersion;
    h["day"] = "2024-01-01";
    h["bucket"] = 0;
    h["rows"] = rows;
    h["devices"] = 1;
    h["min_time_ms"] = 0;
    h["max_time_ms"] = 0;
    h["columns"].push_back({{"name", "device"}, {"offset", 0}, {"stored_size", empty_frame.size()},
                            {"raw_size", rows * 8},
                            {"crc32", crc32(0L, reinterpret_cast<const Bytef*>(empty_frame.data()), uInt(empty_frame.size()))}});
    const std::string header = h.dump();
    std::string file = std::string("MPDSTOR\x01", 8);
    uint32_t hl = uint32_t(header.size());
    file.append(reinterpret_cast<const char*>(&hl), 4);
    file += header;
    uint32_t hc = uint32_t(crc32(0L, reinterpret_cast<const Bytef*>(header.data()), uInt(header.size())));
    file.append(reinterpret_cast<const char*>(&hc), 4);
    file += empty_frame;
    try {
        decode_partition(file, "forged.mpds", CellPlan{});
        FAIL() << "a forged partition was decoded";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("forged.mpds: corrupt event store file"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace mpdstat
