# The jobs area: the jobs dock (table, log, actions), the submit dialog and the job-end notification.
list(APPEND QUANTDESK_UI_SOURCES
    jobs/JobNotifier.cpp jobs/JobNotifier.h
    jobs/JobsModel.cpp jobs/JobsModel.h
    jobs/JobsPane.cpp jobs/JobsPane.h
    jobs/SubmitDialog.cpp jobs/SubmitDialog.h
)
