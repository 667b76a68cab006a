"""Echo server on asyncio or uvloop: the peer of io.eventloop.bench.echo's servers.

"asyncio" and "uvloop" serve asyncio's canonical protocol on loop.create_server, flow control
included: it writes back what it reads and stops reading from a peer while its write buffer is
above the high-water mark (the peer of EventloopEchoServer).

"asyncio-streams" and "uvloop-streams" serve the streams handler a user writes, on
asyncio.start_server: reader.read(65536), writer.write(data), await writer.drain(), until EOF
(the Python the `echo` example quotes; the peer of EventloopStreamsEchoServer).

Prints "listening on 127.0.0.1:PORT" when ready, then answers commands on stdin, one line each:
  heap   -> "heap -1" (no Java-style heap figure here; the driver reads the RSS instead),
            after gc.collect()
  alloc  -> "alloc -1"
  quit   -> exits (so does end of input)

Usage: python3 echo_server.py asyncio|uvloop|asyncio-streams|uvloop-streams [port]
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


async def handle(reader, writer):
    """One connection: read what is there, write it back, wait while the peer is slow to read."""
    while data := await reader.read(65536):
        writer.write(data)
        await writer.drain()
    writer.close()
    await writer.wait_closed()


def answer(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def main(port, streams):
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda _loop, _context: None)  # peer resets at the end of a run are expected
    if streams:
        server = await asyncio.start_server(handle, "127.0.0.1", port)
    else:
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
    loop_name, _, api = kind.partition("-")
    if loop_name not in ("asyncio", "uvloop") or api not in ("", "streams"):
        sys.exit("usage: echo_server.py asyncio|uvloop|asyncio-streams|uvloop-streams [port]")
    if loop_name == "uvloop":
        import uvloop
        uvloop.install()
    asyncio.run(main(port, api == "streams"))
