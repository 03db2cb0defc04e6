"""int.from_bytes / to_bytes with byteorder and sign, chr/ord round trips,
int() parsing in bases, bit operations on results."""


def main():
    out = []
    for data in (b"\x00\x01", b"\xff\xff", b"\x80\x00", b"", b"\x01\x02\x03\x04\x05\x06\x07\x08\x09"):
        out.append((data.hex(), int.from_bytes(data, "big"), int.from_bytes(data, "little"),
                    int.from_bytes(data, "big", signed=True)))
    for v in (0, 1, 255, 256, -1, -129, 2 ** 64):
        try:
            out.append((v, v.to_bytes(9, "big", signed=True).hex(), v.to_bytes(9, "little", signed=True).hex()))
        except OverflowError as e:
            out.append((v, "OverflowError", str(e)))
    try:
        (256).to_bytes(1, "big")
    except OverflowError as e:
        out.append("OverflowError: " + str(e))
    try:
        (-1).to_bytes(2, "big")
    except OverflowError as e:
        out.append("OverflowError: " + str(e))
    out.append([ord(c) for c in "aZ0 é€😀"])
    out.append("".join(chr(c) for c in (72, 105, 0x263A, 0x1F600)))
    out.append([chr(ord(c) + 1) for c in "HAL"])
    out.append((int("ff", 16), int("-0o17", 0), int("1_000"), int(" 42 "), int("z", 36), int("0b101", 0), int(3.99), int(-3.99)))
    for bad in ("12a", "", "0x", "1__0"):
        try:
            int(bad)
        except ValueError as e:
            out.append("ValueError: " + str(e))
    out.append((hex(-255), oct(-8), bin(-5), format(255, "08b"), format(-255, "x"), (-255).bit_length()))
    return out


for item in main():
    print(item)
