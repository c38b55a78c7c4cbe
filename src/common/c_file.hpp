#pragma once
// A C stdio file that closes when it goes out of scope, and a read at an
// offset: for the binary files read block by block (spills, the parse cache).
#include <sys/types.h>

#include <cstdint>
#include <cstdio>

namespace mpdstat {

struct ClosingFile {
    std::FILE* f = nullptr;
    ~ClosingFile() {
        if (f) std::fclose(f);
    }
};

// Reads exactly n bytes at `offset`; false when the file is shorter or unreadable.
inline bool read_at(std::FILE* f, uint64_t offset, void* out, size_t n) {
    return ::fseeko(f, static_cast<off_t>(offset), SEEK_SET) == 0 && std::fread(out, 1, n, f) == n;
}

}  // namespace mpdstat
