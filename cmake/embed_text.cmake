# Writes OUTPUT, a C++ source defining `std::string_view glocal::NAME() noexcept` that returns the
# bytes of INPUT (a text file without the raw-string delimiter below). Run by the build (cmake -P).
file(READ "${INPUT}" content)
string(FIND "${content}" ")glocal_embedded\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter")
endif()
file(WRITE "${OUTPUT}.tmp"
"// Generated from ${INPUT} by cmake/embed_text.cmake. Do not edit.\n#include <string_view>\n\nnamespace glocal {\nstd::string_view ${NAME}() noexcept;\nstd::string_view ${NAME}() noexcept {\n  static const char text[] = R\"glocal_embedded(${content})glocal_embedded\";\n  return {text, sizeof(text) - 1};\n}\n}  // namespace glocal\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
