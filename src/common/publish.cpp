#include "common/publish.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/sha256.hpp"

namespace mpdstat {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

constexpr const char* kJournal = ".publish.json";

json read_json_or_empty(const fs::path& p) {
    std::error_code ec;
    if (!fs::exists(p, ec)) return json::object();
    try {
        return json::parse(read_file(p));
    } catch (const std::exception&) {
        return json::object();
    }
}

// Files the manifest lists as published outputs.
std::vector<std::string> listed_files(const json& manifest) {
    std::vector<std::string> out;
    if (manifest.contains("outputs") && manifest["outputs"].contains("files"))
        for (const auto& f : manifest["outputs"]["files"]) out.push_back(f.at("path").get<std::string>());
    return out;
}

bool is_temporary(const fs::path& p) { return p.filename().string().find(".tmp-") != std::string::npos; }

}  // namespace

fs::path staging_dir(const fs::path& out_dir) { return out_dir / ".staging"; }

bool finish_interrupted_publish(const fs::path& out_dir) {
    const fs::path journal = out_dir / kJournal;
    std::error_code ec;
    // Temporary files of a killed publish (the journal's and the manifest's).
    for (const auto& e : fs::directory_iterator(out_dir, ec)) {
        std::string n = e.path().filename().string();
        if (n.rfind("manifest.json.tmp-", 0) == 0 || n.rfind(std::string(kJournal) + ".tmp-", 0) == 0) fs::remove(e.path(), ec);
    }
    if (!fs::exists(journal, ec)) return false;
    json j;
    try {
        j = json::parse(read_file(journal));
    } catch (const std::exception&) {
        // The journal is written atomically, so it is whole or absent; an
        // unreadable one was damaged afterwards.
        throw data_error(fmt::format("{}: unreadable publish journal; remove {} and rerun", journal.string(), out_dir.string()));
    }
    const fs::path staging = staging_dir(out_dir);
    for (const auto& rel : j.at("move")) {
        fs::path from = staging / rel.get<std::string>(), to = out_dir / rel.get<std::string>();
        if (!fs::exists(from, ec)) continue;  // moved before the interruption
        fs::create_directories(to.parent_path());
        fs::rename(from, to);
    }
    for (const auto& rel : j.at("remove")) fs::remove(out_dir / rel.get<std::string>(), ec);
    if (fs::exists(staging / "manifest.json", ec)) fs::rename(staging / "manifest.json", out_dir / "manifest.json");
    // The renames are durable before the journal that would redo them goes.
    std::set<fs::path> dirs{out_dir};
    for (const auto& rel : j.at("move")) dirs.insert((out_dir / rel.get<std::string>()).parent_path());
    for (const auto& d : dirs) fsync_file(d);
    fs::remove(journal);
    fs::remove_all(staging, ec);
    return true;
}

fs::path prepare_staging(const fs::path& out_dir, bool keep) {
    fs::create_directories(out_dir);
    finish_interrupted_publish(out_dir);
    const fs::path staging = staging_dir(out_dir);
    std::error_code ec;
    if (!keep) fs::remove_all(staging, ec);
    fs::create_directories(staging);
    if (!fs::exists(staging / "manifest.json", ec)) {
        json m = read_json_or_empty(out_dir / "manifest.json");
        m.erase("outputs");
        write_file_atomically(staging / "manifest.json", m.dump(2) + "\n");
    }
    return staging;
}

std::vector<PublishedFile> publish_staging(const fs::path& out_dir) {
    const fs::path staging = staging_dir(out_dir);
    std::vector<PublishedFile> files;
    for (const auto& e : fs::recursive_directory_iterator(staging)) {
        if (!e.is_regular_file() || is_temporary(e.path())) continue;
        std::string rel = e.path().lexically_relative(staging).generic_string();
        if (rel == "manifest.json") continue;
        files.push_back({rel, e.file_size(), sha256_file(e.path())});
    }
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.path < b.path; });

    json manifest = read_json_or_empty(staging / "manifest.json");
    json listing = json::array();
    std::set<std::string> now;
    for (const auto& f : files) {
        listing.push_back({{"path", f.path}, {"size", f.size}, {"sha256", f.sha256}});
        now.insert(f.path);
    }
    json stale = json::array();
    for (const auto& old : listed_files(read_json_or_empty(out_dir / "manifest.json")))
        if (!now.count(old)) stale.push_back(old);

    // Every staged byte durable before the journal names it (GDAL's files are
    // not fsynced as they are written).
    for (const auto& f : files) fsync_file(staging / f.path);
    json journal;
    journal["move"] = json::array();
    for (const auto& f : files) journal["move"].push_back(f.path);
    journal["remove"] = stale;
    write_file_atomically(out_dir / kJournal, journal.dump(1) + "\n");

    manifest["outputs"] = {{"status", "publishing"}, {"files", listing}};
    write_file_atomically(out_dir / "manifest.json", manifest.dump(2) + "\n");
    manifest["outputs"]["status"] = "complete";
    write_file_atomically(staging / "manifest.json", manifest.dump(2) + "\n");
    finish_interrupted_publish(out_dir);
    return files;
}

std::vector<std::string> verify_published(const fs::path& out_dir) {
    std::vector<std::string> problems;
    std::error_code ec;
    if (fs::exists(out_dir / kJournal, ec))
        problems.push_back(fmt::format("{}: a publish was interrupted; the next 'mpdstat run' (or run --resume) completes it",
                                       (out_dir / kJournal).string()));
    json m = read_json_or_empty(out_dir / "manifest.json");
    if (!m.contains("outputs")) {
        problems.push_back(fmt::format("{}: lists no published outputs", (out_dir / "manifest.json").string()));
        return problems;
    }
    if (m["outputs"].value("status", "") != "complete")
        problems.push_back(fmt::format("{}: outputs.status is '{}', not 'complete'", (out_dir / "manifest.json").string(),
                                       m["outputs"].value("status", "")));
    for (const auto& f : m["outputs"]["files"]) {
        fs::path p = out_dir / f.at("path").get<std::string>();
        if (!fs::is_regular_file(p, ec)) problems.push_back(fmt::format("{}: listed in the manifest but missing", p.string()));
        else if (sha256_file(p) != f.at("sha256").get<std::string>())
            problems.push_back(fmt::format("{}: does not match the SHA-256 in the manifest", p.string()));
    }
    return problems;
}

}  // namespace mpdstat
