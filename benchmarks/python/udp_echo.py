"""UDP echo server on asyncio or uvloop: the peer of `./run udp-echo` in benchmarks/run-udp.sh.

asyncio's canonical datagram echo on loop.create_datagram_endpoint: every datagram goes back to
its sender with transport.sendto (the protocol of the UDP echo example in asyncio's docs).

Prints "listening on 127.0.0.1:PORT" when ready; exits on SIGTERM or SIGINT.

Usage: python3 udp_echo.py asyncio|uvloop [port]
"""

import asyncio
import signal
import sys


class Echo(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        self.transport.sendto(data, addr)


async def main(port):
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(Echo, local_addr=("127.0.0.1", port))
    print("listening on 127.0.0.1:%d" % transport.get_extra_info("sockname")[1], flush=True)
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    await stop
    transport.close()


if __name__ == "__main__":
    kind = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    if kind not in ("asyncio", "uvloop"):
        sys.exit("usage: udp_echo.py asyncio|uvloop [port]")
    if kind == "uvloop":
        import uvloop
        uvloop.install()
    asyncio.run(main(port))
