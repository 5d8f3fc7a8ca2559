#pragma once
// The `glocal` command line as a function, so that a program which registers processes of its own
// (glocal/process_api.hpp) offers every command on them:
//
//   int main(int argc, char** argv) {
//     glocal::register_process(my_process());
//     return glocal::run_command_line(argc, argv);
//   }

namespace glocal {

/// Parses the arguments (argv[0] is the program) and runs the command; returns the exit status
/// (0 ok, 1 some runs failed, 2 bad input, 3 output not written, 4 unexpected, 130 interrupted).
int run_command_line(int argc, char** argv);

}  // namespace glocal
