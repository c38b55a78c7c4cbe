#include "report/html.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace mpdstat::report {

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string format_number(double value, int decimals) {
    if (!std::isfinite(value)) return "–";
    std::string digits = fmt::format("{:.{}f}", std::fabs(value), decimals);
    std::string fraction;
    if (auto dot = digits.find('.'); dot != std::string::npos) {
        fraction = digits.substr(dot);
        digits.resize(dot);
        while (!fraction.empty() && (fraction.back() == '0' || fraction.back() == '.')) fraction.pop_back();
    }
    std::string grouped;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
        grouped += digits[i];
    }
    bool negative = value < 0 && (grouped != "0" || !fraction.empty());
    return (negative ? "-" : "") + grouped + fraction;
}

std::string format_value(double value) {
    double magnitude = std::fabs(value);
    if (magnitude >= 1 || magnitude == 0 || !std::isfinite(magnitude))
        return format_number(value, magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2);
    // Below 1: three significant digits (0.00196, 0.0456, 0.85).
    int decimals = std::min(8, 2 - static_cast<int>(std::floor(std::log10(magnitude))));
    return format_number(value, decimals);
}

std::string format_percent(double share) { return fmt::format("{:.1f} %", share * 100); }

std::string svg_number(double value) {
    std::string s = fmt::format("{:.1f}", value);
    if (s.size() > 2 && s.ends_with(".0")) s.resize(s.size() - 2);
    if (s == "-0") s = "0";
    return s;
}

}  // namespace mpdstat::report
