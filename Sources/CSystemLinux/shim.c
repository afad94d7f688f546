// accept4(2) is declared only under _GNU_SOURCE; defining it here keeps it out of every
// Swift file that includes the header.
#ifdef __linux__
#define _GNU_SOURCE
#include <sys/socket.h>
#include "CSystemLinux.h"

int CSystemLinux_accept4(int socket, struct sockaddr *address, socklen_t *length, int flags) {
    return accept4(socket, address, length, flags);
}
#endif
