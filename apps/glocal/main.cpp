// glocal: the command-line tool. See `glocal --help`.
#include "glocal/cli.hpp"

int main(int argc, char** argv) { return glocal::run_command_line(argc, argv); }
