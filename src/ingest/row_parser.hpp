#pragma once
// One CSV record of the events file → an event, or the one reason it is
// rejected (METHODS.md §3: syntactic and referential rules).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "ingest/csv.hpp"
#include "ingest/pseudonymiser.hpp"
#include "ingest/reject_reason.hpp"
#include "ingest/timestamp_parser.hpp"
#include "spatial/cell_plan.hpp"
#include "store/event.hpp"

namespace mpdstat {

// An accepted event with where it came from (for stable ordering and quarantine).
struct IngestRow {
    Event event;
    uint32_t file = 0;
    uint32_t pad = 0;
    uint64_t line = 0;
};

// Positions of the mapped fields in one file's header.
struct ColumnMap {
    int user = -1, timestamp = -1, cell = -1, type = -1, mcc = -1, mnc = -1, plmn = -1, lat = -1, lon = -1,
        duration = -1;
    size_t fields = 0;
    // Throws data_error naming the file and the missing column.
    static ColumnMap from_header(const std::vector<std::string>& header, const EventColumns& columns,
                                 const std::string& file);
};

// An event time the file holds as a typed value (a Parquet TIMESTAMP) rather
// than as text: milliseconds since the epoch, of UTC, or of local wall-clock
// time in the configured zone when the column is not adjusted to UTC.
struct TypedTime {
    int64_t ms = 0;
    bool local = false;
};

struct RowVerdict {
    std::optional<Reject> reject;
    const char* field = "";  // the field that failed
};

class RowParser {
public:
    RowParser(const Config& config, const CellPlan& cells, const Pseudonymiser& pseudonymiser);

    // Parses one record; on rejection `out` is unspecified except out.event.device
    // (set when the user id could be read, else 0). With `typed_time` the
    // timestamp field's text is not read: the time is already known.
    RowVerdict parse(const CsvRecord& rec, const ColumnMap& map, IngestRow& out, const TypedTime* typed_time = nullptr);

    // Starts loading what parse() will look up for this record (the pseudonym
    // memo slot of its user id): called for a batch of records before parsing them.
    void prefetch(const CsvRecord& rec, const ColumnMap& map) const noexcept;

    LocalClock& clock() noexcept { return ts_.clock(); }

private:
    const Config& config_;
    const CellPlan& cells_;
    PseudonymCache ids_;
    TimestampParser ts_;
    int64_t period_begin_ms_, period_end_ms_;  // local time line, [begin, end)
};

// Entries of each parse thread's pseudonym cache for this config's memory budget.
size_t pseudonym_cache_entries(const Config& config);

bool is_valid_utf8(std::string_view s);
// The record as it may be written to the quarantine: the user id replaced by its
// pseudonym, bytes that are not valid UTF-8 shown as \xNN.
std::string sanitised_record(const CsvRecord& rec, int user_field, uint64_t device, char delimiter);

}  // namespace mpdstat
