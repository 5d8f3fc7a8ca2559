// The agents and partners of sixteen events at a time on a periodic lattice, written once over the
// lane vocabulary of core/lanes.hpp and compiled once per lane set: culture_plain.cpp includes this
// file (no include guard, on purpose) inside the namespace of each set, as it does group_rule.hpp,
// with GLOCAL_GROUP_TARGET set to the set's target attribute. PlainBatch and kBatch come from the
// includer.
//
// Lanes [from, to) of batch b (`from` a multiple of 16; lanes past `to` are computed too, and
// ignored): Lemire's draw of the agent from word 0 (exactly uniform_below32's: high word plus
// `lowest`, rejected when the low word is below 2^32 mod N), the neighbour k = word 1 >> 30 chosen
// exactly as LatticeNeighbors chooses it (rows or tiles), and both rows' byte offsets. With
// `use_spare` (the executing loop leaves the event's spare word, word 3, to the agent draw, as
// RetryWords would take it first), a rejected agent word is replaced by the spare word here, and
// only an event whose spare word is rejected too goes to the exact path; otherwise every rejected
// event does. Those events are flagged in b.exact.
GLOCAL_GROUP_TARGET inline void lattice_draw(PlainBatch& b, std::size_t from, std::size_t to, AgentIndex lowest, AgentIndex agents,
                                             const LatticeNeighbors& lattice, std::uint32_t features, bool use_spare) noexcept {
  const U64x8 n = splat64(agents);
  const U32x16 threshold = splat32(static_cast<std::uint32_t>(-agents) % agents);  // 2^32 mod N
  const U32x16 first_agent = splat32(lowest);
  const U32x16 one = splat32(1);
  const U32x16 two = splat32(2);
  const U32x16 side = splat32(lattice.side());
  const U32x16 cells = splat32(lattice.cells());
  const U32x16 last = splat32(lattice.side() - 1);
  const U64x8 row_bytes = splat64(features);
  // Tiles (LatticeLayout): 4 x 16 sites, L/4 tiles to a row of tiles.
  constexpr std::uint32_t kWidth = LatticeLayout::kTileWidth;
  constexpr std::uint32_t kSites = LatticeLayout::kTileSites;
  static_assert(kWidth == 4 && kSites == 64, "the shifts and masks below");
  const std::uint32_t tiles_in_row = lattice.side() / kWidth;
  const U32x16 width = splat32(kWidth);
  const U32x16 width_mask = splat32(kWidth - 1);
  const U32x16 sites = splat32(kSites);
  const U32x16 sites_mask = splat32(kSites - 1);
  const U32x16 height_last = splat32(LatticeLayout::kTileHeight - 1);
  const U32x16 column_span = splat32(kWidth * (LatticeLayout::kTileHeight - 1));  // the way back up a tile: 60
  const U32x16 tiles_per_row = splat32(tiles_in_row);
  const U32x16 tiles_per_row_last = splat32(tiles_in_row - 1);
  const U32x16 tile_rows_last = splat32(lattice.side() / LatticeLayout::kTileHeight - 1);
  const U32x16 tile_row_sites = splat32(kSites * tiles_in_row);  // a step down a tile, and a row of tiles
  std::uint64_t exact = 0;
  for (std::size_t g = from; g < to; g += 16) {
    const U32x16 w1 = load32(b.words.words[1].data() + g);
    U32x16 low;
    U32x16 agent = multiply_wide(load32(b.words.words[0].data() + g), n, low) + first_agent;
    Mask rejected = less_u32(low, threshold);  // exactly Lemire's rejection
    if (use_spare) {                           // without a branch on `rejected`: at N = 10^8 a third of the groups have one
      // The agent drawn from the spare word here, so that its row is prefetched, and the event
      // stays on the fast path unless that word is rejected too. (Probability 2^32 mod N / 2^32
      // per event: about 2 % at N = 10^8, where an event on the exact path missed its prefetch.)
      U32x16 spare_low;
      const U32x16 spare_agent = multiply_wide(load32(b.words.words[3].data() + g), n, spare_low) + first_agent;
      agent = blend(rejected, agent, spare_agent);
      rejected &= less_u32(spare_low, threshold);
    }
    exact |= static_cast<std::uint64_t>(rejected) << g;
    const U32x16 within = lattice.single() ? agent : agent - quotient(agent, cells, lattice.inverse_cells()) * cells;
    const U32x16 k = shift_right32<30>(w1);
    const Mask along_row = less_u32(k - one, two);
    const Mask forward = at_least_u32(k, two);
    U32x16 step;
    if (!lattice.tiles()) {
      const U32x16 y = quotient(within, side, lattice.inverse_side());
      const U32x16 x = within - y * side;
      const U32x16 coordinate = blend(along_row, y, x);
      const U32x16 stride = blend(along_row, side, one);
      const U32x16 span = blend(along_row, cells, side);
      const Mask at_edge = equal_u32(coordinate, zero_unless(forward, last));
      step = masked_sub(stride, at_edge, stride, span);
    } else {  // as LatticeNeighbors::tiled: within the tile, else to the next tile, else around the lattice
      const U32x16 tile = shift_right32<6>(within);
      const U32x16 tile_y = quotient(tile, tiles_per_row, lattice.inverse_tile_row());
      const U32x16 inner = blend(along_row, shift_right32<2>(within & sites_mask), within & width_mask);
      const U32x16 outer = blend(along_row, tile_y, tile - tile_y * tiles_per_row);
      const U32x16 inner_last = blend(along_row, height_last, width_mask);
      const U32x16 outer_last = blend(along_row, tile_rows_last, tiles_per_row_last);
      const U32x16 stride = blend(along_row, width, one);
      const U32x16 tile_stride = blend(along_row, tile_row_sites, sites);
      const U32x16 tile_span = blend(along_row, cells, tile_row_sites);
      const U32x16 inner_span = blend(along_row, column_span, width_mask);  // inner_last x stride
      const Mask inner_edge = equal_u32(inner, zero_unless(forward, inner_last));
      const Mask outer_edge = inner_edge & equal_u32(outer, zero_unless(forward, outer_last));
      step = masked_sub(stride, inner_edge, tile_stride, inner_span);
      step = masked_sub(step, outer_edge, step, tile_span);
    }
    const U32x16 partner = masked_add(agent - step, forward, agent, step);
    for (int half = 0; half < 2; ++half) {
      store64(b.mine_at.data() + g + 8 * half, mul32(widen(agent, half), row_bytes));
      store64(b.theirs_at.data() + g + 8 * half, mul32(widen(partner, half), row_bytes));
    }
  }
  b.exact |= to == kBatch ? exact : exact & ((std::uint64_t{1} << to) - 1);
}
