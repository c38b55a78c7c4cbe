#pragma once
// A small binary archive for shipping accumulator state between processes
// (MPI ranks, or any engine that drives the per-bucket work): numbers,
// strings, vectors, maps, pairs, tuples, arrays and trivially copyable
// structs, in native byte order (ranks of one job share an architecture).
//
//   std::string bytes;  archive_write(bytes, counts_, total_);
//   ArchiveReader in(bytes); in.read(counts_, total_);   // replaces the values
//
// A short or malformed buffer is a runtime_error, never undefined behaviour.
#include <array>
#include <cstdint>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/error.hpp"

namespace mpdstat {

namespace archive_detail {
template <class T>
inline constexpr bool raw_v = std::is_trivially_copyable_v<T>;
}  // namespace archive_detail

class ArchiveWriter {
public:
    explicit ArchiveWriter(std::string& out) : out_(out) {}

    template <class... T>
    void write(const T&... v) {
        (put(v), ...);
    }

private:
    void bytes(const void* p, size_t n) { out_.append(static_cast<const char*>(p), n); }
    void size(size_t n) {
        uint64_t v = n;
        bytes(&v, sizeof v);
    }
    void put(const std::string& s) {
        size(s.size());
        bytes(s.data(), s.size());
    }
    template <class A, class B>
    void put(const std::pair<A, B>& p) {
        put(p.first);
        put(p.second);
    }
    template <class... A>
    void put(const std::tuple<A...>& t) {
        std::apply([this](const A&... a) { (put(a), ...); }, t);
    }
    template <class A>
    void put(const std::vector<A>& v) {
        size(v.size());
        if constexpr (archive_detail::raw_v<A>) bytes(v.data(), v.size() * sizeof(A));
        else
            for (const auto& x : v) put(x);
    }
    template <class K, class V, class C>
    void put(const std::map<K, V, C>& m) {
        size(m.size());
        for (const auto& [k, v] : m) {
            put(k);
            put(v);
        }
    }
    template <class K, class C>
    void put(const std::set<K, C>& s) {
        size(s.size());
        for (const auto& k : s) put(k);
    }
    template <class A, size_t N>
    void put(const std::array<A, N>& a) {
        if constexpr (archive_detail::raw_v<A>) bytes(a.data(), sizeof(A) * N);
        else
            for (const auto& x : a) put(x);
    }
    template <class T>
        requires archive_detail::raw_v<T>
    void put(const T& v) {
        bytes(&v, sizeof v);
    }

    std::string& out_;
};

class ArchiveReader {
public:
    explicit ArchiveReader(std::string_view in) : in_(in) {}

    template <class... T>
    void read(T&... v) {
        (get(v), ...);
    }
    bool at_end() const noexcept { return at_ == in_.size(); }

private:
    void bytes(void* p, size_t n) {
        if (n > in_.size() - at_) throw runtime_error("archive: truncated accumulator state");
        if (n) std::memcpy(p, in_.data() + at_, n);
        at_ += n;
    }
    size_t size() {
        uint64_t v = 0;
        bytes(&v, sizeof v);
        if (v > in_.size()) throw runtime_error("archive: malformed accumulator state");
        return static_cast<size_t>(v);
    }
    void get(std::string& s) {
        s.resize(size());
        bytes(s.data(), s.size());
    }
    template <class A, class B>
    void get(std::pair<A, B>& p) {
        get(const_cast<std::remove_const_t<A>&>(p.first));
        get(p.second);
    }
    template <class... A>
    void get(std::tuple<A...>& t) {
        std::apply([this](A&... a) { (get(a), ...); }, t);
    }
    template <class A>
    void get(std::vector<A>& v) {
        size_t n = size();
        if constexpr (archive_detail::raw_v<A>) {
            if (n > (in_.size() - at_) / (sizeof(A) ? sizeof(A) : 1)) throw runtime_error("archive: truncated vector");
            v.resize(n);
            bytes(v.data(), n * sizeof(A));
        } else {
            v.clear();
            v.resize(n);
            for (auto& x : v) get(x);
        }
    }
    template <class K, class V, class C>
    void get(std::map<K, V, C>& m) {
        m.clear();
        size_t n = size();
        for (size_t i = 0; i < n; ++i) {
            K k{};
            V v{};
            get(k);
            get(v);
            m.emplace_hint(m.end(), std::move(k), std::move(v));
        }
    }
    template <class K, class C>
    void get(std::set<K, C>& s) {
        s.clear();
        size_t n = size();
        for (size_t i = 0; i < n; ++i) {
            K k{};
            get(k);
            s.emplace_hint(s.end(), std::move(k));
        }
    }
    template <class A, size_t N>
    void get(std::array<A, N>& a) {
        if constexpr (archive_detail::raw_v<A>) bytes(a.data(), sizeof(A) * N);
        else
            for (auto& x : a) get(x);
    }
    template <class T>
        requires archive_detail::raw_v<T>
    void get(T& v) {
        bytes(&v, sizeof v);
    }

    std::string_view in_;
    size_t at_ = 0;
};

template <class... T>
void archive_write(std::string& out, const T&... v) {
    ArchiveWriter(out).write(v...);
}

}  // namespace mpdstat
