// parse_bench CONFIG [--mb M] [--repeat R] [--batched-only]
// Times ingest's per-row work on one thread, stage by stage, on the first M MB
// (default 64) of the config's first input file, held in memory: reading the
// file (decompressing it), splitting records into fields, and parsing them into
// events (pseudonym, timestamp, codes, cell) one by one, and by batches of 16
// whose look-ups are prefetched first, as ingest does. Prints nanoseconds per
// row, the fastest of R repeats (default 5), so that a noisy machine shows its
// best; --batched-only runs only the last (for perf). Prints, never asserts;
// writes nothing.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "config/config.hpp"
#include "ingest/csv.hpp"
#include "ingest/ingest.hpp"
#include "ingest/pseudonymiser.hpp"
#include "ingest/row_parser.hpp"
#include "spatial/cell_plan.hpp"

using namespace mpdstat;

namespace {

template <class F>
double best_seconds(int repeat, F&& f) {
    double best = std::numeric_limits<double>::max();
    for (int r = 0; r < repeat; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        fmt::print(stderr, "usage: parse_bench CONFIG [--mb M] [--repeat R] [--batched-only]\n");
        return 2;
    }
    const Config config = load_config(argv[1]);
    size_t mb = 64;
    int repeat = 5;
    bool batched_only = false;  // for profiling the way ingest parses
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--mb" && i + 1 < argc) mb = static_cast<size_t>(std::atoi(argv[++i]));
        else if (a == "--repeat" && i + 1 < argc) repeat = std::atoi(argv[++i]);
        else if (a == "--batched-only") batched_only = true;
    }
    const auto inputs = expand_inputs(config.input.events);
    const CellPlan cells = CellPlan::load(config.input.cells, config.input.cell_columns, config.input.delimiter);
    const Pseudonymiser pseudonymiser = Pseudonymiser::from_config(config.input);
    const char delim = config.input.delimiter;

    std::vector<CsvChunk> chunks;
    std::vector<std::string> header;
    const double read_s = best_seconds(1, [&] {
        CsvFileReader reader(inputs.front(), delim, 0);
        header = reader.header();
        size_t bytes = 0;
        for (CsvChunk c; bytes < (mb << 20) && reader.next(c); c = CsvChunk{}) {
            bytes += c.text.size();
            chunks.push_back(std::move(c));
        }
    });
    const ColumnMap map = ColumnMap::from_header(header, config.input.columns, inputs.front().string());

    size_t rows = 0, bytes = 0;
    for (const auto& c : chunks) bytes += c.text.size();
    // Every well-split record of the chunks, one by one.
    auto each_record = [&](auto&& f) {
        for (const auto& c : chunks) {
            RecordCursor cursor(c);
            std::string_view text;
            uint64_t line = 0;
            CsvRecord rec;
            bool ok = false;
            while (cursor.next(text, line, rec, delim, ok))
                if (ok) f(rec);
        }
    };
    const double split_s = best_seconds(batched_only ? 0 : repeat, [&] {
        rows = 0;
        each_record([&](const CsvRecord&) { ++rows; });
    });
    size_t accepted = 0;
    uint64_t checksum = 0;
    RowParser parser(config, cells, pseudonymiser);
    IngestRow row;
    auto parse = [&](const CsvRecord& rec) {
        if (!parser.parse(rec, map, row).reject) {
            ++accepted;
            checksum += row.event.device ^ uint64_t(row.event.time_ms) ^ row.event.cell;
        }
    };
    const double parse_s = best_seconds(batched_only ? 0 : repeat, [&] {
        accepted = 0;
        each_record(parse);
    });
    // As ingest does it: records split by batches of 16, whose pseudonym and cell
    // look-ups are prefetched before any of them is parsed.
    const double batched_s = best_seconds(repeat, [&] {
        accepted = 0;
        rows = 0;
        constexpr size_t kBatch = 16;
        std::vector<CsvRecord> batch(kBatch);
        for (const auto& c : chunks) {
            RecordCursor cursor(c);
            std::string_view text;
            uint64_t line = 0;
            bool ok = false;
            for (bool more = true; more;) {
                size_t k = 0;
                while (k < kBatch && (more = cursor.next(text, line, batch[k], delim, ok))) {
                    if (!ok) continue;
                    ++rows;
                    parser.prefetch(batch[k], map);
                    ++k;
                }
                for (size_t i = 0; i < k; ++i) parse(batch[i]);
            }
        }
    });
    const double n = static_cast<double>(std::max<size_t>(rows, 1));
    fmt::print("{}: {} rows, {:.1f} MB of CSV ({} accepted, checksum {:x})\n", inputs.front().filename().string(), rows,
               double(bytes) / 1e6, accepted, checksum);
    fmt::print("  read (decompress + chunk), once: {:6.1f} ns/row\n", read_s / n * 1e9);
    if (!batched_only) {
        fmt::print("  split into fields:               {:6.1f} ns/row\n", split_s / n * 1e9);
        fmt::print("  split + parse:                   {:6.1f} ns/row (parse {:.1f})\n", parse_s / n * 1e9,
                   (parse_s - split_s) / n * 1e9);
    }
    fmt::print("  split + prefetch + parse by 16:  {:6.1f} ns/row{}\n", batched_s / n * 1e9,
               batched_only ? std::string() : fmt::format(" (parse {:.1f})", (batched_s - split_s) / n * 1e9));
    return 0;
}
