"""Protocol echo server on asyncio or uvloop: the peer of io.eventloop.bench.echo's servers.

The protocol is asyncio's canonical one, flow control included: it writes back what it reads and
stops reading from a peer while its write buffer is above the high-water mark.

Prints "listening on 127.0.0.1:PORT" when ready, then answers commands on stdin, one line each:
  heap   -> "heap -1" (no Java-style heap figure here; the driver reads the RSS instead),
            after gc.collect()
  alloc  -> "alloc -1"
  quit   -> exits (so does end of input)

Usage: python3 echo_server.py asyncio|uvloop [port]
"""

import asyncio
import gc
import os
import sys


class Echo(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.transport.write(data)

    def pause_writing(self):
        self.transport.pause_reading()

    def resume_writing(self):
        self.transport.resume_reading()

    def connection_lost(self, exc):
        self.transport = None


def answer(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def main(port):
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda _loop, _context: None)  # peer resets at the end of a run are expected
    server = await loop.create_server(Echo, "127.0.0.1", port)
    answer("listening on 127.0.0.1:%d" % server.sockets[0].getsockname()[1])
    done = loop.create_future()
    pending = bytearray()

    def on_command():
        chunk = os.read(0, 4096)
        if not chunk:
            if not done.done():
                done.set_result(None)
            return
        pending.extend(chunk)
        while b"\n" in pending:
            line, _, rest = bytes(pending).partition(b"\n")
            pending[:] = rest
            command = line.decode().strip()
            if command == "heap":
                gc.collect()
                answer("heap -1")
            elif command == "alloc":
                answer("alloc -1")
            elif command == "quit":
                if not done.done():
                    done.set_result(None)
            else:
                answer("error unknown command: " + command)

    loop.add_reader(0, on_command)
    await done
    os._exit(0)


if __name__ == "__main__":
    kind = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    if kind == "uvloop":
        import uvloop
        uvloop.install()
    elif kind != "asyncio":
        sys.exit("usage: echo_server.py asyncio|uvloop [port]")
    asyncio.run(main(port))
