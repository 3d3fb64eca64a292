# The hosts area: the stored hosts, secrets (system keychain when available), probes and the host manager dialog.
list(APPEND QUANTDESK_UI_SOURCES
    hosts/HostProber.cpp hosts/HostProber.h
    hosts/HostsDialog.cpp hosts/HostsDialog.h
    hosts/HostStore.cpp hosts/HostStore.h
    hosts/SecretStore.cpp hosts/SecretStore.h
)

# Tokens go to the system keychain through QtKeychain when it is installed (Debian: qtkeychain-qt6-dev); without
# it they are kept in memory for the session only, never written in plain text.
find_package(Qt6Keychain CONFIG QUIET)
if(TARGET qt6keychain)
    # Imported targets are local to this folder; the tests and the app link quantdesk_ui from elsewhere.
    set_target_properties(qt6keychain PROPERTIES IMPORTED_GLOBAL TRUE)
    # quantdesk_ui is defined after the area lists are read: link it at the end of this folder.
    cmake_language(DEFER CALL target_link_libraries quantdesk_ui PRIVATE qt6keychain)
    cmake_language(DEFER CALL target_compile_definitions quantdesk_ui PRIVATE QUANTDESK_HAVE_KEYCHAIN)
    message(STATUS "QtKeychain found: tokens are stored in the system keychain")
else()
    message(STATUS "QtKeychain not found: tokens are kept in memory only")
endif()
