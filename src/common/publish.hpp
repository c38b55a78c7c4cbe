#pragma once
// Publishing a run's outputs all at once. `mpdstat run` writes every out_dir
// file into out_dir/.staging/; when the run is complete, publish_staging()
// moves them into place:
//
//   1. out_dir/.publish.json (the journal) lists the files to move and the
//      stale files to remove (listed by the previous manifest, not produced now);
//   2. out_dir/manifest.json is replaced by the new one with
//      outputs.status = "publishing";
//   3. each staged file is renamed over its target; stale files are removed;
//   4. the new manifest, with outputs.status = "complete" and every file's
//      size and SHA-256, is renamed into place; the journal and staging go.
//
// A process killed before step 1 leaves the previous outputs untouched; killed
// during steps 2–4 it leaves a journal, and the next run (or
// finish_interrupted_publish) completes the moves. So a manifest whose
// outputs.status is "complete" always lists files that match their SHA-256.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace mpdstat {

std::filesystem::path staging_dir(const std::filesystem::path& out_dir);

// Completes a publish that a killed process left half done; true if there was one.
bool finish_interrupted_publish(const std::filesystem::path& out_dir);

// Finishes any interrupted publish, then makes the staging folder ready:
// emptied unless `keep` (a resumed run continues in it), holding a manifest
// that starts from the published one (its stage sections, no file list).
std::filesystem::path prepare_staging(const std::filesystem::path& out_dir, bool keep);

struct PublishedFile {
    std::string path;  // relative to out_dir, '/'-separated
    uint64_t size = 0;
    std::string sha256;
};

// Steps 1–4 above; returns the files published (manifest.json excluded).
std::vector<PublishedFile> publish_staging(const std::filesystem::path& out_dir);

// Problems of a published out_dir: an unfinished publish, or a file listed in
// the manifest that is missing or does not match its SHA-256. Empty when the
// outputs are complete and intact.
std::vector<std::string> verify_published(const std::filesystem::path& out_dir);

}  // namespace mpdstat
