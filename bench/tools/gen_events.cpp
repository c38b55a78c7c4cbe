// Writes a plain events CSV, a cells CSV and a config for the ingest benchmark:
//   gen_events OUT_DIR ROWS [DEVICES] [CELLS]
// Rows come in per-day files sorted by time, as an MNO dump would; the content
// is a deterministic function of the arguments.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace {
uint64_t splitmix(uint64_t& s) {
    uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: gen_events OUT_DIR ROWS [DEVICES] [CELLS]\n");
        return 2;
    }
    namespace fs = std::filesystem;
    fs::path out = argv[1];
    uint64_t rows = std::stoull(argv[2]);
    uint64_t devices = argc > 3 ? std::stoull(argv[3]) : rows / 50 + 1;
    uint64_t cells = argc > 4 ? std::stoull(argv[4]) : 5000;
    const int days = 7;
    fs::create_directories(out / "events");
    {
        std::FILE* f = std::fopen((out / "cells.csv").c_str(), "w");
        std::fprintf(f, "cell_id,site_id,lat,lon,azimuth,beam_width,range_m,technology,valid_from,valid_to\n");
        uint64_t s = 7;
        for (uint64_t c = 0; c < cells; ++c) {
            double lat = 12.5 + double(splitmix(s) % 100000) / 100000.0 * 3.0;
            double lon = -17.0 + double(splitmix(s) % 100000) / 100000.0 * 4.0;
            std::fprintf(f, "%lu,S%lu,%.5f,%.5f,%lu,120,3000,4G,,\n", 100000 + c, c / 3, lat, lon, (c % 3) * 120);
        }
        std::fclose(f);
    }
    std::string buf;
    buf.reserve(1 << 22);
    uint64_t per_day = rows / days;
    for (int d = 0; d < days; ++d) {
        std::FILE* f = std::fopen((out / "events" / fmt::format("events_2024-03-0{}.csv", d + 1)).c_str(), "w");
        buf = "user_id,timestamp,cell_id,event_type,mcc,mnc,plmn,duration\n";
        uint64_t n = d == days - 1 ? rows - per_day * (days - 1) : per_day;
        uint64_t s = 1000 + uint64_t(d);
        for (uint64_t i = 0; i < n; ++i) {
            // Time increases through the day; each device keeps a home cell and wanders a little.
            uint64_t sec = i * 86400 / n;
            uint64_t r = splitmix(s);
            uint64_t dev = r % devices;
            uint64_t home = (dev * 2654435761ULL) % cells;
            uint64_t cell = (r >> 40) % 4 == 0 ? (home + (r >> 20) % 7) % cells : home;
            static const char* types[] = {"call", "sms", "data", "data"};
            fmt::format_to(std::back_inserter(buf), "2217{:08},2024-03-0{} {:02}:{:02}:{:02},{},{},608,01,60801,{}\n", dev,
                           d + 1, sec / 3600, (sec / 60) % 60, sec % 60, 100000 + cell, types[(r >> 8) % 4], (r >> 12) % 300);
            if (buf.size() > (1 << 22) - 256) {
                std::fwrite(buf.data(), 1, buf.size(), f);
                buf.clear();
            }
        }
        std::fwrite(buf.data(), 1, buf.size(), f);
        std::fclose(f);
    }
    std::FILE* f = std::fopen((out / "mpdstat.toml").c_str(), "w");
    std::fprintf(f, R"([input]
events = ["events/*.csv"]
cells = "cells.csv"
timestamp_format = "%%Y-%%m-%%d %%H:%%M:%%S"
timezone = "Africa/Dakar"
local_mcc = 608
period_start = "2024-03-01"
period_end = "2024-03-07"
key_env = "MPDSTAT_BENCH_KEY"

[input.columns]
event_type = "event_type"
mcc = "mcc"
mnc = "mnc"
plmn = "plmn"
duration = "duration"

[cleaning]
max_events_per_day = 0

[run]
work_dir = "work"
out_dir = "out"
memory_limit = "1GiB"
)");
    std::fclose(f);
    std::printf("wrote %lu rows, %lu devices, %lu cells to %s\n", rows, devices, cells, out.c_str());
    return 0;
}
