# The jobs area: submit exported tasks to a host, follow them, cancel, restart, open their results.
list(APPEND QUANTDESK_UI_SOURCES
    jobs/JobNotifier.cpp jobs/JobNotifier.h
    jobs/JobsModel.cpp jobs/JobsModel.h
    jobs/JobsPane.cpp jobs/JobsPane.h
    jobs/SubmitDialog.cpp jobs/SubmitDialog.h
)
