# The analyst kit: compiled into each analyst plugin (fiscal, economic,
# healthcare, social_security) and hidden there; kit_agent.c supplies each
# plugin's ps_agent_query from the KIT_ANALYST the plugin defines (kit.h).
# Usage from a plugin folder:
#   include(${CMAKE_CURRENT_SOURCE_DIR}/../analyst_kit/kit.cmake)
#   ps_add_analyst_plugin(NAME SOURCES...)
set(PS_ANALYST_KIT_DIR ${CMAKE_CURRENT_LIST_DIR})
set(PS_ANALYST_KIT_SOURCES
  ${PS_ANALYST_KIT_DIR}/kit_agent.c
  ${PS_ANALYST_KIT_DIR}/kit_bill.c
  ${PS_ANALYST_KIT_DIR}/kit_debate.c
  ${PS_ANALYST_KIT_DIR}/kit_emit.c
  ${PS_ANALYST_KIT_DIR}/kit_money.c
  ${PS_ANALYST_KIT_DIR}/kit_omission.c
  ${PS_ANALYST_KIT_DIR}/kit_parse.c)

function(ps_add_analyst_plugin name)
  ps_add_plugin(${name} ${ARGN} ${PS_ANALYST_KIT_SOURCES})
  target_include_directories(${name} PRIVATE ${PS_ANALYST_KIT_DIR})
endfunction()
