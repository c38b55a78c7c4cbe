#pragma once
// The Thrift compact protocol, the encoding of Parquet's footer and page
// headers: a bounds-checked, depth-limited reader and a writer. Only what
// Parquet uses: structs, lists, integers, binary, bool and double.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/varint.hpp"

namespace mpdstat::parquet::thrift {

// Compact protocol type ids (as in a field header's low nibble).
enum Type : uint8_t {
    kStop = 0, kTrue = 1, kFalse = 2, kByte = 3, kI16 = 4, kI32 = 5, kI64 = 6, kDouble = 7,
    kBinary = 8, kList = 9, kSet = 10, kMap = 11, kStruct = 12,
};
const char* type_name(uint8_t type);

struct ListHeader {
    uint8_t element_type = 0;
    uint32_t size = 0;
};

// Reads from a byte span; every read is bounds-checked and throws FormatError
// when the bytes end early or hold an impossible value.
class CompactReader {
public:
    explicit CompactReader(std::span<const uint8_t> bytes) : bytes_(bytes) {}

    // Structs: begin, then next_field() until it returns false (the stop
    // field), then end. Field ids are delta-coded against the enclosing
    // struct's previous field, so each struct keeps its own last id.
    void begin_struct();
    void end_struct();
    bool next_field(int16_t& id, uint8_t& type);

    bool read_bool(uint8_t field_type);  // the value of a bool field is in its type
    int8_t read_byte();
    int16_t read_i16();
    int32_t read_i32();
    int64_t read_i64();
    double read_double();
    std::string read_binary();
    ListHeader read_list_header();  // the size is checked against the bytes left
    void skip(uint8_t type);        // a value of any type (unknown fields)

    uint64_t read_varint();
    size_t position() const noexcept { return pos_; }
    size_t remaining() const noexcept { return bytes_.size() - pos_; }

    // Deeper nesting than this is refused: Parquet's own structs nest 5 deep,
    // and an unbounded depth would let a crafted file exhaust the stack.
    static constexpr int kMaxDepth = 32;

private:
    uint8_t next_byte();
    std::span<const uint8_t> bytes_;
    size_t pos_ = 0;
    std::vector<int16_t> last_ids_;
    int16_t last_id_ = 0;
};

// Appends compact-protocol bytes to a string.
class CompactWriter {
public:
    void begin_struct();
    void end_struct();  // writes the stop field
    void field(int16_t id, uint8_t type);
    void field_bool(int16_t id, bool value);
    void write_byte(int8_t v) { out_ += static_cast<char>(v); }
    void write_i32(int32_t v) { write_varint(zigzag_encode(v)); }
    void write_i64(int64_t v) { write_varint(zigzag_encode(v)); }
    void write_binary(std::string_view bytes);
    void write_double(double v);
    void list_header(uint8_t element_type, uint32_t size);
    void write_varint(uint64_t v);

    const std::string& bytes() const noexcept { return out_; }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
    std::vector<int16_t> last_ids_;
    int16_t last_id_ = 0;
};

}  // namespace mpdstat::parquet::thrift
