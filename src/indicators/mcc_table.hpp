#pragma once
// Mobile country codes (ITU-T E.212) → ISO 3166-1 alpha-2 country codes, for
// roaming indicators. Shipped with mpdstat; docs/tourism.md lists its source
// and how to report a missing code.
#include <cstdint>
#include <string_view>

namespace mpdstat {

// "FR" for 208; "" when the code is not in the table.
std::string_view mcc_country(uint16_t mcc);

}  // namespace mpdstat
