#include "ingest/ingest.hpp"

#include <glob.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <future>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <tuple>
#include <set>
#include <span>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>

#include "common/archive.hpp"
#include "common/atomic_file.hpp"
#include "common/background_removal.hpp"
#include "common/error.hpp"
#include "common/manifest.hpp"
#include "common/sha256.hpp"
#include "common/progress.hpp"
#include "common/run_fingerprint.hpp"
#include "dist/world.hpp"
#include "ingest/csv.hpp"
#include "ingest/device_rules.hpp"
#include "ingest/parquet_events.hpp"
#include "ingest/parse_cache.hpp"
#include "ingest/pseudonymiser.hpp"
#include "ingest/row_order.hpp"
#include "ingest/row_parser.hpp"
#include "ingest/spill_file.hpp"
#include "spatial/cell_plan.hpp"
#include "store/event_store.hpp"
#include "store/partition_file.hpp"

namespace mpdstat {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

std::vector<fs::path> expand_inputs(const std::vector<std::string>& globs) {
    std::set<fs::path> found;
    for (const auto& pattern : globs) {
        glob_t g{};
        int rc = ::glob(pattern.c_str(), GLOB_ERR, nullptr, &g);
        size_t before = found.size();
        if (rc == 0)
            for (size_t i = 0; i < g.gl_pathc; ++i) {
                fs::path p = g.gl_pathv[i];
                if (fs::is_regular_file(p)) {
                    found.insert(p);
                } else if (fs::is_directory(p)) {
                    // A folder stands for the Parquet files beneath it (Hive-partitioned
                    // data sets); hidden and '_'-prefixed files (_SUCCESS, .crc) are not data.
                    for (const auto& e : fs::recursive_directory_iterator(p)) {
                        std::string name = e.path().filename().string();
                        if (e.is_regular_file() && e.path().extension() == ".parquet" && name[0] != '.' && name[0] != '_')
                            found.insert(e.path());
                    }
                }
            }
        ::globfree(&g);
        if (found.size() == before)
            throw data_error(fmt::format("no input file matches '{}' (input.events)", pattern));
    }
    return {found.begin(), found.end()};
}

namespace {

constexpr std::string_view kQuarantineHeader = "source_file,line,reason,field,row\n";

std::string csv_quote(std::string_view s) {
    if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
    std::string q = "\"";
    for (char c : s) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + '"';
}

// What the read stage hands on: whole CSV records, or one Parquet row group.
struct InputChunk {
    CsvChunk csv;
    std::optional<ParquetChunk> parquet;
    std::optional<size_t> cached_file;  // a file whose parse comes from the parse cache
};

// What the parse stage hands on for one chunk.
struct ParsedChunk {
    size_t file = 0;
    bool cached = false;  // nothing parsed: the file's parse is in the cache
    std::vector<std::vector<IngestRow>> rows;  // by bucket
    std::string cache_blocks;  // the rows encoded for the parse cache instead (then `rows` is empty)
    std::string quarantine;  // CSV lines
    uint64_t records = 0;
    RejectCounts rejects{};
    std::map<std::string, uint64_t> unknown_cells;
    std::set<Day> days;
};

// Rows of one bucket not yet written: in memory, and spilled runs on disk.
struct BucketBuffer {
    std::vector<IngestRow> rows;
    fs::path spill;
    uint64_t spilled = 0;
};

// The vectors one bucket in cleaning works in, reused by the next bucket.
struct CleanWorkspace {
    std::vector<IngestRow> rows;
    RowSortScratch sort_scratch;
    std::vector<std::vector<Event>> by_day;  // accepted events by index in the ingest's days
    std::vector<Event> device_accepted;      // one device's, before they go to their days
    std::vector<RejectedRow> rejected;
    std::vector<Event> live;                 // a day's live partition, to compare with (--incremental)
    PartitionBuffers live_buffers;
};

// Whether two days of events would be written as the same partition: every
// stored field equal, positions bit for bit (NaN when the MNO gives none).
bool same_partition_events(std::span<const Event> a, std::span<const Event> b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        const Event &x = a[i], &y = b[i];
        if (x.device != y.device || x.time_ms != y.time_ms || x.cell != y.cell || x.duration_s != y.duration_s ||
            x.mcc != y.mcc || x.mnc != y.mnc || x.serving_mcc != y.serving_mcc || x.serving_mnc != y.serving_mnc ||
            x.type != y.type || x.domain != y.domain || x.flags != y.flags ||
            std::memcmp(&x.lat, &y.lat, sizeof x.lat) != 0 || std::memcmp(&x.lon, &y.lon, sizeof x.lon) != 0)
            return false;
    }
    return true;
}

struct BucketResult {
    std::map<Day, std::pair<uint64_t, uint64_t>> day_events_devices;
    std::map<Day, std::array<uint64_t, 3>> day_domain_events;
    std::array<uint64_t, 3> devices_by_domain{};
    uint64_t devices = 0, accepted = 0;
    RejectCounts rejects{};
    DeviceRuleCounts rule_counts;
    std::vector<uint8_t> cells_seen;
    std::map<uint32_t, uint64_t> rejected_per_file;
    fs::path quarantine;
    uint64_t partitions_kept = 0;  // --incremental: live partitions linked, not rewritten
};

// The state a rank hands to the root after each stage (dist/world.hpp).
std::string save_bucket_result(const BucketResult& r) {
    std::string out;
    archive_write(out, r.day_events_devices, r.day_domain_events, r.devices_by_domain, r.devices, r.accepted, r.rejects,
                  r.rule_counts, r.cells_seen, r.rejected_per_file, r.quarantine.string());
    return out;
}

void load_bucket_result(ArchiveReader& in, BucketResult& r) {
    std::string q;
    in.read(r.day_events_devices, r.day_domain_events, r.devices_by_domain, r.devices, r.accepted, r.rejects,
            r.rule_counts, r.cells_seen, r.rejected_per_file, q);
    r.quarantine = q;
}

}  // namespace

IngestResult run_ingest(const Config& config, const IngestOptions& options) {
    auto t0 = std::chrono::steady_clock::now();
    const int threads = config.thread_count();
    tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));

    std::vector<fs::path> inputs = expand_inputs(config.input.events);
    const CellPlan cells = CellPlan::load(config.input.cells, config.input.cell_columns, config.input.delimiter);
    const Pseudonymiser pseudonymiser = Pseudonymiser::from_config(config.input);
    // Distributed (docs/scale.md): each rank reads a contiguous run of the
    // files into per-bucket spill files in the shared work_dir, then cleans
    // and writes the buckets it owns; the root gathers the counts and commits.
    const dist::World& world = dist::World::get();
    const int rank = world.rank(), ranks = world.size();
    auto open_store = [&] {
        return EventStore::open_or_create(config.run.work_dir, config.store.buckets, pseudonymiser.key_fingerprint(),
                                          config.input.timezone);
    };
    std::optional<EventStore> opened;
    if (world.root()) opened.emplace(open_store());
    const std::string tmp_name = world.broadcast(fmt::format("ingest-{}", ::getpid()));
    if (!world.root()) opened.emplace(open_store());
    EventStore& store = *opened;
    const int buckets = store.buckets();
    const BucketRange owned = dist::share(buckets, rank, ranks);

    fs::path tmp = config.run.work_dir / "tmp" / tmp_name;
    if (world.root()) {
        // Scratch folders of ingests that were killed (their process is gone).
        {
            std::error_code ec;
            for (const auto& e : fs::directory_iterator(config.run.work_dir / "tmp", ec)) {
                std::string n = e.path().filename().string();
                if (n.rfind("ingest-", 0) != 0) continue;
                pid_t pid = static_cast<pid_t>(std::atoll(n.c_str() + 7));
                if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) fs::remove_all(e.path(), ec);
            }
        }
        fs::remove_all(tmp);
        fs::create_directories(tmp);
    }
    world.barrier();
    struct TmpCleanup {
        fs::path p;
        bool active;
        ~TmpCleanup() {
            std::error_code ec;
            if (active) fs::remove_all(p, ec);
        }
    } cleanup{tmp, world.root()};

    IngestResult result;
    IngestQa& qa = result.qa;
    qa.cells_in_plan = 0;

    uint64_t total_bytes = 0;
    for (const auto& p : inputs) total_bytes += fs::file_size(p);
    // This rank's files: a contiguous run, balanced by size.
    size_t my_first = inputs.size(), my_last = 0;
    {
        uint64_t before = 0;
        for (size_t i = 0; i < inputs.size(); ++i) {
            int owner = total_bytes == 0 ? static_cast<int>(i * size_t(ranks) / inputs.size())
                                         : static_cast<int>(std::min<uint64_t>(
                                               uint64_t(ranks) - 1, before * uint64_t(ranks) / total_bytes));
            before += fs::file_size(inputs[i]);
            if (owner != rank) continue;
            my_first = std::min(my_first, i);
            my_last = i + 1;
        }
        if (my_first > my_last) my_first = my_last = 0;
    }
    // Reports name inputs relative to the config's folder, so that a scenario
    // moved elsewhere gives the same reports.
    std::vector<std::string> shown(inputs.size());
    const fs::path base = config.source.empty() ? fs::current_path() : config.source.parent_path();
    for (size_t i = 0; i < inputs.size(); ++i) {
        fs::path rel = fs::absolute(inputs[i]).lexically_relative(base);
        shown[i] = !rel.empty() && rel.begin()->string() != ".." ? rel.string() : inputs[i].string();
    }
    qa.files.resize(inputs.size());
    for (size_t i = 0; i < inputs.size(); ++i) qa.files[i].path = shown[i];

    // --incremental: files whose parse the cache holds are not read again. The
    // files' checksums name the entries, so they are computed first (in parallel).
    std::optional<ParseCache> parse_cache;
    std::vector<std::optional<ParseCacheEntry>> cached(inputs.size());
    std::vector<std::string> cache_keys(inputs.size());
    // Size and modification time when hashed: a file that changes before it is
    // parsed (still being written?) is used as read but not kept in the cache.
    auto file_stamp = [](const fs::path& p) {
        std::error_code ec;
        return std::pair{fs::file_size(p, ec), fs::last_write_time(p, ec)};
    };
    std::vector<std::pair<uintmax_t, fs::file_time_type>> stamps(inputs.size());
    if (options.incremental && world.distributed()) {
        if (world.root()) fmt::print("Incremental ingest: not under mpirun (every file is read; see docs/incremental.md)\n");
    } else if (options.incremental) {
        parse_cache.emplace(config.run.work_dir / "ingest_cache", parse_fingerprint(config, pseudonymiser.key_fingerprint()));
        result.used_parse_cache = true;
        tbb::parallel_for(size_t(0), inputs.size(), [&](size_t i) {
            stamps[i] = file_stamp(inputs[i]);
            qa.files[i].sha256 = sha256_file(inputs[i]);
        });
        for (size_t i = 0; i < inputs.size(); ++i) {
            cache_keys[i] = parse_cache->key(i, shown[i], qa.files[i].sha256);
            cached[i] = parse_cache->open(cache_keys[i], buckets);
            if (cached[i]) ++result.files_from_cache;
        }
    }
    // Checksums for the manifest (unless the cache look-up computed them), beside the parse so they cost no wall time.
    std::future<std::vector<std::string>> checksums;
    if (!parse_cache)
        checksums = std::async(std::launch::async, [&inputs, my_first, my_last] {
            std::vector<std::string> out(inputs.size());
            for (size_t i = my_first; i < my_last; ++i) out[i] = sha256_file(inputs[i]);
            return out;
        });

    // ---- Stage 1: read, parse, bucket ------------------------------------
    std::vector<ColumnMap> maps(inputs.size());  // written before the file's first chunk is handed on
    std::vector<std::unique_ptr<CsvFileReader>> readers(inputs.size());
    std::vector<std::shared_ptr<ParquetEventFile>> parquet_files(inputs.size());
    // Files parsed into the cache this time: their rows go to the entry, not to
    // the bucket buffers, and the cleaning reads them from there like cached ones.
    std::unique_ptr<ParseCacheWriter> writing;
    size_t writing_file = 0;
    ParsedFileSummary writing_summary;
    std::map<std::string, size_t> writing_unknown;  // index of each unknown id in writing_summary
    std::vector<ParseCacheEntry> written;
    std::vector<BucketBuffer> bucket_buf(static_cast<size_t>(buckets));
    auto spill_path = [&](int b, int from_rank) { return tmp / fmt::format("bucket-{:04}.from-{}.spill", b, from_rank); };
    for (int b = 0; b < buckets; ++b) bucket_buf[size_t(b)].spill = spill_path(b, rank);
    // A quarter of the budget for buffered rows (vectors may double in size);
    // the rest covers chunks in flight, the pseudonym caches and one bucket
    // per thread while cleaning.
    const uint64_t spill_at = std::max<uint64_t>(config.run.memory_limit / 4 / sizeof(IngestRow), 1 << 12);
    const size_t bucket_share = static_cast<size_t>(spill_at / static_cast<uint64_t>(buckets) * 9 / 8);
    uint64_t buffered = 0;
    uint64_t spills = 0;  // times the buffered rows went to disk
    auto parse_quarantine_path = [&](int r) { return tmp / fmt::format("parse-quarantine.{}.csv", r); };
    std::ofstream parse_quarantine(parse_quarantine_path(rank), std::ios::binary);
    std::map<std::string, uint64_t> unknown_cells;
    std::set<Day> batch_days;
    uint64_t bytes_done = 0;
    Progress progress("ingest: reading", total_bytes);

    tbb::enumerable_thread_specific<RowParser> parsers([&] { return RowParser(config, cells, pseudonymiser); });
    size_t next_file = my_first;
    auto finish_file = [&](size_t i) {
        FileQa& f = qa.files[i];
        if (cached[i]) {
            f.size = cached[i]->summary.size;
            f.compression = cached[i]->summary.compression;
        } else if (parquet_files[i]) {
            f.size = parquet_files[i]->file_size();
            f.compression = "parquet";
            if (parquet_files[i]->rows() == 0) f.status = "empty";
            parquet_files[i].reset();  // chunks in flight keep what they need
        } else {
            CsvFileReader& r = *readers[i];
            f.size = r.source().file_size();
            f.compression = std::string(compression_name(r.source().compression()));
            if (r.source().truncated()) {
                f.status = "truncated";
                f.error = r.source().error();
            } else if (f.status != "empty" && r.lines() == 0) {
                f.status = "empty";
            }
            readers[i].reset();
        }
        bytes_done += f.size;
        progress.update(bytes_done);
    };

    // Completes the entry being written; it is kept in the cache when its file
    // was read whole (a truncated file may still be growing).
    auto finish_writing = [&] {
        const FileQa& f = qa.files[writing_file];
        writing_summary.size = f.size;
        writing_summary.compression = f.compression;
        written.push_back(
            writing->finish(writing_summary, f.status == "ok" && file_stamp(inputs[writing_file]) == stamps[writing_file]));
        writing.reset();
        ++result.files_parsed;
    };
    tbb::parallel_pipeline(
        static_cast<size_t>(threads) * 2,
        tbb::make_filter<void, std::shared_ptr<InputChunk>>(
            tbb::filter_mode::serial_in_order,
            [&](tbb::flow_control& fc) -> std::shared_ptr<InputChunk> {
                while (next_file < my_last) {
                    size_t i = next_file;
                    auto chunk = std::make_shared<InputChunk>();
                    if (cached[i]) {
                        chunk->cached_file = i;
                        finish_file(i);
                        ++next_file;
                        return chunk;
                    }
                    if (is_parquet_input(inputs[i], config.input.format)) {
                        if (!parquet_files[i]) {
                            parquet_files[i] = ParquetEventFile::open(inputs[i], config.input.columns, i);
                            maps[i] = parquet_files[i]->map();
                        }
                        chunk->parquet.emplace();
                        if (parquet_files[i]->next(*chunk->parquet)) return chunk;
                    } else {
                        if (!readers[i]) {
                            readers[i] = std::make_unique<CsvFileReader>(inputs[i], config.input.delimiter, i);
                            if (readers[i]->empty()) qa.files[i].status = "empty";
                            else maps[i] = ColumnMap::from_header(readers[i]->header(), config.input.columns, inputs[i].string());
                        }
                        if (!readers[i]->empty() && readers[i]->next(chunk->csv)) return chunk;
                    }
                    finish_file(i);
                    ++next_file;
                }
                fc.stop();
                return nullptr;
            }) &
            tbb::make_filter<std::shared_ptr<InputChunk>, std::shared_ptr<ParsedChunk>>(
                tbb::filter_mode::parallel,
                [&](std::shared_ptr<InputChunk> input) {
                    auto out = std::make_shared<ParsedChunk>();
                    if (input->cached_file) {
                        out->file = *input->cached_file;
                        out->cached = true;
                        return out;
                    }
                    // Rows of a file parsed into the cache are encoded here, in parallel.
                    auto done = [&] {
                        if (parse_cache) {
                            encode_chunk_blocks(out->rows, out->cache_blocks);
                            out->rows.clear();
                        }
                        return out;
                    };
                    RowParser& parser = parsers.local();
                    const size_t file = input->parquet ? input->parquet->file_index : input->csv.file_index;
                    const ColumnMap& map = maps[file];
                    const std::string& fname = shown[file];
                    out->file = file;
                    out->rows.resize(size_t(buckets));
                    if (!input->parquet) {
                        // Each bucket's share of the chunk's lines and a margin (devices hash
                        // evenly): grown row by row, the vectors' reallocations took a third
                        // of the samples of this loop's own code.
                        const size_t share = size_t(input->csv.lines / uint64_t(buckets));
                        for (auto& r : out->rows) r.reserve(share + share / 4 + 16);
                    }
                    Day last_day = std::numeric_limits<Day>::min();
                    // An accepted row goes to its bucket; a rejected one is counted and quarantined.
                    // `display` gives the fields to show when they differ from `rec` (typed Parquet timestamps).
                    auto settle = [&](IngestRow& row, const RowVerdict& v, const CsvRecord& rec, bool split, uint64_t line,
                                      auto&& display) {
                        if (!v.reject) {
                            out->rows[size_t(EventStore::bucket_of(row.event.device, buckets))].push_back(row);
                            Day d = floor_day(parser.clock().to_local_ms(row.event.time_ms));
                            if (d != last_day) out->days.insert(last_day = d);
                            return;
                        }
                        ++out->rejects[size_t(*v.reject)];
                        if (*v.reject == Reject::unknown_cell) ++out->unknown_cells[normalise_cell_id(rec[size_t(map.cell)])];
                        // A row whose fields do not line up may hold the raw subscriber id in
                        // any field: it is described, not shown.
                        std::string shown_row;
                        if (!split) shown_row = "(unclosed quote; row not shown)";
                        else if (rec.size() != map.fields)
                            shown_row = fmt::format("({} fields, the header has {}; row not shown)", rec.size(), map.fields);
                        else shown_row = sanitised_record(display(), map.user, row.event.device, config.input.delimiter);
                        out->quarantine += fmt::format("{},{},{},{},{}\n", csv_quote(fname), line,
                                                       reject_name(*v.reject), v.field, csv_quote(shown_row));
                    };
                    CsvRecord rec;
                    if (input->parquet) {
                        // Parquet: one row group; "line" is the row number in the file (1-based).
                        const ParquetChunk& chunk = *input->parquet;
                        ParquetRows rows = chunk.file->decode(chunk);
                        out->records = rows.size();
                        CsvRecord shown_rec;
                        std::string storage;
                        for (size_t i = 0; i < rows.size(); ++i) {
                            IngestRow row;
                            row.file = static_cast<uint32_t>(file);
                            row.line = chunk.first_row + i;
                            TypedTime time;
                            const TypedTime* typed = rows.row(i, rec, time);
                            RowVerdict v = parser.parse(rec, map, row, typed);
                            settle(row, v, rec, true, row.line, [&]() -> const CsvRecord& {
                                rows.display_row(i, shown_rec, storage);
                                return shown_rec;
                            });
                        }
                        return done();
                    }
                    const CsvChunk& chunk = input->csv;
                    RecordCursor cursor(chunk);
                    // Records go by batches: split them all and prefetch their pseudonym
                    // memo slots, then parse them, so the memo's cache misses overlap.
                    constexpr size_t kBatch = 16;
                    std::array<CsvRecord, kBatch> batch;
                    std::array<std::string_view, kBatch> texts;
                    std::array<uint64_t, kBatch> lines{};
                    std::array<bool, kBatch> splits{}, last{};
                    for (bool more = true; more;) {
                        size_t n = 0;
                        while (n < kBatch &&
                               (more = cursor.next(texts[n], lines[n], batch[n], config.input.delimiter, splits[n]))) {
                            if (texts[n].empty()) continue;  // blank lines are not rows
                            last[n] = cursor.at_end();
                            if (splits[n]) parser.prefetch(batch[n], map);
                            ++n;
                        }
                        for (size_t k = 0; k < n; ++k) {
                            const CsvRecord& rec = batch[k];
                            const uint64_t line = lines[k];
                            const bool split = splits[k];
                            ++out->records;
                            IngestRow row;
                            row.file = static_cast<uint32_t>(file);
                            row.line = line;
                            RowVerdict v;
                            if (chunk.truncated_tail && last[k]) {
                                // The file was cut inside this row: its fields cannot be trusted.
                                v = {Reject::truncated_file, "row"};
                                if (split && static_cast<size_t>(map.user) < rec.size() && !rec[size_t(map.user)].empty())
                                    row.event.device = pseudonymiser.device(rec[size_t(map.user)]);
                            } else if (!split) {
                                v = {Reject::wrong_column_count, "row"};
                            } else {
                                v = parser.parse(rec, map, row);
                        }
                        settle(row, v, rec, split, line, [&]() -> const CsvRecord& { return rec; });
                        }
                    }
                    return done();
                }) &
            tbb::make_filter<std::shared_ptr<ParsedChunk>, void>(
                tbb::filter_mode::serial_in_order, [&](std::shared_ptr<ParsedChunk> p) {
                    FileQa& f = qa.files[p->file];
                    if (p->cached) {
                        // The file's whole parse, as the chunks of a reading would have given it.
                        const ParseCacheEntry& e = *cached[p->file];
                        f.rows += e.summary.records;
                        qa.rows_read += e.summary.records;
                        for (size_t r = 0; r < kRejectReasons; ++r) {
                            qa.by_reason[r] += e.summary.rejects[r];
                            f.rejected += e.summary.rejects[r];
                        }
                        e.copy_quarantine(parse_quarantine);
                        // First appearances in the order the chunks met them, so the cap admits the same ids.
                        for (const auto& [id, n] : e.summary.unknown_cells)
                            if (unknown_cells.size() < 100000 || unknown_cells.count(id)) unknown_cells[id] += n;
                        batch_days.insert(e.summary.days.begin(), e.summary.days.end());
                        return;
                    }
                    if (parse_cache) {
                        if (writing && writing_file != p->file) finish_writing();
                        if (!writing) {
                            writing = parse_cache->writer(cache_keys[p->file], tmp, buckets);
                            writing_file = p->file;
                            writing_summary = {};
                            writing_unknown.clear();
                        }
                        writing->add(p->cache_blocks, p->quarantine);
                        writing_summary.records += p->records;
                        for (size_t r = 0; r < kRejectReasons; ++r) writing_summary.rejects[r] += p->rejects[r];
                        auto& kept = writing_summary.unknown_cells;
                        for (const auto& [id, n] : p->unknown_cells) {
                            auto at = writing_unknown.find(id);
                            if (at == writing_unknown.end()) {
                                // Past the cap an id could not enter the QA's list: not even indexed.
                                if (kept.size() >= ParsedFileSummary::kUnknownCellsKept) continue;
                                at = writing_unknown.emplace(id, kept.size()).first;
                                kept.emplace_back(id, 0);
                            }
                            kept[at->second].second += n;
                        }
                        writing_summary.days.insert(p->days.begin(), p->days.end());
                    }
                    f.rows += p->records;
                    qa.rows_read += p->records;
                    for (size_t r = 0; r < kRejectReasons; ++r) {
                        qa.by_reason[r] += p->rejects[r];
                        f.rejected += p->rejects[r];
                    }
                    parse_quarantine << p->quarantine;
                    for (const auto& [id, n] : p->unknown_cells)
                        if (unknown_cells.size() < 100000 || unknown_cells.count(id)) unknown_cells[id] += n;
                    batch_days.insert(p->days.begin(), p->days.end());
                    for (size_t b = 0; b < p->rows.size(); ++b) {
                        auto& dst = bucket_buf[b].rows;
                        // Once a bucket's rows are clearly many, its vector takes its share of
                        // the buffer at once: doubling again and again would take fresh pages
                        // for about twice the rows (devices hash evenly over the buckets).
                        const size_t need = dst.size() + p->rows[b].size();
                        if (need > dst.capacity() && need >= bucket_share / 16 && need < bucket_share)
                            dst.reserve(bucket_share);
                        dst.insert(dst.end(), p->rows[b].begin(), p->rows[b].end());
                        buffered += p->rows[b].size();
                    }
                    if (buffered >= spill_at) {
                        // Buckets are encoded and written in parallel; their vectors keep
                        // their capacity for the next rows (fresh pages are slow to come by).
                        tbb::parallel_for(0, buckets, [&](int k) {
                            BucketBuffer& b = bucket_buf[size_t(k)];
                            if (b.rows.empty()) return;
                            append_spill(b.spill, b.rows);
                            b.spilled += b.rows.size();
                            b.rows.clear();
                        });
                        buffered = 0;
                        ++spills;
                    }
                }));
    if (writing) finish_writing();
    parse_quarantine.close();
    if (!parse_quarantine) throw runtime_error(fmt::format("{}: cannot write the quarantine (disk full?)", tmp.string()));
    progress.finish();

    if (checksums.valid()) {
        std::vector<std::string> sums = checksums.get();
        for (size_t i = my_first; i < my_last; ++i) qa.files[i].sha256 = sums[i];
    }
    // Every entry whose rows the cleaning reads: cached and written this time alike.
    std::vector<const ParseCacheEntry*> entries;
    for (const auto& e : cached)
        if (e) entries.push_back(&*e);
    for (const auto& e : written) entries.push_back(&e);
    if (world.distributed()) {
        // Rows of buckets other ranks own go to disk for them; the root
        // gathers the reading counts; every rank learns every day seen.
        for (int b = 0; b < buckets; ++b) {
            BucketBuffer& buf = bucket_buf[size_t(b)];
            if ((b >= owned.first && b < owned.last) || buf.rows.empty()) continue;
            append_spill(buf.spill, buf.rows);
            buf.spilled += buf.rows.size();
            std::vector<IngestRow>().swap(buf.rows);
        }
        std::string mine;
        std::vector<FileQa> my_files(qa.files.begin() + long(my_first), qa.files.begin() + long(my_last));
        std::vector<std::tuple<std::string, uint64_t, std::string, std::string, uint64_t, uint64_t, std::string,
                               std::string>> files;
        for (const auto& f : my_files)
            files.emplace_back(f.path, f.size, f.sha256, f.compression, f.rows, f.rejected, f.status, f.error);
        archive_write(mine, my_first, files, qa.rows_read, qa.by_reason, unknown_cells);
        std::vector<std::string> parts = world.gather(mine);
        for (size_t r = 1; r < parts.size(); ++r) {
            ArchiveReader in(parts[r]);
            size_t first = 0;
            uint64_t rows_read = 0;
            RejectCounts by_reason{};
            std::map<std::string, uint64_t> unknown;
            in.read(first, files, rows_read, by_reason, unknown);
            for (size_t k = 0; k < files.size(); ++k) {
                FileQa& f = qa.files[first + k];
                std::tie(f.path, f.size, f.sha256, f.compression, f.rows, f.rejected, f.status, f.error) = files[k];
            }
            qa.rows_read += rows_read;
            for (size_t k = 0; k < kRejectReasons; ++k) qa.by_reason[k] += by_reason[k];
            for (const auto& [id, n] : unknown)
                if (unknown_cells.size() < 100000 || unknown_cells.count(id)) unknown_cells[id] += n;
        }
        std::string my_days;
        archive_write(my_days, batch_days);
        for (const std::string& part : world.allgather(my_days)) {
            std::set<Day> d;
            ArchiveReader(part).read(d);
            batch_days.insert(d.begin(), d.end());
        }
    }
    const double read_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // ---- Stage 2: per bucket, device rules and partitions ----------------
    std::vector<Day> days(batch_days.begin(), batch_days.end());
    std::map<Day, fs::path> staged;
    {
        std::vector<std::string> paths;
        if (world.root())
            for (Day d : days) paths.push_back(store.stage_day(d).string());
        std::string bytes;
        archive_write(bytes, paths);
        ArchiveReader(world.broadcast(bytes)).read(paths);
        for (size_t k = 0; k < days.size(); ++k) staged[days[k]] = paths[k];
    }
    std::vector<BucketResult> per_bucket(static_cast<size_t>(buckets));
    std::atomic<int> buckets_done{0};
    Progress progress2("ingest: cleaning and writing buckets", static_cast<uint64_t>(owned.last - owned.first));
    std::mutex progress_mutex;
    // Each bucket in cleaning holds its rows twice (sorting moves them into a
    // second vector, by sort keys) and its accepted events split by day: run only as many
    // buckets at once as fit in three quarters of memory_limit (the last quarter
    // holds the rows still buffered).
    uint64_t largest = 0;
    for (int b = owned.first; b < owned.last; ++b) {  // rows of each owned bucket, from every rank
        uint64_t n = bucket_buf[size_t(b)].spilled + bucket_buf[size_t(b)].rows.size();
        for (const ParseCacheEntry* e : entries) n += e->rows(b);
        for (int r = 0; r < ranks; ++r) {
            std::error_code ec;
            if (r != rank && fs::exists(spill_path(b, r), ec)) n += spill_rows(spill_path(b, r));
        }
        largest = std::max(largest, n);
    }
    const uint64_t per_bucket_bytes =
        std::max<uint64_t>(1, largest * (2 * sizeof(IngestRow) + sizeof(RowSortScratch::Key) + sizeof(Event) * 9 / 8));
    const int concurrent = static_cast<int>(
        std::clamp<uint64_t>(config.run.memory_limit / 4 * 3 / per_bucket_bytes, 1, static_cast<uint64_t>(threads)));
    // The buckets in cleaning at once share `concurrent` workspaces whose vectors
    // keep their capacity from bucket to bucket: allocating them afresh faulted
    // in ~25 GB of new pages on the bench preset (a third of ingest's CPU time).
    std::vector<CleanWorkspace> workspaces(static_cast<size_t>(concurrent));
    std::vector<CleanWorkspace*> idle;
    for (auto& w : workspaces) idle.push_back(&w);
    std::mutex idle_mutex;
    BackgroundRemoval spill_removal;  // a spill file read is removed off the workers' time
    tbb::task_arena arena(concurrent);
    arena.execute([&] { tbb::parallel_for(owned.first, owned.last, [&](int b) {
        BucketBuffer& buf = bucket_buf[size_t(b)];
        BucketResult& res = per_bucket[size_t(b)];
        CleanWorkspace* ws = nullptr;
        {
            std::lock_guard lock(idle_mutex);
            if (idle.empty()) throw std::logic_error("more buckets in cleaning than workspaces");
            ws = idle.back();
            idle.pop_back();
        }
        struct Release {
            CleanWorkspace* ws;
            std::vector<CleanWorkspace*>& idle;
            std::mutex& m;
            ~Release() {
                std::lock_guard lock(m);
                idle.push_back(ws);
            }
        } release{ws, idle, idle_mutex};
        std::vector<IngestRow>& rows = ws->rows;
        rows.clear();
        // The largest bucket's size at once: growing bucket by bucket would take
        // fresh pages each time a bucket is larger than those before it.
        rows.reserve(largest);
        ws->sort_scratch.rows.reserve(largest);
        ws->sort_scratch.keys.reserve(largest);
        if (buf.spilled > 0) read_spill(buf.spill, rows);
        if (rows.size() != buf.spilled)
            throw runtime_error(fmt::format("{}: spill file holds {} rows, not {}", buf.spill.string(), rows.size(), buf.spilled));
        // Removed once read: the store's commit syncs the file system, which
        // would otherwise write gigabytes of spilled rows out to disk first.
        spill_removal.remove(buf.spill);
        for (int r = 0; r < ranks; ++r) {  // rows other ranks read for this bucket
            if (r == rank) continue;
            fs::path p = spill_path(b, r);
            read_spill(p, rows);
            spill_removal.remove(std::move(p));
        }
        rows.insert(rows.end(), buf.rows.begin(), buf.rows.end());
        std::vector<IngestRow>().swap(buf.rows);
        // Rows in the parse cache (sorted below with the others, so their order here does not matter).
        auto read_entry = [&](const ParseCacheEntry& e) {
            try {
                read_spill_blocks(e.path, e.blocks[size_t(b)], rows);
            } catch (const Error& damaged) {
                std::error_code ec;
                fs::remove(e.path, ec);  // so that the next run reads the file again
                throw runtime_error(fmt::format("{}; the parse cache entry is removed: run the ingest again", damaged.what()));
            }
        };
        for (const ParseCacheEntry* e : entries) read_entry(*e);
        sort_rows(rows, ws->sort_scratch);
        LocalClock clock(config.input.timezone);
        // The index in `days` of an instant's local day; consecutive rows mostly share a day.
        Day cached_day = std::numeric_limits<Day>::min();
        uint32_t cached_index = 0;
        auto day_index = [&](int64_t utc_ms) {
            Day d = floor_day(clock.to_local_ms(utc_ms));
            if (d == cached_day) return cached_index;
            auto at = std::lower_bound(days.begin(), days.end(), d);
            if (at == days.end() || *at != d) throw std::logic_error("a row's day was not seen when reading");
            cached_day = d;
            return cached_index = static_cast<uint32_t>(at - days.begin());
        };
        // Accepted events go straight to their local day's vector, sized by the rows
        // of that day (an upper bound), so a day keeps the bucket's (device, time) order.
        std::vector<std::vector<Event>>& by_day = ws->by_day;
        by_day.resize(days.size());
        {
            std::vector<uint64_t> day_rows(days.size(), 0);
            for (const IngestRow& r : rows) ++day_rows[day_index(r.event.time_ms)];
            for (size_t k = 0; k < days.size(); ++k) {
                by_day[k].clear();
                // With an eighth more room the next bucket's day, of about the same size, fits.
                if (by_day[k].capacity() < day_rows[k]) by_day[k].reserve(day_rows[k] + day_rows[k] / 8);
            }
        }
        std::vector<Event>& accepted = ws->device_accepted;
        std::vector<RejectedRow>& rejected = ws->rejected;
        rejected.clear();
        std::vector<std::array<uint64_t, 3>> day_domain(days.size(), std::array<uint64_t, 3>{});
        res.cells_seen.assign(cells.size(), 0);
        size_t i = 0;
        while (i < rows.size()) {
            size_t j = i;
            while (j < rows.size() && rows[j].event.device == rows[i].event.device) ++j;
            accepted.clear();
            apply_device_rules(std::span<const IngestRow>(rows.data() + i, j - i), config.cleaning, cells, clock,
                               accepted, rejected, res.rule_counts);
            if (!accepted.empty()) {
                ++res.devices;
                std::array<bool, 3> dom{};
                for (const Event& e : accepted) {
                    dom[size_t(e.domain)] = true;
                    const uint32_t k = day_index(e.time_ms);
                    by_day[k].push_back(e);
                    ++day_domain[k][size_t(e.domain)];
                    if (e.cell != kNoCell) res.cells_seen[e.cell] = 1;
                }
                for (size_t k = 0; k < 3; ++k) res.devices_by_domain[k] += dom[k];
                res.accepted += accepted.size();
            }
            i = j;
        }
        // Quarantine of this bucket, in (device, time, file, line) order.
        std::sort(rejected.begin(), rejected.end(), [](const RejectedRow& a, const RejectedRow& b) {
            if (a.row.file != b.row.file) return a.row.file < b.row.file;
            return a.row.line < b.row.line;
        });
        res.quarantine = tmp / fmt::format("bucket-{:04}.quarantine.csv", b);
        {
            std::ofstream q(res.quarantine, std::ios::binary);
            for (const auto& r : rejected) {
                ++res.rejects[size_t(r.reason)];
                ++res.rejected_per_file[r.row.file];
                const Event& e = r.row.event;
                q << fmt::format("{},{},{},,{}\n", csv_quote(shown[r.row.file]), r.row.line,
                                 reject_name(r.reason),
                                 csv_quote(fmt::format("pseudonym:{} {} {}", device_hex(e.device),
                                                       clock.format_local_iso(e.time_ms),
                                                       e.cell == kNoCell ? std::string("-") : cells[e.cell].id)));
            }
            if (!q) throw runtime_error(fmt::format("{}: cannot write (disk full?)", res.quarantine.string()));
        }
        for (size_t k = 0; k < days.size(); ++k) {
            const Day d = days[k];
            const fs::path target = staged.at(d) / EventStore::bucket_file_name(b);
            // --incremental: a day whose events are those of its live partition keeps
            // that file, linked into the new version. Decoding and comparing costs
            // far less than compressing again, and a new day leaves most days as they were.
            std::optional<PartitionInfo> kept;
            if (parse_cache) {
                std::error_code ec;
                const fs::path live = store.partition_path(d, b);
                if (!live.empty() && fs::exists(live, ec)) {
                    try {
                        PartitionInfo old;
                        read_partition(live, cells, ws->live, ws->live_buffers, &old);
                        if (same_partition_events(ws->live, by_day[k])) {
                            fs::create_hard_link(live, target, ec);
                            if (!ec) kept = old;
                        }
                    } catch (const Error&) {
                        // A damaged live partition is written anew.
                    }
                }
            }
            PartitionInfo info = kept ? *kept : write_partition(target, d, b, by_day[k], cells);
            if (kept) ++res.partitions_kept;
            res.day_events_devices[d] = {info.rows, info.devices};
            res.day_domain_events[d] = day_domain[k];
        }
        int done = ++buckets_done;
        std::lock_guard lock(progress_mutex);
        progress2.update(static_cast<uint64_t>(done));
    }); });
    std::vector<CleanWorkspace>().swap(workspaces);  // their memory is not needed past cleaning
    spill_removal.wait();  // on every rank, before the root's commit syncs the file system
    progress2.finish();

    const double clean_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() - read_seconds;
    if (world.distributed()) {
        std::string mine;
        for (int b = owned.first; b < owned.last; ++b) mine += save_bucket_result(per_bucket[size_t(b)]);
        std::vector<std::string> parts = world.gather(mine);
        for (size_t r = 1; r < parts.size(); ++r) {
            BucketRange theirs = dist::share(buckets, int(r), ranks);
            ArchiveReader in(parts[r]);
            for (int b = theirs.first; b < theirs.last; ++b) load_bucket_result(in, per_bucket[size_t(b)]);
        }
        if (!world.root()) {
            // The root commits the days and writes the QA; this rank waits for it.
            std::string verdict = world.broadcast({});
            result.gate_failed = verdict == "fail";
            result.days = days;
            result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            return result;
        }
    }
    // ---- Stage 3: commit, quarantine, QA -------------------------------
    result.old_versions_removed = store.commit_days(staged);
    result.days = days;

    std::map<Day, DayQa> day_qa;
    for (Day d : days) day_qa[d].day = d;
    std::vector<uint8_t> seen(cells.size(), 0);
    for (const auto& r : per_bucket) {
        qa.accepted += r.accepted;
        qa.devices += r.devices;
        for (size_t k = 0; k < 3; ++k) qa.devices_by_domain[k] += r.devices_by_domain[k];
        for (size_t k = 0; k < kRejectReasons; ++k) qa.by_reason[k] += r.rejects[k];
        qa.suspicious_jumps_kept += r.rule_counts.suspicious_jumps;
        qa.duplicate_conflicts_kept += r.rule_counts.conflicts_kept;
        qa.machine_devices += r.rule_counts.machine_devices;
        qa.hyperactive_devices += r.rule_counts.hyperactive_devices;
        qa.too_few_devices += r.rule_counts.too_few_devices;
        for (const auto& [d, ed] : r.day_events_devices) {
            day_qa[d].events += ed.first;
            day_qa[d].devices += ed.second;
        }
        for (const auto& [d, dom] : r.day_domain_events)
            for (size_t k = 0; k < 3; ++k) day_qa[d].events_by_domain[k] += dom[k];
        for (size_t c = 0; c < seen.size(); ++c) seen[c] |= r.cells_seen[c];
    }
    for (auto& [d, q] : day_qa) qa.days.push_back(q);
    for (size_t r = 0; r < kRejectReasons; ++r) qa.rejected += qa.by_reason[r];
    for (const auto& r : per_bucket)
        for (const auto& [file, n] : r.rejected_per_file) qa.files[file].rejected += n;

    // Cells: distinct ids valid during the period, and which of them carried events.
    {
        std::set<std::string> valid_ids, seen_ids;
        for (uint32_t c = 0; c < cells.size(); ++c) {
            const Cell& cell = cells[c];
            if (cell.valid_to < config.input.period_start || cell.valid_from > config.input.period_end) continue;
            valid_ids.insert(cell.id);
            if (seen[c]) seen_ids.insert(cell.id);
        }
        qa.cells_in_plan = valid_ids.size();
        qa.cells_seen = seen_ids.size();
        for (const auto& id : valid_ids)
            if (!seen_ids.count(id)) qa.cells_never_seen.push_back(id);
        for (const auto& p : cells.problems())
            qa.cell_plan_problems.push_back(fmt::format("line {}: {}: {}", p.line, p.cell_id.empty() ? "-" : p.cell_id, p.reason));
    }
    std::vector<std::pair<std::string, uint64_t>> unk(unknown_cells.begin(), unknown_cells.end());
    std::stable_sort(unk.begin(), unk.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    if (unk.size() > 50) unk.resize(50);
    qa.unknown_cells = std::move(unk);
    {
        std::vector<Day> stored = store.days();
        std::set<Day> have(stored.begin(), stored.end());
        for (Day d = config.input.period_start; d <= config.input.period_end; ++d) {
            auto it = day_qa.find(d);
            bool data = it != day_qa.end() ? it->second.events > 0 : have.count(d) > 0;
            if (!data) qa.period_days_without_data.push_back(d);
        }
    }
    qa.evaluate(config);

    // Quarantine: parse-stage rows in input order, then device-rule rows by bucket.
    std::string qname = days.empty() ? std::string("ingest-empty.csv")
                                     : fmt::format("ingest-{}-{}.csv", format_day(days.front()), format_day(days.back()));
    result.quarantine = config.run.work_dir / "quarantine" / qname;
    {
        AtomicFile q(result.quarantine);
        q.write(kQuarantineHeader);
        auto append = [&](const fs::path& p) {
            std::ifstream in(p, std::ios::binary);
            std::string block(1 << 20, '\0');
            while (in) {
                in.read(block.data(), static_cast<std::streamsize>(block.size()));
                q.write(block.data(), static_cast<size_t>(in.gcount()));
            }
        };
        for (int r = 0; r < ranks; ++r) append(parse_quarantine_path(r));
        for (const auto& r : per_bucket) append(r.quarantine);
        q.commit();
    }

    write_file_atomically(config.run.output_root() / "qa" / "ingest.json", qa.to_json());
    if (parse_cache) {
        // The cache holds the files of this ingest, no others.
        std::set<std::string> keep;
        for (const ParseCacheEntry* e : entries)
            if (e->path.parent_path() == parse_cache->dir()) keep.insert(e->path.stem().string());
        parse_cache->keep_only(keep);
    }
    result.gate_failed = qa.overall() == CheckStatus::fail;
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    json section;
    json files = json::array();
    for (const auto& f : qa.files)
        files.push_back({{"path", f.path}, {"size", f.size}, {"sha256", f.sha256}, {"rows", f.rows}, {"status", f.status}});
    section["input_files"] = files;
    section["cells_file"] = {{"path", config.input.cells.string()}, {"sha256", sha256_file(config.input.cells)}};
    section["rows_read"] = qa.rows_read;
    section["accepted"] = qa.accepted;
    section["rejected"] = qa.rejected;
    section["days"] = json::array();
    for (Day d : days) section["days"].push_back(format_day(d));
    section["quality_gate"] = check_status_name(qa.overall());
    section["forced_past_failed_gate"] = result.gate_failed && options.force;
    section["threads"] = threads;
    section["buckets_cleaned_at_once"] = concurrent;
    section["memory_spills"] = spills;
    if (ranks > 1) section["ranks"] = ranks;
    if (parse_cache) {
        for (const auto& r : per_bucket) result.partitions_kept += r.partitions_kept;
        result.partitions = uint64_t(buckets) * days.size();
        section["incremental"] = {{"files_from_cache", result.files_from_cache}, {"files_parsed", result.files_parsed},
                                  {"partitions_kept", result.partitions_kept}, {"partitions", result.partitions},
                                  {"cache", (config.run.work_dir / "ingest_cache").string()}};
    }
    section["seconds"] = result.seconds;
    section["read_parse_seconds"] = read_seconds;
    section["clean_write_seconds"] = clean_seconds;
    update_manifest(config, "ingest", section);
    if (world.distributed()) world.broadcast(result.gate_failed ? "fail" : "ok");
    return result;
}

std::string incremental_ingest_line(const IngestResult& r) {
    if (!r.used_parse_cache) return {};
    return fmt::format("Incremental ingest: {} input files from the parse cache, {} read and parsed; {} of {} store "
                       "partitions unchanged (kept)\n",
                       r.files_from_cache, r.files_parsed, r.partitions_kept, r.partitions);
}

}  // namespace mpdstat
