#pragma once
// Shared helpers for tests: temporary folders, fixtures, running the CLI.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>

#include <unistd.h>

namespace mpdstat::test {

namespace fs = std::filesystem;

class TempDir {
public:
    TempDir() {
        static int counter = 0;
        path_ = fs::temp_directory_path() / ("mpdstat-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        if (!std::getenv("MPDSTAT_KEEP_TEST_DIRS")) fs::remove_all(path_, ec);
    }
    const fs::path& path() const { return path_; }
    fs::path operator/(const std::string& p) const { return path_ / p; }

private:
    fs::path path_;
};

// How many times `what` occurs in `text` (overlapping occurrences included).
inline size_t occurrences(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

inline fs::path fixture(const std::string& name) { return fs::path(MPDSTAT_TEST_DATA) / name; }

// Copies a fixture folder into `dest` and returns dest.
inline fs::path copy_fixture(const std::string& name, const fs::path& dest) {
    fs::create_directories(dest);
    fs::copy(fixture(name), dest, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    return dest;
}

inline std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline void spit(const fs::path& p, const std::string& s) {
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << s;
}

struct RunResult {
    int exit_code;
    std::string out;  // stdout and stderr together
};

// Runs the mpdstat binary with arguments (shell-quoted by the caller).
inline RunResult run_cli(const std::string& args) {
    TempDir tmp;
    fs::path log = tmp / "out.txt";
    std::string cmd = std::string(MPDSTAT_BINARY) + " " + args + " > " + log.string() + " 2>&1";
    int rc = std::system(cmd.c_str());
    int code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    return {code, slurp(log)};
}

// Every file under `root` with its bytes, relative paths as keys.
inline std::map<std::string, std::string> tree_bytes(const fs::path& root) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(root))
        if (e.is_regular_file()) out[fs::relative(e.path(), root).string()] = slurp(e.path());
    return out;
}

}  // namespace mpdstat::test
