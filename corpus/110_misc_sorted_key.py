"""sorted/min/max with key functions, reverse, stability, multi-key sorts,
sorting mixed types errors, list.sort in place, operator getters."""
import operator


def main():
    people = [("bob", 25, "b"), ("alice", 30, "a"), ("carol", 25, "c"), ("dave", 30, "d"), ("eve", 22, "e")]
    out = []
    out.append(sorted(people, key=operator.itemgetter(1)))
    out.append(sorted(people, key=lambda p: (-p[1], p[0])))
    out.append(sorted(people, key=operator.itemgetter(1, 0), reverse=True))
    out.append([p[0] for p in sorted(sorted(people, key=lambda p: p[0]), key=lambda p: p[1])])
    words = ["banana", "Apple", "cherry", "apple", "Banana"]
    out.append(sorted(words))
    out.append(sorted(words, key=str.lower))
    out.append(sorted(words, key=len, reverse=True))
    out.append((min(words, key=len), max(words, key=lambda w: (len(w), w)), min([], default="empty")))
    nums = [5, -3, 2, -8, 0]
    nums.sort(key=abs)
    out.append(nums)
    out.append(sorted({"b": 2, "a": 3, "c": 1}.items(), key=operator.itemgetter(1)))
    try:
        sorted([1, "a", 2])
    except TypeError as e:
        out.append("TypeError: " + str(e))
    class P:
        def __init__(self, n):
            self.n = n
    out.append([p.n for p in sorted([P(3), P(1), P(2)], key=operator.attrgetter("n"))])
    out.append(sorted([3, 1, 2], key=None))
    out.append(list(reversed(sorted("hello"))))
    out.append(sorted([0.1, -0.0, 0.0, -1, True, False]))
    return out


for item in main():
    print(item)
