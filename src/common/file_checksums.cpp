#include "common/file_checksums.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/sha256.hpp"

namespace mpdstat {

namespace fs = std::filesystem;

void write_checksums(const fs::path& dir, const std::vector<fs::path>& files) {
    nlohmann::ordered_json j;
    j["files"] = nlohmann::ordered_json::object();
    for (const auto& f : files) j["files"][f.lexically_relative(dir).generic_string()] = sha256_file(f);
    write_file_atomically(dir / "checksums.json", j.dump(1) + "\n");
}

void verify_checksums(const fs::path& dir) {
    const fs::path list = dir / "checksums.json";
    std::error_code ec;
    if (!fs::exists(list, ec)) throw data_error(fmt::format("{}: missing; the files beside it cannot be trusted", list.string()));
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(read_file(list));
        for (const auto& [rel, sum] : j.at("files").items()) {
            fs::path f = dir / rel;
            if (!fs::is_regular_file(f, ec))
                throw data_error(fmt::format("{}: missing (listed in {})", f.string(), list.string()));
            if (sha256_file(f) != sum.get<std::string>())
                throw data_error(fmt::format("{}: checksum mismatch: the file is corrupt or was changed after it was "
                                             "written; it is not used", f.string()));
        }
    } catch (const nlohmann::json::exception& e) {
        throw data_error(fmt::format("{}: unreadable ({})", list.string(), e.what()));
    }
}

}  // namespace mpdstat
