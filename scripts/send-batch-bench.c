// The kernel's side of a round of sends, without the server: N loopback TCP connections, a
// child process reading them all with epoll, the parent sending each a 200-byte frame per
// round, with send(2) per socket or through CSystemLinux's send ring (io_uring), and printing
// the sender's CPU per send (getrusage: the receiving side's softirq work on loopback counts
// here, as in the server).
//   cc -O2 -I Sources/CSystemLinux/include -o /tmp/send-batch-bench scripts/send-batch-bench.c Sources/CSystemLinux/send_ring.c
//   ulimit -n 20000; /tmp/send-batch-bench 7000 send|uring|sqpoll ROUNDS [BATCH]
#define _GNU_SOURCE
#include "CSystemLinux.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static double cpu(void) { struct rusage u; getrusage(RUSAGE_SELF, &u); return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6; }

int main(int argc, char **argv) {
    int n = atoi(argv[1]); const char *mode = argv[2]; int rounds = atoi(argv[3]); int batch = argc > 4 ? atoi(argv[4]) : 1024;
    int lfd = socket(AF_INET, SOCK_STREAM, 0); int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    bind(lfd, (void *)&a, sizeof a); listen(lfd, 4096); socklen_t al = sizeof a; getsockname(lfd, (void *)&a, &al);
    int report[2]; pipe(report); int go[2]; pipe(go);
    pid_t child = fork();
    if (child == 0) {
        close(lfd);
        int ep = epoll_create1(0); int *fds = malloc(n * sizeof(int));
        for (int i = 0; i < n; i++) {
            fds[i] = socket(AF_INET, SOCK_STREAM, 0);
            if (connect(fds[i], (void *)&a, sizeof a) < 0) { perror("connect"); exit(1); }
            fcntl(fds[i], F_SETFL, O_NONBLOCK);
            struct epoll_event e = { .events = EPOLLIN, .data.fd = fds[i] }; epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &e);
        }
        char c; read(go[0], &c, 1);
        struct epoll_event ev[1024]; char buf[4096];
        for (int r = 0; r < rounds; r++) {
            long got = 0; 
            while (got < n) {
                int k = epoll_wait(ep, ev, 1024, 5000); if (k <= 0) { fprintf(stderr, "reader timeout %ld\n", got); exit(1); }
                for (int i = 0; i < k; i++) { ssize_t m = read(ev[i].data.fd, buf, sizeof buf); if (m > 0) got++; }
            }
            double t = now(); write(report[1], &t, sizeof t);
        }
        exit(0);
    }
    int *fds = malloc(n * sizeof(int));
    for (int i = 0; i < n; i++) { fds[i] = accept(lfd, 0, 0); fcntl(fds[i], F_SETFL, O_NONBLOCK); setsockopt(fds[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); }
    CSystemLinux_SendRing *ring = 0;
    if (strcmp(mode, "send") != 0) { int e = CSystemLinux_SendRing_create(batch, strcmp(mode, "sqpoll") == 0, &ring); if (e) { fprintf(stderr, "setup %s\n", strerror(-e)); return 1; } }
    char msg[200]; memset(msg, 'x', sizeof msg); memcpy(msg, "id: 1\ndata: ", 12); msg[198] = '\n'; msg[199] = '\n';
    write(go[1], "g", 1);
    double sumSend = 0, sumLast = 0, sumCpu = 0; int short_ = 0;
    usleep(200000);
    for (int r = 0; r < rounds; r++) {
        double c0 = cpu(), t0 = now();
        if (!ring) {
            for (int i = 0; i < n; i++) { ssize_t m = send(fds[i], msg, sizeof msg, MSG_NOSIGNAL | MSG_DONTWAIT); if (m != sizeof msg) short_++; }
        } else {
            int i = 0;
            while (i < n) {
                int k = 0;
                while (i < n && k < batch) { CSystemLinux_SendRing_prepareSend(ring, fds[i], msg, sizeof msg, i); i++; k++; }
                int e = CSystemLinux_SendRing_submitAndWait(ring); if (e) { fprintf(stderr, "enter %s\n", strerror(-e)); return 1; }
                unsigned long long ud; int res; while (CSystemLinux_SendRing_reap(ring, &ud, &res)) if (res != sizeof msg) short_++;
            }
        }
        double t1 = now(), c1 = cpu();
        double last; read(report[0], &last, sizeof last);
        sumSend += t1 - t0; sumLast += last - t0; sumCpu += c1 - c0;
        usleep(100000);
    }
    printf("%s n=%d batch=%d: send loop %.1f ms, last read %.1f ms, sender CPU %.1f ms (%.2f us/send), short %d\n", mode, n, batch,
        sumSend / rounds * 1e3, sumLast / rounds * 1e3, sumCpu / rounds * 1e3, sumCpu / rounds / n * 1e6, short_);
    waitpid(child, 0, 0);
    return 0;
}
