// A Boltzmann wealth model (Dragulescu & Yakovenko 2000, Eur. Phys. J. B 17:723) as a glocal
// process, built outside glocal's tree: N random pairs a tick pool their money and split it at a
// uniform share. Money is conserved and its distribution tends to the exponential (Boltzmann-Gibbs)
// law, whose Gini coefficient is exactly 1/2.
#include <glocal/cli.hpp>
#include <glocal/process_api.hpp>

struct WealthParams {
  double initial = 100.0;  // each agent's money at the start
  double rate = 1.0;       // exchanges per agent per tick
};

class Wealth final : public glocal::BasicProcess<Wealth, WealthParams> {
 public:
  Wealth(const glocal::BuildContext& world, const WealthParams& params)
      : BasicProcess(params), money_(world.places.agents(), params.initial), stream_(glocal::named_stream("wealth", "exchange")) {}

  void step(const glocal::TickContext& tick) override {
    const auto exchanges = static_cast<std::uint64_t>(params().rate * static_cast<double>(money_.size()));
    for (std::uint64_t e = 0; e < exchanges; ++e) {
      const glocal::RandomBlock words = tick.rng.block(e, tick.tick, stream_);  // exchange e of this tick
      const std::uint64_t i = glocal::uniform_below(words[0], money_.size());
      const std::uint64_t j = glocal::uniform_below(words[1], money_.size());
      const double pool = money_[i] + money_[j];
      money_[i] = glocal::uniform_unit(words[2]) * pool;
      money_[j] = pool - money_[i];
    }
  }
  [[nodiscard]] double gini() const { return glocal::gini(money_); }

 private:
  std::vector<double> money_;
  glocal::Purpose stream_;
};

int main(int argc, char** argv) {
  glocal::register_process(glocal::ProcessDefinition<Wealth, WealthParams>("wealth")
                               .summary("Random pairs pool their money and split it at a uniform share.")
                               .reference("Dragulescu & Yakovenko (2000) Eur. Phys. J. B 17:723")
                               .parameter("initial", &WealthParams::initial, 0, 1e12, "money", "Money at the start.")
                               .parameter("rate", &WealthParams::rate, 0, 100, "per agent per tick", "Exchanges per agent per tick.")
                               .schedulable()
                               .metric("wealth_gini", "share", "Gini coefficient of money (1/2 at equilibrium).", &Wealth::gini)
                               .info());
  return glocal::run_command_line(argc, argv);
}
