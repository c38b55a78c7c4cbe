#include "ingest/hive_partition.hpp"

namespace mpdstat {

namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_decode(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        int hi, lo;
        if (s[i] == '%' && i + 2 < s.size() && (hi = hex_digit(s[i + 1])) >= 0 &&
            (lo = hex_digit(s[i + 2])) >= 0) {
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> hive_partitions(const std::filesystem::path& file) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& part : file.parent_path()) {
        std::string s = part.string();
        size_t eq = s.find('=');
        if (eq == std::string::npos || eq == 0) continue;
        std::string key = percent_decode(s.substr(0, eq));
        std::string value = percent_decode(s.substr(eq + 1));
        if (value == "__HIVE_DEFAULT_PARTITION__") value.clear();
        bool replaced = false;
        for (auto& kv : out)
            if (kv.first == key) {
                kv.second = value;
                replaced = true;
            }
        if (!replaced) out.emplace_back(std::move(key), std::move(value));
    }
    return out;
}

}  // namespace mpdstat
