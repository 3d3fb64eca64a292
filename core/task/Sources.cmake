# Task documents: load (with line/column diagnostics), validate, save and export for the autotuner (DESIGN §5).
list(APPEND QUANTDESK_CORE_SOURCES
    task/JsonLocator.cpp task/JsonLocator.h
    task/TaskProblem.cpp task/TaskProblem.h
    task/TaskDocument.cpp task/TaskDocument.h
    task/TaskLoader.cpp task/TaskLoader.h
    task/TaskPlan.cpp task/TaskPlan.h
    task/TaskValidator.cpp task/TaskValidator.h
    task/AutotunerMapping.cpp task/AutotunerMapping.h
    task/TaskExporter.cpp task/TaskExporter.h
)
