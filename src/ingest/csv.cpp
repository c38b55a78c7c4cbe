#include "ingest/csv.hpp"

#include <algorithm>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <fmt/format.h>

#include "common/error.hpp"

namespace mpdstat {

std::string_view trim_line_end(std::string_view s) {
    if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    return s;
}

bool CsvRecord::split(std::string_view r, char delim) {
    fields_.clear();
    ascii_ = false;
    if (std::memchr(r.data(), '"', r.size()) == nullptr) {
        size_t start = 0;
        while (true) {
            const void* p = std::memchr(r.data() + start, delim, r.size() - start);
            if (!p) {
                fields_.push_back(r.substr(start));
                return true;
            }
            size_t at = static_cast<size_t>(static_cast<const char*>(p) - r.data());
            fields_.push_back(r.substr(start, at - start));
            start = at + 1;
        }
    }
    // Quoted fields: unescape into our own buffer, sized up front so views stay valid.
    unquoted_.clear();
    unquoted_.reserve(r.size());
    size_t i = 0;
    while (true) {
        if (i < r.size() && r[i] == '"') {
            size_t begin = unquoted_.size();
            ++i;
            bool closed = false;
            while (i < r.size()) {
                if (r[i] == '"') {
                    if (i + 1 < r.size() && r[i + 1] == '"') {
                        unquoted_.push_back('"');
                        i += 2;
                        continue;
                    }
                    closed = true;
                    ++i;
                    break;
                }
                unquoted_.push_back(r[i++]);
            }
            if (!closed) return false;
            // Text after the closing quote up to the delimiter is kept as is.
            while (i < r.size() && r[i] != delim) unquoted_.push_back(r[i++]);
            fields_.emplace_back(unquoted_.data() + begin, unquoted_.size() - begin);
        } else {
            size_t start = i;
            while (i < r.size() && r[i] != delim) ++i;
            fields_.push_back(r.substr(start, i - start));
        }
        if (i >= r.size()) return true;
        ++i;  // skip the delimiter
        if (i == r.size()) {
            fields_.emplace_back();
            return true;
        }
    }
}

size_t CsvRecord::split_unquoted_line(std::string_view text, char delim) {
    fields_.clear();
    const char* p = text.data();
    const size_t n = text.size();
    size_t start = 0;
    // The last field ends at the line end, without a '\r' before it.
    auto finish = [&](size_t end) {
        if (end > start && p[end - 1] == '\r') --end;
        fields_.emplace_back(p + start, end - start);
    };
    size_t i = 0;
    // Bytes of 0x80 and above seen (in the blocks scanned, which may reach
    // into the next line: that only costs a UTF-8 check).
    unsigned high = 0;
#ifdef __SSE2__
    const __m128i delims = _mm_set1_epi8(delim), newlines = _mm_set1_epi8('\n');
    for (; i + 16 <= n; i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
        high |= static_cast<unsigned>(_mm_movemask_epi8(v));
        auto hits = static_cast<unsigned>(
            _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, delims), _mm_cmpeq_epi8(v, newlines))));
        for (; hits != 0; hits &= hits - 1) {
            const size_t at = i + static_cast<size_t>(__builtin_ctz(hits));
            if (p[at] == '\n') {
                finish(at);
                ascii_ = high == 0;
                return at + 1;
            }
            fields_.emplace_back(p + start, at - start);
            start = at + 1;
        }
    }
#endif
    for (; i < n; ++i) {
        high |= static_cast<unsigned char>(p[i]) & 0x80u;
        if (p[i] == '\n') {
            finish(i);
            ascii_ = high == 0;
            return i + 1;
        }
        if (p[i] == delim) {
            fields_.emplace_back(p + start, i - start);
            start = i + 1;
        }
    }
    finish(n);
    ascii_ = high == 0;
    return n;
}

CsvFileReader::CsvFileReader(const std::filesystem::path& path, char delimiter, size_t file_index, size_t chunk_bytes)
    : path_(path), delim_(delimiter), file_index_(file_index), chunk_bytes_(chunk_bytes), source_(path) {
    refill();
    if (pending_.empty()) {
        at_end_ = true;
        return;
    }
    // The header is the first record; a UTF-8 byte-order mark is dropped.
    size_t end = last_record_end(pending_);
    while (end == 0 && !at_end_) {
        refill();
        end = last_record_end(pending_);
    }
    std::string_view all(pending_);
    if (all.substr(0, 3) == "\xEF\xBB\xBF") all.remove_prefix(3);
    size_t nl = all.find('\n');
    std::string_view first = trim_line_end(all.substr(0, nl == std::string_view::npos ? all.size() : nl + 1));
    CsvRecord rec;
    if (!rec.split(first, delim_))
        throw data_error(fmt::format("{}:1: header has an unclosed quote", path_.string()));
    for (auto f : rec.fields()) {
        std::string name(f);
        name.erase(0, name.find_first_not_of(" \t"));
        name.erase(name.find_last_not_of(" \t") + 1);
        header_.push_back(std::move(name));
    }
    size_t consumed = (nl == std::string_view::npos ? all.size() : nl + 1) + (pending_.size() - all.size());
    pending_.erase(0, consumed);
    line_ = 1;
}

bool CsvFileReader::refill() {
    if (at_end_) return false;
    size_t old = pending_.size();
    pending_.resize(old + chunk_bytes_);
    size_t n = source_.read(pending_.data() + old, chunk_bytes_);
    pending_.resize(old + n);
    if (n == 0) at_end_ = true;
    return n > 0;
}

size_t CsvFileReader::last_record_end(std::string_view s) const {
    if (std::memchr(s.data(), '"', s.size()) == nullptr) {
        size_t nl = s.rfind('\n');
        return nl == std::string_view::npos ? 0 : nl + 1;
    }
    // Quotes present: newlines inside quotes do not end a record.
    bool quoted = false;
    size_t last = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '"') quoted = !quoted;
        else if (c == '\n' && !quoted) last = i + 1;
    }
    return last;
}

bool CsvFileReader::next(CsvChunk& chunk) {
    while (true) {
        size_t end = last_record_end(pending_);
        if (end > 0 && (pending_.size() >= chunk_bytes_ || at_end_)) {
            chunk.file_index = file_index_;
            chunk.first_line = line_ + 1;
            // Hand the buffer over and keep only the partial record that follows.
            chunk.text.swap(pending_);
            pending_.assign(chunk.text, end, std::string::npos);
            chunk.text.resize(end);
            chunk.truncated_tail = false;
            chunk.lines = static_cast<uint64_t>(std::count(chunk.text.begin(), chunk.text.end(), '\n'));
            line_ += chunk.lines;
            return true;
        }
        if (!at_end_) {
            refill();
            continue;
        }
        if (pending_.empty()) return false;
        // The file ends without a final newline (or inside an open quote).
        chunk.file_index = file_index_;
        chunk.first_line = line_ + 1;
        chunk.text = std::move(pending_);
        pending_.clear();
        chunk.truncated_tail = source_.truncated();
        chunk.lines = static_cast<uint64_t>(std::count(chunk.text.begin(), chunk.text.end(), '\n')) + 1;
        line_ += chunk.lines;
        return true;
    }
}

// The next quote is searched once and remembered, so a chunk without quotes
// costs one scan, not one per record.
void RecordCursor::find_next_quote() {
    if (quote_known_ && (next_quote_ == std::string_view::npos || next_quote_ >= pos_)) return;
    next_quote_ = text_.find('"', pos_);
    quote_known_ = true;
}

bool RecordCursor::next(std::string_view& record, uint64_t& line) {
    if (pos_ >= text_.size()) return false;
    std::string_view rest = text_.substr(pos_);
    find_next_quote();
    size_t nl = rest.find('\n');
    size_t end;
    if (next_quote_ == std::string_view::npos || (nl != std::string_view::npos && next_quote_ > pos_ + nl)) {
        end = nl == std::string_view::npos ? rest.size() : nl + 1;
    } else {
        bool quoted = false;
        end = rest.size();
        for (size_t i = 0; i < rest.size(); ++i) {
            if (rest[i] == '"') quoted = !quoted;
            else if (rest[i] == '\n' && !quoted) {
                end = i + 1;
                break;
            }
        }
    }
    record = trim_line_end(rest.substr(0, end));
    line = line_;
    line_ += static_cast<uint64_t>(std::count(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
    pos_ += end;
    return true;
}

bool RecordCursor::next(std::string_view& record, uint64_t& line, CsvRecord& fields, char delim, bool& split_ok) {
    if (pos_ >= text_.size()) return false;
    find_next_quote();
    if (delim != '\r' && delim != '\n' && delim != '"') {
        std::string_view rest = text_.substr(pos_);
        const size_t end = fields.split_unquoted_line(rest, delim);
        // Valid when no quote lies in the line; otherwise the careful way below.
        if (next_quote_ == std::string_view::npos || next_quote_ >= pos_ + end) {
            record = trim_line_end(rest.substr(0, end));
            line = line_;
            if (end > 0 && rest[end - 1] == '\n') ++line_;
            pos_ += end;
            split_ok = true;
            return true;
        }
    }
    if (!next(record, line)) return false;
    split_ok = fields.split(record, delim);
    return true;
}

int column_index(const std::vector<std::string>& header, std::string_view name) {
    for (size_t i = 0; i < header.size(); ++i)
        if (header[i] == name) return static_cast<int>(i);
    return -1;
}

void for_each_record(CsvFileReader& reader, char delimiter,
                     const std::function<void(const CsvRecord&, uint64_t, bool)>& visit) {
    CsvChunk chunk;
    CsvRecord rec;
    while (reader.next(chunk)) {
        RecordCursor cur(chunk);
        std::string_view text;
        uint64_t line;
        bool ok;
        while (cur.next(text, line, rec, delimiter, ok))
            if (!text.empty()) visit(rec, line, ok);
    }
}

}  // namespace mpdstat
