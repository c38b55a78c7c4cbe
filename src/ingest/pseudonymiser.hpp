#pragma once
// Subscriber id → device pseudonym, a keyed BLAKE2b hash (libsodium) truncated
// to 64 bits. The key comes from a file or an environment variable, never from
// the config text; the key file must not be readable by other users. Reading
// a key makes the process non-dumpable; key buffers are wiped after use and
// when the pseudonymiser is destroyed.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/flat_string_map.hpp"
#include "common/packed_id_map.hpp"
#include "config/config.hpp"

namespace mpdstat {

class Pseudonymiser {
public:
    static constexpr size_t kKeyBytes = 32;

    // From the config: key_file or key_env. Without a key the input must be
    // declared already pseudonymised (then ids are hashed without a key, only
    // to give them a fixed width). Throws config_error with a clear message.
    static Pseudonymiser from_config(const InputConfig& in);
    static Pseudonymiser with_key(std::string_view key_material);  // ≥ 16 bytes
    static Pseudonymiser unkeyed();
    Pseudonymiser() = default;
    Pseudonymiser(const Pseudonymiser&) = default;
    Pseudonymiser& operator=(const Pseudonymiser&) = default;
    ~Pseudonymiser();  // wipes the key

    uint64_t device(std::string_view raw_id) const;
    bool keyed() const noexcept { return keyed_; }
    // A short public fingerprint of the key (a hash of it), stored with the
    // event store so that stores made with different keys are never mixed.
    std::string key_fingerprint() const;

private:
    std::array<unsigned char, kKeyBytes> key_{};
    bool keyed_ = false;
};

// Per-thread memo of raw id → pseudonym: most subscribers have many events.
// Decimal ids (MSISDNs, IMSIs) are kept packed in 16-byte slots, other ids by
// their text. The memo lives in process memory only and is never written out.
class PseudonymCache {
public:
    explicit PseudonymCache(const Pseudonymiser& p, size_t max_entries = 1 << 18)
        : p_(p), numeric_(max_entries), text_(max_entries) {}
    uint64_t device(std::string_view raw_id);
    // Starts loading the memo slot of `raw_id` (a look-up soon after is then a cache hit).
    void prefetch(std::string_view raw_id) const noexcept;

private:
    const Pseudonymiser& p_;
    PackedIdMap<uint64_t> numeric_;
    FlatStringMap<uint64_t> text_;
};

// 16 lowercase hex digits.
std::string device_hex(uint64_t device);

}  // namespace mpdstat
