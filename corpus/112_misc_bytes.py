"""bytes and bytearray operations: indexing gives ints, slicing gives bytes,
mutation of bytearray, hex/fromhex, methods, comparisons, memoryview."""


def main():
    out = []
    b = b"Hello, \x00\xff world"
    out.append((b[0], b[-1], b[1:5], b[::-3], len(b), b.find(b"world"), b.count(b"l"), 0 in b, b"\xff" in b))
    out.append((b.upper(), b.split(b","), b.replace(b"l", b"L", 2), b.strip(b"Hd"), b.hex(), b[:4].hex(":")))
    out.append(bytes.fromhex("de ad be ef"))
    ba = bytearray(b"abc")
    ba[0] = 65
    ba += b"def"
    ba.extend([0x31, 0x32])
    ba.insert(0, 95)
    del ba[1]
    ba.reverse()
    out.append((ba, bytes(ba), ba.pop(), len(ba)))
    try:
        ba[0] = 256
    except ValueError as e:
        out.append("ValueError: " + str(e))
    try:
        b[0] = 1
    except TypeError as e:
        out.append("TypeError: " + str(e))
    out.append((bytes(3), bytes([1, 2, 3]), bytes(range(65, 70)), bytearray(2), b"ab" * 2, b"a" + bytearray(b"b")))
    out.append((b"abc" < b"abd", b"abc" == bytearray(b"abc"), b"a" == "a", b"abc".decode(), "é".encode("utf-8"), "é".encode("latin-1")))
    out.append((b"%d-%s" % (5, b"x"), b"abc".center(7, b"*"), b"a,b".partition(b","), b" x ".isspace(), b"12".isdigit()))
    mv = memoryview(b"abcdef")
    out.append((mv[1], bytes(mv[1:3]), mv.tobytes(), mv.nbytes, list(mv[:2])))
    try:
        b"\xff".decode("utf-8")
    except UnicodeDecodeError as e:
        out.append("UnicodeDecodeError: " + str(e))
    out.append(b"\xff".decode("utf-8", "replace"))
    out.append(list(b"AZ"))
    return out


for item in main():
    print(item)
