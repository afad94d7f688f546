// An io_uring through its system calls and mapped rings (io_uring_setup(2), io_uring_enter(2)):
// the few operations a batch of sends needs, so no liburing. Swift cannot call the variadic
// syscall(2) nor order the ring's head and tail with the kernel; C does both here.
#ifdef __linux__
#define _GNU_SOURCE
#include <errno.h>
#include <linux/io_uring.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "CSystemLinux.h"

struct CSystemLinux_SendRing {
    int descriptor;
    unsigned setupFlags;
    unsigned *submissionHead, *submissionTail, *submissionMask, *submissionFlags;
    unsigned submissionEntries;
    struct io_uring_sqe *submissions;
    unsigned *completionHead, *completionTail, *completionMask;
    struct io_uring_cqe *completions;
    void *rings;
    size_t ringsSize, submissionsSize;
    /// Prepared, not yet handed to the kernel.
    unsigned localTail, unsubmitted;
};

int CSystemLinux_SendRing_create(unsigned entries, int polling, CSystemLinux_SendRing **ring) {
    struct io_uring_params params;
    memset(&params, 0, sizeof params);
    // Every prepared send is submitted even if one fails early: its completion reports it.
    params.flags = IORING_SETUP_SUBMIT_ALL;
    if (polling) {
        params.flags |= IORING_SETUP_SQPOLL;
        params.sq_thread_idle = 10;  // ms the kernel thread polls before it sleeps
    }
    int descriptor = (int)syscall(__NR_io_uring_setup, entries, &params);
    if (descriptor < 0) return -errno;
    if (!(params.features & IORING_FEAT_SINGLE_MMAP) || !(params.features & IORING_FEAT_NODROP)) {
        close(descriptor);
        return -ENOSYS;
    }
    size_t submissionSize = params.sq_off.array + params.sq_entries * sizeof(unsigned);
    size_t completionSize = params.cq_off.cqes + params.cq_entries * sizeof(struct io_uring_cqe);
    size_t ringsSize = submissionSize > completionSize ? submissionSize : completionSize;
    void *rings = mmap(NULL, ringsSize, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, descriptor, IORING_OFF_SQ_RING);
    if (rings == MAP_FAILED) {
        int code = errno;
        close(descriptor);
        return -code;
    }
    size_t submissionsSize = params.sq_entries * sizeof(struct io_uring_sqe);
    void *submissions = mmap(NULL, submissionsSize, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, descriptor, IORING_OFF_SQES);
    CSystemLinux_SendRing *made = submissions == MAP_FAILED ? NULL : calloc(1, sizeof *made);
    if (made == NULL) {
        int code = submissions == MAP_FAILED ? errno : ENOMEM;
        if (submissions != MAP_FAILED) munmap(submissions, submissionsSize);
        munmap(rings, ringsSize);
        close(descriptor);
        return -code;
    }
    char *base = rings;
    made->descriptor = descriptor;
    made->setupFlags = params.flags;
    made->submissionHead = (unsigned *)(base + params.sq_off.head);
    made->submissionTail = (unsigned *)(base + params.sq_off.tail);
    made->submissionMask = (unsigned *)(base + params.sq_off.ring_mask);
    made->submissionFlags = (unsigned *)(base + params.sq_off.flags);
    made->submissionEntries = params.sq_entries;
    made->submissions = submissions;
    made->completionHead = (unsigned *)(base + params.cq_off.head);
    made->completionTail = (unsigned *)(base + params.cq_off.tail);
    made->completionMask = (unsigned *)(base + params.cq_off.ring_mask);
    made->completions = (struct io_uring_cqe *)(base + params.cq_off.cqes);
    made->rings = rings;
    made->ringsSize = ringsSize;
    made->submissionsSize = submissionsSize;
    // Slot i of the index array names submission i, for good: the rings advance in step.
    unsigned *array = (unsigned *)(base + params.sq_off.array);
    for (unsigned index = 0; index < params.sq_entries; index++) array[index] = index;
    made->localTail = *made->submissionTail;
    *ring = made;
    return 0;
}

void CSystemLinux_SendRing_destroy(CSystemLinux_SendRing *ring) {
    munmap(ring->submissions, ring->submissionsSize);
    munmap(ring->rings, ring->ringsSize);
    close(ring->descriptor);
    free(ring);
}

unsigned CSystemLinux_SendRing_space(const CSystemLinux_SendRing *ring) {
    unsigned head = __atomic_load_n(ring->submissionHead, __ATOMIC_ACQUIRE);
    return ring->submissionEntries - (ring->localTail - head);
}

void CSystemLinux_SendRing_prepareSend(
    CSystemLinux_SendRing *ring, int socket, const void *bytes, unsigned length, unsigned long long token) {
    struct io_uring_sqe *submission = &ring->submissions[ring->localTail & *ring->submissionMask];
    memset(submission, 0, sizeof *submission);
    submission->opcode = IORING_OP_SEND;
    submission->fd = socket;
    submission->addr = (unsigned long long)(uintptr_t)bytes;
    submission->len = length;
    // MSG_DONTWAIT: a full socket completes with -EAGAIN instead of being retried by the kernel
    // later, so the caller queues the rest as after a plain send.
    submission->msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL;
    submission->user_data = token;
    ring->localTail++;
    ring->unsubmitted++;
}

int CSystemLinux_SendRing_submitAndWait(CSystemLinux_SendRing *ring) {
    unsigned count = ring->unsubmitted;
    if (count == 0) return 0;
    __atomic_store_n(ring->submissionTail, ring->localTail, __ATOMIC_RELEASE);
    ring->unsubmitted = 0;
    unsigned flags = IORING_ENTER_GETEVENTS;
    unsigned toSubmit = count;
    if (ring->setupFlags & IORING_SETUP_SQPOLL) {
        // The kernel thread takes the submissions; wake it if it went to sleep.
        toSubmit = 0;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (__atomic_load_n(ring->submissionFlags, __ATOMIC_RELAXED) & IORING_SQ_NEED_WAKEUP) flags |= IORING_ENTER_SQ_WAKEUP;
    }
    for (;;) {
        unsigned ready = __atomic_load_n(ring->completionTail, __ATOMIC_ACQUIRE) - *ring->completionHead;
        if (ready >= count && toSubmit == 0) return 0;
        int result = (int)syscall(__NR_io_uring_enter, ring->descriptor, toSubmit, count, flags, NULL, 0);
        if (result < 0) {
            if (errno == EINTR) continue;
            return -errno;
        }
        toSubmit -= (unsigned)result < toSubmit ? (unsigned)result : toSubmit;
    }
}

unsigned CSystemLinux_SendRing_untaken(const CSystemLinux_SendRing *ring) {
    return ring->localTail - __atomic_load_n(ring->submissionHead, __ATOMIC_ACQUIRE);
}

int CSystemLinux_SendRing_reap(CSystemLinux_SendRing *ring, unsigned long long *token, int *result) {
    unsigned head = *ring->completionHead;
    if (head == __atomic_load_n(ring->completionTail, __ATOMIC_ACQUIRE)) return 0;
    struct io_uring_cqe *completion = &ring->completions[head & *ring->completionMask];
    *token = completion->user_data;
    *result = completion->res;
    __atomic_store_n(ring->completionHead, head + 1, __ATOMIC_RELEASE);
    return 1;
}
#endif
