list(APPEND QUANTDESK_CORE_SOURCES
    store/JobStore.cpp store/JobStore.h
)
