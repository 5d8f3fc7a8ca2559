// Axelrod's rule for sixteen events at once, written once over the lane vocabulary of
// core/lanes.hpp and compiled once per lane set: culture_plain.cpp includes this file (it has no
// include guard, on purpose) inside a namespace that uses lanes::avx512 and again inside one that
// uses lanes::portable, with GLOCAL_GROUP_TARGET set to that set's target attribute. GroupChanges
// and kNoRow come from the includer.
//
// The sixteen events of a group (`lanes`: those that exist; lane k is event k) run in order, as
// the scalar rule runs them one after another. Rows of F <= 8 features are read as one 8-byte word
// (`compared` masks its F bytes); Wide: rows of 9 to 16, as two (`compared` masks the second
// word's F - 8 bytes).
//
// The rule is decided for all sixteen at once from their rows as they are before the group, as
// the scalar rule decides it: d differing bytes of the two rows masked to F bytes,
// n = F d (1 when d = 0), Lemire's product of the rule word by n, a copy when u < (F - d) d, of
// the (u mod d)-th differing feature. That decision is each event's own unless an earlier event
// of the group changed a row it reads. When no copying event's row is read by a later event and
// no event must take the exact path (`exact`, or a rule word Lemire's method may reject), the
// copies are made without a branch (an event that copies nothing rewrites a byte of its own row
// with itself). Otherwise the group runs in order: the copies decided, and the events redone
// that must be (`redo(k)` runs event k on the rows as they are then and gives the byte offset of
// the row it changed, or kNoRow), each change making later events that read its row redo too.
template <bool Wide, typename Redo>
GLOCAL_GROUP_TARGET GroupChanges packed_group(std::uint8_t* column, const std::uint64_t* mine_at, const std::uint64_t* theirs_at,
                                              const std::uint32_t* rule, std::uint32_t features, std::uint64_t compared,
                                              std::uint32_t lanes, std::uint32_t exact, Redo&& redo) noexcept {
  const U64x8 f = splat64(features);
  const U64x8 mask = splat64(compared);  // Wide: the mask of the row's second 8 bytes
  const U64x8 low_word = splat64(0xFFFFFFFFU);
  const U64x8 one = splat64(1);
  const U32x16 words = load32(rule);
  U64x8 mine[2];
  U64x8 theirs[2];
  U64x8 prefix[2];       // byte b of a lane: how many of the lane's bytes 0..b differ
  U64x8 prefix_high[2];  // Wide: the same for bytes 8..15 of the row (byte b: bytes 0..8 + b)
  U64x8 differ[2];
  U64x8 draw[2];
  std::uint32_t copy = 0;
  std::uint32_t rejected = 0;
  for (int half = 0; half < 2; ++half) {
    mine[half] = load64(mine_at + 8 * half);
    theirs[half] = load64(theirs_at + 8 * half);
    const U64x8 x = gather64(column, mine[half]);
    const U64x8 y = gather64(column, theirs[half]);
    const U64x8 c = nonzero_bytes(Wide ? x ^ y : (x ^ y) & mask);  // 1 in each differing byte
    U64x8 d = byte_sums(c);
    prefix[half] = byte_prefix_sums(c);
    if constexpr (Wide) {  // the row's bytes 8..15, counted after the first eight
      const U64x8 c_high = nonzero_bytes((gather64(column + 8, mine[half]) ^ gather64(column + 8, theirs[half])) & mask);
      prefix_high[half] = add_bytes(byte_prefix_sums(c_high), splat_byte0(d));
      d = d + byte_sums(c_high);
    }
    const U64x8 n = max_u64(mul32(d, f), one);
    const U64x8 m = mul32(widen(words, half), n);
    draw[half] = shift_right<32>(m);
    differ[half] = d;
    copy |= less_u64(draw[half], mul32(f - d, d)) << (8 * half);
    rejected |= less_u64(m & low_word, n) << (8 * half);
  }
  copy &= lanes;
  GroupChanges changes;
  const bool in_order = ((exact | rejected) & lanes) != 0;  // an event for the exact path: the group runs in order
  if (copy == 0 && !in_order) return changes;
  // Whether a later event reads the row of a copying one: equal lanes among the low 32 bits of
  // the row offsets (equal offsets have equal low bits, so none is missed), in the rows written
  // (M, all sixteen) and in [M 0-7 | T 0-7], [M 8-15 | T 8-15], [M 0-7 | T 8-15] (T: the
  // partners' rows), each lane's earlier equals masked to the copying lanes of M before it.
  const U32x16 rows_mine = narrow(mine[0], mine[1]);
  const U32x16 rows_theirs = narrow(theirs[0], theirs[1]);
  static constexpr std::uint32_t kBelow[16] = {0, 1, 3, 7, 15, 31, 63, 127, 255, 511, 1023, 2047, 4095, 8191, 16383, 32767};
  static constexpr std::uint32_t kBelowInM[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 7, 15, 31, 63, 127};  // [M | T]: M lanes below T's
  static constexpr std::uint32_t kAllM[16] = {0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255};  // [M 0-7 | T 8-15]
  const U32x16 below = load32(kBelow);
  const U32x16 below_in_m = load32(kBelowInM);
  const U32x16 copy_low = splat32(copy & 0xFFU);
  const bool shared = !in_order && (any_common(earlier_equal(rows_mine), splat32(copy) & below) |
                                    any_common(earlier_equal(halves<0, 0>(rows_mine, rows_theirs)), copy_low & below_in_m) |
                                    any_common(earlier_equal(halves<1, 1>(rows_mine, rows_theirs)), splat32(copy >> 8) & below_in_m) |
                                    any_common(earlier_equal(halves<0, 1>(rows_mine, rows_theirs)), copy_low & load32(kAllM))) != 0;
  // The feature each copying event copies: the (u mod d)-th differing byte, whose position is
  // how many of the lane's bytes have fewer than u mod d + 1 differing bytes up to them.
  alignas(64) std::uint64_t to[16];    // byte offset written (a copying event), else the event's own first byte
  alignas(64) std::uint64_t from[16];  // byte offset read: the partner's byte, else that same byte
  for (int half = 0; half < 2; ++half) {
    const U64x8 k = remainder_small(draw[half], differ[half]);
    U64x8 feature = count_bytes_at_most(prefix[half], k);
    if constexpr (Wide) feature = feature + count_bytes_at_most(prefix_high[half], k);
    const std::uint32_t copies = (copy >> (8 * half)) & 0xFFU;
    const U64x8 written = masked_add(mine[half], copies, mine[half], feature);
    store64(to + 8 * half, written);
    store64(from + 8 * half, masked_add(written, copies, theirs[half], feature));
  }
  if (!in_order && !shared) {  // independent events: every copy, without a branch
    const auto count = static_cast<std::uint32_t>(32 - __builtin_clz(lanes));
    for (std::uint32_t k = 0; k < count; ++k) column[to[k]] = column[from[k]];
    changes.last = copy == 0 ? 0 : 32 - static_cast<std::uint32_t>(__builtin_clz(copy));
    changes.copies = static_cast<std::uint32_t>(__builtin_popcount(copy));
    return changes;
  }
  std::uint32_t redone = (exact | rejected) & lanes;
  std::uint32_t pending = copy | redone;
  while (pending != 0) {
    const auto k = static_cast<std::uint32_t>(__builtin_ctz(pending));
    pending &= pending - 1;
    std::uint64_t written = kNoRow;
    if (((redone >> k) & 1U) == 0) {
      column[to[k]] = column[from[k]];
      written = mine_at[k];
    } else {
      written = redo(k);
      if (written == kNoRow) continue;
    }
    changes.last = k + 1;
    ++changes.copies;
    // the later events that read the changed row
    const std::uint32_t low = equal_u64(mine[0], written) | equal_u64(theirs[0], written);
    const std::uint32_t high = equal_u64(mine[1], written) | equal_u64(theirs[1], written);
    const std::uint32_t later = (low | (high << 8)) & lanes & (0xFFFEU << k);
    pending |= later;
    redone |= later;
  }
  return changes;
}
