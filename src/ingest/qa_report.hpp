#pragma once
// The input quality report (METHODS.md §3 volume checks, §12 input gate):
// counts by reason, per-file and per-day volumes, anomaly flags and checks,
// each PASS / WARN / FAIL against its threshold.
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/civil_time.hpp"
#include "config/config.hpp"
#include "ingest/reject_reason.hpp"

namespace mpdstat {

enum class CheckStatus { pass, warn, fail };
std::string_view check_status_name(CheckStatus s);

struct QaCheck {
    std::string name;
    CheckStatus status = CheckStatus::pass;
    double value = 0;
    std::string threshold;
    std::string message;
};

struct FileQa {
    std::string path;
    uint64_t size = 0;
    std::string sha256;
    std::string compression;
    uint64_t rows = 0;
    uint64_t rejected = 0;
    std::string status = "ok";  // ok | empty | truncated
    std::string error;
};

struct DayQa {
    Day day = 0;
    uint64_t events = 0;
    uint64_t devices = 0;
    std::array<uint64_t, 3> events_by_domain{};  // domestic, inbound, outbound
    bool anomalous_events = false;
    bool anomalous_devices = false;
};

struct IngestQa {
    uint64_t rows_read = 0;
    uint64_t accepted = 0;
    uint64_t rejected = 0;
    RejectCounts by_reason{};
    uint64_t suspicious_jumps_kept = 0;
    uint64_t duplicate_conflicts_kept = 0;
    uint64_t devices = 0;
    std::array<uint64_t, 3> devices_by_domain{};  // devices with any event of the domain
    uint64_t machine_devices = 0, hyperactive_devices = 0, too_few_devices = 0;
    std::vector<FileQa> files;
    std::vector<DayQa> days;  // every day of the batch, ascending
    std::vector<Day> period_days_without_data;
    uint64_t cells_in_plan = 0;
    uint64_t cells_seen = 0;
    std::vector<std::string> cells_never_seen;  // ids, sorted
    std::vector<std::pair<std::string, uint64_t>> unknown_cells;  // most frequent first
    std::vector<std::string> cell_plan_problems;                  // "line N: id: reason"
    std::vector<QaCheck> checks;

    // Flags anomalous days and evaluates every check.
    void evaluate(const Config& config);
    CheckStatus overall() const;
    std::string to_json() const;
    std::string summary() const;  // for the terminal
};

// Reads out_dir/qa/ingest.json back (for `mpdstat qa`).
IngestQa load_ingest_qa(const std::filesystem::path& json_path);

}  // namespace mpdstat
