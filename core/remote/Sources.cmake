list(APPEND QUANTDESK_CORE_SOURCES
    remote/HostSpec.cpp remote/HostSpec.h
    remote/ProcessJob.cpp remote/ProcessJob.h
    remote/Transport.cpp remote/Transport.h
    remote/SshTransport.cpp remote/SshTransport.h
    remote/RestClient.cpp remote/RestClient.h
    remote/HostProbe.cpp remote/HostProbe.h
)
list(APPEND QUANTDESK_CORE_SOURCES
    remote/JobRunner.cpp remote/JobRunner.h
    remote/PollBatcher.cpp remote/PollBatcher.h
    remote/ShellJobRunner.cpp remote/ShellJobRunner.h
    remote/RestJobRunner.cpp remote/RestJobRunner.h
)
list(APPEND QUANTDESK_CORE_SOURCES
    remote/JobManager.cpp remote/JobManager.h
)
list(APPEND QUANTDESK_CORE_SOURCES
    remote/SshModelFileReader.cpp remote/SshModelFileReader.h
)
