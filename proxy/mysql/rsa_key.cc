#include "proxy/mysql/rsa_key.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "proxy/mysql/auth.h"

namespace switchyard::mysql {
namespace {

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct CtxDeleter {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using CtxPtr = std::unique_ptr<EVP_PKEY_CTX, CtxDeleter>;

// An error carrying OpenSSL's reason; drains OpenSSL's thread-local queue so
// a later call does not report a stale error.
absl::Status OpenSslError(std::string_view what) {
  char reason[256] = "unknown reason";
  if (unsigned long code = ERR_get_error(); code != 0) {
    ERR_error_string_n(code, reason, sizeof(reason));
  }
  ERR_clear_error();
  return absl::InvalidArgumentError(absl::StrCat(std::string(what), ": ", reason));
}

BioPtr ReadBio(std::string_view bytes) {
  return BioPtr(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

std::string DrainBio(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(size));
}

using CryptFn = int (*)(EVP_PKEY_CTX*, unsigned char*, size_t*, const unsigned char*, size_t);
using InitFn = int (*)(EVP_PKEY_CTX*);

// Runs an OAEP encrypt or decrypt with `key`.
absl::StatusOr<std::string> OaepCrypt(EVP_PKEY* key, InitFn init, CryptFn crypt,
                                      std::string_view input, std::string_view what) {
  CtxPtr ctx(EVP_PKEY_CTX_new(key, nullptr));
  if (!ctx || init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) != 1) {
    return OpenSslError(absl::StrCat("RSA ", std::string(what), " setup failed"));
  }
  const auto* in = reinterpret_cast<const unsigned char*>(input.data());
  size_t size = 0;
  if (crypt(ctx.get(), nullptr, &size, in, input.size()) != 1) {
    return OpenSslError(absl::StrCat("RSA ", std::string(what), " failed"));
  }
  std::string out(size, '\0');
  if (crypt(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &size, in, input.size()) !=
      1) {
    return OpenSslError(absl::StrCat("RSA ", std::string(what), " failed"));
  }
  out.resize(size);
  return out;
}

}  // namespace

void RsaPrivateKey::KeyDeleter::operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }

absl::StatusOr<RsaPrivateKey> RsaPrivateKey::Generate(int bits) {
  if (bits < 1024) return absl::InvalidArgumentError("RSA keys must have at least 1024 bits");
  EVP_PKEY* key = EVP_RSA_gen(static_cast<unsigned int>(bits));
  if (key == nullptr) return OpenSslError("RSA key generation failed");
  return RsaPrivateKey(key);
}

absl::StatusOr<RsaPrivateKey> RsaPrivateKey::FromPem(std::string_view pem) {
  BioPtr bio = ReadBio(pem);
  EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (key == nullptr) return OpenSslError("cannot read RSA private key PEM");
  RsaPrivateKey result(key);
  if (EVP_PKEY_is_a(key, "RSA") != 1) {
    return absl::InvalidArgumentError("private key PEM does not hold an RSA key");
  }
  return result;
}

absl::StatusOr<std::string> RsaPrivateKey::PublicKeyPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1) {
    return OpenSslError("cannot write RSA public key PEM");
  }
  return DrainBio(bio.get());
}

absl::StatusOr<std::string> RsaPrivateKey::PrivateKeyPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return OpenSslError("cannot write RSA private key PEM");
  }
  return DrainBio(bio.get());
}

absl::StatusOr<std::string> RsaPrivateKey::Decrypt(std::string_view ciphertext) const {
  if (ciphertext.size() != static_cast<size_t>(EVP_PKEY_get_size(key_.get()))) {
    return absl::InvalidArgumentError(absl::StrCat("RSA ciphertext must be ",
                                                   EVP_PKEY_get_size(key_.get()), " bytes, got ",
                                                   ciphertext.size()));
  }
  return OaepCrypt(key_.get(), EVP_PKEY_decrypt_init, EVP_PKEY_decrypt, ciphertext, "decryption");
}

absl::StatusOr<std::string> RsaEncrypt(std::string_view public_key_pem,
                                       std::string_view plaintext) {
  BioPtr bio = ReadBio(public_key_pem);
  EVP_PKEY* raw = bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (raw == nullptr) return OpenSslError("cannot read RSA public key PEM");
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(raw, &EVP_PKEY_free);
  // OAEP with SHA-1 leaves room for 2 * 20 + 2 bytes of padding.
  const int key_size = EVP_PKEY_get_size(raw);
  const size_t capacity = key_size > 42 ? static_cast<size_t>(key_size) - 42 : 0;
  if (EVP_PKEY_is_a(raw, "RSA") != 1 || plaintext.size() > capacity) {
    return absl::InvalidArgumentError(absl::StrCat("plaintext of ", plaintext.size(),
                                                   " bytes does not fit the RSA key (", capacity,
                                                   " bytes max)"));
  }
  return OaepCrypt(raw, EVP_PKEY_encrypt_init, EVP_PKEY_encrypt, plaintext, "encryption");
}

absl::StatusOr<std::string> EncryptPasswordForFullAuth(std::string_view public_key_pem,
                                                       std::string_view password,
                                                       std::string_view scramble) {
  if (scramble.empty()) return absl::InvalidArgumentError("empty scramble");
  std::string terminated(password);
  terminated.push_back('\0');
  return RsaEncrypt(public_key_pem, XorWithScramble(terminated, scramble));
}

absl::StatusOr<std::string> DecryptPasswordFromFullAuth(const RsaPrivateKey& key,
                                                        std::string_view ciphertext,
                                                        std::string_view scramble) {
  if (scramble.empty()) return absl::InvalidArgumentError("empty scramble");
  auto plain = key.Decrypt(ciphertext);
  if (!plain.ok()) return plain.status();
  const std::string unmasked = XorWithScramble(*plain, scramble);
  auto password = StripPasswordTerminator(unmasked);
  if (!password.ok()) return password.status();
  return std::string(*password);
}

}  // namespace switchyard::mysql
