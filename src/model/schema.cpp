#include "glocal/model/schema.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "glocal/model/scenario.hpp"

namespace glocal {

Schema::Schema(std::vector<ProcessInfo> processes) : processes_(std::move(processes)), parameters_(engine_parameters()) {
  for (const auto& process : processes_) {
    if (std::count_if(processes_.begin(), processes_.end(), [&](const ProcessInfo& p) { return p.name == process.name; }) > 1) {
      throw std::logic_error(fmt::format("schema: two processes named '{}'", process.name));
    }
    parameters_.insert(parameters_.end(), process.parameters.begin(), process.parameters.end());
  }
  for (const auto& spec : parameters_) {
    if (!index_.emplace(spec.key, &spec).second) throw std::logic_error(fmt::format("schema: key '{}' declared twice", spec.key));
    for (std::size_t dot = spec.key.find('.'); dot != std::string::npos; dot = spec.key.find('.', dot + 1)) {
      tables_.insert(spec.key.substr(0, dot));
    }
  }
}

const ParamSpec* Schema::parameter(std::string_view key) const {
  const auto it = index_.find(key);
  return it == index_.end() ? nullptr : it->second;
}

const ProcessInfo* Schema::process(std::string_view name) const {
  for (const auto& process : processes_) {
    if (process.name == name) return &process;
  }
  return nullptr;
}

const Schema& default_schema() {
  static const Schema schema(process_registry());
  return schema;
}

}  // namespace glocal
