// PostgreSQL MD5 password authentication ("AuthenticationMD5Password").
//
// Pure functions over strings; no state, no I/O, safe from any thread.
//
// The exchange: the server sends a 4-byte random salt; the client answers
// with a PasswordMessage holding
//   "md5" + hex(md5( hex(md5(password + user)) + salt ))
// The inner part, "md5" + hex(md5(password + user)), is what PostgreSQL
// stores in pg_authid.rolpassword, so a proxy holding only that stored hash
// can both answer a backend's challenge and check a client's answer.
//
// MD5 is weak; PostgreSQL deprecates it in favour of SCRAM-SHA-256. It is
// here because existing deployments still use it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace switchyard::pg {

using Md5Salt = std::array<uint8_t, 4>;

// "md5" + 32 lowercase hex digits of md5(password + user): the pg_authid form.
std::string Md5PasswordHash(std::string_view user, std::string_view password);

// True when `s` has the exact shape of Md5PasswordHash()'s output. PostgreSQL
// applies the same test to decide whether a stored password is already hashed.
bool IsMd5PasswordHash(std::string_view s);

// The string a client puts in its PasswordMessage (without the trailing NUL).
// `stored_or_plain` is either a plaintext password or an already hashed value
// (IsMd5PasswordHash); both give the same answer for the same password.
std::string Md5Response(std::string_view stored_or_plain, std::string_view user, Md5Salt salt);

// Server side: does the client's PasswordMessage payload (without the NUL)
// match the expected answer for this user and salt? Compares in constant time
// so the timing leaks nothing about how much of the answer was right.
bool VerifyMd5Response(std::string_view stored_or_plain, std::string_view user, Md5Salt salt,
                       std::string_view client_response);

}  // namespace switchyard::pg
