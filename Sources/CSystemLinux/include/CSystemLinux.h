// What Glibc's Swift module leaves out and the event loop needs: <sys/epoll.h> (the calls and
// `struct epoll_event`, packed on x86_64 as the kernel ABI has it, laid out by the C compiler
// rather than by hand), <sys/eventfd.h>, malloc_trim from <malloc.h>, accept4(2), a GNU
// extension, and an io_uring for batches of sends (send_ring.c: the raw system calls and the
// mapped rings, no liburing). Linux only.
#ifndef C_SYSTEM_LINUX_H
#define C_SYSTEM_LINUX_H

#ifdef __linux__
#include <malloc.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

/// accept4(2): Glibc declares it only under _GNU_SOURCE, which shim.c defines.
int CSystemLinux_accept4(int socket, struct sockaddr *address, socklen_t *length, int flags);

/// An io_uring that sends: submissions are `send(2)`s with MSG_DONTWAIT | MSG_NOSIGNAL, so each
/// completes at once with the bytes taken, -EAGAIN or another -errno, as the call would have.
/// Used by one thread at a time.
typedef struct CSystemLinux_SendRing CSystemLinux_SendRing;

/// Sets up a ring of at least `entries` submissions (the kernel rounds up to a power of two),
/// with a kernel thread polling the submissions if `polling`. 0, or -errno (EPERM or ENOSYS
/// where io_uring is disabled or filtered, as containers often do).
int CSystemLinux_SendRing_create(unsigned entries, int polling, CSystemLinux_SendRing **ring);

/// Unmaps the ring and closes its descriptor.
void CSystemLinux_SendRing_destroy(CSystemLinux_SendRing *ring);

/// Submissions that can be prepared before the next submit.
unsigned CSystemLinux_SendRing_space(const CSystemLinux_SendRing *ring);

/// Prepares a send of `length` bytes at `bytes` to `socket`; call only with space left. The
/// bytes must stay valid until the send's completion is reaped.
void CSystemLinux_SendRing_prepareSend(
    CSystemLinux_SendRing *ring, int socket, const void *bytes, unsigned length, unsigned long long token);

/// Hands the prepared sends to the kernel and waits until each has completed (one system call
/// when nothing interrupts it). 0, or -errno of `io_uring_enter`.
int CSystemLinux_SendRing_submitAndWait(CSystemLinux_SendRing *ring);

/// Submissions handed to the ring that the kernel has not taken (after a failed submit: those
/// are the last ones prepared, and the kernel will never run them).
unsigned CSystemLinux_SendRing_untaken(const CSystemLinux_SendRing *ring);

/// Takes the next completion: 1 with its token and result, or 0 when none is left.
int CSystemLinux_SendRing_reap(CSystemLinux_SendRing *ring, unsigned long long *token, int *result);
#endif

#endif
