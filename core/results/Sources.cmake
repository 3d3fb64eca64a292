# Results: importers to one normalised model, grouping by quant config, chart series, the results library (DESIGN §6).
list(APPEND QUANTDESK_CORE_SOURCES
    results/ResultModel.cpp results/ResultModel.h
    results/JsonStream.cpp results/JsonStream.h
    results/KvCapacityParser.cpp results/KvCapacityParser.h
    results/QuantResolver.cpp results/QuantResolver.h
    results/ResultsImporter.cpp results/ResultsImporter.h
    results/ResultSeries.cpp results/ResultSeries.h
    results/ResultsCsv.cpp results/ResultsCsv.h
    results/AsyncResultsImporter.cpp results/AsyncResultsImporter.h
    results/ResultsLibrary.cpp results/ResultsLibrary.h
)
