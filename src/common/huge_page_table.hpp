#pragma once
// A zero-filled array of trivially copyable slots for large hash tables probed
// at random once per input row. Tables of 2 MiB or more are asked to sit on
// transparent huge pages: with 4 KiB pages nearly every probe of a table of
// tens of MiB also misses the TLB, which costs more than the probe itself
// (doubly so in a virtual machine).
#include <cstddef>
#include <cstring>
#include <type_traits>
#include <utility>

namespace mpdstat {

namespace detail {
void* map_table_bytes(size_t bytes);  // zero-filled; throws std::bad_alloc
void unmap_table_bytes(void* p, size_t bytes) noexcept;
}  // namespace detail

template <class T>
class HugePageTable {
    static_assert(std::is_trivially_copyable_v<T>);

public:
    HugePageTable() = default;
    explicit HugePageTable(size_t n) : data_(static_cast<T*>(detail::map_table_bytes(n * sizeof(T)))), size_(n) {}
    HugePageTable(HugePageTable&& o) noexcept : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)) {}
    HugePageTable& operator=(HugePageTable&& o) noexcept {
        if (this != &o) {
            release();
            data_ = std::exchange(o.data_, nullptr);
            size_ = std::exchange(o.size_, 0);
        }
        return *this;
    }
    HugePageTable(const HugePageTable& o) : HugePageTable(o.size_) {
        if (size_) std::memcpy(data_, o.data_, size_ * sizeof(T));
    }
    HugePageTable& operator=(const HugePageTable& o) {
        if (this != &o) *this = HugePageTable(o);
        return *this;
    }
    ~HugePageTable() { release(); }

    size_t size() const noexcept { return size_; }
    T& operator[](size_t i) noexcept { return data_[i]; }
    const T& operator[](size_t i) const noexcept { return data_[i]; }
    T* begin() noexcept { return data_; }
    T* end() noexcept { return data_ + size_; }
    const T* begin() const noexcept { return data_; }
    const T* end() const noexcept { return data_ + size_; }

private:
    void release() noexcept {
        if (data_) detail::unmap_table_bytes(data_, size_ * sizeof(T));
        data_ = nullptr;
        size_ = 0;
    }
    T* data_ = nullptr;
    size_t size_ = 0;
};

}  // namespace mpdstat
