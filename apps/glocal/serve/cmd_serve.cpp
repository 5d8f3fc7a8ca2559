// glocal serve [TARGET] [--port N]: the dashboard (serve/dashboard.hpp) until Ctrl-C.
#include <fmt/format.h>

#include <csignal>
#include <thread>

#include <pthread.h>

#include "../commands.hpp"
#include "dashboard.hpp"

namespace glocal::cli {

void add_serve(CLI::App& app, int& exit_status) {
  struct Options {
    std::string target;
    int port = 0;
    std::string runs = "runs";
    unsigned threads = 0;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand(
      "serve", "A live dashboard in the browser: run scenarios and move their levers, watch indicators and the world map, browse results");
  command->add_option("target", options->target,
                      "A scenario file, a study file, a results folder or a folder of them (default: ./scenarios and ./runs)");
  command->add_option("--port", options->port, "The port on 127.0.0.1 (default: any free port)")->check(CLI::Range(0, 65535));
  command->add_option("--runs", options->runs, "Where runs started from the page are written, and results are browsed")
      ->capture_default_str();
  command->add_option("--threads", options->threads, "The most replicates of one run at once (default: the CPUs available)");
  command->callback([options, &exit_status] {
    exit_status = exit_status_of([&] {
      serve::ServerOptions server_options;
      server_options.catalog = serve::catalog_for(options->target, options->runs);
      server_options.port = options->port;
      server_options.threads = options->threads;
      // Ctrl-C and SIGTERM are taken by a thread of their own (sigwait), which stops the server:
      // every thread started from here on inherits the mask.
      sigset_t signals;
      sigemptyset(&signals);
      sigaddset(&signals, SIGINT);
      sigaddset(&signals, SIGTERM);
      sigaddset(&signals, SIGUSR1);  // the server stopped otherwise: wakes the waiter
      pthread_sigmask(SIG_BLOCK, &signals, nullptr);
      serve::Dashboard dashboard(std::move(server_options));
      const int port = dashboard.bind();
      (void)port;
      fmt::print("glocal serve: open {}\n(Ctrl-C stops the server; runs still going are stopped, finished runs are in {}/)\n",
                 dashboard.url(), options->runs);
      std::fflush(stdout);
      std::jthread waiter([&dashboard, signals] {
        int received = 0;
        sigwait(&signals, &received);
        dashboard.stop();
      });
      dashboard.listen();
      fmt::print(stderr, "glocal serve: stopped\n");
      pthread_kill(waiter.native_handle(), SIGUSR1);  // wakes the waiter (if a signal has not) so it can be joined
      return ok;
    });
  });
}

}  // namespace glocal::cli
