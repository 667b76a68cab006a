"""The work of io.eventloop.bench.SubprocessBench on asyncio (or uvloop with --uvloop).

pipe:  MIB MiB written to cat's stdin in 64 KiB writes, each followed by drain(), while another
       task reads its stdout with read(65536) until EOF; MiB per second.
spawn: CHILDREN runs of `true` with the three streams piped, 16 at a time, each communicate()d;
       children per second.
A warm-up pass of each (a tenth of the work) comes first, as on the Java side.
Usage: subprocess_bench.py MIB CHILDREN [--uvloop]
"""
import asyncio
import sys
import time

CHUNK = 65536
AT_ONCE = 16
PIPE = asyncio.subprocess.PIPE


async def pipe(nbytes):
    total = nbytes - nbytes % CHUNK
    start = time.perf_counter()
    block = bytes(i & 0xFF for i in range(CHUNK))
    proc = await asyncio.create_subprocess_exec('cat', stdin=PIPE, stdout=PIPE)

    async def writing():
        sent = 0
        while sent < total:
            proc.stdin.write(block)
            sent += CHUNK
            await proc.stdin.drain()
        proc.stdin.close()

    async def reading():
        received = 0
        while True:
            b = await proc.stdout.read(CHUNK)
            if not b:
                return received
            received += len(b)

    _, received = await asyncio.gather(writing(), reading())
    code = await proc.wait()
    if code != 0 or received != total:
        raise RuntimeError(f'cat exited with {code} after {received} of {total} bytes')
    return time.perf_counter() - start


async def spawn(children):
    start = time.perf_counter()
    left = [children]

    async def worker():
        while left[0] > 0:
            left[0] -= 1
            proc = await asyncio.create_subprocess_exec('true', stdin=PIPE, stdout=PIPE, stderr=PIPE)
            await proc.communicate()
            if proc.returncode != 0:
                raise RuntimeError(f'true exited with {proc.returncode}')

    await asyncio.gather(*(worker() for _ in range(AT_ONCE)))
    return time.perf_counter() - start


async def main(mib, children):
    total = mib << 20
    await pipe(total // 10)
    await spawn(children // 10)
    pipe_seconds = await pipe(total)
    spawn_seconds = await spawn(children)
    print(f'pipe_mib_per_s {mib / pipe_seconds:.1f}')
    print(f'spawn_per_s {children / spawn_seconds:.1f}')


if __name__ == '__main__':
    if '--uvloop' in sys.argv:
        import uvloop
        uvloop.install()
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    asyncio.run(main(int(args[0]), int(args[1])))
