#pragma once
// How processes read and act on one another (MODEL.md 4.2: firms sell where their product culture
// matches the local culture, and broadcast it as a media field). Each coupling is a narrow
// interface that one process implements and another finds, while it is built, among the
// processes built before it (BuildContext::built): no process sees another's internals.
#include <cstdint>
#include <span>
#include <vector>

namespace glocal {

/// What the culture process offers the economy's firms.
class CultureMarket {
 public:
  virtual ~CultureMarket() = default;
  [[nodiscard]] virtual std::uint32_t culture_features() const noexcept = 0;
  /// For every locality, F bytes: each feature's most common trait there (ties: the smallest).
  /// O(N F + L F q).
  virtual void locality_modes(std::vector<std::uint8_t>& out) const = 0;
  /// The product culture on sale in each locality (F bytes per locality) and whether one is
  /// (`on_sale[l]` 0 or 1); agents meet it as a media field (culture.market).
  virtual void set_products(std::span<const std::uint8_t> products, std::span<const std::uint8_t> on_sale) = 0;

 protected:
  CultureMarket() = default;
  CultureMarket(const CultureMarket&) = default;
  CultureMarket& operator=(const CultureMarket&) = default;
};

}  // namespace glocal
