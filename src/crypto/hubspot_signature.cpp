#include "crypto/hubspot_signature.hpp"

#include <sodium.h>

#include <cstring>

#include "crypto/crypto.hpp"

namespace tenantsync::crypto {

std::string hubspot_signature_v3(std::string_view client_secret, std::string_view method, std::string_view uri,
                                 std::string_view body, std::string_view timestamp) {
  init();
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(client_secret.data()),
                              client_secret.size());
  for (std::string_view part : {method, uri, body, timestamp})
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(part.data()), part.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  std::string out(sodium_base64_encoded_len(sizeof mac, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), mac, sizeof mac, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

}  // namespace tenantsync::crypto
