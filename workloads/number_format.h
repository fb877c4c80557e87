#ifndef MULTIPLEX_WORKLOADS_NUMBER_FORMAT_H_
#define MULTIPLEX_WORKLOADS_NUMBER_FORMAT_H_

// Moved to core/number_format.h; include that. This forwarding header goes
// once no file includes it.
#include "core/number_format.h"  // IWYU pragma: export

#endif  // MULTIPLEX_WORKLOADS_NUMBER_FORMAT_H_
