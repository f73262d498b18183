// ChaCha20 key stream (see csprng.h).
#include "shared/base/csprng.h"

#include <cstring>

#include "shared/base/ids.h"

namespace doorstep::csprng {

namespace {

inline uint32_t rotl(uint32_t v, int n) { return (v << n) | (v >> (32 - n)); }

inline void quarter(uint32_t& a, uint32_t& b, uint32_t& c, uint32_t& d) {
  a += b; d ^= a; d = rotl(d, 16);
  c += d; b ^= c; b = rotl(b, 12);
  a += b; d ^= a; d = rotl(d, 8);
  c += d; b ^= c; b = rotl(b, 7);
}

}  // namespace

std::array<uint8_t, 64> chacha20_block(const std::array<uint32_t, 8>& key, uint32_t counter,
                                       const std::array<uint32_t, 3>& nonce) {
  uint32_t s[16] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574, key[0], key[1], key[2], key[3],
                    key[4],     key[5],     key[6],     key[7],     counter, nonce[0], nonce[1], nonce[2]};
  uint32_t x[16];
  std::memcpy(x, s, sizeof x);
  for (int i = 0; i < 10; ++i) {
    quarter(x[0], x[4], x[8], x[12]);
    quarter(x[1], x[5], x[9], x[13]);
    quarter(x[2], x[6], x[10], x[14]);
    quarter(x[3], x[7], x[11], x[15]);
    quarter(x[0], x[5], x[10], x[15]);
    quarter(x[1], x[6], x[11], x[12]);
    quarter(x[2], x[7], x[8], x[13]);
    quarter(x[3], x[4], x[9], x[14]);
  }
  std::array<uint8_t, 64> out{};
  for (int i = 0; i < 16; ++i) {
    uint32_t v = x[i] + s[i];
    for (int k = 0; k < 4; ++k) out[4 * i + k] = static_cast<uint8_t>(v >> (8 * k));  // little endian
  }
  return out;
}

Stream::Stream() {
  auto a = random_bytes(), b = random_bytes();
  std::memcpy(key_.data(), a.data(), 16);
  std::memcpy(key_.data() + 4, b.data(), 16);
}

void Stream::fill(uint8_t* out, size_t n) {
  while (n > 0) {
    if (used_ == 64) {
      block_ = chacha20_block(key_, counter_, nonce_);
      if (++counter_ == 0) ++nonce_[0];  // 2^32 blocks (256 GiB) per nonce step
      used_ = 0;
    }
    size_t take = std::min(n, size_t{64} - used_);
    std::memcpy(out, block_.data() + used_, take);
    used_ += take;
    out += take;
    n -= take;
  }
}

uint64_t Stream::next_u64() {
  uint8_t b[8];
  fill(b, 8);
  uint64_t v;
  std::memcpy(&v, b, 8);
  return v;
}

}  // namespace doorstep::csprng
