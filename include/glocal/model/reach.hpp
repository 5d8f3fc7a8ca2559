#pragma once
// The reach kernel (MODEL.md section 3), shared by every process that draws partners: weights
// over network, locality, nation, bloc and world that sum to 1. A partner is a random network
// neighbour with the network's weight; otherwise a scale is chosen in proportion to the other
// weights and the partner is drawn uniformly among the other agents of the agent's place at that
// scale: O(1) per draw. Each process has its own kernel under `<process>.reach.*`.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "glocal/model/parameter.hpp"
#include "glocal/world/places.hpp"

namespace glocal {

class Scenario;

using ReachWeights = std::array<double, kScaleCount>;

/// The five keys `<process>.reach.<scale>` (schedulable); `partner` names what is drawn
/// ("the partner", "the trading partner") in their descriptions.
[[nodiscard]] std::vector<ParamSpec> reach_parameters(const std::string& process, const std::string& partner);
/// Checks that the weights sum to 1 (or, without the network's, that the others stay below 1),
/// with the location of the offending key. Throws ScenarioError.
void validate_reach(const Scenario& scenario, const std::string& process);
/// The weights; the network's, when not given, is what the other scales leave.
[[nodiscard]] ReachWeights read_reach(const Scenario& scenario, const std::string& process);
/// A scheduled weight: the network keeps what the other scales leave unless it is scheduled itself.
void set_reach_weight(ReachWeights& weights, Scale scale, double value);
/// The outermost scale with a positive weight (Scale::network when there is none beyond it).
[[nodiscard]] Scale outermost(const ReachWeights& weights);

/// A partner drawn beyond the network.
struct FarDraw {
  AgentIndex partner = 0;  ///< == the agent itself when its place holds nobody else
  Scale scale = Scale::world;
};
/// The scale in proportion to the weights beyond the network (from `unit` in [0, 1)), then a
/// uniform other agent of `agent`'s place at that scale (from `word`).
[[nodiscard]] FarDraw draw_beyond_network(const ReachWeights& weights, const Places& places, AgentIndex agent, double unit,
                                          std::uint64_t word) noexcept;

}  // namespace glocal
