#pragma once
// Reading one TOML table of a config file: typed getters that remember which
// keys were asked for, so that every key left over is reported as unknown with
// the closest known key (a typo must not pass silently). Shared by the job
// config (config.cpp) and the estimate config (estimate_config.cpp).
#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "common/error.hpp"

namespace mpdstat::toml_config {

namespace fs = std::filesystem;

inline size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

// Reads one TOML table, remembering which keys were read, so that every key
// left over is reported as unknown (a typo must not pass silently).
class Section {
public:
    Section(const toml::table* t, std::string path, const std::string& file) : t_(t), path_(std::move(path)), file_(file) {}

    template <class T>
    void get(const char* key, T& out) {
        known_.insert(key);
        if (!t_) return;
        const toml::node* n = t_->get(key);
        if (!n) return;
        if constexpr (std::is_same_v<T, bool>) {
            if (auto v = n->value_exact<bool>()) { out = *v; return; }
            fail(*n, key, "a boolean (true or false)");
        } else if constexpr (std::is_integral_v<T>) {
            if (auto v = n->value_exact<int64_t>()) { out = static_cast<T>(*v); return; }
            fail(*n, key, "an integer");
        } else if constexpr (std::is_floating_point_v<T>) {
            if (auto v = n->value<double>()) { out = *v; return; }
            fail(*n, key, "a number");
        } else if constexpr (std::is_same_v<T, fs::path>) {
            if (auto v = n->value_exact<std::string>()) { out = fs::path(*v); return; }
            fail(*n, key, "a path string");
        } else {
            if (auto v = n->value_exact<std::string>()) { out = *v; return; }
            fail(*n, key, "a string");
        }
    }

    void get_strings(const char* key, std::vector<std::string>& out) {
        known_.insert(key);
        if (!t_) return;
        const toml::node* n = t_->get(key);
        if (!n) return;
        if (auto s = n->value_exact<std::string>()) { out = {*s}; return; }
        const toml::array* a = n->as_array();
        if (!a) fail(*n, key, "a string or an array of strings");
        out.clear();
        for (const auto& e : *a) {
            auto s = e.value_exact<std::string>();
            if (!s) fail(e, key, "an array of strings");
            out.push_back(*s);
        }
    }

    const toml::node* raw(const char* key) {
        known_.insert(key);
        return t_ ? t_->get(key) : nullptr;
    }

    const toml::table* table(const char* key) {
        known_.insert(key);
        if (!t_) return nullptr;
        const toml::node* n = t_->get(key);
        if (!n) return nullptr;
        if (!n->is_table()) fail(*n, key, "a table");
        return n->as_table();
    }

    [[noreturn]] void fail(const toml::node& n, std::string_view key, std::string_view expected) const {
        throw config_error(fmt::format("{}:{}:{}: '{}' must be {}", file_, n.source().begin.line, n.source().begin.column,
                                       qualified(key), expected));
    }
    [[noreturn]] void invalid(std::string_view key, std::string_view why) const {
        const toml::node* n = t_ ? t_->get(key) : nullptr;
        if (n)
            throw config_error(fmt::format("{}:{}:{}: '{}' {}", file_, n->source().begin.line, n->source().begin.column,
                                           qualified(key), why));
        throw config_error(fmt::format("{}: '{}' {}", file_, qualified(key), why));
    }
    std::string qualified(std::string_view key) const { return path_.empty() ? std::string(key) : path_ + "." + std::string(key); }

    // Reports the first key that no get() asked for.
    void reject_unknown() const {
        if (!t_) return;
        for (const auto& [k, v] : *t_) {
            std::string key(k.str());
            if (known_.count(key)) continue;
            std::string best;
            size_t best_d = 3;
            for (const auto& cand : known_) {
                size_t d = edit_distance(key, cand);
                if (d < best_d) { best_d = d; best = cand; }
            }
            std::string hint = best.empty() ? std::string() : fmt::format(" (did you mean '{}'?)", qualified(best));
            const auto& at = k.source().begin ? k.source() : v.source();
            throw config_error(fmt::format("{}:{}:{}: unknown key '{}'{}", file_, at.begin.line, at.begin.column,
                                           qualified(key), hint));
        }
    }

private:
    const toml::table* t_;
    std::string path_;
    const std::string& file_;
    std::set<std::string> known_;
};

// A path of the config, relative to the config file's folder.
inline fs::path resolve(const fs::path& base, const fs::path& p) {
    if (p.empty() || p.is_absolute()) return p;
    return (base / p).lexically_normal();
}

}  // namespace mpdstat::toml_config
