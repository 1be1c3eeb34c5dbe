# Turns a file into a C array: cmake -DINPUT=... -DOUTPUT=... -DSYMBOL=... -P embed.cmake
file(READ ${INPUT} content HEX)
string(LENGTH "${content}" hex_length)
math(EXPR byte_length "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE ${OUTPUT} "/* generated from ${INPUT} by cmake/embed.cmake */\n#include <stddef.h>\nconst char ${SYMBOL}[] = {${bytes} 0};\nconst size_t ${SYMBOL}_length = ${byte_length};\n")
