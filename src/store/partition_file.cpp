#include "store/partition_file.hpp"

#include <cstring>
#include <fstream>
#include <type_traits>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <zlib.h>
#include <zstd.h>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/varint.hpp"

namespace mpdstat {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

constexpr char kMagic[7] = {'M', 'P', 'D', 'S', 'T', 'O', 'R'};  // then the format version
constexpr int kZstdLevel = 1;  // the store is rewritten often; speed over ratio

// Encodings of the integer columns written now (format 2). Format 1 stored
// them at fixed width ("delta+zstd", "dict+zstd" with kNoCell, "zstd"); both are read.
constexpr const char* kDeviceEncoding = "delta+varint+zstd";
constexpr const char* kTimeEncoding = "delta+zigzag+varint+zstd";             // milliseconds
constexpr const char* kTimeSecondsEncoding = "delta/1000+zigzag+varint+zstd";  // whole seconds
constexpr const char* kCellEncoding = "dict+1+varint+zstd";                    // 0: no cell
constexpr const char* kDurationEncoding = "varint+zstd";

uint32_t crc(const void* p, size_t n) {
    return static_cast<uint32_t>(crc32(0L, static_cast<const Bytef*>(p), static_cast<uInt>(n)));
}

struct Block {
    std::string name, type, encoding;
    std::string stored;
    uint64_t raw_size = 0;
};

// One zstd context per thread: creating one per block costs more than
// compressing the small blocks of a partition.
struct ZstdContexts {
    ZSTD_CCtx* c = ZSTD_createCCtx();
    ZSTD_DCtx* d = ZSTD_createDCtx();
    ~ZstdContexts() {
        ZSTD_freeCCtx(c);
        ZSTD_freeDCtx(d);
    }
};
ZstdContexts& zstd() {
    thread_local ZstdContexts contexts;
    return contexts;
}

Block compress(std::string name, std::string type, std::string encoding, std::string_view raw) {
    Block b{std::move(name), std::move(type), std::move(encoding), {}, raw.size()};
    b.stored.resize(ZSTD_compressBound(raw.size()));
    size_t n = ZSTD_compressCCtx(zstd().c, b.stored.data(), b.stored.size(), raw.data(), raw.size(), kZstdLevel);
    if (ZSTD_isError(n)) throw runtime_error(fmt::format("zstd compression failed: {}", ZSTD_getErrorName(n)));
    b.stored.resize(n);
    return b;
}

// A column's values, written once each (not zero-filled first).
template <class T>
struct ColumnBuffer {
    explicit ColumnBuffer(size_t n) : values(std::make_unique_for_overwrite<T[]>(std::max<size_t>(n, 1))) {}
    std::string_view bytes(size_t n) const { return {reinterpret_cast<const char*>(values.get()), n * sizeof(T)}; }
    std::unique_ptr<T[]> values;
};

// Varints written through a pointer into a buffer sized for the longest ones.
struct VarintBuffer {
    explicit VarintBuffer(size_t max_bytes) : buffer(max_bytes), at(buffer.values.get()) {}
    void put(uint64_t v) noexcept { at = put_varint(at, v); }
    std::string_view bytes() const { return {buffer.values.get(), size_t(at - buffer.values.get())}; }
    ColumnBuffer<char> buffer;
    char* at;
};

[[noreturn]] void corrupt(const fs::path& p, std::string_view what) {
    throw data_error(fmt::format("{}: corrupt event store file ({}); re-ingest the day it holds", p.string(), what));
}

}  // namespace

PartitionInfo write_partition(const fs::path& path, Day day, int bucket, std::span<const Event> ev,
                              const CellPlan& cells) {
    PartitionInfo info{day, bucket, ev.size(), 0, 0, 0};
    // Integer columns as varints of small numbers before zstd: zstd then reads
    // a quarter of the bytes (compressing 8-byte time deltas was the costliest
    // part of writing the store). Every column is filled in one pass over the
    // events: a partition's events (6 MB on the bench preset) do not stay in
    // the cache from one pass to the next.
    const size_t n = ev.size();
    VarintBuffer device(n * 10), time(n * 10), local(n * 5), duration(n * 5);
    ColumnBuffer<uint16_t> mcc(n), mnc(n), serving_mcc(n), serving_mnc(n);
    ColumnBuffer<uint8_t> type(n), domain(n), flags(n);
    ColumnBuffer<float> lat(n), lon(n);
    bool has_position = false;
    // Time deltas in seconds when every one is a whole number of seconds (the
    // usual timestamp precision), in milliseconds otherwise (written again below).
    // Deltas in unsigned arithmetic: any two times have one (wrapping), read back exactly.
    auto delta = [](int64_t to, int64_t from) { return int64_t(uint64_t(to) - uint64_t(from)); };
    bool whole_seconds = true;
    // Dictionary of the cell ids this partition uses, in first-use order;
    // each event names its cell's place in it plus one (0: no cell, abroad).
    // The places are per thread, as long as the cell plan, and reset through the
    // cells used as soon as the loop is done (or on leaving by an exception): the
    // loop must not wait on other tasks, which could run another partition's
    // writing on this thread meanwhile.
    thread_local std::vector<uint32_t> place_of_cell;
    if (place_of_cell.size() < cells.size()) place_of_cell.resize(cells.size(), 0);
    std::vector<uint32_t> used;
    struct Reset {
        std::vector<uint32_t>& used;
        void operator()() noexcept {
            for (uint32_t c : used) place_of_cell[c] = 0;
            used.clear();
        }
        ~Reset() { (*this)(); }
    } reset{used};
    std::string dict;
    uint64_t prev_dev = 0;
    int64_t prev_t = 0;
    for (size_t i = 0; i < n; ++i) {
        const Event& e = ev[i];
        if (i == 0 || e.device != prev_dev) ++info.devices;
        device.put(e.device - prev_dev);  // wraps; sorted input makes these small
        const int64_t dt = delta(e.time_ms, prev_t);
        whole_seconds &= dt % 1000 == 0;
        time.put(zigzag_encode(dt / 1000));
        prev_dev = e.device;
        prev_t = e.time_ms;
        info.min_time_ms = i == 0 ? e.time_ms : std::min(info.min_time_ms, e.time_ms);
        info.max_time_ms = i == 0 ? e.time_ms : std::max(info.max_time_ms, e.time_ms);
        duration.put(e.duration_s);
        mcc.values[i] = e.mcc;
        mnc.values[i] = e.mnc;
        serving_mcc.values[i] = e.serving_mcc;
        serving_mnc.values[i] = e.serving_mnc;
        type.values[i] = static_cast<uint8_t>(e.type);
        domain.values[i] = static_cast<uint8_t>(e.domain);
        flags.values[i] = e.flags;
        lat.values[i] = e.lat;
        lon.values[i] = e.lon;
        has_position |= !std::isnan(e.lat);
        if (e.cell == kNoCell) {
            local.put(0);
            continue;
        }
        uint32_t& place = place_of_cell[e.cell];
        if (place == 0) {
            used.push_back(e.cell);
            place = static_cast<uint32_t>(used.size());
            dict += cells[e.cell].id;
            dict += '\n';
        }
        local.put(place);
    }
    const size_t cells_used = used.size();
    reset();
    if (!whole_seconds) {
        time.at = time.buffer.values.get();
        prev_t = 0;
        for (const Event& e : ev) {
            time.put(zigzag_encode(delta(e.time_ms, prev_t)));
            prev_t = e.time_ms;
        }
    }

    std::vector<Block> blocks;
    blocks.push_back(compress("device", "u64", kDeviceEncoding, device.bytes()));
    blocks.push_back(compress("time_ms", "i64", whole_seconds ? kTimeSecondsEncoding : kTimeEncoding, time.bytes()));
    blocks.push_back(compress("cell", "u32", kCellEncoding, local.bytes()));
    blocks.push_back(compress("cell_dict", "text", "lines+zstd", dict));
    blocks.push_back(compress("duration_s", "u32", kDurationEncoding, duration.bytes()));
    blocks.push_back(compress("mcc", "u16", "zstd", mcc.bytes(n)));
    blocks.push_back(compress("mnc", "u16", "zstd", mnc.bytes(n)));
    blocks.push_back(compress("serving_mcc", "u16", "zstd", serving_mcc.bytes(n)));
    blocks.push_back(compress("serving_mnc", "u16", "zstd", serving_mnc.bytes(n)));
    blocks.push_back(compress("type", "u8", "zstd", type.bytes(n)));
    blocks.push_back(compress("domain", "u8", "zstd", domain.bytes(n)));
    blocks.push_back(compress("flags", "u8", "zstd", flags.bytes(n)));
    if (has_position) {
        blocks.push_back(compress("lat", "f32", "zstd", lat.bytes(n)));
        blocks.push_back(compress("lon", "f32", "zstd", lon.bytes(n)));
    }

    json h;
    h["format"] = "mpdstat-event-partition";
    h["format_version"] = kStoreFormatVersion;
    h["day"] = format_day(day);
    h["bucket"] = bucket;
    h["rows"] = info.rows;
    h["devices"] = info.devices;
    h["min_time_ms"] = info.min_time_ms;
    h["max_time_ms"] = info.max_time_ms;
    h["cells"] = cells_used;
    uint64_t offset = 0;
    for (const auto& b : blocks) {
        h["columns"].push_back({{"name", b.name}, {"type", b.type}, {"encoding", b.encoding}, {"offset", offset},
                                {"stored_size", b.stored.size()}, {"raw_size", b.raw_size},
                                {"crc32", crc(b.stored.data(), b.stored.size())}});
        offset += b.stored.size();
    }
    std::string header = h.dump();
    AtomicFile f(path);
    f.write(kMagic, 7);
    const char version = kStoreFormatVersion;
    f.write(&version, 1);
    uint32_t hl = static_cast<uint32_t>(header.size());
    f.write(&hl, 4);
    f.write(header);
    uint32_t hc = crc(header.data(), header.size());
    f.write(&hc, 4);
    for (const auto& b : blocks) f.write(b.stored);
    // Partitions are published by EventStore::commit_days, which syncs first;
    // their writing to disk starts now, beside the next buckets' work.
    f.start_writeback();
    f.commit(/*fsync=*/false);
    return info;
}

std::vector<Event> read_partition(const fs::path& path, const CellPlan& cells, PartitionInfo* info_out) {
    std::vector<Event> events;
    PartitionBuffers buffers;
    read_partition(path, cells, events, buffers, info_out);
    return events;
}

void read_partition(const fs::path& path, const CellPlan& cells, std::vector<Event>& events, PartitionBuffers& buffers,
                    PartitionInfo* info_out) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    const std::streamoff size = in ? static_cast<std::streamoff>(in.tellg()) : -1;
    if (size < 0) throw data_error(fmt::format("{}: cannot read event store file", path.string()));
    buffers.file.resize(static_cast<size_t>(size));
    in.seekg(0);
    if (!in.read(buffers.file.data(), size))
        throw data_error(fmt::format("{}: cannot read event store file", path.string()));
    decode_partition(buffers.file, path, cells, events, buffers, info_out);
}

namespace {

// Decompresses one column block into exactly `raw` bytes of `out`. Streaming
// keeps the memory used to what the block really holds, so a header that
// claims a huge size cannot make the reader allocate it (a forged or corrupt
// file); `out` is grown only as the data fills it, and one byte beyond `raw`
// shows a block longer than its header says.
void decompress_column(const fs::path& path, const std::string& name, std::string_view stored, uint64_t raw,
                       std::string& out) {
    ZSTD_DCtx* d = zstd().d;
    ZSTD_DCtx_reset(d, ZSTD_reset_session_only);
    ZSTD_inBuffer in{stored.data(), stored.size(), 0};
    out.resize(std::min<uint64_t>(raw + 1, std::max<uint64_t>(out.capacity(), 1 << 16)));
    size_t filled = 0;
    while (true) {
        if (filled == out.size()) out.resize(std::min<uint64_t>(raw + 1, uint64_t(out.size()) * 2));
        ZSTD_outBuffer o{out.data(), out.size(), filled};
        size_t rc = ZSTD_decompressStream(d, &o, &in);
        if (ZSTD_isError(rc)) corrupt(path, "column '" + name + "' does not decompress");
        if (o.pos > raw) corrupt(path, "column '" + name + "' is longer than its header says");
        const bool progressed = o.pos > filled;
        filled = o.pos;
        if (rc == 0 && in.pos == in.size) break;                  // frame complete, input used up
        if (!progressed && in.pos == in.size) corrupt(path, "column '" + name + "' is truncated");
    }
    if (filled != raw) corrupt(path, "column '" + name + "' does not decompress to its size");
    out.resize(filled);
}

// A format-2 varint column, decompressed, into the fixed-width layout of
// format 1 (what the row decoding reads): device and time deltas, cell slots
// (kNoCell for none), durations. Other encodings are fixed-width already.
void widen_varints(const fs::path& path, const std::string& name, const std::string& encoding, uint64_t rows,
                   std::string& column, std::string& scratch) {
    enum class Kind { device, time_ms, time_s, cell, duration } kind;
    if (encoding == kDeviceEncoding) kind = Kind::device;
    else if (encoding == kTimeEncoding) kind = Kind::time_ms;
    else if (encoding == kTimeSecondsEncoding) kind = Kind::time_s;
    else if (encoding == kCellEncoding) kind = Kind::cell;
    else if (encoding == kDurationEncoding) kind = Kind::duration;
    else return;
    // At least a byte per row: a header's row count cannot make this allocate
    // more than the decompressed bytes back.
    if (column.size() < rows) corrupt(path, "column '" + name + "' is shorter than its rows");
    const size_t width = kind == Kind::cell || kind == Kind::duration ? 4 : 8;
    scratch.resize(rows * width);
    const auto* in = reinterpret_cast<const uint8_t*>(column.data());
    size_t pos = 0;
    char* out = scratch.data();
    for (uint64_t i = 0; i < rows; ++i) {
        uint64_t v;
        if (read_varint(in, column.size(), pos, v) != VarintStatus::ok) corrupt(path, "column '" + name + "' is truncated");
        if (width == 8) {
            // Unsigned arithmetic: a corrupt value wraps instead of overflowing.
            uint64_t w = v;
            if (kind == Kind::time_ms) w = uint64_t(zigzag_decode(v));
            else if (kind == Kind::time_s) w = uint64_t(zigzag_decode(v)) * 1000u;
            std::memcpy(out + i * 8, &w, 8);
        } else {
            if (v > (kind == Kind::cell ? uint64_t(kNoCell) : uint64_t(UINT32_MAX)))
                corrupt(path, "column '" + name + "' holds a value out of range");
            const uint32_t w = kind == Kind::cell ? (v == 0 ? kNoCell : uint32_t(v - 1)) : uint32_t(v);
            std::memcpy(out + i * 4, &w, 4);
        }
    }
    if (pos != column.size()) corrupt(path, "column '" + name + "' is longer than its rows");
    column.swap(scratch);
}

}  // namespace

std::vector<Event> decode_partition(std::string_view file, const fs::path& path, const CellPlan& cells,
                                    PartitionInfo* info_out) {
    std::vector<Event> events;
    PartitionBuffers buffers;
    decode_partition(file, path, cells, events, buffers, info_out);
    return events;
}

void decode_partition(std::string_view file, const fs::path& path, const CellPlan& cells, std::vector<Event>& ev,
                      PartitionBuffers& buffers, PartitionInfo* info_out) {
    // `ev` keeps its old rows until the new ones overwrite them (resized, not
    // cleared: rows already there are not constructed again); any error
    // leaves it empty.
    struct EmptyOnError {
        std::vector<Event>& ev;
        bool done = false;
        ~EmptyOnError() {
            if (!done) ev.clear();
        }
    } empty_on_error{ev};
    if (file.size() < 16 || std::memcmp(file.data(), kMagic, 7) != 0) corrupt(path, "not an mpdstat partition");
    if (static_cast<unsigned char>(file[7]) < 1 || static_cast<unsigned char>(file[7]) > kStoreFormatVersion)
        throw data_error(fmt::format("{}: event store format version {} is not supported by this mpdstat (reads 1 to {})",
                                     path.string(), static_cast<int>(static_cast<unsigned char>(file[7])), kStoreFormatVersion));
    uint32_t hl = 0;
    std::memcpy(&hl, file.data() + 8, 4);
    if (uint64_t(hl) + 16 > file.size()) corrupt(path, "header length beyond the end");
    std::string_view header(file.data() + 12, hl);
    uint32_t hc = 0;
    std::memcpy(&hc, file.data() + 12 + hl, 4);
    if (hc != crc(header.data(), header.size())) corrupt(path, "header checksum mismatch");
    json h;
    try {
        h = json::parse(header);
    } catch (const std::exception&) {
        corrupt(path, "header is not JSON");
    }
    const size_t data_start = 16 + size_t(hl);
    PartitionInfo info;
    try {
        auto d = parse_day(h.at("day").get<std::string>());
        if (!d) corrupt(path, "bad day in header");
        info.day = *d;
        info.bucket = h.at("bucket").get<int>();
        info.rows = h.at("rows").get<uint64_t>();
        info.devices = h.at("devices").get<uint64_t>();
        info.min_time_ms = h.at("min_time_ms").get<int64_t>();
        info.max_time_ms = h.at("max_time_ms").get<int64_t>();
        if (info.rows > (uint64_t(1) << 34)) corrupt(path, "implausible row count");
        // Every column is checked and decompressed before the events are
        // allocated: the row count is trusted only once the device column,
        // decompressed, holds that many rows.
        std::vector<std::string> names;
        auto& columns = buffers.columns;
        for (const auto& c : h.at("columns")) {
            std::string name = c.at("name").get<std::string>();
            uint64_t off = c.at("offset").get<uint64_t>(), stored = c.at("stored_size").get<uint64_t>();
            uint64_t raw = c.at("raw_size").get<uint64_t>();
            if (off > file.size() || stored > file.size() || data_start + off + stored > file.size())
                corrupt(path, "column '" + name + "' beyond the end");
            std::string_view p(file.data() + data_start + off, stored);
            if (crc(p.data(), p.size()) != c.at("crc32").get<uint32_t>()) corrupt(path, "checksum mismatch in column '" + name + "'");
            if (raw > (uint64_t(1) << 36)) corrupt(path, "implausible column size");
            if (columns.size() == names.size()) columns.emplace_back();
            if (buffers.skip_durations && name == "duration_s") {
                columns[names.size()].clear();
            } else {
                decompress_column(path, name, p, raw, columns[names.size()]);
                widen_varints(path, name, c.at("encoding").get<std::string>(), info.rows, columns[names.size()],
                              buffers.scratch);
            }
            names.push_back(std::move(name));
        }
        bool rows_vouched = info.rows == 0;
        for (size_t c = 0; c < names.size(); ++c)
            if (names[c] == "device") rows_vouched = columns[c].size() == info.rows * 8;
        if (!rows_vouched) corrupt(path, "column 'device' missing or of the wrong length");
        std::vector<std::string> dict;
        // Each column's bytes, checked for length here and copied into the
        // events below in one pass over the rows: a pass per column over a
        // partition larger than the cache cost more than the decoding itself.
        const char *device = nullptr, *time = nullptr, *cell = nullptr, *duration = nullptr, *mcc = nullptr,
                   *mnc = nullptr, *serving_mcc = nullptr, *serving_mnc = nullptr, *type = nullptr, *domain = nullptr,
                   *flags = nullptr, *lat = nullptr, *lon = nullptr;
        for (size_t c = 0; c < names.size(); ++c) {
            const std::string& name = names[c];
            const std::string& buf = columns[c];
            const uint64_t raw = buf.size();
            auto take = [&](size_t width, const char*& to) {
                if (raw != info.rows * width) corrupt(path, "column '" + name + "' has the wrong length");
                to = buf.data();
            };
            if (name == "device") take(8, device);
            else if (name == "time_ms") take(8, time);
            else if (name == "cell") take(4, cell);
            else if (name == "cell_dict") {
                size_t start = 0;
                while (start < buf.size()) {
                    size_t nl = buf.find('\n', start);
                    if (nl == std::string::npos) corrupt(path, "cell dictionary not terminated");
                    dict.emplace_back(buf, start, nl - start);
                    start = nl + 1;
                }
            } else if (name == "duration_s") {
                if (!buffers.skip_durations) take(4, duration);
            }
            else if (name == "mcc") take(2, mcc);
            else if (name == "mnc") take(2, mnc);
            else if (name == "serving_mcc") take(2, serving_mcc);
            else if (name == "serving_mnc") take(2, serving_mnc);
            else if (name == "type") take(1, type);
            else if (name == "domain") take(1, domain);
            else if (name == "flags") take(1, flags);
            else if (name == "lat") take(4, lat);
            else if (name == "lon") take(4, lon);
        }
        if (!cell && info.rows > 0) corrupt(path, "column 'cell' missing");
        // Map the file's cell ids to the loaded plan's versions valid that day.
        std::vector<uint32_t> to_plan(dict.size());
        for (size_t i = 0; i < dict.size(); ++i) {
            bool known = false;
            to_plan[i] = cells.find(dict[i], info.day, known);
        }
        auto u16 = [](const char* q) { uint16_t v; std::memcpy(&v, q, 2); return v; };
        uint64_t device_sum = 0;
        uint64_t time_sum = 0;  // unsigned: a forged delta wraps instead of overflowing
        // Rows written in place (an out-of-line push_back per row cost as much as the decoding),
        // every field of every row.
        ev.resize(info.rows);
        Event* out = ev.data();
        // The usual layout (every column but the optional duration and
        // positions) runs without a per-row test of each column.
        const bool usual = time && mcc && mnc && serving_mcc && serving_mnc && type && domain && flags && !lat && !lon;
        auto decode_rows = [&](auto usual_layout) {
            constexpr bool all = decltype(usual_layout)::value;
            for (size_t i = 0; i < info.rows; ++i) {  // rows > 0 only with the device and cell columns (checked above)
                Event e;
                uint64_t device_delta;
                std::memcpy(&device_delta, device + i * 8, 8);
                e.device = device_sum += device_delta;
                if (all || time) {
                    int64_t time_delta;
                    std::memcpy(&time_delta, time + i * 8, 8);
                    e.time_ms = int64_t(time_sum += uint64_t(time_delta));
                }
                uint32_t local;
                std::memcpy(&local, cell + i * 4, 4);
                if (local != kNoCell && local >= to_plan.size()) corrupt(path, "cell index outside the dictionary");
                e.cell = local == kNoCell ? kNoCell : to_plan[local];
                if (duration) std::memcpy(&e.duration_s, duration + i * 4, 4);
                if (all || mcc) e.mcc = u16(mcc + i * 2);
                if (all || mnc) e.mnc = u16(mnc + i * 2);
                if (all || serving_mcc) e.serving_mcc = u16(serving_mcc + i * 2);
                if (all || serving_mnc) e.serving_mnc = u16(serving_mnc + i * 2);
                if (all || type) e.type = static_cast<EventType>(std::min<uint8_t>(uint8_t(type[i]), 4));
                if (all || domain) e.domain = static_cast<Domain>(std::min<uint8_t>(uint8_t(domain[i]), 2));
                if (all || flags) e.flags = static_cast<uint8_t>(flags[i]);
                if (!all && lat) std::memcpy(&e.lat, lat + i * 4, 4);
                if (!all && lon) std::memcpy(&e.lon, lon + i * 4, 4);
                out[i] = e;
            }
        };
        if (usual) decode_rows(std::true_type{});
        else decode_rows(std::false_type{});
    } catch (const nlohmann::json::exception&) {
        ev.clear();
        corrupt(path, "header misses a field");
    } catch (...) {
        ev.clear();  // never half a partition
        throw;
    }
    if (info_out) *info_out = info;
    empty_on_error.done = true;
}

}  // namespace mpdstat
