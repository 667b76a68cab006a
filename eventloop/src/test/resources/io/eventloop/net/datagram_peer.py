"""A UDP peer on asyncio's datagram endpoints, for DatagramPeersTest. Standard library only.

  python3 datagram_peer.py server HOST
      Binds HOST:0 with loop.create_datagram_endpoint, prints "PORT <n>", echoes every datagram
      to its sender; after echoing a datagram that reads "bye" it prints "<count> datagrams" (the
      ones before "bye") and exits.

  python3 datagram_peer.py client HOST PORT COUNT SIZE
      Connects an endpoint to HOST:PORT and sends COUNT datagrams of SIZE bytes (each numbered,
      the rest a pattern of the number), one at a time, each once its echo came back, checking
      every byte. Prints "<COUNT> echoed intact" (or what differed, and exits 1).

Each run ends within 30 s whatever the peer does, so a test cannot hang on it.
"""
import asyncio
import struct
import sys

GUARD_SECONDS = 30


def datagram(n, size):
    head = struct.pack(">I", n)
    body = bytes((n + i) & 0xFF for i in range(4, size))
    return (head + body)[:size] if size >= 4 else head[:size]


class Echo(asyncio.DatagramProtocol):
    def __init__(self, done):
        self.done = done
        self.count = 0

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        self.transport.sendto(data, addr)
        if data == b"bye":
            if not self.done.done():
                self.done.set_result(self.count)
        else:
            self.count += 1


class Client(asyncio.DatagramProtocol):
    def __init__(self):
        self.queue = asyncio.Queue()

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        self.queue.put_nowait(data)

    def error_received(self, exc):
        self.queue.put_nowait(exc)


async def server(host):
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    transport, _ = await loop.create_datagram_endpoint(lambda: Echo(done), local_addr=(host, 0))
    print("PORT %d" % transport.get_extra_info("sockname")[1], flush=True)
    count = await asyncio.wait_for(done, GUARD_SECONDS)
    print("%d datagrams" % count, flush=True)
    transport.close()


async def client(host, port, count, size):
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.create_datagram_endpoint(Client, remote_addr=(host, port))
    for n in range(count):
        sent = datagram(n, size)
        transport.sendto(sent)
        got = await asyncio.wait_for(protocol.queue.get(), GUARD_SECONDS)
        if got != sent:
            print("datagram %d came back as %r" % (n, got[:16] if isinstance(got, bytes) else got), flush=True)
            sys.exit(1)
    print("%d echoed intact" % count, flush=True)
    transport.close()


if __name__ == "__main__":
    if sys.argv[1] == "server":
        asyncio.run(server(sys.argv[2]))
    else:
        asyncio.run(client(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])))
