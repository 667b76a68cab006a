"""HTTP/1.1 hello-world protocol server on asyncio or uvloop: the peer of the http-server example.

Answers every request with the same bytes as the example answers GET / (status line, headers in
the same order, the Date field formatted once per second, body "Hello, World!"), keeping the
connection open.

The request "parser" is deliberately minimal, far less than the Java servers do: it counts the
ends of header sections (CRLF CRLF) in what has arrived, answers that many requests in one write
(so pipelined requests are answered in one go) and keeps the unfinished tail for the next read.
It looks at neither the method, the path, the headers nor a body; it never closes a connection
itself. That is enough for wrk's GET requests, and it makes this the cheapest possible server on
each loop.

Prints "listening on 127.0.0.1:PORT" when ready; serves until killed.

Usage: python3 http_hello.py asyncio|uvloop [port]
"""

import asyncio
import sys
import time
from email.utils import formatdate

HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 13\r\n"
BODY = b"Hello, World!"
END = b"\r\n\r\n"

# The whole response and the second whose Date it carries: rebuilt at most once per second, as the
# Java servers format their Date field.
_second = -1
_response = b""


def response():
    global _second, _response
    now = int(time.time())
    if now != _second:
        _response = HEAD + b"Date: " + formatdate(now, usegmt=True).encode("ascii") + b"\r\n\r\n" + BODY
        _second = now
    return _response


class Hello(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.pending = b""

    def data_received(self, data):
        if self.pending:
            data = self.pending + data
        count = data.count(END)
        if count:
            # The tail after the last complete header section is the start of the next request.
            self.pending = data[data.rfind(END) + len(END):]
            self.transport.write(response() * count)
        else:
            self.pending = data

    def connection_lost(self, exc):
        self.transport = None


async def main(port):
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda _loop, _context: None)  # resets by wrk at the end of a run are expected
    server = await loop.create_server(Hello, "127.0.0.1", port)
    print("listening on 127.0.0.1:%d" % server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    kind = sys.argv[1] if len(sys.argv) > 1 else ""
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    if kind == "uvloop":
        import uvloop
        uvloop.install()
    elif kind != "asyncio":
        sys.exit("usage: http_hello.py asyncio|uvloop [port]")
    asyncio.run(main(port))
