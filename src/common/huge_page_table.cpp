#include "common/huge_page_table.hpp"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <new>

namespace mpdstat::detail {

namespace {
constexpr size_t kHugePage = size_t(2) << 20;
}

void* map_table_bytes(size_t bytes) {
    if (bytes == 0) bytes = 1;
    if (bytes < kHugePage) {
        void* p = std::calloc(1, bytes);
        if (!p) throw std::bad_alloc();
        return p;
    }
    // Anonymous mappings come zero-filled. Map one huge page more than needed
    // and trim it so the table starts on a huge-page boundary; the advice is a
    // hint the kernel may ignore.
    size_t len = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void* raw = ::mmap(nullptr, len + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    auto begin = reinterpret_cast<uintptr_t>(raw);
    uintptr_t aligned = (begin + kHugePage - 1) / kHugePage * kHugePage;
    if (aligned > begin) ::munmap(raw, aligned - begin);
    if (uintptr_t tail = begin + len + kHugePage - (aligned + len); tail > 0)
        ::munmap(reinterpret_cast<void*>(aligned + len), tail);
    void* p = reinterpret_cast<void*>(aligned);
    ::madvise(p, len, MADV_HUGEPAGE);
    return p;
}

void unmap_table_bytes(void* p, size_t bytes) noexcept {
    if (bytes == 0) bytes = 1;
    if (bytes < kHugePage) {
        std::free(p);
        return;
    }
    ::munmap(p, (bytes + kHugePage - 1) / kHugePage * kHugePage);
}

}  // namespace mpdstat::detail
