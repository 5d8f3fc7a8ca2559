// Every operation of the lane vocabulary (core/lanes.hpp) on one set of inputs, written once and
// included by lanes_test.cpp in a namespace per lane set (no include guard, on purpose), with
// GLOCAL_TEST_TARGET set to the set's target attribute.
// (Helpers, not lambdas: a lambda does not take its function's target.)
GLOCAL_TEST_TARGET inline void add(Results& out, const char* name, const U64x8& x) {
  alignas(64) std::uint64_t words[8];
  store64(words, x);
  out.emplace_back(name, std::vector<std::uint64_t>(words, words + 8));
}
GLOCAL_TEST_TARGET inline void add(Results& out, const char* name, const U32x16& x) {
  alignas(64) std::uint32_t words[16];
  store32(words, x);
  out.emplace_back(name, std::vector<std::uint64_t>(words, words + 16));
}
inline void add(Results& out, const char* name, lanes::Mask m) { out.emplace_back(name, std::vector<std::uint64_t>{m}); }

GLOCAL_TEST_TARGET inline void all_operations(const Inputs& in, Results& out) {
  const U64x8 a = load64(in.a.data());
  const U64x8 b = load64(in.b.data());
  const U64x8 bytes = load64(in.bytes.data());
  const U64x8 small = load64(in.small.data());
  const U64x8 divisor = load64(in.divisor.data());
  const U32x16 rows = load32(in.rows.data());
  const U32x16 other = load32(in.other.data());
  add(out, "splat64", splat64(in.x));
  add(out, "load64", a);
  add(out, "gather64", gather64(in.column.data(), load64(in.at.data())));
  add(out, "xor", a ^ b);
  add(out, "and", a & b);
  add(out, "plus", a + b);
  add(out, "minus", a - b);
  add(out, "shift_right<32>", shift_right<32>(a));
  add(out, "shift_right<7>", shift_right<7>(a));
  add(out, "max_u64", max_u64(a, b));
  add(out, "max_u64 equal", max_u64(a, a));
  add(out, "mul32", mul32(a, b));
  add(out, "widen 0", widen(other, 0));
  add(out, "widen 1", widen(other, 1));
  add(out, "less_u64", less_u64(a, b));
  add(out, "less_u64 small", less_u64(small, divisor));
  add(out, "equal_u64", equal_u64(bytes, in.bytes[3]));
  add(out, "masked_add", masked_add(a, in.mask & 0xFFU, b, small));
  add(out, "nonzero_bytes", nonzero_bytes(bytes));
  add(out, "add_bytes", add_bytes(a, b));
  add(out, "byte_sums", byte_sums(a));
  add(out, "byte_prefix_sums", byte_prefix_sums(a));
  add(out, "byte_prefix_sums of ones", byte_prefix_sums(nonzero_bytes(bytes)));
  add(out, "splat_byte0", splat_byte0(a));
  add(out, "count_bytes_at_most", count_bytes_at_most(bytes, small));
  add(out, "count_bytes_at_most wide limit", count_bytes_at_most(a, b));
  add(out, "remainder_small", remainder_small(small, divisor));
  add(out, "splat32", splat32(static_cast<std::uint32_t>(in.x)));
  add(out, "load32", rows);
  add(out, "and32", rows & other);
  add(out, "narrow", narrow(a, b));
  add(out, "halves<0, 0>", halves<0, 0>(rows, other));
  add(out, "halves<1, 1>", halves<1, 1>(rows, other));
  add(out, "halves<0, 1>", halves<0, 1>(rows, other));
  add(out, "halves<1, 0>", halves<1, 0>(rows, other));
  add(out, "earlier_equal", earlier_equal(rows));
  add(out, "any_common", any_common(rows, other));
  const U32x16 numbers = load32(in.numbers.data());
  const U32x16 divisor32 = splat32(in.divisor32);
  add(out, "plus32", numbers + other);
  add(out, "minus32", numbers - other);
  add(out, "times32", numbers * other);
  add(out, "shift_right32<30>", shift_right32<30>(other));
  add(out, "shift_right32<6>", shift_right32<6>(other));
  add(out, "less_u32", less_u32(numbers, other));
  add(out, "at_least_u32", at_least_u32(numbers, other));
  add(out, "equal_u32", equal_u32(rows, load32(in.rows_again.data())));
  add(out, "blend", blend(in.mask & 0xFFFFU, numbers, other));
  add(out, "zero_unless", zero_unless(in.mask & 0xFFFFU, numbers));
  add(out, "masked_add32", masked_add(numbers, in.mask >> 16, other, rows));
  add(out, "masked_sub32", masked_sub(numbers, in.mask >> 16, other, rows));
  add(out, "quotient", quotient(numbers, divisor32, 1.0 / in.divisor32));
  add(out, "quotient of small numbers", quotient(rows, divisor32, 1.0 / in.divisor32));
  U32x16 low;
  add(out, "multiply_wide", multiply_wide(other, splat64(in.divisor32), low));
  add(out, "multiply_wide low", low);
}
