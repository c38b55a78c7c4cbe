#pragma once
// Small helpers for writing HTML and SVG text: escaping, and numbers formatted
// the same way on every machine (no locale), so the report is byte-identical
// for the same inputs.
#include <string>
#include <string_view>

namespace mpdstat::report {

// Escapes & < > " ' for text and attribute values.
std::string html_escape(std::string_view text);

// A count or measure for people to read: thousands separated by commas
// ("12,345"), at most `decimals` decimals, trailing zeros dropped ("1,234.5").
std::string format_number(double value, int decimals = 0);

// Chooses the decimals for a value: none from 100 up, one from 10, two from 1,
// three significant digits below 1.
std::string format_value(double value);

// A share as a percentage with one decimal ("12.5 %").
std::string format_percent(double share);

// A coordinate for SVG: one decimal, "-0" written as "0".
std::string svg_number(double value);

}  // namespace mpdstat::report
