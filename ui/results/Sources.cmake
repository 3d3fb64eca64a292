# The Results dock: the results library browser beside the charts.
list(APPEND QUANTDESK_UI_SOURCES
    results/ResultsLibraryModel.cpp results/ResultsLibraryModel.h
    results/ResultsPane.cpp results/ResultsPane.h
)
