"""str.join over generators, maps, filters; bytes.join; join errors;
building strings in loops versus join."""


def joins(words):
    return ("".join(w.upper() for w in words), ", ".join(w for w in words if len(w) > 1),
            "-".join(map(str, range(len(words)))), "|".join(sorted(words, key=len)),
            " ".join(reversed(words)), "".join(filter(None, words)), b".".join(w.encode() for w in words),
            "\n".join("%d:%s" % p for p in enumerate(words)))


def join_errors():
    out = []
    for seq in ([1, 2], ["a", None], [b"x"], ("ok", 3.0)):
        try:
            out.append(",".join(seq))
        except TypeError as e:
            out.append("TypeError: " + str(e))
    try:
        b"".join(["s"])
    except TypeError as e:
        out.append("TypeError: " + str(e))
    return out


def build_loop(n):
    s = ""
    for i in range(n):
        s += str(i % 10)
        if i % 7 == 6:
            s += "|"
    parts = []
    for i in range(n):
        parts.append(str(i % 10))
        if i % 7 == 6:
            parts.append("|")
    return s, s == "".join(parts)


def main():
    return joins(["a", "bb", "", "ccc"]), joins([]), join_errors(), build_loop(20)


for item in main():
    print(item)
