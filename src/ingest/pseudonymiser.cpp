#include "ingest/pseudonymiser.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <cstring>

#include <fmt/format.h>
#include <sodium.h>

#include "common/atomic_file.hpp"
#include "common/error.hpp"

namespace mpdstat {

namespace {
void ensure_sodium() {
    if (sodium_init() < 0) throw runtime_error("libsodium failed to initialise");
}
}  // namespace

Pseudonymiser Pseudonymiser::with_key(std::string_view material) {
    ensure_sodium();
    if (material.size() < 16) throw config_error("the pseudonymisation key is too short: it needs at least 16 bytes");
    Pseudonymiser p;
    // Any key length is accepted; it is condensed to 32 bytes.
    static constexpr char context[] = "mpdstat pseudonymisation key v1";
    crypto_generichash(p.key_.data(), p.key_.size(), reinterpret_cast<const unsigned char*>(material.data()),
                       material.size(), reinterpret_cast<const unsigned char*>(context), sizeof context - 1);
    p.keyed_ = true;
    return p;
}

Pseudonymiser Pseudonymiser::unkeyed() {
    ensure_sodium();
    return Pseudonymiser{};
}

Pseudonymiser Pseudonymiser::from_config(const InputConfig& in) {
    std::string material;
    if (!in.key_file.empty()) {
        struct stat st {};
        if (::stat(in.key_file.c_str(), &st) != 0)
            throw config_error(fmt::format("{}: pseudonymisation key file not found (input.key_file)", in.key_file.string()));
        if (st.st_mode & S_IROTH)
            throw config_error(fmt::format("{}: the key file is readable by every user; restrict it (chmod 600) before use",
                                           in.key_file.string()));
        material = read_file(in.key_file);
        while (!material.empty() && (material.back() == '\n' || material.back() == '\r')) material.pop_back();
    } else if (!in.key_env.empty()) {
        const char* v = std::getenv(in.key_env.c_str());
        if (!v || !*v)
            throw config_error(fmt::format("environment variable {} (input.key_env) is not set: it must hold the "
                                           "pseudonymisation key", in.key_env));
        material = v;
    } else if (in.already_pseudonymised) {
        return unkeyed();
    } else {
        throw config_error("no pseudonymisation key: set input.key_file or input.key_env, or "
                           "input.already_pseudonymised = true if user ids are already pseudonyms");
    }
    Pseudonymiser p = with_key(material);
    sodium_memzero(material.data(), material.size());
    return p;
}

uint64_t Pseudonymiser::device(std::string_view raw) const {
    unsigned char out[16];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                       keyed_ ? key_.data() : nullptr, keyed_ ? key_.size() : 0);
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= uint64_t(out[i]) << (8 * i);
    return v;
}

std::string Pseudonymiser::key_fingerprint() const {
    if (!keyed_) return "unkeyed";
    unsigned char out[8];
    static constexpr char label[] = "mpdstat key fingerprint";
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(label), sizeof label - 1, key_.data(),
                       key_.size());
    char hex[17];
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    return hex;
}

uint64_t PseudonymCache::device(std::string_view raw) {
    if (const uint64_t* hit = memo_.find(raw)) return *hit;
    uint64_t d = p_.device(raw);
    memo_.insert(raw, d);
    return d;
}

std::string device_hex(uint64_t device) { return fmt::format("{:016x}", device); }

}  // namespace mpdstat
