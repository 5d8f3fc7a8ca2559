#include "glocal/model/reach.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "glocal/model/scenario.hpp"

namespace glocal {

namespace {
std::string reach_key(const std::string& process, Scale scale) { return process + ".reach." + std::string(to_string(scale)); }
}  // namespace

std::vector<ParamSpec> reach_parameters(const std::string& process, const std::string& partner) {
  const std::string all = process + ".reach.*";
  return {
      schedulable(real_parameter(reach_key(process, Scale::network), 1.0, 0.0, 1.0, "weight",
                                 fmt::format("Reach kernel: weight of a random network neighbour as {}. The five {} weights sum to 1; when "
                                             "this one is not given it is 1 minus the others.",
                                             partner, all))),
      schedulable(
          real_parameter(reach_key(process, Scale::locality), 0.0, 0.0, 1.0, "weight",
                         fmt::format("Reach kernel: weight of {} drawn uniformly among the other agents of the locality.", partner))),
      schedulable(real_parameter(reach_key(process, Scale::nation), 0.0, 0.0, 1.0, "weight",
                                 fmt::format("Reach kernel: weight of {} drawn uniformly among the other agents of the nation.", partner))),
      schedulable(real_parameter(reach_key(process, Scale::bloc), 0.0, 0.0, 1.0, "weight",
                                 fmt::format("Reach kernel: weight of {} drawn uniformly among the other agents of the bloc.", partner))),
      schedulable(real_parameter(reach_key(process, Scale::world), 0.0, 0.0, 1.0, "weight",
                                 fmt::format("Reach kernel: weight of {} drawn uniformly among all other agents (with weight 1: a "
                                             "well-mixed population, Axtell et al.'s 'soup').",
                                             partner))),
  };
}

void validate_reach(const Scenario& scenario, const std::string& process) {
  double beyond = 0;
  std::string given;
  for (std::size_t k = 1; k < kScaleCount; ++k) {
    const std::string key = reach_key(process, static_cast<Scale>(k));
    beyond += scenario.real(key);
    if (given.empty() && scenario.is_set(key)) given = key;
  }
  const std::string network = reach_key(process, Scale::network);
  if (scenario.is_set(network)) {
    const double total = beyond + scenario.real(network);
    if (std::abs(total - 1.0) > 1e-9) {
      throw ScenarioError(scenario.location(network), network,
                          fmt::format("the {}.reach.* weights must sum to 1, they sum to {} (leave {} out to give it what the other "
                                      "scales leave)",
                                      process, total, network));
    }
  } else if (beyond > 1.0 + 1e-9) {
    throw ScenarioError(scenario.location(given), given,
                        fmt::format("the {}.reach.* weights beyond the network sum to {}, more than 1", process, beyond));
  }
}

ReachWeights read_reach(const Scenario& scenario, const std::string& process) {
  ReachWeights weights{};
  double beyond = 0;
  for (std::size_t s = 1; s < kScaleCount; ++s) beyond += weights[s] = scenario.real(reach_key(process, static_cast<Scale>(s)));
  const std::string network = reach_key(process, Scale::network);
  weights[0] = scenario.is_set(network) ? scenario.real(network) : std::max(0.0, 1.0 - beyond);
  return weights;
}

void set_reach_weight(ReachWeights& weights, Scale scale, double value) {
  weights[static_cast<std::size_t>(scale)] = value;
  if (scale == Scale::network) return;
  double beyond = 0;
  for (std::size_t k = 1; k < kScaleCount; ++k) beyond += weights[k];
  weights[0] = std::max(0.0, 1.0 - beyond);
}

Scale outermost(const ReachWeights& weights) {
  Scale outer = Scale::network;
  for (std::size_t k = 1; k < kScaleCount; ++k) {
    if (weights[k] > 0.0) outer = static_cast<Scale>(k);
  }
  return outer;
}

FarDraw draw_beyond_network(const ReachWeights& weights, const Places& places, AgentIndex agent, double unit, std::uint64_t word) noexcept {
  const double far = 1.0 - weights[0];
  double pick = unit * far;
  Scale scale = outermost(weights);
  for (std::size_t k = 1; k < kScaleCount; ++k) {
    if (weights[k] <= 0.0) continue;
    if (pick < weights[k]) {
      scale = static_cast<Scale>(k);
      break;
    }
    pick -= weights[k];
  }
  const AgentRange place = places.range(agent, scale);
  if (place.size <= 1) return {agent, scale};
  auto other = static_cast<AgentIndex>(place.first + uniform_below(word, place.size - 1));
  if (other >= agent) ++other;  // skip the agent itself
  return {other, scale};
}

}  // namespace glocal
