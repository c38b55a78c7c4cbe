#include "common/manifest.hpp"

#include <cstdio>
#include <ctime>
#include <vector>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "config/config.hpp"

namespace mpdstat {

using json = nlohmann::ordered_json;

std::string sha256_file(const std::filesystem::path& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) throw data_error(fmt::format("{}: cannot open to compute its checksum", path.string()));
    // OpenSSL's SHA-256 uses the CPU's SHA extensions (or AVX2): several times
    // libsodium's portable code on large inputs.
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1) {
        EVP_MD_CTX_free(ctx);
        std::fclose(f);
        throw runtime_error("libcrypto failed to initialise SHA-256");
    }
    // One buffer per thread: checksumming many small files must not allocate and clear 1 MiB each time.
    thread_local std::vector<unsigned char> buf(1 << 20);
    size_t n;
    bool ok = true;
    while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) ok = ok && EVP_DigestUpdate(ctx, buf.data(), n) == 1;
    bool failed = std::ferror(f);
    std::fclose(f);
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    ok = ok && EVP_DigestFinal_ex(ctx, d, &len) == 1 && len == 32;
    EVP_MD_CTX_free(ctx);
    if (failed) throw data_error(fmt::format("{}: read error while computing its checksum", path.string()));
    if (!ok) throw runtime_error(fmt::format("{}: SHA-256 failed", path.string()));
    char hex[2 * 32 + 1];
    sodium_bin2hex(hex, sizeof hex, d, len);
    return hex;
}

void update_manifest(const Config& config, const std::string& stage, const json& section) {
    auto path = config.run.output_root() / "manifest.json";
    json m = json::object();
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
        try {
            m = json::parse(read_file(path));
        } catch (const std::exception&) {
            m = json::object();  // an unreadable manifest is rebuilt
        }
    }
    // Files written after a publish make its list stale: the next publish
    // writes a new one (common/publish.hpp).
    m.erase("outputs");
    m["mpdstat_version"] = MPDSTAT_VERSION;
    m["config_file"] = config.source.string();
    if (!config.source.empty() && std::filesystem::exists(config.source, ec)) m["config_sha256"] = sha256_file(config.source);
    m["config"] = json::parse(config_to_json(config));
    std::time_t now = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    json s = section;
    s["finished_at"] = buf;
    m["stages"][stage] = s;
    write_file_atomically(path, m.dump(2) + "\n");
}

}  // namespace mpdstat
