// Debian's libhiredis-dev 0.14.1: only the RESP2 reader and the command formatter are used.
#include <hiredis/hiredis.h>
#include <hiredis/read.h>
