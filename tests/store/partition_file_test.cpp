#include "store/partition_file.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <zlib.h>
#include <zstd.h>

#include "common/error.hpp"
#include "common/sha256.hpp"
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

namespace mpdstat {
namespace {

std::string zstd_frame(std::string_view raw) {
    std::string out(ZSTD_compressBound(raw.size()), '\0');
    out.resize(ZSTD_compress(out.data(), out.size(), raw.data(), raw.size(), 1));
    return out;
}

template <class T>
std::string fixed_width(std::initializer_list<T> values) {
    std::string out;
    for (T v : values) out.append(reinterpret_cast<const char*>(&v), sizeof v);
    return out;
}

std::string varints(std::initializer_list<uint64_t> values) {
    std::string out;
    for (uint64_t v : values) {
        while (v >= 0x80) {
            out += char(v | 0x80);
            v >>= 7;
        }
        out += char(v);
    }
    return out;
}

// A partition file made by hand: `version`, then (name, encoding, raw bytes)
// columns zstd-compressed with their checksums, as the header describes them.
std::string hand_made_partition(int version, uint64_t rows,
                                const std::vector<std::tuple<std::string, std::string, std::string>>& columns) {
    nlohmann::ordered_json h;
    h["format"] = "mpdstat-event-partition";
    h["format_version"] = version;
    h["day"] = "1970-04-10";  // day 99: C1 is in its first version
    h["bucket"] = 0;
    h["rows"] = rows;
    h["devices"] = 1;
    h["min_time_ms"] = 0;
    h["max_time_ms"] = 0;
    std::string blocks;
    for (const auto& [name, encoding, raw] : columns) {
        const std::string stored = zstd_frame(raw);
        h["columns"].push_back({{"name", name}, {"type", ""}, {"encoding", encoding}, {"offset", blocks.size()},
                                {"stored_size", stored.size()}, {"raw_size", raw.size()},
                                {"crc32", crc32(0L, reinterpret_cast<const Bytef*>(stored.data()), uInt(stored.size()))}});
        blocks += stored;
    }
    const std::string header = h.dump();
    std::string file = "MPDSTOR";
    file += char(version);
    const uint32_t hl = uint32_t(header.size());
    file.append(reinterpret_cast<const char*>(&hl), 4);
    file += header;
    const uint32_t hc = uint32_t(crc32(0L, reinterpret_cast<const Bytef*>(header.data()), uInt(header.size())));
    file.append(reinterpret_cast<const char*>(&hc), 4);
    return file + blocks;
}

// Stores written before format 2 keep every integer at its full width; they
// are read as they always were.
TEST(PartitionFile, Format1FilesAreStillRead) {
    const std::string file =
        hand_made_partition(1, 3,
                            {{"device", "delta+zstd", fixed_width<uint64_t>({7, 0, 5})},
                             {"time_ms", "delta+zstd", fixed_width<int64_t>({1000, 1500, -2000})},
                             {"cell", "dict+zstd", fixed_width<uint32_t>({0, kNoCell, 1})},
                             {"cell_dict", "lines+zstd", "C2\nC1\n"},
                             {"duration_s", "zstd", fixed_width<uint32_t>({0, 4000000000u, 9})}});
    const auto ev = decode_partition(file, "v1.mpds", plan());
    ASSERT_EQ(ev.size(), 3u);
    EXPECT_EQ(ev[0].device, 7u);
    EXPECT_EQ(ev[2].device, 12u);
    EXPECT_EQ(ev[0].time_ms, 1000);
    EXPECT_EQ(ev[1].time_ms, 2500);
    EXPECT_EQ(ev[2].time_ms, 500);
    EXPECT_EQ(ev[0].cell, 1u);  // C2 is the plan's second cell
    EXPECT_EQ(ev[1].cell, kNoCell);
    EXPECT_EQ(ev[2].cell, 0u);
    EXPECT_EQ(ev[1].duration_s, 4000000000u);
    // Forged deltas whose sum overflows wrap (no undefined behaviour under the sanitizers).
    const auto forged = decode_partition(
        hand_made_partition(1, 2,
                            {{"device", "delta+zstd", fixed_width<uint64_t>({7, 0})},
                             {"time_ms", "delta+zstd", fixed_width<int64_t>({INT64_MAX, INT64_MAX})},
                             {"cell", "dict+zstd", fixed_width<uint32_t>({0, 0})},
                             {"cell_dict", "lines+zstd", "C2\n"}}),
        "forged.mpds", plan());
    EXPECT_EQ(forged[1].time_ms, -2);
}

// Format 2 keeps time deltas in whole seconds when it can, in milliseconds
// otherwise; extreme values (a device id near 2^64, the longest duration, a
// time step backwards at a new device) come back exactly either way.
TEST(PartitionFile, VarintColumnsRoundTripSecondsAndMilliseconds) {
    test::TempDir t;
    const CellPlan p = plan();
    for (const int64_t step : {int64_t(60'000), int64_t(61'250), INT64_MAX / 2}) {
        std::vector<Event> ev;
        for (uint64_t device : {uint64_t(3), ~uint64_t(0) - 1})
            for (int k = 0; k < 3; ++k) {
                Event e;
                e.device = device;
                // The third step reaches INT64_MAX, then the next device starts near INT64_MIN.
                e.time_ms = step == INT64_MAX / 2 ? (device == 3 ? -1 + k * step : INT64_MIN + k * 1000)
                                                  : 86'400'000LL * 99 + (device == 3 ? 5'000'000 : 0) + k * step;
                e.cell = k == 1 ? kNoCell : uint32_t(k % 2);
                e.duration_s = k == 2 ? UINT32_MAX : uint32_t(k);
                ev.push_back(e);
            }
        write_partition(t / "p.mpds", 99, 0, ev, p);
        const std::string bytes = test::slurp(t / "p.mpds");
        EXPECT_EQ(bytes[7], char(kStoreFormatVersion));
        const bool seconds = step % 1000 == 0;
        EXPECT_EQ(bytes.find("delta/1000+zigzag+varint+zstd") != std::string::npos, seconds) << step;
        const auto back = read_partition(t / "p.mpds", p);
        ASSERT_EQ(back.size(), ev.size());
        for (size_t i = 0; i < ev.size(); ++i) {
            EXPECT_EQ(back[i].device, ev[i].device) << i;
            EXPECT_EQ(back[i].time_ms, ev[i].time_ms) << i;
            EXPECT_EQ(back[i].cell, ev[i].cell) << i;
            EXPECT_EQ(back[i].duration_s, ev[i].duration_s) << i;
        }
    }
}

// The bytes a partition's columns hold, frozen: digests of the header (but for
// the compressed sizes and checksums, which depend on the zstd version) and of
// every decompressed column, as mpdstat 7e70314 wrote them. A faster writer must
// write the same store; a new encoding needs a new format version.
TEST(PartitionFile, ColumnsHoldTheBytesOfFormatVersion2) {
    test::TempDir t;
    CellPlan p;
    Cell c1 = cell("C1", 1, 2);
    c1.valid_to = 99;
    p.add(c1);
    p.add(cell("C2", 1, 3));
    auto digest = [](const std::string& file) {
        uint32_t hl = 0;
        std::memcpy(&hl, file.data() + 8, 4);
        auto h = nlohmann::json::parse(file.substr(12, hl));
        const size_t start = 16 + size_t(hl);
        std::string all;
        for (const auto& c : h["columns"]) {
            std::string raw(c["raw_size"].get<size_t>(), '\0');
            const size_t n = ZSTD_decompress(raw.data(), raw.size(), file.data() + start + c["offset"].get<size_t>(),
                                             c["stored_size"].get<size_t>());
            EXPECT_EQ(n, raw.size());
            all += c["name"].get<std::string>() + ":" + c["encoding"].get<std::string>() + ":" + raw + "\n";
        }
        h.erase("columns");
        std::string hex;
        for (unsigned char b : sha256_digest(h.dump() + all)) hex += fmt::format("{:02x}", b);
        return hex;
    };
    // Whole seconds, then milliseconds; every column given values.
    for (const auto& [step, expected] :
         {std::pair{int64_t(60'000), "8f0a1c1fa561175982fbe48922b72bfd1c3c1b95d56724f08c4721ee26ba5e0e"},
          std::pair{int64_t(61'250), "51a46f92db59e9d203b6efb28e308d917e4377be711cfe5fe26ce5aa379f8de4"}}) {
        std::vector<Event> ev;
        for (uint64_t d = 1; d <= 3; ++d)
            for (int k = 0; k < 4; ++k) {
                Event e;
                e.device = d * 1000003;
                e.time_ms = 86'400'000LL * 99 + k * step + int64_t(d) * 7'000;
                e.cell = k % 2;
                e.duration_s = uint32_t(k * 17);
                e.mcc = 608;
                e.mnc = uint16_t(k);
                e.serving_mcc = k == 3 ? 208 : 0;
                e.serving_mnc = k == 3 ? 10 : 0;
                e.type = EventType::sms;
                e.domain = k == 3 ? Domain::outbound : Domain::domestic;
                e.flags = uint8_t(d);
                if (k == 2) {
                    e.lat = 14.5f + float(d);
                    e.lon = -17.25f;
                }
                if (k == 3) e.cell = kNoCell;
                ev.push_back(e);
            }
        write_partition(t / "p.mpds", 99, 3, ev, p);
        EXPECT_EQ(digest(test::slurp(t / "p.mpds")), expected) << "time step " << step;
    }
}

// A varint column that does not hold exactly one value per row, or a value
// its column cannot hold, is corruption, named as such (checksums pass: the
// file was written so).
TEST(PartitionFile, VarintColumnsOfTheWrongShapeAreRefused) {
    const CellPlan p = plan();
    auto file = [](std::string device, std::string cell) {
        return hand_made_partition(2, 2,
                                   {{"device", "delta+varint+zstd", std::move(device)},
                                    {"time_ms", "delta/1000+zigzag+varint+zstd", varints({2, 4})},
                                    {"cell", "dict+1+varint+zstd", std::move(cell)},
                                    {"cell_dict", "lines+zstd", "C1\n"}});
    };
    const auto good = decode_partition(file(varints({5, 0}), varints({1, 0})), "good.mpds", p);
    ASSERT_EQ(good.size(), 2u);
    EXPECT_EQ(good[1].time_ms, 3000);  // zigzag 2 → 1 s, then 4 → 2 s more
    EXPECT_EQ(good[1].cell, kNoCell);
    const std::vector<std::pair<std::string, std::string>> bad{
        {file(varints({5}), varints({1, 1})), "shorter than its rows"},
        {file(varints({5, 0, 0}), varints({1, 1})), "longer than its rows"},
        {file(varints({5}) + "\x80", varints({1, 1})), "truncated"},
        {file(varints({5, 0}), varints({1, uint64_t(1) << 32})), "out of range"},
        {file(varints({5, 0}), varints({1, 2})), "outside the dictionary"},
    };
    for (const auto& [bytes, why] : bad) {
        try {
            decode_partition(bytes, "bad.mpds", p);
            ADD_FAILURE() << "decoded a file whose column is " << why;
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
            EXPECT_EQ(e.exit_code(), 1);
        }
    }
}

}  // namespace
}  // namespace mpdstat
