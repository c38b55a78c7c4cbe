#include "parquet/thrift_compact.hpp"

#include <cstring>

#include <fmt/format.h>

#include "parquet/format_error.hpp"

namespace mpdstat::parquet::thrift {

const char* type_name(uint8_t type) {
    switch (type) {
        case kStop: return "stop";
        case kTrue: case kFalse: return "bool";
        case kByte: return "byte";
        case kI16: return "i16";
        case kI32: return "i32";
        case kI64: return "i64";
        case kDouble: return "double";
        case kBinary: return "binary";
        case kList: return "list";
        case kSet: return "set";
        case kMap: return "map";
        case kStruct: return "struct";
        default: return "invalid";
    }
}

uint8_t CompactReader::next_byte() {
    if (pos_ >= bytes_.size()) throw FormatError("thrift metadata ends early");
    return bytes_[pos_++];
}

uint64_t CompactReader::read_varint() {
    uint64_t v = 0;
    switch (mpdstat::read_varint(bytes_.data(), bytes_.size(), pos_, v)) {
        case VarintStatus::ok: return v;
        case VarintStatus::truncated: throw FormatError("thrift metadata ends early");
        case VarintStatus::too_long: break;
    }
    throw FormatError("thrift varint longer than 10 bytes");
}

void CompactReader::begin_struct() {
    if (last_ids_.size() >= kMaxDepth) throw FormatError(fmt::format("thrift structs nested deeper than {}", kMaxDepth));
    last_ids_.push_back(last_id_);
    last_id_ = 0;
}

void CompactReader::end_struct() {
    last_id_ = last_ids_.empty() ? 0 : last_ids_.back();
    if (!last_ids_.empty()) last_ids_.pop_back();
}

bool CompactReader::next_field(int16_t& id, uint8_t& type) {
    uint8_t b = next_byte();
    type = b & 0x0F;
    if (type == kStop) return false;
    if (type > kStruct) throw FormatError(fmt::format("thrift field of unknown type {}", type));
    uint8_t delta = b >> 4;
    if (delta != 0) {
        id = static_cast<int16_t>(last_id_ + delta);
    } else {
        id = read_i16();
    }
    last_id_ = id;
    return true;
}

bool CompactReader::read_bool(uint8_t field_type) {
    if (field_type == kTrue) return true;
    if (field_type == kFalse) return false;
    throw FormatError(fmt::format("thrift bool expected, found {}", type_name(field_type)));
}

int8_t CompactReader::read_byte() { return static_cast<int8_t>(next_byte()); }

int16_t CompactReader::read_i16() {
    int64_t v = zigzag_decode(read_varint());
    if (v < INT16_MIN || v > INT16_MAX) throw FormatError("thrift i16 out of range");
    return static_cast<int16_t>(v);
}

int32_t CompactReader::read_i32() {
    int64_t v = zigzag_decode(read_varint());
    if (v < INT32_MIN || v > INT32_MAX) throw FormatError("thrift i32 out of range");
    return static_cast<int32_t>(v);
}

int64_t CompactReader::read_i64() { return zigzag_decode(read_varint()); }

double CompactReader::read_double() {
    if (remaining() < 8) throw FormatError("thrift metadata ends early");
    double v;
    std::memcpy(&v, bytes_.data() + pos_, 8);  // little endian on the platforms we build for
    pos_ += 8;
    return v;
}

std::string CompactReader::read_binary() {
    uint64_t n = read_varint();
    if (n > remaining()) throw FormatError(fmt::format("thrift string of {} bytes runs past the metadata", n));
    std::string s(reinterpret_cast<const char*>(bytes_.data() + pos_), static_cast<size_t>(n));
    pos_ += static_cast<size_t>(n);
    return s;
}

ListHeader CompactReader::read_list_header() {
    uint8_t b = next_byte();
    ListHeader h;
    h.element_type = b & 0x0F;
    uint64_t size = b >> 4;
    if (size == 15) size = read_varint();
    // Every element takes at least one byte (bools in lists included), so a
    // size beyond the bytes left is a corrupt header, not a reason to allocate.
    if (size > remaining()) throw FormatError(fmt::format("thrift list of {} elements runs past the metadata", size));
    if (h.element_type == kStop || h.element_type > kStruct)
        throw FormatError(fmt::format("thrift list of unknown element type {}", h.element_type));
    h.size = static_cast<uint32_t>(size);
    return h;
}

void CompactReader::skip(uint8_t type) {
    switch (type) {
        case kTrue: case kFalse: return;  // a bool field's value is its type
        case kByte: next_byte(); return;
        case kI16: case kI32: case kI64: read_varint(); return;
        case kDouble:
            if (remaining() < 8) throw FormatError("thrift metadata ends early");
            pos_ += 8;
            return;
        case kBinary: {
            uint64_t n = read_varint();
            if (n > remaining()) throw FormatError("thrift string runs past the metadata");
            pos_ += static_cast<size_t>(n);
            return;
        }
        case kList: case kSet: {
            ListHeader h = read_list_header();
            if (last_ids_.size() >= kMaxDepth) throw FormatError("thrift values nested too deep");
            last_ids_.push_back(last_id_);  // depth accounting for nested lists
            for (uint32_t i = 0; i < h.size; ++i) {
                if (h.element_type == kTrue || h.element_type == kFalse) next_byte();  // one byte per bool element
                else skip(h.element_type);
            }
            last_id_ = last_ids_.back();
            last_ids_.pop_back();
            return;
        }
        case kMap: {
            uint64_t n = read_varint();
            if (n == 0) return;
            uint8_t kv = next_byte();
            if (n > remaining()) throw FormatError("thrift map runs past the metadata");
            if (last_ids_.size() >= kMaxDepth) throw FormatError("thrift values nested too deep");
            last_ids_.push_back(last_id_);
            for (uint64_t i = 0; i < n; ++i) {
                for (uint8_t t : {static_cast<uint8_t>(kv >> 4), static_cast<uint8_t>(kv & 0x0F)}) {
                    if (t == kTrue || t == kFalse) next_byte();
                    else skip(t);
                }
            }
            last_id_ = last_ids_.back();
            last_ids_.pop_back();
            return;
        }
        case kStruct: {
            begin_struct();
            int16_t id;
            uint8_t t;
            while (next_field(id, t)) skip(t);
            end_struct();
            return;
        }
        default: throw FormatError(fmt::format("thrift value of unknown type {}", type));
    }
}

void CompactWriter::write_varint(uint64_t v) { append_varint(out_, v); }

void CompactWriter::begin_struct() {
    last_ids_.push_back(last_id_);
    last_id_ = 0;
}

void CompactWriter::end_struct() {
    out_ += '\0';
    last_id_ = last_ids_.empty() ? 0 : last_ids_.back();
    if (!last_ids_.empty()) last_ids_.pop_back();
}

void CompactWriter::field(int16_t id, uint8_t type) {
    int delta = id - last_id_;
    if (delta > 0 && delta <= 15) {
        out_ += static_cast<char>((delta << 4) | type);
    } else {
        out_ += static_cast<char>(type);
        write_varint(zigzag_encode(id));
    }
    last_id_ = id;
}

void CompactWriter::field_bool(int16_t id, bool value) { field(id, value ? kTrue : kFalse); }

void CompactWriter::write_binary(std::string_view bytes) {
    write_varint(bytes.size());
    out_ += bytes;
}

void CompactWriter::write_double(double v) {
    char b[8];
    std::memcpy(b, &v, 8);
    out_.append(b, 8);
}

void CompactWriter::list_header(uint8_t element_type, uint32_t size) {
    if (size < 15) {
        out_ += static_cast<char>((size << 4) | element_type);
    } else {
        out_ += static_cast<char>(0xF0 | element_type);
        write_varint(size);
    }
}

}  // namespace mpdstat::parquet::thrift
