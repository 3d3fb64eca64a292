list(APPEND QUANTDESK_CORE_SOURCES
    remote/HostSpec.cpp remote/HostSpec.h
    remote/ProcessJob.cpp remote/ProcessJob.h
    remote/Transport.cpp remote/Transport.h
    remote/SshTransport.cpp remote/SshTransport.h
    remote/RestClient.cpp remote/RestClient.h
    remote/HostProbe.cpp remote/HostProbe.h
)
