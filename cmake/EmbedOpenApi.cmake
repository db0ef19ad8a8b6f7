# Writes a C++ file holding src/api/openapi.json (IN) as one string, so the binary serves the API's
# contract with nothing beside it. Run at build time (see CMakeLists.txt).
file(READ ${IN} document)
if(document MATCHES "\\)__openapi__\"")
  message(FATAL_ERROR "${IN} contains the raw string's end marker")
endif()
# A raw string literal past 64 KiB is beyond some compilers' limit: the text goes in 16 KiB pieces.
string(LENGTH "${document}" length)
set(pieces "")
set(offset 0)
while(offset LESS length)
  string(SUBSTRING "${document}" ${offset} 16384 piece)
  string(APPEND pieces "    R\"__openapi__(${piece})__openapi__\"\n")
  math(EXPR offset "${offset} + 16384")
endwhile()
set(body "#include \"api/openapi.hpp\"\nnamespace tenantsync::api {\nstd::string_view openapi_document() {\n  static const char kDocument[] =\n${pieces}    \"\";\n  return {kDocument, sizeof(kDocument) - 1};\n}\n}  // namespace tenantsync::api\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
