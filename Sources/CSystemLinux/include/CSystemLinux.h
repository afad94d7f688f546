// What Glibc's Swift module leaves out and the event loop needs: <sys/epoll.h> (the calls and
// `struct epoll_event`, packed on x86_64 as the kernel ABI has it, laid out by the C compiler
// rather than by hand), <sys/eventfd.h>, malloc_trim from <malloc.h>, and accept4(2), a GNU
// extension. Linux only.
#ifndef C_SYSTEM_LINUX_H
#define C_SYSTEM_LINUX_H

#ifdef __linux__
#include <malloc.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

/// accept4(2): Glibc declares it only under _GNU_SOURCE, which shim.c defines.
int CSystemLinux_accept4(int socket, struct sockaddr *address, socklen_t *length, int flags);
#endif

#endif
