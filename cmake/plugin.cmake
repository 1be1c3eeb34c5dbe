# ps_add_plugin(NAME SOURCES...) — an agent plugin: a MODULE library named
# NAME.so in build/plugins, every symbol hidden except ps_agent_query.
function(ps_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${name}
    LIBRARY_OUTPUT_DIRECTORY ${PS_PLUGIN_OUTPUT_DIR}
    C_VISIBILITY_PRESET hidden)
  target_include_directories(${name} PRIVATE ${PS_SDK_INCLUDE_DIR})
  target_link_libraries(${name} PRIVATE m)
endfunction()
