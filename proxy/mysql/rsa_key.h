// RSA for caching_sha2_password full authentication.
//
// Without TLS, a client that fails the fast path asks for the server's public
// key and sends RSA-OAEP(password + NUL XOR scramble). The proxy plays the
// server toward clients (it owns an RsaPrivateKey, generated at start or
// loaded from PEM, and hands out its public key PEM) and the client toward
// backends (EncryptPasswordForFullAuth with the backend's PEM).
//
// RsaPrivateKey owns its OpenSSL key; it is movable, not copyable. Const
// methods may be called concurrently from several threads (OpenSSL 3 keys are
// safe for concurrent use once built).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace switchyard::mysql {

class RsaPrivateKey {
 public:
  static absl::StatusOr<RsaPrivateKey> Generate(int bits = 2048);
  // Accepts "BEGIN PRIVATE KEY" (PKCS#8) and "BEGIN RSA PRIVATE KEY" PEM.
  static absl::StatusOr<RsaPrivateKey> FromPem(std::string_view pem);

  // "-----BEGIN PUBLIC KEY-----" (SubjectPublicKeyInfo), what MySQL sends.
  absl::StatusOr<std::string> PublicKeyPem() const;
  // Unencrypted PKCS#8 PEM, to persist a generated key.
  absl::StatusOr<std::string> PrivateKeyPem() const;
  // RSA_PKCS1_OAEP_PADDING decryption.
  absl::StatusOr<std::string> Decrypt(std::string_view ciphertext) const;

 private:
  struct KeyDeleter {
    void operator()(EVP_PKEY* key) const;
  };
  explicit RsaPrivateKey(EVP_PKEY* key) : key_(key) {}

  std::unique_ptr<EVP_PKEY, KeyDeleter> key_;
};

// RSA_PKCS1_OAEP_PADDING encryption with a PEM public key.
absl::StatusOr<std::string> RsaEncrypt(std::string_view public_key_pem, std::string_view plaintext);

// Client side of full authentication: RSA(password + NUL XOR scramble).
absl::StatusOr<std::string> EncryptPasswordForFullAuth(std::string_view public_key_pem,
                                                       std::string_view password,
                                                       std::string_view scramble);
// Server side: the password the client sent (terminator removed).
absl::StatusOr<std::string> DecryptPasswordFromFullAuth(const RsaPrivateKey& key,
                                                        std::string_view ciphertext,
                                                        std::string_view scramble);

}  // namespace switchyard::mysql
