#ifndef MULTIPLEX_CORE_STATUS_MACROS_H_
#define MULTIPLEX_CORE_STATUS_MACROS_H_

// Propagating absl::Status without hand-written `if (!s.ok()) return s;`
// (the Abseil that Debian ships has no status macros):
//
//   RETURN_IF_ERROR(WriteHeader(out));
//   ASSIGN_OR_RETURN(Workload w, ReadTrace(path));
//   ASSIGN_OR_RETURN(auto model, CreateCostModel(spec));
//
// ASSIGN_OR_RETURN declares (or assigns) its left-hand side in the calling
// scope, moving the value out of the StatusOr; on error the enclosing
// function returns the status (an absl::Status or any absl::StatusOr<T>).

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace multiplex {
namespace status_internal {

inline absl::Status ToStatus(absl::Status s) { return s; }
template <typename T>
absl::Status ToStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

}  // namespace status_internal
}  // namespace multiplex

#define MULTIPLEX_STATUS_CONCAT_INNER_(a, b) a##b
#define MULTIPLEX_STATUS_CONCAT_(a, b) MULTIPLEX_STATUS_CONCAT_INNER_(a, b)

#define RETURN_IF_ERROR(expr)                                             \
  do {                                                                    \
    absl::Status multiplex_status_ =                                      \
        ::multiplex::status_internal::ToStatus((expr));                   \
    if (!multiplex_status_.ok()) return multiplex_status_;                \
  } while (false)

#define ASSIGN_OR_RETURN(lhs, expr)                                          \
  MULTIPLEX_ASSIGN_OR_RETURN_IMPL_(                                          \
      MULTIPLEX_STATUS_CONCAT_(multiplex_statusor_, __LINE__), lhs, expr)

#define MULTIPLEX_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                     \
  if (!statusor.ok()) return std::move(statusor).status();    \
  lhs = std::move(statusor).value()

#endif  // MULTIPLEX_CORE_STATUS_MACROS_H_
