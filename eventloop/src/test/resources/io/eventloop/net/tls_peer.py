"""A TLS peer on Python's ssl module under asyncio, for TlsPeersTest. Standard library only.

  python3 tls_peer.py client PORT CAFILE VERSION SIZE
      Connects to 127.0.0.1:PORT as "localhost" (certificate and host name checked against
      CAFILE), sends SIZE random bytes while reading them back, checks every byte, closes.
      Prints "<version> <sha256 of the bytes sent> intact" (or "corrupted", and exits 1).

  python3 tls_peer.py server CERT KEY VERSION
      Listens on 127.0.0.1, prints "PORT <n>", echoes one client's bytes until its EOF, closes.
      Prints "<version> <sha256 of the bytes received> <count>".

VERSION is TLSv1.2 or TLSv1.3: the only version allowed. Each run ends within 30 s whatever the
peer does, so a test cannot hang on it.
"""
import asyncio
import hashlib
import os
import ssl
import sys

GUARD_SECONDS = 30


def pin(context, version):
    v = {"TLSv1.2": ssl.TLSVersion.TLSv1_2, "TLSv1.3": ssl.TLSVersion.TLSv1_3}[version]
    context.minimum_version = v
    context.maximum_version = v


async def client(port, cafile, version, size):
    context = ssl.create_default_context(cafile=cafile)
    pin(context, version)
    reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=context, server_hostname="localhost")
    data = os.urandom(size)

    async def send():
        for at in range(0, size, 65536):
            writer.write(data[at:at + 65536])
            await writer.drain()

    sending = asyncio.create_task(send())
    back = await reader.readexactly(size)
    await sending
    intact = back == data
    print(writer.get_extra_info("ssl_object").version(), hashlib.sha256(data).hexdigest(),
          "intact" if intact else "corrupted", flush=True)
    writer.close()
    await writer.wait_closed()
    return 0 if intact else 1


async def server(cert, key, version):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    pin(context, version)
    done = asyncio.get_running_loop().create_future()

    async def serve(reader, writer):
        digest = hashlib.sha256()
        count = 0
        while chunk := await reader.read(65536):
            digest.update(chunk)
            count += len(chunk)
            writer.write(chunk)
            await writer.drain()
        version_used = writer.get_extra_info("ssl_object").version()
        writer.close()
        await writer.wait_closed()
        if not done.done():
            done.set_result(f"{version_used} {digest.hexdigest()} {count}")

    listener = await asyncio.start_server(serve, "127.0.0.1", 0, ssl=context)
    print("PORT", listener.sockets[0].getsockname()[1], flush=True)
    print(await done, flush=True)
    listener.close()
    await listener.wait_closed()
    return 0


def main(args):
    if args[0] == "client":
        run = client(int(args[1]), args[2], args[3], int(args[4]))
    else:
        run = server(args[1], args[2], args[3])
    return asyncio.run(asyncio.wait_for(run, GUARD_SECONDS))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
