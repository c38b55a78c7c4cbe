#include "report/section.hpp"

#include <fmt/format.h>

#include "report/html.hpp"

namespace mpdstat::report {

std::string note(std::string_view text) { return R"(<p class="note">)" + html_escape(text) + "</p>"; }

std::string missing_note(std::string_view relative_path, std::string_view why) {
    return fmt::format(R"(<p class="missing">Not in this folder: <code>{}</code> — {}.</p>)", html_escape(relative_path),
                       html_escape(why));
}

std::string tier_note(bool tier3) {
    return tier3 ? "Values are Tier III population estimates (<code>estimate</code>; tooltips give the confidence interval)."
                 : "Values are Tier II counts of this operator's devices, not people (no Tier III estimates in this folder).";
}

}  // namespace mpdstat::report
