// glocal: the command-line tool. See `glocal --help`.
#include "commands.hpp"
#include "glocal/cli.hpp"

int main(int argc, char** argv) {
  glocal::cli::add_program_command(glocal::cli::add_serve);
  return glocal::run_command_line(argc, argv);
}
