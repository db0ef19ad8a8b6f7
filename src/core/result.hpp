#pragma once
// Expected failures are values: a Result<T> holds either a value
// or an Error whose code is stable (clients and tests match on it) and whose message
// says what a person can do about it.
#include <cassert>
#include <string>
#include <utility>
#include <variant>

#include "core/error_code.hpp"

namespace tenantsync {

struct Error {
  core::ErrorCode code = core::ErrorCode::internal_error;  ///< stable; core::to_string spells it
  std::string message;                                     ///< a sentence a user can act on

  bool is(core::ErrorCode c) const { return code == c; }
};

inline Error make_error(core::ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

/// E is the failure type: tenantsync's Error everywhere except the simulator, which speaks its
/// providers' own protocol codes.
template <class T, class E = Error>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(E error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(state_); }
  const T& value() const& { assert(ok()); return std::get<0>(state_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const E& error() const {
    assert(!ok());
    return std::get<1>(state_);
  }

 private:
  std::variant<T, E> state_;
};

template <class E>
class [[nodiscard]] Result<void, E> {
 public:
  Result() = default;
  Result(E error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const E& error() const {
    assert(!ok_);
    return error_;
  }

 private:
  E error_{};
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace tenantsync
