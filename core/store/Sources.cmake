list(APPEND QUANTDESK_CORE_SOURCES
    store/JobStore.cpp store/JobStore.h
)
list(APPEND QUANTDESK_CORE_SOURCES
    store/Sqlite.cpp store/Sqlite.h
)
