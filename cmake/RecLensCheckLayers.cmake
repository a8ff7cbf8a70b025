# Layering is enforced at configure time (reclens_check_layers(), called once every target exists):
#  - no core/ library (global property RECLENS_LAYER_core) may reach Qt (Qt5::, Qt6::, Qt::,
#    QCustomPlot) through any chain of links: its own LINK_LIBRARIES and INTERFACE_LINK_LIBRARIES,
#    then those of every target they name, and so on, link-only (private) links included;
#  - no core/ library may expose torch (torch, torch_cpu, c10, ...) in its public interface, directly
#    or through a chain of other targets' INTERFACE_LINK_LIBRARIES: torch stays a PRIVATE, link-only
#    dependency of core libraries, so its include directories never reach ui/;
#  - no ui/ library (RECLENS_LAYER_ui) may link torch, directly or through a chain of public
#    interfaces. ui/ links core libraries and, through their $<LINK_ONLY:...> entries and library
#    files, torch's binaries; that is allowed, torch's usage requirements (headers) are not.
# Only names that are targets (if(TARGET ...)) are followed; every name met is matched. Of generator
# expressions, $<BUILD_INTERFACE:x> and $<COMPILE_ONLY:x> are unwrapped, $<LINK_ONLY:x> is unwrapped
# where link-only links count (see above), $<TARGET_PROPERTY:x,INTERFACE_LINK_LIBRARIES> is followed
# as x; any other one is skipped, as are CMake's "::@" directory markers. A violation stops
# configuration and names the path it found, e.g.
#   Layering violation: core library 'reclens_x' reaches 'Qt6::Core' through
#   reclens_x -> reclens_helper -> Qt6::Core. core/ must not use Qt.
# Each target is expanded once per kind of walk (a visited set guards against cycles and is kept
# across libraries: a walk that ends without a violation proves everything it visited clean).

set(_RECLENS_QT_PATTERN "Qt[56]?::|Qt[56]|QCustomPlot")
set(_RECLENS_TORCH_PATTERN
  "^(torch|torch_cpu|torch_cuda|torch_library|c10|c10_cuda)$|(^|/)lib(torch|torch_cpu|torch_cuda|c10|c10_cuda)\\.(so|a|dylib)")

# Strips the generator expressions we can see through; empties item for any other one.
function(_reclens_layers_unwrap item keep_link_only out)
  while(item MATCHES "^\\$<(LINK_ONLY|BUILD_INTERFACE|COMPILE_ONLY):(.*)>$")
    if(CMAKE_MATCH_1 STREQUAL "LINK_ONLY" AND NOT keep_link_only)
      set(item "")
      break()
    endif()
    set(item "${CMAKE_MATCH_2}")
  endwhile()
  # $<TARGET_PROPERTY:x,INTERFACE_LINK_LIBRARIES> links what x's interface links: follow x.
  if(item MATCHES "^\\$<TARGET_PROPERTY:([^,$<>]+),INTERFACE_LINK_LIBRARIES>$")
    set(item "${CMAKE_MATCH_1}")
  endif()
  if(item MATCHES "\\$<|^::@" OR item MATCHES ">$")
    set(item "")
  endif()
  set(${out} "${item}" PARENT_SCOPE)
endfunction()

# The names target links through the given properties, generator expressions unwrapped. Without
# keep_link_only, only what carries usage requirements: no link-only entries and no library files
# named by path (CMake leaves a static library's PRIVATE files unwrapped; they bring no headers).
function(_reclens_layers_links target props keep_link_only out)
  set(links)
  foreach(prop IN LISTS props)
    get_target_property(values ${target} ${prop})
    if(NOT values)
      continue()
    endif()
    foreach(value IN LISTS values)
      _reclens_layers_unwrap("${value}" ${keep_link_only} name)
      if(name STREQUAL "" OR (NOT keep_link_only AND IS_ABSOLUTE "${name}"))
        continue()
      endif()
      list(APPEND links "${name}")
    endforeach()
  endforeach()
  set(${out} "${links}" PARENT_SCOPE)
endfunction()

# Depth-first walk. kind "link": every link counts (LINK_LIBRARIES and INTERFACE_LINK_LIBRARIES,
# link-only entries included); kind "usage": only public interfaces (INTERFACE_LINK_LIBRARIES without
# link-only entries). own_links_count TRUE: the first target's own links all count, as for "link".
# On a match, sets the global property _RECLENS_LAYERS_FOUND to the path (a list of names).
function(_reclens_layers_walk target kind pattern path own_links_count)
  get_target_property(aliased ${target} ALIASED_TARGET)
  if(aliased)
    set(key "${aliased}")
  else()
    set(key "${target}")
  endif()
  get_property(visited GLOBAL PROPERTY _RECLENS_LAYERS_VISITED_${kind})
  if(key IN_LIST visited AND NOT own_links_count)  # a first target's own links are always looked at
    return()
  endif()
  set_property(GLOBAL APPEND PROPERTY _RECLENS_LAYERS_VISITED_${kind} "${key}")

  list(APPEND path "${target}")
  if(kind STREQUAL "link" OR own_links_count)
    _reclens_layers_links(${key} "LINK_LIBRARIES;INTERFACE_LINK_LIBRARIES" TRUE links)
  else()
    _reclens_layers_links(${key} "INTERFACE_LINK_LIBRARIES" FALSE links)
  endif()
  foreach(dep IN LISTS links)
    if(dep MATCHES "${pattern}")
      list(APPEND path "${dep}")
      set_property(GLOBAL PROPERTY _RECLENS_LAYERS_FOUND "${path}")
      return()
    endif()
    if(TARGET "${dep}")
      _reclens_layers_walk("${dep}" ${kind} "${pattern}" "${path}" FALSE)
      get_property(found GLOBAL PROPERTY _RECLENS_LAYERS_FOUND)
      if(found)
        return()
      endif()
    endif()
  endforeach()
endfunction()

# Walks from lib; on a match stops configuration with
# "Layering violation: <layer> library '<lib>' <verb> '<found>'<where> through <path>. <why>".
function(_reclens_layers_check lib layer kind pattern own_links_count verb where why)
  set_property(GLOBAL PROPERTY _RECLENS_LAYERS_FOUND "")
  _reclens_layers_walk(${lib} ${kind} "${pattern}" "" ${own_links_count})
  get_property(found GLOBAL PROPERTY _RECLENS_LAYERS_FOUND)
  if(found)
    list(GET found -1 culprit)
    list(JOIN found " -> " chain)
    message(FATAL_ERROR
      "Layering violation: ${layer} library '${lib}' ${verb} '${culprit}'${where} through ${chain}. ${why}")
  endif()
endfunction()

function(reclens_check_layers)
  get_property(core_libs GLOBAL PROPERTY RECLENS_LAYER_core)
  get_property(ui_libs GLOBAL PROPERTY RECLENS_LAYER_ui)
  foreach(kind link usage)
    set_property(GLOBAL PROPERTY _RECLENS_LAYERS_VISITED_${kind} "")
  endforeach()
  foreach(lib IN LISTS core_libs)
    _reclens_layers_check(${lib} core link "${_RECLENS_QT_PATTERN}" FALSE
      reaches "" "core/ must not use Qt.")
  endforeach()
  foreach(lib IN LISTS core_libs)
    _reclens_layers_check(${lib} core usage "${_RECLENS_TORCH_PATTERN}" FALSE
      exposes " in its interface" "Link torch PRIVATE so ui/ never sees torch headers.")
  endforeach()
  foreach(lib IN LISTS ui_libs)
    _reclens_layers_check(${lib} ui usage "${_RECLENS_TORCH_PATTERN}" TRUE
      reaches "" "ui/ must not use torch.")
  endforeach()
endfunction()
