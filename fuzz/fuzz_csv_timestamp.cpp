// libFuzzer target: the CSV and timestamp parsers on arbitrary bytes.
//
// Input layout: byte 0 chooses the delimiter, the timestamp format and the
// reader's chunk size; with its top bit set, the first line of the rest is a
// user-supplied timestamp pattern (as from input.timestamp_format). The rest is
// a CSV file, read both as one in-memory chunk (RecordCursor + CsvRecord) and
// through CsvFileReader (which also sniffs gzip / zstd). Every field goes
// through the timestamp parser. Errors must be mpdstat::Error; anything else
// (a crash, a sanitizer report, another exception) is a finding.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

#include "common/error.hpp"
#include "ingest/csv.hpp"
#include "ingest/timestamp_parser.hpp"

namespace {

constexpr char kDelimiters[] = {',', ';', '|', '\t'};
const char* const kFormats[] = {"iso8601", "epoch_s", "epoch_ms", "%Y-%m-%d %H:%M:%S", "%d/%b/%y %H:%M:%S.%f %z",
                                "%Y%m%d%H%M%S", "%%%y-%m-%d", "%m/%d/%Y %H:%M"};
constexpr size_t kChunkBytes[] = {1, 7, 64, 1 << 16};  // the last holds any input (-max_len=65536) in one chunk

std::filesystem::path scratch_file() {
    static const std::filesystem::path p =
        std::filesystem::temp_directory_path() / ("mpdstat-fuzz-csv-" + std::to_string(::getpid()) + ".csv");
    return p;
}

// The format the parser was made with: a refused pattern falls back to ISO.
std::string parser_format;

void parse_fields(const mpdstat::CsvRecord& record, mpdstat::TimestampParser& timestamps) {
    for (std::string_view field : record.fields()) {
        const std::optional<int64_t> warm = timestamps.parse(field);
        // A parser that has read earlier rows remembers their minute: a
        // 19-character time must still read as a parser that never saw them reads it.
        if (field.size() == 19 && mpdstat::TimestampParser(parser_format, "Africa/Dakar").parse(field) != warm)
            __builtin_trap();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace mpdstat;
    if (size < 1) return 0;
    const uint8_t control = data[0];
    std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
    const char delimiter = kDelimiters[control & 3];
    std::string format = kFormats[(control >> 2) & 7];
    if (control & 0x80) {
        size_t nl = rest.find('\n');
        format = std::string(rest.substr(0, nl));
        rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    }
    std::optional<TimestampParser> timestamps;
    try {
        timestamps.emplace(format, "Africa/Dakar");
        parser_format = format;
    } catch (const Error&) {
        timestamps.emplace("iso8601", "Africa/Dakar");  // the pattern was refused, as the config loader would
        parser_format = "iso8601";
    }

    // 1. The whole text as one chunk.
    CsvChunk chunk;
    chunk.text = std::string(rest);
    chunk.first_line = 1;
    RecordCursor cursor(chunk);
    CsvRecord record;
    std::string_view text;
    uint64_t line = 0;
    while (cursor.next(text, line))
        if (record.split(text, delimiter)) parse_fields(record, *timestamps);

    // 2. The same bytes as a file, in small chunks.
    {
        std::FILE* f = std::fopen(scratch_file().c_str(), "wb");
        if (!f) return 0;
        std::fwrite(rest.data(), 1, rest.size(), f);
        std::fclose(f);
    }
    try {
        CsvFileReader reader(scratch_file(), delimiter, 0, kChunkBytes[(control >> 5) & 3]);
        if (!reader.empty())
            for_each_record(reader, delimiter, [&](const CsvRecord& r, uint64_t, bool ok) {
                if (ok) parse_fields(r, *timestamps);
            });
    } catch (const Error&) {
    }
    return 0;
}
