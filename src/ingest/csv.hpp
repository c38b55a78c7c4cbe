#pragma once
// CSV records (RFC 4180 with any one-character delimiter): splitting a record
// into fields, and reading a file as chunks of whole records for parallel parsing.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/byte_source.hpp"

namespace mpdstat {

// Fields of one record. Views point into the record text or, for quoted fields
// with doubled quotes, into the record's own buffer.
class CsvRecord {
public:
    // Returns false when a quote is left open.
    bool split(std::string_view record, char delimiter);
    // Splits the first line of `text`, which must hold no quote, at
    // `delimiter` (neither '\r' nor '\n'), dropping its line end; returns the
    // line's length with its '\n' (all of `text` when it has none). One scan,
    // 16 bytes at a time, finds both the delimiters and the line end.
    size_t split_unquoted_line(std::string_view text, char delimiter);
    // Sets the fields directly, for rows that do not come from CSV text (Parquet).
    void assign(std::span<const std::string_view> fields) {
        fields_.assign(fields.begin(), fields.end());
        ascii_ = false;
    }
    // Whether every byte of the fields is known to be ASCII (set by
    // split_unquoted_line, which sees it for free): no UTF-8 to check.
    bool known_ascii() const noexcept { return ascii_; }
    size_t size() const noexcept { return fields_.size(); }
    std::string_view operator[](size_t i) const { return fields_[i]; }
    const std::vector<std::string_view>& fields() const noexcept { return fields_; }

private:
    std::vector<std::string_view> fields_;
    std::string unquoted_;
    bool ascii_ = false;
};

// Strips the line end ("\n" or "\r\n") from a record.
std::string_view trim_line_end(std::string_view s);

struct CsvChunk {
    size_t file_index = 0;
    uint64_t first_line = 0;  // 1-based physical line number of the chunk's first record
    uint64_t lines = 0;       // physical lines in text (an upper bound of its records)
    std::string text;         // whole records, each ending with '\n' (the last may lack it at EOF)
    bool truncated_tail = false;  // the last record was cut off by a corrupt / truncated file
};

// Reads one CSV file as chunks of whole records. The header record is read on
// construction. Quoted fields may contain newlines.
class CsvFileReader {
public:
    CsvFileReader(const std::filesystem::path& path, char delimiter, size_t file_index, size_t chunk_bytes = 4 << 20);

    bool empty() const noexcept { return header_.empty() && at_end_; }
    const std::vector<std::string>& header() const noexcept { return header_; }
    // Next chunk; false at the end of the file.
    bool next(CsvChunk& chunk);

    ByteSource& source() noexcept { return source_; }
    uint64_t lines() const noexcept { return line_; }

private:
    bool refill();
    size_t last_record_end(std::string_view s) const;

    std::filesystem::path path_;
    char delim_;
    size_t file_index_;
    size_t chunk_bytes_;
    ByteSource source_;
    std::string pending_;
    bool at_end_ = false;
    uint64_t line_ = 0;  // physical lines handed out so far
    std::vector<std::string> header_;
};

// Iterates over the records of a chunk, tracking physical line numbers.
class RecordCursor {
public:
    explicit RecordCursor(const CsvChunk& c) : text_(c.text), line_(c.first_line) {}
    // The next record (without its line end) and its first line number.
    bool next(std::string_view& record, uint64_t& line);
    // The same, split into `fields` (split_ok false: a quote left open); where
    // no quote follows, finding the record and splitting it are one scan.
    bool next(std::string_view& record, uint64_t& line, CsvRecord& fields, char delimiter, bool& split_ok);
    bool at_end() const noexcept { return pos_ >= text_.size(); }

private:
    std::string_view text_;
    size_t pos_ = 0;
    void find_next_quote();  // brings next_quote_ up to pos_
    size_t next_quote_ = 0;  // position of the next '"' at or after pos_ (npos: none)
    bool quote_known_ = false;
    uint64_t line_;
};

// Index of a header column, or -1 when absent.
int column_index(const std::vector<std::string>& header, std::string_view name);

// Calls visit(record, line, split_ok) for every non-blank record after the
// header, in file order; split_ok is false for a record with an unclosed quote.
void for_each_record(CsvFileReader& reader, char delimiter,
                     const std::function<void(const CsvRecord& record, uint64_t line, bool split_ok)>& visit);

}  // namespace mpdstat
